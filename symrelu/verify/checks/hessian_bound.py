"""``hessian_bound`` (claim C2): the exact largest Hessian spectral norm over the regions, proved per region.

On a region whose loss has degree ≤ 2 the Hessian H_R is a constant rational
matrix; μ = max_R ‖H_R‖₂² is computed exactly (:mod:`.spectral`) and each
region gets the obligation "some v has ‖H_R v‖² > μ‖v‖²" (QF_NRA), which must
be unsat. Regions with a non-constant Hessian (losses of degree > 2) are
checked against a candidate ``bound_squared`` when one is given: then θ ranges
over the closed region ∩ D as well. Without one, symrelu proves the rational bound
B = max ‖H_R(θ)‖_F² over every closed region ∩ D (‖H‖₂ ≤ ‖H‖_F), its maximum found by
the exact Bernstein branch and bound of ``clarke_bound`` (certificate checked by
symrelu, re-derived by both solvers), and reports it as a bound, not the supremum:
the supremum lies between B and the exact ‖H‖₂² where that maximum is attained.

>>> from symrelu.params import paper_instance
>>> result = hessian_bound(paper_instance(), runner=Runner(isolate=False))
>>> result.verdict, result.value, result.value_squared, result.details["attained_in"]
(<Verdict.PROVED: 'PROVED'>, Fraction(2, 1), Fraction(4, 1), '11')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy
import z3

from ...errors import InputFormatError
from ...exact import decimal_text, to_rational, z3_rational
from ...params.backprop import backprop_gradient
from ...params.box_maximum import DEFAULT_MAX_BOXES, box_maximum, region_constraints
from ...params.landscape import Landscape, ParameterRegion, enumerate_parameter_regions
from ...params.polynomial import Polynomial
from ...params.problem import Problem
from ...params.z3tools import param_symbol, param_vars
from ..encodings.bernstein_cover import certificate_obligations
from ..encodings.closure import box_constraints, closed_region, polynomial_z3
from ..encodings.spectral import SpectralNorm, largest_spectral_norm_squared, quadratic_excess
from ..engine.assemble import rational_sqrt, run_check
from ..engine.obligation import DEFAULT_MAX_NODES, Obligation, region_tag
from ..engine.runner import Replayed, Runner
from ..engine.verdict import CheckResult, Verdict

CHECK = "hessian_bound"


def constant_hessian(region: ParameterRegion) -> tuple[tuple[Fraction, ...], ...] | None:
    """H_R as rationals when the region's loss has degree ≤ 2, else None."""
    if region.loss.degree > 2:
        return None
    zero = tuple(Fraction(0) for _ in region.parameters)
    return tuple(tuple(entry(zero) for entry in row) for row in region.hessian)


