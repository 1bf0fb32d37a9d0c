r"""C4 — the classical (1 + ηβ)^T stability bound fails for every β.

Statement (reconstruction, see ``shared/paper-claims.md``): for β-smooth
losses GD is (1 + ηβ)-expansive, ‖θ_T − θ'_T‖ ≤ (1 + ηβ)^T ‖θ_0 − θ'_0‖
(Hardt–Recht–Singer 2016). For ℓ(w1, w2) = ½(relu(w1) + relu(w2) − 1)² no β
works: from θ_0 = (ε, ε) and θ'_0 = (−ε, −ε) the second run never moves and
after one step the amplification is (1 − η) + η/(2ε) → ∞ as ε → 0.

.. math::

   \forall \beta>0\;\forall \eta\in(0,\tfrac12]\;\forall T\ge 1\;\exists \varepsilon\in(0,\tfrac12):\
   \frac{\|\theta_T-\theta'_T\|}{\|\theta_0-\theta'_0\|} > (1+\eta\beta)^T

Family versions: every β > 0 via the Skolem function ε(β) = 1/(2(β + 2)) and
every η in (0, ½] at once (``symrelu.verify.gd_amplification_unbounded(eta=None)``);
every horizon T ≥ 1 through P = (1 + ηβ)^T ≥ 1 as a free variable with the
Skolem choice ε(P) = η/(2(P + 1)), the dead run's standstill and the
monotonicity of the live run (obligations built here with
:meth:`symrelu.verify.Obligation.build`).

Obligations (all expected unsat, verdict PROVED):

* ``family-eta--amplification-formula``, ``family-eta--skolem-epsilon`` (η ∈ (0, ½] symbolic);
* ``eta-1-10--amplification-formula``, ``eta-1-10--skolem-epsilon`` (η = 1/10);
* ``every-T--dead-run-stays``, ``every-T--monotone-step``, ``every-T--distance-ratio``,
  ``every-T--skolem-any-T``.

Exact computation: symrelu.params.gradient_descent / amplification runs for
several (ε, η, T) against the closed forms (``c4_one_step_amplification_sq``).

Reconstruction note: the paper's text was not available; the statement, the
Skolem choices and the every-T argument are our reconstruction.
"""

from __future__ import annotations

from fractions import Fraction

import z3

from symrelu.params import amplification, gradient_descent, paper_instance
from symrelu.params.trajectory import c3_closed_form, c4_one_step_amplification_sq
from symrelu.proofs_support import ClaimInfo, ComputedItem, Item, SolverItem, solve
from symrelu.verify import Obligation, Runner, gd_amplification_unbounded

CLAIM = ClaimInfo(
    ident="C4",
    title="The classical stability bound fails",
    statement="No beta makes GD (1 + eta beta)-expansive: from (eps, eps) and (-eps, -eps) the second run never "
    "moves, and the amplification (1-eta) + eta/(2 eps) after one step (and at least that after T steps) "
    "exceeds every (1 + eta beta)^T for small eps.",
    latex=r"\forall\beta>0\,\forall\eta\in(0,\tfrac12]\,\forall T\ge1\,\exists\varepsilon\in(0,\tfrac12):\ "
    r"\|\theta_T-\theta'_T\|/\|\theta_0-\theta'_0\| > (1+\eta\beta)^T",
    instance="l(w1,w2) = 1/2 (relu(w1)+relu(w2)-1)^2; theta_0 = (eps, eps), theta'_0 = (-eps, -eps); "
    "eta = 1/10 and every eta in (0, 1/2]",
    reconstruction="Our reconstruction: the paper's full text was unavailable; the Skolem choices "
    "eps(beta) = 1/(2(beta+2)) and eps(P) = eta/(2(P+1)) and the every-T argument are ours.",
    not_machine_checked=(
        ("chaining over T", "w_T >= w_1 for T >= 1 combines the proved one-step monotonicity with C3's invariant "
         "by induction over t, and P = (1+eta beta)^T >= 1 is a free variable: the exponentiation is not "
         "encoded (SMT arithmetic has no symbolic powers)"),
    ),
)

SUBJECT = "paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD from (eps,eps) and (-eps,-eps)"
HALF = z3.Q(1, 2)


def _relu(v: z3.ArithRef) -> z3.ArithRef:
    return z3.If(v > 0, v, z3.RealVal(0))


def _gradient(w1: z3.ArithRef, w2: z3.ArithRef) -> tuple[z3.ArithRef, z3.ArithRef]:
    residual = _relu(w1) + _relu(w2) - 1
    return residual * z3.If(w1 > 0, z3.RealVal(1), z3.RealVal(0)), residual * z3.If(w2 > 0, z3.RealVal(1), z3.RealVal(0))


