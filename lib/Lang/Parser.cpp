//===- Parser.cpp - Recursive-descent parser of kernel files --------------===//

#include "Lang/Parser.h"

using namespace kc;
using namespace kc::ast;

Parser::Parser(llvm::StringRef Buffer, DiagnosticEngine &Diags)
    : Lex(Buffer, Diags), Diags(Diags) {
  Tok_ = Lex.next();
  Next_ = Lex.next();
}

void Parser::advance() {
  PrevEnd = llvm::SMLoc::getFromPointer(Tok_.Text.end());
  Tok_ = std::move(Next_);
  Next_ = Tok_.is(Tok::Eof) ? Tok_ : Lex.next();
}

bool Parser::accept(Tok K) {
  if (!at(K))
    return false;
  advance();
  return true;
}

void Parser::errorExpected(llvm::StringRef What) {
  // A lexer error was already reported at this token.
  if (at(Tok::Error))
    return;
  std::string Got = at(Tok::Eof) ? "end of file"
                                 : "'" + cur().Text.str() + "'";
  Diags.error(cur().Loc, "expected " + What + ", found " + Got);
}

bool Parser::expect(Tok K, llvm::StringRef Context) {
  if (accept(K))
    return true;
  std::string What = tokDescription(K);
  if (What.front() != '\'' && K != Tok::Ident)
    What = "'" + What + "'";
  // A missing ';' belongs at the end of what it should follow, as in clang.
  if (K == Tok::Semi && PrevEnd.isValid() && !at(Tok::Error)) {
    std::string Got = at(Tok::Eof) ? "end of file" : "'" + cur().Text.str() + "'";
    Diags.error(PrevEnd, "expected " + What +
                             (Context.empty() ? "" : " " + Context.str()) +
                             ", found " + Got);
    return false;
  }
  errorExpected(Context.empty() ? What : What + " " + Context.str());
  return false;
}

bool Parser::enter(llvm::SMLoc Loc) {
  if (++Depth <= MaxDepth)
    return true;
  if (!DepthReported)
    Diags.error(Loc, "nesting is too deep (the limit is " +
                         llvm::Twine(MaxDepth) + ")");
  DepthReported = true;
  return false;
}

/// Skips to the next `fn`, `record` or `bench` at the start of an item.
void Parser::skipUntilItem() {
  while (!at(Tok::Eof) && !at(Tok::KwFn) && !at(Tok::KwRecord) &&
         !at(Tok::KwBench))
    advance();
}

/// Skips past the current statement: to a `;` or before a `}` at this level.
void Parser::skipUntilStmtEnd() {
  unsigned Nest = 0;
  while (!at(Tok::Eof)) {
    if (at(Tok::LBrace))
      ++Nest;
    if (at(Tok::RBrace)) {
      if (Nest == 0)
        return;
      --Nest;
      advance();
      if (Nest == 0)
        return;
      continue;
    }
    if (Nest == 0 && (at(Tok::Semi))) {
      advance();
      return;
    }
    if (Nest == 0 && (at(Tok::KwFn) || at(Tok::KwRecord) || at(Tok::KwBench)))
      return;
    advance();
  }
}

// file := item* EOF
File Parser::parseFile() {
  File F;
  while (!at(Tok::Eof) && !Diags.tooManyErrors()) {
    if (at(Tok::KwRecord))
      parseRecord(F);
    else if (at(Tok::KwFn))
      parseFunction(F);
    else if (at(Tok::KwBench))
      parseBench(F);
    else {
      errorExpected("'fn', 'record' or 'bench'");
      advance();
      skipUntilItem();
    }
  }
  return F;
}

// record := 'record' IDENT '{' (IDENT ':' type (',' IDENT ':' type)* ','?)? '}'
void Parser::parseRecord(File &F) {
  RecordDecl R;
  R.Loc = cur().Loc;
  advance();
  R.Name = cur().Text.str();
  if (!expect(Tok::Ident, "after 'record'") || !expect(Tok::LBrace, "")) {
    skipUntilItem();
    return;
  }
  while (!at(Tok::RBrace)) {
    RecordField Fld;
    Fld.Loc = cur().Loc;
    Fld.Name = cur().Text.str();
    if (!expect(Tok::Ident, "(a field name)") || !expect(Tok::Colon, "")) {
      skipUntilItem();
      return;
    }
    Fld.Ty = parseType();
    if (!Fld.Ty) {
      skipUntilItem();
      return;
    }
    R.Fields.push_back(std::move(Fld));
    if (!accept(Tok::Comma))
      break;
  }
  if (!expect(Tok::RBrace, "to end the record")) {
    skipUntilItem();
    return;
  }
  F.Records.push_back(std::move(R));
}

