//===- TypeSpec.cpp - Kernel type spellings of a runner job ---------------===//

#include "TypeSpec.h"
#include "RunnerError.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include <cassert>

using namespace llvm;
using namespace kc::cpython;

std::string TypeSpec::str() const {
  switch (K) {
  case Void:
    return "void";
  case Bool:
    return "bool";
  case I32:
    return "i32";
  case U32:
    return "u32";
  case Int:
    return "int";
  case F64:
    return "f64";
  case Str:
    return "str";
  case Bytes:
    return "bytes";
  case Array:
    return "[" + Elem->str() + "]";
  case Map:
    return "map[" + Key->str() + "]" + Elem->str();
  case Record:
    return Name;
  }
  llvm_unreachable("unknown type kind");
}

/// Recursive descent over one spelling; white space is allowed between
/// tokens, though jobs written by rtcompare have none.
class TypeTable::Parser {
public:
  Parser(TypeTable &T, StringRef Text) : T(T), Text(Text), Rest(Text) {}

  Expected<const TypeSpec *> parseAll() {
    skipSpace();
    if (Rest.empty())
      return T.intern(TypeSpec{});
    Expected<const TypeSpec *> Ty = parseType(/*Top=*/true);
    if (!Ty)
      return Ty.takeError();
    skipSpace();
    if (!Rest.empty())
      return error("unexpected '" + Rest + "'");
    return Ty;
  }

private:
  TypeTable &T;
  StringRef Text, Rest;

  Error error(const Twine &Why) {
    return makeError(RunnerError::BadJob,
                     "invalid type '" + Text + "': " + Why);
  }
  void skipSpace() { Rest = Rest.ltrim(); }
  bool consume(char C) {
    skipSpace();
    if (!Rest.starts_with(StringRef(&C, 1)))
      return false;
    Rest = Rest.drop_front();
    return true;
  }
  StringRef identifier() {
    skipSpace();
    size_t N = 0;
    while (N < Rest.size() && (isAlnum(Rest[N]) || Rest[N] == '_') &&
           !(N == 0 && isDigit(Rest[N])))
      ++N;
    StringRef Id = Rest.take_front(N);
    Rest = Rest.drop_front(N);
    return Id;
  }

  // type := 'bool' | 'i32' | 'u32' | 'int' | 'f64' | 'str' | 'bytes'
  //       | '[' type ']' | 'map' '[' type ']' type | IDENT
  Expected<const TypeSpec *> parseType(bool Top = false) {
    TypeSpec Ty;
    if (consume('[')) {
      Expected<const TypeSpec *> Elem = parseType();
      if (!Elem)
        return Elem.takeError();
      if (!consume(']'))
        return error("expected ']'");
      Ty.K = TypeSpec::Array;
      Ty.Elem = *Elem;
      return T.intern(std::move(Ty));
    }
    StringRef Id = identifier();
    if (Id.empty())
      return error(Rest.empty() ? Twine("expected a type")
                                : "unexpected '" + Rest + "'");
    Ty.K = StringSwitch<TypeSpec::Kind>(Id)
               .Case("void", TypeSpec::Void)
               .Case("bool", TypeSpec::Bool)
               .Case("i32", TypeSpec::I32)
               .Case("u32", TypeSpec::U32)
               .Case("int", TypeSpec::Int)
               .Case("f64", TypeSpec::F64)
               .Case("str", TypeSpec::Str)
               .Case("bytes", TypeSpec::Bytes)
               .Case("map", TypeSpec::Map)
               .Default(TypeSpec::Record);
    // A record may be named void (not a word of the kernel language).
    if (Ty.K == TypeSpec::Void && T.Records.count(Id.str()))
      Ty.K = TypeSpec::Record;
    if (Ty.K == TypeSpec::Map) {
      if (!consume('['))
        return error("expected '[' after 'map'");
      Expected<const TypeSpec *> Key = parseType();
      if (!Key)
        return Key.takeError();
      if ((*Key)->K != TypeSpec::Int && (*Key)->K != TypeSpec::Str)
        return error("map keys are int or str");
      if (!consume(']'))
        return error("expected ']'");
      Expected<const TypeSpec *> Value = parseType();
      if (!Value)
        return Value.takeError();
      Ty.Key = *Key;
      Ty.Elem = *Value;
    } else if (Ty.K == TypeSpec::Record) {
      if (!T.Records.count(Id.str()))
        return error("no record '" + Id + "' in the job's records");
      Ty.Name = Id.str();
    }
    if (Ty.K == TypeSpec::Void && !Top)
      return error("'void' is not a value type");
    return T.intern(std::move(Ty));
  }
};

const TypeSpec *TypeTable::intern(TypeSpec T) {
  std::string Key = T.str();
  auto &Slot = Interned[Key];
  if (!Slot)
    Slot = std::make_unique<TypeSpec>(std::move(T));
  return Slot.get();
}

Expected<std::unique_ptr<TypeTable>>
TypeTable::create(const RecordList &Records) {
  auto Table = std::make_unique<TypeTable>();
  // Names first, so that fields may refer to any record.
  for (const auto &R : Records) {
    if (R.first.empty() || isDigit(R.first[0]) ||
        !all_of(R.first, [](char C) { return isAlnum(C) || C == '_'; }))
      return makeError(RunnerError::BadJob,
                       "invalid record name '" + R.first + "'");
    Table->Records[R.first];
  }
  for (const auto &R : Records) {
    std::vector<FieldSpec> Fields;
    for (const auto &F : R.second) {
      Expected<const TypeSpec *> Ty = Table->parse(F.second);
      if (!Ty)
        return Ty.takeError();
      if ((*Ty)->K == TypeSpec::Void)
        return makeError(RunnerError::BadJob, "field '" + F.first +
                                                  "' of record '" + R.first +
                                                  "' has no type");
      Fields.push_back({F.first, *Ty});
    }
    Table->Records[R.first] = std::move(Fields);
  }
  return Table;
}

Expected<const TypeSpec *> TypeTable::parse(StringRef Spelling) {
  return Parser(*this, Spelling).parseAll();
}

const std::vector<FieldSpec> &TypeTable::fields(const TypeSpec &Record) const {
  assert(Record.K == TypeSpec::Record && "fields of a non-record");
  auto It = Records.find(Record.Name);
  assert(It != Records.end() && "records are checked when parsed");
  return It->second;
}
