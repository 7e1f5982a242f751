//===- Interpreter.cpp - Embedded CPython: start, load, errors ------------===//

#include "Interpreter.h"
#include "Containment.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <csignal>
#include <dlfcn.h>

using namespace llvm;
using namespace kc::cpython;

#ifndef KC_PYTHON3_EXECUTABLE
#define KC_PYTHON3_EXECUTABLE "/usr/bin/python3.11"
#endif

char RunnerError::ID = 0;

StringRef RunnerError::kindName() const {
  switch (K) {
  case Trap:
    return "trap";
  case Exception:
    return "exception";
  case BadJob:
    return "bad-job";
  case Load:
    return "load";
  case Refused:
    return "refused";
  }
  llvm_unreachable("unknown error kind");
}

void RunnerError::log(raw_ostream &OS) const {
  OS << kindName() << ": ";
  if (!Type.empty())
    OS << Type << ": ";
  OS << Message;
  if (K == Trap)
    OS << " at line " << Line;
}

Error kc::cpython::withKind(Error E, RunnerError::Kind K,
                            const Twine &Context) {
  std::string Prefix = Context.str();
  return handleErrors(std::move(E), [&](const ErrorInfoBase &EI) -> Error {
    std::string Msg = EI.message();
    return makeError(K, Prefix.empty() ? Msg : Prefix + ": " + Msg);
  });
}

//===----------------------------------------------------------------------===//
// Start and finish
//===----------------------------------------------------------------------===//

namespace {
/// True when this runner runs as an extension module inside the python3.11
/// executable (the launcher's way), which started the interpreter itself.
bool InsideExecutable = false;
} // namespace

Error kc::cpython::startInterpreter() {
  if (Py_IsInitialized()) {
    // python3.11 -I -S -B gave the interpreter the configuration the
    // embedding below sets up (isolated, no site, no .pyc), except the
    // signal handlers it installs: the runner ends on SIGINT like any child,
    // and a kernel that writes to a closed pipe is not ours to hide.
    InsideExecutable = true;
    installAuditHook();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGPIPE, SIG_DFL);
    std::signal(SIGXFSZ, SIG_DFL);
    if (PyObject *Err = PySys_GetObject("stderr"))
      PySys_SetObject("stdout", Err);
    return Error::success();
  }
  PyConfig Config;
  // isolated=1, use_environment=0 (no PYTHON* variables),
  // user_site_directory=0, safe_path=1 (no script directory or working
  // directory on sys.path), no signal handlers: SIGINT and SIGTERM end the
  // runner as they would any child process.
  PyConfig_InitIsolatedConfig(&Config);
  Config.site_import = 0;    // no site-packages: kernels use the stdlib only
  Config.write_bytecode = 0; // a runner writes nothing next to the module
  Config.optimization_level = 0;
  Config.install_signal_handlers = 0;
  Config.parse_argv = 0;
  // Before the interpreter exists, so that nothing can run ahead of it.
  installAuditHook();
  // The interpreter this libpython belongs to anchors sys.prefix, so the
  // standard library found is the one of the same build.
  PyStatus S = PyConfig_SetBytesString(&Config, &Config.program_name,
                                       KC_PYTHON3_EXECUTABLE);
  if (!PyStatus_Exception(S))
    S = Py_InitializeFromConfig(&Config);
  PyConfig_Clear(&Config);
  if (PyStatus_Exception(S)) {
    std::string Msg = "cannot start CPython";
    if (S.func)
      Msg += std::string(": ") + S.func;
    if (S.err_msg)
      Msg += std::string(": ") + S.err_msg;
    return makeError(RunnerError::Load, Msg);
  }
  // stdout carries protocol lines only: print() in a module goes to stderr.
  if (PyObject *Err = PySys_GetObject("stderr"))
    PySys_SetObject("stdout", Err);
  return Error::success();
}

bool kc::cpython::finishInterpreter() {
  // python3.11 finalizes its own interpreter when the boot script exits.
  return InsideExecutable || Py_FinalizeEx() == 0;
}

RuntimeInfo kc::cpython::runtimeInfo() {
  RuntimeInfo Info;
  StringRef Full = Py_GetVersion(); // "3.11.2 (main, Oct  7 2026, ...) [GCC]"
  Info.Version = Full.split(' ').first.str();
  std::string Engine = "CPython " + Full.str();
  for (char &C : Engine)
    if (C == '\n' || C == '\r')
      C = ' ';
  Info.Engine = std::move(Engine);

  long Optimize = 0;
  if (PyObject *Flags = PySys_GetObject("flags")) {
    PyRef O = PyRef::steal(PyObject_GetAttrString(Flags, "optimize"));
    if (O && PyLong_Check(O.get()))
      Optimize = PyLong_AsLong(O.get());
    PyErr_Clear();
  }
  Info.Flags.push_back("optimize=" + std::to_string(Optimize));
  // PEP 659: 3.11's interpreter always specializes (no switch turns it off).
  Info.Flags.push_back(Py_Version >= 0x030B0000 ? "specialization=on"
                                                : "specialization=off");

  Dl_info DL;
  if (dladdr(reinterpret_cast<void *>(&Py_GetVersion), &DL) && DL.dli_fname) {
    SmallString<256> Real;
    if (sys::fs::real_path(DL.dli_fname, Real))
      Real = DL.dli_fname;
    Info.Library = Real.str().str();
  }
  return Info;
}

