//===- Lowering.cpp - KIR to LLVM IR with the kcrt C ABI ------------------===//
//
// One switch over kir::Op (no default: a new op must be handled here).
// Each op is lowered to exactly the semantics written in ir/Ops.def, and
// nothing in the output is undefined behaviour or poison for any input:
// kernel arithmetic carries no nsw/nuw (only the back-end's own counters do,
// where a dominating bound proves them), divisions are guarded, shift counts
// masked, float-to-int conversions range-checked before converting.
//
// Values: bool i1 (i8 in memory, as C's bool), i32/u32 i32, int i64, f64
// double, every reference type a pointer. Locals are allocas in the entry
// block; SROA/mem2reg turn them into SSA values at -O1 and above.
//
// Hot loops must stay as clean as hand-written C: bounds checks are a single
// unsigned compare branching (weighted unlikely) to a shared cold block that
// calls the noreturn kc_trap, and every load and store of runtime memory
// carries TBAA that says which kind of object it touches, so LLVM can keep
// array headers in registers while the loop stores to elements.
//
// Two options add to that and nothing else: DebugInfo gives every KIR node's
// instructions its source line (emit() sets the builder's location), and
// EngineChecks adds the checks an engine makes (overflow in the int
// arithmetic, tag tests on int loads, f64 boxes; see EngineCheck).
//
//===----------------------------------------------------------------------===//

#include "LLVMBackend.h"
#include "RuntimeDecls.h"
#include "ir/IR.h"
#include "ir/Verifier.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include <functional>
#include <map>

using namespace llvm;

namespace kc {
namespace llvmgen {

namespace {

using kir::Op;
using kir::TypeKind;

static Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

/// Module-wide state: types, runtime declarations, TBAA, string constants.
class ModuleLowering {
public:
  ModuleLowering(const kir::Module &KM, Module &M, const CodegenOptions &Opts,
                 TargetMachine &TM)
      : KM(KM), M(M), Ctx(M.getContext()), Opts(Opts), TM(TM),
        DL(M.getDataLayout()), MDB(M.getContext()) {}

  Error run();

  Type *valueType(const kir::Type *T);
  /// The type a value has in memory (array elements, record fields, the
  /// kc_entry argument and result slots): bool is a C bool byte.
  Type *memType(const kir::Type *T);
  StructType *recordType(const kir::RecordDecl *R);
  uint64_t allocSize(Type *T) const { return DL.getTypeAllocSize(T); }
  Align abiAlign(Type *T) const { return DL.getABITypeAlign(T); }

  /// A scalar TBAA tag of its own: accesses with different tags never alias.
  MDNode *tbaa(const Twine &Name);
  Constant *strConst(StringRef S);
  void setFunctionAttrs(Function *F);
  /// Parameter or return attributes a value of type \p T always satisfies.
  AttrBuilder valueAttrs(const kir::Type *T);

  const kir::Module &KM;
  Module &M;
  LLVMContext &Ctx;
  const CodegenOptions &Opts;
  TargetMachine &TM;
  const DataLayout &DL;
  RuntimeDecls RT;
  MDBuilder MDB;
  MDNode *TBAARoot = nullptr;
  StringMap<MDNode *> TBAATags;
  StringMap<Constant *> Strings;
  DenseMap<const kir::RecordDecl *, StructType *> Records;
  DenseMap<const kir::Function *, Function *> Functions;
  /// for.map loops that may see a removal (kir::forMapsWithRemoval).
  DenseSet<const kir::Node *> ForMapsWithRemoval;

  // Debug info (Opts.DebugInfo): a line table only.
  std::unique_ptr<DIBuilder> DIB;
  DIFile *DFile = nullptr;
  /// A DISubprogram for \p F, which starts at source line \p Line.
  void addSubprogram(Function *F, StringRef Name, unsigned Line);

  // Engine checks (Opts.EngineChecks): the boxes' nursery, and how many
  // checks of each kind the lowering added (named metadata kc.engine_checks).
  GlobalVariable *BoxNursery = nullptr, *BoxTop = nullptr;
  static constexpr uint64_t NurseryBytes = 64 * 1024;
  unsigned NumOverflowChecks = 0, NumTagChecks = 0, NumBoxes = 0;
  bool engineCheck(EngineCheck C) const { return Opts.EngineChecks & C; }
  void createNursery();

private:
  Error declareFunctions(Function *&EntryWrapper);
  void emitEntryWrapper(const kir::Function &KF, Function *W);
};

/// Lowers one function body.
class FunctionLowering {
public:
  FunctionLowering(ModuleLowering &ML, const kir::Function &KF, Function *F)
      : ML(ML), RT(ML.RT), KF(KF), F(F), Ctx(ML.Ctx), B(ML.Ctx) {}

  void run();

private:
  ModuleLowering &ML;
  const RuntimeDecls &RT;
  const kir::Function &KF;
  Function *F;
  LLVMContext &Ctx;
  IRBuilder<> B;
  DenseMap<const kir::Local *, AllocaInst *> Slots;
  struct LoopTargets {
    BasicBlock *Break;
    BasicBlock *Continue;
  };
  SmallVector<LoopTargets, 4> Loops;
  /// One cold trap block per (kind, line): checks on the same line share it.
  std::map<std::pair<int, uint32_t>, BasicBlock *> TrapBlocks;

  /// Emits \p N with its source line as the location of what it builds,
  /// then the engine checks on its value.
  Value *emit(const kir::Node &N);
  /// The switch over kir::Op.
  Value *emitOp(const kir::Node &N);
  Value *emitOperand(const kir::Node &N, unsigned I) {
    return emit(*N.operand(I));
  }
  /// A call with the callee's attributes on the call site too: zeroext and
  /// friends must agree on both sides of the ABI.
  CallInst *call(Function *Callee, ArrayRef<Value *> Args,
                 const Twine &Name = "") {
    CallInst *C = B.CreateCall(Callee, Args, Name);
    C->setAttributes(Callee->getAttributes());
    return C;
  }
  void emitBlock(const kir::Block &Blk);
  bool terminated() { return B.GetInsertBlock()->getTerminator() != nullptr; }
  BasicBlock *newBlock(const Twine &Name) {
    return BasicBlock::Create(Ctx, Name, F);
  }
  /// Continues emission in \p BB; a block nothing branches to only gets
  /// `unreachable`, which also stops emitBlock from filling it with the
  /// dead statements that follow.
  void continueIn(BasicBlock *BB) {
    B.SetInsertPoint(BB);
    if (pred_empty(BB))
      B.CreateUnreachable();
  }
  AllocaInst *hiddenSlot(Type *T, const Twine &Name) {
    IRBuilder<> EB(&F->getEntryBlock(), F->getEntryBlock().begin());
    return EB.CreateAlloca(T, nullptr, Name);
  }
  AllocaInst *slot(const kir::Local *L) {
    auto It = Slots.find(L);
    assert(It != Slots.end() && "local of another function (KIR verifier)");
    return It->second;
  }

  // Engine checks (CodegenOptions::EngineChecks).
  /// a op b for an int add, sub or mul (\p WithOverflow its intrinsic),
  /// overflow-checked when EngineCheckOverflow is on.
  Value *intArith(Instruction::BinaryOps Opc, Intrinsic::ID WithOverflow,
                  Value *L, Value *R, const kir::Node &N);
  /// \p V, an int just read from the heap, tag-tested when EngineCheckTags.
  Value *heapInt(Value *V, const kir::Type *T, const kir::Node &N);
  /// \p V, an f64 result, through a fresh box when EngineCheckBoxing.
  Value *box(Value *V);

  // Checks and traps.
  BasicBlock *trapBlock(int Kind, uint32_t Line);
  void trapUnless(Value *Ok, int Kind, const kir::Node &N);
  Value *line(const kir::Node &N) { return B.getInt32(N.Loc.Line); }

  // Memory of runtime objects.
  LoadInst *load(Type *T, Value *Ptr, MDNode *TBAATag, const Twine &Name = "");
  StoreInst *store(Value *V, Value *Ptr, MDNode *TBAATag);
  Value *toMem(Value *V, const kir::Type *T);
  Value *fromMem(Value *V, const kir::Type *T);
  Value *strLen(Value *S);
  /// The pointer to a str's (or bytes') bytes.
  Value *strData(Value *S);
  /// Byte \p Idx of a str (\p Ascii: a character code, below 128) or bytes.
  Value *strByte(Value *S, Value *Idx, bool Ascii);
  Value *arrayLen(Value *A);
  Value *arrayData(Value *A);
  /// Says that the fresh array \p A has length \p Len (kc_array_new stored
  /// it, out of LLVM's sight).
  void knownLength(Value *A, Value *Len);
  Value *elemPtr(Value *Data, Value *Idx, const kir::Type *ArrTy);
  Value *loadElem(Value *Data, Value *Idx, const kir::Type *ArrTy);
  void storeElem(Value *Data, Value *Idx, Value *V, const kir::Type *ArrTy);
  MDNode *elemTBAA(const kir::Type *ArrTy) {
    return ML.tbaa("elem of " + ArrTy->str());
  }
  void annotateRefLoad(LoadInst *L, const kir::Type *T);

  // Maps store every value as 64 raw bits (kcrt.h).
  Value *toBits(Value *V, const kir::Type *T);
  Value *fromBits(Value *V, const kir::Type *T);
  Value *loadSlot(Value *Slot, const kir::Type *T);
  void storeSlot(Value *Slot, Value *V, const kir::Type *T);
  bool isStrKeyed(const kir::Type *MapTy) {
    return MapTy->Key->Kind == TypeKind::Str;
  }

