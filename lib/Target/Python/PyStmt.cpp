//===- PyStmt.cpp - KIR statements and functions to Python ----------------===//
//
// One statement per line, 4-space indentation. Compound assignments come
// back as augmented assignments (x += 1, a[i] -= d, b.vx += f), which is
// what Python programmers write and what CPython runs fastest.
//
//===----------------------------------------------------------------------===//

#include "PyEmitter.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/SaveAndRestore.h"
#include <functional>
#include <map>

using namespace kc;
using namespace kc::pygen;
using kir::Node;
using kir::Op;
using kir::TypeKind;

static const char *const TrapIndex = "index out of range";

FunctionEmitter::FunctionEmitter(const ModuleContext &MC,
                                 const kir::Function &F,
                                 const llvm::StringSet<> &Reserved)
    : MC(MC), A(MC.A), F(F), Names(F, Reserved) {}

std::string FunctionEmitter::global(llvm::StringRef Name) {
  Globals.insert(Name.str());
  return Name.str();
}

void FunctionEmitter::beginLine() {
  CurImplicit = 0;
  CurKernelLine = 0;
  WalrusUsed.clear();
}

void FunctionEmitter::endLine(std::string Text) {
  Lines.push_back(
      {Indent, std::move(Text), CurImplicit, CurKernelLine, StmtLine});
  beginLine();
}

std::string FunctionEmitter::claim(ImplicitKind Kind, uint32_t Line) {
  CurImplicit |= Kind;
  if (!CurKernelLine)
    CurKernelLine = Line;
  return lineMarker(Line);
}

std::string pygen::lineMarker(uint32_t Line) {
  return "\x01" + std::to_string(Line) + "\x02";
}

/// The kernel line of the marker \p Text starts with, or 0.
static uint32_t leadingMarker(llvm::StringRef Text) {
  if (!Text.starts_with("\x01"))
    return 0;
  size_t End = Text.find('\x02');
  uint32_t Line = 0;
  Text.slice(1, End).getAsInteger(10, Line);
  return Line;
}

PyExpr FunctionEmitter::separate(PyExpr E, uint32_t Line) {
  // Python reports an error at the line its node starts on; a node that
  // starts with an operand from another line starts with a parenthesis.
  uint32_t First = leadingMarker(E.Text);
  if (First && First != Line)
    return {"(" + E.Text + ")", PAtom};
  return E;
}

std::vector<std::pair<std::string, uint32_t>>
pygen::splitAtMarkers(unsigned Indent, llvm::StringRef Text) {
  // Each physical line holds the error sources of one kernel line. A break
  // inside brackets is implicit; outside it takes a backslash.
  std::vector<std::pair<std::string, uint32_t>> Out;
  std::string Cur(Indent * 4, ' ');
  uint32_t CurLine = 0;
  int Depth = 0;
  char Quote = 0;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (Quote) {
      Cur += C;
      if (C == '\\' && I + 1 < Text.size())
        Cur += Text[++I];
      else if (C == Quote)
        Quote = 0;
      continue;
    }
    if (C == '\x01') {
      size_t End = Text.find('\x02', I);
      uint32_t Line = 0;
      Text.slice(I + 1, End).getAsInteger(10, Line);
      I = End;
      if (!CurLine || Line == CurLine) {
        CurLine = Line;
        continue;
      }
      while (!Cur.empty() && Cur.back() == ' ')
        Cur.pop_back();
      if (Depth == 0)
        Cur += " \\";
      Out.push_back({Cur, CurLine});
      Cur = std::string((Indent + 1) * 4, ' ');
      CurLine = Line;
      continue;
    }
    if (C == '"' || C == '\'')
      Quote = C;
    else if (C == '(' || C == '[' || C == '{')
      ++Depth;
    else if (C == ')' || C == ']' || C == '}')
      --Depth;
    Cur += C;
  }
  Out.push_back({Cur, CurLine});
  return Out;
}

