"""The property model: a disjunction of (input box, linear constraints over inputs and outputs).

A :class:`Property` describes the *unsafe* set, as VNN-LIB does: it is ``sat`` when some
input of some disjunct's box, with the network's output, satisfies every constraint of
that disjunct. Constraints are ``a·x + b·y + c <= 0`` (or ``< 0``), exact rationals.

>>> from fractions import Fraction as F
>>> c = LinearConstraint.from_names({"Y_0": F(1), "X_0": F(-2)}, F(3), strict=False, line=4)
>>> str(c), c.holds((F(1),), (F(-1),))
('-2*X_0 + Y_0 + 3 <= 0', True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..errors import InputFormatError, ShapeError
from ..exact import format_rational

Box = tuple[tuple[Fraction, Fraction], ...]


def _index(name: str) -> tuple[str, int]:
    return name[0], int(name[2:])


@dataclass(frozen=True)
class LinearConstraint:
    """``sum(coefficient * variable) + constant <= 0`` (``< 0`` when ``strict``); ``line`` in the source."""

    terms: tuple[tuple[str, Fraction], ...]
    constant: Fraction
    strict: bool
    line: int = 0

    @classmethod
    def from_names(cls, coefficients: Mapping[str, Fraction], constant: Fraction, strict: bool, line: int = 0) -> LinearConstraint:
        ordered = sorted(((k, v) for k, v in coefficients.items() if v != 0), key=lambda kv: (kv[0][0], int(kv[0][2:])))
        return cls(tuple(ordered), Fraction(constant), strict, line)

    def dense(self, inputs: int, outputs: int) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
        """Coefficient vectors on ``x`` and on ``y``."""
        x = [Fraction(0)] * inputs
        y = [Fraction(0)] * outputs
        for name, value in self.terms:
            letter, index = _index(name)
            (x if letter == "X" else y)[index] = value
        return tuple(x), tuple(y)

    def value(self, x: Sequence[Fraction], y: Sequence[Fraction]) -> Fraction:
        total = self.constant
        for name, coefficient in self.terms:
            letter, index = _index(name)
            total += coefficient * (x[index] if letter == "X" else y[index])
        return total

    def holds(self, x: Sequence[Fraction], y: Sequence[Fraction]) -> bool:
        """Exact check at a point."""
        v = self.value(x, y)
        return v < 0 if self.strict else v <= 0

    @property
    def uses_outputs(self) -> bool:
        return any(name[0] == "Y" for name, _ in self.terms)

    def __str__(self) -> str:
        text = ""
        for name, value in self.terms:
            magnitude = "" if abs(value) == 1 else f"{format_rational(abs(value))}*"
            sign = ("-" if value < 0 else "") if not text else (" - " if value < 0 else " + ")
            text += f"{sign}{magnitude}{name}"
        if self.constant or not text:
            sign = ("-" if self.constant < 0 else "") if not text else (" - " if self.constant < 0 else " + ")
            text += f"{sign}{format_rational(abs(self.constant))}"
        return f"{text} {'<' if self.strict else '<='} 0"


@dataclass(frozen=True)
class Disjunct:
    """One conjunction: the closed input box and every constraint not already exact box bounds."""

    box: Box
    constraints: tuple[LinearConstraint, ...]

    @property
    def empty_box(self) -> bool:
        return any(lo > hi for lo, hi in self.box)

    def holds(self, x: Sequence[Fraction], y: Sequence[Fraction]) -> bool:
        """Exact check that ``(x, y)`` lies in this disjunct."""
        inside = all(lo <= v <= hi for v, (lo, hi) in zip(x, self.box, strict=True))
        return inside and all(c.holds(x, y) for c in self.constraints)


@dataclass(frozen=True)
class Property:
    """The unsafe set: ``inputs`` X variables, ``outputs`` Y variables, and the disjuncts."""

    inputs: int
    outputs: int
    disjuncts: tuple[Disjunct, ...]
    source: str = "<property>"

    def check_dimensions(self, input_dim: int, output_dim: int, network: str) -> None:
        """Refuse a property that names variables the network does not have (or misses some)."""
        for letter, mine, theirs, what in (("X", self.inputs, input_dim, "inputs"), ("Y", self.outputs, output_dim, "outputs")):
            if mine > theirs:
                raise ShapeError(f"{self.source}: {letter}_{theirs} is declared, but {network} has only {theirs} {what}")
            if mine < theirs:
                raise ShapeError(f"{self.source}: declares {mine} {what} ({letter}_0..{letter}_{mine - 1}) but {network} has {theirs}")

    def holds(self, x: Sequence[Fraction], y: Sequence[Fraction]) -> int | None:
        """Index of the first disjunct that ``(x, y)`` satisfies exactly, else None."""
        for index, disjunct in enumerate(self.disjuncts):
            if disjunct.holds(x, y):
                return index
        return None


def build_disjunct(
    constraints: Sequence[LinearConstraint], inputs: int, outputs: int, source: str, declared: Mapping[str, int]
) -> Disjunct:
    """Split single-input bounds into the box; every input must be bounded on both sides."""
    del outputs
    lows: list[Fraction | None] = [None] * inputs
    highs: list[Fraction | None] = [None] * inputs
    rest: list[LinearConstraint] = []
    for constraint in constraints:
        if len(constraint.terms) == 1 and constraint.terms[0][0][0] == "X":
            name, a = constraint.terms[0]
            index = int(name[2:])
            bound = -constraint.constant / a
            if a > 0:
                highs[index] = bound if highs[index] is None else min(highs[index], bound)  # type: ignore[type-var]
            else:
                lows[index] = bound if lows[index] is None else max(lows[index], bound)  # type: ignore[type-var]
            if not constraint.strict:
                continue
        elif not constraint.terms:
            if constraint.holds((), ()):
                continue
        rest.append(constraint)
    for index in range(inputs):
        if lows[index] is None or highs[index] is None:
            side = "lower" if lows[index] is None else "upper"
            line = declared.get(f"X_{index}", 0)
            raise InputFormatError(
                f"{source} line {line}: input X_{index} has no {side} bound; every input needs a box (X_i >= lo, X_i <= hi)"
            )
    box = tuple((lo, hi) for lo, hi in zip(lows, highs, strict=True))
    return Disjunct(box, tuple(rest))  # type: ignore[arg-type]
