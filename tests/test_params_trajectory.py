"""Exact trajectories: C3 (stable-looking GD), C4 (amplification), float mode, surrogates (C6)."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.cli.main import main
from symrelu.params.examples import paper_instance, two_layer_instance
from symrelu.params.surrogate import Surrogate, c6_second_derivative_limit, check_uniform_distance
from symrelu.params.switches import SwitchTable
from symrelu.params.trajectory import (
    Rule,
    amplification,
    c3_closed_form,
    c4_one_step_amplification_sq,
    float_run,
    gradient_descent,
    kink_distance,
    subgradient_method,
)

eps_values = st.fractions(min_value=F(1, 1000), max_value=F(499, 1000), max_denominator=1000)
eta_values = st.fractions(min_value=F(1, 100), max_value=F(1, 2), max_denominator=100)


@settings(max_examples=20, deadline=None)
@given(eps_values, eta_values)
def test_c3_closed_form_no_kink_monotone_loss(eps: F, eta: F) -> None:
    run = gradient_descent(paper_instance(), (eps, eps), eta, 8)
    assert not run.touched_kink and not run.crossings
    for step in run.steps:
        w = c3_closed_form(eps, eta, step.t)
        assert step.theta == (w, w) and 0 < w <= F(1, 2) and step.pattern == "11"
        assert step.kink_distance_sq == w * w  # distance to the nearer axis
    for a, b in zip(run.steps, run.steps[1:]):
        assert b.loss == (1 - 2 * eta) ** 2 * a.loss <= a.loss


@settings(max_examples=20, deadline=None)
@given(eps_values, eta_values)
def test_c4_one_step_amplification(eps: F, eta: F) -> None:
    prob = paper_instance()
    live = gradient_descent(prob, (eps, eps), eta, 1)
    dead = gradient_descent(prob, (-eps, -eps), eta, 1)
    assert dead.steps[1].theta == (-eps, -eps)  # dead neurons never move
    assert amplification(live, dead) == c4_one_step_amplification_sq(eps, eta)


def test_rules_differ_only_on_kinks() -> None:
    prob = paper_instance()
    start = (F(0), F(1, 2))  # on the kink w1 = 0
    bp0 = subgradient_method(prob, start, F(1, 10), 1, Rule("backprop", F(0)))
    bp1 = subgradient_method(prob, start, F(1, 10), 1, Rule("backprop", F(1)))
    mn = subgradient_method(prob, start, F(1, 10), 1, Rule("min-norm"))
    assert bp0.steps[0].on_kink and bp0.steps[0].kink_distance_sq == 0
    assert bp0.steps[0].direction == (F(0), F(-1, 2))
    assert bp1.steps[0].direction == (F(-1, 2), F(-1, 2))
    # ∂_C ℓ(0, ½) = [(−½, −½), (0, −½)]: min-norm element is (0, −½)
    assert mn.steps[0].direction == (F(0), F(-1, 2))
    assert bp1.steps[1].crossed and bp1.steps[1].pattern == "11" and not bp1.steps[1].on_kink
    assert bp0.steps[1].on_kink and bp0.steps[1].crossed  # stays on the kink w1 = 0: flagged


def test_nonlinear_kink_distance_is_a_proved_lower_bound() -> None:
    prob = two_layer_instance()
    table = SwitchTable(prob)
    theta = (F(1, 2), F(1, 2), F(1, 3), F(1, 5))
    d2, exact = kink_distance(table, theta)
    assert not exact and 0 < d2
    # no sampled point closer than sqrt(d2) changes the pattern
    bits, _ = table.pattern_at(theta)
    r = F(9, 10) * d2  # squared radius strictly inside the bound
    import itertools

    for signs in itertools.product([-1, 0, 1], repeat=4):
        norm2 = sum(s * s for s in signs)
        if norm2 == 0:
            continue
        # scale so that the displacement has squared length r (componentwise rational scaling of a unit-ish vector)
        scale = F(1, 2)
        while scale * scale * norm2 > r:
            scale /= 2
        point = tuple(t + scale * s for t, s in zip(theta, signs))
        assert table.pattern_at(point)[0] == bits


def test_float_mode_hands_crossings_to_exact() -> None:
    prob = paper_instance()
    fr = float_run(prob, (F(2), F(1, 2)), F(1), 3)
    assert len(fr.handoffs) == 1
    h = fr.handoffs[0]
    assert (h.pattern_before, h.pattern_after, h.crossed) == ("11", "10", True)
    assert h.end == (F(1, 2), F(-1))
    long = float_run(prob, (F(1, 100), F(1, 100)), F(1, 10), 2000)
    assert not long.handoffs and abs(long.thetas[-1] - 0.5).max() < 1e-12


def test_c6_surrogate_claims() -> None:
    beta = F(8)
    assert check_uniform_distance(beta)
    log2 = sympy.log(2)
    assert sympy.simplify(c6_second_derivative_limit(beta) - (F(1, 4) + (log2 - 8) / 4)) == 0
    sur = Surrogate(paper_instance(), beta)
    bound = sur.curvature_lower_bound({"w1": 0, "w2": -10})
    limit = (8 - 1 - mpmath.log(2)) / 4
    assert bound.a > limit - mpmath.mpf("1e-6") and bound.b < limit + mpmath.mpf("1e-6")
    # C6(c): from the dead start the surrogate moves while ReLU GD does not
    path = sur.run({"w1": F(-1, 100), "w2": F(-1, 100)}, F(1, 10), 5)
    assert path[-1][0] > path[0][0]
    assert gradient_descent(paper_instance(), (F(-1, 100), F(-1, 100)), F(1, 10), 5).final == (F(-1, 100), F(-1, 100))


def test_train_cli_json_and_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plot = tmp_path / "train.png"
    code = main(
        [
            "train",
            "symrelu/examples/paper_instance.json",
            "--init", "w1=1/100,w2=1/100",
            "--init2", "w1=-1/100,w2=-1/100",
            "--lr", "1/10",
            "--steps", "1",
            "--json",
            "--surrogate", "softplus:8",
            "--plot", str(plot),
        ]
    )
    assert code == 0 and plot.stat().st_size > 10_000
    out = json.loads(capsys.readouterr().out)
    assert out["amplification_sq"] == "3481/100"  # ((1 − η) + η/(2ε))² = 5.9²
    assert out["runs"][0]["steps"][1]["theta"] == {"w1": "27/250", "w2": "27/250"}
    assert set(out["surrogate"]) == {"beta", "uniform_distance", "runs"}


def test_landscape_and_clarke_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plot = tmp_path / "land.png"
    assert main(["landscape", "symrelu/examples/paper_instance.json", "--json", "--plot", str(plot)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["parameters"] == ["w1", "w2"] and out["count"] == 4
    region = next(r for r in out["regions"] if r["pattern"] == "11")
    assert region["hessian"] == [["1", "1"], ["1", "1"]] and region["gradient"] == ["w1 + w2 - 1"] * 2
    assert {"pattern", "loss", "gradient", "hessian", "interior_point"} <= set(region)
    assert len(out["kinks"]) == 4 and plot.stat().st_size > 10_000
    assert main(["landscape", "symrelu/examples/problem_tied_relu.json"]) == 0
    assert "harmless" in capsys.readouterr().out
