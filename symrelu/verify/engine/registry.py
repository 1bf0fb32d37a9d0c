"""The catalogue of checks ``symrelu verify`` can run, and which ones still wait for other parts.

A registry is an immutable mapping name -> :class:`CheckSpec`; build a new one
with :func:`with_checks` to add or replace checks (no global mutable state).
A spec whose ``run`` is None is *not implemented*: asking for it raises
:class:`CheckNotImplementedError`, never a verdict.

>>> registry = default_registry()
>>> registry["gd_amplification_unbounded"].needs
'nothing'
>>> registry["clarke_bound"].available
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from ...errors import InputFormatError, SymreluError
from ...exact import to_rational
from ..checks.clarke_bound import clarke_bound, region_maximum
from ..checks.gradient_lipschitz import no_global_gradient_lipschitz
from ..checks.hessian_bound import hessian_bound
from ..checks.input_lipschitz import input_lipschitz
from ..checks.kink_families import no_global_gradient_lipschitz_family, no_global_gradient_lipschitz_instance
from ..checks.leaky_family import no_global_gradient_lipschitz_leaky_family
from ..checks.lipschitz_on_domain import lipschitz_on_domain
from ..checks.stability import gd_amplification_unbounded, subgradient_stability_bound
from .runner import Runner
from .verdict import CheckResult

Needs = Literal["network", "problem", "network-or-problem", "nothing"]


class CheckNotImplementedError(SymreluError, NotImplementedError):
    """The check exists in the catalogue but its implementation is not there yet."""


@dataclass(frozen=True)
class CheckContext:
    """What a check may use: the loaded subject, the box, options from the command line, the runner."""

    subject: str
    runner: Runner
    network: Any = None
    problem: Any = None
    box: tuple[tuple[Any, Any], ...] | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def option(self, name: str, default: Any = None) -> Any:
        """The option's value, or ``default`` when it is missing or None."""
        value = self.options.get(name)
        return default if value is None else value


@dataclass(frozen=True)
class CheckSpec:
    """One check: its claim, what it needs, and how to run it (None: not implemented yet)."""

    name: str
    claim: str
    needs: Needs
    summary: str
    run: Callable[[CheckContext], CheckResult] | None = None
    waiting_for: str = ""

    @property
    def available(self) -> bool:
        return self.run is not None

    def require_available(self) -> None:
        """Raise :class:`CheckNotImplementedError` unless the check can run."""
        if self.run is None:
            raise CheckNotImplementedError(
                f"check {self.name!r} is not implemented yet (it needs {self.waiting_for}); "
                "no verdict is given — leave it out of checks=NAMES"
            )

    def __call__(self, context: CheckContext) -> CheckResult:
        self.require_available()
        return self.run(context)  # type: ignore[misc]


def _input_lipschitz(context: CheckContext) -> CheckResult:
    if context.network is None:
        raise InputFormatError("input_lipschitz needs a network file as NET_OR_PROBLEM")
    if context.box is None:
        raise InputFormatError("input_lipschitz needs box=LO:HI,... (one interval per input)")
    k, k2 = context.option("lipschitz"), context.option("lipschitz_squared")
    tight = context.option("tight_pair")
    norm = context.option("norm", "2")
    if k is None and k2 is None:  # certify the exact constant of the region enumeration, with its witness pair
        from ...lipschitz import lipschitz_constant

        exact = lipschitz_constant(context.network, context.box, norm=str(norm), output=context.option("output"))
        k2 = exact.constant_squared
        tight = tight if tight is not None else exact.witness
    return input_lipschitz(
        context.network, context.box, k, K_squared=k2, norm=norm,
        output=context.option("output"), tight_pair=tight,
        runner=context.runner, subject=context.subject,
    )


def _need_problem(context: CheckContext, check: str) -> Any:
    if context.problem is None:
        raise InputFormatError(f"{check} needs a training problem file (JSON with network, data, domain) as NET_OR_PROBLEM")
    return context.problem


def _gradient_lipschitz(context: CheckContext) -> CheckResult:
    if context.problem is not None:
        return no_global_gradient_lipschitz(context.problem, runner=context.runner, name=context.subject)
    if context.network is None:
        raise InputFormatError("no_global_gradient_lipschitz needs a network (with box=LO:HI,...) or a problem file")
    if context.box is None:
        raise InputFormatError("no_global_gradient_lipschitz on a network needs box=LO:HI,... (one interval per input)")
    return no_global_gradient_lipschitz(context.network, context.box, output=context.option("output"),
                                        runner=context.runner, name=context.subject)


