//===- Changepoint.cpp - PELT changepoints and Tukey outliers -------------===//
//
// PELT (Killick, Fearnhead & Eckley 2012) minimises
//   sum over segments of C(segment) + Penalty * (#segments - 1)
// exactly, by dynamic programming over the start of the last segment, and
// prunes start positions that can never win again. C is the normal -2
// log-likelihood at the segment's fitted mean and variance, as in R's
// cpt.meanvar: L * (log(2 pi) + log(var) + 1). Pruning fails on stationary
// stretches, where the work grows as n^2, so long series are solved on a
// coarse grid first and then exactly near the changepoints it finds.
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

namespace {

/// Floor of a segment's variance relative to its mean. Repeated timer values
/// make runs of identical times; an unfloored variance of 0 would make their
/// cost -infinity and carve every such run into a segment. 0.1% of the mean
/// is below the noise of real timings, and being relative it keeps the cost
/// invariant under scaling the series (R floors at an absolute 1e-11).
constexpr double RelVarianceFloor = 1e-3;

/// Cost of any segment [B, E) in O(1) from prefix sums.
class SegmentCost {
public:
  explicit SegmentCost(ArrayRef<double> X)
      : Sum(X.size() + 1), SumSq(X.size() + 1) {
    // Shifting by the mean before squaring avoids the cancellation in
    // sum(x^2) - sum(x)^2 / L when times are large and their spread small.
    Shift = X.empty() ? 0 : mean(X);
    for (size_t I = 0; I < X.size(); ++I) {
      double D = X[I] - Shift;
      Sum[I + 1] = Sum[I] + D;
      SumSq[I + 1] = SumSq[I] + D * D;
    }
  }

  double operator()(size_t B, size_t E) const {
    assert(B < E && "empty segment");
    double L = double(E - B);
    double M = (Sum[E] - Sum[B]) / L;
    double Var = (SumSq[E] - SumSq[B]) / L - M * M;
    double Floor = RelVarianceFloor * (M + Shift);
    Var = std::max({Var, Floor * Floor, std::numeric_limits<double>::min()});
    return L * (Log2PiPlus1 + std::log(Var));
  }

private:
  static constexpr double Log2PiPlus1 = 2.8378770664093453; // log(2 pi) + 1
  std::vector<double> Sum, SumSq;
  double Shift;
};

/// PELT where segments may only begin at Pos[0..G-1] (Pos[0] = 0 and
/// Pos[G] = n, ascending). Returns the indices into Pos of the changepoints.
std::vector<size_t> pelt(const SegmentCost &Cost, ArrayRef<size_t> Pos,
                         size_t MinSegment, double Penalty) {
  size_t G = Pos.size() - 1;
  constexpr double Inf = std::numeric_limits<double>::infinity();
  // F[T]: optimal cost of Pos[0..T) plus Penalty per segment; F[0] = -Penalty
  // so that a single segment pays nothing. Infinite where no segmentation
  // with MinSegment-long segments ends at T.
  std::vector<double> F(G + 1, Inf);
  std::vector<size_t> Prev(G + 1, 0);
  F[0] = -Penalty;

  std::vector<size_t> Cands;
  std::vector<double> Vals;
  size_t NextCand = 0;
  for (size_t T = 1; T <= G; ++T) {
    // A start becomes a candidate once the segment from it to T is long
    // enough; this stays true for every later T.
    while (NextCand < T && Pos[T] - Pos[NextCand] >= MinSegment) {
      if (F[NextCand] != Inf)
        Cands.push_back(NextCand);
      ++NextCand;
    }
    if (Cands.empty())
      continue;

    Vals.resize(Cands.size());
    double Best = Inf;
    size_t BestS = 0;
    for (size_t I = 0; I < Cands.size(); ++I) {
      size_t S = Cands[I];
      Vals[I] = F[S] + Cost(Pos[S], Pos[T]);
      if (Vals[I] < Best) {
        Best = Vals[I];
        BestS = S;
      }
    }
    F[T] = Best + Penalty;
    Prev[T] = BestS;

    // Killick et al.'s pruning with K = 0 (valid for a log-likelihood cost):
    // a start whose cost already exceeds F[T] can never be the best start
    // again, because T itself will always be a cheaper one.
    size_t Kept = 0;
    for (size_t I = 0; I < Cands.size(); ++I)
      if (Vals[I] <= F[T])
        Cands[Kept++] = Cands[I];
    Cands.resize(Kept);
  }

  std::vector<size_t> Result;
  if (F[G] == Inf)
    return Result; // Shorter than MinSegment: one segment, no changepoint.
  for (size_t T = Prev[G]; T != 0; T = Prev[T])
    Result.push_back(T);
  std::reverse(Result.begin(), Result.end());
  return Result;
}

} // namespace

