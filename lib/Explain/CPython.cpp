//===- CPython.cpp - The CPython part of rtcompare explain ----------------===//
//
// One rung, "CPython 3.11": kernelc's Python module timed by kc-runner-cpython
// through compare::runKernel. Then one instrumented process execution of the
// same module in the same embedded interpreter (`count_opcodes`,
// docs/runner-protocol.md): a few warm-up calls, the bytecode of every
// function as the adaptive interpreter specialized it, and the bytecodes of
// one traced call counted by opcode and instruction. The module is emitted
// here with the back-end's kernel line of every Python line, so that
// bytecode -> Python line (dis) -> kernel line links the panes.
//
// The traced call runs on the timed workload when its untraced call takes at
// most CountBudgetNs (tracing costs 1.5-4x), else on the small one: per
// kernel operation the figures compare across sizes, and the findings say
// which size was counted. A workload without an operation unit does not
// scale, and is counted on the timed size up to UnscaledCountBudgetNs.
//
//===----------------------------------------------------------------------===//

#include "Compare/Process.h"
#include "Driver/Driver.h"
#include "Explain/CPythonBytecode.h"
#include "Explain/Explain.h"
#include "Target/Python/PyBackend.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cmath>
#include <map>

using namespace llvm;

namespace kc {
namespace explain {

namespace {

/// The longest untraced call counted on the timed workload. A workload
/// without an operation unit cannot be scaled from the small size (fib's
/// calls grow exponentially with n), so it is counted on the timed one up
/// to a larger budget.
constexpr double CountBudgetNs = 100e6, UnscaledCountBudgetNs = 1e9;
/// Above this, a bytecode's average time is mostly the C operation it calls.
constexpr double HeavyBytecodeNs = 15;
/// Warm-up: about this much untraced time, within [MinWarmup, MaxWarmup]
/// calls.
constexpr double WarmupBudgetNs = 200e6;
constexpr uint64_t MinWarmup = 2, MaxWarmup = 50;
/// Panes: the entry and at most this many other functions, each running at
/// least a tenth of the bytecodes.
constexpr size_t MaxHotFunctions = 2;

Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

Error writeFile(StringRef Path, function_ref<Error(raw_ostream &)> Write) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC);
  if (EC)
    return makeError("cannot write '" + Path + "': " + EC.message());
  Error E = Write(OS);
  OS.close();
  if (!E && OS.has_error())
    return makeError("error writing '" + Path + "'");
  return E;
}

std::string pct(uint64_t Part, uint64_t Whole) {
  if (!Whole)
    return "0%";
  if (!Part)
    return "0%";
  double P = 100.0 * double(Part) / double(Whole);
  if (P < 0.1)
    return "<0.1%";
  return formatv("{0}%", format(P < 9.95 ? "%.1f" : "%.0f", P)).str();
}

std::string count(double V);

/// Three significant digits, never an exponent.
std::string num(double V) {
  if (V >= 1000)
    return count(V);
  return formatv("{0}", format("%.3g", V)).str();
}

/// 12.3M, 45.6k, 7890, 78.9.
std::string count(double V) {
  if (V >= 1e6)
    return formatv("{0}M", format("%.3g", V / 1e6)).str();
  if (V >= 1e4)
    return formatv("{0}k", format("%.3g", V / 1e3)).str();
  return formatv("{0}", format(V >= 1000 ? "%.0f" : "%.4g", V)).str();
}

/// "3.11" from "3.11.2".
std::string majorMinor(StringRef Version) {
  SmallVector<StringRef, 3> Parts;
  Version.split(Parts, '.');
  if (Parts.size() < 2)
    return Version.str();
  return (Parts[0] + "." + Parts[1]).str();
}

/// The job of the instrumented execution: the entry's signature as
/// compare::runKernel writes it.
bench::Job jobFor(const kir::Function &Entry) {
  bench::Job J;
  driver::setJobSignature(Entry, J);
  return J;
}

/// Runs the runner on \p JobPath as compare::runKernel runs one: a clean
/// environment, stdout and stderr to files, the same limits.
Expected<std::string> runRunner(const compare::Config &Cfg, StringRef JobPath,
                                double &WallSec) {
  if (Cfg.RunnerCPython.empty() || !sys::fs::can_execute(Cfg.RunnerCPython))
    return makeError("no kc-runner-cpython on this machine");
  std::string Out = (JobPath + ".out").str(), Err = (JobPath + ".err").str();
  compare::ChildSpec S;
  S.Args = {Cfg.RunnerCPython, JobPath.str()};
  S.Env = compare::runnerEnvironment(Cfg.WorkDir);
  S.StdoutPath = Out;
  S.StderrPath = Err;
  S.TimeoutSec = Cfg.TimeoutSec;
  S.MemoryLimitMB = Cfg.MemoryLimitMB;
  compare::addSanitizerSettings(S);
  auto Start = std::chrono::steady_clock::now();
  compare::ChildExit E = compare::runChild(S);
  WallSec =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
          .count();
  if (!E.ran())
    return makeError("cannot start " + Cfg.RunnerCPython + ": " +
                     E.StartError);
  // Exit code 2 comes with an error line, which the parser reports.
  if (E.TimedOut || E.Signal || (E.ExitCode != 0 && E.ExitCode != 2))
    return makeError(
        "kc-runner-cpython " +
        (E.TimedOut ? std::string("timed out")
         : E.Signal ? "killed by " + compare::describeSignal(E.Signal)
                    : "exited with code " + std::to_string(E.ExitCode)) +
        " (log: " + Err + ")");
  auto Buf = MemoryBuffer::getFile(Out);
  if (!Buf)
    return makeError("cannot read '" + Out + "'");
  return (*Buf)->getBuffer().str();
}

/// Letters, digits, '-' and '_' only: pane ids.
std::string idOf(StringRef Name) {
  std::string S;
  for (char C : Name)
    S += isAlnum(C) || C == '_' ? C : '-';
  return S;
}

class CPythonPart {
public:
  CPythonPart(const Context &C, raw_ostream &Progress)
      : C(C), Progress(Progress) {}
  Expected<RuntimeExplanation> run();

private:
  const Context &C;
  raw_ostream &Progress;
  RuntimeExplanation X;
  std::string Dir, Module, ModuleText;
  std::vector<uint32_t> KernelLines; // per Python line, 1-based at index 0
  std::unique_ptr<kir::Module> M;
  const bench::WorkloadSpec *W = nullptr;

