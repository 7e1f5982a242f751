//===- LLVMBackend.h - KIR to LLVM IR, native code and JIT ------*- C++ -*-===//
//
// The native back-end: lowers a KIR module to LLVM IR with the C ABI of
// runtimes/native/kcrt.h, runs the new pass manager's -O0..-O3 pipeline for
// the host, and emits an object file or assembly, or JIT-compiles the module
// with ORC so its entry can be called in process.
//
// Every entry point reports user-visible failures as llvm::Error; an IR
// verifier failure after lowering is our bug, but it is still returned as an
// Error rather than aborting, so a fuzzer or tool can report it.
//
//===----------------------------------------------------------------------===//

#ifndef KC_TARGET_LLVM_LLVMBACKEND_H
#define KC_TARGET_LLVM_LLVMBACKEND_H

#include "runtimes/native/kcrt.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <memory>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
class raw_pwrite_stream;
namespace orc {
class LLJIT;
} // namespace orc
} // namespace llvm

namespace kc {
namespace kir {
class Module;
} // namespace kir

namespace llvmgen {

struct CodegenOptions {
  /// 0..3, as clang's -O0..-O3: selects both the IR pipeline and the code
  /// generator's optimization level.
  unsigned OptLevel = 2;
  /// Checked mode. The front-end already inserts int.check_safe nodes into
  /// the KIR it produces; the flag is recorded here so a later rung of the
  /// explain ladder can add the dynamic checks a JS/Python engine must do.
  bool Checked = false;
  /// Tune and select instructions for the host CPU (clang -march=native).
  /// Off by default: the C references are compiled with plain `clang-19 -O2`,
  /// i.e. the generic x86-64 baseline, and the comparison must be fair.
  bool HostCPU = false;
};

/// Lowers \p M to LLVM IR for the host target (triple and data layout of
/// createHostTargetMachine(Opts.OptLevel, Opts.HostCPU)). The KIR is checked
/// with kir::verify first; the LLVM module is checked with verifyModule.
llvm::Expected<std::unique_ptr<llvm::Module>>
lowerToLLVM(const kir::Module &M, llvm::LLVMContext &Ctx,
            const CodegenOptions &Opts);

/// Same, for an explicit target: the module gets TM's triple and data layout
/// and every function TM's CPU and features.
llvm::Expected<std::unique_ptr<llvm::Module>>
lowerToLLVM(const kir::Module &M, llvm::LLVMContext &Ctx,
            const CodegenOptions &Opts, llvm::TargetMachine &TM);

/// Runs the standard new-pass-manager pipeline for \p OptLevel (0..3). With a
/// TargetMachine, its target analysis cost-models vectorization for the host
/// and the module gets its triple and data layout if it has none.
llvm::Error optimizeModule(llvm::Module &M, unsigned OptLevel,
                           llvm::TargetMachine *TM);

/// A TargetMachine for the process's triple. The CPU is the generic baseline
/// ("x86-64" on x86-64, as clang-19 -O2 without -march) unless
/// \p UseHostCPU, which selects the host CPU's name and features.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine(unsigned OptLevel, bool UseHostCPU = false);

/// Writes \p M as an object file or as assembly. The module must already
/// carry TM's triple and data layout (lowerToLLVM with TM sets them).
llvm::Error emitObjectOrAssembly(llvm::Module &M, llvm::TargetMachine &TM,
                                 llvm::raw_pwrite_stream &OS, bool Assembly);

/// Registers the native target, its asm printer and parser, once per process.
void initializeNativeTarget();

/// A KIR module compiled in process with ORC LLJIT. Runtime functions resolve
/// to kc_runtime_symbols(); libm and libc symbols (floor, fmod, memset...)
/// resolve in the current process. The compiled code lives as long as this
/// object.
class JITKernel {
public:
  /// Lowers, optimizes (Opts.OptLevel) and compiles \p M.
  static llvm::Expected<std::unique_ptr<JITKernel>>
  create(const kir::Module &M, const CodegenOptions &Opts);

  /// Compiles an LLVM module lowered by lowerToLLVM (optimized again at
  /// Opts.OptLevel for the JIT's target machine).
  static llvm::Expected<std::unique_ptr<JITKernel>>
  create(std::unique_ptr<llvm::LLVMContext> Ctx,
         std::unique_ptr<llvm::Module> Mod, const CodegenOptions &Opts);

  ~JITKernel();
  JITKernel(const JITKernel &) = delete;
  JITKernel &operator=(const JITKernel &) = delete;

  /// The `kc_entry` wrapper of the module's bench entry, for kc_invoke; null
  /// when the module has no entry.
  kc_entry_fn entry() const { return Entry; }

  /// Address of a compiled function by its LLVM name (the entry's source
  /// name, `kc_entry`, or any external function).
  llvm::Expected<void *> lookup(llvm::StringRef Name);

private:
  JITKernel() = default;
  std::unique_ptr<llvm::orc::LLJIT> J;
  kc_entry_fn Entry = nullptr;
};

} // namespace llvmgen
} // namespace kc

#endif
