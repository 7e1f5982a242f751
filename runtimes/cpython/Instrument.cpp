//===- Instrument.cpp - Bytecode and opcode counts of a Python module -----===//
//
// The listings come from the interpreter's own dis module (a small helper
// run in the embedded interpreter), so they are exactly what `dis.dis(f,
// adaptive=True)` prints; the counting is C, because a Python-level trace
// function would run ~20 bytecodes of its own per counted one.
//
//===----------------------------------------------------------------------===//

#include "Instrument.h" // Python.h first, as the C API asks

#include "Interpreter.h"
#include "RunnerError.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <opcode.h> // EXTENDED_ARG

using namespace llvm;
using namespace kc::cpython;

namespace {

/// Run in a fresh namespace of the embedded interpreter. The module's code
/// objects are its functions', its classes' methods' (record __init__s) and
/// those nested in them, from the module's file only.
const char *const InspectSource = R"PY(
import dis, json, opcode, types

def _codes(entry):
    code = entry.__code__
    file, module = code.co_filename, entry.__module__
    found, seen = [], set()
    def add(c):
        if id(c) in seen or c.co_filename != file:
            return
        seen.add(id(c))
        found.append(c)
        for k in c.co_consts:
            if isinstance(k, types.CodeType):
                add(k)
    def visit(obj, in_class):
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        if isinstance(obj, types.FunctionType):
            add(obj.__code__)
        elif isinstance(obj, type) and not in_class and obj.__module__ == module:
            for v in vars(obj).values():
                visit(v, True)
    add(code)
    for v in list(entry.__globals__.values()):
        visit(v, False)
    found.sort(key=lambda c: (c.co_firstlineno, c.co_qualname))
    return found

def _listing(c):
    base = list(dis.get_instructions(c))
    adaptive = list(dis.get_instructions(c, adaptive=True))
    if [i.offset for i in base] != [i.offset for i in adaptive]:
        raise RuntimeError(c.co_qualname + ": base and adaptive offsets differ")
    return {"name": c.co_qualname, "first_line": c.co_firstlineno,
            "instructions": [[b.offset, b.positions.lineno or 0, b.opname,
                              a.opname, b.argrepr, b.is_jump_target]
                             for b, a in zip(base, adaptive)]}

def inspect(entry):
    codes = _codes(entry)
    return (codes, entry.__code__.co_filename, list(dis._all_opname),
            json.dumps(opcode._specializations),
            json.dumps([_listing(c) for c in codes]))
)PY";

Expected<json::Value> parseHelperJSON(PyObject *Text, StringRef What) {
  const char *U = PyUnicode_AsUTF8(Text);
  if (!U)
    return takePythonError(RunnerError::Exception, What);
  Expected<json::Value> V = json::parse(U);
  if (!V)
    return makeError(RunnerError::Exception,
                     What + ": " + toString(V.takeError()));
  return V;
}

OpcodeCounter *ActiveCounter = nullptr;

} // namespace

//===----------------------------------------------------------------------===//
// The bytecode
//===----------------------------------------------------------------------===//

