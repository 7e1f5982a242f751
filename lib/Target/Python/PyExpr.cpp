//===- PyExpr.cpp - KIR expressions to Python expressions -----------------===//
//
// One switch over kir::Op (no default: a new op must be handled here). Each
// op keeps exactly the meaning ir/Ops.def gives it; the comments say which
// Python idiom does, and why it is the fast one.
//
//===----------------------------------------------------------------------===//

#include "PyEmitter.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace kc;
using namespace kc::pygen;
using kir::Node;
using kir::Op;
using kir::TypeKind;

static const char *const MaskU32 = "0xFFFFFFFF";
static const char *const SignI32 = "0x80000000";

// Trap messages, exactly as KC_TRAPS in runtimes/native/kcrt.h.
static const char *const TrapIndex = "index out of range";
static const char *const TrapConversion = "number out of range in conversion";
static const char *const TrapNegLength = "negative array length";
static const char *const TrapEmptyPop = "pop from empty array";
static const char *const TrapSlice = "slice bounds out of range";
static const char *const TrapCharCode = "character code outside 0..127";
static const char *const TrapEmptySeparator = "empty separator in split";
static const char *const TrapNull = "null reference";
static const char *const TrapEmptyPattern = "empty pattern in replace";

//===----------------------------------------------------------------------===//
// Literals
//===----------------------------------------------------------------------===//

std::string pygen::pyStringLiteral(llvm::StringRef S) {
  // Double quotes, as Black writes them, unless the text has some.
  bool HasDouble = S.contains('"'), HasSingle = S.contains('\'');
  char Q = HasDouble && !HasSingle ? '\'' : '"';
  std::string Out(1, Q);
  for (unsigned char C : S) {
    switch (C) {
    case '\\':
      Out += "\\\\";
      continue;
    case '\n':
      Out += "\\n";
      continue;
    case '\r':
      Out += "\\r";
      continue;
    case '\t':
      Out += "\\t";
      continue;
    default:
      break;
    }
    if (C == Q) {
      Out += '\\';
      Out += char(C);
    } else if (C < 0x20 || C >= 0x7f) {
      char Buf[8];
      snprintf(Buf, sizeof(Buf), "\\x%02x", C);
      Out += Buf;
    } else {
      Out += char(C);
    }
  }
  Out += Q;
  return Out;
}

std::string pygen::pyFloatLiteral(double V) {
  // What Python's repr() prints: the shortest digits that read back as V,
  // positional for exponents -4..15, else d.ddde+XX. NaN and infinities are
  // names (from math import inf, nan), handled by the caller.
  std::string Sign = std::signbit(V) ? "-" : "";
  double A = std::fabs(V);
  if (A == 0)
    return Sign + "0.0";
  char Buf[64];
  for (int P = 1; P <= 17; ++P) {
    snprintf(Buf, sizeof(Buf), "%.*e", P - 1, A);
    if (std::strtod(Buf, nullptr) == A)
      break;
  }
  // Buf is d[.ddd]e[+-]XX.
  llvm::StringRef S(Buf);
  size_t EPos = S.find('e');
  std::string Digits;
  for (char C : S.take_front(EPos))
    if (C != '.')
      Digits += C;
  int Exp = std::atoi(Buf + EPos + 1);
  std::string Out;
  if (Exp >= -4 && Exp < 16) {
    if (Exp >= 0) {
      std::string Int = Digits.substr(0, std::min<size_t>(Digits.size(), Exp + 1));
      while (Int.size() < size_t(Exp + 1))
        Int += '0';
      std::string Frac =
          Digits.size() > size_t(Exp + 1) ? Digits.substr(Exp + 1) : "0";
      Out = Int + "." + Frac;
    } else {
      Out = "0." + std::string(-Exp - 1, '0') + Digits;
    }
  } else {
    Out = Digits.substr(0, 1);
    if (Digits.size() > 1)
      Out += "." + Digits.substr(1);
    char ExpBuf[16];
    snprintf(ExpBuf, sizeof(ExpBuf), "e%c%02d", Exp < 0 ? '-' : '+',
             std::abs(Exp));
    Out += ExpBuf;
  }
  return Sign + Out;
}

static PyExpr atom(std::string T) { return {std::move(T), PAtom}; }

/// A left-associative binary operator: the right operand needs a higher
/// precedence (a - (b - c)), the left one does not ((a - b) - c).
static PyExpr binary(const PyExpr &L, llvm::StringRef Op, const PyExpr &R,
                     Prec P) {
  return {paren(L, P) + " " + Op.str() + " " + paren(R, Prec(P + 1)), P};
}

/// Comparisons chain in Python (a < b == c), so both operands need more.
static PyExpr comparison(const PyExpr &L, llvm::StringRef Op,
                         const PyExpr &R) {
  return {paren(L, PBitOr) + " " + Op.str() + " " + paren(R, PBitOr), PCmp};
}

static PyExpr unary(llvm::StringRef Op, const PyExpr &E) {
  // -(-x) rather than --x.
  bool Doubled = E.P == PUnary && !E.Text.empty() && E.Text[0] == Op[0];
  return {Op.str() + (Doubled ? "(" + E.Text + ")" : paren(E, PUnary)),
          PUnary};
}

static PyExpr call(llvm::StringRef Callee, llvm::ArrayRef<PyExpr> Args) {
  std::string T = Callee.str() + "(";
  for (size_t I = 0; I < Args.size(); ++I)
    T += (I ? ", " : "") + paren(Args[I], PCond);
  return {T + ")", PPostfix};
}

static PyExpr conditional(const PyExpr &Then, const PyExpr &Cond,
                          const PyExpr &Else) {
  return {paren(Then, POr) + " if " + paren(Cond, POr) + " else " +
              paren(Else, PCond),
          PCond};
}

static std::string predOp(kir::Pred P) {
  switch (P) {
  case kir::Pred::Eq: return "==";
  case kir::Pred::Ne: return "!=";
  case kir::Pred::Lt: return "<";
  case kir::Pred::Le: return "<=";
  case kir::Pred::Gt: return ">";
  case kir::Pred::Ge: return ">=";
  }
  llvm_unreachable("bad predicate");
}

static bool isIntConst(const Node &N) {
  return N.Opcode == Op::I32Const || N.Opcode == Op::U32Const ||
         N.Opcode == Op::IntConst;
}

static std::string hexLiteral(int64_t V) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << "0x" << llvm::format_hex_no_prefix(uint64_t(V), 1, /*Upper=*/true);
  return S;
}

//===----------------------------------------------------------------------===//
// Properties of operands, seen through inlining
//===----------------------------------------------------------------------===//

const Node &FunctionEmitter::resolve(const Node &N) const {
  if (N.Opcode == Op::LocalGet) {
    auto It = Subst.find(N.Var);
    if (It != Subst.end())
      return *It->second;
  }
  return N;
}

bool FunctionEmitter::simple(const Node &N) const {
  return Analysis::isSimple(&resolve(N));
}

bool FunctionEmitter::duplicable(const Node &N) const {
  // Cheap enough to evaluate twice, and the same value both times: a name,
  // a constant, a length, or one add or subtract of those (i + 1,
  // len(a) - 1).
  const Node &R = resolve(N);
  auto Leaf = [&](const Node &X) {
    const Node &Y = resolve(X);
    if (simple(Y))
      return true;
    bool IsLen = Y.Opcode == Op::ArrayLen || Y.Opcode == Op::StrLen ||
                 Y.Opcode == Op::BytesLen;
    return IsLen && simple(*Y.operand(0));
  };
  if (Leaf(R))
    return true;
  if (R.Opcode == Op::IntAdd || R.Opcode == Op::IntSub)
    return Leaf(*R.operand(0)) && Leaf(*R.operand(1));
  return false;
}

Purity FunctionEmitter::purity(const Node &N) const {
  const Node &R = resolve(N);
  if (&R != &N)
    return purity(R);
  Purity Own = Analysis::purity(&N);
  if (Own == Purity::Any || Subst.empty())
    return Own;
  // An operand may be a parameter standing for an argument.
  Purity P = Own;
  for (const Node *O : N.Operands) {
    Purity Q = purity(*O);
    if (Q == Purity::Any)
      return Purity::Any;
    if (Q == Purity::Quiet)
      P = Purity::Quiet;
  }
  return P;
}

bool FunctionEmitter::canEvaluateBefore(const Node &Later,
                                        const Node &Earlier) const {
  Purity L = purity(Later), E = purity(Earlier);
  if (L == Purity::Stable || E == Purity::Stable)
    return true;
  if (L == Purity::Quiet && E == Purity::Quiet)
    return true;
  // Reads that change nothing and can only fail one way, an index out of
  // range at one kernel line (`next[prev[s]] = next[s]`): whichever fails
  // first, the trap is the same.
  uint32_t Line = 0;
  return indexTrapsOnly(Later, Line) && indexTrapsOnly(Earlier, Line);
}

bool FunctionEmitter::indexTrapsOnly(const Node &N, uint32_t &Line) const {
  const Node &R = resolve(N);
  if (&R != &N)
    return indexTrapsOnly(R, Line);
  bool IsIndex = N.Opcode == Op::ArrayGet || N.Opcode == Op::StrCodeAt ||
                 N.Opcode == Op::BytesAt;
  if (IsIndex) {
    if (Line && Line != N.Loc.Line)
      return false;
    Line = N.Loc.Line;
  } else if (Analysis::ownPurity(&N) == Purity::Any) {
    return false;
  }
  for (const Node *O : N.Operands)
    if (!indexTrapsOnly(*O, Line))
      return false;
  return true;
}

Range FunctionEmitter::range(const Node &N) const {
  // A parameter of an inlined body stands for the argument, whose own range
  // (at this call) is the precise one.
  const Node &R = resolve(N);
  if (&R != &N)
    return isIntConst(R) ? Range::point(R.IntVal) : A.value(&R);
  return A.value(&N);
}

bool FunctionEmitter::isChar(const Node &N) const {
  return A.isCharExpr(&N);
}

bool FunctionEmitter::inlineCall(const Node &Call) const {
  const kir::Function *F = Call.Callee;
  if (!A.isInlinable(F) || !Subst.empty())
    return false;
  const Node *Body = returnedExpr(*F);
  int NonSimple = -1;
  for (unsigned I = 0; I < Call.Operands.size(); ++I) {
    if (simple(*Call.operand(I)))
      continue;
    if (NonSimple >= 0)
      return false;
    NonSimple = int(I);
  }
  if (NonSimple < 0)
    return true;
  // The argument's expression moves to the parameter's only use, which must
  // come first in the body's evaluation and always run.
  const kir::Local *P = F->Params[NonSimple];
  std::function<unsigned(const Node &)> Count = [&](const Node &N) {
    if (N.Opcode == Op::LocalGet)
      return unsigned(N.Var == P);
    unsigned C = 0;
    for (const Node *O : N.Operands)
      C += Count(*O);
    return C;
  };
  if (Count(*Body) == 0)
    return false;
  // 0: not found yet, everything so far Stable; 1: found; 2: blocked.
  std::function<int(const Node &)> First = [&](const Node &N) -> int {
    if (N.Opcode == Op::LocalGet && N.Var == P)
      return 1;
    if (!Count(N))
      return Analysis::purity(&N) == Purity::Stable ? 0 : 2;
    if (N.Opcode == Op::BoolAnd || N.Opcode == Op::BoolOr) {
      // `lo <= p <= hi` reads p once, first after a constant.
      const Node &L = *N.operand(0), &R = *N.operand(1);
      bool Chain = N.Opcode == Op::BoolAnd && L.Operands.size() == 2 &&
                   R.Operands.size() == 2 && Count(N) == 2 &&
                   Count(L) == 1 && Count(R) == 1;
      if (Chain)
        for (const Node *C : {&L, &R})
          Chain &= (C->Opcode == Op::IntCmp || C->Opcode == Op::I32Cmp ||
                    C->Opcode == Op::U32Cmp || C->Opcode == Op::F64Cmp) &&
                   C->Predicate != kir::Pred::Eq &&
                   C->Predicate != kir::Pred::Ne &&
                   (C->operand(0)->Opcode == Op::LocalGet ||
                    C->operand(1)->Opcode == Op::LocalGet);
      if (Chain)
        return 1;
      if (Count(R))
        return 2; // conditionally evaluated
      return First(L);
    }
    if (Count(N) > 1)
      return 2;
    for (const Node *O : N.Operands) {
      int R = First(*O);
      if (R)
        return R;
    }
    return 0;
  };
  return First(*Body) == 1;
}

