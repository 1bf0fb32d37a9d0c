"""Activation regions of networks with LeakyReLU, PReLU, Abs and Clip, checked independently.

* against regioncam (float32, its own ``leaky_relu``) on 2-D nets: counts and every face's area;
  Clip and Abs through the ReLU network with the same hyperplanes (``clip(z) = lo + relu(z - lo) -
  relu(z - hi)``, ``|z| = relu(z) + relu(-z)``), whose partition is the same;
* against a 1-D brute force that only evaluates the network exactly (each interval split where a
  neuron's pre-activation, affine on it, meets a breakpoint);
* every region's interior point has the region's pattern, and the network equals the region's
  affine map there and at its vertices, exactly; both engines, the float filter on and off, split
  runs and streaming give the same regions; hypothesis nets with ties, zero rows and breakpoints
  hit exactly.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
import regioncam
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symrelu import Network
from symrelu.activation import Activation, abs_, clip, leaky_relu
from symrelu.network import format_pattern, parse_pattern
from symrelu.regions import enumerate_regions, iter_regions

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_net(widths, seed, denominator=64):
    rng = np.random.default_rng(seed)
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers.append((rng.integers(-denominator, denominator + 1, (b, a)).tolist(), rng.integers(-denominator, denominator + 1, b).tolist()))
    return Network.from_rows([([[F(w, denominator) for w in row] for row in weight], [F(v, denominator) for v in bias]) for weight, bias in layers])


def affine_at(region, x):
    return tuple(sum((a * v for a, v in zip(row, x)), F(0)) + c for row, c in zip(region.jacobian, region.offset))


def check_regions(net, regions, box):
    assert net.input_dim > 2 or sum(r.measure for r in regions) == np.prod([F(hi) - F(lo) for lo, hi in box])
    assert [r.pattern for r in regions] == sorted(r.pattern for r in regions)
    assert len({r.pattern for r in regions}) == len(regions)
    for region in regions:
        point = region.interior_point
        assert net.pattern(point) == region.pattern
        assert net.evaluate(point) == affine_at(region, point)
        assert all(c.slack(point) > 0 for c in region.constraints)
        for vertex in region.vertices:
            assert net.evaluate(vertex) == affine_at(region, vertex)  # continuity: the closure too
            assert all(c.slack(vertex) >= 0 for c in region.constraints)
        assert parse_pattern(format_pattern(region.pattern)) == region.pattern


def region_key(regions):
    return [(r.pattern, frozenset(r.vertices), frozenset(r.constraints), r.jacobian, r.offset) for r in regions]


# ------------------------------------------------------------------------- regioncam, 2-D
def regioncam_faces(layers_and_acts):
    """regioncam over [-1, 1]^2 of ``[(weight, bias, act)]`` with act ``None``, ``"relu"`` or a leaky slope."""
    rc = regioncam.Regioncam(size=1.0)
    for weight, bias, act in layers_and_acts:
        rc.linear(np.ascontiguousarray(np.array(weight, dtype=np.float32).T), np.array(bias, dtype=np.float32))
        if act == "relu":
            rc.relu()
        elif act is not None:
            rc.leaky_relu(float(act))
    return sorted(float(face.area) for face in rc.faces)


def plain_layers(net):
    return [([[float(w) for w in row] for row in layer.weight], [float(b) for b in layer.bias]) for layer in net.layers]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("alpha", [F(1, 4), F(-1, 2), F(3, 2)])
@pytest.mark.parametrize("engine", ["2d", "vertex"])
def test_leaky_relu_regions_match_regioncam(seed, alpha, engine):
    net = random_net((2, 8, 8, 1), seed).with_activations([leaky_relu(alpha)] * 2)
    regions = enumerate_regions(net, [(-1, 1), (-1, 1)], engine=engine)
    faces = regioncam_faces([(w, b, alpha if i < 2 else None) for i, (w, b) in enumerate(plain_layers(net))])
    assert len(regions) == len(faces)
    assert np.allclose(sorted(float(r.measure) for r in regions), faces, atol=1e-5)
    check_regions(net, regions, [(-1, 1), (-1, 1)])


PASS = 64.0
"""Far beyond every pre-activation on the box (checked), so ``relu(z + PASS) - PASS = z`` there."""


def relu_twin_layers(net):
    """The ReLU layers whose hyperplanes are those of ``net``'s Clip / Abs neurons, reading the same values."""
    out, carry = [], None  # carry: how to read the previous activations from the twin's ReLUs
    for index, (weight, bias) in enumerate(plain_layers(net)):
        weight, bias = np.array(weight), np.array(bias)
        if carry is not None:
            read, const = carry
            bias = bias + weight @ const
            weight = weight @ read
        if index >= net.relu_layer_count:
            out.append((weight, bias, None))
            break
        rows, shifts, reads, consts = [], [], [], []
        for neuron, act in enumerate(net.activations[index]):
            read = np.zeros(0)
            if act == abs_():  # |z| = 2 relu(z) - (relu(z + M) - M): the second line lies outside the box
                rows += [weight[neuron], weight[neuron]]
                shifts += [bias[neuron], bias[neuron] + PASS]
                read, const = [2, -1], PASS
            else:  # clip(lo, hi) = lo + relu(z - lo) - relu(z - hi)
                lo, hi = (float(b) for b in act.breakpoints)
                rows += [weight[neuron], weight[neuron]]
                shifts += [bias[neuron] - lo, bias[neuron] - hi]
                read, const = [1, -1], lo
            reads.append(read)
            consts.append(const)
        twin = np.zeros((len(reads), 2 * len(reads)))
        for neuron, read in enumerate(reads):
            twin[neuron, 2 * neuron : 2 * neuron + 2] = read
        out.append((np.array(rows), np.array(shifts), "relu"))
        carry = (twin, np.array(consts))
    return out


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("act", [abs_(), clip(F(-1, 4), F(1, 2)), clip(0, 6)])
def test_clip_and_abs_regions_match_regioncam_on_the_relu_twin(seed, act):
    net = random_net((2, 6, 6, 1), seed).with_activations([act] * 2)
    regions = enumerate_regions(net, [(-1, 1), (-1, 1)])
    faces = regioncam_faces(relu_twin_layers(net))
    reach = max(abs(z) for r in regions for v in r.vertices for layer in net.preactivations(v)[:-1] for z in layer)
    assert reach < PASS / 2
    assert len(regions) == len(faces)
    assert np.allclose(sorted(float(r.measure) for r in regions), faces, atol=1e-5)
    check_regions(net, regions, [(-1, 1), (-1, 1)])
    if act == clip(F(-1, 4), F(1, 2)):
        assert any(2 in bits for r in regions for bits in r.pattern)  # three states show


