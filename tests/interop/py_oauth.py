"""Interop check 7: the official Python SDK client (`mcp` 2.x, `OAuthClientProvider` on httpx2)
signs a user in to an mcpcp `--auth password` server, with the login and consent done in a real
headless Chromium (browser_signin.py), then calls the rmcp stdio fixture behind it.

Usage: py_oauth.py SERVER_URL USER PASSWORD OUTSIDER OUTSIDER_PASSWORD

USER is in a group that grants the server; OUTSIDER is in none. Walks the whole flow the SDK
runs by itself (401 challenge -> protected resource metadata -> authorization server metadata ->
dynamic client registration -> authorize in the browser -> token with PKCE and resource), then
tools/list and tools/call, then makes the access token look expired the way the SDK checks
(`OAuthContext.token_expiry_time`) so the next call refreshes first, and shows the rotated token
works on the same session while the old refresh token is refused. OUTSIDER signs in just as well
but the MCP request gets 403. Prints one `PASS name` or `FAIL name: why` line per assertion and
exits non-zero if any failed.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import httpx2
import mcp_types as types
from mcp.client import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

from browser_signin import Browser, Callback, SignIn

failures = 0


def check(name: str, ok: bool, detail: Any = "") -> None:
    """Records one assertion."""
    global failures
    if ok:
        print(f"PASS py-oauth: {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL py-oauth: {name}: {detail}", flush=True)


def text_of(result: types.CallToolResult) -> str:
    return "".join(block.text for block in result.content if isinstance(block, types.TextContent))


def error_message(body: str) -> str:
    """The JSON-RPC error message of an HTTP error body (or the body itself)."""
    try:
        return str(json.loads(body)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return body


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


class MemoryStorage:
    """The SDK's TokenStorage, in memory, remembering every token set it was given."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None
        self.history: list[OAuthToken] = []

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens
        self.history.append(tokens)

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info


class Exchange:
    """What one client sent and got, request by request (event hooks see the auth flow's own
    requests too: metadata, registration, token)."""

    def __init__(self) -> None:
        self.log: list[dict[str, Any]] = []

    async def on_request(self, request: httpx2.Request) -> None:
        body = request.content.decode(errors="replace") if request.method == "POST" else ""
        self.log.append(
            {
                "method": request.method,
                "url": str(request.url),
                "path": request.url.path,
                "auth": request.headers.get("authorization", ""),
                "form": parse_qs(body) if "x-www-form-urlencoded" in request.headers.get("content-type", "") else {},
                "status": None,
            }
        )

    async def on_response(self, response: httpx2.Response) -> None:
        for entry in reversed(self.log):
            if entry["status"] is None and entry["url"] == str(response.request.url):
                entry["status"] = response.status_code
                entry["www_authenticate"] = response.headers.get("www-authenticate", "")
                if response.status_code in (401, 403):
                    await response.aread()
                    entry["body"] = response.text
                break

    def find(self, method: str, path: str, **form: str) -> list[dict[str, Any]]:
        return [
            e
            for e in self.log
            if e["method"] == method
            and e["path"] == path
            and all(e["form"].get(k) == [v] for k, v in form.items())
        ]

    def client(self, provider: OAuthClientProvider) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(
            auth=provider,
            follow_redirects=True,
            timeout=httpx2.Timeout(30, read=60),
            event_hooks={"request": [self.on_request], "response": [self.on_response]},
        )


class SignInDriver:
    """The provider's redirect and callback handlers: the authorization URL goes to Chromium,
    the code comes back through the loopback listener."""

    def __init__(self, browser: Browser, callback: Callback, user: str, password: str) -> None:
        self.browser, self.callback, self.user, self.password = browser, callback, user, password
        self.authorization_urls: list[str] = []
        self.sign_ins: list[SignIn] = []
        self.callbacks: list[str] = []

    async def redirect_handler(self, url: str) -> None:
        self.authorization_urls.append(url)
        self.sign_ins.append(await self.browser.sign_in(url, self.callback.uri, self.user, self.password))

    async def callback_handler(self) -> AuthorizationCodeResult:
        landed = await self.callback.next()
        self.callbacks.append(landed)
        q = query(landed)
        first = lambda key: q[key][0] if key in q else None  # noqa: E731
        return AuthorizationCodeResult(code=first("code") or "", state=first("state"), iss=first("iss"))

    def provider(self, server_url: str, storage: MemoryStorage) -> OAuthClientProvider:
        metadata = OAuthClientMetadata(
            client_name="mcpcp interop (python sdk)",
            redirect_uris=[self.callback.uri],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
        )
        return OAuthClientProvider(
            server_url=server_url,
            client_metadata=metadata,
            storage=storage,
            redirect_handler=self.redirect_handler,
            callback_handler=self.callback_handler,
        )


