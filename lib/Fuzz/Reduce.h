//===- Reduce.h - Shrink a kernel while it stays interesting ----*- C++ -*-===//
//
// A C-Reduce-like reducer over the kernel syntax tree: it deletes functions,
// records, fields, parameters and statements (chunks first, then one by
// one), replaces compound statements by their bodies and expressions by
// their operands or small literals, and shrinks the workload, keeping each
// edit only when the result still passes the front-end (well-typed) and the
// predicate still holds. It stops at a fixpoint: no single edit is kept.
//
//===----------------------------------------------------------------------===//

#ifndef KC_FUZZ_REDUCE_H
#define KC_FUZZ_REDUCE_H

#include "Fuzz/Campaign.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <string>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace fuzz {

/// Whether a candidate (kernel source that passes the front-end) is still
/// interesting.
using InterestingFn = std::function<bool(const std::string &Source)>;

struct ReduceOptions {
  /// Candidates are checked by the front-end in this mode and printed with
  /// the checked marker.
  bool Checked = false;
  /// Progress (one line per kept edit); null for none.
  llvm::raw_ostream *Log = nullptr;
  /// Stop after this many predicate calls.
  unsigned MaxTests = 20000;
};

/// Reduces \p Source, which must pass the front-end and the predicate.
llvm::Expected<std::string> reduceKernel(const std::string &Source,
                                         const InterestingFn &Interesting,
                                         const ReduceOptions &Opts);

/// The predicate "diverges as \p Source does": the same verdict signature
/// (which runtime gives what kind of outcome, which results are equal, the
/// trap kinds, the exception types). For an unchecked kernel a candidate
/// must also not leave the safe int range (run natively in checked mode),
/// so that reduction cannot swap the bug for undefined behaviour. An error
/// when \p Source does not diverge.
llvm::Expected<InterestingFn> divergencePredicate(const std::string &Source,
                                                  bool Checked,
                                                  const RunConfig &Cfg,
                                                  llvm::StringRef WorkDir);

/// Predicates other than a divergence: "op:NAME" holds for kernels whose
/// KIR contains the op NAME (for testing the reducer); "script:PATH" runs
/// PATH on a file holding the candidate and holds when it exits with 0 (as
/// C-Reduce's interestingness tests: for crashes and hangs of kernelc).
llvm::Expected<InterestingFn> testPredicate(llvm::StringRef Spec, bool Checked);

} // namespace fuzz
} // namespace kc

#endif
