"""A non-ReLU network through every command: a correct answer, or one line on stderr and exit 2.

Commands whose stages handle only ReLU must refuse (``require_relu``), never treat a LeakyReLU
network as a ReLU one. Where a command answers, the answer is checked against an independent one.
"""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pytest

from symrelu.activation import leaky_relu
from symrelu.cli.main import main
from symrelu.loaders import load_network

ALPHA = "1/10"
LEAKY = {
    "layers": [
        {"weight": [["1", "1/2"], ["-1", "1"], ["1/2", "-1"]], "bias": ["0", "1/4", "-1/4"], "activation": {"type": "leaky_relu", "alpha": ALPHA}},
        {"weight": [["1", "-1", "1/2"]], "bias": ["1/8"]},
    ]
}
PROBLEM = {
    "network": {
        "layers": [
            {"weight": [["w1"], ["w2"]], "bias": ["0", "0"], "activation": {"type": "leaky_relu", "alpha": ALPHA}},
            {"weight": [["1", "1"]], "bias": ["0"]},
        ]
    },
    "data": [{"x": ["1"], "y": ["1"]}],
    "loss": "squared",
    "domain": {"w1": ["-1", "1"], "w2": ["-1", "1"]},
}
PROPERTY = """(declare-const X_0 Real)
(declare-const X_1 Real)
(declare-const Y_0 Real)
(assert (>= X_0 -1))
(assert (<= X_0 1))
(assert (>= X_1 -1))
(assert (<= X_1 1))
(assert (>= Y_0 THRESHOLD))
"""


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, str]:
    paths = {"net": tmp_path / "leaky.json", "problem": tmp_path / "problem.json", "prop": tmp_path / "p.vnnlib", "above": tmp_path / "above.vnnlib"}
    paths["net"].write_text(json.dumps(LEAKY))
    paths["problem"].write_text(json.dumps(PROBLEM))
    clip_problem = json.loads(json.dumps(PROBLEM))
    clip_problem["network"]["layers"][0]["activation"] = {"type": "clip", "min": "0", "max": "6"}
    paths["clip_problem"] = tmp_path / "clip_problem.json"
    paths["clip_problem"].write_text(json.dumps(clip_problem))
    paths["prop"].write_text(PROPERTY.replace("THRESHOLD", "1.475"))  # the maximum, 59/40
    paths["above"].write_text(PROPERTY.replace("THRESHOLD", "1.4751"))
    return {k: str(v) for k, v in paths.items()}


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _refused(code: int, out: str, err: str) -> None:
    assert code == 2, (code, out, err)
    assert out == "" and err.count("\n") == 1 and ("leaky_relu" in err or "activation" in err or "clip" in err), err
    assert "Traceback" not in err


REFUSING = {  # parameter space handles one-breakpoint activations only (tests/test_params_activations.py)
    "landscape clip": ["landscape", "{clip_problem}"],
}
ANSWERING = {  # the parameter-space tools and verify consume Activation (tests/test_params_activations.py)
    "verify": ["verify", "{net}", "--box", "-1:1,-1:1"],
    "verify problem": ["verify", "{problem}", "--checks", "no_global_gradient_lipschitz"],
    "landscape": ["landscape", "{problem}"],
    "train": ["train", "{problem}", "--init", "w1=1/2,w2=-1/2", "--lr", "1/10", "--steps", "2"],
}


@pytest.mark.parametrize("name", list(ANSWERING))
def test_parameter_space_commands_answer_on_a_leaky_problem(capsys, files, name):
    code, out, err = _run(capsys, [part.format(**files) for part in ANSWERING[name]])
    assert code == 0 and err == "", err
    assert "PROVED" in out if name.startswith("verify") else out


@pytest.mark.parametrize("name", list(REFUSING))
def test_commands_that_handle_only_relu_refuse_in_one_line(capsys, files, name):
    _refused(*_run(capsys, [part.format(**files) for part in REFUSING[name]]))


