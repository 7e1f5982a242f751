//===- ProcessTest.cpp - Unit tests of runner children and their faults ---===//
//
// runChild runs /bin/sh scripts standing in for runners; classifyExit is fed
// the endings and outputs the runners produce.
//
//===----------------------------------------------------------------------===//

#include "Compare/Process.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <thread>
#include <unistd.h>

using namespace kc;
using namespace kc::compare;

namespace {

class ProcessTest : public ::testing::Test {
protected:
  llvm::SmallString<128> Dir;
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("kc-process-test", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string path(llvm::StringRef Name) {
    llvm::SmallString<128> P(Dir);
    llvm::sys::path::append(P, Name);
    return std::string(P);
  }
  std::string read(llvm::StringRef Name) {
    auto B = llvm::MemoryBuffer::getFile(path(Name));
    return B ? (*B)->getBuffer().str() : "(missing)";
  }
  ChildSpec shell(const std::string &Script) {
    ChildSpec S;
    S.Args = {"/bin/sh", "-c", Script};
    S.Env = runnerEnvironment(Dir);
    S.StdoutPath = path("out");
    S.StderrPath = path("err");
    return S;
  }
};

/// Whether process \p Pid is gone (or a zombie nobody reaped yet).
bool isGone(pid_t Pid) {
  std::ifstream Stat("/proc/" + std::to_string(Pid) + "/stat");
  std::string Line;
  if (!std::getline(Stat, Line))
    return true;
  size_t Paren = Line.rfind(')');
  return Paren != std::string::npos && Paren + 2 < Line.size() &&
         Line[Paren + 2] == 'Z';
}

/// Waits (up to ten seconds) for a SIGKILLed process to be gone.
bool becomesGone(pid_t Pid) {
  for (int I = 0; I < 1000; ++I) {
    if (isGone(Pid))
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST_F(ProcessTest, ExitCodeOutputAndCleanEnvironment) {
  ChildExit E = runChild(shell("env | sort; echo oops >&2; exit 3"));
  EXPECT_TRUE(E.ran());
  EXPECT_FALSE(E.TimedOut);
  EXPECT_EQ(E.ExitCode, 3);
  EXPECT_EQ(E.Signal, 0);
  // The shell adds PWD (and SHLVL, '_' on some); nothing of the test's own
  // environment leaks in.
  std::string Env = read("out");
  EXPECT_NE(Env.find("HOME=" + std::string(Dir) + "\n"), std::string::npos);
  EXPECT_NE(Env.find("LANG=C.UTF-8\n"), std::string::npos);
  EXPECT_NE(Env.find("PATH=/usr/bin:/bin\n"), std::string::npos);
  for (llvm::StringRef Line : llvm::split(Env, '\n')) {
    llvm::StringRef Name = Line.split('=').first;
    EXPECT_TRUE(Line.empty() || Name == "HOME" || Name == "LANG" ||
                Name == "PATH" || Name == "PWD" || Name == "SHLVL" ||
                Name == "_")
        << Line.str();
  }
  EXPECT_EQ(read("err"), "oops\n");
}

TEST_F(ProcessTest, SignalAndDataLimit) {
  ChildSpec S = shell("ulimit -d; ulimit -H -d; ulimit -c; kill -SEGV $$");
  S.MemoryLimitMB = 300;
  ChildExit E = runChild(S);
  EXPECT_EQ(E.Signal, SIGSEGV);
  // KiB: soft and hard limit alike, so the runner cannot raise it; no core.
  EXPECT_EQ(read("out"), "307200\n307200\n0\n");
}

TEST_F(ProcessTest, TimeoutKillsTheWholeGroup) {
  // The runner starts a grandchild and waits: at the timeout both go.
  ChildSpec S = shell("sleep 1000 & echo $! > " + path("pid") + "; wait");
  S.TimeoutSec = 0.5;
  ChildExit E = runChild(S);
  EXPECT_TRUE(E.TimedOut);
  EXPECT_EQ(E.Signal, SIGKILL);
  pid_t Grandchild = std::stoi(read("pid"));
  EXPECT_TRUE(becomesGone(Grandchild));
}

TEST_F(ProcessTest, NothingOutlivesARunnerThatExits) {
  // A grandchild left behind (setsid, to leave the group, is refused: see
  // SandboxTest).
  ChildSpec S = shell("sleep 1000 & echo $! > " + path("pid") + "; exit 0");
  ChildExit E = runChild(S);
  EXPECT_EQ(E.ExitCode, 0);
  pid_t Grandchild = std::stoi(read("pid"));
  EXPECT_TRUE(becomesGone(Grandchild));
}

TEST_F(ProcessTest, StartFailures) {
  ChildSpec S = shell("");
  S.Args = {path("no-such-runner")};
  ChildExit E = runChild(S);
  EXPECT_FALSE(E.ran());
  EXPECT_EQ(E.StartError, "cannot execute it: No such file or directory");
  S = shell("true");
  S.StdoutPath = path("no-such-dir/out");
  E = runChild(S);
  EXPECT_EQ(E.StartError,
            "cannot create its stdout file: No such file or directory");
  Fault F = classifyExit(E, {}, "", "", 300, 0);
  EXPECT_EQ(F.Kind, FaultKind::Start);
}

TEST_F(ProcessTest, SanitizerSettingsOfARunner) {
  // The caller's settings, saved and restored around the test.
  std::vector<std::pair<std::string, std::optional<std::string>>> Saved;
  for (const char *Name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"}) {
    const char *V = ::getenv(Name);
    Saved.emplace_back(Name, V ? std::optional<std::string>(V) : std::nullopt);
  }
  ::setenv("ASAN_OPTIONS", "detect_leaks=1", 1);
  ::setenv("UBSAN_OPTIONS", "print_stacktrace=1", 1);
  ChildSpec S = shell("true");
  S.MemoryLimitMB = 300;
  addSanitizerSettings(S);
  for (auto &[Name, V] : Saved) {
    if (V)
      ::setenv(Name.c_str(), V->c_str(), 1);
    else
      ::unsetenv(Name.c_str());
  }
  std::vector<std::string> Clean = runnerEnvironment(Dir);
#ifdef KC_SANITIZE
  // A sanitizer build's runner gets the caller's options; under ASan its
  // memory limit becomes ASan's RSS limits, with no RLIMIT_DATA.
  EXPECT_TRUE(llvm::is_contained(S.Env, "UBSAN_OPTIONS=print_stacktrace=1"));
#if LLVM_ADDRESS_SANITIZER_BUILD
  EXPECT_TRUE(llvm::is_contained(
      S.Env, "ASAN_OPTIONS=detect_leaks=1:soft_rss_limit_mb=300:"
             "hard_rss_limit_mb=600:allocator_may_return_null=1"));
  EXPECT_EQ(S.MemoryLimitMB, 0u);
#endif
#else
  // Any other build: nothing changes.
  EXPECT_EQ(S.Env, Clean);
  EXPECT_EQ(S.MemoryLimitMB, 300u);
#endif
  EXPECT_TRUE(std::equal(Clean.begin(), Clean.end(), S.Env.begin()));
}

ChildExit exited(int Code) {
  ChildExit E;
  E.ExitCode = Code;
  return E;
}
ChildExit signalled(int Sig) {
  ChildExit E;
  E.Signal = Sig;
  return E;
}
bench::RunnerReport errorLine(const char *Kind, const char *Message,
                              const char *Type = "", int64_t Line = 0) {
  bench::RunnerReport R;
  R.ErrorKind = Kind;
  R.ErrorMessage = Message;
  R.ErrorType = Type;
  R.ErrorLine = Line;
  return R;
}

TEST(FaultTest, RunnerErrorLines) {
  Fault F = classifyExit(exited(2), errorLine("trap", "index out of range",
                                              "", 4),
                         "", "", 300, 8192);
  EXPECT_EQ(F.Kind, FaultKind::Trap);
  EXPECT_EQ(F.Message, "trap: index out of range at line 4");
  F = classifyExit(exited(2), errorLine("trap", "out of memory"), "", "", 300,
                   512);
  EXPECT_EQ(F.Kind, FaultKind::OutOfMemory);
  EXPECT_EQ(F.Message, "out of memory (limit 512 MiB): trap: out of memory");
  F = classifyExit(exited(2), errorLine("exception", "refuses", "ValueError"),
                   "", "", 300, 0);
  EXPECT_EQ(F.Kind, FaultKind::Exception);
  EXPECT_EQ(F.Message, "exception: ValueError: refuses");
  F = classifyExit(exited(2), errorLine("exception", "", "MemoryError"), "",
                   "", 300, 512);
  EXPECT_EQ(F.Kind, FaultKind::OutOfMemory);
  EXPECT_EQ(F.Message, "out of memory (limit 512 MiB): exception: MemoryError");
  F = classifyExit(exited(2),
                   errorLine("exception",
                             "RangeError: Array buffer allocation failed"),
                   "", "", 300, 512);
  EXPECT_EQ(F.Kind, FaultKind::OutOfMemory);
  F = classifyExit(exited(2), errorLine("refused", "import of 'os'"), "", "",
                   300, 0);
  EXPECT_EQ(F.Kind, FaultKind::Refused);
  EXPECT_EQ(F.Message, "refused: import of 'os'");
  EXPECT_EQ(faultName(F.Kind), "refused");
  // The runner's own account wins over how it ended.
  F = classifyExit(signalled(SIGABRT), errorLine("load", "no entry"), "", "",
                   300, 0);
  EXPECT_EQ(F.Kind, FaultKind::Load);
}

TEST(FaultTest, EndingsWithoutAnErrorLine) {
  bench::RunnerReport None;
  ChildExit T;
  T.TimedOut = true;
  T.Signal = SIGKILL;
  Fault F = classifyExit(T, None, "", "", 2.5, 0);
  EXPECT_EQ(F.Kind, FaultKind::Timeout);
  EXPECT_EQ(F.Message,
            "timeout after 2.5 s: the runner and its process group were killed");
  F = classifyExit(signalled(SIGSEGV), None, "",
                   "\n#\nkc-runner-native: crashed\nStack dump:\n", 300, 0);
  EXPECT_EQ(F.Kind, FaultKind::Signal);
  EXPECT_EQ(F.Message, "killed by SIGSEGV (Segmentation fault); stderr: "
                       "kc-runner-native: crashed");
  F = classifyExit(signalled(SIGABRT), None, "",
                   "<--- Last few GCs --->\nFATAL ERROR: Reached heap limit "
                   "Allocation failed - JavaScript heap out of memory\n",
                   300, 1024);
  EXPECT_EQ(F.Kind, FaultKind::OutOfMemory);
  EXPECT_EQ(F.Message, "out of memory (limit 1024 MiB): killed by SIGABRT "
                       "(Aborted); stderr: FATAL ERROR: Reached heap limit "
                       "Allocation failed - JavaScript heap out of memory");
  F = classifyExit(exited(1), None, "", "sum: refuses\n", 300, 0);
  EXPECT_EQ(F.Kind, FaultKind::Exit);
  EXPECT_EQ(F.Message, "exited with code 1; stderr: sum: refuses");
  F = classifyExit(exited(0), None, "runner output line 2: not JSON: x", "",
                   300, 0);
  EXPECT_EQ(F.Kind, FaultKind::Protocol);
  F = classifyExit(exited(0), None, "", "", 300, 0);
  EXPECT_EQ(F.Kind, FaultKind::Protocol);
  EXPECT_EQ(F.Message, "the runner stopped before 'done'");
  bench::RunnerReport Done;
  Done.Done = true;
  EXPECT_EQ(classifyExit(exited(0), Done, "", "", 300, 0).Kind,
            FaultKind::None);
}

TEST(NodeFlagsTest, ContainmentCannotBeLifted) {
  EXPECT_TRUE(liftsContainment("--allow-child-process"));
  EXPECT_TRUE(liftsContainment("--allow-fs-write=/"));
  EXPECT_TRUE(liftsContainment("--permission-audit"));
  EXPECT_FALSE(liftsContainment("--max-old-space-size=300"));
  EXPECT_FALSE(liftsContainment("--no-opt"));
}

} // namespace
