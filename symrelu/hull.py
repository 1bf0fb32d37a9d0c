"""Exact convex-hull questions on finite point sets, answered with exact polyhedra (ppl, GMP rationals).

No solver and no float: the Parma Polyhedra Library (``pplpy``) computes the
hull's minimal generators and solves the convex-weight LP in exact rational
arithmetic; rationals enter and leave as :class:`fractions.Fraction`, and the
weights are checked once more here before they are returned.

>>> from fractions import Fraction as F
>>> square = [(F(0), F(0)), (F(1), F(0)), (F(0), F(1)), (F(1), F(1)), (F(1, 2), F(1, 2))]
>>> hull_vertices(square)
((Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(0, 1)), (Fraction(1, 1), Fraction(1, 1)))
>>> in_hull((F(1, 3), F(2, 3)), square), in_hull((F(2), F(0)), square)
(True, False)
>>> convex_weights((F(1, 2), F(0)), square[:2])
(Fraction(1, 2), Fraction(1, 2))
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import lcm

import ppl

from .errors import ShapeError, SolverError

Point = tuple[Fraction, ...]


def _check(points: Sequence[Sequence[Fraction]], dim: int | None = None) -> list[Point]:
    out = [tuple(Fraction(v) for v in p) for p in points]
    dims = {len(p) for p in out} | ({dim} if dim is not None else set())
    if len(dims) > 1:
        raise ShapeError("all points of a hull test must have the same dimension")
    return out


def _generator(p: Point) -> ppl.Generator:
    """A ppl point with integer coefficients over one common divisor."""
    divisor = lcm(*(v.denominator for v in p)) if p else 1
    expression = ppl.Linear_Expression([int(v * divisor) for v in p], 0)
    return ppl.point(expression, divisor)


def _polytope(points: Sequence[Point]) -> ppl.C_Polyhedron:
    generators = ppl.Generator_System()
    for p in points:
        generators.insert(_generator(p))
    return ppl.C_Polyhedron(generators)


def convex_weights(point: Sequence[Fraction], points: Sequence[Sequence[Fraction]]) -> tuple[Fraction, ...] | None:
    """Exact convex weights ``lambda`` with ``sum lambda_i p_i = point``, or ``None`` outside the hull.

    An exact LP (ppl's MIP solver over GMP rationals); the weights are replayed in Fractions.
    """
    if not points:
        return None
    target = _check([point])[0]
    pts = _check(points, len(target))
    weights = [ppl.Variable(i) for i in range(len(pts))]
    system = ppl.Constraint_System()
    for w in weights:
        system.insert(w >= 0)
    system.insert(sum((w for w in weights), ppl.Linear_Expression(0)) == 1)
    for k in range(len(target)):
        column = [p[k] for p in pts] + [target[k]]
        scale = lcm(*(v.denominator for v in column))
        expression = sum((int(p[k] * scale) * w for w, p in zip(weights, pts, strict=True)), ppl.Linear_Expression(0))
        system.insert(expression == int(target[k] * scale))
    problem = ppl.MIP_Problem(len(pts), system, ppl.Linear_Expression(0))
    if problem.solve()["status"] != "optimized":
        return None
    found_point = problem.optimizing_point()
    divisor = int(found_point.divisor())
    found = tuple(Fraction(int(c), divisor) for c in found_point.coefficients())
    found += (Fraction(0),) * (len(pts) - len(found))
    if any(w < 0 for w in found) or sum(found) != 1 or any(
        sum((w * p[k] for w, p in zip(found, pts, strict=True)), Fraction(0)) != target[k] for k in range(len(target))
    ):
        raise SolverError("ppl's convex weights failed the exact replay; refusing to answer")
    return found


def in_hull(point: Sequence[Fraction], points: Sequence[Sequence[Fraction]]) -> bool:
    """Exactly decide whether ``point`` lies in the convex hull of ``points``."""
    if not points:
        return False
    target = _check([point])[0]
    pts = _check(points, len(target))
    if not target:
        return True
    return bool(_polytope(pts).contains(_polytope([target])))


def hull_vertices(points: Sequence[Sequence[Fraction]]) -> tuple[Point, ...]:
    """The vertices of the convex hull of ``points``: sorted, duplicates removed."""
    unique = sorted(set(_check(points)))
    if len(unique) <= 2 or not unique[0]:
        return tuple(unique)
    vertices = []
    for generator in _polytope(unique).minimized_generators():
        if not generator.is_point():  # pragma: no cover - a hull of points has only points as generators
            raise SolverError("ppl returned a ray or line for a hull of finitely many points")
        divisor = int(generator.divisor())
        coords = tuple(Fraction(int(c), divisor) for c in generator.coefficients())
        vertices.append(coords + (Fraction(0),) * (len(unique[0]) - len(coords)))
    return tuple(sorted(vertices))
