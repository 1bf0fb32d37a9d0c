"""Where independent exact tasks run: in this process, on local processes, or on a Dask cluster.

One small contract, :class:`TaskPool`: ``map(fn, items)`` returns ``fn(item)`` for every item,
**in the order of the items**, whatever order the workers finish in, so a parallel run gives the
same answer as a serial one. ``fn`` must be a module-level function and items and results must
pickle. ``done(index, result)``, when given, is called here as each task finishes (in the order
they finish), so that a progress bar moves during the work, not at its end. Whatever comes back
from a worker is data to be checked, never a verdict to be trusted: callers re-check every
certificate or witness in this process.

A pool is also a context manager: a :class:`ProcessPool` keeps its worker processes between
``map`` calls while it is open (several stages share one start-up), and starts them per call
otherwise.

>>> pool = make_pool()
>>> seen = []
>>> pool.map(abs, [-2, 3, -1], done=lambda i, r: seen.append(i))
[2, 3, 1]
>>> seen, pool.describe(), pool.workers()
([0, 1, 2], 'serial', 1)
"""

from __future__ import annotations

import multiprocessing
import socket
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from .errors import InputFormatError, MissingDependencyError
from .validation import check_count

T = TypeVar("T")
R = TypeVar("R")

Done = Callable[[int, Any], None]
"""``done(index, result)``: called in this process as each task finishes."""

DASK_CONNECT_TIMEOUT_S = 10.0
"""How long :func:`dask_client` waits for a scheduler before giving up (an outer bound, never a verdict)."""


class TaskPool(Protocol):
    """What a parallel stage needs: an ordered map, a worker count, and a one-line description."""

    def map(self, fn: Callable[[T], R], items: Iterable[T], done: Done | None = None) -> list[R]: ...

    def workers(self) -> int: ...

    def describe(self) -> str: ...

    def __enter__(self) -> TaskPool: ...

    def __exit__(self, *exc: object) -> None: ...


class _Context:
    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


@dataclass(frozen=True)
class SerialPool(_Context):
    """Runs every task here, one after the other (the reference every other pool must match)."""

    def map(self, fn: Callable[[T], R], items: Iterable[T], done: Done | None = None) -> list[R]:
        results = []
        for index, item in enumerate(items):
            results.append(fn(item))
            if done is not None:
                done(index, results[-1])
        return results

    def workers(self) -> int:
        return 1

    def describe(self) -> str:
        return "serial"


def _gather(futures: dict[Any, int], count: int, done: Done | None, completed: Callable[[Iterable[Any]], Iterable[Any]]) -> list[Any]:
    """Results by index from ``{future: index}``, calling ``done`` in completion order."""
    results: list[Any] = [None] * count
    for future in completed(list(futures)):
        index = futures[future]
        results[index] = future.result()
        if done is not None:
            done(index, results[index])
    return results


@dataclass
class ProcessPool(_Context):
    """``jobs`` local worker processes (spawned, so no fork of a threaded caller).

    Open (``with``), it keeps its processes for every ``map``; closed, each ``map`` starts its own.
    """

    jobs: int
    _executor: Executor | None = field(default=None, init=False, repr=False, compare=False)
    _opened: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_count(self.jobs, "jobs")

    def _start(self, tasks: int) -> Executor:
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(max_workers=max(1, min(self.jobs, tasks)), mp_context=context)

    def __enter__(self) -> ProcessPool:
        self._opened += 1
        if self.jobs > 1 and self._executor is None:
            self._executor = self._start(self.jobs)
        return self

    def __exit__(self, *exc: object) -> None:
        self._opened -= 1
        if self._opened == 0 and self._executor is not None:  # the outermost ``with`` closes it
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def map(self, fn: Callable[[T], R], items: Iterable[T], done: Done | None = None) -> list[R]:
        work = list(items)
        if self.jobs == 1 or len(work) <= 1:
            return SerialPool().map(fn, work, done)
        executor = self._executor or self._start(len(work))
        try:
            futures = {executor.submit(fn, item): index for index, item in enumerate(work)}
            return _gather(futures, len(work), done, as_completed)
        finally:
            if executor is not self._executor:
                executor.shutdown(wait=True, cancel_futures=True)

    def workers(self) -> int:
        return self.jobs

    def describe(self) -> str:
        return f"{self.jobs} local processes"


