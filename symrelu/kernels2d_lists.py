"""The 2-D engine's cut on Python lists, for neurons that meet few cells.

When a neuron's line can cross only a few dozen cells, numpy's fixed cost per call (some
thirty calls per neuron in :mod:`symrelu.kernels2d`) outweighs the work itself. Here the same
cut runs cell by cell on Python integers: the same edge lines, tags and vertices (the meet of
consecutive edges, as their integer cross product), the same cut cells in the same slots, so
the result is identical to the batched kernels'. Python integers are exact at any size, so
this path needs no overflow bound and no float filter.

>>> from fractions import Fraction as F
>>> from symrelu.kernels2d import box_faces
>>> cells = ListCells.of(box_faces([(F(-1), F(1)), (F(-1), F(1))]), 1)
>>> cells.cut(0, [[(2, 0, -1)]], tag=5), [len(e) for e in cells.edges], cells.bits   # 2x - 1 >= 0 and <= 0
(1, [4, 4], [[1], [0]])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import gcd

import numpy as np

from .kernels2d import Faces

Line = tuple[int, int, int]

SMALL_MEMBERS = 40
"""A neuron is cut on lists while it meets at most this many cells (numpy is faster beyond)."""
SMALL_CELLS = 8 * SMALL_MEMBERS
"""A layer starts on lists only when it starts with at most this many cells (converting costs too)."""


def _cross(p: Line, q: Line) -> Line:
    return (p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0])


def _part(edges: list[Line], tags: list[int], verts: list[Line], sign: list[int], line: Line, tag: int, side: int):
    """The part of a convex polygon on ``side`` (+1 or -1) of ``line``, which crosses it.

    The vertices strictly on that side are one cyclic run ``p .. p + k - 1``; the part keeps the
    edges ``p - 1 .. p + k - 1`` (each has an end strictly on this side) in that order, closed by
    ``line``, exactly as :func:`symrelu.kernels2d.split_cells` orders them, with the run's vertices.
    """
    p = 0
    while sign[p] != side or sign[p - 1] == side:
        p += 1
    k = sign.count(side)
    s = p - 1 if p else len(edges) - 1
    kept = (edges[s:] + edges[:s])[: k + 1]
    new_verts = [_cross(line, kept[0])]
    new_verts += (verts[p:] + verts[:p])[:k]
    new_verts.append(_cross(kept[-1], line))
    kept.append(line)
    new_tags = (tags[s:] + tags[:s])[: k + 1]
    new_tags.append(tag)
    return kept, new_tags, new_verts


@dataclass
class ListCells:
    """A layer's cells as Python lists: per cell its edge lines, tags, vertices (``W > 0``), the
    cell it came from at the start of the layer (``root``) and its bits in this layer."""

    edges: list[list[Line]]
    tags: list[list[int]]
    verts: list[list[Line]]
    root: list[int]
    bits: list[list[int]]

    @classmethod
    def of(cls, faces: Faces, neurons: int) -> ListCells:
        """The cells of ``faces`` (each its own root; ``faces.bits`` or zeros as their bits)."""
        n = faces.n
        counts = faces.C[:n].tolist()
        E, T, V = faces.E[:n].tolist(), faces.T[:n].tolist(), faces.V[:n].tolist()
        bits = faces.bits[:n].tolist() if faces.bits.shape[1:] == (neurons,) else [[0] * neurons for _ in range(n)]
        return cls(
            [[tuple(e) for e in E[i][:k]] for i, k in enumerate(counts)],
            [T[i][:k] for i, k in enumerate(counts)],
            [[tuple(v) for v in V[i][:k]] for i, k in enumerate(counts)],
            list(range(n)),
            bits,
        )

    def restart(self, bits: np.ndarray) -> None:
        """Start the next layer: every cell its own root, with ``bits`` (one row per cell)."""
        self.root = list(range(len(self.edges)))
        self.bits = bits.tolist()

    def members(self, undecided: list[bool]) -> list[int]:
        """The cells whose root a neuron may cut (``undecided[root]``), in slot order."""
        root = self.root
        return [c for c in range(len(root)) if undecided[root[c]]]

    def cut(self, neuron: int, lines: list[list[Line]], tag: int, members: list[int] | None = None) -> int:
        """Cut ``members`` (default: all cells) by ``neuron``'s line of their root
        (``lines[root][neuron]``): each cut cell keeps its ``>= 0`` part in its slot (bit 1), its
        ``<= 0`` part goes to a new slot at the end. Returns how many cells were cut."""
        edges, tags, verts, root, bits = self.edges, self.tags, self.verts, self.root, self.bits
        reduced: dict[int, tuple[Line, Line]] = {}
        cut = 0
        for c in range(len(root)) if members is None else members:
            r = root[c]
            a, b, w0 = lines[r][neuron]
            values = [a * x + b * y + w0 * w for x, y, w in verts[c]]
            if max(values) <= 0 or min(values) >= 0:
                bits[c][neuron] = int(max(values) > 0)
                continue
            pair = reduced.get(r)
            if pair is None:
                g = gcd(a, b, w0)
                line = (a // g, b // g, w0 // g)
                pair = reduced[r] = (line, (-line[0], -line[1], -line[2]))
            sign = [(v > 0) - (v < 0) for v in values]
            E, T, V = edges[c], tags[c], verts[c]
            edges[c], tags[c], verts[c] = _part(E, T, V, sign, pair[0], tag, 1)
            below = _part(E, T, V, sign, pair[1], tag, -1)
            edges.append(below[0])
            tags.append(below[1])
            verts.append(below[2])
            root.append(r)
            row = bits[c]
            row[neuron] = 0
            bits.append(row[:])
            row[neuron] = 1
            cut += 1
        return cut

    def faces(self, like: Faces) -> Faces:
        """The cells as :class:`Faces` arrays, in ``like``'s integer type (int64 or Python integers);
        the vertices are computed when first used (the same cross products)."""
        n = len(self.root)
        counts = [len(e) for e in self.edges]
        width = max(like.E.shape[1], max(counts))
        flat: list[int] = []
        codes: list[int] = []
        for e, t, k in zip(self.edges, self.tags, counts):
            for line in e:
                flat.extend(line)
            flat.extend((0, 0, 0) * (width - k))
            codes.extend(t)
            codes.extend((0,) * (width - k))
        E = np.array(flat, dtype=like.E.dtype).reshape(n, width, 3)
        bits = np.array(self.bits, dtype=np.int8).reshape(n, -1)
        T = np.array(codes, dtype=like.T.dtype).reshape(n, width)
        return Faces(E, T, np.array(counts, dtype=like.C.dtype), None, np.array(self.root, dtype=np.int64), bits, n)


def cut_layer_lists(
    faces: Faces, rows: np.ndarray, undecided: np.ndarray, tag_base: int, check: Callable[[int], None], lists: ListCells | None
) -> tuple[Faces, int, ListCells | None]:
    """Cut ``faces`` by a layer's neurons (``rows (n, m, 3)``, those ``undecided`` for a root) on lists
    while each meets at most ``SMALL_MEMBERS`` cells. Returns the cells, the first neuron left to the
    batched kernels, and the cells as lists when none is left (``lists``: these cells as lists, if at hand)."""
    m = rows.shape[1]
    if not undecided.any():
        return faces, m, lists
    if (lists is None and faces.n > SMALL_CELLS) or int(undecided.sum(axis=0).max()) > SMALL_MEMBERS:
        return faces, 0, None
    if lists is None:
        lists = ListCells.of(faces, m)
    else:
        lists.restart(faces.bits)
    flags = undecided.T.tolist()
    lines = rows.tolist()
    for neuron in range(m):
        if not any(flags[neuron]):
            continue
        members = lists.members(flags[neuron])
        if len(members) > SMALL_MEMBERS:
            return lists.faces(faces), neuron, None
        if lists.cut(neuron, lines, tag_base + neuron, members):
            check(len(lists.root))
    return lists.faces(faces), m, lists
