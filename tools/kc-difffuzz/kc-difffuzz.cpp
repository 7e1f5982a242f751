//===- kc-difffuzz.cpp - The differential fuzzer's command line -----------===//
//
// Thin main over lib/Fuzz (docs/fuzzing.md, "Differential fuzzing"):
//   gen     print the kernel of a seed (or check many against the front-end)
//   run     a campaign: generate, run on native, V8 and CPython, compare
//   check   run kernel files on the three runtimes and compare
//   reduce  shrink a diverging kernel while it keeps diverging
//   worker  (internal) run a batch on one runtime, for `run` and `check`
// Exit codes: 0 success, 1 bad input or an unexplained divergence.
//
//===----------------------------------------------------------------------===//

#include "Driver/Driver.h"
#include "Fuzz/Campaign.h"
#include "Fuzz/Coverage.h"
#include "Fuzz/KernelGen.h"
#include "Fuzz/Reduce.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#ifdef KC_DIFFFUZZ_CPYTHON
#include "Fuzz/CPythonWorker.h"
#endif

using namespace llvm;
using namespace kc;
using namespace kc::fuzz;

static cl::OptionCategory Cat("kc-difffuzz options");

static cl::SubCommand GenCmd("gen", "Print the kernel generated from a seed; "
                                    "with --count, check that many against "
                                    "the front-end and print the coverage");
static cl::SubCommand RunCmd("run", "Generate kernels, run each on native, "
                                    "V8 and CPython, compare the outcomes");
static cl::SubCommand CheckCmd("check", "Run kernel files on native, V8 and "
                                        "CPython and compare the outcomes");
static cl::SubCommand ReduceCmd("reduce", "Shrink a diverging kernel while "
                                          "its divergence persists");
static cl::SubCommand WorkerCmd("worker", "(internal) run a batch of kernels "
                                          "on one runtime");

static cl::opt<uint64_t> Seed("seed", cl::desc("First seed (default 1)"),
                              cl::init(1), cl::sub(GenCmd), cl::sub(RunCmd),
                              cl::sub(WorkerCmd), cl::cat(Cat));
static cl::opt<unsigned> Count("count", cl::desc("Number of kernels"),
                               cl::init(0), cl::sub(GenCmd), cl::sub(RunCmd),
                               cl::sub(WorkerCmd), cl::cat(Cat));
static cl::opt<std::string>
    CheckedMode("checked",
                cl::desc("Checked mode of generated kernels: auto (the seed "
                         "chooses), on, off"),
                cl::init("auto"), cl::sub(GenCmd), cl::sub(RunCmd),
                cl::sub(WorkerCmd), cl::cat(Cat));
static cl::opt<unsigned>
    RawPercent("raw-percent",
               cl::desc("Percent of operations in their unguarded form, "
                        "which may trap (default 2)"),
               cl::init(2), cl::sub(GenCmd), cl::sub(RunCmd),
               cl::sub(WorkerCmd), cl::cat(Cat));
static cl::opt<bool> ShowCoverage("coverage",
                                  cl::desc("Print the op and type coverage"),
                                  cl::sub(GenCmd), cl::sub(RunCmd),
                                  cl::cat(Cat));
static cl::opt<std::string> Output("o", cl::desc("Output file ('-': stdout)"),
                                   cl::value_desc("file"), cl::init("-"),
                                   cl::sub(GenCmd), cl::sub(ReduceCmd),
                                   cl::cat(Cat));

static cl::opt<unsigned> BatchSize("batch",
                                   cl::desc("Kernels per worker "
                                            "process (default 100)"),
                                   cl::init(100), cl::sub(RunCmd),
                                   cl::cat(Cat));
static cl::opt<double> Timeout("timeout",
                               cl::desc("Seconds one kernel may run on one "
                                        "runtime (default 20)"),
                               cl::init(20), cl::sub(RunCmd), cl::sub(CheckCmd),
                               cl::sub(ReduceCmd), cl::cat(Cat));
