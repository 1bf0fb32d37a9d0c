"""Verification: obligations, two solvers, three-valued verdicts, and the checks.

The folders follow the pipeline: ``encodings/`` turns networks, losses and regions into exact
formulas; ``engine/`` builds obligations, runs them on both solvers within deterministic budgets,
replays models exactly and folds the answers into verdicts and artifacts; ``checks/`` holds one
module per check that ``symrelu verify`` runs.

>>> from symrelu.verify import Verdict, gd_amplification_unbounded
>>> gd_amplification_unbounded().verdict is Verdict.PROVED
True
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .checks.clarke_bound import clarke_bound
    from .checks.gradient_lipschitz import no_global_gradient_lipschitz
    from .checks.hessian_bound import hessian_bound
    from .checks.input_lipschitz import input_lipschitz
    from .checks.kink_families import (
        no_global_gradient_lipschitz_at_kink,
        no_global_gradient_lipschitz_family,
        no_global_gradient_lipschitz_instance,
    )
    from .checks.leaky_family import no_global_gradient_lipschitz_leaky_family
    from .checks.lipschitz_on_domain import lipschitz_on_domain
    from .checks.stability import gd_amplification_unbounded, subgradient_stability_bound
    from .engine.registry import CheckContext, CheckNotImplementedError, CheckSpec, default_registry, with_checks
from .engine.artifacts import summary, write_artifacts
from .engine.obligation import Obligation
from .engine.runner import ObligationOutcome, Replayed, Runner
from .engine.solvers import Backend, Cvc5Backend, SolverAnswer, UnavailableBackend, Z3Backend, default_backends
from .engine.verdict import CheckResult, Verdict

__all__ = [
    "Backend",
    "CheckContext",
    "CheckNotImplementedError",
    "CheckResult",
    "CheckSpec",
    "Cvc5Backend",
    "Obligation",
    "ObligationOutcome",
    "Replayed",
    "Runner",
    "SolverAnswer",
    "UnavailableBackend",
    "Verdict",
    "Z3Backend",
    "default_backends",
    "default_registry",
    "clarke_bound",
    "gd_amplification_unbounded",
    "hessian_bound",
    "input_lipschitz",
    "lipschitz_on_domain",
    "no_global_gradient_lipschitz",
    "no_global_gradient_lipschitz_at_kink",
    "no_global_gradient_lipschitz_family",
    "no_global_gradient_lipschitz_instance",
    "no_global_gradient_lipschitz_leaky_family",
    "subgradient_stability_bound",
    "summary",
    "with_checks",
    "write_artifacts",
]

_LAZY = {
    "clarke_bound": "checks.clarke_bound",
    "no_global_gradient_lipschitz": "checks.gradient_lipschitz",
    "hessian_bound": "checks.hessian_bound",
    "input_lipschitz": "checks.input_lipschitz",
    "no_global_gradient_lipschitz_at_kink": "checks.kink_families",
    "no_global_gradient_lipschitz_family": "checks.kink_families",
    "no_global_gradient_lipschitz_instance": "checks.kink_families",
    "no_global_gradient_lipschitz_leaky_family": "checks.leaky_family",
    "lipschitz_on_domain": "checks.lipschitz_on_domain",
    "gd_amplification_unbounded": "checks.stability",
    "subgradient_stability_bound": "checks.stability",
    **dict.fromkeys(("CheckContext", "CheckNotImplementedError", "CheckSpec", "default_registry", "with_checks"),
                    "engine.registry"),
}
"""Name -> its module, imported on first use: the checks (and the registry of them) import SymPy, which a
solver worker (``python -m symrelu.verify.engine.workers``, one per isolated run) never needs."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
