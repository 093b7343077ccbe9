#!/usr/bin/env bash
# What the real generated crates cost to build, against another revision's,
# side by side in one run: `cargo check` and `cargo build` of each crate
# alone (dependencies already built, `cargo clean -p CRATE` before each timed
# run), alternating old and new so both see the same load; medians, peak
# memory (max RSS of the whole cargo process tree's largest process), and
# generated lines per operation. Each side is a copy of the revision's
# `generated/`, `runtime/` and `Cargo.lock` in a scratch folder outside the
# repository; one target directory holds both sides (their paths differ,
# so cargo keeps them apart) and the shared dependencies.
#
# usage: tests/perf/crate-cost.sh OLD_REV [RUNS] [CRATES...]
# e.g.:  tests/perf/crate-cost.sh 90e4130 3 rdsai aicontent
set -euo pipefail

old_rev="${1:?usage: crate-cost.sh OLD_REV [RUNS] [CRATES...]}"
runs="${2:-3}"
shift $(( $# > 1 ? 2 : 1 ))
crates=("$@")
[ ${#crates[@]} -gt 0 ] || crates=(rdsai aicontent)
repo="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="$(mktemp -d /tmp/wiregen-crate-cost.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

mkdir -p "$scratch/old" "$scratch/new"
git -C "$repo" archive "$old_rev" generated runtime Cargo.lock | tar -x -C "$scratch/old"
git -C "$repo" ls-files -z generated runtime Cargo.lock | (cd "$repo" && xargs -0 tar -c) | tar -x -C "$scratch/new"
# The revision's root manifest (the runtime inherits its package fields and dependencies, and
# the profiles apply), with only the runtime and the generated crates as members.
for side in old new; do
  if [ "$side" = old ]; then git -C "$repo" show "$old_rev:Cargo.toml"; else cat "$repo/Cargo.toml"; fi |
    sed -e 's|^members = .*|members = ["runtime", "generated/*"]|' -e '/^exclude = /d' > "$scratch/$side/Cargo.toml"
done

manifest() { echo "$scratch/$1/generated/$2/Cargo.toml"; }
run() { # side crate command -> "seconds maxrss_kb"
  local side="$1" crate="$2" cmd="$3"
  (cd "$scratch/$side" && CARGO_TARGET_DIR="$scratch/target" cargo clean -q -p "$crate" --manifest-path "$(manifest "$side" "$crate")")
  (cd "$scratch/$side" && CARGO_TARGET_DIR="$scratch/target" /usr/bin/time -f "%e %M" -o "$scratch/t" \
    cargo "$cmd" -q --manifest-path "$(manifest "$side" "$crate")")
  cat "$scratch/t"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for crate in "${crates[@]}"; do
  for side in old new; do
    ops=$(find "$scratch/$side/generated/$crate/src/operations" -name '*.rs' ! -name mod.rs | wc -l)
    lines=$(find "$scratch/$side/generated/$crate/src" -name '*.rs' -exec cat {} + | wc -l)
    echo "$crate ($side): $ops operations, $lines lines, $(( lines / (ops > 0 ? ops : 1) )) lines per operation"
    # Dependencies first, untimed (check and build keep separate artifacts).
    for cmd in check build; do
      (cd "$scratch/$side" && CARGO_TARGET_DIR="$scratch/target" cargo "$cmd" -q --manifest-path "$(manifest "$side" "$crate")")
    done
  done
  for cmd in check build; do
    : > "$scratch/old.$cmd"; : > "$scratch/new.$cmd"
    for _ in $(seq "$runs"); do
      for side in old new; do run "$side" "$crate" "$cmd" >> "$scratch/$side.$cmd"; done
    done
    o=$(cut -d' ' -f1 "$scratch/old.$cmd" | median); n=$(cut -d' ' -f1 "$scratch/new.$cmd" | median)
    om=$(cut -d' ' -f2 "$scratch/old.$cmd" | sort -n | tail -1); nm=$(cut -d' ' -f2 "$scratch/new.$cmd" | sort -n | tail -1)
    echo "$crate cargo $cmd: old $(tr '\n' ' ' < "$scratch/old.$cmd"| cut -c1-60)| new $(tr '\n' ' ' < "$scratch/new.$cmd" | cut -c1-60)"
    echo "$crate cargo $cmd median: old ${o} s, new ${n} s, new/old $(awk -v a="$n" -v b="$o" 'BEGIN { printf "%.2f", a / b }'); peak RSS old ${om} KB, new ${nm} KB"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
