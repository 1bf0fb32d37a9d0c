"""The exact fallback for one box: Z3 (linear real arithmetic) on the network restricted to the box.

Used when bound propagation cannot close a box but few neurons are left unstable.
Every neuron whose phase the exact forward bounds fixed is encoded linearly (that
fact was proved in rationals); the others as ``h = ite(z > 0, z, 0)``. Z3 runs under a
deterministic ``rlimit``; a ``sat`` model is only a candidate, replayed by the caller.

>>> from fractions import Fraction as F
>>> from symrelu.network import Network
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])   # |x|
>>> decide_box(net, ((F(-1), F(1)),), [((F(-1),), F(1), False)], None, 10**6)[0]   # |x| >= 1 on [-1, 1]
'sat'
>>> decide_box(net, ((F(-1), F(1)),), [((F(-1),), F(1), True)], None, 10**6)[0]    # |x| > 1
'unsat'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TypeVar

import z3

from ..exact import z3_rational
from ..network import Network
from .certificate import Box, SpecRow, split_output_layer


def decide_box(
    net: Network,
    box: Box,
    rows: Sequence[SpecRow],
    kinds: Sequence[Sequence[int]] | None,
    rlimit: int,
    rows_x: Sequence[Sequence[Fraction]] | None = None,
) -> tuple[str, tuple[Fraction, ...] | None]:
    """``("sat", x)``, ``("unsat", None)`` or ``("unknown", None)`` for the rows on ``box``.

    ``kinds`` (optional) are the exactly proved phases per hidden layer: 1 active, 0 inactive,
    anything else unstable.
    """
    solver, context, xs, ys = _encoder(net, box, kinds, rlimit, z3.Solver)
    for r, (coefficients, constant, strict) in enumerate(rows):
        terms = [z3_rational(c, context) * y for c, y in zip(coefficients, ys, strict=True) if c != 0]
        if rows_x is not None:
            terms += [z3_rational(c, context) * x for c, x in zip(rows_x[r], xs, strict=True) if c != 0]
        total = z3.Sum(terms + [z3_rational(constant, context)])
        solver.add(total < 0 if strict else total <= 0)
    answer = solver.check()
    if answer == z3.sat:
        point = _model_point(solver.model(), xs)
        return ("sat", point) if point is not None else ("unknown", None)
    if answer == z3.unsat:
        return "unsat", None
    return "unknown", None


def maximize_in_region(
    net: Network, box: Box, pattern: Sequence[Sequence[int]], objective: Sequence[Fraction], rlimit: int
) -> tuple[Fraction, ...] | None:
    """A point of the closed activation region of ``pattern`` in ``box`` maximising ``objective · y``.

    Z3's exact optimiser (rational simplex) under a deterministic ``rlimit``; None when it gives up.
    On the closed region the network is the region's affine map, so the optimum is exact.
    """
    phases = [[1 if on else 0 for on in layer] for layer in pattern]
    optimizer, context, xs, ys = _encoder(net, box, phases, rlimit, z3.Optimize)
    goal = z3.Sum([z3_rational(c, context) * y for c, y in zip(objective, ys, strict=True) if c != 0] + [z3_rational(0, context)])
    optimizer.maximize(goal)
    if optimizer.check() != z3.sat:
        return None
    return _model_point(optimizer.model(), xs)


_Engine = TypeVar("_Engine", z3.Solver, z3.Optimize)


def _encoder(
    net: Network, box: Box, phases: Sequence[Sequence[int]] | None, rlimit: int, engine: Callable[..., _Engine]
) -> tuple[_Engine, z3.Context, list[z3.ArithRef], list[z3.ArithRef]]:
    """A fresh Z3 ``engine`` (``z3.Solver`` or ``z3.Optimize``, own context, ``rlimit`` set) holding the
    network on ``box``, with its input and output variables.

    Hidden neuron ``j`` of layer ``i`` is encoded by ``phases[i][j]``: 1 active (``z >= 0, h = z``),
    0 inactive (``z <= 0, h = 0``), anything else (or ``phases`` None) unstable, ``h = ite(z > 0, z, 0)``.
    """
    hidden, last = split_output_layer(net)
    context = z3.Context()
    solver = engine(ctx=context)
    solver.set("rlimit", int(rlimit))
    xs = [z3.Real(f"x_{i}", context) for i in range(net.input_dim)]
    for x, (lo, hi) in zip(xs, box, strict=True):
        solver.add(z3_rational(lo, context) <= x, x <= z3_rational(hi, context))
    current: list[z3.ArithRef] = list(xs)
    for index, layer in enumerate(hidden):
        kinds = phases[index] if phases is not None else [2] * layer.out_dim
        nxt: list[z3.ArithRef] = []
        for j, (row, bias) in enumerate(zip(layer.weight, layer.bias, strict=True)):
            z = _affine_in(row, bias, current, context)
            h = z3.Real(f"h_{index}_{j}", context)
            if kinds[j] == 1:
                solver.add(z >= 0, h == z)
            elif kinds[j] == 0:
                solver.add(z <= 0, h == 0)
            else:
                solver.add(h == z3.If(z > 0, z, z3_rational(0, context)))
            nxt.append(h)
        current = nxt
    ys = [_affine_in(row, bias, current, context) for row, bias in zip(last.weight, last.bias, strict=True)]
    return solver, context, xs, ys


def _affine_in(row: Sequence[Fraction], bias: Fraction, values: Sequence[z3.ArithRef], context: z3.Context) -> z3.ArithRef:
    terms = [z3_rational(w, context) * a for w, a in zip(row, values, strict=True) if w != 0]
    terms.append(z3_rational(bias, context))
    return z3.Sum(terms) if len(terms) > 1 else terms[0]


def _model_point(model: z3.ModelRef, xs: Sequence[z3.ArithRef]) -> tuple[Fraction, ...] | None:
    """The model's exact rational input point (None if some value is not rational)."""
    point = []
    for x in xs:
        value = model.eval(x, model_completion=True)
        if not z3.is_rational_value(value):
            return None
        point.append(Fraction(value.numerator_as_long(), value.denominator_as_long()))
    return tuple(point)
