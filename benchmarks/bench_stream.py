"""Benchmark: streaming regions (``iter_regions``) against counting them and against holding them all.

    python benchmarks/bench_stream.py                               # 2-1024-1024-1 (736,334 regions): import, count, stream
    python benchmarks/bench_stream.py --net 2-512-512-1 --modes import,count,stream,all

Each mode runs in a fresh interpreter, so its peak resident memory (``ru_maxrss``) is its own:

* ``import``: symrelu imported and the network built, nothing enumerated (the fixed floor);
* ``count``: the 2-D engine's cells block by block (``iter_cells_2d``), only counted: no ``Region``;
* ``stream``: ``iter_regions``, every region's pattern read, none kept;
* ``all``: ``enumerate_regions``, every region held at once (what streaming avoids).

Seeded networks (weights and biases k/64, box [-1, 1]^2) as in ``bench_regions.py``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_regions import fmt_time, random_network  # noqa: E402

MODES = ("import", "count", "stream", "all")


def child(mode: str, widths: tuple[int, ...], block: int) -> dict[str, object]:
    from symrelu.regions import enumerate_regions, iter_regions
    from symrelu.regions2d import iter_cells_2d
    from symrelu.validation import check_box

    net = random_network(widths, 0)
    box = [(-1, 1)] * widths[0]
    wall, cpu = time.perf_counter(), time.process_time()
    count = 0
    if mode == "count":
        count = sum(len(cells) for cells in iter_cells_2d(net, check_box(net, box), block))
    elif mode == "stream":
        for region in iter_regions(net, box, block=block):
            region.pattern  # noqa: B018 - read, then dropped
            count += 1
    elif mode == "all":
        count = len(enumerate_regions(net, box))
    return {
        "mode": mode,
        "regions": count,
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # kilobytes on Linux
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--net", default="2-1024-1024-1", help="layer widths (default 2-1024-1024-1)")
    parser.add_argument("--block", type=int, default=512, help="first-layer cells per block (default 512)")
    parser.add_argument("--modes", default="import,count,stream", help=f"comma-separated, from {', '.join(MODES)}")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    widths = tuple(int(w) for w in args.net.split("-"))
    if args.child:
        print(json.dumps(child(args.child, widths, args.block)))
        return 0
    print(f"{args.net}, seed 0, box [-1,1]^2, block {args.block}; each mode in its own interpreter")
    print(f"{'mode':<8} {'regions':>10} {'wall':>10} {'cpu':>10} {'peak RSS':>10}")
    print("-" * 52)
    counts = set()
    for mode in args.modes.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, "--net", args.net, "--block", str(args.block)],
            check=True, capture_output=True, text=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        if mode != "import":
            counts.add(row["regions"])
        print(f"{mode:<8} {row['regions']:>10} {fmt_time(row['wall']):>10} {fmt_time(row['cpu']):>10} {row['peak_mb']:>7.0f} MB", flush=True)
    if len(counts) > 1:
        print("MISMATCH: the modes count different regions", sorted(counts))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
