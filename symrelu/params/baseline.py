"""The peer to beat: a plain depth-first search asking Z3 about every pattern prefix.

Exact but naive: a fresh solver and one query per child, no witness reuse.
Used by the benchmark and as an independent cross-check in tests.

>>> from symrelu.params.examples import paper_instance
>>> patterns, calls = plain_z3_dfs(paper_instance())
>>> sorted(patterns), calls
(['00', '01', '10', '11'], 6)
"""

from __future__ import annotations

import z3

from ..errors import SolverError
from .problem import Problem
from .switches import Bits, SwitchTable
from .z3tools import make_solver, real_vars, sign_constraint, z3_box


def plain_z3_dfs(problem: Problem, timeout_ms: int | None = 60_000) -> tuple[list[str], int]:
    """Patterns of all non-empty regions (inside the domain), and the number of Z3 queries."""
    table = SwitchTable(problem)
    variables = real_vars(problem.parameter_names)
    box = z3_box(variables, problem.domain)
    found: list[str] = []
    calls = 0

    def visit(bits: Bits, constraints: list[z3.BoolRef]) -> None:
        nonlocal calls
        if len(bits) == table.size:
            found.append(table.format_pattern(bits))
            return
        g = table.polynomial(len(bits), bits)
        if g.is_zero:
            visit(bits + (0,), constraints)
            return
        for bit in (0, 1):
            child = constraints + [sign_constraint(g, 1 if bit else -1, variables)]
            solver = make_solver(problem.is_linear, timeout_ms)
            solver.add(*box, *child)
            calls += 1
            answer = solver.check()
            if answer == z3.unknown:
                raise SolverError(f"Z3 gave up on a pattern query ({solver.reason_unknown()})")
            if answer == z3.sat:
                visit(bits + (bit,), child)

    visit((), [])
    return sorted(found), calls
