"""ONNX activation operators as exact :class:`~symrelu.activation.Activation` values, one per neuron.

* ``Relu``; ``Abs``;
* ``LeakyRelu``: the float32 attribute ``alpha`` (default 0.01, as a float32) under the policy;
* ``PRelu``: a constant ``slope`` tensor broadcast (unidirectionally, as ONNX says) to the data's
  shape, one slope per neuron;
* ``Clip``: ``min``/``max`` as constant inputs (opset >= 11) or float attributes (older opsets);
  a missing bound leaves that side unbounded; without either bound it is refused.

Constants go through the conversion policy in their own width (float32 stays exact under
``"exact"``). A slope or bound computed from the data path is not an activation: refused.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from ..activation import RELU, Activation, abs_, leaky_relu
from ..errors import InputFormatError, ShapeError, UnsupportedOperatorError
from .activation_spec import one_sided_clip
from .numpy_arrays import scalar_to_fraction

if TYPE_CHECKING:
    from .onnx_format import _Graph

LEAKY_RELU_DEFAULT_ALPHA = np.float32(0.01)
"""ONNX's default ``alpha`` for ``LeakyRelu``: the float32 nearest 0.01."""


def _constant_input(graph: _Graph, node: Any, position: int, where: str, what: str) -> np.ndarray | None:
    """Input ``position`` of ``node`` as Fractions, ``None`` when absent; refused unless it is a constant."""
    if position >= len(node.input) or not node.input[position]:
        return None
    name = node.input[position]
    if name not in graph.constants:
        raise UnsupportedOperatorError(
            f"{where}: the {what} {name!r} is not a constant (initializer or Constant node); "
            "symrelu needs fixed activation parameters"
        )
    return graph.weight(name, where)


def _scalar(values: np.ndarray | None, where: str, what: str) -> Fraction | None:
    if values is None:
        return None
    if values.size != 1:
        raise UnsupportedOperatorError(f"{where}: the {what} has shape {values.shape}; Clip bounds must be scalars")
    return Fraction(values.reshape(-1)[0])


def _float_attribute(graph: _Graph, node: Any, name: str, where: str) -> Fraction | None:
    for attribute in node.attribute:
        if attribute.name == name:
            return scalar_to_fraction(np.float32(attribute.f), graph.policy, f"{where} attribute {name}")
    return None


def _leaky(graph: _Graph, node: Any, shape: tuple[int, ...], where: str) -> tuple[Activation, ...]:
    alpha = _float_attribute(graph, node, "alpha", where)
    if alpha is None:
        alpha = scalar_to_fraction(LEAKY_RELU_DEFAULT_ALPHA, graph.policy, f"{where} default alpha")
    return (_leaky_or_refuse(alpha, where),) * int(np.prod(shape))


def _leaky_or_refuse(alpha: Fraction, where: str) -> Activation:
    if alpha == 1:
        raise UnsupportedOperatorError(f"{where}: a slope of 1 makes the activation the identity, which has no breakpoint")
    return RELU if alpha == 0 else leaky_relu(alpha)


def _prelu(graph: _Graph, node: Any, shape: tuple[int, ...], where: str) -> tuple[Activation, ...]:
    if len(node.input) != 2:
        raise InputFormatError(f"{where} needs two inputs (X, slope), got {list(node.input)}")
    slope = _constant_input(graph, node, 1, where, "slope")
    if slope is None:
        raise InputFormatError(f"{where} has no slope input")
    try:
        fits = np.broadcast_shapes(shape, slope.shape) == tuple(shape)
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(f"{where}: the slope of shape {slope.shape} does not broadcast to the data's shape {tuple(shape)}")
    per_neuron = np.broadcast_to(slope, shape).reshape(-1)
    return tuple(_leaky_or_refuse(Fraction(a), where) for a in per_neuron)


def _clip(graph: _Graph, node: Any, shape: tuple[int, ...], where: str) -> tuple[Activation, ...]:
    low = _scalar(_constant_input(graph, node, 1, where, "min"), where, "min")
    high = _scalar(_constant_input(graph, node, 2, where, "max"), where, "max")
    low = low if low is not None else _float_attribute(graph, node, "min", where)
    high = high if high is not None else _float_attribute(graph, node, "max", where)
    if low is None and high is None:
        raise UnsupportedOperatorError(f"{where}: Clip with neither min nor max is the identity; symrelu needs at least one bound")
    try:
        act = one_sided_clip(low, high, where)
    except InputFormatError as err:
        raise UnsupportedOperatorError(str(err)) from None
    return (act,) * int(np.prod(shape))


def _uniform(act: Activation) -> Callable[[_Graph, Any, tuple[int, ...], str], tuple[Activation, ...]]:
    def build(graph: _Graph, node: Any, shape: tuple[int, ...], where: str) -> tuple[Activation, ...]:
        if len(node.input) != 1:
            raise InputFormatError(f"{where} needs one input, got {list(node.input)}")
        return (act,) * int(np.prod(shape))

    return build


ACTIVATION_OPS: dict[str, Callable[[_Graph, Any, tuple[int, ...], str], tuple[Activation, ...]]] = {
    "Relu": _uniform(RELU),
    "LeakyRelu": _leaky,
    "PRelu": _prelu,
    "Abs": _uniform(abs_()),
    "Clip": _clip,
}
"""Activation operators by ONNX ``op_type``: each returns one activation per neuron of the data tensor."""


def activations_of(graph: _Graph, node: Any, shape: tuple[int, ...], where: str) -> tuple[Activation, ...]:
    """The activation of every neuron (C order) that ``node`` applies to a tensor of ``shape``."""
    return ACTIVATION_OPS[node.op_type](graph, node, shape, where)
