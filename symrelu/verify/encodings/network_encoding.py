"""The direct ReLU encoding of an exact network: each neuron ``h = ite(z > 0, z, 0)``.

A neuron with another activation gets ``h = act(z)`` from :func:`.encode.activation`
(built from the same if-then-else ReLU by :meth:`Activation.build`).

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

from collections.abc import Mapping, Sequence
from fractions import Fraction

import sympy
import z3

from ...errors import ShapeError
from ...exact import z3_rational
from ...network import Network
from .encode import activation, add_all


def encode_network(
    net: Network,
    inputs: Sequence[z3.ArithRef],
    tag: str,
    parameters: Mapping[str, z3.ArithRef] | None = None,
) -> tuple[list[z3.BoolRef], tuple[z3.ArithRef, ...]]:
    """Constraints defining the activations of ``net`` at ``inputs``, and the output terms.

    Symbolic weights (trainable parameters) are read from ``parameters`` (name -> z3 variable);
    without it the network must be concrete.
    """
    if parameters is None:
        net.require_concrete("the direct ReLU encoding")
    if len(inputs) != net.input_dim:
        raise ShapeError(f"{net.source}: encoding got {len(inputs)} inputs, the network takes {net.input_dim}")
    constraints: list[z3.BoolRef] = []
    current: list[z3.ArithRef] = list(inputs)
    for index, layer in enumerate(net.layers):
        pre = [_affine(row, bias, current, parameters or {}) for row, bias in zip(layer.weight, layer.bias)]
        if index < net.relu_layer_count:
            hidden = [z3.Real(f"{tag}_h{index}_{j}") for j in range(layer.out_dim)]
            constraints += [h == activation(act, z) for h, z, act in zip(hidden, pre, net.activations[index])]
            current = hidden
        else:
            current = pre
    return constraints, tuple(current)


def _weight(w: object, parameters: Mapping[str, z3.ArithRef]) -> z3.ArithRef | Fraction:
    if isinstance(w, sympy.Symbol):
        if w.name not in parameters:
            raise ShapeError(f"parameter {w.name} has no z3 variable")
        return parameters[w.name]
    if not isinstance(w, Fraction):
        raise ShapeError(f"weight {w!r} is neither an exact rational nor a parameter")
    return w


def _affine(
    row: Sequence[object], bias: object, values: Sequence[z3.ArithRef], parameters: Mapping[str, z3.ArithRef]
) -> z3.ArithRef:
    terms: list[z3.ArithRef] = []
    for w, value in zip(row, values):
        weight = _weight(w, parameters)
        if isinstance(weight, Fraction):
            if weight == 0:
                continue
            terms.append(value if weight == 1 else z3_rational(weight) * value)
        else:
            terms.append(weight * value)
    b = _weight(bias, parameters)
    if not isinstance(b, Fraction):
        terms.append(b)
    elif b != 0 or not terms:
        terms.append(z3_rational(b))
    return add_all(terms)
