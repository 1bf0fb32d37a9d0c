"""The command line: real output, JSON schemas, exit codes, and one-line errors on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import pytest

from symrelu.cli.main import main

NET = {
    "layers": [
        {"weight": [["1", "1/2"], ["-1", "1"], ["1/2", "-1"], ["0", "1"]], "bias": ["0", "1/4", "-1/4", "-1/2"]},
        {"weight": [["1", "-1", "1", "1/2"], ["-1", "1/2", "1", "-1"]], "bias": ["0", "1/4"]},
        {"weight": [["1", "-2"]], "bias": ["1/8"]},
    ]
}


@pytest.fixture()
def net_file(tmp_path: Path) -> Path:
    path = tmp_path / "net.json"
    path.write_text(json.dumps(NET))
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_regions_json_schema_and_exact_total(capsys, net_file: Path) -> None:
    code, out, _ = run_cli(capsys, "regions", str(net_file), "--box", "-1:1,-1:1", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["count"] == len(data["regions"]) == 17
    assert data["total_measure"] == "4"
    assert sum(F(r["measure"]) for r in data["regions"]) == 4
    first = data["regions"][0]
    assert set(first) >= {"pattern", "jacobian", "offset", "interior_point", "vertices", "measure"}
    assert [r["pattern"] for r in data["regions"]] == sorted(r["pattern"] for r in data["regions"])


def test_regions_plot_and_max_regions(capsys, net_file: Path, tmp_path: Path) -> None:
    picture = tmp_path / "partition.png"
    code, out, _ = run_cli(capsys, "regions", str(net_file), "--box", "-1:1,-1:1", "--plot", str(picture))
    assert code == 0 and picture.stat().st_size > 10_000
    assert out.splitlines()[0].startswith("17 activation regions")
    code, out, err = run_cli(capsys, "regions", str(net_file), "--box", "-1:1,-1:1", "--max-regions", "5")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "more than 5 regions" in err


def test_clarke_json_and_backprop_outside(capsys, net_file: Path) -> None:
    code, out, _ = run_cli(capsys, "clarke", str(net_file), "--at", "1/4,1/2", "--relu-grad-at-zero", "1", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["vertices"] == [[["0", "0"]], [["2", "-1/2"]], [["3", "2"]], [["5", "-1/2"]]]
    assert data["backprop"] == [["5", "2"]]
    assert data["backprop_in_clarke"] is False


def test_lipschitz_json(capsys, net_file: Path) -> None:
    code, out, _ = run_cli(capsys, "lipschitz", str(net_file), "--box", "-1:1,-1:1", "--norm", "2", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["constant_squared"] == "101/4" and data["constant"] == "sqrt(101)/2"
    assert data["witness"]["quotient_squared"] == "101/4"
    code, out, _ = run_cli(capsys, "lipschitz", str(net_file), "--box", "-1:1,-1:1", "--norm", "inf", "--json")
    assert json.loads(out)["constant"] == "11/2"


def test_inspect_text_and_json(capsys, net_file: Path) -> None:
    code, out, _ = run_cli(capsys, "inspect", str(net_file), "--json")
    data = json.loads(out)
    assert code == 0 and data["widths"] == [2, 4, 2, 1] and data["parameter_count"] == 25
    assert data["closed_form"][0].startswith("-2*Max(0,") or "Max(0," in data["closed_form"][0]
    code, out, _ = run_cli(capsys, "inspect", str(net_file))
    assert "widths     2 -> 4 -> 2 -> 1" in out


BAD_CASES = [
    ("malformed json", "{\"layers\": [", ["regions", "{file}", "--box", "-1:1,-1:1"], "net.json"),
    ("nan weight", json.dumps({"layers": [{"weight": [["nan", "1"]], "bias": ["0"]}]}), ["inspect", "{file}"], "not finite"),
    ("inconsistent shapes", json.dumps({"layers": [{"weight": [["1", "1"]], "bias": ["0"]}, {"weight": [["1", "1"]], "bias": ["0"]}]}), ["inspect", "{file}"], "layer 1"),
    ("wrong box dimension", json.dumps(NET), ["regions", "{file}", "--box", "-1:1"], "1 intervals but the network takes 2"),
    ("inverted box", json.dumps(NET), ["regions", "{file}", "--box", "1:-1,0:1"], "is empty (low > high)"),
    ("empty box", json.dumps(NET), ["lipschitz", "{file}", "--box", "0:0,0:1"], "is a single point"),
    ("point of wrong dimension", json.dumps(NET), ["clarke", "{file}", "--at", "1,2,3"], "3 coordinates"),
    ("garbage box", json.dumps(NET), ["regions", "{file}", "--box", "a:b"], "not a rational"),
    ("relu slope out of range", json.dumps(NET), ["clarke", "{file}", "--at", "0,0", "--relu-grad-at-zero", "2"], "[0, 1]"),
    ("missing file", None, ["inspect", "{file}"], "not found"),
]


@pytest.mark.parametrize("label,content,argv,fragment", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_input_is_one_line_exit_2_and_file_untouched(tmp_path: Path, label, content, argv, fragment) -> None:
    path = tmp_path / "net.json"
    if content is not None:
        path.write_text(content)
    before = path.read_bytes() if content is not None else None
    command = [sys.executable, "-m", "symrelu", *[a.replace("{file}", str(path)) for a in argv]]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("symrelu: error: ") and fragment in done.stderr
    if before is not None:
        assert path.read_bytes() == before


def test_console_script_and_module_agree(net_file: Path) -> None:
    module = subprocess.run([sys.executable, "-m", "symrelu", "regions", str(net_file), "--box=-1:1,-1:1", "--json"], capture_output=True, text=True)
    script = Path(sys.executable).with_name("symrelu")
    if script.exists():
        direct = subprocess.run([str(script), "regions", str(net_file), "--box=-1:1,-1:1", "--json"], capture_output=True, text=True)
        assert direct.stdout == module.stdout
    assert json.loads(module.stdout)["count"] == 17


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["regions"], "required"),
        (["regions", "x.json", "--box"], "expected one argument"),
        (["regions", "x.json", "--box=-1:1", "--max-regions", "0"], "must be positive"),
        (["lipschitz", "x.json", "--box=-1:1", "--norm", "3"], "invalid choice"),
        (["no-such-command"], "invalid choice"),
    ],
)
def test_usage_mistakes_are_one_line_and_exit_2(capsys, argv: list[str], fragment: str) -> None:
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and fragment in err


def test_unsupported_onnx_operator_and_nan_npz_through_the_command_line(tmp_path: Path) -> None:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    weight = numpy_helper.from_array(np.ones((1, 1), dtype=np.float32), name="W")
    nodes = [helper.make_node("MatMul", ["x", "W"], ["m"], name="dense"), helper.make_node("Sigmoid", ["m"], ["y"], name="squash")]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [weight],
    )
    onnx_path = tmp_path / "sigmoid.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)]), str(onnx_path))
    npz_path = tmp_path / "nan.npz"
    np.savez(npz_path, W0=np.array([[np.nan]], dtype=np.float32), b0=np.zeros(1, dtype=np.float32))
    for path, fragment in ((onnx_path, "Sigmoid"), (npz_path, "not finite")):
        before = path.read_bytes()
        done = subprocess.run([sys.executable, "-m", "symrelu", "regions", str(path), "--box=-1:1"], capture_output=True, text=True)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.count("\n") == 1 and fragment in done.stderr and "Traceback" not in done.stderr
        assert path.read_bytes() == before
