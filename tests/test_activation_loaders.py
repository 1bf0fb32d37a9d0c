"""Activations through the loaders: ONNX LeakyRelu / PRelu / Abs / Clip against onnxruntime, the JSON
``"activation"`` key, exact float32 attributes, and clear refusals."""

from __future__ import annotations

import json
from fractions import Fraction as F

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper, numpy_helper

from symrelu.activation import abs_, clip, leaky_relu
from symrelu.errors import InputFormatError, ShapeError, UnsupportedOperatorError
from symrelu.loaders import network_from_text, network_to_json
from symrelu.loaders.onnx_format import network_from_onnx_model


def _model(nodes, inits, n_in, n_out, opset=17, in_shape=None):
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, in_shape or [1, n_in])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, n_out])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def _const(name, values):
    return numpy_helper.from_array(np.asarray(values, dtype=np.float32), name)


def _run(model, x):
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": np.asarray(x, dtype=np.float32)})[0].reshape(-1)


# Dyadic weights, inputs and slopes: every float32 operation onnxruntime does is exact, so its
# output must equal symrelu's exact evaluation, not merely be close.
W1 = [[0.5, -1.25], [2.0, 0.75], [-0.25, 1.5]]  # 3 x 2 (out x in)
B1 = [0.125, -0.5, 0.25]
W2 = [[1.0, -0.5, 2.0]]
POINTS = [[x / 8, y / 8] for x in range(-16, 17, 5) for y in range(-16, 17, 7)]


def _two_layer(activation_nodes, extra_inits=(), opset=17):
    inits = [_const("W1", np.array(W1).T), _const("B1", B1), _const("W2", np.array(W2).T), *extra_inits]
    nodes = [
        helper.make_node("MatMul", ["x", "W1"], ["m"]),
        helper.make_node("Add", ["m", "B1"], ["h"]),
        *activation_nodes,
        helper.make_node("MatMul", ["a", "W2"], ["y"]),
    ]
    return _model(nodes, inits, 2, 1, opset)


def _agrees_exactly(model, policy="exact"):
    net = network_from_onnx_model(model, policy=policy)
    for point in POINTS:
        exact = net.evaluate([F(v) for v in point])
        assert tuple(F(float(v)) for v in _run(model, [point])) == exact, point
    return net


def test_leaky_relu_attribute_and_onnxruntime():
    model = _two_layer([helper.make_node("LeakyRelu", ["h"], ["a"], alpha=0.25)])
    net = _agrees_exactly(model)
    assert net.activation_names() == ("leaky_relu(alpha=1/4)",)


def test_leaky_relu_default_alpha_is_the_float32_nearest_one_hundredth():
    model = _two_layer([helper.make_node("LeakyRelu", ["h"], ["a"])])
    exact = network_from_onnx_model(model, policy="exact")
    assert exact.activations[0][0].slopes[0] == F(float(np.float32(0.01))) != F(1, 100)
    assert network_from_onnx_model(model, policy="decimal").activations[0][0].slopes[0] == F(1, 100)
    for point in POINTS:  # alpha is no longer dyadic-short: compare to float32 rounding
        assert np.allclose(_run(model, [point]), [float(v) for v in exact.evaluate(point)], rtol=1e-6, atol=1e-7)


def test_leaky_relu_float32_attribute_is_exact():
    model = _two_layer([helper.make_node("LeakyRelu", ["h"], ["a"], alpha=0.1)])
    act = network_from_onnx_model(model).activations[0][0]
    assert act.slopes[0] == F(float(np.float32(0.1)))  # the float32, not the double, nearest 1/10
    assert act.slopes[0] != F(0.1)


