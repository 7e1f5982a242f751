//===- PyBackend.cpp - KIR to one idiomatic Python 3.11 module ------------===//
//
// The module: a docstring, the math imports it needs, class KernelTrap, the
// few helpers the functions call (only those), one class with __slots__ per
// record, every kernel function at module level under its source name, and,
// when a function has several kernel lines that Python errors can come
// from, the table mapping the module's lines to kernel lines.
//
// Names are settled in two passes over each function: the first finds the
// builtins and module-level names the function's code uses, so that kernel
// names are renamed only where they would collide with one of those (or
// with a keyword), never otherwise.
//
//===----------------------------------------------------------------------===//

#include "Target/Python/PyBackend.h"
#include "PyAnalysis.h"
#include "PyEmitter.h"
#include "PyNames.h"
#include "ir/IR.h"
#include "ir/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <functional>
#include <map>
#include <memory>

using namespace kc;
using namespace kc::pygen;

namespace {

llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

/// A module-level helper: its name, its text, and the globals it uses.
struct Helper {
  const char *Name;
  const char *Text;
  std::vector<const char *> Uses;
};

// In the order they are written out. Their trap messages are KC_TRAPS'.
const Helper Helpers[] = {
    {"_trap",
     R"(def _trap(kind, line):
    raise KernelTrap(kind, line)
)",
     {"KernelTrap"}},
    {"_kernel_trap",
     R"(_TRAP_KINDS = {
    IndexError: "index out of range",
    KeyError: "key not in map",
    ZeroDivisionError: "integer division by zero",
    RuntimeError: "map modified during iteration",
    AttributeError: "null reference",
    TypeError: "null reference",
    StructError: "index out of range",
}


def _kernel_trap(error):
    """The KernelTrap for an error Python raised where the kernel traps: the
    kind from the error's type, the line from the line it was raised on."""
    kind = _TRAP_KINDS.get(type(error))
    if kind is None:
        return error
    return KernelTrap(kind, _KERNEL_LINES[error.__traceback__.tb_lineno])
)",
     {"KernelTrap", "IndexError", "KeyError", "ZeroDivisionError",
      "RuntimeError", "AttributeError", "TypeError", "type", "_TRAP_KINDS",
      "_KERNEL_LINES"}},
    {"_idiv",
     R"(def _idiv(a, b, line):
    """a / b truncated toward zero."""
    if not b:
        raise KernelTrap("integer division by zero", line)
    q = a // b
    return q + 1 if q < 0 and q * b != a else q
)",
     {"KernelTrap"}},
    {"_irem",
     R"(def _irem(a, b, line):
    """The remainder of a / b truncated toward zero: the sign of a."""
    if not b:
        raise KernelTrap("integer division by zero", line)
    r = a % b
    return r - b if r and (r < 0) != (a < 0) else r
)",
     {"KernelTrap"}},
    {"_fdiv",
     R"(def _fdiv(a, b):
    """a / b, with IEEE-754's answer where Python raises: b is zero."""
    if b:
        return a / b
    if a != a or not a:
        return nan
    return copysign(inf, a) * copysign(1.0, b)
)",
     {"nan", "inf", "copysign"}},
    {"_fmod",
     R"(def _fmod(a, b):
    """C's fmod: NaN where math.fmod raises (a infinite, or b zero)."""
    try:
        return fmod(a, b)
    except ValueError:
        return nan
)",
     {"fmod", "nan", "ValueError"}},
    {"_sqrt",
     R"(def _sqrt(x):
    """C's sqrt: NaN below zero, where math.sqrt raises."""
    return sqrt(x) if x >= 0.0 else nan
)",
     {"sqrt", "nan"}},
    {"_floor",
     R"(def _floor(x):
    """C's floor: a float; -0.0, the infinities and NaN stay as they are."""
    return x // 1.0 if isfinite(x) else x
)",
     {"isfinite"}},
    {"_trunc",
     R"(def _trunc(x, lo, hi, line):
    """x truncated toward zero, if lo < x < hi."""
    if lo < x < hi:
        return int(x)
    raise KernelTrap("number out of range in conversion", line)
)",
     {"KernelTrap", "int"}},
    {"_get",
     R"(def _get(seq, i, line):
    if 0 <= i < len(seq):
        return seq[i]
    raise KernelTrap("index out of range", line)
)",
     {"KernelTrap", "len"}},
    {"_set",
     R"(def _set(seq, i, value, line):
    if not 0 <= i < len(seq):
        raise KernelTrap("index out of range", line)
    seq[i] = value
)",
     {"KernelTrap", "len"}},
    {"_slice",
     R"(def _slice(s, a, b, line):
    if 0 <= a <= b <= len(s):
        return s[a:b]
    raise KernelTrap("slice bounds out of range", line)
)",
     {"KernelTrap", "len"}},
    {"_find",
     R"(def _find(s, sub, start, line):
    if 0 <= start <= len(s):
        return s.find(sub, start)
    raise KernelTrap("index out of range", line)
)",
     {"KernelTrap", "len"}},
    {"_startswith",
     R"(def _startswith(s, prefix, at, line):
    if 0 <= at <= len(s):
        return s.startswith(prefix, at)
    raise KernelTrap("index out of range", line)
)",
     {"KernelTrap", "len"}},
    {"_split",
     R"(def _split(s, sep, line):
    if sep:
        return s.split(sep)
    raise KernelTrap("empty separator in split", line)
)",
     {"KernelTrap"}},
    {"_replace",
     R"(def _replace(s, old, new, line):
    if old:
        return s.replace(old, new)
    raise KernelTrap("empty pattern in replace", line)
)",
     {"KernelTrap"}},
    {"_join",
     R"(def _join(parts, sep):
    """sep.join(parts), with parts evaluated before sep as the kernel does."""
    return sep.join(parts)
)",
     {}},
    {"_str_from_codes",
     R"(def _str_from_codes(codes, line):
    """The text whose character codes are codes, each 0..127."""
    try:
        return bytes(codes).decode("ascii")
    except ValueError:
        raise KernelTrap("character code outside 0..127", line) from None
)",
     {"KernelTrap", "bytes", "ValueError"}},
    {"_parse_int",
     R"(def _parse_int(s, line):
    """The integer written in s as [-]digits, within +-2^53 (int() would
    also take '+', spaces, '_' and other digits). The caller has tried
    int() on [-]digits of up to 15 characters."""
    digits = s[1:] if s[:1] == "-" else s
    if digits.isascii() and digits.isdigit():
        digits = digits.lstrip("0") or "0"  # int() reads 4300 digits at most
        if len(digits) <= 16:
            value = int(digits)
            if value <= 0x20000000000000:
                return -value if s[0] == "-" else value
    raise KernelTrap("invalid integer in parse_int", line)
)",
     {"KernelTrap", "int", "len"}},
    {"_chr",
     R"(def _chr(c, line):
    if 0 <= c < 128:
        return chr(c)
    raise KernelTrap("character code outside 0..127", line)
)",
     {"KernelTrap", "chr"}},
    {"_array",
     R"(def _array(n, fill, line):
    if n < 0:
        raise KernelTrap("negative array length", line)
    return [fill] * n
)",
     {"KernelTrap"}},
    {"_pop",
     R"(def _pop(a, line):
    if a:
        return a.pop()
    raise KernelTrap("pop from empty array", line)
)",
     {"KernelTrap"}},
    {"_u32le_at",
     R"(def _u32le_at(b, i, line):
    """The little-endian 32-bit word at b[i:i + 4]."""
    if 0 <= i <= len(b) - 4:
        return _u32le(b, i)[0]
    raise KernelTrap("index out of range", line)
)",
     {"KernelTrap", "len", "_u32le"}},
    {"_u32le",
     R"(# _u32le(b, i)[0] is the little-endian 32-bit word at b[i:i + 4].
_u32le = Struct("<I").unpack_from
)",
     {"Struct"}},
    {"_FLIP",
     R"(# flags.translate(_FLIP) is the flag array with every bool negated.
_FLIP = bytes.maketrans(b"\x00\x01", b"\x01\x00")
)",
     {"bytes"}},
    {"_sum",
     R"(# The builtin sum (a local or function may be named sum; helpers come
# before the functions).
_sum = sum
)",
     {}},
    {"_nonnull",
     R"(def _nonnull(x, line):
    if x is None:
        raise KernelTrap("null reference", line)
    return x
)",
     {"KernelTrap"}},
    {"_ABSENT",
     R"(_ABSENT = object()  # a default no map value is
)",
     {"object"}},
    {"_safe",
     R"(def _safe(value, line):
    """value, if within the safe integer range +-2^53 (checked mode)."""
    if -0x20000000000000 <= value <= 0x20000000000000:
        return value
    raise KernelTrap("int outside the safe range +-2^53", line)
)",
     {"KernelTrap"}},
};

