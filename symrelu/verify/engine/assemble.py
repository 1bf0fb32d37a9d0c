"""Shared plumbing of the checks: run obligations, fold outcomes into a CheckResult.

>>> import z3
>>> from symrelu.verify.engine.obligation import Obligation
>>> x = z3.Real("x")
>>> ob = Obligation.build("sq", [x * x < 0], check="demo", subject="none")
>>> run_check("demo", [ob], None).verdict
<Verdict.PROVED: 'PROVED'>
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from fractions import Fraction
from math import isqrt
from typing import Any

from .obligation import Obligation
from .runner import Replay, Runner, combine_outcomes, with_hypotheses
from .verdict import CheckResult, Verdict


def runner_or_default(runner: Runner | None, timeout_s: float = 120.0) -> Runner:
    """The given runner, or Z3 + cvc5 on one process (default budgets, ``timeout_s`` as the safety net)."""
    return runner if runner is not None else Runner(timeout_s=timeout_s)


def run_check(
    name: str,
    obligations: Sequence[Obligation],
    runner: Runner | None,
    replay: Replay | None = None,
    value: Fraction | None = None,
    value_squared: Fraction | None = None,
    details: Mapping[str, Any] | None = None,
    timeout_s: float = 120.0,
) -> CheckResult:
    """Run ``obligations`` and build the check's result (witness from the first refutation)."""
    started = time.perf_counter()
    runner = runner_or_default(runner, timeout_s)
    outcomes = runner.run(obligations, replay)
    verdict, solvers, reason = combine_outcomes(outcomes)
    witness = next((o.witness for o in outcomes if o.verdict is Verdict.REFUTED), None)
    return CheckResult(
        name=name,
        verdict=verdict,
        value=value,
        value_squared=value_squared,
        solvers=solvers,
        witness=witness,
        reason=reason,
        details=dict(details or {}, solver_budgets=runner.budgets),
        obligations=with_hypotheses(outcomes),
        elapsed_s=time.perf_counter() - started,
    )


def rational_sqrt(square: Fraction) -> Fraction | None:
    """The rational square root of ``square`` if it has one, else None.

    >>> rational_sqrt(Fraction(9, 4)), rational_sqrt(Fraction(2))
    (Fraction(3, 2), None)
    """
    if square < 0:
        return None
    num, den = isqrt(square.numerator), isqrt(square.denominator)
    if num * num == square.numerator and den * den == square.denominator:
        return Fraction(num, den)
    return None
