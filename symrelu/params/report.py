"""JSON payloads (rationals and polynomials as strings) for the parameter-space commands.

>>> from symrelu.params.examples import paper_instance
>>> out = clarke_report(paper_instance(), {"w1": "0", "w2": "0"}, 1)
>>> out["vertices"], out["backprop"], out["backprop_in_clarke"]
([[['-1', '-1']], [['-1', '0']], [['0', '-1']], [['0', '0']]], [['-1', '-1']], True)
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from ..exact import format_rational, format_vector
from ..parallel import TaskPool, make_pool
from .kinks import Kink
from .landscape import Landscape, ParameterRegion
from .polytext import polynomial_text
from .problem import Problem
from .subdifferential import parameter_backprop_audit
from .trajectory import Trajectory


def _point(names: tuple[str, ...], point: tuple[Fraction, ...] | None) -> dict[str, str] | None:
    return None if point is None else {n: format_rational(v) for n, v in zip(names, point)}


def region_entry(r: ParameterRegion, names: tuple[str, ...]) -> dict[str, Any]:
    """One region of the ``symrelu landscape --json`` document."""
    gradient = r.gradient
    return {
        "pattern": r.pattern,
        "loss": polynomial_text(r.loss, names),
        "gradient": [polynomial_text(g, names) for g in gradient],
        "hessian": [[polynomial_text(g.diff(k), names) for k in range(len(names))] for g in gradient],
        "interior_point": _point(names, r.interior_point),
    }


def landscape_payload(
    land: Landscape, kinks: tuple[Kink, ...], jobs: int = 1, client: Any = None, pool: TaskPool | None = None
) -> dict[str, Any]:
    """The ``symrelu landscape --json`` document; ``jobs``, a Dask ``client`` or an open ``pool``
    write the region entries in blocks (the same document)."""
    names = land.problem.parameter_names
    chosen = pool if pool is not None else make_pool(jobs, client)
    if chosen.workers() > 1 and len(land.regions) > 1:
        from .landscape_tasks import region_entries_split

        with chosen:
            regions = region_entries_split(land, chosen)
    else:
        regions = [region_entry(r, names) for r in land.regions]
    kink_list = []
    for k in kinks:
        at_witness = k.jump_at_witness
        dangerous_jump = at_witness if k.dangerous_witness == k.witness else k.dangerous_jump
        kink_list.append(
            {
                "below": k.below,
                "above": k.above,
                "switches": [land.table.switches[s].describe() for s in k.switch_indices],
                "surface": polynomial_text(k.surface[0], names) + " = 0",
                "jump": [polynomial_text(j, names) for j in k.jump],
                "witness": _point(names, k.witness),
                "jump_at_witness": None if at_witness is None else format_vector(at_witness),
                "dangerous": k.dangerous,
                "dangerous_witness": _point(names, k.dangerous_witness),
                "dangerous_jump": None if dangerous_jump is None else format_vector(dangerous_jump),
            }
        )
    return {
        "parameters": list(names),
        "count": len(regions),
        "method": land.method,
        "domain": None
        if land.problem.domain is None
        else {n: format_vector(iv) for n, iv in zip(names, land.problem.domain)},
        "regions": regions,
        "kinks": kink_list,
        "dangerous_kinks": sum(1 for k in kinks if k.dangerous),
    }


def clarke_report(problem: Problem, point: Mapping[str, object], s: object = 0, where: str = "point") -> dict[str, Any]:
    """The ``symrelu clarke PROBLEM --at ...`` payload: each vertex (and backprop) as a one-row Jacobian.

    ``where`` names the point in error messages."""
    audit = parameter_backprop_audit(problem, problem.point(point, where), s)
    names = problem.parameter_names
    return {
        "parameters": list(names),
        "point": _point(names, audit.point),
        "relu_prime_at_zero": format_rational(audit.relu_grad_at_zero),
        "active_patterns": list(audit.clarke.active_patterns),
        "vertices": [[format_vector(v)] for v in audit.clarke.vertices],
        "backprop": [format_vector(audit.backprop)],
        "backprop_in_clarke": audit.in_clarke,
        "convex_weights": None if audit.weights is None else format_vector(audit.weights),
        "loss": format_rational(problem.loss_at(audit.point)),
    }


def trajectory_payload(run: Trajectory) -> dict[str, Any]:
    names = run.problem.parameter_names
    return {
        "rule": run.rule.name,
        "lr": format_rational(run.lr),
        "steps": [
            {
                "t": s.t,
                "theta": _point(names, s.theta),
                "loss": format_rational(s.loss),
                "pattern": s.pattern,
                "on_kink": s.on_kink,
                "kink_distance_sq": format_rational(s.kink_distance_sq) if s.kink_distance_sq >= 0 else None,
                "distance": "exact" if s.distance_exact else "lower_bound",
                "crossed": s.crossed,
                "direction": format_vector(s.direction),
            }
            for s in run.steps
        ],
        "touched_kink": run.touched_kink,
        "crossings": list(run.crossings),
    }