const char *const MathNames[] = {"copysign", "fmod", "inf", "isfinite",
                                 "nan",      "sqrt", "floor"};

const char *const KernelTrapClass =
    R"(class KernelTrap(Exception):
    """A kernel trapped: kind is the trap's message, line its source line."""

    def __init__(self, kind, line):
        super().__init__(f"{kind} at line {line}")
        self.kind = kind
        self.line = line
)";

/// Every builtin, helper and math name a function or helper may use.
llvm::StringSet<> allGlobalNames() {
  llvm::StringSet<> S;
  for (const char *N :
       {"abs", "bool", "bytearray", "bytes", "chr", "enumerate", "float",
        "int", "len", "max", "min", "ord", "range", "str", "type", "setattr",
        "super", "zip",
        "object", "Exception", "IndexError", "KeyError", "RuntimeError",
        "ValueError", "ZeroDivisionError", "AttributeError", "TypeError",
        "KernelTrap", "_TRAP_KINDS", "_KERNEL_LINES"})
    S.insert(N);
  for (const Helper &H : Helpers) {
    S.insert(H.Name);
    for (const char *U : H.Uses)
      S.insert(U);
  }
  for (const char *N : MathNames)
    S.insert(N);
  S.insert("compress");
  S.insert("combinations");
  S.insert("Struct");
  S.insert("StructError");
  return S;
}

