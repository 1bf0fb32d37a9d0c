"""The parameter-space fast paths give exactly what the slow routes give.

* ``polynomial_text`` against SymPy's own ``str`` of the expanded expression;
* ``find_kinks`` (side index, exact polyhedra) against the old route: every pair of regions,
  every surface with opposite sides, each piece decided on its own (ppl for witnesses, and
  separately Z3 for the yes/no answer);
* ``enumerate_parameter_regions`` on the polyhedral path (no solver built) against the plain Z3 search.
"""

from __future__ import annotations

from fractions import Fraction

import sympy
import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symrelu.network import Network
from symrelu.params.baseline import plain_z3_dfs
from symrelu.params.kinks import Kink, find_kinks
from symrelu.params.landscape import Landscape, ParameterRegion, enumerate_parameter_regions
from symrelu.params.polynomial import Polynomial
from symrelu.params.polytext import polynomial_text
from symrelu.params.problem import Problem
from symrelu.params.z3tools import ppl_interior_point

NAMES = st.lists(st.sampled_from(["w0", "w1", "w10", "w2", "b", "a1", "θ", "x"]), min_size=1, max_size=4, unique=True)
COEFF = st.fractions(min_value=-5, max_value=5, max_denominator=6)


@st.composite
def polynomials(draw):
    names = draw(NAMES)
    k = len(names)
    terms = draw(st.dictionaries(st.tuples(*[st.integers(0, 2) for _ in range(k)]), COEFF, max_size=6))
    return Polynomial.from_dict(k, terms), names


@settings(max_examples=400, deadline=None)
@given(polynomials())
def test_polynomial_text_is_sympys_str(case):
    poly, names = case
    symbols = sympy.symbols(names, real=True)
    assert polynomial_text(poly, names) == str(sympy.expand(poly.to_sympy(symbols)))


@given(COEFF, COEFF, st.integers(1, 3))
def test_polynomial_text_two_terms(c0, c1, power):
    poly = Polynomial.from_dict(2, {(0, 0): c0, (power, 0): c1, (0, 0 if c0 else 1): c0})
    names = ("w", "v")
    assert polynomial_text(poly, names) == str(sympy.expand(poly.to_sympy(sympy.symbols(names))))


# ---------------------------------------------------------------- kinks

def _old_route(land: Landscape) -> list[tuple[ParameterRegion, ParameterRegion, Polynomial]]:
    """Every (below, above, g) the all-pairs route examined: each pair, each surface with opposite sides."""

    def proportional(p: Polynomial, g: Polynomial) -> Fraction | None:
        if len(p.terms) != len(g.terms) or not g.terms:
            return None
        c = p.terms[0][1] / g.terms[0][1]
        return c if p == g * c else None

    out = []
    regions = sorted(land.regions, key=lambda r: r.pattern)
    for i, first in enumerate(regions):
        for second in regions[i + 1 :]:
            found: list[Polynomial] = []
            for _, p, sign in first.constraints:
                if p.degree < 1 or any(proportional(p, g) is not None for g in found):
                    continue
                for _, q, other in second.constraints:
                    c = proportional(q, p)
                    if c is not None and sign * other * c < 0:
                        found.append(p)
                        out.append((first, second, p) if sign < 0 else (second, first, p))
                        break
    return out


def _old_pieces(land: Landscape, below: ParameterRegion, above: ParameterRegion, g: Polynomial):
    """(others, group, switch index) of one examined piece, computed the old way."""
    def prop(p: Polynomial) -> bool:
        if len(p.terms) != len(g.terms):
            return False
        c = p.terms[0][1] / g.terms[0][1]
        return p == g * c

    others = [(p, s) for r in (below, above) for _, p, s in r.constraints if not prop(p)]
    group = tuple(sorted({i for r in (below, above) for i, p, _ in r.constraints if prop(p)}))
    first = next(i for i, p, _ in below.constraints if prop(p))
    return others, group, first


def _old_kinks(land: Landscape) -> list[Kink]:
    """The old all-pairs route on a polyhedral landscape: a fresh ppl question per piece."""
    problem, k = land.problem, len(land.problem.parameters)
    kinks = []
    for below, above, g in _old_route(land):
        others, group, s = _old_pieces(land, below, above, g)
        jump = tuple(a - b for a, b in zip(above.gradient, below.gradient, strict=True))
        witness = ppl_interior_point(others, problem.domain, k, equalities=[g])
        if witness is None:
            continue
        danger = witness if any(j(witness) != 0 for j in jump) else None
        if danger is None:
            for j in jump:
                for sign in (1, -1):
                    if danger is None and not j.is_zero:
                        danger = ppl_interior_point(others + [(j, sign)], problem.domain, k, equalities=[g])
        kinks.append(Kink(s, land.table.switches[s], group, below.pattern, above.pattern, (g,), jump, witness,
                          danger is not None, danger))
    kinks.sort(key=lambda x: (x.below, x.above, str(x.surface[0])))
    return kinks


