//===- JITTest.cpp - Run lowered KIR in process and check the results -----===//
//
// Each kernel is built by hand in KIR, JIT-compiled at -O0 and -O2, and run
// through kc_entry / kc_invoke as the native runner does. Expected values come
// from the op's definition in ir/Ops.def or from a plain C++ reference here,
// never from the back-end under test.
//
//===----------------------------------------------------------------------===//

#include "KIRBuilder.h"
#include "LLVMBackend.h"
#include "runtimes/native/kcrt.h"
#include "llvm/Support/Error.h"
#include "gtest/gtest.h"
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

using namespace kc;
using namespace kc::kirtest;
using kc::llvmgen::CodegenOptions;
using kc::llvmgen::JITKernel;

namespace {

const unsigned OptLevels[] = {0, 2};

std::unique_ptr<JITKernel> jit(TestModule &T, unsigned OptLevel) {
  CodegenOptions Opts;
  Opts.OptLevel = OptLevel;
  auto K = JITKernel::create(T.M, Opts);
  if (!K) {
    ADD_FAILURE() << "-O" << OptLevel << ": " << llvm::toString(K.takeError());
    return nullptr;
  }
  return std::move(*K);
}

/// What kc_invoke reported: 0 or the trap kind + 1, and the trap's line.
struct Outcome {
  int32_t Trap = 0;
  int32_t Line = 0;
  bool trapped(int Kind) const { return Trap == Kind + 1; }
};

/// Calls the entry with the given arguments (each passed by address, in its
/// C type) through kc_invoke, storing the result in *Ret.
template <typename R, typename... As>
Outcome invoke(JITKernel &K, R *Ret, As... Args) {
  void *Ptrs[] = {static_cast<void *>(&Args)..., nullptr};
  Outcome O;
  O.Trap = kc_invoke(K.entry(), Ptrs, Ret, &O.Line);
  return O;
}

template <typename Fn> Fn lookupFn(JITKernel &K, const char *Name) {
  auto Addr = K.lookup(Name);
  if (!Addr) {
    ADD_FAILURE() << llvm::toString(Addr.takeError());
    return nullptr;
  }
  return reinterpret_cast<Fn>(*Addr);
}

kc_str *makeStr(const std::string &S) {
  return kc_str_from(S.data(), static_cast<int64_t>(S.size()));
}

template <typename T> kc_array *makeArray(const std::vector<T> &Vals) {
  kc_array *A = kc_array_new(static_cast<int64_t>(Vals.size()), sizeof(T), 0);
  if (!Vals.empty())
    std::memcpy(A->data, Vals.data(), Vals.size() * sizeof(T));
  return A;
}

uint32_t referenceFnv1a(const std::string &S) {
  uint32_t H = 2166136261u;
  for (unsigned char C : S)
    H = (H ^ C) * 16777619u;
  return H;
}

/// fn fnv1a(data: bytes) -> u32, the language reference's first example.
void buildFnv1a(TestModule &T) {
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
}

} // namespace

TEST(LLVMJITTest, Fnv1aOverBytes) {
  std::string Random;
  uint32_t X = 12345;
  for (int I = 0; I < 1000; ++I) {
    X = X * 1103515245u + 12345u;
    Random.push_back(static_cast<char>(X >> 16));
  }
  for (unsigned Opt : OptLevels) {
    TestModule T;
    buildFnv1a(T);
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    ASSERT_NE(K->entry(), nullptr);
    // Published FNV-1a 32-bit test vectors, then the C++ reference.
    for (auto [Text, Want] : std::vector<std::pair<std::string, uint32_t>>{
             {"", 0x811c9dc5u},
             {"a", 0xe40c292cu},
             {"foobar", 0xbf9cf968u},
             {Random, referenceFnv1a(Random)}}) {
      uint32_t Got = 0;
      Outcome O = invoke(*K, &Got, makeStr(Text));
      EXPECT_EQ(O.Trap, 0);
      EXPECT_EQ(Got, Want) << "-O" << Opt << " on " << Text.size() << " bytes";
    }
    // The entry is also callable directly with the C ABI.
    auto Fn = lookupFn<uint32_t (*)(kc_str *)>(*K, "fnv1a");
    ASSERT_TRUE(Fn);
    EXPECT_EQ(Fn(makeStr("foobar")), 0xbf9cf968u);
  }
}

TEST(LLVMJITTest, HostCPUCodeComputesTheSame) {
  TestModule T;
  buildFnv1a(T);
  CodegenOptions Opts;
  Opts.HostCPU = true;
  auto K = JITKernel::create(T.M, Opts);
  ASSERT_TRUE(bool(K)) << llvm::toString(K.takeError());
  uint32_t Got = 0;
  EXPECT_EQ(invoke(**K, &Got, makeStr("foobar")).Trap, 0);
  EXPECT_EQ(Got, 0xbf9cf968u);
}

TEST(LLVMJITTest, IntegerDivisionAndRemainder) {
  for (unsigned Opt : OptLevels) {
    TestModule T; // no entry: every function is external and callable
    struct {
      const char *Name;
      Op O;
      kir::Type *Ty;
    } Ops[] = {
        {"i32div", Op::I32Div, T.i32T()}, {"i32rem", Op::I32Rem, T.i32T()},
        {"u32div", Op::U32Div, T.u32T()}, {"u32rem", Op::U32Rem, T.u32T()},
        {"intdiv", Op::IntDiv, T.intT()}, {"intrem", Op::IntRem, T.intT()}};
    for (const auto &D : Ops) {
      kir::Function *F = T.function(D.Name, {{"a", D.Ty}, {"b", D.Ty}}, D.Ty);
      FnBuilder B(T, F);
      B.ret(B.bin(D.O, B.get(B.param(0)), B.get(B.param(1))));
    }
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    EXPECT_EQ(K->entry(), nullptr);
    auto I32Div = lookupFn<int32_t (*)(int32_t, int32_t)>(*K, "i32div");
    auto I32Rem = lookupFn<int32_t (*)(int32_t, int32_t)>(*K, "i32rem");
    auto U32Div = lookupFn<uint32_t (*)(uint32_t, uint32_t)>(*K, "u32div");
    auto U32Rem = lookupFn<uint32_t (*)(uint32_t, uint32_t)>(*K, "u32rem");
    auto IntDiv = lookupFn<int64_t (*)(int64_t, int64_t)>(*K, "intdiv");
    auto IntRem = lookupFn<int64_t (*)(int64_t, int64_t)>(*K, "intrem");
    ASSERT_TRUE(I32Div && I32Rem && U32Div && U32Rem && IntDiv && IntRem);
    const int32_t Min = std::numeric_limits<int32_t>::min();
    // Truncation toward zero, remainder with the dividend's sign.
    EXPECT_EQ(I32Div(7, -2), -3);
    EXPECT_EQ(I32Div(-7, 2), -3);
    EXPECT_EQ(I32Rem(-7, 2), -1);
    EXPECT_EQ(I32Rem(7, -2), 1);
    // MIN / -1 == MIN and MIN % -1 == 0 (no hardware fault, no UB).
    EXPECT_EQ(I32Div(Min, -1), Min);
    EXPECT_EQ(I32Rem(Min, -1), 0);
    EXPECT_EQ(I32Div(Min, 1), Min);
    EXPECT_EQ(U32Div(0xffffffffu, 2), 0x7fffffffu);
    EXPECT_EQ(U32Rem(0xffffffffu, 10), 5u);
    EXPECT_EQ(IntDiv(-9007199254740992, 3), -3002399751580330);
    EXPECT_EQ(IntRem(-9007199254740992, 7), -9007199254740992 % 7);
    const int64_t Min64 = std::numeric_limits<int64_t>::min();
    EXPECT_EQ(IntDiv(Min64, -1), Min64);
    EXPECT_EQ(IntRem(Min64, -1), 0);
  }
}

