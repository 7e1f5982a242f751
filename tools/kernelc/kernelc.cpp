//===- kernelc.cpp - The kernel compiler's command line -------------------===//
//
// Thin main: options in, lib/Driver does the work, an exit code out.
//   0 success, 1 bad input or failed compilation, 3 the kernel trapped.
//
//===----------------------------------------------------------------------===//

#include "Driver/Driver.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace kc;

static cl::OptionCategory Cat("kernelc options");

static cl::opt<std::string> Input(cl::Positional, cl::desc("<kernel.k>"),
                                  cl::init("-"), cl::cat(Cat));
static cl::opt<std::string> Output("o", cl::desc("Output file ('-' is stdout)"),
                                   cl::value_desc("file"), cl::init("-"),
                                   cl::cat(Cat));
static cl::opt<driver::EmitKind> Emit(
    "emit", cl::desc("What to produce"), cl::init(driver::EmitKind::LLVM),
    cl::values(clEnumValN(driver::EmitKind::KIR, "kir", "KIR, the kernel IR"),
               clEnumValN(driver::EmitKind::LLVM, "llvm", "LLVM IR"),
               clEnumValN(driver::EmitKind::Asm, "asm", "native assembly"),
               clEnumValN(driver::EmitKind::Obj, "obj", "native object file"),
               clEnumValN(driver::EmitKind::JS, "js", "an ES module"),
               clEnumValN(driver::EmitKind::Py, "py", "a Python module"),
               clEnumValN(driver::EmitKind::Remarks, "remarks",
                          "LLVM's optimization remarks, with source lines")),
    cl::cat(Cat));
static cl::opt<char> OptLevel("O", cl::desc("Optimization level: -O0 .. -O3"),
                              cl::Prefix, cl::ZeroOrMore, cl::init('2'),
                              cl::cat(Cat));
static cl::opt<bool> Checked(
    "checked", cl::desc("Trap when an int leaves the safe range +-2^53"),
    cl::cat(Cat));
static cl::opt<std::string> EngineChecks(
    "engine-checks",
    cl::desc("Add the dynamic checks a JS or Python engine makes: a list of "
             "overflow, tags, boxing, or all (see docs/explain.md)"),
    cl::value_desc("list"), cl::cat(Cat));
static cl::opt<bool> DebugInfo(
    "g", cl::desc("Give the LLVM IR and assembly the kernel's source lines "
                  "(a line table: !dbg, .loc)"),
    cl::cat(Cat));
static cl::opt<bool> HostCPU("host-cpu",
                             cl::desc("Generate code for this machine's CPU "
                                      "(default: the generic x86-64 baseline)"),
                             cl::cat(Cat));
static cl::opt<bool> Run("run", cl::desc("JIT-compile, run the entry kernel "
                                         "on a workload, print the result"),
                         cl::cat(Cat));
static cl::opt<bool> DumpInputs(
    "dump-inputs", cl::desc("Write the workload's generated inputs (.kin)"),
    cl::cat(Cat));
static cl::opt<std::string> Workload("workload",
                                     cl::desc("Workload (default: the first)"),
                                     cl::cat(Cat));
static cl::opt<std::string> Size("size", cl::desc("small, default or large"),
                                 cl::init("default"), cl::cat(Cat));
static cl::opt<unsigned> Repeat(
    "repeat", cl::desc("With --run: call the kernel N times and report the "
                       "time per call on stderr"),
    cl::init(1), cl::cat(Cat));

static int fail(Error E, int Code = 1) {
  handleAllErrors(std::move(E), [](const ErrorInfoBase &EI) {
    WithColor::error(errs(), "kernelc") << EI.message() << "\n";
  });
  return Code;
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(Cat);
  cl::ParseCommandLineOptions(argc, argv, "kernelc: the kernel compiler\n");

  if (OptLevel < '0' || OptLevel > '3')
    return fail(createStringError(inconvertibleErrorCode(),
                                  "invalid optimization level -O%c",
                                  (char)OptLevel));
  auto SizeClass = bench::parseSizeClass(Size);
  if (!SizeClass)
    return fail(createStringError(inconvertibleErrorCode(),
                                  "invalid --size '%s' (small, default, large)",
                                  Size.c_str()));

  auto Checks = llvmgen::parseEngineChecks(EngineChecks);
  if (!Checks)
    return fail(Checks.takeError());

  SemaOptions SemaOpts;
  SemaOpts.Checked = Checked;
  auto M = driver::compileFile(Input, errs(), SemaOpts);
  if (!M)
    return fail(M.takeError());

  llvmgen::CodegenOptions CG;
  CG.OptLevel = OptLevel - '0';
  CG.Checked = Checked;
  CG.HostCPU = HostCPU;
  CG.EngineChecks = *Checks;
  CG.DebugInfo = DebugInfo;

  if (DumpInputs) {
    if (Error E = driver::dumpInputs(**M, Workload, *SizeClass, Output))
      return fail(std::move(E));
    return 0;
  }
  if (Run) {
    driver::RunOptions RO;
    RO.Workload = Workload;
    RO.Size = *SizeClass;
    RO.Repeat = Repeat;
    RO.Codegen = CG;
    auto R = driver::runNative(**M, RO);
    if (!R) {
      std::string Msg = toString(R.takeError());
      WithColor::error(errs(), "kernelc") << Msg << "\n";
      return StringRef(Msg).starts_with("trap:") ? 3 : 1;
    }
    outs() << R->Output << "\n";
    outs().flush();
    if (Repeat.getNumOccurrences())
      errs() << format("kc-time: calls=%u min_ns=%.0f median_ns=%.0f\n",
                       R->Calls, R->MinNs, R->MedianNs);
    return 0;
  }
  if (Error E = driver::emit(**M, Emit, CG, Output))
    return fail(std::move(E));
  return 0;
}
