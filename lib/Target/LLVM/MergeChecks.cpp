//===- MergeChecks.cpp - One bounds check for a group of nearby reads -----===//
//
// A kernel that reads b[i], b[i + 1], b[i + 2], b[i + 3] gets four bounds
// checks, `i + k <u len` for k = 0..3, each branching to a cold trap block
// (kc_trap of some kind and line). Nothing observable happens between them
// (no call, so no other trap and no effect that outlives the kernel), so
// the chain passes iff all of its checks do: iff i + 3 <u len, computed
// without wrapping. The k = 0 check bounds i below len < 2^63, so the i + k
// of the others did not wrap either. The merged test is
//
//     i <u usub.sat(len, 3)
//
// which is false for every i when len <= 3, as the chain was. Its bound is
// loop-invariant when len is, so a loop keeps one compare per group.
//
// When the checks share one trap block (reads on one line), a failed test
// goes there. Otherwise the line of the first failing check must be the one
// reported, so a failed test goes to a cold copy of the chain that makes
// the original checks in their order (one of them fails).
//
//===----------------------------------------------------------------------===//

#include "MergeChecks.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/PatternMatch.h"

using namespace llvm;
using namespace llvm::PatternMatch;

namespace kc {
namespace llvmgen {

namespace {

/// A block that only calls kc_trap and ends in unreachable.
bool isTrapBlock(const BasicBlock *BB) {
  const Instruction *I = BB->getFirstNonPHIOrDbg();
  const auto *Call = dyn_cast_or_null<CallInst>(I);
  if (!Call || !Call->getCalledFunction() ||
      Call->getCalledFunction()->getName() != "kc_trap")
    return false;
  return isa<UnreachableInst>(Call->getNextNonDebugInstruction());
}

/// `Base + Offset <u Len` guarding the way to Ok, else to Trap.
struct Check {
  BranchInst *Br = nullptr;
  Value *Base = nullptr;
  uint64_t Offset = 0;
  Value *Len = nullptr;
  BasicBlock *Ok = nullptr;
  BasicBlock *Trap = nullptr;
};

// Offsets this large never come from a group of reads; they also keep
// Base + Offset far from wrapping once Base <u Len < 2^63 is known.
constexpr uint64_t MaxOffset = uint64_t(1) << 32;

std::optional<Check> matchCheck(BasicBlock &BB) {
  auto *Br = dyn_cast<BranchInst>(BB.getTerminator());
  if (!Br || !Br->isConditional())
    return std::nullopt;
  Check C;
  C.Br = Br;
  bool OkOnTrue;
  if (isTrapBlock(Br->getSuccessor(1)) && !isTrapBlock(Br->getSuccessor(0))) {
    OkOnTrue = true;
    C.Ok = Br->getSuccessor(0);
    C.Trap = Br->getSuccessor(1);
  } else if (isTrapBlock(Br->getSuccessor(0)) &&
             !isTrapBlock(Br->getSuccessor(1))) {
    OkOnTrue = false;
    C.Ok = Br->getSuccessor(1);
    C.Trap = Br->getSuccessor(0);
  } else {
    return std::nullopt;
  }
  ICmpInst::Predicate Pred;
  Value *X, *Y;
  if (!match(Br->getCondition(), m_ICmp(Pred, m_Value(X), m_Value(Y))))
    return std::nullopt;
  // The way to Ok is taken iff Index <u Len.
  if (!OkOnTrue)
    Pred = ICmpInst::getInversePredicate(Pred);
  Value *Index;
  if (Pred == ICmpInst::ICMP_ULT) {
    Index = X;
    C.Len = Y;
  } else if (Pred == ICmpInst::ICMP_UGT) {
    Index = Y;
    C.Len = X;
  } else {
    return std::nullopt;
  }
  const APInt *K;
  if (match(Index, m_Add(m_Value(C.Base), m_APInt(K))) ||
      match(Index, m_DisjointOr(m_Value(C.Base), m_APInt(K)))) {
    if (K->isNegative() || K->getZExtValue() >= MaxOffset)
      return std::nullopt;
    C.Offset = K->getZExtValue();
  } else {
    C.Base = Index;
    C.Offset = 0;
  }
  return C;
}

/// Nothing in \p BB (a block between two checks) may be observed when a
/// later check traps instead of an earlier one: no call (it could trap
/// itself, or have an effect), nothing volatile or atomic.
bool quietBetweenChecks(const BasicBlock &BB) {
  for (const Instruction &I : BB) {
    if (isa<CallBase>(I) && !isa<DbgInfoIntrinsic>(I))
      return false;
    if (I.isAtomic() || I.isVolatile())
      return false;
  }
  return true;
}

bool mergeChainFrom(BasicBlock &BB) {
  std::optional<Check> First = matchCheck(BB);
  if (!First)
    return false;
  SmallVector<Check, 4> Chain = {*First};
  BasicBlock *Next = First->Ok;
  while (Next->getSinglePredecessor() && quietBetweenChecks(*Next)) {
    std::optional<Check> C = matchCheck(*Next);
    if (!C || C->Base != First->Base || C->Len != First->Len || C->Ok == Next)
      break;
    Chain.push_back(*C);
    Next = C->Ok;
  }
  if (Chain.size() < 2)
    return false;
  uint64_t MaxOff = 0;
  bool HasZero = false;
  for (const Check &C : Chain) {
    MaxOff = std::max(MaxOff, C.Offset);
    HasZero |= C.Offset == 0;
  }
  if (!HasZero)
    return false; // no bound on the base: its + k may wrap
  IRBuilder<> B(First->Br);
  Value *Bound = First->Len;
  if (MaxOff)
    Bound = B.CreateBinaryIntrinsic(
        Intrinsic::usub_sat, First->Len,
        ConstantInt::get(First->Len->getType(), MaxOff), nullptr, "bound");
  Value *Ok = B.CreateICmpULT(First->Base, Bound, "group.ok");
  bool OneTrap = llvm::all_of(
      Chain, [&](const Check &C) { return C.Trap == First->Trap; });
  BasicBlock *Fail = First->Trap;
  if (!OneTrap) {
    // The cold copy: the checks again, in order, each to its own trap.
    Function *F = BB.getParent();
    LLVMContext &Ctx = F->getContext();
    Fail = BasicBlock::Create(Ctx, "group.fail", F);
    IRBuilder<> FB(Fail);
    for (const Check &C : Chain) {
      Value *Index = C.Offset ? FB.CreateAdd(C.Base, ConstantInt::get(
                                                         C.Base->getType(),
                                                         C.Offset))
                              : C.Base;
      BasicBlock *Then = BasicBlock::Create(Ctx, "group.fail", F);
      FB.CreateCondBr(FB.CreateICmpULT(Index, C.Len), Then, C.Trap);
      FB.SetInsertPoint(Then);
    }
    FB.CreateUnreachable(); // the chain failed, so one of them traps
  }
  BranchInst *NewBr = B.CreateCondBr(Ok, First->Ok, Fail);
  NewBr->copyMetadata(*First->Br, {LLVMContext::MD_prof});
  // Fix the successor's orientation for the weights: ours is (ok, trap).
  if (First->Br->getSuccessor(0) == First->Trap)
    NewBr->swapProfMetadata();
  if (!OneTrap)
    First->Trap->removePredecessor(&BB);
  First->Br->eraseFromParent();
  for (size_t I = 1; I < Chain.size(); ++I) {
    Check &C = Chain[I];
    C.Trap->removePredecessor(C.Br->getParent());
    BranchInst::Create(C.Ok, C.Br->getIterator());
    C.Br->eraseFromParent();
  }
  return true;
}

} // namespace

PreservedAnalyses MergeBoundsChecksPass::run(Function &F,
                                             FunctionAnalysisManager &) {
  // The blocks as they were: the cold copies made on the way are checks
  // too, but must stay as they are.
  SmallVector<BasicBlock *, 32> Blocks;
  for (BasicBlock &BB : F)
    Blocks.push_back(&BB);
  bool Changed = false;
  for (BasicBlock *BB : Blocks)
    Changed |= mergeChainFrom(*BB);
  if (!Changed)
    return PreservedAnalyses::all();
  PreservedAnalyses PA;
  return PA;
}

} // namespace llvmgen
} // namespace kc
