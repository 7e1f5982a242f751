//===- SemaTest.cpp - Unit tests of the type checker ----------------------===//

#include "Lang/Parser.h"
#include "Lang/Sema.h"
#include "ir/Verifier.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace kc;

namespace {

struct Checked {
  std::unique_ptr<kir::Module> M;
  std::string Errors;
};

Checked check(llvm::StringRef Src, SemaOptions Opts = {}) {
  llvm::SourceMgr SM;
  SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(Src, "s.k"),
                        llvm::SMLoc());
  Checked R;
  llvm::raw_string_ostream OS(R.Errors);
  DiagnosticEngine Diags(SM, OS);
  Parser P(SM.getMemoryBuffer(1)->getBuffer(), Diags);
  ast::File F = P.parseFile();
  if (!Diags.hasErrors())
    R.M = checkAndLower(F, "s.k", Diags, Opts);
  return R;
}

bool hasError(const Checked &C, llvm::StringRef Msg) {
  return llvm::StringRef(C.Errors).contains(Msg);
}

TEST(SemaTest, LiteralsTakeTheContextType) {
  Checked C = check("fn f(x: u32) -> u32 { return x * 16777619 + 1; }");
  ASSERT_TRUE(C.M) << C.Errors;
  const kir::Node *Ret = C.M->Functions[0]->Body->Stmts[0];
  const kir::Node *Add = Ret->operand(0);
  EXPECT_EQ(Add->Opcode, kir::Op::U32Add);
  EXPECT_EQ(Add->operand(1)->Opcode, kir::Op::U32Const);
  EXPECT_EQ(Add->operand(0)->operand(1)->Opcode, kir::Op::U32Const);
  EXPECT_FALSE(kir::verify(*C.M));
}

TEST(SemaTest, LiteralOnTheLeftAdoptsTheRightType) {
  Checked C = check("fn f(x: i32) -> i32 { return 3 - x; }");
  ASSERT_TRUE(C.M) << C.Errors;
  const kir::Node *Sub = C.M->Functions[0]->Body->Stmts[0]->operand(0);
  EXPECT_EQ(Sub->Opcode, kir::Op::I32Sub);
  EXPECT_EQ(Sub->operand(0)->Opcode, kir::Op::I32Const);
}

TEST(SemaTest, NoImplicitConversions) {
  EXPECT_TRUE(hasError(check("fn f(a: i32, b: u32) -> bool { return a < b; }"),
                       "operands of '<' have different types: i32 and u32"));
  EXPECT_TRUE(hasError(check("fn f(a: f64) -> f64 { return a + 1.0 * 2; }"),
                       ""));  // 2 becomes f64 here: fine
  EXPECT_FALSE(check("fn f(a: f64) -> f64 { return a + 1.0 * 2; }").M == nullptr);
  EXPECT_TRUE(hasError(check("fn f(s: str) -> int { return int(s); }"),
                       "use parse_int(s)"));
}

TEST(SemaTest, BitwiseOnlyOn32BitTypes) {
  EXPECT_TRUE(hasError(check("fn f(a: int) -> int { return a << 2; }"),
                       "needs i32 or u32, not int"));
  EXPECT_TRUE(check("fn f(a: i32) -> i32 { return a << 2 >> 1 & 3; }").M != nullptr);
}

TEST(SemaTest, CheckedModeWrapsIntArithmetic) {
  SemaOptions Opts;
  Opts.Checked = true;
  Checked C = check("fn f(a: int) -> int { return a * a; }", Opts);
  ASSERT_TRUE(C.M) << C.Errors;
  const kir::Node *V = C.M->Functions[0]->Body->Stmts[0]->operand(0);
  EXPECT_EQ(V->Opcode, kir::Op::IntCheckSafe);
  EXPECT_EQ(V->operand(0)->Opcode, kir::Op::IntMul);
}

TEST(SemaTest, ScopesAndShadowing) {
  EXPECT_TRUE(check("fn f() -> int { let a = 1; if true { let a = 2; } return a; }").M);
  EXPECT_TRUE(hasError(check("fn f() -> int { if true { let b = 2; } return b; }"),
                       "use of undeclared name 'b'"));
  EXPECT_TRUE(hasError(check("fn f() -> int { for i in 0..3 { i = 2; } return 0; }"),
                       "cannot assign to 'i'"));
}

TEST(SemaTest, ReturnsOnEveryPath) {
  EXPECT_TRUE(check("fn f(x: int) -> int { if x > 0 { return 1; } else { return 2; } }").M);
  EXPECT_TRUE(check("fn f(x: int) -> int { while true { if x > 0 { return 1; } } }").M);
  EXPECT_TRUE(hasError(
      check("fn f(x: int) -> int { while true { if x > 0 { break; } } }"),
      "missing return"));
  EXPECT_TRUE(hasError(check("fn f(x: int) -> int { if x > 0 { return 1; } }"),
                       "missing return"));
}

