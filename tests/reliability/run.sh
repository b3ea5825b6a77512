#!/usr/bin/env bash
# The long reliability runs, outside CI (about 25 minutes on 2 cores); each prints its figures.
#   tests/reliability/run.sh            # everything
#   tests/reliability/run.sh soak       # or: slowloris, fuzz
# Knobs: MCPCP_SOAK_SECS (600), MCPCP_SOAK_RATE (500 calls/s), MCPCP_SLOWLORIS_SECS (60),
# FUZZ_SECS (180 per target). The soak and slowloris runs use a release build of the gateway;
# the fuzz targets need a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# `MCPCP_SOAK_CAPTURE=off` runs the soak without the activity log, to tell its memory apart.
set -euo pipefail
cd "$(dirname "$0")/../.."
what=("${@:-soak slowloris fuzz}")
read -r -a what <<<"${what[*]}"

for part in "${what[@]}"; do
  case "$part" in
    soak)
      echo "== soak: ${MCPCP_SOAK_RATE:-500} calls/s for ${MCPCP_SOAK_SECS:-600} s"
      cargo test --release --locked --test it -- --ignored --exact gateway::hostile::soak --nocapture \
        | grep -E '^soak:|test result' ;;
    slowloris)
      echo "== slowloris: 2,000 slow connections for ${MCPCP_SLOWLORIS_SECS:=60} s"
      MCPCP_SLOWLORIS_SECS=$MCPCP_SLOWLORIS_SECS cargo test --release --locked --test it -- \
        --exact gateway::hostile::slowloris_connections_cannot_crowd_out_clients --nocapture \
        | grep -E '^slowloris:|test result' ;;
    fuzz)
      if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
        echo "fuzz: needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz)" >&2
        exit 1
      fi
      export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/fuzz}"
      for target in jsonrpc_message redaction cidr_and_config forwarded; do
        echo "== fuzz $target for ${FUZZ_SECS:-180} s"
        log=$(mktemp)
        if cargo +nightly fuzz run --fuzz-dir tests/fuzz "$target" -- \
            -max_total_time="${FUZZ_SECS:-180}" -rss_limit_mb=2048 >"$log" 2>&1; then
          grep -E '^Done|^#[0-9]+.*DONE' "$log" | tail -1
          echo "fuzz $target: 0 crashes"
        else
          tail -40 "$log"
          echo "fuzz $target: FAILED (artifacts in tests/fuzz/artifacts/$target)"
          exit 1
        fi
        rm -f "$log"
      done ;;
    *) echo "unknown part: $part (soak, slowloris, fuzz)" >&2; exit 2 ;;
  esac
done
