"""Benchmark: exact activation-region enumeration against a Z3 pattern search and regioncam.

    python benchmarks/bench_regions.py            # full run (Z3 capped at 120 s per network)
    python benchmarks/bench_regions.py --quick    # small networks only, Z3 capped at 20 s
    python benchmarks/bench_regions.py --z3-cap 300 --repeat 5

Networks are seeded random MLPs with weights and biases k/64, k uniform in
[-64, 64], over [-1, 1]^d. For each network it prints the region count and time
of symrelu's ``enumerate_regions`` (best of --repeat), of materialising every
region's exact data (constraints, vertices, measure, interior point, affine map;
these are computed lazily, so this is timed on a fresh enumeration), of the Z3
depth-first pattern search (one run, capped) and of regioncam (2-D only, best
of --repeat), with the ratios. A count mismatch between symrelu and a complete
Z3 run is an error (exit status 1); a regioncam mismatch is reported.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baselines import regioncam_available, regioncam_count, z3_pattern_search  # noqa: E402

from symrelu import Network  # noqa: E402
from symrelu.regions import enumerate_regions  # noqa: E402

FULL = [
    (2, 16, 16, 1),
    (2, 32, 32, 1),
    (2, 64, 64, 1),
    (3, 8, 8, 1),
    (3, 16, 16, 1),
    (4, 8, 8, 1),
    (4, 12, 12, 1),
]
QUICK = [(2, 16, 16, 1), (2, 32, 32, 1), (3, 8, 8, 1), (4, 8, 8, 1)]


def random_network(widths: tuple[int, ...], seed: int) -> Network:
    rng = random.Random(f"{seed}:{'-'.join(map(str, widths))}")
    layers = []
    for n_in, n_out in zip(widths, widths[1:]):
        weight = [[Fraction(rng.randint(-64, 64), 64) for _ in range(n_in)] for _ in range(n_out)]
        bias = [Fraction(rng.randint(-64, 64), 64) for _ in range(n_out)]
        layers.append((weight, bias))
    return Network.from_rows(layers, source=f"random {'-'.join(map(str, widths))} seed {seed}")


def best_of(repeat: int, run):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def materialise(regions) -> None:
    for r in regions:
        r.constraints, r.vertices, r.measure, r.interior_point, r.jacobian, r.offset  # noqa: B018


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small networks only, Z3 cap 20 s")
    parser.add_argument("--z3-cap", type=float, default=None, help="seconds per Z3 search (default 120, quick 20)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N for symrelu and regioncam (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    cap = args.z3_cap if args.z3_cap is not None else (20.0 if args.quick else 120.0)
    sizes = QUICK if args.quick else FULL
    have_regioncam = regioncam_available()
    if not have_regioncam:
        print("note: regioncam is not installed (pip install regioncam); its column is skipped")

    header = (
        f"{'network':<12} {'symrelu':>8} {'time':>10} {'+exact data':>12} "
        f"{'Z3 DFS':>10} {'Z3 time':>11} {'Z3/sym':>8} {'regioncam':>9} {'rc time':>9} {'sym/rc':>7}"
    )
    print(f"box [-1,1]^d, weights k/64, seed {args.seed}; symrelu/regioncam best of {args.repeat}; Z3 one run, cap {cap:g} s")
    print(header)
    print("-" * len(header))
    failures = []
    notes = []
    for widths in sizes:
        name = "-".join(map(str, widths))
        net = random_network(widths, args.seed)
        box = [(-1, 1)] * widths[0]
        sym_time, regions = best_of(args.repeat, lambda: enumerate_regions(net, box))

        def enumerate_and_materialise():
            fresh = enumerate_regions(net, box)
            materialise(fresh)
            return fresh

        full_time, _ = best_of(args.repeat, enumerate_and_materialise)
        z3_result = z3_pattern_search(net, box, time_cap=cap)
        z3_count = f"{z3_result.count}" if z3_result.complete else f">={z3_result.count}"
        z3_time = fmt_time(z3_result.seconds) if z3_result.complete else f"> {cap:g} s"
        ratio = f"{z3_result.seconds / sym_time:.0f}x" if z3_result.complete else f">{z3_result.seconds / sym_time:.0f}x"
        if z3_result.complete and z3_result.patterns != tuple(r.pattern for r in regions):
            failures.append(f"{name}: symrelu {len(regions)} regions, Z3 {z3_result.count}; patterns differ")
        rc_count = rc_time = rc_ratio = "-"
        if widths[0] == 2 and have_regioncam:
            t, count = best_of(args.repeat, lambda: regioncam_count(net))
            rc_count, rc_time, rc_ratio = str(count), fmt_time(t), f"{sym_time / t:.1f}x"
            if count != len(regions):
                notes.append(f"{name}: regioncam (float32) finds {count} faces, symrelu {len(regions)} exact regions")
        print(
            f"{name:<12} {len(regions):>8} {fmt_time(sym_time):>10} {fmt_time(full_time):>12} "
            f"{z3_count:>10} {z3_time:>11} {ratio:>8} {rc_count:>9} {rc_time:>9} {rc_ratio:>7}",
            flush=True,
        )
    print()
    print("time = enumerate_regions (lazy region data); +exact data = enumeration plus every region's")
    print("constraints, vertices, measure, interior point and affine map. Z3/sym = Z3 DFS time / symrelu time;")
    print("sym/rc = symrelu time / regioncam time. '>' marks a Z3 search stopped at the cap (count reached so far).")
    for note in notes:
        print("note:", note)
    for failure in failures:
        print("MISMATCH:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
