"""Activation regions of a network over a box, enumerated exactly.

Layer by layer, every current region (an exact polytope) is cut by the
hyperplanes of the next layer's neurons, which are affine on that region
(a neuron whose activation has ``k`` breakpoints gives ``k`` hyperplanes, and
its state in a region is its piece: :mod:`symrelu.region_activations`).
The hyperplanes are integer rows over one positive scale per layer, and every
sign that decides a cut is exact: computed in integers, or read from a float
value only beyond a proved bound on its error (:mod:`symrelu.float_vertices`);
no LP is involved.

>>> from fractions import Fraction as F
>>> from symrelu import Network
>>> net = Network.from_rows([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
>>> regions = enumerate_regions(net, [(-1, 1), (-1, 1)])
>>> [r.pattern for r in regions], sum(r.measure for r in regions)
([((0, 0),), ((0, 1),), ((1, 0),), ((1, 1),)], Fraction(4, 1))
>>> regions[3].jacobian, regions[3].offset
(((Fraction(1, 1), Fraction(1, 1)),), (Fraction(0, 1),))
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import gcd
from typing import TYPE_CHECKING, Any, Protocol, cast

from .errors import ShapeError, TooLargeError
from .exact import format_rational
from .int_layers import IntAffine, IntLayer, compose, input_pieces, integer_layer
from .intmat import IntegerMatrix
from .polytope import Polytope, common_denominator_row
from .region_activations import layer_pieces
from .validation import check_box
from .vertex_engine import Pieces, first_layer_pieces, run_vertex_engine, vertex_layers

if TYPE_CHECKING:
    from .network import Matrix, Network, Pattern, Vector
    from .region_tasks import EngineTask

log = logging.getLogger(__name__)

Box = tuple[tuple[Fraction, Fraction], ...]


@dataclass(frozen=True)
class Constraint:
    """The inequality ``coefficients . x <= bound``, with where it comes from."""

    coefficients: Vector
    bound: Fraction
    source: str

    def slack(self, x: Sequence[Fraction]) -> Fraction:
        """``bound - coefficients . x``: positive strictly inside."""
        return self.bound - sum((a * v for a, v in zip(self.coefficients, x, strict=False)), Fraction(0))

    def to_json(self) -> dict[str, object]:
        return {
            "coefficients": [format_rational(c) for c in self.coefficients],
            "bound": format_rational(self.bound),
            "source": self.source,
        }


class CellSource(Protocol):
    """Where a region's exact geometry comes from (an engine's result, read lazily)."""

    def __len__(self) -> int: ...

    def pattern(self, index: int) -> Pattern: ...

    def polytope(self, index: int) -> Polytope: ...

    def hyperplanes(self, index: int) -> tuple[tuple[IntAffine, int], ...]: ...


@dataclass(frozen=True, eq=False)
class Region:
    """One activation region: where the network equals ``x -> jacobian @ x + offset``.

    The exact data (pattern, constraints, Jacobian, vertices, ...) is derived on first
    access from the integer representation the enumeration produced. Two regions are
    equal when their pattern, box, polytope and hyperplanes are.
    """

    source: CellSource = field(repr=False)
    index: int
    box: Box = field(repr=False)
    output_layer: IntLayer | None = field(repr=False)
    """The final affine layer (``None`` when the output is rectified: then the last ReLU layer is the output)."""

    @cached_property
    def pattern(self) -> Pattern:
        return self.source.pattern(self.index)

    @cached_property
    def polytope(self) -> Polytope:
        return self.source.polytope(self.index)

    @cached_property
    def hyperplanes(self) -> tuple[tuple[IntAffine, int], ...]:
        """Per ReLU layer: the pre-activations on this region, as integer affine rows over a scale."""
        return self.source.hyperplanes(self.index)

    def __repr__(self) -> str:
        return f"Region(pattern={self.pattern!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Region):
            return NotImplemented
        return (self.pattern, self.box, self.polytope, self.output_layer) == (
            other.pattern,
            other.box,
            other.polytope,
            other.output_layer,
        ) and (self.jacobian, self.offset) == (other.jacobian, other.offset)

    def __hash__(self) -> int:
        return hash(self.pattern)

    @cached_property
    def _output(self) -> tuple[IntAffine, int]:
        dim = self.polytope.dim
        if self.output_layer is None:
            rows, scale = self.hyperplanes[-1]
            return [row if bit else [0] * (dim + 1) for row, bit in zip(rows, self.pattern[-1], strict=False)], scale
        if not self.hyperplanes:
            identity = [[int(i == j) for j in range(dim + 1)] for i in range(dim)]
            return compose(self.output_layer, identity, (1,) * dim, 1)
        rows, scale = self.hyperplanes[-1]
        return compose(self.output_layer, rows, self.pattern[-1], scale)

    @cached_property
    def constraints(self) -> tuple[Constraint, ...]:
        """The non-redundant inequalities ``a . x <= b`` that cut the region out of R^d."""
        return _facet_constraints(self)

    @cached_property
    def jacobian(self) -> Matrix:
        rows, scale = self._output
        return tuple(tuple(Fraction(v, scale) for v in row[:-1]) for row in rows)

    @cached_property
    def offset(self) -> Vector:
        rows, scale = self._output
        return tuple(Fraction(row[-1], scale) for row in rows)

    @cached_property
    def interior_point(self) -> Vector:
        """An exact point strictly inside the region (the average of its vertices)."""
        return self.polytope.interior_point()

    @cached_property
    def vertices(self) -> tuple[Vector, ...]:
        """Exact vertices (counter-clockwise in 2-D)."""
        return self.polytope.points()

    @cached_property
    def measure(self) -> Fraction | None:
        """Exact length (1-D) or area (2-D); ``None`` in higher dimensions."""
        return self.polytope.measure() if self.polytope.dim <= 2 else None

    def contains(self, x: Sequence[Fraction], strictly: bool = False) -> bool:
        """Exact membership in the region's closure (or its interior)."""
        return all((c.slack(x) > 0) if strictly else (c.slack(x) >= 0) for c in self.constraints)


