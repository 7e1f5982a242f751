//===- PyAnalysis.cpp - Facts the Python back-end proves about KIR ---------===//

#include "PyAnalysis.h"
#include "llvm/ADT/SmallVector.h"
#include <algorithm>
#include <functional>
#include <optional>
#include <vector>

using namespace kc;
using namespace kc::pygen;
using kir::Node;
using kir::Op;
using kir::TypeKind;

using I128 = __int128;

//===----------------------------------------------------------------------===//
// Intervals
//===----------------------------------------------------------------------===//

static constexpr I128 Big = I128(1) << 62;

Range Range::of(I128 L, I128 H) {
  Range R;
  R.Lo = L < -Big ? NegInf : L > Big ? int64_t(Big) : int64_t(L);
  R.Hi = H > Big ? PosInf : H < -Big ? -int64_t(Big) : int64_t(H);
  return R;
}

Range Range::ofType(const kir::Type *T) {
  switch (T->Kind) {
  case TypeKind::I32:
    return {-(int64_t(1) << 31), (int64_t(1) << 31) - 1};
  case TypeKind::U32:
    return {0, (int64_t(1) << 32) - 1};
  case TypeKind::Bool:
    return {0, 1};
  default:
    return all();
  }
}

Rel Rel::join(const Rel &O) const {
  Rel J;
  if (hasLen() && O.hasLen()) {
    // A fact of every str holds of each.
    if (LenAny && O.LenAny)
      J.LenAny = true;
    else if (LenAny || O.LenAny || LenOf == O.LenOf)
      J.LenOf = LenAny ? O.LenOf : LenOf;
    if (J.hasLen())
      J.LenK = std::min(LenK, O.LenK);
  }
  if (AboveOf && AboveOf == O.AboveOf) {
    J.AboveOf = AboveOf;
    J.AboveBy = std::min(AboveBy, O.AboveBy);
  }
  return J;
}

Range Range::join(const Range &O) const {
  if (isEmpty())
    return O;
  if (O.isEmpty())
    return *this;
  return {std::min(Lo, O.Lo), std::max(Hi, O.Hi)};
}

Range Range::meet(const Range &O) const {
  if (isEmpty() || O.isEmpty())
    return empty();
  return {std::max(Lo, O.Lo), std::min(Hi, O.Hi)};
}

static I128 lo(const Range &R) { return R.Lo; }
static I128 hi(const Range &R) { return R.Hi; }
static bool finite(const Range &R) {
  return R.Lo != Range::NegInf && R.Hi != Range::PosInf;
}

static Range add(const Range &A, const Range &B) {
  if (A.isEmpty() || B.isEmpty())
    return Range::empty();
  return Range::of(lo(A) + lo(B), hi(A) + hi(B));
}

static Range sub(const Range &A, const Range &B) {
  if (A.isEmpty() || B.isEmpty())
    return Range::empty();
  return Range::of(lo(A) - hi(B), hi(A) - lo(B));
}

static Range neg(const Range &A) {
  if (A.isEmpty())
    return Range::empty();
  return Range::of(-hi(A), -lo(A));
}

static Range corners(I128 C0, I128 C1, I128 C2, I128 C3) {
  return Range::of(std::min({C0, C1, C2, C3}), std::max({C0, C1, C2, C3}));
}

static Range mul(const Range &A, const Range &B) {
  if (A.isEmpty() || B.isEmpty())
    return Range::empty();
  // Infinite bounds are +-2^63 here, so products stay within 2^126.
  return corners(lo(A) * lo(B), lo(A) * hi(B), hi(A) * lo(B), hi(A) * hi(B));
}

static I128 maxAbs(const Range &A) {
  return std::max(lo(A) < 0 ? -lo(A) : lo(A), hi(A) < 0 ? -hi(A) : hi(A));
}

/// Truncating division (the divisor 0 traps, so it yields nothing).
static Range truncDiv(const Range &A, const Range &B) {
  if (A.isEmpty() || B.isEmpty() || (B.Lo == 0 && B.Hi == 0))
    return Range::empty();
  if (finite(A) && finite(B)) {
    // Trunc is monotone in the real quotient: the extremes are at corners of
    // the divisor's non-zero parts.
    llvm::SmallVector<I128, 4> Divisors;
    for (I128 D : {lo(B), hi(B), I128(-1), I128(1)})
      if (D != 0 && D >= lo(B) && D <= hi(B))
        Divisors.push_back(D);
    I128 Min = 0, Max = 0;
    bool First = true;
    for (I128 D : Divisors)
      for (I128 N : {lo(A), hi(A)}) {
        I128 Q = N / D; // C++ truncates too
        Min = First ? Q : std::min(Min, Q);
        Max = First ? Q : std::max(Max, Q);
        First = false;
      }
    return Range::of(Min, Max);
  }
  // |a / b| <= |a|; the sign is known when both signs are.
  I128 M = maxAbs(A);
  if (A.Lo >= 0 && B.Lo >= 0)
    return Range::of(0, M);
  if (A.Lo >= 0 && B.Hi <= 0)
    return Range::of(-M, 0);
  return Range::of(-M, M);
}

/// Remainder with the dividend's sign: |r| < |b| and |r| <= |a|.
static Range truncRem(const Range &A, const Range &B) {
  if (A.isEmpty() || B.isEmpty() || (B.Lo == 0 && B.Hi == 0))
    return Range::empty();
  I128 M = std::min(maxAbs(A), maxAbs(B) - 1);
  if (A.Lo >= 0)
    return Range::of(0, M);
  if (A.Hi <= 0)
    return Range::of(-M, 0);
  return Range::of(-M, M);
}

static I128 bitCeil(I128 V) {
  // The least 2^k - 1 >= V, for V >= 0.
  I128 P = 0;
  while (P < V)
    P = P * 2 + 1;
  return P;
}

static Range bitAnd(const Range &A, const Range &B, const Range &TypeR) {
  if (A.isEmpty() || B.isEmpty())
    return Range::empty();
  if (A.Lo >= 0 && B.Lo >= 0)
    return Range::of(0, std::min(hi(A), hi(B)));
  if (A.Lo >= 0)
    return Range::of(0, hi(A));
  if (B.Lo >= 0)
    return Range::of(0, hi(B));
  return TypeR;
}

static Range bitOrXor(const Range &A, const Range &B, const Range &TypeR,
                      bool IsOr) {
  if (A.isEmpty() || B.isEmpty())
    return Range::empty();
  if (A.Lo >= 0 && B.Lo >= 0 && finite(A) && finite(B))
    return Range::of(IsOr ? std::max(lo(A), lo(B)) : 0,
                     bitCeil(std::max(hi(A), hi(B))));
  return TypeR;
}

/// The shift count after `& 31`.
static Range shiftCount(const Range &B) {
  if (B.isEmpty())
    return Range::empty();
  if (B.Lo >= 0 && B.Hi <= 31)
    return B;
  if (B.Lo == B.Hi)
    return Range::point(B.Lo & 31);
  return {0, 31};
}

static Range shl(const Range &A, const Range &C) {
  if (A.isEmpty() || C.isEmpty())
    return Range::empty();
  auto S = [](I128 V, int64_t N) { return V * (I128(1) << N); };
  return corners(S(lo(A), C.Lo), S(lo(A), C.Hi), S(hi(A), C.Lo),
                 S(hi(A), C.Hi));
}

static Range shr(const Range &A, const Range &C) {
  if (A.isEmpty() || C.isEmpty())
    return Range::empty();
  // Arithmetic shift = floor division by 2^n.
  auto S = [](I128 V, int64_t N) {
    I128 D = I128(1) << N;
    I128 Q = V / D;
    return (V % D != 0 && V < 0) ? Q - 1 : Q;
  };
  return corners(S(lo(A), C.Lo), S(lo(A), C.Hi), S(hi(A), C.Lo),
                 S(hi(A), C.Hi));
}

static bool isIntegerType(const kir::Type *T) { return T->isInteger(); }

//===----------------------------------------------------------------------===//
// Purity
//===----------------------------------------------------------------------===//

static bool isConstOp(Op O) {
  return O == Op::BoolConst || O == Op::I32Const || O == Op::U32Const ||
         O == Op::IntConst || O == Op::F64Const || O == Op::StrConst;
}

Purity Analysis::purity(const Node *N) {
  Purity P = ownPurity(N);
  if (P == Purity::Any)
    return P;
  for (const Node *O : N->Operands) {
    Purity Q = purity(O);
    if (Q == Purity::Any)
      return Purity::Any;
    if (Q == Purity::Quiet)
      P = Purity::Quiet;
  }
  return P;
}

