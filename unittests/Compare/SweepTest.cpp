//===- SweepTest.cpp - Unit tests of rtcompare sweep's size list and fit -===//

#include "Compare/Sweep.h"

#include "llvm/Support/Error.h"
#include "gtest/gtest.h"
#include <cmath>

using namespace kc;
using namespace kc::compare;

namespace {

std::string sizeError(llvm::StringRef List) {
  auto S = parseSizeList(List);
  if (S)
    return "(no error)";
  return llvm::toString(S.takeError());
}

TEST(SweepTest, SizeListSuffixesSortAndDeduplicate) {
  auto S = parseSizeList("1M, 10k,1_000,2G,1000");
  ASSERT_TRUE(bool(S)) << llvm::toString(S.takeError());
  EXPECT_EQ(*S, (std::vector<int64_t>{1000, 10000, 1000000, 2000000000}));
  EXPECT_EQ(sizeError("5"), "--sizes needs at least two distinct sizes to "
                            "fit how cost grows");
  EXPECT_EQ(sizeError("5,5k5"), "invalid size '5k5' in --sizes (expected "
                                "positive integers such as 1000, 10k or 2M)");
  EXPECT_EQ(sizeError("5,,6"), "invalid size '' in --sizes (expected "
                               "positive integers such as 1000, 10k or 2M)");
  EXPECT_EQ(sizeError("-5,6"), "invalid size '-5' in --sizes (expected "
                               "positive integers such as 1000, 10k or 2M)");
  EXPECT_EQ(sizeError("10000000G,1"),
            "size '10000000G' in --sizes is out of range (1 to 2^53)");
}

// A KernelResult at one size where implementation Kind took Means (one per
// process execution).
KernelResult point(ImplKind Kind, std::vector<double> Means,
                   Status St = Status::Ok) {
  KernelResult K;
  ImplResult I;
  I.Kind = Kind;
  I.St = St;
  if (St == Status::Ok) {
    I.SteadyMeans = Means;
    stats::Interval T;
    double Sum = 0;
    for (double M : Means)
      Sum += M;
    T.Estimate = T.Low = T.High = Sum / double(Means.size());
    I.TimePerCall = T;
  }
  K.Impls.push_back(I);
  return K;
}

TEST(SweepTest, FitGrowthOfAQuadraticImplementation) {
  std::vector<int64_t> Sizes = {100, 200, 400, 800};
  std::vector<KernelResult> Points;
  for (int64_t N : Sizes) {
    double T = 0.5 * double(N) * double(N);
    Points.push_back(point(ImplKind::V8, {T * 0.99, T * 1.01}));
  }
  Growth G = fitGrowth(ImplKind::V8, Sizes, Points, 1);
  ASSERT_TRUE(G.Exponent) << G.Note;
  EXPECT_NEAR(G.Exponent->Estimate, 2.0, 1e-9);
  EXPECT_LT(G.Exponent->Low, G.Exponent->High);
  EXPECT_NEAR(G.RSquared, 1.0, 1e-9);
  EXPECT_EQ(G.Classes.front().Class, stats::Complexity::ONSquared);
  EXPECT_NEAR(G.Classes.front().Coefficient, 0.5, 1e-9);
  EXPECT_EQ(G.Sizes, Sizes);
}

TEST(SweepTest, FailedSizesAreLeftOutOfTheFit) {
  std::vector<int64_t> Sizes = {10, 100, 1000};
  std::vector<KernelResult> Points = {
      point(ImplKind::Native, {10}), point(ImplKind::Native, {}, Status::Failed),
      point(ImplKind::Native, {1000})};
  Growth G = fitGrowth(ImplKind::Native, Sizes, Points, 1);
  ASSERT_TRUE(G.Exponent) << G.Note;
  EXPECT_EQ(G.Sizes, (std::vector<int64_t>{10, 1000}));
  EXPECT_NEAR(G.Exponent->Estimate, 1.0, 1e-9);
  EXPECT_TRUE(G.Exponent->Degenerate);  // one execution per size

  Growth None = fitGrowth(ImplKind::CPython, Sizes, Points, 1);
  EXPECT_FALSE(None.Exponent);
  EXPECT_EQ(None.Note, "completed at 0 size(s); a fit needs two");
}

} // namespace
