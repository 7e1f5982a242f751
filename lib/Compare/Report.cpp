//===- Report.cpp - rtcompare's table, JSON and CSV -----------------------===//

#include "Compare/Compare.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <ctime>
#include <map>
#include <thread>

using namespace kc;
using namespace kc::compare;

std::string kc::compare::formatTime(double Ns) {
  if (Ns < 1e3)
    return llvm::formatv("{0:f1} ns", Ns).str();
  if (Ns < 1e6)
    return llvm::formatv("{0:f2} us", Ns / 1e3).str();
  if (Ns < 1e9)
    return llvm::formatv("{0:f2} ms", Ns / 1e6).str();
  return llvm::formatv("{0:f3} s", Ns / 1e9).str();
}

namespace {

std::string formatInterval(const stats::Interval &I, bool Time) {
  if (Time)
    return formatTime(I.Estimate) + " [" + formatTime(I.Low) + ", " +
           formatTime(I.High) + "]";
  return llvm::formatv("{0:f2} [{1:f2}, {2:f2}]", I.Estimate, I.Low, I.High)
      .str();
}

/// "4 flat, 1 warm-up": the warm-up classes of the process executions.
std::string warmupSummary(const ImplResult &I) {
  std::map<std::string, unsigned> Counts;
  for (const ProcessRun &R : I.Runs)
    if (R.Warmup)
      ++Counts[stats::className(R.Warmup->Class).str()];
  std::string S;
  for (const auto &C : Counts)
    S += (S.empty() ? "" : ", ") + std::to_string(C.second) + " " + C.first;
  return S.empty() ? "-" : S;
}

std::string runtimeLabel(const ImplResult &I) {
  std::string S = implRuntime(I.Kind).str();
  if (!I.Version.empty())
    S += " " + I.Version;
  return S;
}

/// Per pair (kernelc's implementation / its reference, and each runtime /
/// native): the geometric mean of the per-kernel ratios over the kernels
/// where both ran, and the kernels with the largest ratios. With references,
/// first a matrix of kernelc's ratios to them, one row per kernel.
void printGeomeans(llvm::ArrayRef<KernelResult> Results, llvm::raw_ostream &OS) {
  if (Results.size() < 2)
    return;
  struct Pair {
    std::string Label;
    std::vector<double> Ratios;
    std::vector<std::pair<double, std::string>> ByKernel;
  };
  std::map<std::string, Pair> Pairs;
  auto Add = [&](const std::string &Label, const std::string &Kernel,
                 double Ratio) {
    Pair &P = Pairs[Label];
    P.Label = Label;
    P.Ratios.push_back(Ratio);
    P.ByKernel.emplace_back(Ratio, Kernel);
  };
  // kernelc / reference ratios per kernel, columns in report order.
  std::vector<ImplKind> RefColumns;
  for (const KernelResult &K : Results)
    for (const ImplResult &I : K.Impls) {
      if (I.RatioToReference) {
        if (!llvm::is_contained(RefColumns, I.Kind))
          RefColumns.push_back(I.Kind);
        Add("kernelc " + implName(I.Kind).str() + " / " +
                implName(*referenceOf(I.Kind)).str() + " reference",
            K.Kernel, I.RatioToReference->Estimate);
      }
      if (I.RatioToNative && I.Kind != ImplKind::Native)
        Add(implName(I.Kind).str() + " / native", K.Kernel,
            I.RatioToNative->Estimate);
    }
  if (Pairs.empty())
    return;
  if (!RefColumns.empty()) {
    llvm::sort(RefColumns);
    OS << "\nkernelc / hand-written reference, per kernel (1.00 = as fast; "
          "above 1 = kernelc slower):\n";
    OS << llvm::formatv("  {0,-18}", "kernel");
    for (ImplKind C : RefColumns)
      OS << llvm::formatv(" {0,12}", (implName(C) + "/" +
                                      implName(*referenceOf(C)))
                                         .str());
    OS << "\n";
    for (const KernelResult &K : Results) {
      OS << llvm::formatv("  {0,-18}", K.Kernel);
      for (ImplKind C : RefColumns) {
        auto It = llvm::find_if(K.Impls, [&](const ImplResult &I) {
          return I.Kind == C && I.RatioToReference;
        });
        OS << llvm::formatv(" {0,12}",
                            It == K.Impls.end()
                                ? std::string("-")
                                : llvm::formatv("{0:f2}",
                                                It->RatioToReference->Estimate)
                                      .str());
      }
      OS << "\n";
    }
  }
  OS << "\ngeometric means of per-kernel ratios [95% bootstrap interval over "
        "kernels]:\n";
  for (auto &KV : Pairs) {
    Pair &P = KV.second;
    stats::Interval G = stats::bootstrapGeometricMean(P.Ratios);
    llvm::sort(P.ByKernel, [](const auto &A, const auto &B) {
      return A.first > B.first;
    });
    std::string Worst;
    for (size_t I = 0; I < P.ByKernel.size() && I < 3; ++I)
      Worst += llvm::formatv("{0}{1} ({2:f2})", I ? ", " : "",
                             P.ByKernel[I].second, P.ByKernel[I].first)
                   .str();
    OS << llvm::formatv("  {0,-32} {1:f3} [{2:f3}, {3:f3}] over {4} kernels; "
                        "worst {5}\n",
                        P.Label, G.Estimate, G.Low, G.High, P.Ratios.size(),
                        Worst);
  }
}

} // namespace

