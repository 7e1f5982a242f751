//===- Lexer.cpp - Turns kernel source into tokens ------------------------===//

#include "Lang/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include <cerrno>
#include <cmath>
#include <cstdlib>

using namespace kc;

std::string kc::tokDescription(Tok K) {
  switch (K) {
#define KC_TOK_DESC(E, S)                                                      \
  case Tok::E:                                                                 \
    return S;
#define KC_KW_DESC(E, S)                                                       \
  case Tok::E:                                                                 \
    return "'" S "'";
    KC_TOKENS(KC_TOK_DESC, KC_KW_DESC)
#undef KC_TOK_DESC
#undef KC_KW_DESC
  }
  return "token";
}

static bool isIdentStart(char C) {
  return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') || C == '_';
}
static bool isDigit(char C) { return C >= '0' && C <= '9'; }
static bool isIdentChar(char C) { return isIdentStart(C) || isDigit(C); }

void Lexer::skipSpaceAndComments() {
  while (!atEnd()) {
    char C = *Cur;
    if (C == ' ' || C == '\t' || C == '\n' || C == '\r') {
      ++Cur;
      continue;
    }
    if (C == '/' && peek(1) == '/') {
      while (!atEnd() && *Cur != '\n')
        ++Cur;
      continue;
    }
    if (C == '/' && peek(1) == '*') {
      const char *Start = Cur;
      Cur += 2;
      while (!atEnd() && !(*Cur == '*' && peek(1) == '/'))
        ++Cur;
      if (atEnd()) {
        Diags.error(loc(Start), "unterminated block comment");
        return;
      }
      Cur += 2;
      continue;
    }
    return;
  }
}

Token Lexer::make(Tok K, const char *Start) {
  Token T;
  T.Kind = K;
  T.Loc = loc(Start);
  T.Text = llvm::StringRef(Start, Cur - Start);
  return T;
}

Token Lexer::next() {
  skipSpaceAndComments();
  const char *Start = Cur;
  if (atEnd())
    return make(Tok::Eof, Start);
  char C = *Cur;
  if (isIdentStart(C)) {
    while (!atEnd() && isIdentChar(*Cur))
      ++Cur;
    llvm::StringRef Word(Start, Cur - Start);
    Tok K = llvm::StringSwitch<Tok>(Word)
#define KC_KW_CASE(E, S) .Case(S, Tok::E)
#define KC_TOK_NONE(E, S)
                KC_TOKENS(KC_TOK_NONE, KC_KW_CASE)
#undef KC_KW_CASE
#undef KC_TOK_NONE
                    .Default(Tok::Ident);
    return make(K, Start);
  }
  if (isDigit(C))
    return lexNumber(Start);
  if (C == '"')
    return lexString(Start);
  if (C == '\'')
    return lexChar(Start);

  ++Cur;
  auto If = [&](char Next, Tok Yes, Tok No) {
    if (peek() == Next) {
      ++Cur;
      return make(Yes, Start);
    }
    return make(No, Start);
  };
  switch (C) {
  case '(': return make(Tok::LParen, Start);
  case ')': return make(Tok::RParen, Start);
  case '{': return make(Tok::LBrace, Start);
  case '}': return make(Tok::RBrace, Start);
  case '[': return make(Tok::LBracket, Start);
  case ']': return make(Tok::RBracket, Start);
  case ',': return make(Tok::Comma, Start);
  case ':': return make(Tok::Colon, Start);
  case ';': return make(Tok::Semi, Start);
  case '~': return make(Tok::Tilde, Start);
  case '?': return make(Tok::Question, Start);
  case '.': return If('.', Tok::DotDot, Tok::Dot);
  case '+': return If('=', Tok::PlusEq, Tok::Plus);
  case '*': return If('=', Tok::StarEq, Tok::Star);
  case '/': return If('=', Tok::SlashEq, Tok::Slash);
  case '%': return If('=', Tok::PercentEq, Tok::Percent);
  case '^': return If('=', Tok::CaretEq, Tok::Caret);
  case '=': return If('=', Tok::EqEq, Tok::Eq);
  case '!': return If('=', Tok::NotEq, Tok::Bang);
  case '-':
    if (peek() == '>') {
      ++Cur;
      return make(Tok::Arrow, Start);
    }
    return If('=', Tok::MinusEq, Tok::Minus);
  case '&':
    if (peek() == '&') {
      ++Cur;
      return make(Tok::AmpAmp, Start);
    }
    return If('=', Tok::AmpEq, Tok::Amp);
  case '|':
    if (peek() == '|') {
      ++Cur;
      return make(Tok::PipePipe, Start);
    }
    return If('=', Tok::PipeEq, Tok::Pipe);
  case '<':
    if (peek() == '<') {
      ++Cur;
      return If('=', Tok::ShlEq, Tok::Shl);
    }
    return If('=', Tok::LessEq, Tok::Less);
  case '>':
    if (peek() == '>') {
      ++Cur;
      return If('=', Tok::ShrEq, Tok::Shr);
    }
    return If('=', Tok::GreaterEq, Tok::Greater);
  default:
    break;
  }
  unsigned char U = static_cast<unsigned char>(C);
  if (U >= 0x20 && U < 0x7f)
    Diags.error(loc(Start), "unexpected character '" + llvm::Twine(std::string(1, C)) + "'");
  else
    Diags.error(loc(Start), "unexpected byte 0x" +
                                llvm::utohexstr(U, /*LowerCase=*/true, 2) +
                                " (kernel source is ASCII)");
  return make(Tok::Error, Start);
}

