//===- PyEmitter.h - KIR functions to Python source ---------------*- C++ -*-===//
//
// The Python back-end's translation of one function: a switch over KIR ops
// producing expressions with their precedence (so only needed parentheses
// are printed) and statements one per line.
//
// Traps. Python raises on its own where a kernel traps in most hot spots:
// IndexError for an index past the end, KeyError for map.at, ZeroDivision-
// Error for an integer division, RuntimeError for a dict that grew while
// iterated, AttributeError for a field of None (a null ?R; TypeError when
// the record is a tuple). Such an operation is written as plain Python, and
// the function turns the exception into a KernelTrap in one `except`
// clause; the kernel line comes from the Python line the error was raised
// on (a module-wide table when a function has several). CPython 3.11's try blocks cost nothing
// until something is raised, so the hot path is exactly what a Python
// programmer writes. Everything Python would not catch (a negative index, a
// float division by zero, math domain errors) is checked explicitly, unless
// the analysis proved it cannot happen.
//
//===----------------------------------------------------------------------===//

#ifndef KC_TARGET_PYTHON_PYEMITTER_H
#define KC_TARGET_PYTHON_PYEMITTER_H

#include "PyAnalysis.h"
#include "PyNames.h"
#include "Target/Python/PyBackend.h"
#include "ir/IR.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <set>
#include <string>
#include <vector>

namespace kc {
namespace pygen {

/// Python operator precedence, lowest first.
enum Prec : unsigned {
  PNamed = 0, ///< x := y
  PCond,      ///< x if c else y
  POr,
  PAnd,
  PNot,
  PCmp,
  PBitOr,
  PBitXor,
  PBitAnd,
  PShift,
  PAdd,
  PMul,
  PUnary,
  PPostfix, ///< calls, subscripts, attributes
  PAtom,
};

struct PyExpr {
  std::string Text;
  Prec P = PAtom;
};

/// Python exceptions that a plain operation raises where the kernel traps.
enum ImplicitKind : unsigned {
  ImplicitIndex = 1,    ///< IndexError
  ImplicitKey = 2,      ///< KeyError
  ImplicitDivZero = 4,  ///< ZeroDivisionError
  ImplicitModified = 8, ///< RuntimeError: dict changed size during iteration
  ImplicitNull = 16,    ///< AttributeError: a field of None
  ImplicitNullItem = 32, ///< TypeError: an item of None (a tuple record's)
  ImplicitWord = 64,     ///< struct.error: a word past the end (u32le)
};

/// One logical line of a function's text. Where its errors may come from
/// several kernel lines, the text has a marker (lineMarker) in front of
/// each node that raises one, and is printed as several physical lines.
struct PyLine {
  unsigned Indent = 0;
  std::string Text;
  unsigned Implicit = 0;   ///< ImplicitKind bits raised on this line
  uint32_t KernelLine = 0; ///< the kernel line of its first raising node
  uint32_t StmtLine = 0;   ///< the kernel line of its statement (0: none)
};

/// The marker put in front of the text of a node whose error is a trap at
/// kernel line \p Line.
std::string lineMarker(uint32_t Line);
/// A logical line with markers as physical lines (indented), each with
/// the kernel line its errors belong to (0: none), broken before each
/// marker of another kernel line than the one before.
std::vector<std::pair<std::string, uint32_t>>
splitAtMarkers(unsigned Indent, llvm::StringRef Text);

/// Names and facts shared by every function of the module.
struct ModuleContext {
  ModuleContext(const kir::Module &M, const Analysis &A, const PyOptions &Opts)
      : M(M), A(A), Opts(Opts) {
    for (const kir::Node *L : kir::forMapsWithRemoval(M))
      ForMapsWithRemoval.insert(L);
  }
  const kir::Module &M;
  const Analysis &A;
  const PyOptions &Opts;
  /// for.map loops that walk a copy of the keys (kir::forMapsWithRemoval).
  llvm::DenseSet<const kir::Node *> ForMapsWithRemoval;
  llvm::DenseMap<const kir::Function *, std::string> FunctionNames;
  llvm::DenseMap<const kir::RecordDecl *, std::string> ClassNames;
  llvm::DenseMap<const kir::RecordDecl *, std::vector<std::string>>
      FieldNames;
  /// Records no statement of the module assigns a field of and that are
  /// never seen outside: tuples (a display builds one far faster than a
  /// class's __init__).
  llvm::DenseSet<const kir::RecordDecl *> TupleRecords;
  /// [bool] types held as bytearrays of 0 and 1 (none comes from outside:
  /// the harness passes lists): memset-speed fills, C-speed scans.
  llvm::DenseSet<const kir::Type *> FlagArrays;
  bool isFlagArray(const kir::Type *T) const { return FlagArrays.count(T); }
  /// Whether \p F is called from outside (the entry, or every function of
  /// a module without a bench section): its bools must be bools.
  bool isExported(const kir::Function &F) const {
    const kir::Function *Entry = M.getEntry();
    return !Entry || Entry == &F;
  }

