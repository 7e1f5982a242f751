//===- EmittedLexer.h - Tokens of emitted JS and Python ---------*- C++ -*-===//
//
// The fuzz targets read the modules the JS and Python back-ends write with
// these lexers, written from the language references (ECMA-262 section 12,
// the Python 3.11 reference's "Lexical analysis"), not from the emitters: a
// string or name that breaks out of its syntax shows up as tokens the
// emitter did not mean to write. They accept the whole lexical grammar the
// back-ends use, and reject what either engine would reject at this level
// (an unterminated literal, an unbalanced bracket, an octal escape in a
// module, a null byte or invalid UTF-8 in Python source).
//
//===----------------------------------------------------------------------===//

#ifndef KC_FUZZCHECK_EMITTEDLEXER_H
#define KC_FUZZCHECK_EMITTEDLEXER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace kc {
namespace fuzz {

struct EmittedToken {
  enum KindTy {
    Name,    // an identifier (in JS also a reserved word used as a property)
    Keyword, // a reserved word, or true/false/null/None...
    Punct,   // an operator or bracket
    Number,
    String,   // Value holds the decoded text
    Template, // a JS template chunk, or a Python f-string's prefix and
              // opening quote or its closing quote: compared raw
    Regex,    // a JS regular expression literal
    Comment,  // Text is the whole comment
    Newline,  // Python: the end of a logical line
    Indent,   // Python
    Dedent,   // Python
  };
  KindTy Kind;
  std::string Text;      // the source text
  std::string Value;     // String: the decoded value
  size_t Offset = 0;     // of the first byte in the source
  bool AfterDot = false; // a name or keyword right after '.' (or '?.')
  /// A property an Object.defineProperty makes (never set by the lexers).
  bool OwnProperty = false;
};

/// Tokens of an ES module (strict mode).
llvm::Expected<std::vector<EmittedToken>> lexJavaScript(llvm::StringRef Src);

/// Tokens of a Python 3.11 module, with Newline, Indent and Dedent tokens
/// as Python's own tokenizer makes them (none inside brackets). An f-string
/// is lexed into its parts as Python 3.12's tokenizer does: the literal
/// parts are Strings, and a replacement field's expression has tokens of
/// its own.
llvm::Expected<std::vector<EmittedToken>> lexPython(llvm::StringRef Src);

/// 1-based line of \p Offset in \p Src, for messages.
unsigned lineOf(llvm::StringRef Src, size_t Offset);

} // namespace fuzz
} // namespace kc

#endif
