"""Bundled training problems with known answers, shared by doctests, tests and benchmarks.

>>> paper_instance().parameter_names
('w1', 'w2')
>>> tied_relu_instance().parameter_names
('w',)
"""

from __future__ import annotations

import json
from importlib import resources

from .problem import Problem, problem_from_dict


def bundled_problem(name: str) -> Problem:
    """Load ``symrelu/examples/<name>.json``."""
    text = resources.files("symrelu").joinpath("examples", f"{name}.json").read_text(encoding="utf-8")
    return problem_from_dict(json.loads(text), source=f"{name}.json")


def paper_instance() -> Problem:
    """ℓ(w1, w2) = ½ (relu(w1) + relu(w2) − 1)² on [−1, 1]² (paper-claims.md)."""
    return bundled_problem("paper_instance")


def tied_relu_instance() -> Problem:
    """f(w) = relu(w) − relu(−w) = w with y = 1: smooth loss ½(w − 1)², but backprop at w = 0 is wrong.

    With relu'(0) = 0 backprop returns 0, with relu'(0) = 1 it returns −2, while
    ∂_C ℓ(0) = {−1} (Kakade & Lee 2018 style cancellation).
    """
    return bundled_problem("problem_tied_relu")


def two_layer_instance() -> Problem:
    """Two hidden layers, both trainable (w1, w2, b1, a1): switch polynomials are nonlinear, the QF_NRA path."""
    return bundled_problem("problem_two_layer")
