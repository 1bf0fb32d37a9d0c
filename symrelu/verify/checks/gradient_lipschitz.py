"""``no_global_gradient_lipschitz`` (claim C1) for a training problem (∇_θ ℓ) or a network over a box (∇_x f).

The check looks for a kink with a non-zero gradient jump and hands it to
:func:`.kinks.no_global_gradient_lipschitz_at_kink` (Skolem pair θ±(L), negation
unsat). When no such kink exists it does not claim C1; it tries to prove the
opposite instead and answers REFUTED with the constant:

* a network whose gradient is the same on every region is affine on the box:
  ∇f is constant, 0-Lipschitz (confirmed over the direct ReLU encoding);
* a problem whose gradient jumps are zero on every kink (re-proved as
  obligations) and whose Hessians are constant is C¹ with a piecewise-affine
  gradient, so ∇ℓ is λ-Lipschitz with λ = max_R ‖H_R‖₂ (integrate along a
  segment: it crosses the kink set in finitely many points where ∇ℓ is
  continuous). λ² is proved region by region as in ``hessian_bound``.

Anything else is UNKNOWN with the reason.

>>> from symrelu.params import paper_instance, tied_relu_instance
>>> no_global_gradient_lipschitz(paper_instance(), runner=Runner(isolate=False)).verdict
<Verdict.PROVED: 'PROVED'>
>>> smooth = no_global_gradient_lipschitz(tied_relu_instance(), runner=Runner(isolate=False))
>>> smooth.verdict, smooth.value
(<Verdict.REFUTED: 'REFUTED'>, Fraction(1, 1))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy
import z3

from ...errors import InputFormatError
from ...exact import z3_rational
from ...network import Network, format_pattern
from ...params.kinks import Kink, dangerous_kinks, find_kinks
from ...params.landscape import Landscape, ParameterRegion, enumerate_parameter_regions
from ...params.problem import Problem
from ...params.z3tools import param_vars
from ...regions import Region, enumerate_regions
from ...validation import check_box, check_output
from ..encodings.closure import box_constraints, closed_region, open_region_relations, polynomial_z3
from ..encodings.encode import add_all
from ..encodings.network_encoding import encode_network
from ..engine.assemble import run_check
from ..engine.obligation import Obligation
from ..engine.runner import Runner
from ..engine.verdict import CheckResult, Verdict
from .hessian_bound import hessian_bound, region_tag
from .kink_families import no_global_gradient_lipschitz_at_kink

CHECK = "no_global_gradient_lipschitz"
SMOOTH_ARGUMENT = (
    "the gradients of any two regions agree on their common closure, so l is C^1 with a piecewise-polynomial gradient; along any segment "
    "the gradient is continuous and piecewise C^1, hence ||grad l(t) - grad l(t')|| <= max_R ||H_R|| ||t - t'||"
)


def no_global_gradient_lipschitz(
    subject: Problem | Network,
    box: Sequence[tuple[object, object]] | None = None,
    *,
    output: int | None = None,
    landscape: Landscape | None = None,
    runner: Runner | None = None,
    name: str | None = None,
) -> CheckResult:
    """Claim C1 for ``subject``: a Problem (∇_θ ℓ on its domain) or a Network (∇_x f on ``box``)."""
    if isinstance(subject, Problem):
        if box is not None:
            raise InputFormatError("a problem's domain is part of the problem; do not pass a box")
        return _for_problem(subject, landscape, runner, name or subject.network.source)
    if isinstance(subject, Network):
        if box is None:
            raise InputFormatError("no_global_gradient_lipschitz on a network needs a box (one interval per input)")
        return _for_network(subject, box, output, runner, name or subject.source)
    raise InputFormatError(f"expected a Problem or a Network, got {type(subject).__name__}")


# ----------------------------------------------------------------- problems
def _skolem_choices(jump: Sequence[Fraction], direction: Sequence[Fraction], t0: Fraction) -> list[tuple[Fraction, Fraction]]:
    """t(L) = c/(L + d) with c = max|J| / (4 Σ|e|) (so 4c²‖e‖² < ‖J‖²) and c/d ≤ t0 (the pair stays in its regions)."""
    c = max(abs(j) for j in jump) / (4 * sum(abs(v) for v in direction))
    d0 = max(Fraction(1), c / t0)
    return [(c, d0 * 4**k) for k in range(4)]


MAX_HALVINGS = 1024
"""How many halvings of the step :func:`_reach` tries (a facet normal of size 2^84 needs over 84)."""


def _reach(contains_plus: Any, contains_minus: Any, point: Sequence[Fraction], e: Sequence[Fraction]) -> Fraction | None:
    """A step t0 = 2^-m with θ* ± t0·e inside the two regions (checked exactly); None when none is found."""
    t = Fraction(1)
    for _ in range(MAX_HALVINGS):
        plus = tuple(p + t * v for p, v in zip(point, e, strict=False))
        minus = tuple(p - t * v for p, v in zip(point, e, strict=False))
        if contains_plus(plus) and contains_minus(minus):
            return t
        t /= 2
    return None


def _unreachable(scope: str, details: Mapping[str, Any]) -> CheckResult:
    return CheckResult(CHECK, Verdict.UNKNOWN, reason=f"no step 2^-m (m < {MAX_HALVINGS}) keeps the pair theta* +/- t e "
                       "inside its two regions (checked exactly); no Skolem pair is proposed", details=dict(details, scope=scope))


def _for_problem(problem: Problem, landscape: Landscape | None, runner: Runner | None, subject: str) -> CheckResult:
    land = landscape if landscape is not None else enumerate_parameter_regions(problem)
    kinks = find_kinks(land)
    scope = "on R^k" if problem.domain is None else "on the domain D (kinks searched inside D)"
    with_point = [k for k in dangerous_kinks(kinks) if k.dangerous_witness is not None]
    if with_point:
        return _across_kink(land, with_point[0], runner, subject, scope)
    if dangerous_kinks(kinks):
        return CheckResult(CHECK, Verdict.UNKNOWN, reason="the gradient jumps across a kink, but no exact rational point "
                           "with a non-zero jump was found on it", details={"scope": scope})
    return _smooth_problem(problem, land, kinks, runner, subject, scope)


def _across_kink(land: Landscape, kink: Kink, runner: Runner | None, subject: str, scope: str) -> CheckResult:
    below, above = land.region(kink.below), land.region(kink.above)
    point = kink.dangerous_witness
    if point is None:  # pragma: no cover - filtered by the caller
        raise InputFormatError("kink without an exact point")
    e = tuple(d(point) for d in kink.surface[0].gradient())
    jump = tuple(j(point) for j in kink.jump)
    t0 = _reach(above.contains, below.contains, point, e)
    if t0 is None:
        return _unreachable(scope, {"kink": {"below": kink.below, "above": kink.above}})
    result: CheckResult | None = None
    for skolem in _skolem_choices(jump, e, t0):
        result = no_global_gradient_lipschitz_at_kink(
            point, e, list(above.sympy_gradient), list(below.sympy_gradient), land.parameters,
            region_plus=open_region_relations(above), region_minus=open_region_relations(below),
            jump=jump, skolem=skolem, subject=subject, runner=runner, check_name=CHECK,
        )
        if result.verdict is Verdict.PROVED:
            break
    if result is None:  # pragma: no cover - four choices always
        raise InputFormatError("no Skolem choice")
    details = dict(result.details, kink={"below": kink.below, "above": kink.above, "switch": kink.switch.describe()},
                   scope=scope, witness_family=f"theta(L) = theta* +/- t(L) e, {result.details.get('skolem', '')}")
    details.update(kink_activation_note(land.problem.network, kink))
    return CheckResult(result.name, result.verdict, None, None, result.solvers, result.witness, result.reason,
                       details, result.obligations, result.elapsed_s)


def kink_activation_note(net: Network, kink: Kink) -> dict[str, str]:
    """For a kink of a non-ReLU neuron: its activation and the factor (its slope jump) scaling the gradient jump."""
    if kink.switch.kind == "residual":
        return {}
    act = net.activations[kink.switch.layer][kink.switch.neuron]
    if act.is_relu:
        return {}
    (_, c), = act.kinks
    factor = f"1 - alpha = {c}" if act.name == "leaky_relu" else str(c)
    return {"activation": f"{act} at the kink's neuron: its slope jumps by {factor} there, so the gradient jump is "
                          f"the ReLU form's jump scaled by {factor} (non-zero: C1 holds)"}


MAX_CONTINUITY_PAIRS = 2_000
"""Largest number of region pairs whose gradient continuity the smooth path proves (else UNKNOWN)."""


def _smooth_problem(problem: Problem, land: Landscape, kinks: Sequence[Kink], runner: Runner | None, subject: str,
                    scope: str) -> CheckResult:
    """No kink found to jump: prove ∇ℓ continuous across every pair of region closures, bound the Hessians."""
    names = list(problem.parameter_names)
    details: dict[str, Any] = {"scope": scope, "kinks": len(kinks), "regions": len(land.regions)}
    regions = land.regions
    pairs = [(r1, r2) for i, r1 in enumerate(regions) for r2 in regions[i + 1 :]
             if any(not (a - b).is_zero for a, b in zip(r1.gradient, r2.gradient, strict=False))]
    details["continuity_pairs"] = len(pairs)
    if len(pairs) > MAX_CONTINUITY_PAIRS:
        return CheckResult(CHECK, Verdict.UNKNOWN, reason=f"no kink with a gradient jump was found, but proving the "
                           f"gradient continuous needs {len(pairs)} region-pair obligations (more than "
                           f"{MAX_CONTINUITY_PAIRS}); shrink the problem or its domain", details=details)
    continuity = [_continuity_obligation(problem, r1, r2, names, subject) for r1, r2 in pairs]
    hessian = hessian_bound(problem, landscape=land, runner=runner, subject=subject)
    details["hessian"] = {"verdict": hessian.verdict.value, "value_squared": hessian.value_squared,
                          "reason": hessian.reason}
    if hessian.verdict is not Verdict.PROVED:
        return CheckResult(CHECK, Verdict.UNKNOWN, reason="no kink has a gradient jump, but no global constant was "
                           f"proved: hessian_bound is {hessian.verdict.value} ({hessian.reason})", details=details,
                           obligations=hessian.obligations)
    jumps = run_check(CHECK, continuity, runner) if continuity else None
    obligations = hessian.obligations + (jumps.obligations if jumps else ())
    if jumps is not None and jumps.verdict is not Verdict.PROVED:
        return CheckResult(CHECK, Verdict.UNKNOWN, reason=f"gradient continuity across region boundaries not "
                           f"proved: {jumps.reason}", details=details, obligations=obligations)
    witness = dict(hessian.witness or {"constant_squared_expression": hessian.details.get("value_squared_expression")})
    witness["argument"] = SMOOTH_ARGUMENT
    solvers = tuple(s for s in hessian.solvers if jumps is None or s in jumps.solvers)
    root = hessian.value if hessian.value is not None else f"sqrt({hessian.value_squared})"
    constant = "0" if hessian.value_squared == 0 else f"{root} (squared {hessian.value_squared})"
    return CheckResult(
        CHECK, Verdict.REFUTED, hessian.value, hessian.value_squared, solvers, witness,
        f"the gradient IS Lipschitz {scope}: constant {constant}, proved (gradients agree on the common closure "
        f"of every one of {len(pairs)} region pair(s) with different gradient polynomials; Hessian bound per region)",
        details, obligations, hessian.elapsed_s + (jumps.elapsed_s if jumps else 0.0),
    )


def _continuity_obligation(problem: Problem, first: ParameterRegion, second: ParameterRegion, names: Sequence[str],
                           subject: str) -> Obligation:
    """"Some θ in both closed regions (within closed D) has ∇ℓ_first(θ) ≠ ∇ℓ_second(θ)" — unsat when continuous.

    Complete by construction: every point where two regions' gradients could
    disagree lies in the closures of both (the non-strict constraints are a
    superset of the closure), whatever the number of differing bits.
    """
    variables = param_vars(names)
    facts = box_constraints([variables[n] for n in names], problem.domain)
    facts += closed_region(first, variables, names) + closed_region(second, variables, names)
    differ = [polynomial_z3(a - b, variables, names) != z3_rational(0)
              for a, b in zip(first.gradient, second.gradient, strict=False) if not (a - b).is_zero]
    facts.append(z3.Or(*differ) if len(differ) > 1 else differ[0])
    return Obligation.build(
        f"continuity-{region_tag(first.pattern)}-{region_tag(second.pattern)}", facts, check=CHECK, subject=subject,
        region=f"closures of regions {first.pattern} and {second.pattern} within D: equal gradients",
    )


# ----------------------------------------------------------------- networks
def _gradient(region: Region, output: int) -> tuple[Fraction, ...]:
    return tuple(region.jacobian[output])


def _opposite(c1: Any, c2: Any) -> bool:
    """c2 is c1's hyperplane with the other side: c2 = −λ·c1 for some λ > 0 (coefficients and bound)."""
    pairs = list(zip(c1.coefficients, c2.coefficients, strict=False)) + [(c1.bound, c2.bound)]
    ratio = next((b / a for a, b in pairs if a != 0), None)
    return ratio is not None and ratio < 0 and all(b == ratio * a for a, b in pairs)