TEST(SemaTest, RecordsAndRecursion) {
  EXPECT_TRUE(check("record A { b: B } record B { n: int } fn f(a: A) -> int { return a.b.n; }").M);
  EXPECT_TRUE(hasError(check("record A { a: A }"), "record 'A' contains itself (A -> A)"));
  EXPECT_TRUE(check("record T { kids: [T], index: map[int]T }").M);
  EXPECT_TRUE(hasError(check("record i32 { x: int }"), "built-in type name"));
}

TEST(SemaTest, MapsAndMethods) {
  Checked C = check("fn f(m: map[int]str) -> str {\n"
                    "  m[1] = \"a\";\n"
                    "  if m.contains(2) { return m[2]; }\n"
                    "  return m.get(3, \"none\");\n"
                    "}");
  ASSERT_TRUE(C.M) << C.Errors;
  EXPECT_FALSE(kir::verify(*C.M));
  EXPECT_TRUE(hasError(check("fn f(m: map[int]str) { m.push(1); }"),
                       "type map[int]str has no method 'push'"));
  EXPECT_TRUE(hasError(check("fn f(m: map[int]str) { m[\"k\"] = \"v\"; }"),
                       "expected int, found str"));
}

TEST(SemaTest, StringBuiltins) {
  Checked C = check("fn f(s: str) -> str {\n"
                    "  let parts = s.lower().split(\",\");\n"
                    "  if s.starts_with(\"a\", 0) && s.find(\"b\", 1) >= 0 {\n"
                    "    return join(parts, \"\");\n"
                    "  }\n"
                    "  return join([\"x\", \"y\"], \"-\") + join([], \"\");\n"
                    "}");
  ASSERT_TRUE(C.M) << C.Errors;
  EXPECT_FALSE(kir::verify(*C.M));
  EXPECT_TRUE(hasError(check("fn f(s: str) -> int { return s.find(1, 0); }"),
                       "s.k:1:37: error: type mismatch in argument 1 of "
                       "'find': expected str, found int"));
  EXPECT_TRUE(hasError(
      check("fn f(s: str) -> bool { return s.starts_with(\"a\", 1.0); }"),
      "type mismatch in argument 2 of 'starts_with': "
      "expected int, found f64"));
  EXPECT_TRUE(hasError(check("fn f(s: str) -> int { return s.find(\"a\"); }"),
                       "'find' takes 2 arguments, 1 given"));
  EXPECT_TRUE(hasError(check("fn f(s: str) -> [str] { return s.split(); }"),
                       "'split' takes 1 argument, 0 given"));
  EXPECT_TRUE(hasError(check("fn f(s: str) -> str { return s.lower(1); }"),
                       "'lower' takes 0 arguments, 1 given"));
  EXPECT_TRUE(hasError(check("fn f(b: bytes) -> bytes { return b.lower(); }"),
                       "type bytes has no method 'lower'"));
  EXPECT_TRUE(
      hasError(check("fn f(xs: [int]) -> str { return join(xs, \",\"); }"),
               "type mismatch in argument 1 of 'join': expected "
               "[str], found [int]"));
  EXPECT_TRUE(hasError(check("fn f() -> str { return join([1], \",\"); }"),
                       "type mismatch in the array element: expected str, "
                       "found int"));
  EXPECT_TRUE(hasError(check("fn join(a: int) -> int { return a; }"),
                       "'join' is a built-in name"));
}

TEST(SemaTest, TrimReplaceContains) {
  Checked C = check("fn f(s: str, m: map[str]int) -> str {\n"
                    "  let t = s.trim().replace(\"a\", \"b\");\n"
                    "  if t.contains(\"x\") && m.contains(t) {\n"
                    "    return t;\n"
                    "  }\n"
                    "  return s.replace(t, \"\").trim();\n"
                    "}");
  ASSERT_TRUE(C.M) << C.Errors;
  EXPECT_FALSE(kir::verify(*C.M));
  EXPECT_TRUE(hasError(check("fn f(s: str) -> str { return s.trim(1); }"),
                       "'trim' takes 0 arguments, 1 given"));
  EXPECT_TRUE(
      hasError(check("fn f(s: str) -> str { return s.replace(\"a\"); }"),
               "'replace' takes 2 arguments, 1 given"));
  EXPECT_TRUE(hasError(
      check("fn f(s: str) -> str { return s.replace('a', \"b\"); }"),
      "s.k:1:40: error: type mismatch in argument 1 of 'replace': "
      "expected str, found int"));
  EXPECT_TRUE(hasError(
      check("fn f(s: str) -> str { return s.replace(\"a\", 1); }"),
      "type mismatch in argument 2 of 'replace': expected str, found int"));
  EXPECT_TRUE(hasError(check("fn f(s: str) -> bool { return s.contains(1); }"),
                       "type mismatch in the argument of 'contains': "
                       "expected str, found int"));
  EXPECT_TRUE(hasError(check("fn f(b: bytes) -> bool { return "
                             "b.contains(\"a\"); }"),
                       "type bytes has no method 'contains'"));
  // A map's contains still takes the map's key type.
  EXPECT_TRUE(hasError(
      check("fn f(m: map[int]int) -> bool { return m.contains(\"a\"); }"),
      "type mismatch in the map key: expected int, found str"));
}

