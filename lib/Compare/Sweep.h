//===- Sweep.h - rtcompare sweep: how cost grows with input size -*- C++ -*-===//
//
// Runs one kernel at a list of explicit workload sizes on every selected
// implementation (each size is a full rtcompare run: agreement first, then
// interleaved process executions), then fits, per implementation, time per
// call against size: a power law t = c * N^k (the exponent with a bootstrap
// interval across process executions and R^2 on the log-log scale) and
// Google Benchmark's complexity classes (O(1) .. O(N^3), best first, with the
// relative RMS misfit its complexity report prints).
//
//===----------------------------------------------------------------------===//

#ifndef KC_COMPARE_SWEEP_H
#define KC_COMPARE_SWEEP_H

#include "Compare/Compare.h"

namespace kc {
namespace compare {

/// "1000,10k,1M": positive sizes, with optional decimal suffixes k (10^3),
/// M (10^6) and G (10^9) and '_' separators; at least two distinct values.
/// Returned ascending, without duplicates.
llvm::Expected<std::vector<int64_t>> parseSizeList(llvm::StringRef List);

/// How one implementation's time per call grows over the sizes it completed.
struct Growth {
  ImplKind Kind;
  std::vector<int64_t> Sizes;          // the sizes it completed, ascending
  std::vector<double> NsPerCall;       // the steady-state mean at each
  std::optional<stats::Interval> Exponent;
  double RSquared = 0;
  std::vector<stats::ComplexityFit> Classes;  // best first
  /// Why there is no fit (fewer than two completed sizes), else empty.
  std::string Note;
};

struct SweepResult {
  std::string Kernel, File, Workload;
  std::vector<int64_t> Sizes;
  std::vector<KernelResult> Points;  // one per size, in Sizes order
  std::vector<Growth> Growths;       // one per implementation, report order
  /// Every implementation agreed and completed at every size.
  bool ok() const;
};

/// Cfg's size class is ignored: each size of \p Sizes is run in turn.
llvm::Expected<SweepResult> runSweep(llvm::StringRef File, const Config &Cfg,
                                     llvm::ArrayRef<int64_t> Sizes,
                                     llvm::raw_ostream &Progress);

/// Fits one implementation's growth from its per-size results (exposed for
/// tests: it is pure).
Growth fitGrowth(ImplKind Kind, llvm::ArrayRef<int64_t> Sizes,
                 llvm::ArrayRef<KernelResult> Points, uint64_t Seed);

void printSweep(const SweepResult &R, llvm::raw_ostream &OS);
void writeSweepJSON(const SweepResult &R, llvm::raw_ostream &OS);
/// kernel,workload,implementation,size,ns_per_call,low,high,status
void writeSweepCSV(const SweepResult &R, llvm::raw_ostream &OS);

} // namespace compare
} // namespace kc

#endif