  // Op groups.
  Value *emitDivRem(const kir::Node &N, bool Signed, bool Rem);
  Value *emitCheckSafe(const kir::Node &N);
  Value *emitMinMax(const kir::Node &N, bool Max);
  Value *emitAbs(const kir::Node &N);
  Value *emitShortCircuit(const kir::Node &N, bool IsAnd);
  Value *emitF64ToInt(const kir::Node &N, double Lo, double Hi, bool Signed);
  Value *emitStrCmp(const kir::Node &N);
  /// L == R for the str.cmp \p N.
  Value *emitStrEqual(const kir::Node &N, Value *L, Value *R);
  /// The operands of a tree of str.concat, left to right.
  static void collectConcat(const kir::Node &N,
                            SmallVectorImpl<const kir::Node *> &Leaves);
  /// join(a, sep) of an array that is not a literal: kept whole by
  /// emitConcatJoins.
  static bool isArrayJoin(const kir::Node *N) {
    return N->Opcode == Op::StrJoin && N->operand(0)->Opcode != Op::ArrayLit;
  }
  /// The concatenation of \p Leaves, some of them joins of arrays, in one
  /// kc_str_concat_joins.
  Value *emitConcatJoins(ArrayRef<const kir::Node *> Leaves);
  /// kc_str_join_n of \p Parts (in a stack array) with \p Sep.
  Value *joinN(ArrayRef<Value *> Parts, Value *Sep);
  Value *emitStrStartsWith(const kir::Node &N);
  Value *emitStrParseInt(const kir::Node &N);
  /// s.find(Needle, Start) for a constant needle, inline.
  Value *emitFindConst(const kir::Node &N, Value *S, StringRef Needle,
                       Value *Start);
  Value *emitArrayNew(const kir::Node &N);
  Value *emitArrayLit(const kir::Node &N);
  void emitArrayPush(const kir::Node &N);
  Value *emitArrayPop(const kir::Node &N);
  Value *emitMapLookup(const kir::Node &N);
  /// The map.get in a map.set's value that may share the set's lookup.
  const kir::Node *fusableGet(const kir::Node &Set);
  void emitMapUpdate(const kir::Node &Set, const kir::Node &Get);
  /// The map.get being fused into the map.set around it, while its value
  /// is emitted.
  struct {
    const kir::Node *Get = nullptr;
    Value *Map = nullptr, *Key = nullptr, *Slot = nullptr;
  } Upsert;
  void emitIf(const kir::Node &N);
  /// With a line table: the loop's location on its back edge (llvm.loop).
  void markLoop(BranchInst *BackEdge, const kir::Node &N);
  void emitWhile(const kir::Node &N);
  void emitForRange(const kir::Node &N);
  void emitForEach(const kir::Node &N);
  void emitForMap(const kir::Node &N);
  void emitForMapKeys(const kir::Node &N, Value *Map);
  /// Emits a counted loop skeleton shared by the for.* ops: \p Head emits
  /// the condition (true: run the body), \p Body the iteration's prologue and
  /// body. The counter starts at 0 and the latch adds 1 (the continue target).
  void emitCountedLoop(const kir::Node &N, AllocaInst *Counter,
                       function_ref<Value *(Value *I)> Head,
                       function_ref<void(Value *I)> Body);
};

//===----------------------------------------------------------------------===//
// Module-level lowering
//===----------------------------------------------------------------------===//

Type *ModuleLowering::valueType(const kir::Type *T) {
  switch (T->Kind) {
  case TypeKind::Void:
    return Type::getVoidTy(Ctx);
  case TypeKind::Bool:
    return Type::getInt1Ty(Ctx);
  case TypeKind::I32:
  case TypeKind::U32:
    return Type::getInt32Ty(Ctx);
  case TypeKind::Int:
    return Type::getInt64Ty(Ctx);
  case TypeKind::F64:
    return Type::getDoubleTy(Ctx);
  case TypeKind::Str:
  case TypeKind::Bytes:
  case TypeKind::Array:
  case TypeKind::Map:
  case TypeKind::Record:
  case TypeKind::Nullable:
    return PointerType::getUnqual(Ctx);
  }
  llvm_unreachable("bad KIR type kind");
}

Type *ModuleLowering::memType(const kir::Type *T) {
  if (T->Kind == TypeKind::Bool)
    return Type::getInt8Ty(Ctx);
  return valueType(T);
}

StructType *ModuleLowering::recordType(const kir::RecordDecl *R) {
  StructType *&ST = Records[R];
  if (ST)
    return ST;
  SmallVector<Type *, 8> Fields;
  for (const kir::Field &Fld : R->Fields)
    Fields.push_back(memType(Fld.Ty));
  // Non-packed: the same layout C gives a struct of these fields.
  ST = StructType::create(Ctx, Fields, "rec." + R->Name);
  return ST;
}

MDNode *ModuleLowering::tbaa(const Twine &Name) {
  SmallString<64> Buf;
  StringRef Key = Name.toStringRef(Buf);
  MDNode *&Tag = TBAATags[Key];
  if (Tag)
    return Tag;
  if (!TBAARoot)
    TBAARoot = MDB.createTBAARoot("kernelc TBAA");
  MDNode *Scalar = MDB.createTBAAScalarTypeNode(Key, TBAARoot);
  Tag = MDB.createTBAAStructTagNode(Scalar, Scalar, 0);
  return Tag;
}

Constant *ModuleLowering::strConst(StringRef S) {
  Constant *&C = Strings[S];
  if (C)
    return C;
  // Strings are immutable, so one private constant per distinct text is
  // shared by every use; unnamed_addr lets the linker merge it further.
  // The kc_str header {len, data} is followed by the bytes data points at,
  // so the 8 bytes before them are readable, as kcrt.h promises.
  Constant *Bytes = ConstantDataArray::getString(Ctx, S, /*AddNull=*/false);
  Type *I32 = Type::getInt32Ty(Ctx);
  auto *Ty = StructType::get(
      Ctx, {Type::getInt64Ty(Ctx), PointerType::getUnqual(Ctx),
            Bytes->getType()});
  auto *GV = new GlobalVariable(M, Ty, /*isConstant=*/true,
                                GlobalValue::PrivateLinkage, nullptr, ".str");
  Constant *Data = ConstantExpr::getInBoundsGetElementPtr(
      Ty, GV, ArrayRef<Constant *>{ConstantInt::get(I32, 0),
                                   ConstantInt::get(I32, 2)});
  GV->setInitializer(ConstantStruct::get(
      Ty, {ConstantInt::get(Type::getInt64Ty(Ctx), S.size()), Data, Bytes}));
  GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  GV->setAlignment(Align(8));
  C = GV;
  return C;
}

void ModuleLowering::setFunctionAttrs(Function *F) {
  // The attributes clang-19 -O2 puts on a C function, so the same pipeline
  // and instruction selection see the same function.
  F->addFnAttr(Attribute::NoUnwind);
  F->setUWTableKind(UWTableKind::Async);
  F->addFnAttr("no-trapping-math", "true");
  StringRef CPU = TM.getTargetCPU();
  if (!CPU.empty())
    F->addFnAttr("target-cpu", CPU);
  StringRef Features = TM.getTargetFeatureString();
  if (!Features.empty())
    F->addFnAttr("target-features", Features);
  // Without tune-cpu the x86 back-end tunes for i586. clang tunes for
  // "generic" unless -march=native, which tunes for the host itself.
  if (TM.getTargetTriple().isX86())
    F->addFnAttr("tune-cpu", Opts.HostCPU && !CPU.empty() ? CPU : "generic");
}

AttrBuilder ModuleLowering::valueAttrs(const kir::Type *T) {
  // Every KIR value is defined (no poison or undef is ever produced) and
  // references are never null, except a ?R's.
  AttrBuilder AB(Ctx);
  AB.addAttribute(Attribute::NoUndef);
  switch (T->Kind) {
  case TypeKind::Bool:
    AB.addAttribute(Attribute::ZExt); // C ABI of bool
    break;
  case TypeKind::Str:
  case TypeKind::Bytes:
    AB.addAttribute(Attribute::NonNull);
    AB.addDereferenceableAttr(allocSize(RT.StrTy));
    AB.addAlignmentAttr(8);
    break;
  case TypeKind::Array:
    AB.addAttribute(Attribute::NonNull);
    AB.addDereferenceableAttr(allocSize(RT.ArrayTy));
    AB.addAlignmentAttr(8);
    break;
  case TypeKind::Record: {
    StructType *ST = recordType(T->Rec);
    AB.addAttribute(Attribute::NonNull);
    if (uint64_t Size = allocSize(ST))
      AB.addDereferenceableAttr(Size);
    AB.addAlignmentAttr(abiAlign(ST));
    break;
  }
  case TypeKind::Map:
    AB.addAttribute(Attribute::NonNull);
    break;
  case TypeKind::Nullable: {
    StructType *ST = recordType(T->Elem->Rec);
    if (uint64_t Size = allocSize(ST))
      AB.addDereferenceableOrNullAttr(Size);
    AB.addAlignmentAttr(abiAlign(ST));
    break;
  }
  case TypeKind::Void:
  case TypeKind::I32:
  case TypeKind::U32:
  case TypeKind::Int:
  case TypeKind::F64:
    break;
  }
  return AB;
}

Error ModuleLowering::declareFunctions(Function *&EntryWrapper) {
  const kir::Function *Entry = KM.getEntry();
  TargetLibraryInfoImpl TLII(TM.getTargetTriple());
  auto IsLibName = [&](StringRef Name) {
    LibFunc LF;
    return TLII.getLibFunc(Name, LF) || Name.starts_with("__") ||
           Name.starts_with("llvm.");
  };

  // The wrapper's name is reserved before kernel functions get theirs.
  EntryWrapper = nullptr;
  if (Entry) {
    auto *WT = FunctionType::get(
        Type::getVoidTy(Ctx),
        {PointerType::getUnqual(Ctx), PointerType::getUnqual(Ctx)}, false);
    EntryWrapper =
        Function::Create(WT, GlobalValue::ExternalLinkage, "kc_entry", M);
    setFunctionAttrs(EntryWrapper);
    addSubprogram(EntryWrapper, "kc_entry", Entry->Loc.Line);
  }

  for (const auto &KFPtr : KM.Functions) {
    const kir::Function &KF = *KFPtr;
    SmallVector<Type *, 8> Params;
    for (const kir::Local *P : KF.Params)
      Params.push_back(valueType(P->Ty));
    auto *FT = FunctionType::get(valueType(KF.RetTy), Params, false);

    // Without a bench entry every function is external (a library of
    // kernels); with one, the entry is the only symbol a C reference must
    // also define and everything else is internal, free to inline.
    bool External = !Entry || &KF == Entry;
    std::string Name = KF.Name;
    const char *What = &KF == Entry ? "entry function" : "external function";
    if (External && M.getFunction(Name))
      return makeError(Twine(What) + " '" + Name +
                       "' has the name of a runtime function");
    // A function named `floor` or `memset` would capture LLVM's libcalls,
    // and one named `exp` would be "optimized" as libm's exp. An external
    // symbol cannot be renamed behind the C reference's back; an internal
    // one can.
    if (External && IsLibName(Name))
      return makeError(Twine(What) + " '" + Name +
                       "' has the name of a C library function");
    if (!External && IsLibName(Name))
      Name += ".kc";
    Function *F = Function::Create(FT,
                                   External ? GlobalValue::ExternalLinkage
                                            : GlobalValue::InternalLinkage,
                                   Name, M);
    setFunctionAttrs(F);
    for (unsigned I = 0; I < KF.Params.size(); ++I) {
      F->getArg(I)->setName(KF.Params[I]->Name);
      F->addParamAttrs(I, valueAttrs(KF.Params[I]->Ty));
    }
    if (KF.RetTy->Kind != TypeKind::Void)
      F->addRetAttrs(valueAttrs(KF.RetTy));
    addSubprogram(F, KF.Name, KF.Loc.Line);
    Functions[&KF] = F;
  }
  return Error::success();
}

void ModuleLowering::emitEntryWrapper(const kir::Function &KF, Function *W) {
  // void kc_entry(void **args, void *ret): args[i] points at argument i in
  // its C type, the result goes to *ret in its C type.
  IRBuilder<> B(BasicBlock::Create(Ctx, "entry", W));
  if (DISubprogram *SP = W->getSubprogram())
    B.SetCurrentDebugLocation(DILocation::get(Ctx, KF.Loc.Line, 0, SP));
  Value *Args = W->getArg(0);
  Value *Ret = W->getArg(1);
  Args->setName("args");
  Ret->setName("ret");
  Type *PtrTy = PointerType::getUnqual(Ctx);
  SmallVector<Value *, 8> Vals;
  for (unsigned I = 0; I < KF.Params.size(); ++I) {
    const kir::Type *T = KF.Params[I]->Ty;
    Value *ArgPtr = B.CreateAlignedLoad(
        PtrTy, B.CreateConstInBoundsGEP1_64(PtrTy, Args, I), Align(8));
    Value *V = B.CreateAlignedLoad(memType(T), ArgPtr, abiAlign(memType(T)),
                                   KF.Params[I]->Name);
    if (T->Kind == TypeKind::Bool)
      V = B.CreateICmpNE(V, B.getInt8(0));
    Vals.push_back(V);
  }
  CallInst *Result = B.CreateCall(Functions[&KF], Vals);
  Result->setAttributes(Functions[&KF]->getAttributes());
  if (KF.RetTy->Kind != TypeKind::Void) {
    Value *V = Result;
    Type *MT = memType(KF.RetTy);
    if (KF.RetTy->Kind == TypeKind::Bool)
      V = B.CreateZExt(V, MT);
    B.CreateAlignedStore(V, Ret, abiAlign(MT));
  }
  B.CreateRetVoid();
}

void ModuleLowering::addSubprogram(Function *F, StringRef Name,
                                   unsigned Line) {
  if (!DIB)
    return;
  DISubroutineType *Ty = DIB->createSubroutineType(DIB->getOrCreateTypeArray({}));
  DISubprogram::DISPFlags Flags = DISubprogram::SPFlagDefinition;
  if (F->hasLocalLinkage())
    Flags |= DISubprogram::SPFlagLocalToUnit;
  if (Opts.OptLevel > 0)
    Flags |= DISubprogram::SPFlagOptimized;
  F->setSubprogram(DIB->createFunction(DFile, Name, F->getName(), DFile, Line,
                                       Ty, Line, DINode::FlagZero, Flags));
}

void ModuleLowering::createNursery() {
  // External, so no pass may decide that nobody reads the boxes and delete
  // the stores that fill them: an engine's boxes are read by the next
  // operation and by the garbage collector.
  auto *Ty = ArrayType::get(Type::getInt8Ty(Ctx), NurseryBytes);
  BoxNursery = new GlobalVariable(M, Ty, /*isConstant=*/false,
                                  GlobalValue::ExternalLinkage,
                                  ConstantAggregateZero::get(Ty),
                                  "kc_box_nursery");
  BoxNursery->setAlignment(Align(16));
  BoxTop = new GlobalVariable(M, Type::getInt64Ty(Ctx), /*isConstant=*/false,
                              GlobalValue::ExternalLinkage,
                              ConstantInt::get(Type::getInt64Ty(Ctx), 0),
                              "kc_box_top");
  BoxTop->setAlignment(Align(8));
}

Error ModuleLowering::run() {
  if (DL.getPointerSizeInBits() != 64)
    return makeError("the native back-end needs a 64-bit target");
  if (Opts.DebugInfo) {
    DIB = std::make_unique<DIBuilder>(M);
    DFile = DIB->createFile(KM.Name, ".");
    DIB->createCompileUnit(dwarf::DW_LANG_C, DFile, "kernelc",
                           Opts.OptLevel > 0, "", 0, "",
                           DICompileUnit::LineTablesOnly);
    M.addModuleFlag(Module::Warning, "Debug Info Version",
                    DEBUG_METADATA_VERSION);
    M.addModuleFlag(Module::Max, "Dwarf Version", 5);
  }
  if (engineCheck(EngineCheckBoxing))
    createNursery();
  // Runtime first: a kernel function named like a runtime function is then
  // the one LLVM renames.
  RT = declareRuntime(M);
  for (const kir::Node *L : kir::forMapsWithRemoval(KM))
    ForMapsWithRemoval.insert(L);
  Function *EntryWrapper = nullptr;
  if (Error E = declareFunctions(EntryWrapper))
    return E;
  for (const auto &KF : KM.Functions)
    FunctionLowering(*this, *KF, Functions[KF.get()]).run();
  if (EntryWrapper)
    emitEntryWrapper(*KM.getEntry(), EntryWrapper);
  if (DIB)
    DIB->finalize();
  if (Opts.EngineChecks) {
    // What explain reports as "N overflow checks": counted here, where each
    // one is added, since -O2 merges and deletes them.
    Type *I64 = Type::getInt64Ty(Ctx);
    auto Count = [&](StringRef Name, unsigned N) -> Metadata * {
      return MDNode::get(Ctx, {MDString::get(Ctx, Name),
                               ConstantAsMetadata::get(ConstantInt::get(I64, N))});
    };
    NamedMDNode *MD = M.getOrInsertNamedMetadata("kc.engine_checks");
    MD->addOperand(MDNode::get(
        Ctx, {Count("overflow", NumOverflowChecks), Count("tags", NumTagChecks),
              Count("boxing", NumBoxes)}));
  }
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Function bodies
//===----------------------------------------------------------------------===//

void FunctionLowering::run() {
  B.SetInsertPoint(BasicBlock::Create(Ctx, "entry", F));
  if (DISubprogram *SP = F->getSubprogram())
    B.SetCurrentDebugLocation(DILocation::get(Ctx, KF.Loc.Line, 0, SP));
  // One alloca per local; parameters are stored into theirs.
  for (const auto &L : KF.Locals)
    Slots[L.get()] =
        B.CreateAlloca(ML.valueType(L->Ty), nullptr, L->Name + ".addr");
  for (unsigned I = 0; I < KF.Params.size(); ++I)
    B.CreateStore(F->getArg(I), slot(KF.Params[I]));
  emitBlock(*KF.Body);
  if (terminated())
    return;
  if (KF.RetTy->Kind == TypeKind::Void)
    B.CreateRetVoid();
  else // The front-end guarantees a return on every path.
    B.CreateUnreachable();
}

void FunctionLowering::emitBlock(const kir::Block &Blk) {
  for (const kir::Node *S : Blk.Stmts) {
    if (terminated()) // statements after return/break/continue are dead
      return;
    emit(*S);
  }
}

BasicBlock *FunctionLowering::trapBlock(int Kind, uint32_t Line) {
  BasicBlock *&BB = TrapBlocks[{Kind, Line}];
  if (BB)
    return BB;
  BB = newBlock("trap");
  IRBuilder<> TB(BB);
  if (DISubprogram *SP = F->getSubprogram())
    TB.SetCurrentDebugLocation(DILocation::get(Ctx, Line, 0, SP));
  CallInst *C = TB.CreateCall(RT.Trap, {TB.getInt32(Kind), TB.getInt32(Line)});
  C->setAttributes(RT.Trap->getAttributes());
  TB.CreateUnreachable();
  return BB;
}

void FunctionLowering::trapUnless(Value *Ok, int Kind, const kir::Node &N) {
  if (auto *C = dyn_cast<ConstantInt>(Ok); C && C->isOne())
    return; // proven at lowering time, e.g. a division by a constant
  BasicBlock *Cont = newBlock("ok");
  B.CreateCondBr(Ok, Cont, trapBlock(Kind, N.Loc.Line),
                 ML.MDB.createLikelyBranchWeights());
  B.SetInsertPoint(Cont);
}

LoadInst *FunctionLowering::load(Type *T, Value *Ptr, MDNode *TBAATag,
                                 const Twine &Name) {
  LoadInst *L = B.CreateAlignedLoad(T, Ptr, ML.abiAlign(T), Name);
  if (TBAATag)
    L->setMetadata(LLVMContext::MD_tbaa, TBAATag);
  return L;
}

StoreInst *FunctionLowering::store(Value *V, Value *Ptr, MDNode *TBAATag) {
  StoreInst *S = B.CreateAlignedStore(V, Ptr, ML.abiAlign(V->getType()));
  if (TBAATag)
    S->setMetadata(LLVMContext::MD_tbaa, TBAATag);
  return S;
}

Value *FunctionLowering::toMem(Value *V, const kir::Type *T) {
  if (T->Kind == TypeKind::Bool)
    return B.CreateZExt(V, B.getInt8Ty());
  return V;
}

Value *FunctionLowering::fromMem(Value *V, const kir::Type *T) {
  if (T->Kind != TypeKind::Bool)
    return V;
  // A C bool byte is 0 or 1, which is what we store; say so, as clang does.
  if (auto *L = dyn_cast<LoadInst>(V))
    L->setMetadata(LLVMContext::MD_range,
                   ML.MDB.createRange(APInt(8, 0), APInt(8, 2)));
  return B.CreateTrunc(V, B.getInt1Ty());
}

void FunctionLowering::annotateRefLoad(LoadInst *L, const kir::Type *T) {
  // Every reference stored in a field, element or slot was a value of the
  // language, never null unless it is a ?R: `!nonnull` lets LLVM hoist
  // loads through it.
  if (T->isReference() && !T->isNullable())
    L->setMetadata(LLVMContext::MD_nonnull, MDNode::get(Ctx, {}));
  // A string's header is always whole: its data pointer may then be loaded
  // ahead of a loop that reads the string's bytes.
  if (T->Kind == TypeKind::Str || T->Kind == TypeKind::Bytes)
    L->setMetadata(LLVMContext::MD_dereferenceable,
                   MDNode::get(Ctx, ConstantAsMetadata::get(B.getInt64(
                                        ML.allocSize(RT.StrTy)))));
}

Value *FunctionLowering::strLen(Value *S) {
  // str and bytes are immutable, so their length never changes: the load is
  // invariant and LLVM may hoist it anywhere the pointer is available.
  LoadInst *L = load(B.getInt64Ty(), S, ML.tbaa("kc_str.len"), "len");
  L->setMetadata(LLVMContext::MD_invariant_load, MDNode::get(Ctx, {}));
  L->setMetadata(
      LLVMContext::MD_range,
      ML.MDB.createRange(APInt(64, 0), APInt::getSignedMaxValue(64)));
  return L;
}

Value *FunctionLowering::strData(Value *S) {
  // A view's bytes may be its parent's, but a header never changes: the
  // pointer is as invariant as the length.
  LoadInst *L = load(B.getPtrTy(), B.CreateStructGEP(RT.StrTy, S, 1),
                     ML.tbaa("kc_str.data"), "data");
  L->setMetadata(LLVMContext::MD_invariant_load, MDNode::get(Ctx, {}));
  L->setMetadata(LLVMContext::MD_nonnull, MDNode::get(Ctx, {}));
  return L;
}

Value *FunctionLowering::strByte(Value *S, Value *Idx, bool Ascii) {
  Value *P = B.CreateInBoundsGEP(B.getInt8Ty(), strData(S), Idx);
  LoadInst *L = load(B.getInt8Ty(), P, ML.tbaa("str bytes"));
  L->setMetadata(LLVMContext::MD_invariant_load, MDNode::get(Ctx, {}));
  // Every str is ASCII (literals are checked by the lexer, inputs by the
  // runner, and every operation keeps it so): a table indexed by a
  // character code with 128 entries needs no bounds check.
  if (Ascii)
    L->setMetadata(LLVMContext::MD_range,
                   ML.MDB.createRange(APInt(8, 0), APInt(8, 128)));
  return B.CreateZExt(L, B.getInt64Ty());
}

Value *FunctionLowering::arrayLen(Value *A) {
  // Not invariant: push and pop change it. TBAA still lets LLVM keep it in a
  // register across stores to elements.
  LoadInst *L = load(B.getInt64Ty(), B.CreateStructGEP(RT.ArrayTy, A, 0),
                     ML.tbaa("kc_array.len"), "len");
  L->setMetadata(
      LLVMContext::MD_range,
      ML.MDB.createRange(APInt(64, 0), APInt::getSignedMaxValue(64)));
  return L;
}

void FunctionLowering::knownLength(Value *A, Value *Len) {
  // Storing the same value again costs one store per array and lets GVN
  // forward the length to later loads: bounds checks against it then fold
  // (a table of 128 entries indexed by a character code needs none).
  store(Len, B.CreateStructGEP(RT.ArrayTy, A, 0), ML.tbaa("kc_array.len"));
}

Value *FunctionLowering::arrayData(Value *A) {
  return load(B.getPtrTy(), B.CreateStructGEP(RT.ArrayTy, A, 2),
              ML.tbaa("kc_array.data"), "data");
}

Value *FunctionLowering::elemPtr(Value *Data, Value *Idx,
                                 const kir::Type *ArrTy) {
  return B.CreateInBoundsGEP(ML.memType(ArrTy->Elem), Data, Idx);
}

Value *FunctionLowering::loadElem(Value *Data, Value *Idx,
                                  const kir::Type *ArrTy) {
  LoadInst *L =
      load(ML.memType(ArrTy->Elem), elemPtr(Data, Idx, ArrTy), elemTBAA(ArrTy));
  annotateRefLoad(L, ArrTy->Elem);
  return fromMem(L, ArrTy->Elem);
}

void FunctionLowering::storeElem(Value *Data, Value *Idx, Value *V,
                                 const kir::Type *ArrTy) {
  // One instruction per statement here and below: the order of a call's
  // arguments is unspecified, and the IR must not depend on the compiler
  // that built kernelc.
  Value *Ptr = elemPtr(Data, Idx, ArrTy);
  store(toMem(V, ArrTy->Elem), Ptr, elemTBAA(ArrTy));
}

Value *FunctionLowering::toBits(Value *V, const kir::Type *T) {
  switch (T->Kind) {
  case TypeKind::Bool:
  case TypeKind::U32:
    return B.CreateZExt(V, B.getInt64Ty());
  case TypeKind::I32:
    return B.CreateSExt(V, B.getInt64Ty());
  case TypeKind::Int:
    return V;
  case TypeKind::F64:
    return B.CreateBitCast(V, B.getInt64Ty());
  case TypeKind::Str:
  case TypeKind::Bytes:
  case TypeKind::Array:
  case TypeKind::Map:
  case TypeKind::Record:
  case TypeKind::Nullable:
    return B.CreatePtrToInt(V, B.getInt64Ty());
  case TypeKind::Void:
    break;
  }
  llvm_unreachable("void has no bits");
}

Value *FunctionLowering::fromBits(Value *V, const kir::Type *T) {
  switch (T->Kind) {
  case TypeKind::Bool:
  case TypeKind::U32:
  case TypeKind::I32:
    return B.CreateTrunc(V, ML.valueType(T));
  case TypeKind::Int:
    return V;
  case TypeKind::F64:
    return B.CreateBitCast(V, B.getDoubleTy());
  case TypeKind::Str:
  case TypeKind::Bytes:
  case TypeKind::Array:
  case TypeKind::Map:
  case TypeKind::Record:
  case TypeKind::Nullable:
    return B.CreateIntToPtr(V, B.getPtrTy());
  case TypeKind::Void:
    break;
  }
  llvm_unreachable("void has no bits");
}

Value *FunctionLowering::loadSlot(Value *Slot, const kir::Type *T) {
  // A double or a 64-bit pointer is loaded as itself: the same bits as the
  // bitcast/inttoptr of the u64, without losing pointer provenance.
  MDNode *Tag = ML.tbaa("map slot");
  if (T->Kind == TypeKind::F64 || T->isReference()) {
    LoadInst *L = load(ML.valueType(T), Slot, Tag);
    annotateRefLoad(L, T);
    return L;
  }
  return fromBits(load(B.getInt64Ty(), Slot, Tag), T);
}

void FunctionLowering::storeSlot(Value *Slot, Value *V, const kir::Type *T) {
  MDNode *Tag = ML.tbaa("map slot");
  if (T->Kind == TypeKind::F64 || T->isReference())
    store(V, Slot, Tag);
  else
    store(toBits(V, T), Slot, Tag);
}

//===----------------------------------------------------------------------===//
// The switch over kir::Op
//===----------------------------------------------------------------------===//

static CmpInst::Predicate intPred(kir::Pred P, bool Signed) {
  switch (P) {
  case kir::Pred::Eq:
    return CmpInst::ICMP_EQ;
  case kir::Pred::Ne:
    return CmpInst::ICMP_NE;
  case kir::Pred::Lt:
    return Signed ? CmpInst::ICMP_SLT : CmpInst::ICMP_ULT;
  case kir::Pred::Le:
    return Signed ? CmpInst::ICMP_SLE : CmpInst::ICMP_ULE;
  case kir::Pred::Gt:
    return Signed ? CmpInst::ICMP_SGT : CmpInst::ICMP_UGT;
  case kir::Pred::Ge:
    return Signed ? CmpInst::ICMP_SGE : CmpInst::ICMP_UGE;
  }
  llvm_unreachable("bad predicate");
}

static CmpInst::Predicate floatPred(kir::Pred P) {
  // Ordered: false when either side is NaN, except "not equal" which is true.
  switch (P) {
  case kir::Pred::Eq:
    return CmpInst::FCMP_OEQ;
  case kir::Pred::Ne:
    return CmpInst::FCMP_UNE;
  case kir::Pred::Lt:
    return CmpInst::FCMP_OLT;
  case kir::Pred::Le:
    return CmpInst::FCMP_OLE;
  case kir::Pred::Gt:
    return CmpInst::FCMP_OGT;
  case kir::Pred::Ge:
    return CmpInst::FCMP_OGE;
  }
  llvm_unreachable("bad predicate");
}

/// Ops whose int value an engine reads from a heap object.
static bool readsHeapInt(const kir::Node &N) {
  return N.Ty->Kind == TypeKind::Int &&
         (N.Opcode == Op::ArrayGet || N.Opcode == Op::ArrayPop ||
          N.Opcode == Op::FieldGet || N.Opcode == Op::MapGet ||
          N.Opcode == Op::MapAt);
}

/// Ops whose f64 result CPython puts in a new float object. min and max
/// return one of their operands, constants and loads an existing object.
static bool makesF64(const kir::Node &N) {
  Op O = N.Opcode;
  return O == Op::F64Add || O == Op::F64Sub || O == Op::F64Mul ||
         O == Op::F64Div || O == Op::F64Rem || O == Op::F64Neg ||
         O == Op::F64Sqrt || O == Op::F64Floor || O == Op::I32ToF64 ||
         O == Op::U32ToF64 || O == Op::IntToF64 ||
         (O == Op::NumAbs && N.Ty->Kind == TypeKind::F64);
}

Value *FunctionLowering::emit(const kir::Node &N) {
  DebugLoc Outer = B.getCurrentDebugLocation();
  if (DISubprogram *SP = F->getSubprogram(); SP && N.Loc.Line)
    B.SetCurrentDebugLocation(DILocation::get(Ctx, N.Loc.Line, N.Loc.Col, SP));
  Value *V = emitOp(N);
  if (V && readsHeapInt(N))
    V = heapInt(V, N.Ty, N);
  if (V && ML.engineCheck(EngineCheckBoxing) && makesF64(N))
    V = box(V);
  // The node's parent continues at its own location.
  B.SetCurrentDebugLocation(Outer);
  return V;
}

Value *FunctionLowering::intArith(Instruction::BinaryOps Opc,
                                  Intrinsic::ID WithOverflow, Value *L,
                                  Value *R, const kir::Node &N) {
  if (!ML.engineCheck(EngineCheckOverflow))
    return B.CreateBinOp(Opc, L, R);
  ++ML.NumOverflowChecks;
  Value *Pair = B.CreateBinaryIntrinsic(WithOverflow, L, R);
  trapUnless(B.CreateNot(B.CreateExtractValue(Pair, 1)), KC_TRAP_UNSAFE_INT,
             N);
  return B.CreateExtractValue(Pair, 0);
}

Value *FunctionLowering::heapInt(Value *V, const kir::Type *T,
                                 const kir::Node &N) {
  if (!ML.engineCheck(EngineCheckTags) || T->Kind != TypeKind::Int)
    return V;
  // A Smi test is one bit of a word the compiler cannot see through; the
  // kernel's ints carry no tag, so the test is the one property every int
  // has and LLVM cannot know of a loaded one: |v| <= 2^53, as
  // emitCheckSafe tests it. One add, one compare, one branch.
  ++ML.NumTagChecks;
  Value *Biased = B.CreateAdd(V, B.getInt64(int64_t(1) << 53));
  trapUnless(B.CreateICmpULE(Biased, B.getInt64(int64_t(1) << 54)),
             KC_TRAP_UNSAFE_INT, N);
  return V;
}

Value *FunctionLowering::box(Value *V) {
  // An inline bump allocation of 16 bytes as an engine's young generation
  // does it; when the nursery is full it starts over at its beginning (a
  // scavenge that finds every box dead, which they are). The value is read
  // back from its box, as the next operation of an engine reads it.
  ++ML.NumBoxes;
  MDNode *TopTag = ML.tbaa("kc box top"), *BoxTag = ML.tbaa("kc box");
  Value *Off = load(B.getInt64Ty(), ML.BoxTop, TopTag, "box.off");
  Value *Next = B.CreateAdd(Off, B.getInt64(16), "box.next", /*HasNUW=*/true,
                            /*HasNSW=*/true);
  Value *Full = B.CreateICmpUGT(Next, B.getInt64(ML.NurseryBytes));
  Value *At = B.CreateSelect(Full, B.getInt64(0), Off);
  store(B.CreateSelect(Full, B.getInt64(16), Next), ML.BoxTop, TopTag);
  Value *Box = B.CreateInBoundsGEP(B.getInt8Ty(), ML.BoxNursery, At, "box");
  // The header word an engine's box starts with (V8's map, CPython's type
  // and reference count): any constant will do.
  store(B.getInt64(0xF64), Box, BoxTag);
  Value *Slot = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Box, 8);
  store(V, Slot, BoxTag);
  return load(B.getDoubleTy(), Slot, BoxTag, "unboxed");
}

Value *FunctionLowering::emitOp(const kir::Node &N) {
  // Operands are evaluated left to right, so each one gets its own statement
  // (C++ leaves the order of function arguments unspecified).
  auto Op0 = [&] { return emit(*N.operand(0)); };
  auto Binary = [&](auto Build) -> Value * {
    Value *L = emit(*N.operand(0));
    Value *R = emit(*N.operand(1));
    return Build(L, R);
  };
  auto Shift = [&](Instruction::BinaryOps Opc) {
    return Binary([&](Value *L, Value *R) {
      return B.CreateBinOp(Opc, L, B.CreateAnd(R, B.getInt32(31)));
    });
  };
  auto ICmp = [&](bool Signed) {
    return Binary([&](Value *L, Value *R) {
      return B.CreateICmp(intPred(N.Predicate, Signed), L, R);
    });
  };

  switch (N.Opcode) {
  // --- constants ---
  case Op::BoolConst:
    return B.getInt1(N.IntVal != 0);
  case Op::I32Const:
  case Op::U32Const:
    return B.getInt32(static_cast<uint32_t>(N.IntVal));
  case Op::IntConst:
    return B.getInt64(N.IntVal);
  case Op::F64Const:
    return ConstantFP::get(B.getDoubleTy(), N.F64Val);
  case Op::StrConst:
    return ML.strConst(N.StrVal);

  // --- locals ---
  case Op::LocalGet:
    return B.CreateLoad(ML.valueType(N.Var->Ty), slot(N.Var), N.Var->Name);
  case Op::LocalDecl:
  case Op::LocalSet:
    B.CreateStore(Op0(), slot(N.Var));
    return nullptr;

  // --- i32 / u32 / int: wrapping, so no nsw/nuw (int overflow is checked
  // by int.check_safe in checked mode, never assumed away) ---
  case Op::I32Add:
  case Op::U32Add:
    return Binary([&](Value *L, Value *R) { return B.CreateAdd(L, R); });
  case Op::IntAdd:
    return Binary([&](Value *L, Value *R) {
      return intArith(Instruction::Add, Intrinsic::sadd_with_overflow, L, R, N);
    });
  case Op::I32Sub:
  case Op::U32Sub:
    return Binary([&](Value *L, Value *R) { return B.CreateSub(L, R); });
  case Op::IntSub:
    return Binary([&](Value *L, Value *R) {
      return intArith(Instruction::Sub, Intrinsic::ssub_with_overflow, L, R, N);
    });
  case Op::I32Mul:
  case Op::U32Mul:
    return Binary([&](Value *L, Value *R) { return B.CreateMul(L, R); });
  case Op::IntMul:
    return Binary([&](Value *L, Value *R) {
      return intArith(Instruction::Mul, Intrinsic::smul_with_overflow, L, R, N);
    });
  case Op::I32Div:
  case Op::IntDiv:
    return emitDivRem(N, /*Signed=*/true, /*Rem=*/false);
  case Op::I32Rem:
  case Op::IntRem:
    return emitDivRem(N, /*Signed=*/true, /*Rem=*/true);
  case Op::U32Div:
    return emitDivRem(N, /*Signed=*/false, /*Rem=*/false);
  case Op::U32Rem:
    return emitDivRem(N, /*Signed=*/false, /*Rem=*/true);
  case Op::I32Neg:
  case Op::U32Neg: {
    Value *V = Op0();
    return B.CreateSub(Constant::getNullValue(V->getType()), V);
  }
  case Op::IntNeg:
    return intArith(Instruction::Sub, Intrinsic::ssub_with_overflow,
                    B.getInt64(0), Op0(), N);
  case Op::I32And:
  case Op::U32And:
    return Binary([&](Value *L, Value *R) { return B.CreateAnd(L, R); });
  case Op::I32Or:
  case Op::U32Or:
    return Binary([&](Value *L, Value *R) { return B.CreateOr(L, R); });
  case Op::I32Xor:
  case Op::U32Xor:
    return Binary([&](Value *L, Value *R) { return B.CreateXor(L, R); });
  case Op::I32Not:
  case Op::U32Not:
    return B.CreateNot(Op0());
  case Op::I32Shl:
  case Op::U32Shl:
    return Shift(Instruction::Shl);
  case Op::I32Shr:
    return Shift(Instruction::AShr);
  case Op::U32Shr:
    return Shift(Instruction::LShr);
  case Op::I32Cmp:
  case Op::IntCmp:
    return ICmp(/*Signed=*/true);
  case Op::U32Cmp:
    return ICmp(/*Signed=*/false);
  case Op::IntCheckSafe:
    return emitCheckSafe(N);

  // --- f64: no fast-math flags, IEEE semantics throughout ---
  case Op::F64Add:
    return Binary([&](Value *L, Value *R) { return B.CreateFAdd(L, R); });
  case Op::F64Sub:
    return Binary([&](Value *L, Value *R) { return B.CreateFSub(L, R); });
  case Op::F64Mul:
    return Binary([&](Value *L, Value *R) { return B.CreateFMul(L, R); });
  case Op::F64Div:
    return Binary([&](Value *L, Value *R) { return B.CreateFDiv(L, R); });
  case Op::F64Rem: // frem is C's fmod
    return Binary([&](Value *L, Value *R) { return B.CreateFRem(L, R); });
  case Op::F64Neg:
    return B.CreateFNeg(Op0());
  case Op::F64Cmp:
    return Binary([&](Value *L, Value *R) {
      return B.CreateFCmp(floatPred(N.Predicate), L, R);
    });
  case Op::F64Sqrt:
    return B.CreateUnaryIntrinsic(Intrinsic::sqrt, Op0());
  case Op::F64Floor:
    return B.CreateUnaryIntrinsic(Intrinsic::floor, Op0());

  // --- generic numeric helpers ---
  case Op::NumMin:
    return emitMinMax(N, /*Max=*/false);
  case Op::NumMax:
    return emitMinMax(N, /*Max=*/true);
  case Op::NumAbs:
    return emitAbs(N);

  // --- bool ---
  case Op::BoolNot:
    return B.CreateNot(Op0());
  case Op::BoolAnd:
    return emitShortCircuit(N, /*IsAnd=*/true);
  case Op::BoolOr:
    return emitShortCircuit(N, /*IsAnd=*/false);
  case Op::BoolCmp:
    return ICmp(/*Signed=*/false);

  // --- conversions ---
  case Op::I32ToInt:
    return B.CreateSExt(Op0(), B.getInt64Ty());
  case Op::U32ToInt:
    return B.CreateZExt(Op0(), B.getInt64Ty());
  case Op::IntToI32:
  case Op::IntToU32:
    return B.CreateTrunc(Op0(), B.getInt32Ty());
  case Op::I32ToU32:
  case Op::U32ToI32:
    return Op0(); // same bits
  case Op::I32ToF64:
  case Op::IntToF64:
    return B.CreateSIToFP(Op0(), B.getDoubleTy());
  case Op::U32ToF64:
    return B.CreateUIToFP(Op0(), B.getDoubleTy());
  // The open intervals hold exactly the doubles whose truncation fits.
  case Op::F64ToI32:
    return emitF64ToInt(N, -2147483649.0, 2147483648.0, /*Signed=*/true);
  case Op::F64ToU32:
    return emitF64ToInt(N, -1.0, 4294967296.0, /*Signed=*/false);
  case Op::F64ToInt: // |t| <= 2^53; the doubles next to +-2^53 are +-(2^53+2)
    return emitF64ToInt(N, -9007199254740994.0, 9007199254740994.0,
                        /*Signed=*/true);

  // --- str and bytes (both kc_str) ---
  case Op::StrLen:
  case Op::BytesLen:
    return strLen(Op0());
  case Op::StrCodeAt:
  case Op::BytesAt: {
    Value *S = emit(*N.operand(0));
    Value *I = emit(*N.operand(1));
    // One unsigned compare also rejects negative indices.
    trapUnless(B.CreateICmpULT(I, strLen(S)), KC_TRAP_INDEX, N);
    return strByte(S, I, N.Opcode == Op::StrCodeAt);
  }
  case Op::StrSlice:
  case Op::BytesSlice: {
    Value *S = emit(*N.operand(0));
    Value *Lo = emit(*N.operand(1));
    Value *Hi = emit(*N.operand(2));
    return call(RT.StrSlice, {S, Lo, Hi, line(N)});
  }
  case Op::BytesU32Le: {
    // 0 <= i and i + 4 <= len (i + 4 cannot overflow: i is within +-2^53),
    // then one unaligned load of the four bytes (data as in strByte).
    Value *S = emit(*N.operand(0));
    Value *I = emit(*N.operand(1));
    Value *Len = strLen(S);
    Value *End = B.CreateAdd(I, B.getInt64(4));
    Value *Fits = B.CreateICmpSLE(End, Len);
    Value *Ok = B.CreateAnd(B.CreateICmpSGE(I, B.getInt64(0)), Fits);
    trapUnless(Ok, KC_TRAP_INDEX, N);
    Value *P = B.CreateInBoundsGEP(B.getInt8Ty(), strData(S), I);
    LoadInst *L = B.CreateAlignedLoad(B.getInt32Ty(), P, Align(1), "word");
    L->setMetadata(LLVMContext::MD_tbaa, ML.tbaa("str bytes"));
    L->setMetadata(LLVMContext::MD_invariant_load, MDNode::get(Ctx, {}));
    if (ML.DL.isBigEndian())
      return B.CreateUnaryIntrinsic(Intrinsic::bswap, L);
    return L;
  }
  case Op::StrConcat: {
    // a + b + c + ...: one allocation and one copy of each byte, not one
    // intermediate string per +. Concatenation has no effect to reorder:
    // the operands are evaluated left to right, then joined.
    SmallVector<const kir::Node *, 8> Leaves;
    collectConcat(N, Leaves);
    if (llvm::any_of(Leaves, isArrayJoin))
      return emitConcatJoins(Leaves);
    if (Leaves.size() == 2)
      return Binary([&](Value *L, Value *R) {
        return call(RT.StrConcat, {L, R});
      });
    SmallVector<Value *, 8> Vals;
    for (const kir::Node *Leaf : Leaves)
      Vals.push_back(emit(*Leaf));
    return joinN(Vals, ML.strConst(""));
  }
  case Op::StrCmp:
    return emitStrCmp(N);
  case Op::StrFromInt:
    return call(RT.StrFromInt, {Op0()});
  case Op::StrParseInt:
    return emitStrParseInt(N);
  case Op::StrFromCode:
    return call(RT.StrFromCode, {Op0(), line(N)});
  case Op::StrFind: {
    Value *S = emit(*N.operand(0));
    Value *Sub = emit(*N.operand(1));
    Value *Start = emit(*N.operand(2));
    if (N.operand(1)->Opcode == Op::StrConst)
      return emitFindConst(N, S, N.operand(1)->StrVal, Start);
    return call(RT.StrFind, {S, Sub, Start, line(N)}, "found");
  }
  case Op::StrStartsWith:
    return emitStrStartsWith(N);
  case Op::StrSplit: {
    Value *S = emit(*N.operand(0));
    Value *Sep = emit(*N.operand(1));
    return call(RT.StrSplit, {S, Sep, line(N)}, "pieces");
  }
  case Op::StrLower: {
    // s.slice(a, b).lower(), as a header name is lowered: the slice's check,
    // then no view made only to be lowered.
    const kir::Node &Arg = *N.operand(0);
    if (Arg.Opcode == Op::StrSlice) {
      Value *S = emit(*Arg.operand(0));
      Value *Lo = emit(*Arg.operand(1));
      Value *Hi = emit(*Arg.operand(2));
      return call(RT.StrSliceLower, {S, Lo, Hi, line(Arg)}, "lowered");
    }
    return call(RT.StrLower, {Op0()});
  }
  case Op::StrJoin: {
    if (N.operand(0)->Opcode == Op::ArrayLit) {
      // join([a, b, ...], sep): the array is never seen, so it is never
      // made; its elements and then sep are evaluated as before.
      SmallVector<Value *, 8> Vals;
      for (const kir::Node *O : N.operand(0)->Operands)
        Vals.push_back(emit(*O));
      Value *Sep = emit(*N.operand(1));
      return joinN(Vals, Sep);
    }
    Value *Parts = emit(*N.operand(0));
    Value *Sep = emit(*N.operand(1));
    return call(RT.StrJoin, {Parts, Sep}, "joined");
  }
  case Op::StrTrim: {
    // s.slice(a, b).trim() trims the range in s: the slice's bounds check,
    // then one allocation at most instead of two.
    const kir::Node &Arg = *N.operand(0);
    if (Arg.Opcode == Op::StrSlice) {
      Value *S = emit(*Arg.operand(0));
      Value *Lo = emit(*Arg.operand(1));
      Value *Hi = emit(*Arg.operand(2));
      return call(RT.StrSliceTrim, {S, Lo, Hi, line(Arg)}, "trimmed");
    }
    return call(RT.StrTrim, {Op0()}, "trimmed");
  }
  case Op::StrReplace: {
    Value *S = emit(*N.operand(0));
    Value *Old = emit(*N.operand(1));
    Value *New = emit(*N.operand(2));
    return call(RT.StrReplace, {S, Old, New, line(N)}, "replaced");
  }
  case Op::StrContains: {
    Value *S = emit(*N.operand(0));
    Value *Sub = emit(*N.operand(1));
    return call(RT.StrContains, {S, Sub}, "contains");
  }
  case Op::StrFromCodes:
    return call(RT.StrFromCodes, {Op0(), line(N)}, "text");

  // --- arrays ---
  case Op::ArrayNew:
    return emitArrayNew(N);
  case Op::ArrayLit:
    return emitArrayLit(N);
  case Op::ArrayLen:
    return arrayLen(Op0());
  case Op::ArrayGet: {
    const kir::Type *AT = N.operand(0)->Ty;
    Value *A = emit(*N.operand(0));
    Value *I = emit(*N.operand(1));
    trapUnless(B.CreateICmpULT(I, arrayLen(A)), KC_TRAP_INDEX, N);
    return loadElem(arrayData(A), I, AT);
  }
  case Op::ArraySet: {
    // All operands first, then the bounds check, as for every other op.
    const kir::Type *AT = N.operand(0)->Ty;
    Value *A = emit(*N.operand(0));
    Value *I = emit(*N.operand(1));
    Value *V = emit(*N.operand(2));
    trapUnless(B.CreateICmpULT(I, arrayLen(A)), KC_TRAP_INDEX, N);
    storeElem(arrayData(A), I, V, AT);
    return nullptr;
  }
  case Op::ArrayPush:
    emitArrayPush(N);
    return nullptr;
  case Op::ArrayPop:
    return emitArrayPop(N);

  // --- records ---
  case Op::RecordNew: {
    StructType *ST = ML.recordType(N.Ty->Rec);
    SmallVector<Value *, 8> Vals;
    for (const kir::Node *O : N.Operands)
      Vals.push_back(emit(*O));
    // All fields null, 0, false or +0.0 (a leaf, an empty node): the
    // memory comes cleared and nothing is stored.
    bool AllZero = llvm::all_of(Vals, [](Value *V) {
      auto *C = dyn_cast<Constant>(V);
      return C && C->isNullValue();
    });
    Value *R = call(AllZero ? RT.AllocZeroed : RT.Alloc,
                    {B.getInt64(ML.allocSize(ST))}, N.Ty->Rec->Name);
    for (unsigned I = 0; I < Vals.size() && !AllZero; ++I) {
      Value *Field = B.CreateStructGEP(ST, R, I);
      store(toMem(Vals[I], N.Ty->Rec->Fields[I].Ty), Field,
            ML.tbaa(N.Ty->Rec->Name + "." + Twine(I)));
    }
    return R;
  }
  case Op::FieldGet: {
    const kir::RecordDecl *Rec = N.operand(0)->Ty->Rec;
    StructType *ST = ML.recordType(Rec);
    unsigned I = static_cast<unsigned>(N.IntVal);
    const kir::Type *FT = Rec->Fields[I].Ty;
    Value *R = Op0();
    LoadInst *L =
        load(ML.memType(FT), B.CreateStructGEP(ST, R, I),
             ML.tbaa(Rec->Name + "." + Twine(I)), Rec->Fields[I].Name);
    annotateRefLoad(L, FT);
    return fromMem(L, FT);
  }
  case Op::FieldSet: {
    const kir::RecordDecl *Rec = N.operand(0)->Ty->Rec;
    StructType *ST = ML.recordType(Rec);
    unsigned I = static_cast<unsigned>(N.IntVal);
    Value *R = emit(*N.operand(0));
    Value *V = emit(*N.operand(1));
    Value *Field = B.CreateStructGEP(ST, R, I);
    store(toMem(V, Rec->Fields[I].Ty), Field,
          ML.tbaa(Rec->Name + "." + Twine(I)));
    return nullptr;
  }

  // --- nullable records: a null pointer is null ---
  case Op::RefNull:
    return ConstantPointerNull::get(B.getPtrTy());
  case Op::RefAsNullable:
    return Op0();
  case Op::RefIsNull:
    return B.CreateIsNull(Op0(), "is.null");
  case Op::RefAsNonNull: {
    Value *R = Op0();
    trapUnless(B.CreateIsNotNull(R), KC_TRAP_NULL, N);
    return R;
  }

  // --- maps ---
  case Op::MapNew:
    return call(RT.MapNew, {B.getInt32(isStrKeyed(N.Ty) ? KC_MAP_STR_KEYS
                                                        : KC_MAP_INT_KEYS)});
  case Op::MapLen:
    return call(RT.MapLen, {Op0()});
  case Op::MapGet:
  case Op::MapAt:
  case Op::MapHas:
    return emitMapLookup(N);
  case Op::MapSet: {
    if (const kir::Node *Get = fusableGet(N)) {
      emitMapUpdate(N, *Get);
      return nullptr;
    }
    const kir::Type *MT = N.operand(0)->Ty;
    Value *Map = emit(*N.operand(0));
    Value *Key = emit(*N.operand(1));
    Value *V = emit(*N.operand(2));
    Value *Slot = call(isStrKeyed(MT) ? RT.MapSlotStr : RT.MapSlotInt,
                       {Map, Key}, "slot");
    storeSlot(Slot, V, MT->Elem);
    return nullptr;
  }
  case Op::MapRemove: {
    const kir::Type *MT = N.operand(0)->Ty;
    Value *Map = emit(*N.operand(0));
    Value *Key = emit(*N.operand(1));
    return call(isStrKeyed(MT) ? RT.MapRemoveStr : RT.MapRemoveInt,
                {Map, Key}, "removed");
  }

  // --- calls ---
  case Op::Call: {
    SmallVector<Value *, 8> Args;
    for (const kir::Node *O : N.Operands)
      Args.push_back(emit(*O));
    CallInst *C = call(ML.Functions[N.Callee], Args);
    if (N.Callee->RetTy->Kind == TypeKind::Void)
      return nullptr;
    return C;
  }
  case Op::Eval:
    Op0();
    return nullptr;

  // --- control ---
  case Op::If:
    emitIf(N);
    return nullptr;
  case Op::While:
    emitWhile(N);
    return nullptr;
  case Op::ForRange:
    emitForRange(N);
    return nullptr;
  case Op::ForEach:
    emitForEach(N);
    return nullptr;
  case Op::ForMap:
    emitForMap(N);
    return nullptr;
  case Op::Break:
    assert(!Loops.empty() && "break outside a loop (KIR verifier)");
    B.CreateBr(Loops.back().Break);
    return nullptr;
  case Op::Continue:
    assert(!Loops.empty() && "continue outside a loop (KIR verifier)");
    B.CreateBr(Loops.back().Continue);
    return nullptr;
  case Op::Return:
    if (N.Operands.empty())
      B.CreateRetVoid();
    else
      B.CreateRet(Op0());
    return nullptr;
  }
  llvm_unreachable("bad KIR op");
}

//===----------------------------------------------------------------------===//
// Op groups
//===----------------------------------------------------------------------===//

Value *FunctionLowering::emitDivRem(const kir::Node &N, bool Signed, bool Rem) {
  Value *L = emit(*N.operand(0));
  Value *R = emit(*N.operand(1));
  trapUnless(B.CreateICmpNE(R, Constant::getNullValue(R->getType())),
             KC_TRAP_DIV_ZERO, N);
  if (!Signed)
    return Rem ? B.CreateURem(L, R) : B.CreateUDiv(L, R);
  // MIN / -1 is immediate UB for sdiv/srem even if the result is unused, so
  // divide by 1 instead and select the defined answer: MIN / -1 == MIN
  // (0 - a wraps), MIN % -1 == 0. Both selects fold away when the divisor is
  // a constant.
  Type *T = R->getType();
  Value *IsMinusOne = B.CreateICmpEQ(R, Constant::getAllOnesValue(T));
  Value *SafeR = B.CreateSelect(IsMinusOne, ConstantInt::get(T, 1), R);
  if (Rem)
    return B.CreateSelect(IsMinusOne, Constant::getNullValue(T),
                          B.CreateSRem(L, SafeR));
  Value *Quot = B.CreateSDiv(L, SafeR);
  return B.CreateSelect(IsMinusOne, B.CreateSub(Constant::getNullValue(T), L),
                        Quot);
}

Value *FunctionLowering::emitCheckSafe(const kir::Node &N) {
  // The check is about the true result of the int op it wraps: 2^53 * 2^53
  // is 0 mod 2^64, yet must trap. So when the operand is an add, sub or mul,
  // compute it with the overflow intrinsic and trap on overflow too.
  const kir::Node &In = *N.operand(0);
  Intrinsic::ID WithOverflow = Intrinsic::not_intrinsic;
  if (In.Opcode == Op::IntAdd)
    WithOverflow = Intrinsic::sadd_with_overflow;
  else if (In.Opcode == Op::IntSub)
    WithOverflow = Intrinsic::ssub_with_overflow;
  else if (In.Opcode == Op::IntMul)
    WithOverflow = Intrinsic::smul_with_overflow;
  // Any other int-valued op yields its exact value.
  Value *V;
  Value *Overflow = nullptr;
  if (WithOverflow != Intrinsic::not_intrinsic) {
    Value *L = emit(*In.operand(0));
    Value *R = emit(*In.operand(1));
    Value *Pair = B.CreateBinaryIntrinsic(WithOverflow, L, R);
    V = B.CreateExtractValue(Pair, 0);
    Overflow = B.CreateExtractValue(Pair, 1);
  } else {
    V = emit(In);
  }
  // |v| <= 2^53  <=>  v + 2^53 (mod 2^64) <= 2^54, one unsigned compare.
  Value *Biased = B.CreateAdd(V, B.getInt64(int64_t(1) << 53));
  Value *Ok = B.CreateICmpULE(Biased, B.getInt64(int64_t(1) << 54));
  if (Overflow)
    Ok = B.CreateAnd(Ok, B.CreateNot(Overflow));
  trapUnless(Ok, KC_TRAP_UNSAFE_INT, N);
  return V;
}

Value *FunctionLowering::emitMinMax(const kir::Node &N, bool Max) {
  // min: b < a ? b : a;  max: b > a ? b : a. For f64 this is not minnum or
  // minimum (NaN and -0.0 differ), but it is exactly x86's minsd/maxsd.
  Value *A = emit(*N.operand(0));
  Value *Bv = emit(*N.operand(1));
  Value *Cond = nullptr;
  switch (N.Ty->Kind) {
  case TypeKind::F64:
    Cond = Max ? B.CreateFCmpOGT(Bv, A) : B.CreateFCmpOLT(Bv, A);
    break;
  case TypeKind::U32:
    Cond = Max ? B.CreateICmpUGT(Bv, A) : B.CreateICmpULT(Bv, A);
    break;
  case TypeKind::I32:
  case TypeKind::Int:
    Cond = Max ? B.CreateICmpSGT(Bv, A) : B.CreateICmpSLT(Bv, A);
    break;
  case TypeKind::Void:
  case TypeKind::Bool:
  case TypeKind::Str:
  case TypeKind::Bytes:
  case TypeKind::Array:
  case TypeKind::Map:
  case TypeKind::Record:
  case TypeKind::Nullable:
    llvm_unreachable("num.min/max on a non-numeric type (KIR verifier)");
  }
  return B.CreateSelect(Cond, Bv, A);
}

Value *FunctionLowering::emitAbs(const kir::Node &N) {
  Value *A = emitOperand(N, 0);
  switch (N.Ty->Kind) {
  case TypeKind::F64:
    // llvm.fabs rather than "a < 0 ? -a : a": the two differ only in the
    // sign of -0.0 and of NaN, and fabs (abs(-0.0) == +0.0) is what JS's
    // Math.abs and Python's abs() give, so every runtime agrees bit for bit.
    return B.CreateUnaryIntrinsic(Intrinsic::fabs, A);
  case TypeKind::U32:
    return A; // never below zero
  case TypeKind::I32:
  case TypeKind::Int: {
    // Wraps for MIN (abs(MIN) == MIN), so no llvm.abs with poison on MIN.
    Value *Neg = B.CreateSub(Constant::getNullValue(A->getType()), A);
    return B.CreateSelect(
        B.CreateICmpSLT(A, Constant::getNullValue(A->getType())), Neg, A);
  }
  case TypeKind::Void:
  case TypeKind::Bool:
  case TypeKind::Str:
  case TypeKind::Bytes:
  case TypeKind::Array:
  case TypeKind::Map:
  case TypeKind::Record:
  case TypeKind::Nullable:
    break;
  }
  llvm_unreachable("num.abs on a non-numeric type (KIR verifier)");
}

Value *FunctionLowering::emitShortCircuit(const kir::Node &N, bool IsAnd) {
  Value *A = emit(*N.operand(0));
  BasicBlock *From = B.GetInsertBlock();
  BasicBlock *RHS = newBlock(IsAnd ? "and.rhs" : "or.rhs");
  BasicBlock *Done = newBlock(IsAnd ? "and.done" : "or.done");
  if (IsAnd)
    B.CreateCondBr(A, RHS, Done);
  else
    B.CreateCondBr(A, Done, RHS);
  B.SetInsertPoint(RHS);
  Value *Bv = emit(*N.operand(1));
  BasicBlock *RHSEnd = B.GetInsertBlock();
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  PHINode *Phi = B.CreatePHI(B.getInt1Ty(), 2);
  Phi->addIncoming(B.getInt1(!IsAnd), From);
  Phi->addIncoming(Bv, RHSEnd);
  return Phi;
}

Value *FunctionLowering::emitF64ToInt(const kir::Node &N, double Lo, double Hi,
                                      bool Signed) {
  // Lo < x < Hi, compared as doubles before converting: the conversion of
  // an out-of-range value is poison, so it must never be executed. Ordered
  // compares are false for NaN, and the bounds exclude the infinities.
  Value *X = emitOperand(N, 0);
  Value *BelowHi = B.CreateFCmpOLT(X, ConstantFP::get(X->getType(), Hi));
  Value *AboveLo = B.CreateFCmpOGT(X, ConstantFP::get(X->getType(), Lo));
  Value *Ok = B.CreateAnd(AboveLo, BelowHi);
  trapUnless(Ok, KC_TRAP_CONVERSION, N);
  Type *T = ML.valueType(N.Ty);
  return Signed ? B.CreateFPToSI(X, T) : B.CreateFPToUI(X, T);
}

Value *FunctionLowering::emitStrEqual(const kir::Node &N, Value *L,
                                      Value *R) {
  // Strings of different lengths differ: most comparisons end at the
  // lengths, inline. Equal lengths compare the bytes: against a constant
  // with memcmp of a constant size, which LLVM expands into a few loads,
  // else with kc_str_equal.
  const kir::Node *Const = nullptr;
  Value *Other = L;
  if (N.operand(1)->Opcode == Op::StrConst) {
    Const = N.operand(1);
  } else if (N.operand(0)->Opcode == Op::StrConst) {
    Const = N.operand(0);
    Other = R;
  }
  Value *SameLen;
  if (Const) {
    SameLen = B.CreateICmpEQ(strLen(Other), B.getInt64(Const->StrVal.size()));
  } else {
    Value *LenR = strLen(R);
    SameLen = B.CreateICmpEQ(strLen(L), LenR);
  }
  if (Const && Const->StrVal.empty())
    return SameLen;
  BasicBlock *Pre = B.GetInsertBlock();
  BasicBlock *Bytes = newBlock("streq.bytes");
  BasicBlock *Done = newBlock("streq.done");
  B.CreateCondBr(SameLen, Bytes, Done);
  B.SetInsertPoint(Bytes);
  Value *Same;
  if (Const) {
    Value *Diff = call(RT.Memcmp, {strData(Other), strData(ML.strConst(
                                                       Const->StrVal)),
                                   B.getInt64(Const->StrVal.size())});
    Same = B.CreateICmpEQ(Diff, B.getInt32(0));
  } else {
    Same = call(RT.StrEqual, {L, R});
  }
  BasicBlock *BytesEnd = B.GetInsertBlock();
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  PHINode *Eq = B.CreatePHI(B.getInt1Ty(), 2, "streq");
  Eq->addIncoming(B.getFalse(), Pre);
  Eq->addIncoming(Same, BytesEnd);
  return Eq;
}

Value *FunctionLowering::emitFindConst(const kir::Node &N, Value *S,
                                       StringRef Needle, Value *Start) {
  // What kc_str_find does, inline, as a C programmer writes it: memchr for
  // the needle's first character, then a compare of the rest (a constant
  // size, so a few loads).
  Value *Len = strLen(S);
  // One unsigned compare also rejects a negative start.
  trapUnless(B.CreateICmpULE(Start, Len), KC_TRAP_INDEX, N);
  if (Needle.empty())
    return Start;
  Value *Data = strData(S);
  Type *I64 = B.getInt64Ty();
  Value *K = B.getInt64(Needle.size());
  // The last position where the needle may begin; none when the needle is
  // longer than what is left.
  BasicBlock *Pre = B.GetInsertBlock();
  BasicBlock *Scan = newBlock("find.scan");
  BasicBlock *Hit = newBlock("find.hit");
  BasicBlock *Found = newBlock("find.found");
  BasicBlock *Next = Needle.size() > 1 ? newBlock("find.next") : nullptr;
  BasicBlock *Done = newBlock("find.done");
  B.CreateCondBr(B.CreateICmpULE(K, B.CreateSub(Len, Start, "", true, true)),
                 Scan, Done);

  B.SetInsertPoint(Scan);
  PHINode *From = B.CreatePHI(I64, 2, "from");
  From->addIncoming(Start, Pre);
  // [From, Len - K] holds the candidate first characters.
  Value *Room = B.CreateAdd(B.CreateSub(Len, From, "", true, true),
                            B.getInt64(1 - int64_t(Needle.size())));
  Value *P = call(RT.Memchr,
                  {B.CreateInBoundsGEP(B.getInt8Ty(), Data, From),
                   B.getInt32((unsigned char)Needle[0]), Room},
                  "first");
  B.CreateCondBr(B.CreateIsNull(P), Done, Hit);

  B.SetInsertPoint(Hit);
  // P lies in [Data + From, Data + Len): the index is never negative.
  Value *Base = B.CreatePtrToInt(Data, I64);
  Value *At = B.CreateSub(B.CreatePtrToInt(P, I64), Base, "at",
                          /*HasNUW=*/true, /*HasNSW=*/true);
  if (Needle.size() == 1) {
    B.CreateBr(Found);
  } else {
    Value *Rest = strData(ML.strConst(Needle));
    Value *Diff = call(
        RT.Memcmp,
        {B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), P, 1),
         B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Rest, 1),
         B.getInt64(Needle.size() - 1)});
    B.CreateCondBr(B.CreateICmpEQ(Diff, B.getInt32(0)), Found, Next);
    // A false start: look again after it, while the needle still fits.
    B.SetInsertPoint(Next);
    Value *After = B.CreateAdd(At, B.getInt64(1), "", true, true);
    From->addIncoming(After, Next);
    B.CreateCondBr(
        B.CreateICmpULE(K, B.CreateSub(Len, After, "", true, true)), Scan,
        Done);
  }

