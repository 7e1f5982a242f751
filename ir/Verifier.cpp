//===- Verifier.cpp - Structural and type checks of KIR -------------------===//

#include "ir/Verifier.h"
#include "ir/IR.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/raw_ostream.h"

using namespace kc;
using namespace kc::kir;

namespace {

class Verifier {
public:
  explicit Verifier(const Module &M) : M(M) {}

  llvm::Error run() {
    for (const auto &R : M.Records)
      for (const Field &F : R->Fields)
        if (!F.Ty || F.Ty->Kind == TypeKind::Void)
          fail(nullptr, "record " + R->Name + " field " + F.Name +
                            " has no value type");
    for (const auto &F : M.Functions)
      verifyFunction(*F);
    if (M.Bench && !M.getEntry())
      fail(nullptr, "bench entry @" + M.Bench->Entry + " is not a function");
    if (Problems.empty())
      return llvm::Error::success();
    std::string Msg = "KIR verifier failed:";
    for (const std::string &P : Problems)
      Msg += "\n  " + P;
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
  }

private:
  const Module &M;
  const Function *Fn = nullptr;
  unsigned LoopDepth = 0;
  llvm::DenseSet<const Local *> Owned;
  std::vector<std::string> Problems;

  void fail(const Node *N, const std::string &Msg) {
    if (Problems.size() >= 20)
      return;
    std::string S;
    llvm::raw_string_ostream OS(S);
    if (Fn)
      OS << "in @" << Fn->Name << ": ";
    if (N)
      OS << opName(N->Opcode) << " at line " << N->Loc.Line << ": ";
    OS << Msg;
    Problems.push_back(OS.str());
  }

  void verifyFunction(const Function &F) {
    Fn = &F;
    Owned.clear();
    for (const auto &L : F.Locals)
      Owned.insert(L.get());
    for (size_t I = 0; I < F.Params.size(); ++I)
      if (F.Params[I] != F.Locals[I].get())
        fail(nullptr, "parameters must be the first locals");
    if (!F.RetTy || !F.Body)
      fail(nullptr, "function without return type or body");
    else
      verifyBlock(*F.Body);
    Fn = nullptr;
  }

  void verifyBlock(const Block &B) {
    for (const Node *S : B.Stmts) {
      if (!S) {
        fail(nullptr, "null statement");
        continue;
      }
      if (opClass(S->Opcode) == OpClass::Expr)
        fail(S, "an expression op used as a statement (wrap it in eval)");
      verifyNode(*S);
    }
  }

  bool is(const Node &N, unsigned I, TypeKind K) {
    return I < N.Operands.size() && N.Operands[I] && N.Operands[I]->Ty &&
           N.Operands[I]->Ty->Kind == K;
  }

  /// Operand count, operand kinds and result kind in one check.
  void sig(const Node &N, TypeKind Result,
           std::initializer_list<TypeKind> Operands) {
    if (N.Operands.size() != Operands.size()) {
      fail(&N, "expected " + std::to_string(Operands.size()) +
                   " operands, got " + std::to_string(N.Operands.size()));
      return;
    }
    unsigned I = 0;
    for (TypeKind K : Operands) {
      if (!is(N, I, K))
        fail(&N, "operand " + std::to_string(I) + " has type " +
                     (N.Operands[I] && N.Operands[I]->Ty
                          ? N.Operands[I]->Ty->str()
                          : std::string("<none>")));
      ++I;
    }
    if (!N.Ty || N.Ty->Kind != Result)
      fail(&N, "result type is " + (N.Ty ? N.Ty->str() : std::string("<none>")));
  }

  void sameType(const Node &N, const Node *O, const Type *T,
                const char *What) {
    if (O && O->Ty != T)
      fail(&N, std::string(What) + " has type " + O->Ty->str() + ", expected " +
                   (T ? T->str() : "<none>"));
  }

  void regions(const Node &N, unsigned Count) {
    if (N.Regions.size() != Count) {
      fail(&N, "expected " + std::to_string(Count) + " regions");
      return;
    }
    for (const Block *B : N.Regions)
      if (!B)
        fail(&N, "null region");
  }

