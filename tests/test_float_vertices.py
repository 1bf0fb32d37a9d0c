"""The float-vertex engine (certified radii, exact on demand) against independent exact methods.

* on 2-D inputs it gives the 2-D engine's regions, and vertex for vertex the exact vertex engine's;
* on small 3-D to 6-D nets it gives the patterns of a Z3 search, and vertex for vertex (same order,
  same tags) the exact integer engine's (``float_filter=False``), also with ties, zero rows and
  layers scaled by huge or tiny powers of two;
* its two error bounds (a posteriori from the tight rows, propagated along a cut edge) hold against
  exact rational vertices, and a whole layer cut in one batch equals each cell's exact splits.
"""

from __future__ import annotations

import random
from fractions import Fraction as F

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_polytope import solve
from test_region_engines import region_key, scaled
from test_regions import check_cheap_invariants, networks, seeded_net, z3_patterns

from symrelu.float_batch import cut_layer
from symrelu.float_vertices import FloatCell, Table, certified_radii, crossing_radii
from symrelu.polytope import Polytope
from symrelu.regions import enumerate_regions

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ordered_key(regions):
    return [(r.pattern, r.polytope.vertices, r.polytope.tags, r.constraints, r.jacobian, r.offset) for r in regions]


@SETTINGS
@given(networks(dims=(2,), max_width=6))
def test_float_engine_matches_the_2d_engine_on_2d_inputs(case):
    net, box = case
    floats = enumerate_regions(net, box, engine="vertex")
    assert region_key(floats) == region_key(enumerate_regions(net, box, engine="2d"))
    assert ordered_key(floats) == ordered_key(enumerate_regions(net, box, engine="vertex", float_filter=False))


def test_float_engine_in_3_to_6_dimensions_matches_z3_and_the_exact_engine():
    rng = random.Random(5)
    for dim, widths in [(3, (4, 4)), (4, (4, 3)), (5, (3, 3)), (6, (3, 2))]:
        sizes = (dim, *widths, 1)
        net = seeded_net(rng, sizes)
        box = tuple((F(-1), F(1)) for _ in range(dim))
        regions = enumerate_regions(net, box)
        assert {r.pattern for r in regions} == z3_patterns(net, box)
        if dim <= 4:  # the invariants' own checks grow fast with the dimension
            check_cheap_invariants(net, box, regions)
        assert ordered_key(regions) == ordered_key(enumerate_regions(net, box, float_filter=False))


@SETTINGS
@given(
    networks(dims=(3, 4, 5), max_width=3, max_depth=2),
    st.lists(st.sampled_from([0, 0, 1, -3, 60, -60, 700, -700, 1060, -1060]), min_size=3, max_size=3),
)
def test_float_engine_equals_the_exact_engine_with_ties_and_extreme_magnitudes(case, powers):
    """Duplicate, parallel and zero rows and hyperplanes through box corners (the ``networks``
    strategy), and layers scaled by ``2**p`` (every pre-activation times a positive number: the
    patterns must not change) so that some numbers leave float range or underflow."""
    net, box = case
    reference = enumerate_regions(net, box, float_filter=False)
    big = scaled(net, powers[: len(net.layers)])
    for candidate in (net, big):
        floats = enumerate_regions(candidate, box)
        assert ordered_key(floats) == ordered_key(enumerate_regions(candidate, box, float_filter=False))
        assert [r.pattern for r in floats] == [r.pattern for r in reference]


def _exact_solution(rows):
    """The exact vertex of ``d`` integer rows ``(a, a0)``: ``a . x + a0 = 0`` (Fraction elimination); None if singular."""
    dim = len(rows)
    return solve([row[:dim] for row in rows], [-row[dim] for row in rows])


@SETTINGS
@given(st.integers(2, 6), st.integers(0, 2**32), st.sampled_from([1e-16, 1e-9, 1e-3]), st.sampled_from([1, 2**20, 2**45]))
def test_certified_radius_bounds_the_true_error(dim, seed, noise, scale):
    rng = np.random.default_rng(seed)
    rows = rng.integers(-scale, scale + 1, size=(dim, dim + 1))
    exact = _exact_solution(rows.tolist())
    if exact is None:  # singular: no vertex
        return
    truth = np.array([float(v) for v in exact])
    point = truth * (1 + noise * rng.standard_normal(dim)) + noise * rng.standard_normal(dim)
    bits = np.zeros((1, 1), dtype=np.uint64)
    bits[0, 0] = np.uint64((1 << dim) - 1)
    radius = certified_radii(rows.astype(float), 0, bits, point[None, :])[0]
    error = max(abs(F(float(p)) - v) for p, v in zip(point, exact, strict=True))
    assert radius == np.inf or error <= F(float(radius))


