//===- Verifier.h - Structural and type checks of KIR ------------*- C++ -*-===//

#ifndef KC_IR_VERIFIER_H
#define KC_IR_VERIFIER_H

#include "llvm/Support/Error.h"

namespace kc {
namespace kir {
class Module;

/// Checks every invariant the back-ends rely on: operand counts and types of
/// each op, regions, locals owned by their function, break/continue inside
/// loops, assignments only to mutable locals, calls matching their callee,
/// returns matching the function. A failure is a bug in whoever produced the
/// KIR; the error lists every problem found (up to a limit).
llvm::Error verify(const Module &M);

} // namespace kir
} // namespace kc

#endif