// type := 'bool' | 'i32' | ... | IDENT | '[' type ']' | 'map' '[' type ']' type
//       | '?' type
std::unique_ptr<TypeExpr> Parser::parseType() {
  auto T = std::make_unique<TypeExpr>();
  T->Loc = cur().Loc;
  if (!enter(T->Loc)) {
    leave();
    return nullptr;
  }
  struct Leave {
    Parser &P;
    ~Leave() { P.leave(); }
  } L{*this};
  if (at(Tok::Ident)) {
    T->K = TypeExpr::Named;
    T->Name = cur().Text.str();
    advance();
    return T;
  }
  if (accept(Tok::Question)) {
    T->K = TypeExpr::Nullable;
    T->Elem = parseType();
    if (!T->Elem)
      return nullptr;
    return T;
  }
  if (accept(Tok::LBracket)) {
    T->K = TypeExpr::Array;
    T->Elem = parseType();
    if (!T->Elem || !expect(Tok::RBracket, "to end the array type"))
      return nullptr;
    return T;
  }
  if (accept(Tok::KwMap)) {
    T->K = TypeExpr::Map;
    if (!expect(Tok::LBracket, "after 'map'"))
      return nullptr;
    T->Key = parseType();
    if (!T->Key || !expect(Tok::RBracket, "after the map key type"))
      return nullptr;
    T->Elem = parseType();
    if (!T->Elem)
      return nullptr;
    return T;
  }
  errorExpected("a type");
  return nullptr;
}

// function := 'fn' IDENT '(' params? ')' ('->' type)? block
void Parser::parseFunction(File &F) {
  FunctionDecl Fn;
  Fn.Loc = cur().Loc;
  advance();
  Fn.Name = cur().Text.str();
  Fn.Loc = cur().Loc;
  if (!expect(Tok::Ident, "after 'fn'") || !expect(Tok::LParen, "")) {
    skipUntilItem();
    return;
  }
  while (!at(Tok::RParen)) {
    Param P;
    P.Loc = cur().Loc;
    P.Name = cur().Text.str();
    if (!expect(Tok::Ident, "(a parameter name)") ||
        !expect(Tok::Colon, "after the parameter name")) {
      skipUntilItem();
      return;
    }
    P.Ty = parseType();
    if (!P.Ty) {
      skipUntilItem();
      return;
    }
    Fn.Params.push_back(std::move(P));
    if (!accept(Tok::Comma))
      break;
  }
  if (!expect(Tok::RParen, "to end the parameters")) {
    skipUntilItem();
    return;
  }
  if (accept(Tok::Arrow)) {
    Fn.RetTy = parseType();
    if (!Fn.RetTy) {
      skipUntilItem();
      return;
    }
  }
  if (!at(Tok::LBrace)) {
    errorExpected("'{' to begin the function body");
    skipUntilItem();
    return;
  }
  Fn.Body = parseBlock();
  if (!Fn.Body) {
    skipUntilItem();
    return;
  }
  F.Functions.push_back(std::move(Fn));
}

// block := '{' stmt* '}'
std::unique_ptr<BlockStmt> Parser::parseBlock() {
  auto B = std::make_unique<BlockStmt>();
  B->Loc = cur().Loc;
  if (!expect(Tok::LBrace, ""))
    return nullptr;
  if (!enter(B->Loc)) {
    leave();
    return nullptr;
  }
  while (!at(Tok::RBrace) && !at(Tok::Eof) && !Diags.tooManyErrors()) {
    if (at(Tok::KwFn) || at(Tok::KwRecord) || at(Tok::KwBench))
      break;  // a missing '}': let the item parser take over
    if (StmtPtr S = parseStmt())
      B->Stmts.push_back(std::move(S));
    else if (DepthReported) {
      leave();
      return nullptr;
    }
  }
  leave();
  B->EndLoc = cur().Loc;
  if (!expect(Tok::RBrace, "to end the block"))
    return nullptr;
  return B;
}

