"""Run obligations on several solvers and combine their answers into verdicts.

Rules (see design.md, "Rules that make the answers trustworthy"):

* the decisive answers (sat/unsat) must agree, else UNKNOWN with a loud reason;
* an answer equal to the obligation's expected one proves it (for an expected
  ``sat`` only after the model replays exactly);
* a ``sat`` against an expected ``unsat`` refutes only after the check's
  ``replay`` confirmed the model in exact arithmetic (a check without its own
  replay gets :func:`.replay.exact_replay`: the model substituted into the
  obligation's own formulas); otherwise UNKNOWN;
* an ``unsat`` proves only with two confirmations: both solvers. A single
  solver's ``unsat`` is UNKNOWN unless ``allow_single_solver=True`` (an explicit
  opt-in); then the outcome names the single confirmer;
* a PROVED from an expected ``unsat`` also needs its hypotheses (every assertion
  but the last, the negated goal) to be satisfiable: confirmed by a model
  replayed exactly, or by both solvers. Unsat hypotheses give UNKNOWN
  "vacuous hypotheses"; the hypotheses-only check is kept in
  :attr:`ObligationOutcome.hypotheses` and written with the artifacts;
* give-ups are UNKNOWN with the solver named, never dropped silently. Budgets
  are deterministic (see :mod:`.solvers`); the wall-clock ``timeout_s`` is
  only an outer safety net.

Work is sent to worker processes (:mod:`symrelu.verify.engine.workers`) as
:class:`Obligation` (SMT-LIB text), never as z3 objects; with a Dask ``client`` the
solver calls of a batch go to its workers in chunks (each call there in its own stoppable
process), and the answers come back here to be combined and replayed, so the verdicts are
those of a serial run (the budgets are deterministic resource limits).

>>> import z3
>>> from symrelu.verify.engine.obligation import Obligation
>>> x = z3.Real("x")
>>> ob = Obligation.build("sq", [x * x < 0], check="demo", subject="none")
>>> outcome, = Runner().run([ob])
>>> outcome.verdict, [s.split()[0] for s in outcome.solvers]
(<Verdict.PROVED: 'PROVED'>, ['z3', 'cvc5'])
>>> outcome.hypotheses is None  # a lone negated goal has no hypotheses to check
True
>>> vacuous = Obligation.build("vac", [x > 1, x < 0, x * x < 0], check="demo", subject="none")
>>> bad, = Runner().run([vacuous])
>>> bad.verdict, bad.reason.split(":")[0]
(<Verdict.UNKNOWN: 'UNKNOWN'>, 'vacuous hypotheses')
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ...errors import InputFormatError, SymreluError
from ...parallel import DaskPool
from ...validation import check_count
from .obligation import Obligation
from .replay import Replayed, exact_replay
from .solvers import MAX_TIMEOUT_S, Backend, SolverAnswer, budgets, default_backends
from .verdict import Verdict
from .workers import solve_isolated, solve_on_pool

log = logging.getLogger(__name__)


Replay = Callable[[Obligation, Mapping[str, Any]], Replayed]


@dataclass(frozen=True)
class ObligationOutcome:
    """One obligation's verdict, with every solver's answer and the replayed witness."""

    obligation: Obligation
    verdict: Verdict
    answers: tuple[SolverAnswer, ...]
    solvers: tuple[str, ...]
    reason: str = ""
    witness: Mapping[str, Any] | None = None
    elapsed_s: float = field(default=0.0, compare=False)
    hypotheses: ObligationOutcome | None = None
    """The hypotheses-only check behind a PROVED (expected sat; None when there are no hypotheses)."""


def hypotheses_obligation(obligation: Obligation) -> Obligation | None:
    """The obligation without its last assertion (the negated goal), expected ``sat``; None if nothing is left.

    Only built obligations have this structure; a committed ``.smt2`` file re-run by ``symrelu proofs check``
    has its hypotheses-only check committed beside it (``*.hyp.smt2``), which is checked as a file of its own.
    """
    if not isinstance(obligation, Obligation) or obligation.expected != "unsat" or len(obligation.assertions) < 2:
        return None
    return replace(obligation, name=f"{obligation.name}.hyp", expected="sat", assertions=obligation.assertions[:-1],
                   region=f"hypotheses only of {obligation.name} (must be satisfiable)")


def is_hypotheses_check(obligation: Any) -> bool:
    """True for a hypotheses-only check (built here, or its committed ``*.hyp.smt2`` file)."""
    return str(obligation.name).removesuffix(".smt2").endswith(".hyp")


def with_hypotheses(outcomes: Sequence[ObligationOutcome]) -> tuple[ObligationOutcome, ...]:
    """Each outcome followed by its hypotheses-only check (for artifacts)."""

    def walk() -> Iterator[ObligationOutcome]:
        for outcome in outcomes:
            yield outcome
            if outcome.hypotheses is not None:
                yield outcome.hypotheses

    return tuple(walk())


def _solve(backend: Backend, obligation: Obligation, timeout_s: float) -> SolverAnswer:
    """Worker entry point (module level so that it pickles)."""
    return backend.check(obligation, timeout_s)


@dataclass(frozen=True)
class Runner:
    """Runs obligations with a per-obligation timeout on ``jobs`` processes.

    ``backends`` are asked in order; the first is the primary solver (Z3 by
    default), the rest give second opinions. Inject fake backends in tests.
    With ``isolate`` (the default) every solver call runs in a worker process
    that is stopped after ``timeout_s + grace_s`` (solvers do not always honour
    their own limits); ``isolate=False`` calls solvers in this process, one by
    one, relying on the solvers' own limits only.
    """

    backends: tuple[Backend, ...] = field(default_factory=default_backends)
    timeout_s: float = 120.0
    jobs: int = 1
    require_all: bool = False
    isolate: bool = True
    grace_s: float = 5.0
    allow_single_solver: bool = False
    client: Any = field(default=None, compare=False, repr=False)
    """A ``dask.distributed.Client``: the solver calls of a batch run on its workers, in chunks."""
    on_answer: Callable[[SolverAnswer], None] | None = field(default=None, compare=False, repr=False)
    """Called here with each solver answer as it arrives (a progress display)."""

    def __post_init__(self) -> None:
        if not self.backends:
            raise InputFormatError("a Runner needs at least one solver backend")
        if not self.grace_s >= 0:
            raise InputFormatError(f"grace_s must be at least 0, got {self.grace_s!r}")
        if not (isinstance(self.timeout_s, (int, float)) and 0 < self.timeout_s < float("inf")):
            raise InputFormatError(f"timeout_s={self.timeout_s!r} must be a positive, finite number of seconds")
        if self.timeout_s > MAX_TIMEOUT_S:
            object.__setattr__(self, "timeout_s", MAX_TIMEOUT_S)
        check_count(self.jobs, "jobs")

    def run(self, obligations: Sequence[Obligation], replay: Replay | None = None) -> tuple[ObligationOutcome, ...]:
        """Answer every obligation, then combine and replay (in this process)."""
        names = [ob.name for ob in obligations]
        if len(set(names)) != len(names):
            raise InputFormatError(f"obligation names must be unique, got {names}")
        started = time.perf_counter()
        answers = self._answers(obligations)
        elapsed = (time.perf_counter() - started) / max(1, len(obligations))
        outcomes = [self.combine(ob, tuple(answers[i]), replay, elapsed) for i, ob in enumerate(obligations)]
        return tuple(self._guard_vacuity(outcomes))

    @property
    def budgets(self) -> dict[str, Any]:
        """The deterministic budgets per solver and the wall-clock safety net (for JSON and artifacts)."""
        return {"solvers": budgets(self.backends), "wall_clock_safety_net_s": f"{self.timeout_s:g}",
                "allow_single_solver": self.allow_single_solver}

    def _guard_vacuity(self, outcomes: list[ObligationOutcome]) -> list[ObligationOutcome]:
        """Check the hypotheses of every PROVED expected-unsat obligation; vacuous ones become UNKNOWN."""
        checks = {i: hyp for i, o in enumerate(outcomes)
                  if o.verdict is Verdict.PROVED and (hyp := hypotheses_obligation(o.obligation)) is not None}
        if not checks:
            return outcomes
        order = sorted(checks)
        answers = self._answers([checks[i] for i in order])
        for i, hyp_answers in zip(order, answers, strict=True):
            outcomes[i] = self._vacuity(outcomes[i], checks[i], tuple(hyp_answers))
        return outcomes

    @staticmethod
    def _vacuity(outcome: ObligationOutcome, hyp: Obligation, answers: tuple[SolverAnswer, ...]) -> ObligationOutcome:
        sat = [a for a in answers if a.status == "sat"]
        unsat = [a for a in answers if a.status == "unsat"]
        witness = None
        for answer in sat:
            if answer.model is not None and (replayed := exact_replay(hyp, answer.model_dict())).confirmed:
                how, witness = f"witness from {answer.solver} replayed exactly", dict(replayed.witness)
                break
        else:
            how = "both solvers say sat" if len(sat) >= 2 and not unsat else ""
        said = ", ".join(f"{a.solver}: {a.status}" + (f" ({a.reason})" if a.reason else "") for a in answers)
        if how:
            checked = ObligationOutcome(hyp, Verdict.PROVED, answers, tuple(a.solver for a in sat),
                                        f"hypotheses satisfiable: {how}", witness, outcome.elapsed_s)
            return replace(outcome, hypotheses=checked)
        if unsat and not sat:
            reason = (f"vacuous hypotheses: the hypotheses of {outcome.obligation.name} without the negated goal are "
                      f"unsat ({said}); the unsat answer proves nothing")
            log.warning(reason)
        else:
            reason = f"hypotheses of {outcome.obligation.name} not confirmed satisfiable ({said}); PROVED withheld"
        checked = ObligationOutcome(hyp, Verdict.UNKNOWN, answers, (), reason, None, outcome.elapsed_s)
        return replace(outcome, verdict=Verdict.UNKNOWN, solvers=(), reason=reason, hypotheses=checked)

    def _answers(self, obligations: Sequence[Obligation]) -> list[list[SolverAnswer]]:
        tasks = [(b, ob, self.timeout_s) for ob in obligations for b in self.backends]
        if self.client is not None:
            flat = solve_on_pool(DaskPool(self.client), tasks, self.isolate, self.grace_s, self.on_answer)
        elif self.isolate:
            flat = solve_isolated(tasks, self.jobs, self.grace_s, self.on_answer)
        else:
            flat = []
            for backend, obligation, timeout_s in tasks:
                flat.append(_solve(backend, obligation, timeout_s))
                if self.on_answer is not None:
                    self.on_answer(flat[-1])
        width = len(self.backends)
        return [flat[i * width : (i + 1) * width] for i in range(len(obligations))]

    def combine(
        self,
        obligation: Obligation,
        answers: tuple[SolverAnswer, ...],
        replay: Replay | None = None,
        elapsed_s: float = 0.0,
    ) -> ObligationOutcome:
        """Turn the solvers' answers to one obligation into a verdict."""

        def outcome(verdict: Verdict, reason: str, solvers: tuple[str, ...] = (), witness: Any = None) -> ObligationOutcome:
            return ObligationOutcome(obligation, verdict, answers, solvers, reason, witness, elapsed_s)

        decisive = [a for a in answers if a.status != "unknown"]
        undecided = [a for a in answers if a.status == "unknown"]
        notes = "; ".join(f"{a.solver}: {a.reason or 'unknown'}" for a in undecided)
        if not decisive:
            return outcome(Verdict.UNKNOWN, f"no solver decided {obligation.name}: {notes}")
        statuses = sorted({a.status for a in decisive})
        if len(statuses) > 1:
            said = ", ".join(f"{a.solver} says {a.status}" for a in decisive)
            message = f"SOLVERS DISAGREE on {obligation.name} ({said}); verdict withheld"
            log.warning(message)
            return outcome(Verdict.UNKNOWN, message)
        if undecided and self.require_all:
            return outcome(Verdict.UNKNOWN, f"not every solver decided {obligation.name}: {notes}")
        status = statuses[0]
        agreed = tuple(a.solver for a in decisive)
        if status == "unsat":
            if obligation.expected == "unsat":
                if len(agreed) >= 2:
                    return outcome(Verdict.PROVED, notes, agreed)
                if self.allow_single_solver:
                    log.info("obligation %s proved by one solver (opt-in): %s", obligation.name, notes)
                    return outcome(Verdict.PROVED, f"single solver (opt-in): only {agreed[0]} confirmed"
                                   + (f"; {notes}" if notes else ""), agreed)
                return outcome(
                    Verdict.UNKNOWN,
                    f"{obligation.name}: only {agreed[0]} answered unsat ({notes or 'no second solver'}); a PROVED "
                    "needs two confirmations (raise rlimit=N, or accept one solver with allow_single_solver=True)",
                )
            return outcome(
                Verdict.UNKNOWN,
                f"{obligation.name}: solvers found no witness (unsat) although one was expected; "
                "a refutation needs a replayed witness",
            )
        return self._replay_sat(obligation, decisive, replay, notes, agreed, outcome)

    @staticmethod
    def _replay_sat(
        obligation: Obligation,
        decisive: list[SolverAnswer],
        replay: Replay | None,
        notes: str,
        agreed: tuple[str, ...],
        outcome: Callable[..., ObligationOutcome],
    ) -> ObligationOutcome:
        kind = Verdict.PROVED if obligation.expected == "sat" else Verdict.REFUTED
        with_model = [a for a in decisive if a.model is not None]
        if not with_model and len(decisive) >= 2 and is_hypotheses_check(obligation):
            return outcome(kind, "hypotheses satisfiable: both solvers say sat (no rational model to replay)", agreed)
        if not with_model:
            why = "; ".join(f"{a.solver}: {a.reason}" for a in decisive)
            return outcome(Verdict.UNKNOWN, f"{obligation.name}: sat, but no exact model to replay ({why})")
        if replay is None:  # every sat is replayed: at least in the obligation's own formulas, in exact rationals
            replay = exact_replay
        failures = []
        for answer in with_model:
            try:
                replayed = replay(obligation, answer.model_dict())
            except SymreluError as err:
                failures.append(f"{answer.solver}: replay failed: {err}")
                continue
            if replayed.confirmed:
                reason = f"witness from {answer.solver}, replayed exactly" + (f"; {notes}" if notes else "")
                return outcome(kind, reason, agreed, dict(replayed.witness))
            failures.append(f"{answer.solver}: model did not replay: {replayed.reason}")
        message = f"{obligation.name}: sat, but no model replayed exactly ({'; '.join(failures)})"
        log.warning(message)
        return outcome(Verdict.UNKNOWN, message)


def combine_outcomes(outcomes: Sequence[ObligationOutcome]) -> tuple[Verdict, tuple[str, ...], str]:
    """A check's verdict from its obligations: any REFUTED refutes, all PROVED proves, else UNKNOWN.

    Returns the verdict, the solvers that agreed on every obligation, and the reasons.
    """
    if not outcomes:
        raise SymreluError("a check needs at least one obligation")
    reasons = "; ".join(o.reason for o in outcomes if o.reason and o.verdict is not Verdict.PROVED)
    notes = "; ".join(sorted({o.reason for o in outcomes if o.reason and o.verdict is Verdict.PROVED}))
    refuted = [o for o in outcomes if o.verdict is Verdict.REFUTED]
    if refuted:
        return Verdict.REFUTED, refuted[0].solvers, refuted[0].reason
    if all(o.verdict is Verdict.PROVED for o in outcomes):
        common = [s for s in outcomes[0].solvers if all(s in o.solvers for o in outcomes)]
        return Verdict.PROVED, tuple(common), notes
    return Verdict.UNKNOWN, (), reasons
