"""Benchmark: split work on 2 local processes and on 2 Dask workers vs serial, in one run.

    python benchmarks/bench_parallel.py [--repeat 3] [--quick]

Three kinds of work, each through the shared ``TaskPool`` of ``symrelu/parallel.py``:

* regions: ``enumerate_regions(net, box)``, blocks of the first layer's cells;
* landscape: the ``symrelu landscape --json`` document of issue 10's neurons × points problem
  (regions grown below the first levels of switches, blocks of kink pairs, blocks of region
  entries), local processes opened once per run, so their start-up is inside the timing;
* verify: a batch of the committed ``proofs/artifacts`` obligations (Z3 + cvc5 on each), with
  ``Runner(jobs=2)`` (the solver-process pool) and ``Runner(client=...)``.

Every parallel result is checked to equal the serial one (regions in order, the landscape JSON
byte for byte, every verify outcome). Times are medians of alternated runs (serial, processes,
Dask, serial, ...); the Dask LocalCluster (2 worker processes, 1 thread each) is started once,
outside the timings. The task columns come from one more run through a recording pool sized
for 2 workers: the number of tasks, and the mean pickled bytes sent out and sent back per task.
The load average is printed: on a shared machine it, not the code, bounds the speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_param_regions import grid_problem  # noqa: E402
from bench_regions import fmt_time, random_network  # noqa: E402

from symrelu.parallel import DaskPool, ProcessPool, SerialPool  # noqa: E402
from symrelu.params import find_kinks, landscape_payload  # noqa: E402
from symrelu.params.landscape import enumerate_parameter_regions  # noqa: E402
from symrelu.region_tasks import EngineTask, run_split  # noqa: E402
from symrelu.regions import enumerate_regions  # noqa: E402
from symrelu.validation import check_box  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class RecordingPool:
    """Runs tasks here, sized as ``size`` workers, and records each task's pickled size out and back."""

    size: int = 2
    out: list[int] = field(default_factory=list)
    back: list[int] = field(default_factory=list)

    def __enter__(self) -> RecordingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def describe(self) -> str:
        return f"recording, sized for {self.size} workers"

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any], done: Any = None) -> list[Any]:
        results = []
        for item in items:
            self.out.append(len(pickle.dumps(item)))
            results.append(fn(item))
            self.back.append(len(pickle.dumps(results[-1])))
        return results

    def workers(self) -> int:
        return self.size


def region_work(widths: tuple[int, ...]) -> tuple[str, Callable[..., Any], Callable[[RecordingPool], None]]:
    net = random_network(widths, 0)
    box = [(-1, 1)] * widths[0]

    def run(pool: str, client: Any) -> Any:
        kwargs = {"serial": {}, "jobs": {"jobs": 2}, "dask": {"client": client}}[pool]
        return [(r.pattern, r.vertices) for r in enumerate_regions(net, box, **kwargs)]

    def record(pool: RecordingPool) -> None:
        task = EngineTask(net, check_box(net, box), "2d" if widths[0] == 2 else "vertex", True, None)
        run_split(task, pool, 2)

    return "regions " + "-".join(map(str, widths)), run, record


def landscape_work(neurons: int, points: int) -> tuple[str, Callable[..., Any], Callable[[RecordingPool], None]]:
    problem = grid_problem(neurons, points)

    def document(pool: Any) -> str:
        land = enumerate_parameter_regions(problem, progress=False, pool=pool)
        return json.dumps(landscape_payload(land, find_kinks(land, pool=pool), pool=pool), sort_keys=True)

    def run(pool: str, client: Any) -> Any:
        if pool == "jobs":
            with ProcessPool(2) as local:
                return document(local)
        return document(DaskPool(client) if pool == "dask" else SerialPool())

    return f"landscape {neurons}x{points}", run, document


def verify_work(count: int) -> tuple[str, Callable[..., Any], Callable[[RecordingPool], None]]:
    from symrelu.proofs_support.solving import SmtFile
    from symrelu.verify.engine.runner import Runner
    from symrelu.verify.engine.workers import solve_on_pool

    files = []
    for path in sorted((ROOT / "proofs" / "artifacts").rglob("*.smt2")):
        text = path.read_text(encoding="utf-8")
        status = re.findall(r"\(set-info :status (sat|unsat)\)", text)
        if len(status) == 1:
            files.append(SmtFile.read(path.relative_to(ROOT).as_posix(), text, status[0]))
    batch = files[:count]

    def run(pool: str, client: Any) -> Any:
        runner = {"serial": Runner(timeout_s=120), "jobs": Runner(timeout_s=120, jobs=2),
                  "dask": Runner(timeout_s=120, client=client)}[pool]
        return runner.run(batch)

    def record(pool: RecordingPool) -> None:
        runner = Runner(timeout_s=120)
        solve_on_pool(pool, [(b, ob, runner.timeout_s) for ob in batch for b in runner.backends], True, runner.grace_s)

    return f"verify {len(batch)} obligations", run, record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one small case of each kind")
    args = parser.parse_args(argv)
    from dask.distributed import Client, LocalCluster

    if args.quick:
        works = [region_work((4, 12, 12, 1)), landscape_work(4, 4), verify_work(12)]
    else:
        works = [region_work((2, 64, 64, 64, 1)), region_work((4, 12, 12, 1)), landscape_work(4, 4), landscape_work(5, 3),
                 verify_work(24)]
    failures = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, Client(cluster) as client:
        print(f"median of {args.repeat} alternated runs; 2 local processes and 2 Dask workers (started once); "
              f"load average {os.getloadavg()[0]:.1f} at the start")
        header = (f"{'work':<26} {'serial':>9} {'2 procs':>9} {'ratio':>6} {'dask x2':>9} {'ratio':>6} "
                  f"{'tasks':>5} {'out/task':>9} {'back/task':>9}")
        print(header)
        print("-" * len(header))
        for name, run, record in works:
            times: dict[str, list[float]] = {"serial": [], "jobs": [], "dask": []}
            results: dict[str, Any] = {}
            for _ in range(args.repeat):
                for pool in ("serial", "jobs", "dask"):
                    start = time.perf_counter()
                    results[pool] = run(pool, client)
                    times[pool].append(time.perf_counter() - start)
            if not results["serial"] == results["jobs"] == results["dask"]:
                failures.append(name)
            serial, jobs, dask = (statistics.median(times[k]) for k in ("serial", "jobs", "dask"))
            recorder = RecordingPool()
            record(recorder)
            tasks = len(recorder.out)
            out = sum(recorder.out) / max(1, tasks) / 1024
            back = sum(recorder.back) / max(1, tasks) / 1024
            print(f"{name:<26} {fmt_time(serial):>9} {fmt_time(jobs):>9} {serial / jobs:>5.2f}x {fmt_time(dask):>9} "
                  f"{serial / dask:>5.2f}x {tasks:>5} {out:>7.1f}kB {back:>7.1f}kB", flush=True)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    for failure in failures:
        print("MISMATCH:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
