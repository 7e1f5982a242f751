//===- Sema.cpp - Names, types and lowering of the AST to KIR -------------===//
//
// There are few implicit conversions: both operands of a binary operator have
// one type; an integer literal and `null` take the type their context
// expects; a record R goes wherever its nullable ?R is expected (never the
// other way). Every error is reported where it is found and the offending
// expression becomes null, which silences follow-on errors.
//
//===----------------------------------------------------------------------===//

#include "Lang/Sema.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"

using namespace kc;
using namespace kc::kir;

namespace {

constexpr int64_t SafeLimit = int64_t(1) << 53;

class Sema {
public:
  Sema(ast::File &F, llvm::StringRef Name, DiagnosticEngine &Diags,
       const SemaOptions &Opts)
      : File(F), Diags(Diags), Opts(Opts),
        M(std::make_unique<Module>(Name.str())), Ctx(M->Ctx) {}

  std::unique_ptr<Module> run() {
    declareRecords();
    declareFunctions();
    for (size_t I = 0; I < File.Functions.size(); ++I)
      if (FnDecls[I])
        lowerFunction(File.Functions[I], *FnDecls[I]);
    checkBench();
    if (Diags.hasErrors())
      return nullptr;
    return std::move(M);
  }

private:
  ast::File &File;
  DiagnosticEngine &Diags;
  SemaOptions Opts;
  std::unique_ptr<Module> M;
  Context &Ctx;

  llvm::StringMap<RecordDecl *> Records;
  llvm::StringMap<llvm::SMLoc> RecordLocs;
  llvm::StringMap<Function *> Functions;
  std::vector<Function *> FnDecls;  // parallel to File.Functions

  // Per-function state.
  Function *Fn = nullptr;
  Block *Cur = nullptr;
  unsigned LoopDepth = 0;
  unsigned TempCount = 0;
  std::vector<llvm::StringMap<Local *>> Scopes;
  llvm::DenseMap<const Local *, llvm::SMLoc> LocalDeclLocs;

  // --- helpers ---------------------------------------------------------

  SourceLoc loc(llvm::SMLoc L) {
    auto LC = Diags.lineAndColumn(L);
    return {LC.first, LC.second};
  }
  void error(llvm::SMLoc L, const llvm::Twine &Msg) { Diags.error(L, Msg); }

  Node *make(Op O, Type *T, llvm::SMLoc L, llvm::ArrayRef<Node *> Ops = {}) {
    return Ctx.create(O, T, loc(L), Ops);
  }
  void emit(Node *S) { Cur->Stmts.push_back(S); }

  static bool isBuiltinName(llvm::StringRef N) {
    return llvm::StringSwitch<bool>(N)
        .Cases("i32", "u32", "int", "f64", "min", "max", "abs", true)
        .Cases("sqrt", "floor", "len", "str", "parse_int", "chr", "array", true)
        .Cases("join", "str_from_codes", true)
        .Default(false);
  }
  static bool isTypeName(llvm::StringRef N) {
    return llvm::StringSwitch<bool>(N)
        .Cases("bool", "i32", "u32", "int", "f64", "str", "bytes", true)
        .Default(false);
  }

  // --- types -----------------------------------------------------------

  Type *resolveType(const ast::TypeExpr &T) {
    switch (T.K) {
    case ast::TypeExpr::Named: {
      Type *Ty = llvm::StringSwitch<Type *>(T.Name)
                     .Case("bool", Ctx.getBool())
                     .Case("i32", Ctx.getI32())
                     .Case("u32", Ctx.getU32())
                     .Case("int", Ctx.getInt())
                     .Case("f64", Ctx.getF64())
                     .Case("str", Ctx.getStr())
                     .Case("bytes", Ctx.getBytes())
                     .Default(nullptr);
      if (Ty)
        return Ty;
      auto It = Records.find(T.Name);
      if (It != Records.end())
        return Ctx.getRecord(It->second);
      error(T.Loc, "unknown type '" + T.Name + "'");
      return nullptr;
    }
    case ast::TypeExpr::Array: {
      Type *E = resolveType(*T.Elem);
      return E ? Ctx.getArray(E) : nullptr;
    }
    case ast::TypeExpr::Nullable: {
      Type *E = resolveType(*T.Elem);
      if (!E)
        return nullptr;
      if (E->Kind != TypeKind::Record) {
        error(T.Loc, "only a record type can be nullable, not " + E->str());
        return nullptr;
      }
      return Ctx.getNullable(E);
    }
    case ast::TypeExpr::Map: {
      Type *K = resolveType(*T.Key);
      Type *V = resolveType(*T.Elem);
      if (!K || !V)
        return nullptr;
      if (K->Kind != TypeKind::Int && K->Kind != TypeKind::Str) {
        error(T.Key->Loc, "map keys must be int or str, not " + K->str());
        return nullptr;
      }
      return Ctx.getMap(K, V);
    }
    }
    return nullptr;
  }

  void declareRecords() {
    for (ast::RecordDecl &R : File.Records) {
      if (isTypeName(R.Name)) {
        error(R.Loc, "'" + R.Name + "' is a built-in type name");
        continue;
      }
      if (Records.count(R.Name)) {
        error(R.Loc, "redefinition of record '" + R.Name + "'");
        Diags.note(RecordLocs[R.Name], "previous definition is here");
        continue;
      }
      auto D = std::make_unique<RecordDecl>();
      D->Name = R.Name;
      D->Loc = loc(R.Loc);
      Records[R.Name] = D.get();
      RecordLocs[R.Name] = R.Loc;
      M->Records.push_back(std::move(D));
    }
    // Field types may name records declared later in the file.
    for (ast::RecordDecl &R : File.Records) {
      auto It = Records.find(R.Name);
      if (It == Records.end() || It->second->Name != R.Name ||
          RecordLocs[R.Name] != R.Loc)
        continue;
      RecordDecl *D = It->second;
      llvm::StringSet<> Seen;
      for (ast::RecordField &F : R.Fields) {
        if (!Seen.insert(F.Name).second) {
          error(F.Loc, "duplicate field '" + F.Name + "' in record '" +
                           R.Name + "'");
          continue;
        }
        Type *T = resolveType(*F.Ty);
        if (!T)
          T = Ctx.getInt();  // keep indices stable; the error is reported
        D->Fields.push_back({F.Name, T});
      }
    }
    // A record that holds itself through non-nullable fields could never be
    // built: the first one would need another one already.
    for (auto &D : M->Records) {
      llvm::SmallVector<RecordDecl *, 8> Path;
      if (containsRecord(D.get(), D.get(), Path)) {
        std::string Chain = D->Name;
        for (RecordDecl *P : Path)
          Chain += " -> " + P->Name;
        error(RecordLocs[D->Name],
              "record '" + D->Name + "' contains itself (" + Chain +
                  ") and could never be built; make a field on the cycle "
                  "nullable, as in '?" + Path.front()->Name + "'");
      }
    }
  }

  /// Whether \p Root is reachable from \p R through fields of record type
  /// (a ?R field, an array or a map may be empty, and ends a chain).
  bool containsRecord(RecordDecl *Root, RecordDecl *R,
                      llvm::SmallVectorImpl<RecordDecl *> &Path) {
    if (Path.size() > M->Records.size())
      return false;
    for (const Field &F : R->Fields) {
      if (F.Ty->Kind != TypeKind::Record)
        continue;
      Path.push_back(F.Ty->Rec);
      if (F.Ty->Rec == Root || containsRecord(Root, F.Ty->Rec, Path))
        return true;
      Path.pop_back();
    }
    return false;
  }

  void declareFunctions() {
    for (ast::FunctionDecl &F : File.Functions) {
      FnDecls.push_back(nullptr);
      if (isBuiltinName(F.Name) || isTypeName(F.Name)) {
        error(F.Loc, "'" + F.Name + "' is a built-in name");
        continue;
      }
      if (llvm::StringRef(F.Name).starts_with("kc_")) {
        error(F.Loc, "names starting with 'kc_' are reserved for the runtime");
        continue;
      }
      if (Functions.count(F.Name)) {
        error(F.Loc, "redefinition of function '" + F.Name + "'");
        continue;
      }
      auto Fn = std::make_unique<Function>();
      Fn->Name = F.Name;
      Fn->Loc = loc(F.Loc);
      bool Ok = true;
      llvm::StringSet<> Seen;
      for (ast::Param &P : F.Params) {
        Type *T = resolveType(*P.Ty);
        if (!Seen.insert(P.Name).second) {
          error(P.Loc, "duplicate parameter '" + P.Name + "'");
          Ok = false;
        }
        if (!T) {
          Ok = false;
          continue;
        }
        // Parameters are mutable, as in JS and Python.
        Fn->Params.push_back(Fn->addLocal(P.Name, T, true, loc(P.Loc)));
        LocalDeclLocs[Fn->Params.back()] = P.Loc;
      }
      Fn->RetTy = Ctx.getVoid();
      if (F.RetTy) {
        Fn->RetTy = resolveType(*F.RetTy);
        if (!Fn->RetTy)
          Ok = false;
      }
      if (!Ok)
        continue;
      Fn->Body = Ctx.createBlock();
      Functions[F.Name] = Fn.get();
      FnDecls.back() = Fn.get();
      M->Functions.push_back(std::move(Fn));
    }
  }

