//===- PyBackend.cpp - placeholder until the back-end lands ----------------===//

#include "Target/Python/PyBackend.h"

llvm::Error kc::pygen::emitModule(const kir::Module &, llvm::raw_ostream &,
                               const PyOptions &) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "the Python back-end is not built yet");
}
