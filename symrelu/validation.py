"""Argument checks shared by every stage: boxes, intervals, output indices, norms and counts.

One rule for boxes. A box is a product of closed intervals ``[lo, hi]`` with
exact rational ends, one per input, and it must not be empty: ``lo <= hi``.
Whether a single-point interval (``lo == hi``) is usable depends on the
analysis, so the caller says which it is:

- ``interior=True`` (the default): analyses built on full-dimensional regions
  (region enumeration, exact Lipschitz constants, Clarke sets over regions,
  kinks between regions) need ``lo < hi`` in every interval; a degenerate
  box would have no region with an interior, so it is refused with a
  :class:`~symrelu.errors.DomainError` that says why.
- ``interior=False``: analyses over the closed box itself (the direct SMT
  encodings, branch and bound on a property) answer a degenerate box exactly,
  so a single point is accepted.

Messages name a Python argument as ``name=VALUE`` (``output=INDEX``); the
command line shows the same token as its flag (``--output INDEX``).

>>> check_box(2, [(-1, "1/2"), (0, 1)])
((Fraction(-1, 1), Fraction(1, 2)), (Fraction(0, 1), Fraction(1, 1)))
>>> check_box(1, [(0, 0)], interior=False)
((Fraction(0, 1), Fraction(0, 1)),)
>>> check_box(1, [(0, 0)])
Traceback (most recent call last):
...
symrelu.errors.DomainError: box interval 0 [0, 0] is a single point; this analysis works on full-dimensional regions and needs low < high in every interval
>>> check_box(1, [(1, 0)], interior=False)
Traceback (most recent call last):
...
symrelu.errors.DomainError: box interval 0 [1, 0] is empty (low > high); write each interval as low, high with low <= high
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Literal, Protocol

from .errors import DomainError, InputFormatError, ShapeError, SymreluError
from .exact import format_rational, to_rational

Interval = tuple[Fraction, Fraction]
Box = tuple[Interval, ...]
Norm = Literal["1", "2", "inf"]
NORMS: tuple[Norm, ...] = ("1", "2", "inf")
"""The input-space p-norms every Lipschitz analysis accepts."""


class HasInputs(Protocol):
    """Anything with an input dimension (a :class:`~symrelu.network.Network`)."""

    @property
    def input_dim(self) -> int: ...


class HasOutputs(Protocol):
    """Anything with an output dimension and a name (a :class:`~symrelu.network.Network`)."""

    @property
    def output_dim(self) -> int: ...

    @property
    def source(self) -> str: ...


def check_interval(lo: object, hi: object, what: str = "interval", *, interior: bool = True) -> Interval:
    """``(lo, hi)`` as exact rationals: never empty; a single point only when ``interior`` is False.

    >>> check_interval("-1/2", 2)
    (Fraction(-1, 2), Fraction(2, 1))
    """
    low = to_rational(lo, where=f"{what} low")
    high = to_rational(hi, where=f"{what} high")
    shown = f"[{format_rational(low)}, {format_rational(high)}]"
    if low > high:
        raise DomainError(f"{what} {shown} is empty (low > high); write each interval as low, high with low <= high")
    if interior and low == high:
        raise DomainError(
            f"{what} {shown} is a single point; this analysis works on full-dimensional regions "
            "and needs low < high in every interval"
        )
    return low, high


def check_box(net: HasInputs | int, box: Sequence[Sequence[object]], what: str = "box", *, interior: bool = True) -> Box:
    """Validate ``box`` for ``net`` (or for that many inputs); return its exact bounds.

    One ``(lo, hi)`` pair per input, ends read by :func:`symrelu.exact.to_rational`,
    ``lo <= hi``, and ``lo < hi`` when ``interior`` (see the module text).
    """
    inputs = net if isinstance(net, int) else net.input_dim
    if isinstance(box, (str, bytes)) or not isinstance(box, Sequence):
        raise InputFormatError(f"{what} must be a sequence of (low, high) pairs, got {box!r}")
    if len(box) != inputs:
        raise ShapeError(f"{what} has {len(box)} intervals but the network takes {inputs} inputs")
    bounds = []
    for i, pair in enumerate(box):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ShapeError(f"{what} interval {i} must be a (low, high) pair, got {pair!r}")
        bounds.append(check_interval(pair[0], pair[1], f"{what} interval {i}", interior=interior))
    return tuple(bounds)


def is_degenerate(bounds: Sequence[Interval]) -> bool:
    """Whether some interval of a checked box is a single point.

    >>> is_degenerate(check_box(2, [(0, 1), (2, 2)], interior=False))
    True
    """
    return any(lo == hi for lo, hi in bounds)


def check_output(net: HasOutputs, output: object, alternative: str = "") -> int:
    """The output index to analyse: ``output`` itself, or 0 for a one-output network.

    ``alternative`` names another way to choose (``"combination=WEIGHTS"``) for the message.

    >>> from symrelu import Network
    >>> net = Network.from_rows([([[1]], [0]), ([[1], [2]], [0, 0])])
    >>> check_output(net, 1)
    1
    >>> check_output(net, None)
    Traceback (most recent call last):
    ...
    symrelu.errors.ShapeError: <memory> has 2 outputs; choose one with output=INDEX
    """
    if output is None:
        if net.output_dim != 1:
            extra = f" or give {alternative}" if alternative else ""
            raise ShapeError(f"{net.source} has {net.output_dim} outputs; choose one with output=INDEX{extra}")
        return 0
    if isinstance(output, bool) or not isinstance(output, int):
        raise InputFormatError(f"output={output!r} must be an integer index")
    if not 0 <= output < net.output_dim:
        raise ShapeError(f"output={output} does not exist; {net.source} has outputs 0..{net.output_dim - 1}")
    return output


def check_norm(norm: object) -> Norm:
    """Accept 1, 2, "1", "2", "inf" (any case, spaces ignored) as the input-space p-norm.

    >>> check_norm(2), check_norm(" INF ")
    ('2', 'inf')
    """
    text = str(norm).strip().lower()
    for name in NORMS:
        if text == name:
            return name
    raise InputFormatError(f"norm={norm!r} is not supported; use 1, 2 or inf")


def check_relu_grad_at_zero(value: object) -> Fraction:
    """The value backpropagation uses for relu'(0): a rational in [0, 1] (the Clarke interval of ReLU at 0).

    >>> check_relu_grad_at_zero("1/2")
    Fraction(1, 2)
    >>> check_relu_grad_at_zero(2)
    Traceback (most recent call last):
    ...
    symrelu.errors.DomainError: relu_grad_at_zero=2 must lie in [0, 1]
    """
    s = to_rational(value, where="relu_grad_at_zero")
    if not 0 <= s <= 1:
        raise DomainError(f"relu_grad_at_zero={format_rational(s)} must lie in [0, 1]")
    return s


def check_count(
    value: object, name: str, low: int = 1, high: int | None = None, error: type[SymreluError] = InputFormatError
) -> int:
    """A whole number in ``low..high`` (a budget, a job count, a step count), else ``error``.

    >>> check_count(4, "jobs")
    4
    >>> check_count(0, "jobs")
    Traceback (most recent call last):
    ...
    symrelu.errors.InputFormatError: jobs=0 must be a whole number of at least 1
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        span = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise error(f"{name}={value!r} must be a whole number {span}")
    return value
