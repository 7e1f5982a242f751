//===- JSAnalysis.h - Module facts the JS back-end relies on ----*- C++ -*-===//
//
// Small whole-module analyses, each conservative, that let the emitted JS
// drop work a JS engineer would not write:
//  - typed arrays: [i32], [u32], [f64] and [bool] values become Int32Array,
//    Uint32Array, Float64Array and Uint8Array (0 and 1) when no array of
//    that type is ever pushed
//    or popped and none comes from outside (an exported function's
//    parameters: the harness hands in plain Arrays);
//  - -0: JS produces -0 where int arithmetic has 0 (0 * -5, Math.trunc(-0.5),
//    -x, x % y). It is the same int everywhere but in a conversion to f64,
//    which therefore adds `+ 0` only when its operand may be -0;
//  - non-negative ints (int vars whose every assigned value is, found by a
//    fixpoint) and array lengths that only grow, so an index loop
//    `for i in 0..len(a)` needs no bounds check on a[i];
//  - pure functions (no trap, no heap change, no loop), whose calls need not
//    be bound to a name to keep them in front of a later check.
//
//===----------------------------------------------------------------------===//

#ifndef KC_TARGET_JS_JSANALYSIS_H
#define KC_TARGET_JS_JSANALYSIS_H

#include "ir/IR.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"

namespace kc {
namespace jsgen {

class ModuleFacts {
public:
  explicit ModuleFacts(const kir::Module &M);

  /// Exported: the bench entry, or every function when there is none.
  bool isExported(const kir::Function &F) const;
  /// The JS class holding values of \p ArrayTy: "Array" or a typed array.
  llvm::StringRef arrayClass(const kir::Type *ArrayTy) const;
  bool isTypedArray(const kir::Type *ArrayTy) const {
    return arrayClass(ArrayTy) != "Array";
  }

  /// Whether the int value of \p N may be -0 in JS.
  bool mayBeNegZero(const kir::Node &N) const;
  /// Whether the int value of \p N is known >= 0 (and not -0).
  bool isNonNeg(const kir::Node &N) const;
  /// Whether running \p F may pop an array of type \p ArrayTy (directly or
  /// through a call): if not, array lengths only grow while F runs.
  bool mayPop(const kir::Function &F, const kir::Type *ArrayTy) const;
  /// Whether \p L keeps one value: a `let`, or a parameter or `var` that
  /// is never assigned.
  bool isStable(const kir::Local *L) const { return !Assigned.count(L); }
  /// The initializer of a stable local, or null.
  const kir::Node *initOf(const kir::Local *L) const;
  /// The for.range loop whose variable \p L is, or null.
  const kir::Node *rangeLoopOf(const kir::Local *L) const;
  /// Whether \p Idx is always a valid index of \p Coll (both operands of
  /// an access in \p F): `for i in lo..hi` with 0 <= lo and hi <= the
  /// length of a stable array, str or bytes whose length cannot shrink.
  bool inBounds(const kir::Function &F, const kir::Node &Coll,
                const kir::Node &Idx) const;
  /// Whether the op may trap or change the heap (calls aside).
  bool mayTrapOrMutate(const kir::Function &F, const kir::Node &N) const;
  /// A function that cannot trap, change the heap or loop: a call to it may
  /// be evaluated again, or after a check, with the same result.
  bool isPure(const kir::Function &F) const { return Pure.count(&F); }
  /// A for.map during which the map may lose a key (kir::forMapsWithRemoval):
  /// it iterates a copy of the keys.
  bool mayRemoveDuring(const kir::Node &ForMap) const {
    return ForMapsWithRemoval.count(&ForMap);
  }

private:
  const kir::Module &M;
  llvm::DenseSet<const kir::Type *> NotTyped;
  llvm::DenseMap<const kir::Function *, llvm::DenseSet<const kir::Type *>> Pops;
  llvm::DenseMap<const kir::Local *, const kir::Node *> Inits;
  llvm::DenseMap<const kir::Local *, const kir::Node *> RangeLoops;
  llvm::DenseSet<const kir::Local *> Assigned;
  llvm::DenseSet<const kir::Function *> Pure;
  llvm::DenseSet<const kir::Node *> ForMapsWithRemoval;
  // -0 facts, solved to a fixpoint.
  llvm::DenseSet<const kir::Local *> NegZeroLocals;
  llvm::DenseSet<const kir::Function *> NegZeroReturns;
  bool NegZeroInContainers = false;
  /// int `var`s every value of which is >= 0 (and not -0).
  llvm::DenseSet<const kir::Local *> NonNegVars;

  void collectTypes();
  void collectPops();
  void solveNegZero();
  void solvePure();
  void solveNonNeg();
};

} // namespace jsgen
} // namespace kc

#endif
