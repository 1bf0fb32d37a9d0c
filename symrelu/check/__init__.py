"""Exact property verification: a network and a VNN-LIB 1.0 property in, sat/unsat/unknown out.

``sat`` carries an exact rational input whose exact output satisfies the property's
constraints (replayed in rationals); ``unsat`` means every closed box of the search had
its certificate checked exactly; ``unknown`` says why (budget, timeout).

>>> from symrelu.loaders import example_path
>>> from symrelu import load_network
>>> net = load_network(example_path("one_input"))
>>> bounds = output_bounds(net, ((-1, 1),))
>>> [(str(b.minimum), str(b.maximum)) for b in bounds]
[('0', '1/2')]
"""

from __future__ import annotations

from .bounds import OutputBound, output_bounds
from .engine import CheckResult, check_property
from .property import Disjunct, LinearConstraint, Property
from .vnnlib import load_vnnlib, parse_vnnlib
from .witness import result_json, witness_text

__all__ = [
    "CheckResult",
    "Disjunct",
    "LinearConstraint",
    "OutputBound",
    "Property",
    "check_property",
    "load_vnnlib",
    "output_bounds",
    "parse_vnnlib",
    "result_json",
    "witness_text",
]
