//===- ExplainText.cpp - The terminal and JSON reports of explain ---------===//
//
// The ladder is a table whose every row is a rung: its time per kernel
// operation with the interval over process executions, and the factor to
// the measured rung above (how much that step down costs). A rung that
// could not be measured stays in the table with the reason, so a reader
// never mistakes a missing rung for a fast one.
//
//===----------------------------------------------------------------------===//

#include "Report/ExplainReport.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace kc;
using namespace kc::explain;

static std::string num(double V) {
  if (!std::isfinite(V))
    return "-";
  return formatv("{0}", format("%.3g", V)).str();
}

static void printTable(ArrayRef<std::vector<std::string>> Rows,
                       raw_ostream &OS) {
  std::vector<size_t> Width;
  for (const auto &Row : Rows)
    for (size_t I = 0; I < Row.size(); ++I) {
      if (Width.size() <= I)
        Width.push_back(0);
      Width[I] = std::max(Width[I], Row[I].size());
    }
  for (const auto &Row : Rows) {
    std::string Line;
    for (size_t I = 0; I < Row.size(); ++I) {
      Line += Row[I];
      if (I + 1 < Row.size())
        Line += std::string(Width[I] - Row[I].size() + 2, ' ');
    }
    OS << StringRef(Line).rtrim() << "\n";
  }
}

void report::printExplanation(const Explanation &E, raw_ostream &OS) {
  const Context &C = E.Ctx;
  OS << "explain " << C.KernelName << " (" << C.KernelFile << ")\n";
  OS << "workload " << C.Base.Workload << ", "
     << (C.Base.ExplicitSize ? std::to_string(*C.Base.ExplicitSize)
                             : bench::sizeClassName(C.Base.Size).str())
     << ": " << C.Operations << " " << C.OperationUnit
     << (C.Operations == 1 ? "" : "s") << " per call; "
     << C.Base.Processes << " process execution"
     << (C.Base.Processes == 1 ? "" : "s") << " per rung\n\n";

  std::string PerOp = "ns/" + C.OperationUnit;
  std::vector<std::vector<std::string>> Rows = {
      {"rung", "how", "time/call", PerOp, "95% interval", "x rung above"}};
  for (size_t I = 0; I < E.Ladder.size(); ++I) {
    const Rung &R = E.Ladder[I];
    auto T = rungTime(R);
    if (!T) {
      std::string Why = R.Missing;
      if (Why.empty() && R.Result)
        Why = (compare::statusName(R.Result->St) + ": " + R.Result->Message)
                  .str();
      Rows.push_back({R.Name, R.How, "not measured: " + Why});
      continue;
    }
    auto Op = perOperation(E, *T);
    auto F = factorToRungAbove(E, I);
    Rows.push_back(
        {R.Name, R.How, compare::formatTime(T->Estimate),
         Op ? num(Op->Estimate) : "-",
         Op ? "[" + num(Op->Low) + ", " + num(Op->High) + "]" : "-",
         F ? formatv("{0:F2}x [{1:F2}, {2:F2}]", F->Estimate, F->Low,
                     F->High)
                 .str()
           : ""});
  }
  printTable(Rows, OS);

  OS << "\nfindings\n";
  auto PrintFinding = [&](const Finding &F) {
    OS << "  [" << F.Runtime << "] " << F.Text << "\n";
  };
  for (const Finding &F : E.CrossFindings)
    PrintFinding(F);
  for (const RuntimeExplanation &P : E.Parts)
    for (const Finding &F : P.Findings)
      PrintFinding(F);
  for (const std::string &Err : E.PartErrors)
    OS << "  [error] " << Err << "\n";
  OS << "\n";
}

static json::Value intervalJSON(const stats::Interval &I) {
  return json::Object{{"estimate", I.Estimate},
                      {"low", I.Low},
                      {"high", I.High},
                      {"degenerate", I.Degenerate},
                      {"single_execution", I.SingleExecution}};
}

json::Value report::explanationJSON(const Explanation &E) {
  const Context &C = E.Ctx;
  json::Array Ladder;
  for (size_t I = 0; I < E.Ladder.size(); ++I) {
    const Rung &R = E.Ladder[I];
    json::Object O{{"name", R.Name}, {"runtime", R.Runtime}, {"how", R.How}};
    if (auto T = rungTime(R)) {
      O["ns_per_call"] = intervalJSON(*T);
      if (auto Op = perOperation(E, *T))
        O["ns_per_operation"] = intervalJSON(*Op);
      if (auto F = factorToRungAbove(E, I))
        O["factor_to_rung_above"] = intervalJSON(*F);
      O["version"] = R.Result->Version;
      O["engine"] = R.Result->Engine;
      json::Array Flags;
      for (const std::string &Fl : R.Result->Flags)
        Flags.push_back(Fl);
      O["flags"] = std::move(Flags);
      json::Array Series;
      for (const compare::ProcessRun &Run : R.Result->Runs) {
        json::Array S;
        for (double V : Run.Report.SampleNsPerCall)
          S.push_back(V);
        json::Object Exec{{"ns_per_call", std::move(S)}};
        if (Run.Warmup) {
          json::Array CPs;
          for (const stats::Segment &Seg : Run.Warmup->Segments)
            CPs.push_back(int64_t(Seg.Begin));
          Exec["segment_starts"] = std::move(CPs);
          Exec["steady_begin"] = int64_t(Run.Warmup->SteadyBegin);
          Exec["class"] = stats::className(Run.Warmup->Class);
        }
        Series.push_back(std::move(Exec));
      }
      O["executions"] = std::move(Series);
    } else {
      std::string Why = R.Missing;
      if (Why.empty() && R.Result)
        Why = (compare::statusName(R.Result->St) + ": " + R.Result->Message)
                  .str();
      O["missing"] = Why;
    }
    Ladder.push_back(std::move(O));
  }
  json::Array Findings;
  auto AddFinding = [&](const Finding &F) {
    Findings.push_back(json::Object{{"runtime", F.Runtime}, {"text", F.Text}});
  };
  for (const Finding &F : E.CrossFindings)
    AddFinding(F);
  json::Object Facts;
  json::Array Timeline;
  for (size_t I = 0; I < E.Parts.size(); ++I) {
    for (const Finding &F : E.Parts[I].Findings)
      AddFinding(F);
    Facts[E.PartNames[I]] = json::Object(E.Parts[I].Facts);
    for (const TimelineEvent &T : E.Parts[I].Timeline)
      Timeline.push_back(json::Object{{"function", T.Function},
                                      {"kind", T.Kind},
                                      {"tier", T.Tier},
                                      {"iteration", T.Iteration},
                                      {"reason", T.Reason},
                                      {"source_line", T.SourceLine},
                                      {"time_ms", T.TimeMs}});
  }
  json::Array Errors;
  for (const std::string &Err : E.PartErrors)
    Errors.push_back(Err);
  return json::Object{{"kernel", C.KernelName},
                      {"file", C.KernelFile},
                      {"entry", C.Entry},
                      {"workload", C.Base.Workload},
                      {"operations_per_call", C.Operations},
                      {"operation_unit", C.OperationUnit},
                      {"ladder", std::move(Ladder)},
                      {"findings", std::move(Findings)},
                      {"timeline", std::move(Timeline)},
                      {"facts", std::move(Facts)},
                      {"errors", std::move(Errors)}};
}

void report::writeExplanationJSON(ArrayRef<Explanation> Es, raw_ostream &OS) {
  json::Array All;
  for (const Explanation &E : Es)
    All.push_back(explanationJSON(E));
  OS << formatv("{0:2}", json::Value(std::move(All))) << "\n";
}