def every_t_obligations() -> list[Obligation]:
    """The dead run stays, the live run is monotone, the distance ratio, and the Skolem ε(P)."""
    w1, w2, eta, eps, big_p, amp, w = z3.Reals("w1 w2 eta epsilon P amp w")
    step_size = [eta > 0, eta <= HALF]
    g1, g2 = _gradient(w1, w2)
    live = z3.And(w1 == w2, w1 > 0, w1 <= HALF)
    e1, _ = _gradient(eps, eps)
    first = eps - eta * e1  # w_1 from (eps, eps)

    def build(name: str, facts: list[z3.BoolRef], region: str) -> Obligation:
        return Obligation.build(name, facts, check="c4_every_horizon", subject=SUBJECT, region=region)

    return [
        build("dead-run-stays", [w1 < 0, w2 < 0, z3.Or(g1 != 0, g2 != 0)],
              "{w1 < 0, w2 < 0}: the gradient is 0, so theta'_t = theta'_0 for all t"),
        build("monotone-step", step_size + [live, w1 - eta * g1 < w1],
              "C3 invariant: one GD step never decreases w, so w_T >= w_1 for T >= 1"),
        build("distance-ratio",
              [eps > 0, w > 0, amp >= 0, 2 * eps * amp == w + eps,
               2 * (w + eps) * (w + eps) != amp * amp * (8 * eps * eps)],
              "theta_T = (w, w), theta'_T = (-eps, -eps): ratio of norms = (w + eps)/(2 eps)"),
        build("skolem-any-T",
              step_size + [big_p >= 1, 2 * eps * (big_p + 1) == eta,
                           z3.Not(z3.And(eps > 0, eps < HALF, first + eps > 2 * eps * big_p))],
              "P = (1 + eta beta)^T >= 1 free; eps(P) = eta/(2(P+1)) gives (w_1 + eps)/(2 eps) > P"),
    ]


_RUNS = ((Fraction(1, 100), Fraction(1, 10), 1), (Fraction(1, 100), Fraction(1, 10), 5),
         (Fraction(1, 660), Fraction(1, 10), 5), (Fraction(1, 1000), Fraction(1, 2), 3),
         (Fraction(1, 24), Fraction(1, 10), 1))


def _exact_runs() -> ComputedItem:
    problem = paper_instance()
    rows, holds = [], True
    for eps, eta, steps in _RUNS:
        live = gradient_descent(problem, (eps, eps), eta, steps)
        dead = gradient_descent(problem, (-eps, -eps), eta, steps)
        amp_sq = amplification(live, dead)
        expected_sq = ((c3_closed_form(eps, eta, steps) + eps) / (2 * eps)) ** 2
        one_step = c4_one_step_amplification_sq(eps, eta)
        ok = (amp_sq == expected_sq and all(s.theta == (-eps, -eps) for s in dead.steps)
              and not live.touched_kink and not dead.touched_kink and amp_sq >= one_step)
        holds = holds and ok
        rows.append({"epsilon": eps, "eta": eta, "T": steps, "amplification_sq": amp_sq,
                     "one_step_amplification_sq": one_step, "dead_run_moved": any(s.theta != (-eps, -eps) for s in dead.steps),
                     "matches_closed_form": ok})
    beta, eta, steps = Fraction(10), Fraction(1, 10), 5
    target = (1 + eta * beta) ** steps
    eps = eta / (2 * (target + 1))
    live = gradient_descent(problem, (eps, eps), eta, steps)
    dead = gradient_descent(problem, (-eps, -eps), eta, steps)
    beats = amplification(live, dead) > target * target
    holds = holds and beats
    example = {"beta": beta, "eta": eta, "T": steps, "bound_(1+eta*beta)^T": target, "epsilon_of_P": eps,
               "amplification_sq": amplification(live, dead), "exceeds_bound": beats}
    return ComputedItem.decide(
        "exact-runs", "exact GD pairs: the dead run never moves, the amplification matches the closed form and "
        "beats (1+eta*beta)^T with eps(P)", "exact rationals; symrelu.params.gradient_descent and amplification",
        holds, {"runs": rows, "hrs_example": example},
    )


def items(runner: Runner) -> list[Item]:
    every_t = solve("c4_every_horizon", every_t_obligations(), runner,
                    details={"skolem": "eps(P) = eta/(2(P+1)), P = (1+eta*beta)^T",
                             "assumes": "C3's invariant for the live run (T >= 1)"})
    return [
        SolverItem("family-eta", "every beta > 0 and every eta in (0,1/2]: eps(beta) = 1/(2(beta+2)) beats 1 + eta*beta",
                   "symrelu.verify.gd_amplification_unbounded(eta=None)", gd_amplification_unbounded(None, runner=runner)),
        SolverItem("eta-1-10", "the paper's eta = 1/10: amplification (1-eta) + eta/(2 eps) beats 1 + eta*beta",
                   "symrelu.verify.gd_amplification_unbounded(eta=1/10)",
                   gd_amplification_unbounded(Fraction(1, 10), runner=runner)),
        SolverItem("every-T", "every horizon T >= 1: eps(P) = eta/(2(P+1)) beats P = (1+eta*beta)^T",
                   "symrelu.verify.Obligation.build (QF_NRA)", every_t),
        _exact_runs(),
    ]