std::vector<size_t> changepoints(ArrayRef<double> Series,
                                 const PeltOptions &Opts) {
  size_t N = Series.size();
  if (N < 2)
    return {};
  size_t MinSegment = std::max<size_t>(Opts.MinSegment, 1);
  double Penalty = Opts.Penalty > 0 ? Opts.Penalty : 15.0 * std::log(double(N));
  size_t MaxPositions = std::max<size_t>(Opts.MaxPositions, 1);
  size_t Stride = (N + MaxPositions - 1) / MaxPositions;

  SegmentCost Cost(Series);
  std::vector<size_t> Pos;
  for (size_t P = 0; P < N; P += Stride)
    Pos.push_back(P);
  Pos.push_back(N);
  std::vector<size_t> Cps = pelt(Cost, Pos, MinSegment, Penalty);
  for (size_t &C : Cps)
    C = Pos[C];
  if (Stride == 1)
    return Cps;

  // Solve again, exactly, with changepoints allowed at every iteration near
  // those of the grid solution. Merely moving each one to its best nearby
  // iteration is not enough: a change inside a grid block makes the coarse
  // solution cut that mixed block out as a short segment of its own, and
  // removing the extra changepoint needs the other to move at the same time.
  size_t Radius = 2 * Stride;
  Pos.assign(1, 0);
  for (size_t C : Cps)
    for (size_t P = C > Radius ? C - Radius : 1; P < N && P <= C + Radius; ++P)
      if (P > Pos.back())
        Pos.push_back(P);
  Pos.push_back(N);
  Cps = pelt(Cost, Pos, MinSegment, Penalty);
  for (size_t &C : Cps)
    C = Pos[C];
  return Cps;
}

std::vector<size_t> outliers(ArrayRef<double> Series, size_t Window) {
  std::vector<size_t> Result;
  size_t N = Series.size();
  size_t Half = Window / 2;
  if (Half == 0 || N <= Half)
    return Result;

  // The window of iteration I is [I - Half, min(N, I + Half)); it slides by
  // one each step, so a sorted copy updated by one insertion and one erasure
  // gives its percentiles in O(Window) per iteration.
  std::vector<double> Sorted(Series.begin(),
                             Series.begin() + std::min(N, 2 * Half));
  std::sort(Sorted.begin(), Sorted.end());
  auto Quantile = [&](double P) {
    double H = P * double(Sorted.size() - 1);
    size_t Lo = size_t(H);
    size_t Hi = std::min(Lo + 1, Sorted.size() - 1);
    return Sorted[Lo] + (H - double(Lo)) * (Sorted[Hi] - Sorted[Lo]);
  };
  for (size_t I = Half; I < N; ++I) {
    if (I > Half) {
      auto Old =
          std::lower_bound(Sorted.begin(), Sorted.end(), Series[I - Half - 1]);
      Sorted.erase(Old);
      if (I + Half <= N) {
        double New = Series[I + Half - 1];
        Sorted.insert(std::upper_bound(Sorted.begin(), Sorted.end(), New), New);
      }
    }
    double Median = Quantile(0.5);
    double Band =
        std::max(3 * (Quantile(0.9) - Quantile(0.1)), 0.01 * std::fabs(Median));
    if (std::fabs(Series[I] - Median) > Band)
      Result.push_back(I);
  }
  return Result;
}

} // namespace stats
} // namespace kc
