//===- JSAnalysis.cpp - Module facts the JS back-end relies on ------------===//

#include "JSAnalysis.h"
#include "llvm/ADT/STLFunctionalExtras.h"
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
      if (N.Opcode == Op::LocalDecl && !N.Var->Mutable)
        Inits[N.Var] = N.operand(0);
      if (N.Opcode == Op::ForRange)
        RangeLoops[N.Var] = &N;
    });
  collectTypes();
  collectPops();
  solveNegZero();
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
  // So do arrays that come from outside, at any depth of a parameter.
  DenseSet<const kir::Type *> Seen;
  std::vector<const kir::Type *> Work;
  for (const auto &F : M.Functions)
    if (isExported(*F))
      for (const kir::Local *P : F->Params)
        Work.push_back(P->Ty);
  while (!Work.empty()) {
    const kir::Type *T = Work.back();
    Work.pop_back();
    if (!Seen.insert(T).second)
      continue;
    switch (T->Kind) {
    case TypeKind::Array:
      NotTyped.insert(T);
      Work.push_back(T->Elem);
      break;
    case TypeKind::Map:
      Work.push_back(T->Key);
      Work.push_back(T->Elem);
      break;
    case TypeKind::Record:
      for (const kir::Field &Fld : T->Rec->Fields)
        Work.push_back(Fld.Ty);
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
  case TypeKind::Void:
  case TypeKind::Bool:
  case TypeKind::Int: // up to 2^53: no typed array holds it as an integer
  case TypeKind::Str:
  case TypeKind::Bytes:
  case TypeKind::Array:
  case TypeKind::Map:
  case TypeKind::Record:
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
    return false;
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
                  Op::BytesAt, Op::StrParseInt, Op::NumAbs}))
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
