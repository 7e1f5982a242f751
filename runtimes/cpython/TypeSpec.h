//===- TypeSpec.h - Kernel type spellings of a runner job -------*- C++ -*-===//
//
// A job names parameter and result types by their kernel-language spelling
// (`i32`, `[f64]`, `map[str]int`, a record name) and lists each record's
// fields. This is that grammar, parsed without the kernel's source:
//
//   type := 'bool' | 'i32' | 'u32' | 'int' | 'f64' | 'str' | 'bytes'
//         | '[' type ']' | 'map' '[' type ']' type | IDENT
//
// plus `void` (or an empty spelling) for a kernel without a result.
//
//===----------------------------------------------------------------------===//

#ifndef KC_RUNTIMES_CPYTHON_TYPESPEC_H
#define KC_RUNTIMES_CPYTHON_TYPESPEC_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kc {
namespace cpython {

class TypeTable;

struct TypeSpec {
  enum Kind : uint8_t {
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
    Record
  };
  Kind K = Void;
  const TypeSpec *Elem = nullptr; // Array: the element; Map: the value
  const TypeSpec *Key = nullptr;  // Map: the key (int or str)
  std::string Name;               // Record: its name

  bool isInteger() const { return K == I32 || K == U32 || K == Int; }
  /// The spelling, as a job writes it.
  std::string str() const;
};

struct FieldSpec {
  std::string Name;
  const TypeSpec *Ty = nullptr;
};

/// Owns the types of one job. Types are interned: one object per spelling.
class TypeTable {
public:
  using RecordList =
      std::map<std::string, std::vector<std::pair<std::string, std::string>>>;

  /// Declares the job's records (name -> (field, type spelling) in
  /// declaration order). Field types may name any of the records.
  static llvm::Expected<std::unique_ptr<TypeTable>>
  create(const RecordList &Records);

  /// Parses one spelling; record names must be declared.
  llvm::Expected<const TypeSpec *> parse(llvm::StringRef Spelling);

  /// The fields of a declared record, in declaration order.
  const std::vector<FieldSpec> &fields(const TypeSpec &Record) const;

private:
  class Parser;
  const TypeSpec *intern(TypeSpec T);

  std::map<std::string, std::unique_ptr<TypeSpec>> Interned; // by spelling
  std::map<std::string, std::vector<FieldSpec>> Records;
};

} // namespace cpython
} // namespace kc

#endif
