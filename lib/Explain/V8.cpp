//===- V8.cpp - The V8 part of rtcompare explain --------------------------===//
//
// The tier ladder: the kernel's JS module timed (compare::runKernel) with V8
// held at each tier by node flags: TurboFan (node's defaults: every tier),
// Maglev (--max-opt=2), Sparkplug (--max-opt=1), Ignition (--max-opt=0). A
// tier this V8 lacks, or ships disabled, is a Missing rung, found from
// `node --v8-options`; never a measurement of something else.
//
// Then, in separate process executions of the same job, one instrumented
// run per rung with V8's log (--log-code --log-deopt) and the sample
// markers of runtimes/v8/explain-markers.mjs. The TurboFan run also prints
// the bytecode and optimized code (--print-bytecode --print-opt-code). From
// them: the timeline of the kernel's functions (each tier reached, each
// deopt with its reason and kernel line, on the sample axis), bytecode and
// code sizes, the panes, and a check that each lower rung's log holds no
// code above its tier. Positions map to kernel lines through the JS
// back-end's line table of the module that ran.
//
//===----------------------------------------------------------------------===//

#include "Bench/Protocol.h"
#include "Compare/Process.h"
#include "Driver/Driver.h"
#include "Explain/Explain.h"
#include "Explain/V8Log.h"
#include "Target/JS/JSBackend.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <array>
#include <chrono>
#include <climits>
#include <map>
#include <set>

using namespace llvm;

namespace kc {
namespace explain {

using v8log::Tier;

namespace {

Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

constexpr Tier Ladder[] = {Tier::TurboFan, Tier::Maglev, Tier::Sparkplug,
                           Tier::Ignition};
constexpr size_t NumTiers = 4;

size_t tierIndex(Tier T) { return static_cast<size_t>(T); }

std::string rungName(Tier T) { return ("V8 " + v8log::tierName(T)).str(); }

std::string times(unsigned N) {
  if (N == 1)
    return "once";
  if (N == 2)
    return "twice";
  return std::to_string(N) + " times";
}

std::string plural(unsigned N, StringRef Word) {
  return formatv("{0} {1}{2}", N, Word, N == 1 ? "" : "s");
}

/// "in sample 3", "before the first timed sample", "after sampling".
std::string whenText(int Sample, int Samples) {
  if (Sample < 0)
    return "before the first timed sample";
  if (Sample >= Samples)
    return "after the last sample";
  return "in sample " + std::to_string(Sample);
}

std::string fileUrl(StringRef Path) {
  // What node's pathToFileURL gives for the paths we make.
  std::string Out = "file://";
  for (char C : Path) {
    if (isAlnum(C) || StringRef("/-._~").contains(C))
      Out += C;
    else
      Out += formatv("%{0:X-2}", static_cast<unsigned char>(C)).str();
  }
  return Out;
}

Error writeFile(StringRef Path, function_ref<void(raw_ostream &)> Write) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC);
  if (EC)
    return makeError("cannot write '" + Path + "': " + EC.message());
  Write(OS);
  OS.close();
  if (OS.has_error())
    return makeError("error writing '" + Path + "'");
  return Error::success();
}

/// Which functions of one run's log are the module's: SharedFunctionInfos
/// are per process, so each run's log is indexed on its own.
struct RunIndex {
  std::map<uint64_t, int> ScriptOfSfi;
  std::set<uint64_t> ModuleSfis;
  int ModuleScript = -1;
  bool inModule(uint64_t Sfi) const {
    if (ModuleSfis.count(Sfi))
      return true;
    auto It = ScriptOfSfi.find(Sfi);
    return ModuleScript >= 0 && It != ScriptOfSfi.end() &&
           It->second == ModuleScript;
  }
};

RunIndex indexRun(const v8log::Log &L, StringRef ModuleUrl) {
  RunIndex X;
  for (const v8log::CodeObject &K : L.Codes) {
    if (K.ScriptId >= 0)
      X.ScriptOfSfi[K.Sfi] = K.ScriptId;
    if (K.Url != ModuleUrl)
      continue;
    if (K.ScriptId >= 0)
      X.ModuleScript = K.ScriptId;
    if (!K.Function.empty())
      X.ModuleSfis.insert(K.Sfi);
  }
  return X;
}

/// The harness's timed loop is a `new Function` named sample, no URL.
bool isHarnessLoop(const v8log::CodeObject &K) {
  return K.Function == "sample" && K.Url.empty();
}

/// What one instrumented process execution left behind.
struct Instrumented {
  Tier Top = Tier::TurboFan;
  std::string Failure;  // empty: the run completed
  RunIndex Index;
  double WallSec = 0;
  bench::RunnerReport Report;
  v8log::Log Log;
  std::string Stdout;
};

/// A kernel function as the TurboFan run's log shows it.
struct FunctionInfo {
  std::string Name;  // its JS name
  uint64_t Sfi = 0;
  unsigned KernelLine = 0;
  uint32_t BytecodeBytes = 0;
  int BytecodeSample = INT_MIN;  // when it first ran
  std::array<unsigned, NumTiers> Count{};   // code objects per tier
  std::array<uint32_t, NumTiers> Bytes{};   // of the last one
  std::array<int, NumTiers> First;          // sample of the first one
  std::array<double, NumTiers> FirstMs{};
  /// Optimized code of other functions it was inlined into: description ->
  /// (tier, first sample).
  std::map<std::string, std::pair<Tier, int>> InlinedInto;
  unsigned Deopts = 0;
  FunctionInfo() { First.fill(INT_MIN); }
};

/// Deopts of one function grouped by what and where.
struct DeoptGroup {
  std::string Function, Reason, Context;
  Tier Level = Tier::TurboFan;
  unsigned KernelLine = 0;
  unsigned Count = 0, InSamples = 0;
  int FirstSample = INT_MAX;
};

class V8Explainer {
public:
  V8Explainer(const Context &C, raw_ostream &Progress)
      : C(C), Progress(Progress) {}
  Expected<RuntimeExplanation> run();

private:
  const Context &C;
  raw_ostream &Progress;
  RuntimeExplanation R;

