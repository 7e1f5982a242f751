//===- V8Log.cpp - Readers of V8's own output for rtcompare explain -------===//
//
// Formats, as V8 13.6 (node 24) writes them (src/logging/log.cc):
//
//   code-creation,JS,<kind>,<us>,<address>,<size>,<name url:line:col>,
//       <sfi>,<marker>
//   code-source-info,<address>,<script>,<start>,<end>,
//       C<pc>O<offset>[I<id>]...,F<fn>O<offset>[I<parent>]...,S<sfi>...
//   code-deopt,<us>,<size>,<address>,<inlining id>,<offset>,<bailout>,
//       <url:line:col>,<reason>
//   code-move,<from>,<to>       sfi-move,<from>,<to>
//
// Commas inside a field are written \x2C. A marker says the tier: ~
// bytecode (Ignition), ^ Sparkplug, + Maglev, * TurboFan; a trailing '
// marks function-context-specialized code.
//
//===----------------------------------------------------------------------===//

#include "Explain/V8Log.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

using namespace llvm;

namespace kc {
namespace explain {
namespace v8log {

StringRef tierName(Tier T) {
  switch (T) {
  case Tier::Ignition: return "Ignition";
  case Tier::Sparkplug: return "Sparkplug";
  case Tier::Maglev: return "Maglev";
  case Tier::TurboFan: return "TurboFan";
  }
  llvm_unreachable("bad tier");
}

std::optional<Tier> tierOfMarker(StringRef Marker) {
  Marker.consume_back("'");
  if (Marker == "~")
    return Tier::Ignition;
  if (Marker == "^")
    return Tier::Sparkplug;
  if (Marker == "+")
    return Tier::Maglev;
  if (Marker == "*")
    return Tier::TurboFan;
  return std::nullopt;
}

std::optional<Tier> tierOfKind(StringRef Kind) {
  if (Kind == "MAGLEV")
    return Tier::Maglev;
  if (Kind == "TURBOFAN_JS" || Kind == "TURBOFAN")
    return Tier::TurboFan;
  if (Kind == "BASELINE")
    return Tier::Sparkplug;
  if (Kind == "INTERPRETED_FUNCTION")
    return Tier::Ignition;
  return std::nullopt;
}

std::string unescapeField(StringRef F) {
  std::string Out;
  Out.reserve(F.size());
  for (size_t I = 0; I < F.size(); ++I) {
    char C = F[I];
    if (C != '\\' || I + 1 == F.size()) {
      Out += C;
      continue;
    }
    char N = F[I + 1];
    unsigned Value;
    if (N == 'x' && I + 3 < F.size() &&
        !F.substr(I + 2, 2).getAsInteger(16, Value)) {
      Out += static_cast<char>(Value);
      I += 3;
    } else if (N == 'u' && I + 5 < F.size() &&
               !F.substr(I + 2, 4).getAsInteger(16, Value)) {
      char Buf[UNI_MAX_UTF8_BYTES_PER_CODE_POINT];
      char *Ptr = Buf;
      if (ConvertCodePointToUTF8(Value, Ptr))
        Out.append(Buf, Ptr);
      I += 5;
    } else if (N == 'n') {
      Out += '\n';
      ++I;
    } else if (N == '\\') {
      Out += '\\';
      ++I;
    } else {
      Out += C;
    }
  }
  return Out;
}

void splitFunctionName(StringRef Field, std::string &Name, std::string &Url,
                       unsigned &Line, unsigned &Column) {
  Name.clear();
  Url.clear();
  Line = Column = 0;
  // The position is the last word: url:line:col, url possibly empty.
  size_t Space = Field.rfind(' ');
  StringRef Pos = Space == StringRef::npos ? Field : Field.substr(Space + 1);
  StringRef Rest, ColText, LineText;
  std::tie(Rest, ColText) = Pos.rsplit(':');
  std::tie(Rest, LineText) = Rest.rsplit(':');
  if (Rest.data() == nullptr || ColText.empty() || LineText.empty() ||
      LineText.getAsInteger(10, Line) || ColText.getAsInteger(10, Column) ||
      !Pos.contains(':')) {
    Line = Column = 0;
    Name = Field.str();
    return;
  }
  Url = Rest.str();
  Name = Space == StringRef::npos ? "" : Field.substr(0, Space).str();
}

static bool parseAddress(StringRef S, uint64_t &Out) {
  if (!S.consume_front("0x"))
    return false;
  return !S.getAsInteger(16, Out);
}

/// C<pc>O<offset>[I<id>]... into positions.
static void parsePositions(StringRef S, std::vector<SourcePosition> &Out) {
  while (S.consume_front("C")) {
    SourcePosition P;
    size_t O = S.find('O');
    if (O == StringRef::npos || S.substr(0, O).getAsInteger(10, P.PcOffset))
      return;
    S = S.substr(O + 1);
    size_t End = S.find_first_not_of("0123456789");
    if (S.substr(0, End).getAsInteger(10, P.ScriptOffset))
      return;
    S = End == StringRef::npos ? StringRef() : S.substr(End);
    if (S.consume_front("I")) {
      End = S.find_first_not_of("0123456789");
      unsigned Id;
      if (S.substr(0, End).getAsInteger(10, Id))
        return;
      P.InliningId = static_cast<int>(Id);
      S = End == StringRef::npos ? StringRef() : S.substr(End);
    }
    Out.push_back(P);
  }
}

/// The inlining positions F<fn>O<offset>[I<parent>]... give, per inlining
/// id, the index of the inlined function in the S<sfi> list.
static std::vector<uint64_t> parseInlined(StringRef Positions,
                                          StringRef Functions) {
  std::vector<uint64_t> Sfis;
  SmallVector<StringRef, 8> Parts;
  Functions.split(Parts, 'S', -1, /*KeepEmpty=*/false);
  for (StringRef P : Parts) {
    uint64_t A;
    Sfis.push_back(parseAddress(P, A) ? A : 0);
  }
  std::vector<uint64_t> Out;
  while (Positions.consume_front("F")) {
    size_t O = Positions.find('O');
    unsigned Fn;
    if (O == StringRef::npos || Positions.substr(0, O).getAsInteger(10, Fn))
      break;
    Out.push_back(Fn < Sfis.size() ? Sfis[Fn] : 0);
    size_t Next = Positions.find('F', O);
    Positions = Next == StringRef::npos ? StringRef() : Positions.substr(Next);
  }
  return Out;
}

/// "<url:line:col>" or "<url:line:col> inlined at <...>": the first one.
static void parseDeoptLocation(StringRef S, Deopt &D) {
  S = S.trim();
  if (!S.consume_front("<"))
    return;
  S = S.take_until([](char C) { return C == '>'; });
  std::string Name;
  splitFunctionName(S, Name, D.Url, D.Line, D.Column);
  if (D.Line == 0)
    D.Url.clear();
}

Log parseLog(StringRef Text) {
  Log L;
  DenseMap<uint64_t, size_t> ByAddress;  // live code address -> Codes index
  int Current = -1;
  bool Ended = false;
  SmallVector<StringRef, 12> F;
  while (!Text.empty()) {
    StringRef Line;
    std::tie(Line, Text) = Text.split('\n');
    // Cheap test first: script-source lines can be megabytes.
    if (!Line.starts_with("code-") && !Line.starts_with("sfi-move") &&
        !Line.starts_with("v8-version"))
      continue;
    F.clear();
    Line.split(F, ',');
    StringRef Event = F[0];
    if (Event == "code-creation") {
      if (F.size() < 7)
        ++L.Malformed;
      if (F.size() < 9 || (F[1] != "JS" && F[1] != "Script"))
        continue;  // builtins, handlers, regexps, eval wrappers
      std::optional<Tier> T = tierOfMarker(F[8]);
      uint64_t Address, Sfi;
      double Us;
      uint32_t Size;
      if (!T || !parseAddress(F[4], Address) || !parseAddress(F[7], Sfi) ||
          F[3].getAsDouble(Us) || F[5].getAsInteger(10, Size)) {
        ++L.Malformed;
        continue;
      }
      CodeObject C;
      splitFunctionName(unescapeField(F[6]), C.Function, C.Url, C.Line,
                        C.Column);
      StringRef Name = C.Function;
      if (C.Url.empty() && Name.consume_front("__kc_sample_")) {
        unsigned N;
        if (Name == "end") {
          L.SawEndMarker = Ended = true;
        } else if (!Name.getAsInteger(10, N)) {
          Current = static_cast<int>(N);
          L.Samples = std::max(L.Samples, Current);
        }
        continue;
      }
      C.Address = Address;
      C.Size = Size;
      C.Level = *T;
      C.Sfi = Sfi;
      C.TimeMs = Us / 1000;
      C.Sample = Ended ? -2 : Current;  // -2: after the end, fixed below
      ByAddress[Address] = L.Codes.size();
      L.Codes.push_back(std::move(C));
    } else if (Event == "code-source-info") {
      uint64_t Address;
      if (F.size() < 8 || !parseAddress(F[1], Address)) {
        ++L.Malformed;
        continue;
      }
      auto It = ByAddress.find(Address);
      if (It == ByAddress.end())
        continue;
      CodeObject &C = L.Codes[It->second];
      int Script;
      if (!F[2].getAsInteger(10, Script))
        C.ScriptId = Script;
      C.Positions.clear();
      parsePositions(F[5], C.Positions);
      C.InlinedSfis = parseInlined(F[6], F[7]);
    } else if (Event == "code-deopt") {
      uint64_t Address;
      double Us;
      if (F.size() < 9 || !parseAddress(F[3], Address) ||
          F[1].getAsDouble(Us)) {
        ++L.Malformed;
        continue;
      }
      auto It = ByAddress.find(Address);
      if (It == ByAddress.end()) {
        ++L.UnknownCodeDeopts;
        continue;
      }
      Deopt D;
      D.Code = It->second;
      D.TimeMs = Us / 1000;
      D.Sample = Ended ? -2 : Current;
      if (F[4].getAsInteger(10, D.InliningId))
        D.InliningId = -1;
      if (F[5].getAsInteger(10, D.ScriptOffset))
        D.ScriptOffset = -1;
      D.Bailout = F[6].str();
      parseDeoptLocation(unescapeField(F[7]), D);
      // A reason with a comma arrives escaped, but be lenient anyway.
      std::string Reason;
      for (size_t I = 8; I < F.size(); ++I)
        Reason += (I > 8 ? "," : "") + unescapeField(F[I]);
      D.Reason = std::move(Reason);
      L.Deopts.push_back(std::move(D));
    } else if (Event == "code-move" || Event == "sfi-move") {
      uint64_t From, To;
      if (F.size() < 3 || !parseAddress(F[1], From) ||
          !parseAddress(F[2], To)) {
        ++L.Malformed;
        continue;
      }
      if (Event == "code-move") {
        auto It = ByAddress.find(From);
        if (It == ByAddress.end())
          continue;
        size_t Index = It->second;
        ByAddress.erase(It);
        ByAddress[To] = Index;
        L.Codes[Index].Address = To;
        continue;
      }
      // A function's identity moves with its SharedFunctionInfo.
      for (CodeObject &C : L.Codes) {
        if (C.Sfi == From)
          C.Sfi = To;
        for (uint64_t &S : C.InlinedSfis)
          if (S == From)
            S = To;
      }
    } else if (Event == "v8-version") {
      // v8-version,13,6,233,17,-node.53,0
      if (F.size() >= 6)
        L.V8Version =
            (F[1] + "." + F[2] + "." + F[3] + "." + F[4] + F[5]).str();
    }
  }
  // The marker after the last sample says "sample Samples begins", but none
  // did: what follows it happened after sampling, like what follows "end".
  for (CodeObject &C : L.Codes)
    if (C.Sample == -2 || C.Sample > L.Samples)
      C.Sample = L.Samples;
  for (Deopt &D : L.Deopts)
    if (D.Sample == -2 || D.Sample > L.Samples)
      D.Sample = L.Samples;
  return L;
}

//===----------------------------------------------------------------------===//
// Listings on stdout
//===----------------------------------------------------------------------===//

/// Drops "0x7f...  " address columns and "(0x... @ 62)" jump targets'
/// addresses: they change from run to run and say nothing.
static std::string dropAddresses(StringRef S) {
  std::string Out;
  while (!S.empty()) {
    size_t At = S.find("0x");
    if (At == StringRef::npos) {
      Out += S;
      break;
    }
    size_t End = S.find_first_not_of("0123456789abcdef", At + 2);
    if (End == StringRef::npos)
      End = S.size();
    // Only long (pointer-sized) hex numbers are addresses; keep constants.
    if (End - At - 2 >= 9 &&
        (At == 0 || S[At - 1] == ' ' || S[At - 1] == '(')) {
      Out += S.substr(0, At);
      StringRef After = S.substr(End);
      if (After.starts_with(" @"))
        After = After.drop_front();  // "(0x... @ 62)" -> "(@ 62)"
      S = After;
      continue;
    }
    Out += S.substr(0, End);
    S = S.substr(End);
  }
  return Out;
}

std::vector<BytecodeListing> parseBytecodeListings(StringRef Stdout) {
  std::vector<BytecodeListing> Out;
  BytecodeListing *Cur = nullptr;
  bool InPool = false;
  while (!Stdout.empty()) {
    StringRef Line;
    std::tie(Line, Stdout) = Stdout.split('\n');
    StringRef Head = Line;
    if (Head.consume_front("[generated bytecode for function: ")) {
      // NAME (0xADDR <SharedFunctionInfo NAME>)]
      Out.emplace_back();
      Cur = &Out.back();
      InPool = false;
      size_t Paren = Head.rfind(" (0x");
      if (Paren == StringRef::npos) {
        Cur->Function = Head.rtrim("]").str();
        continue;
      }
      Cur->Function = Head.substr(0, Paren).str();
      StringRef Addr = Head.substr(Paren + 2).take_until(
          [](char C) { return C == ' ' || C == ')'; });
      uint64_t A;
      if (parseAddress(Addr, A))
        Cur->Sfi = A & ~uint64_t(1);  // printed tagged; the log untags
      continue;
    }
    if (!Cur)
      continue;
    StringRef T = Line.trim();
    unsigned N;
    if (T.consume_front("Bytecode length: ")) {
      if (!T.getAsInteger(10, N))
        Cur->Length = N;
      continue;
    }
    if (T.consume_front("Parameter count ")) {
      if (!T.getAsInteger(10, N))
        Cur->Parameters = N;
      continue;
    }
    if (T.consume_front("Register count ")) {
      if (!T.getAsInteger(10, N))
        Cur->Registers = N;
      continue;
    }
    if (T.consume_front("Constant pool (size = ")) {
      if (!T.rtrim(")").getAsInteger(10, N))
        Cur->ConstantPoolSize = N;
      InPool = true;
      continue;
    }
    if (T.starts_with("Handler Table") ||
        T.starts_with("Source Position Table")) {
      Cur = nullptr;  // the bytecodes are done
      continue;
    }
    if (InPool)
      continue;
    // [ <offset> S>|E> ] 0xADDR @ <offset> : <hex bytes>  <bytecode>
    size_t At = Line.find(" @ ");
    size_t Colon = Line.find(" : ", At == StringRef::npos ? 0 : At);
    if (At == StringRef::npos || Colon == StringRef::npos)
      continue;
    BytecodeLine B;
    StringRef Pre = Line.substr(0, At).trim();
    // Pre: "37 S> 0x29d874741bb0" or "0x29d874741bb6"
    SmallVector<StringRef, 4> Words;
    Pre.split(Words, ' ', -1, /*KeepEmpty=*/false);
    if (Words.size() >= 3 && (Words[1] == "S>" || Words[1] == "E>")) {
      unsigned Pos;
      if (!Words[0].getAsInteger(10, Pos))
        B.ScriptOffset = static_cast<int>(Pos);
      B.Statement = Words[1] == "S>";
    }
    if (Line.substr(At + 3, Colon - At - 3).trim().getAsInteger(10, B.Offset))
      continue;
    // The encoding is pairs of lowercase hex digits; no bytecode name is.
    StringRef Code = Line.substr(Colon + 3).ltrim();
    while (Code.size() > 2 && isHexDigit(Code[0]) && isHexDigit(Code[1]) &&
           !isUpper(Code[0]) && !isUpper(Code[1]) && Code[2] == ' ')
      Code = Code.drop_front(3).ltrim();
    B.Text = dropAddresses(Code.rtrim());
    Cur->Bytecodes.push_back(std::move(B));
  }
  return Out;
}

std::vector<CodeListing> parseCodeListings(StringRef Stdout) {
  // TurboFan (--print-opt-code): "--- Optimized code ---" ... "--- End
  // code ---"; Maglev (--print-maglev-code): "--- Disassembly: ---", ended
  // by the next listing. Both: key = value lines, "Instructions (size =
  // N)", the instructions up to a blank line, then tables.
  std::vector<CodeListing> Out;
  CodeListing *Cur = nullptr;
  enum { Header, Instructions, Tables } State = Header;
  while (!Stdout.empty()) {
    StringRef Line;
    std::tie(Line, Stdout) = Stdout.split('\n');
    if (Line.starts_with("--- Optimized code ---") ||
        Line.starts_with("--- Disassembly: ---")) {
      Out.emplace_back();
      Cur = &Out.back();
      State = Header;
      continue;
    }
    if (Line.starts_with("--- End code ---") ||
        Line.starts_with("[generated bytecode") || Line.starts_with("{")) {
      Cur = nullptr;
      continue;
    }
    if (!Cur)
      continue;
    StringRef T = Line.trim();
    if (State == Header) {
      StringRef Key, Value;
      std::tie(Key, Value) = T.split(" = ");
      if (Key == "name")
        Cur->Function = Value.str();
      else if (Key == "kind")
        Cur->Kind = Value.str();
      else if (Key == "compiler")
        Cur->Compiler = Value.str();
      else if (T.consume_front("Instructions (size = ")) {
        unsigned N;
        if (!T.rtrim(")").getAsInteger(10, N))
          Cur->Size = N;
        State = Instructions;
      }
      continue;
    }
    if (State == Tables || T.empty()) {
      State = Tables;
      if (T.consume_front("Inlined functions (count = ")) {
        unsigned N;
        if (!T.rtrim(")").getAsInteger(10, N))
          Cur->InlinedCount = N;
      }
      continue;
    }
    if (!(T.starts_with("0x") || T.starts_with(";;")))
      continue;
    InstructionLine I;
    if (T.starts_with(";;")) {
      // A comment about the instruction above it.
      if (Cur->Instructions.empty())
        continue;
      I.PcOffset = Cur->Instructions.back().PcOffset;
      I.IsComment = true;
      I.Text = T.str();
      Cur->Instructions.push_back(std::move(I));
      continue;
    }
    // 0x7f0407803b40     0  55                   push rbp
    // (address, pc offset in hex, encoding, instruction)
    StringRef Rest = T;
    auto NextWord = [&Rest] {
      Rest = Rest.ltrim(' ');
      StringRef W = Rest.take_until([](char C) { return C == ' '; });
      Rest = Rest.drop_front(W.size());
      return W;
    };
    uint64_t Address;
    unsigned Pc;
    StringRef AddressText = NextWord(), PcText = NextWord();
    NextWord();  // the encoding
    Rest = Rest.ltrim(' ');
    if (!parseAddress(AddressText, Address) || PcText.getAsInteger(16, Pc) ||
        Rest.empty())
      continue;
    if (Cur->Instructions.empty())
      Cur->Start = Address;
    I.PcOffset = Pc;
    I.Text = Rest.str();
    Cur->Instructions.push_back(std::move(I));
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// Flags and tiers
//===----------------------------------------------------------------------===//

std::map<std::string, std::string> parseV8Options(StringRef Text) {
  // "  --maglev (enable the maglev optimizing compiler)"
  // "        type: bool  default: --maglev"
  std::map<std::string, std::string> Out;
  std::string Pending;
  while (!Text.empty()) {
    StringRef Line;
    std::tie(Line, Text) = Text.split('\n');
    StringRef T = Line.trim();
    if (T.starts_with("--") && Line.starts_with("  --")) {
      Pending =
          T.drop_front(2).take_until([](char C) { return C == ' '; }).str();
      Out[Pending] = "";
      continue;
    }
    size_t D = T.find("default: ");
    if (D != StringRef::npos && T.starts_with("type:") && !Pending.empty()) {
      Out[Pending] = T.substr(D + 9).trim().str();
      Pending.clear();
    }
  }
  return Out;
}

RungPin pinTier(Tier Top, const std::map<std::string, std::string> &Options) {
  RungPin P;
  auto Has = [&](StringRef Flag) { return Options.count(Flag.str()) != 0; };
  auto OnByDefault = [&](StringRef Flag) {
    auto It = Options.find(Flag.str());
    return It != Options.end() && It->second == "--" + Flag.str();
  };
  if (OnByDefault("jitless") && Top != Tier::Ignition) {
    P.Missing = "this V8 is jitless by default: no compiled tier";
    return P;
  }
  bool MaxOpt = Has("max-opt");
  switch (Top) {
  case Tier::TurboFan:
    // The default configuration: every tier this V8 enables.
    if ((Has("turbofan") && !OnByDefault("turbofan")) ||
        (!Has("turbofan") && Has("opt") && !OnByDefault("opt")))
      P.Missing = "TurboFan is off by default in this V8";
    return P;
  case Tier::Maglev:
    if (!Has("maglev")) {
      P.Missing = "this V8 has no Maglev (it first shipped in V8 11.7)";
      return P;
    }
    if (!OnByDefault("maglev")) {
      P.Missing = "Maglev is off by default in this V8 (--no-maglev: "
                  "experimental there), so it is not a tier this V8 runs";
      return P;
    }
    if (MaxOpt)
      P.Flags = {"--max-opt=2"};
    else
      P.Flags = {Has("turbofan") ? "--no-turbofan" : "--no-opt"};
    return P;
  case Tier::Sparkplug:
    if (!Has("sparkplug")) {
      P.Missing = "this V8 has no Sparkplug (it first shipped in V8 9.1)";
      return P;
    }
    if (!OnByDefault("sparkplug")) {
      P.Missing = "Sparkplug is off by default in this V8";
      return P;
    }
    if (MaxOpt) {
      P.Flags = {"--max-opt=1"};
      return P;
    }
    if (Has("maglev"))
      P.Flags.push_back("--no-maglev");
    P.Flags.push_back(Has("turbofan") ? "--no-turbofan" : "--no-opt");
    return P;
  case Tier::Ignition:
    if (MaxOpt) {
      P.Flags = {"--max-opt=0"};
      return P;
    }
    if (Has("sparkplug"))
      P.Flags.push_back("--no-sparkplug");
    if (Has("maglev"))
      P.Flags.push_back("--no-maglev");
    P.Flags.push_back(Has("turbofan") ? "--no-turbofan" : "--no-opt");
    return P;
  }
  llvm_unreachable("bad tier");
}

std::vector<uint32_t> lineStarts(StringRef Text) {
  std::vector<uint32_t> Starts = {0};
  for (size_t I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n' && I + 1 < Text.size())
      Starts.push_back(static_cast<uint32_t>(I + 1));
  return Starts;
}

unsigned lineOfOffset(const std::vector<uint32_t> &Starts, uint32_t Offset) {
  auto It = std::upper_bound(Starts.begin(), Starts.end(), Offset);
  return static_cast<unsigned>(It - Starts.begin());
}

} // namespace v8log
} // namespace explain
} // namespace kc
