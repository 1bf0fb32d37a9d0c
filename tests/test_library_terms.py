"""Library errors speak library terms (``output=INDEX``); the command line shows its own flags (``--output INDEX``).

Checked three ways: the source of every library module holds no message that names a real CLI flag
(read from the parser itself), each entry of the CLI's mapping is a real flag, and real failures
read one way through the Python API and the other way on stderr.
"""

from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path

import pytest

from symrelu import Network, ShapeError, TooLargeError, enumerate_regions
from symrelu.cli.common import FLAGS, cli_terms
from symrelu.cli.main import build_parser, main
from symrelu.lipschitz import lipschitz_constant
from symrelu.verify.engine.runner import Runner
from symrelu.verify.engine.solvers import default_backends

PACKAGE = Path(__file__).resolve().parent.parent / "symrelu"
TWO_OUTPUTS = {"layers": [{"weight": [["1", "0"], ["0", "1"]], "bias": ["0", "0"]},
                          {"weight": [["1", "1"], ["1", "-1"]], "bias": ["0", "0"]}]}


def _cli_flags() -> set[str]:
    """Every long option of every subcommand, as argparse knows it."""
    flags: set[str] = set()
    stack = [build_parser()]
    while stack:
        parser = stack.pop()
        for action in parser._actions:
            flags |= {o for o in action.option_strings if o.startswith("--")}
            if isinstance(action, argparse._SubParsersAction):
                stack += list(action.choices.values())
    return flags - {"--help", "--version", "--verbose", "--json"}


def _message_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """The literal text of every ``raise X(...)`` message and every ``reason=`` / ``why =`` text."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            parts = node.exc.args
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in ("why", "reason") for t in node.targets):
            parts = [node.value]
        elif isinstance(node, ast.keyword) and node.arg == "reason":
            parts = [node.value]
        else:
            continue
        for part in parts:
            for leaf in ast.walk(part):
                if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                    found.append((leaf.lineno, leaf.value))
    return found


def test_library_messages_name_no_cli_flag() -> None:
    flags = sorted(_cli_flags(), key=len, reverse=True)
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "cli" in path.relative_to(PACKAGE).parts:
            continue
        for line, text in _message_strings(ast.parse(path.read_text(encoding="utf-8"))):
            hit = next((f for f in flags if f in text and "pip install" not in text), None)
            if hit:
                offenders.append(f"{path.relative_to(PACKAGE)}:{line} names {hit}: {text!r}")
    assert not offenders, "\n".join(offenders)


def test_every_mapped_flag_exists() -> None:
    flags = _cli_flags()
    assert {flag for flag in FLAGS.values()} <= flags, set(FLAGS.values()) - flags


@pytest.mark.parametrize("name", sorted(FLAGS))
def test_cli_terms_maps_each_argument(name: str) -> None:
    assert cli_terms(f"raise {name}=7 now") == f"raise {FLAGS[name]} 7 now"
    assert cli_terms(f"with {name}=True)") == f"with {FLAGS[name]})"
    assert cli_terms(f"not_{name}=7 or {name}s=7") == f"not_{name}=7 or {name}s=7"


def _cli_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_output_choice_library_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    net = Network.from_rows([(TWO_OUTPUTS["layers"][0]["weight"], TWO_OUTPUTS["layers"][0]["bias"]),
                             (TWO_OUTPUTS["layers"][1]["weight"], TWO_OUTPUTS["layers"][1]["bias"])])
    with pytest.raises(ShapeError) as err:
        lipschitz_constant(net, [(-1, 1), (-1, 1)])
    assert "output=INDEX" in str(err.value) and "--" not in str(err.value)
    path = tmp_path / "two.json"
    path.write_text(json.dumps(TWO_OUTPUTS))
    line = _cli_error(capsys, ["lipschitz", str(path), "--box=-1:1,-1:1"])
    assert "--output INDEX" in line and "output=" not in line
    line = _cli_error(capsys, ["lipschitz", str(path), "--box=-1:1,-1:1", "--output", "5"])
    assert "--output 5 does not exist" in line


def test_region_limit_library_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    net = Network.from_rows([(TWO_OUTPUTS["layers"][0]["weight"], TWO_OUTPUTS["layers"][0]["bias"]),
                             (TWO_OUTPUTS["layers"][1]["weight"], TWO_OUTPUTS["layers"][1]["bias"])])
    with pytest.raises(TooLargeError) as err:
        enumerate_regions(net, [(-1, 1), (-1, 1)], max_regions=1)
    assert "max_regions=N" in str(err.value) and "--" not in str(err.value)
    path = tmp_path / "two.json"
    path.write_text(json.dumps(TWO_OUTPUTS))
    line = _cli_error(capsys, ["regions", str(path), "--box=-1:1,-1:1", "--max-regions", "1"])
    assert "--max-regions N" in line and "max_regions" not in line


def test_runner_budgets_library_and_cli(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match=r"^jobs=0 must be a whole number") as err:
        Runner(default_backends(), jobs=0)
    assert "--" not in str(err.value)
    with pytest.raises(ValueError, match=r"^timeout_s=-1 ") as err:
        Runner(default_backends(), timeout_s=-1)
    line = _cli_error(capsys, ["verify", "paper", "--checks", "gd_amplification_unbounded", "--timeout", "-1"])
    assert "--timeout" in line and "timeout_s" not in line
