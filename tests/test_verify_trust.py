"""The trust rules of the runner: vacuity guard, two confirmations, deterministic budgets (issues 9 and 14)."""

from __future__ import annotations

import z3

from symrelu.verify import Obligation, Runner, Verdict, Z3Backend
from symrelu.verify.engine.runner import hypotheses_obligation, with_hypotheses
from symrelu.verify.engine.solvers import Cvc5Backend, check_rlimit


def _obligation(hypotheses: list[z3.BoolRef], goal_negation: z3.BoolRef) -> Obligation:
    return Obligation.build("demo-ob", hypotheses + [goal_negation], check="demo", subject="unit test")


def test_vacuous_hypotheses_are_unknown_not_proved() -> None:
    """The bug-2 shape: hypotheses (= 4 mu) and (>= 1 mu) contradict each other, so any goal is 'unsat'."""
    mu, v = z3.Reals("mu v")
    vacuous = _obligation([mu == 4, mu <= 1], v * v > mu * v * v)
    outcome, = Runner(isolate=False).run([vacuous])
    assert outcome.verdict is Verdict.UNKNOWN and outcome.reason.startswith("vacuous hypotheses")
    assert outcome.hypotheses is not None and outcome.hypotheses.obligation.expected == "sat"
    assert {a.status for a in outcome.hypotheses.answers} == {"unsat"}  # both solvers: the hypotheses alone are unsat
    stored = with_hypotheses([outcome])
    assert [o.obligation.name for o in stored] == ["demo-ob", "demo-ob.hyp"]


def test_satisfiable_hypotheses_keep_the_proof_with_a_replayed_witness() -> None:
    mu, v = z3.Reals("mu v")
    sound = _obligation([mu == 4, v > 0], v * v * mu < 0)
    outcome, = Runner(isolate=False).run([sound])
    assert outcome.verdict is Verdict.PROVED and len(outcome.solvers) == 2
    hyp = outcome.hypotheses
    assert hyp is not None and hyp.verdict is Verdict.PROVED and "replayed exactly" in hyp.reason
    assert hyp.witness is not None and hyp.witness["mu"] == 4 and hyp.witness["v"] > 0
    text = hypotheses_obligation(sound).to_smtlib()  # type: ignore[union-attr]
    assert "(set-info :status sat)" in text and "(* v v mu)" not in text


def test_budget_exhaustion_is_deterministic_unknown() -> None:
    x, y = z3.Reals("x y")
    hard = _obligation([x * x + y * y == 2, x > 0], x * y > 2)
    runner = Runner((Z3Backend(rlimit=1), Cvc5Backend(rlimit=1)), isolate=False)
    answers = [runner.run([hard])[0] for _ in range(2)]
    assert all(o.verdict is Verdict.UNKNOWN for o in answers)
    assert answers[0].answers == answers[1].answers
    assert "resource budget exhausted" in answers[0].reason


def test_budgets_are_recorded_and_validated() -> None:
    runner = Runner((Z3Backend(rlimit=1234), Cvc5Backend(rlimit=99)), isolate=False)
    budgets = runner.budgets["solvers"]
    assert [b for b in budgets.values()] == [{"rlimit": 1234}, {"rlimit-per": 99}]
    for bad in (0, -5, 10**13, True, 2.5):
        try:
            check_rlimit(bad)
        except Exception as err:  # noqa: BLE001 - the message is what matters
            assert f"rlimit={bad!r} must be a whole number" in str(err)
        else:
            raise AssertionError(f"{bad!r} accepted as a budget")
    assert Runner(timeout_s=1e300, isolate=False).timeout_s == 86_400.0  # clamped safety net
