"""The problem checks C1 (problem and network), C2, C5, C5a: exact values against independent methods."""

from __future__ import annotations

from fractions import Fraction as F
from itertools import product

import cvc5  # noqa: F401,E402  (the dev extra installs it: the second opinion must run)
import numpy as np
import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.network import Network
from symrelu.params import (
    Problem,
    backprop_gradient,
    enumerate_parameter_regions,
    paper_instance,
    tied_relu_instance,
    two_layer_instance,
)
from symrelu.params.z3tools import param_vars
from symrelu.verify import (
    Runner,
    Verdict,
    clarke_bound,
    hessian_bound,
    lipschitz_on_domain,
    no_global_gradient_lipschitz,
)
from symrelu.verify.checks.gradient_lipschitz import _reach
from symrelu.verify.checks.hessian_bound import constant_hessian
from symrelu.verify.encodings.slope_encoding import encode_output_slopes
from symrelu.verify.encodings.spectral import spectral_norm_squared
from symrelu.verify.engine.solvers import DEFAULT_CVC5_RLIMIT, DEFAULT_Z3_RLIMIT, MAX_TIMEOUT_S, Cvc5Backend, Z3Backend

FAST = Runner(isolate=False)
SHORT = Runner(timeout_s=4, grace_s=1)  # isolated: a hanging cvc5 is stopped (sat answers are replayed anyway)
BOTH = 2


def _problem(rows: list, data: list, domain: dict | None) -> Problem:
    return Problem(Network.from_rows(rows), data, "squared", domain)


# ½ relu(w)²: jumps are zero (gradient relu(w) is continuous) but the region gradients differ; 1-Lipschitz.
HALF_RELU_SQUARED = _problem([([["w"]], [0]), ([[1]], [0])], [(["1"], ["0"])], {"w": ("-1", "1")})
# every neuron dead on D: relu(w - 3) with w in [-1, 1]; the loss is constant
DEAD = _problem([([["w"]], [-3]), ([[1]], [0])], [(["1"], ["1"])], {"w": ("-1", "1")})
# linear model: one region, Hessian [[1, 1/2], [1/2, 1/2]] with irrational spectral norm
LINEAR = _problem([([["w1", "w2"]], [0])], [(["1", "0"], ["0"]), (["1", "1"], ["0"])], {"w1": ("-1", "1"), "w2": ("-1", "1")})
# a (output) and w trainable, y = 0: ½ a² relu(w)², zero jumps but a Hessian that is not constant
BILINEAR = _problem([([["w"]], [0]), ([["a"]], [0])], [(["1"], ["0"])], {"w": ("-1", "1"), "a": ("-1", "1")})


# -------------------------------------------------------------------- C2
def test_hessian_bound_paper_instance() -> None:
    result = hessian_bound(paper_instance(), runner=FAST)
    assert result.verdict is Verdict.PROVED and len(result.solvers) == BOTH
    assert (result.value, result.value_squared, result.details["attained_in"]) == (2, 4, "11")
    assert result.witness["attains"] is True and result.witness["ratio_squared"] == 4
    # independent: numpy's spectral norm of every region's Hessian
    for region in enumerate_parameter_regions(paper_instance()).regions:
        h = np.array([[float(v) for v in row] for row in constant_hessian(region)])
        assert np.linalg.norm(h, 2) ** 2 <= 4 + 1e-12
    main = [o for o in result.obligations if not o.obligation.name.endswith(".hyp")]
    assert len(main) == 4 and all(o.hypotheses is not None and o.hypotheses.verdict is Verdict.PROVED for o in main)


def test_hessian_bound_irrational_norm_and_given_bounds() -> None:
    result = hessian_bound(LINEAR, runner=FAST)
    assert result.verdict is Verdict.PROVED and result.value is None and result.value_squared is None
    h = np.array([[1.0, 0.5], [0.5, 0.5]])
    assert float(eval(result.details["value_squared_expression"].replace("sqrt", "np.sqrt"))) == pytest.approx(np.linalg.norm(h, 2) ** 2)
    assert "irrational" in result.reason
    assert hessian_bound(LINEAR, bound_squared=F(7, 4), runner=FAST).verdict is Verdict.PROVED  # mu = 1.714...
    refuted = hessian_bound(LINEAR, bound_squared=F(17, 10), runner=FAST)
    assert refuted.verdict is Verdict.REFUTED and refuted.witness["ratio_squared"] > F(17, 10)


