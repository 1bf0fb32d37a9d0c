"""Pictures of input-space partitions (matplotlib, the ``plot`` extra). Plots never decide anything.

>>> from symrelu import Network
>>> from symrelu.regions import enumerate_regions
>>> import tempfile, os
>>> net = Network.from_rows([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
>>> path = os.path.join(tempfile.mkdtemp(), "p.png")
>>> plot_regions(net, enumerate_regions(net, [(-1, 1), (-1, 1)]), path) == path
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from .errors import InputFormatError, MissingDependencyError, ShapeError, install_hint
from .network import Network, format_pattern
from .regions import Region
from .validation import check_output


def new_figure(figsize: tuple[float, float], layout: Literal["constrained"] | None = None) -> tuple[Any, Any]:
    """A figure and axes from matplotlib's object-oriented API: no pyplot, no backend switch,
    so a notebook's inline plotting is left alone."""
    try:
        from matplotlib.figure import Figure
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(f"plots need matplotlib: {install_hint('plot')}") from err
    fig = Figure(figsize=figsize, layout=layout)
    return fig, fig.subplots()


def plot_regions(net: Network, regions: Sequence[Region], path: str | Path, output: int = 0, labels: bool = False) -> str:
    """Draw the partition (2-D: regions coloured by ``output``, with their boundaries; 1-D: the graph of
    ``output`` with its kinks); ``labels`` writes each region's pattern at its interior point."""
    dim = net.input_dim
    if dim not in (1, 2):
        raise ShapeError(f"plots show 1-D or 2-D inputs; this network takes {dim}")
    output = check_output(net, output)
    fig, ax = new_figure((7.4, 6.6) if dim == 2 else (8, 5), layout="constrained")
    if dim == 2:
        _draw_partition(fig, ax, net, regions, output, labels)
    else:
        _draw_graph(ax, net, regions, output, labels)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8, frameon=False, ncol=2)
    try:
        fig.savefig(path, dpi=130, bbox_inches="tight")
    except OSError as err:
        raise InputFormatError(f"{path}: cannot write the picture ({err.strerror or err})") from None
    return str(path)


LABEL_LENGTH = 16
"""Patterns longer than this are labelled by their row number in the regions table instead."""


def _draw_partition(fig: Any, ax: Any, net: Network, regions: Sequence[Region], output: int, labels: bool) -> None:
    from matplotlib.collections import PolyCollection

    values = [float(r.jacobian[output][0] * r.interior_point[0] + r.jacobian[output][1] * r.interior_point[1] + r.offset[output]) for r in regions]
    polygons = [[(float(x), float(y)) for x, y in r.vertices] for r in regions]
    collection = PolyCollection(polygons, array=values, cmap="viridis", edgecolors="black", linewidths=0.6)
    ax.add_collection(collection)
    fig.colorbar(collection, ax=ax, shrink=0.85, label=f"output {output} at each region's interior point")
    box = regions[0].box
    ax.set_xlim(float(box[0][0]), float(box[0][1]))
    ax.set_ylim(float(box[1][0]), float(box[1][1]))
    ax.set_aspect("equal")
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    ax.plot([], [], color="black", linewidth=0.8, label="kinks (region boundaries)")
    if labels:
        numbered = any(len(format_pattern(r.pattern)) > LABEL_LENGTH for r in regions)
        for index, region in enumerate(regions, start=1):
            x, y = (float(v) for v in region.interior_point)
            text = str(index) if numbered else format_pattern(region.pattern)
            ax.annotate(text, (x, y), fontsize=6, ha="center", va="center",
                        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.7, "linewidth": 0})
        if numbered:
            ax.plot([], [], linestyle="none", marker="$1$", color="black",
                    label="region k of the `symrelu regions` table (patterns too long to print)")
    ax.set_title(f"{net.source}: {len(regions)} activation regions, coloured by output {output}", fontsize=11)


def _draw_graph(ax: Any, net: Network, regions: Sequence[Region], output: int, labels: bool) -> None:
    points = sorted({v[0] for r in regions for v in r.vertices})
    values = [net.evaluate([x])[output] for x in points]
    ax.plot([float(x) for x in points], [float(v) for v in values], color="tab:blue", linewidth=1.6, label=f"$f_{output}(x)$")
    inner = points[1:-1]
    ax.scatter(
        [float(x) for x in inner],
        [float(net.evaluate([x])[output]) for x in inner],
        color="tab:red", zorder=3, s=22, label="kinks",
    )
    if labels:
        for region in regions:
            x = region.interior_point[0]
            ax.annotate(format_pattern(region.pattern), (float(x), float(net.evaluate([x])[output])), fontsize=7,
                        xytext=(0, 8), textcoords="offset points", ha="center")
    ax.set_xlabel("$x_0$")
    ax.set_ylabel(f"output {output}")
    ax.grid(alpha=0.3)
    ax.set_title(f"{net.source}: {len(regions)} linear pieces of output {output}")