Purity Analysis::ownPurity(const Node *N) {
  const Purity P = Purity::Stable;
  // Every op, so that a new one must say what it may do.
  switch (N->Opcode) {
  // May trap, or have an effect (calls, pop).
  case Op::Call:
  case Op::ArrayPop:
  case Op::ArrayGet:
  case Op::ArraySet:
  case Op::ArrayPush:
  case Op::StrCodeAt:
  case Op::BytesAt:
  case Op::StrSlice:
  case Op::BytesSlice:
  case Op::BytesU32Le:
  case Op::MapAt:
  case Op::MapSet:
  case Op::FieldSet:
  case Op::F64ToI32:
  case Op::F64ToU32:
  case Op::F64ToInt:
  case Op::StrParseInt:
  case Op::StrFromCode:
  case Op::StrFromCodes:
  case Op::ArrayNew:
  case Op::IntCheckSafe:
  case Op::RefAsNonNull:
  case Op::MapRemove:
  case Op::LocalDecl:
  case Op::LocalSet:
  case Op::Eval:
  case Op::If:
  case Op::While:
  case Op::ForRange:
  case Op::ForEach:
  case Op::ForMap:
  case Op::Break:
  case Op::Continue:
  case Op::Return:
    return Purity::Any;
  // Divisions trap on a zero divisor.
  case Op::I32Div:
  case Op::I32Rem:
  case Op::U32Div:
  case Op::U32Rem:
  case Op::IntDiv:
  case Op::IntRem: {
    const Node *D = N->operand(1);
    return isConstOp(D->Opcode) && D->IntVal != 0 ? P : Purity::Any;
  }
  // Trap unless the position is 0 (always in range) or the separator (the
  // pattern to replace) a non-empty constant.
  case Op::StrFind:
  case Op::StrStartsWith: {
    const Node *Start = N->operand(2);
    return Start->Opcode == Op::IntConst && Start->IntVal == 0 ? P
                                                               : Purity::Any;
  }
  case Op::StrSplit:
  case Op::StrReplace: {
    const Node *Sep = N->operand(1);
    return Sep->Opcode == Op::StrConst && !Sep->StrVal.empty() ? P
                                                               : Purity::Any;
  }
  // Read memory that statements change.
  case Op::StrJoin: // the array's elements
  case Op::ArrayLen:
  case Op::FieldGet:
  case Op::MapGet:
  case Op::MapHas:
  case Op::MapLen:
    return Purity::Quiet;
  // Values of their operands only (allocating a fresh object included).
  case Op::BoolConst: case Op::I32Const: case Op::U32Const:
  case Op::IntConst: case Op::F64Const: case Op::StrConst:
  case Op::LocalGet:
  case Op::I32Add: case Op::I32Sub: case Op::I32Mul: case Op::I32Neg:
  case Op::I32And: case Op::I32Or: case Op::I32Xor: case Op::I32Not:
  case Op::I32Shl: case Op::I32Shr: case Op::I32Cmp:
  case Op::U32Add: case Op::U32Sub: case Op::U32Mul: case Op::U32Neg:
  case Op::U32And: case Op::U32Or: case Op::U32Xor: case Op::U32Not:
  case Op::U32Shl: case Op::U32Shr: case Op::U32Cmp:
  case Op::IntAdd: case Op::IntSub: case Op::IntMul: case Op::IntNeg:
  case Op::IntCmp:
  case Op::F64Add: case Op::F64Sub: case Op::F64Mul: case Op::F64Div:
  case Op::F64Rem: case Op::F64Neg: case Op::F64Cmp: case Op::F64Sqrt:
  case Op::F64Floor:
  case Op::NumMin: case Op::NumMax: case Op::NumAbs:
  case Op::BoolNot: case Op::BoolAnd: case Op::BoolOr: case Op::BoolCmp:
  case Op::I32ToInt: case Op::U32ToInt: case Op::IntToI32:
  case Op::IntToU32: case Op::I32ToU32: case Op::U32ToI32:
  case Op::I32ToF64: case Op::U32ToF64: case Op::IntToF64:
  case Op::StrLen: case Op::StrConcat: case Op::StrCmp:
  case Op::StrFromInt: case Op::StrLower: case Op::StrTrim:
  case Op::StrContains: case Op::BytesLen:
  case Op::ArrayLit: case Op::RecordNew: case Op::MapNew:
  case Op::RefNull: case Op::RefAsNullable: case Op::RefIsNull:
    return P;
  }
  llvm_unreachable("bad KIR op");
}

//===----------------------------------------------------------------------===//
// Range analysis
//===----------------------------------------------------------------------===//

namespace kc {
namespace pygen {

/// The abstract value of a local or expression: an interval for integers,
/// "non-negative or NaN" for f64. The bottom value (nothing reaches) has an
/// empty interval and NonNeg set, so that joining with it changes nothing.
struct Val {
  Range R;
  bool NonNeg = true;
  Rel Rl;
  static Val bottom() { return Val(); }
  static Val top(const kir::Type *T) {
    Val V;
    V.R = Range::ofType(T);
    V.NonNeg = false;
    return V;
  }
  Val join(const Val &O) const {
    Val V;
    V.R = R.join(O.R);
    V.NonNeg = NonNeg && O.NonNeg;
    // Bottom (nothing reaches) adds no path.
    V.Rl = R.isEmpty() ? O.Rl : O.R.isEmpty() ? Rl : Rl.join(O.Rl);
    return V;
  }
  bool operator==(const Val &O) const {
    return R == O.R && NonNeg == O.NonNeg && Rl == O.Rl;
  }
  bool operator!=(const Val &O) const { return !(*this == O); }
};

struct State {
  bool Live = false;
  std::vector<Val> Vals; // by Local::Id

  void joinWith(const State &O) {
    if (!O.Live)
      return;
    if (!Live) {
      *this = O;
      return;
    }
    for (size_t I = 0; I < Vals.size(); ++I)
      Vals[I] = Vals[I].join(O.Vals[I]);
  }
  bool operator==(const State &O) const {
    return Live == O.Live && (!Live || Vals == O.Vals);
  }
};

/// Module-wide summaries: what every call passes, what every function
/// returns, what the elements of arrays that never leave their function
/// hold. They only grow; after a few rounds, growing bounds jump to
/// infinity so the iteration ends.
struct Summaries {
  llvm::DenseMap<const kir::Function *, std::vector<Val>> Params;
  llvm::DenseMap<const kir::Function *, Val> Returns;
  llvm::DenseMap<const kir::Local *, Val> Elems;
  llvm::DenseSet<const kir::Function *> Open; // callable with any arguments
  llvm::DenseSet<const kir::Local *> TrackedArrays;
  bool Changed = false;
  bool Widen = false;

  void update(Val &Slot, const Val &New, const kir::Type *T) {
    Val J = Slot.join(New);
    J.Rl = Rel(); // its locals are another function's
    if (J == Slot)
      return;
    if (Widen && !Slot.R.isEmpty()) {
      Range TR = Range::ofType(T);
      if (J.R.Lo < Slot.R.Lo)
        J.R.Lo = TR.Lo;
      if (J.R.Hi > Slot.R.Hi)
        J.R.Hi = TR.Hi;
    }
    Slot = J;
    Changed = true;
  }
};

class FunctionAnalyzer {
public:
  FunctionAnalyzer(Analysis &A, Summaries &S, const kir::Function &F,
                   bool Record)
      : A(A), Sum(S), F(F), Record(Record) {
    findCopies();
  }

  void run() {
    State St;
    St.Live = true;
    St.Vals.assign(F.Locals.size(), Val::bottom());
    bool Open = Sum.Open.count(&F);
    auto &Params = Sum.Params[&F];
    Params.resize(F.Params.size(), Val::bottom());
    for (size_t I = 0; I < F.Params.size(); ++I) {
      const kir::Local *P = F.Params[I];
      St.Vals[P->Id] = Open ? Val::top(P->Ty) : Params[I];
    }
    execBlock(*F.Body, St);
  }

private:
  Analysis &A;
  Summaries &Sum;
  const kir::Function &F;
  bool Record;
  /// Evaluating only to refine a condition: no facts, no summaries.
  bool Peek = false;

  struct LoopExits {
    State Breaks;
    State Continues;
  };
  std::vector<LoopExits> Loops;
  /// Integer locals that always hold the same value as another, by its Id:
  /// `let a = b` where nothing assigns either after its definition (b a
  /// `let`, or a parameter). What a check or a condition proves of one
  /// holds for the other (`let sentinel = capacity;` then
  /// `array(capacity, 0)`: both are >= 0).
  llvm::DenseMap<unsigned, llvm::SmallVector<const kir::Local *, 2>> Copies;

