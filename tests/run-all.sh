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

# The CLI's tests again, each command also run with --remote against a gateway serving a twin
# data directory, which must print the same (tests/it/twin.rs). The data directory's own files
# (datadir, concurrency, migration) and the gateway's tests have no remote form.
echo "== cargo test: the CLI tests through the admin API (MCPCP_TEST_TWIN=1)"
MCPCP_TEST_TWIN=1 cargo test --locked --test it -- --skip gateway:: --skip docs:: --skip tidy:: \
  --skip migration --skip datadir:: --skip concurrency::

echo "== tests/interop/run.sh"
tests/interop/run.sh