@pytest.mark.parametrize("slope_shape", [(3,), (1, 3), (1,)])
def test_prelu_per_neuron_slopes(slope_shape):
    slopes = np.array([0.5, -0.25, 0.125][: int(np.prod(slope_shape))]).reshape(slope_shape)
    model = _two_layer([helper.make_node("PRelu", ["h", "S"], ["a"])], [_const("S", slopes)])
    net = _agrees_exactly(model)
    expected = np.broadcast_to(slopes, (1, 3)).reshape(-1)
    assert [act.slopes[0] for act in net.activations[0]] == [F(float(v)) for v in expected]


def test_prelu_channel_slopes_broadcast_over_a_4d_tensor():
    # x (1, 4) -> reshape (1, 2, 1, 2) -> PRelu with per-channel slope (2, 1, 1) -> flatten -> matmul
    inits = [
        _const("W1", np.array([[1, -2, 0.5, 1], [0.25, 1, -1, 2], [1, 1, 1, -0.5], [-1, 0.5, 2, 1]])),
        numpy_helper.from_array(np.array([1, 2, 1, 2], dtype=np.int64), "shape"),
        _const("S", np.array([0.5, -0.25]).reshape(2, 1, 1)),
        _const("W2", np.array([[1, 2, -1, 0.5]]).T),
    ]
    nodes = [
        helper.make_node("MatMul", ["x", "W1"], ["m"]),
        helper.make_node("Reshape", ["m", "shape"], ["r"]),
        helper.make_node("PRelu", ["r", "S"], ["p"]),
        helper.make_node("Flatten", ["p"], ["f"]),
        helper.make_node("MatMul", ["f", "W2"], ["y"]),
    ]
    model = _model(nodes, inits, 4, 1)
    net = network_from_onnx_model(model)
    assert [act.slopes[0] for act in net.activations[0]] == [F(1, 2), F(1, 2), F(-1, 4), F(-1, 4)]
    for point in ([1, -1, 0.5, 2], [-2, 0.25, 1, -1], [0.5, 0.5, -0.5, -0.5]):
        assert tuple(F(float(v)) for v in _run(model, [point])) == net.evaluate(point)


def test_abs():
    net = _agrees_exactly(_two_layer([helper.make_node("Abs", ["h"], ["a"])]))
    assert net.activations[0] == (abs_(),) * 3


@pytest.mark.parametrize(
    "bounds, expected",
    [((-0.5, 1.5), clip(F(-1, 2), F(3, 2))), ((0.25, None), None), ((None, 0.75), None), ((0.0, None), "relu")],
)
def test_clip_opset_13_inputs(bounds, expected):
    low, high = bounds
    inits = [_const(name, value) for name, value in (("lo", low), ("hi", high)) if value is not None]
    inputs = ["h", "lo" if low is not None else "", "hi" if high is not None else ""]
    while inputs[-1] == "":
        inputs.pop()
    net = _agrees_exactly(_two_layer([helper.make_node("Clip", inputs, ["a"])], inits, opset=13))
    act = net.activations[0][0]
    assert act.breakpoints == tuple(F(v) for v in bounds if v is not None)
    if expected == "relu":
        assert net.is_relu
    elif expected is not None:
        assert act == expected


def test_clip_opset_10_attributes():
    net = _agrees_exactly(_two_layer([helper.make_node("Clip", ["h"], ["a"], min=-0.25, max=0.5)], opset=10))
    assert net.activations[0][0] == clip(F(-1, 4), F(1, 2))


