"""The vertex engine: regions cut layer by layer with exact signs.

Every current region (a polytope with its vertices) is cut by the next layer's hyperplanes,
which are affine on it. With the float filter on, cells are :class:`~symrelu.float_vertices.FloatCell` cells
(float vertices with certified error radii, each sign decided from floats only beyond a proved
bound, and exactly otherwise; exact vertices on demand). Without it, or where floats cannot hold
a cell's numbers, cells are exact :class:`~symrelu.polytope.Polytope` objects (integer vertices, with
the certified margin filter :class:`_FloatRows`). Both give the same cells, vertex for vertex.
:mod:`symrelu.regions` holds the region types and the public entry points.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .errors import TooLargeError
from .float_batch import cut_layer
from .float_vertices import FloatCell, Table
from .int_layers import IntAffine, IntLayer, compose, cuts_of, integer_layers
from .intmat import INT64_SAFE
from .polytope import Polytope

if TYPE_CHECKING:
    from fractions import Fraction

    from .network import Network, Pattern
    from .region_activations import LayerCuts

log = logging.getLogger(__name__)

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
class Piece:
    """A cell of the engine with its pattern and the integer rows it was cut by."""

    cell: Polytope | FloatCell
    pattern: Pattern
    rows: IntAffine  # the last layer's pre-activations, as affine rows over `scale`
    bits: tuple[int, ...]  # ... and which of them are active here
    scale: int
    hyperplanes: tuple[tuple[IntAffine, int], ...]  # per ReLU layer: pre-activation rows and scale

    @property
    def polytope(self) -> Polytope:
        """The cell as an exact polytope."""
        return self.cell if isinstance(self.cell, Polytope) else self.cell.polytope


def start_piece(bounds: Sequence[tuple[Fraction, Fraction]], float_filter: bool) -> Piece:
    """The box as the engine's first cell: a :class:`FloatCell` with the float filter on (and a
    dimension it applies to), else an exact :class:`Polytope`."""
    box = Polytope.box(bounds)
    dim = box.dim
    identity: IntAffine = [[int(i == j) for j in range(dim + 1)] for i in range(dim)]
    cell: Polytope | FloatCell = box
    if float_filter and filter_applies(dim):
        cell = FloatCell.of(box, Table.of_box(box, bounds))
    return Piece(cell, (), identity, (1,) * dim, 1, ())


@dataclass(frozen=True)
class Pieces:
    """The vertex engine's result as a :class:`CellSource`."""

    pieces: tuple[Piece, ...]

    def __len__(self) -> int:
        return len(self.pieces)

    def pattern(self, index: int) -> Pattern:
        return self.pieces[index].pattern

    def polytope(self, index: int) -> Polytope:
        return self.pieces[index].polytope

    def hyperplanes(self, index: int) -> tuple[tuple[IntAffine, int], ...]:
        return self.pieces[index].hyperplanes


def _compose_batch(layer: IntLayer, pieces: Sequence[Piece]) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`compose` for every piece at once, as int64 tensors ``(cells, neurons, d+1)`` and scales,
    or ``None`` when int64 cannot be proved exact (then the caller composes piece by piece)."""
    weight = layer.weight.int64
    if weight is None or layer.input_pieces is not None:
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


def _cut_cell(
    cell: Polytope | FloatCell,
    rows: IntAffine,
    tags: Sequence[Any],
    layer_index: int,
    use_filter: bool,
    check: Callable[[int], None],
) -> list[tuple[Polytope | FloatCell, tuple[int, ...]]]:
    """One cell cut by a layer's hyperplanes: on floats with certified radii when it can, else exactly."""
    if isinstance(cell, FloatCell):
        found = cut_layer([cell], [rows], tags, check)
        if found is not None:
            return list(found[0])
        cell = cell.polytope  # numbers beyond exact floats: this cell and its parts go exact
    filter_rows = _FloatRows.of(rows) if use_filter and rows else None
    return list(_cut_by_layer(cell, rows, layer_index, filter_rows, check=check, tags=tags))


