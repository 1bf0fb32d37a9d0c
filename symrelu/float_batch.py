"""Cutting :class:`~symrelu.float_vertices.FloatCell` cells by a layer's hyperplanes, many cells at once.

:func:`cut_layer` follows :meth:`symrelu.polytope.Polytope.split` hyperplane by hyperplane (the
same parts, vertices in the same order, the same tags and bits), but cuts every cell by its
``k``-th hyperplane in one batch of array operations: the vertices of all cells live in flat
arrays grouped by cell; the adjacent (positive, negative) pairs are consecutive vertices in 2-D
(cyclic order), share all tags but one in simple cells (matched by keys), and otherwise pass the
combinatorial test on tag bit sets; the new vertices' radii are propagated, and refreshed a posteriori only
where a sign needs it (:mod:`symrelu.float_vertices`). Signs the floats cannot prove and the
adjacency inside degenerate cells are decided exactly, one by one.

>>> from fractions import Fraction as F
>>> from symrelu.float_vertices import FloatCell, Table
>>> from symrelu.polytope import Polytope
>>> bounds = [(F(-1), F(1))] * 3
>>> box = Polytope.box(bounds)
>>> cell = FloatCell.of(box, Table.of_box(box, bounds))
>>> rows = [[1, 1, 1, 0], [1, -1, 0, 0], [0, 1, -2, 1]]
>>> parts = dict((bits, c.polytope) for c, bits in cut_layer([cell], [rows], [(0, 0), (0, 1), (0, 2)], None)[0])
>>> sorted(parts)
[(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1), (1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)]
>>> exact = box.split(rows[0], (0, 0))[0].split(rows[1], (0, 1))[1].split(rows[2], (0, 2))[0]
>>> parts[(1, 0, 1)] == exact
True
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

import numpy as np

from .float_vertices import FLOOR, UNIT, FloatCell, Table, certified_radii, crossing_radii, exact_vertex


def _starts(counts: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp) if len(counts) else np.zeros(0, np.intp)


def _float_rows(rows: Sequence[Sequence[Sequence[int]]], tables: Sequence[Table], dim: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Every cell's cut rows ``(cells, m, d+1)`` and stacked tables ``(cells * tags, d+1)`` as exact floats."""
    for table in tables:
        if table.float_rows is None:
            return None
    try:
        cut = np.array(rows, dtype=float).reshape(len(rows), -1, dim + 1)
    except OverflowError:
        return None
    if np.abs(cut).max(initial=0.0) >= 2.0**53:  # rounding is monotone: every entry is below 2**53
        return None
    stacked = np.concatenate([table.float_rows for table in tables]).reshape(-1, dim + 1)
    return cut, stacked


