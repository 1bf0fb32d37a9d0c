"""Parameter-space problems with LeakyReLU, PReLU and Abs, and the refusals where an activation is not handled.

Every figure is compared with an independent route: exact evaluation of the concrete network
(``Problem.loss_at``, ``Network.evaluate``), exact central differences (exact for the quadratic
pieces of a squared loss), a hull of sampled neighbouring gradients, or the closed form.
"""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.activation import abs_, leaky_relu
from symrelu.cli.main import main
from symrelu.errors import SymreluError
from symrelu.hull import hull_vertices
from symrelu.loaders.examples import example_path
from symrelu.network import Network
from symrelu.params import clarke_subdifferential, enumerate_regions, find_kinks, gradient_descent, load_problem
from symrelu.params.backprop import backprop_gradient
from symrelu.params.problem import Problem, problem_from_dict
from symrelu.params.surrogate import Surrogate
from symrelu.params.switches import SwitchTable
from symrelu.verify import Verdict
from symrelu.verify.checks.gradient_lipschitz import no_global_gradient_lipschitz
from symrelu.verify.encodings.intervals import output_bounds
from symrelu.verify.encodings.network_encoding import encode_network
from symrelu.verify.engine.runner import Runner

ALPHA = F(1, 10)
rationals = st.fractions(min_value=-2, max_value=2, max_denominator=12)


def leaky_paper() -> Problem:
    return load_problem("leaky_paper_instance")


def two_layer(act: object) -> Problem:
    """A 1-2-1 net with a trainable first layer, three data points and the given activation."""
    net = Network.from_rows([([["w1"], ["w2"]], ["b1", "0"]), ([[1, -1]], [0])])
    data = [(["1"], ["1"]), (["-1"], ["0"]), (["2"], ["1/2"])]
    return problem_from_dict({"network": net, "data": [{"x": x, "y": y} for x, y in data], "activation": act})


def central_gradient(problem: Problem, theta: tuple[F, ...], h: F = F(1, 1000)) -> tuple[F, ...]:
    """Exact central differences of the exact loss: the gradient when ℓ is one quadratic on the segment."""
    out = []
    for i in range(len(theta)):
        up = tuple(v + (h if j == i else 0) for j, v in enumerate(theta))
        down = tuple(v - (h if j == i else 0) for j, v in enumerate(theta))
        out.append((problem.loss_at(up) - problem.loss_at(down)) / (2 * h))
    return tuple(out)


SPECS = [{"type": "leaky_relu", "alpha": "1/10"}, {"type": "prelu", "alpha": ["-1/3", "1/4"]}, "abs"]


@pytest.mark.parametrize("spec", SPECS, ids=["leaky", "prelu", "abs"])
@settings(deadline=None, max_examples=25)
@given(theta=st.tuples(rationals, rationals, rationals))
def test_selection_loss_is_the_exact_loss(spec: object, theta: tuple[F, F, F]) -> None:
    problem = two_layer(spec)
    table = SwitchTable(problem)
    bits, _ = table.pattern_at(theta)
    assert table.selection_loss(bits)(theta) == problem.loss_at(theta)


@pytest.mark.parametrize("spec", SPECS, ids=["leaky", "prelu", "abs"])
def test_region_gradients_match_central_differences_and_backprop(spec: object) -> None:
    problem = two_layer(spec)
    land = enumerate_regions(problem)
    assert len(land.regions) >= 4
    for region in land.regions:
        theta = region.interior_point
        gradient = tuple(g(theta) for g in region.gradient)
        if all(region.contains(tuple(v + d for v in theta)) for d in (F(1, 1000), F(-1, 1000))):
            assert gradient == central_gradient(problem, theta)
        assert gradient == backprop_gradient(problem, theta)


def test_region_count_against_a_brute_force_grid() -> None:
    """Patterns met on a fine rational grid (exact evaluation) are exactly the enumerated regions."""
    problem = two_layer(SPECS[0])
    problem = Problem(problem.network, problem.data, domain={"b1": ("-1", "1"), "w1": ("-1", "1"), "w2": ("-1", "1")})
    table = SwitchTable(problem)
    grid = [F(i, 7) for i in range(-6, 7)]
    seen = set()
    for theta in ((a, b, c) for a in grid for b in grid for c in grid):
        bits, zeros = table.pattern_at(theta)
        if not zeros:
            seen.add(table.format_pattern(bits))
    assert {r.pattern for r in enumerate_regions(problem).regions} == seen


