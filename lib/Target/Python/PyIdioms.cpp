//===- PyIdioms.cpp - Loops that Python runs as one slice operation -------===//
//
// A Python programmer copies, shifts and reverses runs of a list with slice
// assignments, which run in C; element by element, the interpreter spends
// a dozen bytecodes per element. Like LLVM's loop idiom recognition (loops
// to memcpy/memmove), two loop shapes become slice assignments:
//
//   for i in lo..hi { b[i] = a[i + c]; }          c >= 0: copy, shift left
//       b[lo:hi] = a[lo + c:hi + c]
//   while lo < hi { let t = a[lo]; a[lo] = a[hi]; a[hi] = t;
//                   lo += 1; hi -= 1; }            reverse a[lo..hi]
//       a[lo:hi + 1] = a[lo:hi + 1][::-1]
//   let t = a[0]; for i in 0..r { a[i] = a[i + 1]; } a[r] = t;
//                                                  rotate a[0..r] left
//       a.insert(r, a.pop(0))
//
// Slices never raise, and negative bounds count from the end, so the fast
// form runs only under a test that every access of the loop is in range;
// otherwise the original loop runs and traps at the exact element and line
// (loop versioning). Reading ahead of the writes (c >= 0) makes the slice's
// snapshot the same as the loop's sequence of copies, aliasing or not.
//
//===----------------------------------------------------------------------===//

#include "PyEmitter.h"
#include "llvm/Support/SaveAndRestore.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringSet.h"
#include <bitset>
#include <functional>

using namespace kc;
using namespace kc::pygen;
using kir::Node;
using kir::Op;

static bool isLocal(const Node &N, const kir::Local *L) {
  return N.Opcode == Op::LocalGet && N.Var == L;
}

/// i + c with a constant c >= 0 (c = 0: i itself).
static bool isOffset(const Node &N, const kir::Local *I, int64_t &C) {
  if (isLocal(N, I)) {
    C = 0;
    return true;
  }
  if (N.Opcode == Op::IntAdd && isLocal(*N.operand(0), I) &&
      N.operand(1)->Opcode == Op::IntConst && N.operand(1)->IntVal >= 0 &&
      N.operand(1)->IntVal < (int64_t(1) << 30)) {
    C = N.operand(1)->IntVal;
    return true;
  }
  return false;
}

static bool usesLocalIn(const Node &N, const kir::Local *L);
static bool usesLocalIn(const kir::Block &B, const kir::Local *L) {
  for (const Node *S : B.Stmts)
    if (usesLocalIn(*S, L))
      return true;
  return false;
}
static bool usesLocalIn(const Node &N, const kir::Local *L) {
  if (N.Opcode == Op::LocalGet && N.Var == L)
    return true;
  for (const Node *O : N.Operands)
    if (usesLocalIn(*O, L))
      return true;
  for (const kir::Block *R : N.Regions)
    if (usesLocalIn(*R, L))
      return true;
  return false;
}

/// What anyNode does after looking at one node.
enum class Visit { Continue, Skip, Found };

/// Whether \p Test finds a node in \p B: every statement, its operands and
/// its regions, depth first, stopping at the first Found; Skip leaves the
/// node's operands and regions out.
static bool anyNodeIn(const Node &Root,
                      llvm::function_ref<Visit(const Node &)> Test) {
  std::function<bool(const Node &)> Walk = [&](const Node &N) {
    switch (Test(N)) {
    case Visit::Found:
      return true;
    case Visit::Skip:
      return false;
    case Visit::Continue:
      break;
    }
    for (const Node *O : N.Operands)
      if (Walk(*O))
        return true;
    for (const kir::Block *R : N.Regions)
      for (const Node *S : R->Stmts)
        if (Walk(*S))
          return true;
    return false;
  };
  return Walk(Root);
}
static bool anyNode(const kir::Block &B,
                    llvm::function_ref<Visit(const Node &)> Test) {
  for (const Node *S : B.Stmts)
    if (anyNodeIn(*S, Test))
      return true;
  return false;
}

/// Whether \p L is read anywhere in \p F outside \p Loop (so the values the
/// loop leaves in it matter).
static bool readOutside(const kir::Function &F, const kir::Local *L,
                        const Node &Loop) {
  return anyNode(*F.Body, [&](const Node &N) {
    if (&N == &Loop)
      return Visit::Skip;
    return N.Opcode == Op::LocalGet && N.Var == L ? Visit::Found
                                                  : Visit::Continue;
  });
}

/// len(a), or the local that is known to hold it.
std::string FunctionEmitter::lengthOf(const kir::Local *Arr) {
  if (const kir::Local *N = A.fixedLength(Arr))
    return local(N);
  if (const kir::Local *N = KnownLengths.lookup(Arr))
    return local(N);
  return global("len") + "(" + local(Arr) + ")";
}

void FunctionEmitter::emitFallback(const Node &S) {
  --Indent;
  beginLine();
  endLine("else:");
  ++Indent;
  emitStmt(S, /*Idioms=*/false);
  --Indent;
}

/// for i in lo..hi { b[i] = a[i + c]; }
bool FunctionEmitter::emitCopyLoop(const Node &S) {
  if (S.Opcode != Op::ForRange || S.Regions[0]->Stmts.size() != 1)
    return false;
  const kir::Local *I = S.Var;
  const Node &Set = *S.Regions[0]->Stmts[0];
  if (Set.Opcode != Op::ArraySet || !isLocal(*Set.operand(1), I))
    return false;
  const Node &Get = *Set.operand(2);
  int64_t C = 0;
  if (Get.Opcode != Op::ArrayGet || !isOffset(*Get.operand(1), I, C))
    return false;
  const Node &B = *Set.operand(0), &Src = *Get.operand(0);
  if (B.Opcode != Op::LocalGet || Src.Opcode != Op::LocalGet)
    return false;
  bool Same = B.Var == Src.Var;
  if (Same && C == 0)
    return false; // a[i] = a[i]: leave it be
  const Node &Lo = *S.operand(0), &Hi = *S.operand(1);
  if (!duplicable(Lo) || !duplicable(Hi))
    return false;
  auto IsLength = [&](const kir::Local *Arr) {
    return Hi.Opcode == Op::LocalGet && A.fixedLength(Arr) == Hi.Var;
  };
  if (C > 0 && IsLength(Src.Var))
    return false; // a[hi - 1 + c] is past the end: the loop always traps

  // Every access in range: 0 <= lo <= hi, hi <= len(b), hi + c <= len(a);
  // without what is known (lo = 0 and hi >= 0; hi = len(b) when b is made
  // with length hi).
  PyExpr LoE = emit(Lo), HiE = emit(Hi);
  std::string BName = local(B.Var), AName = local(Src.Var);
  bool LoZero = Lo.Opcode == Op::IntConst && Lo.IntVal == 0;
  bool NeedLoNonNeg = !LoZero && !range(Lo).nonNegative();
  bool NeedLoLeHi = !(LoZero && range(Hi).nonNegative());
  std::string Lower = NeedLoNonNeg ? "0 <= " + paren(LoE, PBitOr) + " <= "
                      : !NeedLoLeHi ? ""
                      : LoZero     ? "0 <= "
                                   : paren(LoE, PBitOr) + " <= ";
  std::string H = paren(HiE, PBitOr);
  std::vector<std::string> Tests;
  if (!Same && !IsLength(B.Var)) {
    Tests.push_back(Lower + H + " <= " + lengthOf(B.Var));
    Lower.clear();
  }
  if (!(C == 0 && IsLength(Src.Var))) {
    // hi + c <= len(a); the lower bounds chain onto it while hi is its
    // middle term.
    std::string ATest = C == 0   ? H + " <= "
                        : C == 1 ? H + " < "
                                 : paren(HiE, PAdd) + " + " +
                                       std::to_string(C) + " <= ";
    ATest += lengthOf(Src.Var);
    if (C <= 1) {
      ATest = Lower + ATest;
      Lower.clear();
    }
    Tests.push_back(ATest);
  }
  if (!Lower.empty()) // the lower bounds are left to test
    Tests.insert(Tests.begin(), Lower + H);
  std::string Test;
  for (const std::string &T : Tests)
    Test += (Test.empty() ? "" : " and ") + T;

  // b[lo:hi] = a[lo + c:hi + c]
  auto Bound = [&](const PyExpr &E, int64_t Add) {
    if (Add == 0)
      return paren(E, PCond);
    return paren(E, PAdd) + " + " + std::to_string(Add);
  };
  std::string LoText = LoZero ? "" : paren(LoE, PCond);
  std::string SrcLo = LoZero ? (C ? std::to_string(C) : "") : Bound(LoE, C);
  std::string Copy = BName + "[" + LoText + ":" + paren(HiE, PCond) + "] = " +
                     AName + "[" + SrcLo + ":" + Bound(HiE, C) + "]";
  if (Test.empty()) {
    endLine(Copy);
    return true;
  }
  endLine("if " + Test + ":");
  ++Indent;
  beginLine();
  endLine(Copy);
  emitFallback(S);
  return true;
}

/// while lo < hi { let t = a[lo]; a[lo] = a[hi]; a[hi] = t; lo += 1;
/// hi -= 1; } where lo and hi are not read anywhere else, with the plain
/// assignments of lo and hi just before it (they move into the fallback
/// branch, the fast one uses their values). Returns the number of
/// statements of \p Block from \p Index it stands for (0: no match).
size_t FunctionEmitter::emitReverseLoop(const kir::Block &Block,
                                        size_t Index) {
  // Assignments, then the loop.
  size_t J = Index;
  while (J < Block.Stmts.size() &&
         (Block.Stmts[J]->Opcode == Op::LocalDecl ||
          Block.Stmts[J]->Opcode == Op::LocalSet))
    ++J;
  if (J == Block.Stmts.size())
    return 0;
  const Node &S = *Block.Stmts[J];
  if (S.Opcode != Op::While || S.Regions[0]->Stmts.size() != 5)
    return 0;
  const Node &Cond = *S.operand(0);
  if (Cond.Opcode != Op::IntCmp || Cond.Predicate != kir::Pred::Lt ||
      Cond.operand(0)->Opcode != Op::LocalGet ||
      Cond.operand(1)->Opcode != Op::LocalGet)
    return 0;
  const kir::Local *Lo = Cond.operand(0)->Var, *Hi = Cond.operand(1)->Var;
  if (Lo == Hi)
    return 0;
  const auto &Body = S.Regions[0]->Stmts;
  // let t = a[lo];
  const Node &Decl = *Body[0];
  if (Decl.Opcode != Op::LocalDecl || Decl.operand(0)->Opcode != Op::ArrayGet)
    return 0;
  const Node &Arr = *Decl.operand(0)->operand(0);
  if (Arr.Opcode != Op::LocalGet || !isLocal(*Decl.operand(0)->operand(1), Lo))
    return 0;
  const kir::Local *A0 = Arr.Var, *T = Decl.Var;
  auto IsArr = [&](const Node &N) { return isLocal(N, A0); };
  // a[lo] = a[hi];
  const Node &Set1 = *Body[1];
  if (Set1.Opcode != Op::ArraySet || !IsArr(*Set1.operand(0)) ||
      !isLocal(*Set1.operand(1), Lo) ||
      Set1.operand(2)->Opcode != Op::ArrayGet ||
      !IsArr(*Set1.operand(2)->operand(0)) ||
      !isLocal(*Set1.operand(2)->operand(1), Hi))
    return 0;
  // a[hi] = t;
  const Node &Set2 = *Body[2];
  if (Set2.Opcode != Op::ArraySet || !IsArr(*Set2.operand(0)) ||
      !isLocal(*Set2.operand(1), Hi) || !isLocal(*Set2.operand(2), T))
    return 0;
  // lo += 1; hi -= 1; (either order)
  auto Step = [&](const Node &N, const kir::Local *L, Op O) {
    return N.Opcode == Op::LocalSet && N.Var == L &&
           N.operand(0)->Opcode == O && isLocal(*N.operand(0)->operand(0), L) &&
           N.operand(0)->operand(1)->Opcode == Op::IntConst &&
           N.operand(0)->operand(1)->IntVal == 1;
  };
  bool Steps = (Step(*Body[3], Lo, Op::IntAdd) &&
                Step(*Body[4], Hi, Op::IntSub)) ||
               (Step(*Body[3], Hi, Op::IntSub) &&
                Step(*Body[4], Lo, Op::IntAdd));
  if (!Steps || A0 == Lo || A0 == Hi || T == Lo || T == Hi)
    return 0;
  // The values the loop leaves in lo and hi must not matter.
  if (readOutside(F, Lo, S) || readOutside(F, Hi, S))
    return 0;
  // The assignments before: only of lo and hi, to names or constants that
  // are not lo or hi. The last one of each is the value the loop starts
  // with.
  const Node *LoVal = nullptr, *HiVal = nullptr;
  for (size_t K = Index; K < J; ++K) {
    const Node &P = *Block.Stmts[K];
    const Node &V = *P.operand(0);
    if ((P.Var != Lo && P.Var != Hi) || !Analysis::isSimple(&V) ||
        isLocal(V, Lo) || isLocal(V, Hi))
      return 0;
    (P.Var == Lo ? LoVal : HiVal) = &V;
  }
  // Without assignments, the loop alone (a group is tried from its first
  // assignment).
  if (Index < J && (!LoVal || !HiVal))
    return 0;

  std::string AName = local(A0);
  bool LoZero = LoVal && LoVal->Opcode == Op::IntConst && LoVal->IntVal == 0;
  std::string L = LoVal ? emit(*LoVal).Text : local(Lo);
  PyExpr HE = HiVal ? emit(*HiVal) : PyExpr{local(Hi), PAtom};
  std::string H = paren(HE, PBitOr);
  Range HiRange = HiVal ? range(*HiVal) : A.value(Cond.operand(1));
  Range LoRange = LoVal ? range(*LoVal) : A.value(Cond.operand(0));
  // lo < hi, and every index in range: 0 <= lo and hi < len(a).
  std::string Test;
  if (LoZero)
    Test = (HiRange.Lo >= 1 ? "" : "0 < ") + H + " < " + lengthOf(A0);
  else
    Test = (LoRange.nonNegative() ? "" : "0 <= ") + L + " < " + H + " < " +
           lengthOf(A0);
  endLine("if " + Test + ":");
  ++Indent;
  beginLine();
  if (LoZero)
    endLine(AName + "[:" + paren(HE, PAdd) + " + 1] = " + AName + "[" +
            paren(HE, PCond) + "::-1]");
  else
    endLine(AName + "[" + L + ":" + paren(HE, PAdd) + " + 1] = " + AName +
            "[" + L + ":" + paren(HE, PAdd) + " + 1][::-1]");
  --Indent;
  beginLine();
  endLine("else:");
  ++Indent;
  for (size_t K = Index; K <= J; ++K)
    emitStmt(*Block.Stmts[K], /*Idioms=*/false);
  --Indent;
  return J - Index + 1;
}

