"""The minimum-norm point of a polytope given by its vertices, exactly.

Enumerate affinely independent vertex subsets, solve the KKT system of
min ‖Σλ_i v_i‖² on their affine hull in rationals, keep candidates with λ ≥ 0,
and return the first (smallest) one whose optimality certificate
⟨p, v − p⟩ ≥ 0 for every vertex v holds exactly.

>>> from fractions import Fraction as F
>>> min_norm_point([(F(-1), F(-1)), (F(-1), F(0)), (F(0), F(-1)), (F(0), F(0))])
(Fraction(0, 1), Fraction(0, 1))
>>> min_norm_point([(F(1), F(0)), (F(0), F(1))])
(Fraction(1, 2), Fraction(1, 2))
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations

from ..errors import SolverError, TooLargeError

Vector = tuple[Fraction, ...]


def _dot(a: Sequence[Fraction], b: Sequence[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def _solve(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Exact Gaussian elimination; ``None`` when singular."""
    n = len(rhs)
    rows = [row[:] + [b] for row, b in zip(matrix, rhs)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def is_min_norm(point: Vector, vertices: Sequence[Vector]) -> bool:
    """Exact optimality certificate: ⟨p, v − p⟩ ≥ 0 for every vertex v."""
    return all(_dot(point, tuple(a - b for a, b in zip(v, point))) >= 0 for v in vertices)


def min_norm_point(vertices: Sequence[Vector], max_subsets: int = 200_000) -> Vector:
    """The unique point of conv(``vertices``) of least Euclidean norm."""
    verts = sorted(set(tuple(v) for v in vertices))
    if not verts:
        raise SolverError("min-norm point of an empty set")
    dim = len(verts[0])
    best: tuple[Fraction, Vector] | None = None
    tried = 0
    for size in range(1, min(len(verts), dim + 1) + 1):
        for subset in combinations(verts, size):
            tried += 1
            if tried > max_subsets:
                raise TooLargeError(f"min-norm search exceeded {max_subsets} vertex subsets")
            # KKT: G λ − μ 1 = 0, 1ᵀλ = 1
            gram = [[_dot(a, b) for b in subset] + [Fraction(-1)] for a in subset] + [[Fraction(1)] * size + [Fraction(0)]]
            solution = _solve(gram, [Fraction(0)] * size + [Fraction(1)])
            if solution is None or any(lam < 0 for lam in solution[:size]):
                continue
            point = tuple(sum((lam * v[k] for lam, v in zip(solution[:size], subset)), Fraction(0)) for k in range(dim))
            norm = _dot(point, point)
            if best is None or norm < best[0]:
                best = (norm, point)
    if best is None or not is_min_norm(best[1], verts):
        raise SolverError("min-norm point: no candidate passed the exact optimality certificate")
    return best[1]
