//===- JSNames.cpp - JS identifiers for kernel names ----------------------===//

#include "JSNames.h"
#include <algorithm>
#include <cassert>
#include <iterator>

using namespace llvm;

namespace kc {
namespace jsgen {

// Sorted, for binary search.
static const char *const Reserved[] = {
    "Array",      "BigInt",     "Boolean",     "Error",      "Float64Array",
    "Infinity",   "Int32Array", "JSON",        "KernelTrap", "Map",
    "Math",       "NaN",        "Number",      "Object",     "RangeError",
    "String",     "Symbol",     "Uint32Array", "Uint8Array", "arguments",
    "await",      "break",      "case",        "catch",      "class",
    "const",      "continue",   "debugger",    "default",    "delete",
    "do",         "else",       "enum",        "eval",       "export",
    "extends",    "false",      "finally",     "for",        "function",
    "globalThis", "if",         "implements",  "import",     "in",
    "instanceof", "interface",  "let",         "new",        "null",
    "package",    "private",    "protected",   "public",     "return",
    "static",     "super",      "switch",      "this",       "throw",
    "true",       "try",        "typeof",      "undefined",  "var",
    "void",       "while",      "with",        "yield",
};

bool isReservedName(StringRef Name) {
  assert(std::is_sorted(std::begin(Reserved), std::end(Reserved),
                        [](const char *A, const char *B) {
                          return StringRef(A) < StringRef(B);
                        }) &&
         "reserved names must stay sorted");
  return std::binary_search(std::begin(Reserved), std::end(Reserved), Name,
                            [](StringRef A, StringRef B) { return A < B; });
}

std::string sanitizeName(StringRef Name) {
  if (isReservedName(Name))
    return Name.str() + "_";
  return Name.str();
}

ScopeNamer::ScopeNamer(const StringSet<> &Taken) : Taken(Taken) {
  Scopes.push_back({-1});
  Open.push_back(0);
}

void ScopeNamer::openScope() {
  Scopes.push_back({static_cast<int>(Open.back())});
  Open.push_back(Scopes.size() - 1);
}

void ScopeNamer::closeScope() {
  assert(Open.size() > 1 && "closing the function scope");
  Open.pop_back();
}

unsigned ScopeNamer::declare(ArrayRef<std::string> Candidates, bool Hidden) {
  assert(!Candidates.empty() && "an entity needs a name");
  Entity E;
  // A module-level name is avoided the way a reserved word is: name_.
  for (const std::string &C : Candidates) {
    std::string N = sanitizeName(C);
    while (Taken.contains(N))
      N += "_";
    E.Candidates.push_back(N);
  }
  E.Scope = Open.back();
  E.Hidden = Hidden;
  Entities.push_back(std::move(E));
  return Entities.size() - 1;
}

void ScopeNamer::use(unsigned Id) {
  Entities[Id].UseScopes.push_back(Open.back());
}

bool ScopeNamer::within(unsigned Inner, unsigned Outer) const {
  for (int S = Inner; S >= 0; S = Scopes[S].Parent)
    if (static_cast<unsigned>(S) == Outer)
      return true;
  return false;
}

bool ScopeNamer::conflicts(const std::string &Candidate, unsigned Id) const {
  if (Taken.contains(Candidate) || isReservedName(Candidate))
    return true;
  const Entity &E = Entities[Id];
  for (unsigned Other = 0; Other < Entities.size(); ++Other) {
    const Entity &O = Entities[Other];
    if (Other == Id || O.Name != Candidate)
      continue; // (entities not named yet have an empty name)
    if (O.Scope == E.Scope)
      return true; // a redeclaration in one block
    if (within(E.Scope, O.Scope)) {
      // O is visible where E is declared: E would shadow it in E's whole
      // block (the temporal dead zone included), which is wrong if O is
      // still used there. Our own names never shadow anything, and nothing
      // shadows them.
      if (O.Hidden || E.Hidden)
        return true;
      for (unsigned U : O.UseScopes)
        if (within(U, E.Scope))
          return true;
      continue;
    }
    // O is declared inside E's block. Kernel names are named in program
    // order, so O comes first and E is never used in O's block; but a
    // loop index of ours (named after all kernel names) is not shadowed.
    if (E.Hidden && within(O.Scope, E.Scope))
      return true;
  }
  return false;
}

void ScopeNamer::assign() {
  // Kernel names first, in program order, then the back-end's own names,
  // which give way to the kernel's.
  for (bool Hidden : {false, true})
    for (unsigned Id = 0; Id < Entities.size(); ++Id) {
      Entity &E = Entities[Id];
      if (E.Hidden != Hidden)
        continue;
      std::string Chosen;
      for (const std::string &C : E.Candidates)
        if (!conflicts(C, Id)) {
          Chosen = C;
          break;
        }
      for (unsigned N = 2; Chosen.empty(); ++N) {
        std::string C = E.Candidates.front() + "_" + std::to_string(N);
        if (!conflicts(C, Id))
          Chosen = C;
      }
      E.Name = Chosen;
      InUse.insert(Chosen);
    }
}

} // namespace jsgen
} // namespace kc
