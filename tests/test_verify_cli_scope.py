"""``symrelu verify`` and ``landscape``: honest scope, robust budget flags, readable output (issues 9, 12, 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symrelu.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "symrelu" / "examples"
PAPER_FILE = str(EXAMPLES / "paper_instance.json")


def _one_line_error(capsys: pytest.CaptureFixture[str], *needles: str) -> None:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, err


@pytest.mark.parametrize("value", ["1e400", "inf", "nan", "0", "-3", "soon"])
def test_absurd_timeout_is_one_line(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "paper", "--checks", "gd_amplification_unbounded", "--timeout", value]) == 2
    _one_line_error(capsys, "--timeout")


@pytest.mark.parametrize("value", ["0", "-1", "10000000000000", "1.5", "lots"])
def test_absurd_rlimit_is_one_line(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "paper", "--checks", "gd_amplification_unbounded", "--rlimit", value]) == 2
    _one_line_error(capsys, "--rlimit")


def test_paper_checks_refuse_a_user_file(capsys: pytest.CaptureFixture[str]) -> None:
    for check in ("gd_amplification_unbounded", "no_global_gradient_lipschitz_paper", "subgradient_stability_bound"):
        assert main(["verify", PAPER_FILE, "--checks", check, "--G-squared", "2"]) == 2
        _one_line_error(capsys, "paper", check)


def test_box_with_a_problem_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", PAPER_FILE, "--box=-1:1", "--checks", "hessian_bound"]) == 2
    _one_line_error(capsys, "--box")


def test_checks_list_reflects_the_subject(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", PAPER_FILE, "--checks", "list"]) == 0
    rows = {line.split(" | ")[0].strip(): line for line in capsys.readouterr().out.splitlines() if " | " in line}
    assert "yes" in rows["hessian_bound"] and "paper instance only" in rows["gd_amplification_unbounded"]
    assert "needs a network" in rows["input_lipschitz"]
    assert main(["verify", "paper", "--checks", "list"]) == 0
    rows = {line.split(" | ")[0].strip(): line for line in capsys.readouterr().out.splitlines() if " | " in line}
    assert "yes" in rows["gd_amplification_unbounded"]


def test_json_records_budgets_and_scope(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", PAPER_FILE, "--checks", "hessian_bound", "--json", "--rlimit", "5000000"]) == 0
    payload = json.loads(capsys.readouterr().out)
    budgets = payload["budgets"]["solvers"]
    assert sorted(budgets.values(), key=str) == [{"rlimit": "5000000"}, {"rlimit-per": "1000000"}]
    check = payload["checks"][0]
    assert check["scope"] == "on D" and check["details"]["solver_budgets"]["solvers"] == budgets


def test_table_names_the_domain_and_prints_witness_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", PAPER_FILE, "--checks", "hessian_bound"]) == 0
    out = capsys.readouterr().out
    assert "PROVED on D" in out and "{'" not in out  # no raw Python dict
    assert "  theta = (1/2, 1/2)" in out


def test_landscape_refuses_ninety_parameters_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    n = 30
    layers = [{"weight": [[f"w{i}"] for i in range(n)], "bias": [f"b{i}" for i in range(n)]},
              {"weight": [[f"a{i}" for i in range(n)]], "bias": ["0"]}]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"network": {"layers": layers}, "data": [{"x": ["1"], "y": ["1"]}]}))
    assert main(["landscape", str(path)]) == 2
    _one_line_error(capsys, "90 trainable parameters", "--checks lipschitz_on_domain")
