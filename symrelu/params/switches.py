"""Switches: the sign decisions that cut parameter space into regions.

A *switch* is one activated neuron at one data point (or, for the absolute loss, the
sign of one residual). A *pattern* is a flat tuple of bits, one per switch, in
the fixed order: data point, layer, neuron, then residuals. Bit 1 means the
switch polynomial is > 0; bit 0 means < 0 (or the polynomial is identically 0).
A neuron's activation may be any :class:`~symrelu.activation.Activation` with one
breakpoint ``b`` (ReLU, LeakyReLU, PReLU, Abs): its switch polynomial is the
pre-activation minus ``b`` and its bit is its state, so bit ``s`` replaces the
neuron's output by piece ``s`` (``slope_s z + offset_s``).
The polynomial of a switch depends on the bits of earlier layers at the same
data point; :class:`SwitchTable` computes and caches them.

>>> from symrelu.network import Network
>>> from symrelu.params.problem import Problem
>>> net = Network.from_rows([([["w1"], ["w2"]], [0, 0]), ([[1, 1]], [0])])
>>> table = SwitchTable(Problem(net, [(["1"], ["1"])]))
>>> [str(table.polynomial(s, (1,) * s)) for s in range(2)]
['x0', 'x1']
>>> str(table.selection_loss((1, 0)))
'x0**2/2 - x0 + 1/2'
>>> table.format_pattern((1, 0))
'10'
>>> from fractions import Fraction as F
>>> from symrelu.activation import leaky_relu
>>> leaky = SwitchTable(Problem(net.with_activations([leaky_relu(F(1, 10))]), [(["1"], ["1"])]))
>>> str(leaky.selection_loss((1, 0)))
'x0**2/2 + x0*x1/10 - x0 + x1**2/200 - x1/10 + 1/2'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import flint
import sympy

from ..activation import Activation
from ..errors import ShapeError, UnsupportedActivationError
from .polynomial import Polynomial
from .problem import Point, Problem

Bits = tuple[int, ...]
_ZERO = flint.fmpq(0)


def _q(value: Fraction | int) -> flint.fmpq:
    """An exact rational (``Fraction``, ``int``) as a FLINT rational."""
    v = value if type(value) is Fraction else Fraction(value)
    return flint.fmpq(v.numerator, v.denominator)


def switch_activations(problem: Problem) -> tuple[tuple[Activation, ...], ...]:
    """Each activated layer's activations, refusing any with more than one breakpoint (such as Clip)."""
    net = problem.network
    for acts in net.activations:
        for act in acts:
            if len(act.breakpoints) != 1:
                raise UnsupportedActivationError(
                    f"parameter-space analysis handles activations with one breakpoint (ReLU, LeakyReLU, PReLU, "
                    f"Abs), but {net.source} uses {act} with {len(act.breakpoints)}"
                )
    return net.activations


@dataclass(frozen=True)
class Switch:
    """One sign decision: ``kind`` is ``"relu"`` (layer, neuron) or ``"residual"`` (output index)."""

    data: int
    layer: int
    neuron: int
    kind: str = "relu"

    def describe(self) -> str:
        if self.kind == "residual":
            return f"residual of output {self.neuron} at data point {self.data}"
        return f"neuron {self.neuron} of layer {self.layer} at data point {self.data}"