TEST(LLVMJITTest, DivisionByZeroTrapsWithLine) {
  for (unsigned Opt : OptLevels) {
    for (Op O : {Op::I32Div, Op::I32Rem, Op::U32Div, Op::U32Rem, Op::IntDiv,
                 Op::IntRem}) {
      TestModule T;
      kir::Type *Ty = (O == Op::IntDiv || O == Op::IntRem)   ? T.intT()
                      : (O == Op::U32Div || O == Op::U32Rem) ? T.u32T()
                                                             : T.i32T();
      kir::Function *F = T.function("div", {{"a", Ty}, {"b", Ty}}, Ty);
      T.setEntry(F);
      FnBuilder B(T, F);
      B.at(42).ret(B.bin(O, B.get(B.param(0)), B.get(B.param(1))));
      auto K = jit(T, Opt);
      ASSERT_TRUE(K);
      int64_t Ret = 0;
      Outcome Ok = Ty == T.intT() ? invoke(*K, &Ret, int64_t(9), int64_t(2))
                                  : invoke(*K, &Ret, int32_t(9), int32_t(2));
      EXPECT_EQ(Ok.Trap, 0);
      Outcome Bad = Ty == T.intT() ? invoke(*K, &Ret, int64_t(9), int64_t(0))
                                   : invoke(*K, &Ret, int32_t(9), int32_t(0));
      EXPECT_TRUE(Bad.trapped(KC_TRAP_DIV_ZERO)) << Bad.Trap;
      EXPECT_EQ(Bad.Line, 42);
    }
  }
}

TEST(LLVMJITTest, ShiftsMaskTheCount) {
  for (unsigned Opt : OptLevels) {
    TestModule T;
    for (auto [Name, O, Ty] : {std::tuple{"shl", Op::I32Shl, T.i32T()},
                               std::tuple{"shr", Op::I32Shr, T.i32T()},
                               std::tuple{"ushl", Op::U32Shl, T.u32T()},
                               std::tuple{"ushr", Op::U32Shr, T.u32T()}}) {
      kir::Function *F = T.function(Name, {{"a", Ty}, {"b", Ty}}, Ty);
      FnBuilder B(T, F);
      B.ret(B.bin(O, B.get(B.param(0)), B.get(B.param(1))));
    }
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    auto Shl = lookupFn<int32_t (*)(int32_t, int32_t)>(*K, "shl");
    auto Shr = lookupFn<int32_t (*)(int32_t, int32_t)>(*K, "shr");
    auto UShl = lookupFn<uint32_t (*)(uint32_t, uint32_t)>(*K, "ushl");
    auto UShr = lookupFn<uint32_t (*)(uint32_t, uint32_t)>(*K, "ushr");
    EXPECT_EQ(Shl(1, 33), 2);
    EXPECT_EQ(Shl(1, 31), std::numeric_limits<int32_t>::min());
    EXPECT_EQ(Shr(-8, 1), -4);
    EXPECT_EQ(Shr(-8, 32), -8);
    EXPECT_EQ(Shr(-1, -1), -1); // count -1 & 31 == 31
    EXPECT_EQ(UShl(0xffffffffu, 4), 0xfffffff0u);
    EXPECT_EQ(UShr(0x80000000u, 31), 1u);
    EXPECT_EQ(UShr(0x80000000u, 63), 1u);
  }
}

TEST(LLVMJITTest, FloatToIntConversionsTrapOutOfRange) {
  struct Case {
    double In;
    bool Traps;
    int64_t Want;
  };
  const double Inf = std::numeric_limits<double>::infinity();
  const double NaN = std::numeric_limits<double>::quiet_NaN();
  const double P53 = 9007199254740992.0;
  struct {
    Op O;
    std::vector<Case> Cases;
  } Convs[] = {
      {Op::F64ToI32,
       {{2147483647.9, false, 2147483647},
        {-2147483648.9, false, -2147483648LL},
        {-0.5, false, 0},
        {1e9 + 0.75, false, 1000000000},
        {2147483648.0, true, 0},
        {-2147483649.0, true, 0},
        {NaN, true, 0},
        {Inf, true, 0},
        {-Inf, true, 0}}},
      {Op::F64ToU32,
       {{4294967295.5, false, 4294967295LL},
        {-0.9, false, 0},
        {3.99, false, 3},
        {-1.0, true, 0},
        {4294967296.0, true, 0},
        {NaN, true, 0}}},
      {Op::F64ToInt,
       {{P53, false, 9007199254740992LL},
        {-P53, false, -9007199254740992LL},
        {-123.75, false, -123},
        {P53 + 2, true, 0},
        {-(P53 + 2), true, 0},
        {Inf, true, 0},
        {NaN, true, 0}}},
  };
  for (unsigned Opt : OptLevels) {
    for (const auto &Conv : Convs) {
      TestModule T;
      kir::Type *To = Conv.O == Op::F64ToInt   ? T.intT()
                      : Conv.O == Op::F64ToU32 ? T.u32T()
                                               : T.i32T();
      kir::Function *F = T.function("conv", {{"x", T.f64T()}}, To);
      T.setEntry(F);
      FnBuilder B(T, F);
      B.at(9).ret(B.conv(Conv.O, To, B.get(B.param(0))));
      auto K = jit(T, Opt);
      ASSERT_TRUE(K);
      for (const Case &C : Conv.Cases) {
        int64_t Got = 0; // i32/u32 results fill the low 4 bytes
        Outcome O = invoke(*K, &Got, C.In);
        if (C.Traps) {
          EXPECT_TRUE(O.trapped(KC_TRAP_CONVERSION)) << C.In;
          EXPECT_EQ(O.Line, 9);
          continue;
        }
        EXPECT_EQ(O.Trap, 0) << C.In;
        if (Conv.O == Op::F64ToInt)
          EXPECT_EQ(Got, C.Want) << C.In;
        else if (Conv.O == Op::F64ToU32)
          EXPECT_EQ(static_cast<uint32_t>(Got), static_cast<uint32_t>(C.Want))
              << C.In;
        else
          EXPECT_EQ(static_cast<int32_t>(Got), static_cast<int32_t>(C.Want))
              << C.In;
      }
    }
  }
}

