//===- Marshal.cpp - Inputs to Python, results to text --------------------===//

#include "Marshal.h"
#include "Interpreter.h"
#include "RunnerError.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <cstring>

using namespace llvm;
using namespace kc;
using namespace kc::cpython;

//===----------------------------------------------------------------------===//
// Arguments
//===----------------------------------------------------------------------===//

namespace {

constexpr int64_t SafeIntMax = int64_t(1) << 53;


/// The values an integer type holds; false for non-integer types.
bool integerRange(const TypeSpec &T, int64_t &Min, int64_t &Max) {
  switch (T.K) {
  case TypeSpec::I32:
    Min = INT32_MIN;
    Max = INT32_MAX;
    return true;
  case TypeSpec::U32:
    Min = 0;
    Max = UINT32_MAX;
    return true;
  case TypeSpec::Int:
    Min = -SafeIntMax;
    Max = SafeIntMax;
    return true;
  default:
    return false;
  }
}

Error argError(unsigned I, const Twine &Msg) {
  return makeError(RunnerError::BadJob, "argument " + Twine(I) + ": " + Msg);
}

/// A new list of N objects made by Make(i); untracked (numbers only).
template <typename MakeFn>
Expected<PyRef> makeList(unsigned Arg, size_t N, MakeFn Make) {
  PyRef L = PyRef::steal(PyList_New(Py_ssize_t(N)));
  if (!L)
    return takePythonError(RunnerError::BadJob,
                           "argument " + Twine(Arg) + ": cannot build a list");
  for (size_t J = 0; J < N; ++J) {
    PyObject *E = Make(J);
    if (!E)
      return takePythonError(RunnerError::BadJob, "argument " + Twine(Arg) +
                                                      ": cannot build a list");
    PyList_SET_ITEM(L.get(), Py_ssize_t(J), E);
  }
  PyObject_GC_UnTrack(L.get());
  return L;
}

} // namespace

Expected<std::unique_ptr<CallInputs>>
CallInputs::create(ArrayRef<const TypeSpec *> ParamTypes,
                   ArrayRef<bench::Value> Values) {
  if (ParamTypes.size() != Values.size())
    return makeError(RunnerError::BadJob,
                     "the entry takes " + Twine(ParamTypes.size()) +
                         " argument(s) but the inputs give " +
                         Twine(Values.size()));
  auto In = std::make_unique<CallInputs>();
  for (unsigned I = 0; I < ParamTypes.size(); ++I) {
    const TypeSpec &Ty = *ParamTypes[I];
    const bench::Value &V = Values[I];
    auto Mismatch = [&] {
      return argError(I, "cannot pass " + bench::valueKindName(V) + " as " + Ty.str());
    };
    Param P;
    int64_t Min = 0, Max = 0;
    switch (V.K) {
    case bench::Value::Int:
      if (!integerRange(Ty, Min, Max))
        return Mismatch();
      if (V.I < Min || V.I > Max)
        return argError(I, "value " + Twine(V.I) + " out of range for " +
                               Ty.str());
      P.Object = PyRef::steal(PyLong_FromLongLong(V.I));
      break;
    case bench::Value::F64:
      if (Ty.K != TypeSpec::F64)
        return Mismatch();
      P.Object = PyRef::steal(PyFloat_FromDouble(V.F));
      break;
    case bench::Value::Bool:
      if (Ty.K != TypeSpec::Bool)
        return Mismatch();
      P.Object = PyRef::steal(PyBool_FromLong(V.I != 0));
      break;
    case bench::Value::Bytes:
      if (Ty.K != TypeSpec::Bytes)
        return Mismatch();
      P.Object = PyRef::steal(
          PyBytes_FromStringAndSize(V.Data.data(), Py_ssize_t(V.Data.size())));
      break;
    case bench::Value::Str:
      if (Ty.K != TypeSpec::Str)
        return Mismatch();
      if (!all_of(V.Data, [](char C) { return (unsigned char)C < 128; }))
        return argError(I, "str value is not ASCII");
      P.Object = PyRef::steal(PyUnicode_FromStringAndSize(
          V.Data.data(), Py_ssize_t(V.Data.size())));
      break;
    case bench::Value::IntArray: {
      if (Ty.K != TypeSpec::Array || !integerRange(*Ty.Elem, Min, Max))
        return Mismatch();
      for (size_t J = 0; J < V.Ints.size(); ++J)
        if (V.Ints[J] < Min || V.Ints[J] > Max)
          return argError(I, "element " + Twine(J) + " (" + Twine(V.Ints[J]) +
                                 ") out of range for " + Ty.str());
      Expected<PyRef> L = makeList(I, V.Ints.size(), [&](size_t J) {
        return PyLong_FromLongLong(V.Ints[J]);
      });
      if (!L)
        return L.takeError();
      P.Object = std::move(*L);
      P.Copied = true;
      P.Length = Py_ssize_t(V.Ints.size());
      break;
    }
    case bench::Value::F64Array: {
      if (Ty.K != TypeSpec::Array || Ty.Elem->K != TypeSpec::F64)
        return Mismatch();
      Expected<PyRef> L = makeList(I, V.Floats.size(), [&](size_t J) {
        return PyFloat_FromDouble(V.Floats[J]);
      });
      if (!L)
        return L.takeError();
      P.Object = std::move(*L);
      P.Copied = true;
      P.Length = Py_ssize_t(V.Floats.size());
      break;
    }
    }
    if (!P.Object)
      return takePythonError(RunnerError::BadJob,
                             "argument " + Twine(I) + ": cannot convert");
    In->ElementsPerCall += uint64_t(P.Length);
    In->Params.push_back(std::move(P));
  }
  return In;
}

