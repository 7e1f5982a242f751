//===- Process.h - Runner child processes: limits, groups, faults -*- C++ -*-===//
//
// How rtcompare starts a runner and what it makes of the way it ended.
//
// A runner runs in a process group of its own, with a clean environment, a
// data-size limit (RLIMIT_DATA), no core dumps, the sandbox's runner filter
// (Bench/Sandbox.h) and SIGKILL should rtcompare die first. At a timeout,
// and whenever the runner has ended, the whole group is killed: nothing a
// runner started outlives it.
//
// The ending is then classified into one fault kind with a message for the
// report (docs/methodology.md, "Failures are results").
//
//===----------------------------------------------------------------------===//

#ifndef KC_COMPARE_PROCESS_H
#define KC_COMPARE_PROCESS_H

#include "Bench/Protocol.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace kc {
namespace compare {

struct ChildSpec {
  /// Args[0] is the program, run as given (no PATH search).
  std::vector<std::string> Args;
  /// The whole environment, "NAME=value" each.
  std::vector<std::string> Env;
  /// stdin is /dev/null; stdout and stderr go to these files, truncated.
  std::string StdoutPath, StderrPath;
  double TimeoutSec = 0;      // 0: none
  unsigned MemoryLimitMB = 0; // RLIMIT_DATA; 0: none
  /// Install the runner filter (no sockets, signals to itself only...).
  bool Confine = true;
};

struct ChildExit {
  std::string StartError; // the program never ran: why
  bool TimedOut = false;
  int ExitCode = -1; // when it exited
  int Signal = 0;    // when a signal ended it (SIGKILL after a timeout)
  bool ran() const { return StartError.empty(); }
};

/// Runs \p Spec to its end (or its timeout) and reaps it.
ChildExit runChild(const ChildSpec &Spec);

/// The environment every runner gets: PATH=/usr/bin:/bin, LANG=C.UTF-8 and
/// HOME=\p Home (the work directory). Nothing of rtcompare's own leaks in.
std::vector<std::string> runnerEnvironment(llvm::StringRef Home);

/// In a sanitizer build (docs/testing.md), what one of this build's runners
/// (kc-runner-native, kc-runner-cpython: instrumented like rtcompare) needs
/// besides \p S: the caller's sanitizer options, which the clean environment
/// would drop, and under ASan its memory limit as ASan's RSS limits instead
/// of RLIMIT_DATA, which refuses ASan's shadow memory. Nothing otherwise.
void addSanitizerSettings(ChildSpec &S);

/// The node flags that confine `node harness.mjs JOB` to reading \p Reads
/// (files or directories: the harness's directory, the job, its inputs and
/// module) and to nothing else node's permission model governs: no file
/// written, no child process, worker, native addon, WASI or inspector.
/// "--permission" from node 22.13 and 23.5 on, "--experimental-permission"
/// on node 20 to 22.12 (each binary's --version is asked once, its output
/// kept in \p WorkDir); nothing for a node older than 20, which has no
/// permission model. If --version does not answer, "--permission".
std::vector<std::string> nodePermissionFlags(llvm::StringRef Node,
                                             llvm::ArrayRef<std::string> Reads,
                                             llvm::StringRef WorkDir);

/// Whether a node flag would widen what nodePermissionFlags allows: an
/// --allow-* flag, or --permission-audit (which only logs).
bool liftsContainment(llvm::StringRef NodeFlag);

/// "SIGSEGV (Segmentation fault)".
std::string describeSignal(int Signal);

/// What ended a process execution, most specific first.
enum class FaultKind {
  None,        // completed
  Timeout,     // past --timeout: the group was killed
  OutOfMemory, // past --memory-limit-mb (or a runtime's own heap limit)
  Signal,      // killed by a signal
  Trap,        // a KIR trap (the runner's error line)
  Exception,   // a JS or Python exception
  Exit,        // a non-zero exit without an error line (a C error exit)
  Refused,     // something the kernel's containment forbids
  Load,        // the module did not load
  BadJob,      // the runner could not read its job or inputs
  Protocol,    // malformed output, or no `done`
  Start,       // the runner could not be started
};

/// "timeout", "out-of-memory", "signal", "trap", "exception", "exit",
/// "refused", "load", "bad-job", "protocol", "start"; "" for None. The `fault` field of
/// a results record.
llvm::StringRef faultName(FaultKind K);

struct Fault {
  FaultKind Kind = FaultKind::None;
  std::string Message;
};

/// Classifies how a runner ended from its exit, its parsed output (or the
/// error parsing it), and the start of its stderr. \p TimeoutSec and
/// \p MemoryLimitMB are quoted in messages.
Fault classifyExit(const ChildExit &Exit, const bench::RunnerReport &Report,
                   llvm::StringRef OutputError, llvm::StringRef Stderr,
                   double TimeoutSec, unsigned MemoryLimitMB);

} // namespace compare
} // namespace kc

#endif
