"""Bernstein enclosures against exact evaluation at random rational points and at the box's vertices."""

from __future__ import annotations

from fractions import Fraction
from itertools import product

from conftest import REPO_ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.params import enumerate_parameter_regions, load_problem
from symrelu.params.bernstein import enclose
from symrelu.params.polynomial import Polynomial
from symrelu.verify.checks.clarke_bound import squared_gradient_norm

rationals = st.fractions(min_value=-4, max_value=4, max_denominator=16)
unit = st.fractions(min_value=0, max_value=1, max_denominator=64)


@st.composite
def polynomials_and_boxes(draw: st.DrawFn) -> tuple[Polynomial, tuple[tuple[Fraction, Fraction], ...]]:
    nvars = draw(st.integers(1, 3))
    terms = draw(st.lists(st.tuples(st.tuples(*[st.integers(0, 3)] * nvars), rationals), max_size=6))
    coeffs: dict[tuple[int, ...], Fraction] = {}
    for e, c in terms:
        coeffs[e] = coeffs.get(e, Fraction(0)) + c
    box = []
    for _ in range(nvars):
        lo, width = draw(rationals), draw(st.fractions(min_value=0, max_value=3, max_denominator=8))
        box.append((lo, lo + width))  # width 0 (a degenerate box) included
    return Polynomial.from_dict(nvars, coeffs), tuple(box)


@settings(max_examples=150, deadline=None)
@given(polynomials_and_boxes(), st.lists(st.tuples(unit, unit, unit), min_size=1, max_size=5))
def test_enclosure_contains_exact_values(case: tuple[Polynomial, tuple[tuple[Fraction, Fraction], ...]],
                                         samples: list[tuple[Fraction, Fraction, Fraction]]) -> None:
    poly, box = case
    enc = enclose(poly, box)
    points = [tuple(lo + s * (hi - lo) for s, (lo, hi) in zip(sample, box)) for sample in samples]
    points += [tuple(v) for v in product(*box)]
    values = [poly(p) for p in points]
    assert all(enc.low <= v <= enc.high for v in values)
    if enc.high_at_vertex is not None:  # claimed attained: the exact value at that vertex
        assert poly(enc.high_at_vertex) == enc.high
        assert all(lo <= c <= hi for c, (lo, hi) in zip(enc.high_at_vertex, box))


def test_two_layer_corner_maximum_is_attained() -> None:
    """On a corner box of the maximising region the enclosure is exact: 2025/8 at (2, 1, -2, -2)."""
    problem = load_problem(REPO_ROOT / "symrelu" / "examples" / "problem_two_layer.json")
    region = enumerate_parameter_regions(problem).region("00|0;11|1")
    q = squared_gradient_norm(region)
    F = Fraction
    box = ((F(15, 8), F(2)), (F(7, 8), F(1)), (F(-2), F(-15, 8)), (F(-2), F(-15, 8)))
    enc = enclose(q, box)
    corner = (F(2), F(1), F(-2), F(-2))
    assert enc.high == q(corner) == F(2025, 8)
    assert enc.high_at_vertex == corner
    assert region.contains(corner)