// stmt := let | if | while | for | return | 'break' ';' | 'continue' ';'
//       | block | simple ';'
StmtPtr Parser::parseStmt() {
  switch (cur().Kind) {
  case Tok::KwLet:
  case Tok::KwVar:
    return parseLet();
  case Tok::KwIf:
    return parseIf();
  case Tok::KwWhile:
    return parseWhile();
  case Tok::KwFor:
    return parseFor();
  case Tok::KwReturn:
    return parseReturn();
  case Tok::KwBreak:
  case Tok::KwContinue: {
    auto S = std::make_unique<Stmt>(
        at(Tok::KwBreak) ? Stmt::Break : Stmt::Continue, cur().Loc);
    advance();
    if (!expect(Tok::Semi, "")) {
      skipUntilStmtEnd();
      return nullptr;
    }
    return S;
  }
  case Tok::LBrace: {
    auto S = std::make_unique<Stmt>(Stmt::Block, cur().Loc);
    S->Body = parseBlock();
    if (!S->Body)
      return nullptr;
    return S;
  }
  default:
    return parseSimpleStmt();
  }
}

// let := ('let' | 'var') IDENT (':' type)? '=' expr ';'
StmtPtr Parser::parseLet() {
  auto S = std::make_unique<Stmt>(Stmt::Let, cur().Loc);
  S->Mutable = at(Tok::KwVar);
  advance();
  S->Name = cur().Text.str();
  S->NameLoc = cur().Loc;
  if (!expect(Tok::Ident, "(a variable name)")) {
    skipUntilStmtEnd();
    return nullptr;
  }
  if (accept(Tok::Colon)) {
    S->Ty = parseType();
    if (!S->Ty) {
      skipUntilStmtEnd();
      return nullptr;
    }
  }
  if (!expect(Tok::Eq, "(variables need an initial value)")) {
    skipUntilStmtEnd();
    return nullptr;
  }
  S->Value = parseExpr();
  if (!S->Value || !expect(Tok::Semi, "after the declaration")) {
    skipUntilStmtEnd();
    return nullptr;
  }
  return S;
}

// if := 'if' expr block ('else' (block | if))?
StmtPtr Parser::parseIf() {
  auto S = std::make_unique<Stmt>(Stmt::If, cur().Loc);
  advance();
  S->Cond = parseExpr(/*NoRecord=*/true);
  if (!S->Cond) {
    skipUntilStmtEnd();
    return nullptr;
  }
  S->Then = parseBlock();
  if (!S->Then)
    return nullptr;
  if (accept(Tok::KwElse)) {
    if (at(Tok::KwIf)) {
      auto B = std::make_unique<BlockStmt>();
      B->Loc = cur().Loc;
      // An else-if is a block inside this statement: one level deeper.
      bool Entered = enter(B->Loc);
      StmtPtr Inner = Entered ? parseIf() : nullptr;
      leave();
      if (!Inner)
        return nullptr;
      B->Stmts.push_back(std::move(Inner));
      S->Else = std::move(B);
    } else {
      S->Else = parseBlock();
      if (!S->Else)
        return nullptr;
    }
  }
  return S;
}

// while := 'while' expr block
StmtPtr Parser::parseWhile() {
  auto S = std::make_unique<Stmt>(Stmt::While, cur().Loc);
  advance();
  S->Cond = parseExpr(/*NoRecord=*/true);
  if (!S->Cond) {
    skipUntilStmtEnd();
    return nullptr;
  }
  S->Body = parseBlock();
  return S->Body ? std::move(S) : nullptr;
}

