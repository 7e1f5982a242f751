//===- JSSyntax.cpp - JS expression text with precedence and facts -------===//

#include "JSSyntax.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace llvm;

namespace kc {
namespace jsgen {

JSExpr atom(std::string Text, const kir::Type *Ty) {
  JSExpr E;
  E.Text = std::move(Text);
  E.Ty = Ty;
  // A literal that starts with '-' is a unary minus to the grammar.
  if (!E.Text.empty() && E.Text[0] == '-')
    E.P = Prec::Unary;
  return E;
}

std::string paren(const JSExpr &E, Prec Min) {
  if (E.P < Min)
    return "(" + E.Text + ")";
  return E.Text;
}

static Prec binaryPrec(StringRef Op) {
  return StringSwitch<Prec>(Op)
      .Case("??", Prec::Coalesce)
      .Case("||", Prec::LogicalOr)
      .Case("&&", Prec::LogicalAnd)
      .Case("|", Prec::BitOr)
      .Case("^", Prec::BitXor)
      .Case("&", Prec::BitAnd)
      .Cases("===", "!==", Prec::Equality)
      .Cases("<", "<=", ">", ">=", Prec::Relational)
      .Cases("<<", ">>", ">>>", Prec::Shift)
      .Cases("+", "-", Prec::Additive)
      .Cases("*", "/", "%", Prec::Multiplicative);
}

static bool isBitwise(StringRef Op) {
  return Op == "|" || Op == "^" || Op == "&" || Op == "<<" || Op == ">>" ||
         Op == ">>>";
}

static bool isMultiplicative(StringRef Op) {
  return Op == "*" || Op == "/" || Op == "%";
}

static bool isComparison(StringRef Op) {
  return binaryPrec(Op) == Prec::Equality || binaryPrec(Op) == Prec::Relational;
}

/// Parentheses a reader wants although the grammar does not need them; the
/// rules prettier applies, so the output looks like formatted code.
static bool clarityParens(StringRef Parent, StringRef Child, bool IsLeft) {
  if (Child.empty())
    return false;
  // A left operand with the same operator is a chain: a & b & c, a * b * c.
  bool Chain = IsLeft && Child == Parent;
  if (isBitwise(Parent))
    return !Chain;
  if (isMultiplicative(Parent) && isMultiplicative(Child))
    return !Chain;
  if ((Parent == "+" || Parent == "-") && Child == "%")
    return true;
  if (Parent == "||" && Child == "&&")
    return true;
  if (Parent == "??" && (Child == "&&" || Child == "||"))
    return true;
  if (binaryPrec(Parent) == Prec::Equality && isComparison(Child))
    return true;
  return false;
}

void mergeFacts(JSExpr &Into, const JSExpr &Part) {
  Into.Pure = Into.Pure && Part.Pure;
  Into.ReadsHeap = Into.ReadsHeap || Part.ReadsHeap;
  Into.Cost += Part.Cost;
  for (const kir::Local *L : Part.Reads)
    if (!llvm::is_contained(Into.Reads, L))
      Into.Reads.push_back(L);
}

JSExpr binary(const JSExpr &L, StringRef Op, const JSExpr &R) {
  Prec P = binaryPrec(Op);
  bool LP = L.P < P || clarityParens(Op, L.BinOp, /*IsLeft=*/true) ||
            // ?? cannot take an unparenthesised && or || operand at all.
            (P == Prec::Coalesce && L.P <= Prec::LogicalOr);
  // Every binary operator we print is left-associative: an operand of the
  // same precedence on the right keeps its parentheses (a - (b - c)).
  // && and || are associative, evaluation order included.
  bool RP = (R.P <= P && !((Op == "&&" || Op == "||") && R.BinOp == Op)) ||
            clarityParens(Op, R.BinOp, /*IsLeft=*/false);
  JSExpr E;
  E.Text = (LP ? "(" + L.Text + ")" : L.Text) + " " + Op.str() + " " +
           (RP ? "(" + R.Text + ")" : R.Text);
  E.P = P;
  E.BinOp = Op.str();
  E.Pure = true;
  E.Cost = 1;
  mergeFacts(E, L);
  mergeFacts(E, R);
  return E;
}

JSExpr unary(StringRef Op, const JSExpr &E) {
  bool Parens = E.P < Prec::Unary ||
                // "- -x" would read as a decrement to a human: -(-x).
                (!E.Text.empty() && Op == "-" && E.Text[0] == '-');
  JSExpr R;
  R.Text = Op.str() + (Parens ? "(" + E.Text + ")" : E.Text);
  R.P = Prec::Unary;
  R.Cost = 1;
  mergeFacts(R, E);
  if (Op == "!") {
    R.NegText = E.Text;
    R.NegP = E.P;
    R.NegBinOp = E.BinOp;
  }
  return R;
}

JSExpr negate(const JSExpr &E) {
  if (E.NegText.empty())
    return unary("!", E);
  JSExpr R = E;
  std::swap(R.Text, R.NegText);
  std::swap(R.P, R.NegP);
  std::swap(R.BinOp, R.NegBinOp);
  return R;
}

std::string formatDouble(double V) {
  if (std::isnan(V))
    return "NaN";
  if (std::isinf(V))
    return V < 0 ? "-Infinity" : "Infinity";
  if (V == 0)
    return std::signbit(V) ? "-0.0" : "0.0";
  // The fewest significant digits that read back as V (glibc rounds
  // correctly), then laid out as Number.prototype.toString does.
  char Buf[64];
  int Digits = 1;
  for (; Digits <= 17; ++Digits) {
    std::snprintf(Buf, sizeof Buf, "%.*e", Digits - 1, V);
    if (std::strtod(Buf, nullptr) == V)
      break;
  }
  std::string S(Buf);
  std::string Sign;
  if (S[0] == '-') {
    Sign = "-";
    S.erase(0, 1);
  }
  size_t EPos = S.find('e');
  int Exp = std::atoi(S.c_str() + EPos + 1);
  std::string Mant;
  for (char C : S.substr(0, EPos))
    if (C != '.')
      Mant += C;
  while (Mant.size() > 1 && Mant.back() == '0')
    Mant.pop_back();
  int K = static_cast<int>(Mant.size());
  int N = Exp + 1; // the decimal point sits after N digits
  std::string Out;
  if (K <= N && N <= 21) {
    Out = Mant + std::string(N - K, '0') + ".0";
  } else if (0 < N && N <= 21) {
    Out = Mant.substr(0, N) + "." + Mant.substr(N);
  } else if (-2 < N && N <= 0) {
    // Below 0.001 the exponent reads better: 1.66e-3, not 0.00166.

    Out = "0." + std::string(-N, '0') + Mant;
  } else {
    Out = Mant.substr(0, 1);
    if (K > 1)
      Out += "." + Mant.substr(1);
    Out += "e";
    Out += N - 1 >= 0 ? "+" : "-";
    Out += std::to_string(std::abs(N - 1));
  }
  return Sign + Out;
}

std::string quoteString(StringRef S) {
  static const char Hex[] = "0123456789abcdef";
  std::string Out = "\"";
  for (size_t I = 0; I < S.size(); ++I) {
    unsigned char C = S[I];
    switch (C) {
    case '"':
      Out += "\\\"";
      continue;
    case '\\':
      Out += "\\\\";
      continue;
    case '\n':
      Out += "\\n";
      continue;
    case '\t':
      Out += "\\t";
      continue;
    case '\r':
      Out += "\\r";
      continue;
    default:
      break;
    }
    if (C < 0x20 || C >= 0x7f) {
      Out += "\\x";
      Out += Hex[C >> 4];
      Out += Hex[C & 15];
      continue;
    }
    Out += static_cast<char>(C);
  }
  return Out + "\"";
}

std::string indentLines(StringRef Text, unsigned Levels) {
  std::string Pad(2 * Levels, ' ');
  std::string Out;
  for (char C : Text) {
    Out += C;
    if (C == '\n')
      Out += Pad;
  }
  return Out;
}

} // namespace jsgen
} // namespace kc