  std::unique_ptr<kir::Module> M;
  std::string WorkDir, ModulePath, ModuleUrl, JSText, Markers;
  /// The small workload's inputs: what the lower rungs' pin checks run.
  std::string SmallInputs;
  std::vector<unsigned> KernelLines;  // JS line - 1 -> kernel line
  std::vector<uint32_t> JSLineStarts;
  bench::Job Template;
  std::map<std::string, std::string> Options;
  /// Per tier: the rung's timed result (when measured), its instrumented run.
  std::array<std::optional<compare::ImplResult>, NumTiers> Timed;
  std::array<std::optional<Instrumented>, NumTiers> Runs;

  // From the TurboFan run's log.
  std::vector<FunctionInfo> Functions;
  std::map<uint64_t, size_t> FunctionBySfi;
  std::vector<DeoptGroup> DeoptGroups;
  unsigned HarnessDeopts = 0;

  std::string path(const Twine &Name) const {
    SmallString<256> S(WorkDir);
    sys::path::append(S, Name);
    return std::string(S);
  }
  Error prepare();
  Error readOptions();
  void measureRungs();
  void instrument(Tier T);
  unsigned kernelLineOfJS(unsigned JSLine) const {
    return JSLine >= 1 && JSLine <= KernelLines.size() ? KernelLines[JSLine - 1]
                                                       : 0;
  }
  unsigned kernelLineOfOffset(uint32_t Offset) const {
    return kernelLineOfJS(v8log::lineOfOffset(JSLineStarts, Offset));
  }
  std::string describeCode(const v8log::CodeObject &K) const;
  unsigned kernelLineAt(const RunIndex &X, const v8log::CodeObject &K,
                        const v8log::SourcePosition &P) const;
  void addCodePane(StringRef Id, StringRef Of, const Instrumented &Run,
                   const v8log::CodeObject &K, StringRef From);
  void analyse();
  void addPanes();
  void addFindings();
  void addFacts();
};

Expected<RuntimeExplanation> V8Explainer::run() {
  if (Error E = prepare())
    return std::move(E);
  if (Error E = readOptions())
    return std::move(E);
  measureRungs();
  for (Tier T : Ladder)
    if (Timed[tierIndex(T)])
      instrument(T);
  analyse();
  addPanes();
  addFindings();
  addFacts();
  return std::move(R);
}

/// The module that every run of this part loads, its kernel line table, the
/// inputs and the job (as compare::runKernel writes it).
Error V8Explainer::prepare() {
  if (C.Base.Node.empty())
    return makeError("no node found: cannot run the V8 rungs");
  SmallString<256> Dir(C.Base.WorkDir);
  sys::path::append(Dir, "v8-explain");
  WorkDir = std::string(Dir);
  if (std::error_code EC = sys::fs::create_directories(WorkDir))
    return makeError("cannot create '" + WorkDir + "': " + EC.message());
  SmallString<256> Abs(WorkDir);
  sys::fs::make_absolute(Abs);
  WorkDir = std::string(Abs);

  std::string Diags;
  raw_string_ostream DiagOS(Diags);
  auto Mod = driver::compileFile(C.KernelFile, DiagOS);
  if (!Mod)
    return makeError(Diags + toString(Mod.takeError()));
  M = std::move(*Mod);
  const kir::Function *Entry = M->getEntry();
  if (!Entry)
    return makeError("'" + C.KernelFile + "' has no bench section");

  raw_string_ostream JS(JSText);
  if (Error E = jsgen::emitModule(*M, JS, {}, &KernelLines))
    return E;
  JSLineStarts = v8log::lineStarts(JSText);
  ModulePath = path(C.KernelName + ".mjs");
  ModuleUrl = fileUrl(ModulePath);
  if (Error E = writeFile(ModulePath, [&](raw_ostream &OS) { OS << JSText; }))
    return E;

  auto W = driver::findWorkload(*M, C.Base.Workload);
  if (!W)
    return W.takeError();
  int64_t Size = C.Base.ExplicitSize
                     ? *C.Base.ExplicitSize
                     : (*W)->Sizes[static_cast<int>(C.Base.Size)];
  auto WriteInputs = [&](int64_t N, StringRef Name) -> Expected<std::string> {
    auto Values = bench::generateWithSize(**W, N);
    if (!Values)
      return Values.takeError();
    std::string Out = path(C.KernelName + Name);
    if (Error E = writeFile(Out, [&](raw_ostream &OS) {
          bench::writeInputs(*Values, OS);
        }))
      return std::move(E);
    return Out;
  };
  auto Inputs = WriteInputs(Size, ".kin");
  if (!Inputs)
    return Inputs.takeError();
  int64_t Small = (*W)->Sizes[static_cast<int>(bench::SizeClass::Small)];
  auto SmallIn = Size == Small ? Expected<std::string>(*Inputs)
                               : WriteInputs(Small, ".small.kin");
  if (!SmallIn)
    return SmallIn.takeError();
  SmallInputs = *SmallIn;

  bench::Job &J = Template;
  J.Module = ModulePath;
  driver::setJobSignature(*Entry, J);
  J.Inputs = *Inputs;
  J.Iterations = C.Base.Iterations;
  J.MinSampleNs = C.Base.MinSampleNs;
  J.TimeBudgetNs = C.Base.ProcessBudgetNs;

  SmallString<256> MarkersPath(sys::path::parent_path(C.Base.Harness));
  sys::path::append(MarkersPath, "explain-markers.mjs");
  if (sys::fs::exists(MarkersPath))
    Markers = std::string(MarkersPath);
  return Error::success();
}

/// Runs \p Args as compare::runKernel runs a runner (a clean environment,
/// its limits, its own process group); stdout to \p Out. -1 when it could
/// not start, -2 when a signal or the timeout ended it (\p ErrMsg says
/// which), else its exit code.
int execute(const compare::Config &Base, ArrayRef<std::string> Args,
            StringRef Out, StringRef Err, std::string &ErrMsg) {
  compare::ChildSpec S;
  S.Args.assign(Args.begin(), Args.end());
  S.Env = compare::runnerEnvironment(Base.WorkDir);
  S.StdoutPath = Out.str();
  S.StderrPath = Err.str();
  S.TimeoutSec = Base.TimeoutSec;
  S.MemoryLimitMB = Base.MemoryLimitMB;
  compare::ChildExit E = compare::runChild(S);
  if (!E.ran()) {
    ErrMsg = E.StartError;
    return -1;
  }
  if (E.TimedOut || E.Signal) {
    ErrMsg = E.TimedOut ? "timed out" : "killed by " +
                                            compare::describeSignal(E.Signal);
    return -2;
  }
  return E.ExitCode;
}

Error V8Explainer::readOptions() {
  std::string Out = path("v8-options.txt"), Err = path("v8-options.err");
  std::string ErrMsg;
  int RC = execute(C.Base, {C.Base.Node, "--v8-options"}, Out, Err, ErrMsg);
  auto Buf = MemoryBuffer::getFile(Out);
  if (RC != 0 || !Buf)
    return makeError("cannot list the flags of " + C.Base.Node +
                     " (--v8-options)" + (ErrMsg.empty() ? "" : ": " + ErrMsg));
  Options = v8log::parseV8Options((*Buf)->getBuffer());
  if (!Options.count("max-opt") && !Options.count("turbofan") &&
      !Options.count("opt"))
    return makeError(C.Base.Node + " --v8-options printed no tier flags");
  return Error::success();
}

void V8Explainer::measureRungs() {
  for (Tier T : Ladder) {
    v8log::RungPin Pin = v8log::pinTier(T, Options);
    Rung G;
    G.Name = rungName(T);
    G.Runtime = "v8";
    G.How = Pin.Flags.empty() ? "node's defaults (every tier on)"
                              : join(Pin.Flags, " ");
    if (!Pin.Missing.empty()) {
      G.Missing = Pin.Missing;
      R.Rungs.push_back(std::move(G));
      continue;
    }
    compare::Config Cfg = C.Base;
    Cfg.Impls = {compare::ImplKind::V8};
    // Ours come last: V8 takes the last value of a flag given twice.
    llvm::append_range(Cfg.NodeFlags, Pin.Flags);
    Cfg.ModuleOverrides = {{compare::ImplKind::V8, ModulePath}};
    Progress << "[" << C.KernelName << "] " << G.Name << ": " << G.How
             << "\n";
    auto KR = compare::runKernel(C.KernelFile, Cfg, Progress);
    if (!KR) {
      G.Missing = "not measured: " + toString(KR.takeError());
    } else if (KR->Impls.empty() ||
               KR->Impls[0].St != compare::Status::Ok ||
               !KR->Impls[0].TimePerCall) {
      G.Missing = "not measured: " +
                  (KR->Impls.empty() ? std::string("no result")
                                     : KR->Impls[0].Message);
    } else {
      G.Result = KR->Impls[0];
      Timed[tierIndex(T)] = KR->Impls[0];
    }
    R.Rungs.push_back(std::move(G));
  }
}

/// One process execution of the rung's job with V8's log on: the same job
/// as the timed runs (calibration included, so its samples are theirs),
/// fewer samples for the lower rungs, whose run only checks the pin.
void V8Explainer::instrument(Tier T) {
  Instrumented I;
  I.Top = T;
  std::string Base = path(C.KernelName + "." + v8log::tierName(T).lower());
  std::string JobPath = Base + ".job.json", LogPath = Base + ".v8.log",
              Out = Base + ".out", Err = Base + ".err";
  bench::Job J = Template;
  if (T != Tier::TurboFan) {
    // The pin holds or not whatever the size: the small workload's calls
    // get hot as fast, and cost far less at the low tiers.
    J.Inputs = SmallInputs;
    J.Iterations = std::min(J.Iterations, 3u);
    J.TimeBudgetNs = std::min<uint64_t>(J.TimeBudgetNs ? J.TimeBudgetNs
                                                       : UINT64_MAX,
                                        500000000);
  }
  if (Error E = writeFile(JobPath, [&](raw_ostream &OS) {
        bench::writeJob(J, OS);
      })) {
    I.Failure = toString(std::move(E));
    Runs[tierIndex(T)] = std::move(I);
    return;
  }
  std::vector<std::string> Args = {C.Base.Node};
  llvm::append_range(Args, C.Base.NodeFlags);
  llvm::append_range(Args, v8log::pinTier(T, Options).Flags);
  if (!Markers.empty())
    Args.insert(Args.end(), {"--import", Markers});
  Args.insert(Args.end(),
              {"--log-code", "--log-deopt", "--logfile=" + LogPath});
  if (Options.count("logfile-per-isolate"))
    Args.push_back("--no-logfile-per-isolate");
  if (T == Tier::TurboFan)
    Args.insert(Args.end(), {"--print-bytecode", "--print-opt-code"});
  // Maglev's listing turns concurrent Maglev off: only in the Maglev rung's
  // run, which only checks the pin.
  if (T == Tier::Maglev && Options.count("print-maglev-code"))
    Args.push_back("--print-maglev-code");
  // Contained as a timed run is (V8 writes its log itself, not through
  // node's file system API).
  llvm::append_range(
      Args, compare::nodePermissionFlags(
                C.Base.Node,
                {sys::path::parent_path(C.Base.Harness).str(), JobPath,
                 J.Inputs, J.Module},
                C.Base.WorkDir));
  Args.insert(Args.end(), {C.Base.Harness, JobPath});

  Progress << "[" << C.KernelName << "] " << rungName(T)
           << ": instrumented run (V8 log)\n";
  std::string ErrMsg;
  sys::fs::remove(LogPath);
  auto Start = std::chrono::steady_clock::now();
  int RC = execute(C.Base, Args, Out, Err, ErrMsg);
  I.WallSec = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                            Start)
                  .count();
  if (auto Buf = MemoryBuffer::getFile(Out)) {
    I.Stdout = (*Buf)->getBuffer().str();
    // The listings share stdout with the protocol; its lines are whole
    // (both are written a line or a listing at a time on V8's thread).
    std::string Protocol;
    for (StringRef L : split(I.Stdout, '\n'))
      if (L.starts_with("{\"event\":"))
        Protocol += (L + "\n").str();
    if (auto Rep = bench::parseRunnerOutput(Protocol))
      I.Report = std::move(*Rep);
    else
      I.Failure = toString(Rep.takeError());
  }
  if (RC != 0 && I.Failure.empty())
    I.Failure = RC == -1   ? "cannot start " + C.Base.Node + ": " + ErrMsg
                : RC == -2 ? "the runner was " + ErrMsg + " (log: " + Err + ")"
                           : "the runner exited with code " +
                                 std::to_string(RC) + " (log: " + Err + ")";
  if (I.Failure.empty() && I.Report.ErrorKind)
    I.Failure = *I.Report.ErrorKind + ": " + I.Report.ErrorMessage.value_or("");
  if (auto Buf = MemoryBuffer::getFile(LogPath)) {
    I.Log = v8log::parseLog((*Buf)->getBuffer());
    I.Index = indexRun(I.Log, ModuleUrl);
  }
  else if (I.Failure.empty())
    I.Failure = "V8 wrote no log to " + LogPath;
  Runs[tierIndex(T)] = std::move(I);
}

