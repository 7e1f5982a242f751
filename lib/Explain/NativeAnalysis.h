//===- NativeAnalysis.h - Reading LLVM's assembly and remarks -----*- C++ -*-===//
//
// The text-level half of the native explanation, kept apart from the LLVM
// pipeline so it can be tested on recorded fragments: the x86-64 assembly
// LLVM's AsmPrinter writes with verbose comments (blocks, the loop
// structure of its MachineLoopInfo as "Loop Header: Depth=N" comments, .loc
// source lines), and the loop-level story of a list of optimization
// remarks (vectorized how wide, or why not; unrolled; spills).
//
//===----------------------------------------------------------------------===//

#ifndef KC_EXPLAIN_NATIVEANALYSIS_H
#define KC_EXPLAIN_NATIVEANALYSIS_H

#include "Target/LLVM/Remarks.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kc {
namespace explain {
namespace native {

/// A machine loop as the AsmPrinter's comments describe it.
struct AsmLoop {
  unsigned Header = 0;  // MBB number of the header (.LBB<f>_<n>)
  unsigned Depth = 0;   // 1 for an outermost loop
  std::optional<unsigned> Parent;  // the enclosing loop's header
  bool Innermost = false;
  std::vector<unsigned> Lines;  // indices into AsmFunction::Lines
  unsigned Instructions = 0;
  std::set<unsigned> SourceLines;  // kernel lines of its instructions
};

/// One function of the listing, without assembler directives.
struct AsmFunction {
  std::string Name;
  /// Labels, block and loop comments, instructions (with their trailing
  /// comments, e.g. "# 8-byte Spill").
  std::vector<std::string> Lines;
  /// Per line, the kernel line of the last `.loc` before it (0: none, or a
  /// compiler-made instruction .loc puts at line 0).
  std::vector<unsigned> SourceLines;
  std::vector<bool> IsInstruction;
  std::vector<AsmLoop> Loops;  // in order of their headers in the listing
  unsigned Instructions = 0;

  const AsmLoop *loop(unsigned Header) const;
};

/// Splits AsmPrinter output (AT&T syntax, verbose comments) into functions.
/// Text that is not a function (data sections, directives) is skipped.
std::vector<AsmFunction> parseAsm(llvm::StringRef Asm);

/// The loop of \p F that stands for an IR loop whose instructions come from
/// the kernel lines \p IRLines: among the innermost loops, the one sharing
/// most lines with it (then the deepest, then the largest). None when \p F
/// has no loop.
const AsmLoop *matchLoop(const AsmFunction &F,
                         const std::set<unsigned> &IRLines);

/// What the remarks say about one source loop in one function.
struct LoopStory {
  std::string Function;
  unsigned Line = 0, Col = 0;
  bool SeenByVectorizer = false;  // the loop vectorizer said something
  bool Vectorized = false;
  unsigned Width = 0, Interleave = 0;  // when vectorized (or interleaved only)
  /// LLVM's reason, when it says one; " (line N)" when the instruction it
  /// blames is on another line than the loop.
  std::string NotVectorizedWhy;
  std::string Unrolled;  // "by a factor of 4", "fully (5 iterations)", ""
  unsigned Spills = 0, Reloads = 0;  // from the register allocator
};

/// One LoopStory per (function, line) a loop remark names, in order of
/// first mention.
std::vector<LoopStory> loopStories(llvm::ArrayRef<llvmgen::Remark> Remarks);

/// Calls inlined (callee, caller; one per remark, so per call site), and
/// the callees left as calls with LLVM's reason (the remark's name:
/// NoDefinition for the runtime's functions, TooCostly...).
struct InlineStory {
  std::vector<std::pair<std::string, std::string>> Inlined;
  std::map<std::string, std::string> NotInlined;
};
InlineStory inlineStory(llvm::ArrayRef<llvmgen::Remark> Remarks);

} // namespace native
} // namespace explain
} // namespace kc

#endif
