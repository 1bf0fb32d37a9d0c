"""The ``"activation"`` of a layer in the JSON network format: read exactly, written losslessly.

A layer's ``"activation"`` is one spec for every neuron, or a list with one spec per neuron:

* ``"relu"`` (the default), ``"abs"``, ``"relu6"`` (= clip 0..6), ``"hardtanh"`` (= clip -1..1);
* ``{"type": "leaky_relu", "alpha": "1/100"}``: ``max(z, alpha z)``;
* ``{"type": "prelu", "alpha": [a_1, ..., a_m]}``: leaky ReLU with one slope per neuron;
* ``{"type": "clip", "min": 0, "max": 6}``: ``min(max(z, min), max)``; either bound may be left
  out (then that side is unbounded, and one breakpoint remains);
* ``{"type": "piecewise", "breakpoints": [...], "slopes": [...], "offsets": [...]}``: any
  continuous piecewise-linear function (``k`` breakpoints, ``k + 1`` pieces).

Numbers follow the weights' rules (strings and ints exact, float literals under the policy).

>>> acts = activations_from_spec({"type": "leaky_relu", "alpha": "1/100"}, 2, "exact", "layer 0")
>>> [str(a) for a in acts]
['leaky_relu(alpha=1/100)', 'leaky_relu(alpha=1/100)']
>>> [str(a) for a in activations_from_spec({"type": "prelu", "alpha": [0.5, "1/4"]}, 2, "exact", "layer 0")]
['leaky_relu(alpha=1/2)', 'leaky_relu(alpha=1/4)']
>>> spec_of_layer(activations_from_spec("relu6", 3, "exact", "layer 0"))
{'type': 'clip', 'min': '0', 'max': '6'}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from ..activation import MAX_BREAKPOINTS, RELU, Activation, abs_, clip, leaky_relu, piecewise
from ..errors import InputFormatError, ShapeError
from ..exact import format_rational, to_rational

Number = Callable[[Any, str], Fraction]
"""Reads one JSON number (policy applied) naming ``where`` on error."""


def one_sided_clip(low: Fraction | None, high: Fraction | None, where: str) -> Activation:
    """``min(max(z, low), high)`` with ``None`` for an unbounded side (a bound that makes it ReLU gives :data:`RELU`).

    >>> str(one_sided_clip(None, Fraction(6), "x")), one_sided_clip(Fraction(0), None, "x") is RELU
    ('clip(max=6)', True)
    """
    if low is not None and high is not None:
        if low >= high:
            raise InputFormatError(f"{where}: clip needs min < max, got min {low} and max {high}")
        return clip(low, high)
    if low is not None:
        if low == 0:
            return RELU
        return piecewise("clip", [low], [0, 1], [low, 0], [("min", low)])
    if high is not None:
        return piecewise("clip", [high], [1, 0], [0, high], [("max", high)])
    raise InputFormatError(f"{where}: clip needs a min, a max or both (without either it is the identity, not an activation)")


def _named(spec: str, where: str) -> Activation:
    shorthands: dict[str, Callable[[], Activation]] = {
        "relu": lambda: RELU,
        "abs": abs_,
        "relu6": lambda: clip(0, 6),
        "hardtanh": lambda: clip(-1, 1),
    }
    if spec not in shorthands:
        raise InputFormatError(
            f"{where}: unknown activation {spec!r}; use one of {', '.join(shorthands)} or an object with "
            f"\"type\" one of {', '.join(_KINDS)}"
        )
    return shorthands[spec]()


def _keys(spec: Mapping[str, Any], allowed: tuple[str, ...], required: tuple[str, ...], where: str) -> None:
    extra = sorted(set(spec) - set(allowed) - {"type"})
    if extra:
        raise InputFormatError(f"{where}: unknown key(s) {', '.join(extra)} for activation {spec['type']!r}; expected {', '.join(allowed)}")
    missing = [key for key in required if key not in spec]
    if missing:
        raise InputFormatError(f"{where}: activation {spec['type']!r} needs key(s) {', '.join(missing)}")


def _numbers(value: Any, number: Number, where: str) -> list[Fraction]:
    if not isinstance(value, list):
        raise InputFormatError(f"{where} must be a list of numbers")
    return [number(v, f"{where}[{i}]") for i, v in enumerate(value)]


def _leaky_or_relu(alpha: Fraction) -> Activation:
    """``leaky_relu(alpha)``, or :data:`RELU` itself for ``alpha = 0``."""
    return RELU if alpha == 0 else leaky_relu(alpha)


def _leaky(spec: Mapping[str, Any], width: int, number: Number, where: str) -> tuple[Activation, ...]:
    _keys(spec, ("alpha",), ("alpha",), where)
    return (_leaky_or_relu(number(spec["alpha"], f"{where} alpha")),) * width


def _prelu(spec: Mapping[str, Any], width: int, number: Number, where: str) -> tuple[Activation, ...]:
    _keys(spec, ("alpha",), ("alpha",), where)
    alphas = _numbers(spec["alpha"], number, f"{where} alpha")
    if len(alphas) != width:
        raise ShapeError(f"{where}: prelu has {len(alphas)} slopes but the layer has {width} neurons")
    return tuple(_leaky_or_relu(a) for a in alphas)


def _clip(spec: Mapping[str, Any], width: int, number: Number, where: str) -> tuple[Activation, ...]:
    _keys(spec, ("min", "max"), (), where)
    low = number(spec["min"], f"{where} min") if "min" in spec else None
    high = number(spec["max"], f"{where} max") if "max" in spec else None
    return (one_sided_clip(low, high, where),) * width


def _piecewise(spec: Mapping[str, Any], width: int, number: Number, where: str) -> tuple[Activation, ...]:
    keys = ("breakpoints", "slopes", "offsets")
    _keys(spec, keys, keys, where)
    values = [_numbers(spec[key], number, f"{where} {key}") for key in keys]
    if len(values[0]) > MAX_BREAKPOINTS:
        raise InputFormatError(f"{where}: {len(values[0])} breakpoints; at most {MAX_BREAKPOINTS} (a pattern prints one digit per state)")
    try:
        act = piecewise("piecewise", values[0], values[1], values[2])
    except InputFormatError as err:
        raise InputFormatError(f"{where}: {err}") from None
    return (RELU if act.is_relu else act,) * width


_KINDS: dict[str, Callable[[Mapping[str, Any], int, Number, str], tuple[Activation, ...]]] = {
    "leaky_relu": _leaky,
    "prelu": _prelu,
    "clip": _clip,
    "piecewise": _piecewise,
}
"""Object specs by ``"type"``: the registration point for a new kind of activation."""


def activations_from_spec(spec: Any, width: int, policy: str, where: str, number: Number | None = None) -> tuple[Activation, ...]:
    """One :class:`Activation` per neuron of a layer of ``width`` neurons, from its JSON spec."""
    read: Number = number or (lambda value, at: to_rational(value, policy, at))
    if isinstance(spec, str):
        return (_named(spec, where),) * width
    if isinstance(spec, list):
        if len(spec) != width:
            raise ShapeError(f"{where}: {len(spec)} per-neuron activations for a layer of {width} neurons")
        return tuple(activations_from_spec(s, 1, policy, f"{where}[{i}]", read)[0] for i, s in enumerate(spec))
    if isinstance(spec, Mapping):
        kind = spec.get("type")
        if not isinstance(kind, str) or kind not in _KINDS:
            raise InputFormatError(f"{where}: an activation object needs \"type\" one of {', '.join(_KINDS)}, got {kind!r}")
        return _KINDS[kind](spec, width, read, where)
    raise InputFormatError(f"{where}: an activation is a name such as \"relu\", an object with \"type\", or a list of them")


def spec_of(act: Activation) -> Any:
    """The JSON spec of one activation (exact strings)."""
    if act.is_relu:
        return "relu"
    if act == abs_():
        return "abs"
    if act.name == "leaky_relu" and act == leaky_relu(act.slopes[0]):
        return {"type": "leaky_relu", "alpha": format_rational(act.slopes[0])}
    if act.name == "clip" and dict(act.params).keys() <= {"min", "max"} and act.params:
        bounds = dict(act.params)
        if one_sided_clip(bounds.get("min"), bounds.get("max"), "") == act:
            return {"type": "clip", **{key: format_rational(value) for key, value in act.params}}
    return {
        "type": "piecewise",
        "breakpoints": [format_rational(v) for v in act.breakpoints],
        "slopes": [format_rational(v) for v in act.slopes],
        "offsets": [format_rational(v) for v in act.offsets],
    }


def spec_of_layer(acts: Sequence[Activation]) -> Any:
    """The JSON spec of a layer's activations: one spec when all agree, ``prelu`` for leaky slopes, else a list."""
    if all(act == acts[0] for act in acts):
        return spec_of(acts[0])
    specs = [spec_of(act) for act in acts]
    if all(isinstance(s, dict) and s.get("type") == "leaky_relu" for s in specs):
        return {"type": "prelu", "alpha": [s["alpha"] for s in specs]}
    return specs
