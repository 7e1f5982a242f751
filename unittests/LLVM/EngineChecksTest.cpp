//===- EngineChecksTest.cpp - Names of the engine checks ------------------===//

#include "LLVMBackend.h"
#include "llvm/Support/Error.h"
#include "gtest/gtest.h"

using namespace kc::llvmgen;

namespace {

TEST(EngineChecks, Parse) {
  auto M = parseEngineChecks("overflow, boxing");
  ASSERT_TRUE(bool(M));
  EXPECT_EQ(*M, unsigned(EngineCheckOverflow | EngineCheckBoxing));
  M = parseEngineChecks("all");
  ASSERT_TRUE(bool(M));
  EXPECT_EQ(*M, 7u);
  M = parseEngineChecks("tags,tags");
  ASSERT_TRUE(bool(M));
  EXPECT_EQ(*M, unsigned(EngineCheckTags));
  for (const char *None : {"", "none", " , "}) {
    M = parseEngineChecks(None);
    ASSERT_TRUE(bool(M)) << None;
    EXPECT_EQ(*M, 0u) << None;
  }
  M = parseEngineChecks("overflow,smi");
  ASSERT_FALSE(bool(M));
  EXPECT_NE(llvm::toString(M.takeError()).find("unknown engine check 'smi'"),
            std::string::npos);
}

TEST(EngineChecks, Name) {
  EXPECT_EQ(engineChecksName(0), "none");
  EXPECT_EQ(engineChecksName(EngineCheckBoxing | EngineCheckOverflow),
            "overflow,boxing");
  EXPECT_EQ(engineChecksName(EngineCheckAll), "overflow,tags,boxing");
  // The name reads back as the same mask.
  for (unsigned Mask = 0; Mask < 8; ++Mask) {
    auto M = parseEngineChecks(engineChecksName(Mask));
    ASSERT_TRUE(bool(M));
    EXPECT_EQ(*M, Mask);
  }
}

} // namespace
