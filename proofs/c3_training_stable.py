r"""C3 — training looks stable: gradient descent never touches a kink and converges.

Statement (reconstruction, see ``shared/paper-claims.md``): gradient descent
θ_{t+1} = θ_t − η∇ℓ(θ_t) on ℓ(w1, w2) = ½(relu(w1) + relu(w2) − 1)² with
0 < η ≤ ½ from θ_0 = (ε, ε), 0 < ε < ½, keeps w1 = w2 = w_t with
w_t − ½ = (1 − 2η)^t (ε − ½), so 0 < w_t ≤ ½ (never on the kink set); the loss
obeys ℓ_{t+1} = (1 − 2η)² ℓ_t and θ_t → (½, ½).

.. math::

   I(\theta) :\equiv w_1 = w_2 \wedge 0 < w_1 \le \tfrac12, \qquad
   \forall \eta\in(0,\tfrac12]:\ I(\theta) \Rightarrow I(\theta - \eta\nabla\ell(\theta)),
   \quad w_{t+1}-\tfrac12 = (1-2\eta)(w_t-\tfrac12)

Family: every step size η in (0, ½] at once (η is a variable of the
obligations): a parametric inductive step in QF_NRA, built here with
:meth:`symrelu.verify.Obligation.build` (no symrelu check exists for it).
The gradient is encoded directly (ReLU and its slope as if-then-else), which
is the true gradient because the invariant keeps θ off the kink set.

Obligations (all expected unsat, verdict PROVED):

* ``invariant--initiation``: 0 < ε < ½ ⇒ I(ε, ε);
* ``invariant--off-kinks``: I(θ) ⇒ w1 ≠ 0 ∧ w2 ≠ 0 (so ∇ℓ exists along the run);
* ``invariant--consecution``: I(θ) ∧ 0 < η ≤ ½ ⇒ I(θ − η∇ℓ(θ));
* ``invariant--contraction``: under I, w' − ½ = (1 − 2η)(w − ½) and 0 ≤ 1 − 2η < 1;
* ``invariant--loss-ratio``: under I, ℓ(θ') = (1 − 2η)² ℓ(θ) ≤ ℓ(θ).

Exact computation: symrelu.params.gradient_descent runs in rationals for
several (ε, η, T) match ``c3_closed_form`` step by step and never touch a kink.

Reconstruction note: the paper's text was not available; statement and
closed form are our reconstruction, checked by hand before being machine-checked.
"""

from __future__ import annotations

from fractions import Fraction

import z3

from symrelu.params import gradient_descent, paper_instance
from symrelu.params.trajectory import c3_closed_form
from symrelu.proofs_support import ClaimInfo, ComputedItem, Item, SolverItem, solve
from symrelu.verify import Obligation, Runner

CLAIM = ClaimInfo(
    ident="C3",
    title="Training looks stable",
    statement="GD with 0 < eta <= 1/2 from (eps, eps), 0 < eps < 1/2, keeps w1 = w2 in (0, 1/2] (never on a kink), "
    "w_t - 1/2 = (1-2eta)^t (eps - 1/2), l_{t+1} = (1-2eta)^2 l_t, and theta_t -> (1/2, 1/2).",
    latex=r"I(\theta):\ w_1=w_2\wedge 0<w_1\le\tfrac12;\quad \forall\eta\in(0,\tfrac12]:\ "
    r"I(\theta)\Rightarrow I(\theta-\eta\nabla\ell(\theta));\quad w_t-\tfrac12=(1-2\eta)^t(\varepsilon-\tfrac12)",
    instance="l(w1,w2) = 1/2 (relu(w1)+relu(w2)-1)^2, theta_0 = (eps, eps); every eta in (0, 1/2] at once",
    reconstruction="Our reconstruction: the paper's full text was unavailable; the invariant and the closed form "
    "are ours (derived by hand from the stated instance).",
    not_machine_checked=(
        ("induction over t", "the solvers prove initiation and one step (consecution); chaining them over all t "
         "is the standard induction principle, not re-proved by a machine"),
        ("theta_t -> (1/2, 1/2)", "follows from the proved contraction factor 0 <= 1-2eta < 1 and "
         "(1-2eta)^t -> 0 (a limit of a geometric sequence), argued by hand"),
    ),
)

NAME = "invariant"
SUBJECT = "paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2, GD"
HALF = z3.Q(1, 2)


def _relu(v: z3.ArithRef) -> z3.ArithRef:
    return z3.If(v > 0, v, z3.RealVal(0))