@dataclass
class SwitchTable:
    """Switch order, switch polynomials per pattern prefix, and selection losses (cached)."""

    problem: Problem
    switches: tuple[Switch, ...] = field(init=False)
    _cache: dict[tuple[int, int, Bits], tuple[Polynomial, ...]] = field(init=False, default_factory=dict)
    _loss_terms: dict[tuple[int, Bits], Polynomial] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        net = self.problem.network
        order: list[Switch] = []
        self._starts: list[int] = []
        for i in range(len(self.problem.data)):
            self._starts.append(len(order))
            for layer in range(net.relu_layer_count):
                order.extend(Switch(i, layer, j) for j in range(net.layers[layer].out_dim))
            if self.problem.loss == "absolute":
                order.extend(Switch(i, len(net.layers) - 1, k, "residual") for k in range(net.output_dim))
        self.switches = tuple(order)
        self._acts = switch_activations(self.problem)
        self._k = len(self.problem.parameters)
        names = {p.name: index for index, p in enumerate(self.problem.parameters)}
        self._weights = [
            (
                [[self._lift(w, names) for w in row] for row in layer.weight],
                [self._lift(b, names) for b in layer.bias],
            )
            for layer in net.layers
        ]
        # the concrete network for pattern_at: a weight is a parameter's index or a FLINT rational
        self._replay = [
            ([[names[w.name] if isinstance(w, sympy.Symbol) else _q(w) for w in row] for row in layer.weight],
             [names[b.name] if isinstance(b, sympy.Symbol) else _q(b) for b in layer.bias])
            for layer in net.layers
        ]
        self._replay_acts = [
            [(_q(a.breakpoints[0]), *map(_q, a.piece(0)), *map(_q, a.piece(1))) for a in acts] for acts in self._acts
        ]
        self._replay_data = [([_q(v) for v in x], [_q(v) for v in y]) for x, y in self.problem.data]

    def _lift(self, w: object, names: dict[str, int]) -> Polynomial:
        if isinstance(w, sympy.Symbol):
            return Polynomial.variable(self._k, names[w.name])
        return Polynomial.constant(self._k, w)  # type: ignore[arg-type]

    @property
    def size(self) -> int:
        return len(self.switches)

    @property
    def nvars(self) -> int:
        return self._k

    # ---------------------------------------------------------- polynomials
    def _layer_polys(self, data: int, layer: int, bits: Bits) -> tuple[Polynomial, ...]:
        """Pre-activations of ``layer`` at data point ``data`` given that point's earlier-layer bits."""
        key = (data, layer, bits)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        net = self.problem.network
        if layer == 0:
            inputs = [Polynomial.constant(self._k, v) for v in self.problem.data[data][0]]
        else:
            width = net.layers[layer - 1].out_dim
            before = self._layer_polys(data, layer - 1, bits[: len(bits) - width])
            inputs = list(before)
            if layer - 1 < net.relu_layer_count:
                inputs = self._activate(layer - 1, before, bits[len(bits) - width :])
        weight, bias = self._weights[layer]
        out = tuple(
            sum((w * a for w, a in zip(row, inputs)), Polynomial.constant(self._k, 0)) + b for row, b in zip(weight, bias)
        )
        self._cache[key] = out
        return out

    def _activate(self, layer: int, polys: tuple[Polynomial, ...], bits: Bits) -> list[Polynomial]:
        """The outputs of ``layer``'s activations: piece ``bit`` of each neuron applied to its pre-activation."""
        out = []
        for act, p, bit in zip(self._acts[layer], polys, bits):
            if act.is_relu:
                out.append(p if bit else Polynomial.constant(self._k, 0))
            else:
                slope, offset = act.piece(bit)
                out.append(p * Polynomial.constant(self._k, slope) + Polynomial.constant(self._k, offset))
        return out

    def _local(self, index: int, prefix: Bits) -> tuple[Switch, Bits]:
        switch = self.switches[index]
        start = self._starts[switch.data]
        return switch, prefix[start:index]

    def polynomial(self, index: int, prefix: Bits) -> Polynomial:
        """The polynomial of switch ``index`` given the pattern bits before it (``prefix``)."""
        if len(prefix) < index:
            raise ShapeError(f"switch {index} needs {index} earlier bits, got {len(prefix)}")
        switch, local = self._local(index, prefix)
        net = self.problem.network
        if switch.kind == "residual":
            relu_bits = local[: len(local) - switch.neuron]
            out = self._output(switch.data, relu_bits)
            return out[switch.neuron] - self.problem.data[switch.data][1][switch.neuron]
        offset = sum(net.layers[l].out_dim for l in range(switch.layer))
        pre = self._layer_polys(switch.data, switch.layer, local[:offset])[switch.neuron]
        breakpoint = self._acts[switch.layer][switch.neuron].breakpoints[0]
        return pre if breakpoint == 0 else pre - Polynomial.constant(self._k, breakpoint)

    def _output(self, data: int, relu_bits: Bits) -> tuple[Polynomial, ...]:
        net = self.problem.network
        last = len(net.layers) - 1
        if net.output_relu:
            width = net.layers[last].out_dim
            polys = self._layer_polys(data, last, relu_bits[: len(relu_bits) - width])
            return tuple(self._activate(last, polys, relu_bits[len(relu_bits) - width :]))
        return self._layer_polys(data, last, relu_bits)

    def polynomials(self, bits: Bits) -> tuple[Polynomial, ...]:
        """Every switch polynomial of a full pattern."""
        return tuple(self.polynomial(s, bits[:s]) for s in range(self.size))

    def selection_loss(self, bits: Bits) -> Polynomial:
        """The loss polynomial that equals ℓ on the region of ``bits`` (fixing the pattern, no Max)."""
        if len(bits) != self.size:
            raise ShapeError(f"pattern has {len(bits)} bits but the problem has {self.size} switches")
        net = self.problem.network
        relu_count = sum(net.layers[l].out_dim for l in range(net.relu_layer_count))
        n = len(self.problem.data)
        total = Polynomial.constant(self._k, 0)
        for i, (_, y) in enumerate(self.problem.data):
            start = self._starts[i]
            end = self._starts[i + 1] if i + 1 < len(self._starts) else self.size
            key = (i, bits[start:end])  # a data point's term depends on its own bits only: regions share it
            term = self._loss_terms.get(key)
            if term is None:
                out = self._output(i, bits[start : start + relu_count])
                term = Polynomial.constant(self._k, 0)
                for k, (o, t) in enumerate(zip(out, y)):
                    residual = o - t
                    if self.problem.loss == "squared":
                        term = term + residual * residual
                    else:
                        term = term + (residual if bits[start + relu_count + k] else -residual)
                self._loss_terms[key] = term
            total = total + term
        return total * (Fraction(1, 2 * n) if self.problem.loss == "squared" else Fraction(1, n))

    # --------------------------------------------------------------- replay
    def pattern_at(self, point: Point) -> tuple[Bits, tuple[int, ...]]:
        """Bits at ``point`` by exact evaluation of the concrete network, and the switches that are exactly 0.

        Independent of the polynomial bookkeeping: used to replay witnesses. The network's weights
        (a parameter takes its value from ``point``) and activations are evaluated layer by layer
        in FLINT rationals, as :meth:`symrelu.network.Network.preactivations` does in Fractions.
        """
        if len(point) != self._k:
            raise ShapeError(f"point has {len(point)} coordinates but the problem has {self._k} parameters")
        theta = [_q(v) for v in point]
        layers = [
            ([[theta[w] if isinstance(w, int) else w for w in row] for row in weight],
             [theta[b] if isinstance(b, int) else b for b in bias])
            for weight, bias in self._replay
        ]
        hidden = self.problem.network.relu_layer_count
        absolute = self.problem.loss == "absolute"
        bits: list[int] = []
        zeros: list[int] = []
        for x, y in self._replay_data:
            current = x
            values = []
            for index, (weight, bias) in enumerate(layers):
                z = [sum((w * a for w, a in zip(row, current)), _ZERO) + b for row, b in zip(weight, bias)]
                if index < hidden:
                    acts = self._replay_acts[index]
                    values += [v - act[0] for act, v in zip(acts, z)]
                    current = [act[3] * v + act[4] if v > act[0] else act[1] * v + act[2] for act, v in zip(acts, z)]
                else:
                    current = z
            if absolute:
                values += [o - t for o, t in zip(current, y)]
            for v in values:
                if v == 0:
                    zeros.append(len(bits))
                bits.append(1 if v > 0 else 0)
        return tuple(bits), tuple(zeros)

    def format_pattern(self, bits: Bits) -> str:
        """``"10|1;01|0"``: layers split by ``|``, data points by ``;``, residual bits after ``/``."""
        net = self.problem.network
        widths = [net.layers[l].out_dim for l in range(net.relu_layer_count)]
        parts = []
        for i in range(len(self.problem.data)):
            start = self._starts[i]
            end = self._starts[i + 1] if i + 1 < len(self._starts) else self.size
            local = bits[start:end]
            chunks, pos = [], 0
            for w in widths:
                chunks.append("".join(map(str, local[pos : pos + w])))
                pos += w
            text = "|".join(chunks)
            if self.problem.loss == "absolute":
                text += "/" + "".join(map(str, local[pos:]))
            parts.append(text)
        return ";".join(parts)
