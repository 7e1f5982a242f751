//===- EmittedLexerTest.cpp - Unit tests of the JS and Python lexers ------===//
//
// Expected tokens are read off the language references (ECMA-262's lexical
// grammar, Python 3.11's "Lexical analysis"), on hand-written snippets.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck/EmittedLexer.h"
#include "gtest/gtest.h"

using namespace kc::fuzz;
using Tok = EmittedToken;

namespace {

/// "kind:text" of each token, strings as "str:<decoded value>".
std::vector<std::string> describe(llvm::Expected<std::vector<Tok>> Toks) {
  std::vector<std::string> Out;
  if (!Toks) {
    Out.push_back("error: " + llvm::toString(Toks.takeError()));
    return Out;
  }
  for (const Tok &T : *Toks) {
    switch (T.Kind) {
    case Tok::Name:
      Out.push_back((T.AfterDot ? "prop:" : "name:") + T.Text);
      break;
    case Tok::Keyword:
      Out.push_back("kw:" + T.Text);
      break;
    case Tok::Punct:
      Out.push_back(T.Text);
      break;
    case Tok::Number:
      Out.push_back("num:" + T.Text);
      break;
    case Tok::String:
      Out.push_back("str:" + T.Value);
      break;
    case Tok::Template:
      Out.push_back("tpl:" + T.Text);
      break;
    case Tok::Regex:
      Out.push_back("re:" + T.Text);
      break;
    case Tok::Comment:
      Out.push_back("comment:" + T.Text);
      break;
    case Tok::Newline:
      Out.push_back("NEWLINE");
      break;
    case Tok::Indent:
      Out.push_back("INDENT");
      break;
    case Tok::Dedent:
      Out.push_back("DEDENT");
      break;
    }
  }
  return Out;
}

using V = std::vector<std::string>;

bool failsWith(llvm::Expected<std::vector<Tok>> Toks, llvm::StringRef What) {
  if (Toks)
    return false;
  std::string Msg = llvm::toString(Toks.takeError());
  return llvm::StringRef(Msg).contains(What);
}

TEST(EmittedLexerTest, JSStringsDecode) {
  EXPECT_EQ(describe(lexJavaScript("let s = \"a\\x41\\n\\u0042\\u{43}\\q\";")),
            (V{"kw:let", "name:s", "=", "str:aA\nBCq", ";"}));
  EXPECT_EQ(describe(lexJavaScript("'it''s'")), (V{"str:it", "str:s"}));
  // A backslash before a line break continues the literal.
  EXPECT_EQ(describe(lexJavaScript("\"a\\\nb\"")), (V{"str:ab"}));
  EXPECT_TRUE(failsWith(lexJavaScript("\"a\nb\""), "line break"));
  EXPECT_TRUE(failsWith(lexJavaScript("\"a"), "unterminated"));
  // Octal escapes are syntax errors in a module (strict mode); \0 alone is not.
  EXPECT_TRUE(failsWith(lexJavaScript("\"\\08\""), "octal"));
  EXPECT_TRUE(failsWith(lexJavaScript("\"\\1\""), "octal"));
  EXPECT_EQ(describe(lexJavaScript("\"\\0\"")), (V{std::string("str:\0", 5)}));
}

TEST(EmittedLexerTest, JSLineTerminatorsEndComments) {
  // U+2028 (E2 80 A8) ends a line comment: what follows is code.
  EXPECT_EQ(describe(lexJavaScript("// a\xE2\x80\xA8x")),
            (V{"comment:// a", "name:x"}));
  EXPECT_EQ(describe(lexJavaScript("/* a\nb */ y")),
            (V{"comment:/* a\nb */", "name:y"}));
  EXPECT_TRUE(failsWith(lexJavaScript("/* a"), "unterminated"));
}

TEST(EmittedLexerTest, JSRegexOrDivision) {
  EXPECT_EQ(describe(lexJavaScript("a / b / c")),
            (V{"name:a", "/", "name:b", "/", "name:c"}));
  EXPECT_EQ(describe(lexJavaScript("x = /a\\/b[/]/g.test(s)")),
            (V{"name:x", "=", "re:/a\\/b[/]/g", ".", "prop:test", "(", "name:s",
               ")"}));
  EXPECT_EQ(describe(lexJavaScript("f(x) / 2")),
            (V{"name:f", "(", "name:x", ")", "/", "num:2"}));
}

TEST(EmittedLexerTest, JSTemplatesAndProperties) {
  EXPECT_EQ(describe(lexJavaScript("`${a} b ${c.d}`")),
            (V{"tpl:`${", "name:a", "tpl:} b ${", "name:c", ".", "prop:d",
               "tpl:}`"}));
  // A reserved word is a name after '.'.
  EXPECT_EQ(describe(lexJavaScript("this.class = new C;")),
            (V{"kw:this", ".", "prop:class", "=", "kw:new", "name:C", ";"}));
  EXPECT_EQ(
      describe(lexJavaScript("a >>>= 0x1F; b = 1.5e-3;")),
      (V{"name:a", ">>>=", "num:0x1F", ";", "name:b", "=", "num:1.5e-3", ";"}));
  EXPECT_TRUE(failsWith(lexJavaScript("(]"), "unbalanced"));
  EXPECT_TRUE(failsWith(lexJavaScript("{"), "unclosed"));
  EXPECT_TRUE(failsWith(lexJavaScript("x = 010"), "octal"));
}

TEST(EmittedLexerTest, PythonStrings) {
  EXPECT_EQ(describe(lexPython("x = 'a\\'b'\n")),
            (V{"name:x", "=", "str:a'b", "NEWLINE"}));
  EXPECT_EQ(describe(lexPython("\"\"\"a\nb\"\"\"\n")),
            (V{"str:a\nb", "NEWLINE"}));
  EXPECT_EQ(describe(lexPython("r\"\\d\\\"\"\n")),
            (V{"str:\\d\\\"", "NEWLINE"}));
  EXPECT_EQ(describe(lexPython("b'\\x00\\101'\n")),
            (V{std::string("str:\0A", 6), "NEWLINE"}));
  EXPECT_TRUE(failsWith(lexPython("'a\nb'\n"), "line break"));
  EXPECT_TRUE(failsWith(lexPython("'\\q'\n"), "invalid escape"));
  EXPECT_TRUE(failsWith(lexPython("'\\x4'\n"), "two hexadecimal"));
}

// f-strings: the parts Python 3.12's tokenizer makes of them (FSTRING_START,
// FSTRING_MIDDLE, OP, FSTRING_END), on the 3.11 grammar of "Formatted string
// literals"; a conversion is one token, and a field's `=` adds the text it
// puts in the value.
TEST(EmittedLexerTest, PythonFStrings) {
  EXPECT_EQ(describe(lexPython("f\"{k} at {n}\"\n")),
            (V{"tpl:f\"", "{", "name:k", "}", "str: at ", "{", "name:n", "}",
               "tpl:\"", "NEWLINE"}));
  // Doubled braces are braces of the literal.
  EXPECT_EQ(
      describe(lexPython("F'{{{a}}}'\n")),
      (V{"tpl:F'", "str:{", "{", "name:a", "}", "str:}", "tpl:'", "NEWLINE"}));
  EXPECT_EQ(describe(lexPython("f''\n")), (V{"tpl:f'", "tpl:'", "NEWLINE"}));
  // Conversion, format spec with a field of its own (no doubled braces
  // there: `}}` closes both fields).
  EXPECT_EQ(describe(lexPython("f'{x!r:>{w}}'\n")),
            (V{"tpl:f'", "{", "name:x", "!r", ":", "str:>", "{", "name:w", "}",
               "}", "tpl:'", "NEWLINE"}));
  EXPECT_EQ(describe(lexPython("f'{x:{w}.{p}f}'\n")),
            (V{"tpl:f'", "{", "name:x", ":", "{", "name:w", "}", "str:.", "{",
               "name:p", "}", "str:f", "}", "tpl:'", "NEWLINE"}));
  // Brackets and strings inside a field: their ':', '!' and '}' do not end
  // it; `!=` and `==` do not either.
  EXPECT_EQ(describe(lexPython("f\"{d['}:'][i:j]}\"\n")),
            (V{"tpl:f\"", "{", "name:d", "[", "str:}:", "]", "[", "name:i", ":",
               "name:j", "]", "}", "tpl:\"", "NEWLINE"}));
  EXPECT_EQ(describe(lexPython("f\"{a!=b}{a==b}{ {k: v}[k] }\"\n")),
            (V{"tpl:f\"", "{",      "name:a", "!=",     "name:b", "}",
               "{",       "name:a", "==",     "name:b", "}",      "{",
               "{",       "name:k", ":",      "name:v", "}",      "[",
               "name:k",  "]",      "}",      "tpl:\"", "NEWLINE"}));
  EXPECT_EQ(describe(lexPython("f'{p.x:<3}'\n")),
            (V{"tpl:f'", "{", "name:p", ".", "prop:x", ":", "str:<3", "}",
               "tpl:'", "NEWLINE"}));
  // f'{x = }' is 'x = ' + repr(x).
  EXPECT_EQ(
      describe(lexPython("f\"{x = }\"\n")),
      (V{"tpl:f\"", "{", "name:x", "=", "str:x = ", "}", "tpl:\"", "NEWLINE"}));
  // A nested f-string; a line break inside a triple-quoted one's field.
  EXPECT_EQ(describe(lexPython("f\"{f'{a}'}\"\n")),
            (V{"tpl:f\"", "{", "tpl:f'", "{", "name:a", "}", "tpl:'", "}",
               "tpl:\"", "NEWLINE"}));
  EXPECT_EQ(describe(lexPython("f\"\"\"{a +\nb}\n\"\"\"\n")),
            (V{"tpl:f\"\"\"", "{", "name:a", "+", "name:b", "}", "str:\n",
               "tpl:\"\"\"", "NEWLINE"}));
  // Escapes are decoded in the literal parts; \x7b is a brace, not a field.
  // A raw backslash escapes nothing: the '{' after it opens a field.
  EXPECT_EQ(describe(lexPython("f\"\\x7b{a}\\n\\\"\"\n")),
            (V{"tpl:f\"", "str:{", "{", "name:a", "}", "str:\n\"", "tpl:\"",
               "NEWLINE"}));
  EXPECT_EQ(describe(lexPython("rf'\\{a}\\n'\n")),
            (V{"tpl:rf'", "str:\\", "{", "name:a", "}", "str:\\n", "tpl:'",
               "NEWLINE"}));
}

TEST(EmittedLexerTest, PythonBadFStrings) {
  EXPECT_TRUE(failsWith(lexPython("f'a}b'\n"), "single '}'"));
  EXPECT_TRUE(failsWith(lexPython("f'{'\n"), "unterminated f-string field"));
  EXPECT_TRUE(failsWith(lexPython("f'{a!r'\n"), "unterminated f-string field"));
  EXPECT_TRUE(failsWith(lexPython("f'{a:'\n"), "unterminated f-string field"));
  EXPECT_TRUE(
      failsWith(lexPython("f'{a=x}'\n"), "unterminated f-string field"));
  EXPECT_TRUE(failsWith(lexPython("f'{}'\n"), "empty expression"));
  EXPECT_TRUE(failsWith(lexPython("f'{ }'\n"), "empty expression"));
  EXPECT_TRUE(failsWith(lexPython("f'{!r}'\n"), "empty expression"));
  EXPECT_TRUE(failsWith(lexPython("f'{a!x}'\n"), "conversion"));
  EXPECT_TRUE(failsWith(lexPython("f'{a!}'\n"), "conversion"));
  EXPECT_TRUE(failsWith(lexPython("f'{a#}'\n"), "'#'"));
  EXPECT_TRUE(failsWith(lexPython("f'{\"\\n\"}'\n"), "backslash"));
  EXPECT_TRUE(failsWith(lexPython("f'{a[}'\n"), "unbalanced '}'"));
  EXPECT_TRUE(failsWith(lexPython("f'{a['\n"), "unclosed '['"));
  EXPECT_TRUE(failsWith(lexPython("f'{a)}'\n"), "unbalanced ')'"));
  EXPECT_TRUE(failsWith(lexPython("f'{a[)]}'\n"), "unbalanced ')'"));
  // The literal ends at its quote, as in 3.11: the field's string does not.
  EXPECT_TRUE(failsWith(lexPython("f'{a['k']}'\n"), "unclosed '['"));
  EXPECT_TRUE(failsWith(lexPython("f\"{'a}\"\n"), "unterminated string"));
  EXPECT_TRUE(failsWith(lexPython("f'{x:{y:{z}}}'\n"), "nested too deeply"));
  EXPECT_TRUE(failsWith(lexPython("f'{a b $}'\n"), "unexpected character"));
  EXPECT_TRUE(failsWith(lexPython("f'\\{a}'\n"), "invalid escape"));
  EXPECT_TRUE(failsWith(lexPython("f'{a}\n"), "line break"));
  EXPECT_TRUE(failsWith(lexPython("f'{a}"), "unterminated string literal"));
  // The message locates the field.
  EXPECT_TRUE(failsWith(lexPython("x = 1\nf'{a:'\n"), "line 2:"));
}

TEST(EmittedLexerTest, PythonLineStructure) {
  EXPECT_EQ(describe(lexPython("if x:\n    y\n\n# c\nz\n")),
            (V{"kw:if", "name:x", ":", "NEWLINE", "INDENT", "name:y", "NEWLINE",
               "comment:# c", "DEDENT", "name:z", "NEWLINE"}));
  // No logical line ends inside brackets or after a backslash.
  EXPECT_EQ(describe(lexPython("f(a,\n  b)\nc = 1 + \\\n  2\n")),
            (V{"name:f", "(", "name:a", ",", "name:b", ")", "NEWLINE", "name:c",
               "=", "num:1", "+", "num:2", "NEWLINE"}));
  EXPECT_EQ(describe(lexPython("a.b.c\n")),
            (V{"name:a", ".", "prop:b", ".", "prop:c", "NEWLINE"}));
  EXPECT_TRUE(failsWith(lexPython("if x:\n    y\n  z\n"), "dedent"));
  EXPECT_TRUE(failsWith(lexPython("x = 012\n"), "leading zeros"));
}

TEST(EmittedLexerTest, PythonSourceEncoding) {
  EXPECT_TRUE(failsWith(lexPython("# \xff\n"), "UTF-8"));
  EXPECT_TRUE(failsWith(lexPython(llvm::StringRef("x\0", 2)), "null byte"));
  EXPECT_EQ(describe(lexPython("s = 'é'\n")),
            (V{"name:s", "=", "str:é", "NEWLINE"}));
}

} // namespace