def check_browser(who: str, driver: SignInDriver) -> None:
    """The browser part of one sign-in."""
    sign_in = driver.sign_ins[0] if driver.sign_ins else None
    check(
        f"{who}: Chromium showed mcpcp's login page, then its consent page",
        sign_in is not None and sign_in.pages == ["login", "consent"],
        sign_in,
    )
    check(
        f"{who}: Chromium followed the consent form's redirect to the client's redirect URI",
        sign_in is not None and sign_in.blocked is None,
        f"Chromium refused it: {sign_in.blocked!r} (the sign-in pages send CSP form-action 'self', which "
        "Chromium applies to the redirect after the form too; the browser got there only by opening the "
        "authorization URL again)"
        if sign_in
        else "no sign-in",
    )


async def main(url: str, user: str, password: str, outsider: str, outsider_password: str) -> None:
    gateway = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    async with Browser() as browser, Callback() as callback:
        print(f"chromium {browser.version}", flush=True)
        await member(browser, callback, url, gateway, user, password)
        await nonmember(browser, callback, url, outsider, outsider_password)


async def member(browser: Browser, callback: Callback, url: str, gateway: str, user: str, password: str) -> None:
    driver = SignInDriver(browser, callback, user, password)
    storage = MemoryStorage()
    provider = driver.provider(url, storage)
    seen = Exchange()
    async with seen.client(provider) as http:
        async with Client(streamable_http_client(url, http_client=http)) as client:
            # The discovery the SDK did on its own.
            first = seen.log[0] if seen.log else {}
            check(
                "first MCP request got 401 with the resource_metadata challenge",
                first.get("path") == urlsplit(url).path
                and first.get("status") == 401
                and f'resource_metadata="{gateway}/.well-known/oauth-protected-resource{urlsplit(url).path}"'
                in first.get("www_authenticate", ""),
                first,
            )
            paths = [(e["method"], e["path"], e["status"]) for e in seen.log]
            check(
                "protected resource metadata, then authorization server metadata, then DCR (201)",
                ("GET", f"/.well-known/oauth-protected-resource{urlsplit(url).path}", 200) in paths
                and ("GET", "/.well-known/oauth-authorization-server", 200) in paths
                and ("POST", "/register", 201) in paths,
                paths,
            )
            check(
                "registered client is public (token_endpoint_auth_method none)",
                storage.client is not None
                and storage.client.client_id.startswith("mcpcl_")
                and storage.client.token_endpoint_auth_method == "none"
                and storage.client.client_secret is None,
                storage.client,
            )
            auth = query(driver.authorization_urls[0]) if driver.authorization_urls else {}
            check(
                "authorization request: code, PKCE S256, state, resource = server URL, scope with mcp",
                auth.get("response_type") == ["code"]
                and auth.get("code_challenge_method") == ["S256"]
                and len(auth.get("code_challenge", [""])[0]) == 43
                and auth.get("state")
                and auth.get("resource") == [url]
                and "mcp" in auth.get("scope", [""])[0].split()
                and auth.get("redirect_uri") == [callback.uri],
                auth,
            )
            check_browser(user, driver)
            back = query(driver.callbacks[0]) if driver.callbacks else {}
            check(
                "redirect to the loopback callback carries code, the state and iss = issuer",
                bool(back.get("code"))
                and back.get("state") == auth.get("state")
                and back.get("iss") == [gateway],
                back,
            )
            exchange = seen.find("POST", "/token", grant_type="authorization_code")
            check(
                "token request: code + code_verifier + resource, answered 200 with access and refresh token",
                len(exchange) == 1
                and exchange[0]["status"] == 200
                and exchange[0]["form"].get("resource") == [url]
                and len(exchange[0]["form"].get("code_verifier", [""])[0]) >= 43
                and storage.tokens is not None
                and storage.tokens.access_token.startswith("mcpat_")
                and storage.tokens.refresh_token is not None,
                (exchange, storage.tokens),
            )
            first_tokens = storage.tokens

            tools = {tool.name for tool in (await client.list_tools()).tools}
            check("tools/list through mcpcp with the signed-in token", "echo" in tools, sorted(tools))
            echo = await client.call_tool("echo", {"text": "signed in from python"})
            check("tools/call echo", not echo.is_error and text_of(echo) == "signed in from python", echo)
            mcp_posts = [e for e in seen.log if e["method"] == "POST" and e["path"] == urlsplit(url).path]
            check(
                "every MCP request after sign-in carried the issued access token",
                first_tokens is not None
                and all(e["auth"] == f"Bearer {first_tokens.access_token}" for e in mcp_posts[1:])
                and all(e["status"] not in (401, 403) for e in mcp_posts[1:]),
                [(e["auth"][-8:], e["status"]) for e in mcp_posts],
            )

            # Expired, as the SDK sees it: the next request refreshes before it is sent.
            provider.context.token_expiry_time = time.time() - 1
            before = len(seen.log)
            echo = await client.call_tool("echo", {"text": "after refresh"})
            check("tools/call echo after the token expired", not echo.is_error and text_of(echo) == "after refresh", echo)
            refreshes = seen.find("POST", "/token", grant_type="refresh_token")
            new_tokens = storage.tokens
            check(
                "the SDK refreshed (refresh_token grant with resource, 200) before the call",
                len(refreshes) == 1
                and refreshes[0]["status"] == 200
                and refreshes[0]["form"].get("resource") == [url]
                and first_tokens is not None
                and refreshes[0]["form"].get("refresh_token") == [first_tokens.refresh_token]
                and seen.log.index(refreshes[0]) >= before,
                refreshes,
            )
            check(
                "refresh rotated both tokens",
                first_tokens is not None
                and new_tokens is not None
                and new_tokens.access_token != first_tokens.access_token
                and new_tokens.refresh_token not in (None, first_tokens.refresh_token),
                (first_tokens, new_tokens),
            )
            after = [e for e in seen.log[before:] if e["method"] == "POST" and e["path"] == urlsplit(url).path]
            check(
                "the call went out with the new access token on the same MCP session, answered 200",
                new_tokens is not None
                and len(after) == 1
                and after[0]["auth"] == f"Bearer {new_tokens.access_token}"
                and after[0]["status"] == 200,
                after,
            )

    # Rotation means the old refresh token is spent: presenting it again is refused, and (reuse
    # detection) revokes the family, so the current access token stops working too.
    assert storage.client is not None and first_tokens is not None and new_tokens is not None
    async with httpx2.AsyncClient(timeout=30) as raw:
        reuse = await raw.post(
            f"{gateway}/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": first_tokens.refresh_token or "",
                "client_id": storage.client.client_id,
                "resource": url,
            },
        )
        check(
            "the rotated-out refresh token is refused (400 invalid_grant)",
            reuse.status_code == 400 and reuse.json().get("error") == "invalid_grant",
            (reuse.status_code, reuse.text),
        )
        probe = await raw.post(
            url,
            headers={
                "Authorization": f"Bearer {new_tokens.access_token}",
                "Accept": "application/json, text/event-stream",
                "Content-Type": "application/json",
            },
            json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
        )
        check(
            "refresh token reuse revoked the grant: the current access token gets 401",
            probe.status_code == 401,
            (probe.status_code, probe.headers.get("www-authenticate")),
        )


