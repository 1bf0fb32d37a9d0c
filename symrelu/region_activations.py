"""A layer's activations in the integer form the region engines use.

Both engines keep a layer's pre-activations as integer affine rows over one positive scale
(``z = row . (x, 1) / scale``). For a layer of ReLUs they cut by ``z = 0`` and mask by the bits;
any other layer goes through this module:

* :class:`LayerCuts`: a neuron with breakpoints ``b_1 < ... < b_k`` contributes the ``k``
  hyperplanes ``z = b_j`` (as integer rows ``L row - L b_j scale e``, ``L`` the breakpoints' common
  denominator); its state is how many of them lie strictly below ``z``, so the engines' 0/1
  decisions per hyperplane add up to the neuron's state.
* :class:`LayerPieces`: on a region where neuron ``i`` is in state ``s``, its output is
  ``slope_s z + offset_s``; with ``D`` the common denominator of every slope and offset of the
  layer, that is the integer row ``D slope_s row + D offset_s scale e`` over ``D scale``.

A layer of ReLUs gives ``None`` from :func:`layer_cuts` and :func:`layer_pieces`, so the engines'
ReLU path is untouched.

>>> from fractions import Fraction as F
>>> from symrelu.activation import clip, leaky_relu
>>> cuts = layer_cuts((clip(F(-1, 2), F(1)),))
>>> cuts.rows([[2, 0, 1]], 1), cuts.tags(0)
([[4, 0, 3], [4, 0, 0]], ((0, 0, 0, Fraction(-1, 2)), (0, 0, 1, Fraction(1, 1))))
>>> cuts.states((1, 0))
(1,)
>>> layer_pieces((leaky_relu(F(1, 4)),)).activate([[2, 0, 1]], (0,), 3)
([[2, 0, 1]], 12)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np

from .activation import Activation
from .intmat import INT64_SAFE, array_max_abs


@dataclass(frozen=True)
class LayerCuts:
    """The hyperplanes ``z_i = b_j`` of a layer, one per (neuron, breakpoint), neuron by neuron."""

    owners: tuple[tuple[int, int, Fraction], ...]
    """Per hyperplane: ``(neuron, j, b_j)``."""
    multipliers: tuple[int, ...]
    """Per hyperplane: ``L``, the common denominator of its neuron's breakpoints."""
    constants: tuple[int, ...]
    """Per hyperplane: ``L b_j`` (an integer)."""
    widths: tuple[int, ...]
    """Per neuron: how many breakpoints (hyperplanes) it has."""

    def tags(self, layer: int) -> tuple[tuple[int, int, int, Fraction], ...]:
        """Polytope tags ``(layer, neuron, j, b_j)`` of the hyperplanes."""
        return tuple((layer, neuron, j, b) for neuron, j, b in self.owners)

    def rows(self, rows: Sequence[Sequence[int]], scale: int) -> list[list[int]]:
        """Integer rows of the hyperplanes from the layer's pre-activation rows over ``scale``."""
        out = []
        for (neuron, _, _), factor, constant in zip(self.owners, self.multipliers, self.constants, strict=True):
            row = [factor * v for v in rows[neuron]]
            row[-1] -= constant * scale
            out.append(row)
        return out

    def rows_array(self, rows: np.ndarray, scales: np.ndarray) -> np.ndarray:
        """:meth:`rows` for many parents at once: ``rows (P, m, d+1)``, ``scales (P,)`` -> ``(P, M, d+1)``."""
        neurons = np.array([owner[0] for owner in self.owners], dtype=np.int64)
        factors = np.array(self.multipliers, dtype=object)
        constants = np.array(self.constants, dtype=object)
        bound = array_max_abs(rows) * max(self.multipliers) + max(map(abs, self.constants)) * array_max_abs(scales)
        exact = bound >= INT64_SAFE or rows.dtype == object or scales.dtype == object
        if not exact:
            factors, constants = factors.astype(np.int64), constants.astype(np.int64)
        else:
            rows, scales = rows.astype(object), scales.astype(object)
        out = rows[:, neurons, :] * factors[None, :, None]
        out[:, :, -1] -= constants[None, :] * scales[:, None]
        return out

    def states(self, bits: Sequence[int]) -> tuple[int, ...]:
        """Each neuron's state from the 0/1 sides of its hyperplanes (1: ``z > b_j``)."""
        out, start = [], 0
        for width in self.widths:
            out.append(sum(bits[start : start + width]))
            start += width
        return tuple(out)

    def states_array(self, bits: np.ndarray) -> np.ndarray:
        """:meth:`states` for ``bits (n, M)`` -> ``(n, m)`` int8."""
        starts = np.cumsum((0,) + self.widths[:-1])
        return np.add.reduceat(bits.astype(np.int64), starts, axis=1).astype(np.int8) if bits.shape[0] else np.zeros((0, len(self.widths)), dtype=np.int8)


