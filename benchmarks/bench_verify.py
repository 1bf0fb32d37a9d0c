"""Benchmark the verification engine, all in one run.

1. Per-region Clarke-bound obligations per second (``clarke_bound`` on random
   one-hidden-layer problems of growing width), with --jobs 1 and --jobs 2.
2. The direct-encoding Lipschitz checks against the region-based exact values:
   ``input_lipschitz`` (direct ReLU encoding) vs ``symrelu.lipschitz_constant``
   (region enumeration) on networks, and ``lipschitz_on_domain`` vs
   ``clarke_bound`` on problems, of growing size.

Run: python benchmarks/bench_verify.py [--widths 2,3,4] [--net-widths 2,4,8,16] [--timeout 30]
Figures are wall-clock and machine-dependent; nothing here is a test.
"""

from __future__ import annotations

import argparse
import logging
import random
import time
from fractions import Fraction

from symrelu.lipschitz import lipschitz_constant
from symrelu.network import Network
from symrelu.params import Problem, enumerate_parameter_regions
from symrelu.verify import Runner, Verdict, clarke_bound, input_lipschitz, lipschitz_on_domain
from symrelu.verify.checks.clarke_bound import _obligation, region_maximum

log = logging.getLogger("bench_verify")


def random_network(width: int, seed: int, inputs: int = 2) -> Network:
    rng = random.Random(seed)

    def rat() -> str:
        return f"{rng.randint(-4, 4)}/{rng.randint(1, 3)}"

    hidden = ([[rat() for _ in range(inputs)] for _ in range(width)], [rat() for _ in range(width)])
    out = ([[rat() for _ in range(width)]], [rat()])
    return Network.from_rows([hidden, out], source=f"random-w{width}-s{seed}")


def random_problem(width: int, seed: int, points: int = 2) -> Problem:
    """f(x) = Σ_j a_j relu(w_j x + b_j) with the w_j trainable (k = width parameters), on D = [-1, 1]^k."""
    rng = random.Random(seed)
    hidden = ([[f"w{j}"] for j in range(width)], [f"{rng.randint(-2, 2)}/4" for _ in range(width)])
    out = ([[f"{rng.choice([-2, -1, 1, 2])}/2" for _ in range(width)]], ["0"])
    data = [([f"{rng.choice([-2, -1, 1, 2])}/2"], [f"{rng.randint(-2, 2)}/2"]) for _ in range(points)]
    return Problem(Network.from_rows([hidden, out], source=f"problem-w{width}-s{seed}"), data, "squared",
                   {f"w{j}": ("-1", "1") for j in range(width)})


def clarke_throughput(widths: list[int], timeout: float) -> None:
    print("\n1. clarke_bound per-region obligations (z3 + cvc5 on each)")
    print(f"{'params':>6} {'regions':>7} {'G^2':>8} {'jobs=1 s':>9} {'ob/s':>6} {'jobs=2 s':>9} {'ob/s':>6} {'speed-up':>8}")
    for width in widths:
        problem = random_problem(width, seed=width)
        land = enumerate_parameter_regions(problem)
        g2 = max(region_maximum(r, problem.domain).value for r in land.regions)  # type: ignore[type-var]
        batch = [_obligation(problem, r, g2, problem.network.source, 10**6) for r in land.regions]
        times = []
        for jobs in (1, 2):
            started = time.perf_counter()
            outcomes = Runner(timeout_s=timeout, jobs=jobs).run(batch)
            times.append(time.perf_counter() - started)
            if not all(o.verdict is Verdict.PROVED for o in outcomes):
                print(f"   note: not every obligation proved at width {width} (jobs={jobs})")
        one, two = times
        print(f"{width:>6} {len(batch):>7} {str(g2):>8} {one:>9.2f} {len(batch) / one:>6.1f} {two:>9.2f} "
              f"{len(batch) / two:>6.1f} {one / two:>8.2f}")


def network_lipschitz(widths: list[int], timeout: float) -> None:
    print("\n2a. networks (2 inputs, box [-1,1]^2, 2-norm): region enumeration (exact K) vs direct-encoding proof of K")
    print(f"{'width':>5} {'regions':>7} {'K^2':>10} {'regions s':>9} {'direct s':>9} {'verdict':>8} {'direct/regions':>14}")
    for width in widths:
        net = random_network(width, seed=width)
        box = [(Fraction(-1), Fraction(1))] * 2
        started = time.perf_counter()
        exact = lipschitz_constant(net, box, norm="2")
        regions_s = time.perf_counter() - started
        started = time.perf_counter()
        proof = input_lipschitz(net, box, K_squared=exact.constant_squared, norm="2", runner=Runner(timeout_s=timeout))
        direct_s = time.perf_counter() - started
        print(f"{width:>5} {exact.region_count:>7} {str(exact.constant_squared):>10} {regions_s:>9.3f} {direct_s:>9.2f} "
              f"{proof.verdict.value:>8} {direct_s / regions_s:>14.0f}")


def problem_lipschitz(widths: list[int], timeout: float) -> None:
    print("\n2b. problems (D = [-1,1]^k): clarke_bound (regions) vs lipschitz_on_domain (direct encoding) at the same G^2")
    print(f"{'params':>6} {'regions':>7} {'G^2':>8} {'clarke s':>8} {'clarke':>7} {'lemma G^2':>9} {'direct s':>8} "
          f"{'route':>6} {'verdict':>8} {'ratio':>6}")
    for width in widths:
        problem = random_problem(width, seed=width)
        runner = Runner(timeout_s=timeout)
        started = time.perf_counter()
        clarke = clarke_bound(problem, runner=runner)
        clarke_s = time.perf_counter() - started
        started = time.perf_counter()
        direct = lipschitz_on_domain(problem, G_squared=clarke.value_squared, runner=runner)
        direct_s = time.perf_counter() - started
        print(f"{width:>6} {clarke.details['regions']:>7} {str(clarke.value_squared):>8} {clarke_s:>8.2f} "
              f"{clarke.verdict.value:>7} {str(direct.details['lemma_G_squared']):>9} {direct_s:>8.2f} "
              f"{direct.details.get('route', '-'):>6} {direct.verdict.value:>8} {direct_s / clarke_s:>6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--widths", default="3,4,6", help="problem widths (= parameters)")
    parser.add_argument("--net-widths", default="2,4,8,16", help="hidden widths of the random networks")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per obligation and solver")
    args = parser.parse_args()
    widths = [int(w) for w in args.widths.split(",")]
    clarke_throughput(widths, args.timeout)
    network_lipschitz([int(w) for w in args.net_widths.split(",")], args.timeout)
    problem_lipschitz(widths, args.timeout)


if __name__ == "__main__":
    main()
