//===- JSBackend.cpp - KIR to one idiomatic ES module ---------------------===//
//
// The module is, in order: the KernelTrap class, the helpers the functions
// use (checked-mode arithmetic, parse_int, replace), one class per record, one
// function per kernel function. The bench entry is the named export (every
// function is exported when there is none). Function bodies are emitted by
// JSFunction.cpp; README.md explains the choices.
//
//===----------------------------------------------------------------------===//

#include "Target/JS/JSBackend.h"
#include "JSFunction.h"
#include "JSNames.h"
#include "ir/IR.h"
#include "ir/Verifier.h"
#include "runtimes/native/kcrt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace kc {
namespace jsgen {

namespace {

const char *const KernelTrapClass = R"(export class KernelTrap extends Error {
  constructor(kind, line) {
    super(`${kind} at line ${line}`);
    this.name = "KernelTrap";
    this.kind = kind;
    this.line = line;
  }
}
)";

// Checked mode. For operands within +-2^53, the double a + b, a - b or
// a * b is the exact result unless its magnitude reaches 2^53; exactly 2^53
// is also what the odd 2^53 + 1 rounds to (ties to even), so there the
// operands' parity decides. The native back-end checks the exact i64 value
// with LLVM's overflow intrinsics: both trap on exactly the same operands.
const char *const CheckedAddHelper = R"(function checkedAdd(a, b, line) {
  const r = a + b;
  if (Math.abs(r) >= 9007199254740992 && (Math.abs(r) > 9007199254740992 || ((a ^ b) & 1) !== 0)) {
    throw new KernelTrap("%s", line);
  }
  return r;
}
)";

const char *const CheckedSubHelper = R"(function checkedSub(a, b, line) {
  const r = a - b;
  if (Math.abs(r) >= 9007199254740992 && (Math.abs(r) > 9007199254740992 || ((a ^ b) & 1) !== 0)) {
    throw new KernelTrap("%s", line);
  }
  return r;
}
)";

const char *const CheckedMulHelper = R"(function checkedMul(a, b, line) {
  const r = a * b;
  if (Math.abs(r) >= 9007199254740992 && (Math.abs(r) > 9007199254740992 || (a & b & 1) !== 0)) {
    throw new KernelTrap("%s", line);
  }
  return r;
}
)";

const char *const CheckedIntHelper = R"(function checkedInt(v, line) {
  if (Math.abs(v) > 9007199254740992) {
    throw new KernelTrap("%s", line);
  }
  return v;
}
)";

const char *const ParseIntHelper =
    R"(// [-]digits within +-2^53. Number() rounds, and the one text outside the
// range that rounds into it is 2^53 + 1, whose last digit is odd.
const INTEGER_TEXT = /^-?[0-9]+$/;

function parseInteger(text, line) {
  // Up to 15 digits the value is below 2^53, so a digit loop is exact; it
  // is the common case (fields, headers) and several times cheaper than a
  // RegExp test plus Number().
  const length = text.length;
  if (length > 0 && length <= 15) {
    const negative = text.charCodeAt(0) === 45;
    let i = negative ? 1 : 0;
    let value = 0;
    for (; i < length; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9)
        break;
      value = value * 10 + digit;
    }
    if (i === length && length > (negative ? 1 : 0))
      return negative && value !== 0 ? -value : value;
  }
  if (INTEGER_TEXT.test(text)) {
    const n = Math.abs(Number(text));
    if (n < 9007199254740992 || (n === 9007199254740992 && (text.charCodeAt(text.length - 1) & 1) === 0)) {
      return Number(text) + 0; // "-0" is 0
    }
  }
  throw new KernelTrap("%s", line);
}
)";

// s.replaceAll(old, rep) would read $&, $1, $$ in rep as patterns. An
// indexOf loop is exact, and measured faster than split(old).join(rep) and
// than replaceAll with a replacer function: it also returns s itself, after
// one search, when old is absent. old is never empty (checked before).
const char *const ReplaceHelper = R"(function replaceText(s, old, rep) {
  let i = s.indexOf(old);
  if (i < 0) {
    return s;
  }
  const n = old.length;
  let out = "";
  let p = 0;
  do {
    out += s.slice(p, i) + rep;
    p = i + n;
    i = s.indexOf(old, p);
  } while (i >= 0);
  return out + s.slice(p);
}
)";

const char *const StringFromCodesHelper =
    R"(// str_from_codes. Every code is checked before the text is built; the
// codes are fromCharCode's arguments, which the stack limits: slices of 8192.
function stringFromCodes(codes, line) {
  const n = codes.length;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (c < 0 || c > 127) throw new KernelTrap("%s", line);
  }
  if (n <= 8192) return String.fromCharCode.apply(null, codes);
  const parts = [];
  for (let i = 0; i < n; i += 8192) {
    parts.push(String.fromCharCode.apply(null, codes.slice(i, i + 8192)));
  }
  return parts.join("");
}
)";

// b.u32le(i). A small function, which V8 inlines: written in place, the
// loads made murmur3's hash function too big to be inlined into its
// caller's loop (measured 1.7x slower). Reading first lets V8's own bounds
// checks stand for ours: a read outside the array is undefined, and b[i]
// and b[i + 3] both defined mean 0 <= i and i + 4 <= b.length.
const char *const LoadU32leHelper = R"(function loadU32le(b, i, line) {
  const lo = b[i];
  const hi = b[i + 3];
  if (lo === undefined || hi === undefined) throw new KernelTrap("%s", line);
  return lo | (b[i + 1] << 8) | (b[i + 2] << 16) | (hi << 24);
}
)";

