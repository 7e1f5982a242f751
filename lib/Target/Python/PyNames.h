//===- PyNames.h - Python names for kernel names ------------------*- C++ -*-===//
//
// Kernel names are kept as they are, except where Python would read them
// differently: keywords, the builtins and module-level names the generated
// code itself uses, and two locals of one function whose lifetimes overlap
// (a shadowing declaration). Renaming appends "_", then "_2", "_3"...; it is
// deterministic: it depends only on the order of declarations.
//
//===----------------------------------------------------------------------===//

#ifndef KC_TARGET_PYTHON_PYNAMES_H
#define KC_TARGET_PYTHON_PYNAMES_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <string>

namespace kc {
namespace kir {
class Function;
class Local;
} // namespace kir
namespace pygen {

/// A Python keyword (hard keywords only: `match` and `case` are names), or
/// __debug__, which no Python code may bind either.
bool isPythonKeyword(llvm::StringRef Name);

/// A name that would change meaning as a module-level name or attribute:
/// dunder names (__init__, __name__) and names that Python mangles inside a
/// class body (__x).
bool isSpecialName(llvm::StringRef Name);

/// Python names of one function's locals.
class LocalNames {
public:
  /// Names every local of \p F. \p Reserved holds the module-level and
  /// builtin names the function's code refers to: a local must not shadow
  /// them.
  LocalNames(const kir::Function &F, const llvm::StringSet<> &Reserved);

  const std::string &name(const kir::Local *L) const;
  /// A fresh name for a value the back-end introduces (an alias such as
  /// `append = out.append`): \p Base if free, else Base_2, Base_3...
  std::string fresh(llvm::StringRef Base);

private:
  llvm::DenseMap<const kir::Local *, std::string> Names;
  llvm::StringSet<> Taken; // every name used in the function
  llvm::StringSet<> Reserved;
};

/// First of Base, Base_, Base_2, Base_3... for which \p IsFree holds.
template <typename Pred>
std::string firstFreeName(llvm::StringRef Base, Pred IsFree) {
  std::string Candidate = Base.str();
  if (IsFree(Candidate))
    return Candidate;
  Candidate = Base.str() + "_";
  for (unsigned N = 2; !IsFree(Candidate); ++N)
    Candidate = Base.str() + "_" + std::to_string(N);
  return Candidate;
}

} // namespace pygen
} // namespace kc

#endif