def test_relu6_at_the_output_sets_output_relu():
    inits = [_const("W1", np.array(W1).T), _const("lo", 0.0), _const("hi", 6.0)]
    nodes = [helper.make_node("MatMul", ["x", "W1"], ["m"]), helper.make_node("Clip", ["m", "lo", "hi"], ["y"])]
    model = _model(nodes, inits, 2, 3, opset=13)
    net = network_from_onnx_model(model)
    assert net.output_relu and net.activations == ((clip(0, 6),) * 3,)
    for point in ([8, 1], [-3, 2], [1, 1]):
        assert tuple(F(float(v)) for v in _run(model, [point])) == net.evaluate(point)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(-40, 40), min_size=6, max_size=6),
    st.integers(-8, 8).filter(lambda a: a != 4),
    st.lists(st.integers(-64, 64), min_size=2, max_size=2),
)
def test_leaky_relu_hypothesis_against_onnxruntime(weights, alpha_quarters, point):
    inits = [_const("W1", (np.array(weights) / 4).reshape(3, 2).T), _const("W2", np.array([[1.0, -2.0, 0.5]]).T)]
    nodes = [
        helper.make_node("MatMul", ["x", "W1"], ["h"]),
        helper.make_node("LeakyRelu", ["h"], ["a"], alpha=alpha_quarters / 4),
        helper.make_node("MatMul", ["a", "W2"], ["y"]),
    ]
    model = _model(nodes, inits, 2, 1)
    net = network_from_onnx_model(model)
    x = [F(v, 8) for v in point]  # ties (pre-activation exactly 0) happen often on this grid
    assert tuple(F(float(v)) for v in _run(model, [[float(v) for v in x]])) == net.evaluate(x)


@pytest.mark.parametrize(
    "nodes, inits, opset, match",
    [
        ([helper.make_node("Clip", ["h"], ["a"])], [], 13, "neither min nor max"),
        ([helper.make_node("Clip", ["h", "hi", "lo"], ["a"])], [_const("lo", 0.0), _const("hi", 1.0)], 13, "min < max"),
        ([helper.make_node("Clip", ["h", "lo"], ["a"])], [_const("lo", [0.0, 1.0, 2.0])], 13, "must be scalars"),
        ([helper.make_node("PRelu", ["h", "h"], ["a"])], [], 17, "data tensor|not a constant|twice|several"),
        ([helper.make_node("LeakyRelu", ["h"], ["a"], alpha=1.0)], [], 17, "identity"),
    ],
)
def test_unsupported_activation_forms_are_refused(nodes, inits, opset, match):
    with pytest.raises(UnsupportedOperatorError, match=match):
        network_from_onnx_model(_two_layer(nodes, inits, opset))


def test_prelu_slope_that_does_not_broadcast():
    model = _two_layer([helper.make_node("PRelu", ["h", "S"], ["a"])], [_const("S", [0.5, 0.25])])
    with pytest.raises(ShapeError, match="does not broadcast"):
        network_from_onnx_model(model)


def test_prelu_slope_from_the_data_path_is_refused():
    inits = [_const("W1", np.array(W1).T), _const("W2", np.array(W2).T), _const("B1", B1)]
    nodes = [
        helper.make_node("MatMul", ["x", "W1"], ["h"]),
        helper.make_node("Add", ["x", "x"], ["xx"]),  # not a constant
        helper.make_node("PRelu", ["h", "xx"], ["a"]),
        helper.make_node("MatMul", ["a", "W2"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])], [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1])], inits
    )
    with pytest.raises(UnsupportedOperatorError):
        network_from_onnx_model(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]))


# ------------------------------------------------------------------------------------- JSON
def _json(activation, output_relu=False, second=None):
    layer0 = {"weight": W1, "bias": B1, "activation": activation}
    layer1 = {"weight": W2, "bias": [0]}
    if second is not None:
        layer1["activation"] = second
    return json.dumps({"layers": [layer0, layer1], "output_relu": output_relu})


ONNX_TWIN = {
    "abs": [helper.make_node("Abs", ["h"], ["a"])],
    '{"type": "leaky_relu", "alpha": 0.25}': [helper.make_node("LeakyRelu", ["h"], ["a"], alpha=0.25)],
}


