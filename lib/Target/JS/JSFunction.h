//===- JSFunction.h - One kernel function as a JS function ------*- C++ -*-===//

#ifndef KC_TARGET_JS_JSFUNCTION_H
#define KC_TARGET_JS_JSFUNCTION_H

#include "JSAnalysis.h"
#include "Target/JS/JSBackend.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include <string>
#include <vector>

namespace kc {
namespace jsgen {

/// Module-level helpers the emitted functions may call; each is printed
/// once, and only when used.
enum Helper : unsigned {
  HelperCheckedAdd = 1u << 0,
  HelperCheckedSub = 1u << 1,
  HelperCheckedMul = 1u << 2,
  HelperCheckedInt = 1u << 3,
  HelperParseInt = 1u << 4,
  HelperReplace = 1u << 5,
  HelperStringFromCodes = 1u << 6,
  HelperLoadU32le = 1u << 7,
};

/// What every function's emitter shares.
struct ModuleContext {
  ModuleContext(const kir::Module &M, const JSOptions &Opts)
      : M(M), Opts(Opts), Facts(M) {}
  const kir::Module &M;
  const JSOptions &Opts;
  ModuleFacts Facts;
  llvm::DenseMap<const kir::Function *, std::string> FunctionNames;
  llvm::DenseMap<const kir::RecordDecl *, std::string> ClassNames;
  /// Names taken at module level (functions, classes, helpers).
  llvm::StringSet<> ModuleNames;
  /// Helper bits used so far.
  unsigned UsedHelpers = 0;
};

/// The trap message of a kc_trap kind (runtimes/native/kcrt.h's KC_TRAPS),
/// which is a KernelTrap's `kind`.
const char *trapMessage(int Kind);

/// The text of \p F as a JS function declaration (with `export` when the
/// module exports it under its own name); \p Lines, when given, receives the
/// kernel line of each of its lines.
std::string emitFunction(ModuleContext &MC, const kir::Function &F,
                         std::vector<unsigned> *Lines = nullptr);

} // namespace jsgen
} // namespace kc

#endif
