//===- Batch.cpp - Many kernels per runner process ------------------------===//

#include "Fuzz/Batch.h"
#include "Driver/Driver.h"
#include "ir/IR.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace kc;
using namespace kc::fuzz;

static llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

llvm::StringRef fuzz::runtimeName(Runtime R) {
  switch (R) {
  case Runtime::Native:
    return "native";
  case Runtime::V8:
    return "v8";
  case Runtime::CPython:
    return "cpython";
  }
  return "";
}

llvm::StringRef fuzz::outcomeKindName(Outcome::Kind K) {
  switch (K) {
  case Outcome::Ok:
    return "ok";
  case Outcome::Trap:
    return "trap";
  case Outcome::Exception:
    return "exception";
  case Outcome::Error:
    return "error";
  case Outcome::Crash:
    return "crash";
  case Outcome::Timeout:
    return "timeout";
  case Outcome::Missing:
    return "missing";
  }
  return "";
}

std::string Outcome::str() const {
  std::string S = outcomeKindName(K).str();
  if (!Text.empty())
    S += " " + Text;
  if (K == Trap)
    S += " at line " + std::to_string(Line);
  return S;
}

BatchJob fuzz::jobFor(const kir::Module &M) {
  BatchJob J;
  const kir::Function *Entry = M.getEntry();
  if (!Entry)
    return J;
  bench::Job Sig;
  driver::setJobSignature(*Entry, Sig);
  J.Entry = std::move(Sig.Entry);
  J.Params = std::move(Sig.Params);
  J.Result = std::move(Sig.Result);
  J.Records = std::move(Sig.Records);
  return J;
}

void fuzz::writeBatchJob(const BatchJob &J, llvm::raw_ostream &OS) {
  llvm::json::Array Params;
  for (const std::string &P : J.Params)
    Params.push_back(P);
  llvm::json::Object Records;
  for (const auto &[Name, Fields] : J.Records) {
    llvm::json::Array Fs;
    for (const auto &[F, T] : Fields)
      Fs.push_back(llvm::json::Array{F, T});
    Records[Name] = std::move(Fs);
  }
  llvm::json::Object O{{"kernel", J.Kernel},   {"js", J.JS},
                       {"py", J.Py},           {"inputs", J.Inputs},
                       {"entry", J.Entry},     {"params", std::move(Params)},
                       {"result", J.Result},   {"records", std::move(Records)},
                       {"checked", J.Checked}, {"opt", int64_t(J.OptLevel)}};
  OS << llvm::json::Value(std::move(O)) << "\n";
}

llvm::Expected<BatchJob> fuzz::parseBatchJob(llvm::StringRef Line) {
  auto V = llvm::json::parse(Line);
  if (!V)
    return V.takeError();
  const llvm::json::Object *O = V->getAsObject();
  if (!O)
    return makeError("a batch job must be a JSON object");
  BatchJob J;
  auto Str = [&](llvm::StringRef Key, std::string &Out) {
    if (auto S = O->getString(Key))
      Out = S->str();
  };
  Str("kernel", J.Kernel);
  Str("js", J.JS);
  Str("py", J.Py);
  Str("inputs", J.Inputs);
  Str("entry", J.Entry);
  Str("result", J.Result);
  if (const llvm::json::Array *Ps = O->getArray("params"))
    for (const llvm::json::Value &P : *Ps)
      if (auto S = P.getAsString())
        J.Params.push_back(S->str());
  if (const llvm::json::Object *Rs = O->getObject("records"))
    for (const auto &KV : *Rs) {
      auto &Fields = J.Records[KV.first.str()];
      if (const llvm::json::Array *Fs = KV.second.getAsArray())
        for (const llvm::json::Value &F : *Fs)
          if (const llvm::json::Array *Pair = F.getAsArray();
              Pair && Pair->size() == 2 && (*Pair)[0].getAsString() &&
              (*Pair)[1].getAsString())
            Fields.emplace_back((*Pair)[0].getAsString()->str(),
                                (*Pair)[1].getAsString()->str());
    }
  J.Checked = O->getBoolean("checked").value_or(false);
  J.OptLevel = unsigned(O->getInteger("opt").value_or(2));
  if (J.Entry.empty() || J.Result.empty())
    return makeError("a batch job needs an entry and a result type");
  return J;
}

llvm::Expected<std::vector<BatchJob>> fuzz::readBatch(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return makeError("cannot read batch '" + Path +
                     "': " + Buf.getError().message());
  std::vector<BatchJob> Jobs;
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  (*Buf)->getBuffer().split(Lines, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef L : Lines) {
    auto J = parseBatchJob(L);
    if (!J)
      return makeError(Path + ":" + llvm::Twine(Jobs.size() + 1) + ": " +
                       llvm::toString(J.takeError()));
    Jobs.push_back(std::move(*J));
  }
  return Jobs;
}

void fuzz::writeOutcome(unsigned Index, const Outcome &O,
                        llvm::raw_ostream &OS) {
  llvm::json::Object J{
      {"i", int64_t(Index)}, {"kind", outcomeKindName(O.K)}, {"text", O.Text}};
  if (O.K == Outcome::Trap)
    J["line"] = O.Line;
  if (!O.Data.empty())
    J["data"] = O.Data;
  OS << llvm::json::Value(std::move(J)) << "\n";
  OS.flush();
}

llvm::Expected<std::pair<unsigned, Outcome>>
fuzz::parseOutcome(llvm::StringRef Line) {
  auto V = llvm::json::parse(Line);
  if (!V)
    return V.takeError();
  const llvm::json::Object *O = V->getAsObject();
  if (!O)
    return makeError("an outcome must be a JSON object");
  auto I = O->getInteger("i");
  auto K = O->getString("kind");
  if (!I || *I < 0 || !K)
    return makeError("an outcome needs \"i\" and \"kind\"");
  Outcome Out;
  if (*K == "ok")
    Out.K = Outcome::Ok;
  else if (*K == "trap")
    Out.K = Outcome::Trap;
  else if (*K == "exception")
    Out.K = Outcome::Exception;
  else if (*K == "error")
    Out.K = Outcome::Error;
  else if (*K == "crash")
    Out.K = Outcome::Crash;
  else
    return makeError("unknown outcome kind '" + *K + "'");
  if (auto T = O->getString("text"))
    Out.Text = T->str();
  Out.Line = O->getInteger("line").value_or(0);
  if (auto D = O->getString("data"))
    Out.Data = D->str();
  return std::make_pair(unsigned(*I), std::move(Out));
}
