"""Solver obligations that re-derive a Bernstein box certificate in the solvers' own arithmetic.

A leaf of :func:`symrelu.params.box_maximum.box_maximum` rests on one fact: on the box
``lo <= θ <= hi``, with ``θ = lo + (hi - lo) t``, the polynomial equals ``Σ_I b_I B_I(t)`` for the
Bernstein coefficients ``b_I`` symrelu computed (python-flint), and ``Σ_I B_I(t) = 1``; since every
``B_I(t) >= 0`` on ``[0, 1]^n``, the polynomial lies between ``min b_I`` and ``max b_I``. The
obligation "some t has p(θ(t)) != Σ b_I B_I(t), or Σ B_I(t) != 1" must be unsat: each solver
expands both sides in its own polynomial arithmetic, so a wrong coefficient (a bug in the
enclosure) would be caught by either of them. A second obligation per region, in linear
arithmetic, states that the leaves cover the domain.

>>> from fractions import Fraction as F
>>> from symrelu.params.polynomial import Polynomial
>>> x = Polynomial.variable(1, 0)
>>> facts = identity_facts(x * x, ((F(0), F(2)),), ["t"])
>>> import z3
>>> s = z3.Solver(); s.add(*facts); s.check()
unsat
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import comb
from typing import TYPE_CHECKING

import z3

from ...exact import z3_rational
from ...params.bernstein import Box, bernstein_coefficients
from ...params.box_maximum import BoxMaximum, region_constraints
from ...params.polynomial import Polynomial
from ..engine.obligation import Obligation, region_tag

if TYPE_CHECKING:
    from ...params.landscape import ParameterRegion
    from ...params.problem import Problem


def _power(term: z3.ArithRef, k: int) -> z3.ArithRef | None:
    """``term ** k`` as a product (valid SMT-LIB, no ``^``); None for ``k = 0``."""
    if k == 0:
        return None
    out = term
    for _ in range(k - 1):
        out = out * term
    return out


def _product(factors: Sequence[z3.ArithRef | None]) -> z3.ArithRef:
    present = [f for f in factors if f is not None]
    if not present:
        return z3.RealVal(1)
    out = present[0]
    for f in present[1:]:
        out = out * f
    return out


def identity_facts(poly: Polynomial, box: Box, names: Sequence[str]) -> list[z3.BoolRef]:
    """The assertions whose unsat re-derives ``poly``'s Bernstein form on ``box`` (see the module)."""
    den, degrees, coefficients = bernstein_coefficients(poly, box)
    t = [z3.Real(name) for name in names]
    theta = [z3_rational(lo) + z3_rational(hi - lo) * tk for (lo, hi), tk in zip(box, t, strict=True)]
    lhs = _substitute(poly, theta)
    strides = [1] * len(degrees)
    for k in range(len(degrees) - 2, -1, -1):
        strides[k] = strides[k + 1] * (degrees[k + 1] + 1)

    def basis(k: int, i: int) -> z3.ArithRef:
        d = degrees[k]
        return z3_rational(Fraction(comb(d, i))) * _product([_power(t[k], i), _power(1 - t[k], d - i)])

    def nested(k: int, offset: int) -> z3.ArithRef | None:
        """Σ over the indices from axis k on (the tensor sum, factored axis by axis); None when all zero."""
        if k == len(degrees):
            b = Fraction(coefficients[offset], den)
            return z3_rational(b) if b else None
        parts = []
        for i in range(degrees[k] + 1):
            inner = nested(k + 1, offset + i * strides[k])
            if inner is not None:
                parts.append(basis(k, i) * inner)
        return z3.Sum(parts) if len(parts) > 1 else (parts[0] if parts else None)

    rhs = nested(0, 0)
    # Σ_I B_I(t) = Π_k Σ_i B_{d_k, i}(t_k): one factor per axis
    unity = [z3.Sum([basis(k, i) for i in range(degrees[k] + 1)]) != 1 for k in range(len(degrees)) if degrees[k]]
    return [z3.Or(lhs != (rhs if rhs is not None else z3.RealVal(0)), *unity)]


def _substitute(poly: Polynomial, values: Sequence[z3.ArithRef]) -> z3.ArithRef:
    terms = []
    for exponents, c in poly.terms:
        terms.append(z3_rational(c) * _product([_power(v, e) for v, e in zip(values, exponents, strict=True)]))
    return z3.Sum(terms) if terms else z3.RealVal(0)


def cover_facts(variables: Sequence[z3.ArithRef], domain: Box, leaves: Sequence[Box]) -> list[z3.BoolRef]:
    """The assertions whose unsat says that the closed ``leaves`` cover the closed ``domain``."""
    inside = [z3.And(*(z3.And(v >= z3_rational(lo), v <= z3_rational(hi)) for v, (lo, hi) in zip(variables, leaf, strict=True)))
              for leaf in leaves]
    facts = [z3.And(v >= z3_rational(lo), v <= z3_rational(hi)) for v, (lo, hi) in zip(variables, domain, strict=True)]
    return facts + [z3.Not(z3.Or(*inside))]


def certificate_obligations(
    problem: Problem, region: ParameterRegion, poly: Polynomial, bm: BoxMaximum, check: str, subject: str, max_nodes: int
) -> list[Obligation]:
    """The obligations behind ``bm`` (the branch and bound of ``poly`` on ``region``): each leaf's Bernstein
    form (of ``poly``, or of the constraint that misses the leaf), and that the leaves cover D."""
    tag = region_tag(region.pattern)
    constraints = region_constraints(region)
    k = len(problem.parameter_names)
    out = []
    for n, leaf in enumerate(bm.leaves):
        form = poly if leaf.missed is None else constraints[leaf.missed][0] * constraints[leaf.missed][1]
        what = "the bounded polynomial" if leaf.missed is None else f"constraint {leaf.missed} (negative on the leaf)"
        out.append(Obligation.build(
            f"bernstein-{tag}-{n}", identity_facts(form, leaf.box, [f"t_{i}" for i in range(k)]), check=check,
            subject=subject, region=f"leaf {n} of region {region.pattern}: the Bernstein form of {what}",
            max_nodes=max_nodes))
    variables = [z3.Real(f"theta_{i}") for i in range(k)]
    out.append(Obligation.build(
        f"bernstein-cover-{tag}", cover_facts(variables, tuple(problem.domain or ()), [leaf.box for leaf in bm.leaves]),
        check=check, subject=subject, region=f"the leaves of region {region.pattern} cover D", max_nodes=max_nodes))
    return out