std::string V8Explainer::describeCode(const v8log::CodeObject &K) const {
  if (isHarnessLoop(K))
    return "the harness's call loop";
  if (K.Function.empty())
    return "an anonymous function";
  return K.Function;
}

/// The kernel line of position \p P of code object \p K: its script offset
/// is in the module only if the function it belongs to (the inlined one,
/// when P is in inlined code) is.
unsigned V8Explainer::kernelLineAt(const RunIndex &X,
                                   const v8log::CodeObject &K,
                                   const v8log::SourcePosition &P) const {
  uint64_t Sfi = K.Sfi;
  if (P.InliningId >= 0) {
    if (static_cast<size_t>(P.InliningId) >= K.InlinedSfis.size())
      return 0;
    Sfi = K.InlinedSfis[P.InliningId];
  }
  return X.inModule(Sfi) ? kernelLineOfOffset(P.ScriptOffset) : 0;
}

void V8Explainer::analyse() {
  if (!Runs[tierIndex(Tier::TurboFan)])
    return;
  const Instrumented &I = *Runs[tierIndex(Tier::TurboFan)];
  const v8log::Log &L = I.Log;
  const int Samples = L.Samples;

  // The kernel's functions: every named function of the module.
  for (const v8log::CodeObject &K : L.Codes) {
    if (K.Url != ModuleUrl || K.Function.empty() || FunctionBySfi.count(K.Sfi))
      continue;
    FunctionInfo F;
    F.Name = K.Function;
    F.Sfi = K.Sfi;
    F.KernelLine = kernelLineOfJS(K.Line);
    FunctionBySfi[K.Sfi] = Functions.size();
    Functions.push_back(std::move(F));
  }

  for (const v8log::CodeObject &K : L.Codes) {
    auto Own = FunctionBySfi.find(K.Sfi);
    if (Own != FunctionBySfi.end()) {
      FunctionInfo &F = Functions[Own->second];
      size_t TI = tierIndex(K.Level);
      if (K.Level == Tier::Ignition) {
        if (F.BytecodeBytes != 0)
          continue;  // recompiled after a flush: the same bytecode
        F.BytecodeBytes = K.Size;
        F.BytecodeSample = K.Sample;
      }
      ++F.Count[TI];
      F.Bytes[TI] = K.Size;
      if (F.First[TI] == INT_MIN) {
        F.First[TI] = K.Sample;
        F.FirstMs[TI] = K.TimeMs;
      }
      if (K.Sample < Samples) {
        TimelineEvent E;
        E.Function = F.Name;
        E.Kind = "tier";
        E.Tier = v8log::tierName(K.Level).str();
        E.Iteration = K.Sample;
        E.SourceLine = F.KernelLine;
        E.TimeMs = K.TimeMs;
        E.Reason = K.Level == Tier::Ignition
                       ? formatv("first call: {0} B of bytecode", K.Size).str()
                       : formatv("{0} B of code", K.Size).str();
        R.Timeline.push_back(std::move(E));
      }
    }
    if (K.Level == Tier::Ignition || K.Level == Tier::Sparkplug)
      continue;
    // Kernel functions inlined into this optimized code.
    std::set<uint64_t> Seen;
    for (uint64_t S : K.InlinedSfis) {
      auto It = FunctionBySfi.find(S);
      if (It == FunctionBySfi.end() || S == K.Sfi || !Seen.insert(S).second)
        continue;
      FunctionInfo &F = Functions[It->second];
      std::string Into = describeCode(K);
      F.InlinedInto.emplace(Into, std::make_pair(K.Level, K.Sample));
      if (K.Sample < Samples) {
        TimelineEvent E;
        E.Function = F.Name;
        E.Kind = "tier";
        E.Tier = v8log::tierName(K.Level).str();
        E.Iteration = K.Sample;
        E.SourceLine = F.KernelLine;
        E.TimeMs = K.TimeMs;
        E.Reason = "inlined into " + Into;
        R.Timeline.push_back(std::move(E));
      }
    }
  }

  // Deopts, coalesced: one timeline event per run of identical ones.
  std::map<std::tuple<std::string, std::string, unsigned, int>, size_t> Groups;
  size_t Last = SIZE_MAX;  // index of the last deopt event in Timeline
  size_t LastCode = SIZE_MAX;
  unsigned LastCount = 0;
  auto FlushLast = [&] {
    if (Last != SIZE_MAX && LastCount > 1)
      R.Timeline[Last].Reason += " (" + times(LastCount) + ")";
  };
  for (const v8log::Deopt &D : L.Deopts) {
    const v8log::CodeObject &K = L.Codes[D.Code];
    uint64_t Sfi = K.Sfi;
    if (D.InliningId >= 0 &&
        static_cast<size_t>(D.InliningId) < K.InlinedSfis.size())
      Sfi = K.InlinedSfis[D.InliningId];
    auto It = FunctionBySfi.find(Sfi);
    if (It == FunctionBySfi.end()) {
      ++HarnessDeopts;
      continue;
    }
    FunctionInfo &F = Functions[It->second];
    ++F.Deopts;
    unsigned Line = D.Url == ModuleUrl ? kernelLineOfJS(D.Line) : 0;
    std::string Context =
        K.Sfi == Sfi ? "" : "inlined into " + describeCode(K);
    std::string Reason = D.Reason.empty() ? "no reason given" : D.Reason;

    auto Key = std::make_tuple(F.Name, Reason + "|" + Context, Line,
                               static_cast<int>(K.Level));
    auto [G, New] = Groups.emplace(Key, DeoptGroups.size());
    if (New) {
      DeoptGroup DG;
      DG.Function = F.Name;
      DG.Reason = Reason;
      DG.Context = Context;
      DG.Level = K.Level;
      DG.KernelLine = Line;
      DeoptGroups.push_back(DG);
    }
    DeoptGroup &DG = DeoptGroups[G->second];
    ++DG.Count;
    if (D.Sample >= 0 && D.Sample < Samples)
      ++DG.InSamples;
    DG.FirstSample = std::min(DG.FirstSample, D.Sample);

    if (D.Sample >= Samples)
      continue;
    std::string Full = Context.empty() ? Reason : Reason + " (" + Context + ")";
    if (Last != SIZE_MAX && LastCode == D.Code &&
        R.Timeline[Last].Iteration == D.Sample &&
        R.Timeline[Last].SourceLine == Line &&
        R.Timeline[Last].Function == F.Name &&
        R.Timeline[Last].Reason == Full) {
      ++LastCount;
      continue;
    }
    FlushLast();
    TimelineEvent E;
    E.Function = F.Name;
    E.Kind = "deopt";
    E.Tier = v8log::tierName(K.Level).str();
    E.Iteration = D.Sample;
    E.Reason = Full;
    E.SourceLine = Line;
    E.TimeMs = D.TimeMs;
    Last = R.Timeline.size();
    R.Timeline.push_back(std::move(E));
    LastCode = D.Code;
    LastCount = 1;
  }
  FlushLast();
  llvm::stable_sort(R.Timeline, [](const TimelineEvent &A,
                                   const TimelineEvent &B) {
    return A.TimeMs < B.TimeMs;
  });
}

