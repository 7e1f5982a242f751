#!/usr/bin/env python3
"""Does kc-runner-cpython run Python as fast as python3.11 does?

For each kernel: kernelc's Python module and the hand-written reference are
timed twice in one run, by rtcompare through kc-runner-cpython and by
/usr/bin/python3.11 itself (a child process per execution that reads the same
.kin inputs, makes one warm-up call, then times calls for up to the same 2 s
budget). Prints each module's runner/python3.11 ratio, the kernelc/reference
ratio under each, and geometric means. Ratios near 1.00 mean the runner
measures the CPython users run; the shared libpython3.11.so gave ~1.2 on
interpreter-bound modules (docs/methodology.md, "Which CPython").

  python3 benchmarks/cpython_fidelity.py                    # every kernel
  python3 benchmarks/cpython_fidelity.py lru_cache fib --processes=5
  # also an embedding runner (a build configured with -DKC_CPYTHON_EMBED=ON
  # that has rtcompare and kc-runner-cpython), timed in the same run:
  python3 benchmarks/cpython_fidelity.py --also-build=build-embed
"""

import argparse
import csv
import math
import os
import re
import statistics
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Runs in the python3.11 child: argv = module, function, inputs, budget (s).
CHILD = r'''
import copy, importlib.util, struct, sys, time
path, fn, kin, budget = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
spec = importlib.util.spec_from_file_location("kernel_module", path)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
f = getattr(mod, fn)
data = open(kin, "rb").read()
assert data[:6] == b"KCIN1\n"
(count,) = struct.unpack_from("<I", data, 6)
pos, args = 10, []
for _ in range(count):
    kind = data[pos]; pos += 1
    if kind in (0, 1):
        (v,) = struct.unpack_from("<q" if kind == 0 else "<d", data, pos); pos += 8
    elif kind == 2:
        v = data[pos] != 0; pos += 1
    else:
        (n,) = struct.unpack_from("<Q", data, pos); pos += 8
        if kind in (3, 4):
            v = data[pos:pos + n]; pos += n
            if kind == 4:
                v = v.decode("ascii")
        else:
            v = list(struct.unpack_from(("<%dq" if kind == 5 else "<%dd") % n, data, pos))
            pos += 8 * n
    args.append(v)
result = f(*copy.deepcopy(args))  # warm-up, as the runner's calibration call
times = []
while len(times) < 20 and sum(times) < budget * 1e9:
    fresh = copy.deepcopy(args)  # a fresh copy per call, as the runner's
    t = time.perf_counter_ns()
    f(*fresh)
    times.append(time.perf_counter_ns() - t)
print(sum(times) / len(times))
'''


def kin_entry(kernel_path):
    src = open(kernel_path).read()
    m = re.search(r"^bench\s+(\w+)", src, re.M)
    if not m:
        raise SystemExit(f"{kernel_path}: no bench section")
    return m.group(1)


def python_times(module, fn, kin, processes):
    per_process = [
        float(subprocess.check_output(
            ["/usr/bin/python3.11", "-I", "-S", "-c", CHILD, module, fn, kin, "2"],
            text=True))
        for _ in range(processes)]
    return statistics.fmean(per_process)


def geomean(xs):
    return math.exp(statistics.fmean(math.log(x) for x in xs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kernels", nargs="*", help="kernel names (default: all)")
    ap.add_argument("--build", default=os.environ.get("KC_BUILD_DIR", "build"))
    ap.add_argument("--also-build", action="append", default=[],
                    help="another build whose runner is timed too (repeatable)")
    ap.add_argument("--size", default="default")
    ap.add_argument("--processes", type=int, default=3)
    opts = ap.parse_args()

    def build_dir(b):
        return b if os.path.isabs(b) else os.path.join(ROOT, b)
    builds = [build_dir(b) for b in [opts.build] + opts.also_build]
    labels = [os.path.basename(b.rstrip("/")) for b in builds]
    kdir = os.path.join(ROOT, "benchmarks", "kernels")
    names = opts.kernels or sorted(f[:-2] for f in os.listdir(kdir) if f.endswith(".k"))
    work = tempfile.mkdtemp(prefix="kc-fidelity-")
    kernelc = os.path.join(builds[0], "bin", "kernelc")
    # ratios[label][impl] = [runner / python3.11 per kernel]; kr = kernelc/reference
    ratios = {l: {"cpython": [], "py": []} for l in labels}
    kr = {l: [] for l in labels + ["python3.11"]}
    print(f"{'kernel':16} {'impl':8} {'python3.11':>11}" +
          "".join(f" {l:>11} {'/py3.11':>7}" for l in labels))
    for name in names:
        kfile = os.path.join(kdir, name + ".k")
        fn = kin_entry(kfile)
        module = os.path.join(work, name + ".py")
        kin = os.path.join(work, name + ".kin")
        subprocess.check_call([kernelc, "--emit=py", kfile, "-o", module])
        subprocess.check_call([kernelc, "--dump-inputs", f"--size={opts.size}", kfile, "-o", kin])
        runner = {}
        for build, label in zip(builds, labels):
            out_csv = os.path.join(work, f"{name}.{label}.csv")
            subprocess.check_call(
                [os.path.join(build, "bin", "rtcompare"), "run", kfile, "--runtimes=cpython,py",
                 f"--size={opts.size}", f"--processes={opts.processes}", f"--csv={out_csv}",
                 f"--work-dir={os.path.join(work, 'rt-' + label + '-' + name)}"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            runner[label] = {r["implementation"]: float(r["ns_per_call"])
                             for r in csv.DictReader(open(out_csv))}
        ref = os.path.join(ROOT, "benchmarks", "reference", "py", name + ".py")
        direct = {"cpython": python_times(module, fn, kin, opts.processes),
                  "py": python_times(ref, fn, kin, opts.processes)}
        for impl in ("cpython", "py"):
            line = f"{name:16} {impl:8} {direct[impl] / 1e6:8.3f} ms"
            for label in labels:
                r = runner[label][impl] / direct[impl]
                ratios[label][impl].append(r)
                line += f" {runner[label][impl] / 1e6:8.3f} ms {r:7.3f}"
            print(line, flush=True)
        kr["python3.11"].append(direct["cpython"] / direct["py"])
        for label in labels:
            kr[label].append(runner[label]["cpython"] / runner[label]["py"])
    print()
    for label in labels:
        print(f"{label}: runner/python3.11 geomean, kernelc's modules "
              f"{geomean(ratios[label]['cpython']):.3f}, references "
              f"{geomean(ratios[label]['py']):.3f}")
    print("kernelc/reference geomean: " + ", ".join(
        f"{label} {geomean(v):.3f}" for label, v in kr.items()))


if __name__ == "__main__":
    sys.exit(main())
