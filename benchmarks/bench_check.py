"""symrelu check and Marabou side by side, in one run: answers, exact replay of Marabou's witnesses, time ratios.

Cases: the VNN-COMP test instances bundled in symrelu/examples/nets (test_small, test_nano,
test_sat, test_unsat with their properties) and the fragile nets bundled in symrelu/examples/nets, whose
answers follow from hand algebra (tests/fragile_nets.py).

Each timing is the best of ``--repeat`` runs of load + solve in this process (imports done
before timing). A Marabou ``sat`` is replayed exactly: its input, as the float it returned, must
lie in the property's box and its exact output must satisfy the constraints in rationals.

Run: python benchmarks/bench_check.py [--repeat 3]
Figures are wall-clock and machine-dependent; nothing here is a test.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import warnings
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NETS = ROOT / "symrelu" / "examples" / "nets"
FRAGILE = ROOT / "symrelu" / "examples" / "nets"
sys.path.insert(0, str(ROOT / "tests"))

import fragile_nets  # noqa: E402

from symrelu.check import check_property, load_vnnlib  # noqa: E402
from symrelu.loaders import load_network  # noqa: E402

CASES = [
    ("test_small", NETS / "test_small.onnx", NETS / "test_small.vnnlib", None),
    ("test_nano", NETS / "test_nano.onnx", NETS / "test_nano.vnnlib", None),
    ("test_sat", NETS / "test_sat.onnx", NETS / "test_prop.vnnlib", "sat"),
    ("test_unsat", NETS / "test_unsat.onnx", NETS / "test_prop.vnnlib", "unsat"),
] + [(name, FRAGILE / f"{name}.onnx", FRAGILE / f"{name}.vnnlib", case[6]) for name, case in fragile_nets.CASES.items()]


def run_symrelu(net_path: Path, prop_path: Path) -> str:
    return check_property(load_network(net_path), load_vnnlib(prop_path)).result


def run_marabou(net_path: Path, prop_path: Path) -> tuple[str, str]:
    """Marabou's answer, and whether its witness survives exact replay."""
    from maraboupy import Marabou

    network = Marabou.read_onnx(str(net_path))
    try:
        answer, values, _ = network.solve(propertyFilename=str(prop_path), verbose=False, options=Marabou.createOptions(verbosity=0))
    except RuntimeError as err:  # e.g. its property reader refuses strict '<' / '>'
        return "error", str(err)[:18]
    if answer != "sat":
        return answer, ""
    prop = load_vnnlib(prop_path)
    inputs = [v for row in network.inputVars for v in row.reshape(-1)]
    x = tuple(Fraction(float(values[v])) for v in inputs)
    y = load_network(net_path).evaluate(x)
    if prop.holds(x, y) is not None:
        return answer, "replays"
    inside = any(all(lo <= v <= hi for v, (lo, hi) in zip(x, d.box, strict=True)) for d in prop.disjuncts)
    return answer, "FAILS: output" if inside else "FAILS: outside box"


def best_time(fn, repeat: int):  # type: ignore[no-untyped-def]
    best, answer = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        answer = fn()
        best = min(best, time.perf_counter() - start)
    return answer, best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    import maraboupy  # noqa: F401  (import cost outside the timings)

    header = f"{'case':<18} {'expected':>8} {'symrelu':>8} {'time':>8} {'Marabou':>8} {'replay':>18} {'time':>8} {'sym/Mar':>8}"
    print(header)
    print("-" * len(header))
    wrong = 0
    for name, net_path, prop_path, expected in CASES:
        ours, ours_t = best_time(lambda n=net_path, p=prop_path: run_symrelu(n, p), args.repeat)
        (theirs, replay), theirs_t = best_time(lambda n=net_path, p=prop_path: run_marabou(n, p), args.repeat)
        if expected is not None and ours != expected:
            wrong += 1
        print(f"{name:<18} {expected or '-':>8} {ours:>8} {ours_t:>7.3f}s {theirs:>8} {replay or '-':>18} {theirs_t:>7.3f}s "
              f"{ours_t / theirs_t:>7.1f}x")
    print(f"\nsymrelu wrong answers: {wrong}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
