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
    # The libFuzzer build of the fuzz targets (KC_FUZZ, docs/fuzzing.md),
    # in a build directory of its own where the main build's lit tests
    # look (KC_LIBFUZZER_DIR): test/fuzz runs each target for a moment.
    cmake -S . -B "$BUILD/libfuzzer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
      -DKC_FUZZ=ON -DKC_BUILD_BENCHMARKS=OFF >/dev/null
    cmake --build "$BUILD/libfuzzer" --target fuzz-targets
    python3 scripts/run-tests.py "$BUILD"
    ;;
  *)
    echo "usage: $0 run|test" >&2; exit 2 ;;
esac
