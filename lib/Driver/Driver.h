//===- Driver.h - What kernelc does, as a library ----------------*- C++ -*-===//
//
// The kernelc tool is a thin main over these functions, so tests, fuzzers
// and benchmarks reach every phase without spawning a process.
//
//===----------------------------------------------------------------------===//

#ifndef KC_DRIVER_DRIVER_H
#define KC_DRIVER_DRIVER_H

#include "Bench/Protocol.h"
#include "Bench/Workload.h"
#include "Lang/AST.h"
#include "Lang/Sema.h"
#include "Target/LLVM/LLVMBackend.h"
#include "ir/IR.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <string>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace driver {

/// Parses, checks and lowers a kernel file to verified KIR. Diagnostics are
/// printed to \p Errs; the result is an error whose message counts them.
llvm::Expected<std::unique_ptr<kir::Module>>
compileSource(std::unique_ptr<llvm::MemoryBuffer> Buffer, llvm::raw_ostream &Errs,
              const SemaOptions &Opts = {});

/// Reads a file (or stdin for "-") and compiles it.
llvm::Expected<std::unique_ptr<kir::Module>>
compileFile(llvm::StringRef Path, llvm::raw_ostream &Errs,
            const SemaOptions &Opts = {});

/// Remarks: LLVM's optimization remarks of the -O pipeline and of code
/// generation, one line each with its kernel source line.
enum class EmitKind { KIR, LLVM, Asm, Obj, JS, Py, Remarks };

/// Writes the module as KIR, LLVM IR, assembly or an object file to \p Out
/// ("-" is stdout) atomically: a failed run leaves no half-written file.
llvm::Error emit(const kir::Module &M, EmitKind Kind,
                 const llvmgen::CodegenOptions &Opts, llvm::StringRef Out);

/// The workload named \p Name (empty: the first) of the module's bench.
llvm::Expected<const bench::WorkloadSpec *>
findWorkload(const kir::Module &M, llvm::StringRef Name);

struct RunOptions {
  std::string Workload;  // empty: the first
  bench::SizeClass Size = bench::SizeClass::Default;
  unsigned Repeat = 1;     // calls; timing is reported when > 1 or Time
  bool Time = false;
  llvmgen::CodegenOptions Codegen;
};

struct RunResult {
  std::string Output;  // the canonical text of the result
  unsigned Calls = 0;
  double MinNs = 0, MedianNs = 0;
};

/// JIT-compiles the module, generates the workload's inputs, calls the entry
/// (Repeat times) and formats the result. A trap is an error naming the
/// trap and the source line.
llvm::Expected<RunResult> runNative(const kir::Module &M,
                                    const RunOptions &Opts);

/// Fills \p J's entry, parameter and result type spellings, and the records
/// a runner may have to build or print: those the entry's parameters and
/// result hold (Sema keeps ?R out of them, so a runner never meets a
/// nullable type). docs/runner-protocol.md, the job.
void setJobSignature(const kir::Function &Entry, bench::Job &J);

/// Writes the generated inputs of a workload as a .kin file.
llvm::Error dumpInputs(const kir::Module &M, llvm::StringRef Workload,
                       bench::SizeClass Size, llvm::StringRef Out);

} // namespace driver
} // namespace kc

#endif
