"""A 2024-11-05 HTTP+SSE upstream (the official Python SDK's MCPServer on its SSE transport), and
a check that a client reaches it through mcpcp, which must fall back from Streamable HTTP.

    legacy_sse.py serve PORT        serve on 127.0.0.1:PORT (GET /sse, POST /messages/)
    legacy_sse.py check URL TOKEN   call its tools through the gateway URL; prints PASS/FAIL lines
"""

from __future__ import annotations

import sys

import anyio
import httpx2
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.server.mcpserver import MCPServer


def serve(port: int) -> None:
    server = MCPServer("legacy-sse-fixture")

    @server.tool()
    def shout(text: str) -> str:
        """Returns the text in capitals."""
        return text.upper()

    print(f"legacy sse fixture listening on http://127.0.0.1:{port}/sse", flush=True)
    server.run("sse", host="127.0.0.1", port=port)


async def check(url: str, token: str) -> int:
    failed = 0

    def report(name: str, ok: bool, detail: object = "") -> None:
        nonlocal failed
        print(f"{'PASS' if ok else 'FAIL'} legacy-sse upstream: {name}" + ("" if ok else f": {detail}"), flush=True)
        failed += 0 if ok else 1

    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30)
    async with http, Client(streamable_http_client(url, http_client=http)) as client:
        info = client.server_info
        report("initialize reaches the HTTP+SSE upstream", info is not None and info.name == "legacy-sse-fixture", info)
        tools = [t.name for t in (await client.list_tools()).tools]
        report("tools/list", tools == ["shout"], tools)
        result = await client.call_tool("shout", {"text": "through mcpcp"})
        text = result.content[0].text if result.content else None
        report("tools/call", text == "THROUGH MCPCP", result)
    return failed


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        sys.exit(1 if anyio.run(check, sys.argv[2], sys.argv[3]) else 0)
