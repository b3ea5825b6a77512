"""Signs a user in on mcpcp's authorization pages in a real headless Chromium: the system's
/usr/bin/chromium (Debian's `chromium` package, which run.sh installs), driven through
Playwright's bundled driver. No browser is downloaded.

    async with Browser() as browser:
        result = await browser.sign_in(authorization_url, "http://127.0.0.1:PORT/callback", "ada", "pw")

`sign_in` opens the authorization URL in a fresh browser context (no cookies), fills mcpcp's login
form and clicks "Sign in", clicks "Allow" on the consent page, and returns once the browser has
navigated to the client's redirect URI and got an answer there: the client's own loopback
listener receives the code, exactly as with a desktop MCP client that opened the system browser.

If Chromium refuses the redirect that ends a form submission (it enforces the page's CSP
`form-action` on every hop of a form's redirect chain), the result says so in `blocked` (the
console message), and the browser opens the authorization URL once more: signed in, and with
consent remembered, mcpcp redirects straight away, from a plain navigation that `form-action`
does not govern. The caller reports the block as a failure and can still check the rest.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Page, async_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# How long one step (a page load, the redirect after a click) may take, in seconds.
STEP_TIMEOUT = 20.0


class SignInError(Exception):
    """The browser did not get to the redirect URI; the message says what it saw instead."""


@dataclass
class SignIn:
    """What happened in the browser."""

    # The redirect URI request the browser made (with code, state and iss), as it navigated there.
    landed: str
    # The mcpcp pages the browser was shown, in order: "login", "consent".
    pages: list[str] = field(default_factory=list)
    # Chromium's console message when it refused the redirect after a form submission.
    blocked: str | None = None
    # Every console message, for diagnostics.
    console: list[str] = field(default_factory=list)


class Browser:
    """One headless Chromium; each sign-in gets a fresh context (cookie jar)."""

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None

    async def __aenter__(self) -> Browser:
        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()

    @property
    def version(self) -> str:
        return self._browser.version

    async def new_context(self) -> Any:
        """A fresh browser profile (cookie jar) for a caller that drives the pages itself."""
        return await self._browser.new_context()

    async def sign_in(self, url: str, redirect_prefix: str, username: str, password: str) -> SignIn:
        context = await self._browser.new_context()
        try:
            return await _sign_in(await context.new_page(), url, redirect_prefix, username, password)
        finally:
            await context.close()


async def _sign_in(page: Page, url: str, redirect_prefix: str, username: str, password: str) -> SignIn:
    landed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    loaded = asyncio.Event()
    refused = asyncio.Event()
    blocks: list[str] = []
    console: list[str] = []
    pages: list[str] = []

    def on_console(message: Any) -> None:
        console.append(message.text)
        if "Content Security Policy" in message.text:
            blocks.append(message.text)
            refused.set()

    def on_response(response: Any) -> None:
        if (
            response.url.startswith(redirect_prefix)
            and response.request.is_navigation_request()
            and not landed.done()
        ):
            landed.set_result(response.url)

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("load", lambda _page: loaded.set())

    async def act(action: Any) -> None:
        """Runs a click or navigation, then waits until the browser arrived at the redirect URI,
        loaded another page, or was refused by the content security policy."""
        loaded.clear()
        refused.clear()
        await action
        waiters = [asyncio.ensure_future(loaded.wait()), asyncio.ensure_future(refused.wait())]
        done, _ = await asyncio.wait([*waiters, landed], timeout=STEP_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()
        if not done:
            raise SignInError(f"nothing happened within {STEP_TIMEOUT} s on {page.url}; console: {console}")

    await act(page.goto(url))
    while not landed.done():
        if refused.is_set():
            if len(blocks) > 1:
                raise SignInError(f"refused again: {blocks[-1]}")
            # Refused by CSP after a form: open the authorization URL again (see the module doc).
            await act(page.goto(url))
            continue
        await page.wait_for_load_state("domcontentloaded")
        alert = page.get_by_role("alert")
        if await page.locator("#username").count():
            if "login" in pages:
                message = await alert.inner_text() if await alert.count() else "(no message)"
                raise SignInError(f"the login page came back: {message}")
            pages.append("login")
            await page.locator("#username").fill(username)
            await page.locator("#password").fill(password)
            await act(page.get_by_role("button", name="Sign in", exact=True).click())
        elif await page.get_by_role("button", name="Allow", exact=True).count():
            if "consent" in pages:
                raise SignInError("the consent page came back")
            pages.append("consent")
            await act(page.get_by_role("button", name="Allow", exact=True).click())
        else:
            text = (await page.inner_text("body")).strip()[:500]
            raise SignInError(f"unexpected page at {page.url}: {text!r}")
    return SignIn(landed=landed.result(), pages=pages, blocked=blocks[0] if blocks else None, console=console)


class Callback:
    """A loopback HTTP listener standing in for a native client's redirect URI
    (http://127.0.0.1:PORT/callback, RFC 8252 §7.3): it answers the browser and hands the query
    of each request to whoever awaits `next()`."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._server: asyncio.AbstractServer | None = None
        self.port = 0

    @property
    def uri(self) -> str:
        return f"http://127.0.0.1:{self.port}/callback"

    async def __aenter__(self) -> Callback:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = (await reader.readline()).decode("latin-1")
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass
            parts = request_line.split(" ")
            target = parts[1] if len(parts) > 1 else ""
            if target.startswith("/callback"):
                await self._queue.put(f"http://127.0.0.1:{self.port}{target}")
            body = b"<!doctype html><p>Signed in. You can close this window.</p>"
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        finally:
            writer.close()

    async def next(self, timeout: float = STEP_TIMEOUT) -> str:
        """The next redirect URL the listener received."""
        return await asyncio.wait_for(self._queue.get(), timeout)
