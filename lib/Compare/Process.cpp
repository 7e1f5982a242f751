//===- Process.cpp - Runner child processes: limits, groups, faults -------===//
//
// fork and exec by hand rather than llvm::sys::ExecuteAndWait: LLVM's
// version neither gives the child a process group of its own nor kills more
// than the child at a timeout, and its memory limit can be raised again by
// the child (it sets only the soft limit).
//
//===----------------------------------------------------------------------===//

#include "Compare/Process.h"
#include "Bench/Protocol.h"
#include "Bench/Sandbox.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace kc;
using namespace kc::compare;

namespace {

/// What the child reports through its close-on-exec pipe when it cannot
/// exec: the step that failed and its errno. A successful exec closes the
/// pipe with nothing written.
struct ChildFailure {
  int Step;
  int Errno;
};
enum Step { OpenStdin = 1, OpenStdout, OpenStderr, SetLimit, Confine, Exec };

const char *stepName(int S) {
  switch (S) {
  case OpenStdin: return "cannot open /dev/null";
  case OpenStdout: return "cannot create its stdout file";
  case OpenStderr: return "cannot create its stderr file";
  case SetLimit: return "cannot set its memory limit";
  case Confine: return "cannot install its seccomp filter";
  default: return "cannot execute it";
  }
}

[[noreturn]] void childFail(int Fd, int S) {
  ChildFailure F{S, errno};
  ssize_t Ignored = write(Fd, &F, sizeof F);
  (void)Ignored;
  _exit(127);
}

/// The child between fork and exec: async-signal-safe calls only.
[[noreturn]] void startChild(const ChildSpec &S, char *const *Argv,
                             char *const *Envp, pid_t Parent, int ErrFd) {
  // A group of its own: a timeout kills everything the runner started.
  setpgid(0, 0);
  // And nothing outlives a killed rtcompare.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != Parent)
    _exit(127);

  int In = open("/dev/null", O_RDONLY);
  if (In < 0 || dup2(In, 0) < 0)
    childFail(ErrFd, OpenStdin);
  int Out = open(S.StdoutPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (Out < 0 || dup2(Out, 1) < 0)
    childFail(ErrFd, OpenStdout);
  int Err = open(S.StderrPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (Err < 0 || dup2(Err, 2) < 0)
    childFail(ErrFd, OpenStderr);

  if (S.MemoryLimitMB) {
    // RLIMIT_DATA, not RLIMIT_AS: since Linux 4.7 it counts every private
    // writable mapping (malloc's mmap'd blocks included) but not the
    // PROT_NONE address space V8 reserves (its pointer-compression cage,
    // wasm guard regions), which RLIMIT_AS would count and fail node on.
    // Soft and hard limit alike, so the runner cannot raise it again.
    rlimit L;
    if (getrlimit(RLIMIT_DATA, &L) != 0)
      childFail(ErrFd, SetLimit);
    rlim_t Want = rlim_t(S.MemoryLimitMB) << 20;
    if (L.rlim_max == RLIM_INFINITY || Want < L.rlim_max)
      L.rlim_max = Want;
    L.rlim_cur = L.rlim_max;
    if (setrlimit(RLIMIT_DATA, &L) != 0)
      childFail(ErrFd, SetLimit);
  }
  // A crashing runner writes no core file into the work directory.
  rlimit NoCore{0, 0};
  setrlimit(RLIMIT_CORE, &NoCore);
  // Nothing rtcompare holds open (a results file, another runner's pipe)
  // leaks into the runner; the failure pipe is close-on-exec already.
#ifdef SYS_close_range
  syscall(SYS_close_range, 3u, ~0u, 4u /* CLOSE_RANGE_CLOEXEC */);
#endif
  if (S.Confine) {
    if (int E = sandbox::installRunnerFilter(getpid())) {
      errno = E;
      childFail(ErrFd, Confine);
    }
  }
  execve(Argv[0], Argv, Envp);
  childFail(ErrFd, Exec);
}

/// Whether \p Pid has exited, without reaping it: while it is a zombie its
/// pid, and so its process group id, cannot be reused.
bool hasExited(pid_t Pid) {
  siginfo_t Info;
  std::memset(&Info, 0, sizeof Info);
  while (waitid(P_PID, id_t(Pid), &Info, WEXITED | WNOHANG | WNOWAIT) != 0)
    if (errno != EINTR)
      return true; // not our child any more: nothing to wait for
  return Info.si_pid != 0;
}

/// Waits until \p Pid exits or \p Deadline passes; false at the deadline.
bool waitUntil(pid_t Pid, std::optional<std::chrono::steady_clock::time_point>
                              Deadline) {
  // A pidfd becomes readable when the process exits (Linux 5.3); without
  // one, poll every 10 ms.
  int PidFd = -1;
#ifdef SYS_pidfd_open
  PidFd = int(syscall(SYS_pidfd_open, Pid, 0));
#endif
  bool Exited = false;
  for (;;) {
    if (hasExited(Pid)) {
      Exited = true;
      break;
    }
    int WaitMs = PidFd >= 0 ? -1 : 10;
    if (Deadline) {
      auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      *Deadline - std::chrono::steady_clock::now())
                      .count();
      if (Left <= 0)
        break;
      WaitMs = WaitMs < 0 ? int(std::min<long long>(Left, 1 << 30))
                          : int(std::min<long long>(Left, WaitMs));
    }
    if (PidFd >= 0) {
      pollfd P{PidFd, POLLIN, 0};
      poll(&P, 1, WaitMs);
    } else {
      usleep(useconds_t(WaitMs) * 1000);
    }
  }
  if (PidFd >= 0)
    close(PidFd);
  return Exited;
}

std::string secondsText(double S) {
  if (S == double(int64_t(S)))
    return std::to_string(int64_t(S));
  return llvm::formatv("{0:f1}", S).str();
}

/// A line of a runtime's stderr that says it ran out of memory: V8's fatal
/// errors ("JavaScript heap out of memory", "Fatal process out of memory"),
/// CPython's MemoryError, C++'s std::bad_alloc, kcrt's trap outside a call,
/// strerror(ENOMEM), AddressSanitizer's RSS limit.
std::optional<llvm::StringRef> outOfMemoryLine(llvm::StringRef Log) {
  llvm::SmallVector<llvm::StringRef, 32> Lines;
  Log.split(Lines, '\n');
  for (llvm::StringRef L : Lines)
    if (L.contains_insensitive("out of memory") || L.contains("MemoryError") ||
        L.contains("std::bad_alloc") || L.contains("Cannot allocate memory") ||
        L.contains("rss limit exhausted"))
      return L.trim();
  return std::nullopt;
}

/// The first line of a log that says what happened: not blank, not a
/// banner of '#' (V8) or '<---' (V8's GC trace), not a stack dump.
std::optional<llvm::StringRef> firstTellingLine(llvm::StringRef Log) {
  llvm::SmallVector<llvm::StringRef, 32> Lines;
  Log.split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    L = L.trim();
    if (L.empty() || L.find_first_not_of('#') == llvm::StringRef::npos ||
        L.starts_with("<---") || L.starts_with("Stack dump") ||
        L.starts_with("#0") || L.starts_with("0."))
      continue;
    return L;
  }
  return std::nullopt;
}

std::string withStderr(std::string Msg, llvm::StringRef Line) {
  if (!Line.empty())
    Msg += "; stderr: " + Line.take_front(200).str();
  return Msg;
}

} // namespace

