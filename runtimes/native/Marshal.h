//===- Marshal.h - Inputs into kcrt values, results into text ---*- C++ -*-===//
//
// The native runner calls a compiled kernel through its entry wrapper
//   void kc_entry(void **args, void *ret);
// where args[i] points at the i-th argument stored with its C type (int32_t,
// uint32_t, int64_t, double, bool as one byte, or a pointer) and ret points
// at storage for the result, laid out the same way. This file builds the
// arguments from runtime-neutral bench::Values and prints results in the
// canonical text every runtime's result is compared by.
//
//===----------------------------------------------------------------------===//

#ifndef KC_RUNTIMES_NATIVE_MARSHAL_H
#define KC_RUNTIMES_NATIVE_MARSHAL_H

#include "Bench/Workload.h"
#include "ir/IR.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace native {

/// Size and alignment of a value of type Ty in a C struct field, an array
/// element, a map value's low bits or an argument slot: bool 1, i32/u32 4,
/// int/f64 8, str/bytes/arrays/maps/records 8 (a pointer). Void is 0 / 1.
uint64_t cSizeOf(const kir::Type *Ty);
uint64_t cAlignOf(const kir::Type *Ty);

/// The C layout of a record: fields in declaration order, each at the next
/// offset aligned for it; the size is rounded up to the largest alignment.
struct RecordLayout {
  std::vector<uint64_t> Offsets; // one per field
  uint64_t Size = 0;
  uint64_t Align = 1;
};
RecordLayout layoutRecord(const kir::RecordDecl &R);

/// The arguments of one kernel call: one 8-byte slot per parameter, and the
/// array of pointers to them that kc_entry takes. Heap arguments (str, bytes,
/// arrays) are allocated in the calling thread's current kcrt arena, so they
/// live until the next kc_arena_reset().
///
/// Conversions (anything else is an error naming the parameter and types):
///   Int -> int (within +-2^53), i32, u32 (range-checked)
///   F64 -> f64            Bool -> bool
///   Bytes -> bytes        Str -> str (must be ASCII)
///   IntArray -> [int], [i32], [u32] (each element range-checked)
///   F64Array -> [f64]
class ArgumentPack {
public:
  static llvm::Expected<ArgumentPack>
  build(llvm::ArrayRef<const kir::Type *> ParamTypes,
        llvm::ArrayRef<bench::Value> Values);
  /// The same for the parameters of F.
  static llvm::Expected<ArgumentPack>
  build(const kir::Function &F, llvm::ArrayRef<bench::Value> Values);

  /// args for kc_entry: pointers()[i] points at the slot of argument i.
  void **pointers();
  size_t size() const { return Slots.size(); }

private:
  std::vector<uint64_t> Slots;
  std::vector<void *> Pointers;
};

/// Prints the canonical text of a value of type Ty stored at Ret with its C
/// type (as kc_entry's ret): bool `true`/`false`; integers in decimal; f64
/// with "%.17g" (`nan`, `inf`, `-inf`); str as its raw text; bytes as
/// lower-case hex; arrays `[a, b]`; maps `{k: v}` in insertion order with str
/// keys in double quotes; records `Name{field: value}`. Void prints nothing.
void formatResult(const kir::Type *Ty, const void *Ret, llvm::raw_ostream &OS);
std::string formatResult(const kir::Type *Ty, const void *Ret);

/// The canonical text of docs/runner-protocol.md (what runners report and
/// rtcompare compares): like formatResult but f64 as `f64:` and its bits,
/// strings JSON-escaped in quotes, bytes as b"hex", no white space, record
/// fields as name=value.
void formatCanonical(const kir::Type *Ty, const void *Ret, llvm::raw_ostream &OS);

/// An error when the value of type Ty at Ret contains itself: an array, map
/// or record reachable from itself (through arrays and maps, which the
/// types allow) has no canonical text, and formatting it would not end.
/// Call it before formatResult or formatCanonical on a kernel's result.
llvm::Error checkAcyclic(const kir::Type *Ty, const void *Ret);

/// Types named by their kernel-language spelling (`[f64]`, `map[str]int`,
/// a record name), as a job describes them; records come from the job too.
class TypeTable {
public:
  /// Declares the records (name -> fields as (name, spelling)); fields may
  /// name records declared in the same call.
  llvm::Error addRecords(
      const std::map<std::string,
                     std::vector<std::pair<std::string, std::string>>> &Records);
  llvm::Expected<kir::Type *> get(llvm::StringRef Spelling);

private:
  kir::Context Ctx;
  std::vector<std::unique_ptr<kir::RecordDecl>> Records;
  llvm::Expected<kir::Type *> parse(llvm::StringRef &S);
};

} // namespace native
} // namespace kc

#endif
