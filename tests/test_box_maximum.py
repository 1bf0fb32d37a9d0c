"""The exact Bernstein branch and bound, and the decided default checks it gives on curved regions.

Compared with independent methods: exact evaluation on rational grids (nothing in the closed
region exceeds the maximum, and the maximum is attained at a replayed point), exact
backpropagation, and the solvers' own polynomial arithmetic (a wrong Bernstein coefficient is
caught)."""

from __future__ import annotations

from fractions import Fraction as F
from itertools import product
from pathlib import Path

import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symrelu.params import load_problem
from symrelu.params.backprop import backprop_gradient
from symrelu.params.box_maximum import box_maximum, in_closed_region, region_constraints
from symrelu.params.landscape import enumerate_parameter_regions
from symrelu.params.polynomial import Polynomial
from symrelu.verify import Verdict
from symrelu.verify.checks.clarke_bound import clarke_bound
from symrelu.verify.checks.hessian_bound import frobenius_squared, hessian_bound
from symrelu.verify.encodings import bernstein_cover
from symrelu.verify.encodings.bernstein_cover import identity_facts
from symrelu.verify.engine.runner import Runner

REPO_ROOT = Path(__file__).resolve().parent.parent
BOX = ((F(-1), F(1)), (F(-1), F(1)))
GRID = [F(k, 4) for k in range(-4, 5)]

coefficient = st.integers(-4, 4)


def polynomial(coefficients: list[int]) -> Polynomial:
    x, y = Polynomial.variable(2, 0), Polynomial.variable(2, 1)
    monomials = [Polynomial.constant(2, 1), x, y, x * x, x * y, y * y, x * x * y, x * y * y, x * x * y * y]
    total = Polynomial.constant(2, 0)
    for c, m in zip(coefficients, monomials, strict=True):
        total = total + m * c
    return total


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(coefficient, min_size=9, max_size=9), st.lists(coefficient, min_size=3, max_size=3),
       st.sampled_from([1, -1]))
def test_branch_and_bound_is_sound_and_attained(coefficients: list[int], line: list[int], sign: int) -> None:
    """Ties (integer coefficients), zero polynomials and constraints that cut the box or miss it."""
    poly = polynomial(coefficients)
    x, y = Polynomial.variable(2, 0), Polynomial.variable(2, 1)
    constraint = x * line[0] + y * line[1] + line[2]
    found = box_maximum(poly, [(constraint, sign)], BOX, max_boxes=300)
    grid = [p for p in product(GRID, GRID) if sign * constraint(p) >= 0]
    if found.point is not None:  # whatever it found is a value at a point of the closed region
        assert in_closed_region(found.point, [(constraint, sign)]) and poly(found.point) == found.value
    if not found.settled:  # an interior maximum off the dyadic points: the budget runs out, honestly
        assert found.boxes == 300
        return
    if found.value is None:  # no point of the closed region found: the grid agrees it is empty
        assert grid == []
        return
    assert found.point is not None and in_closed_region(found.point, [(constraint, sign)])
    assert poly(found.point) == found.value
    assert all(poly(p) <= found.value for p in grid)
    again = box_maximum(poly, [(constraint, sign)], BOX, max_boxes=300)  # deterministic: the same boxes and answer
    assert (again.value, again.point, again.boxes) == (found.value, found.point, found.boxes)


def test_a_wrong_bernstein_coefficient_is_caught_by_both_solvers(monkeypatch) -> None:
    x, y = Polynomial.variable(2, 0), Polynomial.variable(2, 1)
    poly = x * x * y - x * y + 3
    for name in ("z3", "cvc5"):
        assert _answer(identity_facts(poly, BOX, ["t0", "t1"]), name) == "unsat"
    original = bernstein_cover.bernstein_coefficients

    def tampered(*args):
        den, degrees, coefficients = original(*args)
        return den, degrees, [coefficients[0] - 1, *coefficients[1:]]

    monkeypatch.setattr(bernstein_cover, "bernstein_coefficients", tampered)
    for name in ("z3", "cvc5"):
        assert _answer(identity_facts(poly, BOX, ["t0", "t1"]), name) == "sat"


def _answer(facts: list[z3.BoolRef], solver: str) -> str:
    if solver == "z3":
        s = z3.Solver()
        s.add(*facts)
        return str(s.check())
    import cvc5

    text = "(set-logic QF_NRA)\n" + "".join(f"(declare-const {v} Real)\n" for v in ("t0", "t1"))
    text += "".join(f"(assert {f.sexpr()})\n" for f in facts) + "(check-sat)\n"
    tm = cvc5.TermManager()
    slv = cvc5.Solver(tm)
    slv.setOption("produce-models", "true")
    parser = cvc5.InputParser(slv)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "tampered")
    sm = parser.getSymbolManager()
    result = None
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        out = cmd.invoke(slv, sm)
        if out.strip():
            result = out.strip()
    return result or "unknown"


def test_problem_two_layer_hessian_bound_is_decided_by_default() -> None:
    """The bundled degree-4 problem: hessian_bound's Frobenius bound PROVED with both solvers and the exact
    certificate, checked against exact evaluation on a grid of D (with clarke_bound's G^2 = 2025/8, which
    tests/test_verify_engine.py proves and compares with exact backpropagation)."""
    problem = load_problem(REPO_ROOT / "symrelu" / "examples" / "problem_two_layer.json")
    land = enumerate_parameter_regions(problem)
    runner = Runner(isolate=False)
    hessian = hessian_bound(problem, landscape=land, runner=runner)
    assert hessian.verdict is Verdict.PROVED and hessian.value_squared == F(909, 4)
    low, high = hessian.details["supremum_at_least_interval"]
    assert F(low) <= F(high) <= F(909, 4) and {"exact"} < set(hessian.solvers) and len(hessian.solvers) == 3
    axes = [[lo + (hi - lo) * F(k, 4) for k in (0, 1, 3, 4)] for lo, hi in problem.domain]
    for theta in product(*axes):  # exact evaluation on a 4^4 grid of D: nothing exceeds either bound
        for region in land.regions:
            if in_closed_region(theta, region_constraints(region)):
                assert sum(g(theta) ** 2 for g in region.gradient) <= F(2025, 8)
                assert frobenius_squared(region)(theta) <= F(909, 4)


def test_a_given_g_squared_below_the_maximum_is_refuted_with_a_replayed_witness() -> None:
    problem = load_problem(REPO_ROOT / "symrelu" / "examples" / "problem_two_layer.json")
    land = enumerate_parameter_regions(problem)
    runner = Runner(isolate=False)
    below = clarke_bound(problem, G_squared=F(253), landscape=land, runner=runner)
    assert below.verdict is Verdict.REFUTED
    assert below.witness["squared_norm"] > 253
    assert sum(g * g for g in backprop_gradient(problem, below.witness["theta"])) == below.witness["squared_norm"]