Expected<ModuleCode> ModuleCode::inspect(PyObject *Entry) {
  const char *What = "inspecting the module's bytecode";
  if (!PyFunction_Check(Entry))
    return makeError(RunnerError::BadJob,
                     "count_opcodes needs an entry that is a Python function "
                     "(it is a " +
                         typeNameOf(Entry) + ")");
  PyRef Globals = PyRef::steal(PyDict_New());
  if (!Globals || PyDict_SetItemString(Globals.get(), "__builtins__",
                                       PyEval_GetBuiltins()) != 0)
    return takePythonError(RunnerError::Exception, What);
  PyRef Ran = PyRef::steal(
      PyRun_String(InspectSource, Py_file_input, Globals.get(), Globals.get()));
  if (!Ran)
    return takePythonError(RunnerError::Exception, What);
  PyObject *Fn = PyDict_GetItemString(Globals.get(), "inspect"); // borrowed
  PyRef R = PyRef::steal(Fn ? PyObject_CallOneArg(Fn, Entry) : nullptr);
  if (!R || !PyTuple_Check(R.get()) || PyTuple_GET_SIZE(R.get()) != 5)
    return takePythonError(RunnerError::Exception, What);

  ModuleCode M;
  PyObject *Codes = PyTuple_GET_ITEM(R.get(), 0);
  for (Py_ssize_t I = 0, N = PyList_GET_SIZE(Codes); I < N; ++I)
    M.Codes.push_back(PyRef::borrow(PyList_GET_ITEM(Codes, I)));
  M.Filename = PyRef::borrow(PyTuple_GET_ITEM(R.get(), 1));
  PyObject *Names = PyTuple_GET_ITEM(R.get(), 2);
  for (Py_ssize_t I = 0, N = PyList_GET_SIZE(Names); I < N; ++I)
    M.Opnames.push_back(strOf(PyList_GET_ITEM(Names, I)));
  if (M.Opnames.size() != 256)
    return makeError(RunnerError::Exception, Twine(What) + ": dis names " +
                                                 Twine(M.Opnames.size()) +
                                                 " opcodes, not 256");
  auto Families = parseHelperJSON(PyTuple_GET_ITEM(R.get(), 3), What);
  if (!Families)
    return Families.takeError();
  M.Families = std::move(*Families);
  auto Listings = parseHelperJSON(PyTuple_GET_ITEM(R.get(), 4), What);
  if (!Listings)
    return Listings.takeError();
  M.Listings = std::move(*Listings);
  return M;
}

void ModuleCode::write(LineFn Line) const {
  Line("specializations",
       [&](json::OStream &J) { J.attribute("families", Families); });
  const json::Array *All = Listings.getAsArray();
  if (!All)
    return;
  for (size_t I = 0; I < All->size(); ++I) {
    const json::Object *L = (*All)[I].getAsObject();
    if (!L)
      continue;
    Line("bytecode", [&](json::OStream &J) {
      J.attribute("code", int64_t(I));
      J.attribute("name", L->getString("name").value_or(""));
      J.attribute("first_line", L->getInteger("first_line").value_or(0));
      if (const json::Value *Insts = L->get("instructions"))
        J.attribute("instructions", *Insts);
    });
  }
}

//===----------------------------------------------------------------------===//
// Counting
//===----------------------------------------------------------------------===//

OpcodeCounter::OpcodeCounter(const ModuleCode &Module) : Module(Module) {
  for (const PyRef &C : Module.codes())
    add(C.get());
}

OpcodeCounter::~OpcodeCounter() {
  stop();
  for (const auto &KV : Foreign)
    Py_DECREF(KV.first);
}

OpcodeCounter::CodeCounts *OpcodeCounter::add(PyObject *Code) {
  auto *C = reinterpret_cast<PyCodeObject *>(Code);
  CodeCounts CC;
  CC.Code = PyRef::borrow(Code);
  // The base form: co_code of 3.11 is the code with every specialized or
  // quickened instruction put back to its base opcode.
  CC.Bytes = PyRef::steal(PyCode_GetCode(C));
  if (!CC.Bytes) {
    PyErr_Clear();
    return nullptr;
  }
  CC.Name = strOf(C->co_qualname);
  CC.FirstLine = C->co_firstlineno;
  CC.Executed.assign(size_t(PyBytes_GET_SIZE(CC.Bytes.get())) / 2, 0);
  Index[Code] = unsigned(Counts.size());
  Counts.push_back(std::move(CC));
  LastCode = nullptr; // the vector may have moved
  return &Counts.back();
}

void OpcodeCounter::start() {
  if (Installed)
    return;
  ActiveCounter = this;
  PyEval_SetTrace(&OpcodeCounter::trace, nullptr);
  Installed = true;
}

void OpcodeCounter::stop() {
  if (!Installed)
    return;
  PyEval_SetTrace(nullptr, nullptr);
  ActiveCounter = nullptr;
  Installed = false;
}

int OpcodeCounter::trace(PyObject *, PyFrameObject *Frame, int What,
                         PyObject *) {
  OpcodeCounter *C = ActiveCounter;
  if (!C)
    return 0;
  if (What == PyTrace_OPCODE) {
    C->opcode(Frame);
    return 0;
  }
  if (What == PyTrace_CALL)
    return C->enter(Frame);
  return 0;
}

