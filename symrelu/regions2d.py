"""The 2-D region engine: every cell of a layer cut by one neuron at a time, in batched integer kernels.

A convex polygon is kept as the cyclic, counter-clockwise list of its edge lines
``(a, b, c)`` (integers, ``a x + b y + c >= 0`` inside), each with a tag saying which
box side or neuron it comes from. Vertex ``t`` is the meet of edges ``t - 1`` and ``t``,
in homogeneous integer coordinates (their cross product, ``W > 0``). The sign of a
neuron's line at a vertex is an integer dot product, so it is exact; all cells of a
layer are cut by neuron ``j`` at once with numpy.

Exactness: the kernels run in int64 only when a bound on every intermediate value,
computed from the actual magnitudes at run time, is below ``2**62``
(:func:`_int64_safe`); otherwise the same kernels run on Python integers (numpy
object arrays), which cannot overflow. No float decides anything.

>>> from symrelu import Network
>>> net = Network.from_rows([([[1, 0], [0, 1], [1, 1]], [0, 0, 0]), ([[1, 1, 1]], [0])])
>>> cells = enumerate_cells_2d(net, ((-1, 1), (-1, 1)))
>>> len(cells), cells.pattern(0)
(6, ((0, 0, 0),))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import gcd
from typing import TYPE_CHECKING

import numpy as np

from .errors import TooLargeError
from .intmat import INT64_SAFE, array_max_abs
from .polytope import Polytope, common_denominator_row
from .region_activations import LayerCuts, layer_cuts, layer_pieces

if TYPE_CHECKING:
    from .network import Network, Pattern

BOX_TAGS = (("box", 1, 0), ("box", 0, 1), ("box", 1, 1), ("box", 0, 0))
"""Tags of the box's edges in counter-clockwise order: bottom, right, top, left."""
NEURON_TAG_BASE = 1 << 20
"""Edge tag codes: ``-1 .. -4`` are the box sides above; ``layer * NEURON_TAG_BASE + neuron`` a neuron."""


