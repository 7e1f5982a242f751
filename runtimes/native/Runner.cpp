//===- Runner.cpp - The native runner of docs/runner-protocol.md ----------===//
//
// One process execution of a native implementation: load, convert inputs,
// calibrate, time samples of back-to-back calls with CLOCK_MONOTONIC, report
// the canonical result. A .k module is compiled at the job's opt_level with
// its engine_checks (the native rungs of rtcompare explain). Every call gets
// freshly built arguments (a kernel may mutate its arrays); what a call
// allocates is released before the next.
//
//===----------------------------------------------------------------------===//

#include "runtimes/native/Runner.h"
#include "Bench/Protocol.h"
#include "Bench/Workload.h"
#include "Driver/Driver.h"
#include "runtimes/native/Marshal.h"
#include "runtimes/native/kcrt.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <ctime>
#include <dlfcn.h>

using namespace kc;
using namespace kc::native;

namespace {

uint64_t nowNs() {
  timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  return uint64_t(T.tv_sec) * 1000000000u + uint64_t(T.tv_nsec);
}

/// One sample's calls run inside a single kc_invoke, so the trap handler's
/// setjmp is paid once per sample rather than once per call.
struct Batch {
  kc_entry_fn Entry;
  llvm::ArrayRef<void **> Args;
  void *Ret;
  kc_arena_pos Built; // the arena once the arguments are built
};
thread_local const Batch *CurrentBatch = nullptr;

void runBatch(void **, void *) {
  const Batch &B = *CurrentBatch;
  // What a call allocates is garbage once it returns (only the last call's
  // result is reported), so each call starts from the same arena position,
  // as a request-scoped arena is used and as kernelc --run measures: the
  // next call reuses warm memory instead of streaming through fresh memory
  // for every call of the sample.
  bool First = true;
  for (void **A : B.Args) {
    if (!First)
      kc_arena_release(B.Built);
    First = false;
    B.Entry(A, B.Ret);
  }
}

class NativeRunner {
public:
  NativeRunner(llvm::raw_ostream &Out, llvm::raw_ostream &Err)
      : W(Out), Err(Err) {}

  int run(llvm::StringRef JobPath) {
    auto Buf = llvm::MemoryBuffer::getFile(JobPath);
    if (!Buf)
      return fail("bad-job", "cannot read job '" + JobPath.str() +
                                 "': " + Buf.getError().message());
    auto J = bench::parseJob((*Buf)->getBuffer());
    if (!J)
      return fail("bad-job", llvm::toString(J.takeError()));
    Job = std::move(*J);
    bool IsKernel = llvm::StringRef(Job.Module).ends_with(".k");
    // The hello line comes first whatever happens, so the flags are worked
    // out before any error can be reported.
    auto Checks = llvmgen::parseEngineChecks(Job.EngineChecks);
    Codegen.OptLevel = Job.OptLevel.value_or(2);
    Codegen.EngineChecks = Checks ? *Checks : 0;
    std::vector<std::string> Flags = {"-O" + std::to_string(Codegen.OptLevel)};
    if (Codegen.EngineChecks)
      Flags.push_back("--engine-checks=" +
                      llvmgen::engineChecksName(Codegen.EngineChecks));
    W.hello("native", LLVM_VERSION_STRING,
            IsKernel ? "kernelc " + Flags.front() + ", ORC LLJIT"
                     : "shared object (clang-19 -O2)",
            IsKernel ? Flags : std::vector<std::string>{"-O2"},
            bench::monotonicClockReadNs());
    if (!Checks)
      return fail("bad-job", llvm::toString(Checks.takeError()));
    if (!IsKernel && (Job.OptLevel || Codegen.EngineChecks))
      return fail("bad-job", "'opt_level' and 'engine_checks' apply to a .k "
                             "module only, not to '" + Job.Module + "'");
    if (int RC = prepareTypes())
      return RC;
    if (int RC = readInputs())
      return RC;
    if (int RC = IsKernel ? loadKernel() : loadSharedObject())
      return RC;
    return measure();
  }

private:
  bench::ProtocolWriter W;
  llvm::raw_ostream &Err;
  bench::Job Job;
  TypeTable Types;
  std::vector<const kir::Type *> ParamTypes;
  const kir::Type *ResultType = nullptr;
  std::vector<bench::Value> Inputs;
  std::unique_ptr<kir::Module> Kernel;
  std::unique_ptr<llvmgen::JITKernel> JIT;
  llvmgen::CodegenOptions Codegen;
  kc_entry_fn Entry = nullptr;
  alignas(16) unsigned char Ret[16] = {};

