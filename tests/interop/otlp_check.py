"""Interop check 14 (`check_otlp`): mcpcp exports each call's spans over OTLP/HTTP to a real
receiver (otlp_receiver.py, decoding with the official opentelemetry-proto definitions), and a
collector that is down or hangs costs the calls nothing.

Usage: otlp_check.py MCPCP DATA SERVER TOKEN RECEIVER_URL RECEIVER_OUT HUNG_URL DOWN_URL

Runs `mcpcp serve` on DATA four times, one after the other, with MCPCP_OTLP_ENDPOINT set to:
  1. the receiver: the Python SDK calls SERVER (an HTTP upstream) continuing a trace of its own
     (`traceparent`); the spans that arrive are checked against the client's trace and span,
     each other (steps under the call, the upstream exchange under `forward`) and the activity
     records (`mcpcp logs`); an unauthenticated request is an ERROR span with the fault;
  2. nothing (export off): the latency of 40 calls, the baseline;
  3. a port where nothing listens, and 4. a receiver that accepts and never answers: the same
     40 calls are as fast as the baseline, nothing blocks, the gateway logs and counts the
     dropped spans and failed exports, and stops within its bound.
Prints one `PASS name` or `FAIL name: why` line per assertion and exits non-zero if any failed.
"""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
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
# The client's own trace and span: every request of its session carries this `traceparent`.
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{CLIENT_SPAN}-01"
STEPS = ["accept", "authenticate", "authorize", "limit", "route", "forward", "record"]


def check(name: str, ok: bool, detail: Any = "") -> None:
    global failures
    if ok:
        print(f"PASS otlp: {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL otlp: {name}: {detail}", flush=True)


class Gateway:
    """`mcpcp serve` on DATA at 127.0.0.1:0 with the given OTLP endpoint (or none), JSON logs."""

    def __init__(self, mcpcp: str, data: str, endpoint: str | None, log: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "MCPCP_OTLP_ENDPOINT"}
        env.update({"MCPCP_LOG_FORMAT": "json", "MCPCP_LOG": "info"})
        if endpoint:
            env["MCPCP_OTLP_ENDPOINT"] = endpoint
        self.log = log
        self.stderr = open(log, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [mcpcp, "--data-dir", data, "serve", "--listen", "127.0.0.1:0"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()
        match = re.match(r"mcpcp serving on (http://127\.0\.0\.1:\d+) ", first)
        if not match:
            self.proc.kill()
            raise RuntimeError(f"gateway did not start: {first!r} (see {log})")
        self.url = match.group(1)

    def stop(self) -> float:
        """SIGTERM, then waits for the exit; returns how long it took."""
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()
        return time.monotonic() - started

    def events(self, message: str) -> list[dict[str, Any]]:
        """The fields of the log events whose message is `message`."""
        out = []
        with open(self.log, encoding="utf-8") as f:
            for line in f:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                fields = event.get("fields", {})
                if fields.get("message") == message:
                    out.append(fields)
        return out


def client(url: str, token: str, traceparent: str | None = None) -> Client:
    headers = {"Authorization": f"Bearer {token}"}
    if traceparent:
        headers["traceparent"] = traceparent
    http = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30))
    # legacy: a 2025 session, whose id the call's span must carry (`mcp.session.id`); the SDK's
    # auto mode would speak 2026-07-28, which has no sessions.
    return Client(streamable_http_client(url, http_client=http), mode="legacy")


async def calls(url: str, token: str, n: int) -> list[float]:
    """The latencies of `n` tools/call in one session, seconds."""
    out = []
    async with client(url, token) as c:
        for i in range(n):
            started = time.monotonic()
            result = await c.call_tool("test_simple_text", {})
            out.append(time.monotonic() - started)
            if result.is_error:
                raise RuntimeError(f"call {i} failed: {result}")
    return out