  std::string fieldName(const kir::RecordDecl *R, int64_t Index) const {
    auto It = FieldNames.find(R);
    assert(It != FieldNames.end() && "record without names");
    return It->second[Index];
  }
};

class FunctionEmitter {
public:
  /// \p Reserved: names the function's locals must avoid (the module-level
  /// names and builtins its code uses; the first pass over a function finds
  /// them).
  FunctionEmitter(const ModuleContext &MC, const kir::Function &F,
                  const llvm::StringSet<> &Reserved);

  /// The function's `def` line and body.
  std::vector<PyLine> run();

  /// Builtins, helpers and module-level names the function's text uses.
  const std::set<std::string> &globals() const { return Globals; }
  /// Whether the function needs the module's kernel-line table.
  bool usesLineTable() const { return UsesLineTable; }

private:
  const ModuleContext &MC;
  const Analysis &A;
  const kir::Function &F;
  LocalNames Names;
  std::set<std::string> Globals;
  bool UsesLineTable = false;
  uint32_t StmtLine = 0; ///< the kernel statement being emitted

  std::vector<PyLine> Lines;
  unsigned Indent = 1;
  unsigned LoopDepth = 0; ///< loops around the statement being emitted
  // The line being built: which implicit traps it has, and their line.
  unsigned CurImplicit = 0;
  uint32_t CurKernelLine = 0;
  // Walrus targets (d, d_2, ...; ij...), by base name; the current line
  // has used the first WalrusUsed[base] of them.
  llvm::StringMap<std::vector<std::string>> WalrusNames;
  llvm::StringMap<unsigned> WalrusUsed;
  // Inlining: parameters of the inlined callee stand for the call's
  // arguments.
  llvm::DenseMap<const kir::Local *, const kir::Node *> Subst;
  // Method aliases live in the current loop nest, by receiver: a flag
  // array's `append = xs.append`, a map's `get = m.get`.
  llvm::DenseMap<const kir::Local *, std::string> Appends;
  // Locals of a callee inlined as statements: what stands for each (a
  // fresh local of this function, or the argument's name or constant).
  llvm::DenseMap<const kir::Local *, PyExpr> Foreign;
  // The fresh names given to each callee's locals, reused by every
  // inlining of it (their lifetimes never overlap).
  llvm::DenseMap<const kir::Local *, std::string> InlinedNames;
  // The name of loop variables nobody reads (`_`), once needed.
  std::string UnusedName;
  // The for.range loop of each range variable emitted so far.
  llvm::DenseMap<const kir::Local *, const kir::Node *> RangeLoops;
  // Reads a[i + c] of a zip loop's counter i: the name of the element the
  // loop binds for each (zip, enumerate), and the statements `let x =
  // a[i + c]` whose x is that name (not emitted).
  llvm::DenseMap<const kir::Node *, std::string> ZipReads;
  llvm::DenseSet<const kir::Node *> ZipDecls;
  // A zip loop's store y[j + c] = v of one element per step: the append
  // to the new row that stands for it (`y_row.append`).
  llvm::DenseMap<const kir::Node *, std::string> RowAppends;
  // A zip loop whose counter j the body mostly uses as j + e (e the same
  // at every step) counts k = j + e instead: each j + e is K, j is K - e.
  struct CounterOffset {
    const kir::Local *J = nullptr, *E = nullptr;
    std::string K;
  } Offset;
  // Sums in a zip loop's body with two or more terms the same at every
  // step (x + i + 1): those terms are added once before the loop, into
  // Name; Terms are the nodes left out.
  struct HoistedSum {
    std::string Name;
    llvm::DenseSet<const kir::Node *> Terms;
    bool Used = false; // its line goes if the body never emits the sum
    size_t Line = 0;
  };
  llvm::DenseMap<const kir::Node *, HoistedSum> HoistedSums;
  // str and bytes locals nothing assigns whose length a `let n = len(s)`
  // seen before, in this block or one around it, holds.
  llvm::DenseMap<const kir::Local *, const kir::Local *> KnownLengths;
  // Length locals left unbound (skipLengthLocal): each use reads len(s),
  // the node here.
  llvm::DenseMap<const kir::Local *, const kir::Node *> UnboundLengths;

