//===- Bootstrap.cpp - Percentile-bootstrap intervals and the Random PRNG -===//
//
// Every interval is a percentile bootstrap: resample the independent units
// with replacement, recompute the statistic, and take the (1 - Confidence)/2
// and (1 + Confidence)/2 quantiles of the recomputed values. Units carry a
// sum and a count, so a unit can be one value (a process execution's mean)
// or a block of consecutive iterations, and the statistic is always the
// mean of everything resampled.
//
//===----------------------------------------------------------------------===//

#include "Stats/Stats.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace llvm;

namespace kc {
namespace stats {

//===----------------------------------------------------------------------===//
// Random
//===----------------------------------------------------------------------===//

// The generator is lib/Bench's xoshiro256** (seeded through splitmix64):
// one implementation of the algorithm in the project.
Random::Random(uint64_t Seed) : Gen(Seed) {}

uint64_t Random::next() { return Gen.next(); }

uint64_t Random::below(uint64_t N) {
  assert(N > 0 && "empty range");
  // Lemire's multiply-and-shift, with the rejection step that makes it
  // exactly uniform (a plain modulo favours small values).
  unsigned __int128 M = (unsigned __int128)next() * N;
  uint64_t Low = uint64_t(M);
  if (Low < N) {
    uint64_t Threshold = (0 - N) % N;
    while (Low < Threshold) {
      M = (unsigned __int128)next() * N;
      Low = uint64_t(M);
    }
  }
  return uint64_t(M >> 64);
}

double Random::uniform() { return double(next() >> 11) * 0x1.0p-53; }

double Random::normal() {
  double U1 = 1.0 - uniform(); // (0, 1]: log(0) is not an option.
  double U2 = uniform();
  return std::sqrt(-2.0 * std::log(U1)) * std::cos(6.283185307179586 * U2);
}

//===----------------------------------------------------------------------===//
// Resampling
//===----------------------------------------------------------------------===//

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

/// Most blocks a single execution is cut into. Enough for the percentiles
/// of the resampled means to be smooth; few enough that each block is long
/// compared with the period of GC or JIT activity.
constexpr size_t MaxBlocks = 64;

struct Units {
  std::vector<double> Sum;
  std::vector<double> Count;

