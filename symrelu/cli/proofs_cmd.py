"""``symrelu proofs build|check``: the paper's claims as regenerable, machine-checked artifacts.

``build`` runs every claim module of the repository's ``proofs/`` folder and
writes ``proofs/artifacts/`` (one JSON result per claim, every obligation as
``.smt2``) and ``proofs/REPORT.md``. ``check`` re-runs every committed
``.smt2`` with Z3 and cvc5 and compares the committed files with a fresh build.

Exit codes: 0 all good; 1 a verdict differs from the expected one, or (check)
a stale artifact, a status mismatch or a solver disagreement; 2 bad input
(e.g. no ``proofs/`` folder found).
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .output import emit_json, emit_text

if TYPE_CHECKING:
    from ..verify import Runner

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "proofs", help="build or check the paper's claims as machine-checked artifacts (proofs/)",
        description="Build or check proofs/: the paper's claims C1-C7 as SMT-LIB obligations, exact computations, "
        "JSON results and proofs/REPORT.md.",
    )
    actions = parser.add_subparsers(dest="proofs_action", metavar="ACTION")
    build = actions.add_parser("build", help="run every claim and write proofs/artifacts/ and proofs/REPORT.md")
    build.add_argument("--out", metavar="DIR", help="artifacts folder (default: proofs/artifacts/ of the repository)")
    build.add_argument("--report", metavar="FILE",
                       help="report file (default: proofs/REPORT.md, or DIR/REPORT.md with --out)")
    build.add_argument("--only", metavar="PREFIXES", help="comma-separated claim module prefixes, e.g. c1,c3")
    check = actions.add_parser("check", help="re-run committed .smt2 with Z3 and cvc5; fail on stale artifacts")
    check.add_argument("--ignore-solver-versions", action="store_true",
                       help="accept artifacts built with other Z3/cvc5 versions when nothing else differs")
    for sub in (build, check):
        sub.add_argument("--root", metavar="DIR", help="repository root (default: found from the current folder upward)")
        sub.add_argument("--timeout", type=float, default=60.0, help="seconds per obligation and solver (default 60)")
        sub.add_argument("--jobs", type=int, default=2, help="solver processes in parallel (default 2)")
        sub.add_argument("--json", action="store_true", help="print JSON instead of text")
    coq = actions.add_parser("coq", help="write (and check with coqc) a Coq proof of C1 for a problem file")
    coq.add_argument("problem", help="problem JSON (one hidden layer, scalar output, squared loss, rational data)")
    coq.add_argument("--out", metavar="FILE", help="write the .v file here (default: print it)")
    coq.add_argument("--no-check", action="store_true", help="only write the file; do not run coqc")
    coq.add_argument("--root", metavar="DIR", help="repository root holding proofs/coq (default: found upward)")
    coq.add_argument("--json", action="store_true", help="print JSON instead of text")
    build.set_defaults(handler=handle_build)
    check.set_defaults(handler=handle_check)
    coq.set_defaults(handler=handle_coq)
    parser.set_defaults(handler=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage()
    return 2


def _runner(args: argparse.Namespace, isolate: bool) -> Runner:
    from ..verify import Runner

    """Every solver must decide. Builds run the solvers in this process (the obligations are ours
    and answer in milliseconds; the solvers' own limits apply); re-running committed files, which
    may have been edited, uses worker processes with a hard time limit."""
    return Runner(timeout_s=args.timeout, jobs=args.jobs, require_all=True, isolate=isolate)


def handle_build(args: argparse.Namespace) -> int:
    from ..proofs_support import build_book, find_layout, render_report, write_book

    layout = find_layout(args.root)
    out = Path(args.out) if args.out else layout.artifacts
    report = Path(args.report) if args.report else (out / "REPORT.md" if args.out else layout.report)
    only = tuple(p.strip() for p in (args.only or "").split(",") if p.strip())
    started = time.perf_counter()
    book = build_book(layout, _runner(args, isolate=False), only)
    write_book(book, out, report, render_report(book, report, out))
    elapsed = time.perf_counter() - started
    rows = [(c.data["claim"], c.data["verdict"], c.data["verdict_reason"] or "-") for c in book.claims]
    if args.json:
        emit_json({"claims": [dict(zip(("claim", "verdict", "reason"), r, strict=True)) for r in rows],
                   "problems": book.problems, "out": str(out), "report": str(report)})
    else:
        lines = [f"{claim}: {verdict}" + (f" ({why})" if why != "-" else "") for claim, verdict, why in rows]
        lines += [f"PROBLEM: {p}" for p in book.problems]
        lines.append(f"wrote {len(book.files)} artifact files to {out} and {report} in {elapsed:.1f}s")
        emit_text("\n".join(lines))
    return 1 if book.problems else 0


def handle_check(args: argparse.Namespace) -> int:
    from ..proofs_support import check_book, find_layout

    layout = find_layout(args.root)
    started = time.perf_counter()
    result = check_book(layout, layout.artifacts, layout.report, _runner(args, isolate=True), args.ignore_solver_versions,
                         build_runner=_runner(args, isolate=False))
    elapsed = time.perf_counter() - started
    if args.json:
        emit_json({"ok": result.ok, "problems": list(result.problems), "replayed": result.replayed,
                   "compared": result.compared, "coq_files": result.coq_files, "coqc": result.coq_version})
    else:
        lines = [f"FAIL: {p}" for p in result.problems]
        status = "OK" if result.ok else f"FAILED ({len(result.problems)} problem(s))"
        coq = f"compiled {result.coq_files} Coq files with coqc {result.coq_version}, " if result.coq_version else ""
        lines.append(f"proofs check {status}: re-ran {result.replayed} .smt2 files with every solver, {coq}"
                     f"compared {result.compared} files with a fresh build, in {elapsed:.1f}s")
        emit_text("\n".join(lines))
    return 0 if result.ok else 1


def handle_coq(args: argparse.Namespace) -> int:
    """Write the problem's C1 certificate; unless --no-check, compile it with the library (exit 1 if Coq refuses)."""
    from ..params.problem import load_problem
    from ..proofs_support import find_layout
    from ..proofs_support.certificate import LIBRARY_FILES, c1_certificate, check_certificate

    problem = load_problem(args.problem)
    cert = c1_certificate(problem, Path(args.problem).name)
    if args.out:
        Path(args.out).write_text(cert.text, encoding="utf-8", newline="\n")
    run = None
    if not args.no_check:
        layout = find_layout(args.root)
        library = [(name, (layout.coq / name).read_text(encoding="utf-8")) for name in LIBRARY_FILES]
        run = check_certificate(cert.text, library)
    ok = run is None or not run.problems
    summary = {"parameter": cert.parameter, "neuron": cert.neuron, "data_point": cert.data_point,
               "kink_point": [str(v) for v in cert.kink_point], "out": args.out,
               "coq": None if run is None else {"coqc": run.version, "ok": ok, "problems": list(run.problems)}}
    if args.json:
        emit_json(summary)
    else:
        lines = [] if args.out or run is not None else [cert.text]
        lines.append(f"C1 certificate: kink of hidden neuron {cert.neuron} at data point {cert.data_point}, moving "
                     f"{cert.parameter}; kink point {', '.join(summary['kink_point'])}"
                     + (f"; wrote {args.out}" if args.out else ""))
        if run is not None:
            lines += [f"FAIL: {p}" for p in run.problems]
            lines.append(f"Coq {run.version}: C1 PROVED for this problem" if ok else "Coq: NOT proved")
        emit_text("\n".join(lines))
    return 0 if ok else 1
