"""Benchmark: the parameter-space landscape (regions, kinks, region data) of this tree against an older commit.

    python benchmarks/bench_params_before_after.py --before cf64888 --size 3x3 --size 4x4

The older commit's ``symrelu`` is exported with ``git archive`` into a temporary folder; each
problem (``bench_param_regions.grid_problem``) is run in a fresh interpreter per side, before and
after alternated, and the two JSON documents (``landscape_payload`` plus every kink's witnesses)
must be identical (their SHA-256). Times are wall and CPU seconds of the child (CPU is what a
loaded machine distorts least); "peak RSS" is the child's peak resident memory at the end of the
stage (so it includes the stages before).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = r"""
import hashlib, json, resource, sys, time
sys.path.insert(0, {bench!r})
from bench_param_regions import grid_problem
from symrelu.params.kinks import find_kinks
from symrelu.params import enumerate_regions  # the name older commits have too
from symrelu.params.report import landscape_payload

def stage(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

problem = grid_problem({neurons}, {points})
land, *enum = stage(lambda: enumerate_regions(problem, max_regions=200_000, progress=False))
kinks, *kink = stage(lambda: find_kinks(land))
payload, *data = stage(lambda: landscape_payload(land, kinks))
witnesses = [[str(v) for v in (k.witness or ())] + ["|"] + [str(v) for v in (k.dangerous_witness or ())] for k in kinks]
digest = hashlib.sha256(json.dumps({{"payload": payload, "witnesses": witnesses}}, sort_keys=True).encode()).hexdigest()
print(json.dumps({{"enum": enum, "kinks": kink, "data": data, "regions": len(land.regions), "count": len(kinks),
                  "digest": digest}}))
"""


def run(tree: Path, neurons: int, points: int) -> dict:
    code = CHILD.format(bench=str(HERE), neurons=neurons, points=points)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=tree,
                         env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout)


def _median(runs: list[dict]) -> dict:
    """Each stage's median wall, CPU and peak RSS over the runs (the rest from the first run)."""
    out = dict(runs[0])
    for key in ("enum", "kinks", "data"):
        out[key] = [statistics.median(r[key][i] for r in runs) for i in range(3)]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="git revision to compare against")
    parser.add_argument("--size", action="append", default=None, help="NEURONSxPOINTS (repeatable; default 3x3)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per side, alternated before/after; medians printed")
    args = parser.parse_args(argv)
    sizes = [tuple(int(v) for v in s.split("x")) for s in (args.size or ["3x3"])]
    failures = 0
    with tempfile.TemporaryDirectory() as old:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before, "symrelu"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        print(f"{'problem':<8} {'stage':<8} {'before wall':>12} {'cpu':>9} {'peak RSS':>9} {'after wall':>12} {'cpu':>9} "
              f"{'peak RSS':>9} {'cpu ratio':>10}")
        for neurons, points in sizes:
            befores, afters = [], []
            for _ in range(args.repeat):  # A B A B
                befores.append(run(Path(old), neurons, points))
                afters.append(run(ROOT, neurons, points))
            before, after = _median(befores), _median(afters)
            name = f"{neurons}x{points}"
            for key in ("enum", "kinks", "data"):
                (bw, bc, br), (aw, ac, ar) = before[key], after[key]
                print(f"{name:<8} {key:<8} {bw:>11.3f}s {bc:>8.3f}s {br:>6.0f} MB {aw:>11.3f}s {ac:>8.3f}s {ar:>6.0f} MB "
                      f"{bc / max(ac, 1e-9):>9.1f}x")
            same = len({r["digest"] for r in befores + afters}) == 1
            print(f"{name:<8} {before['regions']} regions, {before['count']} / {after['count']} kinks, "
                  f"outputs {'identical' if same else 'DIFFER'}")
            failures += not same
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
