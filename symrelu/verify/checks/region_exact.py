"""An exact certificate that the regions of a box are what the region engine says, checked without a solver.

For every region (a polytope given by its exact vertices) the network itself
is evaluated exactly (:meth:`Network.preactivations`, not the engine's composed
maps) at each vertex:

* **signs**: every pre-activation has the pattern's weak sign (≥ 0 active,
  ≤ 0 inactive) at every vertex. Layer by layer this holds on the whole
  polytope: if the earlier layers keep their pattern there, the next
  pre-activations are affine on it, so their signs at the vertices bound them.
  Hence the network equals the pattern's affine map on the closed polytope.
* **affine map**: f(v) = g·v + c at every vertex, and the vertices span the
  input space affinely, so f = g·x + c on the polytope.
* **covering** (1-D and 2-D, where measures are exact): the vertices lie in
  the box, the regions' measures add up to the box's, and any two regions
  have disjoint interiors — at their first differing neuron, whose
  pre-activation is one affine function A on both (same earlier pattern), A is
  not zero at some vertex, so A > 0 inside one and A < 0 inside the other. A
  gap would be a relatively open part of the box of measure zero: there is
  none, so the closed regions cover the box.

>>> from fractions import Fraction as F
>>> from symrelu.network import Network
>>> from symrelu.regions import enumerate_regions
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])   # |x|
>>> box = ((F(-1), F(1)),)
>>> check = exact_region_check(net, box, 0, enumerate_regions(net, box))
>>> check.ok, check.covering
(True, 'exact: measures add up to the box and interiors are disjoint')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ...network import Network
from ...regions import Region

Point = tuple[Fraction, ...]


@dataclass(frozen=True)
class ExactRegionCheck:
    """The outcome: ``ok`` when every region passed (and, in 1-D/2-D, the covering); ``reason`` when not."""

    ok: bool
    regions: int
    vertices: int
    covering: str
    reason: str = ""


def _affine_rank(points: Sequence[Point]) -> int:
    """The dimension of the affine hull of ``points`` (exact Gaussian elimination)."""
    if not points:
        return -1
    rows = [[a - b for a, b in zip(p, points[0], strict=True)] for p in points[1:]]
    rank = 0
    columns = len(points[0])
    for col in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def exact_region_check(
    net: Network, bounds: Sequence[tuple[Fraction, Fraction]], out: int, regions: Sequence[Region],
) -> ExactRegionCheck:
    """Check signs and affine maps of every region exactly, and the covering of the box in 1-D and 2-D."""
    dim = len(bounds)
    cache: dict[Point, tuple[tuple[Fraction, ...], ...]] = {}

    def pre(v: Point) -> tuple[tuple[Fraction, ...], ...]:
        if v not in cache:
            cache[v] = net.preactivations(v)
        return cache[v]

    def fail(reason: str) -> ExactRegionCheck:
        return ExactRegionCheck(False, len(regions), len(cache), "not checked", reason)

    layers = net.relu_layer_count
    for index, region in enumerate(regions):
        vertices = tuple(region.vertices)
        if _affine_rank(vertices) != dim:
            return fail(f"region {index} is not full-dimensional")
        for v in vertices:
            if not all(lo <= c <= hi for c, (lo, hi) in zip(v, bounds, strict=True)):
                return fail(f"a vertex of region {index} lies outside the box")
            values = pre(v)
            for layer in range(layers):
                for z, bit in zip(values[layer], region.pattern[layer], strict=True):
                    if (z < 0) if bit else (z > 0):
                        return fail(f"region {index}: a pre-activation has the wrong sign at a vertex")
            raw = values[-1][out]
            f = max(raw, Fraction(0)) if net.output_relu else raw
            affine = sum((g * c for g, c in zip(region.jacobian[out], v, strict=True)), Fraction(0)) + region.offset[out]
            if f != affine:
                return fail(f"region {index}: f differs from its affine map at a vertex")
    if dim > 2:
        return ExactRegionCheck(True, len(regions), len(cache), "not checked exactly beyond 2-D (the solvers check it)")
    box_measure = Fraction(1)
    for lo, hi in bounds:
        box_measure *= hi - lo
    total = sum((r.measure or Fraction(0) for r in regions), Fraction(0))
    if total != box_measure:
        return fail(f"the regions' measures add up to {total}, the box's is {box_measure}")
    for a in range(len(regions)):
        for b in range(a + 1, len(regions)):
            if not _separated(regions[a], regions[b], pre):
                return fail(f"regions {a} and {b} are not separated by a neuron that is non-zero at a vertex")
    return ExactRegionCheck(True, len(regions), len(cache), "exact: measures add up to the box and interiors are disjoint")


def _separated(first: Region, second: Region, pre: Callable[[Point], tuple[tuple[Fraction, ...], ...]]) -> bool:
    """At the first neuron where the patterns differ, its pre-activation is non-zero at a vertex of ``first``."""
    for layer, (bits_a, bits_b) in enumerate(zip(first.pattern, second.pattern, strict=True)):
        for neuron, (a, b) in enumerate(zip(bits_a, bits_b, strict=True)):
            if a != b:
                return any(pre(v)[layer][neuron] != 0 for v in first.vertices)
    return False
