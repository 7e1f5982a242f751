//===- MergeChecks.h - One bounds check for a group of nearby reads -*- C++ -*-===//

#ifndef KC_TARGET_LLVM_MERGECHECKS_H
#define KC_TARGET_LLVM_MERGECHECKS_H

#include "llvm/IR/PassManager.h"

namespace kc {
namespace llvmgen {

/// Replaces a chain of checks `i + k <u len` (k = 0 among them) that share
/// one trap block by the single test `i <u usub.sat(len, max k)`.
struct MergeBoundsChecksPass : llvm::PassInfoMixin<MergeBoundsChecksPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &);
};

} // namespace llvmgen
} // namespace kc

#endif
