//===- Instrument.h - Bytecode and opcode counts ----------------*- C++ -*-===//
//
// The CPython runner's instrumented execution (docs/runner-protocol.md,
// `count_opcodes`): the bytecode of every function of the kernel's module,
// base and adaptive (what CPython 3.11's specializing interpreter made of it
// after the warm-up calls), and the bytecodes traced calls execute, counted
// by a C trace function (PyEval_SetTrace) on PyTrace_OPCODE events.
//
// Under a trace function 3.11 executes every instruction in its base form
// (ceval's DO_TRACING deoptimizes the opcode it dispatches), so tracing
// neither specializes nor despecializes anything: the adaptive form read at
// each event is the one the warm-up left.
//
//===----------------------------------------------------------------------===//

#ifndef KC_RUNTIMES_CPYTHON_INSTRUMENT_H
#define KC_RUNTIMES_CPYTHON_INSTRUMENT_H

#include "PyRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <array>
#include <string>
#include <vector>

namespace kc {
namespace cpython {

/// Writes one protocol line whose attributes the callback fills (after
/// "event").
using LineFn = llvm::function_ref<void(
    llvm::StringRef Event, llvm::function_ref<void(llvm::json::OStream &)>)>;

/// The code objects of the module \p Entry belongs to: every function and
/// method defined in it and the code nested in them (comprehensions), in
/// source order. Index i is the `code` number of the events.
class ModuleCode {
public:
  /// Finds the code objects and disassembles them (dis, base and adaptive).
  static llvm::Expected<ModuleCode> inspect(PyObject *Entry);

  /// The `specializations` line, then one `bytecode` line per code object.
  void write(LineFn Line) const;

  const std::vector<PyRef> &codes() const { return Codes; }
  const std::vector<std::string> &opnames() const { return Opnames; }
  /// The file the module was loaded from (its code's co_filename).
  PyObject *filename() const { return Filename.get(); }

private:
  std::vector<PyRef> Codes;
  std::vector<std::string> Opnames; // dis._all_opname: 256 names
  PyRef Filename;
  llvm::json::Value Families = nullptr; // opcode._specializations
  llvm::json::Value Listings = nullptr; // one object per code object
};

/// Counts the bytecodes executed in the module's frames while installed.
/// One at a time per process (the trace function finds it in a global).
class OpcodeCounter {
public:
  explicit OpcodeCounter(const ModuleCode &Module);
  ~OpcodeCounter();
  OpcodeCounter(const OpcodeCounter &) = delete;
  OpcodeCounter &operator=(const OpcodeCounter &) = delete;

  /// Installs the trace function (PyEval_SetTrace) for this thread.
  void start();
  /// Removes it.
  void stop();

  /// The `opcodes` line for \p Calls traced calls that took \p Ns.
  void write(LineFn Line, uint64_t Calls, uint64_t Ns) const;

private:
  struct CodeCounts {
    PyRef Code;
    PyRef Bytes; // co_code: the base (unspecialized) instructions
    std::string Name;
    int FirstLine = 0;
    std::vector<uint64_t> Executed; // per code unit (offset / 2)
  };
  const ModuleCode &Module;
  std::vector<CodeCounts> Counts;
  llvm::DenseMap<PyObject *, unsigned> Index;
  // Frames of other code seen so far (no opcode events for them).
  llvm::DenseMap<PyObject *, bool> Foreign;
  std::array<uint64_t, 256> Base{}, Adaptive{};
  uint64_t Total = 0;
  bool Installed = false;
  // The last frame's code, to skip the lookup inside one function.
  PyObject *LastCode = nullptr;
  CodeCounts *LastCounts = nullptr;

  CodeCounts *add(PyObject *Code);
  int enter(PyFrameObject *Frame);
  void opcode(PyFrameObject *Frame);
  static int trace(PyObject *, PyFrameObject *Frame, int What, PyObject *);
};

} // namespace cpython
} // namespace kc

#endif
