//===- Diagnostics.cpp - One diagnostic engine for the front-end ----------===//

#include "Lang/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

using namespace kc;

void DiagnosticEngine::error(llvm::SMLoc Loc, const llvm::Twine &Msg) {
  ++NumErrors;
  if (NumErrors > ErrorLimit)
    return;
  SM.PrintMessage(OS, Loc, llvm::SourceMgr::DK_Error, Msg);
  if (NumErrors == ErrorLimit)
    OS << "error: too many errors, stopping\n";
}

void DiagnosticEngine::note(llvm::SMLoc Loc, const llvm::Twine &Msg) {
  if (NumErrors > ErrorLimit)
    return;
  SM.PrintMessage(OS, Loc, llvm::SourceMgr::DK_Note, Msg);
}

std::pair<unsigned, unsigned>
DiagnosticEngine::lineAndColumn(llvm::SMLoc Loc) const {
  if (!Loc.isValid())
    return {0, 0};
  return SM.getLineAndColumn(Loc);
}