Error CallInputs::build(uint64_t Calls, std::vector<PyObject *> &Out) const {
  Out.reserve(Out.size() + Calls * Params.size());
  for (uint64_t C = 0; C < Calls; ++C) {
    for (const Param &P : Params) {
      if (!P.Copied) {
        Out.push_back(Py_NewRef(P.Object.get()));
        continue;
      }
      PyObject *L = PyList_GetSlice(P.Object.get(), 0, P.Length);
      if (!L)
        return takePythonError(RunnerError::Exception,
                               "cannot copy the inputs of a batch");
      PyObject_GC_UnTrack(L);
      Out.push_back(L);
    }
  }
  return Error::success();
}

void kc::cpython::releaseArguments(std::vector<PyObject *> &Args) {
  for (PyObject *O : Args)
    Py_DECREF(O);
  Args.clear();
}

//===----------------------------------------------------------------------===//
// Canonical results
//===----------------------------------------------------------------------===//

namespace {

class Formatter {
public:
  Formatter(const TypeTable &Types, raw_ostream &OS) : Types(Types), OS(OS) {}

  Error format(PyObject *O, const TypeSpec &Ty) {
    // Deeper than any kernel's data: a cycle through lists or attributes.
    if (Depth > 256)
      return makeError(RunnerError::Exception,
                       "the result is nested too deeply (a cycle?)",
                       "ValueError");
    ++Depth;
    Error E = formatValue(O, Ty);
    --Depth;
    return E;
  }

private:
  const TypeTable &Types;
  raw_ostream &OS;
  unsigned Depth = 0;

  Error mismatch(PyObject *O, const TypeSpec &Ty) {
    return makeError(RunnerError::Exception,
                     "the result is not of type " + Ty.str() + ": got a " +
                         typeNameOf(O) + " (" + shortRepr(O) + ")",
                     "TypeError");
  }

  static std::string shortRepr(PyObject *O) {
    PyRef R = PyRef::steal(PyObject_Repr(O));
    std::string S = R ? strOf(R.get()) : "?";
    PyErr_Clear();
    if (S.size() > 60)
      S = S.substr(0, 57) + "...";
    return S;
  }

