"""Exact Bernstein enclosures of a :class:`Polynomial` on a rational box.

On the box ∏[lo_k, hi_k] substitute θ_k = lo_k + (hi_k − lo_k) t_k (FLINT
``compose``) and write the result in the tensor Bernstein basis of degrees
d_k (the per-variable degrees). Every value on the box is a convex
combination of the Bernstein coefficients, so their minimum and maximum
enclose the range; the coefficients at the corners of the index grid are the
values at the box's vertices, so a maximum found there is attained. All
arithmetic is in integers over one common denominator: no float anywhere.

>>> from fractions import Fraction as F
>>> x, y = Polynomial.variable(2, 0), Polynomial.variable(2, 1)
>>> p = x * x - x * y + 1
>>> enc = enclose(p, ((F(0), F(1)), (F(0), F(1))))
>>> enc.low, enc.high, enc.high_at_vertex
(Fraction(1, 2), Fraction(2, 1), (Fraction(1, 1), Fraction(0, 1)))
>>> p((F(1), F(0)))
Fraction(2, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from math import comb, lcm

import flint

from ..errors import DomainError
from .polynomial import Polynomial

Box = Sequence[tuple[Fraction, Fraction]]


@dataclass(frozen=True)
class Enclosure:
    """``low <= p <= high`` on the box; ``high_at_vertex`` is the vertex where ``p == high`` when the top
    coefficient sits at a corner of the index grid (so ``high`` is attained there), else None."""

    low: Fraction
    high: Fraction
    high_at_vertex: tuple[Fraction, ...] | None


def _fmpq(value: Fraction) -> flint.fmpq:
    return flint.fmpq(value.numerator, value.denominator)


def bernstein_coefficients(poly: Polynomial, box: Box) -> tuple[int, tuple[int, ...], list[int]]:
    """(common denominator D, degrees d, integer numerators B_I in row-major order): b_I = B_I / D."""
    if len(box) != poly.nvars:
        raise DomainError(f"a polynomial in {poly.nvars} variables needs a box with {poly.nvars} intervals, "
                          f"not {len(box)}")
    if any(lo > hi for lo, hi in box):
        raise DomainError(f"box {[(str(lo), str(hi)) for lo, hi in box]} has an interval with lo > hi")
    source = poly._poly
    gens = source.context().gens()
    shifted = source.compose(*(_fmpq(lo) + _fmpq(hi - lo) * g for (lo, hi), g in zip(box, gens, strict=True)))
    n = poly.nvars
    degrees = tuple(int(d) for d in shifted.degrees()) if not shifted.is_zero() else (0,) * n
    scaled: dict[tuple[int, ...], Fraction] = {}
    for exponents, c in shifted.terms():
        e = tuple(int(v) for v in exponents)
        weight = 1
        for d, j in zip(degrees, e, strict=True):
            weight *= comb(d, j)
        scaled[e] = Fraction(int(c.p), int(c.q) * weight)
    den = 1
    for value in scaled.values():
        den = lcm(den, value.denominator)
    strides = [1] * n
    for k in range(n - 2, -1, -1):
        strides[k] = strides[k + 1] * (degrees[k + 1] + 1)
    size = strides[0] * (degrees[0] + 1) if n else 1
    coefficients = [0] * size
    for e, value in scaled.items():
        coefficients[sum(i * s for i, s in zip(e, strides, strict=True))] = value.numerator * (den // value.denominator)
    for k in range(n):  # b_i = sum_{j <= i} C(i, j) a'_j along each axis in turn
        d, stride = degrees[k], strides[k]
        if d == 0:
            continue
        for base in range(size):
            if (base // stride) % (d + 1):
                continue
            line = [coefficients[base + j * stride] for j in range(d + 1)]
            for i in range(d + 1):
                coefficients[base + i * stride] = sum(comb(i, j) * line[j] for j in range(i + 1))
    return den, degrees, coefficients


def enclose(poly: Polynomial, box: Box) -> Enclosure:
    """Exact lower and upper bounds of ``poly`` on the closed ``box`` (the Bernstein range enclosure)."""
    den, degrees, coefficients = bernstein_coefficients(poly, box)
    top = max(coefficients)
    strides = [1] * len(degrees)
    for k in range(len(degrees) - 2, -1, -1):
        strides[k] = strides[k + 1] * (degrees[k + 1] + 1)
    vertex = None
    for corner in product(*((0, d) if d else (0,) for d in degrees)):
        if coefficients[sum(i * s for i, s in zip(corner, strides, strict=True))] == top:
            vertex = tuple(hi if (i and d) else lo for i, d, (lo, hi) in zip(corner, degrees, box, strict=True))
            if poly(vertex) == Fraction(top, den):  # a variable of degree 0 leaves that coordinate free
                break
            vertex = None
    return Enclosure(Fraction(min(coefficients), den), Fraction(top, den), vertex)