  B.SetInsertPoint(Found);
  B.CreateBr(Done);

  B.SetInsertPoint(Done);
  PHINode *R = B.CreatePHI(I64, 4, "found");
  R->addIncoming(B.getInt64(-1), Pre);
  R->addIncoming(B.getInt64(-1), Scan);
  if (Next)
    R->addIncoming(B.getInt64(-1), Next);
  R->addIncoming(At, Found);
  return R;
}

Value *FunctionLowering::emitStrCmp(const kir::Node &N) {
  Value *L = emit(*N.operand(0));
  Value *R = emit(*N.operand(1));
  switch (N.Predicate) {
  case kir::Pred::Eq:
    return emitStrEqual(N, L, R);
  case kir::Pred::Ne:
    return B.CreateNot(emitStrEqual(N, L, R));
  case kir::Pred::Lt:
  case kir::Pred::Le:
  case kir::Pred::Gt:
  case kir::Pred::Ge:
    break;
  }
  Value *C = call(RT.StrCompare, {L, R});
  return B.CreateICmp(intPred(N.Predicate, /*Signed=*/true), C, B.getInt32(0));
}

void FunctionLowering::collectConcat(
    const kir::Node &N, SmallVectorImpl<const kir::Node *> &Leaves) {
  for (const kir::Node *O : N.Operands) {
    if (O->Opcode == Op::StrConcat)
      collectConcat(*O, Leaves);
    else
      Leaves.push_back(O);
  }
}

