"""Rebuild the teaching notebooks with their outputs: ``python notebooks/execute.py [NN_name.py ...]``.

For each jupytext source ``notebooks/NN_*.py`` this writes the paired ``NN_*.ipynb`` with every cell
executed top to bottom (so a student browsing the repository sees every figure and number without
running anything) and records the SHA-256 of the source in the notebook's metadata
(``symrelu.source_sha256``). ``tests/test_notebooks_paired.py`` re-executes each notebook and fails
when the committed outputs are stale: a different source hash, or text outputs that differ.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
TIMEOUT_S = 900
"""Outer safety net per cell for a hung kernel; nothing is decided by it."""


def source_hash(source: Path) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()


def executed(source: Path):  # -> nbformat.NotebookNode
    """The notebook of ``source``, executed in a fresh kernel started in the notebooks folder."""
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(source)
    notebook.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    notebook.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"})
    NotebookClient(notebook, timeout=TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": str(FOLDER)}}).execute()
    notebook.metadata["symrelu"] = {"source_sha256": source_hash(source)}
    return notebook


def build(source: Path) -> Path:
    import nbformat

    target = source.with_suffix(".ipynb")
    nbformat.write(executed(source), target)
    return target


def main(argv: list[str]) -> int:
    sources = [FOLDER / Path(a).name for a in argv] or sorted(FOLDER.glob("[0-9][0-9]_*.py"))
    for source in sources:
        print(f"executed {build(source).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