  int fail(llvm::StringRef Kind, const std::string &Msg, int64_t Line = 0) {
    W.error(Kind, Msg, Line);
    return 2;
  }

  int prepareTypes() {
    if (llvm::Error E = Types.addRecords(Job.Records))
      return fail("bad-job", llvm::toString(std::move(E)));
    for (const std::string &P : Job.Params) {
      auto T = Types.get(P);
      if (!T)
        return fail("bad-job", llvm::toString(T.takeError()));
      ParamTypes.push_back(*T);
    }
    auto T = Types.get(Job.Result);
    if (!T)
      return fail("bad-job", llvm::toString(T.takeError()));
    ResultType = *T;
    return 0;
  }

  int readInputs() {
    if (Job.Inputs.empty() && Job.Params.empty())
      return 0;
    auto Buf = llvm::MemoryBuffer::getFile(Job.Inputs, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
    if (!Buf)
      return fail("bad-job", "cannot read inputs '" + Job.Inputs +
                                 "': " + Buf.getError().message());
    auto V = bench::readInputs((*Buf)->getBuffer());
    if (!V)
      return fail("bad-job", llvm::toString(V.takeError()));
    Inputs = std::move(*V);
    return 0;
  }

  int loadKernel() {
    auto M = driver::compileFile(Job.Module, Err);
    if (!M)
      return fail("load", llvm::toString(M.takeError()));
    Kernel = std::move(*M);
    const kir::Function *E = Kernel->getEntry();
    if (!E || E->Name != Job.Entry)
      return fail("load", "'" + Job.Module + "' has no entry kernel '" +
                              Job.Entry + "'");
    auto JK = llvmgen::JITKernel::create(*Kernel, Codegen);
    if (!JK)
      return fail("load", llvm::toString(JK.takeError()));
    JIT = std::move(*JK);
    Entry = JIT->entry();
    return 0;
  }

  int loadSharedObject() {
    std::string Msg;
    auto Lib = llvm::sys::DynamicLibrary::getPermanentLibrary(
        Job.Module.c_str(), &Msg);
    if (!Lib.isValid())
      return fail("load", "cannot load '" + Job.Module + "': " + Msg);
    // llvm_shutdown closes the library before the process ends. Kept mapped,
    // the buffers a reference caches in its globals stay reachable for the
    // leak check at exit of a sanitizer build (docs/testing.md).
    ::dlopen(Job.Module.c_str(), RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
    // rtcompare compiles a reference together with a generated kc_entry
    // that unpacks arguments for the entry's C signature.
    Entry = reinterpret_cast<kc_entry_fn>(Lib.getAddressOfSymbol("kc_entry"));
    if (!Entry || !Lib.getAddressOfSymbol(Job.Entry.c_str()))
      return fail("load", "'" + Job.Module + "' does not define '" +
                              Job.Entry + "' and kc_entry");
    return 0;
  }

  /// Fresh arguments for \p Count calls, in the arena.
  llvm::Error buildArguments(size_t Count, std::vector<ArgumentPack> &Packs) {
    Packs.clear();
    Packs.reserve(Count);
    for (size_t I = 0; I < Count; ++I) {
      auto P = ArgumentPack::build(ParamTypes, Inputs);
      if (!P)
        return P.takeError();
      Packs.push_back(std::move(*P));
    }
    return llvm::Error::success();
  }

  /// Calls the entry once per pack; returns the elapsed ns, or a trap.
  llvm::Expected<uint64_t> timeCalls(std::vector<ArgumentPack> &Packs) {
    std::vector<void **> Args;
    Args.reserve(Packs.size());
    for (ArgumentPack &P : Packs)
      Args.push_back(P.pointers());
    int32_t Line = 0;
    Batch B{Entry, Args, Ret, kc_arena_mark()};
    CurrentBatch = &B;
    uint64_t Start = nowNs();
    int32_t Trap = kc_invoke(runBatch, nullptr, nullptr, &Line);
    uint64_t End = nowNs();
    CurrentBatch = nullptr;
    if (Trap) {
      TrapKind = Trap - 1;
      TrapLine = Line;
      return llvm::createStringError(llvm::inconvertibleErrorCode(), "trap");
    }
    return End - Start;
  }

  int32_t TrapKind = -1, TrapLine = 0;

  int callFailure(llvm::Error E) {
    if (TrapKind >= 0) {
      llvm::consumeError(std::move(E));
      return fail("trap", kc_trap_message(TrapKind), TrapLine);
    }
    return fail("bad-job", llvm::toString(std::move(E)));
  }

  int measure() {
    kc_arena_pos Mark = kc_arena_mark();
    std::vector<ArgumentPack> Packs;
    auto Round = [&](size_t Calls) -> llvm::Expected<uint64_t> {
      kc_arena_release(Mark);
      if (llvm::Error E = buildArguments(Calls, Packs))
        return std::move(E);
      return timeCalls(Packs);
    };
    // First call untimed: page faults, lazy binding, cold caches.
    auto First = Round(1);
    if (!First)
      return callFailure(First.takeError());
    if (!Job.CheckOnly) {
      uint64_t Batch = Job.Batch;
      if (Batch == 0) {
        // A batch counts once two samples in a row reach the minimum: one
        // sample stretched by a preemption must not end calibration early.
        uint64_t Elements = 1;
        for (const bench::Value &V : Inputs)
          Elements += V.Ints.size() + V.Floats.size();
        uint64_t MaxBatch = std::max<uint64_t>(1, (uint64_t(1) << 25) / Elements);
        Batch = 1;
        while (Batch < std::min<uint64_t>(MaxBatch, uint64_t(1) << 30)) {
          auto Ns = Round(Batch);
          if (!Ns)
            return callFailure(Ns.takeError());
          if (*Ns >= Job.MinSampleNs) {
            auto Again = Round(Batch);
            if (!Again)
              return callFailure(Again.takeError());
            if (*Again >= Job.MinSampleNs)
              break;
          }
          Batch *= 2;
        }
      }
      W.batch(Batch);
      uint64_t Spent = 0;
      for (unsigned I = 0; I < Job.Iterations; ++I) {
        auto Ns = Round(Batch);
        if (!Ns)
          return callFailure(Ns.takeError());
        W.sample(I, Batch, *Ns);
        Spent += *Ns;
        if (Job.TimeBudgetNs && Spent >= Job.TimeBudgetNs &&
            I + 1 >= bench::MinBudgetIterations)
          break;
      }
    }
    if (llvm::Error E = checkAcyclic(ResultType, Ret))
      return fail("exception", llvm::toString(std::move(E)));
    std::string Canonical;
    llvm::raw_string_ostream OS(Canonical);
    formatCanonical(ResultType, Ret, OS);
    OS.flush();
    W.result(Canonical);
    W.done();
    return 0;
  }
};

} // namespace

int native::runJob(llvm::StringRef JobPath, llvm::raw_ostream &Out,
                   llvm::raw_ostream &Err) {
  return NativeRunner(Out, Err).run(JobPath);
}
