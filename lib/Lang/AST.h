//===- AST.h - The untyped syntax tree of a kernel file ----------*- C++ -*-===//
//
// One node shape per category (type, expression, statement), chibicc-style:
// a kind, a location and the children that kind uses. Sema gives it types
// and lowers it to KIR.
//
//===----------------------------------------------------------------------===//

#ifndef KC_LANG_AST_H
#define KC_LANG_AST_H

#include "Bench/Workload.h"
#include "Lang/Token.h"
#include <memory>
#include <string>
#include <vector>

namespace kc {
namespace ast {

struct TypeExpr {
  enum Kind { Named, Array, Map, Nullable } K = Named;
  llvm::SMLoc Loc;
  std::string Name;                     // Named: i32, str, a record...
  std::unique_ptr<TypeExpr> Elem, Key;  // Array, Nullable: Elem; Map: Key, Elem
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  enum Kind {
    IntLit,     // IntValue (also character literals)
    FloatLit,   // FloatValue
    StrLit,     // Str
    BoolLit,    // IntValue 0/1
    NullLit,    // null
    NameRef,    // Name
    Unary,      // Op, Args[0]
    Binary,     // Op, Args[0], Args[1]
    Call,       // Name(Args...)
    Method,     // Args[0].Name(Args[1...])
    Index,      // Args[0][Args[1]]
    Field,      // Args[0].Name
    RecordLit,  // Name { FieldNames[i]: Args[i] }
    ArrayLit,   // [Args...]
    MapLit,     // {}
    Paren       // (Args[0]): kept so literals in parentheses stay literals
  } K;
  llvm::SMLoc Loc;
  Tok Op = Tok::Eof;
  uint64_t IntValue = 0;
  double FloatValue = 0;
  std::string Name;
  std::string Str;
  std::vector<ExprPtr> Args;
  std::vector<std::string> FieldNames;
  std::vector<llvm::SMLoc> FieldLocs;

  Expr(Kind K, llvm::SMLoc Loc) : K(K), Loc(Loc) {}
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;

struct BlockStmt {
  llvm::SMLoc Loc, EndLoc;  // the braces
  std::vector<StmtPtr> Stmts;
};

struct Stmt {
  enum Kind {
    Let,       // Mutable ? var : let; Name, Ty (optional), Value
    Assign,    // Target Op Value (Op is Eq or a compound assignment)
    If,        // Cond, Then, Else (optional block; an else-if is a block of one If)
    While,     // Cond, Body
    ForRange,  // Name in Cond .. Value, Body
    ForEach,   // Name in Cond, Body
    ForMap,    // Name, Name2 in Cond, Body
    Break,
    Continue,
    Return,    // Value (optional)
    ExprStmt,  // Value
    Block      // Body
  } K;
  llvm::SMLoc Loc;
  bool Mutable = false;
  std::string Name, Name2;
  llvm::SMLoc NameLoc, Name2Loc;
  std::unique_ptr<TypeExpr> Ty;
  Tok Op = Tok::Eq;
  ExprPtr Target, Cond, Value;
  std::unique_ptr<BlockStmt> Then, Else, Body;

  Stmt(Kind K, llvm::SMLoc Loc) : K(K), Loc(Loc) {}
};

struct Param {
  std::string Name;
  llvm::SMLoc Loc;
  std::unique_ptr<TypeExpr> Ty;
};

struct FunctionDecl {
  std::string Name;
  llvm::SMLoc Loc;
  std::vector<Param> Params;
  std::unique_ptr<TypeExpr> RetTy;  // null: returns nothing
  std::unique_ptr<BlockStmt> Body;
};

struct RecordField {
  std::string Name;
  llvm::SMLoc Loc;
  std::unique_ptr<TypeExpr> Ty;
};

struct RecordDecl {
  std::string Name;
  llvm::SMLoc Loc;
  std::vector<RecordField> Fields;
};

/// The bench section, parsed straight into the shared spec; locations of
/// names the checker may complain about are kept beside it.
struct BenchDecl {
  llvm::SMLoc Loc, EntryLoc;
  bench::BenchSpec Spec;
  std::vector<llvm::SMLoc> WorkloadLocs;
  std::vector<std::vector<llvm::SMLoc>> ArgLocs;  // per workload, per binding
};

struct File {
  std::vector<RecordDecl> Records;
  std::vector<FunctionDecl> Functions;
  std::vector<BenchDecl> Benches;
};

} // namespace ast
} // namespace kc

#endif
