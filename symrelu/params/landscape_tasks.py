"""The parameter-space landscape split into independent exact tasks, for local processes or Dask.

Three stages, each cut into blocks that depend on nothing but their own data:

* **regions** (polyhedral path): the depth-first tree over switches is grown here, level by
  level, until it has a few nodes per worker; each task grows the subtrees of a block of those
  nodes (exact polyhedra in ppl, whose point depends only on the question), and the leaves of
  all blocks, in block order, are the serial run's leaves in the serial order;
* **kinks** (:func:`kink_split`): a task decides a block of candidate pairs, carrying only the
  regions those pairs name; pieces that would need Z3 come back undecided and are decided here,
  in the serial order (Z3's models depend on the history of its queries); every witness from a
  worker is checked again here, exactly;
* **region data** (:func:`region_entries`): a task writes the JSON entries of a block of regions.

>>> from symrelu.parallel import ProcessPool
>>> from symrelu.params.examples import paper_instance
>>> from symrelu.params.landscape import enumerate_parameter_regions
>>> serial = enumerate_parameter_regions(paper_instance())
>>> with ProcessPool(2) as pool:
...     split = enumerate_parameter_regions(paper_instance(), pool=pool)
>>> [(r.pattern, r.interior_point) for r in split.regions] == [(r.pattern, r.interior_point) for r in serial.regions]
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import SolverError, TooLargeError
from ..region_tasks import blocks_of

if TYPE_CHECKING:
    from ..parallel import TaskPool
    from .kinks import Kink
    from .landscape import Landscape, Node, ParameterRegion, _Enumerator
    from .problem import Problem

BLOCKS_PER_WORKER = 4
"""Blocks per worker: enough to even out subtrees of unequal size, few enough to keep per-task costs small."""

Leaves = list[tuple[Any, Any, Any]]


def grow_block(item: tuple[Problem, int, list[Node]]) -> tuple[Leaves, int, bool]:
    """One task: the leaves below a block of nodes, the feasibility calls spent, and whether it overflowed."""
    from .landscape import _Enumerator

    problem, max_regions, nodes = item
    job = _Enumerator(problem, max_regions, None, False)
    try:
        for node in nodes:
            job.visit(*node)
    except TooLargeError:
        return job.found, job.calls, True
    return job.found, job.calls, False


def grow_split(job: _Enumerator, pool: TaskPool) -> None:
    """Fill ``job.found`` and ``job.calls`` as :meth:`_Enumerator.run` would, with blocks grown on ``pool``."""
    from .landscape import _start_point

    target = BLOCKS_PER_WORKER * pool.workers()
    nodes: list[Node] = [((), _start_point(job.problem), [])]
    while len(nodes) < target and len(nodes[0][0]) < job.table.size:
        nodes = [child for node in nodes for child in job.children(*node)]  # every node of a level has one depth
        if not nodes:  # pragma: no cover - the root's domain is non-empty, so some leaf exists
            break
    items = [(job.problem, job.max_regions, nodes[a:b]) for a, b in blocks_of(len(nodes), target)]

    def done(_: int, result: tuple[Leaves, int, bool]) -> None:
        job.bar.update(len(result[0]))

    overflow = False
    for found, calls, over in pool.map(grow_block, items, done):
        job.found.extend(found)
        job.calls += calls
        overflow = overflow or over
    job.bar.close()
    if overflow or len(job.found) > job.max_regions:
        raise TooLargeError(
            f"more than {job.max_regions} regions; raise max_regions=N or shrink the problem", partial=job.max_regions
        )


KinkItem = tuple["Problem", int | None, tuple["ParameterRegion", ...], list[tuple[int, int]]]
"""A block of candidate pairs: the problem, the solver budget, the regions they name, and the pairs as
indices into those regions (surface numbers are the caller's, so a worker finds each pair's surface itself)."""


UNDECIDED = "needs Z3"
"""A worker's answer for a pair whose piece needs Z3: decided by the caller, in the serial order."""


def kink_block(item: KinkItem) -> list[Kink | None | str]:
    """One task: for each pair (indices into the block's regions) its kink, None, or :data:`UNDECIDED`."""
    from .kinks import NeedsSolver, pair_kink, search_for
    from .landscape import Landscape
    from .switches import SwitchTable

    problem, timeout_ms, regions, pairs = item
    land = Landscape(problem, regions, "polyhedral", 0, SwitchTable(problem))
    search = search_for(land, timeout_ms, solver=False)
    answers: list[Kink | None | str] = []
    for i, j in pairs:
        try:
            answers.append(pair_kink(search, regions[i], regions[j]))
        except NeedsSolver:
            answers.append(UNDECIDED)
    return answers


