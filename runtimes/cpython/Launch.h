//===- Launch.h - Running the CPython runner inside python3.11 --*- C++ -*-===//
//
// Debian's python3.11 executable is built apart from libpython3.11.so, with
// the optimizations a shared object does not get: an embedding runner ran
// interpreter-bound kernels 10-25% slower than python3.11 does. So the
// runner is also built as an extension module, and kc-runner-cpython only
// replaces itself with `python3.11 -I -S -B` importing it: every timed call
// runs on the interpreter users run (docs/methodology.md, "Which CPython").
//
//===----------------------------------------------------------------------===//

#ifndef KC_RUNTIMES_CPYTHON_LAUNCH_H
#define KC_RUNTIMES_CPYTHON_LAUNCH_H

#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace cpython {

/// The command that runs \p JobPath with the extension module \p ModulePath
/// inside \p Python: isolated (-I: no PYTHON* variables, no user site, no
/// script directory on sys.path), no site-packages (-S), no .pyc written (-B),
/// as the embedding runner configures its interpreter.
std::vector<std::string> insidePythonCommand(llvm::StringRef Python,
                                             llvm::StringRef ModulePath,
                                             llvm::StringRef JobPath);

/// Replaces this process with insidePythonCommand, the module found next to
/// the executable \p Argv0. Returns only on failure, after writing a
/// protocol `load` error line to stdout: the exit code (2).
int execInsidePython(const char *Argv0, llvm::StringRef JobPath,
                     llvm::raw_ostream &Err);

} // namespace cpython
} // namespace kc

#endif
