//===- Marshal.cpp - Generated inputs into kcrt values, results into text -===//
//
// Arguments are converted strictly: a value the kernel's other runtimes
// would see as a different type (an int for an f64, a float array for
// [int]) is refused rather than converted, so every runtime computes on the
// same values.
//
//===----------------------------------------------------------------------===//

#include "Marshal.h"

#include "kcrt.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstring>

using namespace llvm;

namespace kc {
namespace native {

using kir::Type;
using kir::TypeKind;

uint64_t cSizeOf(const Type *Ty) {
  switch (Ty->Kind) {
  case TypeKind::Void:
    return 0;
  case TypeKind::Bool:
    return 1;
  case TypeKind::I32:
  case TypeKind::U32:
    return 4;
  case TypeKind::Int:
  case TypeKind::F64:
  case TypeKind::Str:
  case TypeKind::Bytes:
  case TypeKind::Array:
  case TypeKind::Map:
  case TypeKind::Record:
  case TypeKind::Nullable:
    return 8;
  }
  llvm_unreachable("unknown type kind");
}

uint64_t cAlignOf(const Type *Ty) {
  uint64_t Size = cSizeOf(Ty);
  return Size ? Size : 1;
}

RecordLayout layoutRecord(const kir::RecordDecl &R) {
  RecordLayout L;
  uint64_t Offset = 0;
  for (const kir::Field &F : R.Fields) {
    uint64_t Align = cAlignOf(F.Ty);
    Offset = alignTo(Offset, Align);
    L.Offsets.push_back(Offset);
    Offset += cSizeOf(F.Ty);
    L.Align = std::max(L.Align, Align);
  }
  L.Size = alignTo(Offset, L.Align);
  return L;
}

//===----------------------------------------------------------------------===//
// Arguments
//===----------------------------------------------------------------------===//

namespace {

constexpr int64_t SafeIntMax = int64_t(1) << 53;


Error argError(unsigned I, const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(),
                           "argument " + Twine(I) + ": " + Msg);
}

// The range of an integer kernel type, or false when Ty is not one.
bool integerRange(const Type *Ty, int64_t &Min, int64_t &Max) {
  switch (Ty->Kind) {
  case TypeKind::I32:
    Min = INT32_MIN;
    Max = INT32_MAX;
    return true;
  case TypeKind::U32:
    Min = 0;
    Max = UINT32_MAX;
    return true;
  case TypeKind::Int:
    Min = -SafeIntMax;
    Max = SafeIntMax;
    return true;
  default:
    return false;
  }
}

// Stores an in-range integer with the C type of Ty at P.
void storeInteger(const Type *Ty, int64_t V, void *P) {
  switch (Ty->Kind) {
  case TypeKind::I32: {
    int32_t X = int32_t(V);
    std::memcpy(P, &X, 4);
    return;
  }
  case TypeKind::U32: {
    uint32_t X = uint32_t(V);
    std::memcpy(P, &X, 4);
    return;
  }
  default:
    std::memcpy(P, &V, 8);
    return;
  }
}

// kcrt traps (out of memory) unwind to a kc_invoke; allocations run inside
// one so a huge input becomes an error instead of killing the runner. Only
// plain data lives in this frame, so the longjmp skips no destructor.
struct AllocRequest {
  int64_t Len;
  int64_t ElemSize; // 0: a kc_str of Len bytes
  void *Result;
};

void allocEntry(void **Args, void *) {
  auto *Req = static_cast<AllocRequest *>(Args[0]);
  if (Req->ElemSize == 0)
    Req->Result = kc_str_new(Req->Len);
  else
    Req->Result = kc_array_new(Req->Len, Req->ElemSize, 0);
}

Expected<void *> allocate(unsigned ArgIndex, int64_t Len, int64_t ElemSize) {
  AllocRequest Req{Len, ElemSize, nullptr};
  void *Args[] = {&Req};
  int32_t Line = 0;
  if (int32_t Trap = kc_invoke(allocEntry, Args, nullptr, &Line))
    return argError(ArgIndex, Twine("cannot allocate ") + Twine(Len) +
                                  " elements: " + kc_trap_message(Trap - 1));
  return Req.Result;
}

Expected<kc_str *> makeStr(unsigned ArgIndex, StringRef Data) {
  Expected<void *> Mem = allocate(ArgIndex, int64_t(Data.size()), 0);
  if (!Mem)
    return Mem.takeError();
  kc_str *S = static_cast<kc_str *>(*Mem);
  // A fresh string's bytes are its creator's to fill (kcrt.h).
  if (!Data.empty())
    std::memcpy(const_cast<char *>(S->data), Data.data(), Data.size());
  return S;
}

Error convert(unsigned I, const Type *Ty, const bench::Value &V, void *Slot) {
  auto Mismatch = [&] {
    return argError(I, "cannot pass " + bench::valueKindName(V) + " as " + Ty->str());
  };
  switch (V.K) {
  case bench::Value::Int: {
    int64_t Min, Max;
    if (!integerRange(Ty, Min, Max))
      return Mismatch();
    if (V.I < Min || V.I > Max)
      return argError(I,
                      "value " + Twine(V.I) + " out of range for " + Ty->str());
    storeInteger(Ty, V.I, Slot);
    return Error::success();
  }
  case bench::Value::F64:
    if (Ty->Kind != TypeKind::F64)
      return Mismatch();
    std::memcpy(Slot, &V.F, 8);
    return Error::success();
  case bench::Value::Bool: {
    if (Ty->Kind != TypeKind::Bool)
      return Mismatch();
    bool B = V.I != 0;
    std::memcpy(Slot, &B, 1);
    return Error::success();
  }
  case bench::Value::Bytes:
  case bench::Value::Str: {
    TypeKind Want = V.K == bench::Value::Str ? TypeKind::Str : TypeKind::Bytes;
    if (Ty->Kind != Want)
      return Mismatch();
    if (Want == TypeKind::Str &&
        !llvm::all_of(V.Data, [](char C) { return (unsigned char)C < 128; }))
      return argError(I, "str value is not ASCII");
    Expected<kc_str *> S = makeStr(I, V.Data);
    if (!S)
      return S.takeError();
    std::memcpy(Slot, &*S, 8);
    return Error::success();
  }
  case bench::Value::IntArray: {
    int64_t Min, Max;
    if (Ty->Kind != TypeKind::Array || !integerRange(Ty->Elem, Min, Max))
      return Mismatch();
    for (size_t J = 0; J < V.Ints.size(); ++J)
      if (V.Ints[J] < Min || V.Ints[J] > Max)
        return argError(I, "element " + Twine(J) + " (" + Twine(V.Ints[J]) +
                               ") out of range for " + Ty->str());
    int64_t ElemSize = int64_t(cSizeOf(Ty->Elem));
    Expected<void *> Mem = allocate(I, int64_t(V.Ints.size()), ElemSize);
    if (!Mem)
      return Mem.takeError();
    auto *A = static_cast<kc_array *>(*Mem);
    char *Data = static_cast<char *>(A->data);
    if (ElemSize == 8) {
      if (!V.Ints.empty())
        std::memcpy(Data, V.Ints.data(), V.Ints.size() * 8);
    } else {
      for (size_t J = 0; J < V.Ints.size(); ++J)
        storeInteger(Ty->Elem, V.Ints[J], Data + J * size_t(ElemSize));
    }
    std::memcpy(Slot, &A, 8);
    return Error::success();
  }
  case bench::Value::F64Array: {
    if (Ty->Kind != TypeKind::Array || Ty->Elem->Kind != TypeKind::F64)
      return Mismatch();
    Expected<void *> Mem = allocate(I, int64_t(V.Floats.size()), 8);
    if (!Mem)
      return Mem.takeError();
    auto *A = static_cast<kc_array *>(*Mem);
    if (!V.Floats.empty())
      std::memcpy(A->data, V.Floats.data(), V.Floats.size() * 8);
    std::memcpy(Slot, &A, 8);
    return Error::success();
  }
  }
  return Mismatch();
}

} // namespace

Expected<ArgumentPack> ArgumentPack::build(ArrayRef<const Type *> ParamTypes,
                                           ArrayRef<bench::Value> Values) {
  if (ParamTypes.size() != Values.size())
    return createStringError(inconvertibleErrorCode(),
                             "the entry takes " + Twine(ParamTypes.size()) +
                                 " argument(s) but the workload gives " +
                                 Twine(Values.size()));
  ArgumentPack P;
  P.Slots.assign(ParamTypes.size(), 0);
  for (unsigned I = 0; I < ParamTypes.size(); ++I)
    if (Error E = convert(I, ParamTypes[I], Values[I], &P.Slots[I]))
      return E;
  return P;
}

Expected<ArgumentPack> ArgumentPack::build(const kir::Function &F,
                                           ArrayRef<bench::Value> Values) {
  std::vector<const Type *> Types;
  for (const kir::Local *L : F.Params)
    Types.push_back(L->Ty);
  return build(Types, Values);
}

void **ArgumentPack::pointers() {
  // Rebuilt on demand: a moved pack keeps its slot buffer, but recomputing
  // makes the pointers right whatever happened to the object.
  Pointers.resize(Slots.size());
  for (size_t I = 0; I < Slots.size(); ++I)
    Pointers[I] = &Slots[I];
  return Pointers.data();
}

//===----------------------------------------------------------------------===//
// Results
//===----------------------------------------------------------------------===//

namespace {

template <typename T> T load(const void *P) {
  T V;
  std::memcpy(&V, P, sizeof(T));
  return V;
}

void formatDouble(double D, raw_ostream &OS) {
  // printf spells these "-nan", "inf"...; the canonical text has no sign on
  // NaN so that every runtime can produce it.
  if (std::isnan(D)) {
    OS << "nan";
    return;
  }
  if (std::isinf(D)) {
    OS << (D < 0 ? "-inf" : "inf");
    return;
  }
  char Buf[32];
  std::snprintf(Buf, sizeof(Buf), "%.17g", D);
  OS << Buf;
}

void formatBytes(const kc_str *S, raw_ostream &OS) {
  for (int64_t I = 0; I < S->len; ++I) {
    unsigned char C = (unsigned char)S->data[I];
    OS << hexdigit(C >> 4, /*LowerCase=*/true)
       << hexdigit(C & 15, /*LowerCase=*/true);
  }
}

/// The canonical text of docs/runner-protocol.md: f64 as its bits, strings
/// JSON-escaped, no white space. Every runner prints exactly this.
void formatCanonicalDouble(double D, raw_ostream &OS) {
  uint64_t Bits = std::isnan(D) ? 0x7ff8000000000000ull : load<uint64_t>(&D);
  OS << "f64:" << format_hex_no_prefix(Bits, 16, /*Upper=*/false);
}

void formatCanonicalString(const kc_str *S, raw_ostream &OS) {
  OS << '"';
  for (int64_t I = 0; I < S->len; ++I) {
    unsigned char C = (unsigned char)S->data[I];
    if (C == '"' || C == '\\')
      OS << '\\' << C;
    else if (C < 0x20)
      OS << "\\u00" << hexdigit(C >> 4, true) << hexdigit(C & 15, true);
    else
      OS << C;
  }
  OS << '"';
}

void formatValue(const Type *Ty, const void *P, raw_ostream &OS,
                 bool Canonical) {
  const char *Sep = Canonical ? "," : ", ";
  switch (Ty->Kind) {
  case TypeKind::Void:
    return;
  case TypeKind::Bool:
    OS << (load<uint8_t>(P) ? "true" : "false");
    return;
  case TypeKind::I32:
    OS << load<int32_t>(P);
    return;
  case TypeKind::U32:
    OS << load<uint32_t>(P);
    return;
  case TypeKind::Int:
    OS << load<int64_t>(P);
    return;
  case TypeKind::F64:
    if (Canonical)
      formatCanonicalDouble(load<double>(P), OS);
    else
      formatDouble(load<double>(P), OS);
    return;
  case TypeKind::Str:
  case TypeKind::Bytes:
  case TypeKind::Array:
  case TypeKind::Map:
  case TypeKind::Record:
  case TypeKind::Nullable:
    break;
  }
  // Reference types: P holds a pointer, null only for a ?R (entry kernels
  // cannot return one), but a runtime bug must print something rather than
  // crash the runner.
  const void *Obj = load<const void *>(P);
  if (!Obj) {
    OS << "null";
    return;
  }
  switch (Ty->Kind) {
  case TypeKind::Str: {
    auto *S = static_cast<const kc_str *>(Obj);
    if (Canonical)
      formatCanonicalString(S, OS);
    else
      OS.write(S->data, size_t(S->len));
    return;
  }
  case TypeKind::Bytes:
    if (Canonical)
      OS << "b\"";
    formatBytes(static_cast<const kc_str *>(Obj), OS);
    if (Canonical)
      OS << '"';
    return;
  case TypeKind::Array: {
    auto *A = static_cast<const kc_array *>(Obj);
    uint64_t ElemSize = cSizeOf(Ty->Elem);
    const char *Data = static_cast<const char *>(A->data);
    OS << '[';
    for (int64_t I = 0; I < A->len; ++I) {
      if (I)
        OS << Sep;
      formatValue(Ty->Elem, Data + uint64_t(I) * ElemSize, OS, Canonical);
    }
    OS << ']';
    return;
  }
  case TypeKind::Nullable:
    formatValue(Ty->Elem, P, OS, Canonical);
    return;
  case TypeKind::Map: {
    // Holes that removals left go first: the *_at functions index entries.
    kc_map_pack(static_cast<kc_map *>(const_cast<void *>(Obj)));
    auto *M = static_cast<const kc_map *>(Obj);
    bool StrKeys = Ty->Key->Kind == TypeKind::Str;
    OS << '{';
    for (int64_t I = 0, E = kc_map_len(M); I < E; ++I) {
      if (I)
        OS << Sep;
      if (StrKeys) {
        const kc_str *K = kc_map_key_str_at(M, I);
        if (Canonical) {
          formatCanonicalString(K, OS);
        } else {
          OS << '"';
          OS.write(K->data, size_t(K->len));
          OS << '"';
        }
      } else {
        OS << kc_map_key_int_at(M, I);
      }
      OS << (Canonical ? ":" : ": ");
      // A value slot holds the value's C representation in its low bytes
      // (little-endian), which is exactly what formatValue reads.
      uint64_t Slot = kc_map_value_at(M, I);
      formatValue(Ty->Elem, &Slot, OS, Canonical);
    }
    OS << '}';
    return;
  }
  case TypeKind::Record: {
    const kir::RecordDecl &R = *Ty->Rec;
    RecordLayout L = layoutRecord(R);
    const char *Base = static_cast<const char *>(Obj);
    OS << R.Name << '{';
    for (size_t I = 0; I < R.Fields.size(); ++I) {
      if (I)
        OS << Sep;
      OS << R.Fields[I].Name << (Canonical ? "=" : ": ");
      formatValue(R.Fields[I].Ty, Base + L.Offsets[I], OS, Canonical);
    }
    OS << '}';
    return;
  }
  default:
    llvm_unreachable("scalar types handled above");
  }
}

/// Whether a reference value reaches an object on \p Path (the objects
/// being visited above it).
bool reachesPath(const Type *Ty, const void *P,
                 llvm::SmallPtrSetImpl<const void *> &Path) {
  if (Ty->Kind != TypeKind::Array && Ty->Kind != TypeKind::Map &&
      Ty->Kind != TypeKind::Record && Ty->Kind != TypeKind::Nullable)
    return false;
  const void *Obj = load<const void *>(P);
  if (!Obj)
    return false;
  if (Ty->Kind == TypeKind::Nullable)
    return reachesPath(Ty->Elem, P, Path);
  if (!Path.insert(Obj).second)
    return true;
  bool Found = false;
  switch (Ty->Kind) {
  case TypeKind::Array: {
    auto *A = static_cast<const kc_array *>(Obj);
    uint64_t ElemSize = cSizeOf(Ty->Elem);
    const char *Data = static_cast<const char *>(A->data);
    for (int64_t I = 0; I < A->len && !Found; ++I)
      Found = reachesPath(Ty->Elem, Data + uint64_t(I) * ElemSize, Path);
    break;
  }
  case TypeKind::Map: {
    kc_map_pack(static_cast<kc_map *>(const_cast<void *>(Obj)));
    auto *M = static_cast<const kc_map *>(Obj);
    for (int64_t I = 0, E = kc_map_len(M); I < E && !Found; ++I) {
      uint64_t Slot = kc_map_value_at(M, I);
      Found = reachesPath(Ty->Elem, &Slot, Path);
    }
    break;
  }
  default: {
    const kir::RecordDecl &R = *Ty->Rec;
    RecordLayout L = layoutRecord(R);
    const char *Base = static_cast<const char *>(Obj);
    for (size_t I = 0; I < R.Fields.size() && !Found; ++I)
      Found = reachesPath(R.Fields[I].Ty, Base + L.Offsets[I], Path);
    break;
  }
  }
  Path.erase(Obj);
  return Found;
}

} // namespace

Error checkAcyclic(const Type *Ty, const void *Ret) {
  llvm::SmallPtrSet<const void *, 16> Path;
  if (reachesPath(Ty, Ret, Path))
    return createStringError(inconvertibleErrorCode(),
                             "the result contains itself: it has no "
                             "canonical text");
  return Error::success();
}

void formatResult(const Type *Ty, const void *Ret, raw_ostream &OS) {
  formatValue(Ty, Ret, OS, /*Canonical=*/false);
}

void formatCanonical(const Type *Ty, const void *Ret, raw_ostream &OS) {
  formatValue(Ty, Ret, OS, /*Canonical=*/true);
}

std::string formatResult(const Type *Ty, const void *Ret) {
  std::string S;
  raw_string_ostream OS(S);
  formatValue(Ty, Ret, OS, /*Canonical=*/false);
  OS.flush();
  return S;
}

} // namespace native
} // namespace kc

