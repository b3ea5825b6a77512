"""Interop check 9: the official conformance suite's authorization-server scenarios
(@modelcontextprotocol/conformance 0.2.0-alpha, `authorization` command) against mcpcp's issuer,
with the interactive step of the code grant done in a real headless Chromium.

Usage: conformance_as.py NODE CONFORMANCE_ALPHA ISSUER SERVER_URL USER PASSWORD OUTPUT_DIR

1. `authorization --url ISSUER --scenario authorization-server-metadata-endpoint`: RFC 8414
   metadata at the well-known URL, `issuer` equal to ISSUER as a string.
2. `authorization-code-grant`: a public client registered here by DCR with the redirect URI
   http://127.0.0.1:PORT/callback, passed with --client-id, --resource SERVER_URL and -p PORT.
   The suite prints an authorization URL and waits for a browser on its callback listener;
   Chromium opens it, signs USER in and allows, and lands on the suite's listener. The suite
   then checks the redirect (one code, state echoed, iss = issuer, no error) and redeems the
   code (200, JSON, Cache-Control: no-store, access_token and token_type). Run as the suite's
   full sequence (both scenarios, no --scenario): 0.2.0-alpha.12 hands the code grant the
   metadata from the first scenario only then; alone it fails with "Invalid authorization
   server metadata" before contacting the server.

Every scenario must pass with exit status 0. Prints PASS/FAIL lines; the suite's logs stay in
OUTPUT_DIR.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sys
import traceback
import urllib.request
from pathlib import Path
from typing import Any

from browser_signin import Browser, SignIn

# The suite waits 5 minutes for the browser; nothing here should take more than this (seconds).
SUITE_TIMEOUT = 90
ANSI = re.compile(r"\x1b\[[0-9;]*m")

failures = 0


def check(name: str, ok: bool, detail: Any = "") -> None:
    global failures
    if ok:
        print(f"PASS conformance-as: {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL conformance-as: {name}: {detail}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def register(issuer: str, redirect_uri: str) -> str:
    """A public client registered by DCR (RFC 7591); its client_id."""
    body = json.dumps(
        {
            "client_name": "MCP conformance suite",
            "redirect_uris": [redirect_uri],
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
        }
    ).encode()
    request = urllib.request.Request(
        f"{issuer}/register", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["client_id"]


class Suite:
    """One run of the conformance CLI, its output mirrored to a log file."""

    def __init__(self, node: str, cli: str, log: Path, *args: str) -> None:
        self.command = [node, cli, "authorization", *args]
        self.log = log
        self.lines: list[str] = []
        self.process: asyncio.subprocess.Process | None = None
        self._new_line = asyncio.Condition()

    async def start(self) -> None:
        env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
        self.process = await asyncio.create_subprocess_exec(
            *self.command,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env=env,
        )
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        with self.log.open("w") as out:
            async for raw in self.process.stdout:
                line = ANSI.sub("", raw.decode(errors="replace")).rstrip("\n")
                out.write(line + "\n")
                out.flush()
                async with self._new_line:
                    self.lines.append(line)
                    self._new_line.notify_all()
        async with self._new_line:
            self._new_line.notify_all()

    async def line_matching(self, pattern: str) -> str | None:
        """The first output line matching `pattern`, waiting for it; None if the suite ended."""
        regex = re.compile(pattern)
        async with self._new_line:
            while True:
                for line in self.lines:
                    if regex.search(line):
                        return line
                if self._reader.done():
                    return None
                await self._new_line.wait()

    async def finish(self) -> int:
        assert self.process is not None
        try:
            code = await asyncio.wait_for(self.process.wait(), SUITE_TIMEOUT)
        except TimeoutError:
            self.process.kill()
            code = await self.process.wait()
        await self._reader
        return code

    @property
    def output(self) -> str:
        return "\n".join(self.lines)


def results(output: str) -> dict[str, tuple[int, int]]:
    """The suite's summary: scenario -> (passed, failed)."""
    found = {}
    for name, passed, failed in re.findall(r"^[✓✗] (\S+): (\d+) passed, (\d+) failed$", output, re.M):
        found[name] = (int(passed), int(failed))
    return found


