"""``symrelu train PROBLEM --init ... --lr 1/10 --steps 50``: exact training trajectories and amplification."""

from __future__ import annotations

import argparse
import logging
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..errors import InputFormatError
from ..exact import format_rational, parse_rational, rational_sqrt_text
from .common import PROBLEM_HELP, add_display_arguments, add_policy_argument, plot_path, progress_bar
from .output import INLINE_DIGITS, Display, emit_json, emit_text

if TYPE_CHECKING:
    from ..params.problem import Problem
    from ..params.trajectory import Rule, Trajectory

log = logging.getLogger(__name__)


def _steps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InputFormatError(f"--steps: {text!r} is not a whole number") from None
    from ..params.trajectory import MAX_STEPS

    if not 0 <= value <= MAX_STEPS:
        raise InputFormatError(f"--steps: {value} must lie between 0 and {MAX_STEPS} (exact iterates grow with every step)")
    return value


COLUMNS_HELP = """columns of the per-step table:
  t        step number (0 is the initial point)
  pattern  the activation region of θ_t: one bit per ReLU switch, per data point and layer
           (1 = pre-activation > 0); a pattern with * marks switches that sit exactly at 0
  kink?    yes when θ_t lies exactly on a kink (a region boundary, where ℓ is not differentiable)
  cross    YES when θ moved and the step from θ_{t-1} to θ_t changed region or landed on a kink
  loss     the exact loss ℓ(θ_t)
  dist²    the squared distance from θ_t to the nearest kink of its region (exact for affine
           switches; "(≥)" marks a lower bound proved by Z3; ∞ when there is no switch)
  θ        the iterate itself
With --float the run is float64; each row is taken at the exact value of the float iterate, so
its pattern, kink distance and crossings are exact facts about that point."""


def _beta(text: str) -> Fraction:
    kind, _, value = text.partition(":")
    if kind != "softplus" or not value:
        raise InputFormatError(f"--surrogate: {text!r} must look like softplus:BETA, e.g. softplus:8")
    beta = parse_rational(value, "--surrogate beta")
    if beta <= 0:
        raise InputFormatError(f"--surrogate: beta {value!r} must be a positive rational")
    return beta


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="exact gradient descent / subgradient method in parameter space, and perturbation amplification",
        description="Run exact rational (sub)gradient descent on a training problem and report each step's loss, "
        "region, squared distance to the nearest kink and kink crossings; with --init2, the exact amplification.",
        epilog=COLUMNS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("problem", help=PROBLEM_HELP)
    add_policy_argument(parser)
    parser.add_argument("--init", required=True, metavar="w1=1/100,...", help="initial point")
    parser.add_argument("--init2", metavar="w1=-1/100,...", help="second initial point (amplification)")
    parser.add_argument("--lr", required=True, metavar="ETA", help="step size, a positive rational such as 1/10")
    parser.add_argument("--steps", default="50", metavar="T", help="number of steps, at most 10000 (default 50)")
    parser.add_argument(
        "--rule", default="backprop:0",
        help="the (sub)gradient taken on a kink: backprop:S (autodiff with relu'(0) = S) or min-norm (default backprop:0)",
    )
    parser.add_argument("--float", action="store_true", help="float64 run (same table; pattern changes redone exactly)")
    parser.add_argument("--surrogate", metavar="softplus:BETA", help="also run the softplus_BETA surrogate (mpmath)")
    parser.add_argument("--json", action="store_true", help="print JSON (sorted keys)")
    parser.add_argument("--plot", metavar="FILE.png", type=plot_path, help="paths over the loss contours (two parameters only)")
    add_display_arguments(parser)
    parser.set_defaults(handler=run)


def _float_payload(problem: Problem, init: dict, lr: Fraction, steps: int, rule: Rule, progress: Any = None) -> dict[str, Any]:
    from ..params.report import trajectory_payload
    from ..params.trajectory import Trajectory, float_run

    fr = float_run(problem, init, lr, steps, rule, progress)
    exact = Trajectory(problem, rule, lr, fr.exact_steps(problem, rule))
    return {
        "rule": rule.name,
        "lr": format_rational(lr),
        "steps": trajectory_payload(exact)["steps"],
        "float_losses": [repr(float(v)) for v in fr.losses],
        "final_theta": [repr(float(v)) for v in fr.thetas[-1]],
        "final_loss": repr(float(fr.losses[-1])),
        "exact_handoffs": [
            {
                "t": h.t,
                "pattern_before": h.pattern_before,
                "pattern_after": h.pattern_after,
                "crossed": h.crossed,
                "start": [format_rational(v) for v in h.start],
                "end": [format_rational(v) for v in h.end],
            }
            for h in fr.handoffs
        ],
    }


def _surrogate_payload(problem: Problem, beta: Fraction, runs: list[Trajectory], inits: list[dict], lr: Fraction, steps: int) -> dict[str, Any]:
    import mpmath

    from ..params.surrogate import Surrogate, distance_to_path

    sur = Surrogate(problem, beta)
    ends = []
    for run, init in zip(runs, inits, strict=True):
        path = sur.run(init, lr, steps)
        ends.append(
            {
                "final_theta": [mpmath.nstr(v, 20) for v in path[-1]],
                "distance_to_relu_final": mpmath.nstr(distance_to_path(path, run.final), 20),
            }
        )
    payload: dict[str, Any] = {"beta": format_rational(beta), "uniform_distance": str(sur.uniform_distance), "runs": ends}
    if not problem.network.is_relu:  # ReLU output stays as it was
        payload["exact"] = ", ".join(problem.network.activation_names())
    return payload


