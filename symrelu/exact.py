"""The one door from floats and text to exact rationals, and back to text.

Everything after the loaders is a :class:`fractions.Fraction` (or a SymPy
symbol standing for a trainable parameter). Two conversion policies exist for
floats read from files:

* ``"exact"`` (default): the float's exact binary value, faithful to the file;
* ``"decimal"``: the shortest decimal that prints the float, as a person typed it.

>>> to_rational(0.1)
Fraction(3602879701896397, 36028797018963968)
>>> to_rational(0.1, policy="decimal")
Fraction(1, 10)
>>> to_rational(np.float16(0.1), policy="decimal"), to_rational(np.float32(0.1))
(Fraction(1, 10), Fraction(13421773, 134217728))
>>> to_rational("3/4"), to_rational("1.25"), to_rational(2)
(Fraction(3, 4), Fraction(5, 4), Fraction(2, 1))
>>> format_rational(Fraction(6, 8)), format_rational(Fraction(3))
('3/4', '3')
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Literal, Union

import numpy as np

from .errors import InputFormatError, NonFiniteError

Policy = Literal["exact", "decimal"]
POLICIES: tuple[str, ...] = ("exact", "decimal")
RationalLike = Union[Fraction, int, float, str, np.floating, np.integer]

_RATIONAL_TEXT = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(\s*/\s*[+-]?\d+)?\s*$")


def check_policy(policy: str) -> Policy:
    """Return ``policy`` if it is a known float conversion policy, else raise."""
    if policy not in POLICIES:
        raise InputFormatError(
            f"unknown float conversion policy {policy!r}; use one of {', '.join(POLICIES)}"
        )
    return policy  # type: ignore[return-value]


def _float_to_rational(value: float | np.floating, policy: Policy, where: str) -> Fraction:
    """Exact binary value, or the shortest decimal that prints ``value`` in its own width."""
    if not math.isfinite(float(value)) or (isinstance(value, np.floating) and not np.isfinite(value)):
        raise NonFiniteError(f"{where}: value {value} is not finite; weights must be finite numbers")
    if policy == "exact":
        return Fraction(*value.as_integer_ratio())
    typed = value if isinstance(value, np.floating) else np.float64(value)
    return Fraction(np.format_float_positional(typed, unique=True, trim="-"))


def to_rational(value: object, policy: str = "exact", where: str = "value") -> Fraction:
    """Convert an int, float, numpy scalar or text such as ``"3/4"`` to a Fraction.

    ``where`` names the culprit in error messages (file, layer, index).
    """
    policy = check_policy(policy)
    if isinstance(value, bool):
        raise InputFormatError(f"{where}: {value!r} is a boolean, not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)):
        return _float_to_rational(value, policy, where)
    if isinstance(value, str):
        return parse_rational(value, where)
    raise InputFormatError(f"{where}: {value!r} is not a number (expected int, float or text like '3/4')")


def parse_rational(text: str, where: str = "value") -> Fraction:
    """Parse ``"3/4"``, ``"-1.25"``, ``"1e-3"`` or ``"7"`` exactly; refuse anything else."""
    lowered = text.strip().lower()
    if lowered in {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}:
        raise NonFiniteError(f"{where}: {text!r} is not finite; weights must be finite numbers")
    if not _RATIONAL_TEXT.match(text):
        raise InputFormatError(f"{where}: {text!r} is not a rational number (write e.g. '3/4' or '1.25')")
    if "/" in text:
        num, den = text.split("/")
        denominator = Fraction(den.strip())
        if denominator == 0:
            raise InputFormatError(f"{where}: {text!r} divides by zero")
        return Fraction(num.strip()) / denominator
    return Fraction(text.strip())


def format_rational(value: Fraction | int) -> str:
    """Print a rational as ``"p/q"`` or ``"p"``: the JSON form used everywhere."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def format_vector(values: Iterable[Fraction]) -> list[str]:
    """Format a sequence of rationals as a list of strings."""
    return [format_rational(v) for v in values]


def format_matrix(rows: Iterable[Sequence[Fraction]]) -> list[list[str]]:
    """Format a matrix (sequence of rows) of rationals as nested lists of strings."""
    return [format_vector(row) for row in rows]


def parse_point(text: str, where: str = "point") -> tuple[Fraction, ...]:
    """Parse ``"1/2,-1"`` into a tuple of rationals."""
    parts = [p for p in text.split(",")]
    if not text.strip() or any(not p.strip() for p in parts):
        raise InputFormatError(f"{where}: {text!r} is not a comma-separated list of rationals")
    return tuple(parse_rational(p, f"{where} entry {i}") for i, p in enumerate(parts))


def parse_box(text: str, where: str = "--box") -> tuple[tuple[Fraction, Fraction], ...]:
    """Parse ``"-1:1,0:1/2"`` into ((lo, hi), ...) pairs (not yet validated)."""
    intervals = []
    for i, part in enumerate(text.split(",")):
        bounds = part.split(":")
        if len(bounds) != 2:
            raise InputFormatError(f"{where}: interval {i} {part!r} must be written LO:HI, e.g. -1:1")
        intervals.append(
            (parse_rational(bounds[0], f"{where} interval {i} low"), parse_rational(bounds[1], f"{where} interval {i} high"))
        )
    return tuple(intervals)


def rational_sqrt_text(square: Fraction) -> str:
    """A short decimal of ``sqrt(square)`` for display only (never used to decide)."""
    return f"{math.sqrt(float(square)):.12g}"
