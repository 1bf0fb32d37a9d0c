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
from typing import Any

from .errors import MissingDependencyError, ShapeError
from .network import Network
from .regions import Region


def new_figure(figsize: tuple[float, float]) -> tuple[Any, Any]:
    """A figure and axes from matplotlib's object-oriented API: no pyplot, no backend switch,
    so a notebook's inline plotting is left alone."""
    try:
        from matplotlib.figure import Figure
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("plots need matplotlib: pip install 'symrelu[plot]'") from err
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


def plot_regions(net: Network, regions: Sequence[Region], path: str | Path, output: int = 0) -> str:
    """Draw the partition (2-D: coloured polygons and kink lines; 1-D: the graph with kinks)."""
    dim = net.input_dim
    if dim not in (1, 2):
        raise ShapeError(f"plots show 1-D or 2-D inputs; this network takes {dim}")
    fig, ax = new_figure((7, 6) if dim == 2 else (8, 4.5))
    if dim == 2:
        _draw_partition(fig, ax, net, regions, output)
    else:
        _draw_graph(ax, net, regions, output)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    return str(path)


def _draw_partition(fig: Any, ax: Any, net: Network, regions: Sequence[Region], output: int) -> None:
    from matplotlib.collections import PolyCollection

    values = [float(r.jacobian[output][0] * r.interior_point[0] + r.jacobian[output][1] * r.interior_point[1] + r.offset[output]) for r in regions]
    polygons = [[(float(x), float(y)) for x, y in r.vertices] for r in regions]
    collection = PolyCollection(polygons, array=values, cmap="viridis", edgecolors="black", linewidths=0.6)
    ax.add_collection(collection)
    fig.colorbar(collection, ax=ax, label=f"output {output} at each region's interior point")
    box = regions[0].box
    ax.set_xlim(float(box[0][0]), float(box[0][1]))
    ax.set_ylim(float(box[1][0]), float(box[1][1]))
    ax.set_aspect("equal")
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    ax.plot([], [], color="black", linewidth=0.8, label="kinks (region boundaries)")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    ax.set_title(f"{net.source}: {len(regions)} activation regions")


def _draw_graph(ax: Any, net: Network, regions: Sequence[Region], output: int) -> None:
    points = sorted({v[0] for r in regions for v in r.vertices})
    values = [net.evaluate([x])[output] for x in points]
    ax.plot([float(x) for x in points], [float(v) for v in values], color="tab:blue", linewidth=1.6, label=f"$f_{output}(x)$")
    inner = points[1:-1]
    ax.scatter(
        [float(x) for x in inner],
        [float(net.evaluate([x])[output]) for x in inner],
        color="tab:red", zorder=3, s=22, label="kinks",
    )
    ax.set_xlabel("$x_0$")
    ax.set_ylabel(f"output {output}")
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title(f"{net.source}: {len(regions)} linear pieces")
