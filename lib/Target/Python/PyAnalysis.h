//===- PyAnalysis.h - Facts the Python back-end proves about KIR --*- C++ -*-===//
//
// A Python engineer leaves out a check they can see is unnecessary: an index
// that is a range loop's counter is not negative, `x & 0xFF` needs no 32-bit
// mask, a sum of squares has a square root. The back-end does the same, on
// facts this analysis proves:
//
//  - integer ranges: an abstract interpretation of every function over
//    intervals of the exact (Python) values of integer expressions, flow
//    sensitive, refined by branch and loop conditions, with widening at loop
//    heads; interprocedural through parameter and return summaries, and
//    through the elements of arrays that never leave their function;
//  - facts relative to a str's length and to another local, where a
//    search leaves them (`r = s.find(t, p)`: r < 0, or p <= r and
//    r + len(t) <= len(s)) and a comparison with a length refines them:
//    the slices and finds of a scanner then need no test;
//  - f64 values that are >= 0 or NaN (math.sqrt of them cannot raise);
//  - "character" values: int locals and parameters that only ever hold a
//    str.code_at result and are only compared with character constants or
//    each other, so Python can keep them as one-character str;
//  - functions small enough to inline: `return <expression>` bodies.
//
// Nothing here changes the semantics: every fact is sound for every input.
//
//===----------------------------------------------------------------------===//

#ifndef KC_TARGET_PYTHON_PYANALYSIS_H
#define KC_TARGET_PYTHON_PYANALYSIS_H

#include "ir/IR.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <cstdint>
#include <limits>

namespace kc {
namespace pygen {

/// An interval of integers; the extreme int64 values stand for -inf/+inf.
/// Lo > Hi is the empty interval (no value reaches the point).
struct Range {
  static constexpr int64_t NegInf = std::numeric_limits<int64_t>::min();
  static constexpr int64_t PosInf = std::numeric_limits<int64_t>::max();
  int64_t Lo = PosInf;
  int64_t Hi = NegInf;

  static Range empty() { return Range(); }
  static Range all() { return {NegInf, PosInf}; }
  static Range point(int64_t V) { return {V, V}; }
  /// Clamps bounds beyond +-2^62 to infinity.
  static Range of(__int128 Lo, __int128 Hi);
  /// The values of an integer type: i32, u32; int is unbounded here.
  static Range ofType(const kir::Type *T);

  bool isEmpty() const { return Lo > Hi; }
  bool within(const Range &O) const {
    return isEmpty() || (O.Lo <= Lo && Hi <= O.Hi);
  }
  bool contains(int64_t V) const { return Lo <= V && V <= Hi; }
  bool nonNegative() const { return !isEmpty() && Lo >= 0; }
  Range join(const Range &O) const;
  Range meet(const Range &O) const;
  bool operator==(const Range &O) const {
    return (isEmpty() && O.isEmpty()) || (Lo == O.Lo && Hi == O.Hi);
  }
  bool operator!=(const Range &O) const { return !(*this == O); }
};

/// Facts of an integer value v relative to other values, each "v < 0 or
/// ...": what a search leaves (-1, or a position); a value known to be
/// >= 0 drops the "v < 0 or". Absent fields: no fact.
struct Rel {
  /// v + LenK <= len(LenOf) (LenAny: of every str).
  const kir::Local *LenOf = nullptr;
  bool LenAny = false;
  int64_t LenK = 0;
  /// v >= AboveOf + AboveBy, AboveOf's value at the point of the fact.
  const kir::Local *AboveOf = nullptr;
  int64_t AboveBy = 0;

  bool hasLen() const { return LenOf || LenAny; }
  /// What holds on both paths.
  Rel join(const Rel &O) const;
  bool operator==(const Rel &O) const {
    return LenOf == O.LenOf && LenAny == O.LenAny && LenK == O.LenK &&
           AboveOf == O.AboveOf && AboveBy == O.AboveBy;
  }
};

/// What an expression may do besides computing its value, from the point of
/// view of evaluation order.
enum class Purity {
  Stable, ///< no effect, no trap, reads nothing mutable: may move anywhere
  Quiet,  ///< no effect, no trap, may read mutable memory
  Any,    ///< may trap, call a kernel function or pop an array
};

class Analysis {
public:
  /// Analyzes every function of \p M. Functions callable from outside
  /// (the bench entry; every function without a bench section) are
  /// analyzed for any arguments.
  explicit Analysis(const kir::Module &M);

