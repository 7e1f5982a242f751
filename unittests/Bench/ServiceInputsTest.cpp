//===- ServiceInputsTest.cpp - Unit tests of the service-input generators -===//
//
// Each generator's output is checked against an independent reading of its
// format (a base64 decoder, a strict UTF-8 validator, a route matcher...),
// never against a copy of the generator's own logic.
//
//===----------------------------------------------------------------------===//

#include "Bench/Workload.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "gtest/gtest.h"
#include <map>
#include <set>

using namespace kc::bench;
using llvm::StringRef;

namespace {

ArgExpr lit(int64_t I) {
  ArgExpr E;
  E.K = ArgExpr::IntLit;
  E.I = I;
  return E;
}

llvm::Expected<Value> tryGenerate(GenKind G, std::vector<int64_t> Args) {
  WorkloadSpec W;
  W.Name = "w";
  ArgSpec A;
  A.Param = "p";
  A.Gen = G;
  for (int64_t I : Args)
    A.Args.push_back(lit(I));
  W.Args.push_back(std::move(A));
  llvm::Expected<std::vector<Value>> V = generateWithSize(W, 0);
  if (!V)
    return V.takeError();
  return std::move(V->front());
}

Value generate(GenKind G, std::vector<int64_t> Args) {
  llvm::Expected<Value> V = tryGenerate(G, std::move(Args));
  if (!V) {
    ADD_FAILURE() << llvm::toString(V.takeError());
    return Value();
  }
  return std::move(*V);
}

std::vector<StringRef> lines(StringRef Text) {
  llvm::SmallVector<StringRef, 0> Parts;
  Text.split(Parts, '\n');
  EXPECT_TRUE(Parts.back().empty()) << "text does not end in a newline";
  Parts.pop_back();
  return {Parts.begin(), Parts.end()};
}

// RFC 4648 decoding, strict about padding.
std::optional<std::string> decodeBase64(StringRef S) {
  auto Sextet = [](char C) -> int {
    if (C >= 'A' && C <= 'Z')
      return C - 'A';
    if (C >= 'a' && C <= 'z')
      return C - 'a' + 26;
    if (C >= '0' && C <= '9')
      return C - '0' + 52;
    return C == '+' ? 62 : C == '/' ? 63 : -1;
  };
  if (S.size() % 4)
    return std::nullopt;
  std::string Out;
  for (size_t I = 0; I < S.size(); I += 4) {
    int Pad = (S[I + 3] == '=') + (S[I + 2] == '=');
    if (Pad && I + 4 != S.size())
      return std::nullopt;
    uint32_t V = 0;
    for (int J = 0; J < 4; ++J) {
      int X = J >= 4 - Pad ? 0 : Sextet(S[I + J]);
      if (X < 0)
        return std::nullopt;
      V = V << 6 | uint32_t(X);
    }
    Out += char(V >> 16);
    if (Pad < 2)
      Out += char(V >> 8);
    if (Pad < 1)
      Out += char(V);
  }
  return Out;
}

// Unicode Table 3-7 (well-formed UTF-8 byte sequences). Returns the number
// of code points, or -1, and the longest sequence length seen.
int64_t utf8CodePoints(StringRef S, std::set<int> &Lengths) {
  const auto *P = reinterpret_cast<const unsigned char *>(S.data());
  size_t N = S.size(), I = 0;
  int64_t Count = 0;
  auto In = [&](size_t K, unsigned Lo, unsigned Hi) {
    return I + K < N && P[I + K] >= Lo && P[I + K] <= Hi;
  };
  while (I < N) {
    unsigned B = P[I];
    int Len;
    if (B <= 0x7f)
      Len = 1;
    else if (B >= 0xc2 && B <= 0xdf && In(1, 0x80, 0xbf))
      Len = 2;
    else if (B == 0xe0 && In(1, 0xa0, 0xbf) && In(2, 0x80, 0xbf))
      Len = 3;
    else if (((B >= 0xe1 && B <= 0xec) || B == 0xee || B == 0xef) &&
             In(1, 0x80, 0xbf) && In(2, 0x80, 0xbf))
      Len = 3;
    else if (B == 0xed && In(1, 0x80, 0x9f) && In(2, 0x80, 0xbf))
      Len = 3;
    else if (B == 0xf0 && In(1, 0x90, 0xbf) && In(2, 0x80, 0xbf) &&
             In(3, 0x80, 0xbf))
      Len = 4;
    else if (B >= 0xf1 && B <= 0xf3 && In(1, 0x80, 0xbf) &&
             In(2, 0x80, 0xbf) && In(3, 0x80, 0xbf))
      Len = 4;
    else if (B == 0xf4 && In(1, 0x80, 0x8f) && In(2, 0x80, 0xbf) &&
             In(3, 0x80, 0xbf))
      Len = 4;
    else
      return -1;
    Lengths.insert(Len);
    I += size_t(Len);
    ++Count;
  }
  return Count;
}

TEST(ServiceInputsTest, Base64TextDecodesToRandomBytes) {
  for (int64_t N : {0, 1, 2, 3, 4, 5, 1000, 1001, 1002}) {
    Value B = generate(GenKind::Base64Text, {N, 7});
    ASSERT_EQ(B.K, Value::Str);
    EXPECT_EQ(B.Data.size(), size_t((N + 2) / 3 * 4));
    std::optional<std::string> Decoded = decodeBase64(B.Data);
    ASSERT_TRUE(Decoded) << B.Data;
    EXPECT_EQ(*Decoded, generate(GenKind::RandomBytes, {N, 7}).Data);
  }
}

TEST(ServiceInputsTest, Utf8LinesMostlyValidWithOneDefectInSixteen) {
  Value V = generate(GenKind::Utf8Lines, {300000, 3});
  ASSERT_EQ(V.K, Value::Bytes);
  EXPECT_GE(V.Data.size(), 300000u);
  EXPECT_LE(V.Data.size(), 300000u + 4 * 61 + 1);
  std::set<int> Lengths;
  size_t Invalid = 0;
  std::vector<StringRef> Lines = lines(V.Data);
  for (StringRef L : Lines) {
    int64_t Count = utf8CodePoints(L, Lengths);
    if (Count < 0)
      ++Invalid;
    else
      EXPECT_LE(Count, 60);
  }
  EXPECT_EQ(Lengths, (std::set<int>{1, 2, 3, 4}));
  double Share = double(Invalid) / double(Lines.size());
  EXPECT_GT(Share, 1.0 / 24);
  EXPECT_LT(Share, 1.0 / 10);
  // The same seed gives the same bytes; another seed others.
  EXPECT_EQ(generate(GenKind::Utf8Lines, {300000, 3}).Data, V.Data);
  EXPECT_NE(generate(GenKind::Utf8Lines, {1000, 4}).Data,
            generate(GenKind::Utf8Lines, {1000, 3}).Data);
}

TEST(ServiceInputsTest, JsonRecordsHaveTheSchemaInOrder) {
  Value V = generate(GenKind::JsonRecords, {20000, 5});
  StringRef S = V.Data;
  EXPECT_TRUE(S.starts_with("[\n  {\"id\": 0")) << S.take_front(40).str();
  EXPECT_TRUE(S.ends_with("]}\n]"));
  EXPECT_GE(S.size(), 20000u - 2);
  int64_t Records = 0;
  size_t Pos = 0;
  const char *const Keys[] = {"\"id\": ",    "\"name\": ",  "\"email\": ",
                              "\"age\": ",   "\"score\": ", "\"active\": ",
                              "\"tags\": ["};
  while ((Pos = S.find("{\"id\": ", Pos)) != StringRef::npos) {
    size_t End = S.find("]}", Pos);
    ASSERT_NE(End, StringRef::npos);
    StringRef Record = S.slice(Pos, End);
    size_t At = 0;
    for (const char *Key : Keys) {
      size_t K = Record.find(Key, At);
      ASSERT_NE(K, StringRef::npos) << Key << " in " << Record.str();
      At = K;
    }
    int64_t Id = -1;
    ASSERT_FALSE(
        Record.substr(7).take_while(llvm::isDigit).getAsInteger(10, Id));
    EXPECT_EQ(Id, Records);
    ++Records;
    Pos = End;
  }
  EXPECT_GT(Records, 50);
  EXPECT_EQ(generate(GenKind::JsonRecords, {1, 5}).Data, "[]");
}

TEST(ServiceInputsTest, HttpRequestsAreWellFormedHeads) {
  Value V = generate(GenKind::HttpRequests, {50000, 9});
  StringRef S = V.Data;
  ASSERT_TRUE(S.ends_with("\r\n\r\n"));
  llvm::SmallVector<StringRef, 0> Heads;
  S.drop_back(4).split(Heads, "\r\n\r\n");
  EXPECT_GT(Heads.size(), 50u);
  std::set<std::string> Methods;
  for (StringRef Head : Heads) {
    llvm::SmallVector<StringRef, 16> Lines;
    Head.split(Lines, "\r\n");
    auto [Method, Rest] = Lines[0].split(' ');
    auto [Target, Version] = Rest.split(' ');
    Methods.insert(Method.str());
    EXPECT_TRUE(Target.starts_with("/")) << Lines[0].str();
    EXPECT_EQ(Version, "HTTP/1.1");
    EXPECT_GE(Lines.size(), 1u + 3);
    EXPECT_LE(Lines.size(), 1u + 15);
    std::map<std::string, int> Count;
    for (StringRef L : llvm::ArrayRef(Lines).drop_front()) {
      size_t Colon = L.find(':');
      ASSERT_NE(Colon, StringRef::npos) << L.str();
      ++Count[L.take_front(Colon).lower()];
    }
    EXPECT_EQ(Count["host"], 1);
    if (Method == "POST" || Method == "PUT" || Method == "PATCH")
      EXPECT_EQ(Count["content-length"], 1) << Head.str();
    else
      EXPECT_LE(Count["content-length"], 1);
  }
  EXPECT_EQ(Methods.size(), 7u);
}

TEST(ServiceInputsTest, UrlPathsMostlyMatchTheRouteTable) {
  const char *const Routes[] = {
      "/",  "/health", "/users", "/users/:id", "/users/:id/posts",
      "/users/:id/posts/:post_id", "/users/:id/followers",
      "/posts/:id/comments/:comment_id", "/api/v1/orders/:order_id/items",
      "/api/v1/products/:sku", "/api/v1/search", "/static/:file",
      "/admin/settings", "/orgs/:org/repos/:repo/issues/:number",
      "/orgs/:org/members", "/login"};
  auto Matches = [&](StringRef Path) {
    for (StringRef Route : Routes) {
      llvm::SmallVector<StringRef, 8> R, P;
      Route.split(R, '/');
      Path.split(P, '/');
      if (R.size() != P.size())
        continue;
      bool Ok = true;
      for (size_t I = 0; I < R.size() && Ok; ++I)
        Ok = R[I].starts_with(":") ? !P[I].empty() : R[I] == P[I];
      if (Ok)
        return true;
    }
    return false;
  };
  Value V = generate(GenKind::UrlPaths, {5000, 2});
  std::vector<StringRef> Paths = lines(V.Data);
  ASSERT_EQ(Paths.size(), 5000u);
  size_t Matched = 0;
  for (StringRef P : Paths) {
    EXPECT_TRUE(P.starts_with("/"));
    Matched += Matches(P);
  }
  EXPECT_GT(Matched, 5000u * 85 / 100);
  EXPECT_LT(Matched, 5000u * 96 / 100);
}

TEST(ServiceInputsTest, TemplateBracesOnlyInPlaceholders) {
  Value V = generate(GenKind::TemplateText, {20000, 4});
  StringRef S = V.Data;
  EXPECT_GE(S.size(), 20000u);
  size_t Placeholders = 0;
  for (size_t I = 0; I < S.size(); ++I) {
    if (S[I] == '}')
      ADD_FAILURE() << "stray '}' at " << I;
    if (S[I] != '{')
      continue;
    ASSERT_TRUE(S.substr(I).starts_with("{{"));
    size_t End = S.find("}}", I);
    ASSERT_NE(End, StringRef::npos);
    StringRef Name = S.slice(I + 2, End);
    EXPECT_TRUE(!Name.empty() && Name.find_first_not_of(
                                     "abcdefghijklmnopqrstuvwxyz_") ==
                                     StringRef::npos)
        << Name.str();
    ++Placeholders;
    I = End + 1;
  }
  EXPECT_GT(Placeholders, S.size() / 80);
}

TEST(ServiceInputsTest, CsvIntsShape) {
  Value V = generate(GenKind::CsvInts, {200, 7, 3});
  std::vector<StringRef> Rows = lines(V.Data);
  ASSERT_EQ(Rows.size(), 200u);
  bool SawBig = false;
  for (StringRef Row : Rows) {
    llvm::SmallVector<StringRef, 8> Fields;
    Row.split(Fields, ',');
    ASSERT_EQ(Fields.size(), 7u);
    for (StringRef F : Fields) {
      int64_t X;
      ASSERT_FALSE(F.getAsInteger(10, X)) << F.str();
      EXPECT_LE(std::abs(X), int64_t(1) << 40);
      SawBig |= std::abs(X) > 100000;
    }
  }
  EXPECT_TRUE(SawBig);
}

TEST(ServiceInputsTest, FileNamesShape) {
  Value V = generate(GenKind::FileNames, {2000, 8});
  std::vector<StringRef> Names = lines(V.Data);
  ASSERT_EQ(Names.size(), 2000u);
  std::set<std::string> Exts;
  for (StringRef N : Names) {
    StringRef Base = N.rsplit('/').second.empty() ? N : N.rsplit('/').second;
    size_t Dot = Base.rfind('.');
    ASSERT_NE(Dot, StringRef::npos);
    Exts.insert(Base.substr(Dot).str());
    EXPECT_LE(N.count('/'), 3u);
  }
  EXPECT_EQ(Exts.size(), 14u);
}

TEST(ServiceInputsTest, ZipfIntsAreSkewedWithinRange) {
  Value V = generate(GenKind::ZipfInts, {100000, 1000, 110, 1});
  ASSERT_EQ(V.K, Value::IntArray);
  std::map<int64_t, int64_t> Count;
  for (int64_t X : V.Ints) {
    ASSERT_GE(X, 0);
    ASSERT_LT(X, 1000);
    ++Count[X];
  }
  // P(k) is proportional to (k + 1)^-1.1: P(0) / P(1) = 2^1.1 ~ 2.14.
  double Ratio = double(Count[0]) / double(Count[1]);
  EXPECT_GT(Ratio, 1.9);
  EXPECT_LT(Ratio, 2.4);
  EXPECT_GT(Count[1], Count[10]);
  // s = 0 is uniform.
  Value U = generate(GenKind::ZipfInts, {100000, 4, 0, 1});
  std::map<int64_t, int64_t> UC;
  for (int64_t X : U.Ints)
    ++UC[X];
  for (auto [K, C] : UC)
    EXPECT_NEAR(double(C), 25000.0, 1000.0) << K;
}

TEST(ServiceInputsTest, ArgumentErrorsAreReported) {
  auto Error = [](GenKind G, std::vector<int64_t> Args) {
    llvm::Expected<Value> V = tryGenerate(G, std::move(Args));
    if (V)
      return std::string("(no error)");
    return llvm::toString(V.takeError());
  };
  EXPECT_EQ(Error(GenKind::CsvInts, {10, 0, 1}),
            "workload 'w': argument 'p': cols must be at least 1");
  EXPECT_EQ(Error(GenKind::ZipfInts, {10, 0, 100, 1}),
            "workload 'w': argument 'p': range 0 outside 1..16777216");
  EXPECT_EQ(Error(GenKind::ZipfInts, {10, 5, 1001, 1}),
            "workload 'w': argument 'p': s100 1001 outside 0..1000");
  EXPECT_EQ(Error(GenKind::UrlPaths, {int64_t(1) << 30, 1}),
            "workload 'w': argument 'p': size 1073741824 out of range (at "
            "most 16777216 lines)");
  EXPECT_EQ(Error(GenKind::CsvInts, {int64_t(1) << 30, 1000, 1}),
            "workload 'w': argument 'p': rows * cols (1073741824 * 1000) too "
            "large");
}

} // namespace
