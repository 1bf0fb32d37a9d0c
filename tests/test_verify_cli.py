"""``symrelu verify``: exit codes, JSON shape, not-implemented checks, deterministic artifacts."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import cvc5  # noqa: F401,E402  (the dev extra installs it: the second opinion must run)
import pytest

from symrelu.cli.main import build_parser, main
from symrelu.cli.verify_cmd import run_verify
from symrelu.network import Network
from symrelu.verify import (
    CheckNotImplementedError,
    CheckSpec,
    Obligation,
    Runner,
    SolverAnswer,
    default_registry,
    with_checks,
)

ABS = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])


@dataclass(frozen=True)
class GivesUp:
    @property
    def name(self) -> str:
        return "gives-up"

    def check(self, obligation: Obligation, timeout_s: float) -> SolverAnswer:
        return SolverAnswer("gives-up", "unknown", reason="timeout")


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["verify", *argv])


def test_paper_checks_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "paper", "--json", "--timeout", "30"]) == 0
    payload = json.loads(capsys.readouterr().out)
    names = [c["name"] for c in payload["checks"]]
    assert names == [
        "no_global_gradient_lipschitz_paper",
        "no_global_gradient_lipschitz_family",
        "gd_amplification_unbounded",
        "subgradient_stability_bound",
    ]
    for check in payload["checks"]:
        assert {"name", "verdict", "value", "value_squared", "solvers", "witness", "reason"} <= set(check)
        assert check["verdict"] == "PROVED"
    assert payload["checks"][-1]["value_squared"] == "8"


def test_text_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "paper", "--checks", "gd_amplification_unbounded"]) == 0
    out = capsys.readouterr().out
    assert [cell.strip() for cell in out.splitlines()[0].split(" | ")] == ["check", "verdict", "key figure", "time", "solvers"]
    assert "gd_amplification_unbounded" in out and "PROVED" in out


def test_not_implemented_check_is_an_error_not_a_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    registry = with_checks(default_registry(), [CheckSpec("future_check", "C9", "problem", "later", waiting_for="a part")])
    with pytest.raises(CheckNotImplementedError, match="not implemented"):
        run_verify(_args("paper", "--checks", "future_check"), registry=registry)
    assert "PROVED" not in capsys.readouterr().out


PAPER_FILE = str(Path(__file__).resolve().parent.parent / "symrelu" / "examples" / "paper_instance.json")


def test_problem_file_runs_the_problem_checks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", PAPER_FILE, "--json", "--timeout", "30"]) == 0
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert list(checks) == ["no_global_gradient_lipschitz", "hessian_bound", "clarke_bound", "lipschitz_on_domain"]
    assert all(c["verdict"] == "PROVED" for c in checks.values())
    assert checks["hessian_bound"]["value_squared"] == "4" and checks["clarke_bound"]["value_squared"] == "2"
    assert checks["lipschitz_on_domain"]["value_squared"] == "2"  # confirms clarke_bound's G^2 independently
    assert checks["no_global_gradient_lipschitz"]["details"]["jump"] in (["0", "-1"], ["-1", "0"])
    assert main(["verify", PAPER_FILE, "--checks", "hessian_bound,clarke_bound"]) == 0
    text = capsys.readouterr().out
    assert "clarke_bound witness" in text and "sqrt(2)" in text


def test_network_default_checks(capsys: pytest.CaptureFixture[str]) -> None:
    args = _args("abs.json", "--box=-1:1", "--json")
    assert run_verify(args, load_network=lambda path: ABS, runner=Runner(timeout_s=30, isolate=False)) == 0
    checks = json.loads(capsys.readouterr().out)["checks"]
    assert [c["name"] for c in checks] == ["no_global_gradient_lipschitz", "input_lipschitz"]
    assert [c["verdict"] for c in checks] == ["PROVED", "PROVED"]
    assert checks[1]["value"] == "1" and checks[1]["witness"]["attains_K"] is True
    with pytest.raises(Exception, match="box=LO:HI"):  # library terms; main() shows --box
        run_verify(_args("abs.json", "--json"), load_network=lambda path: ABS)


def test_problem_artifacts_are_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trees = []
    for name in ("one", "two"):
        target = tmp_path / name
        assert main(["verify", PAPER_FILE, "--checks", "hessian_bound,clarke_bound", "--artifacts", str(target)]) == 0
        trees.append({p.relative_to(target).as_posix(): p.read_bytes() for p in sorted(target.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1] and sum(name.endswith(".smt2") for name in trees[0]) == 16
    # every PROVED obligation is stored with its hypotheses-only check (expected sat: not vacuous)
    hyps = [v.decode() for k, v in trees[0].items() if k.endswith(".hyp.smt2")]
    assert len(hyps) == 8 and all("(set-info :status sat)" in h for h in hyps)
    capsys.readouterr()


def test_unknown_check_and_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "paper", "--checks", "nonsense"]) == 2
    assert main(["verify", "paper", "--checks", "gd_amplification_unbounded", "--jobs", "0"]) == 2
    assert main(["verify", "paper", "--checks", "gd_amplification_unbounded", "--eta", "3/4"]) == 2


def test_unknown_verdict_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    runner = Runner((GivesUp(),), timeout_s=1, isolate=False)
    code = run_verify(_args("paper", "--checks", "gd_amplification_unbounded", "--json"), runner=runner)
    assert code == 1
    assert json.loads(capsys.readouterr().out)["checks"][0]["verdict"] == "UNKNOWN"


def test_network_check_with_injected_loader(capsys: pytest.CaptureFixture[str]) -> None:
    args = _args("abs.json", "--box=-1:1", "--lipschitz", "1/2", "--norm", "inf", "--json")
    assert run_verify(args, load_network=lambda path: ABS, runner=Runner(timeout_s=30, isolate=False)) == 0
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    check = checks["input_lipschitz"]
    assert check["verdict"] == "REFUTED" and check["witness"]["x"] != check["witness"]["x_prime"]
    # without --lipschitz the exact K of symrelu.lipschitz_constant is certified instead (see test_network_default_checks)


def test_artifacts_are_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trees = []
    for name in ("one", "two"):
        target = tmp_path / name
        assert main(["verify", "paper", "--checks", "no_global_gradient_lipschitz_paper,gd_amplification_unbounded",
                     "--artifacts", str(target), "--jobs", "2"]) == 0
        trees.append({p.relative_to(target).as_posix(): p.read_bytes() for p in sorted(target.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert "summary.json" in trees[0] and sum(name.endswith(".smt2") and ".hyp." not in name for name in trees[0]) == 4
    assert str(tmp_path) not in trees[0]["summary.json"].decode()
    smt = next(v.decode() for k, v in trees[0].items() if k.endswith(".smt2") and ".hyp." not in k)
    assert "(set-info :status unsat)" in smt and "; check: " in smt
    capsys.readouterr()
