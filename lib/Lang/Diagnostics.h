//===- Diagnostics.h - One diagnostic engine for the front-end ---*- C++ -*-===//
//
// `file:line:col: error: message`, the source line and a caret, through
// llvm::SourceMgr. Errors are counted; after a limit the engine stops printing
// so that a hostile input cannot flood the terminal.
//
//===----------------------------------------------------------------------===//

#ifndef KC_LANG_DIAGNOSTICS_H
#define KC_LANG_DIAGNOSTICS_H

#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/ADT/Twine.h"

namespace kc {

class DiagnosticEngine {
public:
  DiagnosticEngine(llvm::SourceMgr &SM, llvm::raw_ostream &OS)
      : SM(SM), OS(OS) {}

  void error(llvm::SMLoc Loc, const llvm::Twine &Msg);
  void note(llvm::SMLoc Loc, const llvm::Twine &Msg);

  unsigned numErrors() const { return NumErrors; }
  bool hasErrors() const { return NumErrors != 0; }
  /// True once the error limit is reached: callers stop early.
  bool tooManyErrors() const { return NumErrors >= ErrorLimit; }
  void setErrorLimit(unsigned Limit) { ErrorLimit = Limit; }

  llvm::SourceMgr &getSourceMgr() { return SM; }
  /// 1-based line and column of a location.
  std::pair<unsigned, unsigned> lineAndColumn(llvm::SMLoc Loc) const;

private:
  llvm::SourceMgr &SM;
  llvm::raw_ostream &OS;
  unsigned NumErrors = 0;
  unsigned ErrorLimit = 20;
};

} // namespace kc

#endif
