"""Loaders: every external network loads, agrees with independent float engines, and the
float -> rational policies behave as documented."""

from __future__ import annotations

import itertools
import json
import sys
import types
from fractions import Fraction
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from onnx import TensorProto, helper, numpy_helper

from symrelu.errors import MissingDependencyError, ShapeError, UnsupportedOperatorError
from symrelu.loaders import (
    example_path,
    from_numpy,
    from_torch,
    list_examples,
    load_network,
    network_from_text,
    network_to_json,
    save_json,
)
from symrelu.network import Network

EXPECTED = {
    "fc1.onnx": ((2, 25, 25, 25, 2), False),
    "fc_2-2-3.onnx": ((2, 2, 3), False),
    "test_small.onnx": ((1, 2, 2, 1), False),
    "test_tiny.onnx": ((1, 1, 1), False),
    "test_nano.onnx": ((1, 1), True),
}


# --------------------------------------------------------------------------- helpers
def _input_info(model: onnx.ModelProto) -> tuple[str, tuple[int, ...]]:
    """The real input's name and shape with symbolic (batch) dimensions set to 1."""
    initializers = {t.name for t in model.graph.initializer}
    (value,) = [v for v in model.graph.input if v.name not in initializers]
    dims = value.type.tensor_type.shape.dim
    return value.name, tuple(d.dim_value if d.dim_value > 0 else 1 for d in dims)


