"""Region enumeration split into independent exact tasks, for local processes or a Dask cluster.

The first ReLU layer's partition of the box is computed here, and its cells, in their
deterministic order, are cut into contiguous blocks. Each task carries the network, the box and
its block's cells (exact integers), cuts them through the remaining layers, and returns the
exact cells that result. The
first layer's cells are in pattern order, so the regions of all blocks, in block order, are
exactly those of a serial run in its order: a cell's further cutting depends on that cell alone,
and a region's pattern starts with its first-layer cell's.

>>> from symrelu import Network
>>> from symrelu.parallel import SerialPool
>>> from symrelu.validation import check_box
>>> net = Network.from_rows([([[1, 0], [0, 1]], [0, 0]), ([[1, 1], [1, -1]], [0, 0]), ([[1, 1]], [0])])
>>> task = EngineTask(net, check_box(net, [(-1, 1), (-1, 1)]), "2d", True, None)
>>> sources = run_split(task, SerialPool(), blocks=3)
>>> [len(s) for s in sources], sum(len(s) for s in sources) == len(task.run())
([2, 1, 2], True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .network import Network
    from .parallel import TaskPool
    from .regions import CellSource

BLOCKS_PER_WORKER = 4
"""Blocks per worker: enough to even out blocks of unequal cost, few enough to keep start-up small."""


@dataclass(frozen=True)
class EngineTask:
    """Everything a worker needs to enumerate regions: picklable, a few kilobytes."""

    net: Network
    bounds: tuple[tuple[Fraction, Fraction], ...]
    engine: str  # "2d" or "vertex"
    float_filter: bool
    max_regions: int | None

    def run(
        self,
        progress: Callable[[int], None] | None = None,
        layers: int | None = None,
        select: tuple[int, int] | None = None,
    ) -> CellSource:
        from .regions import run_engine

        return run_engine(self, progress, layers, select)


def run_block(item: tuple[EngineTask, Any]) -> CellSource:
    """One task: the regions grown from a block of the first layer's cells."""
    from .regions import finish_block

    task, block = item
    return finish_block(task, block)


def _block(first: Any, span: tuple[int, int]) -> Any:
    return first.subset(span) if hasattr(first, "subset") else first[span[0] : span[1]]


def _count(first: Any) -> int:
    return first.faces.n if hasattr(first, "faces") else len(first)


def blocks_of(count: int, pieces: int) -> list[tuple[int, int]]:
    """``range(count)`` cut into at most ``pieces`` contiguous, nearly equal blocks.

    >>> blocks_of(10, 3)
    [(0, 4), (4, 7), (7, 10)]
    """
    pieces = max(1, min(pieces, count))
    size, extra = divmod(count, pieces)
    found, start = [], 0
    for k in range(pieces):
        stop = start + size + (k < extra)
        found.append((start, stop))
        start = stop
    return found


def run_split(
    task: EngineTask,
    pool: TaskPool,
    workers: int = 1,
    blocks: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[CellSource]:
    """The task's cells from ``pool``, block by block, in block order.

    ``progress`` gets the number of cells of the blocks finished so far, as each block finishes.
    """
    from .regions import first_layer

    first = first_layer(task)
    count = blocks if blocks is not None else BLOCKS_PER_WORKER * max(1, workers, pool.workers())
    finished = [0]

    def done(_: int, source: CellSource) -> None:
        finished[0] += len(source)
        if progress is not None:
            progress(finished[0])

    return pool.map(run_block, [(task, _block(first, span)) for span in blocks_of(_count(first), count)], done)
