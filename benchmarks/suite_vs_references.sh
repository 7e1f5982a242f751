#!/usr/bin/env bash
# kernelc's native code, JS and Python against the hand-written C, JS and
# Python references, every bundled kernel, measured side by side in one run.
# The "geometric means" lines at the end are the figures: kernelc native / c,
# kernelc v8 / js, kernelc cpython / py (and each runtime / native).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${KC_BUILD_DIR:-build}"
exec "$BUILD/bin/rtcompare" run benchmarks/kernels/*.k \
  --runtimes=native,c,v8,js,cpython,py --size="${SIZE:-default}" \
  --processes="${PROCESSES:-3}" --work-dir="$BUILD/rtcompare-suite" "$@"
