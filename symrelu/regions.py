"""Activation regions of a network over a box, enumerated exactly.

Layer by layer, every current region (an exact polytope) is cut by the
hyperplanes of the next layer's neurons, which are affine on that region
(a neuron whose activation has ``k`` breakpoints gives ``k`` hyperplanes, and
its state in a region is its piece: :mod:`symrelu.region_activations`).
All arithmetic is on integers with one positive scale per layer, so every
sign that decides a cut is exact; no LP and no float is involved.

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

import numpy as np

from .errors import ShapeError, TooLargeError
from .exact import format_rational
from .intmat import INT64_SAFE, IntegerMatrix
from .polytope import Polytope, common_denominator_row
from .region_activations import LayerCuts, LayerPieces, layer_cuts, layer_pieces
from .validation import check_box

if TYPE_CHECKING:
    from .network import Matrix, Network, Pattern, Vector
    from .region_tasks import EngineTask

log = logging.getLogger(__name__)

Box = tuple[tuple[Fraction, Fraction], ...]
IntAffine = list[list[int]]
"""Rows ``(a1..ad, a0)`` of integer affine functions of x, sharing one positive scale."""


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
    output_layer: _IntLayer | None = field(repr=False)
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
            return _compose(self.output_layer, identity, (1,) * dim, 1)
        rows, scale = self.hyperplanes[-1]
        return _compose(self.output_layer, rows, self.pattern[-1], scale)

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


@dataclass(frozen=True)
class _IntLayer:
    """``W = weight / scale``, ``b = bias / scale`` with integer entries."""

    weight: IntegerMatrix
    bias: tuple[int, ...]
    scale: int
    input_pieces: LayerPieces | None = None
    """The previous layer's activations when they are not all ReLU (``None``: ReLU, masked by the bits)."""


def _integer_layers(net: Network) -> list[_IntLayer]:
    return [_integer_layer(layer, _input_pieces(net, index)) for index, layer in enumerate(net.layers)]


def _input_pieces(net: Network, index: int) -> LayerPieces | None:
    return layer_pieces(net.activations[index - 1]) if 0 < index <= net.relu_layer_count else None


def _layer_cuts(net: Network) -> list[LayerCuts | None]:
    return [layer_cuts(acts) for acts in net.activations]


def _output_layer(net: Network) -> _IntLayer | None:
    """The final affine layer for :class:`Region` (``None`` when a ReLU output layer is the output)."""
    if not net.output_relu:
        return _integer_layer(net.layers[-1], _input_pieces(net, len(net.layers) - 1))
    pieces = layer_pieces(net.activations[-1])
    if pieces is None:
        return None
    width = net.output_dim  # the activated output itself: an identity layer reading the activations
    identity = IntegerMatrix(tuple(tuple(int(i == j) for j in range(width)) for i in range(width)))
    return _IntLayer(identity, (0,) * width, 1, pieces)


def _integer_layer(layer: Any, input_pieces: LayerPieces | None = None) -> _IntLayer:
    entries = [w for row in layer.weight for w in row] + list(layer.bias)
    ints, scale = common_denominator_row(entries)
    width = layer.in_dim
    weight = IntegerMatrix(tuple(tuple(ints[r * width : (r + 1) * width]) for r in range(layer.out_dim)))
    return _IntLayer(weight, tuple(ints[layer.out_dim * width :]), scale, input_pieces)


