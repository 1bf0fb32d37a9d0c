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
>>> import numpy as np
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
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from .errors import InputFormatError, NonFiniteError

Policy = Literal["exact", "decimal"]
POLICIES: tuple[str, ...] = ("exact", "decimal")
if TYPE_CHECKING:  # numpy loads only when a numpy scalar is converted
    import numpy as np

    RationalLike = Fraction | int | float | str | np.floating | np.integer

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
    import numpy as np

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
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return _float_to_rational(value, policy, where)
    if isinstance(value, str):
        return parse_rational(value, where)
    import numpy as np

    if isinstance(value, np.integer):
        return Fraction(int(value))
    if isinstance(value, np.floating):
        return _float_to_rational(value, policy, where)
    raise InputFormatError(f"{where}: {value!r} is not a number (expected int, float or text like '3/4')")


def z3_rational(value: Fraction | int, context: Any = None) -> Any:
    """The exact Z3 numeral for a rational (made from ``"p/q"`` text, in ``context`` if given).

    The one place a Z3 rational is made: a float is refused, never rounded
    (``z3.RealVal(0.1)`` would silently read the decimal 1/10).

    >>> z3_rational(Fraction(-3, 4)).sexpr(), z3_rational(2).sexpr()
    ('(- (/ 3.0 4.0))', '2.0')
    >>> z3_rational(0.5)
    Traceback (most recent call last):
    ...
    symrelu.errors.InputFormatError: 0.5 is not an exact rational; convert it with symrelu.exact.to_rational first
    """
    import z3

    if isinstance(value, bool) or not isinstance(value, (Fraction, int)):
        raise InputFormatError(f"{value!r} is not an exact rational; convert it with symrelu.exact.to_rational first")
    value = Fraction(value)
    return z3.RealVal(f"{value.numerator}/{value.denominator}", context)


MAX_NUMBER_DIGITS = 100_000
"""Longest digit string, and largest decimal exponent, accepted in one number (bounds time and memory)."""

_NUMBER_PART = re.compile(r"^\s*([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?\s*$")


def _decimal_text_to_fraction(text: str, where: str) -> Fraction:
    """``"-1.25e3"`` exactly, for any number of digits (Python's ``int(str)`` stops at 4300)."""
    match = _NUMBER_PART.match(text)
    if match is None:  # pragma: no cover - the caller matched _RATIONAL_TEXT already
        raise InputFormatError(f"{where}: {text!r} is not a rational number")
    sign, whole, fraction, exponent = match.groups()
    if len(whole) + len(fraction) > MAX_NUMBER_DIGITS or (exponent and len(exponent.lstrip("+-")) > 6):
        raise InputFormatError(f"{where}: a number with more than {MAX_NUMBER_DIGITS} digits is too large to read")
    power = (int(exponent) if exponent else 0) - len(fraction)
    if abs(power) > MAX_NUMBER_DIGITS:
        raise InputFormatError(
            f"{where}: exponent {power:+d} is beyond ±{MAX_NUMBER_DIGITS}; such a number is too large to read"
        )
    digits = Decimal(f"{sign}{whole or 0}{fraction}")  # exact at any length, unlike int(str)
    value = Fraction(int(digits))
    return value * 10**power if power >= 0 else value / 10 ** (-power)


def parse_rational(text: str, where: str = "value") -> Fraction:
    """Parse ``"3/4"``, ``"-1.25"``, ``"1e-3"`` or ``"7"`` exactly; refuse anything else.

    Numbers of any length up to :data:`MAX_NUMBER_DIGITS` digits are read exactly:

    >>> parse_rational("1e400") == 10**400, parse_rational("9" * 5000) == 10**5000 - 1
    (True, True)
    >>> parse_rational("1e999999")
    Traceback (most recent call last):
    ...
    symrelu.errors.InputFormatError: value: exponent +999999 is beyond ±100000; such a number is too large to read
    """
    lowered = text.strip().lower()
    if lowered in {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}:
        raise NonFiniteError(f"{where}: {text!r} is not finite; weights must be finite numbers")
    if not _RATIONAL_TEXT.match(text):
        raise InputFormatError(f"{where}: {text!r} is not a rational number (write e.g. '3/4' or '1.25')")
    if "/" in text:
        num, den = text.split("/")
        denominator = _decimal_text_to_fraction(den, where)
        if denominator == 0:
            raise InputFormatError(f"{where}: {text!r} divides by zero")
        return _decimal_text_to_fraction(num, where) / denominator
    return _decimal_text_to_fraction(text, where)