def _facet_point(r1: Region, r2: Region, c1: Any, c2: Any) -> tuple[Fraction, ...] | None:
    """An exact point on the common facet's relative interior (z3 LRA proposes, Fractions confirm)."""
    dim = len(c1.coefficients)
    x = [z3.Real(f"x_{i}") for i in range(dim)]

    def lin(c: Any) -> z3.ArithRef:
        return add_all([z3_rational(a) * xi for a, xi in zip(c.coefficients, x, strict=False) if a != 0])

    solver = z3.SolverFor("QF_LRA")
    solver.add(lin(c1) == z3_rational(c1.bound))
    for region, own in ((r1, c1), (r2, c2)):
        for c in region.constraints:
            if c is not own:
                solver.add(lin(c) < z3_rational(c.bound))
    if solver.check() != z3.sat:
        return None
    model = solver.model()
    point = []
    for xi in x:
        value = model.eval(xi, model_completion=True)
        point.append(Fraction(value.numerator_as_long(), value.denominator_as_long()))
    p = tuple(point)
    on_facet = c1.slack(p) == 0 and c2.slack(p) == 0
    strict = all(c.slack(p) > 0 for region, own in ((r1, c1), (r2, c2)) for c in region.constraints if c is not own)
    return p if on_facet and strict else None