def decode_tag(code: int) -> tuple[object, ...]:
    """The polytope tag of an edge code: ``("box", i, side)`` or ``(layer, neuron)``.

    >>> decode_tag(-2), decode_tag(3 * NEURON_TAG_BASE + 5)
    (('box', 0, 1), (3, 5))
    """
    if code < 0:
        return BOX_TAGS[-code - 1]
    return (code // NEURON_TAG_BASE, code % NEURON_TAG_BASE)


FLOAT_EXACT = 2**53
"""Below this bound on every partial sum, a float64 product of integer matrices is exact (BLAS speed)."""


def _matmul(left: np.ndarray, right: np.ndarray, bound: int) -> np.ndarray:
    """``left @ right`` for integer arrays whose partial sums are bounded by ``bound``: through float64
    (every intermediate an integer below ``2**53``, so exactly represented) when that holds, else as given."""
    if left.dtype != object and right.dtype != object and bound < FLOAT_EXACT:
        return np.matmul(left.astype(np.float64), right.astype(np.float64)).astype(np.int64)
    return np.matmul(left, right)


def _int64_safe(*bounds: int) -> bool:
    return all(b < INT64_SAFE for b in bounds)


def _exact(array: np.ndarray, as_object: bool) -> np.ndarray:
    return array.astype(object) if as_object and array.dtype != object else array


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cross products of integer 3-vectors (exact for int64 inputs within bounds, or Python ints)."""
    out = np.empty(np.broadcast_shapes(a.shape, b.shape), dtype=a.dtype)
    out[..., 0] = a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1]
    out[..., 1] = a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2]
    out[..., 2] = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    return out


def _reduce_rows(rows: np.ndarray) -> np.ndarray:
    """Each integer row divided by the gcd of its entries (a zero row stays zero): the same half-plane."""
    if rows.dtype == object:
        out = rows.copy()
        for index in np.ndindex(rows.shape[:-1]):
            g = gcd(*(int(v) for v in rows[index]))
            if g > 1:
                out[index] = [int(v) // g for v in rows[index]]
        return out
    g = np.gcd.reduce(rows, axis=-1)
    g[g == 0] = 1
    return rows // g[..., None]


@dataclass
class _Faces:
    """All current cells, in arrays with spare capacity (the first ``n`` rows are in use): edge lines
    ``E (cap, K, 3)``, tags ``T (cap, K)``, edge counts ``C (cap,)``, vertices ``V (cap, K, 3)``, the
    cell each came from at the start of the layer (``root``) and its bits in the current layer (``bits``)."""

    E: np.ndarray
    T: np.ndarray
    C: np.ndarray
    V: np.ndarray
    root: np.ndarray
    bits: np.ndarray
    n: int
    Vf: np.ndarray | None = None
    """In exact (Python-int) mode: the vertices as floats, each correctly rounded, for the filter."""

    def widen(self, width: int) -> None:
        """Make room for ``width`` edges per cell."""
        extra = width - self.E.shape[1]
        if extra > 0:
            self.E, self.V, self.T = (_pad(a, 1, extra) for a in (self.E, self.V, self.T))
            if self.Vf is not None:
                self.Vf = _pad(self.Vf, 1, extra)

    def reserve(self, count: int) -> None:
        """Make room for ``count`` cells."""
        extra = count - len(self.C)
        if extra > 0:
            extra = max(extra, len(self.C))
            self.E, self.V, self.T, self.C, self.root, self.bits = (
                _pad(a, 0, extra) for a in (self.E, self.V, self.T, self.C, self.root, self.bits)
            )
            if self.Vf is not None:
                self.Vf = _pad(self.Vf, 0, extra)

    def as_object(self) -> None:
        self.E = _exact(self.E, True)
        self.V = _exact(self.V, True)
        self.Vf = _floats(self.V)

    def subset(self, keep: np.ndarray) -> _Faces:
        Vf = None if self.Vf is None else self.Vf[keep]
        return _Faces(self.E[keep], self.T[keep], self.C[keep], self.V[keep], self.root[keep], self.bits[keep], len(keep), Vf)

    def used(self) -> _Faces:
        n = self.n
        Vf = None if self.Vf is None else self.Vf[:n]
        return _Faces(self.E[:n], self.T[:n], self.C[:n], self.V[:n], self.root[:n], self.bits[:n], n, Vf)


FILTER_MARGIN = 1e-12
"""Relative margin of the float filter in exact mode. A 3-term dot product of correctly rounded
inputs is off by at most ``5 * 2**-53`` times the sum of its terms' magnitudes (integers: no
underflow), so a float value beyond ``FILTER_MARGIN`` times that sum has the exact value's sign;
every other sign, and every non-finite one, is computed in Python integers."""


def _floats(array: np.ndarray) -> np.ndarray | None:
    """Integers as float64, each correctly rounded, or ``None`` when one is beyond float range."""
    try:
        return array.astype(np.float64)
    except OverflowError:
        return None


def _sign_table(V: np.ndarray, Vf: np.ndarray | None, rows: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Exact mode: ``sign(V[i, t] . rows[i, j])`` for every vertex and neuron, ``(n, K, m)`` int8
    (padding 0), by the certified float filter and Python integers where it is unsure."""
    n, K = valid.shape
    m = rows.shape[1]
    signs = np.zeros((n, K, m), dtype=np.int8)
    unsure = np.broadcast_to(valid[:, :, None], (n, K, m)).copy()
    Rf = _floats(rows)
    if Vf is not None and Rf is not None:
        with np.errstate(over="ignore", invalid="ignore"):
            value = np.matmul(Vf, Rf.transpose(0, 2, 1))
            margin = np.matmul(np.abs(Vf), np.abs(Rf).transpose(0, 2, 1)) * FILTER_MARGIN
        sure = unsure & np.isfinite(value) & np.isfinite(margin) & (np.abs(value) > margin)
        signs[sure] = np.sign(value[sure]).astype(np.int8)
        unsure &= ~sure
    cells, corners, neurons = np.nonzero(unsure)
    if cells.size:
        exact = (V[cells, corners] * rows[cells, neurons]).sum(axis=1)
        signs[cells, corners, neurons] = [(v > 0) - (v < 0) for v in exact]
    return signs