/// let t = a[0]; for i in 0..r { a[i] = a[i + 1]; } a[r] = t; where t is
/// not read anywhere else: a rotation of a[0..r] left by one. Returns the
/// number of statements of \p Block from \p Index it stands for.
size_t FunctionEmitter::emitRotateGroup(const kir::Block &Block,
                                        size_t Index) {
  if (Index + 2 >= Block.Stmts.size())
    return 0;
  const Node &Decl = *Block.Stmts[Index], &Loop = *Block.Stmts[Index + 1],
             &Store = *Block.Stmts[Index + 2];
  // let t = a[0];
  if (Decl.Opcode != Op::LocalDecl || Decl.operand(0)->Opcode != Op::ArrayGet)
    return 0;
  const Node &Arr = *Decl.operand(0)->operand(0);
  const Node &Zero = *Decl.operand(0)->operand(1);
  if (Arr.Opcode != Op::LocalGet || Zero.Opcode != Op::IntConst ||
      Zero.IntVal != 0)
    return 0;
  const kir::Local *A0 = Arr.Var, *T = Decl.Var;
  // for i in 0..r { a[i] = a[i + 1]; }
  if (Loop.Opcode != Op::ForRange || Loop.Regions[0]->Stmts.size() != 1 ||
      Loop.operand(0)->Opcode != Op::IntConst || Loop.operand(0)->IntVal != 0)
    return 0;
  const Node &R = *Loop.operand(1);
  if (!simple(R) || isLocal(R, T))
    return 0;
  const Node &Set = *Loop.Regions[0]->Stmts[0];
  int64_t C = 0;
  if (Set.Opcode != Op::ArraySet || !isLocal(*Set.operand(0), A0) ||
      !isLocal(*Set.operand(1), Loop.Var) ||
      Set.operand(2)->Opcode != Op::ArrayGet ||
      !isLocal(*Set.operand(2)->operand(0), A0) ||
      !isOffset(*Set.operand(2)->operand(1), Loop.Var, C) || C != 1)
    return 0;
  // a[r] = t;
  if (Store.Opcode != Op::ArraySet || !isLocal(*Store.operand(0), A0) ||
      !isLocal(*Store.operand(2), T) || Store.operand(1)->Opcode != R.Opcode ||
      (R.Opcode == Op::LocalGet ? Store.operand(1)->Var != R.Var
                                : Store.operand(1)->IntVal != R.IntVal))
    return 0;
  // t is only the carrier of a[0].
  std::function<unsigned(const Node &)> Reads = [&](const Node &N) {
    unsigned C = N.Opcode == Op::LocalGet && N.Var == T;
    for (const Node *O : N.Operands)
      C += Reads(*O);
    for (const kir::Block *B : N.Regions)
      for (const Node *St : B->Stmts)
        C += Reads(*St);
    return C;
  };
  unsigned Total = 0;
  for (const Node *St : F.Body->Stmts)
    Total += Reads(*St);
  if (Total != 1)
    return 0;

  // Every access in range: 0 <= r < len(a).
  PyExpr RE = emit(R);
  std::string Test = (range(R).nonNegative() ? "" : "0 <= ") +
                     paren(RE, PBitOr) + " < " + lengthOf(A0);
  std::string AName = local(A0);
  endLine("if " + Test + ":");
  ++Indent;
  beginLine();
  endLine(AName + ".insert(" + paren(RE, PCond) + ", " + AName + ".pop(0))");
  --Indent;
  beginLine();
  endLine("else:");
  ++Indent;
  for (size_t K = Index; K < Index + 3; ++K) {
    beginLine();
    emitStmt(*Block.Stmts[K], /*Idioms=*/false);
  }
  --Indent;
  return 3;
}

/// The values of \p Lo, \p Hi as slice bounds of an array: nothing for a
/// constant 0 low bound, or for a high bound known to be its length.
static bool isLengthOf(const Node &Hi, const kir::Local *Arr,
                       const Analysis &A) {
  if (Hi.Opcode == Op::LocalGet && A.fixedLength(Arr) == Hi.Var)
    return true;
  return Hi.Opcode == Op::ArrayLen && isLocal(*Hi.operand(0), Arr);
}

/// var m = s; while m < n { a[m] = v; m += p; } as one extended-slice
/// assignment, a[m:n:p] = [v] * len(range(m, n, p)) (bytes for a flag
/// array: a memset), as LLVM turns a store loop into memset. The slice
/// stores exactly the loop's elements when p > 0 and 0 <= m, 0 <= n <=
/// len(a); otherwise the loop runs (it traps, or never ends). m's final
/// value is kept when something reads it after the loop.
bool FunctionEmitter::emitStridedFill(const Node &S) {
  if (S.Opcode != Op::While || S.Regions[0]->Stmts.size() != 2 ||
      !Foreign.empty())
    return false;
  const Node &Cond = *S.operand(0);
  if (Cond.Opcode != Op::IntCmp || Cond.Predicate != kir::Pred::Lt ||
      Cond.operand(0)->Opcode != Op::LocalGet)
    return false;
  const kir::Local *M = Cond.operand(0)->Var;
  const Node &Hi = *Cond.operand(1);
  if (!duplicable(Hi) || usesLocalIn(Hi, M))
    return false;
  const Node &Set = *S.Regions[0]->Stmts[0], &Step = *S.Regions[0]->Stmts[1];
  if (Set.Opcode != Op::ArraySet || Set.operand(0)->Opcode != Op::LocalGet ||
      !isLocal(*Set.operand(1), M) || Set.operand(0)->Var == M)
    return false;
  // The value is the same at every step (read once, even for no step: it
  // cannot trap).
  const kir::Local *Arr = Set.operand(0)->Var;
  const Node &V = *Set.operand(2);
  if (purity(V) != Purity::Stable || usesLocalIn(V, M))
    return false;
  if (Step.Opcode != Op::LocalSet || Step.Var != M)
    return false;
  const Node &Inc = *Step.operand(0);
  if (Inc.Opcode != Op::IntAdd || !isLocal(*Inc.operand(0), M))
    return false;
  const Node &P = *Inc.operand(1);
  if (!simple(P) || usesLocalIn(P, M))
    return false;

  // The test, less what the analysis knows.
  PyExpr HiE = emit(Hi), PE = emit(P);
  std::string MName = local(M), AName = local(Arr);
  std::vector<std::string> Tests;
  if (range(P).Lo < 1)
    Tests.push_back(paren(PE, PBitOr) + " > 0");
  if (!range(*Cond.operand(0)).nonNegative())
    Tests.push_back("0 <= " + MName);
  std::string H = paren(HiE, PBitOr);
  bool HiNonNeg = range(Hi).nonNegative();
  bool HiBelow = isLengthOf(Hi, Arr, A);
  if (!HiBelow)
    Tests.push_back((HiNonNeg ? "" : "0 <= ") + H + " <= " + lengthOf(Arr));
  else if (!HiNonNeg)
    Tests.push_back("0 <= " + H);
  std::string Test;
  for (const std::string &T : Tests)
    Test += (Test.empty() ? "" : " and ") + T;

  std::string Bounds =
      MName + ", " + paren(HiE, PCond) + ", " + paren(PE, PCond);
  std::string Count =
      global("len") + "(" + global("range") + "(" + Bounds + "))";
  bool KeepFinal = readOutside(F, M, S);
  std::string Steps;
  if (KeepFinal)
    Steps = Names.fresh("steps");
  std::string N = KeepFinal ? Steps : Count;
  std::string Fill;
  if (MC.isFlagArray(Set.operand(0)->Ty)) {
    if (V.Opcode == Op::BoolConst)
      Fill = V.IntVal ? "b\"\\x01\" * " + N : global("bytes") + "(" + N + ")";
    else
      Fill = global("bytes") + "((" + paren(emit(V), PCond) + ",)) * " + N;
  } else {
    Fill = "[" + paren(emit(V), PCond) + "] * " + N;
  }
  if (!Test.empty()) {
    endLine("if " + Test + ":");
    ++Indent;
    beginLine();
  }
  if (KeepFinal) {
    endLine(Steps + " = " + Count);
    beginLine();
  }
  endLine(AName + "[" + MName + ":" + paren(HiE, PCond) + ":" +
          paren(PE, PCond) + "] = " + Fill);
  if (KeepFinal) {
    beginLine();
    endLine(MName + " += " + Steps + " * " + paren(PE, PMul));
  }
  if (!Test.empty()) {
    emitFallback(S);
  }
  return true;
}

/// Whether running \p B may change a flag array or call a function.
static bool mayChangeFlags(const kir::Block &B) {
  return anyNode(B, [](const Node &N) {
    if (N.Opcode == Op::Call)
      return Visit::Found;
    if ((N.Opcode == Op::ArraySet || N.Opcode == Op::ArrayPush ||
         N.Opcode == Op::ArrayPop) &&
        N.operand(0)->Ty->Elem->Kind == kir::TypeKind::Bool)
      return Visit::Found;
    return Visit::Continue;
  });
}

/// Whether \p B assigns \p L.
static bool assignsLocal(const kir::Block &B, const kir::Local *L) {
  return anyNode(B, [&](const Node &N) {
    return (N.Opcode == Op::LocalSet || N.Opcode == Op::LocalDecl) &&
                   N.Var == L
               ? Visit::Found
               : Visit::Continue;
  });
}

