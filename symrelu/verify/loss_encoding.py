"""The loss of a training problem encoded directly: parameters as z3 variables, ReLU as if-then-else.

No region, no selection polynomial: each hidden activation is a fresh
variable ``h = ite(z > 0, z, 0)`` per data point and per copy of the
parameters, so the formula grows linearly with network and data.

>>> import z3
>>> from fractions import Fraction as F
>>> from symrelu.params import paper_instance
>>> prob = paper_instance()
>>> theta = {n: z3.Real(n) for n in prob.parameter_names}
>>> enc = encode_loss(prob, theta, "a")
>>> s = z3.Solver(); s.add(enc.constraints); s.add(theta["w1"] == F(1, 2), theta["w2"] == -1)
>>> s.check(), s.model().eval(enc.loss)
(sat, 1/8)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy
import z3

from ..errors import ShapeError
from ..params.problem import Problem
from .encode import absolute, add_all, rational_val, relu


@dataclass(frozen=True)
class LossEncoding:
    """Definitions of the hidden activations, the outputs f_ik, residuals r_ik and the loss term."""

    constraints: tuple[z3.BoolRef, ...]
    outputs: tuple[tuple[z3.ArithRef, ...], ...]
    residuals: tuple[tuple[z3.ArithRef, ...], ...]
    loss: z3.ArithRef


def _weight(w: object, theta: Mapping[str, z3.ArithRef]) -> z3.ArithRef | Fraction:
    if isinstance(w, sympy.Symbol):
        if w.name not in theta:
            raise ShapeError(f"parameter {w.name} has no z3 variable")
        return theta[w.name]
    if not isinstance(w, Fraction):
        raise ShapeError(f"weight {w!r} is neither a rational nor a parameter")
    return w


def _affine(row: Sequence[object], bias: object, values: Sequence[z3.ArithRef], theta: Mapping[str, z3.ArithRef]) -> z3.ArithRef:
    terms: list[z3.ArithRef] = []
    for w, value in zip(row, values):
        weight = _weight(w, theta)
        if isinstance(weight, Fraction):
            if weight == 0:
                continue
            terms.append(value if weight == 1 else rational_val(weight) * value)
        else:
            terms.append(weight * value)
    b = _weight(bias, theta)
    if not isinstance(b, Fraction):
        terms.append(b)
    elif b != 0 or not terms:
        terms.append(rational_val(b))
    return add_all(terms)


def encode_outputs(problem: Problem, theta: Mapping[str, z3.ArithRef], tag: str, data_index: int) -> tuple[list[z3.BoolRef], tuple[z3.ArithRef, ...]]:
    """Constraints and output terms of the network at data point ``data_index`` with parameters ``theta``."""
    net = problem.network
    x, _ = problem.data[data_index]
    current: list[z3.ArithRef] = [rational_val(v) for v in x]
    constraints: list[z3.BoolRef] = []
    for index, layer in enumerate(net.layers):
        pre = [_affine(row, bias, current, theta) for row, bias in zip(layer.weight, layer.bias)]
        if index < net.relu_layer_count:
            hidden = [z3.Real(f"{tag}_d{data_index}_h{index}_{j}") for j in range(layer.out_dim)]
            constraints += [h == relu(z) for h, z in zip(hidden, pre)]
            current = hidden
        else:
            current = pre
    return constraints, tuple(current)


def encode_loss(problem: Problem, theta: Mapping[str, z3.ArithRef], tag: str) -> LossEncoding:
    """The whole loss ℓ(θ) (squared: 1/(2n) Σ r², absolute: 1/n Σ |r|) over the direct encoding."""
    constraints: list[z3.BoolRef] = []
    outputs, residuals, terms = [], [], []
    for i, (_, y) in enumerate(problem.data):
        defs, out = encode_outputs(problem, theta, tag, i)
        constraints += defs
        r = tuple(o - rational_val(t) for o, t in zip(out, y))
        outputs.append(out)
        residuals.append(r)
        terms += [v * v for v in r] if problem.loss == "squared" else [absolute(v) for v in r]
    n = len(problem.data)
    scale = Fraction(1, 2 * n) if problem.loss == "squared" else Fraction(1, n)
    return LossEncoding(tuple(constraints), tuple(outputs), tuple(residuals), rational_val(scale) * add_all(terms))
