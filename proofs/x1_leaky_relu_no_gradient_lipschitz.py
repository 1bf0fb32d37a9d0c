r"""X1 — C1 for LeakyReLU: no finite global gradient-Lipschitz constant (OUR extension, not the paper's).

The paper speaks of ReLU; this module carries claim C1 over to LeakyReLU(α), 0 ≤ α < 1. Across a
neuron's kink the activation's slope jumps from α to 1 (its Clarke derivative at 0 is [α, 1]), so
the gradient of the loss jumps by the ReLU jump scaled by (1 − α):

.. math::

   \|J\| = (1-\alpha)\,\tfrac1n\,|a_j r|\,\|(x_i, 1)\| > 0
   \quad\Longrightarrow\quad
   \forall L>0\;\exists \theta,\theta'\notin K:\;
   \|\nabla\ell(\theta)-\nabla\ell(\theta')\| > L\,\|\theta-\theta'\|

at a kink of neuron j with a_j ≠ 0, x_i ≠ 0, residual r ≠ 0, with weights, data and α as symbols.

Obligations (every one must be PROVED, i.e. unsat for Z3 and cvc5, with satisfiable hypotheses):

* ``family-bias--jump-formula``, ``family-bias--skolem-pair-violates``, ``family-no-bias--jump-formula``
  (``symrelu.verify.no_global_gradient_lipschitz_leaky_family``);
* ``problem--*``: ``symrelu.verify.no_global_gradient_lipschitz`` on the bundled
  ``leaky_paper_instance`` (ℓ = ½(lrelu(w1) + lrelu(w2) − 1)², α = 1/10) finds a kink, checks the
  jump and proves the Skolem pair for every L.

Plus one exact computation: the instance pair θ = (t, −1), θ' = (−t, −1), t = (1 − α)/(4(L + 1))
replayed in rationals for L = 1, 10, 1000, 10⁶ with the region gradients from ``symrelu.params``
(and backpropagation as a second route), and its jump (1 − α)·r at the kink.

Provenance: this statement is ours. The paper's claim C1 is about ReLU; the LeakyReLU form, its
side conditions and its proof are our extension (issue 11), not the paper's.
"""

from __future__ import annotations

from fractions import Fraction

from symrelu.params import enumerate_regions, load_problem
from symrelu.params.backprop import backprop_gradient
from symrelu.proofs_support import ClaimInfo, ComputedItem, Item, SolverItem, check_or_pending
from symrelu.verify import Runner
from symrelu.verify.checks.leaky_family import no_global_gradient_lipschitz_leaky_family

ALPHA = Fraction(1, 10)
INSTANCE = "leaky_paper_instance"

CLAIM = ClaimInfo(
    ident="X1",
    title="C1 for LeakyReLU (our extension): no finite global gradient-Lipschitz constant",
    statement="For LeakyReLU(alpha) with 0 <= alpha < 1: at a kink of neuron j with a_j != 0, x_i != 0 and residual "
    "r != 0 the gradient jumps by (1 - alpha)(1/n)|a_j r| ||(x_i,1)||, so for every L > 0 there are theta, theta' "
    "off the kink set with ||grad l(theta) - grad l(theta')|| > L ||theta - theta'||.",
    latex=r"\|J\| = (1-\alpha)\tfrac1n|a_j r|\,\|(x_i,1)\| > 0 \Rightarrow \forall L>0\;\exists \theta,\theta'\notin K:"
    r"\ \|\nabla\ell(\theta)-\nabla\ell(\theta')\| > L\|\theta-\theta'\|",
    instance="l(w1,w2) = 1/2 (lrelu(w1)+lrelu(w2)-1)^2 with alpha = 1/10 (bundled leaky_paper_instance); "
    "family: one-hidden-layer LeakyReLU(alpha) net with symbolic a_j, w_j, b_j, data (x, y), n points, residual r, alpha",
    reconstruction="OURS, not the paper's: the paper's C1 is stated for ReLU; this LeakyReLU version (statement, side "
    "conditions 0 <= alpha < 1, the (1 - alpha) factor and the proofs) is our extension of it (issue 11).",
    not_machine_checked=(
        ("family: 'no finite L' without a trainable bias",
         "the Skolem obligation moves only the bias b_j; the case without a trainable bias rests on the "
         "jump-formula obligation plus the same Skolem argument along w_j, done by hand (as for C1)"),
    ),
)

_LS = (Fraction(1), Fraction(10), Fraction(1000), Fraction(10**6))


def _replay_instance() -> ComputedItem:
    problem = load_problem(INSTANCE)
    regions = enumerate_regions(problem).regions
    rows, holds = [], True
    for big_l in _LS:
        t = (1 - ALPHA) / (4 * (big_l + 1))
        theta, theta_p = (t, Fraction(-1)), (-t, Fraction(-1))
        grads = []
        for point in (theta, theta_p):
            (region,) = [r for r in regions if r.contains(point)]
            grads.append(tuple(g(point) for g in region.gradient))
            holds = holds and grads[-1] == backprop_gradient(problem, point)
        change = sum(((a - b) ** 2 for a, b in zip(*grads, strict=True)), Fraction(0))
        dist = sum(((a - b) ** 2 for a, b in zip(theta, theta_p, strict=True)), Fraction(0))
        ok = change > big_l * big_l * dist
        holds = holds and ok
        rows.append({"L": big_l, "t": t, "grad_theta": grads[0], "grad_theta_prime": grads[1],
                     "grad_change_sq": change, "L2_dist_sq": big_l * big_l * dist, "violates": ok})
    star = (Fraction(0), Fraction(-1))
    residual = problem.concrete(star).evaluate((Fraction(1),))[0] - 1
    above = next(r for r in regions if r.contains((Fraction(1, 100), Fraction(-1))))
    below = next(r for r in regions if r.contains((Fraction(-1, 100), Fraction(-1))))
    jump = tuple(a(star) - b(star) for a, b in zip(above.gradient, below.gradient, strict=True))
    holds = holds and jump == ((1 - ALPHA) * residual, Fraction(0))
    return ComputedItem.decide(
        "instance-replay", "the Skolem pair beats L = 1 ... 10^6 and the jump at (0,-1) is (1 - alpha) r, exactly",
        "exact rationals; region gradients from symrelu.params.enumerate_regions, confirmed by exact backprop",
        holds, {"alpha": ALPHA, "pairs": rows, "kink_point": star, "residual": residual, "jump": jump},
    )


def items(runner: Runner) -> list[Item]:
    return [
        SolverItem("family-bias", "symbolic LeakyReLU family, trainable bias: jump (1-alpha)(1/n)|a r| ||(x,1)|| "
                   "and Skolem pairs", "symrelu.verify.no_global_gradient_lipschitz_leaky_family"
                   "(bias_trainable=True)", no_global_gradient_lipschitz_leaky_family(True, runner)),
        SolverItem("family-no-bias", "symbolic LeakyReLU family, fixed bias: jump (1-alpha)(1/n)|a r| |x| (x != 0)",
                   "symrelu.verify.no_global_gradient_lipschitz_leaky_family(bias_trainable=False)",
                   no_global_gradient_lipschitz_leaky_family(False, runner)),
        _replay_instance(),
        check_or_pending(
            "problem", "bundled leaky_paper_instance as a Problem: a kink with a (1-alpha)-scaled jump is found and "
            "no L exists", "no_global_gradient_lipschitz", runner, load_problem(INSTANCE), subject=INSTANCE),
    ]
