"""Admin SSO end to end: `mcpcp admin login --remote GATEWAY` signs admins in through a real
OpenID Connect provider (oidc_idp.mjs, npm `oidc-provider`) in headless Chromium, then the remote
CLI works with the token it wrote.

    admin_sso_signin.py GATEWAY MCPCP DATA_DIR ISSUER WORK_DIR

alice is an admin by her IdP subject (`admin create alice-admin --sso-subject alice`, holding
auditor): she signs in, confirming on mcpcp's page, which shows the code the command printed;
`mcpcp --remote GATEWAY audit list` works with the token file `admin
login` wrote (0600), and a change is refused. Her second sign-in, cancelled on that page, ends the command with an
error and no token. olga is no admin yet, but her IdP group `platform`
is bound to the role admin (`role bind admin --idp-group platform`): her first sign-in creates the
admin (audited by `system sso`), the token goes to the default file under XDG_CONFIG_HOME, and
`group create` through the remote CLI, which reads it, is audited as olga via api. grace (IdP
group sales, bound to nothing) is refused on mcpcp's page, recorded in the activity log, and
gets no token.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
import subprocess
import sys
import traceback
from typing import Any

from browser_signin import CHROMIUM, CHROMIUM_ARGS, STEP_TIMEOUT
from playwright.async_api import async_playwright

FAILED = 0


def check(name: str, ok: bool, detail: Any = None) -> None:
    global FAILED
    print(("PASS " if ok else "FAIL ") + name + ("" if ok or detail is None else f": {detail!r}"), flush=True)
    if not ok:
        FAILED += 1


def local(binary: str, data: str, *args: str) -> Any:
    """The local CLI on the gateway's data directory, as JSON."""
    out = subprocess.run([binary, "--data-dir", data, "-o", "json", *args], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"mcpcp {' '.join(args)}: {out.stderr.strip()}")
    if args[0] == "logs":  # one JSON object per line
        return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    return json.loads(out.stdout)


def remote(binary: str, gateway: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The remote CLI, with only `env` saying where the token is."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MCPCP_")}
    return subprocess.run(
        [binary, "--remote", gateway, *args], capture_output=True, text=True, timeout=60, env={**clean, **env}
    )


class Login:
    """`mcpcp admin login` running as a subprocess: the URL it printed, then its outcome."""

    def __init__(self, binary: str, gateway: str, args: list[str], env: dict[str, str]) -> None:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("MCPCP_")}
        self.proc = subprocess.Popen(
            [binary, "--remote", gateway, *args, "admin", "login", "--wait", "120"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**clean, **env},
        )
        self.seen: list[str] = []

    def url(self) -> str:
        assert self.proc.stderr is not None
        url = ""
        for _ in range(20):
            line = self.proc.stderr.readline()
            if not line:
                break
            self.seen.append(line)
            if "/api/v1/login?" in line:
                url = line.strip()
            if "shows the code" in line:
                # read here: communicate() reads past what readline() buffered
                return url
        raise RuntimeError(f"admin login printed no sign-in URL: {self.seen}")

    def finish(self, timeout: float = 30) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, "".join(self.seen) + err

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.communicate(timeout=10)


