"""Solver adapters with one small contract: SMT-LIB text in, :class:`SolverAnswer` out.

Both backends read the obligation's exported SMT-LIB 2.6 text (the same bytes
written to ``--artifacts``), so what was checked is exactly what was saved.
Models come back as exact Fractions (or bools); an irrational model value is
reported, never rounded.

* :class:`Z3Backend` parses the text with ``Solver.from_string``.
* :class:`Cvc5Backend` parses it with cvc5's own ``InputParser`` (the robust
  path: no translation layer between the file and the solver), skipping the
  file's ``check-sat`` (and its ``set-info``: cvc5 aborts when a result
  differs from ``:status``) so that the result object is read directly. It enables
  ``nl-cov`` (cylindrical algebraic coverings), which decides QF_NRA.
* :class:`UnavailableBackend` stands for a solver that is not installed; it
  answers ``unknown`` with a "second opinion unavailable" reason.

Budgets are deterministic: Z3's ``rlimit`` and cvc5's ``rlimit-per`` count
solver steps, not seconds, so the same obligation gets the same answer on a
quiet or a saturated machine. The wall-clock timeout given to ``check`` is
only an outer safety net; an answer cut by it says so in its reason.

>>> import z3
>>> from symrelu.verify.engine.obligation import Obligation
>>> x = z3.Real("x")
>>> ob = Obligation.build("half", [2 * x == 1], check="demo", subject="none", expected="sat")
>>> answer = Z3Backend().check(ob, timeout_s=60)
>>> answer.status, answer.model
('sat', (('x', Fraction(1, 2)),))
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Protocol, runtime_checkable

import z3

from ...errors import SolverError
from ...validation import check_count
from .obligation import Obligation

log = logging.getLogger(__name__)

AnswerStatus = Literal["sat", "unsat", "unknown"]
ModelValue = Fraction | bool
Model = tuple[tuple[str, ModelValue], ...]
"""A model: sorted ``(smt_name, value)`` pairs, every value exact."""

UNAVAILABLE = "second opinion unavailable"
DEFAULT_Z3_RLIMIT = 10_000_000
"""Z3 resource units per obligation (deterministic; roughly 10 s of Z3 work on a quiet machine, about 400 times
what the largest obligation under ``proofs/`` uses: 25,561 units)."""
DEFAULT_CVC5_RLIMIT = 2_000_000
"""cvc5 resource units per obligation (``rlimit-per``; about 40 times the largest ``proofs/`` obligation, 54,148).
cvc5's nonlinear coverings do not always spend resources, so on a hard QF_NRA obligation the wall-clock
safety net may be what stops cvc5; the answer is then UNKNOWN, named as such. Measured with cvc5 1.4.2 on the
two-copy variation lemma of ``problem_two_layer`` (14 variables, two products): ``rlimit-per`` 10,000 stops at
once, 100,000 still runs after a minute, and ``tlimit-per`` is overrun too (5 s asked, 18 s taken with
``incremental=false``); the covering's projection and root isolation spend no resources between recursive calls.
``nl-ext=full`` without coverings does honour the budget but does not decide that obligation. So checks route
nonlinear work into small single-copy obligations that cvc5 decides well inside its budget
(:mod:`.slope_encoding`), rather than trusting the budget to stop a covering."""
MAX_RLIMIT = 10**12
"""Largest budget accepted (beyond it a budget means "no limit" in all but name)."""


def check_rlimit(value: object, what: str = "rlimit") -> int:
    """A positive integer budget no larger than :data:`MAX_RLIMIT`, else :class:`SolverError`.

    >>> check_rlimit(1000)
    1000
    >>> check_rlimit(0)
    Traceback (most recent call last):
    ...
    symrelu.errors.SolverError: rlimit=0 must be a whole number from 1 to 1000000000000
    """
    return check_count(value, what, 1, MAX_RLIMIT, SolverError)


@dataclass(frozen=True)
class SolverAnswer:
    """One solver's answer to one obligation.

    ``model`` is set only for ``sat`` answers whose values are all rational;
    ``reason`` explains ``unknown`` (timeout, gave up, not installed) or a
    missing model.
    """

    solver: str
    status: AnswerStatus
    model: Model | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.status not in ("sat", "unsat", "unknown"):
            raise SolverError(f"{self.solver}: answer status {self.status!r} is not sat/unsat/unknown")
        if self.model is not None and self.status != "sat":
            raise SolverError(f"{self.solver}: only a sat answer can carry a model")

    def model_dict(self) -> dict[str, ModelValue]:
        """The model as a dict (empty when there is none)."""
        return dict(self.model or ())


@runtime_checkable
class Backend(Protocol):
    """What the runner needs from a solver. Implementations must pickle (they cross processes)."""

    @property
    def name(self) -> str: ...

    def check(self, obligation: Obligation, timeout_s: float) -> SolverAnswer: ...


MAX_TIMEOUT_S = 86_400.0
"""The wall-clock safety net is at most a day (larger values are clamped to it)."""


def _timeout_ms(timeout_s: float) -> int:
    if not timeout_s > 0:
        raise SolverError(f"timeout must be positive, got {timeout_s!r} seconds")
    return max(1, int(min(timeout_s, MAX_TIMEOUT_S) * 1000))


@dataclass(frozen=True)
class Z3Backend:
    """Z3 through its Python API with a deterministic ``rlimit`` (resource units per obligation)."""

    rlimit: int = DEFAULT_Z3_RLIMIT

    def __post_init__(self) -> None:
        check_rlimit(self.rlimit, "z3 rlimit")

    @property
    def name(self) -> str:
        return f"z3 {z3.get_version_string()}"

    @property
    def budget(self) -> dict[str, int]:
        return {"rlimit": self.rlimit}

    def check(self, obligation: Obligation, timeout_s: float) -> SolverAnswer:
        context = z3.Context()
        solver = z3.Solver(ctx=context)
        solver.set("timeout", _timeout_ms(timeout_s))
        solver.set("rlimit", self.rlimit)
        try:
            solver.from_string(obligation.to_smtlib())
        except z3.Z3Exception as err:
            raise SolverError(f"z3 could not parse obligation {obligation.name}: {err}") from err
        result = solver.check()
        if result == z3.unsat:
            return SolverAnswer(self.name, "unsat")
        if result == z3.unknown:
            why = solver.reason_unknown()
            if "resource" in why:
                why = f"resource budget exhausted (rlimit {self.rlimit}; raise it with rlimit=N)"
            elif why in ("timeout", "canceled"):
                why = f"wall-clock safety net of {timeout_s:g}s reached before the budget"
            return SolverAnswer(self.name, "unknown", reason=f"z3 gave up: {why}")
        return self._sat_answer(obligation, solver.model(), context)

    def _sat_answer(self, obligation: Obligation, model: z3.ModelRef, context: z3.Context) -> SolverAnswer:
        values: list[tuple[str, ModelValue]] = []
        for smt_name, sort in obligation.variables:
            plain = smt_name[1:-1] if smt_name.startswith("|") else smt_name
            const = z3.Bool(plain, context) if sort == "Bool" else z3.Real(plain, context)
            value = model.eval(const, model_completion=True)
            if sort == "Bool":
                values.append((smt_name, z3.is_true(value)))
            elif z3.is_rational_value(value):
                values.append((smt_name, Fraction(value.numerator_as_long(), value.denominator_as_long())))
            else:
                return SolverAnswer(
                    self.name, "sat", reason=f"model value of {smt_name} is irrational ({value.sexpr()}); cannot replay exactly"
                )
        return SolverAnswer(self.name, "sat", tuple(values))


@dataclass(frozen=True)
class Cvc5Backend:
    """cvc5 through its Python API, reading the SMT-LIB text with its own parser; ``rlimit`` is ``rlimit-per``."""

    nl_cov: bool = True
    rlimit: int = DEFAULT_CVC5_RLIMIT

    def __post_init__(self) -> None:
        check_rlimit(self.rlimit, "cvc5 rlimit")

    @property
    def budget(self) -> dict[str, int]:
        return {"rlimit-per": self.rlimit}

    @property
    def name(self) -> str:
        try:
            module = importlib.import_module("cvc5")
        except ImportError:
            return "cvc5 (not installed)"
        return f"cvc5 {getattr(module, '__version__', '?')}"

    def check(self, obligation: Obligation, timeout_s: float) -> SolverAnswer:
        try:
            cvc5 = importlib.import_module("cvc5")
        except ImportError:
            return SolverAnswer(self.name, "unknown", reason=f"{UNAVAILABLE}: cvc5 is not installed (pip install symrelu[cvc5])")
        manager = cvc5.TermManager()
        solver = cvc5.Solver(manager)
        solver.setOption("produce-models", "true")
        solver.setOption("tlimit-per", str(_timeout_ms(timeout_s)))
        solver.setOption("rlimit-per", str(self.rlimit))
        if self.nl_cov:
            solver.setOption("nl-cov", "true")
        symbols = cvc5.SymbolManager(manager)
        parser = cvc5.InputParser(solver, symbols)
        parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, obligation.to_smtlib(), obligation.filename)
        try:
            while True:
                command = parser.nextCommand()
                if command.isNull():
                    break
                if command.getCommandName() in ("check-sat", "exit", "set-info"):
                    continue  # cvc5 would abort on a result that differs from :status
                command.invoke(solver, symbols)
        except RuntimeError as err:
            raise SolverError(f"cvc5 could not read obligation {obligation.name}: {err}") from err
        try:
            result = solver.checkSat()
        except RuntimeError as err:
            return SolverAnswer(self.name, "unknown", reason=f"cvc5 failed: {err}")
        if result.isUnsat():
            return SolverAnswer(self.name, "unsat")
        if result.isUnknown():
            why = str(result.getUnknownExplanation())
            if "RESOURCEOUT" in why:
                why = f"resource budget exhausted (rlimit-per {self.rlimit}; raise it with rlimit=N)"
            elif "TIMEOUT" in why:
                why = f"wall-clock safety net of {timeout_s:g}s reached before the budget"
            return SolverAnswer(self.name, "unknown", reason=f"cvc5 gave up: {why}")
        terms = {term.getSymbol(): term for term in symbols.getDeclaredTerms()}
        values: list[tuple[str, ModelValue]] = []
        for smt_name, sort in obligation.variables:
            plain = smt_name[1:-1] if smt_name.startswith("|") else smt_name
            if plain not in terms:
                raise SolverError(f"cvc5 lost the declaration of {smt_name} in obligation {obligation.name}")
            value = solver.getValue(terms[plain])
            if sort == "Bool":
                values.append((smt_name, bool(value.getBooleanValue())))
            elif value.isRealValue():
                values.append((smt_name, Fraction(value.getRealValue())))
            else:
                return SolverAnswer(
                    self.name, "sat", reason=f"model value of {smt_name} is irrational ({value}); cannot replay exactly"
                )
        return SolverAnswer(self.name, "sat", tuple(values))


@dataclass(frozen=True)
class UnavailableBackend:
    """A solver that is missing: every answer is ``unknown`` with the reason given."""

    solver_name: str
    why: str

    @property
    def name(self) -> str:
        return self.solver_name

    @property
    def budget(self) -> dict[str, int]:
        return {}

    def check(self, obligation: Obligation, timeout_s: float) -> SolverAnswer:
        return SolverAnswer(self.solver_name, "unknown", reason=f"{UNAVAILABLE}: {self.why}")


def cvc5_available() -> bool:
    """True when the cvc5 Python API can be imported."""
    try:
        importlib.import_module("cvc5")
    except ImportError:
        return False
    return True


def default_backends(rlimit: int | None = None) -> tuple[Backend, ...]:
    """Z3 first, then cvc5 (or a placeholder that reports it missing).

    ``rlimit`` sets both budgets: Z3 gets ``rlimit`` units, cvc5 a fifth as
    ``rlimit-per``; None keeps the defaults.
    """
    z3_limit = DEFAULT_Z3_RLIMIT if rlimit is None else check_rlimit(rlimit, "rlimit")
    cvc5_limit = DEFAULT_CVC5_RLIMIT if rlimit is None else max(1, z3_limit // 5)
    second: Backend = Cvc5Backend(rlimit=cvc5_limit) if cvc5_available() else UnavailableBackend(
        "cvc5", "cvc5 is not installed (pip install symrelu[cvc5])"
    )
    return (Z3Backend(rlimit=z3_limit), second)


def budgets(backends: tuple[Backend, ...]) -> dict[str, dict[str, int]]:
    """Every backend's deterministic budget, by solver name (recorded in JSON and artifacts)."""
    return {b.name: dict(getattr(b, "budget", {})) for b in backends}
