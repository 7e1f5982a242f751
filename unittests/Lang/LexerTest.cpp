//===- LexerTest.cpp - Unit tests of the lexer ----------------------------===//

#include "Lang/Lexer.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace kc;

namespace {

struct Lexed {
  std::vector<Token> Toks;
  std::string Errors;
  unsigned NumErrors;
};

Lexed lex(llvm::StringRef Src) {
  llvm::SourceMgr SM;
  SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(Src, "t.k"),
                        llvm::SMLoc());
  Lexed R;
  llvm::raw_string_ostream OS(R.Errors);
  DiagnosticEngine Diags(SM, OS);
  Lexer L(SM.getMemoryBuffer(1)->getBuffer(), Diags);
  for (Token T = L.next(); !T.is(Tok::Eof); T = L.next())
    R.Toks.push_back(T);
  R.NumErrors = Diags.numErrors();
  return R;
}

TEST(LexerTest, KeywordsIdentifiersAndPunctuation) {
  Lexed R = lex("fn f(x: i32) -> u32 { x <<= 2; a..b }");
  std::vector<Tok> Want = {Tok::KwFn, Tok::Ident, Tok::LParen, Tok::Ident,
                           Tok::Colon, Tok::Ident, Tok::RParen, Tok::Arrow,
                           Tok::Ident, Tok::LBrace, Tok::Ident, Tok::ShlEq,
                           Tok::IntLit, Tok::Semi, Tok::Ident, Tok::DotDot,
                           Tok::Ident, Tok::RBrace};
  ASSERT_EQ(R.Toks.size(), Want.size());
  for (size_t I = 0; I < Want.size(); ++I)
    EXPECT_EQ(R.Toks[I].Kind, Want[I]) << "token " << I;
  EXPECT_EQ(R.NumErrors, 0u);
}

TEST(LexerTest, NumbersKeepRangesApart) {
  Lexed R = lex("0..10 1.5 2e3 0xFF 1_000_000 7.");
  ASSERT_GE(R.Toks.size(), 7u);
  EXPECT_EQ(R.Toks[0].Kind, Tok::IntLit);
  EXPECT_EQ(R.Toks[1].Kind, Tok::DotDot);
  EXPECT_EQ(R.Toks[2].IntValue, 10u);
  EXPECT_EQ(R.Toks[3].Kind, Tok::FloatLit);
  EXPECT_DOUBLE_EQ(R.Toks[3].FloatValue, 1.5);
  EXPECT_DOUBLE_EQ(R.Toks[4].FloatValue, 2000.0);
  EXPECT_EQ(R.Toks[5].IntValue, 255u);
  EXPECT_EQ(R.Toks[6].IntValue, 1000000u);
}

TEST(LexerTest, HugeIntegerIsAnError) {
  Lexed R = lex("99999999999999999999999");
  EXPECT_EQ(R.NumErrors, 1u);
  EXPECT_NE(R.Errors.find("integer literal is too large"), std::string::npos);
}

TEST(LexerTest, StringEscapesAndChars) {
  Lexed R = lex(R"("a\n\x41\"" 'z' '\n')");
  ASSERT_EQ(R.Toks.size(), 3u);
  EXPECT_EQ(R.Toks[0].StrValue, "a\nA\"");
  EXPECT_EQ(R.Toks[1].IntValue, uint64_t('z'));
  EXPECT_EQ(R.Toks[2].IntValue, uint64_t('\n'));
}

TEST(LexerTest, MalformedInputIsReportedNotFatal) {
  Lexed R = lex("\"open\n 'ab' '' @ \x01 \"\\q\" /* never closed");
  EXPECT_GE(R.NumErrors, 6u);
  EXPECT_NE(R.Errors.find("unterminated string literal"), std::string::npos);
  EXPECT_NE(R.Errors.find("exactly one character"), std::string::npos);
  EXPECT_NE(R.Errors.find("empty character literal"), std::string::npos);
  EXPECT_NE(R.Errors.find("unexpected character '@'"), std::string::npos);
  EXPECT_NE(R.Errors.find("unexpected byte 0x01"), std::string::npos);
  EXPECT_NE(R.Errors.find("unknown escape sequence"), std::string::npos);
  EXPECT_NE(R.Errors.find("unterminated block comment"), std::string::npos);
}

TEST(LexerTest, ErrorsCarryLineAndColumn) {
  Lexed R = lex("fn f() {\n  let x = $;\n}");
  EXPECT_NE(R.Errors.find("t.k:2:11: error: unexpected character '$'"),
            std::string::npos)
      << R.Errors;
}

} // namespace