// for := 'for' IDENT (',' IDENT)? 'in' expr ('..' expr)? block
StmtPtr Parser::parseFor() {
  auto S = std::make_unique<Stmt>(Stmt::ForEach, cur().Loc);
  advance();
  S->Name = cur().Text.str();
  S->NameLoc = cur().Loc;
  if (!expect(Tok::Ident, "(the loop variable)")) {
    skipUntilStmtEnd();
    return nullptr;
  }
  if (accept(Tok::Comma)) {
    S->K = Stmt::ForMap;
    S->Name2 = cur().Text.str();
    S->Name2Loc = cur().Loc;
    if (!expect(Tok::Ident, "(the value variable)")) {
      skipUntilStmtEnd();
      return nullptr;
    }
  }
  if (!expect(Tok::KwIn, "")) {
    skipUntilStmtEnd();
    return nullptr;
  }
  S->Cond = parseExpr(/*NoRecord=*/true);
  if (!S->Cond) {
    skipUntilStmtEnd();
    return nullptr;
  }
  if (accept(Tok::DotDot)) {
    if (S->K == Stmt::ForMap) {
      Diags.error(S->Loc, "a range loop has one variable");
      skipUntilStmtEnd();
      return nullptr;
    }
    S->K = Stmt::ForRange;
    S->Value = parseExpr(/*NoRecord=*/true);
    if (!S->Value) {
      skipUntilStmtEnd();
      return nullptr;
    }
  }
  S->Body = parseBlock();
  return S->Body ? std::move(S) : nullptr;
}

// return := 'return' expr? ';'
StmtPtr Parser::parseReturn() {
  auto S = std::make_unique<Stmt>(Stmt::Return, cur().Loc);
  advance();
  if (!at(Tok::Semi)) {
    S->Value = parseExpr();
    if (!S->Value) {
      skipUntilStmtEnd();
      return nullptr;
    }
  }
  if (!expect(Tok::Semi, "after return")) {
    skipUntilStmtEnd();
    return nullptr;
  }
  return S;
}

static bool isAssignOp(Tok K) {
  switch (K) {
  case Tok::Eq: case Tok::PlusEq: case Tok::MinusEq: case Tok::StarEq:
  case Tok::SlashEq: case Tok::PercentEq: case Tok::AmpEq: case Tok::PipeEq:
  case Tok::CaretEq: case Tok::ShlEq: case Tok::ShrEq:
    return true;
  default:
    return false;
  }
}

// simple := lvalue assignop expr ';' | expr ';'
StmtPtr Parser::parseSimpleStmt() {
  llvm::SMLoc Loc = cur().Loc;
  ExprPtr E = parseExpr();
  if (!E) {
    skipUntilStmtEnd();
    return nullptr;
  }
  StmtPtr S;
  if (isAssignOp(cur().Kind)) {
    S = std::make_unique<Stmt>(Stmt::Assign, cur().Loc);
    S->Op = cur().Kind;
    advance();
    S->Target = std::move(E);
    S->Value = parseExpr();
    if (!S->Value) {
      skipUntilStmtEnd();
      return nullptr;
    }
  } else {
    S = std::make_unique<Stmt>(Stmt::ExprStmt, Loc);
    S->Value = std::move(E);
  }
  if (!expect(Tok::Semi, "after the statement")) {
    skipUntilStmtEnd();
    return nullptr;
  }
  return S;
}

ExprPtr Parser::parseExpr(bool NoRecord) {
  if (!enter(cur().Loc)) {
    leave();
    return nullptr;
  }
  ExprPtr E = parseBinary(1, NoRecord);
  leave();
  return E;
}

/// Binding power of binary operators, loosest first (0: not binary).
static unsigned precedence(Tok K) {
  switch (K) {
  case Tok::PipePipe: return 1;
  case Tok::AmpAmp: return 2;
  case Tok::EqEq: case Tok::NotEq: case Tok::Less: case Tok::LessEq:
  case Tok::Greater: case Tok::GreaterEq:
    return 3;
  case Tok::Pipe: return 4;
  case Tok::Caret: return 5;
  case Tok::Amp: return 6;
  case Tok::Shl: case Tok::Shr: return 7;
  case Tok::Plus: case Tok::Minus: return 8;
  case Tok::Star: case Tok::Slash: case Tok::Percent: return 9;
  default: return 0;
  }
}

