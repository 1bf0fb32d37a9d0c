"""The verification engine: obligations, two solvers, three-valued verdicts, and the checks.

>>> from symrelu.verify import Verdict, gd_amplification_unbounded
>>> gd_amplification_unbounded().verdict is Verdict.PROVED
True
"""

from __future__ import annotations

from .artifacts import summary, write_artifacts
from .clarke_bound import clarke_bound
from .domain_lipschitz import lipschitz_on_domain
from .gradient_lipschitz import no_global_gradient_lipschitz
from .hessian import hessian_bound
from .kinks import (
    no_global_gradient_lipschitz_at_kink,
    no_global_gradient_lipschitz_family,
    no_global_gradient_lipschitz_instance,
)
from .lipschitz import input_lipschitz
from .obligation import Obligation
from .registry import CheckContext, CheckNotImplementedError, CheckSpec, default_registry, with_checks
from .runner import ObligationOutcome, Replayed, Runner
from .solvers import Backend, Cvc5Backend, SolverAnswer, UnavailableBackend, Z3Backend, default_backends
from .stability import gd_amplification_unbounded, subgradient_stability_bound
from .verdict import CheckResult, Verdict

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
    "subgradient_stability_bound",
    "summary",
    "with_checks",
    "write_artifacts",
]