/// Splits a statement longer than the line limit as Black would: at the
/// outermost bracket that closes the line, one element per line with a
/// trailing comma, recursively. Returns the physical lines, indented.
void wrapLine(unsigned Indent, llvm::StringRef Text,
              std::vector<std::string> &Out) {
  constexpr size_t Limit = 88;
  std::string Pad(Indent * 4, ' ');
  if (Pad.size() + Text.size() <= Limit || Text.empty()) {
    Out.push_back(Pad + Text.str());
    return;
  }
  // An element's trailing comma goes after its closing bracket.
  llvm::StringRef Suffix;
  if (Text.ends_with(",")) {
    Suffix = ",";
    Text = Text.drop_back();
  }
  // Bracket depth of every character, skipping string literals.
  size_t Open = llvm::StringRef::npos;
  std::vector<size_t> Commas; // top-level inside the chosen bracket
  int Depth = 0;
  char Quote = 0;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (Quote) {
      if (C == '\\')
        ++I;
      else if (C == Quote)
        Quote = 0;
      continue;
    }
    if (C == '"' || C == '\'') {
      Quote = C;
      continue;
    }
    if (C == '(' || C == '[' || C == '{') {
      // A call's parentheses, or a list or dict display: not grouping
      // parentheses nor a subscript, where a trailing comma would make a
      // tuple.
      char Before = I ? Text[I - 1] : ' ';
      bool AfterName = llvm::isAlnum(Before) || Before == '_' ||
                       Before == ')' || Before == ']';
      bool Splittable = C == '(' ? AfterName : !AfterName;
      if (Depth == 0 && Open == llvm::StringRef::npos && Splittable)
        Open = I;
      ++Depth;
    } else if (C == ')' || C == ']' || C == '}') {
      --Depth;
      if (Depth == 0 && Open != llvm::StringRef::npos && I + 1 != Text.size())
        Open = llvm::StringRef::npos, Commas.clear(); // closes early
    } else if (C == ',' && Depth == 1 && Open != llvm::StringRef::npos) {
      Commas.push_back(I);
    }
  }
  if (Open == llvm::StringRef::npos || Depth != 0) {
    Out.push_back(Pad + Text.str() + Suffix.str());
    return;
  }
  Out.push_back(Pad + Text.take_front(Open + 1).str());
  size_t Begin = Open + 1;
  Commas.push_back(Text.size() - 1);
  for (size_t End : Commas) {
    llvm::StringRef Item = Text.slice(Begin, End).trim();
    if (!Item.empty())
      wrapLine(Indent + 1, (Item + ",").str(), Out);
    Begin = End + 1;
  }
  Out.push_back(Pad + Text.take_back(1).str() + Suffix.str());
}

