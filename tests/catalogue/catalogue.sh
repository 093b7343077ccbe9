#!/usr/bin/env bash
# The SDK catalogue check, on demand (not in CI: it compiles two crates of
# ~270 operations, several minutes on a small machine).
#
# Every operation of the installed official SDKs (RdsAi 2025-05-07,
# AiContent 20240611) becomes a spec draft (tests/catalogue/import_sdk.py);
# the drafts must pass `xtask check`, `xtask generate` and, each generated
# crate on its own (no workspace: they are complete packages), `cargo check`
# and `cargo clippy -D warnings`.
#
# Usage: tests/catalogue/catalogue.sh PYTHON [SCRATCH]
#   PYTHON   a Python with alibabacloud_rdsai20250507 and
#            alibabacloud_aicontent20240611 installed, e.g. a venv made with
#            `python3 -m venv /tmp/sdk && /tmp/sdk/bin/pip install alibabacloud_rdsai20250507 alibabacloud_aicontent20240611`
#   SCRATCH  an absent or empty folder outside the repository (default: a new temporary one)
# CARGO_TARGET_DIR is honoured for the crates' builds (reusing the
# repository's target directory saves rebuilding shared dependencies).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="${1:?usage: catalogue.sh PYTHON [SCRATCH]}"
scratch="${2:-$(mktemp -d)}"
mkdir -p "$scratch"
if [ -n "$(ls -A "$scratch")" ]; then
  echo "catalogue.sh: $scratch is not empty" >&2
  exit 2
fi
scratch="$(cd "$scratch" && pwd)"

echo "== import: every SDK operation -> $scratch/spec"
"$python" "$repo/tests/catalogue/import_sdk.py" "$scratch" | tee "$scratch/import.txt" | grep -v '^  approximated'
expected="$(sed -n 's/^total: \([0-9]*\) operations$/\1/p' "$scratch/import.txt")"
drafts="$(find "$scratch/spec" -path '*/operations/*.yaml' | wc -l)"
[ "$drafts" -eq "$expected" ] || { echo "catalogue.sh: $drafts drafts for $expected operations" >&2; exit 1; }

cd "$repo"
cargo build -q -p xtask
xtask="${CARGO_TARGET_DIR:-$repo/target}/debug/xtask"

echo "== check"
"$xtask" check --spec "$scratch/spec"

echo "== generate"
"$xtask" generate --spec "$scratch/spec" --out "$scratch/generated" > "$scratch/generate.txt"
generated="$(find "$scratch/generated" -path '*/src/operations/*.rs' ! -name mod.rs | wc -l)"
echo "$generated operation modules generated"
[ "$generated" -eq "$expected" ] || { echo "catalogue.sh: $generated modules for $expected operations" >&2; exit 1; }

# Each generated crate is a complete package that reaches the runtime of this checkout by a
# relative path (`generate --out`'s default): it builds where it was written, with no workspace.
# The checkout's lock file pins the tested dependency versions, and its [profile.*] tables (as a
# cargo configuration read from the scratch folder) and one target directory let the crates
# share the dependencies they build.
mkdir -p "$scratch/.cargo"
awk '/^\[/ { keep = /^\[profile\./ } keep' "$repo/Cargo.toml" > "$scratch/.cargo/config.toml"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$scratch/target}"

cd "$scratch"
for dir in "$scratch"/generated/*/; do
  cp "$repo/Cargo.lock" "$dir/Cargo.lock"
  echo "== cargo check, cargo clippy -D warnings: $(basename "$dir")"
  cargo check -q --all-targets --manifest-path "$dir/Cargo.toml"
  cargo clippy -q --all-targets --manifest-path "$dir/Cargo.toml" -- -D warnings
done
echo "catalogue ok: $expected SDK operations pass check, generate, cargo check and clippy -D warnings"
