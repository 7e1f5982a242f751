//===- JSAnalysis.cpp - Module facts the JS back-end relies on ------------===//

#include "JSAnalysis.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include <initializer_list>

using namespace llvm;

namespace kc {
namespace jsgen {

using kir::Node;
using kir::Op;
using kir::TypeKind;

static void visitNode(const Node &N, function_ref<void(const Node &)> F) {
  F(N);
  for (const Node *O : N.Operands)
    visitNode(*O, F);
  for (const kir::Block *B : N.Regions)
    for (const Node *S : B->Stmts)
      visitNode(*S, F);
}

static void visitFunction(const kir::Function &Fn,
                          function_ref<void(const Node &)> F) {
  for (const Node *S : Fn.Body->Stmts)
    visitNode(*S, F);
}

static bool isInt(const Node &N) { return N.Ty->Kind == TypeKind::Int; }

static bool isPositiveConst(const Node &N) {
  return N.Opcode == Op::IntConst && N.IntVal > 0;
}

ModuleFacts::ModuleFacts(const kir::Module &M) : M(M) {
  for (const auto &F : M.Functions)
    visitFunction(*F, [&](const Node &N) {
      if (N.Opcode == Op::LocalSet)
        Assigned.insert(N.Var);
    });
  for (const auto &F : M.Functions)
    visitFunction(*F, [&](const Node &N) {
      if (N.Opcode == Op::LocalDecl && isStable(N.Var))
        Inits[N.Var] = N.operand(0);
      if (N.Opcode == Op::ForRange)
        RangeLoops[N.Var] = &N;
    });
  collectTypes();
  collectPops();
  solveNegZero();
  solvePure();
  for (const Node *L : kir::forMapsWithRemoval(M))
    ForMapsWithRemoval.insert(L);
  solveNonNeg();
}

void ModuleFacts::solveNonNeg() {
  // The greatest set of int locals whose every assigned value is >= 0 when
  // theirs are: `var m = p * p; ... m += p;`. (Parameters and loop
  // variables over elements take values from outside.)
  DenseMap<const kir::Local *, std::vector<const Node *>> Values;
  DenseSet<const kir::Local *> Outside;
  for (const auto &F : M.Functions) {
    for (const kir::Local *P : F->Params)
      Outside.insert(P);
    visitFunction(*F, [&](const Node &N) {
      if ((N.Opcode == Op::LocalDecl || N.Opcode == Op::LocalSet) &&
          N.Var->Ty->Kind == TypeKind::Int)
        Values[N.Var].push_back(N.operand(0));
      if (N.Opcode == Op::ForEach || N.Opcode == Op::ForMap) {
        Outside.insert(N.Var);
        if (N.Var2)
          Outside.insert(N.Var2);
      }
    });
  }
  for (const auto &[L, Vs] : Values)
    if (!Outside.count(L) && !rangeLoopOf(L))
      NonNegVars.insert(L);
  for (bool Changed = true; Changed;) {
    Changed = false;
    std::vector<const kir::Local *> Drop;
    for (const kir::Local *L : NonNegVars)
      for (const Node *V : Values[L])
        if (!isNonNeg(*V)) {
          Drop.push_back(L);
          break;
        }
    for (const kir::Local *L : Drop)
      NonNegVars.erase(L);
    Changed = !Drop.empty();
  }
}

bool ModuleFacts::isExported(const kir::Function &F) const {
  const kir::Function *Entry = M.getEntry();
  return !Entry || Entry == &F;
}

void ModuleFacts::collectTypes() {
  // Arrays that grow or shrink stay Arrays.
  for (const auto &F : M.Functions)
    visitFunction(*F, [&](const Node &N) {
      if (N.Opcode == Op::ArrayPush || N.Opcode == Op::ArrayPop)
        NotTyped.insert(N.operand(0)->Ty);
    });
  // So do arrays that come from outside, at any depth of a parameter, and
  // arrays of bools that go outside (a Uint8Array would show 0 and 1).
  DenseSet<const kir::Type *> Seen;
  std::vector<std::pair<const kir::Type *, bool>> Work;
  for (const auto &F : M.Functions)
    if (isExported(*F)) {
      for (const kir::Local *P : F->Params)
        Work.push_back({P->Ty, true});
      Work.push_back({F->RetTy, false});
    }
  DenseSet<const kir::Type *> SeenOut;
  while (!Work.empty()) {
    auto [T, In] = Work.back();
    Work.pop_back();
    if (!(In ? Seen : SeenOut).insert(T).second)
      continue;
    auto Push = [&, In = In](const kir::Type *E) { Work.push_back({E, In}); };
    switch (T->Kind) {
    case TypeKind::Array:
      if (In || T->Elem->Kind == TypeKind::Bool)
        NotTyped.insert(T);
      Push(T->Elem);
      break;
    case TypeKind::Map:
      Push(T->Key);
      Push(T->Elem);
      break;
    case TypeKind::Record:
      for (const kir::Field &Fld : T->Rec->Fields)
        Push(Fld.Ty);
      break;
    case TypeKind::Nullable:
      Push(T->Elem);
      break;
    case TypeKind::Void:
    case TypeKind::Bool:
    case TypeKind::I32:
    case TypeKind::U32:
    case TypeKind::Int:
    case TypeKind::F64:
    case TypeKind::Str:
    case TypeKind::Bytes:
      break;
    }
  }
}

StringRef ModuleFacts::arrayClass(const kir::Type *ArrayTy) const {
  if (NotTyped.count(ArrayTy))
    return "Array";
  switch (ArrayTy->Elem->Kind) {
  case TypeKind::I32:
    return "Int32Array";
  case TypeKind::U32:
    return "Uint32Array";
  case TypeKind::F64:
    return "Float64Array";
  case TypeKind::Bool: // 0 and 1; loads are tested or made booleans
    return "Uint8Array";
  case TypeKind::Void:
  case TypeKind::Int: // up to 2^53: no typed array holds it as an integer
  case TypeKind::Str:
  case TypeKind::Bytes:
  case TypeKind::Array:
  case TypeKind::Map:
  case TypeKind::Record:
  case TypeKind::Nullable:
    break;
  }
  return "Array";
}

void ModuleFacts::collectPops() {
  DenseMap<const kir::Function *, std::vector<const kir::Function *>> Callees;
  for (const auto &F : M.Functions) {
    auto &P = Pops[F.get()];
    visitFunction(*F, [&](const Node &N) {
      if (N.Opcode == Op::ArrayPop)
        P.insert(N.operand(0)->Ty);
      if (N.Opcode == Op::Call)
        Callees[F.get()].push_back(N.Callee);
    });
  }
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &F : M.Functions)
      for (const kir::Function *C : Callees[F.get()])
        for (const kir::Type *T : Pops[C])
          Changed |= Pops[F.get()].insert(T).second;
  }
}

