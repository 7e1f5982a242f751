//===- RunnerError.h - The runner protocol's error kinds --------*- C++ -*-===//
//
// Every failure the CPython runner reports travels as a RunnerError and ends
// as one `{"event":"error","kind":...}` line (docs/runner-protocol.md).
//
//===----------------------------------------------------------------------===//

#ifndef KC_RUNTIMES_CPYTHON_RUNNERERROR_H
#define KC_RUNTIMES_CPYTHON_RUNNERERROR_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>

namespace kc {
namespace cpython {

class RunnerError : public llvm::ErrorInfo<RunnerError> {
public:
  enum Kind : uint8_t {
    Trap,      // the kernel raised KernelTrap: Message is its kind
    Exception, // any other exception: Type is its class name
    BadJob,    // the job or its inputs could not be read or converted
    Load,      // the module did not load or has no such entry
    Refused    // the kernel tried what its containment forbids
  };
  static char ID;

  RunnerError(Kind K, std::string Message, std::string Type = "",
              int64_t Line = 0)
      : K(K), Message(std::move(Message)), Type(std::move(Type)), Line(Line) {}

  Kind kind() const { return K; }
  /// The protocol's spelling: trap, exception, bad-job, load, refused.
  llvm::StringRef kindName() const;
  const std::string &text() const { return Message; }
  const std::string &type() const { return Type; }
  int64_t line() const { return Line; }

  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }

private:
  Kind K;
  std::string Message;
  std::string Type;
  int64_t Line;
};

inline llvm::Error makeError(RunnerError::Kind K, const llvm::Twine &Message,
                             llvm::StringRef Type = "", int64_t Line = 0) {
  return llvm::make_error<RunnerError>(K, Message.str(), Type.str(), Line);
}

/// Gives errors that are not RunnerErrors (from lib/Bench, the file system)
/// the kind \p K, prefixing their message with \p Context.
llvm::Error withKind(llvm::Error E, RunnerError::Kind K,
                     const llvm::Twine &Context = "");

} // namespace cpython
} // namespace kc

#endif
