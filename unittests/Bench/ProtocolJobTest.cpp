//===- ProtocolJobTest.cpp - The native fields of a runner job ------------===//

#include "Bench/Protocol.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace kc::bench;

namespace {

const char *Base = R"({"protocol": 1, "module": "k.k", "entry": "f",
  "params": [], "result": "int")";

TEST(ProtocolJob, NativeFieldsRoundTrip) {
  Job J;
  J.Module = "/k.k";
  J.Entry = "f";
  J.Result = "int";
  J.OptLevel = 0;
  J.EngineChecks = "overflow,tags";
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  writeJob(J, OS);
  OS.flush();
  auto Back = parseJob(Text);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  ASSERT_TRUE(Back->OptLevel.has_value());
  EXPECT_EQ(*Back->OptLevel, 0u);
  EXPECT_EQ(Back->EngineChecks, "overflow,tags");
}

TEST(ProtocolJob, NativeFieldsAbsentByDefault) {
  auto J = parseJob(std::string(Base) + "}");
  ASSERT_TRUE(bool(J)) << llvm::toString(J.takeError());
  EXPECT_FALSE(J->OptLevel.has_value());
  EXPECT_EQ(J->EngineChecks, "");
  // And a job without them is written without them: other runners never
  // see the fields.
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  writeJob(*J, OS);
  OS.flush();
  EXPECT_EQ(Text.find("opt_level"), std::string::npos);
  EXPECT_EQ(Text.find("engine_checks"), std::string::npos);
}

TEST(ProtocolJob, BadNativeFields) {
  for (const char *Bad : {R"(, "opt_level": 4})", R"(, "opt_level": -1})",
                          R"(, "opt_level": "2"})", R"(, "engine_checks": 3})"}) {
    auto J = parseJob(std::string(Base) + Bad);
    ASSERT_FALSE(bool(J)) << Bad;
    std::string Msg = llvm::toString(J.takeError());
    EXPECT_NE(Msg.find("bad job"), std::string::npos) << Msg;
  }
}

} // namespace
