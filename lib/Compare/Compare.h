//===- Compare.h - rtcompare: one kernel on every runtime -------*- C++ -*-===//
//
// Runs a kernel's implementations (kernelc's native code, JS and Python, and
// the hand-written C, JS and Python references), each process execution in
// its own runner process (docs/runner-protocol.md); proves their results
// equal before timing anything; measures; analyses warm-up and intervals.
//
//===----------------------------------------------------------------------===//

#ifndef KC_COMPARE_COMPARE_H
#define KC_COMPARE_COMPARE_H

#include "Bench/Protocol.h"
#include "Bench/Workload.h"
#include "Stats/Stats.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace compare {

/// The implementations rtcompare knows, in report order.
enum class ImplKind { Native, C, V8, V8System, CPython, JS, Py };

llvm::StringRef implName(ImplKind K);         // native, c, v8, ...
llvm::StringRef implRuntime(ImplKind K);      // native, v8, cpython
bool implIsReference(ImplKind K);              // c, js, py
/// The hand-written reference kernelc's implementation K is measured
/// against: native -> c, v8 and v8-system -> js, cpython -> py.
std::optional<ImplKind> referenceOf(ImplKind K);
llvm::Expected<std::vector<ImplKind>> parseImplList(llvm::StringRef List);

struct Config {
  std::vector<ImplKind> Impls = {ImplKind::Native, ImplKind::V8,
                                 ImplKind::CPython};
  std::string Workload;  // empty: the kernel's first
  bench::SizeClass Size = bench::SizeClass::Default;
  /// When set, overrides the size class's size (rtcompare sweep).
  std::optional<int64_t> ExplicitSize;
  /// Only prove the results equal: no timed process executions.
  bool CheckOnly = false;
  unsigned Processes = 5;    // process executions per implementation
  unsigned Iterations = 20;  // in-process iterations per process execution
  /// Per process execution: stop sampling after this much sampled time
  /// (at least 3 samples); 0 means always take Iterations.
  uint64_t ProcessBudgetNs = 2000000000;
  uint64_t MinSampleNs = 5000000;
  /// Stop starting new process executions for a kernel after this many
  /// seconds (0: no budget); at least 2 per implementation always run.
  double TimeBudgetSec = 0;
  double TimeoutSec = 300;       // per process execution
  unsigned MemoryLimitMB = 8192; // per runner process (RLIMIT_DATA)
  std::string WorkDir;           // generated modules, inputs, jobs, logs
  std::string ReferenceDir;      // benchmarks/reference
  std::string WebDir;            // web/node_modules: explain's charting library
  // Tools.
  std::string RunnerNative, RunnerCPython, Node, SystemNode, Harness, Clang,
      RuntimeInclude;
  std::vector<std::string> NodeFlags;
  /// kernelc's native code (ImplKind::Native): its -O level and engine
  /// checks (llvmgen::parseEngineChecks spelling; empty for none), passed
  /// to the native runner in the job (docs/runner-protocol.md).
  unsigned NativeOptLevel = 2;
  std::string NativeEngineChecks;
  std::string ResultsPath;  // JSONL, appended as measurements complete
  /// Reuse the records ResultsPath already holds for the same kernel,
  /// workload, size, implementation and measuring settings: their checks
  /// and process executions are not run again (rtcompare run --resume).
  bool Resume = false;
  /// Implementation -> module path overriding the default (for tests).
  std::vector<std::pair<ImplKind, std::string>> ModuleOverrides;
  /// Implementation -> modules it may import beyond its default allowlist
  /// (rtcompare --allow-import; see allowedImports).
  std::vector<std::pair<ImplKind, std::string>> ExtraImports;
  uint64_t Seed = 1;
};

/// Runners next to the tool in \p ToolDir, the pinned node, clang-19, the
/// references in the source tree; a per-user temporary work directory.
Config defaultConfig(llvm::StringRef ToolDir);

