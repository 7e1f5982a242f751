//===- CPythonWorker.cpp - A batch of kernels in one interpreter ----------===//
//
// The CPython runner's own pieces (runtimes/cpython: interpreter start,
// containment, module loading, input conversion, canonical results, trap
// detection), one call per job. The interpreter starts once; each job runs
// in a child forked from it, because loading a module contains the process
// for good (Containment.h: no file opens after it), as the runner's one
// process per job is. A fork costs far less than a start.
//
//===----------------------------------------------------------------------===//

#include "runtimes/cpython/PyRef.h" // Python.h first, as the C API asks

#include "Fuzz/Batch.h"
#include "Fuzz/CPythonWorker.h"
#include "runtimes/cpython/Containment.h"
#include "runtimes/cpython/Interpreter.h"
#include "runtimes/cpython/Marshal.h"
#include "runtimes/cpython/RunnerError.h"
#include "runtimes/cpython/TypeSpec.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <csignal>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace kc;
using namespace kc::fuzz;
using namespace kc::cpython;

/// A runner error as an outcome: a trap, an exception, or (bad job, load)
/// an error.
static Outcome fromError(llvm::Error E) {
  Outcome O;
  O.K = Outcome::Error;
  llvm::handleAllErrors(
      std::move(E),
      [&](const RunnerError &RE) {
        switch (RE.kind()) {
        case RunnerError::Trap:
          O.K = Outcome::Trap;
          O.Text = RE.text();
          O.Line = RE.line();
          return;
        case RunnerError::Exception:
          O.K = Outcome::Exception;
          O.Text = RE.type().empty() ? RE.text() : RE.type() + ": " + RE.text();
          return;
        case RunnerError::BadJob:
        case RunnerError::Load:
        case RunnerError::Refused:
          O.Text = RE.kindName().str() + ": " + RE.text();
          return;
        }
      },
      [&](const llvm::ErrorInfoBase &EI) { O.Text = EI.message(); });
  return O;
}

static Outcome runOne(const BatchJob &J) {
  auto TT = TypeTable::create(J.Records);
  if (!TT)
    return fromError(TT.takeError());
  std::vector<const TypeSpec *> Params;
  for (const std::string &P : J.Params) {
    auto T = (*TT)->parse(P);
    if (!T)
      return fromError(T.takeError());
    Params.push_back(*T);
  }
  auto Result = (*TT)->parse(J.Result);
  if (!Result)
    return fromError(Result.takeError());
  auto Buf = llvm::MemoryBuffer::getFile(J.Inputs, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf) {
    Outcome O;
    O.K = Outcome::Error;
    O.Text = "cannot read inputs '" + J.Inputs + "'";
    return O;
  }
  auto Values = bench::readInputs((*Buf)->getBuffer());
  if (!Values)
    return fromError(Values.takeError());
  auto In = CallInputs::create(Params, *Values);
  if (!In)
    return fromError(In.takeError());
  auto F = loadEntry(J.Py, J.Entry, defaultAllowedImports(), {});
  if (!F)
    return fromError(F.takeError());
  std::vector<PyObject *> Args;
  if (llvm::Error E = (*In)->build(1, Args)) {
    releaseArguments(Args);
    return fromError(std::move(E));
  }
  PyRef R = PyRef::steal(
      PyObject_Vectorcall(F->get(), Args.data(), Args.size(), nullptr));
  // Refused is refused, even if the kernel caught the PermissionError.
  if (std::optional<std::string> Refused = takeRefusal()) {
    PyErr_Clear();
    releaseArguments(Args);
    return fromError(makeError(RunnerError::Refused, *Refused));
  }
  if (!R) {
    llvm::Error E = takeKernelError(); // before anything touches the error
    releaseArguments(Args);
    return fromError(std::move(E));
  }
  releaseArguments(Args);
  Outcome O;
  O.K = Outcome::Ok;
  if (llvm::Error E = formatResult(R.get(), **Result, **TT, O.Text))
    return fromError(std::move(E));
  return O;
}

int fuzz::runCPythonWorker(llvm::StringRef BatchPath, unsigned From,
                           llvm::raw_ostream &Out) {
  auto Jobs = readBatch(BatchPath);
  if (!Jobs) {
    llvm::errs() << "kc-difffuzz: " << llvm::toString(Jobs.takeError()) << "\n";
    return 1;
  }
  if (llvm::Error E = startInterpreter()) {
    llvm::errs() << "kc-difffuzz: " << llvm::toString(std::move(E)) << "\n";
    return 1;
  }
  for (unsigned I = From; I < Jobs->size(); ++I) {
    Out.flush();
    PyOS_BeforeFork();
    pid_t Pid = ::fork();
    if (Pid == 0) {
      PyOS_AfterFork_Child();
      // No child outlives a worker killed for a timeout.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      writeOutcome(I, runOne((*Jobs)[I]), Out);
      Out.flush();
      ::_exit(0);
    }
    PyOS_AfterFork_Parent();
    int Status = 0;
    if (Pid < 0 || ::waitpid(Pid, &Status, 0) != Pid || !WIFEXITED(Status) ||
        WEXITSTATUS(Status) != 0) {
      Outcome O;
      O.K = Outcome::Crash;
      O.Text = Pid < 0 ? "cannot fork"
               : WIFSIGNALED(Status)
                   ? "killed by signal " + std::to_string(WTERMSIG(Status))
                   : "exit code " + std::to_string(WEXITSTATUS(Status));
      writeOutcome(I, O, Out);
    }
  }
  finishInterpreter();
  return 0;
}
