//===- JSNames.h - JS identifiers for kernel names ---------------*- C++
//-*-===//
//
// Kernel names are kept as they are, except where JavaScript would read them
// differently: reserved words and the globals the emitted code uses get a
// trailing '_' (class -> class_), and a local that would shadow a name still
// needed in its scope gets a number (x -> x_2). Every choice depends only on
// the order of declarations, so the same KIR always gets the same names.
//
//===----------------------------------------------------------------------===//

#ifndef KC_TARGET_JS_JSNAMES_H
#define KC_TARGET_JS_JSNAMES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <string>
#include <vector>

namespace kc {
namespace jsgen {

/// Reserved words, literals and the globals emitted code refers to (Math,
/// Map, KernelTrap, ...): no kernel name may take one of these.
bool isReservedName(llvm::StringRef Name);
/// Name, or Name + "_" when it is reserved.
std::string sanitizeName(llvm::StringRef Name);

/// Names the declarations of one function so that every reference resolves,
/// in JavaScript's block scoping (let/const, TDZ included), to the same
/// declaration as in the kernel. Record the function's scopes, declarations
/// and uses in program order, then call assign().
class ScopeNamer {
public:
  /// \p Taken holds the module's names (functions, classes, helpers): locals
  /// never take one.
  explicit ScopeNamer(const llvm::StringSet<> &Taken);

  void openScope();
  void closeScope();
  /// Declares an entity in the current scope; the first candidate that does
  /// not conflict wins, then Candidates[0] + "_2", "_3"... A hidden entity
  /// (a loop index the back-end introduces) counts as used throughout its
  /// scope, so nothing nested shadows it.
  unsigned declare(llvm::ArrayRef<std::string> Candidates, bool Hidden = false);
  /// Records a reference to \p Entity from the current scope.
  void use(unsigned Entity);
  void assign();
  const std::string &name(unsigned Entity) const {
    return Entities[Entity].Name;
  }
  /// Every name given to an entity.
  const llvm::StringSet<> &namesInUse() const { return InUse; }

private:
  struct Scope {
    int Parent;
  };
  struct Entity {
    std::vector<std::string> Candidates;
    unsigned Scope;
    bool Hidden;
    std::vector<unsigned> UseScopes;
    std::string Name;
  };
  const llvm::StringSet<> &Taken;
  std::vector<Scope> Scopes;
  std::vector<unsigned> Open;
  std::vector<Entity> Entities;
  llvm::StringSet<> InUse;

  bool within(unsigned Inner, unsigned Outer) const;
  bool conflicts(const std::string &Candidate, unsigned Id) const;
};

} // namespace jsgen
} // namespace kc

#endif
