"""Interop check 1: the official Python SDK client (`mcp` 2.x, `Client` in legacy mode: the
2025 `initialize` handshake and session) talks to the rmcp stdio fixture (`fixture-stdio`)
through mcpcp, with the server-to-client requests (sampling, elicitation) and notifications a
2025 session relays. (Its 2026-07-28 and auto modes: `py_modern.py`.)

Usage: py_client.py URL TOKEN

Prints one `PASS name` or `FAIL name: why` line per assertion and exits non-zero if any failed.
"""

from __future__ import annotations

import json
import sys
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import anyio
import httpx2
import mcp_types as types
from mcp.client import Client, ClientRequestContext
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPDeprecationWarning

# Logging and sampling are deprecated by 2026-07-28 but are exactly what a gateway must relay.
warnings.simplefilter("ignore", MCPDeprecationWarning)

failures = 0


def check(name: str, ok: bool, detail: Any = "") -> None:
    """Records one assertion."""
    global failures
    if ok:
        print(f"PASS py: {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL py: {name}: {detail}", flush=True)


async def settle(done: Callable[[], bool], timeout: float = 5.0) -> None:
    """Waits until `done()` holds or `timeout` seconds passed: the SDK runs notification
    callbacks in their own tasks, which may still be pending when the response has arrived."""
    with anyio.move_on_after(timeout):
        while not done():
            await anyio.sleep(0.01)


def text_of(result: types.CallToolResult) -> str:
    """The concatenated text blocks of a tool result."""
    return "".join(block.text for block in result.content if isinstance(block, types.TextContent))