/// A frame starts (or a generator resumes): opcode events for the module's
/// code, no line events for any (they would only cost time).
int OpcodeCounter::enter(PyFrameObject *Frame) {
  PyCodeObject *Code = PyFrame_GetCode(Frame); // new reference
  PyObject *Key = reinterpret_cast<PyObject *>(Code);
  bool Mine = Index.count(Key);
  if (!Mine) {
    auto It = Foreign.find(Key);
    if (It == Foreign.end()) {
      // Code of the module's file not found by inspect (made at run time).
      int Cmp = PyUnicode_Compare(Code->co_filename, Module.filename());
      if (Cmp == -1 && PyErr_Occurred())
        PyErr_Clear();
      Mine = Cmp == 0 && add(Key);
      if (!Mine) {
        // Kept alive, so that its address is never another code's.
        Py_INCREF(Key);
        Foreign[Key] = true;
      }
    }
  }
  Py_DECREF(Code); // the frame holds it
  PyObject *F = reinterpret_cast<PyObject *>(Frame);
  if (PyObject_SetAttrString(F, "f_trace_lines", Py_False) != 0)
    return -1;
  if (Mine && PyObject_SetAttrString(F, "f_trace_opcodes", Py_True) != 0)
    return -1;
  return 0;
}

void OpcodeCounter::opcode(PyFrameObject *Frame) {
  PyCodeObject *Code = PyFrame_GetCode(Frame);
  PyObject *Key = reinterpret_cast<PyObject *>(Code);
  Py_DECREF(Code); // the frame holds it
  if (Key != LastCode) {
    auto It = Index.find(Key);
    if (It == Index.end())
      return;
    LastCode = Key;
    LastCounts = &Counts[It->second];
  }
  int Lasti = PyFrame_GetLasti(Frame); // a byte offset
  std::vector<uint64_t> &Executed = LastCounts->Executed;
  if (Lasti < 0 || size_t(Lasti) / 2 >= Executed.size())
    return;
  const auto *Bytes = reinterpret_cast<const uint8_t *>(
      PyBytes_AS_STRING(LastCounts->Bytes.get()));
  for (size_t Unit = size_t(Lasti) / 2; Unit < Executed.size(); ++Unit) {
    uint8_t Op = Bytes[2 * Unit];
    ++Executed[Unit];
    ++Base[Op];
    ++Adaptive[_Py_OPCODE(_PyCode_CODE(Code)[Unit])];
    ++Total;
    // 3.11 dispatches the instruction after an EXTENDED_ARG without an
    // event of its own: it executes now, and is counted here.
    if (Op != EXTENDED_ARG)
      break;
  }
}

void OpcodeCounter::write(LineFn Line, uint64_t Calls, uint64_t Ns) const {
  const std::vector<std::string> &Names = Module.opnames();
  auto Histogram = [&](json::OStream &J, StringRef Key,
                       const std::array<uint64_t, 256> &H) {
    std::vector<unsigned> Ops;
    for (unsigned Op = 0; Op < 256; ++Op)
      if (H[Op])
        Ops.push_back(Op);
    llvm::sort(Ops, [&](unsigned A, unsigned B) {
      return H[A] != H[B] ? H[A] > H[B] : Names[A] < Names[B];
    });
    J.attributeArray(Key, [&] {
      for (unsigned Op : Ops)
        J.array([&] {
          J.value(Names[Op]);
          J.value(int64_t(H[Op]));
        });
    });
  };
  Line("opcodes", [&](json::OStream &J) {
    J.attribute("calls", int64_t(Calls));
    J.attribute("ns", int64_t(Ns));
    J.attribute("total", int64_t(Total));
    Histogram(J, "base", Base);
    Histogram(J, "adaptive", Adaptive);
    J.attributeArray("codes", [&] {
      for (size_t I = 0; I < Counts.size(); ++I) {
        const CodeCounts &CC = Counts[I];
        if (llvm::all_of(CC.Executed, [](uint64_t N) { return N == 0; }))
          continue;
        J.object([&] {
          J.attribute("code", int64_t(I));
          J.attribute("name", CC.Name);
          J.attribute("first_line", int64_t(CC.FirstLine));
          J.attributeArray("executed", [&] {
            for (size_t U = 0; U < CC.Executed.size(); ++U)
              if (CC.Executed[U])
                J.array([&] {
                  J.value(int64_t(2 * U));
                  J.value(int64_t(CC.Executed[U]));
                });
          });
        });
      }
    });
  });
}