Token Lexer::lexNumber(const char *Start) {
  bool IsHex = *Cur == '0' && (peek(1) == 'x' || peek(1) == 'X');
  bool IsFloat = false;
  std::string Digits;
  if (IsHex) {
    Cur += 2;
    while (!atEnd() && (isxdigit(static_cast<unsigned char>(*Cur)) || *Cur == '_')) {
      if (*Cur != '_')
        Digits += *Cur;
      ++Cur;
    }
  } else {
    auto Run = [&] {
      while (!atEnd() && (isDigit(*Cur) || *Cur == '_')) {
        if (*Cur != '_')
          Digits += *Cur;
        ++Cur;
      }
    };
    Run();
    // `0..n` is a range, not the float `0.`.
    if (peek() == '.' && isDigit(peek(1))) {
      IsFloat = true;
      Digits += *Cur++;
      Run();
    }
    if ((peek() == 'e' || peek() == 'E') &&
        (isDigit(peek(1)) ||
         ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
      IsFloat = true;
      Digits += *Cur++;
      if (*Cur == '+' || *Cur == '-')
        Digits += *Cur++;
      Run();
    }
  }
  if (!atEnd() && isIdentChar(*Cur)) {
    while (!atEnd() && isIdentChar(*Cur))
      ++Cur;
    Diags.error(loc(Start), "invalid suffix on numeric literal '" +
                                llvm::StringRef(Start, Cur - Start) + "'");
    return make(Tok::Error, Start);
  }
  if (Digits.empty()) {
    Diags.error(loc(Start), "hexadecimal literal has no digits");
    return make(Tok::Error, Start);
  }
  Token T = make(IsFloat ? Tok::FloatLit : Tok::IntLit, Start);
  if (IsFloat) {
    errno = 0;
    T.FloatValue = std::strtod(Digits.c_str(), nullptr);
    if (std::isinf(T.FloatValue)) {
      Diags.error(loc(Start), "float literal is too large for f64");
      T.Kind = Tok::Error;
    }
    return T;
  }
  uint64_t V = 0;
  for (char D : Digits) {
    unsigned Dig = isDigit(D) ? D - '0' : (tolower(D) - 'a' + 10);
    unsigned Base = IsHex ? 16 : 10;
    if (V > (UINT64_MAX - Dig) / Base) {
      Diags.error(loc(Start), "integer literal is too large");
      T.Kind = Tok::Error;
      return T;
    }
    V = V * Base + Dig;
  }
  T.IntValue = V;
  return T;
}

int Lexer::lexEscape() {
  const char *Start = Cur - 1;
  if (atEnd())
    return -1;
  char C = *Cur++;
  switch (C) {
  case 'n': return '\n';
  case 't': return '\t';
  case 'r': return '\r';
  case '0': return 0;
  case '\\': return '\\';
  case '"': return '"';
  case '\'': return '\'';
  case 'x': {
    int V = 0;
    for (int I = 0; I < 2; ++I) {
      if (atEnd() || !isxdigit(static_cast<unsigned char>(*Cur))) {
        Diags.error(loc(Start), "\\x escape needs two hexadecimal digits");
        return -1;
      }
      char D = *Cur++;
      V = V * 16 + (isDigit(D) ? D - '0' : tolower(D) - 'a' + 10);
    }
    if (V > 127) {
      Diags.error(loc(Start), "\\x escape above 0x7f: strings are ASCII");
      return -1;
    }
    return V;
  }
  default:
    Diags.error(loc(Start), "unknown escape sequence '\\" +
                                llvm::Twine(std::string(
                                    1, C >= 0x20 && C < 0x7f ? C : '?')) +
                                "'");
    return -1;
  }
}

Token Lexer::lexString(const char *Start) {
  ++Cur; // opening quote
  std::string Value;
  bool Bad = false;
  while (true) {
    if (atEnd() || *Cur == '\n') {
      Diags.error(loc(Start), "unterminated string literal");
      Token T = make(Tok::Error, Start);
      return T;
    }
    char C = *Cur++;
    if (C == '"')
      break;
    if (C == '\\') {
      int E = lexEscape();
      if (E < 0)
        Bad = true;
      else
        Value += static_cast<char>(E);
      continue;
    }
    if (static_cast<unsigned char>(C) > 127) {
      if (!Bad)
        Diags.error(loc(Cur - 1), "non-ASCII byte in string literal");
      Bad = true;
      continue;
    }
    Value += C;
  }
  Token T = make(Bad ? Tok::Error : Tok::StrLit, Start);
  T.StrValue = std::move(Value);
  return T;
}

Token Lexer::lexChar(const char *Start) {
  ++Cur; // opening quote
  int V = -1;
  if (!atEnd() && *Cur == '\'') {
    ++Cur;
    Diags.error(loc(Start), "empty character literal");
    return make(Tok::Error, Start);
  }
  if (!atEnd() && *Cur == '\\') {
    ++Cur;
    V = lexEscape();
  } else if (!atEnd() && *Cur != '\'' && *Cur != '\n') {
    V = static_cast<unsigned char>(*Cur++);
    if (V > 127) {
      Diags.error(loc(Start), "non-ASCII character literal");
      V = -1;
    }
  }
  if (atEnd() || *Cur != '\'') {
    // Skip to the closing quote on this line, if any, to resync.
    while (!atEnd() && *Cur != '\'' && *Cur != '\n')
      ++Cur;
    if (!atEnd() && *Cur == '\'')
      ++Cur;
    Diags.error(loc(Start), "character literal must be exactly one character");
    return make(Tok::Error, Start);
  }
  ++Cur;
  if (V < 0)
    return make(Tok::Error, Start);
  Token T = make(Tok::CharLit, Start);
  T.IntValue = static_cast<uint64_t>(V);
  return T;
}
