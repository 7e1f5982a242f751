//===- MapRemoval.cpp - Which for.map loops may see a map.remove ----------===//
//
// A for.map visits the entries its map holds when it starts (Ops.def). A
// runtime's own iteration of the live map gives exactly that while nothing
// is removed: an insertion changes the length, which every step checks. A
// removal does not always (one removal and one insertion in a step keep
// it), so the back-ends iterate a copy of the keys in the loops found here,
// and the live map everywhere else.
//
// A loop is found when its body, or a function it calls at any depth, has a
// map.remove on a map of the loop's type: maps of other types are other
// objects.
//
//===----------------------------------------------------------------------===//

#include "ir/IR.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

using namespace kc;
using namespace kc::kir;

namespace {

using TypeSet = llvm::DenseSet<const Type *>;

/// Map types removed from directly in \p N and its regions; functions it
/// calls.
void scan(const Node &N, TypeSet &Removed,
          llvm::SmallVectorImpl<const Function *> &Callees) {
  if (N.Opcode == Op::MapRemove)
    Removed.insert(N.operand(0)->Ty);
  if (N.Opcode == Op::Call)
    Callees.push_back(N.Callee);
  for (const Node *O : N.Operands)
    scan(*O, Removed, Callees);
  for (const Block *B : N.Regions)
    for (const Node *S : B->Stmts)
      scan(*S, Removed, Callees);
}

void collectLoops(const Node &N, std::vector<const Node *> &Loops) {
  if (N.Opcode == Op::ForMap)
    Loops.push_back(&N);
  for (const Block *B : N.Regions)
    for (const Node *S : B->Stmts)
      collectLoops(*S, Loops);
}

} // namespace

std::vector<const Node *> kir::forMapsWithRemoval(const Module &M) {
  // What each function removes, itself or through its callees: a fixpoint
  // over the call graph (recursion included).
  llvm::DenseMap<const Function *, TypeSet> Removes;
  llvm::DenseMap<const Function *, llvm::SmallVector<const Function *, 4>>
      Calls;
  for (const auto &F : M.Functions) {
    TypeSet &R = Removes[F.get()];
    auto &C = Calls[F.get()];
    for (const Node *S : F->Body->Stmts)
      scan(*S, R, C);
  }
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &F : M.Functions)
      for (const Function *Callee : Calls[F.get()]) {
        // Copy: inserting into Removes may move its buckets.
        TypeSet From = Removes[Callee];
        for (const Type *T : From)
          Changed |= Removes[F.get()].insert(T).second;
      }
  }

  std::vector<const Node *> Found;
  for (const auto &F : M.Functions) {
    std::vector<const Node *> Loops;
    for (const Node *S : F->Body->Stmts)
      collectLoops(*S, Loops);
    for (const Node *L : Loops) {
      TypeSet Removed;
      llvm::SmallVector<const Function *, 4> Callees;
      for (const Node *S : L->Regions[0]->Stmts)
        scan(*S, Removed, Callees);
      for (const Function *C : Callees) {
        const TypeSet &R = Removes[C];
        Removed.insert(R.begin(), R.end());
      }
      if (Removed.count(L->operand(0)->Ty))
        Found.push_back(L);
    }
  }
  return Found;
}