class ModuleEmitter {
public:
  ModuleEmitter(const kir::Module &M, const PyOptions &Opts)
      : M(M), Opts(Opts), A(M), MC(M, A, Opts) {}

  llvm::Error run(llvm::raw_ostream &OS);

private:
  const kir::Module &M;
  const PyOptions &Opts;
  Analysis A;
  ModuleContext MC;
  /// Functions renamed because their name is a keyword: also exported
  /// under the source name, through globals().
  std::vector<const kir::Function *> Exported;

  void nameRecords(const llvm::StringSet<> &Taken);
  llvm::Error nameFunctions(const llvm::StringSet<> &Reserved);
};

/// The module name (a file name) as the docstring shows it: a quote could
/// end the docstring, a backslash start an escape (\N{ fails to compile),
/// and Python source must be UTF-8; so backslashes and quotes are escaped
/// and every byte outside printable ASCII is written \xHH.
std::string docstringText(llvm::StringRef Name) {
  std::string Out;
  for (unsigned char C : Name) {
    if (C == '\\' || C == '"') {
      Out += '\\';
      Out += static_cast<char>(C);
    } else if (C >= 0x20 && C < 0x7f) {
      Out += static_cast<char>(C);
    } else {
      char Buf[8];
      snprintf(Buf, sizeof(Buf), "\\x%02x", C);
      Out += Buf;
    }
  }
  return Out;
}

std::string sanitizeField(llvm::StringRef Name) {
  if (isSpecialName(Name))
    return "f" + Name.str(); // __x would be mangled inside the class body
  return Name.str();
}

void ModuleEmitter::nameRecords(const llvm::StringSet<> &Taken) {
  llvm::StringSet<> Used;
  for (const auto &R : M.Records) {
    // sanitizeField: no suffix makes a `__x` name free.
    std::string Name =
        firstFreeName(sanitizeField(R->Name), [&](const std::string &C) {
          return !isPythonKeyword(C) && !isSpecialName(C) && !Taken.count(C) &&
                 !Used.count(C);
        });
    Used.insert(Name);
    MC.ClassNames[R.get()] = Name;
    // Fields keep their kernel names where Python allows them; the others
    // (keywords; __x, which a class body mangles; __x__, which the object
    // model owns) take names no field keeps, listed in __kc_fields__.
    std::vector<std::string> Fields(R->Fields.size());
    llvm::StringSet<> FieldsTaken;
    for (size_t I = 0; I < R->Fields.size(); ++I) {
      const std::string &N = R->Fields[I].Name;
      if (!isPythonKeyword(N) && !isSpecialName(N)) {
        Fields[I] = N;
        FieldsTaken.insert(N);
      }
    }
    for (size_t I = 0; I < R->Fields.size(); ++I) {
      if (!Fields[I].empty())
        continue;
      Fields[I] = firstFreeName(sanitizeField(R->Fields[I].Name),
                                [&](const std::string &C) {
                                  return !isPythonKeyword(C) &&
                                         !FieldsTaken.count(C);
                                });
      FieldsTaken.insert(Fields[I]);
    }
    MC.FieldNames[R.get()] = std::move(Fields);
  }
}

llvm::Error ModuleEmitter::nameFunctions(const llvm::StringSet<> &Reserved) {
  llvm::StringSet<> Used;
  const kir::Function *Entry = M.getEntry();
  auto Free = [&](const std::string &C) {
    return !isPythonKeyword(C) && !isSpecialName(C) && !Reserved.count(C) &&
           !Used.count(C);
  };
  // The entry first: the runner looks it up by its source name.
  if (Entry && !Free(Entry->Name) && !isPythonKeyword(Entry->Name))
    return makeError("entry function '" + Entry->Name +
                     "' has a name the Python module needs for itself");
  std::vector<const kir::Function *> Order;
  if (Entry)
    Order.push_back(Entry);
  for (const auto &F : M.Functions)
    if (F.get() != Entry)
      Order.push_back(F.get());
  for (const kir::Function *F : Order) {
    // sanitizeField: no suffix makes a `__x` name free.
    std::string Name = firstFreeName(sanitizeField(F->Name), Free);
    if (isPythonKeyword(F->Name))
      Exported.push_back(F);
    Used.insert(Name);
    MC.FunctionNames[F] = Name;
  }
  return llvm::Error::success();
}

