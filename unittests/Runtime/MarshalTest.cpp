//===- MarshalTest.cpp - Unit tests of argument marshalling, result text --===//

#include "runtimes/native/Marshal.h"
#include "runtimes/native/kcrt.h"

#include "llvm/Support/Error.h"
#include "gtest/gtest.h"
#include <cmath>
#include <cstring>
#include <limits>

using namespace kc;
using kc::bench::Value;
using kc::native::ArgumentPack;
using kc::native::formatResult;

namespace {

Value intValue(int64_t I) {
  Value V;
  V.K = Value::Int;
  V.I = I;
  return V;
}

Value f64Value(double F) {
  Value V;
  V.K = Value::F64;
  V.F = F;
  return V;
}

Value boolValue(bool B) {
  Value V;
  V.K = Value::Bool;
  V.I = B;
  return V;
}

Value dataValue(Value::Kind K, std::string Data) {
  Value V;
  V.K = K;
  V.Data = std::move(Data);
  return V;
}

Value intsValue(std::vector<int64_t> Ints) {
  Value V;
  V.K = Value::IntArray;
  V.Ints = std::move(Ints);
  return V;
}

Value floatsValue(std::vector<double> Floats) {
  Value V;
  V.K = Value::F64Array;
  V.Floats = std::move(Floats);
  return V;
}

template <typename T> T at(void **Args, unsigned I) {
  T V;
  std::memcpy(&V, Args[I], sizeof(T));
  return V;
}

std::string errorText(llvm::Error E) { return llvm::toString(std::move(E)); }

class MarshalTest : public ::testing::Test {
protected:
  kir::Context Ctx;
  void TearDown() override { kc_arena_reset(); }

  template <typename T> std::string fmt(const kir::Type *Ty, T V) {
    alignas(16) unsigned char Buf[16] = {};
    std::memcpy(Buf, &V, sizeof(T));
    return formatResult(Ty, Buf);
  }