  static bool isInt(PyObject *O) { return PyLong_Check(O) && !PyBool_Check(O); }

  Error formatInteger(PyObject *O, const TypeSpec &Ty) {
    if (!isInt(O))
      return mismatch(O, Ty);
    int Overflow = 0;
    long long V = PyLong_AsLongLongAndOverflow(O, &Overflow);
    bool InRange = !Overflow;
    if (Ty.K == TypeSpec::I32)
      InRange = InRange && V >= INT32_MIN && V <= INT32_MAX;
    if (Ty.K == TypeSpec::U32)
      InRange = InRange && V >= 0 && V <= UINT32_MAX;
    if (Ty.K != TypeSpec::Int && !InRange)
      return makeError(RunnerError::Exception,
                       "the result " + strOf(O) + " is out of range for " +
                           Ty.str(),
                       "ValueError");
    if (Overflow) // an int past 64 bits: Python's exact decimal
      OS << strOf(O);
    else
      OS << V;
    return Error::success();
  }

  Error formatF64(PyObject *O, const TypeSpec &Ty) {
    double D = 0;
    if (PyFloat_Check(O)) {
      D = PyFloat_AS_DOUBLE(O);
    } else if (isInt(O)) {
      // Python's numeric tower: an int is a valid float if a double holds it
      // exactly (a hand-written `return 0`).
      D = PyLong_AsDouble(O);
      PyRef Back = PyRef::steal(PyFloat_FromDouble(D));
      if (PyErr_Occurred() || !Back ||
          PyObject_RichCompareBool(O, Back.get(), Py_EQ) != 1) {
        PyErr_Clear();
        return makeError(RunnerError::Exception,
                         "the result " + strOf(O) + " is not exactly an f64",
                         "ValueError");
      }
    } else {
      return mismatch(O, Ty);
    }
    uint64_t Bits = 0x7ff8000000000000ULL;
    if (!std::isnan(D))
      std::memcpy(&Bits, &D, sizeof(D));
    OS << "f64:" << format_hex_no_prefix(Bits, 16, /*Upper=*/false);
    return Error::success();
  }

  Error formatStr(PyObject *O, const TypeSpec &Ty) {
    if (!PyUnicode_Check(O))
      return mismatch(O, Ty);
    Py_ssize_t N = 0;
    const char *S = PyUnicode_AsUTF8AndSize(O, &N);
    if (!S)
      return takePythonError(RunnerError::Exception,
                             "the result is not valid text");
    OS << '"';
    for (unsigned char C : StringRef(S, size_t(N))) {
      if (C == '"' || C == '\\')
        OS << '\\' << char(C);
      else if (C < 0x20)
        OS << "\\u00" << hexdigit(C >> 4, /*LowerCase=*/true)
           << hexdigit(C & 15, /*LowerCase=*/true);
      else
        OS << char(C);
    }
    OS << '"';
    return Error::success();
  }

  Error formatBytes(PyObject *O, const TypeSpec &Ty) {
    StringRef Data;
    if (PyBytes_Check(O))
      Data = StringRef(PyBytes_AS_STRING(O), size_t(PyBytes_GET_SIZE(O)));
    else if (PyByteArray_Check(O))
      Data =
          StringRef(PyByteArray_AS_STRING(O), size_t(PyByteArray_GET_SIZE(O)));
    else
      return mismatch(O, Ty);
    OS << "b\"" << toHex(Data, /*LowerCase=*/true) << '"';
    return Error::success();
  }

  Error formatArray(PyObject *O, const TypeSpec &Ty) {
    if (!PyList_Check(O) && !PyTuple_Check(O))
      return mismatch(O, Ty);
    OS << '[';
    // Re-read the size: formatting a record may run a property's code.
    for (Py_ssize_t I = 0; I < PySequence_Fast_GET_SIZE(O); ++I) {
      if (I)
        OS << ',';
      PyRef Item = PyRef::borrow(PySequence_Fast_GET_ITEM(O, I));
      if (Error E = format(Item.get(), *Ty.Elem))
        return E;
    }
    OS << ']';
    return Error::success();
  }

