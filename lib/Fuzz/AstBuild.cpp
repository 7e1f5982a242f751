//===- AstBuild.cpp - Building and copying kernel syntax trees ------------===//

#include "Fuzz/AstBuild.h"
#include <cmath>

using namespace kc;
using namespace kc::fuzz;
using ast::Expr;
using ast::ExprPtr;
using ast::Stmt;
using ast::StmtPtr;

namespace B = kc::fuzz::build;

static ExprPtr make(Expr::Kind K) {
  return std::make_unique<Expr>(K, llvm::SMLoc());
}
static StmtPtr makeStmt(Stmt::Kind K) {
  return std::make_unique<Stmt>(K, llvm::SMLoc());
}

ExprPtr B::intLit(uint64_t V) {
  ExprPtr E = make(Expr::IntLit);
  E->IntValue = V;
  return E;
}

ExprPtr B::signedLit(int64_t V) {
  if (V >= 0)
    return intLit(static_cast<uint64_t>(V));
  return unary(Tok::Minus, intLit(0 - static_cast<uint64_t>(V)));
}

ExprPtr B::floatLit(double V) {
  if (std::signbit(V)) {
    ExprPtr E = make(Expr::FloatLit);
    E->FloatValue = -V;
    return unary(Tok::Minus, std::move(E));
  }
  ExprPtr E = make(Expr::FloatLit);
  E->FloatValue = V;
  return E;
}

ExprPtr B::strLit(std::string S) {
  ExprPtr E = make(Expr::StrLit);
  E->Str = std::move(S);
  return E;
}

ExprPtr B::boolLit(bool V) {
  ExprPtr E = make(Expr::BoolLit);
  E->IntValue = V;
  return E;
}

ExprPtr B::nullLit() { return make(Expr::NullLit); }

ExprPtr B::name(std::string N) {
  ExprPtr E = make(Expr::NameRef);
  E->Name = std::move(N);
  return E;
}

ExprPtr B::unary(Tok Op, ExprPtr A) {
  ExprPtr E = make(Expr::Unary);
  E->Op = Op;
  E->Args.push_back(std::move(A));
  return E;
}

ExprPtr B::binary(Tok Op, ExprPtr L, ExprPtr R) {
  ExprPtr E = make(Expr::Binary);
  E->Op = Op;
  E->Args.push_back(std::move(L));
  E->Args.push_back(std::move(R));
  return E;
}

ExprPtr B::call(std::string Callee, std::vector<ExprPtr> Args) {
  ExprPtr E = make(Expr::Call);
  E->Name = std::move(Callee);
  E->Args = std::move(Args);
  return E;
}

ExprPtr B::method(ExprPtr Obj, std::string Name, std::vector<ExprPtr> Args) {
  ExprPtr E = make(Expr::Method);
  E->Name = std::move(Name);
  E->Args.push_back(std::move(Obj));
  for (ExprPtr &A : Args)
    E->Args.push_back(std::move(A));
  return E;
}

ExprPtr B::index(ExprPtr Coll, ExprPtr Idx) {
  ExprPtr E = make(Expr::Index);
  E->Args.push_back(std::move(Coll));
  E->Args.push_back(std::move(Idx));
  return E;
}

ExprPtr B::field(ExprPtr Obj, std::string Name) {
  ExprPtr E = make(Expr::Field);
  E->Name = std::move(Name);
  E->Args.push_back(std::move(Obj));
  return E;
}

ExprPtr B::recordLit(std::string Rec, std::vector<std::string> Fields,
                     std::vector<ExprPtr> Values) {
  ExprPtr E = make(Expr::RecordLit);
  E->Name = std::move(Rec);
  E->FieldNames = std::move(Fields);
  E->FieldLocs.assign(E->FieldNames.size(), llvm::SMLoc());
  E->Args = std::move(Values);
  return E;
}

ExprPtr B::arrayLit(std::vector<ExprPtr> Elems) {
  ExprPtr E = make(Expr::ArrayLit);
  E->Args = std::move(Elems);
  return E;
}

