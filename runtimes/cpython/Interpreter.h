//===- Interpreter.h - Embedded CPython: start, load, errors ----*- C++ -*-===//
//
// One interpreter per runner process, configured like `python3 -I -S`:
// isolated from PYTHON* variables, the user's site directory, the working
// directory and site-packages; it writes no bytecode caches.
//
//===----------------------------------------------------------------------===//

#ifndef KC_RUNTIMES_CPYTHON_INTERPRETER_H
#define KC_RUNTIMES_CPYTHON_INTERPRETER_H

#include "PyRef.h"
#include "RunnerError.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace kc {
namespace cpython {

/// Starts CPython from an isolated PyConfig, or, inside the python3.11
/// executable (an extension module; Launch.h), takes the running
/// interpreter as it is, with the runner's audit hook and signal
/// dispositions. A failure is a `load` error.
llvm::Error startInterpreter();
/// Py_FinalizeEx, unless the executable owns the interpreter: false if
/// finalization reported an error.
bool finishInterpreter();

/// What the hello line says about the runtime.
struct RuntimeInfo {
  std::string Version; // "3.11.2"
  std::string Engine;  // "CPython 3.11.2 (main, ...) [GCC 12.2.0]"
  std::vector<std::string> Flags;
  std::string Library; // the libpython this process runs, resolved
};
RuntimeInfo runtimeInfo();

/// Loads the Python source file \p Path as a module (importlib's
/// spec_from_file_location and module_from_spec; compiled from source)
/// after putting its directory first on sys.path, and returns its attribute
/// \p Entry. The module runs contained (Containment.h): it may import
/// \p Allowed; \p RunnerImports are what the runner needs later, imported
/// before. Any failure is a `load` error, or `refused`.
llvm::Expected<PyRef> loadEntry(llvm::StringRef Path, llvm::StringRef Entry,
                                llvm::ArrayRef<std::string> Allowed,
                                llvm::ArrayRef<std::string> RunnerImports);

/// Turns the pending Python exception raised by a kernel into a `trap` (its
/// class, or a base, is named KernelTrap: the message is its `kind`
/// attribute, the line its `line`) or an `exception` (class name and
/// message). The traceback goes to sys.stderr.
llvm::Error takeKernelError();

/// The pending Python exception as an error of kind \p K whose message is
/// "Context: Type: message". The traceback goes to sys.stderr.
llvm::Error takePythonError(RunnerError::Kind K, const llvm::Twine &Context);

/// str(O) as UTF-8; never fails (falls back to a placeholder).
std::string strOf(PyObject *O);
/// The __name__ of O's class.
std::string typeNameOf(PyObject *O);

} // namespace cpython
} // namespace kc

#endif