  // --- functions and statements ----------------------------------------

  Local *lookup(llvm::StringRef Name) {
    for (auto It = Scopes.rbegin(); It != Scopes.rend(); ++It) {
      auto F = It->find(Name);
      if (F != It->end())
        return F->second;
    }
    return nullptr;
  }

  Local *declareLocal(llvm::StringRef Name, Type *T, bool Mutable,
                      llvm::SMLoc L) {
    auto &Scope = Scopes.back();
    auto It = Scope.find(Name);
    if (It != Scope.end()) {
      error(L, "redeclaration of '" + Name + "' in the same scope");
      Diags.note(LocalDeclLocs[It->second], "previous declaration is here");
    }
    Local *V = Fn->addLocal(Name, T, Mutable, loc(L));
    Scope[Name] = V;
    LocalDeclLocs[V] = L;
    return V;
  }

  void lowerFunction(ast::FunctionDecl &AF, Function &F) {
    Fn = &F;
    Cur = F.Body;
    LoopDepth = 0;
    TempCount = 0;
    Scopes.clear();
    Scopes.emplace_back();
    for (Local *P : F.Params)
      Scopes.back()[P->Name] = P;
    Scopes.emplace_back();
    for (ast::StmtPtr &S : AF.Body->Stmts)
      lowerStmt(*S);
    Scopes.clear();
    if (F.RetTy->Kind != TypeKind::Void && !alwaysReturns(*AF.Body))
      error(AF.Body->EndLoc, "missing return: function '" + F.Name +
                                 "' must return " + F.RetTy->str() +
                                 " on every path");
    Fn = nullptr;
  }

  static bool hasBreak(const ast::BlockStmt &B) {
    for (const ast::StmtPtr &S : B.Stmts) {
      switch (S->K) {
      case ast::Stmt::Break:
        return true;
      case ast::Stmt::If:
        if (hasBreak(*S->Then) || (S->Else && hasBreak(*S->Else)))
          return true;
        break;
      case ast::Stmt::Block:
        if (hasBreak(*S->Body))
          return true;
        break;
      default:  // breaks in nested loops leave those loops only
        break;
      }
    }
    return false;
  }

  static bool alwaysReturns(const ast::BlockStmt &B) {
    for (const ast::StmtPtr &S : B.Stmts) {
      switch (S->K) {
      case ast::Stmt::Return:
        return true;
      case ast::Stmt::If:
        if (S->Else && alwaysReturns(*S->Then) && alwaysReturns(*S->Else))
          return true;
        break;
      case ast::Stmt::Block:
        if (alwaysReturns(*S->Body))
          return true;
        break;
      case ast::Stmt::While:
        if (S->Cond->K == ast::Expr::BoolLit && S->Cond->IntValue &&
            !hasBreak(*S->Body))
          return true;
        break;
      default:
        break;
      }
    }
    return false;
  }

  Block *lowerBlock(const ast::BlockStmt &B) {
    Block *Saved = Cur;
    Block *New = Ctx.createBlock();
    Cur = New;
    Scopes.emplace_back();
    for (const ast::StmtPtr &S : B.Stmts)
      lowerStmt(*S);
    Scopes.pop_back();
    Cur = Saved;
    return New;
  }

  /// \p N as a value of type \p Want where the language converts it
  /// implicitly (a record R to ?R), else \p N itself.
  Node *coerce(Node *N, Type *Want) {
    if (N && Want && Want->isNullable() && N->Ty == Want->Elem)
      return Ctx.create(Op::RefAsNullable, Want, N->Loc, {N});
    return N;
  }

  /// Whether \p N has type \p Want, after the implicit conversion to it
  /// (which replaces \p N); reports the mismatch otherwise.
  bool expectType(Node *&N, Type *Want, llvm::SMLoc L,
                  const llvm::Twine &Where) {
    if (!N || !Want)
      return false;
    N = coerce(N, Want);
    if (N->Ty == Want)
      return true;
    if (N->Ty->isNullable() && N->Ty->Elem == Want)
      error(L, "type mismatch " + Where + ": expected " + Want->str() +
                   ", found " + N->Ty->str() + " (a " + N->Ty->str() +
                   " may be null and never converts to " + Want->str() + ")");
    else
      error(L, "type mismatch " + Where + ": expected " + Want->str() +
                   ", found " + N->Ty->str());
    return false;
  }

  void lowerStmt(const ast::Stmt &S) {
    if (Diags.tooManyErrors())
      return;
    switch (S.K) {
    case ast::Stmt::Let: {
      Type *Declared = S.Ty ? resolveType(*S.Ty) : nullptr;
      if (S.Ty && !Declared)
        return;
      Node *V = lowerExpr(*S.Value, Declared);
      if (!V) {
        // Declare anyway so later uses do not report unknown names.
        if (Declared)
          declareLocal(S.Name, Declared, S.Mutable, S.NameLoc);
        return;
      }
      if (Declared && !expectType(V, Declared, startOf(*S.Value),
                                  "in the initializer of '" + S.Name + "'"))
        return;
      if (V->Ty->Kind == TypeKind::Void) {
        error(S.Value->Loc, "'" + S.Name + "' is initialised with a call "
                            "that returns nothing");
        return;
      }
      Local *L = declareLocal(S.Name, V->Ty, S.Mutable, S.NameLoc);
      Node *D = make(Op::LocalDecl, Ctx.getVoid(), S.Loc, {V});
      D->Var = L;
      emit(D);
      return;
    }
    case ast::Stmt::Assign:
      return lowerAssign(S);
    case ast::Stmt::If: {
      Node *C = lowerExpr(*S.Cond, Ctx.getBool());
      bool Ok = expectType(C, Ctx.getBool(), startOf(*S.Cond), "in the if condition");
      Block *Then = lowerBlock(*S.Then);
      Block *Else = S.Else ? lowerBlock(*S.Else) : Ctx.createBlock();
      if (!Ok)
        return;
      Node *N = make(Op::If, Ctx.getVoid(), S.Loc, {C});
      N->Regions = {Then, Else};
      emit(N);
      return;
    }
    case ast::Stmt::While: {
      Node *C = lowerExpr(*S.Cond, Ctx.getBool());
      bool Ok = expectType(C, Ctx.getBool(), startOf(*S.Cond),
                           "in the while condition");
      ++LoopDepth;
      Block *Body = lowerBlock(*S.Body);
      --LoopDepth;
      if (!Ok)
        return;
      Node *N = make(Op::While, Ctx.getVoid(), S.Loc, {C});
      N->Regions = {Body};
      emit(N);
      return;
    }
    case ast::Stmt::ForRange: {
      Node *Lo = lowerExpr(*S.Cond, Ctx.getInt());
      Node *Hi = lowerExpr(*S.Value, Ctx.getInt());
      bool Ok = expectType(Lo, Ctx.getInt(), startOf(*S.Cond), "in the range start");
      Ok &= expectType(Hi, Ctx.getInt(), startOf(*S.Value), "in the range end");
      Scopes.emplace_back();
      Local *V = declareLocal(S.Name, Ctx.getInt(), false, S.NameLoc);
      ++LoopDepth;
      Block *Body = lowerBlock(*S.Body);
      --LoopDepth;
      Scopes.pop_back();
      if (!Ok)
        return;
      Node *N = make(Op::ForRange, Ctx.getVoid(), S.Loc, {Lo, Hi});
      N->Var = V;
      N->Regions = {Body};
      emit(N);
      return;
    }
    case ast::Stmt::ForEach: {
      Node *Coll = lowerExpr(*S.Cond, nullptr);
      Type *ElemTy = nullptr;
      if (Coll) {
        switch (Coll->Ty->Kind) {
        case TypeKind::Array: ElemTy = Coll->Ty->Elem; break;
        case TypeKind::Str:
        case TypeKind::Bytes: ElemTy = Ctx.getInt(); break;
        case TypeKind::Map:
          error(S.Cond->Loc, "iterating over a map needs two variables: "
                             "for key, value in m");
          break;
        default:
          error(S.Cond->Loc, "cannot iterate over a value of type " +
                                 Coll->Ty->str());
        }
      }
      Scopes.emplace_back();
      Local *V = declareLocal(S.Name, ElemTy ? ElemTy : Ctx.getInt(), false,
                              S.NameLoc);
      ++LoopDepth;
      Block *Body = lowerBlock(*S.Body);
      --LoopDepth;
      Scopes.pop_back();
      if (!ElemTy)
        return;
      Node *N = make(Op::ForEach, Ctx.getVoid(), S.Loc, {Coll});
      N->Var = V;
      N->Regions = {Body};
      emit(N);
      return;
    }
    case ast::Stmt::ForMap: {
      Node *MapN = lowerExpr(*S.Cond, nullptr);
      bool Ok = MapN && MapN->Ty->Kind == TypeKind::Map;
      if (MapN && !Ok)
        error(S.Cond->Loc, "two loop variables iterate over a map, not " +
                               MapN->Ty->str());
      Scopes.emplace_back();
      Local *K = declareLocal(S.Name, Ok ? MapN->Ty->Key : Ctx.getInt(), false,
                              S.NameLoc);
      Local *V = declareLocal(S.Name2, Ok ? MapN->Ty->Elem : Ctx.getInt(),
                              false, S.Name2Loc);
      ++LoopDepth;
      Block *Body = lowerBlock(*S.Body);
      --LoopDepth;
      Scopes.pop_back();
      if (!Ok)
        return;
      Node *N = make(Op::ForMap, Ctx.getVoid(), S.Loc, {MapN});
      N->Var = K;
      N->Var2 = V;
      N->Regions = {Body};
      emit(N);
      return;
    }
    case ast::Stmt::Break:
    case ast::Stmt::Continue: {
      bool IsBreak = S.K == ast::Stmt::Break;
      if (LoopDepth == 0) {
        error(S.Loc, llvm::Twine("'") + (IsBreak ? "break" : "continue") +
                         "' outside a loop");
        return;
      }
      emit(make(IsBreak ? Op::Break : Op::Continue, Ctx.getVoid(), S.Loc));
      return;
    }
    case ast::Stmt::Return: {
      Type *RetTy = Fn->RetTy;
      if (!S.Value) {
        if (RetTy->Kind != TypeKind::Void)
          error(S.Loc, "function '" + Fn->Name + "' must return " +
                           RetTy->str());
        else
          emit(make(Op::Return, Ctx.getVoid(), S.Loc));
        return;
      }
      if (RetTy->Kind == TypeKind::Void) {
        error(S.Value->Loc, "function '" + Fn->Name +
                                "' returns nothing; remove the value");
        return;
      }
      Node *V = lowerExpr(*S.Value, RetTy);
      if (!expectType(V, RetTy, startOf(*S.Value), "in the returned value"))
        return;
      emit(make(Op::Return, Ctx.getVoid(), S.Loc, {V}));
      return;
    }
    case ast::Stmt::ExprStmt: {
      const ast::Expr &E = *S.Value;
      if (E.K != ast::Expr::Call && E.K != ast::Expr::Method) {
        error(startOf(E), "this expression has no effect; only calls can stand "
                     "as statements");
        return;
      }
      Node *N = lowerExpr(E, nullptr, /*AsStatement=*/true);
      if (!N)
        return;
      if (opClass(N->Opcode) == OpClass::Expr)
        N = make(Op::Eval, Ctx.getVoid(), E.Loc, {N});
      emit(N);
      return;
    }
    case ast::Stmt::Block: {
      Block *B = lowerBlock(*S.Body);
      // A nested block only scopes names: splice its statements in.
      Cur->Stmts.insert(Cur->Stmts.end(), B->Stmts.begin(), B->Stmts.end());
      return;
    }
    }
  }