std::string FunctionEmitter::walrusName(llvm::StringRef Base) {
  // One name per base and position in the statement, reused by every
  // statement (a walrus target lives within its statement).
  unsigned Index = WalrusUsed[Base]++;
  std::vector<std::string> &Names_ = WalrusNames[Base];
  if (Index == Names_.size())
    Names_.push_back(Names.fresh(Base));
  return Names_[Index];
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static bool usesLocal(const kir::Block &B, const kir::Local *L);

static bool usesLocal(const Node &N, const kir::Local *L) {
  if (N.Opcode == Op::LocalGet && N.Var == L)
    return true;
  for (const Node *O : N.Operands)
    if (usesLocal(*O, L))
      return true;
  for (const kir::Block *R : N.Regions)
    if (usesLocal(*R, L))
      return true;
  return false;
}

static bool usesLocal(const kir::Block &B, const kir::Local *L) {
  for (const Node *S : B.Stmts)
    if (usesLocal(*S, L))
      return true;
  return false;
}

static bool assignsLocal(const kir::Block &B, const kir::Local *L);

/// Whether statement \p S assigns \p L.
static bool assignsLocal(const Node *S, const kir::Local *L) {
  if (S->Opcode == Op::LocalSet && S->Var == L)
    return true;
  for (const kir::Block *R : S->Regions)
    if (assignsLocal(*R, L))
      return true;
  return false;
}

static bool assignsLocal(const kir::Block &B, const kir::Local *L) {
  for (const Node *S : B.Stmts)
    if (assignsLocal(S, L))
      return true;
  return false;
}

bool FunctionEmitter::belowLength(const Node &Str, const Node &Idx) const {
  const Node &S = resolve(Str), &I = resolve(Idx);
  if (S.Opcode != Op::LocalGet || I.Opcode != Op::LocalGet)
    return false;
  const Node *Loop = RangeLoops.lookup(I.Var);
  if (!Loop)
    return false;
  // hi is evaluated once, before the first iteration.
  const Node &Hi = *Loop->operand(1);
  return Hi.Opcode == Op::StrLen && Hi.operand(0)->Opcode == Op::LocalGet &&
         Hi.operand(0)->Var == S.Var && !assignsLocal(*Loop->Regions[0], S.Var);
}

/// Same location: the same local, or equal constants.
static bool sameSimple(const Node &A, const Node &B) {
  if (A.Opcode != B.Opcode)
    return false;
  if (A.Opcode == Op::LocalGet)
    return A.Var == B.Var;
  if (A.Opcode == Op::IntConst || A.Opcode == Op::StrConst)
    return A.IntVal == B.IntVal && A.StrVal == B.StrVal;
  return false;
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

/// Products c * x of a constant and a local that statements of \p B in a
/// loop compute three times or more, x unassigned between the first and
/// the last (the last may assign it: its operands come first): the index arithmetic of an unrolled store group
/// (codes[4 * k], codes[4 * k + 1], ...), which a Python programmer
/// computes once into a local (base64_encode: 12% faster).
std::vector<FunctionEmitter::Shared>
FunctionEmitter::sharedProducts(const kir::Block &B) {
  std::vector<Shared> Out;
  if (LoopDepth == 0 || !Foreign.empty() || !Subst.empty())
    return Out;
  struct Use {
    size_t First, Last;
    std::vector<const Node *> Nodes;
  };
  std::map<std::pair<int64_t, unsigned>, Use> Uses;
  std::map<std::pair<int64_t, unsigned>, const kir::Local *> Locals;
  for (size_t I = 0; I < B.Stmts.size(); ++I) {
    std::function<void(const Node &)> Walk = [&](const Node &N) {
      if (N.Opcode == Op::IntMul) {
        const Node *K = N.operand(0), *X = N.operand(1);
        if (K->Opcode != Op::IntConst)
          std::swap(K, X);
        if (K->Opcode == Op::IntConst && X->Opcode == Op::LocalGet &&
            !A.isCharLocal(X->Var)) {
          auto Key = std::make_pair(K->IntVal, X->Var->Id);
          auto [It, New] = Uses.try_emplace(Key, Use{I, I, {}});
          It->second.Last = I;
          It->second.Nodes.push_back(&N);
          Locals[Key] = X->Var;
          return;
        }
      }
      for (const Node *O : N.Operands)
        Walk(*O);
    };
    // A row's store emits only its value.
    if (RowAppends.count(B.Stmts[I]))
      Walk(*B.Stmts[I]->operand(2));
    else
      for (const Node *O : B.Stmts[I]->Operands)
        Walk(*O);
  }
  for (auto &[Key, U] : Uses) {
    if (U.Nodes.size() < 3)
      continue;
    const kir::Local *X = Locals[Key];
    bool Changed = false;
    for (size_t I = U.First; I < U.Last && !Changed; ++I)
      Changed = assignsLocal(B.Stmts[I], X);
    if (Changed)
      continue;
    // x * -1 is x_m1: a name has no '-'.
    std::string Factor = Key.first < 0 ? "_m" + std::to_string(-Key.first)
                                       : std::to_string(Key.first);
    std::string Name = Names.fresh(local(X) + Factor);
    Out.push_back({U.First, U.Last, Name, U.Nodes});
  }
  return Out;
}

void FunctionEmitter::emitBlock(const kir::Block &B) {
  size_t Before = Lines.size();
  // Lengths known in this block are unknown after it.
  auto SavedLengths = KnownLengths;
  auto Restore = llvm::make_scope_exit([&] { KnownLengths = SavedLengths; });
  std::vector<Shared> Products = sharedProducts(B);
  for (size_t I = 0; I < B.Stmts.size(); ++I) {
    beginLine();
    for (const Shared &P : Products)
      if (P.First == I) {
        // The line of the first statement that uses it.
        llvm::SaveAndRestore<uint32_t> InStmt(StmtLine,
                                              B.Stmts[I]->Loc.Line);
        PyExpr E = emit(*P.Nodes[0]);
        endLine(P.Name + " = " + paren(E, PCond));
        beginLine();
        for (const Node *N : P.Nodes)
          SharedNames[N] = P.Name;
      }
    if (size_t N = emitGroupIdiom(B, I)) {
      I += N - 1;
      continue;
    }
    const Node *S = B.Stmts[I];
    if (ZipDecls.count(S) || skipLengthLocal(B, I))
      continue;
    emitStmt(*S);
    // Statements after break, continue or return never run.
    if (S->Opcode == Op::Break || S->Opcode == Op::Continue ||
        S->Opcode == Op::Return)
      break;
  }
  for (const Shared &P : Products)
    for (const Node *N : P.Nodes)
      SharedNames.erase(N);
  if (Lines.size() == Before) {
    beginLine();
    endLine("pass");
  }
}

/// Whether \p B may change the length of an array of type \p Ty: a push
/// or pop of one, there or in a function it calls.
static bool mayResize(const kir::Block &B, const kir::Type *Ty,
                      llvm::DenseSet<const kir::Function *> &Seen) {
  std::function<bool(const Node &)> Walk = [&](const Node &N) {
    if (N.Opcode == Op::Call && Seen.insert(N.Callee).second &&
        mayResize(*N.Callee->Body, Ty, Seen))
      return true;
    if ((N.Opcode == Op::ArrayPush || N.Opcode == Op::ArrayPop) &&
        N.operand(0)->Ty == Ty)
      return true;
    for (const Node *O : N.Operands)
      if (Walk(*O))
        return true;
    for (const kir::Block *R : N.Regions)
      if (mayResize(*R, Ty, Seen))
        return true;
    return false;
  };
  for (const Node *S : B.Stmts)
    if (Walk(*S))
      return true;
  return false;
}

/// After `let n = len(s)`, where nothing assigns n or s (nor, for an
/// array, pushes or pops an array of its type, here or in a function
/// called): n is len(s) from here to the end of the block.
void FunctionEmitter::noteLength(const Node &S) {
  const Node &V = *S.operand(0);
  if (S.Opcode != Op::LocalDecl || !Foreign.empty() ||
      (V.Opcode != Op::StrLen && V.Opcode != Op::BytesLen &&
       V.Opcode != Op::ArrayLen) ||
      V.operand(0)->Opcode != Op::LocalGet)
    return;
  const kir::Local *Seq = V.operand(0)->Var;
  if (assignsLocal(*F.Body, S.Var) || assignsLocal(*F.Body, Seq) ||
      (V.Opcode == Op::ArrayLen && [&] {
        llvm::DenseSet<const kir::Function *> Seen{&F};
        return mayResize(*F.Body, Seq->Ty, Seen);
      }()))
    return;
  KnownLengths[Seq] = S.Var;
}

const kir::Local *FunctionEmitter::lengthSeq(const kir::Local *N) const {
  for (const auto &[Seq, Len] : KnownLengths)
    if (Len == N)
      return Seq;
  return nullptr;
}

/// `let m = len(s)` (noteLength's m) whose uses need no m (`m == 0`, `m >
/// 0`, ... in a condition are `not s`, `s`; `s[m - 1]` is `s[-1]`, `s.slice(0, m - 1)` is
/// `s[:-1]` where m - 1 >= 0 is proven) but at most one comparison,
/// outside loops: m is not bound, that comparison reads len(s) (a call on
/// its path only, instead of one for every run of the statement:
/// word_freq's tokens; the ends of a pair loop over s, which
/// combinations(s, 2) leaves out). Exact: nothing assigns s, nor resizes
/// it if an array (noteLength), so every len(s) is m. Where s is sliced, indexed or
/// searched otherwise, or read in a loop, a check may need its length
/// (lengthText): m stays.
bool FunctionEmitter::skipLengthLocal(const kir::Block &B, size_t Index) {
  const Node &S = *B.Stmts[Index];
  if (S.Opcode != Op::LocalDecl || !Foreign.empty() || !Subst.empty() ||
      A.isCharLocal(S.Var))
    return false;
  const Node &V = *S.operand(0);
  if ((V.Opcode != Op::StrLen && V.Opcode != Op::BytesLen &&
       V.Opcode != Op::ArrayLen) ||
      V.operand(0)->Opcode != Op::LocalGet)
    return false;
  const kir::Local *Seq = V.operand(0)->Var, *M = S.Var;
  noteLength(S);
  if (KnownLengths.lookup(Seq) != M)
    return false;
  auto IsM = [&](const Node &X) {
    return X.Opcode == Op::LocalGet && X.Var == M;
  };
  auto IsSeq = [&](const Node &X) {
    return X.Opcode == Op::LocalGet && X.Var == Seq;
  };
  // m - c with a constant c >= 1, proven >= 0: counted from the end.
  auto FromEnd = [&](const Node &X) {
    return X.Opcode == Op::IntSub && IsM(*X.operand(0)) &&
           X.operand(1)->Opcode == Op::IntConst &&
           X.operand(1)->IntVal >= 1 && A.value(&X).nonNegative();
  };
  // Every use of m and s in the statements after the let (m's scope).
  unsigned Uses = 0, Costly = 0;
  bool Ok = true;
  std::function<void(const Node &, bool, bool)> Walk =
      [&](const Node &N, bool Cond, bool Loop) {
        bool IsLoop = N.Opcode == Op::While || N.Opcode == Op::ForRange ||
                      N.Opcode == Op::ForEach || N.Opcode == Op::ForMap;
        // A pair loop's ends are not emitted (combinations(a, 2)).
        if (matchPairLoop(N) == Seq) {
          const Node &Inner = *N.Regions[0]->Stmts[1];
          Uses += IsM(*N.operand(1)) + IsM(*Inner.operand(1));
          const kir::Block &IB = *Inner.Regions[0];
          for (size_t K = 1; K < IB.Stmts.size(); ++K)
            Walk(*IB.Stmts[K], false, true);
          return;
        }
        bool Free = false, Compare = false;
        switch (N.Opcode) {
        case Op::IntCmp: {
          const Node &X = *N.operand(0), &Y = *N.operand(1);
          const Node *Len = nullptr;
          Free = Cond && emptiness(N, Len) != Emptiness::None && IsM(*Len);
          Compare = !Free && (IsM(X) || IsM(Y)) && !usesLocal(X, Seq) &&
                    !usesLocal(Y, Seq);
          break;
        }
        case Op::StrCodeAt:
        case Op::BytesAt:
        case Op::ArrayGet:
          Free = IsSeq(*N.operand(0)) && FromEnd(*N.operand(1));
          break;
        case Op::StrSlice:
        case Op::BytesSlice:
          Free = IsSeq(*N.operand(0)) &&
                 N.operand(1)->Opcode == Op::IntConst &&
                 N.operand(1)->IntVal == 0 &&
                 (IsM(*N.operand(2)) || FromEnd(*N.operand(2)));
          break;
        case Op::StrLen:
        case Op::BytesLen:
        case Op::ArrayLen:
          Free = IsSeq(*N.operand(0));
          break;
        case Op::LocalGet:
          // s read elsewhere: as a value (a map key, an argument) it is
          // fine; the nodes that check against its length stop above.
          Ok &= !(IsM(N) || (IsSeq(N) && Loop));
          break;
        case Op::StrFind:
        case Op::StrStartsWith:
        case Op::ArraySet:
          Ok &= !usesLocal(N, M) && !IsSeq(*N.operand(0));
          break;
        case Op::Call:
          // A function inlined as statements takes m for its own length
          // of s (emitInlinedCall), maybe in a loop.
          Ok &= llvm::none_of(N.Operands,
                              [&](const Node *O) { return IsSeq(*O); });
          break;
        default:
          break;
        }
        if (N.Opcode == Op::StrCodeAt || N.Opcode == Op::BytesAt ||
            N.Opcode == Op::ArrayGet || N.Opcode == Op::StrSlice ||
            N.Opcode == Op::BytesSlice)
          Ok &= Free || (!usesLocal(N, M) && !IsSeq(*N.operand(0)));
        if (Free || Compare) {
          Ok &= !Loop;
          Uses += Free ? usesLocal(N, M) : 1;
          Costly += Compare;
          return;
        }
        bool IsTest = N.Opcode == Op::If ||
                      (Cond && (N.Opcode == Op::BoolAnd ||
                                N.Opcode == Op::BoolOr));
        // A for-each reads its sequence once (its iterator, no length).
        bool Once = N.Opcode == Op::ForEach;
        for (const Node *O : N.Operands)
          Walk(*O, IsTest, Loop || (IsLoop && !Once));
        for (const kir::Block *R : N.Regions)
          for (const Node *X : R->Stmts)
            Walk(*X, false, Loop || IsLoop);
      };
  for (size_t I = Index + 1; I < B.Stmts.size() && Ok; ++I)
    Walk(*B.Stmts[I], false, false);
  if (!Ok || Costly > 1)
    return false;
  // Every use is in its scope (the kernel's scoping; checked): one each.
  unsigned All = 0;
  std::function<void(const Node &)> Count = [&](const Node &N) {
    All += IsM(N);
    for (const Node *O : N.Operands)
      Count(*O);
    for (const kir::Block *R : N.Regions)
      for (const Node *X : R->Stmts)
        Count(*X);
  };
  for (const Node *X : F.Body->Stmts)
    Count(*X);
  if (All != Uses)
    return false;
  UnboundLengths[M] = &V;
  return true;
}

/// In a loop, `x = a / b` (or `x -= ...`) whose f64 divisor may be zero and
/// whose value neither traps nor has an effect:
///     try:
///         x = a / b
///     except ZeroDivisionError:
///         x = a / d if (d := b) else _fdiv(a, d)
/// Python's float division raises only for a zero divisor, so the plain
/// statement either gives IEEE's answer or raises before it stores
/// anything; the handler then runs the tested one from the start, on the
/// same values (nothing changed them). A try costs CPython 3.11 one NOP
/// where the test costs four instructions and a truth test of the float
/// (nbody's `mag`: 2% faster).
bool FunctionEmitter::emitDivisionTry(const Node &S) {
  if (LoopDepth == 0 || DivisionTry == &S || PlainF64Div ||
      (S.Opcode != Op::LocalDecl && S.Opcode != Op::LocalSet) ||
      !Foreign.empty() || !Subst.empty())
    return false;
  const Node &V = *S.operand(0);
  if (purity(V) == Purity::Any || !guardedF64Div(V, A))
    return false;
  llvm::SaveAndRestore<const Node *> Wrapping(DivisionTry, &S);
  endLine("try:");
  ++Indent;
  {
    llvm::SaveAndRestore<bool> Plain(PlainF64Div, true);
    emitStmt(S, /*Idioms=*/false);
  }
  --Indent;
  beginLine();
  endLine("except " + global("ZeroDivisionError") + ":");
  ++Indent;
  emitStmt(S, /*Idioms=*/false);
  --Indent;
  return true;
}

/// `x = max(x, y)` as `if y > x: x = y`, what a Python programmer writes
/// (and no call): max(a, b) is b if b > a else a.
bool FunctionEmitter::emitMinMaxUpdate(const Node &S) {
  if (S.Opcode != Op::LocalSet)
    return false;
  const Node &V = *S.operand(0);
  if (V.Opcode != Op::NumMin && V.Opcode != Op::NumMax)
    return false;
  const Node &Cur = *V.operand(0), &New = *V.operand(1);
  if (Cur.Opcode != Op::LocalGet || Cur.Var != S.Var || A.isCharLocal(S.Var))
    return false;
  // `if (t := y + 1) < x: x = t` when the new value is not a name (reading
  // x after y is the same: y cannot assign x).
  PyExpr NE = emit(New);
  std::string Name = local(S.Var);
  std::string Sym = V.Opcode == Op::NumMax ? " > " : " < ";
  PyExpr Test = NE, Value = NE;
  if (!simple(New)) {
    std::string T = walrusName("m");
    Test = {T + " := " + paren(NE, PCond), PNamed};
    Value = {T, PAtom};
  }
  endLine("if " + paren(Test, PBitOr) + Sym + Name + ":");
  ++Indent;
  endLine(Name + " = " + Value.Text);
  --Indent;
  return true;
}

/// `x = f(args)` or `f(args);` in hot code with f's body in place of the
/// call, as a Python programmer inlines a small helper in a hot loop: its
/// parameters
/// are the arguments (names and constants as they are, other arguments
/// bound to a fresh local first, in order), its locals get fresh names,
/// its final return becomes the assignment. Traps keep the callee's lines.
bool FunctionEmitter::emitInlinedCall(const Node &S) {
  // Only where the call's cost counts: in a loop, or in a function that
  // runs in one.
  const Node &Call = *S.operand(0);
  if (Call.Opcode != Op::Call || !A.isStatementInlinable(Call.Callee) ||
      Call.Callee == &F || !Foreign.empty() ||
      (LoopDepth == 0 && !A.isHot(&F)))
    return false;
  const kir::Function &C = *Call.Callee;
  auto Name = [&](const kir::Local *L) {
    auto It = InlinedNames.find(L);
    if (It != InlinedNames.end())
      return It->second;
    std::string N = Names.fresh(L->Name);
    InlinedNames[L] = N;
    return N;
  };
  // Parameters the callee assigns need a local of their own.
  llvm::DenseSet<const kir::Local *> Assigned;
  std::function<void(const kir::Block &)> Walk = [&](const kir::Block &B) {
    for (const Node *St : B.Stmts) {
      if (St->Opcode == Op::LocalSet)
        Assigned.insert(St->Var);
      for (const kir::Block *R : St->Regions)
        Walk(*R);
    }
  };
  Walk(*C.Body);
  // Arguments, in order.
  for (unsigned I = 0; I < Call.Operands.size(); ++I) {
    const kir::Local *P = C.Params[I];
    const Node &Arg = *Call.operand(I);
    bool Char = A.isCharLocal(P);
    PyExpr AE = Char ? emitChar(Arg) : emit(Arg);
    bool AsIs = Analysis::isSimple(&Arg) && !Assigned.count(P) &&
                AE.P == PAtom;
    if (AsIs) {
      Foreign[P] = AE;
      continue;
    }
    std::string N = Name(P);
    endLine(N + " = " + paren(AE, PCond));
    Foreign[P] = {N, PAtom};
  }
  // `let n = len(s)` of a parameter that stands for a local of ours whose
  // length a local holds (KnownLengths: neither is ever assigned) is that
  // local: json_parse's skip_ws, inlined at every token, measured the text
  // each time (6% of the kernel).
  llvm::DenseSet<const Node *> Known;
  for (const Node *St : C.Body->Stmts) {
    if (St->Opcode != Op::LocalDecl || Assigned.count(St->Var))
      continue;
    const Node &V = *St->operand(0);
    if ((V.Opcode != Op::StrLen && V.Opcode != Op::BytesLen &&
         V.Opcode != Op::ArrayLen) ||
        V.operand(0)->Opcode != Op::LocalGet)
      continue;
    for (unsigned I = 0; I < Call.Operands.size(); ++I) {
      const Node &Arg = *Call.operand(I);
      if (C.Params[I] != V.operand(0)->Var || Assigned.count(C.Params[I]) ||
          Arg.Opcode != Op::LocalGet)
        continue;
      if (const kir::Local *Len = knownLength(Arg)) {
        Foreign[St->Var] = {local(Len), PAtom};
        Known.insert(St);
      }
    }
  }
  for (const auto &L : C.Locals)
    if (!Foreign.count(L.get()))
      Foreign[L.get()] = {Name(L.get()), PAtom};
  // The body, then the returned value.
  const auto &Stmts = C.Body->Stmts;
  for (size_t I = 0; I + 1 < Stmts.size(); ++I) {
    if (Known.count(Stmts[I]))
      continue;
    beginLine();
    if (size_t N = emitGroupIdiom(*C.Body, I)) {
      I += N - 1;
      continue;
    }
    emitStmt(*Stmts[I]);
  }
  beginLine();
  PyExpr R = emit(*Stmts.back()->operand(0));
  if (S.Opcode == Op::Eval)
    endLine(paren(R, PCond));
  else
    endLine(local(S.Var) + " = " + paren(R, PCond));
  Foreign.clear();
  return true;
}

/// `t = t op x` as `t op= x` where op is a plain Python operator for the
/// node (no mask, no check around it).
bool FunctionEmitter::emitAugmented(const Node &S) {
  const Node *Target = nullptr; // the read of the assigned location
  const Node *V = nullptr;
  switch (S.Opcode) {
  case Op::LocalSet:
    V = S.operand(0);
    break;
  case Op::ArraySet:
  case Op::MapSet:
    V = S.operand(2);
    break;
  case Op::FieldSet:
    V = S.operand(1);
    break;
  default:
    return false;
  }
  if (V->Operands.size() != 2)
    return false;
  Target = V->operand(0);
  const Node *XP = V->operand(1);

  // s = s + a + b is s += a + b: concatenation and int addition are
  // associative, and the operands keep their order (s, a, b).
  std::vector<const Node *> Chain;
  if (S.Opcode == Op::LocalSet &&
      (V->Opcode == Op::StrConcat || V->Opcode == Op::IntAdd)) {
    const Node *Left = V;
    std::vector<const Node *> Rights;
    while (Left->Opcode == V->Opcode) {
      Rights.push_back(Left->operand(1));
      Left = Left->operand(0);
    }
    if (Rights.size() > 1 && Left->Opcode == Op::LocalGet &&
        Left->Var == S.Var) {
      Target = Left;
      Chain.assign(Rights.rbegin(), Rights.rend());
    }
  }
  const Node &X = *XP;

  // Is the value's left operand a read of the assigned location?
  switch (S.Opcode) {
  case Op::LocalSet:
    if (Target->Opcode != Op::LocalGet || Target->Var != S.Var ||
        A.isCharLocal(S.Var))
      return false;
    break;
  case Op::ArraySet:
    if (Target->Opcode != Op::ArrayGet ||
        !sameSimple(*Target->operand(0), *S.operand(0)) ||
        !sameSimple(*Target->operand(1), *S.operand(1)) ||
        S.operand(0)->Opcode != Op::LocalGet ||
        Target->Loc.Line != S.Loc.Line)
      return false;
    break;
  case Op::FieldSet:
    if (Target->Opcode != Op::FieldGet || Target->IntVal != S.IntVal ||
        !sameSimple(*Target->operand(0), *S.operand(0)) ||
        S.operand(0)->Opcode != Op::LocalGet)
      return false;
    break;
  case Op::MapSet:
    if (Target->Opcode != Op::MapAt ||
        !sameSimple(*Target->operand(0), *S.operand(0)) ||
        !sameSimple(*Target->operand(1), *S.operand(1)) ||
        S.operand(0)->Opcode != Op::LocalGet)
      return false;
    break;
  default:
    return false;
  }

  // Is the op a plain infix operator here?
  const char *Sym = nullptr;
  bool F64 = false;
  bool Fits = A.raw(V).within(Range::ofType(V->Ty));
  switch (V->Opcode) {
  case Op::IntAdd:
  case Op::StrConcat:
    Sym = "+=";
    break;
  case Op::IntSub:
    Sym = "-=";
    break;
  case Op::IntMul:
    Sym = "*=";
    break;
  case Op::F64Add:
    Sym = "+=", F64 = true;
    break;
  case Op::F64Sub:
    Sym = "-=", F64 = true;
    break;
  case Op::F64Mul:
    Sym = "*=", F64 = true;
    break;
  case Op::I32Add:
  case Op::U32Add:
    Sym = Fits ? "+=" : nullptr;
    break;
  case Op::I32Sub:
  case Op::U32Sub:
    Sym = Fits ? "-=" : nullptr;
    break;
  case Op::I32Mul:
  case Op::U32Mul:
    Sym = Fits ? "*=" : nullptr;
    break;
  case Op::I32And:
  case Op::U32And:
    Sym = "&=";
    break;
  case Op::I32Or:
  case Op::U32Or:
    Sym = "|=";
    break;
  case Op::I32Xor:
  case Op::U32Xor:
    Sym = "^=";
    break;
  case Op::I32Shr:
  case Op::U32Shr:
    Sym = ">>=";
    break;
  case Op::I32Shl:
  case Op::U32Shl:
    Sym = Fits ? "<<=" : nullptr;
    break;
  case Op::IntDiv:
  case Op::IntRem:
  case Op::U32Div:
  case Op::U32Rem:
  case Op::I32Div:
  case Op::I32Rem:
    // Only the floor = truncation case, the divisor known non-zero.
    if (range(*Target).nonNegative() && range(X).Lo >= 1 && Fits)
      Sym = (V->Opcode == Op::IntDiv || V->Opcode == Op::U32Div ||
             V->Opcode == Op::I32Div)
                ? "//="
                : "%=";
    break;
  default:
    break;
  }
  if (!Sym)
    return false;

  // The target's own implicit trap (IndexError, KeyError) is raised at the
  // statement's start.
  std::string Marker;
  if (S.Opcode == Op::ArraySet)
    Marker = claim(ImplicitIndex, Target->Loc.Line);
  if (S.Opcode == Op::MapSet)
    Marker = claim(ImplicitKey, Target->Loc.Line);

  if (S.Opcode == Op::ArraySet && !range(*S.operand(1)).nonNegative()) {
    // The load is the first thing that can trap: test the index before.
    unsigned Bits = CurImplicit;
    uint32_t KLine = CurKernelLine;
    emitNegativeIndexCheck(*S.operand(1), Target->Loc.Line);
    CurImplicit = Bits;
    CurKernelLine = KLine;
  }

  std::string T;
  switch (S.Opcode) {
  case Op::LocalSet:
    T = local(S.Var);
    break;
  case Op::ArraySet:
  case Op::MapSet:
    T = Marker +
        paren(separate(emit(*S.operand(0)), Target->Loc.Line), PPostfix) + "[" +
        paren(emit(*S.operand(1)), PCond) + "]";
    break;
  case Op::FieldSet: {
    const kir::RecordDecl *Rec = S.operand(0)->Ty->Rec;
    T = paren(emit(*S.operand(0)), PPostfix) + "." +
        MC.fieldName(Rec, S.IntVal);
    break;
  }
  default:
    break;
  }
  PyExpr XE;
  std::vector<const Node *> Leaves;
  if (V->Opcode == Op::StrConcat)
    for (const Node *C : Chain) {
      if (C->Opcode == Op::StrConcat && emittedAsItself(*C))
        concatLeaves(*C, Leaves);
      else
        Leaves.push_back(C);
    }
  if (Leaves.size() >= 3) {
    // s += f'"{e}"': still the in-place add of s.
    XE = fString(Leaves, nullptr);
  } else if (!Chain.empty()) {
    XE = emit(*Chain[0]);
    for (size_t I = 1; I < Chain.size(); ++I)
      XE = {paren(XE, PAdd) + " + " + paren(emit(*Chain[I]), PMul), PAdd};
  } else if (V->Opcode == Op::I32Shr || V->Opcode == Op::U32Shr ||
             V->Opcode == Op::I32Shl || V->Opcode == Op::U32Shl)
    XE = shiftCount(X); // & 31 unless the count is known in 0..31
  else if (F64)
    XE = emitF64Operand(X, *Target, /*IsRight=*/true);
  else
    XE = emit(X);
  endLine(T + " " + Sym + " " + paren(XE, PCond));
  return true;
}

/// `if i < 0: raise KernelTrap(...)` on lines of their own.
void FunctionEmitter::emitNegativeIndexCheck(const Node &Idx, uint32_t Line) {
  beginLine();
  PyExpr IE = emit(Idx);
  endLine("if " + paren(IE, PBitOr) + " < 0:");
  ++Indent;
  endLine("raise " + global("KernelTrap") + "(\"" + TrapIndex + "\", " +
          std::to_string(Line) + ")");
  --Indent;
}

/// Before a loop: `append = out.append` for every flag array (a
/// bytearray) the loop nest pushes to, and `get = m.get` for every map
/// whose get it calls at each step, that no statement in it reassigns (a
/// dict's get is its type's: the bound method is m.get as long as m is
/// the same dict). A list's `xs.append(x)` stays: CPython 3.11 runs it as
/// one specialized instruction (PRECALL_NO_KW_LIST_APPEND) that a call of
/// the bound method bypasses (9 -> 12 ns a push); a bytearray's has no such
/// instruction, and the alias saves the method lookup (14.7 -> 13.9 ns).
/// A dict's get is specialized too, but through the method lookup: the
/// alias still runs 1% fewer instructions a call (word_freq 1-1.7%
/// faster). A str's find measured no faster aliased (2.6% more
/// instructions): `text.find(...)` stays.
void FunctionEmitter::emitLoopAliases(const Node &Loop) {
  llvm::DenseSet<const kir::Local *> Assigned;
  std::vector<const kir::Local *> Pushed, Got;
  std::function<void(const Node &)> Calls = [&](const Node &N) {
    if (N.Opcode == Op::MapGet && N.operand(0)->Opcode == Op::LocalGet &&
        !llvm::is_contained(Got, N.operand(0)->Var))
      Got.push_back(N.operand(0)->Var);
    for (const Node *O : N.Operands)
      Calls(*O);
  };
  std::function<void(const kir::Block &)> Walk = [&](const kir::Block &B) {
    for (const Node *S : B.Stmts) {
      if (S->Opcode == Op::LocalDecl || S->Opcode == Op::LocalSet)
        Assigned.insert(S->Var);
      if (S->Var)
        Assigned.insert(S->Var);
      if (S->Var2)
        Assigned.insert(S->Var2);
      if (S->Opcode == Op::ArrayPush &&
          S->operand(0)->Opcode == Op::LocalGet &&
          !llvm::is_contained(Pushed, S->operand(0)->Var))
        Pushed.push_back(S->operand(0)->Var);
      Calls(*S);
      for (const kir::Block *R : S->Regions)
        Walk(*R);
    }
  };
  if (Loop.Var)
    Assigned.insert(Loop.Var);
  if (Loop.Var2)
    Assigned.insert(Loop.Var2);
  // A while's condition runs at every step; a for's operands once.
  if (Loop.Opcode == Op::While)
    Calls(*Loop.operand(0));
  for (const kir::Block *R : Loop.Regions)
    Walk(*R);
  std::vector<std::pair<const kir::Local *, const char *>> Alias;
  for (const kir::Local *L : Pushed)
    if (!Assigned.count(L) && !Appends.count(L) && MC.isFlagArray(L->Ty))
      Alias.push_back({L, "append"});
  for (const kir::Local *L : Got)
    if (!Assigned.count(L) && !Appends.count(L) && !Foreign.count(L))
      Alias.push_back({L, "get"});
  for (auto [L, Method] : Alias) {
    std::string Name = Names.fresh(Alias.size() == 1
                                       ? std::string(Method)
                                       : local(L) + "_" + Method);
    beginLine();
    endLine(Name + " = " + local(L) + "." + Method);
    Appends[L] = Name;
  }
}

/// A for.map whose body may remove keys: a dict iterator would not say so
/// when a step also inserts one, so the loop walks a copy of the keys, and
/// checks the length before every step, the one that ends it included
/// (`else`, which a break skips).
void FunctionEmitter::emitForMapKeys(const Node &S) {
  const Node &MN = *S.operand(0);
  const kir::Block &Body = *S.Regions[0];
  PyExpr ME = emit(MN);
  std::string M = paren(ME, PPostfix);
  if (!(MN.Opcode == Op::LocalGet && !Foreign.count(MN.Var) &&
        !assignsLocal(Body, MN.Var))) {
    M = Names.fresh("items");
    endLine(M + " = " + paren(ME, PCond));
  }
  std::string Size = Names.fresh("size");
  std::string Trap = "raise " + global("KernelTrap") +
                     "(\"map modified during iteration\", " +
                     std::to_string(S.Loc.Line) + ")";
  std::string K = local(S.Var);
  beginLine();
  endLine(Size + " = " + global("len") + "(" + M + ")");
  endLine("for " + K + " in [*" + M + "]:");
  ++Indent;
  endLine("if " + global("len") + "(" + M + ") != " + Size + " or " + K +
          " not in " + M + ":");
  ++Indent;
  endLine(Trap);
  --Indent;
  if (usesLocal(Body, S.Var2))
    endLine(local(S.Var2) + " = " + M + "[" + K + "]");
  ++LoopDepth;
  emitBlock(Body);
  --LoopDepth;
  --Indent;
  beginLine();
  endLine("else:");
  ++Indent;
  endLine("if " + global("len") + "(" + M + ") != " + Size + ":");
  ++Indent;
  endLine(Trap);
  Indent -= 2;
}

void FunctionEmitter::emitIf(const Node &S, bool Elif) {
  beginLine();
  PyExpr C = emitCond(*S.operand(0));
  endLine((Elif ? "elif " : "if ") + paren(C, PCond) + ":");
  ++Indent;
  emitBlock(*S.Regions[0]);
  --Indent;
  if (S.Regions.size() < 2 || S.Regions[1]->Stmts.empty())
    return;
  const kir::Block &Else = *S.Regions[1];
  if (Else.Stmts.size() == 1 && Else.Stmts[0]->Opcode == Op::If) {
    emitIf(*Else.Stmts[0], /*Elif=*/true);
    return;
  }
  beginLine();
  endLine("else:");
  ++Indent;
  emitBlock(Else);
  --Indent;
}

/// Whether the Python value of bool \p N is always True or False (not the
/// 0 or 1 of a flag array, which is the same in tests and comparisons).
static bool isRealBool(const Node &N) {
  switch (N.Opcode) {
  case Op::BoolConst:
  case Op::BoolNot:
  case Op::I32Cmp:
  case Op::U32Cmp:
  case Op::IntCmp:
  case Op::F64Cmp:
  case Op::StrCmp:
  case Op::BoolCmp:
  case Op::MapHas:
    return true;
  case Op::BoolAnd:
  case Op::BoolOr:
    return isRealBool(*N.operand(0)) && isRealBool(*N.operand(1));
  default:
    return false;
  }
}

void FunctionEmitter::emitStmt(const Node &S, bool Idioms) {
  llvm::SaveAndRestore<uint32_t> InStmt(StmtLine, S.Loc.Line);
  beginLine();
  if (Idioms && (emitPairLoop(S) || emitCopyLoop(S) || emitStridedFill(S) ||
                 emitSelectLoop(S) || emitCountedWhile(S) ||
                 emitGuardedScan(S) || emitZipLoop(S) || emitExitTestLoop(S)))
    return;
  // Names for loop variables the body never reads.
  auto LoopVar = [&](const kir::Local *L, const kir::Block &Body) {
    if (usesLocal(Body, L))
      return local(L);
    if (UnusedName.empty())
      UnusedName = Names.fresh("_");
    return UnusedName;
  };
  auto Loop = [&](const std::string &Header, const kir::Block &Body) {
    endLine(Header);
    ++Indent;
    ++LoopDepth;
    emitBlock(Body);
    --LoopDepth;
    --Indent;
  };
  auto WithAliases = [&](auto Emit) {
    auto Saved = Appends;
    emitLoopAliases(S);
    beginLine();
    Emit();
    Appends = std::move(Saved);
  };

  switch (S.Opcode) {
  case Op::LocalDecl:
  case Op::LocalSet: {
    if (emitDivisionTry(S) || emitMinMaxUpdate(S) || emitAugmented(S) ||
        emitInlinedCall(S))
      return;
    const Node &V = *S.operand(0);
    PyExpr E = A.isCharLocal(S.Var) ? emitChar(V) : emit(V);
    if (A.isByteStr(S.Var))
      E = V.Opcode == Op::StrConst
              ? PyExpr{"b" + E.Text, PAtom}
              : PyExpr{paren(E, PPostfix) + ".encode()", PPostfix};
    endLine(local(S.Var) + " = " + paren(E, PCond));
    noteLength(S);
    return;
  }
  case Op::ArraySet: {
    auto Row = RowAppends.find(&S);
    if (Row != RowAppends.end()) {
      PyExpr VE = emitElem(*S.operand(2), S.operand(0)->Ty);
      endLine(Row->second + "(" + paren(VE, PCond) + ")");
      return;
    }
    if (emitAugmented(S))
      return;
    const Node &Arr = *S.operand(0), &Idx = *S.operand(1),
               &Val = *S.operand(2);
    // Python evaluates the value before the array and the index.
    bool InOrder =
        canEvaluateBefore(Val, Arr) && canEvaluateBefore(Val, Idx);
    bool NonNeg = range(Idx).nonNegative();
    if (InOrder && NonNeg) {
      std::string Marker = claim(ImplicitIndex, S.Loc.Line);
      PyExpr AE = separate(emit(Arr), S.Loc.Line), IE = emit(Idx),
             VE = emitElem(Val, Arr.Ty);
      endLine(Marker + paren(AE, PPostfix) + "[" + paren(IE, PCond) +
              "] = " + paren(VE, PCond));
      return;
    }
    if (InOrder && !NonNeg && duplicable(Idx) && purity(Arr) != Purity::Any &&
        purity(Val) != Purity::Any) {
      // Nothing before the store can trap: test the index first.
      std::string Marker = claim(ImplicitIndex, S.Loc.Line);
      PyExpr AE = separate(emit(Arr), S.Loc.Line), IE = emit(Idx),
             VE = emitElem(Val, Arr.Ty);
      unsigned Bits = CurImplicit;
      uint32_t KLine = CurKernelLine;
      emitNegativeIndexCheck(Idx, S.Loc.Line);
      CurImplicit = Bits;
      CurKernelLine = KLine;
      endLine(Marker + paren(AE, PPostfix) + "[" + paren(IE, PCond) +
              "] = " + paren(VE, PCond));
      return;
    }
    PyExpr AE = emit(Arr), IE = emit(Idx), VE = emitElem(Val, Arr.Ty);
    endLine(global("_set") + "(" + AE.Text + ", " + paren(IE, PCond) + ", " +
            paren(VE, PCond) + ", " + std::to_string(S.Loc.Line) + ")");
    return;
  }
  case Op::ArrayPush: {
    const Node &Arr = *S.operand(0);
    PyExpr VE;
    if (Arr.Opcode == Op::LocalGet && Appends.count(Arr.Var)) {
      VE = emitElem(*S.operand(1), Arr.Ty);
      endLine(Appends[Arr.Var] + "(" + paren(VE, PCond) + ")");
      return;
    }
    PyExpr AE = emit(Arr);
    VE = emitElem(*S.operand(1), Arr.Ty);
    endLine(paren(AE, PPostfix) + ".append(" + paren(VE, PCond) + ")");
    return;
  }
  case Op::FieldSet: {
    if (emitAugmented(S))
      return;
    const kir::RecordDecl *Rec = S.operand(0)->Ty->Rec;
    std::string Field = MC.fieldName(Rec, S.IntVal);
    const Node &R = *S.operand(0), &V = *S.operand(1);
    if (R.Opcode == Op::RefAsNonNull && purity(V) != Purity::Any &&
        purity(*R.operand(0)) != Purity::Any) {
      // Python evaluates the value first and then finds the record None:
      // the same trap, as the value can neither trap nor change anything.
      std::string Marker = claim(ImplicitNull, R.Loc.Line);
      PyExpr RE = separate(emit(*R.operand(0)), R.Loc.Line), VE = emit(V);
      endLine(Marker + paren(RE, PPostfix) + "." + Field + " = " +
              paren(VE, PCond));
      return;
    }
    PyExpr RE = emit(R), VE = emit(V);
    if (canEvaluateBefore(V, R))
      endLine(paren(RE, PPostfix) + "." + Field + " = " + paren(VE, PCond));
    else // setattr evaluates the record first, as the kernel does
      endLine(global("setattr") + "(" + paren(RE, PCond) + ", \"" + Field +
              "\", " + paren(VE, PCond) + ")");
    return;
  }
  case Op::MapSet: {
    if (emitAugmented(S))
      return;
    const Node &M = *S.operand(0), &K = *S.operand(1), &V = *S.operand(2);
    PyExpr ME = emit(M), KE = emit(K), VE = emit(V);
    if (canEvaluateBefore(V, M) && canEvaluateBefore(V, K))
      endLine(paren(ME, PPostfix) + "[" + paren(KE, PCond) +
              "] = " + paren(VE, PCond));
    else
      endLine(paren(ME, PPostfix) + ".__setitem__(" + paren(KE, PCond) +
              ", " + paren(VE, PCond) + ")");
    return;
  }
  case Op::Eval: {
    const Node &E = *S.operand(0);
    if (emitInlinedCall(S))
      return;
    if (E.Opcode == Op::ArrayPop && simple(*E.operand(0))) {
      // A pop for its effect: test, then pop.
      PyExpr AE = emit(*E.operand(0));
      endLine("if not " + paren(AE, PNot) + ":");
      ++Indent;
      endLine("raise " + global("KernelTrap") +
              "(\"pop from empty array\", " + std::to_string(E.Loc.Line) +
              ")");
      --Indent;
      endLine(paren(AE, PPostfix) + ".pop()");
      return;
    }
    if (E.Opcode == Op::MapRemove) {
      PyExpr ME = emit(*E.operand(0));
      PyExpr KE = emit(*E.operand(1));
      endLine(paren(ME, PPostfix) + ".pop(" + paren(KE, PCond) + ", None)");
      return;
    }
    if (E.Opcode == Op::Call) {
      // A call for its effect stays a call.
      std::vector<std::string> Args;
      std::string T = global(MC.FunctionNames.lookup(E.Callee)) + "(";
      for (unsigned I = 0; I < E.Operands.size(); ++I) {
        const Node &Arg = *E.operand(I);
        PyExpr AE = A.isCharLocal(E.Callee->Params[I]) ? emitChar(Arg)
                                                        : emit(Arg);
        T += (I ? ", " : "") + paren(AE, PCond);
      }
      endLine(T + ")");
      return;
    }
    endLine(paren(emit(E), PCond));
    return;
  }
  case Op::If:
    emitIf(S, /*Elif=*/false);
    return;
  case Op::While:
    WithAliases([&] {
      PyExpr C = emitCond(*S.operand(0));
      Loop("while " + paren(C, PCond) + ":", *S.Regions[0]);
    });
    return;
  case Op::ForRange:
    WithAliases([&] {
      // range() evaluates lo and hi once, and the loop variable is a fresh
      // value each iteration: the kernel's for.
      const Node &Lo = *S.operand(0);
      RangeLoops[S.Var] = &S;
      PyExpr LoE = emit(Lo);
      PyExpr HiE = emit(*S.operand(1));
      std::string Args = Lo.Opcode == Op::IntConst && Lo.IntVal == 0
                             ? paren(HiE, PCond)
                             : paren(LoE, PCond) + ", " + paren(HiE, PCond);
      Loop("for " + LoopVar(S.Var, *S.Regions[0]) + " in " +
               global("range") + "(" + Args + "):",
           *S.Regions[0]);
    });
    return;
  case Op::ForEach:
    WithAliases([&] {
      // A list iterator reads the length at every step, so it sees pushed
      // and popped elements as the kernel's loop does. bytes iterate as
      // ints; a str as one-character strings, or, for codes, its bytes.
      const Node &C = *S.operand(0);
      PyExpr CE = emit(C);
      std::string Iter = paren(CE, PPostfix);
      bool Bytes = C.Opcode == Op::LocalGet && A.isByteStr(C.Var);
      if (C.Ty->Kind == TypeKind::Str && !A.isCharLocal(S.Var) && !Bytes)
        Iter += ".encode()";
      Loop("for " + LoopVar(S.Var, *S.Regions[0]) + " in " + Iter + ":",
           *S.Regions[0]);
    });
    return;
  case Op::ForMap:
    if (MC.ForMapsWithRemoval.count(&S)) {
      WithAliases([&] { emitForMapKeys(S); });
      return;
    }
    WithAliases([&] {
      // A dict that grows while iterated raises RuntimeError at the next
      // step (the except clause's trap), as the kernel checks before each.
      // (FOR_ITER raises at the `for` line, the header's first.)
      std::string Marker = claim(ImplicitModified, S.Loc.Line);
      PyExpr ME = emit(*S.operand(0));
      const kir::Block &Body = *S.Regions[0];
      bool UseKey = usesLocal(Body, S.Var), UseValue = usesLocal(Body, S.Var2);
      std::string M = paren(ME, PPostfix);
      std::string Header;
      if (UseValue && UseKey)
        Header = "for " + local(S.Var) + ", " + local(S.Var2) + " in " + M +
                 ".items():";
      else if (UseValue)
        Header = "for " + local(S.Var2) + " in " + M + ".values():";
      else
        Header = "for " + LoopVar(S.Var, Body) + " in " + M + ":";
      Loop(Marker + Header, Body);
    });
    return;
  case Op::Break:
    endLine("break");
    return;
  case Op::Continue:
    endLine("continue");
    return;
  case Op::Return: {
    if (S.Operands.empty()) {
      endLine("return");
      return;
    }
    PyExpr R = emit(*S.operand(0));
    // The caller outside sees a flag's 0 or 1 as an int.
    if (MC.isExported(F) && F.RetTy->Kind == TypeKind::Bool &&
        !MC.FlagArrays.empty() && !isRealBool(*S.operand(0)))
      R = {global("bool") + "(" + paren(R, PCond) + ")", PPostfix};
    endLine("return " + paren(R, PCond));
    return;
  }

  // Expressions never stand as statements (Eval wraps them).
  case Op::BoolConst: case Op::I32Const: case Op::U32Const:
  case Op::IntConst: case Op::F64Const: case Op::StrConst:
  case Op::LocalGet:
  case Op::I32Add: case Op::I32Sub: case Op::I32Mul: case Op::I32Div:
  case Op::I32Rem: case Op::I32Neg: case Op::I32And: case Op::I32Or:
  case Op::I32Xor: case Op::I32Not: case Op::I32Shl: case Op::I32Shr:
  case Op::I32Cmp:
  case Op::U32Add: case Op::U32Sub: case Op::U32Mul: case Op::U32Div:
  case Op::U32Rem: case Op::U32Neg: case Op::U32And: case Op::U32Or:
  case Op::U32Xor: case Op::U32Not: case Op::U32Shl: case Op::U32Shr:
  case Op::U32Cmp:
  case Op::IntAdd: case Op::IntSub: case Op::IntMul: case Op::IntDiv:
  case Op::IntRem: case Op::IntNeg: case Op::IntCmp: case Op::IntCheckSafe:
  case Op::F64Add: case Op::F64Sub: case Op::F64Mul: case Op::F64Div:
  case Op::F64Rem: case Op::F64Neg: case Op::F64Cmp: case Op::F64Sqrt:
  case Op::F64Floor:
  case Op::NumMin: case Op::NumMax: case Op::NumAbs:
  case Op::BoolNot: case Op::BoolAnd: case Op::BoolOr: case Op::BoolCmp:
  case Op::I32ToInt: case Op::U32ToInt: case Op::IntToI32:
  case Op::IntToU32: case Op::I32ToU32: case Op::U32ToI32:
  case Op::I32ToF64: case Op::U32ToF64: case Op::IntToF64:
  case Op::F64ToI32: case Op::F64ToU32: case Op::F64ToInt:
  case Op::StrLen: case Op::StrCodeAt: case Op::StrSlice:
  case Op::StrConcat: case Op::StrCmp: case Op::StrFromInt:
  case Op::StrParseInt: case Op::StrFromCode: case Op::StrFind:
  case Op::StrStartsWith: case Op::StrSplit: case Op::StrLower:
  case Op::StrJoin: case Op::StrTrim: case Op::StrReplace:
  case Op::StrContains:
  case Op::StrFromCodes:
  case Op::BytesLen: case Op::BytesAt: case Op::BytesSlice:
  case Op::BytesU32Le:
  case Op::ArrayNew: case Op::ArrayLit: case Op::ArrayLen:
  case Op::ArrayGet: case Op::ArrayPop:
  case Op::RecordNew: case Op::FieldGet:
  case Op::MapNew: case Op::MapLen: case Op::MapGet: case Op::MapAt:
  case Op::MapHas: case Op::MapRemove:
  case Op::RefNull: case Op::RefAsNullable: case Op::RefIsNull:
  case Op::RefAsNonNull:
  case Op::Call:
    break;
  }
  llvm_unreachable("expression in statement position (KIR verifier)");
}

//===----------------------------------------------------------------------===//
// The function
//===----------------------------------------------------------------------===//

std::vector<PyLine> FunctionEmitter::run() {
  std::string Def = "def " + MC.FunctionNames.lookup(&F) + "(";
  for (size_t I = 0; I < F.Params.size(); ++I)
    Def += (I ? ", " : "") + local(F.Params[I]);
  Def += "):";

  // Top-level statements one by one, to know where each begins.
  Indent = 1;
  std::vector<size_t> Starts;
  const kir::Block &Body = *F.Body;
  // str parameters indexed as bytes: encoded once, on entry (part of the
  // function's own line).
  for (const kir::Local *P : F.Params)
    if (A.isByteStr(P)) {
      llvm::SaveAndRestore<uint32_t> InDef(StmtLine, F.Loc.Line);
      beginLine();
      endLine(local(P) + " = " + local(P) + ".encode()");
    }
  for (size_t I = 0; I < Body.Stmts.size(); ++I) {
    const Node *S = Body.Stmts[I];
    Starts.push_back(Lines.size());
    beginLine();
    if (size_t N = emitGroupIdiom(Body, I)) {
      // One group: its statements have no lines of their own.
      for (size_t K = 1; K < N; ++K)
        Starts.push_back(Lines.size());
      I += N - 1;
      continue;
    }
    if (skipLengthLocal(Body, I))
      continue;
    emitStmt(*S);
    if (S->Opcode == Op::Return || S->Opcode == Op::Break ||
        S->Opcode == Op::Continue)
      break;
  }
  if (Lines.empty()) {
    beginLine();
    endLine("pass");
  }
  Starts.push_back(Lines.size());

  // The statements whose lines may raise an error that is a trap.
  size_t First = SIZE_MAX, Last = 0;
  for (size_t I = 0; I + 1 < Starts.size(); ++I)
    for (size_t L = Starts[I]; L < Starts[I + 1]; ++L)
      if (Lines[L].Implicit) {
        First = std::min(First, I);
        Last = std::max(Last, I);
      }

  std::vector<PyLine> Out;
  Out.push_back({0, Def, 0, 0, F.Loc.Line});
  if (First == SIZE_MAX) {
    Out.insert(Out.end(), Lines.begin(), Lines.end());
    return Out;
  }
  wrapInTry(Out, First, Last, Starts);
  return Out;
}

void FunctionEmitter::wrapInTry(std::vector<PyLine> &Out, size_t First,
                                size_t Last,
                                const std::vector<size_t> &Starts) {
  size_t Begin = Starts[First], End = Starts[Last + 1];
  unsigned Kinds = 0;
  std::set<uint32_t> KernelLines;
  for (size_t L = Begin; L < End; ++L)
    if (Lines[L].Implicit) {
      Kinds |= Lines[L].Implicit;
      for (const auto &Physical : splitAtMarkers(0, Lines[L].Text))
        if (Physical.second)
          KernelLines.insert(Physical.second);
    }
  Out.insert(Out.end(), Lines.begin(), Lines.begin() + Begin);
  Out.push_back({1, "try:", 0, 0});
  for (size_t L = Begin; L < End; ++L) {
    PyLine Line = Lines[L];
    ++Line.Indent;
    Out.push_back(std::move(Line));
  }
  static const struct {
    ImplicitKind Kind;
    const char *Error;
    const char *Trap;
  } Errors[] = {
      {ImplicitIndex, "IndexError", "index out of range"},
      {ImplicitKey, "KeyError", "key not in map"},
      {ImplicitDivZero, "ZeroDivisionError", "integer division by zero"},
      {ImplicitModified, "RuntimeError", "map modified during iteration"},
      {ImplicitNull, "AttributeError", "null reference"},
      {ImplicitNullItem, "TypeError", "null reference"},
      {ImplicitWord, "StructError", "index out of range"},
  };
  if (KernelLines.size() == 1 && !(Kinds & ImplicitModified)) {
    // One kernel line: say it here. (RuntimeError also covers
    // RecursionError, so it always goes through _kernel_trap.)
    for (const auto &E : Errors) {
      if (!(Kinds & E.Kind))
        continue;
      Out.push_back({1, std::string("except ") + global(E.Error) + ":", 0, 0});
      Out.push_back({2,
                     "raise " + global("KernelTrap") + "(\"" + E.Trap +
                         "\", " + std::to_string(*KernelLines.begin()) +
                         ") from None",
                     0, 0});
    }
  } else {
    std::string Types;
    unsigned Count = 0;
    for (const auto &E : Errors)
      if (Kinds & E.Kind) {
        Types += (Count++ ? ", " : "") + global(E.Error);
      }
    if (Count > 1)
      Types = "(" + Types + ")";
    std::string Error = Names.fresh("error");
    Out.push_back({1, "except " + Types + " as " + Error + ":", 0, 0});
    Out.push_back({2,
                   "raise " + global("_kernel_trap") + "(" + Error +
                       ") from None",
                   0, 0});
    UsesLineTable = true;
  }
  Out.insert(Out.end(), Lines.begin() + End, Lines.end());
}