bool ModuleFacts::mayPop(const kir::Function &F,
                         const kir::Type *ArrayTy) const {
  auto It = Pops.find(&F);
  return It == Pops.end() || It->second.count(ArrayTy);
}

const Node *ModuleFacts::initOf(const kir::Local *L) const {
  return Inits.lookup(L);
}

const Node *ModuleFacts::rangeLoopOf(const kir::Local *L) const {
  return RangeLoops.lookup(L);
}

bool ModuleFacts::inBounds(const kir::Function &F, const Node &Coll,
                           const Node &Idx) const {
  // for i in lo..hi with 0 <= lo, hi <= len(a): a[i] needs no check. The
  // array is a stable local, and nothing F runs pops an array of its type,
  // so its length only grows.
  if (Coll.Opcode != Op::LocalGet || !isStable(Coll.Var))
    return false;
  const kir::Local *A = Coll.Var;
  if (A->Ty->Kind == TypeKind::Array && mayPop(F, A->Ty))
    return false;
  if (Idx.Opcode == Op::IntConst) {
    // A constant below the length the array was made with.
    const Node *Init = initOf(A);
    int64_t Len = -1;
    if (Init && Init->Opcode == Op::ArrayNew &&
        Init->operand(0)->Opcode == Op::IntConst)
      Len = Init->operand(0)->IntVal;
    else if (Init && Init->Opcode == Op::ArrayLit)
      Len = static_cast<int64_t>(Init->Operands.size());
    else if (Init && Init->Opcode == Op::StrConst)
      Len = static_cast<int64_t>(Init->StrVal.size());
    return Idx.IntVal >= 0 && Idx.IntVal < Len;
  }
  if (Idx.Opcode != Op::LocalGet)
    return false;
  const Node *Loop = rangeLoopOf(Idx.Var);
  if (!Loop || !isNonNeg(*Loop->operand(0)))
    return false;
  auto LenOfA = [&](const Node &X) {
    return (X.Opcode == Op::ArrayLen || X.Opcode == Op::StrLen ||
            X.Opcode == Op::BytesLen) &&
           X.operand(0)->Opcode == Op::LocalGet && X.operand(0)->Var == A;
  };
  const Node &Hi = *Loop->operand(1);
  if (LenOfA(Hi))
    return true;
  if (Hi.Opcode == Op::LocalGet)
    if (const Node *HiInit = initOf(Hi.Var); HiInit && LenOfA(*HiInit))
      return true;
  const Node *Init = initOf(A);
  if (!Init)
    return false;
  if (Init->Opcode == Op::ArrayNew) {
    const Node &Len = *Init->operand(0);
    if (Len.Opcode == Op::IntConst && Hi.Opcode == Op::IntConst)
      return Hi.IntVal <= Len.IntVal;
    return Len.Opcode == Op::LocalGet && isStable(Len.Var) &&
           Hi.Opcode == Op::LocalGet && Hi.Var == Len.Var;
  }
  if (Hi.Opcode != Op::IntConst)
    return false;
  if (Init->Opcode == Op::ArrayLit)
    return Hi.IntVal <= static_cast<int64_t>(Init->Operands.size());
  if (Init->Opcode == Op::StrConst)
    return Hi.IntVal <= static_cast<int64_t>(Init->StrVal.size());
  return false;
}

