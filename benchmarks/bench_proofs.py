"""Benchmark the proof book: a full ``symrelu proofs build`` plus ``symrelu proofs check`` (budget: 60 s).

Run: python benchmarks/bench_proofs.py [--repeat 3]

The build writes into a temporary folder (``--out``), so the committed
artifacts are never touched; the check runs on the repository itself (it
re-runs every committed .smt2 with Z3 and cvc5 and rebuilds in memory). Both
run as separate processes, interpreter start-up included, as a user would run
them. Figures are wall-clock and machine-dependent; nothing here is a test.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger("bench_proofs")

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 60.0


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "symrelu", *argv], cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"symrelu {' '.join(argv)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    rows = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as out:
            build = timed(["proofs", "build", "--root", str(ROOT), "--out", out])
        check = timed(["proofs", "check", "--root", str(ROOT)])
        rows.append((build, check, build + check))
    best = min(rows, key=lambda r: r[2])
    log.info(f"{'run':>3} {'build s':>8} {'check s':>8} {'total s':>8}")
    for i, (build, check, total) in enumerate(rows, start=1):
        log.info(f"{i:>3} {build:8.2f} {check:8.2f} {total:8.2f}")
    verdict = "within" if best[2] <= BUDGET_S else "OVER"
    log.info(f"best total {best[2]:.2f} s: {verdict} the {BUDGET_S:.0f} s budget")


if __name__ == "__main__":
    main()
