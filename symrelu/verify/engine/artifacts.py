"""Write obligations as ``.smt2`` files and a JSON summary, byte-identical when rebuilt.

No timestamps, no absolute paths, sorted keys; solver names (with versions)
are the only environment-dependent text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .verdict import CheckResult


def summary(results: Sequence[CheckResult]) -> dict[str, Any]:
    """The JSON summary: every check and its obligations with each solver's answer."""
    checks = []
    for result in results:
        entry = result.to_dict()
        entry["obligations"] = [
            {
                "name": o.obligation.name,
                "file": f"obligations/{o.obligation.filename}",
                "expected": o.obligation.expected,
                "logic": o.obligation.logic,
                "verdict": o.verdict.value,
                "answers": {a.solver: a.status for a in o.answers},
            }
            for o in result.obligations
        ]
        checks.append(entry)
    return {"checks": checks}


def write_artifacts(directory: str | Path, results: Sequence[CheckResult]) -> list[Path]:
    """Write ``obligations/*.smt2`` and ``summary.json`` under ``directory``; return the paths."""
    root = Path(directory)
    folder = root / "obligations"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        for outcome in result.obligations:
            path = folder / outcome.obligation.filename
            path.write_text(outcome.obligation.to_smtlib(), encoding="utf-8", newline="\n")
            written.append(path)
    path = root / "summary.json"
    path.write_text(json.dumps(summary(results), indent=2, sort_keys=True) + "\n", encoding="utf-8", newline="\n")
    written.append(path)
    return written