async def main(url: str, token: str) -> None:
    # Every JSON-RPC method the client POSTs, in order (to see the discover probe and fallback).
    posted: list[str] = []

    async def record(request: httpx2.Request) -> None:
        if request.method == "POST":
            try:
                posted.append(json.loads(request.content).get("method", "<response>"))
            except (ValueError, AttributeError):
                posted.append("<unparsed>")

    sampling_seen: list[types.CreateMessageRequestParams] = []

    async def on_sampling(
        _ctx: ClientRequestContext, params: types.CreateMessageRequestParams
    ) -> types.CreateMessageResult:
        sampling_seen.append(params)
        return types.CreateMessageResult(
            role="assistant",
            content=types.TextContent(text="pong from python"),
            model="interop-model",
            stop_reason="endTurn",
        )

    elicit_seen: list[types.ElicitRequestParams] = []

    async def on_elicit(_ctx: ClientRequestContext, params: types.ElicitRequestParams) -> types.ElicitResult:
        elicit_seen.append(params)
        return types.ElicitResult(action="accept", content={"name": "Ada"})

    logs: list[types.LoggingMessageNotificationParams] = []

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        logs.append(params)

    http = httpx2.AsyncClient(
        headers={"Authorization": f"Bearer {token}"},
        timeout=httpx2.Timeout(30, read=120),
        event_hooks={"request": [record]},
    )
    async with http:
        client = Client(
            streamable_http_client(url, http_client=http),
            mode="legacy",
            sampling_callback=on_sampling,
            elicitation_callback=on_elicit,
            logging_callback=on_log,
            read_timeout_seconds=60,
        )
        async with client:
            check("legacy mode opened with initialize", posted[:1] == ["initialize"], posted)
            check(
                "negotiated a handshake protocol version",
                client.protocol_version in ("2025-11-25", "2025-06-18", "2025-03-26"),
                client.protocol_version,
            )
            info = client.server_info
            check("serverInfo is the fixture's", info is not None and info.name == "mcpcp-fixture", info)

            tools = {tool.name for tool in (await client.list_tools()).tools}
            expected = {"echo", "add", "progress", "sample", "elicit", "roots", "log", "sleep", "whoami"}
            check("tools/list has the fixture's tools", expected <= tools, sorted(tools))

            echo = await client.call_tool("echo", {"text": "hello interop"})
            check(
                "tools/call echo",
                not echo.is_error
                and text_of(echo) == "hello interop"
                and echo.structured_content == {"echo": "hello interop"},
                echo,
            )

            added = await client.call_tool("add", {"a": 2, "b": 40.5})
            check("tools/call add", not added.is_error and text_of(added) == "42.5", added)

            static = await client.read_resource("fixture://static")
            first = static.contents[0] if static.contents else None
            check(
                "resources/read fixture://static",
                isinstance(first, types.TextResourceContents)
                and first.text == "static resource"
                and first.mime_type == "text/plain",
                static,
            )
            binary = await client.read_resource("fixture://binary")
            first = binary.contents[0] if binary.contents else None
            check(
                "resources/read fixture://binary",
                isinstance(first, types.BlobResourceContents) and first.blob == "AAECAw==",
                binary,
            )

            prompt = await client.get_prompt("greeting", {"name": "Ada"})
            message = prompt.messages[0] if prompt.messages else None
            check(
                "prompts/get greeting",
                message is not None
                and isinstance(message.content, types.TextContent)
                and message.content.text == "Hello, Ada!",
                prompt,
            )

            completion = await client.complete(types.PromptReference(name="greeting"), {"name": "name", "value": "al"})
            check(
                "completion/complete greeting.name",
                sorted(completion.completion.values) == ["albert", "alice"],
                completion,
            )

            # Progress: the client sends a progressToken and routes notifications carrying it
            # to this callback, so receiving them proves the token survived both hops.
            progress: list[tuple[float, float | None, str | None]] = []

            async def on_progress(value: float, total: float | None, message: str | None) -> None:
                progress.append((value, total, message))

            done = await client.call_tool("progress", {"steps": 3}, progress_callback=on_progress)
            await settle(lambda: len(progress) >= 3)
            check("tools/call progress result", text_of(done) == "done", done)
            check(
                "3 progress notifications with the request's token",
                [(p, t) for p, t, _ in progress] == [(1, 3), (2, 3), (3, 3)]
                and [m for _, _, m in progress] == ["step 1 of 3", "step 2 of 3", "step 3 of 3"],
                progress,
            )

            sampled = await client.call_tool("sample", {"prompt": "ping from the fixture"})
            check(
                "sampling round trip (tool result)",
                not sampled.is_error and text_of(sampled) == "sampled: pong from python",
                sampled,
            )
            seen = sampling_seen[0] if sampling_seen else None
            check(
                "sampling request reached the client intact",
                len(sampling_seen) == 1
                and seen is not None
                and seen.max_tokens == 100
                and isinstance(seen.messages[0].content, types.TextContent)
                and seen.messages[0].content.text == "ping from the fixture",
                sampling_seen,
            )

            elicited = await client.call_tool("elicit", {"message": "Who are you?"})
            check(
                "elicitation round trip (tool result)",
                not elicited.is_error and text_of(elicited) == 'elicited: accept {"name":"Ada"}',
                elicited,
            )
            seen_e = elicit_seen[0] if elicit_seen else None
            check(
                "elicitation request reached the client intact",
                len(elicit_seen) == 1
                and isinstance(seen_e, types.ElicitRequestFormParams)
                and seen_e.message == "Who are you?"
                and "name" in seen_e.requested_schema.get("properties", {}),
                elicit_seen,
            )

            await client.set_logging_level("debug")
            logged = await client.call_tool("log", {"count": 2})
            await settle(lambda: len(logs) >= 2)
            check(
                "logging notifications delivered",
                text_of(logged) == "logged" and [entry.data for entry in logs] == ["log message 1 of 2", "log message 2 of 2"],
                logs,
            )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: py_client.py URL TOKEN")
    try:
        anyio.run(main, sys.argv[1], sys.argv[2])
    except BaseException as error:  # noqa: BLE001 - any escape is a failed check, with its trace
        traceback.print_exc()
        check("client session ran to the end", False, repr(error))
    sys.exit(1 if failures else 0)
