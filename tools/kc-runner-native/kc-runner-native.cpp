//===- kc-runner-native.cpp - Runs one native job (runner protocol) -------===//

#include "Bench/Protocol.h"
#include "runtimes/native/Runner.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/PrettyStackTrace.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  kc::bench::hideSanitizerEnvironment();
  // A crash here is usually the implementation under test, not LLVM: say so
  // first, since rtcompare reports the first line of stderr.
  llvm::setBugReportMsg("kc-runner-native: the implementation under test "
                        "crashed (signal below)\n");
  if (argc != 2) {
    llvm::errs() << "usage: kc-runner-native JOB.json\n";
    return 2;
  }
  return kc::native::runJob(argv[1], llvm::outs(), llvm::errs());
}