Value *FunctionLowering::emitConcatJoins(ArrayRef<const kir::Node *> Leaves) {
  // "[" + join(items, ",") + "]": the items are copied once, into the
  // result, not first into a joined string that is then copied again. Each
  // leaf is evaluated in order (a join's array, then its sep); only the
  // join itself, which has no effect, waits for the one call.
  auto *StrsTy = ArrayType::get(B.getPtrTy(), Leaves.size());
  AllocaInst *Strs = hiddenSlot(StrsTy, "segments");
  AllocaInst *Arrays = hiddenSlot(StrsTy, "segment.arrays");
  for (unsigned I = 0; I < Leaves.size(); ++I) {
    Value *Str, *Array;
    if (isArrayJoin(Leaves[I])) {
      Array = emit(*Leaves[I]->operand(0));
      Str = emit(*Leaves[I]->operand(1));
    } else {
      Str = emit(*Leaves[I]);
      Array = ConstantPointerNull::get(B.getPtrTy());
    }
    B.CreateStore(Str, B.CreateConstInBoundsGEP2_64(StrsTy, Strs, 0, I));
    B.CreateStore(Array, B.CreateConstInBoundsGEP2_64(StrsTy, Arrays, 0, I));
  }
  return call(RT.StrConcatJoins, {Strs, Arrays, B.getInt64(Leaves.size())},
              "joined");
}

