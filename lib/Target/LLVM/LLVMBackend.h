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
#include <string>

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
  /// the KIR it produces; the flag is recorded here for the JS and Python
  /// emitters, which follow the same options.
  bool Checked = false;
  /// Tune and select instructions for the host CPU (clang -march=native).
  /// Off by default: the C references are compiled with plain `clang-19 -O2`,
  /// i.e. the generic x86-64 baseline, and the comparison must be fair.
  bool HostCPU = false;
  /// The dynamic checks a JS or Python engine makes, added to the code (an
  /// EngineCheck mask) so the explain ladder can time what they cost next
  /// to plain -O2. They never fire on a kernel whose values stay in the
  /// language's ranges; where an engine would deoptimize, this code traps.
  unsigned EngineChecks = 0;
  /// A line table (DICompileUnit, a DISubprogram per function, a DILocation
  /// per KIR node): `!dbg` in the IR, `.loc` in the assembly and source
  /// lines on optimization remarks. Line tables only, so the code is the
  /// same as without.
  bool DebugInfo = false;
};

/// The engine checks of CodegenOptions::EngineChecks (docs/explain.md).
enum EngineCheck : unsigned {
  /// Every int add, sub, mul and neg tests the overflow flag of its 64-bit
  /// operation and traps when it is set: the cost of V8's speculative
  /// Smi/Int32 arithmetic (Int32AddWithOverflow + DeoptimizeIf) and of
  /// CPython's "does the result still fit" test on int ops. i32 and u32 ops
  /// wrap by definition and engines compile them (`|0`, `>>>0`, Math.imul,
  /// masks) without such a check, so they get none.
  EngineCheckOverflow = 1u << 0,
  /// Every int read from the heap (array element, record field, map value)
  /// is tested to be a small integer before use, as V8 tests a loaded
  /// value's Smi tag and CPython an operand's type: a compare and a branch
  /// LLVM cannot remove (the test is that the value is within +-2^53).
  EngineCheckTags = 1u << 1,
  /// Every f64 result of arithmetic (+ - * / %, neg, sqrt, floor, abs,
  /// conversions to f64) is written to a fresh 16-byte box (a header word
  /// and the value) bump-allocated in a 64 KiB nursery, as CPython
  /// allocates a float object per result and V8 a HeapNumber per double
  /// that leaves a register.
  EngineCheckBoxing = 1u << 2,
  EngineCheckAll = EngineCheckOverflow | EngineCheckTags | EngineCheckBoxing,
};

/// "overflow,tags,boxing", "all" or "none" to an EngineCheck mask.
llvm::Expected<unsigned> parseEngineChecks(llvm::StringRef List);
/// The mask as parseEngineChecks reads it: "overflow,tags", or "none".
std::string engineChecksName(unsigned Mask);

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
