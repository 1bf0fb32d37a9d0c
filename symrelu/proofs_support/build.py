"""Build the proof book: run every claim module, then render its artifacts in memory.

Everything hashed or compared is produced here as bytes keyed by a path
relative to the artifacts folder: ``<module>/<item>--<obligation>.smt2``,
``<module>.json`` and ``.gitignore``. The report is rendered separately
(:mod:`symrelu.proofs_support.report`). Timings go to ``timings.json``, which
is git-ignored and never compared. No timestamps, no absolute paths.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SymreluError
from ..verify import Runner, Verdict
from ..verify.engine.verdict import jsonable
from .coq import CoqRun, check_folder
from .locate import Layout, load_claim_module
from .model import ClaimInfo, ComputedItem, Item, PendingItem, SolverItem

log = logging.getLogger(__name__)

TIMINGS = "timings.json"
COQ_JSON = "coq.json"
GITIGNORE = ".gitignore"
NOT_COMPARED = frozenset({TIMINGS})


def sha256_text(text: str) -> str:
    """sha256 of the UTF-8 bytes of ``text`` (the obligation hash)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dump_json(payload: Any) -> str:
    """Deterministic JSON text: sorted keys, two-space indent, final newline."""
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class ClaimBuild:
    """One claim after its build: statement, items, rendered JSON data and problems found."""

    module: str
    info: ClaimInfo
    items: tuple[Item, ...]
    data: dict[str, Any]
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Book:
    """A whole build: claims, the artifact files (relative path -> text) and timings."""

    claims: tuple[ClaimBuild, ...]
    files: dict[str, str]
    timings: dict[str, str] = field(default_factory=dict)
    coq: CoqRun | None = None

    @property
    def problems(self) -> list[str]:
        coq = [f"coq: {p}" for p in self.coq.problems] if self.coq is not None else []
        return [p for c in self.claims for p in c.problems] + coq

    @property
    def solvers(self) -> list[str]:
        return sorted({s for c in self.claims for s in c.data["solvers"]})


def _obligation_entries(module: str, item: SolverItem) -> tuple[list[dict[str, Any]], dict[str, str], list[str]]:
    entries, files, problems = [], {}, []
    for outcome in item.result.obligations:
        ob = outcome.obligation
        text = ob.to_smtlib()
        rel = f"{module}/{item.name}--{ob.name}.smt2"
        if rel in files:
            raise SymreluError(f"{module}: two obligations would both be written to {rel}")
        files[rel] = text
        entries.append({
            "name": ob.name,
            "file": rel,
            "sha256": sha256_text(text),
            "logic": ob.logic,
            "expected_status": ob.expected,
            "expected_verdict": item.expected.value,
            "verdict": outcome.verdict.value,
            "answers": {a.solver: a.status for a in outcome.answers},
            "agreed": list(outcome.solvers),
            "reason": outcome.reason,
            "witness": jsonable(outcome.witness),
        })
        if outcome.verdict is not item.expected:
            problems.append(
                f"{rel}: verdict {outcome.verdict.value}, expected {item.expected.value}"
                + (f" ({outcome.reason})" if outcome.reason else "")
            )
    return entries, files, problems


def _item_entry(module: str, item: Item) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    base: dict[str, Any] = {"name": item.name, "title": item.title, "expected": item.expected.value, "verdict": item.verdict.value}
    if isinstance(item, PendingItem):
        base.update(kind="pending", via="-", reason=f"pending: {item.waiting_for}", solvers=[], obligations=[])
        return base, {}, []
    if isinstance(item, ComputedItem):
        base.update(kind="computation", via=item.via, reason=item.reason, solvers=[], evidence=jsonable(item.evidence),
                    obligations=[])
        problems = [] if item.verdict is item.expected else [
            f"{module}: computation {item.name}: verdict {item.verdict.value}, expected {item.expected.value}"
            + (f" ({item.reason})" if item.reason else "")
        ]
        return base, {}, problems
    result = item.result.to_dict()
    obligations, files, problems = _obligation_entries(module, item)
    base.update(kind="solver", via=item.via, reason=result["reason"], solvers=result["solvers"],
                witness=result["witness"], details=result["details"], value=result["value"],
                value_squared=result["value_squared"], obligations=obligations)
    if item.verdict is not item.expected and not problems:
        problems.append(f"{module}: item {item.name}: verdict {item.verdict.value}, expected {item.expected.value}")
    return base, files, problems


