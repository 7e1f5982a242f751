//===- CPythonRunner.cpp - The runner protocol on CPython -----------------===//
//
// hello; read the job and its inputs; load the module; calibrate the batch;
// time `iterations` samples; print the last call's result. Every call gets
// its own arguments, built before the timed region of its sample.
//
//===----------------------------------------------------------------------===//

#include "PyRef.h" // Python.h first, as the C API asks

#include "Bench/Protocol.h"
#include "Bench/Workload.h"
#include "Containment.h"
#include "Instrument.h"
#include "Interpreter.h"
#include "Marshal.h"
#include "RunnerError.h"
#include "TypeSpec.h"
#include "runtimes/cpython/CPythonRunner.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

using namespace llvm;
using namespace kc;
using namespace kc::cpython;

namespace {

/// The most calls calibration will put in one sample.
constexpr uint64_t MaxBatch = uint64_t(1) << 30;
/// The most list elements the copies of one batch may hold (256 MiB of
/// pointers): calibration stops doubling before that.
constexpr uint64_t MaxBatchElements = uint64_t(1) << 25;

/// The JSON lines of the protocol, keys in the documented order, each line
/// flushed at once so nothing printed is lost if the runner dies after it.
class LineWriter {
public:
  explicit LineWriter(raw_ostream &OS) : OS(OS) {}

  void hello(const RuntimeInfo &Info) {
    line([&](json::OStream &J) {
      J.attribute("event", "hello");
      J.attribute("protocol", bench::ProtocolVersion);
      J.attribute("runtime", "cpython");
      J.attribute("version", Info.Version);
      J.attribute("engine", Info.Engine);
      J.attributeArray("flags", [&] {
        for (const std::string &F : Info.Flags)
          J.value(F);
      });
      J.attribute("library", Info.Library);
      J.attribute("timer_ns", bench::monotonicClockReadNs());
    });
  }
  void batch(uint64_t Calls) {
    line([&](json::OStream &J) {
      J.attribute("event", "batch");
      J.attribute("calls", int64_t(Calls));
    });
  }
  void sample(unsigned I, uint64_t Calls, uint64_t Ns) {
    line([&](json::OStream &J) {
      J.attribute("event", "sample");
      J.attribute("i", int64_t(I));
      J.attribute("calls", int64_t(Calls));
      J.attribute("ns", int64_t(Ns));
    });
  }
  void result(StringRef Canonical) {
    line([&](json::OStream &J) {
      J.attribute("event", "result");
      J.attribute("canonical", Canonical);
    });
  }
  void done() {
    line([&](json::OStream &J) { J.attribute("event", "done"); });
  }
  /// A line of the instrumented execution: the event, then \p Body's
  /// attributes.
  void event(StringRef Event, function_ref<void(json::OStream &)> Body) {
    line([&](json::OStream &J) {
      J.attribute("event", Event);
      Body(J);
    });
  }
  /// One error line for \p E (a RunnerError, or else an `exception`).
  void error(Error E) {
    handleAllErrors(
        std::move(E),
        [&](const RunnerError &RE) {
          line([&](json::OStream &J) {
            J.attribute("event", "error");
            J.attribute("kind", RE.kindName());
            if (RE.kind() == RunnerError::Exception && !RE.type().empty())
              J.attribute("type", RE.type());
            J.attribute("message", RE.text());
            if (RE.kind() == RunnerError::Trap)
              J.attribute("line", RE.line());
          });
        },
        [&](const ErrorInfoBase &EI) {
          line([&](json::OStream &J) {
            J.attribute("event", "error");
            J.attribute("kind", "exception");
            J.attribute("message", EI.message());
          });
        });
  }

private:
  raw_ostream &OS;

  template <typename BodyFn> void line(BodyFn Body) {
    {
      json::OStream J(OS);
      J.object([&] { Body(J); });
    }
    OS << '\n';
    OS.flush();
  }
};

uint64_t nowNs() {
  timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  return uint64_t(T.tv_sec) * 1000000000u + uint64_t(T.tv_nsec);
}

using CallFn = PyObject *(*)(PyObject *, PyObject *const *, size_t, PyObject *);

PyObject *callAnything(PyObject *F, PyObject *const *Args, size_t N,
                       PyObject *Kw) {
  return PyObject_Vectorcall(F, Args, N, Kw);
}

/// One job's Python state. Destroyed before the interpreter is finalized.
class Session {
public:
  explicit Session(raw_ostream &Err) : Err(Err) {}

  Error run(const bench::Job &Job, LineWriter &W);

private:
  raw_ostream &Err;
  std::unique_ptr<TypeTable> Types;
  std::unique_ptr<CallInputs> Inputs;
  PyRef Entry;
  CallFn Call = callAnything;
  PyRef Last; // the last call's result
  std::vector<PyObject *> Args;

