"""Benchmark the verification engine: obligations per second and the --jobs 2 speed-up.

Run: python benchmarks/bench_verify.py [--sizes 2,4,8] [--repeat 8]
Figures are wall-clock and machine-dependent; nothing here is a test.
"""

from __future__ import annotations

import argparse
import logging
import random
import time
from dataclasses import replace
from fractions import Fraction

from symrelu.network import Network
from symrelu.verify import Runner, Verdict
from symrelu.verify.lipschitz import _obligation, check_box

log = logging.getLogger("bench_verify")


def random_network(width: int, seed: int, inputs: int = 2) -> Network:
    rng = random.Random(seed)
    def rat() -> str:
        return f"{rng.randint(-4, 4)}/{rng.randint(1, 3)}"
    hidden = ([[rat() for _ in range(inputs)] for _ in range(width)], [rat() for _ in range(width)])
    out = ([[rat() for _ in range(width)]], [rat()])
    return Network.from_rows([hidden, out], source=f"random-w{width}-s{seed}")


def obligations(width: int, count: int, norm: str) -> list:
    result = []
    for seed in range(count):
        net = random_network(width, seed)
        box = check_box(net, [(Fraction(-1), Fraction(1))] * net.input_dim)
        bound = sum(abs(w) for row in net.layers[1].weight for w in row) * 8  # loose, so most are unsat
        ob = _obligation(net, box, 0, norm, bound if norm != "2" else None, bound * bound, net.source, 10**6)
        result.append(replace(ob, name=f"{ob.name}-s{seed}"))
    return result


def timed(runner: Runner, batch: list) -> tuple[float, int]:
    started = time.perf_counter()
    outcomes = runner.run(batch)
    return time.perf_counter() - started, sum(o.verdict is Verdict.PROVED for o in outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2,4,8,16")
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument("--norm", default="inf", choices=("1", "2", "inf"))
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()
    print(f"{'width':>5} {'obligations':>11} {'proved':>6} {'jobs=1 s':>9} {'ob/s':>6} {'jobs=2 s':>9} {'speed-up':>8}")
    for width in (int(w) for w in args.sizes.split(",")):
        batch = obligations(width, args.repeat, args.norm)
        one, proved = timed(Runner(timeout_s=args.timeout, jobs=1), batch)
        two, _ = timed(Runner(timeout_s=args.timeout, jobs=2), batch)
        print(f"{width:>5} {len(batch):>11} {proved:>6} {one:>9.2f} {len(batch) / one:>6.2f} {two:>9.2f} {one / two:>8.2f}")


if __name__ == "__main__":
    main()
