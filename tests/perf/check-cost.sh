#!/usr/bin/env bash
# What a generated crate costs its users: writes a synthetic N-operation
# crate into a scratch Cargo workspace OUTSIDE the repository (its own
# target directory), checks it once, then times `cargo check` after
# touching its lib.rs, and a check of the crate alone (dependencies built).
#
# usage: tests/perf/check-cost.sh [OPERATIONS] [SCRATCH_DIR]
# needs: hyperfine (apt-get install hyperfine)
set -euo pipefail

ops="${1:-100}"
scratch="${2:-/tmp/wiregen-check-cost-$ops}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"

case "$scratch" in
  "$repo"/*) echo "keep $scratch outside the repository" >&2; exit 2 ;;
esac
rm -rf "$scratch"
(cd "$repo" && cargo xtask synth --operations "$ops" --services 1 --out "$scratch/spec" --crates "$scratch")

cd "$scratch"
lib="$scratch/generated/synthrpc/src/lib.rs"
echo "generated lines: $(find generated -name '*.rs' -exec cat {} + | wc -l)"
cargo check -q
hyperfine --warmup 1 --runs 3 --prepare "touch $lib" 'cargo check -q'
hyperfine --runs 2 --prepare 'cargo clean -q -p synthrpc' 'cargo check -q'
