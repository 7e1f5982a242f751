//===- LoweringTest.cpp - Shape of the LLVM IR the back-end produces ------===//
//
// Checks what execution tests cannot see: linkage and names, the verifier at
// every -O level, errors instead of aborts, and that hot loops come out of
// -O2 as clean as hand-written C (no runtime calls, checks hoisted or gone,
// vectorized where C would be).
//
//===----------------------------------------------------------------------===//

#include "KIRBuilder.h"
#include "LLVMBackend.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"
#include "gtest/gtest.h"

using namespace kc;
using namespace kc::kirtest;
using namespace kc::llvmgen;

namespace {

/// Lowers and optimizes \p T at \p OptLevel for the host; fails the test on
/// any error.
std::unique_ptr<llvm::Module> compile(TestModule &T, llvm::LLVMContext &Ctx,
                                      unsigned OptLevel) {
  auto TM = createHostTargetMachine(OptLevel);
  if (!TM) {
    ADD_FAILURE() << llvm::toString(TM.takeError());
    return nullptr;
  }
  CodegenOptions Opts;
  Opts.OptLevel = OptLevel;
  auto M = lowerToLLVM(T.M, Ctx, Opts, **TM);
  if (!M) {
    ADD_FAILURE() << llvm::toString(M.takeError());
    return nullptr;
  }
  if (llvm::Error E = optimizeModule(**M, OptLevel, TM->get())) {
    ADD_FAILURE() << llvm::toString(std::move(E));
    return nullptr;
  }
  EXPECT_FALSE(llvm::verifyModule(**M, &llvm::errs()));
  return std::move(*M);
}

std::string errorOf(TestModule &T) {
  llvm::LLVMContext Ctx;
  auto M = lowerToLLVM(T.M, Ctx, CodegenOptions());
  if (M)
    return "";
  return llvm::toString(M.takeError());
}

unsigned countCallsTo(const llvm::Function &F, llvm::StringRef Callee) {
  unsigned N = 0;
  for (const llvm::BasicBlock &BB : F)
    for (const llvm::Instruction &I : BB)
      if (auto *C = llvm::dyn_cast<llvm::CallBase>(&I))
        if (C->getCalledFunction() &&
            C->getCalledFunction()->getName() == Callee)
          ++N;
  return N;
}

unsigned countCalls(const llvm::Function &F) {
  unsigned N = 0;
  for (const llvm::BasicBlock &BB : F)
    for (const llvm::Instruction &I : BB)
      if (llvm::isa<llvm::CallBase>(&I) && !llvm::isa<llvm::IntrinsicInst>(&I))
        ++N;
  return N;
}

bool hasVectorOps(const llvm::Function &F) {
  for (const llvm::BasicBlock &BB : F)
    for (const llvm::Instruction &I : BB)
      if (I.getType()->isVectorTy())
        return true;
  return false;
}

/// fn sum(a: [T]) -> T { var s = 0; for x in a { s = s + x; } return s; }
void buildArraySum(TestModule &T, kir::Type *Elem, Op Add) {
  kir::Function *F = T.function("sum", {{"a", T.arrayT(Elem)}}, Elem);
  T.setEntry(F);
  FnBuilder B(T, F);
  Node *Init = Elem == T.i32T() ? B.ci32(0) : B.cint(0);
  kir::Local *S = B.var("s", Init);
  B.forEach("x", B.get(B.param(0)),
            [&](kir::Local *X) { B.set(S, B.bin(Add, B.get(S), B.get(X))); });
  B.ret(B.get(S));
}

} // namespace

TEST(LLVMLoweringTest, EntryIsExternalOthersInternal) {
  TestModule T;
  kir::Function *Helper = T.function("helper", {{"x", T.intT()}}, T.intT());
  {
    FnBuilder B(T, Helper);
    B.ret(B.bin(Op::IntAdd, B.get(B.param(0)), B.cint(1)));
  }
  kir::Function *Entry = T.function("kernel", {{"x", T.intT()}}, T.intT());
  T.setEntry(Entry);
  {
    FnBuilder B(T, Entry);
    B.ret(B.call(Helper, {B.get(B.param(0))}));
  }
  llvm::LLVMContext Ctx;
  auto M = compile(T, Ctx, 0);
  ASSERT_TRUE(M);
  ASSERT_TRUE(M->getFunction("kernel"));
  EXPECT_TRUE(M->getFunction("kernel")->hasExternalLinkage());
  ASSERT_TRUE(M->getFunction("helper"));
  EXPECT_TRUE(M->getFunction("helper")->hasInternalLinkage());
  llvm::Function *W = M->getFunction("kc_entry");
  ASSERT_TRUE(W);
  EXPECT_TRUE(W->hasExternalLinkage());
  EXPECT_EQ(W->arg_size(), 2u);
  EXPECT_TRUE(W->getReturnType()->isVoidTy());
}

