//===- Batch.h - Many kernels per runner process ----------------*- C++ -*-===//
//
// Starting node or an interpreter per kernel would cost more than running
// it, so the fuzzer hands each runtime a batch: a file of JSON lines, one
// kernel each, that one worker process runs in order, printing one outcome
// line per kernel as it finishes. The parent watches the lines appear: a
// worker that stops making progress is killed (per-kernel timeout), one that
// dies is restarted after the kernel it was running.
//
//   job:     {"kernel": "k.k", "js": "k.mjs", "py": "k.py", "inputs": "k.kin",
//             "entry": "kmain", "params": ["int"], "result": "Out",
//             "records": {"Out": [["o0", "int"]]}, "checked": false,
//             "opt": 2}
//   outcome: {"i": 0, "kind": "ok", "text": "Out{o0=3}"}
//            {"i": 1, "kind": "trap", "text": "index out of range", "line": 7}
//            {"i": 2, "kind": "exception", "text": "TypeError: ..."}
//            {"i": 3, "kind": "error", "text": "the module did not load ..."}
//
// The prepare worker (Campaign.h) writes the same lines: "ok" with the job
// line as its text and the kernel's coverage as "data", or "error" with the
// diagnostics of a kernel the front-end or a back-end refused.
//
//===----------------------------------------------------------------------===//

#ifndef KC_FUZZ_BATCH_H
#define KC_FUZZ_BATCH_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace kir {
class Module;
}
namespace fuzz {

enum class Runtime { Native, V8, CPython };
constexpr Runtime AllRuntimes[] = {Runtime::Native, Runtime::V8,
                                   Runtime::CPython};
llvm::StringRef runtimeName(Runtime R);

struct BatchJob {
  std::string Kernel, JS, Py, Inputs;
  std::string Entry;
  std::vector<std::string> Params;
  std::string Result;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>>
      Records;
  bool Checked = false;
  unsigned OptLevel = 2;
};

/// The job of a compiled kernel: its entry's signature and the records a
/// runner must know to pass inputs and print the result.
BatchJob jobFor(const kir::Module &M);

void writeBatchJob(const BatchJob &J, llvm::raw_ostream &OS);
llvm::Expected<BatchJob> parseBatchJob(llvm::StringRef Line);
llvm::Expected<std::vector<BatchJob>> readBatch(llvm::StringRef Path);

/// What one runtime made of one kernel.
struct Outcome {
  enum Kind {
    Ok,        // Text: the canonical result
    Trap,      // Text: the trap's message; Line
    Exception, // Text: an error thrown that is not a trap
    Error,     // Text: the kernel did not compile or load
    Crash,     // Text: how the worker died
    Timeout,   // the worker made no progress for the timeout
    Missing    // not run (no such runtime)
  };
  Kind K = Missing;
  std::string Text;
  int64_t Line = 0;
  /// What a worker adds besides (the prepare worker: coverage); not compared.
  std::string Data;

  bool operator==(const Outcome &O) const {
    return K == O.K && Text == O.Text && Line == O.Line;
  }
  bool operator!=(const Outcome &O) const { return !(*this == O); }
  /// "ok Out{o0=3}", "trap index out of range at line 7", "timeout", ...
  std::string str() const;
};
llvm::StringRef outcomeKindName(Outcome::Kind K);

void writeOutcome(unsigned Index, const Outcome &O, llvm::raw_ostream &OS);
llvm::Expected<std::pair<unsigned, Outcome>> parseOutcome(llvm::StringRef Line);

/// Worker mains: run the batch's jobs from index \p From on, one outcome
/// line each on \p Out (flushed at once). Return the process exit code.
int runNativeWorker(llvm::StringRef BatchPath, unsigned From,
                    llvm::raw_ostream &Out);

} // namespace fuzz
} // namespace kc

#endif