  //--- names and lines ---
  std::string global(llvm::StringRef Name);
  std::string local(const kir::Local *L) {
    auto It = Foreign.find(L);
    if (It != Foreign.end())
      return It->second.Text;
    auto Len = UnboundLengths.find(L);
    if (Len != UnboundLengths.end())
      return emit(*Len->second).Text;
    return Names.name(L);
  }
  void beginLine();
  void endLine(std::string Text);
  /// Leaves a trap of \p Kind at \p Line to the function's except clause;
  /// returns the marker to put right before the text of the node that
  /// raises it.
  std::string claim(ImplicitKind Kind, uint32_t Line);
  /// \p E, parenthesized if its text starts with a node whose errors
  /// belong to another line than \p Line (a node starting where E starts
  /// could not be told apart).
  PyExpr separate(PyExpr E, uint32_t Line);
  std::string walrusName(llvm::StringRef Base = "d");
  std::string trapCall(llvm::StringRef Kind, const kir::Node &N);

  //--- statements ---
  /// A product computed once for statements First..Last of a block.
  struct Shared {
    size_t First, Last;
    std::string Name;
    std::vector<const kir::Node *> Nodes;
  };
  std::vector<Shared> sharedProducts(const kir::Block &B);
  // The products of Shared groups being emitted, by node.
  llvm::DenseMap<const kir::Node *, std::string> SharedNames;
  void emitBlock(const kir::Block &B);
  void emitStmt(const kir::Node &S, bool Idioms = true);
  /// Ends an idiom's fast branch (one level in) with `else:` and \p S as
  /// written, the fallback when the idiom's test fails.
  void emitFallback(const kir::Node &S);
  bool emitCopyLoop(const kir::Node &S);
  bool emitStridedFill(const kir::Node &S);
  bool emitSelectLoop(const kir::Node &S);
  bool emitSelectReductions(const kir::Node &S, const kir::Block &Then,
                            const std::string &TestText,
                            const std::string &Range, const std::string &Slice,
                            bool HiNonNeg);
  bool emitCountedWhile(const kir::Node &S);
  bool emitGuardedScan(const kir::Node &S);
  bool emitExitTestLoop(const kir::Node &S);
  bool emitZipLoop(const kir::Node &S);
  bool emitPairLoop(const kir::Node &S);
  /// The array of a pair loop emitPairLoop rewrites, or null.
  const kir::Local *matchPairLoop(const kir::Node &S) const;
  size_t emitReverseLoop(const kir::Block &Block, size_t Index);
  size_t emitRotateGroup(const kir::Block &Block, size_t Index);
  size_t emitSplitParse(const kir::Block &Block, size_t Index);
  size_t emitDigitRun(const kir::Block &Block, size_t Index);
  /// In the loop emitSplitParse versions: the line of the pieces was
  /// tested, int() of a piece is [-]digits or raises ValueError.
  bool PiecesTested = false;
  size_t emitGroupIdiom(const kir::Block &Block, size_t Index) {
    if (size_t N = emitReverseLoop(Block, Index))
      return N;
    if (size_t N = emitSplitParse(Block, Index))
      return N;
    if (size_t N = emitDigitRun(Block, Index))
      return N;
    return emitRotateGroup(Block, Index);
  }
  std::string lengthOf(const kir::Local *Arr);
  void emitIf(const kir::Node &S, bool Elif);
  void noteLength(const kir::Node &Decl);
  bool skipLengthLocal(const kir::Block &B, size_t Index);
  /// The str, bytes or array whose length \p N is known to hold, or null.
  const kir::Local *lengthSeq(const kir::Local *N) const;
  void emitLoopAliases(const kir::Node &Loop);
  void emitNegativeIndexCheck(const kir::Node &Idx, uint32_t Line);
  bool emitAugmented(const kir::Node &S);
  bool emitInlinedCall(const kir::Node &S);
  bool emitMinMaxUpdate(const kir::Node &S);
  bool emitDivisionTry(const kir::Node &S);
  /// Under emitDivisionTry: f64 divisions are plain `a / b`; and the
  /// statement it wraps.
  bool PlainF64Div = false;
  const kir::Node *DivisionTry = nullptr;
  void emitForMapKeys(const kir::Node &S);
  void wrapInTry(std::vector<PyLine> &Body, size_t First, size_t Last,
                 const std::vector<size_t> &StmtStarts);

