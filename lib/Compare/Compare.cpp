//===- Compare.cpp - rtcompare: one kernel on every runtime ---------------===//
//
// Order of work for one kernel: compile it (types, workload), generate its
// inputs once, emit the JS and Python modules and build the C reference,
// run every implementation once to get its result, agree on the result,
// then time the agreeing implementations in interleaved process executions
// (implementation A, B, C, A, B, C, ... so slow drift of the machine hits
// all of them alike), and analyse.
//
//===----------------------------------------------------------------------===//

#include "Compare/Compare.h"
#include "Compare/Process.h"
#include "Driver/Driver.h"
#include "Target/JS/JSBackend.h"
#include "Target/Python/PyBackend.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <unistd.h>

using namespace kc;
using namespace kc::compare;

static llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

namespace {
struct ImplInfo {
  ImplKind Kind;
  const char *Name;
  const char *Runtime;
  bool Reference;
};
const ImplInfo Impls[] = {
    {ImplKind::Native, "native", "native", false},
    {ImplKind::C, "c", "native", true},
    {ImplKind::V8, "v8", "v8", false},
    {ImplKind::V8System, "v8-system", "v8", false},
    {ImplKind::CPython, "cpython", "cpython", false},
    {ImplKind::JS, "js", "v8", true},
    {ImplKind::Py, "py", "cpython", true},
};
const ImplInfo &info(ImplKind K) {
  for (const ImplInfo &I : Impls)
    if (I.Kind == K)
      return I;
  llvm_unreachable("every ImplKind is in the table");
}
} // namespace

llvm::StringRef compare::implName(ImplKind K) { return info(K).Name; }
llvm::StringRef compare::implRuntime(ImplKind K) { return info(K).Runtime; }
bool compare::implIsReference(ImplKind K) { return info(K).Reference; }

std::optional<ImplKind> compare::referenceOf(ImplKind K) {
  switch (K) {
  case ImplKind::Native: return ImplKind::C;
  case ImplKind::V8:
  case ImplKind::V8System: return ImplKind::JS;
  case ImplKind::CPython: return ImplKind::Py;
  case ImplKind::C:
  case ImplKind::JS:
  case ImplKind::Py: return std::nullopt;
  }
  llvm_unreachable("bad implementation");
}

std::vector<std::string> compare::allowedImports(ImplKind K,
                                                const Config &Cfg) {
  std::vector<std::string> Out;
  switch (K) {
  case ImplKind::Native:
  case ImplKind::C:
    return Out; // native code is not confined by imports
  case ImplKind::V8:
  case ImplKind::V8System:
  case ImplKind::JS:
    break; // kernelc's ES modules and the JS references import nothing
  case ImplKind::CPython:
    // What lib/Target/Python emits: `from math import ...`,
    // `from itertools import compress`, `from struct import Struct`.
    Out = {"itertools", "math", "struct"};
    break;
  case ImplKind::Py:
    // Pure computation only: no I/O, no processes, no introspection.
    Out = {"array",     "bisect", "collections", "functools", "heapq",
           "itertools", "math",   "operator",    "struct"};
    break;
  }
  for (const auto &E : Cfg.ExtraImports)
    if (E.first == K && llvm::find(Out, E.second) == Out.end())
      Out.push_back(E.second);
  return Out;
}

llvm::Error compare::addAllowedImports(llvm::StringRef Spec, Config &Cfg) {
  auto [Name, List] = Spec.split('=');
  auto Bad = [&](const llvm::Twine &Why) {
    return makeError("--allow-import=" + Spec + ": " + Why);
  };
  auto K = parseImplList(Name);
  if (!K)
    return Bad(llvm::toString(K.takeError()));
  if (K->size() != 1 || implRuntime(K->front()) == "native")
    return Bad("takes one of v8, v8-system, js, cpython, py, then '=' and "
               "module names");
  llvm::SmallVector<llvm::StringRef, 4> Mods;
  List.split(Mods, ',', -1, /*KeepEmpty=*/false);
  if (Mods.empty())
    return Bad("no module named");
  for (llvm::StringRef M : Mods) {
    M = M.trim();
    if (M.empty() || llvm::any_of(M, [](char C) {
          return !llvm::isAlnum(C) && !llvm::StringRef("_.:/-@").contains(C);
        }))
      return Bad("'" + M + "' is not a module name");
    Cfg.ExtraImports.emplace_back(K->front(), M.str());
  }
  return llvm::Error::success();
}