  Error prepare(const bench::Job &Job, const TypeSpec *&Result);
  Error instrument(const bench::Job &Job, LineWriter &W);
  Expected<uint64_t> sample(uint64_t Calls);
  Expected<uint64_t> calibrate(uint64_t MinSampleNs);
};

Error Session::prepare(const bench::Job &Job, const TypeSpec *&Result) {
  auto TT = TypeTable::create(Job.Records);
  if (!TT)
    return TT.takeError();
  Types = std::move(*TT);
  std::vector<const TypeSpec *> Params;
  for (const std::string &P : Job.Params) {
    Expected<const TypeSpec *> Ty = Types->parse(P);
    if (!Ty)
      return Ty.takeError();
    if ((*Ty)->K == TypeSpec::Void)
      return makeError(RunnerError::BadJob, "a parameter has no type");
    Params.push_back(*Ty);
  }
  Expected<const TypeSpec *> Ty = Types->parse(Job.Result);
  if (!Ty)
    return Ty.takeError();
  Result = *Ty;

  std::vector<bench::Value> Values;
  if (!Job.Inputs.empty()) {
    auto Buf = MemoryBuffer::getFile(Job.Inputs, /*IsText=*/false,
                                     /*RequiresNullTerminator=*/false);
    if (!Buf)
      return makeError(RunnerError::BadJob,
                       "cannot read inputs '" + Job.Inputs +
                           "': " + Buf.getError().message());
    auto Read = bench::readInputs((*Buf)->getBuffer());
    if (!Read)
      return withKind(Read.takeError(), RunnerError::BadJob,
                      "inputs '" + Job.Inputs + "'");
    Values = std::move(*Read);
  }
  auto In = CallInputs::create(Params, Values);
  if (!In)
    return In.takeError();
  Inputs = std::move(*In);

  // The instrumented execution's helper imports these after the kernel's
  // module has run, when nothing can be imported from a file any more.
  std::vector<std::string> RunnerImports;
  if (Job.CountOpcodes)
    RunnerImports = {"dis", "json", "opcode", "types"};
  auto F = loadEntry(Job.Module, Job.Entry,
                     Job.AllowedImports ? *Job.AllowedImports
                                        : defaultAllowedImports(),
                     RunnerImports);
  if (!F)
    return F.takeError();
  Entry = std::move(*F);
  // A Python function's vectorcall, called directly: what CALL does.
  if (vectorcallfunc VF = PyVectorcall_Function(Entry.get()))
    Call = VF;
  return Error::success();
}

/// Times \p Calls back-to-back calls, each with its own arguments built
/// beforehand. A result is released when the next call returns (as a caller
/// dropping it would), the last one is kept.
Expected<uint64_t> Session::sample(uint64_t Calls) {
  if (Error E = Inputs->build(Calls, Args)) {
    releaseArguments(Args);
    return E;
  }
  PyObject *const F = Entry.get();
  const CallFn Fn = Call;
  const size_t N = Inputs->numParams();
  PyObject *const *A = Args.data();
  PyObject *Prev = nullptr;
  uint64_t Done = 0;

  uint64_t Start = nowNs();
  for (; Done != Calls; ++Done, A += N) {
    PyObject *R = Fn(F, A, N, nullptr);
    if (!R)
      break;
    Py_XDECREF(Prev);
    Prev = R;
  }
  uint64_t End = nowNs();

  // Refused is refused, even if the kernel caught the PermissionError.
  if (std::optional<std::string> Refused = takeRefusal()) {
    PyErr_Clear();
    Py_XDECREF(Prev);
    releaseArguments(Args);
    return makeError(RunnerError::Refused, *Refused);
  }
  if (Done != Calls) {
    Error E = takeKernelError(); // before anything else touches the error
    Py_XDECREF(Prev);
    releaseArguments(Args);
    return E;
  }
  Last = PyRef::steal(Prev);
  releaseArguments(Args);
  return End - Start;
}

Expected<uint64_t> Session::calibrate(uint64_t MinSampleNs) {
  // First-call costs (imports, caches) are paid once, untimed.
  if (Expected<uint64_t> Ns = sample(1); !Ns)
    return Ns.takeError();
  uint64_t Batch = 1;
  for (;;) {
    Expected<uint64_t> Ns = sample(Batch);
    if (!Ns)
      return Ns.takeError();
    if (*Ns >= MinSampleNs) {
      // A sample the scheduler preempted (a 4 ms tick on a busy machine)
      // must not end calibration: the batch counts when a second sample
      // confirms it.
      Expected<uint64_t> Again = sample(Batch);
      if (!Again)
        return Again.takeError();
      if (*Again >= MinSampleNs)
        return Batch;
      Ns = std::move(Again);
    }
    if (Batch >= MaxBatch ||
        2 * Batch * Inputs->elementsPerCall() > MaxBatchElements) {
      Err << "kc-runner-cpython: warning: calibration stopped at " << Batch
          << " calls per sample (" << *Ns << " ns < min_sample_ns "
          << MinSampleNs << ")\n";
      return Batch;
    }
    Batch *= 2;
  }
}

Error Session::run(const bench::Job &Job, LineWriter &W) {
  const TypeSpec *Result = nullptr;
  if (Error E = prepare(Job, Result))
    return E;

  if (Job.CountOpcodes) {
    if (Error E = instrument(Job, W))
      return E;
  } else if (!Job.CheckOnly) {
    uint64_t Batch = Job.Batch;
    if (Batch == 0) {
      Expected<uint64_t> B = calibrate(Job.MinSampleNs);
      if (!B)
        return B.takeError();
      Batch = *B;
    }
    W.batch(Batch);
    uint64_t Spent = 0;
    for (unsigned I = 0; I < Job.Iterations; ++I) {
      Expected<uint64_t> Ns = sample(Batch);
      if (!Ns)
        return Ns.takeError();
      W.sample(I, Batch, *Ns);
      Spent += *Ns;
      if (Job.TimeBudgetNs && Spent >= Job.TimeBudgetNs &&
          I + 1 >= bench::MinBudgetIterations)
        break;
    }
  }
  if (!Last) // check_only, or nothing was called yet
    if (Expected<uint64_t> Ns = sample(1); !Ns)
      return Ns.takeError();

  std::string Canonical;
  if (Error E = formatResult(Last.get(), *Result, *Types, Canonical))
    return E;
  W.result(Canonical);
  W.done();
  return Error::success();
}

/// The instrumented execution: warm-up calls, the module's bytecode as the
/// warm-up left it, then the bytecodes of `count_opcodes` traced calls.
/// Nothing here is timed for the ladder: the trace function slows every
/// instruction down.
Error Session::instrument(const bench::Job &Job, LineWriter &W) {
  auto Line = [&](StringRef Event,
                  function_ref<void(json::OStream &)> Body) {
    W.event(Event, Body);
  };
  if (Job.WarmupCalls)
    if (Expected<uint64_t> Ns = sample(Job.WarmupCalls); !Ns)
      return Ns.takeError();
  Expected<ModuleCode> Module = [&] {
    RunnerSection Runner;
    return ModuleCode::inspect(Entry.get());
  }();
  if (!Module)
    return Module.takeError();
  Module->write(Line);

  OpcodeCounter Counter(*Module);
  {
    RunnerSection Runner; // sys.settrace is audited
    Counter.start();
  }
  Expected<uint64_t> Ns = sample(Job.CountOpcodes);
  {
    RunnerSection Runner;
    Counter.stop();
  }
  if (!Ns)
    return Ns.takeError();
  Counter.write(Line, Job.CountOpcodes, *Ns);
  return Error::success();
}

Expected<bench::Job> readJob(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return makeError(RunnerError::BadJob, "cannot read job '" + Path +
                                              "': " + Buf.getError().message());
  auto Job = bench::parseJob((*Buf)->getBuffer());
  if (!Job)
    return withKind(Job.takeError(), RunnerError::BadJob);
  return Job;
}

} // namespace

