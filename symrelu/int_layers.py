"""A network's layers as integer matrices over one positive scale, and their composition.

Both region engines keep pre-activations as integer affine rows ``(a1..ad, a0)`` over one
positive scale (``z = row . (x, 1) / scale``); this module turns a network's rational layers into
that form and composes a layer with the rows of the layer before it, on a region where the
earlier layer's activation pattern is known.

>>> from symrelu import Network
>>> net = Network.from_rows([([[1, 0], [0, 1]], [0, 0]), ([["1/2", 1]], ["1/3"])])
>>> hidden, out = integer_layers(net)
>>> out.weight.rows, out.bias, out.scale
(((3, 6),), (2,), 6)
>>> compose(out, [[1, 0, 0], [0, 1, 0]], (1, 0), 1)      # second input inactive
([[3, 0, 2]], 6)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import gcd
from typing import TYPE_CHECKING, Any

from .intmat import IntegerMatrix
from .region_activations import LayerCuts, LayerPieces, layer_cuts, layer_pieces

if TYPE_CHECKING:
    from .network import Network

IntAffine = list[list[int]]
"""Rows ``(a1..ad, a0)`` of integer affine functions of x, sharing one positive scale."""


@dataclass(frozen=True)
class IntLayer:
    """``W = weight / scale``, ``b = bias / scale`` with integer entries."""

    weight: IntegerMatrix
    bias: tuple[int, ...]
    scale: int
    input_pieces: LayerPieces | None = None
    """The previous layer's activations when they are not all ReLU (``None``: ReLU, masked by the bits)."""


def integer_layer(layer: Any, input_pieces: LayerPieces | None = None) -> IntLayer:
    """One affine layer over the common denominator of its weights and biases."""
    ints, scale = layer.integer_entries
    width = layer.in_dim
    weight = IntegerMatrix(tuple(tuple(ints[r * width : (r + 1) * width]) for r in range(layer.out_dim)))
    return IntLayer(weight, tuple(ints[layer.out_dim * width :]), scale, input_pieces)


def input_pieces(net: Network, index: int) -> LayerPieces | None:
    """The activations layer ``index`` reads, when they are not all ReLU."""
    return layer_pieces(net.activations[index - 1]) if 0 < index <= net.relu_layer_count else None


def integer_layers(net: Network) -> list[IntLayer]:
    """Every layer of ``net`` in integer form (with the activations it reads)."""
    return [integer_layer(layer, input_pieces(net, index)) for index, layer in enumerate(net.layers)]


def cuts_of(net: Network) -> list[LayerCuts | None]:
    """Per activated layer: its hyperplanes when its activations are not all ReLU (``None``: ReLU)."""
    return [layer_cuts(acts) for acts in net.activations]


def compose(layer: IntLayer, inputs: IntAffine, bits: Sequence[int], input_scale: int) -> tuple[IntAffine, int]:
    """Pre-activations ``W act(z) + b`` as integer affine rows, given ``z = inputs / input_scale``
    on a region where the previous layer's activation pattern is ``bits`` (the neurons' states)."""
    if layer.input_pieces is not None:
        inputs, input_scale = layer.input_pieces.activate(inputs, bits, input_scale)
        bits = (1,) * len(inputs)
    rows = layer.weight.masked_matmul(inputs, bits)
    for row, b in zip(rows, layer.bias, strict=False):
        row[-1] += b * input_scale
    scale = layer.scale * input_scale
    g = scale
    for row in rows:
        for v in row:
            g = gcd(g, v)
            if g == 1:
                break
        if g == 1:
            break
    if g > 1:
        rows = [[v // g for v in row] for row in rows]
        scale //= g
    return rows, scale