  /// Binds a subexpression to a fresh local unless it is already a local or
  /// constant, so that a compound assignment evaluates it once.
  Node *stabilize(Node *N, llvm::SMLoc L) {
    if (N->Opcode == Op::LocalGet || N->Operands.empty())
      return N;
    Local *T = Fn->addLocal("tmp" + std::to_string(TempCount++), N->Ty, false,
                            loc(L));
    Node *D = make(Op::LocalDecl, Ctx.getVoid(), L, {N});
    D->Var = T;
    emit(D);
    Node *G = make(Op::LocalGet, N->Ty, L);
    G->Var = T;
    return G;
  }

  static Tok compoundToBinary(Tok K) {
    switch (K) {
    case Tok::PlusEq: return Tok::Plus;
    case Tok::MinusEq: return Tok::Minus;
    case Tok::StarEq: return Tok::Star;
    case Tok::SlashEq: return Tok::Slash;
    case Tok::PercentEq: return Tok::Percent;
    case Tok::AmpEq: return Tok::Amp;
    case Tok::PipeEq: return Tok::Pipe;
    case Tok::CaretEq: return Tok::Caret;
    case Tok::ShlEq: return Tok::Shl;
    case Tok::ShrEq: return Tok::Shr;
    default: return Tok::Eof;
    }
  }

  void lowerAssign(const ast::Stmt &S) {
    const ast::Expr &T = *S.Target;
    bool Compound = S.Op != Tok::Eq;
    Tok BinOp = compoundToBinary(S.Op);
    switch (T.K) {
    case ast::Expr::NameRef: {
      Local *V = lookup(T.Name);
      if (!V) {
        error(T.Loc, "use of undeclared name '" + T.Name + "'");
        return;
      }
      if (!V->Mutable) {
        error(T.Loc, "cannot assign to '" + T.Name +
                         "': it is not declared with 'var'");
        Diags.note(LocalDeclLocs[V], "'" + T.Name + "' is declared here");
        return;
      }
      Node *Value = lowerExpr(*S.Value, V->Ty);
      if (!Value)
        return;
      if (Compound) {
        Node *Old = make(Op::LocalGet, V->Ty, T.Loc);
        Old->Var = V;
        Value = makeBinary(BinOp, Old, Value, S.Loc);
        if (!Value)
          return;
      }
      if (!expectType(Value, V->Ty, startOf(*S.Value),
                      "in the assignment to '" + T.Name + "'"))
        return;
      Node *N = make(Op::LocalSet, Ctx.getVoid(), S.Loc, {Value});
      N->Var = V;
      emit(N);
      return;
    }
    case ast::Expr::Field: {
      Node *Obj = lowerExpr(*T.Args[0], nullptr);
      if (!Obj)
        return;
      Obj = throughNullable(Obj, T);
      int Idx = fieldIndex(Obj, T);
      if (Idx < 0)
        return;
      Type *FT = Obj->Ty->Rec->Fields[Idx].Ty;
      Node *Value;
      if (Compound) {
        Obj = stabilize(Obj, T.Loc);
        Node *Old = make(Op::FieldGet, FT, T.Loc, {Obj});
        Old->IntVal = Idx;
        Node *R = lowerExpr(*S.Value, FT);
        Value = R ? makeBinary(BinOp, Old, R, S.Loc) : nullptr;
      } else {
        Value = lowerExpr(*S.Value, FT);
      }
      if (!expectType(Value, FT, startOf(*S.Value),
                      "in the assignment to field '" + T.Name + "'"))
        return;
      Node *N = make(Op::FieldSet, Ctx.getVoid(), S.Loc, {Obj, Value});
      N->IntVal = Idx;
      emit(N);
      return;
    }
    case ast::Expr::Index: {
      Node *Coll = lowerExpr(*T.Args[0], nullptr);
      if (!Coll)
        return;
      Type *CT = Coll->Ty;
      if (CT->Kind == TypeKind::Str || CT->Kind == TypeKind::Bytes) {
        error(T.Loc, CT->str() + " is immutable; build a new value instead");
        return;
      }
      if (CT->Kind != TypeKind::Array && CT->Kind != TypeKind::Map) {
        error(T.Loc, "cannot index a value of type " + CT->str());
        return;
      }
      bool IsMap = CT->Kind == TypeKind::Map;
      Type *KeyTy = IsMap ? CT->Key : Ctx.getInt();
      Node *Key = lowerExpr(*T.Args[1], KeyTy);
      if (!expectType(Key, KeyTy, startOf(*T.Args[1]),
                      IsMap ? "in the map key" : "in the index"))
        return;
      Type *ElemTy = CT->Elem;
      Node *Value;
      if (Compound) {
        Coll = stabilize(Coll, T.Loc);
        Key = stabilize(Key, T.Loc);
        Node *Old = make(IsMap ? Op::MapAt : Op::ArrayGet, ElemTy, T.Loc,
                         {Coll, Key});
        Node *R = lowerExpr(*S.Value, ElemTy);
        Value = R ? makeBinary(BinOp, Old, R, S.Loc) : nullptr;
      } else {
        Value = lowerExpr(*S.Value, ElemTy);
      }
      if (!expectType(Value, ElemTy, startOf(*S.Value), "in the stored value"))
        return;
      emit(make(IsMap ? Op::MapSet : Op::ArraySet, Ctx.getVoid(), S.Loc,
                {Coll, Key, Value}));
      return;
    }
    default:
      error(T.Loc, "cannot assign to this expression");
      return;
    }
  }

