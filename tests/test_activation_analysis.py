"""Clarke Jacobians, Lipschitz constants and closed forms of networks with other activations.

* Clarke sets against the hull of gradients sampled in the regions around the point (exact
  Jacobians ``net.affine_map(net.pattern(y))`` at points ``y`` very near it, on many rays);
* the Clarke derivative of LeakyReLU at 0 is ``[alpha, 1]``; backprop's value lies in it;
* Lipschitz constants against a 1-D brute force (exact evaluation only), and every witness pair
  replayed on the network exactly;
* the SymPy closed form equals exact evaluation at random rational points.
"""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest
import sympy

from symrelu import Network
from symrelu.activation import abs_, clip, leaky_relu
from symrelu.clarke import backprop_audit, clarke_jacobian
from symrelu.closed_form import closed_form, input_symbols
from symrelu.hull import hull_vertices
from symrelu.lipschitz import lipschitz_constant, quotient_squared

ACTS = [leaky_relu(F(1, 10)), leaky_relu(F(-1, 2)), abs_(), clip(F(-1, 2), F(1, 2)), clip(0, 6)]


def small_net(seed, acts, widths=(2, 4, 4, 1)):
    rng = random.Random(seed)
    layers = [
        ([[F(rng.randint(-4, 4), 2) for _ in range(a)] for _ in range(b)], [F(rng.randint(-4, 4), 4) for _ in range(b)])
        for a, b in zip(widths, widths[1:])
    ]
    return Network.from_rows(layers).with_activations(acts)


def kink_point(net):
    """A point where neurons 0 and 1 of layer 0 both sit exactly at a breakpoint (None if parallel)."""
    (a, b), (c, d) = net.layers[0].weight[0], net.layers[0].weight[1]
    det = a * d - b * c
    if det == 0:
        return None
    t0 = net.activations[0][0].breakpoints[0] - net.layers[0].bias[0]
    t1 = net.activations[0][1].breakpoints[-1] - net.layers[0].bias[1]
    return ((d * t0 - b * t1) / det, (a * t1 - c * t0) / det)


def sampled_jacobians(net, point, rays=96):
    found = set()
    for k in range(rays):
        angle = 2 * sympy.pi * sympy.Rational(k, rays)
        direction = (F(str(sympy.N(sympy.cos(angle), 12))), F(str(sympy.N(sympy.sin(angle), 12))))
        step = F(1, 2**10)
        while True:  # shrink until the pattern along the ray has settled (three equal in a row)
            patterns = [net.pattern([p + step / 2**i * d for p, d in zip(point, direction)]) for i in range(3)]
            if patterns[0] == patterns[1] == patterns[2]:
                break
            step /= 8
        found.add(net.affine_map(patterns[0])[0])
    return found


def flat(matrix):
    return tuple(v for row in matrix for v in row)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("act", ACTS, ids=str)
def test_clarke_set_is_the_hull_of_neighbouring_gradients(seed, act):
    net = small_net(seed, [act, leaky_relu(F(1, 3))])
    point = kink_point(net)
    assert point is not None  # these seeds give non-parallel neurons
    clarke = clarke_jacobian(net, point)
    assert {(0, 0), (0, 1)} <= set(clarke.kinks)
    sampled = sampled_jacobians(net, point)
    assert sampled <= set(clarke.active_jacobians)
    assert sorted(hull_vertices([flat(j) for j in sampled])) == sorted(flat(v) for v in clarke.vertices)


def test_leaky_relu_clarke_derivative_at_zero_is_alpha_to_one():
    for alpha in (F(1, 10), F(1, 100), F(-1, 2)):
        net = Network.from_rows([([[1]], [0]), ([[1]], [0])]).with_activations([leaky_relu(alpha)])
        vertices = sorted(v[0][0] for v in clarke_jacobian(net, [0]).vertices)
        assert vertices == sorted([alpha, F(1)])
        for s in (F(0), F(1, 3), F(1)):
            audit = backprop_audit(net, [0], s)
            assert audit.backprop == (((1 - s) * alpha + s,),) and audit.in_clarke


def test_backprop_at_a_clip_corner_can_leave_the_clarke_set():
    # f(x) = clip(x, 0, 1) - clip(-x, 0, 1)... built so the two kinks cancel: f(x) = x near 0
    net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, -1]], [0])]).with_activations([clip(0, 1)])
    clarke = clarke_jacobian(net, [0])
    assert [v[0][0] for v in clarke.vertices] == [F(1)]
    audit = backprop_audit(net, [0], F(0))  # both neurons take their flat left piece: 0
    assert audit.backprop == ((F(0),),) and not audit.in_clarke


def brute_force_slopes_1d(net, lo, hi):
    """Every slope of the 1-D network from exact evaluation at the cuts where a neuron meets a breakpoint."""
    from test_activation_regions import brute_force_1d

    return [(net.evaluate([b])[0] - net.evaluate([a])[0]) / (b - a) for a, b, _ in brute_force_1d(net, lo, hi)]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("act", ACTS, ids=str)
def test_lipschitz_constant_matches_the_1d_brute_force_and_its_witness_replays(seed, act):
    net = small_net(seed, [act, abs_()], widths=(1, 5, 4, 1))
    result = lipschitz_constant(net, [(-3, 3)], norm="2")
    assert result.constant_squared == max(s * s for s in brute_force_slopes_1d(net, F(-3), F(3)))
    x, y = result.witness
    assert quotient_squared((net.evaluate(x)[0], net.evaluate(y)[0]), x, y, "2") == result.constant_squared


@pytest.mark.parametrize("norm", ["1", "2", "inf"])
@pytest.mark.parametrize("act", ACTS, ids=str)
def test_lipschitz_witness_replays_exactly_in_2d_and_bounds_sampled_quotients(norm, act):
    net = small_net(3, [act, clip(F(-1), F(1))])
    result = lipschitz_constant(net, [(-1, 1), (-1, 1)], norm=norm)
    x, y = result.witness
    assert quotient_squared((net.evaluate(x)[0], net.evaluate(y)[0]), x, y, norm) == result.constant_squared
    rng = random.Random(1)
    for _ in range(200):
        p = (F(rng.randint(-64, 64), 64), F(rng.randint(-64, 64), 64))
        q = (F(rng.randint(-64, 64), 64), F(rng.randint(-64, 64), 64))
        if p != q:
            assert quotient_squared((net.evaluate(p)[0], net.evaluate(q)[0]), p, q, norm) <= result.constant_squared


@pytest.mark.parametrize("act", ACTS, ids=str)
@pytest.mark.parametrize("form", ["max", "piecewise"])
def test_closed_form_equals_exact_evaluation(act, form):
    # SymPy's Max -> Piecewise rewrite recurses too deep on two layers of Clip: one layer there
    net = small_net(5, [act, clip(F(-1, 3), F(2))]) if form == "max" else small_net(5, [act], widths=(2, 4, 1))
    x0, x1 = input_symbols(net)
    expr = closed_form(net, form=form)[0]
    rng = random.Random(2)
    for _ in range(8):
        p = (F(rng.randint(-40, 40), 16), F(rng.randint(-40, 40), 16))
        assert expr.subs({x0: sympy.Rational(p[0]), x1: sympy.Rational(p[1])}) == sympy.Rational(net.evaluate(p)[0])