def _for_network(net: Network, box: Sequence[tuple[object, object]], output: int | None, runner: Runner | None,
                 subject: str) -> CheckResult:
    net.require_concrete(CHECK)
    bounds = check_box(net, box)
    output = check_output(net, output)
    regions = enumerate_regions(net, bounds)
    gradients = [_gradient(r, output) for r in regions]
    scope = f"on the box {' x '.join(f'[{lo},{hi}]' for lo, hi in bounds)}"
    if len(set(gradients)) == 1:
        return _affine_network(net, bounds, output, gradients[0], len(regions), runner, subject, scope)
    for i, r1 in enumerate(regions):
        for j, r2 in enumerate(regions):
            if i == j or gradients[i] == gradients[j]:
                continue
            for c1 in r1.constraints:
                for c2 in r2.constraints:
                    if not _opposite(c1, c2):
                        continue
                    point = _facet_point(r1, r2, c1, c2)
                    if point is not None:
                        return _network_kink(net, r1, r2, c1, point, gradients[i], gradients[j], runner, subject, scope,
                                             output)
    return CheckResult(CHECK, Verdict.UNKNOWN, reason="the gradient differs between regions but no common facet "
                       "with an exact rational point was found", details={"scope": scope, "regions": len(regions)})


def _network_kink(net: Network, r1: Region, r2: Region, c1: Any, point: tuple[Fraction, ...],
                  g1: tuple[Fraction, ...], g2: tuple[Fraction, ...], runner: Runner | None, subject: str,
                  scope: str, output: int = 0) -> CheckResult:
    dim = net.input_dim
    symbols = sympy.symbols([f"x_{i}" for i in range(dim)], real=True)
    e = tuple(c1.coefficients)  # leaves r1 (a·x <= b) into r2

    def relations(region: Region) -> list[sympy.Rel]:
        return [sympy.Add(*[sympy.Rational(a.numerator, a.denominator) * s for a, s in zip(c.coefficients, symbols, strict=False)])
                < sympy.Rational(c.bound.numerator, c.bound.denominator) for c in region.constraints]

    def inside(region: Region) -> Any:
        return lambda p: region.contains(p, strictly=True)

    jump = tuple(b - a for a, b in zip(g1, g2, strict=False))
    t0 = _reach(inside(r2), inside(r1), point, e)
    if t0 is None:
        return _unreachable(scope, {"kink": {"below": format_pattern(r1.pattern), "above": format_pattern(r2.pattern)}})
    result: CheckResult | None = None
    for skolem in _skolem_choices(jump, e, t0):
        result = no_global_gradient_lipschitz_at_kink(
            point, e, [sympy.Rational(v.numerator, v.denominator) for v in g2],
            [sympy.Rational(v.numerator, v.denominator) for v in g1], symbols,
            region_plus=relations(r2), region_minus=relations(r1), jump=jump, skolem=skolem,
            subject=subject, runner=runner, check_name=CHECK,
        )
        if result.verdict is Verdict.PROVED:
            break
    if result is None:  # pragma: no cover
        raise InputFormatError("no Skolem choice")
    details = dict(result.details, scope=scope, facet=c1.source,
                   kink={"below": format_pattern(r1.pattern), "above": format_pattern(r2.pattern)},
                   witness_family=f"x(L) = x* +/- t(L) e, {result.details.get('skolem', '')}")
    witness = result.witness
    if result.verdict is Verdict.PROVED:
        witness = _replay_pair(net, output, r1, r2, point, e, skolem, Fraction(1))
        if witness is None:  # the solvers proved the family, but its L = 1 member did not replay: do not claim it
            return CheckResult(CHECK, Verdict.UNKNOWN, reason="the Skolem pair was proved by the solvers but its L = 1 "
                               "member did not replay exactly (inside its regions, exact gradients)", details=details,
                               obligations=result.obligations)
    return CheckResult(result.name, result.verdict, None, None, result.solvers, witness, result.reason,
                       details, result.obligations, result.elapsed_s)