void V8Explainer::addPanes() {
  Pane JSPane;
  JSPane.Id = "v8-js";
  JSPane.Title = "kernelc's JS module (what V8 runs)";
  JSPane.Language = "js";
  JSPane.Text = JSText;
  JSPane.SourceLines = KernelLines;
  R.Panes.push_back(std::move(JSPane));

  if (!Runs[tierIndex(Tier::TurboFan)])
    return;
  const Instrumented &I = *Runs[tierIndex(Tier::TurboFan)];

  // Bytecode of the entry and of the hot functions (those V8 optimized, on
  // their own or inlined), in the order they first ran.
  std::vector<v8log::BytecodeListing> Listings =
      v8log::parseBytecodeListings(I.Stdout);
  std::set<std::string> Done;
  for (const FunctionInfo &F : Functions) {
    bool Hot = F.KernelLine == M->getEntry()->Loc.Line ||
               F.Count[tierIndex(Tier::Maglev)] ||
               F.Count[tierIndex(Tier::TurboFan)] || !F.InlinedInto.empty();
    if (!Hot)
      continue;
    const v8log::BytecodeListing *B = nullptr;
    for (const v8log::BytecodeListing &Cand : Listings)
      if (Cand.Sfi == F.Sfi ||
          (Cand.Function == F.Name && Cand.Length == F.BytecodeBytes)) {
        B = &Cand;
        break;
      }
    if (!B || !Done.insert(F.Name).second)
      continue;
    Pane P;
    P.Id = "v8-bytecode-" + F.Name;
    P.Title = formatv("V8 bytecode of {0} ({1} B, {2} registers)", F.Name,
                      B->Length, B->Registers)
                  .str();
    P.Language = "v8-bytecode";
    unsigned Line = F.KernelLine;
    for (const v8log::BytecodeLine &BL : B->Bytecodes) {
      // A position marks the bytecode that starts a statement or an
      // expression; the ones after it belong to it.
      if (BL.ScriptOffset >= 0)
        if (unsigned K = kernelLineOfOffset(BL.ScriptOffset))
          Line = K;
      P.Text += formatv("{0,5} {1} {2}\n", BL.Offset,
                        BL.ScriptOffset < 0 ? "  " : BL.Statement ? "S>" : "E>",
                        BL.Text)
                    .str();
      P.SourceLines.push_back(Line);
    }
    R.Panes.push_back(std::move(P));
  }

  // Optimized code: per kernel function, its last TurboFan code created
  // during sampling; its last Maglev code if it had none (printed only in
  // the Maglev rung's run); the harness loop's, when it inlines the kernel.
  auto Last = [](const Instrumented &Run, Tier Level, auto Pred)
      -> const v8log::CodeObject * {
    const v8log::CodeObject *Best = nullptr;
    for (const v8log::CodeObject &K : Run.Log.Codes)
      if (K.Level == Level && K.Sample < Run.Log.Samples && Pred(K))
        Best = &K;
    return Best;
  };
  const Instrumented *MaglevRun =
      Runs[tierIndex(Tier::Maglev)] ? &*Runs[tierIndex(Tier::Maglev)] : nullptr;
  for (const FunctionInfo &F : Functions) {
    auto Own = [&](const v8log::CodeObject &K) { return K.Sfi == F.Sfi; };
    auto Named = [&](const v8log::CodeObject &K) {
      return K.Url == ModuleUrl && K.Function == F.Name;
    };
    if (const v8log::CodeObject *K = Last(I, Tier::TurboFan, Own))
      addCodePane("v8-code-" + F.Name, F.Name, I, *K, "");
    else if (!F.Count[tierIndex(Tier::Maglev)] || !MaglevRun)
      continue;
    else if (const v8log::CodeObject *K = Last(*MaglevRun, Tier::Maglev, Named))
      addCodePane("v8-code-" + F.Name, F.Name, *MaglevRun, *K,
                  "the V8 Maglev rung's run on the small workload");
  }
  auto Loop = [](const Instrumented &Run) {
    return [&Run](const v8log::CodeObject &K) {
      return isHarnessLoop(K) &&
             llvm::any_of(K.InlinedSfis, [&](uint64_t S) {
               return Run.Index.ModuleSfis.count(S) != 0;
             });
    };
  };
  if (const v8log::CodeObject *K = Last(I, Tier::TurboFan, Loop(I)))
    addCodePane("v8-code-harness-loop", "the harness's call loop", I, *K, "");
  else if (Last(I, Tier::Maglev, Loop(I)) && MaglevRun)
    if (const v8log::CodeObject *K =
            Last(*MaglevRun, Tier::Maglev, Loop(*MaglevRun)))
      addCodePane("v8-code-harness-loop", "the harness's call loop",
                  *MaglevRun, *K,
                  "the V8 Maglev rung's run on the small workload");
}

