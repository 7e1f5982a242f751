//===- Parser.h - Recursive-descent parser of kernel files -------*- C++ -*-===//

#ifndef KC_LANG_PARSER_H
#define KC_LANG_PARSER_H

#include "Lang/AST.h"
#include "Lang/Lexer.h"

namespace kc {

/// One function per grammar rule (docs/language.md), the rule above it.
/// Errors are reported and the parser resynchronises at the next statement
/// or item, so one run reports several errors.
class Parser {
public:
  Parser(llvm::StringRef Buffer, DiagnosticEngine &Diags);
  /// Always returns a file; Diags says whether it is valid.
  ast::File parseFile();

  /// Nesting limit for expressions, types and blocks: deeper input is
  /// rejected instead of exhausting the stack.
  static constexpr unsigned MaxDepth = 200;

private:
  Lexer Lex;
  DiagnosticEngine &Diags;
  Token Tok_;
  Token Next_;
  llvm::SMLoc PrevEnd;  // just past the previous token
  unsigned Depth = 0;
  bool DepthReported = false;

  // Token stream.
  const Token &cur() const { return Tok_; }
  const Token &peekTok() const { return Next_; }
  void advance();
  bool at(Tok K) const { return Tok_.Kind == K; }
  bool accept(Tok K);
  bool expect(Tok K, llvm::StringRef Context);
  void errorExpected(llvm::StringRef What);
  void skipUntilItem();
  void skipUntilStmtEnd();
  bool enter(llvm::SMLoc Loc);
  void leave() { --Depth; }

  // Items.
  void parseRecord(ast::File &F);
  void parseFunction(ast::File &F);
  void parseBench(ast::File &F);
  bool parseWorkload(ast::BenchDecl &B);
  bool parseGenExpr(bench::ArgExpr &Out);
  bool parseGenTerm(bench::ArgExpr &Out);
  bool parseGenFactor(bench::ArgExpr &Out);
  std::unique_ptr<ast::TypeExpr> parseType();

  // Statements.
  std::unique_ptr<ast::BlockStmt> parseBlock();
  ast::StmtPtr parseStmt();
  ast::StmtPtr parseLet();
  ast::StmtPtr parseIf();
  ast::StmtPtr parseWhile();
  ast::StmtPtr parseFor();
  ast::StmtPtr parseReturn();
  ast::StmtPtr parseSimpleStmt();

  // Expressions; NoRecord forbids `Name {` record literals (in conditions).
  ast::ExprPtr parseExpr(bool NoRecord = false);
  ast::ExprPtr parseBinary(unsigned MinPrec, bool NoRecord);
  ast::ExprPtr parseUnary(bool NoRecord);
  ast::ExprPtr parsePostfix(bool NoRecord);
  ast::ExprPtr parsePrimary(bool NoRecord);
  bool parseArgs(std::vector<ast::ExprPtr> &Args);
};

} // namespace kc

#endif
