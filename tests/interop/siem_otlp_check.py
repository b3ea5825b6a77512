"""Interop check 16 (`check_siem_otlp`): a SIEM sink of kind `otlp` (`mcpcp siem add --otlp`)
delivers the activity log and the audit trail as OTLP/HTTP log records to a real receiver
(otlp_receiver.py logs, decoding with the official opentelemetry-proto definitions).

Usage: siem_otlp_check.py MCPCP DATA SERVER TOKEN RECEIVER_URL RECEIVER_OUT

Adds the sink (an extra header, its value on standard input), runs `mcpcp siem test`, starts
`mcpcp serve` on DATA, and has the Python SDK call SERVER's `echo` through it in a trace of its
own (`traceparent`). Then every activity record (`mcpcp logs`) must arrive as exactly one log
record with its time, severity, body (the record as JSON), attributes, trace and span ids, under
the resource naming mcpcp, its version and the data directory's instance; the sink's own
`siem.add` audit entry too; and `siem status` must show the sink caught up.
Prints one `PASS name` or `FAIL name: why` line per assertion and exits non-zero if any failed.
"""

from __future__ import annotations

import datetime
import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from typing import Any

import anyio
import httpx2
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

failures = 0
TRACE_ID = "5bf92f3577b34da6a3ce929d0e0e4737"
TRACEPARENT = f"00-{TRACE_ID}-10f067aa0ba902b8-01"
COLLECTOR_KEY = "collector-key-from-standard-input"
CALLS = 20
SEVERITY = {"info": ("SEVERITY_NUMBER_INFO", "INFO"), "warn": ("SEVERITY_NUMBER_WARN", "WARN"), "error": ("SEVERITY_NUMBER_ERROR", "ERROR")}


def check(name: str, ok: bool, detail: Any = "") -> None:
    global failures
    if ok:
        print(f"PASS siem-otlp: {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL siem-otlp: {name}: {detail}", flush=True)


def mcpcp_run(mcpcp: str, data: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([mcpcp, "--data-dir", data, *args], input=stdin, capture_output=True, text=True, timeout=60)


def received(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def nanos(rfc3339: str) -> int:
    """An RFC 3339 time with microseconds (`…T03:04:05.123456Z`) in nanoseconds since the epoch."""
    t = datetime.datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    return (int(t.timestamp()) * 1_000_000 + t.microsecond) * 1000


async def call_through(url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}", "traceparent": TRACEPARENT}
    http = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30))
    async with Client(streamable_http_client(url, http_client=http)) as c:
        for i in range(CALLS):
            result = await c.call_tool("echo", {"text": f"siem over otlp #{i} \"quoted\" é"})
            if result.is_error:
                raise RuntimeError(f"call {i} failed: {result}")
        # A call that fails: its record's level is not info, nor its log record's severity.
        try:
            await c.call_tool("no_such_tool", {})
        except Exception:  # the SDK raises for a JSON-RPC error; the record is what counts here
            pass


