"""Node labels for COW codes: the curated actor id, else the ISO3 code (countrycode), else
``COW<code>``; and a theatre for states the curated data do not cover."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alliancekit.data import Dataset


def cow_theatre(code: int) -> str:
    """Theatre of a COW state code not in the curated actors: Europe (200–399) and Canada are
    euro_atlantic, Asia and Oceania (700–999) indo_pacific, the United States global, the rest
    other."""
    if code == 2:
        return "global"
    if code == 20 or 200 <= code < 400:
        return "euro_atlantic"
    if 700 <= code < 1000:
        return "indo_pacific"
    return "other"


_ISO3_OF_COW: dict[int, str | None] = {}


def _iso3_of_cow(codes: list[int]) -> dict[int, str | None]:
    """ISO3 codes of COW codes (via countrycode; cached; None when it has none)."""
    todo = [c for c in codes if c not in _ISO3_OF_COW]
    if todo:
        try:
            from alliancekit.codes import convert

            out = convert(todo, "cown", "iso3c")
        except Exception:  # noqa: BLE001 - labels only: fall back to COW<code>
            out = [None] * len(todo)
        _ISO3_OF_COW.update(zip(todo, out, strict=True))
    return {c: _ISO3_OF_COW[c] for c in codes}


def cow_labels(codes: Iterable[int], data: Dataset | None = None) -> dict[int, tuple[str, str]]:
    """Node id and theatre for COW codes: the curated actor id and theatre where the actors
    table codes the state; else its ISO3 code (unless another node already has it) and
    :func:`cow_theatre`; else ``COW<code>``."""
    codes = sorted({int(c) for c in codes})
    known: dict[int, tuple[str, str]] = {}
    if data is not None:
        for aid, cow, th in data.actors.select("actor_id", "cow_code", "theatre").iter_rows():
            if cow is not None:
                known[int(cow)] = (aid, th)
    used = {aid for aid, _ in known.values()}
    iso = _iso3_of_cow([c for c in codes if c not in known])
    out: dict[int, tuple[str, str]] = {}
    for c in codes:
        if c in known:
            out[c] = known[c]
            continue
        label = iso.get(c)
        if not label or label in used:
            label = f"COW{c}"
        used.add(label)
        out[c] = (label, cow_theatre(c))
    return out
