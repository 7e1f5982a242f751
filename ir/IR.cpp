//===- IR.cpp - KIR types, nodes and the op table -------------------------===//

#include "ir/IR.h"
#include "llvm/Support/ErrorHandling.h"

using namespace kc;
using namespace kc::kir;

namespace {
struct OpInfo {
  const char *Name;
  OpClass Class;
};
const OpInfo OpTable[] = {
#define KIR_OP(Enum, Name, Class) {Name, OpClass::Class},
#include "ir/Ops.def"
};
} // namespace

llvm::StringRef kir::opName(Op O) {
  return OpTable[static_cast<unsigned>(O)].Name;
}
OpClass kir::opClass(Op O) { return OpTable[static_cast<unsigned>(O)].Class; }
unsigned kir::numOps() { return sizeof(OpTable) / sizeof(OpTable[0]); }

llvm::StringRef kir::predName(Pred P) {
  switch (P) {
  case Pred::Eq: return "eq";
  case Pred::Ne: return "ne";
  case Pred::Lt: return "lt";
  case Pred::Le: return "le";
  case Pred::Gt: return "gt";
  case Pred::Ge: return "ge";
  }
  llvm_unreachable("bad predicate");
}

kir::Pred kir::swappedPred(Pred P) {
  switch (P) {
  case Pred::Lt: return Pred::Gt;
  case Pred::Le: return Pred::Ge;
  case Pred::Gt: return Pred::Lt;
  case Pred::Ge: return Pred::Le;
  case Pred::Eq:
  case Pred::Ne: return P;
  }
  llvm_unreachable("bad predicate");
}

std::string Type::str() const {
  switch (Kind) {
  case TypeKind::Void: return "void";
  case TypeKind::Bool: return "bool";
  case TypeKind::I32: return "i32";
  case TypeKind::U32: return "u32";
  case TypeKind::Int: return "int";
  case TypeKind::F64: return "f64";
  case TypeKind::Str: return "str";
  case TypeKind::Bytes: return "bytes";
  case TypeKind::Array: return "[" + Elem->str() + "]";
  case TypeKind::Map: return "map[" + Key->str() + "]" + Elem->str();
  case TypeKind::Record: return Rec->Name;
  case TypeKind::Nullable: return "?" + Elem->str();
  }
  llvm_unreachable("bad type kind");
}

int RecordDecl::fieldIndex(llvm::StringRef FieldName) const {
  for (size_t I = 0; I < Fields.size(); ++I)
    if (Fields[I].Name == FieldName)
      return static_cast<int>(I);
  return -1;
}

Local *Function::addLocal(llvm::StringRef LocalName, Type *Ty, bool Mutable,
                          SourceLoc L) {
  auto V = std::make_unique<Local>();
  V->Id = static_cast<unsigned>(Locals.size());
  V->Name = LocalName.str();
  V->Ty = Ty;
  V->Mutable = Mutable;
  V->Loc = L;
  Locals.push_back(std::move(V));
  return Locals.back().get();
}

Context::Context() {
  auto Make = [&](TypeKind K) {
    Types.emplace_back(K);
    return &Types.back();
  };
  VoidTy = Make(TypeKind::Void);
  BoolTy = Make(TypeKind::Bool);
  I32Ty = Make(TypeKind::I32);
  U32Ty = Make(TypeKind::U32);
  IntTy = Make(TypeKind::Int);
  F64Ty = Make(TypeKind::F64);
  StrTy = Make(TypeKind::Str);
  BytesTy = Make(TypeKind::Bytes);
}

Type *Context::getArray(Type *Elem) {
  auto Key = std::make_tuple(TypeKind::Array, Elem, (Type *)nullptr,
                             (RecordDecl *)nullptr);
  auto It = Uniq.find(Key);
  if (It != Uniq.end())
    return It->second;
  Types.emplace_back(TypeKind::Array);
  Type *T = &Types.back();
  T->Elem = Elem;
  Uniq[Key] = T;
  return T;
}

Type *Context::getMap(Type *KeyTy, Type *Value) {
  auto Key = std::make_tuple(TypeKind::Map, Value, KeyTy, (RecordDecl *)nullptr);
  auto It = Uniq.find(Key);
  if (It != Uniq.end())
    return It->second;
  Types.emplace_back(TypeKind::Map);
  Type *T = &Types.back();
  T->Elem = Value;
  T->Key = KeyTy;
  Uniq[Key] = T;
  return T;
}

Type *Context::getRecord(RecordDecl *R) {
  auto Key = std::make_tuple(TypeKind::Record, (Type *)nullptr,
                             (Type *)nullptr, R);
  auto It = Uniq.find(Key);
  if (It != Uniq.end())
    return It->second;
  Types.emplace_back(TypeKind::Record);
  Type *T = &Types.back();
  T->Rec = R;
  Uniq[Key] = T;
  return T;
}

Type *Context::getNullable(Type *Record) {
  assert(Record && Record->Kind == TypeKind::Record &&
         "only record types are nullable");
  auto Key = std::make_tuple(TypeKind::Nullable, Record, (Type *)nullptr,
                             (RecordDecl *)nullptr);
  auto It = Uniq.find(Key);
  if (It != Uniq.end())
    return It->second;
  Types.emplace_back(TypeKind::Nullable);
  Type *T = &Types.back();
  T->Elem = Record;
  Uniq[Key] = T;
  return T;
}

Node *Context::create(Op O, Type *T, SourceLoc L,
                      llvm::ArrayRef<Node *> Operands) {
  Nodes.emplace_back(O, T, L);
  Node *N = &Nodes.back();
  N->Operands.append(Operands.begin(), Operands.end());
  return N;
}

Block *Context::createBlock() {
  Blocks.emplace_back();
  return &Blocks.back();
}

Function *Module::getFunction(llvm::StringRef FnName) const {
  for (const auto &F : Functions)
    if (F->Name == FnName)
      return F.get();
  return nullptr;
}

Function *Module::getEntry() const {
  if (!Bench)
    return nullptr;
  return getFunction(Bench->Entry);
}
