//===- Workload.cpp - Deterministic workload generators and .kin files ----===//
//
// Every generator is specified below precisely enough to be reimplemented in
// another language (e.g. Python or JS with BigInt) and produce identical
// bytes: only integer draws from the Rng decide anything, and the order of
// draws is part of the specification. Changing any of it changes every
// benchmark input, so treat it as a file format.
//
//===----------------------------------------------------------------------===//

#include "Bench/Workload.h"
#include "Bench/ServiceInputs.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/EndianStream.h"
#include "llvm/Support/raw_ostream.h"
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>

using namespace llvm;

namespace kc {
namespace bench {

namespace {

constexpr int64_t MaxGeneratedLength = int64_t(1) << 31;
constexpr int64_t SafeIntMax = int64_t(1) << 53;
// zipf_ints keeps a table of `range` cumulative weights.
constexpr int64_t MaxZipfRange = int64_t(1) << 24;

Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

std::string formatDouble(double D) {
  char Buf[32];
  snprintf(Buf, sizeof(Buf), "%.17g", D);
  return Buf;
}

} // namespace

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

StringRef sizeClassName(SizeClass S) {
  switch (S) {
  case SizeClass::Small:
    return "small";
  case SizeClass::Default:
    return "default";
  case SizeClass::Large:
    return "large";
  }
  llvm_unreachable("unknown size class");
}

std::optional<SizeClass> parseSizeClass(StringRef S) {
  for (SizeClass C : {SizeClass::Small, SizeClass::Default, SizeClass::Large})
    if (S == sizeClassName(C))
      return C;
  return std::nullopt;
}

StringRef genName(GenKind G) {
  switch (G) {
#define KC_GEN_NAME(E, N, R, A)                                                \
  case GenKind::E:                                                             \
    return N;
    KC_BENCH_GENERATORS(KC_GEN_NAME)
#undef KC_GEN_NAME
  }
  llvm_unreachable("unknown generator");
}

unsigned genNumArgs(GenKind G) {
  switch (G) {
#define KC_GEN_ARGS(E, N, R, A)                                                \
  case GenKind::E:                                                             \
    return A;
    KC_BENCH_GENERATORS(KC_GEN_ARGS)
#undef KC_GEN_ARGS
  }
  llvm_unreachable("unknown generator");
}

std::optional<GenKind> lookupGenerator(StringRef Name) {
  // Scalar has no name: it is a bare expression, never called.
  if (Name.empty())
    return std::nullopt;
#define KC_GEN_LOOKUP(E, N, R, A)                                              \
  if (Name == N)                                                               \
    return GenKind::E;
  KC_BENCH_GENERATORS(KC_GEN_LOOKUP)
#undef KC_GEN_LOOKUP
  return std::nullopt;
}

Expected<int64_t> WorkloadSpec::operations(int64_t Size) const {
  if (OpUnit.empty())
    return 1;
  if (!OpCount)
    return Size;
  return OpCount->evalInt(Size);
}

const WorkloadSpec *BenchSpec::find(StringRef Name) const {
  for (const WorkloadSpec &W : Workloads)
    if (W.Name == Name)
      return &W;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Generator-argument expressions
//===----------------------------------------------------------------------===//

bool ArgExpr::isFloat() const {
  if (K == FloatLit)
    return true;
  return (L && L->isFloat()) || (R && R->isFloat());
}

Expected<int64_t> ArgExpr::evalInt(int64_t SizeVal) const {
  switch (K) {
  case IntLit:
    return I;
  case FloatLit:
    return makeError("expected an integer expression, found a float literal");
  case Size:
    return SizeVal;
  case Add:
  case Sub:
  case Mul:
  case Div:
    break;
  }
  assert(L && R && "binary expression without operands");
  Expected<int64_t> A = L->evalInt(SizeVal);
  if (!A)
    return A.takeError();
  Expected<int64_t> B = R->evalInt(SizeVal);
  if (!B)
    return B.takeError();
  int64_t Result = 0;
  bool Overflow = false;
  switch (K) {
  case Add:
    Overflow = __builtin_add_overflow(*A, *B, &Result);
    break;
  case Sub:
    Overflow = __builtin_sub_overflow(*A, *B, &Result);
    break;
  case Mul:
    Overflow = __builtin_mul_overflow(*A, *B, &Result);
    break;
  case Div:
    if (*B == 0)
      return makeError("division by zero in a workload expression");
    if (*A == std::numeric_limits<int64_t>::min() && *B == -1)
      Overflow = true;
    else
      Result = *A / *B; // truncates toward zero
    break;
  case IntLit:
  case FloatLit:
  case Size:
    llvm_unreachable("leaf handled above");
  }
  if (Overflow)
    return makeError("integer overflow in a workload expression");
  return Result;
}

Expected<double> ArgExpr::evalFloat(int64_t SizeVal) const {
  // A float expression is evaluated in f64 throughout: `size / 4 * 0.5`
  // divides exactly, not with integer truncation.
  switch (K) {
  case IntLit:
    return double(I);
  case FloatLit:
    return F;
  case Size:
    return double(SizeVal);
  case Add:
  case Sub:
  case Mul:
  case Div:
    break;
  }
  assert(L && R && "binary expression without operands");
  Expected<double> A = L->evalFloat(SizeVal);
  if (!A)
    return A.takeError();
  Expected<double> B = R->evalFloat(SizeVal);
  if (!B)
    return B.takeError();
  switch (K) {
  case Add:
    return *A + *B;
  case Sub:
    return *A - *B;
  case Mul:
    return *A * *B;
  case Div:
    if (*B == 0)
      return makeError("division by zero in a workload expression");
    return *A / *B;
  case IntLit:
  case FloatLit:
  case Size:
    break;
  }
  llvm_unreachable("leaf handled above");
}

//===----------------------------------------------------------------------===//
// Rng
//===----------------------------------------------------------------------===//

// splitmix64 (Vigna): X is the running state, the result one output.
static uint64_t splitmix64(uint64_t &X) {
  uint64_t Z = (X += 0x9e3779b97f4a7c15ULL);
  Z = (Z ^ (Z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  Z = (Z ^ (Z >> 27)) * 0x94d049bb133111ebULL;
  return Z ^ (Z >> 31);
}

static uint64_t rotl(uint64_t X, int K) { return (X << K) | (X >> (64 - K)); }

// S[0..3] are the first four splitmix64 outputs from state Seed.
Rng::Rng(uint64_t Seed) {
  uint64_t X = Seed;
  for (uint64_t &Word : S)
    Word = splitmix64(X);
}

// xoshiro256** 1.0 (Blackman and Vigna), verbatim.
uint64_t Rng::next() {
  uint64_t Result = rotl(S[1] * 5, 7) * 9;
  uint64_t T = S[1] << 17;
  S[2] ^= S[0];
  S[3] ^= S[1];
  S[1] ^= S[2];
  S[0] ^= S[3];
  S[2] ^= T;
  S[3] = rotl(S[3], 45);
  return Result;
}

// Lemire's nearly divisionless method, in unsigned 64-bit arithmetic:
//   Range = (Hi - Lo + 1) mod 2^64   (0 means the full 2^64 range: next())
//   X = next(); M = X * Range (128-bit); Low = M mod 2^64
//   if Low < Range:
//     T = (2^64 - Range) mod Range
//     while Low < T: X = next(); M = X * Range; Low = M mod 2^64
//   result = Lo + floor(M / 2^64)
int64_t Rng::uniformInt(int64_t Lo, int64_t Hi) {
  assert(Lo <= Hi && "empty range");
  uint64_t Range = uint64_t(Hi) - uint64_t(Lo) + 1;
  if (Range == 0)
    return int64_t(next());
  __uint128_t M = __uint128_t(next()) * Range;
  uint64_t Low = uint64_t(M);
  if (Low < Range) {
    uint64_t T = (0 - Range) % Range;
    while (Low < T) {
      M = __uint128_t(next()) * Range;
      Low = uint64_t(M);
    }
  }
  return int64_t(uint64_t(Lo) + uint64_t(M >> 64));
}

// U = (next() >> 11) * 2^-53 is uniform in [0, 1) on the 2^53 grid; the
// result is Lo + (Hi - Lo) * U in f64. Rounding can land on Hi itself; then
// the result is the largest double below Hi (math.nextafter(Hi, Lo)).
double Rng::uniformFloat(double Lo, double Hi) {
  double U = double(next() >> 11) * 0x1p-53;
  double X = Lo + (Hi - Lo) * U;
  if (X >= Hi && Hi > Lo)
    X = std::nextafter(Hi, Lo);
  return X;
}

//===----------------------------------------------------------------------===//
// Generators
//===----------------------------------------------------------------------===//

namespace {

// random_ints(n, lo, hi, seed): R = Rng(seed); n times R.uniformInt(lo, hi).
std::vector<int64_t> randomInts(int64_t N, int64_t Lo, int64_t Hi,
                                uint64_t Seed) {
  Rng R(Seed);
  std::vector<int64_t> Out(static_cast<size_t>(N));
  for (int64_t &V : Out)
    V = R.uniformInt(Lo, Hi);
  return Out;
}

// random_floats(n, lo, hi, seed): n times R.uniformFloat(lo, hi); when
// lo == hi every value is lo.
std::vector<double> randomFloats(int64_t N, double Lo, double Hi,
                                 uint64_t Seed) {
  Rng R(Seed);
  std::vector<double> Out(static_cast<size_t>(N));
  for (double &V : Out)
    V = Lo == Hi ? Lo : R.uniformFloat(Lo, Hi);
  return Out;
}

} // namespace

// random_bytes(n, seed): each next() output supplies 8 bytes, least
// significant first; the last output is cut to the n bytes still missing.
std::string detail::randomBytes(int64_t N, uint64_t Seed) {
  Rng R(Seed);
  std::string Out(static_cast<size_t>(N), '\0');
  for (int64_t I = 0; I < N; I += 8) {
    uint64_t V = R.next();
    for (int64_t J = I; J < N && J < I + 8; ++J, V >>= 8)
      Out[size_t(J)] = char(V & 0xff);
  }
  return Out;
}

namespace {

// The ascii_text vocabulary: 2000 distinct pseudo-words, the same for every
// seed, frequent (low-rank) words short:
//   V = Rng(0x766f636162756c61)        ("vocabula")
//   while fewer than 2000 words:
//     I = number of words so far
//     MaxLen = min(10, 2 + bit_length(I + 1))
//     Len = V.uniformInt(1, MaxLen)
//     W = Len letters, each 'a' + V.uniformInt(0, 25)
//     append W unless it is already a word (the draws are spent either way)
// Rank r has weight floor(2^20 / (r + 1)) (Zipf, s = 1); Cum[r] is the sum of
// the weights of ranks 0..r and Total = Cum[1999].
struct Vocabulary {
  static constexpr unsigned NumWords = 2000;
  std::vector<std::string> Words;
  std::vector<uint64_t> Cum;

  Vocabulary() {
    Rng V(0x766f636162756c61ULL);
    std::vector<std::string> Sorted; // for the duplicate check only
    while (Words.size() < NumWords) {
      unsigned BitLength = 64 - __builtin_clzll(uint64_t(Words.size()) + 1);
      int64_t MaxLen = std::min<int64_t>(10, 2 + BitLength);
      int64_t Len = V.uniformInt(1, MaxLen);
      std::string W;
      for (int64_t I = 0; I < Len; ++I)
        W.push_back(char('a' + V.uniformInt(0, 25)));
      auto It = std::lower_bound(Sorted.begin(), Sorted.end(), W);
      if (It != Sorted.end() && *It == W)
        continue;
      Sorted.insert(It, W);
      Words.push_back(std::move(W));
    }
    uint64_t Sum = 0;
    for (unsigned R = 0; R < NumWords; ++R) {
      Sum += (uint64_t(1) << 20) / (R + 1);
      Cum.push_back(Sum);
    }
  }

  // Rank = the first r with Cum[r] > X, X = R.uniformInt(0, Total - 1)
  // (Python: bisect.bisect_right(Cum, X)).
  const std::string &pick(Rng &R) const {
    uint64_t X = uint64_t(R.uniformInt(0, int64_t(Cum.back()) - 1));
    size_t Rank =
        size_t(std::upper_bound(Cum.begin(), Cum.end(), X) - Cum.begin());
    return Words[Rank];
  }
};

const Vocabulary &vocabulary() {
  static const Vocabulary V;
  return V;
}

} // namespace

const std::string &detail::pickWord(Rng &R) { return vocabulary().pick(R); }

namespace {

// ascii_text(n, seed): R = Rng(seed); Out = "";
//   while len(Out) < n:
//     Out += vocabulary.pick(R)
//     if len(Out) >= n: stop
//     C = R.uniformInt(0, 99)
//     C < 5: ", "    C < 8: ". "    C == 8: P + " " where
//     P = ";:!?"[R.uniformInt(0, 3)]    C == 9: ".\n"    C == 10: "\n"
//     otherwise: " "
//   Out is cut to exactly n characters.
std::string asciiText(int64_t N, uint64_t Seed) {
  const Vocabulary &V = vocabulary();
  Rng R(Seed);
  std::string Out;
  Out.reserve(size_t(N) + 16);
  while (int64_t(Out.size()) < N) {
    Out += V.pick(R);
    if (int64_t(Out.size()) >= N)
      break;
    int64_t C = R.uniformInt(0, 99);
    if (C < 5) {
      Out += ", ";
    } else if (C < 8) {
      Out += ". ";
    } else if (C == 8) {
      Out += ";:!?"[R.uniformInt(0, 3)];
      Out += ' ';
    } else if (C == 9) {
      Out += ".\n";
    } else if (C == 10) {
      Out += '\n';
    } else {
      Out += ' ';
    }
  }
  Out.resize(size_t(N));
  return Out;
}

// json_text(n, seed): a top-level array of objects.
//   R = Rng(seed); Out = "["; Count = 0
//   while len(Out) + (1 if Count == 0 else 2) < n:
//     Out += "\n  " if Count == 0 else ",\n  "
//     O = object(1, 5)
//     if len(Out) + len(O) + 2 > n + 200: O = object(3, 3)   (O is dropped)
//     Out += O; Count += 1
//   Out += "]" if Count == 0 else "\n]"
// object(D, MaxMembers):
//   K = R.uniformInt(1, MaxMembers); Start = R.uniformInt(0, 15)
//   "{" + members joined + "}", member j (0-based): when j > 0 a separator
//   first, ",\n    " if R.uniformInt(0, 3) == 0 else ", "; then
//   '"' + Keys[(Start + j) % 16] + '": ' + value(D)
// value(D): C = R.uniformInt(0, 11) if D < 3 else R.uniformInt(0, 8)
//   0-1 integer   2-3 decimal   4-6 string
//   7 "true" if R.uniformInt(0, 1) == 1 else "false"   8 "null"
//   9-10 array(D + 1)   11 object(D + 1, 5)
// array(D): K = R.uniformInt(0, 4); "[" + K x value(D) joined by ", " + "]"
// integer: if R.uniformInt(0, 9) == 0: V = R.uniformInt(-2^53, 2^53)
//          else V = R.uniformInt(-100000, 100000); decimal text of V
// decimal: "-" if R.uniformInt(0, 2) == 0 else ""
//          then "0" if R.uniformInt(0, 3) == 0 else R.uniformInt(1, 99999)
//          then "." and R.uniformInt(1, 6) digits R.uniformInt(0, 9)
//          then E = R.uniformInt(0, 3); when E < 2: "e" if E == 0 else "E",
//          ["", "+", "-"][R.uniformInt(0, 2)], R.uniformInt(0, 30)
// string: '"' + R.uniformInt(0, 12) pieces + '"', each by C = uniformInt(0,
// 99):
//   C < 4: \"   C < 7: \\   C < 10: \n   C < 11: \t
//   C < 13: \u + 4 upper-case hex digits of R.uniformInt(0x20, 0x7e)
//   else StringChars[R.uniformInt(0, len(StringChars) - 1)]
// The fallback object(3, 3) holds at most 3 scalars (<= 266 characters), so
// the document is at most n + 269 characters long.
const char *const JsonKeys[16] = {
    "id",   "name", "type", "value", "tags",  "score",  "active", "items",
    "meta", "data", "text", "count", "ratio", "parent", "x",      "y"};
constexpr StringLiteral StringChars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,:/";
constexpr int64_t JsonMaxDepth = 3;

class JsonWriter {
public:
  explicit JsonWriter(uint64_t Seed) : R(Seed) {}

  std::string document(int64_t N) {
    std::string Out = "[";
    int64_t Count = 0;
    while (int64_t(Out.size()) + (Count == 0 ? 1 : 2) < N) {
      Out += Count == 0 ? "\n  " : ",\n  ";
      std::string O;
      object(O, 1, 5);
      if (int64_t(Out.size() + O.size()) + 2 > N + 200) {
        O.clear();
        object(O, JsonMaxDepth, 3);
      }
      Out += O;
      ++Count;
    }
    Out += Count == 0 ? "]" : "\n]";
    return Out;
  }

private:
  Rng R;

  void object(std::string &Out, int64_t Depth, int64_t MaxMembers) {
    int64_t K = R.uniformInt(1, MaxMembers);
    int64_t Start = R.uniformInt(0, 15);
    Out += '{';
    for (int64_t J = 0; J < K; ++J) {
      if (J > 0)
        Out += R.uniformInt(0, 3) == 0 ? ",\n    " : ", ";
      Out += '"';
      Out += JsonKeys[(Start + J) % 16];
      Out += "\": ";
      value(Out, Depth);
    }
    Out += '}';
  }

  void array(std::string &Out, int64_t Depth) {
    int64_t K = R.uniformInt(0, 4);
    Out += '[';
    for (int64_t J = 0; J < K; ++J) {
      if (J > 0)
        Out += ", ";
      value(Out, Depth);
    }
    Out += ']';
  }

  void value(std::string &Out, int64_t Depth) {
    int64_t C = R.uniformInt(0, Depth < JsonMaxDepth ? 11 : 8);
    switch (C) {
    case 0:
    case 1:
      integer(Out);
      return;
    case 2:
    case 3:
      decimal(Out);
      return;
    case 4:
    case 5:
    case 6:
      string(Out);
      return;
    case 7:
      Out += R.uniformInt(0, 1) == 1 ? "true" : "false";
      return;
    case 8:
      Out += "null";
      return;
    case 9:
    case 10:
      array(Out, Depth + 1);
      return;
    default:
      object(Out, Depth + 1, 5);
      return;
    }
  }

  void integer(std::string &Out) {
    int64_t V = R.uniformInt(0, 9) == 0 ? R.uniformInt(-SafeIntMax, SafeIntMax)
                                        : R.uniformInt(-100000, 100000);
    Out += std::to_string(V);
  }

  void decimal(std::string &Out) {
    if (R.uniformInt(0, 2) == 0)
      Out += '-';
    if (R.uniformInt(0, 3) == 0)
      Out += '0';
    else
      Out += std::to_string(R.uniformInt(1, 99999));
    Out += '.';
    for (int64_t D = R.uniformInt(1, 6); D > 0; --D)
      Out += char('0' + R.uniformInt(0, 9));
    int64_t E = R.uniformInt(0, 3);
    if (E < 2) {
      Out += E == 0 ? 'e' : 'E';
      static const char *const Signs[] = {"", "+", "-"};
      Out += Signs[R.uniformInt(0, 2)];
      Out += std::to_string(R.uniformInt(0, 30));
    }
  }

  void string(std::string &Out) {
    Out += '"';
    for (int64_t L = R.uniformInt(0, 12); L > 0; --L) {
      int64_t C = R.uniformInt(0, 99);
      if (C < 4) {
        Out += "\\\"";
      } else if (C < 7) {
        Out += "\\\\";
      } else if (C < 10) {
        Out += "\\n";
      } else if (C < 11) {
        Out += "\\t";
      } else if (C < 13) {
        char Buf[8];
        snprintf(Buf, sizeof(Buf), "\\u%04X",
                 unsigned(R.uniformInt(0x20, 0x7e)));
        Out += Buf;
      } else {
        Out += StringChars[size_t(R.uniformInt(0, StringChars.size() - 1))];
      }
    }
    Out += '"';
  }
};

//===----------------------------------------------------------------------===//
// Evaluating a workload
//===----------------------------------------------------------------------===//

// The (n, seed) text generators of ServiceInputs.cpp. Each stops at the first
// unit (line, record, head) that reaches n, so the output can exceed n by one
// unit: the length limit is checked on the result.
std::string serviceText(GenKind G, int64_t N, uint64_t Seed) {
  switch (G) {
  case GenKind::Base64Text:
    return detail::base64Text(N, Seed);
  case GenKind::Utf8Lines:
    return detail::utf8Lines(N, Seed);
  case GenKind::JsonRecords:
    return detail::jsonRecords(N, Seed);
  case GenKind::HttpRequests:
    return detail::httpRequests(N, Seed);
  case GenKind::UrlPaths:
    return detail::urlPaths(N, Seed);
  case GenKind::TemplateText:
    return detail::templateText(N, Seed);
  case GenKind::FileNames:
    return detail::fileNames(N, Seed);
  default:
    llvm_unreachable("not an (n, seed) text generator");
  }
}

class ArgEvaluator {
public:
  ArgEvaluator(const WorkloadSpec &W, const ArgSpec &A, int64_t Size)
      : W(W), A(A), Size(Size) {}

  Expected<Value> run();

private:
  const WorkloadSpec &W;
  const ArgSpec &A;
  int64_t Size;

  Error error(const Twine &Msg) const {
    return makeError("workload '" + W.Name + "': argument '" + A.Param +
                     "': " + Msg);
  }
  Error wrap(Error E) const { return error(toString(std::move(E))); }

  Expected<int64_t> integer(unsigned I, StringRef What) const {
    const ArgExpr &E = A.Args[I];
    if (E.isFloat())
      return error(What + " must be an integer");
    Expected<int64_t> V = E.evalInt(Size);
    if (!V)
      return wrap(V.takeError());
    return *V;
  }
  Expected<int64_t> safeInteger(unsigned I, StringRef What) const {
    Expected<int64_t> V = integer(I, What);
    if (V && (*V < -SafeIntMax || *V > SafeIntMax))
      return error(What + " " + Twine(*V) +
                   " outside the safe integer range +-2^53");
    return V;
  }
  Expected<int64_t> length(unsigned I) const {
    Expected<int64_t> V = integer(I, "size");
    if (V && (*V < 0 || *V > MaxGeneratedLength))
      return error("size " + Twine(*V) + " out of range");
    return V;
  }
  Expected<double> real(unsigned I, StringRef What) const {
    Expected<double> V = A.Args[I].evalFloat(Size);
    if (!V)
      return wrap(V.takeError());
    if (!std::isfinite(*V))
      return error(What + " must be finite");
    return *V;
  }
};

Expected<Value> ArgEvaluator::run() {
  if (A.Args.size() != genNumArgs(A.Gen)) {
    StringRef Name =
        A.Gen == GenKind::Scalar ? "an expression" : genName(A.Gen);
    return error(Twine(Name) + " takes " + Twine(genNumArgs(A.Gen)) +
                 " argument(s), got " + Twine(A.Args.size()));
  }
  Value V;
  switch (A.Gen) {
  case GenKind::Scalar: {
    if (A.Args[0].isFloat()) {
      Expected<double> F = real(0, "value");
      if (!F)
        return F.takeError();
      V.K = Value::F64;
      V.F = *F;
      return V;
    }
    Expected<int64_t> I = safeInteger(0, "value");
    if (!I)
      return I.takeError();
    V.K = Value::Int;
    V.I = *I;
    return V;
  }
  case GenKind::RandomInts: {
    Expected<int64_t> N = length(0);
    if (!N)
      return N.takeError();
    Expected<int64_t> Lo = safeInteger(1, "lo");
    if (!Lo)
      return Lo.takeError();
    Expected<int64_t> Hi = safeInteger(2, "hi");
    if (!Hi)
      return Hi.takeError();
    Expected<int64_t> Seed = integer(3, "seed");
    if (!Seed)
      return Seed.takeError();
    if (*Lo > *Hi)
      return error("lo (" + Twine(*Lo) + ") > hi (" + Twine(*Hi) + ")");
    V.K = Value::IntArray;
    V.Ints = randomInts(*N, *Lo, *Hi, uint64_t(*Seed));
    return V;
  }
  case GenKind::RandomFloats: {
    Expected<int64_t> N = length(0);
    if (!N)
      return N.takeError();
    Expected<double> Lo = real(1, "lo");
    if (!Lo)
      return Lo.takeError();
    Expected<double> Hi = real(2, "hi");
    if (!Hi)
      return Hi.takeError();
    Expected<int64_t> Seed = integer(3, "seed");
    if (!Seed)
      return Seed.takeError();
    if (*Lo > *Hi)
      return error("lo (" + formatDouble(*Lo) + ") > hi (" + formatDouble(*Hi) +
                   ")");
    if (!std::isfinite(*Hi - *Lo))
      return error("the range hi - lo overflows f64");
    V.K = Value::F64Array;
    V.Floats = randomFloats(*N, *Lo, *Hi, uint64_t(*Seed));
    return V;
  }
  case GenKind::Base64Text:
  case GenKind::Utf8Lines:
  case GenKind::JsonRecords:
  case GenKind::HttpRequests:
  case GenKind::UrlPaths:
  case GenKind::TemplateText:
  case GenKind::FileNames: {
    Expected<int64_t> N = length(0);
    if (!N)
      return N.takeError();
    Expected<int64_t> Seed = integer(1, "seed");
    if (!Seed)
      return Seed.takeError();
    // These two count lines of up to ~80 characters, not characters.
    if ((A.Gen == GenKind::UrlPaths || A.Gen == GenKind::FileNames) &&
        *N > MaxGeneratedLength / 128)
      return error("size " + Twine(*N) + " out of range (at most " +
                   Twine(MaxGeneratedLength / 128) + " lines)");
    V.K = A.Gen == GenKind::Utf8Lines ? Value::Bytes : Value::Str;
    V.Data = serviceText(A.Gen, *N, uint64_t(*Seed));
    if (int64_t(V.Data.size()) > MaxGeneratedLength)
      return error("generated text longer than " + Twine(MaxGeneratedLength) +
                   " bytes");
    return V;
  }
  case GenKind::CsvInts: {
    Expected<int64_t> Rows = length(0);
    if (!Rows)
      return Rows.takeError();
    Expected<int64_t> Cols = length(1);
    if (!Cols)
      return Cols.takeError();
    Expected<int64_t> Seed = integer(2, "seed");
    if (!Seed)
      return Seed.takeError();
    // Each value takes at most 15 characters with its separator.
    if (*Cols > 0 && *Rows > MaxGeneratedLength / 16 / *Cols)
      return error("rows * cols (" + Twine(*Rows) + " * " + Twine(*Cols) +
                   ") too large");
    if (*Cols == 0)
      return error("cols must be at least 1");
    V.K = Value::Str;
    V.Data = detail::csvInts(*Rows, *Cols, uint64_t(*Seed));
    return V;
  }
  case GenKind::ZipfInts: {
    Expected<int64_t> N = length(0);
    if (!N)
      return N.takeError();
    Expected<int64_t> Range = integer(1, "range");
    if (!Range)
      return Range.takeError();
    Expected<int64_t> S100 = integer(2, "s100");
    if (!S100)
      return S100.takeError();
    Expected<int64_t> Seed = integer(3, "seed");
    if (!Seed)
      return Seed.takeError();
    if (*Range < 1 || *Range > MaxZipfRange)
      return error("range " + Twine(*Range) + " outside 1.." +
                   Twine(MaxZipfRange));
    if (*S100 < 0 || *S100 > 1000)
      return error("s100 " + Twine(*S100) + " outside 0..1000");
    V.K = Value::IntArray;
    V.Ints = detail::zipfInts(*N, *Range, double(*S100) / 100, uint64_t(*Seed));
    return V;
  }
  case GenKind::RandomBytes:
  case GenKind::AsciiText:
  case GenKind::JsonText: {
    Expected<int64_t> N = length(0);
    if (!N)
      return N.takeError();
    Expected<int64_t> Seed = integer(1, "seed");
    if (!Seed)
      return Seed.takeError();
    if (A.Gen == GenKind::RandomBytes) {
      V.K = Value::Bytes;
      V.Data = detail::randomBytes(*N, uint64_t(*Seed));
    } else if (A.Gen == GenKind::AsciiText) {
      V.K = Value::Str;
      V.Data = asciiText(*N, uint64_t(*Seed));
    } else {
      V.K = Value::Str;
      V.Data = JsonWriter(uint64_t(*Seed)).document(*N);
    }
    return V;
  }
  }
  llvm_unreachable("unknown generator");
}

} // namespace

Expected<std::vector<Value>> generateWithSize(const WorkloadSpec &W,
                                              int64_t Size) {
  if (Size < 0)
    return makeError("workload '" + W.Name + "': size " + Twine(Size) +
                     " is negative");
  std::vector<Value> Values;
  Values.reserve(W.Args.size());
  for (const ArgSpec &A : W.Args) {
    Expected<Value> V = ArgEvaluator(W, A, Size).run();
    if (!V)
      return V.takeError();
    Values.push_back(std::move(*V));
  }
  return Values;
}

Expected<std::vector<Value>> generate(const WorkloadSpec &W, SizeClass S) {
  return generateWithSize(W, W.Sizes[unsigned(S)]);
}

//===----------------------------------------------------------------------===//
// .kin files
//===----------------------------------------------------------------------===//

static constexpr StringLiteral KinMagic = "KCIN1\n";

void writeInputs(ArrayRef<Value> Values, raw_ostream &OS) {
  assert(Values.size() <= UINT32_MAX && "too many values for a .kin file");
  support::endian::Writer W(OS, llvm::endianness::little);
  OS << KinMagic;
  W.write<uint32_t>(uint32_t(Values.size()));
  for (const Value &V : Values) {
    OS << char(V.K);
    switch (V.K) {
    case Value::Int:
      W.write<int64_t>(V.I);
      break;
    case Value::F64:
      W.write<uint64_t>(llvm::bit_cast<uint64_t>(V.F));
      break;
    case Value::Bool:
      OS << char(V.I != 0);
      break;
    case Value::Bytes:
    case Value::Str:
      W.write<uint64_t>(V.Data.size());
      OS << V.Data;
      break;
    case Value::IntArray:
      W.write<uint64_t>(V.Ints.size());
      for (int64_t I : V.Ints)
        W.write<int64_t>(I);
      break;
    case Value::F64Array:
      W.write<uint64_t>(V.Floats.size());
      for (double F : V.Floats)
        W.write<uint64_t>(llvm::bit_cast<uint64_t>(F));
      break;
    }
  }
}

namespace {

// Reads a .kin buffer; every length is checked against what remains before
// anything is allocated, so a corrupt header cannot ask for gigabytes.
class KinReader {
public:
  explicit KinReader(StringRef Buffer) : Rest(Buffer) {}

  Expected<std::vector<Value>> read() {
    if (!Rest.consume_front(KinMagic))
      return fail("not a .kin file (bad magic)");
    uint32_t Count;
    if (!fixed(Count))
      return fail("truncated value count");
    // Each value takes at least two bytes: bound the reservation by them.
    std::vector<Value> Values;
    Values.reserve(std::min<uint64_t>(Count, Rest.size() / 2));
    for (uint32_t I = 0; I < Count; ++I) {
      Value V;
      if (Error E = value(V, I))
        return E;
      Values.push_back(std::move(V));
    }
    if (!Rest.empty())
      return fail(Twine(Rest.size()) + " trailing bytes after the last value");
    return Values;
  }

private:
  StringRef Rest;

  Error fail(const Twine &Msg) const {
    return makeError("invalid input file: " + Msg);
  }

  template <typename T> bool fixed(T &Out) {
    if (Rest.size() < sizeof(T))
      return false;
    Out = support::endian::read<T, llvm::endianness::little>(Rest.data());
    Rest = Rest.drop_front(sizeof(T));
    return true;
  }

  Error value(Value &V, uint32_t I) {
    uint8_t Kind;
    if (!fixed(Kind))
      return fail("truncated kind of value " + Twine(I));
    if (Kind > Value::F64Array)
      return fail("unknown kind " + Twine(unsigned(Kind)) + " of value " +
                  Twine(I));
    V.K = Value::Kind(Kind);
    switch (V.K) {
    case Value::Int:
      if (!fixed(V.I))
        return fail("truncated int value " + Twine(I));
      return Error::success();
    case Value::F64: {
      uint64_t Bits;
      if (!fixed(Bits))
        return fail("truncated f64 value " + Twine(I));
      V.F = llvm::bit_cast<double>(Bits);
      return Error::success();
    }
    case Value::Bool: {
      uint8_t B;
      if (!fixed(B))
        return fail("truncated bool value " + Twine(I));
      if (B > 1)
        return fail("bool value " + Twine(I) + " is neither 0 nor 1");
      V.I = B;
      return Error::success();
    }
    case Value::Bytes:
    case Value::Str: {
      uint64_t Len;
      if (!fixed(Len) || Len > Rest.size())
        return fail("truncated string value " + Twine(I));
      V.Data = Rest.take_front(size_t(Len)).str();
      Rest = Rest.drop_front(size_t(Len));
      return Error::success();
    }
    case Value::IntArray:
    case Value::F64Array: {
      uint64_t N;
      if (!fixed(N) || N > Rest.size() / 8)
        return fail("truncated array value " + Twine(I));
      if (V.K == Value::IntArray) {
        V.Ints.resize(size_t(N));
        for (int64_t &X : V.Ints)
          fixed(X);
      } else {
        V.Floats.resize(size_t(N));
        for (double &X : V.Floats) {
          uint64_t Bits = 0;
          fixed(Bits);
          X = llvm::bit_cast<double>(Bits);
        }
      }
      return Error::success();
    }
    }
    llvm_unreachable("kind checked above");
  }
};

} // namespace

Expected<std::vector<Value>> readInputs(StringRef Buffer) {
  return KinReader(Buffer).read();
}

llvm::StringRef valueKindName(const Value &V) {
  switch (V.K) {
  case Value::Int: return "int";
  case Value::F64: return "f64";
  case Value::Bool: return "bool";
  case Value::Bytes: return "bytes";
  case Value::Str: return "str";
  case Value::IntArray: return "[int]";
  case Value::F64Array: return "[f64]";
  }
  return "unknown value";
}

} // namespace bench
} // namespace kc