llvm::Expected<std::vector<ImplKind>>
compare::parseImplList(llvm::StringRef List) {
  std::vector<ImplKind> Out;
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  List.split(Parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    bool Found = false;
    for (const ImplInfo &I : Impls)
      if (P == I.Name) {
        if (llvm::find(Out, I.Kind) == Out.end())
          Out.push_back(I.Kind);
        Found = true;
      }
    if (!Found)
      return makeError("unknown runtime '" + P +
                       "' (known: native, c, v8, v8-system, cpython, js, py)");
  }
  if (Out.empty())
    return makeError("no runtimes selected");
  // Report order is the table's, whatever order they were given in.
  llvm::sort(Out, [](ImplKind A, ImplKind B) { return A < B; });
  return Out;
}

llvm::StringRef compare::statusName(Status S) {
  switch (S) {
  case Status::Ok: return "ok";
  case Status::Diverged: return "DIVERGED";
  case Status::Failed: return "FAILED";
  case Status::Skipped: return "skipped";
  }
  llvm_unreachable("bad status");
}

bool KernelResult::allAgree() const {
  for (const ImplResult &I : Impls)
    if (I.St == Status::Diverged)
      return false;
  return true;
}

bool KernelResult::anyFailed() const {
  for (const ImplResult &I : Impls)
    if (I.St == Status::Failed || I.St == Status::Diverged)
      return true;
  return false;
}

static bool readF64(llvm::StringRef S, size_t At, double &Out) {
  uint64_t Bits;
  if (At + 20 > S.size() || !S.substr(At).starts_with("f64:") ||
      S.substr(At + 4, 16).getAsInteger(16, Bits))
    return false;
  std::memcpy(&Out, &Bits, sizeof Out);
  return true;
}

bool compare::canonicalEquivalent(llvm::StringRef A, llvm::StringRef B,
                                  double Tol) {
  if (A == B)
    return true;
  if (Tol <= 0)
    return false;
  size_t I = 0, J = 0;
  while (I < A.size() && J < B.size()) {
    double X, Y;
    if (readF64(A, I, X) && readF64(B, J, Y)) {
      bool Close = (std::isnan(X) && std::isnan(Y)) ||
                   std::fabs(X - Y) <= Tol * std::max(std::fabs(X), std::fabs(Y));
      if (!Close)
        return false;
      I += 20;
      J += 20;
      continue;
    }
    if (A[I++] != B[J++])
      return false;
  }
  return I == A.size() && J == B.size();
}

std::string compare::displayCanonical(llvm::StringRef Canonical, size_t Max) {
  std::string Out;
  // f64:HEX -> %.17g, wherever it appears.
  for (size_t I = 0; I < Canonical.size();) {
    if (Canonical.substr(I).starts_with("f64:") && I + 20 <= Canonical.size()) {
      uint64_t Bits = 0;
      if (!Canonical.substr(I + 4, 16).getAsInteger(16, Bits)) {
        double D;
        std::memcpy(&D, &Bits, sizeof D);
        Out += llvm::formatv("{0}", llvm::format("%.17g", D)).str();
        I += 20;
        continue;
      }
    }
    Out += Canonical[I++];
  }
  if (Out.size() > Max)
    Out = Out.substr(0, Max - 3) + "...";
  return Out;
}

/// Whether \p K runs in one of this build's runners rather than in node.
static bool runsInOurRunner(ImplKind K) {
  switch (K) {
  case ImplKind::Native:
  case ImplKind::C:
  case ImplKind::CPython:
  case ImplKind::Py:
    return true;
  case ImplKind::V8:
  case ImplKind::V8System:
  case ImplKind::JS:
    return false;
  }
  llvm_unreachable("bad implementation");
}

namespace {

/// Everything prepared once per kernel.
struct Prepared {
  std::string KernelName, File, Workload, Size;
  int64_t SizeValue = 0;
  bench::Job Template;  // module empty
  std::map<ImplKind, std::string> Modules;
  std::map<ImplKind, std::string> PrepareErrors;
};

std::string absolute(llvm::StringRef P) {
  llvm::SmallString<256> S(P);
  llvm::sys::fs::make_absolute(S);
  llvm::sys::path::remove_dots(S, /*remove_dot_dot=*/true);
  return std::string(S);
}

llvm::Error writeFile(llvm::StringRef Path,
                      llvm::function_ref<void(llvm::raw_ostream &)> Write) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    return makeError("cannot write '" + Path + "': " + EC.message());
  Write(OS);
  OS.close();
  if (OS.has_error())
    return makeError("error writing '" + Path + "'");
  return llvm::Error::success();
}

const char *cTypeOf(const kir::Type *T) {
  switch (T->Kind) {
  case kir::TypeKind::Void: return "void";
  case kir::TypeKind::Bool: return "_Bool";
  case kir::TypeKind::I32: return "int32_t";
  case kir::TypeKind::U32: return "uint32_t";
  case kir::TypeKind::Int: return "int64_t";
  case kir::TypeKind::F64: return "double";
  default: return "void *";  // every heap value is a pointer in the C ABI
  }
}