def _signs(V: np.ndarray, Vf: np.ndarray | None, H: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Exact signs ``sign(V[i, t] . H[i])`` (``(k, K)`` int8; padding 0): int64 directly, or in exact
    mode by the certified float filter with every undecided sign computed in Python integers."""
    if V.dtype != object:
        return np.where(valid, np.sign((V * H[:, None, :]).sum(axis=2)), 0).astype(np.int8)
    signs = np.zeros(valid.shape, dtype=np.int8)
    unsure = valid.copy()
    Hf = _floats(H)
    if Vf is not None and Hf is not None:
        with np.errstate(over="ignore", invalid="ignore"):
            terms = Vf * Hf[:, None, :]
            value = terms.sum(axis=2)
            margin = np.abs(terms).sum(axis=2) * FILTER_MARGIN
        sure = valid & np.isfinite(value) & np.isfinite(margin) & (np.abs(value) > margin)
        signs[sure] = np.sign(value[sure]).astype(np.int8)
        unsure &= ~sure
    rows, cols = np.nonzero(unsure)
    if rows.size:
        exact = (V[rows, cols] * H[rows]).sum(axis=1)
        signs[rows, cols] = [(v > 0) - (v < 0) for v in exact]
    return signs


def _pad(array: np.ndarray, axis: int, extra: int) -> np.ndarray:
    shape = list(array.shape)
    shape[axis] = extra
    return np.concatenate([array, np.zeros(shape, dtype=array.dtype)], axis=axis)


def _vertices(E: np.ndarray, C: np.ndarray) -> np.ndarray:
    """Vertex ``t`` = meet of edges ``t - 1`` and ``t`` (cyclically), padding included (ignored later)."""
    K = E.shape[1]
    t = np.arange(K)[None, :]
    prev = np.where(t == 0, C[:, None] - 1, t - 1)
    return _cross(E[np.arange(len(C))[:, None], prev], E)


def _split(E: np.ndarray, T: np.ndarray, C: np.ndarray, s: np.ndarray, H: np.ndarray, tag: int):
    """Split the polygons ``(E, T, C)`` whose vertex values ``s`` have both signs by the lines ``H``.

    Returns the ``2k`` new polygons (edges, tags, counts): first the parts with ``H >= 0``, then
    those with ``H <= 0``. A part keeps, in cyclic order from the edge that leaves the other side,
    the edges with an end strictly on its side, and closes with the cutting line.
    """
    k, K = s.shape
    t = np.arange(K)[None, :]
    sign = np.sign(s).astype(np.int8)
    sign = np.concatenate([sign, -sign])
    C2 = np.concatenate([C, C])
    r = np.arange(2 * k)[:, None]
    nxt = np.where(t + 1 >= C2[:, None], 0, t + 1)
    sign_next = sign[r, nxt]
    valid = t < C2[:, None]
    # edge t runs from vertex t to vertex t + 1
    keep = valid & ((sign > 0) | (sign_next > 0))
    start = np.argmax(valid & (sign < 0) & (sign_next >= 0), axis=1)  # the edge leaving the other side
    order = start[:, None] + t
    order = np.where(order >= C2[:, None], order - C2[:, None], order)
    kept = keep[r, order] & valid
    count = kept.sum(axis=1)
    slot = np.cumsum(kept, axis=1) - 1
    rows, cols = np.nonzero(kept)
    src = order[rows, cols] % K
    dst = slot[rows, cols]
    newE = np.zeros((2 * k, K + 1, 3), dtype=E.dtype)
    newT = np.zeros((2 * k, K + 1), dtype=T.dtype)
    source = rows % k
    newE[rows, dst] = E[source, src]
    newT[rows, dst] = T[source, src]
    everyone = np.arange(2 * k)
    newE[everyone, count] = np.concatenate([H, -H])
    newT[everyone, count] = tag
    return newE, newT, count + 1


def _box_faces(bounds: Sequence[tuple[Fraction, Fraction]]) -> _Faces:
    (lo0, hi0), (lo1, hi1) = bounds
    nums, den = common_denominator_row([lo0, hi0, lo1, hi1])
    n_lo0, n_hi0, n_lo1, n_hi1 = nums
    lines = [[0, den, -n_lo1], [-den, 0, n_hi0], [0, -den, n_hi1], [den, 0, -n_lo0]]  # bottom, right, top, left
    lines = [[v // gcd(*line) for v in line] for line in lines]
    try:
        E = np.array([lines], dtype=np.int64)
        safe = _int64_safe(2 * array_max_abs(E) ** 2)
    except OverflowError:
        safe = False
    if not safe:
        E = np.array([lines], dtype=object)
    C = np.array([4])
    return _Faces(E, np.array([[-1, -2, -3, -4]], dtype=np.int64), C, _vertices(E, C), np.zeros(1, dtype=np.int64), np.zeros((1, 0), dtype=np.int8), 1)


@dataclass(frozen=True)
class Cells2D:
    """The result of :func:`enumerate_cells_2d`, sorted by pattern; region data is read from it lazily."""

    bits: np.ndarray  # (n, neurons) the activation bits of every cell, all layers side by side
    widths: tuple[int, ...]  # neurons per ReLU layer
    edges: np.ndarray  # (n, K, 3) edge lines
    tags: np.ndarray  # (n, K) edge tag codes
    counts: np.ndarray  # (n,)
    layer_rows: tuple[np.ndarray, ...]  # per ReLU layer: (parents, m, 3) pre-activation rows
    layer_scales: tuple[np.ndarray, ...]  # per ReLU layer: (parents,) positive scales
    parents: tuple[np.ndarray, ...]  # per ReLU layer: (n,) which parent's rows each cell uses
    cuts: tuple[LayerCuts | None, ...] = ()  # per layer: its breakpoint hyperplanes when not all ReLU

    def __len__(self) -> int:
        return len(self.counts)

    def pattern(self, index: int) -> Pattern:
        row = self.bits[index].tolist()
        found, start = [], 0
        for width in self.widths:
            found.append(tuple(row[start : start + width]))
            start += width
        return tuple(found)

    def polytope(self, index: int) -> Polytope:
        """The exact polygon of cell ``index`` (vertices counter-clockwise, tagged by their two edges)."""
        count = int(self.counts[index])
        lines = [tuple(int(v) for v in self.edges[index, t]) for t in range(count)]
        codes = [int(c) for c in self.tags[index, :count]]
        vertices = []
        tags = []
        for t in range(count):
            (a1, b1, c1), (a2, b2, c2) = lines[t - 1], lines[t]
            x, y, w = b1 * c2 - c1 * b2, c1 * a2 - a1 * c2, a1 * b2 - b1 * a2
            g = gcd(x, y, w)
            vertices.append((x // g, y // g, w // g))
            tags.append(frozenset((self._tag(codes[t - 1]), self._tag(codes[t]))))
        return Polytope(2, tuple(vertices), tuple(tags))

    def _tag(self, code: int) -> tuple[object, ...]:
        tag = decode_tag(code)
        if code >= 0 and self.cuts and self.cuts[code // NEURON_TAG_BASE] is not None:
            cuts = self.cuts[code // NEURON_TAG_BASE]
            assert cuts is not None
            return cuts.tags(code // NEURON_TAG_BASE)[code % NEURON_TAG_BASE]
        return tag

    def hyperplanes(self, index: int) -> tuple[tuple[list[list[int]], int], ...]:
        found = []
        for rows, scales, parents in zip(self.layer_rows, self.layer_scales, self.parents, strict=False):
            parent = int(parents[index])
            found.append(([[int(v) for v in row] for row in rows[parent]], int(scales[parent])))
        return tuple(found)


def _compose(weight: np.ndarray, bias: np.ndarray, scale: int, rows: np.ndarray, bits: np.ndarray, scales: np.ndarray):
    """Next layer's pre-activation rows for every parent: ``(W relu(z) + b)`` with ``z = rows / scales``,
    integers over a per-parent scale (gcd-reduced); int64 when a bound proves it exact."""
    n, width = bits.shape
    bound = width * array_max_abs(weight) * array_max_abs(rows) + array_max_abs(bias) * array_max_abs(scales)
    as_object = not _int64_safe(bound, scale * array_max_abs(scales)) or rows.dtype == object
    rows, weight, bias, scales = (_exact(a, as_object) for a in (rows, weight, bias, scales))
    masked = rows * bits[:, :, None].astype(rows.dtype)
    out = _matmul(weight, masked.transpose(1, 0, 2).reshape(width, n * 3), bound).reshape(-1, n, 3).transpose(1, 0, 2)
    out = np.ascontiguousarray(out)
    out[:, :, 2] += bias[None, :] * scales[:, None]
    new_scales = scales * scale
    if as_object:
        for p in range(n):
            g = gcd(int(new_scales[p]), *(int(v) for v in out[p].flat))
            if g > 1:
                out[p] = out[p] // g
                new_scales[p] = new_scales[p] // g
        return out, new_scales
    return out, new_scales  # int64: a common factor is harmless (signs and ratios are what count)


def _integer_layer(net: Network, index: int) -> tuple[np.ndarray, np.ndarray, int]:
    layer = net.layers[index]
    entries = [w for row in layer.weight for w in row] + list(layer.bias)
    ints, scale = common_denominator_row(entries)
    width = layer.in_dim
    weight = [ints[r * width : (r + 1) * width] for r in range(layer.out_dim)]
    bias = ints[layer.out_dim * width :]
    dtype: type = np.int64 if _int64_safe(max(map(abs, ints), default=0), scale) else object
    return np.array(weight, dtype=dtype), np.array(bias, dtype=dtype), scale


def _cut_layer(faces: _Faces, rows: np.ndarray, layer_index: int, check: Callable[[int], None]) -> _Faces:
    """Cut every cell by every neuron of a layer (``rows (parents, m, 3)``, indexed by ``faces.root``)."""
    m = rows.shape[1]
    line_bound, edge_bound = array_max_abs(rows), array_max_abs(faces.E)
    # every vertex made in this layer is a cross product of two lines: |V| <= 2 * |line| * |line|
    vertex_bound = max(array_max_abs(faces.V), 2 * max(line_bound, edge_bound) ** 2)
    if not _int64_safe(vertex_bound, 3 * line_bound * vertex_bound) or rows.dtype == object or faces.E.dtype == object:
        faces.as_object()
        rows = _exact(rows, True)
    # signs of every neuron at the vertices of every parent: decided neurons need no cut
    C = faces.C
    valid = np.arange(faces.E.shape[1])[None, :] < C[:, None]
    V = faces.V
    if V.dtype == object:
        signs = _sign_table(V, faces.Vf, rows, valid)
        has_pos = np.any(signs > 0, axis=1)
        has_neg = np.any(signs < 0, axis=1)
    else:
        # (parents, K, m): each partial sum is at most max|V| * max_row |row|_1
        values = _matmul(V, rows.transpose(0, 2, 1), array_max_abs(V) * 3 * line_bound)
        has_pos = np.any((values > 0) & valid[:, :, None], axis=1)
        has_neg = np.any((values < 0) & valid[:, :, None], axis=1)
    undecided = has_pos & has_neg
    faces.bits = (has_pos & ~has_neg).astype(np.int8)
    for neuron in range(m):
        if not undecided[:, neuron].any():
            continue
        n = faces.n
        members = np.flatnonzero(undecided[faces.root[:n], neuron])
        H = rows[faces.root[members], neuron]  # (k, 3)
        K = faces.E.shape[1]
        valid = np.arange(K)[None, :] < faces.C[members][:, None]
        s = _signs(faces.V[members], None if faces.Vf is None else faces.Vf[members], H, valid)
        pos = (s > 0).any(axis=1)
        neg = (s < 0).any(axis=1)
        faces.bits[members, neuron] = pos & ~neg
        inside = pos & neg
        split = members[inside]
        k = split.size
        if k == 0:
            continue
        newE, newT, newC = _split(faces.E[split], faces.T[split], faces.C[split], s[inside], _reduce_rows(H[inside]), layer_index * NEURON_TAG_BASE + neuron)
        if newE.shape[1] > K and int(newC.max()) > K:
            faces.widen(K + 4)
        width = faces.E.shape[1]
        newE, newT = newE[:, :width], newT[:, :width]
        if newE.shape[1] < width:
            newE, newT = _pad(newE, 1, width - newE.shape[1]), _pad(newT, 1, width - newT.shape[1])
        newV = _vertices(newE, newC)
        faces.reserve(n + k)
        target = np.concatenate([split, np.arange(n, n + k)])
        faces.E[target], faces.T[target], faces.C[target], faces.V[target] = newE, newT, newC, newV
        if faces.Vf is not None:
            newVf = _floats(newV)
            if newVf is None:
                faces.Vf = None
            else:
                faces.Vf[target] = newVf
        faces.root[n : n + k] = faces.root[split]
        faces.bits[n : n + k] = faces.bits[split]
        faces.bits[split, neuron] = 1
        faces.n = n + k
        check(faces.n)
    return faces.used()


@dataclass
class _State:
    """The enumeration after some layers: the cells, and per layer done its rows, scales, roots, bits."""

    faces: _Faces
    layer_rows: list[np.ndarray]
    layer_scales: list[np.ndarray]
    roots: list[np.ndarray]
    layer_bits: list[np.ndarray]
    cuts: list[LayerCuts | None] = field(default_factory=list)

    def subset(self, select: tuple[int, int]) -> _State:
        """Only the cells ``start .. stop - 1`` of the last layer done (the first, when splitting)."""
        keep = np.arange(*select)
        roots = self.roots[:-1] + [self.roots[-1][keep]]
        bits = self.layer_bits[:-1] + [self.layer_bits[-1][keep]]
        return _State(self.faces.subset(keep), list(self.layer_rows), list(self.layer_scales), roots, bits, list(self.cuts))


def _advance(
    net: Network,
    state: _State,
    stop: int,
    max_regions: int | None,
    progress: Callable[[int], None] | None,
) -> _State:
    """Cut ``state``'s cells through the ReLU layers up to ``stop`` (exclusive)."""
    faces = state.faces
    if state.layer_rows:
        prev_rows, prev_scales = state.layer_rows[-1], state.layer_scales[-1]
        prev_bits, parent = faces.bits, faces.root
    else:
        prev_rows = np.array([[[1, 0, 0], [0, 1, 0]]], dtype=np.int64)  # the inputs x, y as rows over scale 1
        prev_scales = np.ones(1, dtype=np.int64)
        prev_bits = np.ones((1, 2), dtype=np.int8)
        parent = np.zeros(1, dtype=np.int64)
    for layer_index in range(len(state.layer_rows), stop):
        weight, bias, scale = _integer_layer(net, layer_index)
        pieces = layer_pieces(net.activations[layer_index - 1]) if layer_index else None
        if pieces is None:
            rows, scales = _compose(weight, bias, scale, prev_rows[parent], prev_bits, prev_scales[parent])
        else:  # the previous layer's activations, then the affine layer
            active, active_scales = pieces.activate_array(prev_rows[parent], prev_bits, prev_scales[parent])
            rows, scales = _compose(weight, bias, scale, active, np.ones(prev_bits.shape, dtype=np.int8), active_scales)
        cuts = layer_cuts(net.activations[layer_index])

        def check(count: int, layer_index: int = layer_index) -> None:
            if max_regions is not None and count > max_regions:
                raise TooLargeError(
                    f"more than {max_regions} regions in layer {layer_index} (stopped inside the layer at "
                    f"{count} cells); raise max_regions=N or shrink the box",
                    partial=count,
                )
            if progress is not None:
                progress(count)

        faces.root = np.arange(faces.n)
        if cuts is None:
            faces = _cut_layer(faces, rows, layer_index, check)
        else:  # one hyperplane per breakpoint; a neuron's state is how many lie below its value
            faces = _cut_layer(faces, cuts.rows_array(rows, scales), layer_index, check)
            faces.bits = cuts.states_array(faces.bits)
        state.cuts.append(cuts)
        check(faces.n)
        state.layer_rows.append(rows)
        state.layer_scales.append(scales)
        state.roots.append(faces.root)
        state.layer_bits.append(faces.bits)
        prev_rows, prev_scales, prev_bits, parent = rows, scales, faces.bits, faces.root
    state.faces = faces
    return state


def _cells(state: _State) -> Cells2D:
    """The final cells of ``state``, sorted by pattern."""
    faces, roots, layer_bits = state.faces, state.roots, state.layer_bits
    n = faces.n
    # which parent (at each layer's start) every final cell descends from, and its bits per layer
    parents: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * len(roots)
    bits_per_layer: list[np.ndarray] = [np.zeros(0, dtype=np.int8)] * len(roots)
    lineage = np.arange(n)
    for layer_index in range(len(roots) - 1, -1, -1):
        bits_per_layer[layer_index] = layer_bits[layer_index][lineage]
        lineage = roots[layer_index][lineage]
        parents[layer_index] = lineage
    if bits_per_layer:
        flat = np.concatenate(bits_per_layer, axis=1)
        order = np.lexsort(flat.T[::-1]) if flat.shape[1] else np.arange(n)
    else:
        order = np.arange(n)
    widths = tuple(b.shape[1] for b in bits_per_layer)
    return Cells2D(
        flat[order] if bits_per_layer else np.zeros((n, 0), dtype=np.int8),
        widths,
        faces.E[order],
        faces.T[order],
        faces.C[order],
        tuple(state.layer_rows),
        tuple(state.layer_scales),
        tuple(p[order] for p in parents),
        tuple(state.cuts) if any(c is not None for c in state.cuts) else (),
    )


def _start(bounds: Sequence[tuple[Fraction, Fraction]]) -> _State:
    return _State(_box_faces(tuple((Fraction(lo), Fraction(hi)) for lo, hi in bounds)), [], [], [], [])


def enumerate_cells_2d(
    net: Network,
    bounds: Sequence[tuple[Fraction, Fraction]],
    max_regions: int | None = None,
    progress: Callable[[int], None] | None = None,
    layers: int | None = None,
    select: tuple[int, int] | None = None,
) -> Cells2D:
    """Every activation region of a 2-input network inside the box ``bounds``, sorted by pattern.

    ``max_regions`` is checked after every neuron's cut, so it bounds time as well as output.
    ``layers`` stops after that many ReLU layers; ``select = (start, stop)`` keeps only those cells
    of the first layer's partition (in its deterministic order) and cuts them further: the regions
    of disjoint selections partition the box, which is how the work is split into independent tasks.
    """
    stop = net.relu_layer_count if layers is None else min(layers, net.relu_layer_count)
    state = _start(bounds)
    if select is not None and stop > 0:
        state = _advance(net, state, 1, max_regions, progress).subset(select)
    return _cells(_advance(net, state, stop, max_regions, progress))


def first_layer_2d(net: Network, bounds: Sequence[tuple[Fraction, Fraction]], max_regions: int | None) -> _State:
    """The first ReLU layer's cells (for splitting the rest into blocks: :meth:`_State.subset`)."""
    return _advance(net, _start(bounds), 1, max_regions, None)


def finish_2d(net: Network, state: _State, max_regions: int | None) -> Cells2D:
    """``state``'s cells through the remaining layers, sorted by pattern."""
    return _cells(_advance(net, state, net.relu_layer_count, max_regions, None))


def iter_cells_2d(
    net: Network, bounds: Sequence[tuple[Fraction, Fraction]], block: int, max_regions: int | None = None
) -> Iterator[Cells2D]:
    """The regions in blocks: the first layer once, then ``block`` of its cells at a time through the
    remaining layers (each block sorted by pattern). Only one block's regions are held at a time."""
    state = _start(bounds)
    if net.relu_layer_count == 0:
        yield _cells(state)
        return
    first = _advance(net, state, 1, max_regions, None)
    for start in range(0, first.faces.n, block):
        part = first.subset((start, min(start + block, first.faces.n)))
        yield _cells(_advance(net, part, net.relu_layer_count, max_regions, None))
