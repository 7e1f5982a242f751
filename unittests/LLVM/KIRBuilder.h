//===- KIRBuilder.h - Terse KIR construction for unit tests -----*- C++ -*-===//
//
// Builds KIR modules by hand, the way the front-end would, so the LLVM
// back-end can be tested before (and independently of) the parser. Every
// node gets the builder's current line, so trap lines can be checked.
//
//===----------------------------------------------------------------------===//

#ifndef KC_UNITTESTS_LLVM_KIRBUILDER_H
#define KC_UNITTESTS_LLVM_KIRBUILDER_H

#include "ir/IR.h"
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>

namespace kc {
namespace kirtest {

using kir::Node;
using kir::Op;
using kir::Pred;

class FnBuilder;

/// A module under construction.
class TestModule {
public:
  explicit TestModule(std::string Name = "test.k") : M(std::move(Name)) {}

  kir::Module M;
  kir::Context &C = M.Ctx;

  kir::Type *boolT() { return C.getBool(); }
  kir::Type *i32T() { return C.getI32(); }
  kir::Type *u32T() { return C.getU32(); }
  kir::Type *intT() { return C.getInt(); }
  kir::Type *f64T() { return C.getF64(); }
  kir::Type *strT() { return C.getStr(); }
  kir::Type *bytesT() { return C.getBytes(); }
  kir::Type *voidT() { return C.getVoid(); }
  kir::Type *arrayT(kir::Type *E) { return C.getArray(E); }
  kir::Type *mapT(kir::Type *K, kir::Type *V) { return C.getMap(K, V); }

  kir::RecordDecl *record(const std::string &Name,
                          std::initializer_list<kir::Field> Fields) {
    auto R = std::make_unique<kir::RecordDecl>();
    R->Name = Name;
    R->Fields.assign(Fields.begin(), Fields.end());
    M.Records.push_back(std::move(R));
    return M.Records.back().get();
  }

  kir::Function *
  function(const std::string &Name,
           std::initializer_list<std::pair<const char *, kir::Type *>> Params,
           kir::Type *Ret) {
    auto F = std::make_unique<kir::Function>();
    F->Name = Name;
    for (const auto &P : Params)
      F->Params.push_back(F->addLocal(P.first, P.second, false, {1, 1}));
    F->RetTy = Ret;
    F->Body = C.createBlock();
    M.Functions.push_back(std::move(F));
    return M.Functions.back().get();
  }

  /// Makes \p F the bench entry (and so every other function internal).
  void setEntry(kir::Function *F) {
    M.Bench.emplace();
    M.Bench->Entry = F->Name;
  }
};

/// Appends statements to a function body; nested regions via callbacks.
class FnBuilder {
public:
  FnBuilder(TestModule &T, kir::Function *F)
      : T(T), C(T.C), F(F), Cur(F->Body) {}

  /// Source line given to the nodes created from now on.
  FnBuilder &at(uint32_t L) {
    Line = L;
    return *this;
  }

  kir::Local *param(unsigned I) { return F->Params[I]; }

  // --- expressions ---
  Node *node(Op O, kir::Type *Ty, std::initializer_list<Node *> Ops = {}) {
    return C.create(O, Ty, {Line, 1}, Ops);
  }
  Node *cbool(bool V) { return konst(Op::BoolConst, T.boolT(), V); }
  Node *ci32(int32_t V) { return konst(Op::I32Const, T.i32T(), V); }
  Node *cu32(uint32_t V) { return konst(Op::U32Const, T.u32T(), V); }
  Node *cint(int64_t V) { return konst(Op::IntConst, T.intT(), V); }
  Node *cf64(double V) {
    Node *N = node(Op::F64Const, T.f64T());
    N->F64Val = V;
    return N;
  }
  Node *cstr(const std::string &S) {
    Node *N = node(Op::StrConst, T.strT());
    N->StrVal = S;
    return N;
  }
  Node *get(kir::Local *L) {
    Node *N = node(Op::LocalGet, L->Ty);
    N->Var = L;
    return N;
  }
  /// A binary op whose result has the type of its left operand.
  Node *bin(Op O, Node *A, Node *B) { return node(O, A->Ty, {A, B}); }
  Node *un(Op O, Node *A) { return node(O, A->Ty, {A}); }
  Node *conv(Op O, kir::Type *To, Node *A) { return node(O, To, {A}); }
  Node *cmp(Op O, Pred P, Node *A, Node *B) {
    Node *N = node(O, T.boolT(), {A, B});
    N->Predicate = P;
    return N;
  }
  Node *call(kir::Function *Callee, std::initializer_list<Node *> Args) {
    Node *N = node(Op::Call, Callee->RetTy, Args);
    N->Callee = Callee;
    return N;
  }
  Node *field(Node *Rec, unsigned I) {
    Node *N = node(Op::FieldGet, Rec->Ty->Rec->Fields[I].Ty, {Rec});
    N->IntVal = I;
    return N;
  }

