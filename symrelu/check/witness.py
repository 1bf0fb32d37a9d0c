"""The printed forms of a check result: JSON (keys sorted, rationals as "p/q") and the VNN-COMP witness.

>>> from fractions import Fraction as F
>>> from symrelu.check.engine import CheckResult
>>> r = CheckResult("sat", (F(1, 2),), (F(-3),))
>>> witness_text(r)
'((X_0 0.5)\\n (Y_0 -3))\\n'
>>> result_json(r)["counterexample"]
{'X_0': '1/2', 'Y_0': '-3'}
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..errors import InputFormatError
from ..exact import format_rational
from .engine import CheckResult


def _smt_number(value: Fraction) -> str:
    """A VNN-COMP number: a finite decimal when one is exact, else ``(/ p q)``."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den == 1:
        digits = max(twos, fives)
        scaled = abs(value.numerator) * (10**digits // value.denominator)
        text = str(scaled).rjust(digits + 1, "0")
        body = f"{text[:-digits]}.{text[-digits:]}" if digits else text
        return ("-" if value < 0 else "") + body
    return f"(/ {value.numerator} {value.denominator})"


def witness_text(result: CheckResult) -> str:
    """``((X_0 v) ... (Y_0 v))`` with every value exact."""
    if result.result != "sat" or result.inputs is None or result.outputs is None:
        raise InputFormatError(f"a witness exists only for a sat result, this one is {result.result}")
    parts = [f"(X_{i} {_smt_number(v)})" for i, v in enumerate(result.inputs)]
    parts += [f"(Y_{j} {_smt_number(v)})" for j, v in enumerate(result.outputs)]
    return "(" + "\n ".join(parts) + ")\n"


def result_json(result: CheckResult) -> dict[str, Any]:
    """The JSON object of a result (``counterexample`` is null unless sat)."""
    counterexample = None
    if result.inputs is not None and result.outputs is not None:
        counterexample = {f"X_{i}": format_rational(v) for i, v in enumerate(result.inputs)}
        counterexample.update({f"Y_{j}": format_rational(v) for j, v in enumerate(result.outputs)})
    return {"result": result.result, "counterexample": counterexample, "reason": result.reason or None, "stats": result.stats}
