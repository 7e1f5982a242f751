//===- SummaryTest.cpp - Means, quantiles and the power-law fit -----------===//

#include "Stats/Stats.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Error.h"
#include "gtest/gtest.h"
#include <cmath>

using namespace kc::stats;
using llvm::toString;

namespace {

TEST(SummaryTest, MeanMedianStdDev) {
  std::vector<double> V = {2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(mean(V), 5);
  EXPECT_DOUBLE_EQ(median(V), 4.5);
  EXPECT_NEAR(stdDev(V), std::sqrt(32.0 / 7), 1e-12);
  EXPECT_DOUBLE_EQ(median({3.0, 1.0, 2.0}), 2);
  EXPECT_EQ(stdDev({1.0}), 0);
  EXPECT_TRUE(std::isnan(mean({})));
  EXPECT_TRUE(std::isnan(median({})));
}

TEST(SummaryTest, StdDevOfLargeTimesDoesNotCancel) {
  std::vector<double> V = {1e9 + 1, 1e9 + 2, 1e9 + 3};
  EXPECT_NEAR(stdDev(V), 1, 1e-6);
}

TEST(SummaryTest, QuantileInterpolatesLikeNumpy) {
  std::vector<double> V = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(quantile(V, 0), 1);
  EXPECT_DOUBLE_EQ(quantile(V, 1), 4);
  EXPECT_DOUBLE_EQ(quantile(V, 0.1), 1.3);
  EXPECT_DOUBLE_EQ(quantile(V, 0.9), 3.7);
  EXPECT_DOUBLE_EQ(quantile({5.0}, 0.3), 5);
}

TEST(SummaryTest, GeometricMean) {
  EXPECT_DOUBLE_EQ(geometricMean({2.0, 8.0}), 4);
  EXPECT_NEAR(geometricMean({1.0, 100.0}), 10, 1e-12);
  EXPECT_TRUE(std::isnan(geometricMean({})));
  EXPECT_TRUE(std::isnan(geometricMean({1.0, -1.0})));
  EXPECT_TRUE(std::isnan(geometricMean({1.0, 0.0})));
}

std::vector<double> sizes() { return {16, 64, 256, 1024, 4096, 16384, 65536}; }

TEST(PowerFitTest, ExactLinearAndQuadratic) {
  std::vector<double> S = sizes(), Lin, Quad;
  for (double N : S) {
    Lin.push_back(3 * N);
    Quad.push_back(0.5 * N * N);
  }
  PowerFit L = cantFail(fitPowerLaw(S, Lin));
  EXPECT_NEAR(L.Exponent, 1, 1e-12);
  EXPECT_NEAR(L.Coefficient, 3, 1e-9);
  EXPECT_NEAR(L.RSquared, 1, 1e-12);
  PowerFit Q = cantFail(fitPowerLaw(S, Quad));
  EXPECT_NEAR(Q.Exponent, 2, 1e-12);
  EXPECT_NEAR(Q.Coefficient, 0.5, 1e-9);
}

TEST(PowerFitTest, NoisyData) {
  // 5% multiplicative noise, as from timing each size once.
  Random Rng(3);
  std::vector<double> S = sizes(), Lin, Quad;
  for (double N : S) {
    Lin.push_back(7 * N * (1 + 0.05 * Rng.normal()));
    Quad.push_back(2 * N * N * (1 + 0.05 * Rng.normal()));
  }
  PowerFit L = cantFail(fitPowerLaw(S, Lin));
  EXPECT_NEAR(L.Exponent, 1, 0.03);
  EXPECT_GT(L.RSquared, 0.999);
  PowerFit Q = cantFail(fitPowerLaw(S, Quad));
  EXPECT_NEAR(Q.Exponent, 2, 0.03);
  EXPECT_GT(Q.RSquared, 0.999);
}

TEST(PowerFitTest, ConstantTimesFitExponentZero) {
  PowerFit F = cantFail(fitPowerLaw({1, 10, 100}, {5, 5, 5}));
  EXPECT_NEAR(F.Exponent, 0, 1e-12);
  EXPECT_EQ(F.RSquared, 1);
}

TEST(PowerFitTest, Errors) {
  auto Message = [](llvm::Expected<PowerFit> F) {
    EXPECT_FALSE(bool(F));
    return F ? std::string() : llvm::toString(F.takeError());
  };
  EXPECT_EQ(Message(fitPowerLaw({1, 2}, {1})),
            "power-law fit: got 2 sizes but 1 times");
  EXPECT_EQ(Message(fitPowerLaw({1}, {1})),
            "power-law fit: needs at least two points");
  EXPECT_EQ(Message(fitPowerLaw({0, 2}, {1, 2})),
            "power-law fit: sizes and times must be positive");
  EXPECT_EQ(Message(fitPowerLaw({1, 2}, {1, -2})),
            "power-law fit: sizes and times must be positive");
  EXPECT_EQ(Message(fitPowerLaw({4, 4}, {1, 2})),
            "power-law fit: needs at least two distinct sizes");
}

// Times made from a known class are fitted best by that class, with a near
// zero misfit and the coefficient used to make them.
TEST(ComplexityTest, RecoversTheGeneratingClass) {
  std::vector<double> Sizes = {1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18};
  for (Complexity C : {Complexity::ON, Complexity::ONLogN,
                       Complexity::ONSquared, Complexity::ONCubed}) {
    std::vector<double> Times;
    for (double N : Sizes)
      Times.push_back(3.5 * complexityFunction(C, N));
    auto Fits = fitComplexities(Sizes, Times);
    ASSERT_TRUE(bool(Fits)) << toString(Fits.takeError());
    ASSERT_EQ(Fits->size(), 6u);
    EXPECT_EQ(Fits->front().Class, C) << complexityName(C).str();
    EXPECT_NEAR(Fits->front().Coefficient, 3.5, 1e-9);
    EXPECT_LT(Fits->front().Rms, 1e-12);
    EXPECT_GT((*Fits)[1].Rms, 0.01);
  }
  // A constant cost: O(1) with zero misfit.
  auto Flat = fitComplexities(Sizes, {5, 5, 5, 5, 5});
  ASSERT_TRUE(bool(Flat));
  EXPECT_EQ(Flat->front().Class, Complexity::O1);
  EXPECT_NEAR(Flat->front().Coefficient, 5, 1e-12);
}

TEST(ComplexityTest, RmsIsRelativeToTheMeanTime) {
  // O(N) through the origin on (1, 1) and (2, 3): coefficient
  // (1 + 6) / (1 + 4) = 1.4, residuals -0.4 and 0.2, RMS sqrt(0.1) over
  // the mean time 2 (worked by hand).
  auto Fits = fitComplexities({1, 2}, {1, 3});
  ASSERT_TRUE(bool(Fits));
  auto Linear = llvm::find_if(
      *Fits, [](const ComplexityFit &F) { return F.Class == Complexity::ON; });
  ASSERT_NE(Linear, Fits->end());
  EXPECT_NEAR(Linear->Coefficient, 1.4, 1e-12);
  EXPECT_NEAR(Linear->Rms, std::sqrt(0.1) / 2, 1e-12);
  EXPECT_EQ(complexityName(Complexity::ONLogN), "O(N log N)");
}

TEST(ComplexityTest, SameErrorsAsThePowerLaw) {
  auto Fits = fitComplexities({4}, {1});
  ASSERT_FALSE(bool(Fits));
  EXPECT_EQ(toString(Fits.takeError()),
            "power-law fit: needs at least two points");
}

TEST(ExponentIntervalTest, CoversTheTrueExponentMostOfTheTime) {
  // 200 data sets, five executions per size of t = 2 N^1.5 with +-5%
  // multiplicative noise. A 95% percentile interval from five units per
  // size undercovers somewhat (the bootstrap's small-sample bias), so ask
  // for 80%; a broken resampler covers far less or always degenerates.
  Random Noise(7);
  std::vector<double> Sizes = {1e3, 1e4, 1e5, 1e6};
  BootstrapOptions Opts;
  Opts.Resamples = 400;
  int Covered = 0;
  for (int Trial = 0; Trial < 200; ++Trial) {
    std::vector<std::vector<double>> Samples;
    for (double N : Sizes) {
      std::vector<double> S;
      for (int I = 0; I < 5; ++I)
        S.push_back(2 * std::pow(N, 1.5) * (0.95 + 0.1 * Noise.uniform()));
      Samples.push_back(S);
    }
    Opts.Seed = uint64_t(Trial) + 1;
    auto I = bootstrapPowerLawExponent(Sizes, Samples, Opts);
    ASSERT_TRUE(bool(I)) << toString(I.takeError());
    ASSERT_FALSE(I->Degenerate);
    ASSERT_LE(I->Low, I->Estimate);
    ASSERT_GE(I->High, I->Estimate);
    ASSERT_LT(I->High - I->Low, 0.05);
    Covered += I->Low <= 1.5 && 1.5 <= I->High;
  }
  EXPECT_GE(Covered, 160);
  EXPECT_LT(Covered, 200 + 1);
}

TEST(ExponentIntervalTest, OneExecutionPerSizeIsDegenerate) {
  auto I = bootstrapPowerLawExponent({10, 100}, {{1}, {10}});
  ASSERT_TRUE(bool(I));
  EXPECT_TRUE(I->Degenerate);
  EXPECT_NEAR(I->Estimate, 1.0, 1e-12);
  auto Bad = bootstrapPowerLawExponent({10, 100}, {{1}});
  ASSERT_FALSE(bool(Bad));
  EXPECT_EQ(toString(Bad.takeError()),
            "power-law fit: got 2 sizes but 1 samples");
}

} // namespace
