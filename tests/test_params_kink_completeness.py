"""Kink completeness (issue 9, bug 1): the kink list and the smooth verdict agree with Clarke sets.

The regression: ℓ(w) = ½(2·relu(w) − 1)² has a gradient jump of −2 at w = 0,
but its two regions differ in two bits (the layer-2 switch is identically 0
for w < 0), so the old one-bit pairing found no kink and
``no_global_gradient_lipschitz`` answered REFUTED ("constant 4"). The property
test compares, on random small two-layer problems, the kink verdicts with an
independent local computation: a Clarke set with more than one element at a
point means the gradient jumps there.
"""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.params.kinks import dangerous_kinks, find_kinks
from symrelu.params.landscape import enumerate_parameter_regions
from symrelu.params.problem import problem_from_dict
from symrelu.params.subdifferential import clarke_subdifferential
from symrelu.verify import Runner, Verdict, no_global_gradient_lipschitz

BUG1 = {
    "network": {"layers": [{"weight": [["w"]], "bias": ["0"]}, {"weight": [["2"]], "bias": ["0"]},
                           {"weight": [["1"]], "bias": ["0"]}]},
    "data": [{"x": ["1"], "y": ["1"]}], "loss": "squared", "domain": {"w": ["-1", "1"]},
}


def test_jump_across_two_differing_bits_is_found() -> None:
    problem = problem_from_dict(BUG1)
    kinks = find_kinks(enumerate_parameter_regions(problem))
    assert [(k.below, k.above, k.dangerous) for k in kinks] == [("0|0", "1|1", True)]
    assert kinks[0].dangerous_jump == (F(-2),)  # ℓ'(0+) − ℓ'(0−) = (4·0 − 2) − 0, hand algebra
    clarke = clarke_subdifferential(problem, (F(0),))
    assert sorted(clarke.vertices) == [(F(-2),), (F(0),)]
    result = no_global_gradient_lipschitz(problem, runner=Runner(isolate=False))
    assert result.verdict is Verdict.PROVED, result.reason


def _network(first: list[str], bias: list[str], middle: str | None, second: list[str], x: str, y: str) -> Any:
    """x -> relu(first·x + bias) [-> relu(middle·h)] -> second·h: one or two hidden ReLU layers, parameter w."""
    layers = [{"weight": [[v] for v in first], "bias": bias}]
    if middle is not None:  # a second ReLU layer of the same width, diagonal: its switch can vanish identically
        width = len(first)
        layers.append({"weight": [[middle if i == j else "0" for j in range(width)] for i in range(width)],
                       "bias": ["0"] * width})
    layers.append({"weight": [second], "bias": ["0"]})
    return problem_from_dict({"network": {"layers": layers}, "data": [{"x": [x], "y": [y]}], "loss": "squared",
                              "domain": {"w": ["-2", "2"]}})


small = st.sampled_from(["-2", "-1", "0", "1", "2", "1/2", "-1/2"])
entry = st.one_of(small, st.just("w"))
GRID = tuple(F(i, 4) for i in range(-7, 8))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 2).flatmap(lambda width: st.tuples(
    st.lists(entry, min_size=width, max_size=width), st.lists(small, min_size=width, max_size=width),
    st.one_of(st.none(), small), st.lists(entry, min_size=width, max_size=width), small, small)))
def test_kinks_and_smoothness_agree_with_clarke(spec: tuple[list[str], list[str], str | None, list[str], str, str]) -> None:
    first, bias, middle, second, x, y = spec
    if "w" not in first + second:
        first = ["w"] + first[1:]
    problem = _network(first, bias, middle, second, x, y)
    land = enumerate_parameter_regions(problem)
    dangerous = dangerous_kinks(find_kinks(land))
    jumps_at = [p for p in GRID if len(clarke_subdifferential(problem, (p,)).vertices) > 1]
    for point in jumps_at:  # a multi-element Clarke set means a dangerous kink there
        assert any(k.surface[0]((point,)) == 0 for k in dangerous), (point, spec)
    for kink in dangerous:  # and every dangerous kink has a multi-element Clarke set at its witness
        assert kink.dangerous_witness is not None
        assert len(clarke_subdifferential(problem, kink.dangerous_witness).vertices) > 1
    if problem.is_linear and all(r.loss.degree <= 2 for r in land.regions):
        verdict = no_global_gradient_lipschitz(problem, landscape=land, runner=Runner(isolate=False)).verdict
        if jumps_at:
            assert verdict is not Verdict.REFUTED, spec  # never "the gradient IS Lipschitz" across a jump
        if verdict is Verdict.REFUTED:
            assert not dangerous
