//===- RuntimeDecls.cpp - LLVM declarations of the kcrt C ABI -------------===//
//
// The attributes here are promises about runtimes/native/kcrt.cpp. Each one is
// chosen to be true of any reasonable implementation of kcrt.h, not only of
// today's: e.g. string-producing functions are not `noalias` because a runtime
// may return an operand unchanged (s + "" == s), while kc_alloc always returns
// fresh memory.
//
// "inaccessiblemem" covers the arena's bookkeeping and the trap state. Memory
// a call hands out fresh (a new string, map or array buffer) is treated like
// malloc's: writing it is not a write to memory the caller could already see.
//
//===----------------------------------------------------------------------===//

#include "RuntimeDecls.h"
#include "llvm/IR/Attributes.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/ModRef.h"

using namespace llvm;

namespace kc {
namespace llvmgen {

namespace {

/// Builds one declaration at a time, with helpers for the attributes we use.
class DeclBuilder {
public:
  explicit DeclBuilder(Module &M) : M(M), Ctx(M.getContext()) {}

  Function *declare(StringRef Name, Type *Ret, ArrayRef<Type *> Params) {
    assert(!M.getFunction(Name) &&
           "runtime must be declared before any kernel function");
    auto *FT = FunctionType::get(Ret, Params, /*isVarArg=*/false);
    Function *F = Function::Create(FT, GlobalValue::ExternalLinkage, Name, M);
    // Traps leave through longjmp, which is not an LLVM unwind: every
    // runtime function is nounwind, as clang assumes for any C function.
    F->addFnAttr(Attribute::NoUnwind);
    return F;
  }

  /// A pointer result that is never null and points at an object of at
  /// least \p Bytes bytes aligned to \p AlignBytes.
  void nonNullRet(Function *F, uint64_t Bytes, uint64_t AlignBytes) {
    F->addRetAttr(Attribute::NonNull);
    F->addRetAttr(Attribute::NoUndef);
    F->addRetAttr(Attribute::getWithDereferenceableBytes(Ctx, Bytes));
    F->addRetAttr(Attribute::getWithAlignment(Ctx, Align(AlignBytes)));
  }

  /// A pointer parameter only read through and not kept.
  void readParam(Function *F, unsigned I) {
    F->addParamAttr(I, Attribute::NoCapture);
    F->addParamAttr(I, Attribute::ReadOnly);
  }

