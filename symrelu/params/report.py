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
from .polynomial import Polynomial
from .polytext import PolynomialTexts
from .problem import Problem
from .subdifferential import parameter_backprop_audit
from .trajectory import Trajectory


def _point(names: tuple[str, ...], point: tuple[Fraction, ...] | None) -> dict[str, str] | None:
    return None if point is None else {n: format_rational(v) for n, v in zip(names, point)}


class _Numbers:
    """``format_rational`` with each distinct value printed once (repeats share the string)."""

    def __init__(self) -> None:
        self._texts: dict[Fraction, str] = {}

    def __call__(self, value: Fraction) -> str:
        text = self._texts.get(value)
        if text is None:
            text = self._texts[value] = format_rational(value)
        return text

    def vector(self, values: tuple[Fraction, ...] | None) -> list[str] | None:
        return None if values is None else [self(v) for v in values]

    def point(self, names: tuple[str, ...], point: tuple[Fraction, ...] | None) -> dict[str, str] | None:
        return None if point is None else {n: self(v) for n, v in zip(names, point)}


def region_entry(
    r: ParameterRegion, names: tuple[str, ...], text: PolynomialTexts | None = None, number: _Numbers | None = None
) -> dict[str, Any]:
    """One region of the ``symrelu landscape --json`` document (``text`` and ``number``: shared strings)."""
    text = PolynomialTexts(names) if text is None else text
    number = _Numbers() if number is None else number
    gradient = r.gradient
    return {
        "pattern": r.pattern,
        "loss": text(r.loss),
        "gradient": [text(g) for g in gradient],
        "hessian": [[text(g.diff(k)) for k in range(len(names))] for g in gradient],
        "interior_point": number.point(names, r.interior_point),
    }


def landscape_payload(
    land: Landscape, kinks: tuple[Kink, ...], jobs: int = 1, client: Any = None, pool: TaskPool | None = None
) -> dict[str, Any]:
    """The ``symrelu landscape --json`` document; ``jobs``, a Dask ``client`` or an open ``pool``
    write the region entries in blocks (the same document).

    Landscapes repeat themselves (the same jump across many kinks, constant Hessians, the same
    coordinates): each distinct polynomial and number is printed once and its string shared.
    """
    names = land.problem.parameter_names
    text, number = PolynomialTexts(names), _Numbers()
    describe: dict[int, str] = {}
    equations: dict[str, str] = {}

    def equation(g: Polynomial) -> str:
        found = equations.get(g.fingerprint)
        if found is None:
            found = equations[g.fingerprint] = text(g) + " = 0"
        return found

    chosen = pool if pool is not None else make_pool(jobs, client)
    if chosen.workers() > 1 and len(land.regions) > 1:
        from .landscape_tasks import region_entries_split

        with chosen:
            regions = region_entries_split(land, chosen)
    else:
        regions = [region_entry(r, names, text, number) for r in land.regions]
    kink_list = []
    for k in kinks:
        at_witness = k.jump_at_witness
        dangerous_jump = at_witness if k.dangerous_witness == k.witness else k.dangerous_jump
        switches = []
        for s in k.switch_indices:
            if s not in describe:
                describe[s] = land.table.switches[s].describe()
            switches.append(describe[s])
        kink_list.append(
            {
                "below": k.below,
                "above": k.above,
                "switches": switches,
                "surface": equation(k.surface[0]),
                "jump": [text(j) for j in k.jump],
                "witness": number.point(names, k.witness),
                "jump_at_witness": number.vector(at_witness),
                "dangerous": k.dangerous,
                "dangerous_witness": number.point(names, k.dangerous_witness),
                "dangerous_jump": number.vector(dangerous_jump),
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