/// Kernel functions and record classes a function's code refers to.
void kernelNamesUsed(const kir::Function &F, const ModuleContext &MC,
                     llvm::StringSet<> &Out) {
  std::function<void(const kir::Node &)> Walk = [&](const kir::Node &N) {
    if (N.Opcode == kir::Op::Call)
      Out.insert(MC.FunctionNames.lookup(N.Callee));
    if (N.Opcode == kir::Op::RecordNew && !MC.TupleRecords.count(N.Ty->Rec))
      Out.insert(MC.ClassNames.lookup(N.Ty->Rec));
    for (const kir::Node *O : N.Operands)
      Walk(*O);
    for (const kir::Block *R : N.Regions)
      for (const kir::Node *S : R->Stmts)
        Walk(*S);
  };
  for (const kir::Node *S : F.Body->Stmts)
    Walk(*S);
}

/// Types a value may have when it comes from or goes to outside the
/// module: every type reachable from an exported function's parameters and
/// result. The harness (and a test) makes and sees lists and classes.
static llvm::DenseSet<const kir::Type *> outsideTypes(const kir::Module &M,
                                                      const ModuleContext &MC) {
  llvm::DenseSet<const kir::Type *> Outside;
  std::vector<const kir::Type *> Work;
  for (const auto &F : M.Functions)
    if (MC.isExported(*F)) {
      for (const kir::Local *P : F->Params)
        Work.push_back(P->Ty);
      Work.push_back(F->RetTy);
    }
  while (!Work.empty()) {
    const kir::Type *T = Work.back();
    Work.pop_back();
    if (!T || !Outside.insert(T).second)
      continue;
    Work.push_back(T->Elem);
    if (T->Kind == kir::TypeKind::Map)
      Work.push_back(T->Key);
    if (T->Kind == kir::TypeKind::Record)
      for (const kir::Field &Fld : T->Rec->Fields)
        Work.push_back(Fld.Ty);
  }
  return Outside;
}

/// Records that are tuples (no statement assigns a field, none is seen
/// outside) and [bool] types that are bytearrays (none is seen outside).
static void chooseRepresentations(const kir::Module &M, ModuleContext &MC) {
  llvm::DenseSet<const kir::Type *> Outside = outsideTypes(M, MC);
  llvm::DenseSet<const kir::RecordDecl *> Classes;
  // A flag's 0 or 1 reaches the outside through a record field, an element
  // or a map value of the result as an int: then no [bool] is a bytearray.
  // (A bool result itself is converted where it is returned.)
  bool BoolInside = false;
  for (const kir::Type *T : Outside) {
    if (T->Kind == kir::TypeKind::Record) {
      Classes.insert(T->Rec);
      for (const kir::Field &Fld : T->Rec->Fields)
        BoolInside |= Fld.Ty->Kind == kir::TypeKind::Bool;
    }
    if ((T->Kind == kir::TypeKind::Array || T->Kind == kir::TypeKind::Map) &&
        T->Elem->Kind == kir::TypeKind::Bool)
      BoolInside = true;
  }
  std::function<void(const kir::Node &)> Walk = [&](const kir::Node &N) {
    if (N.Opcode == kir::Op::FieldSet)
      Classes.insert(N.operand(0)->Ty->Rec);
    if (!BoolInside && N.Ty && N.Ty->Kind == kir::TypeKind::Array &&
        N.Ty->Elem && N.Ty->Elem->Kind == kir::TypeKind::Bool &&
        !Outside.count(N.Ty))
      MC.FlagArrays.insert(N.Ty);
    for (const kir::Node *O : N.Operands)
      Walk(*O);
    for (const kir::Block *R : N.Regions)
      for (const kir::Node *S : R->Stmts)
        Walk(*S);
  };
  for (const auto &F : M.Functions)
    for (const kir::Node *S : F->Body->Stmts)
      Walk(*S);
  for (const auto &R : M.Records)
    if (!Classes.count(R.get()))
      MC.TupleRecords.insert(R.get());
}

