//===- Campaign.h - Generate, run on three runtimes, compare ----*- C++ -*-===//
//
// A campaign generates kernels from consecutive seeds, compiles each once
// (KIR, the ES module, the Python module, the .kin inputs), runs each batch
// on native, V8 and CPython at the same time (Batch.h), and judges the
// outcomes: the same canonical result everywhere, or the same trap (kind
// and line) everywhere. Anything else is a divergence, unless a documented
// semantic rule of docs/language.md explains it.
//
//===----------------------------------------------------------------------===//

#ifndef KC_FUZZ_CAMPAIGN_H
#define KC_FUZZ_CAMPAIGN_H

#include "Fuzz/Batch.h"
#include "Fuzz/Coverage.h"
#include "Fuzz/KernelGen.h"
#include "ir/IR.h"
#include "llvm/Support/Error.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace fuzz {

/// How workers are started.
struct RunConfig {
  std::string Self;    // kc-difffuzz: `worker native|cpython BATCH --from=N`
  std::string Node;    // the pinned node
  std::string V8Batch; // lib/Fuzz/v8-batch.mjs
  std::vector<Runtime> Runtimes = {Runtime::Native, Runtime::V8,
                                   Runtime::CPython};
  /// Seconds a worker may spend on one kernel before it is killed.
  double TimeoutSec = 20;
  unsigned MemoryLimitMB = 8192;
  /// -O level of the native JIT (2: what rtcompare measures).
  unsigned OptLevel = 2;
};

/// The tool \p Self's sibling workers, the pinned node of the source tree,
/// the batch script next to this library's sources.
RunConfig defaultRunConfig(llvm::StringRef Self);

/// A kernel ready for every runtime: its files and its job.
struct PreparedKernel {
  std::string Source;
  BatchJob Job;
  std::unique_ptr<kir::Module> M;
};

/// Writes \p Source as Dir/Stem.k, compiles it (checked mode if \p Checked),
/// emits Dir/Stem.mjs and Dir/Stem.py, generates the inputs of its first
/// workload at the default size as Dir/Stem.kin. An error holds the
/// front-end's diagnostics.
llvm::Expected<PreparedKernel> prepareKernel(const std::string &Source,
                                             llvm::StringRef Dir,
                                             llvm::StringRef Stem, bool Checked,
                                             unsigned OptLevel);

/// Runs the jobs on every runtime of \p Cfg, one worker per runtime, all at
/// once, batch files in \p Dir. Result: per job, one outcome per runtime of
/// AllRuntimes (Missing for a runtime not in Cfg).
std::vector<std::vector<Outcome>> runJobs(llvm::ArrayRef<BatchJob> Jobs,
                                          const RunConfig &Cfg,
                                          llvm::StringRef Dir);

struct Verdict {
  enum Kind {
    AgreeResult, // the same canonical result everywhere
    AgreeTrap,   // the same trap (kind and line) everywhere
    AgreeOther,  // every runtime timed out, or failed the same way
    Explained,   // outcomes differ as a rule of docs/language.md allows
    Diverged
  } K;
  /// Diverged: which runtimes gave what kind of outcome, e.g.
  /// "native=ok v8=ok cpython=exception" or "native=trap:X v8=ok:A
  /// cpython=ok:A".
  std::string Signature;
  std::string Rule; // Explained: the rule
};
Verdict judge(llvm::ArrayRef<Outcome> PerRuntime);

/// The outcomes of one kernel file on every runtime of \p Cfg (checked mode
/// if the file has the marker or \p ForceChecked).
struct CheckResult {
  std::vector<Outcome> Outcomes;
  Verdict V;
};
llvm::Expected<CheckResult> checkSource(const std::string &Source,
                                        llvm::StringRef Name,
                                        const RunConfig &Cfg,
                                        llvm::StringRef WorkDir,
                                        bool ForceChecked = false);

struct CampaignOptions {
  uint64_t Seed = 1;
  unsigned Count = 100;
  unsigned BatchSize = 100;
  GenOptions Gen;
  RunConfig Run;
  std::string WorkDir;
  /// Where divergent (and front-end rejected) kernels are saved.
  std::string OutDir;
  bool Progress = true;
};

struct CampaignStats {
  unsigned Kernels = 0, Checked = 0;
  /// Refused by the front-end (a generator bug) or a back-end, or the
  /// compiler crashed or hung on them.
  unsigned Invalid = 0;
  unsigned AgreeResult = 0, AgreeTrap = 0, AgreeOther = 0;
  unsigned Explained = 0, Diverged = 0;
  double Seconds = 0;
  std::map<std::string, unsigned> Traps;      // agreed trap kinds
  std::map<std::string, unsigned> Rules;      // explained divergences
  std::map<std::string, unsigned> Signatures; // unexplained ones
  std::vector<std::string> Saved;             // files written to OutDir
  Coverage Cov;
};

/// What the prepare worker of a campaign batch does: generate the kernels
/// of seeds Seed + From .. Seed + Count - 1 and prepare each in Dir,
/// printing one line per kernel (Batch.h).
struct PrepareOptions {
  std::string Dir;
  uint64_t Seed = 1;
  unsigned Count = 0;
  GenOptions Gen;
  unsigned OptLevel = 2;
};
int runPrepareWorker(const PrepareOptions &O, unsigned From,
                     llvm::raw_ostream &Out);

llvm::Expected<CampaignStats> runCampaign(const CampaignOptions &Opts,
                                          llvm::raw_ostream &Log);
void printStats(const CampaignStats &S, const CampaignOptions &Opts,
                llvm::raw_ostream &OS);

} // namespace fuzz
} // namespace kc

#endif
