//===- Protocol.cpp - The runner protocol, both sides ---------------------===//

#include "Bench/Protocol.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>
#include <ctime>

using namespace kc;
using namespace kc::bench;

static llvm::Error jobError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "bad job: " + Msg);
}

llvm::Expected<Job> bench::parseJob(llvm::StringRef Text) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  if (!V)
    return jobError(llvm::toString(V.takeError()));
  const llvm::json::Object *O = V->getAsObject();
  if (!O)
    return jobError("not a JSON object");
  if (O->getInteger("protocol") != ProtocolVersion)
    return jobError("protocol must be " + llvm::Twine(ProtocolVersion));
  Job J;
  auto Str = [&](llvm::StringRef Key, std::string &Out,
                 bool Required) -> llvm::Error {
    if (auto S = O->getString(Key)) {
      Out = S->str();
      return llvm::Error::success();
    }
    return Required ? jobError("missing string '" + Key + "'")
                    : llvm::Error::success();
  };
  if (llvm::Error E = Str("module", J.Module, true))
    return std::move(E);
  if (llvm::Error E = Str("entry", J.Entry, true))
    return std::move(E);
  if (llvm::Error E = Str("result", J.Result, true))
    return std::move(E);
  if (llvm::Error E = Str("inputs", J.Inputs, false))
    return std::move(E);
  if (const llvm::json::Array *Ps = O->getArray("params")) {
    for (const llvm::json::Value &P : *Ps) {
      auto S = P.getAsString();
      if (!S)
        return jobError("params must be type spellings");
      J.Params.push_back(S->str());
    }
  }
  if (const llvm::json::Object *Rs = O->getObject("records")) {
    for (const auto &KV : *Rs) {
      const llvm::json::Array *Fields = KV.second.getAsArray();
      if (!Fields)
        return jobError("record '" + KV.first.str() + "' needs a field list");
      auto &Out = J.Records[KV.first.str()];
      for (const llvm::json::Value &F : *Fields) {
        const llvm::json::Array *Pair = F.getAsArray();
        if (!Pair || Pair->size() != 2 || !(*Pair)[0].getAsString() ||
            !(*Pair)[1].getAsString())
          return jobError("record fields are [name, type] pairs");
        Out.emplace_back((*Pair)[0].getAsString()->str(),
                         (*Pair)[1].getAsString()->str());
      }
    }
  }
  auto Int = [&](llvm::StringRef Key, auto &Out, int64_t Min) -> llvm::Error {
    if (auto I = O->getInteger(Key)) {
      if (*I < Min)
        return jobError("'" + Key + "' must be at least " + llvm::Twine(Min));
      Out = static_cast<std::remove_reference_t<decltype(Out)>>(*I);
    }
    return llvm::Error::success();
  };
  if (llvm::Error E = Int("iterations", J.Iterations, 1))
    return std::move(E);
  if (llvm::Error E = Int("min_sample_ns", J.MinSampleNs, 0))
    return std::move(E);
  if (llvm::Error E = Int("batch", J.Batch, 0))
    return std::move(E);
  if (llvm::Error E = Int("time_budget_ns", J.TimeBudgetNs, 0))
    return std::move(E);
  if (llvm::Error E = Int("warmup_calls", J.WarmupCalls, 0))
    return std::move(E);
  if (llvm::Error E = Int("count_opcodes", J.CountOpcodes, 0))
    return std::move(E);
  if (auto B = O->getBoolean("check_only"))
    J.CheckOnly = *B;
  if (const llvm::json::Value *L = O->get("opt_level")) {
    std::optional<int64_t> I = L->getAsInteger();
    if (!I || *I < 0 || *I > 3)
      return jobError("'opt_level' must be 0, 1, 2 or 3");
    J.OptLevel = static_cast<unsigned>(*I);
  }
  if (const llvm::json::Value *C = O->get("engine_checks")) {
    if (!C->getAsString())
      return jobError("'engine_checks' must be a string such as "
                      "\"overflow,tags\"");
    J.EngineChecks = C->getAsString()->str();
  }
  if (const llvm::json::Value *A = O->get("allowed_imports")) {
    const llvm::json::Array *List = A->getAsArray();
    if (!List)
      return jobError("'allowed_imports' must be an array of module names");
    J.AllowedImports.emplace();
    for (const llvm::json::Value &M : *List) {
      auto S = M.getAsString();
      if (!S || S->empty())
        return jobError("'allowed_imports' must be an array of module names");
      J.AllowedImports->push_back(S->str());
    }
  }
  return J;
}

void bench::writeJob(const Job &J, llvm::raw_ostream &OS) {
  llvm::json::Array Params;
  for (const std::string &P : J.Params)
    Params.push_back(P);
  llvm::json::Object Records;
  for (const auto &R : J.Records) {
    llvm::json::Array Fields;
    for (const auto &F : R.second)
      Fields.push_back(llvm::json::Array{F.first, F.second});
    Records[R.first] = std::move(Fields);
  }
  llvm::json::Object O{{"protocol", ProtocolVersion},
                       {"module", J.Module},
                       {"entry", J.Entry},
                       {"params", std::move(Params)},
                       {"result", J.Result},
                       {"records", std::move(Records)},
                       {"inputs", J.Inputs},
                       {"iterations", J.Iterations},
                       {"min_sample_ns", static_cast<int64_t>(J.MinSampleNs)},
                       {"batch", static_cast<int64_t>(J.Batch)},
                       {"time_budget_ns", static_cast<int64_t>(J.TimeBudgetNs)},
                       {"check_only", J.CheckOnly}};
  // Only jobs of an instrumented execution carry these.
  if (J.CountOpcodes) {
    O["warmup_calls"] = static_cast<int64_t>(J.WarmupCalls);
    O["count_opcodes"] = static_cast<int64_t>(J.CountOpcodes);
  }
  // Only a native job of a .k module carries these.
  if (J.OptLevel)
    O["opt_level"] = static_cast<int64_t>(*J.OptLevel);
  if (!J.EngineChecks.empty())
    O["engine_checks"] = J.EngineChecks;
  if (J.AllowedImports) {
    llvm::json::Array Imports;
    for (const std::string &M : *J.AllowedImports)
      Imports.push_back(M);
    O["allowed_imports"] = std::move(Imports);
  }
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(O))) << "\n";
}