def _replay_pair(net: Network, output: int, r1: Region, r2: Region, point: Sequence[Fraction],
                 e: Sequence[Fraction], skolem: tuple[Fraction, Fraction], big_l: Fraction) -> dict[str, Any] | None:
    """The pair x* ± t(L) e for one L, replayed exactly: strictly inside its regions, no pre-activation zero, and the
    gradients (the network's own pattern and affine map at each point) differ by more than L times the distance."""
    c, d = skolem
    t = c / (big_l + d)
    plus = tuple(p + t * v for p, v in zip(point, e, strict=True))
    minus = tuple(p - t * v for p, v in zip(point, e, strict=True))
    if not (r2.contains(plus, strictly=True) and r1.contains(minus, strictly=True)):
        return None
    gradients = []
    for x in (plus, minus):
        if any(z == 0 for layer in net.preactivations(x)[: net.relu_layer_count] for z in layer):
            return None  # on a kink: the affine map need not be the gradient there
        gradients.append(net.affine_map(net.pattern(x))[0][output])
    change = sum(((a - b) ** 2 for a, b in zip(*gradients, strict=True)), Fraction(0))
    distance = sum(((a - b) ** 2 for a, b in zip(plus, minus, strict=True)), Fraction(0))
    if not change > big_l * big_l * distance:
        return None
    return {"L": big_l, "x_plus": plus, "x_minus": minus, "gradient_plus": gradients[0], "gradient_minus": gradients[1],
            "gradient_change_squared": change, "distance_squared": distance,
            "recomputed_by": "exact evaluation: the network's own activation pattern and affine map at each point"}