static bool isNonZeroConst(const Node &N) {
  return (N.Opcode == Op::I32Const || N.Opcode == Op::U32Const ||
          N.Opcode == Op::IntConst) &&
         N.IntVal != 0;
}

bool ModuleFacts::mayTrapOrMutate(const kir::Function &F, const Node &N) const {
  switch (N.Opcode) {
  case Op::ArrayGet:
  case Op::StrCodeAt:
  case Op::BytesAt:
    return !inBounds(F, *N.operand(0), *N.operand(1));
  case Op::I32Div:
  case Op::U32Div:
  case Op::IntDiv:
  case Op::I32Rem:
  case Op::U32Rem:
  case Op::IntRem:
    return !isNonZeroConst(*N.operand(1));
  case Op::ArrayNew:
    return !isNonNeg(*N.operand(0));
  case Op::StrFind:
  case Op::StrStartsWith: // a start of 0 is always within 0..len
    return !(N.operand(2)->Opcode == Op::IntConst &&
             N.operand(2)->IntVal == 0) &&
           !inBounds(F, *N.operand(0), *N.operand(2));
  case Op::StrSplit:
  case Op::StrReplace:
    return !(N.operand(1)->Opcode == Op::StrConst &&
             !N.operand(1)->StrVal.empty());
  case Op::F64ToI32:
  case Op::F64ToU32:
  case Op::F64ToInt:
  case Op::StrSlice:
  case Op::BytesSlice:
  case Op::BytesU32Le:
  case Op::StrFromCode:
  case Op::StrFromCodes:
  case Op::StrParseInt:
  case Op::ArrayPop:
  case Op::ArraySet:
  case Op::ArrayPush:
  case Op::FieldSet:
  case Op::MapAt:
  case Op::MapSet:
  case Op::IntCheckSafe:
  case Op::RefAsNonNull:
  case Op::MapRemove:
  case Op::ForMap: // traps when the map grows
    return true;
  // Values, and flow. Calls are the caller's business.
  case Op::BoolConst:
  case Op::I32Const:
  case Op::U32Const:
  case Op::IntConst:
  case Op::F64Const:
  case Op::StrConst:
  case Op::LocalGet:
  case Op::LocalDecl:
  case Op::LocalSet:
  case Op::I32Add:
  case Op::I32Sub:
  case Op::I32Mul:
  case Op::I32Neg:
  case Op::I32And:
  case Op::I32Or:
  case Op::I32Xor:
  case Op::I32Not:
  case Op::I32Shl:
  case Op::I32Shr:
  case Op::I32Cmp:
  case Op::U32Add:
  case Op::U32Sub:
  case Op::U32Mul:
  case Op::U32Neg:
  case Op::U32And:
  case Op::U32Or:
  case Op::U32Xor:
  case Op::U32Not:
  case Op::U32Shl:
  case Op::U32Shr:
  case Op::U32Cmp:
  case Op::IntAdd:
  case Op::IntSub:
  case Op::IntMul:
  case Op::IntNeg:
  case Op::IntCmp:
  case Op::F64Add:
  case Op::F64Sub:
  case Op::F64Mul:
  case Op::F64Div:
  case Op::F64Rem:
  case Op::F64Neg:
  case Op::F64Cmp:
  case Op::F64Sqrt:
  case Op::F64Floor:
  case Op::NumMin:
  case Op::NumMax:
  case Op::NumAbs:
  case Op::BoolNot:
  case Op::BoolAnd:
  case Op::BoolOr:
  case Op::BoolCmp:
  case Op::I32ToInt:
  case Op::U32ToInt:
  case Op::IntToI32:
  case Op::IntToU32:
  case Op::I32ToU32:
  case Op::U32ToI32:
  case Op::I32ToF64:
  case Op::U32ToF64:
  case Op::IntToF64:
  case Op::StrLen:
  case Op::StrConcat:
  case Op::StrCmp:
  case Op::StrFromInt:
  case Op::StrLower:
  case Op::StrJoin:
  case Op::StrTrim:
  case Op::StrContains:
  case Op::BytesLen:
  case Op::ArrayLit:
  case Op::ArrayLen:
  case Op::RecordNew:
  case Op::FieldGet:
  case Op::RefNull:
  case Op::RefAsNullable:
  case Op::RefIsNull:
  case Op::MapNew:
  case Op::MapLen:
  case Op::MapGet:
  case Op::MapHas:
  case Op::Call:
  case Op::Eval:
  case Op::If:
  case Op::While:
  case Op::ForRange:
  case Op::ForEach:
  case Op::Break:
  case Op::Continue:
  case Op::Return:
    return false;
  }
  llvm_unreachable("bad KIR op");
}