TEST(LLVMLoweringTest, WithoutEntryEverythingIsExternal) {
  TestModule T;
  for (const char *Name : {"a", "b"}) {
    kir::Function *F = T.function(Name, {}, T.voidT());
    FnBuilder(T, F).ret();
  }
  llvm::LLVMContext Ctx;
  auto M = compile(T, Ctx, 2);
  ASSERT_TRUE(M);
  EXPECT_TRUE(M->getFunction("a")->hasExternalLinkage());
  EXPECT_TRUE(M->getFunction("b")->hasExternalLinkage());
  EXPECT_FALSE(M->getFunction("kc_entry"));
}

TEST(LLVMLoweringTest, NameClashesRenameKernelFunctions) {
  // A kernel function named like a runtime or libm function must not take
  // over that symbol: the kernel's own function is the one renamed.
  TestModule T;
  kir::Function *Alloc = T.function("kc_alloc", {}, T.intT());
  FnBuilder(T, Alloc).ret(FnBuilder(T, Alloc).cint(1));
  kir::Function *Floor = T.function("floor", {{"x", T.f64T()}}, T.f64T());
  {
    FnBuilder B(T, Floor);
    B.ret(B.get(B.param(0)));
  }
  kir::Function *Entry = T.function("kernel", {{"x", T.f64T()}}, T.f64T());
  T.setEntry(Entry);
  {
    FnBuilder B(T, Entry);
    // floor(x) (the kernel's) + the builtin floor + kc_alloc()
    Node *Mine = B.call(Floor, {B.get(B.param(0))});
    Node *Builtin = B.un(Op::F64Floor, B.get(B.param(0)));
    Node *One = B.conv(Op::IntToF64, T.f64T(), B.call(Alloc, {}));
    B.ret(B.bin(Op::F64Add, B.bin(Op::F64Add, Mine, Builtin), One));
  }
  llvm::LLVMContext Ctx;
  auto M = compile(T, Ctx, 0);
  ASSERT_TRUE(M);
  llvm::Function *RT = M->getFunction("kc_alloc");
  ASSERT_TRUE(RT);
  EXPECT_TRUE(RT->isDeclaration());
  EXPECT_TRUE(M->getFunction("floor.kc"));
  EXPECT_FALSE(M->getFunction("floor"));

  auto K = JITKernel::create(T.M, CodegenOptions());
  ASSERT_TRUE(bool(K)) << llvm::toString(K.takeError());
  auto Fn = (*K)->lookup("kernel");
  ASSERT_TRUE(bool(Fn)) << llvm::toString(Fn.takeError());
  auto Kernel = reinterpret_cast<double (*)(double)>(*Fn);
  EXPECT_EQ(Kernel(2.5), 2.5 + 2.0 + 1.0);
}

TEST(LLVMLoweringTest, EntryWithReservedNameIsAnError) {
  for (const char *Name : {"kc_alloc", "kc_entry", "memcpy"}) {
    TestModule T;
    kir::Function *F = T.function(Name, {}, T.voidT());
    T.setEntry(F);
    FnBuilder(T, F).ret();
    EXPECT_NE(errorOf(T).find(Name), std::string::npos) << Name;
  }
}

TEST(LLVMLoweringTest, InvalidKIRIsAnErrorNotACrash) {
  TestModule T;
  kir::Function *F = T.function("f", {}, T.intT());
  FnBuilder B(T, F);
  B.ret(B.cf64(1.0)); // returns f64 from an int function
  EXPECT_NE(errorOf(T).find("KIR verifier failed"), std::string::npos);
}

TEST(LLVMLoweringTest, BadOptLevelIsAnError) {
  auto TM = createHostTargetMachine(4);
  EXPECT_FALSE(bool(TM));
  llvm::consumeError(TM.takeError());
  llvm::LLVMContext Ctx;
  llvm::Module M("m", Ctx);
  llvm::Error E = optimizeModule(M, 7, nullptr);
  EXPECT_TRUE(bool(E));
  llvm::consumeError(std::move(E));
}