void compare::printTable(llvm::ArrayRef<KernelResult> Results,
                         llvm::raw_ostream &OS) {
  constexpr int Cols = 8;
  struct Row {
    std::string Cells[Cols];
  };
  std::vector<Row> Rows;
  Rows.push_back({{"kernel", "impl", "runtime", "time per call [95% CI]",
                   "vs native [95% CI]", "vs reference", "warm-up",
                   "status"}});
  std::vector<std::string> Notes;
  for (const KernelResult &K : Results) {
    for (const ImplResult &I : K.Impls) {
      Row R;
      R.Cells[0] = K.Kernel;
      R.Cells[1] = implName(I.Kind).str();
      R.Cells[2] = runtimeLabel(I);
      R.Cells[3] = I.TimePerCall ? formatInterval(*I.TimePerCall, true) : "-";
      R.Cells[4] =
          I.RatioToNative ? formatInterval(*I.RatioToNative, false) : "-";
      R.Cells[5] = I.RatioToReference
                       ? formatInterval(*I.RatioToReference, false) + " " +
                             implName(*referenceOf(I.Kind)).str()
                       : "-";
      R.Cells[6] = I.St == Status::Ok ? warmupSummary(I) : "-";
      R.Cells[7] = statusName(I.St).str();
      if (!I.Message.empty())
        Notes.push_back(K.Kernel + "/" + implName(I.Kind).str() + ": " +
                        statusName(I.St).str() + ": " + I.Message);
      Rows.push_back(std::move(R));
    }
  }
  size_t Width[Cols] = {};
  for (const Row &R : Rows)
    for (int C = 0; C < Cols; ++C)
      Width[C] = std::max(Width[C], R.Cells[C].size());
  for (size_t RI = 0; RI < Rows.size(); ++RI) {
    for (int C = 0; C < Cols; ++C) {
      OS << Rows[RI].Cells[C];
      if (C < Cols - 1)
        OS.indent(Width[C] - Rows[RI].Cells[C].size() + 2);
    }
    OS << "\n";
    if (RI == 0) {
      size_t Total = 0;
      for (int C = 0; C < Cols; ++C)
        Total += Width[C] + (C < Cols - 1 ? 2 : 0);
      OS << std::string(Total, '-') << "\n";
    }
  }
  for (const KernelResult &K : Results) {
    OS << K.Kernel << ": workload " << K.Workload << ", size " << K.Size
       << " (" << K.SizeValue << "), result "
       << displayCanonical(K.Agreed) << "; timer share of a sample:";
    bool Any = false;
    for (const ImplResult &I : K.Impls)
      if (I.TimerShare) {
        OS << llvm::formatv(" {0} {1:f4}%", implName(I.Kind),
                            *I.TimerShare * 100);
        Any = true;
      }
    OS << (Any ? "\n" : " -\n");
  }
  for (const std::string &N : Notes)
    OS << N << "\n";
  printGeomeans(Results, OS);
}

