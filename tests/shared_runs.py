"""Expensive command runs that several tests assert on, run once per test process.

``symrelu proofs check`` is both the CI gate (``test_proofs``) and a README example
(``test_readme``); the two tests share one run. They carry the same
``xdist_group`` mark, so ``--dist loadgroup`` sends them to one worker and the
second finds the first's result here.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROOFS_CHECK_GROUP = "proofs-check"


def outside_env() -> dict[str, str]:
    """The environment of a user outside the repository: this checkout's package, no other cwd."""
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@functools.cache
def symrelu_in_checkout(*argv: str) -> subprocess.CompletedProcess[str]:
    """``python -m symrelu ARGV`` run in the checkout (as a user would), once per process for each ``argv``."""
    return subprocess.run([sys.executable, "-m", "symrelu", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env=outside_env())