  /// The record a field access \p E goes through: a ?R is checked for null
  /// there (and traps on it).
  Node *throughNullable(Node *Obj, const ast::Expr &E) {
    if (!Obj->Ty->isNullable())
      return Obj;
    return make(Op::RefAsNonNull, Obj->Ty->Elem, E.Loc, {Obj});
  }

  int fieldIndex(Node *Obj, const ast::Expr &E) {
    if (Obj->Ty->Kind != TypeKind::Record) {
      error(E.Loc, "'" + E.Name + "' is not a field: " + Obj->Ty->str() +
                       " is not a record");
      return -1;
    }
    int Idx = Obj->Ty->Rec->fieldIndex(E.Name);
    if (Idx < 0)
      error(E.Loc, "record '" + Obj->Ty->Rec->Name + "' has no field '" +
                       E.Name + "'");
    return Idx;
  }

  // --- expressions -----------------------------------------------------

  /// Where an expression begins: binary operators and postfix forms are
  /// located at their operator, but a type error is about the whole thing.
  static llvm::SMLoc startOf(const ast::Expr &E) {
    switch (E.K) {
    case ast::Expr::Binary:
    case ast::Expr::Index:
    case ast::Expr::Field:
    case ast::Expr::Method:
      return startOf(*E.Args[0]);
    default:
      return E.Loc;
    }
  }

  /// True for expressions built only from integer literals: their type comes
  /// from the context.
  static bool isUntypedInt(const ast::Expr &E) {
    switch (E.K) {
    case ast::Expr::IntLit:
      return true;
    case ast::Expr::Paren:
    case ast::Expr::Unary:
      return E.Op != Tok::Bang && isUntypedInt(*E.Args[0]);
    case ast::Expr::Binary:
      return precedenceIsArith(E.Op) && isUntypedInt(*E.Args[0]) &&
             isUntypedInt(*E.Args[1]);
    default:
      return false;
    }
  }
  static bool precedenceIsArith(Tok K) {
    switch (K) {
    case Tok::Plus: case Tok::Minus: case Tok::Star: case Tok::Slash:
    case Tok::Percent: case Tok::Amp: case Tok::Pipe: case Tok::Caret:
    case Tok::Shl: case Tok::Shr:
      return true;
    default:
      return false;
    }
  }

  Node *intConst(int64_t V, bool Negative, uint64_t Magnitude, Type *Hint,
                 llvm::SMLoc L) {
    Type *T = Hint && (Hint->isInteger() || Hint->Kind == TypeKind::F64)
                  ? Hint
                  : Ctx.getInt();
    // Magnitude up to 2^63 is representable as V for every check below.
    auto Fits = [&](int64_t Lo, int64_t Hi) {
      if (Negative)
        return Magnitude <= uint64_t(-(Lo + 1)) + 1;
      return Magnitude <= uint64_t(Hi);
    };
    switch (T->Kind) {
    case TypeKind::I32:
      if (!Fits(INT32_MIN, INT32_MAX)) {
        error(L, "integer literal does not fit in i32");
        return nullptr;
      }
      break;
    case TypeKind::U32:
      if (Negative && Magnitude) {
        error(L, "negative integer literal for u32");
        return nullptr;
      }
      if (!Fits(0, UINT32_MAX)) {
        error(L, "integer literal does not fit in u32");
        return nullptr;
      }
      break;
    case TypeKind::Int:
    case TypeKind::F64:
      if (Magnitude > uint64_t(SafeLimit)) {
        error(L, "integer literal outside the safe range +-2^53");
        return nullptr;
      }
      break;
    default:
      break;
    }
    int64_t Value = Negative ? -static_cast<int64_t>(Magnitude)
                             : static_cast<int64_t>(Magnitude);
    (void)V;
    if (T->Kind == TypeKind::F64) {
      Node *N = make(Op::F64Const, T, L);
      N->F64Val = static_cast<double>(Value);
      return N;
    }
    Op O = T->Kind == TypeKind::I32   ? Op::I32Const
           : T->Kind == TypeKind::U32 ? Op::U32Const
                                      : Op::IntConst;
    Node *N = make(O, T, L);
    N->IntVal = Value;
    return N;
  }

  Node *lowerExpr(const ast::Expr &E, Type *Hint, bool AsStatement = false) {
    switch (E.K) {
    case ast::Expr::IntLit:
      return intConst(0, false, E.IntValue, Hint, E.Loc);
    case ast::Expr::FloatLit: {
      Node *N = make(Op::F64Const, Ctx.getF64(), E.Loc);
      N->F64Val = E.FloatValue;
      return N;
    }
    case ast::Expr::StrLit: {
      Node *N = make(Op::StrConst, Ctx.getStr(), E.Loc);
      N->StrVal = E.Str;
      return N;
    }
    case ast::Expr::BoolLit: {
      Node *N = make(Op::BoolConst, Ctx.getBool(), E.Loc);
      N->IntVal = E.IntValue;
      return N;
    }
    case ast::Expr::NullLit:
      return nullOf(Hint, E.Loc);
    case ast::Expr::NameRef: {
      Local *V = lookup(E.Name);
      if (!V) {
        if (Functions.count(E.Name) || isBuiltinName(E.Name))
          error(E.Loc, "'" + E.Name + "' is a function; call it with ()");
        else
          error(E.Loc, "use of undeclared name '" + E.Name + "'");
        return nullptr;
      }
      Node *N = make(Op::LocalGet, V->Ty, E.Loc);
      N->Var = V;
      return N;
    }
    case ast::Expr::Paren:
      return lowerExpr(*E.Args[0], Hint);
    case ast::Expr::Unary:
      return lowerUnary(E, Hint);
    case ast::Expr::Binary:
      return lowerBinary(E, Hint);
    case ast::Expr::Call:
      return lowerCall(E, Hint, AsStatement);
    case ast::Expr::Method:
      return lowerMethod(E, Hint, AsStatement);
    case ast::Expr::Index: {
      Node *Coll = lowerExpr(*E.Args[0], nullptr);
      if (!Coll)
        return nullptr;
      Type *CT = Coll->Ty;
      if (CT->Kind == TypeKind::Map) {
        Node *Key = lowerExpr(*E.Args[1], CT->Key);
        if (!expectType(Key, CT->Key, startOf(*E.Args[1]), "in the map key"))
          return nullptr;
        return make(Op::MapAt, CT->Elem, E.Loc, {Coll, Key});
      }
      Node *Idx = lowerExpr(*E.Args[1], Ctx.getInt());
      if (!expectType(Idx, Ctx.getInt(), startOf(*E.Args[1]), "in the index"))
        return nullptr;
      switch (CT->Kind) {
      case TypeKind::Array:
        return make(Op::ArrayGet, CT->Elem, E.Loc, {Coll, Idx});
      case TypeKind::Str:
        return make(Op::StrCodeAt, Ctx.getInt(), E.Loc, {Coll, Idx});
      case TypeKind::Bytes:
        return make(Op::BytesAt, Ctx.getInt(), E.Loc, {Coll, Idx});
      default:
        error(E.Loc, "cannot index a value of type " + CT->str());
        return nullptr;
      }
    }
    case ast::Expr::Field: {
      Node *Obj = lowerExpr(*E.Args[0], nullptr);
      if (!Obj)
        return nullptr;
      Obj = throughNullable(Obj, E);
      int Idx = fieldIndex(Obj, E);
      if (Idx < 0)
        return nullptr;
      Node *N = make(Op::FieldGet, Obj->Ty->Rec->Fields[Idx].Ty, E.Loc, {Obj});
      N->IntVal = Idx;
      return N;
    }
    case ast::Expr::RecordLit:
      return lowerRecordLit(E);
    case ast::Expr::ArrayLit: {
      Type *ElemHint =
          Hint && Hint->Kind == TypeKind::Array ? Hint->Elem : nullptr;
      llvm::SmallVector<Node *, 8> Elems;
      bool Ok = true;
      for (const ast::ExprPtr &A : E.Args) {
        Node *N = lowerExpr(*A, ElemHint);
        if (!N) {
          Ok = false;
          continue;
        }
        if (!ElemHint)
          ElemHint = N->Ty;
        else if (!expectType(N, ElemHint, startOf(*A), "in the array element"))
          Ok = false;
        Elems.push_back(N);
      }
      if (!Ok)
        return nullptr;
      if (!ElemHint) {
        error(E.Loc, "cannot infer the element type of an empty array; "
                     "declare it, as in: let xs: [int] = []");
        return nullptr;
      }
      if (ElemHint->Kind == TypeKind::Void) {
        error(E.Loc, "array elements must be values");
        return nullptr;
      }
      return make(Op::ArrayLit, Ctx.getArray(ElemHint), E.Loc, Elems);
    }
    case ast::Expr::MapLit:
      if (!Hint || Hint->Kind != TypeKind::Map) {
        error(E.Loc, "cannot infer the type of an empty map; declare it, as "
                     "in: let m: map[str]int = {}");
        return nullptr;
      }
      return make(Op::MapNew, Hint, E.Loc);
    }
    return nullptr;
  }