def test_hessian_bound_nonconstant_is_a_proved_frobenius_bound_or_unknown_without_a_domain() -> None:
    result = hessian_bound(BILINEAR, runner=FAST)  # 1/2 a^2 relu(w)^2: H = [[a^2, 2aw], [2aw, w^2]] for w > 0
    assert result.verdict is Verdict.PROVED and result.value_squared == 10 and "exact" in result.solvers
    assert "not the supremum" in result.reason and result.details["supremum_at_least"] == 9
    # by hand: on [-1, 1]^2 the Frobenius norm^2 a^4 + 8a^2w^2 + w^4 peaks at 10 and ||H||_2^2 = 9 at (1, 1)
    grid = [F(k, 4) for k in range(-4, 5)]
    assert max(a**4 + 8 * a * a * w * w + w**4 for a in grid for w in grid if w >= 0) == 10
    unbounded = Problem(BILINEAR.network, BILINEAR.data, "squared", None)
    none = hessian_bound(unbounded, runner=FAST)
    assert none.verdict is Verdict.UNKNOWN and "not constant" in none.reason and "bound_squared" in none.reason


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(-6, 6), min_size=6, max_size=6), st.integers(1, 4))
def test_spectral_norm_matches_numpy(entries: list[int], den: int) -> None:
    a, b, c, d, e, f = (F(v, den) for v in entries)
    rows = [[a, b, c], [b, d, e], [c, e, f]]
    norm = spectral_norm_squared(rows)
    expected = np.linalg.norm(np.array([[float(v) for v in r] for r in rows]), 2) ** 2
    value = float(norm.value_squared) if norm.value_squared is not None else float(norm.expression.evalf(30))
    assert value == pytest.approx(expected, rel=1e-9, abs=1e-12)
    lo, hi = norm.interval
    assert lo <= F(value).limit_denominator(10**9) + F(1, 10**6) and F(value).limit_denominator(10**9) - F(1, 10**6) <= hi


# -------------------------------------------------------------------- C5
def _grid_max(problem: Problem, steps: int) -> F:
    """max ||grad l||^2 by exact backpropagation on a rational grid of D (off the kinks: relu'(0) choices agree there)."""
    axes = [[lo + (hi - lo) * F(i, steps) for i in range(steps + 1)] for lo, hi in problem.domain]
    best = F(0)
    for point in product(*axes):
        for s in (0, 1):  # both one-sided slopes: limits of region gradients at kink points
            best = max(best, sum(g * g for g in backprop_gradient(problem, point, s)))
    return best


def test_clarke_bound_paper_instance() -> None:
    result = clarke_bound(paper_instance(), runner=FAST)
    assert result.verdict is Verdict.PROVED and len(result.solvers) == BOTH
    assert result.value_squared == 2 and result.value is None
    assert result.witness["attains"] is True and result.witness["squared_norm"] == 2
    assert "Prop. 2.1.2" in result.details["clarke"]
    assert _grid_max(paper_instance(), 8) == 2  # independent: the grid reaches G^2 and never exceeds it


def test_clarke_bound_given_G() -> None:
    assert clarke_bound(paper_instance(), 2, runner=FAST).verdict is Verdict.PROVED
    refuted = clarke_bound(paper_instance(), G_squared=F(19, 10), runner=FAST)
    assert refuted.verdict is Verdict.REFUTED
    theta = refuted.witness["theta"]
    gradient = backprop_gradient(paper_instance(), theta)  # replay here, independently
    assert sum(g * g for g in gradient) > F(19, 10) and all(0 < t < 1 for t in theta)


def test_clarke_bound_other_problems() -> None:
    tied = clarke_bound(tied_relu_instance(), runner=FAST)
    assert tied.verdict is Verdict.PROVED and tied.value == 2 and _grid_max(tied_relu_instance(), 16) == 4
    unbounded = Problem(paper_instance().network, paper_instance().data)
    assert clarke_bound(unbounded).verdict is Verdict.UNKNOWN
    curved = clarke_bound(two_layer_instance(), runner=FAST)  # degree-6 q_R: the Bernstein branch and bound
    assert curved.verdict is Verdict.PROVED and curved.value_squared == F(2025, 8) and "exact" in curved.solvers
    assert _grid_max(two_layer_instance(), 4) == F(2025, 8)  # exact backpropagation on a grid of D agrees
    tight = clarke_bound(two_layer_instance(), runner=FAST, max_boxes=2)
    assert tight.verdict is Verdict.UNKNOWN and "max_boxes" in tight.reason


