"""Exact training trajectories: gradient descent and the subgradient method in rationals.

At a differentiable point every rule returns ∇ℓ(θ). On a kink the named rule
picks a Clarke element: ``backprop:S`` (what autodiff returns with relu'(0) = S;
it may even leave ∂_C ℓ) or ``min-norm`` (the least-norm element of ∂_C ℓ).

>>> from fractions import Fraction as F
>>> from symrelu.params.examples import paper_instance
>>> run = gradient_descent(paper_instance(), (F(1, 100), F(1, 100)), F(1, 10), 2)
>>> [tuple(map(str, s.theta)) for s in run.steps]
[('1/100', '1/100'), ('27/250', '27/250'), ('233/1250', '233/1250')]
>>> run.steps[1].kink_distance_sq, run.steps[1].distance_exact
(Fraction(729, 62500), True)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy
import z3

from ..errors import InputFormatError, ShapeError
from ..exact import z3_rational
from ..validation import check_count, check_relu_grad_at_zero
from .backprop import backprop_gradient
from .minnorm import min_norm_point
from .problem import Point, Problem
from .subdifferential import clarke_subdifferential
from .switches import SwitchTable
from .z3tools import make_solver, real_vars

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """How to pick a Clarke element on a kink: ``backprop`` with relu'(0) = ``s``, or ``min-norm``."""

    kind: str = "backprop"
    s: Fraction = Fraction(0)

    @property
    def name(self) -> str:
        return "min-norm" if self.kind == "min-norm" else f"backprop:{self.s}"


def parse_rule(text: str) -> Rule:
    """``"backprop:0"``, ``"backprop:1/2"`` or ``"min-norm"``.

    >>> parse_rule("backprop:1/2"), parse_rule("min-norm").name
    (Rule(kind='backprop', s=Fraction(1, 2)), 'min-norm')
    """
    text = text.strip()
    if text in {"min-norm", "minnorm", "min_norm"}:
        return Rule("min-norm")
    if text == "backprop":
        return Rule()
    if text.startswith("backprop:"):
        return Rule("backprop", check_relu_grad_at_zero(text.split(":", 1)[1]))
    raise InputFormatError(f"unknown rule {text!r}; use backprop:S (S in [0, 1]) or min-norm")


@dataclass(frozen=True)
class Step:
    """One iterate θ_t with its loss, region and distance to the nearest region boundary."""

    t: int
    theta: Point
    loss: Fraction
    pattern: str
    on_kink: bool
    kink_distance_sq: Fraction
    """Squared distance to the nearest switch surface (0 on a kink)."""
    distance_exact: bool
    """True: exact (affine switches, g²/‖∇g‖²); False: a rigorous lower bound proved by Z3."""
    crossed: bool
    """θ moved (θ_t ≠ θ_{t−1}) and the segment from θ_{t−1} to θ_t changed region or landed on a kink;
    a step that does not move crosses nothing, even when it sits on a kink."""
    direction: tuple[Fraction, ...]
    """The (sub)gradient used to leave θ_t."""


@dataclass(frozen=True)
class Trajectory:
    problem: Problem
    rule: Rule
    lr: Fraction
    steps: tuple[Step, ...]

    @property
    def final(self) -> Point:
        return self.steps[-1].theta

    @property
    def touched_kink(self) -> bool:
        return any(s.on_kink for s in self.steps)

    @property
    def crossings(self) -> tuple[int, ...]:
        return tuple(s.t for s in self.steps if s.crossed)


def direction(problem: Problem, theta: Point, rule: Rule, zeros: tuple[int, ...]) -> tuple[Fraction, ...]:
    """The element of ∂_C ℓ(θ) (or backprop's value) that the rule picks."""
    if not zeros or rule.kind == "backprop":
        return backprop_gradient(problem, theta, rule.s)  # off kinks this is the true gradient
    return min_norm_point(clarke_subdifferential(problem, theta).vertices)


