"""A picture of the alliance network: nodes coloured by theatre, ties drawn by strength.

The layout is fixed and reads as the article's argument: the Euro-Atlantic states on a circle
on the left, the Indo-Pacific states on a circle on the right, the global United States between
them, other states below; the adversary alignment (Russia, China, North Korea) at the top of
its circles. Cross-theatre ties are drawn in another colour.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from alliancekit.network.graphs import ADVERSARIES, AllianceGraph
from alliancekit.schema import ParameterError

_CENTRES = {"euro_atlantic": (-1.35, 0.0), "indo_pacific": (1.35, 0.0), "other": (0.0, -1.35)}


def layout(g: AllianceGraph, adversaries=ADVERSARIES) -> dict[str, tuple[float, float]]:
    """Node positions: one circle per theatre (adversaries on top), ``global`` in the centre."""
    strength = np.bincount(g.src, g.weight, minlength=g.n) + np.bincount(
        g.dst, g.weight, minlength=g.n
    )
    pos: dict[str, tuple[float, float]] = {}
    glob = [i for i in range(g.n) if g.theatre[i] == "global"]
    for k, i in enumerate(glob):
        pos[g.nodes[i]] = (0.0, 0.25 * (k - (len(glob) - 1) / 2))
    for theatre, (cx, cy) in _CENTRES.items():
        members = [i for i in range(g.n) if g.theatre[i] == theatre]
        if not members:
            continue
        members.sort(key=lambda i: (g.nodes[i] not in adversaries, -strength[i], g.nodes[i]))
        n = len(members)
        radius = 0.35 if theatre == "other" else 0.95 if n > 3 else 0.5
        for k, i in enumerate(members):
            if theatre == "other":
                ang = np.pi * (1.1 + 0.8 * (k + 0.5) / n)  # an arc below the centre
            else:
                ang = np.pi / 2 + 2 * np.pi * k / n  # from the top, anticlockwise
            pos[g.nodes[i]] = (cx + radius * np.cos(ang), cy + radius * np.sin(ang))
    return pos


def draw(
    g: AllianceGraph,
    title: str | None = None,
    *,
    highlight: str | None = "USA",
    width: float = 10.0,
    height: float = 5.6,
):
    """A matplotlib figure of the graph (close it, or use :func:`save` / :func:`svg`)."""
    from matplotlib.lines import Line2D

    from alliancekit.plotting import THEATRE_COLOURS, new_figure

    if g.n == 0:
        raise ParameterError("graph", "the graph is empty: nothing to draw")
    fig, ax = new_figure(width, height)
    pos = layout(g)
    w = g.weight
    wmax = float(w.max()) if g.m else 1.0
    from matplotlib.collections import LineCollection

    order = np.argsort(w, kind="stable")
    segs, widths, colours_e = [], [], []
    for e in order:
        a, b = g.nodes[g.src[e]], g.nodes[g.dst[e]]
        ta, tb = g.theatre[g.src[e]], g.theatre[g.dst[e]]
        cross = {ta, tb} == {"euro_atlantic", "indo_pacific"}
        segs.append([pos[a], pos[b]])
        widths.append(0.3 + 2.2 * w[e] / wmax)
        alpha = 0.25 + 0.5 * w[e] / wmax
        colours_e.append((0.71, 0.40, 0.11, alpha) if cross else (0.60, 0.65, 0.69, alpha))
    ax.add_collection(LineCollection(segs, linewidths=widths, colors=colours_e, zorder=1))
    deg = np.bincount(g.src, minlength=g.n) + np.bincount(g.dst, minlength=g.n)
    xs = [pos[a][0] for a in g.nodes]
    ys = [pos[a][1] for a in g.nodes]
    colours = [THEATRE_COLOURS.get(t, "#7f7f7f") for t in g.theatre]
    sizes = 40 + 260 * deg / max(deg.max(), 1)
    ax.scatter(xs, ys, s=sizes, c=colours, edgecolors="white", linewidths=0.8, zorder=2)
    centre = {a: _CENTRES.get(t, (0.0, 0.0)) for a, t in zip(g.nodes, g.theatre, strict=True)}
    for a, x, y in zip(g.nodes, xs, ys, strict=True):
        cx, cy = centre[a]
        dx, dy = x - cx, y - cy
        norm = float(np.hypot(dx, dy)) or 1.0
        ax.annotate(
            a,
            (x, y),
            fontsize=7 if a != highlight else 9,
            fontweight="bold" if a == highlight else "normal",
            ha="center",
            va="center",
            xytext=(11 * dx / norm, 11 * dy / norm) if norm != 1.0 or dx or dy else (0, 11),
            textcoords="offset points",
            zorder=3,
        )
    handles = [
        Line2D([], [], marker="o", linestyle="", color=c, label=t.replace("_", "-"))
        for t, c in THEATRE_COLOURS.items()
        if t in set(g.theatre)
    ]
    handles.append(Line2D([], [], color="#b5651d", label="cross-theatre tie"))
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title or g.label)
    return fig


def svg(g: AllianceGraph, title: str | None = None, **kw) -> str:
    """The picture as an inline <svg> element (for the report)."""
    from alliancekit.plotting import to_svg

    return to_svg(draw(g, title, **kw))


def save(g: AllianceGraph, path: str | Path, title: str | None = None, **kw) -> Path:
    """Write the picture as PNG or SVG (by the file's suffix)."""
    import matplotlib.pyplot as plt

    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise ParameterError(
            "path", f"the picture is written as .png or .svg, not {path.suffix or 'no suffix'}"
        )
    from alliancekit.paths import output_path

    path = output_path(path, "path")
    fig = draw(g, title, **kw)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path