def finite_difference(
    problem: Problem, region: ParameterRegion, vector: Sequence[Fraction]
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """(θ, θ + t v, H_R v) with H_R v recomputed from two exact backpropagated gradients inside the region and D.

    Independent of the region's polynomial: on a constant-Hessian region the
    gradient is affine, so (∇ℓ(θ + t v) − ∇ℓ(θ)) / t = H_R v exactly.
    """
    start = region.interior_point
    step = Fraction(1)
    domain = problem.domain
    for _ in range(64):
        end = tuple(a + step * v for a, v in zip(start, vector, strict=False))
        inside = domain is None or all(lo <= c <= hi for c, (lo, hi) in zip(end, domain, strict=True))
        if region.contains(end) and inside:  # both points of the witness lie in the region and in D
            g0, g1 = backprop_gradient(problem, start), backprop_gradient(problem, end)
            return start, end, tuple((b - a) / step for a, b in zip(g0, g1, strict=False))
        step /= 2
    return None


def hessian_bound(
    problem: Problem,
    *,
    bound_squared: Fraction | int | str | None = None,
    landscape: Landscape | None = None,
    runner: Runner | None = None,
    subject: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_boxes: int = DEFAULT_MAX_BOXES,
) -> CheckResult:
    """Prove sup_R ‖∇²ℓ_R‖₂² = μ (exact) over the regions, or prove/refute a given ``bound_squared``;
    with non-constant Hessians and no bound, prove the Frobenius bound (see the module)."""
    land = landscape if landscape is not None else enumerate_parameter_regions(problem)
    subject = subject or problem.network.source
    names = list(problem.parameter_names)
    constant = {r.pattern: constant_hessian(r) for r in land.regions}
    fixed = [r for r in land.regions if constant[r.pattern] is not None]
    varying = [r for r in land.regions if constant[r.pattern] is None]
    bound = None if bound_squared is None else to_rational(bound_squared, where="bound_squared")
    if bound is not None and bound < 0:
        raise InputFormatError(f"bound_squared = {bound} is negative")
    details: dict[str, Any] = {
        "regions": len(land.regions), "norm": "spectral (2-norm)",
        "constant_hessian_regions": [r.pattern for r in fixed],
        "nonconstant_hessian_regions": [r.pattern for r in varying],
        "domain": None if problem.domain is None else [list(b) for b in problem.domain],
    }
    exact: SpectralNorm | None = None
    if fixed:
        exact, index = largest_spectral_norm_squared([constant[r.pattern] for r in fixed])  # type: ignore[misc]
        details["attained_in"] = fixed[index].pattern
        details["exact_squared"] = exact.value_squared if exact.value_squared is not None else str(exact.expression)
        details["per_region"] = {
            r.pattern: _per_region(constant[r.pattern]) for r in fixed  # type: ignore[arg-type]
        }
    if varying and bound is None and problem.domain is not None:
        return _frobenius_bound(problem, land, fixed, varying, constant, exact, details, runner, subject, max_nodes,
                                max_boxes)
    if varying and bound is None:
        return CheckResult(
            CHECK, Verdict.UNKNOWN, reason=(
                f"the Hessian is not constant on region(s) {', '.join(r.pattern for r in varying)} (loss of degree > 2) "
                "and the problem has no bounded domain D; give bound_squared to prove a candidate bound"
            ), details=details,
        )
    # the μ every obligation is checked against: the given bound, else the exact maximum
    target = SpectralNorm(bound, sympy.Rational(0), "", (bound, bound), None) if bound is not None else exact
    if target is None:  # pragma: no cover - no region at all cannot happen
        raise InputFormatError("the problem has no region")
    obligations = [_obligation(problem, r, names, constant[r.pattern], target, subject, max_nodes) for r in land.regions]
    by_name = {ob.name: r for ob, r in zip(obligations, land.regions, strict=False)}

    def replay(ob: Obligation, model: Mapping[str, Any]) -> Replayed:
        region = by_name[ob.name]
        v = tuple(model.get(f"v_{k}", Fraction(0)) for k in range(len(names)))
        if bound is None or not any(v):
            return Replayed(False, reason="no bound to refute, or v = 0")
        matrix = constant[region.pattern]
        if matrix is None:
            theta = tuple(model.get(param_symbol(n), Fraction(0)) for n in names)
            if not region.contains(theta):
                return Replayed(False, reason="θ lies on the region's boundary, where the Hessian need not exist")
            hv = tuple(sum((row[k](theta) * v[k] for k in range(len(v))), Fraction(0)) for row in region.hessian)
            how = "region polynomial at an interior point"
        else:
            theta = region.interior_point
            measured = finite_difference(problem, region, v)
            if measured is None:
                return Replayed(False, reason="could not step inside the region to recompute H v")
            hv, how = measured[2], "difference of two exact backpropagated gradients inside the region"
        ratio = sum((x * x for x in hv), Fraction(0)) / sum((x * x for x in v), Fraction(0))
        if ratio <= bound:
            return Replayed(False, reason="‖Hv‖²/‖v‖² does not exceed the bound exactly")
        return Replayed(True, {"region": region.pattern, "theta": theta, "v": v, "Hv": hv,
                               "ratio_squared": ratio, "recomputed_by": how})

    if bound is not None:
        result = run_check(CHECK, obligations, runner, replay, value_squared=bound, details=details)
        return _with_value(result, bound)
    if exact is None:  # pragma: no cover - guarded above (varying regions need a bound)
        raise InputFormatError("no region with a constant Hessian")
    details["method"] = "exact eigenvalues of H_R^2 (SymPy), each region proved: no v with ||H_R v||^2 > mu ||v||^2"
    witness = _attainment(problem, land.region(details["attained_in"]), exact)
    result = run_check(CHECK, obligations, runner, None, value_squared=exact.value_squared, details=details)
    if exact.value_squared is None:
        note = f"the largest ||H||^2 is irrational: {exact.expression} (root of {exact.polynomial}); value_squared is None"
        details_out = dict(result.details, value_expression=f"sqrt({exact.expression})", value_squared_expression=str(exact.expression))
        return CheckResult(result.name, result.verdict, None, None, result.solvers, witness,
                           "; ".join(s for s in (note, result.reason) if s), details_out, result.obligations, result.elapsed_s)
    return CheckResult(result.name, result.verdict, exact.value, exact.value_squared, result.solvers,
                       witness if result.verdict is Verdict.PROVED else None, result.reason, result.details,
                       result.obligations, result.elapsed_s)


def _with_value(result: CheckResult, bound: Fraction) -> CheckResult:
    return CheckResult(result.name, result.verdict, rational_sqrt(bound), bound, result.solvers, result.witness,
                       result.reason, result.details, result.obligations, result.elapsed_s)


def _per_region(matrix: Sequence[Sequence[Fraction]]) -> str:
    norm, _ = largest_spectral_norm_squared([matrix])
    return str(norm.value_squared) if norm.value_squared is not None else str(norm.expression)


def _attainment(problem: Problem, region: ParameterRegion | None, exact: SpectralNorm) -> dict[str, Any] | None:
    """Where μ is attained: a rational v with ‖H v‖² = μ‖v‖², H v recomputed from backprop gradients."""
    if region is None or exact.vector is None or not any(exact.vector):
        return None
    measured = finite_difference(problem, region, exact.vector)
    if measured is None:
        return None
    start, end, hv = measured
    v = exact.vector
    ratio = sum((x * x for x in hv), Fraction(0)) / sum((x * x for x in v), Fraction(0))
    return {"region": region.pattern, "v": v, "Hv": hv, "theta": start, "theta_prime": end, "ratio_squared": ratio, "attains": ratio == exact.value_squared,
            "recomputed_by": "difference of two exact backpropagated gradients inside the region"}


def _obligation(
    problem: Problem, region: ParameterRegion, names: Sequence[str], matrix: Sequence[Sequence[Fraction]] | None,
    target: SpectralNorm, subject: str, max_nodes: int,
) -> Obligation:
    k = len(names)
    v = [z3.Real(f"v_{i}") for i in range(k)]
    mu = z3.Real("mu")
    facts = target.pinned(mu)
    if matrix is not None:
        rows = [[z3_rational(entry) for entry in row] for row in matrix]
        where = f"region {region.pattern} (constant Hessian)"
    else:
        variables = param_vars(names)
        rows = [[polynomial_z3(entry, variables, names) for entry in row] for row in region.hessian]
        facts += box_constraints([variables[n] for n in names], problem.domain)
        facts += closed_region(region, variables, names)
        where = f"closed region {region.pattern} within D (Hessian depends on theta)"
    facts.append(quadratic_excess(rows, v, mu) > z3_rational(0))
    return Obligation.build(
        f"hessian-norm-{region_tag(region.pattern)}", facts, check=CHECK, subject=subject, region=where, max_nodes=max_nodes,
    )


def frobenius_squared(region: ParameterRegion) -> Polynomial:
    """‖H_R‖_F² (the sum of the squared Hessian entries), an upper bound of ‖H_R‖₂², as an exact polynomial."""
    total = Polynomial.constant(region.loss.nvars, 0)
    for row in region.hessian:
        for entry in row:
            total = total + entry * entry
    return total


def _frobenius_bound(
    problem: Problem, land: Landscape, fixed: Sequence[ParameterRegion], varying: Sequence[ParameterRegion],
    constant: Mapping[str, Any], exact: SpectralNorm | None, details: dict[str, Any], runner: Runner | None,
    subject: str, max_nodes: int, max_boxes: int,
) -> CheckResult:
    """Prove ‖H‖₂² ≤ B with B the largest ‖H_R‖_F² on the curved regions (or the constant regions' exact value)."""
    domain = tuple(problem.domain or ())
    floor = None if exact is None else (exact.value_squared if exact.value_squared is not None else exact.interval[1])
    found = {}
    best: tuple[Fraction, ParameterRegion, tuple[Fraction, ...]] | None = None
    norms = {region.pattern: frobenius_squared(region) for region in varying}
    for region in varying:
        bm = box_maximum(norms[region.pattern], region_constraints(region), domain, max_boxes, start=floor)
        if not bm.settled:
            return CheckResult(CHECK, Verdict.UNKNOWN, reason=(
                f"the branch and bound of ||H||_F^2 on region {region.pattern} did not settle within {max_boxes} "
                "boxes; raise max_boxes=N, or give bound_squared"), details=dict(details, max_boxes=max_boxes))
        if bm.value is not None and bm.point is not None and (floor is None or bm.value >= floor):
            floor = bm.value
            best = (bm.value, region, bm.point)
        found[region.pattern] = bm
    if floor is None:  # pragma: no cover - some region has a point in D
        raise InputFormatError("no region meets the domain")
    target = SpectralNorm(floor, sympy.Rational(0), "", (floor, floor), None)
    names = list(problem.parameter_names)
    obligations = [_obligation(problem, r, names, constant[r.pattern], target, subject, max_nodes) for r in fixed]
    for region in varying:
        obligations += certificate_obligations(problem, region, norms[region.pattern], found[region.pattern], CHECK,
                                               subject, max_nodes)
    details = dict(details, max_boxes=max_boxes, bernstein_boxes=sum(bm.boxes for bm in found.values()),
                   method="||H||_2 <= ||H||_F; max ||H_R||_F^2 by exact Bernstein branch and bound on the curved regions",
                   confirmations={
                       "constant Hessians: ||H_R v||^2 <= B ||v||^2": "z3 and cvc5 (hessian-norm-<region>)",
                       "curved regions: ||H_R||_F^2 <= B": "exact Bernstein branch and bound (symrelu, FLINT rationals); "
                       "z3 and cvc5 re-derive every leaf's Bernstein form and the cover of D (bernstein-<region>-*)",
                       "||H||_2 <= ||H||_F": "a matrix inequality (the spectral norm is the largest singular value)"})
    witness = None
    if best is not None:
        value, region, point = best
        at = tuple(tuple(entry(point) for entry in row) for row in region.hessian)
        lower, _ = largest_spectral_norm_squared([at])
        details["supremum_at_least"] = lower.value_squared if lower.value_squared is not None else str(lower.expression)
        details["supremum_at_least_interval"] = list(lower.interval)
        witness = {"region": region.pattern, "theta": point, "hessian": at, "frobenius_squared": value,
                   "spectral_squared": details["supremum_at_least"],
                   "note": "theta lies in the closed region and D; the Hessian there is a limit of Hessians of the region"}
    result = run_check(CHECK, obligations, runner, None, value_squared=floor, details=details)
    solvers = (*result.solvers, "exact") if result.verdict is Verdict.PROVED else result.solvers
    low = details.get("supremum_at_least_interval", [None])[0]
    shown = "" if low is None else f" (>= {decimal_text(Fraction(low), 6)})"
    reason = (f"a proved bound, not the supremum: sup ||H||_2^2 lies in [{details.get('supremum_at_least')}{shown}, "
              f"{floor}]" if result.verdict is Verdict.PROVED else result.reason)
    return CheckResult(result.name, result.verdict, rational_sqrt(floor), floor, solvers,
                       witness if result.verdict is Verdict.PROVED else None, reason, result.details,
                       result.obligations, result.elapsed_s)