// or .. mul: precedence climbing over the table above; comparisons do not
// chain (a < b < c is an error, as it means nothing useful).
ExprPtr Parser::parseBinary(unsigned MinPrec, bool NoRecord) {
  ExprPtr L = parseUnary(NoRecord);
  if (!L)
    return nullptr;
  // Each operator of a chain nests the tree one level deeper, as a
  // parenthesis would: the checker and the back-ends recurse on it.
  unsigned Levels = 0;
  struct Leave {
    Parser &P;
    unsigned &N;
    ~Leave() {
      for (; N; --N)
        P.leave();
    }
  } LeaveAll{*this, Levels};
  while (true) {
    unsigned Prec = precedence(cur().Kind);
    if (Prec == 0 || Prec < MinPrec)
      return L;
    Token OpTok = cur();
    ++Levels;
    if (!enter(OpTok.Loc))
      return nullptr;
    advance();
    ExprPtr R = parseBinary(Prec + 1, NoRecord);
    if (!R)
      return nullptr;
    if (Prec == 3 && precedence(cur().Kind) == 3) {
      Diags.error(cur().Loc, "comparisons do not chain; use '&&'");
      return nullptr;
    }
    auto B = std::make_unique<Expr>(Expr::Binary, OpTok.Loc);
    B->Op = OpTok.Kind;
    B->Args.push_back(std::move(L));
    B->Args.push_back(std::move(R));
    L = std::move(B);
  }
}

// unary := ('-' | '!' | '~') unary | postfix
ExprPtr Parser::parseUnary(bool NoRecord) {
  if (at(Tok::Minus) || at(Tok::Bang) || at(Tok::Tilde)) {
    auto U = std::make_unique<Expr>(Expr::Unary, cur().Loc);
    U->Op = cur().Kind;
    advance();
    if (!enter(U->Loc)) {
      leave();
      return nullptr;
    }
    ExprPtr Operand = parseUnary(NoRecord);
    leave();
    if (!Operand)
      return nullptr;
    U->Args.push_back(std::move(Operand));
    return U;
  }
  return parsePostfix(NoRecord);
}

// args := expr (',' expr)* ','?   (after '(' up to and including ')')
bool Parser::parseArgs(std::vector<ExprPtr> &Args) {
  while (!at(Tok::RParen)) {
    ExprPtr A = parseExpr();
    if (!A)
      return false;
    Args.push_back(std::move(A));
    if (!accept(Tok::Comma))
      break;
  }
  return expect(Tok::RParen, "to end the arguments");
}

// postfix := primary ('.' IDENT ('(' args ')')? | '[' expr ']' | '(' args ')')*
ExprPtr Parser::parsePostfix(bool NoRecord) {
  ExprPtr E = parsePrimary(NoRecord);
  if (!E)
    return nullptr;
  // Each postfix operation nests the tree one level deeper (see
  // parseBinary).
  unsigned Levels = 0;
  struct Leave {
    Parser &P;
    unsigned &N;
    ~Leave() {
      for (; N; --N)
        P.leave();
    }
  } LeaveAll{*this, Levels};
  while (true) {
    if (at(Tok::Dot) || at(Tok::LBracket) || at(Tok::LParen)) {
      ++Levels;
      if (!enter(cur().Loc))
        return nullptr;
    }
    if (at(Tok::Dot)) {
      llvm::SMLoc Loc = cur().Loc;
      advance();
      std::string Name = cur().Text.str();
      llvm::SMLoc NameLoc = cur().Loc;
      if (!expect(Tok::Ident, "after '.'"))
        return nullptr;
      if (accept(Tok::LParen)) {
        auto M = std::make_unique<Expr>(Expr::Method, NameLoc);
        M->Name = Name;
        M->Args.push_back(std::move(E));
        if (!parseArgs(M->Args))
          return nullptr;
        E = std::move(M);
      } else {
        auto F = std::make_unique<Expr>(Expr::Field, NameLoc);
        (void)Loc;
        F->Name = Name;
        F->Args.push_back(std::move(E));
        E = std::move(F);
      }
      continue;
    }
    if (at(Tok::LBracket)) {
      auto I = std::make_unique<Expr>(Expr::Index, cur().Loc);
      advance();
      ExprPtr Idx = parseExpr();
      if (!Idx || !expect(Tok::RBracket, "to end the index"))
        return nullptr;
      I->Args.push_back(std::move(E));
      I->Args.push_back(std::move(Idx));
      E = std::move(I);
      continue;
    }
    if (at(Tok::LParen)) {
      if (E->K != Expr::NameRef) {
        Diags.error(cur().Loc, "only named functions can be called");
        return nullptr;
      }
      advance();
      auto C = std::make_unique<Expr>(Expr::Call, E->Loc);
      C->Name = E->Name;
      if (!parseArgs(C->Args))
        return nullptr;
      E = std::move(C);
      continue;
    }
    return E;
  }
}

