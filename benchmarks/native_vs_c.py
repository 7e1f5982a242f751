#!/usr/bin/env python3
"""native_vs_c.py - kernelc's native code against the hand-written C references.

For each bundled kernel (benchmarks/kernels/K.k) that has a C reference
(BUILD/bin/ref/ref-K), dumps the workload's inputs once with
`kernelc --dump-inputs`, then runs R rounds, each one process of

    kernelc --run -O2 K.k --size=S --repeat=M
    ref-K K.kin --repeat=M

in alternating order (so neither always runs on a warmer or cooler machine).
Both print their result on stdout and `kc-time: calls=M min_ns=X
median_ns=Y` on stderr. A kernel whose two results differ in any round is
reported DIVERGED and gets no timing. The table shows, per kernel, the median
of the per-process medians for each side, their ratio kernelc/C and the
min-max of the per-round ratios; then the geometric mean of the ratios.

Exit status: 0 when every selected kernel was measured, 1 when one diverged
or failed, 2 on a usage error.
"""

import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS_DIR = os.path.join(HERE, "kernels")
TIME_RE = re.compile(
    r"^kc-time: calls=(\d+) min_ns=(\d+) median_ns=(\d+)\s*$", re.MULTILINE)
TIMEOUT_S = 3600


class KernelFailure(Exception):
    """A kernel's row cannot be measured; the message says why."""


def run(cmd, what):
    """Runs cmd; returns (stdout, stderr) or raises KernelFailure."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=TIMEOUT_S)
    except OSError as err:
        raise KernelFailure(f"{what}: cannot run {cmd[0]}: {err}")
    except subprocess.TimeoutExpired:
        raise KernelFailure(f"{what}: timed out after {TIMEOUT_S} s")
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-3:] or ["(no message)"]
        raise KernelFailure(f"{what} exited with {proc.returncode}: "
                            + " | ".join(tail))
    return proc.stdout, proc.stderr


def timed_run(cmd, what, repeat):
    """Runs a --repeat=M process; returns (result text, median ns/call)."""
    out, err = run(cmd, what)
    match = TIME_RE.search(err)
    if not match:
        raise KernelFailure(f"{what}: no kc-time line on stderr")
    calls, _, median = (int(g) for g in match.groups())
    if calls != repeat:
        raise KernelFailure(f"{what}: made {calls} calls, not {repeat}")
    return out.strip(), median


def measure(kernel, kernelc, ref, args, tmpdir):
    """Returns (kernelc medians, C medians) over the rounds, one per process."""
    source = os.path.join(KERNELS_DIR, kernel + ".k")
    inputs = os.path.join(tmpdir, kernel + ".kin")
    run([kernelc, "--dump-inputs", source, f"--size={args.size}", "-o", inputs],
        "kernelc --dump-inputs")

    kc_cmd = [kernelc, "--run", "-O2", source, f"--size={args.size}",
              f"--repeat={args.repeat}"]
    c_cmd = [ref, inputs, f"--repeat={args.repeat}"]
    kc_times, c_times = [], []
    for rnd in range(args.rounds):
        order = [("kernelc", kc_cmd), ("C", c_cmd)]
        if rnd % 2:
            order.reverse()
        results = {}
        for side, cmd in order:
            result, median = timed_run(cmd, side, args.repeat)
            results[side] = result
            (kc_times if side == "kernelc" else c_times).append(median)
        if results["kernelc"] != results["C"]:
            raise KernelFailure(f"DIVERGED: kernelc printed "
                                f"{results['kernelc']!r}, C printed "
                                f"{results['C']!r}")
    return kc_times, c_times


def bundled_kernels():
    return sorted(name[:-2] for name in os.listdir(KERNELS_DIR)
                  if name.endswith(".k"))


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Compare kernelc's native code with the C references.")
    parser.add_argument("kernels", nargs="*", metavar="KERNEL",
                        help="kernels to run (default: every bundled kernel "
                             "with a C reference)")
    parser.add_argument("--build", default="build",
                        help="build directory holding bin/kernelc and "
                             "bin/ref/ (default: build)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="process pairs per kernel (default: 5)")
    parser.add_argument("--repeat", type=int, default=10,
                        help="timed calls per process (default: 10)")
    parser.add_argument("--size", default="default",
                        choices=["small", "default", "large"],
                        help="workload size class (default: default)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.repeat < 1:
        parser.error("--rounds and --repeat must be at least 1")
    return parser, args


def main(argv):
    parser, args = parse_args(argv)
    kernelc = os.path.join(args.build, "bin", "kernelc")
    ref_dir = os.path.join(args.build, "bin", "ref")
    if not os.access(kernelc, os.X_OK):
        parser.error(f"{kernelc} not found: build the project first")

    available = bundled_kernels()
    for name in args.kernels:
        if name not in available:
            parser.error(f"unknown kernel {name!r} (bundled: "
                         f"{', '.join(available)})")
    selected = args.kernels or [
        k for k in available if os.path.exists(os.path.join(ref_dir, "ref-" + k))]
    if not selected:
        parser.error(f"no C references in {ref_dir}: build kc-references")

    print(f"kernelc -O2 vs clang-19 -O2 C, size={args.size}, "
          f"{args.rounds} rounds x {args.repeat} calls per process")
    header = (f"{'kernel':<16} {'kernelc ns/call':>16} {'C ns/call':>14} "
              f"{'kernelc/C':>10}  {'range':<13}")
    print(header)
    print("-" * len(header))

    ratios = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="native_vs_c.") as tmpdir:
        for kernel in selected:
            ref = os.path.join(ref_dir, "ref-" + kernel)
            try:
                if not os.access(ref, os.X_OK):
                    raise KernelFailure(f"no C reference {ref}")
                kc_times, c_times = measure(kernel, kernelc, ref, args, tmpdir)
            except KernelFailure as err:
                failed = True
                print(f"{kernel:<16} {err}", flush=True)
                continue
            kc = statistics.median(kc_times)
            c = statistics.median(c_times)
            ratio = kc / c
            per_round = [k / v for k, v in zip(kc_times, c_times)]
            ratios.append(ratio)
            spread = f"{min(per_round):.2f}-{max(per_round):.2f}"
            print(f"{kernel:<16} {kc:>16,.0f} {c:>14,.0f} {ratio:>10.2f}  "
                  f"{spread:<13}", flush=True)

    print("-" * len(header))
    if ratios:
        geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"{'geometric mean':<48} {geomean:>10.2f}  "
              f"({len(ratios)} of {len(selected)} kernels)")
    else:
        print("geometric mean: no kernel measured")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
