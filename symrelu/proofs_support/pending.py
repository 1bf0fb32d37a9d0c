"""Run a symrelu check that may not exist yet: a :class:`SolverItem` when it does, else a :class:`PendingItem`.

A check is looked up first as a function exported by :mod:`symrelu.verify`
(called with the problem, the runner and those keyword options its signature
accepts), then in :func:`symrelu.verify.default_registry` (called with a
:class:`symrelu.verify.CheckContext`). Neither: the item is pending — UNKNOWN,
never proved.

>>> from symrelu.verify import Runner
>>> item = check_or_pending("x", "demo", "no_such_check", Runner(), problem=None)
>>> type(item).__name__, item.waiting_for
('PendingItem', 'symrelu.verify.no_such_check(problem)')
"""

from __future__ import annotations

import inspect
from typing import Any

from .. import verify
from ..verify import CheckContext, Runner, default_registry
from .model import Item, PendingItem, SolverItem


def check_or_pending(name: str, title: str, check: str, runner: Runner, problem: Any, subject: str = "paper",
                     **options: Any) -> Item:
    """The check's result as a solver item, or a pending item naming what is missing."""
    function = getattr(verify, check, None)
    if callable(function):
        parameters = inspect.signature(function).parameters
        kwargs = {key: value for key, value in options.items() if key in parameters}
        if "runner" in parameters:
            kwargs["runner"] = runner
        shown = ", ".join(["problem", *(f"{k}={v}" for k, v in sorted(kwargs.items()) if k != "runner")])
        return SolverItem(name, title, f"symrelu.verify.{check}({shown})", function(problem, **kwargs))
    spec = default_registry().get(check)
    if spec is not None and spec.available:
        context = CheckContext(subject, runner, problem=problem, options=dict(options))
        return SolverItem(name, title, f"symrelu.verify registry check {check!r}", spec(context))
    return PendingItem(name, title, f"symrelu.verify.{check}(problem)")
