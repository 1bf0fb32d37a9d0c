"""Exact interval bounds on a problem's outputs and their parameter derivatives over the box D.

Forward mode with rational intervals: each neuron carries an interval for its
value and one per parameter for its partial derivative. A ReLU whose input
interval lies in z ≤ 0 is identically 0 on D (slope 0); one in z ≥ 0 is the
identity (slope 1); otherwise its slope is anywhere in [0, 1] (Clarke); another
activation takes its exact image and the hull of the slopes it meets. The
bounds only *propose* constants: every use is proved by a solver.

>>> from symrelu.params import paper_instance
>>> bounds = output_bounds(paper_instance())
>>> bounds[0][0].value, bounds[0][0].slopes
((Fraction(0, 1), Fraction(2, 1)), (Fraction(1, 1), Fraction(1, 1)))
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy

from ...activation import Activation
from ...errors import DomainError
from ...params.problem import Problem

Interval = tuple[Fraction, Fraction]


def _add(a: Interval, b: Interval) -> Interval:
    return a[0] + b[0], a[1] + b[1]


def _mul(a: Interval, b: Interval) -> Interval:
    products = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]]
    return min(products), max(products)


def _point(v: Fraction) -> Interval:
    return v, v


ZERO: Interval = (Fraction(0), Fraction(0))


def _slope_hull(act: Activation, lo: Fraction, hi: Fraction) -> Interval:
    """The hull of the slopes of the pieces that ``[lo, hi]`` meets (its Clarke derivatives there).

    >>> from symrelu.activation import leaky_relu
    >>> _slope_hull(leaky_relu(Fraction(1, 10)), Fraction(-1), Fraction(0)), _slope_hull(leaky_relu(Fraction(1, 10)), Fraction(0), Fraction(0))
    ((Fraction(1, 10), Fraction(1, 10)), (Fraction(1, 10), Fraction(1, 1)))
    """
    first, last = sum(1 for b in act.breakpoints if b <= lo), act.state(hi)
    if first > last:
        return act.clarke(lo)
    slopes = act.slopes[first : last + 1]
    return min(slopes), max(slopes)


@dataclass(frozen=True)
class OutputBound:
    """Interval of one output f_ik over D, and sup |∂f_ik/∂θ_j| bounds per parameter."""

    value: Interval
    slopes: tuple[Fraction, ...]


def output_bounds(problem: Problem) -> tuple[tuple[OutputBound, ...], ...]:
    """Per data point and output: value interval and slope bounds over the domain (which must be bounded)."""
    if problem.domain is None:
        raise DomainError("interval bounds need a bounded domain D")
    names = problem.parameter_names
    boxes = dict(zip(names, problem.domain))
    k = len(names)
    net = problem.network
    result = []
    for x, _ in problem.data:
        values = [_point(v) for v in x]
        derivs = [[ZERO] * k for _ in x]
        for index, layer in enumerate(net.layers):
            new_values: list[Interval] = []
            new_derivs: list[list[Interval]] = []
            for row, bias in zip(layer.weight, layer.bias):
                value, deriv = ZERO, [ZERO] * k
                for w, v, d in zip(row, values, derivs):
                    if isinstance(w, sympy.Symbol):
                        t = boxes[w.name]
                        value = _add(value, _mul(t, v))
                        deriv = [_add(dj, _mul(t, dd)) for dj, dd in zip(deriv, d)]
                        p = names.index(w.name)
                        deriv[p] = _add(deriv[p], v)
                    else:
                        value = _add(value, _mul(_point(w), v))
                        deriv = [_add(dj, _mul(_point(w), dd)) for dj, dd in zip(deriv, d)]
                if isinstance(bias, sympy.Symbol):
                    value = _add(value, boxes[bias.name])
                    p = names.index(bias.name)
                    deriv[p] = _add(deriv[p], _point(Fraction(1)))
                else:
                    value = _add(value, _point(bias))
                if index < net.relu_layer_count:
                    act = net.activations[index][len(new_values)]
                    lo, hi = value
                    if act.is_relu:
                        slope = ZERO if hi <= 0 else ((Fraction(1), Fraction(1)) if lo >= 0 else (Fraction(0), Fraction(1)))
                        value = (max(lo, Fraction(0)), max(hi, Fraction(0)))
                    else:
                        slope, value = _slope_hull(act, lo, hi), act.interval_image(lo, hi)
                    deriv = [_mul(slope, dj) for dj in deriv]
                new_values.append(value)
                new_derivs.append(deriv)
            values, derivs = new_values, new_derivs
        result.append(tuple(
            OutputBound(v, tuple(max(abs(lo), abs(hi)) for lo, hi in d)) for v, d in zip(values, derivs)
        ))
    return tuple(result)