ExprPtr B::mapLit() { return make(Expr::MapLit); }

ExprPtr B::paren(ExprPtr Inner) {
  ExprPtr E = make(Expr::Paren);
  E->Args.push_back(std::move(Inner));
  return E;
}

std::unique_ptr<ast::TypeExpr> B::namedType(std::string N) {
  auto T = std::make_unique<ast::TypeExpr>();
  T->K = ast::TypeExpr::Named;
  T->Name = std::move(N);
  return T;
}

std::unique_ptr<ast::TypeExpr> B::arrayType(std::unique_ptr<ast::TypeExpr> E) {
  auto T = std::make_unique<ast::TypeExpr>();
  T->K = ast::TypeExpr::Array;
  T->Elem = std::move(E);
  return T;
}

std::unique_ptr<ast::TypeExpr> B::mapType(std::unique_ptr<ast::TypeExpr> K,
                                          std::unique_ptr<ast::TypeExpr> V) {
  auto T = std::make_unique<ast::TypeExpr>();
  T->K = ast::TypeExpr::Map;
  T->Key = std::move(K);
  T->Elem = std::move(V);
  return T;
}

std::unique_ptr<ast::TypeExpr>
B::nullableType(std::unique_ptr<ast::TypeExpr> R) {
  auto T = std::make_unique<ast::TypeExpr>();
  T->K = ast::TypeExpr::Nullable;
  T->Elem = std::move(R);
  return T;
}

StmtPtr B::let(bool Mutable, std::string Name,
               std::unique_ptr<ast::TypeExpr> Ty, ExprPtr Value) {
  StmtPtr S = makeStmt(Stmt::Let);
  S->Mutable = Mutable;
  S->Name = std::move(Name);
  S->Ty = std::move(Ty);
  S->Value = std::move(Value);
  return S;
}

StmtPtr B::assign(ExprPtr Target, Tok Op, ExprPtr Value) {
  StmtPtr S = makeStmt(Stmt::Assign);
  S->Op = Op;
  S->Target = std::move(Target);
  S->Value = std::move(Value);
  return S;
}

StmtPtr B::exprStmt(ExprPtr E) {
  StmtPtr S = makeStmt(Stmt::ExprStmt);
  S->Value = std::move(E);
  return S;
}

StmtPtr B::ifStmt(ExprPtr Cond, std::unique_ptr<ast::BlockStmt> Then,
                  std::unique_ptr<ast::BlockStmt> Else) {
  StmtPtr S = makeStmt(Stmt::If);
  S->Cond = std::move(Cond);
  S->Then = std::move(Then);
  S->Else = std::move(Else);
  return S;
}

StmtPtr B::whileStmt(ExprPtr Cond, std::unique_ptr<ast::BlockStmt> Body) {
  StmtPtr S = makeStmt(Stmt::While);
  S->Cond = std::move(Cond);
  S->Body = std::move(Body);
  return S;
}

StmtPtr B::forRange(std::string Var, ExprPtr Lo, ExprPtr Hi,
                    std::unique_ptr<ast::BlockStmt> Body) {
  StmtPtr S = makeStmt(Stmt::ForRange);
  S->Name = std::move(Var);
  S->Cond = std::move(Lo);
  S->Value = std::move(Hi);
  S->Body = std::move(Body);
  return S;
}

StmtPtr B::forEach(std::string Var, ExprPtr Coll,
                   std::unique_ptr<ast::BlockStmt> Body) {
  StmtPtr S = makeStmt(Stmt::ForEach);
  S->Name = std::move(Var);
  S->Cond = std::move(Coll);
  S->Body = std::move(Body);
  return S;
}

StmtPtr B::forMap(std::string Key, std::string Value, ExprPtr Map,
                  std::unique_ptr<ast::BlockStmt> Body) {
  StmtPtr S = makeStmt(Stmt::ForMap);
  S->Name = std::move(Key);
  S->Name2 = std::move(Value);
  S->Cond = std::move(Map);
  S->Body = std::move(Body);
  return S;
}