def test_inspect_names_the_activation_and_its_closed_form_is_exact(capsys, files):
    code, out, _ = _run(capsys, ["inspect", files["net"], "--json"])
    assert code == 0
    data = json.loads(out)
    assert data["layers"][0]["activation"] == f"leaky_relu(alpha={ALPHA})"
    import sympy

    net = load_network(files["net"])
    x0, x1 = sympy.symbols("x0 x1", real=True)
    form = sympy.sympify(data["closed_form"][0], locals={"x0": x0, "x1": x1})
    for point in ((F(1, 3), F(-1, 2)), (F(-1), F(1)), (F(0), F(0)), (F(1, 4), F(0))):
        assert sympy.Rational(net.evaluate(point)[0]) == form.subs({x0: point[0], x1: point[1]})
    assert net.activations[0][0] == leaky_relu(F(1, 10))


def test_regions_command_on_a_leaky_net_is_exact(capsys, files):
    code, out, _ = _run(capsys, ["regions", files["net"], "--box", "-1:1,-1:1", "--json"])
    assert code == 0
    data = json.loads(out)
    net = load_network(files["net"])
    assert F(data["total_measure"]) == 4
    from symrelu.network import parse_pattern

    for region in data["regions"]:
        point = [F(v) for v in region["interior_point"]]
        assert net.pattern(point) == parse_pattern(region["pattern"])
        jac, off = [[F(v) for v in row] for row in region["jacobian"]], [F(v) for v in region["offset"]]
        assert net.evaluate(point) == tuple(sum((a * x for a, x in zip(row, point)), F(0)) + c for row, c in zip(jac, off))
    # 3 first-layer lines (leaky keeps them) in general position: 7 cells, none cut further
    assert data["count"] == 7


def test_clarke_command_on_a_leaky_kink(capsys, files):
    code, out, _ = _run(capsys, ["clarke", files["net"], "--at", "0,0", "--json"])
    assert code == 0
    data = json.loads(out)
    # by hand: z = (0, 1/4, -1/4); grad = s0 (1, 1/2) - (-1, 1) + 1/2 * 1/10 * (1/2, -1) with s0 in [1/10, 1]
    assert sorted(data["vertices"]) == sorted([[["9/8", "-1"]], [["81/40", "-11/20"]]])
    assert data["kinks"] == [{"layer": 0, "neuron": 0, "activation": "leaky_relu(alpha=1/10)", "breakpoint": "0", "derivative": ["1/10", "1"]}]
    assert data["backprop"] == [["9/8", "-1"]] and data["backprop_in_clarke"]


def test_lipschitz_command_on_a_leaky_net_replays_its_witness(capsys, files):
    code, out, _ = _run(capsys, ["lipschitz", files["net"], "--box", "-1:1,-1:1", "--json"])
    assert code == 0
    data = json.loads(out)
    net = load_network(files["net"])
    x, y = ([F(v) for v in data["witness"][k]] for k in ("x", "x_prime"))
    squared = (net.evaluate(x)[0] - net.evaluate(y)[0]) ** 2 / sum((a - b) ** 2 for a, b in zip(x, y))
    assert squared == F(data["constant_squared"]) == F(81, 40) ** 2 + F(11, 20) ** 2  # the steepest of the 7 regions


def _extremes(net):
    from symrelu.regions import enumerate_regions

    values = [net.evaluate(v)[0] for r in enumerate_regions(net, [(-1, 1), (-1, 1)]) for v in r.vertices]
    return min(values), max(values)


def test_bounds_command_on_a_leaky_net_gives_the_exact_extremes(capsys, files):
    code, out, _ = _run(capsys, ["bounds", files["net"], "--box", "-1:1,-1:1", "--json"])
    assert code == 0
    (bound,) = json.loads(out)["outputs"]
    net = load_network(files["net"])
    assert (F(bound["min"]), F(bound["max"])) == _extremes(net) == (F(-181, 80), F(59, 40))
    assert net.evaluate([F(v) for v in bound["argmax"]])[0] == F(bound["max"])


def test_check_command_on_a_leaky_net_sat_at_the_maximum_unsat_above(capsys, files):
    code, out, _ = _run(capsys, ["check", files["net"], files["prop"], "--json"])
    data = json.loads(out)
    assert code == 0 and data["result"] == "sat"
    net = load_network(files["net"])
    witness = [F(data["counterexample"][f"X_{i}"]) for i in range(2)]
    assert net.evaluate(witness)[0] == F(data["counterexample"]["Y_0"]) >= F(59, 40)
    code, out, _ = _run(capsys, ["check", files["net"], files["above"], "--json"])
    assert json.loads(out)["result"] == "unsat"
