"""Exact Lipschitz constants of a network's output over a box.

On a region the output ``c . f`` is affine with gradient ``g = c . J``; the
Lipschitz constant for input norm ``p`` is the largest dual norm of ``g`` over
the regions: ``max |g_i|`` for p = 1, ``sum |g_i|`` for p = inf, and
``sqrt(sum g_i^2)`` for p = 2 (kept exact as its rational square). A witness
pair inside the maximising region attains the constant exactly.

>>> from symrelu import Network
>>> net = Network.from_rows([([[1, 2], [-1, 1]], [0, 0]), ([[1, 1]], [0])])
>>> result = lipschitz_constant(net, [(-1, 1), (-1, 1)], norm="2")
>>> result.constant_squared, result.constant
(Fraction(9, 1), 3)
>>> result.gradient
(Fraction(0, 1), Fraction(3, 1))
>>> lipschitz_constant(net, [(-1, 1), (-1, 1)], norm="inf").constant
3
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from .errors import InputFormatError, ShapeError
from .exact import to_rational
from .validation import check_norm, check_output

if TYPE_CHECKING:  # imported where used: `symrelu lipschitz --help` needs only symrelu.validation.NORMS
    import sympy

    from .network import Network, Pattern, Vector
    from .regions import Region


@dataclass(frozen=True)
class LipschitzResult:
    """The exact constant, the region attaining it, and a witness pair whose quotient equals it."""

    norm: str
    output: int | None
    combination: Vector
    constant: sympy.Expr
    constant_squared: Fraction
    pattern: Pattern
    gradient: Vector
    witness: tuple[Vector, Vector]
    region_count: int
    policy: str


def _dual_norm_squared(gradient: Sequence[Fraction], norm: str) -> Fraction:
    if norm == "1":
        return max(abs(g) for g in gradient) ** 2
    if norm == "inf":
        return sum((abs(g) for g in gradient), Fraction(0)) ** 2
    return sum((g * g for g in gradient), Fraction(0))


def _direction(gradient: Sequence[Fraction], norm: str) -> tuple[Fraction, ...]:
    """A rational direction along which the difference quotient equals the dual norm."""
    if norm == "1":
        k = max(range(len(gradient)), key=lambda i: abs(gradient[i]))
        return tuple(Fraction(int(i == k)) for i in range(len(gradient)))
    if norm == "inf":
        return tuple(Fraction(1 if g > 0 else (-1 if g < 0 else 0)) for g in gradient)
    return tuple(gradient)


def norm_squared(vector: Sequence[Fraction], norm: str) -> Fraction:
    """``||v||_p^2`` exactly, for p = ``"1"``, ``"2"`` or ``"inf"`` (0 for the empty vector).

    >>> v = (Fraction(3), Fraction(-4))
    >>> norm_squared(v, "1"), norm_squared(v, "2"), norm_squared(v, "inf")
    (Fraction(49, 1), Fraction(25, 1), Fraction(16, 1))
    """
    if norm == "1":
        return sum((abs(d) for d in vector), Fraction(0)) ** 2
    if norm == "inf":
        return max((abs(d) for d in vector), default=Fraction(0)) ** 2
    return sum((d * d for d in vector), Fraction(0))


def quotient_squared(net_output: Sequence[Fraction], x: Sequence[Fraction], y: Sequence[Fraction], norm: str) -> Fraction:
    """``(|c.f(x) - c.f(y)| / ||x - y||_p)^2`` for given output values ``(c.f(x), c.f(y))``."""
    length = norm_squared([a - b for a, b in zip(x, y, strict=False)], norm)
    return (net_output[0] - net_output[1]) ** 2 / length


def _witness(region: Region, gradient: Sequence[Fraction], norm: str) -> tuple[Vector, Vector]:
    start = region.interior_point
    direction = _direction(gradient, norm)
    if not any(direction):
        direction = tuple(Fraction(int(i == 0)) for i in range(len(start)))
    step = Fraction(1)
    while True:
        end = tuple(a + step * d for a, d in zip(start, direction, strict=False))
        if region.contains(end, strictly=True):
            return start, end
        step /= 2


def lipschitz_constant(
    net: Network,
    box: Sequence[Sequence[object]],
    norm: str = "2",
    output: int | None = None,
    combination: Sequence[object] | None = None,
    regions: Sequence[Region] | None = None,
) -> LipschitzResult:
    """The exact Lipschitz constant of output ``output`` (or of ``combination . f``) over ``box``.

    ``norm`` is the input norm: ``"1"``, ``"2"`` or ``"inf"``. Pass ``regions``
    to reuse an enumeration of the same network and box.
    """
    import sympy

    from .regions import enumerate_regions

    norm = check_norm(norm)
    if combination is not None:
        if output is not None:
            raise InputFormatError("give output=INDEX or combination=WEIGHTS, not both")
        if len(combination) != net.output_dim:
            raise ShapeError(f"combination has {len(combination)} entries but the network has {net.output_dim} outputs")
        weights = tuple(to_rational(c, where=f"combination entry {i}") for i, c in enumerate(combination))
    else:
        output = check_output(net, output, alternative="combination=WEIGHTS")
        weights = tuple(Fraction(int(i == output)) for i in range(net.output_dim))
    found = tuple(regions) if regions is not None else enumerate_regions(net, box)
    best: tuple[Fraction, Region, Vector] | None = None
    for region in found:
        gradient = tuple(
            sum((c * region.jacobian[k][i] for k, c in enumerate(weights)), Fraction(0)) for i in range(net.input_dim)
        )
        value = _dual_norm_squared(gradient, norm)
        if best is None or value > best[0]:
            best = (value, region, gradient)
    if best is None:  # pragma: no cover - a box always has at least one region
        raise ShapeError("the box has no region")
    squared, region, gradient = best
    root = sympy.sqrt(sympy.Rational(squared.numerator, squared.denominator))
    return LipschitzResult(
        norm=norm,
        output=output,
        combination=weights,
        constant=root,
        constant_squared=squared,
        pattern=region.pattern,
        gradient=gradient,
        witness=_witness(region, gradient, norm),
        region_count=len(found),
        policy=net.policy,
    )
