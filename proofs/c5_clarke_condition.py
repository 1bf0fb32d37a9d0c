r"""C5 — a Clarke-subgradient condition restores stability.

Statement (reconstruction, see ``shared/paper-claims.md``): for a locally
Lipschitz ℓ on an open convex D, ℓ is G-Lipschitz on D iff every Clarke
subgradient on D has norm ≤ G (Clarke 1990, Prop. 2.1.2, with Lebourg's mean
value theorem). For the instance on D = [−1, 1]², G² = 2, attained.
Consequences: (a) |ℓ(θ) − ℓ(θ')| ≤ G‖θ − θ'‖ on D; (b) any subgradient method
whose iterates stay in D satisfies ‖θ_T − θ'_T‖ ≤ ‖θ_0 − θ'_0‖ + 2ηTG.

.. math::

   \sup_{\theta\in D,\ g\in\partial_C\ell(\theta)}\|g\|^2 = 2,\qquad
   |\ell(\theta)-\ell(\theta')|\le\sqrt2\,\|\theta-\theta'\|,\qquad
   \|\theta_T-\theta'_T\|\le\|\theta_0-\theta'_0\|+2\eta T\sqrt2

Items:

* ``additive-growth`` (solver, all unsat → PROVED):
  ``symrelu.verify.subgradient_stability_bound(G_squared=2, eta=1/10, T=10)``,
  the inductive step in R² as five lemmas;
* ``g-attained`` (exact): the Clarke set at (0, 0) holds (−1, −1) and the
  gradient at (1, 1) is (1, 1), both of squared norm 2;
* ``exact-runs`` (exact + arb for the square roots): subgradient-method runs
  (min-norm rule at kinks) staying in D respect the additive bound;
* ``clarke-bound`` (``symrelu.verify.clarke_bound(problem, G)``) and
  ``lipschitz-on-domain`` (``symrelu.verify.lipschitz_on_domain(problem, G)``)
  once those checks exist (pending until then).

Reconstruction note: the paper's text was not available; the statement, the
domain D = [−1, 1]² and G² = 2 are our reconstruction.
"""

from __future__ import annotations

from fractions import Fraction

import flint
from flint import arb, fmpq

from symrelu.params import (
    clarke_subdifferential,
    paper_instance,
    parse_rule,
    subgradient_method,
)
from symrelu.proofs_support import (
    ClaimInfo,
    ComputedItem,
    Item,
    SolverItem,
    check_or_pending,
)
from symrelu.verify import Runner, subgradient_stability_bound

CLAIM = ClaimInfo(
    ident="C5",
    title="A Clarke-subgradient condition restores stability",
    statement="On D = [-1,1]^2 every Clarke subgradient of the instance has squared norm <= 2 (attained), so l is "
    "sqrt(2)-Lipschitz on D and subgradient-method perturbations grow additively: "
    "||theta_T - theta'_T|| <= ||theta_0 - theta'_0|| + 2 eta T G.",
    latex=r"\sup_{\theta\in D,\,g\in\partial_C\ell(\theta)}\|g\|^2=2,\ |\ell(\theta)-\ell(\theta')|\le\sqrt2\|\theta-\theta'\|,\ "
    r"\|\theta_T-\theta'_T\|\le\|\theta_0-\theta'_0\|+2\eta T\sqrt2",
    instance="l(w1,w2) = 1/2 (relu(w1)+relu(w2)-1)^2 on D = [-1,1]^2, G^2 = 2; eta = 1/10, T = 10 for (b)",
    reconstruction="Our reconstruction: the paper's full text was unavailable; the equivalence is Clarke's "
    "(Prop. 2.1.2 with Lebourg's theorem), the instance values are ours.",
    not_machine_checked=(
        ("the equivalence 'G-Lipschitz on D iff Clarke subgradients bounded by G'",
         "a theorem of nonsmooth analysis (Clarke 1990, Prop. 2.1.2; Lebourg's mean value theorem), cited, not re-proved"),
        ("induction over T in (b)", "the solvers prove the inductive step; chaining it T times is the standard "
         "induction, by hand"),
        ("the combination step of (a)", "lipschitz_on_domain's lemma route proves the residual bounds and the "
         "output-variation bounds as obligations; combining them into |l(t) - l(t')| <= G ||t - t'|| (triangle "
         "inequality and Cauchy-Schwarz over the exact constants u_j) is done in Python, not by a solver"),
    ),
)

