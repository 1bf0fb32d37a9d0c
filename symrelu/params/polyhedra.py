"""Exact affine systems in θ on ppl (GMP rationals): interior points of open polyhedra, no solver.

An :class:`AffineSystem` answers "is ``{sign · g > 0 for each (g, sign)} ∩ {h = 0} ∩ open box`` non-empty,
and which exact point lies in it" for affine polynomials ``g``, ``h``. It turns each polynomial
into an integer row once and keeps the ppl constraint objects, so the many queries of an
enumeration or a kink search share that work. The constraint system handed to ppl is the
same, constraint for constraint and in the same order, whoever asks: the point ppl returns
depends only on the question. Every point is checked exactly (integer rows, common divisor)
before it is returned.

>>> from fractions import Fraction as F
>>> from symrelu.params.polynomial import Polynomial
>>> x, y = Polynomial.variable(2, 0), Polynomial.variable(2, 1)
>>> box = [(F(-1), F(1)), (F(-1), F(1))]
>>> system = AffineSystem(2, box)
>>> point = system.interior_point([(x - y, 1)])
>>> point is not None and point[0] > point[1]
True
>>> system.interior_point([(x - y, 1), (y - x, 1)]) is None
True
>>> system.interior_point([(x, 1)], equalities=[x + y])[0] > 0
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import gcd, lcm
from operator import mul
from typing import Any

from ..errors import SolverError
from .polynomial import Polynomial

Row = tuple[tuple[int, ...], int]
"""An affine polynomial scaled to integers: ``(coefficients, constant)``."""

Point = tuple[Fraction, ...]
Box = Sequence[tuple[Fraction, Fraction]]


def integer_row(poly: Polynomial, nvars: int) -> Row:
    """``(a, a0)`` with ``a · θ + a0`` a positive multiple of ``poly`` (lcm of the denominators).

    >>> x = Polynomial.variable(2, 0)
    >>> integer_row(x * Fraction(1, 2) - Fraction(1, 3), 2)
    ((3, 0), -2)
    """
    if poly.degree > 1:
        raise SolverError(f"polynomial {poly} is not affine; ppl decides only linear questions")
    coefficients, constant = [Fraction(0)] * nvars, Fraction(0)
    for exponents, c in poly.terms:
        if sum(exponents) == 0:
            constant = c
        else:
            coefficients[exponents.index(1)] = c
    scale = lcm(*(v.denominator for v in coefficients + [constant]))
    return tuple(int(v * scale) for v in coefficients), int(constant * scale)


class AffineSystem:
    """Interior-point queries in ``nvars`` variables inside an open ``box`` (``None``: all of ℝᵏ)."""

    def __init__(self, nvars: int, box: Box | None) -> None:
        import ppl

        self._ppl = ppl
        self.nvars = nvars
        self.box = box
        # keyed by id(): hashing a polynomial hashes its terms; each entry keeps its polynomial alive
        self._rows: dict[int, tuple[Polynomial, Row]] = {}
        self._records: dict[tuple[int, int], tuple[Row, int, Any]] = {}
        self._values: dict[tuple[int, int], Fraction] = {}
        self._keys: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._box: list[Any] = []
        self._directions: dict[tuple[int, bool], tuple[tuple[int, ...] | None, Fraction | None, Fraction | None]] = {}
        self._bounds = [(lo.numerator, lo.denominator, hi.numerator, hi.denominator) for lo, hi in box or ()]
        for i, (lo, hi) in enumerate(box or ()):
            v = ppl.Variable(i)
            self._box.append(lo.denominator * v > lo.numerator)
            self._box.append(hi.denominator * v < hi.numerator)

    def row(self, poly: Polynomial) -> Row:
        """The integer row of an affine polynomial (cached)."""
        found = self._rows.get(id(poly))
        if found is None:
            found = self._rows[id(poly)] = (poly, integer_row(poly, self.nvars))
        return found[1]

    def _record(self, poly: Polynomial, sign: int) -> tuple[Row, int, Any]:
        """``(row, sign, ppl constraint)`` of ``sign * poly > 0`` (``< 0``; ``= 0`` for sign 0), cached."""
        key = (id(poly), sign)
        found = self._records.get(key)
        if found is None:
            coefficients, constant = self.row(poly)  # row() keeps poly alive while its id is a key
            e = self._ppl.Linear_Expression(list(coefficients), constant)
            found = self._records[key] = ((coefficients, constant), sign, (e > 0 if sign > 0 else e < 0) if sign else e == 0)
        return found

    def _unique(self, constraints: Sequence[tuple[Polynomial, int]], equalities: Sequence[Polynomial]
                ) -> list[tuple[Row, int, Any]]:
        """Each constraint once (by polynomial and sign), first occurrence first; sign 0: an equality."""
        records = self._records
        out: dict[tuple[int, int], tuple[Row, int, Any]] = {}
        for g, s in constraints:
            key = (id(g), 1 if s > 0 else -1)
            if key not in out:
                out[key] = records.get(key) or self._record(g, key[1])
        for h in equalities:
            key = (id(h), 0)
            if key not in out:
                out[key] = records.get(key) or self._record(h, 0)
        return list(out.values())

    def interior_point(
        self, constraints: Sequence[tuple[Polynomial, int]], equalities: Sequence[Polynomial] = ()
    ) -> Point | None:
        """An exact point with ``sign * g > 0`` for each ``(g, sign)``, ``h = 0`` for each equality,
        inside the open box; ``None`` when there is none (see :meth:`solve`)."""
        return self.solve(constraints, equalities)[0]

    def meets(self, polyhedron: Any, poly: Polynomial, sign: int) -> bool:
        """Exact: the ppl ``polyhedron`` of :meth:`solve` has a point with ``sign * poly > 0`` (ppl's
        relation, from the generators it already has).

        >>> from symrelu.params.polynomial import Polynomial
        >>> x = Polynomial.variable(1, 0)
        >>> system = AffineSystem(1, [(Fraction(-1), Fraction(1))])
        >>> point, polyhedron = system.solve([(x, 1)])
        >>> system.meets(polyhedron, x - 1, 1), system.meets(polyhedron, x * 2 - 1, 1)
        (False, True)
        """
        constraint = self._record(poly, 1 if sign > 0 else -1)[2]
        return not polyhedron.relation_with(constraint).implies(self._ppl.Poly_Con_Relation.is_disjoint())

    def solve(
        self, constraints: Sequence[tuple[Polynomial, int]], equalities: Sequence[Polynomial] = ()
    ) -> tuple[Point | None, Any]:
        """:meth:`interior_point`, and the ppl polyhedron it came from (for :meth:`meets`).

        A constraint repeated (the same polynomial and sign) is handed to ppl once, and the order
        is ppl's own: ppl sorts the constraint rows and drops duplicates before its conversion, so
        the point depends only on the set of constraints.
        """
        ppl = self._ppl
        unique = self._unique(constraints, equalities)
        system = ppl.Constraint_System()
        for _, _, c in unique:
            system.insert(c)
        for c in self._box:
            system.insert(c)
        polyhedron = ppl.NNC_Polyhedron(self.nvars, "universe")
        polyhedron.add_constraints(system)
        for generator in polyhedron.minimized_generators():  # none when empty
            if generator.is_point():  # a point generator of an NNC polyhedron belongs to it
                divisor = int(generator.divisor())
                numerators = [int(c) for c in generator.coefficients()]
                numerators += [0] * (self.nvars - len(numerators))
                if not self._holds(numerators, divisor, unique):
                    raise SolverError("ppl's point failed the exact check; refusing to answer")
                return tuple(self._fraction(c, divisor) for c in numerators), polyhedron
        if polyhedron.is_empty():
            return None, polyhedron
        raise SolverError("ppl reported a non-empty polyhedron without a point generator")  # pragma: no cover

    def _fraction(self, numerator: int, divisor: int) -> Fraction:
        """``Fraction(numerator, divisor)``, one object per distinct value (points repeat their coordinates)."""
        found = self._values.get((numerator, divisor))
        if found is None:
            found = self._values[(numerator, divisor)] = Fraction(numerator, divisor)
        return found

    def _holds(self, numerators: list[int], divisor: int, unique: list[tuple[Row, int, Any]]) -> bool:
        """Exact check of the point ``numerators / divisor`` (``divisor > 0``) in integers."""
        if divisor <= 0:
            return False
        for (coefficients, constant), sign, _ in unique:
            v = sum(map(mul, coefficients, numerators)) + constant * divisor  # divisor * poly(point)
            if (v != 0) if sign == 0 else (v == 0 or (v > 0) != (sign > 0)):
                return False
        return all(lo_n * divisor < n * lo_d and n * hi_d < hi_n * divisor
                   for n, (lo_n, lo_d, hi_n, hi_d) in zip(numerators, self._bounds, strict=False))

    def contradicts(self, constraints: Sequence[tuple[Polynomial, int]], new: tuple[Polynomial, int]) -> bool:
        """Exact, no ppl: ``new`` cannot hold together with the parallel ones among ``constraints`` and the box.

        Every constraint is a strict bound on ``t = k · θ`` for the primitive direction ``k`` of its
        row; the box bounds every such ``t`` too. When the bounds on ``new``'s direction leave an
        empty interval, the system has no point (``True``). ``False`` says nothing: other
        directions may still exclude every point.

        >>> from fractions import Fraction as F
        >>> from symrelu.params.polynomial import Polynomial
        >>> x, y = Polynomial.variable(2, 0), Polynomial.variable(2, 1)
        >>> system = AffineSystem(2, [(F(-1), F(1)), (F(-1), F(1))])
        >>> system.contradicts([(x * 2 - 1, 1)], (1 - x * 4, 1)), system.contradicts([], (x + y - 2, 1))
        (True, True)
        >>> system.contradicts([(x - 1 + y, -1)], (x - y, 1))
        False
        """
        key, lo, hi = self._direction(*new)
        if key is None:
            return False
        directions = self._directions
        for g, sign in constraints:
            other, l, h = directions.get((id(g), sign > 0)) or self._direction(g, sign)
            if other is key:  # directions are interned
                lo = l if lo is None or (l is not None and l > lo) else lo
                hi = h if hi is None or (h is not None and h < hi) else hi
        return lo is not None and hi is not None and lo >= hi

    def _direction(self, poly: Polynomial, sign: int) -> tuple[tuple[int, ...] | None, Fraction | None, Fraction | None]:
        """``(k, lo, hi)``: ``sign * poly > 0`` (and the box) say ``lo < k · θ < hi`` (``None``: no bound)."""
        found = self._directions.get((id(poly), sign > 0))
        if found is None:
            coefficients, constant = self.row(poly)
            nonzero = [c for c in coefficients if c]
            if not nonzero:
                found = (None, None, None)
            else:
                scale = gcd(*nonzero) * (1 if nonzero[0] > 0 else -1)
                key = tuple(c // scale for c in coefficients)
                key = self._keys.setdefault(key, key)
                # sign * (scale * t + constant) > 0, i.e. (sign * scale) * t > -sign * constant
                bound = Fraction(-constant, scale)
                lo, hi = (bound, None) if (sign > 0) == (scale > 0) else (None, bound)
                if self.box is not None:
                    box_lo = sum((k * (l if k > 0 else h) for k, (l, h) in zip(key, self.box)), Fraction(0))
                    box_hi = sum((k * (h if k > 0 else l) for k, (l, h) in zip(key, self.box)), Fraction(0))
                    lo = box_lo if lo is None or box_lo > lo else lo
                    hi = box_hi if hi is None or box_hi < hi else hi
                found = (key, lo, hi)
            self._directions[(id(poly), sign > 0)] = found  # row() keeps poly alive while its id is a key
        return found