void V8Explainer::addCodePane(StringRef Id, StringRef Of,
                              const Instrumented &Run,
                              const v8log::CodeObject &K, StringRef From) {
  std::vector<v8log::CodeListing> Listings =
      v8log::parseCodeListings(Run.Stdout);
  const v8log::CodeListing *Listing = nullptr;
  for (const v8log::CodeListing &Cand : Listings)
    if (Cand.Start == K.Address && !Cand.Instructions.empty())
      Listing = &Cand;
  Pane P;
  P.Id = Id.str();
  P.Title = formatv("{0} code of {1} ({2} B{3})", v8log::tierName(K.Level), Of,
                    K.Size, From.empty() ? "" : ", from " + From.str())
                .str();
  P.Language = "v8-code";
  if (!Listing) {
    P.Text = "; this node printed no listing of this code: its size is all "
             "there is\n";
    P.SourceLines.push_back(0);
    R.Panes.push_back(std::move(P));
    return;
  }
  std::vector<v8log::SourcePosition> Pos = K.Positions;
  llvm::stable_sort(Pos, [](const auto &A, const auto &B) {
    return A.PcOffset < B.PcOffset;
  });
  constexpr size_t MaxLines = 4000;
  for (const v8log::InstructionLine &IL : Listing->Instructions) {
    if (P.SourceLines.size() == MaxLines) {
      P.Text += formatv("; ... {0} more lines\n",
                        Listing->Instructions.size() - MaxLines)
                    .str();
      P.SourceLines.push_back(0);
      break;
    }
    // The position of an instruction is the last entry at or before it.
    auto After = llvm::upper_bound(
        Pos, IL.PcOffset, [](uint32_t Pc, const v8log::SourcePosition &SP) {
          return Pc < SP.PcOffset;
        });
    unsigned Line = After == Pos.begin()
                        ? 0
                        : kernelLineAt(Run.Index, K, *std::prev(After));
    if (IL.IsComment)
      P.Text += formatv("{0,6}  {1}\n", "", IL.Text).str();
    else
      P.Text += formatv("{0,6:x-}  {1}\n", IL.PcOffset, IL.Text).str();
    P.SourceLines.push_back(Line);
  }
  R.Panes.push_back(std::move(P));
}

