#!/usr/bin/env bash
# Harness overhead: the empty kernel's time per call on each runtime, and the
# timer's share of a tiny kernel's measurement ("timer share of a sample").
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${KC_BUILD_DIR:-build}"
exec "$BUILD/bin/rtcompare" run benchmarks/harness/empty.k benchmarks/harness/tiny.k \
  --runtimes=native,v8,cpython --processes="${PROCESSES:-3}" \
  --work-dir="$BUILD/rtcompare-harness" "$@"
