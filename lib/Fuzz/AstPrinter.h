//===- AstPrinter.h - Kernel source text of a syntax tree --------*- C++
//-*-===//
//
// The differential fuzzer builds kernels as ast::File trees and its reducer
// edits parsed ones; both need them back as source that the parser reads to
// the same tree (up to locations and redundant parentheses).
//
//===----------------------------------------------------------------------===//

#ifndef KC_FUZZ_ASTPRINTER_H
#define KC_FUZZ_ASTPRINTER_H

#include "Lang/AST.h"
#include <string>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace fuzz {

/// Prints records, then functions, then the bench section. Parentheses are
/// added only where precedence needs them (Paren nodes are kept); record
/// literals inside a condition are parenthesized, as the grammar requires.
void printFile(const ast::File &F, llvm::raw_ostream &OS);
std::string printFile(const ast::File &F);

void printExpr(const ast::Expr &E, llvm::raw_ostream &OS);
void printType(const ast::TypeExpr &T, llvm::raw_ostream &OS);

/// A string literal with the escapes of docs/language.md.
std::string quoteString(llvm::StringRef S);
/// The shortest text of a non-negative double that reads back to the same
/// bits and lexes as a float literal (it has a '.' or an exponent).
std::string floatLiteral(double V);

} // namespace fuzz
} // namespace kc

#endif