// primary := literal | 'null' | IDENT | IDENT '{' fields '}' | '[' exprs ']'
//          | '{' '}' | '(' expr ')'
ExprPtr Parser::parsePrimary(bool NoRecord) {
  const Token &T = cur();
  switch (T.Kind) {
  case Tok::IntLit:
  case Tok::CharLit: {
    auto E = std::make_unique<Expr>(Expr::IntLit, T.Loc);
    E->IntValue = T.IntValue;
    advance();
    return E;
  }
  case Tok::FloatLit: {
    auto E = std::make_unique<Expr>(Expr::FloatLit, T.Loc);
    E->FloatValue = T.FloatValue;
    advance();
    return E;
  }
  case Tok::StrLit: {
    auto E = std::make_unique<Expr>(Expr::StrLit, T.Loc);
    E->Str = T.StrValue;
    advance();
    return E;
  }
  case Tok::KwTrue:
  case Tok::KwFalse: {
    auto E = std::make_unique<Expr>(Expr::BoolLit, T.Loc);
    E->IntValue = T.is(Tok::KwTrue);
    advance();
    return E;
  }
  case Tok::KwNull: {
    auto E = std::make_unique<Expr>(Expr::NullLit, T.Loc);
    advance();
    return E;
  }
  case Tok::Ident: {
    auto E = std::make_unique<Expr>(Expr::NameRef, T.Loc);
    E->Name = T.Text.str();
    advance();
    if (!NoRecord && at(Tok::LBrace)) {
      E->K = Expr::RecordLit;
      advance();
      while (!at(Tok::RBrace)) {
        E->FieldLocs.push_back(cur().Loc);
        E->FieldNames.push_back(cur().Text.str());
        if (!expect(Tok::Ident, "(a field name)") ||
            !expect(Tok::Colon, "after the field name"))
          return nullptr;
        ExprPtr V = parseExpr();
        if (!V)
          return nullptr;
        E->Args.push_back(std::move(V));
        if (!accept(Tok::Comma))
          break;
      }
      if (!expect(Tok::RBrace, "to end the record literal"))
        return nullptr;
    }
    return E;
  }
  case Tok::LBracket: {
    auto E = std::make_unique<Expr>(Expr::ArrayLit, T.Loc);
    advance();
    while (!at(Tok::RBracket)) {
      ExprPtr V = parseExpr();
      if (!V)
        return nullptr;
      E->Args.push_back(std::move(V));
      if (!accept(Tok::Comma))
        break;
    }
    if (!expect(Tok::RBracket, "to end the array literal"))
      return nullptr;
    return E;
  }
  case Tok::LBrace: {
    auto E = std::make_unique<Expr>(Expr::MapLit, T.Loc);
    advance();
    if (!expect(Tok::RBrace, "(only the empty map literal {} exists)"))
      return nullptr;
    return E;
  }
  case Tok::LParen: {
    auto E = std::make_unique<Expr>(Expr::Paren, T.Loc);
    advance();
    ExprPtr Inner = parseExpr();
    if (!Inner || !expect(Tok::RParen, "to close the parenthesis"))
      return nullptr;
    E->Args.push_back(std::move(Inner));
    return E;
  }
  default:
    errorExpected("an expression");
    return nullptr;
  }
}

// bench := 'bench' IDENT '{' workload+ '}'
void Parser::parseBench(File &F) {
  BenchDecl B;
  B.Loc = cur().Loc;
  B.Spec.Line = Diags.lineAndColumn(B.Loc).first;
  advance();
  B.EntryLoc = cur().Loc;
  B.Spec.Entry = cur().Text.str();
  if (!expect(Tok::Ident, "(the entry kernel) after 'bench'") ||
      !expect(Tok::LBrace, "")) {
    skipUntilItem();
    return;
  }
  while (at(Tok::KwWorkload) || (at(Tok::Ident) && cur().Text == "tolerance")) {
    if (at(Tok::Ident)) {
      // tolerance := 'tolerance' FLOAT ';'
      llvm::SMLoc TolLoc = cur().Loc;
      advance();
      if (!at(Tok::FloatLit) || cur().FloatValue < 0 || cur().FloatValue >= 1) {
        Diags.error(TolLoc, "tolerance takes a relative float in [0, 1), "
                            "e.g. tolerance 1e-12;");
        skipUntilItem();
        return;
      }
      B.Spec.Tolerance = cur().FloatValue;
      advance();
      if (!expect(Tok::Semi, "after the tolerance")) {
        skipUntilItem();
        return;
      }
      continue;
    }
    if (!parseWorkload(B)) {
      skipUntilItem();
      return;
    }
  }
  if (B.Spec.Workloads.empty())
    errorExpected("'workload'");
  if (!expect(Tok::RBrace, "to end the bench section")) {
    skipUntilItem();
    return;
  }
  F.Benches.push_back(std::move(B));
}

