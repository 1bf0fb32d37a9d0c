"""``lipschitz_on_domain`` (claim C5 a): (ℓ(θ) − ℓ(θ'))² ≤ G²‖θ − θ'‖² on D, without the region decomposition.

Three routes, tried in this order under ``route="auto"``:

* **lemmas** (fast; used first). Exact interval arithmetic proposes, for each
  data point i and output k, a residual bound |r_ik| ≤ ρ_ik on D and slopes
  c_ijk with |f_ik(θ) − f_ik(θ')| ≤ Σ_j c_ijk |θ_j − θ'_j|. Each is an
  obligation (unsat of its negation). A variation lemma that is nonlinear
  over two parameter copies (parameters in more than one layer) is replaced
  by its single-copy form |∂f_ik/∂θ_j| ≤ c_ijk on D (:mod:`.slope_encoding`),
  which both solvers decide within their deterministic budgets; cvc5's
  coverings can run far past ``rlimit-per`` on the two-copy form (measured on
  ``problem_two_layer``: ``rlimit-per`` 10,000 stops at once, 100,000 runs
  past a minute). Then, for the squared loss,
  ℓ(θ) − ℓ(θ') = (1/2n) Σ (r_ik − r'_ik)(r_ik + r'_ik), so
  |ℓ(θ) − ℓ(θ')| ≤ (1/n) Σ_j u_j |Δ_j| ≤ (1/n)‖u‖ ‖Δ‖ with u_j = Σ_ik ρ_ik c_ijk
  (triangle and Cauchy–Schwarz inequalities); for the absolute loss
  u_j = Σ_ik c_ijk. Any G² ≥ ‖u‖²/n² is then proved.
* **gradient** (when the lemmas do not prove G²): after a cheap exact
  grid search for a violating pair, the single-copy obligation
  "θ ∈ D and ‖∇ℓ(θ)‖² > G²" over the forward-mode encoded gradient
  (:mod:`.loss_gradient`; lower-piece slopes at breakpoints, sign(0) = 0 for
  the absolute loss). Unsat gives the bound on the convex box D by
  integrating along the segment (:data:`.loss_gradient.GRADIENT_ARGUMENT`,
  recorded in the result's details). A model refutes only through a pair
  θ, θ ± ε∇ℓ(θ) replayed with :meth:`Problem.loss_at`; otherwise the next
  route runs.
* **direct** (two copies of the parameters over :mod:`.loss_encoding`, ReLU
  as if-then-else): the single obligation "some θ, θ' in D violate the bound". A sat
  answer refutes only after the pair is replayed with :meth:`Problem.loss_at`.
  Nonlinear (degree 4 for the squared loss): it may time out, then UNKNOWN.

>>> from symrelu.params import paper_instance
>>> result = lipschitz_on_domain(paper_instance(), G_squared=2, runner=Runner(isolate=False))
>>> result.verdict, result.value_squared, result.details["route"]
(<Verdict.PROVED: 'PROVED'>, Fraction(2, 1), 'lemmas')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import product
from typing import Any, Literal

import z3

from ...errors import InputFormatError
from ...exact import z3_rational
from ...params.problem import Problem
from ...params.z3tools import param_symbol, param_vars
from ..encodings.bounds import given_square
from ..encodings.closure import box_constraints
from ..encodings.encode import absolute, add_all
from ..encodings.intervals import output_bounds
from ..encodings.loss_encoding import encode_loss, encode_outputs
from ..encodings.loss_gradient import GRADIENT_ARGUMENT, gradient_at, gradient_obligation, pair_near
from ..encodings.slope_encoding import SLOPE_ARGUMENT, encode_output_slopes, slope_violations
from ..engine.assemble import rational_sqrt, run_check
from ..engine.obligation import DEFAULT_MAX_NODES, Obligation
from ..engine.runner import Replayed, Runner
from ..engine.verdict import CheckResult, Verdict

CHECK = "lipschitz_on_domain"
Route = Literal["auto", "lemmas", "gradient", "direct"]


def lemma_constants(problem: Problem) -> dict[str, Any]:
    """ρ_ik, c_ijk, u_j and the G² = ‖u‖²/n² they give (exact; proposed by interval arithmetic)."""
    bounds = output_bounds(problem)
    k = len(problem.parameter_names)
    rho = [[max(abs(b.value[0] - y[o]), abs(b.value[1] - y[o])) for o, b in enumerate(row)]
           for row, (_, y) in zip(bounds, problem.data, strict=False)]
    u = []
    for j in range(k):
        if problem.loss == "squared":
            u.append(sum((rho[i][o] * b.slopes[j] for i, row in enumerate(bounds) for o, b in enumerate(row)), Fraction(0)))
        else:
            u.append(sum((b.slopes[j] for row in bounds for b in row), Fraction(0)))
    n = len(problem.data)
    return {"rho": rho, "slopes": [[list(b.slopes) for b in row] for row in bounds], "u": u,
            "G_squared": sum((v * v for v in u), Fraction(0)) / (n * n)}


def grid_witness(problem: Problem, bound: Fraction, budget: int = 4096) -> dict[str, Any] | None:
    """A pair of neighbouring points of a rational grid of D with (ℓ(θ) − ℓ(θ'))² > G²‖θ − θ'‖², exactly.

    Cheap and independent of any solver; it finds witnesses for clearly too
    small G (the direct obligation handles the rest). ``budget`` caps the
    number of grid points (each costs one exact loss evaluation).
    """
    domain = problem.domain or ()
    k = len(domain)
    steps = 16
    while steps > 1 and (steps + 1) ** k > budget:
        steps //= 2
    axes = [[lo + (hi - lo) * Fraction(i, steps) for i in range(steps + 1)] for lo, hi in domain]
    grid = list(product(*(range(steps + 1) for _ in range(k))))
    losses = {index: problem.loss_at(tuple(axes[j][i] for j, i in enumerate(index))) for index in grid}
    directions = [d for d in product((-1, 0, 1), repeat=k) if next((v for v in d if v), 0) > 0]
    best: tuple[Fraction, tuple[int, ...], tuple[int, ...]] | None = None
    for index in grid:
        for d in directions:
            other = tuple(i + v for i, v in zip(index, d, strict=False))
            if other not in losses:
                continue
            a = tuple(axes[j][i] for j, i in enumerate(index))
            b = tuple(axes[j][i] for j, i in enumerate(other))
            distance = sum(((p - q) ** 2 for p, q in zip(a, b, strict=False)), Fraction(0))
            ratio = (losses[index] - losses[other]) ** 2 / distance
            if ratio > bound and (best is None or ratio > best[0]):
                best = (ratio, index, other)
    if best is None:
        return None
    ratio, i, j = best
    a = tuple(axes[n][v] for n, v in enumerate(i))
    b = tuple(axes[n][v] for n, v in enumerate(j))
    return {"theta": a, "theta_prime": b, "loss": problem.loss_at(a), "loss_prime": problem.loss_at(b),
            "ratio_squared": ratio, "recomputed_by": "Problem.loss_at (exact), grid search"}


def _copies(problem: Problem) -> tuple[dict[str, z3.ArithRef], dict[str, z3.ArithRef], list[z3.BoolRef]]:
    names = problem.parameter_names
    a = param_vars(names, "t")
    b = param_vars(names, "tp")
    facts = box_constraints([a[n] for n in names], problem.domain) + box_constraints([b[n] for n in names], problem.domain)
    return a, b, facts


def _lemma_obligations(problem: Problem, constants: Mapping[str, Any], subject: str, max_nodes: int) -> list[Obligation]:
    names = problem.parameter_names
    obligations = []
    for i in range(len(problem.data)):
        y = problem.data[i][1]
        a, b, facts = _copies(problem)
        defs_a, out_a = encode_outputs(problem, a, "a", i)
        defs_b, out_b = encode_outputs(problem, b, "b", i)
        for o in range(len(out_a)):
            slopes = constants["slopes"][i][o]
            allowed = add_all([z3_rational(c) * absolute(a[n] - b[n]) for c, n in zip(slopes, names, strict=False) if c != 0])
            variation = Obligation.build(
                f"output-variation-d{i}-o{o}", facts + defs_a + defs_b + [absolute(out_a[o] - out_b[o]) > allowed],
                check=CHECK, subject=subject, max_nodes=max_nodes,
                region=f"data point {i}, output {o}: |f(t) - f(t')| <= sum_j c_j |t_j - t'_j|, c = {[str(c) for c in slopes]}",
            )
            obligations.append(variation if variation.logic == "QF_LRA" else _slope_obligation(
                problem, i, o, slopes, facts[: 2 * len(names)], subject, max_nodes))
            if problem.loss == "squared":
                rho = constants["rho"][i][o]
                residual = out_a[o] - z3_rational(y[o])
                obligations.append(Obligation.build(
                    f"residual-bound-d{i}-o{o}",
                    facts[: 2 * len(names)] + defs_a + [z3.Or(residual > z3_rational(rho), residual < z3_rational(-rho))],
                    check=CHECK, subject=subject, max_nodes=max_nodes,
                    region=f"data point {i}, output {o}: |r(t)| <= {rho} on D",
                ))
    return obligations


def _slope_obligation(problem: Problem, i: int, o: int, slopes: Sequence[Fraction], box: list[z3.BoolRef],
                      subject: str, max_nodes: int) -> Obligation:
    """The single-copy form of a nonlinear output-variation lemma: |df_io/dt_j| <= c_j on D (see SLOPE_ARGUMENT)."""
    theta = param_vars(problem.parameter_names, "t")
    defs, _, derivatives = encode_output_slopes(problem, theta, "s", i)
    violations = slope_violations(derivatives[o], slopes)
    return Obligation.build(
        f"output-slopes-d{i}-o{o}", box + defs + [z3.Or(*violations) if len(violations) > 1 else violations[0]],
        check=CHECK, subject=subject, max_nodes=max_nodes,
        region=f"data point {i}, output {o}: |df/dt_j| <= c_j on D, c = {[str(c) for c in slopes]} "
               "(one parameter copy; gives |f(t) - f(t')| <= sum_j c_j |t_j - t'_j|)",
    )


def _direct_obligation(problem: Problem, bound: Fraction, subject: str, max_nodes: int) -> Obligation:
    names = problem.parameter_names
    a, b, facts = _copies(problem)
    enc_a, enc_b = encode_loss(problem, a, "a"), encode_loss(problem, b, "b")
    delta = z3.Real("delta")
    distance = add_all([(a[n] - b[n]) * (a[n] - b[n]) for n in names])
    facts += list(enc_a.constraints) + list(enc_b.constraints) + [delta == enc_a.loss - enc_b.loss]
    return Obligation.build(
        "lipschitz-direct", facts + [delta * delta > z3_rational(bound) * distance], check=CHECK, subject=subject,
        region=f"D = {' x '.join(f'[{lo},{hi}]' for lo, hi in problem.domain or ())}; G^2 = {bound}", max_nodes=max_nodes,
    )


def _gradient_route(problem: Problem, target: Fraction, runner: Runner | None, subject: str, max_nodes: int,
                    details: Mapping[str, Any]) -> CheckResult:
    """"θ ∈ D and ‖∇ℓ(θ)‖² > G²" on one parameter copy (GRADIENT_ARGUMENT); a model refutes only via an exact pair."""
    def replay(ob: Obligation, model: Mapping[str, Any]) -> Replayed:
        theta = problem.point([model.get(param_symbol(n, "t"), Fraction(0)) for n in problem.parameter_names])
        if not all(lo <= v <= hi for v, (lo, hi) in zip(theta, problem.domain or (), strict=False)):
            return Replayed(False, reason="the point leaves D")
        found = pair_near(problem, theta, gradient_at(problem, theta), target)
        if found is None:
            return Replayed(False, reason="no pair theta, theta +- eps grad l(theta) violates the bound in exact arithmetic")
        return Replayed(True, found)

    return run_check(CHECK, [gradient_obligation(problem, target, CHECK, subject, max_nodes)], runner, replay,
                     rational_sqrt(target), target, dict(details, route="gradient", encoding=(
                         "forward-mode loss gradient, one parameter copy (lower-piece slopes at breakpoints)"),
                         gradient_argument=GRADIENT_ARGUMENT))


def lipschitz_on_domain(
    problem: Problem,
    G: Fraction | int | str | None = None,
    *,
    G_squared: Fraction | int | str | None = None,
    route: Route = "auto",
    runner: Runner | None = None,
    subject: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> CheckResult:
    """Prove or refute that ℓ is G-Lipschitz on the problem's domain D (default G²: the lemma bound)."""
    given = given_square(G, G_squared, "G")
    if route not in ("auto", "lemmas", "gradient", "direct"):
        raise InputFormatError(f"route {route!r} must be auto, lemmas, gradient or direct")
    if problem.domain is None:
        return CheckResult(CHECK, Verdict.UNKNOWN, reason="does not apply: the problem has no bounded domain D "
                           "(the squared loss is not globally Lipschitz); add a domain")
    subject = subject or problem.network.source
    constants = lemma_constants(problem)
    target = given if given is not None else constants["G_squared"]
    details: dict[str, Any] = {"domain": [list(b) for b in problem.domain], "lemma_G_squared": constants["G_squared"],
                               "lemma_u": constants["u"], "encoding": "direct (ReLU as if-then-else, two parameter copies)"}
    notes = []
    if route in ("auto", "lemmas") and constants["G_squared"] <= target:
        lemmas = _lemma_obligations(problem, constants, subject, max_nodes)
        if any(ob.name.startswith("output-slopes") for ob in lemmas):
            details["slope_lemmas"] = SLOPE_ARGUMENT
        result = run_check(CHECK, lemmas, runner, value=rational_sqrt(target), value_squared=target,
                           details=dict(details, route="lemmas", combination=(
                               "l(t) - l(t') = (1/2n) sum (r - r')(r + r'); |r + r'| <= 2 rho; triangle and "
                               "Cauchy-Schwarz inequalities give |l(t) - l(t')| <= (1/n) ||u|| ||t - t'||, "
                               f"and ||u||^2/n^2 = {constants['G_squared']} <= G^2 = {target} (exact)")))
        if result.verdict is Verdict.PROVED or route == "lemmas":
            return result
        notes.append(f"lemma route: {result.reason}")
    elif route == "lemmas":
        return CheckResult(CHECK, Verdict.UNKNOWN, rational_sqrt(target), target, reason=(
            f"the lemma bound ||u||^2/n^2 = {constants['G_squared']} exceeds G^2 = {target}; try route='direct'"),
            details=details)
    else:
        notes.append(f"lemma bound {constants['G_squared']} exceeds G^2 = {target}")

    found = grid_witness(problem, target)
    if found is not None:
        return CheckResult(CHECK, Verdict.REFUTED, rational_sqrt(target), target, ("exact",), found,
                           "a pair of grid points of D violates the bound (replayed exactly with Problem.loss_at)",
                           dict(details, route="grid search"))

    if route in ("auto", "gradient"):
        result = _gradient_route(problem, target, runner, subject, max_nodes, details)
        if result.verdict is not Verdict.UNKNOWN or route == "gradient":
            return result
        notes.append(f"gradient route: {result.reason}")

    def replay(ob: Obligation, model: Mapping[str, Any]) -> Replayed:
        names = problem.parameter_names
        theta = problem.point([model.get(param_symbol(n, "t"), Fraction(0)) for n in names])
        other = problem.point([model.get(param_symbol(n, "tp"), Fraction(0)) for n in names])
        if not all(lo <= v <= hi for pt in (theta, other) for v, (lo, hi) in zip(pt, problem.domain or (), strict=False)):
            return Replayed(False, reason="the pair leaves D")
        la, lb = problem.loss_at(theta), problem.loss_at(other)
        distance = sum(((p - q) ** 2 for p, q in zip(theta, other, strict=False)), Fraction(0))
        if distance == 0 or (la - lb) ** 2 <= target * distance:
            return Replayed(False, reason="the pair does not violate the bound in exact arithmetic")
        return Replayed(True, {"theta": theta, "theta_prime": other, "loss": la, "loss_prime": lb,
                               "ratio_squared": (la - lb) ** 2 / distance, "recomputed_by": "Problem.loss_at (exact)"})

    result = run_check(CHECK, [_direct_obligation(problem, target, subject, max_nodes)], runner, replay,
                       rational_sqrt(target), target, dict(details, route="direct"))
    if notes and result.verdict is not Verdict.REFUTED:
        reason = "; ".join(notes + ([result.reason] if result.reason else []))
        return CheckResult(result.name, result.verdict, result.value, result.value_squared, result.solvers,
                           result.witness, reason, result.details, result.obligations, result.elapsed_s)
    return result
