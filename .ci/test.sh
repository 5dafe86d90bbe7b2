#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the tests need
# (Python packages for the conformance suite), builds the workspace once, then runs the
# Rust test suites and the Datalog conformance suite against the built `hydro` binary.
set -euo pipefail
cd "$(dirname "$0")/.."

# Python side: pytest and the pinned conformance suite.
python3 -m pip install --quiet --disable-pip-version-check -r tests/conformance/requirements.txt

# One debug build shared by every test; the fuzz and property tests keep their default,
# bounded case counts here (PROPTEST_CASES raises them).
cargo build --all-targets --locked
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --locked --no-fail-fast
else
  cargo test --locked --no-fail-fast
fi
cargo test --doc --locked

# The conformance adapter drives the binary that was just built.
target_dir="${CARGO_TARGET_DIR:-target}"
HYDRO_BIN="$(cd "$target_dir" && pwd)/debug/hydro" python3 -m pytest tests/conformance -q