def _numpy_reference(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    """An independent float64 interpreter for the handful of operators in the test graphs."""
    values = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    values[_input_info(model)[0]] = x.astype(np.float64)
    for node in model.graph.node:
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        args = [values[name] for name in node.input if name]
        if node.op_type == "Constant":
            out = numpy_helper.to_array(attrs["value"]).astype(np.float64)
        elif node.op_type == "MatMul":
            out = args[0] @ args[1]
        elif node.op_type == "Add":
            out = args[0] + args[1]
        elif node.op_type == "Relu":
            out = np.maximum(args[0], 0.0)
        elif node.op_type == "Identity":
            out = args[0]
        elif node.op_type == "Gemm":
            a = args[0].T if attrs.get("transA", 0) else args[0]
            b = args[1].T if attrs.get("transB", 0) else args[1]
            out = attrs.get("alpha", 1.0) * (a @ b)
            if len(args) > 2:
                out = out + attrs.get("beta", 1.0) * args[2]
        elif node.op_type == "Flatten":
            axis = attrs.get("axis", 1)
            out = args[0].reshape(int(np.prod(args[0].shape[:axis])), -1)
        elif node.op_type == "Reshape":
            out = args[0].reshape([int(v) for v in args[1]])
        else:  # pragma: no cover - the test graphs use only the operators above
            raise NotImplementedError(node.op_type)
        values[node.output[0]] = out
    return values[model.graph.output[0].name]


def _exact_at(net: Network, x: np.ndarray) -> np.ndarray:
    """Exact output at the exact rational value of each float32 input coordinate."""
    point = [Fraction(float(v)) for v in x.reshape(-1)]
    return np.array([float(v) for v in net.evaluate(point)])


def _compare_with_engines(model: onnx.ModelProto, net: Network, seed: int, count: int = 25, scale: float = 2.0) -> None:
    name, shape = _input_info(model)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(seed)
    for _ in range(count):
        x = (rng.standard_normal(shape) * scale).astype(np.float32)
        exact = _exact_at(net, x)
        (theirs,) = session.run(None, {name: x})
        reference = _numpy_reference(model, x).reshape(-1)
        # Float engines against our exact value: a tolerance is right here, and only here.
        magnitude = 1.0 + float(np.max(np.abs(exact)))
        np.testing.assert_allclose(np.asarray(theirs, dtype=np.float64).reshape(-1), exact, rtol=1e-4, atol=1e-4 * magnitude)
        np.testing.assert_allclose(reference, exact, rtol=1e-9, atol=1e-9 * magnitude)


def _save_model(tmp_path: Path, graph: onnx.GraphProto, name: str = "model.onnx", opset: int = 14) -> Path:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    path = tmp_path / name
    onnx.save(model, str(path))
    return path


def _tensor(name: str, array: np.ndarray) -> TensorProto:
    return numpy_helper.from_array(np.asarray(array), name=name)


# ------------------------------------------------------------------ external networks
@pytest.mark.parametrize("file_name", sorted(EXPECTED))
def test_shared_net_loads_with_expected_shape(shared_nets: Path, file_name: str) -> None:
    widths, output_relu = EXPECTED[file_name]
    net = load_network(shared_nets / file_name)
    assert net.widths == widths
    assert net.output_relu is output_relu
    assert net.policy == "exact"
    assert net.source == file_name
    assert net.is_concrete
    assert all(isinstance(w, Fraction) for layer in net.layers for row in layer.weight for w in row)


@pytest.mark.parametrize("file_name", sorted(EXPECTED))
def test_shared_net_agrees_with_onnxruntime_and_numpy(shared_nets: Path, file_name: str) -> None:
    path = shared_nets / file_name
    _compare_with_engines(onnx.load(str(path)), load_network(path), seed=len(file_name))


@pytest.mark.parametrize("file_name", sorted(EXPECTED))
def test_shared_net_weights_are_exact_float32_values(shared_nets: Path, file_name: str) -> None:
    path = shared_nets / file_name
    model = onnx.load(str(path))
    floats = {Fraction(float(v)) for t in model.graph.initializer for v in numpy_helper.to_array(t).reshape(-1)}
    net = load_network(path)
    if file_name.startswith("test_") or file_name == "fc1.onnx":  # one initializer per weight, no folding products
        entries = {w for layer in net.layers for row in layer.weight for w in row} | {
            b for layer in net.layers for b in layer.bias
        }
        assert entries <= floats | {Fraction(0)}


def test_test_small_has_slopes_24_and_0_on_minus3_to_1(shared_nets: Path) -> None:
    net = load_network(shared_nets / "test_small.onnx")

    def f(x: Fraction) -> Fraction:
        return net.evaluate([x])[0]

    def slope(a: Fraction, b: Fraction) -> Fraction:
        return (f(b) - f(a)) / (b - a)

    left = [Fraction(-3), Fraction(-5, 2), Fraction(-7, 4), Fraction(-8, 5)]
    right = [Fraction(-7, 5), Fraction(-1), Fraction(0), Fraction(1, 3), Fraction(1)]
    assert {slope(a, b) for a in left for b in left if a < b} == {0}
    assert {slope(a, b) for a in right for b in right if a < b} == {24}
    # the kink sits where the two pieces meet, at x = -3/2
    assert f(Fraction(-3, 2)) == f(Fraction(-3))
    assert slope(Fraction(-3, 2), Fraction(1)) == 24
    patterns = {net.pattern([x]) for x in left + right}
    assert len(patterns) == 2
    assert sorted(net.affine_map(p)[0][0][0] for p in patterns) == [0, 24]


# ------------------------------------------------------------------------- policies
def test_json_float_policy_exact_vs_decimal(tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    path.write_text('{"layers": [{"weight": [[0.1, "0.1"]], "bias": [1e-3]}]}')
    exact = load_network(path)
    decimal = load_network(path, policy="decimal")
    # A JSON float literal is the double nearest to it; "exact" keeps that double's value.
    assert exact.layers[0].weight[0][0] == Fraction(0.1) == Fraction(3602879701896397, 36028797018963968)
    assert exact.layers[0].weight[0][0] != Fraction(1, 10)
    assert decimal.layers[0].weight[0][0] == Fraction(1, 10)
    # a string is exact text under either policy
    assert exact.layers[0].weight[0][1] == decimal.layers[0].weight[0][1] == Fraction(1, 10)
    assert exact.layers[0].bias[0] == Fraction(1e-3) and decimal.layers[0].bias[0] == Fraction(1, 1000)
    assert (exact.policy, decimal.policy) == ("exact", "decimal")


def test_float32_weight_policy_exact_vs_decimal(tmp_path: Path) -> None:
    w = np.array([[0.1, -2.5]], dtype=np.float32)
    path = tmp_path / "net.npz"
    np.savez(path, W0=w, b0=np.array([0.3], dtype=np.float32))
    exact = load_network(path)
    decimal = load_network(path, policy="decimal")
    assert exact.layers[0].weight[0][0] == Fraction(13421773, 134217728) == Fraction(float(np.float32(0.1)))
    assert decimal.layers[0].weight[0][0] == Fraction(1, 10)
    assert exact.layers[0].weight[0][1] == decimal.layers[0].weight[0][1] == Fraction(-5, 2)
    assert decimal.layers[0].bias[0] == Fraction(3, 10)  # shortest float32 text, not float64's 0.30000001192092896
    assert exact.layers[0].bias[0] == Fraction(float(np.float32(0.3)))
    assert (exact.policy, decimal.policy) == ("exact", "decimal")


def test_onnx_float32_policy_and_gemm_alpha_exact(tmp_path: Path) -> None:
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["x", "W", "b"], ["y"], name="g", alpha=0.1, beta=0.5, transB=1)],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1])],
        [_tensor("W", np.array([[3.0]], dtype=np.float32)), _tensor("b", np.array([0.1], dtype=np.float32))],
    )
    path = _save_model(tmp_path, graph)
    exact = load_network(path)
    decimal = load_network(path, policy="decimal")
    alpha32, b32 = Fraction(float(np.float32(0.1))), Fraction(float(np.float32(0.1)))
    assert exact.layers[0].weight == ((3 * alpha32,),)
    assert exact.layers[0].bias == (b32 / 2,)
    assert decimal.layers[0].weight == ((Fraction(3, 10),),)
    assert decimal.layers[0].bias == (Fraction(1, 20),)


