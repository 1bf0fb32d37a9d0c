"""The loss gradient on one parameter copy (forward mode), for ``lipschitz_on_domain``'s gradient route.

The obligation is "θ ∈ D and ‖∇ℓ(θ)‖² > G²", with ∇ℓ built from
:func:`.slope_encoding.encode_output_slopes` (lower-piece slope at every
breakpoint): for the squared loss ∇ℓ = (1/n) Σ_ik r_ik ∇f_ik, for the
absolute loss ∇ℓ = (1/n) Σ_ik s_ik ∇f_ik with s = sign(r) and s = 0 at r = 0.
Its unsat gives |ℓ(θ) − ℓ(θ')| ≤ G‖θ − θ'‖ on the convex box D by
:data:`GRADIENT_ARGUMENT`.

>>> from fractions import Fraction as F
>>> from symrelu.params import paper_instance
>>> import z3
>>> from symrelu.params.z3tools import param_vars
>>> prob = paper_instance()
>>> theta = param_vars(prob.parameter_names, "t")
>>> defs, grad = encode_loss_gradient(prob, theta, "g")
>>> s = z3.Solver(); s.add(defs); s.add(theta["w1"] == 1, theta["w2"] == F(1, 2))
>>> s.check(), [s.model().eval(g) for g in grad]
(sat, [1/2, 1/2])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import z3

from ...exact import z3_rational
from ...params.problem import Problem
from ...params.z3tools import param_vars
from ..engine.obligation import Obligation
from .closure import box_constraints
from .encode import add_all
from .slope_encoding import encode_output_slopes

GRADIENT_ARGUMENT = (
    "for theta, theta' in the convex box D let g(t) = l(theta + t (theta' - theta)), t in [0, 1]. Every "
    "pre-activation and residual is a continuous piecewise polynomial in t, so off finitely many t each neuron "
    "is off its breakpoints near t or sits on one identically near t (then its pre-activation's t-derivative is "
    "0 and any slope gives the true value 0), and likewise each residual is nonzero near t or identically 0 "
    "(absolute loss: sign 0 is then exact). Off those points g is differentiable and g'(t) = <G_enc, theta' - "
    "theta>, G_enc the encoded forward-mode gradient (lower-piece slopes at breakpoints, sign(0) = 0), since "
    "every encoded step is linear in the derivative vector. g is continuous and piecewise polynomial, so "
    "|g(1) - g(0)| <= integral |g'| <= sup ||G_enc|| ||theta' - theta||; unsat of ||G_enc||^2 > G^2 on D "
    "therefore gives |l(theta) - l(theta')| <= G ||theta - theta'|| on D"
)


def encode_loss_gradient(problem: Problem, theta: Mapping[str, z3.ArithRef], tag: str) -> tuple[list[z3.BoolRef], tuple[z3.ArithRef, ...]]:
    """Definitions and the encoded ∇ℓ (``parameter_names`` order) on one parameter copy."""
    names = problem.parameter_names
    n = len(problem.data)
    defs: list[z3.BoolRef] = []
    sums: list[list[z3.ArithRef]] = [[] for _ in names]
    zero, one = z3_rational(0), z3_rational(1)
    for i, (_, y) in enumerate(problem.data):
        out_defs, outs, derivatives = encode_output_slopes(problem, theta, f"{tag}_d{i}", i)
        defs += out_defs
        for o, (out, ds) in enumerate(zip(outs, derivatives, strict=True)):
            r = z3.Real(f"{tag}_d{i}_r{o}")
            defs.append(r == out - z3_rational(y[o]))
            weight: z3.ArithRef = r if problem.loss == "squared" else z3.If(r > 0, one, z3.If(r < 0, -one, zero))
            for j, d in enumerate(ds):
                if not (z3.is_rational_value(d) and d.as_fraction() == 0):
                    sums[j].append(weight * d)
    gradient = []
    for j, name in enumerate(names):
        var = z3.Real(f"{tag}_grad_{name}")
        defs.append(var == z3_rational(Fraction(1, n)) * add_all(sums[j]) if sums[j] else var == zero)
        gradient.append(var)
    return defs, tuple(gradient)


def gradient_obligation(problem: Problem, bound: Fraction, check: str, subject: str, max_nodes: int) -> Obligation:
    """"θ ∈ D and ‖∇ℓ(θ)‖² > G²" on the parameter copy ``t`` (unsat proves the bound; see GRADIENT_ARGUMENT)."""
    theta = param_vars(problem.parameter_names, "t")
    defs, gradient = encode_loss_gradient(problem, theta, "g")
    box = box_constraints([theta[n] for n in problem.parameter_names], problem.domain)
    return Obligation.build(
        "lipschitz-gradient", box + defs + [add_all([g * g for g in gradient]) > z3_rational(bound)],
        check=check, subject=subject, max_nodes=max_nodes,
        region=f"D = {' x '.join(f'[{lo},{hi}]' for lo, hi in problem.domain or ())}; ||grad l||^2 <= {bound} "
               "(one parameter copy, lower-piece slopes at breakpoints)",
    )


def gradient_at(problem: Problem, point: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """The encoded ∇ℓ at a rational point (every definition is then determined, so one exact z3 evaluation).

    >>> from symrelu.params import paper_instance
    >>> from fractions import Fraction as F
    >>> gradient_at(paper_instance(), (F(1), F(-1)))
    (Fraction(0, 1), Fraction(0, 1))
    """
    theta = param_vars(problem.parameter_names, "t")
    defs, gradient = encode_loss_gradient(problem, theta, "g")
    solver = z3.Solver()
    solver.add(defs)
    solver.add([theta[n] == z3_rational(v) for n, v in zip(problem.parameter_names, point, strict=True)])
    if solver.check() != z3.sat:
        raise AssertionError("the gradient definitions are determined by the parameters")  # pragma: no cover
    model = solver.model()
    return tuple(model.eval(g, model_completion=True).as_fraction() for g in gradient)


def pair_near(problem: Problem, point: Sequence[Fraction], gradient: Sequence[Fraction], bound: Fraction,
              halvings: int = 24) -> dict[str, Any] | None:
    """A pair θ, θ ± ε∇ in D with (ℓ(θ) − ℓ(θ'))² > G²‖θ − θ'‖², checked exactly, or None.

    The gradient route's model only proposes; a refutation needs such a pair.

    >>> from symrelu.params import paper_instance
    >>> from fractions import Fraction as F
    >>> found = pair_near(paper_instance(), (F(1), F(1)), (F(1), F(1)), F(19, 10))
    >>> found["theta_prime"], found["ratio_squared"] > F(19, 10)
    ((Fraction(63, 64), Fraction(63, 64)), True)
    """
    domain = problem.domain or ()
    base = problem.loss_at(point)
    for k in range(1, halvings + 1):
        step = Fraction(1, 2 ** k)
        for sign in (-1, 1):
            other = tuple(p + sign * step * g for p, g in zip(point, gradient, strict=True))
            if other == tuple(point) or not all(lo <= v <= hi for v, (lo, hi) in zip(other, domain, strict=True)):
                continue
            value = problem.loss_at(other)
            distance = sum(((p - q) ** 2 for p, q in zip(point, other, strict=True)), Fraction(0))
            ratio = (base - value) ** 2 / distance
            if ratio > bound:
                return {"theta": tuple(point), "theta_prime": other, "loss": base, "loss_prime": value,
                        "ratio_squared": ratio, "recomputed_by": "Problem.loss_at (exact), from a gradient model"}
    return None