TEST(LLVMJITTest, NumericHelpers) {
  for (unsigned Opt : OptLevels) {
    TestModule T;
    for (auto [Name, O, Ty] : {std::tuple{"min_f", Op::NumMin, T.f64T()},
                               std::tuple{"max_f", Op::NumMax, T.f64T()},
                               std::tuple{"imin", Op::NumMin, T.i32T()},
                               std::tuple{"umax", Op::NumMax, T.u32T()}}) {
      kir::Function *F = T.function(Name, {{"a", Ty}, {"b", Ty}}, Ty);
      FnBuilder B(T, F);
      B.ret(B.bin(O, B.get(B.param(0)), B.get(B.param(1))));
    }
    for (auto [Name, Ty] :
         {std::pair{"abs_f", T.f64T()}, std::pair{"iabs", T.i32T()},
          std::pair{"nabs", T.intT()}}) {
      kir::Function *F = T.function(Name, {{"a", Ty}}, Ty);
      FnBuilder B(T, F);
      B.ret(B.un(Op::NumAbs, B.get(B.param(0))));
    }
    for (auto [Name, O] :
         {std::pair{"sqrt_", Op::F64Sqrt}, std::pair{"floor_", Op::F64Floor},
          std::pair{"neg", Op::F64Neg}}) {
      kir::Function *F = T.function(Name, {{"a", T.f64T()}}, T.f64T());
      FnBuilder B(T, F);
      B.ret(B.un(O, B.get(B.param(0))));
    }
    kir::Function *Rem =
        T.function("frem", {{"a", T.f64T()}, {"b", T.f64T()}}, T.f64T());
    {
      FnBuilder B(T, Rem);
      B.ret(B.bin(Op::F64Rem, B.get(B.param(0)), B.get(B.param(1))));
    }
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    const double NaN = std::numeric_limits<double>::quiet_NaN();
    auto FMin = lookupFn<double (*)(double, double)>(*K, "min_f");
    auto FMax = lookupFn<double (*)(double, double)>(*K, "max_f");
    auto IMin = lookupFn<int32_t (*)(int32_t, int32_t)>(*K, "imin");
    auto UMax = lookupFn<uint32_t (*)(uint32_t, uint32_t)>(*K, "umax");
    auto FAbs = lookupFn<double (*)(double)>(*K, "abs_f");
    auto IAbs = lookupFn<int32_t (*)(int32_t)>(*K, "iabs");
    auto NAbs = lookupFn<int64_t (*)(int64_t)>(*K, "nabs");
    auto Sqrt = lookupFn<double (*)(double)>(*K, "sqrt_");
    auto Floor = lookupFn<double (*)(double)>(*K, "floor_");
    auto Neg = lookupFn<double (*)(double)>(*K, "neg");
    auto FRem = lookupFn<double (*)(double, double)>(*K, "frem");
    // min: b < a ? b : a, so a NaN first operand wins and a NaN second loses.
    EXPECT_TRUE(std::isnan(FMin(NaN, 1.0)));
    EXPECT_EQ(FMin(1.0, NaN), 1.0);
    EXPECT_EQ(FMin(2.0, -3.0), -3.0);
    EXPECT_TRUE(std::isnan(FMax(NaN, 1.0)));
    EXPECT_EQ(FMax(1.0, NaN), 1.0);
    EXPECT_EQ(IMin(-5, 3), -5);
    EXPECT_EQ(UMax(1u, 0xffffffffu), 0xffffffffu); // unsigned compare
    EXPECT_EQ(FAbs(-2.5), 2.5);
    EXPECT_FALSE(std::signbit(FAbs(-0.0))); // documented: abs(-0.0) == +0.0
    EXPECT_EQ(IAbs(std::numeric_limits<int32_t>::min()),
              std::numeric_limits<int32_t>::min()); // wraps
    EXPECT_EQ(IAbs(-7), 7);
    EXPECT_EQ(NAbs(-9007199254740992), 9007199254740992);
    EXPECT_EQ(Sqrt(2.0), std::sqrt(2.0));
    EXPECT_EQ(Floor(-1.5), -2.0);
    EXPECT_TRUE(std::signbit(Neg(0.0)));
    EXPECT_EQ(FRem(-7.5, 2.0), std::fmod(-7.5, 2.0));
  }
}

TEST(LLVMJITTest, CheckSafeTrapsOutsideTheSafeRange) {
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::Function *F =
        T.function("mul", {{"a", T.intT()}, {"b", T.intT()}}, T.intT());
    T.setEntry(F);
    FnBuilder B(T, F);
    B.at(3).ret(B.un(Op::IntCheckSafe,
                     B.bin(Op::IntMul, B.get(B.param(0)), B.get(B.param(1)))));
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    int64_t Got = 0;
    EXPECT_EQ(invoke(*K, &Got, int64_t(1) << 26, int64_t(1) << 27).Trap, 0);
    EXPECT_EQ(Got, int64_t(1) << 53);
    EXPECT_EQ(invoke(*K, &Got, -(int64_t(1) << 26), int64_t(1) << 27).Trap, 0);
    EXPECT_EQ(Got, -(int64_t(1) << 53));
    Outcome O = invoke(*K, &Got, (int64_t(1) << 53) + 1, int64_t(1));
    EXPECT_TRUE(O.trapped(KC_TRAP_UNSAFE_INT));
    EXPECT_EQ(O.Line, 3);
    // Wrapping past 2^63 is still caught (the product is computed mod 2^64).
    EXPECT_TRUE(invoke(*K, &Got, int64_t(3), int64_t(1) << 62)
                    .trapped(KC_TRAP_UNSAFE_INT));
    // The true product is checked, not its value mod 2^64: 2^40 * 2^30 and
    // 2^53 * 2^53 wrap to 0 but overflow.
    EXPECT_TRUE(invoke(*K, &Got, int64_t(1) << 40, int64_t(1) << 30)
                    .trapped(KC_TRAP_UNSAFE_INT));
    EXPECT_TRUE(invoke(*K, &Got, int64_t(1) << 53, int64_t(1) << 53)
                    .trapped(KC_TRAP_UNSAFE_INT));
  }
}

TEST(LLVMJITTest, ShortCircuitSkipsTheRightOperand) {
  // fn f(a: i32, b: i32) -> bool { return b != 0 && a / b > 1; }
  // and the same with ||: the division by zero must never run.
  for (unsigned Opt : OptLevels) {
    for (bool IsAnd : {true, false}) {
      TestModule T;
      kir::Function *F =
          T.function("f", {{"a", T.i32T()}, {"b", T.i32T()}}, T.boolT());
      T.setEntry(F);
      FnBuilder B(T, F);
      Node *BZero = B.cmp(Op::I32Cmp, IsAnd ? Pred::Ne : Pred::Eq,
                          B.get(B.param(1)), B.ci32(0));
      Node *Div = B.cmp(Op::I32Cmp, Pred::Gt,
                        B.bin(Op::I32Div, B.get(B.param(0)), B.get(B.param(1))),
                        B.ci32(1));
      B.ret(B.node(IsAnd ? Op::BoolAnd : Op::BoolOr, T.boolT(), {BZero, Div}));
      auto K = jit(T, Opt);
      ASSERT_TRUE(K);
      uint8_t Got = 7;
      EXPECT_EQ(invoke(*K, &Got, int32_t(10), int32_t(0)).Trap, 0);
      EXPECT_EQ(Got, IsAnd ? 0 : 1);
      EXPECT_EQ(invoke(*K, &Got, int32_t(10), int32_t(3)).Trap, 0);
      EXPECT_EQ(Got, 1);
      EXPECT_EQ(invoke(*K, &Got, int32_t(1), int32_t(3)).Trap, 0);
      EXPECT_EQ(Got, 0);
    }
  }
}

