//===- JSExpr.cpp - KIR expressions as JS expressions ---------------------===//
//
// The switch over every op that yields a value, and the helpers that keep
// the integer forms (JSExpr::Bound, InI32, InU32) and make values canonical
// where they are used.
//
//===----------------------------------------------------------------------===//

#include "JSEmitter.h"
#include "runtimes/native/kcrt.h"
#include "llvm/Support/ErrorHandling.h"
#include <cmath>
#include <cstdlib>

using namespace llvm;

namespace kc {
namespace jsgen {

using kir::Node;
using kir::Op;
using kir::Type;
using kir::TypeKind;

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

/// The facts every canonical value of type T has.
JSExpr FunctionEmitter::typed(JSExpr E, const Type *T) const {
  E.Ty = T;
  if (T->Kind == TypeKind::I32) {
    E.InI32 = true;
    E.Bound = TwoTo31;
  } else if (T->Kind == TypeKind::U32) {
    E.InU32 = true;
    E.NonNeg = true;
    E.Bound = TwoTo32;
  }
  return E;
}

void FunctionEmitter::canon(JSExpr &E) const {
  if (E.NumBool != JSExpr::NotNumBool) {
    // A real boolean where one is observable: stored, returned, passed,
    // compared.
    JSExpr R = E.NumBool == JSExpr::Bit ? binary(E, "===", atom("1", nullptr))
                                        : unary("!", unary("!", E));
    R.Ty = E.Ty;
    E = R;
    return;
  }
  if (!isInt32Type(E.Ty))
    return;
  if (E.Ty->Kind == TypeKind::I32 && !E.InI32) {
    JSExpr R = binary(E, "|", zero());
    R.Ty = E.Ty;
    R.InI32 = true;
    R.InU32 = E.NonNeg && E.InU32;
    R.Bound = TwoTo31;
    R.NonNeg = E.NonNeg && E.InI32;
    E = R;
  } else if (E.Ty->Kind == TypeKind::U32 && !E.InU32) {
    JSExpr R = binary(E, ">>>", zero());
    R.Ty = E.Ty;
    R.InU32 = true;
    R.NonNeg = true;
    R.Bound = TwoTo32;
    E = R;
  }
}

void FunctionEmitter::canonFor(JSExpr &E, const kir::Local *L) const {
  if (!Int32Locals.count(L)) {
    canon(E);
    return;
  }
  if (E.InI32)
    return;
  JSExpr R = binary(E, "|", zero());
  R.Ty = E.Ty;
  R.InI32 = true;
  R.Bound = TwoTo31;
  E = R;
}

void FunctionEmitter::canonForElem(JSExpr &E, const Type *ArrayTy) const {
  StringRef Class = Facts.arrayClass(ArrayTy);
  if (Class == "Int32Array" || Class == "Uint32Array")
    return;
  if (Class == "Uint8Array") {
    // A Uint8Array stores true and 0/1 as 1, false as 0: every form of a
    // bool stores as it is; constants are written as the numbers.
    if (E.Text == "true" || E.Text == "false")
      E = atom(E.Text == "true" ? "1" : "0", E.Ty);
    return;
  }
  canon(E);
}

JSExpr FunctionEmitter::constant(const Node &N) const {
  auto Hex = [](uint64_t V) {
    std::string S;
    do {
      S.insert(S.begin(), "0123456789abcdef"[V & 15]);
      V >>= 4;
    } while (V);
    return "0x" + S;
  };
  switch (N.Ty->Kind) {
  case TypeKind::I32: {
    int32_t V = static_cast<int32_t>(N.IntVal);
    JSExpr E = atom(std::to_string(V), N.Ty);
    E.InI32 = true;
    E.InU32 = V >= 0;
    E.NonNeg = V >= 0;
    E.Bound = std::fabs(static_cast<double>(V));
    E.IntValue = V;
    if (V >= 16)
      E.Hex = Hex(static_cast<uint32_t>(V));
    return E;
  }
  case TypeKind::U32: {
    uint32_t V = static_cast<uint32_t>(N.IntVal);
    JSExpr E = atom(std::to_string(V), N.Ty);
    E.InU32 = true;
    E.InI32 = V < 0x80000000u;
    E.NonNeg = true;
    E.Bound = static_cast<double>(V);
    E.IntValue = V;
    if (V >= 16)
      E.Hex = Hex(V);
    return E;
  }
  case TypeKind::Int: {
    JSExpr E = atom(std::to_string(N.IntVal), N.Ty);
    E.NonNeg = N.IntVal >= 0;
    E.IntValue = N.IntVal;
    return E;
  }
  case TypeKind::F64:
    return atom(formatDouble(N.F64Val), N.Ty);
  case TypeKind::Bool:
    return atom(N.IntVal ? "true" : "false", N.Ty);
  case TypeKind::Str:
    return atom(quoteString(N.StrVal), N.Ty);
  case TypeKind::Void:
  case TypeKind::Bytes:
  case TypeKind::Array:
  case TypeKind::Map:
  case TypeKind::Record:
  case TypeKind::Nullable:
    break;
  }
  llvm_unreachable("constant of a type without literals (KIR verifier)");
}

JSExpr FunctionEmitter::list(StringRef Open, ArrayRef<JSExpr> Items,
                             StringRef Close) {
  JSExpr E;
  E.P = Prec::Member;
  E.Cost = 1;
  size_t Len = Open.size() + Close.size();
  bool MultiLine = false;
  for (const JSExpr &I : Items) {
    mergeFacts(E, I);
    Len += I.Text.size() + 2;
    MultiLine |= I.Text.find('\n') != std::string::npos;
  }
  MultiLine |= Len > MaxInlineList;
  E.Text = Open.str();
  for (size_t I = 0; I < Items.size(); ++I) {
    std::string T = paren(Items[I], Prec::Assign);
    if (MultiLine)
      E.Text += "\n  " + indentLines(T, 1) + ",";
    else
      E.Text += (I ? ", " : "") + T;
  }
  if (MultiLine && !Items.empty())
    E.Text += "\n";
  E.Text += Close.str();
  return E;
}

JSExpr FunctionEmitter::call(StringRef Callee, ArrayRef<JSExpr> Args) {
  return list(Callee.str() + "(", Args, ")");
}

JSExpr FunctionEmitter::method(const JSExpr &Obj, StringRef Name,
                               ArrayRef<JSExpr> Args) {
  JSExpr E = list(paren(Obj, Prec::Member) + "." + Name.str() + "(", Args, ")");
  mergeFacts(E, Obj);
  return E;
}

JSExpr FunctionEmitter::member(const JSExpr &Obj, StringRef Name) {
  JSExpr E;
  E.Text = paren(Obj, Prec::Member) + "." + Name.str();
  E.P = Prec::Member;
  E.Cost = 1;
  mergeFacts(E, Obj);
  return E;
}

JSExpr FunctionEmitter::index(const JSExpr &Obj, const JSExpr &Idx) {
  JSExpr E;
  E.Text = paren(Obj, Prec::Member) + "[" + Idx.Text + "]";
  E.P = Prec::Member;
  E.Cost = 1;
  mergeFacts(E, Obj);
  mergeFacts(E, Idx);
  return E;
}

JSExpr FunctionEmitter::addSub(JSExpr A, JSExpr B, StringRef Op,
                               const Type *T) const {
  // Exact while the sum stays within 2^53; otherwise wrap the larger side
  // first (two canonical values sum to at most 2^33).
  while (A.Bound + B.Bound > SafeLimit) {
    if (A.Bound >= B.Bound)
      canon(A);
    else
      canon(B);
  }
  JSExpr R = binary(A, Op, B);
  R.Ty = T;
  R.Bound = A.Bound + B.Bound;
  return R;
}

static const char *predText(kir::Pred P) {
  switch (P) {
  case kir::Pred::Eq:
    return "===";
  case kir::Pred::Ne:
    return "!==";
  case kir::Pred::Lt:
    return "<";
  case kir::Pred::Le:
    return "<=";
  case kir::Pred::Gt:
    return ">";
  case kir::Pred::Ge:
    return ">=";
  }
  llvm_unreachable("bad predicate");
}

static kir::Pred invertPred(kir::Pred P) {
  switch (P) {
  case kir::Pred::Eq:
    return kir::Pred::Ne;
  case kir::Pred::Ne:
    return kir::Pred::Eq;
  case kir::Pred::Lt:
    return kir::Pred::Ge;
  case kir::Pred::Le:
    return kir::Pred::Gt;
  case kir::Pred::Gt:
    return kir::Pred::Le;
  case kir::Pred::Ge:
    return kir::Pred::Lt;
  }
  llvm_unreachable("bad predicate");
}

JSExpr FunctionEmitter::compare(JSExpr A, JSExpr B, kir::Pred P,
                                const Type *T) const {
  // Two loads of bools compare as the numbers they are.
  if (!(A.NumBool == JSExpr::Bit && B.NumBool == JSExpr::Bit)) {
    canon(A);
    canon(B);
  }
  JSExpr R = binary(A, predText(P), B);
  // Inverting an ordered comparison is wrong for NaN; === and !== are
  // exact complements for every type.
  if (T->Kind != TypeKind::F64 || P == kir::Pred::Eq || P == kir::Pred::Ne) {
    JSExpr Inv = binary(A, predText(invertPred(P)), B);
    R.NegText = Inv.Text;
    R.NegP = Inv.P;
    R.NegBinOp = Inv.BinOp;
  }
  return R;
}

JSExpr FunctionEmitter::emitDivRem(const Node &N) {
  Operands Ops(*this, N.Operands);
  canon(Ops[0]);
  canon(Ops[1]);
  checkDivisor(Ops[1], *N.operand(1), N);
  JSExpr &A = Ops[0];
  JSExpr &B = Ops[1];
  JSExpr R;
  Op O = N.Opcode;
  if (O == Op::I32Div) // exact: |a / b| < 2^31; MIN / -1 = 2^31 wraps to MIN
    R = typed(binary(binary(A, "/", B), "|", zero()), N.Ty);
  else if (O == Op::U32Div)
    R = typed(binary(binary(A, "/", B), ">>>", zero()), N.Ty);
  else if (O == Op::I32Rem) // `| 0` turns the -0 of -4 % 2 into 0
    R = typed(binary(binary(A, "%", B), "|", zero()), N.Ty);
  else if (O == Op::U32Rem)
    R = typed(binary(A, "%", B), N.Ty);
  else if (O == Op::IntDiv) {
    // Exact for every int: the double a / b (|a| <= 2^53) is off the true
    // quotient by less than that quotient's distance to the next integer,
    // so truncating it gives the truncated quotient (README.md).
    R = call("Math.trunc", {binary(A, "/", B)});
    R.Ty = N.Ty;
  } else {
    assert(O == Op::IntRem && "not a division");
    R = binary(A, "%", B); // exact on integers, the sign of the dividend
    R.Ty = N.Ty;
  }
  R.NonNeg = N.Ty->Kind == TypeKind::Int ? Facts.isNonNeg(N) : R.NonNeg;
  return R;
}

JSExpr FunctionEmitter::emitBitwise(const Node &N, StringRef Op) {
  Operands Ops(*this, N.Operands);
  auto Spelled = [&](const JSExpr &E) {
    if (E.Hex.empty())
      return E;
    JSExpr H = E;
    H.Text = E.Hex;
    return H;
  };
  JSExpr &A = Ops[0];
  JSExpr &B = Ops[1];
  JSExpr R = binary(Spelled(A), Op, Spelled(B));
  R.Ty = N.Ty;
  R.InI32 = true;
  R.Bound = TwoTo31;
  bool ANonNeg = A.NonNeg && A.InI32;
  bool BNonNeg = B.NonNeg && B.InI32;
  if (Op == "&")
    R.NonNeg = ANonNeg || BNonNeg;
  else
    R.NonNeg = ANonNeg && BNonNeg;
  R.InU32 = R.NonNeg;
  return R;
}

JSExpr FunctionEmitter::emitMinMax(const Node &N, bool Max) {
  Operands Ops(*this, N.Operands);
  canon(Ops[0]);
  canon(Ops[1]);
  if (N.Ty->Kind != TypeKind::F64) {
    // On integers Math.min/max is `b < a ? b : a` (they differ only in NaN
    // and the sign of zero, and an int's -0 is 0).
    JSExpr R =
        typed(call(Max ? "Math.max" : "Math.min", {Ops[0], Ops[1]}), N.Ty);
    R.NonNeg = N.Ty->Kind == TypeKind::Int ? Facts.isNonNeg(N) : R.NonNeg;
    return R;
  }
  // min(a, b) = b < a ? b : a exactly: min(NaN, x) is NaN, min(x, NaN) is x.
  bindForDup(Ops[0]);
  bindForDup(Ops[1]);
  JSExpr &A = Ops[0];
  JSExpr &B = Ops[1];
  JSExpr C = binary(B, Max ? ">" : "<", A);
  JSExpr R;
  R.Text = paren(C, Prec::Coalesce) + " ? " + paren(B, Prec::Assign) + " : " +
           paren(A, Prec::Assign);
  R.P = Prec::Conditional;
  R.Ty = N.Ty;
  R.Cost = 1;
  mergeFacts(R, C);
  mergeFacts(R, A);
  mergeFacts(R, B);
  return R;
}

JSExpr FunctionEmitter::emitF64ToInt(const Node &N) {
  // The open interval holds exactly the doubles whose truncation fits; the
  // negated && is also true for NaN.
  const char *Lo = "-2147483649", *Hi = "2147483648"; // f64.to_i32
  if (N.Opcode == Op::F64ToU32) {
    Lo = "-1";
    Hi = "4294967296";
  } else if (N.Opcode == Op::F64ToInt) {
    // |t| <= 2^53; the doubles next to +-2^53 are +-(2^53 + 2).
    Lo = "-9007199254740994";
    Hi = "9007199254740994";
  }
  Operands Ops(*this, N.Operands);
  JSExpr &X = Ops[0];
  // A constant (maybe negated) in range needs no check.
  const Node *XN = N.operand(0);
  bool Negated = XN->Opcode == Op::F64Neg;
  if (Negated)
    XN = XN->operand(0);
  double V = Negated ? -XN->F64Val : XN->F64Val;
  bool Known =
      XN->Opcode == Op::F64Const && V > std::atof(Lo) && V < std::atof(Hi);
  if (!Known) {
    bindForDup(X, "tmp", /*MaxCost=*/0); // it is used three times
    JSExpr InRange = binary(binary(X, ">", atom(Lo, nullptr)), "&&",
                            binary(X, "<", atom(Hi, nullptr)));
    addCheck(unary("!", InRange), KC_TRAP_CONVERSION, N);
  }
  if (N.Opcode == Op::F64ToI32)
    return typed(binary(X, "|", zero()), N.Ty);
  if (N.Opcode == Op::F64ToU32)
    return typed(binary(X, ">>>", zero()), N.Ty);
  JSExpr R = call("Math.trunc", {X});
  R.Ty = N.Ty;
  return R;
}

JSExpr FunctionEmitter::emitCheckSafe(const Node &N) {
  // The helpers (JSBackend.cpp) decide from the rounded double whether the
  // exact result is within +-2^53.
  const Node &In = *N.operand(0);
  const char *Name = nullptr;
  unsigned Bit = 0;
  if (In.Opcode == Op::IntAdd) {
    Name = "checkedAdd";
    Bit = HelperCheckedAdd;
  } else if (In.Opcode == Op::IntSub) {
    Name = "checkedSub";
    Bit = HelperCheckedSub;
  } else if (In.Opcode == Op::IntMul) {
    Name = "checkedMul";
    Bit = HelperCheckedMul;
  }
  JSExpr R;
  if (Name) {
    Operands Ops(*this, In.Operands);
    R = call(Name, {Ops[0], Ops[1], lineNumber(N)});
  } else {
    Bit = HelperCheckedInt;
    Operands Ops(*this, N.Operands);
    R = call("checkedInt", {Ops[0], lineNumber(N)});
  }
  MC.UsedHelpers |= Bit;
  R.Ty = N.Ty;
  R.Pure = false;
  R.NonNeg = Facts.isNonNeg(N);
  return R;
}

JSExpr FunctionEmitter::shortCircuit(JSExpr &L, const Node *LHS,
                                     const Node &RHS, bool IsAnd) {
  // L is pending. The right side's checks are hoisted under L as a guard,
  // unless the right side has an effect before a check: then && becomes
  //   let cond = L;
  //   if (cond) { ...checks...; cond = R; }
  if (effectBeforeHoist(RHS)) {
    hoistPrep();
    std::string T = freshTemp("cond");
    addLine("let " + T + " = " + L.Text + ";");
    addLine(IsAnd ? "if (" + T + ") {" : "if (!" + T + ") {");
    std::vector<JSExpr *> SavedPending;
    std::vector<Guard> SavedGuards;
    std::swap(SavedPending, St.Pending);
    std::swap(SavedGuards, St.Guards);
    ++St.PreIndent;
    JSExpr R = emitExpr(RHS);
    addLine(T + " = " + R.Text + ";");
    --St.PreIndent;
    std::swap(SavedPending, St.Pending);
    std::swap(SavedGuards, St.Guards);
    addLine("}");
    JSExpr A = atom(T, RHS.Ty);
    if (L.NumBool != JSExpr::NotNumBool || R.NumBool != JSExpr::NotNumBool)
      A.NumBool = JSExpr::Truthy;
    return A;
  }
  St.Guards.push_back({&L, IsAnd, LHS, St.Pending.size()});
  JSExpr R = emitExpr(RHS);
  St.Guards.pop_back();
  JSExpr E = binary(L, IsAnd ? "&&" : "||", R);
  // `a[i] && b` is 0 when a[i] is: only its truthiness is the bool.
  if (L.NumBool != JSExpr::NotNumBool || R.NumBool != JSExpr::NotNumBool)
    E.NumBool = JSExpr::Truthy;
  return E;
}

JSExpr FunctionEmitter::emitShortCircuit(const Node &N, bool IsAnd) {
  JSExpr L = emitExpr(*N.operand(0));
  St.Pending.push_back(&L);
  JSExpr R = shortCircuit(L, N.operand(0), *N.operand(1), IsAnd);
  St.Pending.pop_back();
  R.Ty = N.Ty;
  return R;
}

JSExpr FunctionEmitter::emitExpr(const Node &N) {
  auto Binary = [&](StringRef Op) {
    Operands Ops(*this, N.Operands);
    JSExpr R = binary(Ops[0], Op, Ops[1]);
    R.Ty = N.Ty;
    return R;
  };
  auto Unary = [&](StringRef Op) {
    Operands Ops(*this, N.Operands);
    JSExpr R = unary(Op, Ops[0]);
    R.Ty = N.Ty;
    return R;
  };
  auto Compare = [&] {
    Operands Ops(*this, N.Operands);
    JSExpr R = compare(Ops[0], Ops[1], N.Predicate, N.operand(0)->Ty);
    R.Ty = N.Ty;
    return R;
  };
  // A conversion that keeps the JS value (and its facts) under a new type.
  auto Retype = [&](bool Canonical) {
    Operands Ops(*this, N.Operands);
    JSExpr R = Ops[0];
    if (Canonical)
      canon(R);
    R.Ty = N.Ty;
    R.Hex.clear();
    return R;
  };

  switch (N.Opcode) {
  // --- constants ---
  case Op::BoolConst:
  case Op::I32Const:
  case Op::U32Const:
  case Op::IntConst:
  case Op::F64Const:
  case Op::StrConst:
    return constant(N);

  // --- locals ---
  case Op::LocalGet: {
    JSExpr E = typed(atom(localName(N.Var), N.Ty), N.Ty);
    if (N.Ty->Kind == TypeKind::Int)
      E.NonNeg = Facts.isNonNeg(N);
    E.Reads.push_back(N.Var);
    if (Int32Locals.count(N.Var)) { // an int32 bit pattern
      E.InI32 = true;
      E.InU32 = false;
      E.NonNeg = false;
      E.Bound = TwoTo31;
    }
    return E;
  }
  case Op::LocalDecl:
  case Op::LocalSet:
    break;

  // --- i32 / u32: exact sums wrapped by their user; Math.imul wraps ---
  case Op::I32Add:
  case Op::U32Add:
  case Op::I32Sub:
  case Op::U32Sub: {
    Operands Ops(*this, N.Operands);
    bool Add = N.Opcode == Op::I32Add || N.Opcode == Op::U32Add;
    return addSub(Ops[0], Ops[1], Add ? "+" : "-", N.Ty);
  }
  case Op::I32Mul:
  case Op::U32Mul: {
    Operands Ops(*this, N.Operands);
    JSExpr R = typed(call("Math.imul", {Ops[0], Ops[1]}), N.Ty);
    if (N.Ty->Kind == TypeKind::U32) { // the int32 bits of the product
      R.InU32 = false;
      R.InI32 = true;
      R.NonNeg = false;
      R.Bound = TwoTo31;
    }
    return R;
  }
  case Op::I32Div:
  case Op::U32Div:
  case Op::I32Rem:
  case Op::U32Rem:
  case Op::IntDiv:
  case Op::IntRem:
    return emitDivRem(N);
  case Op::I32Neg:
  case Op::U32Neg: {
    Operands Ops(*this, N.Operands);
    JSExpr R = unary("-", Ops[0]);
    R.Ty = N.Ty;
    R.Bound = Ops[0].Bound;
    return R;
  }
  case Op::I32And:
  case Op::U32And:
    return emitBitwise(N, "&");
  case Op::I32Or:
  case Op::U32Or:
    return emitBitwise(N, "|");
  case Op::I32Xor:
  case Op::U32Xor:
    return emitBitwise(N, "^");
  case Op::I32Not:
  case Op::U32Not: {
    Operands Ops(*this, N.Operands);
    JSExpr R = unary("~", Ops[0]);
    R.Ty = N.Ty;
    R.InI32 = true;
    R.Bound = TwoTo31;
    return R;
  }
  case Op::I32Shl:
  case Op::U32Shl: { // JS masks the count with 31, as KIR does
    Operands Ops(*this, N.Operands);
    JSExpr R = binary(Ops[0], "<<", Ops[1]);
    R.Ty = N.Ty;
    R.InI32 = true;
    R.Bound = TwoTo31;
    return R;
  }
  case Op::I32Shr: {
    Operands Ops(*this, N.Operands);
    JSExpr R = typed(binary(Ops[0], ">>", Ops[1]), N.Ty);
    R.NonNeg = Ops[0].NonNeg && Ops[0].InI32;
    R.InU32 = R.NonNeg;
    return R;
  }
  case Op::U32Shr: {
    Operands Ops(*this, N.Operands);
    JSExpr R = typed(binary(Ops[0], ">>>", Ops[1]), N.Ty);
    // A shift by 1..31 leaves a value below 2^31.
    R.InI32 = Ops[1].IntValue && (*Ops[1].IntValue & 31) != 0;
    return R;
  }
  case Op::I32Cmp:
  case Op::U32Cmp:
  case Op::IntCmp:
  case Op::F64Cmp:
  case Op::StrCmp:
  case Op::BoolCmp:
    return Compare();

  // --- int: plain Number arithmetic, exact within +-2^53 ---
  case Op::IntAdd:
  case Op::IntSub:
  case Op::IntMul: {
    const char *OpText = N.Opcode == Op::IntAdd   ? "+"
                         : N.Opcode == Op::IntSub ? "-"
                                                  : "*";
    JSExpr R = Binary(OpText);
    R.NonNeg = Facts.isNonNeg(N);
    return R;
  }
  case Op::IntNeg:
    return Unary("-");
  case Op::IntCheckSafe:
    return emitCheckSafe(N);

  // --- f64: the same IEEE operations (`%` is fmod) ---
  case Op::F64Add:
    return Binary("+");
  case Op::F64Sub:
    return Binary("-");
  case Op::F64Mul:
    return Binary("*");
  case Op::F64Div:
    return Binary("/");
  case Op::F64Rem:
    return Binary("%");
  case Op::F64Neg:
    return Unary("-");
  case Op::F64Sqrt:
  case Op::F64Floor: {
    Operands Ops(*this, N.Operands);
    JSExpr R =
        call(N.Opcode == Op::F64Sqrt ? "Math.sqrt" : "Math.floor", {Ops[0]});
    R.Ty = N.Ty;
    return R;
  }

  // --- generic numeric helpers ---
  case Op::NumMin:
    return emitMinMax(N, /*Max=*/false);
  case Op::NumMax:
    return emitMinMax(N, /*Max=*/true);
  case Op::NumAbs: {
    Operands Ops(*this, N.Operands);
    canon(Ops[0]);
    if (N.Ty->Kind == TypeKind::U32)
      return Ops[0];
    JSExpr R = call("Math.abs", {Ops[0]});
    R.Ty = N.Ty;
    if (N.Ty->Kind == TypeKind::I32) // abs(MIN) wraps to MIN
      R = typed(binary(R, "|", zero()), N.Ty);
    if (N.Ty->Kind == TypeKind::Int)
      R.NonNeg = true;
    return R;
  }

  // --- bool ---
  case Op::BoolNot: {
    Operands Ops(*this, N.Operands);
    JSExpr R = negate(Ops[0]);
    R.Ty = N.Ty;
    return R;
  }
  case Op::BoolAnd:
    return emitShortCircuit(N, /*IsAnd=*/true);
  case Op::BoolOr:
    return emitShortCircuit(N, /*IsAnd=*/false);

  // --- conversions ---
  case Op::I32ToInt:
  case Op::U32ToInt:
    return Retype(/*Canonical=*/true);
  case Op::IntToI32:
  case Op::IntToU32: {
    // ToInt32 of an exact integer is its low 32 bits: the int itself is a
    // valid representation; its user wraps it if needed.
    JSExpr R = Retype(/*Canonical=*/false);
    R.Bound = SafeLimit;
    R.InI32 =
        R.IntValue && *R.IntValue >= INT32_MIN && *R.IntValue <= INT32_MAX;
    R.InU32 = R.IntValue && *R.IntValue >= 0 && *R.IntValue <= UINT32_MAX;
    R.NonNeg = R.NonNeg && (R.InI32 || R.InU32);
    if (R.IntValue && !R.InI32 && !R.InU32)
      R.IntValue.reset();
    // A constant in range is its own bound: addSub wraps by bounds, and
    // canon() cannot lower the bound of a value already in range.
    if (R.IntValue)
      R.Bound = std::fabs(static_cast<double>(*R.IntValue));
    return R;
  }
  case Op::I32ToU32:
  case Op::U32ToI32: // the same bits; canonical when in the new range
    return Retype(/*Canonical=*/false);
  case Op::I32ToF64:
  case Op::U32ToF64: {
    JSExpr R = Retype(/*Canonical=*/true);
    R.IntValue.reset();
    return R;
  }
  case Op::IntToF64: {
    // The only place an int's -0 shows: f64(-0) must be +0.0.
    JSExpr R = Retype(/*Canonical=*/false);
    R.IntValue.reset();
    if (Facts.mayBeNegZero(*N.operand(0))) {
      R = binary(R, "+", zero());
      R.Ty = N.Ty;
    }
    return R;
  }
  case Op::F64ToI32:
  case Op::F64ToU32:
  case Op::F64ToInt:
    return emitF64ToInt(N);

  // --- str and bytes ---
  case Op::StrLen:
  case Op::BytesLen: {
    Operands Ops(*this, N.Operands);
    JSExpr R = member(Ops[0], "length");
    R.Ty = N.Ty;
    R.NonNeg = true;
    return R;
  }
  case Op::StrCodeAt:
  case Op::BytesAt:
    return emitRead(N);
  case Op::BytesU32Le: {
    // The helper's four byte loads give the u32's int32 bit pattern.
    Operands Ops(*this, N.Operands);
    MC.UsedHelpers |= HelperLoadU32le;
    JSExpr R = call("loadU32le", {Ops[0], Ops[1], lineNumber(N)});
    R.Ty = N.Ty;
    R.Pure = false;
    R.InI32 = true;
    R.Bound = TwoTo31;
    return R;
  }
  case Op::StrSlice:
  case Op::BytesSlice: {
    Operands Ops(*this, N.Operands);
    bindForDup(Ops[0]);
    bindForDup(Ops[1], "index");
    bindForDup(Ops[2], "index");
    // 0 <= a <= b <= len, each part unless the constants settle it.
    std::optional<int64_t> A = Ops[1].IntValue, B = Ops[2].IntValue;
    std::vector<JSExpr> Parts;
    if (!Facts.isNonNeg(*N.operand(1)))
      Parts.push_back(binary(Ops[1], "<", zero()));
    if (!(A && B && *A <= *B))
      Parts.push_back(binary(Ops[1], ">", Ops[2]));
    Parts.push_back(binary(Ops[2], ">", member(Ops[0], "length")));
    JSExpr Fail = Parts[0];
    for (size_t I = 1; I < Parts.size(); ++I)
      Fail = binary(Fail, "||", Parts[I]);
    addCheck(Fail, KC_TRAP_SLICE, N);
    // bytes are immutable, so a view shares the buffer safely.
    JSExpr R = method(Ops[0], N.Opcode == Op::StrSlice ? "slice" : "subarray",
                      {Ops[1], Ops[2]});
    R.Ty = N.Ty;
    R.Fresh = true;
    return R;
  }
  case Op::StrConcat:
    return Binary("+");
  case Op::StrFromInt: {
    Operands Ops(*this, N.Operands);
    JSExpr R = call("String", {Ops[0]});
    R.Ty = N.Ty;
    return R;
  }
  case Op::StrParseInt: {
    Operands Ops(*this, N.Operands);
    MC.UsedHelpers |= HelperParseInt;
    JSExpr R = call("parseInteger", {Ops[0], lineNumber(N)});
    R.Ty = N.Ty;
    R.Pure = false;
    return R;
  }
  case Op::StrFromCode: {
    Operands Ops(*this, N.Operands);
    bindForDup(Ops[0]);
    JSExpr Fail = binary(Ops[0], ">", atom("127", nullptr));
    if (!Facts.isNonNeg(*N.operand(0)))
      Fail = binary(binary(Ops[0], "<", zero()), "||", Fail);
    addCheck(Fail, KC_TRAP_CHAR_CODE, N);
    JSExpr R = call("String.fromCharCode", {Ops[0]});
    R.Ty = N.Ty;
    return R;
  }

  case Op::StrFind:
  case Op::StrStartsWith: {
    // indexOf and startsWith clamp the position; the kernel needs
    // 0 <= start <= len. A start of 0 is the one-argument form.
    Operands Ops(*this, N.Operands);
    std::optional<int64_t> Start = Ops[2].IntValue;
    // A loop counter below len(s) is in range too.
    bool Proven =
        (Start && *Start == 0) || inBounds(*N.operand(0), *N.operand(2));
    if (!Proven) {
      bindForDup(Ops[0]);
      bindForDup(Ops[2], "index");
      JSExpr Fail = binary(Ops[2], ">", member(Ops[0], "length"));
      if (!Facts.isNonNeg(*N.operand(2)))
        Fail = binary(binary(Ops[2], "<", zero()), "||", Fail);
      addCheck(Fail, KC_TRAP_INDEX, N);
    }
    // Read only now: hoisting the check ahead of the call binds an operand
    // with an effect (the needle's pop()) to a temporary, which the call
    // must use instead of evaluating it again.
    std::vector<JSExpr> Args = {Ops[1]};
    if (!(Start && *Start == 0))
      Args.push_back(Ops[2]);
    JSExpr R = method(Ops[0],
                      N.Opcode == Op::StrFind ? "indexOf" : "startsWith", Args);
    R.Ty = N.Ty;
    return R;
  }
  case Op::StrSplit: {
    // "abc".split("") would give the characters: the kernel traps.
    Operands Ops(*this, N.Operands);
    const Node &Sep = *N.operand(1);
    if (!(Sep.Opcode == Op::StrConst && !Sep.StrVal.empty())) {
      bindForDup(Ops[1], "sep");
      addCheck(binary(Ops[1], "===", atom("\"\"", nullptr)),
               KC_TRAP_EMPTY_SEPARATOR, N);
    }
    JSExpr R = method(Ops[0], "split", {Ops[1]});
    R.Ty = N.Ty;
    R.Fresh = true;
    return R;
  }
  case Op::StrLower: {
    // The text is ASCII, where toLowerCase maps exactly A-Z.
    Operands Ops(*this, N.Operands);
    JSExpr R = method(Ops[0], "toLowerCase", {});
    R.Ty = N.Ty;
    return R;
  }
  case Op::StrJoin: {
    Operands Ops(*this, N.Operands);
    JSExpr R = method(Ops[0], "join", {Ops[1]});
    R.Ty = N.Ty;
    R.ReadsHeap = true; // the array's elements
    return R;
  }
  case Op::StrTrim: {
    // For ASCII text, trim() strips exactly ' ' and '\t' '\n' '\v' '\f' '\r'.
    Operands Ops(*this, N.Operands);
    JSExpr R = method(Ops[0], "trim", {});
    R.Ty = N.Ty;
    return R;
  }
  case Op::StrReplace: {
    // "abc".replaceAll("", x) inserts x around every character: the kernel
    // traps. The helper is not replaceAll (see JSBackend.cpp).
    Operands Ops(*this, N.Operands);
    const Node &Old = *N.operand(1);
    if (!(Old.Opcode == Op::StrConst && !Old.StrVal.empty())) {
      bindForDup(Ops[1], "old");
      addCheck(binary(Ops[1], "===", atom("\"\"", nullptr)),
               KC_TRAP_EMPTY_PATTERN, N);
    }
    MC.UsedHelpers |= HelperReplace;
    JSExpr R = call("replaceText", {Ops[0], Ops[1], Ops[2]});
    R.Ty = N.Ty;
    return R;
  }
  case Op::StrContains: {
    Operands Ops(*this, N.Operands);
    JSExpr R = method(Ops[0], "includes", {Ops[1]});
    R.Ty = N.Ty;
    return R;
  }
  case Op::StrFromCodes: {
    Operands Ops(*this, N.Operands);
    MC.UsedHelpers |= HelperStringFromCodes;
    JSExpr R = call("stringFromCodes", {Ops[0], lineNumber(N)});
    R.Ty = N.Ty;
    R.Pure = false;
    R.ReadsHeap = true; // the array's elements
    return R;
  }

  // --- arrays ---
  case Op::ArrayNew: {
    Operands Ops(*this, N.Operands);
    canonForElem(Ops[1], N.Ty);
    if (!Facts.isNonNeg(*N.operand(0))) {
      bindForDup(Ops[0], "length");
      addCheck(binary(Ops[0], "<", zero()), KC_TRAP_NEG_LENGTH, N);
    }
    StringRef Class = Facts.arrayClass(N.Ty);
    const Node &Fill = *N.operand(1);
    bool ZeroFill =
        (Fill.Opcode == Op::F64Const && Fill.F64Val == 0 &&
         !std::signbit(Fill.F64Val)) ||
        ((Fill.Opcode == Op::I32Const || Fill.Opcode == Op::U32Const ||
          Fill.Opcode == Op::BoolConst) &&
         Fill.IntVal == 0);
    // Every element is the one fill value: for a record or an array, the
    // same reference, as in the native runtime.
    JSExpr R = list("new " + Class.str() + "(", {Ops[0]}, ")");
    if (!(Class != "Array" && ZeroFill))
      R = method(R, "fill", {Ops[1]});
    R.Ty = N.Ty;
    R.Fresh = true;
    return R;
  }
  case Op::ArrayLit: {
    Operands Ops(*this, N.Operands);
    for (JSExpr &E : Ops.all())
      canonForElem(E, N.Ty);
    StringRef Class = Facts.arrayClass(N.Ty);
    JSExpr R = Class == "Array" ? list("[", Ops.all(), "]")
               : Ops.size()     ? list(Class.str() + ".of(", Ops.all(), ")")
                                : list("new " + Class.str() + "(0", {}, ")");
    R.Ty = N.Ty;
    R.Fresh = true;
    return R;
  }
  case Op::ArrayLen: {
    Operands Ops(*this, N.Operands);
    JSExpr R = member(Ops[0], "length");
    R.Ty = N.Ty;
    R.NonNeg = true;
    R.ReadsHeap = true;
    return R;
  }
  case Op::ArrayGet:
    return emitRead(N);
  case Op::ArrayPop: {
    Operands Ops(*this, N.Operands);
    bindForDup(Ops[0]);
    JSExpr Len = member(Ops[0], "length");
    Len.ReadsHeap = true; // each pop changes it
    addCheck(binary(Len, "===", zero()), KC_TRAP_EMPTY_POP, N);
    JSExpr R = typed(method(Ops[0], "pop", {}), N.Ty);
    R.Pure = false;
    R.ReadsHeap = true;
    return R;
  }
  case Op::ArraySet:
  case Op::ArrayPush:
    break;

  // --- records ---
  case Op::RecordNew: {
    Operands Ops(*this, N.Operands);
    for (JSExpr &E : Ops.all())
      canon(E);
    JSExpr R =
        list("new " + MC.ClassNames.lookup(N.Ty->Rec) + "(", Ops.all(), ")");
    R.Ty = N.Ty;
    R.Fresh = true;
    return R;
  }
  case Op::FieldGet: {
    Operands Ops(*this, N.Operands);
    const kir::RecordDecl *Rec = N.operand(0)->Ty->Rec;
    JSExpr R = typed(member(Ops[0], Rec->Fields[N.IntVal].Name), N.Ty);
    R.ReadsHeap = true;
    return R;
  }
  case Op::FieldSet:
    break;

  // --- nullable records: null ---
  case Op::RefNull: {
    JSExpr R = atom("null", N.Ty);
    return R;
  }
  case Op::RefAsNullable: {
    Operands Ops(*this, N.Operands);
    JSExpr R = Ops[0];
    R.Ty = N.Ty;
    return R;
  }
  case Op::RefIsNull: {
    Operands Ops(*this, N.Operands);
    JSExpr R = compare(Ops[0], atom("null", nullptr), kir::Pred::Eq,
                       N.operand(0)->Ty);
    R.Ty = N.Ty;
    return R;
  }
  case Op::RefAsNonNull: {
    // Checked before the field access it serves (which would throw a
    // TypeError of its own); a local once checked stays checked until it
    // is assigned, and an enclosing `x != null` proves it.
    Operands Ops(*this, N.Operands);
    JSExpr R = Ops[0];
    if (!knownNonNull(*N.operand(0))) {
      bindForDup(R);
      JSExpr Fail = binary(R, "===", atom("null", nullptr));
      if (!provenHere(Fail.Text))
        addCheck(Fail, KC_TRAP_NULL, N);
    }
    R.Ty = N.Ty;
    return R;
  }

  // --- maps ---
  case Op::MapNew: {
    JSExpr R = atom("new Map()", N.Ty);
    R.P = Prec::Member;
    R.Fresh = true;
    R.Cost = 1;
    return R;
  }
  case Op::MapLen: {
    Operands Ops(*this, N.Operands);
    JSExpr R = member(Ops[0], "size");
    R.Ty = N.Ty;
    R.NonNeg = true;
    R.ReadsHeap = true;
    return R;
  }
  case Op::MapGet: {
    // The default is evaluated whether or not the key is present; `??`
    // skips it, so it must be pure (an effect is bound first). Map values
    // are never undefined.
    Operands Ops(*this, N.Operands);
    canon(Ops[2]);
    if (!Ops[2].Pure)
      hoistPrep();
    JSExpr R =
        typed(binary(method(Ops[0], "get", {Ops[1]}), "??", Ops[2]), N.Ty);
    R.ReadsHeap = true;
    return R;
  }
  case Op::MapAt: {
    Operands Ops(*this, N.Operands);
    bindForDup(Ops[0]);
    bindForDup(Ops[1], "key");
    addCheck(unary("!", method(Ops[0], "has", {Ops[1]})), KC_TRAP_MAP_KEY, N);
    JSExpr R = typed(method(Ops[0], "get", {Ops[1]}), N.Ty);
    R.ReadsHeap = true;
    return R;
  }
  case Op::MapHas: {
    Operands Ops(*this, N.Operands);
    JSExpr R = method(Ops[0], "has", {Ops[1]});
    R.Ty = N.Ty;
    R.ReadsHeap = true;
    return R;
  }
  case Op::MapSet:
    break;
  case Op::MapRemove: {
    Operands Ops(*this, N.Operands);
    JSExpr R = method(Ops[0], "delete", {Ops[1]});
    R.Ty = N.Ty;
    R.Pure = false;
    R.ReadsHeap = true;
    return R;
  }

  // --- calls ---
  case Op::Call: {
    Operands Ops(*this, N.Operands);
    for (JSExpr &E : Ops.all())
      canon(E);
    JSExpr R = call(MC.FunctionNames.lookup(N.Callee), Ops.all());
    if (N.Ty->Kind != TypeKind::Void)
      R = typed(R, N.Ty);
    R.Ty = N.Ty;
    // A pure function's call may stay where it is when a check is hoisted
    // past it; it is never repeated.
    R.Pure = Facts.isPure(*N.Callee);
    R.Fresh = true;
    R.ReadsHeap = true;
    return R;
  }
  case Op::Eval:
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
  llvm_unreachable("statement op in an expression (KIR verifier)");
}

} // namespace jsgen
} // namespace kc
