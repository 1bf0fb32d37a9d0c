"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_nets() -> Path:
    """The external networks bundled in ``symrelu/examples/nets`` (provenance in its README; never skipped)."""
    path = REPO_ROOT / "symrelu" / "examples" / "nets"
    if not path.is_dir():
        pytest.fail(f"bundled networks folder not found at {path}", pytrace=False)
    return path
