"""Kinks, gradient jumps, Clarke subdifferentials and the backprop audit (C1 jump, C7)."""

from __future__ import annotations

from fractions import Fraction as F
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.errors import DomainError
from symrelu.hull import hull_vertices, in_hull
from symrelu.network import Network
from symrelu.params.backprop import backprop_gradient
from symrelu.params.examples import paper_instance, tied_relu_instance, two_layer_instance
from symrelu.params.kinks import dangerous_kinks, find_kinks, gradient_jump
from symrelu.params.landscape import enumerate_parameter_regions
from symrelu.params.minnorm import is_min_norm, min_norm_point
from symrelu.params.problem import Problem
from symrelu.params.report import clarke_report
from symrelu.params.subdifferential import clarke_subdifferential, parameter_backprop_audit

rationals = st.fractions(min_value=-2, max_value=2, max_denominator=16)


def test_instance_kinks_and_jumps() -> None:
    land = enumerate_parameter_regions(paper_instance())
    kinks = find_kinks(land)
    assert len(kinks) == 4 and len(dangerous_kinks(kinks)) == 4
    k = next(k for k in kinks if (k.below, k.above) == ("01", "11"))
    # across w1 = 0 with w2 > 0: ∇ℓ_11 − ∇ℓ_01 = (w2 − 1, 0), the C1 family jump |a r| ‖x‖ with r = w2 − 1
    assert gradient_jump(land, k, (F(0), F(1, 4))) == (F(-3, 4), F(0))
    with pytest.raises(DomainError):
        gradient_jump(land, k, (F(1, 10), F(1, 4)))


@settings(deadline=None, max_examples=30)
@given(rationals.filter(lambda v: v != 0))
def test_jump_equals_difference_of_one_sided_backprop(w2: F) -> None:
    prob = paper_instance()
    land = enumerate_parameter_regions(prob)
    kink = next(k for k in find_kinks(land) if k.switch_index == 0 and (k.below[1] == "1") == (w2 > 0))
    h = F(1, 10**6)
    right = backprop_gradient(prob, (h, w2))
    left = backprop_gradient(prob, (-h, w2))
    jump = gradient_jump(land, kink, (F(0), w2))
    # the jump is the limit of one-sided gradients; both are affine so the difference is exact up to O(h)
    assert all(abs((r - l) - j) <= 2 * h for r, l, j in zip(right, left, jump))


def test_tied_relu_kink_is_harmless_and_joins_two_bits() -> None:
    kinks = find_kinks(enumerate_parameter_regions(tied_relu_instance()))
    assert len(kinks) == 1 and kinks[0].switch_indices == (0, 1) and not kinks[0].dangerous


def test_c7_clarke_sets_of_the_instance() -> None:
    prob = paper_instance()
    at0 = clarke_subdifferential(prob, (F(0), F(0)))
    assert at0.active_patterns == ("00", "01", "10", "11")
    assert set(at0.vertices) == {(F(-1), F(-1)), (F(-1), F(0)), (F(0), F(-1)), (F(0), F(0))}
    assert at0.contains((F(-1, 2), F(-1, 3))) and not at0.contains((F(1, 100), F(0)))
    line = clarke_subdifferential(prob, (F(0), F(-1)))
    assert set(line.vertices) == {(F(-1), F(0)), (F(0), F(0))}
    assert line.contains((F(-1, 3), F(0))) and not line.contains((F(-1, 3), F(1, 1000)))
    for s, expected in [(0, (F(0), F(0))), (1, (F(-1), F(-1)))]:
        audit = parameter_backprop_audit(prob, (F(0), F(0)), s)
        assert audit.backprop == expected and audit.in_clarke


def test_backprop_outside_clarke_for_tied_relu() -> None:
    prob = tied_relu_instance()
    for s, value, inside in [(0, F(0), False), (1, F(-2), False), (F(1, 2), F(-1), True)]:
        audit = parameter_backprop_audit(prob, (F(0),), s)
        assert audit.backprop == (value,) and audit.clarke.vertices == ((F(-1),),) and audit.in_clarke is inside


@settings(max_examples=30, deadline=None)
@given(rationals, rationals, st.sampled_from([F(0), F(1, 2), F(1)]))
def test_clarke_set_by_brute_force_sampling(w1: F, w2: F, s: F) -> None:
    """Active patterns = patterns seen at exact points θ + t·d for small t over a ring of directions."""
    prob = paper_instance()
    theta = (w1, w2)
    clarke = clarke_subdifferential(prob, theta)
    from symrelu.params.switches import SwitchTable

    table = SwitchTable(prob)
    seen = set()
    t = F(1, 10**6)
    for dx, dy in product(range(-2, 3), repeat=2):
        if (dx, dy) == (0, 0):
            continue
        bits, zeros = table.pattern_at((w1 + t * dx, w2 + t * dy))
        if not zeros:
            seen.add(table.format_pattern(bits))
    assert set(clarke.active_patterns) == seen
    audit = parameter_backprop_audit(prob, theta, s)
    assert audit.in_clarke  # the instance has no cancellation: backprop is always a Clarke subgradient
    if len(seen) == 1:
        assert clarke.vertices == (audit.backprop,)


def test_nonlinear_clarke_set_agrees_with_sampling() -> None:
    prob = two_layer_instance()
    theta = (F(0), F(0), F(0), F(0))
    clarke = clarke_subdifferential(prob, theta)
    assert len(clarke.active_patterns) == 8
    assert parameter_backprop_audit(prob, theta, 0).in_clarke


def test_degenerate_contact_goes_through_z3() -> None:
    """w ↦ relu(w1·w2)·...: at θ = 0 the switch w1·w2 has zero gradient, so the first-order test cannot decide."""
    net = Network.from_rows([([["w1"]], ["0"]), ([["w2"]], ["0"]), ([["1"]], ["0"])])
    prob = Problem(net, [(("1",), ("1",))])
    clarke = clarke_subdifferential(prob, (F(0), F(0)))
    # near 0 every pattern with a consistent second layer is reachable; Z3 decided each candidate exactly
    from symrelu.params.switches import SwitchTable

    table = SwitchTable(prob)
    seen = set()
    for a, b in product([F(1, 1000), F(-1, 1000)], repeat=2):
        bits, zeros = table.pattern_at((a, b))
        if not zeros:
            seen.add(table.format_pattern(bits))
    assert seen <= set(clarke.active_patterns)
    assert set(clarke.vertices) == {(F(0), F(0))}  # ∇ℓ vanishes at 0 on every piece


def test_hull_and_min_norm_against_brute_force() -> None:
    pts = [(F(2), F(1)), (F(1), F(2)), (F(3), F(3)), (F(2), F(2))]
    assert hull_vertices(pts) == ((F(1), F(2)), (F(2), F(1)), (F(3), F(3)))
    p = min_norm_point(pts)
    assert p == (F(3, 2), F(3, 2)) and in_hull(p, pts) and is_min_norm(p, pts)
    # brute force on a grid of convex weights: nothing beats it
    best = min(
        (a * pts[0][0] + (1 - a) * pts[1][0]) ** 2 + (a * pts[0][1] + (1 - a) * pts[1][1]) ** 2
        for a in (F(i, 100) for i in range(101))
    )
    assert p[0] ** 2 + p[1] ** 2 <= best


def test_clarke_report_payload() -> None:
    out = clarke_report(tied_relu_instance(), {"w": "0"}, 0)
    assert out["vertices"] == [[["-1"]]] and out["backprop"] == [["0"]] and out["backprop_in_clarke"] is False