TEST(SemaTest, StrFromCodes) {
  Checked C = check("fn f(xs: [int]) -> str {\n"
                    "  return str_from_codes(xs) + str_from_codes([104, 105]) +\n"
                    "         str_from_codes([]);\n"
                    "}");
  ASSERT_TRUE(C.M) << C.Errors;
  EXPECT_FALSE(kir::verify(*C.M));
  EXPECT_TRUE(
      hasError(check("fn f(xs: [i32]) -> str { return str_from_codes(xs); }"),
               "s.k:1:48: error: type mismatch in the argument of "
               "'str_from_codes': expected [int], found [i32]"));
  EXPECT_TRUE(hasError(check("fn f() -> str { return str_from_codes(); }"),
                       "'str_from_codes' takes 1 argument, 0 given"));
  EXPECT_TRUE(hasError(check("fn f(s: str) -> str { return str_from_codes(s); }"),
                       "expected [int], found str"));
  EXPECT_TRUE(hasError(check("fn str_from_codes() { }"),
                       "'str_from_codes' is a built-in name"));
}

TEST(SemaTest, BytesU32Le) {
  Checked C = check("fn f(b: bytes, i: int) -> u32 {\n"
                    "  return b.u32le(i) ^ b.slice(1, 5).u32le(0);\n"
                    "}");
  ASSERT_TRUE(C.M) << C.Errors;
  EXPECT_FALSE(kir::verify(*C.M));
  EXPECT_TRUE(hasError(check("fn f(s: str) -> u32 { return s.u32le(0); }"),
                       "s.k:1:32: error: type str has no method 'u32le'"));
  EXPECT_TRUE(
      hasError(check("fn f(b: bytes) -> u32 { return b.u32le(1.5); }"),
               "type mismatch in the argument of 'u32le': expected int, "
               "found f64"));
  EXPECT_TRUE(hasError(check("fn f(b: bytes) -> u32 { return b.u32le(); }"),
                       "'u32le' takes 1 argument, 0 given"));
  EXPECT_TRUE(hasError(check("fn f(b: bytes) -> int { return b.u32le(0); }"),
                       "expected int, found u32"));
}

TEST(SemaTest, ReservedAndDuplicateNames) {
  EXPECT_TRUE(hasError(check("fn len(x: int) -> int { return x; }"), "built-in name"));
  EXPECT_TRUE(hasError(check("fn kc_alloc() { }"), "reserved for the runtime"));
  EXPECT_TRUE(hasError(check("fn f() { } fn f() { }"), "redefinition of function 'f'"));
  EXPECT_TRUE(hasError(check("fn f(a: int, a: int) { }"), "duplicate parameter 'a'"));
}

TEST(SemaTest, BenchBindingsAreCheckedAndOrdered) {
  Checked C = check("fn k(a: [f64], b: int) -> f64 { return a[0] + f64(b); }\n"
                    "bench k { workload w(small: 1, default: 2, large: 3) {\n"
                    "  b = size; a = random_floats(size, 0.0, 1.0, 3); } }");
  ASSERT_TRUE(C.M) << C.Errors;
  ASSERT_TRUE(C.M->Bench);
  EXPECT_EQ(C.M->Bench->Workloads[0].Args[0].Param, "a");
  EXPECT_EQ(C.M->Bench->Workloads[0].Args[1].Param, "b");
  EXPECT_TRUE(hasError(
      check("fn k(a: [int]) -> int { return 0; }\n"
            "bench k { workload w(small: 1, default: 2, large: 3) { a = random_ints(size, 0, 1.5, 3); } }"),
      "argument 3 of 'random_ints' must be an integer"));
  EXPECT_TRUE(hasError(check("fn k() { }\nbench k { workload w(small: 1, default: 2, large: 3) { } }"),
                       "must return a value"));
}

} // namespace
