#!/usr/bin/env bash
# The whole suite in one run: every bundled kernel on all six implementations
# (kernelc's native code, JS and Python; the hand-written C, JS and Python
# references), results proven equal first, then measured side by side.
# The end of the report holds the figures: the per-kernel matrix of kernelc /
# reference ratios, and the geometric means (kernelc native / c, kernelc v8 /
# js, kernelc cpython / py, and each runtime / native) with the worst kernels.
#
#   bash benchmarks/suite.sh                      # default sizes, 3 processes
#   SIZE=small PROCESSES=1 bash benchmarks/suite.sh
#   bash benchmarks/suite.sh --json=suite.json --results=suite.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${KC_BUILD_DIR:-build}"
exec "$BUILD/bin/rtcompare" run benchmarks/kernels/*.k \
  --runtimes=native,c,v8,js,cpython,py --size="${SIZE:-default}" \
  --processes="${PROCESSES:-3}" --work-dir="$BUILD/rtcompare-suite" "$@"
