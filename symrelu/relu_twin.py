"""The ReLU twin of a network: the same function, exactly, with ReLU as its only activation.

Every continuous piecewise-linear activation is ``f(z) = s_0 z + o_0 + sum_j jump_j relu(z - b_j)``
and ``z = relu(z) - relu(-z)``, so each neuron becomes a few ReLU neurons (``relu(z)``,
``relu(-z)`` for the linear part, ``relu(z - b_j)`` per breakpoint, the ones at ``b_j = 0``
merged) that the next layer reads with those coefficients. The twin is exact (rational
weights; an algebraic identity neuron by neuron), so a stage that handles only ReLU networks
(the property checker's relaxations and branch and bound) can decide a question about the
input-output map of any network through it; witnesses are still replayed on the original.
It is the same function, not the same partition: where an activation's first slope is not 0 the
twin also cuts at ``z = 0`` (``relu(z) - relu(-z)``), so region questions use the network itself.

>>> from fractions import Fraction as F
>>> from symrelu import Network
>>> from symrelu.activation import clip, leaky_relu
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])]).with_activations([[leaky_relu(F(1, 10)), clip(0, 1)]])
>>> twin = relu_twin(net)
>>> twin.is_relu, twin.widths, [twin.evaluate([v]) == net.evaluate([v]) for v in (-3, F(-1, 2), 0, 2)]
(True, (1, 4, 1), [True, True, True, True])
"""

from __future__ import annotations

from fractions import Fraction

from .activation import Activation
from .network import Layer, Network


def _terms(act: Activation) -> tuple[list[tuple[int, Fraction, Fraction]], Fraction]:
    """``([(sign, shift, coefficient)], offset)``: ``f(z) = sum c relu(sign z - shift) + offset``."""
    coefficients: dict[tuple[int, Fraction], Fraction] = {}
    slope, offset = act.slopes[0], act.offsets[0]
    if slope:
        coefficients[(1, Fraction(0))] = slope
        coefficients[(-1, Fraction(0))] = -slope
    for b, jump in act.kinks:
        coefficients[(1, b)] = coefficients.get((1, b), Fraction(0)) + jump
    return [(sign, shift, c) for (sign, shift), c in coefficients.items() if c], offset


def relu_twin(net: Network) -> Network:
    """``net`` itself when it is a ReLU network, else its ReLU twin (see the module doc)."""
    if net.is_relu:
        return net
    net.require_concrete("the ReLU twin")
    zero = Fraction(0)
    layers: list[Layer] = []
    # how the previous layer's activations are read from the twin's neurons: (owner, coefficient) per twin neuron
    reading: list[tuple[int, Fraction]] | None = None
    offsets: list[Fraction] = []
    for index, layer in enumerate(net.layers):
        weight = [list(row) for row in layer.weight]
        bias = list(layer.bias)
        if reading is not None:  # fold the previous readout into this layer
            bias = [b + sum((w * o for w, o in zip(row, offsets)), zero) for row, b in zip(weight, bias)]
            weight = [[row[owner] * c for owner, c in reading] for row in weight]
        if index >= net.relu_layer_count:
            layers.append(Layer(tuple(tuple(row) for row in weight), tuple(bias)))
            reading = None
            break
        rows, shifts, reading, offsets = [], [], [], []
        for neuron, act in enumerate(net.activations[index]):
            terms, offset = _terms(act)
            for sign, shift, c in terms:
                rows.append(tuple(sign * w for w in weight[neuron]))
                shifts.append(sign * bias[neuron] - shift)
                reading.append((neuron, c))
            offsets.append(offset)
        layers.append(Layer(tuple(rows), tuple(shifts)))
    if reading is not None:  # the output was activated: read it out with one more affine layer
        width = net.output_dim
        readout = tuple(tuple(c if owner == n else zero for owner, c in reading) for n in range(width))
        layers.append(Layer(readout, tuple(offsets)))
    return Network(tuple(layers), output_relu=False, policy=net.policy, source=net.source)
