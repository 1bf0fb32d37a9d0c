"""Verdicts, obligations, solver adapters and the runner's combination rules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from fractions import Fraction as F
from pathlib import Path

import cvc5  # noqa: E402  (the dev extra installs it)
import pytest
import z3

from symrelu.errors import InputFormatError, SymreluError, TooLargeError
from symrelu.exact import z3_rational
from symrelu.verify import (
    CheckResult,
    Cvc5Backend,
    Obligation,
    Replayed,
    Runner,
    SolverAnswer,
    UnavailableBackend,
    Verdict,
    Z3Backend,
)
from symrelu.verify.encodings.encode import add_all
from symrelu.verify.engine.runner import combine_outcomes


@dataclass(frozen=True)
class FixedAnswer:
    """A fake solver that always gives the same answer (dependency injection)."""

    solver_name: str
    status: str
    model: tuple = None  # type: ignore[assignment]
    reason: str = ""

    @property
    def name(self) -> str:
        return self.solver_name

    def check(self, obligation: Obligation, timeout_s: float) -> SolverAnswer:
        return SolverAnswer(self.solver_name, self.status, self.model, self.reason)  # type: ignore[arg-type]


def _square_negative() -> Obligation:
    x = z3.Real("x")
    return Obligation.build("square-negative", [x * x < 0], check="demo", subject="unit test")


def _half() -> Obligation:
    x = z3.Real("x")
    return Obligation.build("bound", [3 * x == 1, x > z3_rational(F(1, 2))], check="demo", subject="unit test")


# ------------------------------------------------------------------ verdicts
def test_verdict_has_no_truth_value() -> None:
    with pytest.raises(TypeError):
        bool(Verdict.PROVED)
    with pytest.raises(TypeError):
        if Verdict.UNKNOWN:  # pragma: no cover - must raise
            pass


def test_refuted_needs_witness_and_unknown_needs_reason() -> None:
    with pytest.raises(SymreluError):
        CheckResult("c", Verdict.REFUTED)
    with pytest.raises(SymreluError):
        CheckResult("c", Verdict.UNKNOWN)
    with pytest.raises(TypeError):
        CheckResult("c", "PROVED")  # type: ignore[arg-type]


def test_check_result_json_is_exact_and_sorted() -> None:
    result = CheckResult("c", Verdict.REFUTED, value=F(1, 3), witness={"x": (F(-1, 2),)}, solvers=("z3",))
    text = result.to_json()
    assert text == json.dumps(json.loads(text), sort_keys=True)
    data = json.loads(text)
    assert data["value"] == "1/3" and data["value_squared"] == "1/9" and data["witness"] == {"x": ["-1/2"]}


def test_float_in_result_is_refused() -> None:
    with pytest.raises(SymreluError):
        CheckResult("c", Verdict.PROVED, details={"bad": 0.1}).to_json()


# -------------------------------------------------------------- obligations
def test_export_is_deterministic_and_sorted() -> None:
    first, second = _half().to_smtlib(), _half().to_smtlib()
    assert first == second
    assert "(set-info :status unsat)" in first and "; check: demo" in first and "(check-sat)" in first
    y, a = z3.Reals("y a")
    text = Obligation.build("o", [y + a > 0], check="c", subject="s").to_smtlib()
    assert text.index("declare-fun a ") < text.index("declare-fun y ")
    assert "QF_LRA" in text


def test_float_free_constants() -> None:
    text = Obligation.build("o", [z3.Real("x") == z3_rational(F(1, 10))], check="c", subject="s").to_smtlib()
    assert "(/ 1.0 10.0)" in text


def test_too_large_obligation_is_refused() -> None:
    xs = [z3.Real(f"x{i}") for i in range(50)]
    with pytest.raises(TooLargeError, match="max_nodes"):
        Obligation.build("big", [add_all(xs) > 0], check="c", subject="s", max_nodes=20)


def test_power_and_unary_sum_are_refused() -> None:
    x = z3.Real("x")
    with pytest.raises(InputFormatError):
        Obligation.build("p", [x**2 > 0], check="c", subject="s")
    with pytest.raises(InputFormatError):
        Obligation.build("u", [z3.Sum([x]) > 0], check="c", subject="s")


def test_both_solvers_accept_exported_files(tmp_path: Path) -> None:
    obligations = [_square_negative(), _half()]
    for ob in obligations:
        path = tmp_path / ob.filename
        path.write_text(ob.to_smtlib())
        z3_binary = shutil.which("z3") or str(Path(sys.prefix) / "bin" / "z3")
        if Path(z3_binary).exists():
            out = subprocess.run([z3_binary, str(path)], capture_output=True, text=True, check=True).stdout
            assert out.strip() == "unsat"
        solver = z3.Solver()
        solver.from_file(str(path))
        assert solver.check() == z3.unsat
        manager = cvc5.TermManager()
        cvc = cvc5.Solver(manager)
        cvc.setOption("nl-cov", "true")
        symbols = cvc5.SymbolManager(manager)
        parser = cvc5.InputParser(cvc, symbols)
        parser.setFileInput(cvc5.InputLanguage.SMT_LIB_2_6, str(path))
        outputs = []
        while True:
            command = parser.nextCommand()
            if command.isNull():
                break
            outputs.append(command.invoke(cvc, symbols))
        assert "unsat" in "".join(outputs)


# ------------------------------------------------------------------ solvers
def test_models_are_exact_fractions_in_both_solvers() -> None:
    x, b = z3.Real("x"), z3.Bool("flag")
    ob = Obligation.build("third", [3 * x == 1, b == (x > 0)], check="c", subject="s", expected="sat")
    for backend in (Z3Backend(), Cvc5Backend()):
        answer = backend.check(ob, 10)
        assert answer.status == "sat"
        assert answer.model_dict() == {"flag": True, "x": F(1, 3)}


def test_irrational_model_is_reported_not_rounded() -> None:
    x = z3.Real("x")
    ob = Obligation.build("root-two", [x * x == 2, x > 0], check="c", subject="s", expected="sat")
    for backend in (Z3Backend(), Cvc5Backend()):
        answer = backend.check(ob, 10)
        assert answer.status == "sat" and answer.model is None and "irrational" in answer.reason
    outcome, = Runner(timeout_s=10, isolate=False).run([ob], replay=lambda o, m: Replayed(True, m))
    assert outcome.verdict is Verdict.UNKNOWN and "no exact model" in outcome.reason


def test_resource_limit_gives_unknown() -> None:
    xs = z3.Reals("a b c d")
    hard = Obligation.build(
        "hard", [xs[0] * xs[1] - xs[2] * xs[3] == 7, xs[0] * xs[0] * xs[1] + xs[3] * xs[2] * xs[2] == 3, xs[0] > xs[3]],
        check="c", subject="s",
    )
    answer = Z3Backend(rlimit=1).check(hard, 10)
    assert answer.status == "unknown" and answer.reason
    outcome, = Runner((Z3Backend(rlimit=1),), timeout_s=10, isolate=False).run([hard])
    assert outcome.verdict is Verdict.UNKNOWN and "no solver decided" in outcome.reason


# ------------------------------------------------------------------- runner
def test_agreement_proves() -> None:
    outcome, = Runner(timeout_s=10, isolate=False).run([_square_negative()])
    assert outcome.verdict is Verdict.PROVED
    assert [name.split()[0] for name in outcome.solvers] == ["z3", "cvc5"]


def test_disagreement_is_unknown_and_loud(caplog: pytest.LogCaptureFixture) -> None:
    runner = Runner((Z3Backend(), FixedAnswer("liar", "sat", (("x", F(0)),))), timeout_s=10, isolate=False)
    outcome, = runner.run([_square_negative()], replay=lambda o, m: Replayed(True, m))
    assert outcome.verdict is Verdict.UNKNOWN
    assert "DISAGREE" in outcome.reason and "liar says sat" in outcome.reason
    assert any("DISAGREE" in record.message for record in caplog.records)


def test_missing_cvc5_is_reported_not_skipped() -> None:
    """A Z3-only unsat with cvc5 unavailable is not PROVED by default (two confirmations), only with the opt-in."""
    runner = Runner((Z3Backend(), UnavailableBackend("cvc5", "cvc5 is not installed")), timeout_s=10, isolate=False)
    outcome, = runner.run([_square_negative()])
    assert outcome.verdict is Verdict.UNKNOWN
    assert "second opinion unavailable" in outcome.reason and "two confirmations" in outcome.reason
    single = Runner(runner.backends, timeout_s=10, isolate=False, allow_single_solver=True)
    opted, = single.run([_square_negative()])
    assert opted.verdict is Verdict.PROVED and len(opted.solvers) == 1 and opted.solvers[0].startswith("z3")
    assert "single solver (opt-in)" in opted.reason
    strict = Runner(runner.backends, timeout_s=10, isolate=False, require_all=True)
    assert strict.run([_square_negative()])[0].verdict is Verdict.UNKNOWN


def test_timeout_answer_is_unknown() -> None:
    runner = Runner((FixedAnswer("slow", "unknown", reason="timeout"),), timeout_s=1, isolate=False)
    outcome, = runner.run([_square_negative()])
    assert outcome.verdict is Verdict.UNKNOWN and "timeout" in outcome.reason


def test_sat_needs_a_replay_that_succeeds() -> None:
    x = z3.Real("x")
    ob = Obligation.build("violated", [x > 1], check="c", subject="s")
    runner = Runner(timeout_s=10, isolate=False)
    generic = runner.run([ob])[0]  # no replay given: the model is substituted into the obligation's own formulas
    assert generic.verdict is Verdict.REFUTED and generic.witness["x"] > 1 and "replayed exactly" in generic.reason
    refused = runner.run([ob], replay=lambda o, m: Replayed(False, reason="not a counterexample"))[0]
    assert refused.verdict is Verdict.UNKNOWN and "did not replay" in refused.reason
    confirmed = runner.run([ob], replay=lambda o, m: Replayed(m["x"] > 1, {"x": m["x"]}))[0]
    assert confirmed.verdict is Verdict.REFUTED and confirmed.witness["x"] > 1


def test_isolated_parallel_run_matches_in_process() -> None:
    obligations = [_square_negative(), _half()]
    isolated = Runner(timeout_s=10, jobs=2).run(obligations)
    inline = Runner(timeout_s=10, isolate=False).run(obligations)
    assert [o.verdict for o in isolated] == [o.verdict for o in inline] == [Verdict.PROVED, Verdict.PROVED]
    assert [[a.status for a in o.answers] for o in isolated] == [[a.status for a in o.answers] for o in inline]


def test_combine_outcomes_rules() -> None:
    runner = Runner((FixedAnswer("a", "unsat"),), timeout_s=1, isolate=False, allow_single_solver=True)
    proved = runner.run([_square_negative()])[0]
    unknown = Runner((FixedAnswer("a", "unknown", reason="gave up"),), timeout_s=1, isolate=False).run([_half()])[0]
    assert combine_outcomes([proved, proved])[0] is Verdict.PROVED
    assert combine_outcomes([proved, unknown])[0] is Verdict.UNKNOWN


def test_bad_runner_settings() -> None:
    with pytest.raises(InputFormatError):
        Runner(timeout_s=0)
    with pytest.raises(InputFormatError):
        Runner(jobs=0)
    with pytest.raises(InputFormatError):
        Runner(backends=())
