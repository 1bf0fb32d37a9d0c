"""Clarke Jacobians at any rational point, and what backpropagation returns there.

The Clarke Jacobian of a piecewise-affine ``f`` at ``x`` is the convex hull of
the Jacobians of the full-dimensional regions whose closure contains ``x``.
Near ``x``, ``f(x + t d) = f(x) + t T(d)`` where ``T`` is the *tangent network*:
a neuron off its breakpoints passes its input change through times the slope of its
piece (dropped when that slope is 0, as for an inactive ReLU), and a neuron exactly at a
breakpoint ``b_j`` gives ``s_j u + (s_{j+1} - s_j) relu(u)`` (its Clarke derivative there
is the interval between the two slopes). ``T`` is itself a ReLU network (``s u`` is
``s relu(u) - s relu(-u)``), so its regions on ``[-1, 1]^n``, enumerated exactly, are the
regions of ``f`` that touch ``x``. This is right however many kinks meet at ``x``, and for
any piecewise-linear activation (:class:`~symrelu.activation.Activation`).

>>> from fractions import Fraction as F
>>> from symrelu import Network
>>> absolute = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])   # |x|
>>> clarke_jacobian(absolute, [0]).vertices
(((Fraction(-1, 1),),), ((Fraction(1, 1),),))
>>> audit = backprop_audit(absolute, [0], relu_grad_at_zero=F(1))
>>> audit.backprop, audit.in_clarke
(((Fraction(0, 1),),), True)
>>> from symrelu.activation import leaky_relu
>>> leaky = Network.from_rows([([[1]], [0]), ([[1]], [0])]).with_activations([leaky_relu(F(1, 10))])
>>> [v[0][0] for v in clarke_jacobian(leaky, [0]).vertices]      # [alpha, 1]
[Fraction(1, 10), Fraction(1, 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .hull import hull_vertices, in_hull
from .network import Layer, Matrix, Network, Vector
from .regions import enumerate_regions
from .validation import check_relu_grad_at_zero


@dataclass(frozen=True)
class ClarkeJacobian:
    """The exact Clarke Jacobian at ``point``: the hull of ``vertices`` (each an out x in matrix)."""

    point: Vector
    vertices: tuple[Matrix, ...]
    active_jacobians: tuple[Matrix, ...]
    kinks: tuple[tuple[int, int], ...]
    """(layer, neuron) pairs whose pre-activation is exactly at a breakpoint (ReLU: zero) at the point."""

    def contains(self, jacobian: Matrix) -> bool:
        """Exact membership test of a Jacobian in the Clarke set."""
        return in_hull(_flatten(jacobian), [_flatten(v) for v in self.vertices])


@dataclass(frozen=True)
class BackpropAudit:
    """What reverse-mode differentiation with ``relu'(0) = s`` returns, against the Clarke set."""

    point: Vector
    relu_grad_at_zero: Fraction
    backprop: Matrix
    clarke: ClarkeJacobian
    in_clarke: bool


def _flatten(matrix: Matrix) -> tuple[Fraction, ...]:
    return tuple(v for row in matrix for v in row)


def _unflatten(values: Sequence[Fraction], columns: int) -> Matrix:
    return tuple(tuple(values[i : i + columns]) for i in range(0, len(values), columns))