//===----------------------------------------------------------------------===//
// Helpers of the expression switch
//===----------------------------------------------------------------------===//

PyExpr FunctionEmitter::wrapI32(const PyExpr &Raw) {
  // ((x + 2^31) & 0xFFFFFFFF) - 2^31: three int ops, no branch, no call.
  return {"(" + paren(Raw, PAdd) + " + " + SignI32 + " & " + MaskU32 +
              ") - " + SignI32,
          PAdd};
}

PyExpr FunctionEmitter::maskU32(const PyExpr &Raw) {
  return {paren(Raw, PBitAnd) + " & " + MaskU32, PBitAnd};
}

PyExpr FunctionEmitter::shiftCount(const Node &N) {
  // The count is masked to 5 bits; nothing to mask when it is known small.
  if (isIntConst(N))
    return atom(std::to_string(N.IntVal & 31));
  Range R = range(N);
  if (R.within({0, 31}))
    return emit(N);
  // Only the low 5 bits count: any value congruent mod 2^32 will do.
  PyExpr C = congruentForm(N) ? emitCongruent(N) : emit(N);
  return binary(C, "&", atom("31"), PBitAnd);
}

std::string FunctionEmitter::trapCall(llvm::StringRef Kind, const Node &N) {
  return global("_trap") + "(" + pyStringLiteral(Kind) + ", " +
         std::to_string(N.Loc.Line) + ")";
}

/// map.remove, or its negation: pop with a default is one lookup. A map's
/// values are never None unless they are ?R, which needs a default no value
/// can be.
PyExpr FunctionEmitter::emitRemove(const Node &N, bool Removed) {
  PyExpr M = emit(*N.operand(0));
  PyExpr K = emit(*N.operand(1));
  std::string Absent =
      N.operand(0)->Ty->Elem->isNullable() ? global("_ABSENT") : "None";
  return {paren(M, PPostfix) + ".pop(" + paren(K, PCond) + ", " + Absent +
              (Removed ? ") is not " : ") is ") + Absent,
          PCmp};
}

/// The record operand of a field access: a null check of a ?R is left to
/// the access itself, whose AttributeError on None (TypeError for a tuple)
/// is the trap; \p Marker is then the access's line marker.
PyExpr FunctionEmitter::emitFieldRecord(const Node &R, std::string &Marker) {
  if (R.Opcode != Op::RefAsNonNull)
    return emit(R);
  bool Tuple = MC.TupleRecords.count(R.Ty->Rec);
  Marker = claim(Tuple ? ImplicitNullItem : ImplicitNull, R.Loc.Line);
  return separate(emit(*R.operand(0)), R.Loc.Line);
}

PyExpr FunctionEmitter::emitConst(const Node &N) {
  switch (N.Opcode) {
  case Op::BoolConst:
    return atom(N.IntVal ? "True" : "False");
  case Op::I32Const:
  case Op::IntConst:
    return {std::to_string(N.IntVal), N.IntVal < 0 ? PUnary : PAtom};
  case Op::U32Const:
    // Hash constants and masks read better in hex.
    return atom(N.IntVal >= (int64_t(1) << 31) ? hexLiteral(N.IntVal)
                                               : std::to_string(N.IntVal));
  case Op::F64Const: {
    double V = N.F64Val;
    if (std::isnan(V))
      return atom(global("nan"));
    if (std::isinf(V))
      return V > 0 ? atom(global("inf")) : PyExpr{"-" + global("inf"), PUnary};
    std::string T = pyFloatLiteral(V);
    return {T, T[0] == '-' ? PUnary : PAtom};
  }
  case Op::StrConst:
    return atom(pyStringLiteral(N.StrVal));
  default:
    llvm_unreachable("not a constant");
  }
}

static bool isRingOp(Op O) {
  switch (O) {
  case Op::I32Add: case Op::I32Sub: case Op::I32Mul: case Op::I32Neg:
  case Op::I32Shl: case Op::U32Add: case Op::U32Sub: case Op::U32Mul:
  case Op::U32Neg: case Op::U32Shl:
    return true;
  default:
    return false;
  }
}

/// Whether operand \p C of the ring op \p Parent may stay unmasked: its
/// low 32 bits are all the parent's result depends on, and the parent masks.
/// Products of products would grow big ints, so a product is deferred only
/// when none of its own operands is.
static bool deferrable(const Node &Parent, const Node &C) {
  if (!isRingOp(C.Opcode) || C.Ty != Parent.Ty)
    return false;
  if (C.Opcode == Op::I32Mul || C.Opcode == Op::U32Mul)
    for (const Node *O : C.Operands)
      if (O->Opcode == Op::I32Mul || O->Opcode == Op::U32Mul)
        return false;
  return true;
}

/// i32/u32 +, -, *, neg, <<: the exact Python result, masked back to 32 bits
/// unless the analysis proved it already fits. Operands that are such ops
/// themselves are left unmasked (mod 2^32 arithmetic: one mask at the end
/// gives the same bits), so a + b * 3 is masked once.
PyExpr FunctionEmitter::emitIntArith(const Node &N) {
  bool Deferred = false;
  PyExpr Raw = emitRing(N, Deferred);
  if (!Deferred && A.raw(&N).within(Range::ofType(N.Ty)))
    return Raw;
  return N.Ty->Kind == TypeKind::I32 ? wrapI32(Raw) : maskU32(Raw);
}

/// The unmasked text of a ring op; \p Deferred is set when an operand's own
/// mask was left out (so the value may be beyond 32 bits).
PyExpr FunctionEmitter::emitRing(const Node &N, bool &Deferred) {
  auto Operand = [&](const Node &C) {
    if (!deferrable(N, resolve(C)))
      return emit(C);
    const Node &R = resolve(C);
    bool Inner = false;
    PyExpr E;
    if (&R != &C) {
      auto Saved = std::move(Subst);
      Subst.clear();
      E = emitRing(R, Inner);
      Subst = std::move(Saved);
    } else {
      E = emitRing(R, Inner);
    }
    // Only a real mask left out makes the result unbounded.
    if (Inner || !A.raw(&R).within(Range::ofType(R.Ty)))
      Deferred = true;
    return E;
  };
  switch (N.Opcode) {
  case Op::I32Add:
  case Op::U32Add: {
    PyExpr L = Operand(*N.operand(0));
    return binary(L, "+", Operand(*N.operand(1)), PAdd);
  }
  case Op::I32Sub:
  case Op::U32Sub: {
    const Node &L0 = resolve(*N.operand(0));
    if (isIntConst(L0) && L0.IntVal == 0) // 0 - x: the same value as -x
      return unary("-", Operand(*N.operand(1)));
    PyExpr L = Operand(*N.operand(0));
    return binary(L, "-", Operand(*N.operand(1)), PAdd);
  }
  case Op::I32Mul:
  case Op::U32Mul: {
    PyExpr L = Operand(*N.operand(0));
    return binary(L, "*", Operand(*N.operand(1)), PMul);
  }
  case Op::I32Neg:
  case Op::U32Neg:
    return unary("-", Operand(*N.operand(0)));
  case Op::I32Shl:
  case Op::U32Shl: {
    PyExpr L = Operand(*N.operand(0));
    return binary(L, "<<", shiftCount(*N.operand(1)), PShift);
  }
  default:
    llvm_unreachable("not a wrapping op");
  }
}

/// Whether \p N, an i32/u32 operand, has a cheaper Python form that is only
/// congruent to its value mod 2^32 (a wrapping op without its mask, ~x for
/// a u32 not, a conversion's operand), for a user that needs no more.
bool FunctionEmitter::congruentForm(const Node &N) const {
  const Node &R = resolve(N);
  switch (R.Opcode) {
  case Op::I32Add:
  case Op::I32Sub:
  case Op::I32Mul:
  case Op::I32Neg:
  case Op::I32Shl:
  case Op::U32Add:
  case Op::U32Sub:
  case Op::U32Mul:
  case Op::U32Neg:
  case Op::U32Shl:
    return !A.raw(&R).within(Range::ofType(R.Ty));
  case Op::U32Not:
    return true;
  case Op::IntToI32:
  case Op::IntToU32:
  case Op::I32ToU32:
  case Op::U32ToI32:
    return !A.raw(&R).within(Range::ofType(R.Ty));
  default:
    return false;
  }
}

/// \p N (see congruentForm) as a Python int congruent to its value mod
/// 2^32.
PyExpr FunctionEmitter::emitCongruent(const Node &N) {
  const Node &R = resolve(N);
  if (&R != &N) {
    auto Saved = std::move(Subst);
    Subst.clear();
    PyExpr E = emitCongruent(R);
    Subst = std::move(Saved);
    return E;
  }
  switch (N.Opcode) {
  case Op::U32Not: // ~x is -x - 1, x ^ 0xFFFFFFFF less 2^32
    return unary("~", emit(*N.operand(0)));
  case Op::IntToI32:
  case Op::IntToU32:
  case Op::I32ToU32:
  case Op::U32ToI32:
    return emit(*N.operand(0));
  default: {
    bool Deferred = false;
    return emitRing(N, Deferred);
  }
  }
}

/// Integer / and %: truncating, with the dividend's sign for the remainder.
/// Python's // and % floor, which agrees when both sides are >= 0; a zero
/// divisor raises ZeroDivisionError, which the except clause turns into the
/// trap.
PyExpr FunctionEmitter::emitDivRem(const Node &N) {
  bool Rem = N.Opcode == Op::I32Rem || N.Opcode == Op::U32Rem ||
             N.Opcode == Op::IntRem;
  const Node &L = *N.operand(0), &R = *N.operand(1);
  Range LR = range(L), RR = range(R);
  const char *Sym = Rem ? "%" : "//";
  bool NoZero = !RR.contains(0);
  PyExpr Result;
  bool Done = false;
  if (LR.nonNegative() && RR.nonNegative()) {
    std::string Marker = NoZero ? "" : claim(ImplicitDivZero, N.Loc.Line);
    PyExpr LE = NoZero ? emit(L) : separate(emit(L), N.Loc.Line);
    Result = binary(LE, Sym, emit(R), PMul);
    Result.Text = Marker + Result.Text;
    Done = true;
  } else if (RR.Lo >= 1 && simple(L)) {
    // A positive divisor, a dividend of either sign: a // b if a >= 0 else
    // -(-a // b) truncates; the remainder likewise.
    PyExpr A0 = emit(L);
    PyExpr B0 = emit(R);
    PyExpr Pos = binary(A0, Sym, B0, PMul);
    PyExpr Neg = unary("-", binary(unary("-", A0), Sym, B0, PMul));
    Result = conditional(Pos, comparison(A0, ">=", atom("0")), Neg);
    Done = true;
  }
  if (!Done) {
    Result = call(global(Rem ? "_irem" : "_idiv"),
                  {emit(L), emit(R), atom(std::to_string(N.Loc.Line))});
  }
  // i32 MIN / -1 is 2^31 before wrapping.
  if (N.Ty->Kind == TypeKind::I32 &&
      !A.raw(&N).within(Range::ofType(N.Ty)))
    return wrapI32(Result);
  return Result;
}

