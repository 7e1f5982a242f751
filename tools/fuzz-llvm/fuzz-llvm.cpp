//===- fuzz-llvm.cpp - libFuzzer target: KIR to verified LLVM IR ----------===//
//
// See lib/FuzzCheck/FuzzTargets.h for what it checks, docs/fuzzing.md for
// how to run it.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck/FuzzTargets.h"
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  kc::fuzz::initialize();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  kc::fuzz::runLLVM(
      llvm::StringRef(reinterpret_cast<const char *>(Data), Size));
  return 0;
}
