"""Cells with float vertices and certified error radii: the vertex engine's fast path.

A :class:`FloatCell` is a full-dimensional polytope known exactly by its combinatorics, the set
of constraints tight at each vertex (as bits naming integer rows of a :class:`Table`), and
approximately by float coordinates ``p_v`` with a radius ``r_v`` such that the exact vertex
``x_v`` satisfies ``|p_v - x_v|_inf <= r_v``. The cutter (:func:`symrelu.float_batch.cut_layer`)
follows :meth:`symrelu.polytope.Polytope.split` step for step (the same parts, vertex order and
tags); only the signs at the vertices are found differently:

* from floats, when ``|s| > E`` for the float value ``s = fl(a . p + a0)`` of an integer row and
  the bound ``E = 2 (|a|_1 r + (d + 3) u |a| . |(p, 1)|) + FLOOR`` (``u = 2**-53``): the exact
  value lies within ``|a|_1 r`` of ``a . p + a0``, and the rounding of the float dot product and
  of the row's conversion stays below ``(d + 2) u |a| . |(p, 1)|`` (Higham, Thm. 3.1); the factor 2
  covers the rounding of ``E`` itself and ``FLOOR`` underflow. Non-finite values decide nothing;
* otherwise exactly: the vertex's homogeneous integer coordinates are the null space of its
  tight rows (python-flint; :func:`exact_vertex`, cached per table), and the sign is that of an
  integer dot product.

Radii come from two proved bounds. :func:`certified_radii` is a posteriori: with ``A x + b = 0``
the vertex's ``d`` tight rows and ``R`` a float inverse of ``A``, ``|p - x| <= |A^-1| |A p + b|``
and ``|A^-1| <= |R| / (1 - |I - R A|)``, every computed residual widened by its rounding bound.
:func:`crossing_radii` propagates along a cut edge ``(i, j)`` with float-proved signs
``s_i > 0 > s_j``: the new vertex ``p = p_i + t (p_j - p_i)``, ``t = s_i / (s_i - s_j)``, is within
``max(r_i, r_j) + L (2 E_i + E_j) / (s_i - s_j) + 8 u L + 4 u |p|`` of the exact one
(``L = |p_j - p_i|_inf``; the exact vertex is ``x_i + t* (x_j - x_i)`` with ``|t - t*| <= (2 E_i +
E_j) / (s_i - s_j)``, and the ``u`` terms bound the rounding of ``p``), inflated by ``1 + 2**-20``
plus ``FLOOR``. Propagated radii grow with every cut, so a sign they cannot decide first gets a
fresh a posteriori radius, and only then, if still undecided, the exact vertex. Exact
coordinates for the output are computed on demand (:attr:`FloatCell.polytope`).

>>> from fractions import Fraction as F
>>> from symrelu.polytope import Polytope
>>> box = Polytope.box([(F(-1), F(1))] * 3)
>>> cell = FloatCell.of(box, Table.of_box(box, [(F(-1), F(1))] * 3))
>>> len(cell), cell.polytope == box
(8, True)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import gcd

import flint
import numpy as np

from .polytope import HomVertex, Polytope

UNIT = 2.0**-53
"""The unit roundoff of float64."""
FLOOR = 1e-290
"""Absolute slack for underflow: every float below this decides nothing."""
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


def vertex_key(bits: np.ndarray) -> bytes:
    """A vertex's tight constraints as a cache key."""
    return bits.tobytes().rstrip(b"\0")  # the same for any number of words


def known_vertex(table: Table, bits: np.ndarray) -> HomVertex | None:
    """The exact vertex with tight constraints ``bits`` if it was computed already."""
    return table.vertices.get(vertex_key(bits))


def exact_vertex(table: Table, bits: np.ndarray, dim: int) -> HomVertex:
    """The vertex whose tight constraints are ``bits``: the primitive null vector of their rows, ``W > 0``."""
    key = vertex_key(bits)
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


def float_point(vertex: HomVertex, dim: int) -> tuple[list[float], float]:
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
        found = [float_point(v, polytope.dim) for v in polytope.vertices]
        points = np.array([p for p, _ in found], dtype=float).reshape(len(found), polytope.dim)
        radii = np.array([r for _, r in found])
        for row, vertex in zip(bits, polytope.vertices, strict=True):
            table.vertices[vertex_key(row)] = vertex
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
