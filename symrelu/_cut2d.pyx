# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The 2-D engine's cut of a layer, compiled: every cell by every neuron, in exact integers.

The same cut as :func:`symrelu.kernels2d.split_cells` and :mod:`symrelu.kernels2d_lists`, neuron
by neuron in slot order, with the same cells in the same slots. Lines are int64 with every
coefficient below ``2**40`` in magnitude (the caller checks; :data:`LINE_BOUND`); vertices (cross
products of two lines, below ``2**81``) and line values at vertices (below ``6 * 2**120``) are
computed in 128-bit integers, or in int64 when ``wide`` is false (the caller has then bounded
them by ``2**62``). No operation here can overflow.
"""

import numpy as np

from libc.stdint cimport int8_t, int64_t
from libc.stdlib cimport free, malloc


cdef extern from *:
    ctypedef long long i128 "__int128"  # 128-bit integers (gcc, clang); Cython sees a C integer

LINE_BOUND = 2**40
"""Every line coefficient must be below this in magnitude."""


cdef inline int8_t _side(const int64_t *p, const int64_t *q, int64_t h0, int64_t h1, int64_t h2, bint wide) noexcept nogil:
    """The sign of line ``h`` at the meet of lines ``p`` and ``q`` (their cross product)."""
    cdef i128 X, Y, W, V
    cdef int64_t x, y, w, v
    if wide:
        X = <i128> p[1] * q[2] - <i128> p[2] * q[1]
        Y = <i128> p[2] * q[0] - <i128> p[0] * q[2]
        W = <i128> p[0] * q[1] - <i128> p[1] * q[0]
        V = h0 * X + h1 * Y + h2 * W
        return 1 if V > 0 else (-1 if V < 0 else 0)
    x = p[1] * q[2] - p[2] * q[1]
    y = p[2] * q[0] - p[0] * q[2]
    w = p[0] * q[1] - p[1] * q[0]
    v = h0 * x + h1 * y + h2 * w
    return 1 if v > 0 else (-1 if v < 0 else 0)


cdef inline int64_t _gcd(int64_t a, int64_t b) noexcept nogil:
    if a < 0:
        a = -a
    if b < 0:
        b = -b
    while b:
        a, b = b, a % b
    return a


cdef inline void _write_part(int64_t[:, :, ::1] E, int64_t[:, ::1] T, int64_t slot, int64_t width,
                             const int64_t *line_buf, const int64_t *tag_buf, const int8_t *sign, int64_t cnt,
                             int64_t k, int8_t side, int64_t h0, int64_t h1, int64_t h2, int64_t tag) noexcept nogil:
    """Write into ``slot`` the part of a cut cell on ``side`` of the line ``h`` (its ``k`` vertices on that
    side): the edges from the one before its first such vertex, then ``h`` itself; the rest zero."""
    cdef int64_t p = 0, first, src, i
    while not (sign[p] == side and sign[cnt - 1 if p == 0 else p - 1] != side):
        p += 1
    first = cnt - 1 if p == 0 else p - 1
    for i in range(k + 1):
        src = (first + i) % cnt
        E[slot, i, 0] = line_buf[3 * src]
        E[slot, i, 1] = line_buf[3 * src + 1]
        E[slot, i, 2] = line_buf[3 * src + 2]
        T[slot, i] = tag_buf[src]
    E[slot, k + 1, 0] = h0
    E[slot, k + 1, 1] = h1
    E[slot, k + 1, 2] = h2
    T[slot, k + 1] = tag
    for i in range(k + 2, width):
        E[slot, i, 0] = 0
        E[slot, i, 1] = 0
        E[slot, i, 2] = 0
        T[slot, i] = 0


def _grown(a, cap, n):
    """``a`` with room for ``cap`` rows (its first ``n`` kept), the rest zero."""
    out = np.zeros((cap,) + a.shape[1:], dtype=a.dtype)
    out[:n] = a[:n]
    return out


def _widened(a, width, n):
    """``a`` with ``width`` columns (its first ``n`` rows kept), the rest zero."""
    out = np.zeros((a.shape[0], width) + a.shape[2:], dtype=a.dtype)
    out[:n, : a.shape[1]] = a[:n]
    return out


def cut_layer(E_in, T_in, C_in, int64_t n, const int64_t[:, :, ::1] rows, int64_t tag_base, check, bint wide):
    """Cut cells ``0 .. n - 1`` (cell ``i`` reads the lines ``rows[i] (m, 3)``) by every neuron, in
    neuron order; a neuron is applied only to the cells whose ancestor at the start of the layer it
    crosses. ``check(count)`` runs after every neuron that cut something. Returns the grown
    ``(E, T, C, root, bits, n)``: the part of a cut cell with the line ``>= 0`` keeps its slot
    (bit 1), the other part takes the next free slot."""
    cdef int64_t m = rows.shape[1]
    cdef int64_t width = max(E_in.shape[1], 4)
    cdef int64_t cap = max(n + n // 2, 16)
    E_arr = np.zeros((cap, width, 3), dtype=np.int64)
    T_arr = np.zeros((cap, width), dtype=np.int64)
    C_arr = np.zeros(cap, dtype=np.int64)
    root_arr = np.zeros(cap, dtype=np.int64)
    bits_arr = np.zeros((cap, m), dtype=np.int8)
    undecided_arr = np.zeros((n, m), dtype=np.int8)
    E_arr[:n, : E_in.shape[1]] = E_in[:n]
    T_arr[:n, : E_in.shape[1]] = T_in[:n]
    C_arr[:n] = C_in[:n]
    root_arr[:n] = np.arange(n)
    cdef int64_t[:, :, ::1] E = E_arr
    cdef int64_t[:, ::1] T = T_arr
    cdef int64_t[::1] C = C_arr
    cdef int64_t[::1] root = root_arr
    cdef int8_t[:, ::1] bits = bits_arr
    cdef int8_t[:, ::1] undecided = undecided_arr
    cdef int64_t j, c, r, t, prev, i, cnt, n0, k, kp, kn, maxcount = 0
    cdef int64_t h0, h1, h2, g, tag
    cdef int8_t sg
    cdef bint pos, neg
    cdef int64_t *line_buf = NULL
    cdef int64_t *tag_buf = NULL
    cdef int8_t *sign = NULL
    cdef int8_t *has = <int8_t *> malloc(max(m, 1) * sizeof(int8_t))
    if has == NULL:
        raise MemoryError()
    for j in range(m):
        has[j] = 0
    # which neurons each cell's lines cross (undecided) and, where not, its bits
    for c in range(n):
        cnt = C[c]
        if cnt > maxcount:
            maxcount = cnt
        for j in range(m):
            h0, h1, h2 = rows[c, j, 0], rows[c, j, 1], rows[c, j, 2]
            pos = False
            neg = False
            for t in range(cnt):
                prev = t - 1 if t else cnt - 1
                sg = _side(&E[c, prev, 0], &E[c, t, 0], h0, h1, h2, wide)
                if sg > 0:
                    pos = True
                elif sg < 0:
                    neg = True
            if pos and neg:
                undecided[c, j] = 1
                has[j] = 1
            elif pos:
                bits[c, j] = 1
    try:
        for j in range(m):
            if not has[j]:
                continue
            k = 0  # the cells this neuron may cut: each adds at most one
            for c in range(n):
                if undecided[root[c], j]:
                    k += 1
            if n + k > cap:
                cap = max(n + k, cap + cap // 2)
                E_arr, T_arr, C_arr, root_arr, bits_arr = (
                    _grown(a, cap, n) for a in (E_arr, T_arr, C_arr, root_arr, bits_arr)
                )
                E, T, C, root, bits = E_arr, T_arr, C_arr, root_arr, bits_arr
            if maxcount + 1 > width:  # room for one more edge per cell
                width = maxcount + 4
                E_arr = _widened(E_arr, width, n)
                T_arr = _widened(T_arr, width, n)
                E, T = E_arr, T_arr
            free(line_buf)
            free(tag_buf)
            free(sign)
            line_buf = <int64_t *> malloc(3 * width * sizeof(int64_t))
            tag_buf = <int64_t *> malloc(width * sizeof(int64_t))
            sign = <int8_t *> malloc(width * sizeof(int8_t))
            if line_buf == NULL or tag_buf == NULL or sign == NULL:
                raise MemoryError()
            tag = tag_base + j
            n0 = n
            k = 0
            for c in range(n0):
                r = root[c]
                if not undecided[r, j]:
                    continue
                h0, h1, h2 = rows[r, j, 0], rows[r, j, 1], rows[r, j, 2]
                cnt = C[c]
                kp = 0
                kn = 0
                for t in range(cnt):
                    prev = t - 1 if t else cnt - 1
                    sg = _side(&E[c, prev, 0], &E[c, t, 0], h0, h1, h2, wide)
                    sign[t] = sg
                    if sg > 0:
                        kp += 1
                    elif sg < 0:
                        kn += 1
                if kp == 0 or kn == 0:
                    bits[c, j] = 1 if kp > 0 else 0
                    continue
                g = _gcd(_gcd(h0, h1), h2)
                h0 //= g
                h1 //= g
                h2 //= g
                for t in range(cnt):
                    line_buf[3 * t] = E[c, t, 0]
                    line_buf[3 * t + 1] = E[c, t, 1]
                    line_buf[3 * t + 2] = E[c, t, 2]
                    tag_buf[t] = T[c, t]
                # the part with line >= 0 stays in slot c, the part with line <= 0 goes to slot n
                _write_part(E, T, c, width, line_buf, tag_buf, sign, cnt, kp, 1, h0, h1, h2, tag)
                _write_part(E, T, n, width, line_buf, tag_buf, sign, cnt, kn, -1, -h0, -h1, -h2, tag)
                C[c] = kp + 2
                C[n] = kn + 2
                if kp + 2 > maxcount:
                    maxcount = kp + 2
                if kn + 2 > maxcount:
                    maxcount = kn + 2
                root[n] = r
                for i in range(m):
                    bits[n, i] = bits[c, i]
                bits[n, j] = 0
                bits[c, j] = 1
                n += 1
                k += 1
            if k:
                check(n)
    finally:
        free(line_buf)
        free(tag_buf)
        free(sign)
        free(has)
    if cap > n:  # give the spare room back
        return E_arr[:n].copy(), T_arr[:n].copy(), C_arr[:n].copy(), root_arr[:n].copy(), bits_arr[:n].copy(), n
    return E_arr, T_arr, C_arr, root_arr, bits_arr, n
