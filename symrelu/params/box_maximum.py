"""The exact maximum of a polynomial over a semi-algebraic region inside a box, by exact branch and bound.

The box is split (widest side, at its midpoint) until every leaf box is settled by an exact
Bernstein enclosure (:func:`~symrelu.params.bernstein.enclose`): either some region constraint
is provably negative on the whole box (the box misses the closed region), or the polynomial's
enclosure is at most the best value found so far at a point of the closed region. The best
value is only ever a value at an exactly checked point (a box vertex where the enclosure's top
coefficient is attained), so the result is the exact maximum, attained there; ``max_boxes``
bounds the work deterministically (then :attr:`BoxMaximum.value` is None).

>>> from fractions import Fraction as F
>>> from symrelu.params.polynomial import Polynomial
>>> x, y = Polynomial.variable(2, 0), Polynomial.variable(2, 1)
>>> found = box_maximum(x * x * y, [(x - y, 1)], ((F(-1), F(1)), (F(-1), F(1))))   # on x >= y
>>> found.value, found.point, found.settled
(Fraction(1, 1), (Fraction(1, 1), Fraction(1, 1)), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import TYPE_CHECKING

from .bernstein import Box, enclose
from .polynomial import Polynomial

if TYPE_CHECKING:
    from .landscape import ParameterRegion

Point = tuple[Fraction, ...]
Constraint = tuple[Polynomial, int]
"""``(p, sign)``: the closed region requires ``sign * p >= 0``."""

DEFAULT_MAX_BOXES = 5_000
"""Boxes examined per region before giving up (a deterministic budget)."""


@dataclass(frozen=True)
class Leaf:
    """A settled box: ``missed`` names the constraint index proving the box misses the closed region,
    else ``bound`` is the enclosure's upper bound of the polynomial there (``<=`` the maximum)."""

    box: tuple[tuple[Fraction, Fraction], ...]
    missed: int | None
    bound: Fraction | None


@dataclass(frozen=True)
class BoxMaximum:
    """The best value found at a point of (closed region ∩ box), attained at ``point`` (None: no such
    point found); ``settled`` False when ``max_boxes`` ran out before every box was settled."""

    value: Fraction | None
    point: Point | None
    leaves: tuple[Leaf, ...]
    boxes: int
    settled: bool


def region_constraints(region: ParameterRegion) -> list[Constraint]:
    """A parameter region's constraints as ``(p, sign)``: its closure is ``sign * p >= 0`` for each."""
    return [(p, sign) for _, p, sign in region.constraints]


def in_closed_region(point: Point, constraints: Sequence[Constraint]) -> bool:
    return all(sign * p(point) >= 0 for p, sign in constraints)


def _corners(box: Box) -> list[Point]:
    return [tuple(c) for c in product(*((lo,) if lo == hi else (lo, hi) for lo, hi in box))]


def box_maximum(
    poly: Polynomial,
    constraints: Sequence[Constraint],
    box: Box,
    max_boxes: int = DEFAULT_MAX_BOXES,
    start: Fraction | None = None,
) -> BoxMaximum:
    """The exact max of ``poly`` over ``{sign * p >= 0 for each constraint} ∩ box`` (see the module).

    ``start``: a value attained elsewhere; boxes where ``poly <= start`` need no further work. When
    settled, every point of the closed region in the box has ``poly <= max(value, start)``, and
    ``value`` (attained at ``point``) is the region's exact maximum whenever it is ``>= start``.
    """
    best: Fraction | None = None
    point: Point | None = None
    for corner in _corners(box):  # an early candidate: the box's own vertices in the region
        if in_closed_region(corner, constraints):
            value = poly(corner)
            if best is None or value > best:
                best, point = value, corner
    floor = best if start is None or (best is not None and best >= start) else start
    stack: list[tuple[tuple[Fraction, Fraction], ...]] = [tuple(box)]
    leaves: list[Leaf] = []
    boxes = 0
    while stack:
        if boxes >= max_boxes:
            return BoxMaximum(best, point, tuple(leaves), boxes, False)
        current = stack.pop()
        boxes += 1
        missed = next((k for k, (p, sign) in enumerate(constraints) if enclose(p * sign, current).high < 0), None)
        if missed is not None:
            leaves.append(Leaf(current, missed, None))
            continue
        enc = enclose(poly, current)
        if floor is not None and enc.high <= floor:
            leaves.append(Leaf(current, None, enc.high))
            continue
        if enc.high_at_vertex is not None and in_closed_region(enc.high_at_vertex, constraints):
            best, point = enc.high, enc.high_at_vertex  # attained: nothing in this box exceeds it
            floor = best if floor is None or best > floor else floor
            leaves.append(Leaf(current, None, enc.high))
            continue
        for corner in _corners(current):
            if in_closed_region(corner, constraints):
                value = poly(corner)
                if best is None or value > best:
                    best, point = value, corner
                    if floor is None or best > floor:
                        floor = best
        # not a point box: a point's enclosure is its exact value, settled above either way
        widest = max(range(len(current)), key=lambda k: current[k][1] - current[k][0])
        lo, hi = current[widest]
        mid = (lo + hi) / 2
        for part in ((mid, hi), (lo, mid)):
            stack.append(current[:widest] + (part,) + current[widest + 1 :])
    return BoxMaximum(best, point, tuple(leaves), boxes, True)