std::string bytesText(uint32_t N) {
  if (N < 10000)
    return std::to_string(N) + " B";
  return formatv("{0:f1} KB", N / 1024.0).str();
}

void V8Explainer::addFindings() {
  auto Add = [&](std::string Text) {
    R.Findings.push_back({"v8", std::move(Text)});
  };

  // Factors between adjacent measured rungs, and top to bottom.
  std::vector<Tier> Measured;
  for (Tier T : Ladder)
    if (Timed[tierIndex(T)])
      Measured.push_back(T);
  auto Est = [&](Tier T) { return Timed[tierIndex(T)]->TimePerCall->Estimate; };
  auto FactorText = [&](Tier Upper, Tier Lower) {
    double A = Est(Upper), B = Est(Lower);
    if (A <= 0 || B <= 0)
      return std::string();
    const stats::Interval &IA = *Timed[tierIndex(Upper)]->TimePerCall;
    const stats::Interval &IB = *Timed[tierIndex(Lower)]->TimePerCall;
    bool Overlap = IA.Low <= IB.High && IB.Low <= IA.High;
    std::string Cmp = B / A < 1.05 && A / B < 1.05
                          ? "about as fast as"
                      : B >= A ? formatv("{0:f1}x slower than", B / A).str()
                               : formatv("{0:f1}x faster than", A / B).str();
    return formatv("V8 held at {0} is {1} {2} on this kernel ({3} vs {4} per "
                   "call{5})",
                   v8log::tierName(Lower), Cmp, v8log::tierName(Upper),
                   compare::formatTime(B), compare::formatTime(A),
                   Overlap ? "; the intervals overlap" : "")
        .str();
  };
  for (size_t I = 0; I + 1 < Measured.size(); ++I)
    Add(FactorText(Measured[I], Measured[I + 1]));
  if (Measured.size() > 2)
    Add(FactorText(Measured.front(), Measured.back()));

  const Instrumented *Top =
      Runs[tierIndex(Tier::TurboFan)] ? &*Runs[tierIndex(Tier::TurboFan)]
                                      : nullptr;
  if (!Top)
    return;
  if (!Top->Failure.empty())
    Add("The instrumented TurboFan run failed (" + Top->Failure +
        "): the timeline may be incomplete");
  if (Markers.empty())
    Add("runtimes/v8/explain-markers.mjs is missing: events are not placed "
        "on samples");
  const int Samples = Top->Log.Samples;

  // The entry's tiers; the others' in one sentence; what changed tier
  // during the timed samples (the warm-up the samples show).
  const kir::Function *EntryFn = M->getEntry();
  auto TopTier = [](const FunctionInfo &F) -> int {
    int Best = -1;
    for (size_t T = 0; T < NumTiers; ++T)
      if (F.Count[T])
        Best = static_cast<int>(T);
    return Best;
  };
  std::array<unsigned, NumTiers> OthersAt{};
  unsigned Others = 0;
  std::vector<std::string> Inlined;
  for (const FunctionInfo &F : Functions) {
    int Best = TopTier(F);
    if (Best < 0)
      continue;
    Tier BestTier = static_cast<Tier>(Best);
    if (F.KernelLine != EntryFn->Loc.Line) {
      ++Others;
      ++OthersAt[Best];
      if (!F.InlinedInto.empty())
        Inlined.push_back(formatv("{0} into {1}", F.Name,
                                  F.InlinedInto.begin()->first));
      continue;
    }
    std::string S;
    if (BestTier == Tier::Ignition)
      S = formatv("{0} (the entry) stayed in Ignition through all {1} "
                  "samples",
                  F.Name, Samples);
    else
      S = formatv("{0} (the entry) reached {1} {2}", F.Name,
                  v8log::tierName(BestTier), whenText(F.First[Best], Samples));
    if (BestTier != Tier::TurboFan && BestTier != Tier::Ignition)
      S += formatv(" and never TurboFan in {0} samples", Samples).str();
    if (!F.InlinedInto.empty()) {
      const auto &[Into, What] = *F.InlinedInto.begin();
      S += formatv("; it was inlined into the {0} code of {1} {2}",
                   v8log::tierName(What.first), Into,
                   whenText(What.second, Samples))
               .str();
    }
    Add(S);
  }
  if (Others) {
    std::string S =
        Others == 1 ? std::string("Of the one other kernel function that ran, ")
                    : formatv("Of the {0} other kernel functions that ran, ",
                              Others)
                          .str();
    std::vector<std::string> Parts;
    for (Tier T : Ladder)
      if (unsigned N = OthersAt[tierIndex(T)])
        Parts.push_back(T == Tier::Ignition
                            ? formatv("{0} stayed in Ignition", N).str()
                            : formatv("{0} reached {1}", N, v8log::tierName(T))
                                  .str());
    S += join(Parts, ", ");
    if (!Inlined.empty()) {
      S += formatv("; {0} {1} inlined ({2}", Inlined.size(),
                   Inlined.size() == 1 ? "was" : "were",
                   join(ArrayRef(Inlined).take_front(3), ", "));
      S += Inlined.size() > 3 ? ", ...)" : ")";
    }
    Add(S);
  }
  // Tier changes while the samples were being timed: the warm-up the
  // samples' series show. (Deopts get their own findings below.)
  std::vector<std::string> During;
  for (const TimelineEvent &E : R.Timeline)
    if (E.Kind == "tier" && E.Iteration >= 0 && E.Iteration < Samples)
      During.push_back(formatv("{0} got {1} code{2} in sample {3}", E.Function,
                               E.Tier,
                               StringRef(E.Reason).starts_with("inlined")
                                   ? " (" + E.Reason + ")"
                                   : std::string(),
                               E.Iteration));
  if (During.empty() && !Functions.empty()) {
    Add(formatv("No kernel function changed tier during the {0} timed "
                "samples",
                Samples));
  } else if (!During.empty()) {
    std::string S = formatv("{0} during the {1} timed samples (",
                            plural(During.size(), "tier change"), Samples);
    S += join(ArrayRef(During).take_front(3), "; ");
    S += During.size() > 3 ? "; ...)" : ")";
    Add(S);
  }

  // Sizes of the entry and of the functions with the most optimized code.
  std::vector<const FunctionInfo *> BySize;
  for (const FunctionInfo &F : Functions)
    if (F.BytecodeBytes && (F.Count[tierIndex(Tier::TurboFan)] ||
                            F.Count[tierIndex(Tier::Maglev)]))
      BySize.push_back(&F);
  llvm::stable_sort(BySize, [](const FunctionInfo *A, const FunctionInfo *B) {
    auto Big = [](const FunctionInfo *F) {
      return std::max(F->Bytes[tierIndex(Tier::TurboFan)],
                      F->Bytes[tierIndex(Tier::Maglev)]);
    };
    return Big(A) > Big(B);
  });
  for (size_t I = 0; I < BySize.size() && I < 2; ++I) {
    const FunctionInfo &F = *BySize[I];
    std::string S = formatv("{0}: {1} of bytecode", F.Name,
                            bytesText(F.BytecodeBytes));
    for (Tier T : {Tier::TurboFan, Tier::Maglev, Tier::Sparkplug})
      if (uint32_t B = F.Bytes[tierIndex(T)])
        S += formatv(", {0} of {1} code ({2:f1}x)", bytesText(B),
                     v8log::tierName(T), double(B) / F.BytecodeBytes)
                 .str();
    Add(S);
  }

  // Deopts.
  unsigned Total = 0, InSamples = 0;
  for (const DeoptGroup &G : DeoptGroups) {
    Total += G.Count;
    InSamples += G.InSamples;
  }
  if (Total == 0) {
    Add(formatv("V8 deoptimized no kernel function in this run ({0} timed "
                "samples)",
                Samples));
  } else {
    std::vector<const DeoptGroup *> Sorted;
    for (const DeoptGroup &G : DeoptGroups)
      Sorted.push_back(&G);
    llvm::stable_sort(Sorted, [](const DeoptGroup *A, const DeoptGroup *B) {
      return A->Count > B->Count;
    });
    for (size_t I = 0; I < Sorted.size() && I < 3; ++I) {
      const DeoptGroup &G = *Sorted[I];
      std::string S = formatv("V8 deoptimized {0}'s {1} code {2}: '{3}'",
                              G.Function, v8log::tierName(G.Level),
                              times(G.Count), G.Reason);
      if (G.KernelLine)
        S += " at line " + std::to_string(G.KernelLine);
      if (!G.Context.empty())
        S += " (" + G.Context + ")";
      if (G.InSamples == 0)
        S += G.FirstSample >= Samples ? ", after sampling"
                                      : ", all before the first timed sample";
      else if (G.InSamples == G.Count)
        S += ", all during timed samples";
      else
        S += formatv(", {0} of them during timed samples", G.InSamples).str();
      // A deopt in every call of every sample is a cost the time per call
      // includes, not warm-up.
      double PerCall = Samples && Top->Report.Batch
                           ? double(G.InSamples) / Samples / Top->Report.Batch
                           : 0;
      if (PerCall > 0.9 && PerCall < 1.1)
        S += formatv(": once per call ({0} of {1})", plural(Samples, "sample"),
                     plural(Top->Report.Batch, "call"))
                 .str();
      else if (PerCall > 0)
        S += formatv(" ({0:f2} per call)", PerCall).str();
      Add(S);
    }
    if (Sorted.size() > 3)
      Add(formatv("V8 deoptimized kernel code {0} in total ({1} kinds), {2} "
                  "of them during the {3} timed samples",
                  times(Total), Sorted.size(), InSamples, Samples));
  }

  // Did each lower rung hold? Count what its log created above its tier.
  std::string Held;
  bool AllHeld = true;
  for (Tier T : {Tier::Maglev, Tier::Sparkplug, Tier::Ignition}) {
    if (!Runs[tierIndex(T)])
      continue;
    const Instrumented &I = *Runs[tierIndex(T)];
    std::array<unsigned, NumTiers> N{};
    for (const v8log::CodeObject &K : I.Log.Codes)
      ++N[tierIndex(K.Level)];
    unsigned Above = 0;
    for (size_t X = tierIndex(T) + 1; X < NumTiers; ++X)
      Above += N[X];
    if (Above) {
      AllHeld = false;
      Add(formatv("{0} did not hold V8 at {1}: its log has {2} code objects "
                  "of a higher tier",
                  v8log::pinTier(T, Options).Flags.front(),
                  v8log::tierName(T), Above));
    }
    if (!Held.empty())
      Held += "; ";
    Held += formatv("{0}: {1} {2}", rungName(T), N[tierIndex(T)],
                    T == Tier::Ignition ? "bytecode arrays"
                                        : v8log::tierName(T) + " code objects");
  }
  if (AllHeld && !Held.empty())
    Add("Each lower rung held its tier: its instrumented run created no code "
        "above it in any JS function (" + Held + ")");

  bool Optimized = llvm::any_of(Functions, [](const FunctionInfo &F) {
    return F.Count[tierIndex(Tier::TurboFan)] ||
           F.Count[tierIndex(Tier::Maglev)];
  });
  if (Optimized && v8log::parseCodeListings(Top->Stdout).empty())
    Add("This node printed no optimized code (--print-opt-code), so the code "
        "panes give sizes only");
}