// workload := 'workload' IDENT '(' 'small' ':' genexpr ',' 'default' ':'
//             genexpr ',' 'large' ':' genexpr ')' ('per' IDENT ('(' genexpr ')')?)?
//             '{' (IDENT '=' genarg ';')* '}'
bool Parser::parseWorkload(BenchDecl &B) {
  bench::WorkloadSpec W;
  advance();
  llvm::SMLoc Loc = cur().Loc;
  auto LC = Diags.lineAndColumn(Loc);
  W.Line = LC.first;
  W.Col = LC.second;
  W.Name = cur().Text.str();
  if (!expect(Tok::Ident, "(the workload name)") || !expect(Tok::LParen, ""))
    return false;
  static const char *SizeNames[] = {"small", "default", "large"};
  for (unsigned I = 0; I < 3; ++I) {
    if (!at(Tok::Ident) || cur().Text != SizeNames[I]) {
      errorExpected(std::string("'") + SizeNames[I] + "'");
      return false;
    }
    llvm::SMLoc SizeLoc = cur().Loc;
    advance();
    if (!expect(Tok::Colon, ""))
      return false;
    bench::ArgExpr E;
    if (!parseGenExpr(E))
      return false;
    auto V = E.evalInt(0);
    if (!V) {
      Diags.error(SizeLoc, llvm::toString(V.takeError()));
      return false;
    }
    if (E.isFloat() || *V < 0) {
      Diags.error(SizeLoc, "a workload size is a non-negative integer");
      return false;
    }
    W.Sizes[I] = *V;
    if (I < 2 && !expect(Tok::Comma, ""))
      return false;
  }
  if (!expect(Tok::RParen, "after the sizes"))
    return false;
  // `per UNIT` or `per UNIT(count)`: what explain's "time per operation"
  // divides by; `per` is contextual so it stays usable as a name elsewhere.
  if (at(Tok::Ident) && cur().Text == "per") {
    advance();
    W.OpUnit = cur().Text.str();
    if (!expect(Tok::Ident, "(the unit of one kernel operation)"))
      return false;
    if (at(Tok::LParen)) {
      llvm::SMLoc CountLoc = cur().Loc;
      advance();
      bench::ArgExpr E;
      if (!parseGenExpr(E) || !expect(Tok::RParen, "after the count"))
        return false;
      if (E.isFloat()) {
        Diags.error(CountLoc, "an operation count is an integer expression");
        return false;
      }
      W.OpCount = std::move(E);
    }
  }
  if (!expect(Tok::LBrace, ""))
    return false;
  std::vector<llvm::SMLoc> ArgLocs;
  while (!at(Tok::RBrace)) {
    bench::ArgSpec A;
    ArgLocs.push_back(cur().Loc);
    auto ALC = Diags.lineAndColumn(cur().Loc);
    A.Line = ALC.first;
    A.Col = ALC.second;
    A.Param = cur().Text.str();
    if (!expect(Tok::Ident, "(a parameter of the entry kernel)") ||
        !expect(Tok::Eq, ""))
      return false;
    if (at(Tok::Ident) && peekTok().is(Tok::LParen)) {
      auto G = bench::lookupGenerator(cur().Text);
      if (!G || *G == bench::GenKind::Scalar) {
        Diags.error(cur().Loc, "unknown generator '" + cur().Text + "'");
        return false;
      }
      A.Gen = *G;
      llvm::SMLoc GenLoc = cur().Loc;
      advance();
      advance();
      while (!at(Tok::RParen)) {
        bench::ArgExpr E;
        if (!parseGenExpr(E))
          return false;
        A.Args.push_back(std::move(E));
        if (!accept(Tok::Comma))
          break;
      }
      if (!expect(Tok::RParen, "to end the generator call"))
        return false;
      if (A.Args.size() != bench::genNumArgs(A.Gen)) {
        Diags.error(GenLoc, "generator '" + bench::genName(A.Gen) +
                                "' takes " +
                                llvm::Twine(bench::genNumArgs(A.Gen)) +
                                " arguments");
        return false;
      }
    } else {
      bench::ArgExpr E;
      if (!parseGenExpr(E))
        return false;
      A.Args.push_back(std::move(E));
    }
    if (!expect(Tok::Semi, "after the binding"))
      return false;
    W.Args.push_back(std::move(A));
  }
  advance();
  B.Spec.Workloads.push_back(std::move(W));
  B.WorkloadLocs.push_back(Loc);
  B.ArgLocs.push_back(std::move(ArgLocs));
  return true;
}