  void findCopies() {
    llvm::DenseSet<const kir::Local *> Assigned;
    std::vector<const Node *> Decls;
    std::function<void(const kir::Block &)> Walk = [&](const kir::Block &B) {
      for (const Node *S : B.Stmts) {
        if (S->Opcode == Op::LocalSet || S->Opcode == Op::ForRange ||
            S->Opcode == Op::ForEach || S->Opcode == Op::ForMap)
          Assigned.insert(S->Var);
        if (S->Var2)
          Assigned.insert(S->Var2);
        if (S->Opcode == Op::LocalDecl)
          Decls.push_back(S);
        for (const kir::Block *R : S->Regions)
          Walk(*R);
      }
    };
    Walk(*F.Body);
    for (const Node *D : Decls) {
      const Node &V = *D->operand(0);
      if (V.Opcode != Op::LocalGet || !isIntegerType(V.Var->Ty) ||
          Assigned.count(V.Var) || Assigned.count(D->Var) || V.Var == D->Var)
        continue;
      Copies[V.Var->Id].push_back(D->Var);
      Copies[D->Var->Id].push_back(V.Var);
    }
  }

  /// Narrows \p L in \p St to \p R (already met with its value), and the
  /// locals that hold the same value.
  void setNarrowed(State &St, const kir::Local *L, Range R) {
    St.Vals[L->Id].R = R;
    auto It = Copies.find(L->Id);
    if (It == Copies.end())
      return;
    for (const kir::Local *C : It->second) {
      // Empty: not defined yet at this point, nothing to narrow.
      Range &CR = St.Vals[C->Id].R;
      if (!CR.meet(R).isEmpty())
        CR = CR.meet(R);
    }
  }

  void record(const Node &N, const Val &V) {
    if (!Record || Peek)
      return;
    auto [It, New] = A.NodeFacts.try_emplace(&N);
    if (New || It->second.Raw.isEmpty())
      It->second.Rels = V.Rl;
    else if (!V.R.isEmpty())
      It->second.Rels = It->second.Rels.join(V.Rl);
    It->second.Raw = New ? V.R : It->second.Raw.join(V.R);
    It->second.AllNonNeg = (New || It->second.AllNonNeg) && V.NonNeg;
  }

  static Val exact(Range R) {
    Val V;
    V.R = R;
    V.NonNeg = false;
    return V;
  }

  const kir::Local *trackedArray(const Node &N) {
    if (N.Opcode == Op::LocalGet && Sum.TrackedArrays.count(N.Var))
      return N.Var;
    return nullptr;
  }

  Val elemOf(const Node &Arr, const kir::Type *ElemTy) {
    if (const kir::Local *L = trackedArray(Arr)) {
      auto It = Sum.Elems.find(L);
      return It == Sum.Elems.end() ? Val::bottom() : It->second;
    }
    return Val::top(ElemTy);
  }

  void storeElem(const Node &Arr, const Val &V) {
    if (Peek)
      return;
    if (const kir::Local *L = trackedArray(Arr))
      Sum.update(Sum.Elems[L], V, L->Ty->Elem);
  }

  //--- expressions -------------------------------------------------------//

  /// The value after the back-end's mask: raw if it fits the type.
  static Val wrapped(const kir::Type *T, Range Raw) {
    Val V;
    V.NonNeg = false;
    Range TR = Range::ofType(T);
    V.R = Raw.within(TR) ? Raw : TR;
    return V;
  }

  Val eval(const Node &N, State &St) {
    // Short-circuit operators evaluate their right side under the refined
    // state.
    if (N.Opcode == Op::BoolAnd || N.Opcode == Op::BoolOr) {
      eval(*N.operand(0), St);
      State R = refine(St, *N.operand(0), N.Opcode == Op::BoolAnd);
      if (R.Live)
        eval(*N.operand(1), R);
      Val V = Val::top(N.Ty);
      record(N, V);
      return V;
    }
    llvm::SmallVector<Val, 3> O;
    for (const Node *Operand : N.Operands)
      O.push_back(eval(*Operand, St));
    std::optional<Range> Raw;
    Val V = transfer(N, O, St, Raw);
    // For the ops that may wrap, the facts keep the unmasked range.
    Val Recorded = V;
    if (Raw)
      Recorded.R = *Raw;
    record(N, Recorded);
    refineAfterChecks(N, St);
    return V;
  }

  /// Past an operation that traps unless its operands are valid, they are:
  /// after array(n, v), n >= 0; after a[i], i >= 0; after a / b, b != 0.
  void refineAfterChecks(const Node &N, State &St) {
    if (!St.Live)
      return;
    auto Narrow = [&](const Node &Operand, Range To) {
      const kir::Local *L = localOf(Operand);
      if (!L)
        return;
      Range R = St.Vals[L->Id].R.meet(To);
      if (R.isEmpty())
        St = State(); // it always traps
      else
        setNarrowed(St, L, R);
    };
    switch (N.Opcode) {
    case Op::ArrayNew:
      Narrow(*N.operand(0), {0, Range::PosInf});
      break;
    case Op::ArrayGet:
    case Op::ArraySet:
    case Op::StrCodeAt:
    case Op::BytesAt:
      Narrow(*N.operand(1), {0, Range::PosInf});
      break;
    case Op::StrFromCode:
      Narrow(*N.operand(0), {0, 127});
      break;
    case Op::StrFind:
    case Op::StrStartsWith:
      Narrow(*N.operand(2), {0, Range::PosInf});
      break;
    case Op::I32Div:
    case Op::I32Rem:
    case Op::U32Div:
    case Op::U32Rem:
    case Op::IntDiv:
    case Op::IntRem: {
      const kir::Local *L = localOf(*N.operand(1));
      if (!L)
        break;
      Range &R = St.Vals[L->Id].R;
      if (R.Lo == 0 && R.Hi == 0)
        St = State();
      else if (R.Lo == 0)
        R.Lo = 1;
      else if (R.Hi == 0)
        R.Hi = -1;
      break;
    }
    default:
      break;
    }
  }

  /// Evaluates without recording facts or touching summaries.
  Val peekVal(const Node &N, State &St) {
    bool Saved = Peek;
    Peek = true;
    Val V = eval(N, St);
    Peek = Saved;
    return V;
  }

  static bool smallConst(const Node &N) {
    return N.Opcode == Op::IntConst &&
           std::abs(N.IntVal) < (int64_t(1) << 30);
  }

  /// x + c or x - c, x a local, c a small constant.
  static bool isLocalPlusConst(const Node &N) {
    return (N.Opcode == Op::IntAdd || N.Opcode == Op::IntSub) &&
           N.operand(0)->Opcode == Op::LocalGet && smallConst(*N.operand(1));
  }

  /// The facts of x + c (or x - c) from those of x: with x >= 0 they hold
  /// shifted by c; with x < 0 possible, only where adding c keeps a
  /// negative x negative (c <= 0).
  static Rel offsetRel(const Node &N, llvm::ArrayRef<Val> O) {
    unsigned B = 0;
    if (!smallConst(*N.operand(1))) {
      if (N.Opcode != Op::IntAdd || !smallConst(*N.operand(0)))
        return Rel();
      B = 1;
    }
    int64_t C = N.operand(1 - B)->IntVal;
    if (N.Opcode == Op::IntSub)
      C = -C;
    const Val &X = O[B];
    if (X.R.isEmpty() || (X.R.Lo < 0 && C > 0))
      return Rel();
    Rel Out = X.Rl;
    // The facts of a constant operand (every str's) say nothing here.
    if (Out.hasLen())
      Out.LenK -= C;
    if (Out.AboveOf)
      Out.AboveBy += C;
    return Out;
  }

  /// The facts of min(a, b): a length fact of either operand (min(n, i +
  /// 16) <= n with n = len(s): a non-negative min is at most that operand,
  /// itself then non-negative), a lower bound of both.
  static Rel minRel(const Rel &X, const Rel &Y) {
    Rel Out = X.join(Y);
    const Rel *Len = X.hasLen() ? &X : nullptr;
    if (Y.hasLen() && (!Len || Y.LenK > Len->LenK))
      Len = &Y;
    Out.LenOf = Len ? Len->LenOf : nullptr;
    Out.LenAny = Len && Len->LenAny;
    Out.LenK = Len ? Len->LenK : 0;
    return Out;
  }