/// Prints a helper's text with its trap message.
void printHelper(raw_ostream &OS, StringRef Text, StringRef Message) {
  size_t At = Text.find("%s");
  if (At == StringRef::npos) {
    OS << Text; // a helper that never traps
    return;
  }
  OS << Text.substr(0, At) << Message << Text.substr(At + 2);
}

void printClass(raw_ostream &OS, const kir::RecordDecl &R, StringRef Name) {
  OS << "class " << Name << " {\n";
  if (!R.Fields.empty()) {
    // The constructor takes the fields in declaration order; every instance
    // gets them in that order, so all share one hidden class.
    std::vector<std::string> Params;
    StringSet<> Used;
    for (const kir::Field &Fld : R.Fields) {
      std::string P = sanitizeName(Fld.Name);
      while (!Used.insert(P).second)
        P += "_";
      Params.push_back(P);
    }
    OS << "  constructor(";
    for (size_t I = 0; I < Params.size(); ++I)
      OS << (I ? ", " : "") << Params[I];
    OS << ") {\n";
    for (size_t I = 0; I < Params.size(); ++I) {
      // Every object inherits __proto__ as the accessor of its prototype:
      // `this.__proto__ = v` would set the prototype. An own data property
      // shadows the accessor for every later read and write.
      if (R.Fields[I].Name == "__proto__")
        OS << "    Object.defineProperty(this, \"__proto__\", { value: "
           << Params[I]
           << ", writable: true, enumerable: true, configurable: true });\n";
      else
        OS << "    this." << R.Fields[I].Name << " = " << Params[I] << ";\n";
    }
    OS << "  }\n";
  }
  OS << "}\n";
}

} // namespace

Error emitModule(const kir::Module &M, raw_ostream &Out, const JSOptions &Opts,
                 std::vector<unsigned> *KernelLines) {
  if (Error E = kir::verify(M))
    return E;
  // Built in a string first, whose lines the kernel line table counts.
  std::string Text;
  raw_string_ostream OS(Text);
  ModuleContext MC(M, Opts);

  // Module-level names: the helpers' first, then records and functions in
  // declaration order, each kept unless reserved or taken.
  for (const char *H : {"checkedAdd", "checkedSub", "checkedMul", "checkedInt",
                        "parseInteger", "INTEGER_TEXT", "replaceText",
                        "stringFromCodes", "loadU32le"})
    MC.ModuleNames.insert(H);
  auto Unique = [&](StringRef Name) {
    std::string N = sanitizeName(Name);
    while (MC.ModuleNames.contains(N) || isReservedName(N))
      N += "_";
    MC.ModuleNames.insert(N);
    return N;
  };
  for (const auto &R : M.Records)
    MC.ClassNames[R.get()] = Unique(R->Name);
  for (const auto &F : M.Functions)
    MC.FunctionNames[F.get()] = Unique(F->Name);

  std::vector<std::string> Bodies;
  std::vector<std::vector<unsigned>> BodyLines(M.Functions.size());
  for (size_t I = 0; I < M.Functions.size(); ++I)
    Bodies.push_back(emitFunction(MC, *M.Functions[I],
                                  KernelLines ? &BodyLines[I] : nullptr));

  OS << "// " << M.Name << ", compiled by kernelc --emit=js"
     << (Opts.Checked ? " --checked" : "") << ".\n\n";
  OS << KernelTrapClass;
  struct {
    unsigned Bit;
    const char *Text;
    int Trap;
  } const Helpers[] = {
      {HelperCheckedAdd, CheckedAddHelper, KC_TRAP_UNSAFE_INT},
      {HelperCheckedSub, CheckedSubHelper, KC_TRAP_UNSAFE_INT},
      {HelperCheckedMul, CheckedMulHelper, KC_TRAP_UNSAFE_INT},
      {HelperCheckedInt, CheckedIntHelper, KC_TRAP_UNSAFE_INT},
      {HelperParseInt, ParseIntHelper, KC_TRAP_PARSE_INT},
      {HelperReplace, ReplaceHelper, -1},
      {HelperStringFromCodes, StringFromCodesHelper, KC_TRAP_CHAR_CODE},
      {HelperLoadU32le, LoadU32leHelper, KC_TRAP_INDEX},
  };
  for (const auto &H : Helpers)
    if (MC.UsedHelpers & H.Bit) {
      OS << "\n";
      printHelper(OS, H.Text, H.Trap < 0 ? "" : trapMessage(H.Trap));
    }
  for (const auto &R : M.Records) {
    OS << "\n";
    if (KernelLines)
      KernelLines->resize(llvm::count(Text, '\n'), 0);
    printClass(OS, *R, MC.ClassNames[R.get()]);
    if (KernelLines) // a record's constructor is its declaration
      KernelLines->resize(llvm::count(Text, '\n'), R->Loc.Line);
  }
  std::vector<std::string> Renamed;
  for (size_t I = 0; I < M.Functions.size(); ++I) {
    const kir::Function &F = *M.Functions[I];
    OS << "\n";
    if (KernelLines) {
      KernelLines->resize(llvm::count(Text, '\n'), 0);
      llvm::append_range(*KernelLines, BodyLines[I]);
    }
    OS << Bodies[I];
    const std::string &Name = MC.FunctionNames[&F];
    if (MC.Facts.isExported(F) && Name != F.Name)
      Renamed.push_back(Name + " as " + F.Name);
  }
  // A kernel name JS reserves is still the export's name.
  if (!Renamed.empty()) {
    OS << "\nexport { ";
    for (size_t I = 0; I < Renamed.size(); ++I)
      OS << (I ? ", " : "") << Renamed[I];
    OS << " };\n";
  }
  if (KernelLines)
    KernelLines->resize(llvm::count(Text, '\n'), 0);
  Out << Text;
  return Error::success();
}

} // namespace jsgen
} // namespace kc
