//===- JSSyntax.h - JS expression text with precedence and facts -*- C++
//-*-===//
//
// The JS back-end builds expressions bottom-up as JSExpr values: the text,
// the precedence of its outermost operator (so parentheses appear only where
// the grammar, or a reader, needs them) and what the back-end knows about the
// value: whether it may be evaluated again or later (Pure), what it costs to
// repeat, and for 32-bit integers how far the JS Number may be from the
// canonical value (see JSExpr::Bound).
//
//===----------------------------------------------------------------------===//

#ifndef KC_TARGET_JS_JSSYNTAX_H
#define KC_TARGET_JS_JSSYNTAX_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>

namespace kc {
namespace kir {
class Local;
class Type;
} // namespace kir
namespace jsgen {

/// ECMAScript operator precedence, loosest first.
enum class Prec : uint8_t {
  Assign,
  Conditional,
  Coalesce, // ?? (never mixed with && or || without parentheses)
  LogicalOr,
  LogicalAnd,
  BitOr,
  BitXor,
  BitAnd,
  Equality,
  Relational,
  Shift,
  Additive,
  Multiplicative,
  Unary,
  Member, // calls, member access, `new C(...)`
  Primary,
};

/// 2^53: the bound of the int type, and of every exact integer below.
constexpr double SafeLimit = 9007199254740992.0;

struct JSExpr {
  std::string Text;
  Prec P = Prec::Primary;
  /// The outermost binary operator ("+", "&&"...), empty when there is none.
  std::string BinOp;
  const kir::Type *Ty = nullptr;

  /// No side effect and no trap: may be evaluated again, or after checks,
  /// with the same result (checks it needed are already hoisted).
  bool Pure = true;
  /// Reads mutable heap state (array elements or length, fields, maps), so a
  /// call evaluated in between could change its value.
  bool ReadsHeap = false;
  /// Operators in it: 0 for a name or a constant. Repeated only when <= 1.
  unsigned Cost = 0;
  /// A fresh object (array, record, map): never evaluated twice.
  bool Fresh = false;
  /// The kernel locals it reads (a check of it holds until one of them is
  /// assigned, if it reads nothing else that may change).
  llvm::SmallVector<const kir::Local *, 2> Reads;

  /// i32 and u32: the Number v' is an integer congruent to the value modulo
  /// 2^32 with |v'| <= Bound <= 2^53, so ToInt32/ToUint32 (every bitwise
  /// operator, Math.imul) recover the value exactly. InI32/InU32: v' is in
  /// that type's range, so it *is* the canonical i32 / u32 value.
  double Bound = SafeLimit;
  bool InI32 = false;
  bool InU32 = false;
  /// Integers: the value is >= 0 (and not -0).
  bool NonNeg = false;
  /// Integer constants: the value.
  std::optional<int64_t> IntValue;
  /// A hex spelling for constants, used as an operand of & | ^.
  std::string Hex;
  /// The logical negation, when it reads better than !(...) (comparisons).
  std::string NegText;
  Prec NegP = Prec::Primary;
  std::string NegBinOp;
  /// bool: the value read from a Uint8Array of bools, a 0/1 Number
  /// (Bit), or a value whose truthiness is the bool but that may be 0/1 or
  /// a boolean (Truthy: `a[i] && b`). Conditions use it as it is; canon()
  /// makes it a real boolean wherever one is observable.
  enum : uint8_t { NotNumBool, Bit, Truthy } NumBool = NotNumBool;
};

/// A name or a literal.
JSExpr atom(std::string Text, const kir::Type *Ty);
/// Text of E for a context that needs precedence at least Min.
std::string paren(const JSExpr &E, Prec Min);
/// L Op R, parenthesising operands by precedence and by the clarity rules
/// prettier applies (a bitwise operand that is itself a binary operation,
/// `%` next to `*` or `/`, `*` next to `/`, && inside ||, a comparison
/// inside ===).
JSExpr binary(const JSExpr &L, llvm::StringRef Op, const JSExpr &R);
/// Op E for a prefix operator ("-", "!", "~").
JSExpr unary(llvm::StringRef Op, const JSExpr &E);
/// !E, or the inverted comparison when E knows it.
JSExpr negate(const JSExpr &E);
/// Facts shared by every compound expression of the given parts.
void mergeFacts(JSExpr &Into, const JSExpr &Part);

/// Shortest text that reads back as exactly this double, in JS syntax
/// (`0.5`, `1.0`, `-2.5e-8`, `Infinity`, `NaN`, `-0.0`).
std::string formatDouble(double V);
/// A JS string literal in double quotes.
std::string quoteString(llvm::StringRef S);

/// Re-indents a multi-line text by Levels steps of two spaces.
std::string indentLines(llvm::StringRef Text, unsigned Levels);

} // namespace jsgen
} // namespace kc

#endif
