"""Training problems: a network with trainable parameters, data, a loss and a domain.

A :class:`Problem` is what the parameter-space tools work on. Parameters are the
SymPy symbols carried by the network (sorted by name); a name used twice is a
tied weight.

>>> from symrelu.network import Network
>>> net = Network.from_rows([([["w1"], ["w2"]], [0, 0]), ([[1, 1]], [0])])
>>> prob = Problem(net, [(["1"], ["1"])], "squared", {"w1": ("-1", "1"), "w2": ("-1", "1")})
>>> prob.parameter_names, prob.domain
(('w1', 'w2'), ((Fraction(-1, 1), Fraction(1, 1)), (Fraction(-1, 1), Fraction(1, 1))))
>>> prob.is_linear
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy

from ..errors import DomainError, InputFormatError, ParameterError, ShapeError
from ..exact import parse_rational, to_rational
from ..loaders.json_format import network_from_json_data
from ..network import Network
from ..validation import check_interval

LOSSES: tuple[str, ...] = ("squared", "absolute")
"""``squared``: 1/(2n) Σ‖f(x_i;θ) − y_i‖²; ``absolute``: 1/n Σ‖f(x_i;θ) − y_i‖₁."""

Vector = tuple[Fraction, ...]
Point = tuple[Fraction, ...]
DataPoint = tuple[Vector, Vector]
Interval = tuple[Fraction, Fraction]


def _vector(values: object, where: str) -> Vector:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise InputFormatError(f"{where}: expected a list of rationals, got {values!r}")
    return tuple(to_rational(v, where=f"{where}[{i}]") for i, v in enumerate(values))


@dataclass(frozen=True)
class Problem:
    """A training problem ``(network, data, loss, domain)``.

    ``data`` is a sequence of ``(x, y)`` pairs; ``domain`` is ``None`` (all of ℝᵏ)
    or a mapping ``name -> (lo, hi)`` with one interval per parameter. After
    construction ``data`` and ``domain`` hold exact rationals, ``domain`` as a
    tuple of intervals in :attr:`parameter_names` order.
    """

    network: Network
    data: Any
    loss: str = "squared"
    domain: Any = None

    def __post_init__(self) -> None:
        net = self.network
        if not isinstance(net, Network):
            raise InputFormatError(f"problem network must be a symrelu Network, got {type(net).__name__}")
        if not net.parameters:
            raise ParameterError(
                f"{net.source}: the network has no trainable parameters; write a parameter name such as "
                "'w1' in place of a weight or bias"
            )
        if self.loss not in LOSSES:
            raise InputFormatError(f"unknown loss {self.loss!r}; use one of {', '.join(LOSSES)}")
        object.__setattr__(self, "data", self._check_data(self.data))
        object.__setattr__(self, "domain", self._check_domain(self.domain))

    def _check_data(self, data: object) -> tuple[DataPoint, ...]:
        if isinstance(data, (str, bytes)) or not isinstance(data, Sequence) or not data:
            raise ShapeError("problem data must be a non-empty list of (x, y) pairs")
        checked = []
        for i, pair in enumerate(data):
            if isinstance(pair, Mapping):
                if set(pair) != {"x", "y"}:
                    raise InputFormatError(f"data point {i}: expected keys 'x' and 'y', got {sorted(pair)}")
                pair = (pair["x"], pair["y"])
            if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
                raise InputFormatError(f"data point {i}: expected an (x, y) pair")
            x, y = _vector(pair[0], f"data point {i} x"), _vector(pair[1], f"data point {i} y")
            if len(x) != self.network.input_dim:
                raise ShapeError(
                    f"data point {i}: x has {len(x)} entries but the network takes {self.network.input_dim} inputs"
                )
            if len(y) != self.network.output_dim:
                raise ShapeError(
                    f"data point {i}: y has {len(y)} entries but the network has {self.network.output_dim} outputs"
                )
            checked.append((x, y))
        return tuple(checked)

    def _check_domain(self, domain: object) -> tuple[Interval, ...] | None:
        if domain is None:
            return None
        names = self.parameter_names
        if isinstance(domain, Mapping):
            unknown = sorted(set(map(str, domain)) - set(names))
            if unknown:
                raise ParameterError(
                    f"domain names unknown parameter(s) {', '.join(unknown)}; the network has {', '.join(names)}"
                )
            missing = [n for n in names if n not in domain]
            if missing:
                raise ParameterError(
                    f"domain has no interval for parameter(s) {', '.join(missing)}; give one per parameter or omit the domain"
                )
            items = [domain[n] for n in names]
        elif isinstance(domain, Sequence) and not isinstance(domain, (str, bytes)):
            if len(domain) != len(names):
                raise ShapeError(f"domain has {len(domain)} intervals but there are {len(names)} parameters")
            items = list(domain)
        else:
            raise InputFormatError("domain must map parameter names to [lo, hi] intervals")
        intervals = []
        for name, item in zip(names, items, strict=True):
            if isinstance(item, (str, bytes)) or not isinstance(item, Sequence) or len(item) != 2:
                raise InputFormatError(f"domain of {name}: expected [lo, hi], got {item!r}")
            intervals.append(check_interval(item[0], item[1], f"domain of {name}"))
        return tuple(intervals)

    # ------------------------------------------------------------------ views
    @property
    def parameters(self) -> tuple[sympy.Symbol, ...]:
        """The trainable parameters, sorted by name."""
        return self.network.parameters

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.network.parameters)

    @property
    def is_linear(self) -> bool:
        """True when every switch polynomial (pre-activation, or residual for the absolute loss) is affine in θ.

        That holds when the parameters feeding switches sit in one layer only;
        parameters of a final layer without ReLU only make the loss polynomial.
        """
        net = self.network
        last = net.relu_layer_count if self.loss == "squared" else len(net.layers)
        layers_with_params = [
            i
            for i, layer in enumerate(net.layers[:last])
            if any(isinstance(w, sympy.Symbol) for row in layer.weight for w in row)
            or any(isinstance(b, sympy.Symbol) for b in layer.bias)
        ]
        return len(layers_with_params) <= 1

    def point(self, values: Mapping[str, object] | Sequence[object], where: str = "point") -> Point:
        """Check and convert a parameter point (a mapping by name, or a sequence in order)."""
        names = self.parameter_names
        if isinstance(values, Mapping):
            unknown = sorted(set(map(str, values)) - set(names))
            if unknown:
                raise ParameterError(f"{where}: unknown parameter(s) {', '.join(unknown)}; the problem has {', '.join(names)}")
            missing = [n for n in names if n not in values]
            if missing:
                raise ParameterError(f"{where}: no value for parameter(s) {', '.join(missing)}")
            return tuple(to_rational(values[n], where=f"{where} {n}") for n in names)
        if len(values) != len(names):
            raise ShapeError(f"{where} has {len(values)} coordinates but the problem has {len(names)} parameters")
        return tuple(to_rational(v, where=f"{where} {n}") for n, v in zip(names, values, strict=True))

    def concrete(self, point: Sequence[Fraction]) -> Network:
        """The network with parameters replaced by ``point``."""
        return self.network.substitute(dict(zip(self.parameter_names, point, strict=True)))

    def loss_at(self, point: Sequence[Fraction]) -> Fraction:
        """Exact loss ℓ(θ) by direct evaluation (independent of region bookkeeping)."""
        net = self.concrete(point)
        total = Fraction(0)
        for x, y in self.data:
            out = net.evaluate(x)
            if self.loss == "squared":
                total += sum(((o - t) ** 2 for o, t in zip(out, y, strict=True)), Fraction(0))
            else:
                total += sum((abs(o - t) for o, t in zip(out, y, strict=True)), Fraction(0))
        n = len(self.data)
        return total / (2 * n) if self.loss == "squared" else total / n


def problem_from_dict(spec: Mapping[str, Any], source: str = "<memory>", policy: str = "exact") -> Problem:
    """Build a problem from the JSON structure documented in issue 3 (``network`` may also be a
    :class:`~symrelu.network.Network`); JSON floats in the network become rationals under ``policy``."""
    if not isinstance(spec, Mapping):
        raise InputFormatError(f"{source}: a problem must be a JSON object")
    unknown = sorted(set(spec) - {"network", "data", "loss", "domain", "activation"})
    if unknown:
        raise InputFormatError(
            f"{source}: unknown key(s) {', '.join(unknown)}; expected network, data, loss, domain, activation"
        )
    for key in ("network", "data"):
        if key not in spec:
            raise InputFormatError(f"{source}: missing key {key!r}")
    given = spec["network"]
    network = given if isinstance(given, Network) else network_from_json_data(given, source=source, policy=policy)
    if "activation" in spec:
        network = with_problem_activation(network, spec["activation"], source, policy)
    loss = spec.get("loss", "squared")
    if not isinstance(loss, str):
        raise InputFormatError(f"{source}: 'loss' must be a string such as \"squared\"")
    return Problem(network, spec["data"], loss, spec.get("domain"))


def with_problem_activation(network: Network, spec: object, source: str, policy: str = "exact") -> Network:
    """``network`` with the problem's ``"activation"``: one spec for every activated layer, or a list with one
    per activated layer (the spellings of a network layer's ``"activation"``, :mod:`symrelu.loaders.activation_spec`).

    >>> net = Network.from_rows([([["w1"], ["w2"]], [0, 0]), ([[1, 1]], [0])])
    >>> with_problem_activation(net, {"type": "leaky_relu", "alpha": "1/10"}, "p.json").activation_names()
    ('leaky_relu(alpha=1/10)',)
    """
    from ..loaders.activation_spec import activations_from_spec

    count = network.relu_layer_count
    if not network.is_relu:
        raise InputFormatError(f"{source}: the network already names its activations; give them in one place")
    specs = spec if isinstance(spec, list) else [spec] * count
    if len(specs) != count:
        raise ShapeError(f"{source}: 'activation' lists {len(specs)} activation(s) but the network has {count} activated layer(s)")
    return network.with_activations([
        activations_from_spec(s, network.layers[i].out_dim, policy, f"{source}: activation of layer {i}")
        for i, s in enumerate(specs)
    ])


def load_problem(path: str | Path, policy: str = "exact") -> Problem:
    """Load a problem from a ``.json`` (or ``.toml``) file, or a bundled example by name; errors
    name the file (see :mod:`symrelu.loaders.problem_file`)."""
    from ..loaders.problem_file import read_problem_spec

    spec, source = read_problem_spec(path, policy)
    return problem_from_dict(spec, source=source, policy=policy)


def parse_assignment(text: str, where: str = "assignment") -> dict[str, Fraction]:
    """Parse ``"w1=1/100,w2=-1"`` into ``{"w1": 1/100, "w2": -1}``.

    >>> parse_assignment("w1=1/100, w2=-1")
    {'w1': Fraction(1, 100), 'w2': Fraction(-1, 1)}
    """
    values: dict[str, Fraction] = {}
    if not text.strip():
        raise InputFormatError(f"{where}: empty; write name=value pairs such as w1=1/100,w2=0")
    for part in text.split(","):
        if part.count("=") != 1:
            raise InputFormatError(f"{where}: {part.strip()!r} is not name=value (e.g. w1=1/100)")
        name, value = (s.strip() for s in part.split("="))
        if not name.isidentifier():
            raise ParameterError(f"{where}: {name!r} is not a parameter name")
        if name in values:
            raise ParameterError(f"{where}: parameter {name} given twice")
        values[name] = parse_rational(value, f"{where} {name}")
    return values


def parse_step_size(text: str, where: str = "step size") -> Fraction:
    """A positive rational step size (``"1/10"``); floats are refused as text like ``0.1`` is exact.

    >>> parse_step_size("1/10")
    Fraction(1, 10)
    """
    value = parse_rational(text, where)
    if value <= 0:
        raise DomainError(f"{where}: step size {text!r} must be a positive rational such as 1/10")
    return value