  Error formatMap(PyObject *O, const TypeSpec &Ty) {
    if (!PyDict_Check(O))
      return mismatch(O, Ty);
    // A snapshot of the items, in insertion order.
    PyRef Items = PyRef::steal(PyDict_Items(O));
    if (!Items)
      return takePythonError(RunnerError::Exception, "cannot read the result");
    OS << '{';
    for (Py_ssize_t I = 0, N = PyList_GET_SIZE(Items.get()); I < N; ++I) {
      if (I)
        OS << ',';
      PyObject *KV = PyList_GET_ITEM(Items.get(), I);
      if (Error E = format(PyTuple_GET_ITEM(KV, 0), *Ty.Key))
        return E;
      OS << ':';
      if (Error E = format(PyTuple_GET_ITEM(KV, 1), *Ty.Elem))
        return E;
    }
    OS << '}';
    return Error::success();
  }

  Error formatRecord(PyObject *O, const TypeSpec &Ty) {
    const std::vector<FieldSpec> &Fields = Types.fields(Ty);
    // kernelc's class of a record some of whose fields Python cannot spell
    // as attributes (a keyword, __x, __x__) names its attributes, one per
    // field in declaration order, in __kc_fields__.
    PyRef Attrs = PyRef::steal(PyObject_GetAttrString(O, "__kc_fields__"));
    if (!Attrs)
      PyErr_Clear();
    if (Attrs && (!PyTuple_Check(Attrs.get()) ||
                  PyTuple_GET_SIZE(Attrs.get()) != Py_ssize_t(Fields.size())))
      Attrs = PyRef();
    OS << Ty.Name << '{';
    bool First = true;
    for (size_t I = 0; I < Fields.size(); ++I) {
      const FieldSpec &F = Fields[I];
      if (!First)
        OS << ',';
      First = false;
      PyRef V = PyRef::steal(
          Attrs ? PyObject_GetAttr(O, PyTuple_GET_ITEM(Attrs.get(), I))
                : PyObject_GetAttrString(O, F.Name.c_str()));
      if (!V) {
        PyErr_Clear();
        return makeError(RunnerError::Exception,
                         "the result is not of type " + Ty.Name + ": a " +
                             typeNameOf(O) + " has no attribute '" + F.Name +
                             "'",
                         "TypeError");
      }
      OS << F.Name << '=';
      if (Error E = format(V.get(), *F.Ty))
        return E;
    }
    OS << '}';
    return Error::success();
  }

  Error formatValue(PyObject *O, const TypeSpec &Ty) {
    switch (Ty.K) {
    case TypeSpec::Void:
      return O == Py_None ? Error::success() : mismatch(O, Ty);
    case TypeSpec::Bool:
      if (!PyBool_Check(O))
        return mismatch(O, Ty);
      OS << (O == Py_True ? "true" : "false");
      return Error::success();
    case TypeSpec::I32:
    case TypeSpec::U32:
    case TypeSpec::Int:
      return formatInteger(O, Ty);
    case TypeSpec::F64:
      return formatF64(O, Ty);
    case TypeSpec::Str:
      return formatStr(O, Ty);
    case TypeSpec::Bytes:
      return formatBytes(O, Ty);
    case TypeSpec::Array:
      return formatArray(O, Ty);
    case TypeSpec::Map:
      return formatMap(O, Ty);
    case TypeSpec::Record:
      return formatRecord(O, Ty);
    }
    llvm_unreachable("unknown type kind");
  }
};

} // namespace

Error kc::cpython::formatResult(PyObject *O, const TypeSpec &Ty,
                                const TypeTable &Types, std::string &Out) {
  raw_string_ostream OS(Out);
  return Formatter(Types, OS).format(O, Ty);
}