static bool isToF64(const Node &N) {
  return N.Opcode == Op::I32ToF64 || N.Opcode == Op::U32ToF64 ||
         N.Opcode == Op::IntToF64;
}

/// An f64 operand of + - * /. Python converts an int operand of a float
/// operation exactly as float() does (correctly rounded), so f64(i) next to
/// a float needs no float() call; when both sides are conversions, the
/// right one keeps its int.
static bool elided(const Node &N, const Node &Other, bool IsRight) {
  return isToF64(N) && (!isToF64(Other) || IsRight);
}

PyExpr FunctionEmitter::emitF64Operand(const Node &N, const Node &Other,
                                       bool IsRight) {
  if (elided(N, Other, IsRight))
    return emit(*N.operand(0));
  return emit(N);
}

/// Whether \p D (an f64 divisor) is certainly not zero.
static bool nonZeroDivisor(const Node &D, const Analysis &A) {
  if (D.Opcode == Op::F64Const)
    return D.F64Val != 0 && !std::isnan(D.F64Val);
  if (isToF64(D))
    return !A.value(D.operand(0)).contains(0);
  return false;
}

bool pygen::guardedF64Div(const Node &N, const Analysis &A) {
  if (N.Opcode == Op::F64Div && !nonZeroDivisor(*N.operand(1), A))
    return true;
  for (const Node *O : N.Operands)
    if (guardedF64Div(*O, A))
      return true;
  return false;
}

PyExpr FunctionEmitter::emitF64Div(const Node &N) {
  // Python raises ZeroDivisionError where IEEE-754 gives +-inf or NaN, so a
  // divisor that may be zero is tested first (0.0 and -0.0 are false, NaN
  // is true), and _fdiv gives IEEE's answer in the rare case.
  const Node &L = *N.operand(0), &R = *N.operand(1);
  if (nonZeroDivisor(R, A) || PlainF64Div)
    return binary(emitF64Operand(L, R, false), "/", emitF64Operand(R, L, true),
                  PMul);
  if (simple(elided(R, L, true) ? *R.operand(0) : R)) {
    PyExpr B = emitF64Operand(R, L, true);
    PyExpr Av = emitF64Operand(L, R, false);
    return conditional(binary(Av, "/", B, PMul), B,
                       call(global("_fdiv"), {Av, B}));
  }
  if (canEvaluateBefore(R, L)) {
    // The divisor is evaluated first; that is unobservable here.
    PyExpr B = emitF64Operand(R, L, true);
    std::string D = walrusName();
    PyExpr Av = emitF64Operand(L, R, false);
    return conditional(binary(Av, "/", atom(D), PMul),
                       {D + " := " + paren(B, PCond), PNamed},
                       call(global("_fdiv"), {Av, atom(D)}));
  }
  PyExpr Av = emitF64Operand(L, R, false);
  PyExpr B = emitF64Operand(R, L, true);
  return call(global("_fdiv"), {Av, B});
}

PyExpr FunctionEmitter::emitCompare(const Node &N) {
  const Node &L = *N.operand(0), &R = *N.operand(1);
  std::string Op = predOp(N.Predicate);
  auto CharAble = [&](const Node &X) {
    return isChar(X) || (X.Opcode == Op::IntConst && X.IntVal >= 0 &&
                         X.IntVal <= 127);
  };
  if (N.Opcode == Op::IntCmp && (isChar(L) || isChar(R)) && CharAble(L) &&
      CharAble(R)) {
    // Character codes compared as one-character strings: s[i] == '"'
    // (ASCII order is code order).
    return comparison(emitChar(L), Op, emitChar(R));
  }
  if (N.Opcode == Op::F64Cmp) {
    // int(x) next to a float compares exactly in Python; within +-2^53 that
    // is the double comparison.
    auto Exact = [&](const Node &C) {
      bool IsConv = C.Opcode == Op::I32ToF64 || C.Opcode == Op::U32ToF64 ||
                    C.Opcode == Op::IntToF64;
      return IsConv &&
             range(*C.operand(0))
                 .within({-(int64_t(1) << 53), int64_t(1) << 53});
    };
    PyExpr LE = Exact(L) && !Exact(R) ? emit(*L.operand(0)) : emit(L);
    PyExpr RE = Exact(R) && !Exact(L) ? emit(*R.operand(0)) : emit(R);
    return comparison(LE, Op, RE);
  }
  // a % b == 0 whichever way the remainder rounds: Python's % will do.
  bool EqNe = N.Predicate == kir::Pred::Eq || N.Predicate == kir::Pred::Ne;
  if (EqNe && (N.Opcode == Op::IntCmp || N.Opcode == Op::I32Cmp) &&
      (L.Opcode == Op::IntRem || L.Opcode == Op::I32Rem) && isIntConst(R) &&
      R.IntVal == 0) {
    bool NoZero = !range(*L.operand(1)).contains(0);
    std::string Marker = NoZero ? "" : claim(ImplicitDivZero, L.Loc.Line);
    PyExpr A0 = emit(*L.operand(0));
    if (!NoZero)
      A0 = separate(A0, L.Loc.Line);
    PyExpr B0 = emit(*L.operand(1));
    PyExpr Rem = binary(A0, "%", B0, PMul);
    Rem.Text = Marker + Rem.Text;
    return comparison(Rem, Op, atom("0"));
  }
  PyExpr LE = emit(L);
  PyExpr RE = emit(R);
  return comparison(LE, Op, RE);
}

/// Whether \p X and \p Y are the same duplicable expression (names,
/// constants, lengths, adds and subtracts of those), term by term.
static bool sameDuplicable(const Node &X, const Node &Y,
                           const std::function<const Node &(const Node &)> &R) {
  const Node &P = R(X), &Q = R(Y);
  if (P.Opcode != Q.Opcode || P.Operands.size() != Q.Operands.size())
    return false;
  switch (P.Opcode) {
  case Op::LocalGet:
    return P.Var == Q.Var;
  case Op::IntConst:
    return P.IntVal == Q.IntVal;
  case Op::StrLen:
  case Op::BytesLen:
  case Op::ArrayLen:
  case Op::IntAdd:
  case Op::IntSub:
    for (unsigned I = 0; I < P.Operands.size(); ++I)
      if (!sameDuplicable(*P.operand(I), *Q.operand(I), R))
        return false;
    return true;
  default:
    return false;
  }
}

/// Runs of `x == 'a' or x == 'b'` as `x in "ab"` (and `!=` with `and` as
/// `not in`): one test in C instead of a chain. x must give the same value
/// each time it is read: a local, or s[i] with s a local and i duplicable
/// (`s[b - 1]`; its first read is the one that traps, in both forms).
/// \p Truth: the value is only tested, so other terms may use Python's
/// truthiness.
PyExpr FunctionEmitter::emitMembership(const Node &N, bool Truth) {
  bool IsOr = N.Opcode == Op::BoolOr;
  kir::Pred Want = IsOr ? kir::Pred::Eq : kir::Pred::Ne;
  std::vector<const Node *> Terms;
  std::function<void(const Node &)> Flatten = [&](const Node &T) {
    if (T.Opcode == N.Opcode) {
      Flatten(*T.operand(0));
      Flatten(*T.operand(1));
      return;
    }
    Terms.push_back(&T);
  };
  Flatten(N);
  // The key and constant of a term, or null.
  auto Split = [&](const Node &T) -> std::pair<const Node *, const Node *> {
    if ((T.Opcode != Op::IntCmp && T.Opcode != Op::I32Cmp &&
         T.Opcode != Op::U32Cmp) ||
        T.Predicate != Want)
      return {nullptr, nullptr};
    const Node *A0 = T.operand(0), *B0 = T.operand(1);
    if (isIntConst(*B0))
      return {A0, B0};
    if (isIntConst(*A0))
      return {B0, A0};
    return {nullptr, nullptr};
  };
  auto Rereadable = [&](const Node &K) {
    const Node &R = resolve(K);
    if (R.Opcode == Op::LocalGet)
      return true;
    return R.Opcode == Op::StrCodeAt && simple(*R.operand(0)) &&
           duplicable(*R.operand(1));
  };
  auto Resolve = [&](const Node &X) -> const Node & { return resolve(X); };
  auto Same = [&](const Node &A0, const Node &B0) {
    const Node &X = resolve(A0), &Y = resolve(B0);
    if (X.Opcode != Y.Opcode)
      return false;
    if (X.Opcode == Op::LocalGet)
      return X.Var == Y.Var;
    // Both s[i] (Rereadable): the same s, the same index.
    return sameDuplicable(*X.operand(0), *Y.operand(0), Resolve) &&
           sameDuplicable(*X.operand(1), *Y.operand(1), Resolve);
  };
  auto CharKey = [&](const Node &K, const Node &C) {
    return isChar(K) && C.Opcode == Op::IntConst && C.IntVal >= 0 &&
           C.IntVal <= 127;
  };
  std::vector<PyExpr> Parts;
  bool Grouped = false;
  for (size_t I = 0; I < Terms.size();) {
    auto [Key, C] = Split(*Terms[I]);
    size_t J = I + 1;
    if (Key && Rereadable(*Key)) {
      bool Char = CharKey(*Key, *C);
      while (J < Terms.size()) {
        auto [K2, C2] = Split(*Terms[J]);
        if (!K2 || !Same(*Key, *K2) || CharKey(*K2, *C2) != Char)
          break;
        ++J;
      }
      size_t Count = J - I;
      if (Count >= (Char ? 2u : 3u)) {
        PyExpr KE = Char ? emitChar(*Key) : emit(*Key);
        std::string Set;
        if (Char) {
          std::string Chars;
          for (size_t T = I; T < J; ++T)
            Chars += char(Split(*Terms[T]).second->IntVal);
          Set = pyStringLiteral(Chars);
        } else {
          for (size_t T = I; T < J; ++T)
            Set += (T > I ? ", " : "") +
                   std::to_string(Split(*Terms[T]).second->IntVal);
          Set = "(" + Set + ")";
        }
        Parts.push_back({paren(KE, PBitOr) + (IsOr ? " in " : " not in ") +
                             Set,
                         PCmp});
        Grouped = true;
        I = J;
        continue;
      }
      J = I + 1;
    }
    Parts.push_back(Truth ? emitCond(*Terms[I]) : emit(*Terms[I]));
    I = J;
  }
  if (!Grouped)
    return {};
  Prec P = IsOr ? POr : PAnd;
  if (Parts.size() == 1)
    return Parts[0];
  std::string T;
  for (size_t I = 0; I < Parts.size(); ++I)
    T += (I ? (IsOr ? " or " : " and ") : "") + paren(Parts[I], P);
  return {T, P};
}

Emptiness pygen::emptiness(const Node &Cmp, const Node *&Len) {
  if (Cmp.Opcode != Op::IntCmp)
    return Emptiness::None;
  const Node *X = Cmp.operand(0), *K = Cmp.operand(1);
  kir::Pred P = Cmp.Predicate;
  if (X->Opcode == Op::IntConst) {
    // k < x is x > k.
    std::swap(X, K);
    P = kir::swappedPred(P);
  }
  if (K->Opcode != Op::IntConst || X->Opcode == Op::IntConst)
    return Emptiness::None;
  Len = X;
  int64_t C = K->IntVal;
  if ((P == kir::Pred::Eq && C == 0) || (P == kir::Pred::Le && C == 0) ||
      (P == kir::Pred::Lt && C == 1))
    return Emptiness::Empty;
  if ((P == kir::Pred::Ne && C == 0) || (P == kir::Pred::Gt && C == 0) ||
      (P == kir::Pred::Ge && C == 1))
    return Emptiness::NonEmpty;
  return Emptiness::None;
}

