//===- EmittedLexer.cpp - Tokens of emitted JavaScript and Python ---------===//

#include "FuzzCheck/EmittedLexer.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ConvertUTF.h"

using namespace llvm;

namespace kc {
namespace fuzz {

unsigned lineOf(StringRef Src, size_t Offset) {
  Offset = std::min(Offset, Src.size());
  return 1 + Src.take_front(Offset).count('\n');
}

namespace {

using Tok = EmittedToken;

Error lexError(StringRef Src, size_t At, const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(),
                           "line " + Twine(lineOf(Src, At)) + ": " + Msg);
}

void appendCodePoint(std::string &Out, uint32_t CP) {
  char Buf[UNI_MAX_UTF8_BYTES_PER_CODE_POINT];
  char *Ptr = Buf;
  if (ConvertCodePointToUTF8(CP, Ptr))
    Out.append(Buf, Ptr);
}

bool isHex(char C) { return isHexDigit(C); }

/// Longest match of \p Ops (longest first) at \p S.
StringRef matchPunct(StringRef S, ArrayRef<StringRef> Ops) {
  for (StringRef Op : Ops)
    if (S.starts_with(Op))
      return Op;
  return {};
}

/// Pushes an opening bracket, or pops its partner; \p Closer is the closing
/// character. Returns false on a mismatch.
bool closes(std::vector<char> &Stack, char Closer) {
  char Want = Closer == ')' ? '(' : Closer == ']' ? '[' : '{';
  if (Stack.empty() || Stack.back() != Want)
    return false;
  Stack.pop_back();
  return true;
}

//===----------------------------------------------------------------------===//
// JavaScript (ECMA-262, lexical grammar of a module: strict mode)
//===----------------------------------------------------------------------===//

bool isJSKeyword(StringRef W) {
  return StringSwitch<bool>(W)
      .Cases("break", "case", "catch", "class", "const", "continue", true)
      .Cases("debugger", "default", "delete", "do", "else", "enum", true)
      .Cases("export", "extends", "false", "finally", "for", "function", true)
      .Cases("if", "import", "in", "instanceof", "new", "null", true)
      .Cases("return", "super", "switch", "this", "throw", "true", true)
      .Cases("try", "typeof", "var", "void", "while", "with", true)
      // Reserved in strict mode code, and `await` in a module.
      .Cases("yield", "let", "static", "implements", "interface", true)
      .Cases("package", "private", "protected", "public", "await", true)
      .Default(false);
}

bool isJSIdStart(char C) { return isAlpha(C) || C == '_' || C == '$'; }
bool isJSIdPart(char C) { return isAlnum(C) || C == '_' || C == '$'; }

class JSLexer {
public:
  explicit JSLexer(StringRef S) : S(S) {}

  Expected<std::vector<Tok>> run() {
    while (true) {
      if (Error E = skipSpace())
        return E;
      if (P >= S.size())
        break;
      if (Error E = next())
        return E;
    }
    if (!Brackets.empty())
      return lexError(S, S.size(),
                      "unclosed '" +
                          Twine(Brackets.back() == 'T'
                                    ? StringRef("${")
                                    : StringRef(&Brackets.back(), 1)) +
                          "'");
    return std::move(Toks);
  }

private:
  StringRef S;
  size_t P = 0;
  std::vector<Tok> Toks;
  std::vector<char> Brackets; // ( [ { or T for a template's ${

  /// Length of the line terminator at \p At (\n \r \r\n U+2028 U+2029).
  size_t lineTerminator(size_t At) const {
    StringRef R = S.substr(At);
    if (R.starts_with("\r\n"))
      return 2;
    if (R.starts_with("\n") || R.starts_with("\r"))
      return 1;
    if (R.starts_with("\xE2\x80\xA8") || R.starts_with("\xE2\x80\xA9"))
      return 3;
    return 0;
  }

  void push(Tok::KindTy K, size_t Begin, std::string Value = {}) {
    Tok T;
    T.Kind = K;
    T.Text = S.slice(Begin, P).str();
    T.Value = std::move(Value);
    T.Offset = Begin;
    if ((K == Tok::Name || K == Tok::Keyword) && !Toks.empty()) {
      const Tok &Prev = Toks.back();
      if (Prev.Kind == Tok::Punct && (Prev.Text == "." || Prev.Text == "?.")) {
        // A property name: reserved words are names there.
        T.AfterDot = true;
        T.Kind = Tok::Name;
      }
    }
    Toks.push_back(std::move(T));
  }

