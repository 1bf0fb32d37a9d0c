"""Solver calls in worker processes that can be stopped: the hard time limit.

Solvers do not always honour their own time limits (cvc5's nonlinear
coverings, for one, can run far past ``tlimit-per``), so each call runs in a
worker process; a call that outlives ``timeout + grace`` has its worker
terminated and becomes an ``unknown`` answer, and a fresh worker takes over.
Tasks travel as (backend, :class:`Obligation`, timeout): plain picklable data
and SMT-LIB text, never z3 objects.

A :class:`concurrent.futures.ProcessPoolExecutor` cannot stop one running
task, which is why this small supervisor exists.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from ..errors import SolverError, SymreluError
from .obligation import Obligation
from .solvers import Backend, SolverAnswer

log = logging.getLogger(__name__)

Task = tuple[Backend, Obligation, float]


def _context() -> Any:
    """``fork`` when this process has a single thread (fast; does not re-run ``__main__``),
    else ``forkserver`` or ``spawn`` (then scripts need the ``if __name__ == "__main__":`` guard)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["symrelu.verify.solvers"])
        return context
    return multiprocessing.get_context("spawn")


def _worker_main(conn: Connection) -> None:
    """Answer tasks until told to stop (None) or the pipe closes."""
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        backend, obligation, timeout_s = task
        try:
            conn.send(("ok", backend.check(obligation, timeout_s)))
        except SymreluError as err:
            conn.send(("error", f"{type(err).__name__}: {err}"))


class _Worker:
    def __init__(self, context: Any) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(timeout=2)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def solve_isolated(tasks: Sequence[Task], jobs: int, grace_s: float) -> list[SolverAnswer]:
    """Answer every task on at most ``jobs`` worker processes with a hard time limit each."""
    if not tasks:
        return []
    context = _context()
    answers: list[SolverAnswer | None] = [None] * len(tasks)
    pending = deque(range(len(tasks)))
    idle = [_Worker(context) for _ in range(min(jobs, len(tasks)))]
    busy: dict[Connection, tuple[_Worker, int, float]] = {}
    try:
        while pending or busy:
            while idle and pending:
                worker, index = idle.pop(), pending.popleft()
                backend, obligation, timeout_s = tasks[index]
                worker.conn.send((backend, obligation, timeout_s))
                busy[worker.conn] = (worker, index, time.monotonic() + timeout_s + grace_s)
            next_deadline = min(deadline for _, _, deadline in busy.values())
            for conn in wait(list(busy), timeout=max(0.0, next_deadline - time.monotonic())):
                worker, index, _ = busy.pop(conn)  # type: ignore[index]
                backend = tasks[index][0]
                try:
                    kind, payload = conn.recv()  # type: ignore[union-attr]
                except (EOFError, ConnectionResetError):
                    code = worker.process.exitcode
                    worker.kill()
                    answers[index] = SolverAnswer(backend.name, "unknown", reason=f"solver process died (exit code {code})")
                    idle.append(_Worker(context))
                    continue
                if kind == "error":
                    raise SolverError(f"{backend.name} on obligation {tasks[index][1].name}: {payload}")
                answers[index] = payload
                idle.append(worker)
            now = time.monotonic()
            for conn, (worker, index, deadline) in list(busy.items()):
                if now >= deadline:
                    del busy[conn]
                    worker.kill()
                    backend, obligation, timeout_s = tasks[index]
                    log.info("stopped %s on %s after %.3gs", backend.name, obligation.name, timeout_s)
                    answers[index] = SolverAnswer(
                        backend.name, "unknown",
                        reason=f"timeout: no answer within {timeout_s:g}s (solver process stopped)",
                    )
                    idle.append(_Worker(context))
    finally:
        for worker, _, _ in busy.values():
            worker.kill()
        for worker in idle:
            worker.stop()
    return [answer for answer in answers if answer is not None]