# ------------------------------------------------------------------ C5 a
def test_lipschitz_on_domain_confirms_clarke_bound() -> None:
    g2 = clarke_bound(paper_instance(), runner=FAST).value_squared
    proved = lipschitz_on_domain(paper_instance(), G_squared=g2, runner=FAST)
    assert proved.verdict is Verdict.PROVED and len(proved.solvers) == BOTH and proved.details["route"] == "lemmas"
    refuted = lipschitz_on_domain(paper_instance(), G_squared=1, runner=SHORT)
    assert refuted.verdict is Verdict.REFUTED
    w = refuted.witness
    prob = paper_instance()
    distance = sum((a - b) ** 2 for a, b in zip(w["theta"], w["theta_prime"], strict=False))
    assert (prob.loss_at(w["theta"]) - prob.loss_at(w["theta_prime"])) ** 2 > distance


def test_lipschitz_on_domain_gradient_and_direct_routes_when_lemmas_are_loose() -> None:
    result = lipschitz_on_domain(tied_relu_instance(), G_squared=4, runner=FAST)
    assert result.details["lemma_G_squared"] == 16  # interval slopes are loose for the cancelling net
    assert result.verdict is Verdict.PROVED and result.details["route"] == "gradient"
    direct = lipschitz_on_domain(tied_relu_instance(), G_squared=4, route="direct", runner=FAST)
    assert direct.verdict is Verdict.PROVED and direct.details["route"] == "direct"  # the two-copy route agrees
    assert lipschitz_on_domain(tied_relu_instance(), G_squared=4, route="lemmas").verdict is Verdict.UNKNOWN


