"""Exact back-substitution (CROWN-style) bounds at every layer, in integers on a dyadic grid.

Every neuron's pre-activation bounds ``l <= z <= u`` on the box come from back-substituting
a lower bound of ``z`` (and of ``-z``) through all earlier layers, not from a forward pass:
much tighter, and the property rows are bounded the same way at the end. All arithmetic is
exact integer arithmetic (python-flint ``fmpz_mat`` for the products). To keep the integers
small, numbers are rounded on the grid ``2**-GRID_BITS``, always in the safe direction:

* a lower-bound row's coefficient on a post-ReLU value ``h >= 0`` is rounded *down*: the
  dropped part ``e * h`` is ``>= 0``, so the rounded row is still a lower bound;
* constants of lower-bound rows are rounded down; ``l`` down and ``u`` up;
* coefficients on the inputs ``x`` (which may be negative) are never rounded: the final
  rows are minimised over the box exactly.

The ReLU relaxations are those of :mod:`symrelu.check.certificate`: an unstable neuron is
bounded above by ``s z + t`` with a dyadic ``0 <= s <= 1`` and ``t = max(-s l, (1 - s) u)``,
below by ``0`` or ``z``. Nothing in here is a float.

>>> from fractions import Fraction as F
>>> from symrelu.network import Network
>>> from symrelu.check.certificate import ExactModel
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])   # |x|
>>> model = ExactModel.build(net, [((F(-1),), F(1, 2), False)])  # unsafe: -|x| + 1/2 <= 0
>>> [(row, constant) for row, constant in crown_rows(model, ((F(1, 4), F(1, 3)),))]  # -|x| + 1/2 = -x + 1/2 here
[([Fraction(-1, 1)], Fraction(1, 2))]
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from flint import fmpz_mat

if TYPE_CHECKING:
    from fractions import Fraction

    from .certificate import Box, ExactModel

GRID_BITS = 40
"""Bound rows and neuron bounds live on the grid ``2**-GRID_BITS`` (rounded in the safe direction)."""
SLOPE_BITS = 24
"""Upper chord slopes are multiples of ``2**-SLOPE_BITS``."""


def _np(matrix: fmpz_mat) -> np.ndarray:
    return np.array(matrix.entries(), dtype=object).reshape(matrix.nrows(), matrix.ncols())


def _mat(array: np.ndarray) -> fmpz_mat:
    return fmpz_mat(array.shape[0], array.shape[1], array.ravel().tolist())


class _Relaxation:
    """One hidden layer's relaxation from grid bounds ``l, u`` (integers over ``2**GRID_BITS``)."""

    def __init__(self, low: np.ndarray, up: np.ndarray) -> None:
        one = 1 << SLOPE_BITS
        active = low >= 0
        inactive = (~active) & (up <= 0)
        unstable = ~(active | inactive)
        self.unstable = int(unstable.sum())
        self.kinds = np.where(active, 1, np.where(inactive, 0, 2))
        self.columns = np.flatnonzero(unstable)
        width = low.shape[0]
        slope = np.zeros(width, dtype=object)
        alpha = np.zeros(width, dtype=object)
        intercept = np.zeros(width, dtype=object)
        slope[active] = one
        alpha[active] = one
        if self.unstable:
            uu, ll = up[unstable], low[unstable]
            s = (uu * one) // (uu - ll)  # in [0, one]
            slope[unstable] = s
            intercept[unstable] = np.maximum(-s * ll, (one - s) * uu)  # over 2**(GRID_BITS + SLOPE_BITS)
            alpha[unstable] = np.where(uu > -ll, one, 0)
        self.slope, self.alpha, self.intercept = slope, alpha, intercept


