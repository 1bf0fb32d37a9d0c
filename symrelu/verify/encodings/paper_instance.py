"""The paper's two-neuron instance ℓ(w1, w2) = ½(relu(w1) + relu(w2) − 1)², exactly.

Two independent forms: exact Fraction arithmetic (for replays) and z3 terms
built with the direct ReLU encoding (for obligations). Both gradients are the
true gradient only off the kink set {w1 = 0} ∪ {w2 = 0}.

>>> from fractions import Fraction as F
>>> gradient_exact((F(1, 4), F(-1)))
(Fraction(-3, 4), Fraction(0, 1))
>>> gd_step_exact((F(1, 10), F(1, 10)), F(1, 10))
(Fraction(9, 50), Fraction(9, 50))
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import z3

from ...errors import DomainError
from ...exact import z3_rational
from .encode import relu, relu_slope


def _relu(v: Fraction) -> Fraction:
    return v if v > 0 else Fraction(0)


def gradient_exact(theta: Sequence[Fraction]) -> tuple[Fraction, Fraction]:
    """∇ℓ at a point off the kink set, in Fractions; refuses kink points."""
    w1, w2 = theta
    if w1 == 0 or w2 == 0:
        raise DomainError(f"ℓ is not differentiable at {tuple(theta)} (on the kink set)")
    residual = _relu(w1) + _relu(w2) - 1
    return (residual if w1 > 0 else Fraction(0), residual if w2 > 0 else Fraction(0))


def gd_step_exact(theta: Sequence[Fraction], eta: Fraction) -> tuple[Fraction, Fraction]:
    """One exact gradient-descent step θ − η∇ℓ(θ)."""
    g = gradient_exact(theta)
    return (theta[0] - eta * g[0], theta[1] - eta * g[1])


def gradient_z3(theta: Sequence[z3.ArithRef]) -> tuple[z3.ArithRef, z3.ArithRef]:
    """∇ℓ as z3 terms (ReLU and its slope as if-then-else); valid off the kink set."""
    w1, w2 = theta
    residual = relu(w1) + relu(w2) - z3_rational(1)
    return (residual * relu_slope(w1), residual * relu_slope(w2))