Value *FunctionLowering::joinN(ArrayRef<Value *> Parts, Value *Sep) {
  if (Parts.empty())
    return ML.strConst("");
  auto *ArrTy = ArrayType::get(B.getPtrTy(), Parts.size());
  AllocaInst *Slots = hiddenSlot(ArrTy, "parts");
  for (unsigned I = 0; I < Parts.size(); ++I)
    B.CreateStore(Parts[I], B.CreateConstInBoundsGEP2_64(ArrTy, Slots, 0, I));
  return call(RT.StrJoinN, {Slots, B.getInt64(Parts.size()), Sep}, "joined");
}

Value *FunctionLowering::emitStrParseInt(const kir::Node &N) {
  // Inline for what fields and tokens hold, up to 15 digits after an
  // optional '-' (below 10^15, so within +-2^53 with no range check): the
  // digit loop a C programmer writes. Anything else, bad input included,
  // goes to kc_str_parse_int, which has the one definition of the traps.
  Value *S = emit(*N.operand(0));
  Value *Len = strLen(S);
  BasicBlock *Sign = newBlock("parse.sign");
  BasicBlock *Loop = newBlock("parse.digit");
  BasicBlock *Body = newBlock("parse.body");
  BasicBlock *Done = newBlock("parse.done");
  BasicBlock *Slow = newBlock("parse.slow");
  BasicBlock *Join = newBlock("parse.join");
  B.CreateCondBr(B.CreateICmpULT(B.CreateSub(Len, B.getInt64(1)),
                                 B.getInt64(16)),
                 Sign, Slow, ML.MDB.createLikelyBranchWeights());

  B.SetInsertPoint(Sign);
  Value *Data = strData(S);
  Value *Neg = B.CreateICmpEQ(strByte(S, B.getInt64(0), /*Ascii=*/false),
                              B.getInt64('-'), "neg");
  Value *Start = B.CreateZExt(Neg, B.getInt64Ty());
  Value *Digits = B.CreateSub(Len, Start, "digits", /*HasNUW=*/true);
  B.CreateCondBr(B.CreateICmpULT(B.CreateSub(Digits, B.getInt64(1)),
                                 B.getInt64(15)),
                 Loop, Slow, ML.MDB.createLikelyBranchWeights());

  B.SetInsertPoint(Loop);
  PHINode *I = B.CreatePHI(B.getInt64Ty(), 2, "i");
  PHINode *V = B.CreatePHI(B.getInt64Ty(), 2, "v");
  I->addIncoming(Start, Sign);
  V->addIncoming(B.getInt64(0), Sign);
  LoadInst *C = load(B.getInt8Ty(), B.CreateInBoundsGEP(B.getInt8Ty(), Data, I),
                     ML.tbaa("str bytes"));
  C->setMetadata(LLVMContext::MD_invariant_load, MDNode::get(Ctx, {}));
  Value *D = B.CreateSub(B.CreateZExt(C, B.getInt64Ty()), B.getInt64('0'), "d");
  B.CreateCondBr(B.CreateICmpULT(D, B.getInt64(10)), Body, Slow,
                 ML.MDB.createLikelyBranchWeights());

  // At most 15 digits: v stays below 10^15, and i below len.
  B.SetInsertPoint(Body);
  Value *V2 = B.CreateAdd(B.CreateMul(V, B.getInt64(10), "", true, true), D,
                          "v.next", true, true);
  Value *I2 = B.CreateAdd(I, B.getInt64(1), "i.next", true, true);
  I->addIncoming(I2, Body);
  V->addIncoming(V2, Body);
  B.CreateCondBr(B.CreateICmpEQ(I2, Len), Done, Loop);

  B.SetInsertPoint(Done);
  Value *Fast = B.CreateSelect(Neg, B.CreateNeg(V2, "", /*HasNSW=*/true), V2);
  B.CreateBr(Join);

  B.SetInsertPoint(Slow);
  Value *Called = call(RT.StrParseInt, {S, line(N)});
  B.CreateBr(Join);

  B.SetInsertPoint(Join);
  PHINode *R = B.CreatePHI(B.getInt64Ty(), 2, "parsed");
  R->addIncoming(Fast, Done);
  R->addIncoming(Called, Slow);
  return R;
}

