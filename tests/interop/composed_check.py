"""Interop check: a composed server made of server-everything over stdio (`evs`) and
server-everything over Streamable HTTP (`evh`), used by the official Python SDK client.

Usage: composed_check.py URL TOKEN MCPCP DATA_DIR

The gateway's data directory holds the composed server `desk`: `plus` (`evs:get-sum`, `a` fixed
to 40, described "Adds to forty") and `say` (`evh:echo`, described "Says it back"). The check
lists and calls both, tries to override the fixed argument, adds a third tool with the CLI while
connected (the client must hear `notifications/tools/list_changed` within a second and see it),
and reads the calls' records and steps with `mcpcp logs`. The SDK's default (auto) mode speaks
2026-07-28 to mcpcp, so the notification comes on a `subscriptions/listen` stream.

Prints one `PASS name` or `FAIL name: why` line per assertion and exits non-zero if any failed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
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
        print(f"PASS composed: {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL composed: {name}: {detail}", flush=True)


def text_of(result: types.CallToolResult) -> str:
    """The concatenated text blocks of a tool result."""
    return "".join(block.text for block in result.content if isinstance(block, types.TextContent))


def mcpcp(binary: str, data: str, *args: str) -> str:
    """Runs one mcpcp command on the data directory and returns its standard output."""
    done = subprocess.run([binary, "--data-dir", data, *args], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise RuntimeError(f"mcpcp {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done.stdout


async def main(url: str, token: str, binary: str, data: str) -> None:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30))
    async with http, Client(streamable_http_client(url, http_client=http)) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        check("only the picked tools, renamed", sorted(tools) == ["plus", "say"], sorted(tools))
        plus, say = tools.get("plus"), tools.get("say")
        check(
            "the new descriptions",
            plus is not None and say is not None
            and (plus.description, say.description) == ("Adds to forty", "Says it back"),
            (plus, say),
        )
        properties = sorted((plus.input_schema.get("properties") or {}) if plus else [])
        check("the fixed argument is not in the schema", properties == ["b"], plus and plus.input_schema)
        check(
            "nor among the required ones",
            plus is not None and plus.input_schema.get("required") == ["b"],
            plus and plus.input_schema,
        )

        summed = await client.call_tool("plus", {"b": 2})
        check("plus(b=2) runs get-sum with a=40 on the stdio upstream", "42" in text_of(summed), summed)
        overridden = await client.call_tool("plus", {"a": 1, "b": 2})
        check(
            "the client cannot override the fixed argument",
            not overridden.is_error and "42" in text_of(overridden) and "3" not in text_of(overridden),
            overridden,
        )
        echoed = await client.call_tool("say", {"message": "hello composed"})
        check(
            "say runs echo on the HTTP upstream",
            not echoed.is_error and "hello composed" in text_of(echoed),
            echoed,
        )

        # A tool added while the client listens (the SDK's default mode speaks 2026-07-28 to
        # mcpcp: `subscriptions/listen`): the notification within a second, then the new tool in
        # the list and callable.
        check("the client speaks 2026-07-28 (auto mode)", client.protocol_version == "2026-07-28", client.protocol_version)
        async with client.listen(tools_list_changed=True) as sub:
            added_at = time.monotonic()
            await anyio.to_thread.run_sync(lambda: mcpcp(binary, data, "server", "tool", "add", "desk", "--from",
                                                         "evs:get-tiny-image", "--as", "picture"))
            delay = None
            with anyio.move_on_after(5):
                await sub.__anext__()
                delay = time.monotonic() - added_at
        check("tools/list_changed within 1 s of `server tool add`", delay is not None and delay < 1.0, delay)
        names = sorted(tool.name for tool in (await client.list_tools()).tools)
        check("the added tool is listed", names == ["picture", "plus", "say"], names)
        picture = await client.call_tool("picture", {})
        check(
            "and callable",
            not picture.is_error and any(isinstance(b, types.ImageContent) for b in picture.content),
            picture,
        )

    # The records: one per call, each with its step (target, connection, status, timing).
    records = [json.loads(line) for line in mcpcp(binary, data, "logs", "tail", "--server", "desk",
                                                  "--type", "tool_call", "-o", "json").splitlines() if line]
    by_tool: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_tool.setdefault(record.get("tool") or "", []).append(record)
    check("one record per composed call", {k: len(v) for k, v in by_tool.items()} == {"plus": 2, "say": 1, "picture": 1},
          {k: len(v) for k, v in by_tool.items()})
    steps = [(r.get("origin"), [(s.get("target"), s.get("connection"), s.get("status")) for s in r.get("steps") or []])
             for r in records]
    check(
        "each record names its source and its step",
        sorted(steps, key=str) == sorted([
            ("evs:get-sum", [("evs:get-sum", "none", "success")]),
            ("evs:get-sum", [("evs:get-sum", "none", "success")]),
            ("evh:echo", [("evh:echo", "none", "success")]),
            ("evs:get-tiny-image", [("evs:get-tiny-image", "none", "success")]),
        ], key=str),
        steps,
    )
    fixed = [s.get("input") for r in by_tool.get("plus", []) for s in r.get("steps") or []]
    check("the step's input carries the fixed value, not the client's", fixed == [{"a": 40, "b": 2}] * 2, fixed)
    timed = all(isinstance(s.get("duration_us"), int) and s["duration_us"] > 0 for r in records for s in r.get("steps") or [])
    check("every step is timed", timed, records)
    first = by_tool["say"][0]["id"] if by_tool.get("say") else 0
    shown = mcpcp(binary, data, "logs", "show", str(first))
    check("`logs show` lists the step with its connection", "1. evh:echo  connection none  success" in shown, shown)


if __name__ == "__main__":
    try:
        anyio.run(main, *sys.argv[1:5])
    except Exception:  # noqa: BLE001 - any crash is a failed check with its traceback
        traceback.print_exc()
        check("the check ran to the end", False, "exception above")
    sys.exit(1 if failures else 0)