def _slope(v: z3.ArithRef) -> z3.ArithRef:
    return z3.If(v > 0, z3.RealVal(1), z3.RealVal(0))


def gradient(w1: z3.ArithRef, w2: z3.ArithRef) -> tuple[z3.ArithRef, z3.ArithRef]:
    """∇ℓ off the kink set, ReLU encoded directly (independent of the region machinery)."""
    residual = _relu(w1) + _relu(w2) - 1
    return residual * _slope(w1), residual * _slope(w2)


def loss(w1: z3.ArithRef, w2: z3.ArithRef) -> z3.ArithRef:
    residual = _relu(w1) + _relu(w2) - 1
    return HALF * residual * residual


def invariant(w1: z3.ArithRef, w2: z3.ArithRef) -> z3.BoolRef:
    return z3.And(w1 == w2, w1 > 0, w1 <= HALF)


def obligations() -> list[Obligation]:
    """The parametric inductive step and its companions (η a variable in (0, ½])."""
    w1, w2, eta, eps = z3.Reals("w1 w2 eta epsilon")
    step_size = [eta > 0, eta <= HALF]
    g1, g2 = gradient(w1, w2)
    n1, n2 = w1 - eta * g1, w2 - eta * g2

    def build(name: str, facts: list[z3.BoolRef], region: str) -> Obligation:
        return Obligation.build(name, facts, check="c3_gd_invariant", subject=SUBJECT, region=region)

    return [
        build("initiation", [eps > 0, eps < HALF, z3.Not(invariant(eps, eps))], "theta_0 = (eps, eps), 0 < eps < 1/2"),
        build("off-kinks", [invariant(w1, w2), z3.Or(w1 == 0, w2 == 0)], "I(theta) against the kink set"),
        build("consecution", step_size + [invariant(w1, w2), z3.Not(invariant(n1, n2))],
              "one GD step, every eta in (0,1/2]"),
        build("contraction", step_size + [invariant(w1, w2),
                                          z3.Not(z3.And(n1 - HALF == (1 - 2 * eta) * (w1 - HALF),
                                                        1 - 2 * eta >= 0, 1 - 2 * eta < 1))],
              "one GD step, every eta in (0,1/2]"),
        build("loss-ratio", step_size + [invariant(w1, w2),
                                         z3.Not(z3.And(loss(n1, n2) == (1 - 2 * eta) * (1 - 2 * eta) * loss(w1, w2),
                                                       loss(n1, n2) <= loss(w1, w2)))],
              "one GD step, every eta in (0,1/2]"),
    ]


_RUNS = ((Fraction(1, 100), Fraction(1, 10), 12), (Fraction(49, 100), Fraction(1, 2), 3),
         (Fraction(1, 3), Fraction(1, 4), 8), (Fraction(1, 1000), Fraction(3, 7), 10))


def _trajectories() -> ComputedItem:
    problem = paper_instance()
    rows, holds = [], True
    for eps, eta, steps in _RUNS:
        run = gradient_descent(problem, (eps, eps), eta, steps)
        ok = not run.touched_kink and all(
            s.theta == (c3_closed_form(eps, eta, s.t), c3_closed_form(eps, eta, s.t)) and 0 < s.theta[0] <= Fraction(1, 2)
            for s in run.steps
        ) and all(b.loss == (1 - 2 * eta) ** 2 * a.loss for a, b in zip(run.steps, run.steps[1:]))
        holds = holds and ok
        rows.append({"epsilon": eps, "eta": eta, "T": steps, "theta_T": run.final, "loss_T": run.steps[-1].loss,
                     "touched_kink": run.touched_kink, "matches_closed_form": ok})
    return ComputedItem.decide(
        "exact-runs", "exact GD runs follow w_t = 1/2 + (1-2eta)^t (eps-1/2), stay in (0,1/2], loss ratio (1-2eta)^2",
        "exact rationals; symrelu.params.gradient_descent and c3_closed_form", holds, {"runs": rows},
    )


def items(runner: Runner) -> list[Item]:
    result = solve("c3_gd_invariant", obligations(), runner,
                   details={"invariant": "w1 = w2 and 0 < w1 <= 1/2", "eta": "every eta in (0, 1/2]"})
    return [
        SolverItem(NAME, "w1 = w2 and 0 < w1 <= 1/2 is an inductive invariant of GD for every eta in (0,1/2]",
                   "symrelu.verify.Obligation.build (parametric inductive step, QF_NRA)", result),
        _trajectories(),
    ]
