//===- Driver.cpp - What kernelc does, as a library -----------------------===//

#include "Driver/Driver.h"
#include "Lang/Diagnostics.h"
#include "Lang/Parser.h"
#include "Target/JS/JSBackend.h"
#include "Target/LLVM/Remarks.h"
#include "Target/Python/PyBackend.h"
#include "ir/Verifier.h"
#include "runtimes/native/Marshal.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include <algorithm>
#include <chrono>

using namespace kc;
using namespace kc::driver;

static llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

llvm::Expected<std::unique_ptr<kir::Module>>
driver::compileSource(std::unique_ptr<llvm::MemoryBuffer> Buffer,
                      llvm::raw_ostream &Errs, const SemaOptions &Opts) {
  llvm::SourceMgr SM;
  std::string Name =
      llvm::sys::path::filename(Buffer->getBufferIdentifier()).str();
  unsigned ID = SM.AddNewSourceBuffer(std::move(Buffer), llvm::SMLoc());
  DiagnosticEngine Diags(SM, Errs);
  Parser P(SM.getMemoryBuffer(ID)->getBuffer(), Diags);
  ast::File F = P.parseFile();
  // Checking a file whose parse failed would mostly report echoes of the
  // syntax errors (names whose declarations were dropped).
  std::unique_ptr<kir::Module> M;
  if (!Diags.hasErrors())
    M = checkAndLower(F, Name, Diags, Opts);
  if (Diags.hasErrors())
    return makeError(llvm::Twine(Diags.numErrors()) +
                     (Diags.numErrors() == 1 ? " error" : " errors") +
                     " generated");
  if (llvm::Error E = kir::verify(*M))
    return makeError("internal compiler error: " + llvm::toString(std::move(E)));
  return std::move(M);
}

llvm::Expected<std::unique_ptr<kir::Module>>
driver::compileFile(llvm::StringRef Path, llvm::raw_ostream &Errs,
                    const SemaOptions &Opts) {
  auto Buf = llvm::MemoryBuffer::getFileOrSTDIN(Path, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/false);
  if (!Buf)
    return makeError("cannot read '" + Path + "': " + Buf.getError().message());
  return compileSource(std::move(*Buf), Errs, Opts);
}

static llvm::Expected<std::unique_ptr<llvm::ToolOutputFile>>
openOutput(llvm::StringRef Out, bool Binary) {
  std::error_code EC;
  auto F = std::make_unique<llvm::ToolOutputFile>(
      Out, EC, Binary ? llvm::sys::fs::OF_None : llvm::sys::fs::OF_Text);
  if (EC)
    return makeError("cannot open '" + Out + "': " + EC.message());
  return std::move(F);
}

llvm::Error driver::emit(const kir::Module &M, EmitKind Kind,
                         const llvmgen::CodegenOptions &Opts,
                         llvm::StringRef Out) {
  auto File = openOutput(Out, Kind == EmitKind::Obj);
  if (!File)
    return File.takeError();
  llvm::raw_fd_ostream &OS = (*File)->os();
  if (Kind == EmitKind::KIR || Kind == EmitKind::JS || Kind == EmitKind::Py) {
    if (Kind == EmitKind::KIR) {
      kir::print(M, OS);
    } else if (Kind == EmitKind::JS) {
      jsgen::JSOptions JO;
      JO.Checked = Opts.Checked;
      if (llvm::Error E = jsgen::emitModule(M, OS, JO))
        return E;
    } else {
      pygen::PyOptions PO;
      PO.Checked = Opts.Checked;
      if (llvm::Error E = pygen::emitModule(M, OS, PO))
        return E;
    }
    (*File)->keep();
    return llvm::Error::success();
  }
  llvmgen::initializeNativeTarget();
  auto TM = llvmgen::createHostTargetMachine(Opts.OptLevel, Opts.HostCPU);
  if (!TM)
    return TM.takeError();
  llvm::LLVMContext Ctx;
  llvmgen::CodegenOptions LowerOpts = Opts;
  // A remark without a source line says little.
  if (Kind == EmitKind::Remarks)
    LowerOpts.DebugInfo = true;
  auto Mod = llvmgen::lowerToLLVM(M, Ctx, LowerOpts, **TM);
  if (!Mod)
    return Mod.takeError();
  std::optional<llvmgen::RemarkCollector> Remarks;
  if (Kind == EmitKind::Remarks)
    Remarks.emplace(Ctx);
  if (llvm::Error E = llvmgen::optimizeModule(**Mod, Opts.OptLevel, TM->get()))
    return E;
  if (Kind == EmitKind::Remarks) {
    // Code generation has remarks of its own (spills, instruction counts).
    llvm::SmallString<0> Asm;
    llvm::raw_svector_ostream AsmOS(Asm);
    if (llvm::Error E =
            llvmgen::emitObjectOrAssembly(**Mod, **TM, AsmOS, /*Assembly=*/true))
      return E;
    for (const llvmgen::Remark &R : Remarks->remarks())
      llvmgen::printRemark(R, M.Name, OS);
  } else if (Kind == EmitKind::LLVM) {
    (*Mod)->print(OS, nullptr);
  } else if (llvm::Error E = llvmgen::emitObjectOrAssembly(
                 **Mod, **TM, OS, Kind == EmitKind::Asm)) {
    return E;
  }
  OS.flush();
  if (OS.has_error())
    return makeError("error writing '" + Out + "'");
  (*File)->keep();
  return llvm::Error::success();
}

