"""Benchmark: every row of issue 10's table, symrelu next to its peer in one run, with ratios.

    python benchmarks/bench_table.py                 # every row (several minutes; Z3 6-D capped)
    python benchmarks/bench_table.py --rows 2d       # only the 2-D rows (regioncam)
    python benchmarks/bench_table.py --rows nd,hull,poly,startup --repeat 5

Rows (seeded networks, weights and biases k/64, box [-1, 1]^d, as in bench_regions.py):

* ``2d``: 2-16-16-1, 2-64-64-1, 2-128-128-1, 2-64-64-64-1 against regioncam (float32);
* ``nd``: 4-12-12-1, 5-8-8-1, 6-8-8-1 against affinitree (float64);
* ``z3``: 6-8-8-1 against the Z3 depth-first pattern search (one run, capped);
* ``hull``: exact hull vertices of random rational point sets, ``symrelu.hull`` against ppl;
* ``poly``: products and gradients of parameter-space polynomials,
  ``symrelu.params.polynomial`` against python-flint's ``fmpq_mpoly``;
* ``startup``: ``symrelu --help`` in a fresh interpreter, against a bare ``python -c pass``;
* ``params``: parameter space, the 4 × 4 and 6 × 6 problems of ``bench_param_regions.grid_problem``:
  region enumeration against the plain Z3 search (``symrelu.params.baseline``), kinks and region
  data (``find_kinks`` + ``landscape_payload``, what ``symrelu landscape --json`` prints) against
  the plain Z3 kink search of ``baselines.py`` (every pair, every surface, one query each; capped),
  and (row group ``params6``, several minutes) the 6 × 6 enumeration with its region data (one run;
  its peer capped).

Timings are medians of ``--repeat`` runs, symrelu and the peer alternated (A B A B ...), so
machine load hits both alike. Counts are compared: a different exact count is an error
(exit status 1); a float peer's differing count is printed as a note.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baselines import (  # noqa: E402
    affinitree_available,
    affinitree_count,
    ppl_hull_vertices,
    regioncam_available,
    regioncam_count,
    z3_pattern_search,
)
from bench_param_regions import grid_problem  # noqa: E402
from bench_regions import fmt_time, random_network  # noqa: E402

ROWS_2D = [(2, 16, 16, 1), (2, 64, 64, 1), (2, 128, 128, 1), (2, 64, 64, 64, 1)]
ROWS_ND = [(4, 12, 12, 1), (5, 8, 8, 1), (6, 8, 8, 1)]


def alternate(repeat: int, ours: Callable[[], object], peer: Callable[[], object]) -> tuple[float, object, float, object]:
    """Median times of ``ours`` and ``peer`` run alternately ``repeat`` times each, with their last results."""
    mine, theirs = [], []
    a = b = None
    for _ in range(repeat):
        start = time.perf_counter()
        a = ours()
        mine.append(time.perf_counter() - start)
        start = time.perf_counter()
        b = peer()
        theirs.append(time.perf_counter() - start)
    return statistics.median(mine), a, statistics.median(theirs), b


def line(work: str, ours: str, t_ours: float | None, peer: str, t_peer: float | None) -> None:
    if t_ours is None or t_peer is None:
        ratio = "-"
    elif t_ours >= t_peer:
        ratio = f"{t_ours / t_peer:.1f}x slower"
    else:
        ratio = f"{t_peer / t_ours:.1f}x faster"
    print(f"{work:<28} {ours:>8} {fmt_time(t_ours):>10}   {peer:<22} {fmt_time(t_peer):>10}   {ratio}", flush=True)


def regions_rows(sizes, peer_name: str, peer: Callable, repeat: int, notes: list[str], engine: str | None) -> None:
    from symrelu.regions import enumerate_regions

    for widths in sizes:
        net = random_network(widths, 0)
        box = [(-1, 1)] * widths[0]
        kwargs = {} if engine is None else {"engine": engine}
        t_ours, regions, t_peer, count = alternate(
            repeat, lambda net=net, box=box, kw=kwargs: enumerate_regions(net, box, **kw), lambda net=net, box=box: peer(net, box)
        )
        name = "-".join(map(str, widths))
        if count != len(regions):
            notes.append(f"{name}: {peer_name} (float) finds {count}, symrelu {len(regions)} exact regions")
        line(f"{name} regions", str(len(regions)), t_ours, f"{peer_name} {count}", t_peer)


def z3_row(cap: float, failures: list[str], engine: str | None) -> None:
    from symrelu.regions import enumerate_regions

    net = random_network((6, 8, 8, 1), 0)
    box = [(-1, 1)] * 6
    kwargs = {} if engine is None else {"engine": engine}
    start = time.perf_counter()
    regions = enumerate_regions(net, box, **kwargs)
    t_ours = time.perf_counter() - start
    result = z3_pattern_search(net, box, time_cap=cap)
    if result.complete and result.patterns != tuple(r.pattern for r in regions):
        failures.append("6-8-8-1: Z3 search and symrelu find different patterns")
    peer = f"Z3 DFS {result.count}" if result.complete else f"Z3 DFS >={result.count} (cap)"
    line("6-8-8-1 regions vs Z3", str(len(regions)), t_ours, peer, result.seconds)


def hull_rows(repeat: int, failures: list[str]) -> None:
    from symrelu.hull import hull_vertices

    for dim, count in [(2, 40), (3, 30)]:
        rng = random.Random(f"hull {dim} {count}")
        points = [tuple(Fraction(rng.randint(-50, 50), rng.randint(1, 7)) for _ in range(dim)) for _ in range(count)]
        t_ours, ours, t_peer, theirs = alternate(
            repeat, lambda pts=points: hull_vertices(pts), lambda pts=points: ppl_hull_vertices(pts)
        )
        if sorted(ours) != theirs:
            failures.append(f"hull {dim}-D: symrelu and ppl vertices differ")
        line(f"hull of {count} points, {dim}-D", str(len(ours)), t_ours, f"ppl {len(theirs)}", t_peer)


def poly_rows(repeat: int, failures: list[str]) -> None:
    import flint

    from symrelu.params.polynomial import Polynomial

    nvars = 6
    rng = random.Random("poly")
    factors = [{tuple(rng.randint(0, 1) for _ in range(nvars)): Fraction(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(5)} for _ in range(4)]
    ctx = flint.fmpq_mpoly_ctx.get(("x", nvars), "lex")

    point = [Fraction(k + 1, 7) for k in range(nvars)]

    def ours() -> object:
        product = Polynomial.constant(nvars, 1)
        for f in factors:
            product = product * Polynomial.from_dict(nvars, f)
        return product(point), tuple(g(point) for g in product.gradient())

    def theirs() -> object:
        product = ctx.from_dict({(0,) * nvars: 1})
        for f in factors:
            product = product * ctx.from_dict({e: flint.fmpq(c.numerator, c.denominator) for e, c in f.items()})
        values = [flint.fmpq(v.numerator, v.denominator) for v in point]

        def at(p: object) -> Fraction:
            r = p(*values)  # type: ignore[operator]
            return Fraction(int(r.p), int(r.q))

        return at(product), tuple(at(product.derivative(i)) for i in range(nvars))

    t_ours, a, t_peer, b = alternate(repeat, ours, theirs)
    if a != b:
        failures.append("polynomials: values differ")
    line("polynomial product+gradient", "", t_ours, "fmpq_mpoly", t_peer)


def params_rows(repeat: int, cap: float, failures: list[str]) -> None:
    from baselines import z3_kink_search

    from symrelu.params.baseline import plain_z3_dfs
    from symrelu.params.kinks import find_kinks
    from symrelu.params.landscape import enumerate_parameter_regions as enumerate_regions
    from symrelu.params.report import landscape_payload

    problem = grid_problem(4, 4)
    t_ours, land, t_peer, (patterns, _) = alternate(
        repeat, lambda: enumerate_regions(problem, progress=False), lambda: plain_z3_dfs(problem)
    )
    if [r.pattern for r in land.regions] != patterns:
        failures.append("params 4x4: enumeration and the plain Z3 search find different regions")
    line("params 4x4 regions", str(len(land.regions)), t_ours, f"plain Z3 {len(patterns)}", t_peer)

    def ours() -> tuple:
        kinks = find_kinks(land)
        return kinks, landscape_payload(land, kinks)

    mine = []
    for _ in range(repeat):
        start = time.perf_counter()
        kinks, _ = ours()
        mine.append(time.perf_counter() - start)
    result = z3_kink_search(land, time_cap=cap)
    found = {(k.below, k.above) for k in kinks}
    if result.complete and set(result.pairs) != found:
        failures.append("params 4x4: find_kinks and the Z3 kink search find different kinks")
    if not result.complete and not set(result.pairs) <= found:
        failures.append("params 4x4: the Z3 kink search found a kink that find_kinks did not")
    peer = f"Z3 kinks {len(result.pairs)}" if result.complete else f"Z3 kinks >={len(result.pairs)} (cap)"
    line("params 4x4 kinks+data", str(len(kinks)), statistics.median(mine), peer, result.seconds)



def params6_row(cap: float) -> None:
    """The 6 × 6 problem: enumeration and region data (one run), against the plain Z3 region search (capped)."""
    from symrelu.params.landscape import enumerate_parameter_regions as enumerate_regions
    from symrelu.params.report import landscape_payload

    big = grid_problem(6, 6)
    start = time.perf_counter()
    land = enumerate_regions(big, max_regions=200_000, progress=False)
    t_enum = time.perf_counter() - start
    landscape_payload(land, ())
    t_ours = time.perf_counter() - start
    print(f"  (6x6: enumeration {fmt_time(t_enum)}, region data {fmt_time(t_ours - t_enum)})")
    start = time.perf_counter()
    stopped = _capped_plain_z3(big, cap)
    t_peer = time.perf_counter() - start
    line("params 6x6 regions+data", str(len(land.regions)), t_ours, "plain Z3" + (" (capped)" if stopped else ""), t_peer)


def _capped_plain_z3(problem, cap: float) -> bool:
    """The plain Z3 region search, stopped after ``cap`` seconds (in a child process); True when stopped."""
    import multiprocessing

    from symrelu.params.baseline import plain_z3_dfs

    child = multiprocessing.get_context("spawn").Process(target=plain_z3_dfs, args=(problem,))
    child.start()
    child.join(cap)
    stopped = child.is_alive()
    if stopped:
        child.terminate()
        child.join()
    return stopped


def startup_row(repeat: int) -> None:
    python = sys.executable

    def run(args: list[str]) -> Callable[[], object]:
        return lambda: subprocess.run([python, *args], check=True, capture_output=True)

    t_ours, _, t_peer, _ = alternate(repeat, run(["-m", "symrelu", "--help"]), run(["-c", "pass"]))
    line("symrelu --help", "", t_ours, "python -c pass", t_peer)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="2d,nd,z3,hull,poly,startup,params", help="comma-separated row groups")
    parser.add_argument("--repeat", type=int, default=3, help="alternated runs per row (median; default 3)")
    parser.add_argument("--z3-cap", type=float, default=120.0, help="seconds for the Z3 search (default 120)")
    parser.add_argument("--engine", default=None, help="region engine to pass to enumerate_regions (default: its own choice)")
    args = parser.parse_args(argv)
    groups = set(args.rows.split(","))
    print(f"median of {args.repeat} alternated runs; box [-1,1]^d, weights k/64, seed 0")
    print(f"{'work':<28} {'symrelu':>8} {'time':>10}   {'peer':<22} {'time':>10}   ratio")
    print("-" * 96)
    notes: list[str] = []
    failures: list[str] = []
    if "2d" in groups:
        if regioncam_available():
            regions_rows(ROWS_2D, "regioncam", lambda net, box: regioncam_count(net), args.repeat, notes, args.engine)
        else:
            notes.append("regioncam not installed (pip install '.[bench]'): 2-D rows skipped")
    if "nd" in groups:
        if affinitree_available():
            regions_rows(ROWS_ND, "affinitree", affinitree_count, args.repeat, notes, args.engine)
        else:
            notes.append("affinitree not installed (pip install '.[bench]'): n-D rows skipped")
    if "z3" in groups:
        z3_row(args.z3_cap, failures, args.engine)
    if "hull" in groups:
        hull_rows(args.repeat, failures)
    if "poly" in groups:
        poly_rows(args.repeat, failures)
    if "startup" in groups:
        startup_row(args.repeat)
    if "params" in groups:
        params_rows(args.repeat, args.z3_cap, failures)
    if "params6" in groups:
        params6_row(args.z3_cap)
    for note in notes:
        print("note:", note)
    for failure in failures:
        print("MISMATCH:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
