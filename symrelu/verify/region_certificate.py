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
>>> from symrelu.verify.runner import Runner
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

from ..errors import TooLargeError
from ..exact import z3_rational
from ..lipschitz import lipschitz_constant
from ..network import Network
from ..regions import Region, enumerate_regions
from .assemble import rational_sqrt, run_check
from .encode import add_all
from .obligation import DEFAULT_MAX_NODES, Obligation
from .relu_encoding import encode_network
from .runner import Runner
from .verdict import CheckResult, Verdict

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
    outside = [z3.Or(*[_linear(c.coefficients, x) > z3_rational(c.bound) for c in region.constraints])
               for region in regions if region.constraints]
    cover = z3.And(*outside) if len(outside) > 1 else (outside[0] if outside else z3.BoolVal(True))
    obligations.append(Obligation.build(
        "regions-cover-box", box + [cover], check=CHECK, subject=subject,
        region=f"the {len(regions)} closed regions cover the box", max_nodes=max_nodes,
    ))
    return obligations


def region_lipschitz(
    net: Network, bounds: Sequence[tuple[Fraction, Fraction]], out: int, p: str, k_squared: Fraction, subject: str,
    runner: Runner | None, max_regions: int = DEFAULT_MAX_REGIONS, max_nodes: int = DEFAULT_MAX_NODES,
    max_certificate_nodes: int = MAX_CERTIFICATE_NODES,
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
    obligations = certificate_obligations(net, bounds, out, regions, subject, max_nodes)
    total = sum(ob.node_count for ob in obligations)
    if total > max_certificate_nodes:
        details["too_large"] = True
        return CheckResult(CHECK, Verdict.UNKNOWN, value, k_squared, reason=(
            f"the region engine gives the exact constant^2 {exact.constant_squared} from {len(regions)} regions "
            f"(symrelu lipschitz prints it), but certifying it needs {len(obligations)} obligations of "
            f"{total} formula nodes in all (limit {max_certificate_nodes}); Z3 does not decide such "
            "obligations within its budget. Try a smaller box, a smaller network, or symrelu lipschitz for "
            "the exact value without a solver certificate"), details=details)
    result = run_check(CHECK, obligations, runner, None, value, k_squared, details)
    witness = dict(pair, attains_K=ratio == k_squared) if result.verdict is Verdict.PROVED else None
    reason = result.reason if result.verdict is not Verdict.PROVED else (
        f"exact constant^2 {exact.constant_squared} <= K^2 over {len(regions)} certified regions")
    return CheckResult(result.name, result.verdict, value, k_squared, result.solvers, witness, reason,
                       result.details, result.obligations, result.elapsed_s)