  Error skipSpace() {
    while (P < S.size()) {
      char C = S[P];
      if (C == ' ' || C == '\t' || C == '\v' || C == '\f') {
        ++P;
        continue;
      }
      if (size_t N = lineTerminator(P)) {
        P += N;
        continue;
      }
      if (S.substr(P).starts_with("//")) {
        size_t Begin = P;
        while (P < S.size() && !lineTerminator(P))
          ++P;
        push(Tok::Comment, Begin);
        continue;
      }
      if (S.substr(P).starts_with("/*")) {
        size_t Begin = P;
        size_t End = S.find("*/", P + 2);
        if (End == StringRef::npos)
          return lexError(S, Begin, "unterminated block comment");
        P = End + 2;
        push(Tok::Comment, Begin);
        continue;
      }
      break;
    }
    return Error::success();
  }

  /// A '/' here starts a regular expression rather than a division.
  bool regexAllowed() const {
    for (auto It = Toks.rbegin(); It != Toks.rend(); ++It) {
      const Tok &T = *It;
      switch (T.Kind) {
      case Tok::Comment:
        continue;
      case Tok::Name:
      case Tok::Number:
      case Tok::String:
      case Tok::Regex:
        return false;
      case Tok::Template:
        return !StringRef(T.Text).ends_with("${");
      case Tok::Keyword:
        return !(T.Text == "this" || T.Text == "super" || T.Text == "true" ||
                 T.Text == "false" || T.Text == "null");
      case Tok::Punct:
        return !(T.Text == ")" || T.Text == "]" || T.Text == "}" ||
                 T.Text == "++" || T.Text == "--");
      default:
        return true;
      }
    }
    return true;
  }

  Error next() {
    size_t Begin = P;
    char C = S[P];
    if (isJSIdStart(C) ||
        (C == '#' && P + 1 < S.size() && isJSIdStart(S[P + 1]))) {
      ++P;
      while (P < S.size() && isJSIdPart(S[P]))
        ++P;
      if (P < S.size() && S[P] == '\\')
        return lexError(S, P, "escape in an identifier");
      StringRef W = S.slice(Begin, P);
      push(isJSKeyword(W) ? Tok::Keyword : Tok::Name, Begin);
      return Error::success();
    }
    if (isDigit(C) || (C == '.' && P + 1 < S.size() && isDigit(S[P + 1])))
      return number();
    if (C == '"' || C == '\'')
      return string(C);
    if (C == '`') {
      ++P;
      return templateChunk(Begin);
    }
    if (C == '}' && !Brackets.empty() && Brackets.back() == 'T') {
      Brackets.pop_back();
      ++P;
      return templateChunk(Begin);
    }
    if (C == '/' && regexAllowed())
      return regex();
    static const StringRef Ops[] = {
        ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=",
        "?\?=", "=>",  "==",  "!=",  "<=",  ">=",  "&&",  "||",  "??",  "++",
        "--",   "+=",  "-=",  "*=",  "/=",  "%=",  "&=",  "|=",  "^=",  "<<",
        ">>",   "**",  "?.",  "{",   "}",   "(",   ")",   "[",   "]",   ";",
        ",",    "<",   ">",   "+",   "-",   "*",   "/",   "%",   "&",   "|",
        "^",    "!",   "~",   "?",   ":",   "=",   ".",   "@"};
    StringRef Op = matchPunct(S.substr(P), Ops);
    // `a?.5:b` is a conditional, not an optional chain.
    if (Op == "?." && P + 2 < S.size() && isDigit(S[P + 2]))
      Op = "?";
    if (Op.empty()) {
      unsigned char U = static_cast<unsigned char>(C);
      return lexError(S, P,
                      U >= 0x80 ? "non-ASCII byte outside a string or comment"
                                : "unexpected character '" + Twine(C) + "'");
    }
    P += Op.size();
    if (Op == "(" || Op == "[" || Op == "{") {
      Brackets.push_back(Op[0]);
    } else if (Op == ")" || Op == "]" || Op == "}") {
      if (!closes(Brackets, Op[0]))
        return lexError(S, Begin, "unbalanced '" + Op + "'");
    }
    push(Tok::Punct, Begin);
    return Error::success();
  }

