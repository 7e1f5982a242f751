//===- KernelGenTest.cpp - The differential fuzzer's generator and reducer ===//

#include "Fuzz/KernelGen.h"
#include "Driver/Driver.h"
#include "Fuzz/AstPrinter.h"
#include "Fuzz/Batch.h"
#include "Fuzz/Campaign.h"
#include "Fuzz/Coverage.h"
#include "Fuzz/Reduce.h"
#include "Lang/Diagnostics.h"
#include "Lang/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace kc;
using namespace kc::fuzz;

namespace {

/// The front-end's verdict on \p Source: the module, or null with the
/// diagnostics in \p Errs.
std::unique_ptr<kir::Module> compile(const std::string &Source, bool Checked,
                                     std::string &Errs) {
  SemaOptions SO;
  SO.Checked = Checked;
  llvm::raw_string_ostream ES(Errs);
  auto M = driver::compileSource(
      llvm::MemoryBuffer::getMemBufferCopy(Source, "gen.k"), ES, SO);
  if (!M) {
    llvm::consumeError(M.takeError());
    return nullptr;
  }
  return std::move(*M);
}

GeneratedKernel gen(uint64_t Seed, std::optional<bool> Checked = {}) {
  GenOptions O;
  O.Seed = Seed;
  O.Checked = Checked;
  return generateKernel(O);
}

TEST(KernelGenTest, EverySeedPassesTheFrontEnd) {
  for (uint64_t Seed = 1; Seed <= 300; ++Seed) {
    GeneratedKernel K = gen(Seed);
    std::string Errs;
    EXPECT_TRUE(compile(K.Source, K.Checked, Errs)) << "seed " << Seed << ":\n"
                                                    << Errs << K.Source;
  }
}

TEST(KernelGenTest, BothModesPassTheFrontEnd) {
  for (uint64_t Seed = 1000; Seed < 1050; ++Seed)
    for (bool Checked : {false, true}) {
      GeneratedKernel K = gen(Seed, Checked);
      EXPECT_EQ(K.Checked, Checked);
      EXPECT_EQ(sourceWantsChecked(K.Source), Checked);
      std::string Errs;
      EXPECT_TRUE(compile(K.Source, Checked, Errs)) << "seed " << Seed << ":\n"
                                                    << Errs;
    }
}

TEST(KernelGenTest, DeterministicPerSeed) {
  for (uint64_t Seed : {1u, 7u, 123456u}) {
    GeneratedKernel A = gen(Seed), B = gen(Seed);
    EXPECT_EQ(A.Source, B.Source) << "seed " << Seed;
    EXPECT_EQ(A.Checked, B.Checked);
  }
  EXPECT_NE(gen(1).Source, gen(2).Source);
}

TEST(KernelGenTest, KernelsHaveTheirBenchSection) {
  GeneratedKernel K = gen(42);
  std::string Errs;
  auto M = compile(K.Source, K.Checked, Errs);
  ASSERT_TRUE(M) << Errs;
  ASSERT_TRUE(M->Bench);
  EXPECT_EQ(M->Bench->Entry, K.Entry);
  auto W = driver::findWorkload(*M, "");
  ASSERT_TRUE(bool(W));
  auto Values = bench::generate(**W, bench::SizeClass::Default);
  ASSERT_TRUE(bool(Values));
  EXPECT_EQ(Values->size(), M->getEntry()->Params.size());
}

/// Printing the parse of a printed file gives the same text back.
TEST(KernelGenTest, PrinterRoundTrip) {
  for (uint64_t Seed = 1; Seed <= 50; ++Seed) {
    std::string Source = gen(Seed).Source;
    llvm::SourceMgr SM;
    unsigned ID = SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(Source, "gen.k"), llvm::SMLoc());
    std::string Errs;
    llvm::raw_string_ostream ES(Errs);
    DiagnosticEngine DE(SM, ES);
    Parser P(SM.getMemoryBuffer(ID)->getBuffer(), DE);
    ast::File F = P.parseFile();
    ASSERT_FALSE(DE.hasErrors()) << Errs;
    std::string Printed = printFile(F);
    // The generator's text is its header comments, a blank line, then what
    // printFile printed.
    EXPECT_NE(Source.find(Printed), std::string::npos) << "seed " << Seed;
  }
}

