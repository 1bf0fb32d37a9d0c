"""Reading network files: one place that turns OS errors into one-line messages."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputFormatError


def read_bytes(path: str | Path, kind: str) -> bytes:
    """Return the bytes of ``path``; a missing or unreadable file is an :class:`InputFormatError`.

    ``kind`` ("JSON network", "ONNX model", ...) only words the message.

    >>> read_bytes("no/such/net.json", "JSON network")
    Traceback (most recent call last):
    ...
    symrelu.errors.InputFormatError: no/such/net.json: JSON network file not found
    """
    path = Path(path)
    if not path.exists():
        from .examples import missing_file_hint

        raise InputFormatError(f"{path}: {kind} file not found{missing_file_hint() if len(path.parts) == 1 else ''}")
    if path.is_dir():
        raise InputFormatError(f"{path}: is a directory, expected a {kind} file")
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputFormatError(f"{path}: cannot read {kind} file ({err.strerror or err})") from None