def _nonlinear_distance_bound(g, theta: Point, names: tuple[str, ...], timeout_ms: int) -> Fraction:
    """Largest r² = r0²/4^j (j ≤ 30) with no zero of g in the open ball, proved by Z3; else 0."""
    grad = [d(theta) for d in g.gradient()]
    norm = sum((c * c for c in grad), Fraction(0))
    value = g(theta)
    r2 = value * value / norm if norm else Fraction(1)
    variables = real_vars(names)
    dist = z3.Sum(*((v - z3_rational(c)) ** 2 for v, c in zip(variables, theta, strict=True)))
    for _ in range(30):
        solver = make_solver(False, timeout_ms)
        solver.add(g.to_z3(variables) == 0, dist < z3_rational(r2))
        if solver.check() == z3.unsat:
            return r2
        r2 /= 4
    return Fraction(0)


def kink_distance(table: SwitchTable, theta: Point, timeout_ms: int = 10_000) -> tuple[Fraction, bool]:
    """(squared distance to the nearest switch surface of θ's region, exact?)."""
    bits, zeros = table.pattern_at(theta)
    if zeros:
        return Fraction(0), True
    best: Fraction | None = None
    exact = True
    for g in table.polynomials(bits):
        if g.is_constant:
            continue
        if g.degree == 1:
            grad = [d(theta) for d in g.gradient()]
            d2 = g(theta) ** 2 / sum((c * c for c in grad), Fraction(0))
        else:
            d2 = _nonlinear_distance_bound(g, theta, table.problem.parameter_names, timeout_ms)
            exact = False
        best = d2 if best is None or d2 < best else best
    if best is None:
        return Fraction(-1), True  # no switch surface at all: report -1 as "infinite"
    return best, exact


def _step_record(
    table: SwitchTable, t: int, theta: Point, prev: tuple[Point, tuple[int, ...]] | None, rule: Rule
) -> tuple[Step, tuple[int, ...]]:
    """Step ``t`` at ``theta``; ``prev`` is ``(θ_{t−1}, its pattern)`` (``None`` at the start)."""
    problem = table.problem
    bits, zeros = table.pattern_at(theta)
    d2, exact = kink_distance(table, theta)
    crossed = prev is not None and theta != prev[0] and (bits != prev[1] or bool(zeros))
    g = direction(problem, theta, rule, zeros)
    step = Step(t, theta, problem.loss_at(theta), table.format_pattern(bits), bool(zeros), d2, exact, crossed, g)
    return step, bits


MAX_STEPS = 10_000
"""Most steps one run may take: exact iterates grow with every step (``train --steps`` says so)."""


def check_steps(steps: int) -> int:
    """``steps`` if it lies in ``0..MAX_STEPS``, else a one-line :class:`ShapeError`."""
    return check_count(steps, "steps", 0, MAX_STEPS, ShapeError)


def subgradient_method(
    problem: Problem,
    init: Point | dict,
    lr: Fraction,
    steps: int,
    rule: Rule = Rule(),
    progress: Callable[[int], None] | None = None,
) -> Trajectory:
    """θ_{t+1} = θ_t − η g_t with g_t chosen by ``rule``; exact rationals throughout.
    ``progress(t)`` is called after each step (a progress bar)."""
    check_steps(steps)
    lr = Fraction(lr)
    if lr <= 0:
        raise InputFormatError(f"step size {lr} must be positive")
    table = SwitchTable(problem)
    theta = problem.point(init, "initial point")
    records: list[Step] = []
    prev: tuple[Point, tuple[int, ...]] | None = None
    for t in range(steps + 1):
        step, bits = _step_record(table, t, theta, prev, rule)
        records.append(step)
        prev = (theta, bits)
        theta = tuple(a - lr * b for a, b in zip(theta, step.direction, strict=True))
        if progress is not None:
            progress(t)
    return Trajectory(problem, rule, lr, tuple(records))


def gradient_descent(problem: Problem, init: Point | dict, lr: Fraction, steps: int) -> Trajectory:
    """Plain GD (backprop with relu'(0) = 0 if a kink is ever hit; flagged in the steps)."""
    return subgradient_method(problem, init, lr, steps, Rule())


def squared_distance(a: Point, b: Point) -> Fraction:
    return sum(((x - y) ** 2 for x, y in zip(a, b, strict=True)), Fraction(0))


