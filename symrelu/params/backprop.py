"""What reverse-mode differentiation returns, with relu'(0) = s, computed exactly.

This mimics an autodiff framework: forward pass, then the chain rule backwards
with relu'(z) = 1 for z > 0, 0 for z < 0 and ``s`` at z = 0; tied parameters add
up their contributions. For the absolute loss, |r|'(0) = 0 (as PyTorch does).
Another activation uses the slope of its piece off its breakpoints and, at a
breakpoint, ``(1 − s)·(slope below) + s·(slope above)`` (LeakyReLU: α at ``s = 0``,
as PyTorch does; ReLU: ``s``).

>>> from fractions import Fraction as F
>>> from symrelu.params.examples import paper_instance
>>> prob = paper_instance()
>>> backprop_gradient(prob, (F(0), F(0)), F(0)), backprop_gradient(prob, (F(0), F(0)), F(1))
((Fraction(0, 1), Fraction(0, 1)), (Fraction(-1, 1), Fraction(-1, 1)))
"""

from __future__ import annotations

from fractions import Fraction

import sympy

from ..validation import check_relu_grad_at_zero
from .problem import Point, Problem


def _sign(v: Fraction) -> int:
    return (v > 0) - (v < 0)


def backprop_gradient(problem: Problem, point: Point, s: object = 0) -> tuple[Fraction, ...]:
    """The gradient backpropagation returns at θ = ``point`` with relu'(0) = ``s``."""
    s = check_relu_grad_at_zero(s)
    net = problem.network
    names = problem.parameter_names
    index = {name: i for i, name in enumerate(names)}
    values = dict(zip(names, problem.point(point)))

    def val(w: object) -> Fraction:
        return values[w.name] if isinstance(w, sympy.Symbol) else w  # type: ignore[return-value]

    grad = [Fraction(0)] * len(names)
    n = len(problem.data)
    relu_layers = net.relu_layer_count
    for x, y in problem.data:
        inputs: list[list[Fraction]] = []
        pres: list[list[Fraction]] = []
        a = list(x)
        for l, layer in enumerate(net.layers):
            inputs.append(a)
            z = [sum((val(w) * v for w, v in zip(row, a)), Fraction(0)) + val(b) for row, b in zip(layer.weight, layer.bias)]
            pres.append(z)
            a = [act.evaluate(v) for act, v in zip(net.activations[l], z)] if l < relu_layers else z
        residual = [o - t for o, t in zip(a, y)]
        if problem.loss == "squared":
            delta = [r / n for r in residual]
        else:
            delta = [Fraction(_sign(r), n) for r in residual]
        for l in range(len(net.layers) - 1, -1, -1):
            layer = net.layers[l]
            if l < relu_layers:
                delta = [d * act.backprop_slope(z, s) for d, z, act in zip(delta, pres[l], net.activations[l])]
            for j, (row, b) in enumerate(zip(layer.weight, layer.bias)):
                if isinstance(b, sympy.Symbol):
                    grad[index[b.name]] += delta[j]
                for k, w in enumerate(row):
                    if isinstance(w, sympy.Symbol):
                        grad[index[w.name]] += delta[j] * inputs[l][k]
            delta = [
                sum((val(layer.weight[j][k]) * delta[j] for j in range(layer.out_dim)), Fraction(0))
                for k in range(layer.in_dim)
            ]
    return tuple(grad)
