"""Text of a rational polynomial exactly as SymPy prints it, without building SymPy expressions.

``polynomial_text(p, names)`` equals ``str(sympy.expand(p.to_sympy(symbols)))`` for symbols with
those names: terms in descending lexicographic order of their exponents over the names sorted
as strings (SymPy's default ``lex`` order), a positive constant first when the only other term
is a negative multiple of one power (``1 - x``), factors sorted by name, the coefficient as
``p*...`` over ``/q``. The test suite checks it against SymPy on random polynomials. It is
what the parameter-space reports print, at a fraction of SymPy's cost.

>>> from fractions import Fraction as F
>>> from symrelu.params.polynomial import Polynomial
>>> x, y = Polynomial.variable(2, 0), Polynomial.variable(2, 1)
>>> polynomial_text((x + y - 1) * (x - 1) * F(1, 2), ("w", "b"))
'b*w/2 - b/2 + w**2/2 - w + 1/2'
>>> polynomial_text(1 - x * F(3, 2), ("w", "b")), polynomial_text(x * 0, ("w", "b"))
('1 - 3*w/2', '0')
>>> texts = PolynomialTexts(("w", "b"))
>>> texts(x - y) is texts(y * -1 + x)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from .polynomial import Polynomial


def _rational(c: Fraction) -> str:
    return str(c.numerator) if c.denominator == 1 else f"{c.numerator}/{c.denominator}"


def _term(exponents: tuple[int, ...], c: Fraction, order: Sequence[int], names: Sequence[str]) -> str:
    factors = [names[i] if exponents[i] == 1 else f"{names[i]}**{exponents[i]}" for i in order if exponents[i]]
    if not factors:
        return _rational(c)
    sign, c = ("-", -c) if c < 0 else ("", c)
    head = ([str(c.numerator)] if c.numerator != 1 else []) + factors
    return sign + "*".join(head) + ("" if c.denominator == 1 else f"/{c.denominator}")


def polynomial_text(poly: Polynomial, names: Sequence[str]) -> str:
    """SymPy's ``str`` of the expanded polynomial in variables called ``names``."""
    terms = poly.terms
    if not terms:
        return "0"
    order = sorted(range(poly.nvars), key=lambda i: names[i])
    if len(terms) == 2:
        (e0, c0), (e1, c1) = terms  # sorted: the constant term, if any, comes first
        if not any(e0) and c0 > 0 and c1 < 0 and sum(1 for v in e1 if v) == 1:
            return _rational(c0) + " - " + _term(e1, -c1, order, names)
    ordered = sorted(terms, key=lambda t: tuple(t[0][i] for i in order), reverse=True)
    text = ""
    for exponents, c in ordered:
        part = _term(exponents, c, order, names)
        if not text:
            text = part
        elif part.startswith("-"):
            text += " - " + part[1:]
        else:
            text += " + " + part
    return text


class PolynomialTexts:
    """:func:`polynomial_text` in fixed names for many polynomials: each distinct one is printed once
    (keyed by :attr:`Polynomial.fingerprint`), and repeats share the one string."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)
        self._texts: dict[tuple[int, str], str] = {}

    def __call__(self, poly: Polynomial) -> str:
        key = (poly.nvars, poly.fingerprint)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = polynomial_text(poly, self.names)
        return text