//===----------------------------------------------------------------------===//
// Types by spelling
//===----------------------------------------------------------------------===//

namespace kc {
namespace native {

static Error typeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

Error TypeTable::addRecords(
    const std::map<std::string,
                   std::vector<std::pair<std::string, std::string>>> &Decls) {
  // Declare every name first: fields may refer to records declared later.
  size_t First = Records.size();
  for (const auto &D : Decls) {
    auto R = std::make_unique<kir::RecordDecl>();
    R->Name = D.first;
    Records.push_back(std::move(R));
  }
  size_t I = First;
  for (const auto &D : Decls) {
    kir::RecordDecl &R = *Records[I++];
    for (const auto &F : D.second) {
      Expected<Type *> T = get(F.second);
      if (!T)
        return T.takeError();
      R.Fields.push_back({F.first, *T});
    }
  }
  return Error::success();
}

Expected<Type *> TypeTable::get(StringRef Spelling) {
  StringRef S = Spelling.trim();
  Expected<Type *> T = parse(S);
  if (!T)
    return T.takeError();
  if (!S.trim().empty())
    return typeError("unexpected '" + S + "' in type '" + Spelling + "'");
  return T;
}

// type := name | '[' type ']' | 'map' '[' type ']' type
Expected<Type *> TypeTable::parse(StringRef &S) {
  S = S.ltrim();
  if (S.consume_front("[")) {
    Expected<Type *> Elem = parse(S);
    if (!Elem)
      return Elem.takeError();
    S = S.ltrim();
    if (!S.consume_front("]"))
      return typeError("missing ']' in array type");
    return Ctx.getArray(*Elem);
  }
  if (S.consume_front("map[")) {
    Expected<Type *> Key = parse(S);
    if (!Key)
      return Key.takeError();
    S = S.ltrim();
    if (!S.consume_front("]"))
      return typeError("missing ']' in map type");
    Expected<Type *> Value = parse(S);
    if (!Value)
      return Value.takeError();
    if ((*Key)->Kind != TypeKind::Int && (*Key)->Kind != TypeKind::Str)
      return typeError("map keys must be int or str");
    return Ctx.getMap(*Key, *Value);
  }
  size_t Len = 0;
  while (Len < S.size() && (isAlnum(S[Len]) || S[Len] == '_'))
    ++Len;
  StringRef Name = S.take_front(Len);
  S = S.drop_front(Len);
  if (Name.empty())
    return typeError("expected a type");
  // A record may be named void (not a word of the kernel language).
  for (const auto &R : Records)
    if (R->Name == Name)
      return Ctx.getRecord(R.get());
  if (Name == "void") return Ctx.getVoid();
  if (Name == "bool") return Ctx.getBool();
  if (Name == "i32") return Ctx.getI32();
  if (Name == "u32") return Ctx.getU32();
  if (Name == "int") return Ctx.getInt();
  if (Name == "f64") return Ctx.getF64();
  if (Name == "str") return Ctx.getStr();
  if (Name == "bytes") return Ctx.getBytes();
  return typeError("unknown type '" + Name + "'");
}

} // namespace native
} // namespace kc
