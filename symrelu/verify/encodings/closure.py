"""A parameter-space region's closure intersected with the domain D, as formulas and as a polytope.

A region of :mod:`symrelu.params.landscape` is ``{sign·g > 0 for each constraint}``;
its closure within the box D is described here by the non-strict inequalities
(a superset of the closure when a constraint is nonlinear, equal to it when
every constraint is affine, since the region is open and non-empty). When
every constraint is affine the exact vertices come from
:class:`symrelu.polytope.Polytope`.

>>> from symrelu.params import enumerate_parameter_regions, paper_instance
>>> land = enumerate_parameter_regions(paper_instance())
>>> [tuple(map(str, v)) for v in polyhedral_vertices(land.region("11"), land.problem.domain)]
[('1', '0'), ('1', '1'), ('0', '1'), ('0', '0')]
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import sympy
import z3

from ...errors import DomainError
from ...exact import z3_rational
from ...params.landscape import ParameterRegion
from ...params.polynomial import Polynomial
from ...polytope import Polytope, common_denominator_row
from .encode import sympy_to_z3

Point = tuple[Fraction, ...]
Box = Sequence[tuple[Fraction, Fraction]]


def box_constraints(variables: Sequence[z3.ArithRef], domain: Box | None) -> list[z3.BoolRef]:
    """``lo <= θ_j <= hi`` for every parameter (nothing for an unbounded problem)."""
    if domain is None:
        return []
    facts: list[z3.BoolRef] = []
    for var, (lo, hi) in zip(variables, domain):
        facts += [var >= z3_rational(lo), var <= z3_rational(hi)]
    return facts


def polynomial_z3(poly: Polynomial, variables: dict[str, z3.ArithRef], names: Sequence[str]) -> z3.ArithRef:
    """A :class:`Polynomial` as a z3 term with valid SMT-LIB (no unary sums, no powers)."""
    symbols = sympy.symbols(list(names), real=True)
    return sympy_to_z3(sympy.expand(poly.to_sympy(symbols)), variables)


def closed_region(region: ParameterRegion, variables: dict[str, z3.ArithRef], names: Sequence[str]) -> list[z3.BoolRef]:
    """``sign·g ≥ 0`` for every constraint of the region (its closure, or a superset when nonlinear)."""
    facts = []
    for _, poly, sign in region.constraints:
        term = polynomial_z3(poly, variables, names)
        facts.append(term >= z3_rational(0) if sign > 0 else term <= z3_rational(0))
    return facts


def open_region_relations(region: ParameterRegion) -> list[sympy.Rel]:
    """The region's strict inequalities as SymPy relations in the problem's parameters."""
    symbols = sympy.symbols([p.name for p in region.parameters], real=True)
    relations = []
    for _, poly, sign in region.constraints:
        expr = sympy.expand(poly.to_sympy(symbols))
        relation = expr > 0 if sign > 0 else expr < 0
        if relation is sympy.false:
            raise DomainError(f"region {region.pattern} has a constraint that never holds ({expr} with sign {sign})")
        if relation is not sympy.true:  # a constant switch polynomial constrains nothing
            relations.append(relation)
    return relations


def is_polyhedral(region: ParameterRegion) -> bool:
    """True when every constraint of the region is affine."""
    return all(poly.degree <= 1 for _, poly, _ in region.constraints)


def affine_row(poly: Polynomial) -> tuple[list[Fraction], Fraction]:
    """Coefficients and constant of an affine polynomial."""
    if poly.degree > 1:
        raise DomainError(f"polynomial {poly} is not affine")
    coefficients = [Fraction(0)] * poly.nvars
    constant = Fraction(0)
    for exponents, c in poly.terms:
        if sum(exponents) == 0:
            constant = c
        else:
            coefficients[exponents.index(1)] = c
    return coefficients, constant


def polyhedral_vertices(region: ParameterRegion, domain: Box | None) -> tuple[Point, ...] | None:
    """Exact vertices of cl(R) ∩ D, or None when R is not polyhedral or D is unbounded."""
    if domain is None or not is_polyhedral(region):
        return None
    polytope: Polytope | None = Polytope.box(list(domain))
    for index, (switch, poly, sign) in enumerate(region.constraints):
        coefficients, constant = affine_row(poly)
        ints, _ = common_denominator_row([sign * c for c in coefficients] + [sign * constant])
        if polytope is None:
            break
        polytope, _ = polytope.split(ints, tag=("switch", switch, index))
    if polytope is None:
        raise DomainError(f"region {region.pattern} has no interior inside the domain")
    return polytope.points()