ChildExit compare::runChild(const ChildSpec &S) {
  ChildExit R;
  if (S.Args.empty() || S.Args.front().empty()) {
    R.StartError = "no program to run";
    return R;
  }
  std::vector<char *> Argv, Envp;
  for (const std::string &A : S.Args)
    Argv.push_back(const_cast<char *>(A.c_str()));
  Argv.push_back(nullptr);
  for (const std::string &E : S.Env)
    Envp.push_back(const_cast<char *>(E.c_str()));
  Envp.push_back(nullptr);

  int Pipe[2];
  if (pipe2(Pipe, O_CLOEXEC) != 0) {
    R.StartError = std::string("cannot create a pipe: ") + strerror(errno);
    return R;
  }
  pid_t Parent = getpid();
  auto Start = std::chrono::steady_clock::now();
  pid_t Pid = fork();
  if (Pid < 0) {
    R.StartError = std::string("cannot fork: ") + strerror(errno);
    close(Pipe[0]);
    close(Pipe[1]);
    return R;
  }
  if (Pid == 0) {
    close(Pipe[0]);
    startChild(S, Argv.data(), Envp.data(), Parent, Pipe[1]);
  }
  // Also here, so a kill of the group cannot race the child's own setpgid.
  setpgid(Pid, Pid);
  close(Pipe[1]);
  ChildFailure F{0, 0};
  ssize_t N;
  do
    N = read(Pipe[0], &F, sizeof F);
  while (N < 0 && errno == EINTR);
  close(Pipe[0]);
  if (N == ssize_t(sizeof F))
    R.StartError = std::string(stepName(F.Step)) + ": " + strerror(F.Errno);

  std::optional<std::chrono::steady_clock::time_point> Deadline;
  if (S.TimeoutSec > 0 && R.ran())
    Deadline = Start + std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::duration<double>(S.TimeoutSec));
  R.TimedOut = !waitUntil(Pid, Deadline);
  // The runner has exited (still unreaped) or timed out: either way what
  // is left of its group goes, grandchildren included.
  kill(-Pid, SIGKILL);
  int Status = 0;
  while (waitpid(Pid, &Status, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED(Status))
    R.ExitCode = WEXITSTATUS(Status);
  else if (WIFSIGNALED(Status))
    R.Signal = WTERMSIG(Status);
  return R;
}

