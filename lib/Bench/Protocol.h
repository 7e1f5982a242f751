//===- Protocol.h - The runner protocol, both sides -------------*- C++ -*-===//
//
// docs/runner-protocol.md in code: the job rtcompare writes and a runner
// reads, the JSON lines a runner prints and rtcompare parses back.
//
//===----------------------------------------------------------------------===//

#ifndef KC_BENCH_PROTOCOL_H
#define KC_BENCH_PROTOCOL_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace bench {

constexpr int ProtocolVersion = 1;
/// A time budget never cuts a process execution below this many samples.
constexpr unsigned MinBudgetIterations = 3;

struct Job {
  std::string Module;
  std::string Entry;
  std::vector<std::string> Params;  // type spellings
  std::string Result;
  /// Record name -> fields (name, type spelling) in declaration order.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>>
      Records;
  std::string Inputs;
  unsigned Iterations = 10;
  uint64_t MinSampleNs = 5000000;
  uint64_t Batch = 0;  // 0: calibrate
  /// Stop sampling once the samples so far add up to this many ns and at
  /// least MinBudgetIterations were taken (0: always take Iterations).
  uint64_t TimeBudgetNs = 0;
  bool CheckOnly = false;
  /// CPython's instrumented execution (docs/runner-protocol.md): when
  /// CountOpcodes > 0, make WarmupCalls untimed calls, report the module's
  /// bytecode in its adaptive form, then count the bytecodes CountOpcodes
  /// traced calls execute. Nothing is timed.
  uint64_t WarmupCalls = 0;
  uint64_t CountOpcodes = 0;
  /// Native runner, .k modules only: kernelc's -O level (0..3; unset: 2)
  /// and its engine checks (llvmgen::parseEngineChecks; empty: none).
  std::optional<unsigned> OptLevel;
  std::string EngineChecks;
  /// V8 and CPython: the modules the job's module may import (Python module
  /// names, whose submodules come with them; JS specifiers). Unset: the
  /// runner's default, what kernelc's own modules import
  /// (docs/runner-protocol.md, "Containment").
  std::optional<std::vector<std::string>> AllowedImports;
};

llvm::Expected<Job> parseJob(llvm::StringRef Text);
void writeJob(const Job &J, llvm::raw_ostream &OS);

/// Writes the runner's JSON lines, one per call, flushed at once so nothing
/// printed is lost if the runner dies right after.
class ProtocolWriter {
public:
  explicit ProtocolWriter(llvm::raw_ostream &OS) : OS(OS) {}
  void hello(llvm::StringRef Runtime, llvm::StringRef Version,
             llvm::StringRef Engine, const std::vector<std::string> &Flags,
             double TimerNs);
  void batch(uint64_t Calls);
  void sample(unsigned Index, uint64_t Calls, uint64_t Ns);
  void result(llvm::StringRef Canonical);
  void error(llvm::StringRef Kind, llvm::StringRef Message, int64_t Line = 0);
  void done();

private:
  llvm::raw_ostream &OS;
};

/// What one runner process reported, parsed back by rtcompare.
struct RunnerReport {
  std::string Runtime, Version, Engine;
  std::vector<std::string> Flags;
  double TimerNs = 0;  // cost of one clock read, as the runner measured it
  uint64_t Batch = 0;
  std::vector<double> SampleNsPerCall;  // one per in-process iteration
  std::optional<std::string> Canonical;
  std::optional<std::string> ErrorKind, ErrorMessage;
  std::string ErrorType;  // an exception's class, when the runner names it
  int64_t ErrorLine = 0;
  bool Done = false;
};

/// Parses a runner's stdout. Lines that are not protocol JSON are an error:
/// a runner must keep its stdout clean.
llvm::Expected<RunnerReport> parseRunnerOutput(llvm::StringRef Text);

/// The cost of one clock_gettime(CLOCK_MONOTONIC) read in ns, averaged over
/// back-to-back reads: what a sample pays twice for being timed.
double monotonicClockReadNs();

/// The variables that configure the sanitizer runtimes of a sanitizer build
/// (docs/testing.md), which rtcompare passes to its runners.
constexpr const char *SanitizerVariables[] = {
    "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "ASAN_SYMBOLIZER_PATH",
    "UBSAN_SYMBOLIZER_PATH"};

/// In a sanitizer build, removes SanitizerVariables from this process's
/// environment (the runtimes read them at start-up), so that the code under
/// test sees the clean environment rtcompare gave its runner, as in any
/// other build. A runner calls it first. Does nothing otherwise.
void hideSanitizerEnvironment();

} // namespace bench
} // namespace kc

#endif
