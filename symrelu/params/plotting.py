"""Pictures of two-parameter landscapes (matplotlib, Agg). Floats appear here only for drawing.

Nothing in this module decides anything: kink lines and jump labels come from
the exact :mod:`symrelu.params.kinks` results; the grid only paints them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import ShapeError
from ..plots import new_figure
from .kinks import Kink
from .landscape import Landscape
from .polynomial import Polynomial
from .problem import Problem
from .trajectory import Trajectory, _FloatNet


def _poly_grid(poly: Polynomial, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    out = np.zeros_like(X)
    for (e0, e1), c in poly.terms:
        out += float(c) * X**e0 * Y**e1
    return out


def _frame(problem: Problem, extra: Sequence[Sequence[float]] = ()) -> tuple[float, float, float, float]:
    if problem.domain is not None:
        (a, b), (c, d) = problem.domain
        lo0, hi0, lo1, hi1 = float(a), float(b), float(c), float(d)
    else:
        lo0 = lo1 = -2.0
        hi0 = hi1 = 2.0
    for p in extra:
        lo0, hi0 = min(lo0, p[0]), max(hi0, p[0])
        lo1, hi1 = min(lo1, p[1]), max(hi1, p[1])
    pad0, pad1 = 0.05 * (hi0 - lo0), 0.05 * (hi1 - lo1)
    return lo0 - pad0, hi0 + pad0, lo1 - pad1, hi1 + pad1


def _draw(ax, land: Landscape, kinks: Sequence[Kink], frame, resolution: int = 241) -> None:
    problem = land.problem
    X, Y = np.meshgrid(np.linspace(frame[0], frame[1], resolution), np.linspace(frame[2], frame[3], resolution))
    net = _FloatNet(problem)
    Z = np.array([[net.loss_grad(np.array([x, y]), 0.0)[0] for x, y in zip(rx, ry)] for rx, ry in zip(X, Y)])
    filled = ax.contourf(X, Y, Z, levels=20, cmap="viridis")
    ax.figure.colorbar(filled, ax=ax, label="loss ℓ(θ)")
    by_pattern = {r.pattern: r for r in land.regions}
    seen = set()
    for kink in kinks:
        below = by_pattern[kink.below]
        mask = np.ones_like(X, dtype=bool)
        for index, g, sign in below.constraints:
            if index not in kink.switch_indices:
                mask &= sign * _poly_grid(g, X, Y) > -1e-9
        G = np.ma.array(_poly_grid(kink.surface[0], X, Y), mask=~mask)
        color = "red" if kink.dangerous else "white"
        style = "-" if kink.dangerous else "--"
        ax.contour(X, Y, G, levels=[0], colors=color, linewidths=2, linestyles=style)
        label = "dangerous kink (gradient jumps)" if kink.dangerous else "harmless kink (no jump)"
        if label not in seen:
            ax.plot([], [], color=color, linestyle=style, linewidth=2, label=label)
            seen.add(label)
        where, jump = (kink.dangerous_witness, kink.dangerous_jump) if kink.dangerous else (kink.witness, kink.jump_at_witness)
        if where is not None and jump is not None:
            size = math.sqrt(float(sum(j * j for j in jump)))
            ax.annotate(
                f"|Δ∇ℓ|={size:.3g}",
                (float(where[0]), float(where[1])),
                fontsize=8,
                color="black",
                backgroundcolor="white",
                ha="center",
            )
    names = problem.parameter_names
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_xlim(frame[0], frame[1])
    ax.set_ylim(frame[2], frame[3])


def plot_landscape(land: Landscape, kinks: Sequence[Kink], path: str | Path) -> Path:
    """Contour map of ℓ with the kinks (red: gradient jumps) and the jump sizes at exact witnesses."""
    if len(land.parameters) != 2:
        raise ShapeError(f"--plot needs exactly two parameters, the problem has {len(land.parameters)}")
    fig, ax = new_figure((7, 6))
    _draw(ax, land, kinks, _frame(land.problem))
    ax.set_title(f"Loss landscape: {len(land.regions)} regions, {sum(k.dangerous for k in kinks)} dangerous kinks")
    ax.legend(loc="upper right", fontsize=8, facecolor="lightgrey")
    path = Path(path)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    return path


def plot_trajectories(land: Landscape, kinks: Sequence[Kink], runs: Sequence[Trajectory], path: str | Path, labels: Sequence[str] = ()) -> Path:
    """Training paths over the loss contours, kinks marked."""
    if len(land.parameters) != 2:
        raise ShapeError(f"--plot needs exactly two parameters, the problem has {len(land.parameters)}")
    points = [[float(v) for v in s.theta] for run in runs for s in run.steps]
    fig, ax = new_figure((7, 6))
    _draw(ax, land, kinks, _frame(land.problem, points))
    colors = ["orange", "cyan", "magenta", "yellow"]
    for i, run in enumerate(runs):
        xs = [float(s.theta[0]) for s in run.steps]
        ys = [float(s.theta[1]) for s in run.steps]
        label = labels[i] if i < len(labels) else f"run {i + 1}"
        ax.plot(xs, ys, marker="o", markersize=3, color=colors[i % len(colors)], label=f"{label} ({run.rule.name})")
        ax.plot(xs[:1], ys[:1], marker="s", markersize=7, color=colors[i % len(colors)])
    ax.set_title(f"Exact training paths, η = {run.lr}, T = {len(runs[0].steps) - 1}")
    ax.legend(loc="upper right", fontsize=8, facecolor="lightgrey")
    path = Path(path)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    return path
