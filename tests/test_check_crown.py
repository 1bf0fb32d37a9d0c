"""Exact back-substitution bounds (symrelu.check.crown): sound at exactly evaluated points, close to the float twin."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.check.certificate import BoxCertificate, ExactModel
from symrelu.check.crown import crown_phases, crown_rows
from symrelu.check.floatbounds import FloatModel, row_minimum
from symrelu.network import Network


def _net(seed: int, scale: int) -> Network:
    rng = np.random.default_rng(seed)
    sizes = [2, 4, 3, 2]
    layers = []
    for a, b in zip(sizes, sizes[1:], strict=False):
        weight = [[Fraction(int(v), scale) for v in row] for row in rng.integers(-3, 4, size=(b, a))]
        bias = [Fraction(int(v), scale) for v in rng.integers(-2, 3, size=b)]
        layers.append((weight, bias))
    return Network.from_rows(layers)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from([1, 3, 7]), st.lists(st.fractions(-1, 1, max_denominator=9), min_size=4, max_size=4))
def test_rows_are_lower_bounds_at_exact_points(seed: int, scale: int, corners: list[Fraction]) -> None:
    """Integer weights over 1, 3 or 7 give exact ties (bounds of exactly 0) and non-dyadic denominators."""
    net = _net(seed, scale)
    box = ((min(corners[0], corners[1]), max(corners[0], corners[1])), (min(corners[2], corners[3]), max(corners[2], corners[3])))
    rows = [((Fraction(1), Fraction(-1)), Fraction(1, 2), False), ((Fraction(-1), Fraction(0)), Fraction(0), False)]
    model = ExactModel.build(net, rows)
    bounds = crown_rows(model, box)
    rng = np.random.default_rng(seed)
    points = [tuple(lo + (hi - lo) * Fraction(int(rng.integers(0, 9)), 8) for lo, hi in box) for _ in range(12)]
    for x in points:
        y = net.evaluate(x)
        for (coefficients, constant, _), (bound, bound_constant) in zip(rows, bounds, strict=True):
            value = constant + sum((c * v for c, v in zip(coefficients, y, strict=True)), Fraction(0))
            assert bound_constant + sum((c * v for c, v in zip(bound, x, strict=True)), Fraction(0)) <= value
    # every phase it claims holds at each point: active means z >= 0, inactive z <= 0 (pre-activations by hand)
    phases = crown_phases(model, box)
    for x in points:
        values = list(x)
        for layer, kinds in zip(net.layers[:-1], phases, strict=True):
            z = [sum((w * v for w, v in zip(row, values, strict=True)), b) for row, b in zip(layer.weight, layer.bias, strict=True)]
            assert all(v >= 0 for v, k in zip(z, kinds, strict=True) if k == 1)
            assert all(v <= 0 for v, k in zip(z, kinds, strict=True) if k == 0)
            values = [max(v, Fraction(0)) for v in z]
    # the float twin computes the same bounds over the box up to rounding (at exact ties the two may pick
    # different relaxations of a neuron whose float interval is a hair wide, so the rows themselves can differ)
    float_model = FloatModel.from_network(net, np.array([[float(c) for c in r[0]] for r in rows]), np.array([float(r[1]) for r in rows]))
    lo, hi = np.array([float(a) for a, _ in box]), np.array([float(b) for _, b in box])
    twin, _ = float_model.crown_rows(lo, hi)
    for (bound, bound_constant), row in zip(bounds, twin, strict=True):
        exact_min = bound_constant + sum((c * (a if c >= 0 else b) for c, (a, b) in zip(bound, box, strict=True)), Fraction(0))
        assert abs(float(exact_min) - float(row_minimum(row[None, :], lo, hi)[0])) <= 1e-4 * (1 + abs(float(exact_min)))


def test_a_crown_certificate_closes_a_box_the_forward_rows_cannot() -> None:
    """|x| - |x| = 0 on [-1, 1]: the unsafe set y > 1/2 is empty; checked against the exact value 0 at every point."""
    net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1], [1, 1]], [0, 0]), ([[1, -1]], [0])])
    rows = [((Fraction(-1),), Fraction(1, 2), True)]  # unsafe: -y + 1/2 < 0
    model = ExactModel.build(net, rows)
    box = ((Fraction(-1), Fraction(1)),)
    assert all(net.evaluate((Fraction(k, 4),)) == (0,) for k in range(-4, 5))
    assert model.check(BoxCertificate(box, (0, 0, 1))).proved
    assert not model.check(BoxCertificate(box, (1, 0, 0))).proved
    assert not model.check(BoxCertificate(box, (0, 0, 0))).proved
