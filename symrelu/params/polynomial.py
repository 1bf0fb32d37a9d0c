"""A small exact multivariate polynomial over ℚ, fast enough for enumeration loops.

SymPy is used only to display results; arithmetic, evaluation and derivatives
here are plain :class:`fractions.Fraction` dictionaries.

>>> from fractions import Fraction as F
>>> x, y = Polynomial.variable(2, 0), Polynomial.variable(2, 1)
>>> p = (x + y - 1) * (x + y - 1) * F(1, 2)
>>> p((F(1), F(1))), p.degree, [str(g) for g in p.gradient()]
(Fraction(1, 2), 2, ['x0 + x1 - 1', 'x0 + x1 - 1'])
>>> (x * 0).is_zero, Polynomial.constant(2, 3).is_constant
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Union

import sympy
import z3

Exponents = tuple[int, ...]
Scalar = Union[Fraction, int]


@dataclass(frozen=True)
class Polynomial:
    """``Σ c · θ^e`` with rational ``c``; ``terms`` is sorted and has no zero coefficient."""

    nvars: int
    terms: tuple[tuple[Exponents, Fraction], ...] = ()

    # -------------------------------------------------------------- building
    @classmethod
    def from_dict(cls, nvars: int, coeffs: Mapping[Exponents, Fraction]) -> "Polynomial":
        return cls(nvars, tuple(sorted((e, Fraction(c)) for e, c in coeffs.items() if c != 0)))

    @classmethod
    def constant(cls, nvars: int, value: Scalar) -> "Polynomial":
        return cls.from_dict(nvars, {(0,) * nvars: Fraction(value)})

    @classmethod
    def variable(cls, nvars: int, index: int) -> "Polynomial":
        return cls.from_dict(nvars, {tuple(int(i == index) for i in range(nvars)): Fraction(1)})

    def _lift(self, other: "Polynomial | Scalar") -> "Polynomial":
        return other if isinstance(other, Polynomial) else Polynomial.constant(self.nvars, other)

    # ------------------------------------------------------------ arithmetic
    def __add__(self, other: "Polynomial | Scalar") -> "Polynomial":
        other = self._lift(other)
        acc = dict(self.terms)
        for e, c in other.terms:
            acc[e] = acc.get(e, Fraction(0)) + c
        return Polynomial.from_dict(self.nvars, acc)

    __radd__ = __add__

    def __neg__(self) -> "Polynomial":
        return Polynomial(self.nvars, tuple((e, -c) for e, c in self.terms))

    def __sub__(self, other: "Polynomial | Scalar") -> "Polynomial":
        return self + (-self._lift(other))

    def __rsub__(self, other: "Polynomial | Scalar") -> "Polynomial":
        return self._lift(other) - self

    def __mul__(self, other: "Polynomial | Scalar") -> "Polynomial":
        if not isinstance(other, Polynomial):
            value = Fraction(other)
            return Polynomial.from_dict(self.nvars, {e: c * value for e, c in self.terms})
        acc: dict[Exponents, Fraction] = {}
        for e1, c1 in self.terms:
            for e2, c2 in other.terms:
                e = tuple(a + b for a, b in zip(e1, e2))
                acc[e] = acc.get(e, Fraction(0)) + c1 * c2
        return Polynomial.from_dict(self.nvars, acc)

    __rmul__ = __mul__

    # -------------------------------------------------------------- analysis
    @property
    def is_zero(self) -> bool:
        return not self.terms

    @property
    def degree(self) -> int:
        """Total degree; the zero polynomial has degree -1."""
        return max((sum(e) for e, _ in self.terms), default=-1)

    @property
    def is_constant(self) -> bool:
        return self.degree <= 0

    def diff(self, index: int) -> "Polynomial":
        acc: dict[Exponents, Fraction] = {}
        for e, c in self.terms:
            if e[index]:
                lowered = e[:index] + (e[index] - 1,) + e[index + 1 :]
                acc[lowered] = acc.get(lowered, Fraction(0)) + c * e[index]
        return Polynomial.from_dict(self.nvars, acc)

    def gradient(self) -> tuple["Polynomial", ...]:
        return tuple(self.diff(k) for k in range(self.nvars))

    def hessian(self) -> tuple[tuple["Polynomial", ...], ...]:
        return tuple(tuple(g.diff(k) for k in range(self.nvars)) for g in self.gradient())

    def __call__(self, point: Sequence[Fraction]) -> Fraction:
        """Exact value at a rational point."""
        total = Fraction(0)
        for e, c in self.terms:
            term = c
            for value, power in zip(point, e):
                if power:
                    term *= value**power
            total += term
        return total

    # ------------------------------------------------------------ conversion
    def to_sympy(self, symbols: Sequence[sympy.Symbol]) -> sympy.Expr:
        return sympy.Add(
            *(
                sympy.Rational(c.numerator, c.denominator) * sympy.Mul(*(s**p for s, p in zip(symbols, e)))
                for e, c in self.terms
            )
        )

    def to_z3(self, variables: Sequence[z3.ArithRef]) -> z3.ArithRef:
        if not self.terms:
            return z3.RealVal(0)
        parts = []
        for e, c in self.terms:
            factors: list[z3.ArithRef] = []
            for var, power in zip(variables, e):
                factors.extend([var] * power)
            coeff = z3.Q(c.numerator, c.denominator)
            parts.append(coeff * z3.Product(*factors) if len(factors) > 1 else coeff * factors[0] if factors else coeff)
        return parts[0] if len(parts) == 1 else z3.Sum(*parts)

    def __str__(self) -> str:
        return str(self.to_sympy(sympy.symbols(f"x0:{self.nvars}", real=True)))


def vector_at(polys: Sequence[Polynomial], point: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """Evaluate a vector of polynomials exactly."""
    return tuple(p(point) for p in polys)
