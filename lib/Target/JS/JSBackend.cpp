//===- JSBackend.cpp - placeholder until the back-end lands ----------------===//

#include "Target/JS/JSBackend.h"

llvm::Error kc::jsgen::emitModule(const kir::Module &, llvm::raw_ostream &,
                               const JSOptions &) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "the JS back-end is not built yet");
}