def layer_cuts(acts: Sequence[Activation]) -> LayerCuts | None:
    """The cuts of a layer with activations ``acts`` (``None`` for ReLUs only)."""
    if all(act.is_relu for act in acts):
        return None
    owners, multipliers, constants = [], [], []
    for neuron, act in enumerate(acts):
        factor = lcm(*(b.denominator for b in act.breakpoints))
        for j, b in enumerate(act.breakpoints):
            owners.append((neuron, j, b))
            multipliers.append(factor)
            constants.append(int(b * factor))
    return LayerCuts(tuple(owners), tuple(multipliers), tuple(constants), tuple(len(act.breakpoints) for act in acts))


@dataclass(frozen=True)
class LayerPieces:
    """Each neuron's pieces as integers over the layer's common denominator ``D``."""

    denominator: int
    slopes: tuple[tuple[int, ...], ...]
    """Per neuron, per state: ``D * slope``."""
    offsets: tuple[tuple[int, ...], ...]
    """Per neuron, per state: ``D * offset``."""

    def activate(self, rows: Sequence[Sequence[int]], states: Sequence[int], scale: int) -> tuple[list[list[int]], int]:
        """The activations' integer rows over the new scale, from pre-activation ``rows`` over ``scale``."""
        out = []
        for row, slope, offset, state in zip(rows, self.slopes, self.offsets, states, strict=True):
            new = [slope[state] * v for v in row]
            new[-1] += offset[state] * scale
            out.append(new)
        return out, scale * self.denominator

    def activate_array(self, rows: np.ndarray, states: np.ndarray, scales: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`activate` for every cell: ``rows (n, m, d+1)``, ``states (n, m)``, ``scales (n,)``."""
        width = max(len(s) for s in self.slopes)
        slopes = np.array([list(s) + [0] * (width - len(s)) for s in self.slopes], dtype=object)
        offsets = np.array([list(o) + [0] * (width - len(o)) for o in self.offsets], dtype=object)
        bound = array_max_abs(rows) * array_max_abs(slopes) + array_max_abs(offsets) * array_max_abs(scales)
        exact = bound >= INT64_SAFE or self.denominator * array_max_abs(scales) >= INT64_SAFE or rows.dtype == object
        if not exact:
            slopes, offsets = slopes.astype(np.int64), offsets.astype(np.int64)
        else:
            rows, scales = rows.astype(object), scales.astype(object)
        neurons = np.arange(len(self.slopes))[None, :]
        chosen = states.astype(np.int64)
        out = rows * slopes[neurons, chosen][:, :, None]
        out[:, :, -1] += offsets[neurons, chosen] * scales[:, None]
        return out, scales * self.denominator


def layer_pieces(acts: Sequence[Activation]) -> LayerPieces | None:
    """The pieces of a layer with activations ``acts`` (``None`` for ReLUs only)."""
    if all(act.is_relu for act in acts):
        return None
    denominator = lcm(*(v.denominator for act in acts for v in (*act.slopes, *act.offsets)))
    return LayerPieces(
        denominator,
        tuple(tuple(int(s * denominator) for s in act.slopes) for act in acts),
        tuple(tuple(int(o * denominator) for o in act.offsets) for act in acts),
    )
