"""Fragile nets: float32 weights, answers from hand algebra, margins below float tolerances or zero.

``python tests/fragile_nets.py`` rewrites the fragile nets in ``symrelu/examples/nets`` (committed; the tests check the files
equal what this module writes). Each case: (name, weights, biases, box, output constraint, expected answer,
why). Networks are 1-input ReLU nets ``y = W2 relu(W1 x + b1) + b2``; every weight is exactly a float32.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import numpy as np

FOLDER = Path(__file__).resolve().parent.parent / "symrelu" / "examples" / "nets"
BIG = 16777216.0  # 2**24, a float32
TINY = 2.0**-40


def _decimal(value: Fraction) -> str:
    """The exact decimal of a dyadic rational (VNN-LIB numbers are read exactly)."""
    den = value.denominator
    digits = den.bit_length() - 1
    if den != 1 << digits:
        raise ValueError(f"{value} is not dyadic")
    scaled = abs(value.numerator) * 5**digits
    text = str(scaled).rjust(digits + 1, "0")
    body = f"{text[:-digits]}.{text[-digits:]}" if digits else text
    return ("-" if value < 0 else "") + body


def _threshold(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    if value.denominator & (value.denominator - 1) == 0:
        return _decimal(value)
    return f"0.{'0' * 12}1" if value == Fraction(1, 10**13) else str(float(value))


# name: (W1, b1, W2, b2, (lo, hi), (op, threshold), expected, why)
CASES: dict[str, tuple] = {
    "peak_equal_sat": ([[1.0], [2.0]], [0.0, -1.0], [[BIG, -BIG]], [0.0], ("0", "1"), (">=", Fraction(2**23)), "sat",
                       "y = 2^24 relu(x) - 2^24 relu(2x - 1) peaks at x = 1/2 with y = 2^23 exactly: max equals the threshold"),
    "peak_strict_unsat": ([[1.0], [2.0]], [0.0, -1.0], [[BIG, -BIG]], [0.0], ("0", "1"), (">", Fraction(2**23)), "unsat",
                          "same net, y > 2^23 is impossible: margin exactly zero"),
    "tiny_above_unsat": ([[1.0], [1.0]], [0.0, -TINY], [[1.0, -1.0]], [0.0], ("0", "1"), (">=", Fraction(2**-40) + Fraction(2**-90)),
                         "unsat", "y = relu(x) - relu(x - 2^-40) <= 2^-40; threshold 2^-40 + 2^-90 (margin ~8e-28)"),
    "tiny_below_sat": ([[1.0], [1.0]], [0.0, -TINY], [[1.0, -1.0]], [0.0], ("0", "1"), (">=", Fraction(2**-40) - Fraction(2**-90)),
                       "sat", "same net, threshold 2^-40 - 2^-90: every x >= 2^-40 is a counterexample"),
    "box_edge_sat": ([[1.0]], [0.0], [[1.0]], [0.0], ("0", "0.0000000000001"), (">=", Fraction(1, 10**13)), "sat",
                     "y = relu(x) on [0, 1e-13]; y >= 1e-13 only at the box corner x = 1e-13"),
    "box_edge_unsat": ([[1.0]], [0.0], [[1.0]], [0.0], ("0", "0.0000000000001"), (">", Fraction(1, 10**13)), "unsat",
                       "same net, y > 1e-13: margin exactly zero at the corner"),
}


def write_case(name: str, folder: Path = FOLDER) -> tuple[Path, Path]:
    from onnx import TensorProto, helper, numpy_helper

    w1, b1, w2, b2, (lo, hi), (op, threshold), _, why = CASES[name]
    arrays = {"W1": np.array(w1, dtype=np.float32).T, "b1": np.array(b1, dtype=np.float32),
              "W2": np.array(w2, dtype=np.float32).T, "b2": np.array(b2, dtype=np.float32)}
    nodes = [helper.make_node("MatMul", ["x", "W1"], ["m1"]), helper.make_node("Add", ["m1", "b1"], ["z1"]),
             helper.make_node("Relu", ["z1"], ["h"]), helper.make_node("MatMul", ["h", "W2"], ["m2"]),
             helper.make_node("Add", ["m2", "b2"], ["y"])]
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1])],
                              [numpy_helper.from_array(v, k) for k, v in arrays.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="symrelu tests/fragile_nets.py")
    model.ir_version = 8
    folder.mkdir(parents=True, exist_ok=True)
    net_path, prop_path = folder / f"{name}.onnx", folder / f"{name}.vnnlib"
    net_path.write_bytes(model.SerializeToString())
    text = (f"; {why}\n(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (>= X_0 {lo}))\n(assert (<= X_0 {hi}))\n"
            f"(assert ({op} Y_0 {_threshold(threshold)}))\n")
    prop_path.write_text(text)
    return net_path, prop_path


if __name__ == "__main__":
    for case in CASES:
        print(*write_case(case), file=sys.stdout)
