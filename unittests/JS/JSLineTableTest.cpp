//===- JSLineTableTest.cpp - The JS-line -> kernel-line table -------------===//
//
// rtcompare explain maps V8's source positions (offsets in the emitted
// module) to kernel lines through this table. Each expectation is read off
// the kernel text below: which kernel line a JS statement comes from.
//
//===----------------------------------------------------------------------===//

#include "Driver/Driver.h"
#include "Target/JS/JSBackend.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace kc;
using namespace llvm;

namespace {

// Line numbers matter: the expectations name them.
const char *const Kernel = R"(fn sum(a: [int]) -> int {
  var s = 0;
  for i in 0..len(a) {
    s += a[i] * 2;
  }
  return s;
}

fn pick(a: [int], i: int) -> int {
  return a[i];
}

record Point {
  x: f64,
  y: f64,
}

fn norm1(p: Point) -> f64 {
  return p.x + p.y;
}
)";

struct Emitted {
  std::string Text;
  std::vector<unsigned> Lines;
  SmallVector<StringRef, 0> TextLines;
};

Emitted emit(const char *Source) {
  std::string Diags;
  raw_string_ostream DiagOS(Diags);
  auto M = driver::compileSource(
      MemoryBuffer::getMemBuffer(Source, "lines.k"), DiagOS);
  EXPECT_TRUE(static_cast<bool>(M)) << Diags;
  Emitted E;
  if (!M) {
    consumeError(M.takeError());
    return E;
  }
  raw_string_ostream OS(E.Text);
  EXPECT_FALSE(static_cast<bool>(jsgen::emitModule(**M, OS, {}, &E.Lines)));
  StringRef(E.Text).split(E.TextLines, '\n');
  E.TextLines.pop_back(); // after the final newline
  return E;
}

/// The kernel line of the first JS line containing \p Needle.
unsigned lineOf(const Emitted &E, StringRef Needle) {
  for (size_t I = 0; I < E.TextLines.size(); ++I)
    if (E.TextLines[I].contains(Needle))
      return E.Lines[I];
  ADD_FAILURE() << "no line contains " << Needle.str() << " in:\n" << E.Text;
  return ~0u;
}

TEST(JSLineTable, OneEntryPerLine) {
  Emitted E = emit(Kernel);
  EXPECT_EQ(E.Lines.size(), E.TextLines.size());
}

TEST(JSLineTable, StatementsMapToTheirKernelLine) {
  Emitted E = emit(Kernel);
  EXPECT_EQ(lineOf(E, "function sum("), 1u);
  EXPECT_EQ(lineOf(E, "let s = 0;"), 2u);
  EXPECT_EQ(lineOf(E, "for (let i = 0"), 3u);
  EXPECT_EQ(lineOf(E, "s += "), 4u);
  EXPECT_EQ(lineOf(E, "return s;"), 6u);
  EXPECT_EQ(lineOf(E, "function pick("), 9u);
  // The bounds check the read at line 10 needs is line 10's too.
  EXPECT_EQ(lineOf(E, "throw new KernelTrap(\"index out of range\", 10)"), 10u);
  // A record's class, constructor included, is its declaration's.
  EXPECT_EQ(lineOf(E, "class Point"), 13u);
  EXPECT_EQ(lineOf(E, "this.y = y;"), 13u);
  EXPECT_EQ(lineOf(E, "return p.x + p.y;"), 19u);
}

TEST(JSLineTable, ModuleLinesOutsideFunctionsAreZero) {
  Emitted E = emit(Kernel);
  EXPECT_EQ(lineOf(E, "class KernelTrap"), 0u);
  EXPECT_EQ(lineOf(E, "compiled by kernelc"), 0u);
}

TEST(JSLineTable, TextIsTheSameWithoutTheTable) {
  Emitted E = emit(Kernel);
  std::string Diags;
  raw_string_ostream DiagOS(Diags);
  auto M = driver::compileSource(MemoryBuffer::getMemBuffer(Kernel, "lines.k"),
                                 DiagOS);
  ASSERT_TRUE(static_cast<bool>(M));
  std::string Plain;
  raw_string_ostream OS(Plain);
  ASSERT_FALSE(static_cast<bool>(jsgen::emitModule(**M, OS)));
  EXPECT_EQ(Plain, E.Text);
}

} // namespace