TEST(LLVMJITTest, ArrayPushGrowthPopAndBounds) {
  // fn f(n: int, i: int) -> int {
  //   let a: [int] = [];
  //   for k in 0..n { a.push(k * k); }
  //   var s = 0;
  //   for x in a { s = s + x; }
  //   let last = a.pop();
  //   return s * 1000 + last + len(a) * 0 + a[i];
  // }
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::Type *IntArr = T.arrayT(T.intT());
    kir::Function *F =
        T.function("f", {{"n", T.intT()}, {"i", T.intT()}}, T.intT());
    T.setEntry(F);
    FnBuilder B(T, F);
    kir::Local *A = B.var("a", B.node(Op::ArrayLit, IntArr), false);
    B.forRange("k", B.cint(0), B.get(B.param(0)), [&](kir::Local *K) {
      B.at(5).stmt(B.node(Op::ArrayPush, T.voidT(),
                          {B.get(A), B.bin(Op::IntMul, B.get(K), B.get(K))}));
    });
    kir::Local *S = B.var("s", B.cint(0));
    B.forEach("x", B.get(A), [&](kir::Local *X) {
      B.set(S, B.bin(Op::IntAdd, B.get(S), B.get(X)));
    });
    kir::Local *Last =
        B.at(7).var("last", B.node(Op::ArrayPop, T.intT(), {B.get(A)}), false);
    Node *Elem =
        B.at(8).node(Op::ArrayGet, T.intT(), {B.get(A), B.get(B.param(1))});
    B.ret(B.bin(Op::IntAdd,
                B.bin(Op::IntAdd, B.bin(Op::IntMul, B.get(S), B.cint(1000)),
                      B.get(Last)),
                Elem));
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    for (int64_t N : {1, 3, 4, 5, 100, 1000}) {
      int64_t Sum = 0;
      for (int64_t I = 0; I < N; ++I)
        Sum += I * I;
      int64_t Got = 0;
      Outcome O = invoke(*K, &Got, N, int64_t(0));
      if (N == 1) { // the pop empties the array, so a[0] is out of range
        EXPECT_TRUE(O.trapped(KC_TRAP_INDEX));
        EXPECT_EQ(O.Line, 8);
        continue;
      }
      ASSERT_EQ(O.Trap, 0) << N;
      EXPECT_EQ(Got, Sum * 1000 + (N - 1) * (N - 1) + 0) << N;
    }
    int64_t Got = 0;
    // a[-1] and a[len] both trap: one unsigned compare covers both.
    EXPECT_TRUE(
        invoke(*K, &Got, int64_t(10), int64_t(-1)).trapped(KC_TRAP_INDEX));
    EXPECT_TRUE(
        invoke(*K, &Got, int64_t(10), int64_t(9)).trapped(KC_TRAP_INDEX));
    EXPECT_EQ(invoke(*K, &Got, int64_t(10), int64_t(8)).Trap, 0);
    Outcome Empty = invoke(*K, &Got, int64_t(0), int64_t(0));
    EXPECT_TRUE(Empty.trapped(KC_TRAP_EMPTY_POP));
    EXPECT_EQ(Empty.Line, 7);
  }
}

TEST(LLVMJITTest, ArrayNewFillAndSet) {
  // fn f(n: int, v: f64) -> f64 {
  //   let a = array(n, v); let z = array(n, 0.0); let b = array(n, true);
  //   a[0] = 0.5;  var s = 0.0;
  //   for i in 0..n { if b[i] { s = s + a[i] + z[i]; } }
  //   return s;
  // }
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::Function *F =
        T.function("f", {{"n", T.intT()}, {"v", T.f64T()}}, T.f64T());
    T.setEntry(F);
    FnBuilder B(T, F);
    kir::Type *FArr = T.arrayT(T.f64T()), *BArr = T.arrayT(T.boolT());
    kir::Local *A = B.at(2).var(
        "a", B.node(Op::ArrayNew, FArr, {B.get(B.param(0)), B.get(B.param(1))}),
        false);
    kir::Local *Z =
        B.var("z", B.node(Op::ArrayNew, FArr, {B.get(B.param(0)), B.cf64(0.0)}),
              false);
    kir::Local *Bs = B.var(
        "b", B.node(Op::ArrayNew, BArr, {B.get(B.param(0)), B.cbool(true)}),
        false);
    B.at(3).stmt(
        B.node(Op::ArraySet, T.voidT(), {B.get(A), B.cint(0), B.cf64(0.5)}));
    kir::Local *S = B.var("s", B.cf64(0.0));
    B.forRange("i", B.cint(0), B.get(B.param(0)), [&](kir::Local *I) {
      B.ifElse(B.node(Op::ArrayGet, T.boolT(), {B.get(Bs), B.get(I)}), [&] {
        B.set(S,
              B.bin(Op::F64Add,
                    B.bin(Op::F64Add, B.get(S),
                          B.node(Op::ArrayGet, T.f64T(), {B.get(A), B.get(I)})),
                    B.node(Op::ArrayGet, T.f64T(), {B.get(Z), B.get(I)})));
      });
    });
    B.ret(B.get(S));
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    double Got = 0;
    EXPECT_EQ(invoke(*K, &Got, int64_t(5), 1.5).Trap, 0);
    EXPECT_EQ(Got, 0.5 + 4 * 1.5);
    EXPECT_EQ(invoke(*K, &Got, int64_t(1000), 0.25).Trap, 0);
    EXPECT_EQ(Got, 0.5 + 999 * 0.25);
    // n == 0: array(0, v) is fine, a[0] = 0.5 is out of range.
    Outcome O = invoke(*K, &Got, int64_t(0), 1.0);
    EXPECT_TRUE(O.trapped(KC_TRAP_INDEX));
    EXPECT_EQ(O.Line, 3);
    O = invoke(*K, &Got, int64_t(-1), 1.0);
    EXPECT_TRUE(O.trapped(KC_TRAP_NEG_LENGTH));
    EXPECT_EQ(O.Line, 2);
  }
}