@dataclass(frozen=True)
class DaskPool(_Context):
    """Tasks submitted to a ``dask.distributed.Client``; results gathered in item order."""

    client: Any

    def map(self, fn: Callable[[T], R], items: Iterable[T], done: Done | None = None) -> list[R]:
        from dask.distributed import as_completed as dask_completed

        work = list(items)
        if not work:
            return []
        futures = self.client.map(fn, work, pure=False)
        try:
            return _gather({future: index for index, future in enumerate(futures)}, len(work), done, dask_completed)
        except BaseException:
            self.client.cancel(futures)  # a failed task leaves no work behind on the cluster
            raise

    def workers(self) -> int:
        try:
            return max(1, len(self.client.scheduler_info().get("workers", {})))
        except Exception:  # noqa: BLE001 - the count only sizes the blocks
            return 1

    def describe(self) -> str:
        return f"dask scheduler {getattr(self.client.scheduler, 'address', '?')}"


def _probe(address: str, timeout_s: float) -> None:
    """Fail at once on a ``tcp://`` address that refuses connections (Dask would retry until its timeout)."""
    parts = urlsplit(address if "://" in address else "tcp://" + address)
    if parts.scheme != "tcp" or parts.hostname is None:
        return
    try:
        port = parts.port
    except ValueError:
        return  # Dask names the malformed port itself
    if port is None:
        return
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout_s).close()
    except OSError as err:
        raise InputFormatError(f"cannot reach the Dask scheduler at {address!r}: {err.strerror or err}") from None


def dask_client(address: str, timeout_s: float = DASK_CONNECT_TIMEOUT_S) -> Any:
    """Connect to a Dask scheduler (``tcp://host:port``) within ``timeout_s`` seconds; a clear error otherwise.

    >>> dask_client("no-port-here")
    Traceback (most recent call last):
    ...
    symrelu.errors.InputFormatError: cannot reach the Dask scheduler at 'no-port-here': missing port number in address 'no-port-here'
    """
    try:
        from dask.distributed import Client
    except ImportError as err:
        raise MissingDependencyError("Dask is needed for a scheduler address: pip install 'dask[distributed]'") from err
    _probe(address, timeout_s)
    try:
        _handshake(address, timeout_s)
        return Client(address, timeout=timeout_s)
    except (OSError, TimeoutError, ValueError) as err:
        raise InputFormatError(f"cannot reach the Dask scheduler at {address!r}: {err or 'no answer'}") from err


def _handshake(address: str, timeout_s: float) -> None:
    """Open and close one Dask connection, bounded by ``timeout_s``: a peer that accepts the connection but
    never answers would leave ``Client`` waiting for ever. Runs in its own thread (and event loop), so that
    a caller's running loop does not matter."""
    import asyncio
    import threading

    from distributed.comm import connect

    async def attempt() -> None:
        comm = await asyncio.wait_for(connect(address, timeout=timeout_s), timeout_s)
        await comm.close()

    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(attempt())
        except BaseException as err:  # noqa: BLE001 - handed to the caller below
            failure.append(err)

    thread = threading.Thread(target=run, name="symrelu-dask-probe", daemon=True)
    thread.start()
    thread.join(timeout_s + 5)
    if thread.is_alive():
        raise TimeoutError(f"no answer within {timeout_s:g} s")
    if failure:
        if isinstance(failure[0], asyncio.TimeoutError):
            raise TimeoutError(f"no answer within {timeout_s:g} s") from failure[0]
        raise failure[0]


def make_pool(jobs: int = 1, client: Any = None) -> TaskPool:
    """The pool for ``jobs`` local processes, or for a Dask ``client`` when one is given."""
    if client is not None:
        return DaskPool(client)
    if jobs == 1:
        return SerialPool()
    return ProcessPool(jobs)
