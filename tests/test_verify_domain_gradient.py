"""``lipschitz_on_domain``'s gradient route (one parameter copy, forward-mode ∇ℓ).

Verdicts are compared with exact evaluation of the loss (``Problem.loss_at``) on
rational pairs and with the closed form: on D = [-1, 1]² the leaky paper
instance has ℓ = ½(lrelu(w1) + lrelu(w2) − 1)², whose gradient norm² has
supremum 2 (at w = (1, 1), and as w → 0⁺). Solver budgets are the deterministic
defaults; nothing here depends on wall-clock time.
"""

from __future__ import annotations

from fractions import Fraction as F

from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.params import paper_instance
from symrelu.params.problem import Problem, load_problem, problem_from_dict
from symrelu.verify import Verdict
from symrelu.verify.checks.lipschitz_on_domain import lemma_constants, lipschitz_on_domain
from symrelu.verify.encodings.loss_gradient import gradient_at
from symrelu.verify.engine.runner import Runner

box = st.fractions(min_value=-1, max_value=1, max_denominator=64)


def leaky(loss: str = "squared") -> Problem:
    problem = load_problem("leaky_paper_instance")
    if loss == "squared":
        return problem
    return problem_from_dict({"network": problem.network, "data": [{"x": ["1"], "y": ["1"]}], "loss": loss,
                              "domain": {"w1": ["-1", "1"], "w2": ["-1", "1"]}})


def ratio(problem: Problem, a: tuple[F, ...], b: tuple[F, ...]) -> F:
    distance = sum(((p - q) ** 2 for p, q in zip(a, b, strict=True)), F(0))
    return (problem.loss_at(a) - problem.loss_at(b)) ** 2 / distance


def assert_refuted_or_unknown(problem: Problem, g2: F) -> None:
    result = lipschitz_on_domain(problem, G_squared=g2, runner=Runner(isolate=False))
    assert result.verdict is not Verdict.PROVED
    if result.verdict is Verdict.REFUTED:
        w = result.witness
        assert w is not None
        a, b = tuple(w["theta"]), tuple(w["theta_prime"])
        assert all(-1 <= v <= 1 for v in a + b)
        assert ratio(problem, a, b) > g2 == result.value_squared


def test_leaky_paper_instance_proved_by_the_gradient_route() -> None:
    problem = leaky()
    assert lemma_constants(problem)["G_squared"] == F(72, 25)  # the lemmas cannot give 2
    result = lipschitz_on_domain(problem, G_squared=2, runner=Runner(isolate=False))
    assert result.verdict is Verdict.PROVED
    assert result.details["route"] == "gradient"
    assert len(result.solvers) == 2 and {s.split()[0] for s in result.solvers} == {"z3", "cvc5"}


def test_too_small_bound_is_never_proved_and_the_witness_replays() -> None:
    assert_refuted_or_unknown(leaky(), F(19, 10))
    result = lipschitz_on_domain(leaky(), G_squared=F(19, 10), route="gradient", runner=Runner(isolate=False))
    assert result.verdict is Verdict.REFUTED  # deterministic budgets: the model and its pair search are fixed


def test_absolute_loss_gradient_route() -> None:
    problem = leaky("absolute")
    proved = lipschitz_on_domain(problem, G_squared=2, route="gradient", runner=Runner(isolate=False))
    assert proved.verdict is Verdict.PROVED
    assert ratio(problem, (F(1), F(1)), (F(99, 100), F(99, 100))) == 2  # the bound is attained: 2 is tight
    assert_refuted_or_unknown(problem, F(19, 10))


def test_relu_paper_instance_routes_agree() -> None:
    problem = paper_instance()
    assert lipschitz_on_domain(problem, G_squared=2, runner=Runner(isolate=False)).details["route"] == "lemmas"
    forced = lipschitz_on_domain(problem, G_squared=2, route="gradient", runner=Runner(isolate=False))
    assert forced.verdict is Verdict.PROVED
    assert lipschitz_on_domain(problem, G_squared=F(19, 10), route="gradient",
                               runner=Runner(isolate=False)).verdict is Verdict.REFUTED


@settings(max_examples=60, deadline=None)
@given(st.tuples(box, box), st.tuples(box, box))
def test_exact_pairs_stay_within_the_proved_bound(a: tuple[F, F], b: tuple[F, F]) -> None:
    if a == b:
        return
    for loss in ("squared", "absolute"):
        assert ratio(leaky(loss), a, b) <= 2


def test_tightness_near_the_corner() -> None:
    problem = leaky()
    eps = F(1, 1000)
    assert F(19, 10) < ratio(problem, (F(1), F(1)), (1 - eps, 1 - eps)) <= 2


@settings(max_examples=40, deadline=None)
@given(st.tuples(box, box))
def test_encoded_gradient_matches_exact_central_differences(theta: tuple[F, F]) -> None:
    """Off the axes ℓ is one quadratic near θ, so central differences are exact."""
    problem = leaky()
    h = F(1, 10 ** 6)
    if any(abs(v) <= h for v in theta):
        return
    central = []
    for j in range(2):
        up = tuple(v + (h if i == j else 0) for i, v in enumerate(theta))
        down = tuple(v - (h if i == j else 0) for i, v in enumerate(theta))
        central.append((problem.loss_at(up) - problem.loss_at(down)) / (2 * h))
    assert gradient_at(problem, theta) == tuple(central)