@SETTINGS
@given(st.integers(0, 2**32), st.sampled_from([0.0, 1e-12, 1e-6]))
def test_propagated_radius_bounds_the_true_error(seed, noise):
    """A segment between two exact points, cut by an integer hyperplane: the float crossing is
    within the propagated radius of the exact one."""
    rng = random.Random(seed)
    dim = rng.randint(2, 6)
    ends = [[F(rng.randint(-64, 64), rng.randint(1, 64)) for _ in range(dim)] for _ in range(2)]
    row = [rng.randint(-64, 64) for _ in range(dim + 1)]
    value = [sum((a * x for a, x in zip(row, end, strict=False)), F(row[dim])) for end in ends]
    if not value[0] > 0 > value[1]:
        return
    t = value[0] / (value[0] - value[1])
    crossing = [a + t * (b - a) for a, b in zip(*ends, strict=True)]
    points = np.array([[float(x) * (1 + noise * rng.uniform(-1, 1)) for x in end] for end in ends])
    radii = np.array([max(abs(F(float(p)) - x) for p, x in zip(points[i], ends[i], strict=True)) for i in range(2)], dtype=float)
    radii = np.nextafter(radii, np.inf)
    as_float = np.array(row, dtype=float)
    values = points @ as_float[:dim] + as_float[dim]
    magnitude = np.abs(points) @ np.abs(as_float[:dim]) + abs(as_float[dim])
    bounds = 2 * (radii * np.abs(as_float[:dim]).sum() + (dim + 3) * 2.0**-53 * magnitude) + 1e-290
    certain = np.abs(values) > bounds
    radius = crossing_radii(points, radii, np.array([0]), np.array([1]), values, bounds, certain)[0]
    if radius == np.inf:
        return
    t_float = np.clip(values[0] / (values[0] - values[1]), 0.0, 1.0)
    found = points[0] + t_float * (points[1] - points[0])
    assert max(abs(F(float(p)) - x) for p, x in zip(found, crossing, strict=True)) <= F(float(radius))


def _exact_cut(polytope, rows, tags):
    """``polytope`` cut by ``rows`` in order with exact ``Polytope.split``: {bits: part}."""
    parts = {(): polytope}
    for row, tag in zip(rows, tags, strict=True):
        found = {}
        for bits, part in parts.items():
            above, below = part.split(row, tag)
            if above is not None:
                found[bits + (1,)] = above
            if below is not None:
                found[bits + (0,)] = below
        parts = found
    return parts


@SETTINGS
@given(st.integers(0, 2**32), st.integers(2, 5))
def test_one_batch_equals_exact_splits_cell_by_cell(seed, dim):
    """Several cells cut at once by their own rows give each cell's exact sequential split (same
    vertices in the same order, same tags), with duplicate and zero rows on purpose."""
    rng = random.Random(seed)
    bounds = [(F(-1), F(1))] * dim
    box = Polytope.box(bounds)
    start = FloatCell.of(box, Table.of_box(box, bounds))
    first = [[rng.randint(-2, 2) for _ in range(dim)] + [rng.randint(-1, 1)] for _ in range(3)]
    first_tags = [(0, k) for k in range(3)]
    parents = [cell for cell, _ in cut_layer([start], [first], first_tags, None)[0]]
    assert {c.polytope for c in parents} == set(_exact_cut(box, first, first_tags).values())
    rows = []
    for _ in parents:
        mine = [[rng.randint(-3, 3) for _ in range(dim)] + [rng.randint(-2, 2)] for _ in range(3)]
        mine[2] = list(mine[0]) if rng.random() < 0.5 else [0] * dim + [rng.randint(-1, 1)]  # a duplicate or a zero row
        rows.append(mine)
    tags = [(1, k) for k in range(3)]
    batched = cut_layer(parents, rows, tags, None)
    assert batched is not None
    for parent, mine, parts in zip(parents, rows, batched, strict=True):
        assert {bits: cell.polytope for cell, bits in parts} == _exact_cut(parent.polytope, mine, tags)
