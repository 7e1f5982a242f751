//===- PyLineTableTest.cpp - The Python back-end's kernel-line table ------===//
//
// PyOptions::KernelLines gives, for every line of the emitted module, the
// kernel line its code comes from: the table rtcompare explain links
// CPython's bytecode to kernel lines with. Asking for it must not change the
// text. Expected lines are read off the kernel source below.
//
//===----------------------------------------------------------------------===//

#include "Driver/Driver.h"
#include "Target/Python/PyBackend.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <map>

using namespace kc;

namespace {

const char *const Source = R"(fn f(xs: [int]) -> int {
  var s = 0;
  for x in xs {
    if x > 2 {
      s += x;
    }
  }
  return s;
}

fn g(xs: [int], i: int) -> int {
  let y = xs[i];
  return y + 1;
}
)";

TEST(PyLineTable, EveryLineMapsToItsKernelStatement) {
  std::string Diags;
  llvm::raw_string_ostream DiagOS(Diags);
  auto M = driver::compileSource(
      llvm::MemoryBuffer::getMemBuffer(Source, "t.k"), DiagOS);
  ASSERT_TRUE(bool(M)) << Diags << llvm::toString(M.takeError());

  std::string Plain, WithTable;
  llvm::raw_string_ostream PlainOS(Plain), TableOS(WithTable);
  ASSERT_FALSE(bool(pygen::emitModule(**M, PlainOS)));
  std::vector<uint32_t> Lines;
  pygen::PyOptions Opts;
  Opts.KernelLines = &Lines;
  ASSERT_FALSE(bool(pygen::emitModule(**M, TableOS, Opts)));
  EXPECT_EQ(Plain, WithTable);

  llvm::SmallVector<llvm::StringRef, 64> Text;
  llvm::StringRef(WithTable).rtrim('\n').split(Text, '\n');
  ASSERT_EQ(Lines.size(), Text.size());

  // Python text (trimmed) -> the kernel line of its statement in Source.
  const std::map<std::string, uint32_t> Expected = {
      {"def f(xs):", 1},     {"s = 0", 2},         {"for x in xs:", 3},
      {"if x > 2:", 4},      {"s += x", 5},        {"return s", 8},
      {"def g(xs, i):", 11}, {"return y + 1", 13},
  };
  unsigned Found = 0;
  for (size_t I = 0; I < Text.size(); ++I) {
    llvm::StringRef T = Text[I].trim();
    auto It = Expected.find(T.str());
    if (It != Expected.end()) {
      EXPECT_EQ(Lines[I], It->second) << "line " << I + 1 << ": " << T.str();
      ++Found;
    } else if (T.contains("xs[i]")) {
      // The load of line 12, inside the try that turns IndexError into the
      // trap of line 12.
      EXPECT_EQ(Lines[I], 12u) << T.str();
      ++Found;
    } else {
      // The module's header, KernelTrap, helpers, try and except lines.
      EXPECT_EQ(Lines[I], 0u) << "line " << I + 1 << ": " << T.str();
    }
  }
  EXPECT_EQ(Found, Expected.size() + 1);
}

} // namespace