static cl::opt<std::string>
    Runtimes("runtimes",
             cl::desc("Runtimes to compare (default native,v8,cpython)"),
             cl::init("native,v8,cpython"), cl::sub(RunCmd), cl::sub(CheckCmd),
             cl::sub(ReduceCmd), cl::cat(Cat));
static cl::opt<unsigned> OptLevel("opt",
                                  cl::desc("-O level of the native "
                                           "JIT (default 2)"),
                                  cl::init(2), cl::sub(RunCmd),
                                  cl::sub(CheckCmd), cl::sub(ReduceCmd),
                                  cl::sub(WorkerCmd), cl::cat(Cat));
static cl::opt<std::string> WorkDir("work-dir",
                                    cl::desc("Where batches are compiled and "
                                             "run (default: a temporary "
                                             "directory)"),
                                    cl::sub(RunCmd), cl::sub(CheckCmd),
                                    cl::sub(ReduceCmd), cl::cat(Cat));
static cl::opt<std::string> OutDir("out-dir",
                                   cl::desc("Where divergent kernels are "
                                            "saved"),
                                   cl::sub(RunCmd), cl::cat(Cat));
static cl::opt<bool> Quiet("quiet", cl::desc("No progress lines"),
                           cl::sub(RunCmd), cl::cat(Cat));

static cl::list<std::string> Files(cl::Positional, cl::desc("<kernel.k>..."),
                                   cl::sub(CheckCmd), cl::sub(ReduceCmd),
                                   cl::cat(Cat));
static cl::opt<bool> ForceChecked("force-checked",
                                  cl::desc("Compile in checked mode even "
                                           "without the marker"),
                                  cl::sub(CheckCmd), cl::sub(ReduceCmd),
                                  cl::cat(Cat));
static cl::opt<std::string> Predicate(
    "predicate",
    cl::desc("Instead of the kernel's divergence, keep what this predicate "
             "holds: op:NAME (its KIR holds op NAME), script:PATH (PATH "
             "exits with 0 on the candidate file)"),
    cl::sub(ReduceCmd), cl::cat(Cat));

static cl::list<std::string> WorkerArgs(cl::Positional,
                                        cl::desc("native|cpython BATCH, "
                                                 "or prepare DIR"),
                                        cl::sub(WorkerCmd));
static cl::opt<unsigned> From("from", cl::desc("First job"), cl::init(0),
                              cl::sub(WorkerCmd));

static int fail(const Twine &Msg) {
  WithColor::error(errs(), "kc-difffuzz") << Msg << "\n";
  return 1;
}

static Expected<std::vector<Runtime>> parseRuntimes(StringRef List) {
  std::vector<Runtime> Out;
  SmallVector<StringRef, 4> Parts;
  List.split(Parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef P : Parts) {
    P = P.trim();
    auto It = llvm::find_if(AllRuntimes,
                            [&](Runtime R) { return runtimeName(R) == P; });
    if (It == std::end(AllRuntimes))
      return createStringError(inconvertibleErrorCode(),
                               "unknown runtime '%s' (native, v8, cpython)",
                               P.str().c_str());
    Out.push_back(*It);
  }
  if (Out.empty())
    return createStringError(inconvertibleErrorCode(), "no runtime given");
  return Out;
}

static Expected<std::optional<bool>> parseChecked() {
  if (CheckedMode == "auto")
    return std::optional<bool>();
  if (CheckedMode == "on")
    return std::optional<bool>(true);
  if (CheckedMode == "off")
    return std::optional<bool>(false);
  return createStringError(inconvertibleErrorCode(),
                           "--checked must be auto, on or off");
}

static Expected<RunConfig> runConfig(const char *Argv0) {
  std::string Self =
      sys::fs::getMainExecutable(Argv0, reinterpret_cast<void *>(&fail));
  RunConfig Cfg = defaultRunConfig(Self);
  auto Rs = parseRuntimes(Runtimes);
  if (!Rs)
    return Rs.takeError();
  Cfg.Runtimes = *Rs;
  Cfg.TimeoutSec = Timeout;
  if (OptLevel > 3)
    return createStringError(inconvertibleErrorCode(),
                             "--opt must be 0, 1, 2 or 3");
  Cfg.OptLevel = OptLevel;
  return Cfg;
}

