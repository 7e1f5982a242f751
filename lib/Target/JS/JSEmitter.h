//===- JSEmitter.h - The JS back-end's function emitter ---------*- C++ -*-===//
//
// Private to lib/Target/JS: the state of emitting one function, shared by
// JSFunction.cpp (names, statements), JSChecks.cpp (checks and where they
// go) and JSExpr.cpp (expressions).
//
//===----------------------------------------------------------------------===//

#ifndef KC_TARGET_JS_JSEMITTER_H
#define KC_TARGET_JS_JSEMITTER_H

#include "JSFunction.h"
#include "JSNames.h"
#include "JSSyntax.h"
#include "ir/IR.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <initializer_list>
#include <string>
#include <vector>

namespace kc {
namespace jsgen {

constexpr double TwoTo31 = 2147483648.0;
constexpr double TwoTo32 = 4294967296.0;
/// Array literals and argument lists longer than this go one per line.
constexpr size_t MaxInlineList = 80;

// The switches over ops in the JS back-end are exhaustive; helpers that
// answer for a few ops only test those, so a new op gets the conservative
// answer.
inline bool isOneOf(kir::Op O, std::initializer_list<kir::Op> Ops) {
  for (kir::Op X : Ops)
    if (O == X)
      return true;
  return false;
}

inline bool isTerminator(const kir::Node &N) {
  return isOneOf(N.Opcode,
                 {kir::Op::Return, kir::Op::Break, kir::Op::Continue});
}

inline bool isInt32Type(const kir::Type *T) {
  return T && (T->Kind == kir::TypeKind::I32 || T->Kind == kir::TypeKind::U32);
}

inline bool isNonZeroConst(const kir::Node &N) {
  return isOneOf(N.Opcode,
                 {kir::Op::I32Const, kir::Op::U32Const, kir::Op::IntConst}) &&
         N.IntVal != 0;
}

/// Whether statement \p S (or block \p B) assigns \p L, in nested blocks
/// included.
bool assigns(const kir::Node &S, const kir::Local *L);
bool assigns(const kir::Block &B, const kir::Local *L);
/// Whether running \p N (or \p B) may push, pop or call, and so resize an
/// array.
bool mayResize(const kir::Node &N);
bool mayResize(const kir::Block &B);

/// A line in front of a statement: a `const` binding, or a check.
struct PreLine {
  unsigned Indent = 0;
  std::string Text; // a plain line
  bool IsCheck = false;
  JSExpr Guard;                        // empty Text: unconditional
  std::vector<std::string> GuardTexts; // its && operands
  JSExpr Fail;
  std::vector<std::string> FailTexts;
  int Kind = 0;
  unsigned Line = 0;
};

class FunctionEmitter {
  using Node = kir::Node;
  using Op = kir::Op;
  using Type = kir::Type;
  using TypeKind = kir::TypeKind;

public:
  FunctionEmitter(ModuleContext &MC, const kir::Function &F)
      : MC(MC), Facts(MC.Facts), F(F), Namer(MC.ModuleNames) {}
  std::string run();
  std::vector<unsigned> takeLines() { return std::move(Lines); }

private:
  ModuleContext &MC;
  const ModuleFacts &Facts;
  const kir::Function &F;
  ScopeNamer Namer;
  llvm::DenseMap<const kir::Local *, unsigned> LocalIds;
  llvm::DenseMap<const Node *, unsigned> LoopIndexIds;
  llvm::DenseMap<const Node *, unsigned> RangeEndIds;
  llvm::DenseMap<const Node *, unsigned> LoopLengthIds;
  /// str, bytes and typed arrays never change length.
  bool isFixedLength(const Type *T) const {
    return T->Kind == TypeKind::Str || T->Kind == TypeKind::Bytes ||
           (T->Kind == TypeKind::Array && Facts.isTypedArray(T));
  }
  /// Names of the back-end's own bindings, unique in the function.
  llvm::StringSet<> Temps;
  std::string Out;
  unsigned Depth = 0;
  /// The kernel line of each line of Out, and the line of the statement (or
  /// check) being printed.
  std::vector<unsigned> Lines;
  unsigned CurLine = 0;

