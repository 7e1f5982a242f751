//===- Native.cpp - The native part of rtcompare explain -------------------===//
//
// Rungs: kernelc -O2, -O2 with the checks a JS or Python engine makes
// (llvmgen::EngineCheck), and -O0, each timed in the native runner through
// compare::runKernel (the job's opt_level and engine_checks).
//
// The account of what LLVM did comes from compiling the kernel again in this
// process, exactly as the runner does (same lowering, -O2 pipeline and CPU),
// plus a line table so everything carries kernel lines: the optimization
// remarks of the pipeline and of code generation (collected as data by
// llvmgen::RemarkCollector), the optimized IR, the hot loop (the innermost
// loop with the highest static frequency, from LLVM's BlockFrequencyInfo and
// the call graph) and its assembly (AsmPrinter's own loop comments). It is
// compiled three times: plain, with engine checks, and without the line
// table, to show that the line table does not change the code. Nothing here
// runs the kernel, so no timed number carries its cost.
//
//===----------------------------------------------------------------------===//

#include "Driver/Driver.h"
#include "Explain/Explain.h"
#include "Explain/NativeAnalysis.h"
#include "Target/LLVM/LLVMBackend.h"
#include "Target/LLVM/Remarks.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/AssumptionCache.h"
#include "llvm/Analysis/BlockFrequencyInfo.h"
#include "llvm/Analysis/BranchProbabilityInfo.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"
#include <chrono>
#include <map>

using namespace llvm;

namespace kc {
namespace explain {

namespace {

using native::AsmFunction;
using native::AsmLoop;
using native::LoopStory;

/// The innermost loop where the time goes, by LLVM's static estimate.
struct HotLoop {
  std::string Function;
  unsigned Line = 0, Col = 0, Depth = 0;
  std::set<unsigned> Lines;  // kernel lines of its IR instructions
  double Heat = 0;           // estimated header executions per entry call
  /// It or a loop around it runs a number of times no constant bounds: it
  /// grows with the input, where a loop over a 256-entry table does not.
  bool Scales = false;
};

/// One in-process compilation of the kernel at -O2.
struct Build {
  std::unique_ptr<LLVMContext> Ctx;
  std::unique_ptr<Module> M;
  std::vector<llvmgen::Remark> Remarks;
  std::string IRText;
  std::vector<unsigned> IRLines;
  std::vector<AsmFunction> Asm;
  /// Checks the lowering added, by kind (the kc.engine_checks metadata).
  std::map<std::string, unsigned> Added;
  /// What is left of them in the optimized code: branches to an int-range
  /// trap (overflow and tag tests), and box headers written.
  unsigned IntTestsLeft = 0, BoxesLeft = 0;
  std::optional<HotLoop> Hot;

