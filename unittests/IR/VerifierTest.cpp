//===- VerifierTest.cpp - Unit tests of the KIR verifier ------------------===//
//
// Builds KIR by hand, as a buggy producer might, and checks that the
// verifier names the problem.
//
//===----------------------------------------------------------------------===//

#include "ir/IR.h"
#include "ir/Verifier.h"
#include "gtest/gtest.h"

using namespace kc;
using namespace kc::kir;

namespace {

struct Fixture {
  Module M{"t"};
  Function *F = nullptr;
  Fixture(Type *(Context::*Ret)()) {
    auto Fn = std::make_unique<Function>();
    Fn->Name = "f";
    Fn->RetTy = (M.Ctx.*Ret)();
    Fn->Body = M.Ctx.createBlock();
    F = Fn.get();
    M.Functions.push_back(std::move(Fn));
  }
  Node *i32c(int64_t V) {
    Node *N = M.Ctx.create(Op::I32Const, M.Ctx.getI32(), {});
    N->IntVal = V;
    return N;
  }
  Node *intc(int64_t V) {
    Node *N = M.Ctx.create(Op::IntConst, M.Ctx.getInt(), {});
    N->IntVal = V;
    return N;
  }
  void ret(Node *V) {
    F->Body->Stmts.push_back(M.Ctx.create(Op::Return, M.Ctx.getVoid(), {}, {V}));
  }
  std::string verifyMessage() {
    llvm::Error E = verify(M);
    return E ? llvm::toString(std::move(E)) : std::string();
  }
};

TEST(VerifierTest, AcceptsWellFormedKIR) {
  Fixture X(&Context::getI32);
  X.ret(X.M.Ctx.create(Op::I32Add, X.M.Ctx.getI32(), {}, {X.i32c(1), X.i32c(2)}));
  EXPECT_EQ(X.verifyMessage(), "");
}

TEST(VerifierTest, OperandTypeMismatch) {
  Fixture X(&Context::getI32);
  X.ret(X.M.Ctx.create(Op::I32Add, X.M.Ctx.getI32(), {}, {X.i32c(1), X.intc(2)}));
  EXPECT_NE(X.verifyMessage().find("i32.add at line 0: operand 1 has type int"),
            std::string::npos)
      << X.verifyMessage();
}

TEST(VerifierTest, WrongOperandCount) {
  Fixture X(&Context::getI32);
  X.ret(X.M.Ctx.create(Op::I32Neg, X.M.Ctx.getI32(), {}, {X.i32c(1), X.i32c(2)}));
  EXPECT_NE(X.verifyMessage().find("expected 1 operands, got 2"), std::string::npos);
}

TEST(VerifierTest, ReturnTypeAndConstantRanges) {
  Fixture X(&Context::getInt);
  X.ret(X.i32c(int64_t(1) << 40));
  std::string Msg = X.verifyMessage();
  EXPECT_NE(Msg.find("i32 constant out of range"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("returned value has type i32, expected int"), std::string::npos) << Msg;
}

TEST(VerifierTest, BreakOutsideLoopAndImmutableAssignment) {
  Fixture X(&Context::getVoid);
  Local *L = X.F->addLocal("x", X.M.Ctx.getInt(), /*Mutable=*/false, {});
  Node *Set = X.M.Ctx.create(Op::LocalSet, X.M.Ctx.getVoid(), {}, {X.intc(1)});
  Set->Var = L;
  X.F->Body->Stmts.push_back(Set);
  X.F->Body->Stmts.push_back(X.M.Ctx.create(Op::Break, X.M.Ctx.getVoid(), {}));
  std::string Msg = X.verifyMessage();
  EXPECT_NE(Msg.find("assigns an immutable local"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("break at line 0: outside a loop"), std::string::npos) << Msg;
}

TEST(VerifierTest, ForeignLocalAndExpressionAsStatement) {
  Fixture X(&Context::getVoid);
  Function Other;
  Local *Foreign = Other.addLocal("y", X.M.Ctx.getInt(), true, {});
  Node *Get = X.M.Ctx.create(Op::LocalGet, X.M.Ctx.getInt(), {});
  Get->Var = Foreign;
  X.F->Body->Stmts.push_back(Get);
  std::string Msg = X.verifyMessage();
  EXPECT_NE(Msg.find("refers to a local of another function"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("expression op used as a statement"), std::string::npos) << Msg;
}

TEST(VerifierTest, StringBuiltinTypes) {
  Fixture X(&Context::getStr);
  Context &C = X.M.Ctx;
  Node *S = C.create(Op::StrConst, C.getStr(), {});
  // join of an [int], and split typed as str instead of [str].
  Node *Ints = C.create(Op::ArrayLit, C.getArray(C.getInt()), {}, {X.intc(1)});
  X.ret(C.create(Op::StrJoin, C.getStr(), {}, {Ints, S}));
  X.F->Body->Stmts.push_back(
      C.create(Op::Eval, C.getVoid(), {},
               {C.create(Op::StrSplit, C.getStr(), {}, {S, S})}));
  // str_from_codes of an [i32].
  Node *I32s = C.create(Op::ArrayLit, C.getArray(C.getI32()), {}, {X.i32c(1)});
  X.F->Body->Stmts.push_back(
      C.create(Op::Eval, C.getVoid(), {},
               {C.create(Op::StrFromCodes, C.getStr(), {}, {I32s})}));
  // find with an i32 start.
  X.F->Body->Stmts.push_back(
      C.create(Op::Eval, C.getVoid(), {},
               {C.create(Op::StrFind, C.getInt(), {}, {S, S, X.i32c(0)})}));
  std::string Msg = X.verifyMessage();
  EXPECT_NE(Msg.find("str.join at line 0: expects a [str] and a str"),
            std::string::npos)
      << Msg;
  EXPECT_NE(Msg.find("str.split at line 0: result is not a [str]"),
            std::string::npos)
      << Msg;
  EXPECT_NE(Msg.find("str.from_codes at line 0: expects an [int]"),
            std::string::npos)
      << Msg;
  EXPECT_NE(Msg.find("str.find at line 0: operand 2 has type i32"),
            std::string::npos)
      << Msg;
}

TEST(VerifierTest, BytesU32LeTypes) {
  Fixture X(&Context::getU32);
  Context &C = X.M.Ctx;
  Node *S = C.create(Op::StrConst, C.getStr(), {});
  // A word of a str, and one typed as int.
  X.ret(C.create(Op::BytesU32Le, C.getU32(), {}, {S, X.intc(0)}));
  X.F->Body->Stmts.push_back(
      C.create(Op::Eval, C.getVoid(), {},
               {C.create(Op::BytesU32Le, C.getInt(), {}, {S, X.intc(0)})}));
  std::string Msg = X.verifyMessage();
  EXPECT_NE(Msg.find("bytes.u32le at line 0: operand 0 has type str"),
            std::string::npos)
      << Msg;
  EXPECT_NE(Msg.find("bytes.u32le at line 0: result type is int"),
            std::string::npos)
      << Msg;
}

TEST(VerifierTest, TrimReplaceContainsTypes) {
  Fixture X(&Context::getStr);
  Context &C = X.M.Ctx;
  Node *S = C.create(Op::StrConst, C.getStr(), {});
  // replace with two operands, contains typed as int, trim of an int.
  X.ret(C.create(Op::StrReplace, C.getStr(), {}, {S, S}));
  X.F->Body->Stmts.push_back(
      C.create(Op::Eval, C.getVoid(), {},
               {C.create(Op::StrContains, C.getInt(), {}, {S, S})}));
  X.F->Body->Stmts.push_back(
      C.create(Op::Eval, C.getVoid(), {},
               {C.create(Op::StrTrim, C.getStr(), {}, {X.intc(1)})}));
  std::string Msg = X.verifyMessage();
  EXPECT_NE(Msg.find("str.replace at line 0: expected 3 operands, got 2"),
            std::string::npos)
      << Msg;
  EXPECT_NE(Msg.find("str.contains at line 0: result type is int"),
            std::string::npos)
      << Msg;
  EXPECT_NE(Msg.find("str.trim at line 0: operand 0 has type int"),
            std::string::npos)
      << Msg;
}

TEST(VerifierTest, EveryOpHasANameAndClass) {
  for (unsigned I = 0; I < numOps(); ++I) {
    Op O = static_cast<Op>(I);
    EXPECT_FALSE(opName(O).empty());
    EXPECT_NE(opName(O).find_first_of("."), llvm::StringRef::npos - 1);
  }
}

} // namespace

namespace {

TEST(VerifierTest, NullableRecords) {
  // A field access needs the record itself, not its nullable form: a
  // producer must check for null first (ref.as_non_null).
  Fixture X(&Context::getInt);
  auto R = std::make_unique<RecordDecl>();
  R->Name = "Node";
  Type *NodeTy = X.M.Ctx.getRecord(R.get());
  Type *Nullable = X.M.Ctx.getNullable(NodeTy);
  R->Fields.push_back({"key", X.M.Ctx.getInt()});
  R->Fields.push_back({"next", Nullable});
  X.M.Records.push_back(std::move(R));
  EXPECT_EQ(Nullable->str(), "?Node");
  EXPECT_EQ(X.M.Ctx.getNullable(NodeTy), Nullable); // uniqued
  Local *P = X.F->addLocal("n", Nullable, true, {});
  X.F->Params.push_back(P);
  auto Get = [&] {
    Node *G = X.M.Ctx.create(Op::LocalGet, Nullable, {});
    G->Var = P;
    return G;
  };
  Node *Bad = X.M.Ctx.create(Op::FieldGet, X.M.Ctx.getInt(), {}, {Get()});
  X.ret(Bad);
  EXPECT_NE(X.verifyMessage().find("field.get at line 0: expects a record"),
            std::string::npos)
      << X.verifyMessage();
  Node *Checked = X.M.Ctx.create(Op::RefAsNonNull, NodeTy, {}, {Get()});
  Bad->Operands[0] = Checked;
  EXPECT_EQ(X.verifyMessage(), "");
  // ref.as_non_null yields the record, ref.as_nullable takes one.
  Checked->Ty = Nullable;
  EXPECT_NE(X.verifyMessage().find("ref.as_non_null at line 0: result has "
                                   "type ?Node, expected Node"),
            std::string::npos)
      << X.verifyMessage();
  Checked->Ty = NodeTy;
  Node *Wrapped =
      X.M.Ctx.create(Op::RefAsNullable, Nullable, {}, {Get()});
  X.F->Body->Stmts.insert(
      X.F->Body->Stmts.begin(),
      X.M.Ctx.create(Op::Eval, X.M.Ctx.getVoid(), {}, {Wrapped}));
  EXPECT_NE(X.verifyMessage().find("ref.as_nullable at line 0: expects a "
                                   "record"),
            std::string::npos)
      << X.verifyMessage();
}

} // namespace
