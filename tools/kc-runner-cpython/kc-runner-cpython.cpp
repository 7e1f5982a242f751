//===- kc-runner-cpython.cpp - Runs one CPython job (runner protocol) -----===//
//
// Thin main: `kc-runner-cpython JOB.json`; runtimes/cpython does the work.
// Exit code 0, or 2 after an error line.
//
//===----------------------------------------------------------------------===//

#include "runtimes/cpython/CPythonRunner.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  if (argc != 2) {
    llvm::errs() << "usage: kc-runner-cpython JOB.json\n";
    return 2;
  }
  return kc::cpython::runJobOnStdout(argv[1], llvm::errs());
}