  const AsmFunction *asmFunction(StringRef Name) const {
    for (const AsmFunction &F : Asm)
      if (F.Name == Name)
        return &F;
    return nullptr;
  }
};

/// "kc_entry" only unpacks arguments and calls (or inlines) the entry: what
/// is said about the entry is said about it.
bool isWrapper(const Function &F) { return F.getName() == "kc_entry"; }

void readAddedChecks(const Module &M, std::map<std::string, unsigned> &Out) {
  const NamedMDNode *MD = M.getNamedMetadata("kc.engine_checks");
  if (!MD || MD->getNumOperands() == 0)
    return;
  for (const MDOperand &Op : MD->getOperand(0)->operands()) {
    const auto *Pair = dyn_cast<MDNode>(Op);
    if (!Pair || Pair->getNumOperands() != 2)
      continue;
    const auto *Name = dyn_cast<MDString>(Pair->getOperand(0));
    const auto *N = mdconst::dyn_extract<ConstantInt>(Pair->getOperand(1));
    if (Name && N)
      Out[Name->getString().str()] = N->getZExtValue();
  }
}

/// Branches into a KC_TRAP_UNSAFE_INT trap (the overflow and tag tests;
/// ordinary code has none without --checked), and writes of the box header
/// (FunctionLowering::box stores 0xF64), scalar or in a vector store.
void countChecksLeft(const Module &M, unsigned &IntTests, unsigned &Boxes) {
  IntTests = Boxes = 0;
  for (const Function &F : M) {
    if (F.isDeclaration() || isWrapper(F))
      continue;
    for (const Instruction &I : instructions(F)) {
      if (const auto *CB = dyn_cast<CallBase>(&I)) {
        const Function *G = CB->getCalledFunction();
        const auto *Kind = CB->arg_size() ? dyn_cast<ConstantInt>(CB->getArgOperand(0))
                                          : nullptr;
        if (G && G->getName() == "kc_trap" && Kind &&
            Kind->getZExtValue() == KC_TRAP_UNSAFE_INT)
          IntTests += pred_size(I.getParent());
        continue;
      }
      const auto *St = dyn_cast<StoreInst>(&I);
      const auto *C = St ? dyn_cast<Constant>(St->getValueOperand()) : nullptr;
      if (!C)
        continue;
      auto IsHeader = [](const Constant *E) {
        const auto *CI = dyn_cast_or_null<ConstantInt>(E);
        return CI && CI->getBitWidth() == 64 && CI->getZExtValue() == 0xF64;
      };
      if (IsHeader(C))
        ++Boxes;
      else if (auto *VT = dyn_cast<FixedVectorType>(C->getType()))
        for (unsigned E = 0; E < VT->getNumElements(); ++E)
          Boxes += IsHeader(C->getAggregateElement(E));
    }
  }
}

unsigned lineOf(const Instruction &I) {
  const DebugLoc &DL = I.getDebugLoc();
  return DL ? DL.getLine() : 0;
}

/// The innermost loop whose header runs most often per call of the entry:
/// header frequency relative to its function's entry (BlockFrequencyInfo)
/// times the estimated calls of that function per entry call, propagated
/// along the call graph from the entry (a few rounds; recursion is not
/// followed, so a recursive function counts as called once per caller).
/// BlockFrequencyInfo believes a known trip count (256 table entries) over
/// its guess for an unknown one, so loops whose trip counts ScalarEvolution
/// bounds by constants all the way out come after those that grow with the
/// input.
std::optional<HotLoop> findHotLoop(Module &M, StringRef EntryName) {
  struct Info {
    std::unique_ptr<DominatorTree> DT;
    std::unique_ptr<LoopInfo> LI;
    std::unique_ptr<BranchProbabilityInfo> BPI;
    std::unique_ptr<BlockFrequencyInfo> BFI;
    std::unique_ptr<AssumptionCache> AC;
    std::unique_ptr<TargetLibraryInfo> TLI;
    std::unique_ptr<ScalarEvolution> SE;
    double rel(const BasicBlock *BB) const {
      double Entry = double(BFI->getEntryFreq().getFrequency());
      return Entry > 0 ? double(BFI->getBlockFreq(BB).getFrequency()) / Entry
                       : 0;
    }
  };
  std::map<const Function *, Info> Infos;
  std::vector<const Function *> Order;  // module order: deterministic
  TargetLibraryInfoImpl TLII(Triple(M.getTargetTriple()));
  for (Function &F : M) {
    if (F.isDeclaration() || isWrapper(F))
      continue;
    Info &I = Infos[&F];
    I.DT = std::make_unique<DominatorTree>(F);
    I.LI = std::make_unique<LoopInfo>(*I.DT);
    I.BPI = std::make_unique<BranchProbabilityInfo>(F, *I.LI);
    I.BFI = std::make_unique<BlockFrequencyInfo>(F, *I.BPI, *I.LI);
    I.AC = std::make_unique<AssumptionCache>(F);
    I.TLI = std::make_unique<TargetLibraryInfo>(TLII, &F);
    I.SE = std::make_unique<ScalarEvolution>(F, *I.TLI, *I.AC, *I.DT, *I.LI);
    Order.push_back(&F);
  }
  const Function *Entry = M.getFunction(EntryName);
  if (!Entry || !Infos.count(Entry))
    return std::nullopt;

  std::map<const Function *, double> Calls{{Entry, 1.0}};
  for (int Round = 0; Round < 8; ++Round) {
    std::map<const Function *, double> Next{{Entry, 1.0}};
    for (const Function *F : Order) {
      double C = Calls.count(F) ? Calls[F] : 0;
      if (C == 0)
        continue;
      for (const Instruction &I : instructions(*F)) {
        const auto *CB = dyn_cast<CallBase>(&I);
        const Function *G = CB ? CB->getCalledFunction() : nullptr;
        if (G && G != F && Infos.count(G) && G != Entry)
          Next[G] += C * Infos[F].rel(I.getParent());
      }
    }
    Calls = std::move(Next);
  }

  std::optional<HotLoop> Best;
  for (const Function *F : Order) {
    const Info &I = Infos[F];
    double C = Calls.count(F) ? Calls[F] : 0;
    for (const Loop *L : I.LI->getLoopsInPreorder()) {
      if (!L->isInnermost())
        continue;
      HotLoop H;
      H.Function = F->getName().str();
      H.Depth = L->getLoopDepth();
      H.Heat = C * I.rel(L->getHeader());
      for (const Loop *Up = L; Up && !H.Scales; Up = Up->getParentLoop())
        H.Scales = I.SE->getSmallConstantMaxTripCount(Up) == 0;
      if (DebugLoc Start = L->getStartLoc()) {
        H.Line = Start.getLine();
        H.Col = Start.getCol();
      }
      for (const BasicBlock *BB : L->blocks())
        for (const Instruction &Inst : *BB)
          if (unsigned Line = lineOf(Inst))
            H.Lines.insert(Line);
      if (!Best || std::make_tuple(H.Scales, H.Heat, H.Depth) >
                       std::make_tuple(Best->Scales, Best->Heat, Best->Depth))
        Best = std::move(H);
    }
  }
  return Best;
}

/// The optimized IR of the kernel's functions, each line with the kernel
/// line of its instruction (from !dbg, which is then left out of the text).
void printIR(const Module &M, std::string &Text, std::vector<unsigned> &Lines) {
  raw_string_ostream OS(Text);
  Regex Dbg(",? !dbg ![0-9]+");
  for (const Function &F : M) {
    if (F.isDeclaration() || isWrapper(F))
      continue;
    std::string S;
    raw_string_ostream FS(S);
    F.print(FS);
    FS.flush();
    SmallVector<StringRef, 0> FLines;
    StringRef(S).split(FLines, '\n');
    std::vector<const Instruction *> Insts;
    for (const Instruction &I : instructions(F))
      Insts.push_back(&I);
    size_t Next = 0;
    unsigned FnLine = F.getSubprogram() ? F.getSubprogram()->getLine() : 0;
    for (StringRef L : FLines) {
      unsigned Src = 0;
      // Instructions are the indented lines, one each, in order.
      if (L.starts_with("  ") && !L.ltrim().starts_with("#dbg") &&
          Next < Insts.size())
        Src = lineOf(*Insts[Next++]);
      else if (L.starts_with("define"))
        Src = FnLine;
      std::string Clean = L.str();
      while (Dbg.match(Clean))
        Clean = Dbg.sub("", Clean);
      OS << Clean << "\n";
      Lines.push_back(Src);
    }
  }
  OS.flush();
  // The last function's closing brace ends the text.
  while (!Lines.empty() && StringRef(Text).ends_with("\n\n")) {
    Text.pop_back();
    Lines.pop_back();
  }
}

Expected<Build> buildKernel(const kir::Module &KM, unsigned Checks,
                            bool DebugInfo) {
  Build Out;
  auto TM = llvmgen::createHostTargetMachine(2);
  if (!TM)
    return TM.takeError();
  // Block and loop comments in the assembly: the loop structure is read
  // from them.
  (*TM)->Options.MCOptions.AsmVerbose = true;
  Out.Ctx = std::make_unique<LLVMContext>();
  llvmgen::CodegenOptions Opts;
  Opts.OptLevel = 2;
  Opts.EngineChecks = Checks;
  Opts.DebugInfo = DebugInfo;
  auto M = llvmgen::lowerToLLVM(KM, *Out.Ctx, Opts, **TM);
  if (!M)
    return M.takeError();
  Out.M = std::move(*M);
  readAddedChecks(*Out.M, Out.Added);
  SmallString<0> Asm;
  {
    llvmgen::RemarkCollector Collector(*Out.Ctx);
    if (Error E = llvmgen::optimizeModule(*Out.M, 2, TM->get()))
      return E;
    // Code generation rewrites the IR (CodeGenPrepare): look first.
    countChecksLeft(*Out.M, Out.IntTestsLeft, Out.BoxesLeft);
    if (const kir::Function *E = KM.getEntry())
      Out.Hot = findHotLoop(*Out.M, E->Name);
    printIR(*Out.M, Out.IRText, Out.IRLines);
    raw_svector_ostream OS(Asm);
    if (Error E =
            llvmgen::emitObjectOrAssembly(*Out.M, **TM, OS, /*Assembly=*/true))
      return E;
    Out.Remarks = Collector.remarks();
  }
  Out.Asm = native::parseAsm(Asm);
  return Out;
}

/// The instructions of an assembly function without comments: what a line
/// table must not change.
std::vector<std::string> instructionStream(const AsmFunction &F) {
  std::vector<std::string> Out;
  for (size_t I = 0; I < F.Lines.size(); ++I)
    if (F.IsInstruction[I])
      Out.push_back(StringRef(F.Lines[I]).split('#').first.trim().str());
  return Out;
}

std::string formatNs(double Ns) { return compare::formatTime(Ns); }

/// "1.31x [1.02, 1.92]": the ratio and its bootstrap interval.
std::string factorText(const stats::Interval &I) {
  return formatv("{0:F2}x [{1:F2}, {2:F2}]", I.Estimate, I.Low, I.High).str();
}

std::string slug(StringRef S) {
  std::string Out;
  for (char C : S)
    Out += isAlnum(C) ? C : '-';
  return Out;
}

struct RungSpec {
  std::string Name;
  unsigned OptLevel;
  unsigned Checks;
  bool FirstRoundOnly = false;  // one process execution in all
};

/// Times the rungs in rounds, one process execution of each rung per
/// round (A, B, C, A, B, C...), as compare::runKernel interleaves
/// implementations: slow drift of a shared machine then hits every rung
/// alike. Each round is one compare::runKernel per rung (its check run
/// included), whose process executions are then pooled.
Expected<std::vector<Rung>> measureRungs(const Context &C,
                                         ArrayRef<RungSpec> Specs,
                                         raw_ostream &Progress) {
  std::vector<Rung> Rungs;
  for (const RungSpec &S : Specs) {
    Rung R;
    R.Name = S.Name;
    R.Runtime = "native";
    R.How = "kernelc -O" + std::to_string(S.OptLevel) +
            (S.Checks ? " --engine-checks=" + llvmgen::engineChecksName(S.Checks)
                      : "") +
            ", ORC LLJIT in kc-runner-native";
    Rungs.push_back(std::move(R));
  }
  unsigned Rounds = C.Base.CheckOnly ? 1 : std::max(1u, C.Base.Processes);
  for (unsigned Round = 0; Round < Rounds; ++Round) {
    for (size_t I = 0; I < Specs.size(); ++I) {
      const RungSpec &S = Specs[I];
      Rung &R = Rungs[I];
      if (!R.Missing.empty() || (S.FirstRoundOnly && Round > 0))
        continue;
      compare::Config Cfg = C.Base;
      Cfg.Processes = 1;
      Cfg.Resume = false;  // every round is a new measurement
      Cfg.Impls = {compare::ImplKind::Native};
      Cfg.NativeOptLevel = S.OptLevel;
      Cfg.NativeEngineChecks =
          S.Checks ? llvmgen::engineChecksName(S.Checks) : "";
      SmallString<256> Dir(C.Base.WorkDir);
      sys::path::append(Dir, "native-" + slug(S.Name));
      Cfg.WorkDir = std::string(Dir);
      Progress << "[" << C.KernelName << "] " << S.Name << ", round "
               << (Round + 1) << "/" << Rounds << "\n";
      auto K = compare::runKernel(C.KernelFile, Cfg, Progress);
      if (!K)
        return K.takeError();
      compare::ImplResult &Got = K->Impls.front();
      if (Got.St != compare::Status::Ok) {
        R.Missing = Got.Message.empty() ? "the native runner failed"
                                        : Got.Message;
        continue;
      }
      if (!R.Result) {
        R.Result = std::move(Got);
        continue;
      }
      if (Got.Canonical != R.Result->Canonical) {
        R.Missing = "its result changed between process executions";
        continue;
      }
      for (compare::ProcessRun &Run : Got.Runs)
        R.Result->Runs.push_back(std::move(Run));
      R.Result->SteadyMeans.insert(R.Result->SteadyMeans.end(),
                                   Got.SteadyMeans.begin(),
                                   Got.SteadyMeans.end());
      if (Got.TimerShare)
        R.Result->TimerShare =
            std::max(R.Result->TimerShare.value_or(0), *Got.TimerShare);
    }
  }
  stats::BootstrapOptions BO;
  BO.Seed = C.Base.Seed;
  for (Rung &R : Rungs) {
    if (!R.Missing.empty() || !R.Result || R.Result->SteadyMeans.empty())
      continue;
    R.Result->TimePerCall =
        stats::steadyStateInterval(compare::steadySlices(*R.Result), BO);
  }
  for (Rung &R : Rungs)
    if (R.Missing.empty() && R.Result && !R.Result->TimePerCall &&
        !C.Base.CheckOnly)
      R.Missing = "no timed samples";
  return Rungs;
}

std::optional<stats::Interval> ratio(const Rung &Num, const Rung &Den,
                                     uint64_t Seed) {
  if (!Num.Missing.empty() || !Den.Missing.empty() || !Num.Result ||
      !Den.Result || !Num.Result->TimePerCall || !Den.Result->TimePerCall)
    return std::nullopt;
  stats::BootstrapOptions BO;
  BO.Seed = Seed;
  return stats::steadyStateRatio(compare::steadySlices(*Num.Result),
                                 compare::steadySlices(*Den.Result), BO);
}

json::Object intervalJSON(const stats::Interval &I) {
  return json::Object{
      {"estimate", I.Estimate}, {"low", I.Low}, {"high", I.High}};
}

json::Array loopsJSON(ArrayRef<LoopStory> Loops) {
  json::Array A;
  for (const LoopStory &L : Loops)
    A.push_back(json::Object{{"function", L.Function},
                             {"line", L.Line},
                             {"vectorized", L.Vectorized},
                             {"width", L.Width},
                             {"interleave", L.Interleave},
                             {"not_vectorized_why", L.NotVectorizedWhy},
                             {"unrolled", L.Unrolled},
                             {"spills", L.Spills},
                             {"reloads", L.Reloads}});
  return A;
}

const LoopStory *storyAt(ArrayRef<LoopStory> Loops, StringRef Function,
                         unsigned Line) {
  for (const LoopStory &L : Loops)
    if (L.Function == Function && L.Line == Line)
      return &L;
  return nullptr;
}

std::string vectorText(const LoopStory &L) {
  if (L.Vectorized)
    return formatv("vectorized {0} wide, interleaved {1}", L.Width,
                   std::max(1u, L.Interleave))
        .str();
  if (L.Interleave > 1)
    return formatv("not vectorized but interleaved {0}", L.Interleave).str();
  if (!L.NotVectorizedWhy.empty())
    return "not vectorized: " + L.NotVectorizedWhy;
  return "";
}

/// "3 overflow tests on int arithmetic, 2 tag tests on ints read from the
/// heap, 5 f64 boxes".
std::string addedText(const std::map<std::string, unsigned> &Added) {
  auto Get = [&](const char *K) {
    auto It = Added.find(K);
    return It == Added.end() ? 0u : It->second;
  };
  SmallVector<std::string, 3> Parts;
  if (unsigned N = Get("overflow"))
    Parts.push_back(formatv("{0} overflow test{1} on int arithmetic", N,
                            N == 1 ? "" : "s"));
  if (unsigned N = Get("tags"))
    Parts.push_back(
        formatv("{0} tag test{1} on ints read from the heap", N, N == 1 ? "" : "s"));
  if (unsigned N = Get("boxing"))
    Parts.push_back(formatv("{0} boxed f64 result{1}", N, N == 1 ? "" : "s"));
  return join(Parts, ", ");
}

/// The asm pane: the function, the hot loop between two marker comments.
Pane asmPane(const AsmFunction &F, const AsmLoop *Loop, unsigned LoopLine,
             StringRef Id, StringRef Title) {
  Pane P;
  P.Id = Id.str();
  P.Title = Title.str();
  P.Language = "asm";
  std::string Text;
  raw_string_ostream OS(Text);
  std::set<unsigned> InLoop;
  if (Loop)
    InLoop.insert(Loop->Lines.begin(), Loop->Lines.end());
  OS << F.Name << ":\n";
  P.SourceLines.push_back(0);
  bool Open = false;
  for (size_t I = 0; I < F.Lines.size(); ++I) {
    bool Hot = InLoop.count(I);
    if (Hot && !Open) {
      OS << formatv("# ---- hot loop (kernel line {0}, {1} instructions) ----\n",
                    LoopLine, Loop->Instructions);
      P.SourceLines.push_back(LoopLine);
    } else if (!Hot && Open) {
      OS << "# ---- end of hot loop ----\n";
      P.SourceLines.push_back(0);
    }
    Open = Hot;
    OS << F.Lines[I] << "\n";
    P.SourceLines.push_back(F.SourceLines[I]);
  }
  if (Open) {
    OS << "# ---- end of hot loop ----\n";
    P.SourceLines.push_back(0);
  }
  OS.flush();
  Text.pop_back();
  P.Text = std::move(Text);
  return P;
}

/// Only the hot loop's lines.
Pane loopPane(const AsmFunction &F, const AsmLoop &Loop, StringRef Id,
              StringRef Title) {
  Pane P;
  P.Id = Id.str();
  P.Title = Title.str();
  P.Language = "asm";
  for (unsigned I : Loop.Lines) {
    P.Text += F.Lines[I] + "\n";
    P.SourceLines.push_back(F.SourceLines[I]);
  }
  if (!P.Text.empty())
    P.Text.pop_back();
  return P;
}

} // namespace

Expected<RuntimeExplanation> explainNative(const Context &C,
                                           raw_ostream &Progress) {
  RuntimeExplanation X;
  const unsigned Checks = llvmgen::EngineCheckAll;

  // What LLVM does with the kernel: three compilations in this process.
  auto Start = std::chrono::steady_clock::now();
  std::string Diags;
  raw_string_ostream DiagOS(Diags);
  auto KM = driver::compileFile(C.KernelFile, DiagOS);
  if (!KM)
    return createStringError(inconvertibleErrorCode(),
                             DiagOS.str() + toString(KM.takeError()));
  Progress << "[" << C.KernelName << "] native: compiling for the explanation\n";
  auto Plain = buildKernel(**KM, 0, /*DebugInfo=*/true);
  if (!Plain)
    return Plain.takeError();
  auto Checked = buildKernel(**KM, Checks, /*DebugInfo=*/true);
  if (!Checked)
    return Checked.takeError();
  auto NoLines = buildKernel(**KM, 0, /*DebugInfo=*/false);
  if (!NoLines)
    return NoLines.takeError();
  double AnalysisMs = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - Start)
                          .count();

