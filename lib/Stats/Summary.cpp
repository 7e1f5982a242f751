//===- Summary.cpp - Means, quantiles and the power-law fit ---------------===//
//
// The plain statistics used by the rest of the library and by rtcompare's
// reports. Empty inputs give NaN rather than asserting: a report prints
// "nan" for a runtime that produced no numbers instead of crashing.
//
//===----------------------------------------------------------------------===//

#include "Stats/Stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace llvm;

namespace kc {
namespace stats {

static constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

double mean(ArrayRef<double> Values) {
  if (Values.empty())
    return NaN;
  double Sum = 0;
  for (double V : Values)
    Sum += V;
  return Sum / double(Values.size());
}

double median(ArrayRef<double> Values) { return quantile(Values, 0.5); }

double stdDev(ArrayRef<double> Values) {
  if (Values.size() < 2)
    return 0;
  // Two passes: sum((x - mean)^2) does not cancel the way
  // sum(x^2) - n * mean^2 does for large times with a small spread.
  double M = mean(Values);
  double SumSq = 0;
  for (double V : Values)
    SumSq += (V - M) * (V - M);
  return std::sqrt(SumSq / double(Values.size() - 1));
}

double quantile(ArrayRef<double> Values, double P) {
  if (Values.empty())
    return NaN;
  P = std::min(std::max(P, 0.0), 1.0);
  std::vector<double> Sorted(Values.begin(), Values.end());
  double H = P * double(Sorted.size() - 1);
  size_t Lo = size_t(H);
  size_t Hi = std::min(Lo + 1, Sorted.size() - 1);
  // Only the two order statistics around H are needed.
  std::nth_element(Sorted.begin(), Sorted.begin() + Lo, Sorted.end());
  double VLo = Sorted[Lo];
  double VHi =
      Hi == Lo ? VLo : *std::min_element(Sorted.begin() + Hi, Sorted.end());
  return VLo + (H - double(Lo)) * (VHi - VLo);
}

double geometricMean(ArrayRef<double> Values) {
  if (Values.empty())
    return NaN;
  double SumLog = 0;
  for (double V : Values) {
    if (!(V > 0))
      return NaN;
    SumLog += std::log(V);
  }
  return std::exp(SumLog / double(Values.size()));
}

static Error fitError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), "power-law fit: " + Msg);
}

Expected<PowerFit> fitPowerLaw(ArrayRef<double> Sizes, ArrayRef<double> Times) {
  if (Sizes.size() != Times.size())
    return fitError("got " + Twine(Sizes.size()) + " sizes but " +
                    Twine(Times.size()) + " times");
  if (Sizes.size() < 2)
    return fitError("needs at least two points");
  std::vector<double> LX, LY;
  for (size_t I = 0; I < Sizes.size(); ++I) {
    if (!(Sizes[I] > 0) || !(Times[I] > 0))
      return fitError("sizes and times must be positive");
    LX.push_back(std::log(Sizes[I]));
    LY.push_back(std::log(Times[I]));
  }
  double MX = mean(LX), MY = mean(LY);
  double Sxx = 0, Sxy = 0, Syy = 0;
  for (size_t I = 0; I < LX.size(); ++I) {
    Sxx += (LX[I] - MX) * (LX[I] - MX);
    Sxy += (LX[I] - MX) * (LY[I] - MY);
    Syy += (LY[I] - MY) * (LY[I] - MY);
  }
  if (!(Sxx > 0))
    return fitError("needs at least two distinct sizes");
  PowerFit Fit;
  Fit.Exponent = Sxy / Sxx;
  Fit.Coefficient = std::exp(MY - Fit.Exponent * MX);
  // Residual sum of squares of a least-squares line is Syy - Sxy^2 / Sxx.
  // Constant times are fitted exactly (exponent 0): call that R^2 = 1.
  double Rss = std::max(Syy - Sxy * Sxy / Sxx, 0.0);
  Fit.RSquared = Syy > 0 ? 1 - Rss / Syy : 1;
  return Fit;
}

StringRef complexityName(Complexity C) {
  switch (C) {
  case Complexity::O1:
    return "O(1)";
  case Complexity::OLogN:
    return "O(log N)";
  case Complexity::ON:
    return "O(N)";
  case Complexity::ONLogN:
    return "O(N log N)";
  case Complexity::ONSquared:
    return "O(N^2)";
  case Complexity::ONCubed:
    return "O(N^3)";
  }
  llvm_unreachable("unknown complexity class");
}

double complexityFunction(Complexity C, double N) {
  switch (C) {
  case Complexity::O1:
    return 1;
  case Complexity::OLogN:
    return std::log2(N);
  case Complexity::ON:
    return N;
  case Complexity::ONLogN:
    return N * std::log2(N);
  case Complexity::ONSquared:
    return N * N;
  case Complexity::ONCubed:
    return N * N * N;
  }
  llvm_unreachable("unknown complexity class");
}

Expected<std::vector<ComplexityFit>> fitComplexities(ArrayRef<double> Sizes,
                                                     ArrayRef<double> Times) {
  // The same preconditions as the power law, so both fits describe the
  // same points.
  if (Expected<PowerFit> P = fitPowerLaw(Sizes, Times); !P)
    return P.takeError();
  double MeanTime = mean(Times);
  std::vector<ComplexityFit> Fits;
  for (Complexity C :
       {Complexity::O1, Complexity::OLogN, Complexity::ON, Complexity::ONLogN,
        Complexity::ONSquared, Complexity::ONCubed}) {
    double SumGT = 0, SumGG = 0;
    for (size_t I = 0; I < Sizes.size(); ++I) {
      double G = complexityFunction(C, Sizes[I]);
      SumGT += G * Times[I];
      SumGG += G * G;
    }
    // log2(1) = 0: a class that is zero at every size fits nothing.
    if (!(SumGG > 0))
      continue;
    double Coef = SumGT / SumGG;
    double SumSq = 0;
    for (size_t I = 0; I < Sizes.size(); ++I) {
      double R = Times[I] - Coef * complexityFunction(C, Sizes[I]);
      SumSq += R * R;
    }
    Fits.push_back(
        {C, Coef, std::sqrt(SumSq / double(Sizes.size())) / MeanTime});
  }
  // Stable: on a tie the simpler class (listed first) wins.
  std::stable_sort(Fits.begin(), Fits.end(),
                   [](const ComplexityFit &A, const ComplexityFit &B) {
                     return A.Rms < B.Rms;
                   });
  return Fits;
}

} // namespace stats
} // namespace kc
