#!/usr/bin/env python3
"""Kills `rtcompare run --results=F` with SIGKILL at random moments, resuming
after each kill, then lets a last --resume finish, and checks that

  - no completed record is ever lost: after every kill and resume, the
    file still starts with every complete line it had before;
  - --resume never redoes completed work: in the end every step (the check
    and each process execution, per kernel and implementation) is recorded
    exactly once;
  - the finished run agrees and reports every implementation ok.

usage: kill_and_resume.py RTCOMPARE WORKDIR KILLS SEED KERNEL.k...
The kill moments are drawn (seeded) from the time a run takes when it is
not killed, so they fall at random points of the run: while inputs are
generated, while a runner runs, or while a record is being written."""
import os
import random
import shutil
import signal
import subprocess
import sys
import time

rtcompare, workdir, kills, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rtcompare = shutil.which(rtcompare) or rtcompare
kernels = sys.argv[5:]
impls = ["native", "c", "v8", "js", "cpython", "py"]
processes = 2
results = os.path.join(workdir, "results.jsonl")
cmd = [rtcompare, "run", *kernels, "--runtimes=" + ",".join(impls), "--size=small",
       "--processes=%d" % processes, "--iterations=3", "--min-sample-ms=1",
       "--process-budget-ms=50", "--work-dir=" + os.path.join(workdir, "work"),
       "--results=" + results]


def complete_lines():
    if not os.path.exists(results):
        return ""
    with open(results) as f:
        text = f.read()
    return text[: text.rfind("\n") + 1]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


# How long an unkilled run takes, to place the kills (in a separate file).
start = time.monotonic()
subprocess.run(cmd[:-1] + ["--results=" + os.path.join(workdir, "timing.jsonl")],
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
full = time.monotonic() - start

rng = random.Random(seed)
killed = 0
for n in range(kills):
    before = complete_lines()
    args = cmd + (["--resume"] if n else [])
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Each kill lands somewhere in what is left of the run; the resumed
    # runs skip finished work, so later kills hit later parts of the suite.
    time.sleep(rng.uniform(0.05, full / 4))
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        killed += 1
    proc.wait()
    after = complete_lines()
    if not after.startswith(before):
        fail("kill %d lost or changed completed records" % (n + 1))
    print("kill %d: %d records" % (n + 1, after.count("\n")), file=sys.stderr)

final = subprocess.run(cmd + ["--resume"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
if final.returncode != 0:
    fail("the resumed run failed:\n" + final.stdout + final.stderr)

import json
seen = {}
for line in complete_lines().splitlines():
    r = json.loads(line)
    key = (r["kernel"], r["implementation"], r["kind"], r["process"])
    seen[key] = seen.get(key, 0) + 1
expected = len(kernels) * len(impls) * (1 + processes)
dupes = [k for k, v in seen.items() if v > 1]
if dupes:
    fail("steps recorded twice (work redone): %s" % dupes[:5])
if len(seen) != expected:
    fail("%d steps recorded, expected %d" % (len(seen), expected))
oks = sum(1 for l in final.stdout.splitlines() if l.rstrip().endswith(" ok"))
if oks != len(kernels) * len(impls):
    fail("%d implementations ok in the final report, expected %d:\n%s"
         % (oks, len(kernels) * len(impls), final.stdout))
print("killed %d times at random moments; no completed record lost" % killed)
print("resumed run complete: %d steps, each recorded once" % len(seen))
print("final report: %d implementations ok" % oks)