  Error number() {
    size_t Begin = P;
    auto Digits = [&](auto IsDigit) {
      size_t From = P;
      while (P < S.size() && (IsDigit(S[P]) || S[P] == '_'))
        ++P;
      return P > From;
    };
    bool BigIntOk = true;
    if (S[P] == '0' && P + 1 < S.size() && strchr("xXoObB", S[P + 1])) {
      char Base = toLower(S[P + 1]);
      P += 2;
      bool Any = Digits([&](char D) {
        return Base == 'x'   ? isHex(D)
               : Base == 'o' ? (D >= '0' && D <= '7')
                             : (D == '0' || D == '1');
      });
      if (!Any)
        return lexError(S, Begin, "number without digits");
    } else {
      if (S[P] == '0' && P + 1 < S.size() && isDigit(S[P + 1]))
        return lexError(S, Begin, "legacy octal literal in strict mode");
      Digits(isDigit);
      if (P < S.size() && S[P] == '.') {
        ++P;
        Digits(isDigit);
        BigIntOk = false;
      }
      if (P < S.size() && (S[P] == 'e' || S[P] == 'E')) {
        ++P;
        if (P < S.size() && (S[P] == '+' || S[P] == '-'))
          ++P;
        if (!Digits(isDigit))
          return lexError(S, Begin, "exponent without digits");
        BigIntOk = false;
      }
    }
    if (BigIntOk && P < S.size() && S[P] == 'n')
      ++P;
    if (P < S.size() && (isJSIdPart(S[P]) || S[P] == '\\'))
      return lexError(S, Begin, "identifier right after a number");
    push(Tok::Number, Begin);
    return Error::success();
  }

  Error string(char Quote) {
    size_t Begin = P++;
    std::string Value;
    while (true) {
      if (P >= S.size())
        return lexError(S, Begin, "unterminated string literal");
      char C = S[P];
      if (C == Quote) {
        ++P;
        break;
      }
      if (C == '\n' || C == '\r')
        return lexError(S, Begin, "line break in a string literal");
      if (C != '\\') {
        Value += C;
        ++P;
        continue;
      }
      ++P;
      if (P >= S.size())
        return lexError(S, Begin, "unterminated string literal");
      if (size_t N = lineTerminator(P)) {
        P += N; // a line continuation adds nothing
        continue;
      }
      char E = S[P++];
      switch (E) {
      case 'b':
        Value += '\b';
        break;
      case 'f':
        Value += '\f';
        break;
      case 'n':
        Value += '\n';
        break;
      case 'r':
        Value += '\r';
        break;
      case 't':
        Value += '\t';
        break;
      case 'v':
        Value += '\v';
        break;
      case 'x': {
        if (P + 2 > S.size() || !isHex(S[P]) || !isHex(S[P + 1]))
          return lexError(S, P, "\\x needs two hexadecimal digits");
        appendCodePoint(Value,
                        hexDigitValue(S[P]) * 16 + hexDigitValue(S[P + 1]));
        P += 2;
        break;
      }
      case 'u': {
        uint32_t CP = 0;
        if (P < S.size() && S[P] == '{') {
          size_t End = S.find('}', P);
          if (End == StringRef::npos || End == P + 1)
            return lexError(S, P, "malformed \\u{...} escape");
          for (char D : S.slice(P + 1, End)) {
            if (!isHex(D) || CP > 0x10FFFF)
              return lexError(S, P, "malformed \\u{...} escape");
            CP = CP * 16 + hexDigitValue(D);
          }
          if (CP > 0x10FFFF)
            return lexError(S, P, "\\u{...} escape above U+10FFFF");
          P = End + 1;
        } else {
          for (int I = 0; I < 4; ++I, ++P) {
            if (P >= S.size() || !isHex(S[P]))
              return lexError(S, P, "\\u needs four hexadecimal digits");
            CP = CP * 16 + hexDigitValue(S[P]);
          }
        }
        appendCodePoint(Value, CP);
        break;
      }
      case '0':
        if (P < S.size() && isDigit(S[P]))
          return lexError(S, P - 2, "octal escape in strict mode");
        Value += '\0';
        break;
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        return lexError(S, P - 2, "octal escape in strict mode");
      default:
        Value += E; // an identity escape
      }
    }
    push(Tok::String, Begin, std::move(Value));
    return Error::success();
  }

