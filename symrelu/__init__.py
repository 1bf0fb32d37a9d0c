"""symrelu: exact, symbolic verification of small ReLU networks.

The public names below are imported on first use (PEP 562), so that
``import symrelu`` and the solver worker processes start quickly.

>>> import symrelu
>>> net = symrelu.Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
>>> net.evaluate([-2])
(Fraction(2, 1),)
>>> symrelu.__version__ != ""
True
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from .errors import (  # noqa: F401 - re-exported in __all__
    DomainError,
    InputFormatError,
    MissingDependencyError,
    NonFiniteError,
    ParameterError,
    ShapeError,
    SolverError,
    SymreluError,
    TooLargeError,
    UnsupportedOperatorError,
)

logging.getLogger(__name__).addHandler(logging.NullHandler())


def _version() -> str:
    """The installed distribution's version; a source tree that was never installed says so."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("symrelu")
    except PackageNotFoundError:
        return "0+unknown (not installed; run pip install -e .)"


__version__ = _version()

_LAZY: dict[str, str] = {
    "BackpropAudit": "clarke",
    "ClarkeJacobian": "clarke",
    "backprop_audit": "clarke",
    "backprop_jacobian": "clarke",
    "clarke_jacobian": "clarke",
    "closed_form": "closed_form",
    "LipschitzResult": "lipschitz",
    "lipschitz_constant": "lipschitz",
    "example_path": "loaders",
    "from_numpy": "loaders",
    "from_torch": "loaders",
    "load_network": "loaders",
    "Layer": "network",
    "Network": "network",
    "format_pattern": "network",
    "parse_pattern": "network",
    "Problem": "params",
    "clarke_subdifferential": "params",
    "find_kinks": "params",
    "load_problem": "params",
    "Constraint": "regions",
    "Region": "regions",
    "enumerate_regions": "regions",
    "CheckResult": "verify",
    "check_property": "check",
    "load_vnnlib": "check",
    "output_bounds": "check",
    "Verdict": "verify",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    # ruff: noqa: F401
    from .check import check_property, load_vnnlib, output_bounds
    from .clarke import BackpropAudit, ClarkeJacobian, backprop_audit, backprop_jacobian, clarke_jacobian
    from .closed_form import closed_form
    from .lipschitz import LipschitzResult, lipschitz_constant
    from .loaders import example_path, from_numpy, from_torch, load_network
    from .network import Layer, Network, format_pattern, parse_pattern
    from .params import Problem, clarke_subdifferential, find_kinks, load_problem
    from .regions import Constraint, Region, enumerate_regions
    from .verify import CheckResult, Verdict


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'symrelu' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = sorted(
    [
        "DomainError",
        "InputFormatError",
        "MissingDependencyError",
        "NonFiniteError",
        "ParameterError",
        "ShapeError",
        "SolverError",
        "SymreluError",
        "TooLargeError",
        "UnsupportedOperatorError",
        "__version__",
        *_LAZY,
    ]
)
