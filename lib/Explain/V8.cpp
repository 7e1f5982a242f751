//===- V8.cpp - The V8 part of rtcompare explain (placeholder) ------------===//
//
// Placeholder so lib/Explain links while its owner writes the real part.
//
//===----------------------------------------------------------------------===//

#include "Explain/Explain.h"

using namespace llvm;

namespace kc {
namespace explain {

Expected<RuntimeExplanation> explainV8(const Context &, raw_ostream &) {
  return createStringError(inconvertibleErrorCode(),
                           "the V8 explanation is not written yet");
}

} // namespace explain
} // namespace kc
