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
from .engine.artifacts import summary, write_artifacts
from .engine.obligation import Obligation
from .engine.registry import CheckContext, CheckNotImplementedError, CheckSpec, default_registry, with_checks
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
