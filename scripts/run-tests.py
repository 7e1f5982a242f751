#!/usr/bin/env python3
"""Runs the whole test suite (lit, which includes the unit tests) of a build
and ends with one plain summary line: 'N passed, N failed'."""
import os
import re
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
lit = "/usr/lib/llvm-19/build/utils/lit/lit.py"
cmd = [sys.executable, lit, "-sv", os.path.join(build, "test")] + sys.argv[2:]
proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
sys.stdout.write(proc.stdout)
counts = {}
for kind, n in re.findall(r"^\s*(Passed|Failed|Unsupported|Expectedly Failed|Unresolved|Timed Out|Skipped)\s*:\s*(\d+)", proc.stdout, re.M):
    counts[kind] = int(n)
passed = counts.get("Passed", 0) + counts.get("Expectedly Failed", 0)
failed = counts.get("Failed", 0) + counts.get("Unresolved", 0) + counts.get("Timed Out", 0)
skipped = counts.get("Unsupported", 0) + counts.get("Skipped", 0)
if proc.returncode != 0 and failed == 0:
    failed = 1
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(0 if proc.returncode == 0 and failed == 0 and passed > 0 else 1)