static void line(llvm::raw_ostream &OS, llvm::json::Object O) {
  OS << llvm::json::Value(std::move(O)) << "\n";
  OS.flush();
}

void ProtocolWriter::hello(llvm::StringRef Runtime, llvm::StringRef Version,
                           llvm::StringRef Engine,
                           const std::vector<std::string> &Flags,
                           double TimerNs) {
  llvm::json::Array F;
  for (const std::string &S : Flags)
    F.push_back(S);
  line(OS, llvm::json::Object{{"event", "hello"},
            {"protocol", ProtocolVersion},
            {"runtime", Runtime},
            {"version", Version},
            {"engine", Engine},
            {"flags", std::move(F)},
            {"timer_ns", TimerNs}});
}

void ProtocolWriter::batch(uint64_t Calls) {
  line(OS, llvm::json::Object{{"event", "batch"}, {"calls", static_cast<int64_t>(Calls)}});
}

void ProtocolWriter::sample(unsigned Index, uint64_t Calls, uint64_t Ns) {
  line(OS, llvm::json::Object{{"event", "sample"},
            {"i", Index},
            {"calls", static_cast<int64_t>(Calls)},
            {"ns", static_cast<int64_t>(Ns)}});
}

void ProtocolWriter::result(llvm::StringRef Canonical) {
  line(OS, llvm::json::Object{{"event", "result"}, {"canonical", Canonical}});
}

void ProtocolWriter::error(llvm::StringRef Kind, llvm::StringRef Message,
                           int64_t Line) {
  llvm::json::Object O{{"event", "error"}, {"kind", Kind}, {"message", Message}};
  if (Line)
    O["line"] = Line;
  line(OS, std::move(O));
}

void ProtocolWriter::done() { line(OS, llvm::json::Object{{"event", "done"}}); }

llvm::Expected<RunnerReport> bench::parseRunnerOutput(llvm::StringRef Text) {
  RunnerReport R;
  unsigned LineNo = 0;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    ++LineNo;
    Line = Line.trim();
    if (Line.empty())
      continue;
    auto Fail = [&](const llvm::Twine &Why) {
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "runner output line " + llvm::Twine(LineNo) + ": " + Why + ": " +
              Line.take_front(120));
    };
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(Line);
    if (!V) {
      llvm::consumeError(V.takeError());
      return Fail("not JSON");
    }
    const llvm::json::Object *O = V->getAsObject();
    std::optional<llvm::StringRef> Event = O ? O->getString("event") : std::nullopt;
    if (!Event)
      return Fail("no event");
    if (*Event == "hello") {
      R.Runtime = O->getString("runtime").value_or("").str();
      R.Version = O->getString("version").value_or("").str();
      R.Engine = O->getString("engine").value_or("").str();
      R.TimerNs = O->getNumber("timer_ns").value_or(0);
      if (const llvm::json::Array *F = O->getArray("flags"))
        for (const llvm::json::Value &S : *F)
          if (auto Str = S.getAsString())
            R.Flags.push_back(Str->str());
    } else if (*Event == "batch") {
      R.Batch = O->getInteger("calls").value_or(0);
    } else if (*Event == "sample") {
      auto Calls = O->getInteger("calls");
      auto Ns = O->getNumber("ns");
      if (!Calls || *Calls <= 0 || !Ns)
        return Fail("sample without calls or ns");
      R.SampleNsPerCall.push_back(*Ns / static_cast<double>(*Calls));
    } else if (*Event == "result") {
      auto C = O->getString("canonical");
      if (!C)
        return Fail("result without canonical text");
      R.Canonical = C->str();
    } else if (*Event == "error") {
      R.ErrorKind = O->getString("kind").value_or("exception").str();
      R.ErrorMessage = O->getString("message").value_or("").str();
      R.ErrorType = O->getString("type").value_or("").str();
      R.ErrorLine = O->getInteger("line").value_or(0);
    } else if (*Event == "done") {
      R.Done = true;
    } else {
      return Fail("unknown event");
    }
  }
  return R;
}

void bench::hideSanitizerEnvironment() {
#ifdef KC_SANITIZE
  for (const char *Name : SanitizerVariables)
    ::unsetenv(Name);
#endif
}

double bench::monotonicClockReadNs() {
  constexpr int Reads = 1000;
  timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  uint64_t Start = uint64_t(T.tv_sec) * 1000000000u + uint64_t(T.tv_nsec);
  for (int I = 0; I < Reads; ++I)
    clock_gettime(CLOCK_MONOTONIC, &T);
  uint64_t End = uint64_t(T.tv_sec) * 1000000000u + uint64_t(T.tv_nsec);
  return double(End - Start) / Reads;
}
