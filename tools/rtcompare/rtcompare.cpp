//===- rtcompare.cpp - One kernel on native, V8 and CPython ---------------===//
//
// Thin main: `rtcompare run FILE.k...` and `rtcompare sweep FILE.k
// --sizes=...` parse options into a compare::Config, run through
// lib/Compare and write the reports. Exit code 0 when every implementation agreed and completed, 1
// otherwise (a DIVERGED or failed implementation, or a kernel that could not
// run), 2 for bad usage.
//
//===----------------------------------------------------------------------===//

#include "Compare/Compare.h"
#include "Compare/Process.h"
#include "Compare/Sweep.h"
#include "Explain/Explain.h"
#include "Report/ExplainReport.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace kc;

static cl::SubCommand RunCmd("run", "Run kernels on every runtime, check "
                                    "their results agree, and time them");
static cl::SubCommand SweepCmd("sweep",
                               "Time one kernel over a range of input sizes "
                               "on every runtime and fit how cost grows");
static cl::SubCommand ExplainCmd(
    "explain", "Measure a ladder of execution strategies for each kernel "
               "(native -O2 / with engine checks / -O0, V8 TurboFan / Maglev "
               "/ Sparkplug / Ignition, CPython) and explain the gaps from "
               "each runtime's own traces");
static cl::SubCommandGroup Measuring({&RunCmd, &SweepCmd, &ExplainCmd});
static cl::SubCommandGroup RunOrExplain({&RunCmd, &ExplainCmd});
static cl::OptionCategory Cat("rtcompare options");

static cl::list<std::string> Files(cl::Positional, cl::desc("<kernel.k>..."),
                                   cl::OneOrMore, cl::sub(RunCmd), cl::cat(Cat));
static cl::list<std::string> ExplainFiles(cl::Positional,
                                         cl::desc("<kernel.k>..."),
                                         cl::OneOrMore, cl::sub(ExplainCmd),
                                         cl::cat(Cat));
static cl::opt<std::string>
    Parts("parts",
          cl::desc("Runtime parts to explain: native, v8, cpython (default: "
                   "all three)"),
          cl::init("native,v8,cpython"), cl::sub(ExplainCmd), cl::cat(Cat));
static cl::opt<std::string>
    HTMLOut("html",
            cl::desc("Write a self-contained HTML page (one kernel: the "
                     "file; several: a directory with KERNEL.html each)"),
            cl::sub(ExplainCmd), cl::cat(Cat));
static cl::opt<std::string> SweepFile(cl::Positional, cl::desc("<kernel.k>"),
                                      cl::Required, cl::sub(SweepCmd),
                                      cl::cat(Cat));
static cl::opt<std::string>
    Sizes("sizes",
          cl::desc("Comma-separated workload sizes, e.g. 1k,10k,100k,1M"),
          cl::Required, cl::sub(SweepCmd), cl::cat(Cat));
static cl::opt<std::string>
    Runtimes("runtimes",
             cl::desc("Implementations: native, c, v8, v8-system, cpython, "
                      "js, py (default: native,v8,cpython)"),
             cl::init("native,v8,cpython"), cl::sub(Measuring), cl::cat(Cat));
static cl::opt<std::string> Workload("workload", cl::desc("Workload name"),
                                     cl::sub(Measuring), cl::cat(Cat));
static cl::opt<std::string> Size("size", cl::desc("small, default or large"),
                                 cl::init("default"), cl::sub(RunOrExplain),
                                 cl::cat(Cat));
static cl::opt<bool> CheckOnly(
    "check", cl::desc("Only check that the implementations agree; time nothing"),
    cl::sub(RunCmd), cl::cat(Cat));
static cl::opt<unsigned> Processes("processes",
                                   cl::desc("Process executions per "
                                            "implementation (default 5)"),
                                   cl::init(5), cl::sub(Measuring), cl::cat(Cat));
