"""What a claim module under ``proofs/`` hands to the proof book: its statement and its items.

A claim module defines ``CLAIM`` (a :class:`ClaimInfo`) and ``items(runner)``
returning a list of items, each with the verdict it must get:

* :class:`SolverItem` — a symrelu check (or obligations built with
  :meth:`symrelu.verify.Obligation.build`) answered by Z3 and cvc5; its
  obligations become ``.smt2`` files;
* :class:`ComputedItem` — an exact computation (rationals, SymPy identities,
  rigorous interval arithmetic) with its evidence;
* :class:`PendingItem` — a part that waits for a symrelu check that does not
  exist yet; it is reported as UNKNOWN (pending), never as proved.

>>> item = ComputedItem.decide("demo", "1/2 + 1/2 = 1", "exact rationals", True, {"sum": "1"})
>>> item.verdict
<Verdict.PROVED: 'PROVED'>
>>> ComputedItem.decide("demo", "t", "arb", None, {}, undecided="interval straddles 0").verdict
<Verdict.UNKNOWN: 'UNKNOWN'>
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputFormatError
from ..verify import CheckResult, Verdict


def _check_name(name: str) -> str:
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise InputFormatError(f"item name {name!r} must use letters, digits, '-' and '_' only (it names files)")
    return name


@dataclass(frozen=True)
class ClaimInfo:
    """A claim's statement, instance and provenance.

    ``reconstruction`` says which parts are our reconstruction rather than the
    paper's text; ``not_machine_checked`` lists ``(part, why)`` pairs that the
    report must name.
    """

    ident: str
    title: str
    statement: str
    latex: str
    instance: str
    reconstruction: str
    not_machine_checked: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim": self.ident,
            "title": self.title,
            "statement": self.statement,
            "latex": self.latex,
            "instance": self.instance,
            "reconstruction": self.reconstruction,
            "not_machine_checked": [{"part": p, "why": w} for p, w in self.not_machine_checked],
        }


@dataclass(frozen=True)
class SolverItem:
    """A check answered by solvers; every obligation must get ``expected`` (normally PROVED)."""

    name: str
    title: str
    via: str
    result: CheckResult
    expected: Verdict = Verdict.PROVED

    def __post_init__(self) -> None:
        _check_name(self.name)
        if not self.result.obligations:
            raise InputFormatError(f"solver item {self.name}: the check produced no obligations")

    @property
    def verdict(self) -> Verdict:
        return self.result.verdict


@dataclass(frozen=True)
class ComputedItem:
    """An exact or rigorous computation, with the evidence that settles it."""

    name: str
    title: str
    via: str
    verdict: Verdict
    evidence: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""
    expected: Verdict = Verdict.PROVED

    def __post_init__(self) -> None:
        _check_name(self.name)
        if not isinstance(self.verdict, Verdict):
            raise TypeError(f"computed item {self.name}: verdict must be a Verdict")
        if self.verdict is Verdict.UNKNOWN and not self.reason:
            raise InputFormatError(f"computed item {self.name}: UNKNOWN needs a reason")

    @classmethod
    def decide(
        cls,
        name: str,
        title: str,
        via: str,
        holds: bool | None,
        evidence: Mapping[str, Any],
        undecided: str = "the computation did not decide",
    ) -> ComputedItem:
        """PROVED when ``holds`` is True, REFUTED (the evidence is the exact witness) when False,
        UNKNOWN with ``undecided`` when None (e.g. an interval that straddles the bound)."""
        if holds is None:
            return cls(name, title, via, Verdict.UNKNOWN, evidence, undecided)
        if holds is True:
            return cls(name, title, via, Verdict.PROVED, evidence)
        if holds is False:
            return cls(name, title, via, Verdict.REFUTED, evidence, "the exact computation contradicts the claim")
        raise TypeError(f"computed item {name}: holds must be True, False or None, not {holds!r}")


@dataclass(frozen=True)
class PendingItem:
    """A part that needs a symrelu check not implemented yet: UNKNOWN (pending), never proved."""

    name: str
    title: str
    waiting_for: str
    expected: Verdict = Verdict.PROVED

    def __post_init__(self) -> None:
        _check_name(self.name)

    @property
    def verdict(self) -> Verdict:
        return Verdict.UNKNOWN


Item = SolverItem | ComputedItem | PendingItem
