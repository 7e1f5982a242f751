//===- WorkloadTest.cpp - Unit tests of the Rng, generators and .kin files ===//

#include "Bench/Workload.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

using namespace kc::bench;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

ArgExpr lit(int64_t I) {
  ArgExpr E;
  E.K = ArgExpr::IntLit;
  E.I = I;
  return E;
}

ArgExpr flit(double F) {
  ArgExpr E;
  E.K = ArgExpr::FloatLit;
  E.F = F;
  return E;
}

ArgExpr size() {
  ArgExpr E;
  E.K = ArgExpr::Size;
  return E;
}

ArgExpr bin(ArgExpr::Kind K, ArgExpr L, ArgExpr R) {
  ArgExpr E;
  E.K = K;
  E.L = std::make_shared<ArgExpr>(std::move(L));
  E.R = std::make_shared<ArgExpr>(std::move(R));
  return E;
}

WorkloadSpec workload(GenKind G, std::vector<ArgExpr> Args,
                      int64_t Size = 100) {
  WorkloadSpec W;
  W.Name = "w";
  W.Sizes = {Size / 10, Size, Size * 10};
  ArgSpec A;
  A.Param = "data";
  A.Gen = G;
  A.Args = std::move(Args);
  W.Args.push_back(std::move(A));
  return W;
}

Value generateOne(GenKind G, std::vector<ArgExpr> Args) {
  llvm::Expected<std::vector<Value>> V =
      generateWithSize(workload(G, std::move(Args)), 0);
  if (!V) {
    ADD_FAILURE() << llvm::toString(V.takeError());
    return Value();
  }
  EXPECT_EQ(V->size(), 1u);
  return std::move(V->front());
}

std::string generateError(const WorkloadSpec &W, int64_t Size = 100) {
  llvm::Expected<std::vector<Value>> V = generateWithSize(W, Size);
  if (V)
    return "(no error)";
  return llvm::toString(V.takeError());
}

// A strict JSON (RFC 8259) recogniser, enough to check json_text without
// trusting the generator. Records the deepest nesting it saw.
class JsonChecker {
public:
  explicit JsonChecker(const std::string &S) : S(S) {}
  bool check() {
    skipSpace();
    if (!value(0))
      return false;
    skipSpace();
    return Pos == S.size();
  }
  size_t MaxDepth = 0;
  std::set<char> EscapesSeen;
  bool SawExponent = false, SawFraction = false, SawNegative = false;
  std::set<std::string> Literals;

private:
  const std::string &S;
  size_t Pos = 0;

