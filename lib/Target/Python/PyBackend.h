//===- PyBackend.h - KIR to one idiomatic Python module -----------*- C++ -*-===//

#ifndef KC_TARGET_PYTHON_PYBACKEND_H
#define KC_TARGET_PYTHON_PYBACKEND_H

#include "llvm/Support/Error.h"
#include <cstdint>
#include <vector>

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
  /// Side output, when set: for every line of the module (index 0 = line
  /// 1), the kernel source line its code comes from, 0 for none. The text
  /// is the same either way.
  std::vector<uint32_t> *KernelLines = nullptr;
};

/// Writes \p M as one Python 3.11 module: every kernel function, records as
/// classes with __slots__, a KernelTrap exception class. Deterministic.
llvm::Error emitModule(const kir::Module &M, llvm::raw_ostream &OS,
                       const PyOptions &Opts = {});

} // namespace pygen
} // namespace kc

#endif
