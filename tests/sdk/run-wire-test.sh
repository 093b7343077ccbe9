#!/usr/bin/env bash
# Runs the wire test alone: makes the SDKs' virtual environment (tests/sdk/venv.sh), then
# compares every example of every operation with the official SDKs' requests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
WIREGEN_SDK_PYTHON="$(tests/sdk/venv.sh)"
export WIREGEN_SDK_PYTHON
exec cargo test -p wiregen-tests --test it sdk_wire -- --nocapture