/// An expression whose value is only tested (if, while, and their and/or):
/// `x & 1 != 0` can be `x & 1`, as Python programmers write it.
PyExpr FunctionEmitter::emitCond(const Node &N) {
  auto IsZero = [](const Node &C) { return isIntConst(C) && C.IntVal == 0; };
  // A length (never negative) tested for 0: `not s`, `s` (no call of
  // len); also n after `let n = len(s)`, which may then go unbound.
  const Node *Len = nullptr;
  if (Emptiness E = emptiness(N, Len); E != Emptiness::None) {
    const Node &L = *Len; // not through an inlining's arguments
    const kir::Local *Seq =
        L.Opcode == Op::LocalGet && !Foreign.count(L.Var) ? lengthSeq(L.Var)
                                                           : nullptr;
    bool IsLen = L.Opcode == Op::StrLen || L.Opcode == Op::BytesLen ||
                 L.Opcode == Op::ArrayLen || L.Opcode == Op::MapLen;
    if (Seq || IsLen) {
      PyExpr S = Seq ? PyExpr{local(Seq), PAtom} : emit(*L.operand(0));
      if (E == Emptiness::NonEmpty)
        return S;
      return {"not " + paren(S, PNot), PNot};
    }
  }
  switch (N.Opcode) {
  case Op::IntCmp:
  case Op::I32Cmp:
  case Op::U32Cmp: {
    if (N.Predicate != kir::Pred::Eq && N.Predicate != kir::Pred::Ne)
      break;
    const Node *X = nullptr;
    if (IsZero(*N.operand(1)))
      X = N.operand(0);
    else if (IsZero(*N.operand(0)))
      X = N.operand(1);
    // Bit tests, `if x & 1:`, and emptiness, `if not kids:` (no call of
    // len); `x == 0` reads better as it is.
    bool IsLen = X && (X->Opcode == Op::StrLen || X->Opcode == Op::BytesLen ||
                       X->Opcode == Op::ArrayLen || X->Opcode == Op::MapLen);
    if (!X || (X->Opcode != Op::I32And && X->Opcode != Op::U32And && !IsLen))
      break;
    PyExpr E = IsLen ? emit(*X->operand(0)) : emit(*X);
    if (N.Predicate == kir::Pred::Ne)
      return E;
    return {"not " + paren(E, PNot), PNot};
  }
  case Op::BoolAnd:
  case Op::BoolOr: {
    if (PyExpr Chain = emitChain(N); !Chain.Text.empty())
      return Chain;
    if (PyExpr In = emitMembership(N, /*Truth=*/true); !In.Text.empty())
      return In;
    bool IsAnd = N.Opcode == Op::BoolAnd;
    Prec P = IsAnd ? PAnd : POr;
    PyExpr L = emitCond(*N.operand(0));
    PyExpr R = emitCond(*N.operand(1));
    return {paren(L, P) + (IsAnd ? " and " : " or ") + paren(R, P), P};
  }
  default:
    break;
  }
  return emit(N);
}

/// x * (x + 1) with x = i + j computed once, as `(ij := i + j) * (ij + 1)`
/// (the triangular numbers of spectral_norm): Python evaluates the left
/// operand first, and x is also the first thing the right operand
/// evaluates; every op between is a plain int operator, written once.
/// Past the small-int cache, each i + j allocates. Or nothing.
PyExpr FunctionEmitter::emitSharedProduct(const Node &N) {
  const Node &L = resolve(*N.operand(0));
  auto SumOfNames = [&](const Node &X) {
    return (X.Opcode == Op::IntAdd || X.Opcode == Op::IntSub) &&
           simple(*X.operand(0)) && simple(*X.operand(1));
  };
  auto Same = [&](const Node &A0, const Node &B0) {
    const Node &X = resolve(A0), &Y = resolve(B0);
    if (X.Opcode != Y.Opcode)
      return false;
    if (X.Opcode == Op::LocalGet)
      return X.Var == Y.Var;
    return X.Operands.empty() && X.IntVal == Y.IntVal;
  };
  if (!SumOfNames(L) || isOffsetSum(L))
    return {};
  // Down the right operand's first operands to a copy of L.
  std::vector<const Node *> Path;
  const Node *R = &resolve(*N.operand(1));
  while (R->Opcode == Op::IntAdd || R->Opcode == Op::IntSub ||
         R->Opcode == Op::IntMul) {
    if (R->Opcode == L.Opcode && Same(*R->operand(0), *L.operand(0)) &&
        Same(*R->operand(1), *L.operand(1)))
      break;
    Path.push_back(R);
    R = &resolve(*R->operand(0));
  }
  if (!(R->Opcode == L.Opcode && R->Opcode != Op::IntMul &&
        Same(*R->operand(0), *L.operand(0)) &&
        Same(*R->operand(1), *L.operand(1))))
    return {};
  // ij for i + j, else s.
  PyExpr A0 = emit(*L.operand(0)), B0 = emit(*L.operand(1));
  std::string Base = "s";
  if (L.Opcode == Op::IntAdd && A0.P == PAtom && B0.P == PAtom &&
      resolve(*L.operand(0)).Opcode == Op::LocalGet &&
      resolve(*L.operand(1)).Opcode == Op::LocalGet &&
      A0.Text.size() + B0.Text.size() <= 4)
    Base = A0.Text + B0.Text;
  std::string T = walrusName(Base);
  PyExpr Bound = {T + " := " + binary(A0, L.Opcode == Op::IntAdd ? "+" : "-",
                                      B0, PAdd)
                                   .Text,
                  PNamed};
  // The right operand, with the copy replaced by the name.
  PyExpr RE = atom(T);
  for (auto It = Path.rbegin(); It != Path.rend(); ++It) {
    const Node &P = **It;
    const char *Sym = P.Opcode == Op::IntAdd   ? "+"
                      : P.Opcode == Op::IntSub ? "-"
                                               : "*";
    RE = binary(RE, Sym, emit(*P.operand(1)),
                P.Opcode == Op::IntMul ? PMul : PAdd);
  }
  return binary(Bound, "*", RE, PMul);
}

/// `lo <= x <= hi` for `x >= lo && x <= hi` (x read once), or nothing.
PyExpr FunctionEmitter::emitChain(const Node &N) {
  const Node &L = *N.operand(0), &R = *N.operand(1);
  auto IsCmp = [](const Node &C) {
    return (C.Opcode == Op::IntCmp || C.Opcode == Op::I32Cmp ||
            C.Opcode == Op::U32Cmp || C.Opcode == Op::F64Cmp) &&
           C.Predicate != kir::Pred::Eq && C.Predicate != kir::Pred::Ne;
  };
  if (N.Opcode != Op::BoolAnd || !IsCmp(L) || !IsCmp(R) ||
      L.Opcode != R.Opcode)
    return {};
  // Each side as (x, pred, constant) with x on the left.
  struct Side {
    const Node *X = nullptr;
    kir::Pred P;
    const Node *K = nullptr;
  };
  auto Normalize = [](const Node &C) {
    Side S;
    const Node *A0 = C.operand(0), *B0 = C.operand(1);
    bool AConst = A0->Operands.empty() && A0->Opcode != Op::LocalGet;
    bool BConst = B0->Operands.empty() && B0->Opcode != Op::LocalGet;
    if (A0->Opcode == Op::LocalGet && BConst) {
      S = {A0, C.Predicate, B0};
    } else if (B0->Opcode == Op::LocalGet && AConst) {
      S = {B0, kir::swappedPred(C.Predicate), A0};
    }
    return S;
  };
  Side SL = Normalize(L), SR = Normalize(R);
  if (!SL.X || !SR.X || SL.X->Var != SR.X->Var)
    return {};
  auto IsLower = [](kir::Pred P) {
    return P == kir::Pred::Gt || P == kir::Pred::Ge;
  };
  if (IsLower(SL.P) == IsLower(SR.P))
    return {};
  const Side &Lower = IsLower(SL.P) ? SL : SR;
  const Side &Upper = IsLower(SL.P) ? SR : SL;
  // Both comparisons are pure, so testing the lower bound first is fine.
  auto CharConst = [](const Node &K) {
    return K.Opcode == Op::IntConst && K.IntVal >= 0 && K.IntVal <= 127;
  };
  bool Char = L.Opcode == Op::IntCmp && isChar(*SL.X) && CharConst(*SL.K) &&
              CharConst(*SR.K);
  auto Operand = [&](const Node &K) { return Char ? emitChar(K) : emit(K); };
  PyExpr Lo = Operand(*Lower.K);
  PyExpr X = Operand(*SL.X);
  PyExpr Hi = Operand(*Upper.K);
  return {paren(Lo, PBitOr) + (Lower.P == kir::Pred::Gt ? " < " : " <= ") +
              paren(X, PBitOr) +
              (Upper.P == kir::Pred::Lt ? " < " : " <= ") + paren(Hi, PBitOr),
          PCmp};
}

/// a[i], s[i], b[i]. An index past the end raises IndexError (the except
/// clause's trap); a negative one would count from the end, so it is tested
/// unless proven impossible.
PyExpr FunctionEmitter::emitIndex(const Node &N, bool Char) {
  const Node &Seq = *N.operand(0), &Idx = *N.operand(1);
  // A str held as bytes gives the code itself.
  const Node &SeqR = resolve(Seq);
  bool IsStr = N.Opcode == Op::StrCodeAt &&
               !(SeqR.Opcode == Op::LocalGet && A.isByteStr(SeqR.Var));
  // The element a zip loop binds (a one-character str for a str).
  auto Zipped = ZipReads.find(&N);
  if (Zipped != ZipReads.end()) {
    if (IsStr && !Char)
      return call(global("ord"), {atom(Zipped->second)});
    return atom(Zipped->second);
  }
  bool NonNeg = range(Idx).nonNegative();
  PyExpr Result;
  // s[len(s) - c] with a constant c >= 1, known >= 0: s[-c], in range.
  const Node &IdxR = resolve(Idx);
  bool IsLen = false;
  if (NonNeg && IdxR.Opcode == Op::IntSub &&
      IdxR.operand(1)->Opcode == Op::IntConst && IdxR.operand(1)->IntVal >= 1 &&
      (atMostLength(*IdxR.operand(0), Seq, IsLen), IsLen)) {
    PyExpr S = emit(Seq);
    Result = {paren(S, PPostfix) + "[-" +
                  std::to_string(IdxR.operand(1)->IntVal) + "]",
              PPostfix};
  } else if (NonNeg) {
    std::string Marker = claim(ImplicitIndex, N.Loc.Line);
    PyExpr S = separate(emit(Seq), N.Loc.Line);
    PyExpr I = emit(Idx);
    Result = {Marker + paren(S, PPostfix) + "[" + paren(I, PCond) + "]",
              PPostfix};
  } else if (!NonNeg && duplicable(Idx) && purity(Seq) != Purity::Any) {
    std::string Marker = claim(ImplicitIndex, N.Loc.Line);
    PyExpr S = separate(emit(Seq), N.Loc.Line);
    PyExpr I = emit(Idx);
    PyExpr Get = {Marker + paren(S, PPostfix) + "[" + paren(I, PCond) + "]",
                  PPostfix};
    PyExpr Wrapped = Get;
    if (IsStr && !Char)
      Wrapped = call(global("ord"), {Get});
    return conditional(Wrapped, comparison(I, ">=", atom("0")),
                       atom(trapCall(TrapIndex, N)));
  } else {
    PyExpr S = emit(Seq);
    PyExpr I = emit(Idx);
    Result = call(global("_get"), {S, I, atom(std::to_string(N.Loc.Line))});
  }
  if (IsStr && !Char)
    return call(global("ord"), {Result});
  return Result;
}

/// The text of len(\p S) for a str or bytes: the local known to hold it,
/// or a call.
std::string FunctionEmitter::lengthText(const Node &S) {
  if (const kir::Local *N = knownLength(S))
    return local(N);
  return call(global("len"), {emit(S)}).Text;
}

