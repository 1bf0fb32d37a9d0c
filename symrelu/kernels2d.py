"""Batched exact kernels of the 2-D region engine: polygons as tagged edge lists, cut by one line at a time.

A convex polygon is the cyclic, counter-clockwise list of its edge lines ``(a, b, c)``
(integers, ``a x + b y + c >= 0`` inside), each tagged with the box side or neuron it comes
from; vertex ``t`` is the meet of edges ``t - 1`` and ``t`` in homogeneous integer
coordinates. Kernels run in int64 only under bounds proved at run time, otherwise on
Python integers; a float evaluation decides a sign only beyond a certified margin.
:mod:`symrelu.regions2d` drives them layer by layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import gcd
from typing import TYPE_CHECKING

import numpy as np

from .intmat import INT64_SAFE, array_max_abs
from .polytope import common_denominator_row

if TYPE_CHECKING:
    pass

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


_compiled_cut: Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]] | None
try:  # the compiled cut of a whole layer (symrelu/_cut2d.pyx, built by setup.py)
    from ._cut2d import LINE_BOUND as COMPILED_LINE_BOUND
    from ._cut2d import cut_layer as _compiled_cut
except ImportError:  # pragma: no cover - no C compiler at install: the same cut runs in Python
    _compiled_cut, COMPILED_LINE_BOUND = None, 0


def compiled_cut_layer(faces: Faces, rows: np.ndarray, line_bound: int, tag_base: int, check: Callable[[int], None]) -> Faces | None:
    """Cut every cell of ``faces`` by every neuron of a layer (``rows (n, m, 3)``) in the compiled
    kernel, or ``None`` when it is not built or some line (``line_bound``: the largest coefficient of
    ``rows`` and ``faces.E``) is beyond its bound. Same cells, same slots as the numpy kernels; the
    kernel's arithmetic is 128-bit unless int64 is proved exact here."""
    if _compiled_cut is None or line_bound >= COMPILED_LINE_BOUND:
        return None
    wide = not int64_safe(2 * line_bound**2, 6 * line_bound**3)  # |vertex| <= 2 L^2, |value| <= 3 L |vertex|
    E, T, C, root, bits, n = _compiled_cut(
        faces.E[: faces.n].astype(np.int64), faces.T, faces.C, faces.n, np.ascontiguousarray(rows, dtype=np.int64), tag_base, check, wide
    )
    return Faces(E, T, C, None, root, bits, n)


FLOAT_EXACT = 2**53
"""Below this bound on every partial sum, a float64 product of integer matrices is exact (BLAS speed)."""


def bounded_matmul(left: np.ndarray, right: np.ndarray, bound: int) -> np.ndarray:
    """``left @ right`` for integer arrays whose partial sums are bounded by ``bound``: through float64
    (every intermediate an integer below ``2**53``, so exactly represented) when that holds, else as given."""
    if left.dtype != object and right.dtype != object and bound < FLOAT_EXACT:
        return np.matmul(left.astype(np.float64), right.astype(np.float64)).astype(np.int64)
    return np.matmul(left, right)


def int64_safe(*bounds: int) -> bool:
    return all(b < INT64_SAFE for b in bounds)


def exact_array(array: np.ndarray, as_object: bool) -> np.ndarray:
    return array.astype(object) if as_object and array.dtype != object else array