  /// From after '`' or '}' to the closing '`' or the next '${'.
  Error templateChunk(size_t Begin) {
    while (true) {
      if (P >= S.size())
        return lexError(S, Begin, "unterminated template literal");
      char C = S[P];
      if (C == '\\') {
        P += 2;
        continue;
      }
      if (C == '`') {
        ++P;
        break;
      }
      if (C == '$' && P + 1 < S.size() && S[P + 1] == '{') {
        P += 2;
        Brackets.push_back('T');
        break;
      }
      ++P;
    }
    push(Tok::Template, Begin);
    return Error::success();
  }

  Error regex() {
    size_t Begin = P++;
    bool InClass = false;
    while (true) {
      if (P >= S.size() || lineTerminator(P))
        return lexError(S, Begin, "unterminated regular expression");
      char C = S[P++];
      if (C == '\\') {
        if (P >= S.size() || lineTerminator(P))
          return lexError(S, Begin, "unterminated regular expression");
        ++P;
      } else if (C == '[') {
        InClass = true;
      } else if (C == ']') {
        InClass = false;
      } else if (C == '/' && !InClass) {
        break;
      }
    }
    while (P < S.size() && isJSIdPart(S[P]))
      ++P;
    push(Tok::Regex, Begin);
    return Error::success();
  }
};

//===----------------------------------------------------------------------===//
// Python 3.11 (the reference's "Lexical analysis")
//===----------------------------------------------------------------------===//

bool isPythonKeywordToken(StringRef W) {
  return StringSwitch<bool>(W)
      .Cases("False", "None", "True", "and", "as", "assert", true)
      .Cases("async", "await", "break", "class", "continue", "def", true)
      .Cases("del", "elif", "else", "except", "finally", "for", true)
      .Cases("from", "global", "if", "import", "in", "is", true)
      .Cases("lambda", "nonlocal", "not", "or", "pass", "raise", true)
      .Cases("return", "try", "while", "with", "yield", true)
      .Default(false);
}

bool isPyIdStart(char C) { return isAlpha(C) || C == '_'; }
bool isPyIdPart(char C) { return isAlnum(C) || C == '_'; }

class PythonLexer {
public:
  explicit PythonLexer(StringRef S) : S(S) {}

  Expected<std::vector<Tok>> run() {
    if (S.contains('\0'))
      return lexError(S, S.find('\0'), "null byte in Python source");
    const UTF8 *Begin = reinterpret_cast<const UTF8 *>(S.begin());
    if (!isLegalUTF8String(&Begin, reinterpret_cast<const UTF8 *>(S.end())))
      return lexError(S, reinterpret_cast<const char *>(Begin) - S.begin(),
                      "invalid UTF-8 in Python source");
    bool AtLineStart = true;
    while (P < S.size()) {
      if (AtLineStart && Brackets.empty()) {
        AtLineStart = false;
        if (Error E = indentation())
          return E;
        continue;
      }
      char C = S[P];
      if (C == ' ' || C == '\t' || C == '\f') {
        ++P;
        continue;
      }
      if (size_t N = newline(P)) {
        P += N;
        if (Brackets.empty()) {
          if (InLine)
            pushAt(Tok::Newline, P - N, P - N);
          InLine = false;
          AtLineStart = true;
        }
        continue;
      }
      if (C == '#') {
        size_t B = P;
        while (P < S.size() && !newline(P))
          ++P;
        pushAt(Tok::Comment, B, P);
        continue;
      }
      if (C == '\\') {
        size_t N = P + 1 < S.size() ? newline(P + 1) : 0;
        if (!N)
          return lexError(S, P,
                          "backslash outside a string, not before a "
                          "line break");
        P += 1 + N;
        continue;
      }
      InLine = true;
      if (Error E = next())
        return E;
    }
    if (!Brackets.empty())
      return lexError(S, S.size(), "unclosed '" + Twine(Brackets.back()) + "'");
    if (InLine)
      pushAt(Tok::Newline, P, P);
    while (Indents.size() > 1) {
      Indents.pop_back();
      pushAt(Tok::Dedent, P, P);
    }
    return std::move(Toks);
  }

private:
  StringRef S;
  size_t P = 0;
  std::vector<Tok> Toks;
  std::vector<char> Brackets;
  std::vector<unsigned> Indents{0};
  bool InLine = false; // a token since the last Newline

