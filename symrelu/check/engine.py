"""``check_property``: decide a VNN-LIB property on an exact network (sat / unsat / unknown).

Each disjunct of the property is searched by input-box branch and bound
(:mod:`symrelu.check.search`). With a parallel pool the disjunct's root box is tried
here first (one box, no split); when that does not decide it, the box is cut into sub-boxes; each sub-box is a task for a worker, and everything that comes back is
re-checked here, from scratch, by :func:`~symrelu.check.search.verify_outcome`: a
worker's answer is data, never a verdict. A network with other activations is searched through
its exact ReLU twin (:func:`~symrelu.relu_twin.relu_twin`); a witness is replayed on the network itself.

>>> from symrelu.network import Network
>>> from symrelu.check.vnnlib import parse_vnnlib
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])   # |x|
>>> text = "(declare-const X_0 Real)(declare-const Y_0 Real)(assert (>= X_0 -1))(assert (<= X_0 0.5))"
>>> found = check_property(net, parse_vnnlib(text + "(assert (>= Y_0 1))"))
>>> found.result, found.inputs, found.outputs
('sat', (Fraction(-1, 1),), (Fraction(1, 1),))
>>> check_property(net, parse_vnnlib(text + "(assert (> Y_0 1))")).result
'unsat'
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from ..errors import InputFormatError
from ..network import Network
from ..parallel import SerialPool, TaskPool, make_pool
from ..relu_twin import relu_twin
from .property import Disjunct, Property
from .search import BoxOutcome, BoxTask, search_box, verify_outcome

log = logging.getLogger(__name__)

DEFAULT_MAX_NODES = 200_000
"""Deterministic budget: boxes explored per disjunct before answering unknown."""


@dataclass(frozen=True)
class CheckResult:
    """``result`` is ``"sat"``, ``"unsat"`` or ``"unknown"``; a sat result carries the exact witness."""

    result: str
    inputs: tuple[Fraction, ...] | None = None
    outputs: tuple[Fraction, ...] | None = None
    reason: str = ""
    stats: dict[str, Any] = field(default_factory=dict)


def _rows(disjunct: Disjunct, prop: Property) -> tuple[tuple[Any, ...], tuple[tuple[Fraction, ...], ...]]:
    rows, rows_x = [], []
    for constraint in disjunct.constraints:
        x, y = constraint.dense(prop.inputs, prop.outputs)
        rows.append((y, constraint.constant, constraint.strict))
        rows_x.append(x)
    return tuple(rows), tuple(rows_x)


def _split(task: BoxTask, pieces: int) -> list[BoxTask]:
    """Cut the box into at least ``pieces`` boxes by halving the widest side (exact midpoints)."""
    boxes = [task.box]
    while len(boxes) < pieces:
        box = boxes.pop(0)
        dim = max(range(len(box)), key=lambda i: box[i][1] - box[i][0])
        lo, hi = box[dim]
        if lo == hi:
            boxes.append(box)
            break
        mid = (lo + hi) / 2
        boxes += [box[:dim] + ((lo, mid),) + box[dim + 1:], box[:dim] + ((mid, hi),) + box[dim + 1:]]
    return [BoxTask(task.net, task.rows, task.rows_x, box, task.max_nodes, task.rlimit, task.deadline) for box in boxes]


def check_property(
    net: Network,
    prop: Property,
    timeout: float | None = None,
    jobs: int = 1,
    client: Any = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    progress: Callable[[int], None] | None = None,
) -> CheckResult:
    """Decide whether some input reaches the property's unsafe set (see the module doc).

    ``timeout`` (seconds) is only an outer safety net that yields ``unknown``; ``max_nodes``
    is the deterministic budget. ``jobs`` local processes or a Dask ``client`` run sub-boxes.
    """
    net.require_concrete("property checking")
    searched = relu_twin(net)  # the same function with ReLUs only: what the relaxations handle
    prop.check_dimensions(net.input_dim, net.output_dim, net.source)
    if timeout is not None and not 0 < timeout <= 10**7:
        raise InputFormatError(f"timeout must be between 0 and 10^7 seconds, got {timeout!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise InputFormatError(f"the node budget must be a positive integer, got {max_nodes!r}")
    pool: TaskPool = make_pool(jobs, client)
    deadline = time.time() + timeout if timeout is not None else None
    stats: dict[str, Any] = {"disjuncts": len(prop.disjuncts), "nodes": 0, "certificates": 0, "z3_boxes": 0, "tasks": 0,
                             "pool": pool.describe()}
    unknown_reasons: list[str] = []
    for index, disjunct in enumerate(prop.disjuncts):
        if disjunct.empty_box or any(not c.terms and not c.holds((), ()) for c in disjunct.constraints):
            continue  # an empty box or a false constant constraint: nothing to search (checked exactly here)
        rows, rows_x = _rows(disjunct, prop)
        if not rows:
            center = tuple((lo + hi) / 2 for lo, hi in disjunct.box)
            return _sat(net, prop, center, stats)
        root = BoxTask(searched, rows, rows_x, disjunct.box, max_nodes, deadline=deadline)
        serial = isinstance(pool, SerialPool)
        probe = None
        if not serial:  # the root box alone, here: when one box decides it, no worker is needed
            probe = search_box(replace(root, max_nodes=1))
            serial = probe.status in ("sat", "unsat")
        tasks = [root] if serial else _split(root, 4 * max(jobs, pool.workers(), 2))
        stats["tasks"] += len(tasks)
        if probe is not None and serial:
            outcomes = [probe]
        elif serial:
            outcomes = [search_box(root, progress)]
        else:
            outcomes = pool.map(search_box, tasks, _nodes_so_far(stats["nodes"], progress))
        for task, outcome in zip(tasks, outcomes, strict=True):
            _count(stats, outcome)
            verdict = verify_outcome(task, outcome) if not serial else outcome.status
            if verdict == "sat" and outcome.witness is not None:
                return _sat(net, prop, outcome.witness, stats)
            if verdict != "unsat":
                reason = outcome.reason or "a worker's certificate did not survive the exact re-check"
                unknown_reasons.append(f"disjunct {index}: {reason}")
        if progress is not None:
            progress(stats["nodes"])
    if unknown_reasons:
        return CheckResult("unknown", reason="; ".join(unknown_reasons[:3]), stats=stats)
    return CheckResult("unsat", stats=stats)


def _nodes_so_far(before: int, progress: Callable[[int], None] | None) -> Callable[[int, BoxOutcome], None] | None:
    """A pool's ``done``: reports the boxes explored so far as each sub-box finishes."""
    if progress is None:
        return None
    total = [before]

    def done(_: int, outcome: BoxOutcome) -> None:
        total[0] += int(outcome.stats.get("nodes", 0))
        progress(total[0])

    return done


def _count(stats: dict[str, Any], outcome: BoxOutcome) -> None:
    for key in ("nodes", "certificates", "z3_boxes"):
        stats[key] += int(outcome.stats.get(key, 0))


def _sat(net: Network, prop: Property, x: tuple[Fraction, ...], stats: dict[str, Any]) -> CheckResult:
    """Replay the witness through the exact network and re-check every constraint in rationals."""
    y = net.evaluate(x)
    if prop.holds(x, y) is None:
        return CheckResult("unknown", reason="a candidate counterexample failed the exact replay", stats=stats)
    return CheckResult("sat", x, y, stats=stats)
