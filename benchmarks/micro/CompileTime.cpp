//===- CompileTime.cpp - kernelc's compile time per phase -----------------===//
//
// One benchmark per phase (parse, check + lower to KIR, KIR verify, LLVM IR
// generation, -O2), each over every bundled kernel: ->Arg(i) is the i-th
// kernel in benchmarks/kernels, named in the benchmark's label.
//
//===----------------------------------------------------------------------===//

#include "Driver/Driver.h"
#include "Lang/Parser.h"
#include "Lang/Sema.h"
#include "ir/Verifier.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include <algorithm>
#include <benchmark/benchmark.h>

using namespace kc;

namespace {

std::vector<std::string> &kernelPaths() {
  static std::vector<std::string> Paths = [] {
    std::vector<std::string> P;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(KC_KERNELS_DIR, EC), End;
         It != End && !EC; It.increment(EC))
      if (llvm::sys::path::extension(It->path()) == ".k")
        P.push_back(It->path());
    std::sort(P.begin(), P.end());
    return P;
  }();
  return Paths;
}

std::string readKernel(benchmark::State &S) {
  const std::string &Path = kernelPaths()[S.range(0)];
  S.SetLabel(llvm::sys::path::stem(Path).str());
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf) {
    S.SkipWithError("cannot read kernel");
    return "";
  }
  return (*Buf)->getBuffer().str();
}

/// Parses Src into F with its own source manager (kept alive by the caller).
bool parse(llvm::SourceMgr &SM, const std::string &Src, ast::File &F) {
  SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(Src, "k.k"),
                        llvm::SMLoc());
  DiagnosticEngine Diags(SM, llvm::nulls());
  Parser P(SM.getMemoryBuffer(SM.getNumBuffers())->getBuffer(), Diags);
  F = P.parseFile();
  return !Diags.hasErrors();
}

std::unique_ptr<kir::Module> toKIR(const std::string &Src) {
  auto M = driver::compileSource(llvm::MemoryBuffer::getMemBufferCopy(Src, "k.k"),
                                 llvm::nulls());
  if (!M) {
    llvm::consumeError(M.takeError());
    return nullptr;
  }
  return std::move(*M);
}

void BM_Parse(benchmark::State &S) {
  std::string Src = readKernel(S);
  for (auto _ : S) {
    llvm::SourceMgr SM;
    ast::File F;
    benchmark::DoNotOptimize(parse(SM, Src, F));
  }
}

void BM_CheckAndLower(benchmark::State &S) {
  std::string Src = readKernel(S);
  for (auto _ : S) {
    S.PauseTiming();
    llvm::SourceMgr SM;
    ast::File F;
    parse(SM, Src, F);
    DiagnosticEngine Diags(SM, llvm::nulls());
    S.ResumeTiming();
    auto M = checkAndLower(F, "k.k", Diags);
    benchmark::DoNotOptimize(M.get());
  }
}

void BM_VerifyKIR(benchmark::State &S) {
  auto M = toKIR(readKernel(S));
  for (auto _ : S) {
    llvm::Error E = kir::verify(*M);
    benchmark::DoNotOptimize(bool(E));
    llvm::consumeError(std::move(E));
  }
}

void BM_LLVMCodegen(benchmark::State &S) {
  auto M = toKIR(readKernel(S));
  llvmgen::initializeNativeTarget();
  auto TM = llvmgen::createHostTargetMachine(2);
  if (!TM) {
    llvm::consumeError(TM.takeError());
    S.SkipWithError("no target machine");
    return;
  }
  for (auto _ : S) {
    llvm::LLVMContext Ctx;
    auto Mod = llvmgen::lowerToLLVM(*M, Ctx, {}, **TM);
    if (!Mod) {
      llvm::consumeError(Mod.takeError());
      S.SkipWithError("lowering failed");
      return;
    }
  }
}

void BM_OptimizeO2(benchmark::State &S) {
  auto M = toKIR(readKernel(S));
  llvmgen::initializeNativeTarget();
  auto TM = llvmgen::createHostTargetMachine(2);
  if (!TM) {
    llvm::consumeError(TM.takeError());
    S.SkipWithError("no target machine");
    return;
  }
  for (auto _ : S) {
    S.PauseTiming();
    llvm::LLVMContext Ctx;
    auto Mod = llvmgen::lowerToLLVM(*M, Ctx, {}, **TM);
    S.ResumeTiming();
    if (!Mod) {
      llvm::consumeError(Mod.takeError());
      S.SkipWithError("lowering failed");
      return;
    }
    llvm::consumeError(llvmgen::optimizeModule(**Mod, 2, TM->get()));
  }
}

void kernelArgs(benchmark::internal::Benchmark *B) {
  for (size_t I = 0; I < kernelPaths().size(); ++I)
    B->Arg(static_cast<int64_t>(I));
}

} // namespace

BENCHMARK(BM_Parse)->Apply(kernelArgs)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CheckAndLower)->Apply(kernelArgs)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_VerifyKIR)->Apply(kernelArgs)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LLVMCodegen)->Apply(kernelArgs)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OptimizeO2)->Apply(kernelArgs)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