  size_t newline(size_t At) const {
    if (S.substr(At).starts_with("\r\n"))
      return 2;
    return At < S.size() && (S[At] == '\n' || S[At] == '\r') ? 1 : 0;
  }

  void pushAt(Tok::KindTy K, size_t Begin, size_t End, std::string Value = {}) {
    Tok T;
    T.Kind = K;
    T.Text = S.slice(Begin, End).str();
    T.Value = std::move(Value);
    T.Offset = Begin;
    if ((K == Tok::Name || K == Tok::Keyword) && !Toks.empty() &&
        Toks.back().Kind == Tok::Punct && Toks.back().Text == ".")
      T.AfterDot = true;
    Toks.push_back(std::move(T));
  }

  /// At the start of a logical line: its indentation, or nothing for a
  /// blank or comment-only line.
  Error indentation() {
    unsigned Col = 0;
    size_t B = P;
    while (P < S.size()) {
      if (S[P] == ' ')
        ++Col;
      else if (S[P] == '\t')
        return lexError(S, P, "tab in indentation");
      else if (S[P] == '\f')
        Col = 0;
      else
        break;
      ++P;
    }
    if (P >= S.size() || newline(P) || S[P] == '#')
      return Error::success();
    if (Col > Indents.back()) {
      Indents.push_back(Col);
      pushAt(Tok::Indent, B, P);
      return Error::success();
    }
    while (Col < Indents.back()) {
      Indents.pop_back();
      pushAt(Tok::Dedent, B, P);
    }
    if (Col != Indents.back())
      return lexError(S, P, "dedent to no enclosing indentation level");
    return Error::success();
  }

  Error next() {
    size_t Begin = P;
    char C = S[P];
    if (isPyIdStart(C)) {
      while (P < S.size() && isPyIdPart(S[P]))
        ++P;
      StringRef W = S.slice(Begin, P);
      if (P < S.size() && (S[P] == '"' || S[P] == '\'')) {
        std::string Prefix = W.lower();
        if (Prefix == "r" || Prefix == "u" || Prefix == "b" || Prefix == "br" ||
            Prefix == "rb" || Prefix == "f" || Prefix == "fr" || Prefix == "rf")
          return string(Begin, Prefix);
      }
      pushAt(isPythonKeywordToken(W) ? Tok::Keyword : Tok::Name, Begin, P);
      return Error::success();
    }
    if (isDigit(C) || (C == '.' && P + 1 < S.size() && isDigit(S[P + 1])))
      return number();
    if (C == '"' || C == '\'')
      return string(Begin, "");
    static const StringRef Ops[] = {
        "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<",
        ">>",  "<=",  ">=",  "==",  "!=",  "+=", "-=", "*=", "/=", "%=",
        "&=",  "|=",  "^=",  "@=",  "(",   ")",  "[",  "]",  "{",  "}",
        ",",   ":",   ".",   ";",   "@",   "=",  "+",  "-",  "*",  "/",
        "%",   "&",   "|",   "^",   "~",   "<",  ">"};
    StringRef Op = matchPunct(S.substr(P), Ops);
    if (Op.empty()) {
      unsigned char U = static_cast<unsigned char>(C);
      return lexError(S, P,
                      U >= 0x80 ? "non-ASCII character outside a string or "
                                  "comment"
                                : "unexpected character '" + Twine(C) + "'");
    }
    P += Op.size();
    if (Op == "(" || Op == "[" || Op == "{")
      Brackets.push_back(Op[0]);
    else if ((Op == ")" || Op == "]" || Op == "}") && !closes(Brackets, Op[0]))
      return lexError(S, Begin, "unbalanced '" + Op + "'");
    pushAt(Tok::Punct, Begin, P);
    return Error::success();
  }

