"""Closed forms of a network as SymPy expressions (Max or Piecewise form).

>>> from symrelu import Network
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], ["1/2"])])
>>> closed_form(net)[0]
Max(0, -x0) + Max(0, x0) + 1/2
>>> print(sympy.latex(closed_form(net)[0]))
\\max\\left(0, - x_{0}\\right) + \\max\\left(0, x_{0}\\right) + \\frac{1}{2}

Any other activation is written through ReLUs (``f(z) = s0 z + o0 + sum_j jump_j max(0, z - b_j)``,
:meth:`~symrelu.activation.Activation.build`):

>>> from symrelu.activation import leaky_relu
>>> closed_form(net.with_activations([leaky_relu(Fraction(1, 10))]))[0]
9*Max(0, -x0)/10 + 9*Max(0, x0)/10 + 1/2
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

import sympy

from .network import Network, Weight


def _sym(value: Weight) -> sympy.Expr:
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    return value


def _relu(value: sympy.Expr) -> sympy.Expr:
    return sympy.Max(0, value)


def _rational(value: Fraction) -> sympy.Expr:
    return sympy.Rational(value.numerator, value.denominator)


def input_symbols(net: Network, prefix: str = "x") -> tuple[sympy.Symbol, ...]:
    """Real symbols ``x0, x1, ...`` for the network's inputs."""
    return tuple(sympy.Symbol(f"{prefix}{i}", real=True) for i in range(net.input_dim))


def closed_form(
    net: Network,
    inputs: Sequence[object] | None = None,
    form: Literal["max", "piecewise"] = "max",
) -> tuple[sympy.Expr, ...]:
    """Each output as an exact SymPy expression.

    ``inputs`` defaults to the symbols ``x0, x1, ...``; pass rationals instead to
    get the network as a function of its parameters (symbolic weights).
    ``form="piecewise"`` rewrites every ``Max`` as a ``Piecewise``.
    """
    values: list[sympy.Expr] = list(input_symbols(net)) if inputs is None else [
        v if isinstance(v, sympy.Basic) else _sym(Fraction(v)) for v in inputs  # type: ignore[call-overload]
    ]
    for index, layer in enumerate(net.layers):
        values = [
            sympy.Add(*[_sym(w) * v for w, v in zip(row, values)], _sym(b)) for row, b in zip(layer.weight, layer.bias)
        ]
        if index < net.relu_layer_count:
            values = [sympy.Max(0, v) if act.is_relu else act.build(v, _relu, _rational) for act, v in zip(net.activations[index], values)]
    if form == "piecewise":
        values = [v.rewrite(sympy.Piecewise) for v in values]
    return tuple(values)
