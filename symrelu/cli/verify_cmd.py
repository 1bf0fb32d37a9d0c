"""``symrelu verify``: run checks, print a table (or JSON), optionally write SMT-LIB artifacts.

Exit code: 0 when every check gave PROVED or REFUTED, 1 when any is UNKNOWN,
2 on bad input (including asking for a check that is not implemented).
``paper`` as NET_OR_PROBLEM runs the checks about the paper's instance; a
problem file (JSON with ``network`` and ``data``) runs :data:`PROBLEM_CHECKS`;
a network file with ``--box`` runs :data:`NETWORK_CHECKS`.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InputFormatError
from ..exact import format_rational, parse_box, parse_point, parse_rational, rational_sqrt_text
from .common import add_policy_argument, is_problem_file, output_folder
from .output import emit_json, emit_text

if TYPE_CHECKING:  # the solvers load only when a check runs
    from ..verify.registry import CheckSpec
    from ..verify.runner import Runner
    from ..verify.verdict import CheckResult

log = logging.getLogger(__name__)

PAPER = "paper"
PAPER_CHECKS = (
    "no_global_gradient_lipschitz_paper",
    "no_global_gradient_lipschitz_family",
    "gd_amplification_unbounded",
    "subgradient_stability_bound",
)
PROBLEM_CHECKS = ("no_global_gradient_lipschitz", "hessian_bound", "clarke_bound", "lipschitz_on_domain")
"""A finite Hessian bound next to "no gradient-Lipschitz constant" is the paper's point (C1 + C2), then C5."""
NETWORK_CHECKS = ("no_global_gradient_lipschitz", "input_lipschitz")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify", help="prove or refute claims with Z3 and cvc5",
        description="Run verification checks; every verdict is PROVED, REFUTED (with an exactly replayed "
        "witness) or UNKNOWN (with the reason). Use 'paper' as NET_OR_PROBLEM for the paper's instance.",
    )
    parser.add_argument("subject", metavar="NET_OR_PROBLEM", help="network or problem file, or 'paper'")
    add_policy_argument(parser)
    parser.add_argument("--box", help="input box LO:HI,... (one interval per input; write --box=-1:1 when it starts with '-')")
    parser.add_argument("--checks", help="comma-separated check names (default: all that apply); 'list' lists them")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per obligation and solver (default 60)")
    parser.add_argument("--jobs", type=int, default=1, help="solver processes in parallel (default 1)")
    parser.add_argument("--artifacts", metavar="DIR", type=output_folder, help="write every obligation as .smt2 plus summary.json")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--lipschitz", help="input_lipschitz: the constant K to certify (rational)")
    parser.add_argument("--lipschitz-squared", dest="lipschitz_squared", help="input_lipschitz: K^2 instead of K")
    parser.add_argument("--norm", default="2", choices=("1", "2", "inf"), help="input norm p (default 2)")
    parser.add_argument("--output", type=int, help="output index for multi-output networks")
    parser.add_argument("--tight-pair", dest="tight_pair", help="input_lipschitz tightness pair X;X' e.g. '0,1;1,1'")
    parser.add_argument("--eta", default="1/10", help="step size (default 1/10)")
    parser.add_argument("--G", dest="G", help="subgradient bound G (rational)")
    parser.add_argument("--G-squared", dest="G_squared", help="subgradient bound as G^2 (default 2 for 'paper')")
    parser.add_argument("--steps", type=int, default=10, help="subgradient_stability_bound: steps T (default 10)")
    parser.add_argument("--hessian-bound-squared", dest="hessian_bound_squared",
                        help="hessian_bound: a candidate bound on ||H||^2 to prove (needed when a Hessian is not constant)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    return run_verify(args)


def run_verify(
    args: argparse.Namespace,
    registry: Mapping[str, CheckSpec] | None = None,
    load_network: Callable[[str], Any] | None = None,
    runner: Runner | None = None,
) -> int:
    """The command's body; the registry, network loader and runner can be injected (tests)."""
    from ..verify.artifacts import write_artifacts
    from ..verify.registry import CheckContext, default_registry
    from ..verify.runner import Runner
    from ..verify.verdict import Verdict

    registry = registry if registry is not None else default_registry()
    if args.checks == "list":
        rows = [(s.name, s.claim, "yes" if s.available else "no: " + s.waiting_for, s.summary) for s in registry.values()]
        emit_text(_table(("check", "claim", "available", "what"), rows))
        return 0
    problem = _load_problem(args.subject)
    specs = _select(args, registry, problem is not None)
    options = _options(args)
    runner = runner or Runner(timeout_s=args.timeout, jobs=args.jobs)
    network = None
    if problem is None and any(spec.needs in ("network", "network-or-problem") for spec in specs):
        network = (load_network or _load_network)(args.subject)
    box = parse_box(args.box) if args.box else None
    context = CheckContext(args.subject, runner, network, problem, box, options)
    results = [spec(context) for spec in specs]
    if args.artifacts:
        write_artifacts(args.artifacts, results)
    if args.json:
        emit_json({"checks": [_json_entry(r) for r in results]})
    else:
        emit_text(_report(results))
    return 1 if any(r.verdict is Verdict.UNKNOWN for r in results) else 0


def _load_problem(subject: str) -> Any:
    """The paper instance for 'paper', a Problem for a problem file, else None (a network)."""
    from ..params import load_problem, paper_instance

    if subject == PAPER:
        return paper_instance()
    return load_problem(subject) if is_problem_file(subject) else None


def _select(args: argparse.Namespace, registry: Mapping[str, CheckSpec], is_problem: bool = False) -> list[CheckSpec]:
    if args.checks:
        names = [n.strip() for n in args.checks.split(",") if n.strip()]
        unknown = [n for n in names if n not in registry]
        if unknown or not names:
            raise InputFormatError(
                f"unknown check(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(sorted(registry))}"
            )
        specs = [registry[n] for n in names]
        for spec in specs:
            spec.require_available()
        return specs
    if args.subject == PAPER:
        return [registry[n] for n in PAPER_CHECKS if n in registry and registry[n].available]
    defaults = PROBLEM_CHECKS if is_problem else NETWORK_CHECKS
    chosen = [registry[n] for n in defaults if n in registry and registry[n].available]
    if not chosen:
        raise InputFormatError("no implemented check applies; see --checks list")
    return chosen


def _options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {
        "lipschitz": args.lipschitz, "lipschitz_squared": args.lipschitz_squared, "norm": args.norm,
        "output": args.output, "eta": parse_rational(args.eta, "--eta"), "G": args.G, "G_squared": args.G_squared,
        "steps": args.steps, "hessian_bound_squared": getattr(args, "hessian_bound_squared", None),
    }
    if args.subject == PAPER and args.G is None and args.G_squared is None:
        options["G_squared"] = "2"  # the paper instance on D = [-1, 1]^2 (claim C5)
    if args.tight_pair:
        parts = args.tight_pair.split(";")
        if len(parts) != 2:
            raise InputFormatError(f"--tight-pair {args.tight_pair!r} must be two points X;X', e.g. '0,1;1,1'")
        options["tight_pair"] = (parse_point(parts[0], "--tight-pair x"), parse_point(parts[1], "--tight-pair x'"))
    return options


def _load_network(path: str) -> Any:
    from ..loaders import load_network  # lazy: written in parallel

    return load_network(path)


def _json_entry(result: CheckResult) -> dict[str, Any]:
    data = result.to_dict()
    return {key: data[key] for key in ("name", "verdict", "value", "value_squared", "solvers", "witness", "reason", "details")}


def key_figure(result: CheckResult) -> str:
    """The figure shown in the table: the value, or its square, or the Skolem function."""
    if result.value is not None:
        return format_rational(result.value)
    if result.value_squared is not None:
        return f"sqrt({format_rational(result.value_squared)}) ~ {rational_sqrt_text(result.value_squared)}"
    if result.details.get("value_expression"):
        return str(result.details["value_expression"])
    skolem = result.details.get("skolem")
    return str(skolem) if skolem else "-"


def _report(results: Sequence[CheckResult]) -> str:
    from ..verify.verdict import jsonable

    rows = [
        (r.name, r.verdict.value, key_figure(r), f"{r.elapsed_s:.2f}s", ", ".join(r.solvers) or "-") for r in results
    ]
    lines = [_table(("check", "verdict", "key figure", "time", "solvers"), rows), ""]
    for r in results:
        if r.witness is not None:
            lines.append(f"{r.name} witness: {jsonable(r.witness)}")
        if r.reason:
            lines.append(f"{r.name}: {r.reason}")
        for label in ("kink", "kink_point", "jump", "witness_family"):
            if label in r.details and r.details[label] is not None:
                lines.append(f"{r.name} {label}: {jsonable(r.details[label])}")
    return "\n".join(lines)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    def line(cells: Sequence[str]) -> str:
        return " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
    return "\n".join([line(header), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows])
