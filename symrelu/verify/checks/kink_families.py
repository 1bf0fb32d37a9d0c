"""No finite global gradient-Lipschitz constant (claim C1): Skolem witness pairs across a kink.

Three entry points:

* :func:`no_global_gradient_lipschitz_at_kink` — the general form, for a kink
  point θ*, a crossing direction e and the gradient polynomials of the two
  adjacent regions (as produced by ``symrelu.params.kinks``). With
  θ±(L) = θ* ± t(L)·e and t(L) = c/(L + d) it proves that for every L > 0 the
  pair is off the kink set (inside its regions) and violates L-Lipschitzness.
* :func:`no_global_gradient_lipschitz_instance` — the paper's instance:
  θ* = (0, −1), e = (1, 0), t = 1/(4(L + 1)).
* :func:`no_global_gradient_lipschitz_family` — the family form with weights
  and data as symbols.

>>> no_global_gradient_lipschitz_instance().verdict
<Verdict.PROVED: 'PROVED'>
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy
import z3

from ...errors import InputFormatError, ShapeError
from ...exact import to_rational, z3_rational
from ..encodings.encode import absolute, add_all, relu, relu_slope, squared_norm, sympy_to_z3
from ..engine.assemble import run_check
from ..engine.obligation import Obligation
from ..engine.runner import Runner
from ..engine.verdict import CheckResult, Verdict

CHECK = "no_global_gradient_lipschitz"
FAMILY = "no_global_gradient_lipschitz_family"
INSTANCE = "no_global_gradient_lipschitz_paper"


def _exact(value: sympy.Expr, what: str) -> Fraction:
    value = sympy.sympify(value)
    if value.has(sympy.Float) or not value.is_Rational:
        raise InputFormatError(f"{what} = {value} is not an exact rational (symbols left or a float?)")
    return Fraction(int(value.p), int(value.q))


def no_global_gradient_lipschitz_at_kink(
    kink_point: Sequence[object],
    direction: Sequence[object],
    gradient_plus: Sequence[sympy.Expr],
    gradient_minus: Sequence[sympy.Expr],
    parameters: Sequence[sympy.Symbol | str],
    *,
    region_plus: Sequence[sympy.Rel] = (),
    region_minus: Sequence[sympy.Rel] = (),
    jump: Sequence[object] | None = None,
    skolem: tuple[object, object] | None = None,
    attempts: int = 4,
    subject: str = "problem",
    runner: Runner | None = None,
    check_name: str = CHECK,
) -> CheckResult:
    """Prove that no L > 0 bounds the gradient's variation across the kink at ``kink_point``.

    ``gradient_plus`` / ``gradient_minus`` are the gradient polynomials of the
    regions entered from θ* along +e and −e; ``region_plus`` / ``region_minus``
    their strict inequalities (proved to hold at θ±(L) for every L > 0, so the
    polynomials are the true gradients there). The jump J = g₊(θ*) − g₋(θ*) is
    computed exactly and compared with ``jump`` when given. ``skolem`` = (c, d)
    chooses t(L) = c/(L + d); by default c = max|J_k| / (4·max|e_k|) and
    d = 1, 4, 16, ... are tried (``attempts`` choices) until one is proved.
    A zero jump gives UNKNOWN: the gradient may well be Lipschitz there.
    """
    names = [p.name if isinstance(p, sympy.Symbol) else str(p) for p in parameters]
    dim = len(names)
    point = tuple(to_rational(v, where=f"kink point entry {i}") for i, v in enumerate(kink_point))
    e = tuple(to_rational(v, where=f"direction entry {i}") for i, v in enumerate(direction))
    if not (len(point) == len(e) == len(gradient_plus) == len(gradient_minus) == dim):
        raise ShapeError(
            f"kink point ({len(point)}), direction ({len(e)}), gradients ({len(gradient_plus)}, {len(gradient_minus)}) "
            f"and parameters ({dim}) must have the same length"
        )
    if all(v == 0 for v in e):
        raise InputFormatError("the crossing direction must not be zero")
    at_kink = {sympy.Symbol(n, real=True): sympy.Rational(v.numerator, v.denominator) for n, v in zip(names, point)}
    at_kink.update({sympy.Symbol(n): sympy.Rational(v.numerator, v.denominator) for n, v in zip(names, point)})
    computed = tuple(
        _exact(sympy.sympify(gp).subs(at_kink) - sympy.sympify(gm).subs(at_kink), f"jump component {k}")
        for k, (gp, gm) in enumerate(zip(gradient_plus, gradient_minus))
    )
    if jump is not None:
        given = tuple(to_rational(v, where=f"jump entry {i}") for i, v in enumerate(jump))
        if given != computed:
            raise InputFormatError(f"the given jump {given} differs from the exact jump {computed} of the two region gradients")
    details: dict[str, Any] = {
        "kink_point": point, "direction": e, "jump": computed,
        "jump_squared_norm": sum((j * j for j in computed), Fraction(0)),
        "parameters": names,
    }
    if all(j == 0 for j in computed):
        return CheckResult(
            check_name, Verdict.UNKNOWN, reason="the gradient does not jump at this kink; no Skolem pair exists here "
            "(the gradient may be Lipschitz: try another kink or clarke_bound)", details=details,
        )
    if skolem is not None:
        choices = [(to_rational(skolem[0], where="skolem c"), to_rational(skolem[1], where="skolem d"))]
    else:
        c = max(abs(j) for j in computed) / (4 * max(abs(v) for v in e))
        choices = [(c, Fraction(4) ** k) for k in range(max(1, attempts))]
    result: CheckResult | None = None
    tried = []
    for c, d in choices:
        if c <= 0 or d <= 0:
            raise InputFormatError(f"skolem (c, d) = ({c}, {d}) must be positive")
        obligations = _kink_obligations(
            names, point, e, gradient_plus, gradient_minus, region_plus, region_minus, c, d, subject, check_name
        )
        details_here = dict(details, skolem=f"t(L) = ({c})/(L + {d})", witness_family="theta(L) = theta* +/- t(L) e")
        result = run_check(check_name, obligations, runner, details=details_here)
        if result.verdict is Verdict.PROVED:
            return result
        tried.append(f"t(L)={c}/(L+{d}): {result.reason}")
    return CheckResult(
        check_name, Verdict.UNKNOWN, reason="no Skolem choice was proved: " + " | ".join(tried), details=details,
        obligations=result.obligations if result else (),
    )


def _kink_obligations(
    names: Sequence[str], point: Sequence[Fraction], e: Sequence[Fraction],
    gradient_plus: Sequence[sympy.Expr], gradient_minus: Sequence[sympy.Expr],
    region_plus: Sequence[sympy.Rel], region_minus: Sequence[sympy.Rel],
    c: Fraction, d: Fraction, subject: str, check_name: str,
) -> list[Obligation]:
    big_l, t = z3.Reals("L t")
    plus = {n: z3_rational(p) + t * z3_rational(v) for n, p, v in zip(names, point, e)}
    minus = {n: z3_rational(p) - t * z3_rational(v) for n, p, v in zip(names, point, e)}
    skolem = [big_l > 0, t * (big_l + z3_rational(d)) == z3_rational(c)]
    g_plus = [sympy_to_z3(sympy.sympify(g), plus) for g in gradient_plus]
    g_minus = [sympy_to_z3(sympy.sympify(g), minus) for g in gradient_minus]
    change = squared_norm([a - b for a, b in zip(g_plus, g_minus)])
    distance = z3_rational(4 * sum((v * v for v in e), Fraction(0))) * t * t
    region = f"kink {tuple(str(v) for v in point)} along {tuple(str(v) for v in e)}; t(L)={c}/(L+{d})"
    obligations = [
        Obligation.build(
            "skolem-pair-violates", skolem + [change <= big_l * big_l * distance],
            check=check_name, subject=subject, region=region,
        )
    ]
    inside = [_relation(rel, plus) for rel in region_plus] + [_relation(rel, minus) for rel in region_minus]
    if inside:
        obligations.append(
            Obligation.build(
                "skolem-pair-in-regions", skolem + [z3.Not(z3.And(t > 0, *inside))],
                check=check_name, subject=subject, region=region,
            )
        )
    return obligations


def _relation(rel: sympy.Rel, values: Mapping[str, z3.ArithRef]) -> z3.BoolRef:
    lhs, rhs = sympy_to_z3(rel.lhs, values), sympy_to_z3(rel.rhs, values)
    ops = {sympy.StrictGreaterThan: lambda a, b: a > b, sympy.StrictLessThan: lambda a, b: a < b,
           sympy.GreaterThan: lambda a, b: a >= b, sympy.LessThan: lambda a, b: a <= b}
    for kind, op in ops.items():
        if isinstance(rel, kind):
            return op(lhs, rhs)
    raise InputFormatError(f"region constraint {rel} must be <, >, <= or >=")


def instance_kink_data() -> dict[str, Any]:
    """The paper instance's kink {w1 = 0} at θ* = (0, −1), with each region's own gradient.

    Gradients come from differentiating each region's polynomial selection
    function: on {w1 > 0, w2 < 0} ℓ = ½(w1 − 1)², on {w1 < 0, w2 < 0} ℓ = ½.
    """
    w1, w2 = sympy.symbols("w1 w2", real=True)
    loss_plus = sympy.Rational(1, 2) * (w1 - 1) ** 2
    loss_minus = sympy.Rational(1, 2) * (0 * w1 - 1) ** 2
    return {
        "kink_point": (Fraction(0), Fraction(-1)),
        "direction": (Fraction(1), Fraction(0)),
        "gradient_plus": [sympy.diff(loss_plus, w) for w in (w1, w2)],
        "gradient_minus": [sympy.diff(loss_minus, w) for w in (w1, w2)],
        "parameters": (w1, w2),
        "region_plus": (w1 > 0, w2 < 0),
        "region_minus": (w1 < 0, w2 < 0),
    }


def no_global_gradient_lipschitz_instance(runner: Runner | None = None) -> CheckResult:
    """Claim C1 on the paper's instance with θ = (t, −1), θ' = (−t, −1), t = 1/(4(L + 1))."""
    data = instance_kink_data()
    return no_global_gradient_lipschitz_at_kink(
        jump=(Fraction(-1), Fraction(0)), skolem=(Fraction(1, 4), Fraction(1)),
        subject="paper instance l(w1,w2)=1/2(relu(w1)+relu(w2)-1)^2", runner=runner,
        check_name=INSTANCE, **data,
    )


def no_global_gradient_lipschitz_family(bias_trainable: bool = True, runner: Runner | None = None) -> CheckResult:
    """Claim C1 in family form, weights and data as symbols.

    One-hidden-layer net, n data points, neuron j with outgoing weight a ≠ 0,
    data point (x, y) with residual r = f(x; θ*) − y ≠ 0 at a kink θ* of neuron
    j (w x + b = 0); R is the rest of the network's output at x. Obligations:

    * ``jump-formula``: from each region's own loss ½n⁻¹(R + a(wx + b) − y)²
      and ½n⁻¹(R − y)² (SymPy derivatives in (a, w, b), other data points'
      gradient contributions S equal on both sides), the jump satisfies
      n²‖J‖² = a²r²(x² + 1) (x² without a trainable bias) and ‖J‖² > 0.
    * ``skolem-pair-violates``: θ±(L) moves b by ±t(L), t(L) = min(t₀, |a r|/(4n(a² + L))),
      where t₀ > 0 keeps every other data point off its kinks and m ≤ n − 1 other
      points activate neuron j. The b-component of ∇ℓ(θ₊) − ∇ℓ(θ₋) (ReLU and its
      slope encoded directly) exceeds 2L·t in absolute value, so
      ‖∇ℓ(θ₊) − ∇ℓ(θ₋)‖ > L‖θ₊ − θ₋‖ for every L > 0. (The bias case; without a
      trainable bias move w instead, which needs x ≠ 0.)
    """
    a, w, b, x, y, n, big_r = sympy.symbols("a w b x y n R", real=True)
    s_a, s_w, s_b = sympy.symbols("S_a S_w S_b", real=True)
    coords = (a, w, b) if bias_trainable else (a, w)
    others = (s_a, s_w, s_b)[: len(coords)]
    active = (big_r + a * (w * x + b) - y) ** 2 / (2 * n)
    inactive = (big_r - y) ** 2 / (2 * n)
    g_plus = [sympy.diff(active, v) + s for v, s in zip(coords, others)]
    g_minus = [sympy.diff(inactive, v) + s for v, s in zip(coords, others)]
    kink = {b: -w * x}
    jump = [sympy.simplify(n * (gp - gm).subs(kink)) for gp, gm in zip(g_plus, g_minus)]  # n·J: polynomial
    names = ["a", "w", "b", "x", "y", "n", "R", "S_a", "S_w", "S_b"]
    z = {name: z3.Real(name) for name in names}
    scaled = [sympy_to_z3(sympy.expand(j), z) for j in jump]
    residual = z["R"] - z["y"]
    factor = z["x"] * z["x"] + (z3_rational(1) if bias_trainable else z3_rational(0))
    side = [z["n"] >= 1, z["a"] != 0, residual != 0] + ([] if bias_trainable else [z["x"] != 0])
    formula = Obligation.build(
        "jump-formula",
        side + [z["w"] * z["x"] + z["b"] == 0,
                z3.Not(z3.And(squared_norm(scaled) == z["a"] * z["a"] * residual * residual * factor,
                              squared_norm(scaled) > 0))],
        check=FAMILY, subject="one-hidden-layer net, symbolic weights and data",
        region="kink of neuron j at data point x (w x + b = 0), only that kink crossed",
    )
    obligations = [formula]
    if bias_trainable:
        obligations.append(_family_skolem())
    details = {
        "claim": "C1 family: the gradient jumps by (1/n)|a_j r| ||(x,1)|| across neuron j's kink, so no finite L exists",
        "jump_squared_norm": "(1/n^2) a_j^2 r^2 (x^2 + 1)" if bias_trainable else "(1/n^2) a_j^2 r^2 x^2",
        "jump_vector_times_n": [str(j) for j in jump],
        "coordinates": [str(v) for v in coords],
        "skolem": "theta(L) = theta* +/- t(L) e_b, t(L) = min(t0, |a r| / (4 n (a^2 + L)))" if bias_trainable else None,
        "assumes": "a_j != 0, r != 0 at the kink, n >= 1; only neuron j's kink at this data point is crossed "
        "(t0 > 0 keeps the others away); m in [0, n-1] other points activate neuron j",
    }
    return run_check(FAMILY, obligations, runner, details=details)


def _family_skolem() -> Obligation:
    a, w, b, x, y, n, big_r, m, t0, big_l, t, t1 = z3.Reals("a w b x y n R m t0 L t t1")
    r = big_r - y
    facts = [n >= 1, m >= 0, m <= n - 1, a != 0, r != 0, w * x + b == 0, t0 > 0, big_l > 0,
             4 * n * (a * a + big_l) * t1 == absolute(a * r), t == z3.If(t0 < t1, t0, t1)]

    def b_component(shift: z3.ArithRef) -> z3.ArithRef:
        pre = w * x + (b + shift)
        residual = big_r + a * relu(pre) - y
        return residual * a * relu_slope(pre)

    # n·(b-component difference): this point, plus m other points whose residual moves by a·(±t).
    scaled = add_all([b_component(t) - b_component(-t), m * a * (2 * a * t)])
    violation_fails = scaled * scaled <= n * n * big_l * big_l * (4 * t * t)
    return Obligation.build(
        "skolem-pair-violates", facts + [violation_fails],
        check=FAMILY, subject="one-hidden-layer net, symbolic weights and data",
        region="theta(L) = theta* +/- t(L) e_b across neuron j's kink",
    )
