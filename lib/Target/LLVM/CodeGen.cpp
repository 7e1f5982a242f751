//===- CodeGen.cpp - Host target machine, -O pipelines, object emission ---===//
//
// The pipeline mirrors what clang-19 -O<n> runs for a C file, so a kernel and
// its hand-written C reference are optimized and code-generated alike: same
// PassBuilder pipeline and tuning options, same TargetMachine (host triple,
// generic x86-64 CPU, PIC as Debian's default PIE), same target analysis for
// the vectorizers' cost model.
//
//===----------------------------------------------------------------------===//

#include "HostTarget.h"
#include "LLVMBackend.h"
#include "MergeChecks.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/Scalar/EarlyCSE.h"
#include "llvm/Transforms/Scalar/SimplifyCFG.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;

namespace kc {
namespace llvmgen {

static Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

void initializeNativeTarget() {
  // Function-local static: initialized exactly once, even across threads.
  static const bool Initialized = [] {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
    InitializeNativeTargetAsmParser();
    return true;
  }();
  (void)Initialized;
}

HostTargetConfig getHostTargetConfig(bool UseHostCPU) {
  HostTargetConfig C;
  C.Triple = sys::getProcessTriple();
  if (UseHostCPU) {
    C.CPU = sys::getHostCPUName().str();
    SubtargetFeatures Features;
    // StringMap iterates in hash order; sort so the string is deterministic.
    StringMap<bool> HostFeatures = sys::getHostCPUFeatures();
    std::vector<std::string> Names;
    for (const auto &F : HostFeatures)
      Names.push_back(F.getKey().str());
    llvm::sort(Names);
    for (const std::string &Name : Names)
      Features.AddFeature(Name, HostFeatures.lookup(Name));
    C.Features = Features.getString();
    return C;
  }
  // What clang picks without -march: the ISA baseline of the architecture.
  Triple TT(C.Triple);
  if (TT.getArch() == Triple::x86_64)
    C.CPU = "x86-64";
  else if (TT.getArch() == Triple::x86)
    C.CPU = "pentium4";
  else
    C.CPU = "generic";
  return C;
}

Expected<CodeGenOptLevel> getCodeGenOptLevel(unsigned OptLevel) {
  switch (OptLevel) {
  case 0:
    return CodeGenOptLevel::None;
  case 1:
    return CodeGenOptLevel::Less;
  case 2:
    return CodeGenOptLevel::Default;
  case 3:
    return CodeGenOptLevel::Aggressive;
  default:
    return makeError("optimization level -O" + Twine(OptLevel) +
                     " is not one of -O0..-O3");
  }
}

Expected<std::unique_ptr<TargetMachine>>
createHostTargetMachine(unsigned OptLevel, bool UseHostCPU) {
  initializeNativeTarget();
  Expected<CodeGenOptLevel> Level = getCodeGenOptLevel(OptLevel);
  if (!Level)
    return Level.takeError();
  HostTargetConfig C = getHostTargetConfig(UseHostCPU);
  std::string Err;
  const Target *T = TargetRegistry::lookupTarget(C.Triple, Err);
  if (!T)
    return makeError("no LLVM target for " + C.Triple + ": " + Err);
  TargetOptions Options;
  std::unique_ptr<TargetMachine> TM(T->createTargetMachine(
      C.Triple, C.CPU, C.Features, Options, Reloc::PIC_, std::nullopt, *Level));
  if (!TM)
    return makeError("cannot create a target machine for " + C.Triple);
  return TM;
}

Error optimizeModule(Module &M, unsigned OptLevel, TargetMachine *TM) {
  if (OptLevel > 3)
    return makeError("optimization level -O" + Twine(OptLevel) +
                     " is not one of -O0..-O3");
  if (TM) {
    // Sizes and offsets were computed with the module's data layout, so a
    // module lowered for another target cannot be optimized for this one.
    std::string TMLayout = TM->createDataLayout().getStringRepresentation();
    if (M.getTargetTriple().empty() &&
        M.getDataLayout().getStringRepresentation().empty()) {
      M.setTargetTriple(TM->getTargetTriple().str());
      M.setDataLayout(TM->createDataLayout());
    } else if (M.getDataLayout().getStringRepresentation() != TMLayout) {
      return makeError("module data layout '" +
                       M.getDataLayout().getStringRepresentation() +
                       "' differs from the target's '" + TMLayout + "'");
    }
  }

  // clang's settings: unrolling, interleaving and both vectorizers from -O2.
  PipelineTuningOptions PTO;
  PTO.LoopUnrolling = OptLevel >= 2;
  PTO.LoopInterleaving = OptLevel >= 2;
  PTO.LoopVectorization = OptLevel >= 2;
  PTO.SLPVectorization = OptLevel >= 2;

  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB(TM, PTO);
  // Additions to clang's pipeline, for the bounds checks a kernel has and C
  // does not. InstCombine, after the last GVN, rewrites `4*i + k < len` with
  // len % 4 == 0 into `i != len / 4`, each with its own len / 4, so four
  // checks of one group stay four: EarlyCSE merges them and folds each check
  // its predecessor already made. MergeChecks makes the checks of b[i],
  // b[i + 1], ... one test (MergeChecks.cpp); SimplifyCFG then drops the
  // dead traps and joins the blocks. (-O0 runs extension points too, so
  // only from -O1.)
  if (OptLevel > 0)
    PB.registerScalarOptimizerLateEPCallback(
        [](FunctionPassManager &FPM, OptimizationLevel) {
          FPM.addPass(EarlyCSEPass());
          FPM.addPass(MergeBoundsChecksPass());
          FPM.addPass(SimplifyCFGPass());
        });
  // The target's library (libm's floor, fmod...) as clang registers it,
  // before the defaults so this one wins.
  TargetLibraryInfoImpl TLII(Triple(M.getTargetTriple()));
  FAM.registerPass([&] { return TargetLibraryAnalysis(TLII); });
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);

  ModulePassManager MPM;
  switch (OptLevel) {
  case 0:
    MPM = PB.buildO0DefaultPipeline(OptimizationLevel::O0);
    break;
  case 1:
    MPM = PB.buildPerModuleDefaultPipeline(OptimizationLevel::O1);
    break;
  case 2:
    MPM = PB.buildPerModuleDefaultPipeline(OptimizationLevel::O2);
    break;
  default:
    MPM = PB.buildPerModuleDefaultPipeline(OptimizationLevel::O3);
    break;
  }
  MPM.run(M, MAM);

  std::string Msg;
  raw_string_ostream OS(Msg);
  if (verifyModule(M, &OS))
    return makeError("kernelc bug: LLVM IR does not verify after -O" +
                     Twine(OptLevel) + ":\n" + OS.str());
  return Error::success();
}

Error emitObjectOrAssembly(Module &M, TargetMachine &TM, raw_pwrite_stream &OS,
                           bool Assembly) {
  if (M.getTargetTriple() != TM.getTargetTriple().str())
    return makeError("module triple '" + M.getTargetTriple() +
                     "' differs from the target machine's '" +
                     TM.getTargetTriple().str() + "'");
  legacy::PassManager PM;
  TargetLibraryInfoImpl TLII(TM.getTargetTriple());
  PM.add(new TargetLibraryInfoWrapperPass(TLII));
  if (TM.addPassesToEmitFile(PM, OS, nullptr,
                             Assembly ? CodeGenFileType::AssemblyFile
                                      : CodeGenFileType::ObjectFile))
    return makeError("the target cannot emit " +
                     Twine(Assembly ? "assembly" : "object files"));
  PM.run(M);
  return Error::success();
}

} // namespace llvmgen
} // namespace kc