def failed_checks(output: str) -> str:
    """The suite's own account of what failed (its '=== Failed Checks ===' sections)."""
    parts = output.split("=== Failed Checks ===")
    return " | ".join(" ".join(p.split("\n\n=== ")[0].split()) for p in parts[1:]) or output[-1500:]


async def main(node: str, cli: str, issuer: str, server_url: str, user: str, password: str, out: str) -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)

    # 1. Metadata endpoint, on its own.
    suite = Suite(
        node, cli, out_dir / "metadata.log",
        "--url", issuer, "--scenario", "authorization-server-metadata-endpoint", "-o", str(out_dir / "metadata"),
    )  # fmt: skip
    await suite.start()
    code = await suite.finish()
    summary = re.search(r"^Passed: (\d+)/(\d+), (\d+) failed, (\d+) warnings$", suite.output, re.M)
    check(
        "authorization-server-metadata-endpoint passes (exit 0, every check passed)",
        code == 0 and summary is not None and summary[1] == summary[2] != "0" and summary[3] == "0",
        f"exit {code}: {failed_checks(suite.output)}",
    )
    warnings = [line for line in suite.lines if " WARNING " in line]
    if warnings:
        print(f"conformance-as: metadata warnings: {warnings}", flush=True)

    # 2. The code grant, with Chromium as the browser.
    port = free_port()
    redirect_uri = f"http://127.0.0.1:{port}/callback"
    client_id = register(issuer, redirect_uri)
    suite = Suite(
        node, cli, out_dir / "code-grant.log",
        "--url", issuer, "--client-id", client_id, "--resource", server_url, "-p", str(port),
        "-o", str(out_dir / "code-grant"),
    )  # fmt: skip
    await suite.start()
    sign_in: SignIn | None = None
    line = await asyncio.wait_for(suite.line_matching(rf"^{re.escape(issuer)}/authorize\?"), SUITE_TIMEOUT)
    await suite.line_matching(r"^Callback server started: ")
    if line is None:
        check("the suite printed an authorization URL", False, suite.output[-1500:])
    else:
        async with Browser() as browser:
            sign_in = await browser.sign_in(line.strip(), redirect_uri, user, password)
    code = await suite.finish()
    if sign_in is not None:
        check(
            "Chromium: mcpcp's login page, then its consent page, then the suite's callback",
            sign_in.pages == ["login", "consent"] and sign_in.landed.startswith(redirect_uri + "?"),
            sign_in,
        )
        check(
            "Chromium followed the consent form's redirect to the suite's callback",
            sign_in.blocked is None,
            f"Chromium refused it: {sign_in.blocked!r} (CSP form-action 'self' on the consent page; the browser "
            "got there only by opening the authorization URL again)",
        )
    found = results(suite.output)
    check(
        "authorization-code-grant passes (redirect, state, iss, token response with no-store)",
        found.get("authorization-code-grant", (0, 1))[1] == 0 and found.get("authorization-code-grant", (0, 0))[0] > 0,
        f"exit {code}, summary {found}: {failed_checks(suite.output)}",
    )
    check(
        "the suite's full authorization run exits 0 with 0 failed",
        code == 0 and re.search(r"^Total: [1-9]\d* passed, 0 failed$", suite.output, re.M) is not None,
        f"exit {code}, summary {found}",
    )


if __name__ == "__main__":
    if len(sys.argv) != 8:
        sys.exit("usage: conformance_as.py NODE CONFORMANCE_ALPHA ISSUER SERVER_URL USER PASSWORD OUTPUT_DIR")
    try:
        asyncio.run(main(*sys.argv[1:]))
    except BaseException as error:  # noqa: BLE001 - any escape is a failed check, with its trace
        traceback.print_exc()
        check("the conformance run ended", False, repr(error))
    sys.exit(1 if failures else 0)
