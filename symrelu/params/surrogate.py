"""Smooth surrogates: the network with ReLU replaced by softplus_β(z) = log(1 + e^{βz})/β.

Another activation ``f = s0 z + o0 + Σ_j c_j relu(z − b_j)`` (:meth:`Activation.build`)
has each of its kinks smoothed the same way: ``s0 z + o0 + Σ_j c_j softplus_β(z − b_j)``.

Everything symbolic is SymPy; every inequality claimed is checked with mpmath
interval arithmetic (``mpmath.iv``); trajectories run in mpmath at high precision.

>>> from fractions import Fraction as F
>>> from symrelu.params.examples import paper_instance
>>> sur = Surrogate(paper_instance(), F(8))
>>> sur.uniform_distance
log(2)/8
>>> bound = sur.curvature_lower_bound({"w1": 0, "w2": -20})
>>> bound.a > 1.3   # (8 - 1 - log 2)/4 ≈ 1.577 in the limit w2 → −∞
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import mpmath
import sympy
from mpmath import iv

from ..activation import Activation
from ..errors import DomainError
from ..exact import to_rational
from .problem import Point, Problem


def softplus(z: sympy.Expr, beta: sympy.Rational) -> sympy.Expr:
    """softplus_β(z) = log(1 + exp(βz))/β."""
    return sympy.log(1 + sympy.exp(beta * z)) / beta


def _interval_modules() -> list:
    return [{"exp": iv.exp, "log": iv.log, "mpf": iv.mpf}, "mpmath"]


def _iv(value: Fraction | int) -> iv.mpf:
    value = Fraction(value)
    return iv.mpf(value.numerator) / iv.mpf(value.denominator)


@dataclass(frozen=True)
class Surrogate:
    """The softplus_β surrogate of a problem's loss (squared loss; absolute loss stays nonsmooth)."""

    problem: Problem
    beta: Fraction
    symbols: tuple[sympy.Symbol, ...] = field(init=False)

    def __post_init__(self) -> None:
        beta = to_rational(self.beta, where="softplus beta")
        if beta <= 0:
            raise DomainError(f"softplus beta must be a positive rational, got {beta}")
        object.__setattr__(self, "beta", beta)
        object.__setattr__(self, "symbols", self.problem.parameters)

    @property
    def beta_sympy(self) -> sympy.Rational:
        return sympy.Rational(self.beta.numerator, self.beta.denominator)

    @cached_property
    def loss(self) -> sympy.Expr:
        """Symbolic surrogate loss ℓ_β(θ)."""
        net = self.problem.network
        total = sympy.Integer(0)
        for x, y in self.problem.data:
            a = [sympy.Rational(v.numerator, v.denominator) for v in x]
            for l, layer in enumerate(net.layers):
                z = [
                    sum((self._sym(w) * v for w, v in zip(row, a)), sympy.Integer(0)) + self._sym(b)
                    for row, b in zip(layer.weight, layer.bias)
                ]
                a = [self._smooth(act, v) for act, v in zip(net.activations[l], z)] if l < net.relu_layer_count else z
            for o, t in zip(a, y):
                r = o - sympy.Rational(t.numerator, t.denominator)
                total += r**2 if self.problem.loss == "squared" else sympy.Abs(r)
        n = len(self.problem.data)
        return total / (2 * n) if self.problem.loss == "squared" else total / n

    def _smooth(self, act: Activation, z: sympy.Expr) -> sympy.Expr:
        if act.is_relu:
            return softplus(z, self.beta_sympy)
        return act.build(z, lambda t: softplus(t, self.beta_sympy), sympy.Rational)

    @staticmethod
    def _sym(w: object) -> sympy.Expr:
        return w if isinstance(w, sympy.Symbol) else sympy.Rational(w.numerator, w.denominator)  # type: ignore[attr-defined]

    @cached_property
    def gradient(self) -> sympy.Matrix:
        return sympy.Matrix([sympy.diff(self.loss, p) for p in self.symbols])

    @cached_property
    def hessian(self) -> sympy.Matrix:
        return sympy.hessian(self.loss, self.symbols)

    @property
    def uniform_distance(self) -> sympy.Expr:
        """sup_z |softplus_β(z) − relu(z)| = log(2)/β, attained at z = 0 (see :func:`check_uniform_distance`).

        For other activations: the largest ``Σ_j |c_j|·log(2)/β`` over the neurons, a bound on each
        neuron's gap (exact for one kink: LeakyReLU's is ``(1 − α) log(2)/β``).
        """
        net = self.problem.network
        if net.is_relu:
            return sympy.log(2) / self.beta_sympy
        scale = max(sum((abs(c) for _, c in act.kinks), Fraction(0)) for acts in net.activations for act in acts)
        return sympy.Rational(scale.numerator, scale.denominator) * sympy.log(2) / self.beta_sympy

    def curvature_lower_bound(self, point: Mapping[str, object], dps: int = 40) -> iv.mpf:
        """A rigorous interval for max_i |∂²ℓ_β/∂θ_i²| at ``point``: a lower bound on the gradient-Lipschitz constant."""
        theta = self.problem.point(point, "curvature point")
        best = None
        saved = iv.dps
        iv.dps = dps
        try:  # mpmath's interval context has no workdps(); restore the caller's precision
            for i in range(len(self.symbols)):
                f = sympy.lambdify(self.symbols, self.hessian[i, i], modules=_interval_modules())
                value = abs(f(*(_iv(v) for v in theta)))
                if best is None or value.a > best.a:
                    best = value
        finally:
            iv.dps = saved
        return best

    def run(self, init: Point | Mapping[str, object], lr: Fraction, steps: int, dps: int = 60) -> list[tuple]:
        """Surrogate gradient descent in mpmath at ``dps`` digits; returns the iterates."""
        theta0 = self.problem.point(init, "initial point")
        grad = sympy.lambdify(self.symbols, list(self.gradient), modules="mpmath")
        with mpmath.workdps(dps):
            theta = [mpmath.mpf(v.numerator) / v.denominator for v in theta0]
            eta = mpmath.mpf(Fraction(lr).numerator) / Fraction(lr).denominator
            path = [tuple(theta)]
            for _ in range(steps):
                g = grad(*theta)
                theta = [t - eta * gi for t, gi in zip(theta, g)]
                path.append(tuple(theta))
        return path


