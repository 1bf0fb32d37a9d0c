"""The loss of a training problem encoded directly: parameters as z3 variables, ReLU as if-then-else.

No region, no selection polynomial: each hidden activation is a fresh
variable ``h = ite(z > 0, z, 0)`` per data point and per copy of the
parameters, so the formula grows linearly with network and data.

>>> import z3
>>> from fractions import Fraction as F
>>> from symrelu.params import paper_instance
>>> prob = paper_instance()
>>> from symrelu.params.z3tools import param_vars
>>> theta = param_vars(prob.parameter_names)
>>> enc = encode_loss(prob, theta, "a")
>>> s = z3.Solver(); s.add(enc.constraints); s.add(theta["w1"] == F(1, 2), theta["w2"] == -1)
>>> s.check(), s.model().eval(enc.loss)
(sat, 1/8)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import z3

from ...exact import z3_rational
from ...params.problem import Problem
from .encode import absolute, add_all
from .network_encoding import encode_network


@dataclass(frozen=True)
class LossEncoding:
    """Definitions of the hidden activations, the outputs f_ik, residuals r_ik and the loss term."""

    constraints: tuple[z3.BoolRef, ...]
    outputs: tuple[tuple[z3.ArithRef, ...], ...]
    residuals: tuple[tuple[z3.ArithRef, ...], ...]
    loss: z3.ArithRef


def encode_outputs(problem: Problem, theta: Mapping[str, z3.ArithRef], tag: str, data_index: int) -> tuple[list[z3.BoolRef], tuple[z3.ArithRef, ...]]:
    """Constraints and output terms of the network at data point ``data_index`` with parameters ``theta``."""
    x, _ = problem.data[data_index]
    return encode_network(problem.network, [z3_rational(v) for v in x], f"{tag}_d{data_index}", parameters=theta)


def encode_loss(problem: Problem, theta: Mapping[str, z3.ArithRef], tag: str) -> LossEncoding:
    """The whole loss ℓ(θ) (squared: 1/(2n) Σ r², absolute: 1/n Σ |r|) over the direct encoding."""
    constraints: list[z3.BoolRef] = []
    outputs, residuals, terms = [], [], []
    for i, (_, y) in enumerate(problem.data):
        defs, out = encode_outputs(problem, theta, tag, i)
        constraints += defs
        r = tuple(o - z3_rational(t) for o, t in zip(out, y, strict=False))
        outputs.append(out)
        residuals.append(r)
        terms += [v * v for v in r] if problem.loss == "squared" else [absolute(v) for v in r]
    n = len(problem.data)
    scale = Fraction(1, 2 * n) if problem.loss == "squared" else Fraction(1, n)
    return LossEncoding(tuple(constraints), tuple(outputs), tuple(residuals), z3_rational(scale) * add_all(terms))