  bool eat(char C) {
    if (Pos < S.size() && S[Pos] == C) {
      ++Pos;
      return true;
    }
    return false;
  }
  void skipSpace() {
    while (Pos < S.size() && (S[Pos] == ' ' || S[Pos] == '\n' ||
                              S[Pos] == '\t' || S[Pos] == '\r'))
      ++Pos;
  }
  bool digits() {
    size_t Start = Pos;
    while (Pos < S.size() && std::isdigit((unsigned char)S[Pos]))
      ++Pos;
    return Pos > Start;
  }
  bool value(size_t Depth) {
    MaxDepth = std::max(MaxDepth, Depth);
    if (Pos >= S.size())
      return false;
    char C = S[Pos];
    if (C == '{')
      return object(Depth + 1);
    if (C == '[')
      return array(Depth + 1);
    if (C == '"')
      return string();
    for (const char *Lit : {"true", "false", "null"}) {
      size_t N = std::strlen(Lit);
      if (S.compare(Pos, N, Lit) == 0) {
        Pos += N;
        Literals.insert(Lit);
        return true;
      }
    }
    return number();
  }
  bool object(size_t Depth) {
    eat('{');
    skipSpace();
    if (eat('}'))
      return true;
    for (;;) {
      skipSpace();
      if (!string())
        return false;
      skipSpace();
      if (!eat(':'))
        return false;
      skipSpace();
      if (!value(Depth))
        return false;
      skipSpace();
      if (eat('}'))
        return true;
      if (!eat(','))
        return false;
    }
  }
  bool array(size_t Depth) {
    eat('[');
    skipSpace();
    if (eat(']'))
      return true;
    for (;;) {
      skipSpace();
      if (!value(Depth))
        return false;
      skipSpace();
      if (eat(']'))
        return true;
      if (!eat(','))
        return false;
    }
  }
  bool string() {
    if (!eat('"'))
      return false;
    while (Pos < S.size()) {
      unsigned char C = (unsigned char)S[Pos++];
      if (C == '"')
        return true;
      if (C < 0x20 || C >= 0x80)
        return false;
      if (C != '\\')
        continue;
      if (Pos >= S.size())
        return false;
      char E = S[Pos++];
      EscapesSeen.insert(E);
      if (E == 'u') {
        for (int I = 0; I < 4; ++I)
          if (Pos >= S.size() || !std::isxdigit((unsigned char)S[Pos++]))
            return false;
      } else if (!std::strchr("\"\\/bfnrt", E)) {
        return false;
      }
    }
    return false;
  }
  bool number() {
    if (eat('-'))
      SawNegative = true;
    if (eat('0')) {
      if (Pos < S.size() && std::isdigit((unsigned char)S[Pos]))
        return false; // no leading zeros
    } else if (!digits()) {
      return false;
    }
    if (eat('.')) {
      SawFraction = true;
      if (!digits())
        return false;
    }
    if (eat('e') || eat('E')) {
      SawExponent = true;
      if (!eat('+'))
        eat('-');
      if (!digits())
        return false;
    }
    return true;
  }
};

//===----------------------------------------------------------------------===//
// Names and expressions
//===----------------------------------------------------------------------===//

TEST(WorkloadTest, Names) {
  EXPECT_EQ(sizeClassName(SizeClass::Small), "small");
  EXPECT_EQ(sizeClassName(SizeClass::Default), "default");
  EXPECT_EQ(sizeClassName(SizeClass::Large), "large");
  EXPECT_EQ(parseSizeClass("large"), SizeClass::Large);
  EXPECT_EQ(parseSizeClass("small"), SizeClass::Small);
  EXPECT_EQ(parseSizeClass("default"), SizeClass::Default);
  EXPECT_EQ(parseSizeClass("Large"), std::nullopt);
  EXPECT_EQ(parseSizeClass(""), std::nullopt);

  EXPECT_EQ(genName(GenKind::RandomInts), "random_ints");
  EXPECT_EQ(genName(GenKind::JsonText), "json_text");
  EXPECT_EQ(genNumArgs(GenKind::RandomFloats), 4u);
  EXPECT_EQ(genNumArgs(GenKind::AsciiText), 2u);
  EXPECT_EQ(genNumArgs(GenKind::Scalar), 1u);
  EXPECT_EQ(lookupGenerator("random_bytes"), GenKind::RandomBytes);
  EXPECT_EQ(lookupGenerator("ascii_text"), GenKind::AsciiText);
  EXPECT_EQ(lookupGenerator(""), std::nullopt);
  EXPECT_EQ(lookupGenerator("random"), std::nullopt);

  BenchSpec B;
  B.Workloads.push_back(workload(GenKind::Scalar, {lit(1)}));
  B.Workloads.push_back(workload(GenKind::Scalar, {lit(2)}));
  B.Workloads[1].Name = "other";
  EXPECT_EQ(B.find("w"), &B.Workloads[0]);
  EXPECT_EQ(B.find("other"), &B.Workloads[1]);
  EXPECT_EQ(B.find("nope"), nullptr);
}

