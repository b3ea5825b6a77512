"""The identity JWT mcpcp gives upstreams (`server identity NAME --forward jwt`), verified by an
independent JOSE library: PyJWT (with `cryptography` for Ed25519) against the gateway's
/.well-known/jwks.json, as an upstream would.

    identity_jwt.py serve PORT
        A minimal Streamable HTTP MCP server on 127.0.0.1:PORT/mcp (the standard library only)
        whose one tool, `identity`, returns the X-MCPCP-* headers of the request it came in.
    identity_jwt.py check GATEWAY SERVER_URL TOKEN UPSTREAM_URL MCPCP DATA_DIR
        The official Python SDK client calls `identity` through the gateway; PyJWT checks the JWT
        (signature by the published key, `aud` = the upstream URL, `iss` = the gateway, `exp`
        60 s after `iat`; a wrong audience and an altered payload refused); then `mcpcp key
        rotate`, and a token signed before the rotation and one after it both verify against
        the published set; once the first token's `exp` has passed (a real minute), PyJWT
        refuses it as expired. Prints PASS/FAIL lines.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio
import httpx2
import jwt
import mcp_types as types
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

FAILED = 0


def check(name: str, ok: bool, detail: Any = "") -> None:
    global FAILED
    print(f"{'PASS' if ok else 'FAIL'} identity-jwt: {name}" + ("" if ok else f": {detail!r}"), flush=True)
    FAILED += 0 if ok else 1


# ---- the upstream -------------------------------------------------------------------------


class Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def reply(self, status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.reply(405)

    def do_DELETE(self) -> None:
        self.reply(200)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        msg = json.loads(self.rfile.read(length) or b"{}")
        if "id" not in msg:
            self.reply(202)
            return
        method, rid = msg.get("method"), msg["id"]
        if method == "initialize":
            version = msg.get("params", {}).get("protocolVersion", "2025-06-18")
            result = {"protocolVersion": version, "capabilities": {"tools": {}}, "serverInfo": {"name": "identity-echo", "version": "1"}}
            self.reply(200, {"jsonrpc": "2.0", "id": rid, "result": result}, {"Mcp-Session-Id": "identity-echo-session"})
        elif method == "tools/list":
            tool = {"name": "identity", "description": "The X-MCPCP-* request headers", "inputSchema": {"type": "object"}}
            self.reply(200, {"jsonrpc": "2.0", "id": rid, "result": {"tools": [tool]}})
        elif method == "tools/call":
            seen = {k.lower(): v for k, v in self.headers.items() if k.lower().startswith("x-mcpcp-")}
            result = {"content": [{"type": "text", "text": json.dumps(seen)}], "structuredContent": seen}
            self.reply(200, {"jsonrpc": "2.0", "id": rid, "result": result})
        elif method == "ping":
            self.reply(200, {"jsonrpc": "2.0", "id": rid, "result": {}})
        else:
            self.reply(200, {"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "no such method"}})


def serve(port: int) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", port), Upstream)
    print(f"identity upstream listening on http://127.0.0.1:{port}/mcp", flush=True)
    server.serve_forever()


# ---- the check ----------------------------------------------------------------------------


def mcpcp(binary: str, data: str, *args: str) -> Any:
    out = subprocess.run([binary, "--data-dir", data, "-o", "json", *args], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"mcpcp {' '.join(args)}: {out.stderr.strip()}")
    return json.loads(out.stdout)


async def seen_headers(client: Client) -> dict[str, str]:
    result = await client.call_tool("identity", {})
    text = "".join(b.text for b in result.content if isinstance(b, types.TextContent))
    return json.loads(text)


def kid_of(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def verify(gateway: str, upstream: str, token: str, **kwargs: Any) -> dict[str, Any]:
    """What an upstream does: the key by kid from the published set, then the checks."""
    keys = jwt.PyJWKClient(f"{gateway}/.well-known/jwks.json", cache_keys=False)
    key = keys.get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        key.key,
        algorithms=["EdDSA"],
        audience=upstream,
        issuer=gateway,
        options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]},
        **kwargs,
    )


async def run(gateway: str, server_url: str, token: str, upstream: str, binary: str, data: str) -> None:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30)
    async with http, Client(streamable_http_client(server_url, http_client=http)) as client:
        seen = await seen_headers(client)
        first = seen.get("x-mcpcp-identity", "")
        check("the upstream received a JWT in X-MCPCP-Identity", first.count(".") == 2, seen)

        jwks = httpx2.get(f"{gateway}/.well-known/jwks.json").json()
        keys = jwks.get("keys", [])
        check(
            "jwks.json publishes an Ed25519 key with kid, kty, crv, alg and use",
            len(keys) == 1
            and {k: keys[0].get(k) for k in ("kty", "crv", "alg", "use")} == {"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig"}
            and keys[0].get("kid") == kid_of(first),
            jwks,
        )
        claims = verify(gateway, upstream, first)
        check("PyJWT verifies the signature, aud (the upstream URL), iss (the gateway) and exp", True)
        check(
            "the claims name the API token caller",
            claims.get("sub") == "token:interop" and claims.get("name") == "interop"
            and claims.get("auth_method") == "api_token" and claims.get("server") == "backend",
            claims,
        )
        check("exp is 60 s after iat", claims["exp"] - claims["iat"] == 60 and abs(claims["iat"] - time.time()) < 30, claims)
        check(
            "the JWT names this request's trace (32 hex digits, X-MCPCP-Trace-Id with `headers`)",
            len(claims.get("trace_id", "")) == 32 and seen.get("x-mcpcp-trace-id") == claims.get("trace_id"),
            (claims, seen),
        )

        def refused(name: str, error: type[Exception], token: str, **kwargs: Any) -> None:
            try:
                verify(gateway, kwargs.pop("audience_override", upstream), token, **kwargs)
                check(name, False, "accepted")
            except error:
                check(name, True)
            except Exception as e:  # noqa: BLE001 - the wrong refusal is a failure too
                check(name, False, repr(e))

        refused("a token for another audience is refused", jwt.InvalidAudienceError, first, audience_override="http://other.example/mcp")
        header, payload, signature = first.split(".")
        forged = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        forged["sub"] = "alice"
        forged_payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
        refused("an altered payload is refused", jwt.InvalidSignatureError, f"{header}.{forged_payload}.{signature}")

        rotated = mcpcp(binary, data, "key", "rotate")
        check("mcpcp key rotate names the previous key", rotated.get("previous") == kid_of(first), rotated)
        second, deadline = "", time.monotonic() + 5
        while time.monotonic() < deadline:
            second = (await seen_headers(client)).get("x-mcpcp-identity", "")
            if kid_of(second) == rotated["kid"]:
                break
            await anyio.sleep(0.05)
        check("the session's next token is signed with the new key within a second or so", kid_of(second) == rotated["kid"], kid_of(second))
        published = sorted(k["kid"] for k in httpx2.get(f"{gateway}/.well-known/jwks.json").json()["keys"])
        check("both keys are published during the rotation", published == sorted([kid_of(first), rotated["kid"]]), published)
        try:
            old, new = verify(gateway, upstream, first), verify(gateway, upstream, second)
            check("the token signed before the rotation and the one after it both verify", old["jti"] != new["jti"])
        except Exception as e:  # noqa: BLE001
            check("the token signed before the rotation and the one after it both verify", False, repr(e))

        # Once its exp has passed (real time: about a minute), PyJWT refuses the first token; its
        # key is still published (for 120 s after the rotation), so it is exp that refuses it.
        await anyio.sleep(max(0.0, claims["exp"] - time.time() + 1.5))
        refused("once exp has passed the token is refused as expired", jwt.ExpiredSignatureError, first)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
        sys.exit(0)
    try:
        anyio.run(run, *sys.argv[2:8])
    except Exception:
        traceback.print_exc()
        check("the identity JWT check ran to the end", False)
    sys.exit(1 if FAILED else 0)
