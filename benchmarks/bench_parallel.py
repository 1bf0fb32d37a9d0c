"""Benchmark: region enumeration split into independent tasks, serial vs 2 local processes vs 2 Dask workers.

    python benchmarks/bench_parallel.py [--repeat 3]

Each parallel run is checked to give exactly the serial regions in the same order. Times are
medians of alternated runs (serial, processes, Dask, ...); the Dask LocalCluster (2 worker
processes, 1 thread each) is started once, outside the timings. Task sizes are printed for the
first of 8 blocks: the pickled task (network, box, the block's first-layer cells) going out and
the pickled cells coming back.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_regions import fmt_time, random_network  # noqa: E402

from symrelu.region_tasks import EngineTask, _block, _count, blocks_of, run_block  # noqa: E402
from symrelu.regions import enumerate_regions, first_layer  # noqa: E402
from symrelu.validation import check_box  # noqa: E402

SIZES = [(2, 128, 128, 1), (2, 64, 64, 64, 1), (6, 8, 8, 1), (4, 12, 12, 1)]


def key(regions):
    return [(r.pattern, r.vertices) for r in regions]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from dask.distributed import Client, LocalCluster

    failures = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        print(f"median of {args.repeat} alternated runs; 2 local processes (spawned per call) and 2 Dask workers (started once)")
        header = f"{'network':<14} {'regions':>7} {'serial':>10} {'2 procs':>10} {'speed-up':>8} {'dask x2':>10} {'speed-up':>8} {'task out':>9} {'cells back':>10}"
        print(header)
        print("-" * len(header))
        for widths in SIZES:
            net = random_network(widths, 0)
            box = [(-1, 1)] * widths[0]
            times: dict[str, list[float]] = {"serial": [], "jobs": [], "dask": []}
            results = {}
            for _ in range(args.repeat):
                for name, kwargs in (("serial", {}), ("jobs", {"jobs": 2}), ("dask", {"client": client})):
                    start = time.perf_counter()
                    results[name] = enumerate_regions(net, box, **kwargs)
                    times[name].append(time.perf_counter() - start)
            if not key(results["serial"]) == key(results["jobs"]) == key(results["dask"]):
                failures.append("-".join(map(str, widths)))
            serial, jobs, dask = (statistics.median(times[k]) for k in ("serial", "jobs", "dask"))
            bounds = check_box(net, box)
            task = EngineTask(net, bounds, "2d" if widths[0] == 2 else "vertex", True, None)
            first = first_layer(task)
            item = (task, _block(first, blocks_of(_count(first), 8)[0]))
            out = len(pickle.dumps(item))
            back = len(pickle.dumps(run_block(item)))
            print(
                f"{'-'.join(map(str, widths)):<14} {len(results['serial']):>7} {fmt_time(serial):>10} {fmt_time(jobs):>10} "
                f"{serial / jobs:>7.2f}x {fmt_time(dask):>10} {serial / dask:>7.2f}x {out / 1024:>7.1f}kB {back / 1024:>8.1f}kB",
                flush=True,
            )
    for failure in failures:
        print("MISMATCH:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
