//===- kc-runner-cpython.cpp - Runs one CPython job (runner protocol) -----===//
//
// Thin main: `kc-runner-cpython JOB.json`; runtimes/cpython does the work,
// inside python3.11 (Launch.h), or, in a sanitizer build, in the libpython
// this executable embeds (python3.11 carries no sanitizer runtime).
// Exit code 0, or 2 after an error line.
//
//===----------------------------------------------------------------------===//

#include "Bench/Protocol.h"
#include "runtimes/cpython/CPythonRunner.h"
#include "runtimes/cpython/Launch.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#if LLVM_ADDRESS_SANITIZER_BUILD
// Debian's libpython has no frame pointers: the fast unwinder stops at its
// first frame, and test/sanitizers/lsan.supp could not name the CPython
// function a leak comes from. The environment's ASAN_OPTIONS still win.
extern "C" const char *__asan_default_options() {
  return "fast_unwind_on_malloc=0";
}
#endif

int main(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  kc::bench::hideSanitizerEnvironment();
  if (argc != 2) {
    llvm::errs() << "usage: kc-runner-cpython JOB.json\n";
    return 2;
  }
#if KC_CPYTHON_EMBEDDED
  return kc::cpython::runJobOnStdout(argv[1], llvm::errs());
#else
  return kc::cpython::execInsidePython(argv[0], argv[1], llvm::errs());
#endif
}
