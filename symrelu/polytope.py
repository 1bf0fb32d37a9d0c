"""Exact bounded convex polytopes, cut by hyperplanes without any LP.

A :class:`Polytope` keeps its vertices in homogeneous integer coordinates
``(X1, ..., Xd, W)`` with ``W > 0`` (the point is ``X / W``), each tagged with
the set of constraints tight at it. Cutting by a hyperplane uses the sign of
the hyperplane at each vertex and the polytope's edges: in 2-D the vertices are
kept in counter-clockwise order, so edges are consecutive pairs; in any other
dimension two vertices are adjacent exactly when no third vertex is tight on
every constraint they share (the combinatorial test of the double-description
method, valid for degenerate polytopes too). Every number is an integer, so
every sign is exact.

>>> from fractions import Fraction as F
>>> square = Polytope.box([(F(-1), F(1)), (F(-1), F(1))])
>>> above, below = square.split([1, 1, 0], tag="x+y")   # x + y >= 0 / <= 0
>>> above.measure(), below.measure(), len(above.vertices)
(Fraction(2, 1), Fraction(2, 1), 3)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from math import gcd, lcm

import flint
import numpy as np

from .errors import DomainError

HomVertex = tuple[int, ...]
SMALL_ADJACENCY = 4096
"""Below this many (pair, vertex) tests the adjacency test runs pair by pair; above, on bit sets in numpy."""


def common_denominator_row(values: Sequence[Fraction]) -> tuple[list[int], int]:
    """Write rationals as integers over one positive denominator: ``values = ints / den``."""
    den = lcm(*(v.denominator for v in values)) if values else 1
    return [v.numerator * (den // v.denominator) for v in values], den


def _primitive(vertex: Sequence[int]) -> tuple[int, ...]:
    """The homogeneous vertex divided by the gcd of its coordinates (the same point, smallest integers)."""
    g = gcd(*vertex)
    return tuple(vertex) if g in (0, 1) else tuple(c // g for c in vertex)


@dataclass(frozen=True)
class Polytope:
    """A full-dimensional bounded convex polytope in R^dim, in exact V-representation."""

    dim: int
    vertices: tuple[HomVertex, ...]
    tags: tuple[frozenset[Hashable], ...]

    # ------------------------------------------------------------ construction
    @classmethod
    def box(cls, bounds: Sequence[tuple[Fraction, Fraction]]) -> Polytope:
        """The box ``prod [lo_i, hi_i]``; tags are ``("box", i, 0)`` for lo and ``("box", i, 1)`` for hi."""
        if not bounds:
            raise DomainError("a box needs at least one interval")
        for i, (lo, hi) in enumerate(bounds):
            if not lo < hi:
                raise DomainError(f"box interval {i} [{lo}, {hi}] is empty or inverted; write LO:HI with LO < HI")
        dim = len(bounds)
        nums, den = common_denominator_row([b for pair in bounds for b in pair])
        corners: list[tuple[int, ...]]
        if dim == 2:
            corners = [(0, 0), (1, 0), (1, 1), (0, 1)]  # counter-clockwise
        else:
            corners = [tuple((index >> i) & 1 for i in range(dim)) for index in range(2**dim)]
        vertices = []
        tags = []
        for corner in corners:
            vertices.append(_primitive([nums[2 * i + side] for i, side in enumerate(corner)] + [den]))
            tags.append(frozenset(("box", i, side) for i, side in enumerate(corner)))
        return cls(dim, tuple(vertices), tuple(tags))

    # ---------------------------------------------------------------- queries
    @cached_property
    def float_points(self) -> np.ndarray:
        """Vertices as ``(x1..xd, 1)`` float rows, each coordinate correctly rounded (filters only;
        int / int true division rounds correctly, and raises OverflowError beyond float range)."""
        if len(self.vertices) >= 16:
            points = self._object_vertices
            found = np.ones((len(self.vertices), self.dim + 1))
            found[:, : self.dim] = (points[:, : self.dim] / points[:, self.dim :]).astype(np.float64)
            return found
        return np.array([[x / vertex[self.dim] for x in vertex[: self.dim]] + [1.0] for vertex in self.vertices])

    def values(self, hyperplane: Sequence[int]) -> list[int]:
        """Integer values ``a . X + a0 * W`` of ``hyperplane = (a1..ad, a0)`` at the vertices (sign-exact)."""
        if len(hyperplane) == 3:  # the 2-D case, unrolled: it is the hot path
            a, b, c = hyperplane
            return [a * x + b * y + c * w for x, y, w in self.vertices]
        if len(self.vertices) < 16:
            return [sum(a * x for a, x in zip(hyperplane, vertex, strict=False)) for vertex in self.vertices]
        # Python integers in numpy object arrays: the same exact products, without the interpreter loop
        return (self._object_vertices @ np.array(list(hyperplane), dtype=object)).tolist()

    @cached_property
    def _object_vertices(self) -> np.ndarray:
        array = np.empty((len(self.vertices), self.dim + 1), dtype=object)
        array[:] = self.vertices
        return array

    def point(self, index: int) -> tuple[Fraction, ...]:
        vertex = self.vertices[index]
        return tuple(Fraction(x, vertex[self.dim]) for x in vertex[: self.dim])

    def points(self) -> tuple[tuple[Fraction, ...], ...]:
        """The vertices as rational points (1-D: increasing; 2-D: counter-clockwise)."""
        found = tuple(self.point(i) for i in range(len(self.vertices)))
        return tuple(sorted(found)) if self.dim == 1 else found

    def interior_point(self) -> tuple[Fraction, ...]:
        """The average of the vertices: strictly inside a full-dimensional polytope."""
        pts = self.points()
        return tuple(sum((p[i] for p in pts), Fraction(0)) / len(pts) for i in range(self.dim))

    def measure(self) -> Fraction:
        """Exact length (1-D) or area (2-D)."""
        pts = self.points()
        if self.dim == 1:
            return abs(pts[0][0] - pts[1][0])
        if self.dim == 2:
            twice = sum(
                (pts[i][0] * pts[(i + 1) % len(pts)][1] - pts[(i + 1) % len(pts)][0] * pts[i][1] for i in range(len(pts))),
                Fraction(0),
            )
            return abs(twice) / 2
        raise DomainError(f"exact measure is implemented for 1-D and 2-D polytopes, not {self.dim}-D")

    def facet_tags(self) -> list[Hashable]:
        """Tags whose tight vertices span a facet: the non-redundant constraints (sorted by first vertex)."""
        if self.dim == 2:
            found: list[Hashable] = []
            count = len(self.vertices)
            for i in range(count):
                for tag in sorted(self.tags[i] & self.tags[(i + 1) % count], key=repr):
                    if tag not in found:
                        found.append(tag)
            return found
        candidates: dict[Hashable, list[int]] = {}
        for index, tagset in enumerate(self.tags):
            for tag in tagset:
                candidates.setdefault(tag, []).append(index)
        result = []
        for tag, members in candidates.items():
            if len(members) < self.dim:
                continue
            if self.dim == 1 or flint.fmpz_mat([list(self.vertices[i][: self.dim + 1]) for i in members]).rank() == self.dim:
                result.append(tag)
        return sorted(result, key=lambda t: (min(candidates[t]), repr(t)))  # repr: independent of hash seeds

    def edges(self) -> list[tuple[int, int]]:
        """Pairs of adjacent vertices."""
        count = len(self.vertices)
        if self.dim == 2:
            return [(i, (i + 1) % count) for i in range(count)]
        return [(i, j) for i in range(count) for j in range(i + 1, count) if self._adjacent(i, j)]

    @cached_property
    def _tag_index(self) -> tuple[dict[Hashable, int], np.ndarray]:
        """A bit position per tag, and each vertex's tag set as bits ``(vertices, words)`` uint64.

        Split parts inherit them from their parent (:meth:`_split_general`) instead of rebuilding."""
        index: dict[Hashable, int] = {}
        for tagset in self.tags:
            for t in tagset:
                index.setdefault(t, len(index))
        masks = [sum(1 << index[t] for t in tagset) for tagset in self.tags]
        words = max(1, (len(index) + 63) // 64)
        full = (1 << 64) - 1
        return index, np.array([[(mask >> (64 * w)) & full for w in range(words)] for mask in masks], dtype=np.uint64)

    @property
    def _tag_bits(self) -> np.ndarray:
        return self._tag_index[1]

    def _adjacent_pairs(self, first: list[int], second: list[int]) -> list[tuple[int, int]]:
        """The pairs ``(i, j)``, ``i`` in ``first`` and ``j`` in ``second``, of adjacent vertices
        (:meth:`_adjacent` for all pairs at once, on tag bit sets)."""
        if not first or not second:
            return []
        if len(first) * len(second) * len(self.tags) < SMALL_ADJACENCY:
            return [(i, j) for i in first for j in second if self._adjacent(i, j)]
        bits = self._tag_bits
        shared = bits[first][:, None, :] & bits[second][None, :, :]  # (p, n, words)
        counts = np.bitwise_count(shared).sum(axis=2)
        pi, ni = np.nonzero(counts >= self.dim - 1)
        if pi.size == 0:
            return []
        candidates = shared[pi, ni]  # (c, words)
        found: list[tuple[int, int]] = []
        step = max(1, 2_000_000 // (len(self.tags) * bits.shape[1]))  # bound the (c, vertices) temporaries
        for start in range(0, len(candidates), step):
            chunk = candidates[start : start + step]
            holders = ((chunk[:, None, :] & ~bits[None, :, :]) == 0).all(axis=2).sum(axis=1)
            for k in np.flatnonzero(holders == 2):  # only i and j hold every shared tag
                found.append((first[int(pi[start + k])], second[int(ni[start + k])]))
        return found

    def _adjacent(self, i: int, j: int) -> bool:
        shared = self.tags[i] & self.tags[j]
        if len(shared) < self.dim - 1:
            return False
        return not any(k != i and k != j and shared <= self.tags[k] for k in range(len(self.vertices)))

    # ---------------------------------------------------------------- cutting
    def split(
        self, hyperplane: Sequence[int] | None, tag: Hashable, signs: Sequence[int] | None = None
    ) -> tuple[Polytope | None, Polytope | None]:
        """Cut by ``h(x) = a . x + a0``: returns the parts with ``h >= 0`` and ``h <= 0``.

        A part is ``None`` when it has empty interior. ``signs`` may give the
        (exact integer) hyperplane values at the vertices instead of ``hyperplane``.
        """
        values = list(signs) if signs is not None else self.values(hyperplane or ())
        return self._split_by_values(values, tag)

    def _split_by_values(self, values: Sequence[int], tag: Hashable) -> tuple[Polytope | None, Polytope | None]:
        has_pos = any(v > 0 for v in values)
        has_neg = any(v < 0 for v in values)
        if not has_neg:
            return (self._with_zero_tags(values, tag) if has_pos else None), (None if has_pos else self)
        if not has_pos:
            return None, self._with_zero_tags(values, tag)
        if self.dim == 2:
            return self._split_cyclic(values, tag)
        return self._split_general(values, tag)

    def _with_zero_tags(self, values: Sequence[int], tag: Hashable) -> Polytope:
        if all(v for v in values):
            return self
        return Polytope(self.dim, self.vertices, tuple(t | {tag} if v == 0 else t for t, v in zip(self.tags, values, strict=False)))

    def _crossing(self, i: int, j: int, values: Sequence[int], tag: Hashable) -> tuple[HomVertex, frozenset[Hashable]]:
        si, sj = values[i], values[j]
        vi, vj = self.vertices[i], self.vertices[j]
        if si < 0:
            si, sj, vi, vj = sj, si, vj, vi
        return _primitive([si * b - sj * a for a, b in zip(vi, vj, strict=False)]), (self.tags[i] & self.tags[j]) | {tag}

    def _split_cyclic(self, values: Sequence[int], tag: Hashable) -> tuple[Polytope, Polytope]:
        pos_v: list[HomVertex] = []
        pos_t: list[frozenset[Hashable]] = []
        neg_v: list[HomVertex] = []
        neg_t: list[frozenset[Hashable]] = []
        count = len(self.vertices)
        for i in range(count):
            value = values[i]
            vertex, tags = self.vertices[i], self.tags[i]
            if value == 0:
                tags = tags | {tag}
            if value >= 0:
                pos_v.append(vertex)
                pos_t.append(tags)
            if value <= 0:
                neg_v.append(vertex)
                neg_t.append(tags)
            j = (i + 1) % count
            if (value > 0 and values[j] < 0) or (value < 0 and values[j] > 0):
                new_vertex, new_tags = self._crossing(i, j, values, tag)
                pos_v.append(new_vertex)
                pos_t.append(new_tags)
                neg_v.append(new_vertex)
                neg_t.append(new_tags)
        return Polytope(2, tuple(pos_v), tuple(pos_t)), Polytope(2, tuple(neg_v), tuple(neg_t))

    def _split_general(self, values: Sequence[int], tag: Hashable) -> tuple[Polytope, Polytope]:
        new_v: list[HomVertex] = []
        new_t: list[frozenset[Hashable]] = []
        positive = [i for i, v in enumerate(values) if v > 0]
        negative = [i for i, v in enumerate(values) if v < 0]
        pairs = self._adjacent_pairs(positive, negative)
        if len(pairs) >= 16:  # the crossing points of all pairs at once, in Python integers
            pi = np.array([i for i, _ in pairs])
            pj = np.array([j for _, j in pairs])
            exact = np.empty(len(values), dtype=object)
            exact[:] = list(values)
            points = self._object_vertices
            crossing = exact[pi][:, None] * points[pj] - exact[pj][:, None] * points[pi]  # value_i > 0 > value_j
            crossing //= np.gcd.reduce(crossing, axis=1)[:, None]  # W > 0, so the gcd is positive
            new_v = [tuple(row) for row in crossing.tolist()]
            new_t = [(self.tags[i] & self.tags[j]) | {tag} for i, j in pairs]
        else:
            for i, j in pairs:
                vertex, tags = self._crossing(i, j, values, tag)
                new_v.append(vertex)
                new_t.append(tags)
        inherit = "_tag_index" in self.__dict__ and len(self.vertices) * len(pairs) >= SMALL_ADJACENCY // 8
        if inherit:  # the parts' tag bits, from the parent's: no set work
            index, bits = self._tag_index
            if tag not in index:
                index = {**index, tag: len(index)}
                if len(index) > 64 * bits.shape[1]:
                    bits = np.concatenate([bits, np.zeros((len(bits), 1), dtype=np.uint64)], axis=1)
            position = index[tag]
            tag_bit = np.zeros(bits.shape[1], dtype=np.uint64)
            tag_bit[position // 64] = np.uint64(1 << (position % 64))
            zero = np.array([v == 0 for v in values])
            old_bits = np.where(zero[:, None], bits | tag_bit, bits)
            if pairs:
                pi = np.array([i for i, _ in pairs])
                pj = np.array([j for _, j in pairs])
                crossing_bits = (bits[pi] & bits[pj]) | tag_bit
            else:
                crossing_bits = np.zeros((0, bits.shape[1]), dtype=np.uint64)

        def side(keep: list[int]) -> Polytope:
            verts = [self.vertices[i] for i in keep] + new_v
            tagsets = [self.tags[i] | {tag} if values[i] == 0 else self.tags[i] for i in keep] + new_t
            part = Polytope(self.dim, tuple(verts), tuple(tagsets))
            if inherit:
                part.__dict__["_tag_index"] = (index, np.concatenate([old_bits[keep], crossing_bits]))
            return part

        return (
            side([i for i, v in enumerate(values) if v >= 0]),
            side([i for i, v in enumerate(values) if v <= 0]),
        )
