"""Bad input: each refusal has the right exception type, one line that names the culprit,
and leaves the input file untouched."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from symrelu.errors import (
    InputFormatError,
    MissingDependencyError,
    NonFiniteError,
    ShapeError,
    SymreluError,
    UnsupportedOperatorError,
)
from symrelu.loaders import from_numpy, load_network


def refused(path: Path, error: type[SymreluError], *fragments: str, policy: str = "exact") -> str:
    """Load ``path``, expect ``error`` with every fragment in a one-line message, and an unchanged file."""
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(error) as info:
        load_network(path, policy=policy)
    message = str(info.value)
    assert "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    after = path.read_bytes() if path.is_file() else None
    assert before == after, "the loader modified its input file"
    return message


def write_json(tmp_path: Path, document: object, name: str = "bad.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


GOOD_LAYER = {"weight": [[1, 2]], "bias": [0]}


# ------------------------------------------------------------------------- files
def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "net.json"
    refused(path, InputFormatError, str(path), "not found")


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "net.h5"
    path.write_bytes(b"\x89HDF")
    refused(path, InputFormatError, "net.h5", "'.h5'", ".json, .npz, .onnx")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    path = tmp_path / "dir.json"
    path.mkdir()
    refused(path, InputFormatError, "dir.json", "directory")


def test_unknown_policy(tmp_path: Path) -> None:
    path = write_json(tmp_path, {"layers": [GOOD_LAYER]})
    refused(path, InputFormatError, "'round'", "exact, decimal", policy="round")


# -------------------------------------------------------------------------- JSON
def test_malformed_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = write_json(tmp_path, '{\n  "layers": [\n    {"weight": [[1, 2]] "bias": [0]}\n  ]\n}\n')
    refused(path, InputFormatError, "bad.json", "malformed JSON", "line 3, column 25")


def test_json_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"layers": "\xe9"}')
    refused(path, InputFormatError, "latin.json", "UTF-8")


def test_json_duplicate_key(tmp_path: Path) -> None:
    path = write_json(tmp_path, '{"layers": [{"weight": [[1]], "bias": [0], "bias": [1]}]}')
    refused(path, InputFormatError, "bad.json", "duplicate key 'bias'")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_nonfinite_literal(tmp_path: Path, literal: str) -> None:
    path = write_json(tmp_path, '{"layers": [{"weight": [[1, ' + literal + ']], "bias": [0]}]}')
    refused(path, NonFiniteError, "bad.json", "layer 0 weight[0][1]", literal)


def test_json_nonfinite_literal_in_bias_of_second_layer(tmp_path: Path) -> None:
    path = write_json(tmp_path, '{"layers": [{"weight": [[1]], "bias": [0]}, {"weight": [[1]], "bias": [NaN]}]}')
    refused(path, NonFiniteError, "layer 1 bias[0]")


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity"])
def test_json_nonfinite_string(tmp_path: Path, text: str) -> None:
    path = write_json(tmp_path, {"layers": [{"weight": [[1], [text]], "bias": [0, 0]}]})
    refused(path, NonFiniteError, "bad.json", "layer 0 weight[1][0]", repr(text))


def test_json_float_literal_overflowing_a_double(tmp_path: Path) -> None:
    path = write_json(tmp_path, '{"layers": [{"weight": [[1e400]], "bias": [0]}]}')
    refused(path, NonFiniteError, "layer 0 weight[0][0]", "1e400")


def test_json_missing_layers_key(tmp_path: Path) -> None:
    refused(write_json(tmp_path, {"output_relu": False}), InputFormatError, "bad.json", 'missing key "layers"')


@pytest.mark.parametrize("key", ["weight", "bias"])
def test_json_layer_missing_key(tmp_path: Path, key: str) -> None:
    layer = {k: v for k, v in {"weight": [[1]], "bias": [0]}.items() if k != key}
    path = write_json(tmp_path, {"layers": [GOOD_LAYER, layer]})
    refused(path, InputFormatError, "bad.json", "layer 1", f'missing key "{key}"')


def test_json_unknown_keys(tmp_path: Path) -> None:
    refused(write_json(tmp_path, {"layers": [GOOD_LAYER], "output_Relu": True}), InputFormatError, "output_Relu")
    refused(
        write_json(tmp_path, {"layers": [{"weight": [[1]], "bias": [0], "weights": [[2]]}]}),
        InputFormatError,
        "layer 0",
        "weights",
    )


def test_json_empty_layers(tmp_path: Path) -> None:
    refused(write_json(tmp_path, {"layers": []}), ShapeError, "bad.json", '"layers" is empty')


@pytest.mark.parametrize("weight", [[], [[]]])
def test_json_empty_weight(tmp_path: Path, weight: list[object]) -> None:
    refused(write_json(tmp_path, {"layers": [{"weight": weight, "bias": []}]}), ShapeError, "layer 0", "empty weight")


@pytest.mark.parametrize(
    ("weight", "fragments"),
    [
        ("abc", ("layer 0 weight must be a list of rows", '"abc"')),
        (["abc", "def"], ("layer 0 weight must be a list of rows", '["abc", "def"]')),
        ([[1, None]], ("layer 0 weight[0][1]", "got null")),
        ([[True]], ("layer 0 weight[0][0]", "got a boolean true")),
        ([[[1]]], ("layer 0 weight[0][0]", "got a list [1]")),
        ([[{"v": 1}]], ("layer 0 weight[0][0]", "got an object")),
        ([["1.2.3"]], ("layer 0 weight[0][0]", "'1.2.3'", "not a rational")),
        ([["3/0"]], ("layer 0 weight[0][0]", "'3/0'", "divides by zero")),
        ([["12abc"]], ("layer 0 weight[0][0]", "'12abc'")),
    ],
)
def test_json_wrong_types(tmp_path: Path, weight: object, fragments: tuple[str, ...]) -> None:
    refused(write_json(tmp_path, {"layers": [{"weight": weight, "bias": [0]}]}), InputFormatError, "bad.json", *fragments)


def test_json_wrong_top_level_and_flag_types(tmp_path: Path) -> None:
    refused(write_json(tmp_path, [GOOD_LAYER]), InputFormatError, "top level must be an object")
    refused(write_json(tmp_path, {"layers": GOOD_LAYER}), InputFormatError, '"layers" must be a list')
    refused(write_json(tmp_path, {"layers": [[1, 2]]}), InputFormatError, "layer 0 must be an object")
    refused(write_json(tmp_path, {"layers": [{"weight": [[1]], "bias": 0}]}), InputFormatError, "layer 0 bias must be a list")
    refused(write_json(tmp_path, {"layers": [GOOD_LAYER], "output_relu": "yes"}), InputFormatError, '"output_relu"', '"yes"')


def test_json_bias_length_mismatch_names_layer_and_shapes(tmp_path: Path) -> None:
    path = write_json(tmp_path, {"layers": [{"weight": [[1, 2], [3, 4], [5, 6]], "bias": [0, 0]}]})
    refused(path, ShapeError, "bad.json", "layer 0", "3x2", "bias has 2 entries")


def test_json_layer_chain_mismatch_names_both_shapes(tmp_path: Path) -> None:
    path = write_json(
        tmp_path,
        {"layers": [{"weight": [[1, 2], [3, 4]], "bias": [0, 0]}, {"weight": [[1, 2, 3]], "bias": [0]}]},
    )
    refused(path, ShapeError, "bad.json", "layer 1 weight is 1x3", "layer 0 outputs 2 values (2x2)")


def test_json_ragged_rows(tmp_path: Path) -> None:
    path = write_json(tmp_path, {"layers": [{"weight": [[1, 2], [3]], "bias": [0, 0]}]})
    refused(path, ShapeError, "layer 0 weight row 1 has 1 entries, expected 2")


# --------------------------------------------------------------------------- npz
def write_npz(tmp_path: Path, **arrays: np.ndarray) -> Path:
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_npz_nonfinite_weight(tmp_path: Path, value: float) -> None:
    w1 = np.ones((2, 3), dtype=np.float32)
    w1[1, 2] = value
    path = write_npz(tmp_path, W0=np.ones((3, 2)), b0=np.zeros(3), W1=w1, b1=np.zeros(2))
    refused(path, NonFiniteError, "bad.npz", "layer 1 weight[1][2]", str(np.float32(value)))


def test_npz_nonfinite_bias(tmp_path: Path) -> None:
    path = write_npz(tmp_path, W0=np.ones((2, 2)), b0=np.array([0.0, np.nan]))
    refused(path, NonFiniteError, "bad.npz", "layer 0 bias[1]")


def test_npz_inconsistent_shapes(tmp_path: Path) -> None:
    path = write_npz(tmp_path, W0=np.ones((3, 2)), b0=np.zeros(3), W1=np.ones((1, 4)), b1=np.zeros(1))
    refused(path, ShapeError, "bad.npz", "layer 1 weight is 1x4", "layer 0 outputs 3 values (3x2)")
    path = write_npz(tmp_path, W0=np.ones(3), b0=np.zeros(3))
    refused(path, ShapeError, "layer 0", "2-D", "(3,)")
    path = write_npz(tmp_path, W0=np.ones((3, 2)), b0=np.zeros(4))
    refused(path, ShapeError, "layer 0 weight is 3x2 but bias has 4 entries")


def test_npz_missing_and_unexpected_arrays(tmp_path: Path) -> None:
    refused(write_npz(tmp_path, W0=np.ones((1, 1)), b0=np.zeros(1), W1=np.ones((1, 1))), InputFormatError, "missing bias", "b1")
    refused(write_npz(tmp_path, W0=np.ones((1, 1)), b0=np.zeros(1), W2=np.ones((1, 1)), b2=np.zeros(1)), InputFormatError, "W1")
    refused(write_npz(tmp_path, W0=np.ones((1, 1)), b0=np.zeros(1), weights=np.ones(1)), InputFormatError, "weights")
    refused(write_npz(tmp_path, other=np.ones(1)), InputFormatError, "other")
    refused(write_npz(tmp_path, W0=np.ones((1, 1)), b0=np.zeros(1), output_relu=np.array(2)), InputFormatError, "output_relu")


def test_npz_wrong_dtype(tmp_path: Path) -> None:
    refused(write_npz(tmp_path, W0=np.array([["a"]]).astype("S1"), b0=np.zeros(1)), InputFormatError, "layer 0 weight", "dtype")
    refused(write_npz(tmp_path, W0=np.ones((1, 1), dtype=complex), b0=np.zeros(1)), InputFormatError, "complex")


def test_npz_garbage_and_plain_npy(tmp_path: Path) -> None:
    path = tmp_path / "garbage.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    refused(path, InputFormatError, "garbage.npz", "not a readable .npz")
    single = tmp_path / "single.npz"
    with single.open("wb") as handle:
        np.save(handle, np.ones(3))
    refused(single, InputFormatError, "single.npz", "single array")


def test_from_numpy_errors() -> None:
    with pytest.raises(ShapeError, match="2 weight matrices but 1 bias"):
        from_numpy([np.ones((1, 1)), np.ones((1, 1))], [np.zeros(1)])
    with pytest.raises(ShapeError, match="no layers"):
        from_numpy([], [])
    with pytest.raises(NonFiniteError, match=r"layer 0 weight\[0\]\[1\]"):
        from_numpy([np.array([[1.0, np.nan]])], [np.zeros(1)])
    with pytest.raises(ShapeError, match=r"layer 1 weight is 1x3 but layer 0 outputs 2 values \(2x2\)"):
        from_numpy([np.ones((2, 2)), np.ones((1, 3))], [np.zeros(2), np.zeros(1)])
    with pytest.raises(InputFormatError, match="output_relu"):
        from_numpy([np.ones((1, 1))], [np.zeros(1)], output_relu="no")  # type: ignore[arg-type]
    with pytest.raises(InputFormatError, match=r"layer 0 weight\[0\]\[0\]: 'w1'"):
        from_numpy([np.array([["w1"]])], [np.zeros(1)])


# -------------------------------------------------------------------------- ONNX
def save_model(tmp_path: Path, nodes: list[onnx.NodeProto], inits: list[np.ndarray | TensorProto], inputs: dict[str, list[int]], name: str = "bad.onnx") -> Path:
    tensors = [t if isinstance(t, TensorProto) else numpy_helper.from_array(t[1], t[0]) for t in inits]  # type: ignore[index]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info(k, TensorProto.FLOAT, v) for k, v in inputs.items()],
        [helper.make_tensor_value_info(nodes[-1].output[0], TensorProto.FLOAT, None)],
        tensors,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    path = tmp_path / name
    onnx.save(model, str(path))
    return path


def W(name: str, array: object) -> tuple[str, np.ndarray]:
    return (name, np.asarray(array, dtype=np.float32))


@pytest.mark.parametrize("op", ["Sigmoid", "Tanh", "Softmax"])
def test_onnx_unsupported_activation(tmp_path: Path, op: str) -> None:
    nodes = [helper.make_node("MatMul", ["x", "W"], ["m"], name="dense"), helper.make_node(op, ["m"], ["y"], name="act_7")]
    path = save_model(tmp_path, nodes, [W("W", [[1.0]])], {"x": [1, 1]})
    refused(path, UnsupportedOperatorError, "bad.onnx", op, "'act_7'", "supported: Gemm, MatMul")


def test_onnx_unsupported_conv(tmp_path: Path) -> None:
    nodes = [helper.make_node("Conv", ["x", "K"], ["y"], name="conv1")]
    path = save_model(tmp_path, nodes, [W("K", np.ones((1, 1, 3, 3)))], {"x": [1, 1, 5, 5]})
    refused(path, UnsupportedOperatorError, "Conv", "'conv1'")


def test_onnx_unsupported_unnamed_node_is_described_by_output(tmp_path: Path) -> None:
    nodes = [helper.make_node("MatMul", ["x", "W"], ["m"]), helper.make_node("Sigmoid", ["m"], ["sig_out"])]
    path = save_model(tmp_path, nodes, [W("W", [[1.0]])], {"x": [1, 1]})
    refused(path, UnsupportedOperatorError, "Sigmoid", "#1", "'sig_out'")


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_onnx_nonfinite_initializer(tmp_path: Path, value: float) -> None:
    b = np.zeros(3, dtype=np.float32)
    b[2] = value
    nodes = [
        helper.make_node("MatMul", ["x", "W0"], ["m0"], name="mm0"),
        helper.make_node("Relu", ["m0"], ["r0"], name="relu0"),
        helper.make_node("MatMul", ["r0", "W1"], ["m1"], name="mm1"),
        helper.make_node("Add", ["m1", "b1"], ["y"], name="add1"),
    ]
    path = save_model(tmp_path, nodes, [W("W0", np.ones((2, 2))), W("W1", np.ones((2, 3))), W("b1", b)], {"x": [1, 2]})
    refused(path, NonFiniteError, "bad.onnx", "layer 1", "'add1'", "'b1'", "[2]")


def test_onnx_nonfinite_gemm_alpha(tmp_path: Path) -> None:
    nodes = [helper.make_node("Gemm", ["x", "W"], ["y"], name="g", alpha=float("nan"))]
    refused(save_model(tmp_path, nodes, [W("W", [[1.0]])], {"x": [1, 1]}), NonFiniteError, "'g'", "alpha")


def test_onnx_shape_mismatch(tmp_path: Path) -> None:
    nodes = [helper.make_node("MatMul", ["x", "W"], ["y"], name="mm")]
    path = save_model(tmp_path, nodes, [W("W", np.ones((3, 2)))], {"x": [1, 2]})
    refused(path, ShapeError, "bad.onnx", "'mm'", "(1, 2)", "(3, 2)")
    nodes = [helper.make_node("MatMul", ["x", "W"], ["m"], name="mm"), helper.make_node("Add", ["m", "b"], ["y"], name="bias")]
    path = save_model(tmp_path, nodes, [W("W", np.ones((2, 3))), W("b", np.zeros(4))], {"x": [1, 2]})
    refused(path, ShapeError, "'bias'", "(1, 3)", "(4,)")


def test_onnx_relu_without_affine_before_it(tmp_path: Path) -> None:
    nodes = [helper.make_node("Relu", ["x"], ["r"], name="first"), helper.make_node("MatMul", ["r", "W"], ["y"], name="mm")]
    path = save_model(tmp_path, nodes, [W("W", [[1.0]])], {"x": [1, 1]})
    refused(path, UnsupportedOperatorError, "'first'", "network input", "no affine operator")
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"], name="mm"),
        helper.make_node("Relu", ["m"], ["r"], name="relu_a"),
        helper.make_node("Relu", ["r"], ["y"], name="relu_b"),
    ]
    path = save_model(tmp_path, nodes, [W("W", [[1.0]])], {"x": [1, 1]})
    refused(path, UnsupportedOperatorError, "'relu_b'", "another Relu")


def test_onnx_branching_graph(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"], name="mm"),
        helper.make_node("Relu", ["m"], ["r"], name="relu"),
        helper.make_node("Add", ["m", "r"], ["y"], name="skip"),
    ]
    path = save_model(tmp_path, nodes, [W("W", [[1.0]])], {"x": [1, 1]})
    refused(path, UnsupportedOperatorError, "'m'", "branching")


def test_onnx_two_real_inputs(tmp_path: Path) -> None:
    nodes = [helper.make_node("MatMul", ["x", "z"], ["y"], name="mm")]
    path = save_model(tmp_path, nodes, [], {"x": [1, 1], "z": [1, 1]})
    refused(path, InputFormatError, "exactly one input", "'x'", "'z'")


def test_onnx_no_affine_operator(tmp_path: Path) -> None:
    path = save_model(tmp_path, [helper.make_node("Identity", ["x"], ["y"], name="id")], [], {"x": [1, 2]})
    refused(path, UnsupportedOperatorError, "no affine operator")


def test_onnx_garbage_file(tmp_path: Path) -> None:
    path = tmp_path / "garbage.onnx"
    path.write_bytes(b"\x00\x01 this is not protobuf \xff\xfe")
    refused(path, InputFormatError, "garbage.onnx", "not a readable ONNX model")


def test_onnx_missing_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nodes = [helper.make_node("MatMul", ["x", "W"], ["y"], name="mm")]
    path = save_model(tmp_path, nodes, [W("W", [[1.0]])], {"x": [1, 1]})
    monkeypatch.setitem(sys.modules, "onnx", None)
    refused(path, MissingDependencyError, "pip install symrelu[onnx]")


def test_shared_nets_are_not_modified_by_loading(shared_nets: Path) -> None:
    for path in sorted(shared_nets.glob("*.onnx")):
        before = path.read_bytes()
        load_network(path)
        load_network(path, policy="decimal")
        assert path.read_bytes() == before