def _compose(layer: _IntLayer, inputs: IntAffine, bits: Sequence[int], input_scale: int) -> tuple[IntAffine, int]:
    """Pre-activations ``W act(z) + b`` as integer affine rows, given ``z = inputs / input_scale``
    on a region where the previous layer's activation pattern is ``bits`` (the neurons' states)."""
    if layer.input_pieces is not None:
        inputs, input_scale = layer.input_pieces.activate(inputs, bits, input_scale)
        bits = (1,) * len(inputs)
    rows = layer.weight.masked_matmul(inputs, bits)
    for row, b in zip(rows, layer.bias, strict=False):
        row[-1] += b * input_scale
    scale = layer.scale * input_scale
    g = scale
    for row in rows:
        for v in row:
            g = gcd(g, v)
            if g == 1:
                break
        if g == 1:
            break
    if g > 1:
        rows = [[v // g for v in row] for row in rows]
        scale //= g
    return rows, scale


@dataclass(frozen=True)
class _Piece:
    polytope: Polytope
    pattern: Pattern
    rows: IntAffine  # the last layer's pre-activations, as affine rows over `scale`
    bits: tuple[int, ...]  # ... and which of them are active here
    scale: int
    hyperplanes: tuple[tuple[IntAffine, int], ...]  # per ReLU layer: pre-activation rows and scale


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


FILTER_MARGIN = 1e-12
"""Relative margin of the certified float filter: a float value decides a sign only when its
magnitude exceeds ``FILTER_MARGIN * sum|h_i x_i|``. The worst-case rounding error of these
dot products is below ``(d + 4) * 2**-53`` times that sum (Higham, Thm. 3.1; correctly rounded
inputs), so for any practical dimension the margin is over 1000 times larger than the error;
an absolute floor covers subnormal underflow.
Everything inside the margin is decided in exact integer arithmetic.

The conditions this rests on are checked at run time: :func:`filter_applies` (the dimension
keeps the error bound below a quarter of the margin), finite values and margins (no overflow;
an infinite or NaN entry decides nothing), correctly rounded inputs (int64 and Python-int
conversions, and int / int true division, round correctly). Where they fail, every sign is
decided exactly."""


def filter_applies(dim: int) -> bool:
    """Whether the float filter's error bound ``(d + 4) * 2**-53`` is below a quarter of its margin.

    >>> filter_applies(6), filter_applies(10**6)
    (True, False)
    """
    return 4 * (dim + 4) * 2.0**-53 <= FILTER_MARGIN


def _certain(values: np.ndarray, margin: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Provably positive / provably negative along ``axis``: beyond the margin, and both finite."""
    finite = np.isfinite(values) & np.isfinite(margin)
    return (finite & (values > margin)).all(axis=axis), (finite & (values < -margin)).all(axis=axis)


@dataclass(frozen=True)
class _FloatRows:
    """A layer's hyperplanes in floats, with what the certified filter needs precomputed."""

    rows: np.ndarray
    magnitudes: np.ndarray  # |rows|
    floor: np.ndarray  # absolute error floor per row, for subnormal underflow

    @classmethod
    def of(cls, rows: IntAffine | np.ndarray) -> _FloatRows | None:
        try:
            as_float = np.array(rows, dtype=float)  # each entry correctly rounded
        except OverflowError:  # coefficients beyond float range: decide everything exactly
            return None
        magnitudes = np.abs(as_float)
        # rows are integers, so a non-zero row has |row|_1 >= 1 and this floor dominates underflow
        return cls(as_float, magnitudes, magnitudes.sum(axis=-1) * 1e-290)

    def certain_signs(self, polytope: Polytope, candidates: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """For each candidate hyperplane: provably > 0 at every vertex, provably < 0 at every vertex."""
        points = polytope.float_points
        values = points @ self.rows[candidates].T
        margin = np.abs(points) @ self.magnitudes[candidates].T * FILTER_MARGIN + self.floor[candidates]
        return _certain(values, margin, axis=0)


FILTER_MIN_CANDIDATES = 3
"""Below this many undecided hyperplanes a cell is cut exactly straight away (cheaper than filtering)."""

_Decisions = tuple["_Decisions", tuple[int, ...], tuple[int, ...]] | None
"""A persistent chain of (neurons, bits) decisions shared between a cell and its sub-cells."""


def _bits_from(decisions: _Decisions, width: int, stop: _Decisions = None, start: list[int] | None = None) -> tuple[int, ...]:
    """Replay a decision chain into bits; ``start`` holds the bits already replayed up to ``stop``."""
    bits = [0] * width if start is None else list(start)
    while decisions is not None and decisions is not stop:
        decisions, neurons, values = decisions
        for neuron, value in zip(neurons, values, strict=False):
            bits[neuron] = value
    return tuple(bits)


def _cut_by_layer(
    polytope: Polytope,
    rows: IntAffine,
    layer_index: int,
    rows_float: _FloatRows | None,
    decisions: _Decisions = None,
    candidates: list[int] | None = None,
    check: Callable[[int], None] | None = None,
    tags: Sequence[Any] | None = None,
) -> list[tuple[Polytope, tuple[int, ...]]]:
    """Split a polytope by the undecided neurons of a layer; returns the full-dimensional cells with their bits.
    ``tags`` names each row's facets (default ``(layer_index, neuron)``).

    ``decisions`` and ``candidates`` may carry what a filter already settled for
    this polytope. A float filter with a certified error bound discards
    hyperplanes that provably miss a new cell; every cut is then made, and every
    remaining sign decided, in exact integer arithmetic.
    """
    width = len(rows)
    fresh = candidates is None
    # (cell, decisions so far, undecided neurons, whether the filter has not yet seen this cell)
    stack: list[tuple[Polytope, _Decisions, list[int], bool]] = [
        (polytope, decisions, list(range(width)) if candidates is None else candidates, fresh)
    ]
    root, root_bits = decisions, list(_bits_from(decisions, width))  # replayed once, shared by every cell
    cells: list[tuple[Polytope, tuple[int, ...]]] = []
    while stack:
        cell, decisions, candidates, fresh = stack.pop()
        if fresh and len(candidates) >= FILTER_MIN_CANDIDATES and rows_float is not None:
            try:
                positive, negative = rows_float.certain_signs(cell, candidates)
            except OverflowError:  # vertices beyond float range: no filtering for this cell
                positive = negative = np.zeros(len(candidates), dtype=bool)
            decided = positive | negative
            if decided.any():
                chosen = np.flatnonzero(decided)
                decisions = (decisions, tuple(candidates[i] for i in chosen), tuple(positive[chosen].astype(int).tolist()))
                candidates = [candidates[i] for i in np.flatnonzero(~decided)]
        if not candidates:
            cells.append((cell, _bits_from(decisions, width, root, root_bits)))
            continue
        neuron, rest = candidates[0], candidates[1:]
        above, below = cell.split(rows[neuron], (layer_index, neuron) if tags is None else tags[neuron])
        cut = above is not None and below is not None  # otherwise the cell is unchanged: no new filtering
        if cut and check is not None:
            check(len(cells) + len(stack) + 2)  # every cell here becomes at least one region
        if above is not None:
            stack.append((above, (decisions, (neuron,), (1,)), rest, cut))
        if below is not None:
            stack.append((below, (decisions, (neuron,), (0,)), rest, cut))
    return cells


@dataclass(frozen=True)
class _Pieces:
    """The vertex engine's result as a :class:`CellSource`."""

    pieces: tuple[_Piece, ...]

    def __len__(self) -> int:
        return len(self.pieces)

    def pattern(self, index: int) -> Pattern:
        return self.pieces[index].pattern

    def polytope(self, index: int) -> Polytope:
        return self.pieces[index].polytope

    def hyperplanes(self, index: int) -> tuple[tuple[IntAffine, int], ...]:
        return self.pieces[index].hyperplanes


def _compose_batch(layer: _IntLayer, pieces: Sequence[_Piece]) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_compose` for every piece at once, as int64 tensors ``(cells, neurons, d+1)`` and scales,
    or ``None`` when int64 cannot be proved exact (then the caller composes piece by piece)."""
    weight = layer.weight.int64
    if weight is None:
        return None
    try:
        inputs = np.stack([np.asarray(piece.rows, dtype=np.int64) for piece in pieces])
        bits = np.array([piece.bits for piece in pieces], dtype=np.int64)
        scales = np.array([piece.scale for piece in pieces], dtype=np.int64)
        bias = np.array(layer.bias, dtype=np.int64)
    except OverflowError:
        return None
    if int(inputs.min(initial=0)) == np.iinfo(np.int64).min:
        return None
    bound = inputs.shape[1] * layer.weight.max_abs * int(np.abs(inputs).max(initial=0))
    bound += int(np.abs(bias).max(initial=0)) * int(scales.max(initial=0))
    if bound >= INT64_SAFE or layer.scale * int(scales.max(initial=0)) >= INT64_SAFE:
        return None
    rows = np.matmul(weight, inputs * bits[:, :, None])  # (m, n) @ (cells, n, d+1)
    rows[:, :, -1] += bias[None, :] * scales[:, None]
    scales = scales * layer.scale
    common = np.gcd(np.gcd.reduce(rows.reshape(len(pieces), -1), axis=1), scales)
    return rows // common[:, None, None], scales // common


def _certain_signs_batch(cells: Sequence[Polytope], rows_float: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The certified float filter for many cells at once: ``(cells, neurons)`` masks of provably
    positive / provably negative hyperplanes (each cell with its own hyperplanes)."""
    most = max(len(cell.vertices) for cell in cells)
    points = np.full((len(cells), most, rows_float.shape[2]), np.nan)
    for index, cell in enumerate(cells):
        try:
            found = cell.float_points
        except OverflowError:  # NaN rows decide nothing: this cell is cut exactly
            continue
        points[index, : len(found)] = found
        points[index, len(found) :] = found[0]
    magnitudes = np.abs(rows_float)
    values = np.matmul(points, rows_float.transpose(0, 2, 1))  # (cells, vertices, neurons)
    margin = np.matmul(np.abs(points), magnitudes.transpose(0, 2, 1)) * FILTER_MARGIN
    margin += magnitudes.sum(axis=2)[:, None, :] * 1e-290
    return _certain(values, margin, axis=1)


def _next_layer(
    pieces: Sequence[_Piece],
    layer: _IntLayer,
    layer_index: int,
    check: Callable[[int], None],
    use_filter: bool,
    cuts: LayerCuts | None = None,
) -> Iterator[list[_Piece]]:
    """Cut every piece by the next layer's neurons; yields the sub-pieces of each piece in turn.

    ``use_filter`` lets the certified float filter discard hyperplanes that provably miss a cell;
    without it every sign is decided in exact integer arithmetic. ``cuts`` gives the layer's
    hyperplanes when its activations are not all ReLU."""
    if cuts is not None or layer.input_pieces is not None:
        yield from _next_general_layer(pieces, layer, layer_index, check, use_filter, cuts)
        return
    batch = _compose_batch(layer, pieces)
    if batch is None or not use_filter:
        for piece in pieces:
            rows, scale = _compose(layer, piece.rows, piece.bits, piece.scale)
            hyperplanes = piece.hyperplanes + ((rows, scale),)
            filter_rows = _FloatRows.of(rows) if use_filter else None
            cells = _cut_by_layer(piece.polytope, rows, layer_index, filter_rows, check=check)
            yield [_Piece(cell, piece.pattern + (bits,), rows, bits, scale, hyperplanes) for cell, bits in cells]
        return
    rows_all, scales = batch
    rows_float = rows_all.astype(float)  # int64 -> float64 is correctly rounded
    positive, negative = _certain_signs_batch([piece.polytope for piece in pieces], rows_float)
    for index, piece in enumerate(pieces):
        rows = rows_all[index].tolist()
        scale = int(scales[index])
        hyperplanes = piece.hyperplanes + ((rows, scale),)
        decided = positive[index] | negative[index]
        chosen = np.flatnonzero(decided)
        decisions: _Decisions = (None, tuple(chosen.tolist()), tuple(positive[index][chosen].astype(int).tolist()))
        candidates = np.flatnonzero(~decided).tolist()
        cells = _cut_by_layer(
            piece.polytope, rows, layer_index, _FloatRows.of(rows_float[index]), decisions, candidates, check
        )
        yield [_Piece(cell, piece.pattern + (bits,), rows, bits, scale, hyperplanes) for cell, bits in cells]


def _next_general_layer(
    pieces: Sequence[_Piece],
    layer: _IntLayer,
    layer_index: int,
    check: Callable[[int], None],
    use_filter: bool,
    cuts: LayerCuts | None,
) -> Iterator[list[_Piece]]:
    """:func:`_next_layer` piece by piece, for layers that read or apply activations other than ReLU."""
    for piece in pieces:
        rows, scale = _compose(layer, piece.rows, piece.bits, piece.scale)
        hyperplanes = piece.hyperplanes + ((rows, scale),)
        if cuts is None:
            cut_rows, tags = rows, None
        else:
            cut_rows, tags = cuts.rows(rows, scale), cuts.tags(layer_index)
        filter_rows = _FloatRows.of(cut_rows) if use_filter and cut_rows else None
        cells = _cut_by_layer(piece.polytope, cut_rows, layer_index, filter_rows, check=check, tags=tags)
        found = []
        for cell, bits in cells:
            states = bits if cuts is None else cuts.states(bits)
            found.append(_Piece(cell, piece.pattern + (states,), rows, states, scale, hyperplanes))
        yield found


ENGINES = ("auto", "vertex", "2d")
"""Region engines: ``"2d"`` (batched integer kernels over edge lists, 2 inputs only), ``"vertex"``
(exact vertex clipping, any dimension), ``"auto"`` (``"2d"`` for 2 inputs, else ``"vertex"``)."""


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
    number of cells so far in the current layer. ``engine`` is one of :data:`ENGINES`;
    every engine gives the same regions in the same order. ``float_filter=False`` turns off
    the vertex engine's certified float filter (every sign then decided exactly; same result).

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

        sources = run_split(task, make_pool(jobs, client), jobs)
    else:
        sources = [task.run(progress=progress)]
    output_layer = _output_layer(net)
    regions = [Region(source, index, bounds, output_layer) for source in sources for index in range(len(source))]
    if len(sources) > 1:
        regions.sort(key=lambda r: r.pattern)
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
    dim = len(task.bounds)
    identity: IntAffine = [[int(i == j) for j in range(dim + 1)] for i in range(dim)]
    start = [_Piece(Polytope.box(task.bounds), (), identity, (1,) * dim, 1, ())]
    return _vertex_layers(task.net, start, 0, 1, task.max_regions, None, task.float_filter)


def finish_block(task: EngineTask, block: Any) -> CellSource:
    """A block of first-layer cells through the remaining layers, sorted by pattern."""
    if task.engine == "2d":
        from .regions2d import finish_2d

        return finish_2d(task.net, block, task.max_regions)
    pieces = _vertex_layers(task.net, block, 1, task.net.relu_layer_count, task.max_regions, None, task.float_filter)
    pieces.sort(key=lambda piece: piece.pattern)
    return _Pieces(tuple(pieces))


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
    start = Polytope.box(task.bounds)
    pieces = _vertex_engine(task.net, start, task.max_regions, progress, task.float_filter, layers, select)
    pieces.sort(key=lambda piece: piece.pattern)
    return _Pieces(tuple(pieces))


@dataclass
class _Budget:
    """``max_regions`` checked inside a layer: cells finished plus cells still being cut."""

    max_regions: int | None
    layer_index: int
    parents: int
    done: int = 0
    regions: int = 0

    def finished(self, count: int) -> None:
        self.done += 1
        self.regions += count
        self.check(0)

    def check(self, in_progress: int) -> None:
        count = self.regions + in_progress
        if self.max_regions is not None and count > self.max_regions:
            raise TooLargeError(
                f"more than {self.max_regions} regions in layer {self.layer_index} "
                f"(stopped inside the layer at {count} cells, {self.done} of {self.parents} "
                f"regions of the previous layer cut); raise max_regions=N or shrink the box",
                partial=count,
            )


def _vertex_engine(
    net: Network,
    start: Polytope,
    max_regions: int | None,
    progress: Callable[[int], None] | None,
    float_filter: bool,
    layers: int | None = None,
    select: tuple[int, int] | None = None,
) -> list[_Piece]:
    """The vertex engine; ``layers`` and ``select`` as in :func:`symrelu.regions2d.enumerate_cells_2d`."""
    dim = start.dim
    identity: IntAffine = [[int(i == j) for j in range(dim + 1)] for i in range(dim)]
    pieces = [_Piece(start, (), identity, (1,) * dim, 1, ())]
    stop = net.relu_layer_count if layers is None else min(layers, net.relu_layer_count)
    if select is not None and stop > 0:
        pieces = _vertex_layers(net, pieces, 0, 1, max_regions, progress, float_filter)[select[0] : select[1]]
    return _vertex_layers(net, pieces, len(pieces[0].pattern), stop, max_regions, progress, float_filter)


def _vertex_layers(
    net: Network,
    pieces: list[_Piece],
    first: int,
    stop: int,
    max_regions: int | None,
    progress: Callable[[int], None] | None,
    float_filter: bool,
) -> list[_Piece]:
    """Cut ``pieces`` through the ReLU layers ``first .. stop - 1``."""
    use_filter = float_filter and filter_applies(pieces[0].polytope.dim)
    int_layers = _integer_layers(net)
    cuts = _layer_cuts(net)
    for layer_index in range(first, stop):
        budget = _Budget(max_regions, layer_index, len(pieces))
        next_pieces: list[_Piece] = []
        for sub_pieces in _next_layer(pieces, int_layers[layer_index], layer_index, budget.check, use_filter, cuts[layer_index]):
            next_pieces.extend(sub_pieces)
            budget.finished(len(sub_pieces))
            if progress is not None:
                progress(len(next_pieces))
        log.debug("layer %d: %d regions", layer_index, len(next_pieces))
        pieces = next_pieces
    return pieces


def iter_regions(
    net: Network,
    box: Sequence[Sequence[object]],
    block: int = 256,
    engine: str = "auto",
    float_filter: bool = True,
    max_regions: int | None = None,
) -> Iterator[Region]:
    """The regions of :func:`enumerate_regions`, streamed: the first layer's partition is computed
    once, then ``block`` of its cells at a time are cut through the remaining layers and their
    regions yielded (sorted by pattern within a block, blocks in the first layer's order). Only one
    block's regions are held at a time; ``max_regions`` applies to each block.

    >>> from symrelu import Network
    >>> net = Network.from_rows([([[1, 0], [0, 1]], [0, 0]), ([[1, 1], [1, -1]], [0, 0]), ([[1, 1]], [0])])
    >>> sorted(r.pattern for r in iter_regions(net, [(-1, 1), (-1, 1)], block=1)) == [
    ...     r.pattern for r in enumerate_regions(net, [(-1, 1), (-1, 1)])]
    True
    """
    net.require_concrete("region enumeration")
    bounds = check_box(net, box)
    start = Polytope.box(bounds)
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
    dim = len(bounds)
    identity: IntAffine = [[int(i == j) for j in range(dim + 1)] for i in range(dim)]
    first = [_Piece(start, (), identity, (1,) * dim, 1, ())]
    if net.relu_layer_count:
        first = _vertex_layers(net, first, 0, 1, max_regions, None, float_filter)
    for begin in range(0, len(first), block):
        pieces = _vertex_layers(net, first[begin : begin + block], min(1, net.relu_layer_count), net.relu_layer_count, max_regions, None, float_filter)
        pieces.sort(key=lambda piece: piece.pattern)
        source = _Pieces(tuple(pieces))
        yield from (Region(source, index, bounds, output_layer) for index in range(len(pieces)))
