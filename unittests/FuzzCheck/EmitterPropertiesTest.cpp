//===- EmitterPropertiesTest.cpp - Unit tests of the emitter properties ---===//
//
// The two properties the fuzz-js and fuzz-py targets check, on hand-written
// JS and Python: a correct renaming passes, each way a name or a string can
// break out of its syntax is caught. And the renaming of a compiled kernel.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck/EmitterProperties.h"
#include "Driver/Driver.h"
#include "ir/IR.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <set>

using namespace kc;
using namespace kc::fuzz;

namespace {

std::string check(Language L, llvm::StringRef Orig, llvm::StringRef Plain,
                  const NameMap &Names = {}) {
  llvm::Error E = checkSameUpToRenaming(L, Orig, Plain, Names);
  return E ? llvm::toString(std::move(E)) : "ok";
}

TEST(EmitterPropertiesTest, ConsistentRenamingPasses) {
  // Math, a kernel name, renamed Math_ so the global stays reachable.
  EXPECT_EQ(check(Language::JS,
                  "function f(Math_) { return Math.imul(Math_, 2); }",
                  "function q(a) { return Math.imul(a, 2); }"),
            "ok");
  // Sibling blocks may reuse a name.
  EXPECT_EQ(check(Language::JS,
                  "function f(n) { for (let i = 0; i < n; i++) {} "
                  "for (let i = 0; i < n; i++) { g(i); } }",
                  "function q(a) { for (let b = 0; b < a; b++) {} "
                  "for (let i = 0; i < a; i++) { g(i); } }"),
            "ok");
  // Wrapped lines' trailing commas and a reserved entry's export.
  EXPECT_EQ(check(Language::JS,
                  "function class_(a) { return g(a, 1,); }\n"
                  "export { class_ as class };",
                  "export function qaaaa(a) { return g(a, 1); }",
                  {{"class", "qaaaa"}, {"a", "a"}}),
            "ok");
  EXPECT_EQ(check(Language::Python,
                  "class P:\n    __slots__ = (\"fx\",)\n"
                  "def None_(p):\n    return p.fx\n\n"
                  "globals()[\"None\"] = None_\n",
                  "class Q:\n    __slots__ = (\"a\",)\n"
                  "def qaaa(p):\n    return p.a\n",
                  {{"None", "qaaa"}, {"x", "a"}}),
            "ok");
}

TEST(EmitterPropertiesTest, ShadowedGlobalIsCaught) {
  // The kernel parameter Math hides the global the emitted code calls.
  std::string R =
      check(Language::JS, "function f(Math) { return Math.imul(Math, 2); }",
            "function q(a) { return Math.imul(a, 2); }");
  EXPECT_NE(R.find("two names of the renamed kernel are one name"),
            std::string::npos)
      << R;
  R = check(Language::Python, "def f(len):\n    return len(len)\n",
            "def q(a):\n    return len(a)\n");
  EXPECT_NE(R.find("two names"), std::string::npos) << R;
}

TEST(EmitterPropertiesTest, ShadowingBlockIsCaught) {
  // An inner declaration takes the name of an outer local still used there.
  std::string R =
      check(Language::JS, "function f(x) { { let x = 1; return x + x; } }",
            "function q(a) { { let x = 1; return x + a; } }");
  EXPECT_NE(R.find("two names"), std::string::npos) << R;
}

TEST(EmitterPropertiesTest, KeywordNamesAreCaught) {
  std::string R = check(Language::JS, "let class = 1;", "let qaaaa = 1;");
  EXPECT_NE(R.find("keyword 'class'"), std::string::npos) << R;
  R = check(Language::Python, "p.class = 1\n", "p.qaaaa = 1\n");
  EXPECT_NE(R.find("keyword 'class'"), std::string::npos) << R;
}

TEST(EmitterPropertiesTest, SpecialPropertiesAreCaught) {
  std::string R =
      check(Language::JS, "this.__proto__ = a;", "this.qaaaaaaaa = a;");
  EXPECT_NE(R.find("__proto__"), std::string::npos) << R;
  // Once the record has it as an own property, it is a plain field.
  EXPECT_EQ(check(Language::JS, "f(r.__proto__); r.__proto__ = 2;",
                  "f(r.qaaaaaaaa); r.qaaaaaaaa = 2;"),
            "ok");
  // Python mangles self.__x inside a class body.
  R = check(Language::Python, "self.__x = x\n", "self.qaa = x\n");
  EXPECT_NE(R.find("mangles"), std::string::npos) << R;
  R = check(Language::Python, "def f(__debug__):\n    pass\n",
            "def f(qaaaaaaaa):\n    pass\n");
  EXPECT_NE(R.find("__debug__"), std::string::npos) << R;
}

TEST(EmitterPropertiesTest, StringsIntact) {
  auto Intact = [](Language L, llvm::StringRef Text,
                   std::vector<std::string> Strings) {
    llvm::Error E = checkStringsIntact(L, Text, Strings);
    return E ? llvm::toString(std::move(E)) : "ok";
  };
  EXPECT_EQ(Intact(Language::JS, "const s = \"a\\\"b\";", {"a\"b"}), "ok");
  // A kernel string must be one literal.
  std::string R = Intact(Language::Python, "s = \"a\" + \"b\"\n", {"ab"});
  EXPECT_NE(R.find("kernel string \"ab\""), std::string::npos) << R;
  R = Intact(Language::JS, "s = \"a\n", {"a"});
  EXPECT_NE(R.find("does not lex"), std::string::npos) << R;
}

TEST(EmitterPropertiesTest, FStrings) {
  // Names inside replacement fields are names; the literal parts, strings.
  EXPECT_EQ(check(Language::Python,
                  "def f(head, n):\n    return f\"<{head}|{n!r:>{n}}>\"\n",
                  "def q(qaaa, a):\n    return f\"<{qaaa}|{a!r:>{a}}>\"\n"),
            "ok");
  // A name that turns a field into another shape is caught...
  std::string R = check(Language::Python, "def f(a):\n    return f\"{a}{b}\"\n",
                        "def q(a):\n    return f\"{a}{a}\"\n");
  EXPECT_NE(R.find("two names"), std::string::npos) << R;
  R = check(Language::Python, "def f(a):\n    return f\"{a}x{a}\"\n",
            "def q(a):\n    return f\"{a}{a}x\"\n");
  EXPECT_NE(R.find("the kernel's names change"), std::string::npos) << R;
  // ... and so is f'{x=}', whose value spells the name.
  R = check(Language::Python, "def f(x):\n    return f\"{x=}\"\n",
            "def q(a):\n    return f\"{a=}\"\n");
  EXPECT_NE(R.find("change a string"), std::string::npos) << R;
  // A kernel string inside an f-string is one literal part.
  llvm::Error E = checkStringsIntact(
      Language::Python, "s = f\"{{{a}\\\"x'}}\"\n", {"{", "\"x'}"});
  EXPECT_FALSE(E) << llvm::toString(std::move(E));
  E = checkStringsIntact(Language::Python, "s = f\"{a}\"\n", {"a"});
  EXPECT_TRUE(!!E);
  llvm::consumeError(std::move(E));
}

TEST(EmitterPropertiesTest, ModuleNameStaysInItsComment) {
  // A file name with a line break leaves the JS comment.
  std::string R = check(Language::JS, "// a\nb();//.k, compiled\nf();",
                        "// plain.k, compiled\nf();");
  EXPECT_NE(R.find("tokens against"), std::string::npos) << R;
  // ... and one with triple quotes the Python docstring.
  R = check(Language::Python, "\"\"\"x\"\"\"+y+\"\"\".k, compiled\"\"\"\n",
            "\"\"\"plain.k, compiled\"\"\"\n");
  EXPECT_NE(R.find("tokens against"), std::string::npos) << R;
  EXPECT_EQ(check(Language::Python, "\"\"\"a\\\"b.k, compiled\"\"\"\n",
                  "\"\"\"plain.k, compiled\"\"\"\n"),
            "ok");
}

TEST(EmitterPropertiesTest, RenameKernelNames) {
  const char *Source = "record P { x: int, long_name: int }\n"
                       "fn helper(p: P) -> int { return p.x + p.long_name; }\n"
                       "fn entry(n: int) -> int {\n"
                       "  let q = P { x: n, long_name: 2 };\n"
                       "  return helper(q);\n"
                       "}\n"
                       "bench entry { workload w(small: 1, default: 1, "
                       "large: 1) { n = 1; } }\n";
  std::string Diags;
  llvm::raw_string_ostream OS(Diags);
  auto M = driver::compileSource(
      llvm::MemoryBuffer::getMemBufferCopy(Source, "k.k"), OS);
  ASSERT_TRUE(!!M) << llvm::toString(M.takeError()) << Diags;
  NameMap Names = renameKernelNames(**M);
  std::set<std::string> Plain;
  for (const auto &[From, To] : Names) {
    EXPECT_EQ(From.size(), To.size()) << From << " -> " << To;
    EXPECT_FALSE(Names.count(To)) << To << " is also a kernel name";
    EXPECT_TRUE(Plain.insert(To).second) << To << " given twice";
  }
  for (const char *N :
       {"P", "x", "long_name", "helper", "p", "entry", "n", "q"})
    EXPECT_TRUE(Names.count(N)) << N;
  EXPECT_EQ((*M)->Bench->Entry, Names["entry"]);
  EXPECT_EQ((*M)->Bench->Workloads[0].Args[0].Param, Names["n"]);
  EXPECT_EQ((*M)->Records[0]->Fields[1].Name, Names["long_name"]);
  EXPECT_EQ(stringConstants(**M), std::vector<std::string>{});
}

} // namespace
