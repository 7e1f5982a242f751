//===- ParserTest.cpp - Unit tests of the parser --------------------------===//

#include "Lang/Parser.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace kc;

namespace {

struct Parsed {
  ast::File F;
  std::string Errors;
  unsigned NumErrors = 0;
};

Parsed parse(llvm::StringRef Src) {
  static llvm::SourceMgr *Keep = nullptr;  // AST locations point into it
  delete Keep;
  Keep = new llvm::SourceMgr();
  Keep->AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(Src, "p.k"),
                           llvm::SMLoc());
  Parsed R;
  llvm::raw_string_ostream OS(R.Errors);
  DiagnosticEngine Diags(*Keep, OS);
  Parser P(Keep->getMemoryBuffer(1)->getBuffer(), Diags);
  R.F = P.parseFile();
  R.NumErrors = Diags.numErrors();
  return R;
}

TEST(ParserTest, ItemsAndSignatures) {
  Parsed R = parse("record P { x: f64, ys: [map[str]int], }\n"
                   "fn f(a: i32, p: P) -> [P] { return [p]; }\n"
                   "fn g() { }\n");
  ASSERT_EQ(R.NumErrors, 0u) << R.Errors;
  ASSERT_EQ(R.F.Records.size(), 1u);
  EXPECT_EQ(R.F.Records[0].Fields.size(), 2u);
  const ast::TypeExpr &YS = *R.F.Records[0].Fields[1].Ty;
  EXPECT_EQ(YS.K, ast::TypeExpr::Array);
  EXPECT_EQ(YS.Elem->K, ast::TypeExpr::Map);
  EXPECT_EQ(YS.Elem->Key->Name, "str");
  ASSERT_EQ(R.F.Functions.size(), 2u);
  EXPECT_EQ(R.F.Functions[0].Params.size(), 2u);
  EXPECT_EQ(R.F.Functions[1].RetTy, nullptr);
}

TEST(ParserTest, PrecedenceFollowsTheGrammar) {
  Parsed R = parse("fn f(a: i32, b: i32) -> bool { return a + b * 2 == a | b && true; }");
  ASSERT_EQ(R.NumErrors, 0u) << R.Errors;
  const ast::Expr &E = *R.F.Functions[0].Body->Stmts[0]->Value;
  // ((a + (b * 2)) == (a | b)) && true
  ASSERT_EQ(E.Op, Tok::AmpAmp);
  const ast::Expr &Cmp = *E.Args[0];
  ASSERT_EQ(Cmp.Op, Tok::EqEq);
  EXPECT_EQ(Cmp.Args[0]->Op, Tok::Plus);
  EXPECT_EQ(Cmp.Args[0]->Args[1]->Op, Tok::Star);
  EXPECT_EQ(Cmp.Args[1]->Op, Tok::Pipe);
}

TEST(ParserTest, StatementsAndLoops) {
  Parsed R = parse("fn f(m: map[str]int) {\n"
                   "  var i = 0;\n"
                   "  for k, v in m { i += v; }\n"
                   "  for j in 0..10 { if j > 5 { break; } else if j < 2 { continue; } }\n"
                   "  while i > 0 { i -= 1; }\n"
                   "  { let x = 1; }\n"
                   "}");
  ASSERT_EQ(R.NumErrors, 0u) << R.Errors;
  auto &S = R.F.Functions[0].Body->Stmts;
  ASSERT_EQ(S.size(), 5u);
  EXPECT_EQ(S[0]->K, ast::Stmt::Let);
  EXPECT_TRUE(S[0]->Mutable);
  EXPECT_EQ(S[1]->K, ast::Stmt::ForMap);
  EXPECT_EQ(S[1]->Body->Stmts[0]->K, ast::Stmt::Assign);
  EXPECT_EQ(S[1]->Body->Stmts[0]->Op, Tok::PlusEq);
  EXPECT_EQ(S[2]->K, ast::Stmt::ForRange);
  EXPECT_EQ(S[2]->Body->Stmts[0]->Else->Stmts[0]->K, ast::Stmt::If);
  EXPECT_EQ(S[3]->K, ast::Stmt::While);
  EXPECT_EQ(S[4]->K, ast::Stmt::Block);
}

TEST(ParserTest, RecordLiteralNotInConditions) {
  // `if p == P {` must read the brace as the block, not a record literal.
  Parsed R = parse("record P { x: int }\n"
                   "fn f(p: P) -> int { if p.x == 1 { return P { x: 2 }.x; } return 0; }");
  ASSERT_EQ(R.NumErrors, 0u) << R.Errors;
}

TEST(ParserTest, BenchSection) {
  Parsed R = parse("fn k(d: bytes, n: int) -> int { return n; }\n"
                   "bench k {\n"
                   "  workload w(small: 10, default: 2 * 1000, large: 1_000_000) {\n"
                   "    d = random_bytes(size / 2, 7);\n"
                   "    n = size + 1;\n"
                   "  }\n"
                   "}\n");
  ASSERT_EQ(R.NumErrors, 0u) << R.Errors;
  ASSERT_EQ(R.F.Benches.size(), 1u);
  const bench::BenchSpec &B = R.F.Benches[0].Spec;
  EXPECT_EQ(B.Entry, "k");
  ASSERT_EQ(B.Workloads.size(), 1u);
  EXPECT_EQ(B.Workloads[0].Sizes[1], 2000);
  ASSERT_EQ(B.Workloads[0].Args.size(), 2u);
  EXPECT_EQ(B.Workloads[0].Args[0].Gen, bench::GenKind::RandomBytes);
  auto N = B.Workloads[0].Args[0].Args[0].evalInt(100);
  ASSERT_TRUE(bool(N));
  EXPECT_EQ(*N, 50);
}

TEST(ParserTest, RecoversAndReportsSeveralErrors) {
  Parsed R = parse("fn a() { let = 1; }\n"
                   "fn b() { return 1 +; }\n"
                   "fn c( { }\n"
                   "fn d() -> int { return 1; }\n");
  EXPECT_EQ(R.NumErrors, 3u) << R.Errors;
  // The good function after the broken ones is still parsed.
  bool SawD = false;
  for (const auto &F : R.F.Functions)
    SawD |= F.Name == "d";
  EXPECT_TRUE(SawD);
}

TEST(ParserTest, DeepNestingIsAnErrorNotACrash) {
  std::string Src = "fn f() -> int { return " + std::string(100000, '(') + "1" +
                    std::string(100000, ')') + "; }";
  Parsed R = parse(Src);
  EXPECT_GE(R.NumErrors, 1u);
  EXPECT_NE(R.Errors.find("nesting is too deep"), std::string::npos);
  std::string Blocks = "fn f() { " + std::string(50000, '{') + " }";
  Parsed R2 = parse(Blocks);
  EXPECT_GE(R2.NumErrors, 1u);
  std::string Unary = "fn f() -> int { return " + std::string(50000, '-') + "1; }";
  Parsed R3 = parse(Unary);
  EXPECT_GE(R3.NumErrors, 1u);
}

TEST(ParserTest, EmptyAndTruncatedFiles) {
  EXPECT_EQ(parse("").NumErrors, 0u);
  EXPECT_GE(parse("fn").NumErrors, 1u);
  EXPECT_GE(parse("fn f(").NumErrors, 1u);
  EXPECT_GE(parse("fn f() -> int { return 1").NumErrors, 1u);
  EXPECT_GE(parse("record R { x: ").NumErrors, 1u);
  EXPECT_GE(parse("bench k { workload w(small: 1").NumErrors, 1u);
}

} // namespace
