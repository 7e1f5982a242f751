//===- Explain.cpp - Line up the runtime parts of an explanation ----------===//
//
// Runs each runtime part, concatenates their rungs into one ladder (native,
// then V8, then CPython: each part lists its rungs fastest-expected first),
// and adds the findings that need more than one runtime: how far apart the
// best rungs of each runtime are, where the ladder's largest step is, and
// how the two interpreters (Ignition, CPython) compare.
//
//===----------------------------------------------------------------------===//

#include "Explain/Explain.h"
#include "Driver/Driver.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>

using namespace llvm;

namespace kc {
namespace explain {

StringRef partName(Part P) {
  switch (P) {
  case Part::Native:
    return "native";
  case Part::V8:
    return "v8";
  case Part::CPython:
    return "cpython";
  }
  llvm_unreachable("unknown part");
}

Expected<std::vector<Part>> parsePartList(StringRef List) {
  SmallVector<StringRef, 4> Names;
  List.split(Names, ',', -1, /*KeepEmpty=*/false);
  bool Seen[3] = {false, false, false};
  for (StringRef Name : Names) {
    Name = Name.trim();
    int Index = Name == "native" ? 0 : Name == "v8" ? 1 : Name == "cpython" ? 2 : -1;
    if (Index < 0)
      return createStringError(inconvertibleErrorCode(),
                               "unknown part '" + Name +
                                   "' (native, v8, cpython)");
    if (Seen[Index])
      return createStringError(inconvertibleErrorCode(),
                               "part '" + Name + "' given twice");
    Seen[Index] = true;
  }
  std::vector<Part> Out;
  for (int I = 0; I < 3; ++I)
    if (Seen[I])
      Out.push_back(static_cast<Part>(I));
  if (Out.empty())
    return createStringError(inconvertibleErrorCode(), "no part given");
  return Out;
}

std::optional<stats::Interval> rungTime(const Rung &R) {
  if (!R.Result || R.Result->St != compare::Status::Ok)
    return std::nullopt;
  return R.Result->TimePerCall;
}

std::optional<stats::Interval> perOperation(const Explanation &E,
                                            const stats::Interval &PerCall) {
  if (E.Ctx.Operations <= 0)
    return std::nullopt;
  double N = double(E.Ctx.Operations);
  stats::Interval Out = PerCall;
  Out.Estimate /= N;
  Out.Low /= N;
  Out.High /= N;
  return Out;
}

static bool measured(const Rung &R) {
  return R.Result && R.Result->St == compare::Status::Ok &&
         !R.Result->SteadyMeans.empty() && R.Result->TimePerCall;
}

static stats::Interval ratio(const Rung &Num, const Rung &Den) {
  stats::BootstrapOptions BO;
  return stats::steadyStateRatio(compare::steadySlices(*Num.Result),
                                 compare::steadySlices(*Den.Result), BO);
}

std::optional<stats::Interval> factorToRungAbove(const Explanation &E,
                                                 size_t Index) {
  if (Index >= E.Ladder.size() || !measured(E.Ladder[Index]))
    return std::nullopt;
  for (size_t Above = Index; Above-- > 0;)
    if (measured(E.Ladder[Above]))
      return ratio(E.Ladder[Index], E.Ladder[Above]);
  return std::nullopt;
}

static const Rung *findRung(const Explanation &E, StringRef Name) {
  for (const Rung &R : E.Ladder)
    if (R.Name == Name && measured(R))
      return &R;
  return nullptr;
}

/// The rung that stands for a runtime in comparisons across runtimes: its
/// first measured one, which each part lists as the runtime's normal
/// configuration (native -O2, V8 with every tier). Picking the fastest
/// instead would let noise choose a rung with checks or fewer tiers.
static const Rung *primaryRung(const Explanation &E, StringRef Runtime) {
  for (const Rung &R : E.Ladder)
    if (R.Runtime == Runtime && measured(R))
      return &R;
  return nullptr;
}

static std::string factorText(const stats::Interval &F) {
  return formatv("{0:F2}x [{1:F2}, {2:F2}]", F.Estimate, F.Low, F.High).str();
}

static std::string perOpText(const Explanation &E, const Rung &R) {
  auto Op = perOperation(E, *R.Result->TimePerCall);
  std::string Call = compare::formatTime(R.Result->TimePerCall->Estimate);
  if (!Op || E.Ctx.OperationUnit == "call")
    return Call + " per call";
  return formatv("{0} ns per {1} ({2} per call)",
                 format("%.3g", Op->Estimate), E.Ctx.OperationUnit, Call)
      .str();
}

/// Findings that compare runtimes: each names the rungs and the factor.
static void addCrossFindings(Explanation &E) {
  std::vector<Finding> &Out = E.CrossFindings;
  const Rung *Native = primaryRung(E, "native");
  const Rung *V8 = primaryRung(E, "v8");
  const Rung *Py = primaryRung(E, "cpython");
  if (Native)
    Out.push_back({"all", formatv("{0} takes {1}.",
                                  Native->Name, perOpText(E, *Native))
                              .str()});
  if (Native && V8)
    Out.push_back(
        {"all", formatv("{0} is {1} the time of {2}.", V8->Name,
                        factorText(ratio(*V8, *Native)), Native->Name)
                    .str()});
  if (V8 && Py)
    Out.push_back(
        {"all", formatv("{0} is {1} the time of {2}.", Py->Name,
                        factorText(ratio(*Py, *V8)), V8->Name)
                    .str()});
  else if (Native && Py)
    Out.push_back(
        {"all", formatv("{0} is {1} the time of {2}.", Py->Name,
                        factorText(ratio(*Py, *Native)), Native->Name)
                    .str()});
  // Both interpreters execute bytecode one instruction at a time: their
  // ratio isolates interpreter design (register vs stack machine,
  // specialization, boxing) from JIT compilation.
  const Rung *Ignition = findRung(E, "V8 Ignition");
  if (Ignition && Py) {
    stats::Interval F = ratio(*Py, *Ignition);
    Out.push_back({"all", formatv("Interpreter against interpreter: {0} is {1} "
                                  "the time of {2}{3}.",
                                  Py->Name, factorText(F), Ignition->Name,
                                  F.Estimate < 1 ? " (faster)" : "")
                              .str()});
  }
  // The largest step tells which mechanism buys the most on this kernel.
  double Largest = 0;
  size_t At = 0;
  for (size_t I = 0; I < E.Ladder.size(); ++I)
    if (auto F = factorToRungAbove(E, I))
      if (F->Estimate > Largest) {
        Largest = F->Estimate;
        At = I;
      }
  if (Largest > 0) {
    size_t Above = At;
    while (Above-- > 0 && !measured(E.Ladder[Above]))
      ;
    Out.push_back({"all", formatv("The largest step down the ladder is from "
                                  "{0} to {1}: {2}.",
                                  E.Ladder[Above].Name, E.Ladder[At].Name,
                                  factorText(*factorToRungAbove(E, At)))
                              .str()});
  }
}

static Expected<RuntimeExplanation> runPart(Part P, const Context &C,
                                            raw_ostream &Progress) {
  switch (P) {
  case Part::Native:
    return explainNative(C, Progress);
  case Part::V8:
    return explainV8(C, Progress);
  case Part::CPython:
    return explainCPython(C, Progress);
  }
  llvm_unreachable("unknown part");
}

Expected<Explanation> explainKernel(StringRef File, const compare::Config &Base,
                                    const Options &Opts, raw_ostream &Progress) {
  Explanation E;
  Context &C = E.Ctx;
  SmallString<256> Abs(File);
  if (std::error_code EC = sys::fs::make_absolute(Abs))
    return createStringError(EC, "cannot resolve '" + File + "'");
  C.KernelFile = std::string(Abs);
  C.KernelName = sys::path::stem(File).str();
  auto Buf = MemoryBuffer::getFile(File);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read '" + File +
                                                 "': " +
                                                 Buf.getError().message());
  C.Source = (*Buf)->getBuffer().str();
  std::string Diags;
  raw_string_ostream DiagOS(Diags);
  auto M = driver::compileFile(File, DiagOS);
  if (!M)
    return createStringError(inconvertibleErrorCode(),
                             DiagOS.str() + toString(M.takeError()));
  const kir::Function *Entry = (*M)->getEntry();
  if (!Entry)
    return createStringError(inconvertibleErrorCode(),
                             "'" + File + "' has no bench section");
  C.Entry = Entry->Name;
  auto W = driver::findWorkload(**M, Base.Workload);
  if (!W)
    return W.takeError();
  C.Base = Base;
  C.Base.Workload = (*W)->Name;
  int64_t Size = Base.ExplicitSize ? *Base.ExplicitSize
                                   : (*W)->Sizes[static_cast<int>(Base.Size)];
  auto Ops = (*W)->operations(Size);
  if (!Ops)
    return Ops.takeError();
  C.Operations = std::max<int64_t>(*Ops, 1);
  C.OperationUnit = (*W)->OpUnit.empty() ? "call" : (*W)->OpUnit;

  for (Part P : Opts.Parts) {
    Progress << "explain " << C.KernelName << ": " << partName(P) << "\n";
    auto R = runPart(P, C, Progress);
    if (!R) {
      E.PartErrors.push_back(partName(P).str() + ": " +
                             toString(R.takeError()));
      continue;
    }
    for (Rung &Rg : R->Rungs)
      E.Ladder.push_back(Rg);
    E.Parts.push_back(std::move(*R));
    E.PartNames.push_back(partName(P).str());
  }
  addCrossFindings(E);
  return E;
}

} // namespace explain
} // namespace kc