# ----------------------------------------------------------------------- 1-D brute force
def brute_force_1d(net, lo, hi):
    """Intervals of ``[lo, hi]`` on which every neuron stays in one state, from exact evaluation only."""
    cuts = {F(lo), F(hi)}
    for layer_index in range(net.relu_layer_count):
        points = sorted(cuts)
        for a, b in zip(points, points[1:]):
            za, zb = net.preactivations([a])[layer_index], net.preactivations([b])[layer_index]
            for act, u, v in zip(net.activations[layer_index], za, zb):
                for brk in act.breakpoints:  # z is affine on [a, b]: where does it meet brk inside?
                    if (u - brk) * (v - brk) < 0:
                        cuts.add(a + (b - a) * (brk - u) / (v - u))
    points = sorted(cuts)
    return [(a, b, net.pattern([(a + b) / 2])) for a, b in zip(points, points[1:])]


ACTIVATIONS_1D = [leaky_relu(F(1, 10)), leaky_relu(F(-2)), abs_(), clip(F(-1, 2), F(1, 3)), clip(0, 6)]


@pytest.mark.parametrize("act", ACTIVATIONS_1D, ids=str)
@pytest.mark.parametrize("seed", range(4))
def test_one_input_regions_match_the_brute_force(act, seed):
    net = random_net((1, 6, 5, 1), seed, denominator=8).with_activations([act, leaky_relu(F(1, 3))])
    regions = enumerate_regions(net, [(-3, 3)])
    expected = brute_force_1d(net, -3, 3)
    assert [(min(v[0] for v in r.vertices), max(v[0] for v in r.vertices), r.pattern) for r in regions] == sorted(
        expected, key=lambda item: item[2]
    )
    check_regions(net, regions, [(-3, 3)])


# ------------------------------------------------------------- hypothesis: ties, zero rows
def _activation():
    return st.sampled_from(
        [leaky_relu(F(1, 2)), leaky_relu(F(-1)), abs_(), clip(F(-1), F(1)), clip(0, F(1, 2)), clip(F(-1, 2), 0)]
    )


@st.composite
def nets(draw, inputs):
    value = st.sampled_from([F(0), F(1), F(-1), F(1, 2), F(-1, 2), F(2)])
    widths = [inputs] + draw(st.lists(st.integers(1, 4), min_size=1, max_size=2)) + [1]
    layers = []
    for a, b in zip(widths, widths[1:]):
        weight = [[draw(value) for _ in range(a)] if draw(st.integers(0, 5)) else [F(0)] * a for _ in range(b)]
        layers.append((weight, [draw(value) for _ in range(b)]))
    net = Network.from_rows(layers, output_relu=draw(st.booleans()))
    acts: list[list[Activation]] = [[draw(_activation()) for _ in range(net.layers[i].out_dim)] for i in range(net.relu_layer_count)]
    return net.with_activations(acts)