static cl::opt<unsigned> Iterations(
    "iterations", cl::desc("In-process iterations per process (default 20)"),
    cl::init(20), cl::sub(Measuring), cl::cat(Cat));
static cl::opt<double> MinSampleMs(
    "min-sample-ms",
    cl::desc("Least time of one timed sample; tiny kernels are batched up to "
             "it (default 5)"),
    cl::init(5), cl::sub(Measuring), cl::cat(Cat));
static cl::opt<double> ProcessBudget(
    "process-budget-ms",
    cl::desc("Sampled time after which a process execution stops taking "
             "samples, at least 3 (default 2000; 0: take all iterations)"),
    cl::init(2000), cl::sub(Measuring), cl::cat(Cat));
static cl::opt<double> TimeBudget(
    "time-budget", cl::desc("Seconds per kernel after which no new process "
                            "executions start (0: none)"),
    cl::init(0), cl::sub(Measuring), cl::cat(Cat));
static cl::opt<double> Timeout("timeout",
                               cl::desc("Seconds a runner process may take "
                                        "(default 300)"),
                               cl::init(300), cl::sub(Measuring), cl::cat(Cat));
static cl::opt<unsigned> MemoryLimit("memory-limit-mb",
                                     cl::desc("Data limit of a runner process "
                                              "in MiB (default 8192)"),
                                     cl::init(8192), cl::sub(Measuring),
                                     cl::cat(Cat));
static cl::opt<std::string> WorkDir("work-dir",
                                    cl::desc("Where generated modules, inputs "
                                             "and logs go"),
                                    cl::sub(Measuring), cl::cat(Cat));
static cl::opt<std::string> JSONOut("json",
                                    cl::desc("Write Google Benchmark JSON"),
                                    cl::sub(Measuring), cl::cat(Cat));
static cl::opt<std::string> CSVOut("csv", cl::desc("Write CSV"),
                                   cl::sub(Measuring), cl::cat(Cat));
static cl::opt<std::string> Results(
    "results", cl::desc("Append one JSON line per process execution"),
    cl::sub(Measuring), cl::cat(Cat));
static cl::opt<std::string> References(
    "references", cl::desc("Directory of the hand-written references "
                           "(c/, js/, py/)"),
    cl::sub(Measuring), cl::cat(Cat));
static cl::opt<bool> Resume(
    "resume",
    cl::desc("Continue the run recorded in --results: completed checks and "
             "process executions are reused, not run again"),
    cl::sub(RunCmd), cl::cat(Cat));
static cl::list<std::string> NodeFlags("node-flag",
                                       cl::desc("A flag for node (repeatable)"),
                                       cl::sub(Measuring), cl::cat(Cat));
static cl::list<std::string> ModuleFor(
    "module", cl::desc("IMPL=PATH: run PATH as implementation IMPL instead of "
                       "the default module"),
    cl::sub(Measuring), cl::cat(Cat));

static cl::list<std::string> AllowImport(
    "allow-import",
    cl::desc("IMPL=MOD[,MOD...]: let implementation IMPL (v8, v8-system, js, "
             "cpython, py) import these modules too (repeatable)"),
    cl::sub(Measuring), cl::cat(Cat));

static int usage(const Twine &Msg) {
  WithColor::error(errs(), "rtcompare") << Msg << "\n";
  return 2;
}

static bool writeReport(StringRef Path,
                        function_ref<void(raw_ostream &)> Write) {
  std::error_code EC;
  ToolOutputFile Out(Path, EC, sys::fs::OF_Text);
  if (EC) {
    WithColor::error(errs(), "rtcompare")
        << "cannot write '" << Path << "': " << EC.message() << "\n";
    return false;
  }
  Write(Out.os());
  Out.keep();
  return true;
}