def _start_label(problem: Problem, point: tuple[Fraction, ...]) -> str:
    return "start (" + ", ".join(f"{n}={format_rational(v)}" for n, v in zip(problem.parameter_names, point, strict=True)) + ")"


def _table(title: str, run: dict[str, Any], shown: Display, float_theta: list[list[str]] | None = None) -> list[str]:
    """The per-step table of one run (exact, or the exact view of a float run)."""
    rows = []
    for s in run["steps"]:
        if float_theta is not None:
            theta = ", ".join(f"{k}={v}" for k, v in zip(s["theta"], float_theta[s["t"]], strict=True))
        else:
            theta = ", ".join(f"{k}={shown.rational(v, False, INLINE_DIGITS)}" for k, v in s["theta"].items())
        dist = "∞" if s["kink_distance_sq"] is None else shown.rational(s["kink_distance_sq"], False, INLINE_DIGITS) + ("" if s["distance"] == "exact" else " (≥)")
        rows.append((str(s["t"]), s["pattern"], "yes" if s["on_kink"] else "no", "YES" if s["crossed"] else "",
                     shown.rational(s["loss"], False, INLINE_DIGITS), dist, theta))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(("t", "pattern", "kink?", "cross", "loss", "dist²"))]
    widths = [max(w, m) for w, m in zip(widths, (4, 10, 6, 6, 24, 24), strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        return f"  {cells[0]:>{widths[0]}}  " + " ".join(f"{c:<{w}}" for c, w in zip(cells[1:6], widths[1:], strict=True)) + f" {cells[6]}"

    return [title, line(("t", "pattern", "kink?", "cross", "loss", "dist²", "θ")), *(line(r) for r in rows)]


def run(args: argparse.Namespace) -> int:
    from ..params.problem import load_problem, parse_assignment, parse_step_size
    from ..params.report import trajectory_payload
    from ..params.trajectory import amplification, parse_rule, subgradient_method

    problem = load_problem(args.problem, policy=args.policy)
    lr = parse_step_size(args.lr, "--lr")
    steps = _steps(args.steps)
    rule = parse_rule(args.rule)
    inits = [parse_assignment(args.init, "--init")]
    if args.init2:
        inits.append(parse_assignment(args.init2, "--init2"))
    points = [problem.point(p, name) for p, name in zip(inits, ("--init", "--init2"), strict=False)]
    beta = _beta(args.surrogate) if args.surrogate else None
    if args.plot and args.float:
        raise InputFormatError("--plot needs the exact mode (drop --float)")
    payload: dict[str, Any] = {"parameters": list(problem.parameter_names)}
    runs: list[Trajectory] = []
    with progress_bar("train", unit="step", enabled=not args.json) as update:
        done = 0

        def advance(_: int) -> None:
            nonlocal done
            done += 1
            update(done)

        if args.float:
            payload["float_runs"] = [_float_payload(problem, p, lr, steps, rule, advance) for p in inits]
        else:
            runs = [subgradient_method(problem, p, lr, steps, rule, advance) for p in points]
            payload["runs"] = [trajectory_payload(r) for r in runs]
    if len(runs) == 2:
        payload["amplification_sq"] = format_rational(amplification(runs[0], runs[1]))
    if beta is not None and runs:
        payload["surrogate"] = _surrogate_payload(problem, beta, runs, inits, lr, steps)
    if args.plot:
        from ..params.kinks import find_kinks
        from ..params.landscape import enumerate_parameter_regions
        from ..params.plotting import plot_trajectories

        land = enumerate_parameter_regions(problem, progress=False if args.json else None)
        plot_trajectories(land, find_kinks(land), runs, args.plot, labels=[_start_label(problem, p) for p in points])
    if args.json:
        emit_json(payload)
        return 0
    shown = Display.from_args(args)
    lines: list[str] = []
    for i, r in enumerate(payload.get("runs", [])):
        lines += _table(f"run {i + 1} (rule {r['rule']}, η = {r['lr']}):", r, shown)
    if "amplification_sq" in payload:
        amp = Fraction(payload["amplification_sq"])
        lines.append(
            f"amplification ‖θ_T − θ'_T‖² / ‖θ_0 − θ'_0‖² = {shown.rational(amp)} "
            f"(ratio of norms ≈ {rational_sqrt_text(amp)})"
        )
    for i, fr in enumerate(payload.get("float_runs", [])):
        thetas = [[repr(float(Fraction(v))) for v in s["theta"].values()] for s in fr["steps"]]
        lines += _table(f"float run {i + 1} (rule {fr['rule']}, η = {fr['lr']}; float64, each row at the float's exact value):", fr, shown, thetas)
        lines.append(f"  final θ = ({', '.join(fr['final_theta'])}), float loss = {fr['final_loss']}")
        for h in fr["exact_handoffs"]:
            verdict = "crossed a kink" if h["crossed"] else "no crossing (float false alarm)"
            lines.append(f"  step {h['t']}: float signs changed; the exact step {h['pattern_before']} -> {h['pattern_after']} {verdict}")
    if "surrogate" in payload:
        sur = payload["surrogate"]
        exact = sur.get("exact", "ReLU")
        lines.append(f"softplus_{sur['beta']} surrogate (uniform distance to {exact} {sur['uniform_distance']}):")
        for i, e in enumerate(sur["runs"]):
            lines.append(f"  run {i + 1}: final θ = {e['final_theta']}, distance to the {exact} run's end = {e['distance_to_relu_final']}")
    note = shown.note()
    if note:
        lines.append(note)
    lines.append("(columns: symrelu train --help explains them)")
    if args.plot:
        lines.append(f"plot written to {args.plot}")
    emit_text("\n".join(lines))
    return 0
