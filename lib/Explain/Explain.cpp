//===- Explain.cpp - Line up the runtime parts of an explanation ----------===//

#include "Explain/Explain.h"

using namespace llvm;

namespace kc {
namespace explain {

Expected<Explanation> explainKernel(StringRef File, const compare::Config &,
                                    raw_ostream &) {
  return createStringError(inconvertibleErrorCode(),
                           "explain is not written yet: " + File);
}

} // namespace explain
} // namespace kc