void ModuleFacts::solvePure() {
  // Least fixpoint: a function becomes pure once all its callees are, so
  // recursion never is (it might not end).
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &F : M.Functions) {
      if (Pure.count(F.get()))
        continue;
      bool Ok = true;
      visitFunction(*F, [&](const Node &N) {
        if (mayTrapOrMutate(*F, N) || N.Opcode == Op::While ||
            N.Opcode == Op::ForRange || N.Opcode == Op::ForEach ||
            (N.Opcode == Op::Call && !Pure.count(N.Callee)))
          Ok = false;
      });
      if (Ok)
        Changed |= Pure.insert(F.get()).second;
    }
  }
}

// The two predicates below answer for a few ops and conservatively for the
// rest (a new op is simply not known to be non-negative or free of -0), so
// they test ops one by one rather than switch over all of Ops.def.

static bool isOneOf(Op O, std::initializer_list<Op> Ops) {
  for (Op X : Ops)
    if (O == X)
      return true;
  return false;
}

bool ModuleFacts::isNonNeg(const Node &N) const {
  if (!isInt(N))
    return false;
  Op O = N.Opcode;
  if (O == Op::IntConst)
    return N.IntVal >= 0;
  if (isOneOf(O, {Op::StrLen, Op::BytesLen, Op::ArrayLen, Op::MapLen,
                  Op::StrCodeAt, Op::BytesAt, Op::U32ToInt, Op::NumAbs}))
    return true;
  if (O == Op::LocalGet) {
    if (const Node *Init = initOf(N.Var))
      return isNonNeg(*Init);
    if (const Node *Loop = rangeLoopOf(N.Var))
      return isNonNeg(*Loop->operand(0));
    return NonNegVars.count(N.Var);
  }
  if (isOneOf(O, {Op::IntAdd, Op::IntMul, Op::NumMin}))
    return isNonNeg(*N.operand(0)) && isNonNeg(*N.operand(1));
  if (O == Op::NumMax)
    return isNonNeg(*N.operand(0)) || isNonNeg(*N.operand(1));
  if (O == Op::IntDiv)
    return isNonNeg(*N.operand(0)) && isPositiveConst(*N.operand(1));
  // The remainder has the dividend's sign, and 0 % b is +0.
  if (isOneOf(O, {Op::IntRem, Op::IntCheckSafe}))
    return isNonNeg(*N.operand(0));
  return false;
}

