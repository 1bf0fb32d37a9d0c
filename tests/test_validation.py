"""The one box rule and the shared argument checks (symrelu.validation), against independent meanings.

A box is accepted exactly when it is non-empty (some point lies in every interval); analyses that
need an interior refuse a single point with a DomainError; every consumer follows the same rule, and
a degenerate box given to an analysis that accepts it gets the answer of an independent method (the
network restricted to the free inputs, analysed exactly by regions).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu import DomainError, InputFormatError, Network, ShapeError, SolverError, enumerate_regions
from symrelu.check import output_bounds
from symrelu.lipschitz import lipschitz_constant
from symrelu.validation import NORMS, check_box, check_count, check_interval, check_norm, check_output
from symrelu.verify import Verdict
from symrelu.verify.checks.input_lipschitz import input_lipschitz
from symrelu.verify.engine.runner import Runner
from symrelu.verify.engine.solvers import default_backends

small = st.fractions(min_value=-4, max_value=4, max_denominator=6)
intervals = st.tuples(small, small)


def _points(lo: Fraction, hi: Fraction) -> set[Fraction]:
    """Independent meaning: which of a few candidate points lie in [lo, hi] (empty set = empty interval)."""
    return {p for p in (lo, hi, (lo + hi) / 2) if lo <= p <= hi}


@given(st.lists(intervals, min_size=1, max_size=3), st.booleans())
def test_one_rule_for_boxes(box: list[tuple[Fraction, Fraction]], interior: bool) -> None:
    nonempty = all(_points(lo, hi) for lo, hi in box)
    full = all(len(_points(lo, hi)) > 1 for lo, hi in box)  # two distinct points: an interior
    accepted = full if interior else nonempty
    text = [(str(lo), str(hi)) for lo, hi in box]  # the same box as text, read exactly
    if accepted:
        assert check_box(len(box), text, interior=interior) == tuple(box)
    else:
        with pytest.raises(DomainError) as err:
            check_box(len(box), text, interior=interior)
        bad = next(i for i, (lo, hi) in enumerate(box) if lo > hi or (interior and lo == hi))
        assert f"box interval {bad} " in str(err.value)
        assert ("single point" in str(err.value)) == (box[bad][0] == box[bad][1])


@given(intervals)
def test_interval_and_box_agree(pair: tuple[Fraction, Fraction]) -> None:
    for interior in (True, False):
        try:
            alone = check_interval(*pair, "box interval 0", interior=interior)
        except DomainError as err:
            with pytest.raises(DomainError, match=str(err).replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
                check_box(1, [pair], interior=interior)
        else:
            assert check_box(1, [pair], interior=interior) == (alone,)


@pytest.mark.parametrize("box", [[(0, 1)], [(0, 1), (0, 1), (0, 1)], [(0, 1, 2), (0, 1)], [0, 1], "0:1,0:1"])
def test_box_shape_is_checked(box: object) -> None:
    with pytest.raises((ShapeError, InputFormatError)):
        check_box(2, box)  # type: ignore[arg-type]


NET2 = Network.from_rows([([[1, 2], [-1, 1]], [0, "1/2"]), ([[1, -1]], [0])])
"""2 inputs, 1 output; every box below is checked against the rule through real consumers."""


@settings(max_examples=25, deadline=None)
@given(intervals, intervals)
def test_consumers_follow_the_rule(first: tuple[Fraction, Fraction], second: tuple[Fraction, Fraction]) -> None:
    box = [first, second]
    full = all(lo < hi for lo, hi in box)
    nonempty = all(lo <= hi for lo, hi in box)
    if full:  # independent check: the regions tile the box (areas sum to its area)
        regions = enumerate_regions(NET2, box)
        assert sum(r.measure for r in regions) == (first[1] - first[0]) * (second[1] - second[0])
    else:
        with pytest.raises(DomainError):
            enumerate_regions(NET2, box)
        with pytest.raises(DomainError):
            lipschitz_constant(NET2, box)
    if nonempty:  # the closed box: output bounds are attained at exactly evaluated points inside it
        (bound,) = output_bounds(NET2, box)
        for point, value in ((bound.argmin, bound.minimum), (bound.argmax, bound.maximum)):
            assert all(lo <= v <= hi for v, (lo, hi) in zip(point, box, strict=True))
            assert NET2.evaluate(point)[0] == value
        if all(lo == hi for lo, hi in box):  # a single point: both bounds are its value
            assert bound.minimum == bound.maximum == NET2.evaluate([lo for lo, _ in box])[0]
    else:
        with pytest.raises(DomainError):
            output_bounds(NET2, box)


def _restricted(net: Network, fixed: Fraction) -> Network:
    """``x -> net(x, fixed)``: the second input folded into the first layer's bias (an independent route)."""
    first, *rest = net.layers
    rows = [([[row[0]]], [b + row[1] * fixed]) for row, b in zip(first.weight, first.bias, strict=True)]
    weight = [r[0][0] for r in rows]
    bias = [r[1][0] for r in rows]
    return Network.from_rows([(weight, bias)] + [(layer.weight, layer.bias) for layer in rest])