# --------------------------------------------------------------------- JSON format
def test_json_mixed_number_forms(tmp_path: Path) -> None:
    text = json.dumps(
        {
            "layers": [
                {"weight": [["3/4", 2], [0.5, "-1.25"], ["1e-3", "w1"]], "bias": [0, "-1/3", 0.25]},
                {"weight": [[1, "-2", "7/2"]], "bias": ["0"]},
            ],
            "output_relu": True,
            "description": "mixed",
        }
    )
    path = tmp_path / "mixed.json"
    path.write_text(text)
    net = load_network(path)
    F = Fraction
    assert net.layers[0].weight[:2] == ((F(3, 4), F(2)), (F(1, 2), F(-5, 4)))
    assert net.layers[0].weight[2][0] == F(1, 1000)
    assert [p.name for p in net.parameters] == ["w1"]
    assert net.layers[0].bias == (F(0), F(-1, 3), F(1, 4))
    assert net.output_relu is True
    assert net.widths == (2, 3, 1)
    assert net.source == "mixed.json"


def test_json_save_and_load_round_trip(tmp_path: Path) -> None:
    net = load_network(example_path("two_inputs"))
    path = save_json(net, tmp_path / "copy.json")
    again = load_network(path)
    assert again.layers == net.layers and again.output_relu == net.output_relu
    assert path.read_text() == network_to_json(net)


fractions = st.fractions(min_value=-8, max_value=8, max_denominator=64)


@st.composite
def networks(draw: st.DrawFn) -> Network:
    widths = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    layers = []
    for n_in, n_out in itertools.pairwise(widths):
        weight = draw(st.lists(st.lists(fractions, min_size=n_in, max_size=n_in), min_size=n_out, max_size=n_out))
        bias = draw(st.lists(fractions, min_size=n_out, max_size=n_out))
        layers.append((weight, bias))
    return Network.from_rows(layers, output_relu=draw(st.booleans()), source="<json>")


@given(networks())
@settings(max_examples=60, deadline=None)
def test_json_text_round_trip_is_exact(net: Network) -> None:
    assert network_from_text(network_to_json(net)) == net


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=6))
@settings(max_examples=60, deadline=None)
def test_json_float_literals_are_the_exact_double(values: list[float]) -> None:
    text = json.dumps({"layers": [{"weight": [values], "bias": [values[0]]}]})
    exact = network_from_text(text)
    decimal = network_from_text(text, policy="decimal")
    assert exact.layers[0].weight[0] == tuple(Fraction(v) for v in values)
    assert decimal.layers[0].weight[0] == tuple(Fraction(repr(v)) for v in values)


