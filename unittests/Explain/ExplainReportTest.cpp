//===- ExplainReportTest.cpp - The ladder arithmetic and explain's reports ===//
//
// A hand-built explanation (two rungs with constant samples, a missing rung,
// a pane, a timeline event) whose per-operation times and factors follow by
// hand from the samples.
//
//===----------------------------------------------------------------------===//

#include "Report/ExplainReport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace kc;
using namespace kc::explain;

namespace {

compare::ImplResult constantRun(compare::ImplKind K, double Ns,
                                unsigned Execs, unsigned Samples) {
  compare::ImplResult R;
  R.Kind = K;
  R.Version = "test";
  for (unsigned E = 0; E < Execs; ++E) {
    compare::ProcessRun Run;
    Run.Report.SampleNsPerCall.assign(Samples, Ns);
    Run.Warmup = stats::classify(Run.Report.SampleNsPerCall);
    R.Runs.push_back(Run);
    R.SteadyMeans.push_back(Ns);
  }
  stats::BootstrapOptions BO;
  R.TimePerCall = stats::steadyStateInterval(compare::steadySlices(R), BO);
  return R;
}

Explanation sample() {
  Explanation E;
  E.Ctx.KernelName = "k";
  E.Ctx.KernelFile = "/x/k.k";
  E.Ctx.Source = "fn k() -> int {\n  return 1;\n}\n";
  E.Ctx.Operations = 50;
  E.Ctx.OperationUnit = "byte";
  E.Ctx.Base.Workload = "w";
  Rung Fast{"native -O2", "native", "-O2",
            constantRun(compare::ImplKind::Native, 100, 3, 6), ""};
  Rung Missing{"V8 Maglev", "v8", "--max-opt=2", std::nullopt,
               "this V8 has no Maglev"};
  Rung Slow{"CPython 3.11", "cpython", "",
            constantRun(compare::ImplKind::CPython, 250, 3, 6), ""};
  E.Ladder = {Fast, Missing, Slow};
  RuntimeExplanation Part;
  Part.Findings.push_back({"native", "the loop at line 2 is vectorized 4 wide"});
  Part.Panes.push_back(Pane{"ir", "LLVM IR </script>", "llvm",
                            "define i64 @k() {\n  ret i64 1\n}\n", {1, 2, 3}});
  TimelineEvent T;
  T.Function = "k";
  T.Kind = "tier";
  T.Tier = "turbofan";
  T.Iteration = 2;
  Part.Timeline.push_back(T);
  E.Parts.push_back(Part);
  E.PartNames.push_back("native");
  return E;
}

TEST(ExplainReportTest, PerOperationAndFactorFollowFromTheSamples) {
  Explanation E = sample();
  auto T = rungTime(E.Ladder[0]);
  ASSERT_TRUE(T.has_value());
  EXPECT_DOUBLE_EQ(T->Estimate, 100);
  auto Op = perOperation(E, *T);
  ASSERT_TRUE(Op.has_value());
  EXPECT_DOUBLE_EQ(Op->Estimate, 2);  // 100 ns / 50 bytes
  EXPECT_FALSE(factorToRungAbove(E, 0).has_value());  // nothing above
  EXPECT_FALSE(factorToRungAbove(E, 1).has_value());  // not measured
  // The missing rung is skipped: CPython is compared with native -O2.
  auto F = factorToRungAbove(E, 2);
  ASSERT_TRUE(F.has_value());
  EXPECT_DOUBLE_EQ(F->Estimate, 2.5);
}

TEST(ExplainReportTest, TextReportKeepsMissingRungsAndFindings) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  report::printExplanation(sample(), OS);
  EXPECT_NE(Text.find("50 bytes per call"), std::string::npos) << Text;
  EXPECT_NE(Text.find("not measured: this V8 has no Maglev"), std::string::npos)
      << Text;
  EXPECT_NE(Text.find("2.50x [2.50, 2.50]"), std::string::npos) << Text;
  EXPECT_NE(Text.find("[native] the loop at line 2 is vectorized 4 wide"),
            std::string::npos)
      << Text;
}

TEST(ExplainReportTest, JSONHoldsLadderTimelineAndMissingReason) {
  llvm::json::Value V = report::explanationJSON(sample());
  const llvm::json::Object *O = V.getAsObject();
  ASSERT_NE(O, nullptr);
  const llvm::json::Array *Ladder = O->getArray("ladder");
  ASSERT_NE(Ladder, nullptr);
  ASSERT_EQ(Ladder->size(), 3u);
  EXPECT_EQ((*Ladder)[1].getAsObject()->getString("missing"),
            "this V8 has no Maglev");
  const llvm::json::Object *Op =
      (*Ladder)[2].getAsObject()->getObject("ns_per_operation");
  ASSERT_NE(Op, nullptr);
  EXPECT_DOUBLE_EQ(*Op->getNumber("estimate"), 5);  // 250 ns / 50 bytes
  ASSERT_EQ(O->getArray("timeline")->size(), 1u);
}

TEST(ExplainReportTest, HTMLNeedsTheChartingLibrary) {
  std::string Page;
  llvm::raw_string_ostream OS(Page);
  llvm::Error Err =
      report::writeExplanationHTML(sample(), "/nonexistent-dir", OS);
  ASSERT_TRUE(bool(Err));
  EXPECT_NE(llvm::toString(std::move(Err)).find("run scripts/setup.sh"),
            std::string::npos);
}

TEST(ExplainReportTest, HTMLInlinesScriptsAndCannotBeBrokenByPaneText) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("kc-explain-web", Dir));
  for (const char *Rel : {"vega/build/vega.min.js",
                          "vega-lite/build/vega-lite.min.js",
                          "vega-embed/build/vega-embed.min.js"}) {
    llvm::SmallString<128> Path(Dir);
    llvm::sys::path::append(Path, Rel);
    ASSERT_FALSE(llvm::sys::fs::create_directories(
        llvm::sys::path::parent_path(Path)));
    std::error_code EC;
    llvm::raw_fd_ostream(Path, EC) << "var inlined_" << Rel[5] << " = 1;\n";
    ASSERT_FALSE(EC);
  }
  std::string Page;
  llvm::raw_string_ostream OS(Page);
  ASSERT_FALSE(bool(report::writeExplanationHTML(sample(), Dir, OS)));
  llvm::sys::fs::remove_directories(Dir);
  EXPECT_NE(Page.find("var inlined_"), std::string::npos);
  // The health hook, three library scripts, the data and the page's own
  // script: the pane title "LLVM IR </script>" must not add a seventh.
  size_t Closings = 0;
  for (size_t At = Page.find("</script>"); At != std::string::npos;
       At = Page.find("</script>", At + 1))
    ++Closings;
  EXPECT_EQ(Closings, 6u);
  EXPECT_NE(Page.find("LLVM IR \\u003c/script>"), std::string::npos);
  EXPECT_EQ(Page.find("http://"), std::string::npos);
}

} // namespace
