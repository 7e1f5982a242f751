//===- Coverage.cpp - Which KIR ops and types the fuzzer reached ----------===//

#include "Fuzz/Coverage.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <set>

using namespace kc;
using namespace kc::fuzz;
using kir::Op;

llvm::StringRef fuzz::producedBy(Op O) {
  switch (O) {
  case Op::BoolConst:
    return "true, false";
  case Op::I32Const:
    return "an i32 literal";
  case Op::U32Const:
    return "a u32 literal";
  case Op::IntConst:
    return "an int literal";
  case Op::F64Const:
    return "a float literal";
  case Op::StrConst:
    return "a string literal";
  case Op::LocalGet:
    return "a variable read";
  case Op::LocalDecl:
    return "let, var";
  case Op::LocalSet:
    return "x = e";
  case Op::I32Add:
  case Op::U32Add:
  case Op::IntAdd:
  case Op::F64Add:
    return "a + b";
  case Op::I32Sub:
  case Op::U32Sub:
  case Op::IntSub:
  case Op::F64Sub:
    return "a - b";
  case Op::I32Mul:
  case Op::U32Mul:
  case Op::IntMul:
  case Op::F64Mul:
    return "a * b";
  case Op::I32Div:
  case Op::U32Div:
  case Op::IntDiv:
  case Op::F64Div:
    return "a / b";
  case Op::I32Rem:
  case Op::U32Rem:
  case Op::IntRem:
  case Op::F64Rem:
    return "a % b";
  case Op::I32Neg:
  case Op::U32Neg:
  case Op::IntNeg:
  case Op::F64Neg:
    return "-a";
  case Op::I32And:
  case Op::U32And:
    return "a & b";
  case Op::I32Or:
  case Op::U32Or:
    return "a | b";
  case Op::I32Xor:
  case Op::U32Xor:
    return "a ^ b";
  case Op::I32Not:
  case Op::U32Not:
    return "~a";
  case Op::I32Shl:
  case Op::U32Shl:
    return "a << b";
  case Op::I32Shr:
  case Op::U32Shr:
    return "a >> b";
  case Op::I32Cmp:
  case Op::U32Cmp:
  case Op::IntCmp:
  case Op::F64Cmp:
  case Op::StrCmp:
    return "a < b and the other comparisons";
  case Op::BoolCmp:
    return "a == b on bool";
  case Op::IntCheckSafe:
    return "int arithmetic in a checked kernel";
  case Op::F64Sqrt:
    return "sqrt(x)";
  case Op::F64Floor:
    return "floor(x)";
  case Op::NumMin:
    return "min(a, b)";
  case Op::NumMax:
    return "max(a, b)";
  case Op::NumAbs:
    return "abs(a)";
  case Op::BoolNot:
    return "!a";
  case Op::BoolAnd:
    return "a && b";
  case Op::BoolOr:
    return "a || b";
  case Op::I32ToInt:
  case Op::U32ToInt:
  case Op::F64ToInt:
    return "int(x)";
  case Op::IntToI32:
  case Op::U32ToI32:
  case Op::F64ToI32:
    return "i32(x)";
  case Op::IntToU32:
  case Op::I32ToU32:
  case Op::F64ToU32:
    return "u32(x)";
  case Op::I32ToF64:
  case Op::U32ToF64:
  case Op::IntToF64:
    return "f64(x)";
  case Op::StrLen:
  case Op::BytesLen:
  case Op::ArrayLen:
  case Op::MapLen:
    return "len(x)";
  case Op::StrCodeAt:
  case Op::BytesAt:
    return "s[i], b[i]";
  case Op::StrSlice:
  case Op::BytesSlice:
    return "s.slice(a, b)";
  case Op::BytesU32Le:
    return "b.u32le(i)";
  case Op::StrConcat:
    return "s + t";
  case Op::StrFromInt:
    return "str(n)";
  case Op::StrParseInt:
    return "parse_int(s)";
  case Op::StrFromCode:
    return "chr(c)";
  case Op::StrFind:
    return "s.find(sub, start)";
  case Op::StrStartsWith:
    return "s.starts_with(p, at)";
  case Op::StrSplit:
    return "s.split(sep)";
  case Op::StrLower:
    return "s.lower()";
  case Op::StrJoin:
    return "join(parts, sep)";
  case Op::StrTrim:
    return "s.trim()";
  case Op::StrReplace:
    return "s.replace(old, new)";
  case Op::StrContains:
    return "s.contains(sub)";
  case Op::StrFromCodes:
    return "str_from_codes(codes)";
  case Op::ArrayNew:
    return "array(n, v)";
  case Op::ArrayLit:
    return "[a, b]";
  case Op::ArrayGet:
    return "a[i]";
  case Op::ArraySet:
    return "a[i] = v";
  case Op::ArrayPush:
    return "a.push(v)";
  case Op::ArrayPop:
    return "a.pop()";
  case Op::RecordNew:
    return "R { f: v }";
  case Op::FieldGet:
    return "r.f";
  case Op::FieldSet:
    return "r.f = v";
  case Op::RefNull:
    return "null";
  case Op::RefAsNullable:
    return "an R where a ?R is wanted";
  case Op::RefIsNull:
    return "x == null";
  case Op::RefAsNonNull:
    return "x.f on a ?R";
  case Op::MapNew:
    return "{}";
  case Op::MapGet:
    return "m.get(k, d)";
  case Op::MapAt:
    return "m[k]";
  case Op::MapHas:
    return "m.contains(k)";
  case Op::MapSet:
    return "m[k] = v";
  case Op::MapRemove:
    return "m.remove(k)";
  case Op::Call:
    return "f(args)";
  case Op::Eval:
    return "f(args); as a statement";
  case Op::If:
    return "if";
  case Op::While:
    return "while";
  case Op::ForRange:
    return "for i in a..b";
  case Op::ForEach:
    return "for x in a";
  case Op::ForMap:
    return "for k, v in m";
  case Op::Break:
    return "break";
  case Op::Continue:
    return "continue";
  case Op::Return:
    return "return";
  }
  return "";
}