  void local(const Node &N, const Local *L) {
    if (!L || !Owned.count(L))
      fail(&N, "refers to a local of another function");
  }

  void loopBody(const Node &N, unsigned Region) {
    ++LoopDepth;
    verifyBlock(*N.Regions[Region]);
    --LoopDepth;
  }

  void verifyNode(const Node &N) {
    for (const Node *O : N.Operands) {
      if (!O) {
        fail(&N, "null operand");
        return;
      }
      if (opClass(O->Opcode) != OpClass::Expr)
        fail(&N, std::string("operand is a statement: ") +
                     opName(O->Opcode).str());
      verifyNode(*O);
    }
    using TK = TypeKind;
    const TK B = TK::Bool, I32 = TK::I32, U32 = TK::U32, Int = TK::Int,
             F = TK::F64, S = TK::Str, By = TK::Bytes, V = TK::Void;
    switch (N.Opcode) {
    case Op::BoolConst: return sig(N, B, {});
    case Op::I32Const:
      if (N.IntVal < INT32_MIN || N.IntVal > INT32_MAX)
        fail(&N, "i32 constant out of range");
      return sig(N, I32, {});
    case Op::U32Const:
      if (N.IntVal < 0 || N.IntVal > UINT32_MAX)
        fail(&N, "u32 constant out of range");
      return sig(N, U32, {});
    case Op::IntConst:
      if (N.IntVal < -(int64_t(1) << 53) || N.IntVal > (int64_t(1) << 53))
        fail(&N, "int constant outside the safe range");
      return sig(N, Int, {});
    case Op::F64Const: return sig(N, F, {});
    case Op::StrConst: return sig(N, S, {});
    case Op::LocalGet:
      local(N, N.Var);
      if (N.Var)
        sameType(N, &N, N.Var->Ty, "result");
      return;
    case Op::LocalDecl:
    case Op::LocalSet:
      local(N, N.Var);
      if (N.Operands.size() != 1)
        return fail(&N, "expected 1 operand");
      if (N.Var) {
        sameType(N, N.operand(0), N.Var->Ty, "value");
        if (N.Opcode == Op::LocalSet && !N.Var->Mutable)
          fail(&N, "assigns an immutable local");
      }
      return;
    case Op::I32Add: case Op::I32Sub: case Op::I32Mul: case Op::I32Div:
    case Op::I32Rem: case Op::I32And: case Op::I32Or: case Op::I32Xor:
    case Op::I32Shl: case Op::I32Shr:
      return sig(N, I32, {I32, I32});
    case Op::I32Neg: case Op::I32Not: return sig(N, I32, {I32});
    case Op::I32Cmp: return sig(N, B, {I32, I32});
    case Op::U32Add: case Op::U32Sub: case Op::U32Mul: case Op::U32Div:
    case Op::U32Rem: case Op::U32And: case Op::U32Or: case Op::U32Xor:
    case Op::U32Shl: case Op::U32Shr:
      return sig(N, U32, {U32, U32});
    case Op::U32Neg: case Op::U32Not: return sig(N, U32, {U32});
    case Op::U32Cmp: return sig(N, B, {U32, U32});
    case Op::IntAdd: case Op::IntSub: case Op::IntMul: case Op::IntDiv:
    case Op::IntRem:
      return sig(N, Int, {Int, Int});
    case Op::IntNeg: case Op::IntCheckSafe: return sig(N, Int, {Int});
    case Op::IntCmp: return sig(N, B, {Int, Int});
    case Op::F64Add: case Op::F64Sub: case Op::F64Mul: case Op::F64Div:
    case Op::F64Rem:
      return sig(N, F, {F, F});
    case Op::F64Neg: case Op::F64Sqrt: case Op::F64Floor: return sig(N, F, {F});
    case Op::F64Cmp: return sig(N, B, {F, F});
    case Op::NumMin:
    case Op::NumMax:
      if (!N.Ty || !N.Ty->isNumeric())
        return fail(&N, "needs a numeric type");
      return sig(N, N.Ty->Kind, {N.Ty->Kind, N.Ty->Kind});
    case Op::NumAbs:
      if (!N.Ty || !N.Ty->isNumeric())
        return fail(&N, "needs a numeric type");
      return sig(N, N.Ty->Kind, {N.Ty->Kind});
    case Op::BoolNot: return sig(N, B, {B});
    case Op::BoolAnd: case Op::BoolOr: return sig(N, B, {B, B});
    case Op::BoolCmp:
      if (N.Predicate != Pred::Eq && N.Predicate != Pred::Ne)
        fail(&N, "bool compares only with eq or ne");
      return sig(N, B, {B, B});
    case Op::I32ToInt: return sig(N, Int, {I32});
    case Op::U32ToInt: return sig(N, Int, {U32});
    case Op::IntToI32: return sig(N, I32, {Int});
    case Op::IntToU32: return sig(N, U32, {Int});
    case Op::I32ToU32: return sig(N, U32, {I32});
    case Op::U32ToI32: return sig(N, I32, {U32});
    case Op::I32ToF64: return sig(N, F, {I32});
    case Op::U32ToF64: return sig(N, F, {U32});
    case Op::IntToF64: return sig(N, F, {Int});
    case Op::F64ToI32: return sig(N, I32, {F});
    case Op::F64ToU32: return sig(N, U32, {F});
    case Op::F64ToInt: return sig(N, Int, {F});
    case Op::StrLen: return sig(N, Int, {S});
    case Op::StrCodeAt: return sig(N, Int, {S, Int});
    case Op::StrSlice: return sig(N, S, {S, Int, Int});
    case Op::StrConcat: return sig(N, S, {S, S});
    case Op::StrCmp: return sig(N, B, {S, S});
    case Op::StrFromInt: return sig(N, S, {Int});
    case Op::StrParseInt: return sig(N, Int, {S});
    case Op::StrFromCode: return sig(N, S, {Int});
    case Op::StrFind: return sig(N, Int, {S, S, Int});
    case Op::StrStartsWith: return sig(N, B, {S, S, Int});
    case Op::StrSplit:
      if (!N.Ty || N.Ty->Kind != TK::Array || N.Ty->Elem->Kind != S)
        return fail(&N, "result is not a [str]");
      return sig(N, TK::Array, {S, S});
    case Op::StrLower: return sig(N, S, {S});
    case Op::StrJoin:
      if (N.Operands.size() != 2 || !is(N, 0, TK::Array) ||
          N.operand(0)->Ty->Elem->Kind != S)
        return fail(&N, "expects a [str] and a str");
      return sig(N, S, {TK::Array, S});
    case Op::StrTrim: return sig(N, S, {S});
    case Op::StrReplace: return sig(N, S, {S, S, S});
    case Op::StrContains: return sig(N, B, {S, S});
    case Op::StrFromCodes:
      if (N.Operands.size() != 1 || !is(N, 0, TK::Array) ||
          N.operand(0)->Ty->Elem->Kind != Int)
        return fail(&N, "expects an [int]");
      return sig(N, S, {TK::Array});
    case Op::BytesLen: return sig(N, Int, {By});
    case Op::BytesAt: return sig(N, Int, {By, Int});
    case Op::BytesSlice: return sig(N, By, {By, Int, Int});
    case Op::BytesU32Le: return sig(N, U32, {By, Int});
    case Op::ArrayNew:
      if (!N.Ty || N.Ty->Kind != TK::Array)
        return fail(&N, "result is not an array");
      if (N.Operands.size() != 2 || !is(N, 0, Int))
        return fail(&N, "expects a length and a fill value");
      return sameType(N, N.operand(1), N.Ty->Elem, "fill value");
    case Op::ArrayLit:
      if (!N.Ty || N.Ty->Kind != TK::Array)
        return fail(&N, "result is not an array");
      for (const Node *O : N.Operands)
        sameType(N, O, N.Ty->Elem, "element");
      return;
    case Op::ArrayLen:
      if (!is(N, 0, TK::Array) || N.Operands.size() != 1)
        return fail(&N, "expects an array");
      return sig(N, Int, {TK::Array});
    case Op::ArrayGet:
      if (N.Operands.size() != 2 || !is(N, 0, TK::Array) || !is(N, 1, Int))
        return fail(&N, "expects an array and an int index");
      return sameType(N, &N, N.operand(0)->Ty->Elem, "result");
    case Op::ArraySet:
      if (N.Operands.size() != 3 || !is(N, 0, TK::Array) || !is(N, 1, Int))
        return fail(&N, "expects an array, an int index and a value");
      return sameType(N, N.operand(2), N.operand(0)->Ty->Elem, "value");
    case Op::ArrayPush:
      if (N.Operands.size() != 2 || !is(N, 0, TK::Array))
        return fail(&N, "expects an array and a value");
      return sameType(N, N.operand(1), N.operand(0)->Ty->Elem, "value");
    case Op::ArrayPop:
      if (N.Operands.size() != 1 || !is(N, 0, TK::Array))
        return fail(&N, "expects an array");
      return sameType(N, &N, N.operand(0)->Ty->Elem, "result");
    case Op::RecordNew: {
      if (!N.Ty || N.Ty->Kind != TK::Record)
        return fail(&N, "result is not a record");
      const RecordDecl *R = N.Ty->Rec;
      if (N.Operands.size() != R->Fields.size())
        return fail(&N, "needs one operand per field");
      for (size_t I = 0; I < R->Fields.size(); ++I)
        sameType(N, N.Operands[I], R->Fields[I].Ty, "field value");
      return;
    }
    case Op::FieldGet:
    case Op::FieldSet: {
      unsigned Want = N.Opcode == Op::FieldGet ? 1 : 2;
      if (N.Operands.size() != Want || !is(N, 0, TK::Record))
        return fail(&N, "expects a record");
      const RecordDecl *R = N.operand(0)->Ty->Rec;
      if (N.IntVal < 0 || size_t(N.IntVal) >= R->Fields.size())
        return fail(&N, "field index out of range");
      const Type *FT = R->Fields[N.IntVal].Ty;
      if (N.Opcode == Op::FieldGet)
        return sameType(N, &N, FT, "result");
      return sameType(N, N.operand(1), FT, "value");
    }
    case Op::RefNull:
      if (!N.Ty || N.Ty->Kind != TK::Nullable || !N.Operands.empty())
        return fail(&N, "result is not a nullable record");
      return;
    case Op::RefAsNullable:
      if (N.Operands.size() != 1 || !is(N, 0, TK::Record))
        return fail(&N, "expects a record");
      if (!N.Ty || N.Ty->Kind != TK::Nullable ||
          N.Ty->Elem != N.operand(0)->Ty)
        fail(&N, "result type is " +
                     (N.Ty ? N.Ty->str() : std::string("<none>")) +
                     ", expected ?" + N.operand(0)->Ty->str());
      return;
    case Op::RefIsNull: return sig(N, B, {TK::Nullable});
    case Op::RefAsNonNull:
      if (N.Operands.size() != 1 || !is(N, 0, TK::Nullable))
        return fail(&N, "expects a nullable record");
      return sameType(N, &N, N.operand(0)->Ty->Elem, "result");
    case Op::MapNew:
      if (!N.Ty || N.Ty->Kind != TK::Map || !N.Operands.empty())
        return fail(&N, "result is not a map");
      if (N.Ty->Key->Kind != Int && N.Ty->Key->Kind != S)
        fail(&N, "map keys must be int or str");
      return;
    case Op::MapLen: return sig(N, Int, {TK::Map});
    case Op::MapGet:
    case Op::MapAt:
    case Op::MapHas:
    case Op::MapRemove:
    case Op::MapSet: {
      unsigned Want = N.Opcode == Op::MapGet || N.Opcode == Op::MapSet ? 3 : 2;
      if (N.Operands.size() != Want || !is(N, 0, TK::Map))
        return fail(&N, "expects a map");
      const Type *MT = N.operand(0)->Ty;
      sameType(N, N.operand(1), MT->Key, "key");
      if (N.Opcode == Op::MapHas || N.Opcode == Op::MapRemove)
        return sig(N, B, {TK::Map, MT->Key->Kind});
      if (N.Opcode == Op::MapSet)
        return sameType(N, N.operand(2), MT->Elem, "value");
      if (N.Opcode == Op::MapGet)
        sameType(N, N.operand(2), MT->Elem, "default");
      return sameType(N, &N, MT->Elem, "result");
    }
    case Op::Call: {
      const Function *C = N.Callee;
      if (!C)
        return fail(&N, "no callee");
      if (N.Operands.size() != C->Params.size())
        return fail(&N, "argument count differs from @" + C->Name);
      for (size_t I = 0; I < C->Params.size(); ++I)
        sameType(N, N.Operands[I], C->Params[I]->Ty, "argument");
      return sameType(N, &N, C->RetTy, "result");
    }
    case Op::Eval:
      if (N.Operands.size() != 1)
        fail(&N, "expected 1 operand");
      return;
    case Op::If:
      regions(N, 2);
      sig(N, V, {B});
      if (N.Regions.size() == 2) {
        verifyBlock(*N.Regions[0]);
        verifyBlock(*N.Regions[1]);
      }
      return;
    case Op::While:
      regions(N, 1);
      sig(N, V, {B});
      if (N.Regions.size() == 1)
        loopBody(N, 0);
      return;
    case Op::ForRange:
      regions(N, 1);
      local(N, N.Var);
      sig(N, V, {Int, Int});
      if (N.Var && N.Var->Ty->Kind != Int)
        fail(&N, "range variable must be int");
      if (N.Regions.size() == 1)
        loopBody(N, 0);
      return;
    case Op::ForEach: {
      regions(N, 1);
      local(N, N.Var);
      if (N.Operands.size() != 1)
        return fail(&N, "expected 1 operand");
      const Type *CT = N.operand(0)->Ty;
      if (CT->Kind == TK::Array) {
        if (N.Var && N.Var->Ty != CT->Elem)
          fail(&N, "loop variable has type " + N.Var->Ty->str() +
                       ", expected " + CT->Elem->str());
      } else if (CT->Kind == S || CT->Kind == By) {
        if (N.Var && N.Var->Ty->Kind != Int)
          fail(&N, "loop variable over str or bytes must be int");
      } else {
        fail(&N, "iterates over an array, bytes or str only");
      }
      if (N.Regions.size() == 1)
        loopBody(N, 0);
      return;
    }
    case Op::ForMap: {
      regions(N, 1);
      local(N, N.Var);
      local(N, N.Var2);
      if (N.Operands.size() != 1 || !is(N, 0, TK::Map))
        return fail(&N, "iterates over a map");
      const Type *MT = N.operand(0)->Ty;
      if (N.Var && N.Var->Ty != MT->Key)
        fail(&N, "key variable has the wrong type");
      if (N.Var2 && N.Var2->Ty != MT->Elem)
        fail(&N, "value variable has the wrong type");
      if (N.Regions.size() == 1)
        loopBody(N, 0);
      return;
    }
    case Op::Break:
    case Op::Continue:
      if (LoopDepth == 0)
        fail(&N, "outside a loop");
      return;
    case Op::Return:
      if (Fn->RetTy->Kind == V) {
        if (!N.Operands.empty())
          fail(&N, "returns a value from a void function");
        return;
      }
      if (N.Operands.size() != 1)
        return fail(&N, "must return one value");
      return sameType(N, N.operand(0), Fn->RetTy, "returned value");
    }
  }
};

} // namespace

llvm::Error kir::verify(const Module &M) { return Verifier(M).run(); }
