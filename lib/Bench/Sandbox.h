//===- Sandbox.h - Seccomp filters that confine runner processes -*- C++ -*-===//
//
// Two layers of docs/runner-protocol.md's containment live in the kernel's
// seccomp filters, below anything a runtime's own checks could miss:
//
// - The runner filter, installed by rtcompare between fork and exec for
//   every runner (native, V8, CPython): no sockets (no network, not even a
//   Unix socket to a local daemon), no io_uring (whose operations would not
//   pass through this filter), signals only to itself and its own process
//   group, and no leaving that group (setsid, setpgid), so a timeout that
//   kills the group kills everything the runner started.
// - The kernel filter, installed by kc-runner-cpython after its own imports
//   and before the kernel's module runs: additionally no file opened,
//   created or changed, no program executed, no process forked.
//
// Both return EACCES/EPERM/ENOSYS to the offending call, which each runtime
// turns into an ordinary error; a syscall of another architecture's ABI
// (x32) fails too. The filters are installed with
// SECCOMP_FILTER_FLAG_SPEC_ALLOW: a filter must not turn on the speculative
// store bypass mitigation for the runner (kernels before 5.16 did so by
// default), which would slow the code being measured.
//
//===----------------------------------------------------------------------===//

#ifndef KC_BENCH_SANDBOX_H
#define KC_BENCH_SANDBOX_H

#include <sys/types.h>

namespace kc {
namespace sandbox {

/// Whether this build can install the filters (Linux on x86-64 or AArch64).
bool supported();

/// Installs the runner filter for the calling process, whose pid is \p Self
/// (the filter compares signal targets with it). Async-signal-safe: meant
/// for a child between fork and exec. Returns 0 or an errno value.
int installRunnerFilter(pid_t Self);

/// Installs the kernel filter (which includes the runner filter's rules) in
/// the calling process. Returns 0 or an errno value.
int installKernelFilter();

} // namespace sandbox
} // namespace kc

#endif
