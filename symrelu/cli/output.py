"""Command output in one place: stable JSON for machines, readable rationals for people.

JSON (``--json``) and files always carry exact ``"p/q"`` strings. On a terminal, a rational
whose ``p/q`` is longer than ``--width`` characters is shown as a correctly rounded decimal
(exact integer arithmetic) with its exact size, unless ``--exact`` asks for every digit.

>>> from fractions import Fraction
>>> shown = Display(width=10)
>>> shown.rational(Fraction(1, 3)), shown.rational(Fraction(10**12, 7))
('1/3', '142857142857…  [exact: 13/1 digits]')
>>> shown.note()
'(… marks a correctly rounded decimal of a longer exact rational: --exact prints every digit, --json keeps them exact)'
>>> Display(exact=True).rational(Fraction(10**12, 7)), Display().note()
('1000000000000/7', None)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..exact import DISPLAY_DIGITS, DISPLAY_WIDTH, display_rational, format_rational

if TYPE_CHECKING:  # SymPy loads only when a formula is shown
    import sympy

INLINE_DIGITS = 6
"""Significant digits of a shortened coefficient inside a formula (an affine map, a vector)."""


class Display:
    """How one command run shows rationals to a person (``--width``, ``--exact``); it remembers
    whether it shortened anything, so the report can say so once."""

    def __init__(self, width: int = DISPLAY_WIDTH, exact: bool = False) -> None:
        self.width = width
        self.exact = exact
        self.shortened = False

    @classmethod
    def from_args(cls, args: Any) -> Display:
        """The display chosen by the shared ``--width``/``--exact`` flags (defaults when absent)."""
        return cls(getattr(args, "width", None) or DISPLAY_WIDTH, bool(getattr(args, "exact", False)))

    def rational(self, value: Fraction | int | str, size: bool = True, digits: int = DISPLAY_DIGITS) -> str:
        """``value`` (a rational or its ``"p/q"`` text) as a person should read it."""
        value = Fraction(value) if not isinstance(value, str) else _from_text(value)
        text = display_rational(value, self.width, self.exact, size, digits)
        if text != format_rational(value):
            self.shortened = True
        return text

    def vector(self, values: Sequence[Fraction | int | str], size: bool = False) -> str:
        """``"a, b, c"`` with each entry shown by :meth:`rational` (no size suffix by default)."""
        return ", ".join(self.rational(v, size, INLINE_DIGITS) for v in values)

    def affine(self, row: Sequence[Fraction], offset: Fraction, symbols: Sequence[sympy.Symbol]) -> str:
        """``a·x + c`` as SymPy prints it when every coefficient is short, else with decimals."""
        if self.exact or all(display_rational(Fraction(v), self.width) == format_rational(Fraction(v)) for v in (*row, offset)):
            import sympy

            rational = lambda v: sympy.Rational(v.numerator, v.denominator)  # noqa: E731
            return str(sum((rational(a) * x for a, x in zip(row, symbols, strict=True)), rational(offset)))
        terms = [f"{self.rational(a, False, INLINE_DIGITS)}*{x}" for a, x in zip(row, symbols, strict=True) if a != 0]
        if offset != 0 or not terms:
            terms.append(self.rational(offset, False, INLINE_DIGITS))
        return " + ".join(terms).replace("+ -", "- ")

    def expression(self, expr: sympy.Expr) -> str:
        """``str(expr)`` with every long rational shown as in :meth:`rational` (inline digits).

        >>> import sympy
        >>> x = sympy.Symbol("x")
        >>> Display(width=8).expression(sympy.Rational(10**12, 7) * x + sympy.Rational(1, 2))
        '1e+12*x/7 + 1/2'
        """
        if self.exact:
            return str(expr)
        from sympy.printing.str import StrPrinter

        display = self

        class _Printer(StrPrinter):
            def _print_Rational(self, value: sympy.Rational) -> str:
                return display.rational(Fraction(int(value.p), int(value.q)), False, INLINE_DIGITS)

            def _print_Integer(self, value: sympy.Integer) -> str:
                return display.rational(Fraction(int(value.p)), False, INLINE_DIGITS)

        return _Printer().doprint(expr)

    def note(self) -> str | None:
        """The one-line legend for shortened values, or ``None`` when nothing was shortened."""
        if not self.shortened:
            return None
        return "(… marks a correctly rounded decimal of a longer exact rational: --exact prints every digit, --json keeps them exact)"


def _from_text(text: str) -> Fraction:
    from ..exact import parse_rational

    return parse_rational(text)


def emit_json(payload: Any) -> None:
    """Write ``payload`` as JSON with sorted keys (stable, diffable) to stdout, streamed: a large
    document (a 6 x 6 landscape prints about a gigabyte) is never held as one string."""
    json.dump(payload, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


def emit_text(text: str) -> None:
    """Write a report to stdout (reports are the command's product, not log lines)."""
    sys.stdout.write(text.rstrip("\n") + "\n")