  kc_str *str(llvm::StringRef S) {
    return kc_str_from(S.data(), int64_t(S.size()));
  }
};

TEST_F(MarshalTest, CLayout) {
  EXPECT_EQ(native::cSizeOf(Ctx.getBool()), 1u);
  EXPECT_EQ(native::cSizeOf(Ctx.getI32()), 4u);
  EXPECT_EQ(native::cSizeOf(Ctx.getU32()), 4u);
  EXPECT_EQ(native::cSizeOf(Ctx.getInt()), 8u);
  EXPECT_EQ(native::cSizeOf(Ctx.getF64()), 8u);
  EXPECT_EQ(native::cSizeOf(Ctx.getStr()), 8u);
  EXPECT_EQ(native::cSizeOf(Ctx.getArray(Ctx.getBool())), 8u);

  kir::RecordDecl R;
  R.Name = "Mixed";
  R.Fields = {{"a", Ctx.getBool()},
              {"b", Ctx.getI32()},
              {"c", Ctx.getBool()},
              {"d", Ctx.getF64()},
              {"e", Ctx.getBool()}};
  native::RecordLayout L = native::layoutRecord(R);
  // The same as a C struct { bool a; int32_t b; bool c; double d; bool e; }.
  struct Mixed {
    bool a;
    int32_t b;
    bool c;
    double d;
    bool e;
  };
  EXPECT_EQ(L.Offsets,
            (std::vector<uint64_t>{offsetof(Mixed, a), offsetof(Mixed, b),
                                   offsetof(Mixed, c), offsetof(Mixed, d),
                                   offsetof(Mixed, e)}));
  EXPECT_EQ(L.Size, sizeof(Mixed));
  EXPECT_EQ(L.Align, alignof(Mixed));
}

TEST_F(MarshalTest, ScalarsAndStrings) {
  std::vector<const kir::Type *> Params = {
      Ctx.getInt(),  Ctx.getI32(), Ctx.getU32(),  Ctx.getF64(),
      Ctx.getBool(), Ctx.getStr(), Ctx.getBytes()};
  std::vector<Value> Values = {
      intValue(-9007199254740992),
      intValue(INT32_MIN),
      intValue(UINT32_MAX),
      f64Value(2.5),
      boolValue(true),
      dataValue(Value::Str, "hello"),
      dataValue(Value::Bytes, std::string("\x00\xff", 2))};
  llvm::Expected<ArgumentPack> P = ArgumentPack::build(Params, Values);
  ASSERT_TRUE(bool(P)) << errorText(P.takeError());
  EXPECT_EQ(P->size(), 7u);
  void **Args = P->pointers();
  EXPECT_EQ(at<int64_t>(Args, 0), -9007199254740992);
  EXPECT_EQ(at<int32_t>(Args, 1), INT32_MIN);
  EXPECT_EQ(at<uint32_t>(Args, 2), UINT32_MAX);
  EXPECT_EQ(at<double>(Args, 3), 2.5);
  EXPECT_EQ(at<uint8_t>(Args, 4), 1);
  auto *S = at<kc_str *>(Args, 5);
  EXPECT_EQ(std::string(S->data, size_t(S->len)), "hello");
  auto *B = at<kc_str *>(Args, 6);
  ASSERT_EQ(B->len, 2);
  EXPECT_EQ((unsigned char)B->data[1], 0xff);
}

TEST_F(MarshalTest, Arrays) {
  std::vector<const kir::Type *> Params = {
      Ctx.getArray(Ctx.getInt()), Ctx.getArray(Ctx.getI32()),
      Ctx.getArray(Ctx.getU32()), Ctx.getArray(Ctx.getF64()),
      Ctx.getArray(Ctx.getInt())};
  std::vector<Value> Values = {intsValue({1, -2, 3}), intsValue({-1, 2}),
                               intsValue({0, 4294967295}),
                               floatsValue({0.5, -1e300}), intsValue({})};
  llvm::Expected<ArgumentPack> P = ArgumentPack::build(Params, Values);
  ASSERT_TRUE(bool(P)) << errorText(P.takeError());
  void **Args = P->pointers();
  auto *A0 = at<kc_array *>(Args, 0);
  ASSERT_EQ(A0->len, 3);
  EXPECT_EQ(static_cast<int64_t *>(A0->data)[1], -2);
  auto *A1 = at<kc_array *>(Args, 1);
  ASSERT_EQ(A1->len, 2);
  EXPECT_EQ(static_cast<int32_t *>(A1->data)[0], -1);
  EXPECT_EQ(static_cast<int32_t *>(A1->data)[1], 2);
  auto *A2 = at<kc_array *>(Args, 2);
  EXPECT_EQ(static_cast<uint32_t *>(A2->data)[1], 4294967295u);
  auto *A3 = at<kc_array *>(Args, 3);
  EXPECT_EQ(static_cast<double *>(A3->data)[1], -1e300);
  EXPECT_EQ(at<kc_array *>(Args, 4)->len, 0);

  // The same text back through formatResult.
  EXPECT_EQ(formatResult(Params[0], Args[0]), "[1, -2, 3]");
  EXPECT_EQ(formatResult(Params[1], Args[1]), "[-1, 2]");
  EXPECT_EQ(formatResult(Params[2], Args[2]), "[0, 4294967295]");
  EXPECT_EQ(formatResult(Params[3], Args[3]),
            "[0.5, -1.0000000000000001e+300]");
  EXPECT_EQ(formatResult(Params[4], Args[4]), "[]");
}

TEST_F(MarshalTest, Mismatches) {
  auto Fails = [&](const kir::Type *Ty, Value V) {
    llvm::Expected<ArgumentPack> P =
        ArgumentPack::build({Ctx.getInt(), Ty}, {intValue(0), V});
    if (P)
      return std::string("(no error)");
    return errorText(P.takeError());
  };
  EXPECT_EQ(Fails(Ctx.getF64(), intValue(3)),
            "argument 1: cannot pass int as f64");
  EXPECT_EQ(Fails(Ctx.getInt(), f64Value(3)),
            "argument 1: cannot pass f64 as int");
  EXPECT_EQ(Fails(Ctx.getStr(), dataValue(Value::Bytes, "x")),
            "argument 1: cannot pass bytes as str");
  EXPECT_EQ(Fails(Ctx.getBytes(), dataValue(Value::Str, "x")),
            "argument 1: cannot pass str as bytes");
  EXPECT_EQ(Fails(Ctx.getArray(Ctx.getInt()), floatsValue({1})),
            "argument 1: cannot pass [f64] as [int]");
  EXPECT_EQ(Fails(Ctx.getArray(Ctx.getF64()), intsValue({1})),
            "argument 1: cannot pass [int] as [f64]");
  EXPECT_EQ(Fails(Ctx.getArray(Ctx.getBool()), intsValue({1})),
            "argument 1: cannot pass [int] as [bool]");
  EXPECT_EQ(Fails(Ctx.getMap(Ctx.getStr(), Ctx.getInt()), intsValue({1})),
            "argument 1: cannot pass [int] as map[str]int");
  EXPECT_EQ(Fails(Ctx.getBool(), intValue(1)),
            "argument 1: cannot pass int as bool");
  EXPECT_EQ(Fails(Ctx.getI32(), intValue(int64_t(INT32_MAX) + 1)),
            "argument 1: value 2147483648 out of range for i32");
  EXPECT_EQ(Fails(Ctx.getU32(), intValue(-1)),
            "argument 1: value -1 out of range for u32");
  EXPECT_EQ(Fails(Ctx.getInt(), intValue((int64_t(1) << 53) + 1)),
            "argument 1: value 9007199254740993 out of range for int");
  EXPECT_EQ(Fails(Ctx.getArray(Ctx.getU32()), intsValue({1, 2, -3})),
            "argument 1: element 2 (-3) out of range for [u32]");
  EXPECT_EQ(Fails(Ctx.getStr(), dataValue(Value::Str, "caf\xc3\xa9")),
            "argument 1: str value is not ASCII");
  llvm::Expected<ArgumentPack> P = ArgumentPack::build({Ctx.getInt()}, {});
  ASSERT_FALSE(bool(P));
  EXPECT_EQ(errorText(P.takeError()),
            "the entry takes 1 argument(s) but the workload gives 0");
}

TEST_F(MarshalTest, OutOfMemoryIsAnError) {
  int64_t Saved = kc_arena_limit();
  kc_arena_set_limit(1 << 20);
  llvm::Expected<ArgumentPack> P = ArgumentPack::build(
      {Ctx.getArray(Ctx.getInt())}, {intsValue(std::vector<int64_t>(1 << 18))});
  kc_arena_set_limit(Saved);
  ASSERT_FALSE(bool(P));
  EXPECT_EQ(errorText(P.takeError()),
            "argument 0: cannot allocate 262144 elements: out of memory");
}

// An entry wrapper written the way the LLVM back-end emits one:
// fn sum(xs: [i32], scale: int) -> int
void sumEntry(void **Args, void *Ret) {
  auto *Xs = *static_cast<kc_array **>(Args[0]);
  int64_t Scale = *static_cast<int64_t *>(Args[1]);
  int64_t Sum = 0;
  for (int64_t I = 0; I < Xs->len; ++I)
    Sum += static_cast<int32_t *>(Xs->data)[I];
  *static_cast<int64_t *>(Ret) = Sum * Scale;
}

TEST_F(MarshalTest, CallsAnEntryWrapper) {
  llvm::Expected<ArgumentPack> P =
      ArgumentPack::build({Ctx.getArray(Ctx.getI32()), Ctx.getInt()},
                          {intsValue({1, 2, 3, -10}), intValue(3)});
  ASSERT_TRUE(bool(P)) << errorText(P.takeError());
  ArgumentPack Moved = std::move(*P);
  alignas(16) unsigned char Ret[16] = {};
  int32_t Line = 0;
  EXPECT_EQ(kc_invoke(sumEntry, Moved.pointers(), Ret, &Line), 0);
  EXPECT_EQ(formatResult(Ctx.getInt(), Ret), "-12");
}

TEST_F(MarshalTest, FormatScalars) {
  EXPECT_EQ(fmt(Ctx.getBool(), true), "true");
  EXPECT_EQ(fmt(Ctx.getBool(), false), "false");
  EXPECT_EQ(fmt(Ctx.getI32(), int32_t(-7)), "-7");
  EXPECT_EQ(fmt(Ctx.getU32(), uint32_t(4294967295u)), "4294967295");
  EXPECT_EQ(fmt(Ctx.getInt(), int64_t(-9007199254740992)), "-9007199254740992");
  EXPECT_EQ(fmt(Ctx.getF64(), 1.0), "1");
  EXPECT_EQ(fmt(Ctx.getF64(), 0.1), "0.10000000000000001");
  EXPECT_EQ(fmt(Ctx.getF64(), -0.0), "-0");
  EXPECT_EQ(fmt(Ctx.getF64(), 1e21), "1e+21");
  EXPECT_EQ(fmt(Ctx.getF64(), std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(fmt(Ctx.getF64(), -std::numeric_limits<double>::quiet_NaN()),
            "nan");
  EXPECT_EQ(fmt(Ctx.getF64(), -HUGE_VAL), "-inf");
  EXPECT_EQ(fmt(Ctx.getF64(), HUGE_VAL), "inf");
  EXPECT_EQ(fmt(Ctx.getStr(), str("a b\n")), "a b\n");
  EXPECT_EQ(fmt(Ctx.getBytes(), kc_str_from("\x00\x0f\xab\xff", 4)),
            "000fabff");
  EXPECT_EQ(fmt(Ctx.getVoid(), int64_t(0)), "");
}

TEST_F(MarshalTest, StringsCrossTheBoundaryAsViews) {
  // An input string arrives with its bytes right after its header, so the
  // 8 bytes before them are readable (kcrt.h).
  std::vector<const kir::Type *> Params = {Ctx.getStr()};
  std::vector<Value> Values = {dataValue(Value::Str, "key: value\n")};
  llvm::Expected<ArgumentPack> P = ArgumentPack::build(Params, Values);
  ASSERT_TRUE(bool(P)) << errorText(P.takeError());
  auto *S = at<kc_str *>(P->pointers(), 0);
  EXPECT_EQ(S->data, reinterpret_cast<const char *>(S + 1));
  // A result that is a view of it is formatted from the view's bytes only.
  kc_str *V = kc_str_slice(S, 5, 10, 1);
  EXPECT_EQ(fmt(Ctx.getStr(), V), "value");
  alignas(16) unsigned char Buf[16] = {};
  std::memcpy(Buf, &V, sizeof(V));
  std::string Canonical;
  llvm::raw_string_ostream OS(Canonical);
  kc::native::formatCanonical(Ctx.getStr(), Buf, OS);
  EXPECT_EQ(OS.str(), "\"value\"");
  kc_str *Empty = kc_str_slice(S, 11, 11, 1);
  EXPECT_EQ(fmt(Ctx.getStr(), Empty), "");
  // [str] of split pieces: views into the input.
  kc_array *Pieces = kc_str_split(S, str(": "), 1);
  EXPECT_EQ(fmt(Ctx.getArray(Ctx.getStr()), Pieces), "[key, value\n]");
}

TEST_F(MarshalTest, FormatContainers) {
  // [[i32]]
  kc_array *Inner1 = kc_array_new(2, 4, 0);
  static_cast<int32_t *>(Inner1->data)[0] = 1;
  static_cast<int32_t *>(Inner1->data)[1] = -2;
  kc_array *Inner2 = kc_array_new(0, 4, 0);
  kc_array *Outer = kc_array_new(2, 8, 0);
  static_cast<kc_array **>(Outer->data)[0] = Inner1;
  static_cast<kc_array **>(Outer->data)[1] = Inner2;
  EXPECT_EQ(fmt(Ctx.getArray(Ctx.getArray(Ctx.getI32())), Outer),
            "[[1, -2], []]");

  // [bool] and [str]
  kc_array *Bools = kc_array_new(3, 1, 0);
  static_cast<bool *>(Bools->data)[0] = false;
  static_cast<bool *>(Bools->data)[1] = true;
  static_cast<bool *>(Bools->data)[2] = false;
  EXPECT_EQ(fmt(Ctx.getArray(Ctx.getBool()), Bools), "[false, true, false]");
  kc_array *Strs = kc_array_new(2, 8, 0);
  static_cast<kc_str **>(Strs->data)[0] = str("x");
  static_cast<kc_str **>(Strs->data)[1] = str("yz");
  EXPECT_EQ(fmt(Ctx.getArray(Ctx.getStr()), Strs), "[x, yz]");

  // map[str]int in insertion order, not sorted.
  kc_map *Counts = kc_map_new(KC_MAP_STR_KEYS);
  *kc_map_slot_str(Counts, str("the")) = 3;
  *kc_map_slot_str(Counts, str("a")) = 1;
  *kc_map_slot_str(Counts, str("zebra")) = uint64_t(int64_t(-2));
  EXPECT_EQ(fmt(Ctx.getMap(Ctx.getStr(), Ctx.getInt()), Counts),
            "{\"the\": 3, \"a\": 1, \"zebra\": -2}");

  // map[int]i32 (sign-extended slots), map[int]f64 (bit patterns).
  kc_map *Small = kc_map_new(KC_MAP_INT_KEYS);
  *kc_map_slot_int(Small, 5) = uint64_t(int64_t(-1));
  *kc_map_slot_int(Small, -3) = 7;
  EXPECT_EQ(fmt(Ctx.getMap(Ctx.getInt(), Ctx.getI32()), Small),
            "{5: -1, -3: 7}");
  kc_map *Floats = kc_map_new(KC_MAP_INT_KEYS);
  double Half = 0.5;
  std::memcpy(kc_map_slot_int(Floats, 1), &Half, 8);
  EXPECT_EQ(fmt(Ctx.getMap(Ctx.getInt(), Ctx.getF64()), Floats), "{1: 0.5}");
  EXPECT_EQ(
      fmt(Ctx.getMap(Ctx.getInt(), Ctx.getF64()), kc_map_new(KC_MAP_INT_KEYS)),
      "{}");
  // map[str][int]
  kc_map *Lists = kc_map_new(KC_MAP_STR_KEYS);
  *kc_map_slot_str(Lists, str("k")) = reinterpret_cast<uint64_t>(Inner2);
  EXPECT_EQ(fmt(Ctx.getMap(Ctx.getStr(), Ctx.getArray(Ctx.getI32())), Lists),
            "{\"k\": []}");
}

TEST_F(MarshalTest, FormatRecords) {
  kir::RecordDecl Point;
  Point.Name = "Point";
  Point.Fields = {{"x", Ctx.getF64()}, {"y", Ctx.getF64()}};
  kir::RecordDecl Body;
  Body.Name = "Body";
  Body.Fields = {{"alive", Ctx.getBool()},
                 {"id", Ctx.getI32()},
                 {"name", Ctx.getStr()},
                 {"pos", Ctx.getRecord(&Point)},
                 {"mass", Ctx.getInt()}};
  struct PointC {
    double x, y;
  };
  struct BodyC {
    bool alive;
    int32_t id;
    kc_str *name;
    PointC *pos;
    int64_t mass;
  };
  PointC P{1.5, -2};
  BodyC B{true, -4, str("earth"), &P, 597};
  EXPECT_EQ(native::layoutRecord(Body).Size, sizeof(BodyC));
  EXPECT_EQ(fmt(Ctx.getRecord(&Body), &B),
            "Body{alive: true, id: -4, name: earth, pos: Point{x: 1.5, y: -2}, "
            "mass: 597}");
  PointC Q{0, 0.25};
  kc_array *Points = kc_array_new(2, 8, 0);
  static_cast<PointC **>(Points->data)[0] = &P;
  static_cast<PointC **>(Points->data)[1] = &Q;
  EXPECT_EQ(fmt(Ctx.getArray(Ctx.getRecord(&Point)), Points),
            "[Point{x: 1.5, y: -2}, Point{x: 0, y: 0.25}]");
  EXPECT_EQ(fmt(Ctx.getRecord(&Point), static_cast<void *>(nullptr)), "null");
}

} // namespace
