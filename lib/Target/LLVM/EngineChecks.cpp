//===- EngineChecks.cpp - Names of the engine checks of CodegenOptions ----===//
//
// The checks themselves are emitted by Lowering.cpp; what each one models is
// documented at EngineCheck in LLVMBackend.h and in docs/explain.md.
//
//===----------------------------------------------------------------------===//

#include "LLVMBackend.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace kc {
namespace llvmgen {

namespace {
struct CheckName {
  EngineCheck Check;
  const char *Name;
};
// In the order engineChecksName prints them.
const CheckName Names[] = {{EngineCheckOverflow, "overflow"},
                           {EngineCheckTags, "tags"},
                           {EngineCheckBoxing, "boxing"}};
} // namespace

Expected<unsigned> parseEngineChecks(StringRef List) {
  unsigned Mask = 0;
  SmallVector<StringRef, 4> Parts;
  List.split(Parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef P : Parts) {
    P = P.trim();
    if (P.empty())
      continue;
    if (P == "all") {
      Mask |= EngineCheckAll;
      continue;
    }
    if (P == "none")
      continue;
    auto It = llvm::find_if(Names, [&](const CheckName &N) { return P == N.Name; });
    if (It == std::end(Names))
      return createStringError(inconvertibleErrorCode(),
                               "unknown engine check '%s' (known: overflow, "
                               "tags, boxing, all, none)",
                               P.str().c_str());
    Mask |= It->Check;
  }
  return Mask;
}

std::string engineChecksName(unsigned Mask) {
  SmallVector<StringRef, 4> Parts;
  for (const CheckName &N : Names)
    if (Mask & N.Check)
      Parts.push_back(N.Name);
  if (Parts.empty())
    return "none";
  return join(Parts, ",");
}

} // namespace llvmgen
} // namespace kc