  // The ladder, and each kind of check the kernel has alone (one process
  // execution each: not a rung, a fact), timed in interleaved rounds.
  std::vector<RungSpec> Specs = {{"native -O2", 2, 0},
                                 {"native -O2 + engine checks", 2, Checks},
                                 {"native -O0", 0, 0}};
  for (auto [Kind, Mask] :
       {std::pair<const char *, unsigned>{"overflow",
                                          llvmgen::EngineCheckOverflow},
        {"tags", llvmgen::EngineCheckTags},
        {"boxing", llvmgen::EngineCheckBoxing}}) {
    auto It = Checked->Added.find(Kind);
    if (It != Checked->Added.end() && It->second > 0)
      Specs.push_back({std::string("native -O2 + ") + Kind + " checks", 2,
                       Mask, /*FirstRoundOnly=*/true});
  }
  auto Measured = measureRungs(C, Specs, Progress);
  if (!Measured)
    return Measured.takeError();
  std::vector<Rung> Alone(Measured->begin() + 3, Measured->end());
  Measured->resize(3);
  X.Rungs = std::move(*Measured);
  Rung &O2 = X.Rungs[0], &Chk = X.Rungs[1], &O0 = X.Rungs[2];
  // The checks must not change the answer: a rung that computes something
  // else is not the same kernel, and is not reported as timed.
  bool Agree = true;
  for (Rung *R : {&Chk, &O0}) {
    if (!R->Result || !O2.Result || R->Result->Canonical.empty() ||
        O2.Result->Canonical.empty())
      continue;
    if (R->Result->Canonical != O2.Result->Canonical) {
      if (R == &Chk)
        Agree = false;
      R->Missing = "its result " +
                   compare::displayCanonical(R->Result->Canonical) +
                   " differs from -O2's " +
                   compare::displayCanonical(O2.Result->Canonical);
    }
  }
  for (Rung &R : X.Rungs)
    if (!R.Missing.empty())
      R.Result.reset();

