//===- KernelGen.cpp - Random well-typed, terminating kernels -------------===//
//
// One KernelGen per kernel: records first, then helper signatures and bodies
// (each calls only earlier helpers, and itself if it recurses), then the
// entry, whose result record Out is filled with the variables alive at its
// end, then the bench section binding each entry parameter to a small
// generated input.
//
//===----------------------------------------------------------------------===//

#include "Fuzz/KernelGen.h"
#include "Bench/Workload.h"
#include "Fuzz/AstBuild.h"
#include "Fuzz/AstPrinter.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <tuple>

using namespace kc;
using namespace kc::fuzz;
namespace B = kc::fuzz::build;
using ast::ExprPtr;
using ast::StmtPtr;

namespace {

// --- Bounds ----------------------------------------------------------------

constexpr uint64_t SafeMag = uint64_t(1) << 53;
/// Magnitude of an int at rest (in a variable, field, element, argument or
/// result): stores reduce larger values modulo RestMod.
constexpr uint64_t RestMag = (uint64_t(1) << 30) - 1;
constexpr int64_t RestMod = 1073741789; // the largest prime below 2^30
constexpr uint64_t NoBound = uint64_t(1) << 62;
/// Length of a str at rest; longer values go through fzcap.
constexpr uint64_t RestLen = 256;
/// Longest str an expression may build before it is capped mid-expression.
constexpr uint64_t MaxLen = 4096;
constexpr const char *CapFn = "fzcap";

uint64_t satAdd(uint64_t A, uint64_t B) {
  return std::min(NoBound, std::min(A, NoBound) + std::min(B, NoBound));
}
uint64_t satMul(uint64_t A, uint64_t B) {
  if (A == 0 || B == 0)
    return 0;
  if (A >= NoBound / B)
    return NoBound;
  return A * B;
}

/// A modulus M with M - 1 <= Limit, so that `e % M` has magnitude <= Limit.
int64_t modulusFor(uint64_t Limit) {
  static const int64_t Primes[] = {RestMod, 67108859, 8388593, 65521, 997, 97,
                                   17,      9,        5,       3,     2};
  for (int64_t P : Primes)
    if (uint64_t(P) - 1 <= Limit)
      return P;
  return 2;
}

// --- Randomness --------------------------------------------------------------

class Rand {
public:
  explicit Rand(uint64_t Seed) : R(Seed) {}
  uint64_t next() { return R.next(); }
  unsigned below(size_t N) { return N ? unsigned(R.next() % N) : 0; }
  bool percent(unsigned P) { return below(100) < P; }
  bool coin() { return R.next() & 1; }
  int64_t range(int64_t Lo, int64_t Hi) { return R.uniformInt(Lo, Hi); }
  template <typename T> const T &pick(const std::vector<T> &V) {
    return V[below(V.size())];
  }
  /// An index into \p Weights chosen with probability proportional to its
  /// weight; -1 when every weight is 0.
  int weighted(llvm::ArrayRef<unsigned> Weights) {
    unsigned Total = 0;
    for (unsigned W : Weights)
      Total += W;
    if (!Total)
      return -1;
    unsigned X = below(Total);
    for (size_t I = 0; I < Weights.size(); ++I) {
      if (X < Weights[I])
        return int(I);
      X -= Weights[I];
    }
    return -1;
  }

private:
  bench::Rng R;
};

// --- Types -------------------------------------------------------------------

enum class TK : uint8_t {
  Bool,
  I32,
  U32,
  Int,
  F64,
  Str,
  Bytes,
  Array,
  Map,
  Record,
  Nullable
};

struct GType {
  TK K;
  const GType *Elem = nullptr; // Array, Map: value; Nullable: the record
  const GType *Key = nullptr;  // Map
  int Rec = -1;                // Record
  bool isSmallInt() const { return K == TK::I32 || K == TK::U32; }
  bool isInteger() const { return isSmallInt() || K == TK::Int; }
  bool isNumeric() const { return isInteger() || K == TK::F64; }
};

class TypeTable {
public:
  const GType *get(TK K, const GType *Elem = nullptr,
                   const GType *Key = nullptr, int Rec = -1) {
    auto Id = std::make_tuple(int(K), Elem, Key, Rec);
    auto It = Index.find(Id);
    if (It != Index.end())
      return It->second;
    Store.push_back(GType{K, Elem, Key, Rec});
    return Index[Id] = &Store.back();
  }

private:
  std::deque<GType> Store;
  std::map<std::tuple<int, const GType *, const GType *, int>, const GType *>
      Index;
};

struct GField {
  std::string Name;
  const GType *T;
};

struct GRecord {
  std::string Name;
  std::vector<GField> Fields;
};

struct GParam {
  std::string Name;
  const GType *T;
};

struct GFunc {
  std::string Name;
  std::vector<GParam> Params;
  const GType *Ret = nullptr; // null: returns nothing
  unsigned LoopCost = 0;      // deepest loop nest inside, callees included
  /// Calls itself with Params[0] - 1, an int depth, and returns at once
  /// when it is <= 0.
  bool Recursive = false;
  std::unique_ptr<ast::BlockStmt> Body;
};

struct GVar {
  std::string Name;
  const GType *T;
  bool Mutable;
  bool Fixed;   // a loop counter: read, never assigned by generated code
  uint64_t Mag; // int: bound of its magnitude
  uint64_t Len; // str, bytes: bound of its length
};

struct Scope {
  std::vector<GVar> Vars;
  /// ?R variables known not to be null here (under `x != null`).
  std::set<std::string> NonNull;
};

/// A generated expression and what is known of its value.
struct GExpr {
  ExprPtr E;
  uint64_t Mag = 0; // int: |value| <= Mag
  uint64_t Len = 0; // str, bytes: length <= Len
  /// Its type comes from the context (an int literal, null, [], {}, a
  /// builtin over such): it may stand only where the context gives one.
  bool NeedsHint = false;
};

/// A place reachable from a variable through at most two fields.
struct Path {
  const GVar *Var;
  std::vector<std::pair<int, int>> Steps; // (record, field) per `.f`
  const GType *T;
  bool ThroughNull; // reads a field of a ?R not known to be non-null
};

/// Whether evaluating \p E twice gives the same value and no effect: reads,
/// literals and builtins over them (a trap is no effect: the first one
/// stops the kernel).
bool isPure(const ast::Expr &E) {
  switch (E.K) {
  case ast::Expr::Call:
    if (!llvm::is_contained({"len", "abs", "min", "max", "str", "chr", "i32",
                             "u32", "int", "f64", "sqrt", "floor"},
                            llvm::StringRef(E.Name)))
      return false;
    break;
  case ast::Expr::Method:
    if (llvm::is_contained({"pop", "push", "remove"}, llvm::StringRef(E.Name)))
      return false;
    break;
  case ast::Expr::ArrayLit:
  case ast::Expr::MapLit:
  case ast::Expr::RecordLit:
    return false; // a new reference each time
  default:
    break;
  }
  return llvm::all_of(E.Args, [](const ExprPtr &A) { return isPure(*A); });
}

// --- Names -------------------------------------------------------------------

/// Identifiers that are fine in a kernel but are keywords, globals, builtins
/// or helper names of the emitted JavaScript or Python: the back-ends must
/// rename them.
const char *const TrickyNames[] = {"Math",
                                   "String",
                                   "Number",
                                   "Object",
                                   "Array",
                                   "Map",
                                   "Set",
                                   "Error",
                                   "undefined",
                                   "NaN",
                                   "Infinity",
                                   "arguments",
                                   "eval",
                                   "this",
                                   "self",
                                   "None",
                                   "True",
                                   "False",
                                   "list",
                                   "dict",
                                   "range",
                                   "print",
                                   "math",
                                   "sys",
                                   "object",
                                   "type",
                                   "id",
                                   "new",
                                   "class",
                                   "def",
                                   "lambda",
                                   "yield",
                                   "await",
                                   "async",
                                   "function",
                                   "const",
                                   "delete",
                                   "typeof",
                                   "instanceof",
                                   "void",
                                   "with",
                                   "not",
                                   "and",
                                   "or",
                                   "is",
                                   "pass",
                                   "del",
                                   "global",
                                   "nonlocal",
                                   "assert",
                                   "except",
                                   "finally",
                                   "raise",
                                   "try",
                                   "import",
                                   "from",
                                   "as",
                                   "elif",
                                   "switch",
                                   "case",
                                   "default",
                                   "do",
                                   "super",
                                   "static",
                                   "enum",
                                   "KernelTrap",
                                   "length",
                                   "constructor",
                                   "prototype",
                                   "__proto__",
                                   "toString",
                                   "valueOf",
                                   "hasOwnProperty",
                                   "__init__",
                                   "__slots__",
                                   "__class__",
                                   "__dict__",
                                   "keys",
                                   "get",
                                   "push",
                                   "pop",
                                   "append",
                                   "items",
                                   "size",
                                   "name",
                                   "_",
                                   "__",
                                   "_trap",
                                   "_irem",
                                   "_idiv",
                                   "_str_from_codes",
                                   "stringFromCodes",
                                   "replaceText",
                                   "i",
                                   "tmp0",
                                   "tmp1",
                                   "out",
                                   "result",
                                   "BigInt",
                                   "Symbol",
                                   "Promise",
                                   "globalThis",
                                   "process",
                                   "require",
                                   "module",
                                   "exports",
                                   "__name__",
                                   "__builtins__",
                                   "float",
                                   "bytearray",
                                   "isinstance",
                                   "ord",
                                   "sum",
                                   "sorted",
                                   "implements",
                                   "interface",
                                   "package",
                                   "private",
                                   "protected",
                                   "public",
                                   "let_",
                                   "_0",
                                   "$"};

/// Names the kernel language itself reserves or resolves first.
bool reservedInKernel(llvm::StringRef N) {
  static const llvm::StringSet<> Reserved = {
      "fn",    "record",    "let",  "var",   "if",       "else",
      "while", "for",       "in",   "break", "continue", "return",
      "true",  "false",     "null", "map",   "bench",    "workload",
      "bool",  "i32",       "u32",  "int",   "f64",      "str",
      "bytes", "min",       "max",  "abs",   "sqrt",     "floor",
      "len",   "parse_int", "chr",  "array", "join",     "str_from_codes",
      "fzcap", "tolerance", "per"};
  return Reserved.count(N) || N.starts_with("kc_") || N.contains('$');
}

// --- Literal pools
// -------------------------------------------------------------

const int64_t IntPool[] = {0,
                           1,
                           -1,
                           2,
                           3,
                           5,
                           7,
                           8,
                           10,
                           16,
                           100,
                           255,
                           1000,
                           -7,
                           -100,
                           65536,
                           1073741823,
                           2147483647,
                           -2147483648,
                           4294967295,
                           4294967296,
                           9007199254740991,
                           9007199254740992,
                           -9007199254740992};
const int64_t I32Pool[] = {
    0,           1,           -1,         2,           3,     7,     8,
    31,          32,          33,         255,         65535, 65536, 2147483647,
    -2147483647, -2147483648, 1073741824, -1073741824, 46341};
const int64_t U32Pool[] = {
    0,          1,          2,          3,     7,         31,
    32,         33,         255,        65535, 65536,     2147483647,
    2147483648, 4294967295, 4294967294, 65537, 3000000000};
const double F64Pool[] = {0.0,
                          -0.0,
                          0.5,
                          1.0,
                          -1.0,
                          2.0,
                          1.5,
                          0.1,
                          0.2,
                          0.3,
                          3.141592653589793,
                          1e10,
                          1e300,
                          -1e300,
                          1e-300,
                          5e-324,
                          2.2250738585072014e-308,
                          1.7976931348623157e308,
                          9007199254740993.0,
                          4503599627370496.5,
                          2147483647.5,
                          -2147483648.5,
                          4294967295.9,
                          -4294967296.0,
                          123.456,
                          1e-7,
                          0.75,
                          2147483648.0,
                          -2147483649.0,
                          9007199254740992.0};
const char *const StrPool[] = {
    "",           "a",    "b",     "ab",          "abc",         " ",   "  x  ",
    "\t\n",       "A",    "Hello", "hello world", "a,b,,c",      ",",   "0",
    "-1",         "42",   "007",   "-0",          " 12 ",        "\"",  "\\",
    "\x01\x1f",   "\x7f", "{}",    "null",        "None",        "$&",  "$1",
    "$$",         "a.b",  "a\nb",  "\x0b\x0c",    "\x1c\x1d",    "AbC", "Z[`",
    "xxxxxxxxxx", "aaa",  "ba",    "__proto__",   "constructor", "\r\n"};
const char *const ParseIntPool[] = {
    // [-]digits within +-2^53: valid.
    "0", "-0", "12", "-12", "007", "9007199254740992", "-9007199254740992",
    "00", "-007", "4294967296",
    // Each runtime's own parser accepts some of these; parse_int does not.
    "+5", " 5", "5 ", "", "-", "1_0", "1e3", "0x10", "9007199254740993",
    "99999999999999999999", "12a", "--1", "\t7", "1.0", "-+1"};
constexpr size_t ValidParseInts = 10;
const char *const SepPool[] = {",", " ", "a", "ab", "\n", "x", ",,", "aa"};
const char *const StrKeyPool[] = {"",
                                  "a",
                                  "b",
                                  "c",
                                  "k",
                                  "key",
                                  "A",
                                  "__proto__",
                                  "constructor",
                                  "toString",
                                  "0",
                                  "1",
                                  "hasOwnProperty",
                                  "size"};
const int64_t IntKeyPool[] = {0, 1, 2, 3, 4, 5, -1, 7, 100, -100};

// --- The generator
// -------------------------------------------------------------

class KernelGen {
public:
  explicit KernelGen(const GenOptions &O)
      : Opts(O), R(O.Seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL) {}

  GeneratedKernel run();

private:
  GenOptions Opts;
  Rand R;
  bool Checked = false;
  TypeTable Types;
  std::vector<GRecord> Records;
  std::vector<GFunc> Funcs; // helpers in order, then the entry
  std::set<std::string> GlobalNames;
  bool UsesCap = false;

  // The function being generated.
  size_t FnIndex = 0;
  std::vector<Scope> Scopes;
  std::set<std::string> FnNames;
  unsigned LoopDepth = 0;
  unsigned MaxNest = 0;
  unsigned BlockDepth = 0;
  unsigned StmtCount = 0;
  unsigned VarCounter = 0;
  /// Self-calls a recursive function may still make (at most two, none in
  /// a loop: a call tree of 2^depth activations at most).
  unsigned SelfCallsLeft = 0;
  /// Loop levels that are not loops of this function's body: 1 in a
  /// recursive function, whose recursion counts as a loop.
  unsigned LoopBase = 0;

