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
from .network import Layer, Network, format_pattern, parse_pattern

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
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
