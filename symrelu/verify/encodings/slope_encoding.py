"""A problem's outputs and their parameter derivatives at one data point, encoded directly (forward mode).

Each neuron gets a value variable ``h = act(z)`` and one derivative variable
per parameter, ``dh_j = act'(z) · dz_j``, with ``act'`` the slope of the piece
that holds at ``z`` (the lower piece at a breakpoint: slope 0 for ReLU at 0).
One copy of the parameters only, so a bound ``|∂f/∂θ_j| ≤ c_j`` on D is a
small single-copy obligation, where ``|f(θ) − f(θ')| ≤ Σ c_j |θ_j − θ'_j|``
over two copies is not (cvc5's coverings can run far past their resource
budget on the two-copy form).

Why the slope bound gives the variation bound (:data:`SLOPE_ARGUMENT`): along
a segment θ(t) = θ + tΔ in the convex box D each pre-activation is a
continuous piecewise polynomial in t, so apart from finitely many t every
neuron either is off its breakpoints near t or sits on one identically near
t (then dz/dt = 0 and any slope gives the true derivative 0). Off those
finitely many t the encoded derivatives are the true ones, so
g(t) = f(θ(t)) is continuous with |g'(t)| ≤ Σ c_j |Δ_j| except at finitely
many points, and |g(1) − g(0)| ≤ Σ c_j |Δ_j|.

>>> import z3
>>> from fractions import Fraction as F
>>> from symrelu.params import paper_instance
>>> from symrelu.params.z3tools import param_vars
>>> prob = paper_instance()
>>> theta = param_vars(prob.parameter_names)
>>> defs, outs, slopes = encode_output_slopes(prob, theta, "a", 0)
>>> s = z3.Solver(); s.add(defs); s.add(theta["w1"] == F(1, 2), theta["w2"] == -1)
>>> s.check(), s.model().eval(outs[0]), [s.model().eval(d) for d in slopes[0]]
(sat, 1/2, [1, 0])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import sympy
import z3

from ...activation import Activation
from ...errors import ShapeError
from ...exact import z3_rational
from ...params.problem import Problem
from .encode import add_all, relu

SLOPE_ARGUMENT = (
    "along a segment in the convex box D every pre-activation is a continuous piecewise polynomial in the "
    "segment parameter, so off finitely many points each neuron is off its breakpoints or sits on one "
    "identically (derivative 0 either way): there the encoded derivatives are the true ones, and |f(t) - f(t')| "
    "<= sum_j c_j |t_j - t'_j| follows from |df/dt_j| <= c_j by integrating along the segment"
)


def _slope_term(act: Activation, z: z3.ArithRef, dz: z3.ArithRef) -> z3.ArithRef:
    """``act'(z) · dz`` with the lower piece's slope at a breakpoint (ReLU: ``ite(z > 0, dz, 0)``)."""
    if act.is_relu:
        return z3.If(z > 0, dz, z3_rational(0))

    def scaled(slope: Fraction) -> z3.ArithRef:
        return z3_rational(0) if slope == 0 else (dz if slope == 1 else z3_rational(slope) * dz)

    term = scaled(act.slopes[-1])
    for state in reversed(range(len(act.breakpoints))):
        term = z3.If(z <= z3_rational(act.breakpoints[state]), scaled(act.slopes[state]), term)
    return term


def _value_term(act: Activation, z: z3.ArithRef) -> z3.ArithRef:
    return relu(z) if act.is_relu else act.z3_term(z)


def encode_output_slopes(
    problem: Problem, theta: Mapping[str, z3.ArithRef], tag: str, data_index: int,
) -> tuple[list[z3.BoolRef], tuple[z3.ArithRef, ...], tuple[tuple[z3.ArithRef, ...], ...]]:
    """Definitions, the outputs f_o and their derivatives ∂f_o/∂θ_j (``parameter_names`` order) at one data point."""
    names = list(problem.parameter_names)
    net = problem.network
    x, _ = problem.data[data_index]
    zero = z3_rational(0)
    values: list[z3.ArithRef] = [z3_rational(v) for v in x]
    derivs: list[list[z3.ArithRef]] = [[zero] * len(names) for _ in x]
    constraints: list[z3.BoolRef] = []
    for index, layer in enumerate(net.layers):
        new_values, new_derivs = [], []
        for neuron, (row, bias) in enumerate(zip(layer.weight, layer.bias, strict=True)):
            terms: list[z3.ArithRef] = []
            dterms: list[list[z3.ArithRef]] = [[] for _ in names]
            for w, v, d in zip(row, values, derivs, strict=True):
                if isinstance(w, sympy.Symbol):
                    weight = _parameter(w, theta)
                    terms.append(weight * v)
                    for j in range(len(names)):
                        if not _is_zero(d[j]):
                            dterms[j].append(weight * d[j])
                    dterms[names.index(w.name)].append(v)
                elif w != 0:
                    terms.append(v if w == 1 else z3_rational(_rational(w)) * v)
                    for j in range(len(names)):
                        if not _is_zero(d[j]):
                            dterms[j].append(d[j] if w == 1 else z3_rational(_rational(w)) * d[j])
            if isinstance(bias, sympy.Symbol):
                terms.append(_parameter(bias, theta))
                dterms[names.index(bias.name)].append(z3_rational(1))
            elif bias != 0 or not terms:
                terms.append(z3_rational(_rational(bias)))
            z = add_all(terms)
            dz = [add_all(t) for t in dterms]
            if index < net.relu_layer_count:
                act = net.activations[index][neuron]
                h = z3.Real(f"{tag}_h{index}_{neuron}")
                constraints.append(h == _value_term(act, z))
                dh = []
                for j, name in enumerate(names):
                    if _is_zero(dz[j]):
                        dh.append(zero)
                        continue
                    var = z3.Real(f"{tag}_dh{index}_{neuron}_{name}")
                    constraints.append(var == _slope_term(act, z, dz[j]))
                    dh.append(var)
                new_values.append(h)
                new_derivs.append(dh)
            else:
                new_values.append(z)
                new_derivs.append(dz)
        values, derivs = new_values, new_derivs
    return constraints, tuple(values), tuple(tuple(d) for d in derivs)


def _is_zero(term: z3.ArithRef) -> bool:
    return z3.is_rational_value(term) and term.as_fraction() == 0


def _rational(value: object) -> Fraction:
    if not isinstance(value, Fraction):
        raise ShapeError(f"weight {value!r} is neither an exact rational nor a parameter")
    return value


def _parameter(symbol: sympy.Symbol, theta: Mapping[str, z3.ArithRef]) -> z3.ArithRef:
    if symbol.name not in theta:
        raise ShapeError(f"parameter {symbol.name} has no z3 variable")
    return theta[symbol.name]


def slope_violations(slopes: Sequence[z3.ArithRef], bounds: Sequence[Fraction]) -> list[z3.BoolRef]:
    """``|d_j| > c_j`` for each derivative (the negated goals of the slope bounds)."""
    return [z3.Or(d > z3_rational(c), d < z3_rational(-c)) for d, c in zip(slopes, bounds, strict=True)]