static const char *const TypeClasses[] = {
    "bool",  "i32", "u32",       "int",       "f64",    "str",
    "bytes", "[T]", "map[int]V", "map[str]V", "record", "?R"};

/// The type class of \p T, and for arrays also "[elem]".
static void classify(const kir::Type *T, std::set<std::string> &Out) {
  using kir::TypeKind;
  switch (T->Kind) {
  case TypeKind::Void:
    return;
  case TypeKind::Bool:
    Out.insert("bool");
    return;
  case TypeKind::I32:
    Out.insert("i32");
    return;
  case TypeKind::U32:
    Out.insert("u32");
    return;
  case TypeKind::Int:
    Out.insert("int");
    return;
  case TypeKind::F64:
    Out.insert("f64");
    return;
  case TypeKind::Str:
    Out.insert("str");
    return;
  case TypeKind::Bytes:
    Out.insert("bytes");
    return;
  case TypeKind::Array:
    Out.insert("[T]");
    Out.insert("[" + T->Elem->str() + "]");
    classify(T->Elem, Out);
    return;
  case TypeKind::Map:
    Out.insert(T->Key->Kind == TypeKind::Int ? "map[int]V" : "map[str]V");
    classify(T->Elem, Out);
    return;
  case TypeKind::Record:
    Out.insert("record");
    return;
  case TypeKind::Nullable:
    Out.insert("?R");
    return;
  }
}

Coverage::Coverage() : OpKernels(kir::numOps(), 0), OpNodes(kir::numOps(), 0) {}

namespace {
/// One kernel: nodes per op and the type classes it holds.
struct KernelCounts {
  std::vector<uint64_t> Nodes;
  std::set<std::string> Types;
};
} // namespace

