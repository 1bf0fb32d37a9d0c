"""Run hand-built obligations, replay sat models exactly, and re-run committed ``.smt2`` files.

:func:`exact_replay` is generic: it re-reads the obligation's own SMT-LIB text
with Z3, substitutes the model's exact rationals and requires every assertion
to simplify to ``true`` (ground rational arithmetic, no search, no floats).

>>> import z3
>>> from fractions import Fraction
>>> from symrelu.verify import Obligation, Runner
>>> x = z3.Real("x")
>>> ob = Obligation.build("half", [2 * x == 1], check="demo", subject="none", expected="sat")
>>> exact_replay(ob, {"x": Fraction(1, 2)}).confirmed, exact_replay(ob, {"x": Fraction(1)}).confirmed
(True, False)
>>> solve("demo", [ob], Runner()).verdict
<Verdict.PROVED: 'PROVED'>
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InputFormatError
from ..verify import CheckResult, Obligation, Runner, Verdict
from ..verify.engine.replay import exact_replay
from ..verify.engine.runner import combine_outcomes, with_hypotheses

_DECLARE = re.compile(r"^\(declare-fun (\S+) \(\) (Real|Bool)\)$", re.MULTILINE)
_STATUS = re.compile(r"^\(set-info :status (sat|unsat|unknown)\)$", re.MULTILINE)


def solve(
    name: str,
    obligations: Sequence[Obligation],
    runner: Runner,
    details: Mapping[str, Any] | None = None,
) -> CheckResult:
    """Answer hand-built obligations with ``runner`` and fold them into one :class:`CheckResult`."""
    outcomes = runner.run(obligations, exact_replay)
    verdict, solvers, reason = combine_outcomes(outcomes)
    witness = None
    if verdict is Verdict.REFUTED:
        witness = next(o.witness for o in outcomes if o.verdict is Verdict.REFUTED)
    elif verdict is Verdict.PROVED:
        sat = {o.obligation.name: o.witness for o in outcomes if o.witness is not None}
        witness = sat or None
    return CheckResult(
        name=name, verdict=verdict, solvers=solvers, witness=witness, reason=reason,
        details=dict(details or {}, solver_budgets=runner.budgets), obligations=with_hypotheses(outcomes),
    )


@dataclass(frozen=True)
class SmtFile:
    """A committed ``.smt2`` file as the solver backends see an obligation: its text, verbatim.

    ``name`` is the path relative to the artifacts folder; ``expected`` the
    status the claim's JSON requires; ``declared_status`` what the file's own
    ``(set-info :status ...)`` says (None when absent).
    """

    name: str
    text: str
    expected: str
    variables: tuple[tuple[str, str], ...]
    declared_status: str | None

    @classmethod
    def read(cls, name: str, text: str, expected: str) -> SmtFile:
        if expected not in ("sat", "unsat"):
            raise InputFormatError(f"{name}: expected status must be sat or unsat, not {expected!r}")
        variables = tuple(sorted(_DECLARE.findall(text)))
        found = _STATUS.findall(text)
        return cls(name, text, expected, variables, found[0] if len(found) == 1 else None)

    @property
    def filename(self) -> str:
        return self.name

    def to_smtlib(self) -> str:
        return self.text