//===----------------------------------------------------------------------===//
// Exceptions
//===----------------------------------------------------------------------===//

std::string kc::cpython::strOf(PyObject *O) {
  PyRef S = PyRef::steal(PyObject_Str(O));
  if (S) {
    Py_ssize_t N = 0;
    if (const char *U = PyUnicode_AsUTF8AndSize(S.get(), &N))
      return std::string(U, size_t(N));
  }
  PyErr_Clear();
  return "<unprintable " + typeNameOf(O) + ">";
}

std::string kc::cpython::typeNameOf(PyObject *O) {
  PyRef Name = PyRef::steal(PyType_GetName(Py_TYPE(O)));
  if (Name)
    if (const char *U = PyUnicode_AsUTF8(Name.get()))
      return U;
  PyErr_Clear();
  return Py_TYPE(O)->tp_name;
}

namespace {

/// The pending exception, normalized, with its traceback attached.
struct Pending {
  PyRef Type, Value, Traceback;
};

Pending fetch() {
  PyObject *T = nullptr, *V = nullptr, *TB = nullptr;
  PyErr_Fetch(&T, &V, &TB);
  PyErr_NormalizeException(&T, &V, &TB);
  if (V && TB)
    PyException_SetTraceback(V, TB);
  Pending P;
  P.Type = PyRef::steal(T);
  P.Value = PyRef::steal(V);
  P.Traceback = PyRef::steal(TB);
  return P;
}

/// The traceback, as Python would print it, on sys.stderr. (Its source
/// lines are missing once the kernel filter refuses to open files.)
void display(const Pending &P) {
  RunnerSection Runner;
  PyErr_Display(P.Type.get(), P.Value.get(), P.Traceback.get());
  PyErr_Clear();
}

bool isKernelTrap(PyObject *Type) {
  PyObject *MRO = reinterpret_cast<PyTypeObject *>(Type)->tp_mro;
  if (!MRO || !PyTuple_Check(MRO))
    return false;
  for (Py_ssize_t I = 0, N = PyTuple_GET_SIZE(MRO); I < N; ++I) {
    PyRef Name = PyRef::steal(PyType_GetName(
        reinterpret_cast<PyTypeObject *>(PyTuple_GET_ITEM(MRO, I))));
    if (!Name) {
      PyErr_Clear();
      continue;
    }
    const char *U = PyUnicode_AsUTF8(Name.get());
    if (U && StringRef(U) == "KernelTrap")
      return true;
    PyErr_Clear();
  }
  return false;
}

} // namespace

Error kc::cpython::takeKernelError() {
  Pending P = fetch();
  if (!P.Type)
    return makeError(RunnerError::Exception,
                     "the kernel failed without setting an exception",
                     "SystemError");
  display(P);
  PyObject *V = P.Value.get();
  std::string Type = typeNameOf(V);
  if (!isKernelTrap(P.Type.get()))
    return makeError(RunnerError::Exception, strOf(V), Type);

  std::string Kind;
  if (PyRef K = PyRef::steal(PyObject_GetAttrString(V, "kind")))
    Kind = strOf(K.get());
  else
    Kind = strOf(V);
  int64_t Line = 0;
  if (PyRef L = PyRef::steal(PyObject_GetAttrString(V, "line"))) {
    if (PyLong_Check(L.get()))
      Line = PyLong_AsLongLong(L.get());
  }
  PyErr_Clear();
  return makeError(RunnerError::Trap, Kind, "", Line);
}

Error kc::cpython::takePythonError(RunnerError::Kind K, const Twine &Context) {
  Pending P = fetch();
  if (!P.Type)
    return makeError(K, Context + ": failed without a Python exception");
  display(P);
  std::string Type = typeNameOf(P.Value.get());
  return makeError(K, Context + ": " + Type + ": " + strOf(P.Value.get()),
                   Type);
}

//===----------------------------------------------------------------------===//
// Loading the module
//===----------------------------------------------------------------------===//

/// The name the module is imported as: the file's stem made an identifier,
/// and never one already imported (a kernel in json.py must not replace the
/// standard library's json).
static std::string moduleName(StringRef Path) {
  std::string Name = sys::path::stem(Path).str();
  for (char &C : Name)
    if (!isAlnum(C) && C != '_')
      C = '_';
  if (Name.empty() || isDigit(Name[0]))
    Name.insert(0, "_");
  PyObject *Modules = PyImport_GetModuleDict();
  while (PyDict_GetItemString(Modules, Name.c_str()))
    Name.insert(0, "_kc_");
  return Name;
}

