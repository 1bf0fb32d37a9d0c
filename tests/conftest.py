"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_nets() -> Path:
    """The external networks bundled in ``symrelu/examples/nets`` (provenance in its README; never skipped)."""
    path = REPO_ROOT / "symrelu" / "examples" / "nets"
    if not path.is_dir():
        pytest.fail(f"bundled networks folder not found at {path}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def local_dask() -> Iterator[Any]:
    """One in-process Dask ``LocalCluster`` (2 single-thread workers) and its client, shared by every test."""
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, Client(cluster) as client:
        yield client


_COQ_CACHE = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """One Coq compile per test run: the controller makes a fresh cache folder that every xdist worker
    (and every CLI subprocess) inherits through ``SYMRELU_COQ_CACHE``; runs are keyed by the exact
    sources and coqc version, and the folder is removed at the end, so each run compiles anew."""
    import os
    import tempfile

    from symrelu.proofs_support.coq import CACHE_VARIABLE

    if hasattr(config, "workerinput") or os.environ.get(CACHE_VARIABLE):
        return
    folder = tempfile.mkdtemp(prefix="symrelu-test-coq-")
    os.environ[CACHE_VARIABLE] = folder
    config.stash[_COQ_CACHE] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    folder = config.stash.get(_COQ_CACHE, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


HEAVY_FIRST = (
    "tests/test_verify_load.py::",
    "tests/test_coq.py::test_every_coq_file_compiles",
    "tests/test_proofs.py::test_committed_proofs_check_passes",
    "tests/test_proofs.py::test_a_fresh_build",
    "tests/test_static_checks.py::test_mypy",
    "tests/test_verify_cli.py::",
    "tests/test_verify_hygiene.py::",
    "tests/test_readme.py::",
    "tests/test_params_activations.py::",
    "tests/test_region_engines.py::",
    "tests/test_params_fast_paths.py::",
    "tests/test_proofs.py::",
    "tests/test_coq.py::",
    "notebooks/",
    "symrelu/verify/",
)
"""Node-id prefixes of the longest tests (``--durations``), started first so that no long test is the last to
begin on an otherwise idle worker; the rest keep their collection order."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest tests first (a stable sort on :data:`HEAVY_FIRST`): every xdist worker collects the same order."""

    def rank(item: pytest.Item) -> int:
        return next((i for i, prefix in enumerate(HEAVY_FIRST) if item.nodeid.startswith(prefix)), len(HEAVY_FIRST))

    items.sort(key=rank)