def cross_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cross products of integer 3-vectors (exact for int64 inputs within bounds, or Python ints)."""
    out = np.empty(np.broadcast_shapes(a.shape, b.shape), dtype=a.dtype)
    out[..., 0] = a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1]
    out[..., 1] = a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2]
    out[..., 2] = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    return out


def reduce_rows(rows: np.ndarray) -> np.ndarray:
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
class Faces:
    """All current cells, in arrays with spare capacity (the first ``n`` rows are in use): edge lines
    ``E (cap, K, 3)``, tags ``T (cap, K)``, edge counts ``C (cap,)``, vertices ``V (cap, K, 3)`` (``V_``:
    ``None`` until first used), the cell each came from at the start of the layer (``root``) and its
    bits in the current layer (``bits``)."""

    E: np.ndarray
    T: np.ndarray
    C: np.ndarray
    V_: np.ndarray | None
    root: np.ndarray
    bits: np.ndarray
    n: int
    Vf: np.ndarray | None = None
    """In exact (Python-int) mode: the vertices as floats, each correctly rounded, for the filter."""

    @property
    def V(self) -> np.ndarray:
        """The vertices, computed on first use: int64 when ``2 max|E|^2`` is below ``2**62``, else
        Python integers (then the edges too, and the float copy ``Vf`` for the filter)."""
        if self.V_ is None:
            if self.E.dtype != object and not int64_safe(2 * array_max_abs(self.E) ** 2):
                self.E = exact_array(self.E, True)
            self.V_ = cell_vertices(self.E, self.C)
            if self.V_.dtype == object:
                self.Vf = float_array(self.V_)
        return self.V_

    @V.setter
    def V(self, value: np.ndarray) -> None:
        self.V_ = value

    def widen(self, width: int) -> None:
        """Make room for ``width`` edges per cell."""
        extra = width - self.E.shape[1]
        if extra > 0:
            self.E, self.V, self.T = (pad_axis(a, 1, extra) for a in (self.E, self.V, self.T))
            if self.Vf is not None:
                self.Vf = pad_axis(self.Vf, 1, extra)

    def reserve(self, count: int) -> None:
        """Make room for ``count`` cells."""
        extra = count - len(self.C)
        if extra > 0:
            extra = max(extra, len(self.C))
            self.E, self.V, self.T, self.C, self.root, self.bits = (
                pad_axis(a, 0, extra) for a in (self.E, self.V, self.T, self.C, self.root, self.bits)
            )
            if self.Vf is not None:
                self.Vf = pad_axis(self.Vf, 0, extra)

    def as_object(self) -> None:
        self.V = exact_array(self.V, True)
        self.E = exact_array(self.E, True)
        self.Vf = float_array(self.V)

    def subset(self, keep: np.ndarray) -> Faces:
        Vf = None if self.Vf is None else self.Vf[keep]
        V = None if self.V_ is None else self.V_[keep]
        return Faces(self.E[keep], self.T[keep], self.C[keep], V, self.root[keep], self.bits[keep], len(keep), Vf)

    def used(self) -> Faces:
        n = self.n
        Vf = None if self.Vf is None else self.Vf[:n]
        V = None if self.V_ is None else self.V_[:n]
        return Faces(self.E[:n], self.T[:n], self.C[:n], V, self.root[:n], self.bits[:n], n, Vf)


FILTER_MARGIN = 1e-12
"""Relative margin of the float filter in exact mode. A 3-term dot product of correctly rounded
inputs is off by at most ``5 * 2**-53`` times the sum of its terms' magnitudes (integers: no
underflow), so a float value beyond ``FILTER_MARGIN`` times that sum has the exact value's sign;
every other sign, and every non-finite one, is computed in Python integers."""


def float_array(array: np.ndarray) -> np.ndarray | None:
    """Integers as float64, each correctly rounded, or ``None`` when one is beyond float range."""
    try:
        return array.astype(np.float64)
    except OverflowError:
        return None


def sign_table(V: np.ndarray, Vf: np.ndarray | None, rows: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Exact mode: ``sign(V[i, t] . rows[i, j])`` for every vertex and neuron, ``(n, K, m)`` int8
    (padding 0), by the certified float filter and Python integers where it is unsure."""
    n, K = valid.shape
    m = rows.shape[1]
    signs = np.zeros((n, K, m), dtype=np.int8)
    unsure = np.broadcast_to(valid[:, :, None], (n, K, m)).copy()
    Rf = float_array(rows)
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


def line_signs(V: np.ndarray, Vf: np.ndarray | None, H: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Exact signs ``sign(V[i, t] . H[i])`` (``(k, K)`` int8; padding 0): int64 directly, or in exact
    mode by the certified float filter with every undecided sign computed in Python integers."""
    if V.dtype != object:
        return np.where(valid, np.sign((V * H[:, None, :]).sum(axis=2)), 0).astype(np.int8)
    signs = np.zeros(valid.shape, dtype=np.int8)
    unsure = valid.copy()
    Hf = float_array(H)
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


def pad_axis(array: np.ndarray, axis: int, extra: int) -> np.ndarray:
    shape = list(array.shape)
    shape[axis] = extra
    return np.concatenate([array, np.zeros(shape, dtype=array.dtype)], axis=axis)


def cell_vertices(E: np.ndarray, C: np.ndarray) -> np.ndarray:
    """Vertex ``t`` = meet of edges ``t - 1`` and ``t`` (cyclically), padding included (ignored later)."""
    K = E.shape[1]
    t = np.arange(K)[None, :]
    prev = np.where(t == 0, C[:, None] - 1, t - 1)
    return cross_rows(E[np.arange(len(C))[:, None], prev], E)


def split_cells(E: np.ndarray, T: np.ndarray, C: np.ndarray, s: np.ndarray, H: np.ndarray, tag: int):
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


def box_faces(bounds: Sequence[tuple[Fraction, Fraction]]) -> Faces:
    (lo0, hi0), (lo1, hi1) = bounds
    nums, den = common_denominator_row([lo0, hi0, lo1, hi1])
    n_lo0, n_hi0, n_lo1, n_hi1 = nums
    lines = [[0, den, -n_lo1], [-den, 0, n_hi0], [0, -den, n_hi1], [den, 0, -n_lo0]]  # bottom, right, top, left
    lines = [[v // gcd(*line) for v in line] for line in lines]
    try:
        E = np.array([lines], dtype=np.int64)
        safe = int64_safe(2 * array_max_abs(E) ** 2)
    except OverflowError:
        safe = False
    if not safe:
        E = np.array([lines], dtype=object)
    C = np.array([4])
    return Faces(E, np.array([[-1, -2, -3, -4]], dtype=np.int64), C, cell_vertices(E, C), np.zeros(1, dtype=np.int64), np.zeros((1, 0), dtype=np.int8), 1)
