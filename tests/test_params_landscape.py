"""Region enumeration in parameter space, checked against independent methods."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symrelu.network import Network
from symrelu.params.baseline import plain_z3_dfs
from symrelu.params.examples import paper_instance, tied_relu_instance, two_layer_instance
from symrelu.params.landscape import enumerate_parameter_regions
from symrelu.params.problem import Problem
from symrelu.params.trajectory import _FloatNet


def test_paper_instance_c2_hessians_and_losses() -> None:
    land = enumerate_parameter_regions(paper_instance())
    w1, w2 = sympy.symbols("w1 w2", real=True)
    expected = {
        "11": ([[1, 1], [1, 1]], (w1 + w2 - 1) ** 2 / 2),
        "10": ([[1, 0], [0, 0]], (w1 - 1) ** 2 / 2),
        "01": ([[0, 0], [0, 1]], (w2 - 1) ** 2 / 2),
        "00": ([[0, 0], [0, 0]], sympy.Rational(1, 2)),
    }
    assert [r.pattern for r in land.regions] == sorted(expected)
    for region in land.regions:
        hessian, loss = expected[region.pattern]
        assert region.sympy_hessian == sympy.Matrix(hessian)
        assert sympy.expand(region.sympy_loss - loss) == 0
        assert region.contains(region.interior_point)
    # spectral norms 2, 1, 1, 0 (C2)
    norms = sorted(max(abs(e) for e in r.sympy_hessian.eigenvals()) if r.sympy_hessian.eigenvals() else 0 for r in land.regions)
    assert norms == [0, 1, 1, 2]


def test_unbounded_domain_gives_same_four_regions() -> None:
    prob = paper_instance()
    free = Problem(prob.network, prob.data, "squared", None)
    assert [r.pattern for r in enumerate_parameter_regions(free).regions] == ["00", "01", "10", "11"]


def test_nonlinear_path_matches_plain_dfs_and_replays() -> None:
    prob = two_layer_instance()
    land = enumerate_parameter_regions(prob)
    assert land.method == "nonlinear"
    patterns, _ = plain_z3_dfs(prob)
    assert [r.pattern for r in land.regions] == patterns
    for region in land.regions:
        # selection polynomial agrees with direct evaluation of the network at the interior point
        assert region.loss(region.interior_point) == prob.loss_at(region.interior_point)


def _random_problem(draw: st.DrawFn, nonlinear: bool) -> Problem:
    small = st.integers(-2, 2)
    n_data = draw(st.integers(1, 3))
    width = draw(st.integers(1, 3))
    first = [[f"w{j}"] for j in range(width)]
    bias = [draw(st.sampled_from(["0", f"b{j}", "1", "-1"])) for j in range(width)]
    second = [["a0" if nonlinear and j == 0 else str(draw(small)) for j in range(width)]]
    layers = [(first, bias), (second, ["0"])]
    output_relu = nonlinear
    net = Network.from_rows(layers, output_relu=output_relu)
    data = [((draw(small),), (draw(small),)) for _ in range(n_data)]
    names = [p.name for p in net.parameters]
    domain = {n: ("-2", "2") for n in names} if draw(st.booleans()) else None
    return Problem(net, data, draw(st.sampled_from(["squared", "absolute"])), domain)


@st.composite
def linear_problems(draw: st.DrawFn) -> Problem:
    return _random_problem(draw, False)


@st.composite
def nonlinear_problems(draw: st.DrawFn) -> Problem:
    return _random_problem(draw, True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linear_problems())
def test_polyhedral_path_equals_plain_z3_dfs(prob: Problem) -> None:
    land = enumerate_parameter_regions(prob)
    assert land.method == "polyhedral"
    patterns, calls = plain_z3_dfs(prob)
    assert [r.pattern for r in land.regions] == patterns
    assert land.solver_calls <= calls


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nonlinear_problems())
def test_nonlinear_path_equals_plain_z3_dfs(prob: Problem) -> None:
    land = enumerate_parameter_regions(prob)
    patterns, _ = plain_z3_dfs(prob)
    assert [r.pattern for r in land.regions] == patterns


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linear_problems(), st.integers(0, 2**31))
def test_sampled_patterns_are_enumerated_and_gradients_match_finite_differences(prob: Problem, seed: int) -> None:
    land = enumerate_parameter_regions(prob)
    found = {r.bits for r in land.regions}
    from symrelu.params.switches import SwitchTable

    table = SwitchTable(prob)
    rng = np.random.default_rng(seed)
    k = len(prob.parameters)
    for _ in range(30):
        point = tuple(F(int(v), 64) for v in rng.integers(-127, 128, size=k))
        bits, zeros = table.pattern_at(point)
        if zeros or not all(-2 < v < 2 for v in point):
            continue
        assert bits in found  # every sampled region was enumerated
    net = _FloatNet(prob)
    for region in land.regions:
        theta = np.array([float(v) for v in region.interior_point])
        exact = [float(g(region.interior_point)) for g in region.gradient]
        h = 1e-7
        fd = []
        for i in range(k):
            e = np.zeros(k)
            e[i] = h
            fd.append((net.loss_grad(theta + e, 0.0)[0] - net.loss_grad(theta - e, 0.0)[0]) / (2 * h))
        assert np.allclose(exact, fd, atol=1e-4)


def test_tied_parameter_regions() -> None:
    land = enumerate_parameter_regions(tied_relu_instance())
    assert [r.pattern for r in land.regions] == ["01", "10"]
    assert all(str(r.sympy_loss) == "w**2/2 - w + 1/2" for r in land.regions)
