//===- Lexer.h - Turns kernel source into tokens -----------------*- C++ -*-===//

#ifndef KC_LANG_LEXER_H
#define KC_LANG_LEXER_H

#include "Lang/Diagnostics.h"
#include "Lang/Token.h"

namespace kc {

/// Reports malformed tokens through the diagnostic engine and returns
/// Tok::Error for them, so the parser can recover and keep going.
class Lexer {
public:
  Lexer(llvm::StringRef Buffer, DiagnosticEngine &Diags)
      : Buf(Buffer), Cur(Buffer.begin()), Diags(Diags) {}

  Token next();

private:
  llvm::StringRef Buf;
  const char *Cur;
  DiagnosticEngine &Diags;

  bool atEnd() const { return Cur >= Buf.end(); }
  char peek(unsigned Ahead = 0) const {
    return Cur + Ahead < Buf.end() ? Cur[Ahead] : '\0';
  }
  llvm::SMLoc loc(const char *P) const { return llvm::SMLoc::getFromPointer(P); }
  void skipSpaceAndComments();
  Token make(Tok K, const char *Start);
  Token lexNumber(const char *Start);
  Token lexString(const char *Start);
  Token lexChar(const char *Start);
  /// Reads one escape after a backslash; returns -1 after reporting an error.
  int lexEscape();
};

} // namespace kc

#endif