Value *FunctionLowering::emitStrStartsWith(const kir::Node &N) {
  // Inline, as a C programmer writes it: a bounds check, a length test and
  // memcmp, which LLVM turns into a few loads when p is a constant.
  Value *S = emit(*N.operand(0));
  Value *P = emit(*N.operand(1));
  Value *At = emit(*N.operand(2));
  Value *SLen = strLen(S);
  // One unsigned compare also rejects a negative position.
  trapUnless(B.CreateICmpULE(At, SLen), KC_TRAP_INDEX, N);
  Value *PLen = strLen(P);
  Value *Room = B.CreateSub(SLen, At, "room", /*HasNUW=*/true, /*HasNSW=*/true);
  BasicBlock *Pre = B.GetInsertBlock();
  BasicBlock *Cmp = newBlock("prefix.cmp");
  BasicBlock *Done = newBlock("prefix.done");
  B.CreateCondBr(B.CreateICmpULE(PLen, Room), Cmp, Done);
  B.SetInsertPoint(Cmp);
  Value *SData = strData(S);
  Value *PData = strData(P);
  Value *Diff = call(
      RT.Memcmp, {B.CreateInBoundsGEP(B.getInt8Ty(), SData, At), PData, PLen});
  Value *Same = B.CreateICmpEQ(Diff, B.getInt32(0));
  BasicBlock *CmpEnd = B.GetInsertBlock();
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  PHINode *R = B.CreatePHI(B.getInt1Ty(), 2, "starts");
  R->addIncoming(B.getFalse(), Pre);
  R->addIncoming(Same, CmpEnd);
  return R;
}

