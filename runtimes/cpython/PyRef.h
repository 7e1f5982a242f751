//===- PyRef.h - An owned reference to a Python object ----------*- C++ -*-===//
//
// Include Python.h (with PY_SSIZE_T_CLEAN) through this header, before any
// system header, as the C API asks.
//
//===----------------------------------------------------------------------===//

#ifndef KC_RUNTIMES_CPYTHON_PYREF_H
#define KC_RUNTIMES_CPYTHON_PYREF_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <utility>

namespace kc {
namespace cpython {

/// Owns one strong reference (or none). Every PyRef must be gone before the
/// interpreter is finalized.
class PyRef {
public:
  PyRef() = default;
  /// Takes over a new reference (a C API result that may be null).
  static PyRef steal(PyObject *O) { return PyRef(O); }
  /// Adds a reference to a borrowed one.
  static PyRef borrow(PyObject *O) {
    Py_XINCREF(O);
    return PyRef(O);
  }
  PyRef(PyRef &&Other) : O(std::exchange(Other.O, nullptr)) {}
  PyRef &operator=(PyRef &&Other) {
    if (this != &Other) {
      Py_XDECREF(O);
      O = std::exchange(Other.O, nullptr);
    }
    return *this;
  }
  PyRef(const PyRef &) = delete;
  PyRef &operator=(const PyRef &) = delete;
  ~PyRef() { Py_XDECREF(O); }

  PyObject *get() const { return O; }
  /// Gives the reference away.
  PyObject *release() { return std::exchange(O, nullptr); }
  explicit operator bool() const { return O != nullptr; }

private:
  explicit PyRef(PyObject *O) : O(O) {}
  PyObject *O = nullptr;
};

} // namespace cpython
} // namespace kc

#endif