/// The kc_entry of a C reference: unpacks argument slots for the entry's C
/// signature (kcrt.h's ABI), so the native runner calls C references and
/// kernelc's code alike.
std::string cEntryWrapper(const kir::Function &F) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << "/* Generated by rtcompare: calls the reference through kc_entry. */\n"
        "#include <stdint.h>\n";
  OS << cTypeOf(F.RetTy) << " " << F.Name << "(";
  for (size_t I = 0; I < F.Params.size(); ++I)
    OS << (I ? ", " : "") << cTypeOf(F.Params[I]->Ty);
  if (F.Params.empty())
    OS << "void";
  OS << ");\n";
  OS << "void kc_entry(void **args, void *ret) {\n  ";
  if (F.RetTy->Kind != kir::TypeKind::Void)
    OS << "*(" << cTypeOf(F.RetTy) << " *)ret = ";
  OS << F.Name << "(";
  for (size_t I = 0; I < F.Params.size(); ++I)
    OS << (I ? ", " : "") << "*(" << cTypeOf(F.Params[I]->Ty) << " *)args["
       << I << "]";
  OS << ");\n}\n";
  return OS.str();
}

/// The settings a reused record must have been measured with.
std::string settingsFingerprint(const Config &Cfg) {
  std::string S = llvm::formatv("iterations={0};min_sample_ns={1};"
                                "process_budget_ns={2}",
                                Cfg.Iterations, Cfg.MinSampleNs,
                                Cfg.ProcessBudgetNs)
                      .str();
  for (const std::string &F : Cfg.NodeFlags)
    S += ";node:" + F;
  // The native rungs of explain are one implementation compiled three ways.
  if (Cfg.NativeOptLevel != 2 || !Cfg.NativeEngineChecks.empty())
    S += llvm::formatv(";native:-O{0}:{1}", Cfg.NativeOptLevel,
                       Cfg.NativeEngineChecks)
             .str();
  return S;
}

class KernelRunner {
public:
  KernelRunner(const Config &Cfg, llvm::raw_ostream &Progress)
      : Cfg(Cfg), Progress(Progress) {}

  llvm::Expected<KernelResult> run(llvm::StringRef File) {
    if (llvm::Error E = prepare(File))
      return std::move(E);
    KernelResult R;
    R.Kernel = P.KernelName;
    R.File = P.File;
    R.Workload = P.Workload;
    R.Size = P.Size;
    R.SizeValue = P.SizeValue;
    for (ImplKind K : Cfg.Impls) {
      ImplResult I;
      I.Kind = K;
      auto It = P.PrepareErrors.find(K);
      if (It != P.PrepareErrors.end()) {
        I.St = Status::Failed;
        I.Message = It->second;
      }
      R.Impls.push_back(std::move(I));
    }
    if (Cfg.Resume)
      loadPrevious();
    checkResults(R);
    if (!Cfg.CheckOnly) {
      measure(R);
      analyse(R);
    }
    return R;
  }

private:
  const Config &Cfg;
  llvm::raw_ostream &Progress;
  Prepared P;
  std::unique_ptr<kir::Module> M;
  unsigned JobCounter = 0;
  /// Records of an earlier run of this kernel (--resume), by
  /// "kind/implementation/process".
  std::map<std::string, llvm::json::Object> Previous;

  static std::string recordKey(llvm::StringRef Kind, ImplKind K,
                               int64_t Process) {
    return (Kind + "/" + implName(K) + "/" + llvm::Twine(Process)).str();
  }

  /// Reads the results file once per kernel; a line that does not parse
  /// (cut off by a kill) or belongs to another kernel, size or setting is
  /// ignored, so it is simply measured again.
  void loadPrevious() {
    auto Buf = llvm::MemoryBuffer::getFile(Cfg.ResultsPath);
    if (!Buf)
      return;
    std::string Settings = settingsFingerprint(Cfg);
    llvm::SmallVector<llvm::StringRef, 0> Lines;
    (*Buf)->getBuffer().split(Lines, '\n', -1, false);
    for (llvm::StringRef Line : Lines) {
      auto V = llvm::json::parse(Line);
      if (!V) {
        llvm::consumeError(V.takeError());
        continue;
      }
      llvm::json::Object *O = V->getAsObject();
      if (!O || O->getString("file") != llvm::StringRef(P.File) ||
          O->getString("workload") != llvm::StringRef(P.Workload) ||
          O->getString("size") != llvm::StringRef(P.Size) ||
          O->getString("settings") != llvm::StringRef(Settings))
        continue;
      auto Impl = O->getString("implementation");
      auto Kind = O->getString("kind");
      auto Proc = O->getInteger("process");
      if (!Impl || !Kind || !Proc)
        continue;
      auto K = parseImplList(*Impl);
      if (!K) {
        llvm::consumeError(K.takeError());
        continue;
      }
      Previous[recordKey(*Kind, K->front(), *Proc)] = std::move(*O);
    }
    if (!Previous.empty())
      Progress << "[" << P.KernelName << "] resuming: " << Previous.size()
               << " completed records reused\n";
  }