@pytest.mark.parametrize("spec", list(ONNX_TWIN))
def test_json_activation_agrees_with_the_onnx_twin_in_onnxruntime(spec):
    net = network_from_text(_json(json.loads(spec) if spec.startswith("{") else spec))
    model = _two_layer(ONNX_TWIN[spec])
    for point in POINTS:
        assert tuple(F(float(v)) for v in _run(model, [point])) == net.evaluate(point)


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("abs", (abs_(),) * 3),
        ("relu6", (clip(0, 6),) * 3),
        ("hardtanh", (clip(-1, 1),) * 3),
        ({"type": "leaky_relu", "alpha": "1/100"}, (leaky_relu(F(1, 100)),) * 3),
        ({"type": "prelu", "alpha": ["1/2", 0.25, -1]}, (leaky_relu(F(1, 2)), leaky_relu(F(1, 4)), leaky_relu(-1))),
        ({"type": "clip", "min": 0, "max": 6}, (clip(0, 6),) * 3),
        (["relu", "abs", {"type": "clip", "max": "1/3"}], None),
        ({"type": "piecewise", "breakpoints": [-1, 1], "slopes": [0, 1, 0], "offsets": [-1, 0, 1]}, (clip(-1, 1),) * 3),
    ],
)
def test_json_activation_specs_read_exactly_and_round_trip(spec, expected):
    net = network_from_text(_json(spec))
    if expected is not None:
        assert tuple(a.breakpoints for a in net.activations[0]) == tuple(a.breakpoints for a in expected)
        assert tuple((a.slopes, a.offsets) for a in net.activations[0]) == tuple((a.slopes, a.offsets) for a in expected)
    again = network_from_text(network_to_json(net))
    assert again.activations == net.activations and again.layers == net.layers
    for point in POINTS[:10]:
        pre = net.preactivations(point)[0]
        assert net.evaluate(point) == tuple(
            sum((F(w) * act.evaluate(z) for w, act, z in zip(W2[0], net.activations[0], pre)), F(0)) for _ in (0,)
        )


def test_json_float_alpha_follows_the_policy():
    text = _json({"type": "leaky_relu", "alpha": 0.1})
    assert network_from_text(text).activations[0][0].slopes[0] == F(0.1)
    assert network_from_text(text, policy="decimal").activations[0][0].slopes[0] == F(1, 10)


def test_json_relu_network_text_is_unchanged():
    text = '{"layers": [{"weight": [["1"]], "bias": ["0"], "activation": "relu"}, {"weight": [["1"]], "bias": ["0"]}]}'
    net = network_from_text(text)
    assert net.is_relu and "activation" not in network_to_json(net)


@pytest.mark.parametrize(
    "spec, second, output_relu, error, match",
    [
        ("swish", None, False, InputFormatError, "unknown activation 'swish'"),
        ({"type": "leaky_relu"}, None, False, InputFormatError, "needs key"),
        ({"type": "leaky_relu", "alpha": 1}, None, False, InputFormatError, "equal slope"),
        ({"type": "prelu", "alpha": [1, 2]}, None, False, ShapeError, "2 slopes but the layer has 3"),
        ({"type": "clip"}, None, False, InputFormatError, "needs a min, a max"),
        ({"type": "clip", "min": 2, "max": 1}, None, False, InputFormatError, "min < max"),
        ({"type": "gelu"}, None, False, InputFormatError, "\"type\" one of"),
        ("relu", "abs", False, InputFormatError, "output layer"),
        (["relu"], None, False, ShapeError, "1 per-neuron activations"),
        (7, None, False, InputFormatError, "an activation is a name"),
    ],
)
def test_json_bad_activations(spec, second, output_relu, error, match):
    with pytest.raises(error, match=match):
        network_from_text(_json(spec, output_relu, second))


def test_json_output_activation_with_output_relu():
    net = network_from_text(_json("relu", True, "abs"))
    assert net.output_relu and net.evaluate([F(0), F(-5)]) == (abs(net.preactivations([F(0), F(-5)])[-1][0]),)


def test_the_readme_activation_example_loads():
    from pathlib import Path

    text = Path(__file__).resolve().parents[1].joinpath("README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```json\n")[1:]]
    block = next(b for b in blocks if '"activation"' in b)
    net = network_from_text(block)
    assert net.activation_names() == ("leaky_relu(alpha=1/100)", "clip(min=0, max=6)")
    assert net.evaluate([-10]) == (F(6),)  # 10.5 + (-1/10) clipped at 6