StmtPtr B::breakStmt() { return makeStmt(Stmt::Break); }
StmtPtr B::continueStmt() { return makeStmt(Stmt::Continue); }

StmtPtr B::returnStmt(ExprPtr Value) {
  StmtPtr S = makeStmt(Stmt::Return);
  S->Value = std::move(Value);
  return S;
}

std::unique_ptr<ast::BlockStmt> B::block(std::vector<StmtPtr> Stmts) {
  auto Blk = std::make_unique<ast::BlockStmt>();
  Blk->Stmts = std::move(Stmts);
  return Blk;
}

ExprPtr B::clone(const ast::Expr &E) {
  auto C = std::make_unique<Expr>(E.K, E.Loc);
  C->Op = E.Op;
  C->IntValue = E.IntValue;
  C->FloatValue = E.FloatValue;
  C->Name = E.Name;
  C->Str = E.Str;
  for (const ExprPtr &A : E.Args)
    C->Args.push_back(clone(*A));
  C->FieldNames = E.FieldNames;
  C->FieldLocs = E.FieldLocs;
  return C;
}

std::unique_ptr<ast::TypeExpr> B::clone(const ast::TypeExpr &T) {
  auto C = std::make_unique<ast::TypeExpr>();
  C->K = T.K;
  C->Loc = T.Loc;
  C->Name = T.Name;
  if (T.Elem)
    C->Elem = clone(*T.Elem);
  if (T.Key)
    C->Key = clone(*T.Key);
  return C;
}

StmtPtr B::clone(const ast::Stmt &S) {
  auto C = std::make_unique<Stmt>(S.K, S.Loc);
  C->Mutable = S.Mutable;
  C->Name = S.Name;
  C->Name2 = S.Name2;
  C->NameLoc = S.NameLoc;
  C->Name2Loc = S.Name2Loc;
  if (S.Ty)
    C->Ty = clone(*S.Ty);
  C->Op = S.Op;
  if (S.Target)
    C->Target = clone(*S.Target);
  if (S.Cond)
    C->Cond = clone(*S.Cond);
  if (S.Value)
    C->Value = clone(*S.Value);
  if (S.Then)
    C->Then = clone(*S.Then);
  if (S.Else)
    C->Else = clone(*S.Else);
  if (S.Body)
    C->Body = clone(*S.Body);
  return C;
}

std::unique_ptr<ast::BlockStmt> B::clone(const ast::BlockStmt &Blk) {
  auto C = std::make_unique<ast::BlockStmt>();
  C->Loc = Blk.Loc;
  C->EndLoc = Blk.EndLoc;
  for (const StmtPtr &S : Blk.Stmts)
    C->Stmts.push_back(clone(*S));
  return C;
}

ast::File B::clone(const ast::File &F) {
  ast::File C;
  for (const ast::RecordDecl &R : F.Records) {
    ast::RecordDecl RC;
    RC.Name = R.Name;
    RC.Loc = R.Loc;
    for (const ast::RecordField &Fld : R.Fields) {
      ast::RecordField FC;
      FC.Name = Fld.Name;
      FC.Loc = Fld.Loc;
      FC.Ty = clone(*Fld.Ty);
      RC.Fields.push_back(std::move(FC));
    }
    C.Records.push_back(std::move(RC));
  }
  for (const ast::FunctionDecl &Fn : F.Functions) {
    ast::FunctionDecl FC;
    FC.Name = Fn.Name;
    FC.Loc = Fn.Loc;
    for (const ast::Param &P : Fn.Params) {
      ast::Param PC;
      PC.Name = P.Name;
      PC.Loc = P.Loc;
      PC.Ty = clone(*P.Ty);
      FC.Params.push_back(std::move(PC));
    }
    if (Fn.RetTy)
      FC.RetTy = clone(*Fn.RetTy);
    FC.Body = clone(*Fn.Body);
    C.Functions.push_back(std::move(FC));
  }
  for (const ast::BenchDecl &Bd : F.Benches)
    C.Benches.push_back(Bd);
  return C;
}