async def browser_flow(browser: Any, url: str, account: str, decision: str = "allow") -> tuple[list[str], str, str]:
    """Opens `url` in a fresh context and signs `account` in at the IdP (login, consent), answers
    mcpcp's confirmation page with `decision`, until a page that is none of those: the CLI's
    loopback page or mcpcp's refusal. Returns the pages seen, the text of the last one and the
    code the confirmation page showed."""
    context = await browser.new_context()
    seen: list[str] = []
    shown = ""
    try:
        page = await context.new_page()
        await page.goto(url)
        for _ in range(8):
            await page.wait_for_load_state("domcontentloaded")
            if await page.locator("input[name=login]").count():
                seen.append("idp-login")
                await page.locator("input[name=login]").fill(account)
                await page.locator("input[name=password]").fill("any-password")
                async with page.expect_navigation(timeout=STEP_TIMEOUT * 1000):
                    await page.locator("button[type=submit]").click()
            elif await page.locator('form[action="/sso/admin-login/confirm"]').count():
                seen.append("mcpcp-confirm")
                shown = (await page.inner_text("#code")).strip()
                async with page.expect_navigation(timeout=STEP_TIMEOUT * 1000):
                    await page.locator(f"button[value={decision}]").click()
            elif await page.locator("button[type=submit]").count():
                seen.append("idp-consent")
                async with page.expect_navigation(timeout=STEP_TIMEOUT * 1000):
                    await page.locator("button[type=submit]").click()
            else:
                seen.append(page.url.split("?")[0])
                return seen, (await page.inner_text("body")).strip(), shown
        raise RuntimeError(f"the sign-in did not end (seen {seen}, at {page.url})")
    finally:
        await context.close()


def token_file_ok(path: str) -> tuple[bool, Any]:
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        with open(path) as f:
            token = f.read().strip()
    except OSError as e:
        return False, str(e)
    return mode == 0o600 and token.startswith("mcpcpa_"), (oct(mode), token[:10])