/// What a V8 or CPython implementation's module may import: kernelc's
/// modules what the back-end emits (Python: itertools, math, struct; JS:
/// nothing),
/// the hand-written references also a few pure-computation modules of the
/// standard library, each plus Cfg.ExtraImports. Empty for native code.
std::vector<std::string> allowedImports(ImplKind K, const Config &Cfg);
/// Parses rtcompare's --allow-import=IMPL=MOD[,MOD...] into Cfg.ExtraImports.
llvm::Error addAllowedImports(llvm::StringRef Spec, Config &Cfg);

/// One process execution.
struct ProcessRun {
  bench::RunnerReport Report;
  std::string Failure;  // empty when the runner completed
  /// How it failed: a compare::faultName, or "diverged" when a timed run's
  /// result differs from the agreed one. Empty when it completed.
  std::string Fault;
  double WallSec = 0;
  std::optional<stats::Classification> Warmup;
};

enum class Status { Ok, Diverged, Failed, Skipped };
llvm::StringRef statusName(Status S);

struct ImplResult {
  ImplKind Kind;
  Status St = Status::Ok;
  std::string Message;    // why it failed or diverged
  std::string Canonical;  // its result
  std::string Version, Engine;
  std::vector<std::string> Flags;
  std::vector<ProcessRun> Runs;
  std::vector<double> SteadyMeans;  // ns per call, one per process execution
  std::optional<stats::Interval> TimePerCall;   // ns
  std::optional<stats::Interval> RatioToNative;
  /// kernelc's output against the hand-written reference of the same
  /// runtime (native/c, v8/js, cpython/py), when both ran.
  std::optional<stats::Interval> RatioToReference;
  /// The largest share of a timed sample spent reading the clock (two reads
  /// per sample), over its process executions: a fraction, not a percent.
  std::optional<double> TimerShare;
};

struct KernelResult {
  std::string Kernel, File, Workload, Size;
  int64_t SizeValue = 0;
  std::string Agreed;  // the canonical result most implementations gave
  std::vector<ImplResult> Impls;
  bool allAgree() const;
  bool anyFailed() const;
};

/// Each process execution's samples from its steady state on (the input of
/// the intervals and ratios above).
std::vector<llvm::ArrayRef<double>> steadySlices(const ImplResult &I);

/// Makes a results file safe to append to after a kill: drops a last line
/// that was cut off mid-write (it has no newline). Returns how many bytes
/// were dropped; a missing file is fine (0).
llvm::Expected<uint64_t> repairResultsFile(llvm::StringRef Path);

/// Runs one kernel file. Errors are only for what stops the whole kernel
/// (it does not compile, no such workload); a failing implementation is a
/// result. Progress goes to \p Progress.
llvm::Expected<KernelResult> runKernel(llvm::StringRef File,
                                       const Config &Cfg,
                                       llvm::raw_ostream &Progress);

/// Whether two canonical results agree: identical, or (with a relative
/// tolerance > 0) identical except for f64 values a, b with
/// |a - b| <= Tol * max(|a|, |b|) (NaN matches NaN).
bool canonicalEquivalent(llvm::StringRef A, llvm::StringRef B, double Tol);

/// Human-readable f64 or truncated text of a canonical result.
std::string displayCanonical(llvm::StringRef Canonical, size_t Max = 60);

// Reports.
/// "12.3 ns", "4.56 us", "7.89 ms", "1.234 s".
std::string formatTime(double Ns);
void printTable(llvm::ArrayRef<KernelResult> Results, llvm::raw_ostream &OS);
/// Google Benchmark's JSON schema, readable by its tools/compare.py.
void writeBenchmarkJSON(llvm::ArrayRef<KernelResult> Results,
                        llvm::raw_ostream &OS);
void writeCSV(llvm::ArrayRef<KernelResult> Results, llvm::raw_ostream &OS);

} // namespace compare
} // namespace kc

#endif
