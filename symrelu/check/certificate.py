"""Exact certificates that a box holds no counterexample, checked in integer arithmetic.

A :class:`BoxCertificate` names a box and non-negative integer multipliers, one per
candidate lower bound of a property row. :meth:`ExactModel.check` recomputes, exactly,
symbolic linear bounds of every neuron over the box (forward, as in DeepPoly) and a
backward (CROWN-style) bound of every property row, or (the third set of rows) bounds by
back-substitution at every layer (:mod:`symrelu.check.crown`), then verifies the multipliers:

* every ReLU relaxation is valid: a neuron is treated as stable only when its exact
  bounds prove it; an unstable one is bounded above by ``s z + t`` with a dyadic slope
  ``0 <= s <= 1`` and the exact intercept ``t = max(-s l, (1 - s) u)`` rounded up, which
  is valid on ``[l, u]``; below by ``0`` or by ``z``;
* so each candidate row ``r_k(x)`` is a true lower bound, on the box, of a property row
  ``g_j(x, f(x))``; the multipliers ``λ >= 0`` combine them into ``Σ λ_k r_k(x)``, whose
  exact minimum over the box must be ``> 0`` (or ``>= 0`` when some ``λ_k > 0`` sits on a
  strict ``<`` row). Then no point of the box satisfies every ``g_j <= 0``: a Farkas
  argument whose box multipliers are read off the signs of the combined coefficients.

Matrices are integers over one common denominator per matrix (python-flint ``fmpz_mat``
for the products); nothing in here is a float.

>>> from fractions import Fraction as F
>>> from symrelu.network import Network
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])   # |x|
>>> model = ExactModel.build(net, [((F(-1),), F(1, 2), False)])  # unsafe: -|x| + 1/2 <= 0
>>> box = ((F(1, 4), F(1, 3)),)
>>> model.check(BoxCertificate(box, (1,) + (0,) * (model.row_count - 1))).proved
True
>>> model.check(BoxCertificate(((F(1, 4), F(1)),), (1,) + (0,) * (model.row_count - 1))).proved
False
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from flint import fmpz_mat

from ..errors import ShapeError
from ..network import Layer, Network

SLOPE_BITS = 20
"""Chord slopes are rounded down to multiples of ``2**-SLOPE_BITS`` (any slope in [0, 1] is valid)."""

Box = tuple[tuple[Fraction, Fraction], ...]
SpecRow = tuple[tuple[Fraction, ...], Fraction, bool]
"""``(coefficients on y, constant, strict)``; x terms are given separately."""


@dataclass(frozen=True)
class BoxCertificate:
    """Claim: no point of ``box`` satisfies the rows; ``multipliers`` combine the candidate rows."""

    box: Box
    multipliers: tuple[int, ...]


@dataclass(frozen=True)
class CheckOutcome:
    """The exact verdict on a certificate, and the exact stable/unstable count it found."""

    proved: bool
    unstable: int
    margin: Fraction


def _common(values: Sequence[Fraction]) -> tuple[list[int], int]:
    den = math.lcm(*{v.denominator for v in values}) if values else 1
    return [v.numerator * (den // v.denominator) for v in values], den


def _array(matrix: fmpz_mat, rows: int, cols: int) -> np.ndarray:
    """An fmpz_mat as a NumPy object array of Python ints."""
    return np.array([int(v) for v in matrix.entries()], dtype=object).reshape(rows, cols)


def _matrix(rows: Sequence[Sequence[Fraction]]) -> tuple[fmpz_mat, fmpz_mat, fmpz_mat, int]:
    flat, den = _common([v for row in rows for v in row])
    width = len(rows[0])
    table = [flat[i * width:(i + 1) * width] for i in range(len(rows))]
    pos = [[v if v > 0 else 0 for v in row] for row in table]
    neg = [[v if v < 0 else 0 for v in row] for row in table]
    return fmpz_mat(table), fmpz_mat(pos), fmpz_mat(neg), den


def split_output_layer(net: Network) -> tuple[tuple[Layer, ...], Layer]:
    """The ReLU layers and the affine output layer (the identity when the output is rectified)."""
    if not net.output_relu:
        return net.layers[:-1], net.layers[-1]
    m = net.output_dim
    identity = Layer(tuple(tuple(Fraction(int(i == j)) for j in range(m)) for i in range(m)), (Fraction(0),) * m)
    return net.layers, identity


@dataclass(frozen=True)
class _Layer:
    weight: fmpz_mat
    pos: fmpz_mat
    neg: fmpz_mat
    bias: tuple[int, ...]
    den: int

    @property
    def bias_array(self) -> np.ndarray:
        return np.array(self.bias, dtype=object)


@dataclass(frozen=True)
class _Relaxed:
    """One hidden layer's exact relaxation: per neuron (kind, slope numerator, intercept numerator)."""

    kinds: tuple[int, ...]  # 1 active, 0 inactive, 2 unstable with lower 0, 3 unstable with lower z
    slopes: tuple[int, ...]  # upper slope numerator over 2**SLOPE_BITS (unstable only)
    intercepts: tuple[int, ...]  # upper intercept numerator over ``den``
    den: int