  /// Range of the Python value an integer expression computes before any
  /// wrap-around mask (for i32/u32 ops the back-end masks exactly when this
  /// is not within the type's range). All values for nodes never analyzed.
  Range raw(const kir::Node *N) const;
  /// Range of the node's value after the back-end's mask, if any.
  Range value(const kir::Node *N) const;
  /// The f64 value is >= 0 (or -0.0) or NaN.
  bool nonNegativeF64(const kir::Node *N) const;
  /// Whether the value v of \p N satisfies v < 0 or v + K <= len(S),
  /// wherever N is evaluated.
  bool withinLength(const kir::Node *N, const kir::Local *S,
                    int64_t K = 0) const;
  /// Whether the value v of \p N satisfies v < 0 or v >= Y + D, Y's
  /// value where N is evaluated.
  bool atLeast(const kir::Node *N, const kir::Local *Y, int64_t D) const;

  /// The local whose value is always the length of array local \p L (it is
  /// only ever array(n, v) with an immutable n, never pushed to or popped,
  /// and never leaves the function), or null.
  const kir::Local *fixedLength(const kir::Local *L) const {
    return FixedLength.lookup(L);
  }

  /// A str local or parameter held as its bytes (`s.encode()` once, where
  /// it is defined): nothing but s[i], len(s) and `for c in s` reads it,
  /// it is indexed in a loop, and nothing assigns it again. Indexing bytes
  /// gives the code itself, where a str gives a one-character str for
  /// ord() (base64_decode's table lookups: ord(text[i]) per character).
  bool isByteStr(const kir::Local *L) const { return ByteStrs.count(L); }

  /// An int local or parameter kept as a one-character str.
  bool isCharLocal(const kir::Local *L) const { return CharLocals.count(L); }
  /// An int expression that the back-end can write as a one-character str:
  /// s[i] for str.code_at, or a character local.
  bool isCharExpr(const kir::Node *N) const;

  /// A function whose calls the back-end may replace by its body's returned
  /// expression (it is still emitted as a function).
  bool isInlinable(const kir::Function *F) const {
    return Inlinable.count(F);
  }

  /// A function small enough to inline as statements at an assignment or
  /// call statement: one return, at the end of its body; no calls but to
  /// functions inlined as expressions.
  bool isStatementInlinable(const kir::Function *F) const {
    return StatementInlinable.count(F);
  }

  /// A function called from a loop, or from a function that is (its calls
  /// are worth inlining even outside its own loops).
  bool isHot(const kir::Function *F) const { return Hot.count(F); }

  /// A u32 parameter whose value matters only mod 2^32: nothing assigns
  /// it, its function is called only from the module (and not inlined),
  /// and every use is an operand of +, -, *, |, ^, ~, unary - or the left
  /// one of <<, whose result is used so in turn, ends in `x & y` with an
  /// operand y free of such values (so in 0..2^32-1), or is passed for
  /// such a parameter. An argument for it needs no mask: nqueens'
  /// `place(..., (left | bit) << 1, ...)` (its bits above 31 reach
  /// nothing; they grow by one per level of the recursion, as in the
  /// reference).
  bool isCongruentParam(const kir::Local *P) const {
    return CongruentParams.count(P);
  }
  /// A u32 expression whose Python value may differ from its value by a
  /// multiple of 2^32: made of congruent parameters by the ops above.
  bool isCongruentOnly(const kir::Node *N) const {
    return CongruentOnly.count(N);
  }

  static Purity purity(const kir::Node *N);
  /// What the op of \p N may do itself, whatever its operands do.
  static Purity ownPurity(const kir::Node *N);
  static bool isSimple(const kir::Node *N) {
    return N->Opcode == kir::Op::LocalGet || N->Operands.empty();
  }

private:
  friend class FunctionAnalyzer;
  struct Facts {
    Range Raw;
    bool AllNonNeg = true;
    Rel Rels;
  };
  const kir::Module &M;
  llvm::DenseMap<const kir::Node *, Facts> NodeFacts;
  llvm::DenseSet<const kir::Local *> CharLocals;
  llvm::DenseSet<const kir::Local *> ByteStrs;
  llvm::DenseSet<const kir::Function *> Inlinable;
  llvm::DenseSet<const kir::Function *> StatementInlinable;
  llvm::DenseSet<const kir::Function *> Hot;
  llvm::DenseMap<const kir::Local *, const kir::Local *> FixedLength;
  llvm::DenseSet<const kir::Local *> CongruentParams;
  llvm::DenseSet<const kir::Node *> CongruentOnly;

  void computeRanges();
  void computeFixedLengths();
  void computeByteStrs();
  void computeChars();
  void computeInlinable();
  void computeCongruentParams();
};

/// The body's returned expression, when \p F's body is exactly `return e`.
const kir::Node *returnedExpr(const kir::Function &F);

} // namespace pygen
} // namespace kc

#endif
