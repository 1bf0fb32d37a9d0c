"""Exact spectral norms of rational symmetric matrices, and the z3 terms that pin them.

The squared spectral norm of a symmetric ``H`` is the largest eigenvalue μ of
``H²``. It is found exactly as the largest real root of the characteristic
polynomial of ``H²``; when μ is irrational it is kept as an algebraic number
(its minimal polynomial and an isolating rational interval), never rounded.

>>> from fractions import Fraction as F
>>> norm = spectral_norm_squared([[F(1), F(1)], [F(1), F(1)]])
>>> norm.value_squared, norm.value, norm.vector
(Fraction(4, 1), Fraction(2, 1), (Fraction(1, 1), Fraction(1, 1)))
>>> golden = spectral_norm_squared([[F(1), F(1)], [F(1), F(0)]])
>>> golden.value_squared is None, str(golden.expression)
(True, 'sqrt(5)/2 + 3/2')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy
import z3

from ...errors import ShapeError
from ...exact import z3_rational
from ..engine.assemble import rational_sqrt
from .encode import add_all, sympy_to_z3

Matrix = Sequence[Sequence[Fraction]]


@dataclass(frozen=True)
class SpectralNorm:
    """μ = ‖H‖₂² exactly: rational (``value_squared``) or algebraic (``polynomial`` + ``interval``).

    ``polynomial`` is an irreducible integer polynomial in ``mu`` (as text) of which
    μ is the only root in the closed rational ``interval``; ``vector`` is a
    rational v with ‖Hv‖² = μ‖v‖² when μ is rational.
    """

    value_squared: Fraction | None
    expression: sympy.Expr
    polynomial: str
    interval: tuple[Fraction, Fraction]
    vector: tuple[Fraction, ...] | None

    @property
    def value(self) -> Fraction | None:
        """‖H‖₂ when it is rational."""
        return None if self.value_squared is None else rational_sqrt(self.value_squared)

    def pinned(self, mu: z3.ArithRef) -> list[z3.BoolRef]:
        """Constraints that make the z3 variable ``mu`` equal to μ exactly."""
        if self.value_squared is not None:
            return [mu == z3_rational(self.value_squared)]
        poly = sympy_to_z3(sympy.sympify(self.polynomial), {"mu": mu})
        lo, hi = self.interval
        return [poly == 0, mu >= z3_rational(lo), mu <= z3_rational(hi)]


def _matrix(rows: Matrix) -> sympy.Matrix:
    size = len(rows)
    if any(len(row) != size for row in rows):
        raise ShapeError(f"expected a square matrix, got rows of lengths {[len(r) for r in rows]}")
    entries = [[sympy.Rational(Fraction(v).numerator, Fraction(v).denominator) for v in row] for row in rows]
    matrix = sympy.Matrix(entries)
    if matrix != matrix.T:
        raise ShapeError("the matrix is not symmetric; a Hessian of a polynomial always is")
    return matrix


def spectral_norm_squared(rows: Matrix) -> SpectralNorm:
    """‖H‖₂² of a rational symmetric matrix, exactly."""
    return largest_spectral_norm_squared([rows])[0]


def largest_spectral_norm_squared(matrices: Sequence[Matrix]) -> tuple[SpectralNorm, int]:
    """The largest ‖H‖₂² over several matrices, and the index of the first matrix attaining it.

    All comparisons are exact: the candidates are the real roots of one product
    of characteristic polynomials, isolated by SymPy with rational intervals.
    """
    if not matrices:
        raise ShapeError("no matrix given")
    mu = sympy.Symbol("mu")
    squares = [_matrix(rows) ** 2 for rows in matrices]
    chars = [sympy.Poly(m.charpoly(mu).as_expr(), mu) for m in squares]
    product = chars[0]
    for char in chars[1:]:
        product = product * char
    top = sympy.real_roots(product)[-1]  # sorted exactly; H² is PSD, so top >= 0
    factor = sympy.Poly(sympy.minimal_polynomial(top, mu), mu)
    index = next(i for i, char in enumerate(chars) if sympy.rem(char, factor).is_zero)
    m = squares[index]
    if top.is_Rational:
        value = Fraction(int(top.p), int(top.q))
        kernel = (m - top * sympy.eye(m.rows)).nullspace()
        scale = math.lcm(*(int(sympy.Rational(c).q) for c in kernel[0]))
        vector = tuple(Fraction(int(c * scale)) for c in kernel[0])
        return SpectralNorm(value, sympy.Rational(top), f"mu - ({value})", (value, value), vector), index
    (lo, hi), _ = max(factor.intervals(), key=lambda item: item[0][1])
    return SpectralNorm(
        None, _closed_form(factor, top), str(factor.as_expr()),
        (Fraction(int(lo.p), int(lo.q)), Fraction(int(hi.p), int(hi.q))), None,
    ), index


def _closed_form(factor: sympy.Poly, root: sympy.Expr) -> sympy.Expr:
    """Radicals for a quadratic minimal polynomial (the larger root), else the CRootOf itself."""
    if factor.degree() == 2:
        a, b, c = factor.all_coeffs()
        sign = 1 if a > 0 else -1
        return sympy.simplify((-b + sign * sympy.sqrt(b * b - 4 * a * c)) / (2 * a))
    return root


def quadratic_excess(rows: Sequence[Sequence[z3.ArithRef]], v: Sequence[z3.ArithRef], mu: z3.ArithRef) -> z3.ArithRef:
    """‖Hv‖² − μ‖v‖² as a z3 term (rows may be z3 terms, e.g. a Hessian depending on θ)."""
    hv = [add_all([entry * vj for entry, vj in zip(row, v)]) for row in rows]
    return add_all([x * x for x in hv]) - mu * add_all([vj * vj for vj in v])
