//===- Classify.cpp - Warm-up classification of one process execution -----===//
//
// Barrett et al. classify a series by comparing every segment with the last
// one. Their tolerance ("delta": 1 ms or a percentage of the fastest
// segment, widened by the segment variance in s^2) is made for iterations of
// about a second; ours are nanoseconds per call, where an absolute delta
// means nothing and a variance has the wrong unit. We keep their structure
// and make the tolerance relative and statistical (see ClassifyOptions):
//  - 1% of the steady mean: smaller differences do not change a report;
//  - 2 standard errors of the difference of the two means, both measured
//    with the last segment's spread. This asks "could this segment's mean
//    come from the steady state?". Using the segment's own spread instead
//    (Welch) would let the short, wildly varying segments of a JIT's first
//    iterations excuse themselves and hide exactly the warm-up we look for.
//
//===----------------------------------------------------------------------===//

#include "Stats/Stats.h"

#include "llvm/Support/ErrorHandling.h"
#include <algorithm>
#include <cmath>
#include <limits>

using namespace llvm;

namespace kc {
namespace stats {

StringRef className(WarmupClass C) {
  switch (C) {
  case WarmupClass::Flat:
    return "flat";
  case WarmupClass::Warmup:
    return "warm-up";
  case WarmupClass::Slowdown:
    return "slowdown";
  case WarmupClass::NoSteadyState:
    return "no steady state";
  }
  llvm_unreachable("unknown warm-up class");
}

Classification classify(ArrayRef<double> Series, const ClassifyOptions &Opts) {
  Classification R;
  size_t N = Series.size();
  if (N == 0) {
    R.SteadyMean = std::numeric_limits<double>::quiet_NaN();
    return R;
  }

  // Changepoints are found on the series without its outliers (Barrett et
  // al. do the same): one GC pause would otherwise become a segment, and a
  // segment late in the series reads as "no steady state".
  if (Opts.OutlierWindow)
    R.Outliers = outliers(Series, Opts.OutlierWindow);
  std::vector<size_t> Kept; // Original index of each kept iteration.
  std::vector<double> Clean;
  Kept.reserve(N - R.Outliers.size());
  Clean.reserve(N - R.Outliers.size());
  for (size_t I = 0, O = 0; I < N; ++I) {
    if (O < R.Outliers.size() && R.Outliers[O] == I) {
      ++O;
      continue;
    }
    Kept.push_back(I);
    Clean.push_back(Series[I]);
  }

  // Segments in kept-iteration indices, then mapped back: a segment begins
  // at its first kept iteration, so outliers join the segment before them.
  std::vector<size_t> Bounds = changepoints(Clean, Opts.Pelt);
  Bounds.insert(Bounds.begin(), 0);
  Bounds.push_back(Clean.size());
  std::vector<size_t> Counts;
  for (size_t I = 0; I + 1 < Bounds.size(); ++I) {
    ArrayRef<double> Part =
        ArrayRef<double>(Clean).slice(Bounds[I], Bounds[I + 1] - Bounds[I]);
    size_t Begin = I == 0 ? 0 : Kept[Bounds[I]];
    size_t End = I + 2 == Bounds.size() ? N : Kept[Bounds[I + 1]];
    R.Segments.push_back({Begin, End, mean(Part), stdDev(Part)});
    Counts.push_back(Part.size());
  }

  const Segment &Last = R.Segments.back();
  size_t LastCount = Counts.back();
  auto Equivalent = [&](size_t I) {
    double NoiseTol =
        Opts.NoiseSigmas * Last.StdDev *
        std::sqrt(1.0 / double(Counts[I]) + 1.0 / double(LastCount));
    double Tol = std::max({Opts.RelTolerance * std::fabs(Last.Mean),
                           Opts.AbsTolerance, NoiseTol});
    return std::fabs(R.Segments[I].Mean - Last.Mean) <= Tol;
  };

  bool AnyFaster = false, AnySlower = false;
  size_t LastChange = 0; // End of the latest segment not equivalent to Last.
  for (size_t I = 0; I + 1 < R.Segments.size(); ++I) {
    if (Equivalent(I))
      continue;
    LastChange = R.Segments[I].End;
    if (R.Segments[I].Mean < Last.Mean)
      AnyFaster = true;
    else
      AnySlower = true;
  }
  size_t SteadyWindow = size_t(std::ceil(Opts.SteadyFraction * double(N)));
  if (!AnyFaster && !AnySlower)
    R.Class = WarmupClass::Flat;
  else if (N - LastChange < SteadyWindow)
    R.Class = WarmupClass::NoSteadyState;
  else if (AnyFaster)
    R.Class = WarmupClass::Slowdown;
  else
    R.Class = WarmupClass::Warmup;

  size_t First = R.Segments.size() - 1;
  while (First > 0 && Equivalent(First - 1))
    --First;
  R.SteadyBegin = R.Segments[First].Begin;
  R.SteadyMean = mean(Series.drop_front(R.SteadyBegin));
  return R;
}

} // namespace stats
} // namespace kc
