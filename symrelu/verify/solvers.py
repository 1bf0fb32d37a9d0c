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

>>> import z3
>>> from symrelu.verify.obligation import Obligation
>>> x = z3.Real("x")
>>> ob = Obligation.build("half", [2 * x == 1], check="demo", subject="none", expected="sat")
>>> answer = Z3Backend().check(ob, timeout_s=5)
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

from ..errors import SolverError
from .obligation import Obligation

log = logging.getLogger(__name__)

AnswerStatus = Literal["sat", "unsat", "unknown"]
ModelValue = Fraction | bool
Model = tuple[tuple[str, ModelValue], ...]
"""A model: sorted ``(smt_name, value)`` pairs, every value exact."""

UNAVAILABLE = "second opinion unavailable"


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


def _timeout_ms(timeout_s: float) -> int:
    if not timeout_s > 0:
        raise SolverError(f"timeout must be positive, got {timeout_s!r} seconds")
    return max(1, int(timeout_s * 1000))


@dataclass(frozen=True)
class Z3Backend:
    """Z3 through its Python API; ``rlimit`` (optional) makes resource-outs deterministic."""

    rlimit: int | None = None

    @property
    def name(self) -> str:
        return f"z3 {z3.get_version_string()}"

    def check(self, obligation: Obligation, timeout_s: float) -> SolverAnswer:
        context = z3.Context()
        solver = z3.Solver(ctx=context)
        solver.set("timeout", _timeout_ms(timeout_s))
        if self.rlimit is not None:
            solver.set("rlimit", self.rlimit)
        try:
            solver.from_string(obligation.to_smtlib())
        except z3.Z3Exception as err:
            raise SolverError(f"z3 could not parse obligation {obligation.name}: {err}") from err
        result = solver.check()
        if result == z3.unsat:
            return SolverAnswer(self.name, "unsat")
        if result == z3.unknown:
            return SolverAnswer(self.name, "unknown", reason=f"z3 gave up: {solver.reason_unknown()}")
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
    """cvc5 through its Python API, reading the SMT-LIB text with its own parser."""

    nl_cov: bool = True

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
            return SolverAnswer(self.name, "unknown", reason=f"cvc5 gave up: {result.getUnknownExplanation()}")
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

    def check(self, obligation: Obligation, timeout_s: float) -> SolverAnswer:
        return SolverAnswer(self.solver_name, "unknown", reason=f"{UNAVAILABLE}: {self.why}")


def cvc5_available() -> bool:
    """True when the cvc5 Python API can be imported."""
    try:
        importlib.import_module("cvc5")
    except ImportError:
        return False
    return True


def default_backends() -> tuple[Backend, ...]:
    """Z3 first, then cvc5 (or a placeholder that reports it missing)."""
    second: Backend = Cvc5Backend() if cvc5_available() else UnavailableBackend(
        "cvc5", "cvc5 is not installed (pip install symrelu[cvc5])"
    )
    return (Z3Backend(), second)
