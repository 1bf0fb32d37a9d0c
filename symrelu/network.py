"""The exact network: rational (or symbolic) affine layers with activations between them.

A :class:`Network` is immutable. Weights are :class:`fractions.Fraction`, or SymPy
symbols standing for trainable parameters (used by the parameter-space tools).
There is an activation after every layer but the last, and after the last one too
when ``output_relu`` is true. Each neuron's activation is an
:class:`~symrelu.activation.Activation`, ReLU unless ``activations`` says otherwise;
a stage that handles only ReLU calls :meth:`Network.require_relu` first.

>>> from fractions import Fraction as F
>>> net = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
>>> net.widths, net.evaluate([F(-3)])
((1, 2, 1), (Fraction(3, 1),))
>>> net.pattern([F(2)])
((1, 0),)
>>> from symrelu.activation import leaky_relu
>>> leaky = net.with_activations([leaky_relu(F(1, 10))])
>>> leaky.evaluate([F(-3)]), leaky.pattern([F(-3)]), leaky.is_relu
((Fraction(27, 10),), ((0, 1),), False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import lcm
from typing import Union

import sympy

from .activation import RELU, Activation
from .errors import InputFormatError, ParameterError, ShapeError, UnsupportedActivationError
from .exact import to_rational

Weight = Union[Fraction, sympy.Symbol]  # noqa: UP007 (sympy is untyped: mypy needs Union here)
Vector = tuple[Fraction, ...]
Matrix = tuple[Vector, ...]
Pattern = tuple[tuple[int, ...], ...]
"""Activation pattern: for each activated layer, each neuron's state (its piece index).