def tangent_network(net: Network, x: Sequence[object]) -> tuple[Network, tuple[tuple[int, int], ...]]:
    """The ReLU network ``T`` with ``f(x + t d) = f(x) + t T(d)`` for small ``t >= 0``, and the kinks at ``x``."""
    point = net.check_point(x)
    preactivations = net.preactivations(point)
    zero = Fraction(0)
    layers: list[Layer] = []
    # back[k] = how original activation k of the previous layer is read from the new neurons
    back: list[dict[int, Fraction]] = [{i: Fraction(1)} for i in range(net.input_dim)]
    width = net.input_dim
    kinks: list[tuple[int, int]] = []
    for index, layer in enumerate(net.layers):
        rows = [
            tuple(sum((w * back[k].get(c, zero) for k, w in enumerate(row)), zero) for c in range(width))
            for row in layer.weight
        ]
        if index >= net.relu_layer_count:
            layers.append(Layer(tuple(rows), tuple(zero for _ in rows)))
            break
        new_rows: list[tuple[Fraction, ...]] = []
        back = []
        for neuron, (row, z, act) in enumerate(zip(rows, preactivations[index], net.activations[index])):
            reading: dict[int, Fraction] = {}
            state = act.state(z)
            slope = act.slopes[state]  # at a breakpoint b_j the state is j: the lower piece
            if slope:  # slope * u = slope * relu(u) - slope * relu(-u)
                reading = {len(new_rows): slope, len(new_rows) + 1: -slope}
                new_rows += [row, tuple(-v for v in row)]
            if state < len(act.breakpoints) and z == act.breakpoints[state]:
                kinks.append((index, neuron))
                reading[len(new_rows)] = act.slopes[state + 1] - slope  # the slope's jump at b_j
                new_rows.append(row)
            back.append(reading)
        if not new_rows:  # every neuron strictly inactive: the tangent is zero from here on
            new_rows = [tuple(zero for _ in range(width))]
        layers.append(Layer(tuple(new_rows), tuple(zero for _ in new_rows)))
        width = len(new_rows)
    if net.output_relu:
        readout = tuple(tuple(reading.get(c, zero) for c in range(width)) for reading in back)
        layers.append(Layer(readout, tuple(zero for _ in readout)))
    tangent = Network(tuple(layers), output_relu=False, policy=net.policy, source=f"tangent of {net.source}")
    return tangent, tuple(kinks)


def clarke_jacobian(net: Network, x: Sequence[object]) -> ClarkeJacobian:
    """The exact Clarke Jacobian of ``net`` at the rational point ``x``, as its vertex set."""
    point = net.check_point(x)
    tangent, kinks = tangent_network(net, point)
    box = [(Fraction(-1), Fraction(1))] * net.input_dim
    jacobians = sorted({region.jacobian for region in enumerate_regions(tangent, box)})
    columns = net.input_dim
    vertices = tuple(_unflatten(v, columns) for v in hull_vertices([_flatten(j) for j in jacobians]))
    return ClarkeJacobian(point, vertices, tuple(jacobians), kinks)


def backprop_jacobian(net: Network, x: Sequence[object], relu_grad_at_zero: object = 0) -> Matrix:
    """What reverse-mode differentiation returns at ``x`` when ``relu'(0) = s``, exactly.

    At a breakpoint of another activation backpropagation takes ``(1 - s)`` times the slope on the
    left plus ``s`` times the slope on the right (ReLU: ``s``; ``s = 0``: the left piece, as
    PyTorch's LeakyReLU; Abs with ``s = 1/2``: 0, as PyTorch)."""
    s = check_relu_grad_at_zero(relu_grad_at_zero)
    preactivations = net.preactivations(net.check_point(x))
    # adjoint rows: d output / d (current layer's pre-activation), built from the output backwards
    adjoint: list[list[Fraction]] = [[Fraction(int(i == j)) for j in range(net.output_dim)] for i in range(net.output_dim)]
    for index in range(len(net.layers) - 1, -1, -1):
        if index < net.relu_layer_count:
            slopes = [act.backprop_slope(z, s) for act, z in zip(net.activations[index], preactivations[index])]
            adjoint = [[a * slope for a, slope in zip(row, slopes)] for row in adjoint]
        weight = net.layers[index].weight
        adjoint = [
            [sum((row[k] * weight[k][c] for k in range(len(weight))), Fraction(0)) for c in range(len(weight[0]))]
            for row in adjoint
        ]
    return tuple(tuple(row) for row in adjoint)


def backprop_audit(net: Network, x: Sequence[object], relu_grad_at_zero: object = 0) -> BackpropAudit:
    """Backpropagation's value at ``x`` and whether it lies in the Clarke Jacobian (exact)."""
    point = net.check_point(x)
    s = check_relu_grad_at_zero(relu_grad_at_zero)
    backprop = backprop_jacobian(net, point, s)
    clarke = clarke_jacobian(net, point)
    return BackpropAudit(point, s, backprop, clarke, clarke.contains(backprop))
