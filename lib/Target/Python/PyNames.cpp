//===- PyNames.cpp - Python names for kernel names ------------------------===//

#include "PyNames.h"
#include "ir/IR.h"
#include "llvm/ADT/StringSwitch.h"
#include <algorithm>
#include <climits>
#include <vector>

using namespace kc;
using namespace kc::pygen;

bool pygen::isPythonKeyword(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("False", "None", "True", "and", "as", "assert", true)
      .Cases("async", "await", "break", "class", "continue", "def", true)
      .Cases("del", "elif", "else", "except", "finally", "for", true)
      .Cases("from", "global", "if", "import", "in", "is", true)
      .Cases("lambda", "nonlocal", "not", "or", "pass", "raise", true)
      .Cases("return", "try", "while", "with", "yield", true)
      .Case("__debug__", true)
      .Default(false);
}

bool pygen::isSpecialName(llvm::StringRef Name) {
  return Name.starts_with("__");
}

namespace {

/// The statements during which a local holds its value, as a range of
/// pre-order statement numbers.
struct Lifetime {
  unsigned Begin = UINT_MAX;
  unsigned End = UINT_MAX;
  bool overlaps(const Lifetime &O) const {
    return Begin <= O.End && O.Begin <= End;
  }
};

class LifetimeWalker {
public:
  llvm::DenseMap<const kir::Local *, Lifetime> Lifetimes;
  std::vector<const kir::Local *> Order; // by declaration

  void walkBlock(const kir::Block &B) {
    std::vector<const kir::Local *> Decls;
    for (const kir::Node *S : B.Stmts) {
      unsigned Index = Counter++;
      // Declared here, in source order; the block's end is known later.
      if (S->Opcode == kir::Op::LocalDecl) {
        declare(S->Var, Index, UINT_MAX);
        Decls.push_back(S->Var);
      }
      bool IsLoop = S->Opcode == kir::Op::ForRange ||
                    S->Opcode == kir::Op::ForEach ||
                    S->Opcode == kir::Op::ForMap;
      if (IsLoop) {
        declare(S->Var, Index, UINT_MAX);
        if (S->Var2)
          declare(S->Var2, Index, UINT_MAX);
      }
      for (const kir::Block *R : S->Regions)
        walkBlock(*R);
      if (IsLoop) {
        // A loop variable lives during the loop.
        Lifetimes[S->Var].End = Counter - 1;
        if (S->Var2)
          Lifetimes[S->Var2].End = Counter - 1;
      }
    }
    // A declaration lives until the end of its block.
    for (const kir::Local *L : Decls)
      Lifetimes[L].End = Counter - 1;
  }

  void declare(const kir::Local *L, unsigned Begin, unsigned End) {
    auto [It, New] = Lifetimes.try_emplace(L, Lifetime{Begin, End});
    if (New) {
      Order.push_back(L);
      return;
    }
    // Declared twice (never, from Sema): live across both.
    It->second.Begin = std::min(It->second.Begin, Begin);
    It->second.End = std::max(It->second.End, End);
  }

  unsigned Counter = 1; // 0 is the function entry, where parameters begin
};

} // namespace

LocalNames::LocalNames(const kir::Function &F,
                       const llvm::StringSet<> &Reserved)
    : Reserved(Reserved) {
  LifetimeWalker W;
  for (const kir::Local *P : F.Params)
    W.declare(P, 0, UINT_MAX);
  W.walkBlock(*F.Body);
  // Locals no statement declares get a name too (they are never used).
  for (const auto &L : F.Locals)
    if (!W.Lifetimes.count(L.get()))
      W.declare(L.get(), UINT_MAX, UINT_MAX);

  std::vector<const kir::Local *> Named;
  for (const kir::Local *L : W.Order) {
    const Lifetime &Life = W.Lifetimes[L];
    auto IsFree = [&](const std::string &Candidate) {
      if (isPythonKeyword(Candidate) || Reserved.count(Candidate))
        return false;
      for (const kir::Local *Other : Named)
        if (Names[Other] == Candidate && W.Lifetimes[Other].overlaps(Life))
          return false;
      return true;
    };
    std::string Name = firstFreeName(L->Name, IsFree);
    Taken.insert(Name);
    Names[L] = std::move(Name);
    Named.push_back(L);
  }
}

const std::string &LocalNames::name(const kir::Local *L) const {
  auto It = Names.find(L);
  assert(It != Names.end() && "local of another function");
  return It->second;
}

std::string LocalNames::fresh(llvm::StringRef Base) {
  std::string Name = firstFreeName(Base, [&](const std::string &Candidate) {
    return !isPythonKeyword(Candidate) && !Reserved.count(Candidate) &&
           !Taken.count(Candidate);
  });
  Taken.insert(Name);
  return Name;
}
