"""Compares conformance-suite results (`server -o DIR` output: one `server-<scenario>-<time>/`
folder with a `checks.json` per scenario) of a direct run against the fixture with runs through
mcpcp.

Usage: compare_conformance.py DIRECT_DIR LABEL=VIA_DIR [LABEL=VIA_DIR ...]

Prints, per scenario:
  PASS/FAIL conformance direct: <scenario>          no check of the direct run failed
  PASS/FAIL conformance <label>: <scenario>         every check that succeeded directly also
                                                    succeeded through mcpcp (same id, at least as
                                                    many times)
and one `counts` line per run (SUCCESS / FAILURE / WARNING checks, as the suite totals them).
Exits 1 if any line is a FAIL. Standard library only.
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


def main() -> int:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    direct = load(Path(sys.argv[1]))
    vias = [(label, load(Path(path))) for label, _, path in (arg.partition("=") for arg in sys.argv[2:])]
    failed = 0

    def line(ok: bool, text: str) -> None:
        nonlocal failed
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'} {text}", flush=True)

    if not direct:
        line(False, f"conformance direct: no results in {sys.argv[1]}")
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
