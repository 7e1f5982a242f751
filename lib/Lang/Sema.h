//===- Sema.h - Names, types and lowering of the AST to KIR ------*- C++ -*-===//

#ifndef KC_LANG_SEMA_H
#define KC_LANG_SEMA_H

#include "Lang/AST.h"
#include "Lang/Diagnostics.h"
#include "ir/IR.h"
#include <memory>

namespace kc {

struct SemaOptions {
  /// Checked mode: every int add, sub, mul and neg traps when its result
  /// leaves the safe range +-2^53 (KIR int.check_safe).
  bool Checked = false;
};

/// Checks the file and lowers it to KIR in one pass: names are resolved,
/// every expression is typed, and each operation becomes the KIR op that
/// fixes its semantics. Returns null when any error was reported.
std::unique_ptr<kir::Module> checkAndLower(ast::File &F,
                                           llvm::StringRef ModuleName,
                                           DiagnosticEngine &Diags,
                                           const SemaOptions &Opts = {});

} // namespace kc

#endif
