"""The ``.npz`` network format: arrays ``W0, b0, W1, b1, ...`` and an optional ``output_relu``.

Each ``Wi`` is out x in (as in PyTorch), each ``bi`` a vector. Floats keep their
own width: a float32 weight is the exact float32 value under ``"exact"``, and the
shortest decimal printing that float32 under ``"decimal"``.

>>> import io, numpy as np
>>> buffer = io.BytesIO()
>>> np.savez(buffer, W0=np.array([[0.1]], dtype=np.float32), b0=np.zeros(1), output_relu=np.array(True))
>>> network_from_npz_bytes(buffer.getvalue(), "net.npz", policy="decimal").layers[0].weight
((Fraction(1, 10),),)
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path

import numpy as np

from ..errors import InputFormatError
from ..exact import check_policy
from ..network import Network
from ._files import read_bytes
from .numpy_arrays import layer_from_arrays

log = logging.getLogger(__name__)

_ARRAY_NAME = re.compile(r"^([Wb])(0|[1-9][0-9]*)$")


def _read_arrays(raw: bytes, source: str) -> dict[str, np.ndarray]:
    try:
        loaded = np.load(io.BytesIO(raw), allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise InputFormatError(f"{source}: holds a single array, expected an .npz archive of W0, b0, W1, b1, ...")
        with loaded as archive:
            return {name: archive[name] for name in archive.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as err:
        if isinstance(err, InputFormatError):
            raise
        raise InputFormatError(f"{source}: not a readable .npz archive ({err}); save one with numpy.savez") from None


def network_from_npz_bytes(raw: bytes, source: str = "<npz>", policy: str = "exact") -> Network:
    """Build a network from the bytes of an ``.npz`` archive."""
    policy = check_policy(policy)
    arrays = _read_arrays(raw, source)
    indices: dict[str, set[int]] = {"W": set(), "b": set()}
    unknown = []
    for name in arrays:
        match = _ARRAY_NAME.match(name)
        if match:
            indices[match.group(1)].add(int(match.group(2)))
        elif name != "output_relu":
            unknown.append(name)
    if unknown:
        raise InputFormatError(
            f"{source}: unexpected array(s) {', '.join(sorted(unknown))}; expected W0, b0, W1, b1, ... and optional output_relu"
        )
    count = len(indices["W"])
    if count == 0:
        raise InputFormatError(f"{source}: no weight arrays; expected W0, b0, W1, b1, ...")
    for letter, kind in (("W", "weight"), ("b", "bias")):
        missing = [f"{letter}{i}" for i in range(count) if i not in indices[letter]]
        if missing:
            raise InputFormatError(f"{source}: missing {kind} array(s) {', '.join(missing)} for {count} layer(s)")
        extra = sorted(i for i in indices[letter] if i >= count)
        if extra:
            raise InputFormatError(
                f"{source}: array {letter}{extra[0]} has no matching layer; found {count} weight arrays W0..W{count - 1}"
            )
    output_relu = False
    if "output_relu" in arrays:
        flag = arrays["output_relu"]
        if flag.shape not in ((), (1,)) or flag.dtype.kind not in "bi" or int(flag.reshape(-1)[0]) not in (0, 1):
            raise InputFormatError(f"{source}: output_relu must be a single boolean (or 0/1), got {flag!r}")
        output_relu = bool(flag.reshape(-1)[0])
    layers = tuple(
        layer_from_arrays(arrays[f"W{i}"], arrays[f"b{i}"], policy, f"{source}: layer {i}") for i in range(count)
    )
    return Network(layers, output_relu=output_relu, policy=policy, source=source)


def load_npz(path: str | Path, policy: str = "exact") -> Network:
    """Load an ``.npz`` network; ``Network.source`` is the file name."""
    policy = check_policy(policy)
    path = Path(path)
    network = network_from_npz_bytes(read_bytes(path, ".npz network"), path.name, policy)
    log.debug("%s: loaded widths %s", path.name, network.widths)
    return network