# ---------------------------------------------------------------------- npz format
@given(
    hnp.arrays(np.float32, st.tuples(st.integers(1, 4), st.integers(1, 4)), elements=st.floats(-1e6, 1e6, width=32)),
    st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_npz_round_trip_keeps_float32_values(tmp_path_factory: pytest.TempPathFactory, w: np.ndarray, relu: bool) -> None:
    path = tmp_path_factory.mktemp("npz") / "net.npz"
    bias = np.linspace(-1, 1, w.shape[0]).astype(np.float32)
    np.savez(path, W0=w, b0=bias, W1=np.ones((1, w.shape[0]), dtype=np.float64), b1=np.zeros(1), output_relu=np.array(relu))
    net = load_network(path)
    decimal = load_network(path, policy="decimal")
    assert net.widths == (w.shape[1], w.shape[0], 1)
    assert net.output_relu is relu
    for i in range(w.shape[0]):
        for j in range(w.shape[1]):
            assert net.layers[0].weight[i][j] == Fraction(float(w[i, j]))
            assert decimal.layers[0].weight[i][j] == Fraction(np.format_float_positional(w[i, j], unique=True, trim="-"))
            assert float(decimal.layers[0].weight[i][j]) == pytest.approx(float(w[i, j]), rel=1e-6)
            assert np.float32(float(decimal.layers[0].weight[i][j])) == w[i, j]  # decimal text reads back to the float32
    assert net.layers[0].bias == tuple(Fraction(float(b)) for b in bias)


def test_npz_integer_and_float16_arrays(tmp_path: Path) -> None:
    path = tmp_path / "ints.npz"
    np.savez(path, W0=np.array([[1, -2]], dtype=np.int32), b0=np.array([0.1], dtype=np.float16))
    net = load_network(path)
    assert net.layers[0].weight == ((Fraction(1), Fraction(-2)),)
    assert net.layers[0].bias == (Fraction(float(np.float16(0.1))),)
    assert load_network(path, policy="decimal").layers[0].bias == (Fraction(1, 10),)


# ----------------------------------------------------------------------- from_numpy
def test_from_numpy_matches_numpy_evaluation() -> None:
    rng = np.random.default_rng(3)
    weights = [rng.standard_normal((5, 3)).astype(np.float32), rng.standard_normal((2, 5))]
    biases = [rng.standard_normal(5).astype(np.float32), rng.standard_normal(2)]
    net = from_numpy(weights, biases)
    assert net.widths == (3, 5, 2) and net.policy == "exact" and not net.output_relu
    for _ in range(20):
        x = rng.standard_normal(3)
        hidden = np.maximum(weights[0].astype(np.float64) @ x + biases[0].astype(np.float64), 0)
        expected = weights[1] @ hidden + biases[1]
        exact = np.array([float(v) for v in net.evaluate([Fraction(v) for v in x])])
        np.testing.assert_allclose(exact, expected, rtol=1e-12, atol=1e-12)


def test_from_numpy_accepts_rational_objects_and_text() -> None:
    net = from_numpy([[[Fraction(1, 3), "2/7"]]], [np.array(["-1/2"])], output_relu=True, policy="decimal")
    assert net.layers[0].weight == ((Fraction(1, 3), Fraction(2, 7)),)
    assert net.layers[0].bias == (Fraction(-1, 2),)
    assert net.output_relu and net.policy == "decimal"


@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 3)), elements=st.floats(-100, 100)))
@settings(max_examples=40, deadline=None)
def test_from_numpy_is_exact_elementwise(w: np.ndarray) -> None:
    net = from_numpy([w], [np.zeros(w.shape[0])])
    assert net.layers[0].weight == tuple(tuple(Fraction(float(v)) for v in row) for row in w)


# ----------------------------------------------------------------------- from_torch
# torch is an optional extra. Where it is installed these tests use it for real (and also compare
# with torch's own forward pass); where it is not, a minimal stand-in with the same surface
# (nn.Sequential / nn.Linear / nn.ReLU, tensors with detach().cpu().numpy()) takes its place.
class _FakeTensor:
    def __init__(self, array: np.ndarray) -> None:
        self._array = array
        self.dtype = array.dtype

    def detach(self) -> _FakeTensor:
        return self

    def cpu(self) -> _FakeTensor:
        return self

    def numpy(self) -> np.ndarray:
        return self._array


class _FakeModule:
    pass


class _FakeNN:
    """Stand-ins named like torch.nn's classes (error messages show the class name)."""

    class Linear(_FakeModule):
        def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
            rng = np.random.default_rng(31 * in_features + out_features)
            self.weight = _FakeTensor(rng.uniform(-1, 1, (out_features, in_features)).astype(np.float32))
            self.bias = _FakeTensor(rng.uniform(-1, 1, out_features).astype(np.float32)) if bias else None

    class ReLU(_FakeModule):
        pass

    class Tanh(_FakeModule):
        pass

    class Sequential(_FakeModule):
        def __init__(self, *modules: _FakeModule) -> None:
            self._modules = list(modules)

        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(self._modules)

        def __getitem__(self, index: int) -> _FakeModule:
            return self._modules[index]


