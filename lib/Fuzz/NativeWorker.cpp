//===- NativeWorker.cpp - A batch of kernels through the JIT --------------===//
//
// Each job: compile the kernel to KIR (in checked mode if the job says so),
// JIT it at the job's -O level, call the entry once on the job's inputs
// inside kc_invoke, print the canonical result or the trap. What a kernel
// allocates is released before the next one. A kernel that crashes takes
// the worker with it; the parent restarts it after that kernel.
//
//===----------------------------------------------------------------------===//

#include "Driver/Driver.h"
#include "Fuzz/Batch.h"
#include "runtimes/native/Marshal.h"
#include "runtimes/native/kcrt.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace kc;
using namespace kc::fuzz;

static Outcome runOne(const BatchJob &J) {
  Outcome O;
  O.K = Outcome::Error;
  SemaOptions SO;
  SO.Checked = J.Checked;
  std::string Diags;
  llvm::raw_string_ostream DS(Diags);
  auto M = driver::compileFile(J.Kernel, DS, SO);
  if (!M) {
    O.Text = "compile: " + llvm::toString(M.takeError()) + ": " + DS.str();
    return O;
  }
  const kir::Function *Entry = (*M)->getEntry();
  if (!Entry) {
    O.Text = "no entry kernel";
    return O;
  }
  auto Buf = llvm::MemoryBuffer::getFile(J.Inputs, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf) {
    O.Text = "cannot read inputs '" + J.Inputs + "'";
    return O;
  }
  auto Values = bench::readInputs((*Buf)->getBuffer());
  if (!Values) {
    O.Text = "inputs: " + llvm::toString(Values.takeError());
    return O;
  }
  llvmgen::CodegenOptions CG;
  CG.OptLevel = J.OptLevel;
  CG.Checked = J.Checked;
  auto JK = llvmgen::JITKernel::create(**M, CG);
  if (!JK) {
    O.Text = "jit: " + llvm::toString(JK.takeError());
    return O;
  }
  kc_arena_pos Mark = kc_arena_mark();
  auto Args = native::ArgumentPack::build(*Entry, *Values);
  if (!Args) {
    kc_arena_release(Mark);
    O.Text = "arguments: " + llvm::toString(Args.takeError());
    return O;
  }
  alignas(16) unsigned char Ret[16] = {};
  int32_t Line = 0;
  int32_t Trap = kc_invoke((*JK)->entry(), Args->pointers(), Ret, &Line);
  if (Trap) {
    O.K = Outcome::Trap;
    O.Text = kc_trap_message(Trap - 1);
    O.Line = Line;
  } else if (llvm::Error E = native::checkAcyclic(Entry->RetTy, Ret)) {
    O.K = Outcome::Exception;
    O.Text = llvm::toString(std::move(E));
  } else {
    O.K = Outcome::Ok;
    llvm::raw_string_ostream OS(O.Text);
    native::formatCanonical(Entry->RetTy, Ret, OS);
  }
  kc_arena_release(Mark);
  return O;
}

int fuzz::runNativeWorker(llvm::StringRef BatchPath, unsigned From,
                          llvm::raw_ostream &Out) {
  auto Jobs = readBatch(BatchPath);
  if (!Jobs) {
    llvm::errs() << "kc-difffuzz: " << llvm::toString(Jobs.takeError()) << "\n";
    return 1;
  }
  llvmgen::initializeNativeTarget();
  for (unsigned I = From; I < Jobs->size(); ++I)
    writeOutcome(I, runOne((*Jobs)[I]), Out);
  return 0;
}