TEST(LLVMJITTest, ArrayArgumentsAndForEachSeesPushes) {
  // fn f(a: [i32]) -> int { var n = 0; for x in a { if x > 0 { a.push(x - 1); }
  //   n = n + 1; } return n; }   -- the loop re-reads the length.
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::Type *Arr = T.arrayT(T.i32T());
    kir::Function *F = T.function("f", {{"a", Arr}}, T.intT());
    T.setEntry(F);
    FnBuilder B(T, F);
    kir::Local *N = B.var("n", B.cint(0));
    B.forEach("x", B.get(B.param(0)), [&](kir::Local *X) {
      B.ifElse(B.cmp(Op::I32Cmp, Pred::Gt, B.get(X), B.ci32(0)), [&] {
        B.stmt(B.node(
            Op::ArrayPush, T.voidT(),
            {B.get(B.param(0)), B.bin(Op::I32Sub, B.get(X), B.ci32(1))}));
      });
      B.set(N, B.bin(Op::IntAdd, B.get(N), B.cint(1)));
    });
    B.ret(B.get(N));
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    kc_array *A = makeArray<int32_t>({3, 0, 2});
    int64_t Got = 0;
    EXPECT_EQ(invoke(*K, &Got, A).Trap, 0);
    // 3 -> 2 -> 1 -> 0 and 2 -> 1 -> 0: 3 + 3 + 2 elements.
    EXPECT_EQ(Got, 8);
    EXPECT_EQ(A->len, 8);
    EXPECT_EQ(static_cast<int32_t *>(A->data)[7], 0);
  }
}

TEST(LLVMJITTest, MapsKeepInsertionOrder) {
  // fn f(k: int) -> int {
  //   let m: map[int]int = {}; m[3] = 30; m[1] = 10; m[2] = 20; m[3] = 33;
  //   var order = 0; var sum = 0;
  //   for key, v in m { order = order * 10 + key; sum = sum + v; }
  //   return order * 1000 + sum + m.get(k, 500) * 1000000 + len(m) * 0
  //          + (m.contains(7) ? 1 : 0)... (built below)
  // }
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::Type *MT = T.mapT(T.intT(), T.intT());
    kir::Function *F = T.function("f", {{"k", T.intT()}}, T.intT());
    T.setEntry(F);
    FnBuilder B(T, F);
    kir::Local *M = B.var("m", B.node(Op::MapNew, MT), false);
    for (auto [Key, Val] :
         std::vector<std::pair<int, int>>{{3, 30}, {1, 10}, {2, 20}, {3, 33}})
      B.stmt(
          B.node(Op::MapSet, T.voidT(), {B.get(M), B.cint(Key), B.cint(Val)}));
    kir::Local *Order = B.var("order", B.cint(0));
    kir::Local *Sum = B.var("sum", B.cint(0));
    B.forMap(B.get(M), [&](kir::Local *K, kir::Local *V) {
      B.set(Order,
            B.bin(Op::IntAdd, B.bin(Op::IntMul, B.get(Order), B.cint(10)),
                  B.get(K)));
      B.set(Sum, B.bin(Op::IntAdd, B.get(Sum), B.get(V)));
    });
    Node *Get = B.node(Op::MapGet, T.intT(),
                       {B.get(M), B.get(B.param(0)), B.cint(500)});
    kir::Local *R =
        B.var("r", B.bin(Op::IntAdd,
                         B.bin(Op::IntAdd,
                               B.bin(Op::IntMul, B.get(Order), B.cint(1000)),
                               B.get(Sum)),
                         B.bin(Op::IntMul, Get, B.cint(1000000))));
    B.set(R, B.bin(Op::IntAdd, B.get(R),
                   B.bin(Op::IntMul, B.node(Op::MapLen, T.intT(), {B.get(M)}),
                         B.cint(1000000000))));
    B.ifElse(B.node(Op::MapHas, T.boolT(), {B.get(M), B.get(B.param(0))}), [&] {
      B.at(12).ret(
          B.bin(Op::IntAdd, B.get(R),
                B.node(Op::MapAt, T.intT(), {B.get(M), B.get(B.param(0))})));
    });
    // Absent key: m[k] traps.
    B.at(14).ret(B.node(Op::MapAt, T.intT(), {B.get(M), B.get(B.param(0))}));
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    int64_t Got = 0;
    // Order 3, 1, 2 (the overwrite of 3 keeps its place); sum 33 + 10 + 20.
    EXPECT_EQ(invoke(*K, &Got, int64_t(1)).Trap, 0);
    EXPECT_EQ(Got, 3 * 1000000000LL + 10 * 1000000 + 312 * 1000 + 63 + 10);
    EXPECT_EQ(invoke(*K, &Got, int64_t(3)).Trap, 0);
    EXPECT_EQ(Got, 3 * 1000000000LL + 33 * 1000000 + 312 * 1000 + 63 + 33);
    Outcome O = invoke(*K, &Got, int64_t(7));
    EXPECT_TRUE(O.trapped(KC_TRAP_MAP_KEY));
    EXPECT_EQ(O.Line, 14);
  }
}

TEST(LLVMJITTest, MapValueKindsAndStrKeys) {
  // Values of every kind survive the 64-bit slot: i32 (negative), u32, bool,
  // f64, str. Str keys compare by content.
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::Function *F = T.function("f", {{"key", T.strT()}}, T.f64T());
    T.setEntry(F);
    FnBuilder B(T, F);
    kir::Local *MI =
        B.var("mi", B.node(Op::MapNew, T.mapT(T.strT(), T.i32T())), false);
    kir::Local *MU =
        B.var("mu", B.node(Op::MapNew, T.mapT(T.intT(), T.u32T())), false);
    kir::Local *MB =
        B.var("mb", B.node(Op::MapNew, T.mapT(T.intT(), T.boolT())), false);
    kir::Local *MF =
        B.var("mf", B.node(Op::MapNew, T.mapT(T.strT(), T.f64T())), false);
    kir::Local *MS =
        B.var("ms", B.node(Op::MapNew, T.mapT(T.intT(), T.strT())), false);
    B.stmt(
        B.node(Op::MapSet, T.voidT(), {B.get(MI), B.cstr("neg"), B.ci32(-5)}));
    B.stmt(B.node(Op::MapSet, T.voidT(),
                  {B.get(MU), B.cint(1), B.cu32(0xfffffff0u)}));
    B.stmt(
        B.node(Op::MapSet, T.voidT(), {B.get(MB), B.cint(1), B.cbool(true)}));
    B.stmt(
        B.node(Op::MapSet, T.voidT(), {B.get(MF), B.cstr("pi"), B.cf64(3.25)}));
    B.stmt(
        B.node(Op::MapSet, T.voidT(), {B.get(MS), B.cint(9), B.cstr("hello")}));
    // i32(-5) -> f64 + f64(u32) / 2^32 + (b ? 100 : 0) + mf[key] + len(ms[9])
    Node *I = B.conv(
        Op::I32ToF64, T.f64T(),
        B.node(Op::MapGet, T.i32T(), {B.get(MI), B.cstr("neg"), B.ci32(0)}));
    Node *U = B.bin(Op::F64Div,
                    B.conv(Op::U32ToF64, T.f64T(),
                           B.node(Op::MapAt, T.u32T(), {B.get(MU), B.cint(1)})),
                    B.cf64(4294967296.0));
    kir::Local *Acc = B.var("acc", B.bin(Op::F64Add, I, U));
    B.ifElse(B.node(Op::MapAt, T.boolT(), {B.get(MB), B.cint(1)}),
             [&] { B.set(Acc, B.bin(Op::F64Add, B.get(Acc), B.cf64(100.0))); });
    B.set(Acc, B.bin(Op::F64Add, B.get(Acc),
                     B.node(Op::MapGet, T.f64T(),
                            {B.get(MF), B.get(B.param(0)), B.cf64(-1000.0)})));
    B.set(Acc, B.bin(Op::F64Add, B.get(Acc),
                     B.conv(Op::IntToF64, T.f64T(),
                            B.node(Op::StrLen, T.intT(),
                                   {B.node(Op::MapAt, T.strT(),
                                           {B.get(MS), B.cint(9)})}))));
    B.ret(B.get(Acc));
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    // Summed in the kernel's order, so the rounding is the same.
    auto Want = [](double FromMap) {
      return ((-5.0 + 4294967280.0 / 4294967296.0) + 100.0 + FromMap) + 5.0;
    };
    double Got = 0;
    EXPECT_EQ(invoke(*K, &Got, makeStr("pi")).Trap, 0);
    EXPECT_EQ(Got, Want(3.25));
    EXPECT_EQ(invoke(*K, &Got, makeStr("p")).Trap, 0);
    EXPECT_EQ(Got, Want(-1000.0));
  }
}

