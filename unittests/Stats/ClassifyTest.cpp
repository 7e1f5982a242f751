//===- ClassifyTest.cpp - Warm-up classification of synthetic series ------===//

#include "Stats/Stats.h"

#include "gtest/gtest.h"
#include <cmath>

using namespace kc::stats;

namespace {

/// Builds a series from (iterations, mean) pieces with Normal noise of
/// relative standard deviation RelSd.
std::vector<double> pieces(std::initializer_list<std::pair<size_t, double>> Ps,
                           uint64_t Seed, double RelSd = 0.02) {
  Random Rng(Seed);
  std::vector<double> V;
  for (auto [N, Mean] : Ps)
    for (size_t I = 0; I < N; ++I)
      V.push_back(Mean * (1 + RelSd * Rng.normal()));
  return V;
}

void expectCovers(const Classification &C, size_t N) {
  ASSERT_FALSE(C.Segments.empty());
  EXPECT_EQ(C.Segments.front().Begin, 0u);
  EXPECT_EQ(C.Segments.back().End, N);
  for (size_t I = 0; I + 1 < C.Segments.size(); ++I)
    EXPECT_EQ(C.Segments[I].End, C.Segments[I + 1].Begin);
}

TEST(ClassifyTest, Names) {
  EXPECT_EQ(className(WarmupClass::Flat), "flat");
  EXPECT_EQ(className(WarmupClass::Warmup), "warm-up");
  EXPECT_EQ(className(WarmupClass::Slowdown), "slowdown");
  EXPECT_EQ(className(WarmupClass::NoSteadyState), "no steady state");
}

TEST(ClassifyTest, EmptyAndSingle) {
  Classification E = classify({});
  EXPECT_EQ(E.Class, WarmupClass::Flat);
  EXPECT_TRUE(E.Segments.empty());
  EXPECT_TRUE(std::isnan(E.SteadyMean));

  Classification One = classify({42.0});
  EXPECT_EQ(One.Class, WarmupClass::Flat);
  EXPECT_EQ(One.SteadyBegin, 0u);
  EXPECT_EQ(One.SteadyMean, 42.0);
  expectCovers(One, 1);
}

TEST(ClassifyTest, Flat) {
  for (uint64_t Seed = 1; Seed <= 5; ++Seed) {
    std::vector<double> V = pieces({{1000, 100}}, Seed);
    Classification C = classify(V);
    EXPECT_EQ(C.Class, WarmupClass::Flat) << "seed " << Seed;
    EXPECT_EQ(C.SteadyBegin, 0u);
    EXPECT_NEAR(C.SteadyMean, 100, 0.5);
    expectCovers(C, V.size());
  }
}

TEST(ClassifyTest, Warmup) {
  for (uint64_t Seed = 1; Seed <= 5; ++Seed) {
    std::vector<double> V = pieces({{50, 300}, {950, 100}}, Seed);
    Classification C = classify(V);
    EXPECT_EQ(C.Class, WarmupClass::Warmup) << "seed " << Seed;
    EXPECT_NEAR(double(C.SteadyBegin), 50, 2) << "seed " << Seed;
    EXPECT_NEAR(C.SteadyMean, 100, 0.5);
    expectCovers(C, V.size());
  }
}

TEST(ClassifyTest, WarmupThroughTiers) {
  // Interpreter, baseline compiler, optimising compiler.
  std::vector<double> V = pieces({{20, 1000}, {30, 300}, {950, 100}}, 8);
  Classification C = classify(V);
  EXPECT_EQ(C.Class, WarmupClass::Warmup);
  EXPECT_NEAR(double(C.SteadyBegin), 50, 2);
}

TEST(ClassifyTest, SlowFirstIterationIsWarmup) {
  // One compile-heavy first call: MinSegment 2 makes the warm-up segment
  // two iterations long, and its own spread must not excuse it.
  std::vector<double> V = pieces({{1, 2000}, {999, 100}}, 4);
  Classification C = classify(V);
  EXPECT_EQ(C.Class, WarmupClass::Warmup);
  EXPECT_LE(C.SteadyBegin, 2u);
  EXPECT_GE(C.SteadyBegin, 1u);
}

TEST(ClassifyTest, Slowdown) {
  for (uint64_t Seed = 1; Seed <= 5; ++Seed) {
    std::vector<double> V = pieces({{500, 100}, {500, 120}}, Seed);
    Classification C = classify(V);
    EXPECT_EQ(C.Class, WarmupClass::Slowdown) << "seed " << Seed;
    EXPECT_NEAR(double(C.SteadyBegin), 500, 2);
    EXPECT_NEAR(C.SteadyMean, 120, 0.6);
  }
}

TEST(ClassifyTest, WarmupThenSlowdownIsSlowdown) {
  std::vector<double> V = pieces({{100, 300}, {400, 100}, {500, 130}}, 3);
  EXPECT_EQ(classify(V).Class, WarmupClass::Slowdown);
}

TEST(ClassifyTest, NoSteadyState) {
  for (uint64_t Seed = 1; Seed <= 5; ++Seed) {
    std::vector<double> V = pieces({{900, 100}, {100, 130}}, Seed);
    Classification C = classify(V);
    EXPECT_EQ(C.Class, WarmupClass::NoSteadyState) << "seed " << Seed;
    // Still names the final stretch.
    EXPECT_NEAR(double(C.SteadyBegin), 900, 2);
  }
}

TEST(ClassifyTest, NoSteadyStateBoundary) {
  // n = 1000 and SteadyFraction 0.25: a change must leave at least 250
  // iterations after it. Steps between constant levels make the
  // changepoint exact.
  auto At = [](size_t Change) {
    std::vector<double> V(Change, 100.0);
    V.resize(1000, 150.0);
    return classify(V);
  };
  EXPECT_EQ(At(750).Class, WarmupClass::Slowdown);
  EXPECT_EQ(At(750).SteadyBegin, 750u);
  EXPECT_EQ(At(751).Class, WarmupClass::NoSteadyState);
}

TEST(ClassifyTest, VarianceChangeAloneIsFlat) {
  Random Rng(12);
  std::vector<double> V;
  for (int I = 0; I < 500; ++I)
    V.push_back(100 + Rng.normal());
  for (int I = 0; I < 500; ++I)
    V.push_back(100 + 10 * Rng.normal());
  Classification C = classify(V);
  EXPECT_GE(C.Segments.size(), 2u);
  EXPECT_EQ(C.Class, WarmupClass::Flat);
  EXPECT_EQ(C.SteadyBegin, 0u);
}

TEST(ClassifyTest, RelativeTolerance) {
  // A real but small step: 0.5% with very little noise. Within the default
  // 1% it is the same steady state; with 0.1% it is a slowdown.
  std::vector<double> V = pieces({{500, 100}, {500, 100.5}}, 6, 0.001);
  Classification C = classify(V);
  EXPECT_EQ(C.Segments.size(), 2u);
  EXPECT_EQ(C.Class, WarmupClass::Flat);
  ClassifyOptions Strict;
  Strict.RelTolerance = 0.001;
  EXPECT_EQ(classify(V, Strict).Class, WarmupClass::Slowdown);
  ClassifyOptions Loose;
  Loose.AbsTolerance = 1; // ns
  Loose.RelTolerance = 0;
  EXPECT_EQ(classify(V, Loose).Class, WarmupClass::Flat);
}

TEST(ClassifyTest, OutliersAreIgnoredButCounted) {
  std::vector<double> V = pieces({{1000, 100}}, 9);
  V[300] = 5000; // A GC pause...
  V[990] = 8000; // ...and one right at the end, which could pass for a change.
  Classification C = classify(V);
  EXPECT_EQ(C.Class, WarmupClass::Flat);
  EXPECT_EQ(C.Outliers, (std::vector<size_t>{300, 990}));
  EXPECT_EQ(C.Segments.size(), 1u);
  // The steady mean is the cost per call, pauses included.
  double Sum = 0;
  for (double X : V)
    Sum += X;
  EXPECT_DOUBLE_EQ(C.SteadyMean, Sum / 1000);
  EXPECT_NEAR(C.Segments[0].Mean, 100, 0.5);
}

} // namespace