  // --- statements ---
  void stmt(Node *N) { Cur->Stmts.push_back(N); }
  void eval(Node *E) { stmt(node(Op::Eval, T.voidT(), {E})); }
  kir::Local *var(const std::string &Name, Node *Init, bool Mutable = true) {
    kir::Local *L = F->addLocal(Name, Init->Ty, Mutable, {Line, 1});
    Node *N = node(Op::LocalDecl, T.voidT(), {Init});
    N->Var = L;
    stmt(N);
    return L;
  }
  void set(kir::Local *L, Node *V) {
    Node *N = node(Op::LocalSet, T.voidT(), {V});
    N->Var = L;
    stmt(N);
  }
  void setField(Node *Rec, unsigned I, Node *V) {
    Node *N = node(Op::FieldSet, T.voidT(), {Rec, V});
    N->IntVal = I;
    stmt(N);
  }
  void ret(Node *V = nullptr) {
    stmt(V ? node(Op::Return, T.voidT(), {V}) : node(Op::Return, T.voidT()));
  }
  void brk() { stmt(node(Op::Break, T.voidT())); }
  void cont() { stmt(node(Op::Continue, T.voidT())); }

  void ifElse(Node *Cond, const std::function<void()> &Then,
              const std::function<void()> &Else = {}) {
    Node *N = node(Op::If, T.voidT(), {Cond});
    N->Regions.push_back(region(Then));
    N->Regions.push_back(region(Else));
    stmt(N);
  }
  void whileLoop(Node *Cond, const std::function<void()> &Body) {
    Node *N = node(Op::While, T.voidT(), {Cond});
    N->Regions.push_back(region(Body));
    stmt(N);
  }
  /// for V in Lo..Hi; returns the loop variable.
  kir::Local *forRange(const std::string &Name, Node *Lo, Node *Hi,
                       const std::function<void(kir::Local *)> &Body) {
    kir::Local *V = F->addLocal(Name, T.intT(), false, {Line, 1});
    Node *N = node(Op::ForRange, T.voidT(), {Lo, Hi});
    N->Var = V;
    N->Regions.push_back(region([&] { Body(V); }));
    stmt(N);
    return V;
  }
  void forEach(const std::string &Name, Node *Coll,
               const std::function<void(kir::Local *)> &Body) {
    kir::Type *ElemTy =
        Coll->Ty->Kind == kir::TypeKind::Array ? Coll->Ty->Elem : T.intT();
    kir::Local *V = F->addLocal(Name, ElemTy, false, {Line, 1});
    Node *N = node(Op::ForEach, T.voidT(), {Coll});
    N->Var = V;
    N->Regions.push_back(region([&] { Body(V); }));
    stmt(N);
  }
  void forMap(Node *Map,
              const std::function<void(kir::Local *, kir::Local *)> &Body) {
    kir::Local *K = F->addLocal("k", Map->Ty->Key, false, {Line, 1});
    kir::Local *V = F->addLocal("v", Map->Ty->Elem, false, {Line, 1});
    Node *N = node(Op::ForMap, T.voidT(), {Map});
    N->Var = K;
    N->Var2 = V;
    N->Regions.push_back(region([&] { Body(K, V); }));
    stmt(N);
  }

private:
  Node *konst(Op O, kir::Type *Ty, int64_t V) {
    Node *N = node(O, Ty);
    N->IntVal = V;
    return N;
  }
  kir::Block *region(const std::function<void()> &Fill) {
    kir::Block *Blk = C.createBlock();
    if (Fill) {
      kir::Block *Saved = Cur;
      Cur = Blk;
      Fill();
      Cur = Saved;
    }
    return Blk;
  }

  TestModule &T;
  kir::Context &C;
  kir::Function *F;
  kir::Block *Cur;
  uint32_t Line = 1;
};

} // namespace kirtest
} // namespace kc

#endif
