"""Branch and bound over the input box for one disjunct: floats guide, every closed box is exact.

:func:`search_box` runs on a :class:`BoxTask` (it is what a worker process or a Dask
worker runs) and returns a :class:`BoxOutcome`: a split tree whose every leaf carries
its exact evidence (certificate multipliers, or a Z3 ``unsat`` on the box), or a
counterexample that was replayed exactly, or ``unknown`` with the reason.
:func:`verify_outcome` re-checks an outcome from scratch; the engine calls it on
whatever comes back from another process.

Tree nodes: ``("cert", multipliers)``, ``("z3",)``, ``("split", dim, mid, low, high)``;
``low`` covers ``box[dim] = [lo, mid]``, ``high`` covers ``[mid, hi]``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..network import Network
from .certificate import Box, BoxCertificate, ExactModel, SpecRow
from .crown import crown_phases
from .floatbounds import FloatModel, guide_float, row_minimum
from .leaf import decide_box

log = logging.getLogger(__name__)

Tree = tuple[Any, ...]
Z3_UNSTABLE = 6
"""Hand a box to Z3 once bound propagation leaves at most this many neurons unstable."""
MAX_DEPTH = 60
"""Beyond this many splits a box goes to Z3 whatever its unstable count."""
Z3_RLIMIT = 20_000_000
"""Deterministic Z3 resource limit per box."""


@dataclass(frozen=True)
class BoxTask:
    """Everything a worker needs: the exact network, the rows to refute, a box, deterministic budgets."""

    net: Network
    rows: tuple[SpecRow, ...]
    rows_x: tuple[tuple[Fraction, ...], ...]
    box: Box
    max_nodes: int
    rlimit: int = Z3_RLIMIT
    deadline: float | None = None


@dataclass(frozen=True)
class BoxOutcome:
    """``status`` is ``unsat`` (with ``tree``), ``sat`` (with ``witness``) or ``unknown`` (with ``reason``)."""

    status: str
    tree: Tree | None = None
    witness: tuple[Fraction, ...] | None = None
    reason: str = ""
    stats: dict[str, int] = field(default_factory=dict)


class _Stop(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Found(Exception):
    def __init__(self, point: tuple[Fraction, ...]) -> None:
        super().__init__("counterexample")
        self.point = point


def rows_hold(task: BoxTask, x: Sequence[Fraction]) -> bool:
    """Exact replay: ``x`` in the box and every row satisfied by the exact network output."""
    if any(not lo <= v <= hi for v, (lo, hi) in zip(x, task.box, strict=True)):
        return False
    y = task.net.evaluate(x)
    for (coefficients, constant, strict), cx in zip(task.rows, task.rows_x, strict=True):
        total = constant + sum((c * v for c, v in zip(coefficients, y, strict=True)), Fraction(0))
        total += sum((c * v for c, v in zip(cx, x, strict=True)), Fraction(0))
        if (total >= 0) if strict else (total > 0):
            return False
    return True


class _Searcher:
    def __init__(self, task: BoxTask, progress: Callable[[int], None] | None) -> None:
        self.task = task
        self.exact = ExactModel.build(task.net, task.rows, task.rows_x)
        rows_y = np.array([[guide_float(c) for c in row[0]] for row in task.rows])
        constants = np.array([guide_float(row[1]) for row in task.rows])
        rows_x = np.array([[guide_float(c) for c in r] for r in task.rows_x])
        self.float = FloatModel.from_network(task.net, rows_y, constants, rows_x)
        self.progress = progress
        self.stats = {"nodes": 0, "certificates": 0, "z3_boxes": 0, "exact_checks": 0, "max_depth": 0}

    def run(self) -> BoxOutcome:
        try:
            tree = self.node(self.task.box, 0)
        except _Found as found:
            return BoxOutcome("sat", witness=found.point, stats=self.stats)
        except _Stop as stop:
            return BoxOutcome("unknown", reason=stop.reason, stats=self.stats)
        return BoxOutcome("unsat", tree=tree, stats=self.stats)

    def node(self, box: Box, depth: int) -> Tree:
        stats = self.stats
        stats["nodes"] += 1
        stats["max_depth"] = max(stats["max_depth"], depth)
        if self.progress is not None and stats["nodes"] % 16 == 0:
            self.progress(stats["nodes"])
        if stats["nodes"] > self.task.max_nodes:
            raise _Stop(f"node budget of {self.task.max_nodes} boxes exhausted")
        if self.task.deadline is not None and time.time() > self.task.deadline:
            raise _Stop("timeout")
        lo = np.array([guide_float(a) for a, _ in box])
        hi = np.array([guide_float(b) for _, b in box])
        center = tuple((a + b) / 2 for a, b in box)
        with np.errstate(all="ignore"):  # beyond float range the guide holds inf/nan: it only guides
            rows, unstable = self.float.candidate_rows(lo, hi)
            mins = row_minimum(rows, lo, hi)
            best = int(np.argmax(mins))
            scale = 1e-9 * (1.0 + float(np.abs(rows[best]).sum()))
        if mins[best] > -scale and self.certify(box, best):
            return ("cert", self.unit(best))
        with np.errstate(all="ignore"):
            crown, unstable = self.float.crown_rows(lo, hi)  # fewer unstable neurons than the forward count
            crown_mins = row_minimum(crown, lo, hi)
            best = int(np.argmax(crown_mins))
        if crown_mins[best] > -scale and self.certify(box, 2 * len(self.task.rows) + best):
            return ("cert", self.unit(2 * len(self.task.rows) + best))
        if crown_mins[best] > mins.max():
            rows = crown
        with np.errstate(all="ignore"):
            guess = self.float.evaluate(np.array([guide_float(v) for v in center]))
        if np.all(guess <= scale) and rows_hold(self.task, center):
            raise _Found(center)
        if unstable <= Z3_UNSTABLE or depth >= MAX_DEPTH:
            return self.z3_leaf(box)
        dim = self.split_dimension(rows, mins, lo, hi)
        mid = (box[dim][0] + box[dim][1]) / 2
        low = self.node(_with(box, dim, (box[dim][0], mid)), depth + 1)
        high = self.node(_with(box, dim, (mid, box[dim][1])), depth + 1)
        return ("split", dim, mid, low, high)

    def unit(self, index: int) -> tuple[int, ...]:
        return tuple(int(k == index) for k in range(self.exact.row_count))

    def certify(self, box: Box, index: int) -> bool:
        """Exactly check the certificate that uses candidate row ``index`` alone."""
        self.stats["exact_checks"] += 1
        if self.exact.check(BoxCertificate(box, self.unit(index))).proved:
            self.stats["certificates"] += 1
            return True
        return False

    def split_dimension(self, rows: np.ndarray, mins: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> int:
        """The input whose width moves the candidate bounds most (summed over all rows)."""
        with np.errstate(all="ignore"):
            influence = np.abs(rows[:, :-1]).sum(axis=0) * (hi - lo)
            if not np.any(influence > 0):
                influence = hi - lo
            return int(np.argmax(influence))

    def z3_leaf(self, box: Box) -> Tree:
        self.stats["z3_boxes"] += 1
        answer, point = decide_box(self.task.net, box, self.task.rows, crown_phases(self.exact, box), self.task.rlimit, self.task.rows_x)
        if answer == "sat" and point is not None and rows_hold(self.task, point):
            raise _Found(point)
        if answer == "unsat":
            return ("z3",)
        raise _Stop(f"Z3 gave {answer} on a box within its rlimit of {self.task.rlimit}")


def _with(box: Box, dim: int, interval: tuple[Fraction, Fraction]) -> Box:
    return box[:dim] + (interval,) + box[dim + 1:]


def search_box(task: BoxTask, progress: Callable[[int], None] | None = None) -> BoxOutcome:
    """Decide ``task`` (module-level, so process pools and Dask can run it)."""
    return _Searcher(task, progress).run()


def verify_outcome(task: BoxTask, outcome: BoxOutcome) -> str:
    """Re-check an outcome exactly, trusting nothing in it; the verdict it supports, else ``unknown``."""
    if outcome.status == "sat":
        witness = outcome.witness
        if witness is None or len(witness) != task.net.input_dim or not all(isinstance(v, Fraction) for v in witness):
            return "unknown"
        return "sat" if rows_hold(task, witness) else "unknown"
    if outcome.status != "unsat" or outcome.tree is None:
        return "unknown"
    exact = ExactModel.build(task.net, task.rows, task.rows_x)
    pending: list[tuple[Box, Tree]] = [(task.box, outcome.tree)]
    while pending:
        box, tree = pending.pop()
        if not isinstance(tree, tuple) or not tree:
            return "unknown"
        if tree[0] == "cert" and len(tree) == 2:
            if not exact.check(BoxCertificate(box, tuple(tree[1]))).proved:
                return "unknown"
        elif tree[0] == "z3" and len(tree) == 1:
            answer, _ = decide_box(task.net, box, task.rows, crown_phases(exact, box), task.rlimit, task.rows_x)
            if answer != "unsat":
                return "unknown"
        elif tree[0] == "split" and len(tree) == 5:
            _, dim, mid, low, high = tree
            if not isinstance(dim, int) or not 0 <= dim < len(box) or not isinstance(mid, Fraction):
                return "unknown"
            if not box[dim][0] <= mid <= box[dim][1]:
                return "unknown"
            pending.append((_with(box, dim, (box[dim][0], mid)), low))
            pending.append((_with(box, dim, (mid, box[dim][1])), high))
        else:
            return "unknown"
    return "unsat"
