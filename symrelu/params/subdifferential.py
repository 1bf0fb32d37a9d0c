"""The Clarke subdifferential ∂_C ℓ(θ) at a rational θ, and the backpropagation audit.

ℓ is piecewise polynomial, so ∂_C ℓ(θ) = conv{∇ℓ_P(θ) : θ in the closure of region P}.
The active patterns P are found locally: switches that are non-zero at θ keep
their sign; for the k switches that vanish, each of the ≤ 2^k sign choices is
tested. A first-order test (a direction d with sign·∇g(θ)·d > 0 for every
vanishing switch, exact polyhedra with ppl, no solver) proves activity; for
affine switches it is also exact for inactivity. Otherwise Z3 tries to prove
the region misses a small ball around θ (an ``unsat`` counts only when cvc5
confirms it), then asks the quantified question directly; if nothing settles
it, :class:`ClarkeUnknownError` is raised rather than guessing.

>>> from fractions import Fraction as F
>>> from symrelu.params.examples import paper_instance
>>> sub = clarke_subdifferential(paper_instance(), (F(0), F(-1)))
>>> sub.active_patterns, [tuple(map(str, v)) for v in sub.vertices]
(('00', '10'), [('-1', '0'), ('0', '0')])
>>> sub.contains((F(-1, 2), F(0))), sub.contains((F(-1, 2), F(1, 10)))
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import z3

from ..errors import SolverError, TooLargeError
from ..exact import z3_rational
from ..hull import convex_weights, hull_vertices
from ..validation import check_relu_grad_at_zero
from .backprop import backprop_gradient
from .polynomial import Polynomial, vector_at
from .problem import Point, Problem
from .switches import Bits, SwitchTable
from .z3tools import confirm_unsat, make_solver, ppl_interior_point, real_vars, sign_constraint

MAX_LOCAL_PATTERNS = 1 << 16
BALL_RADII_SQUARED: tuple[Fraction, ...] = tuple(Fraction(1, 100**i) for i in range(8))


class ClarkeUnknownError(SolverError):
    """Whether a region touches θ could not be decided (a degenerate, higher-order contact)."""


@dataclass(frozen=True)
class ClarkeSet:
    """∂_C ℓ(θ): active patterns, their gradients at θ, and the hull's vertices."""

    point: Point
    active_patterns: tuple[str, ...]
    gradients: tuple[tuple[Fraction, ...], ...]
    """∇ℓ_P(θ) for each active pattern, in the same order."""
    vertices: tuple[tuple[Fraction, ...], ...]
    zero_switches: tuple[int, ...]
    """Switches whose pre-activation (or residual) is exactly 0 at θ: the kinks θ lies on."""

    def contains(self, g: tuple[Fraction, ...]) -> bool:
        """Exact membership g ∈ ∂_C ℓ(θ)."""
        return convex_weights(tuple(g), self.vertices) is not None

    @property
    def is_singleton(self) -> bool:
        return len(self.vertices) == 1


def _local_candidates(table: SwitchTable, point: Point) -> list[tuple[Bits, list[tuple[Polynomial, int]]]]:
    """Patterns consistent with the signs at θ, with the (g, sign) constraints of vanishing switches."""
    out: list[tuple[Bits, list[tuple[Polynomial, int]]]] = []

    def visit(bits: Bits, local: list[tuple[Polynomial, int]]) -> None:
        if len(bits) == table.size:
            out.append((bits, local))
            if len(out) > MAX_LOCAL_PATTERNS:
                raise TooLargeError(f"more than {MAX_LOCAL_PATTERNS} candidate patterns meet at this point")
            return
        g = table.polynomial(len(bits), bits)
        if g.is_zero:
            visit(bits + (0,), local)
            return
        value = g(point)
        if value != 0:
            visit(bits + (int(value > 0),), local)
            return
        visit(bits + (0,), local + [(g, -1)])
        visit(bits + (1,), local + [(g, 1)])

    visit((), [])
    return out


def _first_order(local: list[tuple[Polynomial, int]], point: Point, k: int) -> bool:
    """Exact LP (ppl polyhedra, no solver): is there d with sign·∇g(θ)·d > 0 for every vanishing switch?"""
    cone = []
    for g, sign in local:
        grad = vector_at(g.gradient(), point)
        terms = {tuple(int(i == j) for j in range(k)): c for i, c in enumerate(grad) if c != 0}
        if not terms:
            return False  # 0 > 0 never holds
        cone.append((Polynomial.from_dict(k, terms), sign))
    return ppl_interior_point(cone, None, k) is not None