  // Which check costs what.
  struct Split {
    std::string Kind;
    std::optional<stats::Interval> Ratio;
  };
  std::vector<Split> Splits;
  for (const Rung &R : Alone) {
    Split Sp;
    Sp.Kind = StringRef(R.Name).drop_front(StringRef("native -O2 + ").size())
                  .drop_back(StringRef(" checks").size())
                  .str();
    if (R.Missing.empty() && R.Result && O2.Result &&
        R.Result->Canonical == O2.Result->Canonical)
      Sp.Ratio = ratio(R, O2, C.Base.Seed);
    Splits.push_back(std::move(Sp));
  }

  // Facts.
  json::Object Rungs;
  for (const Rung &R : X.Rungs) {
    if (R.Result && R.Result->TimePerCall)
      Rungs[R.Name] = intervalJSON(*R.Result->TimePerCall);
    else
      Rungs[R.Name] = json::Object{{"missing", R.Missing}};
  }
  X.Facts["rungs_ns_per_call"] = std::move(Rungs);
  std::optional<stats::Interval> O0Ratio = ratio(O0, O2, C.Base.Seed);
  std::optional<stats::Interval> ChkRatio = ratio(Chk, O2, C.Base.Seed);
  if (O0Ratio)
    X.Facts["o0_over_o2"] = intervalJSON(*O0Ratio);
  if (ChkRatio)
    X.Facts["engine_checks_over_o2"] = intervalJSON(*ChkRatio);
  json::Object SplitJ;
  for (const Split &Sp : Splits)
    SplitJ[Sp.Kind] = Sp.Ratio ? json::Value(intervalJSON(*Sp.Ratio))
                               : json::Value(nullptr);
  X.Facts["engine_check_alone_over_o2"] = std::move(SplitJ);
  json::Object Added;
  for (const auto &KV : Checked->Added)
    Added[KV.first] = KV.second;
  X.Facts["engine_checks"] = json::Object{
      {"checks", llvmgen::engineChecksName(Checks)},
      {"added", std::move(Added)},
      {"int_test_branches_after_o2", Checked->IntTestsLeft},
      {"box_writes_after_o2", Checked->BoxesLeft},
      {"result_agrees", Agree}};

