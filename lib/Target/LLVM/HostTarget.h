//===- HostTarget.h - The host target, for AOT and JIT alike ----*- C++ -*-===//
//
// Private to the LLVM back-end: the one definition of "the host target" that
// both the ahead-of-time TargetMachine and the JIT's TargetMachineBuilder use,
// so JIT'd code and emitted objects are compiled for the same CPU.
//
//===----------------------------------------------------------------------===//

#ifndef KC_TARGET_LLVM_HOSTTARGET_H
#define KC_TARGET_LLVM_HOSTTARGET_H

#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include <string>

namespace kc {
namespace llvmgen {

struct HostTargetConfig {
  std::string Triple;
  std::string CPU;
  std::string Features; // comma-separated "+feat,-feat"; empty: the CPU's own
};

/// The process triple with the generic baseline CPU, or the host CPU and its
/// detected features.
HostTargetConfig getHostTargetConfig(bool UseHostCPU);

/// -O0..-O3 to the code generator's level; anything above 3 is an error.
llvm::Expected<llvm::CodeGenOptLevel> getCodeGenOptLevel(unsigned OptLevel);

} // namespace llvmgen
} // namespace kc

#endif
