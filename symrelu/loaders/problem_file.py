"""Reading training-problem files (``.json`` or ``.toml``) into the mapping that
:func:`symrelu.params.problem.problem_from_dict` checks.

The same guards as network files apply: duplicate keys, NaN/Infinity, absurd nesting and numbers
too long to read are refused with one line. Floats in ``data`` and ``domain`` become rationals
under the policy. ``"network"`` is either the network itself or the path of a network file,
relative to the problem file (so a problem works from any folder).

>>> spec, source = read_problem_spec(example_path("paper_instance"))
>>> source, sorted(spec), spec["domain"]["w1"]
('paper_instance.json', ['data', 'domain', 'loss', 'network'], ['-1', '1'])
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InputFormatError
from ..exact import check_policy, to_rational
from ._files import read_bytes
from .examples import example_path, missing_file_hint, resolve_input
from .json_format import parse_json_text

__all__ = ["example_path", "read_problem_spec"]


def _exact_floats(node: Any, policy: str, where: str) -> Any:
    """Replace every float in a list/mapping tree by its rational under ``policy`` (iterative depth is
    bounded by the parser)."""
    if isinstance(node, float):
        return to_rational(node, policy, where)
    if isinstance(node, list):
        return [_exact_floats(v, policy, f"{where}[{i}]") for i, v in enumerate(node)]
    if isinstance(node, Mapping):
        return {k: _exact_floats(v, policy, f"{where}.{k}") for k, v in node.items()}
    return node


def _parse(text: str, path: Path) -> Any:
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise InputFormatError(f"{path.name}: malformed TOML ({err})") from None
        except ValueError as err:  # e.g. an integer longer than int() reads
            raise InputFormatError(f"{path.name}: unreadable TOML value ({err})") from None
    return parse_json_text(text, path.name, keep_float_text=False)


def read_problem_spec(path: str | Path, policy: str = "exact") -> tuple[dict[str, Any], str]:
    """``(spec, source)``: the problem's mapping, with a network given by path already loaded as a
    :class:`~symrelu.network.Network`, and ``source`` (the file name) for messages."""
    policy = check_policy(policy)
    path = resolve_input(path)
    if not path.exists():
        hint = missing_file_hint() if len(path.parts) == 1 else ""
        raise InputFormatError(f"{path}: cannot read problem file (not found{hint})")
    raw = read_bytes(path, "problem")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputFormatError(f"{path.name}: not UTF-8 text (byte {err.start}); a problem file must be UTF-8") from None
    spec = _parse(text, path)
    if not isinstance(spec, dict):
        raise InputFormatError(f"{path.name}: a problem must be a JSON object with network, data, loss, domain")
    for key in ("data", "domain"):
        if key in spec:
            spec[key] = _exact_floats(spec[key], policy, f"{path.name}: {key}")
    network = spec.get("network")
    if isinstance(network, str):
        from . import load_network

        target = Path(network) if Path(network).is_absolute() else path.parent / network
        if not target.exists():
            raise InputFormatError(f"{path.name}: network file {network!r} not found (looked for {target.name} next to the problem file)")
        spec["network"] = load_network(target, policy)
    return spec, path.name

