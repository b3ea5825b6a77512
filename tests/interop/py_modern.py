"""Interop check: the official Python SDK client (`mcp` 2.3) talks to a 2025-era upstream through
mcpcp in each of its modes: `2026-07-28` (stateless, every request on its own), `auto` (probes
`server/discover`, which mcpcp now answers, so it stays modern) and `legacy` (initialize).

Usage: py_modern.py URL TOKEN TOOL ARGS_JSON EXPECTED_TEXT MCPCP_JSON SERVER

Each mode lists the tools (TOOL among them) and calls TOOL with ARGS_JSON, whose text must contain
EXPECTED_TEXT. In the modern modes the client then listens (`subscriptions/listen`) and must hear
`tools/list_changed` when `MCPCP tool stop SERVER TOOL` runs (MCPCP_JSON: the command and its
`--data-dir`, a JSON list), and no longer see TOOL; `tool start` brings it back. Prints one `PASS name` or `FAIL name: why` line per assertion and exits non-zero if
any failed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import traceback
from typing import Any

import anyio
import httpx2
import mcp_types as types
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

failures = 0


def check(name: str, ok: bool, detail: Any = "") -> None:
    """Records one assertion."""
    global failures
    if ok:
        print(f"PASS py-modern: {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL py-modern: {name}: {detail}", flush=True)


def text_of(result: types.CallToolResult) -> str:
    return "".join(block.text for block in result.content if isinstance(block, types.TextContent))


async def run(
    mode: str, url: str, token: str, tool: str, args: dict[str, Any], expected: str, mcpcp: list[str], server: str
) -> None:
    posted: list[tuple[str, str | None]] = []

    async def record(request: httpx2.Request) -> None:
        if request.method == "POST":
            try:
                posted.append((json.loads(request.content).get("method", "<response>"), request.headers.get("mcp-session-id")))
            except (ValueError, AttributeError):
                posted.append(("<unparsed>", None))

    http = httpx2.AsyncClient(
        headers={"Authorization": f"Bearer {token}"},
        timeout=httpx2.Timeout(30, read=60),
        event_hooks={"request": [record]},
    )
    async with http:
        client = Client(streamable_http_client(url, http_client=http), mode=mode, read_timeout_seconds=30)
        async with client:
            modern = mode != "legacy"
            want = "2026-07-28" if modern else None
            check(
                f"{mode}: negotiated {'2026-07-28' if modern else 'a handshake version'}",
                client.protocol_version == want if modern else client.protocol_version.startswith("2025-"),
                client.protocol_version,
            )
            tools = {t.name for t in (await client.list_tools()).tools}
            check(f"{mode}: tools/list has {tool}", tool in tools, sorted(tools))
            result = await client.call_tool(tool, args)
            check(f"{mode}: tools/call {tool}", not result.is_error and expected in text_of(result), result)
            if modern:
                async with client.listen(tools_list_changed=True) as sub:
                    check(f"{mode}: listen acknowledged toolsListChanged", bool(sub.honored.tools_list_changed), sub.honored)
                    await anyio.to_thread.run_sync(lambda: subprocess.run([*mcpcp, "tool", "stop", server, tool], check=True, capture_output=True))
                    try:
                        with anyio.fail_after(10):
                            event = await sub.__anext__()
                        check(f"{mode}: heard tools/list_changed after mcpcp tool stop", "tool" in type(event).__name__.lower(), event)
                    finally:
                        stopped = {t.name for t in (await client.list_tools()).tools}
                        check(f"{mode}: the stopped tool is gone from tools/list", tool not in stopped, sorted(stopped))
                        await anyio.to_thread.run_sync(lambda: subprocess.run([*mcpcp, "tool", "start", server, tool], check=True, capture_output=True))
                        # The start is heard too, and the tool is back (the next mode must see it).
                        with anyio.fail_after(10):
                            await sub.__anext__()
                        started = {t.name for t in (await client.list_tools()).tools}
                        check(f"{mode}: heard tool start, and the tool is back in tools/list", tool in started, sorted(started))
    methods = [m for m, _ in posted]
    if modern:
        check(f"{mode}: no initialize, no session id", "initialize" not in methods and all(s is None for _, s in posted), posted)
    else:
        check(f"{mode}: opened with initialize", methods[:1] == ["initialize"], methods)


async def main(
    url: str, token: str, tool: str, args: dict[str, Any], expected: str, mcpcp: list[str], server: str
) -> None:
    for mode in ("2026-07-28", "auto", "legacy"):
        try:
            await run(mode, url, token, tool, args, expected, mcpcp, server)
        except Exception:  # noqa: BLE001 - any failure is one FAIL line
            check(f"{mode}: ran", False, traceback.format_exc())


if __name__ == "__main__":
    url, token, tool, args, expected, mcpcp, server = sys.argv[1:8]
    anyio.run(main, url, token, tool, json.loads(args), expected, json.loads(mcpcp), server)
    sys.exit(1 if failures else 0)
