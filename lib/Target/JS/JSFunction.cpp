//===- JSFunction.cpp - One kernel function as a JS function --------------===//
//
// Statements are printed one per line; an expression tree becomes one JS
// expression, built bottom-up as JSExpr values (JSSyntax.h), in KIR's
// evaluation order: operands left to right, then the op's own check.
//
// Checks are statements next to the statement that needs them: a write or
// a division is checked before, a read right after the load (out of range,
// it gives undefined, or NaN from charCodeAt, and V8's own bounds check
// then makes our test free):
//
//   const t = a[i];
//   if (t === undefined) throw new KernelTrap("index out of range", 7);
//   if (j >= b.length || j < 0) throw new KernelTrap("index out of range", 8);
//   b[j] = t;
//
// That is only the same program if everything evaluated before the check,
// and again after it, is pure. So while an expression is built, the
// operands evaluated but not yet consumed are "pending"; before a check is
// hoisted, every pending operand with an effect (a call that may trap or
// change the heap, a pop, a checked-mode helper) is bound to a `const`,
// together with what is evaluated before it, in order. Operands a check
// repeats are repeated only when cheap (a name, `i + 1`, `s.length`), else
// bound. A check in the right side of && or || runs under the left side
// (`if (j < n && j < 0) throw ...`), and the && becomes an if when that side
// also has an effect before a check. A check is not repeated while what it
// reads is unchanged, and facts like `i < len(s)` from an enclosing while or
// if, or `for i in 0..len(a)`, remove checks they imply.
//
// 32-bit integers are kept in the form a JS engineer writes: wrapping is
// done once, where a value is used as a number (`(a + b + c) | 0`,
// `Math.imul(h ^ b, 16777619) >>> 0`), since every bitwise operator and
// Math.imul wraps its operands itself (JSExpr::Bound says when that is
// exact), and a u32 hash updated in a loop stays an int32 there.
// README.md explains each choice and the measurements behind it.
//
//===----------------------------------------------------------------------===//

#include "JSEmitter.h"
#include "runtimes/native/kcrt.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/SaveAndRestore.h"
#include <functional>

using namespace llvm;