@SETTINGS
@given(nets(2))
def test_two_input_nets_with_ties_agree_across_engines_and_evaluate_exactly(net):
    box = [(-1, 1), (-1, 1)]
    regions = enumerate_regions(net, box, engine="2d")
    check_regions(net, regions, box)
    assert region_key(enumerate_regions(net, box, engine="vertex")) == region_key(regions)
    assert region_key(enumerate_regions(net, box, engine="vertex", float_filter=False)) == region_key(regions)
    assert region_key(list(iter_regions(net, box, block=2))) == region_key(regions)
    assert region_key(split_run(net, box, "2d")) == region_key(regions)


@SETTINGS
@given(nets(1))
def test_one_input_nets_with_ties_match_the_brute_force(net):
    regions = enumerate_regions(net, [(-2, 2)])
    expected = sorted(brute_force_1d(net, -2, 2), key=lambda item: item[2])
    merged: list[tuple[F, F, object]] = []
    for a, b, pattern in sorted(brute_force_1d(net, -2, 2)):  # zero-width states never split: merge equal neighbours
        if merged and merged[-1][2] == pattern and merged[-1][1] == a:
            merged[-1] = (merged[-1][0], b, pattern)
        else:
            merged.append((a, b, pattern))
    expected = sorted(merged, key=lambda item: item[2])
    assert [(min(v[0] for v in r.vertices), max(v[0] for v in r.vertices), r.pattern) for r in regions] == expected
    check_regions(net, regions, [(-2, 2)])


@SETTINGS
@given(nets(3))
def test_three_input_nets_evaluate_exactly_and_split_runs_agree(net):
    box = [(-1, 1), (-1, 1), (-1, 1)]
    regions = enumerate_regions(net, box)
    check_regions(net, regions, box)
    assert region_key(split_run(net, box, "vertex")) == region_key(regions)


def split_run(net, box, engine):
    """The regions of a run split into blocks of the first layer's cells (serially: same tasks as jobs=N)."""
    from symrelu.parallel import SerialPool
    from symrelu.region_tasks import EngineTask, run_split
    from symrelu.regions import Region, _output_layer, check_box

    bounds = check_box(net, box)
    sources = run_split(EngineTask(net, bounds, engine, True, None), SerialPool(), blocks=3)
    regions = [Region(source, index, bounds, _output_layer(net)) for source in sources for index in range(len(source))]
    return regions  # blocks of the sorted first layer, each sorted: already in order


@pytest.mark.parametrize("engine", ["2d", "vertex"])
def test_split_runs_and_processes_agree_with_a_serial_run(engine):
    net = random_net((2, 6, 6, 1), 7).with_activations([clip(F(-1, 4), F(1, 2)), leaky_relu(F(1, 8))])
    box = [(-1, 1), (-1, 1)]
    serial = enumerate_regions(net, box, engine=engine)
    assert region_key(split_run(net, box, engine)) == region_key(serial)
    assert region_key(enumerate_regions(net, box, engine=engine, jobs=2)) == region_key(serial)


def test_output_activation_regions_use_the_output_pieces():
    net = Network.from_rows([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])], output_relu=True).with_activations([abs_(), clip(0, F(1, 2))])
    regions = enumerate_regions(net, [(-1, 1), (-1, 1)])
    check_regions(net, regions, [(-1, 1), (-1, 1)])
    assert {r.pattern[-1] for r in regions} == {(1,), (2,)}  # |x|+|y| in (0, 1/2) or above 1/2


@pytest.mark.parametrize("power", [20, 45, 70])
def test_huge_and_tiny_numbers_take_the_exact_integer_path(power):
    """Weights, breakpoints and slopes with huge numerators and denominators: int64 cannot hold the
    rows, so both engines must switch to Python integers and still agree and evaluate exactly."""
    big = F(2) ** power
    base = random_net((2, 5, 4, 1), power, denominator=16)
    layers = [([[w * big + F(1, 3) for w in row] for row in layer.weight], [b * big for b in layer.bias]) for layer in base.layers]
    net = Network.from_rows(layers).with_activations(
        [[clip(-big / 3, big / 2), leaky_relu(F(1, 3) + 1 / big), abs_(), clip(0, big), leaky_relu(-1 / big)], leaky_relu(F(7, 5))]
    )
    box = [(-1, 1), (-1, 1)]
    regions = enumerate_regions(net, box, engine="2d")
    check_regions(net, regions, box)
    assert region_key(enumerate_regions(net, box, engine="vertex")) == region_key(regions)
