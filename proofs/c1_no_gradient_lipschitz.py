r"""C1 — no finite global gradient-Lipschitz constant.

Statement (reconstruction, see ``shared/paper-claims.md``): for the loss
ℓ(θ) = 1/(2n) Σ_i (f(x_i; θ) − y_i)² of a one-hidden-layer ReLU network, for
every L > 0 there are θ, θ' off the kink set with
‖∇ℓ(θ) − ∇ℓ(θ')‖ > L‖θ − θ'‖.

.. math::

   \forall L>0\;\exists \theta,\theta'\notin K:\;
   \|\nabla\ell(\theta)-\nabla\ell(\theta')\| > L\,\|\theta-\theta'\|

Instance: ℓ(w1, w2) = ½(relu(w1) + relu(w2) − 1)², θ = (t, −1),
θ' = (−t, −1), t = 1/(4(L + 1)) (Skolem function of L).

Family: neuron j with a_j ≠ 0, data point with x ≠ 0, kink θ* of that neuron
where the residual r ≠ 0: the gradient jumps by (1/n)|a_j r| ‖(x, 1)‖
(‖x‖ without a trainable bias), all of a, w, b, x, y, n, r symbols.

Obligations (every one must be PROVED, i.e. unsat for Z3 and cvc5):

* ``instance--skolem-pair-violates``, ``instance--skolem-pair-in-regions``
  (``symrelu.verify.no_global_gradient_lipschitz_instance``);
* ``family-bias--jump-formula``, ``family-bias--skolem-pair-violates``,
  ``family-no-bias--jump-formula``
  (``symrelu.verify.no_global_gradient_lipschitz_family``);
* ``problem--*`` through ``symrelu.verify.no_global_gradient_lipschitz(problem)``
  on the bundled paper instance, once that check exists (pending until then).

Plus one exact computation: the instance pair replayed in rationals for
L = 1, 10, 1000, 10⁶ with the region gradients from ``symrelu.params``.

Reconstruction note: the paper's text was not available; the statement, the
instance and the family form are our reconstruction (abstract, summary,
standard nonsmooth analysis).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from symrelu.params import enumerate_parameter_regions, paper_instance
from symrelu.proofs_support import (
    ClaimInfo,
    ComputedItem,
    Item,
    SolverItem,
    check_or_pending,
)
from symrelu.verify import (
    Runner,
    no_global_gradient_lipschitz_family,
    no_global_gradient_lipschitz_instance,
)

CLAIM = ClaimInfo(
    ident="C1",
    title="No finite global gradient-Lipschitz constant",
    statement="For every L > 0 there are theta, theta' off the kink set with "
    "||grad l(theta) - grad l(theta')|| > L ||theta - theta'||; for the family, the gradient jumps by "
    "(1/n)|a_j r| ||(x,1)|| across neuron j's kink whenever a_j != 0, x != 0, r != 0.",
    latex=r"\forall L>0\;\exists \theta,\theta'\notin K:\ \|\nabla\ell(\theta)-\nabla\ell(\theta')\| > L\|\theta-\theta'\|",
    instance="l(w1,w2) = 1/2 (relu(w1)+relu(w2)-1)^2; theta=(t,-1), theta'=(-t,-1), t = 1/(4(L+1)); "
    "family: one-hidden-layer net with symbolic a_j, w_j, b_j, data (x, y), n points, residual r",
    reconstruction="Our reconstruction: the paper's full text was unavailable; statement, witness pair and the "
    "family's jump formula are derived from the abstract, a summary and standard nonsmooth analysis.",
    not_machine_checked=(
        ("family: 'no finite L' from the jump",
         "the Skolem obligation moves only the bias b_j; the case without a trainable bias rests on the "
         "jump-formula obligation plus the same Skolem argument along w_j, done by hand"),
    ),
)

_LS = (Fraction(1), Fraction(10), Fraction(1000), Fraction(10**6))


def _gradient(regions: Any, point: tuple[Fraction, Fraction]) -> tuple[Fraction, ...]:
    """The gradient at a point off the kink set: the containing region's own polynomial gradient."""
    (region,) = [r for r in regions if r.contains(point)]
    return tuple(g(point) for g in region.gradient)


def _replay_instance() -> ComputedItem:
    regions = enumerate_parameter_regions(paper_instance()).regions
    rows, holds = [], True
    for big_l in _LS:
        t = Fraction(1) / (4 * (big_l + 1))
        theta, theta_p = (t, Fraction(-1)), (-t, Fraction(-1))
        g, gp = _gradient(regions, theta), _gradient(regions, theta_p)
        change = sum(((a - b) ** 2 for a, b in zip(g, gp)), Fraction(0))
        dist = sum(((a - b) ** 2 for a, b in zip(theta, theta_p)), Fraction(0))
        ok = change > big_l * big_l * dist
        holds = holds and ok and g == (t - 1, Fraction(0)) and gp == (Fraction(0), Fraction(0))
        rows.append({"L": big_l, "t": t, "grad_theta": g, "grad_theta_prime": gp,
                     "grad_change_sq": change, "L2_dist_sq": big_l * big_l * dist, "violates": ok})
    return ComputedItem.decide(
        "instance-replay", "the Skolem pair violates L-Lipschitzness, replayed in exact rationals",
        "exact rationals; region gradients from symrelu.params.enumerate_regions", holds, {"pairs": rows},
    )


def items(runner: Runner) -> list[Item]:
    found: list[Item] = [
        SolverItem("instance", "paper instance: the pair (t,-1), (-t,-1), t = 1/(4(L+1)) beats every L > 0",
                   "symrelu.verify.no_global_gradient_lipschitz_instance()",
                   no_global_gradient_lipschitz_instance(runner=runner)),
        SolverItem("family-bias", "symbolic family, trainable bias: jump (1/n)|a r| ||(x,1)|| and Skolem pairs",
                   "symrelu.verify.no_global_gradient_lipschitz_family(bias_trainable=True)",
                   no_global_gradient_lipschitz_family(bias_trainable=True, runner=runner)),
        SolverItem("family-no-bias", "symbolic family, fixed bias: jump (1/n)|a r| |x| (needs x != 0)",
                   "symrelu.verify.no_global_gradient_lipschitz_family(bias_trainable=False)",
                   no_global_gradient_lipschitz_family(bias_trainable=False, runner=runner)),
        _replay_instance(),
    ]
    found.append(check_or_pending(
        "problem", "bundled paper instance as a Problem: a kink with a non-zero jump is found and no L exists",
        "no_global_gradient_lipschitz", runner, paper_instance()))
    return found
