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
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from math import isqrt
from typing import TYPE_CHECKING, Any

from ..errors import InputFormatError
from ..exact import format_rational, parse_box, parse_point, parse_rational
from .common import add_policy_argument, cli_terms, is_problem_file, output_folder
from .output import emit_json, emit_text

if TYPE_CHECKING:  # the solvers load only when a check runs
    from ..verify.engine.registry import CheckSpec
    from ..verify.engine.runner import Runner
    from ..verify.engine.verdict import CheckResult

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
SCOPED = {"hessian_bound": "on D", "clarke_bound": "on D", "lipschitz_on_domain": "on D", "input_lipschitz": "on the box"}
"""Checks decided only on the problem's domain D or the network's box: the verdict line says so."""
WIDE = 40
"""Rationals longer than this are shown as a decimal on the terminal (exact in --json)."""


def safety_timeout(text: str) -> float:
    """``--timeout``: positive, finite seconds; values beyond a day are clamped to a day."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive, finite number of seconds")
    from ..verify.engine.solvers import MAX_TIMEOUT_S

    return min(value, MAX_TIMEOUT_S)


def rlimit_argument(text: str) -> int:
    """``--rlimit``: a whole number of Z3 resource units from 1 to 10^12."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of resource units") from None
    from ..verify.engine.solvers import MAX_RLIMIT

    if not 1 <= value <= MAX_RLIMIT:
        raise argparse.ArgumentTypeError(f"{text!r} must be from 1 to {MAX_RLIMIT}")
    return value


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
    parser.add_argument("--timeout", type=safety_timeout, default=120.0,
                        help="wall-clock safety net per obligation and solver, in seconds (default 120); verdicts "
                        "are decided by the deterministic --rlimit budget, a call cut by this net is UNKNOWN")
    parser.add_argument("--rlimit", type=rlimit_argument, default=None,
                        help="deterministic budget: Z3 resource units per obligation (cvc5 gets a fifth as rlimit-per); "
                        "default 10000000 (cvc5 2000000)")
    parser.add_argument("--allow-single-solver", dest="allow_single_solver", action="store_true",
                        help="accept an unsat from one solver when the other gives up (default: a PROVED needs both "
                        "solvers, or a solver and an exact certificate); the single confirmer is named")
    parser.add_argument("--jobs", type=int, default=1, help="solver processes in parallel (default 1)")
    parser.add_argument("--dask", metavar="ADDRESS", help="send the solver calls to a Dask scheduler, e.g. tcp://host:8786 "
                        "(the same verdicts: budgets are deterministic)")
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
    from ..verify.engine.artifacts import write_artifacts
    from ..verify.engine.registry import CheckContext, default_registry
    from ..verify.engine.runner import Runner
    from ..verify.engine.solvers import default_backends
    from ..verify.engine.verdict import Verdict, jsonable

    registry = registry if registry is not None else default_registry()
    policy = getattr(args, "policy", "exact")
    problem = _load_problem(args.subject, policy)
    kind = PAPER if args.subject == PAPER else ("problem" if problem is not None else "network")
    if args.checks == "list":
        rows = [(s.name, s.claim, _applies(s, kind, args.box is not None), s.summary) for s in registry.values()]
        emit_text(f"checks for {args.subject} ({kind}):\n" + _table(("check", "claim", "applies", "what"), rows))
        return 0
    if args.box and kind != "network":
        raise InputFormatError(f"--box is ignored for {'the paper instance' if kind == PAPER else 'a problem file'} "
                               "(its domain D is part of it); leave --box out, or edit the problem's domain")
    specs = _select(args, registry, problem is not None)
    _check_scope(specs, kind)
    options = _options(args)
    network = None
    if problem is None and any(spec.needs in ("network", "network-or-problem") for spec in specs):
        network = load_network(args.subject) if load_network else _load_network(args.subject, policy)
    box = parse_box(args.box, "--box") if args.box else None
    show = not args.json and sys.stderr.isatty()
    status = _Status(show, len(specs))
    client = None
    if getattr(args, "dask", None):
        from ..parallel import dask_client

        client = dask_client(args.dask)
    try:
        runner = runner or Runner(default_backends(getattr(args, "rlimit", None)), timeout_s=args.timeout, jobs=args.jobs,
                                  allow_single_solver=getattr(args, "allow_single_solver", False), client=client,
                                  on_answer=status.answered if show else None)
        context = CheckContext(args.subject, runner, network, problem, box, options)
        results = []
        for index, spec in enumerate(specs, 1):
            status.start(index, spec.name)
            results.append(spec(context))
    finally:
        status.clear()
        if client is not None:
            client.close()
    if args.artifacts:
        write_artifacts(args.artifacts, results)
    if args.json:
        emit_json({"budgets": jsonable(runner.budgets), "checks": [_json_entry(r) for r in results]})
    else:
        emit_text(_report(results))
    return 1 if any(r.verdict is Verdict.UNKNOWN for r in results) else 0