/// The options run and sweep share, as a Config; an error is bad usage.
static Expected<compare::Config> configFromOptions(StringRef ToolDir) {
  compare::Config Cfg = compare::defaultConfig(ToolDir);
  auto Impls = compare::parseImplList(Runtimes);
  if (!Impls)
    return Impls.takeError();
  Cfg.Impls = *Impls;
  Cfg.Workload = Workload;
  if (Processes == 0 || Iterations == 0)
    return createStringError(inconvertibleErrorCode(),
                             "--processes and --iterations must be at least 1");
  Cfg.Processes = Processes;
  Cfg.Iterations = Iterations;
  Cfg.MinSampleNs = static_cast<uint64_t>(MinSampleMs * 1e6);
  Cfg.TimeBudgetSec = TimeBudget;
  Cfg.ProcessBudgetNs = static_cast<uint64_t>(ProcessBudget * 1e6);
  Cfg.TimeoutSec = Timeout;
  Cfg.MemoryLimitMB = MemoryLimit;
  if (!WorkDir.empty())
    Cfg.WorkDir = WorkDir;
  if (!References.empty())
    Cfg.ReferenceDir = References;
  for (const std::string &F : NodeFlags)
    if (compare::liftsContainment(F))
      return createStringError(inconvertibleErrorCode(),
                               "--node-flag=" + F +
                                   " would lift the containment of JS kernels "
                                   "(docs/runner-protocol.md)");
  Cfg.NodeFlags.assign(NodeFlags.begin(), NodeFlags.end());
  Cfg.ResultsPath = Results;
  for (const std::string &M : ModuleFor) {
    auto [Name, Path] = StringRef(M).split('=');
    auto K = compare::parseImplList(Name);
    if (!K || K->size() != 1 || Path.empty()) {
      if (!K)
        consumeError(K.takeError());
      return createStringError(inconvertibleErrorCode(),
                               "--module takes IMPL=PATH, got '" + M + "'");
    }
    Cfg.ModuleOverrides.emplace_back(K->front(), Path.str());
  }
  for (const std::string &A : AllowImport)
    if (Error E = compare::addAllowedImports(A, Cfg))
      return E;
  return Cfg;
}

/// Explain's measuring defaults differ from run's: it times up to eight
/// rungs per kernel, so fewer, shorter process executions, unless asked.
static void applyExplainDefaults(compare::Config &Cfg) {
  if (!Processes.getNumOccurrences())
    Cfg.Processes = 3;
  if (!Iterations.getNumOccurrences())
    Cfg.Iterations = 10;
  if (!ProcessBudget.getNumOccurrences())
    Cfg.ProcessBudgetNs = 500000000;
}

static int runExplain(compare::Config Cfg) {
  auto PartList = explain::parsePartList(Parts);
  if (!PartList)
    return usage("--parts: " + toString(PartList.takeError()));
  auto SizeClass = bench::parseSizeClass(Size);
  if (!SizeClass)
    return usage("invalid --size '" + Size + "' (small, default, large)");
  Cfg.Size = *SizeClass;
  applyExplainDefaults(Cfg);
  explain::Options Opts;
  Opts.Parts = *PartList;
  bool ManyPages = ExplainFiles.size() > 1;
  if (!HTMLOut.empty() && ManyPages)
    if (std::error_code EC = sys::fs::create_directories(HTMLOut))
      return usage("cannot create '" + HTMLOut + "': " + EC.message());

  std::vector<explain::Explanation> Done;
  bool Ok = true;
  for (const std::string &F : ExplainFiles) {
    auto E = explain::explainKernel(F, Cfg, Opts, errs());
    if (!E) {
      WithColor::error(errs(), "rtcompare")
          << F << ": " << toString(E.takeError()) << "\n";
      Ok = false;
      continue;
    }
    report::printExplanation(*E, outs());
    outs().flush();
    Ok &= E->PartErrors.empty();
    if (!HTMLOut.empty()) {
      SmallString<256> Page(HTMLOut);
      if (ManyPages)
        sys::path::append(Page, E->Ctx.KernelName + ".html");
      Ok &= writeReport(Page, [&](raw_ostream &OS) {
        if (Error Err = report::writeExplanationHTML(*E, Cfg.WebDir, OS)) {
          WithColor::error(errs(), "rtcompare") << toString(std::move(Err))
                                               << "\n";
          Ok = false;
        }
      });
    }
    Done.push_back(std::move(*E));
  }
  if (!JSONOut.empty())
    Ok &= writeReport(JSONOut, [&](raw_ostream &OS) {
      report::writeExplanationJSON(Done, OS);
    });
  return Ok ? 0 : 1;
}