class ExactModel:
    """The exact network and property rows, prepared once for many certificate checks."""

    def __init__(self, layers: list[_Layer], spec: _Layer, spec_x: list[list[Fraction]], strict: tuple[bool, ...], inputs: int) -> None:
        self.layers = layers
        self.spec = spec
        self.spec_x = spec_x
        self.strict = strict
        self.inputs = inputs

    @classmethod
    def build(cls, net: Network, rows: Sequence[SpecRow], rows_x: Sequence[Sequence[Fraction]] | None = None) -> ExactModel:
        """Rows ``c·y + constant (<, <=) 0`` (plus ``rows_x · x``) are the constraints to refute."""
        net.require_concrete("exact property checking")
        net.require_relu("exact property checking")
        if not rows:
            raise ShapeError("a property disjunct needs at least one output constraint to bound")
        layers = []
        hidden, last = split_output_layer(net)
        for layer in hidden:
            weight, pos, neg, den = _matrix([list(r) + [b] for r, b in zip(layer.weight, layer.bias, strict=True)])
            table = weight.table()
            width = layer.in_dim
            core = fmpz_mat([row[:width] for row in table])
            cpos = fmpz_mat([[v if v > 0 else 0 for v in row[:width]] for row in table])
            cneg = fmpz_mat([[v if v < 0 else 0 for v in row[:width]] for row in table])
            del pos, neg
            layers.append(_Layer(core, cpos, cneg, tuple(int(row[width]) for row in table), den))
        folded = []
        for coefficients, constant, _ in rows:
            if len(coefficients) != last.out_dim:
                raise ShapeError(f"a property row has {len(coefficients)} output coefficients, the network has {last.out_dim}")
            w = [sum((c * last.weight[k][i] for k, c in enumerate(coefficients)), Fraction(0)) for i in range(last.in_dim)]
            b = sum((c * bk for c, bk in zip(coefficients, last.bias, strict=True)), Fraction(0)) + constant
            folded.append(w + [b])
        weight, _, _, den = _matrix(folded)
        table = weight.table()
        width = last.in_dim
        spec = _Layer(
            fmpz_mat([row[:width] for row in table]),
            fmpz_mat([[v if v > 0 else 0 for v in row[:width]] for row in table]),
            fmpz_mat([[v if v < 0 else 0 for v in row[:width]] for row in table]),
            tuple(int(row[width]) for row in table),
            den,
        )
        xs = [list(r) for r in rows_x] if rows_x is not None else [[Fraction(0)] * net.input_dim for _ in rows]
        return cls(layers, spec, xs, tuple(strict for _, _, strict in rows), net.input_dim)

    @property
    def row_count(self) -> int:
        """Candidate rows: the forward bound of each property row, its backward bound, then its
        back-substitution bound with every layer's bounds from back-substitution (:mod:`~symrelu.check.crown`)."""
        return 3 * len(self.strict)

    # ------------------------------------------------------------------ forward
    def _forward(self, box: Box) -> tuple[fmpz_mat, fmpz_mat, int, list[_Relaxed], int]:
        n = self.inputs
        lo_list, qlo = _common([a for a, _ in box])
        hi_list, qhi = _common([b for _, b in box])
        q = qlo * qhi // math.gcd(qlo, qhi)
        lo = np.array([v * (q // qlo) for v in lo_list], dtype=object)
        hi = np.array([v * (q // qhi) for v in hi_list], dtype=object)
        up = low = fmpz_mat([[1 if i == j else 0 for j in range(n + 1)] for i in range(n)])
        den = 1
        relaxed: list[_Relaxed] = []
        unstable_total = 0
        scale = 1 << SLOPE_BITS
        for layer in self.layers:
            width = layer.weight.nrows()
            z_up = _array(layer.pos * up + layer.neg * low, width, n + 1)
            z_low = _array(layer.pos * low + layer.neg * up, width, n + 1)
            bias = layer.bias_array * den
            z_up[:, n] += bias
            z_low[:, n] += bias
            coefficients = z_low[:, :n]
            l_num = np.where(coefficients >= 0, coefficients * lo, coefficients * hi).sum(axis=1) + z_low[:, n] * q
            coefficients = z_up[:, :n]
            u_num = np.where(coefficients >= 0, coefficients * hi, coefficients * lo).sum(axis=1) + z_up[:, n] * q
            active = l_num >= 0
            inactive = (~active) & (u_num <= 0)
            unstable = ~(active | inactive)
            lower_z = unstable & (u_num > -l_num)
            kinds = np.where(active, 1, np.where(inactive, 0, np.where(lower_z, 3, 2)))
            slopes = np.zeros(width, dtype=object)
            intercepts = np.zeros(width, dtype=object)
            slopes[active] = scale
            if unstable.any():
                uu, ll = u_num[unstable], l_num[unstable]
                s = (uu * scale) // (uu - ll)
                t = -((-np.maximum(-s * ll, (scale - s) * uu)) // q)  # ceil; over den * layer.den * scale
                slopes[unstable] = s
                intercepts[unstable] = t
            unstable_total += int(unstable.sum())
            new_up = z_up * slopes[:, None]
            new_up[:, n] += intercepts
            low_factor = np.where(active | lower_z, scale, 0).astype(object)
            new_low = z_low * low_factor[:, None]
            new_den = den * layer.den * scale
            relaxed.append(_Relaxed(tuple(int(k) for k in kinds), tuple(slopes.tolist()), tuple(intercepts.tolist()), new_den))
            up = fmpz_mat(width, n + 1, new_up.reshape(-1).tolist())
            low = fmpz_mat(width, n + 1, new_low.reshape(-1).tolist())
            den = new_den
        return up, low, den, relaxed, unstable_total

    def phases(self, box: Box) -> tuple[tuple[int, ...], ...]:
        """Exactly proved phase of every hidden neuron on ``box``: 1 active, 0 inactive, 2 or 3 unstable."""
        return tuple(relax.kinds for relax in self._forward(box)[3])

    # ------------------------------------------------------------------ rows
    def rows(self, box: Box, backward: bool = True) -> tuple[list[tuple[list[Fraction], Fraction]], int]:
        """Every candidate lower-bound row ``(coefficients on x, constant)``, exact, and the unstable count.

        Without ``backward`` only the forward rows are computed (the caller needs no other).
        """
        n = self.inputs
        up, low, den, relaxed, unstable = self._forward(box)
        spec = self.spec
        forward = (spec.pos * low + spec.neg * up).table()
        result: list[tuple[list[Fraction], Fraction]] = []
        total = den * spec.den
        for r, row in enumerate(forward):
            coefficients = [Fraction(int(c), total) + self.spec_x[r][j] for j, c in enumerate(row[:n])]
            result.append((coefficients, Fraction(int(row[n]), total) + Fraction(spec.bias[r], spec.den)))
        if backward:
            result.extend(self._backward(relaxed))
        return result, unstable

    def _backward(self, relaxed: list[_Relaxed]) -> list[tuple[list[Fraction], Fraction]]:
        spec = self.spec
        lam = spec.weight
        lam_den = spec.den
        constants = [Fraction(b, spec.den) for b in spec.bias]
        scale = 1 << SLOPE_BITS
        for layer, relax in zip(reversed(self.layers), reversed(relaxed), strict=True):
            table = lam.table()
            coefficient_rows = []
            for r, row in enumerate(table):
                out: list[Any] = []
                extra: Any = 0
                for i, value in enumerate(row):
                    kind = relax.kinds[i]
                    if value >= 0:
                        out.append(value * scale if kind in (1, 3) else 0)  # lower: z, or 0
                    elif kind == 1:
                        out.append(value * scale)
                    elif kind == 0:
                        out.append(0)
                    else:
                        out.append(value * relax.slopes[i])
                        extra += value * relax.intercepts[i]
                coefficient_rows.append(out)
                if extra:
                    constants[r] += Fraction(int(extra), lam_den * relax.den)
            coefficients = fmpz_mat(coefficient_rows)
            coefficient_den = lam_den * scale
            biased = coefficients * fmpz_mat([[b] for b in layer.bias])
            for r in range(len(constants)):
                constants[r] += Fraction(int(biased[r, 0]), coefficient_den * layer.den)
            lam = coefficients * layer.weight
            lam_den = coefficient_den * layer.den
        return [
            ([Fraction(int(c), lam_den) + self.spec_x[r][j] for j, c in enumerate(row)], constants[r])
            for r, row in enumerate(lam.table())
        ]

    # ------------------------------------------------------------------ check
    def check(self, certificate: BoxCertificate) -> CheckOutcome:
        """Recompute everything exactly and verify the multipliers (see the module doc)."""
        box = certificate.box
        if len(box) != self.inputs or any(lo > hi for lo, hi in box):
            raise ShapeError("a certificate's box must have one non-empty interval per input")
        multipliers = certificate.multipliers
        if len(multipliers) != self.row_count or any(not isinstance(m, int) or m < 0 for m in multipliers):
            return CheckOutcome(False, -1, Fraction(0))
        m = len(self.strict)
        rows: list[tuple[list[Fraction], Fraction] | None] = [None] * (3 * m)
        unstable = -1
        if any(multipliers[:2 * m]):
            cheap, unstable = self.rows(box, backward=any(multipliers[m:2 * m]))
            rows[:len(cheap)] = cheap
        if any(multipliers[2 * m:]):
            from .crown import crown_rows

            rows[2 * m:] = crown_rows(self, box)
        combined = [Fraction(0)] * self.inputs
        constant = Fraction(0)
        for k, weight in enumerate(multipliers):
            if weight:
                row = rows[k]  # only rows that carry a weight are computed and read
                if row is None:
                    return CheckOutcome(False, unstable, Fraction(0))
                coefficients, c = row
                combined = [a + weight * b for a, b in zip(combined, coefficients, strict=True)]
                constant += weight * c
        margin = constant + sum((c * (lo if c >= 0 else hi) for c, (lo, hi) in zip(combined, box, strict=True)), Fraction(0))
        strict_used = any(multipliers[k] and self.strict[k % m] for k in range(len(multipliers)))
        proved = any(multipliers) and (margin > 0 or (margin >= 0 and strict_used))
        return CheckOutcome(bool(proved), unstable, margin)
