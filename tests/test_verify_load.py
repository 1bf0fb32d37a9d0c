"""Verdicts do not depend on machine load: the budgets are deterministic (issue 14).

Representative checks run once on the machine as it is and once while two
busy-loop processes keep both cores saturated; verdicts and every solver's
answer must be identical. No timing is asserted.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from fractions import Fraction as F

import pytest

from symrelu.network import Network
from symrelu.params import paper_instance, two_layer_instance
from symrelu.verify import Runner, gd_amplification_unbounded, hessian_bound, input_lipschitz, lipschitz_on_domain

ABS = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])


def _fingerprint() -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    runner = Runner()  # isolated workers: the same path as the command line
    results = [
        hessian_bound(paper_instance(), runner=runner),
        input_lipschitz(ABS, [(F(-1), F(1))], F(1), norm="inf", runner=runner),
        gd_amplification_unbounded(F(1, 10), runner=runner),
        lipschitz_on_domain(two_layer_instance(), runner=runner),  # nonlinear: cvc5 once overran its budget here
    ]
    return [(r.name, r.verdict.value, tuple((o.obligation.name, ",".join(a.status for a in o.answers))
                                              for o in r.obligations)) for r in results]


@pytest.fixture()
def saturated() -> Iterator[None]:
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


def test_verdicts_identical_quiet_and_saturated(request: pytest.FixtureRequest) -> None:
    quiet = _fingerprint()
    request.getfixturevalue("saturated")
    assert _fingerprint() == quiet
    assert [v for _, v, _ in quiet] == ["PROVED", "PROVED", "PROVED", "PROVED"]
