"""Sub, Div, Mul by constants and Neg load exactly: compared with onnxruntime, and the bundled ACAS Xu nets load."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import TensorProto, helper, numpy_helper

from symrelu.errors import InputFormatError, UnsupportedOperatorError
from symrelu.loaders import load_network


def build(tmp_path: Path, nodes: list[onnx.NodeProto], constants: dict[str, np.ndarray], name: str = "net.onnx") -> Path:
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(v.astype(np.float32), k) for k, v in constants.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    path = tmp_path / name
    onnx.save(model, str(path))
    return path


RNG = np.random.default_rng(3)
W = RNG.normal(size=(3, 2)).astype(np.float32)
MEAN = np.array([[0.5, -0.25, 2.0]], dtype=np.float32)
STD = np.array([[2.0, 0.5, 4.0]], dtype=np.float32)
SCALE = np.array([[3.0, -1.0]], dtype=np.float32)

GRAPHS = {
    "sub_div": [helper.make_node("Sub", ["x", "m"], ["a"]), helper.make_node("Div", ["a", "s"], ["b"]),
                helper.make_node("MatMul", ["b", "W"], ["c"]), helper.make_node("Relu", ["c"], ["d"]),
                helper.make_node("Mul", ["d", "k"], ["y"])],
    "const_minus_data": [helper.make_node("Sub", ["m", "x"], ["a"]), helper.make_node("MatMul", ["a", "W"], ["c"]),
                         helper.make_node("Relu", ["c"], ["d"]), helper.make_node("Neg", ["d"], ["y"])],
    "mul_first": [helper.make_node("Mul", ["s", "x"], ["a"]), helper.make_node("Neg", ["a"], ["b"]),
                  helper.make_node("MatMul", ["b", "W"], ["c"]), helper.make_node("Relu", ["c"], ["y"])],
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_normalisation_operators_match_onnxruntime(tmp_path: Path, name: str) -> None:
    path = build(tmp_path, GRAPHS[name], {"m": MEAN, "s": STD, "W": W, "k": SCALE})
    net = load_network(path)
    session = onnxruntime.InferenceSession(str(path))
    for _ in range(6):
        x = RNG.uniform(-3, 3, size=(1, 3)).astype(np.float32)
        theirs = session.run(None, {"x": x})[0].reshape(-1)
        exact = net.evaluate([Fraction(float(v)) for v in x.reshape(-1)])
        assert np.allclose([float(v) for v in exact], theirs, rtol=1e-5, atol=1e-5)


def test_division_is_exact(tmp_path: Path) -> None:
    path = build(tmp_path, [helper.make_node("Div", ["x", "s"], ["a"]), helper.make_node("MatMul", ["a", "W"], ["y"])],
                 {"s": np.array([[3.0, 3.0, 3.0]]), "W": np.ones((3, 1))})
    assert load_network(path).evaluate([1, 1, 1]) == (Fraction(1),)  # 1/3 * 3, not a rounded float


def test_division_by_zero_and_by_data_refused(tmp_path: Path) -> None:
    zero = build(tmp_path, [helper.make_node("Div", ["x", "s"], ["a"]), helper.make_node("MatMul", ["a", "W"], ["y"])],
                 {"s": np.array([[1.0, 0.0, 1.0]]), "W": np.ones((3, 1))}, "zero.onnx")
    with pytest.raises(InputFormatError, match="zero entry"):
        load_network(zero)
    flipped = build(tmp_path, [helper.make_node("Div", ["s", "x"], ["a"]), helper.make_node("MatMul", ["a", "W"], ["y"])],
                    {"s": np.ones((1, 3)), "W": np.ones((3, 1))}, "flipped.onnx")
    with pytest.raises(UnsupportedOperatorError, match="not affine"):
        load_network(flipped)
    square = build(tmp_path, [helper.make_node("Mul", ["x", "x"], ["a"]), helper.make_node("MatMul", ["a", "W"], ["y"])],
                   {"W": np.ones((3, 1))}, "square.onnx")
    with pytest.raises(UnsupportedOperatorError, match="twice"):
        load_network(square)


@pytest.mark.parametrize("name", ["test_sat", "test_unsat"])
def test_acas_nets_load_and_match_onnxruntime(shared_nets: Path, name: str) -> None:
    path = shared_nets / f"{name}.onnx"
    net = load_network(path)
    assert net.widths == (5, 50, 50, 50, 50, 50, 50, 5)
    session = onnxruntime.InferenceSession(str(path))
    x = np.array([-0.3, 0.001, 0.495, 0.4, 0.35], dtype=np.float32)
    theirs = session.run(None, {session.get_inputs()[0].name: x.reshape(1, 1, 1, 5)})[0].reshape(-1)
    exact = net.evaluate([Fraction(float(v)) for v in x])
    assert np.allclose([float(v) for v in exact], theirs, rtol=1e-4, atol=1e-6)