@pytest.fixture
def torch_api(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    try:
        import torch

        torch.manual_seed(0)
        return torch
    except ImportError:
        fake = types.ModuleType("torch")
        fake.nn = types.SimpleNamespace(  # type: ignore[attr-defined]
            Sequential=_FakeNN.Sequential, Linear=_FakeNN.Linear, ReLU=_FakeNN.ReLU, Tanh=_FakeNN.Tanh
        )
        fake.bfloat16 = object()  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "torch", fake)
        return fake


def _numpy_forward(module, x: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    a = x.astype(np.float64)
    for child in module:
        if hasattr(child, "weight"):
            a = child.weight.detach().cpu().numpy().astype(np.float64) @ a
            if child.bias is not None:
                a = a + child.bias.detach().cpu().numpy().astype(np.float64)
        else:
            a = np.maximum(a, 0.0)
    return a


def test_from_torch_matches_forward_pass(torch_api) -> None:  # type: ignore[no-untyped-def]
    nn = torch_api.nn
    module = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    net = from_torch(module)
    assert net.widths == (3, 4, 2) and not net.output_relu and net.policy == "exact"
    w00 = module[0].weight.detach().cpu().numpy()[0, 0]
    assert isinstance(w00, np.float32) and net.layers[0].weight[0][0] == Fraction(float(w00))
    assert from_torch(module, policy="decimal").layers[0].weight[0][0] == Fraction(
        np.format_float_positional(w00, unique=True, trim="-")
    )
    rng = np.random.default_rng(2)
    for _ in range(20):
        x = rng.standard_normal(3).astype(np.float32)
        exact = _exact_at(net, x)
        np.testing.assert_allclose(_numpy_forward(module, x), exact, rtol=1e-12, atol=1e-12)
        if hasattr(torch_api, "from_numpy"):  # the real thing: compare with torch's float32 forward too
            with torch_api.no_grad():
                theirs = module(torch_api.from_numpy(x)).numpy().astype(np.float64)
            np.testing.assert_allclose(theirs, exact, rtol=1e-5, atol=1e-5)


def test_from_torch_trailing_relu_and_composed_linears(torch_api) -> None:  # type: ignore[no-untyped-def]
    nn = torch_api.nn
    module = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 2, bias=False), nn.ReLU())
    net = from_torch(module)
    assert net.widths == (2, 2) and net.output_relu
    rng = np.random.default_rng(4)
    for _ in range(10):
        x = rng.standard_normal(2).astype(np.float32)
        np.testing.assert_allclose(_numpy_forward(module, x), _exact_at(net, x), rtol=1e-12, atol=1e-12)


def test_from_torch_refuses_other_modules(torch_api) -> None:  # type: ignore[no-untyped-def]
    nn = torch_api.nn
    with pytest.raises(UnsupportedOperatorError, match=r"module 1 \(Tanh\)"):
        from_torch(nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1)))
    with pytest.raises(UnsupportedOperatorError, match=r"module 2 \(ReLU\).*another ReLU"):
        from_torch(nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.ReLU()))
    with pytest.raises(UnsupportedOperatorError, match=r"module 0 \(ReLU\).*the input"):
        from_torch(nn.Sequential(nn.ReLU(), nn.Linear(2, 2)))
    with pytest.raises(UnsupportedOperatorError, match="nn.Sequential"):
        from_torch(nn.Linear(2, 2))
    with pytest.raises(ShapeError, match=r"module 1 \(Linear\): weight is 1x2 but the previous Linear outputs 3"):
        from_torch(nn.Sequential(nn.Linear(2, 3), nn.Linear(2, 1)))
    with pytest.raises(ShapeError, match="no Linear"):
        from_torch(nn.Sequential())


def test_from_torch_without_torch_asks_for_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
    with pytest.raises(MissingDependencyError, match=r"pip install 'symrelu\[torch\]' \(in a source checkout: pip install -e '\.\[torch\]'\)"):
        from_torch(object())


# ------------------------------------------------------------ ONNX operator coverage
def _dense_graph(nodes: list[onnx.NodeProto], inits: list[TensorProto], in_shape: list[int], out_shape: list[int]) -> onnx.GraphProto:
    return helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, in_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)],
        inits,
    )