/// for i in lo..hi { if a[i] { ... } } (or `if !a[i]`) over a flag array
/// the body leaves alone: only the selected indices, picked in C by
/// itertools.compress from a snapshot of a[lo:hi] (its bytes swapped for
/// `!`). The loop reads a[i] for every i, so the snapshot is the same
/// sequence when 0 <= lo and hi <= len(a) (or lo >= hi: nothing at all);
/// otherwise the loop runs and traps where the kernel does.
bool FunctionEmitter::emitSelectLoop(const Node &S) {
  if (S.Opcode != Op::ForRange || S.Regions[0]->Stmts.size() != 1)
    return false;
  const kir::Local *I = S.Var;
  const Node &If = *S.Regions[0]->Stmts[0];
  if (If.Opcode != Op::If ||
      (If.Regions.size() > 1 && !If.Regions[1]->Stmts.empty()))
    return false;
  const Node *Test = If.operand(0);
  bool Negated = Test->Opcode == Op::BoolNot;
  if (Negated)
    Test = Test->operand(0);
  if (Test->Opcode != Op::ArrayGet ||
      Test->operand(0)->Opcode != Op::LocalGet ||
      !isLocal(*Test->operand(1), I))
    return false;
  const kir::Local *Arr = Test->operand(0)->Var;
  const kir::Block &Then = *If.Regions[0];
  if (!MC.isFlagArray(Test->operand(0)->Ty) || Arr == I ||
      mayChangeFlags(Then) || assignsLocal(Then, Arr) || assignsLocal(Then, I))
    return false;
  const Node &Lo = *S.operand(0), &Hi = *S.operand(1);
  if (!duplicable(Lo) || !duplicable(Hi))
    return false;

  PyExpr LoE = emit(Lo), HiE = emit(Hi);
  bool LoZero = Lo.Opcode == Op::IntConst && Lo.IntVal == 0;
  bool HiIsLen = isLengthOf(Hi, Arr, A);
  std::vector<std::string> Tests;
  if (!range(Lo).nonNegative())
    Tests.push_back("0 <= " + paren(LoE, PBitOr));
  if (!HiIsLen)
    Tests.push_back(paren(HiE, PBitOr) + " <= " + lengthOf(Arr));
  std::string TestText;
  for (const std::string &T : Tests)
    TestText += (TestText.empty() ? "" : " and ") + T;

  std::string Range = global("range") + "(" +
                      (LoZero ? "" : paren(LoE, PCond) + ", ") +
                      paren(HiE, PCond) + ")";
  // (The whole array needs no copy: nothing changes it meanwhile.)
  std::string Slice = local(Arr);
  if (!LoZero || !HiIsLen)
    Slice += "[" + (LoZero ? "" : paren(LoE, PCond)) + ":" +
             (HiIsLen ? "" : paren(HiE, PCond)) + "]";
  if (Negated)
    Slice += ".translate(" + global("_FLIP") + ")";
  if (emitSelectReductions(S, Then, TestText, Range, Slice,
                           HiIsLen || range(Hi).nonNegative()))
    return true;
  std::string Var;
  if (usesLocalIn(Then, I)) {
    Var = local(I);
  } else {
    if (UnusedName.empty())
      UnusedName = Names.fresh("_");
    Var = UnusedName;
  }
  if (!TestText.empty()) {
    endLine("if " + TestText + ":");
    ++Indent;
  }
  auto Saved = Appends;
  emitLoopAliases(S);
  beginLine();
  endLine("for " + Var + " in " + global("compress") + "(" + Range + ", " +
          Slice + "):");
  ++Indent;
  ++LoopDepth;
  emitBlock(Then);
  --LoopDepth;
  --Indent;
  Appends = std::move(Saved);
  if (!TestText.empty()) {
    emitFallback(S);
  }
  return true;
}

/// The selection loop whose body only sums, `x += c` (c a constant) and
/// `y += i`, as sieve's counting: x adds c times the number of selected
/// indices, `Slice.count(1)` in C, and y their sum, `sum(compress(...))`.
/// Exact for Python ints, in any order (each statement adds to its own
/// local, nothing else reads them); not in checked mode, whose checks sit
/// between the adds. count(1) needs the snapshot to hold exactly the
/// range's flags: with 0 <= lo (tested) and 0 <= hi <= len(a), lo > hi
/// leaves it empty; with a negative hi a[lo:hi] would count from the end,
/// hence \p HiNonNeg.
bool FunctionEmitter::emitSelectReductions(const Node &S,
                                           const kir::Block &Then,
                                           const std::string &TestText,
                                           const std::string &Range,
                                           const std::string &Slice,
                                           bool HiNonNeg) {
  if (MC.Opts.Checked || Then.Stmts.empty())
    return false;
  const kir::Local *I = S.Var;
  unsigned Counts = 0, Sums = 0;
  for (const auto &St : Then.Stmts) {
    if (St->Opcode != Op::LocalSet || St->Var == I)
      return false;
    const Node &Add = *St->operand(0);
    if (Add.Opcode != Op::IntAdd || !isLocal(*Add.operand(0), St->Var))
      return false;
    const Node &E = *Add.operand(1);
    if (E.Opcode == Op::IntConst)
      ++Counts;
    else if (isLocal(E, I))
      ++Sums;
    else
      return false;
  }
  if (Counts && !HiNonNeg)
    return false;

  if (!TestText.empty()) {
    endLine("if " + TestText + ":");
    ++Indent;
  }
  std::string Sel = Slice;
  if (Counts + Sums > 1) {
    Sel = Names.fresh("selected");
    beginLine();
    endLine(Sel + " = " + Slice);
  }
  std::string Selected = global("compress") + "(" + Range + ", " + Sel + ")";
  for (const auto &St : Then.Stmts) {
    const Node &E = *St->operand(0)->operand(1);
    std::string Term;
    if (E.Opcode == Op::IntConst)
      Term = (E.IntVal == 1 ? "" : paren(emit(E), PMul) + " * ") + Sel +
             ".count(1)";
    else
      Term = global("_sum") + "(" + Selected + ")";
    beginLine();
    endLine(local(St->Var) + " += " + Term);
  }
  if (!TestText.empty()) {
    emitFallback(S);
  }
  return true;
}

/// `let f = line.split(sep); for c in 0..len(f) { sums[c] += parse_int(f[c]); }`
/// (csv_sum): a line of only [-0-9] and sep, no space, '+' or '_' and no
/// control character (isprintable()), has pieces that int() takes exactly
/// when they are [-]digits; it raises ValueError for any other ("", "-",
/// "1-2"). Under that test of the line, each piece costs int() and a range
/// test instead of removeprefix(), isdigit() and len() (csv_sum: 49 -> 44
/// ms a table of 20000 lines, the reference 36); the ValueError is the
/// kernel's trap, at the piece it traps on, since the loop adds in the
/// kernel's order and nothing else in it raises ValueError. Otherwise the
/// loop runs as it is.
size_t FunctionEmitter::emitSplitParse(const kir::Block &Block,
                                       size_t Index) {
  if (Index + 1 >= Block.Stmts.size() || PiecesTested)
    return 0;
  const Node &Decl = *Block.Stmts[Index], &Loop = *Block.Stmts[Index + 1];
  if (Decl.Opcode != Op::LocalDecl || Decl.operand(0)->Opcode != Op::StrSplit ||
      !emittedAsItself(*Decl.operand(0)))
    return 0;
  const Node &Line = *Decl.operand(0)->operand(0);
  const kir::Local *F = Decl.Var;
  if (Line.Opcode != Op::LocalGet || !emittedAsItself(Line) ||
      A.isCharLocal(Line.Var))
    return 0;
  if (Loop.Opcode != Op::ForRange || Loop.Regions[0]->Stmts.size() != 1)
    return 0;
  const Node &Lo = *Loop.operand(0), &Hi = *Loop.operand(1);
  if (Lo.Opcode != Op::IntConst || Lo.IntVal != 0 ||
      Hi.Opcode != Op::ArrayLen || !isLocal(*Hi.operand(0), F))
    return 0;
  // Only stores, reads and int additions around one parse_int of f[c]:
  // nothing else may raise ValueError, nor assign a local.
  unsigned Parses = 0;
  bool Ok = !anyNode(*Loop.Regions[0], [&](const Node &N) {
    switch (N.Opcode) {
    case Op::ArraySet:
    case Op::ArrayGet:
    case Op::LocalGet:
    case Op::IntAdd:
    case Op::IntConst:
      return Visit::Continue;
    case Op::StrParseInt: {
      const Node &P = *N.operand(0);
      if (P.Opcode != Op::ArrayGet || !isLocal(*P.operand(0), F) ||
          !isLocal(*P.operand(1), Loop.Var))
        return Visit::Found;
      ++Parses;
      return Visit::Continue;
    }
    default:
      return Visit::Found;
    }
  });
  if (!Ok || Parses != 1)
    return 0;

  emitStmt(Decl);
  std::string L = local(Line.Var);
  beginLine();
  endLine("if " + L + ".isprintable() and \" \" not in " + L +
          " and \"+\" not in " + L + " and \"_\" not in " + L + ":");
  ++Indent;
  beginLine();
  endLine("try:");
  ++Indent;
  {
    llvm::SaveAndRestore<bool> Tested(PiecesTested, true);
    emitStmt(Loop);
  }
  --Indent;
  beginLine();
  endLine("except " + global("ValueError") + ":");
  ++Indent;
  const Node *Parse = nullptr;
  anyNode(*Loop.Regions[0], [&](const Node &N) {
    if (N.Opcode != Op::StrParseInt)
      return Visit::Continue;
    Parse = &N;
    return Visit::Found;
  });
  beginLine();
  endLine("raise " + global("KernelTrap") +
          "(\"invalid integer in parse_int\", " +
          std::to_string(Parse->Loc.Line) + ") from None");
  Indent -= 2;
  beginLine();
  endLine("else:");
  ++Indent;
  emitStmt(Loop);
  --Indent;
  return 2;
}

/// Whether \p B has a break or continue of its own loop (not of a loop
/// inside it).
static bool exitsLoop(const kir::Block &B, Op Exit) {
  return anyNode(B, [&](const Node &N) {
    if (N.Opcode == Op::While || N.Opcode == Op::ForRange ||
        N.Opcode == Op::ForEach || N.Opcode == Op::ForMap)
      return Visit::Skip;
    return N.Opcode == Exit ? Visit::Found : Visit::Continue;
  });
}

/// while i < e { ...; i += c; ... } with a constant c > 0, e the same at
/// every test, and i assigned nowhere else, read nowhere after its step
/// and never skipped by `continue`: a counted loop, which Python runs as
/// `for i in range(i, e, c)`, the range object counting in C. A step then
/// costs about 8 ns less than the while loop's test, add and store
/// (CPython 3.11), but making the range costs some 80 ns: only a loop
/// with many steps gains, so only a loop that runs once per call of a
/// function called once (not in a loop, no loop around it, no break that
/// would make it a search). When i is read after the loop, its final
/// value, the first step's value not below e, is restored: the for
/// variable is the last value below e, if any step ran.
bool FunctionEmitter::emitCountedWhile(const Node &S) {
  if (S.Opcode != Op::While || LoopDepth > 0 || A.isHot(&F) ||
      !Foreign.empty())
    return false;
  const Node &Cond = *S.operand(0);
  if (Cond.Opcode != Op::IntCmp ||
      (Cond.Predicate != kir::Pred::Lt && Cond.Predicate != kir::Pred::Le) ||
      Cond.operand(0)->Opcode != Op::LocalGet)
    return false;
  const kir::Local *I = Cond.operand(0)->Var;
  const Node &E = *Cond.operand(1);
  const kir::Block &Body = *S.Regions[0];
  // e: a name, constant or length, or one + or - of those, none of them
  // assigned by the loop (an array's length may change: left out).
  if (!duplicable(E) || usesLocalIn(E, I))
    return false;
  bool Variant = false;
  std::function<void(const Node &)> Check = [&](const Node &X) {
    if (X.Opcode == Op::ArrayLen || X.Opcode == Op::MapLen)
      Variant = true;
    if (X.Opcode == Op::LocalGet && assignsLocal(Body, X.Var))
      Variant = true;
    for (const Node *O : X.Operands)
      Check(*O);
  };
  Check(E);
  if (Variant || exitsLoop(Body, Op::Break) || exitsLoop(Body, Op::Continue))
    return false;
  // The step: one statement of the body, the only assignment of i.
  size_t StepAt = Body.Stmts.size();
  int64_t C = 0;
  for (size_t K = 0; K < Body.Stmts.size(); ++K) {
    const Node &St = *Body.Stmts[K];
    if (St.Opcode != Op::LocalSet || St.Var != I)
      continue;
    const Node &V = *St.operand(0);
    if (StepAt != Body.Stmts.size() || V.Opcode != Op::IntAdd ||
        !isLocal(*V.operand(0), I) || V.operand(1)->Opcode != Op::IntConst ||
        V.operand(1)->IntVal <= 0 || V.operand(1)->IntVal >= (int64_t(1) << 30))
      return false;
    StepAt = K;
    C = V.operand(1)->IntVal;
  }
  if (StepAt == Body.Stmts.size())
    return false;
  kir::Block Rest;
  for (size_t K = 0; K < Body.Stmts.size(); ++K) {
    if (K == StepAt)
      continue;
    if (K > StepAt && usesLocalIn(*Body.Stmts[K], I))
      return false;
    Rest.Stmts.push_back(Body.Stmts[K]);
  }
  // Nothing else assigns i, nor makes it a loop variable.
  if (anyNode(Rest, [&](const Node &N) {
        return N.Var == I && N.Opcode != Op::LocalGet ? Visit::Found
                                                      : Visit::Continue;
      }))
    return false;

  PyExpr EE = emit(E);
  std::string Name = local(I);
  bool Le = Cond.Predicate == kir::Pred::Le;
  std::string Stop = Le ? paren(EE, PAdd) + " + 1" : paren(EE, PCond);
  std::string Step = C == 1 ? "" : ", " + std::to_string(C);
  auto Saved = Appends;
  emitLoopAliases(S);
  beginLine();
  endLine("for " + Name + " in " + global("range") + "(" + Name + ", " +
          Stop + Step + "):");
  ++Indent;
  ++LoopDepth;
  emitBlock(Rest);
  --LoopDepth;
  --Indent;
  Appends = std::move(Saved);
  if (readOutside(F, I, S)) {
    beginLine();
    endLine("if " + Name + (Le ? " <= " : " < ") + paren(EE, PBitOr) + ":");
    ++Indent;
    beginLine();
    endLine(Name + " += " + std::to_string(C));
    --Indent;
  }
  return true;
}