TEST(KernelGenTest, CoversEveryOpAndType) {
  Coverage C;
  for (uint64_t Seed = 1; Seed <= 300; ++Seed) {
    GeneratedKernel K = gen(Seed);
    std::string Errs;
    auto M = compile(K.Source, K.Checked, Errs);
    ASSERT_TRUE(M) << Errs;
    C.add(*M);
  }
  EXPECT_EQ(C.kernels(), 300u);
  for (kir::Op O : C.missingOps())
    ADD_FAILURE() << "no kernel has op " << kir::opName(O).str();
  for (const std::string &T : C.missingTypes())
    ADD_FAILURE() << "no kernel has a value of type " << T;
}

TEST(KernelGenTest, CoverageSurvivesItsEncoding) {
  GeneratedKernel K = gen(5);
  std::string Errs;
  auto M = compile(K.Source, K.Checked, Errs);
  ASSERT_TRUE(M) << Errs;
  Coverage Direct, Decoded;
  Direct.add(*M);
  Decoded.addEncoded(Coverage::encode(*M));
  for (unsigned O = 0; O < kir::numOps(); ++O) {
    EXPECT_EQ(Direct.nodesOf(kir::Op(O)), Decoded.nodesOf(kir::Op(O)));
    EXPECT_EQ(Direct.kernelsWith(kir::Op(O)), Decoded.kernelsWith(kir::Op(O)));
  }
  EXPECT_EQ(Direct.typeKernels(), Decoded.typeKernels());
}

TEST(BatchTest, JobsAndOutcomesRoundTrip) {
  BatchJob J;
  J.Kernel = "/w/k1.k";
  J.JS = "/w/k1.mjs";
  J.Py = "/w/k1.py";
  J.Inputs = "/w/k1.kin";
  J.Entry = "kmain";
  J.Params = {"int", "[f64]"};
  J.Result = "Out";
  J.Records["Out"] = {{"a", "int"}, {"b", "[str]"}};
  J.Checked = true;
  J.OptLevel = 0;
  std::string Line;
  llvm::raw_string_ostream OS(Line);
  writeBatchJob(J, OS);
  OS.flush();
  EXPECT_EQ(Line.back(), '\n');
  EXPECT_EQ(Line.find('\n'), Line.size() - 1) << "one line";
  auto P = parseBatchJob(Line);
  ASSERT_TRUE(bool(P)) << llvm::toString(P.takeError());
  EXPECT_EQ(P->Kernel, J.Kernel);
  EXPECT_EQ(P->Params, J.Params);
  EXPECT_EQ(P->Records, J.Records);
  EXPECT_TRUE(P->Checked);
  EXPECT_EQ(P->OptLevel, 0u);

  Outcome O;
  O.K = Outcome::Trap;
  O.Text = "index out of range";
  O.Line = 7;
  std::string OL;
  llvm::raw_string_ostream OOS(OL);
  writeOutcome(3, O, OOS);
  auto PO = parseOutcome(llvm::StringRef(OL).trim());
  ASSERT_TRUE(bool(PO));
  EXPECT_EQ(PO->first, 3u);
  EXPECT_EQ(PO->second, O);
  EXPECT_FALSE(bool(parseOutcome("{\"i\": 1, \"kind\": \"weird\"}")));
}

Outcome ok(const char *Text) {
  Outcome O;
  O.K = Outcome::Ok;
  O.Text = Text;
  return O;
}

Outcome trap(const char *Text, int64_t Line) {
  Outcome O;
  O.K = Outcome::Trap;
  O.Text = Text;
  O.Line = Line;
  return O;
}

TEST(JudgeTest, VerdictsAndSignatures) {
  EXPECT_EQ(judge({ok("1"), ok("1"), ok("1")}).K, Verdict::AgreeResult);
  EXPECT_EQ(judge({trap("x", 3), trap("x", 3), trap("x", 3)}).K,
            Verdict::AgreeTrap);
  // The same trap on another line is a divergence (evaluation order).
  Verdict V = judge({trap("x", 3), trap("x", 4), trap("x", 3)});
  EXPECT_EQ(V.K, Verdict::Diverged);
  V = judge({ok("1"), ok("2"), ok("1")});
  EXPECT_EQ(V.K, Verdict::Diverged);
  EXPECT_EQ(V.Signature, "native=ok:A v8=ok:B cpython=ok:A");
  Outcome Ex;
  Ex.K = Outcome::Exception;
  Ex.Text = "TypeError: nope";
  V = judge({trap("index out of range", 2), ok("1"), Ex});
  EXPECT_EQ(
      V.Signature,
      "native=trap:index out of range v8=ok:A cpython=exception:TypeError");
  // A runtime not run does not count.
  EXPECT_EQ(judge({ok("1"), Outcome(), ok("1")}).K, Verdict::AgreeResult);
}

