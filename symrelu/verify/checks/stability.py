"""Stability checks: GD amplification is unbounded (C4); subgradient steps grow additively (C5 b).

>>> from fractions import Fraction as F
>>> gd_amplification_unbounded(F(1, 10)).verdict
<Verdict.PROVED: 'PROVED'>
>>> subgradient_stability_bound(G=F(1), eta=F(1, 10), T=5).value
Fraction(1, 1)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import z3

from ...errors import DomainError, InputFormatError
from ...exact import to_rational, z3_rational
from ..encodings.bounds import given_square
from ..encodings.encode import dot, squared_norm
from ..encodings.paper_instance import gd_step_exact, gradient_z3
from ..engine.assemble import rational_sqrt, run_check
from ..engine.obligation import Obligation
from ..engine.runner import Runner
from ..engine.verdict import CheckResult

AMPLIFICATION = "gd_amplification_unbounded"
SUBGRADIENT = "subgradient_stability_bound"
PAPER = "paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2"


def skolem_epsilon(beta: Fraction) -> Fraction:
    """The Skolem choice ε(β) = 1/(2(β + 2)); then amp(ε) = 1 + ηβ + η > 1 + ηβ.

    >>> skolem_epsilon(Fraction(10))
    Fraction(1, 24)
    """
    return Fraction(1) / (2 * (beta + 2))


def amplification_exact(epsilon: Fraction, eta: Fraction) -> Fraction:
    """‖θ₁ − θ'₁‖ / ‖θ₀ − θ'₀‖ after one exact GD step from (ε, ε) and (−ε, −ε).

    Both differences are multiples of (1, 1), so the ratio of norms is the ratio
    of first coordinates. ``amplification_exact(F(1, 24), F(1, 10))`` is 21/10.

    >>> amplification_exact(Fraction(1, 24), Fraction(1, 10))
    Fraction(21, 10)
    """
    first = gd_step_exact((epsilon, epsilon), eta)
    second = gd_step_exact((-epsilon, -epsilon), eta)
    if first[0] - second[0] != first[1] - second[1]:
        raise DomainError("the two runs' difference is not along (1, 1)")
    return (first[0] - second[0]) / (2 * epsilon)


def gd_amplification_unbounded(eta: Fraction | int | str | None = Fraction(1, 10), runner: Runner | None = None) -> CheckResult:
    """Prove claim C4: for every β > 0 some ε in (0, ½) amplifies one GD step beyond 1 + ηβ.

    ``eta=None`` proves it for every η in (0, ½] at once (η becomes a variable).
    Two obligations: the amplification formula (one exact GD step from (ε, ε)
    and (−ε, −ε) gives (1 − η) + η/(2ε), compared in squares) and the Skolem
    step with ε(β) = 1/(2(β + 2)).
    """
    eps, amp, beta = z3.Reals("epsilon amp beta")
    if eta is None:
        eta_term: z3.ArithRef = z3.Real("eta")
        eta_facts = [eta_term > 0, eta_term <= z3_rational(Fraction(1, 2))]
        label = "eta in (0,1/2]"
    else:
        eta_value = to_rational(eta, where="eta")
        if not 0 < eta_value <= Fraction(1, 2):
            raise DomainError(f"eta = {eta_value} must lie in (0, 1/2] (the paper's step sizes)")
        eta_term, eta_facts, label = z3_rational(eta_value), [], f"eta={eta_value}"
    one, half = z3_rational(1), z3_rational(Fraction(1, 2))
    # amp is defined by 2ε·amp = 2ε(1 − η) + η, i.e. amp = (1 − η) + η/(2ε) for ε ≠ 0.
    amp_def = 2 * eps * amp == 2 * eps * (one - eta_term) + eta_term

    theta0, theta0p = (eps, eps), (-eps, -eps)
    g, gp = gradient_z3(theta0), gradient_z3(theta0p)
    theta1 = [t - eta_term * gi for t, gi in zip(theta0, g)]
    theta1p = [t - eta_term * gi for t, gi in zip(theta0p, gp)]
    moved = squared_norm([a - b for a, b in zip(theta1, theta1p)])
    start = squared_norm([a - b for a, b in zip(theta0, theta0p)])
    formula = Obligation.build(
        "amplification-formula",
        eta_facts + [eps > 0, eps < half, amp_def, z3.Not(z3.And(amp > 0, moved == amp * amp * start))],
        check=AMPLIFICATION, subject=PAPER, region=f"theta0=(eps,eps) in ++, theta0'=(-eps,-eps) in --; {label}",
    )
    skolem = Obligation.build(
        "skolem-epsilon",
        eta_facts + [beta > 0, 2 * eps * (beta + 2) == 1, amp_def,
                     z3.Not(z3.And(eps > 0, eps < half, amp > one + eta_term * beta))],
        check=AMPLIFICATION, subject=PAPER, region=f"epsilon(beta)=1/(2(beta+2)); {label}",
    )
    details: dict[str, Any] = {
        "claim": "C4: for every beta>0 there is eps in (0,1/2) with one-step amplification (1-eta)+eta/(2 eps) > 1+eta*beta",
        "skolem": "epsilon(beta) = 1/(2(beta+2)), giving amplification 1 + eta*beta + eta",
        "eta": label,
        "assumes": "theta0=(eps,eps), theta0'=(-eps,-eps); gradients taken off the kink set (eps>0)",
    }
    if eta is not None:
        example_beta = Fraction(10)
        example_eps = skolem_epsilon(example_beta)
        details["example"] = {
            "beta": example_beta, "epsilon": example_eps,
            "amplification": amplification_exact(example_eps, to_rational(eta)),
            "one_plus_eta_beta": 1 + to_rational(eta) * example_beta,
        }
    return run_check(AMPLIFICATION, [formula, skolem], runner, details=details)


def subgradient_stability_bound(
    G: Fraction | int | str | None = None,
    eta: Fraction | int | str = Fraction(1, 10),
    T: int = 1,
    *,
    G_squared: Fraction | int | str | None = None,
    dim: int = 2,
    runner: Runner | None = None,
) -> CheckResult:
    """Prove the additive bound ‖θ_T − θ'_T‖ ≤ ‖θ₀ − θ'₀‖ + 2ηTG by its inductive step.

    Obligations: each step moves a run by at most ηG, and if
    ‖θ_t − θ'_t‖ ≤ D then ‖θ_{t+1} − θ'_{t+1}‖ ≤ D + 2ηG (the triangle
    inequality, from Cauchy–Schwarz in R^dim; see ``_subgradient_obligations``).
    Induction on t from D₀ = ‖θ₀ − θ'₀‖ gives the bound for every T. The value
    is the additive term 2ηTG (its square when G is irrational).
    """
    g_sq = given_square(G, G_squared, "G", required=True)
    if g_sq is None:  # pragma: no cover - required=True never returns None
        raise InputFormatError("give exactly one of G or G_squared")
    eta_value = to_rational(eta, where="eta")
    if eta_value <= 0:
        raise DomainError(f"eta = {eta_value} must be positive")
    if isinstance(T, bool) or not isinstance(T, int) or T < 0:
        raise InputFormatError(f"T = {T!r} must be a non-negative integer number of steps")
    if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
        raise InputFormatError(f"dim = {dim!r} must be a positive integer")

    obligations = _subgradient_obligations(g_sq, eta_value, dim)
    growth_sq = (2 * eta_value * T) ** 2 * g_sq
    details = {
        "bound": f"||theta_T - theta'_T|| <= ||theta_0 - theta'_0|| + 2*eta*T*G with eta={eta_value}, T={T}, G^2={g_sq}",
        "assumes": "both runs take steps theta_{t+1} = theta_t - eta*g_t with g_t a Clarke subgradient at an iterate "
        "that stays in D, and every such subgradient has norm <= G on D (e.g. G from clarke_bound); "
        f"the inductive step is proved in R^{dim}, the induction over t is the standard one",
        "steps": T,
    }
    growth = rational_sqrt(growth_sq)
    return run_check(SUBGRADIENT, obligations, runner, value=growth, value_squared=growth_sq, details=details)


def _subgradient_obligations(g_sq: Fraction, eta_value: Fraction, dim: int) -> list[Obligation]:
    """The inductive step ‖u_t‖ ≤ D ⇒ ‖u_t − ηg + ηh‖ ≤ D + 2ηG, as five small lemmas.

    In R^dim: Cauchy–Schwarz, the expansion of ‖u − ηg + ηh‖², and
    ‖g‖ ≤ G ⇒ ‖ηg‖ ≤ ηG. In scalars (norms A, B, C and inner products P, Q, R
    of u, ηg, ηh): the three-term triangle inequality, using Cauchy–Schwarz
    instances as hypotheses, and monotonicity of the square. Composed by hand:
    a single combined obligation defeats cvc5 within seconds.
    """
    g_root = rational_sqrt(g_sq)
    gvar = z3.Real("G")
    g_term = z3_rational(g_root) if g_root is not None else gvar
    g_facts = [] if g_root is not None else [gvar >= 0, gvar * gvar == z3_rational(g_sq)]
    eta_term = z3_rational(eta_value)
    subject = "any loss whose subgradients on D have norm <= G"
    region = f"R^{dim}; G^2={g_sq}; eta={eta_value}"
    u = [z3.Real(f"u_{i}") for i in range(dim)]
    g = [z3.Real(f"g_{i}") for i in range(dim)]
    h = [z3.Real(f"h_{i}") for i in range(dim)]
    a, b, ng, big_a, big_b, big_c, big_d, p, q, r, n, e = z3.Reals("a b ng A B C D P Q R N E")
    eg, eh = [eta_term * x for x in g], [eta_term * x for x in h]

    def build(name: str, facts: list[z3.BoolRef], where: str) -> Obligation:
        return Obligation.build(name, facts, check=SUBGRADIENT, subject=subject, region=where)

    return [
        build("cauchy-schwarz", [a >= 0, b >= 0, a * a == squared_norm(u), b * b == squared_norm(g), dot(u, g) > a * b], f"R^{dim}"),
        build(
            "expansion",
            [squared_norm([x - y + z for x, y, z in zip(u, eg, eh)])
             != squared_norm(u) + squared_norm(eg) + squared_norm(eh) - 2 * dot(u, eg) + 2 * dot(u, eh) - 2 * dot(eg, eh)],
            region,
        ),
        build(
            "step-moves-at-most-eta-G",
            g_facts + [ng >= 0, ng * ng == squared_norm(g), ng <= g_term, big_b >= 0, big_b * big_b == squared_norm(eg),
                       big_b > eta_term * g_term],
            region,
        ),
        build(
            "triangle-three-terms",
            [big_a >= 0, big_b >= 0, big_c >= 0, n == big_a * big_a + big_b * big_b + big_c * big_c - 2 * p + 2 * q - 2 * r,
             -p <= big_a * big_b, q <= big_a * big_c, -r <= big_b * big_c,
             n > (big_a + big_b + big_c) * (big_a + big_b + big_c)],
            "scalars: A=|u|, B=|eta g|, C=|eta h|, P=<u,eta g>, Q=<u,eta h>, R=<eta g,eta h>, N=|u-eta g+eta h|^2",
        ),
        build(
            "inductive-step",
            g_facts + [e == eta_term * g_term, big_a >= 0, big_b >= 0, big_c >= 0, big_a <= big_d, big_b <= e, big_c <= e,
                       (big_a + big_b + big_c) * (big_a + big_b + big_c) > (big_d + 2 * e) * (big_d + 2 * e)],
            f"scalars: |u_t|<=D, steps <= eta*G; G^2={g_sq}; eta={eta_value}",
        ),
    ]