def amplification(run: Trajectory, other: Trajectory) -> Fraction:
    """Exact ‖θ_T − θ'_T‖² / ‖θ_0 − θ'_0‖² (T = the shorter run's last step)."""
    T = min(len(run.steps), len(other.steps)) - 1
    start = squared_distance(run.steps[0].theta, other.steps[0].theta)
    if start == 0:
        raise InputFormatError("the two runs start at the same point; amplification is undefined")
    return squared_distance(run.steps[T].theta, other.steps[T].theta) / start


# ------------------------------------------------------------------ closed forms
def c3_closed_form(eps: Fraction, lr: Fraction, t: int) -> Fraction:
    """paper-claims C3: w_t = ½ + (1 − 2η)^t (ε − ½)."""
    return Fraction(1, 2) + (1 - 2 * lr) ** t * (eps - Fraction(1, 2))


def c4_one_step_amplification_sq(eps: Fraction, lr: Fraction) -> Fraction:
    """paper-claims C4 squared: ((1 − η) + η/(2ε))²."""
    return ((1 - lr) + lr / (2 * eps)) ** 2


# ------------------------------------------------------------------ float mode
@dataclass(frozen=True)
class ExactHandoff:
    """A step where floats saw a pattern change, redone exactly from the float iterate's exact value."""

    t: int
    start: Point
    end: Point
    pattern_before: str
    pattern_after: str
    crossed: bool
    """Exact verdict: the exact step changed region or landed on a kink."""


@dataclass(frozen=True)
class FloatRun:
    thetas: np.ndarray
    losses: np.ndarray
    handoffs: tuple[ExactHandoff, ...]

    def exact_steps(self, problem: Problem, rule: Rule = Rule()) -> tuple[Step, ...]:
        """The per-step records of the float iterates, each taken at its float's exact binary value
        (pattern, kink distance and crossings are exact facts about those points; the loss column is
        the exact loss there).

        >>> from symrelu.params.examples import paper_instance
        >>> run = float_run(paper_instance(), (Fraction(1, 2), Fraction(1, 2)), Fraction(1, 10), 2)
        >>> [(s.t, s.pattern, s.crossed) for s in run.exact_steps(paper_instance())]
        [(0, '11', False), (1, '11', False), (2, '11', False)]
        """
        table = SwitchTable(problem)
        records: list[Step] = []
        prev: tuple[Point, tuple[int, ...]] | None = None
        for t, values in enumerate(self.thetas):
            theta = tuple(Fraction(float(v)) for v in values)
            step, bits = _step_record(table, t, theta, prev, rule)
            records.append(step)
            prev = (theta, bits)
        return tuple(records)


