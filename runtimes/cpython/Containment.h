//===- Containment.h - What a Python kernel may reach -----------*- C++ -*-===//
//
// A kernel is a pure function of its inputs (docs/language.md); the module
// the runner loads, kernelc's or a hand-written reference, gets nothing
// else. Three layers, each below the last:
//
// 1. Its builtins' __import__ lets through only the job's allowed imports
//    (the top-level name; a package's submodules come with it), whether or
//    not the module is loaded already; a relative import is refused.
// 2. A PEP 578 audit hook, installed from C before the interpreter starts,
//    refuses every audited operation once the kernel's module begins to run
//    except the few a computation needs: imports of allowed modules (their
//    own imports happened before, see contain()), sys._getframe, id(),
//    signals to the runner itself. Files, sockets, processes, ctypes,
//    compile/exec/eval of strings, code objects, tracing hooks: refused.
// 3. The seccomp kernel filter (Bench/Sandbox.h): no file opened or
//    changed, no program run, no process forked, no socket, whatever path
//    the Python code took to the system call.
//
// A refused operation raises PermissionError in the kernel and is recorded:
// the runner then reports a `refused` error even if the kernel caught it.
//
//===----------------------------------------------------------------------===//

#ifndef KC_RUNTIMES_CPYTHON_CONTAINMENT_H
#define KC_RUNTIMES_CPYTHON_CONTAINMENT_H

#include "PyRef.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace kc {
namespace cpython {

/// What kernelc's Python modules import (`from math import ...`, `from
/// itertools import compress`, `from struct import Struct`): the allowlist
/// of a job that names none.
std::vector<std::string> defaultAllowedImports();

/// Registers the audit hook; call once, before the interpreter starts. It
/// allows everything until contain().
void installAuditHook();

/// Imports \p Modules, still unconfined: the allowed modules (so that what
/// they import in turn is loaded before the hook would refuse it) and what
/// the runner itself needs later. A failure is a `load` error; with
/// \p NotFound, a module that does not exist is added to it instead.
llvm::Error preImport(llvm::ArrayRef<std::string> Modules,
                      std::vector<std::string> *NotFound);

/// A copy of the builtins whose __import__ lets only \p Allowed through:
/// the `__builtins__` of the kernel's module.
llvm::Expected<PyRef> containedBuiltins(llvm::ArrayRef<std::string> Allowed);

/// From now on until the process ends: the audit hook's policy with
/// \p Allowed, and the seccomp kernel filter (not in a sanitizer build,
/// whose leak check at exit clones, ptraces and reads /proc).
llvm::Error contain(llvm::ArrayRef<std::string> Allowed);

/// The first operation refused since the last call, described.
std::optional<std::string> takeRefusal();

/// The runner's own work inside containment, which runs no kernel code:
/// printing a traceback, inspecting bytecode, turning tracing on and off.
class RunnerSection {
public:
  RunnerSection();
  ~RunnerSection();
  RunnerSection(const RunnerSection &) = delete;
  RunnerSection &operator=(const RunnerSection &) = delete;
};

} // namespace cpython
} // namespace kc

#endif
