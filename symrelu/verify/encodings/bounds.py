"""Reading a non-negative bound that the caller gives either as itself or as its square.

Bounds such as a Lipschitz constant ``K`` or a subgradient bound ``G`` are often
irrational (``G = sqrt(2)``), so every check accepts the bound or its square and
works with the exact rational square.

>>> given_square(3, None, "G"), given_square(None, "2", "G"), given_square(None, None, "G")
(Fraction(9, 1), Fraction(2, 1), None)
"""

from __future__ import annotations

from fractions import Fraction

from ...errors import InputFormatError
from ...exact import to_rational


def given_square(value: object, square: object, name: str, required: bool = False) -> Fraction | None:
    """The exact square of the bound ``name``, from ``value`` or ``square`` (at most one may be given).

    Returns ``None`` when neither is given, unless ``required``, which makes that an error too.
    """
    if value is not None and square is not None:
        raise InputFormatError(f"give {name} or {name}_squared, not both")
    if value is None and square is None:
        if required:
            raise InputFormatError(f"give exactly one of {name} or {name}_squared")
        return None
    if value is not None:
        bound = to_rational(value, where=name)
        if bound < 0:
            raise InputFormatError(f"{name} = {bound} is negative; a bound is at least 0")
        return bound * bound
    result = to_rational(square, where=f"{name}_squared")
    if result < 0:
        raise InputFormatError(f"{name}_squared = {result} is negative")
    return result
