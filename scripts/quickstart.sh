#!/usr/bin/env bash
# The README's two commands: `run` (install, build, run the bundled suite)
# and `test` (install, build, run every test).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

bash scripts/setup.sh "$mode"
BUILD="${KC_BUILD_DIR:-build}"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD"

case "$mode" in
  run)
    # The main job: the bundled suite on every runtime and reference, at the
    # small size so that it finishes in a few minutes; results are checked
    # equal before anything is timed.
    "$BUILD/bin/rtcompare" run benchmarks/kernels/*.k \
      --runtimes=native,c,v8,js,cpython,py --size=small --processes=3 \
      --work-dir="$BUILD/rtcompare-work" --json="$BUILD/suite.json" \
      --results="$BUILD/suite.jsonl"
    ;;
  test)
    python3 scripts/run-tests.py "$BUILD"
    ;;
  *)
    echo "usage: $0 run|test" >&2; exit 2 ;;
esac