def _next_layer(
    pieces: Sequence[Piece],
    layer: IntLayer,
    layer_index: int,
    check: Callable[[int], None],
    use_filter: bool,
    cuts: LayerCuts | None,
    batch_check: Callable[[int], None],
) -> Iterator[list[Piece]]:
    """Cut every piece by the next layer's hyperplanes; yields the sub-pieces of each piece in turn.

    Float cells are cut all at once (:func:`~symrelu.float_batch.cut_layer`, which
    reports its cell count to ``batch_check``), any others one by one (``check`` after every cut).
    ``use_filter`` lets the exact cells use the certified float filter; ``cuts`` gives the
    layer's hyperplanes when its activations are not all ReLU."""
    batch = _compose_batch(layer, pieces) if pieces else None
    tags = [(layer_index, neuron) for neuron in range(len(layer.bias))] if cuts is None else list(cuts.tags(layer_index))
    composed = []
    for index, piece in enumerate(pieces):
        if batch is None:
            composed.append(compose(layer, piece.rows, piece.bits, piece.scale))
        else:
            composed.append((batch[0][index].tolist(), int(batch[1][index])))
    cut_rows = [rows if cuts is None else cuts.rows(rows, scale) for rows, scale in composed]
    batched = None
    if pieces and all(isinstance(piece.cell, FloatCell) for piece in pieces):
        cells = [cast(FloatCell, piece.cell) for piece in pieces]
        batched = cut_layer(cells, cut_rows, tags, batch_check)
    for index, piece in enumerate(pieces):
        rows, scale = composed[index]
        hyperplanes = piece.hyperplanes + ((rows, scale),)
        parts: Sequence[tuple[Polytope | FloatCell, tuple[int, ...]]]
        if batched is not None:
            parts = batched[index]
        else:
            parts = _cut_cell(piece.cell, cut_rows[index], tags, layer_index, use_filter, check)
        found = []
        for cell, bits in parts:
            states = bits if cuts is None else cuts.states(bits)
            found.append(Piece(cell, piece.pattern + (states,), rows, states, scale, hyperplanes))
        yield found


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

    def batch(self, cells: int) -> None:
        """A batch of cuts of every parent at once made ``cells`` cells: each cut adds one cell, so
        cut one by one they would have stopped at one cell past the limit."""
        self.check(cells if self.max_regions is None else min(cells, self.max_regions + 1 - self.regions))

    def check(self, in_progress: int) -> None:
        count = self.regions + in_progress
        if self.max_regions is not None and count > self.max_regions:
            raise TooLargeError(
                f"more than {self.max_regions} regions in layer {self.layer_index} "
                f"(stopped inside the layer at {count} cells, {self.done} of {self.parents} "
                f"regions of the previous layer cut); raise max_regions=N or shrink the box",
                partial=count,
            )


def first_layer_pieces(
    net: Network,
    bounds: Sequence[tuple[Fraction, Fraction]],
    max_regions: int | None,
    float_filter: bool,
    progress: Callable[[int], None] | None = None,
) -> list[Piece]:
    """The first activated layer's cells, sorted by pattern: contiguous blocks of them, cut through the
    remaining layers and each sorted, concatenate to the sorted regions (a region's pattern starts with
    its first-layer cell's, and that cell is the only one with its pattern)."""
    pieces = [start_piece(bounds, float_filter)]
    if net.relu_layer_count == 0:
        return pieces
    pieces = vertex_layers(net, pieces, 0, 1, max_regions, progress, float_filter)
    pieces.sort(key=lambda piece: piece.pattern)
    return pieces


def run_vertex_engine(
    net: Network,
    bounds: Sequence[tuple[Fraction, Fraction]],
    max_regions: int | None,
    progress: Callable[[int], None] | None,
    float_filter: bool,
    layers: int | None = None,
    select: tuple[int, int] | None = None,
) -> list[Piece]:
    """The vertex engine over the box ``bounds``; ``layers`` and ``select`` as in
    :func:`symrelu.regions2d.enumerate_cells_2d`."""
    pieces = [start_piece(bounds, float_filter)]
    stop = net.relu_layer_count if layers is None else min(layers, net.relu_layer_count)
    if select is not None and stop > 0:
        pieces = first_layer_pieces(net, bounds, max_regions, float_filter, progress)[select[0] : select[1]]
    return vertex_layers(net, pieces, len(pieces[0].pattern), stop, max_regions, progress, float_filter)


def vertex_layers(
    net: Network,
    pieces: list[Piece],
    first: int,
    stop: int,
    max_regions: int | None,
    progress: Callable[[int], None] | None,
    float_filter: bool,
) -> list[Piece]:
    """Cut ``pieces`` through the ReLU layers ``first .. stop - 1``."""
    use_filter = float_filter and bool(pieces) and filter_applies(pieces[0].cell.dim)
    int_layers = integer_layers(net)
    cuts = cuts_of(net)
    for layer_index in range(first, stop):
        budget = _Budget(max_regions, layer_index, len(pieces))
        next_pieces: list[Piece] = []
        for sub_pieces in _next_layer(
            pieces, int_layers[layer_index], layer_index, budget.check, use_filter, cuts[layer_index], budget.batch
        ):
            next_pieces.extend(sub_pieces)
            budget.finished(len(sub_pieces))
            if progress is not None:
                progress(len(next_pieces))
        log.debug("layer %d: %d regions", layer_index, len(next_pieces))
        pieces = next_pieces
    return pieces
