"""Exact activation-region enumeration, checked against independent methods.

Every check here is exact: rationals (``Fraction``) for evaluation, and Z3's
linear real arithmetic, fed rationals as ``"p/q"`` text, for the geometric
claims (disjointness, non-redundancy, "the constraints cut out exactly the
pattern's set", completeness). Networks are drawn at random by hypothesis with
the degenerate features that break region code: zero weights and zero rows,
duplicated and parallel (also anti-parallel) neurons, neurons whose hyperplane
passes through a box corner, boxes with non-integer rational bounds, output
ReLU on or off, several outputs.
"""

from __future__ import annotations

import itertools
import os
import random
import sys
from fractions import Fraction as F

import pytest
import z3
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from symrelu import Network, TooLargeError
from symrelu.regions import enumerate_regions

# SYMRELU_TEST_SCALE=10 runs ten times as many random examples (a deeper, slower search).
SCALE = int(os.environ.get("SYMRELU_TEST_SCALE", "1"))
FAST = settings(max_examples=40 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# The Z3-heavy tests do not shrink (each shrink step re-runs many Z3 queries); the hand-made
# tests below give minimal reproducers, and describe() prints any failing network in full.
SLOW = settings(
    max_examples=25 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


# --------------------------------------------------------------------------- independent exact helpers
def q(value: F) -> z3.ArithRef:
    """A Z3 rational from a Fraction, through text (never a float)."""
    return z3.RealVal(str(F(value)))


def affine_layers(net: Network, pattern_prefix) -> list[list[tuple[list[F], F]]]:
    """Pre-activations of each layer as exact affine functions of x, written from the weights.

    ``pattern_prefix`` fixes the ReLU bits of the layers before; returns, for layers
    ``0 .. len(pattern_prefix)``, a list of ``(coefficients, constant)`` per neuron.
    Independent of symrelu's own Jacobian code on purpose.
    """
    d = net.input_dim
    current = [([F(int(i == j)) for j in range(d)], F(0)) for i in range(d)]
    out = []
    for index, layer in enumerate(net.layers[: len(pattern_prefix) + 1]):
        pre = []
        for row, b in zip(layer.weight, layer.bias):
            coeffs = [sum((w * a[0][j] for w, a in zip(row, current)), F(0)) for j in range(d)]
            const = sum((w * a[1] for w, a in zip(row, current)), F(0)) + b
            pre.append((coeffs, const))
        out.append(pre)
        if index < len(pattern_prefix):
            zero = ([F(0)] * d, F(0))
            current = [p if bit else zero for p, bit in zip(pre, pattern_prefix[index])]
    return out


def z3_affine(coeffs, const, xs) -> z3.ArithRef:
    terms = [q(c) * x for c, x in zip(coeffs, xs) if c != 0]
    return z3.Sum(terms + [q(const)]) if terms else q(const)


def is_zero_function(coeffs, const) -> bool:
    return const == 0 and all(c == 0 for c in coeffs)


def pattern_open_set(net: Network, pattern, xs) -> list[z3.BoolRef]:
    """Strict constraints whose solutions are the interior of the pattern's region.

    An inactive neuron whose pre-activation is identically zero (given the bits
    before it) is inactive everywhere and adds no constraint; otherwise the
    sign is strict, so the system is feasible iff the region has interior.
    """
    result = []
    pres = affine_layers(net, pattern[:-1])
    for layer_bits, pre in zip(pattern, pres):
        for bit, (coeffs, const) in zip(layer_bits, pre):
            if is_zero_function(coeffs, const):
                if bit:
                    return [z3.BoolVal(False)]
                continue
            e = z3_affine(coeffs, const, xs)
            result.append(e > 0 if bit else e < 0)
    return result


def open_box(box, xs) -> list[z3.BoolRef]:
    return [c for (lo, hi), x in zip(box, xs) for c in (q(lo) < x, x < q(hi))]


def constraint_expr(constraint, xs) -> z3.ArithRef:
    """The constraint's slack ``b - a.x`` as a Z3 term."""
    return q(constraint.bound) - z3_affine(constraint.coefficients, F(0), xs)


def seeded_net(rng, sizes) -> Network:
    """A network with layer widths ``sizes``: weights k/8 and biases k/16, k in [-8, 8], drawn from ``rng``."""
    layers = [
        ([[F(rng.randint(-8, 8), 8) for _ in range(a)] for _ in range(b)], [F(rng.randint(-8, 8), 16) for _ in range(b)])
        for a, b in zip(sizes, sizes[1:], strict=False)
    ]
    return Network.from_rows(layers)


def z3_patterns(net: Network, box) -> set:
    """Every pattern whose region has interior, by depth-first search with Z3 (exact LRA).

    Neuron by neuron, a prefix is extended only while its strict system is
    feasible inside the open box; this visits the same leaves as trying all
    2^N patterns, but prunes infeasible prefixes.
    """
    d = net.input_dim
    xs = [z3.Real(f"x{i}") for i in range(d)]
    solver = z3.Solver()
    solver.add(*open_box(box, xs))
    found = set()
    widths = [layer.out_dim for layer in net.layers[: net.relu_layer_count]]

    def walk(layer: int, bits: list[tuple[int, ...]], current: tuple[int, ...]) -> None:
        if layer == len(widths):
            found.add(tuple(bits))
            return
        if len(current) == widths[layer]:
            walk(layer + 1, bits + [current], ())
            return
        coeffs, const = affine_layers(net, bits)[layer][len(current)]
        for bit in (0, 1):
            if is_zero_function(coeffs, const):
                if bit == 0:
                    walk(layer, bits, current + (0,))
                continue
            e = z3_affine(coeffs, const, xs)
            solver.push()
            solver.add(e > 0 if bit else e < 0)
            answer = solver.check()
            assert answer in (z3.sat, z3.unsat), answer
            if answer == z3.sat:
                walk(layer, bits, current + (bit,))
            solver.pop()

    walk(0, [], ())
    return found


def rank(rows: list[list[F]]) -> int:
    """Rank of a rational matrix by fraction-exact Gaussian elimination."""
    m = [list(r) for r in rows]
    r = 0
    cols = len(m[0]) if m else 0
    for c in range(cols):
        pivot = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
        if pivot is None:
            continue
        m[r], m[pivot] = m[pivot], m[r]
        for i in range(len(m)):
            if i != r and m[i][c] != 0:
                factor = m[i][c] / m[r][c]
                m[i] = [a - factor * b for a, b in zip(m[i], m[r])]
        r += 1
    return r


def solve(rows: list[list[F]], rhs: list[F]) -> list[F] | None:
    """The unique solution of a square rational system, or None if singular."""
    n = len(rows)
    m = [list(r) + [b] for r, b in zip(rows, rhs)]
    for c in range(n):
        pivot = next((i for i in range(c, n) if m[i][c] != 0), None)
        if pivot is None:
            return None
        m[c], m[pivot] = m[pivot], m[c]
        for i in range(n):
            if i != c and m[i][c] != 0:
                factor = m[i][c] / m[c][c]
                m[i] = [a - factor * b for a, b in zip(m[i], m[c])]
    return [m[i][n] / m[i][i] for i in range(n)]


def box_measure(box) -> F:
    result = F(1)
    for lo, hi in box:
        result *= hi - lo
    return result


def affine_apply(jac, off, x):
    return tuple(sum((a * v for a, v in zip(row, x)), F(0)) + c for row, c in zip(jac, off))


def random_point(rng: random.Random, box, den: int = 97) -> tuple[F, ...]:
    return tuple(lo + (hi - lo) * F(rng.randint(0, den), den) for lo, hi in box)


# --------------------------------------------------------------------------- strategies
@st.composite
def boxes(draw, dim: int):
    result = []
    for _ in range(dim):
        kind = draw(st.sampled_from(["unit", "integer", "rational"]))
        if kind == "unit":
            result.append((F(-1), F(1)))
        elif kind == "integer":
            lo = draw(st.integers(-2, 1))
            result.append((F(lo), F(lo + draw(st.integers(1, 3)))))
        else:
            den = draw(st.sampled_from([3, 4, 7]))
            lo = draw(st.integers(-2 * den, den))
            result.append((F(lo, den), F(lo + draw(st.integers(1, 2 * den)), den)))
    return tuple(result)


@st.composite
def networks(draw, dims=(1, 2, 3, 4), max_width=None, max_depth=3, max_neurons=None):
    """A random small exact network with a box; degenerate neurons on purpose."""
    dim = draw(st.sampled_from(dims))
    box = draw(boxes(dim))
    den = draw(st.sampled_from([8, 64]))
    depth = draw(st.integers(1, max_depth))
    cap = max_width or {1: 8, 2: 6, 3: 4, 4: 3}[dim]
    widths = [draw(st.integers(1, cap)) for _ in range(depth)]
    if max_neurons is not None:
        while sum(widths) > max_neurons:
            widths[widths.index(max(widths))] -= 1
    outputs = draw(st.integers(1, 2))
    output_relu = draw(st.booleans())
    entry = st.one_of(st.just(0), st.integers(-den, den)).map(lambda k: F(k, den))
    corners = list(itertools.product(*box))
    sizes = [dim] + widths + [outputs]
    layers = []
    for index in range(len(sizes) - 1):
        n_in, n_out = sizes[index], sizes[index + 1]
        rows: list[list[F]] = []
        bias: list[F] = []
        for _ in range(n_out):
            kinds = ["random", "random", "random", "zero_row"]
            if rows:
                kinds += ["duplicate", "parallel", "antiparallel", "shifted"]
            if index == 0:
                kinds += ["corner", "corner"]
            kind = draw(st.sampled_from(kinds))
            if kind in ("duplicate", "parallel", "antiparallel", "shifted"):
                k = draw(st.integers(0, len(rows) - 1))
                factor = {"duplicate": F(1), "parallel": F(3, 2), "antiparallel": F(-1, 2), "shifted": F(1)}[kind]
                rows.append([factor * w for w in rows[k]])
                bias.append(factor * bias[k] + (F(draw(st.integers(-4, 4)), 8) if kind == "shifted" else 0))
            elif kind == "zero_row":
                rows.append([F(0)] * n_in)
                bias.append(draw(entry))
            else:
                row = [draw(entry) for _ in range(n_in)]
                rows.append(row)
                if kind == "corner":
                    corner = draw(st.sampled_from(corners))
                    bias.append(-sum((w * c for w, c in zip(row, corner)), F(0)))
                else:
                    bias.append(draw(entry))
        layers.append((rows, bias))
    return Network.from_rows(layers, output_relu=output_relu), box


def describe(net: Network, box) -> str:
    return repr(([([list(map(str, r)) for r in l.weight], list(map(str, l.bias))) for l in net.layers], net.output_relu, box))


# --------------------------------------------------------------------------- cheap invariants (no Z3)
def check_cheap_invariants(net: Network, box, regions) -> None:
    d = net.input_dim
    patterns = [r.pattern for r in regions]
    assert patterns == sorted(patterns), "regions are not sorted by pattern"
    assert len(set(patterns)) == len(patterns), "a pattern occurs twice"
    assert regions, "no region at all"
    for r in regions:
        ip = r.interior_point
        assert len(ip) == d
        assert net.pattern(ip) == r.pattern, f"interior point {ip} has pattern {net.pattern(ip)}, not {r.pattern}"
        assert r.contains(ip, strictly=True)
        assert all(c.slack(ip) > 0 for c in r.constraints)
        assert all(lo < v < hi for v, (lo, hi) in zip(ip, box)), "interior point outside the open box"
        # the affine map: symrelu's own, the network's, and an independent composition agree
        jac, off = net.affine_map(r.pattern)
        assert (r.jacobian, r.offset) == (jac, off)
        assert len(r.jacobian) == net.output_dim and all(len(row) == d for row in r.jacobian)
        assert affine_apply(r.jacobian, r.offset, ip) == net.evaluate(ip)
        # vertices: in the closed box, on the closure, tight on >= d constraints of rank d,
        # and the affine map agrees with the network there (continuity)
        assert len(r.vertices) >= d + 1
        assert len(set(r.vertices)) == len(r.vertices), "a vertex is listed twice"
        for v in r.vertices:
            assert all(lo <= c <= hi for c, (lo, hi) in zip(v, box))
            slacks = [c.slack(v) for c in r.constraints]
            assert all(s >= 0 for s in slacks), f"vertex {v} violates a constraint of {r.pattern}"
            tight = [list(c.coefficients) for c, s in zip(r.constraints, slacks) if s == 0]
            assert len(tight) >= d and rank(tight) == d, f"{v} is not a vertex of {r.pattern}"
            assert affine_apply(r.jacobian, r.offset, v) == net.evaluate(v), f"affine map != network at vertex {v}"
        # every constraint is a facet of the vertex set: tight at d affinely independent vertices
        for c in r.constraints:
            on = [list(v) + [F(1)] for v in r.vertices if c.slack(v) == 0]
            assert rank(on) == d if on else False, f"constraint {c.source} of {r.pattern} is not a facet"
        if d <= 2:
            assert r.measure is not None and r.measure > 0
        else:
            assert r.measure is None
    if d == 1:
        for r in regions:
            assert len(r.vertices) == 2
            assert r.measure == abs(r.vertices[0][0] - r.vertices[1][0])
    if d <= 2:
        assert sum((r.measure for r in regions), F(0)) == box_measure(box), "measures do not add up to the box"


def check_disjoint(net: Network, regions) -> None:
    """Interiors pairwise disjoint: an exact separating facet, else Z3 on both strict systems."""
    d = net.input_dim
    xs = [z3.Real(f"x{i}") for i in range(d)]
    for a, b in itertools.combinations(regions, 2):
        # bounding boxes that touch at most on their boundary
        if any(
            max(v[i] for v in a.vertices) <= min(v[i] for v in b.vertices)
            or max(v[i] for v in b.vertices) <= min(v[i] for v in a.vertices)
            for i in range(d)
        ):
            continue
        # a facet of one that has the other's vertices on its closed outer side
        if any(all(c.slack(v) <= 0 for v in b.vertices) for c in a.constraints):
            continue
        if any(all(c.slack(v) <= 0 for v in a.vertices) for c in b.constraints):
            continue
        solver = z3.Solver()
        solver.add(*[constraint_expr(c, xs) > 0 for c in a.constraints + b.constraints])
        assert solver.check() == z3.unsat, f"regions {a.pattern} and {b.pattern} overlap"


def check_constraints_exact(net: Network, box, regions) -> None:
    """Z3: each region's constraints cut out exactly its pattern's set, and none is redundant."""
    d = net.input_dim
    xs = [z3.Real(f"x{i}") for i in range(d)]
    for r in regions:
        inside = [constraint_expr(c, xs) > 0 for c in r.constraints]
        pattern_set = pattern_open_set(net, r.pattern, xs)
        # (a) interior of the constraint polytope lies in the open box with the pattern's strict signs
        s = z3.Solver()
        s.add(*inside)
        s.add(z3.Not(z3.And(*(pattern_set + open_box(box, xs)))))
        assert s.check() == z3.unsat, f"{r.pattern}: the constraint interior leaves the pattern's set ({describe(net, box)})"
        # (b) the pattern's open set inside the open box lies inside the constraint interior
        s = z3.Solver()
        s.add(*pattern_set, *open_box(box, xs))
        s.add(z3.Not(z3.And(*inside)))
        assert s.check() == z3.unsat, f"{r.pattern}: the pattern's set leaves the constraints ({describe(net, box)})"
        # (c) removing any one constraint enlarges the region
        for k, c in enumerate(r.constraints):
            s = z3.Solver()
            s.add(*[constraint_expr(o, xs) >= 0 for j, o in enumerate(r.constraints) if j != k])
            s.add(constraint_expr(c, xs) < 0)
            assert s.check() == z3.sat, f"{r.pattern}: constraint {c.source} is redundant ({describe(net, box)})"


def check_cover_by_sampling(net: Network, box, regions, seed: int, samples: int = 40) -> None:
    """Random rational points lie in some region's closure; generic ones in exactly one interior."""
    rng = random.Random(seed)
    by_pattern = {r.pattern: r for r in regions}
    for _ in range(samples):
        x = random_point(rng, box)
        assert any(r.contains(x) for r in regions), f"{x} is in no region's closure"
        pres = net.preactivations(x)[: net.relu_layer_count]
        in_open_box = all(lo < v < hi for v, (lo, hi) in zip(x, box))
        if in_open_box and all(v != 0 for layer in pres for v in layer):
            holders = [r for r in regions if r.contains(x, strictly=True)]
            assert [h.pattern for h in holders] == [net.pattern(x)], f"{x}: strict holders {holders}"
            assert by_pattern[net.pattern(x)].contains(x, strictly=True)


# --------------------------------------------------------------------------- the tests
@FAST
@given(networks(), st.integers(0, 2**16))
def test_invariants_random_networks(case, seed):
    net, box = case
    regions = enumerate_regions(net, box)
    check_cheap_invariants(net, box, regions)
    check_cover_by_sampling(net, box, regions, seed)


@FAST
@given(networks(dims=(1, 2), max_width=8))
def test_measures_add_up_in_1d_and_2d(case):
    net, box = case
    regions = enumerate_regions(net, box)
    assert sum((r.measure for r in regions), F(0)) == box_measure(box)
    assert all(r.measure > 0 for r in regions)


@SLOW
@given(networks(max_neurons=10))
def test_completeness_against_z3_pattern_search(case):
    net, box = case
    regions = enumerate_regions(net, box)
    assert {r.pattern for r in regions} == z3_patterns(net, box), describe(net, box)


@SLOW
@given(networks(max_neurons=8))
def test_disjoint_interiors_exact(case):
    net, box = case
    check_disjoint(net, enumerate_regions(net, box))


@SLOW
@given(networks(max_neurons=7))
def test_constraints_exact_and_non_redundant(case):
    net, box = case
    check_constraints_exact(net, box, enumerate_regions(net, box))


@settings(max_examples=15 * SCALE, deadline=None)
@given(networks(dims=(3, 4), max_neurons=6))
def test_vertices_match_independent_enumeration(case):
    """In 3-D/4-D every vertex of {x : constraints} (all d-subsets solved exactly) is listed, and no other."""
    net, box = case
    for r in enumerate_regions(net, box)[:12]:
        d = net.input_dim
        found = set()
        for subset in itertools.combinations(r.constraints, d):
            x = solve([list(c.coefficients) for c in subset], [c.bound for c in subset])
            if x is not None and all(c.slack(x) >= 0 for c in r.constraints):
                found.add(tuple(x))
        assert found == set(r.vertices), f"{r.pattern}: {sorted(found)} != {sorted(r.vertices)}"


@FAST
@given(networks())
def test_deterministic(case):
    net, box = case
    first = enumerate_regions(net, box)
    second = enumerate_regions(net, box)
    key = lambda rs: [(r.pattern, r.constraints, r.vertices, r.jacobian, r.offset, r.interior_point) for r in rs]  # noqa: E731
    assert key(first) == key(second)
    # rebuilt network, box given as text: same answer
    again = Network.from_rows(
        [([[str(w) for w in row] for row in l.weight], [str(b) for b in l.bias]) for l in net.layers],
        output_relu=net.output_relu,
    )
    assert key(enumerate_regions(again, [(str(lo), str(hi)) for lo, hi in box])) == key(first)


# --------------------------------------------------------------------------- hand-made degenerate cases
def test_hyperplanes_through_one_point_2d():
    """Eight lines through the origin (two of them duplicated, one anti-parallel): 16 sectors... minus ties."""
    rows = [[1, 0], [0, 1], [1, 1], [1, -1], [1, 0], [-2, 0], [1, 2], [2, 1]]
    net = Network.from_rows([(rows, [0] * len(rows)), ([[1] * len(rows)], [0])])
    regions = enumerate_regions(net, [(-1, 1), (-1, 1)])
    # distinct lines through 0: x=0, y=0, x+y, x-y, x+2y, 2x+y -> 6 lines -> 12 sectors
    assert len(regions) == 12
    assert sum(r.measure for r in regions) == 4
    check_cheap_invariants(net, ((F(-1), F(1)), (F(-1), F(1))), regions)
    check_constraints_exact(net, ((F(-1), F(1)), (F(-1), F(1))), regions)


def test_hyperplane_along_box_face_rational_bound_is_not_duplicated():
    """Neuron 2x - 1 vanishes on the face x = 1/2 of the box [-1, 1/2]: x <= 1/2 and 2x <= 1 are one constraint."""
    net = Network.from_rows([([[2], [1]], [-1, 0]), ([[1, 1]], [0])])
    box = ((F(-1), F(1, 2)),)
    regions = enumerate_regions(net, box)
    assert [r.pattern for r in regions] == [((0, 0),), ((0, 1),)]
    check_cheap_invariants(net, box, regions)
    for r in regions:
        assert len(r.constraints) == 2, f"{r.pattern}: {[(c.coefficients, c.bound, c.source) for c in r.constraints]}"


def test_hyperplane_along_box_face_rational_bound_2d_non_redundant():
    net = Network.from_rows([([[2, 0]], [-1]), ([[1]], [0])])
    box = ((F(-1), F(1, 2)), (F(0), F(1)))
    check_constraints_exact(net, box, enumerate_regions(net, box))


def test_hyperplane_along_box_face_integer_bound():
    net = Network.from_rows([([[1, 0], [0, 3]], [-1, 3]), ([[1, 1]], [0])])
    box = ((F(-1), F(1)), (F(-1), F(1)))
    regions = enumerate_regions(net, box)
    assert len(regions) == 1
    check_cheap_invariants(net, box, regions)
    check_constraints_exact(net, box, regions)
    assert len(regions[0].constraints) == 4


def test_identically_zero_neurons_are_inactive():
    """A zero row, a dead second-layer neuron and a constant neuron: one region, bits from the definition."""
    net = Network.from_rows([([[0, 0], [0, 0], [1, 1]], [0, 1, 0]), ([[0, 0, 0], [1, -1, 0]], [0, 0]), ([[1, 1]], [0])])
    box = ((F(-1), F(1)), (F(-1), F(1)))
    regions = enumerate_regions(net, box)
    # neuron 2 of layer 0 splits the square; layer 1 neuron 1 is 0 - 1 + 0 < 0 ... on both sides
    assert {r.pattern for r in regions} == z3_patterns(net, box)
    assert all(r.pattern[0][:2] == (0, 1) and r.pattern[1][0] == 0 for r in regions)
    check_cheap_invariants(net, box, regions)
    check_constraints_exact(net, box, regions)


def test_cut_through_corner_of_every_cell_3d():
    """Planes through box corners and through the origin, some duplicated, in 3-D."""
    rows = [[1, 1, 1], [1, -1, 0], [1, 1, 1], [0, 1, -1], [1, 1, -1]]
    bias = [-3, 0, -3, 0, 1]  # x+y+z=3 touches the corner (1,1,1) only; x+y-z=-1 passes through 3 corners
    net = Network.from_rows([(rows, bias), ([[1, 2, 3, 4, 5]], [0])])
    box = ((F(-1), F(1)),) * 3
    regions = enumerate_regions(net, box)
    assert {r.pattern for r in regions} == z3_patterns(net, box)
    check_cheap_invariants(net, box, regions)
    check_disjoint(net, regions)
    check_constraints_exact(net, box, regions)
    check_cover_by_sampling(net, box, regions, seed=1, samples=200)


def test_single_region_when_nothing_cuts():
    net = Network.from_rows([([[1, 1]], [5]), ([[2]], [1])])
    (region,) = enumerate_regions(net, [("-1/3", "1/2"), ("0", "2/7")])
    assert region.pattern == ((1,),)
    assert region.measure == F(5, 6) * F(2, 7)
    assert region.jacobian == ((F(2), F(2)),) and region.offset == (F(11),)
    assert len(region.constraints) == 4 and len(region.vertices) == 4


def test_vertices_counter_clockwise_in_2d():
    net = Network.from_rows([([[1, 2], [-3, 1], [1, -1]], ["1/8", "-1/4", "0"]), ([[1, 1, 1]], [0])])
    for r in enumerate_regions(net, [(-1, 1), (-1, 1)]):
        v = r.vertices
        n = len(v)
        for i in range(n):
            a, b, c = v[i], v[(i + 1) % n], v[(i + 2) % n]
            cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
            assert cross > 0, f"{r.pattern}: vertices not strictly counter-clockwise at {b}"


def test_output_relu_adds_a_layer_of_bits():
    layers = [([[1], [-1]], [0, "1/2"]), ([[1, 1]], ["-1/4"])]
    without = enumerate_regions(Network.from_rows(layers), [(-1, 1)])
    with_relu = enumerate_regions(Network.from_rows(layers, output_relu=True), [(-1, 1)])
    assert all(len(r.pattern) == 1 for r in without) and all(len(r.pattern) == 2 for r in with_relu)
    assert len(with_relu) >= len(without)
    net = Network.from_rows(layers, output_relu=True)
    check_cheap_invariants(net, ((F(-1), F(1)),), with_relu)
    assert {r.pattern for r in with_relu} == z3_patterns(net, ((F(-1), F(1)),))


def test_max_regions_stops_with_partial_count():
    rows = [[1, 0], [0, 1], [1, 1], [1, -1]]
    net = Network.from_rows([(rows, ["1/3", "-1/5", "1/7", "0"]), ([[1, 1, 1, 1]], [0])])
    full = enumerate_regions(net, [(-1, 1), (-1, 1)])
    with pytest.raises(TooLargeError) as info:
        enumerate_regions(net, [(-1, 1), (-1, 1)], max_regions=len(full) - 1)
    assert isinstance(info.value.partial, int) and info.value.partial >= len(full)
    assert enumerate_regions(net, [(-1, 1), (-1, 1)], max_regions=len(full)) == full
    calls = []
    enumerate_regions(net, [(-1, 1), (-1, 1)], progress=calls.append)
    assert calls and calls[-1] == len(full)


def test_huge_rationals_stay_exact():
    """Weights with ~1100-bit numerators: the float filter must not crash the exact path."""
    big = F(2**1100 + 1, 2**1100)
    net = Network.from_rows([([[big, -big], [1, 1]], ["1/3", 0]), ([[2**1100, 1]], [0])])
    box = ((F(-1), F(1)), (F(-1), F(1)))
    regions = enumerate_regions(net, box)
    check_cheap_invariants(net, box, regions)


def test_huge_integer_weight_in_first_layer():
    net = Network.from_rows([([[2**1100]], [1]), ([[1]], [0])])
    regions = enumerate_regions(net, [(-1, 1)])
    assert [r.pattern for r in regions] == [((0,),), ((1,),)]


# --------------------------------------------------------------------------- regioncam (float32) cross-check
def _k64_network(seed: int, widths: list[int]) -> tuple[Network, list]:
    rng = random.Random(seed)
    layers = []
    for n_in, n_out in zip(widths, widths[1:]):
        rows = [[F(rng.randint(-64, 64), 64) for _ in range(n_in)] for _ in range(n_out)]
        layers.append((rows, [F(rng.randint(-64, 64), 64) for _ in range(n_out)]))
    return Network.from_rows(layers), layers


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("widths", [[2, 8, 1], [2, 8, 8, 1], [2, 12, 6, 2]])
def test_count_matches_regioncam(seed, widths):
    import numpy as np
    import regioncam  # the dev extra installs it: this comparison must run

    net, layers = _k64_network(seed, widths)
    regions = enumerate_regions(net, [(-1, 1), (-1, 1)])
    rc = regioncam.Regioncam(size=1.0)
    for index, (rows, bias) in enumerate(layers):
        w = np.array([[float(v) for v in row] for row in rows], dtype=np.float32)
        rc.linear(w.T.copy(), np.array([float(v) for v in bias], dtype=np.float32))
        if index < len(layers) - 1:
            rc.relu()
    # k/64 weights are exact in float32; these seeded nets have no ties on the box
    assert rc.num_faces == len(regions)


def test_subnormal_box_float_filter_does_not_decide_signs():
    """A box of size ~2^-1070: float coordinates are subnormal, so the filter's relative error
    bound fails (underflow). Lines through the origin are scale-invariant: the tiny box must give
    exactly the patterns of the same box scaled by 2^1074."""
    unit = F(1, 2**1074)
    net = Network.from_rows([([[-23, 56], [-16, 39]], [0, 0]), ([[1, 1]], [0])])
    tiny = ((18 * unit, 30 * unit), (2 * unit, 38 * unit))
    scaled = ((F(18), F(30)), (F(2), F(38)))
    witness = (24 * unit, F(1793, 182) * unit)
    assert net.pattern(witness) == ((0, 1),)
    assert all(v != 0 for v in net.preactivations(witness)[0])
    regions = enumerate_regions(net, tiny)
    assert [r.pattern for r in regions] == [r.pattern for r in enumerate_regions(net, scaled)]
    assert {r.pattern for r in regions} == z3_patterns(net, tiny)
    check_cheap_invariants(net, tiny, regions)


def test_benchmark_baseline_agrees():
    """The benchmark's Z3 baseline (benchmarks/baselines.py) finds the same patterns as symrelu."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "baselines.py"
    spec = importlib.util.spec_from_file_location("symrelu_bench_baselines", path)
    baselines = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = baselines  # dataclasses look their module up there
    spec.loader.exec_module(baselines)
    for seed, widths in [(0, [2, 5, 4, 1]), (1, [3, 3, 3, 2]), (2, [2, 5, 3])]:
        net, _ = _k64_network(seed, widths)
        box = [(-1, 1)] * widths[0]
        result = baselines.z3_pattern_search(net, box)
        assert result.complete
        assert result.patterns == tuple(r.pattern for r in enumerate_regions(net, box))
        assert set(result.patterns) == z3_patterns(net, tuple((F(lo), F(hi)) for lo, hi in box))
    net = Network.from_rows([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])], output_relu=True)
    assert baselines.z3_pattern_search(net, [(-1, 1), (-1, 1)]).count == len(enumerate_regions(net, [(-1, 1), (-1, 1)]))
