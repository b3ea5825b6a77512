"""Compares conformance-suite results (`server -o DIR` output: one `server-<scenario>-<time>/`
folder with a `checks.json` per scenario) of a direct run against the fixture with runs through
mcpcp.

Usage: compare_conformance.py [--require SCENARIO ...] DIRECT_DIR LABEL=VIA_DIR [LABEL=VIA_DIR ...]

--require SCENARIO: the scenario must have run directly (a FAIL line otherwise), so a suite that
stops running it cannot pass unnoticed.

Prints, per scenario:
  PASS/FAIL conformance direct: <scenario>          no check of the direct run failed
  PASS/FAIL conformance <label>: <scenario>         every check that succeeded directly also
                                                    succeeded through mcpcp (same id, at least as
                                                    many times)
and one `counts` line per run (SUCCESS / FAILURE / WARNING checks, as the suite totals them).
Exits 1 if any line is a FAIL. Standard library only.

One exception, for runs through mcpcp to a stdio upstream only (a label containing "stdio"), and
only where the run itself shows why (`answered_whole`): server-sse-polling tests a server that
answers `test_reconnection` on an SSE stream, closes that stream before the response and resumes
it. A stdio upstream has no stream to close: its answer is the first and only thing it sends, so
mcpcp answers whole (one event, or `application/json`), with no priming event and no `retry`,
because nothing is there to resume and mcpcp promises no resumption it cannot serve; the suite
then records the response as received on the POST stream. The priming, retry and resume checks
are waived for that case only. Resumption toward clients, which mcpcp does for every upstream
when an answer is streamed, is checked by tests/it/gateway/resume.rs.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

# server-<scenario>-2026-11-28T05-13-58-361Z
FOLDER = re.compile(r"^server-(?P<scenario>.+)-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$")


def load(run_dir: Path) -> dict[str, list[dict]]:
    """scenario name → its checks (the newest folder wins if a scenario ran twice)."""
    runs: dict[str, list[dict]] = {}
    for folder in sorted(run_dir.iterdir()):
        match = FOLDER.match(folder.name)
        checks = folder / "checks.json"
        if match and checks.is_file():
            runs[match["scenario"]] = json.loads(checks.read_text())
    return runs


def counts(run: dict[str, list[dict]]) -> Counter:
    return Counter(check["status"] for checks in run.values() for check in checks)


def describe(checks: list[dict], check_id: str) -> str:
    """Statuses and messages of one check id, for a FAIL line."""
    found = [c for c in checks if c["id"] == check_id]
    if not found:
        return "missing"
    parts = []
    for c in found:
        why = c.get("errorMessage") or (c.get("details") or {}).get("message")
        parts.append(f"{c['status']} ({why})" if why else c["status"])
    return "; ".join(parts)


# scenario → the checks a stdio upstream cannot take part in, when the run shows the answer came whole.
STDIO_NOT_APPLICABLE = {
    "server-sse-polling": {"server-sse-priming-event", "server-sse-retry-field", "server-sse-disconnect-resume"},
}


def answered_whole(checks: list[dict]) -> bool:
    """The suite's own record that the answer came whole on the POST: as JSON, or on an SSE stream
    that carried the response and nothing to resume from (no event id)."""
    for c in checks:
        details = c.get("details") or {}
        if c["id"] == "server-sse-content-type" and c["status"] == "INFO":
            return True
        if c["id"] == "stream-closed" and details.get("receivedToolResponse") and not details.get("lastEventId"):
            return True
    return False


def main() -> int:
    args = sys.argv[1:]
    required = []
    while len(args) >= 2 and args[0] == "--require":
        required.append(args[1])
        args = args[2:]
    if len(args) < 2:
        sys.exit(__doc__)
    direct = load(Path(args[0]))
    vias = [(label, load(Path(path))) for label, _, path in (arg.partition("=") for arg in args[1:])]
    failed = 0

    def line(ok: bool, text: str) -> None:
        nonlocal failed
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'} {text}", flush=True)

    if not direct:
        line(False, f"conformance direct: no results in {args[0]}")
    for scenario in required:
        if scenario not in direct:
            line(False, f"conformance direct: {scenario}: required scenario did not run")
    for scenario, checks in sorted(direct.items()):
        bad = [f"{c['id']}: {c.get('errorMessage', '')}" for c in checks if c["status"] == "FAILURE"]
        line(not bad, f"conformance direct: {scenario}" + (f": {bad}" if bad else ""))

    for label, via in vias:
        for scenario, checks in sorted(direct.items()):
            wanted = Counter(c["id"] for c in checks if c["status"] == "SUCCESS")
            through = via.get(scenario)
            if through is None:
                line(False, f"conformance {label}: {scenario}: scenario missing from the run through mcpcp")
                continue
            got = Counter(c["id"] for c in through if c["status"] == "SUCCESS")
            lost = [cid for cid, n in wanted.items() if got[cid] < n]
            if "stdio" in label and answered_whole(through):
                exempt = STDIO_NOT_APPLICABLE.get(scenario, set())
                waived = [cid for cid in lost if cid in exempt]
                lost = [cid for cid in lost if cid not in exempt]
                if waived:
                    print(f"NOTE conformance {label}: {scenario}: answered whole (stdio upstream), "
                          f"not applicable: {', '.join(waived)}", flush=True)
            detail = "; ".join(f"{cid}: direct SUCCESS, via mcpcp {describe(through, cid)}" for cid in lost)
            line(not lost, f"conformance {label}: {scenario}" + (f": {detail}" if lost else ""))

    for label, run in [("direct", direct), *vias]:
        c = counts(run)
        print(
            f"conformance counts {label}: {c['SUCCESS']} passed, {c['FAILURE']} failed, "
            f"{c['WARNING']} warnings ({len(run)} scenarios)",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
