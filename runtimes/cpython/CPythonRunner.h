//===- CPythonRunner.h - The runner protocol on CPython ---------*- C++ -*-===//
//
// Runs one job of docs/runner-protocol.md in an embedded CPython 3.11: loads
// a Python module (kernelc's or a hand-written reference), calls its entry
// on the job's inputs in timed batches, prints the JSON lines.
//
//===----------------------------------------------------------------------===//

#ifndef KC_RUNTIMES_CPYTHON_CPYTHONRUNNER_H
#define KC_RUNTIMES_CPYTHON_CPYTHONRUNNER_H

#include "llvm/ADT/StringRef.h"

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace cpython {

/// Runs the job in \p JobPath. Protocol lines go to \p Out, each flushed as
/// it is written; diagnostics (tracebacks, warnings) to \p Err and Python's
/// sys.stderr. Returns the process exit code: 0, or 2 after an error line.
/// Starts and finalizes the interpreter: call it once per process.
int runJob(llvm::StringRef JobPath, llvm::raw_ostream &Out,
           llvm::raw_ostream &Err);

/// runJob with the process's stdout reserved for protocol lines: anything
/// else that writes to file descriptor 1 (print() in a module, a C
/// extension) is sent to stderr instead.
int runJobOnStdout(llvm::StringRef JobPath, llvm::raw_ostream &Err);

} // namespace cpython
} // namespace kc

#endif