  /// The process execution a record describes.
  static ProcessRun runFromRecord(const llvm::json::Object &O) {
    ProcessRun Run;
    bench::RunnerReport &Rep = Run.Report;
    Rep.Runtime = O.getString("runtime").value_or("").str();
    Rep.Version = O.getString("version").value_or("").str();
    Rep.Engine = O.getString("engine").value_or("").str();
    if (const llvm::json::Array *Flags = O.getArray("flags"))
      for (const llvm::json::Value &F : *Flags)
        if (auto S = F.getAsString())
          Rep.Flags.push_back(S->str());
    Rep.Batch = O.getInteger("batch").value_or(0);
    Rep.TimerNs = O.getNumber("timer_ns").value_or(0);
    if (const llvm::json::Array *Samples = O.getArray("ns_per_call"))
      for (const llvm::json::Value &S : *Samples)
        if (auto D = S.getAsNumber())
          Rep.SampleNsPerCall.push_back(*D);
    if (auto C = O.getString("canonical"))
      Rep.Canonical = C->str();
    Rep.Done = true;
    Run.WallSec = O.getNumber("wall_s").value_or(0);
    Run.Failure = O.getString("failure").value_or("").str();
    Run.Fault = O.getString("fault").value_or("").str();
    return Run;
  }

  /// A previous record for this step, or a fresh process execution that is
  /// then recorded.
  ProcessRun runOrReuse(ImplKind K, bool CheckOnly, unsigned Index,
                        bool &Reused) {
    llvm::StringRef Kind = CheckOnly ? "check" : "process";
    auto It = Previous.find(recordKey(Kind, K, Index));
    Reused = It != Previous.end();
    if (Reused)
      return runFromRecord(It->second);
    return runProcess(K, CheckOnly);
  }

  std::string workPath(const llvm::Twine &Name) {
    llvm::SmallString<256> S(Cfg.WorkDir);
    llvm::sys::path::append(S, Name);
    return std::string(S);
  }

  llvm::Error prepare(llvm::StringRef File) {
    std::string Diags;
    llvm::raw_string_ostream DiagOS(Diags);
    auto Mod = driver::compileFile(File, DiagOS);
    if (!Mod)
      return makeError(DiagOS.str() + llvm::toString(Mod.takeError()));
    M = std::move(*Mod);
    const kir::Function *Entry = M->getEntry();
    if (!Entry)
      return makeError("'" + File + "' has no bench section");
    auto W = driver::findWorkload(*M, Cfg.Workload);
    if (!W)
      return W.takeError();
    P.File = absolute(File);
    P.KernelName = llvm::sys::path::stem(File).str();
    P.Workload = (*W)->Name;
    P.SizeValue = Cfg.ExplicitSize ? *Cfg.ExplicitSize
                                   : (*W)->Sizes[static_cast<int>(Cfg.Size)];
    P.Size = Cfg.ExplicitSize ? std::to_string(*Cfg.ExplicitSize)
                              : bench::sizeClassName(Cfg.Size).str();

    if (std::error_code EC = llvm::sys::fs::create_directories(Cfg.WorkDir))
      return makeError("cannot create '" + Cfg.WorkDir + "': " + EC.message());
    auto Values = bench::generateWithSize(**W, P.SizeValue);
    if (!Values)
      return Values.takeError();
    std::string Stem = P.KernelName + "." + P.Workload + "." + P.Size;
    std::string Inputs = workPath(Stem + ".kin");
    if (llvm::Error E = writeFile(Inputs, [&](llvm::raw_ostream &OS) {
          bench::writeInputs(*Values, OS);
        }))
      return E;

    bench::Job &J = P.Template;
    driver::setJobSignature(*Entry, J);
    J.Inputs = Inputs;
    J.Iterations = Cfg.Iterations;
    J.MinSampleNs = Cfg.MinSampleNs;
    J.TimeBudgetNs = Cfg.ProcessBudgetNs;

    for (ImplKind K : Cfg.Impls) {
      auto Override = llvm::find_if(Cfg.ModuleOverrides, [&](const auto &O) {
        return O.first == K;
      });
      llvm::Expected<std::string> Mod =
          Override == Cfg.ModuleOverrides.end()
              ? prepareModule(K, *Entry)
          : K == ImplKind::C ? buildCReference(*Entry, absolute(Override->second))
                             : absolute(Override->second);
      if (Mod)
        P.Modules[K] = *Mod;
      else
        P.PrepareErrors[K] = llvm::toString(Mod.takeError());
    }
    return llvm::Error::success();
  }