static int runSweep(const compare::Config &Cfg) {
  auto SizeList = compare::parseSizeList(Sizes);
  if (!SizeList)
    return usage(toString(SizeList.takeError()));
  auto R = compare::runSweep(SweepFile, Cfg, *SizeList, errs());
  if (!R) {
    WithColor::error(errs(), "rtcompare")
        << SweepFile << ": " << toString(R.takeError()) << "\n";
    return 1;
  }
  compare::printSweep(*R, outs());
  bool Ok = R->ok();
  if (!JSONOut.empty())
    Ok &= writeReport(JSONOut, [&](raw_ostream &OS) {
      compare::writeSweepJSON(*R, OS);
    });
  if (!CSVOut.empty())
    Ok &= writeReport(CSVOut,
                      [&](raw_ostream &OS) { compare::writeSweepCSV(*R, OS); });
  return Ok ? 0 : 1;
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(Cat);
  cl::ParseCommandLineOptions(argc, argv,
                              "rtcompare: one kernel on native, V8 and "
                              "CPython\n");
  if (!RunCmd && !SweepCmd && !ExplainCmd) {
    cl::PrintHelpMessage();
    return 2;
  }
  std::string Self = sys::fs::getMainExecutable(argv[0], (void *)&usage);
  auto Configured = configFromOptions(sys::path::parent_path(Self));
  if (!Configured)
    return usage(toString(Configured.takeError()));
  compare::Config Cfg = std::move(*Configured);
  if (SweepCmd)
    return runSweep(Cfg);
  if (ExplainCmd)
    return runExplain(std::move(Cfg));

  auto SizeClass = bench::parseSizeClass(Size);
  if (!SizeClass)
    return usage("invalid --size '" + Size + "' (small, default, large)");
  Cfg.Size = *SizeClass;
  Cfg.CheckOnly = CheckOnly;
  if (Resume && Results.empty())
    return usage("--resume needs --results=FILE, the run to continue");
  Cfg.Resume = Resume;
  if (!Results.empty()) {
    // A run killed mid-write leaves a cut-off last line; appending after it
    // would glue the next record onto it.
    auto Dropped = compare::repairResultsFile(Results);
    if (!Dropped)
      return usage(toString(Dropped.takeError()));
    if (*Dropped)
      errs() << "rtcompare: dropped a cut-off last line (" << *Dropped
             << " bytes) of '" << Results << "'\n";
  }

  std::vector<compare::KernelResult> Done;
  bool Ok = true;
  for (const std::string &F : Files) {
    auto R = compare::runKernel(F, Cfg, errs());
    if (!R) {
      WithColor::error(errs(), "rtcompare")
          << F << ": " << toString(R.takeError()) << "\n";
      Ok = false;
      continue;
    }
    Ok &= !R->anyFailed();
    Done.push_back(std::move(*R));
  }
  compare::printTable(Done, outs());
  if (!JSONOut.empty())
    Ok &= writeReport(JSONOut, [&](raw_ostream &OS) {
      compare::writeBenchmarkJSON(Done, OS);
    });
  if (!CSVOut.empty())
    Ok &= writeReport(CSVOut,
                      [&](raw_ostream &OS) { compare::writeCSV(Done, OS); });
  return Ok ? 0 : 1;
}
