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
    hidden, last = split_output_layer(net)
    context = z3.Context()
    solver = z3.Solver(ctx=context)
    solver.set("rlimit", int(rlimit))
    xs = _box_inputs(net, box, context, solver.add)
    current: list[z3.ArithRef] = list(xs)
    for index, layer in enumerate(hidden):
        phases = kinds[index] if kinds is not None else [2] * layer.out_dim
        nxt: list[z3.ArithRef] = []
        for j, (row, bias) in enumerate(zip(layer.weight, layer.bias, strict=True)):
            z = _affine_in(row, bias, current, context)
            h = z3.Real(f"h_{index}_{j}", context)
            if phases[j] == 1:
                solver.add(z >= 0, h == z)
            elif phases[j] == 0:
                solver.add(z <= 0, h == 0)
            else:
                solver.add(h == z3.If(z > 0, z, z3_rational(0, context)))
            nxt.append(h)
        current = nxt
    ys = [_affine_in(row, bias, current, context) for row, bias in zip(last.weight, last.bias, strict=True)]
    for r, (coefficients, constant, strict) in enumerate(rows):
        terms = [z3_rational(c, context) * y for c, y in zip(coefficients, ys, strict=True) if c != 0]
        if rows_x is not None:
            terms += [z3_rational(c, context) * x for c, x in zip(rows_x[r], xs, strict=True) if c != 0]
        total = z3.Sum(terms + [z3_rational(constant, context)])
        solver.add(total < 0 if strict else total <= 0)
    answer = solver.check()
    if answer == z3.sat:
        model = solver.model()
        point = []
        for x in xs:
            value = model.eval(x, model_completion=True)
            point.append(Fraction(value.numerator_as_long(), value.denominator_as_long()))
        return "sat", tuple(point)
    if answer == z3.unsat:
        return "unsat", None
    return "unknown", None


def _box_inputs(net: Network, box: Box, context: z3.Context, add: Callable[..., None]) -> list[z3.ArithRef]:
    """The input variables ``x_i``, with ``lo_i <= x_i <= hi_i`` added through ``add``."""
    xs = [z3.Real(f"x_{i}", context) for i in range(net.input_dim)]
    for x, (lo, hi) in zip(xs, box, strict=True):
        add(z3_rational(lo, context) <= x, x <= z3_rational(hi, context))
    return xs


def _affine_in(row: Sequence[Fraction], bias: Fraction, values: Sequence[z3.ArithRef], context: z3.Context) -> z3.ArithRef:
    terms = [z3_rational(w, context) * a for w, a in zip(row, values, strict=True) if w != 0]
    terms.append(z3_rational(bias, context))
    return z3.Sum(terms) if len(terms) > 1 else terms[0]


def maximize_in_region(
    net: Network, box: Box, pattern: Sequence[Sequence[int]], objective: Sequence[Fraction], rlimit: int
) -> tuple[Fraction, ...] | None:
    """A point of the closed activation region of ``pattern`` in ``box`` maximising ``objective · y``.

    Z3's exact optimiser (rational simplex) under a deterministic ``rlimit``; None when it gives up.
    On the closed region the network is the region's affine map, so the optimum is exact.
    """
    hidden, last = split_output_layer(net)
    context = z3.Context()
    optimizer = z3.Optimize(ctx=context)
    optimizer.set("rlimit", int(rlimit))
    xs = _box_inputs(net, box, context, optimizer.add)
    current: list[z3.ArithRef] = list(xs)
    for index, layer in enumerate(hidden):
        nxt: list[z3.ArithRef] = []
        for j, (row, bias) in enumerate(zip(layer.weight, layer.bias, strict=True)):
            z = _affine_in(row, bias, current, context)
            h = z3.Real(f"h_{index}_{j}", context)
            if pattern[index][j]:
                optimizer.add(z >= 0, h == z)
            else:
                optimizer.add(z <= 0, h == 0)
            nxt.append(h)
        current = nxt
    ys = [_affine_in(row, bias, current, context) for row, bias in zip(last.weight, last.bias, strict=True)]
    goal = z3.Sum([z3_rational(c, context) * y for c, y in zip(objective, ys, strict=True) if c != 0] + [z3_rational(0, context)])
    optimizer.maximize(goal)
    if optimizer.check() != z3.sat:
        return None
    model = optimizer.model()
    point = []
    for x in xs:
        value = model.eval(x, model_completion=True)
        if not z3.is_rational_value(value):
            return None
        point.append(Fraction(value.numerator_as_long(), value.denominator_as_long()))
    return tuple(point)
