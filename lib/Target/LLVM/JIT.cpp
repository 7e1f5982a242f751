//===- JIT.cpp - Compile a kernel in process with ORC LLJIT ---------------===//
//
// The JIT compiles exactly what kernelc would emit ahead of time: the same
// lowering, the same -O pipeline and the same CPU (generic unless
// Opts.HostCPU), so a JIT measurement stands for the native rung.
//
//===----------------------------------------------------------------------===//

#include "HostTarget.h"
#include "LLVMBackend.h"
#include "ir/IR.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;
using namespace llvm::orc;

namespace kc {
namespace llvmgen {

static Expected<JITTargetMachineBuilder> makeJTMB(const CodegenOptions &Opts) {
  initializeNativeTarget();
  Expected<CodeGenOptLevel> Level = getCodeGenOptLevel(Opts.OptLevel);
  if (!Level)
    return Level.takeError();
  HostTargetConfig C = getHostTargetConfig(Opts.HostCPU);
  JITTargetMachineBuilder JTMB{Triple(C.Triple)};
  JTMB.setCPU(C.CPU);
  JTMB.getFeatures() = SubtargetFeatures(C.Features);
  JTMB.setCodeGenOptLevel(*Level);
  return JTMB;
}

/// Defines every kcrt function by its address in this process, so the JIT
/// never depends on how (or whether) the runtime's symbols are exported.
static Error defineRuntimeSymbols(LLJIT &J) {
  SymbolMap Symbols;
  for (const kc_runtime_symbol *S = kc_runtime_symbols(); S && S->name; ++S)
    Symbols[J.mangleAndIntern(S->name)] =
        ExecutorSymbolDef(ExecutorAddr::fromPtr(S->address),
                          JITSymbolFlags::Exported | JITSymbolFlags::Callable);
  return J.getMainJITDylib().define(absoluteSymbols(std::move(Symbols)));
}

JITKernel::~JITKernel() = default;

Expected<std::unique_ptr<JITKernel>>
JITKernel::create(std::unique_ptr<LLVMContext> Ctx, std::unique_ptr<Module> Mod,
                  const CodegenOptions &Opts) {
  auto JTMB = makeJTMB(Opts);
  if (!JTMB)
    return JTMB.takeError();

  // Optimize with a target machine configured exactly as the JIT's.
  auto TM = JTMB->createTargetMachine();
  if (!TM)
    return TM.takeError();
  if (Error E = optimizeModule(*Mod, Opts.OptLevel, TM->get()))
    return E;

  auto J = LLJITBuilder().setJITTargetMachineBuilder(std::move(*JTMB)).create();
  if (!J)
    return J.takeError();
  if (Error E = defineRuntimeSymbols(**J))
    return E;
  // libm and libc (floor, fmod, memset, memcpy) come from this process.
  auto Gen = DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*J)->getDataLayout().getGlobalPrefix());
  if (!Gen)
    return Gen.takeError();
  (*J)->getMainJITDylib().addGenerator(std::move(*Gen));

  bool HasEntry = Mod->getFunction("kc_entry") != nullptr;
  if (Error E =
          (*J)->addIRModule(ThreadSafeModule(std::move(Mod), std::move(Ctx))))
    return E;

  std::unique_ptr<JITKernel> K(new JITKernel());
  K->J = std::move(*J);
  if (HasEntry) {
    auto Addr = K->lookup("kc_entry");
    if (!Addr)
      return Addr.takeError();
    K->Entry = reinterpret_cast<kc_entry_fn>(*Addr);
  }
  return K;
}

Expected<std::unique_ptr<JITKernel>>
JITKernel::create(const kir::Module &M, const CodegenOptions &Opts) {
  auto JTMB = makeJTMB(Opts);
  if (!JTMB)
    return JTMB.takeError();
  auto TM = JTMB->createTargetMachine();
  if (!TM)
    return TM.takeError();
  auto Ctx = std::make_unique<LLVMContext>();
  auto Mod = lowerToLLVM(M, *Ctx, Opts, **TM);
  if (!Mod)
    return Mod.takeError();
  return create(std::move(Ctx), std::move(*Mod), Opts);
}

Expected<void *> JITKernel::lookup(StringRef Name) {
  auto Addr = J->lookup(Name);
  if (!Addr)
    return Addr.takeError();
  return Addr->toPtr<void *>();
}

} // namespace llvmgen
} // namespace kc
