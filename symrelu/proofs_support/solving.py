"""Run hand-built obligations, replay sat models exactly, and re-run committed ``.smt2`` files.

:func:`exact_replay` is generic: it re-reads the obligation's own SMT-LIB text
with Z3, substitutes the model's exact rationals and requires every assertion
to simplify to ``true`` (ground rational arithmetic, no search, no floats).

>>> import z3
>>> from symrelu.verify import Obligation, Runner
>>> x = z3.Real("x")
>>> ob = Obligation.build("half", [2 * x == 1], check="demo", subject="none", expected="sat")
>>> exact_replay(ob, {"x": Fraction(1, 2)}).confirmed, exact_replay(ob, {"x": Fraction(1)}).confirmed
(True, False)
>>> solve("demo", [ob], Runner(timeout_s=10)).verdict
<Verdict.PROVED: 'PROVED'>
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import z3

from ..errors import InputFormatError
from ..verify import CheckResult, Obligation, Replayed, Runner, Verdict
from ..verify.runner import combine_outcomes

_DECLARE = re.compile(r"^\(declare-fun (\S+) \(\) (Real|Bool)\)$", re.MULTILINE)
_STATUS = re.compile(r"^\(set-info :status (sat|unsat|unknown)\)$", re.MULTILINE)


def _z3_value(value: Any, sort: str, context: z3.Context) -> z3.ExprRef:
    if sort == "Bool":
        return z3.BoolVal(bool(value), context)
    value = Fraction(value)
    return z3.RealVal(f"{value.numerator}/{value.denominator}", context)


def exact_replay(obligation: Any, model: Mapping[str, Any]) -> Replayed:
    """Substitute the exact model into the obligation's own SMT-LIB text; every assertion must become true."""
    context = z3.Context()
    assertions = z3.parse_smt2_string(obligation.to_smtlib(), ctx=context)
    pairs = []
    for smt_name, sort in obligation.variables:
        if smt_name not in model:
            return Replayed(False, reason=f"the model has no value for {smt_name}")
        plain = smt_name[1:-1] if smt_name.startswith("|") else smt_name
        const = z3.Bool(plain, context) if sort == "Bool" else z3.Real(plain, context)
        pairs.append((const, _z3_value(model[smt_name], sort, context)))
    for formula in assertions:
        value = z3.simplify(z3.substitute(formula, *pairs)) if pairs else z3.simplify(formula)
        if not z3.is_true(value):
            return Replayed(False, reason=f"assertion {formula.sexpr()[:80]} is {value} under the model")
    return Replayed(True, witness={name: model[name] for name, _ in obligation.variables})


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
        details=dict(details or {}), obligations=tuple(outcomes),
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
