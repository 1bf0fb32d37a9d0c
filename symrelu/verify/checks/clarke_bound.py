"""``clarke_bound`` (claim C5): the tight G with ‖∇ℓ_R‖ ≤ G on every closed region ∩ D, proved per region.

For each region R the squared gradient norm q_R = ‖∇ℓ_R‖² is a polynomial.
When the region's loss has degree ≤ 2, ∇ℓ_R is affine and q_R a convex
quadratic, so its maximum over the polytope cl(R) ∩ D is attained at a vertex;
the vertices are exact (:func:`.closure.polyhedral_vertices`). Each such region
gets the obligation "some θ in cl(R) ∩ D has q_R(θ) > G²", which must be unsat
for both solvers.

Any other region (a curved region, or a gradient of higher degree) is bounded by
exact branch and bound on Bernstein enclosures (:mod:`symrelu.params.box_maximum`):
D is bisected until every leaf box either misses cl(R) (a constraint's enclosure is
negative) or has q_R ≤ G² by its enclosure, where G² is a value attained at an
exactly checked point. That certificate is computed and checked by symrelu in exact
arithmetic; both solvers then re-derive, in their own polynomial arithmetic, the
Bernstein form behind every leaf and that the leaves cover D
(:mod:`..encodings.bernstein_cover`). ``max_boxes`` bounds the branch and bound per
region (deterministic); beyond it the verdict is UNKNOWN. G² is the largest
maximum over all regions, attained at a replayed point.

Clarke sets of a piecewise-polynomial ℓ are convex hulls of limits of active
region gradients, so the bound covers every Clarke subgradient on D, and by
Lebourg's mean value theorem ℓ is G-Lipschitz on D (Clarke 1990, Prop. 2.1.2).

>>> from symrelu.params import paper_instance
>>> result = clarke_bound(paper_instance(), runner=Runner(isolate=False))
>>> result.verdict, result.value_squared, result.witness["point"] in ((0, 0), (1, 1))
(<Verdict.PROVED: 'PROVED'>, Fraction(2, 1), True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ...errors import InputFormatError
from ...exact import z3_rational
from ...params.backprop import backprop_gradient
from ...params.box_maximum import DEFAULT_MAX_BOXES, BoxMaximum, box_maximum, region_constraints
from ...params.landscape import Landscape, ParameterRegion, enumerate_parameter_regions
from ...params.polynomial import Polynomial
from ...params.problem import Problem
from ...params.z3tools import param_symbol, param_vars
from ..encodings.bernstein_cover import certificate_obligations
from ..encodings.bounds import given_square
from ..encodings.closure import Point, box_constraints, closed_region, polyhedral_vertices, polynomial_z3
from ..engine.assemble import rational_sqrt, run_check
from ..engine.obligation import DEFAULT_MAX_NODES, Obligation
from ..engine.runner import Replayed, Runner
from ..engine.verdict import CheckResult, Verdict
from .hessian_bound import region_tag

CHECK = "clarke_bound"
CLARKE_NOTE = (
    "Clarke sets of a piecewise-polynomial loss are convex hulls of the (limits of) active region gradients, "
    "so ||g|| <= G for every Clarke subgradient g at every point of D, and l is G-Lipschitz on D "
    "(Clarke 1990, Prop. 2.1.2, with Lebourg's mean value theorem)"
)


@dataclass(frozen=True)
class RegionMaximum:
    """max ‖∇ℓ_R‖² over cl(R) ∩ D for one region, with where and how it was found (None: not computed)."""

    pattern: str
    value: Fraction | None
    point: Point | None
    method: str


def squared_gradient_norm(region: ParameterRegion) -> Polynomial:
    """q_R = ‖∇ℓ_R‖² as an exact polynomial."""
    total = Polynomial.constant(region.loss.nvars, 0)
    for g in region.gradient:
        total = total + g * g
    return total


def region_maximum(region: ParameterRegion, domain: Sequence[tuple[Fraction, Fraction]]) -> RegionMaximum:
    """The exact maximum of q_R over cl(R) ∩ D when it is a convex quadratic on a polytope."""
    q = squared_gradient_norm(region)
    if region.loss.degree > 2:
        return RegionMaximum(region.pattern, None, None, "not computed: the gradient is not affine (loss degree > 2)")
    vertices = polyhedral_vertices(region, domain)
    if vertices is None:
        return RegionMaximum(region.pattern, None, None, "not computed: the region is not polyhedral")
    best = max(vertices, key=q)
    return RegionMaximum(region.pattern, q(best), best, "vertices of cl(R) ∩ D (q_R is a convex quadratic)")


def clarke_bound(
    problem: Problem,
    G: Fraction | int | str | None = None,
    *,
    G_squared: Fraction | int | str | None = None,
    landscape: Landscape | None = None,
    runner: Runner | None = None,
    subject: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_boxes: int = DEFAULT_MAX_BOXES,
) -> CheckResult:
    """Compute and prove the tight G² on the problem's domain, or prove/refute a given G (or G²).

    ``max_boxes``: the branch-and-bound budget per region whose gradient is not affine (see the module)."""
    given = given_square(G, G_squared, "G")
    if problem.domain is None:
        return CheckResult(CHECK, Verdict.UNKNOWN, reason="does not apply: the problem has no bounded domain D "
                           "(the squared loss is not globally Lipschitz); add a domain with one interval per parameter")
    land = landscape if landscape is not None else enumerate_parameter_regions(problem)
    subject = subject or problem.network.source
    maxima = [region_maximum(r, problem.domain) for r in land.regions]
    curved = _curved_maxima(problem, land, maxima, given, max_boxes)
    maxima = [curved[m.pattern][0] if m.pattern in curved else m for m in maxima]
    missing = [m for m in maxima if m.pattern in curved and not curved[m.pattern][1].settled]
    details: dict[str, Any] = {
        "domain": [list(b) for b in problem.domain], "regions": len(land.regions), "clarke": CLARKE_NOTE,
        "per_region": {m.pattern: {"max_squared_norm": m.value, "at": m.point, "method": m.method} for m in maxima},
    }
    if curved:
        details["max_boxes"] = max_boxes
        details["bernstein_boxes"] = sum(bm.boxes for _, bm, _ in curved.values())
    exact = None
    top = None
    attained = [m for m in maxima if m.value is not None]
    if not missing and attained and (given is None or not curved):
        top = max(attained, key=lambda m: m.value)  # type: ignore[arg-type, return-value]
        exact = top.value
        details["exact_G_squared"] = exact
    elif given is not None and attained:  # a value attained above the given bound refutes it
        top = max(attained, key=lambda m: m.value)  # type: ignore[arg-type, return-value]
        if top.value is not None and top.value > given:
            exact = top.value
    if missing and (exact is None or given is None or given >= exact):
        return CheckResult(CHECK, Verdict.UNKNOWN, reason=(
            f"the branch and bound on region(s) {', '.join(m.pattern for m in missing)} did not settle within "
            f"{max_boxes} boxes each; raise max_boxes=N"), details=details)
    target = given if given is not None else exact
    if target is None:  # pragma: no cover - one of them is set
        raise InputFormatError("no G to check")
    by_pattern = {r.pattern: r for r in land.regions}
    if given is not None and exact is not None and given < exact and top is not None:
        witness = _inside_witness(problem, by_pattern[top.pattern], top.point, given)  # type: ignore[arg-type]
        if witness is not None:
            return CheckResult(CHECK, Verdict.REFUTED, rational_sqrt(given), given, ("exact",), witness,
                               f"G^2 = {given} is below the exact maximum {exact}; witness replayed exactly", details)
    obligations = [_obligation(problem, r, target, subject, max_nodes) for r in land.regions if r.pattern not in curved]
    regions_by_name = {ob.name: r for ob, r in zip(obligations, [r for r in land.regions if r.pattern not in curved], strict=True)}
    for r in land.regions:
        if r.pattern in curved:
            obligations += certificate_obligations(problem, r, curved[r.pattern][2], curved[r.pattern][1], CHECK,
                                                   subject, max_nodes)

    def replay(ob: Obligation, model: Mapping[str, Any]) -> Replayed:
        if ob.name not in regions_by_name:
            return Replayed(False, reason="a solver disputes the Bernstein certificate: the certificate is not trusted")
        region = regions_by_name[ob.name]
        theta = tuple(model.get(param_symbol(n), Fraction(0)) for n in problem.parameter_names)
        witness = _inside_witness(problem, region, theta, target)
        if witness is None:
            return Replayed(False, reason="no point inside the region near the model exceeds G^2 in exact arithmetic")
        return Replayed(True, witness)

    details["method"] = "; ".join(sorted({m.method.split(":")[0] for m in maxima}))
    if curved:
        details["confirmations"] = {
            "q_R <= G^2 on regions with an affine gradient": "z3 and cvc5 (clarke-<region>)",
            "q_R <= G^2 on the other regions": "exact Bernstein branch and bound (symrelu, FLINT rationals); "
            "z3 and cvc5 re-derive every leaf's Bernstein form (bernstein-<region>-<leaf>) and the cover of D "
            "(bernstein-cover-<region>)",
            "G^2 attained": "the point, replayed exactly"}
    result = run_check(CHECK, obligations, runner, replay, rational_sqrt(target), target, details)
    final_witness: Mapping[str, Any] | None = result.witness
    if result.verdict is Verdict.PROVED and top is not None and target == exact:
        final_witness = _attained(by_pattern[top.pattern], top.point, exact)  # type: ignore[arg-type]
    solvers = (*result.solvers, "exact") if curved and result.verdict is Verdict.PROVED else result.solvers
    return CheckResult(result.name, result.verdict, result.value, result.value_squared, solvers, final_witness,
                       result.reason, result.details, result.obligations, result.elapsed_s)


def _curved_maxima(
    problem: Problem, land: Landscape, maxima: Sequence[RegionMaximum], given: Fraction | None, max_boxes: int
) -> dict[str, tuple[RegionMaximum, BoxMaximum, Polynomial]]:
    """Branch and bound on every region whose maximum the vertices do not give, against the best value so far
    (the given G², else the largest maximum known), so that most boxes settle at once."""
    domain = tuple(problem.domain or ())
    known = [m.value for m in maxima if m.value is not None]
    floor = given if given is not None else (max(known) if known else None)
    found: dict[str, tuple[RegionMaximum, BoxMaximum, Polynomial]] = {}
    for region, m in zip(land.regions, maxima, strict=True):
        if m.value is not None:
            continue
        q = squared_gradient_norm(region)
        bm = box_maximum(q, region_constraints(region), domain, max_boxes, start=floor)
        exact = bm.value is not None and (floor is None or bm.value >= floor)
        if exact and given is None:
            floor = bm.value
        method = (f"Bernstein branch and bound: {bm.boxes} boxes, {len(bm.leaves)} leaves"
                  + ("" if exact else f"; at most {floor} here"))
        found[region.pattern] = (RegionMaximum(region.pattern, bm.value if exact else None,
                                               bm.point if exact else None, method), bm, q)
    return found


def _attained(region: ParameterRegion, point: Point, value: Fraction) -> dict[str, Any]:
    """Where G² is attained: a point of cl(R) ∩ D and the limiting gradient of R there (replayed exactly)."""
    gradient = tuple(g(point) for g in region.gradient)
    closed = all(sign * poly(point) >= 0 for _, poly, sign in region.constraints)
    norm = sum((x * x for x in gradient), Fraction(0))
    return {"region": region.pattern, "point": point, "gradient": gradient, "squared_norm": norm,
            "attains": closed and norm == value,
            "note": "a limit of gradients of region " + region.pattern + ", hence a Clarke subgradient at the point"}


def _inside_witness(problem: Problem, region: ParameterRegion, theta: Point, bound: Fraction) -> dict[str, Any] | None:
    """A point strictly inside R and D near ``theta`` whose backpropagated gradient exceeds G² exactly."""
    domain = problem.domain or ()
    centre = region.interior_point
    for step in range(60):
        weight = Fraction(1, 2**step) if step else Fraction(0)
        point = tuple(t + weight * (c - t) for t, c in zip(theta, centre, strict=False))
        inside = region.contains(point) and all(lo < x < hi for x, (lo, hi) in zip(point, domain, strict=False))
        if not inside:
            continue
        gradient = backprop_gradient(problem, point)
        norm = sum((x * x for x in gradient), Fraction(0))
        if norm > bound:
            return {"region": region.pattern, "theta": point, "gradient": gradient, "squared_norm": norm,
                    "recomputed_by": "exact backpropagation at a differentiable point inside the region and D"}
    return None


def _obligation(problem: Problem, region: ParameterRegion, bound: Fraction, subject: str, max_nodes: int) -> Obligation:
    names = list(problem.parameter_names)
    variables = param_vars(names)
    facts = box_constraints([variables[n] for n in names], problem.domain) + closed_region(region, variables, names)
    q = polynomial_z3(squared_gradient_norm(region), variables, names)
    facts.append(q > z3_rational(bound))
    return Obligation.build(
        f"clarke-{region_tag(region.pattern)}", facts, check=CHECK, subject=subject,
        region=f"closed region {region.pattern} within D; G^2 = {bound}", max_nodes=max_nodes,
    )