async def main(args: list[str]) -> None:
    mcpcp, data, server, token, receiver, out = args
    added = mcpcp_run(
        mcpcp, data, "-o", "json", "siem", "add", "collector", "--otlp", receiver,
        "--header", "X-Collector-Key", stdin=f"{COLLECTOR_KEY}\n",
    )
    sink = json.loads(added.stdout) if added.returncode == 0 else {}
    check(
        "siem add --otlp stores the /v1/logs endpoint and the header's name only",
        sink.get("kind") == "otlp" and sink.get("url") == f"{receiver}/v1/logs" and sink.get("headers") == ["x-collector-key"],
        (added.returncode, added.stdout, added.stderr),
    )
    instance = sqlite3.connect(f"file:{data}/state.db?mode=ro", uri=True).execute(
        "SELECT value FROM meta WHERE key = 'instance'"
    ).fetchone()[0]

    tested = mcpcp_run(mcpcp, data, "-o", "json", "siem", "test", "collector")
    report = json.loads(tested.stdout) if tested.returncode == 0 else {}
    test_records = [r for r in received(out) if r["attributes"].get("mcpcp.record.type") == "siem_test"]
    check(
        "siem test sends one test record and reports the collector's 200",
        report.get("http_status") == 200 and len(test_records) == 1 and test_records[0]["event_name"] == "mcpcp.siem_test",
        (tested.returncode, tested.stdout, tested.stderr, len(test_records)),
    )

    log = open(out + ".gateway.log", "w", encoding="utf-8")
    gw = subprocess.Popen(
        [mcpcp, "--data-dir", data, "serve", "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=log, text=True
    )
    try:
        assert gw.stdout is not None
        first = gw.stdout.readline()
        match = re.match(r"mcpcp serving on (http://127\.0\.0\.1:\d+) ", first)
        if not match:
            raise RuntimeError(f"gateway did not start: {first!r}")
        await call_through(f"{match.group(1)}/mcp/{server}", token)
        def activity_records() -> list[dict[str, Any]]:
            # `siem test`'s record is not an activity record (its event id says `test`).
            return [
                r
                for r in received(out)
                if r["attributes"].get("mcpcp.stream") == "activity" and r["attributes"].get("mcpcp.record.type") != "siem_test"
            ]

        def recorded() -> list[dict[str, Any]]:
            out = mcpcp_run(mcpcp, data, "-o", "json", "logs", "tail", "-n", "10000").stdout
            return [json.loads(line) for line in out.splitlines() if line.strip()]

        # The records and the log records until both sides agree (the session's end is recorded
        # after the last call returned).
        deadline = time.monotonic() + 30
        while True:
            recs = recorded()
            want = {f"{instance}:activity:{r['id']}": r for r in recs}
            arrived = {r["attributes"].get("mcpcp.event.id") for r in activity_records()}
            if arrived == set(want) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        calls = [r for r in recs if r["type"] == "tool_call" and r["status"] == "success"]
        check(f"the {CALLS} calls are recorded", len(calls) == CALLS, len(calls))
        got = activity_records()
        ids = [r["attributes"].get("mcpcp.event.id") for r in got]
        check(
            "one log record per activity record, compared by event id",
            sorted(ids) == sorted(want) and len(ids) == len(set(ids)),
            (len(ids), len(want), sorted(set(want) - set(ids))[:5]),
        )
        bad: list[Any] = []
        for r in got:
            rec = want.get(r["attributes"].get("mcpcp.event.id"))
            if rec is None:
                continue
            body = json.loads(r["body"])
            a = r["attributes"]
            expected = {
                "mcpcp.stream": "activity",
                "mcpcp.record.type": rec["type"],
                "mcpcp.status": rec["status"],
                "mcpcp.server": rec.get("server"),
                "gen_ai.tool.name": rec.get("tool"),
                "mcp.method.name": rec.get("method"),
                "enduser.id": rec.get("principal"),
                "mcpcp.duration_us": rec["duration_us"],
            }
            if not all(a.get(k) == v for k, v in expected.items() if v is not None):
                bad.append(("attributes", a, expected))
            if r["time"] != nanos(rec["time"]) or not r["observed_time"] >= r["time"]:
                bad.append(("time", r["time"], rec["time"]))
            if (r["severity_number"], r["severity_text"]) != SEVERITY[rec["level"]]:
                bad.append(("severity", r["severity_number"], rec["level"]))
            if r["trace_id"] != rec["trace_id"] or r["span_id"] != (rec.get("span_id") or ""):
                bad.append(("ids", r["trace_id"], r["span_id"], rec["trace_id"], rec.get("span_id")))
            if body.get("event_id") != a["mcpcp.event.id"] or any(body.get(k) != v for k, v in rec.items()):
                bad.append(("body", body, rec))
            if r["event_name"] != "mcpcp.activity":
                bad.append(("event_name", r["event_name"]))
        check("each log record carries its record's attributes, time, severity, trace and body", not bad, bad[:3])
        failed = [r for r in got if json.loads(r["body"]).get("status") == "failure"]
        check(
            "a failed call's log record has the severity of its level (WARN or ERROR)",
            failed and all(r["severity_text"] in ("WARN", "ERROR") for r in failed),
            [(r["severity_text"], json.loads(r["body"]).get("level")) for r in failed],
        )
        traced = [r for r in got if r["trace_id"] == TRACE_ID]
        check(
            "the calls' log records are in the client's trace",
            len([r for r in traced if r["attributes"].get("mcpcp.record.type") == "tool_call"]) == CALLS + 1,
            len(traced),
        )
        echoed = [(json.loads(r["body"]).get("input") or {}).get("text", "") for r in got]
        check("the inputs arrive intact (quotes, UTF-8)", any('"quoted" é' in t for t in echoed), echoed[:3])

        everything = received(out)
        resources = {json.dumps(r["resource"], sort_keys=True) for r in everything}
        version = mcpcp_run(mcpcp, data, "--version").stdout.split()[-1]
        resource = everything[0]["resource"] if everything else {}
        check(
            "the resource names mcpcp, its version, this data directory's instance and the host",
            len(resources) == 1
            and resource.get("service.name") == "mcpcp"
            and resource.get("service.version") == version
            and resource.get("service.instance.id") == instance
            and resource.get("host.name"),
            (resources, version, instance),
        )
        check(
            "sent as protobuf to /v1/logs with the extra header, scope mcpcp.siem",
            all(
                r["content_type"] == "application/x-protobuf"
                and r["headers"].get("x-collector-key") == COLLECTOR_KEY
                and r["scope"]["name"] == "mcpcp.siem"
                for r in everything
            ),
            [(r["content_type"], r["headers"].get("x-collector-key"), r["scope"]) for r in everything[:2]],
        )
        audit = [r for r in everything if r["attributes"].get("mcpcp.stream") == "audit"]
        add = next((r for r in audit if r["attributes"].get("mcpcp.audit.action") == "siem.add"), None)
        check(
            "the sink's own siem.add audit entry arrives as an INFO record, its credentials not in it",
            add is not None
            and add["severity_text"] == "INFO"
            and add["event_name"] == "mcpcp.audit"
            and add["attributes"].get("mcpcp.audit.resource") == "collector"
            and COLLECTOR_KEY not in json.dumps([add["body"], add["attributes"]]),
            add,
        )
        deadline = time.monotonic() + 10
        while True:
            status = json.loads(mcpcp_run(mcpcp, data, "-o", "json", "siem", "status", "collector").stdout or "[{}]")[0]
            if status.get("lag_events") == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        check(
            "siem status: delivering, caught up, everything counted delivered",
            status.get("state") == "delivering"
            and status.get("lag_events") == 0
            and status.get("delivered") == len(got) + len(audit)
            and status.get("last_error") is None,
            status,
        )
    finally:
        gw.send_signal(signal.SIGTERM)
        try:
            gw.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gw.kill()
        log.close()


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    try:
        anyio.run(main, sys.argv[1:])
    except Exception:
        traceback.print_exc()
        check("the check ran to the end", False, "an exception (traceback on stderr)")
    sys.exit(1 if failures else 0)
