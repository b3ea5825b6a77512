"""Interop check 12: verified user access in a real headless Chromium. A user of an mcpcp
`--auth password` server whose upstream signs users in itself (`--upstream-auth oauth`, the
upstream being oauth_upstream.mjs) is refused at first with a link; the browser opens it, signs
in to mcpcp, then at the upstream's authorization server, consents there and lands on mcpcp's
`/connect/callback`; from then on the official Python SDK client's calls run as that user's
upstream account. Another user's link opened in that browser is refused.

Usage: link_signin.py GATEWAY_BASE SERVER_URL USER PASSWORD OTHER OTHER_PASSWORD

Prints one `PASS name` or `FAIL name: why` line per assertion and exits non-zero if any failed.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import secrets
import sys
import traceback
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx2
import mcp_types as types
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from playwright.async_api import Page

from browser_signin import Browser, Callback

failures = 0


def check(name: str, ok: bool, detail: Any = "") -> None:
    global failures
    if ok:
        print(f"PASS link: {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL link: {name}: {detail}", flush=True)


async def mcpcp_token(browser: Browser, base: str, server_url: str, user: str, password: str) -> str:
    """The user's mcpcp access token for the server: registration, sign-in in Chromium, PKCE."""
    async with Callback() as callback, httpx2.AsyncClient() as http:
        reg = await http.post(f"{base}/register", json={"client_name": "link check", "redirect_uris": [callback.uri],
                                                         "token_endpoint_auth_method": "none"})
        client_id = reg.json()["client_id"]
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        url = f"{base}/authorize?" + urlencode({
            "response_type": "code", "client_id": client_id, "redirect_uri": callback.uri, "state": "s",
            "code_challenge": challenge, "code_challenge_method": "S256", "scope": "mcp", "resource": server_url})
        landed = (await browser.sign_in(url, callback.uri, user, password)).landed
        code = parse_qs(urlsplit(landed).query)["code"][0]
        token = await http.post(f"{base}/token", data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": callback.uri,
            "code_verifier": verifier, "client_id": client_id, "resource": server_url})
        return token.json()["access_token"]


async def initialize(server_url: str, token: str) -> httpx2.Response:
    async with httpx2.AsyncClient() as http:
        return await http.post(server_url, headers={"authorization": f"Bearer {token}",
                                                    "accept": "application/json, text/event-stream"},
                               json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                                   "protocolVersion": "2025-06-18", "capabilities": {},
                                   "clientInfo": {"name": "link check", "version": "1"}}})


async def link_in_browser(page: Page, link: str, gateway: str, user: str, password: str) -> str:
    """Opens the link, signs in on mcpcp's page and then on the upstream's, allows there, and
    returns the text of the page the browser ends on."""
    await page.goto(link)
    for _ in range(6):
        await page.wait_for_load_state("domcontentloaded")
        if page.url.startswith(f"{gateway}/connect/callback"):
            return await page.inner_text("body")
        if await page.locator("#username").count():
            await page.locator("#username").fill(user)
            await page.locator("#password").fill(password)
            async with page.expect_navigation():
                await page.get_by_role("button", name="Sign in", exact=True).click()
        elif await page.get_by_role("button", name="Allow", exact=True).count():
            async with page.expect_navigation():
                await page.get_by_role("button", name="Allow", exact=True).click()
        else:
            return await page.inner_text("body")
    return await page.inner_text("body")


async def main() -> None:
    base, server_url, user, password, other, other_password = sys.argv[1:7]
    async with Browser() as browser:
        token = await mcpcp_token(browser, base, server_url, user, password)
        other_token = await mcpcp_token(browser, base, server_url, other, other_password)
        refused = await initialize(server_url, token)
        error = refused.json().get("error", {})
        link = (error.get("data") or {}).get("url", "")
        check("an unlinked user is refused with 403 and a link", refused.status_code == 403 and link.startswith(f"{base}/connect/"),
              f"{refused.status_code} {refused.text[:300]}")
        check("the refusal is the client's to act on", (error.get("data") or {}).get("fault") == "client", error)
        other_link = ((await initialize(server_url, other_token)).json().get("error", {}).get("data") or {}).get("url", "")

        context = await browser.new_context()  # one browser profile, signed in as USER
        page = await context.new_page()
        text = await link_in_browser(page, link, base, user, password)
        check("mcpcp's sign-in, then the upstream's, end on the linked page", "linked" in text, text[:300])
        await page.goto(other_link)
        body = await page.inner_text("body")
        check("another user's link is refused in this signed-in browser", "another user" in body, body[:300])
        await context.close()

        linked = await initialize(server_url, token)
        check("once linked, initialize succeeds", linked.status_code == 200, f"{linked.status_code} {linked.text[:300]}")
        http = httpx2.AsyncClient(headers={"authorization": f"Bearer {token}"})
        async with Client(streamable_http_client(server_url, http_client=http)) as client:
            result = await client.call_tool("whoami", {})
            sub = (result.structured_content or {}).get("sub")
            check("the Python SDK's call runs as the user's upstream account", sub == user, result)
        await http.aclose()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception:  # a crash is a failure with its traceback
        traceback.print_exc()
        failures += 1
        print("FAIL link: crashed", flush=True)
    sys.exit(1 if failures else 0)
