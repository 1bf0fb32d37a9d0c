"""Pictures of two-parameter landscapes (matplotlib, Agg). Floats appear here only for drawing.

Nothing in this module decides anything: kink lines and jump labels come from
the exact :mod:`symrelu.params.kinks` results; the grid only paints them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import InputFormatError, ShapeError
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


def _draw(ax, land: Landscape, kinks: Sequence[Kink], frame, resolution: int = 241, details: bool = True, levels=20):
    """Loss contours and kink lines; ``details`` adds the colour bar, the legend entries and the jump
    labels. Returns the contour levels (an inset reuses them, so its colours mean the same)."""
    problem = land.problem
    X, Y = np.meshgrid(np.linspace(frame[0], frame[1], resolution), np.linspace(frame[2], frame[3], resolution))
    net = _FloatNet(problem)
    Z = np.array([[net.loss_grad(np.array([x, y]), 0.0)[0] for x, y in zip(rx, ry, strict=True)] for rx, ry in zip(X, Y, strict=True)])
    filled = ax.contourf(X, Y, Z, levels=levels, cmap="viridis", extend="both" if details is False else "neither")
    if details:
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
        if not details:
            continue
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
    return filled.levels


def _legend_below(ax) -> None:
    """The legend under the axes, where it cannot cover data."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8, ncol=1, frameon=False)


def _save(fig, path: str | Path) -> Path:
    path = Path(path)
    try:
        fig.savefig(path, dpi=120, bbox_inches="tight")
    except OSError as err:
        raise InputFormatError(f"plot file {path}: cannot write the picture ({err.strerror or err})") from None
    return path


def plot_landscape(land: Landscape, kinks: Sequence[Kink], path: str | Path) -> Path:
    """Contour map of ℓ with the kinks (red: gradient jumps) and the jump sizes at exact witnesses."""
    if len(land.parameters) != 2:
        raise ShapeError(f"a landscape plot needs exactly two parameters, the problem has {len(land.parameters)}")
    fig, ax = new_figure((7, 6.6))
    _draw(ax, land, kinks, _frame(land.problem))
    ax.set_title(f"Loss landscape: {len(land.regions)} regions, {sum(k.dangerous for k in kinks)} dangerous kinks")
    _legend_below(ax)
    return _save(fig, path)


RUN_STYLES = (("tab:orange", "s"), ("cyan", "D"), ("magenta", "^"), ("yellow", "v"))
"""Colour and start-marker shape of run 1, 2, ...: distinct shapes, so overlapping starts stay visible."""


def _paths(ax, runs: Sequence[Trajectory], labels: Sequence[str], legend: bool) -> None:
    for i, run in enumerate(runs):
        color, marker = RUN_STYLES[i % len(RUN_STYLES)]
        xs = [float(s.theta[0]) for s in run.steps]
        ys = [float(s.theta[1]) for s in run.steps]
        name = f"run {i + 1} ({run.rule.name})"
        ax.plot(xs, ys, marker="o", markersize=3, color=color, zorder=3, label=name if legend else None)
        start = labels[i] if i < len(labels) else "start"
        ax.plot(
            xs[:1], ys[:1], linestyle="none", marker=marker, markersize=9 - 2 * i, color=color,
            markeredgecolor="black", markeredgewidth=1.2, zorder=4 + i, label=f"run {i + 1} {start}" if legend else None,
        )


def plot_trajectories(land: Landscape, kinks: Sequence[Kink], runs: Sequence[Trajectory], path: str | Path, labels: Sequence[str] = ()) -> Path:
    """Training paths over the loss contours, kinks marked; each run's start has its own marker
    shape, and when the starts are too close to tell apart an inset magnifies them."""
    if len(land.parameters) != 2:
        raise ShapeError(f"a landscape plot needs exactly two parameters, the problem has {len(land.parameters)}")
    points = [[float(v) for v in s.theta] for run in runs for s in run.steps]
    fig, ax = new_figure((7, 7))
    frame = _frame(land.problem, points)
    levels = _draw(ax, land, kinks, frame)
    _paths(ax, runs, labels, legend=True)
    starts = np.array([[float(v) for v in run.steps[0].theta] for run in runs])
    spread = float(np.max(np.ptp(starts, axis=0))) if len(runs) > 1 else 0.0
    size = max(frame[1] - frame[0], frame[3] - frame[2])
    if len(runs) > 1 and spread < 0.06 * size:
        centre = starts.mean(axis=0)
        half = max(2.5 * spread, 0.01 * size)
        inner = (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)
        inset = ax.inset_axes((0.03, 0.03, 0.36, 0.36))
        _draw(inset, land, kinks, inner, resolution=81, details=False, levels=levels)
        _paths(inset, runs, labels, legend=False)
        inset.set_xlim(inner[0], inner[1])
        inset.set_ylim(inner[2], inner[3])
        inset.set_xlabel("")
        inset.set_ylabel("")
        inset.tick_params(labelsize=6)
        inset.set_title("the starts, magnified", fontsize=7)
        ax.indicate_inset_zoom(inset, edgecolor="white")
    ax.set_title(f"Exact training paths, η = {runs[0].lr}, T = {len(runs[0].steps) - 1}")
    _legend_below(ax)
    return _save(fig, path)
