"""The JSON network format: read it exactly, write it losslessly.

``{"layers": [{"weight": [[...], ...], "bias": [...]}, ...], "output_relu": false}``

* ``weight`` is out x in (row i holds the weights into neuron i, as in PyTorch).
* A number is a JSON int, a JSON float, or a string such as ``"3/4"``, ``"-1.25"`` or ``"1e-3"``.
  Strings and ints are exact. A JSON float literal is first read as the nearest double
  (so ``0.1`` is the double nearest 1/10), then converted under the policy: ``"exact"``
  keeps that double's exact binary value, ``"decimal"`` takes the shortest decimal that
  prints it (``0.1`` -> 1/10). Write ``"0.1"`` as a string to mean exactly 1/10 under any policy.
* An identifier such as ``"w1"`` is a trainable parameter (a SymPy symbol).
* ``NaN``/``Infinity`` literals, ``"nan"``/``"inf"`` strings and float literals that
  overflow a double are refused with :class:`~symrelu.errors.NonFiniteError`.
* ``output_relu`` is optional (default false); ``description`` is an optional free text.
* A layer followed by an activation (every layer but the last, and the last too when
  ``output_relu``) may say which: ``"activation": "relu"`` (the default), ``"abs"``, ``"relu6"``,
  ``"hardtanh"``, ``{"type": "leaky_relu", "alpha": "1/100"}``, ``{"type": "prelu", "alpha": [...]}``
  (one slope per neuron), ``{"type": "clip", "min": 0, "max": 6}`` (a bound may be left out),
  ``{"type": "piecewise", "breakpoints": [...], "slopes": [...], "offsets": [...]}``, or a list with
  one of these per neuron (:mod:`symrelu.loaders.activation_spec`). Its numbers are read like weights.

>>> net = network_from_text('{"layers": [{"weight": [["1/2", 2], [0.1, "w1"]], "bias": [0, "-1.25"]}]}')
>>> net.layers[0].weight[0], net.layers[0].bias, net.parameters
((Fraction(1, 2), Fraction(2, 1)), (Fraction(0, 1), Fraction(-5, 4)), (w1,))
>>> net.layers[0].weight[1][0] == 0.1, network_from_text('{"layers": [{"weight": [[0.1]], "bias": [0]}]}', policy="decimal").layers[0].weight
(True, ((Fraction(1, 10),),))
>>> leaky = network_from_text('{"layers": [{"weight": [[1], [-1]], "bias": [0, 0], "activation": {"type": "leaky_relu", "alpha": "1/100"}}, '
...                           '{"weight": [[1, 1]], "bias": [0]}]}')
>>> leaky.activation_names(), leaky.evaluate([-2])
(('leaky_relu(alpha=1/100)',), (Fraction(99, 50),))
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy

from ..errors import InputFormatError, NonFiniteError, ShapeError
from ..exact import check_policy, format_rational, to_rational
from ..network import Network
from ._files import read_bytes
from .activation_spec import activations_from_spec, spec_of_layer

log = logging.getLogger(__name__)

TOP_LEVEL_KEYS = ("layers", "output_relu", "description")
LAYER_KEYS = ("weight", "bias")
OPTIONAL_LAYER_KEYS = ("activation",)


@dataclass(frozen=True)
class _FloatLiteral:
    """A JSON float literal, kept as text until we know where it sits."""

    text: str


@dataclass(frozen=True)
class _NonFiniteLiteral:
    """A ``NaN``/``Infinity``/``-Infinity`` literal (which :mod:`json` accepts by default)."""

    text: str


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InputFormatError(f"duplicate key {key!r} in a JSON object; each key may appear once")
        result[key] = value
    return result


MAX_JSON_DEPTH = 32
"""Deepest nesting accepted in a network or problem file (real ones need about 6)."""


def _integer_literal(text: str) -> int:
    """A JSON integer literal of any length up to :data:`~symrelu.exact.MAX_NUMBER_DIGITS`
    (``int(text)`` refuses more than 4300 digits)."""
    from ..exact import parse_rational

    return parse_rational(text, "JSON integer").numerator


def _check_depth(data: Any, source: str) -> None:
    """Refuse documents nested deeper than :data:`MAX_JSON_DEPTH` (iteratively: no recursion)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise InputFormatError(f"{source}: JSON nested more than {MAX_JSON_DEPTH} levels deep; not a network or problem file")
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))


