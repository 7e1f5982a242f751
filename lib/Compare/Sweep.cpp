//===- Sweep.cpp - rtcompare sweep: how cost grows with input size --------===//

#include "Compare/Sweep.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>

using namespace llvm;
using namespace kc;
using namespace kc::compare;

static Error sizeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

Expected<std::vector<int64_t>> compare::parseSizeList(StringRef List) {
  std::vector<int64_t> Sizes;
  SmallVector<StringRef, 8> Items;
  List.split(Items, ',');
  for (StringRef Item : Items) {
    StringRef T = Item.trim();
    std::string Digits;
    for (char C : T)
      if (C != '_')
        Digits += C;
    StringRef D = Digits;
    int64_t Scale = 1;
    if (D.consume_back("k") || D.consume_back("K"))
      Scale = 1000;
    else if (D.consume_back("M"))
      Scale = 1000000;
    else if (D.consume_back("G"))
      Scale = 1000000000;
    uint64_t V;
    if (T.empty() || D.empty() || D.getAsInteger(10, V))
      return sizeError("invalid size '" + T + "' in --sizes (expected "
                       "positive integers such as 1000, 10k or 2M)");
    // Sizes past 2^53 are beyond every generator anyway; refusing them
    // here keeps the multiplication from overflowing.
    if (V == 0 || V > (uint64_t(1) << 53) / uint64_t(Scale))
      return sizeError("size '" + T + "' in --sizes is out of range "
                       "(1 to 2^53)");
    Sizes.push_back(int64_t(V) * Scale);
  }
  llvm::sort(Sizes);
  Sizes.erase(std::unique(Sizes.begin(), Sizes.end()), Sizes.end());
  if (Sizes.size() < 2)
    return sizeError("--sizes needs at least two distinct sizes to fit how "
                     "cost grows");
  return Sizes;
}

bool SweepResult::ok() const {
  if (Points.size() != Sizes.size())
    return false;
  for (const KernelResult &P : Points)
    if (P.anyFailed() || !P.allAgree())
      return false;
  return true;
}

Growth compare::fitGrowth(ImplKind Kind, ArrayRef<int64_t> Sizes,
                          ArrayRef<KernelResult> Points, uint64_t Seed) {
  Growth G;
  G.Kind = Kind;
  std::vector<double> X;
  std::vector<std::vector<double>> Samples;
  for (size_t I = 0; I < Points.size() && I < Sizes.size(); ++I) {
    for (const ImplResult &R : Points[I].Impls) {
      if (R.Kind != Kind || R.St != Status::Ok || !R.TimePerCall ||
          R.SteadyMeans.empty() || !(R.TimePerCall->Estimate > 0))
        continue;
      G.Sizes.push_back(Sizes[I]);
      G.NsPerCall.push_back(R.TimePerCall->Estimate);
      X.push_back(double(Sizes[I]));
      Samples.push_back(R.SteadyMeans);
    }
  }
  if (G.Sizes.size() < 2) {
    G.Note = "completed at " + std::to_string(G.Sizes.size()) +
             " size(s); a fit needs two";
    return G;
  }
  stats::BootstrapOptions Opts;
  Opts.Seed = Seed;
  Opts.Resamples = 2000;
  Expected<stats::Interval> E =
      stats::bootstrapPowerLawExponent(X, Samples, Opts);
  Expected<stats::PowerFit> P = stats::fitPowerLaw(X, G.NsPerCall);
  Expected<std::vector<stats::ComplexityFit>> C =
      stats::fitComplexities(X, G.NsPerCall);
  if (!E || !P || !C) {
    // Unreachable with positive, distinct sizes and positive times; keep
    // the message rather than assert, since a report is still useful.
    G.Note = !E   ? toString(E.takeError())
             : !P ? toString(P.takeError())
                  : toString(C.takeError());
    if (E)
      consumeError(E.takeError());
    return G;
  }
  G.Exponent = *E;
  G.RSquared = P->RSquared;
  G.Classes = std::move(*C);
  return G;
}

Expected<SweepResult> compare::runSweep(StringRef File, const Config &Cfg,
                                        ArrayRef<int64_t> Sizes,
                                        raw_ostream &Progress) {
  SweepResult R;
  R.File = File.str();
  R.Sizes.assign(Sizes.begin(), Sizes.end());
  for (int64_t Size : Sizes) {
    Config C = Cfg;
    C.ExplicitSize = Size;
    Progress << "sweep: size " << Size << "\n";
    Expected<KernelResult> K = runKernel(File, C, Progress);
    if (!K)
      return K.takeError();
    R.Kernel = K->Kernel;
    R.Workload = K->Workload;
    R.Points.push_back(std::move(*K));
  }
  for (ImplKind Kind : Cfg.Impls)
    R.Growths.push_back(fitGrowth(Kind, R.Sizes, R.Points, Cfg.Seed));
  return R;
}

namespace {

const ImplResult *findImpl(const KernelResult &K, ImplKind Kind) {
  for (const ImplResult &I : K.Impls)
    if (I.Kind == Kind)
      return &I;
  return nullptr;
}

std::string cellText(const ImplResult *I) {
  if (!I)
    return "-";
  if (I->St != Status::Ok)
    return statusName(I->St).upper();
  if (!I->TimePerCall)
    return "-";
  const stats::Interval &T = *I->TimePerCall;
  return formatTime(T.Estimate) + " [" + formatTime(T.Low) + ", " +
         formatTime(T.High) + "]";
}

std::string coefficientText(const stats::ComplexityFit &F) {
  // The coefficient is ns per unit of g(N): a time for O(1), N, N log N,
  // and a tiny one for N^2 and N^3, printed in scientific notation there.
  if (F.Coefficient >= 0.01)
    return formatTime(F.Coefficient);
  return formatv("{0:e2} ns", F.Coefficient).str();
}

} // namespace

