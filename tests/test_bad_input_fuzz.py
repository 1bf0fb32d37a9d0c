"""Bad and extreme input (issue 9): every class gives one line on stderr and exit 2, or a correct
answer, and never a traceback or a modified input file.

Correct answers are checked against hand algebra: a one-layer net ``x -> w x`` has the exact
Lipschitz constant ``|w|`` on any box, so ``K^2 = w^2`` whatever the size of ``w``."""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symrelu.cli.main import main

PROBLEM = {
    "network": {"layers": [{"weight": [["w"]], "bias": ["0"]}]},
    "data": [{"x": ["1"], "y": ["1"]}],
    "loss": "squared",
    "domain": {"w": ["-1", "1"]},
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"


def run(argv: list[str], capsys: pytest.CaptureFixture[str], *inputs: Path) -> tuple[int, str, str]:
    before = [digest(p) for p in inputs]
    code = main(argv)
    out, err = capsys.readouterr()
    assert [digest(p) for p in inputs] == before, "an input file was modified"
    assert "Traceback" not in out + err
    return code, out, err


def refused(argv: list[str], capsys: pytest.CaptureFixture[str], *inputs: Path, words: str = "") -> str:
    code, out, err = run(argv, capsys, *inputs)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith("symrelu: error:"), err
    assert words in err, err
    return err


def one_weight_net(tmp_path: Path, literal: str, name: str = "net.json") -> Path:
    path = tmp_path / name
    path.write_text('{"layers": [{"weight": [[' + literal + ']], "bias": [0]}]}')
    return path


def lipschitz_squared(path: Path, capsys: pytest.CaptureFixture[str]) -> Fraction:
    code, out, _ = run(["lipschitz", str(path), "--box", "-1:1", "--json"], capsys, path)
    assert code == 0
    return Fraction(json.loads(out)["constant_squared"])


# ----------------------------------------------------------------- nesting
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(depth=st.sampled_from([33, 1000, 100_000]), container=st.sampled_from(["[", '{"a":']), command=st.sampled_from(["inspect", "landscape", "verify"]))
def test_deep_json_is_one_line(tmp_path: Path, capsys, depth: int, container: str, command: str) -> None:
    closer = "]" if container == "[" else "}"
    path = tmp_path / "deep.json"
    path.write_text(container * depth + "1" + closer * depth)
    refused([command, str(path)], capsys, path, words="nested more than 32 levels")


# ----------------------------------------------------------------- long numbers
@pytest.mark.parametrize("literal", ["9" * 5000, '"%s"' % ("9" * 5000), '"-%s/7"' % ("1" * 5000)])
def test_integers_of_5000_digits_give_the_exact_answer(tmp_path: Path, capsys, literal: str) -> None:
    value = Fraction(int(literal.strip('"').split("/")[0].lstrip("-")) * (-1 if "-" in literal else 1),
                     7 if "/" in literal else 1)
    assert lipschitz_squared(one_weight_net(tmp_path, literal), capsys) == value**2


@pytest.mark.parametrize("literal, words", [('"1e999999"', "too large to read"), ('"%s"' % ("1" * 100_001), "too large to read")])
def test_numbers_beyond_the_reading_bound_are_refused(tmp_path: Path, capsys, literal: str, words: str) -> None:
    path = one_weight_net(tmp_path, literal)
    refused(["inspect", str(path)], capsys, path, words=words)
    refused(["regions", str(path), "--box", "-1:1"], capsys, path, words=words)


@pytest.mark.parametrize("literal, square", [("1e308", Fraction(int(1e308)) ** 2), ('"1e400"', Fraction(10) ** 800), ("1.7976931348623157e308", Fraction(int(1.7976931348623157e308)) ** 2)])
def test_huge_weights_give_the_exact_answer(tmp_path: Path, capsys, literal: str, square: Fraction) -> None:
    assert lipschitz_squared(one_weight_net(tmp_path, literal), capsys) == square


def test_float_literal_overflowing_a_double_is_refused(tmp_path: Path, capsys) -> None:
    path = one_weight_net(tmp_path, "1e400")
    refused(["inspect", str(path)], capsys, path, words='write it as a string such as "1e400"')


def test_huge_npz_and_onnx_values_give_the_exact_answer(tmp_path: Path, capsys) -> None:
    biggest = np.finfo(np.float64).max
    npz = tmp_path / "huge.npz"
    np.savez(npz, W0=np.array([[biggest]]), b0=np.zeros(1))
    assert lipschitz_squared(npz, capsys) == Fraction(biggest) ** 2
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    big32 = np.array([[np.finfo(np.float32).max]], dtype=np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "W"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1])],
        [numpy_helper.from_array(big32, "W")],
    )
    path = tmp_path / "huge.onnx"
    onnx.save(helper.make_model(graph), path)
    assert lipschitz_squared(path, capsys) == Fraction(float(big32[0, 0])) ** 2


