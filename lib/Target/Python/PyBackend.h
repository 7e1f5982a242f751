//===- PyBackend.h - KIR to one idiomatic Python module -----------*- C++ -*-===//

#ifndef KC_TARGET_PYTHON_PYBACKEND_H
#define KC_TARGET_PYTHON_PYBACKEND_H

#include "llvm/Support/Error.h"

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace kir {
class Module;
}
namespace pygen {

struct PyOptions {
  /// Checked mode: int.check_safe nodes become explicit range checks.
  bool Checked = false;
};

/// Writes \p M as one Python 3.11 module: every kernel function, records as
/// classes with __slots__, a KernelTrap exception class. Deterministic.
llvm::Error emitModule(const kir::Module &M, llvm::raw_ostream &OS,
                       const PyOptions &Opts = {});

} // namespace pygen
} // namespace kc

#endif
