"""The exact shortcuts of the parameter-space polyhedral path give what the plain computations give.

* ``AffineSystem.interior_point`` hands ppl each constraint once: its point equals the point of
  a raw ppl polyhedron built the old way (every constraint in the given order, repeats included);
* ``AffineSystem.contradicts`` (no ppl) never calls a non-empty system empty, and on constraints
  in one variable each it finds every empty child of a non-empty parent (ppl decides both);
* ``SwitchTable.pattern_at`` (FLINT rationals) replays the concrete network exactly as
  ``Network.preactivations`` (Fractions) does, for ReLU, LeakyReLU, Abs and shifted breakpoints.
"""

from __future__ import annotations

from fractions import Fraction

import ppl
from hypothesis import given, settings
from hypothesis import strategies as st

from symrelu.activation import RELU, abs_, leaky_relu, piecewise
from symrelu.network import Network
from symrelu.params.polyhedra import AffineSystem, integer_row
from symrelu.params.polynomial import Polynomial
from symrelu.params.problem import Problem
from symrelu.params.switches import SwitchTable

SMALL = st.integers(-3, 3)
BOX = [(Fraction(-2), Fraction(2)), (Fraction(-1), Fraction(3, 2)), (Fraction(-3, 2), Fraction(1))]


def _affine(nvars: int, coefficients: list[int], constant: Fraction) -> Polynomial:
    p = Polynomial.constant(nvars, constant)
    for i, c in enumerate(coefficients):
        p = p + Polynomial.variable(nvars, i) * c
    return p


@st.composite
def systems(draw, nvars: int = 3, single: bool = False):
    """Affine constraints ``sign * g > 0`` (objects repeated, equal copies, zero rows allowed) and maybe an equality."""
    pool = []
    for _ in range(draw(st.integers(1, 5))):
        if single:
            coefficients = [0] * nvars
            coefficients[draw(st.integers(0, nvars - 1))] = draw(st.sampled_from([-2, -1, 1, 3]))
        else:
            coefficients = [draw(SMALL) for _ in range(nvars)]
        pool.append(_affine(nvars, coefficients, Fraction(draw(st.integers(-4, 4)), draw(st.integers(1, 3)))))
    pool.append(pool[0] * 1)  # an equal copy: another object, the same row
    picks = draw(st.lists(st.tuples(st.integers(0, len(pool) - 1), st.sampled_from([1, -1])), min_size=1, max_size=9))
    constraints = [(pool[i], s) for i, s in picks]
    equalities = [] if single or not draw(st.booleans()) else [pool[draw(st.integers(0, len(pool) - 1))]]
    return constraints, equalities


def _raw_ppl_point(nvars: int, constraints, equalities):
    """The old construction: every constraint as given (repeats too), then the box; the first point generator."""
    system = ppl.Constraint_System()
    rows = [(integer_row(g, nvars), 1 if s > 0 else -1) for g, s in constraints]
    rows += [(integer_row(h, nvars), 0) for h in equalities]
    for (coefficients, constant), sign in rows:
        e = ppl.Linear_Expression(list(coefficients), constant)
        system.insert(e > 0 if sign > 0 else e < 0 if sign < 0 else e == 0)
    for i, (lo, hi) in enumerate(BOX[:nvars]):
        v = ppl.Variable(i)
        system.insert(lo.denominator * v > lo.numerator)
        system.insert(hi.denominator * v < hi.numerator)
    polyhedron = ppl.NNC_Polyhedron(nvars, "universe")
    polyhedron.add_constraints(system)
    if polyhedron.is_empty():
        return None
    for generator in polyhedron.minimized_generators():
        if generator.is_point():
            d = int(generator.divisor())
            values = [int(c) for c in generator.coefficients()] + [0] * nvars
            return tuple(Fraction(c, d) for c in values[:nvars])
    raise AssertionError("non-empty without a point")


@settings(max_examples=100, deadline=None)
@given(systems(), st.randoms(use_true_random=False))
def test_interior_point_is_the_raw_ppl_point(case, rnd):
    constraints, equalities = case
    system = AffineSystem(3, BOX[:3])
    expected = _raw_ppl_point(3, constraints, equalities)
    assert system.interior_point(constraints, equalities) == expected
    shuffled = list(constraints) * 2
    rnd.shuffle(shuffled)
    assert system.interior_point(shuffled, equalities) == expected  # a set of constraints, to ppl
    if expected is not None:  # and the point is one, checked independently in Fractions
        assert all((g(expected) > 0) == (s > 0) and g(expected) != 0 for g, s in constraints)
        assert all(h(expected) == 0 for h in equalities)


@settings(max_examples=100, deadline=None)
@given(systems(nvars=2))
def test_contradicts_never_empties_a_nonempty_system(case):
    constraints, _ = case
    system = AffineSystem(2, BOX[:2])
    if system.contradicts(constraints[:-1], constraints[-1]):
        assert _raw_ppl_point(2, constraints, []) is None


@settings(max_examples=100, deadline=None)
@given(systems(nvars=3, single=True))
def test_contradicts_finds_every_empty_child_in_one_variable_each(case):
    constraints, _ = case
    system = AffineSystem(3, BOX[:3])
    parent, new = constraints[:-1], constraints[-1]
    if _raw_ppl_point(3, parent, []) is not None:
        assert system.contradicts(parent, new) == (_raw_ppl_point(3, constraints, []) is None)


ACTIVATIONS = st.sampled_from([RELU, leaky_relu(Fraction(1, 10)), abs_(),
                               piecewise("shifted", ["1/2"], ["-1/3", "2"], ["0", "-7/6"])])


@settings(max_examples=60, deadline=None)
@given(ACTIVATIONS, ACTIVATIONS, st.booleans(), st.sampled_from(["squared", "absolute"]),
       st.lists(st.fractions(-2, 2, max_denominator=4), min_size=3, max_size=3),
       st.lists(st.sampled_from([Fraction(0), Fraction(1), Fraction(-1, 2), Fraction(3)]), min_size=1, max_size=3))
def test_pattern_at_replays_the_concrete_network(first, second, output_relu, loss, point, xs):
    rows = [([["u"], ["-1/2"]], ["v", "1"]), ([["w", "1"]], ["0"])]
    net = Network.from_rows(rows, output_relu=output_relu)
    net = net.with_activations([first, second] if output_relu else [first])
    problem = Problem(net, [((x,), (Fraction(1, 2),)) for x in xs], loss, {p.name: ("-2", "2") for p in net.parameters})
    theta = tuple(point[: len(problem.parameters)])
    concrete = problem.concrete(theta)
    bits, zeros = [], []
    for x, y in problem.data:  # the old replay, in Fractions
        pre = concrete.preactivations(x)
        values = [v - a.breakpoints[0] for acts, layer in zip(concrete.activations, pre[: concrete.relu_layer_count])
                  for a, v in zip(acts, layer)]
        if loss == "absolute":
            values += [o - t for o, t in zip(concrete.evaluate(x), y)]
        for v in values:
            if v == 0:
                zeros.append(len(bits))
            bits.append(1 if v > 0 else 0)
    assert SwitchTable(problem).pattern_at(theta) == (tuple(bits), tuple(zeros))
