"""Cells with float vertices and certified error radii: the vertex engine's fast path.

A :class:`FloatCell` is a full-dimensional polytope known exactly by its combinatorics, the set
of constraints tight at each vertex (as bits naming rows of a :class:`Table`), and approximately
by float coordinates ``p_v`` with a radius ``r_v`` such that the exact vertex ``x_v`` satisfies
``|p_v - x_v|_inf <= r_v``. Cutting it by an integer hyperplane ``a . x + a0`` follows
:meth:`symrelu.polytope.Polytope.split` step for step (the same parts, vertex order and tags);
only the signs at the vertices are found differently:

* from floats, when ``|s| > E`` for the float value ``s = fl(a . p + a0)`` and the bound
  ``E = 2 (|a|_1 r + (d + 3) u |a| . |(p, 1)|) + FLOOR`` (``u = 2**-53``). The exact value lies
  within ``|a|_1 r`` of ``a . p + a0`` (the radius), and the rounding of the float dot product and
  of the row's conversion to floats stays below ``(d + 2) u |a| . |(p, 1)|`` (Higham, Thm. 3.1);
  the factor 2 covers the rounding of ``E`` itself and ``FLOOR`` underflow. Non-finite values
  decide nothing;
* otherwise exactly: the vertex's homogeneous integer coordinates are the null space of its
  tight rows (python-flint, exact), and the sign is that of an integer dot product.

A new vertex on an edge ``(i, j)`` with float-certain signs ``s_i > 0 > s_j`` gets
``p = p_i + t (p_j - p_i)``, ``t = s_i / (s_i - s_j)``, and the radius
``max(r_i, r_j) + L (2 E_i + E_j) / (s_i - s_j) + 8 u L + 4 u |p|`` (``L = |p_j - p_i|_inf``,
``|p| = max(|p_i|_inf, |p_j|_inf)``), inflated by ``1 + 2**-20`` plus ``FLOOR``: the exact
vertex is ``x_i + t* (x_j - x_i)`` with ``t*`` the exact ratio, and ``|t - t*| <= (2 E_i + E_j) /
(s_i - s_j)``; the ``u`` terms bound the rounding of ``p``. A new vertex with an exactly decided
endpoint is computed exactly. Exact coordinates for the output are computed on demand
(:attr:`FloatCell.polytope`).

>>> from fractions import Fraction as F
>>> from symrelu.polytope import Polytope
>>> box = Polytope.box([(F(-1), F(1))] * 3)
>>> cell = FloatCell.of(box, Table.of_box(box, [(F(-1), F(1))] * 3))
>>> parts = cut_cell(cell, [[1, 1, 1, 0], [1, -1, 0, 0]], [(0, 0), (0, 1)], None)
>>> sorted(bits for _, bits in parts)
[(0, 0), (0, 1), (1, 0), (1, 1)]
>>> exact = Polytope.box([(F(-1), F(1))] * 3).split([1, 1, 1, 0], (0, 0))[0].split([1, -1, 0, 0], (0, 1))[0]
>>> [c.polytope for c, bits in parts if bits == (1, 1)] == [exact]
True
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import gcd

import flint
import numpy as np

from .polytope import HomVertex, Polytope

log = logging.getLogger(__name__)

UNIT = 2.0**-53
"""The unit roundoff of float64."""
FLOOR = 1e-290
"""Absolute slack for underflow: every float below this decides nothing."""
REFRESH = 2.0**-20
"""A propagated radius above this (relative to ``1 + |p|``) is replaced by a fresh a posteriori one."""
INFLATE = 1 + 2.0**-20
"""Relative slack for the rounding of a bound computed in floats (a few dozen operations)."""


@dataclass(frozen=True, eq=False)
class Table:
    """The constraints cells' tags name: bit ``p`` is ``tags[p]``, the hyperplane ``rows[p] = (a1..ad, a0)``."""

    tags: tuple[Hashable, ...]
    rows: tuple[tuple[int, ...], ...]
    vertices: dict[bytes, HomVertex] = field(default_factory=dict, repr=False)
    """Exact vertices found so far, by their tight constraints: cells cut from one parent share them."""

    @classmethod
    def of_box(cls, box: Polytope, bounds: Sequence[tuple[Fraction, Fraction]]) -> Table:
        """The box's faces, ``("box", i, side)`` at bit ``2 i + side``."""
        tags, rows = [], []
        for i, pair in enumerate(bounds):
            for side, bound in enumerate(pair):
                tags.append(("box", i, side))
                rows.append(tuple(bound.denominator * int(k == i) for k in range(box.dim)) + (-bound.numerator,))
        return cls(tuple(tags), tuple(rows))

    @cached_property
    def float_rows(self) -> np.ndarray | None:
        """The rows in floats, or ``None`` unless every entry is an exact float (below 2**53)."""
        try:
            rows = np.array(self.rows, dtype=float)
        except OverflowError:
            return None
        return rows if np.abs(rows).max(initial=0.0) < 2.0**53 else None  # rounding is monotone

    def extended(self, tags: Sequence[Hashable], rows: Sequence[Sequence[int]]) -> Table:
        """This table and more rows (a copy of the cache: the new rows differ from cell to cell)."""
        return Table(self.tags + tuple(tags), self.rows + tuple(tuple(row) for row in rows), dict(self.vertices))

    @property
    def words(self) -> int:
        return max(1, (len(self.tags) + 63) // 64)


def _positions(bits: np.ndarray) -> list[int]:
    """The set bits of one vertex's bit set, in increasing order."""
    found = []
    for w, word in enumerate(bits.tolist()):
        while word:
            low = word & -word
            found.append(64 * w + low.bit_length() - 1)
            word ^= low
    return found


def _key(bits: np.ndarray) -> bytes:
    return bits.tobytes().rstrip(b"\0")  # the same for any number of words


def known_vertex(table: Table, bits: np.ndarray) -> HomVertex | None:
    """The exact vertex with tight constraints ``bits`` if it was computed already."""
    return table.vertices.get(_key(bits))


def exact_vertex(table: Table, bits: np.ndarray, dim: int) -> HomVertex:
    """The vertex whose tight constraints are ``bits``: the primitive null vector of their rows, ``W > 0``."""
    key = _key(bits)
    found = table.vertices.get(key)
    if found is None:
        found = table.vertices[key] = _null_vector(table, bits, dim)
    return found


def _null_vector(table: Table, bits: np.ndarray, dim: int) -> HomVertex:
    rows = [list(table.rows[p]) for p in _positions(bits)]
    space, nullity = flint.fmpz_mat(rows).nullspace()
    if nullity != 1:
        raise RuntimeError(f"tight constraints of a vertex span {dim + 1 - nullity} dimensions, not {dim}")
    vector = [int(space[k, 0]) for k in range(dim + 1)]
    g = gcd(*vector)
    if vector[dim] < 0:
        g = -g
    return tuple(v // g for v in vector)


def _float_point(vertex: HomVertex, dim: int) -> tuple[list[float], float]:
    """Correctly rounded coordinates and their radius (NaN and infinity when beyond float range)."""
    try:
        point = [x / vertex[dim] for x in vertex[:dim]]
    except OverflowError:
        return [float("nan")] * dim, float("inf")
    return point, 2 * UNIT * max((abs(x) for x in point), default=0.0) + FLOOR


@dataclass(eq=False)
class FloatCell:
    """A polytope with float vertices, their certified radii and their tight constraints as bits
    (exact vertices on demand, cached in the table)."""

    dim: int
    points: np.ndarray  # (V, dim) float64
    radii: np.ndarray  # (V,) float64
    bits: np.ndarray  # (V, words) uint64
    table: Table

    @classmethod
    def of(cls, polytope: Polytope, table: Table) -> FloatCell:
        """An exact polytope whose tags are in ``table``."""
        index = {tag: p for p, tag in enumerate(table.tags)}
        masks = [sum(1 << index[t] for t in tags) for tags in polytope.tags]
        full = (1 << 64) - 1
        bits = np.array([[(m >> (64 * w)) & full for w in range(table.words)] for m in masks], dtype=np.uint64)
        found = [_float_point(v, polytope.dim) for v in polytope.vertices]
        points = np.array([p for p, _ in found], dtype=float).reshape(len(found), polytope.dim)
        radii = np.array([r for _, r in found])
        for row, vertex in zip(bits, polytope.vertices, strict=True):
            table.vertices[_key(row)] = vertex
        return cls(polytope.dim, points, radii, bits, table)

    def __len__(self) -> int:
        return len(self.points)

    def vertex(self, index: int) -> HomVertex:
        """The exact vertex ``index``."""
        return exact_vertex(self.table, self.bits[index], self.dim)

    @cached_property
    def polytope(self) -> Polytope:
        """The exact polytope: the same vertices, in the same order and with the same tags, as
        :meth:`Polytope.split` gives."""
        vertices = tuple(self.vertex(i) for i in range(len(self)))
        names = self.table.tags
        tags = []
        seen: dict[bytes, frozenset[Hashable]] = {}
        for row in self.bits:
            key = row.tobytes()
            found = seen.get(key)
            if found is None:
                found = seen[key] = frozenset(names[p] for p in _positions(row))
            tags.append(found)
        return Polytope(self.dim, vertices, tuple(tags))


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


def certified_radii(rows: np.ndarray | None, base: np.ndarray | int, bits: np.ndarray, points: np.ndarray) -> np.ndarray:
    """For vertices with exactly ``dim`` tight constraints (``bits``, naming ``rows[base + p]``, exact
    float rows) and float approximations ``points``: radii ``r`` with ``|points - x|_inf <= r`` for
    the exact vertices ``x`` (``inf`` where no bound is proved).

    With ``A x + b = 0`` the tight rows (exact in floats) and ``R`` a float inverse of ``A``:
    ``|x - p| <= |A^-1| |A p + b|`` and ``|A^-1| <= |R| / (1 - |I - R A|)`` when that norm is below 1
    (all norms ``inf``-norms, each computed residual widened by its rounding bound ``g |.| |.|``)."""
    count, dim = points.shape
    if rows is None or count == 0:
        return np.full(count, np.inf)
    tight = np.unpackbits(bits.view(np.uint8), axis=1, bitorder="little")
    positions = np.nonzero(tight)[1].reshape(count, dim)
    if not isinstance(base, int):
        positions = positions + base[:, None]
    elif base:
        positions = positions + base
    system = rows[positions]  # (K, d, d+1)
    a, b = system[:, :, :dim], system[:, :, dim]
    g = (dim + 2) * UNIT
    with np.errstate(all="ignore"):
        try:
            inverse = np.linalg.inv(a)
        except np.linalg.LinAlgError:  # a float-singular system: prove nothing for this batch
            return np.full(count, np.inf)
        magnitudes = np.abs(system)
        residual = np.abs(np.einsum("kij,kj->ki", a, points) + b)
        residual += g * (np.einsum("kij,kj->ki", magnitudes[:, :, :dim], np.abs(points)) + magnitudes[:, :, dim]) + FLOOR
        product = inverse @ a
        product[:, np.arange(dim), np.arange(dim)] -= 1
        norm = np.abs(inverse).sum(axis=2).max(axis=1)
        # |fl(R A) - R A| <= g |R| |A| entrywise, and || |R| |A| || <= ||R|| ||A||
        defect = np.abs(product).sum(axis=2).max(axis=1) + g * norm * magnitudes[:, :, :dim].sum(axis=2).max(axis=1)
        radii = norm * residual.max(axis=1) / (1 - defect * INFLATE) * INFLATE**2 + FLOOR
    radii[~((defect * INFLATE < 1) & np.isfinite(radii))] = np.inf
    return radii


def crossing_radii(
    points: np.ndarray, radii: np.ndarray, first: np.ndarray, second: np.ndarray, values: np.ndarray, bounds: np.ndarray, certain: np.ndarray
) -> np.ndarray:
    """Radii of the crossings of the edges ``(first, second)`` (positive, negative) from their
    endpoints' radii and value bounds (the propagation bound of the module docstring), ``inf`` where
    an endpoint's sign was not proved by floats."""
    with np.errstate(all="ignore"):
        si, sj = values[first], values[second]
        spread = np.abs(points[second] - points[first]).max(axis=1, initial=0.0)
        size = np.maximum(np.abs(points[first]).max(axis=1, initial=0.0), np.abs(points[second]).max(axis=1, initial=0.0))
        found = np.maximum(radii[first], radii[second]) + spread * ((2 * bounds[first] + bounds[second]) / (si - sj) + 8 * UNIT)
        found = (found + 4 * UNIT * size) * INFLATE + FLOOR
    found[~(certain[first] & certain[second] & np.isfinite(found))] = np.inf
    return found


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
            found = cell.table.vertices[_key(bits[k])] = tuple(v // g for v in vertex)
        else:
            found = exact_vertex(cell.table, bits[k], cell.dim)
        points[k], radii[k] = _float_point(found, cell.dim)
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