  Val transfer(const Node &N, llvm::ArrayRef<Val> O, State &St,
               std::optional<Range> &Raw) {
    const kir::Type *T = N.Ty;
    auto wrapRaw = [&](const kir::Type *Ty, Range R) {
      Raw = R;
      return wrapped(Ty, R);
    };
    auto R = [&](unsigned I) { return O[I].R; };
    auto Exact = [&](Range Raw) { return exact(Raw); };
    auto F64 = [&](bool NonNeg) {
      Val V = Val::top(T);
      V.NonNeg = NonNeg;
      return V;
    };
    switch (N.Opcode) {
    case Op::BoolConst:
      return Val::top(T);
    case Op::I32Const:
    case Op::U32Const:
    case Op::IntConst: {
      // c <= len(s) of every str when c <= 0; a negative c is below 0.
      Val V = Exact(Range::point(N.IntVal));
      V.Rl.LenAny = true;
      V.Rl.LenK = N.IntVal >= 0 ? -N.IntVal : int64_t(1) << 40;
      return V;
    }
    case Op::F64Const:
      return F64(!(N.F64Val < 0));
    case Op::StrConst:
      return Val::top(T);
    case Op::LocalGet:
      if (!St.Live)
        return Val::bottom();
      return St.Vals[N.Var->Id];
    case Op::LocalDecl:
    case Op::LocalSet:
      return Val::bottom();

    case Op::I32Add:
    case Op::U32Add:
      return wrapRaw(T, add(R(0), R(1)));
    case Op::I32Sub:
    case Op::U32Sub:
      return wrapRaw(T, sub(R(0), R(1)));
    case Op::I32Mul:
    case Op::U32Mul:
      return wrapRaw(T, mul(R(0), R(1)));
    case Op::I32Div:
      return wrapRaw(T, truncDiv(R(0), R(1)));
    case Op::I32Rem:
      return wrapRaw(T, truncRem(R(0), R(1)));
    case Op::U32Div:
    case Op::IntDiv:
      return Exact(truncDiv(R(0), R(1)));
    case Op::U32Rem:
    case Op::IntRem:
      return Exact(truncRem(R(0), R(1)));
    case Op::I32Neg:
    case Op::U32Neg:
      return wrapRaw(T, neg(R(0)));
    case Op::I32And:
    case Op::U32And:
      return Exact(bitAnd(R(0), R(1), Range::ofType(T)));
    case Op::I32Or:
    case Op::U32Or:
      return Exact(bitOrXor(R(0), R(1), Range::ofType(T), /*IsOr=*/true));
    case Op::I32Xor:
    case Op::U32Xor:
      return Exact(bitOrXor(R(0), R(1), Range::ofType(T), /*IsOr=*/false));
    case Op::I32Not:
      return Exact(sub(Range::point(-1), R(0)));
    case Op::U32Not:
      return Exact(sub(Range::point(0xFFFFFFFF), R(0)));
    case Op::I32Shl:
    case Op::U32Shl:
      return wrapRaw(T, shl(R(0), shiftCount(R(1))));
    case Op::I32Shr:
    case Op::U32Shr:
      return Exact(shr(R(0), shiftCount(R(1))));
    case Op::I32Cmp:
    case Op::U32Cmp:
    case Op::IntCmp:
    case Op::F64Cmp:
    case Op::BoolCmp:
    case Op::StrCmp:
    case Op::BoolNot:
    case Op::BoolAnd:
    case Op::BoolOr:
    case Op::MapHas:
    case Op::MapRemove:
    case Op::RefIsNull:
      return Val::top(T);
    case Op::IntAdd:
    case Op::IntSub: {
      bool Sub = N.Opcode == Op::IntSub;
      Val V = Exact(Sub ? sub(R(0), R(1)) : add(R(0), R(1)));
      V.Rl = offsetRel(N, O);
      return V;
    }
    case Op::IntMul:
      return Exact(mul(R(0), R(1)));
    case Op::IntNeg:
      return Exact(neg(R(0)));
    case Op::IntCheckSafe:
      return Exact(R(0).meet({-(int64_t(1) << 53), int64_t(1) << 53}));

    case Op::F64Add:
      return F64(O[0].NonNeg && O[1].NonNeg);
    case Op::F64Mul:
      return F64(sameRead(*N.operand(0), *N.operand(1)) ||
                 (O[0].NonNeg && O[1].NonNeg));
    case Op::F64Div: {
      // Only a positive divisor keeps the sign: x / -0.0 is -inf.
      const Node *D = N.operand(1);
      bool Positive = (D->Opcode == Op::F64Const && D->F64Val > 0);
      return F64(O[0].NonNeg && Positive);
    }
    case Op::F64Sub:
    case Op::F64Neg:
      return F64(false);
    case Op::F64Rem:
    case Op::F64Floor:
      return F64(O[0].NonNeg);
    case Op::F64Sqrt:
      return F64(true);

    case Op::NumMin: {
      if (T->Kind == TypeKind::F64)
        return F64(O[0].NonNeg && O[1].NonNeg);
      if (R(0).isEmpty() || R(1).isEmpty())
        return Exact(Range::empty());
      Val V = Exact({std::min(R(0).Lo, R(1).Lo), std::min(R(0).Hi, R(1).Hi)});
      V.Rl = minRel(O[0].Rl, O[1].Rl);
      return V;
    }
    case Op::NumMax:
      if (T->Kind == TypeKind::F64)
        return F64(O[0].NonNeg);
      if (R(0).isEmpty() || R(1).isEmpty())
        return Exact(Range::empty());
      return Exact({std::max(R(0).Lo, R(1).Lo), std::max(R(0).Hi, R(1).Hi)});
    case Op::NumAbs: {
      if (T->Kind == TypeKind::F64)
        return F64(true);
      Range A = R(0);
      Range Raw = A;
      if (A.isEmpty())
        Raw = A;
      else if (A.Hi <= 0)
        Raw = neg(A);
      else if (A.Lo < 0)
        Raw = Range::of(0, std::max(-lo(A), hi(A)));
      if (T->Kind == TypeKind::I32)
        return wrapRaw(T, Raw);
      return Exact(Raw);
    }

    case Op::I32ToInt:
    case Op::U32ToInt:
      return Exact(R(0));
    case Op::IntToI32:
    case Op::IntToU32:
    case Op::I32ToU32:
    case Op::U32ToI32:
      return wrapRaw(T, R(0));
    case Op::I32ToF64:
    case Op::U32ToF64:
    case Op::IntToF64:
      return F64(R(0).nonNegative());
    case Op::F64ToI32:
    case Op::F64ToU32:
      return Exact(Range::ofType(T));
    case Op::F64ToInt:
      return Exact({-(int64_t(1) << 53), int64_t(1) << 53});

    case Op::StrLen:
      if (N.operand(0)->Opcode == Op::LocalGet) {
        Val V = Exact({0, int64_t(Big)});
        V.Rl.LenOf = N.operand(0)->Var;
        return V;
      }
      return Exact({0, int64_t(Big)});
    case Op::BytesLen:
    case Op::ArrayLen:
    case Op::MapLen:
      return Exact({0, int64_t(Big)});
    case Op::StrCodeAt:
      return Exact({0, 127});
    case Op::BytesAt:
      return Exact({0, 255});
    case Op::BytesU32Le:
      return Exact(Range::ofType(T));
    case Op::StrParseInt:
      return Exact({-(int64_t(1) << 53), int64_t(1) << 53});
    case Op::StrFind: {
      // -1, or a match at r: start <= r and r + len(t) <= len(s).
      Val V = Exact({-1, int64_t(Big)});
      const Node &S = *N.operand(0), &Sub = *N.operand(1);
      if (S.Opcode == Op::LocalGet) {
        V.Rl.LenOf = S.Var;
        V.Rl.LenK = Sub.Opcode == Op::StrConst ? int64_t(Sub.StrVal.size()) : 0;
      }
      if (const kir::Local *Y = localOf(*N.operand(2))) {
        V.Rl.AboveOf = Y;
      } else if (isLocalPlusConst(*N.operand(2))) {
        const Node &St = *N.operand(2);
        V.Rl.AboveOf = St.operand(0)->Var;
        V.Rl.AboveBy = St.Opcode == Op::IntAdd ? St.operand(1)->IntVal
                                               : -St.operand(1)->IntVal;
      }
      return V;
    }
    case Op::StrStartsWith:
    case Op::StrSplit:
    case Op::StrLower:
    case Op::StrJoin:
    case Op::StrTrim:
    case Op::StrReplace:
    case Op::StrContains:
    case Op::StrFromCodes:
    case Op::StrSlice:
    case Op::StrConcat:
    case Op::StrFromInt:
    case Op::StrFromCode:
    case Op::BytesSlice:
    case Op::ArrayNew:
    case Op::ArrayLit:
    case Op::RecordNew:
    case Op::MapNew:
    case Op::RefNull:
    case Op::RefAsNullable:
    case Op::RefAsNonNull:
      return Val::top(T);

    case Op::ArrayGet:
    case Op::ArrayPop:
      return elemOf(*N.operand(0), T);
    case Op::ArraySet:
      storeElem(*N.operand(0), O[2]);
      return Val::bottom();
    case Op::ArrayPush:
      storeElem(*N.operand(0), O[1]);
      return Val::bottom();
    case Op::FieldGet:
    case Op::MapGet:
    case Op::MapAt:
      return Val::top(T);
    case Op::FieldSet:
    case Op::MapSet:
    case Op::Eval:
      return Val::bottom();

    case Op::Call: {
      const kir::Function *C = N.Callee;
      if (!Peek) {
        auto &Params = Sum.Params[C];
        Params.resize(C->Params.size(), Val::bottom());
        for (size_t I = 0; I < O.size(); ++I)
          Sum.update(Params[I], O[I], C->Params[I]->Ty);
      }
      if (T->Kind == TypeKind::Void)
        return Val::bottom();
      auto It = Sum.Returns.find(C);
      return It == Sum.Returns.end() ? Val::bottom() : It->second;
    }

    case Op::If:
    case Op::While:
    case Op::ForRange:
    case Op::ForEach:
    case Op::ForMap:
    case Op::Break:
    case Op::Continue:
    case Op::Return:
      return Val::bottom();
    }
    return Val::top(T);
  }

