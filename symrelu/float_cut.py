"""One :class:`~symrelu.float_vertices.FloatCell` cut by a layer's hyperplanes, neuron by neuron.

The single-cell cutter: :meth:`symrelu.polytope.Polytope.split` step for step on float vertices
with certified radii (:mod:`symrelu.float_vertices`), depth first. It keeps the cyclic vertex
order of 2-D cells and serves the cells :func:`symrelu.float_batch.cut_layer` does not batch.
Every new vertex gets a fresh a posteriori radius.

>>> from fractions import Fraction as F
>>> from symrelu.float_vertices import FloatCell, Table
>>> from symrelu.polytope import Polytope
>>> box = Polytope.box([(F(-1), F(1))] * 3)
>>> cell = FloatCell.of(box, Table.of_box(box, [(F(-1), F(1))] * 3))
>>> parts = cut_cell(cell, [[1, 1, 1, 0], [1, -1, 0, 0]], [(0, 0), (0, 1)], None)
>>> sorted(bits for _, bits in parts)
[(0, 0), (0, 1), (1, 0), (1, 1)]
>>> exact = box.split([1, 1, 1, 0], (0, 0))[0].split([1, -1, 0, 0], (0, 1))[0]
>>> [c.polytope for c, bits in parts if bits == (1, 1)] == [exact]
True
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from math import gcd

import numpy as np

from .float_vertices import FLOOR, UNIT, FloatCell, certified_radii, exact_vertex, float_point, known_vertex, vertex_key


@dataclass(frozen=True)
class _Rows:
    """A layer's rows in floats, for the certified signs."""

    rows: np.ndarray  # (m, d+1)
    magnitudes: np.ndarray  # |rows|
    norms: np.ndarray  # |a|_1 of the linear parts
    gamma: float

    @classmethod
    def of(cls, rows: Sequence[Sequence[int]], dim: int) -> _Rows | None:
        try:
            as_float = np.array(rows, dtype=float).reshape(len(rows), dim + 1)  # correctly rounded
        except OverflowError:
            return None
        if not np.isfinite(as_float).all():
            return None
        magnitudes = np.abs(as_float)
        return cls(as_float, magnitudes, magnitudes[:, :dim].sum(axis=1), (dim + 3) * UNIT)

    def signs(self, points: np.ndarray, radii: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Float values ``(V, m)``, their bounds ``E``, and the certified signs (+1, -1, 0 = undecided)."""
        values = points @ self.rows[:, :-1].T + self.rows[:, -1]
        bound = np.abs(points) @ self.magnitudes[:, :-1].T + self.magnitudes[:, -1]
        bound = 2 * (radii[:, None] * self.norms[None, :] + self.gamma * bound) + FLOOR
        finite = np.isfinite(values) & np.isfinite(bound)
        signs = np.where(finite & (values > bound), 1, 0) - np.where(finite & (values < -bound), 1, 0)
        return values, bound, signs.astype(np.int8)


@dataclass
class _Work:
    """A cell being cut, with the float values of every row of the layer at its vertices."""

    cell: FloatCell
    values: np.ndarray
    bounds: np.ndarray
    signs: np.ndarray  # (V, m) int8: certified signs, 0 where undecided
    simple: bool  # every vertex has exactly dim tight constraints


def _widen(bits: np.ndarray, words: int) -> np.ndarray:
    if bits.shape[1] >= words:
        return bits
    return np.concatenate([bits, np.zeros((len(bits), words - bits.shape[1]), dtype=np.uint64)], axis=1)


def _tag_bit(position: int, words: int) -> np.ndarray:
    bit = np.zeros(words, dtype=np.uint64)
    bit[position // 64] = np.uint64(1 << (position % 64))
    return bit


def _is_simple(bits: np.ndarray, dim: int) -> bool:
    return bool((np.bitwise_count(bits).sum(axis=1) == dim).all())


def _exact_signs(work: _Work, column: int, row: Sequence[int]) -> np.ndarray:
    """The exact signs of ``row`` at every vertex: certified float signs, exact integers elsewhere."""
    signs = work.signs[:, column].copy()
    for v in np.flatnonzero(signs == 0).tolist():
        vertex = work.cell.vertex(v)
        value = sum(a * x for a, x in zip(row, vertex, strict=True))
        signs[v] = (value > 0) - (value < 0)
    return signs


def _pairs(work: _Work, positive: np.ndarray, negative: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adjacent (positive, negative) vertex pairs, in the order of :meth:`Polytope._adjacent_pairs`."""
    dim = work.cell.dim
    bits = work.cell.bits
    shared = bits[positive][:, None, :] & bits[negative][None, :, :]
    counts = np.bitwise_count(shared).sum(axis=2)
    pi, ni = np.nonzero(counts >= dim - 1)
    if not work.simple and pi.size:  # only i and j may hold every shared tag
        candidates = shared[pi, ni]
        holders = ((candidates[:, None, :] & ~bits[None, :, :]) == 0).all(axis=2).sum(axis=1)
        keep = holders == 2
        pi, ni = pi[keep], ni[keep]
    return positive[pi], negative[ni]


def _cyclic(signs: np.ndarray) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    """2-D: the parts' vertex orders (``V + k`` for the ``k``-th new vertex) and the cut edges (pos, neg)."""
    count = len(signs)
    above: list[int] = []
    below: list[int] = []
    pairs: list[tuple[int, int]] = []
    values = signs.tolist()
    for i, s in enumerate(values):
        if s >= 0:
            above.append(i)
        if s <= 0:
            below.append(i)
        j = (i + 1) % count
        if s * values[j] < 0:
            new = count + len(pairs)
            pairs.append((i, j) if s > 0 else (j, i))
            above.append(new)
            below.append(new)
    return above, below, pairs


def _new_vertices(
    work: _Work, column: int, row: Sequence[int], pi: np.ndarray, ni: np.ndarray, tag_bit: np.ndarray, simple: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points, radii, bits and exact vertices of the crossings of the edges ``(pi, ni)`` (positive, negative)."""
    cell = work.cell
    bits = (cell.bits[pi] & cell.bits[ni]) | tag_bit
    with np.errstate(all="ignore"):
        si, sj = work.values[pi, column], work.values[ni, column]
        t = np.clip(si / (si - sj), 0.0, 1.0)
        points = cell.points[pi] + t[:, None] * (cell.points[ni] - cell.points[pi])
    radii = np.full(len(pi), np.inf)
    if simple:
        radii = certified_radii(cell.table.float_rows, 0, bits, points)
    else:  # only the vertices with exactly dim tight constraints
        plain = np.flatnonzero(np.bitwise_count(bits).sum(axis=1) == cell.dim)
        radii[plain] = certified_radii(cell.table.float_rows, 0, bits[plain], points[plain])
    for k in np.flatnonzero(~np.isfinite(radii)).tolist():  # no bound proved: the exact vertex
        vi, vj = known_vertex(cell.table, cell.bits[pi[k]]), known_vertex(cell.table, cell.bits[ni[k]])
        if vi is not None and vj is not None:  # both known: the exact crossing, as Polytope._crossing
            a = sum(c * x for c, x in zip(row, vi, strict=True))
            b = sum(c * x for c, x in zip(row, vj, strict=True))
            vertex = [a * y - b * x for x, y in zip(vi, vj, strict=True)]
            g = gcd(*vertex)
            found = cell.table.vertices[vertex_key(bits[k])] = tuple(v // g for v in vertex)
        else:
            found = exact_vertex(cell.table, bits[k], cell.dim)
        points[k], radii[k] = float_point(found, cell.dim)
    return points, radii, bits


def _part(work: _Work, order: list[int] | np.ndarray, new: tuple[np.ndarray, np.ndarray, np.ndarray],
          zero_bits: np.ndarray, rows: _Rows, simple: bool) -> _Work:
    """The part with vertices ``order`` (old indices, then ``V + k`` for new vertex ``k``)."""
    cell = work.cell
    count = len(cell)
    points, radii, bits = new
    order = np.asarray(order, dtype=np.intp)
    old = order < count
    all_points = np.concatenate([cell.points, points])[order]
    all_radii = np.concatenate([cell.radii, radii])[order]
    all_bits = np.concatenate([zero_bits, bits])[order]
    part = FloatCell(cell.dim, all_points, all_radii, all_bits, cell.table)
    if len(points):
        fresh = ~old
        values, bounds, signs = rows.signs(all_points[fresh], all_radii[fresh])
        all_values = np.empty((len(order), work.values.shape[1]))
        all_bounds = np.empty_like(all_values)
        all_signs = np.empty((len(order), work.values.shape[1]), dtype=np.int8)
        all_values[old], all_bounds[old], all_signs[old] = work.values[order[old]], work.bounds[order[old]], work.signs[order[old]]
        all_values[fresh], all_bounds[fresh], all_signs[fresh] = values, bounds, signs
    else:
        all_values, all_bounds, all_signs = work.values[order], work.bounds[order], work.signs[order]
    return _Work(part, all_values, all_bounds, all_signs, simple)


def cut_cell(
    cell: FloatCell,
    rows: Sequence[Sequence[int]],
    tags: Sequence[Hashable],
    check: Callable[[int], None] | None,
) -> list[tuple[FloatCell, tuple[int, ...]]] | None:
    """Cut ``cell`` by the hyperplanes ``rows`` (tagged ``tags``) in order, as repeated
    :meth:`Polytope.split`; returns the full-dimensional parts with one bit per row (1: ``>= 0``),
    or ``None`` when the rows are beyond float range (then the caller cuts exactly)."""
    float_rows = _Rows.of(rows, cell.dim)
    if float_rows is None:
        return None
    base = len(cell.table.tags)
    table = cell.table.extended(tags, rows)
    words = table.words
    start = FloatCell(cell.dim, cell.points, cell.radii, _widen(cell.bits, words), table)
    values, bounds, signs = float_rows.signs(start.points, start.radii)
    simple = cell.dim != 2 and _is_simple(start.bits, cell.dim)
    stack: list[tuple[_Work, int, list[int]]] = [(_Work(start, values, bounds, signs, simple), 0, [])]
    width = len(rows)
    cells: list[tuple[FloatCell, tuple[int, ...]]] = []
    while stack:
        work, column, bits = stack.pop()
        if column < width:  # the rows that provably miss the cell: bits without a cut
            decided = work.signs[:, column:]
            above = (decided == 1).all(axis=0).tolist()
            below = (decided == -1).all(axis=0).tolist()
            for up_, down_ in zip(above, below, strict=True):
                if not (up_ or down_):
                    break
                bits.append(int(up_))
                column += 1
        if column == width:
            cells.append((work.cell, tuple(bits)))
            continue
        row = rows[column]
        exact = _exact_signs(work, column, row)
        has_pos, has_neg = bool((exact > 0).any()), bool((exact < 0).any())
        tag_bit = _tag_bit(base + column, words)
        zero = exact == 0
        zero_bits = np.where(zero[:, None], work.cell.bits | tag_bit, work.cell.bits) if zero.any() else work.cell.bits
        if not (has_pos and has_neg):  # no cut: the cell itself, with the tag on its vertices on the hyperplane
            if has_pos or has_neg:
                if zero.any():
                    c = work.cell
                    work = _Work(FloatCell(c.dim, c.points, c.radii, zero_bits, c.table), work.values, work.bounds, work.signs, False)
            stack.append((work, column + 1, bits + [int(has_pos)]))
            continue
        positive, negative = np.flatnonzero(exact > 0), np.flatnonzero(exact < 0)
        if cell.dim == 2:
            up, down, pairs = _cyclic(exact)
            pi = np.array([i for i, _ in pairs], dtype=np.intp)
            ni = np.array([j for _, j in pairs], dtype=np.intp)
        else:
            pi, ni = _pairs(work, positive, negative)
            count = len(work.cell)
            fresh = list(range(count, count + len(pi)))
            up = np.flatnonzero(exact >= 0).tolist() + fresh
            down = np.flatnonzero(exact <= 0).tolist() + fresh
        simple_parts = work.simple and not zero.any()
        new = _new_vertices(work, column, row, pi, ni, tag_bit, simple_parts)
        if check is not None:
            check(len(cells) + len(stack) + 2)  # every cell here becomes at least one region
        stack.append((_part(work, up, new, zero_bits, float_rows, simple_parts), column + 1, bits + [1]))
        stack.append((_part(work, down, new, zero_bits, float_rows, simple_parts), column + 1, bits + [0]))
    return cells
