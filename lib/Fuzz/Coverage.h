//===- Coverage.h - Which KIR ops and types the fuzzer reached --*- C++ -*-===//
//
// Counted on the verified KIR of each generated kernel (what the front-end
// made of it, not what the generator meant), so a construct the generator
// writes but Sema lowers differently is not counted twice.
//
//===----------------------------------------------------------------------===//

#ifndef KC_FUZZ_COVERAGE_H
#define KC_FUZZ_COVERAGE_H

#include "ir/IR.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace fuzz {

/// The source construct the generator writes to produce \p O (for the
/// report of ops no kernel reached). A switch over Ops.def without default:
/// a new op does not compile until the fuzzer knows where it comes from.
llvm::StringRef producedBy(kir::Op O);

class Coverage {
public:
  Coverage();
  /// Counts the ops and types of one kernel.
  void add(const kir::Module &M);
  /// One kernel's counts as text (a worker process sends them to the
  /// campaign), and adding them back.
  static std::string encode(const kir::Module &M);
  void addEncoded(llvm::StringRef Text);

  unsigned kernels() const { return Kernels; }
  /// Kernels whose KIR holds op \p O at least once.
  uint64_t kernelsWith(kir::Op O) const { return OpKernels[unsigned(O)]; }
  uint64_t nodesOf(kir::Op O) const { return OpNodes[unsigned(O)]; }
  std::vector<kir::Op> missingOps() const;
  /// Type classes (bool, i32, ..., [T], map[int]V, map[str]V, record, ?R)
  /// and how many kernels hold a value of each.
  const std::map<std::string, uint64_t> &typeKernels() const {
    return TypeKernels;
  }
  std::vector<std::string> missingTypes() const;

  /// A table of every op (kernels, nodes) and every type class, then what
  /// is missing.
  void print(llvm::raw_ostream &OS) const;
  /// One line: "ops 120/121, types 14/14".
  void summary(llvm::raw_ostream &OS) const;

private:
  unsigned Kernels = 0;
  std::vector<uint64_t> OpKernels, OpNodes;
  std::map<std::string, uint64_t> TypeKernels;
};

} // namespace fuzz
} // namespace kc

#endif