  /// Two reads of one value, with nothing between them that could change
  /// it (x * x, v.x * v.x, a[i] * a[i]): their product is >= 0 or NaN.
  static bool sameRead(const Node &A, const Node &B) {
    if (A.Opcode != B.Opcode)
      return false;
    switch (A.Opcode) {
    case Op::LocalGet:
      return A.Var == B.Var;
    case Op::IntConst:
      return A.IntVal == B.IntVal;
    case Op::FieldGet:
      return A.IntVal == B.IntVal && A.operand(0)->Opcode == Op::LocalGet &&
             sameRead(*A.operand(0), *B.operand(0));
    case Op::ArrayGet:
      return A.operand(0)->Opcode == Op::LocalGet &&
             sameRead(*A.operand(0), *B.operand(0)) &&
             (A.operand(1)->Opcode == Op::LocalGet ||
              A.operand(1)->Opcode == Op::IntConst) &&
             sameRead(*A.operand(1), *B.operand(1));
    default:
      return false;
    }
  }

  //--- conditions --------------------------------------------------------//

  /// The local an integer expression reads, looking through conversions
  /// that keep the value (int(x) of an i32 or u32).
  static const kir::Local *localOf(const Node &N) {
    if (N.Opcode == Op::LocalGet && isIntegerType(N.Var->Ty))
      return N.Var;
    if (N.Opcode == Op::I32ToInt || N.Opcode == Op::U32ToInt)
      return localOf(*N.operand(0));
    return nullptr;
  }

  static kir::Pred negatePred(kir::Pred P) {
    switch (P) {
    case kir::Pred::Lt: return kir::Pred::Ge;
    case kir::Pred::Le: return kir::Pred::Gt;
    case kir::Pred::Gt: return kir::Pred::Le;
    case kir::Pred::Ge: return kir::Pred::Lt;
    case kir::Pred::Eq: return kir::Pred::Ne;
    case kir::Pred::Ne: return kir::Pred::Eq;
    }
    return P;
  }

  /// x P y holds: narrow x.
  static Range narrow(Range X, kir::Pred P, Range Y) {
    if (X.isEmpty() || Y.isEmpty())
      return Range::empty();
    switch (P) {
    case kir::Pred::Lt:
      return X.meet(Range::of(Range::NegInf, hi(Y) - 1));
    case kir::Pred::Le:
      return X.meet(Range::of(Range::NegInf, hi(Y)));
    case kir::Pred::Gt:
      return X.meet(Range::of(lo(Y) + 1, Range::PosInf));
    case kir::Pred::Ge:
      return X.meet(Range::of(lo(Y), Range::PosInf));
    case kir::Pred::Eq:
      return X.meet(Y);
    case kir::Pred::Ne:
      if (Y.Lo == Y.Hi) {
        if (X.Lo == Y.Lo && X.Lo != Range::PosInf)
          ++X.Lo;
        if (X.Hi == Y.Lo && X.Hi != Range::NegInf)
          --X.Hi;
      }
      return X;
    }
    return X;
  }

  Range peek(const Node &N, State &St) { return peekVal(N, St).R; }

  /// The state in which \p Cond evaluates to \p Truth (not live when it
  /// cannot).
  State refine(const State &St, const Node &Cond, bool Truth) {
    if (!St.Live)
      return St;
    switch (Cond.Opcode) {
    case Op::BoolConst:
      if ((Cond.IntVal != 0) != Truth)
        return State();
      return St;
    case Op::BoolNot:
      return refine(St, *Cond.operand(0), !Truth);
    case Op::BoolAnd:
    case Op::BoolOr: {
      // and: true when both are; false when a is, or a is true and b false.
      bool IsAnd = Cond.Opcode == Op::BoolAnd;
      if (Truth == IsAnd)
        return refine(refine(St, *Cond.operand(0), Truth), *Cond.operand(1),
                      Truth);
      State Short = refine(St, *Cond.operand(0), Truth);
      State Long = refine(refine(St, *Cond.operand(0), !Truth),
                          *Cond.operand(1), Truth);
      Short.joinWith(Long);
      return Short;
    }
    case Op::I32Cmp:
    case Op::U32Cmp:
    case Op::IntCmp: {
      kir::Pred P = Truth ? Cond.Predicate : negatePred(Cond.Predicate);
      State Out = St;
      const kir::Local *L = localOf(*Cond.operand(0));
      const kir::Local *Rt = localOf(*Cond.operand(1));
      if (!L && !Rt)
        return Out;
      Range X = peek(*Cond.operand(0), Out);
      Range Y = peek(*Cond.operand(1), Out);
      if (L) {
        Range N = narrow(X, P, Y);
        if (N.isEmpty())
          return State();
        setNarrowed(Out, L, N);
      }
      if (Rt) {
        Range N = narrow(Y, kir::swappedPred(P), X);
        if (N.isEmpty())
          return State();
        setNarrowed(Out, Rt, N);
      }
      if (Cond.Opcode == Op::IntCmp) {
        Val XV = peekVal(*Cond.operand(0), Out);
        Val YV = peekVal(*Cond.operand(1), Out);
        if (L)
          learnLength(Out, L, P, YV);
        if (Rt)
          learnLength(Out, Rt, kir::swappedPred(P), XV);
      }
      return Out;
    }
    default:
      return St;
    }
  }

  /// x < y, x <= y or x == y, where y >= 0 and y + K <= len(s): then
  /// x + K + 1 (or + K) <= len(s) (`while pos < n`, n = len(s)).
  void learnLength(State &St, const kir::Local *X, kir::Pred P,
                   const Val &Y) {
    if (!Y.Rl.hasLen() || Y.R.isEmpty() || Y.R.Lo < 0)
      return;
    int64_t K;
    if (P == kir::Pred::Lt)
      K = Y.Rl.LenK + 1;
    else if (P == kir::Pred::Le || P == kir::Pred::Eq)
      K = Y.Rl.LenK;
    else
      return;
    Rel &XR = St.Vals[X->Id].Rl;
    bool Same = XR.hasLen() && XR.LenAny == Y.Rl.LenAny &&
                XR.LenOf == Y.Rl.LenOf;
    if (Same) {
      XR.LenK = std::max(XR.LenK, K);
    } else if (!XR.hasLen()) {
      XR.LenOf = Y.Rl.LenOf;
      XR.LenAny = Y.Rl.LenAny;
      XR.LenK = K;
    } else if (XR.LenAny != Y.Rl.LenAny) {
      // A fact of every str holds of s: both facts are of s. A counter
      // from 0 (`i = 0`, every str's) learns `while i < n` of the text
      // itself: json_tokens' find from i + 1 needs no test.
      XR.LenOf = XR.LenAny ? Y.Rl.LenOf : XR.LenOf;
      XR.LenAny = false;
      XR.LenK = std::max(XR.LenK, K);
    }
  }

  //--- statements --------------------------------------------------------//

  void widen(const State &Old, State &New) {
    if (!Old.Live || !New.Live)
      return;
    for (const auto &L : F.Locals) {
      const Val &O = Old.Vals[L->Id];
      Val &N = New.Vals[L->Id];
      if (O.R.isEmpty())
        continue; // first appearance, e.g. a local of the loop body
      Range TR = Range::ofType(L->Ty);
      if (N.R.Lo < O.R.Lo)
        N.R.Lo = TR.Lo;
      if (N.R.Hi > O.R.Hi)
        N.R.Hi = TR.Hi;
      // A relational bound that keeps falling (pos += 2 each step) is lost.
      if (N.Rl.hasLen() && O.Rl.hasLen() && N.Rl.LenK < O.Rl.LenK)
        N.Rl.LenOf = nullptr, N.Rl.LenAny = false, N.Rl.LenK = 0;
      if (N.Rl.AboveOf && N.Rl.AboveBy < O.Rl.AboveBy)
        N.Rl.AboveOf = nullptr, N.Rl.AboveBy = 0;
    }
  }

  /// Runs a loop to its fixpoint. \p Enter gives the state at the start of
  /// an iteration from the head state (not live: the body is not entered),
  /// \p Leave the state in which the loop ends from the head state.
  void loop(const Node &S, State &St, std::function<State(State &)> Enter,
            std::function<State(State &)> Leave) {
    // Nothing reaches a loop whose range or collection always traps.
    if (!St.Live)
      return;
    State Head = St;
    for (unsigned Iter = 0;; ++Iter) {
      State Body = Enter(Head);
      Loops.push_back({});
      if (Body.Live)
        execBlock(*S.Regions[0], Body);
      LoopExits Exits = std::move(Loops.back());
      Loops.pop_back();
      State Next = Head;
      Next.joinWith(Body);
      Next.joinWith(Exits.Continues);
      if (Next == Head) {
        State Out = Leave(Head);
        Out.joinWith(Exits.Breaks);
        St = Out;
        return;
      }
      if (Iter >= 2)
        widen(Head, Next);
      Head = Next;
    }
  }