llvm::Error ModuleEmitter::run(llvm::raw_ostream &OS) {
  chooseRepresentations(M, MC);
  // Pass 1: which globals does each function's code use? Kernel names are
  // provisional here, and locals avoid every name the back-end may use.
  llvm::StringSet<> Conservative = allGlobalNames();
  {
    // Provisional names avoid the module's own (a record named _irem must
    // not pass for the helper the code calls).
    llvm::StringSet<> Globals = allGlobalNames();
    for (const auto &R : M.Records)
      Conservative.insert(R->Name);
    for (const auto &F : M.Functions)
      Conservative.insert(F->Name);
    nameRecords(Globals);
    for (const auto &F : M.Functions)
      MC.FunctionNames[F.get()] =
          firstFreeName(sanitizeField(F->Name), [&](const std::string &C) {
            return !isPythonKeyword(C) && !Globals.count(C);
          });
  }
  llvm::StringSet<> KernelNames; // provisional names of functions, classes
  for (const auto &F : M.Functions)
    KernelNames.insert(MC.FunctionNames[F.get()]);
  for (const auto &R : M.Records)
    KernelNames.insert(MC.ClassNames[R.get()]);

  std::map<const kir::Function *, std::set<std::string>> Used;
  // KernelTrap's class body uses Exception and super.
  std::set<std::string> ModuleUsed = {"KernelTrap", "Exception", "super"};
  for (const auto &F : M.Functions) {
    FunctionEmitter FE(MC, *F, Conservative);
    FE.run();
    for (const std::string &G : FE.globals())
      if (!KernelNames.count(G)) {
        Used[F.get()].insert(G);
        ModuleUsed.insert(G);
      }
  }
  // TypeError is a trap only where a tuple record's field is read through
  // a ?R.
  bool TypeErrorTraps = ModuleUsed.count("TypeError");
  bool StructErrorTraps = ModuleUsed.count("StructError");
  // Helpers use more names.
  for (const Helper &H : Helpers)
    if (ModuleUsed.count(H.Name))
      for (const char *U : H.Uses)
        ModuleUsed.insert(U);

  // Module-level names: kernel names yield to what the module uses.
  llvm::StringSet<> Reserved;
  for (const std::string &G : ModuleUsed)
    Reserved.insert(G);
  if (llvm::Error E = nameFunctions(Reserved))
    return E;
  llvm::StringSet<> TakenByFunctions = Reserved;
  for (const auto &F : M.Functions)
    TakenByFunctions.insert(MC.FunctionNames[F.get()]);
  nameRecords(TakenByFunctions);

  // Pass 2: the text.
  std::vector<std::vector<PyLine>> Bodies;
  std::vector<bool> UsesTable;
  for (const auto &F : M.Functions) {
    llvm::StringSet<> FReserved;
    for (const std::string &G : Used[F.get()])
      FReserved.insert(G);
    kernelNamesUsed(*F, MC, FReserved);
    FunctionEmitter FE(MC, *F, FReserved);
    Bodies.push_back(FE.run());
    UsesTable.push_back(FE.usesLineTable());
  }

  // Layout, counting lines for the kernel-line table.
  unsigned LineNo = 0;
  uint32_t KernelLine = 0; // of the lines being written
  auto Line = [&](const std::string &Text) {
    OS << Text << "\n";
    ++LineNo;
    if (Opts.KernelLines)
      Opts.KernelLines->push_back(KernelLine);
  };
  auto Block = [&](llvm::StringRef Text) {
    llvm::SmallVector<llvm::StringRef, 16> Parts;
    Text.rtrim('\n').split(Parts, '\n');
    for (llvm::StringRef P : Parts)
      Line(P.str());
  };
  auto TopLevelGap = [&] {
    Line("");
    Line("");
  };

  Line("\"\"\"" + docstringText(M.Name) +
       ", compiled to Python 3.11 by kernelc" +
       (Opts.Checked ? " in checked mode" : "") + ".\"\"\"");
  std::string Imports;
  for (const char *N : {"copysign", "floor", "fmod", "inf", "isfinite", "nan",
                        "sqrt"})
    if (ModuleUsed.count(N))
      Imports += (Imports.empty() ? "" : ", ") + std::string(N);
  std::vector<std::string> ImportLines;
  std::string Itertools;
  for (const char *N : {"combinations", "compress"})
    if (ModuleUsed.count(N))
      Itertools += (Itertools.empty() ? "" : ", ") + std::string(N);
  if (!Itertools.empty())
    ImportLines.push_back("from itertools import " + Itertools);
  if (!Imports.empty())
    ImportLines.push_back("from math import " + Imports);
  if (ModuleUsed.count("StructError"))
    ImportLines.push_back("from struct import Struct, error as StructError");
  else if (ModuleUsed.count("Struct"))
    ImportLines.push_back("from struct import Struct");
  if (!ImportLines.empty()) {
    Line("");
    for (const std::string &I : ImportLines)
      Line(I);
  }
  TopLevelGap();
  Block(KernelTrapClass);
  for (const Helper &H : Helpers)
    if (ModuleUsed.count(H.Name)) {
      TopLevelGap();
      std::string Text = H.Text;
      llvm::StringRef TypeErrorKind = "    TypeError: \"null reference\",\n";
      size_t At = Text.find(TypeErrorKind.str());
      if (At != std::string::npos && !TypeErrorTraps)
        Text.erase(At, TypeErrorKind.size());
      // struct.error is a trap only where a word is read.
      llvm::StringRef StructKind =
          "    StructError: \"index out of range\",\n";
      At = Text.find(StructKind.str());
      if (At != std::string::npos && !StructErrorTraps)
        Text.erase(At, StructKind.size());
      Block(Text);
    }

  for (const auto &R : M.Records) {
    const auto &Fields = MC.FieldNames[R.get()];
    if (MC.TupleRecords.count(R.get())) {
      // Documented where its class would be.
      std::string Items;
      for (const std::string &F : Fields)
        Items += (Items.empty() ? "" : ", ") + F;
      if (Fields.size() == 1)
        Items += ",";
      TopLevelGap();
      Line("# record " + R->Name + ": the tuple (" + Items +
           "); no field is ever assigned.");
      continue;
    }
    TopLevelGap();
    Line("class " + MC.ClassNames[R.get()] + ":");
    std::string Slots;
    for (const std::string &F : Fields)
      Slots += (Slots.empty() ? "\"" : ", \"") + F + "\"";
    if (Fields.size() == 1)
      Slots += ",";
    Line("    __slots__ = (" + Slots + ")");
    // The runner reads a result's fields by their kernel names, or through
    // this list where Python could not keep them (docs/runner-protocol.md).
    bool Renamed = false;
    for (size_t I = 0; I < Fields.size(); ++I)
      Renamed |= Fields[I] != R->Fields[I].Name;
    if (Renamed)
      Line("    __kc_fields__ = (" + Slots + ")");
    if (Fields.empty())
      continue;
    std::string Self = firstFreeName("self", [&](const std::string &C) {
      return !llvm::is_contained(Fields, C);
    });
    Line("");
    std::string Params = Self;
    for (const std::string &F : Fields)
      Params += ", " + F;
    Line("    def __init__(" + Params + "):");
    for (const std::string &F : Fields)
      Line("        " + Self + "." + F + " = " + F);
  }

  std::vector<std::pair<unsigned, uint32_t>> Table;
  for (size_t I = 0; I < Bodies.size(); ++I) {
    TopLevelGap();
    for (const PyLine &L : Bodies[I]) {
      KernelLine = L.StmtLine;
      if (L.Implicit || L.Text.find('\x01') != std::string::npos) {
        // Broken only where its errors change kernel lines.
        for (const auto &[Text, KLine] : splitAtMarkers(L.Indent, L.Text)) {
          KernelLine = KLine ? KLine : L.StmtLine;
          Line(Text);
          if (UsesTable[I] && KLine)
            Table.push_back({LineNo, KLine});
        }
        continue;
      }
      std::vector<std::string> Physical;
      wrapLine(L.Indent, L.Text, Physical);
      for (const std::string &P : Physical)
        Line(P);
    }
    KernelLine = 0;
  }

  if (!Table.empty()) {
    TopLevelGap();
    Line("# The kernel source line of each line above where Python raises the");
    Line("# error of a kernel trap (see _kernel_trap).");
    Line("_KERNEL_LINES = {");
    for (const auto &[Py, K] : Table)
      Line("    " + std::to_string(Py) + ": " + std::to_string(K) + ",");
    Line("}");
  }
  if (!Exported.empty()) {
    // Keywords cannot be def names; the runner still finds them by name.
    TopLevelGap();
    for (const kir::Function *F : Exported)
      Line("globals()[\"" + F->Name + "\"] = " + MC.FunctionNames[F]);
  }
  return llvm::Error::success();
}

} // namespace

llvm::Error pygen::emitModule(const kir::Module &M, llvm::raw_ostream &OS,
                              const PyOptions &Opts) {
  if (llvm::Error E = kir::verify(M))
    return E;
  return ModuleEmitter(M, Opts).run(OS);
}