std::vector<std::string> compare::runnerEnvironment(llvm::StringRef Home) {
  return {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", ("HOME=" + Home).str()};
}

void compare::addSanitizerSettings(ChildSpec &S) {
#ifdef KC_SANITIZE
  // They choose what is checked and reported, never what a kernel computes;
  // the runner hides them again from the implementation under test.
  std::string AsanOptions;
  for (const char *Name : bench::SanitizerVariables) {
    const char *Value = ::getenv(Name);
    if (!Value)
      continue;
    if (llvm::StringRef(Name) == "ASAN_OPTIONS")
      AsanOptions = Value;
    else
      S.Env.push_back(std::string(Name) + "=" + Value);
  }
  if (LLVM_ADDRESS_SANITIZER_BUILD && S.MemoryLimitMB) {
    // Past the soft limit malloc returns null, as it does at the rlimit; the
    // hard one, at twice that, stops memory that is not malloc's (CPython's
    // arenas, the JIT's code). Later options win over the caller's.
    AsanOptions += llvm::formatv("{0}soft_rss_limit_mb={1}:hard_rss_limit_mb="
                                 "{2}:allocator_may_return_null=1",
                                 AsanOptions.empty() ? "" : ":",
                                 S.MemoryLimitMB, 2 * uint64_t(S.MemoryLimitMB))
                       .str();
    S.MemoryLimitMB = 0;
  }
  if (!AsanOptions.empty())
    S.Env.push_back("ASAN_OPTIONS=" + AsanOptions);
#endif
}

std::vector<std::string>
compare::nodePermissionFlags(llvm::StringRef Node,
                             llvm::ArrayRef<std::string> Reads,
                             llvm::StringRef WorkDir) {
  static std::map<std::string, std::string> FlagOf;
  auto It = FlagOf.find(Node.str());
  if (It == FlagOf.end()) {
    std::string Base =
        (WorkDir + "/node-version." + llvm::Twine(getpid())).str();
    ChildSpec S;
    S.Args = {Node.str(), "--version"};
    S.Env = runnerEnvironment(WorkDir);
    S.StdoutPath = Base + ".out";
    S.StderrPath = Base + ".err";
    S.TimeoutSec = 60;
    // Unless node says it is older, the flag of the current ones: a node
    // that does not know it refuses to start, which is reported, rather
    // than run unconfined.
    std::string Flag = "--permission";
    ChildExit E = runChild(S);
    auto Buf = llvm::MemoryBuffer::getFile(S.StdoutPath);
    if (E.ran() && E.ExitCode == 0 && Buf) {
      // "v24.21.0"
      llvm::SmallVector<llvm::StringRef, 3> Parts;
      (*Buf)->getBuffer().trim().ltrim('v').split(Parts, '.');
      unsigned Major = 0, Minor = 0;
      if (Parts.size() == 3 && !Parts[0].getAsInteger(10, Major) &&
          !Parts[1].getAsInteger(10, Minor)) {
        if (Major < 20)
          Flag.clear();
        else if (Major < 22 || (Major == 22 && Minor < 13) ||
                 (Major == 23 && Minor < 5))
          Flag = "--experimental-permission";
      }
    }
    llvm::sys::fs::remove(S.StdoutPath);
    llvm::sys::fs::remove(S.StderrPath);
    It = FlagOf.emplace(Node.str(), Flag).first;
  }
  std::vector<std::string> Flags;
  if (It->second.empty())
    return Flags;
  Flags.push_back(It->second);
  for (const std::string &R : Reads)
    Flags.push_back("--allow-fs-read=" + R);
  return Flags;
}

bool compare::liftsContainment(llvm::StringRef NodeFlag) {
  return NodeFlag.starts_with("--allow-") ||
         NodeFlag.starts_with("--permission-audit");
}

std::string compare::describeSignal(int Signal) {
  std::string Name = "signal " + std::to_string(Signal);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
  if (const char *Abbrev = sigabbrev_np(Signal))
    Name = std::string("SIG") + Abbrev;
#endif
  if (const char *Text = strsignal(Signal))
    Name += std::string(" (") + Text + ")";
  return Name;
}

llvm::StringRef compare::faultName(FaultKind K) {
  switch (K) {
  case FaultKind::None: return "";
  case FaultKind::Timeout: return "timeout";
  case FaultKind::OutOfMemory: return "out-of-memory";
  case FaultKind::Signal: return "signal";
  case FaultKind::Trap: return "trap";
  case FaultKind::Exception: return "exception";
  case FaultKind::Exit: return "exit";
  case FaultKind::Refused: return "refused";
  case FaultKind::Load: return "load";
  case FaultKind::BadJob: return "bad-job";
  case FaultKind::Protocol: return "protocol";
  case FaultKind::Start: return "start";
  }
  llvm_unreachable("bad fault kind");
}

Fault compare::classifyExit(const ChildExit &Exit,
                            const bench::RunnerReport &Report,
                            llvm::StringRef OutputError, llvm::StringRef Stderr,
                            double TimeoutSec, unsigned MemoryLimitMB) {
  std::string Limit =
      MemoryLimitMB ? "limit " + std::to_string(MemoryLimitMB) + " MiB"
                    : "no limit set";
  auto OutOfMemory = [&](const std::string &Detail) {
    return Fault{FaultKind::OutOfMemory,
                 "out of memory (" + Limit + "): " + Detail};
  };
  if (!Exit.ran())
    return {FaultKind::Start, "cannot start the runner: " + Exit.StartError};
  if (Exit.TimedOut)
    return {FaultKind::Timeout,
            "timeout after " + secondsText(TimeoutSec) +
                " s: the runner and its process group were killed"};

  // The runner's own account of the failure comes first.
  if (Report.ErrorKind) {
    llvm::StringRef Kind = *Report.ErrorKind;
    std::string Msg = Report.ErrorMessage.value_or("");
    if (Kind == "trap") {
      std::string Text = "trap: " + Msg;
      if (Report.ErrorLine)
        Text += " at line " + std::to_string(Report.ErrorLine);
      // kcrt's allocator traps when the arena cannot grow.
      if (Msg == "out of memory")
        return OutOfMemory(Text);
      return {FaultKind::Trap, Text};
    }
    if (Kind == "exception") {
      // CPython's errors carry the class apart; V8's message starts with it.
      if (!Report.ErrorType.empty() &&
          !llvm::StringRef(Msg).starts_with(Report.ErrorType + ":"))
        Msg = Msg.empty() ? Report.ErrorType : Report.ErrorType + ": " + Msg;
      std::string Text = "exception: " + Msg;
      if (Report.ErrorType == "MemoryError" ||
          llvm::StringRef(Msg).starts_with("MemoryError") ||
          llvm::StringRef(Msg).contains("Array buffer allocation failed"))
        return OutOfMemory(Text);
      return {FaultKind::Exception, Text};
    }
    if (Kind == "refused")
      return {FaultKind::Refused, "refused: " + Msg};
    if (Kind == "load")
      return {FaultKind::Load, "load: " + Msg};
    if (Kind == "bad-job")
      return {FaultKind::BadJob, "bad-job: " + Msg};
    return {FaultKind::Exception, Kind.str() + ": " + Msg};
  }

  std::optional<llvm::StringRef> OOM = outOfMemoryLine(Stderr);
  llvm::StringRef Telling = firstTellingLine(Stderr).value_or("");
  if (Exit.Signal) {
    std::string Text = "killed by " + describeSignal(Exit.Signal);
    if (OOM)
      return OutOfMemory(withStderr(Text, *OOM));
    return {FaultKind::Signal, withStderr(Text, Telling)};
  }
  if (Exit.ExitCode != 0) {
    std::string Text = "exited with code " + std::to_string(Exit.ExitCode);
    if (OOM)
      return OutOfMemory(withStderr(Text, *OOM));
    return {FaultKind::Exit, withStderr(Text, Telling)};
  }
  if (!OutputError.empty())
    return {FaultKind::Protocol, "malformed runner output: " + OutputError.str()};
  if (!Report.Done)
    return {FaultKind::Protocol, "the runner stopped before 'done'"};
  return {};
}