/// The characters (codes 0..127) for which \p P, a condition on the
/// character \p V made of comparisons with constants, `!`, `&&` and `||`,
/// holds; false when \p P is not of that form.
static bool charClass(const Node &P, const kir::Local *V,
                      std::bitset<128> &Set) {
  switch (P.Opcode) {
  case Op::BoolNot:
    if (!charClass(*P.operand(0), V, Set))
      return false;
    Set.flip();
    return true;
  case Op::BoolAnd:
  case Op::BoolOr: {
    std::bitset<128> L, R;
    if (!charClass(*P.operand(0), V, L) || !charClass(*P.operand(1), V, R))
      return false;
    Set = P.Opcode == Op::BoolAnd ? (L & R) : (L | R);
    return true;
  }
  case Op::IntCmp: {
    const Node *X = P.operand(0), *K = P.operand(1);
    kir::Pred Pr = P.Predicate;
    if (!isLocal(*X, V)) {
      std::swap(X, K);
      Pr = kir::swappedPred(Pr);
    }
    if (!isLocal(*X, V) || K->Opcode != Op::IntConst)
      return false;
    int64_t C = K->IntVal;
    Set.reset();
    for (int64_t Ch = 0; Ch < 128; ++Ch) {
      bool In = false;
      switch (Pr) {
      case kir::Pred::Eq: In = Ch == C; break;
      case kir::Pred::Ne: In = Ch != C; break;
      case kir::Pred::Lt: In = Ch < C; break;
      case kir::Pred::Le: In = Ch <= C; break;
      case kir::Pred::Gt: In = Ch > C; break;
      case kir::Pred::Ge: In = Ch >= C; break;
      }
      Set[Ch] = In;
    }
    return true;
  }
  default:
    return false;
  }
}

/// for c in s { if p(c) { ... } if q(c) { ... } } where every statement
/// of the body is such an `if` on a class of characters: it does nothing
/// for a string without any of them, which str methods tell in C. A
/// printable ASCII string (isprintable()) has no control character (0..31,
/// 127), and `x in s` finds a few others: the loop runs only when s may
/// have one (json_serialize's escape: 80 ns instead of 580 for a name
/// without quotes, backslashes or controls).
bool FunctionEmitter::emitGuardedScan(const Node &S) {
  if (S.Opcode != Op::ForEach)
    return false;
  const Node &C = *S.operand(0);
  const Node &CR = resolve(C);
  if (C.Ty->Kind != kir::TypeKind::Str || !simple(C) ||
      (CR.Opcode == Op::LocalGet && A.isByteStr(CR.Var)))
    return false;
  std::bitset<128> Any;
  for (const Node *St : S.Regions[0]->Stmts) {
    std::bitset<128> Set;
    if (St->Opcode != Op::If ||
        (St->Regions.size() > 1 && !St->Regions[1]->Stmts.empty()) ||
        !charClass(*St->operand(0), S.Var, Set))
      return false;
    Any |= Set;
  }
  std::bitset<128> Controls;
  for (unsigned Ch = 0; Ch < 32; ++Ch)
    Controls[Ch] = true;
  Controls[127] = true;
  std::bitset<128> Others = Any & ~Controls;
  if (Any.none() || Others.count() > 4)
    return false;
  PyExpr SE = emit(C);
  std::vector<std::string> Tests;
  if ((Any & Controls).any())
    Tests.push_back("not " + paren(SE, PPostfix) + ".isprintable()");
  for (unsigned Ch = 0; Ch < 128; ++Ch)
    if (Others[Ch])
      Tests.push_back(pyStringLiteral(std::string(1, char(Ch))) + " in " +
                      paren(SE, PBitOr));
  std::string Test;
  for (const std::string &T : Tests)
    Test += (Test.empty() ? "" : " or ") + T;
  endLine("if " + Test + ":");
  ++Indent;
  emitStmt(S, /*Idioms=*/false);
  --Indent;
  return true;
}

namespace {
/// A bound base + Offset: a node (null: the constant 0) plus a constant.
struct Bound {
  const Node *Base = nullptr;
  int64_t Offset = 0;
};
} // namespace

/// \p N as base + constant: x + c, x - c, a constant, or x itself.
static Bound asBound(const Node &N) {
  if (N.Opcode == Op::IntConst)
    return {nullptr, N.IntVal};
  if ((N.Opcode == Op::IntAdd || N.Opcode == Op::IntSub) &&
      N.operand(1)->Opcode == Op::IntConst &&
      std::abs(N.operand(1)->IntVal) < (int64_t(1) << 30))
    return {N.operand(0), N.Opcode == Op::IntAdd ? N.operand(1)->IntVal
                                                 : -N.operand(1)->IntVal};
  return {&N, 0};
}

namespace {
/// x = s * j + e (Scaled: s * (j + e)) for a loop counter j, with a
/// constant s >= 1 and e (null: 0) the same at every step.
struct Affine {
  int64_t S = 1;
  const Node *E = nullptr;
  bool Scaled = false;
  const Node *Decl = nullptr;
};
} // namespace

/// \p N as s * j + e or s * (j + e), either operand order; no check of
/// checked mode's in between (an IntCheckSafe node) matches.
static bool matchAffine(const Node &N, const kir::Local *J, Affine &Af) {
  // j + e or e + j, with e free of j.
  auto Sum = [&](const Node &X, const Node *&E) {
    if (isLocal(X, J)) {
      E = nullptr;
      return true;
    }
    if (X.Opcode != Op::IntAdd)
      return false;
    for (unsigned K = 0; K < 2; ++K)
      if (isLocal(*X.operand(K), J) && !usesLocalIn(*X.operand(1 - K), J)) {
        E = X.operand(1 - K);
        return true;
      }
    return false;
  };
  // s * x or x * s.
  auto Scale = [&](const Node &X, int64_t &S, const Node *&Of) {
    if (X.Opcode != Op::IntMul)
      return false;
    for (unsigned K = 0; K < 2; ++K) {
      const Node &C = *X.operand(K);
      if (C.Opcode == Op::IntConst && C.IntVal >= 1 &&
          C.IntVal <= (int64_t(1) << 20)) {
        S = C.IntVal;
        Of = X.operand(1 - K);
        return true;
      }
    }
    return false;
  };
  const Node *Of = nullptr;
  if (Scale(N, Af.S, Of) && Sum(*Of, Af.E)) {
    Af.Scaled = Af.E != nullptr;
    return true;
  }
  if (N.Opcode != Op::IntAdd)
    return false;
  for (unsigned K = 0; K < 2; ++K) {
    const Node &X = *N.operand(K), &E = *N.operand(1 - K);
    if (usesLocalIn(E, J))
      continue;
    if ((Scale(X, Af.S, Of) && isLocal(*Of, J)) || isLocal(X, J)) {
      if (isLocal(X, J))
        Af.S = 1;
      Af.E = &E;
      Af.Scaled = false;
      return true;
    }
  }
  return false;
}

/// Whether \p N is made of locals that \p B never assigns, constants and
/// integer adds, subtracts and multiplies: the same value at every step.
static bool invariantIn(const Node &N, const kir::Block &B) {
  switch (N.Opcode) {
  case Op::IntConst:
    return true;
  case Op::LocalGet:
    return !anyNode(B, [&](const Node &M) {
      return (M.Opcode == Op::LocalSet || M.Opcode == Op::LocalDecl) &&
                     M.Var == N.Var
                 ? Visit::Found
                 : Visit::Continue;
    });
  case Op::IntAdd:
  case Op::IntSub:
  case Op::IntMul:
    return invariantIn(*N.operand(0), B) && invariantIn(*N.operand(1), B);
  default:
    return false;
  }
}

/// Whether \p B assigns the local \p Decl declares anywhere but there.
static bool assignsLocalAgain(const kir::Block &B, const Node *Decl) {
  return anyNode(B, [&](const Node &N) {
    return &N != Decl &&
                   (N.Opcode == Op::LocalSet || N.Opcode == Op::LocalDecl) &&
                   N.Var == Decl->Var
               ? Visit::Found
               : Visit::Continue;
  });
}

/// Whether \p F, or a function it calls, may store into, push to or pop
/// from an array.
static bool mayWriteArrays(const kir::Function &F,
                           llvm::DenseSet<const kir::Function *> &Seen) {
  if (!Seen.insert(&F).second)
    return false;
  return anyNode(*F.Body, [&](const Node &N) {
    if (N.Opcode == Op::ArraySet || N.Opcode == Op::ArrayPush ||
        N.Opcode == Op::ArrayPop ||
        (N.Opcode == Op::Call && mayWriteArrays(*N.Callee, Seen)))
      return Visit::Found;
    return Visit::Continue;
  });
}

namespace {
/// The stores of a loop over j that write y[s * j + c .. s * j + c + s)
/// at each step, in order: one element after the other.
struct RowPlan {
  const kir::Local *Y = nullptr;
  std::vector<const Node *> Stores;
  int64_t S = 1, C = 0;
  bool has(const Node &N) const { return llvm::is_contained(Stores, &N); }
};
} // namespace

/// Whether every array \p L of \p F holds is one it allocated itself: not
/// a parameter, and every assignment an array(n, v) or [...]. Two such
/// locals never hold the same array, nor does a parameter never assigned
/// (its array is older than the call).
static bool holdsOwnArrays(const kir::Function &F, const kir::Local *L) {
  if (llvm::is_contained(F.Params, L))
    return false;
  return !anyNode(*F.Body, [&](const Node &N) {
    if (N.Var != L && N.Var2 != L)
      return Visit::Continue;
    if (N.Opcode == Op::LocalGet)
      return Visit::Continue;
    bool Own = (N.Opcode == Op::LocalDecl || N.Opcode == Op::LocalSet) &&
               N.Var == L &&
               (N.operand(0)->Opcode == Op::ArrayNew ||
                N.operand(0)->Opcode == Op::ArrayLit);
    return Own ? Visit::Continue : Visit::Found;
  });
}

/// \p N as s * j + c (s >= 1 and c constants; s * (j + e) too).
static bool rowIndex(const Node &N, const kir::Local *J, int64_t &S,
                     int64_t &C) {
  Bound B = asBound(N);
  if (B.Base && isLocal(*B.Base, J)) {
    S = 1;
    C = B.Offset;
    return true;
  }
  Affine Af;
  if (!matchAffine(N, J, Af) || Af.S > (int64_t(1) << 10))
    return false;
  int64_t E = 0;
  if (Af.E) {
    if (Af.E->Opcode != Op::IntConst || std::abs(Af.E->IntVal) >= (int64_t(1) << 30))
      return false;
    E = Af.E->IntVal;
  }
  S = Af.S;
  C = Af.Scaled ? Af.S * E : E;
  return true;
}

/// The statements `y[s * j + c] = v1; ...; y[s * j + c + s - 1] = vs;` of
/// \p Body (s = 1: `y[j + c] = v`) that store s elements per step of a loop
/// over j, one after the other: statements of the body itself, the only
/// stores to an array of y's type, in a body without break, continue or
/// return. Appended to a new list, their values are the slice y[s * lo +
/// c:s * hi + c] when the loop ends; a trap ends the kernel, so nobody sees
/// the stores it cut short.
static RowPlan rowStores(const kir::Block &Body, const kir::Local *J) {
  RowPlan R;
  for (const Node *St : Body.Stmts) {
    int64_t S, C;
    if (St->Opcode != Op::ArraySet || St->operand(0)->Opcode != Op::LocalGet ||
        (R.Y && St->operand(0)->Var != R.Y) ||
        !rowIndex(*St->operand(1), J, S, C))
      continue;
    if (!R.Y) {
      R.Y = St->operand(0)->Var;
      R.S = S;
      R.C = C;
    } else if (S != R.S || C != R.C + int64_t(R.Stores.size()))
      return {};
    R.Stores.push_back(St);
  }
  if (!R.Y || int64_t(R.Stores.size()) != R.S)
    return {};
  const kir::Type *YTy = R.Y->Ty;
  bool Other = anyNode(Body, [&](const Node &N) {
    if (N.Opcode == Op::Break || N.Opcode == Op::Continue ||
        N.Opcode == Op::Return ||
        (!R.has(N) && N.Opcode == Op::ArraySet && N.operand(0)->Ty == YTy))
      return Visit::Found;
    return Visit::Continue;
  });
  return Other ? RowPlan() : R;
}

