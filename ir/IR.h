//===- IR.h - KIR: the typed, structured kernel IR ---------------*- C++ -*-===//
//
// KIR is the contract between the front-end and the three back-ends. It is a
// tree: a function owns a block of statements, statements own expression
// trees and (for control ops) nested blocks. Every node carries its op from
// Ops.def, its type and its source location. All semantic decisions are in
// the op, so a back-end is a plain translation.
//
//===----------------------------------------------------------------------===//

#ifndef KC_IR_IR_H
#define KC_IR_IR_H

#include "Bench/Workload.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace kir {

enum class Op : uint16_t {
#define KIR_OP(Enum, Name, Class) Enum,
#include "ir/Ops.def"
};

enum class OpClass : uint8_t { Expr, Stmt, Control };

llvm::StringRef opName(Op O);
OpClass opClass(Op O);
/// Number of ops in Ops.def, for tables indexed by op.
unsigned numOps();

/// Predicate attribute of the *.cmp ops.
enum class Pred : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };
llvm::StringRef predName(Pred P);
/// The predicate with its operands swapped: a P b is b swappedPred(P) a.
Pred swappedPred(Pred P);

struct SourceLoc {
  uint32_t Line = 0;
  uint32_t Col = 0;
};

class RecordDecl;

enum class TypeKind : uint8_t {
  Void,
  Bool,
  I32,
  U32,
  Int,
  F64,
  Str,
  Bytes,
  Array,
  Map,
  Record,
  Nullable
};

/// Types are uniqued by the Context: compare them by pointer.
class Type {
public:
  TypeKind Kind;
  Type *Elem = nullptr;       // Array: element type. Map: value type.
                              // Nullable: the record type.
  Type *Key = nullptr;        // Map: key type (Int or Str).
  RecordDecl *Rec = nullptr;  // Record.

  explicit Type(TypeKind K) : Kind(K) {}
  bool isNumeric() const {
    return Kind == TypeKind::I32 || Kind == TypeKind::U32 ||
           Kind == TypeKind::Int || Kind == TypeKind::F64;
  }
  bool isInteger() const {
    return Kind == TypeKind::I32 || Kind == TypeKind::U32 ||
           Kind == TypeKind::Int;
  }
  /// Heap types are shared by reference: str, bytes, arrays, maps, records
  /// and nullable records (the only references that may be null).
  bool isReference() const {
    return Kind == TypeKind::Str || Kind == TypeKind::Bytes ||
           Kind == TypeKind::Array || Kind == TypeKind::Map ||
           Kind == TypeKind::Record || Kind == TypeKind::Nullable;
  }
  bool isNullable() const { return Kind == TypeKind::Nullable; }
  /// Kernel-language spelling: i32, [f64], map[str]int, Body, ?Body.
  std::string str() const;
};

struct Field {
  std::string Name;
  Type *Ty = nullptr;
};

class RecordDecl {
public:
  std::string Name;
  std::vector<Field> Fields;
  SourceLoc Loc;
  /// Index of the field, or -1.
  int fieldIndex(llvm::StringRef FieldName) const;
};

/// A parameter or local variable. Locals are owned by their Function and
/// numbered densely from 0 (parameters first).
class Local {
public:
  unsigned Id = 0;
  std::string Name;
  Type *Ty = nullptr;
  bool Mutable = false;
  SourceLoc Loc;
};

class Node;
class Function;

struct Block {
  std::vector<Node *> Stmts;
};

class Node {
public:
  Op Opcode;
  Type *Ty;  // the value's type; Void for statements
  SourceLoc Loc;
  llvm::SmallVector<Node *, 3> Operands;
  llvm::SmallVector<Block *, 2> Regions;

  // Attributes; which one is meaningful depends on the op.
  int64_t IntVal = 0;   // constants (bool, i32, u32, int), field index
  double F64Val = 0;    // f64.const
  std::string StrVal;   // str.const
  Pred Predicate = Pred::Eq;
  Local *Var = nullptr;   // local.*, for.range, for.each, for.map key
  Local *Var2 = nullptr;  // for.map value
  Function *Callee = nullptr;

  Node(Op O, Type *T, SourceLoc L) : Opcode(O), Ty(T), Loc(L) {}
  Node *operand(unsigned I) const { return Operands[I]; }
};

class Function {
public:
  std::string Name;
  std::vector<Local *> Params;
  std::vector<std::unique_ptr<Local>> Locals;  // all locals, params first
  Type *RetTy = nullptr;  // Void when the function returns nothing
  Block *Body = nullptr;
  SourceLoc Loc;

  Local *addLocal(llvm::StringRef Name, Type *Ty, bool Mutable, SourceLoc L);
};

/// Owns every type, node and block of a module; no global state.
class Context {
public:
  Context();
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;

  Type *getVoid() { return VoidTy; }
  Type *getBool() { return BoolTy; }
  Type *getI32() { return I32Ty; }
  Type *getU32() { return U32Ty; }
  Type *getInt() { return IntTy; }
  Type *getF64() { return F64Ty; }
  Type *getStr() { return StrTy; }
  Type *getBytes() { return BytesTy; }
  Type *getArray(Type *Elem);
  Type *getMap(Type *Key, Type *Value);
  Type *getRecord(RecordDecl *R);
  /// ?R for a record type R.
  Type *getNullable(Type *Record);

  Node *create(Op O, Type *T, SourceLoc L,
               llvm::ArrayRef<Node *> Operands = {});
  Block *createBlock();

private:
  std::deque<Type> Types;
  std::deque<Node> Nodes;
  std::deque<Block> Blocks;
  std::map<std::tuple<TypeKind, Type *, Type *, RecordDecl *>, Type *> Uniq;
  Type *VoidTy, *BoolTy, *I32Ty, *U32Ty, *IntTy, *F64Ty, *StrTy, *BytesTy;
};

class Module {
public:
  explicit Module(std::string Name) : Name(std::move(Name)) {}
  std::string Name;  // usually the source file's name
  Context Ctx;
  std::vector<std::unique_ptr<RecordDecl>> Records;
  std::vector<std::unique_ptr<Function>> Functions;
  /// The `bench` section: entry kernel and workloads, when present.
  std::optional<bench::BenchSpec> Bench;

  Function *getFunction(llvm::StringRef Name) const;
  Function *getEntry() const;  // the bench entry, or nullptr
};

/// Prints the module in KIR's textual form (what `kernelc --emit=kir` shows).
void print(const Module &M, llvm::raw_ostream &OS);

/// The for.map loops of \p M during which a map.remove may run on a map of
/// the loop's type: in the loop's body, or in a function it calls at any
/// depth. Every other for.map sees no removal, so a back-end may iterate the
/// live map there (ForMap in Ops.def).
std::vector<const Node *> forMapsWithRemoval(const Module &M);

} // namespace kir
} // namespace kc

#endif
