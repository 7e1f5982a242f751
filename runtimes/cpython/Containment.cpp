//===- Containment.cpp - What a Python kernel may reach -------------------===//
//
// The audit hook allows by default until contain(), then refuses by
// default: an audited operation nobody thought of is refused, not allowed.
//
//===----------------------------------------------------------------------===//

#include "Containment.h" // Python.h first, as the C API asks

#include "Bench/Sandbox.h"
#include "RunnerError.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Compiler.h"
#include <csignal>
#include <cstring>
#include <unistd.h>

using namespace llvm;
using namespace kc;
using namespace kc::cpython;

namespace {

struct ContainmentState {
  bool Contained = false;
  unsigned RunnerDepth = 0;
  std::vector<std::string> Allowed;
  std::optional<std::string> Refusal;
};
ContainmentState State;

bool isAllowed(StringRef Module) {
  for (const std::string &A : State.Allowed)
    if (Module == A || Module.starts_with(A + "."))
      return true;
  return false;
}

std::string allowedText() {
  if (State.Allowed.empty())
    return "(the module may import nothing)";
  return "(allowed: " + join(State.Allowed, ", ") + ")";
}

/// A short, safe rendering of an audit argument: str, bytes and int only
/// (their repr runs no Python code), else the type's name.
std::string argText(PyObject *Args, Py_ssize_t I) {
  if (!Args || !PyTuple_Check(Args) || I >= PyTuple_GET_SIZE(Args))
    return "?";
  PyObject *A = PyTuple_GET_ITEM(Args, I);
  if (PyUnicode_Check(A) || PyBytes_Check(A) || PyLong_CheckExact(A)) {
    PyObject *R = PyObject_Repr(A);
    if (R) {
      const char *U = PyUnicode_AsUTF8(R);
      std::string Text = U ? std::string(U) : "?";
      Py_DECREF(R);
      if (Text.size() > 120)
        Text = Text.substr(0, 117) + "...";
      return Text;
    }
    PyErr_Clear();
  }
  return std::string("a ") + Py_TYPE(A)->tp_name;
}

std::string describe(StringRef Event, PyObject *Args) {
  std::string What;
  if (Event == "open")
    What = "opening the file " + argText(Args, 0);
  else if (Event.starts_with("socket."))
    What = "a socket";
  else if (Event == "subprocess.Popen" || Event == "os.exec" ||
           Event == "os.posix_spawn" || Event == "os.spawn" ||
           Event == "os.startfile")
    What = "running the program " + argText(Args, 0);
  else if (Event == "os.system")
    What = "running the command " + argText(Args, 0);
  else if (Event == "os.fork" || Event == "os.forkpty")
    What = "forking a process";
  else if (Event == "os.kill" || Event == "os.killpg")
    What = "a signal to process " + argText(Args, 0);
  else if (Event.starts_with("ctypes."))
    What = "ctypes";
  else if (Event == "compile" || Event == "exec")
    What = "compiling or running code at run time";
  else if (Event.starts_with("os.") || Event.starts_with("shutil.") ||
           Event.starts_with("pathlib.") || Event.starts_with("glob."))
    What = "a file system operation";
  else
    What = "an audited operation";
  return What + " ('" + Event.str() + "' audit event)";
}

/// Records the first refusal and raises PermissionError in the kernel.
void refuse(const std::string &What) {
  if (!State.Refusal)
    State.Refusal = What;
  PyErr_Format(PyExc_PermissionError, "kernel containment: %s refused",
               What.c_str());
}

int auditHook(const char *EventName, PyObject *Args, void *) {
  if (!State.Contained || State.RunnerDepth)
    return 0;
  StringRef Event(EventName);
  if (Event == "import") {
    std::string Name = argText(Args, 0);
    PyObject *N = PyTuple_Check(Args) && PyTuple_GET_SIZE(Args) > 0
                      ? PyTuple_GET_ITEM(Args, 0)
                      : nullptr;
    if (N && PyUnicode_Check(N)) {
      const char *U = PyUnicode_AsUTF8(N);
      if (U && isAllowed(U))
        return 0;
      if (U)
        Name = U;
      PyErr_Clear();
    }
    refuse("import of '" + Name + "' " + allowedText());
    return -1;
  }
  // Harmless to a pure computation: introspection of its own frames and
  // objects' identities, and a signal to the runner itself (the kernel
  // could as well crash or hang).
  if (Event == "sys._getframe" || Event == "builtins.id")
    return 0;
  if (Event == "os.kill" && PyTuple_Check(Args) && PyTuple_GET_SIZE(Args) > 0) {
    long Pid = PyLong_AsLong(PyTuple_GET_ITEM(Args, 0));
    if (Pid == long(getpid()))
      return 0;
    PyErr_Clear();
  }
  refuse(describe(Event, Args));
  return -1;
}

PyObject *containedImport(PyObject *, PyObject *Args, PyObject *Kw) {
  static const char *Keywords[] = {"name",     "globals", "locals",
                                   "fromlist", "level",   nullptr};
  PyObject *Name = nullptr, *Globals = nullptr, *Locals = nullptr,
           *FromList = nullptr;
  int Level = 0;
  if (!PyArg_ParseTupleAndKeywords(Args, Kw, "U|OOOi:__import__",
                                   const_cast<char **>(Keywords), &Name,
                                   &Globals, &Locals, &FromList, &Level))
    return nullptr;
  const char *U = PyUnicode_AsUTF8(Name);
  if (!U)
    return nullptr;
  if (Level != 0) {
    refuse("a relative import (of '" + std::string(U) + "')");
    return nullptr;
  }
  if (!isAllowed(U)) {
    refuse("import of '" + std::string(U) + "' " + allowedText());
    return nullptr;
  }
  return PyImport_ImportModuleLevelObject(Name, Globals, Locals, FromList,
                                          Level);
}

PyMethodDef ContainedImportDef = {
    "__import__", reinterpret_cast<PyCFunction>(containedImport),
    METH_VARARGS | METH_KEYWORDS,
    "__import__ of a contained kernel: allowed modules only."};

} // namespace