/// for i in lo..hi { ... a[i + c] ... } reading arrays, strs or bytes at
/// the counter plus a constant, none of which the body changes: the
/// interpreter indexes each once per step, where zip (or enumerate) hands
/// the elements of slices over, in C, as the loop's own variables
/// (levenshtein: zip(range(1, m + 1), prev[1:m + 1], b), 9% faster; csv
/// fields: enumerate). The slices hold exactly the elements the loop reads
/// when every read is in range, lo + c >= 0 and hi + c <= len(a), and no
/// array the body stores to is one of them (`cur is not prev`): what is
/// not known is tested, and otherwise the loop runs as written (it traps
/// where the kernel does).
bool FunctionEmitter::emitZipLoop(const Node &S) {
  if (S.Opcode != Op::ForRange || !Foreign.empty() || !ZipReads.empty())
    return false;
  const kir::Local *J = S.Var;
  const kir::Block &Body = *S.Regions[0];
  const Node &Lo = *S.operand(0), &Hi = *S.operand(1);
  if (!duplicable(Lo) || !duplicable(Hi))
    return false;
  // The reads, by sequence and offset, in order of appearance; a strided
  // one reads a[x + c] with `let x = s * j + e` (Idx is x).
  struct Seq {
    const kir::Local *Arr;
    int64_t C;
    std::vector<const Node *> Reads;
    std::string Name;
    const kir::Local *Idx = nullptr;
  };
  std::vector<Seq> Seqs;
  llvm::DenseMap<const kir::Local *, Affine> Strided;
  for (const Node *St : Body.Stmts) {
    Affine Af;
    if (St->Opcode == Op::LocalDecl && matchAffine(*St->operand(0), J, Af) &&
        (!Af.E || invariantIn(*Af.E, Body)) && !assignsLocalAgain(Body, St))
      Strided[St->Var] = {Af.S, Af.E, Af.Scaled, St};
  }
  std::vector<const kir::Local *> Stored; // arrays the body stores to
  llvm::DenseSet<const kir::Type *> Resized; // types pushed to or popped
  bool Ok = true;
  // Reads of a str used as characters: compared with a character, or the
  // value of a character local.
  llvm::DenseSet<const Node *> CharUses;
  anyNode(Body, [&](const Node &N) {
    if ((N.Opcode == Op::LocalDecl || N.Opcode == Op::LocalSet) &&
        A.isCharLocal(N.Var))
      CharUses.insert(N.operand(0));
    if (N.Opcode == Op::IntCmp)
      for (unsigned K = 0; K < 2; ++K) {
        const Node &O = *N.operand(1 - K);
        if (A.isCharExpr(&O) ||
            (O.Opcode == Op::IntConst && O.IntVal >= 0 && O.IntVal < 128))
          CharUses.insert(N.operand(K));
      }
    return Visit::Continue;
  });
  anyNode(Body, [&](const Node &N) {
    switch (N.Opcode) {
    case Op::Call: {
      llvm::DenseSet<const kir::Function *> Seen;
      if (!mayWriteArrays(*N.Callee, Seen))
        return Visit::Continue;
      Ok = false;
      return Visit::Found;
    }
    case Op::ArrayPush:
    case Op::ArrayPop:
      // Another array may grow or shrink; one of a read type may not.
      Resized.insert(N.operand(0)->Ty);
      return Visit::Continue;
    case Op::While:
    case Op::ForRange:
    case Op::ForEach:
    case Op::ForMap:
      Ok = false;
      return Visit::Found;
    case Op::LocalSet:
    case Op::LocalDecl:
      if (N.Var == J)
        Ok = false;
      return Ok ? Visit::Continue : Visit::Found;
    case Op::ArraySet:
      if (N.operand(0)->Opcode != Op::LocalGet) {
        Ok = false;
        return Visit::Found;
      }
      Stored.push_back(N.operand(0)->Var);
      return Visit::Continue;
    case Op::ArrayGet:
    case Op::StrCodeAt:
    case Op::BytesAt: {
      const Node &X = *N.operand(0), &I = *N.operand(1);
      Bound B = asBound(I);
      if (X.Opcode != Op::LocalGet || !B.Base ||
          B.Base->Opcode != Op::LocalGet ||
          (B.Base->Var != J && !Strided.count(B.Base->Var)))
        return Visit::Continue;
      const kir::Local *Idx = B.Base->Var == J ? nullptr : B.Base->Var;
      // A str's element is a one-character str: no gain where the code
      // is needed (ord() of it).
      if (N.Opcode == Op::StrCodeAt && !A.isByteStr(X.Var) &&
          !CharUses.count(&N)) {
        Ok = false;
        return Visit::Found;
      }
      auto It = llvm::find_if(Seqs, [&](const Seq &Q) {
        return Q.Arr == X.Var && Q.C == B.Offset && Q.Idx == Idx;
      });
      if (It == Seqs.end()) {
        Seqs.push_back({X.Var, B.Offset, {}, "", Idx});
        It = Seqs.end() - 1;
      }
      It->Reads.push_back(&N);
      return Visit::Skip;
    }
    default:
      return Visit::Continue;
    }
  });
  // An array the body stores to is read as it is (a[i] += x).
  llvm::erase_if(Seqs, [&](const Seq &Q) {
    return llvm::is_contained(Stored, Q.Arr);
  });
  if (llvm::any_of(Seqs, [&](const Seq &Q) { return Resized.count(Q.Arr->Ty); }))
    return false;
  if (!Ok || Seqs.empty() || Seqs.size() > 4)
    return false;
  auto Reassigned = [&](const kir::Local *L) {
    return anyNode(Body, [&](const Node &N) {
      return N.Opcode == Op::LocalSet && N.Var == L ? Visit::Found
                                                    : Visit::Continue;
    });
  };
  for (const Seq &Q : Seqs)
    if (assignsLocal(Body, Q.Arr))
      return false;
  // The length of a str constant bound once.
  auto ConstLength = [&](const kir::Local *L) -> int64_t {
    int64_t Len = -1;
    bool Set = false;
    anyNode(*F.Body, [&](const Node &N) {
      if ((N.Opcode == Op::LocalDecl || N.Opcode == Op::LocalSet) &&
          N.Var == L) {
        if (Set || N.Opcode == Op::LocalSet ||
            N.operand(0)->Opcode != Op::StrConst) {
          Len = -1;
          return Visit::Found;
        }
        Set = true;
        Len = int64_t(N.operand(0)->StrVal.size());
      }
      return Visit::Continue;
    });
    return Len;
  };

  // The row the body writes, `y[j + c] = v` once per step, is appended to
  // a new list and stored as one slice after the loop.
  RowPlan Row = rowStores(Body, J);
  if (Row.Y) {
    // Nothing else may see an array of y's type (the array and index
    // nodes of `y[j] += v` are the value's too) but a local that cannot
    // hold y's array, nor may a call.
    const kir::Type *YTy = Row.Y->Ty;
    bool OwnY = holdsOwnArrays(F, Row.Y);
    auto Test = [&](const Node &N) {
      if (Row.has(N) || llvm::any_of(Seqs, [&](const Seq &Q) {
            return llvm::is_contained(Q.Reads, &N);
          }))
        return Visit::Skip;
      if (OwnY && N.Opcode == Op::LocalGet && N.Var != Row.Y &&
          (holdsOwnArrays(F, N.Var) || (llvm::is_contained(F.Params, N.Var) &&
                                        !assignsLocal(*F.Body, N.Var))))
        return Visit::Continue;
      return N.Ty == YTy || N.Opcode == Op::Call ? Visit::Found
                                                 : Visit::Continue;
    };
    bool Seen = anyNode(Body, Test) ||
                llvm::any_of(Row.Stores, [&](const Node *St) {
                  return anyNodeIn(*St->operand(2), Test);
                });
    if (Seen || MC.isFlagArray(YTy) || Resized.count(YTy) ||
        assignsLocal(Body, Row.Y))
      Row = {};
  }

  // The test: reads in range, stores elsewhere.
  Bound LoB = asBound(resolve(Lo)), HiB = asBound(resolve(Hi));
  auto Text = [&](const Bound &B, int64_t Add) -> std::string {
    int64_t K = B.Offset + Add;
    if (!B.Base)
      return std::to_string(K);
    PyExpr E = emit(*B.Base);
    if (K == 0)
      return paren(E, PBitOr);
    return paren(E, PAdd) + (K > 0 ? " + " : " - ") + std::to_string(std::abs(K));
  };
  auto IsLength = [&](const Node *X, const kir::Local *Arr) {
    if (!X)
      return false;
    const Node &R = resolve(*X);
    if ((R.Opcode == Op::ArrayLen || R.Opcode == Op::StrLen ||
         R.Opcode == Op::BytesLen) &&
        isLocal(*R.operand(0), Arr))
      return true;
    return R.Opcode == Op::LocalGet &&
           (A.fixedLength(Arr) == R.Var || KnownLengths.lookup(Arr) == R.Var);
  };
  auto LeastOf = [&](const Bound &B) {
    if (!B.Base)
      return B.Offset;
    int64_t L = range(*B.Base).Lo;
    return L == Range::NegInf ? L : L + B.Offset;
  };
  auto GreatestOf = [&](const Bound &B) {
    if (!B.Base)
      return B.Offset;
    int64_t H = range(*B.Base).Hi;
    return H == Range::PosInf ? H : H + B.Offset;
  };
  // The row's position s * t + c at a bound t (lo or hi).
  auto RowAt = [&](const Bound &T) -> std::string {
    if (Row.S == 1)
      return Text(T, Row.C);
    int64_t K = Row.S * T.Offset + Row.C;
    if (!T.Base)
      return std::to_string(K);
    std::string R = std::to_string(Row.S) + " * " + paren(emit(*T.Base), PMul);
    if (K != 0)
      R += (K > 0 ? " + " : " - ") + std::to_string(std::abs(K));
    return R;
  };
  // A strided sequence's position s * t + e + c at a bound t (lo or hi),
  // its constant folded: s * (e + t) + c, s * t + e + c.
  // Names bound before the loop to a strided index's first and end
  // positions (x at lo, x at hi), when several slices use them.
  llvm::DenseMap<std::pair<const Node *, unsigned>, std::string> Ends;
  auto Position = [&](const Bound &T, const Affine &Af, int64_t C) {
    auto Named = Ends.find({Af.Decl, unsigned(&T == &HiB)});
    if (Named != Ends.end())
      return Named->second +
             (C == 0 ? "" : (C > 0 ? " + " : " - ") + std::to_string(std::abs(C)));
    std::vector<std::string> Terms;
    int64_t K = Af.S * T.Offset + C;
    std::string Base = T.Base ? paren(emit(*T.Base), PAdd) : "";
    std::string E = Af.E ? paren(emit(*Af.E), PAdd) : "";
    if (Af.Scaled) {
      std::string Inner = Base.empty() ? E : E + " + " + Base;
      Terms.push_back(std::to_string(Af.S) + " * " +
                      (Base.empty() ? paren(emit(*Af.E), PMul)
                                    : "(" + Inner + ")"));
    } else {
      if (T.Base)
        Terms.push_back(Af.S == 1 ? Base
                                  : std::to_string(Af.S) + " * " +
                                        paren(emit(*T.Base), PMul));
      if (Af.E)
        Terms.push_back(E);
    }
    std::string Text;
    for (const std::string &X : Terms)
      Text += (Text.empty() ? "" : " + ") + X;
    if (Text.empty())
      return std::to_string(K);
    if (K != 0)
      Text += (K > 0 ? " + " : " - ") + std::to_string(std::abs(K));
    return Text;
  };
  // Whether a strided sequence's first read, at lo, is proven >= 0.
  auto FirstInRange = [&](const Affine &Af, int64_t C) {
    int64_t T = LeastOf(LoB);
    int64_t E = Af.E ? range(*Af.E).Lo : 0;
    if (T == Range::NegInf || E == Range::NegInf || T < -(int64_t(1) << 40) ||
        E < -(int64_t(1) << 40))
      return false;
    return (Af.Scaled ? Af.S * (T + E) : Af.S * T + E) + C >= 0;
  };
  // The tests, and the arrays that need one.
  std::vector<std::string> Tests;
  std::vector<bool> FromStart, ToEnd;
  bool RowFromStart = false, RowToEnd = false, RowOrdered = false;
  llvm::DenseSet<const kir::Local *> Tested;
  auto Plan = [&] {
    Tests.clear();
    FromStart.clear();
    ToEnd.clear();
    Tested.clear();
    auto Add = [&](const kir::Local *Arr, std::string T) {
      Tests.push_back(std::move(T));
      Tested.insert(Arr);
    };
    for (const kir::Local *Y : Stored)
      for (const Seq &Q : Seqs)
        if (Q.Arr->Ty == Y->Ty)
          Add(Q.Arr, local(Y) + " is not " + local(Q.Arr));
    // Per array and index, the least and greatest offsets bound the reads.
    llvm::DenseMap<std::pair<const kir::Local *, const kir::Local *>,
                   std::pair<int64_t, int64_t>>
        Extent;
    for (const Seq &Q : Seqs) {
      auto [It, New] = Extent.try_emplace({Q.Arr, Q.Idx}, Q.C, Q.C);
      It->second.first = std::min(It->second.first, Q.C);
      It->second.second = std::max(It->second.second, Q.C);
    }
    for (const Seq &Q : Seqs) {
      auto [Least, Greatest] = Extent.lookup({Q.Arr, Q.Idx});
      if (Q.Idx) {
        // Reads at s * j + e + c for j in lo..hi: the first at lo, the
        // last at hi - 1, s * hi + e + c - s.
        const Affine &Af = Strided[Q.Idx];
        if (Q.C == Least && !FirstInRange(Af, Q.C))
          Add(Q.Arr, "0 <= " + Position(LoB, Af, Q.C));
        if (Q.C == Greatest)
          Add(Q.Arr, Position(HiB, Af, Q.C - Af.S + 1) + " <= " +
                         lengthOf(Q.Arr));
        FromStart.push_back(false);
        ToEnd.push_back(false);
        continue;
      }
      bool LoOk = LoB.Base ? range(*LoB.Base).Lo != Range::NegInf &&
                                 range(*LoB.Base).Lo + LoB.Offset + Q.C >= 0
                           : LoB.Offset + Q.C >= 0;
      if (!LoOk && Q.C == Least)
        Add(Q.Arr, "0 <= " + Text(LoB, Q.C));
      int64_t Const = HiB.Base ? -1 : ConstLength(Q.Arr);
      bool HiLen = (HiB.Offset + Q.C == 0 && IsLength(HiB.Base, Q.Arr)) ||
                   (Const >= 0 && HiB.Offset + Q.C == Const);
      bool HiOk = HiLen ||
                  (HiB.Offset + Q.C < 0 && IsLength(HiB.Base, Q.Arr)) ||
                  (Const >= 0 && HiB.Offset + Q.C <= Const);
      if (!HiOk && Q.C == Greatest)
        Add(Q.Arr, Text(HiB, Q.C) + " <= " + lengthOf(Q.Arr));
      FromStart.push_back(!LoB.Base && LoB.Offset + Q.C == 0);
      ToEnd.push_back(HiLen);
    }
    if (Row.Y) {
      // The slice y[s * lo + c:s * hi + c] is the row's elements when
      // s * lo + c >= 0 and s * hi + c <= len(y), and, should the loop run
      // no step, s * hi + c >= 0 (a negative end counts from the end:
      // y[3:-1] = [] deletes).
      RowOrdered = false;
      int64_t LeastLo = LeastOf(LoB), LeastHi = LeastOf(HiB);
      auto AtLeast0 = [&](int64_t L) {
        if (L == Range::NegInf || L < -(int64_t(1) << 40))
          return false;
        return L > (int64_t(1) << 40) || Row.S * L + Row.C >= 0;
      };
      if (!AtLeast0(LeastLo))
        Add(Row.Y, "0 <= " + RowAt(LoB));
      RowToEnd = Row.S == 1 && HiB.Offset + Row.C == 0 &&
                 IsLength(HiB.Base, Row.Y);
      if (!RowToEnd && !(Row.S == 1 && HiB.Offset + Row.C < 0 &&
                         IsLength(HiB.Base, Row.Y)))
        Add(Row.Y, RowAt(HiB) + " <= " + lengthOf(Row.Y));
      int64_t GreatestLo = GreatestOf(LoB);
      bool Ordered = GreatestLo != Range::PosInf && LeastHi != Range::NegInf &&
                     GreatestLo <= LeastHi;
      // lo <= hi (with s * lo + c >= 0) gives it, and lets the zip go
      // without the range.
      RowOrdered = !Ordered && !AtLeast0(LeastHi);
      if (RowOrdered && !LoB.Base && HiB.Base) // 1 <= n + 1 is 0 <= n
        Add(Row.Y, std::to_string(LoB.Offset - HiB.Offset) + " <= " +
                       Text({HiB.Base, 0}, 0));
      else if (RowOrdered)
        Add(Row.Y, Text(LoB, 0) + " <= " + Text(HiB, 0));
      RowFromStart = !LoB.Base && Row.S * LoB.Offset + Row.C == 0;
    }
    // Once each, in the order they were found: sorting them by their text
    // would make the code depend on how the kernel names its variables.
    llvm::StringSet<> Seen;
    llvm::erase_if(Tests,
                   [&](const std::string &T) { return !Seen.insert(T).second; });
  };
  Plan();
  // A second copy of the loop for what the test leaves out is worth it in
  // a loop that runs many times; elsewhere only the arrays that need no
  // test are zipped, the others read as they are.
  if (!Tests.empty() && LoopDepth == 0) {
    // A read left as it is could see the row's array (`cur is not prev`
    // tested no more): the stores must happen in their steps.
    if (Row.Y && llvm::any_of(Seqs, [&](const Seq &Q) {
          return Tested.count(Q.Arr) && Q.Arr->Ty == Row.Y->Ty;
        }))
      Row = {};
    if (Row.Y && Tested.count(Row.Y))
      Row = {};
    llvm::erase_if(Seqs, [&](const Seq &Q) { return Tested.count(Q.Arr); });
    if (Seqs.empty())
      return false;
    Plan();
    assert(Tests.empty() && "arrays left without tests need none");
  }
  // i_lo = 3 * start, i_hi = 3 * (start + count): bound once where
  // several slices start and end there.
  std::vector<std::string> EndLines;
  // In the body's order: the names must not depend on pointers.
  for (const Node *St : Body.Stmts) {
    if (St->Opcode != Op::LocalDecl || !Strided.count(St->Var))
      continue;
    const Affine &Af = Strided[St->Var];
    size_t Uses = llvm::count_if(
        Seqs, [&](const Seq &Q) { return Q.Idx == St->Var; });
    if (Uses < 2)
      continue;
    for (bool Hi : {false, true}) {
      std::string T = Position(Hi ? HiB : LoB, Af, 0);
      if (T.find(' ') == std::string::npos)
        continue;
      std::string Name =
          Names.fresh(local(Af.Decl->Var) + (Hi ? "_hi" : "_lo"));
      EndLines.push_back(Name + " = " + T);
      Ends[{Af.Decl, unsigned(Hi)}] = Name;
    }
  }
  if (!Ends.empty())
    Plan();
  std::string Test;
  for (const std::string &T : Tests)
    Test += (Test.empty() ? "" : " and ") + T;

  // Names: `let x = a[i + c]` in the body binds x itself.
  llvm::DenseSet<const Node *> Decls;
  for (Seq &Q : Seqs) {
    for (const Node *St : Body.Stmts) {
      if (St->Opcode != Op::LocalDecl ||
          !llvm::is_contained(Q.Reads, St->operand(0)) ||
          Reassigned(St->Var))
        continue;
      bool Str = St->operand(0)->Opcode == Op::StrCodeAt && !A.isByteStr(Q.Arr);
      if (Str != A.isCharLocal(St->Var))
        continue;
      Q.Name = local(St->Var);
      Decls.insert(St);
      break;
    }
    if (Q.Name.empty())
      Q.Name = Names.fresh(
          local(Q.Arr) + "_" + local(Q.Idx ? Q.Idx : J) +
          (Q.Idx && Q.C ? std::to_string(Q.C) : std::string()));
  }
  auto Zipped = [&](const Node &N) {
    return llvm::any_of(Seqs, [&](const Seq &Q) {
      return llvm::is_contained(Q.Reads, &N);
    });
  };
  // `let x = s * j + e` read only by zipped reads is left out.
  for (const auto &[X, Af] : Strided) {
    const kir::Local *V = X;
    bool Read = anyNode(Body, [&](const Node &N) {
      if (&N == Af.Decl || Zipped(N))
        return Visit::Skip;
      return isLocal(N, V) ? Visit::Found : Visit::Continue;
    });
    if (!Read)
      Decls.insert(Af.Decl);
  }
  // Of the row's store, only the value is emitted.
  auto ReadsJ = [&](const Node &N) {
    if (Row.has(N) || Zipped(N) || Decls.count(&N))
      return Visit::Skip;
    return isLocal(N, J) ? Visit::Found : Visit::Continue;
  };
  bool UsesJ = anyNode(Body, ReadsJ) ||
               llvm::any_of(Row.Stores, [&](const Node *St) {
                 return anyNodeIn(*St->operand(2), ReadsJ);
               });

  // Without the range in the zip, a loop that runs no step (hi <= lo)
  // must find every slice empty: so hi + c >= 0 (a negative end counts
  // from the end: a[1:-1]) or lo <= hi, proven; else the range goes in.
  bool Ordered = (GreatestOf(LoB) != Range::PosInf &&
                  LeastOf(HiB) != Range::NegInf &&
                  GreatestOf(LoB) <= LeastOf(HiB)) ||
                 (Row.Y && RowOrdered);
  bool NeedRange = !Ordered && llvm::any_of(Seqs, [&](const Seq &Q) {
    int64_t L = LeastOf(HiB);
    return Q.Idx || L == Range::NegInf || L + Q.C < 0;
  });
  UsesJ |= NeedRange;

  // The body's expressions, inlined callees' under their arguments, each
  // with its parent (null: a statement). False if a callee is inlined twice
  // (its nodes would stand for two things).
  auto WalkBody = [&](llvm::function_ref<bool(const Node &, const Node *)>
                          Visit) {
    llvm::DenseSet<const kir::Function *> Inlined;
    bool Ok = true;
    std::function<void(const Node &, const Node *)> Walk =
        [&](const Node &N, const Node *Parent) {
          if (Zipped(N) || Decls.count(&N))
            return;
          const Node &R = resolve(N);
          if (&R != &N) { // a parameter: its argument, in the caller
            auto Saved = std::move(Subst);
            Subst.clear();
            Walk(R, Parent);
            Subst = std::move(Saved);
            return;
          }
          if (N.Opcode == Op::Call && inlineCall(N)) {
            if (!Inlined.insert(N.Callee).second || !Subst.empty()) {
              Ok = false;
              return;
            }
            for (unsigned I = 0; I < N.Operands.size(); ++I)
              Subst[N.Callee->Params[I]] = N.operand(I);
            Walk(*returnedExpr(*N.Callee), Parent);
            Subst.clear();
            return;
          }
          if (!Visit(N, Parent))
            return;
          if (Row.has(N)) {
            Walk(*N.operand(2), &N);
            return;
          }
          for (const Node *O : N.Operands)
            Walk(*O, &N);
          for (const kir::Block *B : N.Regions)
            for (const Node *St : B->Stmts)
              Walk(*St, nullptr);
        };
    for (const Node *St : Body.Stmts)
      Walk(*St, nullptr);
    return Ok;
  };
  auto Invariant = [&](const Node &N) {
    const Node &R = resolve(N);
    return R.Opcode == Op::IntConst ||
           (R.Opcode == Op::LocalGet && R.Var != J &&
            R.Ty->Kind == kir::TypeKind::Int && !assignsLocal(Body, R.Var));
  };
  // Counting j + e: the reference's `enumerate(u, i)` for i + j.
  if (UsesJ && !MC.Opts.Checked) {
    const kir::Local *E = nullptr;
    unsigned Paired = 0, Bare = 0;
    bool Mixed = false, JFirst = true;
    bool Ok = WalkBody([&](const Node &N, const Node *) {
      if (N.Opcode == Op::IntAdd)
        for (unsigned K = 0; K < 2; ++K) {
          const Node &X = resolve(*N.operand(K)), &Y = resolve(*N.operand(1 - K));
          if (!isLocal(X, J) || Y.Opcode != Op::LocalGet || !Invariant(Y))
            continue;
          Mixed |= E && E != Y.Var;
          if (!E)
            JFirst = K == 0;
          E = Y.Var;
          ++Paired;
          return false;
        }
      if (isLocal(N, J))
        ++Bare;
      return true;
    });
    if (Ok && E && !Mixed && Bare <= Paired) {
      std::string Base = JFirst ? local(J) + local(E) : local(E) + local(J);
      Offset = {J, E, Names.fresh(Base.size() <= 4 ? Base : local(J) + "_")};
    }
  }
  // Sums with two or more terms the same at every step: x + i + 1 is
  // x + i1, i1 = i + 1 added once before the loop (exact: Python ints).
  if (!MC.Opts.Checked) {
    std::vector<std::pair<const Node *, HoistedSum>> Found;
    bool Ok = WalkBody([&](const Node &N, const Node *Parent) {
      bool Sum = (N.Opcode == Op::IntAdd || N.Opcode == Op::IntSub) &&
                 !isOffsetSum(N);
      if (!Sum || (Parent && (Parent->Opcode == Op::IntAdd ||
                              Parent->Opcode == Op::IntSub)))
        return true;
      std::vector<std::pair<bool, const Node *>> Terms;
      sumTerms(N, false, Terms);
      std::vector<std::pair<bool, std::string>> Fixed;
      HoistedSum H;
      bool Changing = false, Local = false;
      for (auto [Neg, T] : Terms) {
        if (Offset.J && isLocal(resolve(*T), J)) {
          Fixed.push_back({!Neg, local(Offset.E)}); // j = k - e
          Changing = Local = true;
          continue;
        }
        if (!Invariant(*T)) {
          Changing = true;
          continue;
        }
        Local |= resolve(*T).Opcode == Op::LocalGet;
        Fixed.push_back({Neg, emit(*T).Text});
        H.Terms.insert(T);
      }
      if (!Changing || !Local || Fixed.size() < 2)
        return true;
      // Added terms first: 1 - i.
      std::stable_partition(Fixed.begin(), Fixed.end(),
                            [](const auto &F) { return !F.first; });
      std::string Text;
      for (auto &[Neg, T] : Fixed)
        Text += Text.empty() ? (Neg ? "-" + T : T) : (Neg ? " - " : " + ") + T;
      H.Name = Text;
      Found.push_back({&N, std::move(H)});
      return true;
    });
    if (Ok)
      for (auto &[N, H] : Found) {
        // i1 for i + 1, else c.
        std::string Text = H.Name;
        size_t Plus = Text.find(" + ");
        std::string Name =
            Plus != std::string::npos && Text.find(' ', Plus + 3) == std::string::npos &&
                    Text.find(' ') == Plus && std::isdigit(Text[Plus + 3])
                ? Text.substr(0, Plus) + Text.substr(Plus + 3)
                : "c";
        H.Name = Names.fresh(Name);
        H.Line = EndLines.size();
        EndLines.push_back(H.Name + " = " + Text);
        HoistedSums[N] = std::move(H);
      }
  }

  std::string Loop;
  std::vector<std::string> Targets, Iters;
  for (size_t K = 0; K < Seqs.size(); ++K) {
    const Seq &Q = Seqs[K];
    std::string Slice = local(Q.Arr);
    if (Q.Idx) {
      // Exactly hi - lo elements: the reads are in range, and the end may
      // pass len(a) by less than s.
      const Affine &Af = Strided[Q.Idx];
      std::string First = Position(LoB, Af, Q.C);
      Slice += "[" + (First == "0" ? "" : First) + ":" +
               Position(HiB, Af, Q.C) +
               (Af.S == 1 ? "" : ":" + std::to_string(Af.S)) + "]";
    } else if (!FromStart[K] || !ToEnd[K])
      Slice += "[" + (FromStart[K] ? "" : Text(LoB, Q.C)) + ":" +
               (ToEnd[K] ? "" : Text(HiB, Q.C)) + "]";
    Targets.push_back(Q.Name);
    Iters.push_back(Slice);
  }
  auto Join = [](const std::vector<std::string> &V) {
    std::string T;
    for (const std::string &X : V)
      T += (T.empty() ? "" : ", ") + X;
    return T;
  };
  bool LoZero = !LoB.Base && LoB.Offset == 0;
  std::string LoText = Text(LoB, 0), HiText = Text(HiB, 0);
  std::string Counter = local(J);
  if (Offset.J) {
    Counter = Offset.K;
    auto Plus = [&](const Bound &B) {
      std::string T = B.Base ? paren(emit(*B.Base), PAdd) : "";
      if (B.Base && B.Offset)
        T += (B.Offset > 0 ? " + " : " - ") + std::to_string(std::abs(B.Offset));
      else if (!B.Base)
        T = std::to_string(B.Offset);
      return T + " + " + local(Offset.E);
    };
    LoText = LoZero ? local(Offset.E) : Plus(LoB);
    HiText = Plus(HiB);
    LoZero = false;
  }
  if (UsesJ && Seqs.size() == 1 && !NeedRange)
    Loop = "for " + Counter + ", " + Targets[0] + " in " + global("enumerate") +
           "(" + Iters[0] + (LoZero ? "" : ", " + LoText) + "):";
  else if (!UsesJ && Seqs.size() == 1)
    Loop = "for " + Targets[0] + " in " + Iters[0] + ":";
  else {
    if (UsesJ) {
      Targets.insert(Targets.begin(), Counter);
      Iters.insert(Iters.begin(), global("range") + "(" +
                                      (LoZero ? "" : LoText + ", ") + HiText +
                                      ")");
    }
    Loop = "for " + Join(Targets) + " in " + global("zip") + "(" + Join(Iters) +
           "):";
  }

  std::string RowName, RowSlice;
  if (Row.Y) {
    RowName = Names.fresh(local(Row.Y) + "_row");
    RowSlice = local(Row.Y) + "[" + (RowFromStart ? "" : RowAt(LoB)) + ":" +
               (RowToEnd ? "" : RowAt(HiB)) + "]";
  }

  size_t FirstEndLine = Lines.size();
  for (std::string &L : EndLines)
    endLine(std::move(L));
  if (!Test.empty()) {
    endLine("if " + Test + ":");
    ++Indent;
  }
  if (Row.Y) {
    beginLine();
    endLine(RowName + " = []");
    for (const Node *St : Row.Stores)
      RowAppends[St] = RowName + ".append";
  }
  auto Saved = Appends;
  emitLoopAliases(S);
  beginLine();
  endLine(Loop);
  for (const Seq &Q : Seqs)
    for (const Node *R : Q.Reads)
      ZipReads[R] = Q.Name;
  ZipDecls = Decls;
  RangeLoops[J] = &S;
  ++Indent;
  ++LoopDepth;
  emitBlock(Body);
  --LoopDepth;
  --Indent;
  ZipReads.clear();
  ZipDecls.clear();
  RowAppends.clear();
  Offset = {};
  if (Row.Y) {
    beginLine();
    endLine(RowSlice + " = " + RowName);
  }
  std::vector<size_t> Unused;
  for (const auto &[N, H] : HoistedSums)
    if (!H.Used)
      Unused.push_back(FirstEndLine + H.Line);
  HoistedSums.clear();
  Appends = std::move(Saved);
  if (!Test.empty()) {
    emitFallback(S);
  }
  // A sum the body emits otherwise (s += x + i + 1 as an augmented
  // assignment) leaves its name unused: its line goes.
  llvm::sort(Unused);
  for (auto It = Unused.rbegin(); It != Unused.rend(); ++It)
    Lines.erase(Lines.begin() + *It);
  return true;
}