def test_lipschitz_on_domain_two_layer_decided_within_a_tenth_of_the_budgets() -> None:
    """Parameters in two layers: the variation lemmas are nonlinear over two copies (cvc5 overran its budget
    there); their single-copy slope form is decided by both solvers at a tenth of the default budgets."""
    prob = two_layer_instance()
    tenth = Runner(backends=(Z3Backend(rlimit=DEFAULT_Z3_RLIMIT // 10), Cvc5Backend(rlimit=DEFAULT_CVC5_RLIMIT // 10)),
                   timeout_s=MAX_TIMEOUT_S, isolate=False)  # no wall-clock net to speak of: only the budgets decide
    result = lipschitz_on_domain(prob, runner=tenth)
    assert result.verdict is Verdict.PROVED and len(result.solvers) == BOTH and result.details["route"] == "lemmas"
    assert result.value_squared == result.details["lemma_G_squared"] == 882
    names = [o.obligation.name for o in result.obligations]
    assert "output-slopes-d0-o0" in names and not any(n.startswith("output-variation") for n in names)
    assert all(a.status == "unsat" for o in result.obligations if not o.obligation.name.endswith(".hyp") for a in o.answers)
    # independent: exact backpropagated gradients at random rational points of D stay within the proved G
    rng = np.random.default_rng(5)
    for _ in range(200):
        point = tuple(lo + (hi - lo) * F(int(rng.integers(0, 1001)), 1000) for lo, hi in prob.domain)
        assert sum((g * g for g in backprop_gradient(prob, point)), F(0)) <= 882
    # and a budget too small is UNKNOWN, named as such (deterministic, never a wall-clock cut)
    starved = Runner(backends=(Z3Backend(rlimit=1), Cvc5Backend(rlimit=1)), timeout_s=MAX_TIMEOUT_S, isolate=False)
    unknown = lipschitz_on_domain(prob, runner=starved, route="lemmas")
    assert unknown.verdict is Verdict.UNKNOWN and "resource budget exhausted" in unknown.reason
    assert "wall-clock" not in unknown.reason


def test_slope_encoding_matches_exact_derivatives() -> None:
    """The forward-mode encoding's derivatives equal central differences of the exact loss pieces off the kinks."""
    prob = two_layer_instance()
    theta = param_vars(prob.parameter_names, "t")
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(40):
        point = tuple(lo + (hi - lo) * F(int(rng.integers(1, 997)), 997) for lo, hi in prob.domain)
        for i, (x, _) in enumerate(prob.data):
            defs, outs, slopes = encode_output_slopes(prob, theta, "s", i)
            solver = z3.Solver()
            solver.add(defs + [theta[n] == z3.RealVal(str(v)) for n, v in zip(prob.parameter_names, point, strict=True)])
            assert solver.check() == z3.sat
            model = solver.model()
            value = model.eval(outs[0]).as_fraction()
            assert value == prob.network.substitute(dict(zip(prob.parameter_names, point, strict=True))).evaluate(x)[0]
            for j, _name in enumerate(prob.parameter_names):
                h = F(1, 10**9)
                shifted = [list(point), list(point)]
                shifted[0][j] += h
                shifted[1][j] -= h
                up, down = (prob.network.substitute(dict(zip(prob.parameter_names, p, strict=True))).evaluate(x)[0]
                            for p in shifted)
                if (up - value) == (value - down):  # no kink between: the piece is affine in this coordinate
                    assert model.eval(slopes[0][j]).as_fraction() == (up - down) / (2 * h)
                    checked += 1
    assert checked > 100


# -------------------------------------------------------------------- C1
def test_reach_never_returns_an_unverified_step() -> None:
    """Regions that need t < 2^-70: sixty halvings from 1 never get inside, and no unchecked step may come back."""
    tiny = F(1, 2**70)

    def plus(p: tuple[F, ...]) -> bool:
        return 0 < p[0] < tiny

    def minus(p: tuple[F, ...]) -> bool:
        return -tiny < p[0] < 0

    t = _reach(plus, minus, (F(0),), (F(1),))
    assert t is not None and plus((t,)) and minus((-t,))
    assert _reach(plus, lambda p: False, (F(0),), (F(1),)) is None  # no step at all: None, never a guess


def test_c1_problem_paper_instance() -> None:
    result = no_global_gradient_lipschitz(paper_instance(), runner=FAST)
    assert result.verdict is Verdict.PROVED and len(result.solvers) == BOTH
    point, jump = result.details["kink_point"], result.details["jump"]
    prob = paper_instance()
    # the jump is the difference of the exact one-sided gradients at the kink point
    e = result.details["direction"]
    t = F(1, 1000)
    plus = backprop_gradient(prob, tuple(p + t * v for p, v in zip(point, e, strict=False)))
    minus = backprop_gradient(prob, tuple(p - t * v for p, v in zip(point, e, strict=False)))
    assert any(j != 0 for j in jump)
    assert all(abs((a - b) - j) <= 2 * t for a, b, j in zip(plus, minus, jump, strict=False))
    assert "theta(L)" in result.details["witness_family"]


def test_c1_problem_with_a_lipschitz_gradient() -> None:
    tied = no_global_gradient_lipschitz(tied_relu_instance(), runner=FAST)
    assert tied.verdict is Verdict.REFUTED and tied.value == 1 and tied.witness["ratio_squared"] == 1
    continuous = no_global_gradient_lipschitz(HALF_RELU_SQUARED, runner=FAST)
    assert continuous.verdict is Verdict.REFUTED and continuous.value == 1  # grad = relu(w)
    assert any(o.obligation.name.startswith("continuity-") for o in continuous.obligations)
    dead = no_global_gradient_lipschitz(DEAD, runner=FAST)
    assert dead.verdict is Verdict.REFUTED and dead.value == 0
    irrational = no_global_gradient_lipschitz(LINEAR, runner=FAST)
    assert irrational.verdict is Verdict.REFUTED and irrational.value is None and irrational.witness
    bilinear = no_global_gradient_lipschitz(BILINEAR, runner=FAST)  # continuous gradient, Hessian bounded on D
    assert bilinear.verdict is Verdict.REFUTED and bilinear.value_squared == 10 and "sqrt(10)" in bilinear.reason


ABS = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
TWO_IN = Network.from_rows([([[1, 2], [-1, 1]], [0, "-1/2"]), ([[1, -3]], [1])])


def test_c1_network() -> None:
    result = no_global_gradient_lipschitz(ABS, [(-1, 1)], runner=FAST)
    assert result.verdict is Verdict.PROVED and result.details["kink_point"] == (0,)
    assert abs(result.details["jump"][0]) == 2
    two = no_global_gradient_lipschitz(TWO_IN, [(-1, 1), (-1, 1)], runner=FAST)
    assert two.verdict is Verdict.PROVED
    point, e = two.details["kink_point"], two.details["direction"]
    t = F(1, 10**6)
    x_plus, x_minus = tuple(p + t * v for p, v in zip(point, e, strict=False)), tuple(p - t * v for p, v in zip(point, e, strict=False))
    slope = [(TWO_IN.evaluate(x_plus)[0] - TWO_IN.evaluate(x_minus)[0])]
    assert slope[0] != 0  # the output really bends there
    affine = Network.from_rows([([[1, 2], [-1, 1]], [5, 5]), ([[1, -3]], [1])])
    flat = no_global_gradient_lipschitz(affine, [(-1, 1), (-1, 1)], runner=FAST)
    assert flat.verdict is Verdict.REFUTED and flat.value == 0 and flat.witness["gradient"] == (4, -1)
    dead = Network.from_rows([([[1, 2], [-1, 1]], [-5, -5]), ([[1, -3]], [1])])
    assert no_global_gradient_lipschitz(dead, [(-1, 1), (-1, 1)], runner=FAST).value == 0
