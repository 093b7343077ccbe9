#!/usr/bin/env bash
# Makes (or reuses) the virtual environment with the official SDKs the wire test compares
# against, pinned in tests/sdk/requirements.txt, and prints its Python's path.
# Usage: tests/sdk/venv.sh [DIR]   (default target/sdk-venv)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${1:-$root/target/sdk-venv}"
pins="$root/tests/sdk/requirements.txt"
python="${PYTHON:-python3}"
# Reused only when it was made from exactly these pins.
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$pins" "$venv/requirements.txt"; then
  rm -rf "$venv"
  "$python" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$pins" >&2
  cp "$pins" "$venv/requirements.txt"
fi
echo "$venv/bin/python"