async def nonmember(browser: Browser, callback: Callback, url: str, user: str, password: str) -> None:
    driver = SignInDriver(browser, callback, user, password)
    storage = MemoryStorage()
    seen = Exchange()
    error: BaseException | None = None
    async with seen.client(driver.provider(url, storage)) as http:
        try:
            async with Client(streamable_http_client(url, http_client=http)) as client:
                await client.list_tools()
        except Exception as e:  # noqa: BLE001 - refusal is expected; what matters is how
            error = e
    check_browser(user, driver)
    exchange = seen.find("POST", "/token", grant_type="authorization_code")
    check(
        f"{user} (in no group that grants the server) still signs in: token 200",
        len(exchange) == 1 and exchange[0]["status"] == 200 and storage.tokens is not None,
        exchange,
    )
    # Every MCP request with the token that got an answer (the SDK may give up on a request it
    # pipelined before the first refusal arrived; that one never reaches the gateway).
    forbidden = [
        e
        for e in seen.log
        if e["method"] == "POST"
        and e["path"] == urlsplit(url).path
        and storage.tokens is not None
        and e["auth"] == f"Bearer {storage.tokens.access_token}"
        and e["status"] is not None
    ]
    check(
        f"{user}'s MCP request with that token gets 403 naming the missing group grant",
        bool(forbidden)
        and all(e["status"] == 403 for e in forbidden)
        and f'user "{user}" is not in any group that grants server' in error_message(forbidden[0].get("body", "")),
        [(e["status"], e.get("body")) for e in forbidden],
    )
    unanswered = [
        e["path"]
        for e in seen.log
        if storage.tokens is not None and e["auth"] == f"Bearer {storage.tokens.access_token}" and e["status"] is None
    ]
    if unanswered:
        print(f"py-oauth: note: {len(unanswered)} request(s) with {user}'s token got no answer ({error!r})", flush=True)
    check(f"{user}'s client session could not start", error is not None, "the session started")
    reauth = len(driver.authorization_urls)
    check(f"{user}'s client did not loop through sign-in again on 403", reauth == 1, reauth)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit("usage: py_oauth.py SERVER_URL USER PASSWORD OUTSIDER OUTSIDER_PASSWORD")
    try:
        anyio.run(main, *sys.argv[1:])
    except BaseException as error:  # noqa: BLE001 - any escape is a failed check, with its trace
        traceback.print_exc()
        check("the OAuth flow ran to the end", False, repr(error))
    sys.exit(1 if failures else 0)
