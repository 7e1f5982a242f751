//===- Workload.h - Workload specs and deterministic input generators -*- C++ -*-===//
//
// A kernel's `bench` section names its entry and its workloads. A workload
// binds each entry parameter to a generator call evaluated at one of three
// sizes. Inputs are generated here, once, deterministically from (size,
// seed), and the same values are handed to every runtime. kernelc and
// rtcompare share this library.
//
//===----------------------------------------------------------------------===//

#ifndef KC_BENCH_WORKLOAD_H
#define KC_BENCH_WORKLOAD_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace bench {

enum class SizeClass : uint8_t { Small = 0, Default = 1, Large = 2 };
llvm::StringRef sizeClassName(SizeClass S);
std::optional<SizeClass> parseSizeClass(llvm::StringRef S);

/// An argument of a generator call: a number, possibly computed from the
/// workload's `size` (e.g. `size * 2`, `size / 4 + 1`).
struct ArgExpr {
  enum Kind { IntLit, FloatLit, Size, Add, Sub, Mul, Div } K = IntLit;
  int64_t I = 0;
  double F = 0;
  std::shared_ptr<ArgExpr> L, R;
  bool isFloat() const;  // any float literal inside
  /// Evaluates with the given size. Integer division by zero is an error.
  llvm::Expected<int64_t> evalInt(int64_t Size) const;
  llvm::Expected<double> evalFloat(int64_t Size) const;
};

/// One table of generators: keep in sync with docs/language.md.
/// GEN(Enum, "name", ResultKind, NumArgs)
#define KC_BENCH_GENERATORS(GEN)                                               \
  GEN(Scalar, "", Scalar, 1)              /* the expression itself */          \
  GEN(RandomInts, "random_ints", IntArray, 4)     /* (n, lo, hi, seed) */      \
  GEN(RandomFloats, "random_floats", F64Array, 4) /* (n, lo, hi, seed) */      \
  GEN(RandomBytes, "random_bytes", Bytes, 2)      /* (n, seed) */              \
  GEN(AsciiText, "ascii_text", Str, 2)            /* (n, seed): words */       \
  GEN(JsonText, "json_text", Str, 2)              /* (n, seed): a JSON doc */ \
  GEN(Base64Text, "base64_text", Str, 2)          /* (n, seed) */              \
  GEN(Utf8Lines, "utf8_lines", Bytes, 2)          /* (n, seed) */              \
  GEN(JsonRecords, "json_records", Str, 2)        /* (n, seed) */              \
  GEN(HttpRequests, "http_requests", Str, 2)      /* (n, seed) */              \
  GEN(UrlPaths, "url_paths", Str, 2)              /* (n, seed) */              \
  GEN(TemplateText, "template_text", Str, 2)      /* (n, seed) */              \
  GEN(FileNames, "file_names", Str, 2)            /* (n, seed) */              \
  GEN(CsvInts, "csv_ints", Str, 3)                /* (rows, cols, seed) */     \
  GEN(ZipfInts, "zipf_ints", IntArray, 4)         /* (n, range, s100, seed) */

enum class GenKind : uint8_t {
#define KC_GEN_ENUM(E, N, R, A) E,
  KC_BENCH_GENERATORS(KC_GEN_ENUM)
#undef KC_GEN_ENUM
};
llvm::StringRef genName(GenKind G);
unsigned genNumArgs(GenKind G);
std::optional<GenKind> lookupGenerator(llvm::StringRef Name);

struct ArgSpec {
  std::string Param;  // the entry parameter it binds
  GenKind Gen = GenKind::Scalar;
  std::vector<ArgExpr> Args;
  uint32_t Line = 0, Col = 0;
};

struct WorkloadSpec {
  std::string Name;
  std::array<int64_t, 3> Sizes = {0, 0, 0};  // indexed by SizeClass
  std::vector<ArgSpec> Args;                 // in entry-parameter order
  uint32_t Line = 0, Col = 0;
  /// What one kernel operation is (`per byte`, `per cell(size * size)`), for
  /// reports of time per operation; empty: the whole call is the operation.
  std::string OpUnit;
  std::optional<ArgExpr> OpCount;  // absent with a unit: `size` operations
  /// Kernel operations in one call at \p Size (1 without a unit).
  llvm::Expected<int64_t> operations(int64_t Size) const;
};

struct BenchSpec {
  std::string Entry;
  /// Relative tolerance for f64 values in the result (`tolerance 1e-12;`),
  /// for kernels whose math library calls may differ between runtimes; 0
  /// means every runtime must agree bit for bit.
  double Tolerance = 0;
  std::vector<WorkloadSpec> Workloads;  // the first is the default
  uint32_t Line = 0, Col = 0;
  const WorkloadSpec *find(llvm::StringRef Name) const;
};

/// A generated input, in a runtime-neutral form.
struct Value {
  enum Kind : uint8_t { Int = 0, F64 = 1, Bool = 2, Bytes = 3, Str = 4,
                        IntArray = 5, F64Array = 6 } K = Int;
  int64_t I = 0;
  double F = 0;
  std::string Data;            // Bytes, Str
  std::vector<int64_t> Ints;   // IntArray
  std::vector<double> Floats;  // F64Array
};

/// The kernel-language spelling of a value's kind ("int", "[f64]"...), for
/// messages about inputs that do not fit a parameter.
llvm::StringRef valueKindName(const Value &V);

/// The deterministic generator behind every workload: xoshiro256**,
/// seeded through splitmix64, so any language can reproduce it.
class Rng {
public:
  explicit Rng(uint64_t Seed);
  uint64_t next();
  /// Uniform in [Lo, Hi] (inclusive); Lo <= Hi.
  int64_t uniformInt(int64_t Lo, int64_t Hi);
  /// Uniform in [Lo, Hi).
  double uniformFloat(double Lo, double Hi);

private:
  uint64_t S[4];
};

/// Generates the inputs of workload W at size class S: one Value per ArgSpec.
/// Errors (negative sizes, lo > hi, sizes over the limit) are located.
llvm::Expected<std::vector<Value>> generate(const WorkloadSpec &W,
                                            SizeClass S);
/// The same with an explicit size instead of a size class (for sweeps).
llvm::Expected<std::vector<Value>> generateWithSize(const WorkloadSpec &W,
                                                    int64_t Size);

/// Input files (.kin) hand generated values to out-of-process implementations
/// such as the C references. Format (little-endian):
///   "KCIN1\n", u32 count, then per value: u8 kind (Value::Kind), and
///   Int: i64 | F64: f64 | Bool: u8 | Bytes/Str: u64 len, bytes |
///   IntArray: u64 n, n x i64 | F64Array: u64 n, n x f64
void writeInputs(llvm::ArrayRef<Value> Values, llvm::raw_ostream &OS);
llvm::Expected<std::vector<Value>> readInputs(llvm::StringRef Buffer);

} // namespace bench
} // namespace kc

#endif