def claim_verdict(items: Sequence[Item]) -> tuple[str, str]:
    """The claim's verdict: PROVED only when every item is PROVED; pending parts make it UNKNOWN."""
    if any(i.verdict is Verdict.REFUTED for i in items):
        return Verdict.REFUTED.value, "an item was refuted"
    pending = [i.name for i in items if isinstance(i, PendingItem)]
    if pending:
        return Verdict.UNKNOWN.value, "pending: " + ", ".join(pending)
    if all(i.verdict is Verdict.PROVED for i in items):
        return Verdict.PROVED.value, ""
    return Verdict.UNKNOWN.value, "undecided: " + ", ".join(i.name for i in items if i.verdict is not Verdict.PROVED)


def build_claim(module_name: str, info: ClaimInfo, items: Sequence[Item], source: str) -> tuple[ClaimBuild, dict[str, str]]:
    """Render one claim's JSON and ``.smt2`` texts."""
    names = [i.name for i in items]
    if len(set(names)) != len(names):
        raise SymreluError(f"{source}: item names must be unique, got {names}")
    entries, files, problems = [], {}, []
    for item in items:
        entry, item_files, item_problems = _item_entry(module_name, item)
        entries.append(entry)
        files.update(item_files)
        problems += item_problems
    verdict, why = claim_verdict(items)
    solvers = sorted({s for e in entries for o in e["obligations"] for s in o["answers"]})
    data = dict(info.to_dict(), module=source, verdict=verdict, verdict_reason=why, items=entries, solvers=solvers)
    files[f"{module_name}.json"] = dump_json(data)
    return ClaimBuild(module_name, info, tuple(items), data, tuple(problems)), files


def build_book(layout: Layout, runner: Runner, only: Sequence[str] = ()) -> Book:
    """Run every claim module of ``layout`` (or those whose stem starts with one of ``only``)."""
    claims, files, timings = [], {GITIGNORE: f"# written by `symrelu proofs build`: timings are not compared\n{TIMINGS}\n"}, {}
    paths = layout.claim_files()
    if only:
        paths = [p for p in paths if any(p.stem.startswith(o) for o in only)]
        if not paths:
            raise SymreluError(f"no claim module matches {', '.join(only)} in {layout.proofs}")
    for path in paths:
        started = time.perf_counter()
        module = load_claim_module(path)
        log.info("building %s", path.name)
        items = list(module.items(runner))
        claim, claim_files = build_claim(path.stem, module.CLAIM, items, f"proofs/{path.name}")
        clash = set(claim_files) & set(files)
        if clash:
            raise SymreluError(f"{path.name}: artifact paths already used: {', '.join(sorted(clash))}")
        claims.append(claim)
        files.update(claim_files)
        timings[path.stem] = f"{time.perf_counter() - started:.2f}s"
    coq = None
    if layout.coq.is_dir():  # the Coq line of evidence: compiled on every build and check
        started = time.perf_counter()
        idents = tuple(c.info.ident for c in claims) if only else ()
        coq = check_folder(layout.coq, jobs=getattr(runner, "jobs", 2), only=idents)
        files[COQ_JSON] = dump_json(coq.to_dict())
        timings["coq"] = f"{time.perf_counter() - started:.2f}s"
    return Book(tuple(claims), files, timings, coq)


def write_book(book: Book, out: Path, report_path: Path, report_text: str) -> list[Path]:
    """Write the artifacts under ``out`` (removing stale ones of these claims) and the report."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for claim in book.claims:
        folder = out / claim.module
        if folder.is_dir():
            for old in folder.iterdir():
                if old.is_file() and f"{claim.module}/{old.name}" not in book.files:
                    log.info("removing stale artifact %s", old)
                    old.unlink()
    for rel, text in sorted(book.files.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    (out / TIMINGS).write_text(dump_json(book.timings), encoding="utf-8", newline="\n")
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(report_text, encoding="utf-8", newline="\n")
    written.append(report_path)
    return written