  struct Fact {
    std::string Key;
    llvm::SmallVector<const kir::Local *, 2> Reads;
  };
  struct Guard {
    JSExpr *E;
    bool WhenTrue;
    const Node *Cond; // E's KIR node, when there is one
    /// St.Pending's size when the guard began: pending values from that
    /// index on are evaluated under it, the ones before (E among them) not.
    size_t PendingDepth = 0;
  };
  /// The statement being built.
  struct StmtState {
    std::vector<PreLine> Pre;
    unsigned PreIndent = 0;
    std::vector<JSExpr *> Pending;
    std::vector<Guard> Guards;
    /// Conditions known to hold where the expression is evaluated (the
    /// operands of a split while loop's condition).
    std::vector<const Node *> Known;
    /// Checks this statement makes that hold for the rest of the block.
    std::vector<Fact> NewProven;
    /// The local a LocalDecl being built declares, and whether a read
    /// that is its whole initializer already bound it (to check it after).
    const Node *DeclInit = nullptr;
    const kir::Local *DeclVar = nullptr;
    bool DeclBound = false;
  } St;
  /// Checks already made, per enclosing block (innermost last); each holds
  /// until a local it reads is assigned.
  std::vector<std::vector<Fact>> Proven;
  bool isProven(llvm::StringRef Key) const {
    for (const auto &Level : Proven)
      for (const Fact &Fc : Level)
        if (Fc.Key == Key)
          return true;
    return false;
  }
  /// u32 locals kept as int32 bit patterns (see chooseInt32Locals).
  llvm::DenseSet<const kir::Local *> Int32Locals;
  void chooseInt32Locals();
  /// Conditions that hold at the current statement: the condition of the
  /// enclosing if or while, until a local it reads is assigned.
  std::vector<const Node *> KnownConds;
  /// ?R locals known not to be null here: after `if x == null { ...; return }`
  /// in the same block, until x is assigned.
  std::vector<const kir::Local *> NonNullLocals;
  /// Whether a check with \p Key holds here, made in an earlier statement
  /// or earlier in this one.
  bool provenHere(llvm::StringRef Key) const {
    for (const Fact &Fc : St.NewProven)
      if (Fc.Key == Key)
        return true;
    return isProven(Key);
  }
  void forgetAssignedIn(const Node &S);
  void forgetAssignedInLoop(const Node &Loop);

  /// Evaluates operands in order; each stays pending until the op is built.
  class Operands {
  public:
    Operands(FunctionEmitter &FE, llvm::ArrayRef<const Node *> Nodes)
        : FE(FE), Base(FE.St.Pending.size()), V(Nodes.size()) {
      for (size_t I = 0; I < Nodes.size(); ++I) {
        V[I] = FE.emitExpr(*Nodes[I]);
        FE.St.Pending.push_back(&V[I]);
      }
    }
    ~Operands() { FE.St.Pending.resize(Base); }
    JSExpr &operator[](size_t I) { return V[I]; }
    size_t size() const { return V.size(); }
    std::vector<JSExpr> &all() { return V; }

  private:
    FunctionEmitter &FE;
    size_t Base;
    std::vector<JSExpr> V; // never resized: Pending points into it
  };

  // Names.
  void nameLocals();
  void walkBlock(const kir::Block &B);
  void walkStmt(const Node &S);
  void walkUses(const Node &N);
  bool needsRangeEnd(const Node &Loop) const;
  const std::string &localName(const kir::Local *L) {
    return Namer.name(LocalIds.find(L)->second);
  }
  std::string freshTemp(llvm::StringRef Base);

  // Output.
  void line(const std::string &Text) {
    Out.append(2 * Depth, ' ');
    std::string Indented = indentLines(Text, Depth);
    Out += Indented;
    Out += '\n';
    Lines.resize(Lines.size() + 1 + llvm::count(Indented, '\n'), CurLine);
  }
  void flushPre();
  void beginStmt() { St = StmtState(); }