  llvm::Expected<std::string> reference(llvm::StringRef Lang,
                                        llvm::StringRef Ext) {
    llvm::SmallString<256> S(Cfg.ReferenceDir);
    llvm::sys::path::append(S, Lang, P.KernelName + "." + Ext);
    if (!llvm::sys::fs::exists(S))
      return makeError("no reference " + S);
    return absolute(S);
  }

  llvm::Expected<std::string> prepareModule(ImplKind K,
                                            const kir::Function &Entry) {
    switch (K) {
    case ImplKind::Native:
      return P.File;
    case ImplKind::V8:
    case ImplKind::V8System: {
      std::string Out = workPath(P.KernelName + ".mjs");
      llvm::Error Inner = llvm::Error::success();
      llvm::Error E = writeFile(Out, [&](llvm::raw_ostream &OS) {
        Inner = jsgen::emitModule(*M, OS);
      });
      if (E || Inner)
        return llvm::joinErrors(std::move(E), std::move(Inner));
      return Out;
    }
    case ImplKind::CPython: {
      std::string Out = workPath(P.KernelName + ".py");
      llvm::Error Inner = llvm::Error::success();
      llvm::Error E = writeFile(Out, [&](llvm::raw_ostream &OS) {
        Inner = pygen::emitModule(*M, OS);
      });
      if (E || Inner)
        return llvm::joinErrors(std::move(E), std::move(Inner));
      return Out;
    }
    case ImplKind::JS:
      return reference("js", "mjs");
    case ImplKind::Py:
      return reference("py", "py");
    case ImplKind::C: {
      auto Src = reference("c", "c");
      if (!Src)
        return Src.takeError();
      return buildCReference(Entry, *Src);
    }
    }
    llvm_unreachable("bad implementation");
  }