def test_leaky_paper_instance_kinks_scale_by_one_minus_alpha() -> None:
    problem = leaky_paper()
    land = enumerate_regions(problem)
    assert [r.pattern for r in land.regions] == ["00", "01", "10", "11"]
    kinks = find_kinks(land)
    assert len(kinks) == 4 and all(k.dangerous for k in kinks)
    for kink in kinks:
        theta = kink.witness
        assert theta is not None
        residual = problem.concrete(theta).evaluate((F(1),))[0] - 1  # exact evaluation, no region bookkeeping
        j = kink.switch.neuron
        expected = tuple((1 - ALPHA) * residual if i == j else F(0) for i in range(2))
        assert kink.jump_at_witness == expected


def test_clarke_set_is_the_hull_of_sampled_neighbouring_gradients() -> None:
    problem = leaky_paper()
    point = (F(0), F(-1))
    clarke = clarke_subdifferential(problem, point)
    samples = [central_gradient(problem, (point[0] + d, point[1])) for d in (F(1, 100), F(-1, 100))]
    limits = [tuple(s) for s in samples]
    # the pieces are affine in the gradient: shift each sample back to the point along its region's Hessian
    land = enumerate_regions(problem)
    at_point = []
    for d, sample in zip((F(1, 100), F(-1, 100)), limits, strict=True):
        region = next(r for r in land.regions if r.contains((point[0] + d, point[1])))
        hessian = [[h(point) for h in row] for row in region.hessian]
        at_point.append(tuple(s - hessian[i][0] * d for i, s in enumerate(sample)))
    assert set(clarke.vertices) == set(hull_vertices(at_point))
    # the Clarke derivative of LeakyReLU at 0 is [alpha, 1]: d/dw1 = r * [alpha, 1] with r = -11/10
    r = F(-11, 10)
    assert sorted(v[0] for v in clarke.vertices) == [r * 1, r * ALPHA]
    assert leaky_relu(ALPHA).clarke(F(0)) == (ALPHA, F(1))


def test_backprop_at_the_kink_uses_the_blended_slope() -> None:
    problem = leaky_paper()
    r = F(-11, 10)
    for s in (F(0), F(1, 2), F(1)):
        assert backprop_gradient(problem, (F(0), F(-1)), s) == (r * (ALPHA + s * (1 - ALPHA)), r * ALPHA)


@settings(deadline=None, max_examples=30)
@given(x=rationals, theta=st.tuples(rationals, rationals, rationals))
def test_direct_encoding_matches_exact_evaluation(x: F, theta: tuple[F, F, F]) -> None:
    problem = two_layer(SPECS[0])
    net = problem.concrete(theta)
    xs = [z3.Real("x0")]
    constraints, (out,) = encode_network(net, xs, "t")
    solver = z3.Solver()
    solver.add(*constraints, xs[0] == z3.RealVal(f"{x.numerator}/{x.denominator}"))
    assert solver.check() == z3.sat
    value = solver.model().eval(out)
    assert F(value.numerator_as_long(), value.denominator_as_long()) == net.evaluate((x,))[0]


@settings(deadline=None, max_examples=30)
@given(theta=st.tuples(rationals, rationals, rationals))
def test_interval_bounds_contain_the_exact_outputs(theta: tuple[F, F, F]) -> None:
    problem = two_layer(SPECS[0])
    problem = Problem(problem.network, problem.data, domain={"b1": ("-2", "2"), "w1": ("-2", "2"), "w2": ("-2", "2")})
    for (x, _), bounds in zip(problem.data, output_bounds(problem), strict=True):
        lo, hi = bounds[0].value
        assert lo <= problem.concrete(theta).evaluate(x)[0] <= hi


def test_surrogate_smooths_each_kink_and_its_distance_scales() -> None:
    import sympy

    problem = leaky_paper()
    sur = Surrogate(problem, F(8))
    assert sympy.simplify(sur.uniform_distance - (1 - sympy.Rational(1, 10)) * sympy.log(2) / 8) == 0
    big = Surrogate(problem, F(400))
    w1, w2 = problem.parameters
    value = big.loss.subs({w1: sympy.Rational(1, 2), w2: sympy.Rational(-1, 2)})
    assert abs(float(value) - float(problem.loss_at((F(1, 2), F(-1, 2))))) < 1e-3


