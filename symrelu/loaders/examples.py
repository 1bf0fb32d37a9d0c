"""Bundled examples: networks and training problems in ``symrelu/examples/*.json`` and the public
ONNX nets in ``symrelu/examples/nets/*.onnx``, named by file name without suffix.

Every command accepts an example's name where it takes a file, from any folder
(:func:`resolve_input`); a real file of that name wins.

>>> {"one_input", "two_inputs", "paper_instance", "fc1"} <= set(list_examples())
True
>>> example_path("two_inputs").name, example_path("fc1").name
('two_inputs.json', 'fc1.onnx')
>>> resolve_input("paper_instance").name, str(resolve_input("no/such/file.json"))
('paper_instance.json', 'no/such/file.json')
>>> resolve_input("test_nano").name, resolve_input("test_nano", PROPERTY_SUFFIXES).name
('test_nano.onnx', 'test_nano.vnnlib')
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import InputFormatError

_FOLDERS: tuple[tuple[str, ...], ...] = (("examples",), ("examples", "nets"))
_SUFFIXES: tuple[str, ...] = (".json", ".onnx", ".npz")
PROPERTY_SUFFIXES: tuple[str, ...] = (".vnnlib",)
"""Bundled VNN-LIB properties (``symrelu/examples/nets/*.vnnlib``) resolve by name with these."""


def _bundled(suffixes: tuple[str, ...] = _SUFFIXES) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for parts in _FOLDERS:
        folder = resources.files("symrelu").joinpath(*parts)
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            suffix = Path(entry.name).suffix
            if entry.is_file() and suffix in suffixes:
                found.setdefault(entry.name[: -len(suffix)], Path(str(entry)))
    return found


def list_examples(suffixes: tuple[str, ...] = _SUFFIXES) -> tuple[str, ...]:
    """Names of the bundled examples (file names without suffix), sorted; properties with :data:`PROPERTY_SUFFIXES`."""
    return tuple(sorted(_bundled(suffixes)))


def example_path(name: str) -> Path:
    """Path of a bundled example, by name with or without its suffix."""
    stem = Path(name).stem if Path(name).suffix in _SUFFIXES else name
    found = _bundled().get(stem)
    if found is None:
        raise InputFormatError(f"no bundled example {name!r}; available: {', '.join(list_examples()) or 'none'}")
    return found


def resolve_input(text: str | Path, suffixes: tuple[str, ...] = _SUFFIXES) -> Path:
    """The file a command argument means: the path itself when it exists, else the bundled example of
    that name (a bare name, no folder), else the path unchanged (so the loader reports it missing).
    ``suffixes`` are the kinds of file meant (networks by default; :data:`PROPERTY_SUFFIXES` for properties)."""
    path = Path(text)
    if path.exists() or len(path.parts) != 1:
        return path
    stem = path.stem if path.suffix in suffixes else path.name
    return _bundled(suffixes).get(stem, path)


def missing_file_hint() -> str:
    """The end of a "file not found" message: bundled examples can be named instead."""
    return f"; or name a bundled example ({', '.join(list_examples())}; `symrelu examples` describes them)"