@pytest.mark.parametrize("trans_a", [0, 1])
@pytest.mark.parametrize("trans_b", [0, 1])
@pytest.mark.parametrize("data_first", [True, False])
def test_gemm_attributes_match_onnxruntime(tmp_path: Path, trans_a: int, trans_b: int, data_first: bool) -> None:
    rng = np.random.default_rng(trans_a + 2 * trans_b + 4 * data_first)
    w = rng.standard_normal((3, 2)).astype(np.float32)  # maps 2 features to 3
    if data_first:  # x (1x2 or its transpose) times B (2x3 or its transpose)
        x_shape = [2, 1] if trans_a else [1, 2]
        b = w.T if not trans_b else w
        inputs, c = ["x", "W", "C"], rng.standard_normal(3).astype(np.float32)
    else:  # A (3x2 or its transpose) times x (2x1 or its transpose)
        x_shape = [1, 2] if trans_b else [2, 1]
        b = w if not trans_a else w.T
        inputs, c = ["W", "x", "C"], rng.standard_normal((3, 1)).astype(np.float32)
    node = helper.make_node("Gemm", inputs, ["h"], name="gemm", alpha=0.75, beta=-1.5, transA=trans_a, transB=trans_b)
    relu = helper.make_node("Relu", ["h"], ["r"], name="relu")
    second = helper.make_node("MatMul", ["V", "r"] if not data_first else ["r", "V"], ["y"], name="mm")
    v = rng.standard_normal((2, 3) if not data_first else (3, 2)).astype(np.float32)
    graph = _dense_graph([node, relu, second], [_tensor("W", b), _tensor("C", c), _tensor("V", v)], x_shape, [2, 1] if not data_first else [1, 2])
    path = _save_model(tmp_path, graph)
    net = load_network(path)
    assert net.widths == (2, 3, 2)
    _compare_with_engines(onnx.load(str(path)), net, seed=7, count=20)


@pytest.mark.parametrize("bias_first", [True, False])
def test_matmul_add_orders_flatten_reshape_identity_constant(tmp_path: Path, bias_first: bool) -> None:
    rng = np.random.default_rng(11)
    shape_const = helper.make_node(
        "Constant", [], ["shape"], name="shape", value=_tensor("shape_value", np.array([-1], dtype=np.int64))
    )
    nodes = [
        helper.make_node("Flatten", ["x"], ["f"], name="flat", axis=1),
        helper.make_node("MatMul", ["f", "W0"], ["m0"], name="mm0"),
        helper.make_node("Add", ["b0", "m0"] if bias_first else ["m0", "b0"], ["h0"], name="add0"),
        helper.make_node("Relu", ["h0"], ["r0"], name="relu0"),
        shape_const,
        helper.make_node("Reshape", ["r0", "shape"], ["v"], name="reshape"),
        helper.make_node("MatMul", ["W1", "v"], ["m1"], name="mm1"),
        helper.make_node("MatMul", ["W2", "m1"], ["m2"], name="mm2"),  # two affine ops folded into one layer
        helper.make_node("Add", ["m2", "b1"], ["h1"], name="add1"),
        helper.make_node("Identity", ["h1"], ["y"], name="out"),
    ]
    inits = [
        _tensor("W0", rng.standard_normal((4, 5)).astype(np.float32)),
        _tensor("b0", rng.standard_normal((1, 5)).astype(np.float32)),
        _tensor("W1", rng.standard_normal((3, 5)).astype(np.float32)),
        _tensor("W2", rng.standard_normal((2, 3)).astype(np.float32)),
        _tensor("b1", rng.standard_normal(2).astype(np.float32)),
    ]
    path = _save_model(tmp_path, _dense_graph(nodes, inits, [1, 2, 2], [2]))
    net = load_network(path)
    assert net.widths == (4, 5, 2) and not net.output_relu
    _compare_with_engines(onnx.load(str(path)), net, seed=5, count=20)


def test_onnx_graph_ending_in_relu_then_reshape_keeps_output_relu(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"], name="mm"),
        helper.make_node("Relu", ["m"], ["r"], name="relu"),
        helper.make_node("Flatten", ["r"], ["y"], name="flat", axis=0),
    ]
    path = _save_model(tmp_path, _dense_graph(nodes, [_tensor("W", np.array([[1.0, -1.0]], dtype=np.float32))], [1, 1], [1, 2]))
    net = load_network(path)
    assert net.output_relu and net.widths == (1, 2)
    assert net.evaluate([Fraction(-2)]) == (Fraction(0), Fraction(2))


