"""Generic exact replay of a model: substitute exact rationals into the obligation's own SMT-LIB text.

Every assertion must simplify to ``true`` (ground rational arithmetic, no
search, no floats). Used for the hypotheses-only vacuity checks and for
hand-built obligations under ``proofs/``.

>>> import z3
>>> from fractions import Fraction
>>> from symrelu.verify.engine.obligation import Obligation
>>> x = z3.Real("x")
>>> ob = Obligation.build("half", [2 * x == 1], check="demo", subject="none", expected="sat")
>>> exact_replay(ob, {"x": Fraction(1, 2)}).confirmed, exact_replay(ob, {"x": Fraction(1)}).confirmed
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import z3

from ...exact import z3_rational


@dataclass(frozen=True)
class Replayed:
    """What a check's exact replay of a model found.

    ``confirmed`` is true when the model, recomputed in exact arithmetic on the
    original network or problem, really is what the obligation says (a
    counterexample, or the claimed witness); ``witness`` is that exact data.
    """

    confirmed: bool
    witness: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""


def _z3_value(value: Any, sort: str, context: z3.Context) -> z3.ExprRef:
    if sort == "Bool":
        return z3.BoolVal(bool(value), context)
    return z3_rational(Fraction(value), context)


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
