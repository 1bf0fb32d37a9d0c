"""Exact polytopes cut by hyperplanes: hand-made degenerate cuts and random cut sequences.

Independent references: vertices of an H-representation found by solving every
d-subset of its inequalities exactly, and volumes from an exact pulling
triangulation written here (not the library's measure()).
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.errors import DomainError
from symrelu.polytope import Polytope

SETTINGS = settings(max_examples=40, deadline=None)


# --------------------------------------------------------------------------- independent helpers
def value(h, x) -> F:
    """``h = (a1..ad, a0)`` at the rational point x."""
    return sum((a * v for a, v in zip(h, x)), F(0)) + h[-1]


def det(m) -> F:
    m = [list(map(F, r)) for r in m]
    n, sign, result = len(m), 1, F(1)
    for c in range(n):
        p = next((i for i in range(c, n) if m[i][c] != 0), None)
        if p is None:
            return F(0)
        if p != c:
            m[c], m[p] = m[p], m[c]
            sign = -sign
        for i in range(c + 1, n):
            f = m[i][c] / m[c][c]
            m[i] = [a - f * b for a, b in zip(m[i], m[c])]
        result *= m[c][c]
    return sign * result


def solve(rows, rhs):
    n = len(rows)
    if det(rows) == 0:
        return None
    m = [list(map(F, r)) + [F(b)] for r, b in zip(rows, rhs)]
    for c in range(n):
        p = next(i for i in range(c, n) if m[i][c] != 0)
        m[c], m[p] = m[p], m[c]
        for i in range(n):
            if i != c and m[i][c] != 0:
                f = m[i][c] / m[c][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[c])]
    return tuple(m[i][n] / m[i][i] for i in range(n))


def h_vertices(halfspaces, dim):
    """Vertices of ``{x : h(x) >= 0 for h in halfspaces}`` by brute force over d-subsets."""
    found = set()
    for subset in itertools.combinations(halfspaces, dim):
        x = solve([list(h[:dim]) for h in subset], [-h[dim] for h in subset])
        if x is not None and all(value(h, x) >= 0 for h in halfspaces):
            found.add(x)
    return found


def box_halfspaces(bounds):
    dim = len(bounds)
    result = []
    for i, (lo, hi) in enumerate(bounds):
        e = [F(int(k == i)) for k in range(dim)]
        result.append(tuple(e) + (-lo,))  # x_i - lo >= 0
        result.append(tuple(-v for v in e) + (hi,))  # hi - x_i >= 0
    return result


def volume_3d(points, halfspaces):
    """Exact volume of the 3-D polytope with these vertices and (possibly redundant) inequalities.

    Pulling triangulation: fix v0; for each facet not containing v0 pick its first vertex v1 and
    each edge of the facet not containing v1; add |det(v1-v0, a-v0, b-v0)| / 6.
    """
    pts = sorted(points)
    tight = {p: frozenset(k for k, h in enumerate(halfspaces) if value(h, p) == 0) for p in pts}

    def face(ks):
        return [p for p in pts if ks <= tight[p]]

    facets = {}
    for k in range(len(halfspaces)):
        members = face(frozenset([k]))
        if len(members) >= 3:
            facets.setdefault(frozenset(members), k)
    v0 = pts[0]
    total = F(0)
    for members, k in facets.items():
        if v0 in members:
            continue
        members = sorted(members)
        v1 = members[0]
        edges = set()
        for j in range(len(halfspaces)):
            e = frozenset(face(frozenset([k, j])))
            if len(e) == 2 and v1 not in e:
                edges.add(e)
        for e in edges:
            a, b = sorted(e)
            total += abs(det([[a[i] - v0[i] for i in range(3)], [b[i] - v0[i] for i in range(3)], [v1[i] - v0[i] for i in range(3)]]))
    return total / 6


def shoelace(points):
    n = len(points)
    return abs(sum((points[i][0] * points[(i + 1) % n][1] - points[(i + 1) % n][0] * points[i][1] for i in range(n)), F(0))) / 2


def strictly_inside(x, halfspaces):
    return all(value(h, x) > 0 for h in halfspaces)


def as_halfspace(row, den=1):
    """An integer hyperplane row ``(a1..ad, a0)`` as a rational half-space ``h >= 0``."""
    return tuple(F(v, den) for v in row)


# --------------------------------------------------------------------------- box
def test_box_2d_counter_clockwise_with_tags():
    p = Polytope.box([(F(-1), F(1, 2)), (F(1, 3), F(2))])
    assert p.points() == ((F(-1), F(1, 3)), (F(1, 2), F(1, 3)), (F(1, 2), F(2)), (F(-1), F(2)))
    assert p.tags[0] == frozenset({("box", 0, 0), ("box", 1, 0)})
    assert p.measure() == F(3, 2) * F(5, 3)
    assert set(p.facet_tags()) == {("box", i, s) for i in range(2) for s in range(2)}
    assert all(v[-1] > 0 for v in p.vertices)


@pytest.mark.parametrize("dim", [1, 3, 4])
def test_box_any_dimension(dim):
    bounds = [(F(-k, 3), F(k + 1, 2)) for k in range(1, dim + 1)]
    p = Polytope.box(bounds)
    assert set(p.points()) == set(itertools.product(*bounds))
    assert len(p.vertices) == 2**dim
    assert set(p.facet_tags()) == {("box", i, s) for i in range(dim) for s in range(2)}
    assert strictly_inside(p.interior_point(), box_halfspaces(bounds))
    if dim == 1:
        assert p.measure() == F(1) + F(1, 3)
    else:
        with pytest.raises(DomainError):
            p.measure()


@pytest.mark.parametrize("bounds", [[(F(1), F(1))], [(F(0), F(1)), (F(2), F(1))], []])
def test_box_refuses_empty_or_inverted(bounds):
    with pytest.raises(DomainError):
        Polytope.box(bounds)


# --------------------------------------------------------------------------- hand-made cuts in 2-D
SQUARE = [(F(-1), F(1)), (F(-1), F(1))]


def test_cut_through_two_vertices_2d():
    above, below = Polytope.box(SQUARE).split([1, -1, 0], tag="diag")  # x - y >= 0 / <= 0
    assert set(above.points()) == {(F(-1), F(-1)), (F(1), F(-1)), (F(1), F(1))}
    assert set(below.points()) == {(F(-1), F(-1)), (F(1), F(1)), (F(-1), F(1))}
    assert above.measure() == below.measure() == 2
    assert "diag" in above.facet_tags() and "diag" in below.facet_tags()
    assert len(above.facet_tags()) == 3
    for part, sign in ((above, 1), (below, -1)):
        x = part.interior_point()
        assert sign * (x[0] - x[1]) > 0 and strictly_inside(x, box_halfspaces(SQUARE))


def test_cut_through_one_vertex_2d():
    above, below = Polytope.box(SQUARE).split([1, 2, 1], tag="h")  # x + 2y + 1 = 0 through (1, -1) and (-1, 0)
    assert len(above.vertices) == 4 and len(below.vertices) == 3
    assert above.measure() + below.measure() == 4
    assert below.measure() == shoelace([(F(1), F(-1)), (F(-1), F(0)), (F(-1), F(-1))]) == 1
    assert (F(1), F(-1)) in above.points() and (F(1), F(-1)) in below.points()


def test_cut_along_an_edge_2d():
    above, below = Polytope.box(SQUARE).split([1, 0, -1], tag="edge")  # x - 1: zero on the edge x = 1
    assert above is None
    assert below.measure() == 4 and len(below.vertices) == 4
    assert "edge" in below.facet_tags() and ("box", 0, 1) in below.facet_tags()
    assert [("edge" in t) for t in below.tags] == [p[0] == 1 for p in below.points()]


def test_cut_touching_one_vertex_only_2d():
    above, below = Polytope.box(SQUARE).split([-1, -1, 2], tag="touch")  # 2 - x - y >= 0, zero at (1, 1) only
    assert below is None and above.measure() == 4
    assert "touch" not in above.facet_tags()
    assert sum("touch" in t for t in above.tags) == 1


def test_hyperplane_missing_the_box():
    square = Polytope.box(SQUARE)
    above, below = square.split([1, 1, 5], tag="far")
    assert below is None and above is square
    above, below = square.split([1, 1, -5], tag="far")
    assert above is None and below is square


def test_identically_zero_hyperplane_keeps_polytope_below_without_tags():
    square = Polytope.box(SQUARE)
    above, below = square.split([0, 0, 0], tag="zero")
    assert above is None and below is square
    assert all("zero" not in t for t in below.tags)


def test_split_by_given_signs_matches_hyperplane():
    square = Polytope.box(SQUARE)
    h = [3, -1, 1]
    assert square.split(h, "h") == square.split(None, "h", signs=square.values(h))


def test_interval_cuts_1d():
    seg = Polytope.box([(F(-2), F(3))])
    left_pos, left_neg = seg.split([2, -1], tag="t")  # 2x - 1 >= 0 for x >= 1/2
    assert left_pos.measure() == F(5, 2) and left_neg.measure() == F(5, 2)
    assert F(1, 2) in {p[0] for p in left_pos.points()}
    above, below = seg.split([1, 2], "end")  # x + 2: zero at the end x = -2
    assert below is None and above.measure() == 5 and "end" in above.facet_tags()


# --------------------------------------------------------------------------- 3-D and 4-D
CUBE = [(F(0), F(1))] * 3


def test_cube_cut_through_three_vertices():
    above, below = Polytope.box(CUBE).split([1, 1, 1, -1], tag="p")  # x + y + z = 1
    assert set(below.points()) == {(F(0), F(0), F(0)), (F(1), F(0), F(0)), (F(0), F(1), F(0)), (F(0), F(0), F(1))}
    assert len(above.vertices) == 7 and (F(0), F(0), F(0)) not in above.points()
    cut = as_halfspace([1, 1, 1, -1])
    neg = tuple(-v for v in cut)
    assert volume_3d(below.points(), box_halfspaces(CUBE) + [neg]) == F(1, 6)
    assert volume_3d(above.points(), box_halfspaces(CUBE) + [cut]) == F(5, 6)
    assert "p" in above.facet_tags() and "p" in below.facet_tags()
    assert len(below.facet_tags()) == 4 and len(above.facet_tags()) == 7
    assert strictly_inside(below.interior_point(), box_halfspaces(CUBE) + [neg])
    assert strictly_inside(above.interior_point(), box_halfspaces(CUBE) + [cut])


def test_cube_cut_through_an_edge_and_two_vertices():
    above, below = Polytope.box(CUBE).split([1, -1, 0, 0], tag="p")  # x = y: a diagonal plane through 4 vertices
    assert len(above.vertices) == 6 and len(below.vertices) == 6
    cut = as_halfspace([1, -1, 0, 0])
    assert volume_3d(above.points(), box_halfspaces(CUBE) + [cut]) == F(1, 2)
    assert set(above.points()) == h_vertices(box_halfspaces(CUBE) + [cut], 3)


def test_cube_cut_along_a_face_and_edge_only():
    cube = Polytope.box(CUBE)
    above, below = cube.split([0, 0, 1, -1], tag="face")  # z - 1: zero on the face z = 1
    assert above is None and "face" in below.facet_tags() and len(below.facet_tags()) == 7
    above, below = cube.split([1, 1, 0, -2], tag="edge")  # x + y - 2: zero on an edge only
    assert above is None and "edge" not in below.facet_tags() and len(below.facet_tags()) == 6


def test_cube_generic_cut_hexagon():
    above, below = Polytope.box([(F(-1), F(1))] * 3).split([2, 2, 2, -1], tag="p")  # x+y+z = 1/2: a hexagonal section
    cut = as_halfspace([2, 2, 2, -1])
    neg = tuple(-v for v in cut)
    cube = box_halfspaces([(F(-1), F(1))] * 3)
    assert set(above.points()) == h_vertices(cube + [cut], 3)
    assert set(below.points()) == h_vertices(cube + [neg], 3)
    assert volume_3d(above.points(), cube + [cut]) + volume_3d(below.points(), cube + [neg]) == 8
    assert len([p for p in above.points() if value(cut, p) == 0]) == 6


def test_hypercube_cut_through_vertices_4d():
    bounds = [(F(0), F(1))] * 4
    above, below = Polytope.box(bounds).split([1, 1, 1, 1, -2], tag="p")  # through the 6 vertices with two 1s
    cut = as_halfspace([1, 1, 1, 1, -2])
    neg = tuple(-v for v in cut)
    assert set(above.points()) == h_vertices(box_halfspaces(bounds) + [cut], 4)
    assert set(below.points()) == h_vertices(box_halfspaces(bounds) + [neg], 4)
    assert len(below.vertices) == 1 + 4 + 6
    assert strictly_inside(below.interior_point(), box_halfspaces(bounds) + [neg])


# --------------------------------------------------------------------------- random cut sequences
coefficient = st.integers(-3, 3)


@SETTINGS
@given(
    st.lists(st.tuples(coefficient, coefficient, st.integers(-4, 4), st.booleans()), min_size=1, max_size=6),
    st.sampled_from([SQUARE, [(F(-1, 2), F(1, 3)), (F(0), F(5, 7))]]),
)
def test_random_cuts_2d(cuts, bounds):
    """Cut repeatedly, keeping a random side: both sides' areas add up, vertices equal the H-rep's."""
    poly = Polytope.box(bounds)
    halfspaces = box_halfspaces(bounds)
    for a, b, c, keep_above in cuts:
        row = [a * 4, b * 4, c]  # hyperplanes through vertices of the box are common with these numbers
        above, below = poly.split(row, tag=len(halfspaces))
        h = as_halfspace(row)
        areas = [part.measure() for part in (above, below) if part is not None]
        assert sum(areas) == poly.measure()
        for part in (above, below):
            if part is not None:
                assert part.measure() == shoelace(part.points()) > 0
        chosen = above if keep_above else below
        if chosen is None:
            continue
        poly = chosen
        if any(row[:2]):
            halfspaces.append(h if keep_above else tuple(-v for v in h))
        elif row[2] == 0:
            pass  # identically zero: no constraint
        assert set(poly.points()) == h_vertices(halfspaces, 2)
        assert strictly_inside(poly.interior_point(), halfspaces)
        pts = poly.points()
        for i in range(len(pts)):  # strictly convex, counter-clockwise
            p0, p1, p2 = pts[i], pts[(i + 1) % len(pts)], pts[(i + 2) % len(pts)]
            assert (p1[0] - p0[0]) * (p2[1] - p1[1]) - (p1[1] - p0[1]) * (p2[0] - p1[0]) > 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(coefficient, coefficient, coefficient, st.integers(-3, 3), st.booleans()), min_size=1, max_size=4))
def test_random_cuts_3d(cuts):
    """In 3-D: vertices equal brute-force H-rep vertices, facet tags are exactly the facets, volumes add up."""
    bounds = [(F(-1), F(1)), (F(0), F(1)), (F(-1, 2), F(1))]
    poly = Polytope.box(bounds)
    halfspaces = box_halfspaces(bounds)
    tags = [("box", i, s) for i in range(3) for s in (0, 1)]
    volume = volume_3d(poly.points(), halfspaces)
    for index, (a, b, c, d, keep_above) in enumerate(cuts):
        row = [2 * a, 2 * b, 2 * c, d]
        above, below = poly.split(row, tag=index)
        h = as_halfspace(row)
        parts = []
        for part, hh in ((above, h), (below, tuple(-v for v in h))):
            if part is not None:
                extra = [hh] if any(row[:3]) else []
                assert set(part.points()) == h_vertices(halfspaces + extra, 3)
                parts.append(volume_3d(part.points(), halfspaces + extra))
        assert sum(parts) == volume and all(v > 0 for v in parts)
        chosen = above if keep_above else below
        if chosen is None:
            continue
        poly = chosen
        if any(row[:3]):
            halfspaces.append(h if keep_above else tuple(-v for v in h))
            tags.append(index)
        volume = volume_3d(poly.points(), halfspaces)
        # facets: a tag is reported iff its tight vertices span a plane (3 affinely independent)
        expected = set()
        for tag, hh in zip(tags, halfspaces):
            on = [p for p in poly.points() if value(hh, p) == 0]
            if _spans_plane(on):
                expected.add(tag)
        assert set(poly.facet_tags()) == expected
        assert strictly_inside(poly.interior_point(), halfspaces)


def _spans_plane(points) -> bool:
    if len(points) < 3:
        return False
    p0 = points[0]
    for p1, p2 in itertools.combinations(points[1:], 2):
        u = [p1[i] - p0[i] for i in range(3)]
        v = [p2[i] - p0[i] for i in range(3)]
        cross = (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])
        if any(cross):
            return True
    return False