# ---------------------------------------------------------------------- examples
def test_bundled_examples_load() -> None:
    assert {"one_input", "two_inputs"} <= set(list_examples())
    two = load_network(example_path("two_inputs"))
    assert two.widths == (2, 4, 4, 1) and two.is_concrete and two.source == "two_inputs.json"
    one = load_network(example_path("one_input.json"))
    assert one.widths == (1, 3, 1)
    values = {x: one.evaluate([x])[0] for x in (Fraction(k, 4) for k in range(-4, 5))}
    slopes = [(values[Fraction(k + 1, 4)] - values[Fraction(k, 4)]) * 4 for k in range(-4, 4)]
    assert slopes == [0, 0, 1, 1, -1, -1, 1, 1]  # kinks at -1/2, 0, 1/2


def test_two_inputs_example_has_18_patterns_on_a_grid() -> None:
    net = load_network(example_path("two_inputs"))
    grid = [Fraction(k, 20) for k in range(-20, 21)]
    patterns = {net.pattern([x, y]) for x in grid for y in grid}
    assert 15 <= len(patterns) <= 18  # 18 regions; a coarse grid may miss the thinnest ones


def test_load_network_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "NET.JSON"
    path.write_text('{"layers": [{"weight": [[1]], "bias": [0]}]}')
    assert load_network(path).widths == (1, 1)


@given(
    seed=st.integers(0, 2**32 - 1),
    widths=st.lists(st.integers(1, 5), min_size=2, max_size=4),
    column=st.booleans(),
    output_relu=st.booleans(),
    styles=st.lists(st.sampled_from(["gemm_t", "gemm", "matmul"]), min_size=3, max_size=3),
)
@settings(max_examples=40, deadline=None)
def test_random_onnx_chains_equal_from_numpy_exactly(
    tmp_path_factory: pytest.TempPathFactory, seed: int, widths: list[int], column: bool, output_relu: bool, styles: list[str]
) -> None:
    """Whatever operator spelling a layer uses, the loaded network is exactly the float32 arrays."""
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((m, n)).astype(np.float32) for n, m in itertools.pairwise(widths)]
    biases = [rng.standard_normal(m).astype(np.float32) for m in widths[1:]]
    nodes, inits, current = [], [], "x"
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        style = styles[i]
        if column:  # activations are column vectors [n, 1]: W @ x, or Gemm(W, x, C[m, 1])
            if style == "matmul":
                nodes += [helper.make_node("MatMul", [f"W{i}", current], [f"m{i}"]), helper.make_node("Add", [f"b{i}", f"m{i}"], [f"h{i}"])]
                inits += [_tensor(f"W{i}", w), _tensor(f"b{i}", b.reshape(-1, 1))]
            else:
                transposed = style == "gemm_t"
                nodes.append(helper.make_node("Gemm", [f"W{i}", current, f"b{i}"], [f"h{i}"], transA=int(transposed)))
                inits += [_tensor(f"W{i}", w.T if transposed else w), _tensor(f"b{i}", b.reshape(-1, 1))]
        else:  # activations are rows [1, n]: x @ W^T
            if style == "matmul":
                nodes += [helper.make_node("MatMul", [current, f"W{i}"], [f"m{i}"]), helper.make_node("Add", [f"m{i}", f"b{i}"], [f"h{i}"])]
                inits += [_tensor(f"W{i}", w.T), _tensor(f"b{i}", b)]
            else:
                transposed = style == "gemm_t"
                nodes.append(helper.make_node("Gemm", [current, f"W{i}", f"b{i}"], [f"h{i}"], transB=int(transposed)))
                inits += [_tensor(f"W{i}", w if transposed else w.T), _tensor(f"b{i}", b)]
        current = f"h{i}"
        if i < len(weights) - 1 or output_relu:
            nodes.append(helper.make_node("Relu", [current], [f"r{i}"]))
            current = f"r{i}"
    nodes.append(helper.make_node("Identity", [current], ["y"]))
    in_shape = [widths[0], 1] if column else [1, widths[0]]
    out_shape = [widths[-1], 1] if column else [1, widths[-1]]
    path = _save_model(tmp_path_factory.mktemp("chain"), _dense_graph(nodes, inits, in_shape, out_shape))
    net = load_network(path)
    expected = from_numpy(weights, biases, output_relu=output_relu, source=path.name)
    assert net == expected