void compare::printSweep(const SweepResult &R, raw_ostream &OS) {
  OS << "sweep " << R.Kernel << " (workload " << R.Workload << ") over "
     << R.Sizes.size() << " sizes\n\n";
  // Time per call per size: one column per implementation.
  std::vector<std::vector<std::string>> Rows;
  std::vector<std::string> Header = {"size"};
  for (const Growth &G : R.Growths)
    Header.push_back(implName(G.Kind).str() + " time/call [95% CI]");
  Rows.push_back(Header);
  for (size_t I = 0; I < R.Points.size(); ++I) {
    std::vector<std::string> Row = {std::to_string(R.Sizes[I])};
    for (const Growth &G : R.Growths)
      Row.push_back(cellText(findImpl(R.Points[I], G.Kind)));
    Rows.push_back(Row);
  }
  std::vector<size_t> Width(Header.size(), 0);
  for (const auto &Row : Rows)
    for (size_t C = 0; C < Row.size(); ++C)
      Width[C] = std::max(Width[C], Row[C].size());
  for (const auto &Row : Rows) {
    for (size_t C = 0; C < Row.size(); ++C)
      OS << (C ? "  " : "") << left_justify(Row[C], Width[C]);
    OS << "\n";
  }

  OS << "\ngrowth: time per call ~ c * size^k (least squares on log-log; "
        "k's interval bootstraps the process executions)\n";
  OS << formatv("{0,-10} {1,6} {2,-16} {3,7}  {4,-11} {5,-12} {6,6}  {7}\n",
                "impl", "k", "95% CI", "R^2", "best fit", "coefficient",
                "rms", "next best");
  for (const Growth &G : R.Growths) {
    if (!G.Exponent) {
      OS << formatv("{0,-10} {1}\n", implName(G.Kind), G.Note);
      continue;
    }
    const stats::Interval &E = *G.Exponent;
    std::string CI =
        E.Degenerate ? std::string("(one execution)")
                     : formatv("[{0:f2}, {1:f2}]", E.Low, E.High).str();
    const stats::ComplexityFit &Best = G.Classes.front();
    std::string Next =
        G.Classes.size() > 1
            ? formatv("{0} ({1:f0}%)", stats::complexityName(G.Classes[1].Class),
                      G.Classes[1].Rms * 100)
                  .str()
            : "";
    OS << formatv("{0,-10} {1,6:f2} {2,-16} {3,7:f4}  {4,-11} {5,-12} "
                  "{6,5:f0}%  {7}\n",
                  implName(G.Kind), E.Estimate, CI, G.RSquared,
                  stats::complexityName(Best.Class), coefficientText(Best),
                  Best.Rms * 100, Next);
  }
}

void compare::writeSweepJSON(const SweepResult &R, raw_ostream &OS) {
  json::Array Impls;
  for (const Growth &G : R.Growths) {
    json::Array Points;
    for (size_t I = 0; I < R.Points.size(); ++I) {
      const ImplResult *X = findImpl(R.Points[I], G.Kind);
      json::Object P{{"size", R.Sizes[I]},
                     {"status", X ? statusName(X->St) : "skipped"}};
      if (X && X->St == Status::Ok && X->TimePerCall) {
        P["ns_per_call"] = X->TimePerCall->Estimate;
        P["low"] = X->TimePerCall->Low;
        P["high"] = X->TimePerCall->High;
        P["executions"] = int64_t(X->SteadyMeans.size());
      }
      if (X && !X->Message.empty())
        P["message"] = X->Message;
      Points.push_back(std::move(P));
    }
    json::Object O{{"name", implName(G.Kind)}, {"points", std::move(Points)}};
    if (G.Exponent) {
      json::Array Classes;
      for (const stats::ComplexityFit &F : G.Classes)
        Classes.push_back(json::Object{{"class", stats::complexityName(F.Class)},
                                       {"coefficient", F.Coefficient},
                                       {"rms", F.Rms}});
      O["fit"] = json::Object{{"exponent", G.Exponent->Estimate},
                              {"exponent_low", G.Exponent->Low},
                              {"exponent_high", G.Exponent->High},
                              {"r_squared", G.RSquared},
                              {"big_o", stats::complexityName(
                                            G.Classes.front().Class)},
                              {"classes", std::move(Classes)}};
    } else {
      O["fit_note"] = G.Note;
    }
    Impls.push_back(std::move(O));
  }
  json::Array Sizes;
  for (int64_t S : R.Sizes)
    Sizes.push_back(S);
  json::Object Root{{"kernel", R.Kernel},
                    {"file", R.File},
                    {"workload", R.Workload},
                    {"sizes", std::move(Sizes)},
                    {"implementations", std::move(Impls)}};
  OS << formatv("{0:2}", json::Value(std::move(Root))) << "\n";
}

void compare::writeSweepCSV(const SweepResult &R, raw_ostream &OS) {
  OS << "kernel,workload,implementation,size,ns_per_call,low,high,status\n";
  for (size_t I = 0; I < R.Points.size(); ++I)
    for (const Growth &G : R.Growths) {
      const ImplResult *X = findImpl(R.Points[I], G.Kind);
      OS << R.Kernel << "," << R.Workload << "," << implName(G.Kind) << ","
         << R.Sizes[I] << ",";
      if (X && X->St == Status::Ok && X->TimePerCall)
        OS << formatv("{0},{1},{2}", X->TimePerCall->Estimate,
                      X->TimePerCall->Low, X->TimePerCall->High);
      else
        OS << ",,";
      OS << "," << (X ? statusName(X->St) : "skipped") << "\n";
    }
}
