"""Input-space Lipschitz constants decided through the exact region engine, certified by two solvers.

The region engine (:func:`symrelu.regions.enumerate_regions`) splits the box
into closed polytopes on which the network is affine; the exact constant is the
largest dual norm of a region gradient (:func:`symrelu.lipschitz.lipschitz_constant`).
Nothing of that enumeration is trusted on its own. A bound ``K`` is certified by
linear (QF_LRA) obligations over the direct ReLU encoding, each answered by both
solvers:

* ``region-affine-i``: on the closed region i (within the box) the network
  output equals the region's affine map ``g_i·x + c_i``;
* ``regions-cover-box``: no point of the box lies outside every closed region.

With ``max_i ‖g_i‖_* ≤ K`` (exact rationals) these give ``|f(x) − f(x')| ≤
K‖x − x'‖_p``: along the segment from x to x' the continuous function f is
affine on finitely many closed sub-segments, each contributing at most
``‖g_i‖_* ‖Δ‖_p`` (that combination step is standard analysis, done here,
and named in the result). A ``K`` below the exact constant is refuted by the
region's witness pair, recomputed with :meth:`Network.evaluate`.

>>> from fractions import Fraction as F
>>> from symrelu.network import Network
>>> from symrelu.verify.engine.runner import Runner
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])   # |x|
>>> result = region_lipschitz(net, [(F(-1), F(1))], 0, "2", F(1), "abs", Runner(isolate=False))
>>> result.verdict, result.details["method"].split(":")[0], result.details["regions"]
(<Verdict.PROVED: 'PROVED'>, 'region certificate', 2)
>>> region_lipschitz(net, [(F(-1), F(1))], 0, "2", F(1, 4), "abs", Runner(isolate=False)).verdict
<Verdict.REFUTED: 'REFUTED'>
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import z3

from ...errors import TooLargeError
from ...exact import z3_rational
from ...lipschitz import lipschitz_constant
from ...network import Network
from ...regions import Region, enumerate_regions
from ..encodings.encode import add_all
from ..encodings.network_encoding import encode_network
from ..engine.assemble import rational_sqrt, run_check
from ..engine.obligation import DEFAULT_MAX_NODES, Obligation
from ..engine.runner import Runner
from ..engine.verdict import CheckResult, Verdict

CHECK = "input_lipschitz"
DEFAULT_MAX_REGIONS = 2_000
MAX_CERTIFICATE_NODES = 100_000
"""Largest total formula size (nodes over all certificate obligations) attempted by default."""
"""Beyond this many regions the certificate is not attempted (the direct encoding is used instead)."""
ARGUMENT = (
    "f is continuous, equals g_i.x + c_i on each closed region i, and the closed regions cover the box; a segment "
    "from x to x' splits into finitely many sub-segments inside single regions, so |f(x) - f(x')| <= "
    "sum_j |g_j.(x_j+1 - x_j)| <= max_i ||g_i||_* ||x - x'||_p (combination step done in Python, not by a solver)"
)


def _linear(coefficients: Sequence[Fraction], x: Sequence[z3.ArithRef]) -> z3.ArithRef:
    return add_all([z3_rational(a) * xi for a, xi in zip(coefficients, x, strict=True) if a != 0])


def _box_facts(x: Sequence[z3.ArithRef], bounds: Sequence[tuple[Fraction, Fraction]]) -> list[z3.BoolRef]:
    facts: list[z3.BoolRef] = []
    for xi, (lo, hi) in zip(x, bounds, strict=True):
        facts += [xi >= z3_rational(lo), xi <= z3_rational(hi)]
    return facts


def certificate_obligations(
    net: Network, bounds: Sequence[tuple[Fraction, Fraction]], out: int, regions: Sequence[Region], subject: str,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> list[Obligation]:
    """The per-region affine identities and the covering obligation (all expected unsat, QF_LRA)."""
    x = [z3.Real(f"x_{i}") for i in range(net.input_dim)]
    defs, outs = encode_network(net, x, "a")
    box = _box_facts(x, bounds)
    obligations = []
    for index, region in enumerate(regions):
        inside = [_linear(c.coefficients, x) <= z3_rational(c.bound) for c in region.constraints]
        affine = add_all([_linear(region.jacobian[out], x), z3_rational(region.offset[out])])
        obligations.append(Obligation.build(
            f"region-affine-{index}", box + inside + defs + [outs[out] != affine], check=CHECK, subject=subject,
            region=f"closed region {index} of {len(regions)}: f = g.x + c there", max_nodes=max_nodes,
        ))
    obligations.append(covering_obligation(x, box, regions, subject, max_nodes))
    return obligations


def covering_obligation(x: Sequence[z3.ArithRef], box: list[z3.BoolRef], regions: Sequence[Region], subject: str,
                        max_nodes: int = DEFAULT_MAX_NODES) -> Obligation:
    """``regions-cover-box``: no point of the box lies outside every closed region (QF_LRA)."""
    outside = [z3.Or(*[_linear(c.coefficients, x) > z3_rational(c.bound) for c in region.constraints])
               for region in regions if region.constraints]
    cover = z3.And(*outside) if len(outside) > 1 else (outside[0] if outside else z3.BoolVal(True))
    return Obligation.build(
        "regions-cover-box", box + [cover], check=CHECK, subject=subject,
        region=f"the {len(regions)} closed regions cover the box", max_nodes=max_nodes,
    )


def pattern_obligations(
    regions: Sequence[Region], bounds: Sequence[tuple[Fraction, Fraction]], subject: str,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> list[Obligation]:
    """Per region (QF_LRA, two-solver): no point of the closed region within the box gives any neuron's
    pre-activation, as the region engine composed it for the pattern, the wrong strict sign.

    Small (the input variables only), unlike the direct encoding with one if-then-else per neuron; that the
    composed maps are the network's own is checked exactly at every region vertex (:mod:`.region_exact`).
    """
    if not regions:
        return []
    dim = len(bounds)
    x = [z3.Real(f"x_{i}") for i in range(dim)]
    box = _box_facts(x, bounds)
    obligations = []
    for index, region in enumerate(regions):
        inside = [_linear(c.coefficients, x) <= z3_rational(c.bound) for c in region.constraints]
        wrong = []
        for (rows, _scale), bits in zip(region.hyperplanes, region.pattern, strict=True):
            for row, bit in zip(rows, bits, strict=True):
                z = add_all([_linear([Fraction(v) for v in row[:dim]], x), z3_rational(Fraction(row[dim]))])
                wrong.append(z < 0 if bit else z > 0)  # the scale is positive: signs are the rows' signs
        obligations.append(Obligation.build(
            f"region-pattern-{index}", box + inside + [z3.Or(*wrong) if len(wrong) > 1 else wrong[0]], check=CHECK,
            subject=subject, region=f"closed region {index} of {len(regions)}: every pre-activation keeps its sign",
            max_nodes=max_nodes,
        ))
    return obligations


def region_lipschitz(
    net: Network, bounds: Sequence[tuple[Fraction, Fraction]], out: int, p: str, k_squared: Fraction, subject: str,
    runner: Runner | None, max_regions: int = DEFAULT_MAX_REGIONS, max_nodes: int = DEFAULT_MAX_NODES,
    max_certificate_nodes: int = MAX_CERTIFICATE_NODES, max_pattern_conditions: int | None = None,
) -> CheckResult | None:
    """PROVED/REFUTED/UNKNOWN for ``K² = k_squared`` through the region certificate; None when too many regions."""
    try:
        regions = enumerate_regions(net, bounds, max_regions=max_regions)
    except TooLargeError:
        return None
    exact = lipschitz_constant(net, bounds, norm=p, output=out, regions=regions)
    details: dict[str, Any] = {
        "method": "region certificate: exact region engine, each region's affine map and the covering proved by solvers",
        "regions": len(regions), "exact_constant_squared": exact.constant_squared, "attained_in": str(exact.pattern),
        "argument": ARGUMENT, "norm": p, "output": out, "box": [list(b) for b in bounds],
    }
    value = rational_sqrt(k_squared)
    x, xp = exact.witness
    fx, fxp = net.evaluate(x)[out], net.evaluate(xp)[out]
    diff = [a - b for a, b in zip(x, xp, strict=True)]
    size = (sum((abs(d) for d in diff), Fraction(0)) ** 2 if p == "1" else max(abs(d) for d in diff) ** 2
            if p == "inf" else sum((d * d for d in diff), Fraction(0)))
    ratio = (fx - fxp) ** 2 / size
    pair = {"x": x, "x_prime": xp, "f_x": fx, "f_x_prime": fxp, "ratio_squared": ratio}
    if rational_sqrt(ratio) is not None:
        pair["ratio"] = rational_sqrt(ratio)
    if exact.constant_squared > k_squared:
        if ratio <= k_squared:  # pragma: no cover - the witness attains the exact constant
            return CheckResult(CHECK, Verdict.UNKNOWN, value, k_squared, reason="the region engine's witness pair "
                               "did not replay above K", details=details)
        return CheckResult(CHECK, Verdict.REFUTED, value, k_squared, ("exact",), pair,
                           f"the pair (x, x') exceeds K (ratio^2 = {ratio} > {k_squared}, recomputed with exact "
                           "evaluation); found in the region engine's maximising region", details)
    first = certificate_obligations(net, bounds, out, regions[:1], subject, max_nodes)[0]
    total = first.node_count * len(regions)  # the direct encoding dominates every region-affine obligation
    if total <= max_certificate_nodes:
        obligations = certificate_obligations(net, bounds, out, regions, subject, max_nodes)
        total = sum(ob.node_count for ob in obligations)
    if total > max_certificate_nodes:
        details["too_large"] = True  # the direct form is: never fall back to the (larger still) direct encoding
        details["direct_certificate_nodes"] = total
        return _pattern_certificate(net, bounds, out, regions, subject, runner, max_nodes, value, k_squared,
                                    dict(pair, attains_K=ratio == k_squared), exact.constant_squared, details,
                                    MAX_PATTERN_CONDITIONS if max_pattern_conditions is None else max_pattern_conditions)
    result = run_check(CHECK, obligations, runner, None, value, k_squared, details)
    witness = dict(pair, attains_K=ratio == k_squared) if result.verdict is Verdict.PROVED else None
    reason = result.reason if result.verdict is not Verdict.PROVED else (
        f"exact constant^2 {exact.constant_squared} <= K^2 over {len(regions)} certified regions")
    return CheckResult(result.name, result.verdict, value, k_squared, result.solvers, witness, reason,
                       result.details, result.obligations, result.elapsed_s)


MAX_PATTERN_CONDITIONS = 20_000
"""Largest number of sign conditions (regions times neurons) the pattern certificate attempts (fc1 on [-1, 1]^2:
71 x 75 = 5,325; ACAS Xu's 300 neurons on a small box: 502 x 300 = 150,600)."""
PATTERN_METHOD = (
    "region certificate, pattern form (the direct form would exceed the node limit): for every closed region both "
    "solvers prove that no pre-activation of the region's pattern changes sign there, and that the closed regions "
    "cover the box; symrelu checks exactly, from the network's own evaluation at every region vertex, the signs, "
    "f = g.x + c, and in 1-D and 2-D that the regions' measures add up to the box's with disjoint interiors"
)


def _pattern_certificate(
    net: Network, bounds: Sequence[tuple[Fraction, Fraction]], out: int, regions: Sequence[Region], subject: str,
    runner: Runner | None, max_nodes: int, value: Fraction | None, k_squared: Fraction, pair: dict[str, Any],
    exact_squared: Fraction, details: dict[str, Any], max_conditions: int,
) -> CheckResult:
    """Decide K through small per-region QF_LRA obligations (both solvers) plus the exact vertex certificate."""
    from .region_exact import exact_region_check

    conditions = len(regions) * sum(len(bits) for bits in regions[0].pattern) if regions else 0
    if conditions > max_conditions:
        return CheckResult(CHECK, Verdict.UNKNOWN, value, k_squared, reason=(
            f"the region engine gives the exact constant^2 {exact_squared} from {len(regions)} regions (symrelu "
            f"lipschitz prints it), but certifying it needs {len(regions)} per-region obligations with {conditions} "
            f"sign conditions in all (limit {max_conditions}). Try a smaller box (fewer regions), or symrelu lipschitz for the exact value "
            "without a solver certificate"), details=dict(details, pattern_sign_conditions=conditions))

    check = exact_region_check(net, bounds, out, regions)
    x = [z3.Real(f"x_{i}") for i in range(net.input_dim)]
    obligations = pattern_obligations(regions, bounds, subject, max_nodes)
    obligations.append(covering_obligation(x, _box_facts(x, bounds), regions, subject, max_nodes))
    details = dict(details, method=PATTERN_METHOD, exact_certificate={
        "ok": check.ok, "regions": check.regions, "vertices_evaluated": check.vertices, "covering": check.covering,
        "reason": check.reason}, confirmations={
        "pattern signs per region": "z3 and cvc5 (region-pattern-i), and exact vertex evaluation",
        "f = g.x + c per region": "exact vertex evaluation (the network's own exact arithmetic)",
        "covering of the box": "z3 and cvc5 (regions-cover-box)" + (", and exact measures" if "exact" in check.covering
                                                                     else ""),
        "max ||g_i||_* <= K": "exact rational arithmetic",
        "K attained": "the witness pair, recomputed with exact evaluation"})
    result = run_check(CHECK, obligations, runner, None, value, k_squared, details)
    if not check.ok:
        return CheckResult(CHECK, Verdict.UNKNOWN, value, k_squared, reason=f"the exact region certificate failed: "
                           f"{check.reason}", details=result.details, obligations=result.obligations,
                           elapsed_s=result.elapsed_s)
    if result.verdict is not Verdict.PROVED:
        return CheckResult(CHECK, result.verdict, value, k_squared, result.solvers, result.witness, result.reason,
                           result.details, result.obligations, result.elapsed_s)
    return CheckResult(CHECK, Verdict.PROVED, value, k_squared, (*result.solvers, "exact"), pair,
                       f"exact constant^2 {exact_squared} <= K^2 over {len(regions)} certified regions "
                       "(per-region pattern obligations, both solvers, and an exact vertex certificate)",
                       result.details, result.obligations, result.elapsed_s)