  // --- types ---
  const GType *boolT() { return Types.get(TK::Bool); }
  const GType *i32T() { return Types.get(TK::I32); }
  const GType *u32T() { return Types.get(TK::U32); }
  const GType *intT() { return Types.get(TK::Int); }
  const GType *f64T() { return Types.get(TK::F64); }
  const GType *strT() { return Types.get(TK::Str); }
  const GType *bytesT() { return Types.get(TK::Bytes); }
  const GType *arrayT(const GType *E) { return Types.get(TK::Array, E); }
  const GType *mapT(const GType *K, const GType *V) {
    return Types.get(TK::Map, V, K);
  }
  const GType *recordT(int I) {
    return Types.get(TK::Record, nullptr, nullptr, I);
  }
  const GType *nullableT(int I) { return Types.get(TK::Nullable, recordT(I)); }

  const GType *scalarType(bool AllowBytes);
  const GType *randomType(unsigned Depth, bool AllowBytes, int RecordLimit);
  bool holdsNullable(const GType *T, std::set<int> &Seen) const;
  bool holdsNullable(const GType *T) const {
    std::set<int> Seen;
    return holdsNullable(T, Seen);
  }
  bool holdsBytes(const GType *T) const;
  bool mayHoldItself(const GType *T, std::vector<int> &Path) const;
  std::unique_ptr<ast::TypeExpr> typeExpr(const GType *T) const;

  // --- names ---
  std::string trickyOr(const std::string &Plain,
                       const std::set<std::string> &Taken);
  std::string freshLocal();
  std::string freshGlobal(const std::string &Prefix);

  // --- scopes ---
  GVar &declare(const std::string &Name, const GType *T, bool Mutable,
                uint64_t Mag, uint64_t Len, bool Fixed = false);
  std::vector<const GVar *> varsOf(const GType *T);
  std::vector<const GVar *> allVars();
  bool knownNonNull(const std::string &Name) const;
  void forget(const std::string &Name);
  bool bytesInScope() { return !varsOf(bytesT()).empty(); }
  bool generable(const GType *T) {
    return !holdsBytes(T) || (T->K == TK::Bytes && bytesInScope());
  }

  // --- paths ---
  void collectPaths(std::vector<Path> &Out, bool ForWrite);
  ExprPtr pathExpr(const Path &P) const;
  bool pickPath(const std::function<bool(const GType *)> &Want, Path &Out,
                bool ForWrite = false);

  // --- expressions ---
  GExpr expr(const GType *T, unsigned D, bool Hinted = true);
  GExpr leaf(const GType *T, bool Hinted, unsigned D = 0);
  GExpr literal(const GType *T, bool Hinted, unsigned D = 0);
  bool selfTyping(const GType *T) const;
  std::optional<GExpr> read(const GType *T, unsigned D);
  std::optional<GExpr> callExpr(const GType *T, unsigned D);
  bool callable(size_t I);
  ExprPtr callTo(size_t I, unsigned D);
  GExpr boolExpr(unsigned D);
  GExpr smallIntExpr(const GType *T, unsigned D, bool Hinted);
  GExpr intExpr(unsigned D);
  GExpr f64Expr(unsigned D);
  GExpr strExpr(unsigned D);
  GExpr bytesExpr(unsigned D);
  GExpr arrayExpr(const GType *T, unsigned D, bool Hinted);
  GExpr mapExpr(const GType *T, unsigned D, bool Hinted);
  GExpr recordExpr(const GType *T, unsigned D);
  GExpr nullableExpr(const GType *T, unsigned D, bool Hinted);
  GExpr comparison(unsigned D);
  GExpr typed(GExpr G, const GType *T);
  GExpr wrapInt(GExpr G, uint64_t Limit, bool MayKeep = false);
  GExpr capStr(GExpr G);
  GExpr fitStore(GExpr G, const GType *T);
  GExpr stored(const GType *T, unsigned D) { return fitStore(expr(T, D), T); }
  GExpr smallNonNeg(unsigned D, uint64_t Limit);
  GExpr divisor(const GType *T, unsigned D);
  ExprPtr indexFor(const ast::Expr &Coll, unsigned D);
  ExprPtr boundFor(const ast::Expr &Str, unsigned D);
  GExpr mapKey(const GType *K, unsigned D);
  bool raw() { return R.percent(Opts.RawPercent); }

  // --- statements ---
  std::unique_ptr<ast::BlockStmt>
  genBlock(unsigned N,
           const std::function<void(std::vector<StmtPtr> &)> &Prologue = {});
  void genStmts(std::vector<StmtPtr> &Out, unsigned N);
  bool genStmt(std::vector<StmtPtr> &Out);
  void declStmt(std::vector<StmtPtr> &Out);
  bool assignStmt(std::vector<StmtPtr> &Out);
  bool fieldSetStmt(std::vector<StmtPtr> &Out);
  bool elemSetStmt(std::vector<StmtPtr> &Out);
  bool pushStmt(std::vector<StmtPtr> &Out);
  bool mapSetStmt(std::vector<StmtPtr> &Out);
  bool mapRemoveStmt(std::vector<StmtPtr> &Out);
  bool popStmt(std::vector<StmtPtr> &Out);
  bool callStmt(std::vector<StmtPtr> &Out);
  void ifStmt(std::vector<StmtPtr> &Out);
  bool nullCheckStmt(std::vector<StmtPtr> &Out);
  void whileStmt(std::vector<StmtPtr> &Out);
  void forRangeStmt(std::vector<StmtPtr> &Out);
  bool forIndexStmt(std::vector<StmtPtr> &Out);
  bool forEachStmt(std::vector<StmtPtr> &Out);
  bool forMapStmt(std::vector<StmtPtr> &Out);
  StmtPtr returnValue();
  void compoundFixup(std::vector<StmtPtr> &Out, const ast::Expr &Target,
                     const GType *T, uint64_t Mag);
  void guardPrologue(std::vector<StmtPtr> &Out, std::string &Counter);