TEST(LLVMLoweringTest, EveryOptLevelVerifies) {
  // A kernel touching most ops; lowerToLLVM and optimizeModule verify.
  for (unsigned Opt : {0u, 1u, 2u, 3u}) {
    TestModule T;
    kir::RecordDecl *R = T.record("P", {{"x", T.f64T()}, {"ok", T.boolT()}});
    kir::Type *PT = T.C.getRecord(R);
    kir::Function *F = T.function(
        "k", {{"s", T.strT()}, {"n", T.intT()}, {"f", T.f64T()}}, T.u32T());
    T.setEntry(F);
    FnBuilder B(T, F);
    kir::Local *M = B.var("m", B.node(Op::MapNew, T.mapT(T.strT(), PT)), false);
    kir::Local *A = B.var("a",
                          B.node(Op::ArrayNew, T.arrayT(T.u32T()),
                                 {B.get(B.param(1)), B.cu32(7)}),
                          false);
    kir::Local *H = B.var("h", B.cu32(1));
    B.forEach("c", B.get(B.param(0)), [&](kir::Local *C) {
      B.set(H, B.bin(Op::U32Add, B.bin(Op::U32Shl, B.get(H), B.cu32(5)),
                     B.conv(Op::IntToU32, T.u32T(), B.get(C))));
      B.stmt(B.node(
          Op::MapSet, T.voidT(),
          {B.get(M), B.node(Op::StrFromCode, T.strT(), {B.get(C)}),
           B.node(Op::RecordNew, PT,
                  {B.conv(Op::IntToF64, T.f64T(), B.get(C)), B.cbool(true)})}));
    });
    B.forMap(B.get(M), [&](kir::Local *Key, kir::Local *V) {
      B.ifElse(B.field(B.get(V), 1), [&] {
        B.set(H, B.bin(Op::U32Xor, B.get(H),
                       B.conv(Op::F64ToU32, T.u32T(),
                              B.un(Op::F64Sqrt, B.field(B.get(V), 0)))));
      });
      B.eval(B.node(Op::StrLen, T.intT(), {B.get(Key)}));
    });
    B.forRange("i", B.cint(0), B.node(Op::ArrayLen, T.intT(), {B.get(A)}),
               [&](kir::Local *I) {
                 B.stmt(B.node(Op::ArraySet, T.voidT(),
                               {B.get(A), B.get(I),
                                B.bin(Op::U32Mul, B.get(H),
                                      B.node(Op::ArrayGet, T.u32T(),
                                             {B.get(A), B.get(I)}))}));
               });
    B.whileLoop(B.cmp(Op::F64Cmp, Pred::Lt, B.get(B.param(2)), B.cf64(0.0)),
                [&] { B.brk(); });
    B.ret(B.bin(Op::U32Div, B.get(H), B.cu32(3)));
    llvm::LLVMContext Ctx;
    EXPECT_TRUE(compile(T, Ctx, Opt)) << "-O" << Opt;
  }
}

TEST(LLVMLoweringTest, Fnv1aHotLoopHasNoCalls) {
  // for b in data { h = (h ^ u32(b)) * 16777619 } must be a plain byte loop.
  TestModule T;
  kir::Function *F = T.function("fnv1a", {{"data", T.bytesT()}}, T.u32T());
  T.setEntry(F);
  FnBuilder B(T, F);
  kir::Local *H = B.var("h", B.cu32(2166136261u));
  B.forEach("b", B.get(B.param(0)), [&](kir::Local *Byte) {
    B.set(H, B.bin(Op::U32Mul,
                   B.bin(Op::U32Xor, B.get(H),
                         B.conv(Op::IntToU32, T.u32T(), B.get(Byte))),
                   B.cu32(16777619u)));
  });
  B.ret(B.get(H));
  llvm::LLVMContext Ctx;
  auto M = compile(T, Ctx, 2);
  ASSERT_TRUE(M);
  llvm::Function *Fn = M->getFunction("fnv1a");
  ASSERT_TRUE(Fn);
  EXPECT_EQ(countCalls(*Fn), 0u);
  // Compiled for the same CPU as `clang-19 -O2` (no -march) would.
  if (llvm::Triple(M->getTargetTriple()).getArch() == llvm::Triple::x86_64) {
    EXPECT_EQ(Fn->getFnAttribute("target-cpu").getValueAsString(), "x86-64");
    EXPECT_EQ(Fn->getFnAttribute("tune-cpu").getValueAsString(), "generic");
  }
}

TEST(LLVMLoweringTest, IndexedLoopLosesItsBoundsCheck) {
  // for i in 0..len(a) { s = s + a[i]; }: the check i < len(a) is implied by
  // the loop condition, so -O2 removes it and vectorizes, as for C.
  TestModule T;
  kir::Type *Arr = T.arrayT(T.i32T());
  kir::Function *F = T.function("sum", {{"a", Arr}}, T.i32T());
  T.setEntry(F);
  FnBuilder B(T, F);
  kir::Local *S = B.var("s", B.ci32(0));
  B.forRange("i", B.cint(0),
             B.node(Op::ArrayLen, T.intT(), {B.get(B.param(0))}),
             [&](kir::Local *I) {
               B.set(S, B.bin(Op::I32Add, B.get(S),
                              B.node(Op::ArrayGet, T.i32T(),
                                     {B.get(B.param(0)), B.get(I)})));
             });
  B.ret(B.get(S));
  llvm::LLVMContext Ctx;
  auto M = compile(T, Ctx, 2);
  ASSERT_TRUE(M);
  llvm::Function *Fn = M->getFunction("sum");
  EXPECT_EQ(countCallsTo(*Fn, "kc_trap"), 0u);
  EXPECT_TRUE(hasVectorOps(*Fn));
}

