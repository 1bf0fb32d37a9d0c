"""One exception hierarchy for everything symrelu refuses to do.

Every error subclasses :class:`SymreluError` and the matching built-in, so
callers may catch either. Messages name the culprit and say what to do, in
library terms: an argument is written ``name=VALUE`` as a Python caller types it
(``output=INDEX``); the command line shows the same message with its flag
(``--output INDEX``, see :func:`symrelu.cli.common.cli_terms`). Shared argument
checks live in :mod:`symrelu.validation`.

>>> try:
...     raise ShapeError("layer 1: weight is 3x2 but bias has 4 entries")
... except ValueError as err:
...     print(type(err).__name__, isinstance(err, SymreluError))
ShapeError True
"""

from __future__ import annotations


class SymreluError(Exception):
    """Base class of every error raised on purpose by symrelu."""


class InputFormatError(SymreluError, ValueError):
    """A file or value could not be parsed (malformed JSON, bad number, ...)."""


class NonFiniteError(SymreluError, ValueError):
    """A weight, bias or point is NaN or infinite."""


class ShapeError(SymreluError, ValueError):
    """Dimensions do not fit together (layers, boxes, points, data)."""


class UnsupportedOperatorError(SymreluError, ValueError):
    """An ONNX graph uses an operator symrelu cannot translate exactly."""


class UnsupportedActivationError(SymreluError, ValueError):
    """A stage that handles only some activations (often only ReLU) was given another."""


class DomainError(SymreluError, ValueError):
    """A box or domain is empty, inverted or otherwise unusable."""


class ParameterError(SymreluError, ValueError):
    """A parameter name is unknown or a parameter value is missing."""


class TooLargeError(SymreluError, RuntimeError):
    """A problem exceeds a limit the user set (for example ``max_regions``)."""

    def __init__(self, message: str, partial: object = None) -> None:
        super().__init__(message)
        self.partial = partial


class MissingDependencyError(SymreluError, ImportError):
    """An optional extra is needed (for example ``pip install symrelu[onnx]``)."""


class SolverError(SymreluError, RuntimeError):
    """A solver failed in a way that is not a plain 'unknown' answer."""


def install_hint(extra: str) -> str:
    """How to get an optional extra, for an installed package and for a source checkout alike.

    >>> install_hint("onnx")
    "pip install 'symrelu[onnx]' (in a source checkout: pip install -e '.[onnx]')"
    """
    return f"pip install 'symrelu[{extra}]' (in a source checkout: pip install -e '.[{extra}]')"
