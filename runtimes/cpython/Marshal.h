//===- Marshal.h - Inputs to Python, results to text ------------*- C++ -*-===//
//
// Generated inputs (bench::Value) become their idiomatic Python values once,
// before anything is timed: int, i32, u32 -> int; f64 -> float; bool; str;
// bytes; arrays -> list. Results are printed as the canonical text of
// docs/runner-protocol.md, which every runner's result is compared by.
//
//===----------------------------------------------------------------------===//

#ifndef KC_RUNTIMES_CPYTHON_MARSHAL_H
#define KC_RUNTIMES_CPYTHON_MARSHAL_H

#include "PyRef.h" // Python.h first, as the C API asks

#include "Bench/Workload.h"
#include "TypeSpec.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <memory>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace cpython {

/// The arguments of a kernel, converted once; fresh copies for every call.
///
/// Conversions (anything else is a bad-job error naming the argument):
///   Int -> int (within +-2^53), i32, u32 (range-checked)
///   F64 -> f64     Bool -> bool     Bytes -> bytes     Str -> str (ASCII)
///   IntArray -> [int], [i32], [u32] (each element range-checked)
///   F64Array -> [f64]
class CallInputs {
public:
  static llvm::Expected<std::unique_ptr<CallInputs>>
  create(llvm::ArrayRef<const TypeSpec *> Params,
         llvm::ArrayRef<bench::Value> Values);

  size_t numParams() const { return Params.size(); }
  /// List elements one call's copies hold (what a batch costs in memory).
  uint64_t elementsPerCall() const { return ElementsPerCall; }

  /// Appends the arguments of \p Calls calls, numParams() per call, to
  /// \p Out as new references. A list is copied for every call (a kernel may
  /// mutate it); its elements, and str, bytes and numbers, are immutable and
  /// shared. The copies are not tracked by the cycle collector: lists of
  /// numbers cannot form cycles, and a batch of them must not make the
  /// collections triggered inside the timed region traverse the harness's
  /// own objects.
  llvm::Error build(uint64_t Calls, std::vector<PyObject *> &Out) const;

private:
  struct Param {
    PyRef Object; // the value, or the template a list is copied from
    bool Copied = false;
    Py_ssize_t Length = 0;
  };
  std::vector<Param> Params;
  uint64_t ElementsPerCall = 0;
};

/// Drops the references build() made and clears \p Args.
void releaseArguments(std::vector<PyObject *> &Args);

/// Appends the canonical text of \p O, a kernel's result of type \p Ty, to
/// \p Out. A value that is not of the type is an `exception` error:
///   bool     True / False -> true / false
///   integers int (not bool) in decimal; i32 and u32 must be in range
///   f64      float (or an int a double represents exactly) -> f64:<bits>,
///            every NaN f64:7ff8000000000000
///   str      a JSON string: \" \\ and \u00xx below 0x20, the rest as is
///   bytes    bytes or bytearray -> b"<lower-case hex>"
///   [T]      list or tuple     map[K]V  dict, in insertion order
///   record   any object with the record's fields as attributes
///   void     None -> nothing
llvm::Error formatResult(PyObject *O, const TypeSpec &Ty,
                         const TypeTable &Types, std::string &Out);

} // namespace cpython
} // namespace kc

#endif