TEST(LLVMLoweringTest, ForEachOverArrayVectorizes) {
  // The length is re-read every step, but nothing in the body can change
  // it, so LLVM hoists it (TBAA separates header and elements) and
  // vectorizes the reduction.
  for (bool Wide : {false, true}) {
    TestModule T;
    if (Wide)
      buildArraySum(T, T.intT(), Op::IntAdd);
    else
      buildArraySum(T, T.i32T(), Op::I32Add);
    llvm::LLVMContext Ctx;
    auto M = compile(T, Ctx, 2);
    ASSERT_TRUE(M);
    llvm::Function *Fn = M->getFunction("sum");
    EXPECT_EQ(countCalls(*Fn), 0u);
    EXPECT_TRUE(hasVectorOps(*Fn)) << (Wide ? "[int]" : "[i32]");
  }
}

TEST(LLVMLoweringTest, ConstantDivisorNeedsNoCheck) {
  TestModule T;
  kir::Function *F = T.function("f", {{"a", T.i32T()}}, T.i32T());
  FnBuilder B(T, F);
  B.ret(B.bin(Op::I32Div, B.get(B.param(0)), B.ci32(7)));
  llvm::LLVMContext Ctx;
  auto M = compile(T, Ctx, 0); // even at -O0
  ASSERT_TRUE(M);
  EXPECT_EQ(countCallsTo(*M->getFunction("f"), "kc_trap"), 0u);
}

TEST(LLVMLoweringTest, StringConstantsAreSharedAndImmutable) {
  TestModule T;
  kir::Function *F = T.function("f", {}, T.boolT());
  FnBuilder B(T, F);
  B.ret(B.cmp(Op::StrCmp, Pred::Eq, B.cstr("abc"), B.cstr("abc")));
  llvm::LLVMContext Ctx;
  auto M = compile(T, Ctx, 0);
  ASSERT_TRUE(M);
  unsigned Strings = 0;
  for (const llvm::GlobalVariable &GV : M->globals()) {
    ++Strings;
    EXPECT_TRUE(GV.isConstant());
    EXPECT_TRUE(GV.hasPrivateLinkage());
  }
  EXPECT_EQ(Strings, 1u);
}

TEST(LLVMLoweringTest, EmitsObjectAndAssembly) {
  TestModule T;
  kir::Function *F = T.function("answer", {}, T.intT());
  T.setEntry(F);
  FnBuilder(T, F).ret(FnBuilder(T, F).cint(42));
  for (bool Asm : {true, false}) {
    auto TM = createHostTargetMachine(2);
    ASSERT_TRUE(bool(TM)) << llvm::toString(TM.takeError());
    llvm::LLVMContext Ctx;
    auto M = lowerToLLVM(T.M, Ctx, CodegenOptions(), **TM);
    ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
    ASSERT_FALSE(bool(optimizeModule(**M, 2, TM->get())));
    llvm::SmallString<4096> Buf;
    llvm::raw_svector_ostream OS(Buf);
    llvm::Error E = emitObjectOrAssembly(**M, **TM, OS, Asm);
    ASSERT_FALSE(bool(E)) << llvm::toString(std::move(E));
    llvm::StringRef Out = Buf.str();
    if (Asm) {
      EXPECT_NE(Out.find("answer:"), llvm::StringRef::npos);
      EXPECT_NE(Out.find("kc_entry:"), llvm::StringRef::npos);
    } else {
      EXPECT_TRUE(Out.starts_with("\x7f"
                                  "ELF")); // the host is ELF (Linux)
    }
  }
}

TEST(LLVMLoweringTest, HostCPUOption) {
  TestModule T;
  kir::Function *F = T.function("f", {}, T.voidT());
  FnBuilder(T, F).ret();
  auto TM = createHostTargetMachine(2, /*UseHostCPU=*/true);
  ASSERT_TRUE(bool(TM)) << llvm::toString(TM.takeError());
  CodegenOptions Opts;
  Opts.HostCPU = true;
  llvm::LLVMContext Ctx;
  auto M = lowerToLLVM(T.M, Ctx, Opts, **TM);
  ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
  llvm::Function *Fn = (*M)->getFunction("f");
  EXPECT_EQ(Fn->getFnAttribute("target-cpu").getValueAsString(),
            (*TM)->getTargetCPU());
}