Value *FunctionLowering::emitArrayNew(const kir::Node &N) {
  const kir::Type *AT = N.Ty;
  Type *ET = ML.memType(AT->Elem);
  Value *Len = emit(*N.operand(0));
  Value *Fill = emit(*N.operand(1));
  // kc_array_new traps on a negative length; its elements are
  // uninitialised, so even a zero fill is stored (it becomes a memset).
  Value *A =
      call(RT.ArrayNew, {Len, B.getInt64(ML.allocSize(ET)), line(N)}, "array");
  knownLength(A, Len);

  // for (i = 0; i < len; ++i) data[i] = fill; written with a phi so even -O0
  // code is direct. LLVM turns it into memset or a vector loop.
  Value *Data = arrayData(A);
  Value *MFill = toMem(Fill, AT->Elem);
  BasicBlock *Pre = B.GetInsertBlock();
  BasicBlock *Loop = newBlock("fill");
  BasicBlock *Done = newBlock("fill.done");
  B.CreateCondBr(B.CreateICmpSGT(Len, B.getInt64(0)), Loop, Done);
  B.SetInsertPoint(Loop);
  PHINode *I = B.CreatePHI(B.getInt64Ty(), 2, "i");
  I->addIncoming(B.getInt64(0), Pre);
  store(MFill, B.CreateInBoundsGEP(ET, Data, I), elemTBAA(AT));
  Value *Next = B.CreateAdd(I, B.getInt64(1), "i.next", /*HasNUW=*/true,
                            /*HasNSW=*/true);
  I->addIncoming(Next, Loop);
  B.CreateCondBr(B.CreateICmpSLT(Next, Len), Loop, Done);
  B.SetInsertPoint(Done);
  return A;
}

Value *FunctionLowering::emitArrayLit(const kir::Node &N) {
  const kir::Type *AT = N.Ty;
  SmallVector<Value *, 8> Vals;
  for (const kir::Node *O : N.Operands)
    Vals.push_back(emit(*O));
  Value *A = call(RT.ArrayNew,
                  {B.getInt64(Vals.size()),
                   B.getInt64(ML.allocSize(ML.memType(AT->Elem))), line(N)},
                  "array");
  knownLength(A, B.getInt64(Vals.size()));
  if (Vals.empty())
    return A;
  Value *Data = arrayData(A);
  for (unsigned I = 0; I < Vals.size(); ++I)
    storeElem(Data, B.getInt64(I), Vals[I], AT);
  return A;
}

void FunctionLowering::emitArrayPush(const kir::Node &N) {
  const kir::Type *AT = N.operand(0)->Ty;
  Value *A = emit(*N.operand(0));
  Value *V = emit(*N.operand(1));
  Value *Len = arrayLen(A);
  Value *Cap = load(B.getInt64Ty(), B.CreateStructGEP(RT.ArrayTy, A, 1),
                    ML.tbaa("kc_array.cap"), "cap");
  BasicBlock *Grow = newBlock("push.grow");
  BasicBlock *Store = newBlock("push.store");
  B.CreateCondBr(B.CreateICmpEQ(Len, Cap), Grow, Store,
                 ML.MDB.createUnlikelyBranchWeights());
  B.SetInsertPoint(Grow);
  call(RT.ArrayReserveOne, {A, B.getInt64(ML.allocSize(ML.memType(AT->Elem)))});
  B.CreateBr(Store);
  B.SetInsertPoint(Store);
  // The data pointer is read after the possible reallocation.
  storeElem(arrayData(A), Len, V, AT);
  Value *LenPtr = B.CreateStructGEP(RT.ArrayTy, A, 0);
  store(B.CreateAdd(Len, B.getInt64(1), "len.next", /*HasNUW=*/true,
                    /*HasNSW=*/true),
        LenPtr, ML.tbaa("kc_array.len"));
}

Value *FunctionLowering::emitArrayPop(const kir::Node &N) {
  const kir::Type *AT = N.operand(0)->Ty;
  Value *A = emitOperand(N, 0);
  Value *Len = arrayLen(A);
  trapUnless(B.CreateICmpNE(Len, B.getInt64(0)), KC_TRAP_EMPTY_POP, N);
  Value *Last = B.CreateSub(Len, B.getInt64(1), "last", /*HasNUW=*/true,
                            /*HasNSW=*/true);
  Value *V = loadElem(arrayData(A), Last, AT);
  store(Last, B.CreateStructGEP(RT.ArrayTy, A, 0), ML.tbaa("kc_array.len"));
  return V;
}

/// Whether \p A and \p B are the same value whenever both are evaluated in
/// one expression: the same local (nothing in an expression assigns one) or
/// equal constants.
static bool sameValue(const kir::Node &A, const kir::Node &B) {
  if (A.Opcode != B.Opcode)
    return false;
  if (A.Opcode == Op::LocalGet)
    return A.Var == B.Var;
  if (A.Opcode == Op::IntConst)
    return A.IntVal == B.IntVal;
  if (A.Opcode == Op::StrConst)
    return A.StrVal == B.StrVal;
  return false;
}

const kir::Node *FunctionLowering::fusableGet(const kir::Node &Set) {
  // m[k] = f(m.get(k, d)) with m a local: the lookup of the get may insert k
  // with the value d (upsert), and the set then stores into the same slot.
  // That insertion happens between the get and the set instead of at the
  // set, so nothing evaluated after the get may look at any map or call a
  // function (which could); a trap there ends the kernel, and nobody sees
  // the map again. With no other insertion before the store, the slot stays
  // where it is.
  const kir::Node &Map = *Set.operand(0), &Key = *Set.operand(1);
  if (Map.Opcode != Op::LocalGet)
    return nullptr;
  // The get must also run whenever the set does: the slot is the store's
  // address, so a get on the skipped side of && or || (whose block does not
  // dominate the store) cannot be fused.
  const kir::Node *Get = nullptr;
  bool Ok = true;
  unsigned Conditional = 0;
  std::function<void(const kir::Node &)> Visit = [&](const kir::Node &X) {
    if (!Ok)
      return;
    if (X.Opcode == Op::MapGet && !Get && !Conditional &&
        sameValue(*X.operand(0), Map) && sameValue(*X.operand(1), Key)) {
      Get = &X;
      Visit(*X.operand(2));
      return;
    }
    if (X.Opcode == Op::BoolAnd || X.Opcode == Op::BoolOr) {
      Visit(*X.operand(0));
      ++Conditional;
      Visit(*X.operand(1));
      --Conditional;
      return;
    }
    if (X.Opcode == Op::MapGet || X.Opcode == Op::MapAt ||
        X.Opcode == Op::MapHas || X.Opcode == Op::MapLen ||
        X.Opcode == Op::MapNew || X.Opcode == Op::Call) {
      Ok = false;
      return;
    }
    for (const kir::Node *O : X.Operands)
      Visit(*O);
    assert(X.Regions.empty() && "statements inside an expression");
  };
  Visit(*Set.operand(2));
  return Ok ? Get : nullptr;
}