  std::vector<LoopStory> Loops = native::loopStories(Plain->Remarks);
  std::vector<LoopStory> CheckedLoops = native::loopStories(Checked->Remarks);
  X.Facts["loops"] = loopsJSON(Loops);
  X.Facts["loops_with_engine_checks"] = loopsJSON(CheckedLoops);
  native::InlineStory Inl = native::inlineStory(Plain->Remarks);
  json::Array InlinedJ;
  for (const auto &P : Inl.Inlined)
    InlinedJ.push_back(json::Array{P.first, P.second});
  json::Object NotInlinedJ;
  std::vector<std::string> RuntimeCalls;
  for (const auto &P : Inl.NotInlined) {
    NotInlinedJ[P.first] = P.second;
    if (P.second == "NoDefinition")
      RuntimeCalls.push_back(P.first);
  }
  X.Facts["inlined"] = std::move(InlinedJ);
  X.Facts["not_inlined"] = std::move(NotInlinedJ);
  std::map<std::string, unsigned> ByPass;
  unsigned Kinds[3] = {0, 0, 0};
  for (const llvmgen::Remark &R : Plain->Remarks) {
    ++ByPass[R.Pass];
    ++Kinds[R.Kind];
  }
  json::Object ByPassJ;
  for (const auto &KV : ByPass)
    ByPassJ[KV.first] = KV.second;
  X.Facts["remarks"] = json::Object{{"passed", Kinds[llvmgen::Remark::Passed]},
                                    {"missed", Kinds[llvmgen::Remark::Missed]},
                                    {"analysis", Kinds[llvmgen::Remark::Analysis]},
                                    {"by_pass", std::move(ByPassJ)}};
  json::Object AsmSizes;
  bool SameCode = Plain->Asm.size() == NoLines->Asm.size();
  for (const AsmFunction &F : Plain->Asm) {
    AsmSizes[F.Name] = F.Instructions;
    const AsmFunction *G = NoLines->asmFunction(F.Name);
    SameCode = SameCode && G && instructionStream(F) == instructionStream(*G);
  }
  X.Facts["asm_instructions"] = std::move(AsmSizes);
  X.Facts["line_table_changes_code"] = !SameCode;
  X.Facts["analysis_ms"] = AnalysisMs;

