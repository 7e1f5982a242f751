//===- Token.h - Tokens of the kernel language -------------------*- C++ -*-===//

#ifndef KC_LANG_TOKEN_H
#define KC_LANG_TOKEN_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include <cstdint>
#include <string>

namespace kc {

// TOK(Enum, "spelling")
#define KC_TOKENS(TOK, KEYWORD)                                                \
  TOK(Eof, "end of file")                                                      \
  TOK(Error, "invalid token")                                                  \
  TOK(Ident, "identifier")                                                     \
  TOK(IntLit, "integer literal")                                               \
  TOK(FloatLit, "float literal")                                               \
  TOK(CharLit, "character literal")                                            \
  TOK(StrLit, "string literal")                                                \
  KEYWORD(KwFn, "fn")                                                          \
  KEYWORD(KwRecord, "record")                                                  \
  KEYWORD(KwLet, "let")                                                        \
  KEYWORD(KwVar, "var")                                                        \
  KEYWORD(KwIf, "if")                                                          \
  KEYWORD(KwElse, "else")                                                      \
  KEYWORD(KwWhile, "while")                                                    \
  KEYWORD(KwFor, "for")                                                        \
  KEYWORD(KwIn, "in")                                                          \
  KEYWORD(KwBreak, "break")                                                    \
  KEYWORD(KwContinue, "continue")                                              \
  KEYWORD(KwReturn, "return")                                                  \
  KEYWORD(KwTrue, "true")                                                      \
  KEYWORD(KwFalse, "false")                                                    \
  KEYWORD(KwNull, "null")                                                      \
  KEYWORD(KwMap, "map")                                                        \
  KEYWORD(KwBench, "bench")                                                    \
  KEYWORD(KwWorkload, "workload")                                              \
  TOK(LParen, "(")                                                             \
  TOK(RParen, ")")                                                             \
  TOK(LBrace, "{")                                                             \
  TOK(RBrace, "}")                                                             \
  TOK(LBracket, "[")                                                           \
  TOK(RBracket, "]")                                                           \
  TOK(Comma, ",")                                                              \
  TOK(Colon, ":")                                                              \
  TOK(Semi, ";")                                                               \
  TOK(Dot, ".")                                                                \
  TOK(DotDot, "..")                                                            \
  TOK(Arrow, "->")                                                             \
  TOK(Plus, "+")                                                               \
  TOK(Minus, "-")                                                              \
  TOK(Star, "*")                                                               \
  TOK(Slash, "/")                                                              \
  TOK(Percent, "%")                                                            \
  TOK(Amp, "&")                                                                \
  TOK(Pipe, "|")                                                               \
  TOK(Caret, "^")                                                              \
  TOK(Tilde, "~")                                                              \
  TOK(Question, "?")                                                           \
  TOK(Bang, "!")                                                               \
  TOK(Shl, "<<")                                                               \
  TOK(Shr, ">>")                                                               \
  TOK(AmpAmp, "&&")                                                            \
  TOK(PipePipe, "||")                                                          \
  TOK(Eq, "=")                                                                 \
  TOK(EqEq, "==")                                                              \
  TOK(NotEq, "!=")                                                             \
  TOK(Less, "<")                                                               \
  TOK(LessEq, "<=")                                                            \
  TOK(Greater, ">")                                                            \
  TOK(GreaterEq, ">=")                                                         \
  TOK(PlusEq, "+=")                                                            \
  TOK(MinusEq, "-=")                                                           \
  TOK(StarEq, "*=")                                                            \
  TOK(SlashEq, "/=")                                                           \
  TOK(PercentEq, "%=")                                                         \
  TOK(AmpEq, "&=")                                                             \
  TOK(PipeEq, "|=")                                                            \
  TOK(CaretEq, "^=")                                                           \
  TOK(ShlEq, "<<=")                                                            \
  TOK(ShrEq, ">>=")

enum class Tok : uint8_t {
#define KC_TOK_ENUM(E, S) E,
  KC_TOKENS(KC_TOK_ENUM, KC_TOK_ENUM)
#undef KC_TOK_ENUM
};

/// How a token is spelled, for diagnostics: "'+'", "identifier".
std::string tokDescription(Tok K);

struct Token {
  Tok Kind = Tok::Eof;
  llvm::SMLoc Loc;
  llvm::StringRef Text;    // the source text of the token
  uint64_t IntValue = 0;   // IntLit, CharLit
  double FloatValue = 0;   // FloatLit
  std::string StrValue;    // StrLit, unescaped

  bool is(Tok K) const { return Kind == K; }
};

} // namespace kc

#endif
