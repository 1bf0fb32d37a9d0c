"""``symrelu regions NET --box ...``: every activation region, exactly."""

from __future__ import annotations

import argparse
from fractions import Fraction
from typing import TYPE_CHECKING

from ..exact import format_matrix, format_rational, format_vector
from ..validation import check_output
from .common import (
    add_display_arguments,
    add_json_flag,
    add_network_argument,
    box_argument,
    load_network_argument,
    plot_path,
    positive_int,
    progress_bar,
)
from .output import Display, emit_json, emit_text

if TYPE_CHECKING:
    from ..regions import Region


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "regions", help="enumerate the activation regions of a network over a box",
        description="Every activation region of the network inside the box, exactly: its pattern (which ReLUs are "
        "active, or for other activations each neuron's piece, one digit per neuron; '|' between layers), its affine map, its measure (1-D and 2-D), and its inequalities (--json).",
    )
    add_network_argument(parser)
    parser.add_argument("--box", required=True, type=str, help="LO:HI[,LO:HI...] per input, e.g. -1:1,-1/2:1/2")
    add_json_flag(parser)
    parser.add_argument("--plot", metavar="FILE.png", type=plot_path, help="draw the partition (1-D or 2-D inputs)")
    parser.add_argument("--output", type=int, default=0, metavar="K", help="--plot: colour (2-D) or graph (1-D) output K (default 0)")
    parser.add_argument("--labels", action="store_true", help="--plot: write each region's pattern on it")
    parser.add_argument("--jobs", type=positive_int, default=1, metavar="N", help="split the work over N local processes (same result; default 1)")
    parser.add_argument("--dask", metavar="ADDRESS", help="split the work over a Dask scheduler, e.g. tcp://host:8786 (same result)")
    parser.add_argument(
        "--max-regions", type=positive_int, default=None, metavar="N", help="stop cleanly beyond N regions (default: no limit)"
    )
    add_display_arguments(parser)
    parser.set_defaults(handler=run)


def region_json(region: Region) -> dict[str, object]:
    from ..network import format_pattern

    entry: dict[str, object] = {
        "pattern": format_pattern(region.pattern),
        "jacobian": format_matrix(region.jacobian),
        "offset": format_vector(region.offset),
        "interior_point": format_vector(region.interior_point),
        "constraints": [c.to_json() for c in region.constraints],
    }
    if region.measure is not None:
        entry["vertices"] = format_matrix(region.vertices)
        entry["measure"] = format_rational(region.measure)
    return entry


def run(args: argparse.Namespace) -> int:
    from ..closed_form import input_symbols
    from ..network import format_pattern
    from ..parallel import dask_client
    from ..regions import enumerate_regions

    net = load_network_argument(args)
    box = box_argument(args.box)
    if args.plot:
        check_output(net, args.output)  # before the enumeration, not after it
    client = dask_client(args.dask) if args.dask else None
    try:
        with progress_bar("regions", enabled=not args.json) as update:
            regions = enumerate_regions(net, box, max_regions=args.max_regions, progress=update, jobs=args.jobs, client=client)
    finally:
        if client is not None:
            client.close()
    measures = [r.measure for r in regions if r.measure is not None]
    total = sum(measures, Fraction(0)) if len(measures) == len(regions) else None
    if args.plot:
        from ..plots import plot_regions

        plot_regions(net, regions, args.plot, output=args.output, labels=args.labels)
    if args.json:
        emit_json(
            {
                "source": net.source,
                "policy": net.policy,
                "box": [[format_rational(lo), format_rational(hi)] for lo, hi in box],
                "count": len(regions),
                "total_measure": format_rational(total) if total is not None else None,
                "regions": [region_json(r) for r in regions],
            }
        )
        return 0
    shown = Display.from_args(args)
    total_text = f" (total measure {shown.rational(total)})" if total is not None else ""
    lines = [f"{len(regions)} activation regions of {net.source} on {args.box}{total_text}"]
    symbols = input_symbols(net)
    rows = [
        (
            format_pattern(region.pattern),
            shown.rational(region.measure) if region.measure is not None else "-",
            "; ".join(shown.affine(row, c, symbols) for row, c in zip(region.jacobian, region.offset, strict=True)),
        )
        for region in regions
    ]
    width = max(7, *(len(p) for p, _, _ in rows))
    measure_width = max(10, *(len(m) for _, m, _ in rows))
    lines.append(f"{'pattern':<{width}}  {'measure':>{measure_width}}  affine map")
    lines.extend(f"{p:<{width}}  {m:>{measure_width}}  {a}" for p, m, a in rows)
    note = shown.note()
    if note:
        lines.append(note)
    if args.plot:
        lines.append(f"plot written to {args.plot}")
    emit_text("\n".join(lines))
    return 0
