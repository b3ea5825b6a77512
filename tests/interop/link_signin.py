"""Interop check 12: verified user access with the official Python SDK 2.x client and a real
headless Chromium. Users of an mcpcp `--auth password` server whose upstream signs users in
itself (`--upstream-auth oauth`, the upstream being oauth_upstream.mjs) connect before they have
linked their upstream account:
- USER's client declares URL elicitation: its tool call fails with the SDK's
  `UrlElicitationRequiredError` (-32042) carrying the link; the browser opens it, signs in to
  mcpcp, then at the upstream's authorization server, consents there and lands on mcpcp's
  `/connect/callback`; the client hears `notifications/elicitation/complete` for that
  elicitation and its retried call, in the same session, runs as USER's upstream account.
- OTHER's client declares no URL elicitation: its tool call's result is an error whose text
  carries the link. That link opened in the browser signed in as USER is refused; OTHER then
  opens it in their own browser and links their own account.
The clients run the SDK's `legacy` mode (a 2025 session: URL elicitation is a 2025 request; in
its default mode the SDK speaks 2026-07-28 to mcpcp, and an unlinked user's call then answers
with the link in the tool error's text, as OTHER's does).
- 40 concurrent calls, 20 by each user's client: every one runs as its caller's upstream
  account.

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
from mcp.shared.exceptions import MCPError, UrlElicitationRequiredError
from mcp_types import URL_ELICITATION_REQUIRED
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

        # OTHER's client declares no URL elicitation: the link comes as a tool error's text.
        http = httpx2.AsyncClient(headers={"authorization": f"Bearer {other_token}"})
        async with Client(streamable_http_client(server_url, http_client=http), mode="legacy") as client:
            result = await client.call_tool("whoami", {})
            text = " ".join(c.text for c in result.content if isinstance(c, types.TextContent))
            other_link = next((w for w in text.split() if w.startswith(f"{base}/connect/")), "")
            check("without URL elicitation, the call's error text carries the link", result.is_error and other_link, text)
        await http.aclose()

        completed: list[str] = []

        async def on_message(message: Any) -> None:
            if isinstance(message, types.ElicitCompleteNotification):
                completed.append(message.params.elicitation_id)

        async def on_elicitation(context: Any, params: Any) -> types.ElicitResult:
            return types.ElicitResult(action="decline")

        http = httpx2.AsyncClient(headers={"authorization": f"Bearer {token}"})
        async with Client(streamable_http_client(server_url, http_client=http), mode="legacy", message_handler=on_message,
                          elicitation_callback=on_elicitation) as client:
            tools = await client.list_tools()
            check("an unlinked user's client connects and lists tools", isinstance(tools.tools, list), tools)
            link, elicitation_id = "", ""
            try:
                result = await client.call_tool("whoami", {})
                check("with URL elicitation, the call asks for one (-32042)", False, result)
            except MCPError as e:
                check("with URL elicitation, the call asks for one (-32042)", e.code == URL_ELICITATION_REQUIRED, e.error)
                if e.code == URL_ELICITATION_REQUIRED:
                    elicitation = UrlElicitationRequiredError.from_error(e.error).elicitations[0]
                    link, elicitation_id = elicitation.url, elicitation.elicitation_id
            check("the elicitation's URL is mcpcp's link", link.startswith(f"{base}/connect/"), link)

            context = await browser.new_context()  # one browser profile, signed in as USER
            page = await context.new_page()
            text = await link_in_browser(page, link, base, user, password)
            check("mcpcp's sign-in, then the upstream's, end on the linked page", "linked" in text, text[:300])
            await page.goto(other_link)
            body = await page.inner_text("body")
            check("another user's link is refused in this signed-in browser", "another user" in body, body[:300])
            await context.close()

            deadline = asyncio.get_running_loop().time() + 10
            while elicitation_id not in completed and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.05)
            check("the client hears notifications/elicitation/complete", elicitation_id in completed, completed)
            result = await client.call_tool("whoami", {})
            sub = (result.structured_content or {}).get("sub")
            check("the retried call, same session, runs as the user's upstream account", sub == user, result)

            # OTHER links their own account in their own browser; then both call at once.
            context = await browser.new_context()
            page = await context.new_page()
            text = await link_in_browser(page, other_link, base, other, other_password)
            check("the other user links their own account", "linked" in text, text[:300])
            await context.close()
            other_http = httpx2.AsyncClient(headers={"authorization": f"Bearer {other_token}"})
            async with Client(streamable_http_client(server_url, http_client=other_http), mode="legacy") as other_client:
                async def whoami(c: Client) -> str:
                    r = await c.call_tool("whoami", {})
                    return (r.structured_content or {}).get("sub", "")
                seen = await asyncio.gather(*[whoami(c) for _ in range(20) for c in (client, other_client)])
                expected = [user, other] * 20
                check("40 concurrent calls of both users: each as their own upstream account, never crossed",
                      seen == expected, [s for s, e in zip(seen, expected) if s != e][:5])
            await other_http.aclose()
        await http.aclose()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception:  # a crash is a failure with its traceback
        traceback.print_exc()
        failures += 1
        print("FAIL link: crashed", flush=True)
    sys.exit(1 if failures else 0)
