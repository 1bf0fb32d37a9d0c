"""Solver calls in worker processes that can be stopped: the hard time limit.

Solvers do not always honour their own time limits (cvc5's nonlinear
coverings, for one, can run far past ``tlimit-per``), so each call runs in a
worker process; a call that outlives ``timeout + grace`` has its worker
terminated and becomes an ``unknown`` answer, and a fresh worker takes over.
Tasks travel as (backend, :class:`Obligation`, timeout): plain picklable data
and SMT-LIB text, never z3 objects.

Workers are separate interpreters (``python -m symrelu.verify.engine.workers``)
talking over their standard input and output, so nothing depends on how the
caller was started: no fork of a multi-threaded process, and no re-run of an
unguarded ``__main__`` script. A :class:`concurrent.futures.ProcessPoolExecutor`
cannot stop one running task, which is why this small supervisor exists.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait
from typing import Any, BinaryIO

from ...errors import SolverError, SymreluError
from ...parallel import TaskPool
from .obligation import Obligation
from .solvers import Backend, SolverAnswer

log = logging.getLogger(__name__)

Task = tuple[Backend, Obligation, float]


def solve_chunk(item: tuple[Sequence[Task], bool, float]) -> list[SolverAnswer]:
    """One task of a pool (a Dask worker): a chunk of solver calls, each in a stoppable process when
    ``isolate``, else here; the answers in chunk order."""
    tasks, isolate, grace_s = item
    if isolate:
        return solve_isolated(tasks, 1, grace_s)
    return [backend.check(obligation, timeout_s) for backend, obligation, timeout_s in tasks]


def _serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """Answer pickled tasks until told to stop (None) or the input closes."""
    while True:
        try:
            task = pickle.load(requests)
        except EOFError:
            return
        if task is None:
            return
        backend, obligation, timeout_s = task
        try:
            reply: tuple[str, object] = ("ok", backend.check(obligation, timeout_s))
        except SymreluError as err:
            reply = ("error", f"{type(err).__name__}: {err}")
        pickle.dump(reply, replies)
        replies.flush()


class _Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "symrelu.verify.engine.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.replies: BinaryIO = self.process.stdout  # type: ignore[assignment]

    def send(self, task: Task | None) -> None:
        pickle.dump(task, self.process.stdin)  # type: ignore[arg-type]
        self.process.stdin.flush()  # type: ignore[union-attr]

    def receive(self) -> tuple[str, Any]:
        return pickle.load(self.replies)

    def stop(self) -> None:
        try:
            self.send(None)
        except (BrokenPipeError, OSError):
            pass
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def solve_isolated(
    tasks: Sequence[Task], jobs: int, grace_s: float, on_answer: Callable[[SolverAnswer], None] | None = None
) -> list[SolverAnswer]:
    """Answer every task on at most ``jobs`` worker processes with a hard time limit each, in task order;
    ``on_answer`` sees each answer as it arrives."""
    if not tasks:
        return []
    answers: list[SolverAnswer | None] = [None] * len(tasks)

    def settle(index: int, answer: SolverAnswer) -> None:
        answers[index] = answer
        if on_answer is not None:
            on_answer(answer)
    pending = deque(range(len(tasks)))
    idle = [_Worker() for _ in range(min(jobs, len(tasks)))]
    busy: dict[BinaryIO, tuple[_Worker, int, float]] = {}
    try:
        while pending or busy:
            while idle and pending:
                worker, index = idle.pop(), pending.popleft()
                backend, obligation, timeout_s = tasks[index]
                worker.send((backend, obligation, timeout_s))
                busy[worker.replies] = (worker, index, time.monotonic() + timeout_s + grace_s)
            next_deadline = min(deadline for _, _, deadline in busy.values())
            for ready in wait(list(busy), timeout=max(0.0, next_deadline - time.monotonic())):  # type: ignore[arg-type]
                worker, index, _ = busy.pop(ready)  # type: ignore[call-overload]
                backend = tasks[index][0]
                try:
                    kind, payload = worker.receive()
                except (EOFError, ConnectionResetError, pickle.UnpicklingError):
                    code = worker.process.poll()
                    worker.kill()
                    settle(index, SolverAnswer(backend.name, "unknown", reason=f"solver process died (exit code {code})"))
                    idle.append(_Worker())
                    continue
                if kind == "error":
                    raise SolverError(f"{backend.name} on obligation {tasks[index][1].name}: {payload}")
                settle(index, payload)
                idle.append(worker)
            now = time.monotonic()
            for replies, (worker, index, deadline) in list(busy.items()):
                if now >= deadline:
                    del busy[replies]
                    worker.kill()
                    backend, obligation, timeout_s = tasks[index]
                    log.info("stopped %s on %s after %.3gs", backend.name, obligation.name, timeout_s)
                    settle(index, SolverAnswer(
                        backend.name, "unknown",
                        reason=f"timeout: no answer within {timeout_s:g}s (solver process stopped)",
                    ))
                    idle.append(_Worker())
    finally:
        for worker, _, _ in busy.values():
            worker.kill()
        for worker in idle:
            worker.stop()
    return [answer for answer in answers if answer is not None]


CHUNKS_PER_WORKER = 1
"""Chunks of solver calls per pool worker: each chunk starts one solver process (an interpreter that
imports Z3 and cvc5), so few and large."""


def solve_on_pool(
    pool: TaskPool, tasks: Sequence[Task], isolate: bool, grace_s: float,
    on_answer: Callable[[SolverAnswer], None] | None = None,
) -> list[SolverAnswer]:
    """Every task's answer in task order, the tasks cut into contiguous chunks run on ``pool``;
    ``on_answer`` sees a chunk's answers as that chunk finishes."""
    from ...region_tasks import blocks_of

    chunks = [(tuple(tasks[a:b]), isolate, grace_s) for a, b in blocks_of(len(tasks), CHUNKS_PER_WORKER * pool.workers())]

    def done(_: int, answers: list[SolverAnswer]) -> None:
        for answer in answers:
            if on_answer is not None:
                on_answer(answer)

    return [answer for chunk in pool.map(solve_chunk, chunks, done) for answer in chunk] if tasks else []


if __name__ == "__main__":  # a worker: the protocol owns the real stdout; stray prints go nowhere
    _channel = os.fdopen(os.dup(1), "wb")
    _devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(_devnull, 1)
    _serve(sys.stdin.buffer, _channel)
