"""Closed forms, Clarke Jacobians, backprop audits and Lipschitz constants, against independent methods."""

from __future__ import annotations

import random
from fractions import Fraction as F

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from netgen import random_network, small_networks

from symrelu import Network
from symrelu.clarke import backprop_audit, backprop_jacobian, clarke_jacobian
from symrelu.closed_form import closed_form, input_symbols
from symrelu.errors import DomainError, InputFormatError, ShapeError
from symrelu.hull import hull_vertices, in_hull
from symrelu.lipschitz import lipschitz_constant, quotient_squared
from symrelu.regions import enumerate_regions


def numpy_forward(net: Network, x: np.ndarray) -> np.ndarray:
    """An independent float64 reference forward pass."""
    a = x
    for index, layer in enumerate(net.layers):
        w = np.array([[float(v) for v in row] for row in layer.weight])
        b = np.array([float(v) for v in layer.bias])
        a = a @ w.T + b
        if index < net.relu_layer_count:
            a = np.maximum(a, 0.0)
    return a


@settings(max_examples=25, deadline=None)
@given(small_networks(input_dims=(1, 2, 3)))
def test_closed_form_matches_numpy_and_exact_evaluation(net: Network) -> None:
    forms = closed_form(net)
    symbols = input_symbols(net)
    rng = np.random.default_rng(0)
    points = rng.uniform(-2, 2, size=(8, net.input_dim))
    reference = numpy_forward(net, points)
    for form, column in zip(forms, reference.T):
        f = sympy.lambdify(symbols, form, "numpy")
        assert np.allclose([f(*p) for p in points], column, atol=1e-9)
    exact_point = tuple(F(k, 3) for k in range(net.input_dim))
    substituted = [form.subs(dict(zip(symbols, [sympy.Rational(v.numerator, v.denominator) for v in exact_point]))) for form in forms]
    assert [F(str(v)) for v in substituted] == list(net.evaluate(exact_point))


def test_closed_form_piecewise_and_parameters() -> None:
    net = Network.from_rows([([["w1"], ["w2"]], [0, 0]), ([[1, 1]], [0])])
    (form,) = closed_form(net, inputs=[1])
    w1, w2 = net.parameters
    assert form == sympy.Max(0, w1) + sympy.Max(0, w2)
    (piecewise,) = closed_form(net, inputs=[1], form="piecewise")
    assert piecewise.has(sympy.Piecewise)
    assert piecewise.subs({w1: 2, w2: -3}) == 2


def test_hull_vertices_and_membership() -> None:
    points = [(F(0), F(0)), (F(2), F(0)), (F(0), F(2)), (F(1), F(1)), (F(1, 2), F(1, 2)), (F(2), F(0))]
    assert hull_vertices(points) == ((F(0), F(0)), (F(0), F(2)), (F(2), F(0)))
    assert in_hull((F(1), F(1)), hull_vertices(points))
    assert not in_hull((F(1), F(1) + F(1, 10**9)), hull_vertices(points))


def test_clarke_at_the_origin_of_relu_sum_is_the_unit_square() -> None:
    # f(x, y) = relu(x) + relu(y): four regions meet at 0
    net = Network.from_rows([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    clarke = clarke_jacobian(net, [0, 0])
    assert {v[0] for v in clarke.vertices} == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert clarke.kinks == ((0, 0), (0, 1))
    assert clarke.contains(((F(1, 2), F(1, 3)),))
    assert not clarke.contains(((F(3, 2), F(0)),))


def test_backprop_outside_clarke_for_the_identity_written_with_two_relus() -> None:
    # f(x) = relu(x) - relu(-x) = x, so the Clarke set at 0 is {1}; backprop with relu'(0)=0 returns 0.
    net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, -1]], [0])])
    audit = backprop_audit(net, [0], relu_grad_at_zero=0)
    assert audit.clarke.vertices == (((F(1),),),)
    assert audit.backprop == ((F(0),),)
    assert audit.in_clarke is False
    half = backprop_audit(net, [0], relu_grad_at_zero=F(1, 2))
    assert half.backprop == ((F(1),),) and half.in_clarke is True


def test_backprop_rejects_slope_outside_unit_interval() -> None:
    net = Network.from_rows([([[1]], [0]), ([[1]], [0])])
    with pytest.raises(DomainError, match=r"relu_grad_at_zero=3/2 must lie in \[0, 1\]"):
        backprop_jacobian(net, [0], F(3, 2))
    with pytest.raises(ShapeError):
        clarke_jacobian(net, [0, 1])


