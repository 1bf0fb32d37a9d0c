"""fc1 (Marabou's 2-25-25-25-2 net, bundled): input_lipschitz through the pattern certificate and C1's Skolem pair.

Independent methods: exact evaluation of the network (difference quotients on a grid, one-sided gradients by
exact difference quotients inside a region), never the region engine's own composed maps.
"""

from __future__ import annotations

from fractions import Fraction as F
from itertools import product

import cvc5  # noqa: F401  (the dev extra installs it: the second opinion must run)

from symrelu.lipschitz import lipschitz_constant
from symrelu.loaders import load_network
from symrelu.loaders.examples import example_path
from symrelu.regions import enumerate_regions
from symrelu.verify import Runner, Verdict, no_global_gradient_lipschitz
from symrelu.verify.checks.region_certificate import region_lipschitz
from symrelu.verify.checks.region_exact import exact_region_check

FC1 = load_network(example_path("fc1"))
SMALL = ((F(0), F(1, 4)), (F(0), F(1, 4)))
FAST = Runner(isolate=False)


def _quotient(x: tuple[F, ...], y: tuple[F, ...]) -> F:
    return (FC1.evaluate(x)[0] - FC1.evaluate(y)[0]) ** 2 / sum(((a - b) ** 2 for a, b in zip(x, y, strict=True)), F(0))


def test_pattern_certificate_proves_the_exact_constant() -> None:
    regions = enumerate_regions(FC1, SMALL)
    exact = lipschitz_constant(FC1, SMALL, norm="2", output=0, regions=regions).constant_squared
    # the direct form is refused below one node: the pattern form decides instead
    result = region_lipschitz(FC1, SMALL, 0, "2", exact, "fc1", FAST, max_certificate_nodes=1)
    assert result.verdict is Verdict.PROVED and result.details["too_large"] is True
    assert [s.split()[0] for s in result.solvers] == ["z3", "cvc5", "exact"]
    assert result.details["exact_certificate"]["ok"] is True and "exact" in result.details["exact_certificate"]["covering"]
    assert {o.obligation.name for o in result.obligations} >= {"region-pattern-0", "regions-cover-box"}
    assert result.witness["ratio_squared"] == exact == _quotient(result.witness["x"], result.witness["x_prime"])
    # independent: no pair of a 9 x 9 grid of the box exceeds the proved constant (exact evaluation)
    grid = [(SMALL[0][0] + i * F(1, 32), SMALL[1][0] + j * F(1, 32)) for i, j in product(range(9), repeat=2)]
    value = {p: FC1.evaluate(p)[0] for p in grid}
    assert max((value[p] - value[q]) ** 2 / ((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2)
               for p in grid for q in grid if p != q) <= exact
    # a constant just below is refuted by the replayed pair
    below = region_lipschitz(FC1, SMALL, 0, "2", exact * F(999, 1000), "fc1", FAST, max_certificate_nodes=1)
    assert below.verdict is Verdict.REFUTED and _quotient(below.witness["x"], below.witness["x_prime"]) > exact * F(999, 1000)
    assert len(regions) == result.details["regions"]


def test_pattern_certificate_too_large_says_why_quickly() -> None:
    exact = lipschitz_constant(FC1, SMALL, norm="2", output=0).constant_squared
    result = region_lipschitz(FC1, SMALL, 0, "2", exact, "fc1", FAST, max_certificate_nodes=1, max_pattern_conditions=10)
    assert result.verdict is Verdict.UNKNOWN and not result.obligations
    assert f"{8 * 75} sign conditions" in result.reason and str(exact) in result.reason and "smaller box" in result.reason


def test_exact_certificate_catches_a_missing_or_wrong_region() -> None:
    regions = enumerate_regions(FC1, SMALL)
    assert exact_region_check(FC1, SMALL, 0, regions).ok
    missing = exact_region_check(FC1, SMALL, 0, regions[1:])
    assert not missing.ok and "measures add up" in missing.reason
    doubled = exact_region_check(FC1, SMALL, 0, [*regions, regions[0]])
    assert not doubled.ok
    assert exact_region_check(FC1, SMALL, 1, regions).ok  # output 1: same regions, its affine maps checked too
    bigger = ((F(0), F(1, 2)), (F(0), F(1, 4)))  # the regions of SMALL do not cover a bigger box
    assert not exact_region_check(FC1, bigger, 0, regions).ok


def test_c1_on_fc1_is_proved_with_an_exactly_replayed_pair() -> None:
    box = ((F(-1), F(1)), (F(-1), F(1)))
    result = no_global_gradient_lipschitz(FC1, box, output=0, runner=Runner())
    assert result.verdict is Verdict.PROVED and [s.split()[0] for s in result.solvers] == ["z3", "cvc5"]
    w = result.witness
    assert w is not None and w["L"] == 1
    regions = {tuple(r.pattern): r for r in enumerate_regions(FC1, box)}
    # independent: one-sided gradients by exact difference quotients inside each point's own region
    for point, gradient in ((w["x_plus"], w["gradient_plus"]), (w["x_minus"], w["gradient_minus"])):
        region = regions[FC1.pattern(point)]
        assert region.contains(point, strictly=True)
        h = F(1, 10**80)
        for k in range(2):
            step = tuple(v + (h if i == k else 0) for i, v in enumerate(point))
            assert region.contains(step, strictly=True)
            assert (FC1.evaluate(step)[0] - FC1.evaluate(point)[0]) / h == gradient[k]
    change = sum(((a - b) ** 2 for a, b in zip(w["gradient_plus"], w["gradient_minus"], strict=True)), F(0))
    distance = sum(((a - b) ** 2 for a, b in zip(w["x_plus"], w["x_minus"], strict=True)), F(0))
    assert change == w["gradient_change_squared"] and change > distance > 0