  Module &M;
  LLVMContext &Ctx;
};

} // namespace

RuntimeDecls declareRuntime(Module &M) {
  LLVMContext &Ctx = M.getContext();
  DeclBuilder D(M);
  Type *Void = Type::getVoidTy(Ctx);
  Type *I1 = Type::getInt1Ty(Ctx);
  Type *I32 = Type::getInt32Ty(Ctx);
  Type *I64 = Type::getInt64Ty(Ctx);
  Type *Ptr = PointerType::getUnqual(Ctx);

  RuntimeDecls R;
  // Bytes of a kc_str header, which every str result points at.
  const uint64_t StrHeader = 16;
  R.StrTy = StructType::create(Ctx, {I64, Ptr}, "kc_str");
  R.ArrayTy = StructType::create(Ctx, {I64, I64, Ptr}, "kc_array");

  // Allocation and allocation-like calls only touch the arena's state.
  const MemoryEffects Allocates = MemoryEffects::inaccessibleMemOnly();
  // ...and may also read the objects their pointer arguments point at.
  const MemoryEffects ReadsArgsAllocates =
      MemoryEffects::argMemOnly(ModRefInfo::Ref) |
      MemoryEffects::inaccessibleMemOnly();
  // A string's bytes are reached through its header's data pointer (they
  // may be another string's), so whatever reads them reads more than
  // "argmem".
  const MemoryEffects ReadsStrsAllocates =
      MemoryEffects::readOnly() | MemoryEffects::inaccessibleMemOnly();

  // void *kc_alloc(int64_t size): uninitialised, 16-byte aligned, never null
  // (it traps on exhaustion). Declared as an allocator so LLVM knows the
  // memory is fresh, and can size it when the size is a constant.
  // void *kc_alloc_zeroed(int64_t size): the same, cleared: a record whose
  // fields are all null or zero is one call (a tail call, often).
  R.Alloc = D.declare("kc_alloc", Ptr, {I64});
  R.AllocZeroed = D.declare("kc_alloc_zeroed", Ptr, {I64});
  for (Function *F : {R.Alloc, R.AllocZeroed}) {
    AttrBuilder AB(Ctx);
    AB.addAllocKindAttr(AllocFnKind::Alloc |
                        (F == R.Alloc ? AllocFnKind::Uninitialized
                                      : AllocFnKind::Zeroed));
    AB.addAllocSizeAttr(0, std::nullopt);
    AB.addAttribute("alloc-family", "kc_alloc");
    F->addFnAttrs(AB);
    F->setMemoryEffects(Allocates);
    F->addRetAttr(Attribute::NoAlias);
    F->addRetAttr(Attribute::NonNull);
    F->addRetAttr(Attribute::NoUndef);
    F->addRetAttr(Attribute::getWithAlignment(Ctx, Align(16)));
  }

  // void kc_trap(int32_t kind, int32_t line): cold, so every block that ends
  // in a trap is laid out away from the hot path.
  R.Trap = D.declare("kc_trap", Void, {I32, I32});
  R.Trap->setDoesNotReturn();
  R.Trap->addFnAttr(Attribute::Cold);

  R.StrConcat = D.declare("kc_str_concat", Ptr, {Ptr, Ptr});
  R.StrConcat->setMemoryEffects(ReadsStrsAllocates);
  D.nonNullRet(R.StrConcat, StrHeader, 8);

  // Reads s's header only: the result shares s's bytes (or is s).
  R.StrSlice = D.declare("kc_str_slice", Ptr, {Ptr, I64, I64, I32});
  R.StrSlice->setMemoryEffects(ReadsArgsAllocates);
  D.nonNullRet(R.StrSlice, StrHeader, 8);

  // Comparisons read their operands only and always return: LLVM may CSE,
  // hoist or delete them.
  R.StrCompare = D.declare("kc_str_compare", I32, {Ptr, Ptr});
  R.StrEqual = D.declare("kc_str_equal", I1, {Ptr, Ptr});
  R.StrEqual->addRetAttr(Attribute::ZExt);
  for (Function *F : {R.StrCompare, R.StrEqual}) {
    F->setMemoryEffects(MemoryEffects::readOnly());
    F->addFnAttr(Attribute::WillReturn);
    D.readParam(F, 0);
    D.readParam(F, 1);
  }

  R.StrFromInt = D.declare("kc_str_from_int", Ptr, {I64});
  R.StrFromInt->setMemoryEffects(Allocates);
  D.nonNullRet(R.StrFromInt, StrHeader, 8);

  R.StrParseInt = D.declare("kc_str_parse_int", I64, {Ptr, I32});
  R.StrParseInt->setMemoryEffects(ReadsStrsAllocates);
  D.readParam(R.StrParseInt, 0);

  R.StrFromCode = D.declare("kc_str_from_code", Ptr, {I64, I32});
  R.StrFromCode->setMemoryEffects(Allocates);
  D.nonNullRet(R.StrFromCode, StrHeader, 8);

  R.StrFind = D.declare("kc_str_find", I64, {Ptr, Ptr, I64, I32});
  R.StrFind->setMemoryEffects(ReadsStrsAllocates);
  D.readParam(R.StrFind, 0);
  D.readParam(R.StrFind, 1);

  // A fresh array header (and buffer) every time, like kc_array_new.
  R.StrSplit = D.declare("kc_str_split", Ptr, {Ptr, Ptr, I32});
  R.StrSplit->setMemoryEffects(ReadsStrsAllocates);
  R.StrSplit->addRetAttr(Attribute::NoAlias);
  D.nonNullRet(R.StrSplit, 24, 8);

  // May return its operand unchanged: neither noalias nor nocapture.
  R.StrLower = D.declare("kc_str_lower", Ptr, {Ptr});
  R.StrLower->setMemoryEffects(ReadsStrsAllocates);
  D.nonNullRet(R.StrLower, StrHeader, 8);

  // Reads the array's buffer and the strings in it, which are reachable
  // through the header only: not "argmem".
  R.StrJoin = D.declare("kc_str_join", Ptr, {Ptr, Ptr});
  R.StrJoin->setMemoryEffects(MemoryEffects::readOnly() |
                              MemoryEffects::inaccessibleMemOnly());
  D.nonNullRet(R.StrJoin, StrHeader, 8);

  // Like kc_str_lower, both may return s itself.
  R.StrTrim = D.declare("kc_str_trim", Ptr, {Ptr});
  R.StrTrim->setMemoryEffects(ReadsStrsAllocates);
  D.nonNullRet(R.StrTrim, StrHeader, 8);
  R.StrSliceTrim = D.declare("kc_str_slice_trim", Ptr, {Ptr, I64, I64, I32});
  R.StrSliceTrim->setMemoryEffects(ReadsStrsAllocates);
  D.nonNullRet(R.StrSliceTrim, StrHeader, 8);
  R.StrSliceLower = D.declare("kc_str_slice_lower", Ptr, {Ptr, I64, I64, I32});
  R.StrSliceLower->setMemoryEffects(ReadsStrsAllocates);
  D.nonNullRet(R.StrSliceLower, StrHeader, 8);
  R.StrReplace = D.declare("kc_str_replace", Ptr, {Ptr, Ptr, Ptr, I32});
  R.StrReplace->setMemoryEffects(ReadsStrsAllocates);
  D.nonNullRet(R.StrReplace, StrHeader, 8);

  // Never traps nor allocates: a pure read of its operands, like
  // kc_str_equal.
  R.StrContains = D.declare("kc_str_contains", I1, {Ptr, Ptr});
  R.StrContains->addRetAttr(Attribute::ZExt);
  R.StrContains->setMemoryEffects(MemoryEffects::readOnly());
  R.StrContains->addFnAttr(Attribute::WillReturn);
  D.readParam(R.StrContains, 0);
  D.readParam(R.StrContains, 1);

  // Reads the pointers it is given and the strings they point to (not
  // argmem either).
  R.StrJoinN = D.declare("kc_str_join_n", Ptr, {Ptr, I64, Ptr});
  R.StrJoinN->setMemoryEffects(MemoryEffects::readOnly() |
                               MemoryEffects::inaccessibleMemOnly());
  R.StrJoinN->addParamAttr(0, Attribute::NoCapture);
  D.nonNullRet(R.StrJoinN, StrHeader, 8);
  // The same, also through the arrays' buffers.
  R.StrConcatJoins = D.declare("kc_str_concat_joins", Ptr, {Ptr, Ptr, I64});
  R.StrConcatJoins->setMemoryEffects(MemoryEffects::readOnly() |
                                     MemoryEffects::inaccessibleMemOnly());
  R.StrConcatJoins->addParamAttr(0, Attribute::NoCapture);
  R.StrConcatJoins->addParamAttr(1, Attribute::NoCapture);
  D.nonNullRet(R.StrConcatJoins, StrHeader, 8);

  // Reads the array's buffer (through the header): like join.
  R.StrFromCodes = D.declare("kc_str_from_codes", Ptr, {Ptr, I32});
  R.StrFromCodes->setMemoryEffects(MemoryEffects::readOnly() |
                                   MemoryEffects::inaccessibleMemOnly());
  D.nonNullRet(R.StrFromCodes, StrHeader, 8);

  // int memcmp(const void *, const void *, size_t), as clang declares it;
  // LLVM expands a comparison with a constant length into plain loads.
  R.Memcmp = D.declare("memcmp", I32, {Ptr, Ptr, I64});
  R.Memcmp->setMemoryEffects(MemoryEffects::argMemOnly(ModRefInfo::Ref));
  R.Memcmp->addFnAttr(Attribute::WillReturn);
  D.readParam(R.Memcmp, 0);
  D.readParam(R.Memcmp, 1);

  // void *memchr(const void *, int, size_t): s.find of a constant needle
  // looks for its first character with it, as C code does.
  R.Memchr = D.declare("memchr", Ptr, {Ptr, I32, I64});
  R.Memchr->setMemoryEffects(MemoryEffects::argMemOnly(ModRefInfo::Ref));
  R.Memchr->addFnAttr(Attribute::WillReturn);
  R.Memchr->addParamAttr(0, Attribute::ReadOnly);

  // kc_array_new returns a fresh header every time: noalias is sound.
  R.ArrayNew = D.declare("kc_array_new", Ptr, {I64, I64, I32});
  R.ArrayNew->setMemoryEffects(Allocates);
  R.ArrayNew->addRetAttr(Attribute::NoAlias);
  D.nonNullRet(R.ArrayNew, 24, 8);

  // Writes the header it is given, reads the old buffer (reachable only
  // through the header, so not "argmem") and fills a fresh one.
  R.ArrayReserveOne = D.declare("kc_array_reserve_one", Void, {Ptr, I64});
  R.ArrayReserveOne->setMemoryEffects(MemoryEffects::readOnly() |
                                      MemoryEffects::argMemOnly() |
                                      MemoryEffects::inaccessibleMemOnly());
  R.ArrayReserveOne->addParamAttr(0, Attribute::NoCapture);

  R.MapNew = D.declare("kc_map_new", Ptr, {I32});
  R.MapNew->setMemoryEffects(Allocates);
  R.MapNew->addRetAttr(Attribute::NoAlias);
  R.MapNew->addRetAttr(Attribute::NonNull);
  R.MapNew->addRetAttr(Attribute::NoUndef);

  // Lookups follow the map's internal pointers, so they read "any" memory,
  // but write none: two lookups with no store between them are one.
  R.MapLen = D.declare("kc_map_len", I64, {Ptr});
  R.MapFindInt = D.declare("kc_map_find_int", Ptr, {Ptr, I64});
  R.MapFindStr = D.declare("kc_map_find_str", Ptr, {Ptr, Ptr});
  R.MapKeyIntAt = D.declare("kc_map_key_int_at", I64, {Ptr, I64});
  R.MapKeyStrAt = D.declare("kc_map_key_str_at", Ptr, {Ptr, I64});
  R.MapValueAt = D.declare("kc_map_value_at", I64, {Ptr, I64});
  for (Function *F : {R.MapLen, R.MapFindInt, R.MapFindStr, R.MapKeyIntAt,
                      R.MapKeyStrAt, R.MapValueAt}) {
    F->setMemoryEffects(MemoryEffects::readOnly());
    F->addFnAttr(Attribute::WillReturn);
    F->addParamAttr(0, Attribute::NoCapture);
  }
  R.MapFindStr->addParamAttr(1, Attribute::NoCapture);
  D.nonNullRet(R.MapKeyStrAt, StrHeader, 8);

  // Slots may grow the map: unknown memory effects. The slot is one aligned
  // 64-bit value.
  R.MapSlotInt = D.declare("kc_map_slot_int", Ptr, {Ptr, I64});
  R.MapSlotStr = D.declare("kc_map_slot_str", Ptr, {Ptr, Ptr});
  R.MapUpsertInt = D.declare("kc_map_upsert_int", Ptr, {Ptr, I64, I64});
  R.MapUpsertStr = D.declare("kc_map_upsert_str", Ptr, {Ptr, Ptr, I64});
  for (Function *F : {R.MapSlotInt, R.MapSlotStr, R.MapUpsertInt,
                      R.MapUpsertStr})
    D.nonNullRet(F, 8, 8);

  // Removal, packing and the keys' copy rewrite the map's internals.
  R.MapRemoveInt = D.declare("kc_map_remove_int", I1, {Ptr, I64});
  R.MapRemoveStr = D.declare("kc_map_remove_str", I1, {Ptr, Ptr});
  R.MapRemoveInt->addRetAttr(Attribute::ZExt);
  R.MapRemoveStr->addRetAttr(Attribute::ZExt);
  R.MapRemoveStr->addParamAttr(1, Attribute::NoCapture);
  R.MapPack = D.declare("kc_map_pack", Void, {Ptr});
  R.MapKeys = D.declare("kc_map_keys", Ptr, {Ptr});
  D.nonNullRet(R.MapKeys, 24, 8);
  return R;
}

} // namespace llvmgen
} // namespace kc