  Error number() {
    size_t Begin = P;
    auto Digits = [&](auto IsDigit) {
      size_t From = P;
      while (P < S.size() && (IsDigit(S[P]) || S[P] == '_'))
        ++P;
      return P > From;
    };
    if (S[P] == '0' && P + 1 < S.size() && strchr("xXoObB", S[P + 1])) {
      char Base = toLower(S[P + 1]);
      P += 2;
      if (!Digits([&](char D) {
            return Base == 'x'   ? isHex(D)
                   : Base == 'o' ? (D >= '0' && D <= '7')
                                 : (D == '0' || D == '1');
          }))
        return lexError(S, Begin, "number without digits");
    } else {
      Digits(isDigit);
      bool Float = false;
      if (P < S.size() && S[P] == '.') {
        ++P;
        Digits(isDigit);
        Float = true;
      }
      if (P < S.size() && (S[P] == 'e' || S[P] == 'E')) {
        ++P;
        if (P < S.size() && (S[P] == '+' || S[P] == '-'))
          ++P;
        if (!Digits(isDigit))
          return lexError(S, Begin, "exponent without digits");
        Float = true;
      }
      StringRef Int = S.slice(Begin, P);
      if (!Float && Int.size() > 1 && Int[0] == '0' &&
          Int.find_first_not_of("0_") != StringRef::npos)
        return lexError(S, Begin, "leading zeros in a decimal integer");
      if (P < S.size() && (S[P] == 'j' || S[P] == 'J'))
        ++P;
    }
    if (P < S.size() && isPyIdPart(S[P]))
      return lexError(S, Begin, "name right after a number");
    pushAt(Tok::Number, Begin, P);
    return Error::success();
  }

  /// A string literal; P is at its opening quote, \p Begin at its prefix.
  /// An f-string ends where any string would: Python 3.11 finds the end of
  /// the literal first and looks for replacement fields inside it after.
  Error string(size_t Begin, StringRef Prefix) {
    bool Raw = Prefix.contains('r');
    bool Bytes = Prefix.contains('b');
    bool Format = Prefix.contains('f');
    char Q = S[P];
    bool Triple = S.substr(P).starts_with(std::string(3, Q));
    P += Triple ? 3 : 1;
    size_t Body = P;
    std::string Value;
    while (true) {
      if (P >= S.size())
        return lexError(S, Begin, "unterminated string literal");
      if (S[P] == Q && (!Triple || S.substr(P).starts_with(std::string(3, Q))))
        break;
      if (!Triple && newline(P))
        return lexError(S, Begin, "line break in a string literal");
      if (Error E = character(P, Begin, Raw, Bytes, Value))
        return E;
    }
    size_t BodyEnd = P;
    P += Triple ? 3 : 1;
    if (Format)
      return formatString(Begin, Body, BodyEnd, Raw);
    pushAt(Tok::String, Begin, P, std::move(Value));
    return Error::success();
  }

  /// Appends the value of the character or escape sequence at \p At, in the
  /// body of the string literal at \p Begin, to \p Value and steps past it.
  Error character(size_t &At, size_t Begin, bool Raw, bool Bytes,
                  std::string &Value) {
    char C = S[At];
    if (size_t N = newline(At)) {
      // Universal newlines: the value holds '\n'.
      Value += '\n';
      At += N;
      return Error::success();
    }
    if (Bytes && static_cast<unsigned char>(C) >= 0x80)
      return lexError(S, At, "non-ASCII character in a bytes literal");
    if (C != '\\') {
      Value += C;
      ++At;
      return Error::success();
    }
    ++At;
    if (At >= S.size())
      return lexError(S, Begin, "unterminated string literal");
    if (Raw) {
      // The backslash stays, and keeps the next character from ending
      // the literal.
      Value += '\\';
      if (size_t N = newline(At)) {
        Value += '\n';
        At += N;
      } else {
        Value += S[At++];
      }
      return Error::success();
    }
    if (size_t N = newline(At)) {
      At += N; // a line continuation adds nothing
      return Error::success();
    }
    char E = S[At++];
    switch (E) {
    case '\\':
      Value += '\\';
      break;
    case '\'':
      Value += '\'';
      break;
    case '"':
      Value += '"';
      break;
    case 'a':
      Value += '\a';
      break;
    case 'b':
      Value += '\b';
      break;
    case 'f':
      Value += '\f';
      break;
    case 'n':
      Value += '\n';
      break;
    case 'r':
      Value += '\r';
      break;
    case 't':
      Value += '\t';
      break;
    case 'v':
      Value += '\v';
      break;
    case 'x': {
      if (At + 2 > S.size() || !isHex(S[At]) || !isHex(S[At + 1]))
        return lexError(S, At, "\\x needs two hexadecimal digits");
      unsigned V = hexDigitValue(S[At]) * 16 + hexDigitValue(S[At + 1]);
      if (Bytes)
        Value += static_cast<char>(V);
      else
        appendCodePoint(Value, V);
      At += 2;
      break;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      unsigned V = E - '0';
      for (int I = 0; I < 2 && At < S.size() && S[At] >= '0' && S[At] <= '7';
           ++I)
        V = V * 8 + (S[At++] - '0');
      if (Bytes)
        Value += static_cast<char>(V & 0xFF);
      else
        appendCodePoint(Value, V);
      break;
    }
    case 'u':
    case 'U': {
      if (Bytes)
        return lexError(S, At - 2, "invalid escape sequence in bytes");
      int Len = E == 'u' ? 4 : 8;
      uint32_t CP = 0;
      for (int I = 0; I < Len; ++I, ++At) {
        if (At >= S.size() || !isHex(S[At]))
          return lexError(S, At, "truncated \\u or \\U escape");
        CP = CP * 16 + hexDigitValue(S[At]);
      }
      if (CP > 0x10FFFF)
        return lexError(S, At, "\\U escape above U+10FFFF");
      appendCodePoint(Value, CP);
      break;
    }
    default:
      // Python 3.11 keeps an unknown escape (with a DeprecationWarning,
      // a SyntaxWarning from 3.12): never what an emitter means. So is
      // `\{`, which 3.11 reads as a backslash before a replacement field.
      return lexError(S, At - 2,
                      "invalid escape sequence '\\" +
                          Twine(isPrint(E) ? E : '?') + "'");
    }
    return Error::success();
  }