def test_gradient_descent_on_the_leaky_instance_is_exact() -> None:
    problem = leaky_paper()
    run = gradient_descent(problem, (F(-1, 2), F(1, 2)), F(1, 10), 2)
    theta = (F(-1, 2), F(1, 2))
    for step in run.steps:
        assert step.theta == theta
        theta = tuple(a - F(1, 10) * g for a, g in zip(theta, central_gradient(problem, theta), strict=True))


def test_c1_is_proved_for_the_leaky_instance_by_both_solvers() -> None:
    result = no_global_gradient_lipschitz(leaky_paper(), runner=Runner(isolate=False))
    assert result.verdict is Verdict.PROVED
    assert {s.split()[0] for s in result.solvers} == {"z3", "cvc5"}
    assert "1 - alpha = 9/10" in result.details["activation"]
    jump = result.details["jump"]
    point = result.details["kink_point"]
    residual = leaky_paper().concrete(point).evaluate((F(1),))[0] - 1
    assert max(abs(v) for v in jump) == (1 - ALPHA) * abs(residual)


# ------------------------------------------------------------------ refusals
def test_a_problem_reads_its_activation_exactly_and_refuses_nonsense() -> None:
    net = Network.from_rows([([["w1"], ["w2"]], [0, 0]), ([[1, 1]], [0])])
    data = [{"x": ["1"], "y": ["1"]}]
    made = problem_from_dict({"network": net, "data": data, "activation": {"type": "leaky_relu", "alpha": 0.25}})
    assert made.network.activations == ((leaky_relu(F(1, 4)),) * 2,)
    made = problem_from_dict({"network": net, "data": data, "activation": ["abs"]})
    assert made.network.activations == ((abs_(),) * 2,)
    for bad in ("gelu", {"type": "leaky_relu"}, {"type": "prelu", "alpha": ["1/2"]}, ["relu", "relu"], 3):
        with pytest.raises(SymreluError):
            problem_from_dict({"network": net, "data": data, "activation": bad})


def _problem_file(tmp_path: Path, activation: object) -> str:
    spec = json.loads(example_path("paper_instance").read_text(encoding="utf-8"))
    spec["activation"] = activation
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(spec))
    return str(path)