def integer_text(value: int) -> str:
    """Decimal digits of ``value`` at any size (``str`` refuses more than 4300 digits).

    >>> len(integer_text(10**5000)), integer_text(-12)
    (5001, '-12')
    """
    if value.bit_length() < 14_000:
        return str(value)
    return format(Decimal(value), "f")


def decimal_digits(value: int) -> int:
    """Number of decimal digits of ``|value|`` (1 for 0), without converting to text.

    >>> decimal_digits(0), decimal_digits(-999), decimal_digits(1000), decimal_digits(10**5000)
    (1, 3, 4, 5001)
    """
    value = abs(value)
    estimate = max(1, int(value.bit_length() * 0.30102999566398))  # never above the true count
    while 10**estimate <= value:
        estimate += 1
    return estimate


def format_rational(value: Fraction | int) -> str:
    """Print a rational as ``"p/q"`` or ``"p"``: the JSON form used everywhere."""
    value = Fraction(value)
    numerator = integer_text(value.numerator)
    return numerator if value.denominator == 1 else f"{numerator}/{integer_text(value.denominator)}"


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


def parse_box(text: str, where: str = "box") -> tuple[tuple[Fraction, Fraction], ...]:
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


def _round_half_even(numerator: int, denominator: int) -> int:
    """The integer nearest ``numerator / denominator`` (``denominator > 0``), ties to even."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    return quotient


def _decimal_exponent(value: Fraction) -> int:
    """``e`` with ``10**e <= |value| < 10**(e+1)`` (``value != 0``), in integers."""
    value = abs(value)
    exponent = decimal_digits(value.numerator) - decimal_digits(value.denominator)
    while Fraction(10) ** exponent > value:
        exponent -= 1
    while Fraction(10) ** (exponent + 1) <= value:
        exponent += 1
    return exponent


def _scientific_digits(value: Fraction, significant: int) -> tuple[int, int, bool]:
    """``(m, e, exact)`` with ``m`` of ``significant`` digits and ``|value| ~ m * 10**(e - significant + 1)``,
    correctly rounded (half to even); ``exact`` says whether nothing was rounded away."""
    exponent = _decimal_exponent(value)
    shift = significant - 1 - exponent
    scaled = abs(value) * Fraction(10) ** shift
    mantissa = _round_half_even(scaled.numerator, scaled.denominator)
    if mantissa == 10**significant:  # 9.99... rounded up to 10.0...
        mantissa //= 10
        exponent += 1
    return mantissa, exponent, mantissa == abs(value) * Fraction(10) ** (significant - 1 - exponent)


def _place_point(sign: str, mantissa: int, exponent: int, significant: int, marker: str) -> str:
    """Digits ``mantissa`` (``significant`` of them) with the decimal point after digit ``exponent + 1``."""
    digits = str(mantissa).rjust(significant, "0")
    if -5 <= exponent < significant:
        if exponent < 0:
            text = "0." + "0" * (-exponent - 1) + digits
        else:
            whole, frac = digits[: exponent + 1], digits[exponent + 1 :]
            text = whole + ("." + frac if frac else "")
        if "." in text and not marker:
            text = text.rstrip("0").rstrip(".")
        return f"{sign}{text}{marker}"
    frac = digits[1:].rstrip("0") if not marker else digits[1:]
    return f"{sign}{digits[0]}{'.' + frac if frac else ''}{marker}e{exponent:+d}"


def decimal_text(value: Fraction | int, significant: int = 12) -> str:
    """``value`` correctly rounded to ``significant`` digits (exact integer arithmetic, no float);
    a trailing ``…`` says that digits were rounded away.

    >>> decimal_text(Fraction(1, 3), 6), decimal_text(Fraction(1, 4)), decimal_text(Fraction(-2, 3), 3)
    ('0.333333…', '0.25', '-0.667…')
    >>> decimal_text(Fraction(10**400 + 1, 3), 4), decimal_text(Fraction(1, 7 * 10**20), 3), decimal_text(0)
    ('3.333…e+399', '1.43…e-21', '0')
    >>> decimal_text(Fraction(99995, 100000), 4)  # 0.99995 rounds half to even: up to 1.000
    '1.000…'
    """
    value = Fraction(value)
    if value == 0:
        return "0"
    mantissa, exponent, exact = _scientific_digits(value, significant)
    return _place_point("-" if value < 0 else "", mantissa, exponent, significant, "" if exact else "…")


DISPLAY_WIDTH = 32
"""Rationals whose ``p/q`` text is longer than this are shown on a terminal as a rounded decimal."""
DISPLAY_DIGITS = 12
"""Significant digits of that decimal."""


def exact_size(value: Fraction | int) -> str:
    """``"212/401 digits"``: how long the exact ``p/q`` is.

    >>> exact_size(Fraction(10**30, 7)), exact_size(10**40)
    ('31/1 digits', '41 digits')
    """
    value = Fraction(value)
    top = decimal_digits(value.numerator)
    return f"{top} digits" if value.denominator == 1 else f"{top}/{decimal_digits(value.denominator)} digits"


def display_rational(
    value: Fraction | int, width: int = DISPLAY_WIDTH, exact: bool = False, size: bool = True, digits: int = DISPLAY_DIGITS
) -> str:
    """A rational for a person: ``p/q`` when it fits ``width`` (or ``exact``), else a correctly
    rounded decimal of ``digits`` significant digits, followed by the exact size unless ``size`` is
    false. JSON never uses this.

    >>> display_rational(Fraction(3, 4))
    '3/4'
    >>> display_rational(Fraction(2**100, 3**70))
    '0.000506421034450…  [exact: 31/34 digits]'
    >>> display_rational(Fraction(2**100, 3**70), size=False), display_rational(Fraction(2**100, 3**70), exact=True)[:12]
    ('0.000506421034450…', '126765060022')
    """
    value = Fraction(value)
    if exact or (decimal_digits(value.numerator) + decimal_digits(value.denominator) + 2 <= width and len(format_rational(value)) <= width):
        return format_rational(value)
    shown = decimal_text(value, digits)
    return f"{shown}  [exact: {exact_size(value)}]" if size else shown


def _isqrt_rounded(square: Fraction) -> int:
    """The integer nearest ``sqrt(square)`` (``square >= 0``), exactly."""
    floor = math.isqrt(square.numerator // square.denominator)
    return floor + 1 if square >= Fraction(4 * floor * floor + 4 * floor + 1, 4) else floor


def rational_sqrt_text(square: Fraction | int, significant: int = 12) -> str:
    """``sqrt(square)`` correctly rounded to ``significant`` digits, for display only (never used to
    decide); exact integer arithmetic at any size (no ``float``, which overflows beyond 1e308).

    >>> rational_sqrt_text(Fraction(2)), rational_sqrt_text(Fraction(9, 4)), rational_sqrt_text(Fraction(10**616))
    ('1.41421356237', '1.5', '1e+308')
    """
    square = Fraction(square)
    if square < 0:
        raise ValueError("square must be non-negative")
    if square == 0:
        return "0"
    exponent = _decimal_exponent(square) // 2  # 10**exponent <= sqrt(square) < 10**(exponent + 1)
    shift = significant - 1 - exponent
    mantissa = _isqrt_rounded(square * Fraction(100) ** shift)
    if mantissa == 10**significant:
        mantissa //= 10
        exponent += 1
        shift -= 1
    text = _place_point("", mantissa, exponent, significant, "")
    return text