  //--- f-strings (the 3.11 reference's "Formatted string literals") ---
  //
  // Tokens as Python 3.12's tokenizer makes them: the prefix and opening
  // quote, and the closing quote, are Template tokens, compared raw; each
  // literal part a String of its value ({{ and }} are braces); a
  // replacement field '{', its expression's own tokens, then '=' followed
  // by the expression's text as a String (Python puts it in the value),
  // the conversion ("!r"), ':' and the format spec's parts, '}'. So a name
  // inside a field is a name, and a kernel string inside the literal is a
  // string.

  /// The f-string from \p Begin (its prefix) whose body is [Body, BodyEnd);
  /// P is past its closing quote.
  Error formatString(size_t Begin, size_t Body, size_t BodyEnd, bool Raw) {
    size_t End = P;
    pushAt(Tok::Template, Begin, Body);
    size_t At = Body;
    if (Error E = formatParts(At, BodyEnd, Raw, 0))
      return E;
    pushAt(Tok::Template, BodyEnd, End);
    P = End;
    return Error::success();
  }

  /// Literal parts and replacement fields from \p At up to \p End, or, in a
  /// format spec (\p Level > 0), up to its closing '}'.
  Error formatParts(size_t &At, size_t End, bool Raw, unsigned Level) {
    while (true) {
      size_t From = At;
      std::string Value;
      if (Error E = formatLiteral(At, End, Raw, Level, Value))
        return E;
      if (At > From)
        pushAt(Tok::String, From, At, std::move(Value));
      if (At >= End || S[At] != '{')
        return Error::success();
      if (Error E = replacementField(At, End, Raw, Level))
        return E;
    }
  }

  /// A literal part, up to a field's '{' (or the '}' ending a format spec).
  Error formatLiteral(size_t &At, size_t End, bool Raw, unsigned Level,
                      std::string &Value) {
    while (At < End) {
      char C = S[At];
      if (C == '{' || C == '}') {
        // Doubled braces are braces, but not in a format spec: f'{x:{w}}'
        // ends with two fields' '}'.
        if (Level == 0 && At + 1 < End && S[At + 1] == C) {
          Value += C;
          At += 2;
          continue;
        }
        if (C == '}' && Level == 0)
          return lexError(S, At, "single '}' in an f-string");
        return Error::success();
      }
      if (Raw && C == '\\') {
        // A raw backslash escapes nothing here: a '{' after it opens a
        // field.
        Value += C;
        ++At;
        continue;
      }
      if (Error E = character(At, At, Raw, /*Bytes=*/false, Value))
        return E;
    }
    return Error::success();
  }

