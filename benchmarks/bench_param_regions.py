"""Benchmark: parameter-space region enumeration vs a plain Z3 depth-first search.

Family (linear path): n data points x_i ∈ ℝ, one hidden layer of m neurons with
trainable weight w_j and bias b_j, fixed output weights; θ ∈ ℝ^{2m}, box [−2, 2].
Family (nonlinear path): the same plus a trainable output weight behind an output
ReLU, so the output switch is bilinear in θ.

Both methods run in the same process; the patterns they find are compared.
Run:  python benchmarks/bench_param_regions.py [--max-n 4] [--max-m 3]
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction

from symrelu.network import Network
from symrelu.params.baseline import plain_z3_dfs
from symrelu.params.landscape import enumerate_parameter_regions
from symrelu.params.problem import Problem


def family(n: int, m: int, nonlinear: bool) -> Problem:
    first = [[f"w{j}"] for j in range(m)]
    bias = [f"b{j}" for j in range(m)]
    second = [["a0" if nonlinear and j == 0 else str((-1) ** j) for j in range(m)]]
    net = Network.from_rows([(first, bias), (second, ["0"])], output_relu=nonlinear)
    data = [((Fraction(2 * i + 1, 2) * (-1) ** i,), (Fraction(i % 3, 2),)) for i in range(n)]
    domain = {p.name: ("-2", "2") for p in net.parameters}
    return Problem(net, data, "squared", domain)


def grid_problem(neurons: int, points: int) -> Problem:
    """Issue 10's "neurons × points" problem: hidden neuron j is relu(w_j x − 1), w_j trainable in [−2, 2],
    output Σ (−1)^j relu(...), data x_i = i + 1 with targets (i mod 3) / 2, squared loss.

    Each w_j crosses the switches w_j = 1/x_i, so there are (points + 1)^neurons regions
    (625 for 4 × 4, 117,649 for 6 × 6) and neurons · points · (points + 1)^(neurons − 1) kinks.
    """
    first = [[f"w{j}"] for j in range(neurons)]
    second = [[str((-1) ** j) for j in range(neurons)]]
    net = Network.from_rows([(first, ["-1"] * neurons), (second, ["0"])])
    data = [((Fraction(i + 1),), (Fraction(i % 3, 2),)) for i in range(points)]
    return Problem(net, data, "squared", {f"w{j}": ("-2", "2") for j in range(neurons)})


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-n", type=int, default=4)
    parser.add_argument("--max-m", type=int, default=3)
    parser.add_argument("--nonlinear-max", type=int, default=2, help="largest n = m for the nonlinear family")
    args = parser.parse_args()
    header = f"{'family':<10} {'n':>2} {'m':>2} {'k':>2} {'regions':>7} {'ours s':>8} {'calls':>6} {'dfs s':>8} {'calls':>6} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    cases = [(n, m, False) for m in range(1, args.max_m + 1) for n in range(1, args.max_n + 1)]
    cases += [(n, n, True) for n in range(1, args.nonlinear_max + 1)]
    for n, m, nonlinear in cases:
        prob = family(n, m, nonlinear)
        land, ours = timed(lambda: enumerate_parameter_regions(prob, max_regions=100_000, progress=False))
        (patterns, calls), theirs = timed(lambda: plain_z3_dfs(prob))
        if [r.pattern for r in land.regions] != patterns:
            raise SystemExit(f"MISMATCH at n={n} m={m}: methods disagree")
        name = "nonlinear" if nonlinear else "linear"
        print(
            f"{name:<10} {n:>2} {m:>2} {len(prob.parameters):>2} {len(land.regions):>7} {ours:>8.3f} "
            f"{land.solver_calls:>6} {theirs:>8.3f} {calls:>6} {theirs / ours:>6.2f}"
        )


if __name__ == "__main__":
    main()