  // --- program ---
  void genRecords();
  void genHelperSignatures();
  void genFunction(size_t I);
  void genEntry();
  ast::BenchDecl genBench(const GFunc &Entry);
  bench::ArgSpec inputFor(const GParam &P);
  ast::File assemble();
};

// --- types -----------------------------------------------------------------

const GType *KernelGen::scalarType(bool AllowBytes) {
  static const unsigned W[] = {10, 12, 10, 18, 12, 14, 4};
  switch (R.weighted(llvm::ArrayRef<unsigned>(W, AllowBytes ? 7 : 6))) {
  case 0:
    return boolT();
  case 1:
    return i32T();
  case 2:
    return u32T();
  case 3:
    return intT();
  case 4:
    return f64T();
  case 5:
    return strT();
  default:
    return bytesT();
  }
}

/// A type for a variable, field, parameter or element. RecordLimit: records
/// with an index below it may appear by value (a record's own fields only
/// name earlier ones); any record may appear as ?R or inside a container.
const GType *KernelGen::randomType(unsigned Depth, bool AllowBytes,
                                   int RecordLimit) {
  int NR = int(Records.size());
  unsigned W[] = {60, Depth < 2 ? 12u : 0u, Depth < 2 ? 9u : 0u,
                  RecordLimit > 0 ? 12u : 0u, NR > 0 ? 7u : 0u};
  switch (R.weighted(W)) {
  case 0:
    return scalarType(AllowBytes);
  case 1:
    return arrayT(randomType(Depth + 1, false, NR));
  case 2:
    return mapT(R.coin() ? intT() : strT(), randomType(Depth + 1, false, NR));
  case 3:
    return recordT(int(R.below(RecordLimit)));
  default:
    return nullableT(int(R.below(NR)));
  }
}

bool KernelGen::holdsNullable(const GType *T, std::set<int> &Seen) const {
  switch (T->K) {
  case TK::Nullable:
    return true;
  case TK::Array:
  case TK::Map:
    return holdsNullable(T->Elem, Seen);
  case TK::Record:
    if (!Seen.insert(T->Rec).second)
      return false;
    for (const GField &F : Records[T->Rec].Fields)
      if (holdsNullable(F.T, Seen))
        return true;
    return false;
  default:
    return false;
  }
}

/// Whether a value of type \p T may contain itself: some record it may hold
/// can hold that record again (through arrays or maps). Such a result has
/// no canonical text (docs/language.md), so Out's fields avoid them.
bool KernelGen::mayHoldItself(const GType *T, std::vector<int> &Path) const {
  switch (T->K) {
  case TK::Array:
  case TK::Map:
  case TK::Nullable:
    return mayHoldItself(T->Elem, Path);
  case TK::Record: {
    if (llvm::is_contained(Path, T->Rec))
      return true;
    Path.push_back(T->Rec);
    bool Found = llvm::any_of(Records[T->Rec].Fields, [&](const GField &F) {
      return mayHoldItself(F.T, Path);
    });
    Path.pop_back();
    return Found;
  }
  default:
    return false;
  }
}

bool KernelGen::holdsBytes(const GType *T) const {
  // Bytes never go into containers or records (no literal makes them), so
  // only the type itself can be bytes.
  return T->K == TK::Bytes;
}

std::unique_ptr<ast::TypeExpr> KernelGen::typeExpr(const GType *T) const {
  switch (T->K) {
  case TK::Bool:
    return B::namedType("bool");
  case TK::I32:
    return B::namedType("i32");
  case TK::U32:
    return B::namedType("u32");
  case TK::Int:
    return B::namedType("int");
  case TK::F64:
    return B::namedType("f64");
  case TK::Str:
    return B::namedType("str");
  case TK::Bytes:
    return B::namedType("bytes");
  case TK::Array:
    return B::arrayType(typeExpr(T->Elem));
  case TK::Map:
    return B::mapType(typeExpr(T->Key), typeExpr(T->Elem));
  case TK::Record:
    return B::namedType(Records[T->Rec].Name);
  case TK::Nullable:
    return B::nullableType(typeExpr(T->Elem));
  }
  return nullptr;
}

// --- names -------------------------------------------------------------------

std::string KernelGen::trickyOr(const std::string &Plain,
                                const std::set<std::string> &Taken) {
  if (!R.percent(Opts.TrickyNamePercent))
    return Plain;
  for (int Try = 0; Try < 4; ++Try) {
    std::string N = TrickyNames[R.below(std::size(TrickyNames))];
    if (!reservedInKernel(N) && !Taken.count(N) && !GlobalNames.count(N))
      return N;
  }
  return Plain;
}

std::string KernelGen::freshLocal() {
  std::string Plain;
  do
    Plain = "v" + std::to_string(VarCounter++);
  while (FnNames.count(Plain) || GlobalNames.count(Plain));
  std::string N = trickyOr(Plain, FnNames);
  FnNames.insert(N);
  return N;
}

std::string KernelGen::freshGlobal(const std::string &Prefix) {
  std::string Plain;
  unsigned I = 0;
  do
    Plain = Prefix + std::to_string(I++);
  while (GlobalNames.count(Plain));
  std::string N = trickyOr(Plain, GlobalNames);
  GlobalNames.insert(N);
  return N;
}

// --- scopes ------------------------------------------------------------------

GVar &KernelGen::declare(const std::string &Name, const GType *T, bool Mutable,
                         uint64_t Mag, uint64_t Len, bool Fixed) {
  Scopes.back().Vars.push_back(GVar{Name, T, Mutable, Fixed, Mag, Len});
  return Scopes.back().Vars.back();
}

std::vector<const GVar *> KernelGen::varsOf(const GType *T) {
  std::vector<const GVar *> Out;
  for (const Scope &S : Scopes)
    for (const GVar &V : S.Vars)
      if (V.T == T)
        Out.push_back(&V);
  return Out;
}

std::vector<const GVar *> KernelGen::allVars() {
  std::vector<const GVar *> Out;
  for (const Scope &S : Scopes)
    for (const GVar &V : S.Vars)
      Out.push_back(&V);
  return Out;
}

bool KernelGen::knownNonNull(const std::string &Name) const {
  for (const Scope &S : Scopes)
    if (S.NonNull.count(Name))
      return true;
  return false;
}

void KernelGen::forget(const std::string &Name) {
  for (Scope &S : Scopes)
    S.NonNull.erase(Name);
}

// --- paths -------------------------------------------------------------------

void KernelGen::collectPaths(std::vector<Path> &Out, bool ForWrite) {
  for (const GVar *V : allVars()) {
    if (!ForWrite || (V->Mutable && !V->Fixed))
      Out.push_back(Path{V, {}, V->T, false});
    // Fields, one or two steps deep.
    std::function<void(const Path &, unsigned)> Walk = [&](const Path &P,
                                                           unsigned Depth) {
      const GType *T = P.T;
      bool Null = false;
      if (T->K == TK::Nullable) {
        Null = !(P.Steps.empty() && knownNonNull(P.Var->Name));
        T = T->Elem;
      }
      if (T->K != TK::Record || Depth == 2)
        return;
      const GRecord &Rec = Records[T->Rec];
      for (size_t F = 0; F < Rec.Fields.size(); ++F) {
        Path Q = P;
        Q.Steps.emplace_back(T->Rec, int(F));
        Q.T = Rec.Fields[F].T;
        Q.ThroughNull = P.ThroughNull || Null;
        Out.push_back(Q);
        Walk(Q, Depth + 1);
      }
    };
    Walk(Path{V, {}, V->T, false}, 0);
  }
}

ExprPtr KernelGen::pathExpr(const Path &P) const {
  ExprPtr E = B::name(P.Var->Name);
  for (auto [Rec, F] : P.Steps)
    E = B::field(std::move(E), Records[Rec].Fields[F].Name);
  return E;
}

/// A random path whose type \p Want accepts. Paths through a ?R that may be
/// null are taken only as raw operations.
bool KernelGen::pickPath(const std::function<bool(const GType *)> &Want,
                         Path &Out, bool ForWrite) {
  std::vector<Path> All, Ok;
  collectPaths(All, ForWrite);
  bool AllowNull = raw();
  for (Path &P : All)
    if (Want(P.T) && (!P.ThroughNull || AllowNull))
      Ok.push_back(std::move(P));
  if (Ok.empty())
    return false;
  Out = Ok[R.below(Ok.size())];
  return true;
}

// --- expression helpers ------------------------------------------------------

/// Gives a context-typed integer expression its type explicitly: `i32(5)`
/// reads the literal as an i32 (Sema reads an untyped argument of a
/// conversion in the target type), so the result no longer needs a hint.
GExpr KernelGen::typed(GExpr G, const GType *T) {
  if (!G.NeedsHint || !T->isNumeric())
    return G;
  const char *Conv = T->K == TK::I32   ? "i32"
                     : T->K == TK::U32 ? "u32"
                     : T->K == TK::Int ? "int"
                                       : "f64";
  std::vector<ExprPtr> Args;
  Args.push_back(std::move(G.E));
  G.E = B::call(Conv, std::move(Args));
  G.NeedsHint = false;
  return G;
}

/// `(e % M)` when e's magnitude may exceed \p Limit. In checked mode a few
/// are left alone (\p MayKeep), so int.check_safe gets to trap.
GExpr KernelGen::wrapInt(GExpr G, uint64_t Limit, bool MayKeep) {
  if (G.Mag <= Limit)
    return G;
  if (MayKeep && Checked && R.percent(12))
    return G;
  int64_t M = modulusFor(Limit);
  G.E = B::binary(Tok::Percent, std::move(G.E), B::intLit(uint64_t(M)));
  G.Mag = uint64_t(M) - 1;
  return G;
}

GExpr KernelGen::capStr(GExpr G) {
  UsesCap = true;
  std::vector<ExprPtr> Args;
  Args.push_back(std::move(G.E));
  G.E = B::call(CapFn, std::move(Args));
  G.Len = RestLen;
  G.NeedsHint = false;
  return G;
}

/// What a store does to keep values at rest small.
GExpr KernelGen::fitStore(GExpr G, const GType *T) {
  if (T->K == TK::Int)
    return wrapInt(std::move(G), RestMag, /*MayKeep=*/true);
  if (T->K == TK::Str && G.Len > RestLen)
    return capStr(std::move(G));
  return G;
}

/// An int in 0..Limit (or, raw, possibly negative).
GExpr KernelGen::smallNonNeg(unsigned D, uint64_t Limit) {
  if (R.percent(40)) {
    GExpr G;
    int64_t V = R.range(0, int64_t(Limit));
    G.E = B::intLit(uint64_t(V));
    G.Mag = uint64_t(V);
    G.NeedsHint = true;
    return G;
  }
  GExpr G = intExpr(D + 1);
  int64_t M = int64_t(Limit) + 1;
  if (!raw()) {
    std::vector<ExprPtr> Args;
    Args.push_back(std::move(G.E));
    G.E = B::call("abs", std::move(Args));
  }
  G.E = B::binary(Tok::Percent, std::move(G.E), B::intLit(uint64_t(M)));
  G.Mag = Limit;
  G.NeedsHint = false;
  return G;
}

/// A divisor for / and %: usually one that cannot be zero.
GExpr KernelGen::divisor(const GType *T, unsigned D) {
  if (raw())
    return expr(T, D + 1);
  if (T->isSmallInt() && R.coin()) {
    // `e | 1` is never zero.
    GExpr G = typed(expr(T, D + 1), T);
    G.E = B::binary(Tok::Pipe, std::move(G.E), B::intLit(1));
    return G;
  }
  GExpr G;
  if (T->K == TK::F64) {
    static const double Divs[] = {2.0, 0.5, 3.0, -7.25, 1e-3, 10.0, -1.0};
    G.E = B::floatLit(Divs[R.below(std::size(Divs))]);
    return G;
  }
  static const int64_t Divs[] = {1, 2, 3, 7, 10, 16, 255, 1000, -1, -3};
  int64_t V = Divs[R.below(std::size(Divs))];
  if (T->K == TK::U32)
    V = V < 0 ? -V : V;
  G.E = B::signedLit(V);
  G.Mag = uint64_t(V < 0 ? -V : V);
  G.NeedsHint = true;
  return G;
}

/// An index into the collection \p Coll (a path: evaluated twice).
ExprPtr KernelGen::indexFor(const ast::Expr &Coll, unsigned D) {
  if (raw()) {
    GExpr G = wrapInt(intExpr(D + 1), 8);
    return std::move(G.E);
  }
  // abs(e) % max(len(c), 1): in range unless c is empty.
  GExpr G = intExpr(D + 1);
  std::vector<ExprPtr> A1;
  A1.push_back(std::move(G.E));
  std::vector<ExprPtr> LenArgs;
  LenArgs.push_back(B::clone(Coll));
  std::vector<ExprPtr> MaxArgs;
  MaxArgs.push_back(B::call("len", std::move(LenArgs)));
  MaxArgs.push_back(B::intLit(1));
  return B::binary(Tok::Percent, B::call("abs", std::move(A1)),
                   B::call("max", std::move(MaxArgs)));
}

/// A position 0..len(s) in the str \p Str (a path), or raw any small int.
ExprPtr KernelGen::boundFor(const ast::Expr &Str, unsigned D) {
  if (raw()) {
    GExpr G = wrapInt(intExpr(D + 1), 8);
    return std::move(G.E);
  }
  GExpr G = smallNonNeg(D, 6);
  std::vector<ExprPtr> LenArgs;
  LenArgs.push_back(B::clone(Str));
  std::vector<ExprPtr> MinArgs;
  MinArgs.push_back(std::move(G.E));
  MinArgs.push_back(B::call("len", std::move(LenArgs)));
  return B::call("min", std::move(MinArgs));
}

GExpr KernelGen::mapKey(const GType *K, unsigned D) {
  GExpr G;
  if (R.percent(70)) {
    if (K->K == TK::Int) {
      int64_t V = IntKeyPool[R.below(std::size(IntKeyPool))];
      G.E = B::signedLit(V);
      G.Mag = uint64_t(V < 0 ? -V : V);
      G.NeedsHint = true;
    } else {
      G.E = B::strLit(StrKeyPool[R.below(std::size(StrKeyPool))]);
      G.Len = 16;
    }
    return G;
  }
  return stored(K, D + 1);
}

// --- expressions
// ---------------------------------------------------------------

GExpr KernelGen::expr(const GType *T, unsigned D, bool Hinted) {
  GExpr G;
  if (D >= Opts.MaxExprDepth) {
    G = leaf(T, Hinted, D);
  } else {
    switch (T->K) {
    case TK::Bool:
      G = boolExpr(D);
      break;
    case TK::I32:
    case TK::U32:
      G = smallIntExpr(T, D, Hinted);
      break;
    case TK::Int:
      G = intExpr(D);
      break;
    case TK::F64:
      G = f64Expr(D);
      break;
    case TK::Str:
      G = strExpr(D);
      break;
    case TK::Bytes:
      G = bytesExpr(D);
      break;
    case TK::Array:
      G = arrayExpr(T, D, Hinted);
      break;
    case TK::Map:
      G = mapExpr(T, D, Hinted);
      break;
    case TK::Record:
      G = recordExpr(T, D);
      break;
    case TK::Nullable:
      G = nullableExpr(T, D, Hinted);
      break;
    }
  }
  // An R stands for a ?R only where a ?R is expected: without the context
  // `let x = R { .. }` would declare an R.
  if (T->K == TK::Nullable || !selfTyping(T))
    G.NeedsHint = true;
  if (!Hinted && G.NeedsHint)
    G = typed(std::move(G), T);
  if (T->K == TK::Str && G.Len > MaxLen)
    G = capStr(std::move(G));
  return G;
}

/// A variable or a literal: what an expression at the depth limit is.
GExpr KernelGen::leaf(const GType *T, bool Hinted, unsigned D) {
  std::vector<const GVar *> Vs = varsOf(T);
  if (!Vs.empty() && (R.percent(70) || T->K == TK::Bytes)) {
    const GVar *V = Vs[R.below(Vs.size())];
    GExpr G;
    G.E = B::name(V->Name);
    G.Mag = V->Mag;
    G.Len = V->Len;
    return G;
  }
  return literal(T, Hinted, D);
}

GExpr KernelGen::literal(const GType *T, bool Hinted, unsigned D) {
  GExpr G;
  // Past the depth limit, containers are empty and ?R is null: a record
  // with ?R fields of its own type would otherwise nest without end.
  bool Deep = D > Opts.MaxExprDepth;
  switch (T->K) {
  case TK::Bool:
    G.E = B::boolLit(R.coin());
    return G;
  case TK::I32:
  case TK::U32: {
    int64_t V;
    if (R.percent(60))
      V = T->K == TK::I32 ? I32Pool[R.below(std::size(I32Pool))]
                          : U32Pool[R.below(std::size(U32Pool))];
    else if (R.coin())
      V = T->K == TK::I32 ? R.range(-300, 300) : R.range(0, 300);
    else
      V = T->K == TK::I32 ? R.range(INT32_MIN, INT32_MAX)
                          : R.range(0, UINT32_MAX);
    G.E = B::signedLit(V);
    G.Mag = uint64_t(V < 0 ? -V : V);
    G.NeedsHint = true;
    return G;
  }
  case TK::Int: {
    int64_t V;
    if (R.percent(50))
      V = IntPool[R.below(std::size(IntPool))];
    else if (R.percent(70))
      V = R.range(-300, 300);
    else
      V = R.range(-(int64_t(1) << 40), int64_t(1) << 40);
    G.E = B::signedLit(V);
    G.Mag = uint64_t(V < 0 ? -V : V);
    G.NeedsHint = true;
    return G;
  }
  case TK::F64: {
    double V;
    if (R.percent(60))
      V = F64Pool[R.below(std::size(F64Pool))];
    else
      V = double(R.range(-100000, 100000)) / 64.0;
    G.E = B::floatLit(V);
    return G;
  }
  case TK::Str: {
    std::string S = StrPool[R.below(std::size(StrPool))];
    G.Len = S.size();
    G.E = B::strLit(std::move(S));
    return G;
  }
  case TK::Bytes: {
    // No literal makes bytes: a bytes variable is in scope wherever one is
    // wanted (generable()), the caller checked.
    std::vector<const GVar *> Vs = varsOf(T);
    assert(!Vs.empty() && "bytes wanted where none is in scope");
    const GVar *V = Vs[R.below(Vs.size())];
    G.E = B::name(V->Name);
    G.Len = V->Len;
    return G;
  }
  case TK::Array:
    if (Hinted && (Deep || R.percent(20))) {
      G.E = B::arrayLit({});
      G.NeedsHint = true;
      return G;
    } else {
      std::vector<ExprPtr> Elems;
      GExpr First =
          typed(fitStore(literal(T->Elem, false, D + 1), T->Elem), T->Elem);
      Elems.push_back(std::move(First.E));
      G.E = B::arrayLit(std::move(Elems));
      return G;
    }
  case TK::Map: {
    if (Hinted) {
      G.E = B::mapLit();
      G.NeedsHint = true;
      return G;
    }
    // No literal of a map has a type of its own: a variable or a call.
    std::vector<const GVar *> Vs = varsOf(T);
    if (!Vs.empty()) {
      G.E = B::name(Vs[R.below(Vs.size())]->Name);
      return G;
    }
    G.E = B::mapLit();
    G.NeedsHint = true;
    return G;
  }
  case TK::Record:
    return recordExpr(T, std::max(D, Opts.MaxExprDepth));
  case TK::Nullable:
    if (Hinted && (Deep || R.percent(60))) {
      G.E = B::nullLit();
      G.NeedsHint = true;
      return G;
    }
    if (Hinted)
      return recordExpr(T->Elem, std::max(D, Opts.MaxExprDepth));
    G.E = B::nullLit();
    G.NeedsHint = true;
    return G;
  }
  return G;
}

/// Reads of a place: a variable, a field path, an element, a map entry, a
/// pop, a call.
std::optional<GExpr> KernelGen::read(const GType *T, unsigned D) {
  GExpr G;
  G.Mag = T->K == TK::Int ? RestMag : 0;
  G.Len = T->K == TK::Str ? RestLen : 0;
  switch (R.below(6)) {
  case 0: {
    std::vector<const GVar *> Vs = varsOf(T);
    if (Vs.empty())
      return std::nullopt;
    const GVar *V = Vs[R.below(Vs.size())];
    G.E = B::name(V->Name);
    G.Mag = V->Mag;
    G.Len = V->Len;
    return G;
  }
  case 1: {
    Path P;
    if (!pickPath([&](const GType *PT) { return PT == T; }, P))
      return std::nullopt;
    G.E = pathExpr(P);
    if (P.Steps.empty()) {
      G.Mag = P.Var->Mag;
      G.Len = P.Var->Len;
    }
    return G;
  }
  case 2: {
    Path P;
    if (!pickPath(
            [&](const GType *PT) {
              return PT->K == TK::Array && PT->Elem == T;
            },
            P))
      return std::nullopt;
    ExprPtr Coll = pathExpr(P);
    ExprPtr Idx = indexFor(*Coll, D);
    G.E = B::index(std::move(Coll), std::move(Idx));
    return G;
  }
  case 3: {
    Path P;
    if (!pickPath(
            [&](const GType *PT) { return PT->K == TK::Map && PT->Elem == T; },
            P))
      return std::nullopt;
    ExprPtr M = pathExpr(P);
    GExpr K = mapKey(P.T->Key, D);
    if (raw()) {
      G.E = B::index(std::move(M), std::move(K.E));
      return G;
    }
    GExpr Def = fitStore(expr(T, D + 1), T);
    std::vector<ExprPtr> Args;
    Args.push_back(std::move(K.E));
    Args.push_back(std::move(Def.E));
    G.E = B::method(std::move(M), "get", std::move(Args));
    return G;
  }
  case 4: {
    if (!raw())
      return std::nullopt;
    Path P;
    if (!pickPath(
            [&](const GType *PT) {
              return PT->K == TK::Array && PT->Elem == T;
            },
            P))
      return std::nullopt;
    G.E = B::method(pathExpr(P), "pop", {});
    return G;
  }
  default:
    return callExpr(T, D);
  }
}

/// Whether function \p I may be called here: an earlier function whose
/// loops fit under the current ones, or the current one if it recurses and
/// may make another self-call.
bool KernelGen::callable(size_t I) {
  const GFunc &F = Funcs[I];
  if (!llvm::all_of(F.Params, [&](const GParam &P) { return generable(P.T); }))
    return false;
  if (I == FnIndex)
    return F.Recursive && SelfCallsLeft > 0 && LoopDepth == LoopBase;
  return I < FnIndex && LoopDepth + F.LoopCost <= Opts.MaxLoopNest;
}

/// A call of function \p I. A recursive callee's depth is d - 1 from
/// itself, a small number from anywhere else.
ExprPtr KernelGen::callTo(size_t I, unsigned D) {
  const GFunc &F = Funcs[I];
  if (I == FnIndex)
    --SelfCallsLeft;
  else
    MaxNest = std::max(MaxNest, LoopDepth + F.LoopCost);
  std::vector<ExprPtr> Args;
  for (size_t P = 0; P < F.Params.size(); ++P) {
    if (P == 0 && F.Recursive) {
      if (I == FnIndex)
        Args.push_back(
            B::binary(Tok::Minus, B::name(F.Params[0].Name), B::intLit(1)));
      else
        Args.push_back(R.coin() ? B::intLit(uint64_t(R.range(0, 4)))
                                : smallNonNeg(D, 4).E);
      continue;
    }
    Args.push_back(stored(F.Params[P].T, D + 1).E);
  }
  return B::call(F.Name, std::move(Args));
}

std::optional<GExpr> KernelGen::callExpr(const GType *T, unsigned D) {
  std::vector<size_t> Ok;
  for (size_t I = 0; I <= FnIndex && I < Funcs.size(); ++I)
    if (Funcs[I].Ret == T && callable(I))
      Ok.push_back(I);
  if (Ok.empty())
    return std::nullopt;
  GExpr G;
  G.E = callTo(Ok[R.below(Ok.size())], D);
  G.Mag = RestMag;
  G.Len = RestLen;
  return G;
}

GExpr KernelGen::comparison(unsigned D) {
  static const Tok Ops[] = {Tok::EqEq,   Tok::NotEq,   Tok::Less,
                            Tok::LessEq, Tok::Greater, Tok::GreaterEq};
  const GType *T;
  switch (R.below(7)) {
  case 0:
    T = i32T();
    break;
  case 1:
    T = u32T();
    break;
  case 2:
  case 3:
    T = intT();
    break;
  case 4:
    T = f64T();
    break;
  case 5:
    T = strT();
    break;
  default:
    T = boolT();
    break;
  }
  Tok Op = T->K == TK::Bool ? (R.coin() ? Tok::EqEq : Tok::NotEq)
                            : Ops[R.below(std::size(Ops))];
  GExpr L = expr(T, D + 1, false), Rt = expr(T, D + 1, false);
  GExpr G;
  G.E = B::binary(Op, std::move(L.E), std::move(Rt.E));
  return G;
}

GExpr KernelGen::boolExpr(unsigned D) {
  GExpr G;
  for (;;) {
    switch (R.below(14)) {
    case 0:
      return literal(boolT(), true);
    case 1:
    case 2:
      if (auto Rd = read(boolT(), D))
        return std::move(*Rd);
      break;
    case 3:
      G.E = B::unary(Tok::Bang, expr(boolT(), D + 1).E);
      return G;
    case 4: {
      // x != null && x.f...: the right side may read through x.
      std::vector<const GVar *> Ns;
      for (const GVar *V : allVars())
        if (V->T->K == TK::Nullable && !knownNonNull(V->Name))
          Ns.push_back(V);
      if (!Ns.empty() && R.coin()) {
        const GVar *V = Ns[R.below(Ns.size())];
        Scopes.back().NonNull.insert(V->Name);
        ExprPtr Rhs = expr(boolT(), D + 1).E;
        Scopes.back().NonNull.erase(V->Name);
        G.E = B::binary(Tok::AmpAmp,
                        B::binary(Tok::NotEq, B::name(V->Name), B::nullLit()),
                        std::move(Rhs));
        return G;
      }
      G.E = B::binary(R.coin() ? Tok::AmpAmp : Tok::PipePipe,
                      expr(boolT(), D + 1).E, expr(boolT(), D + 1).E);
      return G;
    }
    case 5:
    case 6:
    case 7:
      return comparison(D);
    case 8: {
      // null checks of a ?R place.
      Path P;
      if (!pickPath([](const GType *T) { return T->K == TK::Nullable; }, P))
        break;
      bool Left = R.coin();
      ExprPtr X = pathExpr(P);
      Tok Op = R.coin() ? Tok::EqEq : Tok::NotEq;
      G.E = Left ? B::binary(Op, std::move(X), B::nullLit())
                 : B::binary(Op, B::nullLit(), std::move(X));
      return G;
    }
    case 9: {
      // contains / remove on a map.
      Path P;
      if (!pickPath([](const GType *T) { return T->K == TK::Map; }, P))
        break;
      ExprPtr M = pathExpr(P);
      std::vector<ExprPtr> Args;
      Args.push_back(mapKey(P.T->Key, D).E);
      G.E = B::method(std::move(M), R.percent(75) ? "contains" : "remove",
                      std::move(Args));
      return G;
    }
    case 10: {
      // s.contains(sub), s.starts_with(p, at)
      GExpr S = expr(strT(), D + 1, false);
      std::vector<ExprPtr> Args;
      Args.push_back(expr(strT(), D + 1).E);
      if (R.coin()) {
        G.E = B::method(std::move(S.E), "contains", std::move(Args));
        return G;
      }
      Args.push_back(boundFor(*S.E, D));
      G.E = B::method(std::move(S.E), "starts_with", std::move(Args));
      return G;
    }
    default:
      if (auto C = callExpr(boolT(), D))
        return std::move(*C);
      return comparison(D);
    }
  }
}

/// i32 and u32: wrapping arithmetic, bitwise operators, conversions.
GExpr KernelGen::smallIntExpr(const GType *T, unsigned D, bool Hinted) {
  bool IsI32 = T->K == TK::I32;
  GExpr G;
  for (;;) {
    switch (R.below(13)) {
    case 0:
    case 1:
      return leaf(T, Hinted);
    case 2:
      if (auto Rd = read(T, D))
        return std::move(*Rd);
      break;
    case 3:
    case 4:
    case 5: {
      static const Tok Ops[] = {Tok::Plus,    Tok::Minus, Tok::Star, Tok::Slash,
                                Tok::Percent, Tok::Amp,   Tok::Pipe, Tok::Caret,
                                Tok::Shl,     Tok::Shr};
      Tok Op = Ops[R.below(std::size(Ops))];
      GExpr L = expr(T, D + 1, Hinted);
      GExpr Rt = (Op == Tok::Slash || Op == Tok::Percent)
                     ? divisor(T, D)
                     : expr(T, D + 1, Hinted);
      // Two literals would make an int expression where no context types
      // it: one side gets its type.
      if (L.NeedsHint && Rt.NeedsHint)
        L = typed(std::move(L), T);
      G.E = B::binary(Op, std::move(L.E), std::move(Rt.E));
      return G;
    }
    case 6: {
      GExpr A = typed(expr(T, D + 1, false), T);
      G.E = B::unary(R.coin() ? Tok::Minus : Tok::Tilde, std::move(A.E));
      return G;
    }
    case 7: {
      // min, max (abs for i32).
      int Which = R.below(IsI32 ? 3 : 2);
      if (Which == 2) {
        std::vector<ExprPtr> Args;
        Args.push_back(typed(expr(T, D + 1, false), T).E);
        G.E = B::call("abs", std::move(Args));
        return G;
      }
      GExpr A = typed(expr(T, D + 1, false), T);
      std::vector<ExprPtr> Args;
      Args.push_back(std::move(A.E));
      Args.push_back(expr(T, D + 1).E);
      G.E = B::call(Which ? "max" : "min", std::move(Args));
      return G;
    }
    case 8:
    case 9: {
      // Conversions into T from the three other numeric types.
      const GType *From;
      switch (R.below(4)) {
      case 0:
        From = intT();
        break;
      case 1:
        From = IsI32 ? u32T() : i32T();
        break;
      case 2:
        From = f64T();
        break;
      default:
        From = intT();
        break;
      }
      GExpr A = typed(expr(From, D + 1, false), From);
      if (From->K == TK::F64 && !raw()) {
        // Keep the double in range most of the time: fmod by 2^31.
        A.E = B::binary(Tok::Percent, std::move(A.E),
                        B::floatLit(IsI32 ? 2147483648.0 : 4294967296.0));
        if (!IsI32) {
          std::vector<ExprPtr> Args;
          Args.push_back(std::move(A.E));
          A.E = B::call("abs", std::move(Args));
        }
      }
      std::vector<ExprPtr> Args;
      Args.push_back(std::move(A.E));
      G.E = B::call(IsI32 ? "i32" : "u32", std::move(Args));
      return G;
    }
    case 10:
      if (auto C = callExpr(T, D))
        return std::move(*C);
      break;
    case 11: {
      // b.u32le(i): i in 0..len(b) - 4 unless raw (len(b) < 4 still traps).
      Path P;
      if (IsI32 ||
          !pickPath([&](const GType *PT) { return PT == bytesT(); }, P))
        break;
      ExprPtr Bs = pathExpr(P);
      ExprPtr I;
      if (raw()) {
        I = wrapInt(intExpr(D + 1), 8).E;
      } else {
        std::vector<ExprPtr> LenArgs;
        LenArgs.push_back(B::clone(*Bs));
        std::vector<ExprPtr> MaxArgs;
        MaxArgs.push_back(B::binary(
            Tok::Minus, B::call("len", std::move(LenArgs)), B::intLit(4)));
        MaxArgs.push_back(B::intLit(0));
        std::vector<ExprPtr> MinArgs;
        MinArgs.push_back(smallNonNeg(D, 16).E);
        MinArgs.push_back(B::call("max", std::move(MaxArgs)));
        I = B::call("min", std::move(MinArgs));
      }
      std::vector<ExprPtr> Args;
      Args.push_back(std::move(I));
      G.E = B::method(std::move(Bs), "u32le", std::move(Args));
      return G;
    }
    default:
      return literal(T, Hinted);
    }
  }
}

GExpr KernelGen::intExpr(unsigned D) {
  GExpr G;
  for (;;) {
    switch (R.below(20)) {
    case 0:
    case 1:
      return leaf(intT(), true);
    case 2:
    case 3:
      if (auto Rd = read(intT(), D))
        return std::move(*Rd);
      break;
    case 4:
    case 5:
    case 6: {
      static const Tok Ops[] = {Tok::Plus, Tok::Minus, Tok::Star, Tok::Slash,
                                Tok::Percent};
      Tok Op = Ops[R.below(std::size(Ops))];
      GExpr L = intExpr(D + 1);
      GExpr Rt = (Op == Tok::Slash || Op == Tok::Percent) ? divisor(intT(), D)
                                                          : intExpr(D + 1);
      uint64_t Mag;
      switch (Op) {
      case Tok::Plus:
      case Tok::Minus:
        if (satAdd(L.Mag, Rt.Mag) > SafeMag) {
          L = wrapInt(std::move(L), RestMag, true);
          Rt = wrapInt(std::move(Rt), RestMag, true);
        }
        Mag = satAdd(L.Mag, Rt.Mag);
        break;
      case Tok::Star:
        if (satMul(L.Mag, Rt.Mag) > SafeMag) {
          L = wrapInt(std::move(L), 67108858, true);
          Rt = wrapInt(std::move(Rt), 67108858, true);
        }
        Mag = satMul(L.Mag, Rt.Mag);
        break;
      case Tok::Slash:
        Mag = L.Mag;
        break;
      default:
        Mag = std::min(L.Mag, Rt.Mag);
        break;
      }
      G.NeedsHint = L.NeedsHint && Rt.NeedsHint;
      G.E = B::binary(Op, std::move(L.E), std::move(Rt.E));
      G.Mag = Mag;
      return G;
    }
    case 7: {
      GExpr A = intExpr(D + 1);
      G.Mag = A.Mag;
      G.NeedsHint = A.NeedsHint;
      if (A.E->K == ast::Expr::Unary || A.E->K == ast::Expr::IntLit)
        A.E = B::paren(std::move(A.E)); // -(-5), not a literal -5
      G.E = B::unary(Tok::Minus, std::move(A.E));
      return G;
    }
    case 8: {
      int Which = R.below(3);
      GExpr A = intExpr(D + 1);
      std::vector<ExprPtr> Args;
      if (Which == 2) {
        G.Mag = A.Mag;
        G.NeedsHint = A.NeedsHint;
        Args.push_back(std::move(A.E));
        G.E = B::call("abs", std::move(Args));
        return G;
      }
      GExpr Bv = intExpr(D + 1);
      G.Mag = std::max(A.Mag, Bv.Mag);
      G.NeedsHint = A.NeedsHint && Bv.NeedsHint;
      Args.push_back(std::move(A.E));
      Args.push_back(std::move(Bv.E));
      G.E = B::call(Which ? "max" : "min", std::move(Args));
      return G;
    }
    case 9:
    case 10: {
      // int(i32), int(u32), int(f64)
      unsigned K = R.below(3);
      const GType *From = K == 0 ? i32T() : K == 1 ? u32T() : f64T();
      GExpr A = typed(expr(From, D + 1, false), From);
      if (K == 2 && !raw()) {
        A.E = B::binary(Tok::Percent, std::move(A.E), B::floatLit(1e15));
        G.Mag = uint64_t(1e15);
      } else {
        G.Mag = K == 0   ? (uint64_t(1) << 31)
                : K == 1 ? (uint64_t(1) << 32)
                         : SafeMag;
      }
      std::vector<ExprPtr> Args;
      Args.push_back(std::move(A.E));
      G.E = B::call("int", std::move(Args));
      return G;
    }
    case 11: {
      // len(x)
      const GType *T;
      switch (R.below(4)) {
      case 0:
        T = strT();
        break;
      case 1:
        T = bytesInScope() ? bytesT() : strT();
        break;
      case 2: {
        Path P;
        if (pickPath(
                [](const GType *PT) {
                  return PT->K == TK::Array || PT->K == TK::Map;
                },
                P)) {
          std::vector<ExprPtr> Args;
          Args.push_back(pathExpr(P));
          G.E = B::call("len", std::move(Args));
          G.Mag = uint64_t(1) << 24;
          return G;
        }
        T = strT();
        break;
      }
      default:
        T = arrayT(intT());
        break;
      }
      std::vector<ExprPtr> Args;
      Args.push_back(expr(T, D + 1, false).E);
      G.E = B::call("len", std::move(Args));
      G.Mag = uint64_t(1) << 24;
      return G;
    }
    case 12: {
      // s[i], b[i]
      Path P;
      bool IsBytes = R.coin();
      const GType *T = IsBytes && bytesInScope() ? bytesT() : strT();
      if (!pickPath([&](const GType *PT) { return PT == T; }, P))
        break;
      ExprPtr C = pathExpr(P);
      ExprPtr I = indexFor(*C, D);
      G.E = B::index(std::move(C), std::move(I));
      G.Mag = 255;
      return G;
    }
    case 13: {
      // s.find(sub, start)
      Path P;
      if (!pickPath([&](const GType *PT) { return PT == strT(); }, P))
        break;
      ExprPtr S = pathExpr(P);
      std::vector<ExprPtr> Args;
      Args.push_back(expr(strT(), D + 1).E);
      Args.push_back(boundFor(*S, D));
      G.E = B::method(std::move(S), "find", std::move(Args));
      G.Mag = uint64_t(1) << 24;
      return G;
    }
    case 14: {
      // parse_int: of str(e) (valid), of a tricky literal, or of anything.
      std::vector<ExprPtr> Args;
      unsigned K = R.below(10);
      if (K < 6) {
        GExpr A = intExpr(D + 1);
        G.Mag = A.Mag;
        std::vector<ExprPtr> SArgs;
        SArgs.push_back(std::move(A.E));
        Args.push_back(B::call("str", std::move(SArgs)));
      } else if (K < 9 || !raw()) {
        // The first entries of the pool are valid; the rest trap.
        size_t N = raw() ? std::size(ParseIntPool) : ValidParseInts;
        Args.push_back(B::strLit(ParseIntPool[R.below(N)]));
        G.Mag = SafeMag;
      } else {
        Args.push_back(expr(strT(), D + 1).E);
        G.Mag = SafeMag;
      }
      G.E = B::call("parse_int", std::move(Args));
      return G;
    }
    case 15:
      if (auto C = callExpr(intT(), D))
        return std::move(*C);
      break;
    default:
      return literal(intT(), true);
    }
  }
}

GExpr KernelGen::f64Expr(unsigned D) {
  GExpr G;
  for (;;) {
    switch (R.below(12)) {
    case 0:
    case 1:
      return leaf(f64T(), true);
    case 2:
      if (auto Rd = read(f64T(), D))
        return std::move(*Rd);
      break;
    case 3:
    case 4:
    case 5: {
      static const Tok Ops[] = {Tok::Plus, Tok::Minus, Tok::Star, Tok::Slash,
                                Tok::Percent};
      Tok Op = Ops[R.below(std::size(Ops))];
      GExpr L = f64Expr(D + 1);
      GExpr Rt = (Op == Tok::Slash || Op == Tok::Percent) ? divisor(f64T(), D)
                                                          : f64Expr(D + 1);
      G.E = B::binary(Op, std::move(L.E), std::move(Rt.E));
      return G;
    }
    case 6: {
      GExpr A = f64Expr(D + 1);
      if (A.E->K == ast::Expr::Unary || A.E->K == ast::Expr::FloatLit)
        A.E = B::paren(std::move(A.E));
      G.E = B::unary(Tok::Minus, std::move(A.E));
      return G;
    }
    case 7: {
      static const char *Fns[] = {"sqrt", "floor", "abs", "min", "max"};
      const char *F = Fns[R.below(std::size(Fns))];
      std::vector<ExprPtr> Args;
      GExpr A = f64Expr(D + 1);
      if (llvm::StringRef(F) == "sqrt" && !raw()) {
        std::vector<ExprPtr> AbsArgs;
        AbsArgs.push_back(std::move(A.E));
        A.E = B::call("abs", std::move(AbsArgs));
      }
      Args.push_back(std::move(A.E));
      if (llvm::StringRef(F) == "min" || llvm::StringRef(F) == "max")
        Args.push_back(f64Expr(D + 1).E);
      G.E = B::call(F, std::move(Args));
      return G;
    }
    case 8:
    case 9: {
      unsigned K = R.below(3);
      const GType *From = K == 0 ? i32T() : K == 1 ? u32T() : intT();
      GExpr A = typed(expr(From, D + 1, false), From);
      std::vector<ExprPtr> Args;
      Args.push_back(std::move(A.E));
      G.E = B::call("f64", std::move(Args));
      return G;
    }
    case 10:
      if (auto C = callExpr(f64T(), D))
        return std::move(*C);
      break;
    default:
      return literal(f64T(), true);
    }
  }
}

GExpr KernelGen::strExpr(unsigned D) {
  GExpr G;
  for (;;) {
    switch (R.below(17)) {
    case 0:
    case 1:
      return leaf(strT(), true);
    case 2:
    case 3:
      if (auto Rd = read(strT(), D))
        return std::move(*Rd);
      break;
    case 4:
    case 5: {
      GExpr L = strExpr(D + 1), Rt = strExpr(D + 1);
      G.Len = satAdd(L.Len, Rt.Len);
      G.E = B::binary(Tok::Plus, std::move(L.E), std::move(Rt.E));
      return G;
    }
    case 6: {
      // s.slice(a, b)
      if (!raw()) {
        GExpr SG = expr(strT(), D + 1, false);
        if (!isPure(*SG.E))
          break;
        ExprPtr S = std::move(SG.E);
        // min(a, len(s)), min(a + k, len(s)): in range, a <= b.
        int64_t A = R.range(0, 6), K = R.range(0, 8);
        std::vector<ExprPtr> Args;
        for (int64_t V : {A, A + K}) {
          std::vector<ExprPtr> LenArgs;
          LenArgs.push_back(B::clone(*S));
          std::vector<ExprPtr> MinArgs;
          MinArgs.push_back(B::intLit(uint64_t(V)));
          MinArgs.push_back(B::call("len", std::move(LenArgs)));
          Args.push_back(B::call("min", std::move(MinArgs)));
        }
        G.Len = SG.Len;
        G.E = B::method(std::move(S), "slice", std::move(Args));
        return G;
      }
      GExpr S = expr(strT(), D + 1, false);
      G.Len = S.Len;
      std::vector<ExprPtr> Args;
      Args.push_back(wrapInt(intExpr(D + 1), 8).E);
      Args.push_back(wrapInt(intExpr(D + 1), 16).E);
      G.E = B::method(std::move(S.E), "slice", std::move(Args));
      return G;
    }
    case 7: {
      // str(n) of any integer type.
      unsigned K = R.below(4);
      const GType *From = K == 0 ? i32T() : K == 1 ? u32T() : intT();
      std::vector<ExprPtr> Args;
      Args.push_back(typed(expr(From, D + 1, false), From).E);
      G.E = B::call("str", std::move(Args));
      G.Len = 20;
      return G;
    }
    case 8: {
      // chr(c)
      std::vector<ExprPtr> Args;
      if (raw())
        Args.push_back(wrapInt(intExpr(D + 1), 200).E);
      else if (R.coin())
        Args.push_back(B::intLit(uint64_t(R.range(0, 127))));
      else
        Args.push_back(smallNonNeg(D, 127).E);
      G.E = B::call("chr", std::move(Args));
      G.Len = 1;
      return G;
    }
    case 9:
    case 10: {
      GExpr S = expr(strT(), D + 1, false);
      G.Len = S.Len;
      G.E = B::method(std::move(S.E), R.coin() ? "lower" : "trim", {});
      return G;
    }
    case 11: {
      // s.replace(old, new): old non-empty unless raw.
      GExpr S = expr(strT(), D + 1, false);
      std::vector<ExprPtr> Args;
      if (raw())
        Args.push_back(expr(strT(), D + 1).E);
      else
        Args.push_back(B::strLit(SepPool[R.below(std::size(SepPool))]));
      GExpr New = expr(strT(), D + 1);
      G.Len = satMul(S.Len, std::max<uint64_t>(New.Len, 1));
      Args.push_back(std::move(New.E));
      G.E = B::method(std::move(S.E), "replace", std::move(Args));
      return G;
    }
    case 12: {
      // join(parts, sep)
      std::vector<ExprPtr> Args;
      Args.push_back(expr(arrayT(strT()), D + 1).E);
      Args.push_back(expr(strT(), D + 1).E);
      G.E = B::call("join", std::move(Args));
      G.Len = NoBound;
      return G;
    }
    case 13: {
      // str_from_codes(codes): codes 0..127 unless raw.
      std::vector<ExprPtr> Args;
      if (raw()) {
        Args.push_back(expr(arrayT(intT()), D + 1).E);
        G.Len = NoBound;
      } else {
        std::vector<ExprPtr> Codes;
        unsigned N = R.below(5);
        for (unsigned I = 0; I < N; ++I)
          Codes.push_back(R.coin() ? B::intLit(uint64_t(R.range(0, 127)))
                                   : smallNonNeg(D + 1, 127).E);
        Args.push_back(B::arrayLit(std::move(Codes)));
        G.Len = N;
      }
      G.E = B::call("str_from_codes", std::move(Args));
      return G;
    }
    case 14:
      if (auto C = callExpr(strT(), D))
        return std::move(*C);
      break;
    default:
      return literal(strT(), true);
    }
  }
}

GExpr KernelGen::bytesExpr(unsigned D) {
  std::vector<const GVar *> Vs = varsOf(bytesT());
  assert(!Vs.empty() && "bytes wanted where none is in scope");
  GExpr G;
  switch (R.below(4)) {
  case 0: {
    Path P;
    if (!raw()) {
      if (!pickPath([&](const GType *PT) { return PT == bytesT(); }, P))
        return leaf(bytesT(), true);
      ExprPtr S = pathExpr(P);
      int64_t A = R.range(0, 6), K = R.range(0, 8);
      std::vector<ExprPtr> Args;
      for (int64_t V : {A, A + K}) {
        std::vector<ExprPtr> LenArgs;
        LenArgs.push_back(B::clone(*S));
        std::vector<ExprPtr> MinArgs;
        MinArgs.push_back(B::intLit(uint64_t(V)));
        MinArgs.push_back(B::call("len", std::move(LenArgs)));
        Args.push_back(B::call("min", std::move(MinArgs)));
      }
      G.E = B::method(std::move(S), "slice", std::move(Args));
      G.Len = RestLen;
      return G;
    }
    GExpr S = leaf(bytesT(), true);
    std::vector<ExprPtr> Args;
    Args.push_back(wrapInt(intExpr(D + 1), 8).E);
    Args.push_back(wrapInt(intExpr(D + 1), 16).E);
    G.E = B::method(std::move(S.E), "slice", std::move(Args));
    G.Len = S.Len;
    return G;
  }
  case 1:
    if (auto C = callExpr(bytesT(), D))
      return std::move(*C);
    [[fallthrough]];
  default:
    return leaf(bytesT(), true);
  }
}

GExpr KernelGen::arrayExpr(const GType *T, unsigned D, bool Hinted) {
  GExpr G;
  for (;;) {
    switch (R.below(8)) {
    case 0:
    case 1:
      if (auto Rd = read(T, D))
        return std::move(*Rd);
      break;
    case 2:
    case 3: {
      unsigned N = R.below(5);
      if (N == 0 && !Hinted)
        N = 1;
      if (!Hinted && !selfTyping(T->Elem))
        break;
      std::vector<ExprPtr> Elems;
      G.NeedsHint = N == 0;
      for (unsigned I = 0; I < N; ++I) {
        // Without context the first element gives the type.
        GExpr E = I == 0 && !Hinted
                      ? fitStore(expr(T->Elem, D + 1, false), T->Elem)
                      : stored(T->Elem, D + 1);
        if (I == 0)
          G.NeedsHint = E.NeedsHint;
        Elems.push_back(std::move(E.E));
      }
      G.E = B::arrayLit(std::move(Elems));
      return G;
    }
    case 4: {
      // array(n, v)
      std::vector<ExprPtr> Args;
      Args.push_back(smallNonNeg(D, 8).E);
      GExpr V = stored(T->Elem, D + 1);
      G.NeedsHint = V.NeedsHint;
      if (!Hinted && V.NeedsHint) {
        V = typed(std::move(V), T->Elem);
        G.NeedsHint = false;
      }
      if (!Hinted && V.NeedsHint)
        break; // a ?R null or an empty container: no type without context
      Args.push_back(std::move(V.E));
      G.E = B::call("array", std::move(Args));
      return G;
    }
    case 5:
      if (T->Elem == strT()) {
        // s.split(sep)
        GExpr S = expr(strT(), D + 1, false);
        std::vector<ExprPtr> Args;
        if (raw())
          Args.push_back(expr(strT(), D + 1).E);
        else
          Args.push_back(B::strLit(SepPool[R.below(std::size(SepPool))]));
        G.E = B::method(std::move(S.E), "split", std::move(Args));
        return G;
      }
      break;
    case 6:
      if (auto C = callExpr(T, D))
        return std::move(*C);
      break;
    default:
      if (!Hinted && !selfTyping(T->Elem))
        break;
      return literal(T, Hinted, D);
    }
  }
}

/// Whether a literal of the type has its type without context: not null,
/// not {}, and no array of those.
bool KernelGen::selfTyping(const GType *T) const {
  if (T->K == TK::Array)
    return selfTyping(T->Elem);
  return T->K != TK::Map && T->K != TK::Nullable;
}

GExpr KernelGen::mapExpr(const GType *T, unsigned D, bool Hinted) {
  for (;;) {
    switch (R.below(4)) {
    case 0:
    case 1:
      if (auto Rd = read(T, D))
        return std::move(*Rd);
      break;
    case 2:
      if (auto C = callExpr(T, D))
        return std::move(*C);
      break;
    default:
      return literal(T, Hinted);
    }
  }
}

GExpr KernelGen::recordExpr(const GType *T, unsigned D) {
  if (D < Opts.MaxExprDepth && R.percent(40))
    if (auto Rd = read(T, D))
      return std::move(*Rd);
  const GRecord &Rec = Records[T->Rec];
  // Fields in declaration order or shuffled: Sema lowers them by name.
  std::vector<size_t> Order(Rec.Fields.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  if (R.percent(30))
    for (size_t I = Order.size(); I > 1; --I)
      std::swap(Order[I - 1], Order[R.below(I)]);
  std::vector<std::string> Names;
  std::vector<ExprPtr> Vals;
  for (size_t I : Order) {
    Names.push_back(Rec.Fields[I].Name);
    Vals.push_back(stored(Rec.Fields[I].T, D + 1).E);
  }
  GExpr G;
  G.E = B::recordLit(Rec.Name, std::move(Names), std::move(Vals));
  return G;
}

GExpr KernelGen::nullableExpr(const GType *T, unsigned D, bool Hinted) {
  for (int Try = 0; Try < 4; ++Try) {
    switch (R.below(5)) {
    case 0:
    case 1:
      if (auto Rd = read(T, D))
        return std::move(*Rd);
      break;
    case 2:
      if (Hinted)
        return recordExpr(T->Elem, D + 1); // R converts to ?R
      break;
    case 3:
      if (auto C = callExpr(T, D))
        return std::move(*C);
      break;
    default:
      return literal(T, Hinted);
    }
  }
  return literal(T, Hinted);
}

// --- statements
// ----------------------------------------------------------------

std::unique_ptr<ast::BlockStmt> KernelGen::genBlock(
    unsigned N, const std::function<void(std::vector<StmtPtr> &)> &Prologue) {
  Scopes.emplace_back();
  ++BlockDepth;
  std::vector<StmtPtr> Stmts;
  if (Prologue)
    Prologue(Stmts);
  genStmts(Stmts, N);
  --BlockDepth;
  Scopes.pop_back();
  return B::block(std::move(Stmts));
}

void KernelGen::genStmts(std::vector<StmtPtr> &Out, unsigned N) {
  for (unsigned I = 0; I < N && StmtCount < Opts.MaxFunctionStmts; ++I) {
    ++StmtCount;
    if (!genStmt(Out))
      return; // a break, continue or return ends the block
  }
}

/// One statement (or a few that belong together). Returns false after a
/// statement that ends its block.
bool KernelGen::genStmt(std::vector<StmtPtr> &Out) {
  bool CanNest = BlockDepth < 5;
  bool CanLoop = CanNest && LoopDepth < Opts.MaxLoopNest;
  bool Nested = BlockDepth > 1;
  for (;;) {
    unsigned W[] = {
        26,                                 // 0 declaration
        18,                                 // 1 assignment
        6,                                  // 2 field set
        5,                                  // 3 element set
        5,                                  // 4 push
        5,                                  // 5 map set
        2,                                  // 6 map remove
        2,                                  // 7 pop
        FnIndex || SelfCallsLeft ? 4u : 0u, // 8 call
        CanNest ? 10u : 0u,                 // 9 if
        CanNest ? 3u : 0u,                  // 10 null check
        CanLoop ? 3u : 0u,                  // 11 while
        CanLoop ? 4u : 0u,                  // 12 for range
        CanLoop ? 3u : 0u,                  // 13 for over indices
        CanLoop ? 4u : 0u,                  // 14 for each
        CanLoop ? 3u : 0u,                  // 15 for map
        LoopDepth > LoopBase ? 3u : 0u,     // 16 break / continue
        Nested ? 2u : 0u,                   // 17 return
        CanNest ? 1u : 0u,                  // 18 block
    };
    switch (R.weighted(W)) {
    case 0:
      declStmt(Out);
      return true;
    case 1:
      if (assignStmt(Out))
        return true;
      break;
    case 2:
      if (fieldSetStmt(Out))
        return true;
      break;
    case 3:
      if (elemSetStmt(Out))
        return true;
      break;
    case 4:
      if (pushStmt(Out))
        return true;
      break;
    case 5:
      if (mapSetStmt(Out))
        return true;
      break;
    case 6:
      if (mapRemoveStmt(Out))
        return true;
      break;
    case 7:
      if (popStmt(Out))
        return true;
      break;
    case 8:
      if (callStmt(Out))
        return true;
      break;
    case 9:
      ifStmt(Out);
      return true;
    case 10:
      if (nullCheckStmt(Out))
        return true;
      break;
    case 11:
      whileStmt(Out);
      return true;
    case 12:
      forRangeStmt(Out);
      return true;
    case 13:
      if (forIndexStmt(Out))
        return true;
      break;
    case 14:
      if (forEachStmt(Out))
        return true;
      break;
    case 15:
      if (forMapStmt(Out))
        return true;
      break;
    case 16: {
      StmtPtr S = R.coin() ? B::breakStmt() : B::continueStmt();
      if (R.percent(70)) {
        std::vector<StmtPtr> Body;
        Body.push_back(std::move(S));
        Out.push_back(B::ifStmt(expr(boolT(), 1).E, B::block(std::move(Body))));
        return true;
      }
      Out.push_back(std::move(S));
      return false;
    }
    case 17: {
      StmtPtr S = returnValue();
      if (R.percent(70)) {
        std::vector<StmtPtr> Body;
        Body.push_back(std::move(S));
        Out.push_back(B::ifStmt(expr(boolT(), 1).E, B::block(std::move(Body))));
        return true;
      }
      Out.push_back(std::move(S));
      return false;
    }
    default: {
      auto Blk = genBlock(1 + R.below(3));
      ast::StmtPtr S =
          std::make_unique<ast::Stmt>(ast::Stmt::Block, llvm::SMLoc());
      S->Body = std::move(Blk);
      Out.push_back(std::move(S));
      return true;
    }
    }
  }
}

StmtPtr KernelGen::returnValue() {
  const GFunc &F = Funcs[FnIndex];
  if (!F.Ret)
    return B::returnStmt(nullptr);
  return B::returnStmt(stored(F.Ret, 0).E);
}

void KernelGen::declStmt(std::vector<StmtPtr> &Out) {
  const GType *T = randomType(0, bytesInScope(), int(Records.size()));
  GExpr V = stored(T, 0);
  bool Annotate = V.NeedsHint || R.percent(60);
  std::string Name = freshLocal();
  bool Mutable = R.percent(65);
  uint64_t Len = T->K == TK::Bytes ? V.Len : RestLen;
  Out.push_back(
      B::let(Mutable, Name, Annotate ? typeExpr(T) : nullptr, std::move(V.E)));
  declare(Name, T, Mutable, RestMag, Len);
}

/// After `lv op= e` on an int, `lv %= M` brings the value back to rest.
void KernelGen::compoundFixup(std::vector<StmtPtr> &Out,
                              const ast::Expr &Target, const GType *T,
                              uint64_t Mag) {
  if (T->K == TK::Int && Mag > RestMag && !(Checked && R.percent(12)))
    Out.push_back(B::assign(B::clone(Target), Tok::PercentEq,
                            B::intLit(uint64_t(RestMod))));
  if (T->K == TK::Str && Mag > RestLen) {
    UsesCap = true;
    std::vector<ExprPtr> Args;
    Args.push_back(B::clone(Target));
    Out.push_back(
        B::assign(B::clone(Target), Tok::Eq, B::call(CapFn, std::move(Args))));
  }
}

/// `lv = e` or `lv op= e` for the place \p Target of type \p T.
static const Tok IntCompound[] = {Tok::PlusEq, Tok::MinusEq, Tok::StarEq,
                                  Tok::SlashEq, Tok::PercentEq};
static const Tok BitCompound[] = {
    Tok::PlusEq, Tok::MinusEq, Tok::StarEq,  Tok::SlashEq, Tok::PercentEq,
    Tok::AmpEq,  Tok::PipeEq,  Tok::CaretEq, Tok::ShlEq,   Tok::ShrEq};

bool KernelGen::assignStmt(std::vector<StmtPtr> &Out) {
  std::vector<const GVar *> Vs;
  for (const GVar *V : allVars())
    if (V->Mutable && !V->Fixed && generable(V->T))
      Vs.push_back(V);
  if (Vs.empty())
    return false;
  const GVar *V = Vs[R.below(Vs.size())];
  const GType *T = V->T;
  ExprPtr Target = B::name(V->Name);
  forget(V->Name);
  if (R.percent(35)) {
    if (T->isNumeric()) {
      Tok Op = T->isSmallInt() ? BitCompound[R.below(std::size(BitCompound))]
                               : IntCompound[R.below(std::size(IntCompound))];
      GExpr E = (Op == Tok::SlashEq || Op == Tok::PercentEq) ? divisor(T, 0)
                                                             : expr(T, 1);
      uint64_t Mag = 0;
      if (T->K == TK::Int) {
        if (Op == Tok::StarEq)
          E = wrapInt(std::move(E), 8388592, true);
        else
          E = wrapInt(std::move(E), RestMag, true);
        Mag = Op == Tok::StarEq ? satMul(V->Mag, E.Mag)
              : (Op == Tok::PlusEq || Op == Tok::MinusEq)
                  ? satAdd(V->Mag, E.Mag)
                  : V->Mag;
      }
      Out.push_back(B::assign(B::clone(*Target), Op, std::move(E.E)));
      compoundFixup(Out, *Target, T, Mag);
      return true;
    }
    if (T->K == TK::Str) {
      GExpr E = expr(strT(), 1);
      uint64_t Len = satAdd(RestLen, E.Len);
      Out.push_back(B::assign(B::clone(*Target), Tok::PlusEq, std::move(E.E)));
      compoundFixup(Out, *Target, T, Len);
      return true;
    }
  }
  GExpr E = stored(T, 0);
  Out.push_back(B::assign(std::move(Target), Tok::Eq, std::move(E.E)));
  return true;
}

bool KernelGen::fieldSetStmt(std::vector<StmtPtr> &Out) {
  Path P;
  if (!pickPath(
          [](const GType *T) {
            return T->K == TK::Record || T->K == TK::Nullable;
          },
          P))
    return false;
  const GType *RT = P.T->K == TK::Nullable ? P.T->Elem : P.T;
  if (P.T->K == TK::Nullable &&
      !(P.Steps.empty() && knownNonNull(P.Var->Name)) && !raw())
    return false;
  const GRecord &Rec = Records[RT->Rec];
  size_t F = R.below(Rec.Fields.size());
  const GType *FT = Rec.Fields[F].T;
  ExprPtr Target = B::field(pathExpr(P), Rec.Fields[F].Name);
  if (R.percent(30) && (FT->isNumeric() || FT->K == TK::Str)) {
    Tok Op = FT->K == TK::Str   ? Tok::PlusEq
             : FT->isSmallInt() ? BitCompound[R.below(std::size(BitCompound))]
                                : IntCompound[R.below(std::size(IntCompound))];
    GExpr E = (Op == Tok::SlashEq || Op == Tok::PercentEq) ? divisor(FT, 0)
                                                           : expr(FT, 1);
    uint64_t Mag = 0;
    if (FT->K == TK::Int) {
      E = wrapInt(std::move(E), Op == Tok::StarEq ? 8388592 : RestMag, true);
      Mag = Op == Tok::StarEq ? satMul(RestMag, E.Mag) : satAdd(RestMag, E.Mag);
    } else if (FT->K == TK::Str) {
      Mag = satAdd(RestLen, E.Len);
    }
    Out.push_back(B::assign(B::clone(*Target), Op, std::move(E.E)));
    compoundFixup(Out, *Target, FT, Mag);
    return true;
  }
  Out.push_back(B::assign(std::move(Target), Tok::Eq, stored(FT, 0).E));
  return true;
}

bool KernelGen::elemSetStmt(std::vector<StmtPtr> &Out) {
  Path P;
  if (!pickPath([](const GType *T) { return T->K == TK::Array; }, P))
    return false;
  const GType *ET = P.T->Elem;
  ExprPtr A = pathExpr(P);
  ExprPtr I = indexFor(*A, 1);
  // Unless raw: if len(a) > 0 { a[i] = v; }, the index in range.
  std::vector<StmtPtr> *Into = &Out;
  std::vector<StmtPtr> Guarded;
  ExprPtr GuardCond;
  if (!raw()) {
    std::vector<ExprPtr> LenArgs;
    LenArgs.push_back(B::clone(*A));
    GuardCond = B::binary(Tok::Greater, B::call("len", std::move(LenArgs)),
                          B::intLit(0));
    Into = &Guarded;
  }
  ExprPtr Target = B::index(std::move(A), std::move(I));
  auto Finish = [&] {
    if (GuardCond)
      Out.push_back(
          B::ifStmt(std::move(GuardCond), B::block(std::move(Guarded))));
    return true;
  };
  if (R.percent(25) && ET->isNumeric()) {
    Tok Op = ET->isSmallInt() ? BitCompound[R.below(std::size(BitCompound))]
                              : IntCompound[R.below(std::size(IntCompound))];
    GExpr E = (Op == Tok::SlashEq || Op == Tok::PercentEq) ? divisor(ET, 0)
                                                           : expr(ET, 1);
    uint64_t Mag = 0;
    if (ET->K == TK::Int) {
      E = wrapInt(std::move(E), Op == Tok::StarEq ? 8388592 : RestMag, true);
      Mag = Op == Tok::StarEq ? satMul(RestMag, E.Mag) : satAdd(RestMag, E.Mag);
    }
    Into->push_back(B::assign(B::clone(*Target), Op, std::move(E.E)));
    compoundFixup(*Into, *Target, ET, Mag);
    return Finish();
  }
  Into->push_back(B::assign(std::move(Target), Tok::Eq, stored(ET, 0).E));
  return Finish();
}

bool KernelGen::pushStmt(std::vector<StmtPtr> &Out) {
  Path P;
  if (!pickPath([](const GType *T) { return T->K == TK::Array; }, P))
    return false;
  std::vector<ExprPtr> Args;
  Args.push_back(stored(P.T->Elem, 0).E);
  Out.push_back(B::exprStmt(B::method(pathExpr(P), "push", std::move(Args))));
  return true;
}

bool KernelGen::mapSetStmt(std::vector<StmtPtr> &Out) {
  Path P;
  if (!pickPath([](const GType *T) { return T->K == TK::Map; }, P))
    return false;
  const GType *VT = P.T->Elem;
  ExprPtr Target = B::index(pathExpr(P), mapKey(P.T->Key, 0).E);
  if (VT->isNumeric() && raw()) {
    // m[k] += v reads m[k] first: it traps when k is absent.
    Tok Op = Tok::PlusEq;
    GExpr E = expr(VT, 1);
    uint64_t Mag = 0;
    if (VT->K == TK::Int) {
      E = wrapInt(std::move(E), RestMag, true);
      Mag = satAdd(RestMag, E.Mag);
    }
    Out.push_back(B::assign(B::clone(*Target), Op, std::move(E.E)));
    compoundFixup(Out, *Target, VT, Mag);
    return true;
  }
  Out.push_back(B::assign(std::move(Target), Tok::Eq, stored(VT, 0).E));
  return true;
}

bool KernelGen::mapRemoveStmt(std::vector<StmtPtr> &Out) {
  Path P;
  if (!pickPath([](const GType *T) { return T->K == TK::Map; }, P))
    return false;
  std::vector<ExprPtr> Args;
  Args.push_back(mapKey(P.T->Key, 0).E);
  Out.push_back(B::exprStmt(B::method(pathExpr(P), "remove", std::move(Args))));
  return true;
}

bool KernelGen::popStmt(std::vector<StmtPtr> &Out) {
  Path P;
  if (!pickPath([](const GType *T) { return T->K == TK::Array; }, P))
    return false;
  ExprPtr A = pathExpr(P);
  if (raw()) {
    Out.push_back(B::exprStmt(B::method(std::move(A), "pop", {})));
    return true;
  }
  // if len(a) > 0 { a.pop(); } or { x = a.pop(); }
  std::vector<ExprPtr> LenArgs;
  LenArgs.push_back(B::clone(*A));
  ExprPtr Cond =
      B::binary(Tok::Greater, B::call("len", std::move(LenArgs)), B::intLit(0));
  std::vector<StmtPtr> Body;
  std::vector<const GVar *> Targets;
  for (const GVar *V : allVars())
    if (V->Mutable && !V->Fixed && V->T == P.T->Elem)
      Targets.push_back(V);
  if (!Targets.empty() && R.coin()) {
    const GVar *V = Targets[R.below(Targets.size())];
    forget(V->Name);
    ExprPtr Pop = B::method(std::move(A), "pop", {});
    if (V->T->K == TK::Int && V->Mag < RestMag)
      Pop = B::binary(Tok::Percent, std::move(Pop),
                      B::intLit(uint64_t(modulusFor(V->Mag))));
    Body.push_back(B::assign(B::name(V->Name), Tok::Eq, std::move(Pop)));
  } else {
    Body.push_back(B::exprStmt(B::method(std::move(A), "pop", {})));
  }
  Out.push_back(B::ifStmt(std::move(Cond), B::block(std::move(Body))));
  return true;
}

bool KernelGen::callStmt(std::vector<StmtPtr> &Out) {
  std::vector<size_t> Ok;
  for (size_t I = 0; I <= FnIndex && I < Funcs.size(); ++I)
    if (callable(I))
      Ok.push_back(I);
  if (Ok.empty())
    return false;
  Out.push_back(B::exprStmt(callTo(Ok[R.below(Ok.size())], 0)));
  return true;
}

void KernelGen::ifStmt(std::vector<StmtPtr> &Out) {
  ExprPtr Cond = expr(boolT(), 0).E;
  auto Then = genBlock(1 + R.below(Opts.MaxBlockStmts / 2 + 1));
  std::unique_ptr<ast::BlockStmt> Else;
  unsigned K = R.below(10);
  if (K < 4) {
    Else = genBlock(1 + R.below(Opts.MaxBlockStmts / 2 + 1));
  } else if (K < 6 && BlockDepth < 5) {
    // else if
    std::vector<StmtPtr> Inner;
    ++BlockDepth;
    ifStmt(Inner);
    --BlockDepth;
    Else = B::block(std::move(Inner));
  }
  Out.push_back(B::ifStmt(std::move(Cond), std::move(Then), std::move(Else)));
}

/// `if x != null { ... x.f ... }`, `if x == null { return ...; }` (x is
/// then non-null for the rest of the block) or `if x == null { x = R{..}; }`.
bool KernelGen::nullCheckStmt(std::vector<StmtPtr> &Out) {
  std::vector<const GVar *> Ns;
  for (const GVar *V : allVars())
    if (V->T->K == TK::Nullable && !knownNonNull(V->Name))
      Ns.push_back(V);
  if (Ns.empty())
    return false;
  const GVar *V = Ns[R.below(Ns.size())];
  std::string Name = V->Name;
  const GType *T = V->T;
  bool Mutable = V->Mutable && !V->Fixed;
  switch (R.below(3)) {
  case 0: {
    auto Then = genBlock(1 + R.below(3), [&](std::vector<StmtPtr> &) {
      Scopes.back().NonNull.insert(Name);
    });
    std::unique_ptr<ast::BlockStmt> Else;
    if (R.coin())
      Else = genBlock(1 + R.below(2));
    Out.push_back(B::ifStmt(B::binary(Tok::NotEq, B::name(Name), B::nullLit()),
                            std::move(Then), std::move(Else)));
    return true;
  }
  case 1: {
    std::vector<StmtPtr> Body;
    Body.push_back(returnValue());
    Out.push_back(B::ifStmt(B::binary(Tok::EqEq, B::name(Name), B::nullLit()),
                            B::block(std::move(Body))));
    Scopes.back().NonNull.insert(Name);
    return true;
  }
  default: {
    if (!Mutable)
      return false;
    std::vector<StmtPtr> Body;
    Body.push_back(B::assign(B::name(Name), Tok::Eq, recordExpr(T->Elem, 1).E));
    Out.push_back(B::ifStmt(B::binary(Tok::EqEq, B::name(Name), B::nullLit()),
                            B::block(std::move(Body))));
    Scopes.back().NonNull.insert(Name);
    return true;
  }
  }
}

/// `var w = 0; while w < K && cond { w += 1; ... }`, or the condition first,
/// or `while true` with the count checked in the body.
void KernelGen::whileStmt(std::vector<StmtPtr> &Out) {
  std::string W = freshLocal();
  Out.push_back(B::let(true, W, nullptr, B::intLit(0)));
  declare(W, intT(), true, 64, 0, /*Fixed=*/true);
  int64_t K = R.range(1, 12);
  ExprPtr Count = B::binary(Tok::Less, B::name(W), B::intLit(uint64_t(K)));
  unsigned Form = R.below(4);
  // x != null as (part of) the condition: the body may read through x.
  std::string NonNull;
  if (Form < 3 && R.percent(30)) {
    std::vector<const GVar *> Ns;
    for (const GVar *V : allVars())
      if (V->T->K == TK::Nullable && !knownNonNull(V->Name))
        Ns.push_back(V);
    if (!Ns.empty())
      NonNull = Ns[R.below(Ns.size())]->Name;
  }
  ExprPtr Cond;
  ++LoopDepth; // the condition runs once per iteration
  MaxNest = std::max(MaxNest, LoopDepth);
  if (Form == 3) {
    Cond = B::boolLit(true);
  } else {
    ExprPtr C = NonNull.empty()
                    ? expr(boolT(), 1).E
                    : B::binary(Tok::NotEq, B::name(NonNull), B::nullLit());
    Cond = Form == 0   ? B::binary(Tok::AmpAmp, std::move(Count), std::move(C))
           : Form == 1 ? B::binary(Tok::AmpAmp, std::move(C), std::move(Count))
                       : B::binary(Tok::AmpAmp, std::move(Count), std::move(C));
  }
  auto Body =
      genBlock(1 + R.below(Opts.MaxBlockStmts), [&](std::vector<StmtPtr> &S) {
        S.push_back(B::assign(B::name(W), Tok::PlusEq, B::intLit(1)));
        if (Form == 3) {
          std::vector<StmtPtr> Brk;
          Brk.push_back(B::breakStmt());
          S.push_back(B::ifStmt(
              B::binary(Tok::Greater, B::name(W), B::intLit(uint64_t(K))),
              B::block(std::move(Brk))));
        }
        if (!NonNull.empty())
          Scopes.back().NonNull.insert(NonNull);
      });
  --LoopDepth;
  Out.push_back(B::whileStmt(std::move(Cond), std::move(Body)));
}

void KernelGen::forRangeStmt(std::vector<StmtPtr> &Out) {
  auto Bound = [&]() -> ExprPtr {
    if (R.percent(60))
      return B::signedLit(R.range(-2, 8));
    return wrapInt(intExpr(1), 8).E;
  };
  ExprPtr Lo = Bound(), Hi = Bound();
  std::string I = freshLocal();
  ++LoopDepth;
  MaxNest = std::max(MaxNest, LoopDepth);
  auto Body =
      genBlock(1 + R.below(Opts.MaxBlockStmts), [&](std::vector<StmtPtr> &) {
        declare(I, intT(), false, 8, 0);
      });
  --LoopDepth;
  Out.push_back(B::forRange(I, std::move(Lo), std::move(Hi), std::move(Body)));
}

/// `for i in 0..len(c)`: the index loop back-ends prove their bounds checks
/// away for (c an array, str or bytes path, which the body may shrink).
bool KernelGen::forIndexStmt(std::vector<StmtPtr> &Out) {
  Path P;
  if (!pickPath(
          [](const GType *T) {
            return T->K == TK::Array || T->K == TK::Str || T->K == TK::Bytes;
          },
          P))
    return false;
  ExprPtr C = pathExpr(P);
  std::vector<ExprPtr> LenArgs;
  LenArgs.push_back(B::clone(*C));
  ExprPtr Hi = B::call("len", std::move(LenArgs));
  std::string I = freshLocal();
  const GType *CT = P.T;
  ++LoopDepth;
  MaxNest = std::max(MaxNest, LoopDepth);
  auto Body =
      genBlock(1 + R.below(Opts.MaxBlockStmts), [&](std::vector<StmtPtr> &S) {
        declare(I, intT(), false, 1 << 24, 0);
        std::vector<StmtPtr> Brk;
        Brk.push_back(B::breakStmt());
        S.push_back(
            B::ifStmt(B::binary(Tok::GreaterEq, B::name(I), B::intLit(16)),
                      B::block(std::move(Brk))));
        // Use the element at once: c[i], in range unless the body shrank c.
        if (CT->K == TK::Array && !generable(CT->Elem))
          return;
        std::string X = freshLocal();
        const GType *XT = CT->K == TK::Array ? CT->Elem : intT();
        S.push_back(
            B::let(false, X, nullptr, B::index(B::clone(*C), B::name(I))));
        declare(X, XT, false, XT->K == TK::Int ? RestMag : 0, RestLen);
      });
  --LoopDepth;
  Out.push_back(B::forRange(I, B::intLit(0), std::move(Hi), std::move(Body)));
  return true;
}

/// `var g = 0;` and the prologue `g += 1; if g > K { break; }` that bounds
/// a for-each or for-map whose collection may grow.
void KernelGen::guardPrologue(std::vector<StmtPtr> &Out, std::string &Counter) {
  Counter = freshLocal();
  Out.push_back(B::let(true, Counter, nullptr, B::intLit(0)));
  declare(Counter, intT(), true, 64, 0, /*Fixed=*/true);
}

bool KernelGen::forEachStmt(std::vector<StmtPtr> &Out) {
  const GType *CT;
  unsigned K = R.below(4);
  if (K == 0)
    CT = strT();
  else if (K == 1 && bytesInScope())
    CT = bytesT();
  else
    CT = arrayT(randomType(1, false, int(Records.size())));
  GExpr C;
  if (!selfTyping(CT)) {
    Path P;
    if (!pickPath([&](const GType *PT) { return PT == CT; }, P))
      return false;
    C.E = pathExpr(P);
  } else {
    C = expr(CT, 1, false);
  }
  std::string G;
  guardPrologue(Out, G);
  int64_t Limit = R.range(2, 16);
  std::string X = freshLocal();
  const GType *XT = CT->K == TK::Array ? CT->Elem : intT();
  uint64_t XMag = CT->K == TK::Str ? 127 : CT->K == TK::Bytes ? 255 : RestMag;
  ++LoopDepth;
  MaxNest = std::max(MaxNest, LoopDepth);
  auto Body =
      genBlock(1 + R.below(Opts.MaxBlockStmts), [&](std::vector<StmtPtr> &S) {
        declare(X, XT, false, XMag, RestLen);
        S.push_back(B::assign(B::name(G), Tok::PlusEq, B::intLit(1)));
        std::vector<StmtPtr> Brk;
        Brk.push_back(B::breakStmt());
        S.push_back(B::ifStmt(
            B::binary(Tok::Greater, B::name(G), B::intLit(uint64_t(Limit))),
            B::block(std::move(Brk))));
      });
  --LoopDepth;
  Out.push_back(B::forEach(X, std::move(C.E), std::move(Body)));
  return true;
}

bool KernelGen::forMapStmt(std::vector<StmtPtr> &Out) {
  Path P;
  ExprPtr M;
  const GType *MT;
  if (!pickPath([](const GType *T) { return T->K == TK::Map; }, P))
    return false;
  M = pathExpr(P);
  MT = P.T;
  std::string G;
  guardPrologue(Out, G);
  int64_t Limit = R.range(2, 16);
  std::string KName = freshLocal(), VName = freshLocal();
  ++LoopDepth;
  MaxNest = std::max(MaxNest, LoopDepth);
  auto Body =
      genBlock(1 + R.below(Opts.MaxBlockStmts), [&](std::vector<StmtPtr> &S) {
        declare(KName, MT->Key, false, RestMag, RestLen);
        declare(VName, MT->Elem, false, RestMag, RestLen);
        S.push_back(B::assign(B::name(G), Tok::PlusEq, B::intLit(1)));
        std::vector<StmtPtr> Brk;
        Brk.push_back(B::breakStmt());
        S.push_back(B::ifStmt(
            B::binary(Tok::Greater, B::name(G), B::intLit(uint64_t(Limit))),
            B::block(std::move(Brk))));
      });
  --LoopDepth;
  Out.push_back(B::forMap(KName, VName, std::move(M), std::move(Body)));
  return true;
}

// --- the program
// ---------------------------------------------------------------

void KernelGen::genRecords() {
  unsigned N = R.below(Opts.MaxRecords + 1);
  for (unsigned I = 0; I < N; ++I)
    Records.push_back(GRecord{freshGlobal("R"), {}});
  for (unsigned I = 0; I < N; ++I) {
    unsigned NF = 1 + R.below(4);
    std::set<std::string> Taken;
    for (unsigned F = 0; F < NF; ++F) {
      std::string Plain = std::string(1, char('a' + F));
      std::string Name = trickyOr(Plain, Taken);
      if (Taken.count(Name))
        Name = Plain + "_";
      Taken.insert(Name);
      // Earlier records by value; any record as ?R or in a container.
      const GType *T = randomType(0, false, int(I));
      Records[I].Fields.push_back(GField{Name, T});
    }
  }
}

void KernelGen::genHelperSignatures() {
  unsigned N = R.below(Opts.MaxHelpers + 1);
  for (unsigned I = 0; I < N; ++I) {
    GFunc F;
    F.Name = freshGlobal("f");
    unsigned NP = R.below(Opts.MaxParams + 1);
    std::set<std::string> Taken;
    bool HasBytes = false;
    if (R.percent(25)) {
      F.Recursive = true;
      Taken.insert("depth");
      F.Params.push_back(GParam{"depth", intT()});
    }
    for (unsigned P = 0; P < NP; ++P) {
      const GType *T = randomType(0, true, int(Records.size()));
      HasBytes |= T->K == TK::Bytes;
      std::string Plain = "p" + std::to_string(P);
      std::string Name = trickyOr(Plain, Taken);
      if (Taken.count(Name) || GlobalNames.count(Name))
        Name = Plain;
      Taken.insert(Name);
      F.Params.push_back(GParam{Name, T});
    }
    if (!R.percent(15)) {
      const GType *T;
      do
        T = randomType(0, HasBytes, int(Records.size()));
      while (T->K == TK::Bytes && !HasBytes);
      F.Ret = T;
    }
    Funcs.push_back(std::move(F));
  }
}

void KernelGen::genFunction(size_t I) {
  FnIndex = I;
  GFunc &F = Funcs[I];
  Scopes.clear();
  Scopes.emplace_back();
  FnNames.clear();
  VarCounter = 0;
  LoopDepth = 0;
  MaxNest = 0;
  BlockDepth = 1;
  StmtCount = 0;
  for (size_t P = 0; P < F.Params.size(); ++P) {
    const GParam &Prm = F.Params[P];
    FnNames.insert(Prm.Name);
    // A recursive function's depth is never assigned.
    bool Depth = P == 0 && F.Recursive;
    declare(Prm.Name, Prm.T, true, Depth ? 8 : RestMag,
            Prm.T->K == TK::Bytes ? 64 : RestLen, /*Fixed=*/Depth);
  }
  std::vector<StmtPtr> Stmts;
  SelfCallsLeft = 0;
  LoopBase = 0;
  if (F.Recursive) {
    // if depth <= 0 { return ...; }, then the body, which may call itself
    // twice with depth - 1, outside loops: the recursion counts as a loop.
    std::vector<StmtPtr> Base;
    Base.push_back(returnValue());
    Stmts.push_back(B::ifStmt(
        B::binary(Tok::LessEq, B::name(F.Params[0].Name), B::intLit(0)),
        B::block(std::move(Base))));
    LoopDepth = LoopBase = 1;
    MaxNest = 1;
    SelfCallsLeft = 2;
  }
  genStmts(Stmts, 3 + R.below(Opts.MaxBlockStmts + 4));
  if (F.Ret || R.coin())
    Stmts.push_back(returnValue());
  F.Body = B::block(std::move(Stmts));
  F.LoopCost = MaxNest;
}

/// The entry: parameters the workload generators can fill, a body like any
/// function's, and a result record Out whose fields are chosen first (early
/// returns build one too) and filled at the end with variables alive there
/// where their types match (the more state a result shows, the more a
/// divergence shows).
void KernelGen::genEntry() {
  GFunc F;
  // The entry keeps a plain name: runners look it up as a JS export and a
  // Python module attribute, and the back-ends refuse names they need.
  F.Name = "kmain";
  GlobalNames.insert(F.Name);
  unsigned NP = 1 + R.below(Opts.MaxParams);
  std::set<std::string> Taken;
  for (unsigned P = 0; P < NP; ++P) {
    const GType *T;
    switch (R.below(11)) {
    case 0:
      T = intT();
      break;
    case 1:
      T = i32T();
      break;
    case 2:
      T = u32T();
      break;
    case 3:
      T = f64T();
      break;
    case 4:
      T = arrayT(intT());
      break;
    case 5:
      T = arrayT(i32T());
      break;
    case 6:
      T = arrayT(u32T());
      break;
    case 7:
      T = arrayT(f64T());
      break;
    case 8:
      T = bytesT();
      break;
    default:
      T = strT();
      break;
    }
    std::string Plain = "in" + std::to_string(P);
    std::string Name = trickyOr(Plain, Taken);
    if (Taken.count(Name) || GlobalNames.count(Name))
      Name = Plain;
    Taken.insert(Name);
    F.Params.push_back(GParam{Name, T});
  }
  // Out: scalars mostly, and containers or records that hold no ?R.
  GRecord Out{freshGlobal("Out"), {}};
  unsigned NF = 2 + R.below(6);
  for (unsigned I = 0; I < NF; ++I) {
    const GType *T;
    std::vector<int> Path;
    do
      T = R.percent(60) ? scalarType(false)
                        : randomType(0, false, int(Records.size()));
    while (holdsNullable(T) || mayHoldItself(T, Path));
    Out.Fields.push_back(GField{"o" + std::to_string(I), T});
  }
  Records.push_back(std::move(Out));
  F.Ret = recordT(int(Records.size() - 1));
  Funcs.push_back(std::move(F));
  size_t I = Funcs.size() - 1;

  FnIndex = I;
  GFunc &E = Funcs[I];
  Scopes.clear();
  Scopes.emplace_back();
  FnNames.clear();
  VarCounter = 0;
  LoopDepth = 0;
  LoopBase = 0;
  SelfCallsLeft = 0;
  MaxNest = 0;
  BlockDepth = 1;
  StmtCount = 0;
  for (const GParam &P : E.Params) {
    FnNames.insert(P.Name);
    declare(P.Name, P.T, true, RestMag, P.T->K == TK::Bytes ? 64 : RestLen);
  }
  std::vector<StmtPtr> Stmts;
  genStmts(Stmts, 6 + R.below(Opts.MaxBlockStmts + 6));

  // return Out { o0: v.., ... }: each field a distinct variable of its type
  // when there is one.
  const GRecord &Rec = Records[E.Ret->Rec];
  std::set<const GVar *> Used;
  std::vector<std::string> Names;
  std::vector<ExprPtr> Vals;
  for (const GField &Fld : Rec.Fields) {
    std::vector<const GVar *> Cands;
    for (const GVar *V : varsOf(Fld.T))
      if (!Used.count(V))
        Cands.push_back(V);
    Names.push_back(Fld.Name);
    if (!Cands.empty() && R.percent(85)) {
      const GVar *V = Cands[R.below(Cands.size())];
      Used.insert(V);
      Vals.push_back(B::name(V->Name));
    } else {
      Vals.push_back(stored(Fld.T, 1).E);
    }
  }
  Stmts.push_back(
      B::returnStmt(B::recordLit(Rec.Name, std::move(Names), std::move(Vals))));
  E.Body = B::block(std::move(Stmts));
  E.LoopCost = MaxNest;
}

static bench::ArgExpr argInt(int64_t V) {
  bench::ArgExpr A;
  if (V < 0) {
    // `-5` reads back as 0 - 5.
    A.K = bench::ArgExpr::Sub;
    A.L = std::make_shared<bench::ArgExpr>();
    A.R = std::make_shared<bench::ArgExpr>(argInt(-V));
    return A;
  }
  A.K = bench::ArgExpr::IntLit;
  A.I = V;
  return A;
}

static bench::ArgExpr argFloat(double V) {
  bench::ArgExpr A;
  A.K = bench::ArgExpr::FloatLit;
  A.F = V;
  if (V < 0) {
    A.K = bench::ArgExpr::Sub;
    A.L = std::make_shared<bench::ArgExpr>();
    A.L->K = bench::ArgExpr::FloatLit;
    A.R = std::make_shared<bench::ArgExpr>(argFloat(-V));
  }
  return A;
}

static bench::ArgExpr argSize() {
  bench::ArgExpr A;
  A.K = bench::ArgExpr::Size;
  return A;
}

bench::ArgSpec KernelGen::inputFor(const GParam &P) {
  using bench::GenKind;
  bench::ArgSpec A;
  A.Param = P.Name;
  auto Count = [&] {
    if (R.percent(60))
      return argSize();
    return argInt(R.percent(5) ? 0 : R.range(1, 12));
  };
  auto Seed = [&] { return argInt(R.range(1, 1000000)); };
  const GType *T = P.T;
  switch (T->K) {
  case TK::Int:
    A.Gen = GenKind::Scalar;
    A.Args.push_back(R.coin() ? argSize() : argInt(R.range(-1000, 1000)));
    return A;
  case TK::I32:
    A.Gen = GenKind::Scalar;
    A.Args.push_back(
        argInt(R.coin() ? R.range(-100, 100) : R.range(INT32_MIN, INT32_MAX)));
    return A;
  case TK::U32:
    A.Gen = GenKind::Scalar;
    A.Args.push_back(
        argInt(R.coin() ? R.range(0, 100) : R.range(0, UINT32_MAX)));
    return A;
  case TK::F64:
    A.Gen = GenKind::Scalar;
    A.Args.push_back(argFloat(double(R.range(-4000, 4000)) / 8.0));
    return A;
  case TK::Bytes:
    A.Gen = R.percent(70) ? GenKind::RandomBytes : GenKind::Utf8Lines;
    A.Args = {Count(), Seed()};
    return A;
  case TK::Str: {
    static const GenKind Texts[] = {
        GenKind::AsciiText,    GenKind::AsciiText,  GenKind::AsciiText,
        GenKind::JsonText,     GenKind::Base64Text, GenKind::UrlPaths,
        GenKind::TemplateText, GenKind::FileNames,  GenKind::CsvInts};
    A.Gen = Texts[R.below(std::size(Texts))];
    if (A.Gen == GenKind::CsvInts)
      A.Args = {argInt(R.range(0, 3)), argInt(R.range(1, 3)), Seed()};
    else if (A.Gen == GenKind::UrlPaths || A.Gen == GenKind::FileNames)
      A.Args = {argInt(R.range(0, 2)), Seed()};
    else
      A.Args = {Count(), Seed()};
    return A;
  }
  case TK::Array: {
    TK E = T->Elem->K;
    if (E == TK::F64) {
      A.Gen = GenKind::RandomFloats;
      double Lo = double(R.range(-1000, 0)), Hi = double(R.range(1, 1000));
      A.Args = {Count(), argFloat(Lo), argFloat(Hi), Seed()};
      return A;
    }
    if (E == TK::Int && R.percent(20)) {
      A.Gen = GenKind::ZipfInts;
      A.Args = {Count(), argInt(R.range(1, 50)), argInt(R.range(50, 200)),
                Seed()};
      return A;
    }
    A.Gen = GenKind::RandomInts;
    int64_t Lo, Hi;
    if (R.coin()) {
      Lo = R.range(-10, 0);
      Hi = R.range(0, 10);
    } else if (E == TK::I32) {
      Lo = INT32_MIN;
      Hi = INT32_MAX;
    } else if (E == TK::U32) {
      Lo = 0;
      Hi = UINT32_MAX;
    } else {
      Lo = -int64_t(RestMag);
      Hi = int64_t(RestMag);
    }
    if (E == TK::U32 && Lo < 0)
      Lo = 0;
    A.Args = {Count(), argInt(Lo), argInt(Hi), Seed()};
    return A;
  }
  default:
    break;
  }
  assert(false && "no workload generator makes this parameter type");
  return A;
}

ast::BenchDecl KernelGen::genBench(const GFunc &Entry) {
  ast::BenchDecl B;
  B.Spec.Entry = Entry.Name;
  bench::WorkloadSpec W;
  W.Name = "w";
  int64_t Size = R.percent(3) ? 0 : R.range(1, 20);
  W.Sizes = {Size, Size, Size};
  for (const GParam &P : Entry.Params)
    W.Args.push_back(inputFor(P));
  B.Spec.Workloads.push_back(std::move(W));
  return B;
}

ast::File KernelGen::assemble() {
  ast::File F;
  for (const GRecord &Rec : Records) {
    ast::RecordDecl D;
    D.Name = Rec.Name;
    for (const GField &Fld : Rec.Fields) {
      ast::RecordField RF;
      RF.Name = Fld.Name;
      RF.Ty = typeExpr(Fld.T);
      D.Fields.push_back(std::move(RF));
    }
    F.Records.push_back(std::move(D));
  }
  if (UsesCap) {
    // fn fzcap(s: str) -> str { if len(s) > 256 { return s.slice(0, 256); }
    // return s; }
    ast::FunctionDecl Cap;
    Cap.Name = CapFn;
    ast::Param P;
    P.Name = "s";
    P.Ty = B::namedType("str");
    Cap.Params.push_back(std::move(P));
    Cap.RetTy = B::namedType("str");
    std::vector<ExprPtr> LenArgs;
    LenArgs.push_back(B::name("s"));
    std::vector<ExprPtr> SliceArgs;
    SliceArgs.push_back(B::intLit(0));
    SliceArgs.push_back(B::intLit(RestLen));
    std::vector<StmtPtr> Then;
    Then.push_back(
        B::returnStmt(B::method(B::name("s"), "slice", std::move(SliceArgs))));
    std::vector<StmtPtr> Body;
    Body.push_back(
        B::ifStmt(B::binary(Tok::Greater, B::call("len", std::move(LenArgs)),
                            B::intLit(RestLen)),
                  B::block(std::move(Then))));
    Body.push_back(B::returnStmt(B::name("s")));
    Cap.Body = B::block(std::move(Body));
    F.Functions.push_back(std::move(Cap));
  }
  for (GFunc &Fn : Funcs) {
    ast::FunctionDecl D;
    D.Name = Fn.Name;
    for (const GParam &P : Fn.Params) {
      ast::Param AP;
      AP.Name = P.Name;
      AP.Ty = typeExpr(P.T);
      D.Params.push_back(std::move(AP));
    }
    if (Fn.Ret)
      D.RetTy = typeExpr(Fn.Ret);
    D.Body = std::move(Fn.Body);
    F.Functions.push_back(std::move(D));
  }
  F.Benches.push_back(genBench(Funcs.back()));
  return F;
}

GeneratedKernel KernelGen::run() {
  Checked = Opts.Checked ? *Opts.Checked : R.percent(33);
  GlobalNames.insert(CapFn);
  genRecords();
  genHelperSignatures();
  for (size_t I = 0; I < Funcs.size(); ++I)
    genFunction(I);
  genEntry();
  GeneratedKernel K;
  K.Checked = Checked;
  K.Entry = Funcs.back().Name;
  ast::File F = assemble();
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << "// Generated by kc-difffuzz (seed " << Opts.Seed << ").\n";
  if (Checked)
    OS << CheckedMarker << "\n";
  OS << "\n";
  printFile(F, OS);
  OS.flush();
  K.Source = std::move(Text);
  return K;
}

} // namespace

GeneratedKernel fuzz::generateKernel(const GenOptions &Opts) {
  return KernelGen(Opts).run();
}

bool fuzz::sourceWantsChecked(const std::string &Source) {
  return llvm::StringRef(Source).contains(CheckedMarker);
}
