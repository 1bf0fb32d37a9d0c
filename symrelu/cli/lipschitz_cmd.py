"""``symrelu lipschitz NET --box ... --norm {1,2,inf}``: the exact Lipschitz constant and a witness."""

from __future__ import annotations

import argparse
from typing import Any

from ..exact import format_rational, format_vector, parse_point, rational_sqrt_text
from ..validation import NORMS
from .common import (
    add_display_arguments,
    add_json_flag,
    add_network_argument,
    box_argument,
    load_network_argument,
    positive_int,
    progress_bar,
)
from .output import Display, emit_json, emit_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "lipschitz", help="exact Lipschitz constant of an output over a box",
        description="The exact Lipschitz constant K of one output (or a combination c . f) over the box for the "
        "chosen input norm: the largest dual norm of a region's gradient, with a witness pair x, x' attaining it.",
    )
    add_network_argument(parser)
    parser.add_argument("--box", required=True, help="LO:HI[,LO:HI...] per input")
    parser.add_argument("--norm", choices=NORMS, default="2", help="input norm (default 2; the constant uses its dual)")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--output", type=int, default=None, metavar="K", help="which output (default: the only one)")
    choice.add_argument("--combination", default=None, metavar="C1,C2,...", help="certify c . f for these weights")
    parser.add_argument(
        "--max-regions", type=positive_int, default=None, metavar="N", help="stop cleanly beyond N regions (default: no limit)"
    )
    add_json_flag(parser)
    add_display_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..lipschitz import lipschitz_constant, quotient_squared
    from ..network import format_pattern
    from ..regions import enumerate_regions

    net = load_network_argument(args)
    box = box_argument(args.box)
    combination = parse_point(args.combination, "--combination") if args.combination else None
    with progress_bar("regions", enabled=not args.json) as update:
        regions = enumerate_regions(net, box, max_regions=args.max_regions, progress=update)
    result = lipschitz_constant(net, box, args.norm, output=args.output, combination=combination, regions=regions)
    x, y = result.witness
    value = lambda point: sum((c * v for c, v in zip(result.combination, net.evaluate(point), strict=True)), type(x[0])(0))  # noqa: E731
    achieved = quotient_squared((value(x), value(y)), x, y, result.norm)
    payload: dict[str, Any] = {
        "source": net.source,
        "policy": net.policy,
        "norm": result.norm,
        "output": result.output,
        "combination": format_vector(result.combination),
        "constant": str(result.constant),
        "constant_squared": format_rational(result.constant_squared),
        "constant_decimal": rational_sqrt_text(result.constant_squared),
        "region": {"pattern": format_pattern(result.pattern), "gradient": format_vector(result.gradient)},
        "witness": {"x": format_vector(x), "x_prime": format_vector(y), "quotient_squared": format_rational(achieved)},
        "region_count": result.region_count,
    }
    if args.json:
        emit_json(payload)
        return 0
    shown = Display.from_args(args)
    target = f"output {result.output}" if result.output is not None else f"combination ({shown.vector(result.combination)})"
    constant = payload["constant"] if shown.exact or len(str(payload["constant"])) <= shown.width else "sqrt(K^2)"
    lines = [
        f"Lipschitz constant of {target} of {net.source} on {args.box}, input norm {result.norm}:",
        f"  K = {constant}  (K^2 = {shown.rational(result.constant_squared)}, K ~ {payload['constant_decimal']})",
        f"  attained on region {format_pattern(result.pattern)} with gradient ({shown.vector(result.gradient)})",
        f"  witness x  = ({shown.vector(x)})",
        f"          x' = ({shown.vector(y)})",
        f"  (|f(x) - f(x')| / ||x - x'||_{result.norm})^2 = {shown.rational(achieved)} (exactly K^2)",
        f"  maximum over {result.region_count} regions",
    ]
    note = shown.note()
    emit_text("\n".join(lines + ([note] if note else [])))
    return 0
