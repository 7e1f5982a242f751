//===- EmitterProperties.h - What emitted JS, Python must keep --*- C++ -*-===//
//
// A kernel's names and strings are untrusted text that the JS and Python
// back-ends copy into source code. Two properties say they cannot break out
// of their syntax:
//
// - Strings intact: every string constant of the kernel is the decoded value
//   of one string literal of the output.
// - Names are only names: the output for the kernel as written and the
//   output for the same kernel with every name replaced by a plain one
//   (renameKernelNames) and the module name (a file name, which the header
//   comment or docstring shows) replaced by "plain.k" are the same token
//   sequence up to a one-to-one renaming of identifiers. A name that became
//   a keyword, shadowed a global the code uses, merged with another name or
//   changed the program's shape breaks that correspondence; so does a file
//   name that leaves its comment or docstring.
//
//===----------------------------------------------------------------------===//

#ifndef KC_FUZZCHECK_EMITTERPROPERTIES_H
#define KC_FUZZCHECK_EMITTERPROPERTIES_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <string>
#include <vector>

namespace kc {
namespace kir {
class Module;
}
namespace fuzz {

enum class Language { JS, Python };

/// Kernel name -> the plain name that replaced it.
using NameMap = std::map<std::string, std::string>;

/// Renames every function, record, field, parameter and local of \p M (and
/// the bench section's references to them) to a plain name of the same
/// length where one exists ("q..." or one letter): no keyword, builtin or
/// name of the emitted code's own. One kernel name always gets the same
/// plain name.
NameMap renameKernelNames(kir::Module &M);

/// The values of the module's str.const nodes, in program order.
std::vector<std::string> stringConstants(const kir::Module &M);

/// Strings intact (see above) in \p Emitted, a module in language \p L.
llvm::Error checkStringsIntact(Language L, llvm::StringRef Emitted,
                               llvm::ArrayRef<std::string> Strings);

/// Names are only names (see above): \p Orig was emitted from the kernel as
/// written, \p Plain from it renamed by \p Names and named "plain.k".
llvm::Error checkSameUpToRenaming(Language L, llvm::StringRef Orig,
                                  llvm::StringRef Plain, const NameMap &Names);

} // namespace fuzz
} // namespace kc

#endif
