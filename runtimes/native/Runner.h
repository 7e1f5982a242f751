//===- Runner.h - The native runner of docs/runner-protocol.md --*- C++ -*-===//

#ifndef KC_RUNTIMES_NATIVE_RUNNER_H
#define KC_RUNTIMES_NATIVE_RUNNER_H

#include "llvm/ADT/StringRef.h"

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace native {

/// Runs the job in \p JobPath: a kernel file (.k, JIT-compiled here at the
/// job's opt_level, -O2 unless it says otherwise, with its engine_checks)
/// or a shared object defining `kc_entry` (a C reference built by
/// rtcompare). Protocol lines go to \p Out, diagnostics to \p Err. Returns
/// the process exit code: 0, or 2 after an error line.
int runJob(llvm::StringRef JobPath, llvm::raw_ostream &Out,
           llvm::raw_ostream &Err);

} // namespace native
} // namespace kc

#endif