def received(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def wait_for_spans(path: str, done: Any, timeout: float = 15.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        spans = received(path)
        if done(spans) or time.monotonic() > deadline:
            return spans
        time.sleep(0.1)


def records(mcpcp: str, data: str) -> list[dict[str, Any]]:
    out = subprocess.run(
        [mcpcp, "--data-dir", data, "logs", "tail", "-n", "100", "--where", f"trace_id={TRACE_ID}", "-o", "json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


async def exported(args: list[str]) -> None:
    mcpcp, data, server, token, receiver, out = args[:6]
    gw = Gateway(mcpcp, data, receiver, out + ".gateway-1.log")
    url = f"{gw.url}/mcp/{server}"
    try:
        async with client(url, token, TRACEPARENT) as c:
            await c.list_tools()
            ok = await c.call_tool("test_simple_text", {})
            check("the call through mcpcp succeeds", not ok.is_error, ok)
            bad = await c.call_tool("test_error_handling", {})
            check("the failing tool answers with isError", bad.is_error, bad)
        anonymous = httpx2.post(
            url,
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers={
                "Accept": "application/json, text/event-stream",
                "traceparent": f"00-{TRACE_ID}-{'1' * 16}-01",
            },
        )
        check("a request without a token is refused", anonymous.status_code == 401, anonymous.status_code)

        def complete(spans: list[dict[str, Any]]) -> bool:
            names = {s["name"] for s in spans if s["trace_id"] == TRACE_ID}
            return {"tools/call test_simple_text", "tools/call test_error_handling", "auth_failure"} <= names

        spans = [s for s in wait_for_spans(out, complete) if s["trace_id"] == TRACE_ID]
        check("the spans of the client's trace arrive", complete(spans), sorted({s["name"] for s in spans}))
        by_id = {s["span_id"]: s for s in spans}
        servers = [s for s in spans if s["kind"] == "SPAN_KIND_SERVER"]

        call = next((s for s in spans if s["name"] == "tools/call test_simple_text"), None)
        if call is None:
            check("the tools/call span is there", False, sorted(by_id))
            return
        check(
            "the call's span is a SERVER span whose parent is the client's span (remote)",
            call["kind"] == "SPAN_KIND_SERVER" and call["parent_span_id"] == CLIENT_SPAN and call["flags"] & 0x300 == 0x300,
            {k: call[k] for k in ("kind", "parent_span_id", "flags")},
        )
        attrs = call["attributes"]
        want = {
            "mcp.method.name": "tools/call",
            "gen_ai.tool.name": "test_simple_text",
            "gen_ai.operation.name": "execute_tool",
            "mcpcp.server": server,
            "mcpcp.record.type": "tool_call",
            "mcpcp.status": "success",
            "mcpcp.auth_method": "api_token",
            "http.response.status_code": 200,
        }
        check(
            "the call's span has the method, tool, server, status and auth attributes",
            all(attrs.get(k) == v for k, v in want.items()) and attrs.get("enduser.id") and attrs.get("mcp.session.id"),
            attrs,
        )
        resource = call["resource"]
        check(
            "the resource names the service, its version and this instance",
            resource.get("service.name") == "mcpcp"
            and re.fullmatch(r"\d+\.\d+\.\d+.*", str(resource.get("service.version")))
            and re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", str(resource.get("service.instance.id"))),
            resource,
        )
        check(
            "sent as protobuf, scope mcpcp",
            call["content_type"] == "application/x-protobuf" and call["scope"]["name"] == "mcpcp",
            (call["content_type"], call["scope"]),
        )
        children = [s for s in spans if s["parent_span_id"] == call["span_id"]]
        forward = next((s for s in children if s["name"] == "forward"), None)
        upstream = [s for s in spans if forward and s["parent_span_id"] == forward["span_id"]]
        # In time order, each phase where it first ran (authorize and limit run twice: for the
        # HTTP request, then for its message).
        order = [s["name"] for s in sorted(children, key=lambda s: s["start"])]
        check(
            "each step of the call is a child of its span",
            list(dict.fromkeys(order)) == STEPS and len(order) == len(STEPS) + 2,
            order,
        )
        check(
            "the upstream exchange's steps are children of forward",
            sorted(s["name"] for s in upstream) == ["upstream.body", "upstream.headers"],
            [s["name"] for s in upstream],
        )
        check(
            "the steps are INTERNAL spans within the call's time",
            all(
                s["kind"] == "SPAN_KIND_INTERNAL" and call["start"] <= s["start"] <= s["end"] <= call["end"] + 1000
                for s in children + upstream
            ),
            [(s["name"], s["start"] - call["start"], s["end"] - call["end"]) for s in children + upstream],
        )

        bad_span = next((s for s in spans if s["name"] == "tools/call test_error_handling"), {})
        check(
            "a failed call is an ERROR span naming the fault",
            bad_span.get("status", {}).get("code") == "STATUS_CODE_ERROR"
            and bad_span["status"]["message"].startswith("upstream fault")
            and bad_span["attributes"].get("mcpcp.fault") == "upstream"
            and bad_span["attributes"].get("error.type") == "tool_error",
            bad_span.get("status"),
        )
        refused = next((s for s in spans if s["name"] == "auth_failure"), {})
        failed_step = [s for s in spans if s["parent_span_id"] == refused.get("span_id") and s["status"]["code"] == "STATUS_CODE_ERROR"]
        check(
            "a refused request: ERROR with the client's fault, on the call and on its authenticate step",
            refused.get("status", {}).get("message", "").startswith("client fault")
            and refused.get("parent_span_id") == "1" * 16
            and [s["name"] for s in failed_step] == ["authenticate"],
            (refused.get("status"), [s["name"] for s in failed_step]),
        )

        recs = records(mcpcp, data)
        matched = [r for r in recs if r.get("span_id") in by_id]
        check(
            "every activity record of the trace is exported, its span id and parent as recorded",
            recs
            and len(matched) == len(recs)
            and all(
                by_id[r["span_id"]]["parent_span_id"] == (r.get("parent_span_id") or "")
                and by_id[r["span_id"]]["attributes"].get("mcpcp.record.type") == r["type"]
                for r in matched
            ),
            [(r["type"], r.get("span_id"), r.get("span_id") in by_id) for r in recs],
        )
        check("one SERVER span per record", len(servers) == len(recs), (len(servers), len(recs)))
    finally:
        took = gw.stop()
    stopped = gw.events("span export stopped")
    check(
        "at exit the gateway reports its exports, nothing dropped",
        len(stopped) == 1 and int(stopped[0]["exported"]) > 0 and int(stopped[0]["dropped"]) == 0,
        stopped,
    )
    check("it stopped promptly", took < 10, took)


async def unaffected(args: list[str]) -> None:
    mcpcp, data, server, token, _receiver, out, hung, down = args
    n = 40
    gw = Gateway(mcpcp, data, None, out + ".gateway-off.log")
    try:
        baseline = await calls(f"{gw.url}/mcp/{server}", token, n)
    finally:
        gw.stop()
    base_p50 = statistics.median(baseline)
    print(f"otlp: export off: p50 {base_p50 * 1e3:.2f} ms, max {max(baseline) * 1e3:.2f} ms", flush=True)
    for label, endpoint in (("down", down), ("hung", hung)):
        gw = Gateway(mcpcp, data, endpoint, f"{out}.gateway-{label}.log")
        try:
            latencies = await calls(f"{gw.url}/mcp/{server}", token, n)
            p50 = statistics.median(latencies)
            print(f"otlp: collector {label}: p50 {p50 * 1e3:.2f} ms, max {max(latencies) * 1e3:.2f} ms", flush=True)
            check(
                f"collector {label}: calls are as fast as with export off (p50 within 2x + 5 ms, none over 1 s)",
                p50 <= 2 * base_p50 + 0.005 and max(latencies) < 1.0,
                (p50, max(latencies)),
            )
            if label == "down":
                # The first batch goes out after a second, fails after the exporter's retries.
                deadline = time.monotonic() + 10
                while not gw.events("spans dropped: the collector failed or the export queue was full"):
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.1)
                warned = gw.events("spans dropped: the collector failed or the export queue was full")
                check(
                    "collector down: the failed export is logged with the drops counted",
                    warned and int(warned[0]["failed_exports"]) >= 1 and int(warned[0]["export_failed"]) > 0,
                    warned,
                )
        finally:
            took = gw.stop()
        stopped = gw.events("span export stopped")
        check(
            f"collector {label}: the gateway stops within its bound (the flush waits at most 5 s)",
            took < 9,
            took,
        )
        s = stopped[0] if stopped else {}
        check(
            f"collector {label}: at exit nothing was exported and every span counted as dropped",
            s and int(s["exported"]) == 0 and int(s["dropped"]) >= n * 8,
            s,
        )
        if label == "down":
            check("collector down: failed exports counted", s and int(s["failed_exports"]) >= 1, s)
        else:
            check("collector hung: the spans left unsent at exit counted", s and int(s["unsent"]) > 0, s)


async def main(args: list[str]) -> None:
    await exported(args)
    await unaffected(args)


if __name__ == "__main__":
    try:
        anyio.run(main, sys.argv[1:])
    except Exception:
        traceback.print_exc()
        check("the check ran to its end", False, "exception (stderr)")
    sys.exit(1 if failures else 0)