F = Fraction
G_SQUARED = F(2)
ETA, STEPS = F(1, 10), 10


def _attained() -> ComputedItem:
    origin = clarke_subdifferential(paper_instance(), (F(0), F(0)))
    corner = clarke_subdifferential(paper_instance(), (F(1), F(1)))
    norms = {str(tuple(map(str, v))): sum((c * c for c in v), F(0)) for v in origin.vertices + corner.vertices}
    holds = (F(-1), F(-1)) in origin.vertices and corner.vertices == ((F(1), F(1)),) and max(norms.values()) == G_SQUARED
    return ComputedItem.decide(
        "g-attained", "G^2 = 2 is attained: (-1,-1) in d_C l(0,0) and grad l(1,1) = (1,1)",
        "exact rationals; symrelu.params.clarke_subdifferential", holds,
        {"origin_vertices": origin.vertices, "corner_vertices": corner.vertices, "squared_norms": norms},
    )


def _runs() -> ComputedItem:
    pairs = (((F(1, 100), F(1, 100)), (F(-1, 100), F(-1, 100))), ((F(1, 2), F(-1, 2)), (F(-1, 2), F(1, 2))),
             ((F(0), F(0)), (F(1, 10), F(0))))
    rule = parse_rule("min-norm")
    rows, holds = [], True
    with flint.ctx.workprec(128):
        growth = 2 * arb(fmpq(ETA.numerator, ETA.denominator)) * STEPS * arb(2).sqrt()
        for start, other in pairs:
            a = subgradient_method(paper_instance(), start, ETA, STEPS, rule)
            b = subgradient_method(paper_instance(), other, ETA, STEPS, rule)
            in_d = all(-1 <= c <= 1 for s in a.steps + b.steps for c in s.theta)
            d0 = sum(((x - y) ** 2 for x, y in zip(a.steps[0].theta, b.steps[0].theta, strict=False)), F(0))
            dt = sum(((x - y) ** 2 for x, y in zip(a.final, b.final, strict=False)), F(0))
            lhs = arb(fmpq(dt.numerator, dt.denominator)).sqrt()
            rhs = arb(fmpq(d0.numerator, d0.denominator)).sqrt() + growth
            ok = in_d and bool(lhs <= rhs)
            holds = holds and ok
            rows.append({"theta_0": start, "theta_prime_0": other, "theta_T": a.final, "theta_prime_T": b.final,
                         "dist_sq_0": d0, "dist_sq_T": dt, "iterates_in_D": in_d, "bound_holds": ok})
    return ComputedItem.decide(
        "exact-runs", f"subgradient-method pairs (min-norm at kinks, eta={ETA}, T={STEPS}) in D respect the additive bound",
        "exact rationals (symrelu.params.subgradient_method) + python-flint arb for the square roots", holds,
        {"runs": rows},
    )


def items(runner: Runner) -> list[Item]:
    return [
        SolverItem("additive-growth", f"(b) inductive step of ||theta_T - theta'_T|| <= ||theta_0 - theta'_0|| + 2 eta T G, "
                   f"G^2 = 2, eta = {ETA}, T = {STEPS}",
                   "symrelu.verify.subgradient_stability_bound(G_squared=2, eta=1/10, T=10)",
                   subgradient_stability_bound(G_squared=G_SQUARED, eta=ETA, T=STEPS, runner=runner)),
        _attained(),
        _runs(),
        check_or_pending("clarke-bound", "G^2 = 2 bounds every Clarke subgradient on D (per region closure), tight",
                         "clarke_bound", runner, paper_instance(), G_squared=G_SQUARED),
        check_or_pending("lipschitz-on-domain", "(a) (l(t)-l(t'))^2 <= 2 ||t-t'||^2 on D, direct encoding",
                         "lipschitz_on_domain", runner, paper_instance(), G_squared=G_SQUARED),
    ]
