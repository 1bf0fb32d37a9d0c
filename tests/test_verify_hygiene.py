"""Symbol hygiene (issue 9, bug 2): user parameter names never meet internal solver symbols.

The regression: a parameter named ``mu`` shared z3's namespace with
``hessian_bound``'s own scalar ``mu``, so the obligation's hypotheses were
contradictory and every bound was "PROVED". The property test renames the
parameters of one problem with reserved words, internal symbol names and
unicode identifiers and asserts that the verdicts do not change; the expected
verdicts come from hand algebra (the maximum of ||H||^2 is 16).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.params.problem import problem_from_dict
from symrelu.params.z3tools import param_name, param_symbol
from symrelu.verify import Runner, Verdict, hessian_bound

RESERVED = ["mu", "ite", "let", "true", "false", "not", "and", "or", "assert", "v_0", "delta", "radius_", "t_w",
            "u", "x_0", "xp_0", "L", "t", "_", "forall", "Real", "θ", "λ1", "Σ_b", "ünï"]


def _problem(first: str, second: str) -> Any:
    """ℓ(w, m) = ½(m·relu(w) − 1)² on [-1, 1]²: on the region w > 0 the Hessian at (1, 1) has ||H||² = 16."""
    return problem_from_dict({
        "network": {"layers": [{"weight": [[first]], "bias": ["0"]}, {"weight": [[second]], "bias": ["0"]}]},
        "data": [{"x": ["1"], "y": ["1"]}], "loss": "squared",
        "domain": {first: ["-1", "1"], second: ["-1", "1"]},
    })


def _runner() -> Runner:
    return Runner(isolate=False)


def test_parameter_named_mu_no_longer_proves_a_false_bound() -> None:
    problem = _problem("w", "mu")
    assert hessian_bound(problem, bound_squared=4, runner=_runner()).verdict is Verdict.REFUTED
    assert hessian_bound(problem, bound_squared=15, runner=_runner()).verdict is Verdict.REFUTED
    assert hessian_bound(problem, bound_squared=16, runner=_runner()).verdict is Verdict.PROVED


def test_smtlib_reserved_words_are_accepted_as_parameter_names() -> None:
    for name in ("ite", "let", "true", "not"):
        for first, second in (("w", name), (name, "w")):
            result = hessian_bound(_problem(first, second), bound_squared=16, runner=_runner())
            assert result.verdict is Verdict.PROVED, (name, result.reason)


def test_symbols_are_injective_and_invertible() -> None:
    names = RESERVED + ["w", "w1", "W1", "ceb8"]
    symbols = [param_symbol(n, c) for n in names for c in ("", "t", "tp")]
    assert len(set(symbols)) == len(symbols)
    assert all(param_name(param_symbol(n, c)) == n for n in names for c in ("", "t"))
    assert param_name("mu") is None and param_name("v_0") is None


identifiers = st.one_of(st.sampled_from(RESERVED), st.text(min_size=1, max_size=4).filter(str.isidentifier))


@settings(max_examples=8, deadline=None)
@given(st.lists(identifiers, min_size=2, max_size=2, unique=True))
def test_verdicts_unchanged_by_renaming(names: list[str]) -> None:
    first, second = names
    problem = _problem(first, second)
    assert hessian_bound(problem, bound_squared=15, runner=_runner()).verdict is Verdict.REFUTED
    proved = hessian_bound(problem, bound_squared=16, runner=_runner())
    assert proved.verdict is Verdict.PROVED, proved.reason
