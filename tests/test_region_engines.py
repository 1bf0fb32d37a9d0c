"""The region engines agree with each other, with and without the float filter.

* the 2-D engine (batched integer kernels) and the vertex engine give the same regions on 2-input
  networks: patterns, vertex sets, constraint sets and affine maps;
* the vertex engine with its certified float filter and with every sign decided exactly give the
  same regions, on random networks with ties, zero rows, and layers scaled by huge or tiny powers
  of two (scaled so that every pre-activation is multiplied by a positive number: the patterns
  must also equal those of the unscaled network).
"""

from __future__ import annotations

from fractions import Fraction as F

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_regions import check_cheap_invariants, networks

from symrelu import Network
from symrelu.regions import enumerate_regions
from symrelu.vertex_engine import filter_applies

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def region_key(regions):
    return [
        (r.pattern, frozenset(r.vertices), frozenset(r.constraints), r.jacobian, r.offset, r.measure) for r in regions
    ]


def scaled(net: Network, powers: list[int]) -> Network:
    """Layer ``l``'s weights times ``2**p_l`` and its bias times ``2**(p_1 + ... + p_l)``: every
    pre-activation of layer ``l`` is then multiplied by that positive number, so no pattern changes."""
    layers = []
    total = 0
    for layer, power in zip(net.layers, powers, strict=True):
        total += power
        layers.append(
            ([[w * F(2) ** power for w in row] for row in layer.weight], [b * F(2) ** total for b in layer.bias])
        )
    return Network.from_rows(layers, output_relu=net.output_relu)


@SETTINGS
@given(networks(dims=(2,), max_width=7))
def test_2d_engine_matches_vertex_engine(case):
    net, box = case
    fast = enumerate_regions(net, box, engine="2d")
    general = enumerate_regions(net, box, engine="vertex")
    assert region_key(fast) == region_key(general)
    check_cheap_invariants(net, box, fast)


@SETTINGS
@given(networks(dims=(1, 2, 3, 4)), st.lists(st.sampled_from([0, 0, 1, -3, 700, -700, 1060, -1060]), min_size=4, max_size=4))
def test_float_filter_changes_nothing(case, powers):
    net, box = case
    big = scaled(net, powers[: len(net.layers)])
    reference = enumerate_regions(net, box, engine="vertex", float_filter=False)
    for candidate in (net, big):
        filtered = enumerate_regions(candidate, box, engine="vertex")
        exact = enumerate_regions(candidate, box, engine="vertex", float_filter=False)
        assert region_key(filtered) == region_key(exact)
        assert [r.pattern for r in filtered] == [r.pattern for r in reference]
    if net.input_dim == 2:
        assert [r.pattern for r in enumerate_regions(big, box, engine="2d")] == [r.pattern for r in reference]


def test_tiny_box_filtered_equals_exact():
    """Coordinates near 2**-1070 (subnormal floats): the filter must leave every such sign to exact arithmetic."""
    unit = F(1, 2**1074)
    net = Network.from_rows([([[-23, 56], [-16, 39], [3, 1]], [0, 0, 0]), ([[1, 1, -1]], [0])])
    box = ((18 * unit, 30 * unit), (2 * unit, 38 * unit))
    assert region_key(enumerate_regions(net, box, engine="vertex")) == region_key(
        enumerate_regions(net, box, engine="vertex", float_filter=False)
    )
    assert region_key(enumerate_regions(net, box, engine="2d")) == region_key(enumerate_regions(net, box, engine="vertex"))


def test_filter_validity_depends_on_dimension():
    assert filter_applies(2) and filter_applies(1000)
    assert not filter_applies(10**5)


def test_max_regions_is_checked_inside_a_layer():
    """One wide layer over the whole box: the limit must stop the cutting, not the layer's end."""
    import random

    import pytest

    from symrelu import TooLargeError

    for dim in (2, 3, 4):
        rng = random.Random(dim)
        rows = [[F(rng.randint(-8, 8), 8) for _ in range(dim)] for _ in range(14)]
        net = Network.from_rows([(rows, [F(rng.randint(-8, 8), 16) for _ in rows]), ([[1] * len(rows)], [0])])
        box = [(-1, 1)] * dim
        full = len(enumerate_regions(net, box))
        assert full > 50
        with pytest.raises(TooLargeError) as info:
            enumerate_regions(net, box, max_regions=20)
        # the vertex engine stops within one cut; the 2-D engine after one neuron (each cell cut once)
        assert 20 < info.value.partial <= (42 if dim == 2 else 22) < full, info.value.partial
        assert "inside the layer" in str(info.value)


def _ordered_key(regions):
    return [(r.pattern, r.vertices, r.constraints, r.jacobian, r.offset) for r in regions]


def test_split_into_tasks_is_identical_to_serial_on_processes_and_dask():
    """jobs=2 (spawned processes) and a Dask LocalCluster give the serial regions, in the same order."""
    import random

    from dask.distributed import Client, LocalCluster

    rng = random.Random(7)

    def layer(n_in, n_out):
        return ([[F(rng.randint(-16, 16), 16) for _ in range(n_in)] for _ in range(n_out)], [F(rng.randint(-16, 16), 16) for _ in range(n_out)])

    cases = [
        (Network.from_rows([layer(2, 6), layer(6, 5), layer(5, 1)]), [(-1, 1), (-1, 1)]),
        (Network.from_rows([layer(3, 4), layer(4, 4), layer(4, 2)], output_relu=True), [(-1, 1), (0, 1), ("-1/2", "1/3")]),
    ]
    serial = [enumerate_regions(net, box) for net, box in cases]
    for (net, box), expected in zip(cases, serial, strict=True):
        assert _ordered_key(enumerate_regions(net, box, jobs=2)) == _ordered_key(expected)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, Client(cluster) as client:
        for (net, box), expected in zip(cases, serial, strict=True):
            assert _ordered_key(enumerate_regions(net, box, client=client)) == _ordered_key(expected)