def _z3_nonempty_pieces(land: Landscape) -> set[tuple[str, str]]:
    """Independent yes/no for every piece of the all-pairs route: Z3 (QF_LRA) on
    {g = 0, every other constraint strict, open box}."""
    xs = [z3.Real(f"t{i}") for i in range(len(land.problem.parameters))]
    solver = z3.SolverFor("QF_LRA")
    for x, (lo, hi) in zip(xs, land.problem.domain, strict=True):
        solver.add(x > z3.Q(lo.numerator, lo.denominator), x < z3.Q(hi.numerator, hi.denominator))
    found = set()
    for below, above, g in _old_route(land):
        others, _, _ = _old_pieces(land, below, above, g)
        solver.push()
        solver.add(g.to_z3(xs) == 0, *[(p.to_z3(xs) > 0) if s > 0 else (p.to_z3(xs) < 0) for p, s in others])
        answer = solver.check()
        solver.pop()
        assert answer in (z3.sat, z3.unsat)
        if answer == z3.sat:
            found.add((below.pattern, above.pattern))
    return found


WEIGHTS = st.sampled_from(["-1", "-1/2", "0", "1/2", "1", "2"])


@st.composite
def problems(draw, depth: int = 2, output_parameter: bool = False):
    """1-3 neurons in the first hidden layer, some of whose weights or biases are trainable (tied names
    allowed), maybe a second fixed hidden layer (its switches then depend on the first layer's bits),
    1-3 data points (x = 0 and repeated points allowed): affine switches. With ``output_parameter``
    the output weight may be trainable too (still affine switches, but a loss of degree 4)."""
    m = draw(st.integers(1, 3))
    n = draw(st.integers(1, 3))
    names = ["u", "v", "w"]
    first = [[draw(st.sampled_from(names[:m] + ["1", "-1/2"]))] for _ in range(m)]
    bias = [draw(st.sampled_from(names + ["0", "-1", "1/2"])) for _ in range(m)]
    if not any(e in names for row in first for e in row) and not any(b in names for b in bias):
        first[0][0] = "u"
    layers = [(first, bias)]
    width = m
    if depth > 1 and draw(st.booleans()):
        width = draw(st.integers(1, 2))
        layers.append(([[draw(WEIGHTS) for _ in range(m)] for _ in range(width)], [draw(WEIGHTS) for _ in range(width)]))
    second = [[draw(WEIGHTS) for _ in range(width)]]
    if output_parameter and draw(st.booleans()):
        second[0][0] = "a"
    layers.append((second, [draw(WEIGHTS)]))
    net = Network.from_rows(layers)
    xs = [draw(st.sampled_from([-2, -1, 0, 1, 3])) for _ in range(n)]
    data = [((Fraction(x),), (Fraction(draw(st.integers(-2, 2)), 2),)) for x in xs]
    domain = {p.name: ("-2", "2") for p in net.parameters}
    return Problem(net, data, draw(st.sampled_from(["squared", "absolute"])), domain)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_find_kinks_matches_the_all_pairs_route(problem):
    land = enumerate_parameter_regions(problem, progress=False)
    assert land.method == "polyhedral"
    new = find_kinks(land)
    assert list(new) == _old_kinks(land)
    # and each examined piece's emptiness, asked of Z3 independently
    assert {(k.below, k.above) for k in new} == _z3_nonempty_pieces(land)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_polyhedral_enumeration_matches_plain_z3(problem):
    land = enumerate_parameter_regions(problem, progress=False)
    patterns, _ = plain_z3_dfs(problem)
    assert [r.pattern for r in land.regions] == patterns
    for region in land.regions:
        assert region.contains(region.interior_point)


def _all_pairs(land: Landscape) -> list[Kink]:
    """Every piece of the all-pairs route, each decided by the unchanged piece test (ppl or Z3 + cvc5)."""
    from symrelu.params.kinks import _boundary_kink, _Search
    from symrelu.params.polyhedra import AffineSystem

    problem = land.problem
    search = _Search(land, 60_000, AffineSystem(len(problem.parameters), problem.domain))
    found = [_boundary_kink(search, b, a, g) for b, a, g in _old_route(land)]
    return sorted((k for k in found if k is not None), key=lambda x: (x.below, x.above, str(x.surface[0])))


def _decision(kink: Kink) -> tuple:
    """A kink without its witnesses (Z3's models, hence the witnesses it leads to, vary between runs)."""
    return kink.switch_index, kink.switch_indices, kink.below, kink.above, kink.surface, kink.jump, kink.dangerous


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(depth=1, output_parameter=True))
def test_find_kinks_matches_all_pairs_with_solver_pieces(problem):
    """A trainable output weight makes the jumps cubic: those pieces go to Z3, the pairs still come from the index."""
    land = enumerate_parameter_regions(problem, progress=False)
    assert [_decision(k) for k in find_kinks(land)] == [_decision(k) for k in _all_pairs(land)]


def test_find_kinks_matches_all_pairs_on_nonlinear_switches():
    from symrelu.params.examples import two_layer_instance

    land = enumerate_parameter_regions(two_layer_instance(), progress=False)
    assert land.method == "nonlinear"
    kinks = find_kinks(land)
    assert kinks and [_decision(k) for k in kinks] == [_decision(k) for k in _all_pairs(land)]
