//===- Launch.cpp - Running the CPython runner inside python3.11 ----------===//

#include "runtimes/cpython/Launch.h"
#include "Bench/Protocol.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <cerrno>
#include <cstring>
#include <unistd.h>

#ifndef KC_PYTHON3_EXECUTABLE
#define KC_PYTHON3_EXECUTABLE "/usr/bin/python3.11"
#endif

using namespace llvm;

namespace {

// Loaded by path, not from sys.path, which -I keeps free of anything the
// job's directory could plant.
constexpr const char *Boot =
    "import sys\n"
    "from importlib.machinery import ExtensionFileLoader\n"
    "from importlib.util import module_from_spec, spec_from_loader\n"
    "loader = ExtensionFileLoader('_kc_runner_cpython', sys.argv[1])\n"
    "runner = module_from_spec(spec_from_loader(loader.name, loader))\n"
    "loader.exec_module(runner)\n"
    "sys.exit(runner.run_job(sys.argv[2]))\n";

constexpr const char *ModuleFile = "_kc_runner_cpython.so";

} // namespace

std::vector<std::string> kc::cpython::insidePythonCommand(StringRef Python,
                                                          StringRef ModulePath,
                                                          StringRef JobPath) {
  return {Python.str(), "-I", "-S", "-B", "-c", Boot, ModulePath.str(),
          JobPath.str()};
}

int kc::cpython::execInsidePython(const char *Argv0, StringRef JobPath,
                                  raw_ostream &Err) {
  std::string Exe = sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&execInsidePython));
  SmallString<256> Module(sys::path::parent_path(Exe));
  sys::path::append(Module, ModuleFile);
  std::vector<std::string> Command =
      insidePythonCommand(KC_PYTHON3_EXECUTABLE, Module, JobPath);
  std::string Problem;
  if (!sys::fs::exists(Module)) {
    Problem = "the runner's extension module " + Module.str().str() +
              " is missing (build the kc_runner_cpython_module target)";
  } else {
    std::vector<char *> Argv;
    for (std::string &A : Command)
      Argv.push_back(A.data());
    Argv.push_back(nullptr);
    Err.flush();
    execv(Argv[0], Argv.data());
    Problem = "cannot run " + Command[0] + ": " + std::strerror(errno);
  }
  bench::ProtocolWriter(outs()).error("load", Problem);
  outs().flush();
  Err << "kc-runner-cpython: " << Problem << "\n";
  return 2;
}
