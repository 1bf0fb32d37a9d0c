"""The 2-D region engine: every cell of a layer cut by one neuron at a time, in batched integer kernels.

A convex polygon is kept as the cyclic, counter-clockwise list of its edge lines
``(a, b, c)`` (integers, ``a x + b y + c >= 0`` inside), each with a tag saying which
box side or neuron it comes from. Vertex ``t`` is the meet of edges ``t - 1`` and ``t``,
in homogeneous integer coordinates (their cross product, ``W > 0``). The sign of a
neuron's line at a vertex is an integer dot product, so it is exact; all cells of a
layer are cut by neuron ``j`` at once with numpy.

A layer's cut runs in the compiled int64 kernel (``symrelu/_cut2d.pyx``) when it is built,
else on Python lists while a neuron meets few cells (:mod:`symrelu.kernels2d_lists`) and in
numpy beyond; all three give the same cells in the same slots.

Exactness: the kernels run in int64 only when a bound on every intermediate value,
computed from the actual magnitudes at run time, is below ``2**62``
(:func:`int64_safe`); otherwise the same kernels run on Python integers (lists, or numpy
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
from .intmat import array_max_abs
from .kernels2d import (
    NEURON_TAG_BASE,
    Faces,
    bounded_matmul,
    box_faces,
    cell_vertices,
    compiled_cut_layer,
    decode_tag,
    exact_array,
    float_array,
    int64_safe,
    line_signs,
    pad_axis,
    reduce_rows,
    sign_table,
    split_cells,
)
from .kernels2d_lists import ListCells, cut_layer_lists
from .polytope import Polytope
from .region_activations import LayerCuts, layer_cuts, layer_pieces

if TYPE_CHECKING:
    from .network import Network, Pattern

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
    as_object = not int64_safe(bound, scale * array_max_abs(scales)) or rows.dtype == object
    rows, weight, bias, scales = (exact_array(a, as_object) for a in (rows, weight, bias, scales))
    masked = rows * bits[:, :, None].astype(rows.dtype)
    out = bounded_matmul(weight, masked.transpose(1, 0, 2).reshape(width, n * 3), bound).reshape(-1, n, 3).transpose(1, 0, 2)
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
    ints, scale = layer.integer_entries
    width = layer.in_dim
    weight = [ints[r * width : (r + 1) * width] for r in range(layer.out_dim)]
    bias = ints[layer.out_dim * width :]
    dtype: type = np.int64 if int64_safe(max(map(abs, ints), default=0), scale) else object
    return np.array(weight, dtype=dtype), np.array(bias, dtype=dtype), scale


def _cut_layer(
    faces: Faces, rows: np.ndarray, layer_index: int, check: Callable[[int], None], lists: ListCells | None = None
) -> tuple[Faces, ListCells | None]:
    """Cut every cell by every neuron of a layer (``rows (parents, m, 3)``, indexed by ``faces.root``);
    ``lists``, when given, are the same cells as Python lists, and so is the second result, if any."""
    m = rows.shape[1]
    line_bound, edge_bound = array_max_abs(rows), array_max_abs(faces.E)
    compiled = compiled_cut_layer(faces, rows, max(line_bound, edge_bound), layer_index * NEURON_TAG_BASE, check)
    if compiled is not None:
        return compiled, None
    # every vertex made in this layer is a cross product of two lines: |V| <= 2 * |line| * |line|
    vertex_bound = max(array_max_abs(faces.V), 2 * max(line_bound, edge_bound) ** 2)
    if not int64_safe(vertex_bound, 3 * line_bound * vertex_bound) or rows.dtype == object or faces.E.dtype == object:
        faces.as_object()
        rows = exact_array(rows, True)
    # signs of every neuron at the vertices of every parent: decided neurons need no cut
    C = faces.C
    valid = np.arange(faces.E.shape[1])[None, :] < C[:, None]
    V = faces.V
    if V.dtype == object:
        signs = sign_table(V, faces.Vf, rows, valid)
        has_pos = np.any(signs > 0, axis=1)
        has_neg = np.any(signs < 0, axis=1)
    else:
        # (parents, K, m): each partial sum is at most max|V| * max_row |row|_1
        values = bounded_matmul(V, rows.transpose(0, 2, 1), array_max_abs(V) * 3 * line_bound)
        has_pos = np.any((values > 0) & valid[:, :, None], axis=1)
        has_neg = np.any((values < 0) & valid[:, :, None], axis=1)
    undecided = has_pos & has_neg
    faces.bits = (has_pos & ~has_neg).astype(np.int8)
    faces, first, lists = cut_layer_lists(faces, rows, undecided, layer_index * NEURON_TAG_BASE, check, lists)
    for neuron in range(first, m):
        if not undecided[:, neuron].any():
            continue
        n = faces.n
        members = np.flatnonzero(undecided[faces.root[:n], neuron])
        H = rows[faces.root[members], neuron]  # (k, 3)
        K = faces.E.shape[1]
        valid = np.arange(K)[None, :] < faces.C[members][:, None]
        s = line_signs(faces.V[members], None if faces.Vf is None else faces.Vf[members], H, valid)
        pos = (s > 0).any(axis=1)
        neg = (s < 0).any(axis=1)
        faces.bits[members, neuron] = pos & ~neg
        inside = pos & neg
        split = members[inside]
        k = split.size
        if k == 0:
            continue
        newE, newT, newC = split_cells(faces.E[split], faces.T[split], faces.C[split], s[inside], reduce_rows(H[inside]), layer_index * NEURON_TAG_BASE + neuron)
        if newE.shape[1] > K and int(newC.max()) > K:
            faces.widen(K + 4)
        width = faces.E.shape[1]
        newE, newT = newE[:, :width], newT[:, :width]
        if newE.shape[1] < width:
            newE, newT = pad_axis(newE, 1, width - newE.shape[1]), pad_axis(newT, 1, width - newT.shape[1])
        newV = cell_vertices(newE, newC)
        faces.reserve(n + k)
        target = np.concatenate([split, np.arange(n, n + k)])
        faces.E[target], faces.T[target], faces.C[target], faces.V[target] = newE, newT, newC, newV
        if faces.Vf is not None:
            newVf = float_array(newV)
            if newVf is None:
                faces.Vf = None
            else:
                faces.Vf[target] = newVf
        faces.root[n : n + k] = faces.root[split]
        faces.bits[n : n + k] = faces.bits[split]
        faces.bits[split, neuron] = 1
        faces.n = n + k
        check(faces.n)
    return faces.used(), lists


@dataclass
class _State:
    """The enumeration after some layers: the cells, and per layer done its rows, scales, roots, bits."""

    faces: Faces
    layer_rows: list[np.ndarray]
    layer_scales: list[np.ndarray]
    roots: list[np.ndarray]
    layer_bits: list[np.ndarray]
    cuts: list[LayerCuts | None] = field(default_factory=list)

    def subset(self, select: tuple[int, int]) -> _State:
        """Only the cells ``start .. stop - 1`` of the last layer done (the first, when splitting)."""
        return self.take(np.arange(*select))

    def take(self, keep: np.ndarray) -> _State:
        """Only the cells ``keep`` (indices, in that order) of the last layer done."""
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
    lists: ListCells | None = None  # the cells as Python lists while the small path has them
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
            faces, lists = _cut_layer(faces, rows, layer_index, check, lists)
        else:  # one hyperplane per breakpoint; a neuron's state is how many lie below its value
            faces, lists = _cut_layer(faces, cuts.rows_array(rows, scales), layer_index, check, lists)
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
    return _State(box_faces(tuple((Fraction(lo), Fraction(hi)) for lo, hi in bounds)), [], [], [], [])


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
        state = first_layer_2d(net, bounds, max_regions, progress).subset(select)
    return _cells(_advance(net, state, stop, max_regions, progress))


def first_layer_2d(
    net: Network,
    bounds: Sequence[tuple[Fraction, Fraction]],
    max_regions: int | None,
    progress: Callable[[int], None] | None = None,
) -> _State:
    """The first ReLU layer's cells, sorted by pattern (for splitting the rest into blocks:
    :meth:`_State.subset`). Contiguous blocks, each finished and sorted, concatenate to the sorted
    regions: a region's pattern starts with its first-layer cell's, and no two cells share one."""
    state = _advance(net, _start(bounds), 1, max_regions, progress)
    bits = state.layer_bits[-1][: state.faces.n]
    return state.take(np.lexsort(bits.T[::-1]) if bits.shape[1] else np.arange(state.faces.n))


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
    first = first_layer_2d(net, bounds, max_regions)
    for start in range(0, first.faces.n, block):
        part = first.subset((start, min(start + block, first.faces.n)))
        yield _cells(_advance(net, part, net.relu_layer_count, max_regions, None))