int cpython::runJob(StringRef JobPath, raw_ostream &Out, raw_ostream &Err) {
  LineWriter W(Out);
  if (Error E = startInterpreter()) {
    W.error(std::move(E));
    return 2;
  }
  RuntimeInfo Info = runtimeInfo();
  W.hello(Info);
  if (Info.Version != PY_VERSION)
    Err << "kc-runner-cpython: warning: built with the headers of CPython "
        << PY_VERSION << " but runs " << Info.Version << " from "
        << Info.Library << "\n";

  int Code = 0;
  {
    Session S(Err);
    Expected<bench::Job> Job = readJob(JobPath);
    Error E = Job ? S.run(*Job, W) : Job.takeError();
    if (E) {
      W.error(std::move(E));
      Code = 2;
    }
  }
  Out.flush();
  if (!finishInterpreter())
    Err << "kc-runner-cpython: warning: CPython reported an error while "
           "finalizing (the lines printed before stand)\n";
  return Code;
}

int cpython::runJobOnStdout(StringRef JobPath, raw_ostream &Err) {
  std::fflush(stdout);
  int Fd = dup(STDOUT_FILENO);
  if (Fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    if (Fd >= 0)
      close(Fd);
    Err << "kc-runner-cpython: warning: cannot reserve stdout for the "
           "protocol\n";
    return runJob(JobPath, outs(), Err);
  }
  fcntl(Fd, F_SETFD, FD_CLOEXEC);
  raw_fd_ostream Out(Fd, /*shouldClose=*/true);
  return runJob(JobPath, Out, Err);
}