def _touches(problem: Problem, table: SwitchTable, bits: Bits, point: Point, timeout_ms: int | None) -> bool:
    """Is θ in the closure of the region of ``bits``? Z3 on shrinking balls, then the quantified form."""
    names = problem.parameter_names
    theta = real_vars(names)
    constraints = [
        sign_constraint(g, 1 if bit else -1, theta)
        for s, bit in enumerate(bits)
        if not (g := table.polynomial(s, bits[:s])).is_zero
    ]
    offsets = [v - z3_rational(c) for v, c in zip(theta, point, strict=True)]
    dist = z3.Sum(*(d * d for d in offsets)) if len(offsets) > 1 else offsets[0] * offsets[0]
    for r2 in BALL_RADII_SQUARED:
        solver = make_solver(False, timeout_ms)
        solver.add(*constraints, dist < z3_rational(r2))
        answer = solver.check()
        if answer == z3.unsat:
            confirm_unsat(solver, f"region {table.format_pattern(bits)} misses a ball around the Clarke point")
            return False
        if answer == z3.unknown:
            break
    r = z3.Real("radius_")
    # ∃ r > 0 with no region point within r  <=>  θ not in the closure
    separated = z3.And(r > 0, z3.ForAll(theta, z3.Implies(z3.And(*constraints), dist >= r * r)))
    solver = z3.SolverFor("NRA")
    if timeout_ms is not None:
        solver.set("timeout", timeout_ms)
    solver.add(separated)
    answer = solver.check()
    if answer == z3.sat:
        return False
    if answer == z3.unsat:
        return True
    raise ClarkeUnknownError(
        f"cannot decide whether region {table.format_pattern(bits)} touches θ = {tuple(map(str, point))}: "
        "higher-order contact and Z3 gave up; UNKNOWN"
    )


def clarke_subdifferential(problem: Problem, point: Point | dict, timeout_ms: int | None = 30_000) -> ClarkeSet:
    """∂_C ℓ(θ) at a rational θ (the domain plays no role: this is local analysis on ℝᵏ)."""
    theta = problem.point(point, "Clarke point")
    table = SwitchTable(problem)
    k = table.nvars
    active: list[Bits] = []
    for bits, local in _local_candidates(table, theta):
        if not local:
            active.append(bits)
            continue
        if any(g.degree > 1 for g, _ in local):
            if _first_order(local, theta, k) or _touches(problem, table, bits, theta, timeout_ms):
                active.append(bits)
        elif _first_order(local, theta, k):
            active.append(bits)
    if not active:
        raise SolverError(f"no region is active at {tuple(map(str, theta))}: this cannot happen, please report it")
    active.sort(key=table.format_pattern)
    gradients = tuple(vector_at(table.selection_loss(b).gradient(), theta) for b in active)
    _, zeros = table.pattern_at(theta)
    return ClarkeSet(
        point=theta,
        active_patterns=tuple(table.format_pattern(b) for b in active),
        gradients=gradients,
        vertices=hull_vertices(gradients),
        zero_switches=zeros,
    )


@dataclass(frozen=True)
class ParameterBackpropAudit:
    """What backpropagation returns at θ with relu'(0) = s, and whether it is a Clarke subgradient."""

    point: Point
    relu_grad_at_zero: Fraction
    backprop: tuple[Fraction, ...]
    clarke: ClarkeSet
    in_clarke: bool
    weights: tuple[Fraction, ...] | None
    """Exact convex weights over ``clarke.vertices`` proving membership, when inside."""


def parameter_backprop_audit(problem: Problem, point: Point | dict, s: object = 0) -> ParameterBackpropAudit:
    """Compare backprop's output at θ with ∂_C ℓ(θ), exactly.

    >>> from fractions import Fraction as F
    >>> from symrelu.params.examples import tied_relu_instance
    >>> audit = parameter_backprop_audit(tied_relu_instance(), (F(0),), 0)
    >>> audit.backprop, audit.clarke.vertices, audit.in_clarke
    ((Fraction(0, 1),), ((Fraction(-1, 1),),), False)
    """
    theta = problem.point(point, "audit point")
    value = check_relu_grad_at_zero(s)
    clarke = clarke_subdifferential(problem, theta)
    grad = backprop_gradient(problem, theta, value)
    weights = convex_weights(grad, clarke.vertices)
    return ParameterBackpropAudit(theta, value, grad, clarke, weights is not None, weights)
