"""An exact multivariate polynomial over ℚ, on python-flint's ``fmpq_mpoly`` (FLINT, GMP).

Arithmetic, evaluation and derivatives run in FLINT; ``terms`` gives the
coefficients as sorted ``(exponents, Fraction)`` pairs, and SymPy is used
only to display results.

>>> from fractions import Fraction as F
>>> x, y = Polynomial.variable(2, 0), Polynomial.variable(2, 1)
>>> p = (x + y - 1) * (x + y - 1) * F(1, 2)
>>> p((F(1), F(1))), p.degree, [str(g) for g in p.gradient()]
(Fraction(1, 2), 2, ['x0 + x1 - 1', 'x0 + x1 - 1'])
>>> (x * 0).is_zero, Polynomial.constant(2, 3).is_constant
(True, True)
>>> p.terms[:2]
(((0, 0), Fraction(1, 2)), ((0, 1), Fraction(-1, 1)))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

import flint

from ..exact import z3_rational

if TYPE_CHECKING:
    import sympy
    import z3

Exponents = tuple[int, ...]
Scalar = Fraction | int


def _context(nvars: int) -> Any:
    return flint.fmpq_mpoly_ctx.get(("x", nvars), "lex")


def _fmpq(value: Scalar) -> Any:
    if type(value) is not Fraction:
        value = Fraction(value)
    return flint.fmpq(value.numerator, value.denominator)


def _fraction(value: Any) -> Fraction:
    return Fraction(int(value.p), int(value.q))


class Polynomial:
    """``Σ c · θ^e`` with rational ``c``; ``terms`` is sorted and has no zero coefficient.

    Immutable; equal when the variables and terms are equal.
    """

    __slots__ = ("nvars", "_poly", "__dict__")

    def __init__(self, nvars: int, terms: Sequence[tuple[Exponents, Fraction]] = (), _poly: Any = None) -> None:
        self.nvars = nvars
        self._poly = _poly if _poly is not None else _context(nvars).from_dict({e: _fmpq(c) for e, c in terms if c})

    # -------------------------------------------------------------- building
    @classmethod
    def from_dict(cls, nvars: int, coeffs: Mapping[Exponents, Fraction]) -> Polynomial:
        return cls(nvars, _poly=_context(nvars).from_dict({e: _fmpq(c) for e, c in coeffs.items() if c != 0}))

    @classmethod
    def constant(cls, nvars: int, value: Scalar) -> Polynomial:
        return cls.from_dict(nvars, {(0,) * nvars: Fraction(value)})

    @classmethod
    def variable(cls, nvars: int, index: int) -> Polynomial:
        return cls.from_dict(nvars, {tuple(int(i == index) for i in range(nvars)): Fraction(1)})

    def _wrap(self, poly: Any) -> Polynomial:
        return Polynomial(self.nvars, _poly=poly)

    def _other(self, other: Polynomial | Scalar) -> Any:
        return other._poly if isinstance(other, Polynomial) else _fmpq(other)

    @cached_property
    def terms(self) -> tuple[tuple[Exponents, Fraction], ...]:
        return tuple(sorted((tuple(int(v) for v in e), _fraction(c)) for e, c in self._poly.terms()))

    @property
    def fingerprint(self) -> str:
        """FLINT's own text of the polynomial: equal polynomials in as many variables have equal
        fingerprints (cheap, no ``terms``; for caches, not for display).

        >>> (Polynomial.variable(2, 0) * Fraction(1, 2) + 1).fingerprint
        '1/2*x0 + 1'
        """
        return str(self._poly)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Polynomial):
            return NotImplemented
        return self.nvars == other.nvars and self._poly == other._poly

    def __hash__(self) -> int:
        return hash((self.nvars, self.terms))

    def __repr__(self) -> str:
        return f"Polynomial({self.nvars}, {self.terms!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Polynomial, (self.nvars, self.terms))

    # ------------------------------------------------------------ arithmetic
    def __add__(self, other: Polynomial | Scalar) -> Polynomial:
        return self._wrap(self._poly + self._other(other))

    __radd__ = __add__

    def __neg__(self) -> Polynomial:
        return self._wrap(-self._poly)

    def __sub__(self, other: Polynomial | Scalar) -> Polynomial:
        return self._wrap(self._poly - self._other(other))

    def __rsub__(self, other: Polynomial | Scalar) -> Polynomial:
        return self._wrap(self._other(other) - self._poly)

    def __mul__(self, other: Polynomial | Scalar) -> Polynomial:
        return self._wrap(self._poly * self._other(other))

    __rmul__ = __mul__

    # -------------------------------------------------------------- analysis
    @property
    def is_zero(self) -> bool:
        return bool(self._poly.is_zero())

    @property
    def degree(self) -> int:
        """Total degree; the zero polynomial has degree -1."""
        return int(self._poly.total_degree())

    @property
    def is_constant(self) -> bool:
        return self.degree <= 0

    def diff(self, index: int) -> Polynomial:
        return self._wrap(self._poly.derivative(index))

    def gradient(self) -> tuple[Polynomial, ...]:
        return tuple(self.diff(k) for k in range(self.nvars))

    def hessian(self) -> tuple[tuple[Polynomial, ...], ...]:
        return tuple(tuple(g.diff(k) for k in range(self.nvars)) for g in self.gradient())

    def __call__(self, point: Sequence[Fraction]) -> Fraction:
        """Exact value at a rational point."""
        if len(point) < self.nvars:
            raise ValueError(f"a polynomial in {self.nvars} variables needs {self.nvars} values, not {len(point)}")
        return _fraction(self._poly(*(_fmpq(v) for v in point[: self.nvars])))

    # ------------------------------------------------------------ conversion
    def to_sympy(self, symbols: Sequence[sympy.Symbol]) -> sympy.Expr:
        import sympy

        return sympy.Add(
            *(
                sympy.Rational(c.numerator, c.denominator) * sympy.Mul(*(s**p for s, p in zip(symbols, e, strict=False)))
                for e, c in self.terms
            )
        )

    def to_z3(self, variables: Sequence[z3.ArithRef]) -> z3.ArithRef:
        import z3

        if not self.terms:
            return z3_rational(0)
        parts = []
        for e, c in self.terms:
            factors: list[z3.ArithRef] = []
            for var, power in zip(variables, e, strict=False):
                factors.extend([var] * power)
            coeff = z3_rational(c)
            parts.append(coeff * z3.Product(*factors) if len(factors) > 1 else coeff * factors[0] if factors else coeff)
        return parts[0] if len(parts) == 1 else z3.Sum(*parts)

    def __str__(self) -> str:
        import sympy

        return str(self.to_sympy(sympy.symbols(f"x0:{self.nvars}", real=True)))


def vector_at(polys: Sequence[Polynomial], point: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """Evaluate a vector of polynomials exactly (the point converted to FLINT once)."""
    if not polys:
        return ()
    nvars = max(p.nvars for p in polys)
    if len(point) < nvars:
        raise ValueError(f"a polynomial in {nvars} variables needs {nvars} values, not {len(point)}")
    values = [_fmpq(v) for v in point[:nvars]]
    return tuple(_fraction(p._poly(*values[: p.nvars])) for p in polys)


def any_nonzero_at(polys: Sequence[Polynomial], point: Sequence[Fraction]) -> bool:
    """Exact: some polynomial of ``polys`` is non-zero at ``point`` (``any(vector_at(polys, point))``,
    with no Fractions built).

    >>> x = Polynomial.variable(1, 0)
    >>> any_nonzero_at([x * 0, x - 1], [Fraction(1)]), any_nonzero_at([x * 0, x - 1], [Fraction(2)])
    (False, True)
    """
    if not polys:
        return False
    nvars = max(p.nvars for p in polys)
    if len(point) < nvars:
        raise ValueError(f"a polynomial in {nvars} variables needs {nvars} values, not {len(point)}")
    values = [_fmpq(v) for v in point[:nvars]]
    return any(p._poly(*values[: p.nvars]) != 0 for p in polys)