  /// Facts relative to \p L's value are lost when it gets a new one (its
  /// own included: `p = s.find(t, p)`).
  void forget(State &St, const kir::Local *L) {
    for (Val &V : St.Vals) {
      if (V.Rl.AboveOf == L)
        V.Rl.AboveOf = nullptr, V.Rl.AboveBy = 0;
      if (V.Rl.LenOf == L)
        V.Rl.LenOf = nullptr, V.Rl.LenK = 0;
    }
  }

  void execBlock(const kir::Block &B, State &St) {
    for (const Node *S : B.Stmts) {
      if (!St.Live)
        return;
      exec(*S, St);
    }
  }

  void exec(const Node &S, State &St) {
    switch (S.Opcode) {
    case Op::LocalDecl:
    case Op::LocalSet: {
      const Node &V = *S.operand(0);
      Val X = eval(V, St);
      if (!Peek && Sum.TrackedArrays.count(S.Var)) {
        // A fresh array: its fill value or elements are its first elements.
        // (Each value first: evaluating it may add to Sum.Elems, which
        // would leave a reference into it dangling.)
        if (V.Opcode == Op::ArrayNew) {
          Val Fill = peekVal(*V.operand(1), St);
          Sum.update(Sum.Elems[S.Var], Fill, S.Var->Ty->Elem);
        }
        if (V.Opcode == Op::ArrayLit)
          for (const Node *E : V.Operands) {
            Val Elem = peekVal(*E, St);
            Sum.update(Sum.Elems[S.Var], Elem, S.Var->Ty->Elem);
          }
      }
      if (St.Live) {
        St.Vals[S.Var->Id] = X;
        forget(St, S.Var);
      }
      return;
    }
    case Op::If: {
      eval(*S.operand(0), St);
      State Then = refine(St, *S.operand(0), true);
      State Else = refine(St, *S.operand(0), false);
      if (Then.Live)
        execBlock(*S.Regions[0], Then);
      if (Else.Live && S.Regions.size() > 1)
        execBlock(*S.Regions[1], Else);
      Then.joinWith(Else);
      St = Then;
      return;
    }
    case Op::While: {
      const Node &Cond = *S.operand(0);
      loop(
          S, St,
          [&](State &Head) {
            eval(Cond, Head);
            return refine(Head, Cond, true);
          },
          [&](State &Head) { return refine(Head, Cond, false); });
      return;
    }
    case Op::ForRange: {
      Range Lo = eval(*S.operand(0), St).R;
      Range Hi = eval(*S.operand(1), St).R;
      Range Var = Lo.isEmpty() || Hi.isEmpty()
                      ? Range::empty()
                      : Range::of(lo(Lo), hi(Hi) - 1);
      loop(
          S, St,
          [&](State &Head) {
            State B = Head;
            if (Var.isEmpty())
              return State();
            B.Vals[S.Var->Id] = exact(Var);
            return B;
          },
          [&](State &Head) { return Head; });
      return;
    }
    case Op::ForEach: {
      const Node &C = *S.operand(0);
      eval(C, St);
      Val Elem;
      if (C.Ty->Kind == TypeKind::Str)
        Elem = exact({0, 127});
      else if (C.Ty->Kind == TypeKind::Bytes)
        Elem = exact({0, 255});
      else
        Elem = elemOf(C, S.Var->Ty);
      loop(
          S, St,
          [&](State &Head) {
            State B = Head;
            // Re-read: the body may store into a tracked array.
            B.Vals[S.Var->Id] =
                C.Ty->Kind == TypeKind::Array ? elemOf(C, S.Var->Ty) : Elem;
            return B;
          },
          [&](State &Head) { return Head; });
      return;
    }
    case Op::ForMap: {
      eval(*S.operand(0), St);
      loop(
          S, St,
          [&](State &Head) {
            State B = Head;
            B.Vals[S.Var->Id] = Val::top(S.Var->Ty);
            B.Vals[S.Var2->Id] = Val::top(S.Var2->Ty);
            return B;
          },
          [&](State &Head) { return Head; });
      return;
    }
    case Op::Break:
      Loops.back().Breaks.joinWith(St);
      St = State();
      return;
    case Op::Continue:
      Loops.back().Continues.joinWith(St);
      St = State();
      return;
    case Op::Return:
      if (!S.Operands.empty()) {
        Val V = eval(*S.operand(0), St);
        if (!Peek)
          Sum.update(Sum.Returns[&F], V, F.RetTy);
      }
      St = State();
      return;
    default:
      // Other statements only evaluate operands (and store elements).
      eval(S, St);
      return;
    }
  }
};

} // namespace pygen
} // namespace kc

//===----------------------------------------------------------------------===//
// Walking every node with its parent
//===----------------------------------------------------------------------===//

namespace {
struct Use {
  const Node *User; // the node or statement with the operand
  unsigned Index;
};

void forEachNode(const kir::Block &B,
                 const std::function<void(const Node &, const Node *,
                                          unsigned)> &Fn);

void forEachNodeIn(const Node &N, const Node *Parent, unsigned Index,
                   const std::function<void(const Node &, const Node *,
                                            unsigned)> &Fn) {
  Fn(N, Parent, Index);
  for (unsigned I = 0; I < N.Operands.size(); ++I)
    forEachNodeIn(*N.Operands[I], &N, I, Fn);
  for (const kir::Block *R : N.Regions)
    forEachNode(*R, Fn);
}

void forEachNode(const kir::Block &B,
                 const std::function<void(const Node &, const Node *,
                                          unsigned)> &Fn) {
  for (const Node *S : B.Stmts)
    forEachNodeIn(*S, nullptr, 0, Fn);
}
} // namespace

//===----------------------------------------------------------------------===//
// Analysis
//===----------------------------------------------------------------------===//

Analysis::Analysis(const kir::Module &M) : M(M) {
  computeInlinable();
  computeRanges();
  computeByteStrs();
  computeChars();
  computeFixedLengths();
  computeCongruentParams();
}

const Node *pygen::returnedExpr(const kir::Function &F) {
  if (F.Body->Stmts.size() != 1)
    return nullptr;
  const Node *S = F.Body->Stmts[0];
  if (S->Opcode != Op::Return || S->Operands.size() != 1)
    return nullptr;
  return S->operand(0);
}

void Analysis::computeRanges() {
  Summaries Sum;
  const kir::Function *Entry = M.getEntry();
  llvm::DenseSet<const kir::Function *> Called;
  for (const auto &F : M.Functions)
    forEachNode(*F->Body, [&](const Node &N, const Node *, unsigned) {
      if (N.Opcode == Op::Call)
        Called.insert(N.Callee);
    });
  for (const auto &F : M.Functions)
    if (!Entry || F.get() == Entry || !Called.count(F.get()))
      Sum.Open.insert(F.get());

  // Arrays of integers that never leave their function: created fresh,
  // used only to index, store, push, pop, measure and iterate.
  for (const auto &F : M.Functions) {
    llvm::DenseSet<const kir::Local *> Candidates, Rejected;
    for (const auto &L : F->Locals)
      if (L->Ty->Kind == TypeKind::Array && isIntegerType(L->Ty->Elem))
        Candidates.insert(L.get());
    for (const kir::Local *P : F->Params)
      Rejected.insert(P);
    forEachNode(*F->Body, [&](const Node &N, const Node *Parent,
                              unsigned Index) {
      if ((N.Opcode == Op::LocalDecl || N.Opcode == Op::LocalSet) &&
          N.operand(0)->Opcode != Op::ArrayNew &&
          N.operand(0)->Opcode != Op::ArrayLit)
        Rejected.insert(N.Var);
      if (N.Opcode == Op::ForEach || N.Opcode == Op::ForMap ||
          N.Opcode == Op::ForRange) {
        Rejected.insert(N.Var);
        if (N.Var2)
          Rejected.insert(N.Var2);
      }
      if (N.Opcode != Op::LocalGet)
        return;
      bool Contained =
          Parent && Index == 0 &&
          (Parent->Opcode == Op::ArrayGet || Parent->Opcode == Op::ArraySet ||
           Parent->Opcode == Op::ArrayPush || Parent->Opcode == Op::ArrayPop ||
           Parent->Opcode == Op::ArrayLen || Parent->Opcode == Op::ForEach);
      if (!Contained)
        Rejected.insert(N.Var);
    });
    for (const kir::Local *L : Candidates)
      if (!Rejected.count(L))
        Sum.TrackedArrays.insert(L);
  }

  auto Fixpoint = [&] {
    for (unsigned Round = 0;; ++Round) {
      Sum.Changed = false;
      Sum.Widen = Round >= 3;
      for (const auto &F : M.Functions)
        FunctionAnalyzer(*this, Sum, *F, /*Record=*/false).run();
      if (!Sum.Changed)
        return;
    }
  };
  Fixpoint();
  // A function only called from code that never runs has seen no argument:
  // it must still be right for any.
  bool Reopened = false;
  for (const auto &F : M.Functions) {
    if (Sum.Open.count(F.get()))
      continue;
    const auto &Params = Sum.Params[F.get()];
    for (const Val &V : Params)
      if (V.R.isEmpty() && V.NonNeg) {
        Sum.Open.insert(F.get());
        Reopened = true;
        break;
      }
  }
  if (Reopened)
    Fixpoint();
  for (const auto &F : M.Functions)
    FunctionAnalyzer(*this, Sum, *F, /*Record=*/true).run();
}

