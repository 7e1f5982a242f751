//===- JSBackend.h - KIR to one idiomatic ES module ---------------*- C++ -*-===//

#ifndef KC_TARGET_JS_JSBACKEND_H
#define KC_TARGET_JS_JSBACKEND_H

#include "llvm/Support/Error.h"

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
/// same KIR always gives the same text.
llvm::Error emitModule(const kir::Module &M, llvm::raw_ostream &OS,
                       const JSOptions &Opts = {});

} // namespace jsgen
} // namespace kc

#endif
