"""Problem files and their validation: each bad input gets one clear SymreluError."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pytest

from symrelu.cli.main import main
from symrelu.errors import (
    DomainError,
    InputFormatError,
    NonFiniteError,
    ParameterError,
    ShapeError,
    SymreluError,
    TooLargeError,
)
from symrelu.network import Network
from symrelu.params.examples import paper_instance
from symrelu.params.problem import Problem, load_problem, parse_assignment, parse_step_size

BASE = {
    "network": {"layers": [{"weight": [["w1"], ["w2"]], "bias": ["0", "0"]}, {"weight": [["1", "1"]], "bias": ["0"]}]},
    "data": [{"x": ["1"], "y": ["1"]}],
    "loss": "squared",
    "domain": {"w1": ["-1", "1"], "w2": ["-1", "1"]},
}


def write(tmp_path: Path, spec: object, name: str = "p.json") -> Path:
    path = tmp_path / name
    path.write_text(spec if isinstance(spec, str) else json.dumps(spec))
    return path


def variant(**changes: object) -> dict:
    spec = json.loads(json.dumps(BASE))
    spec.update(changes)
    return spec


def test_bundled_instance_matches_code_built_problem() -> None:
    net = Network.from_rows([([["w1"], ["w2"]], [0, 0]), ([[1, 1]], [0])])
    built = Problem(net, [((1,), (1,))], "squared", {"w1": (-1, 1), "w2": (-1, 1)})
    loaded = paper_instance()
    assert loaded.data == built.data and loaded.domain == built.domain
    for point in [(F(1, 3), F(-2)), (F(5), F(7, 2)), (F(-1), F(-1))]:
        assert loaded.loss_at(point) == built.loss_at(point)
    # ℓ = ½(relu(w1) + relu(w2) − 1)²
    assert loaded.loss_at((F(1, 3), F(1, 2))) == F(1, 2) * (F(1, 3) + F(1, 2) - 1) ** 2


def test_toml_problem(tmp_path: Path) -> None:
    text = """
loss = "squared"
data = [{x = ["1"], y = ["1"]}]
[network]
layers = [{weight = [["w1"], ["w2"]], bias = ["0", "0"]}, {weight = [["1", "1"]], bias = ["0"]}]
"""
    prob = load_problem(write(tmp_path, text, "p.toml"))
    assert prob.parameter_names == ("w1", "w2") and prob.domain is None


@pytest.mark.parametrize(
    "spec, error, words",
    [
        (variant(domain={"w1": ["-1", "1"], "w9": ["0", "1"]}), ParameterError, "w9"),
        (variant(domain={"w1": ["1", "-1"], "w2": ["-1", "1"]}), DomainError, "w1"),
        (variant(domain={"w1": ["0", "0"], "w2": ["-1", "1"]}), DomainError, "w1"),
        (variant(data=[{"x": ["1", "2"], "y": ["1"]}]), ShapeError, "data point 0"),
        (variant(data=[{"x": ["1"], "y": ["1", "2"]}]), ShapeError, "outputs"),
        (variant(data=[]), ShapeError, "non-empty"),
        (variant(loss="hinge"), InputFormatError, "hinge"),
        (variant(network={"layers": [{"weight": [["NaN"], ["w2"]], "bias": ["0", "0"]}, {"weight": [["1", "1"]], "bias": ["0"]}]}), NonFiniteError, "not finite"),
        (variant(network={"layers": [{"weight": [["1"], ["2"]], "bias": ["0", "0"]}, {"weight": [["1", "1"]], "bias": ["0"]}]}), ParameterError, "no trainable"),
        ("{not json", InputFormatError, "malformed JSON"),
    ],
)
def test_bad_problem_files(tmp_path: Path, spec: object, error: type, words: str) -> None:
    path = write(tmp_path, spec)
    with pytest.raises(error, match=words):
        load_problem(path)


def test_nan_literal_in_json_is_refused(tmp_path: Path) -> None:
    text = json.dumps(BASE).replace('"0", "0"]}', '"0", NaN]}', 1)
    with pytest.raises(NonFiniteError):
        load_problem(write(tmp_path, text))


def test_assignment_and_step_size_parsing() -> None:
    assert parse_assignment("w1=1/100,w2=-3") == {"w1": F(1, 100), "w2": F(-3)}
    with pytest.raises(ParameterError):
        parse_assignment("w1=1,w1=2")
    with pytest.raises(InputFormatError):
        parse_assignment("w1")
    for bad in ["0", "-1/10", "abc", "nan"]:
        with pytest.raises(SymreluError):
            parse_step_size(bad)
    assert parse_step_size("0.5") == F(1, 2)


def test_unknown_point_names() -> None:
    with pytest.raises(ParameterError, match="w3"):
        paper_instance().point({"w1": 0, "w3": 1})


@pytest.mark.parametrize(
    "argv, words",
    [
        (["train", "{p}", "--init", "w3=1,w2=0", "--lr", "1/10"], "w3"),
        (["train", "{p}", "--init", "w1=1,w2=0", "--lr", "0"], "positive rational"),
        (["train", "{p}", "--init", "w1=1,w2=0", "--lr", "x"], "rational"),
        (["train", "{p}", "--init", "w1=1,w2=0", "--lr", "1", "--rule", "magic"], "rule"),
        (["train", "{p}", "--init", "w1=1,w2=0", "--lr", "1", "--surrogate", "softplus:-1"], "positive"),
        (["landscape", "{p}", "--max-regions", "2"], "more than 2 regions"),
        (["landscape", "{p}", "--max-regions", "two"], "not an integer"),
        (["landscape", "{missing}"], "cannot read"),
    ],
)
def test_cli_errors_are_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: str) -> None:
    path = write(tmp_path, BASE)
    args = [a.format(p=path, missing=tmp_path / "nope.json") for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and words in err and err.startswith("symrelu: error:")


def test_too_large_carries_partial_count() -> None:
    from symrelu.params.landscape import enumerate_parameter_regions

    with pytest.raises(TooLargeError) as info:
        enumerate_parameter_regions(paper_instance(), max_regions=3)
    assert info.value.partial == 3