def parse_json_text(text: str, source: str, keep_float_text: bool = True) -> Any:
    """Parse JSON keeping float literals as text (``keep_float_text``, else as doubles); syntax
    errors name the line and column; duplicate keys, absurd nesting and numbers too long to read
    are refused with one line.

    >>> parse_json_text('{"a": 1, "a": 2}', "p.json")
    Traceback (most recent call last):
    ...
    symrelu.errors.InputFormatError: p.json: duplicate key 'a' in a JSON object; each key may appear once
    >>> parse_json_text("[" * 100000 + "]" * 100000, "deep.json")
    Traceback (most recent call last):
    ...
    symrelu.errors.InputFormatError: deep.json: JSON nested more than 32 levels deep; not a network or problem file
    """
    try:
        data = json.loads(
            text,
            parse_float=_FloatLiteral if keep_float_text else float,
            parse_int=_integer_literal,
            parse_constant=_NonFiniteLiteral if keep_float_text else (lambda c: c),
            object_pairs_hook=_pairs_without_duplicates,
        )
    except json.JSONDecodeError as err:
        raise InputFormatError(
            f"{source}: malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        ) from None
    except RecursionError:
        raise InputFormatError(f"{source}: JSON nested more than {MAX_JSON_DEPTH} levels deep; not a network or problem file") from None
    except InputFormatError as err:
        raise InputFormatError(f"{source}: {err}") from None
    _check_depth(data, source)
    return data


def _path_text(path: tuple[object, ...]) -> str:
    if len(path) >= 3 and path[0] == "layers":
        return f"layer {path[1]} {path[2]}" + "".join(f"[{p}]" for p in path[3:])
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "top level"


def _refuse_non_finite(node: Any, path: tuple[object, ...], source: str) -> None:
    """Raise on any NaN/Infinity literal anywhere in the document, naming where it is."""
    if isinstance(node, _NonFiniteLiteral):
        raise NonFiniteError(f"{source}: {_path_text(path)}: {node.text} is not finite; weights must be finite numbers")
    if isinstance(node, dict):
        for key, value in node.items():
            _refuse_non_finite(value, path + (key,), source)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _refuse_non_finite(value, path + (index,), source)


def _entry(value: Any, policy: str, where: str) -> object:
    """Check one weight or bias entry; convert float literals now, leave text/ints to the network."""
    if isinstance(value, _FloatLiteral):
        as_float = float(value.text)
        if as_float in (float("inf"), float("-inf")):
            raise NonFiniteError(f"{where}: {value.text} overflows a double; write it as a string such as \"1e400\"")
        return to_rational(as_float, policy, where)
    if isinstance(value, float):  # data from plain json.loads
        return to_rational(value, policy, where)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InputFormatError(
            f"{where}: expected a number, a string like \"3/4\" or a parameter name, got {_described(value)}"
        )
    return value


def _vector(value: Any, policy: str, where: str) -> list[object]:
    if not isinstance(value, list):
        raise InputFormatError(f"{where} must be a list of numbers, got {_described(value)}")
    return [_entry(v, policy, f"{where}[{i}]") for i, v in enumerate(value)]


def _json_kind(value: Any) -> str:
    kinds = ((bool, "a boolean"), (type(None), "null"), (list, "a list"), (dict, "an object"), (str, "a string"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "a number")


def _described(value: Any) -> str:
    return "null" if value is None else f"{_json_kind(value)} {_preview(value)}"


def _preview(value: Any) -> str:
    if isinstance(value, (_FloatLiteral, _NonFiniteLiteral)):
        return value.text
    return json.dumps(value, default=lambda v: getattr(v, "text", str(v)))[:40]


def network_from_json_data(data: Any, source: str = "<json>", policy: str = "exact") -> Network:
    """Build a network from parsed JSON data (the output of :func:`parse_json_text`, or plain
    :func:`json.loads` output, whose floats are then doubles)."""
    policy = check_policy(policy)
    _refuse_non_finite(data, (), source)
    if not isinstance(data, Mapping):
        raise InputFormatError(f"{source}: the top level must be an object with a \"layers\" list, got {_preview(data)}")
    unknown = sorted(set(data) - set(TOP_LEVEL_KEYS))
    if unknown:
        raise InputFormatError(f"{source}: unknown key(s) {', '.join(unknown)}; expected {', '.join(TOP_LEVEL_KEYS)}")
    if "layers" not in data:
        raise InputFormatError(f"{source}: missing key \"layers\" (a list of {{\"weight\": ..., \"bias\": ...}} objects)")
    layers = data["layers"]
    if not isinstance(layers, list):
        raise InputFormatError(f"{source}: \"layers\" must be a list, got {_preview(layers)}")
    if not layers:
        raise ShapeError(f"{source}: \"layers\" is empty; a network needs at least one layer")
    output_relu = data.get("output_relu", False)
    if not isinstance(output_relu, bool):
        raise InputFormatError(f"{source}: \"output_relu\" must be true or false, got {_preview(output_relu)}")
    rows = []
    for index, layer in enumerate(layers):
        where = f"{source}: layer {index}"
        if not isinstance(layer, Mapping):
            raise InputFormatError(f"{where} must be an object with \"weight\" and \"bias\", got {_preview(layer)}")
        for key in LAYER_KEYS:
            if key not in layer:
                raise InputFormatError(f"{where}: missing key \"{key}\"")
        extra = sorted(set(layer) - set(LAYER_KEYS) - set(OPTIONAL_LAYER_KEYS))
        if extra:
            raise InputFormatError(f"{where}: unknown key(s) {', '.join(extra)}; a layer has only weight, bias and activation")
        weight = layer["weight"]
        if not isinstance(weight, list) or not all(isinstance(row, list) for row in weight):
            raise InputFormatError(
                f"{where} weight must be a list of rows (each a list of numbers, out x in), got {_preview(weight)}"
            )
        matrix = [_vector(row, policy, f"{where} weight[{i}]") for i, row in enumerate(weight)]
        rows.append((matrix, _vector(layer["bias"], policy, f"{where} bias")))
    net = Network.from_rows(rows, output_relu=output_relu, policy=policy, source=source)
    specs = [layer.get("activation", "relu") for layer in layers]
    if any("activation" in layer for layer in layers[net.relu_layer_count :]):
        raise InputFormatError(
            f"{source}: layer {len(layers) - 1} is the output layer and has no activation (set \"output_relu\": true to give it one)"
        )
    if all(spec == "relu" for spec in specs[: net.relu_layer_count]):
        return net

    def number(value: Any, where: str) -> Fraction:
        return to_rational(_entry(value, policy, where), policy, where)

    acts = [
        activations_from_spec(spec, net.layers[i].out_dim, policy, f"{source}: layer {i} activation", number)
        for i, spec in enumerate(specs[: net.relu_layer_count])
    ]
    return net.with_activations(acts)


def network_from_text(text: str, source: str = "<json>", policy: str = "exact") -> Network:
    """Parse network JSON text (see the module docstring for the format)."""
    return network_from_json_data(parse_json_text(text, source), source, policy)


def load_json(path: str | Path, policy: str = "exact") -> Network:
    """Load a ``.json`` network; ``Network.source`` is the file name."""
    policy = check_policy(policy)
    path = Path(path)
    raw = read_bytes(path, "JSON network")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputFormatError(f"{path.name}: not UTF-8 text (byte {err.start}); a JSON network must be UTF-8") from None
    return network_from_text(text, path.name, policy)


def _entry_json(value: Fraction | sympy.Symbol) -> str:
    if isinstance(value, sympy.Symbol):
        return str(value.name)
    return format_rational(value)


def network_to_json_data(net: Network) -> dict[str, Any]:
    """The JSON structure of ``net``; every number is an exact string, parameters are their names.
    A layer gets an ``"activation"`` only when it is not ReLU (so a ReLU network's file is unchanged)."""
    layers: list[dict[str, Any]] = [
        {"weight": [[_entry_json(w) for w in row] for row in layer.weight], "bias": [_entry_json(b) for b in layer.bias]}
        for layer in net.layers
    ]
    for entry, acts in zip(layers, net.activations):
        if not all(act.is_relu for act in acts):
            entry["activation"] = spec_of_layer(acts)
    return {"layers": layers, "output_relu": net.output_relu}


def network_to_json(net: Network) -> str:
    """Deterministic JSON text of ``net`` (sorted keys); reading it back gives an equal network.

    >>> net = network_from_text('{"layers": [{"weight": [[0.5, "w"]], "bias": ["1/3"]}]}')
    >>> print(network_to_json(net), end="")
    {"layers": [{"bias": ["1/3"], "weight": [["1/2", "w"]]}], "output_relu": false}
    >>> network_from_text(network_to_json(net)) == net
    True
    """
    return json.dumps(network_to_json_data(net), sort_keys=True) + "\n"


def save_json(net: Network, path: str | Path) -> Path:
    """Write ``net`` as JSON to ``path`` (exact strings, sorted keys) and return the path."""
    path = Path(path)
    try:
        path.write_text(network_to_json(net), encoding="utf-8")
    except OSError as err:
        raise InputFormatError(f"{path}: cannot write network file ({err.strerror or err})") from None
    log.debug("wrote %s", path)
    return path
