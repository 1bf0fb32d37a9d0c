"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_nets() -> Path:
    """The external networks folder ``../shared/nets`` beside the repository (never skipped)."""
    path = (REPO_ROOT / ".." / "shared" / "nets").resolve()
    if not path.is_dir():
        pytest.fail(
            f"shared networks folder not found at {path}; the tests need ../shared/nets beside the repository",
            pytrace=False,
        )
    return path
