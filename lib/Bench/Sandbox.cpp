//===- Sandbox.cpp - Seccomp filters that confine runner processes --------===//
//
// Classic BPF programs over struct seccomp_data, built into a fixed array so
// that the runner filter can be built and installed between fork and exec
// (no allocation, only async-signal-safe calls).
//
//===----------------------------------------------------------------------===//

#include "Bench/Sandbox.h"

#include <cerrno>
#include <initializer_list>

#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
#define KC_HAVE_SECCOMP 1
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

using namespace kc;

#ifdef KC_HAVE_SECCOMP

namespace {

#if defined(__x86_64__)
constexpr unsigned NativeArch = AUDIT_ARCH_X86_64;
#else
constexpr unsigned NativeArch = AUDIT_ARCH_AARCH64;
#endif

/// A BPF program under construction; large enough for both filters.
struct Program {
  sock_filter Code[160];
  unsigned short Size = 0;

  void add(sock_filter I) { Code[Size++] = I; }
  void stmt(unsigned short Op, unsigned K) { add(BPF_STMT(Op, K)); }
  void jump(unsigned short Op, unsigned K, unsigned char T, unsigned char F) {
    add(BPF_JUMP(Op, K, T, F));
  }
  void loadNr() {
    stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  }
  /// The low 32 bits of the first argument (little-endian targets only).
  void loadArg0() {
    stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
  }
  void ret(unsigned Action) { stmt(BPF_RET | BPF_K, Action); }

  /// Architecture check, then the syscall number in the accumulator.
  void prologue() {
    stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    jump(BPF_JMP | BPF_JEQ | BPF_K, NativeArch, 1, 0);
    ret(SECCOMP_RET_KILL_PROCESS);
    loadNr();
#if defined(__x86_64__)
    // The x32 ABI's numbers alias ours with this bit set.
    jump(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);
    ret(SECCOMP_RET_ERRNO | ENOSYS);
#endif
  }

  /// The call \p Nr fails with \p Errno. Keeps the number in the accumulator.
  void deny(long Nr, unsigned Errno) {
    jump(BPF_JMP | BPF_JEQ | BPF_K, unsigned(Nr), 0, 1);
    ret(SECCOMP_RET_ERRNO | Errno);
  }

  /// kill-like call \p Nr whose first argument is a pid: allowed for \p Self
  /// and, with \p Group, for 0 and -Self (the process group Self leads).
  void signalsToSelf(long Nr, pid_t Self, bool Group) {
    jump(BPF_JMP | BPF_JEQ | BPF_K, unsigned(Nr), 0, Group ? 6 : 4);
    loadArg0();
    if (Group) {
      jump(BPF_JMP | BPF_JEQ | BPF_K, unsigned(Self), 3, 0);
      jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0);
      jump(BPF_JMP | BPF_JEQ | BPF_K, unsigned(-Self), 1, 0);
    } else {
      jump(BPF_JMP | BPF_JEQ | BPF_K, unsigned(Self), 1, 0);
    }
    ret(SECCOMP_RET_ERRNO | EPERM);
    ret(SECCOMP_RET_ALLOW);
  }

  void runnerRules(pid_t Self) {
    deny(__NR_socket, EACCES);
    deny(__NR_socketpair, EACCES);
    deny(__NR_io_uring_setup, ENOSYS);
    deny(__NR_setsid, EPERM);
    deny(__NR_setpgid, EPERM);
    deny(__NR_pidfd_send_signal, EPERM);
    deny(__NR_tkill, EPERM);
    signalsToSelf(__NR_kill, Self, /*Group=*/true);
    signalsToSelf(__NR_tgkill, Self, /*Group=*/false);
    // LLVM's crash handler re-raises a signal with its siginfo this way.
    signalsToSelf(__NR_rt_sigqueueinfo, Self, /*Group=*/false);
    signalsToSelf(__NR_rt_tgsigqueueinfo, Self, /*Group=*/false);
  }

  void kernelRules() {
    deny(__NR_execve, EACCES);
    deny(__NR_execveat, EACCES);
    deny(__NR_clone3, ENOSYS); // glibc then falls back to clone
    // clone: threads only (CLONE_THREAD), never a new process.
    jump(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4);
    loadArg0();
    jump(BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 1, 0);
    ret(SECCOMP_RET_ERRNO | EPERM);
    ret(SECCOMP_RET_ALLOW);
    // Files: nothing opened (the runner has read what it needs) and nothing
    // created, removed, renamed or changed.
    for (long Nr : {long(__NR_openat), long(__NR_openat2),
                    long(__NR_open_by_handle_at), long(__NR_unlinkat),
                    long(__NR_renameat2),
                    long(__NR_mkdirat), long(__NR_linkat),
                    long(__NR_symlinkat), long(__NR_fchmodat),
                    long(__NR_fchmod), long(__NR_fchownat), long(__NR_fchown),
                    long(__NR_truncate), long(__NR_ftruncate),
                    long(__NR_mknodat), long(__NR_utimensat)})
      deny(Nr, EACCES);
#if defined(__x86_64__) // AArch64 has only the *at forms and clone
    deny(__NR_fork, EPERM);
    deny(__NR_vfork, EPERM);
    deny(__NR_renameat, EACCES);
    for (long Nr : {long(__NR_open), long(__NR_creat), long(__NR_unlink),
                    long(__NR_rename), long(__NR_mkdir), long(__NR_rmdir),
                    long(__NR_link), long(__NR_symlink), long(__NR_chmod),
                    long(__NR_chown), long(__NR_lchown), long(__NR_mknod),
                    long(__NR_utimes)})
      deny(Nr, EACCES);
#endif
    deny(__NR_ptrace, EPERM);
    deny(__NR_process_vm_readv, EPERM);
    deny(__NR_process_vm_writev, EPERM);
  }

  int install() {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
      return errno;
    sock_fprog Prog;
    Prog.len = Size;
    Prog.filter = Code;
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                SECCOMP_FILTER_FLAG_SPEC_ALLOW, &Prog) == 0)
      return 0;
    if (errno != EINVAL) // a kernel before 4.17 knows no SPEC_ALLOW
      return errno;
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &Prog) == 0
               ? 0
               : errno;
  }
};

} // namespace

bool sandbox::supported() { return true; }

int sandbox::installRunnerFilter(pid_t Self) {
  Program P;
  P.prologue();
  P.runnerRules(Self);
  P.ret(SECCOMP_RET_ALLOW);
  return P.install();
}

int sandbox::installKernelFilter() {
  Program P;
  P.prologue();
  P.runnerRules(getpid());
  P.kernelRules();
  P.ret(SECCOMP_RET_ALLOW);
  return P.install();
}

#else

bool sandbox::supported() { return false; }
int sandbox::installRunnerFilter(pid_t) { return ENOSYS; }
int sandbox::installKernelFilter() { return ENOSYS; }

#endif