class _Status:
    """The one-line status on a terminal: the check running, and its solver calls answered so far
    (moving as each answer arrives, from processes or Dask workers alike)."""

    def __init__(self, show: bool, total: int) -> None:
        self.show, self.total, self.index, self.name, self.calls = show, total, 0, "", 0

    def _write(self, text: str) -> None:
        if self.show:
            sys.stderr.write(text)
            sys.stderr.flush()

    def start(self, index: int, name: str) -> None:
        self.index, self.name, self.calls = index, name, 0
        self._write(f"\r[{index}/{self.total}] {name} ...\x1b[K")

    def answered(self, _: object) -> None:
        self.calls += 1
        self._write(f"\r[{self.index}/{self.total}] {self.name} ... {self.calls} solver answers\x1b[K")

    def clear(self) -> None:
        self._write("\r\x1b[K")


def _applies(spec: CheckSpec, kind: str, has_box: bool) -> str:
    """Whether ``spec`` runs on this subject, and what it needs otherwise."""
    if not spec.available:
        return "no: not implemented (" + spec.waiting_for + ")"
    if spec.needs == "nothing":
        return "yes" if kind == PAPER else "no: about the paper instance only (symrelu verify paper)"
    if spec.needs == "problem":
        return "yes" if kind in ("problem", PAPER) else "no: needs a problem file"
    if spec.needs == "network":
        if kind != "network":
            return "no: needs a network file"
        return "yes" if has_box else "needs --box"
    if kind == "network" and not has_box:
        return "needs --box"
    return "yes"


def _check_scope(specs: Sequence[CheckSpec], kind: str) -> None:
    """Checks about the paper instance run only on it: never a PROVED for the paper next to a user's file."""
    foreign = [s.name for s in specs if s.needs == "nothing" and kind != PAPER]
    if foreign:
        raise InputFormatError(
            f"check(s) {', '.join(foreign)} are about the paper's instance, not about this file; "
            f"run them with 'symrelu verify paper --checks {','.join(foreign)}'"
        )


def scope_of(result: CheckResult) -> str:
    """"on D" / "on the box" when the verdict was decided only there, else ""."""
    from ..verify.engine.verdict import Verdict

    if result.name in SCOPED:
        return SCOPED[result.name]
    if result.name == "no_global_gradient_lipschitz" and result.verdict is Verdict.REFUTED:
        scope = str(result.details.get("scope", ""))
        return "on the box" if "box" in scope else ("on D" if "domain" in scope else "")
    return ""


def _load_problem(subject: str, policy: str = "exact") -> Any:
    """The paper instance for 'paper', a Problem for a problem file, else None (a network)."""
    from ..params import load_problem, paper_instance

    if subject == PAPER:
        return paper_instance()
    return load_problem(subject, policy=policy) if is_problem_file(subject) else None


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


def _load_network(path: str, policy: str = "exact") -> Any:
    from ..loaders import load_network

    return load_network(path, policy=policy)