const kir::Local *FunctionEmitter::knownLength(const Node &S) const {
  const Node &R = resolve(S);
  if (R.Opcode != Op::LocalGet || Foreign.count(R.Var))
    return nullptr;
  return KnownLengths.lookup(R.Var);
}

/// Whether \p Hi is at most len(\p S): len(s) itself, or the local known
/// to hold it, less a constant >= 0. \p IsLen: exactly len(s).
bool FunctionEmitter::atMostLength(const Node &Hi, const Node &S,
                                   bool &IsLen) const {
  const Node &H = resolve(Hi), &Str = resolve(S);
  auto IsLength = [&](const Node &X) {
    if ((X.Opcode == Op::StrLen || X.Opcode == Op::BytesLen ||
         X.Opcode == Op::ArrayLen) &&
        Str.Opcode == Op::LocalGet) {
      const Node &Of = resolve(*X.operand(0));
      return Of.Opcode == Op::LocalGet && Of.Var == Str.Var;
    }
    const kir::Local *N = knownLength(S);
    if (!N && Str.Opcode == Op::LocalGet && !Foreign.count(Str.Var))
      N = A.fixedLength(Str.Var);
    return N && X.Opcode == Op::LocalGet && X.Var == N;
  };
  IsLen = IsLength(H);
  if (IsLen)
    return true;
  return H.Opcode == Op::IntSub && IsLength(resolve(*H.operand(0))) &&
         H.operand(1)->Opcode == Op::IntConst && H.operand(1)->IntVal >= 0;
}

/// s[a:b]. Python clamps slice bounds (and counts negative ones from the
/// end); the kernel needs 0 <= a <= b <= len(s): what the analysis and the
/// shape of the bounds do not prove is tested, in one chained comparison,
/// before the slice.
PyExpr FunctionEmitter::emitSlice(const Node &N) {
  const Node &S = *N.operand(0), &Lo = *N.operand(1), &Hi = *N.operand(2);
  bool LoZero = Lo.Opcode == Op::IntConst && Lo.IntVal == 0;
  bool HiIsLen = false;
  bool NeedLo = !LoZero && !range(Lo).nonNegative();
  // A bound the analysis relates to len(s) (a search's end, a position
  // below n): only when 0 <= a <= b, proven or tested below, is b >= 0,
  // where "b < 0 or b <= len(s)" applies.
  bool NeedHi = !atMostLength(Hi, S, HiIsLen) &&
                !(S.Opcode == Op::LocalGet && A.withinLength(&Hi, S.Var));
  // a <= b: 0 <= b, or b = a + c with a constant c >= 0.
  const Node &HiR = resolve(Hi), &LoR = resolve(Lo);
  bool Above = HiR.Opcode == Op::IntAdd &&
               HiR.operand(1)->Opcode == Op::IntConst &&
               HiR.operand(1)->IntVal >= 0 &&
               resolve(*HiR.operand(0)).Opcode == Op::LocalGet &&
               LoR.Opcode == Op::LocalGet &&
               resolve(*HiR.operand(0)).Var == LoR.Var;
  // Or b >= 0 is what a search from a found: b < 0 or b >= a.
  if (!Above && range(Hi).nonNegative()) {
    if (Lo.Opcode == Op::LocalGet)
      Above = A.atLeast(&Hi, Lo.Var, 0);
    else if ((Lo.Opcode == Op::IntAdd || Lo.Opcode == Op::IntSub) &&
             Lo.operand(0)->Opcode == Op::LocalGet &&
             Lo.operand(1)->Opcode == Op::IntConst)
      Above = A.atLeast(&Hi, Lo.operand(0)->Var,
                        Lo.Opcode == Op::IntAdd ? Lo.operand(1)->IntVal
                                                : -Lo.operand(1)->IntVal);
  }
  // a <= len(s): the analysis relates a to it (0 <= a proven or tested).
  if (!Above && HiIsLen && S.Opcode == Op::LocalGet)
    Above = A.withinLength(&Lo, S.Var);
  bool NeedOrder = !(LoZero && range(Hi).nonNegative()) && !Above;
  bool Checked = NeedLo || NeedOrder || NeedHi;
  if (Checked && !(simple(S) && duplicable(Lo) && duplicable(Hi)))
    return call(global("_slice"), {emit(S), emit(Lo), emit(Hi),
                                   atom(std::to_string(N.Loc.Line))});
  PyExpr SE = emit(S), LE = emit(Lo), HE = emit(Hi);
  // len(s) - c, c >= 1, proven >= 0: -c counts from the end to the same
  // place (s[:-1]: one constant for a subtraction).
  std::string HiText = HiIsLen ? "" : paren(HE, PCond);
  bool AtMost = false;
  if (!HiIsLen && HiR.Opcode == Op::IntSub &&
      HiR.operand(1)->Opcode == Op::IntConst && HiR.operand(1)->IntVal >= 1 &&
      atMostLength(Hi, S, AtMost) && range(Hi).nonNegative())
    HiText = "-" + std::to_string(HiR.operand(1)->IntVal);
  PyExpr Slice = {paren(SE, PPostfix) + "[" +
                      (LoZero ? "" : paren(LE, PCond)) + ":" + HiText + "]",
                  PPostfix};
  if (!Checked)
    return Slice;
  // The points 0 <= a <= b <= len(s), and which steps need a test: each run
  // of needed steps is one chain.
  std::string Points[4] = {"0", paren(LE, PBitOr), paren(HE, PBitOr),
                           NeedHi ? lengthText(S) : ""};
  bool Need[3] = {NeedLo, NeedOrder, NeedHi};
  std::string Test;
  for (unsigned I = 0; I < 3;) {
    if (!Need[I]) {
      ++I;
      continue;
    }
    std::string Chain = Points[I];
    while (I < 3 && Need[I])
      Chain += " <= " + Points[++I];
    Test += (Test.empty() ? "" : " and ") + Chain;
  }
  bool Several = Test.find(" and ") != std::string::npos;
  return conditional(Slice, {Test, Several ? PAnd : PCmp},
                     atom(trapCall(TrapSlice, N)));
}

/// `digits.isdigit() and len(use) <= 15`: int() of such digits (at most 15,
/// of a str, ASCII, whose only digits are 0-9) is exact and below 2^53;
/// isdigit() refuses the '+', '_' and blanks int() would take.
PyExpr FunctionEmitter::exactIntTest(const std::string &Digits,
                                     const PyExpr &Use) {
  return {Digits + ".isdigit() and " + call(global("len"), {Use}).Text +
              " <= 15",
          PAnd};
}

PyExpr FunctionEmitter::emitMinMax(const Node &N, bool Max) {
  // min(a, b) is b < a ? b : a, and max(a, b) b > a ? b : a: exactly what
  // Python's min and max return for two arguments (the first of equals, and
  // the same answers with NaN). A conditional expression skips the call.
  const Node &L = *N.operand(0), &R = *N.operand(1);
  if (simple(L) && simple(R)) {
    PyExpr AE = emit(L), BE = emit(R);
    return conditional(BE, comparison(BE, Max ? ">" : "<", AE), AE);
  }
  // Otherwise each operand that is not a name is evaluated once, in order,
  // into a walrus target: `b if (a := x) > (b := y + 1) else a` for
  // min(x, y + 1) (b < a is a > b, NaN included).
  auto Operand = [&](const Node &O, PyExpr &Use) -> PyExpr {
    PyExpr E = emit(O);
    if (simple(O)) {
      Use = E;
      return E;
    }
    std::string T = walrusName("m");
    Use = atom(T);
    return {T + " := " + paren(E, PCond), PNamed};
  };
  PyExpr AU, BU;
  PyExpr AE = Operand(L, AU);
  PyExpr BE = Operand(R, BU);
  return conditional(BU, comparison(AE, Max ? "<" : ">", BE), AU);
}

PyExpr FunctionEmitter::emitElem(const Node &V, const kir::Type *ArrayTy) {
  // A bytearray of flags stores True as 1: constants are written so.
  if (MC.isFlagArray(ArrayTy) && V.Opcode == Op::BoolConst)
    return atom(V.IntVal ? "1" : "0");
  return emit(V);
}

PyExpr FunctionEmitter::emitF64ToInt(const Node &N, llvm::StringRef Lo,
                                     llvm::StringRef Hi) {
  // The open interval (Lo, Hi) holds exactly the doubles whose truncation
  // fits; it excludes NaN and the infinities. int() truncates toward zero.
  const Node &X = *N.operand(0);
  if (simple(X)) {
    PyExpr XE = emit(X);
    PyExpr Ok = {Lo.str() + " < " + paren(XE, PBitOr) + " < " + Hi.str(), PCmp};
    return conditional(call(global("int"), {XE}), Ok,
                       atom(trapCall(TrapConversion, N)));
  }
  return call(global("_trunc"), {emit(X), atom(Lo.str()), atom(Hi.str()),
                                 atom(std::to_string(N.Loc.Line))});
}

PyExpr FunctionEmitter::emitCall(const Node &N) {
  const kir::Function *C = N.Callee;
  auto ArgOf = [&](unsigned I) {
    const Node &Arg = *N.operand(I);
    if (A.isCongruentParam(C->Params[I]) && congruentForm(Arg))
      return emitCongruent(Arg); // only its value mod 2^32 matters
    return A.isCharLocal(C->Params[I]) ? emitChar(Arg) : emit(Arg);
  };
  if (inlineCall(N)) {
    // The callee's returned expression, its parameters standing for the
    // arguments (each evaluated exactly where the call would evaluate it).
    for (unsigned I = 0; I < N.Operands.size(); ++I)
      Subst[C->Params[I]] = N.operand(I);
    PyExpr E = emit(*returnedExpr(*C));
    Subst.clear();
    return E;
  }
  std::vector<PyExpr> Args;
  for (unsigned I = 0; I < N.Operands.size(); ++I)
    Args.push_back(ArgOf(I));
  return call(global(MC.FunctionNames.lookup(C)), Args);
}

/// A character value as a one-character str.
PyExpr FunctionEmitter::emitChar(const Node &N) {
  const Node &R = resolve(N);
  if (&R != &N) {
    // An argument of an inlined call: emitted in the caller's context.
    auto Saved = std::move(Subst);
    Subst.clear();
    PyExpr E = emitChar(R);
    Subst = std::move(Saved);
    return E;
  }
  if (N.Opcode == Op::IntConst) {
    assert(N.IntVal >= 0 && N.IntVal <= 127 && "character constant");
    return atom(pyStringLiteral(std::string(1, char(N.IntVal))));
  }
  if (N.Opcode == Op::StrCodeAt)
    return emitIndex(N, /*Char=*/true);
  assert(N.Opcode == Op::LocalGet && A.isCharLocal(N.Var) && "not a char");
  return atom(local(N.Var));
}

//===----------------------------------------------------------------------===//
// The switch
//===----------------------------------------------------------------------===//

/// Whether \p N is emitted as the node itself (not a name bound for it or
/// the expression a let stands for).
bool FunctionEmitter::emittedAsItself(const Node &N) const {
  return !SharedNames.count(&N) && &resolve(N) == &N;
}

void FunctionEmitter::concatLeaves(const Node &N,
                                   std::vector<const Node *> &Leaves) const {
  for (const Node *Operand : N.Operands) {
    if (Operand->Opcode == Op::StrConcat && emittedAsItself(*Operand))
      concatLeaves(*Operand, Leaves);
    else
      Leaves.push_back(Operand);
  }
}

