"""Z3 helpers: solvers, exact model conversion, and rational witnesses.

Z3 answers QF_NRA queries with algebraic numbers. An open region always holds
rational points, so we approximate the model ever closer until a rational point
satisfies every strict constraint *exactly* (checked with Fractions, never by Z3).

>>> import z3
>>> x = z3.Real("x")
>>> s = z3.SolverFor("QF_NRA"); s.add(x * x > 2, x < 2)
>>> s.check() == z3.sat
True
>>> p = rational_point(s.model(), [x], lambda q: q[0] ** 2 > 2 and q[0] < 2)
>>> p is not None and p[0] ** 2 > 2
True
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from fractions import Fraction

import z3

from ..errors import SolverError
from ..exact import z3_rational
from .polynomial import Polynomial

log = logging.getLogger(__name__)

Point = tuple[Fraction, ...]
PRECISIONS: tuple[int, ...] = (4, 8, 16, 32, 64, 128, 256)


def make_solver(linear: bool, timeout_ms: int | None = None) -> z3.Solver:
    """A Z3 solver for linear (QF_LRA) or nonlinear (QF_NRA) real arithmetic."""
    solver = z3.SolverFor("QF_LRA" if linear else "QF_NRA")
    if timeout_ms is not None:
        solver.set("timeout", timeout_ms)
    return solver


USER_PREFIX = "u."
"""Every user-chosen parameter name becomes a solver symbol starting with this prefix."""

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def param_symbol(name: str, copy: str = "") -> str:
    """The reserved solver symbol of a user parameter (optionally of a named copy such as ``"t"``).

    User names never share a namespace with internal symbols: every user symbol
    starts with ``u.`` (no internal symbol does) and holds no SMT-LIB reserved
    word on its own; a name that is not plain ASCII is spelled in hex after ``!``.
    The map is injective (user names hold no ``.`` or ``!``), and
    :func:`param_name` inverts it.

    >>> param_symbol("mu"), param_symbol("ite", "t"), param_symbol("θ")
    ('u.mu', 'u.t.ite', 'u.!ceb8')
    >>> param_name("u.t.ite"), param_name("u.!ceb8"), param_name("mu")
    ('ite', 'θ', None)
    """
    if not name or "." in name or "!" in name:
        raise SolverError(f"parameter name {name!r} cannot be mapped to a solver symbol")
    if copy and not _PLAIN.match(copy):
        raise SolverError(f"copy tag {copy!r} must be a plain ASCII identifier")
    spelled = name if _PLAIN.match(name) else "!" + name.encode("utf-8").hex()
    return USER_PREFIX + (copy + "." if copy else "") + spelled


def param_name(symbol: str) -> str | None:
    """The user name behind a symbol made by :func:`param_symbol` (None for an internal symbol)."""
    plain = symbol[1:-1] if symbol.startswith("|") and symbol.endswith("|") else symbol
    if not plain.startswith(USER_PREFIX):
        return None
    spelled = plain[len(USER_PREFIX):].rsplit(".", 1)[-1]
    return bytes.fromhex(spelled[1:]).decode("utf-8") if spelled.startswith("!") else spelled


def param_var(name: str, copy: str = "", ctx: z3.Context | None = None) -> z3.ArithRef:
    """The z3 real variable of a user parameter (see :func:`param_symbol`)."""
    return z3.Real(param_symbol(name, copy), ctx)


def param_vars(names: Sequence[str], copy: str = "") -> dict[str, z3.ArithRef]:
    """``{user name: z3 variable}`` for every parameter."""
    return {n: param_var(n, copy) for n in names}


def real_vars(names: Sequence[str]) -> list[z3.ArithRef]:
    """The z3 variables of the parameters ``names``, in order (reserved symbols, see :func:`param_symbol`)."""
    return [param_var(n) for n in names]


def fraction_of(value: z3.ExprRef, precision: int = 32) -> tuple[Fraction, bool]:
    """``(value, exact)``: a rational value exactly, an algebraic one rounded to ``precision`` digits."""
    if z3.is_rational_value(value):
        return Fraction(value.numerator_as_long(), value.denominator_as_long()), True
    if z3.is_algebraic_value(value):
        approx = value.approx(precision)
        return Fraction(approx.numerator_as_long(), approx.denominator_as_long()), False
    raise SolverError(f"Z3 returned a non-numeric model value {value}")


def rational_point(
    model: z3.ModelRef, variables: Sequence[z3.ArithRef], accept: Callable[[Point], bool]
) -> Point | None:
    """A rational point near ``model`` that ``accept`` (an exact check) approves, or ``None``."""
    for precision in PRECISIONS:
        coords = [fraction_of(model.eval(v, model_completion=True), precision) for v in variables]
        point = tuple(c for c, _ in coords)
        if accept(point):
            return point
        if all(exact for _, exact in coords):
            return None
    return None


def rational_point_on_surface(
    model: z3.ModelRef,
    variables: Sequence[z3.ArithRef],
    surface: Polynomial,
    accept: Callable[[Point], bool],
) -> Point | None:
    """A rational point with ``surface == 0`` exactly, near ``model``, approved by ``accept``.

    Works when the model is rational, or when ``surface`` has degree one in some
    variable (then that coordinate is solved for exactly after rounding the others).
    """
    exact_try = rational_point(model, variables, lambda p: surface(p) == 0 and accept(p))
    if exact_try is not None:
        return exact_try
    k = len(variables)
    for precision in PRECISIONS:
        base = [fraction_of(model.eval(v, model_completion=True), precision)[0] for v in variables]
        for index in range(k):
            if max((e[index] for e, _ in surface.terms), default=0) != 1:
                continue
            # surface = a(θ_other) * θ_index + c(θ_other)
            a = Polynomial.from_dict(k, {e[:index] + (0,) + e[index + 1 :]: c for e, c in surface.terms if e[index] == 1})
            c = Polynomial.from_dict(k, {e: c for e, c in surface.terms if e[index] == 0})
            slope = a(base)
            if slope == 0:
                continue
            point = list(base)
            point[index] = -c(base) / slope
            candidate = tuple(point)
            if surface(candidate) == 0 and accept(candidate):
                return candidate
    return None


def strictly_satisfies(point: Point, constraints: Sequence[tuple[Polynomial, int]]) -> bool:
    """True when every ``(g, sign)`` has ``sign * g(point) > 0`` exactly."""
    return all(sign * g(point) > 0 for g, sign in constraints)


def in_open_box(point: Point, box: Sequence[tuple[Fraction, Fraction]] | None) -> bool:
    return box is None or all(lo < v < hi for v, (lo, hi) in zip(point, box, strict=False))


def z3_box(variables: Sequence[z3.ArithRef], box: Sequence[tuple[Fraction, Fraction]] | None) -> list[z3.BoolRef]:
    if box is None:
        return []
    return [
        c
        for v, (lo, hi) in zip(variables, box, strict=False)
        for c in (v > z3_rational(lo), v < z3_rational(hi))
    ]


def sign_constraint(poly: Polynomial, sign: int, variables: Sequence[z3.ArithRef]) -> z3.BoolRef:
    expr = poly.to_z3(variables)
    return expr > 0 if sign > 0 else expr < 0


def confirm_unsat(solver: z3.Solver, what: str, timeout_s: float = 120.0) -> None:
    """Confirm Z3's ``unsat`` with the second solver (cvc5, deterministic budget); raise unless it agrees.

    A decision that rests on "this set is empty" is never taken on one solver:
    cvc5 re-reads the same assertions as SMT-LIB text. A ``sat`` from cvc5 is a
    disagreement, an ``unknown`` (or a missing cvc5) leaves the question open;
    both raise :class:`SolverError` naming ``what``.

    >>> x = z3.Real("x")
    >>> s = z3.Solver(); s.add(x * x < 0)
    >>> confirm_unsat(s, "demo")
    """
    from ..verify.engine.obligation import Obligation  # lazy: verify builds on params
    from ..verify.engine.solvers import Cvc5Backend, cvc5_available

    if not cvc5_available():
        raise SolverError(f"{what}: Z3 says empty, and the second solver (cvc5) is not installed to confirm it")
    obligation = Obligation.build("confirm", list(solver.assertions()) or [z3.BoolVal(False)], check="confirm",
                                  subject=what)
    answer = Cvc5Backend().check(obligation, timeout_s)
    if answer.status != "unsat":
        raise SolverError(f"{what}: Z3 says empty but cvc5 says {answer.status}"
                          + (f" ({answer.reason})" if answer.reason else "") + "; not decided")


def ppl_interior_point(constraints: Sequence[tuple[Polynomial, int]], box: Sequence[tuple[Fraction, Fraction]] | None,
                       nvars: int, equalities: Sequence[Polynomial] = ()) -> Point | None:
    """An exact point with ``sign * g > 0`` for every affine ``(g, sign)``, ``h = 0`` for each equality, inside
    the open box; None when there is none. Exact polyhedra (ppl, GMP rationals): no solver.

    >>> x = Polynomial.variable(1, 0)
    >>> ppl_interior_point([(x, 1)], [(Fraction(-1), Fraction(1))], 1)
    (Fraction(1, 2),)
    >>> ppl_interior_point([(x, 1), (x - 2, 1)], [(Fraction(-1), Fraction(1))], 1) is None
    True
    """
    from .polyhedra import AffineSystem

    return AffineSystem(nvars, box).interior_point(constraints, equalities)
