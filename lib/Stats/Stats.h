//===- Stats.h - Warm-up analysis and intervals for timings -----*- C++ -*-===//
//
// rtcompare measures N process executions x M in-process iterations and gets
// one time per iteration (ns per call). This library turns those numbers into
// the statements a report makes:
//
//  - changepoints() splits one process execution's series where its mean or
//    variance changes (PELT with a normal mean-and-variance cost, as the R
//    changepoint package's cpt.meanvar used by Barrett et al., "Virtual
//    Machine Warmup Blows Hot and Cold", OOPSLA 2017);
//  - classify() names the shape of a series (flat / warm-up / slowdown / no
//    steady state) and where its steady state starts;
//  - bootstrap*() give percentile-bootstrap intervals for a steady-state mean
//    across process executions and for the ratio of two implementations;
//  - a few summaries (mean, median, geometric mean, power-law fit for sweeps).
//
// Everything is deterministic: randomness comes from Random, seeded by the
// caller, never from the environment.
//
//===----------------------------------------------------------------------===//

#ifndef KC_STATS_STATS_H
#define KC_STATS_STATS_H

#include "Bench/Workload.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstddef>
#include <cstdint>
#include <vector>

namespace kc {
namespace stats {

//===----------------------------------------------------------------------===//
// Summaries
//===----------------------------------------------------------------------===//

/// Arithmetic mean; NaN for an empty input.
double mean(llvm::ArrayRef<double> Values);
/// Median (mean of the two middle values for an even count); NaN if empty.
double median(llvm::ArrayRef<double> Values);
/// Sample standard deviation (n - 1 denominator); 0 for fewer than 2 values.
double stdDev(llvm::ArrayRef<double> Values);
/// The P-quantile (0 <= P <= 1) with linear interpolation between order
/// statistics (R's type 7, numpy's default); NaN if empty.
double quantile(llvm::ArrayRef<double> Values, double P);
/// exp(mean(log x)). NaN if empty or if any value is not positive: a
/// geometric mean of times or ratios is only meaningful for positive values.
double geometricMean(llvm::ArrayRef<double> Values);

/// Times = Coefficient * Sizes^Exponent, fitted by least squares on
/// log(time) against log(size). RSquared is measured on that log-log scale,
/// so it says how well a single power explains the growth (1 is perfect).
struct PowerFit {
  double Coefficient;
  double Exponent;
  double RSquared;
};
/// Fails unless both inputs have the same length, at least two points, only
/// positive values and at least two distinct sizes.
llvm::Expected<PowerFit> fitPowerLaw(llvm::ArrayRef<double> Sizes,
                                     llvm::ArrayRef<double> Times);

/// The asymptotic classes Google Benchmark's complexity report tries, in its
/// order: O(1), O(log N), O(N), O(N log N), O(N^2), O(N^3).
enum class Complexity { O1, OLogN, ON, ONLogN, ONSquared, ONCubed };
/// "O(1)", "O(log N)", "O(N)", "O(N log N)", "O(N^2)", "O(N^3)".
llvm::StringRef complexityName(Complexity C);
/// g(N) of the class (log base 2 for the logarithmic ones).
double complexityFunction(Complexity C, double N);

/// Times ~= Coefficient * g(Sizes) for one class, by least squares through
/// the origin. Rms is the root-mean-square residual divided by the mean
/// time: a relative misfit, as Google Benchmark reports it (0.05 = 5%).
struct ComplexityFit {
  Complexity Class;
  double Coefficient;
  double Rms;
};
/// Every class fitted, best (lowest Rms) first. Same input rules as
/// fitPowerLaw.
llvm::Expected<std::vector<ComplexityFit>>
fitComplexities(llvm::ArrayRef<double> Sizes, llvm::ArrayRef<double> Times);

//===----------------------------------------------------------------------===//
// Changepoints
//===----------------------------------------------------------------------===//

struct PeltOptions {
  /// Cost added per changepoint, on the scale of -2 log-likelihood (as R's
  /// pen.value). 0 (or negative) means 15 * log(n), Barrett et al.'s choice:
  /// far above BIC's 2 * log(n), so only changes that matter are reported.
  double Penalty = 0;
  /// Fewest iterations in a segment. 2 as R's cpt.meanvar: a segment of one
  /// iteration has no variance to estimate. Values below 1 act as 1.
  size_t MinSegment = 2;
  /// PELT is quadratic when a series has few changepoints (nothing can be
  /// pruned), so longer series are first solved with changepoints restricted
  /// to a grid of stride ceil(n / MaxPositions) iterations, then solved again
  /// with changepoints allowed at every iteration within two strides of
  /// those found. That gives the exact answer whenever the exact changepoints
  /// lie near the coarse ones. Series up to this length are solved exactly.
  size_t MaxPositions = 2048;
};

/// Indices (ascending, never 0) where a new segment begins in Series: the
/// minimiser of sum(segment costs) + Penalty * #changepoints, where a
/// segment's cost is its normal -2 log-likelihood at the fitted mean and
/// variance. Each segment's variance is floored at (1e-3 * its mean)^2 (and
/// at the smallest normal double), so constant runs of repeated timer values
/// neither produce infinities nor attract a changepoint of their own; the
/// floor is relative, so scaling a series scales nothing else.
std::vector<size_t> changepoints(llvm::ArrayRef<double> Series,
                                 const PeltOptions &Opts = {});

/// Indices of iterations that Tukey's rule, as used by Barrett et al., calls
/// outliers: outside median +- 3 * (90th - 10th percentile) of the Window
/// iterations centred on them (clamped at the ends). The band is never
/// narrower than 1% of the median, so quantised timings whose percentiles
/// coincide do not turn every other value into an outlier. The first
/// Window / 2 iterations are never outliers: that is where warm-up happens.
std::vector<size_t> outliers(llvm::ArrayRef<double> Series,
                             size_t Window = 200);

//===----------------------------------------------------------------------===//
// Warm-up classification
//===----------------------------------------------------------------------===//

enum class WarmupClass { Flat, Warmup, Slowdown, NoSteadyState };
/// "flat", "warm-up", "slowdown", "no steady state".
llvm::StringRef className(WarmupClass C);

/// Iterations [Begin, End) of a series. Mean and StdDev leave out outliers.
struct Segment {
  size_t Begin;
  size_t End;
  double Mean;
  double StdDev;
};

struct ClassifyOptions {
  PeltOptions Pelt;
  /// Two segment means are equivalent when they differ by at most the
  /// largest of RelTolerance * the last segment's mean, AbsTolerance (ns;
  /// e.g. the timer's resolution) and NoiseSigmas standard errors of the
  /// difference, measured with the last segment's standard deviation.
  double RelTolerance = 0.01;
  double AbsTolerance = 0;
  double NoiseSigmas = 2;
  /// A change between non-equivalent segments that leaves fewer than
  /// ceil(SteadyFraction * n) iterations after it means no steady state
  /// (Barrett et al.: a change in the last 500 of 2000 iterations).
  double SteadyFraction = 0.25;
  /// Outliers (see outliers()) are left out of changepoint detection and of
  /// segment statistics; 0 keeps every iteration.
  size_t OutlierWindow = 200;
};

struct Classification {
  WarmupClass Class = WarmupClass::Flat;
  /// Cover the series in order; empty only for an empty series.
  std::vector<Segment> Segments;
  /// First iteration of the steady state: the start of the longest run of
  /// segments at the end of the series that are all equivalent to the last
  /// one. It is the warm-up length (0 for a flat series). For NoSteadyState
  /// it still names that final run, the best estimate there is; the class
  /// says it should not be trusted.
  size_t SteadyBegin = 0;
  /// Mean of every iteration from SteadyBegin on, outliers included: a GC
  /// pause or a page fault in the steady state is part of its cost. NaN for
  /// an empty series.
  double SteadyMean = 0;
  /// Sorted indices of the iterations left out as outliers.
  std::vector<size_t> Outliers;
};

/// Classifies one process execution's per-iteration series, following
/// Barrett et al.: every segment is compared with the last one; with none
/// non-equivalent the series is Flat. Otherwise, in order of precedence, it
/// is NoSteadyState if the last such change leaves too few iterations (see
/// SteadyFraction), Slowdown if a non-equivalent segment is faster than the
/// last, and Warmup if all non-equivalent segments are slower.
Classification classify(llvm::ArrayRef<double> Series,
                        const ClassifyOptions &Opts = {});

//===----------------------------------------------------------------------===//
// Bootstrap intervals
//===----------------------------------------------------------------------===//

/// xoshiro256** seeded through splitmix64: small, fast, and the same numbers
/// on every platform and standard library (std::*_distribution are not).
class Random {
public:
  explicit Random(uint64_t Seed);
  uint64_t next();
  /// Uniform in [0, N); N > 0.
  uint64_t below(uint64_t N);
  /// Uniform in [0, 1).
  double uniform();
  /// Standard normal (Box-Muller, one draw per call).
  double normal();

private:
  bench::Rng Gen;
};

struct BootstrapOptions {
  unsigned Resamples = 10000;
  /// Two-sided coverage of the percentile interval, in (0, 1).
  double Confidence = 0.95;
  uint64_t Seed = 1;
};

/// Estimate with a percentile-bootstrap interval [Low, High].
struct Interval {
  double Estimate = 0;
  double Low = 0;
  double High = 0;
  /// Fewer than two values to resample: Low == High == Estimate, which says
  /// nothing about uncertainty. (Two or more identical values give a zero
  /// width interval that is not flagged: the data showed no spread.)
  bool Degenerate = false;
  /// Built from the iterations of a single process execution, so it misses
  /// the variation between executions and is typically too narrow.
  bool SingleExecution = false;
};

/// The mean of Values with its interval. Values are independent units,
/// normally one steady-state mean per process execution. Empty input gives
/// NaN everywhere with Degenerate set. Cost: Resamples x Values.size().
Interval bootstrapMean(llvm::ArrayRef<double> Values,
                       const BootstrapOptions &Opts = {});

/// mean(Num) / mean(Den) with its interval, resampling the two sides
/// independently (they are different implementations' process executions).
/// Degenerate only if both sides have fewer than two values; NaN everywhere
/// if either is empty. Values are times, so positive.
Interval bootstrapRatio(llvm::ArrayRef<double> Num, llvm::ArrayRef<double> Den,
                        const BootstrapOptions &Opts = {});

/// Geometric mean with its interval (the bootstrap of the mean of logs,
/// mapped back: percentile intervals follow monotone maps). Positive values.
Interval bootstrapGeometricMean(llvm::ArrayRef<double> Values,
                                const BootstrapOptions &Opts = {});

/// The steady-state mean of one implementation; Execs holds each process
/// execution's steady-state iterations (Series[SteadyBegin:]). With two or
/// more executions this is bootstrapMean of their means, each execution
/// weighing the same. With one, the only variation left is within that
/// execution: its iterations are resampled in up to 64 contiguous blocks of
/// equal length (+-1), since consecutive iterations are correlated (GC, JIT
/// and cache cycles) and resampling them one by one would understate the
/// uncertainty; SingleExecution is set. Empty executions are skipped.
Interval steadyStateInterval(llvm::ArrayRef<llvm::ArrayRef<double>> Execs,
                             const BootstrapOptions &Opts = {});

/// Ratio of two implementations' steady-state means (Num / Den), each side
/// resampled as in steadyStateInterval. SingleExecution if either side has
/// only one execution.
Interval steadyStateRatio(llvm::ArrayRef<llvm::ArrayRef<double>> NumExecs,
                          llvm::ArrayRef<llvm::ArrayRef<double>> DenExecs,
                          const BootstrapOptions &Opts = {});

/// The growth exponent of fitPowerLaw with its interval: at each size,
/// Samples[i] holds the independent units (one steady-state mean per process
/// execution); each resample redraws every size's units with replacement and
/// refits the exponent on the means. Degenerate when no size has two units.
llvm::Expected<Interval>
bootstrapPowerLawExponent(llvm::ArrayRef<double> Sizes,
                          llvm::ArrayRef<std::vector<double>> Samples,
                          const BootstrapOptions &Opts = {});

} // namespace stats
} // namespace kc

#endif // KC_STATS_STATS_H