TEST(LLVMJITTest, InsertingDuringMapIterationTraps) {
  // for k, v in m { m[k + 100] = v; }  -- a new key: trap.
  // for k, v in m { m[k] = v + 1; }    -- overwrite only: fine.
  for (unsigned Opt : OptLevels) {
    for (bool NewKey : {true, false}) {
      TestModule T;
      kir::Type *MT = T.mapT(T.intT(), T.intT());
      kir::Function *F = T.function("f", {}, T.intT());
      T.setEntry(F);
      FnBuilder B(T, F);
      kir::Local *M = B.var("m", B.node(Op::MapNew, MT), false);
      B.stmt(B.node(Op::MapSet, T.voidT(), {B.get(M), B.cint(1), B.cint(1)}));
      B.stmt(B.node(Op::MapSet, T.voidT(), {B.get(M), B.cint(2), B.cint(2)}));
      B.at(20).forMap(B.get(M), [&](kir::Local *K, kir::Local *V) {
        B.stmt(B.node(
            Op::MapSet, T.voidT(),
            {B.get(M),
             NewKey ? B.bin(Op::IntAdd, B.get(K), B.cint(100)) : B.get(K),
             B.bin(Op::IntAdd, B.get(V), B.cint(1))}));
      });
      B.ret(B.bin(Op::IntAdd,
                  B.node(Op::MapAt, T.intT(), {B.get(M), B.cint(1)}),
                  B.node(Op::MapAt, T.intT(), {B.get(M), B.cint(2)})));
      auto K = jit(T, Opt);
      ASSERT_TRUE(K);
      int64_t Got = 0;
      int32_t Line = 0;
      int32_t Trap = kc_invoke(K->entry(), nullptr, &Got, &Line);
      if (NewKey) {
        EXPECT_EQ(Trap, KC_TRAP_MAP_MODIFIED + 1);
        EXPECT_EQ(Line, 20);
      } else {
        EXPECT_EQ(Trap, 0);
        EXPECT_EQ(Got, 5);
      }
    }
  }
}

TEST(LLVMJITTest, RecordsAreSharedByReference) {
  // record Body { x: f64, alive: bool, id: i32, name: str }
  // fn f(n: int) -> f64 {
  //   let bs: [Body] = [];
  //   for i in 0..n { bs.push(Body { x: f64(i), alive: i % 2 == 0, id: i32(i),
  //   name: "b" }); } for b in bs { if b.alive { b.x = b.x * 2.0; } }   --
  //   through the array var s = 0.0; for b in bs { s = s + b.x + f64(b.id) *
  //   1000.0 + f64(len(b.name)) * 0.5; } return s;
  // }
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::RecordDecl *R = T.record("Body", {{"x", T.f64T()},
                                           {"alive", T.boolT()},
                                           {"id", T.i32T()},
                                           {"name", T.strT()}});
    kir::Type *BodyT = T.C.getRecord(R);
    kir::Type *Arr = T.arrayT(BodyT);
    kir::Function *F = T.function("f", {{"n", T.intT()}}, T.f64T());
    T.setEntry(F);
    FnBuilder B(T, F);
    kir::Local *Bs = B.var("bs", B.node(Op::ArrayLit, Arr), false);
    B.forRange("i", B.cint(0), B.get(B.param(0)), [&](kir::Local *I) {
      Node *Alive = B.cmp(Op::IntCmp, Pred::Eq,
                          B.bin(Op::IntRem, B.get(I), B.cint(2)), B.cint(0));
      Node *New =
          B.node(Op::RecordNew, BodyT,
                 {B.conv(Op::IntToF64, T.f64T(), B.get(I)), Alive,
                  B.conv(Op::IntToI32, T.i32T(), B.get(I)), B.cstr("b")});
      B.stmt(B.node(Op::ArrayPush, T.voidT(), {B.get(Bs), New}));
    });
    B.forEach("b", B.get(Bs), [&](kir::Local *Bd) {
      B.ifElse(B.field(B.get(Bd), 1), [&] {
        B.setField(B.get(Bd), 0,
                   B.bin(Op::F64Mul, B.field(B.get(Bd), 0), B.cf64(2.0)));
      });
    });
    kir::Local *S = B.var("s", B.cf64(0.0));
    B.forEach("b2", B.get(Bs), [&](kir::Local *Bd) {
      Node *Sum =
          B.bin(Op::F64Add, B.bin(Op::F64Add, B.get(S), B.field(B.get(Bd), 0)),
                B.bin(Op::F64Mul,
                      B.conv(Op::I32ToF64, T.f64T(), B.field(B.get(Bd), 2)),
                      B.cf64(1000.0)));
      B.set(S, B.bin(Op::F64Add, Sum,
                     B.bin(Op::F64Mul,
                           B.conv(Op::IntToF64, T.f64T(),
                                  B.node(Op::StrLen, T.intT(),
                                         {B.field(B.get(Bd), 3)})),
                           B.cf64(0.5))));
    });
    B.ret(B.get(S));
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    for (int64_t N : {0, 1, 7, 100}) {
      double Want = 0;
      for (int64_t I = 0; I < N; ++I)
        Want = Want + (I % 2 == 0 ? 2.0 * I : double(I)) + I * 1000.0 + 0.5;
      double Got = -1;
      EXPECT_EQ(invoke(*K, &Got, N).Trap, 0);
      EXPECT_EQ(Got, Want) << N;
    }
  }
}

