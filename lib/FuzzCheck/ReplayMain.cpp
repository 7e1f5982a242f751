//===- ReplayMain.cpp - A fuzz target's main without libFuzzer ------------===//
//
// In a build without KC_FUZZ the fuzz targets link this main instead of
// libFuzzer's: it runs LLVMFuzzerTestOneInput once on each file named on the
// command line (every file of a directory, in name order), so the checked-in
// corpora and crash inputs replay in any build, as lit tests. Options in
// libFuzzer's -flag=value form are ignored.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int *Argc, char ***Argv);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size);

int main(int Argc, char **Argv) {
  LLVMFuzzerInitialize(&Argc, &Argv);
  std::vector<std::string> Files;
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef Arg = Argv[I];
    if (Arg.starts_with("-"))
      continue;
    if (!llvm::sys::fs::is_directory(Arg)) {
      Files.push_back(Arg.str());
      continue;
    }
    std::vector<std::string> InDir;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(Arg, EC), End; It != End && !EC;
         It.increment(EC))
      if (!llvm::sys::fs::is_directory(It->path()))
        InDir.push_back(It->path());
    if (EC) {
      llvm::errs() << Argv[0] << ": cannot read '" << Arg
                   << "': " << EC.message() << "\n";
      return 1;
    }
    llvm::sort(InDir);
    llvm::append_range(Files, InDir);
  }
  for (const std::string &F : Files) {
    auto Buf = llvm::MemoryBuffer::getFile(F, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
    if (!Buf) {
      llvm::errs() << Argv[0] << ": cannot read '" << F
                   << "': " << Buf.getError().message() << "\n";
      return 1;
    }
    LLVMFuzzerTestOneInput(
        reinterpret_cast<const uint8_t *>((*Buf)->getBufferStart()),
        (*Buf)->getBufferSize());
  }
  llvm::outs() << "replayed " << Files.size() << " inputs\n";
  return 0;
}