/// The directory for compiled batches: --work-dir, or a fresh temporary one.
static Expected<std::string> workDir(StringRef Purpose) {
  if (!WorkDir.empty())
    return WorkDir.getValue();
  SmallString<256> Dir;
  if (std::error_code EC =
          sys::fs::createUniqueDirectory("kc-difffuzz-" + Purpose, Dir))
    return createStringError(EC, "cannot create a work directory");
  return std::string(Dir);
}

static int genMain() {
  auto Checked = parseChecked();
  if (!Checked)
    return fail(toString(Checked.takeError()));
  GenOptions G;
  G.Checked = *Checked;
  G.RawPercent = RawPercent;
  if (!Count) {
    G.Seed = Seed;
    GeneratedKernel K = generateKernel(G);
    std::error_code EC;
    ToolOutputFile Out(Output, EC, sys::fs::OF_Text);
    if (EC)
      return fail("cannot open '" + Output + "': " + EC.message());
    Out.os() << K.Source;
    Out.keep();
    return 0;
  }
  // --count: every kernel through the front-end, coverage of what passed.
  Coverage Cov;
  unsigned Rejected = 0;
  for (uint64_t S = Seed; S < Seed + Count; ++S) {
    G.Seed = S;
    GeneratedKernel K = generateKernel(G);
    SemaOptions SO;
    SO.Checked = K.Checked;
    std::string Diags;
    raw_string_ostream DS(Diags);
    auto M =
        driver::compileSource(MemoryBuffer::getMemBufferCopy(
                                  K.Source, "k" + std::to_string(S) + ".k"),
                              DS, SO);
    if (!M) {
      consumeError(M.takeError());
      ++Rejected;
      errs() << "kc-difffuzz: seed " << S << " is rejected:\n" << DS.str();
      continue;
    }
    Cov.add(**M);
  }
  outs() << Count << " kernels from seed " << Seed << ", " << Rejected
         << " rejected by the front-end; ";
  Cov.summary(outs());
  outs() << "\n";
  if (ShowCoverage)
    Cov.print(outs());
  return Rejected ? 1 : 0;
}

static int runMain(const char *Argv0) {
  auto Checked = parseChecked();
  if (!Checked)
    return fail(toString(Checked.takeError()));
  auto Cfg = runConfig(Argv0);
  if (!Cfg)
    return fail(toString(Cfg.takeError()));
  auto Dir = workDir("run");
  if (!Dir)
    return fail(toString(Dir.takeError()));
  CampaignOptions O;
  O.Seed = Seed;
  O.Count = Count.getNumOccurrences() ? Count : 100;
  O.BatchSize = BatchSize;
  O.Gen.Checked = *Checked;
  O.Gen.RawPercent = RawPercent;
  O.Run = *Cfg;
  O.WorkDir = *Dir;
  O.OutDir = OutDir;
  O.Progress = !Quiet;
  auto S = runCampaign(O, errs());
  if (WorkDir.empty())
    sys::fs::remove_directories(*Dir);
  if (!S)
    return fail(toString(S.takeError()));
  printStats(*S, O, outs());
  if (ShowCoverage)
    S->Cov.print(outs());
  return S->Diverged || S->Invalid ? 1 : 0;
}

static Expected<std::string> readSource(StringRef Path) {
  auto Buf = MemoryBuffer::getFileOrSTDIN(Path, /*IsText=*/true);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read '%s': %s",
                             Path.str().c_str(),
                             Buf.getError().message().c_str());
  return (*Buf)->getBuffer().str();
}

