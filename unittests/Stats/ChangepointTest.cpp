//===- ChangepointTest.cpp - PELT and outliers on synthetic series --------===//
//
// Every series is generated from a fixed seed, so each expectation below is
// checked against the same numbers on every run and every platform.
//
//===----------------------------------------------------------------------===//

#include "Stats/Stats.h"

#include "gtest/gtest.h"
#include <cmath>

using namespace kc::stats;

namespace {

/// Appends N draws of Normal(Mean, Sd) to V.
void addNoise(std::vector<double> &V, size_t N, double Mean, double Sd,
              Random &Rng) {
  for (size_t I = 0; I < N; ++I)
    V.push_back(Mean + Sd * Rng.normal());
}

std::vector<double> step(size_t Before, size_t After, double From, double To,
                         double Sd, uint64_t Seed) {
  Random Rng(Seed);
  std::vector<double> V;
  addNoise(V, Before, From, Sd, Rng);
  addNoise(V, After, To, Sd, Rng);
  return V;
}

TEST(ChangepointTest, EmptyAndTinySeries) {
  EXPECT_TRUE(changepoints({}).empty());
  EXPECT_TRUE(changepoints({5.0}).empty());
  // Two segments of MinSegment = 2 need four values.
  EXPECT_TRUE(changepoints({1.0, 1000.0, 1.0}).empty());
  PeltOptions One;
  One.MinSegment = 0; // Acts as 1.
  for (size_t Cp : changepoints({1.0, 2.0, 1000.0, 1.0}, One))
    EXPECT_LT(Cp, 4u);
}

TEST(ChangepointTest, StepInMeanFoundWithinTwo) {
  for (uint64_t Seed = 1; Seed <= 10; ++Seed) {
    std::vector<double> V = step(300, 300, 100, 110, 2, Seed);
    std::vector<size_t> Cps = changepoints(V);
    ASSERT_EQ(Cps.size(), 1u) << "seed " << Seed;
    EXPECT_NEAR(double(Cps[0]), 300, 2) << "seed " << Seed;
  }
}

TEST(ChangepointTest, SeveralSteps) {
  // A JIT's tiers: interpreter, baseline, optimised.
  Random Rng(7);
  std::vector<double> V;
  addNoise(V, 100, 500, 10, Rng);
  addNoise(V, 200, 200, 5, Rng);
  addNoise(V, 700, 100, 2, Rng);
  std::vector<size_t> Cps = changepoints(V);
  ASSERT_EQ(Cps.size(), 2u);
  EXPECT_NEAR(double(Cps[0]), 100, 2);
  EXPECT_NEAR(double(Cps[1]), 300, 2);
}

TEST(ChangepointTest, VarianceChange) {
  for (uint64_t Seed = 1; Seed <= 5; ++Seed) {
    Random Rng(Seed);
    std::vector<double> V;
    addNoise(V, 500, 100, 1, Rng);
    addNoise(V, 500, 100, 10, Rng);
    std::vector<size_t> Cps = changepoints(V);
    ASSERT_EQ(Cps.size(), 1u) << "seed " << Seed;
    // The exact start of a noisier stretch is less sharply defined than a
    // step in the mean.
    EXPECT_NEAR(double(Cps[0]), 500, 10) << "seed " << Seed;
  }
}

TEST(ChangepointTest, FewFalseChangepointsOnStationaryNoise) {
  size_t Total = 0;
  for (uint64_t Seed = 1; Seed <= 10; ++Seed) {
    Random Rng(Seed);
    std::vector<double> V;
    addNoise(V, 2000, 100, 3, Rng);
    Total += changepoints(V).size();
  }
  // 15 log n is far above the noise: 20000 iterations, at most one.
  EXPECT_LE(Total, 1u);
}

TEST(ChangepointTest, SpikeMakesNoLongSegment) {
  Random Rng(3);
  std::vector<double> V;
  addNoise(V, 1000, 100, 1, Rng);
  V[500] = 10000;
  std::vector<size_t> Cps = changepoints(V);
  // Either the spike is absorbed or it is cut out in a short segment; the
  // rest of the series is not split.
  Cps.insert(Cps.begin(), 0);
  Cps.push_back(V.size());
  for (size_t I = 0; I + 1 < Cps.size(); ++I) {
    bool HasSpike = Cps[I] <= 500 && 500 < Cps[I + 1];
    if (HasSpike && Cps.size() > 2) {
      EXPECT_LE(Cps[I + 1] - Cps[I], 4u);
    } else if (!HasSpike) {
      EXPECT_GE(Cps[I + 1] - Cps[I], 400u);
    }
  }
  EXPECT_LE(Cps.size(), 4u);
}

TEST(ChangepointTest, ConstantSeriesHaveNoChangepoints) {
  EXPECT_TRUE(changepoints(std::vector<double>(1000, 42.0)).empty());
  EXPECT_TRUE(changepoints(std::vector<double>(1000, 0.0)).empty());
}

TEST(ChangepointTest, StepBetweenConstantLevelsIsExact) {
  std::vector<double> V(50, 100.0);
  V.resize(100, 50.0);
  EXPECT_EQ(changepoints(V), std::vector<size_t>{50});
}

TEST(ChangepointTest, ConstantThenNoisy) {
  // Zero variance on one side must not become -infinity or NaN.
  Random Rng(11);
  std::vector<double> V(500, 100.0);
  addNoise(V, 500, 100, 5, Rng);
  std::vector<size_t> Cps = changepoints(V);
  ASSERT_EQ(Cps.size(), 1u);
  EXPECT_NEAR(double(Cps[0]), 500, 2);
}

TEST(ChangepointTest, QuantisedTimingsAreNotCarvedUp) {
  // A coarse timer: every iteration reads 100 or 101 ns, with runs of
  // repeated values that have zero variance.
  Random Rng(5);
  std::vector<double> V;
  for (int I = 0; I < 4000; ++I)
    V.push_back(Rng.below(4) == 0 ? 101 : 100);
  EXPECT_TRUE(changepoints(V).empty());
}

TEST(ChangepointTest, MinSegmentIsRespected) {
  Random Rng(9);
  std::vector<double> V;
  addNoise(V, 300, 100, 5, Rng);
  PeltOptions Opts;
  Opts.Penalty = 1; // Tiny: many changepoints.
  Opts.MinSegment = 5;
  std::vector<size_t> Cps = changepoints(V, Opts);
  ASSERT_FALSE(Cps.empty());
  size_t Prev = 0;
  for (size_t Cp : Cps) {
    EXPECT_GE(Cp - Prev, 5u);
    Prev = Cp;
  }
  EXPECT_GE(V.size() - Prev, 5u);
}

TEST(ChangepointTest, ScalingTheSeriesChangesNothing) {
  std::vector<double> V = step(400, 600, 100, 105, 2, 4);
  std::vector<double> Scaled;
  for (double X : V)
    Scaled.push_back(X * 1e6);
  EXPECT_EQ(changepoints(V), changepoints(Scaled));
}

TEST(ChangepointTest, GridMatchesExact) {
  Random Rng(21);
  std::vector<double> V;
  addNoise(V, 333, 300, 5, Rng);
  addNoise(V, 900, 100, 2, Rng);
  addNoise(V, 767, 120, 2, Rng);
  PeltOptions Coarse;
  Coarse.MaxPositions = 100; // Stride 20; the changes fall inside blocks.
  EXPECT_EQ(changepoints(V, Coarse), changepoints(V));

  // A change inside a block of two, where a two-iteration segment made of
  // both levels is the coarse solution's best guess.
  std::vector<double> W = step(1501, 1499, 100, 110, 2, 22);
  Coarse.MaxPositions = 1500;
  EXPECT_EQ(changepoints(W, Coarse), std::vector<size_t>{1501});
}

TEST(ChangepointTest, LongSeries) {
  std::vector<double> V = step(60001, 39999, 100, 103, 2, 13);
  std::vector<size_t> Cps = changepoints(V);
  ASSERT_EQ(Cps.size(), 1u);
  EXPECT_NEAR(double(Cps[0]), 60001, 2);

  Random Rng(14);
  std::vector<double> Flat;
  addNoise(Flat, 100000, 100, 2, Rng);
  EXPECT_TRUE(changepoints(Flat).empty());
}

TEST(OutliersTest, FindsSpikesButNotWarmup) {
  Random Rng(2);
  std::vector<double> V;
  addNoise(V, 1000, 100, 1, Rng);
  V[10] = 5000; // In the first half window: warm-up, not an outlier.
  V[400] = 5000;
  V[999] = 1;
  EXPECT_EQ(outliers(V), (std::vector<size_t>{400, 999}));
  EXPECT_TRUE(outliers(V, 0).empty());
  EXPECT_TRUE(outliers({}).empty());
}

TEST(OutliersTest, QuantisedTimingsHaveNoOutliers) {
  Random Rng(6);
  std::vector<double> V;
  for (int I = 0; I < 1000; ++I)
    V.push_back(Rng.below(20) == 0 ? 101 : 100);
  EXPECT_TRUE(outliers(V).empty());
}

} // namespace