namespace kc {
namespace jsgen {

using kir::Node;
using kir::Op;
using kir::Type;
using kir::TypeKind;

const char *trapMessage(int Kind) {
  static const char *const Messages[] = {
#define KC_TRAP_MESSAGE(E, M) M,
      KC_TRAPS(KC_TRAP_MESSAGE)
#undef KC_TRAP_MESSAGE
  };
  return Messages[Kind];
}

/// Whether statement \p S assigns \p L, in nested blocks included.
bool assigns(const Node &S, const kir::Local *L) {
  if (S.Opcode == Op::LocalSet && S.Var == L)
    return true;
  for (const kir::Block *R : S.Regions)
    for (const Node *Inner : R->Stmts)
      if (assigns(*Inner, L))
        return true;
  return false;
}

/// Whether running \p B may push, pop or call (and so resize an array).
bool mayResize(const Node &N) {
  if (N.Opcode == Op::ArrayPush || N.Opcode == Op::ArrayPop ||
      N.Opcode == Op::Call)
    return true;
  for (const Node *O : N.Operands)
    if (mayResize(*O))
      return true;
  for (const kir::Block *R : N.Regions)
    for (const Node *S : R->Stmts)
      if (mayResize(*S))
        return true;
  return false;
}

bool mayResize(const kir::Block &B) {
  for (const Node *S : B.Stmts)
    if (mayResize(*S))
      return true;
  return false;
}

bool assigns(const kir::Block &B, const kir::Local *L) {
  for (const Node *S : B.Stmts)
    if (assigns(*S, L))
      return true;
  return false;
}

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

bool FunctionEmitter::needsRangeEnd(const Node &Loop) const {
  // `for (let i = lo; i < hi; i++)` re-reads hi: fine when nothing in the
  // loop can change it.
  const Node &Hi = *Loop.operand(1);
  const kir::Block &Body = *Loop.Regions[0];
  if (Hi.Opcode == Op::IntConst)
    return false;
  if (Hi.Opcode == Op::LocalGet)
    return assigns(Body, Hi.Var);
  // A string's length is a small integer to V8; a typed array's is not, and
  // comparing with it costs conversions: read it once.
  if (Hi.Opcode == Op::StrLen && Hi.operand(0)->Opcode == Op::LocalGet)
    return assigns(Body, Hi.operand(0)->Var);
  // An Array's length is a small integer too; it is re-read only if the
  // body can neither push, pop nor call.
  if (Hi.Opcode == Op::ArrayLen && Hi.operand(0)->Opcode == Op::LocalGet &&
      !Facts.isTypedArray(Hi.operand(0)->Ty))
    return assigns(Body, Hi.operand(0)->Var) || mayResize(Body);
  return true;
}

void FunctionEmitter::walkUses(const Node &N) {
  if (N.Opcode == Op::LocalGet)
    Namer.use(LocalIds.find(N.Var)->second);
  for (const Node *O : N.Operands)
    walkUses(*O);
}

void FunctionEmitter::walkBlock(const kir::Block &B) {
  for (const Node *S : B.Stmts) {
    walkStmt(*S);
    if (isTerminator(*S))
      return;
  }
}

void FunctionEmitter::walkStmt(const Node &S) {
  // The loop header's expressions are printed inside the loop's scope
  // (`for (let i = lo; ...)`, the condition of a split while), so their uses
  // count there.
  Op O = S.Opcode;
  if (O == Op::LocalDecl) {
    walkUses(*S.operand(0));
    LocalIds[S.Var] = Namer.declare({S.Var->Name});
    return;
  }
  if (O == Op::LocalSet) {
    walkUses(*S.operand(0));
    Namer.use(LocalIds.find(S.Var)->second);
    return;
  }
  if (O == Op::If) {
    walkUses(*S.operand(0));
    for (const kir::Block *R : S.Regions) {
      Namer.openScope();
      walkBlock(*R);
      Namer.closeScope();
    }
    return;
  }
  if (!isOneOf(O, {Op::While, Op::ForRange, Op::ForEach, Op::ForMap})) {
    // Every other statement has expression operands only.
    assert(S.Regions.empty() && "a statement with blocks unknown here");
    for (const Node *Operand : S.Operands)
      walkUses(*Operand);
    return;
  }
  Namer.openScope();
  for (const Node *Operand : S.Operands)
    walkUses(*Operand);
  if (O == Op::ForRange) {
    if (needsRangeEnd(S))
      RangeEndIds[&S] = Namer.declare({"end"}, /*Hidden=*/true);
    LocalIds[S.Var] = Namer.declare({S.Var->Name});
  } else if (O == Op::ForEach) {
    LoopIndexIds[&S] = Namer.declare({"i", "j", "k"}, /*Hidden=*/true);
    if (isFixedLength(S.operand(0)->Ty))
      LoopLengthIds[&S] = Namer.declare({"n", "len"}, /*Hidden=*/true);
    LocalIds[S.Var] = Namer.declare({S.Var->Name});
  } else if (O == Op::ForMap) {
    if (Facts.mayRemoveDuring(S))
      LoopIndexIds[&S] = Namer.declare({"i", "j", "k"}, /*Hidden=*/true);
    LocalIds[S.Var] = Namer.declare({S.Var->Name});
    LocalIds[S.Var2] = Namer.declare({S.Var2->Name});
  }
  walkBlock(*S.Regions[0]);
  Namer.closeScope();
}

void FunctionEmitter::nameLocals() {
  for (const kir::Local *P : F.Params)
    LocalIds[P] = Namer.declare({P->Name});
  walkBlock(*F.Body);
  Namer.assign();
}

std::string FunctionEmitter::freshTemp(StringRef Base) {
  for (unsigned N = 1;; ++N) {
    std::string C = N == 1 ? Base.str() : Base.str() + "_" + std::to_string(N);
    if (isReservedName(C) || MC.ModuleNames.contains(C) ||
        Namer.namesInUse().contains(C) || Temps.contains(C))
      continue;
    Temps.insert(C);
    return C;
  }
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

/// The ?R local that `if x == null { ...; return; }` (no else) proves not
/// null after it, or null.
static const kir::Local *nullExit(const Node &S) {
  if (S.Opcode != Op::If || !S.Regions[1]->Stmts.empty() ||
      S.Regions[0]->Stmts.empty() || !isTerminator(*S.Regions[0]->Stmts.back()))
    return nullptr;
  // `x == null || c` leaves when x is null too.
  const Node *C = S.operand(0);
  while (C->Opcode == Op::BoolOr)
    C = C->operand(0);
  if (C->Opcode != Op::RefIsNull || C->operand(0)->Opcode != Op::LocalGet)
    return nullptr;
  return C->operand(0)->Var;
}

void FunctionEmitter::emitBlock(const kir::Block &B) {
  std::vector<const Node *> SavedKnown = KnownConds;
  std::vector<const kir::Local *> SavedNonNull = NonNullLocals;
  for (const Node *S : B.Stmts) {
    emitStmt(*S);
    forgetAssignedIn(*S);
    if (isTerminator(*S))
      break; // what follows is dead
    if (const kir::Local *L = nullExit(*S))
      NonNullLocals.push_back(L);
  }
  KnownConds = SavedKnown;
  NonNullLocals = SavedNonNull;
}

/// The JS compound assignment operator for `x = x op v`, when x op= v means
/// exactly the KIR op (the result needs no wrapping), or "".
StringRef FunctionEmitter::compoundOp(const Node &Value,
                                      bool Int32Target) const {
  Op O = Value.Opcode;
  auto ConstShift = [&] {
    return Value.operand(1)->Opcode == Op::U32Const &&
           (Value.operand(1)->IntVal & 31) != 0;
  };
  // A u32 kept as an int32 takes every bitwise result as it is; `>>>` is
  // below 2^31 only when it shifts by 1..31.
  if (Int32Target) {
    static const std::pair<Op, const char *> Int32Ops[] = {{Op::U32And, "&="},
                                                           {Op::U32Or, "|="},
                                                           {Op::U32Xor, "^="},
                                                           {Op::U32Shl, "<<="}};
    for (const auto &[K, Text] : Int32Ops)
      if (O == K)
        return Text;
    return O == Op::U32Shr && ConstShift() ? ">>>=" : "";
  }
  static const std::pair<Op, const char *> Ops[] = {
      {Op::IntAdd, "+="},  {Op::F64Add, "+="},  {Op::StrConcat, "+="},
      {Op::IntSub, "-="},  {Op::F64Sub, "-="},  {Op::IntMul, "*="},
      {Op::F64Mul, "*="},  {Op::F64Div, "/="},  {Op::IntRem, "%="},
      {Op::F64Rem, "%="},  {Op::I32And, "&="},  {Op::I32Or, "|="},
      {Op::I32Xor, "^="},  {Op::I32Shl, "<<="}, {Op::I32Shr, ">>="},
      {Op::U32Shr, ">>>="}};
  for (const auto &[K, Text] : Ops)
    if (O == K)
      return Text;
  // With a mask below 2^31, x & mask is a valid u32.
  if (O == Op::U32And && Value.operand(1)->Opcode == Op::U32Const &&
      Value.operand(1)->IntVal < 0x80000000)
    return "&=";
  return "";
}

/// Whether two target operands are the same name or constant.
bool FunctionEmitter::sameTarget(const Node &A, const Node &B) const {
  if (A.Opcode != B.Opcode)
    return false;
  if (A.Opcode == Op::LocalGet)
    return A.Var == B.Var;
  if (A.Opcode == Op::IntConst)
    return A.IntVal == B.IntVal;
  return false;
}

void FunctionEmitter::emitAssign(const Node &S) {
  // The target's operands, then the value; array.set checks its index after
  // the value, as every op checks after its operands.
  const Node &Value = *S.Operands.back();
  bool Int32Target = S.Opcode == Op::LocalSet && Int32Locals.count(S.Var);
  StringRef Compound = compoundOp(Value, Int32Target);
  const Node *Read = Compound.empty() ? nullptr : Value.operand(0);
  // x op= v reads the target before evaluating v, as the KIR does; with an
  // effect in v the read could move after a bound call, so not then.
  if (Read && S.Opcode != Op::LocalSet && hasEffect(*Value.operand(1)))
    Read = nullptr;
  // ...and the op's left operand must read the target itself.
  assert(isOneOf(S.Opcode, {Op::LocalSet, Op::FieldSet, Op::ArraySet}) &&
         "not an assignment");
  if (Read && S.Opcode == Op::LocalSet &&
      !(Read->Opcode == Op::LocalGet && Read->Var == S.Var))
    Read = nullptr;
  if (Read && S.Opcode == Op::FieldSet &&
      !(Read->Opcode == Op::FieldGet && Read->IntVal == S.IntVal &&
        sameTarget(*Read->operand(0), *S.operand(0))))
    Read = nullptr;
  if (Read && S.Opcode == Op::ArraySet &&
      !(Read->Opcode == Op::ArrayGet &&
        sameTarget(*Read->operand(0), *S.operand(0)) &&
        sameTarget(*Read->operand(1), *S.operand(1))))
    Read = nullptr;

  beginStmt();
  std::vector<const Node *> TargetOps(S.Operands.begin(), S.Operands.end() - 1);
  Operands Tgt(*this, TargetOps);
  auto Target = [&]() -> std::string {
    if (S.Opcode == Op::LocalSet)
      return localName(S.Var);
    if (S.Opcode == Op::FieldSet)
      return member(Tgt[0], S.operand(0)->Ty->Rec->Fields[S.IntVal].Name).Text;
    return index(Tgt[0], Tgt[1]).Text;
  };

  if (Read) {
    // x op= v: the read's own check, then v, then the op's check.
    if (S.Opcode == Op::ArraySet)
      checkIndex(Tgt[0], Tgt[1], *Read);
    Operands V(*this, {Value.operand(1)});
    if (Value.Opcode == Op::IntRem)
      checkDivisor(V[0], *Value.operand(1), Value);
    if (S.Opcode == Op::ArraySet)
      checkIndex(Tgt[0], Tgt[1], S);
    flushPre();
    line(Target() + " " + Compound.str() + " " + V[0].Text + ";");
    return;
  }
  Operands V(*this, {&Value});
  if (S.Opcode == Op::LocalSet)
    canonFor(V[0], S.Var);
  else if (S.Opcode == Op::ArraySet)
    canonForElem(V[0], S.operand(0)->Ty);
  else
    canon(V[0]);
  if (S.Opcode == Op::ArraySet)
    checkIndex(Tgt[0], Tgt[1], S);
  flushPre();
  line(Target() + " = " + V[0].Text + ";");
}

void FunctionEmitter::emitIf(const Node &N) {
  beginStmt();
  JSExpr C = emitExpr(*N.operand(0));
  flushPre();
  line("if (" + C.Text + ") {");
  emitThen(N);
  emitElse(N);
}

void FunctionEmitter::emitThen(const Node &N) {
  KnownConds.push_back(N.operand(0));
  emitRegion(*N.Regions[0]);
  KnownConds.pop_back();
}

void FunctionEmitter::emitElse(const Node &N) {
  if (N.Regions.size() < 2 || N.Regions[1]->Stmts.empty()) {
    line("}");
    return;
  }
  const kir::Block &Else = *N.Regions[1];
  if (Else.Stmts.size() != 1 || Else.Stmts[0]->Opcode != Op::If) {
    line("} else {");
    emitRegion(Else);
    line("}");
    return;
  }
  // else if, unless the inner condition needs lines in front of it.
  const Node &Inner = *Else.Stmts[0];
  beginStmt();
  JSExpr C = emitExpr(*Inner.operand(0));
  if (St.Pre.empty()) {
    line("} else if (" + C.Text + ") {");
    emitThen(Inner);
    emitElse(Inner);
    return;
  }
  line("} else {");
  ++Depth;
  Proven.emplace_back();
  flushPre();
  line("if (" + C.Text + ") {");
  emitThen(Inner);
  emitElse(Inner);
  Proven.pop_back();
  --Depth;
  line("}");
}

static void conjuncts(const Node &C, std::vector<const Node *> &Out) {
  if (C.Opcode == Op::BoolAnd) {
    conjuncts(*C.operand(0), Out);
    Out.push_back(C.operand(1));
    return;
  }
  Out.push_back(&C);
}

void FunctionEmitter::emitWhile(const Node &N) {
  const Node &Cond = *N.operand(0);
  forgetAssignedInLoop(N);
  StringSet<> SavedTemps = Temps;
  beginStmt();
  JSExpr C = emitExpr(Cond);
  if (St.Pre.empty()) {
    line("while (" + C.Text + ") {");
    KnownConds.push_back(&Cond);
    emitRegion(*N.Regions[0]);
    KnownConds.pop_back();
    line("}");
    return;
  }
  // The condition needs lines in front of it, which must run before every
  // test: `while (a && b)` becomes
  //   while (a) { ...checks of b...; if (!b) break; body }
  // keeping in the header the longest prefix of && operands that needs none.
  Temps = SavedTemps;
  std::vector<const Node *> Parts;
  conjuncts(Cond, Parts);
  size_t M = 0;
  JSExpr Prefix;
  for (; M < Parts.size(); ++M) {
    StringSet<> Before = Temps;
    beginStmt();
    JSExpr P = emitExpr(*Parts[M]);
    if (!St.Pre.empty()) {
      Temps = Before;
      break;
    }
    Prefix = M ? binary(Prefix, "&&", P) : P;
  }
  if (M == Parts.size()) {
    // No operand needs a check alone, only their combination (a short
    // circuit whose right side calls a function that may trap): the whole
    // condition moves into the loop.
    Temps = SavedTemps;
    M = 0;
  }
  line("while (" + (M ? Prefix.Text : std::string("true")) + ") {");
  ++Depth;
  beginStmt();
  // The header's operands hold here, and each operand of the rest where the
  // next is evaluated (its checks are guarded by the rest so far).
  St.Known.assign(Parts.begin(), Parts.begin() + M);
  JSExpr Rest = emitExpr(*Parts[M]);
  for (size_t K = M + 1; K < Parts.size(); ++K) {
    St.Pending.push_back(&Rest);
    St.Known.push_back(Parts[K - 1]);
    JSExpr Next = shortCircuit(Rest, nullptr, *Parts[K], /*IsAnd=*/true);
    St.Pending.pop_back();
    Rest = Next;
  }
  Proven.emplace_back();
  flushPre();
  line("if (" + negate(Rest).Text + ") break;");
  KnownConds.push_back(&Cond);
  emitBlock(*N.Regions[0]);
  KnownConds.pop_back();
  Proven.pop_back();
  --Depth;
  line("}");
}

std::string FunctionEmitter::stableCollection(JSExpr &E, const Node &Coll,
                                              const Node &Loop,
                                              StringRef Base) {
  // A loop evaluates its collection once: a local the body never assigns
  // can be named directly, anything else is bound first.
  if (!(Coll.Opcode == Op::LocalGet && !assigns(*Loop.Regions[0], Coll.Var))) {
    hoistPrep();
    spill(E, Base);
  }
  return E.Text;
}

void FunctionEmitter::emitForRange(const Node &N) {
  beginStmt();
  Operands Ops(*this, N.Operands);
  flushPre();
  forgetAssignedInLoop(N);
  const std::string &V = localName(N.Var);
  JSExpr Var = atom(V, N.Var->Ty);
  std::string Init = "let " + V + " = " + Ops[0].Text;
  JSExpr Hi = Ops[1];
  auto End = RangeEndIds.find(&N);
  if (End != RangeEndIds.end()) {
    const std::string &EndName = Namer.name(End->second);
    Init += ", " + EndName + " = " + Ops[1].Text;
    Hi = atom(EndName, N.Var->Ty);
  }
  line("for (" + Init + "; " + binary(Var, "<", Hi).Text + "; " + V + "++) {");
  emitRegion(*N.Regions[0]);
  line("}");
}

void FunctionEmitter::emitForEach(const Node &N) {
  const Node &CollNode = *N.operand(0);
  TypeKind K = CollNode.Ty->Kind;
  beginStmt();
  Operands Ops(*this, N.Operands);
  std::string Coll = stableCollection(Ops[0], CollNode, N,
                                      K == TypeKind::Array ? "items"
                                      : K == TypeKind::Str ? "text"
                                                           : "data");
  flushPre();
  forgetAssignedInLoop(N);
  const std::string &I = Namer.name(LoopIndexIds.find(&N)->second);
  auto Len = LoopLengthIds.find(&N);
  if (Len != LoopLengthIds.end()) {
    // The length cannot change: read it once.
    const std::string &NName = Namer.name(Len->second);
    line("for (let " + I + " = 0, " + NName + " = " + Coll + ".length; " + I +
         " < " + NName + "; " + I + "++) {");
  } else {
    // An index loop that re-reads the length: the body may push or pop.
    line("for (let " + I + " = 0; " + I + " < " + Coll + ".length; " + I +
         "++) {");
  }
  ++Depth;
  std::string Elem = K == TypeKind::Str ? Coll + ".charCodeAt(" + I + ")"
                                        : Coll + "[" + I + "]";
  if (K == TypeKind::Array && CollNode.Ty->Elem->Kind == TypeKind::Bool &&
      Facts.isTypedArray(CollNode.Ty))
    Elem += " === 1"; // a bool local holds a boolean
  line("const " + localName(N.Var) + " = " + Elem + ";");
  Proven.emplace_back();
  emitBlock(*N.Regions[0]);
  Proven.pop_back();
  --Depth;
  line("}");
}

void FunctionEmitter::emitForMap(const Node &N) {
  beginStmt();
  Operands Ops(*this, N.Operands);
  std::string Map = stableCollection(Ops[0], *N.operand(0), N, "map");
  if (Facts.mayRemoveDuring(N)) {
    emitForMapKeys(N, Map);
    return;
  }
  std::string Size = freshTemp("size");
  flushPre();
  forgetAssignedInLoop(N);
  // Map iteration is in insertion order and sees entries added meanwhile,
  // so a new key shows up as a changed size before its step runs.
  line("const " + Size + " = " + Map + ".size;");
  line("for (const [" + localName(N.Var) + ", " + localName(N.Var2) + "] of " +
       Map + ") {");
  ++Depth;
  line("if (" + Map + ".size !== " + Size + ") throw new KernelTrap(" +
       quoteString(trapMessage(KC_TRAP_MAP_MODIFIED)) + ", " +
       std::to_string(N.Loc.Line) + ");");
  Proven.emplace_back();
  emitBlock(*N.Regions[0]);
  Proven.pop_back();
  --Depth;
  line("}");
}

void FunctionEmitter::emitForMapKeys(const Node &N, const std::string &Map) {
  // The body may remove keys: a copy of the keys taken at the start is
  // walked, each looked up at its step (a Map's values are never
  // undefined), and the size is checked before every step, the last one
  // included.
  std::string Keys = freshTemp("keys");
  std::string Size = freshTemp("size");
  flushPre();
  forgetAssignedInLoop(N);
  const std::string &I = Namer.name(LoopIndexIds.find(&N)->second);
  std::string Trap = "throw new KernelTrap(" +
                     quoteString(trapMessage(KC_TRAP_MAP_MODIFIED)) + ", " +
                     std::to_string(N.Loc.Line) + ");";
  line("const " + Keys + " = [..." + Map + ".keys()];");
  line("const " + Size + " = " + Keys + ".length;");
  line("for (let " + I + " = 0; ; " + I + "++) {");
  ++Depth;
  line("if (" + Map + ".size !== " + Size + ") " + Trap);
  line("if (" + I + " === " + Size + ") break;");
  const std::string &K = localName(N.Var);
  const std::string &V = localName(N.Var2);
  line("const " + K + " = " + Keys + "[" + I + "];");
  line("const " + V + " = " + Map + ".get(" + K + ");");
  line("if (" + V + " === undefined) " + Trap);
  Proven.emplace_back();
  emitBlock(*N.Regions[0]);
  Proven.pop_back();
  --Depth;
  line("}");
}

void FunctionEmitter::emitStmt(const Node &S) {
  SaveAndRestore<unsigned> AtLine(CurLine, S.Loc.Line ? S.Loc.Line : CurLine);
  switch (S.Opcode) {
  case Op::LocalDecl: {
    beginStmt();
    St.DeclInit = S.operand(0);
    St.DeclVar = S.Var;
    JSExpr V = emitExpr(*S.operand(0));
    canonFor(V, S.Var);
    bool Bound = St.DeclBound;
    flushPre();
    if (!Bound)
      line((S.Var->Mutable ? "let " : "const ") + localName(S.Var) + " = " +
           V.Text + ";");
    return;
  }
  case Op::LocalSet:
  case Op::FieldSet:
  case Op::ArraySet:
    emitAssign(S);
    return;
  case Op::ArrayPush: {
    beginStmt();
    Operands Ops(*this, S.Operands);
    canon(Ops[1]);
    flushPre();
    line(method(Ops[0], "push", {Ops[1]}).Text + ";");
    return;
  }
  case Op::MapSet: {
    beginStmt();
    Operands Ops(*this, S.Operands);
    canon(Ops[2]);
    flushPre();
    line(method(Ops[0], "set", {Ops[1], Ops[2]}).Text + ";");
    return;
  }
  case Op::Eval: {
    beginStmt();
    JSExpr V = emitExpr(*S.operand(0));
    flushPre();
    line(V.Text + ";");
    return;
  }
  case Op::Return: {
    if (S.Operands.empty()) {
      line("return;");
      return;
    }
    beginStmt();
    JSExpr V = emitExpr(*S.operand(0));
    canon(V);
    flushPre();
    line("return " + V.Text + ";");
    return;
  }
  case Op::Break:
    line("break;");
    return;
  case Op::Continue:
    line("continue;");
    return;
  case Op::If:
    emitIf(S);
    return;
  case Op::While:
    emitWhile(S);
    return;
  case Op::ForRange:
    emitForRange(S);
    return;
  case Op::ForEach:
    emitForEach(S);
    return;
  case Op::ForMap:
    emitForMap(S);
    return;

  case Op::BoolConst:
  case Op::I32Const:
  case Op::U32Const:
  case Op::IntConst:
  case Op::F64Const:
  case Op::StrConst:
  case Op::LocalGet:
  case Op::I32Add:
  case Op::I32Sub:
  case Op::I32Mul:
  case Op::I32Div:
  case Op::I32Rem:
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
  case Op::U32Div:
  case Op::U32Rem:
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
  case Op::IntDiv:
  case Op::IntRem:
  case Op::IntNeg:
  case Op::IntCmp:
  case Op::IntCheckSafe:
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
  case Op::F64ToI32:
  case Op::F64ToU32:
  case Op::F64ToInt:
  case Op::StrLen:
  case Op::StrCodeAt:
  case Op::StrSlice:
  case Op::StrConcat:
  case Op::StrCmp:
  case Op::StrFromInt:
  case Op::StrParseInt:
  case Op::StrFromCode:
  case Op::StrFind:
  case Op::StrStartsWith:
  case Op::StrSplit:
  case Op::StrLower:
  case Op::StrJoin:
  case Op::StrTrim:
  case Op::StrReplace:
  case Op::StrContains:
  case Op::StrFromCodes:
  case Op::BytesLen:
  case Op::BytesAt:
  case Op::BytesSlice:
  case Op::BytesU32Le:
  case Op::ArrayNew:
  case Op::ArrayLit:
  case Op::ArrayLen:
  case Op::ArrayGet:
  case Op::ArrayPop:
  case Op::RecordNew:
  case Op::FieldGet:
  case Op::MapNew:
  case Op::MapLen:
  case Op::MapGet:
  case Op::MapAt:
  case Op::MapHas:
  case Op::MapRemove:
  case Op::RefNull:
  case Op::RefAsNullable:
  case Op::RefIsNull:
  case Op::RefAsNonNull:
  case Op::Call:
    break;
  }
  llvm_unreachable("expression op as a statement (KIR verifier)");
}

void FunctionEmitter::chooseInt32Locals() {
  // A u32 variable assigned in a loop whose every use in loops is a bitwise
  // operand (or a store to a typed array) is kept as an int32 bit pattern,
  // as JS engineers keep hashes: the loop then never wraps it with >>> 0,
  // and V8 keeps it a small integer instead of boxing values >= 2^31. Uses
  // outside loops add the `>>> 0`.
  DenseSet<const kir::Local *> AssignedInLoop, Sensitive;
  std::function<void(const Node &, const Node *, unsigned, unsigned)> Walk =
      [&](const Node &N, const Node *Parent, unsigned OpIdx, unsigned Loops) {
        if (N.Opcode == Op::LocalGet && Loops && N.Ty->Kind == TypeKind::U32) {
          bool Insensitive =
              Parent &&
              (isOneOf(Parent->Opcode,
                       {Op::U32And, Op::U32Or, Op::U32Xor, Op::U32Not,
                        Op::U32Shl, Op::U32Shr, Op::U32Mul, Op::U32Add,
                        Op::U32Sub, Op::U32Neg, Op::U32ToI32}) ||
               (Parent->Opcode == Op::ArraySet && OpIdx == 2 &&
                Facts.isTypedArray(Parent->operand(0)->Ty)));
          if (!Insensitive)
            Sensitive.insert(N.Var);
        }
        if (N.Opcode == Op::LocalSet && Loops)
          AssignedInLoop.insert(N.Var);
        bool IsLoop = N.Opcode == Op::While || N.Opcode == Op::ForRange ||
                      N.Opcode == Op::ForEach || N.Opcode == Op::ForMap;
        for (unsigned I = 0; I < N.Operands.size(); ++I)
          Walk(*N.operand(I), &N, I,
               Loops + (N.Opcode == Op::While ? 1 : 0)); // re-tested
        for (const kir::Block *R : N.Regions)
          for (const Node *S : R->Stmts)
            Walk(*S, nullptr, 0, Loops + (IsLoop ? 1 : 0));
      };
  for (const Node *S : F.Body->Stmts)
    Walk(*S, nullptr, 0, 0);
  for (const auto &L : F.Locals)
    if (L->Ty->Kind == TypeKind::U32 && L->Mutable &&
        !llvm::is_contained(F.Params, L.get()) &&
        AssignedInLoop.count(L.get()) && !Sensitive.count(L.get()))
      Int32Locals.insert(L.get());
}

std::string FunctionEmitter::run() {
  nameLocals();
  chooseInt32Locals();
  const std::string &Name = MC.FunctionNames.lookup(&F);
  bool Export = Facts.isExported(F) && Name == F.Name;
  std::string Params;
  for (const kir::Local *P : F.Params)
    Params += (Params.empty() ? "" : ", ") + localName(P);
  CurLine = F.Loc.Line;
  line(std::string(Export ? "export " : "") + "function " + Name + "(" +
       Params + ") {");
  emitRegion(*F.Body);
  CurLine = F.Loc.Line;
  line("}");
  return Out;
}

std::string emitFunction(ModuleContext &MC, const kir::Function &F,
                         std::vector<unsigned> *Lines) {
  FunctionEmitter FE(MC, F);
  std::string Text = FE.run();
  if (Lines)
    *Lines = FE.takeLines();
  return Text;
}

} // namespace jsgen
} // namespace kc