def _output_layer(net: Network) -> IntLayer | None:
    """The final affine layer for :class:`Region` (``None`` when a ReLU output layer is the output)."""
    if not net.output_relu:
        return integer_layer(net.layers[-1], input_pieces(net, len(net.layers) - 1))
    pieces = layer_pieces(net.activations[-1])
    if pieces is None:
        return None
    width = net.output_dim  # the activated output itself: an identity layer reading the activations
    identity = IntegerMatrix(tuple(tuple(int(i == j) for j in range(width)) for i in range(width)))
    return IntLayer(identity, (0,) * width, 1, pieces)


def _inequality(row: Sequence[int], scale: int, active: int, source: str, dim: int) -> Constraint:
    """``row . (x, 1) / scale >= 0`` (active) or ``<= 0`` (inactive) as ``a . x <= b``."""
    sign = -1 if active else 1
    g = 0
    for v in row:
        g = gcd(g, v)
    g = g or 1
    coefficients = tuple(Fraction(sign * v, g) for v in row[:dim])
    return Constraint(coefficients, Fraction(-sign * row[dim], g), source)


def _box_constraint(bounds: Box, index: int, side: int) -> Constraint:
    dim = len(bounds)
    unit = tuple(Fraction(int(k == index)) for k in range(dim))
    if side == 0:
        return Constraint(tuple(-u for u in unit), -bounds[index][0], f"x{index} >= {format_rational(bounds[index][0])}")
    return Constraint(unit, bounds[index][1], f"x{index} <= {format_rational(bounds[index][1])}")


