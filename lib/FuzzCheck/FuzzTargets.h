//===- FuzzTargets.h - One input through the toolkit ------------*- C++ -*-===//
//
// The bodies of the libFuzzer targets (tools/fuzz-*), so that a target's
// main stays one line and a test can run the same checks. Each function
// runs one input and checks its part's properties. Bad input returns
// normally (a diagnostic is not a crash); a broken property is our bug:
// reportBug prints what broke and aborts, which libFuzzer records as a
// crash with the input that caused it.
//
//===----------------------------------------------------------------------===//

#ifndef KC_FUZZCHECK_FUZZTARGETS_H
#define KC_FUZZCHECK_FUZZTARGETS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"

namespace kc {
namespace fuzz {

/// Once per process, before the first input.
void initialize();

/// fuzz-parse: the lexer alone, then the parser. Lexing ends, every token
/// lies after the previous one, every invalid token has a diagnostic, a
/// lexer error is a parse error, and every diagnostic is located.
void runLexerParser(llvm::StringRef Input);

/// fuzz-frontend: parse, check and lower to KIR, plain and checked mode.
/// An accepted file verifies and prints the same KIR when compiled again; a
/// rejected one has at least one located diagnostic and no internal error.
void runFrontEnd(llvm::StringRef Input);

/// fuzz-llvm: an accepted file is lowered to LLVM IR for the host, which
/// LLVM's verifier accepts after the -O2 pipeline. (Odd-sized inputs are
/// compiled in checked mode.)
void runLLVM(llvm::StringRef Input);

/// fuzz-js, fuzz-py: an accepted file is emitted as an ES module or a Python
/// module, twice with the same text, with its strings intact and its names
/// only names (FuzzCheck/EmitterProperties.h). An input holding a null byte
/// is a module name, the byte, and the kernel source: file names are
/// untrusted text the emitters copy too.
void runJS(llvm::StringRef Input);
void runPython(llvm::StringRef Input);

/// Prints "kernelc fuzz: BUG: <What>" and aborts.
[[noreturn]] void reportBug(const llvm::Twine &What);

} // namespace fuzz
} // namespace kc

#endif
