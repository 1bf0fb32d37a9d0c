"""Exact convex-hull questions on finite point sets, answered by Z3's exact simplex.

>>> from fractions import Fraction as F
>>> square = [(F(0), F(0)), (F(1), F(0)), (F(0), F(1)), (F(1), F(1)), (F(1, 2), F(1, 2))]
>>> hull_vertices(square)
((Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(0, 1)), (Fraction(1, 1), Fraction(1, 1)))
>>> in_hull((F(1, 3), F(2, 3)), square), in_hull((F(2), F(0)), square)
(True, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import z3

from .errors import ShapeError, SolverError

Point = tuple[Fraction, ...]


def z3_rational(value: Fraction) -> z3.RatNumRef:
    """An exact Z3 rational (never via a float)."""
    return z3.RealVal(f"{value.numerator}/{value.denominator}")


def convex_weights(point: Sequence[Fraction], points: Sequence[Sequence[Fraction]]) -> tuple[Fraction, ...] | None:
    """Exact convex weights ``lambda`` with ``sum lambda_i p_i = point``, or ``None`` outside the hull.

    Z3's answer is replayed in exact arithmetic before it is returned.
    """
    if not points:
        return None
    dim = len(point)
    if any(len(p) != dim for p in points):
        raise ShapeError("all points of a hull test must have the same dimension")
    weights = [z3.Real(f"lambda_{i}") for i in range(len(points))]
    solver = z3.SolverFor("QF_LRA")
    solver.add(*[w >= 0 for w in weights])
    solver.add(z3.Sum(weights) == 1)
    for k in range(dim):
        solver.add(z3.Sum([w * z3_rational(Fraction(p[k])) for w, p in zip(weights, points)]) == z3_rational(Fraction(point[k])))
    answer = solver.check()
    if answer == z3.unsat:
        return None
    if answer != z3.sat:  # pragma: no cover - QF_LRA is decidable
        raise SolverError(f"Z3 could not decide a linear hull test: {solver.reason_unknown()}")
    model = solver.model()
    found = []
    for w in weights:
        value = model.eval(w, model_completion=True)
        found.append(Fraction(value.numerator_as_long(), value.denominator_as_long()))
    if any(w < 0 for w in found) or sum(found) != 1 or any(
        sum((w * Fraction(p[k]) for w, p in zip(found, points)), Fraction(0)) != point[k] for k in range(dim)
    ):
        raise SolverError("Z3's convex weights failed the exact replay; refusing to answer")
    return tuple(found)


def in_hull(point: Sequence[Fraction], points: Sequence[Sequence[Fraction]]) -> bool:
    """Exactly decide whether ``point`` lies in the convex hull of ``points``."""
    return convex_weights(point, points) is not None


def hull_vertices(points: Sequence[Sequence[Fraction]]) -> tuple[Point, ...]:
    """The vertices of the convex hull of ``points``: sorted, duplicates removed."""
    unique = sorted({tuple(Fraction(v) for v in p) for p in points})
    if len(unique) <= 2:
        return tuple(unique)
    return tuple(p for i, p in enumerate(unique) if not in_hull(p, unique[:i] + unique[i + 1 :]))
