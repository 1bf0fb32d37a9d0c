"""``symrelu landscape PROBLEM``: regions of the loss in parameter space, with kinks and gradient jumps."""

from __future__ import annotations

import argparse
import logging

from ..exact import format_vector
from .common import (
    PATTERN_LEGEND,
    add_parallel_arguments,
    add_policy_argument,
    open_pool,
    path_phrase,
    plot_path,
    positive_int,
    progress_bar,
)
from .output import emit_json, emit_text

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "landscape",
        help="activation regions of the loss in parameter space, kinks and gradient jumps",
        description="Enumerate the loss's regions in parameter space (exact), with each region's polynomial, "
        "gradient, Hessian and an interior point, and the kinks between regions with their gradient jumps.",
    )
    parser.add_argument("problem", help="training problem file (.json or .toml)")
    add_policy_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON (sorted keys)")
    parser.add_argument("--plot", metavar="FILE.png", type=plot_path, help="contour map with kinks (two parameters only)")
    parser.add_argument("--max-regions", type=positive_int, default=None, metavar="N", help="refuse beyond N regions (default 10000)")
    add_parallel_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..params.kinks import find_kinks
    from ..params.landscape import DEFAULT_MAX_REGIONS, enumerate_parameter_regions
    from ..params.problem import load_problem
    from ..params.report import landscape_payload

    problem = load_problem(args.problem, policy=args.policy)
    with open_pool(args) as pool:
        land = enumerate_parameter_regions(problem, max_regions=args.max_regions or DEFAULT_MAX_REGIONS,
                                           progress=False if args.json else None, pool=pool)
        with progress_bar("kinks", unit="pair", enabled=not args.json) as update:
            kinks = find_kinks(land, pool=pool, progress=update)
        payload = landscape_payload(land, kinks, pool=pool)
    if args.plot:
        from ..params.plotting import plot_landscape

        plot_landscape(land, kinks, args.plot)
        log.info("wrote %s", args.plot)
    if args.json:
        emit_json(payload)
        return 0
    lines = [f"{payload['count']} regions in ({', '.join(payload['parameters'])}) by the {land.method} path ({path_phrase(land.method)})", PATTERN_LEGEND]
    for r in payload["regions"]:
        point = ", ".join(f"{k}={v}" for k, v in r["interior_point"].items())
        lines.append(f"  {r['pattern']}: loss = {r['loss']}")
        lines.append(f"      gradient = [{', '.join(r['gradient'])}]  hessian = [{'; '.join(', '.join(row) for row in r['hessian'])}]  at ({point})")
    lines.append(f"{len(kinks)} kinks, {payload['dangerous_kinks']} dangerous (non-zero gradient jump):")
    for k in payload["kinks"]:
        jump = k["dangerous_jump"] if k["dangerous"] else k["jump_at_witness"]
        where = k["dangerous_witness"] if k["dangerous"] else k["witness"]
        at = "" if where is None else " at (" + ", ".join(f"{n}={v}" for n, v in where.items()) + ")"
        tag = "DANGEROUS" if k["dangerous"] else "harmless"
        lines.append(f"  {k['below']} | {k['above']}  on {k['surface']}: {tag}, jump ({', '.join(jump) if jump else '-'}){at}")
    if args.plot:
        lines.append(f"plot written to {args.plot}")
    emit_text("\n".join(lines))
    return 0


__all__ = ["register", "run", "format_vector"]
