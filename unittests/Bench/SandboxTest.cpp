//===- SandboxTest.cpp - Unit tests of the runners' seccomp filters -------===//
//
// Each test forks: the filter is installed in the child, which makes the
// system calls and reports their errno values through a pipe. The test
// process itself is never confined.
//
//===----------------------------------------------------------------------===//

#include "Bench/Sandbox.h"

#include "gtest/gtest.h"
#include <cerrno>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace kc;

namespace {

/// Runs \p Body in a child after \p Install; returns what Body wrote (one
/// int per probe) or an empty vector if the child did not exit normally.
template <typename InstallFn, typename BodyFn>
std::vector<int> inChild(InstallFn Install, BodyFn Body) {
  int Pipe[2];
  if (pipe(Pipe) != 0)
    return {};
  pid_t Pid = fork();
  if (Pid == 0) {
    close(Pipe[0]);
    int Installed = Install();
    if (write(Pipe[1], &Installed, sizeof Installed) != sizeof Installed)
      _exit(1);
    for (int R : Body())
      if (write(Pipe[1], &R, sizeof R) != sizeof R)
        _exit(1);
    _exit(0);
  }
  close(Pipe[1]);
  std::vector<int> Out;
  int V;
  while (read(Pipe[0], &V, sizeof V) == sizeof V)
    Out.push_back(V);
  close(Pipe[0]);
  int Status = 0;
  waitpid(Pid, &Status, 0);
  if (!WIFEXITED(Status) || WEXITSTATUS(Status) != 0)
    return {};
  return Out;
}

/// 0 if the call succeeded, else its errno.
int errnoOf(long Result) { return Result < 0 ? errno : 0; }

TEST(SandboxTest, RunnerFilterRefusesSocketsAndSignalsToOthers) {
  if (!sandbox::supported())
    GTEST_SKIP() << "no seccomp filters on this platform";
  std::vector<int> R = inChild(
      [] { return sandbox::installRunnerFilter(getpid()); },
      [] {
        std::vector<int> Out;
        Out.push_back(errnoOf(socket(AF_INET, SOCK_STREAM, 0)));
        Out.push_back(errnoOf(socket(AF_UNIX, SOCK_STREAM, 0)));
        Out.push_back(errnoOf(kill(getppid(), 0)));  // rtcompare's place
        Out.push_back(errnoOf(kill(getpid(), 0)));   // itself
        Out.push_back(errnoOf(setsid()));            // leaving its group
        int Fd = open("/dev/null", O_RDONLY); // files: the runtime's to judge
        Out.push_back(errnoOf(Fd));
        if (Fd >= 0)
          close(Fd);
        return Out;
      });
  ASSERT_EQ(R.size(), 7u);
  EXPECT_EQ(R[0], 0) << "the filter was not installed";
  EXPECT_EQ(R[1], EACCES);
  EXPECT_EQ(R[2], EACCES);
  EXPECT_EQ(R[3], EPERM);
  EXPECT_EQ(R[4], 0);
  EXPECT_EQ(R[5], EPERM);
  EXPECT_EQ(R[6], 0);
}

TEST(SandboxTest, KernelFilterRefusesFilesProgramsAndProcesses) {
  if (!sandbox::supported())
    GTEST_SKIP() << "no seccomp filters on this platform";
  std::vector<int> R = inChild(
      [] { return sandbox::installKernelFilter(); },
      [] {
        std::vector<int> Out;
        Out.push_back(errnoOf(open("/dev/null", O_RDONLY)));
        Out.push_back(
            errnoOf(open("/tmp/kc-sandbox-test", O_WRONLY | O_CREAT, 0600)));
        Out.push_back(errnoOf(unlink("/tmp/kc-sandbox-test")));
        pid_t Child = fork();
        if (Child == 0)
          _exit(0);
        Out.push_back(errnoOf(Child));
        char *const Argv[] = {const_cast<char *>("/bin/true"), nullptr};
        Out.push_back(errnoOf(execv("/bin/true", Argv)));
        Out.push_back(errnoOf(socket(AF_INET6, SOCK_DGRAM, 0)));
        // Threads are not processes: the interpreter may still start one.
        bool Ran = false;
        std::thread T([&] { Ran = true; });
        T.join();
        Out.push_back(Ran ? 0 : -1);
        return Out;
      });
  ASSERT_EQ(R.size(), 8u);
  EXPECT_EQ(R[0], 0) << "the filter was not installed";
  EXPECT_EQ(R[1], EACCES);
  EXPECT_EQ(R[2], EACCES);
  EXPECT_EQ(R[3], EACCES);
  EXPECT_EQ(R[4], EPERM);
  EXPECT_EQ(R[5], EACCES);
  EXPECT_EQ(R[6], EACCES);
  EXPECT_EQ(R[7], 0);
}

} // namespace