void V8Explainer::addFacts() {
  json::Object &F = R.Facts;
  F["node"] = C.Base.Node;
  json::Array Rungs;
  for (Tier T : Ladder) {
    json::Object O{{"rung", rungName(T)}};
    v8log::RungPin Pin = v8log::pinTier(T, Options);
    O["flags"] = json::Array(Pin.Flags);
    if (!Pin.Missing.empty())
      O["missing"] = Pin.Missing;
    if (const auto &Res = Timed[tierIndex(T)]) {
      O["ns_per_call"] = Res->TimePerCall->Estimate;
      O["ns_per_call_low"] = Res->TimePerCall->Low;
      O["ns_per_call_high"] = Res->TimePerCall->High;
      O["engine"] = Res->Engine;
    }
    if (const auto &I = Runs[tierIndex(T)]) {
      json::Object Run{
          {"samples", I->Log.Samples},
          {"wall_s", I->WallSec},
          {"deopts_in_log", static_cast<int64_t>(I->Log.Deopts.size())}};
      std::array<unsigned, NumTiers> N{};
      for (const v8log::CodeObject &K : I->Log.Codes)
        ++N[tierIndex(K.Level)];
      for (Tier X : Ladder)
        Run[("code_objects_" + v8log::tierName(X).lower())] =
            static_cast<int64_t>(N[tierIndex(X)]);
      if (!I->Failure.empty())
        Run["failure"] = I->Failure;
      if (I->Log.Malformed)
        Run["malformed_log_events"] = static_cast<int64_t>(I->Log.Malformed);
      O["instrumented"] = std::move(Run);
    }
    Rungs.push_back(std::move(O));
  }
  F["rungs"] = std::move(Rungs);
  if (Runs[tierIndex(Tier::TurboFan)])
    F["v8_version"] = Runs[tierIndex(Tier::TurboFan)]->Log.V8Version;

  json::Array Fns;
  for (const FunctionInfo &Fn : Functions) {
    json::Object O{{"name", Fn.Name},
                   {"kernel_line", Fn.KernelLine},
                   {"bytecode_bytes", Fn.BytecodeBytes},
                   {"first_call_sample", Fn.BytecodeSample},
                   {"deopts", Fn.Deopts}};
    for (Tier T : {Tier::Sparkplug, Tier::Maglev, Tier::TurboFan}) {
      size_t X = tierIndex(T);
      if (!Fn.Count[X])
        continue;
      O[v8log::tierName(T).lower()] =
          json::Object{{"code_objects", Fn.Count[X]},
                       {"last_bytes", Fn.Bytes[X]},
                       {"first_sample", Fn.First[X]},
                       {"first_ms", Fn.FirstMs[X]}};
    }
    json::Array Into;
    for (const auto &[Where, What] : Fn.InlinedInto)
      Into.push_back(json::Object{{"into", Where},
                                  {"tier", v8log::tierName(What.first)},
                                  {"first_sample", What.second}});
    if (!Into.empty())
      O["inlined_into"] = std::move(Into);
    Fns.push_back(std::move(O));
  }
  F["functions"] = std::move(Fns);

  json::Array Deopts;
  for (const DeoptGroup &G : DeoptGroups)
    Deopts.push_back(json::Object{{"function", G.Function},
                                  {"tier", v8log::tierName(G.Level)},
                                  {"reason", G.Reason},
                                  {"context", G.Context},
                                  {"kernel_line", G.KernelLine},
                                  {"count", G.Count},
                                  {"during_samples", G.InSamples},
                                  {"first_sample", G.FirstSample}});
  F["deopts"] = std::move(Deopts);
  F["harness_deopts"] = HarnessDeopts;

  // Factors between the rungs, for the JSON report.
  json::Object Factors;
  for (size_t I = 0; I + 1 < NumTiers; ++I)
    for (size_t J = I + 1; J < NumTiers; ++J) {
      const auto &A = Timed[tierIndex(Ladder[I])],
                 &B = Timed[tierIndex(Ladder[J])];
      if (A && B && A->TimePerCall->Estimate > 0)
        Factors[(v8log::tierName(Ladder[J]).lower() + "_over_" +
                 v8log::tierName(Ladder[I]).lower())] =
            B->TimePerCall->Estimate / A->TimePerCall->Estimate;
    }
  F["factors"] = std::move(Factors);
}

} // namespace

Expected<RuntimeExplanation> explainV8(const Context &C,
                                       raw_ostream &Progress) {
  return V8Explainer(C, Progress).run();
}

} // namespace explain
} // namespace kc
