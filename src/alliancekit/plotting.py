"""Plotting shared by the network picture, the report and the app: matplotlib figures from the
non-interactive backend, rendered to inline SVG, and the theatre colours.

It sits below :mod:`alliancekit.network` and :mod:`alliancekit.report` so that both draw with it
(``tests/test_layers.py``).
"""

from __future__ import annotations

import io

THEATRE_COLOURS = {
    "euro_atlantic": "#1f5fa8",
    "indo_pacific": "#c2452d",
    "global": "#6b3fa0",
    "other": "#7f7f7f",
}


def new_figure(width: float = 9.0, height: float = 4.2):
    """A figure from matplotlib's non-interactive backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def to_svg(fig) -> str:
    """The figure as an inline <svg> element (the XML prologue stripped); closes the figure."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]