// genexpr := term (('+' | '-') term)*
bool Parser::parseGenExpr(bench::ArgExpr &Out) {
  if (!enter(cur().Loc)) {
    leave();
    return false;
  }
  struct Leave {
    Parser &P;
    ~Leave() { P.leave(); }
  } L{*this};
  if (!parseGenTerm(Out))
    return false;
  while (at(Tok::Plus) || at(Tok::Minus)) {
    bench::ArgExpr N;
    N.K = at(Tok::Plus) ? bench::ArgExpr::Add : bench::ArgExpr::Sub;
    advance();
    N.L = std::make_shared<bench::ArgExpr>(std::move(Out));
    N.R = std::make_shared<bench::ArgExpr>();
    if (!parseGenTerm(*N.R))
      return false;
    Out = std::move(N);
  }
  return true;
}

// term := factor (('*' | '/') factor)*
bool Parser::parseGenTerm(bench::ArgExpr &Out) {
  if (!parseGenFactor(Out))
    return false;
  while (at(Tok::Star) || at(Tok::Slash)) {
    bench::ArgExpr N;
    N.K = at(Tok::Star) ? bench::ArgExpr::Mul : bench::ArgExpr::Div;
    advance();
    N.L = std::make_shared<bench::ArgExpr>(std::move(Out));
    N.R = std::make_shared<bench::ArgExpr>();
    if (!parseGenFactor(*N.R))
      return false;
    Out = std::move(N);
  }
  return true;
}

// factor := INT | FLOAT | 'size' | '-' factor | '(' genexpr ')'
bool Parser::parseGenFactor(bench::ArgExpr &Out) {
  if (at(Tok::IntLit)) {
    if (cur().IntValue > (uint64_t(1) << 53)) {
      Diags.error(cur().Loc, "integer literal outside the safe range +-2^53");
      return false;
    }
    Out.K = bench::ArgExpr::IntLit;
    Out.I = static_cast<int64_t>(cur().IntValue);
    advance();
    return true;
  }
  if (at(Tok::FloatLit)) {
    Out.K = bench::ArgExpr::FloatLit;
    Out.F = cur().FloatValue;
    advance();
    return true;
  }
  if (at(Tok::Ident) && cur().Text == "size") {
    Out.K = bench::ArgExpr::Size;
    advance();
    return true;
  }
  if (accept(Tok::Minus)) {
    // -x is 0 - x: keeps the expression tree to the four operators.
    bench::ArgExpr N;
    N.K = bench::ArgExpr::Sub;
    N.L = std::make_shared<bench::ArgExpr>();
    N.R = std::make_shared<bench::ArgExpr>();
    if (!enter(cur().Loc)) {
      leave();
      return false;
    }
    bool Ok = parseGenFactor(*N.R);
    leave();
    if (!Ok)
      return false;
    if (N.R->K == bench::ArgExpr::FloatLit) {
      N.L->K = bench::ArgExpr::FloatLit;
      N.L->F = 0;
    }
    Out = std::move(N);
    return true;
  }
  if (accept(Tok::LParen)) {
    if (!parseGenExpr(Out))
      return false;
    return expect(Tok::RParen, "");
  }
  errorExpected("a number or 'size'");
  return false;
}
