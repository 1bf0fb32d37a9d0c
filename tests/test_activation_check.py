"""The property checker and output bounds on networks with other activations, through the ReLU twin.

* the twin equals the network exactly (hypothesis: ties on breakpoints, zero rows, activated outputs);
* ``check_property`` and ``output_bounds`` against the exact extreme values over the box found
  independently from the region enumeration (the network's maximum over a box is attained at a
  vertex of one of its regions), with every witness replayed on the original network.
"""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from test_activation_regions import nets

from symrelu import Network
from symrelu.activation import abs_, clip, leaky_relu
from symrelu.check.bounds import output_bounds
from symrelu.check.engine import check_property
from symrelu.check.vnnlib import parse_vnnlib
from symrelu.regions import enumerate_regions
from symrelu.relu_twin import relu_twin

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(nets(2))
def test_the_relu_twin_is_the_same_function(net):
    twin = relu_twin(net)
    assert twin.is_relu and twin.input_dim == net.input_dim and twin.output_dim == net.output_dim
    grid = [F(k, 4) for k in range(-6, 7)]  # hits the breakpoints -1, -1/2, 0, 1/2, 1 and ties
    for x in grid[::2]:
        for y in grid[1::3]:
            assert twin.evaluate([x, y]) == net.evaluate([x, y])


def test_the_twin_of_a_relu_network_is_itself():
    net = Network.from_rows([([[1, 2]], [0]), ([[1]], [0])])
    assert relu_twin(net) is net


def small_net(seed, acts):
    rng = random.Random(seed)
    widths = (2, 4, 3, 1)
    layers = [
        ([[F(rng.randint(-8, 8), 4) for _ in range(a)] for _ in range(b)], [F(rng.randint(-4, 4), 4) for _ in range(b)])
        for a, b in zip(widths, widths[1:])
    ]
    return Network.from_rows(layers).with_activations(acts)


def extremes(net, box):
    values = [net.evaluate(v)[0] for r in enumerate_regions(net, box) for v in r.vertices]
    return min(values), max(values)


PROPERTY = "(declare-const X_0 Real)(declare-const X_1 Real)(declare-const Y_0 Real)" + "".join(
    f"(assert (>= X_{i} -1))(assert (<= X_{i} 1))" for i in range(2)
)

CASES = [
    (0, [leaky_relu(F(1, 10)), abs_()]),
    (1, [clip(F(-1, 2), F(1, 2)), leaky_relu(F(-1, 4))]),
    (2, [abs_(), clip(0, 6)]),
    (3, [leaky_relu(F(3, 2)), clip(F(-1), F(1, 4))]),
]


@pytest.mark.parametrize("seed, acts", CASES)
def test_check_property_finds_the_exact_extremes(seed, acts):
    net = small_net(seed, acts)
    low, high = extremes(net, [(-1, 1), (-1, 1)])
    for bound, op in ((high, ">="), (low, "<=")):
        scaled = f"(* {bound.denominator} Y_0) {bound.numerator}"  # VNN-LIB has no division: d y op n
        sat = check_property(net, parse_vnnlib(PROPERTY + f"(assert ({op} {scaled}))"))
        assert sat.result == "sat" and sat.inputs is not None
        assert net.evaluate(sat.inputs) == sat.outputs and sat.outputs[0] == bound
        strict = ">" if op == ">=" else "<"
        assert check_property(net, parse_vnnlib(PROPERTY + f"(assert ({strict} {scaled}))")).result == "unsat"


@pytest.mark.parametrize("seed, acts", CASES)
def test_output_bounds_are_the_exact_extremes(seed, acts):
    net = small_net(seed, acts)
    (bound,) = output_bounds(net, ((F(-1), F(1)), (F(-1), F(1))))
    assert (bound.minimum, bound.maximum) == extremes(net, [(-1, 1), (-1, 1)])
    assert net.evaluate(bound.argmin)[0] == bound.minimum and net.evaluate(bound.argmax)[0] == bound.maximum