/// a + "x" + str(n) + b, or join([a, "x", str(n), b], ""), as the f-string
/// f"{a}x{n}{b}": one BUILD_STRING instead of a new str per `+` (a chain of
/// five: 115 -> 50 ns on CPython 3.11) or a list and a call. The operands
/// are evaluated left to right either way; f"{s}" is s for a str and
/// f"{n}" is str(n) for an int. Python 3.11 takes no quote, backslash,
/// brace, `:`, `!` or `#` inside the braces: an operand written with one
/// keeps the original form (\p Arr: the join's array literal, else `+`).
PyExpr FunctionEmitter::fString(llvm::ArrayRef<const Node *> Leaves,
                                const Node *Arr) {
  struct Part {
    std::string Text; // a literal's value, or an operand's Python text
    std::string Bare; // the operand's text without line markers
    bool Literal = false, Int = false;
    Prec P = PAtom;
  };
  std::vector<Part> Parts;
  bool Fits = true;
  std::string Marker;
  for (const Node *L : Leaves) {
    Part Pt;
    if (L->Opcode == Op::StrConst && emittedAsItself(*L)) {
      Pt.Text = L->StrVal;
      Pt.Literal = true;
      // Two constants in a row would be one literal part: each kernel
      // string stays a literal of its own (lib/FuzzCheck checks it).
      if (!Parts.empty() && Parts.back().Literal)
        Fits = false;
    } else {
      const Node *V = L;
      if (L->Opcode == Op::StrFromInt && emittedAsItself(*L) &&
          L->operand(0)->Ty->isInteger()) {
        Pt.Int = true;
        V = L->operand(0);
      }
      PyExpr E = Arr && !Pt.Int ? emitElem(*V, Arr->Ty) : emit(*V);
      Pt.Text = E.Text;
      Pt.P = E.P;
      // The kernel line a trap of the operand reports: one marker before
      // the f-string stands for the operands' (a marker inside the quotes
      // would stay in the text), so they must agree.
      std::string Bare;
      for (size_t I = 0; I < Pt.Text.size(); ++I) {
        if (Pt.Text[I] != '\x01') {
          Bare += Pt.Text[I];
          continue;
        }
        size_t End = Pt.Text.find('\x02', I);
        std::string M = Pt.Text.substr(I, End + 1 - I);
        if (!Marker.empty() && Marker != M)
          Fits = false;
        Marker = M;
        I = End;
      }
      if (Bare.find_first_of("'\"\\{}:!#\n") != std::string::npos)
        Fits = false;
      Pt.Bare = Bare;
    }
    Parts.push_back(std::move(Pt));
  }
  auto Operand = [&](const Part &Pt) -> PyExpr {
    if (Pt.Literal)
      return atom(pyStringLiteral(Pt.Text));
    if (Pt.Int)
      return call(global("str"), {PyExpr{Pt.Text, Pt.P}});
    return {Pt.Text, Pt.P};
  };
  if (!Fits) {
    if (Arr) {
      std::string T;
      for (const Part &Pt : Parts)
        T += (T.empty() ? "" : ", ") + paren(Operand(Pt), PCond);
      return call("\"\".join", {atom("[" + T + "]")});
    }
    PyExpr E = Operand(Parts[0]);
    for (size_t I = 1; I < Parts.size(); ++I)
      E = {paren(E, PAdd) + " + " + paren(Operand(Parts[I]), PMul), PAdd};
    return E;
  }
  // Quoted as pyStringLiteral quotes: double quotes unless the literal
  // text has some and no single quote.
  std::string Lit;
  for (const Part &Pt : Parts)
    if (Pt.Literal)
      Lit += Pt.Text;
  llvm::StringRef LitRef(Lit);
  char Q = LitRef.contains('"') && !LitRef.contains('\'') ? '\'' : '"';
  std::string Out = "f";
  Out += Q;
  for (const Part &Pt : Parts) {
    if (!Pt.Literal) {
      // A lambda or a conditional needs parentheses inside the braces.
      Out += "{" + (Pt.P <= PCond ? "(" + Pt.Bare + ")" : Pt.Bare) + "}";
      continue;
    }
    std::string Q1 = pyStringLiteral(Pt.Text);
    // The body of the literal, requoted to Q where it differs.
    llvm::StringRef Body = llvm::StringRef(Q1).drop_front().drop_back();
    char Q0 = Q1[0];
    for (size_t I = 0; I < Body.size(); ++I) {
      char C = Body[I];
      if (C == '\\' && I + 1 < Body.size()) {
        char D = Body[++I];
        if (D == Q0 && Q0 != Q) // \' in a "-quoted f-string is '
          Out += D;
        else
          Out += std::string(1, C) + D;
        continue;
      }
      if (C == Q)
        Out += '\\';
      if (C == '{' || C == '}')
        Out += C;
      Out += C;
    }
  }
  Out += Q;
  return atom(Marker + Out);
}

PyExpr FunctionEmitter::emit(const Node &N) {
  auto Shared = SharedNames.find(&N);
  if (Shared != SharedNames.end())
    return atom(Shared->second);
  const Node &R = resolve(N);
  if (&R != &N) {
    auto Saved = std::move(Subst);
    Subst.clear();
    PyExpr E = emit(R);
    Subst = std::move(Saved);
    return E;
  }
  if (Offset.J || !HoistedSums.empty())
    if (PyExpr E = emitOffsetTerm(N); !E.Text.empty())
      return E;
  return emitOp(N);
}

