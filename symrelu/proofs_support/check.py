"""``symrelu proofs check``: re-run the committed ``.smt2`` files and compare with a fresh build.

Problems are collected (never stop at the first) as one-line messages that
name the file:

* a committed obligation whose sha256 differs from the one its claim JSON
  records, whose ``:status`` differs from the expected status, or that is
  missing / not listed by any claim;
* a solver whose answer differs from the expected status, solvers that
  disagree, a solver that does not decide, a sat model that does not replay;
* a committed file (JSON, ``.smt2``, report) that differs from a fresh build
  (stale artifacts), or a fresh build whose verdicts differ from the expected ones.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import z3

from ..errors import SolverError, SymreluError
from ..verify import Runner, Verdict
from .build import NOT_COMPARED, Book, build_book, sha256_text
from .locate import Layout
from .report import render_report
from .solving import SmtFile, exact_replay

log = logging.getLogger(__name__)

_VERSION = re.compile(r"\b(z3|cvc5) \d+(\.\d+)+\b")


@dataclass(frozen=True)
class CheckReport:
    """What ``check`` found: the problems (empty: all good) and how many files were re-run."""

    problems: tuple[str, ...]
    replayed: int
    compared: int
    coq_files: int = 0
    coq_version: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _committed_obligations(layout: Layout, artifacts: Path) -> tuple[list[SmtFile], list[str]]:
    files, problems, listed = [], [], set()
    for path in layout.claim_files():
        claim_json = artifacts / f"{path.stem}.json"
        if not claim_json.is_file():
            problems.append(f"{claim_json.name}: missing (claim module proofs/{path.name} has no committed result); "
                            "run `symrelu proofs build`")
            continue
        try:
            data = json.loads(claim_json.read_text(encoding="utf-8"))
            obligations = [ob for item in data["items"] for ob in item["obligations"]]
        except (ValueError, KeyError, TypeError) as err:
            problems.append(f"{claim_json.name}: not a claim result ({err}); run `symrelu proofs build`")
            continue
        for ob in obligations:
            rel = ob.get("file", "?")
            listed.add(rel)
            smt = artifacts / rel
            if not smt.is_file():
                problems.append(f"{rel}: missing (listed in {claim_json.name})")
                continue
            text = smt.read_text(encoding="utf-8")
            if sha256_text(text) != ob.get("sha256"):
                problems.append(f"{rel}: sha256 differs from the one recorded in {claim_json.name} (file edited?)")
            try:
                item = SmtFile.read(rel, text, ob.get("expected_status", "?"))
            except SymreluError as err:
                problems.append(f"{rel}: {err}")
                continue
            if item.declared_status != item.expected:
                problems.append(f"{rel}: the file declares :status {item.declared_status}, "
                                f"but {claim_json.name} expects {item.expected}")
            try:
                z3.parse_smt2_string(text, ctx=z3.Context())
            except z3.Z3Exception as err:
                problems.append(f"{rel}: z3 cannot parse it ({err})")
                continue
            files.append(item)
    for smt in sorted(artifacts.rglob("*.smt2")):
        rel = smt.relative_to(artifacts).as_posix()
        if rel not in listed:
            problems.append(f"{rel}: not listed by any claim result (stale file?); run `symrelu proofs build`")
    return files, problems


def _replay(files: Sequence[SmtFile], runner: Runner) -> list[str]:
    try:
        outcomes = runner.run(files, exact_replay)  # type: ignore[arg-type]
    except SolverError:
        if len(files) == 1:
            raise
        problems = []
        for single in files:
            try:
                problems += _replay([single], runner)
            except SolverError as err:
                problems.append(f"{single.name}: a solver could not read it ({err})")
        return problems
    problems = []
    for outcome in outcomes:
        item: Any = outcome.obligation  # an SmtFile: the text as committed
        said = {a.solver: a.status for a in outcome.answers}
        decided = {s for s in said.values() if s != "unknown"}
        if len(decided) > 1:
            problems.append(f"{item.name}: SOLVERS DISAGREE ({', '.join(f'{k} says {v}' for k, v in said.items())})")
            continue
        for answer in outcome.answers:
            if answer.status == "unknown":
                problems.append(f"{item.name}: {answer.solver} did not decide ({answer.reason or 'unknown'}); "
                                f"expected {item.expected}")
            elif answer.status != item.expected:
                problems.append(f"{item.name}: expected {item.expected}, {answer.solver} says {answer.status}")
        if decided == {item.expected} and outcome.verdict is not Verdict.PROVED and not any(
            a.status == "unknown" for a in outcome.answers
        ):
            problems.append(f"{item.name}: {outcome.reason}")
    return problems


def _first_difference(old: str, new: str) -> str:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
        if a != b:
            return f"line {number}: committed {a.strip()[:70]!r}, fresh {b.strip()[:70]!r}"
    return f"committed has {len(old_lines)} lines, fresh build {len(new_lines)}"


def _compare(name: str, committed: str | None, fresh: str, ignore_versions: bool) -> str | None:
    if committed == fresh:
        return None
    if committed is None:
        return f"{name}: missing; a fresh build writes it (run `symrelu proofs build`)"
    if _VERSION.sub(r"\1 *", committed) == _VERSION.sub(r"\1 *", fresh):
        if ignore_versions:
            return None
        return (f"{name}: built with other solver versions ({_first_difference(committed, fresh)}); "
                "rebuild with `symrelu proofs build` or pass ignore_solver_versions=True")
    return f"{name}: STALE, differs from a fresh build ({_first_difference(committed, fresh)}); run `symrelu proofs build`"


def compare_with_fresh(book: Book, artifacts: Path, report_path: Path, ignore_versions: bool = False) -> list[str]:
    """Compare a fresh in-memory build with the files on disk."""
    problems = [f"fresh build: {p}" for p in book.problems]
    for rel, text in sorted(book.files.items()):
        path = artifacts / rel
        committed = path.read_text(encoding="utf-8") if path.is_file() else None
        message = _compare(rel, committed, text, ignore_versions)
        if message:
            problems.append(message)
    produced = set(book.files)
    for path in sorted(p for p in artifacts.rglob("*") if p.is_file()):
        rel = path.relative_to(artifacts).as_posix()
        if rel not in produced and rel not in NOT_COMPARED and not rel.endswith(".smt2"):
            problems.append(f"{rel}: not produced by a fresh build (stale file?); delete it or run `symrelu proofs build`")
    committed_report = report_path.read_text(encoding="utf-8") if report_path.is_file() else None
    message = _compare(report_path.name, committed_report, render_report(book, report_path, artifacts), ignore_versions)
    if message:
        problems.append(message)
    return problems


def check_book(
    layout: Layout,
    artifacts: Path,
    report_path: Path,
    runner: Runner,
    ignore_versions: bool = False,
    build_runner: Runner | None = None,
) -> CheckReport:
    """Re-run every committed obligation with every solver (``runner``, which should isolate: the
    files may have been edited), then compare with a fresh build (``build_runner``, default ``runner``)."""
    if not artifacts.is_dir():
        return CheckReport((f"{artifacts.name}: no artifacts folder; run `symrelu proofs build`",), 0, 0)
    files, problems = _committed_obligations(layout, artifacts)
    if files:
        problems += _replay(files, runner)
    book = build_book(layout, build_runner or runner)
    problems += compare_with_fresh(book, artifacts, report_path, ignore_versions)
    coq_files = sum(1 for f in book.coq.files if f.status == "compiled") if book.coq is not None else 0
    return CheckReport(tuple(problems), len(files), len(book.files) + 1, coq_files,
                       book.coq.version if book.coq is not None else None)