Range Analysis::raw(const Node *N) const {
  auto It = NodeFacts.find(N);
  if (It == NodeFacts.end())
    return Range::all();
  return It->second.Raw;
}

Range Analysis::value(const Node *N) const {
  Range R = raw(N);
  if (!N->Ty->isInteger())
    return R;
  Range TR = Range::ofType(N->Ty);
  return R.within(TR) ? R : TR;
}

bool Analysis::withinLength(const Node *N, const kir::Local *S,
                            int64_t K) const {
  auto It = NodeFacts.find(N);
  if (It == NodeFacts.end())
    return false;
  const Rel &R = It->second.Rels;
  return (R.LenAny || (R.LenOf && R.LenOf == S)) && R.LenK >= K;
}

bool Analysis::atLeast(const Node *N, const kir::Local *Y, int64_t D) const {
  auto It = NodeFacts.find(N);
  if (It == NodeFacts.end())
    return false;
  const Rel &R = It->second.Rels;
  return R.AboveOf && R.AboveOf == Y && R.AboveBy >= D;
}

bool Analysis::nonNegativeF64(const Node *N) const {
  auto It = NodeFacts.find(N);
  return It != NodeFacts.end() && It->second.AllNonNeg;
}

//===----------------------------------------------------------------------===//
// Array lengths
//===----------------------------------------------------------------------===//

void Analysis::computeFixedLengths() {
  for (const auto &F : M.Functions) {
    llvm::DenseMap<const kir::Local *, const kir::Local *> Length;
    llvm::DenseSet<const kir::Local *> Rejected, Assigned;
    forEachNode(*F->Body, [&](const Node &N, const Node *Parent,
                              unsigned Index) {
      if (N.Opcode == Op::LocalSet)
        Assigned.insert(N.Var);
      if (N.Opcode == Op::LocalDecl || N.Opcode == Op::LocalSet) {
        const Node &V = *N.operand(0);
        if (N.Var->Ty->Kind != TypeKind::Array)
          return;
        const Node *Len = V.Opcode == Op::ArrayNew ? V.operand(0) : nullptr;
        if (!Len || Len->Opcode != Op::LocalGet ||
            (Length.count(N.Var) && Length[N.Var] != Len->Var))
          Rejected.insert(N.Var);
        else
          Length[N.Var] = Len->Var;
        return;
      }
      if (N.Opcode == Op::ForEach || N.Opcode == Op::ForMap ||
          N.Opcode == Op::ForRange) {
        Rejected.insert(N.Var);
        if (N.Var2)
          Rejected.insert(N.Var2);
      }
      if (N.Opcode != Op::LocalGet || N.Var->Ty->Kind != TypeKind::Array)
        return;
      // Only read, written, measured in place, or returned: nothing
      // changes its length while the function runs.
      bool InPlace =
          Parent && Index == 0 &&
          (Parent->Opcode == Op::ArrayGet || Parent->Opcode == Op::ArraySet ||
           Parent->Opcode == Op::ArrayLen || Parent->Opcode == Op::ForEach ||
           Parent->Opcode == Op::Return);
      if (!InPlace)
        Rejected.insert(N.Var);
    });
    for (const kir::Local *P : F->Params)
      Rejected.insert(P);
    for (auto &[L, N] : Length) {
      // n must not change once the array is made: a let, or a parameter
      // nothing assigns.
      bool Immutable = !N->Mutable || (llvm::is_contained(F->Params, N) &&
                                       !Assigned.count(N));
      if (!Rejected.count(L) && Immutable)
        FixedLength[L] = N;
    }
  }
}

//===----------------------------------------------------------------------===//
// Strings held as bytes
//===----------------------------------------------------------------------===//

/// Whether index \p I reads sparsely: c * x (+- a constant) with |c| >= 32.
/// Encoding the text costs ~0.5 ns a character with its allocation (2.3
/// MB: 1-1.4 ms in template_render's module, python3.11), ord() of a
/// character ~15 ns: bytes pay for about one read in 30 characters or
/// more, not for template_render's samples of every 61st (3-5% faster as
/// a str, in one process alternating the modules).
static bool sparseIndex(const Node &I) {
  const Node *X = &I;
  while ((X->Opcode == Op::IntAdd || X->Opcode == Op::IntSub) &&
         X->operand(1)->Opcode == Op::IntConst)
    X = X->operand(0);
  if (X->Opcode != Op::IntMul)
    return false;
  for (const Node *K : X->Operands)
    if (K->Opcode == Op::IntConst && (K->IntVal >= 32 || K->IntVal <= -32))
      return true;
  return false;
}

void Analysis::computeByteStrs() {
  for (const auto &F : M.Functions) {
    // Encoding costs a pass over the text: once per call of a function
    // that is not called in a loop, for a local defined outside loops.
    if (Hot.count(F.get()))
      continue;
    llvm::DenseSet<const kir::Local *> Candidates, Rejected, IndexedInLoop;
    for (const kir::Local *P : F->Params)
      if (P->Ty->Kind == TypeKind::Str)
        Candidates.insert(P);
    std::function<void(const Node &, const Node *, unsigned, unsigned)> Walk =
        [&](const Node &N, const Node *Parent, unsigned Index,
            unsigned Loops) {
          switch (N.Opcode) {
          case Op::LocalDecl:
            if (N.Var->Ty->Kind == TypeKind::Str)
              (Loops ? Rejected : Candidates).insert(N.Var);
            break;
          case Op::LocalSet:
            Rejected.insert(N.Var);
            break;
          case Op::ForEach:
          case Op::ForMap:
            Rejected.insert(N.Var);
            if (N.Var2)
              Rejected.insert(N.Var2);
            break;
          case Op::LocalGet:
            if (N.Var->Ty->Kind != TypeKind::Str)
              break;
            if (!Parent || Index != 0 ||
                (Parent->Opcode != Op::StrCodeAt &&
                 Parent->Opcode != Op::StrLen &&
                 Parent->Opcode != Op::ForEach))
              Rejected.insert(N.Var);
            else if (Parent->Opcode == Op::StrCodeAt && Loops &&
                     !sparseIndex(*Parent->operand(1)))
              IndexedInLoop.insert(N.Var);
            break;
          default:
            break;
          }
          bool Loop = N.Opcode == Op::While || N.Opcode == Op::ForRange ||
                      N.Opcode == Op::ForEach || N.Opcode == Op::ForMap;
          for (unsigned I = 0; I < N.Operands.size(); ++I)
            Walk(*N.Operands[I], &N, I, Loops);
          for (const kir::Block *R : N.Regions)
            for (const Node *S : R->Stmts)
              Walk(*S, nullptr, 0, Loops + Loop);
        };
    for (const Node *S : F->Body->Stmts)
      Walk(*S, nullptr, 0, 0);
    for (const kir::Local *L : Candidates)
      if (!Rejected.count(L) && IndexedInLoop.count(L))
        ByteStrs.insert(L);
  }
}

//===----------------------------------------------------------------------===//
// Character locals
//===----------------------------------------------------------------------===//

bool Analysis::isCharExpr(const Node *N) const {
  if (N->Opcode == Op::StrCodeAt) {
    const Node *S = N->operand(0);
    return S->Opcode != Op::LocalGet || !ByteStrs.count(S->Var);
  }
  return N->Opcode == Op::LocalGet && CharLocals.count(N->Var);
}