def _json_entry(result: CheckResult) -> dict[str, Any]:
    data = result.to_dict()
    entry = {key: data[key] for key in ("name", "verdict", "value", "value_squared", "solvers", "witness", "reason", "details")}
    entry["scope"] = scope_of(result) or "global"
    return entry


def decimal_text(value: Fraction, digits: int = 12) -> str:
    """A decimal of ``value`` rounded toward zero to ``digits`` significant digits, for display only.

    >>> decimal_text(Fraction(1, 3)), decimal_text(Fraction(-22, 7), 4), decimal_text(Fraction(10**50))
    ('0.333333333333', '-3.142', '1.00000000000e+50')
    """
    if value == 0:
        return "0"
    sign, value = ("-" if value < 0 else ""), abs(value)
    exponent = len(str(value.numerator)) - len(str(value.denominator))
    if Fraction(10) ** exponent > value:
        exponent -= 1
    scaled = value / Fraction(10) ** (exponent - digits + 1)
    mantissa = str(scaled.numerator // scaled.denominator)
    if -5 <= exponent < digits:
        point = exponent + 1
        text = (mantissa[:point] + "." + mantissa[point:]) if point > 0 else "0." + "0" * (-point) + mantissa
        return sign + (text.rstrip("0").rstrip(".") if "." in text else text)
    return f"{sign}{mantissa[0]}.{mantissa[1:]}e{exponent:+d}"


def sqrt_decimal(square: Fraction, digits: int = 12) -> str:
    """A decimal of sqrt(square) (integer square roots, no float: huge values are fine), for display only."""
    scale = 10 ** (2 * digits)
    return decimal_text(Fraction(isqrt(square.numerator * scale // square.denominator), 10**digits), digits)


def readable(value: Any) -> str:
    """A rational, vector or mapping as text; rationals longer than :data:`WIDE` become decimals."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, (Fraction, int)):
        text = format_rational(Fraction(value))
        return text if len(text) <= WIDE else f"{decimal_text(Fraction(value))}... [exact: {len(text)} characters, see --json]"
    if isinstance(value, Mapping):
        return ", ".join(f"{k} = {readable(value[k])}" for k in sorted(value, key=str))
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(readable(v) for v in value) + ")"
    return str(value)


def key_figure(result: CheckResult) -> str:
    """The figure shown in the table: the value, or its square, or the Skolem function."""
    if result.value is not None:
        return readable(result.value)
    if result.value_squared is not None:
        square = format_rational(result.value_squared)
        exact = f"sqrt({square}) ~ " if len(square) <= WIDE else ""
        return f"{exact}{sqrt_decimal(result.value_squared)}"
    if result.details.get("value_expression"):
        return str(result.details["value_expression"])
    skolem = result.details.get("skolem")
    return str(skolem) if skolem else "-"


def _report(results: Sequence[CheckResult]) -> str:
    from ..verify.engine.verdict import Verdict

    rows = [
        (r.name, f"{r.verdict.value} {scope_of(r)}".strip(), key_figure(r), f"{r.elapsed_s:.2f}s",
         ", ".join(r.solvers) or "-") for r in results
    ]
    lines = [_table(("check", "verdict", "key figure", "time", "solvers"), rows), ""]
    for r in results:
        if r.witness is not None:
            lines.append(f"{r.name} witness:")
            lines += [f"  {k} = {readable(r.witness[k])}" for k in sorted(r.witness, key=str)]
        if r.reason:
            lines.append(f"{r.name}: {cli_terms(r.reason)}")
        if len(r.solvers) == 1 and r.verdict is Verdict.PROVED and r.solvers[0] != "exact":
            lines.append(f"{r.name}: PROVED by a single solver ({r.solvers[0]}), accepted with --allow-single-solver")
        for label in ("kink", "kink_point", "jump", "witness_family", "activation"):
            if label in r.details and r.details[label] is not None:
                lines.append(f"{r.name} {label}: {readable(r.details[label])}")
    return "\n".join(lines)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    def line(cells: Sequence[str]) -> str:
        return " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()
    return "\n".join([line(header), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows])