def test_json_piecewise_with_more_states_than_digits_is_refused():
    spec = {"type": "piecewise", "breakpoints": list(range(10)), "slopes": [k % 2 for k in range(11)], "offsets": [0] * 11}
    spec["offsets"] = [-(k // 2) if k % 2 else (k // 2) for k in range(11)]  # continuous: a zigzag
    with pytest.raises(InputFormatError, match="at most 9"):
        network_from_text(_json(spec))


def test_onnx_prelu_and_relu6_regions_match_onnxruntime_at_every_interior_point():
    from symrelu.regions import enumerate_regions

    inits = [
        _const("W1", np.array(W1).T),
        _const("B1", B1),
        _const("S", [0.25, -0.5, 2.0]),
        _const("W2", np.array([[1.0, -0.5, 2.0], [0.5, 1.0, -1.0]]).T),
        _const("lo", 0.0),
        _const("hi", 0.75),
        _const("W3", np.array([[1.0, -2.0]]).T),
    ]
    nodes = [
        helper.make_node("MatMul", ["x", "W1"], ["m"]),
        helper.make_node("Add", ["m", "B1"], ["h"]),
        helper.make_node("PRelu", ["h", "S"], ["a"]),
        helper.make_node("MatMul", ["a", "W2"], ["h2"]),
        helper.make_node("Clip", ["h2", "lo", "hi"], ["a2"]),
        helper.make_node("MatMul", ["a2", "W3"], ["y"]),
    ]
    model = _model(nodes, inits, 2, 1, opset=13)
    net = network_from_onnx_model(model)
    regions = enumerate_regions(net, [(-2, 2), (-2, 2)])
    assert sum(r.measure for r in regions) == 16 and any(2 in r.pattern[1] for r in regions)
    for region in regions:
        for point in (region.interior_point, *region.vertices):
            mapped = sum((a * v for a, v in zip(region.jacobian[0], point)), F(0)) + region.offset[0]
            assert np.isclose(float(mapped), _run(model, [[float(v) for v in point]])[0], rtol=1e-5, atol=1e-5)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["relu", "abs", "relu6", "hardtanh"]),
            st.fractions(-4, 4, max_denominator=16).filter(lambda a: a != 1).map(lambda a: {"type": "leaky_relu", "alpha": str(a)}),
            st.tuples(st.fractions(-4, 4, max_denominator=8), st.fractions(0, 4, max_denominator=8).filter(bool)).map(
                lambda t: {"type": "clip", "min": str(t[0]), "max": str(t[0] + t[1])}
            ),
        ),
        min_size=3,
        max_size=3,
    )
)
def test_json_activations_round_trip_exactly(specs):
    net = network_from_text(_json(specs))
    again = network_from_text(network_to_json(net))
    assert again.activations == net.activations
    for point in POINTS[::4]:
        assert again.evaluate(point) == net.evaluate(point)


def test_activation_built_in_python_with_more_states_than_digits_is_refused():
    from symrelu.activation import piecewise

    breakpoints = list(range(10))
    slopes = [k % 2 for k in range(11)]
    offsets = [-(k // 2) if k % 2 else (k // 2) for k in range(11)]
    with pytest.raises(InputFormatError, match="at most 9"):
        piecewise("zigzag", breakpoints, slopes, offsets)
    ok = piecewise("zigzag", breakpoints[:9], slopes[:10], offsets[:10])  # nine breakpoints print as digits 0..9
    zigzag = [F(k, 2) for k in range(-3, 22)]  # the piece form against the sum-of-kinks form
    assert ok.states == 10
    assert all(ok.evaluate(z) == ok.build(z, lambda t: max(t, F(0)), lambda c: c) for z in zigzag)
