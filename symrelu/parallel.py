"""Where independent exact tasks run: in this process, on local processes, or on a Dask cluster.

One small contract, :class:`TaskPool`: ``map(fn, items)`` returns ``fn(item)`` for every item,
**in the order of the items**, whatever order the workers finish in, so a parallel run gives the
same answer as a serial one. ``fn`` must be a module-level function and items and results must
pickle. Whatever comes back from a worker is data to be checked, never a verdict to be trusted:
callers re-check every certificate or witness in this process.

>>> pool = make_pool()
>>> pool.map(abs, [-2, 3, -1])
[2, 3, 1]
>>> pool.describe()
'serial'
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from .errors import InputFormatError, MissingDependencyError
from .validation import check_count

T = TypeVar("T")
R = TypeVar("R")


class TaskPool(Protocol):
    """What a parallel stage needs: an ordered map, and a one-line description for reports."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class SerialPool:
    """Runs every task here, one after the other (the reference every other pool must match)."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        return [fn(item) for item in items]

    def describe(self) -> str:
        return "serial"


@dataclass(frozen=True)
class ProcessPool:
    """``jobs`` local worker processes (spawned, so no fork of a threaded caller)."""

    jobs: int

    def __post_init__(self) -> None:
        check_count(self.jobs, "jobs")

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        work = list(items)
        if self.jobs == 1 or len(work) <= 1:
            return [fn(item) for item in work]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(self.jobs, len(work)), mp_context=context) as executor:
            return list(executor.map(fn, work))

    def describe(self) -> str:
        return f"{self.jobs} local processes"


@dataclass(frozen=True)
class DaskPool:
    """Tasks submitted to a ``dask.distributed.Client``; results gathered in item order."""

    client: Any

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        work = list(items)
        if not work:
            return []
        futures = self.client.map(fn, work, pure=False)
        return list(self.client.gather(futures))

    def describe(self) -> str:
        return f"dask scheduler {getattr(self.client.scheduler, 'address', '?')}"


def dask_client(address: str) -> Any:
    """Connect to a Dask scheduler (``tcp://host:port``); a clear error when that is impossible."""
    try:
        from dask.distributed import Client
    except ImportError as err:
        raise MissingDependencyError("Dask is needed for a scheduler address: pip install 'dask[distributed]'") from err
    try:
        return Client(address, timeout=10)
    except (OSError, TimeoutError, ValueError) as err:
        raise InputFormatError(f"cannot reach the Dask scheduler at {address!r}: {err}") from err


def make_pool(jobs: int = 1, client: Any = None) -> TaskPool:
    """The pool for ``jobs`` local processes, or for a Dask ``client`` when one is given."""
    if client is not None:
        return DaskPool(client)
    if jobs == 1:
        return SerialPool()
    return ProcessPool(jobs)
