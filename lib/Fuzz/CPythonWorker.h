//===- CPythonWorker.h - A batch of kernels in one interpreter --*- C++ -*-===//
//
// Separate from Batch.h: only this part needs libpython (KCFuzzCPython).
//
//===----------------------------------------------------------------------===//

#ifndef KC_FUZZ_CPYTHONWORKER_H
#define KC_FUZZ_CPYTHONWORKER_H

#include "llvm/ADT/StringRef.h"

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace fuzz {

/// Runs the batch's jobs from \p From on in one embedded CPython, one
/// outcome line each on \p Out. Returns the process exit code.
int runCPythonWorker(llvm::StringRef BatchPath, unsigned From,
                     llvm::raw_ostream &Out);

} // namespace fuzz
} // namespace kc

#endif