/// The reducer on an artificial divergence: "the kernel lowercases a
/// string" must still hold, every candidate passes the front-end, and what
/// is left is small.
TEST(ReduceTest, ShrinksToThePredicate) {
  // A generated kernel that lowercases somewhere.
  std::string Source;
  bool Checked = false;
  auto Holds = testPredicate("op:str.lower", false);
  ASSERT_TRUE(bool(Holds)) << llvm::toString(Holds.takeError());
  for (uint64_t Seed = 1; Seed < 100 && Source.empty(); ++Seed) {
    GeneratedKernel K = gen(Seed, false);
    if ((*Holds)(K.Source)) {
      Source = K.Source;
      Checked = K.Checked;
    }
  }
  ASSERT_FALSE(Source.empty());
  unsigned Calls = 0;
  InterestingFn Counting = [&](const std::string &Cand) {
    ++Calls;
    std::string Errs;
    EXPECT_TRUE(compile(Cand, Checked, Errs)) << "a candidate the front-end "
                                                 "rejects:\n"
                                              << Errs;
    return (*Holds)(Cand);
  };
  ReduceOptions RO;
  RO.Checked = Checked;
  auto Reduced = reduceKernel(Source, Counting, RO);
  ASSERT_TRUE(bool(Reduced)) << llvm::toString(Reduced.takeError());
  EXPECT_GT(Calls, 1u);
  EXPECT_TRUE((*Holds)(*Reduced));
  size_t Lines = size_t(std::count(Reduced->begin(), Reduced->end(), '\n'));
  size_t Before = size_t(std::count(Source.begin(), Source.end(), '\n'));
  EXPECT_LT(Lines, 25u) << *Reduced;
  EXPECT_LT(Lines * 5, Before);
  // Deterministic: the same input reduces to the same text.
  auto Again = reduceKernel(Source, *Holds, RO);
  ASSERT_TRUE(bool(Again));
  EXPECT_EQ(*Again, *Reduced);
}

TEST(ReduceTest, RefusesWhatIsNotInteresting) {
  GeneratedKernel K = gen(3, false);
  ReduceOptions RO;
  auto R = reduceKernel(
      K.Source, [](const std::string &) { return false; }, RO);
  ASSERT_FALSE(bool(R));
  EXPECT_NE(llvm::toString(R.takeError()).find("not interesting"),
            std::string::npos);
  auto Bad = reduceKernel(
      "fn f( {", [](const std::string &) { return true; }, RO);
  ASSERT_FALSE(bool(Bad));
  EXPECT_NE(llvm::toString(Bad.takeError()).find("does not parse"),
            std::string::npos);
}

TEST(ReduceTest, KeepsLoopsBounded) {
  // Whatever else goes, the counter of a while that the predicate needs
  // stays: a candidate without it would loop forever.
  const char *Source = R"(fn kmain(n: int) -> int {
  var w = 0;
  var s = 0;
  while w < 5 && n >= 0 {
    w += 1;
    s += n;
  }
  return s;
}

bench kmain {
  workload w(small: 1, default: 1, large: 1) {
    n = size;
  }
}
)";
  auto Holds = testPredicate("op:while", false);
  ASSERT_TRUE(bool(Holds));
  ReduceOptions RO;
  auto Reduced = reduceKernel(Source, *Holds, RO);
  ASSERT_TRUE(bool(Reduced)) << llvm::toString(Reduced.takeError());
  EXPECT_NE(Reduced->find("w += 1;"), std::string::npos) << *Reduced;
  EXPECT_NE(Reduced->find("while w < 5"), std::string::npos) << *Reduced;
  EXPECT_EQ(Reduced->find("s += n"), std::string::npos) << *Reduced;
}

} // namespace
