#!/usr/bin/env bash
# The README's two commands: `run` (install, build, run the bundled suite)
# and `test` (install, build, run every test).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

bash scripts/setup.sh
BUILD="${KC_BUILD_DIR:-build}"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD"

case "$mode" in
  run)
    for k in benchmarks/kernels/*.k; do
      printf '%-28s ' "$(basename "$k" .k)"
      "$BUILD/bin/kernelc" --run -O2 "$k"
    done
    ;;
  test)
    python3 scripts/run-tests.py "$BUILD"
    ;;
  *)
    echo "usage: $0 run|test" >&2; exit 2 ;;
esac