class _FloatNet:
    """numpy forward/backward of the problem's network (float64; a filter, never a verdict)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        names = {n: i for i, n in enumerate(problem.parameter_names)}
        self.layers = []
        for layer in problem.network.layers:
            W = np.zeros((layer.out_dim, layer.in_dim))
            b = np.zeros(layer.out_dim)
            wmap, bmap = [], []
            for j, row in enumerate(layer.weight):
                for k, w in enumerate(row):
                    if isinstance(w, sympy.Symbol):
                        wmap.append((j, k, names[w.name]))
                    else:
                        W[j, k] = float(w)
                bias = layer.bias[j]
                if isinstance(bias, sympy.Symbol):
                    bmap.append((j, names[bias.name]))
                else:
                    b[j] = float(bias)
            self.layers.append((W, b, wmap, bmap))
        self.X = np.array([[float(v) for v in x] for x, _ in problem.data])
        self.Y = np.array([[float(v) for v in y] for _, y in problem.data])
        self.relu_layers = problem.network.relu_layer_count
        self.pieces = [None if all(a.is_relu for a in acts) else
                       tuple(np.array([float(v) for v in column]) for column in
                             zip(*((a.breakpoints[0], a.slopes[0], a.offsets[0], a.slopes[1], a.offsets[1]) for a in acts)))
                       for acts in problem.network.activations]
        """Per activated layer: None (all ReLU) or arrays (breakpoint, slope/offset below, slope/offset above)."""

    def _activate(self, index: int, Z: np.ndarray) -> np.ndarray:
        pieces = self.pieces[index]
        if pieces is None:
            return np.maximum(Z, 0)
        b, s0, o0, s1, o1 = pieces
        return np.where(Z > b, s1 * Z + o1, s0 * Z + o0)

    def _slope(self, index: int, Z: np.ndarray, s: float) -> np.ndarray:
        pieces = self.pieces[index]
        if pieces is None:
            return np.where(Z > 0, 1.0, np.where(Z < 0, 0.0, s))
        b, s0, _, s1, _ = pieces
        return np.where(Z > b, s1, np.where(Z < b, s0, s0 + s * (s1 - s0)))

    def _weights(self, theta: np.ndarray):
        out = []
        for W, b, wmap, bmap in self.layers:
            W, b = W.copy(), b.copy()
            for j, k, p in wmap:
                W[j, k] = theta[p]
            for j, p in bmap:
                b[j] = theta[p]
            out.append((W, b))
        return out

    def signs(self, theta: np.ndarray) -> np.ndarray:
        weights = self._weights(theta)
        A, signs = self.X, []
        for index, (W, b) in enumerate(weights):
            Z = A @ W.T + b
            if index < self.relu_layers:
                pieces = self.pieces[index]
                signs.append(np.sign(Z) if pieces is None else np.sign(Z - pieces[0]))
                A = self._activate(index, Z)
            else:
                A = Z
        if self.problem.loss == "absolute":
            signs.append(np.sign(A - self.Y))
        return np.concatenate([s.ravel() for s in signs]) if signs else np.zeros(0)

    def loss_grad(self, theta: np.ndarray, s: float) -> tuple[float, np.ndarray]:
        weights = self._weights(theta)
        A, inputs, pres = self.X, [], []
        for index, (W, b) in enumerate(weights):
            inputs.append(A)
            Z = A @ W.T + b
            pres.append(Z)
            A = self._activate(index, Z) if index < self.relu_layers else Z
        n = len(self.X)
        R = A - self.Y
        if self.problem.loss == "squared":
            loss, delta = float((R**2).sum() / (2 * n)), R / n
        else:
            loss, delta = float(np.abs(R).sum() / n), np.sign(R) / n
        grad = np.zeros(len(theta))
        for index in range(len(weights) - 1, -1, -1):
            W, _ = weights[index]
            if index < self.relu_layers:
                delta = delta * self._slope(index, pres[index], s)
            gW, gb = delta.T @ inputs[index], delta.sum(axis=0)
            _, _, wmap, bmap = self.layers[index]
            for j, k, p in wmap:
                grad[p] += gW[j, k]
            for j, p in bmap:
                grad[p] += gb[j]
            delta = delta @ W
        return loss, grad


def float_run(
    problem: Problem, init: Point | dict, lr: Fraction, steps: int, rule: Rule = Rule(), progress: Callable[[int], None] | None = None
) -> FloatRun:
    """A long float64 run; every step whose float signs change is redone exactly.

    The exact step starts from the float iterate's exact binary value; its result
    (rounded to float) continues the run, so each flagged crossing is an exact fact
    about that step. Unflagged steps are only as good as float64.
    """
    check_steps(steps)
    table = SwitchTable(problem)
    net = _FloatNet(problem)
    theta = np.array([float(v) for v in problem.point(init, "initial point")])
    thetas, losses, handoffs = [theta.copy()], [], []
    for t in range(steps):
        loss, grad = net.loss_grad(theta, float(rule.s))
        losses.append(loss)
        nxt = theta - float(lr) * grad
        if not np.array_equal(net.signs(theta), net.signs(nxt)):
            start = tuple(Fraction(float(v)) for v in theta)
            bits0, zeros0 = table.pattern_at(start)
            g = direction(problem, start, rule, zeros0)
            end = tuple(a - Fraction(lr) * b for a, b in zip(start, g, strict=True))
            bits1, zeros1 = table.pattern_at(end)
            handoffs.append(
                ExactHandoff(t, start, end, table.format_pattern(bits0), table.format_pattern(bits1), bits0 != bits1 or bool(zeros1))
            )
            nxt = np.array([float(v) for v in end])
        theta = nxt
        thetas.append(theta.copy())
        if progress is not None:
            progress(t)
    losses.append(net.loss_grad(theta, float(rule.s))[0])
    return FloatRun(np.array(thetas), np.array(losses), tuple(handoffs))