PyExpr FunctionEmitter::emitOp(const Node &N) {
  auto Op0 = [&] { return emit(*N.operand(0)); };
  auto Bin = [&](llvm::StringRef Sym, Prec P) {
    PyExpr L = emit(*N.operand(0));
    PyExpr R = emit(*N.operand(1));
    return binary(L, Sym, R, P);
  };
  auto Bitwise = [&](llvm::StringRef Sym, Prec P) {
    // Python's & | ^ on ints in i32 range give the i32 result (two's
    // complement with infinite sign extension), and keep u32 values in
    // u32 range: no mask. Big constants print in hex.
    auto Operand = [&](const Node &O) {
      if (isIntConst(O) && O.IntVal >= 255)
        return atom(hexLiteral(O.IntVal));
      return emit(O);
    };
    PyExpr L = Operand(*N.operand(0));
    PyExpr R = Operand(*N.operand(1));
    return binary(L, Sym, R, P);
  };
  auto MaskFirst = [&]() -> PyExpr {
    // (x ^ y) & 0xFF as (x & 0xFF) ^ y when y is within the mask: the same
    // bits, and a big x (a u32 hash register) is cut down to a small int
    // before the xor instead of after, which saves CPython an allocation.
    const Node &X = *N.operand(0), &M = *N.operand(1);
    if (!isIntConst(M) || M.IntVal <= 0 || (M.IntVal & (M.IntVal + 1)) ||
        (X.Opcode != Op::I32Xor && X.Opcode != Op::U32Xor &&
         X.Opcode != Op::I32Or && X.Opcode != Op::U32Or))
      return {};
    const Node &Big = *X.operand(0), &Small = *X.operand(1);
    if (!range(Small).within({0, M.IntVal}) ||
        A.isCongruentOnly(&resolve(Small)))
      return {};
    PyExpr BE = emit(Big);
    PyExpr Masked = binary(BE, "&", atom(hexLiteral(M.IntVal)), PBitAnd);
    bool IsXor = X.Opcode == Op::I32Xor || X.Opcode == Op::U32Xor;
    return binary(Masked, IsXor ? "^" : "|", emit(Small),
                  IsXor ? PBitXor : PBitOr);
  };

  switch (N.Opcode) {
  // --- constants ---
  case Op::BoolConst:
  case Op::I32Const:
  case Op::U32Const:
  case Op::IntConst:
  case Op::F64Const:
  case Op::StrConst:
    return emitConst(N);

  // --- locals ---
  case Op::LocalGet:
    if (A.isCharLocal(N.Var))
      // A character local used where its code is needed: never, by the
      // analysis' definition; keep the code anyway.
      return call(global("ord"), {atom(local(N.Var))});
    return atom(local(N.Var));
  case Op::LocalDecl:
  case Op::LocalSet:
    llvm_unreachable("statement in expression position");

  // --- i32 / u32 ---
  case Op::I32Add:
  case Op::I32Sub:
  case Op::I32Mul:
  case Op::I32Neg:
  case Op::I32Shl:
  case Op::U32Add:
  case Op::U32Sub:
  case Op::U32Mul:
  case Op::U32Neg:
  case Op::U32Shl:
    return emitIntArith(N);
  case Op::I32Div:
  case Op::I32Rem:
  case Op::U32Div:
  case Op::U32Rem:
  case Op::IntDiv:
  case Op::IntRem:
    return emitDivRem(N);
  case Op::I32And:
  case Op::U32And: {
    if (PyExpr E = MaskFirst(); !E.Text.empty())
      return E;
    // x & M with a constant M >= 0 only keeps low bits: x may be unmasked.
    const Node &X = *N.operand(0), &M = *N.operand(1);
    if (isIntConst(M) && M.IntVal >= 0 && deferrable(N, resolve(X)) &&
        resolve(X).Ty == N.Ty) {
      bool Deferred = false;
      PyExpr XE = emitRing(resolve(X), Deferred);
      return binary(XE, "&", atom(M.IntVal >= 255 ? hexLiteral(M.IntVal)
                                                  : std::to_string(M.IntVal)),
                    PBitAnd);
    }
    // x & y with x known in 0..2^32-1 (every u32; an i32 known >= 0): x
    // has no bits above 31, so y's own mask is redundant and any value
    // congruent to y mod 2^32 gives the same result: free & -free,
    // all & ~x.
    // Not a value of congruent parameters: it may have bits above 31.
    auto NonNegCanonical = [&](const Node &O) {
      return !A.isCongruentOnly(&resolve(O)) &&
             (N.Ty->Kind == TypeKind::U32 || range(O).nonNegative());
    };
    bool Congruent0 = congruentForm(*N.operand(0)),
         Congruent1 = congruentForm(*N.operand(1));
    auto Canonical = [&](const Node &O) {
      if (isIntConst(O) && O.IntVal >= 255)
        return atom(hexLiteral(O.IntVal));
      return emit(O);
    };
    if (Congruent1 && NonNegCanonical(*N.operand(0))) {
      PyExpr L = Canonical(*N.operand(0));
      return binary(L, "&", emitCongruent(*N.operand(1)), PBitAnd);
    }
    if (Congruent0 && NonNegCanonical(*N.operand(1))) {
      PyExpr L = emitCongruent(*N.operand(0));
      return binary(L, "&", Canonical(*N.operand(1)), PBitAnd);
    }
    return Bitwise("&", PBitAnd);
  }
  case Op::I32Or:
  case Op::U32Or:
    return Bitwise("|", PBitOr);
  case Op::I32Xor:
  case Op::U32Xor:
    return Bitwise("^", PBitXor);
  case Op::I32Not:
    return unary("~", Op0());
  case Op::U32Not:
    return binary(Op0(), "^", atom(MaskU32), PBitXor);
  case Op::I32Shr:
  case Op::U32Shr: {
    // >> on a Python int is arithmetic; a u32 value is never negative, so
    // it is also the logical shift.
    PyExpr L = Op0();
    return binary(L, ">>", shiftCount(*N.operand(1)), PShift);
  }
  case Op::I32Cmp:
  case Op::U32Cmp:
  case Op::IntCmp:
  case Op::F64Cmp:
  case Op::StrCmp:
  case Op::BoolCmp:
    return emitCompare(N);

  // --- int: Python ints are exact ---
  case Op::IntAdd:
    return Bin("+", PAdd);
  case Op::IntSub:
    return Bin("-", PAdd);
  case Op::IntMul:
    if (PyExpr E = emitSharedProduct(N); !E.Text.empty())
      return E;
    return Bin("*", PMul);
  case Op::IntNeg:
    return unary("-", Op0());
  case Op::IntCheckSafe:
    // Checked mode: the exact value must be within +-2^53.
    return call(global("_safe"), {Op0(), atom(std::to_string(N.Loc.Line))});

  // --- f64 ---
  case Op::F64Add:
  case Op::F64Sub:
  case Op::F64Mul: {
    const Node &L = *N.operand(0), &R = *N.operand(1);
    PyExpr LE = emitF64Operand(L, R, false);
    PyExpr RE = emitF64Operand(R, L, true);
    return binary(LE,
                  N.Opcode == Op::F64Add   ? "+"
                  : N.Opcode == Op::F64Sub ? "-"
                                           : "*",
                  RE, N.Opcode == Op::F64Mul ? PMul : PAdd);
  }
  case Op::F64Div:
    return emitF64Div(N);
  case Op::F64Rem:
    // C's fmod; math.fmod raises where C returns NaN.
    return call(global("_fmod"), {Op0(), emit(*N.operand(1))});
  case Op::F64Neg:
    return unary("-", Op0());
  case Op::F64Sqrt: {
    // math.sqrt raises for x < 0, where C returns NaN.
    const Node &X = *N.operand(0);
    if (A.nonNegativeF64(&resolve(X)))
      return call(global("sqrt"), {Op0()});
    if (simple(X)) {
      PyExpr XE = Op0();
      return conditional(call(global("sqrt"), {XE}),
                         comparison(XE, ">=", atom("0.0")),
                         atom(global("nan")));
    }
    return call(global("_sqrt"), {Op0()});
  }
  case Op::F64Floor:
    // math.floor returns an int and raises for NaN and infinities.
    return call(global("_floor"), {Op0()});

  // --- generic numeric helpers ---
  case Op::NumMin:
    return emitMinMax(N, /*Max=*/false);
  case Op::NumMax:
    return emitMinMax(N, /*Max=*/true);
  case Op::NumAbs: {
    if (N.Ty->Kind == TypeKind::U32)
      return Op0();
    // abs() clears the sign of -0.0 too, as Ops.def wants.
    PyExpr E = call(global("abs"), {Op0()});
    if (N.Ty->Kind == TypeKind::I32 &&
        !A.raw(&N).within(Range::ofType(N.Ty)))
      return wrapI32(E); // abs(MIN) wraps to MIN
    return E;
  }

  // --- bool ---
  case Op::BoolNot: {
    const Node &X = *N.operand(0);
    // not (a < b) is a >= b, except for floats (NaN).
    bool Invertible = X.Opcode == Op::I32Cmp || X.Opcode == Op::U32Cmp ||
                      X.Opcode == Op::IntCmp || X.Opcode == Op::StrCmp ||
                      X.Opcode == Op::BoolCmp ||
                      (X.Opcode == Op::F64Cmp &&
                       (X.Predicate == kir::Pred::Eq ||
                        X.Predicate == kir::Pred::Ne));
    if (X.Opcode == Op::RefIsNull) {
      PyExpr R = emit(*X.operand(0));
      return {paren(R, PBitOr) + " is not None", PCmp};
    }
    if (X.Opcode == Op::MapRemove)
      return emitRemove(X, /*Removed=*/false);
    if ((X.Opcode == Op::MapHas || X.Opcode == Op::StrContains) &&
        canEvaluateBefore(*X.operand(1), *X.operand(0))) {
      PyExpr KE = emit(*X.operand(1));
      PyExpr ME = emit(*X.operand(0));
      return {paren(KE, PBitOr) + " not in " + paren(ME, PBitOr), PCmp};
    }
    if (Invertible) {
      kir::Node Inv = X;
      switch (X.Predicate) {
      case kir::Pred::Eq: Inv.Predicate = kir::Pred::Ne; break;
      case kir::Pred::Ne: Inv.Predicate = kir::Pred::Eq; break;
      case kir::Pred::Lt: Inv.Predicate = kir::Pred::Ge; break;
      case kir::Pred::Le: Inv.Predicate = kir::Pred::Gt; break;
      case kir::Pred::Gt: Inv.Predicate = kir::Pred::Le; break;
      case kir::Pred::Ge: Inv.Predicate = kir::Pred::Lt; break;
      }
      return emitCompare(Inv);
    }
    PyExpr E = Op0();
    return {"not " + paren(E, PNot), PNot};
  }
  case Op::BoolAnd:
  case Op::BoolOr: {
    if (PyExpr Chain = emitChain(N); !Chain.Text.empty())
      return Chain;
    if (PyExpr In = emitMembership(N, /*Truth=*/false); !In.Text.empty())
      return In;
    // and/or are associative, so a and (b and c) prints as a and b and c.
    bool IsAnd = N.Opcode == Op::BoolAnd;
    Prec P = IsAnd ? PAnd : POr;
    PyExpr L = Op0();
    PyExpr R = emit(*N.operand(1));
    return {paren(L, P) + (IsAnd ? " and " : " or ") + paren(R, P), P};
  }

  // --- conversions ---
  case Op::I32ToInt:
  case Op::U32ToInt:
    return Op0(); // the same Python int
  case Op::IntToI32:
  case Op::I32ToU32:
  case Op::IntToU32:
  case Op::U32ToI32: {
    PyExpr E = Op0();
    if (A.raw(&N).within(Range::ofType(N.Ty)))
      return E;
    if (N.Opcode == Op::U32ToI32) // a u32 is 0..2^32-1
      return {"(" + paren(E, PBitXor) + " ^ " + SignI32 + ") - " + SignI32,
              PAdd};
    return N.Ty->Kind == TypeKind::I32 ? wrapI32(E) : maskU32(E);
  }
  case Op::I32ToF64:
  case Op::U32ToF64:
  case Op::IntToF64:
    return call(global("float"), {Op0()});
  case Op::F64ToI32:
    return emitF64ToInt(N, "-2147483649.0", "2147483648.0");
  case Op::F64ToU32:
    return emitF64ToInt(N, "-1.0", "4294967296.0");
  case Op::F64ToInt: // |t| <= 2^53; the doubles next to +-2^53 are +-(2^53+2)
    return emitF64ToInt(N, "-9007199254740994.0", "9007199254740994.0");

  // --- str and bytes ---
  case Op::StrLen:
  case Op::BytesLen:
  case Op::ArrayLen:
  case Op::MapLen:
    return call(global("len"), {Op0()});
  case Op::StrCodeAt:
  case Op::BytesAt:
  case Op::ArrayGet:
    return emitIndex(N, /*Char=*/false);
  case Op::StrSlice:
  case Op::BytesSlice:
    return emitSlice(N);
  case Op::BytesU32Le: {
    // struct's unpack_from decodes the word in C. Past the end it raises
    // struct.error (the except clause's trap); a negative offset it would
    // count from the end, so that is tested unless known impossible.
    const Node &S = *N.operand(0), &I = *N.operand(1);
    bool NonNeg = range(I).nonNegative();
    if (!NonNeg && (!duplicable(I) || purity(S) == Purity::Any))
      return call(global("_u32le_at"),
                  {emit(S), emit(I), atom(std::to_string(N.Loc.Line))});
    std::string Marker = claim(ImplicitWord, N.Loc.Line);
    PyExpr SE = emit(S), IE = emit(I);
    PyExpr Word = {Marker + call(global("_u32le"), {SE, IE}).Text + "[0]",
                   PPostfix};
    if (NonNeg)
      return Word;
    return conditional(Word, comparison(IE, ">=", atom("0")),
                       atom(trapCall(TrapIndex, N)));
  }
  case Op::StrConcat: {
    std::vector<const Node *> Leaves;
    concatLeaves(N, Leaves);
    if (Leaves.size() >= 3)
      return fString(Leaves, nullptr);
    return Bin("+", PAdd);
  }
  case Op::StrFromInt:
    return call(global("str"), {Op0()});
  case Op::StrParseInt: {
    // int() also takes '+', spaces and '_' (and non-ASCII digits, which a
    // str never holds): [-]digits of up to 15 characters, whose value is
    // within 2^53, take int() alone (a call of the helper would cost more
    // than int() itself); anything else goes through the helper, which
    // traps where the kernel does.
    const Node &S = *N.operand(0);
    if (PiecesTested) {
      // int() takes nothing but [-]digits here (emitSplitParse): the value
      // is the kernel's when within +-2^53.
      PyExpr SE = Op0();
      std::string V = walrusName("value");
      PyExpr Ok = {"-0x20000000000000 <= (" + V + " := " +
                       call(global("int"), {SE}).Text +
                       ") <= 0x20000000000000",
                   PCmp};
      return conditional(atom(V), Ok,
                         call(global("_parse_int"),
                              {SE, atom(std::to_string(N.Loc.Line))}));
    }
    PyExpr SE = Op0(), Use = SE, First = SE;
    if (!simple(S) && !ZipReads.count(&resolve(S))) {
      std::string T = walrusName("digits");
      First = {"(" + T + " := " + paren(SE, PCond) + ")", PAtom};
      Use = atom(T);
    }
    PyExpr Test = exactIntTest(First.Text + ".removeprefix(\"-\")", Use);
    return conditional(call(global("int"), {Use}), Test,
                       call(global("_parse_int"),
                            {Use, atom(std::to_string(N.Loc.Line))}));
  }
  case Op::StrFromCode: {
    const Node &C = *N.operand(0);
    if (range(C).within({0, 127}))
      return call(global("chr"), {Op0()});
    if (simple(C)) {
      PyExpr CE = Op0();
      return conditional(call(global("chr"), {CE}),
                         {"0 <= " + paren(CE, PBitOr) + " < 128", PCmp},
                         atom(trapCall(TrapCharCode, N)));
    }
    return call(global("_chr"), {Op0(), atom(std::to_string(N.Loc.Line))});
  }

  case Op::StrFind:
  case Op::StrStartsWith: {
    // find and startswith take a start past the end (no match) or below 0
    // (counted from the end); the kernel needs 0 <= start <= len.
    const Node &S = *N.operand(0), &Sub = *N.operand(1), &Start = *N.operand(2);
    llvm::StringRef Method = N.Opcode == Op::StrFind ? "find" : "startswith";
    PyExpr SE = emit(S), SubE = emit(Sub), StartE = emit(Start);
    if (Start.Opcode == Op::IntConst && Start.IntVal == 0)
      return call(paren(SE, PPostfix) + "." + Method.str(), {SubE});
    bool NonNeg = range(Start).nonNegative();
    if (NonNeg && (belowLength(S, Start) ||
                   (S.Opcode == Op::LocalGet && A.withinLength(&Start, S.Var))))
      return call(paren(SE, PPostfix) + "." + Method.str(), {SubE, StartE});
    // From a start >= 0, find answers -1 when start > len: only then is the
    // test needed, after the call (so after every operand, as the kernel
    // checks). In a find loop that saves the len() call of all but the last.
    if (N.Opcode == Op::StrFind && NonNeg && simple(S) && duplicable(Start)) {
      std::string T = walrusName("found");
      PyExpr Found = {
          T + " := " + call(paren(SE, PPostfix) + ".find", {SubE, StartE}).Text,
          PNamed};
      PyExpr Ok = {paren(Found, PBitOr) + " >= 0 or " + paren(StartE, PBitOr) +
                       " <= " + lengthText(S),
                   POr};
      return conditional(atom(T), Ok, atom(trapCall(TrapIndex, N)));
    }
    // The test runs before sub (and, bound by a walrus, start) is
    // evaluated: neither may trap or have an effect.
    if (simple(S) && purity(Sub) != Purity::Any &&
        purity(Start) != Purity::Any) {
      PyExpr StartUse = StartE, StartTest = StartE;
      if (!simple(Start)) {
        std::string T = walrusName("start");
        StartTest = {T + " := " + paren(StartE, PCond), PNamed};
        StartUse = atom(T);
      }
      PyExpr Call =
          call(paren(SE, PPostfix) + "." + Method.str(), {SubE, StartUse});
      std::string Len = lengthText(S);
      PyExpr Ok = {"0 <= " + paren(StartTest, PBitOr) + " <= " + Len, PCmp};
      if (range(Start).nonNegative())
        Ok = {paren(StartTest, PBitOr) + " <= " + Len, PCmp};
      return conditional(Call, Ok, atom(trapCall(TrapIndex, N)));
    }
    return call(global("_" + Method.str()),
                {SE, SubE, StartE, atom(std::to_string(N.Loc.Line))});
  }
  case Op::StrSplit: {
    // str.split("") raises ValueError: the kernel traps with its own kind.
    const Node &S = *N.operand(0), &Sep = *N.operand(1);
    PyExpr SE = emit(S), SepE = emit(Sep);
    PyExpr Split = call(paren(SE, PPostfix) + ".split", {SepE});
    if (Sep.Opcode == Op::StrConst && !Sep.StrVal.empty())
      return Split;
    // The test runs before s is evaluated: s must not trap.
    if (simple(Sep) && purity(S) != Purity::Any)
      return conditional(Split, SepE, atom(trapCall(TrapEmptySeparator, N)));
    return call(global("_split"), {SE, SepE, atom(std::to_string(N.Loc.Line))});
  }
  case Op::StrLower: // ASCII text: lower() maps exactly A-Z
    return call(paren(Op0(), PPostfix) + ".lower", {});
  case Op::StrTrim:
    // strip() with no argument also strips '\x1c'..'\x1f' (str.isspace()
    // holds for them): name the six characters.
    return call(paren(Op0(), PPostfix) + ".strip",
                {atom("\" \\t\\n\\r\\x0b\\x0c\"")});
  case Op::StrReplace: {
    // s.replace("", new) inserts new between every two characters: the
    // kernel traps with its own kind.
    const Node &S = *N.operand(0), &Old = *N.operand(1), &New = *N.operand(2);
    PyExpr SE = emit(S), OldE = emit(Old), NewE = emit(New);
    PyExpr Replace = call(paren(SE, PPostfix) + ".replace", {OldE, NewE});
    if (Old.Opcode == Op::StrConst && !Old.StrVal.empty())
      return Replace;
    // The test runs before s and new are evaluated: neither may trap.
    if (simple(Old) && purity(S) != Purity::Any && purity(New) != Purity::Any)
      return conditional(Replace, OldE, atom(trapCall(TrapEmptyPattern, N)));
    return call(global("_replace"),
                {SE, OldE, NewE, atom(std::to_string(N.Loc.Line))});
  }
  case Op::StrContains: {
    // `sub in s` evaluates sub first, as `k in m` does (map.has).
    const Node &S = *N.operand(0), &Sub = *N.operand(1);
    if (canEvaluateBefore(Sub, S)) {
      PyExpr SubE = emit(Sub);
      PyExpr SE = emit(S);
      return comparison(SubE, "in", SE);
    }
    PyExpr SE = emit(S);
    PyExpr SubE = emit(Sub);
    return call(paren(SE, PPostfix) + ".__contains__", {SubE});
  }
  case Op::StrJoin: {
    // sep.join(parts) evaluates sep first; the kernel, parts.
    const Node &Parts = *N.operand(0), &Sep = *N.operand(1);
    if (Sep.Opcode == Op::StrConst && Sep.StrVal.empty() &&
        Parts.Opcode == Op::ArrayLit && Parts.Operands.size() >= 3 &&
        !SharedNames.count(&Parts) && &resolve(Parts) == &Parts) {
      std::vector<const Node *> Leaves;
      for (const Node *E : Parts.Operands)
        Leaves.push_back(E);
      return fString(Leaves, &Parts);
    }
    if (canEvaluateBefore(Sep, Parts)) {
      PyExpr PE = emit(Parts);
      PyExpr SepE = emit(Sep);
      return call(paren(SepE, PPostfix) + ".join", {PE});
    }
    PyExpr PE = emit(Parts);
    PyExpr SepE = emit(Sep);
    return call(global("_join"), {PE, SepE});
  }
  case Op::StrFromCodes:
    // bytes() rejects codes outside 0..255 and decode() those above 127,
    // both with a ValueError, which the helper turns into the trap.
    return call(global("_str_from_codes"),
                {Op0(), atom(std::to_string(N.Loc.Line))});

  // --- arrays ---
  case Op::ArrayNew: {
    // [v] * n: every element is the same object, as in native code. Python
    // evaluates v first, and [v] * -1 is silently empty.
    const Node &Len = *N.operand(0), &Fill = *N.operand(1);
    bool InOrder = canEvaluateBefore(Fill, Len);
    bool NonNeg = range(Len).nonNegative();
    bool Checked = !NonNeg && simple(Len) && purity(Fill) != Purity::Any;
    bool Flags = MC.isFlagArray(N.Ty);
    if (InOrder && (NonNeg || Checked)) {
      PyExpr F = emitElem(Fill, N.Ty);
      PyExpr L = emit(Len);
      PyExpr New = binary(atom("[" + paren(F, PCond) + "]"), "*", L, PMul);
      if (Flags) {
        // bytearray(n) is n zero bytes (and raises for n < 0).
        bool Const = Fill.Opcode == Op::BoolConst;
        PyExpr One =
            Const ? atom("b\"\\x01\"") : atom("(" + paren(F, PCond) + ",)");
        New = Const && !Fill.IntVal
                  ? call(global("bytearray"), {L})
                  : binary(call(global("bytearray"), {One}), "*", L, PMul);
      }
      if (NonNeg)
        return New;
      return conditional(New, comparison(L, ">=", atom("0")),
                         atom(trapCall(TrapNegLength, N)));
    }
    PyExpr L = emit(Len);
    PyExpr F = emit(Fill);
    PyExpr New =
        call(global("_array"), {L, F, atom(std::to_string(N.Loc.Line))});
    return Flags ? call(global("bytearray"), {New}) : New;
  }
  case Op::ArrayLit: {
    std::string T;
    for (size_t I = 0; I < N.Operands.size(); ++I)
      T += (I ? ", " : "") + paren(emitElem(*N.operand(I), N.Ty), PCond);
    if (!MC.isFlagArray(N.Ty))
      return atom("[" + T + "]");
    if (N.Operands.size() == 1)
      T += ",";
    return call(global("bytearray"), {atom(T.empty() ? "" : "(" + T + ")")});
  }
  case Op::ArrayPop: {
    const Node &Arr = *N.operand(0);
    if (simple(Arr)) {
      PyExpr AE = Op0();
      return conditional({paren(AE, PPostfix) + ".pop()", PPostfix}, AE,
                         atom(trapCall(TrapEmptyPop, N)));
    }
    return call(global("_pop"), {Op0(), atom(std::to_string(N.Loc.Line))});
  }
  case Op::ArraySet:
  case Op::ArrayPush:
  case Op::FieldSet:
  case Op::MapSet:
  case Op::Eval:
    llvm_unreachable("statement in expression position");

  // --- records ---
  case Op::RecordNew: {
    std::vector<PyExpr> Args;
    for (const Node *O : N.Operands)
      Args.push_back(emit(*O));
    if (MC.TupleRecords.count(N.Ty->Rec)) {
      // A tuple display evaluates its items in order, as the call does.
      std::string T;
      for (size_t I = 0; I < Args.size(); ++I)
        T += (I ? ", " : "") + paren(Args[I], PCond);
      return atom("(" + T + (Args.size() == 1 ? ",)" : ")"));
    }
    return call(global(MC.ClassNames.lookup(N.Ty->Rec)), Args);
  }
  case Op::FieldGet: {
    const kir::RecordDecl *Rec = N.operand(0)->Ty->Rec;
    std::string Marker;
    PyExpr R = emitFieldRecord(*N.operand(0), Marker);
    if (MC.TupleRecords.count(Rec)) // never out of range
      return {Marker + paren(R, PPostfix) + "[" + std::to_string(N.IntVal) +
                  "]",
              PPostfix};
    return {Marker + paren(R, PPostfix) + "." + MC.fieldName(Rec, N.IntVal),
            PPostfix};
  }

  // --- nullable records: None ---
  case Op::RefNull:
    return atom("None");
  case Op::RefAsNullable:
    return Op0();
  case Op::RefIsNull:
    return {paren(Op0(), PBitOr) + " is None", PCmp};
  case Op::RefAsNonNull: {
    // Not under a field access (which raises AttributeError itself).
    const Node &R = *N.operand(0);
    if (duplicable(R)) {
      PyExpr RE = Op0();
      return conditional(RE, {paren(RE, PBitOr) + " is not None", PCmp},
                         atom(trapCall(TrapNull, N)));
    }
    return call(global("_nonnull"),
                {Op0(), atom(std::to_string(N.Loc.Line))});
  }

  // --- maps ---
  case Op::MapNew:
    return atom("{}");
  case Op::MapGet: {
    // m.get(k, d) evaluates m, k, d in order, then looks up; in a loop
    // that does not reassign m, through the `get = m.get` bound before it.
    const Node &MN = *N.operand(0);
    auto Alias = MN.Opcode == Op::LocalGet ? Appends.find(MN.Var)
                                           : Appends.end();
    PyExpr M = Alias != Appends.end() ? PyExpr{} : Op0();
    PyExpr K = emit(*N.operand(1));
    PyExpr D = emit(*N.operand(2));
    if (Alias != Appends.end())
      return call(Alias->second, {K, D});
    return call(paren(M, PPostfix) + ".get", {K, D});
  }
  case Op::MapAt: {
    std::string Marker = claim(ImplicitKey, N.Loc.Line);
    PyExpr M = separate(Op0(), N.Loc.Line);
    PyExpr K = emit(*N.operand(1));
    return {Marker + paren(M, PPostfix) + "[" + paren(K, PCond) + "]",
            PPostfix};
  }
  case Op::MapRemove:
    return emitRemove(N, /*Removed=*/true);
  case Op::MapHas: {
    // `k in m` evaluates k first.
    const Node &M = *N.operand(0), &K = *N.operand(1);
    if (canEvaluateBefore(K, M)) {
      PyExpr KE = emit(K);
      PyExpr ME = emit(M);
      return {paren(KE, PBitOr) + " in " + paren(ME, PBitOr), PCmp};
    }
    PyExpr ME = emit(M);
    PyExpr KE = emit(K);
    return call(paren(ME, PPostfix) + ".__contains__", {KE});
  }

  // --- calls ---
  case Op::Call:
    return emitCall(N);

  // --- control: statements, never expressions ---
  case Op::If:
  case Op::While:
  case Op::ForRange:
  case Op::ForEach:
  case Op::ForMap:
  case Op::Break:
  case Op::Continue:
  case Op::Return:
    break;
  }
  llvm_unreachable("statement in expression position");
}

PyExpr FunctionEmitter::emitOffsetTerm(const Node &N) {
  if (Offset.J) {
    if (isOffsetSum(N))
      return atom(Offset.K);
    if ((N.Opcode == Op::LocalGet && N.Var == Offset.J))
      return binary(atom(Offset.K), "-", atom(local(Offset.E)), PAdd);
  }
  auto It = HoistedSums.find(&N);
  if (It == HoistedSums.end())
    return {};
  It->second.Used = true;
  // The terms that change, in order, then the name of the others' sum;
  // j's own -e is in that sum.
  std::vector<std::pair<bool, const Node *>> Terms;
  sumTerms(N, false, Terms);
  PyExpr Acc;
  for (auto [Neg, T] : Terms) {
    if (It->second.Terms.count(T))
      continue;
    PyExpr TE = Offset.J && resolve(*T).Opcode == Op::LocalGet &&
                              resolve(*T).Var == Offset.J ? atom(Offset.K)
                                                          : emit(*T);
    if (Acc.Text.empty())
      Acc = Neg ? unary("-", TE) : TE;
    else
      Acc = binary(Acc, Neg ? "-" : "+", TE, PAdd);
  }
  return binary(Acc, "+", atom(It->second.Name), PAdd);
}