bool FunctionEmitter::isOffsetSum(const Node &N) {
  if (!Offset.J || N.Opcode != Op::IntAdd)
    return false;
  const Node &X = resolve(*N.operand(0)), &Y = resolve(*N.operand(1));
  return (isLocal(X, Offset.J) && isLocal(Y, Offset.E)) ||
         (isLocal(X, Offset.E) && isLocal(Y, Offset.J));
}

void FunctionEmitter::sumTerms(
    const Node &N, bool Neg, std::vector<std::pair<bool, const Node *>> &Out) {
  const Node &R = resolve(N);
  if ((R.Opcode == Op::IntAdd || R.Opcode == Op::IntSub) && !isOffsetSum(R)) {
    sumTerms(*R.operand(0), Neg, Out);
    sumTerms(*R.operand(1), R.Opcode == Op::IntSub ? !Neg : Neg, Out);
    return;
  }
  Out.push_back({Neg, &N});
}

//===----------------------------------------------------------------------===//
// Digit runs
//===----------------------------------------------------------------------===//

static bool isIntConst(const Node &N, int64_t V) {
  return N.Opcode == Op::IntConst && N.IntVal == V;
}

/// v * 10 + (c - 48), or v * 10 + c - 48, in any order of the operands.
static bool isDigitStep(const Node &E, const kir::Local *V,
                        const kir::Local *C) {
  auto Times10 = [&](const Node &M) {
    return M.Opcode == Op::IntMul &&
           ((isLocal(*M.operand(0), V) && isIntConst(*M.operand(1), 10)) ||
            (isIntConst(*M.operand(0), 10) && isLocal(*M.operand(1), V)));
  };
  auto Digit = [&](const Node &D) {
    return D.Opcode == Op::IntSub && isLocal(*D.operand(0), C) &&
           isIntConst(*D.operand(1), 48);
  };
  const Node &X = *E.operand(0);
  if (E.Opcode == Op::IntAdd)
    return (Times10(X) && Digit(*E.operand(1))) ||
           (Digit(X) && Times10(*E.operand(1)));
  if (E.Opcode != Op::IntSub || !isIntConst(*E.operand(1), 48) ||
      X.Opcode != Op::IntAdd)
    return false;
  return (Times10(*X.operand(0)) && isLocal(*X.operand(1), C)) ||
         (isLocal(*X.operand(0), C) && Times10(*X.operand(1)));
}

