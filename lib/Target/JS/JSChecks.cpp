//===- JSChecks.cpp - Where the JS back-end puts checks and bindings ------===//
//
// A check is a statement next to the statement that needs it; JSFunction.cpp
// says why that is the same program (pending operands, effects bound first,
// guards) and README.md why reads are checked after the load. This file
// also decides which checks can go: facts proven earlier in the block, the
// conditions of enclosing ifs and whiles, range loops over known lengths.
//
//===----------------------------------------------------------------------===//

#include "JSEmitter.h"
#include "runtimes/native/kcrt.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/SaveAndRestore.h"

using namespace llvm;

namespace kc {
namespace jsgen {

using kir::Node;
using kir::Op;
using kir::Type;
using kir::TypeKind;

//===----------------------------------------------------------------------===//
// Hoisting checks and bindings in front of a statement
//===----------------------------------------------------------------------===//

void FunctionEmitter::flushPre() {
  for (const PreLine &L : St.Pre) {
    Depth += L.Indent;
    if (!L.IsCheck) {
      line(L.Text);
    } else {
      // The check's own line: a statement may span several kernel lines.
      SaveAndRestore<unsigned> AtLine(CurLine, L.Line ? L.Line : CurLine);
      JSExpr Cond = L.Fail;
      if (!L.Guard.Text.empty())
        Cond = binary(L.Guard, "&&", Cond);
      line("if (" + Cond.Text + ") throw new KernelTrap(" +
           quoteString(trapMessage(L.Kind)) + ", " + std::to_string(L.Line) +
           ");");
    }
    Depth -= L.Indent;
  }
  St.Pre.clear();
  for (Fact &Fc : St.NewProven)
    Proven.back().push_back(std::move(Fc));
  St.NewProven.clear();
}

void FunctionEmitter::addLine(std::string Text) {
  PreLine L;
  L.Indent = St.PreIndent;
  L.Text = std::move(Text);
  St.Pre.push_back(std::move(L));
}

static bool isAtom(const JSExpr &E) {
  return E.Cost == 0 && E.Pure && !E.ReadsHeap;
}

static bool isCheap(const JSExpr &E) {
  return E.Pure && !E.Fresh && E.Cost <= 1 &&
         E.Text.find('\n') == std::string::npos;
}

void FunctionEmitter::hoistPrep() {
  // Whatever is evaluated in front of a pending effect must stay in front
  // of it: bind everything up to the last pending effect.
  int Last = -1;
  for (size_t I = 0; I < St.Pending.size(); ++I)
    if (!St.Pending[I]->Pure)
      Last = static_cast<int>(I);
  for (int I = 0; I <= Last; ++I)
    if (!isAtom(*St.Pending[I]))
      spill(*St.Pending[I]);
}

void FunctionEmitter::spill(JSExpr &E, StringRef Base) {
  // A bool loaded from a Uint8Array stays the number (the load's own check
  // tests it against undefined).
  auto NumBool = E.NumBool;
  E.NumBool = JSExpr::NotNumBool;
  canon(E);
  std::string Name = freshTemp(Base);
  // On the right of a short circuit, the value is computed only where the
  // guard holds: it may rely on a check hoisted under the same guard
  // (p.f.length after `if (g && p === null) throw ...`). A pending value
  // is under the guards that began before it (its own left side is not).
  std::string Value = E.Text;
  size_t Under = St.Guards.size();
  for (size_t I = 0; I < St.Pending.size(); ++I)
    if (St.Pending[I] == &E)
      Under = size_t(llvm::count_if(
          St.Guards, [&](const Guard &G) { return G.PendingDepth <= I; }));
  if (Under && !isAtom(E)) {
    std::vector<Guard> Inner(St.Guards.begin() + Under, St.Guards.end());
    St.Guards.resize(Under);
    std::vector<std::string> Texts;
    JSExpr G = currentGuard(Texts, /*Bind=*/true);
    St.Guards.insert(St.Guards.end(), Inner.begin(), Inner.end());
    Value = paren(G, Prec::LogicalOr) + " ? " + E.Text + " : undefined";
  }
  addLine("const " + Name + " = " + Value + ";");
  JSExpr A = atom(Name, E.Ty);
  A.NumBool = NumBool;
  A.Bound = E.Bound;
  A.InI32 = E.InI32;
  A.InU32 = E.InU32;
  A.NonNeg = E.NonNeg;
  E = A;
}

void FunctionEmitter::bindForDup(JSExpr &E, StringRef Base, unsigned MaxCost) {
  auto Fits = [&] { return isCheap(E) && E.Cost <= MaxCost; };
  if (Fits())
    return;
  hoistPrep();
  if (!Fits())
    spill(E, Base);
}

JSExpr FunctionEmitter::currentGuard(std::vector<std::string> &Texts,
                                     bool Bind) {
  // A guard is repeated in front of the check: bound to a name unless it is
  // a small pure expression.
  JSExpr G;
  Texts.clear();
  for (size_t I = 0; I < St.Guards.size(); ++I) {
    Guard Gd = St.Guards[I];
    if (Bind && !(Gd.E->Pure && !Gd.E->Fresh && Gd.E->Cost <= 3)) {
      // A guard is evaluated only where the guards before it hold.
      std::vector<Guard> Inner(St.Guards.begin() + I, St.Guards.end());
      St.Guards.resize(I);
      bindForDup(*Gd.E, "cond");
      St.Guards.insert(St.Guards.end(), Inner.begin(), Inner.end());
    }
    JSExpr C = Gd.WhenTrue ? *Gd.E : negate(*Gd.E);
    Texts.push_back(C.Text);
    G = G.Text.empty() ? C : binary(G, "&&", C);
  }
  return G;
}

void FunctionEmitter::addCheck(const JSExpr &Fail, int Kind, const Node &N,
                               std::string Key, bool Lasting,
                               ArrayRef<const kir::Local *> Reads) {
  hoistPrep();
  if (Key.empty())
    Key = Fail.Text;
  unsigned Line = N.Loc.Line;
  // A check already made under weaker guards (nothing but checks since) is
  // not repeated.
  std::vector<std::string> Texts;
  currentGuard(Texts, /*Bind=*/false);
  for (auto It = St.Pre.rbegin(); It != St.Pre.rend(); ++It) {
    if (!It->IsCheck || It->Indent != St.PreIndent)
      break;
    bool Weaker = true;
    for (const std::string &G : It->GuardTexts)
      Weaker = Weaker && llvm::is_contained(Texts, G);
    if (Weaker && llvm::is_contained(It->FailTexts, Fail.Text))
      return;
  }
  JSExpr Guard = currentGuard(Texts, /*Bind=*/true);
  // An unconditional check of locals and constants holds from here to the
  // end of the block, or until one of the locals is assigned.
  Lasting = Lasting && Guard.Text.empty() && St.PreIndent == 0 && Fail.Pure &&
            !Fail.ReadsHeap;
  if (Lasting) {
    if (isProven(Key))
      return;
    Fact Fc;
    Fc.Key = Key;
    Fc.Reads.append(Fail.Reads.begin(), Fail.Reads.end());
    Fc.Reads.append(Reads.begin(), Reads.end());
    St.NewProven.push_back(std::move(Fc));
  }
  // Consecutive checks of one kind on one line share a statement.
  if (!St.Pre.empty()) {
    PreLine &L = St.Pre.back();
    if (L.IsCheck && L.Indent == St.PreIndent && L.Kind == Kind &&
        L.Line == Line && L.GuardTexts == Texts) {
      L.Fail = binary(L.Fail, "||", Fail);
      L.FailTexts.push_back(Fail.Text);
      return;
    }
  }
  PreLine L;
  L.Indent = St.PreIndent;
  L.IsCheck = true;
  L.Guard = Guard;
  L.GuardTexts = Texts;
  L.Fail = Fail;
  L.FailTexts.push_back(Fail.Text);
  L.Kind = Kind;
  L.Line = Line;
  St.Pre.push_back(std::move(L));
}

bool FunctionEmitter::boundedByLength(const Node &Cond, const Node &Coll,
                                      const Node &Idx) const {
  // Cond is `i < len(a)` or `i < n` with n = len(a), and a's length cannot
  // have shrunk since: then a[i] is not past the end.
  if (Cond.Opcode == Op::BoolAnd)
    return boundedByLength(*Cond.operand(0), Coll, Idx) ||
           boundedByLength(*Cond.operand(1), Coll, Idx);
  if (Cond.Opcode != Op::IntCmp || Cond.Predicate != kir::Pred::Lt ||
      Idx.Opcode != Op::LocalGet || Cond.operand(0)->Opcode != Op::LocalGet ||
      Cond.operand(0)->Var != Idx.Var || Coll.Opcode != Op::LocalGet ||
      !Facts.isStable(Coll.Var))
    return false;
  const kir::Local *A = Coll.Var;
  if (A->Ty->Kind == TypeKind::Array && Facts.mayPop(F, A->Ty))
    return false;
  auto LenOfA = [&](const Node *X) {
    return X &&
           (X->Opcode == Op::ArrayLen || X->Opcode == Op::StrLen ||
            X->Opcode == Op::BytesLen) &&
           X->operand(0)->Opcode == Op::LocalGet && X->operand(0)->Var == A;
  };
  const Node *Hi = Cond.operand(1);
  if (LenOfA(Hi) ||
      (Hi->Opcode == Op::LocalGet && LenOfA(Facts.initOf(Hi->Var))))
    return true;
  // Or a is array(n, v), n never assigned: a's length is n or more.
  const Node *Init = Facts.initOf(A);
  return Hi->Opcode == Op::LocalGet && Facts.isStable(Hi->Var) && Init &&
         Init->Opcode == Op::ArrayNew &&
         Init->operand(0)->Opcode == Op::LocalGet &&
         Init->operand(0)->Var == Hi->Var;
}

bool FunctionEmitter::knownBelowLength(const Node &Coll,
                                       const Node &Idx) const {
  for (const Guard &G : St.Guards)
    if (G.WhenTrue && G.Cond && boundedByLength(*G.Cond, Coll, Idx))
      return true;
  for (const Node *K : St.Known)
    if (boundedByLength(*K, Coll, Idx))
      return true;
  for (const Node *K : KnownConds)
    if (boundedByLength(*K, Coll, Idx))
      return true;
  return false;
}

/// Whether \p N reads a local that statement \p S assigns.
static bool readsAssigned(const Node &N, const Node &S) {
  if (N.Opcode == Op::LocalGet && assigns(S, N.Var))
    return true;
  for (const Node *O : N.Operands)
    if (readsAssigned(*O, S))
      return true;
  return false;
}

void FunctionEmitter::forgetAssignedIn(const Node &S) {
  llvm::erase_if(KnownConds,
                 [&](const Node *C) { return readsAssigned(*C, S); });
  llvm::erase_if(NonNullLocals,
                 [&](const kir::Local *L) { return assigns(S, L); });
  for (auto &Level : Proven)
    llvm::erase_if(Level, [&](const Fact &Fc) {
      return llvm::any_of(Fc.Reads,
                          [&](const kir::Local *L) { return assigns(S, L); });
    });
}

void FunctionEmitter::forgetAssignedInLoop(const Node &Loop) {
  // A loop body runs again after its own assignments: what it assigns is
  // not known anywhere in it.
  forgetAssignedIn(Loop);
}

bool FunctionEmitter::mayHoist(const Node &N) const {
  // A check of the op's own, or a binding of its operands.
  if (Facts.mayTrapOrMutate(F, N) && !isEffect(N))
    return true;
  if (N.Opcode == Op::NumMin || N.Opcode == Op::NumMax)
    return N.Ty->Kind == TypeKind::F64;
  if (N.Opcode == Op::MapGet)
    return hasEffect(*N.operand(2));
  return false;
}

/// An op that may have an effect or trap at run time, so a check hoisted
/// after it must not move in front of it.
bool FunctionEmitter::isEffect(const Node &N) const {
  if (N.Opcode == Op::Call)
    return !Facts.isPure(*N.Callee);
  return N.Opcode == Op::ArrayPop || N.Opcode == Op::StrParseInt ||
         N.Opcode == Op::IntCheckSafe || N.Opcode == Op::MapRemove;
}

bool FunctionEmitter::hasEffect(const Node &N) const {
  if (isEffect(N))
    return true;
  for (const Node *O : N.Operands)
    if (hasEffect(*O))
      return true;
  return false;
}

bool FunctionEmitter::scanHoist(const Node &N, bool &Effect) const {
  for (const Node *O : N.Operands)
    if (scanHoist(*O, Effect))
      return true;
  if (Effect && mayHoist(N))
    return true;
  if (isEffect(N))
    Effect = true;
  return false;
}

bool FunctionEmitter::effectBeforeHoist(const Node &N) const {
  bool Effect = false;
  return scanHoist(N, Effect);
}

/// Whether \p C, holding, says that local \p L is not null.
static bool impliesNonNull(const Node &C, const kir::Local *L) {
  if (C.Opcode == Op::BoolAnd)
    return impliesNonNull(*C.operand(0), L) ||
           impliesNonNull(*C.operand(1), L);
  if (C.Opcode != Op::BoolNot)
    return false;
  const Node &X = *C.operand(0);
  return X.Opcode == Op::RefIsNull && X.operand(0)->Opcode == Op::LocalGet &&
         X.operand(0)->Var == L;
}

bool FunctionEmitter::knownNonNull(const Node &Ref) const {
  // `while x != null { ... x.f ... }`, `if x != null && x.f > 0`: the
  // conditions that hold here, until x is assigned.
  if (Ref.Opcode != Op::LocalGet)
    return false;
  const kir::Local *L = Ref.Var;
  if (llvm::is_contained(NonNullLocals, L))
    return true;
  for (const Guard &G : St.Guards) {
    if (!G.Cond)
      continue;
    if (G.WhenTrue && impliesNonNull(*G.Cond, L))
      return true;
    // The right side of `x == null || ...`.
    if (!G.WhenTrue && G.Cond->Opcode == Op::RefIsNull &&
        G.Cond->operand(0)->Opcode == Op::LocalGet &&
        G.Cond->operand(0)->Var == L)
      return true;
  }
  for (const Node *K : St.Known)
    if (impliesNonNull(*K, L))
      return true;
  for (const Node *K : KnownConds)
    if (impliesNonNull(*K, L))
      return true;
  return false;
}

void FunctionEmitter::checkIndex(JSExpr &Coll, JSExpr &Idx, const Node &N) {
  const Node &CollNode = *N.operand(0);
  const Node &IdxNode = *N.operand(1);
  if (inBounds(CollNode, IdxNode))
    return;
  bindForDup(Coll);
  bindForDup(Idx, "index");
  // A length that cannot shrink: once in range, an index of the same
  // array stays in range (the check is not repeated in the block).
  JSExpr Len = member(Coll, "length");
  const Type *CT = CollNode.Ty;
  Len.ReadsHeap |= CT->Kind == TypeKind::Array && Facts.mayPop(F, CT);
  bool BelowEnd = knownBelowLength(CollNode, IdxNode);
  bool NonNeg = Idx.NonNeg || Facts.isNonNeg(IdxNode);
  if (BelowEnd && NonNeg)
    return;
  JSExpr Fail = binary(Idx, ">=", Len);
  if (BelowEnd)
    Fail = binary(Idx, "<", zero());
  else if (!NonNeg)
    Fail = binary(Fail, "||", binary(Idx, "<", zero()));
  addCheck(Fail, KC_TRAP_INDEX, N, indexKey(Coll, Idx));
}

JSExpr FunctionEmitter::emitRead(const Node &N) {
  // A read out of range gives undefined (NaN from charCodeAt), so it is
  // checked after the load: V8's own bounds check then makes ours free. A
  // read that runs only under a guard is checked before (loading past the
  // end there would teach V8 that the load may go out of bounds).
  Operands Ops(*this, N.Operands);
  JSExpr &Coll = Ops[0];
  JSExpr &Idx = Ops[1];
  const Node &CollNode = *N.operand(0);
  const Node &IdxNode = *N.operand(1);
  auto Load = [&] {
    JSExpr R = N.Opcode == Op::StrCodeAt ? method(Coll, "charCodeAt", {Idx})
                                         : index(Coll, Idx);
    R = typed(R, N.Ty);
    if (N.Opcode != Op::ArrayGet)
      R.NonNeg = true;
    else if (N.Ty->Kind == TypeKind::Bool && Facts.isTypedArray(CollNode.Ty))
      R.NumBool = JSExpr::Bit;
    R.ReadsHeap = R.ReadsHeap || N.Opcode == Op::ArrayGet;
    return R;
  };
  bool BelowEnd = knownBelowLength(CollNode, IdxNode);
  if (inBounds(CollNode, IdxNode) ||
      (BelowEnd && (Idx.NonNeg || Facts.isNonNeg(IdxNode))))
    return Load();
  // Knowing the upper bound leaves `i < 0`: one compare for an Array
  // (whose post-check costs one too), none after the load for a string or
  // a typed array, whose loads V8 types without undefined or NaN.
  const Type *CollTy = CollNode.Ty;
  bool FreePostCheck = CollTy->Kind != TypeKind::Array ||
                       Facts.isTypedArray(CollTy);
  if ((BelowEnd && !FreePostCheck) || !St.Guards.empty()) {
    checkIndex(Coll, Idx, N);
    return Load();
  }
  hoistPrep();
  std::string Key = indexKey(Coll, Idx);
  if (isProven(Key))
    return Load();
  const Type *CT = CollTy;
  bool Lasting = Coll.Pure && !Coll.ReadsHeap && Idx.Pure && !Idx.ReadsHeap &&
                 !(CT->Kind == TypeKind::Array && Facts.mayPop(F, CT));
  SmallVector<const kir::Local *, 2> Reads(Coll.Reads.begin(),
                                           Coll.Reads.end());
  Reads.append(Idx.Reads.begin(), Idx.Reads.end());
  JSExpr V = Load();
  std::string Name;
  if (St.DeclInit == &N && !Int32Locals.count(St.DeclVar) &&
      V.NumBool == JSExpr::NotNumBool) {
    // `const t = a[i];` is the binding: the check follows it.
    Name = localName(St.DeclVar);
    addLine((St.DeclVar->Mutable ? "let " : "const ") + Name + " = " + V.Text +
            ";");
    St.DeclBound = true;
    JSExpr A = atom(Name, V.Ty);
    A.InI32 = V.InI32;
    A.InU32 = V.InU32;
    A.Bound = V.Bound;
    A.NonNeg = V.NonNeg;
    A.Reads.push_back(St.DeclVar);
    V = A;
  } else {
    spill(V, N.Opcode == Op::StrCodeAt ? "code"
             : N.Opcode == Op::BytesAt ? "byte"
                                       : "item");
  }
  JSExpr Fail = N.Opcode == Op::StrCodeAt
                    ? call("Number.isNaN", {V})
                    : binary(V, "===", atom("undefined", nullptr));
  Fail.Reads.clear();
  addCheck(Fail, KC_TRAP_INDEX, N, Key, Lasting, Reads);
  return V;
}

void FunctionEmitter::checkDivisor(JSExpr &B, const Node &Divisor,
                                   const Node &N) {
  if (isNonZeroConst(Divisor))
    return;
  bindForDup(B, "divisor");
  addCheck(binary(B, "===", zero()), KC_TRAP_DIV_ZERO, N);
}

} // namespace jsgen
} // namespace kc
