"""SSO end to end: an MCP client signs in to a `--auth sso` server of mcpcp, whose login goes to a
real OpenID Connect provider (oidc_idp.mjs, npm `oidc-provider`), all in headless Chromium.

    sso_signin.py GATEWAY SERVER_URL MCPCP DATA_DIR ISSUER

For alice (IdP groups engineering, staff; mcpcp maps engineering -> eng, which grants the
server): DCR at mcpcp, /authorize, the IdP's login and consent pages, back to /sso/callback,
mcpcp's own consent page, the code at the client's loopback redirect URI, the token, then the
official Python SDK lists and calls tools with it. mcpcp must have created alice on first sign-in
(JIT) with the IdP subject and put her in eng from the claim. grace (IdP group sales, unmapped) is
created in no group: her token is refused with 403. A second sign-in of alice reuses her user. Once
grace is disabled in mcpcp, her next sign-in at the IdP is refused by mcpcp. The activity log and
audit trail must show the sign-ins and the creations. The server forwards the caller's identity
in `_meta` (`server identity notes --forward meta`): the upstream's `meta` tool must see alice's
name, her email from the IdP and her mapped group.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import secrets
import subprocess
import sys
import traceback
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx2
from browser_signin import CHROMIUM, CHROMIUM_ARGS, STEP_TIMEOUT, Callback
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from playwright.async_api import async_playwright

FAILED = 0


def check(name: str, ok: bool, detail: Any = None) -> None:
    global FAILED
    print(("PASS " if ok else "FAIL ") + name + ("" if ok or detail is None else f": {detail!r}"), flush=True)
    if not ok:
        FAILED += 1


def mcpcp(binary: str, data: str, *args: str) -> Any:
    out = subprocess.run([binary, "--data-dir", data, "-o", "json", *args], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"mcpcp {' '.join(args)}: {out.stderr.strip()}")
    if args[0] == "logs":  # one JSON object per line
        return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    return json.loads(out.stdout)


async def browser_flow(browser: Any, url: str, redirect_prefix: str, account: str) -> list[str]:
    """Opens `url` in a fresh context and clicks through the IdP's login and consent and mcpcp's
    consent until the browser reaches `redirect_prefix`. Returns the pages seen, in order."""
    context = await browser.new_context()
    seen: list[str] = []
    try:
        page = await context.new_page()
        await page.goto(url)
        for _ in range(8):
            await page.wait_for_load_state("domcontentloaded")
            if page.url.startswith(redirect_prefix):
                return seen
            if await page.locator("input[name=login]").count():
                seen.append("idp-login")
                await page.locator("input[name=login]").fill(account)
                await page.locator("input[name=password]").fill("any-password")
                async with page.expect_navigation(timeout=STEP_TIMEOUT * 1000):
                    await page.locator("button[type=submit]").click()
            elif await page.get_by_role("button", name="Allow", exact=True).count():
                seen.append("mcpcp-consent")
                async with page.expect_navigation(timeout=STEP_TIMEOUT * 1000, url=lambda u: u.startswith(redirect_prefix)):
                    await page.get_by_role("button", name="Allow", exact=True).click()
            elif await page.locator("button[type=submit]").count():
                seen.append("idp-consent")
                async with page.expect_navigation(timeout=STEP_TIMEOUT * 1000):
                    await page.locator("button[type=submit]").click()
            else:
                text = (await page.inner_text("body")).strip()[:400]
                raise RuntimeError(f"unexpected page at {page.url}: {text!r} (seen {seen})")
        raise RuntimeError(f"did not reach the redirect URI (seen {seen}, at {page.url})")
    finally:
        await context.close()


async def sign_in(browser: Any, gateway: str, server_url: str, account: str) -> tuple[dict[str, Any], list[str]]:
    """One OAuth sign-in as a native MCP client would do it; returns the token answer."""
    async with Callback() as cb, httpx2.AsyncClient(timeout=30) as http:
        reg = await http.post(
            f"{gateway}/register",
            json={
                "client_name": f"sso interop ({account})",
                "redirect_uris": [cb.uri],
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "none",
            },
        )
        reg.raise_for_status()
        client_id = reg.json()["client_id"]
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        state = secrets.token_urlsafe(16)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": cb.uri,
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                "resource": server_url,
                "scope": "mcp",
            }
        )
        pages_seen = await browser_flow(browser, f"{gateway}/authorize?{query}", cb.uri, account)
        landed = await asyncio.wait_for(cb.next(), STEP_TIMEOUT)
        params = parse_qs(urlparse(landed).query)
        if params.get("state") != [state] or "code" not in params:
            raise RuntimeError(f"bad redirect: {landed}")
        tok = await http.post(
            f"{gateway}/token",
            data={
                "grant_type": "authorization_code",
                "code": params["code"][0],
                "redirect_uri": cb.uri,
                "code_verifier": verifier,
                "client_id": client_id,
                "resource": server_url,
            },
        )
        tok.raise_for_status()
        return tok.json(), pages_seen


async def mcp_call(server_url: str, access: str) -> tuple[str, Any]:
    """Calls `echo`, then `meta`: the echoed text, and the `_meta` the upstream received."""
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {access}"}, timeout=30)
    async with http:
        async with Client(streamable_http_client(server_url, http_client=http), mode="auto") as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            if "echo" not in tools:
                raise RuntimeError(f"no echo tool: {tools}")
            result = await client.call_tool("echo", {"text": "hello over sso"})
            meta = await client.call_tool("meta", {})
            return "".join(getattr(c, "text", "") for c in result.content), meta.structured_content


async def main() -> None:
    gateway, server_url, binary, data, issuer = sys.argv[1:6]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            check("alice is not a user before her first sign-in", all(u["name"] != "alice" for u in mcpcp(binary, data, "user", "list")))
            tokens, seen = await sign_in(browser, gateway, server_url, "alice")
            check(
                "alice went through the IdP's login and consent, then mcpcp's consent",
                seen == ["idp-login", "idp-consent", "mcpcp-consent"],
                seen,
            )
            check("mcpcp issued an access and a refresh token", bool(tokens.get("access_token")) and bool(tokens.get("refresh_token")), tokens.keys())
            alice = mcpcp(binary, data, "user", "show", "alice")
            check("alice was created on first sign-in (JIT) with the IdP subject", alice.get("sso_subject") == f"{issuer}|alice", alice)
            check("alice was put in eng from the groups claim (engineering -> eng)", alice.get("groups") == ["eng"], alice)
            check("alice has no password in mcpcp", alice.get("has_password") is False, alice)
            echoed, meta = await mcp_call(server_url, tokens["access_token"])
            check("the Python SDK calls a tool as alice", "hello over sso" in echoed, echoed)
            identity = (meta or {}).get("io.mcpcp/identity", {})
            check(
                "the upstream learns alice's name, IdP email and mapped group from _meta",
                identity.get("sub") == "alice" and identity.get("email") == "alice@example.test"
                and [g.get("name") for g in identity.get("groups", [])] == ["eng"] and identity.get("auth_method") == "sso",
                meta,
            )

            grace_tokens, _ = await sign_in(browser, gateway, server_url, "grace")
            grace = mcpcp(binary, data, "user", "show", "grace")
            check("grace (IdP group sales, unmapped) was created in no group", grace.get("groups") == [], grace)
            async with httpx2.AsyncClient(timeout=30) as http:
                r = await http.post(
                    server_url,
                    headers={
                        "Authorization": f"Bearer {grace_tokens['access_token']}",
                        "Accept": "application/json, text/event-stream",
                        "Content-Type": "application/json",
                    },
                    json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                )
                body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
                check("grace's token is refused with 403 and a JSON-RPC error", r.status_code == 403 and "error" in body, (r.status_code, r.text[:200]))

            again, seen = await sign_in(browser, gateway, server_url, "alice")
            users = [u["name"] for u in mcpcp(binary, data, "user", "list")]
            check("alice's second sign-in reuses her user", users.count("alice") == 1 and bool(again.get("access_token")), users)

            records = mcpcp(binary, data, "logs", "tail", "-n", "200", "--type", "sign_in")
            sso = [r for r in records if r.get("auth_method") == "sso" and r.get("status") == "success"]
            check("the activity log has the three SSO sign-ins", sorted(r.get("principal") for r in sso) == ["alice", "alice", "grace"], records)
            audit = mcpcp(binary, data, "audit", "list")
            created = [a for a in audit if a.get("action") == "user.create" and a.get("actor", {}).get("name") == "sso"]
            check("the audit trail has both creations by the sso actor", sorted(a.get("resource", {}).get("name") for a in created) == ["alice", "grace"], audit[-3:])

            mcpcp(binary, data, "user", "disable", "grace")
            try:
                await sign_in(browser, gateway, server_url, "grace")
                refused = None
            except RuntimeError as e:
                refused = str(e)
            check("a disabled user's SSO sign-in ends on mcpcp's refusal page", refused is not None and "disabled in mcpcp" in refused, refused)
            records = mcpcp(binary, data, "logs", "tail", "-n", "200", "--type", "sign_in")
            failed = [r for r in records if r.get("principal") == "grace" and r.get("status") == "failure"]
            check("the refused sign-in is recorded with 403", [r.get("http_status") for r in failed] == [403], failed)
        finally:
            await browser.close()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception:
        traceback.print_exc()
        check("the SSO check ran to the end", False)
    sys.exit(1 if FAILED else 0)