  /// The replacement field at \p At ('{') of an f-string body ending at
  /// \p End; \p Level is 1 in a format spec.
  Error replacementField(size_t &At, size_t End, bool Raw, unsigned Level) {
    size_t Open = At;
    // 3.11 takes a field in a field's format spec, not one level deeper.
    if (Level >= 2)
      return lexError(S, Open, "f-string fields nested too deeply");
    pushAt(Tok::Punct, At, At + 1);
    ++At;
    // The expression ends, as 3.11 finds it, at the first '!', ':', '=' or
    // '}' outside brackets and strings that does not start `!=`, `==`,
    // `<=` or `>=`. No backslash and no '#' anywhere in it.
    size_t ExprBegin = At;
    std::vector<char> Nest;
    char Quote = 0;
    bool TripleQuote = false;
    while (true) {
      if (At >= End && Quote)
        return lexError(S, Open, "unterminated string in an f-string field");
      if (At >= End && !Nest.empty())
        return lexError(S, Open,
                        "unclosed '" + Twine(Nest.back()) +
                            "' in an f-string field");
      if (At >= End)
        return lexError(S, Open, "unterminated f-string field (expected '}')");
      char C = S[At];
      if (C == '\\')
        return lexError(S, At, "backslash in an f-string field");
      if (Quote) {
        size_t N = TripleQuote ? 3 : 1;
        if (S.slice(At, End).starts_with(std::string(N, Quote))) {
          At += N;
          Quote = 0;
        } else {
          ++At;
        }
        continue;
      }
      if (C == '\'' || C == '"') {
        Quote = C;
        TripleQuote = S.slice(At, End).starts_with(std::string(3, C));
        At += TripleQuote ? 3 : 1;
        continue;
      }
      if (C == '#')
        return lexError(S, At, "'#' in an f-string field");
      if (C == '(' || C == '[' || C == '{') {
        Nest.push_back(C);
      } else if (C == ')' || C == ']' || C == '}') {
        if (Nest.empty() && C == '}')
          break;
        if (!closes(Nest, C))
          return lexError(S, At,
                          "unbalanced '" + Twine(C) + "' in an f-string field");
      } else if (Nest.empty() &&
                 (C == '!' || C == ':' || C == '=' || C == '<' || C == '>')) {
        if (C != ':' && At + 1 < End && S[At + 1] == '=') {
          At += 2;
          continue;
        }
        if (C != '<' && C != '>')
          break;
      }
      ++At;
    }
    size_t ExprEnd = At;
    if (Error E = fieldExpression(Open, ExprBegin, ExprEnd))
      return E;
    if (S[At] == '=') {
      // f'{x = }' is 'x = ' then repr(x): the text is part of the value.
      pushAt(Tok::Punct, At, At + 1);
      ++At;
      while (At < End && isSpace(S[At]))
        ++At;
      pushAt(Tok::String, ExprBegin, At, S.slice(ExprBegin, At).str());
    }
    if (At < End && S[At] == '!') {
      if (At + 1 >= End || !StringRef("sra").contains(S[At + 1]))
        return lexError(S, At, "f-string conversion other than !s, !r or !a");
      pushAt(Tok::Punct, At, At + 2);
      At += 2;
    }
    if (At < End && S[At] == ':') {
      pushAt(Tok::Punct, At, At + 1);
      ++At;
      if (Error E = formatParts(At, End, Raw, Level + 1))
        return E;
    }
    if (At >= End || S[At] != '}')
      return lexError(S, Open, "unterminated f-string field (expected '}')");
    pushAt(Tok::Punct, At, At + 1);
    ++At;
    return Error::success();
  }

  /// The tokens of a field's expression, [Begin, End): as on a line in
  /// brackets (3.11 compiles it in parentheses), where a line break is
  /// space.
  Error fieldExpression(size_t Open, size_t Begin, size_t End) {
    StringRef Whole = S;
    size_t Resume = P;
    auto Restore = make_scope_exit([&] {
      S = Whole;
      P = Resume;
    });
    // Nothing is lexed past the field: a string in it ends before End.
    S = S.take_front(End);
    P = Begin;
    size_t Before = Toks.size();
    while (P < End) {
      char C = S[P];
      if (C == ' ' || C == '\t' || C == '\f')
        ++P;
      else if (size_t N = newline(P))
        P += N;
      else if (Error E = next())
        return E;
    }
    if (Toks.size() == Before)
      return lexError(S, Open, "empty expression in an f-string field");
    return Error::success();
  }
};

} // namespace

Expected<std::vector<EmittedToken>> lexJavaScript(StringRef Src) {
  return JSLexer(Src).run();
}

Expected<std::vector<EmittedToken>> lexPython(StringRef Src) {
  return PythonLexer(Src).run();
}

} // namespace fuzz
} // namespace kc
