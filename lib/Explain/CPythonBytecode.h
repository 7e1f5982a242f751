//===- CPythonBytecode.h - CPython's bytecode and its counts ----*- C++ -*-===//
//
// What the CPython runner's instrumented execution reports
// (docs/runner-protocol.md, `count_opcodes`) read back into listings with
// execution counts, and what explain computes from them: the forms CPython
// 3.11's adaptive interpreter gave each instruction, the shares of executed
// bytecodes in each form, the hot loop, the instructions that stayed
// unspecialized and why when the interpreter's rules say so.
//
//===----------------------------------------------------------------------===//

#ifndef KC_EXPLAIN_CPYTHONBYTECODE_H
#define KC_EXPLAIN_CPYTHONBYTECODE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kc {
namespace explain {
namespace py {

/// What the adaptive interpreter made of one instruction.
enum class Form {
  Base,             ///< as compiled (never quickened, or given up on)
  Specialized,      ///< a form for the operand types seen: BINARY_OP_ADD_INT
  Superinstruction, ///< two instructions fused: LOAD_FAST__LOAD_FAST
  Quickened,        ///< a cheaper form that needs no types: JUMP_BACKWARD_QUICK
  Adaptive,         ///< waiting to specialize, or kept after misses: *_ADAPTIVE
};
llvm::StringRef formName(Form F);
/// From the base and adaptive opnames alone (CPython 3.11's naming).
Form classify(llvm::StringRef Base, llvm::StringRef Adaptive);

struct Instruction {
  unsigned Offset = 0;
  unsigned PyLine = 0; ///< 0 when dis gives none
  std::string Base, Adaptive, Arg;
  bool JumpTarget = false;
  uint64_t Executed = 0; ///< in the counted calls
};

struct CodeListing {
  unsigned Code = 0;
  std::string Name;
  unsigned FirstLine = 0;
  std::vector<Instruction> Insts;
  uint64_t executed() const;
  const Instruction *at(unsigned Offset) const;
};

/// One instrumented process execution, parsed.
struct InstrumentedRun {
  std::string Version, Library;
  /// Base opname -> its other forms (opcode._specializations).
  std::map<std::string, std::vector<std::string>> Families;
  std::vector<CodeListing> Codes;
  uint64_t Calls = 0, Total = 0, TracedNs = 0;
  /// Sorted by count, most executed first.
  std::vector<std::pair<std::string, uint64_t>> BaseHistogram,
      AdaptiveHistogram;
  std::optional<std::string> Canonical;
  std::optional<std::string> ErrorKind, ErrorMessage;
  bool Done = false;

  /// Whether 3.11 has a type-specialized form of \p Base at all.
  bool specializable(llvm::StringRef Base) const;
  const CodeListing *code(llvm::StringRef Name) const;
};

/// Parses the runner's stdout of an instrumented execution. A line that is
/// not JSON, an unknown event, or counts for instructions no listing has
/// are errors naming the line.
llvm::Expected<InstrumentedRun> parseInstrumentedOutput(llvm::StringRef Text);

/// Whether 3.11 has a specialized form for \p I (an instruction of \p C):
/// its opcode has one, except a CALL right after a PRECALL specialized for
/// a builtin or a class (3.11 specializes such a call at PRECALL only).
bool canSpecialize(const InstrumentedRun &R, const CodeListing &C,
                   const Instruction &I);

/// Executed bytecodes (or, with \p Static, instructions of the listings)
/// by form; Unspecializable counts base-form instructions 3.11 cannot
/// specialize (FOR_ITER, STORE_FAST...), Missed base or adaptive forms of
/// those it can (a BINARY_OP that stayed BINARY_OP or BINARY_OP_ADAPTIVE).
struct FormCounts {
  uint64_t Total = 0, Specialized = 0, Superinstruction = 0, Quickened = 0,
           Adaptive = 0, Base = 0, Unspecializable = 0, Missed = 0;
  void add(const InstrumentedRun &R, const CodeListing &C, const Instruction &I,
           uint64_t N);
};
FormCounts countForms(const InstrumentedRun &R, const CodeListing &C,
                      bool Static);
FormCounts countForms(const InstrumentedRun &R);

/// A loop of one code object: the instructions from a backward jump's
/// target to the last backward jump to it.
struct Loop {
  unsigned Code = 0;
  unsigned Begin = 0, End = 0; ///< offsets, inclusive
  uint64_t Iterations = 0;     ///< executions of its backward jumps
  uint64_t Executed = 0;       ///< executed instructions inside
  FormCounts Forms;
  unsigned FirstPyLine = 0, LastPyLine = 0;
  /// The loop statement's line: FOR_ITER's for a for loop (the jump
  /// target), the condition's for a while loop (3.11 tests it at the
  /// bottom, in the POP_JUMP_BACKWARD_IF_*).
  unsigned HeaderPyLine = 0;
};
/// Every loop of the listings (backward jumps: JUMP_BACKWARD and 3.11's
/// POP_JUMP_BACKWARD_IF_*), outermost first within a code object.
std::vector<Loop> findLoops(const InstrumentedRun &R);
/// The loop where the most bytecodes execute, descending into a loop nested
/// in it while that one runs at least half of them.
std::optional<Loop> hotLoop(const InstrumentedRun &R);

/// An executed instruction 3.11 can specialize, left unspecialized.
struct Unspecialized {
  unsigned Code = 0;
  const Instruction *Inst = nullptr;
  /// Why, when 3.11's rules make it certain (the operator, the next
  /// instruction); empty otherwise.
  std::string Reason;
};
/// Most executed first.
std::vector<Unspecialized> unspecialized(const InstrumentedRun &R);

/// A dis-like listing of \p C, one line per instruction (after a header
/// line): Python line, offset, opname (the adaptive one with \p Adaptive),
/// argument, executions per call and, adaptive, the form. Lines[i] is the
/// Python line of listing line i (0 for the header).
std::string listing(const InstrumentedRun &R, const CodeListing &C,
                    bool Adaptive, std::vector<unsigned> &PyLines);

} // namespace py
} // namespace explain
} // namespace kc

#endif