  size_t size() const { return Sum.size(); }
  double mean() const {
    double S = 0, C = 0;
    for (size_t I = 0; I < size(); ++I) {
      S += Sum[I];
      C += Count[I];
    }
    return S / C;
  }
  /// The mean of one resample of the units (all of them when fewer than two:
  /// a lone unit has nothing to vary).
  double resampleMean(Random &Rng) const {
    if (size() < 2)
      return mean();
    double S = 0, C = 0;
    for (size_t I = 0; I < size(); ++I) {
      size_t J = Rng.below(size());
      S += Sum[J];
      C += Count[J];
    }
    return S / C;
  }
};

Units valueUnits(ArrayRef<double> Values) {
  Units U;
  U.Sum.assign(Values.begin(), Values.end());
  U.Count.assign(Values.size(), 1.0);
  return U;
}

/// Consecutive iterations of one execution in min(n, MaxBlocks) blocks
/// whose lengths differ by at most one.
Units blockUnits(ArrayRef<double> Iterations) {
  Units U;
  size_t N = Iterations.size();
  size_t K = std::min(N, MaxBlocks);
  for (size_t B = 0; B < K; ++B) {
    size_t Begin = B * N / K, End = (B + 1) * N / K;
    double S = 0;
    for (size_t I = Begin; I < End; ++I)
      S += Iterations[I];
    U.Sum.push_back(S);
    U.Count.push_back(double(End - Begin));
  }
  return U;
}

/// Units for one implementation: a value per execution, or blocks of the
/// only execution there is.
Units executionUnits(ArrayRef<ArrayRef<double>> Execs, bool &Single) {
  std::vector<double> Means;
  ArrayRef<double> Only;
  for (ArrayRef<double> E : Execs) {
    if (E.empty())
      continue;
    Means.push_back(stats::mean(E));
    Only = E;
  }
  Single = Means.size() == 1;
  return Single ? blockUnits(Only) : valueUnits(Means);
}

Interval nanInterval() {
  Interval R;
  R.Estimate = R.Low = R.High = NaN;
  R.Degenerate = true;
  return R;
}

/// The percentile interval of mean(Num) (or mean(Num) / mean(Den) when Den
/// is given) over Opts.Resamples resamples.
Interval bootstrap(const Units &Num, const Units *Den,
                   const BootstrapOptions &Opts) {
  if (Num.size() == 0 || (Den && Den->size() == 0))
    return nanInterval();
  Interval R;
  R.Estimate = Den ? Num.mean() / Den->mean() : Num.mean();
  R.Low = R.High = R.Estimate;
  R.Degenerate = Num.size() < 2 && (!Den || Den->size() < 2);
  if (R.Degenerate)
    return R;

  assert(Opts.Resamples > 0 && "no resamples");
  assert(Opts.Confidence > 0 && Opts.Confidence < 1 &&
         "confidence not in (0, 1)");
  Random Rng(Opts.Seed);
  std::vector<double> Stats(std::max(Opts.Resamples, 1u));
  for (double &S : Stats) {
    S = Num.resampleMean(Rng);
    if (Den)
      S /= Den->resampleMean(Rng);
  }
  double Alpha = 1 - Opts.Confidence;
  R.Low = quantile(Stats, Alpha / 2);
  R.High = quantile(Stats, 1 - Alpha / 2);
  return R;
}

} // namespace

Interval bootstrapMean(ArrayRef<double> Values, const BootstrapOptions &Opts) {
  return bootstrap(valueUnits(Values), nullptr, Opts);
}

Interval bootstrapRatio(ArrayRef<double> Num, ArrayRef<double> Den,
                        const BootstrapOptions &Opts) {
  Units D = valueUnits(Den);
  return bootstrap(valueUnits(Num), &D, Opts);
}

Interval bootstrapGeometricMean(ArrayRef<double> Values,
                                const BootstrapOptions &Opts) {
  std::vector<double> Logs;
  for (double V : Values) {
    if (!(V > 0))
      return nanInterval();
    Logs.push_back(std::log(V));
  }
  Interval R = bootstrapMean(Logs, Opts);
  R.Estimate = std::exp(R.Estimate);
  R.Low = std::exp(R.Low);
  R.High = std::exp(R.High);
  return R;
}

Interval steadyStateInterval(ArrayRef<ArrayRef<double>> Execs,
                             const BootstrapOptions &Opts) {
  bool Single;
  Units U = executionUnits(Execs, Single);
  Interval R = bootstrap(U, nullptr, Opts);
  R.SingleExecution = Single;
  return R;
}

Interval steadyStateRatio(ArrayRef<ArrayRef<double>> NumExecs,
                          ArrayRef<ArrayRef<double>> DenExecs,
                          const BootstrapOptions &Opts) {
  bool NumSingle, DenSingle;
  Units Num = executionUnits(NumExecs, NumSingle);
  Units Den = executionUnits(DenExecs, DenSingle);
  Interval R = bootstrap(Num, &Den, Opts);
  R.SingleExecution = NumSingle || DenSingle;
  return R;
}

} // namespace stats
} // namespace kc

namespace kc {
namespace stats {

Expected<Interval>
bootstrapPowerLawExponent(ArrayRef<double> Sizes,
                          ArrayRef<std::vector<double>> Samples,
                          const BootstrapOptions &Opts) {
  if (Sizes.size() != Samples.size())
    return createStringError(inconvertibleErrorCode(),
                             "power-law fit: got %zu sizes but %zu samples",
                             Sizes.size(), Samples.size());
  std::vector<double> Means;
  bool AnySpread = false;
  for (const std::vector<double> &S : Samples) {
    Means.push_back(mean(S));
    AnySpread |= S.size() >= 2;
  }
  Expected<PowerFit> Fit = fitPowerLaw(Sizes, Means);
  if (!Fit)
    return Fit.takeError();
  Interval R;
  R.Estimate = R.Low = R.High = Fit->Exponent;
  R.Degenerate = !AnySpread;
  if (R.Degenerate)
    return R;
  Random Rng(Opts.Seed);
  std::vector<double> Exponents;
  Exponents.reserve(Opts.Resamples);
  std::vector<double> Resampled(Sizes.size());
  for (unsigned I = 0; I < std::max(Opts.Resamples, 1u); ++I) {
    for (size_t J = 0; J < Samples.size(); ++J) {
      double Sum = 0;
      for (size_t K = 0; K < Samples[J].size(); ++K)
        Sum += Samples[J][Rng.below(Samples[J].size())];
      Resampled[J] = Sum / double(Samples[J].size());
    }
    // Resampled means of positive times stay positive, so the fit cannot
    // fail where the estimate's did not.
    Expected<PowerFit> F = fitPowerLaw(Sizes, Resampled);
    if (!F)
      return F.takeError();
    Exponents.push_back(F->Exponent);
  }
  double Alpha = 1 - Opts.Confidence;
  R.Low = quantile(Exponents, Alpha / 2);
  R.High = quantile(Exponents, 1 - Alpha / 2);
  return R;
}

} // namespace stats
} // namespace kc