def _substitute(model: ExactModel, lam: np.ndarray, const: np.ndarray, top: int,
                relaxations: list[_Relaxation]) -> tuple[np.ndarray, np.ndarray, int]:
    """Lower-bound rows ``lam · h_top + const`` (grid) rewritten over the inputs: exact coefficients over ``den``."""
    shift = GRID_BITS + SLOPE_BITS
    for j in range(top, -1, -1):
        relax, layer = relaxations[j], model.layers[j]
        coefficients = lam * relax.slope  # on z_j, over 2**shift; exact for stable neurons and for lam < 0
        if relax.unstable:
            part = lam[:, relax.columns]
            negative = np.minimum(part, 0)
            coefficients[:, relax.columns] = np.where(part >= 0, part * relax.alpha[relax.columns], part * relax.slope[relax.columns])
            const = const + (negative * relax.intercept[relax.columns]).sum(axis=1) // (1 << shift)
        matrix = _mat(coefficients)
        divisor = (1 << SLOPE_BITS) * layer.den
        const = const + _np(matrix * fmpz_mat([[b] for b in layer.bias]))[:, 0] // divisor
        product = _np(matrix * layer.weight)
        if j == 0:
            return product, const, (1 << shift) * layer.den
        lam = product // divisor  # on h_{j-1} >= 0: rounding down keeps a lower bound
    raise AssertionError("unreachable")


def _grid_minimum(rows: np.ndarray, den: int, const: np.ndarray, lo: np.ndarray, hi: np.ndarray, q: int) -> np.ndarray:
    """``floor(2**GRID_BITS * min over the box of (rows/den) · x) + const``, exactly."""
    total = np.where(rows >= 0, rows * lo, rows * hi).sum(axis=1)
    return (total * (1 << GRID_BITS)) // (den * q) + const


def _relaxations(model: ExactModel, box: Box) -> list[_Relaxation]:
    """Every hidden layer's relaxation, its bounds by back-substitution through the layers below."""
    from .certificate import _common

    lo_list, qlo = _common([a for a, _ in box])
    hi_list, qhi = _common([b for _, b in box])
    q = qlo * qhi // math.gcd(qlo, qhi)
    lo = np.array([v * (q // qlo) for v in lo_list], dtype=object)
    hi = np.array([v * (q // qhi) for v in hi_list], dtype=object)
    relaxations: list[_Relaxation] = []
    for k, layer in enumerate(model.layers):
        weight = _np(layer.weight)
        bias = np.array(layer.bias, dtype=object)
        if k == 0:
            rows = np.vstack([weight, -weight])
            const = np.concatenate([bias, -bias]) * (1 << GRID_BITS) // layer.den
            den = layer.den
        else:
            lam = np.vstack([weight, -weight]) * (1 << GRID_BITS) // layer.den
            const = np.concatenate([bias, -bias]) * (1 << GRID_BITS) // layer.den
            rows, const, den = _substitute(model, lam, const, k - 1, relaxations)
        bounds = _grid_minimum(rows, den, const, lo, hi, q)
        width = weight.shape[0]
        relaxations.append(_Relaxation(bounds[:width], -bounds[width:]))
    return relaxations


def crown_phases(model: ExactModel, box: Box) -> tuple[tuple[int, ...], ...]:
    """Exactly proved phase of every hidden neuron on ``box`` from these bounds: 1 active, 0 inactive, 2 unstable."""
    return tuple(tuple(int(v) for v in relax.kinds) for relax in _relaxations(model, box))


def crown_rows(model: ExactModel, box: Box) -> list[tuple[list[Fraction], Fraction]]:
    """Exact lower-bound rows ``(coefficients on x, constant)`` of every property row over ``box``."""
    from fractions import Fraction

    relaxations = _relaxations(model, box)
    spec = model.spec
    const = np.array(spec.bias, dtype=object) * (1 << GRID_BITS) // spec.den
    if model.layers:
        lam = _np(spec.weight) * (1 << GRID_BITS) // spec.den
        rows, const, den = _substitute(model, lam, const, len(model.layers) - 1, relaxations)
    else:  # an affine network: the rows are already over the inputs
        rows, den = _np(spec.weight), spec.den
    scale = 1 << GRID_BITS
    return [
        ([Fraction(int(c), den) + model.spec_x[r][j] for j, c in enumerate(rows[r])], Fraction(int(const[r]), scale))
        for r in range(rows.shape[0])
    ]