def check_uniform_distance(beta: Fraction) -> bool:
    """Prove sup_z |softplus_β − relu| = log(2)/β symbolically.

    For z ≥ 0, softplus_β(z) − z = log(1 + e^{−βz})/β, and for z ≤ 0 the gap is
    softplus_β(z) = log(1 + e^{βz})/β; both are log(1 + e^{−β|z|})/β, which is
    decreasing in |z| (derivative −e^{−βt}/(1 + e^{−βt}) < 0) and equals log(2)/β at 0.

    >>> check_uniform_distance(Fraction(3))
    True
    """
    b = sympy.Rational(Fraction(beta).numerator, Fraction(beta).denominator)
    t = sympy.Symbol("t", nonnegative=True)
    gap_pos = sympy.simplify(sympy.expand_log(softplus(t, b) - t - sympy.log(1 + sympy.exp(-b * t)) / b, force=True))
    gap_neg = sympy.simplify(softplus(-t, b) - sympy.log(1 + sympy.exp(-b * t)) / b)
    derivative = sympy.diff(sympy.log(1 + sympy.exp(-b * t)) / b, t)
    decreasing = sympy.simplify(derivative + sympy.exp(-b * t) / (1 + sympy.exp(-b * t))) == 0
    at_zero = sympy.simplify(softplus(sympy.Integer(0), b) - sympy.log(2) / b) == 0
    return gap_pos == 0 and gap_neg == 0 and decreasing and at_zero


def c6_second_derivative_limit(beta: Fraction) -> sympy.Expr:
    """lim_{w2→−∞} ∂²ℓ_β/∂w1²(0, w2) for the paper instance, by SymPy (exact, symbolic).

    >>> c6_second_derivative_limit(Fraction(8))
    -7/4 + log(2)/4
    """
    b = sympy.Rational(Fraction(beta).numerator, Fraction(beta).denominator)
    w1, w2 = sympy.symbols("w1 w2", real=True)
    loss = (softplus(w1, b) + softplus(w2, b) - 1) ** 2 / 2
    second = sympy.diff(loss, w1, 2).subs(w1, 0)
    return sympy.expand(sympy.simplify(sympy.limit(second, w2, -sympy.oo)))


def distance_to_path(path: Sequence[tuple], point: Sequence[Fraction], dps: int = 60) -> mpmath.mpf:
    """Euclidean distance from the surrogate run's last iterate to an exact point."""
    with mpmath.workdps(dps):
        return mpmath.sqrt(sum((a - mpmath.mpf(b.numerator) / b.denominator) ** 2 for a, b in zip(path[-1], point)))