bool ModuleFacts::mayBeNegZero(const Node &N) const {
  if (!isInt(N))
    return false;
  Op O = N.Opcode;
  // i32 and u32 values are canonical, lengths and codes never -0, the
  // parse_int helper returns +0 for "-0", Math.abs(-0) is +0.
  if (isOneOf(O, {Op::IntConst, Op::I32ToInt, Op::U32ToInt, Op::StrLen,
                  Op::BytesLen, Op::ArrayLen, Op::MapLen, Op::StrCodeAt,
                  Op::BytesAt, Op::StrParseInt, Op::StrFind, Op::NumAbs}))
    return false;
  if (O == Op::LocalGet)
    return NegZeroLocals.count(N.Var);
  if (O == Op::IntAdd) // x + y is -0 only for -0 + -0
    return mayBeNegZero(*N.operand(0)) && mayBeNegZero(*N.operand(1));
  if (isOneOf(O, {Op::IntSub, Op::IntCheckSafe})) // -0 - +0 is -0
    return mayBeNegZero(*N.operand(0));
  if (O == Op::IntMul) {
    // A positive constant keeps the other side's sign of zero.
    if (isPositiveConst(*N.operand(1)))
      return mayBeNegZero(*N.operand(0));
    if (isPositiveConst(*N.operand(0)))
      return mayBeNegZero(*N.operand(1));
    return true;
  }
  if (O == Op::IntDiv)
    return !isNonNeg(N);
  if (O == Op::IntRem)
    return !isNonNeg(*N.operand(0));
  if (isOneOf(O, {Op::NumMin, Op::NumMax}))
    return mayBeNegZero(*N.operand(0)) || mayBeNegZero(*N.operand(1));
  if (isOneOf(O, {Op::ArrayGet, Op::ArrayPop, Op::FieldGet, Op::MapAt}))
    return NegZeroInContainers;
  if (O == Op::MapGet)
    return NegZeroInContainers || mayBeNegZero(*N.operand(2));
  if (O == Op::Call)
    return NegZeroReturns.count(N.Callee);
  return true; // int.neg (-0 for 0), f64.to_int (Math.trunc(-0.5)), others
}

void ModuleFacts::solveNegZero() {
  for (bool Changed = true; Changed;) {
    Changed = false;
    auto Local = [&](const kir::Local *L, bool MZ) {
      if (MZ && L->Ty->Kind == TypeKind::Int)
        Changed |= NegZeroLocals.insert(L).second;
    };
    auto Stored = [&](const Node &V) {
      if (!NegZeroInContainers && mayBeNegZero(V)) {
        NegZeroInContainers = true;
        Changed = true;
      }
    };
    for (const auto &F : M.Functions)
      visitFunction(*F, [&](const Node &N) {
        Op O = N.Opcode;
        if (O == Op::LocalDecl || O == Op::LocalSet || O == Op::ForRange)
          Local(N.Var, mayBeNegZero(*N.operand(0)));
        else if (O == Op::ForEach)
          Local(N.Var, N.operand(0)->Ty->Kind == TypeKind::Array &&
                           NegZeroInContainers);
        else if (O == Op::ForMap) // Map keys are normalized: -0 becomes +0
          Local(N.Var2, NegZeroInContainers);
        else if (O == Op::Call)
          for (unsigned I = 0; I < N.Operands.size(); ++I)
            Local(N.Callee->Params[I], mayBeNegZero(*N.operand(I)));
        else if (O == Op::Return && !N.Operands.empty() &&
                 mayBeNegZero(*N.operand(0)))
          Changed |= NegZeroReturns.insert(F.get()).second;
        else if (O == Op::ArraySet || O == Op::MapSet)
          Stored(*N.operand(2));
        else if (O == Op::ArrayPush || O == Op::ArrayNew || O == Op::FieldSet)
          Stored(*N.operand(1));
        else if (O == Op::ArrayLit || O == Op::RecordNew)
          for (const Node *V : N.Operands)
            Stored(*V);
      });
  }
}

} // namespace jsgen
} // namespace kc
