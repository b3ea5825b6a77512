"""Interop check 20: a REST API as MCP tools. mcpcp imported the FastAPI application's own
generated /openapi.json by URL (rest_api.py); the Python SDK client lists the operations as
tools through mcpcp and calls each with path, query and body arguments; the API-key protected
one works with the server's header credential and fails (a tool error with the status) without
it; the error path is a tool error carrying 404; `mcpcp logs show` shows the HTTP step.

Usage: rest_check.py MCPCP DATA_DIR GATEWAY TOKEN_WITH_KEY TOKEN_WITHOUT_KEY API_URL
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from typing import Any

import anyio
import httpx2
import mcp_types as types
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

failures = 0


def check(name: str, ok: bool, detail: Any = "") -> None:
    global failures
    if ok:
        print(f"PASS rest: {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL rest: {name}: {str(detail)[:800]}", flush=True)


def text_of(result: types.CallToolResult) -> str:
    return "".join(block.text for block in result.content if isinstance(block, types.TextContent))


async def session(url: str, token: str, body):
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30))
    async with http:
        async with Client(streamable_http_client(url, http_client=http), mode="auto", read_timeout_seconds=30) as c:
            await body(c)


def mcpcp(binary: str, data: str, *args: str) -> str:
    return subprocess.run([binary, "--data-dir", data, *args], check=True, capture_output=True, text=True).stdout


async def main(binary: str, data: str, gateway: str, token: str, nokey_token: str, api: str) -> None:
    async def with_key(c: Client) -> None:
        tools = {t.name: t for t in (await c.list_tools()).tools}
        check("the operations are the tools", sorted(tools) == ["createPet", "getPet", "listPets"], sorted(tools))
        get = tools.get("getPet")
        check(
            "getPet's schema has the path and query parameters",
            get is not None and get.input_schema.get("required") == ["pet_id"]
            and set(get.input_schema.get("properties", {})) == {"pet_id", "verbose"},
            get and get.input_schema,
        )
        check("descriptions come from the summaries", get is not None and get.description == "One pet by id", get)
        create = tools.get("createPet")
        check(
            "createPet's schema holds the body model's fields",
            create is not None and "name" in create.input_schema.get("properties", {})
            and create.input_schema.get("required") == ["name"],
            create and create.input_schema,
        )
        r = await c.call_tool("getPet", {"pet_id": 1, "verbose": True})
        check(
            "getPet (path + query) answers the pet as structuredContent",
            not r.is_error and r.structured_content == {"id": 1, "name": "rex", "tag": "dog", "verbose": True},
            r,
        )
        check("and as text", json.loads(text_of(r)) == r.structured_content, text_of(r))
        r = await c.call_tool("listPets", {"tag": "cat", "limit": 5})
        check(
            "listPets (query) answers the list",
            not r.is_error and r.structured_content == {"result": [{"id": 2, "name": "tom", "tag": "cat"}]},
            r,
        )
        r = await c.call_tool("createPet", {"name": "kit", "tag": "cat"})
        check(
            "createPet (JSON body, API key header) creates the pet",
            not r.is_error and (r.structured_content or {}).get("name") == "kit",
            r,
        )
        with urllib.request.urlopen(api + "/_last", timeout=10) as resp:
            seen = json.loads(resp.read())
        check("the API key reached the API", seen.get("x-api-key") == "key-1", seen)
        check("the call's traceparent reached the API", "traceparent" in seen, seen)
        check("the client's token did not", token not in json.dumps(seen), seen)
        r = await c.call_tool("getPet", {"pet_id": 999})
        check(
            "an unknown pet is a tool error with the status and the body",
            r.is_error and text_of(r).startswith("HTTP 404 Not Found") and "no pet 999" in text_of(r),
            r,
        )

    await session(f"{gateway}/mcp/rest", token, with_key)

    async def without_key(c: Client) -> None:
        r = await c.call_tool("createPet", {"name": "nope"})
        check("without the header credential the API refuses: 401 as a tool error",
              r.is_error and text_of(r).startswith("HTTP 401"), r)

    await session(f"{gateway}/mcp/restnokey", nokey_token, without_key)

    out = mcpcp(binary, data, "logs", "tail", "--server", "rest", "--type", "tool_call", "--output", "json")
    tail = [json.loads(line) for line in out.splitlines() if line.strip()]
    create = next((r for r in tail if r.get("tool") == "createPet"), None)
    step = (create or {}).get("steps", [{}])[0]
    check(
        "the record of createPet has its HTTP step with the header connection",
        step.get("target") == "POST /pets" and step.get("connection") == "header" and step.get("duration_us", 0) > 0,
        create,
    )
    if create:
        shown = mcpcp(binary, data, "logs", "show", str(create["id"]))
        check("logs show lists the step with its connection and timing",
              "1. POST /pets  connection header  success  at " in shown, shown)
    failed = next((r for r in tail if r.get("tool") == "getPet" and (r.get("input") or {}).get("pet_id") == 999), None)
    check("the failing call's step says the status",
          failed is not None and failed["steps"][0].get("error") == "HTTP 404 Not Found", failed)


if __name__ == "__main__":
    anyio.run(main, *sys.argv[1:7])
    sys.exit(1 if failures else 0)
