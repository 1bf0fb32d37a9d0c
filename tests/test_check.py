"""symrelu check: hand algebra, Z3 on a direct encoding, Marabou and onnxruntime on the bundled nets, fragile nets."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import fragile_nets
import numpy as np
import onnxruntime
import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.check import check_property, load_vnnlib, parse_vnnlib
from symrelu.check.search import BoxTask, search_box
from symrelu.errors import InputFormatError, ShapeError
from symrelu.loaders import load_network
from symrelu.network import Network
from symrelu.verify.encodings.network_encoding import encode_network

ABS = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])  # |x|
ONE_INPUT = "(declare-const X_0 Real)(declare-const Y_0 Real)(assert (>= X_0 -1))(assert (<= X_0 0.5))"


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("(>= Y_0 1)", "sat"),  # |x| = 1 only at x = -1: a box corner, zero margin
        ("(> Y_0 1)", "unsat"),
        ("(<= Y_0 0)", "sat"),  # only at x = 0
        ("(< Y_0 0)", "unsat"),
        ("(or (and (> Y_0 1)) (and (<= Y_0 0.25) (>= Y_0 0.25)))", "sat"),  # second disjunct: |x| = 1/4
        ("(and (>= Y_0 0.5) (<= Y_0 0.4))", "unsat"),
    ],
)
def test_hand_algebra_on_abs(constraint: str, expected: str) -> None:
    result = check_property(ABS, parse_vnnlib(ONE_INPUT + f"(assert {constraint})"))
    assert result.result == expected
    if expected == "sat":
        assert result.inputs is not None and -1 <= result.inputs[0] <= Fraction(1, 2)
        assert result.outputs == (abs(result.inputs[0]),)  # hand algebra: the net is |x|


def _z3_answer(net: Network, lo: Fraction, hi: Fraction, threshold: Fraction) -> str:
    xs = [z3.Real(f"x{i}") for i in range(net.input_dim)]
    constraints, outputs = encode_network(net, xs, "n")
    solver = z3.Solver()
    solver.add(constraints)
    solver.add(*[z3.And(x >= z3.RealVal(str(lo)), x <= z3.RealVal(str(hi))) for x in xs])
    solver.add(outputs[0] - outputs[1] >= z3.RealVal(str(threshold)))
    return str(solver.check())


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from([Fraction(0), Fraction(1, 2), Fraction(2)]))
def test_agrees_with_z3_on_a_direct_encoding(seed: int, threshold: Fraction) -> None:
    rng = np.random.default_rng(seed)
    weights = [rng.integers(-3, 4, size=(4, 2)), rng.integers(-3, 4, size=(3, 4)), rng.integers(-3, 4, size=(2, 3))]
    biases = [rng.integers(-2, 3, size=4), rng.integers(-2, 3, size=3), rng.integers(-2, 3, size=2)]
    net = Network.from_rows([(w.tolist(), b.tolist()) for w, b in zip(weights, biases, strict=True)])
    text = ("(declare-const X_0 Real)(declare-const X_1 Real)(declare-const Y_0 Real)(declare-const Y_1 Real)"
            "(assert (>= X_0 -1))(assert (<= X_0 1))(assert (>= X_1 -1))(assert (<= X_1 1))"
            f"(assert (>= (- Y_0 Y_1) {float(threshold)}))")
    result = check_property(net, parse_vnnlib(text))
    assert result.result == _z3_answer(net, Fraction(-1), Fraction(1), threshold)
    if result.result == "sat":
        assert result.outputs is not None and result.outputs[0] - result.outputs[1] >= threshold


@pytest.fixture(scope="module")
def acas(shared_nets: Path) -> dict[str, object]:
    """The two ACAS Xu decisions, each run once for every test that needs it."""
    prop = load_vnnlib(shared_nets / "test_prop.vnnlib")
    return {name: (load_network(shared_nets / f"{name}.onnx"), check_property(load_network(shared_nets / f"{name}.onnx"), prop))
            for name in ("test_sat", "test_unsat")} | {"prop": prop}


def _marabou(net_path: Path, prop_path: Path) -> tuple[str, dict | None]:
    from maraboupy import Marabou

    network = Marabou.read_onnx(str(net_path))
    answer, values, _ = network.solve(propertyFilename=str(prop_path), verbose=False, options=Marabou.createOptions(verbosity=0))
    return answer, values


def test_acas_sat_witness_replays_and_marabou_agrees(acas: dict, shared_nets: Path) -> None:
    net, result = acas["test_sat"]
    assert result.result == "sat"
    x, y = result.inputs, result.outputs
    assert acas["prop"].holds(x, y) == 0 and net.evaluate(x) == y
    session = onnxruntime.InferenceSession(str(shared_nets / "test_sat.onnx"))
    theirs = session.run(None, {"input": np.array([float(v) for v in x], dtype=np.float32).reshape(1, 1, 1, 5)})[0].reshape(-1)
    assert np.allclose([float(v) for v in y], theirs, rtol=1e-4, atol=1e-6)
    answer, _ = _marabou(shared_nets / "test_sat.onnx", shared_nets / "test_prop.vnnlib")
    assert answer == "sat"


def test_acas_unsat_matches_marabou(acas: dict, shared_nets: Path) -> None:
    _, result = acas["test_unsat"]
    assert result.result == "unsat" and result.stats["certificates"] > 0
    answer, _ = _marabou(shared_nets / "test_unsat.onnx", shared_nets / "test_prop.vnnlib")
    assert answer == "unsat"


@pytest.mark.parametrize("name", sorted(fragile_nets.CASES))
def test_fragile_nets(name: str, tmp_path: Path) -> None:
    expected = fragile_nets.CASES[name][6]
    net_path, prop_path = fragile_nets.write_case(name, tmp_path)
    committed = fragile_nets.FOLDER
    assert (committed / net_path.name).read_bytes() == net_path.read_bytes()
    assert (committed / prop_path.name).read_text() == prop_path.read_text()
    prop = load_vnnlib(committed / prop_path.name)
    result = check_property(load_network(committed / net_path.name), prop)
    assert result.result == expected
    if expected == "sat":
        assert prop.holds(result.inputs, result.outputs) == 0


@pytest.mark.parametrize(("name", "expected"), [("test_small", "unsat"), ("test_nano", "unsat")])
def test_small_vnncomp_instances_match_marabou(shared_nets: Path, name: str, expected: str) -> None:
    result = check_property(load_network(shared_nets / f"{name}.onnx"), load_vnnlib(shared_nets / f"{name}.vnnlib"))
    assert result.result == expected
    assert _marabou(shared_nets / f"{name}.onnx", shared_nets / f"{name}.vnnlib")[0] == expected


def test_node_budget_gives_unknown_with_progress(acas: dict, shared_nets: Path) -> None:
    net, _ = acas["test_unsat"]
    text = (shared_nets / "test_prop.vnnlib").read_text(encoding="utf-8")
    # widen X_0 to [-0.32, -0.27]: the root box is no longer closed by one certificate (15 boxes are needed)
    text = text.replace("-0.30353115613746867", "-0.32").replace("-0.29855281193475053", "-0.27")
    result = check_property(net, parse_vnnlib(text), max_nodes=5)
    assert result.result == "unknown" and "node budget" in result.reason and result.stats["nodes"] >= 5


def test_bad_arguments() -> None:
    prop = parse_vnnlib(ONE_INPUT + "(assert (>= Y_0 1))")
    with pytest.raises(InputFormatError, match="timeout"):
        check_property(ABS, prop, timeout=-1)
    with pytest.raises(InputFormatError, match="node budget"):
        check_property(ABS, prop, max_nodes=0)
    with pytest.raises(ShapeError, match="X_1 is declared"):
        check_property(ABS, parse_vnnlib(ONE_INPUT.replace("(declare-const Y_0", "(declare-const X_1 Real)(declare-const Y_0")
                                         + "(assert (>= X_1 0))(assert (<= X_1 1))(assert (>= Y_0 1))"))


def test_search_box_is_module_level_and_exact() -> None:
    row = ((Fraction(-1),), Fraction(1), True)  # |x| > 1
    outcome = search_box(BoxTask(ABS, (row,), ((Fraction(0),),), ((Fraction(-1), Fraction(1)),), 100))
    assert outcome.status == "unsat" and outcome.tree is not None
