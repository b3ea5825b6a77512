#!/usr/bin/env bash
# Runs every mcpcp test on a fresh machine: formatting, lints, unit and integration tests, then
# the interop tests with third-party MCP clients, servers and the conformance suite.
# This is the command README.md names and .ci/run calls. It installs what it needs itself.
set -euo pipefail
cd "$(dirname "$0")/.."

# rustfmt and clippy are rustup components a minimal toolchain may lack.
if command -v rustup >/dev/null 2>&1; then
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
fi

echo "== cargo fmt --check"
cargo fmt --check

echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets --locked -- -D warnings

echo "== interop dependencies (Python venv, npm packages) and the debug build"
tests/interop/run.sh --setup-only

echo "== cargo test"
cargo test --locked

echo "== tests/interop/run.sh"
tests/interop/run.sh