  // The hot loop, in the IR and in the assembly.
  const kir::Function *Entry = (*KM)->getEntry();
  std::string EntryName = Entry ? Entry->Name : "";
  const std::optional<HotLoop> &Hot = Plain->Hot;
  const AsmFunction *HotFn = Plain->asmFunction(Hot ? Hot->Function : EntryName);
  const AsmLoop *HotAsm = Hot && HotFn ? native::matchLoop(*HotFn, Hot->Lines)
                                       : nullptr;
  // The same loop with engine checks: the checked build's own hot loop when
  // it is the same source loop (the checks may change what is unrolled).
  const AsmFunction *ChkFn =
      Checked->asmFunction(Hot ? Hot->Function : EntryName);
  const AsmLoop *ChkAsm = nullptr;
  if (Hot && ChkFn)
    ChkAsm = native::matchLoop(
        *ChkFn, Checked->Hot && Checked->Hot->Line == Hot->Line &&
                        Checked->Hot->Function == Hot->Function
                    ? Checked->Hot->Lines
                    : Hot->Lines);
  const LoopStory *HotStory =
      Hot ? storyAt(Loops, Hot->Function, Hot->Line) : nullptr;
  const LoopStory *HotChecked =
      Hot ? storyAt(CheckedLoops, Hot->Function, Hot->Line) : nullptr;
  if (Hot) {
    json::Object H{{"function", Hot->Function},
                   {"line", Hot->Line},
                   {"depth", Hot->Depth},
                   {"static_frequency", Hot->Heat}};
    if (HotAsm)
      H["asm_instructions"] = HotAsm->Instructions;
    if (ChkAsm)
      H["asm_instructions_with_engine_checks"] = ChkAsm->Instructions;
    X.Facts["hot_loop"] = std::move(H);
  }

