//===- Explain.h - Why native, V8 and CPython differ on one kernel -*- C++ -*-===//
//
// `rtcompare explain FILE.k` measures a ladder of execution strategies for
// one kernel (native -O2, native with the checks an engine must make, native
// -O0, V8 TurboFan / Maglev / Sparkplug / Ignition, CPython) and gathers
// each runtime's own account of what it did (LLVM remarks, V8's tier and
// deopt trace, CPython's bytecode and specialization). Each runtime part
// produces a RuntimeExplanation; explainKernel lines them up into one
// Explanation that the reports (text, JSON, HTML) print.
//
// Instrumented runs (traces, opcode counting) are always separate process
// executions from the timed runs, so no number in a ladder carries the
// instrumentation's cost.
//
//===----------------------------------------------------------------------===//

#ifndef KC_EXPLAIN_EXPLAIN_H
#define KC_EXPLAIN_EXPLAIN_H

#include "Compare/Compare.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace explain {

/// What every runtime part needs.
struct Context {
  std::string KernelFile;  // absolute path of the .k file
  std::string KernelName;  // the file's stem, e.g. fnv1a
  std::string Entry;       // the entry function
  std::string Source;      // the kernel's text
  /// Tools, work directory, processes, iterations, workload and size: the
  /// timed rungs run through compare::runKernel with a copy of this.
  compare::Config Base;
  /// The workload's size value n: "per kernel operation" means per unit of
  /// n (per input byte, per record, per element...).
  int64_t Operations = 1;
  std::string OperationUnit = "op";  // e.g. "byte", from the workload
};

/// One rung of the ladder.
struct Rung {
  std::string Name;     // "native -O2", "V8 Maglev", ...
  std::string Runtime;  // native, v8, cpython
  std::string How;      // the flags or options that pin the rung
  /// The timed run (time per call, per-iteration series); empty when the
  /// rung could not be measured, and Missing says why (e.g. "this V8 has
  /// no Maglev"). A rung is never faked.
  std::optional<compare::ImplResult> Result;
  std::string Missing;
};

/// One sentence in plain words backed by a number measured in this run.
struct Finding {
  std::string Runtime;  // native, v8, cpython, or "all"
  std::string Text;
};

/// A code listing for the HTML page's side-by-side panes.
struct Pane {
  std::string Id;        // unique, e.g. "llvm-ir", "v8-bytecode-fnv1a"
  std::string Title;
  std::string Language;  // kernel, llvm, asm, v8-bytecode, v8-code, py-bytecode
  std::string Text;
  /// For every line of Text (index 0 = line 1), the kernel source line it
  /// comes from, or 0 when the runtime gives no position.
  std::vector<unsigned> SourceLines;
};

/// A tier change or a deopt of one function, on the iteration axis.
struct TimelineEvent {
  std::string Function;
  std::string Kind;  // "tier" or "deopt"
  std::string Tier;  // tier reached (tier) or tier left (deopt)
  /// The timed sample (in-process iteration, 0-based) during which the
  /// event happened; -1 when it happened before the first sample
  /// (calibration, warm-up calls).
  int Iteration = -1;
  std::string Reason;  // deopt reason, or the tier-up trigger if known
  unsigned SourceLine = 0;  // kernel source line, 0 when unknown
  double TimeMs = 0;        // since the runner started, when known
};

struct RuntimeExplanation {
  std::vector<Rung> Rungs;
  std::vector<Finding> Findings;
  std::vector<Pane> Panes;
  std::vector<TimelineEvent> Timeline;
  /// Runtime-specific numbers for the JSON report: bytecode and code sizes,
  /// the opcode histogram, remarks counts...
  llvm::json::Object Facts;
};

llvm::Expected<RuntimeExplanation> explainNative(const Context &C,
                                                 llvm::raw_ostream &Progress);
llvm::Expected<RuntimeExplanation> explainV8(const Context &C,
                                             llvm::raw_ostream &Progress);
llvm::Expected<RuntimeExplanation> explainCPython(const Context &C,
                                                  llvm::raw_ostream &Progress);

/// The whole explanation of one kernel: the ladder in rung order, then
/// every runtime's findings, panes and timeline.
struct Explanation {
  Context Ctx;
  std::vector<Rung> Ladder;
  std::vector<RuntimeExplanation> Parts;  // in ladder order
  std::vector<std::string> PartNames;     // native, v8, cpython, per Parts
  std::vector<std::string> PartErrors;    // "v8: why it could not run"
  std::vector<Finding> CrossFindings;     // comparisons across runtimes
};

enum class Part { Native, V8, CPython };
llvm::StringRef partName(Part P);  // native, v8, cpython
/// "native,v8,cpython" (any order, no repeats) -> parts in ladder order.
llvm::Expected<std::vector<Part>> parsePartList(llvm::StringRef List);

struct Options {
  std::vector<Part> Parts = {Part::Native, Part::V8, Part::CPython};
};

/// Runs the runtime parts on one kernel. Errors only for what stops the
/// whole kernel (it does not compile, no such workload); a failing part is
/// recorded in PartErrors and the others still run.
llvm::Expected<Explanation> explainKernel(llvm::StringRef File,
                                          const compare::Config &Base,
                                          const Options &Opts,
                                          llvm::raw_ostream &Progress);

/// A rung's time per call in ns, and per kernel operation.
std::optional<stats::Interval> rungTime(const Rung &R);
std::optional<stats::Interval> perOperation(const Explanation &E,
                                            const stats::Interval &PerCall);
/// The rung's time over the measured rung above it (slowdown factor), with
/// a bootstrap interval over process executions; empty for the first
/// measured rung or an unmeasured one.
std::optional<stats::Interval> factorToRungAbove(const Explanation &E,
                                                 size_t Index);

} // namespace explain
} // namespace kc

#endif
