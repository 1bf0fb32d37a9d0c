r"""C7 — exact Clarke sets at kinks, and whether backpropagation's value lies in them.

Statement (reconstruction, see ``shared/paper-claims.md``): for
ℓ(w1, w2) = ½(relu(w1) + relu(w2) − 1)²,
∂_C ℓ(0, 0) = [−1, 0]² (hull of (−1,−1), (−1,0), (0,−1), (0,0)) and
∂_C ℓ(0, w2) = [−1, 0] × {0} for every w2 < 0. Backpropagation with
relu'(0) = 0 returns (0, 0), with relu'(0) = 1 returns (−1, −1): both inside.
In general backpropagation's value can lie outside the Clarke set (Kakade &
Lee 2018; Bolte & Pauwels 2020): for f(w) = relu(w) − relu(−w) with y = 1
(``symrelu/examples/problem_tied_relu.json``), ∂_C ℓ(0) = {−1} while backprop
returns 0 (relu'(0) = 0) or −2 (relu'(0) = 1).

.. math::

   \partial_C\ell(0,0)=[-1,0]^2,\qquad \partial_C\ell(0,w_2)=[-1,0]\times\{0\}\ (w_2<0),\qquad
   \mathrm{bp}_{s}(0)\notin\partial_C\ell_{\mathrm{tied}}(0)=\{-1\}\ (s\in\{0,1\})

Items:

* computations (exact rationals, ``symrelu.params.clarke_subdifferential`` /
  ``backprop_audit``, cross-checked against the region gradients of
  ``enumerate_regions``): ``clarke-origin``, ``clarke-w2-negative``,
  ``backprop-paper``, ``backprop-tied``;
* ``w2-negative`` (solver, every w2 < 0 at once): the closures of regions 01
  and 11 miss (0, w2), those of 00 and 10 contain it, and region 10's gradient
  there is (−1, 0) — all expected unsat, PROVED;
* ``membership`` (solver): "g ∈ conv(V)" for each backprop value g — expected
  sat (PROVED with exactly replayed convex weights) when inside, unsat when
  outside.

Reconstruction note: the paper's text was not available; the sets and the
tied example are our reconstruction, computed exactly here.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import z3

from symrelu.params import (
    clarke_subdifferential,
    enumerate_parameter_regions,
    paper_instance,
    parameter_backprop_audit,
    tied_relu_instance,
)
from symrelu.proofs_support import ClaimInfo, ComputedItem, Item, SolverItem, solve
from symrelu.verify import Obligation, Runner

CLAIM = ClaimInfo(
    ident="C7",
    title="Clarke sets at kinks, and what backpropagation returns",
    statement="d_C l(0,0) = [-1,0]^2 and d_C l(0,w2) = [-1,0] x {0} for w2 < 0; backprop with relu'(0) in {0,1} "
    "returns (0,0) or (-1,-1), both inside; for the tied network relu(w) - relu(-w) backprop returns 0 or -2 "
    "while the Clarke set is {-1}.",
    latex=r"\partial_C\ell(0,0)=[-1,0]^2,\ \partial_C\ell(0,w_2)=[-1,0]\times\{0\}\ (w_2<0),\ "
    r"\mathrm{bp}_s(0)\notin\partial_C\ell_{\mathrm{tied}}(0)=\{-1\}\ (s\in\{0,1\})",
    instance="paper instance l(w1,w2) = 1/2 (relu(w1)+relu(w2)-1)^2; tied example f(w) = relu(w) - relu(-w), "
    "(x, y) = ((1,-1), 1) (symrelu/examples/problem_tied_relu.json)",
    reconstruction="Our reconstruction: the paper's full text was unavailable; the Clarke sets are computed "
    "exactly here and the tied example is the standard one from the literature, not the paper's.",
    not_machine_checked=(
        ("Clarke set = hull of active region gradients",
         "the formula for piecewise-polynomial (selection) functions is taken from the literature "
         "(Clarke 1990; Rockafellar-Wets 1998); the computation of the hull itself is exact"),
    ),
)

F = Fraction
SQUARE = {(F(-1), F(-1)), (F(-1), F(0)), (F(0), F(-1)), (F(0), F(0))}
SEGMENT = {(F(-1), F(0)), (F(0), F(0))}


def _region_cross_check(point: tuple[Fraction, ...]) -> set[tuple[Fraction, ...]]:
    """Gradients of the regions whose closure holds the point (affine switches: closure = non-strict)."""
    found = set()
    for region in enumerate_parameter_regions(paper_instance()).regions:
        if all(sign * g(point) >= 0 for _, g, sign in region.constraints):
            found.add(tuple(d(point) for d in region.gradient))
    return found


def _clarke_items() -> list[ComputedItem]:
    problem = paper_instance()
    origin = clarke_subdifferential(problem, (F(0), F(0)))
    cross = _region_cross_check((F(0), F(0)))
    rows, holds = [], True
    for w2 in (F(-1), F(-7, 3), F(-1, 100)):
        clarke = clarke_subdifferential(problem, (F(0), w2))
        ok = set(clarke.vertices) == SEGMENT and _region_cross_check((F(0), w2)) == SEGMENT
        holds = holds and ok
        rows.append({"point": (F(0), w2), "active_patterns": clarke.active_patterns, "vertices": clarke.vertices,
                     "is_[-1,0]x{0}": ok})
    return [
        ComputedItem.decide(
            "clarke-origin", "d_C l(0,0) = [-1,0]^2: active regions 00, 01, 10, 11 and their gradients' hull",
            "exact rationals; symrelu.params.clarke_subdifferential, cross-checked with enumerate_regions",
            set(origin.vertices) == SQUARE and cross == SQUARE,
            {"active_patterns": origin.active_patterns, "vertices": origin.vertices,
             "region_gradients_cross_check": sorted(cross)},
        ),
        ComputedItem.decide(
            "clarke-w2-negative", "d_C l(0,w2) = [-1,0] x {0} at sample w2 < 0 (all w2 < 0: item w2-negative)",
            "exact rationals; symrelu.params.clarke_subdifferential, cross-checked with enumerate_regions",
            holds, {"points": rows},
        ),
    ]


def _audits(problem: Any, point: tuple[Fraction, ...], values: tuple[Fraction, ...]) -> list[Any]:
    return [parameter_backprop_audit(problem, point, s) for s in values]


def _backprop_items() -> tuple[list[ComputedItem], list[tuple[str, Any]]]:
    paper = _audits(paper_instance(), (F(0), F(0)), (F(0), F(1))) + _audits(paper_instance(), (F(0), F(-1)), (F(0), F(1)))
    tied = _audits(tied_relu_instance(), (F(0),), (F(0), F(1), F(1, 2)))

    def row(a: Any) -> dict[str, Any]:
        return {"point": a.point, "relu_prime_at_zero": a.relu_grad_at_zero, "backprop": a.backprop,
                "clarke_vertices": a.clarke.vertices, "in_clarke": a.in_clarke, "convex_weights": a.weights}

    expected_paper = [(F(0), F(0)), (F(-1), F(-1)), (F(0), F(0)), (F(-1), F(0))]
    paper_ok = all(a.in_clarke for a in paper) and [a.backprop for a in paper] == expected_paper
    tied_ok = ([a.backprop for a in tied] == [(F(0),), (F(-2),), (F(-1),)] and set(tied[0].clarke.vertices) == {(F(-1),)}
               and [a.in_clarke for a in tied] == [False, False, True])
    items = [
        ComputedItem.decide("backprop-paper", "paper instance: backprop with relu'(0) in {0,1} lies in the Clarke set "
                            "at (0,0) and (0,-1)", "exact rationals; symrelu.params.backprop_audit",
                            paper_ok, {"audits": [row(a) for a in paper]}),
        ComputedItem.decide("backprop-tied", "tied example: backprop returns 0 (s=0) and -2 (s=1), outside d_C l(0) = {-1}; "
                            "s = 1/2 happens to land inside", "exact rationals; symrelu.params.backprop_audit",
                            tied_ok, {"audits": [row(a) for a in tied]}),
    ]
    named = [(f"paper-{'origin' if a.point[1] == 0 else 'w2-neg1'}-s{a.relu_grad_at_zero}", a) for a in paper]
    named += [(f"tied-s{str(a.relu_grad_at_zero).replace('/', 'over')}", a) for a in tied]
    return items, named


def _membership(name: str, audit: Any) -> Obligation:
    """g ∈ conv(V) as an existential over convex weights: sat inside, unsat outside."""
    vertices = audit.clarke.vertices
    lam = [z3.Real(f"lambda_{i}") for i in range(len(vertices))]
    facts = [v >= 0 for v in lam] + [z3.Sum(lam) == 1 if len(lam) > 1 else lam[0] == 1]
    for k, g in enumerate(audit.backprop):
        terms = [z3.Q(v[k].numerator, v[k].denominator) * x for v, x in zip(vertices, lam)]
        facts.append((z3.Sum(terms) if len(terms) > 1 else terms[0]) == z3.Q(g.numerator, g.denominator))
    return Obligation.build(
        name, facts, check="c7_backprop_in_clarke", subject=f"backprop {tuple(map(str, audit.backprop))} with relu'(0)="
        f"{audit.relu_grad_at_zero} at {tuple(map(str, audit.point))}", region=f"conv{[tuple(map(str, v)) for v in vertices]}",
        expected="sat" if audit.in_clarke else "unsat",
    )


def w2_negative_obligations() -> list[Obligation]:
    """For every w2 < 0: which region closures hold (0, w2), and region 10's gradient there."""
    land = enumerate_parameter_regions(paper_instance())
    w1, w2 = z3.Reals("w1 w2")
    point = [z3.RealVal(0), w2]
    obligations = []
    for region in land.regions:
        closure = z3.And(*[g.to_z3(point) >= 0 if sign > 0 else g.to_z3(point) <= 0 for _, g, sign in region.constraints])
        active = region.pattern in ("00", "10")
        obligations.append(Obligation.build(
            f"closure-{region.pattern}-{'holds' if active else 'misses'}-point",
            [w2 < 0, z3.Not(closure) if active else closure],
            check="c7_clarke_w2_negative", subject="paper instance at (0, w2), every w2 < 0",
            region=f"closure of region {region.pattern}",
        ))
    grad = [d.to_z3([w1, w2]) for d in land.region("10").gradient]
    obligations.append(Obligation.build(
        "gradient-10-at-point", [w2 < 0, w1 == 0, z3.Or(grad[0] != -1, grad[1] != 0)],
        check="c7_clarke_w2_negative", subject="paper instance at (0, w2), every w2 < 0",
        region="region 10's polynomial gradient at (0, w2); region 00's is identically 0",
    ))
    return obligations


def items(runner: Runner) -> list[Item]:
    backprop, named = _backprop_items()
    members = solve("c7_backprop_in_clarke", [_membership(n, a) for n, a in named], runner)
    family = solve("c7_clarke_w2_negative", w2_negative_obligations(), runner,
                   details={"claim": "for every w2 < 0 the active regions at (0,w2) are 00 and 10, with gradients "
                            "(0,0) and (-1,0): d_C l(0,w2) = [-1,0] x {0}"})
    return [
        *_clarke_items(),
        SolverItem("w2-negative", "every w2 < 0: regions 00 and 10 (gradients (0,0), (-1,0)) are the active ones",
                   "symrelu.verify.Obligation.build from enumerate_regions' region constraints (QF_LRA)", family),
        *backprop,
        SolverItem("membership", "backprop's value is (sat, convex weights replayed) or is not (unsat) in the Clarke set",
                   "symrelu.verify.Obligation.build (QF_LRA)", members),
    ]
