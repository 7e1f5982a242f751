//===- Remarks.h - LLVM's optimization remarks as structured data -*- C++ -*-===//
//
// While a RemarkCollector is alive, every optimization remark a pass of its
// LLVMContext emits (inlined, vectorized or why not, unrolled, hoisted,
// spilled...) is kept as a Remark: LLVM's own remark machinery, asked for
// everything, with nothing printed. With CodegenOptions::DebugInfo the
// remarks carry kernel source lines.
//
//===----------------------------------------------------------------------===//

#ifndef KC_TARGET_LLVM_REMARKS_H
#define KC_TARGET_LLVM_REMARKS_H

#include "llvm/ADT/StringRef.h"
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class DiagnosticHandler;
class LLVMContext;
class raw_ostream;
} // namespace llvm

namespace kc {
namespace llvmgen {

struct Remark {
  enum KindTy { Passed, Missed, Analysis };
  KindTy Kind = Analysis;
  std::string Pass;      // "loop-vectorize", "inline", "regalloc"...
  std::string Name;      // "Vectorized", "Inlined", "LoopSpillReloadCopies"...
  std::string Function;  // the LLVM function it is about
  unsigned Line = 0, Col = 0;  // 0: no location (no debug info)
  std::string Message;
  /// The remark's arguments in order, e.g. ("VectorizationFactor", "4").
  std::vector<std::pair<std::string, std::string>> Args;

  /// The value of argument \p Key, or "" when it has none.
  llvm::StringRef arg(llvm::StringRef Key) const;
};

llvm::StringRef remarkKindName(Remark::KindTy K);  // passed, missed, analysis

/// "fnv1a.k:7:3: passed loop-unroll/PartialUnrolled in fnv1a: unrolled ...".
void printRemark(const Remark &R, llvm::StringRef File, llvm::raw_ostream &OS);

class RemarkCollector {
public:
  /// Installs itself as \p Ctx's diagnostic handler; the previous one is
  /// restored when the collector is destroyed. Diagnostics that are not
  /// remarks (errors, warnings) go on to LLVM's default handling.
  explicit RemarkCollector(llvm::LLVMContext &Ctx);
  ~RemarkCollector();
  RemarkCollector(const RemarkCollector &) = delete;
  RemarkCollector &operator=(const RemarkCollector &) = delete;

  /// The remarks so far, in the order the passes emitted them.
  const std::vector<Remark> &remarks() const { return Remarks; }

private:
  llvm::LLVMContext &Ctx;
  std::unique_ptr<llvm::DiagnosticHandler> Previous;
  std::vector<Remark> Remarks;
};

} // namespace llvmgen
} // namespace kc

#endif