TEST(WorkloadTest, ArgExprEval) {
  ArgExpr E = bin(ArgExpr::Add, bin(ArgExpr::Mul, size(), lit(2)), lit(1));
  EXPECT_FALSE(E.isFloat());
  EXPECT_EQ(*E.evalInt(10), 21);
  EXPECT_EQ(*E.evalFloat(10), 21.0);
  EXPECT_EQ(*bin(ArgExpr::Div, lit(-7), lit(2)).evalInt(0), -3); // truncates
  EXPECT_EQ(*bin(ArgExpr::Div, size(), lit(4)).evalInt(10), 2);
  EXPECT_EQ(*bin(ArgExpr::Sub, lit(3), size()).evalInt(10), -7);

  ArgExpr F = bin(ArgExpr::Mul, bin(ArgExpr::Div, size(), lit(4)), flit(0.5));
  EXPECT_TRUE(F.isFloat());
  EXPECT_EQ(*F.evalFloat(10), 1.25); // f64 throughout
  llvm::Expected<int64_t> NotInt = F.evalInt(10);
  EXPECT_FALSE(bool(NotInt));
  llvm::consumeError(NotInt.takeError());

  llvm::Expected<int64_t> DivZero =
      bin(ArgExpr::Div, lit(1), bin(ArgExpr::Sub, size(), size())).evalInt(5);
  ASSERT_FALSE(bool(DivZero));
  EXPECT_EQ(llvm::toString(DivZero.takeError()),
            "division by zero in a workload expression");
  llvm::Expected<double> FDivZero =
      bin(ArgExpr::Div, flit(1), lit(0)).evalFloat(5);
  ASSERT_FALSE(bool(FDivZero));
  llvm::consumeError(FDivZero.takeError());
  llvm::Expected<int64_t> Overflow =
      bin(ArgExpr::Mul, lit(INT64_MAX), lit(2)).evalInt(0);
  ASSERT_FALSE(bool(Overflow));
  llvm::consumeError(Overflow.takeError());
  llvm::Expected<int64_t> MinDiv =
      bin(ArgExpr::Div, lit(INT64_MIN), lit(-1)).evalInt(0);
  ASSERT_FALSE(bool(MinDiv));
  llvm::consumeError(MinDiv.takeError());
}

//===----------------------------------------------------------------------===//
// Rng
//===----------------------------------------------------------------------===//

