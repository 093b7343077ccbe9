#!/usr/bin/env bash
# How long `cargo xtask generate` takes for synthetic spec trees of 1,000 and
# 5,000 operations: the whole process (read, compile, emit, plan, write,
# exit) as `cargo xtask` builds it (dev profile), the compiler already built.
#
# Each size runs RUNS times into a new output directory (everything
# written) and RUNS times over it (nothing changes); the median wall and CPU
# time of each is printed, with `--timings`' per-stage medians. With OLD (an
# xtask binary built from another commit) the two binaries run alternately,
# so both see the same load. The load average is printed: on a shared
# machine wall time is mostly the other users.
#
# usage: tests/perf/generate-cost.sh [RUNS] [OLD_XTASK_BINARY]
# e.g.:  git stash; cargo build -p xtask; cp target/debug/xtask /tmp/xtask-old; git stash pop
#        tests/perf/generate-cost.sh 7 /tmp/xtask-old
set -euo pipefail

runs="${1:-5}"
old="${2:-}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="$(mktemp -d /tmp/wiregen-generate-cost.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

target="${CARGO_TARGET_DIR:-$repo/target}"
(cd "$repo" && cargo build -q -p xtask)
cp "$target/debug/xtask" "$scratch/new"
binaries=(new)
if [ -n "$old" ]; then
  cp "$old" "$scratch/old"
  binaries=(old new)
fi

# The median of the numbers on stdin, `-` when there are none.
median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

for ops in 1000 5000; do
  "$scratch/new" synth --operations "$ops" --services 3 --out "$scratch/spec$ops" > /dev/null
  for i in $(seq "$runs"); do
    for bin in "${binaries[@]}"; do
      for mode in fresh same; do
        # A fresh run writes into a new directory: removing the last run's
        # files first would time the file system's clean-up (ext4 skips
        # recently freed inodes for minutes), not the generator.
        out="$scratch/out-$bin-$ops-$i"
        log="$scratch/log-$bin-$ops-$mode"
        # A binary from before `--timings` reports only the totals.
        flags=()
        "$scratch/$bin" generate --help | grep -q -- --timings && flags=(--timings)
        /usr/bin/time -f "time %e %U %S" "$scratch/$bin" generate "${flags[@]}" \
          --spec "$scratch/spec$ops" --out "$out" 2>> "$log" > /dev/null
      done
    done
  done
  for bin in "${binaries[@]}"; do
    for mode in fresh same; do
      log="$scratch/log-$bin-$ops-$mode"
      wall=$(awk '$1 == "time" { print $2 }' "$log" | median)
      cpu=$(awk '$1 == "time" { print $3 + $4 }' "$log" | median)
      stages=""
      for stage in read compile emit plan write; do
        ms=$(awk -v s="$stage" '$1 == "timing:" && $2 == s { print $3 }' "$log" | median)
        stages="$stages $stage $ms"
      done
      printf '%-4s %5s ops %-5s median of %s: wall %s s, cpu %s s; ms:%s\n' \
        "$bin" "$ops" "$mode" "$runs" "$wall" "$cpu" "$stages"
    done
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
