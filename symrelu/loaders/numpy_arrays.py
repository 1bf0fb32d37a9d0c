"""NumPy arrays to exact rationals, element by element, and :func:`from_numpy`.

Each element keeps its NumPy scalar type on the way to :func:`symrelu.exact.to_rational`,
so a float32 weight becomes the exact value of that float32 (policy ``"exact"``) or
the shortest decimal that prints it as a float32 (policy ``"decimal"``).

>>> import numpy as np
>>> net = from_numpy([np.array([[0.5], [-1.0]], dtype=np.float32)], [np.zeros(2)])
>>> net.widths, net.layers[0].weight
((1, 2), ((Fraction(1, 2),), (Fraction(-1, 1),)))
>>> from_numpy([[[0.1]]], [[0]], policy="decimal").layers[0].weight
((Fraction(1, 10),),)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from ..errors import InputFormatError, NonFiniteError, ShapeError
from ..exact import check_policy, to_rational
from ..network import Layer, Network

log = logging.getLogger(__name__)

_NATIVE_FLOATS = (np.float32, np.float64)


def index_text(index: tuple[int, ...]) -> str:
    """``(1, 0)`` -> ``"[1][0]"``: how an entry is named in messages."""
    return "".join(f"[{i}]" for i in index)


def scalar_to_fraction(value: object, policy: str, where: str) -> Fraction:
    """Convert one NumPy (or Python) scalar exactly under ``policy``.

    float32 and float64 go through :func:`symrelu.exact.to_rational`. Other float
    widths (float16, longdouble) are handled here the same way: ``"exact"`` is the
    value's binary expansion, ``"decimal"`` the shortest text that prints it in its
    own width.

    >>> scalar_to_fraction(np.float16(0.1), "decimal", "w"), scalar_to_fraction(np.float16(0.5), "exact", "w")
    (Fraction(1, 10), Fraction(1, 2))
    """
    if isinstance(value, np.floating) and not isinstance(value, _NATIVE_FLOATS):
        if not np.isfinite(value):
            raise NonFiniteError(f"{where}: value {value} is not finite; weights must be finite numbers")
        if policy == "exact":
            return Fraction(*value.as_integer_ratio())
        return Fraction(np.format_float_positional(value, unique=True, trim="-"))
    if isinstance(value, np.bool_):
        raise InputFormatError(f"{where}: {value!r} is a boolean, not a number")
    if isinstance(value, np.str_):
        value = str(value)
    return to_rational(value, policy, where)


def array_to_fractions(array: object, policy: str, where: str) -> np.ndarray:
    """Return an object array of :class:`~fractions.Fraction` with the shape of ``array``.

    Accepts numeric arrays, and object or text arrays whose entries
    :func:`~symrelu.exact.to_rational` understands (``Fraction``, ``"3/4"``, ...).
    ``where`` prefixes every message; the failing entry is named as ``where[i][j]``.

    >>> array_to_fractions(np.array([1.0, float("nan")]), "exact", "b0")
    Traceback (most recent call last):
    ...
    symrelu.errors.NonFiniteError: b0[1]: value nan is not finite; weights must be finite numbers
    """
    policy = check_policy(policy)
    arr = np.asarray(array)
    if arr.dtype.kind not in "fiuOU":
        raise InputFormatError(
            f"{where}: array of dtype {arr.dtype} is not numeric; use float, integer or rational-text entries"
        )
    if arr.dtype.kind == "f":
        bad = np.argwhere(~np.isfinite(arr))
        if len(bad):
            index = tuple(int(i) for i in bad[0])
            raise NonFiniteError(
                f"{where}{index_text(index)}: value {arr[index]} is not finite; weights must be finite numbers"
            )
    out = np.empty(arr.shape, dtype=object)
    for index in np.ndindex(arr.shape):
        out[index] = scalar_to_fraction(arr[index], policy, f"{where}{index_text(index)}")
    return out


def layer_from_arrays(weight: object, bias: object, policy: str, where: str) -> Layer:
    """One exact :class:`~symrelu.network.Layer` from a 2-D weight (out x in) and a 1-D bias."""
    w = array_to_fractions(weight, policy, f"{where} weight")
    b = array_to_fractions(bias, policy, f"{where} bias")
    if w.ndim != 2:
        raise ShapeError(f"{where}: weight must be a 2-D array (out x in), got shape {w.shape}")
    if b.ndim != 1:
        raise ShapeError(f"{where}: bias must be a 1-D array, got shape {b.shape} (weight is {w.shape})")
    return Layer(tuple(tuple(row) for row in w.tolist()), tuple(b.tolist()))


def from_numpy(
    weights: Sequence[object],
    biases: Sequence[object],
    output_relu: bool = False,
    policy: str = "exact",
    source: str = "<numpy>",
) -> Network:
    """Build an exact network from weight matrices (each out x in, as in PyTorch) and bias vectors.

    Floats are converted under ``policy``; the result records it in ``Network.policy``.
    """
    policy = check_policy(policy)
    if not isinstance(output_relu, (bool, np.bool_)):
        raise InputFormatError(f"{source}: output_relu must be True or False, got {output_relu!r}")
    weights, biases = list(weights), list(biases)
    if len(weights) != len(biases):
        raise ShapeError(f"{source}: {len(weights)} weight matrices but {len(biases)} bias vectors; give one of each per layer")
    if not weights:
        raise ShapeError(f"{source}: no layers given; a network needs at least one weight matrix and bias")
    layers = tuple(
        layer_from_arrays(w, b, policy, f"{source}: layer {i}") for i, (w, b) in enumerate(zip(weights, biases))
    )
    log.debug("%s: built %d layers under policy %s", source, len(layers), policy)
    return Network(layers, output_relu=bool(output_relu), policy=policy, source=source)