std::vector<std::string> cpython::defaultAllowedImports() {
  return {"itertools", "math", "struct"};
}

void cpython::installAuditHook() { PySys_AddAuditHook(auditHook, nullptr); }

Error cpython::preImport(ArrayRef<std::string> Modules,
                         std::vector<std::string> *NotFound) {
  for (const std::string &M : Modules) {
    PyRef Mod = PyRef::steal(PyImport_ImportModule(M.c_str()));
    if (!Mod) {
      bool Missing = PyErr_ExceptionMatches(PyExc_ModuleNotFoundError);
      PyErr_Clear();
      if (Missing && NotFound) {
        NotFound->push_back(M);
        continue;
      }
      return makeError(RunnerError::Load,
                       "cannot import '" + M + "', which the job allows");
    }
  }
  return Error::success();
}

Expected<PyRef> cpython::containedBuiltins(ArrayRef<std::string> Allowed) {
  State.Allowed.assign(Allowed.begin(), Allowed.end());
  PyRef Builtins = PyRef::steal(PyImport_ImportModule("builtins"));
  PyRef Copy =
      Builtins ? PyRef::steal(PyDict_Copy(PyModule_GetDict(Builtins.get())))
               : PyRef();
  PyRef Import = PyRef::steal(PyCFunction_New(&ContainedImportDef, nullptr));
  if (!Copy || !Import ||
      PyDict_SetItemString(Copy.get(), "__import__", Import.get()) != 0) {
    PyErr_Clear();
    return makeError(RunnerError::Load, "cannot build the kernel's builtins");
  }
  return Copy;
}

Error cpython::contain(ArrayRef<std::string> Allowed) {
  State.Allowed.assign(Allowed.begin(), Allowed.end());
  // A fatal signal from here on is the kernel's doing: the runner dies of
  // it, as python3 would. LLVM's crash handler would print a stack dump of
  // the interpreter's C frames (symbolizing it needs files and a program,
  // which the filter refuses), and it lets execution go on after a signal
  // the process sent itself.
  for (int Sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS})
    std::signal(Sig, SIG_DFL);
#if !LLVM_ADDRESS_SANITIZER_BUILD
  if (int E = sandbox::installKernelFilter())
    return makeError(RunnerError::Load,
                     "cannot install the kernel's seccomp filter: " +
                         Twine(std::strerror(E)));
#endif
  State.Contained = true;
  return Error::success();
}

std::optional<std::string> cpython::takeRefusal() {
  return std::exchange(State.Refusal, std::nullopt);
}

RunnerSection::RunnerSection() { ++State.RunnerDepth; }
RunnerSection::~RunnerSection() { --State.RunnerDepth; }