def _halfspace_key(constraint: Constraint) -> tuple[int, ...]:
    """The same half-space gives the same key however it is scaled (``x <= 1/2`` and ``2x <= 1``)."""
    ints, _ = common_denominator_row(list(constraint.coefficients) + [constraint.bound])
    g = 0
    for v in ints:
        g = gcd(g, v)
    return tuple(v // (g or 1) for v in ints)


def _facet_constraints(region: Region) -> tuple[Constraint, ...]:
    dim = region.polytope.dim
    constraints: list[Constraint] = []
    seen: set[tuple[int, ...]] = set()
    for raw in region.polytope.facet_tags():
        tag = cast(tuple[Any, ...], raw)
        if tag[0] == "box":
            constraint = _box_constraint(region.box, tag[1], tag[2])
        elif len(tag) == 4:  # (layer, neuron, j, b_j): the neuron's breakpoint b_j
            layer, neuron, j, b = tag
            rows, scale = region.hyperplanes[layer]
            above = int(region.pattern[layer][neuron] > j)
            source = f"layer {layer} neuron {neuron} {'above' if above else 'below'} {format_rational(b)}"
            row = [v * b.denominator for v in rows[neuron]]
            row[dim] -= b.numerator * scale
            constraint = _inequality(row, 1, above, source, dim)
        else:
            layer, neuron = tag
            rows, scale = region.hyperplanes[layer]
            bit = region.pattern[layer][neuron]
            source = f"layer {layer} neuron {neuron} {'active' if bit else 'inactive'}"
            constraint = _inequality(rows[neuron], scale, bit, source, dim)
        key = _halfspace_key(constraint)
        if key not in seen:
            seen.add(key)
            constraints.append(constraint)
    return tuple(constraints)


ENGINES = ("auto", "vertex", "2d")
"""Region engines: ``"2d"`` (batched integer kernels over edge lists, 2 inputs only), ``"vertex"``
(vertex clipping, any dimension: float vertices with certified radii, exact on demand,
:mod:`symrelu.float_vertices`), ``"auto"`` (``"2d"`` for 2 inputs, else ``"vertex"``)."""


def enumerate_regions(
    net: Network,
    box: Sequence[Sequence[object]],
    max_regions: int | None = None,
    progress: Callable[[int], None] | None = None,
    engine: str = "auto",
    float_filter: bool = True,
    jobs: int = 1,
    client: Any = None,
) -> tuple[Region, ...]:
    """Every activation region with non-empty interior inside ``box``, sorted by pattern.

    ``box`` is a list of ``(lo, hi)`` pairs (numbers or text like ``"1/2"``).
    ``max_regions`` stops with :class:`TooLargeError` (carrying the count so far)
    as soon as more cells than that exist, checked inside a layer after every cut,
    so it bounds the time as well as the output. ``progress`` is called with the
    number of cells so far in the current layer (split into tasks: in the finished tasks). ``engine`` is one of :data:`ENGINES`;
    every engine gives the same regions in the same order. ``float_filter=False`` makes the
    vertex engine keep exact integer vertices and decide every sign in integers (the slower
    reference path; the same regions, vertex for vertex).

    ``jobs=N`` (local processes) or ``client`` (a ``dask.distributed.Client``) splits the work
    into independent exact tasks, one per block of the first layer's cells
    (:mod:`symrelu.region_tasks`); the result is identical to a serial run, in the same order.
    """
    net.require_concrete("region enumeration")
    bounds = check_box(net, box)
    if engine not in ENGINES:
        raise ValueError(f"unknown region engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "2d" and len(bounds) != 2:
        raise ShapeError(f"the 2d region engine needs a network with 2 inputs, not {len(bounds)}")
    Polytope.box(bounds)  # refuses an empty or inverted box
    from .region_tasks import EngineTask, run_split

    chosen = "2d" if engine == "2d" or (engine == "auto" and len(bounds) == 2) else "vertex"
    task = EngineTask(net, bounds, chosen, float_filter, max_regions)
    if (jobs != 1 or client is not None) and net.relu_layer_count > 1:
        from .parallel import make_pool

        sources = run_split(task, make_pool(jobs, client), jobs, progress=progress)
    else:
        sources = [task.run(progress=progress)]
    output_layer = _output_layer(net)
    # the blocks are runs of the first layer's cells in pattern order, each sorted: already in order
    regions = [Region(source, index, bounds, output_layer) for source in sources for index in range(len(source))]
    if len(sources) > 1:
        if max_regions is not None and len(regions) > max_regions:
            raise TooLargeError(
                f"more than {max_regions} regions ({len(regions)}); raise max_regions=N or shrink the box",
                partial=len(regions),
            )
        if progress is not None:
            progress(len(regions))
    return tuple(regions)


def first_layer(task: EngineTask) -> Any:
    """The first ReLU layer's cells of ``task`` (an engine's own form); ``len`` counts them and
    ``[start:stop]`` (vertex engine) or ``.subset((start, stop))`` (2-D engine) takes a block."""
    if task.engine == "2d":
        from .regions2d import first_layer_2d

        return first_layer_2d(task.net, task.bounds, task.max_regions)
    return first_layer_pieces(task.net, task.bounds, task.max_regions, task.float_filter)


def finish_block(task: EngineTask, block: Any) -> CellSource:
    """A block of first-layer cells through the remaining layers, sorted by pattern."""
    if task.engine == "2d":
        from .regions2d import finish_2d

        return finish_2d(task.net, block, task.max_regions)
    pieces = vertex_layers(task.net, block, 1, task.net.relu_layer_count, task.max_regions, None, task.float_filter)
    pieces.sort(key=lambda piece: piece.pattern)
    return Pieces(tuple(pieces))


def run_engine(
    task: EngineTask,
    progress: Callable[[int], None] | None = None,
    layers: int | None = None,
    select: tuple[int, int] | None = None,
) -> CellSource:
    """Run ``task``'s engine (all layers, or the first ``layers``; all cells, or a ``select``ion of the
    first layer's cells); the cells come back sorted by pattern."""
    if task.engine == "2d":
        from .regions2d import enumerate_cells_2d

        return enumerate_cells_2d(task.net, task.bounds, task.max_regions, progress, layers, select)
    pieces = run_vertex_engine(task.net, task.bounds, task.max_regions, progress, task.float_filter, layers, select)
    pieces.sort(key=lambda piece: piece.pattern)
    return Pieces(tuple(pieces))


def iter_regions(
    net: Network,
    box: Sequence[Sequence[object]],
    block: int = 256,
    engine: str = "auto",
    float_filter: bool = True,
    max_regions: int | None = None,
) -> Iterator[Region]:
    """The regions of :func:`enumerate_regions`, streamed: the first layer's partition is computed
    once (sorted by pattern), then ``block`` of its cells at a time are cut through the remaining
    layers and their regions yielded: the same regions in the same order as :func:`enumerate_regions`.
    Only one block's regions are held at a time; ``max_regions`` applies to each block.

    >>> from symrelu import Network
    >>> net = Network.from_rows([([[1, 0], [0, 1]], [0, 0]), ([[1, 1], [1, -1]], [0, 0]), ([[1, 1]], [0])])
    >>> [r.pattern for r in iter_regions(net, [(-1, 1), (-1, 1)], block=1)] == [
    ...     r.pattern for r in enumerate_regions(net, [(-1, 1), (-1, 1)])]
    True
    """
    net.require_concrete("region enumeration")
    bounds = check_box(net, box)
    Polytope.box(bounds)  # refuses an empty or inverted box
    if block < 1:
        raise ValueError("a block holds at least one cell")
    if engine not in ENGINES:
        raise ValueError(f"unknown region engine {engine!r}; choose one of {', '.join(ENGINES)}")
    output_layer = _output_layer(net)
    if engine == "2d" or (engine == "auto" and len(bounds) == 2):
        from .regions2d import iter_cells_2d

        for cells in iter_cells_2d(net, bounds, block, max_regions):
            yield from (Region(cells, index, bounds, output_layer) for index in range(len(cells)))
        return
    first = first_layer_pieces(net, bounds, max_regions, float_filter)
    for begin in range(0, len(first), block):
        pieces = vertex_layers(net, first[begin : begin + block], min(1, net.relu_layer_count), net.relu_layer_count, max_regions, None, float_filter)
        pieces.sort(key=lambda piece: piece.pattern)
        source = Pieces(tuple(pieces))
        yield from (Region(source, index, bounds, output_layer) for index in range(len(pieces)))