Expected<PyRef> kc::cpython::loadEntry(StringRef Path, StringRef Entry,
                                       ArrayRef<std::string> Allowed,
                                       ArrayRef<std::string> RunnerImports) {
  SmallString<256> Abs(Path);
  if (std::error_code EC = sys::fs::make_absolute(Abs))
    return makeError(RunnerError::Load,
                     "cannot load '" + Path + "': " + EC.message());
  sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  std::string File = Abs.str().str();
  std::string Context = "cannot load '" + File + "'";
  if (!sys::fs::is_regular_file(File))
    return makeError(RunnerError::Load, Context + ": no such file");

  // The modules the job allows come from the standard library when it has
  // them (a heapq.py next to the module does not replace heapq); only what
  // it lacks is looked for in the module's directory, below.
  std::vector<std::string> Imports(Allowed.begin(), Allowed.end());
  llvm::append_range(Imports, RunnerImports);
  std::vector<std::string> NotInStdlib;
  if (Error E = preImport(Imports, &NotInStdlib))
    return std::move(E);

  // sys.path: the module's directory, then the standard library only.
  StringRef Dir = sys::path::parent_path(File);
  PyObject *SysPath = PySys_GetObject("path");
  PyRef DirObj = PyRef::steal(
      PyUnicode_DecodeFSDefaultAndSize(Dir.data(), Py_ssize_t(Dir.size())));
  if (!SysPath || !PyList_Check(SysPath) || !DirObj ||
      PyList_Insert(SysPath, 0, DirObj.get()) != 0)
    return takePythonError(RunnerError::Load, Context);

  std::string Name = moduleName(File);
  PyRef Util = PyRef::steal(PyImport_ImportModule("importlib.util"));
  if (!Util)
    return takePythonError(RunnerError::Load, Context);
  PyRef Spec = PyRef::steal(PyObject_CallMethod(
      Util.get(), "spec_from_file_location", "ss", Name.c_str(), File.c_str()));
  if (!Spec)
    return takePythonError(RunnerError::Load, Context);
  if (Spec.get() == Py_None)
    return makeError(RunnerError::Load,
                     Context + ": not a Python source file (.py)");
  PyRef Module = PyRef::steal(
      PyObject_CallMethod(Util.get(), "module_from_spec", "O", Spec.get()));
  if (!Module)
    return takePythonError(RunnerError::Load, Context);

  // Compiled here, unconfined, rather than by the loader's exec_module,
  // which would look for a bytecode cache: once the module's code runs,
  // nothing may open a file.
  auto Source = MemoryBuffer::getFile(File, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/true);
  if (!Source)
    return makeError(RunnerError::Load,
                     Context + ": " + Source.getError().message());
  PyRef Code = PyRef::steal(Py_CompileStringExFlags(
      (*Source)->getBufferStart(), File.c_str(), Py_file_input, nullptr, -1));
  if (!Code)
    return takePythonError(RunnerError::Load, Context);

  if (Error E = preImport(NotInStdlib, nullptr))
    return std::move(E);
  Expected<PyRef> Builtins = containedBuiltins(Allowed);
  if (!Builtins)
    return Builtins.takeError();
  PyObject *Globals = PyModule_GetDict(Module.get()); // borrowed
  if (PyDict_SetItemString(Globals, "__builtins__", Builtins->get()) != 0)
    return takePythonError(RunnerError::Load, Context);
  // As `import` does: registered before it runs (dataclasses, pickle and
  // typing look their module up in sys.modules).
  PyObject *Modules = PyImport_GetModuleDict();
  if (PyDict_SetItemString(Modules, Name.c_str(), Module.get()) != 0)
    return takePythonError(RunnerError::Load, Context);

  if (Error E = contain(Allowed))
    return std::move(E);
  PyRef Done = PyRef::steal(PyEval_EvalCode(Code.get(), Globals, Globals));
  if (std::optional<std::string> Refused = takeRefusal()) {
    PyErr_Clear();
    return makeError(RunnerError::Refused, *Refused);
  }
  if (!Done) {
    Error E = takePythonError(RunnerError::Load, Context);
    PyDict_DelItemString(Modules, Name.c_str());
    PyErr_Clear();
    return E;
  }

  PyRef F =
      PyRef::steal(PyObject_GetAttrString(Module.get(), Entry.str().c_str()));
  if (!F) {
    PyErr_Clear();
    return makeError(RunnerError::Load,
                     "'" + File + "' has no entry '" + Entry + "'");
  }
  if (!PyCallable_Check(F.get()))
    return makeError(RunnerError::Load, "entry '" + Entry + "' of '" + File +
                                            "' is not callable (a " +
                                            typeNameOf(F.get()) + ")");
  return F;
}