  /// `null` where a value of type \p Hint is expected.
  Node *nullOf(Type *Hint, llvm::SMLoc L) {
    if (Hint && Hint->isNullable())
      return make(Op::RefNull, Hint, L);
    if (Hint && Hint->Kind == TypeKind::Record)
      error(L, "null is not a value of type " + Hint->str() + "; a ?" +
                   Hint->str() + " may be null");
    else if (Hint && Hint->Kind != TypeKind::Void)
      error(L, "null is not a value of type " + Hint->str() +
                   "; only a nullable record type (?R) has null");
    else
      error(L, "cannot infer the type of null; declare it, as in: "
               "let x: ?Node = null");
    return nullptr;
  }

  static bool isNullLit(const ast::Expr &E) {
    if (E.K == ast::Expr::Paren)
      return isNullLit(*E.Args[0]);
    return E.K == ast::Expr::NullLit;
  }

  /// `x == null`, `x != null` (either side), for x a ?R.
  Node *lowerNullCompare(const ast::Expr &E) {
    bool NullLeft = isNullLit(*E.Args[0]);
    const ast::Expr &XE = NullLeft ? *E.Args[1] : *E.Args[0];
    if (isNullLit(XE)) {
      error(E.Loc, "comparing null with null; compare a ?R value with null");
      return nullptr;
    }
    Node *X = lowerExpr(XE, nullptr);
    if (!X)
      return nullptr;
    if (!X->Ty->isNullable()) {
      if (X->Ty->Kind == TypeKind::Record)
        error(E.Loc, "a " + X->Ty->str() + " is never null; only a ?" +
                         X->Ty->str() + " is compared with null");
      else
        error(E.Loc, "only a nullable record (?R) is compared with null, "
                     "not " + X->Ty->str());
      return nullptr;
    }
    Node *N = make(Op::RefIsNull, Ctx.getBool(), E.Loc, {X});
    if (E.Op == Tok::NotEq)
      N = make(Op::BoolNot, Ctx.getBool(), E.Loc, {N});
    return N;
  }

  Node *lowerRecordLit(const ast::Expr &E) {
    auto It = Records.find(E.Name);
    if (It == Records.end()) {
      error(E.Loc, "unknown record '" + E.Name + "'");
      return nullptr;
    }
    RecordDecl *R = It->second;
    std::vector<Node *> Vals(R->Fields.size(), nullptr);
    bool Ok = true;
    for (size_t I = 0; I < E.FieldNames.size(); ++I) {
      int Idx = R->fieldIndex(E.FieldNames[I]);
      if (Idx < 0) {
        error(E.FieldLocs[I], "record '" + R->Name + "' has no field '" +
                                  E.FieldNames[I] + "'");
        Ok = false;
        continue;
      }
      if (Vals[Idx]) {
        error(E.FieldLocs[I], "field '" + E.FieldNames[I] + "' is set twice");
        Ok = false;
        continue;
      }
      Type *FT = R->Fields[Idx].Ty;
      Node *V = lowerExpr(*E.Args[I], FT);
      if (!expectType(V, FT, startOf(*E.Args[I]),
                      "in field '" + E.FieldNames[I] + "'")) {
        Ok = false;
        continue;
      }
      Vals[Idx] = V;
    }
    for (size_t I = 0; I < Vals.size() && Ok; ++I)
      if (!Vals[I]) {
        error(E.Loc, "missing field '" + R->Fields[I].Name + "' in '" +
                         R->Name + "' literal");
        Ok = false;
      }
    if (!Ok)
      return nullptr;
    return make(Op::RecordNew, Ctx.getRecord(R), E.Loc, Vals);
  }

  Node *checkSafe(Node *N) {
    if (!N || !Opts.Checked)
      return N;
    Node *C = Ctx.create(Op::IntCheckSafe, N->Ty, N->Loc, {N});
    return C;
  }

  Node *lowerUnary(const ast::Expr &E, Type *Hint) {
    const ast::Expr &Operand = *E.Args[0];
    if (E.Op == Tok::Minus && Operand.K == ast::Expr::IntLit)
      return intConst(0, true, Operand.IntValue, Hint, E.Loc);
    Node *A = lowerExpr(Operand, E.Op == Tok::Bang ? Ctx.getBool() : Hint);
    if (!A)
      return nullptr;
    TypeKind K = A->Ty->Kind;
    switch (E.Op) {
    case Tok::Minus:
      switch (K) {
      case TypeKind::I32: return make(Op::I32Neg, A->Ty, E.Loc, {A});
      case TypeKind::U32: return make(Op::U32Neg, A->Ty, E.Loc, {A});
      case TypeKind::Int: return checkSafe(make(Op::IntNeg, A->Ty, E.Loc, {A}));
      case TypeKind::F64: return make(Op::F64Neg, A->Ty, E.Loc, {A});
      default: break;
      }
      error(E.Loc, "unary '-' needs a number, not " + A->Ty->str());
      return nullptr;
    case Tok::Tilde:
      if (K == TypeKind::I32)
        return make(Op::I32Not, A->Ty, E.Loc, {A});
      if (K == TypeKind::U32)
        return make(Op::U32Not, A->Ty, E.Loc, {A});
      error(E.Loc, "'~' needs i32 or u32, not " + A->Ty->str() +
                       " (bitwise operators are 32-bit, as in JavaScript)");
      return nullptr;
    case Tok::Bang:
      if (K == TypeKind::Bool)
        return make(Op::BoolNot, A->Ty, E.Loc, {A});
      error(E.Loc, "'!' needs a bool, not " + A->Ty->str());
      return nullptr;
    default:
      return nullptr;
    }
  }

  Node *lowerBinary(const ast::Expr &E, Type *Hint) {
    const ast::Expr &LE = *E.Args[0], &RE = *E.Args[1];
    if (E.Op == Tok::AmpAmp || E.Op == Tok::PipePipe) {
      Node *L = lowerExpr(LE, Ctx.getBool());
      Node *R = lowerExpr(RE, Ctx.getBool());
      const char *Sp = E.Op == Tok::AmpAmp ? "'&&'" : "'||'";
      bool Ok = expectType(L, Ctx.getBool(), LE.Loc,
                           llvm::Twine("in the left operand of ") + Sp);
      Ok &= expectType(R, Ctx.getBool(), RE.Loc,
                       llvm::Twine("in the right operand of ") + Sp);
      if (!Ok)
        return nullptr;
      return make(E.Op == Tok::AmpAmp ? Op::BoolAnd : Op::BoolOr,
                  Ctx.getBool(), E.Loc, {L, R});
    }
    if ((E.Op == Tok::EqEq || E.Op == Tok::NotEq) &&
        (isNullLit(LE) || isNullLit(RE)))
      return lowerNullCompare(E);
    bool IsCmp = precedenceIsCmp(E.Op);
    Type *OperandHint = IsCmp ? nullptr : Hint;
    Node *L, *R;
    if (isUntypedInt(LE) && !isUntypedInt(RE)) {
      R = lowerExpr(RE, OperandHint);
      L = lowerExpr(LE, R ? R->Ty : OperandHint);
    } else {
      L = lowerExpr(LE, OperandHint);
      R = lowerExpr(RE, L ? L->Ty : OperandHint);
    }
    if (!L || !R)
      return nullptr;
    return makeBinary(E.Op, L, R, E.Loc);
  }

  static bool precedenceIsCmp(Tok K) {
    switch (K) {
    case Tok::EqEq: case Tok::NotEq: case Tok::Less: case Tok::LessEq:
    case Tok::Greater: case Tok::GreaterEq:
      return true;
    default:
      return false;
    }
  }

  static Pred predOf(Tok K) {
    switch (K) {
    case Tok::EqEq: return Pred::Eq;
    case Tok::NotEq: return Pred::Ne;
    case Tok::Less: return Pred::Lt;
    case Tok::LessEq: return Pred::Le;
    case Tok::Greater: return Pred::Gt;
    default: return Pred::Ge;
    }
  }