  /// clang-19 -O2 -shared: the reference, its shared driver (harmless, and
  /// it resolves helpers the reference may use) and the kc_entry wrapper.
  llvm::Expected<std::string> buildCReference(const kir::Function &Entry,
                                              llvm::StringRef SrcPath) {
    std::string Src = SrcPath.str();
    if (Cfg.Clang.empty())
      return makeError("clang-19 not found: cannot build the C reference");
    std::string Wrapper = workPath(P.KernelName + ".entry.c");
    if (llvm::Error E = writeFile(Wrapper, [&](llvm::raw_ostream &OS) {
          OS << cEntryWrapper(Entry);
        }))
      return std::move(E);
    std::string Out = workPath("ref-" + P.KernelName + ".so");
    std::string RefDir = llvm::sys::path::parent_path(Src).str();
    std::string RefMain = RefDir + "/refmain.c";
    std::vector<std::string> Args = {Cfg.Clang, "-std=c11", "-O2",
                                     "-ffp-contract=off", "-shared", "-fPIC",
                                     // Bind the wrapper's call to this
                                     // object's own entry: a reference named
                                     // crc32 must not resolve to zlib's.
                                     "-Wl,-Bsymbolic",
                                     "-I" + Cfg.RuntimeInclude, "-I" + RefDir,
                                     Src, Wrapper};
    if (llvm::sys::fs::exists(RefMain))
      Args.push_back(RefMain);
#ifdef KC_SANITIZE
    // Checked like the rest of a sanitizer build (docs/testing.md): the
    // runner, instrumented too, provides the sanitizer runtime.
    Args.insert(Args.end(), {"-g", "-fsanitize=" KC_SANITIZE,
                             "-fno-sanitize-recover=undefined",
                             "-fno-omit-frame-pointer"});
#endif
    Args.insert(Args.end(), {"-o", Out, "-lm"});
    std::string Log = workPath(P.KernelName + ".clang.log");
    llvm::SmallVector<llvm::StringRef, 16> Refs(Args.begin(), Args.end());
    std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""),
                                                  llvm::StringRef(Log),
                                                  llvm::StringRef(Log)};
    std::string Err;
    int RC = llvm::sys::ExecuteAndWait(Cfg.Clang, Refs, std::nullopt,
                                       Redirects, 120, 0, &Err);
    if (RC != 0) {
      std::string Msg = "clang-19 failed to build the C reference";
      if (auto Buf = llvm::MemoryBuffer::getFile(Log))
        Msg += ": " + (*Buf)->getBuffer().take_front(400).str();
      return makeError(Msg);
    }
    return Out;
  }

  /// The command line of a runner process for \p K and \p J, written at
  /// \p JobPath.
  std::vector<std::string> commandFor(ImplKind K, const bench::Job &J,
                                      llvm::StringRef JobPath) {
    switch (K) {
    case ImplKind::Native:
    case ImplKind::C:
      return {Cfg.RunnerNative, JobPath.str()};
    case ImplKind::CPython:
    case ImplKind::Py:
      return {Cfg.RunnerCPython, JobPath.str()};
    case ImplKind::V8:
    case ImplKind::V8System:
    case ImplKind::JS: {
      std::string Node = K == ImplKind::V8System ? Cfg.SystemNode : Cfg.Node;
      if (Node.empty())
        return {""};
      std::vector<std::string> Cmd = {Node};
      Cmd.insert(Cmd.end(), Cfg.NodeFlags.begin(), Cfg.NodeFlags.end());
      llvm::append_range(
          Cmd, nodePermissionFlags(
                   Node,
                   {llvm::sys::path::parent_path(Cfg.Harness).str(),
                    JobPath.str(), J.Inputs, J.Module},
                   Cfg.WorkDir));
      Cmd.push_back(Cfg.Harness);
      Cmd.push_back(JobPath.str());
      return Cmd;
    }
    }
    llvm_unreachable("bad implementation");
  }

  ProcessRun runProcess(ImplKind K, bool CheckOnly) {
    ProcessRun Run;
    bench::Job J = P.Template;
    J.Module = P.Modules[K];
    J.CheckOnly = CheckOnly;
    if (K == ImplKind::Native && llvm::StringRef(J.Module).ends_with(".k")) {
      J.OptLevel = Cfg.NativeOptLevel;
      J.EngineChecks = Cfg.NativeEngineChecks;
    }
    if (implRuntime(K) != "native")
      J.AllowedImports = allowedImports(K, Cfg);
    // The pid keeps a resumed run's files apart from those a killed run
    // left behind.
    std::string Base = workPath(P.KernelName + "." + implName(K).str() + "." +
                                std::to_string(::getpid()) + "." +
                                std::to_string(JobCounter++));
    std::string JobPath = Base + ".job.json", Out = Base + ".out",
                ErrPath = Base + ".err";
    if (llvm::Error E = writeFile(JobPath, [&](llvm::raw_ostream &OS) {
          bench::writeJob(J, OS);
        })) {
      Run.Failure = llvm::toString(std::move(E));
      Run.Fault = faultName(FaultKind::Start).str();
      return Run;
    }
    std::vector<std::string> Cmd = commandFor(K, J, JobPath);
    if (Cmd.front().empty()) {
      Run.Failure = "no runner for " + implName(K).str() + " on this machine";
      Run.Fault = faultName(FaultKind::Start).str();
      return Run;
    }
    ChildSpec Spec;
    Spec.Args = std::move(Cmd);
    // Children get a clean environment: nothing of the caller's leaks in.
    Spec.Env = runnerEnvironment(Cfg.WorkDir);
    Spec.StdoutPath = Out;
    Spec.StderrPath = ErrPath;
    Spec.TimeoutSec = Cfg.TimeoutSec;
    Spec.MemoryLimitMB = Cfg.MemoryLimitMB;
    if (runsInOurRunner(K))
      addSanitizerSettings(Spec);
    auto Start = std::chrono::steady_clock::now();
    ChildExit Exit = runChild(Spec);
    Run.WallSec = std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - Start)
                      .count();
    std::string OutputError;
    if (auto OutBuf = llvm::MemoryBuffer::getFile(Out)) {
      auto Rep = bench::parseRunnerOutput((*OutBuf)->getBuffer());
      if (Rep)
        Run.Report = std::move(*Rep);
      else
        OutputError = llvm::toString(Rep.takeError());
    } else if (Exit.ran()) {
      OutputError = "cannot read '" + Out + "'";
    }
    std::string Log;
    if (auto ErrBuf = llvm::MemoryBuffer::getFile(ErrPath))
      Log = (*ErrBuf)->getBuffer().take_front(1 << 16).str();
    Fault F = classifyExit(Exit, Run.Report, OutputError, Log, Cfg.TimeoutSec,
                           Cfg.MemoryLimitMB);
    if (F.Kind == FaultKind::None)
      return Run;
    Run.Fault = faultName(F.Kind).str();
    Run.Failure = F.Message;
    // Where the runner died on its own, its stderr says more.
    if (!Exit.TimedOut && !Run.Report.ErrorKind && !Log.empty())
      Run.Failure += " (log: " + ErrPath + ")";
    return Run;
  }

  void appendResult(const ImplResult &I, const ProcessRun &Run,
                    unsigned Index, llvm::StringRef Kind) {
    if (Cfg.ResultsPath.empty())
      return;
    llvm::json::Array Samples;
    for (double S : Run.Report.SampleNsPerCall)
      Samples.push_back(S);
    llvm::json::Array Flags;
    for (const std::string &F : Run.Report.Flags)
      Flags.push_back(F);
    llvm::json::Object O{
        {"kind", Kind},
        {"kernel", P.KernelName},
        {"file", P.File},
        {"workload", P.Workload},
        {"size", P.Size},
        {"size_value", P.SizeValue},
        {"settings", settingsFingerprint(Cfg)},
        {"implementation", implName(I.Kind)},
        {"runtime", Run.Report.Runtime},
        {"version", Run.Report.Version},
        {"engine", Run.Report.Engine},
        {"flags", std::move(Flags)},
        {"process", Index},
        {"batch", static_cast<int64_t>(Run.Report.Batch)},
        {"timer_ns", Run.Report.TimerNs},
        {"ns_per_call", std::move(Samples)},
        {"wall_s", Run.WallSec},
        {"failure", Run.Failure},
        {"fault", Run.Fault},
    };
    if (Run.Report.Canonical)
      O["canonical"] = *Run.Report.Canonical;
    std::string Line;
    llvm::raw_string_ostream(Line) << llvm::json::Value(std::move(O)) << "\n";
    // One record per completed process execution, appended at once with a
    // single unbuffered write of the whole line: a killed rtcompare loses at
    // most the run in progress, and at worst leaves a cut-off last line
    // that repairResultsFile drops.
    std::error_code EC;
    llvm::raw_fd_ostream OS(Cfg.ResultsPath, EC, llvm::sys::fs::OF_Append);
    if (EC) {
      Progress << "rtcompare: cannot append to '" << Cfg.ResultsPath
               << "': " << EC.message() << "\n";
      return;
    }
    OS.SetUnbuffered();
    OS << Line;
  }

  void checkResults(KernelResult &R) {
    std::map<std::string, unsigned> Votes;
    for (ImplResult &I : R.Impls) {
      if (I.St != Status::Ok)
        continue;
      Progress << "[" << P.KernelName << "] checking " << implName(I.Kind)
               << "\n";
      bool Reused = false;
      ProcessRun Run = runOrReuse(I.Kind, /*CheckOnly=*/true, 0, Reused);
      if (!Reused)
        appendResult(I, Run, 0, "check");
      I.Version = Run.Report.Version;
      I.Engine = Run.Report.Engine;
      I.Flags = Run.Report.Flags;
      if (!Run.Failure.empty()) {
        I.St = Status::Failed;
        I.Message = Run.Failure;
        continue;
      }
      if (!Run.Report.Canonical) {
        I.St = Status::Failed;
        I.Message = "runner reported no result";
        continue;
      }
      I.Canonical = *Run.Report.Canonical;
      ++Votes[I.Canonical];
    }
    // The agreed result is the one most implementations agree with (within
    // the kernel's tolerance); a tie goes to kernelc's native code, the
    // reference point of every ratio.
    double Tol = M->Bench ? M->Bench->Tolerance : 0;
    auto Support = [&](const std::string &Text) {
      unsigned N = 0;
      for (const auto &V : Votes)
        if (canonicalEquivalent(Text, V.first, Tol))
          N += V.second;
      return N;
    };
    unsigned Best = 0;
    for (const auto &V : Votes)
      if (Support(V.first) > Best) {
        Best = Support(V.first);
        R.Agreed = V.first;
      }
    for (const ImplResult &I : R.Impls)
      if (I.Kind == ImplKind::Native && I.St == Status::Ok &&
          Support(I.Canonical) == Best)
        R.Agreed = I.Canonical;
    for (ImplResult &I : R.Impls)
      if (I.St == Status::Ok && !canonicalEquivalent(I.Canonical, R.Agreed, Tol)) {
        I.St = Status::Diverged;
        I.Message = "result " + displayCanonical(I.Canonical) +
                    ", the others agree on " + displayCanonical(R.Agreed);
      }
  }

  void measure(KernelResult &R) {
    auto Start = std::chrono::steady_clock::now();
    for (unsigned Proc = 0; Proc < Cfg.Processes; ++Proc) {
      double Elapsed = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - Start)
                           .count();
      if (Cfg.TimeBudgetSec > 0 && Proc >= 2 && Elapsed > Cfg.TimeBudgetSec) {
        Progress << "[" << P.KernelName << "] time budget reached after "
                 << Proc << " process executions\n";
        break;
      }
      for (ImplResult &I : R.Impls) {
        if (I.St != Status::Ok)
          continue;
        Progress << "[" << P.KernelName << "] " << implName(I.Kind)
                 << " process " << (Proc + 1) << "/" << Cfg.Processes;
        bool Reused = false;
        ProcessRun Run = runOrReuse(I.Kind, /*CheckOnly=*/false, Proc, Reused);
        Progress << (Reused ? llvm::formatv(" reused\n").str()
                            : llvm::formatv(" {0:f1} s\n", Run.WallSec).str());
        if (Run.Failure.empty() && Run.Report.Canonical &&
            !canonicalEquivalent(*Run.Report.Canonical, R.Agreed,
                                 M->Bench ? M->Bench->Tolerance : 0)) {
          Run.Failure = "result changed between runs: " +
                        displayCanonical(*Run.Report.Canonical);
          Run.Fault = "diverged";
          I.St = Status::Diverged;
        }
        if (Run.Failure.empty() && Run.Report.SampleNsPerCall.empty()) {
          Run.Failure = "runner reported no samples";
          Run.Fault = faultName(FaultKind::Protocol).str();
        }
        if (!Reused)
          appendResult(I, Run, Proc, "process");
        if (!Run.Failure.empty()) {
          if (I.St == Status::Ok)
            I.St = Status::Failed;
          I.Message = Run.Failure;
        }
        I.Runs.push_back(std::move(Run));
      }
    }
  }

  /// The steady-state iterations of each process execution.

  void analyse(KernelResult &R) {
    stats::BootstrapOptions BO;
    BO.Seed = Cfg.Seed;
    const ImplResult *Native = nullptr;
    auto Find = [&](ImplKind K) -> const ImplResult * {
      for (const ImplResult &I : R.Impls)
        if (I.Kind == K && I.St == Status::Ok && !I.SteadyMeans.empty())
          return &I;
      return nullptr;
    };
    for (ImplResult &I : R.Impls) {
      if (I.St != Status::Ok)
        continue;
      for (ProcessRun &Run : I.Runs) {
        Run.Warmup = stats::classify(Run.Report.SampleNsPerCall);
        I.SteadyMeans.push_back(Run.Warmup->SteadyMean);
        double SampleNs = Run.Warmup->SteadyMean * double(Run.Report.Batch);
        if (Run.Report.TimerNs > 0 && SampleNs > 0)
          I.TimerShare = std::max(I.TimerShare.value_or(0),
                                  2 * Run.Report.TimerNs / SampleNs);
      }
      if (I.SteadyMeans.empty())
        continue;
      I.TimePerCall = stats::steadyStateInterval(steadySlices(I), BO);
      if (I.Kind == ImplKind::Native)
        Native = &I;
    }
    for (ImplResult &I : R.Impls) {
      std::optional<ImplKind> Ref = referenceOf(I.Kind);
      const ImplResult *RefResult = Ref ? Find(*Ref) : nullptr;
      if (RefResult && I.St == Status::Ok && !I.SteadyMeans.empty())
        I.RatioToReference = stats::steadyStateRatio(
            steadySlices(I), steadySlices(*RefResult), BO);
    }
    if (!Native)
      return;
    auto NativeSlices = steadySlices(*Native);
    for (ImplResult &I : R.Impls) {
      if (I.St != Status::Ok || I.SteadyMeans.empty())
        continue;
      if (&I == Native) {
        // Native against itself is 1 by definition, not a noisy estimate.
        I.RatioToNative = stats::Interval{1, 1, 1, false, false};
        continue;
      }
      I.RatioToNative =
          stats::steadyStateRatio(steadySlices(I), NativeSlices, BO);
    }
  }
};

} // namespace

