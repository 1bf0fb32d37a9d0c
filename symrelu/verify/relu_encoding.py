"""The direct ReLU encoding of an exact network: each neuron ``h = ite(z > 0, z, 0)``.

Every hidden activation gets its own variable (``<tag>_h<layer>_<neuron>``) so
the formula grows linearly with the network, not exponentially.

>>> import z3
>>> from symrelu.network import Network
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
>>> x = [z3.Real("x_0")]
>>> constraints, (out,) = encode_network(net, x, "a")
>>> s = z3.Solver(); s.add(constraints); s.add(x[0] == -3, out != 3); s.check()
unsat
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import z3

from ..errors import ShapeError
from ..network import Network
from .encode import add_all, rational_val, relu


def encode_network(
    net: Network, inputs: Sequence[z3.ArithRef], tag: str
) -> tuple[list[z3.BoolRef], tuple[z3.ArithRef, ...]]:
    """Constraints defining the activations of ``net`` at ``inputs``, and the output terms."""
    net.require_concrete("the direct ReLU encoding")
    if len(inputs) != net.input_dim:
        raise ShapeError(f"{net.source}: encoding got {len(inputs)} inputs, the network takes {net.input_dim}")
    constraints: list[z3.BoolRef] = []
    current: list[z3.ArithRef] = list(inputs)
    for index, layer in enumerate(net.layers):
        pre = [_affine(row, bias, current) for row, bias in zip(layer.weight, layer.bias)]
        if index < net.relu_layer_count:
            hidden = [z3.Real(f"{tag}_h{index}_{j}") for j in range(layer.out_dim)]
            constraints += [h == relu(z) for h, z in zip(hidden, pre)]
            current = hidden
        else:
            current = pre
    return constraints, tuple(current)


def _affine(row: Sequence[object], bias: object, values: Sequence[z3.ArithRef]) -> z3.ArithRef:
    terms: list[z3.ArithRef] = []
    for weight, value in zip(row, values):
        if not isinstance(weight, Fraction):
            raise ShapeError(f"weight {weight!r} is not an exact rational")
        if weight == 0:
            continue
        terms.append(value if weight == 1 else rational_val(weight) * value)
    if not isinstance(bias, Fraction):
        raise ShapeError(f"bias {bias!r} is not an exact rational")
    if bias != 0 or not terms:
        terms.append(rational_val(bias))
    return add_all(terms)