For ReLU the state is 1 where the pre-activation is > 0, else 0; a neuron whose activation
has ``k`` breakpoints has states ``0..k`` (see :meth:`Activation.state`)."""
LayerActivations = tuple[Activation, ...]
"""One activation per neuron of a layer."""

_IDENTIFIER_HINT = "a rational such as '3/4' or a parameter name such as 'w1'"


def _coerce_weight(value: object, policy: str, where: str, allow_symbols: bool) -> Weight:
    if isinstance(value, sympy.Symbol):
        if not allow_symbols:
            raise InputFormatError(f"{where}: symbolic weight {value} is not allowed here")
        return value
    if isinstance(value, str) and value.strip().isidentifier() and allow_symbols:
        name = value.strip()
        if name.lower() in {"nan", "inf", "infinity"}:
            return to_rational(value, policy, where)
        return sympy.Symbol(name, real=True)
    return to_rational(value, policy, where)


@dataclass(frozen=True)
class Layer:
    """One affine layer ``z = weight @ a + bias``; ``weight`` is out x in (PyTorch layout)."""

    weight: tuple[tuple[Weight, ...], ...]
    bias: tuple[Weight, ...]

    @property
    def in_dim(self) -> int:
        return len(self.weight[0]) if self.weight else 0

    @property
    def out_dim(self) -> int:
        return len(self.weight)

    @cached_property
    def integer_entries(self) -> tuple[tuple[int, ...], int]:
        """The weights (row by row) then the biases as integers over one positive denominator,
        ``(ints, den)``; computed once (the layer is immutable). Concrete layers only.

        >>> Layer(((Fraction(1, 2), Fraction(-1, 3)),), (Fraction(1),)).integer_entries
        ((3, -2, 6), 6)
        """
        values = [w for row in self.weight for w in row] + list(self.bias)
        dens = [v.denominator for v in values]
        den = lcm(*dens)
        return tuple(v.numerator * (den // d) for v, d in zip(values, dens)), den


@dataclass(frozen=True)
class Network:
    """A feed-forward ReLU network with exact weights.

    ``policy`` records how floats in the source were turned into rationals
    (``"exact"`` or ``"decimal"``); ``source`` names where it came from.
    """

    layers: tuple[Layer, ...]
    output_relu: bool = False
    policy: str = "exact"
    source: str = "<memory>"
    activations: tuple[LayerActivations, ...] = ()
    """Per activated layer, one :class:`Activation` per neuron; empty means ReLU everywhere."""
    _parameters: tuple[sympy.Symbol, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.layers:
            raise ShapeError(f"{self.source}: a network needs at least one layer")
        activated = len(self.layers) if self.output_relu else len(self.layers) - 1
        if not self.activations:
            object.__setattr__(self, "activations", tuple((RELU,) * self.layers[i].out_dim for i in range(activated)))
        elif len(self.activations) != activated or any(
            len(acts) != self.layers[i].out_dim for i, acts in enumerate(self.activations)
        ):
            raise ShapeError(
                f"{self.source}: activations are given for layers of widths {[len(a) for a in self.activations]} "
                f"but the activated layers have widths {[self.layers[i].out_dim for i in range(activated)]}"
            )
        elif any(not isinstance(act, Activation) for acts in self.activations for act in acts):
            raise InputFormatError(f"{self.source}: activations must be symrelu.activation.Activation values")
        for index, layer in enumerate(self.layers):
            if layer.out_dim == 0 or layer.in_dim == 0:
                raise ShapeError(f"{self.source}: layer {index} has an empty weight matrix")
            for row_index, row in enumerate(layer.weight):
                if len(row) != layer.in_dim:
                    raise ShapeError(
                        f"{self.source}: layer {index} weight row {row_index} has {len(row)} entries, "
                        f"expected {layer.in_dim} like row 0"
                    )
            if len(layer.bias) != layer.out_dim:
                raise ShapeError(
                    f"{self.source}: layer {index} weight is {layer.out_dim}x{layer.in_dim} "
                    f"but bias has {len(layer.bias)} entries (expected {layer.out_dim})"
                )
            if index > 0 and layer.in_dim != self.layers[index - 1].out_dim:
                previous = self.layers[index - 1]
                raise ShapeError(
                    f"{self.source}: layer {index} weight is {layer.out_dim}x{layer.in_dim} but layer "
                    f"{index - 1} outputs {previous.out_dim} values ({previous.out_dim}x{previous.in_dim})"
                )
        found: dict[str, sympy.Symbol] = {}
        for index, layer in enumerate(self.layers):
            for entry in [w for row in layer.weight for w in row] + list(layer.bias):
                if isinstance(entry, sympy.Symbol):
                    found.setdefault(entry.name, entry)
                elif type(entry) is not Fraction:
                    raise InputFormatError(
                        f"{self.source}: layer {index} holds {entry!r} of type {type(entry).__name__}; weights must be "
                        "Fractions or SymPy symbols (build networks with Network.from_rows or a loader)"
                    )
        object.__setattr__(self, "_parameters", tuple(found[name] for name in sorted(found)))

    # ----------------------------------------------------------------- building
    @classmethod
    def from_rows(
        cls,
        layers: Iterable[tuple[Sequence[Sequence[object]], Sequence[object]]],
        output_relu: bool = False,
        policy: str = "exact",
        source: str = "<memory>",
        allow_symbols: bool = True,
    ) -> Network:
        """Build from ``[(weight_rows, bias), ...]`` with numbers, text or parameter names."""
        built = []
        for index, (weight, bias) in enumerate(layers):
            where = f"{source}: layer {index}"
            rows = tuple(
                tuple(
                    _coerce_weight(w, policy, f"{where} weight[{i}][{j}]", allow_symbols)
                    for j, w in enumerate(row)
                )
                for i, row in enumerate(weight)
            )
            vector = tuple(_coerce_weight(b, policy, f"{where} bias[{i}]", allow_symbols) for i, b in enumerate(bias))
            built.append(Layer(rows, vector))
        return cls(tuple(built), output_relu=output_relu, policy=policy, source=source)

    # --------------------------------------------------------------- structure
    @property
    def input_dim(self) -> int:
        return self.layers[0].in_dim

    @property
    def output_dim(self) -> int:
        return self.layers[-1].out_dim

    @property
    def widths(self) -> tuple[int, ...]:
        return (self.input_dim,) + tuple(layer.out_dim for layer in self.layers)

    @property
    def relu_layer_count(self) -> int:
        """How many layers are followed by an activation."""
        return len(self.layers) if self.output_relu else len(self.layers) - 1

    @property
    def is_relu(self) -> bool:
        """True when every activation is ReLU."""
        return all(act.is_relu for acts in self.activations for act in acts)

    def activation_names(self) -> tuple[str, ...]:
        """The distinct activations used, in order of first use (``"relu"``, ``"leaky_relu(alpha=1/10)"``, ...)."""
        return tuple(dict.fromkeys(str(act) for acts in self.activations for act in acts))

    def require_relu(self, what: str) -> None:
        """Refuse a network with any activation other than ReLU: ``what`` handles only ReLU."""
        if not self.is_relu:
            others = ", ".join(name for name in self.activation_names() if name != "relu")
            raise UnsupportedActivationError(f"{what} handles only ReLU networks, but {self.source} uses {others}")

    def with_activations(self, activations: Sequence[Activation | Sequence[Activation]]) -> Network:
        """The same network with each activated layer's activation replaced (one per layer, or one per neuron)."""
        built = []
        for index, act in enumerate(activations):
            width = self.layers[index].out_dim if index < len(self.layers) else 0
            built.append((act,) * width if isinstance(act, Activation) else tuple(act))
        return Network(self.layers, self.output_relu, self.policy, self.source, tuple(built))

    @property
    def parameters(self) -> tuple[sympy.Symbol, ...]:
        """Trainable parameters (symbolic weights), sorted by name."""
        return self._parameters

    @property
    def is_concrete(self) -> bool:
        """True when every weight is a rational number."""
        return not self._parameters

    @property
    def parameter_count(self) -> int:
        """Number of weight and bias entries (the size of the network)."""
        return sum(layer.out_dim * (layer.in_dim + 1) for layer in self.layers)

    def require_concrete(self, what: str) -> None:
        if not self.is_concrete:
            names = ", ".join(p.name for p in self.parameters)
            raise ParameterError(
                f"{what} needs numeric weights, but {self.source} has parameters {names}; "
                "substitute values first (Network.substitute)"
            )

    def substitute(self, values: Mapping[sympy.Symbol | str, object]) -> Network:
        """Replace parameters by rational values; unknown names are refused."""
        by_name = {(k.name if isinstance(k, sympy.Symbol) else str(k)): v for k, v in values.items()}
        known = {p.name for p in self.parameters}
        unknown = sorted(set(by_name) - known)
        if unknown:
            raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; the network has {', '.join(sorted(known)) or 'none'}")

        def value(w: Weight) -> Weight:
            if isinstance(w, sympy.Symbol) and w.name in by_name:
                return to_rational(by_name[w.name], where=f"parameter {w.name}")
            return w

        layers = tuple(
            Layer(tuple(tuple(value(w) for w in row) for row in layer.weight), tuple(value(b) for b in layer.bias))
            for layer in self.layers
        )
        return Network(layers, self.output_relu, self.policy, self.source, self.activations)

    # -------------------------------------------------------------- evaluation
    def check_point(self, x: Sequence[object], what: str = "point") -> Vector:
        """Validate and convert an input point to rationals."""
        if len(x) != self.input_dim:
            raise ShapeError(f"{what} has {len(x)} coordinates but the network takes {self.input_dim} inputs")
        return tuple(to_rational(v, where=f"{what} coordinate {i}") for i, v in enumerate(x))

    def preactivations(self, x: Sequence[object]) -> tuple[Vector, ...]:
        """Exact pre-activations of every layer at ``x`` (the last is the raw output)."""
        self.require_concrete("exact evaluation")
        current = self.check_point(x)
        values = []
        for index, layer in enumerate(self.layers):
            z = tuple(sum((w * a for w, a in zip(row, current)), Fraction(0)) + b for row, b in zip(layer.weight, layer.bias))
            values.append(z)
            if index < self.relu_layer_count:
                current = tuple(act.evaluate(v) for act, v in zip(self.activations[index], z))
        return tuple(values)

    def evaluate(self, x: Sequence[object]) -> Vector:
        """Exact output ``f(x)``."""
        z = self.preactivations(x)[-1]
        return tuple(act.evaluate(v) for act, v in zip(self.activations[-1], z)) if self.output_relu else z

    def pattern(self, x: Sequence[object]) -> Pattern:
        """Activation pattern at ``x``: each neuron's state (for ReLU, 1 where the pre-activation is > 0, else 0)."""
        z = self.preactivations(x)
        return tuple(
            tuple(act.state(v) for act, v in zip(acts, layer)) for acts, layer in zip(self.activations, z[: self.relu_layer_count])
        )

    def affine_map(self, pattern: Pattern) -> tuple[Matrix, Vector]:
        """The exact affine map ``x -> J x + c`` that the network equals on ``pattern``'s region."""
        self.require_concrete("an affine map")
        if len(pattern) != self.relu_layer_count or any(
            len(bits) != self.layers[i].out_dim for i, bits in enumerate(pattern)
        ):
            raise ShapeError("pattern does not match the network's activated layers")
        n = self.input_dim
        jac: list[list[Fraction]] = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
        off: list[Fraction] = [Fraction(0)] * n
        for index, layer in enumerate(self.layers):
            jac = [[sum((w * jac[k][j] for k, w in enumerate(row)), Fraction(0)) for j in range(n)] for row in layer.weight]
            off = [sum((w * off[k] for k, w in enumerate(row)), Fraction(0)) + b for row, b in zip(layer.weight, layer.bias)]
            if index < self.relu_layer_count:
                pieces = [act.piece(state) for act, state in zip(self.activations[index], pattern[index])]
                jac = [[slope * v for v in row] for row, (slope, _) in zip(jac, pieces)]
                off = [slope * v + offset for v, (slope, offset) in zip(off, pieces)]
        return tuple(tuple(row) for row in jac), tuple(off)


def format_pattern(pattern: Pattern) -> str:
    """``((1, 0), (1,))`` -> ``"10|1"``: the printed and JSON form of a pattern (one digit per neuron's state)."""
    return "|".join("".join(str(bit) for bit in bits) for bits in pattern)


def parse_pattern(text: str) -> Pattern:
    """Inverse of :func:`format_pattern`."""
    if not text or any(ch not in "0123456789|" for ch in text):
        raise InputFormatError(f"{text!r} is not an activation pattern like '10|1' (one state digit per neuron)")
    return tuple(tuple(int(ch) for ch in part) for part in text.split("|"))