llvm::Expected<const bench::WorkloadSpec *>
driver::findWorkload(const kir::Module &M, llvm::StringRef Name) {
  if (!M.Bench || M.Bench->Workloads.empty())
    return makeError("'" + M.Name + "' has no bench section: nothing to run");
  if (Name.empty())
    return &M.Bench->Workloads.front();
  if (const bench::WorkloadSpec *W = M.Bench->find(Name))
    return W;
  std::string Known;
  for (const auto &W : M.Bench->Workloads)
    Known += (Known.empty() ? "" : ", ") + W.Name;
  return makeError("no workload '" + Name + "' in '" + M.Name +
                   "' (it has: " + Known + ")");
}

llvm::Error driver::dumpInputs(const kir::Module &M, llvm::StringRef Workload,
                               bench::SizeClass Size, llvm::StringRef Out) {
  auto W = findWorkload(M, Workload);
  if (!W)
    return W.takeError();
  auto Values = bench::generate(**W, Size);
  if (!Values)
    return Values.takeError();
  auto File = openOutput(Out, /*Binary=*/true);
  if (!File)
    return File.takeError();
  bench::writeInputs(*Values, (*File)->os());
  (*File)->keep();
  return llvm::Error::success();
}

llvm::Expected<RunResult> driver::runNative(const kir::Module &M,
                                            const RunOptions &Opts) {
  auto W = findWorkload(M, Opts.Workload);
  if (!W)
    return W.takeError();
  const kir::Function *Entry = M.getEntry();
  if (!Entry)
    return makeError("'" + M.Name + "' has no entry kernel");
  auto Values = bench::generate(**W, Opts.Size);
  if (!Values)
    return Values.takeError();
  auto JK = llvmgen::JITKernel::create(M, Opts.Codegen);
  if (!JK)
    return JK.takeError();

  auto Args = native::ArgumentPack::build(*Entry, *Values);
  if (!Args)
    return Args.takeError();

  RunResult R;
  unsigned Calls = std::max(1u, Opts.Repeat);
  std::vector<double> Times;
  Times.reserve(Calls);
  alignas(16) unsigned char Ret[16] = {};
  // What a call allocates is freed before the next one; the inputs, made
  // before the mark, stay. The last call's result is formatted below.
  kc_arena_pos Mark = kc_arena_mark();
  for (unsigned I = 0; I < Calls; ++I) {
    if (I)
      kc_arena_release(Mark);
    int32_t Line = 0;
    auto Start = std::chrono::steady_clock::now();
    int32_t Trap = kc_invoke((*JK)->entry(), Args->pointers(), Ret, &Line);
    auto End = std::chrono::steady_clock::now();
    if (Trap)
      return makeError(llvm::Twine("trap: ") + kc_trap_message(Trap - 1) +
                       " at line " + llvm::Twine(Line));
    Times.push_back(
        std::chrono::duration<double, std::nano>(End - Start).count());
  }
  if (llvm::Error E = native::checkAcyclic(Entry->RetTy, Ret))
    return std::move(E);
  llvm::raw_string_ostream OS(R.Output);
  native::formatResult(Entry->RetTy, Ret, OS);
  OS.flush();
  std::sort(Times.begin(), Times.end());
  R.Calls = Calls;
  R.MinNs = Times.front();
  size_t Mid = Times.size() / 2;
  R.MedianNs = Times.size() % 2 ? Times[Mid] : (Times[Mid - 1] + Times[Mid]) / 2;
  return R;
}

void driver::setJobSignature(const kir::Function &Entry, bench::Job &J) {
  J.Entry = Entry.Name;
  J.Params.clear();
  for (const kir::Local *Param : Entry.Params)
    J.Params.push_back(Param->Ty->str());
  J.Result = Entry.RetTy->str();
  J.Records.clear();
  std::vector<const kir::Type *> Work(1, Entry.RetTy);
  for (const kir::Local *Param : Entry.Params)
    Work.push_back(Param->Ty);
  while (!Work.empty()) {
    const kir::Type *T = Work.back();
    Work.pop_back();
    if (T->Kind == kir::TypeKind::Array || T->Kind == kir::TypeKind::Map) {
      Work.push_back(T->Elem);
      continue;
    }
    if (T->Kind != kir::TypeKind::Record || J.Records.count(T->Rec->Name))
      continue;
    auto &Fields = J.Records[T->Rec->Name];
    for (const kir::Field &F : T->Rec->Fields) {
      Fields.emplace_back(F.Name, F.Ty->str());
      Work.push_back(F.Ty);
    }
  }
}
