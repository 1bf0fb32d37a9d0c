"""Exact minimum and maximum of each output over a box, with an input attaining each.

For output ``j`` and the maximum: the best of a few candidate points (exact values) is
pushed to a vertex of its activation region by Z3's exact optimiser; then the property
``y_j > v`` is decided by the exact branch and bound. ``unsat`` proves ``v`` is the
maximum; ``sat`` gives a better point, whose region is optimised in turn (finitely
many regions, so this ends). The minimum is the maximum of ``-y_j``.

>>> from fractions import Fraction as F
>>> from symrelu.network import Network
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])   # |x|
>>> (b,) = output_bounds(net, ((F(-1), F(1, 2)),))
>>> b.minimum, b.argmin, b.maximum, b.argmax
(Fraction(0, 1), (Fraction(0, 1),), Fraction(1, 1), (Fraction(-1, 1),))
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from ..errors import SolverError
from ..network import Network
from ..relu_twin import relu_twin
from ..validation import check_box
from .certificate import Box
from .engine import DEFAULT_MAX_NODES
from .leaf import maximize_in_region
from .search import Z3_RLIMIT, BoxTask, search_box

MAX_ROUNDS = 1000
"""Region-improvement rounds per bound before giving up (each strictly improves the value)."""


@dataclass(frozen=True)
class OutputBound:
    """Exact ``minimum`` and ``maximum`` of one output over the box, and inputs attaining them."""

    output: int
    minimum: Fraction
    argmin: tuple[Fraction, ...]
    maximum: Fraction
    argmax: tuple[Fraction, ...]


def _candidates(box: Box) -> list[tuple[Fraction, ...]]:
    points = [tuple((lo + hi) / 2 for lo, hi in box)]
    if len(box) <= 6:
        points += list(itertools.product(*box))
    return points


def _maximum(net: Network, box: Box, objective: tuple[Fraction, ...], max_nodes: int) -> tuple[Fraction, tuple[Fraction, ...]]:
    def value(x: tuple[Fraction, ...]) -> Fraction:
        return sum((c * y for c, y in zip(objective, net.evaluate(x), strict=True)), Fraction(0))

    point = max(_candidates(box), key=value)
    for _ in range(MAX_ROUNDS):
        improved = maximize_in_region(net, box, net.pattern(point), objective, Z3_RLIMIT)
        if improved is not None and value(improved) >= value(point):
            point = improved
        best = value(point)
        # unsafe set: objective·y > best, i.e. -objective·y + best < 0
        row = (tuple(-c for c in objective), best, True)
        task = BoxTask(net, (row,), ((Fraction(0),) * net.input_dim,), box, max_nodes)
        outcome = search_box(task)
        if outcome.status == "unsat":
            return best, point
        if outcome.status != "sat" or outcome.witness is None or value(outcome.witness) <= best:
            raise SolverError(f"could not decide whether output bound {best} is exact ({outcome.reason or 'no proof'})")
        point = outcome.witness
    raise SolverError(f"no exact bound after {MAX_ROUNDS} region improvements")


def output_bounds(net: Network, box: Box, max_nodes: int = DEFAULT_MAX_NODES) -> tuple[OutputBound, ...]:
    """Exact min and max of every output of ``net`` over ``box`` (see the module doc)."""
    net.require_concrete("output bounds")
    box = check_box(net, box, interior=False)  # the closed box: a single point is answered exactly
    searched = relu_twin(net)  # other activations: the exact ReLU twin, witnesses replayed on ``net``
    results = []
    for j in range(net.output_dim):
        unit = tuple(Fraction(int(k == j)) for k in range(net.output_dim))
        high, argmax = _maximum(searched, box, unit, max_nodes)
        low, argmin = _maximum(searched, box, tuple(-c for c in unit), max_nodes)
        if net.evaluate(argmax)[j] != high or net.evaluate(argmin)[j] != -low:
            raise SolverError(f"output {j}: a bound's witness does not replay on {net.source}")
        results.append(OutputBound(j, -low, argmin, high, argmax))
    return tuple(results)
