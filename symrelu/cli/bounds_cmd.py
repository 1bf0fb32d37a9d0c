"""``symrelu bounds NET --box ...``: exact min and max of every output, with inputs attaining them."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import SolverError
from ..exact import format_rational, format_vector
from .common import (
    add_display_arguments,
    add_json_flag,
    add_network_argument,
    box_argument,
    cli_terms,
    load_network_argument,
    positive_int,
)
from .output import Display, emit_json, emit_text


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bounds", help="exact min and max of each output over a box, with the inputs attaining them",
        description="The exact minimum and maximum of every output over the box, each with an input that attains it "
        "(replayed exactly); 'unknown' (exit 1) when the search budget --max-nodes runs out.",
    )
    add_network_argument(parser, "network file (.onnx, .nnet, .json, .npz)")
    parser.add_argument("--box", required=True, help="LO:HI[,LO:HI...] per input (write --box=-1:1 when it starts with '-')")
    parser.add_argument("--max-nodes", dest="max_nodes", type=positive_int, default=20_000,
                        help="boxes the exact search may explore per bound before answering unknown (default 20000)")
    add_display_arguments(parser)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..check import output_bounds

    net = load_network_argument(args)
    box = box_argument(args.box)
    try:
        bounds = output_bounds(net, box, max_nodes=args.max_nodes)
    except SolverError as err:
        emit_text(f"unknown: {cli_terms(str(err))}")
        return 1
    if args.json:
        emit_json({
            "source": net.source,
            "box": [[format_rational(lo), format_rational(hi)] for lo, hi in box],
            "outputs": [
                {"output": b.output, "min": format_rational(b.minimum), "argmin": format_vector(b.argmin),
                 "max": format_rational(b.maximum), "argmax": format_vector(b.argmax)}
                for b in bounds
            ],
        })
        return 0
    shown = Display.from_args(args)
    lines = [f"exact output bounds of {net.source} on {args.box}"]
    for b in bounds:
        lines.append(f"Y_{b.output}: min {shown.rational(b.minimum)} at ({shown.vector(b.argmin)}), "
                     f"max {shown.rational(b.maximum)} at ({shown.vector(b.argmax)})")
    note = shown.note()
    emit_text("\n".join(lines + ([note] if note else [])))
    return 0
