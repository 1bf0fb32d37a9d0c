"""The teaching notebooks are committed WITH their outputs, and those outputs are never stale.

The ``notebooks/NN_*.py`` files (jupytext py:percent) are the source of truth. ``python
notebooks/execute.py`` writes each paired ``.ipynb`` executed top to bottom, so that a student
browsing the repository sees every figure and number without running anything (GitHub renders a
notebook's outputs; it would show an HTML copy only as source). Staleness is caught here:

* the cells must equal the source's cells and the recorded source hash must match the ``.py``;
* every code cell must have run, in order, without an error;
* the notebook is executed afresh (this is the suite's run of the notebooks, and its ``assert``
  cells re-check the key figures), and its text outputs must equal the committed ones; figures must
  be present in the same cells (their pixels may differ between matplotlib versions).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
REBUILD = "run `python notebooks/execute.py {name}` and commit the result"
ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def test_there_are_notebooks() -> None:
    assert len(SOURCES) >= 5, f"expected the five teaching notebooks in {NOTEBOOKS}"


def _cells(notebook: dict) -> list[tuple[str, str]]:
    return [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"]) for c in notebook["cells"]]


def _text(cell: dict) -> list[str]:
    """What a reader sees in a code cell's outputs: its printed text (stdout, however the kernel split
    it into chunks) and its text results, object addresses masked; stderr (warnings) is not compared."""
    printed, results = [], []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream" and output.get("name") == "stdout":
            printed.append("".join(output["text"]) if isinstance(output["text"], list) else output["text"])
        elif "data" in output and "image/png" not in output["data"] and "text/plain" in output["data"]:
            plain = output["data"]["text/plain"]
            results.append("".join(plain) if isinstance(plain, list) else plain)
    return [ADDRESS.sub(" at 0x…", t) for t in ["".join(printed), *results]]


def _figures(cell: dict) -> int:
    return sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_pair_is_in_sync_executed_and_fresh(source: Path) -> None:
    jupytext = pytest.importorskip("jupytext")
    pytest.importorskip("nbclient")
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        from execute import executed, source_hash
    finally:
        sys.path.remove(str(NOTEBOOKS))
    pair = source.with_suffix(".ipynb")
    rebuild = REBUILD.format(name=source.name)
    assert pair.is_file(), f"{pair.name} is missing: {rebuild}"
    stored = json.loads(pair.read_text(encoding="utf-8"))
    assert _cells(stored) == [(c.cell_type, c.source) for c in jupytext.read(source).cells], f"{pair.name} is out of date: {rebuild}"
    assert stored["metadata"].get("jupytext", {}).get("formats") == "ipynb,py:percent"
    assert stored["metadata"].get("symrelu", {}).get("source_sha256") == source_hash(source), f"{pair.name}: stale outputs, {rebuild}"
    code = [c for c in stored["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), f"{pair.name} was not run top to bottom: {rebuild}"
    assert not any(o["output_type"] == "error" for c in code for o in c["outputs"]), f"{pair.name} holds an error"
    assert sum(_figures(c) for c in code) > 0, f"{pair.name} shows no figure"
    fresh = [c for c in json.loads(json.dumps(executed(source)))["cells"] if c["cell_type"] == "code"]
    for index, (old, new) in enumerate(zip(code, fresh, strict=True)):
        assert _text(old) == _text(new), f"{pair.name} code cell {index}: committed output differs from a fresh run; {rebuild}"
        assert _figures(old) == _figures(new), f"{pair.name} code cell {index}: figures differ from a fresh run; {rebuild}"


def test_hash_is_of_the_source_bytes() -> None:
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        from execute import source_hash
    finally:
        sys.path.remove(str(NOTEBOOKS))
    assert source_hash(SOURCES[0]) == hashlib.sha256(SOURCES[0].read_bytes()).hexdigest()
