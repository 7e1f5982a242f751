//===- EmitterProperties.cpp - What the JS and Python output must keep ----===//

#include "FuzzCheck/EmitterProperties.h"
#include "FuzzCheck/EmittedLexer.h"
#include "ir/IR.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include <deque>
#include <functional>
#include <set>

using namespace llvm;

namespace kc {
namespace fuzz {

using Tok = EmittedToken;

static Error fail(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

//===----------------------------------------------------------------------===//
// Renaming
//===----------------------------------------------------------------------===//

namespace {

/// Plain names: one letter, or 'q' and letters, of a requested length. No
/// JS or Python keyword or global starts with 'q' but Python's `quit`.
class PlainNames {
public:
  explicit PlainNames(std::set<std::string> Avoid) : Avoid(std::move(Avoid)) {
    this->Avoid.insert("quit");
  }

  std::string get(size_t Len) {
    static const char Letters[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (;; ++Len) {
      uint64_t &Next = Counters[Len];
      // 52^(Len-1) names of length Len (52 for Len 1), capped.
      uint64_t Capacity = 1;
      for (size_t I = 0;
           I + 1 < std::max<size_t>(Len, 2) && Capacity < (1u << 30); ++I)
        Capacity *= 52;
      while (Next < Capacity) {
        uint64_t N = Next++;
        std::string Name;
        if (Len == 1) {
          Name = std::string(1, Letters[N]);
        } else {
          Name = "q";
          for (size_t I = 1; I < Len; ++I, N /= 52)
            Name += Letters[N % 52];
        }
        if (Avoid.insert(Name).second)
          return Name;
      }
    }
  }

private:
  std::set<std::string> Avoid;
  std::map<size_t, uint64_t> Counters;
};

void walkNodes(const kir::Block &B,
               const std::function<void(kir::Node &)> &Fn) {
  for (kir::Node *S : B.Stmts) {
    std::function<void(kir::Node &)> Walk = [&](kir::Node &N) {
      Fn(N);
      for (kir::Node *O : N.Operands)
        Walk(*O);
      for (kir::Block *R : N.Regions)
        walkNodes(*R, Fn);
    };
    Walk(*S);
  }
}

} // namespace

NameMap renameKernelNames(kir::Module &M) {
  std::vector<std::string> Order;
  std::set<std::string> Seen;
  auto Note = [&](const std::string &N) {
    if (Seen.insert(N).second)
      Order.push_back(N);
  };
  for (const auto &R : M.Records) {
    Note(R->Name);
    for (const kir::Field &F : R->Fields)
      Note(F.Name);
  }
  for (const auto &F : M.Functions) {
    Note(F->Name);
    for (const auto &L : F->Locals)
      Note(L->Name);
  }
  PlainNames Plain(Seen);
  NameMap Names;
  for (const std::string &N : Order)
    Names[N] = Plain.get(std::max<size_t>(N.size(), 1));

  for (const auto &R : M.Records) {
    R->Name = Names[R->Name];
    for (kir::Field &F : R->Fields)
      F.Name = Names[F.Name];
  }
  for (const auto &F : M.Functions) {
    F->Name = Names[F->Name];
    for (const auto &L : F->Locals)
      L->Name = Names[L->Name];
  }
  if (M.Bench) {
    auto It = Names.find(M.Bench->Entry);
    if (It != Names.end())
      M.Bench->Entry = It->second;
    for (bench::WorkloadSpec &W : M.Bench->Workloads)
      for (bench::ArgSpec &A : W.Args) {
        auto P = Names.find(A.Param);
        if (P != Names.end())
          A.Param = P->second;
      }
  }
  return Names;
}

std::vector<std::string> stringConstants(const kir::Module &M) {
  std::vector<std::string> Out;
  for (const auto &F : M.Functions)
    if (F->Body)
      walkNodes(*F->Body, [&](kir::Node &N) {
        if (N.Opcode == kir::Op::StrConst)
          Out.push_back(N.StrVal);
      });
  return Out;
}

static Expected<std::vector<Tok>> lex(Language L, StringRef Src) {
  return L == Language::JS ? lexJavaScript(Src) : lexPython(Src);
}

static const char *langName(Language L) {
  return L == Language::JS ? "JS" : "Python";
}

/// A short, printable rendering of \p S for messages.
static std::string show(StringRef S) {
  std::string Out;
  raw_string_ostream OS(Out);
  OS << '"';
  printEscapedString(S.take_front(80), OS);
  OS << (S.size() > 80 ? "...\"" : "\"");
  return Out;
}

//===----------------------------------------------------------------------===//
// Strings intact
//===----------------------------------------------------------------------===//

Error checkStringsIntact(Language L, StringRef Emitted,
                         ArrayRef<std::string> Strings) {
  auto Toks = lex(L, Emitted);
  if (!Toks)
    return fail(Twine("emitted ") + langName(L) +
                " does not lex: " + toString(Toks.takeError()));
  StringSet<> Values;
  for (const Tok &T : *Toks)
    if (T.Kind == Tok::String)
      Values.insert(T.Value);
  for (const std::string &S : Strings)
    if (!S.empty() && !Values.contains(S))
      return fail(Twine("the kernel string ") + show(S) +
                  " is not the value "
                  "of any string literal of the emitted " +
                  langName(L));
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Names are only names
//===----------------------------------------------------------------------===//

namespace {

struct Normalized {
  std::vector<const Tok *> Body;
  /// Tokens normalize() wrote itself.
  std::deque<Tok> Made;
  /// What a kernel name that the language reserves is exported as:
  /// (emitted name, kernel name) from JS's `export { a_ as a }` or Python's
  /// `globals()["a"] = a_`.
  std::vector<std::pair<std::string, std::string>> Exports;
};

bool is(const Tok *T, Tok::KindTy K, StringRef Text) {
  return T && T->Kind == K && T->Text == Text;
}

/// Drops what legitimately differs with the names' spelling: comments, JS's
/// `export` keyword and final `export { ... };` (a reserved entry name is
/// exported under its own name), Python's final `globals()[...] = ...`
/// lines, the trailing commas of wrapped lines (line length depends on
/// names), and the numbers of Python's _KERNEL_LINES table (line numbers).
Expected<Normalized> normalize(Language L, const std::vector<Tok> &All) {
  std::vector<const Tok *> Toks;
  for (const Tok &T : All)
    if (T.Kind != Tok::Comment)
      Toks.push_back(&T);
  Normalized N;
  auto At = [&](size_t I) -> const Tok * {
    return I < Toks.size() ? Toks[I] : nullptr;
  };
  size_t End = Toks.size();
  if (L == Language::JS) {
    // export { a_ as a, b };
    for (size_t I = 0; I + 1 < Toks.size(); ++I)
      if (is(Toks[I], Tok::Keyword, "export") &&
          is(At(I + 1), Tok::Punct, "{")) {
        size_t J = I + 2;
        while (J < Toks.size() && !is(Toks[J], Tok::Punct, "}")) {
          const Tok *Local = At(J);
          if (!Local || Local->Kind != Tok::Name)
            return fail("export list: expected a name");
          std::string Exported = Local->Text;
          if (is(At(J + 1), Tok::Name, "as")) {
            const Tok *E = At(J + 2);
            if (!E || (E->Kind != Tok::Name && E->Kind != Tok::Keyword))
              return fail("export list: expected a name after 'as'");
            Exported = E->Text;
            J += 2;
          }
          N.Exports.push_back({Local->Text, Exported});
          ++J;
          if (is(At(J), Tok::Punct, ","))
            ++J;
        }
        if (!is(At(J), Tok::Punct, "}") || !is(At(J + 1), Tok::Punct, ";") ||
            J + 2 != Toks.size())
          return fail("the export list is not the module's last statement");
        End = I;
        break;
      }
  } else {
    // globals()["a"] = a_ NEWLINE, repeated at the end.
    while (End >= 9) {
      size_t I = End - 9;
      if (!(is(Toks[I], Tok::Name, "globals") &&
            is(Toks[I + 1], Tok::Punct, "(") &&
            is(Toks[I + 2], Tok::Punct, ")") &&
            is(Toks[I + 3], Tok::Punct, "[") &&
            Toks[I + 4]->Kind == Tok::String &&
            is(Toks[I + 5], Tok::Punct, "]") &&
            is(Toks[I + 6], Tok::Punct, "=") &&
            Toks[I + 7]->Kind == Tok::Name &&
            Toks[I + 8]->Kind == Tok::Newline))
        break;
      N.Exports.push_back({Toks[I + 7]->Text, Toks[I + 4]->Value});
      End = I;
    }
  }
  bool InLineTable = false;
  int Depth = 0;
  for (size_t I = 0; I < End; ++I) {
    const Tok *T = Toks[I];
    if (L == Language::JS && is(T, Tok::Keyword, "export") && At(I + 1) &&
        At(I + 1)->Kind == Tok::Keyword)
      continue;
    // A record's field named __proto__ is made an own property
    // (`Object.defineProperty(this, "__proto__", { value: v, writable:
    // true, enumerable: true, configurable: true });`), where another field
    // is `this.f = v;`. The same statement, then, but marked as making an
    // own property.
    static const char *const Define[] = {"Object",
                                         ".",
                                         "defineProperty",
                                         "(",
                                         "this",
                                         ",",
                                         nullptr,
                                         ",",
                                         "{",
                                         "value",
                                         ":",
                                         nullptr,
                                         ",",
                                         "writable",
                                         ":",
                                         "true",
                                         ",",
                                         "enumerable",
                                         ":",
                                         "true",
                                         ",",
                                         "configurable",
                                         ":",
                                         "true",
                                         "}",
                                         ")",
                                         ";"};
    if (L == Language::JS && is(T, Tok::Name, "Object") &&
        I + std::size(Define) <= End) {
      bool Match = true;
      for (size_t K = 0; K < std::size(Define) && Match; ++K)
        Match = Define[K]
                    ? Toks[I + K]->Text == Define[K]
                    : Toks[I + K]->Kind == (K == 6 ? Tok::String : Tok::Name);
      if (Match) {
        auto Make = [&](Tok::KindTy K, std::string Text, const Tok *From) {
          Tok M;
          M.Kind = K;
          M.Text = std::move(Text);
          M.Offset = From->Offset;
          N.Made.push_back(std::move(M));
          N.Body.push_back(&N.Made.back());
          return &N.Made.back();
        };
        Make(Tok::Keyword, "this", T);
        Make(Tok::Punct, ".", T);
        Tok *Prop = Make(Tok::Name, Toks[I + 6]->Value, Toks[I + 6]);
        Prop->AfterDot = true;
        Prop->OwnProperty = true;
        Make(Tok::Punct, "=", T);
        N.Body.push_back(Toks[I + 11]);
        Make(Tok::Punct, ";", T);
        I += std::size(Define) - 1;
        continue;
      }
    }
    if (L == Language::Python) {
      // A class whose fields Python cannot spell (renamed, e.g. `class`)
      // lists its attribute names for the runner: `__kc_fields__ = (...)`.
      // Whether a name needs renaming depends on its spelling, so the
      // line is there for one kernel and not for the renamed one. Its
      // strings are still lexed, so they cannot break out either.
      if (is(T, Tok::Name, "__kc_fields__") && is(At(I + 1), Tok::Punct, "=") &&
          is(At(I + 2), Tok::Punct, "(")) {
        size_t J = I + 3;
        while (J < End && !is(Toks[J], Tok::Punct, ")"))
          ++J;
        if (J + 1 < End && Toks[J + 1]->Kind == Tok::Newline) {
          I = J + 1;
          continue;
        }
      }
      if (is(T, Tok::Name, "_KERNEL_LINES") && is(At(I + 1), Tok::Punct, "=") &&
          is(At(I + 2), Tok::Punct, "{"))
        InLineTable = true;
      if (T->Kind == Tok::Punct &&
          (T->Text == "(" || T->Text == "[" || T->Text == "{"))
        ++Depth;
      if (T->Kind == Tok::Punct &&
          (T->Text == ")" || T->Text == "]" || T->Text == "}")) {
        if (--Depth == 0)
          InLineTable = false;
      }
      if (InLineTable && T->Kind == Tok::Number)
        continue;
    }
    const Tok *Next = At(I + 1);
    if (is(T, Tok::Punct, ",") && Next && Next->Kind == Tok::Punct &&
        (Next->Text == ")" || Next->Text == "]" || Next->Text == "}"))
      continue;
    N.Body.push_back(T);
  }
  return N;
}

const char *kindName(Tok::KindTy K) {
  switch (K) {
  case Tok::Name:
    return "name";
  case Tok::Keyword:
    return "keyword";
  case Tok::Punct:
    return "punctuator";
  case Tok::Number:
    return "number";
  case Tok::String:
    return "string";
  case Tok::Template:
    return "template";
  case Tok::Regex:
    return "regular expression";
  case Tok::Comment:
    return "comment";
  case Tok::Newline:
    return "newline";
  case Tok::Indent:
    return "indent";
  case Tok::Dedent:
    return "dedent";
  }
  return "token";
}

/// What a name token stands for: a key naming the declaration it resolves
/// to ("<scope>:<name>"), and whether it is declared at the module's top
/// level. Two names that resolve to one declaration have one key.
struct Entity {
  std::string Key;
  bool TopLevel = false;
};

/// JS: block scopes, as ECMA-262 gives them to let, const, class and
/// function declarations (the emitted code declares nothing with var, and
/// has no arrow function, label or catch). A name resolves to the innermost
/// enclosing scope that declares it anywhere in that scope (a use before a
/// declaration is in its temporal dead zone: still that declaration), or to
/// the global object ("g:").
std::vector<Entity> jsEntities(const std::vector<const Tok *> &Body) {
  size_t N = Body.size();
  auto At = [&](size_t I) -> const Tok * { return I < N ? Body[I] : nullptr; };
  // Matching brackets.
  std::vector<size_t> Match(N, N), Open;
  for (size_t I = 0; I < N; ++I) {
    const Tok *T = Body[I];
    if (T->Kind != Tok::Punct)
      continue;
    if (T->Text == "(" || T->Text == "[" || T->Text == "{") {
      Open.push_back(I);
    } else if ((T->Text == ")" || T->Text == "]" || T->Text == "}") &&
               !Open.empty()) {
      Match[Open.back()] = I;
      Match[I] = Open.back();
      Open.pop_back();
    }
  }
  std::vector<int> Parent{-1}; // scope 0: the module
  std::vector<std::set<std::string>> Declares(1);
  std::vector<unsigned> ScopeAt(N, 0);
  std::vector<bool> IsDecl(N, false);
  std::vector<unsigned> Stack{0};
  std::vector<unsigned> ExtraClose(N, 0); // scopes to close after a '}'
  auto Declare = [&](size_t I) {
    IsDecl[I] = true;
    Declares[Stack.back()].insert(Body[I]->Text);
  };
  auto OpenScope = [&] {
    Parent.push_back(Stack.back());
    Declares.emplace_back();
    Stack.push_back(Parent.size() - 1);
  };
  for (size_t I = 0; I < N; ++I) {
    const Tok *T = Body[I];
    ScopeAt[I] = Stack.back();
    if (T->Kind == Tok::Keyword &&
        (T->Text == "let" || T->Text == "const" || T->Text == "var")) {
      // Declarators: names right after the keyword or after a comma at the
      // keyword's depth, up to the ';' or the for head's ')'.
      int Depth = 0;
      for (size_t J = I + 1; J < N; ++J) {
        const Tok *D = Body[J];
        bool First = J == I + 1;
        if (D->Kind == Tok::Name && !D->AfterDot &&
            (First || (Depth == 0 && is(Body[J - 1], Tok::Punct, ","))))
          Declare(J);
        if (D->Kind == Tok::Punct && (D->Text == "[" || D->Text == "{") &&
            First) {
          // const [k, v]: every name of the pattern.
          for (size_t K = J + 1; K < Match[J] && K < N; ++K)
            if (Body[K]->Kind == Tok::Name)
              Declare(K);
          J = Match[J];
          continue;
        }
        if (D->Kind != Tok::Punct)
          continue;
        if (D->Text == "(" || D->Text == "[" || D->Text == "{")
          ++Depth;
        else if (D->Text == ")" || D->Text == "]" || D->Text == "}") {
          if (--Depth < 0)
            break;
        } else if (Depth == 0 && D->Text == ";") {
          break;
        }
      }
      continue;
    }
    if (T->Kind == Tok::Keyword &&
        (T->Text == "function" || T->Text == "class") && At(I + 1) &&
        At(I + 1)->Kind == Tok::Name) {
      ScopeAt[I + 1] = Stack.back();
      Declare(I + 1);
      ++I;
      continue;
    }
    if (T->Kind != Tok::Punct)
      continue;
    if (T->Text == "(" && Match[I] < N) {
      const Tok *Before = I ? Body[I - 1] : nullptr;
      bool Head = is(Before, Tok::Keyword, "for") ||
                  is(Before, Tok::Keyword, "function") ||
                  (Before && Before->Kind == Tok::Name && !Before->AfterDot &&
                   is(At(Match[I] + 1), Tok::Punct, "{"));
      if (!Head)
        continue;
      // A for head or a parameter list: its scope holds the body's block.
      OpenScope();
      if (!is(Before, Tok::Keyword, "for"))
        for (size_t J = I + 1; J < Match[I]; ++J)
          if (Body[J]->Kind == Tok::Name && (is(Body[J - 1], Tok::Punct, "(") ||
                                             is(Body[J - 1], Tok::Punct, ",")))
            Declare(J);
      size_t Close = Match[I];
      if (is(At(Close + 1), Tok::Punct, "{") && Match[Close + 1] < N)
        ++ExtraClose[Match[Close + 1]];
      else
        ExtraClose[Close] += 1000; // closed at the ')' itself (below)
      continue;
    }
    if (T->Text == ")" && ExtraClose[I] >= 1000) {
      ExtraClose[I] -= 1000;
      Stack.pop_back();
      continue;
    }
    if (T->Text == "{") {
      OpenScope();
      ScopeAt[I] = Stack.back();
    } else if (T->Text == "}" && Stack.size() > 1) {
      Stack.pop_back();
      for (; ExtraClose[I] && Stack.size() > 1; --ExtraClose[I])
        Stack.pop_back();
    }
  }
  std::vector<Entity> Out(N);
  for (size_t I = 0; I < N; ++I) {
    const Tok *T = Body[I];
    if (T->Kind != Tok::Name || T->AfterDot)
      continue;
    int S = ScopeAt[I];
    while (S >= 0 && !Declares[S].count(T->Text))
      S = Parent[S];
    Out[I].Key = (S < 0 ? std::string("g") : std::to_string(S)) + ":" + T->Text;
    Out[I].TopLevel = IsDecl[I] && S == 0;
  }
  return Out;
}

/// Python: a function's names are its own (no block scopes, and the emitted
/// code has no nested function, lambda or comprehension that binds one), so
/// each top-level statement is a region: a name stands for one thing in
/// it. A top-level statement declares the name after `def` or `class`, or
/// the name before `=`.
std::vector<Entity> pythonEntities(const std::vector<const Tok *> &Body) {
  std::vector<Entity> Out(Body.size());
  unsigned Region = 0;
  int Level = 0;
  bool LineStart = true;
  for (size_t I = 0; I < Body.size(); ++I) {
    const Tok *T = Body[I];
    const Tok *Next = I + 1 < Body.size() ? Body[I + 1] : nullptr;
    if (T->Kind == Tok::Indent)
      ++Level;
    else if (T->Kind == Tok::Dedent)
      --Level;
    if (LineStart && Level == 0 && T->Kind != Tok::Dedent) {
      ++Region;
      if ((is(T, Tok::Keyword, "def") || is(T, Tok::Keyword, "class")) &&
          Next && Next->Kind == Tok::Name)
        Out[I + 1].TopLevel = true;
      else if (T->Kind == Tok::Name && is(Next, Tok::Punct, "="))
        Out[I].TopLevel = true;
    }
    LineStart = T->Kind == Tok::Newline || T->Kind == Tok::Dedent ||
                (LineStart && T->Kind == Tok::Indent);
    if (T->Kind == Tok::Name && !T->AfterDot)
      Out[I].Key = std::to_string(Region) + ":" + T->Text;
  }
  return Out;
}

/// Kernel names no emitted binding or property may keep as they are.
Error checkKernelName(Language L, const Tok &T) {
  if (L == Language::JS) {
    if (!T.AfterDot && (T.Text == "eval" || T.Text == "arguments"))
      return fail("a kernel name is '" + T.Text +
                  "', which strict mode code cannot bind");
    return Error::success();
  }
  if (T.AfterDot && StringRef(T.Text).starts_with("__"))
    return fail("a kernel field is the attribute '" + T.Text +
                "', which Python mangles or reserves");
  if (T.Text == "__debug__")
    return fail("a kernel name is __debug__, which Python cannot bind");
  return Error::success();
}

} // namespace

Error checkSameUpToRenaming(Language L, StringRef Orig, StringRef Plain,
                            const NameMap &Names) {
  auto OT = lex(L, Orig);
  if (!OT)
    return fail(Twine("emitted ") + langName(L) +
                " does not lex: " + toString(OT.takeError()));
  auto PT = lex(L, Plain);
  if (!PT)
    return fail(Twine("emitted ") + langName(L) + " of the renamed kernel " +
                "does not lex: " + toString(PT.takeError()));
  auto ON = normalize(L, *OT);
  if (!ON)
    return ON.takeError();
  auto PN = normalize(L, *PT);
  if (!PN)
    return PN.takeError();

  auto Where = [&](const Tok *O, const Tok *P) {
    return (" (line " + Twine(lineOf(Orig, O ? O->Offset : Orig.size())) +
            ", line " + Twine(lineOf(Plain, P ? P->Offset : Plain.size())) +
            " renamed)")
        .str();
  };

  size_t N = ON->Body.size();
  if (N != PN->Body.size()) {
    size_t I = 0;
    while (I < N && I < PN->Body.size() &&
           ON->Body[I]->Kind == PN->Body[I]->Kind &&
           (ON->Body[I]->Kind == Tok::Name ||
            ON->Body[I]->Kind == Tok::String ||
            ON->Body[I]->Text == PN->Body[I]->Text))
      ++I;
    const Tok *O = I < N ? ON->Body[I] : nullptr;
    const Tok *P = I < PN->Body.size() ? PN->Body[I] : nullptr;
    return fail(
        Twine("the kernel's names change the emitted ") + langName(L) + ": " +
        Twine(N) + " tokens against " + Twine(PN->Body.size()) +
        " for the renamed kernel, first " +
        (O ? "'" + O->Text + "'" : std::string("the end")) + " against " +
        (P ? "'" + P->Text + "'" : std::string("the end")) + Where(O, P));
  }

  // Pass 1: the shape. Every token but names and strings is the same.
  for (size_t I = 0; I < N; ++I) {
    const Tok *O = ON->Body[I], *P = PN->Body[I];
    if (O->Kind != P->Kind)
      return fail(Twine("the kernel's names change the emitted ") +
                  langName(L) + ": " + kindName(O->Kind) + " '" + O->Text +
                  "' where the renamed kernel has " + kindName(P->Kind) + " '" +
                  P->Text + "'" + Where(O, P));
    if (O->Kind != Tok::Name && O->Kind != Tok::String && O->Text != P->Text)
      return fail(Twine("the kernel's names change the emitted ") +
                  langName(L) + ": '" + O->Text + "' against '" + P->Text +
                  "'" + Where(O, P));
  }

  // Pass 2: names. A name of the original stands for one declaration
  // (Entity), which is one declaration of the renamed output, and the
  // other way round. Properties are left out: `p.x` and `a.x` are
  // different namespaces.
  std::vector<Entity> OE =
      L == Language::JS ? jsEntities(ON->Body) : pythonEntities(ON->Body);
  std::vector<Entity> PE =
      L == Language::JS ? jsEntities(PN->Body) : pythonEntities(PN->Body);
  std::map<std::string, std::string> O2P, P2O, TopO2P;
  std::set<std::pair<std::string, std::string>> NamePairs;
  for (size_t I = 0; I < N; ++I) {
    const Tok *O = ON->Body[I], *P = PN->Body[I];
    if (O->Kind != Tok::Name)
      continue;
    NamePairs.insert({O->Text, P->Text});
    if (O->Text != P->Text)
      if (Error E = checkKernelName(L, *O))
        return fail(toString(std::move(E)) + Where(O, P));
    // Every JS object inherits __proto__ as the accessor of its prototype:
    // a record must get a field of that name as an own property, which
    // `this.__proto__ = v` in its constructor would not make.
    if (L == Language::JS && O->AfterDot && O->Text == "__proto__" &&
        P->Text != O->Text && !O->OwnProperty && I >= 2 &&
        is(ON->Body[I - 2], Tok::Keyword, "this") && I + 1 < N &&
        is(ON->Body[I + 1], Tok::Punct, "="))
      return fail("a kernel field is the property __proto__, and "
                  "`this.__proto__ = ...` sets the object's prototype" +
                  Where(O, P));
    if (O->AfterDot)
      continue;
    auto OI = O2P.try_emplace(OE[I].Key, PE[I].Key).first;
    auto PI = P2O.try_emplace(PE[I].Key, OE[I].Key).first;
    if (OI->second != PE[I].Key || PI->second != OE[I].Key)
      return fail(Twine("two names of the renamed kernel are one name in the "
                        "emitted ") +
                  langName(L) + ": '" + O->Text + "' stands for " + OI->second +
                  " and for " + PE[I].Key + "; '" + P->Text + "' for " +
                  PI->second + " and for " + OE[I].Key + Where(O, P));
    if (OE[I].TopLevel)
      TopO2P[O->Text] = P->Text;
  }

  // Pass 3: strings are equal; one may hold a name (__slots__). A Python
  // module's docstring shows the module name.
  for (size_t I = 0; I < N; ++I) {
    const Tok *O = ON->Body[I], *P = PN->Body[I];
    if (O->Kind != Tok::String || O->Value == P->Value ||
        NamePairs.count({O->Value, P->Value}) ||
        (L == Language::Python && I == 0))
      continue;
    return fail(Twine("the kernel's names change a string of the emitted ") +
                langName(L) + ": " + show(O->Value) + " against " +
                show(P->Value) + Where(O, P));
  }

  // The renamed kernel needs no export under another name; the original's
  // export each kernel name under its own name.
  for (const auto &[Emitted, Exported] : PN->Exports)
    if (Emitted != Exported)
      return fail("the renamed kernel's '" + Emitted + "' is exported as '" +
                  Exported + "'");
  for (const auto &[Emitted, Exported] : ON->Exports) {
    if (!Names.count(Exported))
      return fail("'" + Emitted + "' is exported as '" + Exported +
                  "', which is no kernel name");
    auto It = TopO2P.find(Emitted);
    if (It == TopO2P.end() || It->second != Names.at(Exported))
      return fail("'" + Emitted + "' is exported as '" + Exported +
                  "' but is not that kernel function");
  }
  return Error::success();
}

} // namespace fuzz
} // namespace kc
