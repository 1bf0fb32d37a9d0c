r"""C6 — smooth surrogates mislead.

Statement (reconstruction, see ``shared/paper-claims.md``), with
softplus_β(z) = log(1 + e^{βz})/β and ℓ_β the instance's loss with ReLU
replaced by softplus_β:

(a) sup_z |softplus_β(z) − relu(z)| = log(2)/β, attained at z = 0: uniform convergence;
(b) softplus_β''(z) = β/(4cosh²(βz/2)) ≤ β/4, and ∂²ℓ_β/∂w1²(0, w2) → (1 + log 2 − β)/4 as
    w2 → −∞, so the gradient-Lipschitz constant L_β of ℓ_β is at least (β − 1 − log 2)/4 → ∞;
(c) from the dead start (−ε, −ε) the surrogate's gradient is not zero, so its GD moves while
    the ReLU run never does.

.. math::

   \sup_z|\mathrm{sp}_\beta(z)-\mathrm{relu}(z)|=\tfrac{\log 2}{\beta},\quad
   \mathrm{sp}_\beta''=\tfrac{\beta}{4\cosh^2(\beta z/2)}\le\tfrac\beta4,\quad
   L_\beta\ge\tfrac{\beta-1-\log 2}{4},\quad \partial_{w_1}\ell_\beta(-\varepsilon,-\varepsilon)<0

exp and log are outside the solvers' arithmetic, so nothing here is an SMT
obligation: identities and limits are checked with SymPy (exact symbolic
computation, β a positive symbol: the family form), inequalities at points and
over boxes with python-flint's ``arb`` ball arithmetic (rigorous enclosures,
never floats), and the instance through the public ``symrelu.params.Surrogate``
(including its mpmath-interval curvature bound). Every item must be PROVED.

Reconstruction note: the paper's text was not available; (a)-(c) are our
reconstruction. In particular the exact constant in (b) is ours.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import flint
import sympy as sp
from flint import arb, fmpq

from symrelu.params import Surrogate, gradient_descent, paper_instance
from symrelu.params.surrogate import check_uniform_distance
from symrelu.proofs_support import ClaimInfo, ComputedItem, Item
from symrelu.verify import Runner

CLAIM = ClaimInfo(
    ident="C6",
    title="Smooth surrogates mislead",
    statement="(a) sup_z |softplus_beta(z) - relu(z)| = log(2)/beta at z = 0; (b) softplus_beta'' = "
    "beta/(4 cosh^2(beta z/2)) <= beta/4 and d^2 l_beta/dw1^2 (0, w2) -> (1 + log 2 - beta)/4 as w2 -> -inf, "
    "so the surrogate's gradient-Lipschitz constant is at least (beta - 1 - log 2)/4 -> inf; (c) from (-eps, -eps) "
    "the surrogate gradient is non-zero, so its GD moves while the ReLU run never does.",
    latex=r"\sup_z|\mathrm{sp}_\beta-\mathrm{relu}|=\tfrac{\log2}{\beta};\ \mathrm{sp}_\beta''=\tfrac{\beta}{4\cosh^2(\beta z/2)}"
    r"\le\tfrac\beta4;\ L_\beta\ge\tfrac{\beta-1-\log2}{4};\ \partial_{w_1}\ell_\beta(-\varepsilon,-\varepsilon)<0",
    instance="softplus_beta surrogate of l(w1,w2) = 1/2 (relu(w1)+relu(w2)-1)^2; beta symbolic (SymPy), "
    "beta = 8 through symrelu.params.Surrogate, beta in {4, ..., 1024} and the box beta in [2, 64], "
    "eps in [0, 1/2] with arb",
    reconstruction="Our reconstruction: the paper's full text was unavailable; the three parts and the constant "
    "(1 + log 2 - beta)/4 are derived by us.",
    not_machine_checked=(
        ("SymPy identities and the limit w2 -> -inf",
         "computer algebra (simplify, Gruntz limit) is exact but produces no checkable certificate; SymPy is trusted"),
        ("L_beta >= |d^2 l_beta / dw1^2|",
         "for a C^2 function the gradient-Lipschitz constant is sup ||Hessian||_2 >= |a diagonal entry|: "
         "textbook analysis, by hand"),
        ("'every smooth-surrogate bound (1 + eta L_beta)^T becomes vacuous'",
         "an interpretation of L_beta -> inf (proved for the family in beta), not a formal statement"),
        ("(c) for all beta > 2",
         "arb covers the box beta in [2, 64], eps in [0, 1/2]; larger beta rests on the SymPy factorisation and "
         "log(1 + e^{-beta eps}) <= log 2 < beta/2, argued by hand"),
        ("rigour of the interval libraries", "python-flint (Arb) and mpmath.iv are trusted to round outward"),
    ),
)

BETA = sp.Symbol("beta", positive=True)
PREC = 128


def softplus(z: sp.Expr, beta: sp.Expr = BETA) -> sp.Expr:
    return sp.log(1 + sp.exp(beta * z)) / beta


# ------------------------------------------------------------------ arb helpers
def _fraction(value: Any) -> Fraction:
    """An exact arf/arb midpoint or radius as a Fraction."""
    man, exp = value.mid().man_exp()
    return Fraction(int(man)) * Fraction(2) ** int(exp)


def bounds(x: arb) -> tuple[Fraction, Fraction]:
    """Exact rational lower and upper bounds of a ball."""
    mid, rad = _fraction(x.mid()), _fraction(x.rad())
    return mid - rad, mid + rad


def show(x: arb, digits: int = 15) -> list[str]:
    """The enclosure, rounded outward to ``digits`` decimals (still a rigorous enclosure)."""
    lo, hi = bounds(x)
    scale = 10**digits
    down = Fraction((lo * scale).__floor__(), scale)
    up = Fraction(-((-hi * scale).__floor__()), scale)

    def text(q: Fraction) -> str:
        sign = "-" if q < 0 else ""
        whole, frac = divmod(abs(q.numerator) * scale // q.denominator, scale)
        return f"{sign}{whole}.{frac:0{digits}d}"

    return [text(down), text(up)]


def to_arb(q: Fraction | int) -> arb:
    q = Fraction(q)
    return arb(fmpq(q.numerator, q.denominator))


def hull(lo: Fraction, hi: Fraction) -> arb:
    return to_arb(lo).union(to_arb(hi))


def arb_eval(expr: sp.Expr, env: Mapping[sp.Symbol, arb]) -> arb:
    """Evaluate a SymPy expression (+, *, integer powers, exp, log, cosh, tanh, rationals) in ball arithmetic."""
    if expr in env:
        return env[expr]
    if expr.is_Rational:
        return to_arb(Fraction(int(expr.p), int(expr.q)))
    args = [arb_eval(a, env) for a in expr.args]
    if expr.is_Add:
        total = args[0]
        for a in args[1:]:
            total = total + a
        return total
    if expr.is_Mul:
        total = args[0]
        for a in args[1:]:
            total = total * a
        return total
    if expr.is_Pow and expr.exp.is_Integer:
        power = int(expr.exp)
        return args[0] ** power if power >= 0 else 1 / (args[0] ** (-power))
    functions: dict[type, Callable[[arb], arb]] = {sp.exp: arb.exp, sp.log: arb.log, sp.cosh: arb.cosh, sp.tanh: arb.tanh}
    for kind, fn in functions.items():
        if isinstance(expr, kind):
            return fn(args[0])
    raise TypeError(f"cannot evaluate {expr} in ball arithmetic")


def _zero(expr: sp.Expr) -> bool:
    return sp.simplify(sp.expand_log(expr.rewrite(sp.exp), force=True)) == 0


# ------------------------------------------------------------------ (a)
def part_a() -> list[ComputedItem]:
    t = sp.Symbol("t", nonnegative=True)
    gap = sp.log(1 + sp.exp(-BETA * t)) / BETA
    derivative = sp.diff(gap, t)
    checks = {
        "softplus(t) - t == log(1+e^{-beta t})/beta for t >= 0": _zero(softplus(t) - t - gap),
        "softplus(-t) == log(1+e^{-beta t})/beta": _zero(softplus(-t) - gap),
        "d/dt log(1+e^{-beta t})/beta == -e^{-beta t}/(1+e^{-beta t})": _zero(derivative + sp.exp(-BETA * t) / (1 + sp.exp(-BETA * t))),
        "-e^{-beta t}/(1+e^{-beta t}) < 0 (SymPy sign inference)": bool((-sp.exp(-BETA * t) / (1 + sp.exp(-BETA * t))).is_negative),
        "gap at 0 == log(2)/beta": _zero(gap.subs(t, 0) - sp.log(2) / BETA),
    }
    instance = Surrogate(paper_instance(), Fraction(8))
    inst = {
        "Surrogate(beta=8).uniform_distance == log(2)/8": sp.simplify(instance.uniform_distance - sp.log(2) / 8) == 0,
        "symrelu.params.surrogate.check_uniform_distance(8)": check_uniform_distance(Fraction(8)),
    }
    rows, ok = [], True
    with flint.ctx.workprec(PREC):
        beta = to_arb(8)
        bound = arb(2).log() / beta
        for z in (Fraction(-3), Fraction(-1, 8), Fraction(0), Fraction(1, 16), Fraction(2)):
            zz = to_arb(z)
            diff = (1 + (beta * zz).exp()).log() / beta - to_arb(max(z, Fraction(0)))
            inside = bool(diff <= bound) if z != 0 else bool(abs(diff - bound) < to_arb(Fraction(1, 10**30)))
            ok = ok and bool(diff > 0) and inside
            rows.append({"z": z, "gap": show(diff), "log2_over_beta": show(bound), "gap_le_bound": inside})
    return [
        ComputedItem.decide("a-uniform-distance-family", "(a) for every beta > 0: |softplus_beta - relu| = "
                            "log(1+e^{-beta|z|})/beta, decreasing in |z|, so the sup is log(2)/beta at z = 0",
                            "SymPy, beta a positive symbol", all(checks.values()), {"identities": checks}),
        ComputedItem.decide("a-uniform-distance-instance", "(a) beta = 8 through symrelu.params.Surrogate, and arb "
                            "enclosures 0 < gap <= log(2)/8 at sample points", "SymPy + python-flint arb (128 bits)",
                            all(inst.values()) and ok, {"surrogate": inst, "points": rows}),
    ]


# ------------------------------------------------------------------ (b)
def _family_loss() -> tuple[sp.Expr, sp.Symbol, sp.Symbol]:
    w1, w2 = sp.symbols("w1 w2", real=True)
    return (softplus(w1) + softplus(w2) - 1) ** 2 / 2, w1, w2


def part_b() -> list[ComputedItem]:
    z = sp.Symbol("z", real=True)
    second = sp.diff(softplus(z), z, 2)
    closed = BETA / (4 * sp.cosh(BETA * z / 2) ** 2)
    loss, w1, w2 = _family_loss()
    h11 = sp.diff(loss, w1, 2).subs(w1, 0)
    limit = sp.limit(h11, w2, -sp.oo)
    target = (1 + sp.log(2) - BETA) / 4
    checks = {
        "softplus'' == beta/(4 cosh^2(beta z/2))": _zero(second - closed),
        "beta/4 - softplus'' == (beta/4) tanh^2(beta z/2) >= 0 (equality only at z = 0)":
            _zero(BETA / 4 - closed - BETA * sp.tanh(BETA * z / 2) ** 2 / 4),
        "d2 l_beta/dw1^2 (0, w2) == (1 + log 2 - beta)/4 + log(1 + e^{beta w2})/4": _zero(h11 - target - sp.log(1 + sp.exp(BETA * w2)) / 4),
        "lim_{w2 -> -inf} d2 l_beta/dw1^2 (0, w2) == (1 + log 2 - beta)/4": sp.simplify(limit - target) == 0,
        "lim_{beta -> inf} (beta - 1 - log 2)/4 == oo": sp.limit(-target, BETA, sp.oo) == sp.oo,
    }
    instance = Surrogate(paper_instance(), Fraction(8))
    inst_h11 = instance.hessian[0, 0]
    same = sp.simplify(inst_h11 - sp.diff(loss, w1, 2).subs(BETA, 8).subs({w1: instance.symbols[0], w2: instance.symbols[1]})) == 0
    iv_bound = instance.curvature_lower_bound({"w1": 0, "w2": -20})
    sign, man, exp, _ = iv_bound.a._mpi_[0]
    iv_low = (-1) ** sign * Fraction(man) * Fraction(2) ** exp
    rows, ok = [], same and iv_low > Fraction(3, 2)
    with flint.ctx.workprec(PREC):
        for beta in (4, 8, 16, 64, 256, 1024):
            env = {BETA: to_arb(beta), w2: to_arb(-10)}
            value = arb_eval(sp.diff(loss, w1, 2).subs(w1, 0), env)
            lower = Fraction(beta - 2, 4)
            _, hi = bounds(value)
            holds = hi < 0 and -hi > lower
            ok = ok and holds
            rows.append({"beta": beta, "w2": -10, "d2l_dw1dw1_at_(0,w2)": show(value),
                         "limit_(1+log2-beta)/4": show(arb_eval(target, {BETA: to_arb(beta)})),
                         "claimed_lower_bound_(beta-2)/4": lower, "abs_exceeds_bound": holds})
    return [
        ComputedItem.decide("b-curvature-family", "(b) for every beta > 0: softplus'' = beta/(4cosh^2) <= beta/4; "
                            "d2 l_beta/dw1^2 (0,w2) -> (1 + log 2 - beta)/4, so L_beta >= (beta-1-log 2)/4 -> inf",
                            "SymPy, beta a positive symbol", all(checks.values()), {"identities": checks}),
        ComputedItem.decide("b-curvature-intervals", "(b) rigorous: |d2 l_beta/dw1^2 (0,-10)| > (beta-2)/4 for beta = "
                            "4 ... 1024, and Surrogate(8).curvature_lower_bound at (0,-20) > 3/2",
                            "python-flint arb (128 bits) on the SymPy Hessian; mpmath.iv via symrelu.params.Surrogate",
                            ok, {"points": rows, "surrogate_8_hessian_matches_family": same,
                                 "surrogate_8_curvature_lower_bound_at_(0,-20)": str(iv_low)}),
    ]


# ------------------------------------------------------------------ (c)
def _dead_gradient(eps: arb, beta: arb) -> arb:
    """∂ℓ_β/∂w1 at (−ε, −ε): (2·softplus_β(−ε) − 1)·σ(−βε), the SymPy-checked factorisation."""
    e = (-beta * eps).exp()
    return (2 * (1 + e).log() / beta - 1) * (e / (1 + e))


def _box_negative(max_boxes: int = 4096) -> tuple[bool | None, int]:
    """Branch and bound: ∂ℓ_β/∂w1(−ε, −ε) < 0 for all ε ∈ [0, ½], β ∈ [2, 64]."""
    boxes = [((Fraction(0), Fraction(1, 2)), (Fraction(2), Fraction(64)))]
    done = 0
    with flint.ctx.workprec(PREC):
        while boxes:
            (e0, e1), (b0, b1) = boxes.pop()
            if bool(_dead_gradient(hull(e0, e1), hull(b0, b1)) < 0):
                done += 1
                continue
            if done + len(boxes) > max_boxes:
                return None, done
            if (e1 - e0) * 128 > (b1 - b0):
                mid = (e0 + e1) / 2
                boxes += [((e0, mid), (b0, b1)), ((mid, e1), (b0, b1))]
            else:
                mid = (b0 + b1) / 2
                boxes += [((e0, e1), (b0, mid)), ((e0, e1), (mid, b1))]
    return True, done


def _surrogate_run(beta: Fraction, eps: Fraction, eta: Fraction, steps: int) -> list[list[arb]]:
    loss, w1, w2 = _family_loss()
    grad = [sp.diff(loss, w).subs(BETA, sp.Rational(beta.numerator, beta.denominator)) for w in (w1, w2)]
    theta = [to_arb(-eps), to_arb(-eps)]
    path = [theta]
    for _ in range(steps):
        env = {w1: theta[0], w2: theta[1]}
        theta = [t - to_arb(eta) * arb_eval(g, env) for t, g in zip(theta, grad)]
        path.append(theta)
    return path


def part_c() -> list[ComputedItem]:
    loss, w1, w2 = _family_loss()
    grad = sp.diff(loss, w1)
    sigma = sp.exp(BETA * w1) / (1 + sp.exp(BETA * w1))
    eps = sp.Symbol("epsilon", positive=True)
    checks = {
        "d l_beta/dw1 == (softplus(w1) + softplus(w2) - 1) * sigma(beta w1)": _zero(grad - (softplus(w1) + softplus(w2) - 1) * sigma),
        "at (-eps,-eps): == (2 log(1 + e^{-beta eps})/beta - 1) e^{-beta eps}/(1 + e^{-beta eps})":
            _zero(grad.subs({w1: -eps, w2: -eps}) - (2 * sp.log(1 + sp.exp(-BETA * eps)) / BETA - 1)
                  * sp.exp(-BETA * eps) / (1 + sp.exp(-BETA * eps))),
    }
    negative, boxes = _box_negative()
    beta, start, eta, steps = Fraction(8), Fraction(1, 10), Fraction(1, 10), 20
    relu_run = gradient_descent(paper_instance(), (-start, -start), eta, steps)
    relu_still = all(s.theta == (-start, -start) for s in relu_run.steps)
    with flint.ctx.workprec(PREC):
        path = _surrogate_run(beta, start, eta, steps)
        first_lo, _ = bounds(path[1][0])
        final_lo, _ = bounds(path[-1][0])
        rows = {"beta": beta, "epsilon": start, "eta": eta, "T": steps,
                "surrogate_w1_after_1_step": show(path[1][0]), "surrogate_w1_after_T": show(path[-1][0]),
                "surrogate_w2_after_T": show(path[-1][1]), "relu_theta_T": relu_run.final, "relu_run_moved": not relu_still}
    moves = first_lo > -start and final_lo > 0 and relu_still
    return [
        ComputedItem.decide("c-dead-start-family", "(c) the surrogate gradient at (-eps,-eps) factors as "
                            "(2 softplus_beta(-eps) - 1) sigma(-beta eps)", "SymPy, beta and eps positive symbols",
                            all(checks.values()), {"identities": checks}),
        ComputedItem.decide("c-dead-start-box", "(c) rigorous: d l_beta/dw1 (-eps,-eps) < 0 for all eps in [0,1/2], "
                            "beta in [2,64] (branch and bound)", "python-flint arb (128 bits)", negative,
                            {"boxes_proved": boxes, "box": {"epsilon": ["0", "1/2"], "beta": ["2", "64"]}},
                            undecided="branch and bound gave up before covering the box"),
        ComputedItem.decide("c-trajectories-diverge", "(c) beta = 8: the surrogate GD from (-1/10,-1/10) leaves the "
                            "dead region (w1 > 0 after 20 steps) while the exact ReLU run never moves",
                            "python-flint arb GD iteration (128 bits) + exact symrelu.params.gradient_descent",
                            moves, {"run": rows}),
    ]


def items(runner: Runner) -> list[Item]:
    del runner  # exp and log: no SMT obligations in this claim
    return [*part_a(), *part_b(), *part_c()]