def test_cli_jobs_gives_the_serial_output(tmp_path, capsys):
    import json

    from symrelu.cli.main import main

    net = {"layers": [
        {"weight": [["1", "0"], ["0", "1"], ["1", "1"], ["1", "-1"]], "bias": ["1/3", "-1/5", "1/7", "0"]},
        {"weight": [["1", "1", "1", "1"], ["1", "-1", "0", "1"]], "bias": ["0", "1/2"]},
        {"weight": [["1", "1"]], "bias": ["0"]},
    ]}
    path = tmp_path / "net.json"
    path.write_text(json.dumps(net))
    outputs = []
    for extra in ([], ["--jobs", "2"]):
        assert main(["regions", str(path), "--box=-1:1,-1:1", "--json", *extra]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and json.loads(outputs[0])["count"] > 8


def test_streamed_regions_are_the_enumerated_ones():
    import random

    from symrelu.regions import iter_regions

    rng = random.Random(3)
    for widths, block in [((2, 7, 6, 1), 1), ((2, 5, 5, 4, 1), 3), ((3, 4, 4, 1), 2), ((1, 5, 3, 1), 2)]:
        layers = [
            ([[F(rng.randint(-16, 16), 16) for _ in range(a)] for _ in range(b)], [F(rng.randint(-16, 16), 16) for _ in range(b)])
            for a, b in zip(widths, widths[1:], strict=False)
        ]
        net = Network.from_rows(layers)
        box = [(-1, 1)] * widths[0]
        streamed = list(iter_regions(net, box, block=block))  # blocks of the sorted first layer: in order
        assert _ordered_key(streamed) == _ordered_key(enumerate_regions(net, box))


def test_vertex_engine_in_3_to_6_dimensions_matches_z3(monkeypatch):
    """Small seeded nets in 3-D .. 6-D: the patterns of an independent Z3 search, the exact
    invariants, and the same regions whether adjacency runs pair by pair or on inherited tag bits."""
    import random

    from test_regions import seeded_net, z3_patterns

    import symrelu.polytope as polytope

    rng = random.Random(11)
    for dim, widths in [(3, (4, 3)), (4, (4, 3)), (5, (3, 3)), (6, (3, 2))]:
        sizes = (dim, *widths, 1)
        net = seeded_net(rng, sizes)
        box = tuple((F(-1), F(1)) for _ in range(dim))
        regions = enumerate_regions(net, box, engine="vertex")
        assert {r.pattern for r in regions} == z3_patterns(net, box)
        check_cheap_invariants(net, box, regions)
        monkeypatch.setattr(polytope, "SMALL_ADJACENCY", 0)  # every split through the numpy bit-set path
        assert _ordered_key(enumerate_regions(net, box, engine="vertex")) == _ordered_key(regions)
        monkeypatch.setattr(polytope, "SMALL_ADJACENCY", 10**9)  # every split pair by pair
        assert _ordered_key(enumerate_regions(net, box, engine="vertex")) == _ordered_key(regions)
        monkeypatch.undo()


def test_2d_cut_paths_give_identical_cells(monkeypatch):
    """The 2-D engine's three cuts of a layer -- compiled (built by the install), Python lists (few cells) and
    batched numpy -- give the same cells: same polygons (edge order, vertices, tags), same order.
    Ties (weights k/2), wide layers, 2**70 denominators and coefficients near 2**40 included."""
    import random

    import symrelu.kernels2d as kernels2d
    import symrelu.kernels2d_lists as kernels2d_lists
    import symrelu.regions2d as regions2d

    def cells(net, box):
        source = regions2d.enumerate_cells_2d(net, box)
        return [(source.pattern(i), source.polytope(i), source.hyperplanes(i)) for i in range(len(source))]

    rng = random.Random(2)
    cases = []
    near = 2**38  # first-layer lines near the compiled kernel's 2**40 (128-bit arithmetic), the next beyond it
    for widths, den, k in [
        ((2, 9, 7, 1), 2, 2), ((2, 30, 1), 64, 64), ((2, 6, 6, 5, 1), 8, 8), ((2, 8, 6, 1), 2**70, 64), ((2, 8, 5, 1), near, near)
    ]:
        layers = [
            ([[F(rng.randint(-k, k), den) for _ in range(a)] for _ in range(b)], [F(rng.randint(-k, k), den) for _ in range(b)])
            for a, b in zip(widths, widths[1:], strict=False)
        ]
        cases.append((Network.from_rows(layers), ((F(-1), F(1)), (F(-1, 2), F(3, 2)))))
    built = kernels2d._compiled_cut
    assert built is not None, "symrelu._cut2d is not built (`pip install -e .` builds it; it needs a C compiler)"
    calls = []

    def counted(*args):
        calls.append(1)
        return built(*args)

    monkeypatch.setattr(kernels2d, "_compiled_cut", counted)
    compiled = [cells(net, box) for net, box in cases]
    assert calls  # the compiled cut really ran on these cases
    monkeypatch.setattr(kernels2d, "_compiled_cut", None)
    lists = [cells(net, box) for net, box in cases]
    monkeypatch.setattr(kernels2d_lists, "SMALL_MEMBERS", -1)  # every neuron through the numpy kernels
    batched = [cells(net, box) for net, box in cases]
    assert all(len(c) > 10 for c in batched)
    assert compiled == batched and lists == batched