static int checkMain(const char *Argv0) {
  if (Files.empty())
    return fail("no kernel file given");
  auto Cfg = runConfig(Argv0);
  if (!Cfg)
    return fail(toString(Cfg.takeError()));
  auto Dir = workDir("check");
  if (!Dir)
    return fail(toString(Dir.takeError()));
  int RC = 0;
  for (const std::string &F : Files) {
    auto Src = readSource(F);
    if (!Src) {
      RC = fail(toString(Src.takeError()));
      continue;
    }
    std::string Stem = sys::path::stem(F).str();
    auto R = checkSource(*Src, Stem, *Cfg, *Dir, ForceChecked);
    if (!R) {
      RC = fail(F + ": " + toString(R.takeError()));
      continue;
    }
    for (size_t I = 0; I < std::size(AllRuntimes); ++I)
      if (R->Outcomes[I].K != Outcome::Missing)
        outs() << F << ": " << runtimeName(AllRuntimes[I]) << ": "
               << R->Outcomes[I].str() << "\n";
    bool Diverged = R->V.K == Verdict::Diverged;
    outs() << F << ": "
           << (Diverged ? "DIVERGED (" + R->V.Signature + ")"
               : R->V.K == Verdict::Explained ? "explained: " + R->V.Rule
                                              : std::string("agree"))
           << "\n";
    if (Diverged)
      RC = 1;
  }
  if (WorkDir.empty())
    sys::fs::remove_directories(*Dir);
  return RC;
}

static int reduceMain(const char *Argv0) {
  if (Files.size() != 1)
    return fail("reduce takes one kernel file");
  auto Src = readSource(Files[0]);
  if (!Src)
    return fail(toString(Src.takeError()));
  auto Cfg = runConfig(Argv0);
  if (!Cfg)
    return fail(toString(Cfg.takeError()));
  auto Dir = workDir("reduce");
  if (!Dir)
    return fail(toString(Dir.takeError()));
  ReduceOptions RO;
  RO.Checked = ForceChecked || sourceWantsChecked(*Src);
  RO.Log = &errs();
  Expected<InterestingFn> Test =
      Predicate.empty() ? divergencePredicate(*Src, RO.Checked, *Cfg, *Dir)
                        : testPredicate(Predicate, RO.Checked);
  if (!Test)
    return fail(toString(Test.takeError()));
  auto Reduced = reduceKernel(*Src, *Test, RO);
  if (WorkDir.empty())
    sys::fs::remove_directories(*Dir);
  if (!Reduced)
    return fail(toString(Reduced.takeError()));
  std::error_code EC;
  ToolOutputFile Out(Output, EC, sys::fs::OF_Text);
  if (EC)
    return fail("cannot open '" + Output + "': " + EC.message());
  Out.os() << *Reduced;
  Out.keep();
  return 0;
}

static int workerMain() {
  if (WorkerArgs.size() != 2)
    return fail("usage: kc-difffuzz worker native|cpython BATCH [--from=N], "
                "or worker prepare DIR --seed=S --count=N [--from=N]");
  if (WorkerArgs[0] == "prepare") {
    auto Checked = parseChecked();
    if (!Checked)
      return fail(toString(Checked.takeError()));
    PrepareOptions P;
    P.Dir = WorkerArgs[1];
    P.Seed = Seed;
    P.Count = Count;
    P.Gen.Checked = *Checked;
    P.Gen.RawPercent = RawPercent;
    P.OptLevel = OptLevel;
    return runPrepareWorker(P, From, outs());
  }
  if (WorkerArgs[0] == "native")
    return runNativeWorker(WorkerArgs[1], From, outs());
#ifdef KC_DIFFFUZZ_CPYTHON
  if (WorkerArgs[0] == "cpython")
    return runCPythonWorker(WorkerArgs[1], From, outs());
#endif
  return fail("no worker for runtime '" + WorkerArgs[0] + "'");
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(Cat);
  cl::ParseCommandLineOptions(
      argc, argv,
      "kc-difffuzz: differential fuzzing of kernelc's three back-ends\n");
  if (GenCmd)
    return genMain();
  if (RunCmd)
    return runMain(argv[0]);
  if (CheckCmd)
    return checkMain(argv[0]);
  if (ReduceCmd)
    return reduceMain(argv[0]);
  if (WorkerCmd)
    return workerMain();
  return fail("a subcommand is needed: gen, run, check or reduce (see --help)");
}