// Expected values come from an independent Python transcription of the
// published splitmix64 and xoshiro256** reference code (run once).
TEST(RngTest, PinnedOutputs) {
  Rng R(1);
  EXPECT_EQ(R.next(), 0xb3f2af6d0fc710c5ULL);
  EXPECT_EQ(R.next(), 0x853b559647364ceaULL);
  EXPECT_EQ(R.next(), 0x92f89756082a4514ULL);
  EXPECT_EQ(R.next(), 0x642e1c7bc266a3a7ULL);
  EXPECT_EQ(R.next(), 0xb27a48e29a233673ULL);
  Rng Z(0);
  EXPECT_EQ(Z.next(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(Z.next(), 0xbf6e1f784956452aULL);
  Rng F(42);
  EXPECT_EQ(F.next(), 0x15780b2e0c2ec716ULL);
}

TEST(RngTest, PinnedUniform) {
  Rng R(1);
  std::vector<int64_t> Got;
  for (int I = 0; I < 8; ++I)
    Got.push_back(R.uniformInt(0, 99));
  EXPECT_EQ(Got, (std::vector<int64_t>{70, 52, 57, 39, 69, 14, 7, 38}));
  Rng S(7);
  Got.clear();
  for (int I = 0; I < 5; ++I)
    Got.push_back(S.uniformInt(-1000, 1000));
  EXPECT_EQ(Got, (std::vector<int64_t>{401, -443, 680, 963, 982}));
  Rng T(1);
  EXPECT_EQ(T.uniformFloat(0, 1), 0.7029218331588505);
  EXPECT_EQ(T.uniformFloat(0, 1), 0.5204366199388569);
  EXPECT_EQ(T.uniformFloat(0, 1), 0.5741057000197225);
}

TEST(RngTest, UniformIntRanges) {
  Rng R(99);
  for (int I = 0; I < 100; ++I)
    EXPECT_EQ(R.uniformInt(5, 5), 5);
  std::set<int64_t> Seen;
  for (int I = 0; I < 2000; ++I) {
    int64_t V = R.uniformInt(-3, 3);
    ASSERT_GE(V, -3);
    ASSERT_LE(V, 3);
    Seen.insert(V);
  }
  EXPECT_EQ(Seen.size(), 7u);
  bool SawNegative = false, SawPositive = false;
  for (int I = 0; I < 100; ++I) {
    int64_t V = R.uniformInt(INT64_MIN, INT64_MAX);
    SawNegative |= V < 0;
    SawPositive |= V > 0;
  }
  EXPECT_TRUE(SawNegative && SawPositive);
  // Ranges near 2^64 take the rejection path; values must stay in range.
  for (int I = 0; I < 1000; ++I) {
    int64_t V = R.uniformInt(INT64_MIN + 5, INT64_MAX - 5);
    ASSERT_GE(V, INT64_MIN + 5);
    ASSERT_LE(V, INT64_MAX - 5);
  }
  // Unbiased enough: each of 10 buckets within 10% of its share.
  std::vector<int> Buckets(10);
  for (int I = 0; I < 100000; ++I)
    ++Buckets[size_t(R.uniformInt(0, 9))];
  for (int B : Buckets)
    EXPECT_NEAR(B, 10000, 1000);
}

TEST(RngTest, UniformFloatRange) {
  Rng R(3);
  double Min = 1e9, Max = -1e9;
  for (int I = 0; I < 10000; ++I) {
    double V = R.uniformFloat(-2.5, 7.5);
    ASSERT_GE(V, -2.5);
    ASSERT_LT(V, 7.5);
    Min = std::min(Min, V);
    Max = std::max(Max, V);
  }
  EXPECT_LT(Min, -2.4);
  EXPECT_GT(Max, 7.4);
  // A range so narrow that rounding would reach Hi still stays below it.
  Rng T(3);
  double Lo = 1.0, Hi = std::nextafter(1.0, 2.0);
  for (int I = 0; I < 1000; ++I)
    ASSERT_LT(T.uniformFloat(Lo, Hi), Hi);
}

//===----------------------------------------------------------------------===//
// Generators
//===----------------------------------------------------------------------===//

TEST(GeneratorTest, RandomInts) {
  Value V =
      generateOne(GenKind::RandomInts, {lit(1000), lit(-5), lit(5), lit(1)});
  ASSERT_EQ(V.K, Value::IntArray);
  ASSERT_EQ(V.Ints.size(), 1000u);
  std::set<int64_t> Seen(V.Ints.begin(), V.Ints.end());
  EXPECT_EQ(*Seen.begin(), -5);
  EXPECT_EQ(*Seen.rbegin(), 5);
  EXPECT_EQ(Seen.size(), 11u);
  // Deterministic, and the seed matters.
  Value Again =
      generateOne(GenKind::RandomInts, {lit(1000), lit(-5), lit(5), lit(1)});
  EXPECT_EQ(V.Ints, Again.Ints);
  Value Other =
      generateOne(GenKind::RandomInts, {lit(1000), lit(-5), lit(5), lit(2)});
  EXPECT_NE(V.Ints, Other.Ints);
  // The first values are Rng(1).uniformInt(lo, hi).
  Value Pinned =
      generateOne(GenKind::RandomInts, {lit(3), lit(0), lit(99), lit(1)});
  EXPECT_EQ(Pinned.Ints, (std::vector<int64_t>{70, 52, 57}));
  Value Empty =
      generateOne(GenKind::RandomInts, {lit(0), lit(0), lit(1), lit(1)});
  EXPECT_TRUE(Empty.Ints.empty());
}

TEST(GeneratorTest, RandomFloatsAndBytes) {
  Value F = generateOne(GenKind::RandomFloats,
                        {lit(500), flit(-1.0), lit(1), lit(9)});
  ASSERT_EQ(F.K, Value::F64Array);
  ASSERT_EQ(F.Floats.size(), 500u);
  for (double D : F.Floats) {
    ASSERT_GE(D, -1.0);
    ASSERT_LT(D, 1.0);
  }
  Value Same = generateOne(GenKind::RandomFloats,
                           {lit(4), flit(2.5), flit(2.5), lit(9)});
  EXPECT_EQ(Same.Floats, (std::vector<double>{2.5, 2.5, 2.5, 2.5}));

  Value B = generateOne(GenKind::RandomBytes, {lit(11), lit(1)});
  ASSERT_EQ(B.K, Value::Bytes);
  ASSERT_EQ(B.Data.size(), 11u);
  // Rng(1) outputs, least significant byte first.
  EXPECT_EQ(B.Data, std::string("\xc5\x10\xc7\x0f\x6d\xaf\xf2\xb3"
                                "\xea\x4c\x36",
                                11));
  Value Big = generateOne(GenKind::RandomBytes, {lit(100000), lit(5)});
  std::set<unsigned char> Distinct(Big.Data.begin(), Big.Data.end());
  EXPECT_EQ(Distinct.size(), 256u);
}

TEST(GeneratorTest, AsciiTextShape) {
  for (int64_t N : {0, 1, 2, 7, 64, 1000, 123457}) {
    Value T = generateOne(GenKind::AsciiText, {lit(N), lit(3)});
    ASSERT_EQ(T.K, Value::Str);
    ASSERT_EQ(int64_t(T.Data.size()), N);
    if (N == 0)
      continue;
    EXPECT_TRUE(std::islower((unsigned char)T.Data[0])) << N;
    for (size_t I = 0; I < T.Data.size(); ++I) {
      char C = T.Data[I];
      ASSERT_TRUE(std::islower((unsigned char)C) || std::strchr(" ,.;:!?\n", C))
          << int(C);
      // Words are separated by single spaces; punctuation follows a word.
      if (I > 0 && (C == ' ' || C == ',' || C == '.')) {
        ASSERT_NE(T.Data[I - 1], ' ');
      }
    }
  }
}

TEST(GeneratorTest, AsciiTextWordFrequencies) {
  Value T = generateOne(GenKind::AsciiText, {lit(400000), lit(11)});
  std::map<std::string, int> Counts;
  std::string Word;
  size_t MaxLen = 0;
  for (char C : T.Data) {
    if (std::islower((unsigned char)C)) {
      Word += C;
      continue;
    }
    if (!Word.empty()) {
      ++Counts[Word];
      MaxLen = std::max(MaxLen, Word.size());
    }
    Word.clear();
  }
  EXPECT_LE(MaxLen, 10u);
  EXPECT_GT(Counts.size(), 1000u); // most of the 2000-word vocabulary
  EXPECT_LE(Counts.size(), 2000u);
  std::vector<int> Sorted;
  for (auto &KV : Counts)
    Sorted.push_back(KV.second);
  std::sort(Sorted.rbegin(), Sorted.rend());
  // Zipf-ish: the top word is far more common than the median one.
  EXPECT_GT(Sorted[0], 50 * Sorted[Sorted.size() / 2]);
  // Deterministic, and the seed matters.
  EXPECT_EQ(generateOne(GenKind::AsciiText, {lit(5000), lit(11)}).Data,
            T.Data.substr(0, 5000));
  EXPECT_NE(generateOne(GenKind::AsciiText, {lit(5000), lit(12)}).Data,
            T.Data.substr(0, 5000));
}

TEST(GeneratorTest, JsonTextIsValidJson) {
  bool SawDepth3 = false;
  JsonChecker All(""); // aggregates of what the big document contains
  for (int64_t N : {0, 1, 2, 3, 10, 100, 1000, 5000, 100000, 1000000}) {
    for (int64_t Seed : {1, 2}) {
      Value J = generateOne(GenKind::JsonText, {lit(N), lit(Seed)});
      ASSERT_EQ(J.K, Value::Str);
      ASSERT_GE(int64_t(J.Data.size()), N);
      ASSERT_LE(int64_t(J.Data.size()), std::max<int64_t>(N, 2) + 300) << N;
      JsonChecker C(J.Data);
      ASSERT_TRUE(C.check())
          << "n=" << N << " seed=" << Seed << ": " << J.Data.substr(0, 300);
      ASSERT_EQ(J.Data.front(), '[');
      ASSERT_EQ(J.Data.back(), ']');
      if (N == 1000000) {
        SawDepth3 = C.MaxDepth >= 3;
        EXPECT_TRUE(C.SawExponent && C.SawFraction && C.SawNegative);
        for (char E : {'"', '\\', 'n', 'u'})
          EXPECT_TRUE(C.EscapesSeen.count(E)) << E;
        EXPECT_EQ(C.Literals, (std::set<std::string>{"true", "false", "null"}));
      }
    }
  }
  EXPECT_TRUE(SawDepth3);
  EXPECT_EQ(generateOne(GenKind::JsonText, {lit(0), lit(1)}).Data, "[]");
  EXPECT_EQ(generateOne(GenKind::JsonText, {lit(5000), lit(1)}).Data,
            generateOne(GenKind::JsonText, {lit(5000), lit(1)}).Data);
}

TEST(GeneratorTest, ScalarsAndSizeClasses) {
  WorkloadSpec W =
      workload(GenKind::Scalar,
               {bin(ArgExpr::Add, bin(ArgExpr::Div, size(), lit(2)), lit(1))});
  llvm::Expected<std::vector<Value>> Small = generate(W, SizeClass::Small);
  ASSERT_TRUE(bool(Small));
  EXPECT_EQ((*Small)[0].K, Value::Int);
  EXPECT_EQ((*Small)[0].I, 6); // size 10
  llvm::Expected<std::vector<Value>> Large = generate(W, SizeClass::Large);
  ASSERT_TRUE(bool(Large));
  EXPECT_EQ((*Large)[0].I, 501); // size 1000

  WorkloadSpec F =
      workload(GenKind::Scalar, {bin(ArgExpr::Mul, size(), flit(0.5))});
  llvm::Expected<std::vector<Value>> FV = generate(F, SizeClass::Default);
  ASSERT_TRUE(bool(FV));
  EXPECT_EQ((*FV)[0].K, Value::F64);
  EXPECT_EQ((*FV)[0].F, 50.0);

  // Several arguments, in order; generate() uses the class's size.
  WorkloadSpec Multi =
      workload(GenKind::RandomInts, {size(), lit(0), lit(9), lit(1)});
  ArgSpec Second;
  Second.Param = "k";
  Second.Gen = GenKind::Scalar;
  Second.Args = {lit(7)};
  Multi.Args.push_back(Second);
  llvm::Expected<std::vector<Value>> MV = generate(Multi, SizeClass::Small);
  ASSERT_TRUE(bool(MV));
  ASSERT_EQ(MV->size(), 2u);
  EXPECT_EQ((*MV)[0].Ints.size(), 10u);
  EXPECT_EQ((*MV)[1].I, 7);
  llvm::Expected<std::vector<Value>> Sized = generateWithSize(Multi, 33);
  ASSERT_TRUE(bool(Sized));
  EXPECT_EQ((*Sized)[0].Ints.size(), 33u);
}

TEST(GeneratorTest, Errors) {
  EXPECT_EQ(generateError(workload(GenKind::RandomBytes, {lit(-1), lit(1)})),
            "workload 'w': argument 'data': size -1 out of range");
  EXPECT_EQ(generateError(workload(
                GenKind::AsciiText,
                {bin(ArgExpr::Add, lit(int64_t(1) << 31), lit(1)), lit(1)})),
            "workload 'w': argument 'data': size 2147483649 out of range");
  EXPECT_EQ(generateError(workload(GenKind::RandomInts,
                                   {lit(3), lit(5), lit(4), lit(1)})),
            "workload 'w': argument 'data': lo (5) > hi (4)");
  EXPECT_EQ(generateError(workload(GenKind::RandomFloats,
                                   {lit(3), flit(1.5), flit(0.5), lit(1)})),
            "workload 'w': argument 'data': lo (1.5) > hi (0.5)");
  EXPECT_EQ(generateError(workload(GenKind::RandomInts, {lit(3), lit(5)})),
            "workload 'w': argument 'data': random_ints takes 4 argument(s), "
            "got 2");
  EXPECT_EQ(generateError(workload(GenKind::RandomBytes, {flit(3), lit(1)})),
            "workload 'w': argument 'data': size must be an integer");
  EXPECT_EQ(
      generateError(workload(GenKind::RandomBytes,
                             {bin(ArgExpr::Div, size(), lit(0)), lit(1)})),
      "workload 'w': argument 'data': division by zero in a workload "
      "expression");
  EXPECT_EQ(
      generateError(workload(GenKind::RandomInts,
                             {lit(3), lit(0), lit(int64_t(1) << 60), lit(1)})),
      "workload 'w': argument 'data': hi 1152921504606846976 outside the "
      "safe integer range +-2^53");
  EXPECT_EQ(generateError(workload(GenKind::Scalar, {lit(3)}), -5),
            "workload 'w': size -5 is negative");
}

//===----------------------------------------------------------------------===//
// .kin files
//===----------------------------------------------------------------------===//

std::vector<Value> sampleValues() {
  std::vector<Value> Vs(8);
  Vs[0].K = Value::Int;
  Vs[0].I = -123456789;
  Vs[1].K = Value::F64;
  Vs[1].F = -0.0;
  Vs[2].K = Value::Bool;
  Vs[2].I = 1;
  Vs[3].K = Value::Bytes;
  Vs[3].Data = std::string("\0\x01\xff", 3);
  Vs[4].K = Value::Str;
  Vs[4].Data = "hello, world";
  Vs[5].K = Value::IntArray;
  Vs[5].Ints = {1, -2, INT64_MAX, INT64_MIN};
  Vs[6].K = Value::F64Array;
  Vs[6].Floats = {0.5, std::nan(""), -HUGE_VAL};
  Vs[7].K = Value::Str; // empty
  return Vs;
}

std::string serialize(const std::vector<Value> &Vs) {
  std::string Buf;
  llvm::raw_string_ostream OS(Buf);
  writeInputs(Vs, OS);
  OS.flush();
  return Buf;
}

TEST(KinTest, RoundTrip) {
  std::vector<Value> Vs = sampleValues();
  std::string Buf = serialize(Vs);
  EXPECT_EQ(Buf.substr(0, 10), std::string("KCIN1\n\x08\0\0\0", 10));
  llvm::Expected<std::vector<Value>> Back = readInputs(Buf);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  ASSERT_EQ(Back->size(), Vs.size());
  for (size_t I = 0; I < Vs.size(); ++I) {
    const Value &A = Vs[I], &B = (*Back)[I];
    EXPECT_EQ(A.K, B.K);
    EXPECT_EQ(A.I, B.I);
    EXPECT_EQ(std::memcmp(&A.F, &B.F, 8), 0);
    EXPECT_EQ(A.Data, B.Data);
    EXPECT_EQ(A.Ints, B.Ints);
    ASSERT_EQ(A.Floats.size(), B.Floats.size());
    for (size_t J = 0; J < A.Floats.size(); ++J)
      EXPECT_EQ(std::memcmp(&A.Floats[J], &B.Floats[J], 8), 0);
  }
  llvm::Expected<std::vector<Value>> None = readInputs(serialize({}));
  ASSERT_TRUE(bool(None));
  EXPECT_TRUE(None->empty());
}

TEST(KinTest, RejectsEveryTruncation) {
  std::string Buf = serialize(sampleValues());
  for (size_t Len = 0; Len < Buf.size(); ++Len) {
    llvm::Expected<std::vector<Value>> V =
        readInputs(llvm::StringRef(Buf).take_front(Len));
    ASSERT_FALSE(bool(V)) << "accepted a prefix of " << Len << " bytes";
    llvm::consumeError(V.takeError());
  }
}

TEST(KinTest, RejectsCorruption) {
  auto Reject = [](const std::string &Buf) {
    llvm::Expected<std::vector<Value>> V = readInputs(Buf);
    if (V)
      return std::string("(accepted)");
    return llvm::toString(V.takeError());
  };
  std::string Good = serialize(sampleValues());
  EXPECT_EQ(Reject("KCIN2\n" + Good.substr(6)),
            "invalid input file: not a .kin file (bad magic)");
  EXPECT_EQ(Reject(Good + "x"),
            "invalid input file: 1 trailing bytes after the last value");
  // A huge count with nothing behind it.
  EXPECT_EQ(Reject(std::string("KCIN1\n\xff\xff\xff\xff", 10)),
            "invalid input file: truncated kind of value 0");
  // Unknown kind.
  EXPECT_EQ(Reject(std::string("KCIN1\n\x01\0\0\0\x09", 11)),
            "invalid input file: unknown kind 9 of value 0");
  // A bool that is not 0 or 1.
  EXPECT_EQ(Reject(std::string("KCIN1\n\x01\0\0\0\x02\x05", 12)),
            "invalid input file: bool value 0 is neither 0 nor 1");
  // Lengths far beyond the buffer must fail before allocating.
  std::string HugeStr("KCIN1\n\x01\0\0\0\x04", 11);
  HugeStr += std::string("\0\0\0\0\0\0\0\x10", 8); // 2^60 bytes
  HugeStr += "abc";
  EXPECT_EQ(Reject(HugeStr), "invalid input file: truncated string value 0");
  std::string HugeArray("KCIN1\n\x01\0\0\0\x05", 11);
  HugeArray += std::string("\xff\xff\xff\xff\xff\xff\xff\xff", 8);
  HugeArray += std::string(16, '\0');
  EXPECT_EQ(Reject(HugeArray), "invalid input file: truncated array value 0");
  // 2^61 elements: n * 8 would wrap to 0 in 64 bits.
  std::string WrapArray("KCIN1\n\x01\0\0\0\x06", 11);
  WrapArray += std::string("\0\0\0\0\0\0\0\x20", 8);
  EXPECT_EQ(Reject(WrapArray), "invalid input file: truncated array value 0");
}

TEST(KinTest, SurvivesRandomCorruption) {
  // Flipped bytes must give an error or a value, never a crash or a huge
  // allocation (run under ASan to make the "never" strict).
  std::string Good = serialize(sampleValues());
  Rng R(2024);
  for (int I = 0; I < 20000; ++I) {
    std::string Bad = Good;
    for (int64_t J = R.uniformInt(1, 4); J > 0; --J)
      Bad[size_t(R.uniformInt(0, int64_t(Bad.size()) - 1))] =
          char(R.uniformInt(0, 255));
    llvm::Expected<std::vector<Value>> V = readInputs(Bad);
    if (!V)
      llvm::consumeError(V.takeError());
  }
}

TEST(KinTest, GeneratedInputsRoundTrip) {
  Value J = generateOne(GenKind::JsonText, {lit(20000), lit(4)});
  Value I =
      generateOne(GenKind::RandomInts, {lit(20000), lit(-9), lit(9), lit(4)});
  llvm::Expected<std::vector<Value>> Back = readInputs(serialize({J, I}));
  ASSERT_TRUE(bool(Back));
  EXPECT_EQ((*Back)[0].Data, J.Data);
  EXPECT_EQ((*Back)[1].Ints, I.Ints);
}

} // namespace