  // Hoisting.
  void addLine(std::string Text);
  void hoistPrep();
  void spill(JSExpr &E, llvm::StringRef Base = "tmp");
  /// Makes E fit to be repeated (cost at most MaxCost), binding it first if
  /// it is not.
  void bindForDup(JSExpr &E, llvm::StringRef Base = "tmp",
                  unsigned MaxCost = 1);
  /// Hoists `if (Fail) throw ...`. A check that holds for the rest of the
  /// block (unconditional, reading only the given locals) is remembered
  /// under Key and not made again.
  void addCheck(const JSExpr &Fail, int Kind, const Node &N,
                std::string Key = "", bool Lasting = true,
                llvm::ArrayRef<const kir::Local *> Reads = {});
  JSExpr emitRead(const Node &N);
  JSExpr currentGuard(std::vector<std::string> &Texts, bool Bind);
  bool boundedByLength(const Node &Cond, const Node &Coll,
                       const Node &Idx) const;
  bool knownBelowLength(const Node &Coll, const Node &Idx) const;
  bool knownNonNull(const Node &Ref) const;
  bool mayHoist(const Node &N) const;
  bool effectBeforeHoist(const Node &N) const;
  bool scanHoist(const Node &N, bool &Effect) const;
  bool inBounds(const Node &Coll, const Node &Idx) const {
    return Facts.inBounds(F, Coll, Idx);
  }
  bool isEffect(const Node &N) const;
  bool hasEffect(const Node &N) const;
  void checkIndex(JSExpr &Coll, JSExpr &Idx, const Node &N);
  static std::string indexKey(const JSExpr &Coll, const JSExpr &Idx) {
    return "in range: " + Coll.Text + "[" + Idx.Text + "]";
  }
  void checkDivisor(JSExpr &B, const Node &Divisor, const Node &N);

  // Values.
  JSExpr typed(JSExpr E, const Type *T) const;
  void canon(JSExpr &E) const;
  /// Canonical for storing in \p L: an int32 for the u32 locals kept so.
  void canonFor(JSExpr &E, const kir::Local *L) const;
  /// Canonical for storing in an array of \p ArrayTy: Int32Array and
  /// Uint32Array convert any exact integer themselves.
  void canonForElem(JSExpr &E, const Type *ArrayTy) const;
  JSExpr constant(const Node &N) const;
  static JSExpr zero() { return atom("0", nullptr); }
  JSExpr lineNumber(const Node &N) const {
    return atom(std::to_string(N.Loc.Line), nullptr);
  }
  JSExpr call(llvm::StringRef Callee, llvm::ArrayRef<JSExpr> Args);
  JSExpr method(const JSExpr &Obj, llvm::StringRef Name,
                llvm::ArrayRef<JSExpr> Args);
  JSExpr member(const JSExpr &Obj, llvm::StringRef Name);
  JSExpr index(const JSExpr &Obj, const JSExpr &Idx);
  JSExpr list(llvm::StringRef Open, llvm::ArrayRef<JSExpr> Items,
              llvm::StringRef Close);
  JSExpr addSub(JSExpr A, JSExpr B, llvm::StringRef Op, const Type *T) const;
  JSExpr compare(JSExpr A, JSExpr B, kir::Pred P, const Type *T) const;
  JSExpr emitExpr(const Node &N);
  JSExpr emitDivRem(const Node &N);
  JSExpr emitBitwise(const Node &N, llvm::StringRef Op);
  JSExpr emitMinMax(const Node &N, bool Max);
  JSExpr emitF64ToInt(const Node &N);
  JSExpr emitCheckSafe(const Node &N);
  JSExpr emitShortCircuit(const Node &N, bool IsAnd);
  JSExpr shortCircuit(JSExpr &L, const Node *LHS, const Node &RHS, bool IsAnd);

  // Statements.
  void emitBlock(const kir::Block &B);
  void emitRegion(const kir::Block &B) {
    ++Depth;
    Proven.emplace_back();
    emitBlock(B);
    Proven.pop_back();
    --Depth;
  }
  void emitStmt(const Node &S);
  llvm::StringRef compoundOp(const Node &Value, bool Int32Target) const;
  bool sameTarget(const Node &A, const Node &B) const;
  void emitAssign(const Node &S);
  void emitIf(const Node &N);
  void emitThen(const Node &N);
  void emitElse(const Node &N);
  void emitWhile(const Node &N);
  void emitForRange(const Node &N);
  void emitForEach(const Node &N);
  void emitForMap(const Node &N);
  void emitForMapKeys(const Node &N, const std::string &Map);
  std::string stableCollection(JSExpr &E, const Node &Coll, const Node &Loop,
                               llvm::StringRef Base);
};

} // namespace jsgen
} // namespace kc

#endif
