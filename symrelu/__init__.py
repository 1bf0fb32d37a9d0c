"""symrelu: exact, symbolic verification of small ReLU networks.

>>> import symrelu
>>> net = symrelu.Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
>>> net.evaluate([-2])
(Fraction(2, 1),)
"""

from __future__ import annotations

import logging

from .errors import (
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
from .clarke import BackpropAudit, ClarkeJacobian, backprop_audit, backprop_jacobian, clarke_jacobian
from .closed_form import closed_form
from .lipschitz import LipschitzResult, lipschitz_constant
from .loaders import example_path, from_numpy, from_torch, load_network
from .network import Layer, Network, format_pattern, parse_pattern
from .params import Problem, clarke_subdifferential, find_kinks, load_problem
from .regions import Constraint, Region, enumerate_regions

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "BackpropAudit",
    "ClarkeJacobian",
    "Constraint",
    "LipschitzResult",
    "Problem",
    "Region",
    "backprop_audit",
    "backprop_jacobian",
    "clarke_jacobian",
    "clarke_subdifferential",
    "closed_form",
    "enumerate_regions",
    "example_path",
    "find_kinks",
    "from_numpy",
    "from_torch",
    "lipschitz_constant",
    "load_network",
    "load_problem",
    "DomainError",
    "InputFormatError",
    "Layer",
    "MissingDependencyError",
    "Network",
    "NonFiniteError",
    "ParameterError",
    "ShapeError",
    "SolverError",
    "SymreluError",
    "TooLargeError",
    "UnsupportedOperatorError",
    "format_pattern",
    "parse_pattern",
]
