"""Bundled examples (``symrelu/examples/*.json``): networks, and training problems.

>>> {"one_input", "two_inputs"} <= set(list_examples())
True
>>> example_path("two_inputs").name
'two_inputs.json'
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import InputFormatError


def _folder() -> resources.abc.Traversable:
    return resources.files("symrelu").joinpath("examples")


def list_examples() -> tuple[str, ...]:
    """Names of the bundled examples (file names without ``.json``), sorted."""
    return tuple(sorted(entry.name[: -len(".json")] for entry in _folder().iterdir() if entry.name.endswith(".json")))


def example_path(name: str) -> Path:
    """Path of a bundled example file, by name with or without ``.json``."""
    file_name = name if name.endswith(".json") else f"{name}.json"
    entry = _folder().joinpath(file_name)
    if not entry.is_file():
        raise InputFormatError(f"no bundled example {name!r}; available: {', '.join(list_examples()) or 'none'}")
    return Path(str(entry))
