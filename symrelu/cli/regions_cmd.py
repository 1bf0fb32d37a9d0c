"""``symrelu regions NET --box ...``: every activation region, exactly."""

from __future__ import annotations

import argparse
from fractions import Fraction
from typing import TYPE_CHECKING

from ..exact import format_matrix, format_rational, format_vector
from .common import (
    add_json_flag,
    add_network_argument,
    box_argument,
    load_network_argument,
    positive_int,
    progress_bar,
    require_suffix,
)
from .output import emit_json, emit_text

if TYPE_CHECKING:
    from ..regions import Region


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("regions", help="enumerate the activation regions of a network over a box")
    add_network_argument(parser)
    parser.add_argument("--box", required=True, type=str, help="LO:HI[,LO:HI...] per input, e.g. -1:1,-1/2:1/2")
    add_json_flag(parser)
    parser.add_argument("--plot", metavar="FILE.png", help="draw the partition (1-D or 2-D inputs)")
    parser.add_argument("--max-regions", type=positive_int, default=None, help="stop cleanly beyond this many regions")
    parser.add_argument("--jobs", type=positive_int, default=1, metavar="N", help="split the work over N local processes (same result)")
    parser.add_argument("--dask", metavar="ADDRESS", help="split the work over a Dask scheduler, e.g. tcp://host:8786 (same result)")
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
    import sympy

    from ..closed_form import input_symbols
    from ..network import format_pattern
    from ..parallel import dask_client
    from ..regions import enumerate_regions

    net = load_network_argument(args)
    box = box_argument(args.box)
    if args.plot:
        require_suffix(args.plot, ".png", "--plot")
    with progress_bar("regions") as update:
        client = dask_client(args.dask) if args.dask else None
        regions = enumerate_regions(net, box, max_regions=args.max_regions, progress=update, jobs=args.jobs, client=client)
    measures = [r.measure for r in regions]
    total = sum(measures, Fraction(0)) if all(m is not None for m in measures) else None  # type: ignore[type-var]
    if args.plot:
        from ..plots import plot_regions

        plot_regions(net, regions, args.plot)
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
    lines = [f"{len(regions)} activation regions of {net.source} on {args.box}" + (f" (total measure {format_rational(total)})" if total is not None else "")]
    width = max(7, len(format_pattern(regions[0].pattern)))
    lines.append(f"{'pattern':<{width}}  {'measure':>10}  affine map")
    symbols = input_symbols(net)
    for region in regions:
        affine = "; ".join(
            str(sum((sympy.Rational(a.numerator, a.denominator) * x for a, x in zip(row, symbols)), sympy.Rational(c.numerator, c.denominator)))
            for row, c in zip(region.jacobian, region.offset)
        )
        measure = format_rational(region.measure) if region.measure is not None else "-"
        lines.append(f"{format_pattern(region.pattern):<{width}}  {measure:>10}  {affine}")
    if args.plot:
        lines.append(f"plot written to {args.plot}")
    emit_text("\n".join(lines))
    return 0
