"""``symrelu clarke NET_OR_PROBLEM --at ...``: the exact Clarke set and the backprop audit."""

from __future__ import annotations

import argparse
from typing import Any

from ..exact import format_matrix, format_rational
from .common import add_json_flag, add_network_argument, is_problem_file, load_network_argument, point_argument
from .output import emit_json, emit_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "clarke", help="exact Clarke Jacobian at a point, and whether backpropagation's value lies in it",
        description="The exact Clarke Jacobian of a network at a rational point (the convex hull of the Jacobians of "
        "the regions whose closure contains it, as its vertices), or the Clarke subdifferential of a training "
        "problem's loss at a parameter point; and whether backpropagation's value lies in it.",
    )
    add_network_argument(parser, "network file, or a training-problem JSON (then --at names parameters: w1=0,w2=0)")
    parser.add_argument("--at", required=True, help="the point: X1,X2,... for a network; NAME=VALUE,... for a problem")
    parser.add_argument(
        "--relu-grad-at-zero", default="0", metavar="S", help="the value backpropagation uses for relu'(0), a rational in [0, 1] (default 0); at a breakpoint of another "
        "activation it takes (1 - S) times the slope on the left plus S times the slope on the right"
    )
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if is_problem_file(args.network):
        return _run_problem(args)
    net = load_network_argument(args)
    from ..clarke import backprop_audit

    audit = backprop_audit(net, point_argument(args.at), args.relu_grad_at_zero)
    payload = {
        "source": net.source,
        "policy": net.policy,
        "point": [format_rational(v) for v in audit.point],
        "relu_grad_at_zero": format_rational(audit.relu_grad_at_zero),
        "kinks": [_kink(net, layer, neuron, audit.point) for layer, neuron in audit.clarke.kinks],
        "vertices": [format_matrix(v) for v in audit.clarke.vertices],
        "backprop": format_matrix(audit.backprop),
        "backprop_in_clarke": audit.in_clarke,
    }
    if args.json:
        emit_json(payload)
        return 0
    emit_text(_text(payload))
    return 0


def _kink(net: Any, layer: int, neuron: int, point: Any) -> dict[str, object]:
    """A kink's place; for an activation other than ReLU also which one, its breakpoint and Clarke interval."""
    entry: dict[str, object] = {"layer": layer, "neuron": neuron}
    act = net.activations[layer][neuron]
    if not net.is_relu:
        z = net.preactivations(point)[layer][neuron]
        lo, hi = act.clarke(z)
        entry.update({"activation": str(act), "breakpoint": format_rational(z), "derivative": [format_rational(lo), format_rational(hi)]})
    return entry


def _kink_text(kink: dict) -> str:
    text = f"layer {kink['layer']} neuron {kink['neuron']}"
    if "activation" in kink:
        lo, hi = kink["derivative"]
        text += f" ({kink['activation']} at {kink['breakpoint']}: derivative in [{lo}, {hi}])"
    return text


def _text(payload: dict) -> str:
    def matrix(rows: list[list[str]]) -> str:
        return "[" + "; ".join(", ".join(row) for row in rows) + "]"

    lines = [f"Clarke set at ({', '.join(payload['point'])}) of {payload['source']}"]
    kinks = payload["kinks"]
    lines.append(
        "  on kinks: " + ", ".join(_kink_text(k) for k in kinks)
        if kinks
        else "  no kink here: the Clarke set is the gradient"
    )
    lines.append(f"  convex hull of {len(payload['vertices'])} vertices:")
    lines.extend(f"    {matrix(v)}" for v in payload["vertices"])
    verdict = "inside" if payload["backprop_in_clarke"] else "OUTSIDE"
    lines.append(f"  backprop with relu'(0) = {payload['relu_grad_at_zero']}: {matrix(payload['backprop'])}  ({verdict} the Clarke set)")
    return "\n".join(lines)


def _run_problem(args: argparse.Namespace) -> int:
    from ..params import clarke_report, load_problem
    from ..params.problem import parse_assignment

    problem = load_problem(args.network, policy=args.policy)
    payload = clarke_report(problem, parse_assignment(args.at, "--at"), args.relu_grad_at_zero, where="--at")
    if args.json:
        emit_json(payload)
        return 0
    point = ", ".join(f"{name}={value}" for name, value in payload["point"].items())
    vertices = [", ".join(row) for vertex in payload["vertices"] for row in vertex]
    verdict = "inside" if payload["backprop_in_clarke"] else "OUTSIDE"
    lines = [
        f"Clarke subdifferential of the loss of {args.network} at ({point}), loss = {payload['loss']}",
        f"  active regions: {', '.join(payload['active_patterns'])}",
        f"  convex hull of {len(vertices)} gradients:",
        *[f"    ({v})" for v in vertices],
        f"  backprop with relu'(0) = {payload['relu_prime_at_zero']}: ({', '.join(payload['backprop'][0])})  ({verdict} the Clarke set)",
    ]
    emit_text("\n".join(lines))
    return 0
