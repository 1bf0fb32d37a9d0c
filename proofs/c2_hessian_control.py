r"""C2 — Hessian control fails too: a bounded a.e. Hessian does not make the gradient Lipschitz.

Statement (reconstruction, see ``shared/paper-claims.md``): on every open
region of ℓ(w1, w2) = ½(relu(w1) + relu(w2) − 1)² the Hessian exists and is
constant: [[1,1],[1,1]] on {w1>0, w2>0} (spectral norm 2), [[1,0],[0,0]] and
[[0,0],[0,1]] on the mixed regions (norm 1), 0 on {w1<0, w2<0}; so
sup ‖∇²ℓ‖ = 2 over all differentiable points, and yet C1 holds: the mean value
theorem fails across kinks.

.. math::

   \sup_{\theta\notin K}\|\nabla^2\ell(\theta)\|_2 = 2
   \quad\text{and}\quad
   \exists\,\theta,\theta'\notin K:\ \|\nabla\ell(\theta)-\nabla\ell(\theta')\| > 2\,\|\theta-\theta'\|

Items:

* ``region-hessians`` (exact): each region's Hessian from
  ``symrelu.params.enumerate_regions`` and its exact spectral norm (SymPy
  eigenvalues of a rational symmetric matrix);
* ``mvt-fails`` (solver, expected unsat → PROVED): for every t in (0, 1/5) the pair
  θ = (t, −1), θ' = (−t, −1) beats the a.e. Hessian bound 2;
* ``hessian-bound`` through ``symrelu.verify.hessian_bound(problem)`` once that
  check exists (pending until then).

Reconstruction note: the paper's text was not available; the statement is our
reconstruction (the "a.e. bound does not imply Lipschitz" reading is ours).
"""

from __future__ import annotations

import sympy
import z3

from symrelu.params import enumerate_parameter_regions, paper_instance
from symrelu.proofs_support import (
    ClaimInfo,
    ComputedItem,
    Item,
    SolverItem,
    check_or_pending,
    solve,
)
from symrelu.verify import Obligation, Runner

CLAIM = ClaimInfo(
    ident="C2",
    title="Hessian control fails too",
    statement="On every open region the Hessian of the instance is constant with spectral norm 2 ({w1>0,w2>0}), "
    "1 (mixed regions) or 0 ({w1<0,w2<0}), so sup ||Hess l|| = 2 over differentiable points; yet the gradient "
    "is not 2-Lipschitz (nor L-Lipschitz for any L, C1): the mean value theorem fails across kinks.",
    latex=r"\sup_{\theta\notin K}\|\nabla^2\ell(\theta)\|_2=2\ \wedge\ \exists\theta,\theta'\notin K:\ "
    r"\|\nabla\ell(\theta)-\nabla\ell(\theta')\|>2\|\theta-\theta'\|",
    instance="l(w1,w2) = 1/2 (relu(w1)+relu(w2)-1)^2 on R^2 (regions from symrelu.params, domain box ignored for the "
    "Hessians: they are constant)",
    reconstruction="Our reconstruction: the paper's full text was unavailable; the region Hessians are computed "
    "exactly, the reading 'a.e. Hessian bound does not give gradient-Lipschitzness' is ours.",
    not_machine_checked=(
        ("sup over all differentiable points",
         "the regions are enumerated on the problem's domain box [-1,1]^2; the Hessians are constant polynomials, "
         "so the same values hold on the unbounded regions of R^2 (read off, not re-proved)"),
    ),
)

EXPECTED = {"00": 0, "01": 1, "10": 1, "11": 2}


def _spectral_norm(matrix: sympy.Matrix) -> sympy.Expr:
    """Exact: the largest |eigenvalue| of a rational symmetric matrix (SymPy algebraic numbers, no floats)."""
    return sympy.Max(*(sympy.Abs(v) for v in matrix.eigenvals()))


def _region_hessians() -> ComputedItem:
    land = enumerate_parameter_regions(paper_instance())
    rows, holds = [], True
    for region in land.regions:
        hessian = region.sympy_hessian
        constant = all(sympy.sympify(e).is_Rational for e in hessian)
        norm = _spectral_norm(hessian)
        ok = constant and sympy.simplify(norm - EXPECTED[region.pattern]) == 0
        holds = holds and ok
        rows.append({"pattern": region.pattern, "hessian": [[str(e) for e in row] for row in hessian.tolist()],
                     "spectral_norm": str(norm), "constant": constant})
    sup = max(EXPECTED[r["pattern"]] for r in rows)
    return ComputedItem.decide(
        "region-hessians", "each region's Hessian is constant with spectral norm 0, 1, 1, 2; the sup is 2",
        "exact: symrelu.params.enumerate_regions + SymPy eigenvalues", holds and sup == 2 and len(rows) == 4,
        {"regions": rows, "sup_spectral_norm": sup},
    )


def mvt_obligation() -> Obligation:
    t = z3.Real("t")

    def grad(a: z3.ArithRef, b: z3.ArithRef) -> list[z3.ArithRef]:
        relu = [z3.If(v > 0, v, z3.RealVal(0)) for v in (a, b)]
        residual = relu[0] + relu[1] - 1
        return [residual * z3.If(v > 0, z3.RealVal(1), z3.RealVal(0)) for v in (a, b)]

    minus_one = z3.RealVal(-1)
    g, gp = grad(t, minus_one), grad(-t, minus_one)
    change = (g[0] - gp[0]) * (g[0] - gp[0]) + (g[1] - gp[1]) * (g[1] - gp[1])
    distance = (2 * t) * (2 * t)
    return Obligation.build(
        "pair-beats-hessian-bound", [t > 0, t < z3.Q(1, 5), change <= 4 * distance],
        check="c2_mean_value_fails", subject="paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2",
        region="theta=(t,-1) in {w1>0,w2<0}, theta'=(-t,-1) in {w1<0,w2<0}, 0 < t < 1/5; bound 2 = sup Hessian norm",
    )


def items(runner: Runner) -> list[Item]:
    mvt = solve("c2_mean_value_fails", [mvt_obligation()], runner,
                details={"bound": "sup of the a.e. Hessian norm = 2", "pair": "theta=(t,-1), theta'=(-t,-1), 0<t<1/5"})
    found: list[Item] = [
        _region_hessians(),
        SolverItem("mvt-fails", "for every t in (0,1/5): ||grad l(t,-1) - grad l(-t,-1)|| > 2 ||(2t, 0)||",
                   "symrelu.verify.Obligation.build (QF_NRA)", mvt),
    ]
    found.append(check_or_pending(
        "hessian-bound", "exact largest Hessian spectral norm over the regions of the paper instance is 2, proved per region",
        "hessian_bound", runner, paper_instance()))
    return found
