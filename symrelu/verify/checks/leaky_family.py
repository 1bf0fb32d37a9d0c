"""Claim C1 for LeakyReLU in family form (our extension, not the paper's): weights, data and α as symbols.

One hidden layer, n data points, neuron j with LeakyReLU(α), outgoing weight a ≠ 0, a data point
(x, y) on the kink of neuron j (w x + b = 0) with residual r = R − y ≠ 0 there (R: the rest of the
output). Across the kink the neuron's slope jumps from α to 1, so the gradient jumps by
(1 − α)(1/n)|a r| ‖(x, 1)‖ (‖x‖ without a trainable bias), and no finite global gradient-Lipschitz
constant exists for 0 ≤ α < 1. Obligations (each unsat for Z3 and cvc5):

* ``jump-formula``: from each side's own loss ½n⁻¹(R + a(wx + b) − y)² and
  ½n⁻¹(R + aα(wx + b) − y)² (SymPy derivatives, the other data points' contributions S equal on
  both sides), n²‖J‖² = (1 − α)² a² r² (x² + 1) and ‖J‖² > 0.
* ``skolem-pair-violates`` (trainable bias): θ±(L) moves b by ±t(L),
  t(L) = min(t₀, (1 − α)|a r| / (4n(a² + L))); m₁ other points activate neuron j and m₀ do not
  (m₀ + m₁ ≤ n − 1); the b-component of ∇ℓ(θ₊) − ∇ℓ(θ₋) (LeakyReLU and its slope as
  if-then-else) exceeds 2L·t, so ‖∇ℓ(θ₊) − ∇ℓ(θ₋)‖ > L‖θ₊ − θ₋‖ for every L > 0.

>>> from symrelu.verify.engine.runner import Runner
>>> no_global_gradient_lipschitz_leaky_family(runner=Runner(isolate=False)).verdict
<Verdict.PROVED: 'PROVED'>
"""

from __future__ import annotations

import sympy
import z3

from ...exact import z3_rational
from ..encodings.encode import absolute, add_all, squared_norm, sympy_to_z3
from ..engine.assemble import run_check
from ..engine.obligation import Obligation
from ..engine.runner import Runner
from ..engine.verdict import CheckResult

FAMILY = "no_global_gradient_lipschitz_leaky_family"
SUBJECT = "one-hidden-layer LeakyReLU(alpha) net, symbolic weights, data and alpha (our extension)"


def no_global_gradient_lipschitz_leaky_family(bias_trainable: bool = True, runner: Runner | None = None) -> CheckResult:
    """C1 for LeakyReLU(α), 0 ≤ α < 1: the jump formula and (with a trainable bias) Skolem pairs beating every L."""
    a, w, b, x, y, n, big_r, alpha = sympy.symbols("a w b x y n R alpha", real=True)
    s_a, s_w, s_b = sympy.symbols("S_a S_w S_b", real=True)
    coords = (a, w, b) if bias_trainable else (a, w)
    others = (s_a, s_w, s_b)[: len(coords)]
    active = (big_r + a * (w * x + b) - y) ** 2 / (2 * n)
    inactive = (big_r + a * alpha * (w * x + b) - y) ** 2 / (2 * n)
    g_plus = [sympy.diff(active, v) + s for v, s in zip(coords, others, strict=True)]
    g_minus = [sympy.diff(inactive, v) + s for v, s in zip(coords, others, strict=True)]
    kink = {b: -w * x}
    jump = [sympy.simplify(n * (gp - gm).subs(kink)) for gp, gm in zip(g_plus, g_minus, strict=True)]
    names = ["a", "w", "b", "x", "y", "n", "R", "alpha", "S_a", "S_w", "S_b"]
    z = {name: z3.Real(name) for name in names}
    scaled = [sympy_to_z3(sympy.expand(j), z) for j in jump]
    residual = z["R"] - z["y"]
    gap = z3_rational(1) - z["alpha"]
    factor = z["x"] * z["x"] + (z3_rational(1) if bias_trainable else z3_rational(0))
    side = [z["n"] >= 1, z["a"] != 0, residual != 0, z["alpha"] >= 0, z["alpha"] < 1]
    side += [] if bias_trainable else [z["x"] != 0]
    formula = Obligation.build(
        "jump-formula",
        side + [z["w"] * z["x"] + z["b"] == 0,
                z3.Not(z3.And(squared_norm(scaled) == gap * gap * z["a"] * z["a"] * residual * residual * factor,
                              squared_norm(scaled) > 0))],
        check=FAMILY, subject=SUBJECT,
        region="kink of neuron j at data point x (w x + b = 0), only that kink crossed; 0 <= alpha < 1",
    )
    obligations = [formula] + ([_skolem()] if bias_trainable else [])
    details = {
        "claim": "C1 for LeakyReLU (ours, not the paper's): the gradient jumps by (1 - alpha)(1/n)|a_j r| ||(x,1)|| "
                 "across neuron j's kink, so no finite L exists for 0 <= alpha < 1",
        "jump_squared_norm": "(1 - alpha)^2 (1/n^2) a_j^2 r^2 (x^2 + 1)" if bias_trainable
        else "(1 - alpha)^2 (1/n^2) a_j^2 r^2 x^2",
        "jump_vector_times_n": [str(j) for j in jump],
        "coordinates": [str(v) for v in coords],
        "skolem": "theta(L) = theta* +/- t(L) e_b, t(L) = min(t0, (1 - alpha)|a r| / (4 n (a^2 + L)))"
        if bias_trainable else None,
        "assumes": "0 <= alpha < 1, a_j != 0, r != 0 at the kink, n >= 1; only neuron j's kink at this data point "
                   "is crossed (t0 > 0 keeps the others away); m1 other points activate neuron j, m0 do not, "
                   "m0 + m1 <= n - 1",
    }
    return run_check(FAMILY, obligations, runner, details=details)


def _skolem() -> Obligation:
    a, w, b, x, y, n, big_r, alpha = z3.Reals("a w b x y n R alpha")
    m0, m1, t0, big_l, t, t1 = z3.Reals("m0 m1 t0 L t t1")
    r = big_r - y
    facts = [n >= 1, m0 >= 0, m1 >= 0, m0 + m1 <= n - 1, a != 0, r != 0, alpha >= 0, alpha < 1,
             w * x + b == 0, t0 > 0, big_l > 0,
             4 * n * (a * a + big_l) * t1 == (1 - alpha) * absolute(a * r), t == z3.If(t0 < t1, t0, t1)]

    def b_component(shift: z3.ArithRef) -> z3.ArithRef:
        pre = w * x + (b + shift)
        residual = big_r + a * z3.If(pre > 0, pre, alpha * pre) - y
        return residual * a * z3.If(pre > 0, z3_rational(1), alpha)

    # n·(b-component difference): this point, plus the other points whose residual moves by a·slope·(±t).
    scaled = add_all([b_component(t) - b_component(-t), m1 * a * (2 * a * t), m0 * a * alpha * (2 * a * alpha * t)])
    violation_fails = scaled * scaled <= n * n * big_l * big_l * (4 * t * t)
    return Obligation.build(
        "skolem-pair-violates", facts + [violation_fails], check=FAMILY, subject=SUBJECT,
        region="theta(L) = theta* +/- t(L) e_b across neuron j's kink; 0 <= alpha < 1",
    )
