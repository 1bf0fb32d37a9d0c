"""Three-valued verdicts and the immutable result of one check.

A :class:`Verdict` has no truth value: ``if verdict:`` raises, so UNKNOWN can
never pass for PROVED by accident. A :class:`CheckResult` is frozen; REFUTED
requires a witness (which the check replayed exactly before building it).

>>> from fractions import Fraction as F
>>> r = CheckResult("input_lipschitz", Verdict.PROVED, value=F(2), solvers=("z3", "cvc5"))
>>> r.to_json()
'{"details": {}, "name": "input_lipschitz", "reason": "", "solvers": ["z3", "cvc5"], "value": "2", "value_squared": "4", "verdict": "PROVED", "witness": null}'
>>> bool(Verdict.UNKNOWN)
Traceback (most recent call last):
...
TypeError: a Verdict has no truth value; compare it with Verdict.PROVED explicitly
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction
from typing import Any

from ...errors import SymreluError
from ...exact import format_rational


class Verdict(Enum):
    """PROVED, REFUTED (with an exactly replayed witness) or UNKNOWN (with a reason)."""

    PROVED = "PROVED"
    REFUTED = "REFUTED"
    UNKNOWN = "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("a Verdict has no truth value; compare it with Verdict.PROVED explicitly")


def jsonable(value: Any) -> Any:
    """Turn Fractions (and nested tuples/lists/mappings of them) into JSON-ready data.

    >>> jsonable({"x": (Fraction(1, 2), 3), "ok": True, "v": None})
    {'ok': True, 'v': None, 'x': ['1/2', '3']}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Verdict):
        return value.value
    if isinstance(value, (Fraction, int)):
        return format_rational(Fraction(value))
    if isinstance(value, Mapping):
        return {str(k): jsonable(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    if isinstance(value, float):
        raise SymreluError(f"float {value!r} found in a verification result; results must be exact")
    return str(value)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    ``value`` is the key figure (for example K or G) when it is rational;
    ``value_squared`` its square, always given when ``value`` is (K may be
    irrational while K² is rational). ``solvers`` lists the solvers whose
    answers agreed; ``witness`` holds exactly replayed data; ``details`` any
    further exact data (assumptions, kink, Skolem function, ...).
    ``obligations`` names the obligations behind the verdict and
    ``elapsed_s`` is wall-clock time for display only (never in JSON).
    """

    name: str
    verdict: Verdict
    value: Fraction | None = None
    value_squared: Fraction | None = None
    solvers: tuple[str, ...] = ()
    witness: Mapping[str, Any] | None = None
    reason: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    obligations: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    elapsed_s: float = field(default=0.0, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.verdict, Verdict):
            raise TypeError(f"verdict must be a Verdict, not {self.verdict!r}")
        if self.verdict is Verdict.REFUTED and self.witness is None:
            raise SymreluError(f"check {self.name}: REFUTED needs an exactly replayed witness")
        if self.verdict is Verdict.UNKNOWN and not self.reason:
            raise SymreluError(f"check {self.name}: UNKNOWN needs a reason")
        for label in ("value", "value_squared"):
            item = getattr(self, label)
            if item is not None and not isinstance(item, Fraction):
                if isinstance(item, int) and not isinstance(item, bool):
                    object.__setattr__(self, label, Fraction(item))
                else:
                    raise TypeError(f"check {self.name}: {label} must be a Fraction, not {type(item).__name__}")
        if self.value is not None and self.value_squared is None:
            object.__setattr__(self, "value_squared", self.value * self.value)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: rationals as strings, no timings."""
        return {
            "name": self.name,
            "verdict": self.verdict.value,
            "value": jsonable(self.value),
            "value_squared": jsonable(self.value_squared),
            "solvers": list(self.solvers),
            "witness": jsonable(self.witness),
            "reason": self.reason,
            "details": jsonable(self.details),
        }

    def to_json(self) -> str:
        """Deterministic JSON text (sorted keys, rationals as ``"p/q"``)."""
        return json.dumps(self.to_dict(), sort_keys=True)
