//===- BootstrapTest.cpp - Bootstrap intervals on known distributions -----===//
//
// Expectations come from theory: the interval of a mean of n Normal(mu, s)
// values has width about 2 * 1.96 * s / sqrt(n) and covers mu in about 95%
// of samples. All data and resamples come from fixed seeds.
//
//===----------------------------------------------------------------------===//

#include "Stats/Stats.h"

#include "gtest/gtest.h"
#include <cmath>

using namespace kc::stats;

namespace {

std::vector<double> normals(size_t N, double Mean, double Sd, uint64_t Seed) {
  Random Rng(Seed);
  std::vector<double> V;
  for (size_t I = 0; I < N; ++I)
    V.push_back(Mean + Sd * Rng.normal());
  return V;
}

TEST(RandomTest, DeterministicAndInRange) {
  Random A(42), B(42), C(43);
  for (int I = 0; I < 100; ++I) {
    uint64_t X = A.next();
    EXPECT_EQ(X, B.next());
    EXPECT_NE(X, C.next());
  }
  Random Rng(0); // Seed 0 is fine.
  unsigned Hits[7] = {};
  for (int I = 0; I < 70000; ++I) {
    uint64_t K = Rng.below(7);
    ASSERT_LT(K, 7u);
    ++Hits[K];
    double U = Rng.uniform();
    ASSERT_GE(U, 0.0);
    ASSERT_LT(U, 1.0);
  }
  for (unsigned H : Hits)
    EXPECT_NEAR(H, 10000, 400);
}

TEST(RandomTest, NormalMoments) {
  std::vector<double> V = normals(100000, 0, 1, 5);
  EXPECT_NEAR(mean(V), 0, 0.01);
  EXPECT_NEAR(stdDev(V), 1, 0.01);
}

TEST(BootstrapTest, MeanOfNormalSample) {
  std::vector<double> V = normals(200, 10, 1, 1);
  Interval I = bootstrapMean(V);
  EXPECT_DOUBLE_EQ(I.Estimate, mean(V));
  EXPECT_FALSE(I.Degenerate);
  EXPECT_FALSE(I.SingleExecution);
  EXPECT_LT(I.Low, 10);
  EXPECT_GT(I.High, 10);
  EXPECT_LT(I.Low, I.Estimate);
  EXPECT_GT(I.High, I.Estimate);
  double Expected = 2 * 1.96 / std::sqrt(200.0);
  EXPECT_NEAR(I.High - I.Low, Expected, 0.15 * Expected);
}

TEST(BootstrapTest, DeterministicGivenSeed) {
  std::vector<double> V = normals(50, 10, 1, 2);
  Interval A = bootstrapMean(V), B = bootstrapMean(V);
  EXPECT_EQ(A.Low, B.Low);
  EXPECT_EQ(A.High, B.High);
  BootstrapOptions Other;
  Other.Seed = 2;
  Interval C = bootstrapMean(V, Other);
  EXPECT_NE(A.Low, C.Low);
  EXPECT_NEAR(A.Low, C.Low, 0.05);
}

TEST(BootstrapTest, ConfidenceWidens) {
  std::vector<double> V = normals(100, 10, 1, 3);
  BootstrapOptions O;
  O.Confidence = 0.5;
  Interval Narrow = bootstrapMean(V, O);
  O.Confidence = 0.99;
  Interval Wide = bootstrapMean(V, O);
  Interval Mid = bootstrapMean(V);
  EXPECT_LT(Narrow.High - Narrow.Low, Mid.High - Mid.Low);
  EXPECT_LT(Mid.High - Mid.Low, Wide.High - Wide.Low);
}

TEST(BootstrapTest, CoverageIsNominal) {
  // 1000 samples of n = 30; the percentile bootstrap is known to run a
  // little under nominal for small n (about 93-94% here).
  BootstrapOptions O;
  O.Resamples = 1000;
  unsigned Covered = 0, Trials = 1000;
  for (unsigned T = 0; T < Trials; ++T) {
    std::vector<double> V = normals(30, 10, 2, 1000 + T);
    O.Seed = T;
    Interval I = bootstrapMean(V, O);
    Covered += I.Low <= 10 && 10 <= I.High;
  }
  double Rate = double(Covered) / Trials;
  EXPECT_GE(Rate, 0.91);
  EXPECT_LE(Rate, 0.98);
}

TEST(BootstrapTest, RatioCoversKnownRatio) {
  std::vector<double> Num = normals(30, 20, 1, 4),
                      Den = normals(30, 10, 0.5, 5);
  Interval R = bootstrapRatio(Num, Den);
  EXPECT_DOUBLE_EQ(R.Estimate, mean(Num) / mean(Den));
  EXPECT_LT(R.Low, 2);
  EXPECT_GT(R.High, 2);
  EXPECT_LT(R.High - R.Low, 0.2);
}

TEST(BootstrapTest, RatioCoverage) {
  BootstrapOptions O;
  O.Resamples = 1000;
  unsigned Covered = 0, Trials = 400;
  for (unsigned T = 0; T < Trials; ++T) {
    O.Seed = T;
    Interval R = bootstrapRatio(normals(20, 30, 3, 2 * T + 7),
                                normals(20, 10, 1, 2 * T + 8), O);
    Covered += R.Low <= 3 && 3 <= R.High;
  }
  double Rate = double(Covered) / Trials;
  EXPECT_GE(Rate, 0.90);
  EXPECT_LE(Rate, 0.98);
}

TEST(BootstrapTest, DegenerateCases) {
  Interval One = bootstrapMean({7.5});
  EXPECT_TRUE(One.Degenerate);
  EXPECT_EQ(One.Estimate, 7.5);
  EXPECT_EQ(One.Low, 7.5);
  EXPECT_EQ(One.High, 7.5);

  // Identical values: zero width, but a real (not degenerate) result.
  Interval Same = bootstrapMean({3.0, 3.0, 3.0, 3.0});
  EXPECT_FALSE(Same.Degenerate);
  EXPECT_EQ(Same.Low, 3.0);
  EXPECT_EQ(Same.High, 3.0);

  Interval None = bootstrapMean({});
  EXPECT_TRUE(None.Degenerate);
  EXPECT_TRUE(std::isnan(None.Estimate));
  EXPECT_TRUE(std::isnan(None.Low));
  EXPECT_TRUE(std::isnan(None.High));

  Interval R11 = bootstrapRatio({6.0}, {3.0});
  EXPECT_TRUE(R11.Degenerate);
  EXPECT_EQ(R11.Estimate, 2.0);
  EXPECT_EQ(R11.Low, 2.0);

  // One side varies, so there is an interval.
  Interval R1N = bootstrapRatio({6.0}, {2.0, 3.0, 4.0});
  EXPECT_FALSE(R1N.Degenerate);
  EXPECT_EQ(R1N.Estimate, 2.0);
  EXPECT_LT(R1N.Low, R1N.High);

  EXPECT_TRUE(std::isnan(bootstrapRatio({}, {1.0}).Estimate));
  EXPECT_TRUE(std::isnan(bootstrapRatio({1.0}, {}).Estimate));
}

TEST(BootstrapTest, GeometricMean) {
  std::vector<double> V = {1, 2, 4, 8, 16};
  Interval G = bootstrapGeometricMean(V);
  EXPECT_NEAR(G.Estimate, 4, 1e-12);
  EXPECT_LT(G.Low, 4);
  EXPECT_GT(G.High, 4);
  EXPECT_GE(G.Low, 1);
  EXPECT_LE(G.High, 16);
  EXPECT_TRUE(std::isnan(bootstrapGeometricMean({1.0, 0.0}).Estimate));
}

TEST(SteadyStateTest, SeveralExecutionsUseExecutionMeans) {
  std::vector<double> A = normals(100, 10, 1, 1), B = normals(300, 11, 1, 2),
                      C = normals(50, 9, 1, 3);
  std::vector<llvm::ArrayRef<double>> Execs = {A, B, C, {}};
  Interval I = steadyStateInterval(Execs);
  Interval Ref = bootstrapMean({mean(A), mean(B), mean(C)});
  EXPECT_FALSE(I.SingleExecution);
  EXPECT_EQ(I.Estimate, Ref.Estimate);
  EXPECT_EQ(I.Low, Ref.Low);
  EXPECT_EQ(I.High, Ref.High);
}

TEST(SteadyStateTest, SingleExecutionFallsBackToIterations) {
  std::vector<double> V = normals(6400, 100, 5, 4);
  std::vector<llvm::ArrayRef<double>> Execs = {V};
  Interval I = steadyStateInterval(Execs);
  EXPECT_TRUE(I.SingleExecution);
  EXPECT_FALSE(I.Degenerate);
  EXPECT_NEAR(I.Estimate, mean(V), 1e-9);
  EXPECT_LT(I.Low, 100);
  EXPECT_GT(I.High, 100);
  double Expected = 2 * 1.96 * 5 / 80;
  EXPECT_NEAR(I.High - I.Low, Expected, 0.25 * Expected);
}

TEST(SteadyStateTest, BlocksWidenCorrelatedIterations) {
  // AR(1) with phi = 0.9: the mean's true standard error is about
  // sqrt((1 + phi) / (1 - phi)) = 4.4 times the naive one. Resampling
  // iterations one by one misses that; resampling blocks does not.
  Random Rng(8);
  std::vector<double> V;
  double X = 0;
  for (int I = 0; I < 6400; ++I) {
    X = 0.9 * X + Rng.normal();
    V.push_back(100 + X);
  }
  std::vector<llvm::ArrayRef<double>> Execs = {V};
  BootstrapOptions O;
  O.Resamples = 2000;
  Interval Blocks = steadyStateInterval(Execs, O);
  Interval Naive = bootstrapMean(V, O);
  EXPECT_GT(Blocks.High - Blocks.Low, 3 * (Naive.High - Naive.Low));
}

TEST(SteadyStateTest, DegenerateAndEmpty) {
  std::vector<double> One = {5.0};
  std::vector<llvm::ArrayRef<double>> Execs = {One};
  Interval I = steadyStateInterval(Execs);
  EXPECT_TRUE(I.Degenerate);
  EXPECT_TRUE(I.SingleExecution);
  EXPECT_EQ(I.Low, 5.0);

  std::vector<llvm::ArrayRef<double>> Empty = {{}, {}};
  EXPECT_TRUE(std::isnan(steadyStateInterval(Empty).Estimate));
  EXPECT_TRUE(std::isnan(steadyStateInterval({}).Estimate));
}

TEST(SteadyStateTest, Ratio) {
  std::vector<double> A1 = normals(500, 200, 5, 1),
                      A2 = normals(500, 202, 5, 2),
                      A3 = normals(500, 198, 5, 3);
  std::vector<double> B = normals(6400, 100, 3, 4);
  std::vector<llvm::ArrayRef<double>> Num = {A1, A2, A3}, Den = {B};
  Interval R = steadyStateRatio(Num, Den);
  EXPECT_TRUE(R.SingleExecution);
  EXPECT_FALSE(R.Degenerate);
  EXPECT_LT(R.Low, 2);
  EXPECT_GT(R.High, 2);
  EXPECT_NEAR(R.Estimate, (mean(A1) + mean(A2) + mean(A3)) / 3 / mean(B),
              1e-12);

  std::vector<llvm::ArrayRef<double>> Den3 = {A1, A2, A3};
  Interval Same = steadyStateRatio(Num, Den3);
  EXPECT_FALSE(Same.SingleExecution);
  EXPECT_DOUBLE_EQ(Same.Estimate, 1.0);
}

} // namespace
