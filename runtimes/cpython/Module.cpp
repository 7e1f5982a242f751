//===- Module.cpp - The runner as an extension module of python3.11 -------===//
//
// `_kc_runner_cpython.run_job(path)` runs one job inside the interpreter that
// imported it, which the launcher (Launch.h) makes /usr/bin/python3.11 itself:
// the timed kernels then run on the very interpreter build users run, not on
// libpython3.11.so (docs/methodology.md, "Which CPython").
//
//===----------------------------------------------------------------------===//

#include "PyRef.h" // Python.h first, as the C API asks

#include "runtimes/cpython/CPythonRunner.h"
#include "llvm/Support/raw_ostream.h"

namespace {

PyObject *runJob(PyObject *, PyObject *Arg) {
  const char *Path = PyUnicode_AsUTF8(Arg);
  if (!Path)
    return nullptr;
  int Code = kc::cpython::runJobOnStdout(Path, llvm::errs());
  llvm::errs().flush();
  return PyLong_FromLong(Code);
}

PyMethodDef Methods[] = {
    {"run_job", runJob, METH_O,
     "run_job(path) -> exit code: runs one runner-protocol job"},
    {nullptr, nullptr, 0, nullptr}};

PyModuleDef Module = {PyModuleDef_HEAD_INIT,
                      "_kc_runner_cpython",
                      "kc-runner-cpython inside python3.11",
                      -1,
                      Methods,
                      nullptr,
                      nullptr,
                      nullptr,
                      nullptr};

} // namespace

PyMODINIT_FUNC PyInit__kc_runner_cpython() { return PyModule_Create(&Module); }
