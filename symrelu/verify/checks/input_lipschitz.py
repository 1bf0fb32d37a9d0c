"""``input_lipschitz``: certify |f(x) − f(x')| ≤ K‖x − x'‖_p on a box, over the direct ReLU encoding.

The obligation is the negation, "some x, x' in the box violate the bound"; it
must be unsat. For p = 1 and ∞ with rational K it is linear (|·| and max as
if-then-else); for p = 2 squares are compared, (f(x) − f(x'))² ≤ K²‖x − x'‖².
A sat answer refutes only after the pair is recomputed exactly with
:meth:`Network.evaluate`.

>>> from fractions import Fraction as F
>>> from symrelu.network import Network
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])   # |x|
>>> box = [(F(-1), F(1))]
>>> input_lipschitz(net, box, F(1), norm="inf").verdict
<Verdict.PROVED: 'PROVED'>
>>> bad = input_lipschitz(net, box, F(1, 2), norm="inf")
>>> bad.verdict, bad.witness["ratio"] > F(1, 2)
(<Verdict.REFUTED: 'REFUTED'>, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import z3

from ...errors import DomainError, InputFormatError
from ...exact import to_rational, z3_rational
from ...lipschitz import norm_squared
from ...network import Network
from ...validation import Norm, check_box, check_norm, check_output, is_degenerate
from ..encodings.bounds import given_square
from ..encodings.encode import absolute, add_all
from ..encodings.network_encoding import encode_network
from ..engine.assemble import rational_sqrt, run_check
from ..engine.obligation import DEFAULT_MAX_NODES, Obligation
from ..engine.runner import Replayed, Runner
from ..engine.verdict import CheckResult, Verdict

Box = Sequence[Sequence[object]]
"""A box as given: (low, high) per input, anything :func:`symrelu.exact.to_rational` reads."""
CHECK = "input_lipschitz"


def _ratio_squared(net: Network, x: Sequence[Fraction], xp: Sequence[Fraction], output: int, norm: Norm) -> tuple[Fraction, Fraction, Fraction, Fraction] | None:
    """(f(x), f(x'), Δ², ‖d‖²) computed exactly, or None when x = x'."""
    fx, fxp = net.evaluate(x)[output], net.evaluate(xp)[output]
    size_sq = norm_squared([a - b for a, b in zip(x, xp, strict=False)], norm)
    if size_sq == 0:
        return None
    return fx, fxp, (fx - fxp) ** 2, size_sq


def input_lipschitz(
    net: Network,
    box: Box,
    K: Fraction | int | str | None = None,
    *,
    K_squared: Fraction | int | str | None = None,
    norm: object = "2",
    output: int | None = None,
    tight_pair: tuple[Sequence[object], Sequence[object]] | None = None,
    runner: Runner | None = None,
    subject: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    route: str = "auto",
) -> CheckResult:
    """Prove or refute that ``K`` (or ``sqrt(K_squared)``) bounds output ``output`` on ``box`` in the p-norm.

    ``tight_pair`` (x, x') is checked exactly: its difference quotient must equal
    K for tightness; one that exceeds K refutes directly. ``route`` ``"auto"``
    first tries the region certificate (:mod:`.region_certificate`: exact
    regions, linear obligations) and falls back to the direct encoding when the
    box has too many regions or the certificate stays undecided; ``"regions"``
    and ``"direct"`` force one route.
    """
    if route not in ("auto", "regions", "direct"):
        raise InputFormatError(f"route {route!r} must be auto, regions or direct")
    net.require_concrete(CHECK)
    p = check_norm(norm)
    bounds = check_box(net, box, interior=False)  # a single-point interval is answered by the direct encoding
    out = check_output(net, output)
    k_value, k_squared = _constant(K, K_squared)
    subject = subject or net.source
    details: dict[str, Any] = {"norm": p, "output": out, "box": [list(b) for b in bounds]}

    tightness: Mapping[str, Any] | None = None
    if tight_pair is not None:
        tightness = _tightness(net, bounds, tight_pair, out, p, k_squared)
        details["tightness"] = tightness
        if tightness["ratio_squared"] > k_squared:
            return CheckResult(
                CHECK, Verdict.REFUTED, k_value, k_squared, ("exact",), dict(tightness),
                "the given pair exceeds K (checked exactly)", details,
            )

    if route == "regions" or (route == "auto" and not is_degenerate(bounds)):
        from .region_certificate import region_lipschitz

        certified = region_lipschitz(net, bounds, out, p, k_squared, subject, runner, max_nodes=max_nodes)
        too_large = certified is not None and bool(certified.details.get("too_large"))
        if certified is not None and (certified.verdict is not Verdict.UNKNOWN or route == "regions" or too_large):
            if certified.verdict is Verdict.PROVED and tightness is not None:
                note = "K is attained by the given pair (tight)" if tightness["attains_K"] else "the given pair does not attain K"
                return CheckResult(certified.name, certified.verdict, k_value, k_squared, certified.solvers, tightness,
                                   f"{note}; {certified.reason}", dict(certified.details, tightness=tightness),
                                   certified.obligations, certified.elapsed_s)
            return CheckResult(certified.name, certified.verdict, k_value, k_squared, certified.solvers,
                               certified.witness, certified.reason, certified.details, certified.obligations,
                               certified.elapsed_s)
        if route == "regions":
            raise InputFormatError("the box has too many regions for the region certificate; use route='direct'")
        details["region_certificate"] = "too many regions" if certified is None else certified.reason
    obligation = _obligation(net, bounds, out, p, k_value, k_squared, subject, max_nodes)

    def replay(ob: Obligation, model: Mapping[str, Any]) -> Replayed:
        x = tuple(model.get(f"x_{i}", Fraction(0)) for i in range(net.input_dim))
        xp = tuple(model.get(f"xp_{i}", Fraction(0)) for i in range(net.input_dim))
        for i, (lo, hi) in enumerate(bounds):
            if not (lo <= x[i] <= hi and lo <= xp[i] <= hi):
                return Replayed(False, reason=f"coordinate {i} of the pair leaves the box")
        measured = _ratio_squared(net, x, xp, out, p)
        if measured is None:
            return Replayed(False, reason="the pair has x = x'")
        fx, fxp, delta_sq, size_sq = measured
        if delta_sq <= k_squared * size_sq:
            return Replayed(False, reason="the pair does not violate the bound in exact arithmetic")
        witness = {"x": x, "x_prime": xp, "f_x": fx, "f_x_prime": fxp, "ratio_squared": delta_sq / size_sq}
        root = rational_sqrt(delta_sq / size_sq)
        if root is not None:
            witness["ratio"] = root
        return Replayed(True, witness)

    result = run_check(CHECK, [obligation], runner, replay, k_value, k_squared, details)
    if result.verdict is Verdict.PROVED and tightness is not None:
        note = "K is attained by the given pair (tight)" if tightness["attains_K"] else "the given pair does not attain K"
        result = CheckResult(
            result.name, result.verdict, result.value, result.value_squared, result.solvers, tightness,
            "; ".join(s for s in (note, result.reason) if s), result.details, result.obligations, result.elapsed_s,
        )
    return result


def _constant(K: object, K_squared: object) -> tuple[Fraction | None, Fraction]:
    k2 = given_square(K, K_squared, "K", required=True)
    if k2 is None:  # pragma: no cover - required=True never returns None
        raise InputFormatError("give exactly one of K or K_squared")
    return (to_rational(K, where="K") if K is not None else rational_sqrt(k2)), k2


def _tightness(
    net: Network, bounds: Sequence[tuple[Fraction, Fraction]], pair: tuple[Sequence[object], Sequence[object]],
    out: int, p: Norm, k_squared: Fraction,
) -> dict[str, Any]:
    x = net.check_point(pair[0], "tightness point x")
    xp = net.check_point(pair[1], "tightness point x'")
    for i, (lo, hi) in enumerate(bounds):
        if not (lo <= x[i] <= hi and lo <= xp[i] <= hi):
            raise DomainError(f"tightness pair: coordinate {i} lies outside the box [{lo}, {hi}]")
    measured = _ratio_squared(net, x, xp, out, p)
    if measured is None:
        raise DomainError("tightness pair: x and x' must differ")
    fx, fxp, delta_sq, size_sq = measured
    ratio_sq = delta_sq / size_sq
    return {"x": x, "x_prime": xp, "f_x": fx, "f_x_prime": fxp, "ratio_squared": ratio_sq, "attains_K": ratio_sq == k_squared}


def _obligation(
    net: Network, bounds: Sequence[tuple[Fraction, Fraction]], out: int, p: Norm,
    k_value: Fraction | None, k_squared: Fraction, subject: str, max_nodes: int,
) -> Obligation:
    n = net.input_dim
    x = [z3.Real(f"x_{i}") for i in range(n)]
    xp = [z3.Real(f"xp_{i}") for i in range(n)]
    facts: list[z3.BoolRef] = []
    for i, (lo, hi) in enumerate(bounds):
        facts += [z3_rational(lo) <= x[i], x[i] <= z3_rational(hi), z3_rational(lo) <= xp[i], xp[i] <= z3_rational(hi)]
    defs_a, outs_a = encode_network(net, x, "a")
    defs_b, outs_b = encode_network(net, xp, "b")
    delta = z3.Real("delta")
    facts += defs_a + defs_b + [delta == outs_a[out] - outs_b[out]]
    diffs = [a - b for a, b in zip(x, xp, strict=False)]
    if p == "2":
        violation = delta * delta > z3_rational(k_squared) * add_all([d * d for d in diffs])
    else:
        size = z3.Real("dist")
        magnitudes = [absolute(d) for d in diffs]
        if p == "1":
            facts.append(size == add_all(magnitudes))
        else:
            largest = magnitudes[0]
            for m in magnitudes[1:]:
                largest = z3.If(m > largest, m, largest)
            facts.append(size == largest)
        if k_value is not None:
            violation = absolute(delta) > z3_rational(k_value) * size
        else:
            violation = delta * delta > z3_rational(k_squared) * size * size
    constant = f"K={k_value}" if k_value is not None else f"K^2={k_squared}"
    return Obligation.build(
        f"lipschitz-p{p}-out{out}", facts + [violation], check=CHECK, subject=subject,
        region=f"box {' x '.join(f'[{lo},{hi}]' for lo, hi in bounds)}; {constant}", max_nodes=max_nodes,
    )