  /// The KIR op for `L op R` once both sides are typed.
  Node *makeBinary(Tok OpTok, Node *L, Node *R, llvm::SMLoc Loc) {
    std::string Sp = "'" + tokDescription(OpTok) + "'";
    if (L->Ty != R->Ty) {
      error(Loc, "operands of " + Sp + " have different types: " +
                     L->Ty->str() + " and " + R->Ty->str() +
                     "; convert one explicitly, e.g. int(x)");
      return nullptr;
    }
    Type *T = L->Ty;
    TypeKind K = T->Kind;
    if (precedenceIsCmp(OpTok)) {
      Op O;
      switch (K) {
      case TypeKind::I32: O = Op::I32Cmp; break;
      case TypeKind::U32: O = Op::U32Cmp; break;
      case TypeKind::Int: O = Op::IntCmp; break;
      case TypeKind::F64: O = Op::F64Cmp; break;
      case TypeKind::Str: O = Op::StrCmp; break;
      case TypeKind::Bool:
        if (OpTok != Tok::EqEq && OpTok != Tok::NotEq) {
          error(Loc, "bool values are only compared with == and !=");
          return nullptr;
        }
        O = Op::BoolCmp;
        break;
      default:
        if (T->isNullable() && (OpTok == Tok::EqEq || OpTok == Tok::NotEq))
          error(Loc, "values of type " + T->str() + " are only compared with "
                     "null");
        else
          error(Loc, "values of type " + T->str() +
                         " cannot be compared with " + Sp);
        return nullptr;
      }
      Node *N = make(O, Ctx.getBool(), Loc, {L, R});
      N->Predicate = predOf(OpTok);
      return N;
    }
    if (OpTok == Tok::Plus && K == TypeKind::Str)
      return make(Op::StrConcat, T, Loc, {L, R});
    // Rows: + - * / % & | ^ << >>; columns: i32 u32 int f64. Eval marks
    // "not defined for this type".
    static const Op Table[10][4] = {
        {Op::I32Add, Op::U32Add, Op::IntAdd, Op::F64Add},
        {Op::I32Sub, Op::U32Sub, Op::IntSub, Op::F64Sub},
        {Op::I32Mul, Op::U32Mul, Op::IntMul, Op::F64Mul},
        {Op::I32Div, Op::U32Div, Op::IntDiv, Op::F64Div},
        {Op::I32Rem, Op::U32Rem, Op::IntRem, Op::F64Rem},
        {Op::I32And, Op::U32And, Op::Eval, Op::Eval},
        {Op::I32Or, Op::U32Or, Op::Eval, Op::Eval},
        {Op::I32Xor, Op::U32Xor, Op::Eval, Op::Eval},
        {Op::I32Shl, Op::U32Shl, Op::Eval, Op::Eval},
        {Op::I32Shr, Op::U32Shr, Op::Eval, Op::Eval},
    };
    int Row;
    switch (OpTok) {
    case Tok::Plus: Row = 0; break;
    case Tok::Minus: Row = 1; break;
    case Tok::Star: Row = 2; break;
    case Tok::Slash: Row = 3; break;
    case Tok::Percent: Row = 4; break;
    case Tok::Amp: Row = 5; break;
    case Tok::Pipe: Row = 6; break;
    case Tok::Caret: Row = 7; break;
    case Tok::Shl: Row = 8; break;
    case Tok::Shr: Row = 9; break;
    default:
      error(Loc, "unsupported operator " + Sp);
      return nullptr;
    }
    int Col = K == TypeKind::I32 ? 0 : K == TypeKind::U32 ? 1
              : K == TypeKind::Int ? 2 : K == TypeKind::F64 ? 3 : -1;
    if (Col < 0) {
      error(Loc, "operator " + Sp + " is not defined for " + T->str());
      return nullptr;
    }
    Op O = Table[Row][Col];
    if (O == Op::Eval) {
      error(Loc, "operator " + Sp + " needs i32 or u32, not " + T->str() +
                     " (bitwise operators are 32-bit, as in JavaScript)");
      return nullptr;
    }
    Node *N = make(O, T, Loc, {L, R});
    if (O == Op::IntAdd || O == Op::IntSub || O == Op::IntMul)
      return checkSafe(N);
    return N;
  }

  bool argCount(const ast::Expr &E, size_t Want, llvm::StringRef What) {
    size_t Got = E.Args.size() - (E.K == ast::Expr::Method ? 1 : 0);
    if (Got == Want)
      return true;
    error(E.Loc, "'" + What + "' takes " + llvm::Twine(Want) + " argument" +
                     (Want == 1 ? "" : "s") + ", " + llvm::Twine(Got) +
                     " given");
    return false;
  }

  Node *conversion(Node *A, Type *To, llvm::SMLoc Loc) {
    TypeKind F = A->Ty->Kind, T = To->Kind;
    if (F == T)
      return A;
    Op O = Op::Eval;
    switch (T) {
    case TypeKind::I32:
      O = F == TypeKind::U32   ? Op::U32ToI32
          : F == TypeKind::Int ? Op::IntToI32
          : F == TypeKind::F64 ? Op::F64ToI32
                               : Op::Eval;
      break;
    case TypeKind::U32:
      O = F == TypeKind::I32   ? Op::I32ToU32
          : F == TypeKind::Int ? Op::IntToU32
          : F == TypeKind::F64 ? Op::F64ToU32
                               : Op::Eval;
      break;
    case TypeKind::Int:
      O = F == TypeKind::I32   ? Op::I32ToInt
          : F == TypeKind::U32 ? Op::U32ToInt
          : F == TypeKind::F64 ? Op::F64ToInt
                               : Op::Eval;
      break;
    case TypeKind::F64:
      O = F == TypeKind::I32   ? Op::I32ToF64
          : F == TypeKind::U32 ? Op::U32ToF64
          : F == TypeKind::Int ? Op::IntToF64
                               : Op::Eval;
      break;
    default:
      break;
    }
    if (O == Op::Eval) {
      if (F == TypeKind::Str && T == TypeKind::Int)
        error(Loc, "use parse_int(s) to read an integer from a str");
      else
        error(Loc, "cannot convert " + A->Ty->str() + " to " + To->str());
      return nullptr;
    }
    return make(O, To, Loc, {A});
  }