  //--- expressions ---
  PyExpr emit(const kir::Node &N);
  PyExpr emitOp(const kir::Node &N);
  PyExpr emitChar(const kir::Node &N);
  PyExpr emitCall(const kir::Node &N);
  PyExpr emitFieldRecord(const kir::Node &R, std::string &Marker);
  PyExpr emitRemove(const kir::Node &N, bool Removed);
  PyExpr emitConst(const kir::Node &N);
  PyExpr emitIntArith(const kir::Node &N);
  PyExpr emitRing(const kir::Node &N, bool &Deferred);
  PyExpr emitDivRem(const kir::Node &N);
  PyExpr emitF64Div(const kir::Node &N);
  PyExpr emitF64Operand(const kir::Node &N, const kir::Node &Other,
                        bool IsRight);
  PyExpr emitCompare(const kir::Node &N);
  PyExpr emitChain(const kir::Node &N);
  PyExpr emitSharedProduct(const kir::Node &N);
  /// \p N under the zip loop's counter offset or hoisted sums, or nothing.
  PyExpr emitOffsetTerm(const kir::Node &N);
  /// The terms of a sum of int adds and subtracts, each with its sign
  /// (true: subtracted); j + e under a counter offset is one term.
  void sumTerms(const kir::Node &N, bool Neg,
                std::vector<std::pair<bool, const kir::Node *>> &Out);
  bool isOffsetSum(const kir::Node &N);
  PyExpr emitMembership(const kir::Node &N, bool Truth);
  PyExpr emitCond(const kir::Node &N);
  PyExpr emitIndex(const kir::Node &N, bool Char);
  PyExpr emitMinMax(const kir::Node &N, bool Max);
  PyExpr exactIntTest(const std::string &Digits, const PyExpr &Use);
  PyExpr emitSlice(const kir::Node &N);
  std::string lengthText(const kir::Node &S);
  /// The local known to hold len(\p S) here, or null.
  const kir::Local *knownLength(const kir::Node &S) const;
  bool atMostLength(const kir::Node &Hi, const kir::Node &S,
                    bool &IsLen) const;
  /// A value stored into an array of type \p ArrayTy.
  PyExpr emitElem(const kir::Node &V, const kir::Type *ArrayTy);
  PyExpr emitF64ToInt(const kir::Node &N, llvm::StringRef Lo,
                      llvm::StringRef Hi);
  bool congruentForm(const kir::Node &N) const;
  PyExpr emitCongruent(const kir::Node &N);
  PyExpr wrapI32(const PyExpr &Raw);
  PyExpr maskU32(const PyExpr &Raw);
  PyExpr shiftCount(const kir::Node &N);

  //--- properties under inlining substitution ---
  const kir::Node &resolve(const kir::Node &N) const;
  bool emittedAsItself(const kir::Node &N) const;
  void concatLeaves(const kir::Node &N,
                    std::vector<const kir::Node *> &Leaves) const;
  PyExpr fString(llvm::ArrayRef<const kir::Node *> Leaves,
                 const kir::Node *Arr);
  bool simple(const kir::Node &N) const;
  bool duplicable(const kir::Node &N) const;
  Purity purity(const kir::Node &N) const;
  bool canEvaluateBefore(const kir::Node &Later, const kir::Node &Earlier) const;
  /// \p N changes nothing and can only trap with an index out of range,
  /// at kernel line \p Line (0: any line; set to the one found).
  bool indexTrapsOnly(const kir::Node &N, uint32_t &Line) const;
  Range range(const kir::Node &N) const;
  bool isChar(const kir::Node &N) const;
  bool inlineCall(const kir::Node &Call) const;
  /// \p Idx is the counter of an enclosing `for i in lo..len(s)` and \p Str
  /// that s, which the loop does not assign: i < len(s).
  bool belowLength(const kir::Node &Str, const kir::Node &Idx) const;
};

/// Whether int comparison \p Cmp tests a length against a constant as
/// emptiness: len == 0, len <= 0, len < 1 (Empty), or len != 0, len > 0,
/// len >= 1 (NonEmpty), either way round; \p Len is the length operand.
enum class Emptiness { None, Empty, NonEmpty };
Emptiness emptiness(const kir::Node &Cmp, const kir::Node *&Len);

/// Whether expression \p N has an f64 division whose divisor may be zero
/// (emitF64Div tests it).
bool guardedF64Div(const kir::Node &N, const Analysis &A);

/// Python source for a constant.
std::string pyStringLiteral(llvm::StringRef S);
std::string pyFloatLiteral(double V);

/// Operand text, parenthesized when its precedence is below \p Min.
inline std::string paren(const PyExpr &E, Prec Min) {
  return E.P < Min ? "(" + E.Text + ")" : E.Text;
}

} // namespace pygen
} // namespace kc

#endif