def _holders_keep(bits: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """For candidate pairs' shared tags: only the pair itself holds them all (the combinatorial test)."""
    return ((shared[:, None, :] & ~bits[None, :, :]) == 0).all(axis=2).sum(axis=1) == 2


def _certified_signs(
    points: np.ndarray, radii: np.ndarray, rows: np.ndarray, magnitudes: np.ndarray, norms: np.ndarray, gamma: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Float values of each vertex's row, their bounds ``E`` and the signs they prove (0: none)."""
    dim = points.shape[1]
    with np.errstate(all="ignore"):
        values = np.einsum("nd,nd->n", points, rows[:, :dim]) + rows[:, dim]
        bound = np.einsum("nd,nd->n", np.abs(points), magnitudes[:, :dim]) + magnitudes[:, dim]
        bound = 2 * (radii * norms + gamma * bound) + FLOOR
    finite = np.isfinite(values) & np.isfinite(bound)
    sign = (finite & (values > bound)).astype(np.int8) - (finite & (values < -bound)).astype(np.int8)
    return values, bound, sign


BIG_PRODUCT = 4096
"""Cells with more (positive, negative) vertex pairs than this are paired one by one (broadcasting
within the cell); the smaller ones together in one ragged product."""


def _cyclic_pairs(
    sign: np.ndarray, cut_v: np.ndarray, cell_of: np.ndarray, starts: np.ndarray, sizes: np.ndarray, cut: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """2-D cells (vertices in cyclic order): the cut edges as (positive, negative) pairs, with their
    cut cell and the edge's first vertex in the cycle."""
    index = np.arange(len(sign))
    after = index + 1
    last = starts + sizes - 1
    after[last] = starts  # each cell's last vertex is followed by its first
    edge = np.flatnonzero(cut_v & (sign.astype(np.int16) * sign[after] < 0))
    positive = sign[edge] > 0
    first = np.where(positive, edge, after[edge])
    second = np.where(positive, after[edge], edge)
    cut_index = np.cumsum(cut) - 1
    return first, second, cut_index[cell_of[edge]], edge


def _keyed_pairs(
    bits: np.ndarray, cell_of: np.ndarray, pv: np.ndarray, nv: np.ndarray, dim: int, tags: int, cut_index: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adjacent (positive, negative) pairs in simple cells (one-word bit sets): every vertex has
    ``dim`` tight constraints, and two vertices are adjacent exactly when they share ``dim - 1``,
    so each vertex's ``dim`` keys (its tags less one, with its cell) are matched across the sides."""

    def keys(vertices: np.ndarray) -> np.ndarray:
        own = bits[vertices]
        rest = own.copy()
        found = np.empty((len(vertices), dim), dtype=np.uint64)
        for t in range(dim):
            lowest = rest & (~rest + np.uint64(1))
            found[:, t] = own ^ lowest
            rest ^= lowest
        return (found | (cell_of[vertices].astype(np.uint64) << np.uint64(tags))[:, None]).ravel()

    negative = keys(nv)
    order = np.argsort(negative, kind="stable")
    negative = negative[order]
    positive = keys(pv)
    if not len(negative):
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, empty
    at = np.minimum(np.searchsorted(negative, positive), len(negative) - 1)
    hits = np.flatnonzero(negative[at] == positive)
    first = pv[hits // dim]
    return first, nv[order[at[hits]] // dim], cut_index[cell_of[first]]


def _pairs(
    bits: np.ndarray,
    cell_of: np.ndarray,
    pv: np.ndarray,
    nv: np.ndarray,
    cut_cells: np.ndarray,
    degenerate: np.ndarray,
    starts: np.ndarray,
    sizes: np.ndarray,
    dim: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The adjacent (positive ``pv``, negative ``nv``) vertex pairs of the cut cells, sorted by
    (first, second), with their cut cell (index into ``cut_cells``) and shared tags."""
    count = len(sizes)
    pc = np.bincount(cell_of[pv], minlength=count)[cut_cells]
    nc = np.bincount(cell_of[nv], minlength=count)[cut_cells]
    ps, ns = _starts(pc), _starts(nc)
    npairs = pc * nc
    small = npairs <= BIG_PRODUCT
    words = bits.shape[1]
    flat = bits[:, 0] if words == 1 else bits  # one word: 1-D bit sets, cheaper to combine

    def tags_shared(shared: np.ndarray) -> np.ndarray:
        counts = np.bitwise_count(shared)
        return counts if words == 1 else counts.sum(axis=-1)

    found = [(np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0, np.intp))]
    if small.any():  # one ragged product for all small cells, row-major per cell
        cells = np.flatnonzero(small)
        cell_of_pos = np.repeat(cells, pc[cells])
        within = np.arange(len(cell_of_pos)) - np.repeat(_starts(pc[cells]), pc[cells])
        first = np.repeat(pv[ps[cell_of_pos] + within], nc[cell_of_pos])
        pair_cell = np.repeat(cell_of_pos, nc[cell_of_pos])
        runs = np.repeat(_starts(nc[cell_of_pos]), nc[cell_of_pos])
        second = nv[ns[pair_cell] + np.arange(len(pair_cell)) - runs]
        keep = tags_shared(flat[first] & flat[second]) >= dim - 1
        found.append((first[keep], second[keep], pair_cell[keep]))
    for c in np.flatnonzero(~small).tolist():  # one broadcast per big cell
        mine_p = pv[ps[c] : ps[c] + pc[c]]
        mine_n = nv[ns[c] : ns[c] + nc[c]]
        ii, jj = np.nonzero(tags_shared(flat[mine_p][:, None] & flat[mine_n][None, :]) >= dim - 1)
        found.append((mine_p[ii], mine_n[jj], np.full(len(ii), c, dtype=np.intp)))
    first, second, pair_cell = (np.concatenate(parts) for parts in zip(*found, strict=True))
    shared = bits[first] & bits[second]
    if degenerate.any():  # only the pair itself may hold every shared tag
        keep = np.ones(len(first), dtype=bool)
        for c in np.flatnonzero(degenerate).tolist():
            mine = np.flatnonzero(pair_cell == c)
            if mine.size:
                cell = cut_cells[c]
                keep[mine] = _holders_keep(bits[starts[cell] : starts[cell] + sizes[cell]], shared[mine])
        first, second, pair_cell, shared = first[keep], second[keep], pair_cell[keep], shared[keep]
    order = np.lexsort((second, first))
    return first[order], second[order], pair_cell[order], shared[order]


def cut_layer(
    cells: Sequence[FloatCell],
    rows: Sequence[Sequence[Sequence[int]]],
    tags: Sequence[Hashable],
    check: Callable[[int], None] | None,
) -> list[list[tuple[FloatCell, tuple[int, ...]]]] | None:
    """Cut each ``cells[c]`` by its hyperplanes ``rows[c]`` (tagged ``tags``, the same for all);
    ``None`` when a number is beyond exact floats (then the caller cuts cell by cell).
    ``check`` is called with the number of cells after every batch of cuts (at most one more
    than the sequential count at which a limit is first exceeded)."""
    dim = cells[0].dim
    width = len(tags)
    tables = [cell.table.extended(tags, piece_rows) for cell, piece_rows in zip(cells, rows, strict=True)]
    found = _float_rows(rows, tables, dim)
    if found is None:
        return None
    cut_rows, stacked = found
    norms = np.abs(cut_rows[:, :, :dim]).sum(axis=2)
    magnitudes = np.abs(cut_rows)
    tag_count = len(tables[0].tags)
    base = len(cells[0].table.tags)
    words = tables[0].words
    gamma = (dim + 3) * UNIT
    sizes = np.array([len(cell) for cell in cells], dtype=np.intp)
    points = np.concatenate([cell.points for cell in cells])
    radii = np.concatenate([cell.radii for cell in cells])
    bits = np.concatenate([np.pad(cell.bits, ((0, 0), (0, words - cell.bits.shape[1]))) for cell in cells])
    fresh = np.zeros(len(points), dtype=bool)  # radii already a posteriori: nothing to refresh
    cell_piece = np.arange(len(cells), dtype=np.intp)
    simple = np.array([bool((np.bitwise_count(cell.bits).sum(axis=1) == dim).all()) for cell in cells])
    history = np.zeros((len(cells), 0), dtype=np.int8)
    for k in range(width):
        count = len(sizes)
        cell_of = np.repeat(np.arange(count), sizes)
        piece = cell_piece[cell_of]
        values, bound, sign = _certified_signs(points, radii, cut_rows[piece, k], magnitudes[piece, k], norms[piece, k], gamma)
        stale = np.flatnonzero(sign == 0)
        stale = stale[~fresh[stale] & (np.bitwise_count(bits[stale]).sum(axis=1) == dim)]
        if stale.size:  # undecided with a propagated radius: a fresh a posteriori radius, then again
            radii[stale] = np.fmin(radii[stale], certified_radii(stacked, piece[stale] * tag_count, bits[stale], points[stale]))
            fresh[stale] = True
            values[stale], bound[stale], sign[stale] = _certified_signs(
                points[stale], radii[stale], cut_rows[piece[stale], k], magnitudes[piece[stale], k], norms[piece[stale], k], gamma
            )
        certain = sign != 0
        for v in np.flatnonzero(sign == 0).tolist():  # not proved by floats: the exact sign
            vertex = exact_vertex(tables[piece[v]], bits[v], dim)
            value = sum(a * x for a, x in zip(rows[piece[v]][k], vertex, strict=True))
            sign[v] = (value > 0) - (value < 0)
        starts = _starts(sizes)
        has_pos = np.logical_or.reduceat(sign > 0, starts)
        has_neg = np.logical_or.reduceat(sign < 0, starts)
        has_zero = np.logical_or.reduceat(sign == 0, starts)
        cut = has_pos & has_neg
        tag_bit = np.zeros(words, dtype=np.uint64)
        tag_bit[(base + k) // 64] = np.uint64(1 << ((base + k) % 64))
        touched = (sign == 0) & (has_pos | has_neg)[cell_of]
        if touched.any():
            bits = bits.copy()
            bits[touched] |= tag_bit
        simple = simple & ~(has_zero & (has_pos | has_neg))
        # adjacent (positive, negative) pairs of every cut cell: a ragged product, then the tag test
        cut_v = cut[cell_of]
        pv = np.flatnonzero(cut_v & (sign > 0))
        nv = np.flatnonzero(cut_v & (sign < 0))
        cut_cells = np.flatnonzero(cut)
        if dim == 2:  # cyclic order: the edges are consecutive vertices
            first, second, pair_cell, edge_start = _cyclic_pairs(sign, cut_v, cell_of, starts, sizes, cut)
            shared = bits[first] & bits[second]
        elif words == 1 and tag_count + count.bit_length() <= 64:  # simple cells: by edge keys
            plain_p, plain_n = simple[cell_of[pv]], simple[cell_of[nv]]
            cut_index = np.cumsum(cut) - 1
            groups = [_keyed_pairs(bits[:, 0], cell_of, pv[plain_p], nv[plain_n], dim, tag_count, cut_index)]
            if not plain_p.all() or not plain_n.all():  # degenerate cells: the combinatorial test
                odd = ~simple[cut_cells]
                others = _pairs(bits, cell_of, pv[~plain_p], nv[~plain_n], cut_cells, odd, starts, sizes, dim)
                groups.append(others[:3])
            first, second, pair_cell = (np.concatenate(parts) for parts in zip(*groups, strict=True))
            order = np.lexsort((second, first))
            first, second, pair_cell = first[order], second[order], pair_cell[order]
            shared = bits[first] & bits[second]
        else:
            first, second, pair_cell, shared = _pairs(bits, cell_of, pv, nv, cut_cells, ~simple[cut_cells], starts, sizes, dim)
        # the new vertices: float crossings with certified radii, exact where none is proved
        new_bits = shared | tag_bit
        with np.errstate(all="ignore"):
            si, sj = values[first], values[second]
            t = np.clip(si / (si - sj), 0.0, 1.0)
            new_points = points[first] + t[:, None] * (points[second] - points[first])
        new_radii = crossing_radii(points, radii, first, second, values, bound, certain)
        # the parts, as Polytope.split orders them
        children = 1 + cut.astype(np.intp)
        first_child = _starts(children)
        upper = np.flatnonzero(~cut_v | (sign >= 0))
        lower = np.flatnonzero(cut_v & (sign <= 0))
        new_cells = cut_cells[pair_cell]
        child = np.concatenate([
            first_child[cell_of[upper]], first_child[cell_of[lower]] + 1, first_child[new_cells], first_child[new_cells] + 1
        ])
        total = len(points)
        fresh_ones = total + np.arange(len(first))
        source = np.concatenate([upper, lower, fresh_ones, fresh_ones])
        if dim == 2:  # each crossing right after its edge's first vertex (Polytope._split_cyclic)
            after = 2 * edge_start + 1
            key = np.concatenate([2 * upper, 2 * lower, after, after])
        else:  # the kept vertices in order, then the new ones in pair order (Polytope._split_general)
            key = np.concatenate([upper, lower, fresh_ones, fresh_ones])
        source = source[np.lexsort((key, child))]
        points = np.concatenate([points, new_points])[source]
        radii = np.concatenate([radii, new_radii])[source]
        bits = np.concatenate([bits, new_bits])[source]
        fresh = np.concatenate([fresh, np.zeros(len(first), dtype=bool)])[source]
        sizes = np.bincount(child, minlength=int(children.sum()))
        cell_piece = np.repeat(cell_piece, children)
        simple = np.repeat(simple, children)
        column = np.where(cut, 1, has_pos.astype(np.int8))
        history = np.repeat(history, children, axis=0)
        column = np.repeat(column, children)
        column[first_child[cut_cells] + 1] = 0
        history = np.concatenate([history, column[:, None].astype(np.int8)], axis=1)
        if check is not None and len(cut_cells):
            check(len(sizes))
    result: list[list[tuple[FloatCell, tuple[int, ...]]]] = [[] for _ in cells]
    stops = np.cumsum(sizes).tolist()
    for start, stop, owner, row in zip([0, *stops[:-1]], stops, cell_piece.tolist(), history.tolist(), strict=True):
        part = FloatCell(dim, points[start:stop], radii[start:stop], bits[start:stop], tables[owner])
        result[owner].append((part, tuple(row)))
    return result