def _affine_network(net: Network, bounds: Sequence[tuple[Fraction, Fraction]], output: int, gradient: tuple[Fraction, ...],
                    count: int, runner: Runner | None, subject: str, scope: str) -> CheckResult:
    """Every region has the same gradient: f is affine on the box; confirm over the direct encoding."""
    dim = net.input_dim
    x = [z3.Real(f"x_{i}") for i in range(dim)]
    xp = [z3.Real(f"xp_{i}") for i in range(dim)]
    facts: list[z3.BoolRef] = []
    for i, (lo, hi) in enumerate(bounds):
        facts += [x[i] >= z3_rational(lo), x[i] <= z3_rational(hi), xp[i] >= z3_rational(lo), xp[i] <= z3_rational(hi)]
    defs_a, out_a = encode_network(net, x, "a")
    defs_b, out_b = encode_network(net, xp, "b")
    slope = add_all([z3_rational(g) * (a - b) for g, a, b in zip(gradient, x, xp, strict=False) if g != 0])
    facts += defs_a + defs_b + [out_a[output] - out_b[output] != slope]
    obligation = Obligation.build("affine-on-box", facts, check=CHECK, subject=subject, region=scope)
    result = run_check(CHECK, [obligation], runner)
    details = {"scope": scope, "regions": count, "gradient": gradient}
    if result.verdict is not Verdict.PROVED:
        return CheckResult(CHECK, Verdict.UNKNOWN, reason=f"every region has the same gradient, but the affine identity "
                           f"was not confirmed: {result.reason}", details=details, obligations=result.obligations)
    corner_lo = tuple(b[0] for b in bounds)
    corner_hi = tuple(b[1] for b in bounds)
    f_lo, f_hi = net.evaluate(corner_lo)[output], net.evaluate(corner_hi)[output]
    replayed = f_hi - f_lo == sum((g * (b - a) for g, a, b in zip(gradient, corner_lo, corner_hi, strict=False)), Fraction(0))
    witness: Mapping[str, Any] = {
        "gradient": gradient, "x": corner_lo, "x_prime": corner_hi, "f_x": f_lo, "f_x_prime": f_hi, "affine_identity_replayed": replayed,
        "argument": "f(x) - f(x') = g.(x - x') on the whole box, so grad f = g everywhere: 0-Lipschitz",
    }
    if not replayed:  # pragma: no cover - contradicts the proved obligation
        return CheckResult(CHECK, Verdict.UNKNOWN, reason="the affine identity failed its exact replay", details=details)
    return CheckResult(CHECK, Verdict.REFUTED, Fraction(0), Fraction(0), result.solvers, witness,
                       f"the gradient IS Lipschitz {scope}: f is affine there (gradient {list(map(str, gradient))}), constant 0",
                       details, result.obligations, result.elapsed_s)
