#!/usr/bin/env bash
# The SDK catalogue check, on demand (not in CI: it compiles two crates of
# ~270 operations, several minutes on a small machine).
#
# Every operation of the installed official SDKs (RdsAi 2025-05-07,
# AiContent 20240611) becomes a spec draft (tests/catalogue/import_sdk.py);
# the drafts must pass `xtask check`, `xtask generate`, `cargo check` and
# `cargo clippy -D warnings` in a scratch Cargo workspace.
#
# Usage: tests/catalogue/catalogue.sh PYTHON [SCRATCH]
#   PYTHON   a Python with alibabacloud_rdsai20250507 and
#            alibabacloud_aicontent20240611 installed, e.g. a venv made with
#            `python3 -m venv /tmp/sdk && /tmp/sdk/bin/pip install alibabacloud_rdsai20250507 alibabacloud_aicontent20240611`
#   SCRATCH  an absent or empty folder outside the repository (default: a new temporary one)
# CARGO_TARGET_DIR is honoured for the scratch workspace's build (reusing the
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

# The repository's workspace settings that generated crates rely on, and its lock file so the
# dependency versions are the tested ones.
cat > "$scratch/Cargo.toml" <<TOML
[workspace]
resolver = "3"
members = ["generated/*"]

[workspace.package]
rust-version = "1.95"
license = "MIT OR Apache-2.0"
publish = false

[workspace.dependencies]
serde = { version = "1", features = ["derive"] }
wiregen-runtime = { path = "$repo/runtime" }

[workspace.lints.rust]
unsafe_code = "forbid"
missing_docs = "warn"
unused_qualifications = "warn"

[workspace.lints.clippy]
all = { level = "warn", priority = -1 }

[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false
TOML
cp "$repo/Cargo.lock" "$scratch/Cargo.lock"

cd "$scratch"
echo "== cargo check"
cargo check -q --workspace --all-targets
echo "== cargo clippy -D warnings"
cargo clippy -q --workspace --all-targets -- -D warnings
echo "catalogue ok: $expected SDK operations pass check, generate, cargo check and clippy -D warnings"
