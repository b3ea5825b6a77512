"""Interop check 13: Debian's Prometheus server scrapes mcpcp's metrics listener; after calls
through mcpcp (the official Python SDK client, to the rmcp stdio fixture), Prometheus's query API
returns them.

Usage: prometheus_check.py MCP_URL TOKEN PROMETHEUS_URL

Prints one `PASS name` or `FAIL name: why` line per assertion and exits non-zero if any failed.
Prometheus scrapes every second; each query is polled until it shows the expected value or a
deadline passes.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.parse
import urllib.request
from typing import Any

import anyio
import httpx2
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

CALLS = 5
DEADLINE = 30.0

failures = 0


def check(name: str, ok: bool, detail: Any = "") -> None:
    """Records one assertion."""
    global failures
    if ok:
        print(f"PASS prometheus: {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL prometheus: {name}: {detail}", flush=True)


def query(prometheus: str, promql: str) -> list[dict[str, Any]]:
    """The result vector of an instant query (`/api/v1/query`)."""
    url = f"{prometheus}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"query {promql!r}: {body}")
    return body["data"]["result"]


def poll(prometheus: str, promql: str, want: float) -> tuple[bool, Any]:
    """Polls `promql` until its single value is `want`, or the deadline passes; returns whether it
    got there and the last result."""
    deadline = time.monotonic() + DEADLINE
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = query(prometheus, promql)
            if len(last) == 1 and float(last[0]["value"][1]) == want:
                return True, last
        except (OSError, RuntimeError, ValueError) as e:
            last = e
        time.sleep(0.25)
    return False, last


async def calls(url: str, token: str) -> int:
    """Calls `echo` CALLS times through mcpcp; returns how many answered as expected."""
    answered = 0
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"})
    async with http, Client(streamable_http_client(url, http_client=http)) as client:
        for n in range(CALLS):
            result = await client.call_tool("echo", {"text": f"scraped {n}"})
            if any(getattr(block, "text", None) == f"scraped {n}" for block in result.content):
                answered += 1
    return answered


def main(url: str, token: str, prometheus: str) -> None:
    ok, last = poll(prometheus, 'up{job="mcpcp"}', 1)
    check("the gateway's metrics listener is a healthy target", ok, last)
    ok, last = poll(prometheus, 'count(mcpcp_build_info{job="mcpcp"})', 1)
    check("mcpcp_build_info is scraped", ok, last)
    answered = anyio.run(calls, url, token)
    check(f"{CALLS} echo calls through mcpcp answered", answered == CALLS, answered)
    series = 'mcpcp_calls_total{job="mcpcp",server="fx",method="tools/call",tool="echo",status="success"}'
    ok, last = poll(prometheus, series, CALLS)
    check(f"the query API returns the {CALLS} calls", ok, last)
    histogram = 'mcpcp_call_duration_seconds_count{job="mcpcp",server="fx",method="tools/call",tool="echo"}'
    ok, last = poll(prometheus, histogram, CALLS)
    check("their durations are in the histogram", ok, last)
    ok, last = poll(prometheus, 'mcpcp_sessions_open{job="mcpcp",server="fx"}', 0)
    check("the session ended with the client is no longer open", ok, last)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    try:
        main(*sys.argv[1:])
    except Exception as e:  # noqa: BLE001 - any escape is one failure, with its story
        check("the check ran to its end", False, repr(e))
    sys.exit(1 if failures else 0)