void compare::writeBenchmarkJSON(llvm::ArrayRef<KernelResult> Results,
                                 llvm::raw_ostream &OS) {
  std::time_t Now = std::time(nullptr);
  char Date[64];
  std::strftime(Date, sizeof(Date), "%Y-%m-%dT%H:%M:%S%z",
                std::localtime(&Now));
  llvm::json::Object Context{
      {"date", Date},
      {"host_name", llvm::sys::Process::GetEnv("HOSTNAME").value_or("")},
      {"executable", "rtcompare"},
      {"num_cpus", static_cast<int64_t>(std::thread::hardware_concurrency())},
      {"mhz_per_cpu", 0},
      {"cpu_scaling_enabled", false},
      {"caches", llvm::json::Array()},
      {"load_avg", llvm::json::Array()},
      {"library_build_type", "release"}};
  llvm::json::Array Benchmarks;
  int64_t Family = 0;
  for (const KernelResult &K : Results) {
    for (const ImplResult &I : K.Impls) {
      if (I.St != Status::Ok || !I.TimePerCall)
        continue;
      std::string Name = K.Kernel + "/" + K.Workload + "/" + K.Size + "/" +
                         implName(I.Kind).str();
      int64_t Calls = 0;
      for (const ProcessRun &R : I.Runs)
        Calls += static_cast<int64_t>(R.Report.Batch *
                                      R.Report.SampleNsPerCall.size());
      llvm::json::Object B{
          {"name", Name},
          {"family_index", Family++},
          {"per_family_instance_index", 0},
          {"run_name", Name},
          {"run_type", "iteration"},
          {"repetitions", 1},
          {"repetition_index", 0},
          {"threads", 1},
          {"iterations", Calls},
          {"real_time", I.TimePerCall->Estimate},
          {"cpu_time", I.TimePerCall->Estimate},
          {"time_unit", "ns"},
          // Ours, beyond Google Benchmark's fields (its tools ignore them).
          {"ci95_low", I.TimePerCall->Low},
          {"ci95_high", I.TimePerCall->High},
          {"process_executions", static_cast<int64_t>(I.Runs.size())},
          {"runtime", implRuntime(I.Kind)},
          {"runtime_version", I.Version},
          {"engine", I.Engine},
          {"warmup", warmupSummary(I)},
      };
      if (I.TimerShare)
        B["timer_share"] = *I.TimerShare;
      if (I.RatioToReference) {
        B["ratio_to_reference"] = I.RatioToReference->Estimate;
        B["reference"] = implName(*referenceOf(I.Kind));
      }
      if (I.RatioToNative) {
        B["ratio_to_native"] = I.RatioToNative->Estimate;
        B["ratio_ci95_low"] = I.RatioToNative->Low;
        B["ratio_ci95_high"] = I.RatioToNative->High;
      }
      Benchmarks.push_back(std::move(B));
    }
  }
  llvm::json::Object Root{{"context", std::move(Context)},
                          {"benchmarks", std::move(Benchmarks)}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Root))) << "\n";
}

static std::string csvField(llvm::StringRef S) {
  if (S.find_first_of(",\"\n") == llvm::StringRef::npos)
    return S.str();
  std::string Out = "\"";
  for (char C : S) {
    if (C == '"')
      Out += '"';
    Out += C;
  }
  return Out + "\"";
}

void compare::writeCSV(llvm::ArrayRef<KernelResult> Results,
                       llvm::raw_ostream &OS) {
  OS << "kernel,workload,size,implementation,runtime,version,status,"
        "ns_per_call,ci95_low,ci95_high,ratio_to_native,ratio_ci95_low,"
        "ratio_ci95_high,ratio_to_reference,ref_ci95_low,ref_ci95_high,"
        "process_executions,warmup,message\n";
  for (const KernelResult &K : Results) {
    for (const ImplResult &I : K.Impls) {
      OS << csvField(K.Kernel) << ',' << csvField(K.Workload) << ','
         << csvField(K.Size) << ',' << implName(I.Kind) << ','
         << implRuntime(I.Kind) << ',' << csvField(I.Version) << ','
         << statusName(I.St) << ',';
      if (I.TimePerCall)
        OS << llvm::formatv("{0:f1},{1:f1},{2:f1}", I.TimePerCall->Estimate,
                            I.TimePerCall->Low, I.TimePerCall->High);
      else
        OS << ",,";
      OS << ',';
      if (I.RatioToNative)
        OS << llvm::formatv("{0:f4},{1:f4},{2:f4}", I.RatioToNative->Estimate,
                            I.RatioToNative->Low, I.RatioToNative->High);
      else
        OS << ",,";
      OS << ',';
      if (I.RatioToReference)
        OS << llvm::formatv("{0:f4},{1:f4},{2:f4}",
                            I.RatioToReference->Estimate,
                            I.RatioToReference->Low, I.RatioToReference->High);
      else
        OS << ",,";
      OS << ',' << I.Runs.size() << ',' << csvField(warmupSummary(I)) << ','
         << csvField(I.Message) << "\n";
    }
  }
}
