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
from math import lcm
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
        self._constraints: dict[tuple[int, int], tuple[Polynomial, Any]] = {}
        self._box: list[Any] = []
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

    def _constraint(self, poly: Polynomial, sign: int) -> Any:
        key = (id(poly), sign)
        found = self._constraints.get(key)
        if found is None:
            coefficients, constant = self.row(poly)
            e = self._ppl.Linear_Expression(list(coefficients), constant)
            found = self._constraints[key] = (poly, (e > 0 if sign > 0 else e < 0) if sign else e == 0)
        return found[1]

    def interior_point(
        self, constraints: Sequence[tuple[Polynomial, int]], equalities: Sequence[Polynomial] = ()
    ) -> Point | None:
        """An exact point with ``sign * g > 0`` for each ``(g, sign)``, ``h = 0`` for each equality,
        inside the open box; ``None`` when there is none."""
        ppl = self._ppl
        system = ppl.Constraint_System()
        for g, sign in constraints:
            system.insert(self._constraint(g, 1 if sign > 0 else -1))
        for h in equalities:
            system.insert(self._constraint(h, 0))
        for c in self._box:
            system.insert(c)
        polyhedron = ppl.NNC_Polyhedron(self.nvars, "universe")
        polyhedron.add_constraints(system)
        if polyhedron.is_empty():
            return None
        for generator in polyhedron.minimized_generators():
            if generator.is_point():  # a point generator of an NNC polyhedron belongs to it
                divisor = int(generator.divisor())
                numerators = [int(c) for c in generator.coefficients()]
                numerators += [0] * (self.nvars - len(numerators))
                if not self._holds(numerators, divisor, constraints, equalities):
                    raise SolverError("ppl's point failed the exact check; refusing to answer")
                return tuple(Fraction(c, divisor) for c in numerators)
        raise SolverError("ppl reported a non-empty polyhedron without a point generator")  # pragma: no cover

    def _holds(self, numerators: list[int], divisor: int, constraints: Sequence[tuple[Polynomial, int]],
               equalities: Sequence[Polynomial]) -> bool:
        """Exact check of the point ``numerators / divisor`` (``divisor > 0``) in integers."""
        if divisor <= 0:
            return False

        def value(poly: Polynomial) -> int:  # divisor * poly(point)
            coefficients, constant = self.row(poly)
            return sum(map(mul, coefficients, numerators)) + constant * divisor

        for g, sign in constraints:
            v = value(g)
            if v == 0 or (v > 0) != (sign > 0):
                return False
        if any(value(h) != 0 for h in equalities):
            return False
        return all(lo * divisor < n < hi * divisor for n, (lo, hi) in zip(numerators, self.box or (), strict=False))
