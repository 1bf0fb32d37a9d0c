"""``symrelu train PROBLEM --init ... --lr 1/10 --steps 50``: exact training trajectories and amplification."""

from __future__ import annotations

import argparse
import logging
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..errors import InputFormatError
from ..exact import format_rational, parse_rational, rational_sqrt_text
from .output import emit_json, emit_text

if TYPE_CHECKING:
    from ..params.problem import Problem
    from ..params.trajectory import Trajectory

log = logging.getLogger(__name__)


def _steps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InputFormatError(f"--steps: {text!r} is not a whole number") from None
    if value < 0:
        raise InputFormatError(f"--steps: {value} must be non-negative")
    return value


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
    )
    parser.add_argument("problem", help="training problem file (.json or .toml)")
    parser.add_argument("--init", required=True, metavar="w1=1/100,...", help="initial point")
    parser.add_argument("--init2", metavar="w1=-1/100,...", help="second initial point (amplification)")
    parser.add_argument("--lr", required=True, metavar="ETA", help="step size, a positive rational such as 1/10")
    parser.add_argument("--steps", default="50", metavar="T", help="number of steps (default 50)")
    parser.add_argument("--rule", default="backprop:0", help="Clarke element on kinks: backprop:S or min-norm")
    parser.add_argument("--float", action="store_true", help="float64 run; crossings redone exactly")
    parser.add_argument("--surrogate", metavar="softplus:BETA", help="also run the softplus_BETA surrogate (mpmath)")
    parser.add_argument("--json", action="store_true", help="print JSON (sorted keys)")
    parser.add_argument("--plot", metavar="FILE.png", help="paths over the loss contours (two parameters only)")
    parser.set_defaults(handler=run)


def _float_payload(problem: Problem, init: dict, lr: Fraction, steps: int, rule) -> dict[str, Any]:
    from ..params.trajectory import float_run

    fr = float_run(problem, init, lr, steps, rule)
    return {
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
    for run, init in zip(runs, inits):
        path = sur.run(init, lr, steps)
        ends.append(
            {
                "final_theta": [mpmath.nstr(v, 20) for v in path[-1]],
                "distance_to_relu_final": mpmath.nstr(distance_to_path(path, run.final), 20),
            }
        )
    return {"beta": format_rational(beta), "uniform_distance": str(sur.uniform_distance), "runs": ends}


def run(args: argparse.Namespace) -> int:
    from ..params.problem import load_problem, parse_assignment, parse_step_size
    from ..params.report import trajectory_payload
    from ..params.trajectory import amplification, parse_rule, subgradient_method

    problem = load_problem(args.problem)
    lr = parse_step_size(args.lr)
    steps = _steps(args.steps)
    rule = parse_rule(args.rule)
    inits = [parse_assignment(args.init, "--init")]
    if args.init2:
        inits.append(parse_assignment(args.init2, "--init2"))
    points = [problem.point(p, name) for p, name in zip(inits, ("--init", "--init2"))]
    beta = _beta(args.surrogate) if args.surrogate else None
    payload: dict[str, Any] = {"parameters": list(problem.parameter_names)}
    runs: list[Trajectory] = []
    if args.float:
        payload["float_runs"] = [_float_payload(problem, p, lr, steps, rule) for p in inits]
    else:
        runs = [subgradient_method(problem, p, lr, steps, rule) for p in points]
        payload["runs"] = [trajectory_payload(r) for r in runs]
        if len(runs) == 2:
            payload["amplification_sq"] = format_rational(amplification(runs[0], runs[1]))
        if beta is not None:
            payload["surrogate"] = _surrogate_payload(problem, beta, runs, inits, lr, steps)
    if args.plot:
        if not runs:
            raise InputFormatError("--plot needs the exact mode (drop --float)")
        from ..params.kinks import find_kinks
        from ..params.landscape import enumerate_regions
        from ..params.plotting import plot_trajectories

        land = enumerate_regions(problem)
        plot_trajectories(land, find_kinks(land), runs, args.plot, labels=["--init", "--init2"])
    if args.json:
        emit_json(payload)
        return 0
    lines = []
    for i, r in enumerate(payload.get("runs", [])):
        lines.append(f"run {i + 1} (rule {r['rule']}, η = {r['lr']}):")
        lines.append(f"  {'t':>4}  {'pattern':<10} {'kink?':<6} {'cross':<6} {'loss':<24} {'dist²':<24} θ")
        for s in r["steps"]:
            theta = ", ".join(f"{k}={v}" for k, v in s["theta"].items())
            dist = "∞" if s["kink_distance_sq"] is None else s["kink_distance_sq"] + ("" if s["distance"] == "exact" else " (≥)")
            lines.append(
                f"  {s['t']:>4}  {s['pattern']:<10} {'yes' if s['on_kink'] else 'no':<6} "
                f"{'YES' if s['crossed'] else '':<6} {s['loss']:<24} {dist:<24} {theta}"
            )
    if "amplification_sq" in payload:
        amp = Fraction(payload["amplification_sq"])
        lines.append(
            f"amplification ‖θ_T − θ'_T‖² / ‖θ_0 − θ'_0‖² = {payload['amplification_sq']} "
            f"(ratio of norms ≈ {rational_sqrt_text(amp)})"
        )
    for i, fr in enumerate(payload.get("float_runs", [])):
        lines.append(f"float run {i + 1}: final θ = {fr['final_theta']}, loss = {fr['final_loss']}")
        for h in fr["exact_handoffs"]:
            verdict = "crossed a kink" if h["crossed"] else "no crossing (float false alarm)"
            lines.append(f"  step {h['t']}: exact step {h['pattern_before']} -> {h['pattern_after']}: {verdict}")
    if "surrogate" in payload:
        sur = payload["surrogate"]
        lines.append(f"softplus_{sur['beta']} surrogate (uniform distance to ReLU {sur['uniform_distance']}):")
        for i, e in enumerate(sur["runs"]):
            lines.append(f"  run {i + 1}: final θ = {e['final_theta']}, distance to the ReLU run's end = {e['distance_to_relu_final']}")
    emit_text("\n".join(lines))
    return 0