  Node *lowerCall(const ast::Expr &E, Type *Hint, bool AsStatement) {
    llvm::StringRef Name = E.Name;
    if (lookup(Name)) {
      error(E.Loc, "'" + Name + "' is a variable, not a function");
      return nullptr;
    }
    Type *ConvTo = llvm::StringSwitch<Type *>(Name)
                       .Case("i32", Ctx.getI32())
                       .Case("u32", Ctx.getU32())
                       .Case("int", Ctx.getInt())
                       .Case("f64", Ctx.getF64())
                       .Default(nullptr);
    if (ConvTo) {
      if (!argCount(E, 1, Name))
        return nullptr;
      // An integer literal argument is read in the target type directly.
      Node *A = lowerExpr(*E.Args[0], isUntypedInt(*E.Args[0]) ? ConvTo : nullptr);
      return A ? conversion(A, ConvTo, E.Loc) : nullptr;
    }
    if (Name == "min" || Name == "max") {
      if (!argCount(E, 2, Name))
        return nullptr;
      Node *A, *B;
      if (isUntypedInt(*E.Args[0]) && !isUntypedInt(*E.Args[1])) {
        B = lowerExpr(*E.Args[1], Hint);
        A = lowerExpr(*E.Args[0], B ? B->Ty : Hint);
      } else {
        A = lowerExpr(*E.Args[0], Hint);
        B = lowerExpr(*E.Args[1], A ? A->Ty : Hint);
      }
      if (!A || !B)
        return nullptr;
      if (!A->Ty->isNumeric() || A->Ty != B->Ty) {
        error(E.Loc, "'" + Name + "' needs two numbers of one type, found " +
                         A->Ty->str() + " and " + B->Ty->str());
        return nullptr;
      }
      return make(Name == "min" ? Op::NumMin : Op::NumMax, A->Ty, E.Loc,
                  {A, B});
    }
    if (Name == "abs" || Name == "sqrt" || Name == "floor") {
      if (!argCount(E, 1, Name))
        return nullptr;
      bool IsAbs = Name == "abs";
      Node *A = lowerExpr(*E.Args[0], IsAbs ? Hint : Ctx.getF64());
      if (!A)
        return nullptr;
      if (IsAbs) {
        if (!A->Ty->isNumeric() || A->Ty->Kind == TypeKind::U32) {
          error(E.Loc, "'abs' needs i32, int or f64, not " + A->Ty->str());
          return nullptr;
        }
        Node *N = make(Op::NumAbs, A->Ty, E.Loc, {A});
        return A->Ty->Kind == TypeKind::Int ? checkSafe(N) : N;
      }
      if (!expectType(A, Ctx.getF64(), startOf(*E.Args[0]),
                      "in the argument of '" + Name + "'"))
        return nullptr;
      return make(Name == "sqrt" ? Op::F64Sqrt : Op::F64Floor, A->Ty, E.Loc,
                  {A});
    }
    if (Name == "len") {
      if (!argCount(E, 1, Name))
        return nullptr;
      Node *A = lowerExpr(*E.Args[0], nullptr);
      if (!A)
        return nullptr;
      switch (A->Ty->Kind) {
      case TypeKind::Str: return make(Op::StrLen, Ctx.getInt(), E.Loc, {A});
      case TypeKind::Bytes: return make(Op::BytesLen, Ctx.getInt(), E.Loc, {A});
      case TypeKind::Array: return make(Op::ArrayLen, Ctx.getInt(), E.Loc, {A});
      case TypeKind::Map: return make(Op::MapLen, Ctx.getInt(), E.Loc, {A});
      default:
        error(E.Loc, "'len' needs a str, bytes, array or map, not " +
                         A->Ty->str());
        return nullptr;
      }
    }
    if (Name == "str") {
      if (!argCount(E, 1, Name))
        return nullptr;
      Node *A = lowerExpr(*E.Args[0], nullptr);
      if (!A)
        return nullptr;
      if (!A->Ty->isInteger()) {
        error(E.Loc, "'str' converts an integer, not " + A->Ty->str());
        return nullptr;
      }
      A = conversion(A, Ctx.getInt(), E.Loc);
      return make(Op::StrFromInt, Ctx.getStr(), E.Loc, {A});
    }
    if (Name == "parse_int" || Name == "chr") {
      if (!argCount(E, 1, Name))
        return nullptr;
      bool IsParse = Name == "parse_int";
      Type *Want = IsParse ? Ctx.getStr() : Ctx.getInt();
      Node *A = lowerExpr(*E.Args[0], Want);
      if (!expectType(A, Want, startOf(*E.Args[0]),
                      "in the argument of '" + Name + "'"))
        return nullptr;
      return make(IsParse ? Op::StrParseInt : Op::StrFromCode,
                  IsParse ? Ctx.getInt() : Ctx.getStr(), E.Loc, {A});
    }
    if (Name == "str_from_codes") {
      if (!argCount(E, 1, Name))
        return nullptr;
      Type *Codes = Ctx.getArray(Ctx.getInt());
      Node *C = lowerExpr(*E.Args[0], Codes);
      if (!expectType(C, Codes, startOf(*E.Args[0]),
                      "in the argument of 'str_from_codes'"))
        return nullptr;
      return make(Op::StrFromCodes, Ctx.getStr(), E.Loc, {C});
    }
    if (Name == "join") {
      if (!argCount(E, 2, Name))
        return nullptr;
      Type *Parts = Ctx.getArray(Ctx.getStr());
      Node *P = lowerExpr(*E.Args[0], Parts);
      Node *Sep = lowerExpr(*E.Args[1], Ctx.getStr());
      bool Ok =
          expectType(P, Parts, startOf(*E.Args[0]), "in argument 1 of 'join'");
      Ok &= expectType(Sep, Ctx.getStr(), startOf(*E.Args[1]),
                       "in argument 2 of 'join'");
      if (!Ok)
        return nullptr;
      return make(Op::StrJoin, Ctx.getStr(), E.Loc, {P, Sep});
    }
    if (Name == "array") {
      if (!argCount(E, 2, Name))
        return nullptr;
      Node *N = lowerExpr(*E.Args[0], Ctx.getInt());
      Type *ElemHint =
          Hint && Hint->Kind == TypeKind::Array ? Hint->Elem : nullptr;
      Node *V = coerce(lowerExpr(*E.Args[1], ElemHint), ElemHint);
      if (!expectType(N, Ctx.getInt(), startOf(*E.Args[0]), "in the array length") ||
          !V)
        return nullptr;
      if (V->Ty->Kind == TypeKind::Void) {
        error(E.Args[1]->Loc, "the fill value must be a value");
        return nullptr;
      }
      return make(Op::ArrayNew, Ctx.getArray(V->Ty), E.Loc, {N, V});
    }
    auto It = Functions.find(Name);
    if (It == Functions.end()) {
      error(E.Loc, "call to undeclared function '" + Name + "'");
      return nullptr;
    }
    Function *Callee = It->second;
    if (!argCount(E, Callee->Params.size(), Name))
      return nullptr;
    llvm::SmallVector<Node *, 4> Args;
    bool Ok = true;
    for (size_t I = 0; I < E.Args.size(); ++I) {
      Type *PT = Callee->Params[I]->Ty;
      Node *A = lowerExpr(*E.Args[I], PT);
      Ok &= expectType(A, PT, startOf(*E.Args[I]),
                       "in argument " + llvm::Twine(I + 1) + " of '" + Name +
                           "'");
      Args.push_back(A);
    }
    if (!Ok)
      return nullptr;
    if (!AsStatement && Callee->RetTy->Kind == TypeKind::Void) {
      error(E.Loc, "'" + Name + "' returns nothing; it cannot be used as a "
                                "value");
      return nullptr;
    }
    Node *C = make(Op::Call, Callee->RetTy, E.Loc, Args);
    C->Callee = Callee;
    return C;
  }

  /// s.find(sub, start) and s.starts_with(p, at).
  Node *lowerStrSearch(const ast::Expr &E, Node *Obj) {
    llvm::StringRef Name = E.Name;
    if (!argCount(E, 2, Name))
      return nullptr;
    Node *Sub = lowerExpr(*E.Args[1], Ctx.getStr());
    Node *Start = lowerExpr(*E.Args[2], Ctx.getInt());
    bool Ok = expectType(Sub, Ctx.getStr(), startOf(*E.Args[1]),
                         "in argument 1 of '" + Name + "'");
    Ok &= expectType(Start, Ctx.getInt(), startOf(*E.Args[2]),
                     "in argument 2 of '" + Name + "'");
    if (!Ok)
      return nullptr;
    bool IsFind = Name == "find";
    return make(IsFind ? Op::StrFind : Op::StrStartsWith,
                IsFind ? Ctx.getInt() : Ctx.getBool(), E.Loc,
                {Obj, Sub, Start});
  }

  Node *lowerMethod(const ast::Expr &E, Type *Hint, bool AsStatement) {
    Node *Obj = lowerExpr(*E.Args[0], nullptr);
    if (!Obj)
      return nullptr;
    Type *T = Obj->Ty;
    llvm::StringRef Name = E.Name;
    auto Bad = [&] {
      error(E.Loc, "type " + T->str() + " has no method '" + Name + "'");
      return nullptr;
    };
    switch (T->Kind) {
    case TypeKind::Array:
      if (Name == "push") {
        if (!argCount(E, 1, Name))
          return nullptr;
        Node *V = lowerExpr(*E.Args[1], T->Elem);
        if (!expectType(V, T->Elem, startOf(*E.Args[1]), "in the pushed value"))
          return nullptr;
        if (!AsStatement) {
          error(E.Loc, "'push' returns nothing; it cannot be used as a value");
          return nullptr;
        }
        return make(Op::ArrayPush, Ctx.getVoid(), E.Loc, {Obj, V});
      }
      if (Name == "pop") {
        if (!argCount(E, 0, Name))
          return nullptr;
        return make(Op::ArrayPop, T->Elem, E.Loc, {Obj});
      }
      return Bad();
    case TypeKind::Str:
      if (Name == "find" || Name == "starts_with")
        return lowerStrSearch(E, Obj);
      if (Name == "split") {
        if (!argCount(E, 1, Name))
          return nullptr;
        Node *Sep = lowerExpr(*E.Args[1], Ctx.getStr());
        if (!expectType(Sep, Ctx.getStr(), startOf(*E.Args[1]),
                        "in the argument of 'split'"))
          return nullptr;
        return make(Op::StrSplit, Ctx.getArray(Ctx.getStr()), E.Loc,
                    {Obj, Sep});
      }
      if (Name == "lower") {
        if (!argCount(E, 0, Name))
          return nullptr;
        return make(Op::StrLower, T, E.Loc, {Obj});
      }
      if (Name == "trim") {
        if (!argCount(E, 0, Name))
          return nullptr;
        return make(Op::StrTrim, T, E.Loc, {Obj});
      }
      if (Name == "contains") {
        if (!argCount(E, 1, Name))
          return nullptr;
        Node *Sub = lowerExpr(*E.Args[1], Ctx.getStr());
        if (!expectType(Sub, Ctx.getStr(), startOf(*E.Args[1]),
                        "in the argument of 'contains'"))
          return nullptr;
        return make(Op::StrContains, Ctx.getBool(), E.Loc, {Obj, Sub});
      }
      if (Name == "replace") {
        if (!argCount(E, 2, Name))
          return nullptr;
        Node *Old = lowerExpr(*E.Args[1], Ctx.getStr());
        Node *New = lowerExpr(*E.Args[2], Ctx.getStr());
        bool Ok = expectType(Old, Ctx.getStr(), startOf(*E.Args[1]),
                             "in argument 1 of 'replace'");
        Ok &= expectType(New, Ctx.getStr(), startOf(*E.Args[2]),
                         "in argument 2 of 'replace'");
        if (!Ok)
          return nullptr;
        return make(Op::StrReplace, T, E.Loc, {Obj, Old, New});
      }
      [[fallthrough]];
    case TypeKind::Bytes: {
      if (Name == "u32le" && T->Kind == TypeKind::Bytes) {
        if (!argCount(E, 1, Name))
          return nullptr;
        Node *I = lowerExpr(*E.Args[1], Ctx.getInt());
        if (!expectType(I, Ctx.getInt(), startOf(*E.Args[1]),
                        "in the argument of 'u32le'"))
          return nullptr;
        return make(Op::BytesU32Le, Ctx.getU32(), E.Loc, {Obj, I});
      }
      if (Name != "slice")
        return Bad();
      if (!argCount(E, 2, Name))
        return nullptr;
      Node *A = lowerExpr(*E.Args[1], Ctx.getInt());
      Node *B = lowerExpr(*E.Args[2], Ctx.getInt());
      bool Ok = expectType(A, Ctx.getInt(), startOf(*E.Args[1]), "in the slice start");
      Ok &= expectType(B, Ctx.getInt(), startOf(*E.Args[2]), "in the slice end");
      if (!Ok)
        return nullptr;
      return make(T->Kind == TypeKind::Str ? Op::StrSlice : Op::BytesSlice, T,
                  E.Loc, {Obj, A, B});
    }
    case TypeKind::Map:
      if (Name == "get") {
        if (!argCount(E, 2, Name))
          return nullptr;
        Node *K = lowerExpr(*E.Args[1], T->Key);
        Node *D = lowerExpr(*E.Args[2], T->Elem);
        bool Ok = expectType(K, T->Key, startOf(*E.Args[1]), "in the map key");
        Ok &= expectType(D, T->Elem, startOf(*E.Args[2]), "in the default value");
        if (!Ok)
          return nullptr;
        return make(Op::MapGet, T->Elem, E.Loc, {Obj, K, D});
      }
      if (Name == "contains" || Name == "remove") {
        if (!argCount(E, 1, Name))
          return nullptr;
        Node *K = lowerExpr(*E.Args[1], T->Key);
        if (!expectType(K, T->Key, startOf(*E.Args[1]), "in the map key"))
          return nullptr;
        return make(Name == "remove" ? Op::MapRemove : Op::MapHas,
                    Ctx.getBool(), E.Loc, {Obj, K});
      }
      return Bad();
    default:
      return Bad();
    }
  }

