//===- JSBackend.h - KIR to one idiomatic ES module ---------------*- C++ -*-===//

#ifndef KC_TARGET_JS_JSBACKEND_H
#define KC_TARGET_JS_JSBACKEND_H

#include "llvm/Support/Error.h"
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace kir {
class Module;
}
namespace jsgen {

struct JSOptions {
  /// Checked mode: int.check_safe nodes become explicit range checks.
  bool Checked = false;
};

/// Writes \p M as one ES module: every kernel function, records as classes,
/// the entry as a named export, a KernelTrap error class. Deterministic: the
/// same KIR always gives the same text. When \p KernelLines is given, it
/// receives the kernel source line of every line written (index 0 = line 1),
/// 0 where no kernel statement is behind it: what maps V8's source positions
/// back to the kernel (rtcompare explain). The text does not depend on it.
llvm::Error emitModule(const kir::Module &M, llvm::raw_ostream &OS,
                       const JSOptions &Opts = {},
                       std::vector<unsigned> *KernelLines = nullptr);

} // namespace jsgen
} // namespace kc

#endif
