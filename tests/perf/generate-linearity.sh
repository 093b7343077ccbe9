#!/usr/bin/env bash
# Linearity guard for `cargo xtask generate`, counting work, not time:
# the instructions executed (valgrind's callgrind, the same count on a busy
# or an idle machine) for synthetic trees of N and 5N operations. Fails when
# 5N costs more than 5.5 times N. Threads are counted together (valgrind
# runs them one at a time); the kernel's work (file writes) is not counted.
#
# usage: tests/perf/generate-linearity.sh [N]   (default 200: a few minutes)
# needs: valgrind (apt-get install valgrind)
set -euo pipefail

small="${1:-200}"
large=$((small * 5))
repo="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="$(mktemp -d /tmp/wiregen-generate-linearity.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

target="${CARGO_TARGET_DIR:-$repo/target}"
(cd "$repo" && cargo build -q -p xtask)
cp "$target/debug/xtask" "$scratch/xtask"

count() {
  local ops="$1"
  "$scratch/xtask" synth --operations "$ops" --services 3 --out "$scratch/spec$ops" > /dev/null
  valgrind --tool=callgrind --callgrind-out-file="$scratch/callgrind.$ops" \
    "$scratch/xtask" generate --spec "$scratch/spec$ops" --out "$scratch/out$ops" \
    > /dev/null 2> "$scratch/valgrind.$ops"
  sed -n 's/.*I *refs: *//p' "$scratch/valgrind.$ops" | tr -d ,
}

small_count=$(count "$small")
large_count=$(count "$large")
ratio=$(awk -v a="$small_count" -v b="$large_count" 'BEGIN { printf "%.3f", b / a }')
echo "instructions: $small ops $small_count, $large ops $large_count, ratio $ratio (limit 5.5)"
awk -v r="$ratio" 'BEGIN { exit !(r <= 5.5) }' || {
  echo "error: generate grows faster than linearly"
  exit 1
}