TEST(LLVMJITTest, Strings) {
  // fn f(s: str, t: str, i: int) -> str {
  //   let u = s + t;  -- then many checks folded into one result string:
  //   return str(len(u)) + "," + str(u[i]) + "," + u.slice(1, 3) + ","
  //          + str(parse_int("-42") + (s < t ? 1 : 0) + (s == t ? 10 : 0)
  //                + (s != t ? 100 : 0)) + chr(65);
  // }
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::Function *F = T.function(
        "f", {{"s", T.strT()}, {"t", T.strT()}, {"i", T.intT()}}, T.strT());
    T.setEntry(F);
    FnBuilder B(T, F);
    auto Cat = [&](Node *A, Node *Bn) {
      return B.node(Op::StrConcat, T.strT(), {A, Bn});
    };
    auto Str = [&](Node *N) { return B.node(Op::StrFromInt, T.strT(), {N}); };
    auto IfInt = [&](Node *Cond, int64_t V) {
      // (cond ? V : 0) as f64-free arithmetic: V * int(cond) via a local.
      kir::Local *L = B.var("c", B.cint(0));
      B.ifElse(Cond, [&] { B.set(L, B.cint(V)); });
      return B.get(L);
    };
    kir::Local *U =
        B.var("u", Cat(B.get(B.param(0)), B.get(B.param(1))), false);
    Node *Lt = IfInt(
        B.cmp(Op::StrCmp, Pred::Lt, B.get(B.param(0)), B.get(B.param(1))), 1);
    Node *Eq = IfInt(
        B.cmp(Op::StrCmp, Pred::Eq, B.get(B.param(0)), B.get(B.param(1))), 10);
    Node *Ne = IfInt(
        B.cmp(Op::StrCmp, Pred::Ne, B.get(B.param(0)), B.get(B.param(1))), 100);
    Node *Parse = B.node(Op::StrParseInt, T.intT(), {B.cstr("-42")});
    Node *Num = B.bin(Op::IntAdd,
                      B.bin(Op::IntAdd, B.bin(Op::IntAdd, Parse, Lt), Eq), Ne);
    Node *Code =
        B.at(30).node(Op::StrCodeAt, T.intT(), {B.get(U), B.get(B.param(2))});
    Node *Res = Cat(Str(B.node(Op::StrLen, T.intT(), {B.get(U)})), B.cstr(","));
    Res = Cat(Cat(Res, Str(Code)), B.cstr(","));
    Res = Cat(Cat(Res, B.node(Op::StrSlice, T.strT(),
                              {B.get(U), B.cint(1), B.cint(3)})),
              B.cstr(","));
    Res = Cat(Cat(Res, Str(Num)),
              B.node(Op::StrFromCode, T.strT(), {B.cint(65)}));
    B.at(31).ret(Res);
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    auto Run = [&](const std::string &S, const std::string &Tt, int64_t I,
                   Outcome *O = nullptr) {
      kc_str *Got = nullptr;
      Outcome Out = invoke(*K, &Got, makeStr(S), makeStr(Tt), I);
      if (O)
        *O = Out;
      if (Out.Trap || !Got)
        return std::string("<trap>");
      return std::string(Got->data, size_t(Got->len));
    };
    EXPECT_EQ(Run("abc", "abd", 0), "6,97,bc,59A"); // -42 + 1 + 100
    EXPECT_EQ(Run("abd", "abc", 5), "6,99,bd,58A"); // -42 + 100
    EXPECT_EQ(Run("xy", "xy", 3), "4,121,yx,-32A"); // -42 + 10
    EXPECT_EQ(Run("ab", "abc", 1), "5,98,ba,59A");  // prefix sorts first
    Outcome O;
    EXPECT_EQ(Run("ab", "c", 3, &O), "<trap>");
    EXPECT_TRUE(O.trapped(KC_TRAP_INDEX));
    EXPECT_EQ(O.Line, 30);
    EXPECT_EQ(Run("ab", "c", -1, &O), "<trap>");
    EXPECT_TRUE(O.trapped(KC_TRAP_INDEX));
    EXPECT_EQ(Run("a", "", 0, &O), "<trap>"); // slice(1, 3) of "a"
    EXPECT_TRUE(O.trapped(KC_TRAP_SLICE));
  }
}

TEST(LLVMJITTest, FindStartsWithSplitLowerJoin) {
  // fn f(s: str, p: str, i: int) -> str {
  //   let at = s.find(p, 0);                  -- line 40
  //   let starts = s.starts_with(p, i);       -- line 41 (inline memcmp)
  //   let parts = s.split(p);                 -- line 42
  //   return str(at) + "," + (starts ? "T" : "F") + "," + str(len(parts))
  //          + "," + join(parts, "|").lower();
  // }
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::Function *F = T.function(
        "f", {{"s", T.strT()}, {"p", T.strT()}, {"i", T.intT()}}, T.strT());
    T.setEntry(F);
    FnBuilder B(T, F);
    kir::Type *Parts = T.M.Ctx.getArray(T.strT());
    auto Cat = [&](Node *A, Node *Bn) {
      return B.node(Op::StrConcat, T.strT(), {A, Bn});
    };
    auto Str = [&](Node *N) { return B.node(Op::StrFromInt, T.strT(), {N}); };
    Node *S = B.get(B.param(0)), *P = B.get(B.param(1));
    kir::Local *At = B.at(40).var(
        "at", B.node(Op::StrFind, T.intT(), {S, P, B.cint(0)}), false);
    kir::Local *Starts = B.at(41).var(
        "starts",
        B.node(Op::StrStartsWith, T.boolT(),
               {B.get(B.param(0)), B.get(B.param(1)), B.get(B.param(2))}),
        false);
    kir::Local *Pieces = B.at(42).var(
        "parts",
        B.node(Op::StrSplit, Parts, {B.get(B.param(0)), B.get(B.param(1))}),
        false);
    B.at(43);
    kir::Local *Flag = B.var("flag", B.cstr("F"));
    B.ifElse(B.get(Starts), [&] { B.set(Flag, B.cstr("T")); });
    Node *Joined = B.node(Op::StrJoin, T.strT(), {B.get(Pieces), B.cstr("|")});
    Node *Res = Cat(Cat(Str(B.get(At)), B.cstr(",")), B.get(Flag));
    Res = Cat(Cat(Res, B.cstr(",")),
              Str(B.node(Op::ArrayLen, T.intT(), {B.get(Pieces)})));
    Res = Cat(Cat(Res, B.cstr(",")), B.node(Op::StrLower, T.strT(), {Joined}));
    B.ret(Res);
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    auto Run = [&](const std::string &Sv, const std::string &Pv, int64_t I,
                   Outcome *O = nullptr) {
      kc_str *Got = nullptr;
      Outcome Out = invoke(*K, &Got, makeStr(Sv), makeStr(Pv), I);
      if (O)
        *O = Out;
      if (Out.Trap || !Got)
        return std::string("<trap>");
      return std::string(Got->data, size_t(Got->len));
    };
    EXPECT_EQ(Run("a,B,,c", ",", 0), "1,F,4,a|b||c");
    EXPECT_EQ(Run("a,B,,c", ",", 3), "1,T,4,a|b||c");
    EXPECT_EQ(Run("a,B,,c", ",", 6), "1,F,4,a|b||c"); // at == len
    EXPECT_EQ(Run("abc", "abcd", 0), "-1,F,1,abc");   // runs past the end
    EXPECT_EQ(Run("xABC", "C", 3), "3,T,2,xab|");
    EXPECT_EQ(Run("xABC", "BC", 2), "2,T,2,xa|");
    EXPECT_EQ(Run("xABC", "BC", 1), "2,F,2,xa|");
    Outcome O;
    EXPECT_EQ(Run("a,B,,c", ",", 7, &O), "<trap>");
    EXPECT_TRUE(O.trapped(KC_TRAP_INDEX));
    EXPECT_EQ(O.Line, 41);
    EXPECT_EQ(Run("a,B,,c", ",", -1, &O), "<trap>");
    EXPECT_TRUE(O.trapped(KC_TRAP_INDEX));
    EXPECT_EQ(O.Line, 41);
    EXPECT_EQ(Run("abc", "", 1, &O), "<trap>"); // find and starts_with: fine
    EXPECT_TRUE(O.trapped(KC_TRAP_EMPTY_SEPARATOR));
    EXPECT_EQ(O.Line, 42);
  }
}

