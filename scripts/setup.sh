#!/usr/bin/env bash
# Installs every package the toolkit needs on Debian bookworm. The one list.
set -euo pipefail

PACKAGES=(
  g++ cmake ninja-build python3
  llvm-19-dev llvm-19-tools clang-19 libfuzzer-19-dev libzstd-dev zlib1g-dev
  libgtest-dev libbenchmark-dev
  libpython3.11-dev
)

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
