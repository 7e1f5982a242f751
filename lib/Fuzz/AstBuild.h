//===- AstBuild.h - Building and copying kernel syntax trees ----*- C++ -*-===//
//
// Small constructors for ast::Expr and ast::Stmt (the generator writes
// kernels as trees, never as text) and deep copies (the reducer tries edits
// on a copy of the file).
//
//===----------------------------------------------------------------------===//

#ifndef KC_FUZZ_ASTBUILD_H
#define KC_FUZZ_ASTBUILD_H

#include "Lang/AST.h"
#include <string>
#include <vector>

namespace kc {
namespace fuzz {
namespace build {

using ast::ExprPtr;
using ast::StmtPtr;

ExprPtr intLit(uint64_t V);
/// -V as the parser reads `-5`: unary minus over the literal.
ExprPtr signedLit(int64_t V);
/// A float literal; a negative value is unary minus over its magnitude.
ExprPtr floatLit(double V);
ExprPtr strLit(std::string S);
ExprPtr boolLit(bool B);
ExprPtr nullLit();
ExprPtr name(std::string N);
ExprPtr unary(Tok Op, ExprPtr A);
ExprPtr binary(Tok Op, ExprPtr L, ExprPtr R);
ExprPtr call(std::string Callee, std::vector<ExprPtr> Args);
ExprPtr method(ExprPtr Obj, std::string Name, std::vector<ExprPtr> Args);
ExprPtr index(ExprPtr Coll, ExprPtr Idx);
ExprPtr field(ExprPtr Obj, std::string Name);
ExprPtr recordLit(std::string Rec, std::vector<std::string> Fields,
                  std::vector<ExprPtr> Values);
ExprPtr arrayLit(std::vector<ExprPtr> Elems);
ExprPtr mapLit();
ExprPtr paren(ExprPtr E);

std::unique_ptr<ast::TypeExpr> namedType(std::string N);
std::unique_ptr<ast::TypeExpr> arrayType(std::unique_ptr<ast::TypeExpr> E);
std::unique_ptr<ast::TypeExpr> mapType(std::unique_ptr<ast::TypeExpr> K,
                                       std::unique_ptr<ast::TypeExpr> V);
std::unique_ptr<ast::TypeExpr> nullableType(std::unique_ptr<ast::TypeExpr> R);

StmtPtr let(bool Mutable, std::string Name, std::unique_ptr<ast::TypeExpr> Ty,
            ExprPtr Value);
StmtPtr assign(ExprPtr Target, Tok Op, ExprPtr Value);
StmtPtr exprStmt(ExprPtr E);
StmtPtr ifStmt(ExprPtr Cond, std::unique_ptr<ast::BlockStmt> Then,
               std::unique_ptr<ast::BlockStmt> Else = nullptr);
StmtPtr whileStmt(ExprPtr Cond, std::unique_ptr<ast::BlockStmt> Body);
StmtPtr forRange(std::string Var, ExprPtr Lo, ExprPtr Hi,
                 std::unique_ptr<ast::BlockStmt> Body);
StmtPtr forEach(std::string Var, ExprPtr Coll,
                std::unique_ptr<ast::BlockStmt> Body);
StmtPtr forMap(std::string Key, std::string Value, ExprPtr Map,
               std::unique_ptr<ast::BlockStmt> Body);
StmtPtr breakStmt();
StmtPtr continueStmt();
StmtPtr returnStmt(ExprPtr Value);
std::unique_ptr<ast::BlockStmt> block(std::vector<StmtPtr> Stmts = {});

// Deep copies.
ExprPtr clone(const ast::Expr &E);
std::unique_ptr<ast::TypeExpr> clone(const ast::TypeExpr &T);
StmtPtr clone(const ast::Stmt &S);
std::unique_ptr<ast::BlockStmt> clone(const ast::BlockStmt &B);
ast::File clone(const ast::File &F);

} // namespace build
} // namespace fuzz
} // namespace kc

#endif