static KernelCounts count(const kir::Module &M) {
  KernelCounts K;
  K.Nodes.assign(kir::numOps(), 0);
  std::set<std::string> &Types = K.Types;
  std::vector<const kir::Node *> Work;
  for (const auto &F : M.Functions) {
    for (const auto &L : F->Locals)
      classify(L->Ty, Types);
    classify(F->RetTy, Types);
    for (const kir::Node *S : F->Body->Stmts)
      Work.push_back(S);
  }
  while (!Work.empty()) {
    const kir::Node *N = Work.back();
    Work.pop_back();
    ++K.Nodes[unsigned(N->Opcode)];
    classify(N->Ty, Types);
    for (const kir::Node *A : N->Operands)
      Work.push_back(A);
    for (const kir::Block *B : N->Regions)
      for (const kir::Node *S : B->Stmts)
        Work.push_back(S);
  }
  return K;
}

void Coverage::add(const kir::Module &M) {
  KernelCounts K = count(M);
  ++Kernels;
  for (unsigned O = 0; O < K.Nodes.size(); ++O) {
    OpNodes[O] += K.Nodes[O];
    OpKernels[O] += K.Nodes[O] > 0;
  }
  for (const std::string &T : K.Types)
    ++TypeKernels[T];
}

// "OP:NODES,OP:NODES|TYPE;TYPE": ops by index, types by their class name.
std::string Coverage::encode(const kir::Module &M) {
  KernelCounts K = count(M);
  std::string S;
  for (unsigned O = 0; O < K.Nodes.size(); ++O)
    if (K.Nodes[O])
      S += (S.empty() ? "" : ",") + std::to_string(O) + ":" +
           std::to_string(K.Nodes[O]);
  S += "|";
  bool First = true;
  for (const std::string &T : K.Types) {
    S += (First ? "" : ";") + T;
    First = false;
  }
  return S;
}

void Coverage::addEncoded(llvm::StringRef Text) {
  auto [Ops, Types] = Text.split('|');
  ++Kernels;
  llvm::SmallVector<llvm::StringRef, 64> Parts;
  Ops.split(Parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts) {
    auto [O, N] = P.split(':');
    unsigned Op;
    uint64_t Nodes;
    if (O.getAsInteger(10, Op) || N.getAsInteger(10, Nodes) ||
        Op >= OpNodes.size())
      continue;
    OpNodes[Op] += Nodes;
    OpKernels[Op] += Nodes > 0;
  }
  Parts.clear();
  Types.split(Parts, ';', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef T : Parts)
    ++TypeKernels[T.str()];
}

std::vector<Op> Coverage::missingOps() const {
  std::vector<Op> Out;
  for (unsigned O = 0; O < OpKernels.size(); ++O)
    if (!OpKernels[O])
      Out.push_back(Op(O));
  return Out;
}

std::vector<std::string> Coverage::missingTypes() const {
  std::vector<std::string> Out;
  for (const char *T : TypeClasses)
    if (!TypeKernels.count(T))
      Out.push_back(T);
  return Out;
}

void Coverage::summary(llvm::raw_ostream &OS) const {
  OS << "ops " << (kir::numOps() - missingOps().size()) << "/" << kir::numOps()
     << ", types " << (std::size(TypeClasses) - missingTypes().size()) << "/"
     << std::size(TypeClasses);
}

void Coverage::print(llvm::raw_ostream &OS) const {
  OS << "coverage over " << Kernels << " kernels: ";
  summary(OS);
  OS << "\n";
  OS << "  op                  kernels      nodes\n";
  for (unsigned O = 0; O < OpKernels.size(); ++O)
    OS << llvm::format(
        "  %-18s %8llu %10llu\n", kir::opName(Op(O)).str().c_str(),
        (unsigned long long)OpKernels[O], (unsigned long long)OpNodes[O]);
  OS << "  type                kernels\n";
  for (const auto &[T, N] : TypeKernels)
    OS << llvm::format("  %-18s %8llu\n", T.c_str(), (unsigned long long)N);
  for (Op O : missingOps())
    OS << "  missing op " << kir::opName(O) << " (from " << producedBy(O)
       << ")\n";
  for (const std::string &T : missingTypes())
    OS << "  missing type " << T << "\n";
}