void Analysis::computeChars() {
  const kir::Function *Entry = M.getEntry();
  struct Def {
    const Node *Value; // nullptr: a definition that is never a character
  };
  llvm::DenseMap<const kir::Local *, std::vector<Def>> Defs;
  llvm::DenseMap<const kir::Local *, std::vector<Use>> Uses;
  llvm::DenseSet<const kir::Function *> Called;

  for (const auto &F : M.Functions) {
    for (const auto &L : F->Locals)
      if (L->Ty->Kind == TypeKind::Int)
        CharLocals.insert(L.get());
    forEachNode(*F->Body, [&](const Node &N, const Node *Parent,
                              unsigned Index) {
      switch (N.Opcode) {
      case Op::LocalDecl:
      case Op::LocalSet:
        Defs[N.Var].push_back({N.operand(0)});
        break;
      case Op::ForEach: {
        // Iterating a str can yield one-character strings directly (its
        // bytes yield codes).
        const Node *C = N.operand(0);
        bool Bytes = C->Opcode == Op::LocalGet && ByteStrs.count(C->Var);
        Defs[N.Var].push_back(
            {C->Ty->Kind == TypeKind::Str && !Bytes ? &N : nullptr});
        break;
      }
      case Op::ForRange:
        Defs[N.Var].push_back({nullptr});
        break;
      case Op::ForMap: // the key and the value
        Defs[N.Var].push_back({nullptr});
        Defs[N.Var2].push_back({nullptr});
        break;
      case Op::Call:
        Called.insert(N.Callee);
        for (unsigned I = 0; I < N.Operands.size(); ++I)
          Defs[N.Callee->Params[I]].push_back({N.operand(I)});
        break;
      case Op::LocalGet:
        Uses[N.Var].push_back({Parent, Index});
        break;
      default:
        break;
      }
    });
  }
  // Parameters of functions called from outside hold whatever they are
  // given.
  for (const auto &F : M.Functions)
    if (!Entry || F.get() == Entry || !Called.count(F.get()))
      for (const kir::Local *P : F->Params)
        CharLocals.erase(P);

  auto IsCharConst = [](const Node *N) {
    return N->Opcode == Op::IntConst && N->IntVal >= 0 && N->IntVal <= 127;
  };
  auto DefOk = [&](const Def &D) {
    if (!D.Value)
      return false;
    if (D.Value->Opcode == Op::ForEach)
      return true;
    return isCharExpr(D.Value);
  };
  auto UseOk = [&](const Use &U) {
    const Node *P = U.User;
    if (!P)
      return false;
    switch (P->Opcode) {
    case Op::IntCmp: {
      const Node *Other = P->operand(1 - U.Index);
      return IsCharConst(Other) || isCharExpr(Other);
    }
    case Op::Call:
      return CharLocals.count(P->Callee->Params[U.Index]) != 0;
    case Op::LocalDecl:
    case Op::LocalSet:
      return CharLocals.count(P->Var) != 0;
    default:
      return false;
    }
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    std::vector<const kir::Local *> Drop;
    for (const auto &F : M.Functions)
      for (const auto &L : F->Locals) {
        if (!CharLocals.count(L.get()))
          continue;
        bool Ok = llvm::all_of(Defs[L.get()], DefOk) &&
                  llvm::all_of(Uses[L.get()], UseOk);
        if (!Ok)
          Drop.push_back(L.get());
      }
    for (const kir::Local *L : Drop) {
      CharLocals.erase(L);
      Changed = true;
    }
  }
}

//===----------------------------------------------------------------------===//
// Inlining
//===----------------------------------------------------------------------===//

void Analysis::computeInlinable() {
  for (const auto &F : M.Functions) {
    const Node *E = returnedExpr(*F);
    if (!E)
      continue;
    unsigned Count = 0;
    bool HasCall = false;
    std::function<void(const Node &)> Walk = [&](const Node &N) {
      ++Count;
      if (N.Opcode == Op::Call)
        HasCall = true;
      for (const Node *O : N.Operands)
        Walk(*O);
    };
    Walk(*E);
    if (!HasCall && Count <= 40)
      Inlinable.insert(F.get());
  }
  // Statement inlining: a single exit at the end, a few statements.
  for (const auto &F : M.Functions) {
    const auto &Stmts = F->Body->Stmts;
    if (Inlinable.count(F.get()) || Stmts.empty() ||
        Stmts.back()->Opcode != Op::Return || Stmts.back()->Operands.empty())
      continue;
    unsigned Count = 0, Returns = 0;
    bool Ok = true;
    forEachNode(*F->Body, [&](const Node &N, const Node *Parent, unsigned) {
      if (!Parent)
        ++Count;
      if (N.Opcode == Op::Return)
        ++Returns;
      if (N.Opcode == Op::Call && !Inlinable.count(N.Callee))
        Ok = false;
    });
    if (Ok && Returns == 1 && Count <= 12)
      StatementInlinable.insert(F.get());
  }
  // Hot functions: called in a loop, or by a hot function.
  llvm::DenseMap<const kir::Function *, std::vector<const kir::Function *>>
      Callees;
  std::function<void(const kir::Function &, const Node &, bool)> Walk =
      [&](const kir::Function &F, const Node &N, bool InLoop) {
        if (N.Opcode == Op::Call) {
          Callees[&F].push_back(N.Callee);
          if (InLoop)
            Hot.insert(N.Callee);
        }
        bool Loop = N.Opcode == Op::While || N.Opcode == Op::ForRange ||
                    N.Opcode == Op::ForEach || N.Opcode == Op::ForMap;
        for (const Node *O : N.Operands)
          Walk(F, *O, InLoop);
        for (const kir::Block *B : N.Regions)
          for (const Node *S : B->Stmts)
            Walk(F, *S, InLoop || Loop);
      };
  for (const auto &F : M.Functions)
    for (const Node *S : F->Body->Stmts)
      Walk(*F, *S, false);
  std::vector<const kir::Function *> Work(Hot.begin(), Hot.end());
  while (!Work.empty()) {
    const kir::Function *F = Work.back();
    Work.pop_back();
    for (const kir::Function *C : Callees[F])
      if (Hot.insert(C).second)
        Work.push_back(C);
  }
}

//===----------------------------------------------------------------------===//
// Parameters that matter only mod 2^32
//===----------------------------------------------------------------------===//

/// An op whose result mod 2^32 depends only on its operands mod 2^32 (for
/// <<, the left one).
static bool keepsCongruence(const Node &N, unsigned Operand) {
  switch (N.Opcode) {
  case Op::U32Add:
  case Op::U32Sub:
  case Op::U32Mul:
  case Op::U32Neg:
  case Op::U32Not:
  case Op::U32Or:
  case Op::U32Xor:
    return true;
  case Op::U32Shl:
    return Operand == 0;
  default:
    return false;
  }
}

void Analysis::computeCongruentParams() {
  const kir::Function *Entry = M.getEntry();
  if (!Entry)
    return; // every function is called from outside
  llvm::DenseSet<const kir::Local *> Cand;
  for (const auto &F : M.Functions) {
    if (F.get() == Entry || Inlinable.count(F.get()) ||
        StatementInlinable.count(F.get()))
      continue;
    for (const kir::Local *P : F->Params) {
      if (P->Ty->Kind != TypeKind::U32)
        continue;
      bool Assigned = false;
      forEachNode(*F->Body, [&](const Node &N, const Node *, unsigned) {
        Assigned |= (N.Opcode == Op::LocalSet || N.Opcode == Op::LocalDecl) &&
                    N.Var == P;
      });
      if (!Assigned)
        Cand.insert(P);
    }
  }
  // Whether N's value may be off by a multiple of 2^32 (under Cand).
  std::function<bool(const Node &)> Off = [&](const Node &N) {
    if (N.Opcode == Op::LocalGet)
      return Cand.count(N.Var) != 0;
    if (N.Opcode == Op::U32And)
      return Off(*N.operand(0)) && Off(*N.operand(1));
    for (unsigned I = 0; I < N.Operands.size(); ++I)
      if (keepsCongruence(N, I) && Off(*N.operand(I)))
        return true;
    return false;
  };
  // Drops the candidates used where the exact value matters, until none is.
  bool Changed = true;
  while (Changed && !Cand.empty()) {
    Changed = false;
    std::function<void(const Node &, bool)> Visit = [&](const Node &N,
                                                        bool Mod) {
      if (N.Opcode == Op::LocalGet) {
        if (!Mod && Cand.erase(N.Var))
          Changed = true;
        return;
      }
      for (unsigned I = 0; I < N.Operands.size(); ++I) {
        const Node &O = *N.Operands[I];
        bool OpMod = false;
        if (keepsCongruence(N, I))
          OpMod = Mod;
        else if (N.Opcode == Op::U32And)
          // With the other operand in 0..2^32-1 the result is exact.
          OpMod = !Off(*N.operand(1 - I)) || Mod;
        else if (N.Opcode == Op::Call)
          OpMod = Cand.count(N.Callee->Params[I]) != 0;
        Visit(O, OpMod);
      }
      for (const kir::Block *R : N.Regions)
        for (const Node *S : R->Stmts)
          Visit(*S, false);
    };
    for (const auto &F : M.Functions)
      for (const Node *S : F->Body->Stmts)
        Visit(*S, false);
  }
  for (const auto &F : M.Functions)
    forEachNode(*F->Body, [&](const Node &N, const Node *, unsigned) {
      if (N.Ty && N.Ty->Kind == TypeKind::U32 && Off(N))
        CongruentOnly.insert(&N);
    });
  CongruentParams = std::move(Cand);
}