def _hessian(context: CheckContext) -> CheckResult:
    problem = _need_problem(context, "hessian_bound")
    return hessian_bound(problem, bound_squared=context.option("hessian_bound_squared"), runner=context.runner,
                         subject=context.subject)


def _clarke(context: CheckContext) -> CheckResult:
    problem = _need_problem(context, "clarke_bound")
    return clarke_bound(problem, context.option("G"), G_squared=context.option("G_squared"), runner=context.runner,
                        subject=context.subject)


def _domain_lipschitz(context: CheckContext) -> CheckResult:
    problem = _need_problem(context, "lipschitz_on_domain")
    g, g2 = context.option("G"), context.option("G_squared")
    if g is None and g2 is None and problem.domain is not None:
        # confirm clarke_bound's exact G^2 (computed from the regions, no solver) by the independent route
        from ...params.landscape import enumerate_parameter_regions

        maxima = [region_maximum(r, problem.domain) for r in enumerate_parameter_regions(problem).regions]
        if all(m.value is not None for m in maxima):
            g2 = max(m.value for m in maxima if m.value is not None)
    return lipschitz_on_domain(problem, g, G_squared=g2, runner=context.runner, subject=context.subject)


def _amplification(context: CheckContext) -> CheckResult:
    return gd_amplification_unbounded(context.option("eta", "1/10"), runner=context.runner)


def _subgradient(context: CheckContext) -> CheckResult:
    g, g2 = context.option("G"), context.option("G_squared")
    if g is None and g2 is None:
        raise InputFormatError("subgradient_stability_bound needs G=VALUE or G_squared=VALUE (e.g. G_squared=2 from clarke_bound)")
    return subgradient_stability_bound(
        g, to_rational(context.option("eta", "1/10"), where="eta"), int(context.option("steps", 1)),
        G_squared=g2, runner=context.runner,
    )


def default_registry() -> Mapping[str, CheckSpec]:
    """Every known check; those waiting for other parts of symrelu are listed but not runnable."""
    specs = [
        CheckSpec("input_lipschitz", "foundation", "network",
                  "|f(x)-f(x')| <= K ||x-x'||_p on a box, direct ReLU encoding", _input_lipschitz),
        CheckSpec("gd_amplification_unbounded", "C4", "nothing",
                  "one GD step amplifies perturbations beyond any 1 + eta*beta (Skolem eps(beta))", _amplification),
        CheckSpec("subgradient_stability_bound", "C5 b", "nothing",
                  "||theta_T - theta'_T|| <= ||theta_0 - theta'_0|| + 2 eta T G by induction", _subgradient),
        CheckSpec("no_global_gradient_lipschitz_paper", "C1", "nothing",
                  "paper instance: theta=(t,-1), theta'=(-t,-1), t=1/(4(L+1)) violates every L",
                  lambda context: no_global_gradient_lipschitz_instance(runner=context.runner)),
        CheckSpec("no_global_gradient_lipschitz_family", "C1", "nothing",
                  "symbolic one-hidden-layer family: jump (1/n)|a r| ||(x,1)|| and Skolem pairs",
                  lambda context: no_global_gradient_lipschitz_family(runner=context.runner)),
        CheckSpec("no_global_gradient_lipschitz_leaky_family", "X1 (ours)", "nothing",
                  "our extension: LeakyReLU(alpha) family, 0 <= alpha < 1: jump (1-alpha)(1/n)|a r| ||(x,1)||",
                  lambda context: no_global_gradient_lipschitz_leaky_family(runner=context.runner)),
        CheckSpec("no_global_gradient_lipschitz", "C1", "network-or-problem",
                  "find a kink with a non-zero jump in the given problem/network and prove no L exists",
                  _gradient_lipschitz),
        CheckSpec("hessian_bound", "C2", "problem", "exact largest Hessian spectral norm over regions", _hessian),
        CheckSpec("clarke_bound", "C5", "problem", "tight G over each region's closure on D, proved per region", _clarke),
        CheckSpec("lipschitz_on_domain", "C5 a", "problem", "(l(t)-l(t'))^2 <= G^2 ||t-t'||^2 on D, direct encoding",
                  _domain_lipschitz),
    ]
    return MappingProxyType({spec.name: spec for spec in specs})


def with_checks(registry: Mapping[str, CheckSpec], specs: Iterable[CheckSpec]) -> Mapping[str, CheckSpec]:
    """A new registry with ``specs`` added (replacing same-named ones)."""
    merged = dict(registry)
    merged.update({spec.name: spec for spec in specs})
    return MappingProxyType(merged)
