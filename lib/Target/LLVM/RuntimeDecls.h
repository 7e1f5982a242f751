//===- RuntimeDecls.h - LLVM declarations of the kcrt C ABI -----*- C++ -*-===//
//
// Private to the LLVM back-end: one place that declares every kcrt.h function
// a lowered kernel may call, with the attributes that let LLVM optimize around
// the calls (noalias allocations, read-only lookups, a cold noreturn trap).
//
//===----------------------------------------------------------------------===//

#ifndef KC_TARGET_LLVM_RUNTIMEDECLS_H
#define KC_TARGET_LLVM_RUNTIMEDECLS_H

namespace llvm {
class Function;
class Module;
class StructType;
} // namespace llvm

namespace kc {
namespace llvmgen {

struct RuntimeDecls {
  llvm::StructType *StrTy;   // kc_str: {i64 len, ptr data}
  llvm::StructType *ArrayTy; // kc_array: {i64 len, i64 cap, ptr data}

  llvm::Function *Alloc, *AllocZeroed;
  llvm::Function *Trap;
  llvm::Function *StrConcat, *StrSlice, *StrCompare, *StrEqual;
  llvm::Function *StrFromInt, *StrParseInt, *StrFromCode;
  llvm::Function *StrFind, *StrSplit, *StrLower, *StrSliceLower, *StrJoin;
  llvm::Function *StrTrim, *StrSliceTrim, *StrReplace, *StrContains;
  llvm::Function *StrJoinN, *StrConcatJoins;
  llvm::Function *StrFromCodes;
  llvm::Function *Memcmp; // C's memcmp, for s.starts_with lowered inline
  llvm::Function *Memchr; // C's memchr, for s.find of a constant lowered inline
  llvm::Function *ArrayNew, *ArrayReserveOne;
  llvm::Function *MapNew, *MapLen;
  llvm::Function *MapFindInt, *MapFindStr, *MapSlotInt, *MapSlotStr;
  llvm::Function *MapUpsertInt, *MapUpsertStr;
  llvm::Function *MapKeyIntAt, *MapKeyStrAt, *MapValueAt;
  llvm::Function *MapRemoveInt, *MapRemoveStr, *MapPack, *MapKeys;
};

/// Declares the runtime in \p M. Call it before any kernel function exists so
/// that a kernel function with a runtime name is the one LLVM renames.
RuntimeDecls declareRuntime(llvm::Module &M);

} // namespace llvmgen
} // namespace kc

#endif
