"""Parameter space: training problems, loss landscapes, kinks, Clarke sets, trajectories, surrogates.

>>> from fractions import Fraction as F
>>> from symrelu.params import clarke_subdifferential, enumerate_parameter_regions, paper_instance
>>> len(enumerate_parameter_regions(paper_instance()).regions)
4
>>> clarke_subdifferential(paper_instance(), (F(0), F(-1))).vertices
((Fraction(-1, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(0, 1)))
"""

from __future__ import annotations

from .backprop import backprop_gradient
from .examples import paper_instance, tied_relu_instance, two_layer_instance
from .kinks import Kink, dangerous_kinks, find_kinks, gradient_jump
from .landscape import Landscape, ParameterRegion, enumerate_parameter_regions
from .minnorm import min_norm_point
from .problem import Problem, load_problem, problem_from_dict
from .report import clarke_report, landscape_payload
from .subdifferential import (
    ClarkeSet,
    ClarkeUnknownError,
    ParameterBackpropAudit,
    clarke_subdifferential,
    parameter_backprop_audit,
)
from .surrogate import Surrogate
from .trajectory import Rule, Trajectory, amplification, float_run, gradient_descent, parse_rule, subgradient_method

enumerate_regions = enumerate_parameter_regions
"""Old name of :func:`enumerate_parameter_regions` (not in ``__all__``): the committed proof artifacts cite it."""
backprop_audit = parameter_backprop_audit
"""Old name of :func:`parameter_backprop_audit` (not in ``__all__``): the committed proof artifacts cite it."""

__all__ = [
    "ClarkeSet",
    "ClarkeUnknownError",
    "Kink",
    "Landscape",
    "ParameterBackpropAudit",
    "ParameterRegion",
    "Problem",
    "Rule",
    "Surrogate",
    "Trajectory",
    "amplification",
    "backprop_gradient",
    "clarke_report",
    "clarke_subdifferential",
    "dangerous_kinks",
    "enumerate_parameter_regions",
    "find_kinks",
    "float_run",
    "gradient_descent",
    "gradient_jump",
    "landscape_payload",
    "load_problem",
    "min_norm_point",
    "paper_instance",
    "parameter_backprop_audit",
    "parse_rule",
    "problem_from_dict",
    "subgradient_method",
    "tied_relu_instance",
    "two_layer_instance",
]