/// `var v = 0;` then a loop over s[k], k from lo up to hi, whose body is
///
///   let c = s[k]; if c < '0' || c > '9' { X } v = v * 10 + (c - '0');
///
/// (a for-range loop, or `while k < hi { ...; k += 1; }`). int() of the
/// characters in C costs what one step of the loop does (http_parse's
/// Content-Length: 440 -> 100 ns). Under `0 <= lo`, `0 <= hi <= len(s)`
/// (the slice s[lo:hi] is then exactly what the loop reads) and at most
/// 15 digits (the value stays below 2^53, and int() is exact: a str is
/// ASCII, whose only digits are 0-9, and s.isdigit() refuses the '+', '-',
/// '_' and spaces int() would take):
///
///  - X is `break`: the loop stops at the first non-digit, run characters
///    after lo, or at hi; v is int() of those (0 for none), k is lo + run.
///    `run = len(d) - len(d.lstrip("0123456789"))`, d = s[lo:hi].
///  - otherwise the loop runs X at a non-digit: only d.isdigit() (every
///    step a digit, hi > lo) makes X unreachable; v = int(d), k = hi.
///
/// Anything else runs the loop itself (X, its traps, a 16th digit).
size_t FunctionEmitter::emitDigitRun(const kir::Block &Block, size_t Index) {
  if (MC.Opts.Checked || Index + 1 >= Block.Stmts.size())
    return 0;
  const Node &Init = *Block.Stmts[Index], &Loop = *Block.Stmts[Index + 1];
  if ((Init.Opcode != Op::LocalDecl && Init.Opcode != Op::LocalSet) ||
      !isIntConst(*Init.operand(0), 0))
    return 0;
  const kir::Local *V = Init.Var;
  const kir::Local *K = nullptr;
  const Node *Lo = nullptr, *Hi = nullptr;
  bool IsWhile = Loop.Opcode == Op::While;
  if (Loop.Opcode == Op::ForRange) {
    K = Loop.Var;
    Lo = Loop.operand(0);
    Hi = Loop.operand(1);
  } else if (IsWhile) {
    const Node &Cond = *Loop.operand(0);
    if (Cond.Opcode != Op::IntCmp || Cond.Predicate != kir::Pred::Lt ||
        Cond.operand(0)->Opcode != Op::LocalGet)
      return 0;
    K = Cond.operand(0)->Var;
    Lo = Cond.operand(0);
    Hi = Cond.operand(1);
  } else {
    return 0;
  }
  const kir::Block &Body = *Loop.Regions[0];
  if (Body.Stmts.size() != (IsWhile ? 4u : 3u) || K == V)
    return 0;
  const Node &Decl = *Body.Stmts[0], &If = *Body.Stmts[1],
             &Step = *Body.Stmts[2];
  if (Decl.Opcode != Op::LocalDecl ||
      Decl.operand(0)->Opcode != Op::StrCodeAt ||
      !isLocal(*Decl.operand(0)->operand(1), K))
    return 0;
  const Node &Str = *Decl.operand(0)->operand(0);
  const kir::Local *C = Decl.Var;
  std::bitset<128> Exits, NonDigits;
  NonDigits.set();
  for (unsigned Ch = '0'; Ch <= '9'; ++Ch)
    NonDigits[Ch] = false;
  // (A callee's str inlined as statements stands for the caller's, which
  // may be held another way.)
  if (Str.Opcode != Op::LocalGet || Foreign.count(Str.Var) ||
      If.Opcode != Op::If ||
      (If.Regions.size() > 1 && !If.Regions[1]->Stmts.empty()) ||
      !charClass(*If.operand(0), C, Exits) || Exits != NonDigits)
    return 0;
  if (Step.Opcode != Op::LocalSet || Step.Var != V ||
      !isDigitStep(*Step.operand(0), V, C))
    return 0;
  if (IsWhile) {
    const Node &Inc = *Body.Stmts[3];
    if (Inc.Opcode != Op::LocalSet || Inc.Var != K ||
        Inc.operand(0)->Opcode != Op::IntAdd ||
        !isLocal(*Inc.operand(0)->operand(0), K) ||
        !isIntConst(*Inc.operand(0)->operand(1), 1))
      return 0;
  }
  // The bounds are evaluated for the test and again by the loop: no
  // effect, and the same value, before v is set (the loop's own init is
  // left to the fallback) and at every step.
  if (!duplicable(*Lo) || !duplicable(*Hi) || usesLocalIn(*Lo, V) ||
      usesLocalIn(*Hi, V) || usesLocalIn(*Hi, K) || usesLocalIn(*Hi, C))
    return 0;
  const kir::Block &Exit = *If.Regions[0];
  bool Run = Exit.Stmts.size() == 1 && Exit.Stmts[0]->Opcode == Op::Break;

  llvm::SaveAndRestore<uint32_t> InStmt(StmtLine, Loop.Loc.Line);
  beginLine();
  bool HiIsLen = false;
  bool NeedLo = !range(*Lo).nonNegative();
  bool NeedHiPos = !range(*Hi).nonNegative();
  bool NeedHiLen =
      !atMostLength(*Hi, Str, HiIsLen) && !A.withinLength(Hi, Str.Var);
  PyExpr SE = emit(Str), LE = emit(*Lo), HE = emit(*Hi);
  std::vector<std::string> Tests;
  if (NeedLo)
    Tests.push_back("0 <= " + paren(LE, PBitOr));
  if (NeedHiPos || NeedHiLen)
    Tests.push_back((NeedHiPos ? "0 <= " : "") + paren(HE, PBitOr) +
                    (NeedHiLen ? " <= " + lengthText(Str) : ""));
  bool LoZero = isIntConst(*Lo, 0);
  std::string Slice = paren(SE, PPostfix) + "[" +
                      (LoZero ? "" : paren(LE, PCond)) + ":" +
                      (HiIsLen ? "" : paren(HE, PCond)) + "]";
  std::string D = walrusName("digits");
  std::string Int = global("int"), Len = global("len");
  std::string VName = local(V), KName = local(K);
  std::string Test;
  if (Run) {
    std::string R = walrusName("run");
    bool Bytes = A.isByteStr(Str.Var);
    endLine(D + " = " + Slice);
    endLine(R + " = " + Len + "(" + D + ") - " + Len + "(" + D + ".lstrip(" +
            (Bytes ? "b" : "") + "\"0123456789\"))");
    Test = R + " <= 15";
    for (const std::string &T : Tests)
      Test += " and " + T;
    endLine("if " + Test + ":");
    ++Indent;
    endLine(VName + " = " + Int + "(" + D + "[:" + R + "]) if " + R +
            " else 0");
    if (IsWhile)
      endLine(KName + " += " + R);
  } else {
    for (const std::string &T : Tests)
      Test += T + " and ";
    Test += exactIntTest("(" + D + " := " + Slice + ")", {D, PAtom}).Text;
    endLine("if " + Test + ":");
    ++Indent;
    endLine(VName + " = " + Int + "(" + D + ")");
    if (IsWhile)
      endLine(KName + " = " + HE.Text);
  }
  --Indent;
  endLine("else:");
  ++Indent;
  emitStmt(Init);
  emitStmt(Loop);
  --Indent;
  return 2;
}