std::vector<llvm::ArrayRef<double>>
compare::steadySlices(const ImplResult &I) {
  std::vector<llvm::ArrayRef<double>> Out;
  for (const ProcessRun &Run : I.Runs)
    if (Run.Warmup)
      Out.push_back(llvm::ArrayRef<double>(Run.Report.SampleNsPerCall)
                        .drop_front(Run.Warmup->SteadyBegin));
  return Out;
}

llvm::Expected<uint64_t> compare::repairResultsFile(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf) {
    if (Buf.getError() == std::errc::no_such_file_or_directory)
      return 0;
    return makeError("cannot read '" + Path + "': " + Buf.getError().message());
  }
  llvm::StringRef Text = (*Buf)->getBuffer();
  if (Text.empty() || Text.back() == '\n')
    return 0;
  size_t Keep = Text.rfind('\n');
  Keep = Keep == llvm::StringRef::npos ? 0 : Keep + 1;
  uint64_t Dropped = Text.size() - Keep;
  int FD;
  if (std::error_code EC = llvm::sys::fs::openFileForReadWrite(
          Path, FD, llvm::sys::fs::CD_OpenExisting, llvm::sys::fs::OF_None))
    return makeError("cannot open '" + Path + "': " + EC.message());
  std::error_code EC = llvm::sys::fs::resize_file(FD, Keep);
  ::close(FD);
  if (EC)
    return makeError("cannot truncate '" + Path + "': " + EC.message());
  return Dropped;
}

llvm::Expected<KernelResult> compare::runKernel(llvm::StringRef File,
                                                const Config &Cfg,
                                                llvm::raw_ostream &Progress) {
  return KernelRunner(Cfg, Progress).run(File);
}
