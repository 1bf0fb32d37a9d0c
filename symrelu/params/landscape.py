"""Enumerate the activation regions of the loss in parameter space θ.

Depth-first over switches (data point × neuron). Each node keeps an exact
rational interior point; a child whose sign agrees with that point inherits it
with no solver call, so only the other child is examined. When every
pre-activation is affine in θ that question is decided by exact polyhedra
(ppl, no solver: the polyhedral path); otherwise Z3 answers in QF_NRA
(incrementally, with push/pop) and every "empty" is confirmed by cvc5. Every
region's interior point is replayed on the concrete network before it counts.

>>> from symrelu.params.problem import load_problem
>>> from symrelu.params.examples import paper_instance
>>> land = enumerate_parameter_regions(paper_instance())
>>> [r.pattern for r in land.regions], land.method
(['00', '01', '10', '11'], 'polyhedral')
>>> land.region("11").sympy_hessian.tolist()
[[1, 1], [1, 1]]
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import sympy
import z3
from tqdm import tqdm

from ..errors import SolverError, TooLargeError
from ..parallel import TaskPool, make_pool
from ..validation import check_count
from .polyhedra import AffineSystem
from .polynomial import Polynomial
from .problem import Point, Problem
from .switches import Bits, SwitchTable
from .z3tools import (
    confirm_unsat,
    in_open_box,
    make_solver,
    rational_point,
    real_vars,
    sign_constraint,
    strictly_satisfies,
    z3_box,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_REGIONS = 10_000
MAX_PARAMETERS = 24
"""Largest number of trainable parameters the parameter-space enumeration accepts (checked before any work)."""

Constraint = tuple[int, Polynomial, int]
"""``(switch index, polynomial, sign)``: the region needs ``sign * polynomial > 0``."""
Node = tuple[Bits, Point, list[Constraint]]
"""A node of the enumeration tree: the bits decided so far, an exact interior point, their constraints."""


@dataclass(frozen=True)
class ParameterRegion:
    """One non-empty open region: its pattern, constraints, selection loss and an interior point."""

    bits: Bits
    pattern: str
    interior_point: Point
    constraints: tuple[Constraint, ...]
    loss: Polynomial
    parameters: tuple[sympy.Symbol, ...]

    @property
    def gradient(self) -> tuple[Polynomial, ...]:
        return self.loss.gradient()

    @property
    def hessian(self) -> tuple[tuple[Polynomial, ...], ...]:
        return self.loss.hessian()

    @cached_property
    def sympy_loss(self) -> sympy.Expr:
        """The selection function as a SymPy polynomial."""
        return sympy.expand(self.loss.to_sympy(self.parameters))

    @cached_property
    def sympy_gradient(self) -> sympy.Matrix:
        return sympy.Matrix([sympy.diff(self.sympy_loss, p) for p in self.parameters])

    @cached_property
    def sympy_hessian(self) -> sympy.Matrix:
        return sympy.hessian(self.sympy_loss, self.parameters)

    def contains(self, point: Point) -> bool:
        """Exact test: ``point`` lies in this open region."""
        return strictly_satisfies(point, [(g, s) for _, g, s in self.constraints])


@dataclass(frozen=True)
class Landscape:
    """All non-empty regions (sorted by pattern) of a problem, inside its domain."""

    problem: Problem
    regions: tuple[ParameterRegion, ...]
    method: str
    solver_calls: int
    table: SwitchTable = field(compare=False, repr=False)

    @property
    def parameters(self) -> tuple[sympy.Symbol, ...]:
        return self.problem.parameters

    def region(self, pattern: str) -> ParameterRegion:
        for region in self.regions:
            if region.pattern == pattern:
                return region
        raise KeyError(f"no region with pattern {pattern!r}")

    def by_bits(self) -> dict[Bits, ParameterRegion]:
        return {r.bits: r for r in self.regions}


def _start_point(problem: Problem) -> Point:
    if problem.domain is None:
        return tuple(Fraction(0) for _ in problem.parameters)
    return tuple((lo + hi) / 2 for lo, hi in problem.domain)


class _Enumerator:
    def __init__(self, problem: Problem, max_regions: int, timeout_ms: int | None, progress: bool | None) -> None:
        self.problem = problem
        self.table = SwitchTable(problem)
        self.linear = problem.is_linear
        self.nvars = len(problem.parameters)
        # affine switches: exact polyhedra decide every child, no solver is built
        self.system = AffineSystem(self.nvars, problem.domain) if self.linear else None
        self.vars = [] if self.linear else real_vars(problem.parameter_names)
        self.solver = None if self.linear else make_solver(self.linear, timeout_ms)
        if self.solver is not None:
            self.solver.add(*z3_box(self.vars, problem.domain))
        self.max_regions = max_regions
        self.found: list[tuple[Bits, Point, tuple[Constraint, ...]]] = []
        self.calls = 0
        show = sys.stderr.isatty() if progress is None else progress
        self.bar = tqdm(desc="regions", unit="region", disable=not show, leave=False)

    def feasible(self, constraints: list[Constraint]) -> Point | None:
        """An exact interior point of the child region, or None when it is empty.

        Affine switches: exact polyhedra (ppl), no solver, after an exact test of the new
        constraint against the parallel ones (most empty children end there). Otherwise Z3 (the
        current scope already holds ``constraints``) proposes, a point is checked
        exactly, and an ``unsat`` is confirmed by cvc5 before the child is dropped.
        """
        self.calls += 1
        if self.system is not None:
            pairs = [(g, s) for _, g, s in constraints]
            # the new constraint against its parallel ones and the box: an exact "empty" with no ppl
            if self.system.contradicts(pairs[:-1], pairs[-1]):
                return None
            return self.system.interior_point(pairs)
        assert self.solver is not None
        answer = self.solver.check()
        if answer == z3.unsat:
            confirm_unsat(self.solver, "an empty parameter-space region")
            return None
        if answer != z3.sat:
            raise SolverError(
                f"Z3 answered {answer} ({self.solver.reason_unknown()}) on a region query; "
                "raise the timeout or shrink the problem"
            )
        pairs = [(g, s) for _, g, s in constraints]
        point = rational_point(
            self.solver.model(),
            self.vars,
            lambda p: strictly_satisfies(p, pairs) and in_open_box(p, self.problem.domain),
        )
        if point is None:
            raise SolverError("Z3 reported a non-empty region but no exact rational interior point was found")
        return point

    def run(self) -> None:
        self.visit((), _start_point(self.problem), [])
        self.bar.close()

    def visit(self, bits: Bits, witness: Point, constraints: list[Constraint]) -> None:
        depth = len(bits)
        if depth == self.table.size:
            if len(self.found) >= self.max_regions:
                raise TooLargeError(
                    f"more than {self.max_regions} regions; raise max_regions=N or shrink the problem",
                    partial=len(self.found),
                )
            self.found.append((bits, witness, tuple(constraints)))
            self.bar.update(1)
            return
        for child in self.children(bits, witness, constraints):
            self.visit(*child)

    def children(self, bits: Bits, witness: Point, constraints: list[Constraint]) -> Iterator[Node]:
        """The non-empty children of a node below the leaves, in depth-first order (0 before 1).

        On the nonlinear path the solver scope holds a child's constraint while that child is
        being visited (a generator: the caller's work happens between push and pop).
        """
        depth = len(bits)
        g = self.table.polynomial(depth, bits)
        if g.is_zero:
            yield bits + (0,), witness, constraints
            return
        value = g(witness)
        for bit in (0, 1):
            sign = 1 if bit else -1
            if sign * value <= 0 and g.is_constant:
                continue
            child = constraints + [(depth, g, sign)]
            if self.solver is not None:
                self.solver.push()
                self.solver.add(sign_constraint(g, sign, self.vars))
            # a child on the witness's side inherits it: no solver call
            point = witness if sign * value > 0 else self.feasible(child)
            if point is not None:
                yield bits + (bit,), point, child
            if self.solver is not None:
                self.solver.pop()


def enumerate_parameter_regions(
    problem: Problem,
    max_regions: int = DEFAULT_MAX_REGIONS,
    timeout_ms: int | None = 60_000,
    progress: bool | None = None,
    jobs: int = 1,
    client: Any = None,
    pool: TaskPool | None = None,
) -> Landscape:
    """All non-empty regions of ``problem`` (inside its domain), sorted by pattern.

    Raises :class:`TooLargeError` beyond ``max_regions`` and :class:`SolverError`
    if Z3 cannot decide a region. ``jobs=N`` local processes, a Dask ``client``, or an open
    ``pool`` (:mod:`symrelu.parallel`) grow the subtrees below the first levels of switches as
    independent tasks on the polyhedral path (:mod:`.landscape_tasks`); the result is the serial
    one, region for region and witness for witness. The nonlinear path stays in this process:
    Z3's models depend on the history of its queries.
    """
    check_count(max_regions, "max_regions", error=TooLargeError)
    count = len(problem.parameters)
    if count > MAX_PARAMETERS:
        raise TooLargeError(
            f"{problem.network.source}: {count} trainable parameters is too many for the exact parameter-space "
            f"enumeration (at most {MAX_PARAMETERS}; its regions grow exponentially with switches and each needs "
            "exact real algebra); write most weights as numbers so that few stay trainable, use fewer data points, "
            "or use the verify check that needs no enumeration (checks=lipschitz_on_domain)"
        )
    job = _Enumerator(problem, max_regions, timeout_ms, progress)
    chosen = pool if pool is not None else make_pool(jobs, client)
    if job.linear and chosen.workers() > 1:
        from .landscape_tasks import grow_split

        with chosen:
            grow_split(job, chosen)
    else:
        job.run()
    table = job.table
    regions = []
    for bits, point, constraints in job.found:
        replayed, zeros = table.pattern_at(point)
        constrained = {index for index, _, _ in constraints}
        if replayed != bits or constrained.intersection(zeros):
            raise SolverError(
                f"witness {point} of pattern {table.format_pattern(bits)} replays to "
                f"{table.format_pattern(replayed)}; refusing an unconfirmed region"
            )
        regions.append(
            ParameterRegion(
                bits=bits,
                pattern=table.format_pattern(bits),
                interior_point=point,
                constraints=constraints,
                loss=table.selection_loss(bits),
                parameters=problem.parameters,
            )
        )
    regions.sort(key=lambda r: r.pattern)
    method = "polyhedral" if job.linear else "nonlinear"
    log.info("%d regions by the %s path with %d solver calls", len(regions), method, job.calls)
    return Landscape(problem, tuple(regions), method, job.calls, table)