void FunctionLowering::emitMapUpdate(const kir::Node &Set,
                                     const kir::Node &Get) {
  const kir::Type *MT = Set.operand(0)->Ty;
  Value *Map = emit(*Set.operand(0));
  Value *Key = emit(*Set.operand(1));
  Upsert = {&Get, Map, Key, nullptr};
  Value *V = emit(*Set.operand(2));
  assert(Upsert.Slot && "the fused map.get was not emitted");
  storeSlot(Upsert.Slot, V, MT->Elem);
  Upsert = {};
}

Value *FunctionLowering::emitMapLookup(const kir::Node &N) {
  // Key and (for map.get) the default are evaluated before the lookup, in
  // operand order, whether or not the key is present.
  const kir::Type *MT = N.operand(0)->Ty;
  Value *Map = emit(*N.operand(0));
  Value *Key = emit(*N.operand(1));
  Value *Default = nullptr;
  if (N.Opcode == Op::MapGet)
    Default = emit(*N.operand(2));
  if (&N == Upsert.Get) {
    // The key's slot, inserted with the default when absent: its value is
    // what the get returns either way.
    Upsert.Slot =
        call(isStrKeyed(MT) ? RT.MapUpsertStr : RT.MapUpsertInt,
             {Upsert.Map, Upsert.Key, toBits(Default, MT->Elem)}, "slot");
    return loadSlot(Upsert.Slot, MT->Elem);
  }
  Value *Slot =
      call(isStrKeyed(MT) ? RT.MapFindStr : RT.MapFindInt, {Map, Key}, "slot");
  Value *Found = B.CreateIsNotNull(Slot);
  if (N.Opcode == Op::MapHas)
    return Found;
  if (N.Opcode == Op::MapAt) {
    trapUnless(Found, KC_TRAP_MAP_KEY, N);
    return loadSlot(Slot, MT->Elem);
  }
  assert(N.Opcode == Op::MapGet && "map lookup op");
  BasicBlock *From = B.GetInsertBlock();
  BasicBlock *Hit = newBlock("get.hit");
  BasicBlock *Done = newBlock("get.done");
  B.CreateCondBr(Found, Hit, Done);
  B.SetInsertPoint(Hit);
  Value *V = loadSlot(Slot, MT->Elem);
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  PHINode *Phi = B.CreatePHI(V->getType(), 2);
  Phi->addIncoming(V, Hit);
  Phi->addIncoming(Default, From);
  return Phi;
}

void FunctionLowering::emitIf(const kir::Node &N) {
  Value *Cond = emitOperand(N, 0);
  const kir::Block *Then = N.Regions[0];
  const kir::Block *Else = N.Regions.size() > 1 ? N.Regions[1] : nullptr;
  bool HasElse = Else && !Else->Stmts.empty();
  BasicBlock *ThenBB = newBlock("if.then");
  BasicBlock *ElseBB = HasElse ? newBlock("if.else") : nullptr;
  BasicBlock *End = newBlock("if.end");
  B.CreateCondBr(Cond, ThenBB, HasElse ? ElseBB : End);
  B.SetInsertPoint(ThenBB);
  emitBlock(*Then);
  if (!terminated())
    B.CreateBr(End);
  if (HasElse) {
    B.SetInsertPoint(ElseBB);
    emitBlock(*Else);
    if (!terminated())
      B.CreateBr(End);
  }
  continueIn(End);
}

void FunctionLowering::markLoop(BranchInst *BackEdge, const kir::Node &N) {
  // As clang does with -g: a loop ID holding the loop's location, which is
  // where LLVM reports the loop (remarks, LoopInfo) whatever the passes
  // have made of its preheader.
  DISubprogram *SP = F->getSubprogram();
  if (!SP || !N.Loc.Line)
    return;
  LLVMContext &C = Ctx;
  Metadata *Loc = DILocation::get(C, N.Loc.Line, N.Loc.Col, SP);
  MDNode *ID = MDNode::getDistinct(C, {nullptr, Loc});
  ID->replaceOperandWith(0, ID);
  BackEdge->setMetadata(LLVMContext::MD_loop, ID);
}

void FunctionLowering::emitWhile(const kir::Node &N) {
  BasicBlock *Cond = newBlock("while.cond");
  BasicBlock *Body = newBlock("while.body");
  BasicBlock *End = newBlock("while.end");
  B.CreateBr(Cond);
  B.SetInsertPoint(Cond);
  B.CreateCondBr(emitOperand(N, 0), Body, End);
  B.SetInsertPoint(Body);
  Loops.push_back({End, Cond});
  emitBlock(*N.Regions[0]);
  Loops.pop_back();
  if (!terminated())
    markLoop(B.CreateBr(Cond), N);
  continueIn(End);
}

void FunctionLowering::emitCountedLoop(const kir::Node &N, AllocaInst *Counter,
                                       function_ref<Value *(Value *I)> Head,
                                       function_ref<void(Value *I)> Body) {
  BasicBlock *Cond = newBlock("for.cond");
  BasicBlock *BodyBB = newBlock("for.body");
  BasicBlock *Latch = newBlock("for.inc");
  BasicBlock *End = newBlock("for.end");
  B.CreateBr(Cond);
  B.SetInsertPoint(Cond);
  Value *I = B.CreateLoad(B.getInt64Ty(), Counter, "i");
  B.CreateCondBr(Head(I), BodyBB, End);
  B.SetInsertPoint(BodyBB);
  Loops.push_back({End, Latch});
  Body(I);
  Loops.pop_back();
  if (!terminated())
    B.CreateBr(Latch);
  B.SetInsertPoint(Latch);
  if (pred_empty(Latch)) {
    // Every iteration leaves the loop; nothing reaches the increment.
    B.CreateUnreachable();
  } else {
    // i < bound held on entry to the body, so i + 1 cannot overflow.
    Value *J = B.CreateLoad(B.getInt64Ty(), Counter, "i");
    B.CreateStore(B.CreateAdd(J, B.getInt64(1), "i.next", /*HasNUW=*/false,
                              /*HasNSW=*/true),
                  Counter);
    markLoop(B.CreateBr(Cond), N);
  }
  continueIn(End);
}

void FunctionLowering::emitForRange(const kir::Node &N) {
  // lo and hi are evaluated once. A hidden counter drives the loop, so the
  // body sees a fresh copy in the loop variable each iteration.
  Value *Lo = emit(*N.operand(0));
  Value *Hi = emit(*N.operand(1));
  AllocaInst *Counter = hiddenSlot(B.getInt64Ty(), "range.i");
  B.CreateStore(Lo, Counter);
  emitCountedLoop(
      N, Counter, [&](Value *I) { return B.CreateICmpSLT(I, Hi); },
      [&](Value *I) {
        B.CreateStore(I, slot(N.Var));
        emitBlock(*N.Regions[0]);
      });
}

void FunctionLowering::emitForEach(const kir::Node &N) {
  const kir::Type *CT = N.operand(0)->Ty;
  Value *Coll = emitOperand(N, 0);
  AllocaInst *Counter = hiddenSlot(B.getInt64Ty(), "each.i");
  B.CreateStore(B.getInt64(0), Counter);
  if (CT->Kind == TypeKind::Array) {
    // The length is read at every step: the body may push or pop.
    emitCountedLoop(
        N, Counter,
        [&](Value *I) { return B.CreateICmpSLT(I, arrayLen(Coll)); },
        [&](Value *I) {
          B.CreateStore(heapInt(loadElem(arrayData(Coll), I, CT), CT->Elem, N),
                        slot(N.Var));
          emitBlock(*N.Regions[0]);
        });
    return;
  }
  // str and bytes are immutable: one length for the whole loop.
  Value *Len = strLen(Coll);
  emitCountedLoop(
      N, Counter, [&](Value *I) { return B.CreateICmpSLT(I, Len); },
      [&](Value *I) {
        B.CreateStore(strByte(Coll, I, CT->Kind == TypeKind::Str),
                      slot(N.Var));
        emitBlock(*N.Regions[0]);
      });
}

void FunctionLowering::emitForMap(const kir::Node &N) {
  const kir::Type *MT = N.operand(0)->Ty;
  Value *Map = emitOperand(N, 0);
  if (ML.ForMapsWithRemoval.count(&N)) {
    emitForMapKeys(N, Map);
    return;
  }
  // Nothing removes from the map while the loop runs: its positions are
  // the entries in order from the start (once packed), and an insertion
  // shows as a new length.
  call(RT.MapPack, {Map});
  Value *Len0 = call(RT.MapLen, {Map}, "len0");
  AllocaInst *Counter = hiddenSlot(B.getInt64Ty(), "map.i");
  B.CreateStore(B.getInt64(0), Counter);
  emitCountedLoop(
      N, Counter,
      [&](Value *I) {
        // A new key since the loop started traps, checked before every
        // step including the one that ends the loop.
        Value *Len = call(RT.MapLen, {Map}, "len");
        trapUnless(B.CreateICmpEQ(Len, Len0), KC_TRAP_MAP_MODIFIED, N);
        return B.CreateICmpSLT(I, Len0);
      },
      [&](Value *I) {
        Value *Key = call(isStrKeyed(MT) ? RT.MapKeyStrAt : RT.MapKeyIntAt,
                          {Map, I}, "key");
        B.CreateStore(Key, slot(N.Var));
        Value *Bits = call(RT.MapValueAt, {Map, I}, "value");
        B.CreateStore(heapInt(fromBits(Bits, MT->Elem), MT->Elem, N),
                      slot(N.Var2));
        emitBlock(*N.Regions[0]);
      });
}

void FunctionLowering::emitForMapKeys(const kir::Node &N, Value *Map) {
  // The loop may remove from the map: it walks a copy of the keys taken at
  // the start, and looks each one up at its step.
  const kir::Type *MT = N.operand(0)->Ty;
  Value *Keys = call(RT.MapKeys, {Map}, "keys");
  Value *Len0 = arrayLen(Keys);
  Value *Data = arrayData(Keys);
  Type *KeyTy = ML.valueType(MT->Key);
  AllocaInst *Counter = hiddenSlot(B.getInt64Ty(), "map.i");
  B.CreateStore(B.getInt64(0), Counter);
  emitCountedLoop(
      N, Counter,
      [&](Value *I) {
        Value *Len = call(RT.MapLen, {Map}, "len");
        trapUnless(B.CreateICmpEQ(Len, Len0), KC_TRAP_MAP_MODIFIED, N);
        return B.CreateICmpSLT(I, Len0);
      },
      [&](Value *I) {
        LoadInst *Key = load(KeyTy, B.CreateInBoundsGEP(KeyTy, Data, I),
                             ML.tbaa("map keys"), "key");
        annotateRefLoad(Key, MT->Key);
        Value *Slot = call(isStrKeyed(MT) ? RT.MapFindStr : RT.MapFindInt,
                           {Map, Key}, "slot");
        trapUnless(B.CreateIsNotNull(Slot), KC_TRAP_MAP_MODIFIED, N);
        B.CreateStore(Key, slot(N.Var));
        B.CreateStore(heapInt(loadSlot(Slot, MT->Elem), MT->Elem, N),
                      slot(N.Var2));
        emitBlock(*N.Regions[0]);
      });
}

} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

Expected<std::unique_ptr<Module>> lowerToLLVM(const kir::Module &KM,
                                              LLVMContext &Ctx,
                                              const CodegenOptions &Opts,
                                              TargetMachine &TM) {
  if (Error E = kir::verify(KM))
    return E;
  auto M = std::make_unique<Module>(KM.Name, Ctx);
  M->setSourceFileName(KM.Name);
  M->setTargetTriple(TM.getTargetTriple().str());
  M->setDataLayout(TM.createDataLayout());
  if (Error E = ModuleLowering(KM, *M, Opts, TM).run())
    return E;
  std::string Msg;
  raw_string_ostream OS(Msg);
  if (verifyModule(*M, &OS))
    return makeError("kernelc bug: lowered LLVM IR does not verify:\n" +
                     OS.str());
  return M;
}

Expected<std::unique_ptr<Module>> lowerToLLVM(const kir::Module &KM,
                                              LLVMContext &Ctx,
                                              const CodegenOptions &Opts) {
  auto TM = createHostTargetMachine(Opts.OptLevel, Opts.HostCPU);
  if (!TM)
    return TM.takeError();
  return lowerToLLVM(KM, Ctx, Opts, **TM);
}

} // namespace llvmgen
} // namespace kc