  // Findings: each backed by a number of this run.
  auto Say = [&](std::string Text) {
    X.Findings.push_back({"native", std::move(Text)});
  };
  if (Hot) {
    std::string S = formatv("the hot loop is at line {0} in {1} (loop depth {2})",
                            Hot->Line, Hot->Function, Hot->Depth);
    if (HotAsm)
      S += formatv(": {0} x86-64 instructions at -O2", HotAsm->Instructions);
    if (HotStory && !vectorText(*HotStory).empty())
      S += "; " + vectorText(*HotStory);
    if (HotStory && !HotStory->Unrolled.empty())
      S += "; unrolled " + HotStory->Unrolled;
    Say(S);
  } else {
    Say(formatv("{0} has no loop after -O2: its time goes to calls ({1} "
                "x86-64 instructions in {0})",
                EntryName, HotFn ? HotFn->Instructions : 0)
            .str());
  }
  if (O0Ratio && O0.Result && O2.Result)
    Say(formatv("-O0 takes {0} the time of -O2 ({1} vs {2} per call)",
                factorText(*O0Ratio),
                formatNs(O0.Result->TimePerCall->Estimate),
                formatNs(O2.Result->TimePerCall->Estimate))
            .str());
  if (ChkRatio && Chk.Result && O2.Result) {
    std::string What = addedText(Checked->Added);
    std::string S = formatv("engine checks: {0} the time of -O2 ({1} vs {2} "
                            "per call{3})",
                            factorText(*ChkRatio),
                            formatNs(Chk.Result->TimePerCall->Estimate),
                            formatNs(O2.Result->TimePerCall->Estimate),
                            ChkRatio->Low <= 1 && ChkRatio->High >= 1
                                ? "; no cost this run can tell from noise"
                                : "");
    if (What.empty())
      S += ": none applies (no int arithmetic, no int read from the heap, no "
           "f64 result), so both run the same code and this ratio is the "
           "run's noise";
    else
      S += ": " + What;
    if (!What.empty())
      S += formatv("; the -O2 code keeps {0} int-test branch{1} and {2} box "
                   "write{3}",
                   Checked->IntTestsLeft, Checked->IntTestsLeft == 1 ? "" : "es",
                   Checked->BoxesLeft, Checked->BoxesLeft == 1 ? "" : "s");
    Say(S);
    SmallVector<std::string, 3> Alone;
    for (const Split &Sp : Splits)
      if (Sp.Ratio)
        Alone.push_back(formatv("{0} {1:F2}x", Sp.Kind, Sp.Ratio->Estimate));
    if (Splits.size() > 1 && !Alone.empty())
      Say("each kind of engine check alone, over -O2 (one process execution "
          "each, rougher than the ladder): " +
          join(Alone, ", "));
  } else if (!Chk.Missing.empty()) {
    Say("the engine-checked rung was not measured: " + Chk.Missing);
  }
  if (Hot && HotAsm && ChkAsm && HotStory && HotChecked &&
      (HotStory->Vectorized != HotChecked->Vectorized ||
       HotAsm->Instructions != ChkAsm->Instructions)) {
    std::string S =
        HotAsm->Instructions == ChkAsm->Instructions
            ? formatv("with engine checks the hot loop at line {0} keeps its "
                      "{1} instructions",
                      Hot->Line, HotAsm->Instructions)
                  .str()
            : formatv("with engine checks the hot loop at line {0} goes from "
                      "{1} to {2} instructions",
                      Hot->Line, HotAsm->Instructions, ChkAsm->Instructions)
                  .str();
    if (HotStory->Vectorized && !HotChecked->Vectorized)
      S += " but is no longer vectorized (" + HotChecked->NotVectorizedWhy +
           ")";
    else if (!HotStory->Vectorized && !HotChecked->Vectorized &&
             HotChecked->NotVectorizedWhy != HotStory->NotVectorizedWhy &&
             !HotChecked->NotVectorizedWhy.empty())
      S += "; LLVM's reason for not vectorizing it becomes: " +
           HotChecked->NotVectorizedWhy;
    Say(S);
  }
  // Loops the vectorizer saw (a loop of an internal function inlined
  // elsewhere is told twice: once per line), and loops unrolled away.
  unsigned Vectorized = 0;
  SmallVector<std::string, 4> VecLines, NotLines, Unrolled;
  std::set<unsigned> SeenLines, UnrolledLines;
  for (const LoopStory &L : Loops) {
    if (!L.Line)
      continue;
    if (StringRef(L.Unrolled).starts_with("fully") &&
        UnrolledLines.insert(L.Line).second)
      Unrolled.push_back(formatv("line {0}", L.Line).str());
    if (!L.SeenByVectorizer || !SeenLines.insert(L.Line).second)
      continue;
    if (L.Vectorized) {
      ++Vectorized;
      VecLines.push_back(formatv("line {0} ({1} wide x {2})", L.Line, L.Width,
                                 std::max(1u, L.Interleave)));
    } else if (!L.NotVectorizedWhy.empty() && NotLines.size() < 2) {
      NotLines.push_back(
          formatv("line {0}: {1}", L.Line, L.NotVectorizedWhy).str());
    }
  }
  if (!SeenLines.empty() || !Unrolled.empty()) {
    std::string S = formatv("LLVM vectorized {0} of the {1} loop{2} left for "
                            "the loop vectorizer",
                            Vectorized, SeenLines.size(),
                            SeenLines.size() == 1 ? "" : "s");
    if (!VecLines.empty())
      S += " (" + join(VecLines, ", ") + ")";
    if (!NotLines.empty())
      S += "; not: " + join(NotLines, "; ");
    if (!Unrolled.empty())
      S += formatv("; {0} loop{1} fully unrolled ({2})", Unrolled.size(),
                   Unrolled.size() == 1 ? "" : "s", join(Unrolled, ", "));
    Say(S);
  }
  {
    std::set<std::string> Callees;
    for (const auto &P : Inl.Inlined)
      Callees.insert(P.first);
    std::string S = formatv("{0} call{1} inlined", Inl.Inlined.size(),
                            Inl.Inlined.size() == 1 ? "" : "s");
    if (!Callees.empty())
      S += " (" + join(Callees, ", ") + ")";
    if (!RuntimeCalls.empty())
      S += formatv("; {0} runtime function{1} called, never inlined ({2})",
                   RuntimeCalls.size(), RuntimeCalls.size() == 1 ? " is" : "s are",
                   join(ArrayRef<std::string>(RuntimeCalls).take_front(4), ", ") +
                       (RuntimeCalls.size() > 4 ? ", ..." : ""));
    Say(S);
  }
  // Recursion LLVM turned into a loop (tail recursion, with an accumulator
  // when the call's result is added to): a loop no interpreter has.
  auto TailLoops = [](ArrayRef<llvmgen::Remark> Rs) {
    std::set<unsigned> Lines;
    for (const llvmgen::Remark &R : Rs)
      if (R.Pass == "tailcallelim" && R.Name == "tailcall-recursion")
        Lines.insert(R.Line);
    return Lines;
  };
  std::set<unsigned> Tail = TailLoops(Plain->Remarks);
  std::set<unsigned> TailChecked = TailLoops(Checked->Remarks);
  if (!Tail.empty()) {
    SmallVector<std::string, 4> Lines;
    for (unsigned L : Tail)
      Lines.push_back(std::to_string(L));
    std::string S = formatv("LLVM turns the recursive call{0} at line{0} {1} "
                            "into a loop",
                            Tail.size() == 1 ? "" : "s", join(Lines, ", "));
    if (TailChecked.empty())
      S += "; with engine checks it does not, and the recursion stays calls";
    else if (TailChecked.size() < Tail.size())
      S += formatv("; with engine checks it does so for {0} of them",
                   TailChecked.size());
    Say(S);
  }
  if (Hot && ChkFn && !ChkAsm)
    Say(formatv("with engine checks {0} has no loop left at -O2: the hot loop "
                "at line {1} is gone ({2} x86-64 instructions in {0})",
                ChkFn->Name, Hot->Line, ChkFn->Instructions)
            .str());
  if (HotStory && (HotStory->Spills || HotStory->Reloads))
    Say(formatv("the register allocator spills {0} and reloads {1} times in "
                "the hot loop at line {2}",
                HotStory->Spills, HotStory->Reloads, Hot->Line)
            .str());

  // Panes: the optimized IR and the assembly (the report shows the kernel's
  // source itself, once for every part).
  Pane IR;
  IR.Id = "llvm-ir";
  IR.Title = "LLVM IR after -O2";
  IR.Language = "llvm";
  IR.Text = Plain->IRText;
  IR.SourceLines = Plain->IRLines;
  X.Panes.push_back(std::move(IR));
  if (HotFn)
    X.Panes.push_back(asmPane(*HotFn, HotAsm, Hot ? Hot->Line : 0, "native-asm",
                              "x86-64 assembly of " + HotFn->Name + " (-O2)"));
  if (ChkFn && ChkAsm)
    X.Panes.push_back(loopPane(*ChkFn, *ChkAsm, "native-asm-checked-loop",
                               "the hot loop with engine checks"));
  X.Facts["part_seconds"] = std::chrono::duration<double>(
                                std::chrono::steady_clock::now() - Start)
                                .count();
  return X;
}

} // namespace explain
} // namespace kc