def kink_split(
    search: Any,
    regions: Sequence[ParameterRegion],
    pairs: Sequence[tuple[int, int, int | None]],
    pool: TaskPool,
    progress: Callable[[int], None] | None = None,
) -> list[Kink]:
    """The kinks of ``pairs`` (in pair order, as a serial loop finds them), decided in blocks on ``pool``."""
    from .kinks import pair_kink

    items: list[KinkItem] = []
    for a, b in blocks_of(len(pairs), BLOCKS_PER_WORKER * pool.workers()):
        block = pairs[a:b]
        used = sorted({k for i, j, _ in block for k in (i, j)})
        local = {k: n for n, k in enumerate(used)}
        items.append((search.land.problem, search.timeout_ms, tuple(regions[k] for k in used),
                      [(local[i], local[j]) for i, j, _ in block]))
    finished = [0]
    rows: dict[str, SignedRows] = {}

    def done(index: int, answers: list[Any]) -> None:  # re-checked as each block arrives, while others run
        _, _, block_regions, block_pairs = items[index]
        for (i, j), answer in zip(block_pairs, answers, strict=True):
            if answer is not None and not isinstance(answer, str):
                recheck_kink(search, answer, block_regions[i], block_regions[j], rows)
        finished[0] += len(answers)
        if progress is not None:
            progress(finished[0])

    kinks = []
    for (_, _, block_regions, block_pairs), answers in zip(items, pool.map(kink_block, items, done), strict=True):
        for (i, j), answer in zip(block_pairs, answers, strict=True):
            if isinstance(answer, str):  # a piece for Z3: here, in the serial order
                answer = pair_kink(search, block_regions[i], block_regions[j])
            if answer is not None:
                kinks.append(answer)
    return kinks


SignedRows = dict[tuple[int, int], tuple[tuple[int, ...], int]]
"""A region's constraints by ``(surface number, side)``: ``(a, a0)`` with ``a · θ + a0 > 0`` inside it (integers;
two constraints on one surface and side are positive multiples of each other, so one is kept)."""


def _signed_rows(search: Any, region: ParameterRegion, cache: dict[str, SignedRows]) -> SignedRows:
    found = cache.get(region.pattern)
    if found is None:
        found = cache[region.pattern] = {}
        for _, p, sign in region.constraints:
            coefficients, constant = search.system.row(p)
            key, lead = search.key(p)
            found.setdefault((key, sign * lead), (tuple(sign * c for c in coefficients), sign * constant))
    return found


def recheck_kink(search: Any, kink: Kink, first: ParameterRegion, second: ParameterRegion,
                 cache: dict[str, SignedRows] | None = None) -> None:
    """A worker's kink is data: its witnesses must lie on the surface, strictly inside every other constraint
    of both regions and the open domain, and a dangerous witness must see a non-zero jump (exact integers)."""
    from math import lcm
    from operator import mul

    cache = {} if cache is None else cache
    g = kink.surface[0]
    surface = search.key(g)[0]
    surface_row = search.system.row(g)
    merged = dict(_signed_rows(search, first, cache))
    merged.update(_signed_rows(search, second, cache))
    others = [row for (key, _), row in merged.items() if key != surface]
    domain = [(lo.numerator, lo.denominator, hi.numerator, hi.denominator) for lo, hi in search.land.problem.domain or ()]

    def on_piece(point: Any) -> bool:
        divisor = lcm(*(v.denominator for v in point))
        n = [v.numerator * (divisor // v.denominator) for v in point]
        if sum(map(mul, surface_row[0], n)) + surface_row[1] * divisor != 0:
            return False
        if any(sum(map(mul, row, n)) + a0 * divisor <= 0 for row, a0 in others):
            return False
        return all(lo * divisor < x * lq and x * hq < hi * divisor for x, (lo, lq, hi, hq) in zip(n, domain, strict=False))

    good = {kink.below, kink.above} == {first.pattern, second.pattern} and (kink.witness is None or on_piece(kink.witness))
    if kink.dangerous_witness is not None:
        good = good and kink.dangerous and on_piece(kink.dangerous_witness) and any(kink.dangerous_jump or ())
    if not good:
        raise SolverError(f"a worker's kink between {kink.below} and {kink.above} failed the exact re-check; refusing it")


def region_entries(item: tuple[tuple[str, ...], tuple[ParameterRegion, ...]]) -> list[dict[str, Any]]:
    """One task: the JSON entries of a block of regions."""
    from .report import region_entry

    names, regions = item
    return [region_entry(r, names) for r in regions]


def region_entries_split(land: Landscape, pool: TaskPool) -> list[dict[str, Any]]:
    """Every region's JSON entry, in region order, written in blocks on ``pool``."""
    names = land.problem.parameter_names
    blocks = blocks_of(len(land.regions), BLOCKS_PER_WORKER * pool.workers())
    found = pool.map(region_entries, [(names, land.regions[a:b]) for a, b in blocks])
    return [entry for block in found for entry in block]