  // The timed rung.
  std::string Version;
  double CallNs = 0, CallLowNs = 0; // 0: not measured
  std::optional<double> TimePerBytecode;

  // The instrumented execution.
  int64_t CountSize = 0, CountOps = 1;
  bool CountedTimedSize = false;
  bool Scalable = true; // per-operation counts carry over to other sizes
  uint64_t Warmup = 0;
  double InstrumentedSec = 0;
  py::InstrumentedRun R;

  Error emitModule();
  void timeRung();
  Error countBytecodes();
  void explain();

  unsigned kernelLine(unsigned PyLine) const {
    return PyLine && PyLine <= KernelLines.size() ? KernelLines[PyLine - 1] : 0;
  }
  const py::CodeListing *entryCode() const;
  void addFinding(std::string Text) {
    X.Findings.push_back({"cpython", std::move(Text)});
  }
  void addPanes();
  void addFacts(const py::FormCounts &Forms, const std::optional<py::Loop> &Hot,
                const std::vector<py::Unspecialized> &Missed);
};

Error CPythonPart::emitModule() {
  std::string Diags;
  raw_string_ostream DiagOS(Diags);
  auto Mod = driver::compileFile(C.KernelFile, DiagOS);
  if (!Mod)
    return makeError(DiagOS.str() + toString(Mod.takeError()));
  M = std::move(*Mod);
  auto WS = driver::findWorkload(*M, C.Base.Workload);
  if (!WS)
    return WS.takeError();
  W = *WS;
  SmallString<256> D(C.Base.WorkDir);
  sys::path::append(D, "explain-cpython", C.KernelName);
  Dir = std::string(D);
  if (std::error_code EC = sys::fs::create_directories(Dir))
    return makeError("cannot create '" + Dir + "': " + EC.message());
  // The runner imports it under its stem: the kernel's name, as in rtcompare.
  Module = Dir + "/" + C.KernelName + ".py";
  pygen::PyOptions Opts;
  Opts.KernelLines = &KernelLines;
  raw_string_ostream Text(ModuleText);
  if (Error E = pygen::emitModule(*M, Text, Opts))
    return E;
  return writeFile(Module, [&](raw_ostream &OS) {
    OS << ModuleText;
    return Error::success();
  });
}

void CPythonPart::timeRung() {
  compare::Config Cfg = C.Base;
  Cfg.Impls = {compare::ImplKind::CPython};
  // Exactly the module whose lines the table maps.
  Cfg.ModuleOverrides = {{compare::ImplKind::CPython, Module}};
  Rung Rg;
  Rg.Runtime = "cpython";
  auto KR = compare::runKernel(C.KernelFile, Cfg, Progress);
  if (!KR) {
    Rg.Name = "CPython 3.11";
    Rg.Missing = toString(KR.takeError());
  } else {
    compare::ImplResult &I = KR->Impls.front();
    Version = I.Version;
    Rg.Name = "CPython " + (Version.empty() ? "3.11" : majorMinor(Version));
    if (I.St == compare::Status::Ok && I.TimePerCall) {
      CallNs = I.TimePerCall->Estimate;
      CallLowNs = I.TimePerCall->Low;
    } else
      Rg.Missing = (compare::statusName(I.St) + ": " + I.Message).str();
    Rg.Result = std::move(I);
  }
  Rg.How = "kc-runner-cpython, python " +
           (Version.empty() ? std::string("3.11") : Version) +
           ": kernelc's Python module, specializing adaptive interpreter";
  X.Rungs.push_back(std::move(Rg));
}

Error CPythonPart::countBytecodes() {
  const kir::Function *Entry = M->getEntry();
  int64_t TimedSize = C.Base.ExplicitSize
                          ? *C.Base.ExplicitSize
                          : W->Sizes[static_cast<int>(C.Base.Size)];
  int64_t Small = W->Sizes[static_cast<int>(bench::SizeClass::Small)];
  Scalable = C.OperationUnit != "call";
  CountedTimedSize =
      TimedSize <= Small ||
      (CallNs > 0 &&
       CallNs <= (Scalable ? CountBudgetNs : UnscaledCountBudgetNs));
  CountSize = CountedTimedSize ? TimedSize : Small;
  auto Ops = W->operations(CountSize);
  if (!Ops)
    return Ops.takeError();
  CountOps = std::max<int64_t>(*Ops, 1);
  double CallEstimate =
      CallNs > 0 ? CallNs * double(CountOps) / double(C.Operations) : 50e6;
  Warmup = std::clamp<uint64_t>(uint64_t(WarmupBudgetNs / CallEstimate),
                                MinWarmup, MaxWarmup);

  auto Values = bench::generateWithSize(*W, CountSize);
  if (!Values)
    return Values.takeError();
  std::string Inputs = Dir + "/count.kin";
  if (Error E = writeFile(Inputs, [&](raw_ostream &OS) {
        bench::writeInputs(*Values, OS);
        return Error::success();
      }))
    return E;
  bench::Job J = jobFor(*Entry);
  J.Module = Module;
  J.Inputs = Inputs;
  J.WarmupCalls = Warmup;
  J.CountOpcodes = 1;
  std::string JobPath = Dir + "/count.job.json";
  if (Error E = writeFile(JobPath, [&](raw_ostream &OS) {
        bench::writeJob(J, OS);
        return Error::success();
      }))
    return E;
  Progress << "[" << C.KernelName << "] cpython: counting bytecodes (" << Warmup
           << " warm-up calls, 1 traced call, size " << CountSize << ")\n";
  auto Out = runRunner(C.Base, JobPath, InstrumentedSec);
  if (!Out)
    return Out.takeError();
  auto Parsed = py::parseInstrumentedOutput(*Out);
  if (!Parsed)
    return Parsed.takeError();
  R = std::move(*Parsed);
  if (R.ErrorKind)
    return makeError("the instrumented run failed: " + *R.ErrorKind + ": " +
                     R.ErrorMessage.value_or(""));
  if (!R.Total)
    return makeError("the traced call executed no bytecode of the module");
  return Error::success();
}

const py::CodeListing *CPythonPart::entryCode() const {
  if (const py::CodeListing *E = R.code(C.Entry))
    return E;
  // A kernel name that is a Python keyword gets another def name.
  const py::CodeListing *Best = nullptr;
  for (const py::CodeListing &Code : R.Codes)
    if (!Best || Code.executed() > Best->executed())
      Best = &Code;
  return Best;
}

void CPythonPart::explain() {
  const double Calls = double(R.Calls);
  const double PerCall = double(R.Total) / Calls;
  const double PerOp = PerCall / double(CountOps);
  const std::string &Unit = C.OperationUnit;
  const bool PerCallUnit = Unit == "call";
  std::string SizeText =
      formatv("{0} workload, size {1}",
              CountedTimedSize ? "the timed" : "the small", CountSize)
          .str();
  py::FormCounts Forms = py::countForms(R);

  // How many, and how specialized.
  {
    std::string Rate = PerCallUnit ? count(PerCall) + " bytecodes per call"
                                   : num(PerOp) + " bytecodes per " + Unit +
                                         " (" + count(PerCall) + " per call";
    if (!PerCallUnit)
      Rate += ")";
    addFinding(formatv("CPython executes {0} on {1}, {2} of them specialized "
                       "by the adaptive interpreter ({3} fused into "
                       "superinstructions, {4} quickened without types, {5} "
                       "in a form that can specialize but did not).",
                       Rate, SizeText, pct(Forms.Specialized, Forms.Total),
                       pct(Forms.Superinstruction, Forms.Total),
                       pct(Forms.Quickened, Forms.Total),
                       pct(Forms.Missed, Forms.Total))
                   .str());
  }

  // The opcode mix.
  if (!R.BaseHistogram.empty()) {
    std::string Top;
    for (size_t I = 0; I < std::min<size_t>(3, R.BaseHistogram.size()); ++I)
      Top += (I ? ", " : "") + R.BaseHistogram[I].first + " (" +
             pct(R.BaseHistogram[I].second, R.Total) + ")";
    addFinding(formatv("The top {0} opcodes are {1}, of {2} distinct opcodes "
                       "executed.",
                       std::min<size_t>(3, R.BaseHistogram.size()), Top,
                       R.BaseHistogram.size())
                   .str());
  }

  // Time per bytecode.
  if (CallNs > 0 && !CountedTimedSize && !Scalable) {
    addFinding(formatv("No time per bytecode: a call of the timed workload "
                       "takes {0}, too long to trace, and {1} bytecodes per "
                       "call on the small one do not scale to it (the "
                       "workload has no operation unit).",
                       compare::formatTime(CallNs), count(PerCall))
                   .str());
  } else if (CallNs > 0) {
    double Bytecodes =
        CountedTimedSize ? PerCall : PerOp * double(C.Operations);
    std::string How =
        CountedTimedSize
            ? formatv("{0} per call / {1} bytecodes per call",
                      compare::formatTime(CallNs), count(Bytecodes))
                  .str()
            : formatv("{0} per call / an estimated {1} bytecodes per call, "
                      "{2} per {3} counted on the small workload",
                      compare::formatTime(CallNs), count(Bytecodes), num(PerOp),
                      Unit)
                  .str();
    TimePerBytecode = CallNs / Bytecodes;
    addFinding(formatv("One bytecode costs {0} ns on average ({1}){2}.",
                       num(*TimePerBytecode), How,
                       // Even at the interval's low end: a loaded
                       // machine must not make a dispatch-bound kernel
                       // look C-bound.
                       CallLowNs / Bytecodes > HeavyBytecodeNs
                           ? "; at more than 15 ns, most of the time is "
                             "spent inside the C operations the bytecodes "
                             "call rather than in dispatching them"
                           : "")
                   .str());
  }

  // Where the bytecodes run: the function, then the loop.
  const py::CodeListing *HotCode = nullptr;
  unsigned Running = 0;
  for (const py::CodeListing &Code : R.Codes)
    if (uint64_t N = Code.executed()) {
      ++Running;
      if (!HotCode || N > HotCode->executed())
        HotCode = &Code;
    }
  if (HotCode && Running > 1) {
    // Entries: the first instruction a call executes (RESUME has no event).
    uint64_t Entries = 0;
    for (const py::Instruction &I : HotCode->Insts)
      if (I.Base != "RESUME" && I.Executed) {
        Entries = I.Executed;
        break;
      }
    unsigned DefLine = kernelLine(HotCode->FirstLine);
    std::string Lines = DefLine ? "kernel line " + utostr(DefLine) : "";
    double PerCallEntries = double(Entries) / Calls;
    addFinding(
        formatv(
            "{0}{1} executes {2} of the bytecodes of the {3} "
            "functions that ran, entered {4} per call, {5} "
            "bytecodes per entry.",
            HotCode->Name, Lines.empty() ? "" : " (" + Lines + ")",
            pct(HotCode->executed(), R.Total), Running,
            PerCallEntries == 1 ? std::string("once")
                                : count(PerCallEntries) + " times",
            num(Entries ? double(HotCode->executed()) / double(Entries) : 0))
            .str());
  }
  std::optional<py::Loop> Hot = py::hotLoop(R);
  if (Hot && Hot->Iterations) {
    const py::CodeListing &Code = R.Codes[Hot->Code];
    unsigned Header = kernelLine(Hot->HeaderPyLine);
    std::string Lines = Header ? "kernel line " + utostr(Header) : "";
    addFinding(
        formatv("The hot loop (Python lines {0}-{1} of {2}{3}) runs {4} "
                "bytecodes per iteration, {5} times per call; it executes {6} "
                "of all bytecodes, {7} of its own specialized.",
                Hot->FirstPyLine, Hot->LastPyLine, Code.Name,
                Lines.empty() ? "" : ", " + Lines,
                num(double(Hot->Executed) / double(Hot->Iterations)),
                count(double(Hot->Iterations) / Calls),
                pct(Hot->Executed, R.Total),
                pct(Hot->Forms.Specialized, Hot->Forms.Total))
            .str());
  }

  // What stayed unspecialized, and why when 3.11's rules tell: grouped by
  // opcode (and operator) and reason, most executed first.
  std::vector<py::Unspecialized> Missed = py::unspecialized(R);
  if (!Missed.empty()) {
    struct Group {
      std::string What, Reason;
      unsigned Instructions = 0;
      uint64_t Executed = 0;
      std::vector<unsigned> Lines; // kernel lines, first seen first
    };
    std::vector<Group> Groups;
    uint64_t Executed = 0;
    for (const py::Unspecialized &U : Missed) {
      Executed += U.Inst->Executed;
      std::string What = U.Inst->Base;
      if (U.Inst->Base == "BINARY_OP" || U.Inst->Base == "COMPARE_OP")
        What += " " + U.Inst->Arg;
      auto G = llvm::find_if(Groups, [&](const Group &G) {
        return G.What == What && G.Reason == U.Reason;
      });
      if (G == Groups.end()) {
        Groups.push_back({What, U.Reason});
        G = std::prev(Groups.end());
      }
      ++G->Instructions;
      G->Executed += U.Inst->Executed;
      unsigned K = kernelLine(U.Inst->PyLine);
      if (K && !llvm::is_contained(G->Lines, K))
        G->Lines.push_back(K);
    }
    llvm::stable_sort(Groups, [](const Group &A, const Group &B) {
      return A.Executed > B.Executed;
    });
    std::string List;
    for (size_t I = 0; I < std::min<size_t>(3, Groups.size()); ++I) {
      const Group &G = Groups[I];
      std::string Lines;
      for (size_t L = 0; L < std::min<size_t>(4, G.Lines.size()); ++L)
        Lines += (L ? ", " : "") + utostr(G.Lines[L]);
      if (G.Lines.size() > 4)
        Lines += ", ...";
      List +=
          formatv("{0}{1} x{2} ({3} of bytecodes{4}){5}", I ? "; " : "", G.What,
                  G.Instructions, pct(G.Executed, R.Total),
                  Lines.empty() ? ""
                                : (G.Lines.size() == 1 ? ", kernel line "
                                                       : ", kernel lines ") +
                                      Lines,
                  G.Reason.empty() ? "" : ": " + G.Reason)
              .str();
    }
    addFinding(formatv("{0} executed instruction{1} that 3.11 can specialize "
                       "stayed unspecialized after {2} warm-up calls, {3} of "
                       "executed bytecodes: {4}.",
                       Missed.size(), Missed.size() == 1 ? "" : "s", Warmup,
                       pct(Executed, R.Total), List)
                   .str());
  } else {
    addFinding(formatv("Every executed instruction that 3.11 can specialize "
                       "was specialized after {0} warm-up calls.",
                       Warmup)
                   .str());
  }

  // Opcodes with no specialized form at all in 3.11.
  if (Forms.Unspecializable) {
    std::map<std::string, uint64_t> ByOp;
    for (const py::CodeListing &Code : R.Codes)
      for (const py::Instruction &I : Code.Insts)
        if (I.Executed && !py::canSpecialize(R, Code, I) &&
            (py::classify(I.Base, I.Adaptive) == py::Form::Base ||
             py::classify(I.Base, I.Adaptive) == py::Form::Adaptive))
          ByOp[I.Base] += I.Executed;
    std::vector<std::pair<std::string, uint64_t>> Sorted(ByOp.begin(),
                                                         ByOp.end());
    llvm::stable_sort(Sorted, [](const auto &A, const auto &B) {
      return A.second > B.second;
    });
    std::string List;
    for (size_t I = 0; I < std::min<size_t>(3, Sorted.size()); ++I)
      List += (I ? ", " : "") + Sorted[I].first + " " +
              pct(Sorted[I].second, R.Total);
    addFinding(formatv("{0} of executed bytecodes are instructions 3.11 "
                       "has no specialized form for: {1}.",
                       pct(Forms.Unspecializable, R.Total), List)
                   .str());
  }

  // The entry's listing after warm-up: the instructions the counted call
  // ran (one that never ran cannot have specialized).
  if (const py::CodeListing *E = entryCode()) {
    py::FormCounts S;
    for (const py::Instruction &I : E->Insts)
      if (I.Executed)
        S.add(R, *E, I, 1);
    addFinding(formatv("After {0} warm-up calls, the {1} instructions of {2} "
                       "that ran (of {3}) are: {4} specialized, {5} fused "
                       "into superinstructions, {6} quickened, {7} still "
                       "adaptive, {8} in base form.",
                       Warmup, S.Total, E->Name, E->Insts.size(), S.Specialized,
                       S.Superinstruction, S.Quickened, S.Adaptive, S.Base)
                   .str());
  }

  addPanes();
  addFacts(Forms, Hot, Missed);
}

void CPythonPart::addPanes() {
  Pane Source;
  Source.Id = "cpython-source";
  Source.Title = "kernelc's Python module (" + C.KernelName + ".py)";
  Source.Language = "python";
  Source.Text = ModuleText;
  Source.SourceLines.assign(KernelLines.begin(), KernelLines.end());
  X.Panes.push_back(std::move(Source));

  std::vector<const py::CodeListing *> Shown;
  if (const py::CodeListing *E = entryCode())
    Shown.push_back(E);
  std::vector<const py::CodeListing *> ByWork;
  for (const py::CodeListing &Code : R.Codes)
    ByWork.push_back(&Code);
  llvm::stable_sort(ByWork, [](const auto *A, const auto *B) {
    return A->executed() > B->executed();
  });
  for (const py::CodeListing *Code : ByWork)
    if (Shown.size() <= MaxHotFunctions && !llvm::is_contained(Shown, Code) &&
        10 * Code->executed() >= R.Total)
      Shown.push_back(Code);

  for (const py::CodeListing *Code : Shown)
    for (bool Adaptive : {false, true}) {
      Pane P;
      P.Id = (Adaptive ? "cpython-adaptive-" : "cpython-bytecode-") +
             idOf(Code->Name);
      P.Title = Code->Name + (Adaptive ? ": bytecode specialized after " +
                                             utostr(Warmup) + " warm-up calls"
                                       : ": CPython bytecode");
      P.Language = "py-bytecode";
      std::vector<unsigned> PyLines;
      P.Text = py::listing(R, *Code, Adaptive, PyLines);
      for (unsigned L : PyLines)
        P.SourceLines.push_back(kernelLine(L));
      X.Panes.push_back(std::move(P));
    }
}

json::Array
histogramJSON(const std::vector<std::pair<std::string, uint64_t>> &H) {
  json::Array A;
  for (const auto &[Name, N] : H)
    A.push_back(json::Array{Name, int64_t(N)});
  return A;
}

json::Object formsJSON(const py::FormCounts &F) {
  return json::Object{{"total", int64_t(F.Total)},
                      {"specialized", int64_t(F.Specialized)},
                      {"superinstruction", int64_t(F.Superinstruction)},
                      {"quickened", int64_t(F.Quickened)},
                      {"adaptive", int64_t(F.Adaptive)},
                      {"base", int64_t(F.Base)},
                      {"unspecializable", int64_t(F.Unspecializable)},
                      {"missed", int64_t(F.Missed)}};
}

void CPythonPart::addFacts(const py::FormCounts &Forms,
                           const std::optional<py::Loop> &Hot,
                           const std::vector<py::Unspecialized> &Missed) {
  json::Object &F = X.Facts;
  F["version"] = R.Version.empty() ? Version : R.Version;
  F["library"] = R.Library;
  F["count"] =
      json::Object{{"size", CountSize},
                   {"size_is_timed", CountedTimedSize},
                   {"operations", CountOps},
                   {"warmup_calls", int64_t(Warmup)},
                   {"calls", int64_t(R.Calls)},
                   {"bytecodes", int64_t(R.Total)},
                   {"bytecodes_per_call", double(R.Total) / double(R.Calls)},
                   {"bytecodes_per_operation",
                    double(R.Total) / double(R.Calls) / double(CountOps)},
                   {"traced_ns", int64_t(R.TracedNs)},
                   {"wall_s", InstrumentedSec}};
  if (TimePerBytecode)
    F["ns_per_bytecode"] = *TimePerBytecode;
  F["executed_forms"] = formsJSON(Forms);
  F["histogram_base"] = histogramJSON(R.BaseHistogram);
  F["histogram_adaptive"] = histogramJSON(R.AdaptiveHistogram);
  json::Array Functions;
  for (const py::CodeListing &Code : R.Codes)
    Functions.push_back(json::Object{
        {"name", Code.Name},
        {"python_line", Code.FirstLine},
        {"kernel_line", kernelLine(Code.FirstLine)},
        {"executed", int64_t(Code.executed())},
        {"instructions", formsJSON(py::countForms(R, Code, true))},
        {"executed_forms", formsJSON(py::countForms(R, Code, false))}});
  F["functions"] = std::move(Functions);
  if (Hot) {
    const py::CodeListing &Code = R.Codes[Hot->Code];
    F["hot_loop"] = json::Object{
        {"function", Code.Name},
        {"offsets", json::Array{Hot->Begin, Hot->End}},
        {"python_lines", json::Array{Hot->FirstPyLine, Hot->LastPyLine}},
        {"iterations", int64_t(Hot->Iterations)},
        {"executed", int64_t(Hot->Executed)},
        {"executed_forms", formsJSON(Hot->Forms)}};
  }
  json::Array Un;
  for (const py::Unspecialized &U : Missed)
    Un.push_back(json::Object{{"function", R.Codes[U.Code].Name},
                              {"offset", U.Inst->Offset},
                              {"opname", U.Inst->Base},
                              {"adaptive_opname", U.Inst->Adaptive},
                              {"arg", U.Inst->Arg},
                              {"python_line", U.Inst->PyLine},
                              {"kernel_line", kernelLine(U.Inst->PyLine)},
                              {"executed", int64_t(U.Inst->Executed)},
                              {"reason", U.Reason}});
  F["unspecialized"] = std::move(Un);
}

Expected<RuntimeExplanation> CPythonPart::run() {
  auto Start = std::chrono::steady_clock::now();
  if (Error E = emitModule())
    return std::move(E);
  timeRung();
  if (Error E = countBytecodes()) {
    // The rung stands; what the instrumented run could not give is said.
    std::string Msg = toString(std::move(E));
    X.Facts["error"] = Msg;
    addFinding("The instrumented CPython run gave no bytecode counts: " + Msg);
    return std::move(X);
  }
  explain();
  X.Facts["part_s"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
          .count();
  return std::move(X);
}

} // namespace

Expected<RuntimeExplanation> explainCPython(const Context &C,
                                            raw_ostream &Progress) {
  return CPythonPart(C, Progress).run();
}

} // namespace explain
} // namespace kc