async def main() -> None:
    gateway, binary, data, issuer, work = sys.argv[1:6]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # alice: an admin by her IdP subject, with --admin-token-file.
            alice_file = os.path.join(work, "alice.token")
            login = Login(binary, gateway, ["--admin-token-file", alice_file], {})
            try:
                url = login.url()
                check("admin login prints the gateway's /api/v1/login URL with a loopback redirect", url.startswith(f"{gateway}/api/v1/login?redirect_uri=http%3A%2F%2F127.0.0.1%3A") and "code_challenge_method=S256" in url, url)
                seen, text, shown = await browser_flow(browser, url, "alice")
                code, out, err = login.finish()
            finally:
                login.stop()
            check("alice went through the IdP's login and consent and mcpcp's confirmation to the CLI's loopback page", seen[:3] == ["idp-login", "idp-consent", "mcpcp-confirm"] and seen[-1].startswith("http://127.0.0.1:") and "You are signed in" in text, (seen, text))
            check("the confirmation page shows the code admin login printed", len(shown) == 9 and f"shows the code {shown}." in err, (shown, err))
            check("admin login exits 0 and names the admin", code == 0 and "alice-admin" in out, (code, out, err))
            ok, detail = token_file_ok(alice_file)
            check("the token file is written, readable by its owner only", ok, detail)
            r = remote(binary, gateway, {}, "--admin-token-file", alice_file, "-o", "json", "audit", "list")
            rows = json.loads(r.stdout) if r.returncode == 0 else []
            check("mcpcp --remote audit list works with alice's token", r.returncode == 0 and len(rows) > 0, (r.returncode, r.stderr))
            logins = [e for e in rows if e.get("action") == "admin.login"]
            check(
                "the sign-in is in the audit trail as alice-admin via sso",
                [(e["actor"]["name"], e["actor"]["via"]) for e in logins] == [("alice-admin", "sso")],
                logins,
            )
            r = remote(binary, gateway, {}, "--admin-token-file", alice_file, "user", "create", "zed")
            check("alice (auditor) is refused a change", r.returncode != 0 and "user.manage" in r.stderr, (r.returncode, r.stderr))

            # alice again, cancelling at mcpcp's confirmation page: the CLI stops at once, no token.
            cancelled_file = os.path.join(work, "alice-cancelled.token")
            login = Login(binary, gateway, ["--admin-token-file", cancelled_file], {})
            try:
                seen, text, _ = await browser_flow(browser, login.url(), "alice", decision="cancel")
                code, out, err = login.finish()
            finally:
                login.stop()
            check("a sign-in cancelled at the confirmation page ends admin login with an error", code != 0 and "cancelled in the browser" in err and "mcpcp-confirm" in seen, (seen, code, err))
            check("a cancelled sign-in writes no token file", not os.path.exists(cancelled_file))
            tokens = local(binary, data, "admin", "token", "list", "alice-admin")
            check("a cancelled sign-in issues no token", len(tokens) == 1, tokens)

            # olga: created on first sign-in from her IdP group; the default token file.
            xdg = {"XDG_CONFIG_HOME": os.path.join(work, "olga-config")}
            check("olga is not an admin before her first sign-in", all(a["name"] != "olga" for a in local(binary, data, "admin", "list")))
            login = Login(binary, gateway, [], xdg)
            try:
                seen, text, _ = await browser_flow(browser, login.url(), "olga")
                code, out, err = login.finish()
            finally:
                login.stop()
            check("olga's sign-in ends on the CLI's page and admin login exits 0", "You are signed in" in text and code == 0, (seen, text, code, err))
            default_file = os.path.join(xdg["XDG_CONFIG_HOME"], "mcpcp", "admin-token")
            ok, detail = token_file_ok(default_file)
            check("without --admin-token-file the token goes to XDG_CONFIG_HOME/mcpcp/admin-token (0600)", ok, detail)
            olga = local(binary, data, "admin", "show", "olga")
            check("olga was created on first sign-in with her IdP subject and no role of her own", olga.get("sso_subject") == f"{issuer}|olga" and olga.get("bindings") == [], olga)
            tokens = [t for t in local(binary, data, "admin", "token", "list", "olga")]
            check("olga's token is a 12 h sign-in token carrying her IdP group", len(tokens) == 1 and tokens[0].get("sign_in") == "sso" and tokens[0].get("idp_groups") == ["platform"] and tokens[0].get("expires_at"), tokens)
            r = remote(binary, gateway, xdg, "group", "create", "oncall")
            check("the remote CLI reads the default token file: olga (admin through platform) creates a group", r.returncode == 0, (r.returncode, r.stderr))
            audit = local(binary, data, "audit", "list")
            created = [e for e in audit if e.get("action") == "admin.create" and e["resource"]["name"] == "olga"]
            check("olga's creation is audited by system sso", [(e["actor"]["kind"], e["actor"]["name"]) for e in created] == [("system", "sso")], created)
            server = [e for e in audit if e.get("action") == "group.create" and e["resource"]["name"] == "oncall"]
            check(
                "the group's creation is audited as olga via api with her token's prefix",
                len(server) == 1 and server[0]["actor"]["kind"] == "admin" and server[0]["actor"]["name"] == "olga"
                and server[0]["actor"]["via"] == "api" and server[0]["actor"].get("token") == tokens[0]["prefix"],
                server,
            )

            # grace: neither subject nor bound group.
            grace_file = os.path.join(work, "grace.token")
            login = Login(binary, gateway, ["--admin-token-file", grace_file], {})
            try:
                seen, text, _ = await browser_flow(browser, login.url(), "grace")
            finally:
                login.stop()
            check("grace is refused on mcpcp's page: not an administrator", "not an administrator" in text and "/sso/callback" in seen[-1], (seen, text))
            check("grace got no token file", not os.path.exists(grace_file))
            check("grace is not an admin", all(a["name"] != "grace" for a in local(binary, data, "admin", "list")))
            records = local(binary, data, "logs", "tail", "-n", "50", "--type", "admin_sign_in")
            outcome = sorted((r.get("principal"), r.get("status"), r.get("http_status")) for r in records)
            check(
                "the activity log records the four admin sign-ins, the cancelled one and grace's refused with 403",
                outcome == [("alice-admin", "failure", 403), ("alice-admin", "success", 200), ("grace", "failure", 403), ("olga", "success", 200)],
                outcome,
            )
        finally:
            await browser.close()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception:
        traceback.print_exc()
        check("the admin SSO check ran to the end", False)
    sys.exit(1 if FAILED else 0)