TEST(LLVMJITTest, TrimReplaceContains) {
  // fn f(s: str, old: str, new: str) -> str {
  //   let t = s.trim();                          -- line 50
  //   let r = t.replace(old, new);               -- line 51
  //   return r + (r.contains(new) ? "T" : "F");  -- line 52
  // }
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::Function *F = T.function(
        "f", {{"s", T.strT()}, {"old", T.strT()}, {"new", T.strT()}},
        T.strT());
    T.setEntry(F);
    FnBuilder B(T, F);
    kir::Local *Trimmed = B.at(50).var(
        "t", B.node(Op::StrTrim, T.strT(), {B.get(B.param(0))}), false);
    kir::Local *R = B.at(51).var(
        "r",
        B.node(Op::StrReplace, T.strT(),
               {B.get(Trimmed), B.get(B.param(1)), B.get(B.param(2))}),
        false);
    B.at(52);
    kir::Local *Flag = B.var("flag", B.cstr("F"));
    B.ifElse(B.node(Op::StrContains, T.boolT(),
                    {B.get(R), B.get(B.param(2))}),
             [&] { B.set(Flag, B.cstr("T")); });
    B.ret(B.node(Op::StrConcat, T.strT(), {B.get(R), B.get(Flag)}));
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    auto Run = [&](const std::string &Sv, const std::string &Ov,
                   const std::string &Nv, Outcome *O = nullptr) {
      kc_str *Got = nullptr;
      Outcome Out = invoke(*K, &Got, makeStr(Sv), makeStr(Ov), makeStr(Nv));
      if (O)
        *O = Out;
      if (Out.Trap || !Got)
        return std::string("<trap>");
      return std::string(Got->data, size_t(Got->len));
    };
    EXPECT_EQ(Run(" a-b-c\r\n", "-", "$&"), "a$&b$&cT");
    EXPECT_EQ(Run("\taaa\t", "aa", "b"), "baT");
    EXPECT_EQ(Run("abc", "x", "y"), "abcF");
    EXPECT_EQ(Run("  ", "a", ""), "T"); // "" contains ""
    EXPECT_EQ(Run("\x1cx ", "x", "yy"), "\x1cyyT");
    Outcome O;
    EXPECT_EQ(Run(" abc ", "", "x", &O), "<trap>");
    EXPECT_TRUE(O.trapped(KC_TRAP_EMPTY_PATTERN));
    EXPECT_EQ(O.Line, 51);
  }
}

TEST(LLVMJITTest, ControlFlow) {
  // fn f(n: int) -> int {
  //   var s = 0; var i = 0;
  //   while true {
  //     i = i + 1;
  //     if i > n { break; }
  //     if i % 3 == 0 { continue; }
  //     for j in 0..i { if j == 2 { break; } s = s + j; }
  //     s = s + 100;
  //   }
  //   return s;
  //   s = s + 1;   -- dead code after return is dropped
  // }
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::Function *Helper = T.function("twice", {{"x", T.intT()}}, T.intT());
    {
      FnBuilder B(T, Helper);
      B.ifElse(
          B.cmp(Op::IntCmp, Pred::Lt, B.get(B.param(0)), B.cint(0)),
          [&] { B.ret(B.cint(0)); },
          [&] {
            B.ret(B.bin(Op::IntAdd, B.get(B.param(0)), B.get(B.param(0))));
          });
      // falls off the end only in dead code: lowered to unreachable
    }
    kir::Function *F = T.function("f", {{"n", T.intT()}}, T.intT());
    T.setEntry(F);
    FnBuilder B(T, F);
    kir::Local *S = B.var("s", B.cint(0));
    kir::Local *I = B.var("i", B.cint(0));
    B.whileLoop(B.cbool(true), [&] {
      B.set(I, B.bin(Op::IntAdd, B.get(I), B.cint(1)));
      B.ifElse(B.cmp(Op::IntCmp, Pred::Gt, B.get(I), B.get(B.param(0))),
               [&] { B.brk(); });
      B.ifElse(B.cmp(Op::IntCmp, Pred::Eq,
                     B.bin(Op::IntRem, B.get(I), B.cint(3)), B.cint(0)),
               [&] { B.cont(); });
      B.forRange("j", B.cint(0), B.get(I), [&](kir::Local *J) {
        B.ifElse(B.cmp(Op::IntCmp, Pred::Eq, B.get(J), B.cint(2)),
                 [&] { B.brk(); });
        B.set(S, B.bin(Op::IntAdd, B.get(S), B.get(J)));
      });
      B.set(S, B.bin(Op::IntAdd, B.get(S), B.cint(100)));
    });
    B.ret(B.call(Helper, {B.get(S)}));
    B.set(S, B.cint(1));
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    auto Reference = [](int64_t N) {
      int64_t S = 0, I = 0;
      while (true) {
        I = I + 1;
        if (I > N)
          break;
        if (I % 3 == 0)
          continue;
        for (int64_t J = 0; J < I; ++J) {
          if (J == 2)
            break;
          S += J;
        }
        S += 100;
      }
      return S < 0 ? 0 : S + S;
    };
    for (int64_t N : {0, 1, 2, 5, 17}) {
      int64_t Got = -1;
      EXPECT_EQ(invoke(*K, &Got, N).Trap, 0);
      EXPECT_EQ(Got, Reference(N)) << N;
    }
  }
}

TEST(LLVMJITTest, BoolArgumentsAndResultsUseTheCABI) {
  for (unsigned Opt : OptLevels) {
    TestModule T;
    kir::Function *F =
        T.function("xor_", {{"a", T.boolT()}, {"b", T.boolT()}}, T.boolT());
    T.setEntry(F);
    FnBuilder B(T, F);
    B.ret(B.cmp(Op::BoolCmp, Pred::Ne, B.get(B.param(0)), B.get(B.param(1))));
    auto K = jit(T, Opt);
    ASSERT_TRUE(K);
    for (bool A : {false, true})
      for (bool Bv : {false, true}) {
        bool Got = !(A != Bv);
        EXPECT_EQ(invoke(*K, &Got, A, Bv).Trap, 0);
        EXPECT_EQ(Got, A != Bv);
      }
    auto Direct = lookupFn<bool (*)(bool, bool)>(*K, "xor_");
    EXPECT_TRUE(Direct(true, false));
    EXPECT_FALSE(Direct(true, true));
  }
}
