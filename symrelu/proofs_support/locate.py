"""Find the repository's ``proofs/`` folder and load its claim modules by path.

The claim modules live in the repository, not in the installed package, so
they are loaded from their files (under a private module name, without
touching ``sys.path``).

>>> Layout(Path("repo")).report.as_posix()
'repo/proofs/REPORT.md'
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from ..errors import InputFormatError

CLAIM_GLOB = "c[0-9]_*.py"
"""Claim modules: ``proofs/c1_....py`` ... ``proofs/c7_....py``."""
EXTENSION_GLOB = "x[0-9]_*.py"
"""Our own extensions of the paper's claims (``proofs/x1_....py``, ...), listed after the paper's."""


@dataclass(frozen=True)
class Layout:
    """Where things are: the repository root, its ``proofs/`` folder and the default outputs."""

    root: Path

    @property
    def proofs(self) -> Path:
        return self.root / "proofs"

    @property
    def artifacts(self) -> Path:
        return self.proofs / "artifacts"

    @property
    def coq(self) -> Path:
        """The Coq proofs (``proofs/coq/*.v``); optional for a proof book."""
        return self.proofs / "coq"

    @property
    def report(self) -> Path:
        return self.proofs / "REPORT.md"

    def claim_files(self) -> list[Path]:
        return sorted(self.proofs.glob(CLAIM_GLOB)) + sorted(self.proofs.glob(EXTENSION_GLOB))


def _is_root(path: Path) -> bool:
    return (path / "proofs").is_dir() and any((path / "proofs").glob(CLAIM_GLOB))


def find_layout(root: str | Path | None = None, start: str | Path | None = None) -> Layout:
    """The layout at ``root``, or found from ``start`` (default: the current directory) upward."""
    if root is not None:
        path = Path(root)
        if not _is_root(path):
            raise InputFormatError(
                f"root={root}: no proofs/{CLAIM_GLOB} claim modules there; give the symrelu repository's top folder"
            )
        return Layout(path)
    here = Path(start) if start is not None else Path.cwd()
    for candidate in (here, *here.resolve().parents):
        if _is_root(candidate):
            return Layout(candidate)
    raise InputFormatError(
        f"cannot find the repository's proofs/ folder from {here} upward; run inside the symrelu checkout or pass root=DIR"
    )


def load_claim_module(path: Path) -> ModuleType:
    """Import one claim module from its file; it must define ``CLAIM`` and ``items(runner)``."""
    spec = importlib.util.spec_from_file_location(f"symrelu_proofbook_claim_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise InputFormatError(f"{path}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, "CLAIM") or not callable(getattr(module, "items", None)):
        raise InputFormatError(f"{path.name}: a claim module must define CLAIM and items(runner)")
    return module