//===----------------------------------------------------------------------===//
// Exit tests in the loop's header
//===----------------------------------------------------------------------===//

/// while C { let c = s[i]; if p(c) { break; } ... } with p a class of
/// characters (comparisons with constants): `while C and s[i] in " \t":`
/// for the characters that go on, or a range of them, `"0" <= s[i] <=
/// "9"`, where the loop read s[i] into c, tested it and jumped out
/// (json_parse's skip_ws, inlined at every token: 3% of the kernel). The
/// order is the kernel's: C, then s[i] (its trap included), then p; a
/// break and a false header both leave the loop. c is bound in the header
/// (`(c := ...)`) when the rest of the body reads it.
bool FunctionEmitter::emitExitTestLoop(const Node &S) {
  if (S.Opcode != Op::While)
    return false;
  const kir::Block &Body = *S.Regions[0];
  if (Body.Stmts.size() < 2)
    return false;
  const Node &Decl = *Body.Stmts[0], &If = *Body.Stmts[1];
  if (Decl.Opcode != Op::LocalDecl || If.Opcode != Op::If ||
      Decl.operand(0)->Opcode != Op::StrCodeAt)
    return false;
  const Node &E = *Decl.operand(0);
  const kir::Local *C = Decl.Var;
  std::bitset<128> Exits;
  const kir::Block &Then = *If.Regions[0];
  if ((If.Regions.size() > 1 && !If.Regions[1]->Stmts.empty()) ||
      Then.Stmts.size() != 1 || Then.Stmts[0]->Opcode != Op::Break ||
      !charClass(*If.operand(0), C, Exits))
    return false;
  // A str holds codes 0..127 only: the class of those that go on.
  std::bitset<128> Stays = ~Exits;
  size_t First = 0, Last = 127;
  while (First < 128 && !Stays[First])
    ++First;
  while (Last > First && !Stays[Last])
    --Last;
  bool Contiguous = First < 128 && Stays.count() == Last - First + 1;
  size_t FirstExit = 0;
  while (FirstExit < 127 && !Exits[FirstExit])
    ++FirstExit;
  bool In = Stays.count() <= 6, NotIn = Exits.count() <= 6;
  if (Stays.none() || Exits.none() || !(Contiguous || In || NotIn))
    return false;
  kir::Block Rest;
  Rest.Stmts.assign(Body.Stmts.begin() + 2, Body.Stmts.end());
  bool Bind = usesLocalIn(Rest, C);
  // The value as c holds it: a one-character str, or the code; unbound,
  // a str's character needs no ord().
  const Node &Seq = resolve(*E.operand(0));
  bool ByteStr = Seq.Opcode == Op::LocalGet && A.isByteStr(Seq.Var);
  bool Char = Bind ? A.isCharLocal(C) : !ByteStr;
  auto Const = [&](size_t Ch) {
    return Char ? pyStringLiteral(std::string(1, char(Ch)))
                : std::to_string(Ch);
  };
  // The characters of a set in the order the kernel's test names them
  // (`c != ' ' && c != '\n'`: " \n", a space found first), then the rest.
  std::vector<size_t> Named;
  std::function<void(const Node &)> Walk = [&](const Node &N) {
    if (N.Opcode == Op::IntConst && N.IntVal >= 0 && N.IntVal < 128)
      Named.push_back(size_t(N.IntVal));
    for (const Node *O : N.Operands)
      Walk(*O);
  };
  Walk(*If.operand(0));
  for (size_t Ch = 0; Ch < 128; ++Ch)
    Named.push_back(Ch);
  auto Chars = [&](std::bitset<128> Set) {
    std::string T;
    for (size_t Ch : Named)
      if (Set[Ch]) {
        T += char(Ch);
        Set[Ch] = false;
      }
    return (Char ? "" : "b") + pyStringLiteral(T);
  };

  auto Saved = Appends;
  emitLoopAliases(S);
  beginLine();
  const Node &Cond = *S.operand(0);
  bool Always = Cond.Opcode == Op::BoolConst && Cond.IntVal;
  std::string Header;
  if (!Always)
    Header = paren(emitCond(Cond), PAnd) + " and ";
  PyExpr X = Char ? emitChar(E) : emit(E);
  std::string V = paren(X, PBitOr);
  if (Bind)
    V = "(" + local(C) + " := " + paren(X, PCond) + ")";
  if (Contiguous && First == Last)
    Header += V + " == " + Const(First);
  else if (Exits.count() == 1)
    Header += V + " != " + Const(FirstExit);
  else if (Contiguous && (In || NotIn) && Stays.count() <= 2)
    Header += V + " in " + Chars(Stays);
  else if (Contiguous)
    Header += (First > 0 ? Const(First) + " <= " : "") + V +
              (Last < 127 ? " <= " + Const(Last) : "");
  else if (In)
    Header += V + " in " + Chars(Stays);
  else
    Header += V + " not in " + Chars(Exits);
  endLine("while " + Header + ":");
  ++Indent;
  ++LoopDepth;
  emitBlock(Rest);
  --LoopDepth;
  --Indent;
  Appends = std::move(Saved);
  return true;
}

//===----------------------------------------------------------------------===//
// Pair loops
//===----------------------------------------------------------------------===//

/// for i in 0..n { let x = a[i]; for j in i + 1..n { let y = a[j]; ... } }
/// with n = len(a), i and j read nowhere else, is every pair of elements in
/// order: `for x, y in combinations(a, 2):`, one iterator in C (its result
/// tuple reused) where the nest runs a range, an index and a slice per
/// element (nbody's pairs: 4-5% faster, near the reference). Exact when
/// the reads are in range (n is len(a): a is neither assigned nor resized
/// in the nest), the elements do not change while it runs (combinations
/// reads a snapshot: no store into an array of a's type, no call that may
/// write arrays) and the inner loop has no break (which would go on with
/// the next i). `continue` goes on with the next pair either way.
const kir::Local *FunctionEmitter::matchPairLoop(const Node &S) const {
  if (S.Opcode != Op::ForRange || !Foreign.empty() || !Subst.empty() ||
      !ZipReads.empty())
    return nullptr;
  const kir::Local *I = S.Var;
  const Node &Lo = *S.operand(0), &Hi = *S.operand(1);
  const kir::Block &Body = *S.Regions[0];
  if (Lo.Opcode != Op::IntConst || Lo.IntVal != 0 || Body.Stmts.size() != 2)
    return nullptr;
  // let x = a[k] with k the counter.
  auto Element = [&](const Node &D, const kir::Local *K) -> const kir::Local * {
    if (D.Opcode != Op::LocalDecl || A.isCharLocal(D.Var))
      return nullptr;
    const Node &V = *D.operand(0);
    if (V.Opcode != Op::ArrayGet || V.operand(0)->Opcode != Op::LocalGet ||
        !isLocal(*V.operand(1), K))
      return nullptr;
    return V.operand(0)->Var;
  };
  const Node &D1 = *Body.Stmts[0], &Inner = *Body.Stmts[1];
  const kir::Local *Arr = Element(D1, I);
  if (!Arr || Inner.Opcode != Op::ForRange)
    return nullptr;
  const kir::Local *J = Inner.Var;
  const Node &Lo2 = *Inner.operand(0), &Hi2 = *Inner.operand(1);
  const kir::Block &IB = *Inner.Regions[0];
  if (Lo2.Opcode != Op::IntAdd || !isLocal(*Lo2.operand(0), I) ||
      Lo2.operand(1)->Opcode != Op::IntConst || Lo2.operand(1)->IntVal != 1 ||
      IB.Stmts.empty() || Element(*IB.Stmts[0], J) != Arr)
    return nullptr;
  // Both ends are len(a): the array's length, or a local known to hold it.
  auto IsLen = [&](const Node &H) {
    if (H.Opcode == Op::ArrayLen)
      return isLocal(*H.operand(0), Arr);
    return H.Opcode == Op::LocalGet &&
           (KnownLengths.lookup(Arr) == H.Var || A.fixedLength(Arr) == H.Var);
  };
  if (!IsLen(Hi) || !IsLen(Hi2) || assignsLocal(Body, Arr))
    return nullptr;
  if (Hi.Opcode == Op::LocalGet &&
      (Hi2.Opcode != Op::LocalGet || Hi2.Var != Hi.Var ||
       assignsLocal(Body, Hi.Var)))
    return nullptr;
  // The counters are read only where the elements are.
  for (size_t K = 1; K < IB.Stmts.size(); ++K)
    if (usesLocalIn(*IB.Stmts[K], I) || usesLocalIn(*IB.Stmts[K], J))
      return nullptr;
  if (exitsLoop(IB, Op::Break))
    return nullptr;
  // Nothing changes a's elements or length meanwhile.
  const kir::Type *Ty = Arr->Ty;
  bool Writes = anyNode(Body, [&](const Node &N) {
    if ((N.Opcode == Op::ArraySet || N.Opcode == Op::ArrayPush ||
         N.Opcode == Op::ArrayPop) &&
        N.operand(0)->Ty == Ty)
      return Visit::Found;
    if (N.Opcode == Op::Call) {
      llvm::DenseSet<const kir::Function *> Seen;
      if (mayWriteArrays(*N.Callee, Seen))
        return Visit::Found;
    }
    return Visit::Continue;
  });
  if (Writes)
    return nullptr;
  return Arr;
}

bool FunctionEmitter::emitPairLoop(const Node &S) {
  const kir::Local *Arr = matchPairLoop(S);
  if (!Arr)
    return false;
  const Node &D1 = *S.Regions[0]->Stmts[0];
  const kir::Block &IB = *S.Regions[0]->Stmts[1]->Regions[0];
  auto Saved = Appends;
  emitLoopAliases(S);
  beginLine();
  endLine("for " + local(D1.Var) + ", " + local(IB.Stmts[0]->Var) + " in " +
          global("combinations") + "(" + local(Arr) + ", 2):");
  ZipDecls.insert(IB.Stmts[0]);
  ++Indent;
  ++LoopDepth;
  emitBlock(IB);
  --LoopDepth;
  --Indent;
  ZipDecls.erase(IB.Stmts[0]);
  Appends = std::move(Saved);
  return true;
}