def test_degenerate_box_gets_the_restricted_answer() -> None:
    """On [-1, 1] x {1/3} the Lipschitz constant is that of x -> f(x, 1/3) on [-1, 1]."""
    fixed = Fraction(1, 3)
    exact = lipschitz_constant(_restricted(NET2, fixed), [(-1, 1)], norm="inf")
    k = exact.constant_squared  # the dual of inf in 1-D is |g|; K^2 = g^2
    runner = Runner(default_backends(), isolate=False)
    box = [(-1, 1), (fixed, fixed)]
    proved = input_lipschitz(NET2, box, K_squared=k, norm="inf", runner=runner)
    assert proved.verdict is Verdict.PROVED
    refuted = input_lipschitz(NET2, box, K_squared=k * Fraction(99, 100), norm="inf", runner=runner)
    assert refuted.verdict is Verdict.REFUTED
    assert refuted.witness["x"][1] == refuted.witness["x_prime"][1] == fixed
    with pytest.raises(DomainError, match="single point"):
        input_lipschitz(NET2, box, K_squared=k, norm="inf", runner=runner, route="regions")


@given(st.one_of(st.none(), st.integers(-3, 5), st.booleans(), st.text(max_size=2)), st.integers(1, 3))
def test_check_output(output: object, outputs: int) -> None:
    net = Network.from_rows([([[1]], [0]), ([[1]] * outputs, [0] * outputs)])
    valid = (output is None and outputs == 1) or (
        isinstance(output, int) and not isinstance(output, bool) and 0 <= output < outputs)
    if valid:
        assert check_output(net, output) == (output or 0)
    else:
        with pytest.raises((ShapeError, InputFormatError)) as err:
            check_output(net, output)
        assert "output=" in str(err.value) and "--output" not in str(err.value)


@given(st.one_of(st.integers(-5, 20), st.booleans(), st.floats(allow_nan=False), st.none()),
       st.integers(-2, 3), st.one_of(st.none(), st.integers(3, 12)))
def test_check_count(value: object, low: int, high: int | None) -> None:
    ok = isinstance(value, int) and not isinstance(value, bool) and low <= value and (high is None or value <= high)
    if ok:
        assert check_count(value, "jobs", low, high) == value
    else:
        with pytest.raises(SolverError, match=r"^jobs=.* must be a whole number"):
            check_count(value, "jobs", low, high, SolverError)


@given(st.sampled_from(["1", "2", "inf", " INF", 1, 2, "3", "l2", 0, "infinity"]))
def test_check_norm(norm: object) -> None:
    text = str(norm).strip().lower()
    if text in NORMS:
        assert check_norm(norm) == text
    else:
        with pytest.raises(InputFormatError, match="norm="):
            check_norm(norm)
