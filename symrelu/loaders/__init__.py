"""Loaders: the one door from files and arrays (floats, text) into exact networks.

:func:`load_network` picks the format from the file suffix. Every loader takes a
``policy`` (``"exact"``: a float's exact binary value; ``"decimal"``: the shortest
decimal that prints it) and records it in ``Network.policy``.

>>> net = load_network(example_path("one_input"))
>>> net.input_dim, net.policy, net.source
(1, 'exact', 'one_input.json')
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import InputFormatError
from ..exact import check_policy
from ..network import Network
from .examples import example_path, list_examples, resolve_input
from .json_format import (
    load_json,
    network_from_json_data,
    network_from_text,
    network_to_json,
    save_json,
)
from .nnet_format import load_nnet
from .npz_format import load_npz
from .numpy_arrays import from_numpy
from .onnx_format import load_onnx
from .torch_format import from_torch

_LOADERS: dict[str, Callable[[Path, str], Network]] = {".json": load_json, ".npz": load_npz, ".onnx": load_onnx, ".nnet": load_nnet}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_LOADERS)


def load_network(path: str | Path, policy: str = "exact") -> Network:
    """Load a network from ``.json``, ``.npz``, ``.onnx`` or ``.nnet`` (chosen by suffix, case-insensitive);
    a bare name such as ``"fc1"`` that is no file here means the bundled example."""
    policy = check_policy(policy)
    path = resolve_input(path)
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None and not path.suffix and not path.exists():
        from ._files import read_bytes

        read_bytes(path, "network")  # raises "file not found", naming the bundled examples
    if loader is None:
        shown = f"suffix {path.suffix!r}" if path.suffix else "no suffix"
        raise InputFormatError(
            f"{path}: {shown} is not a network format; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    return loader(path, policy)


__all__ = [
    "SUPPORTED_SUFFIXES",
    "example_path",
    "from_numpy",
    "from_torch",
    "list_examples",
    "load_json",
    "load_network",
    "load_nnet",
    "load_npz",
    "load_onnx",
    "network_from_json_data",
    "network_from_text",
    "network_to_json",
    "resolve_input",
    "save_json",
]
