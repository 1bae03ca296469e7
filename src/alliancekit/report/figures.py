"""Charts for the report: the shared plotting helpers, which live in :mod:`alliancekit.plotting`
(below the network picture and the report); re-exported here under their old names."""

from __future__ import annotations

from alliancekit.plotting import THEATRE_COLOURS, new_figure, to_svg

__all__ = ["THEATRE_COLOURS", "new_figure", "to_svg"]