@pytest.mark.parametrize("command", [
    ["landscape"], ["clarke", "--at", "w1=0,w2=0"], ["train", "--init", "w1=1/2,w2=1/2", "--lr", "1/10", "--steps", "1"],
    ["verify", "--checks", "no_global_gradient_lipschitz"], ["verify", "--checks", "hessian_bound"],
    ["verify", "--checks", "clarke_bound"], ["verify", "--checks", "lipschitz_on_domain"],
])
def test_a_clip_problem_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    path = _problem_file(tmp_path, {"type": "clip", "min": "0", "max": "6"})
    assert main([command[0], path, *command[1:]]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "one breakpoint" in err and "clip" in err


def test_bad_activation_in_a_problem_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _problem_file(tmp_path, {"type": "softsign"})
    assert main(["landscape", path]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "softsign" in err


def test_network_gradient_lipschitz_on_a_leaky_network_matches_central_differences() -> None:
    """C1 over a box for a LeakyReLU network: the proved jump is the exact central-difference jump."""
    net = Network.from_rows([([["1", "1/2"], ["-1", "1"], ["1/2", "-1"]], ["0", "1/4", "-1/4"]),
                             ([["1", "-1", "1/2"]], ["1/8"])]).with_activations([leaky_relu(ALPHA)])
    result = no_global_gradient_lipschitz(net, [("-1", "1"), ("-1", "1")], runner=Runner(isolate=False))
    assert result.verdict is Verdict.PROVED and len(result.solvers) == 2
    point, e = result.details["kink_point"], result.details["direction"]

    def gradient(x: list[F]) -> list[F]:  # f is affine near x (off the kinks): central differences are exact
        d = F(1, 10**9)
        return [(net.evaluate([v + (d if j == i else 0) for j, v in enumerate(x)])[0]
                 - net.evaluate([v - (d if j == i else 0) for j, v in enumerate(x)])[0]) / (2 * d) for i in range(2)]

    h = F(1, 10**6)
    up, down = gradient([p + h * v for p, v in zip(point, e, strict=True)]), gradient([p - h * v for p, v in zip(point, e, strict=True)])
    assert tuple(a - b for a, b in zip(up, down, strict=True)) == result.details["jump"]


# ------------------------------------------------------------------ the commands on the leaky instance
def test_verify_reports_the_one_minus_alpha_scaling(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "leaky_paper_instance", "--checks", "no_global_gradient_lipschitz,hessian_bound,clarke_bound"]) == 0
    out = capsys.readouterr().out
    assert "1 - alpha = 9/10" in out and "jump: (0, -189/200)" in out
    assert out.count("z3 ") >= 3 and out.count("cvc5 ") >= 3
    # the ReLU instance's report has no such line (its output is unchanged)
    assert main(["verify", "paper_instance", "--checks", "no_global_gradient_lipschitz"]) == 0
    assert "activation:" not in capsys.readouterr().out


def test_clarke_command_on_the_leaky_instance(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clarke", "leaky_paper_instance", "--at", "w1=0,w2=-1", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    vertices = {tuple(F(v) for v in row) for vertex in payload["vertices"] for row in vertex}
    assert vertices == {(F(-11, 10), F(-11, 100)), (F(-11, 100), F(-11, 100))}


def test_the_leaky_family_check_is_proved_by_both_solvers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "paper", "--checks", "no_global_gradient_lipschitz_leaky_family", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["checks"]
    assert entry["verdict"] == "PROVED" and len(entry["solvers"]) == 2
    assert "(1 - alpha)" in entry["details"]["jump_squared_norm"]


def test_the_leaky_family_jump_formula_against_sympy_and_exact_instances() -> None:
    """The family's jump (1 − α) a r (1, x) against exact central differences of concrete one-point problems
    (each side is one quadratic, so the one-sided differences at b* ± h are within O(h) of the limit, exactly)."""
    import random

    rng = random.Random(11)
    for _ in range(5):
        alpha, x, a = F(rng.randint(0, 9), 10), F(rng.choice([-3, -1, 1, 2]), rng.randint(1, 3)), F(rng.choice([-2, 1, 3]))
        y = F(rng.randint(-4, 4), 3)
        net = Network.from_rows([([["w"]], ["b"]), ([[a]], [0])]).with_activations([leaky_relu(alpha)])
        problem = Problem(net, [([x], [y])])
        w = F(1, 2)
        star = (-w * x, w)  # parameters sorted by name: (b, w); on the kink w x + b = 0
        h = F(1, 10**6)
        up = central_gradient(problem, (star[0] + h, star[1]), h / 10)
        down = central_gradient(problem, (star[0] - h, star[1]), h / 10)
        r = -y
        jump = tuple(u - d for u, d in zip(up, down, strict=True))
        expected = ((1 - alpha) * a * r, (1 - alpha) * a * r * x)
        assert all(abs(j - e) <= 4 * h * (a * a + 1) * (x * x + 1) for j, e in zip(jump, expected, strict=True))


def test_the_coq_certificate_refuses_a_leaky_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["proofs", "coq", "leaky_paper_instance"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "handles only ReLU" in err


@settings(deadline=None, max_examples=40)
@given(theta=st.tuples(rationals, rationals, rationals))
def test_a_breakpoint_away_from_zero_shifts_the_switch(theta: tuple[F, F, F]) -> None:
    """An activation whose kink is at 1/2 (slopes 1/5 and 2): the switch is pre-activation − 1/2."""
    from symrelu.activation import piecewise

    act = piecewise("shifted", [F(1, 2)], [F(1, 5), 2], [0, F(-9, 10)])
    net = Network.from_rows([([["w1"], ["w2"]], ["b1", "0"]), ([[1, -1]], [0])]).with_activations([act])
    problem = Problem(net, [(["1"], ["1"]), (["-1"], ["0"]), (["2"], ["1/2"])])
    table = SwitchTable(problem)
    bits, zeros = table.pattern_at(theta)
    assert table.selection_loss(bits)(theta) == problem.loss_at(theta)
    pre = [v - F(1, 2) for v in problem.concrete(theta).preactivations((F(1),))[0]]
    assert [table.polynomial(s, bits[:s])(theta) for s in range(2)] == pre
