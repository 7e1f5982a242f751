//===- CPython.cpp - The CPython part of rtcompare explain (placeholder) ------------===//
//
// Placeholder so lib/Explain links while its owner writes the real part.
//
//===----------------------------------------------------------------------===//

#include "Explain/Explain.h"

using namespace llvm;

namespace kc {
namespace explain {

Expected<RuntimeExplanation> explainCPython(const Context &, raw_ostream &) {
  return createStringError(inconvertibleErrorCode(),
                           "the CPython explanation is not written yet");
}

} // namespace explain
} // namespace kc
