"""``symrelu lipschitz NET --box ... --norm {1,2,inf}``: the exact Lipschitz constant and a witness."""

from __future__ import annotations

import argparse
from typing import Any

from ..exact import format_rational, format_vector, parse_point, rational_sqrt_text
from ..lipschitz import NORMS
from .common import add_json_flag, add_network_argument, box_argument, load_network_argument, positive_int, progress_bar
from .output import emit_json, emit_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("lipschitz", help="exact Lipschitz constant of an output over a box")
    add_network_argument(parser)
    parser.add_argument("--box", required=True, help="LO:HI[,LO:HI...] per input")
    parser.add_argument("--norm", choices=NORMS, default="2", help="input norm (the constant uses its dual)")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--output", type=int, default=None, metavar="K", help="which output (default: the only one)")
    choice.add_argument("--combination", default=None, metavar="C1,C2,...", help="certify c . f for these weights")
    parser.add_argument("--max-regions", type=positive_int, default=None, help="stop cleanly beyond this many regions")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..lipschitz import lipschitz_constant, quotient_squared
    from ..network import format_pattern
    from ..regions import enumerate_regions

    net = load_network_argument(args)
    box = box_argument(args.box)
    combination = parse_point(args.combination, "--combination") if args.combination else None
    with progress_bar("regions") as update:
        regions = enumerate_regions(net, box, max_regions=args.max_regions, progress=update)
    result = lipschitz_constant(net, box, args.norm, output=args.output, combination=combination, regions=regions)
    x, y = result.witness
    value = lambda point: sum((c * v for c, v in zip(result.combination, net.evaluate(point))), type(x[0])(0))  # noqa: E731
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
    target = f"output {result.output}" if result.output is not None else f"combination ({', '.join(payload['combination'])})"
    emit_text(
        "\n".join(
            [
                f"Lipschitz constant of {target} of {net.source} on {args.box}, input norm {result.norm}:",
                f"  K = {payload['constant']}  (K^2 = {payload['constant_squared']}, K ~ {payload['constant_decimal']})",
                f"  attained on region {payload['region']['pattern']} with gradient ({', '.join(payload['region']['gradient'])})",
                f"  witness x  = ({', '.join(payload['witness']['x'])})",
                f"          x' = ({', '.join(payload['witness']['x_prime'])})",
                f"  (|f(x) - f(x')| / ||x - x'||_{result.norm})^2 = {payload['witness']['quotient_squared']} (exactly K^2)",
                f"  maximum over {result.region_count} regions",
            ]
        )
    )
    return 0
