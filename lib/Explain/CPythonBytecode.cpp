//===- CPythonBytecode.cpp - CPython's bytecode, specialization, counts ---===//
//
// The reasons given for unspecialized instructions are the conditions of
// CPython 3.11's Python/specialize.c, stated only where the listing alone
// decides them (the operator of a BINARY_OP, what follows a COMPARE_OP) or
// where 3.11 has no specialized form for whole classes of operands (str,
// bytes and bytearray subscripts).
//
//===----------------------------------------------------------------------===//

#include "Explain/CPythonBytecode.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>

using namespace llvm;

namespace kc {
namespace explain {
namespace py {

StringRef formName(Form F) {
  switch (F) {
  case Form::Base:
    return "base";
  case Form::Specialized:
    return "specialized";
  case Form::Superinstruction:
    return "superinstruction";
  case Form::Quickened:
    return "quickened";
  case Form::Adaptive:
    return "adaptive";
  }
  llvm_unreachable("unknown form");
}

Form classify(StringRef Base, StringRef Adaptive) {
  if (Adaptive == Base)
    return Form::Base;
  if (Adaptive.ends_with("_ADAPTIVE"))
    return Form::Adaptive;
  if (Adaptive.ends_with("_QUICK"))
    return Form::Quickened;
  // Superinstructions are two opnames joined by a double underscore.
  if (Adaptive.contains("__"))
    return Form::Superinstruction;
  return Form::Specialized;
}

uint64_t CodeListing::executed() const {
  uint64_t N = 0;
  for (const Instruction &I : Insts)
    N += I.Executed;
  return N;
}

const Instruction *CodeListing::at(unsigned Offset) const {
  auto It = llvm::partition_point(
      Insts, [&](const Instruction &I) { return I.Offset < Offset; });
  return It != Insts.end() && It->Offset == Offset ? &*It : nullptr;
}

bool InstrumentedRun::specializable(StringRef Base) const {
  auto It = Families.find(Base.str());
  if (It == Families.end())
    return false;
  return llvm::any_of(It->second, [&](const std::string &F) {
    return classify(Base, F) == Form::Specialized;
  });
}

const CodeListing *InstrumentedRun::code(StringRef Name) const {
  for (const CodeListing &C : Codes)
    if (C.Name == Name)
      return &C;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Parsing
//===----------------------------------------------------------------------===//

namespace {

/// [name, count] pairs.
bool readHistogram(const json::Value *V,
                   std::vector<std::pair<std::string, uint64_t>> &Out) {
  const json::Array *A = V ? V->getAsArray() : nullptr;
  if (!A)
    return false;
  for (const json::Value &E : *A) {
    const json::Array *P = E.getAsArray();
    if (!P || P->size() != 2 || !(*P)[0].getAsString() ||
        !(*P)[1].getAsInteger() || *(*P)[1].getAsInteger() < 0)
      return false;
    Out.emplace_back((*P)[0].getAsString()->str(),
                     uint64_t(*(*P)[1].getAsInteger()));
  }
  return true;
}

bool readInstruction(const json::Value &V, Instruction &I) {
  const json::Array *A = V.getAsArray();
  if (!A || A->size() != 6)
    return false;
  auto Offset = (*A)[0].getAsInteger();
  auto Line = (*A)[1].getAsInteger();
  auto Base = (*A)[2].getAsString(), Adaptive = (*A)[3].getAsString(),
       Arg = (*A)[4].getAsString();
  auto Jump = (*A)[5].getAsBoolean();
  if (!Offset || *Offset < 0 || !Line || *Line < 0 || !Base || !Adaptive ||
      !Arg || !Jump)
    return false;
  I.Offset = unsigned(*Offset);
  I.PyLine = unsigned(*Line);
  I.Base = Base->str();
  I.Adaptive = Adaptive->str();
  I.Arg = Arg->str();
  I.JumpTarget = *Jump;
  return true;
}

} // namespace

Expected<InstrumentedRun> parseInstrumentedOutput(StringRef Text) {
  InstrumentedRun R;
  unsigned LineNo = 0;
  bool SawCounts = false;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    ++LineNo;
    Line = Line.trim();
    if (Line.empty())
      continue;
    auto Fail = [&](const Twine &Why) {
      return createStringError(inconvertibleErrorCode(),
                               "CPython runner output line " + Twine(LineNo) +
                                   ": " + Why + ": " + Line.take_front(100));
    };
    Expected<json::Value> V = json::parse(Line);
    if (!V) {
      consumeError(V.takeError());
      return Fail("not JSON");
    }
    const json::Object *O = V->getAsObject();
    std::optional<StringRef> Event = O ? O->getString("event") : std::nullopt;
    if (!Event)
      return Fail("no event");
    if (*Event == "hello") {
      R.Version = O->getString("version").value_or("").str();
      R.Library = O->getString("library").value_or("").str();
    } else if (*Event == "specializations") {
      const json::Object *F = O->getObject("families");
      if (!F)
        return Fail("no families");
      for (const auto &KV : *F) {
        const json::Array *Forms = KV.second.getAsArray();
        if (!Forms)
          return Fail("a family is not a list of opnames");
        auto &Out = R.Families[KV.first.str()];
        for (const json::Value &N : *Forms) {
          if (!N.getAsString())
            return Fail("a family is not a list of opnames");
          Out.push_back(N.getAsString()->str());
        }
      }
    } else if (*Event == "bytecode") {
      CodeListing C;
      auto Code = O->getInteger("code");
      auto Name = O->getString("name");
      const json::Array *Insts = O->getArray("instructions");
      if (!Code || *Code < 0 || !Name || !Insts)
        return Fail("bytecode without code, name or instructions");
      if (*Code != int64_t(R.Codes.size()))
        return Fail("code " + Twine(*Code) + " out of order");
      C.Code = unsigned(*Code);
      C.Name = Name->str();
      C.FirstLine = unsigned(
          std::max<int64_t>(0, O->getInteger("first_line").value_or(0)));
      for (const json::Value &IV : *Insts) {
        Instruction I;
        if (!readInstruction(IV, I))
          return Fail("an instruction is not [offset, line, base, adaptive, "
                      "arg, jump_target]");
        if (!C.Insts.empty() && I.Offset <= C.Insts.back().Offset)
          return Fail("instruction offsets do not increase");
        C.Insts.push_back(std::move(I));
      }
      R.Codes.push_back(std::move(C));
    } else if (*Event == "opcodes") {
      SawCounts = true;
      auto Calls = O->getInteger("calls"), Total = O->getInteger("total");
      if (!Calls || *Calls <= 0 || !Total || *Total < 0)
        return Fail("opcodes without calls or total");
      R.Calls = uint64_t(*Calls);
      R.Total = uint64_t(*Total);
      R.TracedNs =
          uint64_t(std::max<int64_t>(0, O->getInteger("ns").value_or(0)));
      if (!readHistogram(O->get("base"), R.BaseHistogram) ||
          !readHistogram(O->get("adaptive"), R.AdaptiveHistogram))
        return Fail("a histogram is not a list of [opname, count]");
      const json::Array *Codes = O->getArray("codes");
      if (!Codes)
        return Fail("opcodes without codes");
      uint64_t Sum = 0;
      for (const json::Value &CV : *Codes) {
        const json::Object *CO = CV.getAsObject();
        auto Code = CO ? CO->getInteger("code") : std::nullopt;
        const json::Array *Ex = CO ? CO->getArray("executed") : nullptr;
        if (!Code || !Ex)
          return Fail("a code without its number or counts");
        if (*Code < 0 || *Code >= int64_t(R.Codes.size()))
          return Fail("counts for code " + Twine(*Code) +
                      ", which has no bytecode line");
        CodeListing &C = R.Codes[size_t(*Code)];
        for (const json::Value &P : *Ex) {
          const json::Array *Pair = P.getAsArray();
          auto Off = Pair && Pair->size() == 2 ? (*Pair)[0].getAsInteger()
                                               : std::nullopt;
          auto N = Pair && Pair->size() == 2 ? (*Pair)[1].getAsInteger()
                                             : std::nullopt;
          if (!Off || !N || *N < 0)
            return Fail("a count is not [offset, count]");
          auto It = llvm::find_if(C.Insts, [&](const Instruction &I) {
            return int64_t(I.Offset) == *Off;
          });
          if (It == C.Insts.end())
            return Fail("a count for offset " + Twine(*Off) + " of " + C.Name +
                        ", where no instruction starts");
          It->Executed = uint64_t(*N);
          Sum += uint64_t(*N);
        }
      }
      if (Sum != R.Total)
        return Fail("the counts add up to " + Twine(Sum) + ", not total " +
                    Twine(R.Total));
    } else if (*Event == "result") {
      auto C = O->getString("canonical");
      if (!C)
        return Fail("result without canonical text");
      R.Canonical = C->str();
    } else if (*Event == "error") {
      R.ErrorKind = O->getString("kind").value_or("exception").str();
      R.ErrorMessage = O->getString("message").value_or("").str();
    } else if (*Event == "done") {
      R.Done = true;
    } else {
      return Fail("unknown event");
    }
  }
  if (!SawCounts && !R.ErrorKind)
    return createStringError(inconvertibleErrorCode(),
                             "the CPython runner printed no opcode counts");
  return R;
}

//===----------------------------------------------------------------------===//
// Analysis
//===----------------------------------------------------------------------===//

bool canSpecialize(const InstrumentedRun &R, const CodeListing &C,
                   const Instruction &I) {
  if (!R.specializable(I.Base))
    return false;
  const Instruction *First = C.Insts.data();
  if (I.Base != "CALL" || &I <= First || &I >= First + C.Insts.size())
    return true;
  const Instruction &Pre = *(&I - 1);
  return !(Pre.Base == "PRECALL" &&
           classify(Pre.Base, Pre.Adaptive) == Form::Specialized &&
           Pre.Adaptive != "PRECALL_PYFUNC" &&
           Pre.Adaptive != "PRECALL_BOUND_METHOD");
}

void FormCounts::add(const InstrumentedRun &R, const CodeListing &C,
                     const Instruction &I, uint64_t N) {
  Total += N;
  switch (classify(I.Base, I.Adaptive)) {
  case Form::Specialized:
    Specialized += N;
    return;
  case Form::Superinstruction:
    Superinstruction += N;
    return;
  case Form::Quickened:
    Quickened += N;
    return;
  case Form::Adaptive:
    Adaptive += N;
    if (canSpecialize(R, C, I))
      Missed += N;
    else
      Unspecializable += N;
    return;
  case Form::Base:
    Base += N;
    if (canSpecialize(R, C, I))
      Missed += N;
    else
      Unspecializable += N;
    return;
  }
}

FormCounts countForms(const InstrumentedRun &R, const CodeListing &C,
                      bool Static) {
  FormCounts F;
  for (const Instruction &I : C.Insts)
    F.add(R, C, I, Static ? 1 : I.Executed);
  return F;
}

FormCounts countForms(const InstrumentedRun &R) {
  FormCounts F;
  for (const CodeListing &C : R.Codes)
    for (const Instruction &I : C.Insts)
      F.add(R, C, I, I.Executed);
  return F;
}

static bool isBackwardJump(StringRef Base) {
  return Base.starts_with("JUMP_BACKWARD") ||
         Base.starts_with("POP_JUMP_BACKWARD");
}

/// The target of a jump from dis's argrepr, "to 36".
static std::optional<unsigned> jumpTarget(StringRef Arg) {
  unsigned T;
  if (!Arg.consume_front("to ") || Arg.trim().getAsInteger(10, T))
    return std::nullopt;
  return T;
}

std::vector<Loop> findLoops(const InstrumentedRun &R) {
  std::vector<Loop> Out;
  for (const CodeListing &C : R.Codes) {
    std::map<unsigned, Loop> ByTarget;
    for (const Instruction &I : C.Insts) {
      if (!isBackwardJump(I.Base))
        continue;
      auto T = jumpTarget(I.Arg);
      if (!T || *T > I.Offset)
        continue;
      Loop &L = ByTarget[*T];
      L.Code = C.Code;
      L.Begin = *T;
      L.End = std::max(L.End, I.Offset);
      L.Iterations += I.Executed;
      if (StringRef(I.Base).starts_with("POP_JUMP_BACKWARD"))
        L.HeaderPyLine = I.PyLine;
      else if (!L.HeaderPyLine)
        if (const Instruction *Target = C.at(*T))
          L.HeaderPyLine = Target->PyLine;
    }
    std::vector<Loop> Loops;
    for (auto &KV : ByTarget) {
      Loop L = KV.second;
      for (const Instruction &I : C.Insts) {
        if (I.Offset < L.Begin || I.Offset > L.End)
          continue;
        L.Executed += I.Executed;
        L.Forms.add(R, C, I, I.Executed);
        if (I.PyLine) {
          L.FirstPyLine =
              L.FirstPyLine ? std::min(L.FirstPyLine, I.PyLine) : I.PyLine;
          L.LastPyLine = std::max(L.LastPyLine, I.PyLine);
        }
      }
      Loops.push_back(L);
    }
    llvm::sort(Loops, [](const Loop &A, const Loop &B) {
      return A.Begin != B.Begin ? A.Begin < B.Begin : A.End > B.End;
    });
    Out.insert(Out.end(), Loops.begin(), Loops.end());
  }
  return Out;
}

std::optional<Loop> hotLoop(const InstrumentedRun &R) {
  std::vector<Loop> Loops = findLoops(R);
  const Loop *Hot = nullptr;
  // A loop whose backward jumps never ran did not loop (its body ended in
  // a return or break).
  for (const Loop &L : Loops)
    if (L.Iterations && (!Hot || L.Executed > Hot->Executed))
      Hot = &L;
  if (!Hot)
    return std::nullopt;
  for (;;) {
    const Loop *Inner = nullptr;
    for (const Loop &L : Loops)
      if (&L != Hot && L.Iterations && L.Code == Hot->Code &&
          L.Begin >= Hot->Begin && L.End <= Hot->End &&
          (!Inner || L.Executed > Inner->Executed))
        Inner = &L;
    if (!Inner || 2 * Inner->Executed < Hot->Executed)
      return *Hot;
    Hot = Inner;
  }
}

/// Why 3.11 left \p I (of \p C) unspecialized, where its rules decide it
/// from the listing.
static std::string reason(const CodeListing &C, const Instruction &I) {
  StringRef Op = I.Base, Arg = I.Arg;
  if (Op == "BINARY_OP") {
    static const char *const Specialized[] = {"+", "-", "*", "+=", "-=", "*="};
    if (!llvm::is_contained(Specialized, Arg))
      return ("3.11 has no specialized form of " + Arg + " (only +, - and *)")
          .str();
    return ("3.11 specializes " + Arg + " only on two ints or two floats" +
            (Arg.starts_with("+") ? " (or two strs)" : ""))
        .str();
  }
  if (Op == "COMPARE_OP") {
    auto It = llvm::find_if(
        C.Insts, [&](const Instruction &J) { return J.Offset > I.Offset; });
    if (It == C.Insts.end() || !StringRef(It->Base).starts_with("POP_JUMP"))
      return "no conditional jump follows it: 3.11 specializes only "
             "compare-and-branch";
    return "3.11 specializes compare-and-branch only on two floats, two ints "
           "below 2**30 in magnitude, or two strs with == or !=";
  }
  if (Op == "BINARY_SUBSCR")
    return "3.11 specializes only list[int], tuple[int], dict[key] and "
           "classes with a Python __getitem__ (not str, bytes or bytearray)";
  if (Op == "STORE_SUBSCR")
    return "3.11 specializes only list[int] stores in range and dict[key] "
           "stores";
  if (Op == "CALL")
    return "3.11 specializes CALL only for Python functions with plain "
           "parameters";
  return "";
}

std::vector<Unspecialized> unspecialized(const InstrumentedRun &R) {
  std::vector<Unspecialized> Out;
  for (const CodeListing &C : R.Codes)
    for (const Instruction &I : C.Insts) {
      if (!I.Executed || !canSpecialize(R, C, I))
        continue;
      Form F = classify(I.Base, I.Adaptive);
      if (F != Form::Base && F != Form::Adaptive)
        continue;
      Out.push_back({C.Code, &I, reason(C, I)});
    }
  std::stable_sort(Out.begin(), Out.end(),
                   [](const Unspecialized &A, const Unspecialized &B) {
                     return A.Inst->Executed > B.Inst->Executed;
                   });
  return Out;
}

std::string listing(const InstrumentedRun &R, const CodeListing &C,
                    bool Adaptive, std::vector<unsigned> &PyLines) {
  std::string Out;
  raw_string_ostream OS(Out);
  PyLines.clear();
  OS << C.Name << (Adaptive ? " after warm-up" : "") << ": Python line "
     << C.FirstLine << "; executions per call in the last column\n";
  PyLines.push_back(C.FirstLine);
  unsigned Last = 0;
  for (const Instruction &I : C.Insts) {
    std::string Line = I.PyLine && I.PyLine != Last ? utostr(I.PyLine) : "";
    Last = I.PyLine ? I.PyLine : Last;
    std::string Runs;
    if (I.Executed && R.Calls) {
      double PerCall = double(I.Executed) / double(R.Calls);
      Runs = formatv("{0}", format("%.6g", PerCall)).str();
    }
    std::string Tag;
    if (Adaptive) {
      Form F = classify(I.Base, I.Adaptive);
      if (F != Form::Base)
        Tag = formName(F).str();
      else if (canSpecialize(R, C, I))
        Tag = "unspecialized";
    }
    std::string Text = formatv("{0,5} {1,6} {2} {3,-30} {4,-24} {5,10}", Line,
                               I.Offset, I.JumpTarget ? ">>" : "  ",
                               Adaptive ? I.Adaptive : I.Base, I.Arg, Runs)
                           .str();
    if (!Tag.empty())
      Text += "  " + Tag;
    OS << StringRef(Text).rtrim() << "\n";
    PyLines.push_back(I.PyLine);
  }
  return OS.str();
}

} // namespace py
} // namespace explain
} // namespace kc