def _closure_jacobians(net: Network, x: tuple[F, ...], box: list[tuple[F, F]]) -> set:
    return {r.jacobian for r in enumerate_regions(net, box) if r.contains(x)}


@settings(max_examples=30, deadline=None)
@given(small_networks(input_dims=(1, 2), max_width=4))
def test_clarke_matches_regions_whose_closure_contains_the_point(net: Network) -> None:
    """Independent check: the tangent-network method against the global enumeration,
    at region vertices (where several kinks meet) and at interior points."""
    box = [(F(-2), F(2))] * net.input_dim
    regions = enumerate_regions(net, box)
    candidates = {v for r in regions for v in r.vertices if all(-2 < c < 2 for c in v)}
    candidates |= {r.interior_point for r in regions[:3]}
    for x in sorted(candidates)[:12]:
        expected = {r.jacobian for r in regions if r.contains(x)}
        clarke = clarke_jacobian(net, x)
        assert set(clarke.active_jacobians) == expected
        flat = [tuple(v for row in j for v in row) for j in expected]
        assert {tuple(v for row in m for v in row) for m in clarke.vertices} == set(hull_vertices(flat))


@settings(max_examples=30, deadline=None)
@given(small_networks(input_dims=(1, 2), max_width=4))
def test_backprop_equals_the_gradient_off_the_kinks(net: Network) -> None:
    regions = enumerate_regions(net, [(F(-1), F(1))] * net.input_dim)
    for region in regions[:5]:
        for s in (F(0), F(1)):
            assert backprop_jacobian(net, region.interior_point, s) == region.jacobian
        audit = backprop_audit(net, region.interior_point)
        assert audit.clarke.vertices == (region.jacobian,) and audit.in_clarke


def test_lipschitz_witness_attains_the_constant_for_every_norm() -> None:
    net = random_network((2, 6, 6, 1), seed=3)
    box = [(F(-1), F(1)), (F(-1), F(1))]
    regions = enumerate_regions(net, box)
    for norm in ("1", "2", "inf"):
        result = lipschitz_constant(net, box, norm, regions=regions)
        x, y = result.witness
        assert all(-1 <= c <= 1 for c in x + y)
        values = (net.evaluate(x)[0], net.evaluate(y)[0])
        assert quotient_squared(values, x, y, norm) == result.constant_squared
        assert result.constant ** 2 == sympy.Rational(result.constant_squared.numerator, result.constant_squared.denominator)


def test_lipschitz_is_an_upper_bound_on_random_pairs() -> None:
    """Sampling check with numpy: no sampled difference quotient exceeds the exact constant."""
    net = random_network((2, 8, 8, 1), seed=11)
    box = [(F(-1), F(1)), (F(-1), F(1))]
    rng = random.Random(5)
    for norm, order in (("1", 1), ("2", 2), ("inf", np.inf)):
        bound = float(lipschitz_constant(net, box, norm).constant)
        worst = 0.0
        for _ in range(400):
            x = np.array([rng.uniform(-1, 1), rng.uniform(-1, 1)])
            y = x + np.array([rng.uniform(-0.05, 0.05), rng.uniform(-0.05, 0.05)])
            y = np.clip(y, -1, 1)
            fx, fy = numpy_forward(net, np.array([x, y]))[:, 0]
            worst = max(worst, abs(fx - fy) / np.linalg.norm(x - y, order))
        assert worst <= bound * (1 + 1e-9)
        assert worst >= 0.5 * bound  # the sampled quotient gets close to the true constant


def test_lipschitz_of_output_combination_and_errors() -> None:
    net = Network.from_rows([([[1, 0], [0, 1]], [0, 0]), ([[1, 0], [0, 2]], [0, 0])])
    box = [(F(-1), F(1)), (F(-1), F(1))]
    assert lipschitz_constant(net, box, "inf", combination=[1, 1]).constant_squared == 9
    assert lipschitz_constant(net, box, "2", output=1).constant == 2
    with pytest.raises(ShapeError):
        lipschitz_constant(net, box, "2")  # two outputs: must choose
    with pytest.raises(ShapeError):
        lipschitz_constant(net, box, "2", output=2)
    with pytest.raises(InputFormatError):
        lipschitz_constant(net, box, "3", output=0)