def test_a_domain_of_1e400_is_read_exactly(tmp_path: Path, capsys) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({**PROBLEM, "domain": {"w": ["-1e400", "1e400"]}}))
    code, out, _ = run(["landscape", str(path), "--json"], capsys, path)
    assert code == 0 and json.loads(out)["domain"] == {"w": ["-1" + "0" * 400, "1" + "0" * 400]}


# ----------------------------------------------------------------- problem files
@pytest.mark.parametrize("key", ["data", "loss", "domain"])
def test_duplicate_keys_in_problem_json_are_refused(tmp_path: Path, capsys, key: str) -> None:
    text = json.dumps(PROBLEM)[:-1] + f', "{key}": {json.dumps(PROBLEM[key])}}}'
    path = tmp_path / "dup.json"
    path.write_text(text)
    for argv in (["landscape", str(path)], ["train", str(path), "--init", "w=0", "--lr", "1/10"], ["verify", str(path)]):
        refused(argv, capsys, path, words=f"duplicate key '{key}'")


# ----------------------------------------------------------------- output paths
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["parent is a file", "missing folder", "is a folder", "not png", "unwritable"]),
       command=st.sampled_from(["regions", "landscape", "train"]))
def test_bad_plot_paths_are_refused_before_any_work(tmp_path: Path, capsys, kind: str, command: str) -> None:
    problem = tmp_path / "p.json"
    problem.write_text(json.dumps({**PROBLEM, "network": {"layers": [{"weight": [["w1"], ["w2"]], "bias": ["0", "0"]}, {"weight": [["1", "1"]], "bias": ["0"]}]}, "domain": None}))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    (tmp_path / "folder.png").mkdir(exist_ok=True)
    target = {"parent is a file": blocker / "p.png", "missing folder": tmp_path / "nowhere" / "p.png",
              "is a folder": tmp_path / "folder.png", "not png": tmp_path / "p.jpg", "unwritable": Path("/proc/p.png")}[kind]
    argv = {"regions": ["regions", "one_input", "--box", "-1:1"], "landscape": ["landscape", str(problem)],
            "train": ["train", str(problem), "--init", "w1=0,w2=0", "--lr", "1/10", "--steps", "1"]}[command]
    refused([*argv, "--plot", str(target)], capsys, problem, blocker, words="--plot")
    assert not target.is_file()


@pytest.mark.parametrize("kind", ["is a file", "missing parent", "unwritable"])
def test_bad_artifacts_folders_are_refused(tmp_path: Path, capsys, kind: str) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = {"is a file": blocker, "missing parent": tmp_path / "a" / "b", "unwritable": Path("/proc/symrelu-artifacts")}[kind]
    refused(["verify", "paper_instance", "--artifacts", str(target)], capsys, blocker, words="--artifacts")
    assert blocker.read_text() == "x"


def test_absurd_step_counts_are_one_line(capsys) -> None:
    for steps in ("10001", "99999999999999999999", "-1", "1e3"):
        refused(["train", "paper_instance", "--init", "w1=0,w2=0", "--lr", "1/10", "--steps", steps], capsys, words="--steps")