  // --- bench -----------------------------------------------------------

  void checkBench() {
    if (File.Benches.empty())
      return;
    for (size_t I = 1; I < File.Benches.size(); ++I)
      error(File.Benches[I].Loc, "only one bench section is allowed per file");
    ast::BenchDecl &B = File.Benches[0];
    auto It = Functions.find(B.Spec.Entry);
    if (It == Functions.end()) {
      error(B.EntryLoc, "bench entry '" + B.Spec.Entry +
                            "' is not a function in this file");
      return;
    }
    Function *Entry = It->second;
    if (Entry->RetTy->Kind == TypeKind::Void)
      error(B.EntryLoc, "entry kernel '" + Entry->Name +
                            "' must return a value (its result is compared "
                            "across runtimes)");
    // Runners exchange values, not references: a ?R could be null or form a
    // cycle, which no runtime can pass in or print.
    llvm::DenseSet<const RecordDecl *> Seen;
    for (Local *P : Entry->Params)
      if (holdsNullable(P->Ty, Seen))
        error(LocalDeclLocs[P], "parameter '" + P->Name + "' of entry kernel '" +
                                    Entry->Name + "' has type " +
                                    P->Ty->str() +
                                    ", which holds a nullable record; a "
                                    "kernel's inputs and result cannot");
    Seen.clear();
    if (holdsNullable(Entry->RetTy, Seen))
      error(B.EntryLoc, "entry kernel '" + Entry->Name + "' returns " +
                            Entry->RetTy->str() +
                            ", which holds a nullable record; a kernel's "
                            "inputs and result cannot");
    llvm::StringSet<> Names;
    for (size_t W = 0; W < B.Spec.Workloads.size(); ++W) {
      bench::WorkloadSpec &WS = B.Spec.Workloads[W];
      if (!Names.insert(WS.Name).second)
        error(B.WorkloadLocs[W], "duplicate workload '" + WS.Name + "'");
      std::vector<bench::ArgSpec> Ordered(Entry->Params.size());
      std::vector<bool> Bound(Entry->Params.size(), false);
      for (size_t A = 0; A < WS.Args.size(); ++A) {
        bench::ArgSpec &AS = WS.Args[A];
        llvm::SMLoc L = B.ArgLocs[W][A];
        int P = -1;
        for (size_t I = 0; I < Entry->Params.size(); ++I)
          if (Entry->Params[I]->Name == AS.Param)
            P = static_cast<int>(I);
        if (P < 0) {
          error(L, "'" + Entry->Name + "' has no parameter '" + AS.Param + "'");
          continue;
        }
        if (Bound[P]) {
          error(L, "parameter '" + AS.Param + "' is bound twice");
          continue;
        }
        Bound[P] = true;
        checkBinding(AS, Entry->Params[P]->Ty, L);
        Ordered[P] = AS;
      }
      for (size_t I = 0; I < Bound.size(); ++I)
        if (!Bound[I])
          error(B.WorkloadLocs[W], "workload '" + WS.Name +
                                       "' does not bind parameter '" +
                                       Entry->Params[I]->Name + "'");
      WS.Args = std::move(Ordered);
    }
    M->Bench = B.Spec;
  }

  /// Whether a value of type \p T may hold a ?R: is one, or has one in an
  /// element, a map value or (at any depth) a field.
  static bool holdsNullable(const Type *T,
                            llvm::DenseSet<const RecordDecl *> &Seen) {
    switch (T->Kind) {
    case TypeKind::Nullable:
      return true;
    case TypeKind::Array:
    case TypeKind::Map:
      return holdsNullable(T->Elem, Seen);
    case TypeKind::Record:
      if (!Seen.insert(T->Rec).second)
        return false;
      for (const Field &F : T->Rec->Fields)
        if (holdsNullable(F.Ty, Seen))
          return true;
      return false;
    default:
      return false;
    }
  }

  void checkBinding(const bench::ArgSpec &A, Type *PT, llvm::SMLoc L) {
    using bench::GenKind;
    bool Ok = false;
    TypeKind K = PT->Kind;
    TypeKind Elem = K == TypeKind::Array ? PT->Elem->Kind : TypeKind::Void;
    switch (A.Gen) {
    case GenKind::Scalar:
      Ok = A.Args[0].isFloat() ? K == TypeKind::F64
                               : (PT->isInteger() || K == TypeKind::F64);
      break;
    case GenKind::RandomInts:
      // Integers only: no runner passes an integer array as [f64].
      Ok = K == TypeKind::Array &&
           (Elem == TypeKind::Int || Elem == TypeKind::I32 ||
            Elem == TypeKind::U32);
      break;
    case GenKind::RandomFloats:
      Ok = K == TypeKind::Array && Elem == TypeKind::F64;
      break;
    case GenKind::RandomBytes:
    case GenKind::Utf8Lines:
      Ok = K == TypeKind::Bytes;
      break;
    case GenKind::AsciiText:
    case GenKind::JsonText:
    case GenKind::Base64Text:
    case GenKind::JsonRecords:
    case GenKind::HttpRequests:
    case GenKind::UrlPaths:
    case GenKind::TemplateText:
    case GenKind::FileNames:
    case GenKind::CsvInts:
      Ok = K == TypeKind::Str;
      break;
    case GenKind::ZipfInts:
      Ok = K == TypeKind::Array &&
           (Elem == TypeKind::Int || Elem == TypeKind::I32 ||
            Elem == TypeKind::U32);
      break;
    }
    if (!Ok) {
      std::string What = A.Gen == GenKind::Scalar
                             ? std::string(A.Args[0].isFloat()
                                               ? "a float expression"
                                               : "an integer expression")
                             : "generator '" + bench::genName(A.Gen).str() + "'";
      error(L, What + " cannot produce parameter '" + A.Param + "' of type " +
                   PT->str());
      return;
    }
    // Counts, bounds of integers and seeds are integers.
    for (size_t I = 0; I < A.Args.size(); ++I) {
      bool MayBeFloat = A.Gen == GenKind::RandomFloats && (I == 1 || I == 2);
      if (A.Gen == GenKind::Scalar)
        MayBeFloat = true;
      if (!MayBeFloat && A.Args[I].isFloat())
        error(L, "argument " + llvm::Twine(I + 1) + " of '" +
                     bench::genName(A.Gen) + "' must be an integer");
    }
  }
};

} // namespace

std::unique_ptr<Module> kc::checkAndLower(ast::File &F,
                                          llvm::StringRef ModuleName,
                                          DiagnosticEngine &Diags,
                                          const SemaOptions &Opts) {
  return Sema(F, ModuleName, Diags, Opts).run();
}
