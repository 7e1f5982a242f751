//===- JSSyntaxTest.cpp - Unit tests of the JS back-end's syntax helpers --===//
//
// Number literals must read back as the same double in JS and look like
// what Number#toString prints; parentheses follow precedence plus the
// clarity rules prettier applies; names avoid reserved words and shadowing.
//
//===----------------------------------------------------------------------===//

#include "Target/JS/JSNames.h"
#include "Target/JS/JSSyntax.h"
#include "gtest/gtest.h"
#include <cmath>
#include <limits>

using namespace kc::jsgen;

namespace {

TEST(JSSyntax, FormatDouble) {
  EXPECT_EQ(formatDouble(0.0), "0.0");
  EXPECT_EQ(formatDouble(-0.0), "-0.0");
  EXPECT_EQ(formatDouble(1.0), "1.0");
  EXPECT_EQ(formatDouble(0.5), "0.5");
  EXPECT_EQ(formatDouble(0.1), "0.1");
  EXPECT_EQ(formatDouble(-2.5), "-2.5");
  EXPECT_EQ(formatDouble(365.24), "365.24");
  EXPECT_EQ(formatDouble(4.84143144246472090), "4.841431442464721");
  EXPECT_EQ(formatDouble(0.01), "0.01");
  // Below 0.001 the exponent reads better than JS's own 0.000069...
  EXPECT_EQ(formatDouble(-6.90460016972063023e-5), "-6.90460016972063e-5");
  EXPECT_EQ(formatDouble(1.66007664274403694e-3), "1.660076642744037e-3");
  EXPECT_EQ(formatDouble(1e21), "1e+21");
  EXPECT_EQ(formatDouble(1e20), "100000000000000000000.0");
  EXPECT_EQ(formatDouble(9007199254740993.0), "9007199254740992.0");
  EXPECT_EQ(formatDouble(5e-324), "5e-324");
  EXPECT_EQ(formatDouble(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(formatDouble(std::numeric_limits<double>::infinity()),
            "Infinity");
  EXPECT_EQ(formatDouble(-std::numeric_limits<double>::infinity()),
            "-Infinity");
  EXPECT_EQ(formatDouble(std::nan("")), "NaN");
}

TEST(JSSyntax, QuoteString) {
  EXPECT_EQ(quoteString("abc"), "\"abc\"");
  EXPECT_EQ(quoteString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quoteString("\n\t\r"), "\"\\n\\t\\r\"");
  EXPECT_EQ(quoteString(llvm::StringRef("\0" "1", 2)), "\"\\x001\"");
  EXPECT_EQ(quoteString("\x7f"), "\"\\x7f\"");
}

JSExpr name(const char *N) { return atom(N, nullptr); }

TEST(JSSyntax, Precedence) {
  JSExpr A = name("a"), B = name("b"), C = name("c");
  EXPECT_EQ(binary(binary(A, "+", B), "*", C).Text, "(a + b) * c");
  EXPECT_EQ(binary(A, "+", binary(B, "*", C)).Text, "a + b * c");
  // Left-associative: the right operand keeps its parentheses...
  EXPECT_EQ(binary(A, "-", binary(B, "-", C)).Text, "a - (b - c)");
  EXPECT_EQ(binary(A, "+", binary(B, "+", C)).Text, "a + (b + c)");
  EXPECT_EQ(binary(binary(A, "-", B), "-", C).Text, "a - b - c");
  // ...except for && and ||, which are associative.
  EXPECT_EQ(binary(A, "||", binary(B, "||", C)).Text, "a || b || c");
  EXPECT_EQ(unary("-", unary("-", A)).Text, "-(-a)");
  EXPECT_EQ(unary("!", binary(A, "<", B)).Text, "!(a < b)");
}

TEST(JSSyntax, ClarityParentheses) {
  JSExpr A = name("a"), B = name("b"), C = name("c");
  EXPECT_EQ(binary(binary(A, "+", B), "|", name("0")).Text, "(a + b) | 0");
  EXPECT_EQ(binary(A, "^", binary(B, ">>>", name("8"))).Text, "a ^ (b >>> 8)");
  EXPECT_EQ(binary(binary(A, "&", B), "&", C).Text, "a & b & c");
  EXPECT_EQ(binary(binary(A, "*", B), "/", C).Text, "(a * b) / c");
  EXPECT_EQ(binary(binary(A, "*", B), "*", C).Text, "a * b * c");
  EXPECT_EQ(binary(A, "+", binary(B, "%", C)).Text, "a + (b % c)");
  EXPECT_EQ(binary(binary(A, "&&", B), "||", C).Text, "(a && b) || c");
  EXPECT_EQ(binary(binary(A, "<", B), "===", C).Text, "(a < b) === c");
  EXPECT_EQ(binary(binary(A, "||", B), "??", C).Text, "(a || b) ?? c");
}

TEST(JSSyntax, Negate) {
  JSExpr Lt = binary(name("a"), "<", name("b"));
  Lt.NegText = "a >= b";
  Lt.NegP = Prec::Relational;
  EXPECT_EQ(negate(Lt).Text, "a >= b");
  EXPECT_EQ(negate(negate(Lt)).Text, "a < b");
  JSExpr Not = unary("!", name("x"));
  EXPECT_EQ(negate(Not).Text, "x");
}

TEST(JSNames, Reserved) {
  EXPECT_TRUE(isReservedName("class"));
  EXPECT_TRUE(isReservedName("Math"));
  EXPECT_TRUE(isReservedName("KernelTrap"));
  EXPECT_FALSE(isReservedName("classes"));
  EXPECT_EQ(sanitizeName("new"), "new_");
  EXPECT_EQ(sanitizeName("total"), "total");
}

TEST(JSNames, Shadowing) {
  llvm::StringSet<> Module{"f", "g"};
  ScopeNamer N(Module);
  unsigned X = N.declare({"x"}); // parameter
  unsigned F = N.declare({"f"}); // a local named like a function
  N.openScope();
  unsigned Inner = N.declare({"x"}); // shadows x, which the block still uses
  N.use(X);
  N.closeScope();
  N.openScope();
  unsigned Sibling = N.declare({"x"}); // shadows x, which it does not use
  unsigned Index = N.declare({"i", "j"}, /*Hidden=*/true);
  N.openScope();
  unsigned User = N.declare({"i"}); // a kernel `i` inside our loop
  N.closeScope();
  N.closeScope();
  N.assign();
  EXPECT_EQ(N.name(X), "x");
  EXPECT_EQ(N.name(F), "f_");
  EXPECT_EQ(N.name(Inner), "x_2");
  EXPECT_EQ(N.name(Sibling), "x");
  EXPECT_EQ(N.name(User), "i");
  EXPECT_EQ(N.name(Index), "j");
}

} // namespace
