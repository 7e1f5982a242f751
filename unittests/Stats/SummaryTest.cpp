//===- SummaryTest.cpp - Means, quantiles and the power-law fit -----------===//

#include "Stats/Stats.h"

#include "llvm/Support/Error.h"
#include "gtest/gtest.h"
#include <cmath>

using namespace kc::stats;

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

} // namespace
