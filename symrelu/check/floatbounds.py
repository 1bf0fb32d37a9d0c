"""Float symbolic bound propagation over an input box: guidance only, never a decision.

The same relaxation as the exact check in :mod:`symrelu.check.certificate` (symbolic
linear bounds in the inputs, forward through the layers; an unstable ReLU is bounded
above by the chord and below by ``0`` or ``z``), in float64 numpy. Its numbers choose
where to split, which combination of constraints to try, and where to look for a
counterexample; the exact check decides.

>>> import numpy as np
>>> from symrelu.network import Network
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
>>> model = FloatModel.from_network(net, np.array([[-1.0]]), np.array([0.0]))
>>> lo, hi = np.array([-1.0]), np.array([2.0])
>>> rows, unstable = model.candidate_rows(lo, hi)      # lower bounds of -|x| on [-1, 2], whose minimum is -2
>>> bool(row_minimum(rows, lo, hi).max() <= -2), unstable
(True, 2)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..network import Network


def guide_float(value: Fraction) -> float:
    """``float(value)``, or an infinity of its sign beyond float range (guidance only, never a decision).

    >>> guide_float(Fraction(1, 2)), guide_float(Fraction(-10**400))
    (0.5, -inf)
    """
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


@dataclass(frozen=True)
class FloatModel:
    """Float copies of the layers and of the property rows folded into the last layer."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    spec_weight: np.ndarray
    spec_bias: np.ndarray
    spec_x: np.ndarray

    @classmethod
    def from_network(cls, net: Network, rows_y: np.ndarray, constants: np.ndarray, rows_x: np.ndarray | None = None) -> FloatModel:
        """``rows_y @ y + rows_x @ x + constants <= 0`` are the constraints to refute."""
        from .certificate import split_output_layer

        hidden, last = split_output_layer(net)
        layers = list(hidden) + [last]
        weights = [np.array([[guide_float(w) for w in row] for row in layer.weight]) for layer in layers]
        biases = [np.array([guide_float(b) for b in layer.bias]) for layer in layers]
        spec_weight = rows_y @ weights[-1]
        spec_bias = rows_y @ biases[-1] + constants
        spec_x = rows_x if rows_x is not None else np.zeros((rows_y.shape[0], net.input_dim))
        return cls(tuple(weights[:-1]), tuple(biases[:-1]), spec_weight, spec_bias, spec_x)

    def forward(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """Symbolic lower/upper bounds of the last hidden layer, ``(m, n+1)`` each, and every layer's (l, u)."""
        n = lo.shape[0]
        low = np.hstack([np.eye(n), np.zeros((n, 1))])
        up = low.copy()
        bounds = []
        for weight, bias in zip(self.weights, self.biases, strict=True):
            pos, neg = np.maximum(weight, 0), np.minimum(weight, 0)
            z_up = pos @ up + neg @ low
            z_low = pos @ low + neg @ up
            z_up[:, -1] += bias
            z_low[:, -1] += bias
            l_val = _minimum(z_low, lo, hi)
            u_val = _maximum(z_up, lo, hi)
            bounds.append((l_val, u_val))
            active = l_val >= 0
            unstable = (~active) & (u_val > 0)
            width = np.where(unstable, u_val - l_val, 1.0)
            slope = np.where(unstable, u_val / width, 0.0)
            new_up = np.where(active[:, None], z_up, 0.0)
            new_up[unstable] = slope[unstable, None] * z_up[unstable]
            new_up[unstable, -1] -= slope[unstable] * l_val[unstable]
            new_low = np.where(active[:, None], z_low, 0.0)
            keep = unstable & (u_val > -l_val)
            new_low[keep] = z_low[keep]
            up, low = new_up, new_low
        return low, up, bounds

    def spec_lower(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Linear lower bounds ``(rows, n+1)`` in ``x`` of each property row over the box."""
        low, up, _ = self.forward(lo, hi)
        pos, neg = np.maximum(self.spec_weight, 0), np.minimum(self.spec_weight, 0)
        result = pos @ low + neg @ up
        result[:, -1] += self.spec_bias
        result[:, :-1] += self.spec_x
        return result

    def candidate_rows(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, int]:
        """The forward rows, then the backward (CROWN-style) rows, as the exact check orders them; unstable count."""
        low, up, bounds = self.forward(lo, hi)
        pos, neg = np.maximum(self.spec_weight, 0), np.minimum(self.spec_weight, 0)
        forward = pos @ low + neg @ up
        forward[:, -1] += self.spec_bias
        forward[:, :-1] += self.spec_x
        lam, const = self.spec_weight.copy(), self.spec_bias.copy()
        unstable_count = 0
        for weight, bias, (l_val, u_val) in zip(reversed(self.weights), reversed(self.biases), reversed(bounds), strict=True):
            active = l_val >= 0
            unstable = (~active) & (u_val > 0)
            unstable_count += int(unstable.sum())
            slope = np.where(unstable, u_val / np.where(unstable, u_val - l_val, 1.0), 0.0)
            lower = np.where(active | (unstable & (u_val > -l_val)), 1.0, 0.0)
            upper = np.where(active, 1.0, slope)
            positive = lam >= 0
            coefficients = np.where(positive, lam * lower, lam * upper)
            const = const + np.where(positive, 0.0, lam * (-slope * l_val)).sum(axis=1) + coefficients @ bias
            lam = coefficients @ weight
        backward = np.hstack([lam + self.spec_x, const[:, None]])
        return np.vstack([forward, backward]), unstable_count

    def crown_rows(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, int]:
        """Back-substitution bounds of the property rows, every layer's bounds also by back-substitution; unstable count.

        The float twin of :func:`symrelu.check.crown.crown_rows` (same relaxation choices).
        """
        relaxations: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        for k, (weight, bias) in enumerate(zip(self.weights, self.biases, strict=True)):
            lam, const = np.vstack([weight, -weight]), np.concatenate([bias, -bias])
            if k:
                lam, const = _substitute(lam, const, self.weights[:k], self.biases[:k], relaxations)
            bounds = _minimum(np.hstack([lam, const[:, None]]), lo, hi)
            width = weight.shape[0]
            l_val, u_val = bounds[:width], -bounds[width:]
            active = l_val >= 0
            unstable = (~active) & (u_val > 0)
            slope = np.where(unstable, u_val / np.where(unstable, u_val - l_val, 1.0), np.where(active, 1.0, 0.0))
            alpha = np.where(active | (unstable & (u_val > -l_val)), 1.0, 0.0)
            intercept = np.where(unstable, -slope * l_val, 0.0)
            relaxations.append((alpha, slope, intercept, unstable))
        lam, const = _substitute(self.spec_weight, self.spec_bias.copy(), self.weights, self.biases, relaxations)
        return np.hstack([lam + self.spec_x, const[:, None]]), int(sum(r[3].sum() for r in relaxations))

    def evaluate(self, x: np.ndarray) -> np.ndarray:
        """Float value of each property row at ``x`` (``<= 0`` everywhere suggests a counterexample)."""
        a = x
        for weight, bias in zip(self.weights, self.biases, strict=True):
            a = np.maximum(weight @ a + bias, 0)
        return self.spec_weight @ a + self.spec_bias + self.spec_x @ x


def _substitute(lam: np.ndarray, const: np.ndarray, weights: tuple[np.ndarray, ...], biases: tuple[np.ndarray, ...],
                relaxations: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Lower-bound rows on the last layer's ReLU outputs rewritten over the inputs."""
    for weight, bias, (alpha, slope, intercept, _) in zip(reversed(weights), reversed(biases), reversed(relaxations), strict=True):
        coefficients = np.where(lam >= 0, lam * alpha, lam * slope)
        const = const + (np.minimum(lam, 0) * intercept).sum(axis=1) + coefficients @ bias
        lam = coefficients @ weight
    return lam, const


def _minimum(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    coefficients = rows[:, :-1]
    return np.where(coefficients >= 0, coefficients * lo, coefficients * hi).sum(axis=1) + rows[:, -1]


def _maximum(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    coefficients = rows[:, :-1]
    return np.where(coefficients >= 0, coefficients * hi, coefficients * lo).sum(axis=1) + rows[:, -1]


def row_minimum(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Minimum of each affine row over the box (float)."""
    return _minimum(rows, lo, hi)
