"""The results of a Monte Carlo sweep given with ``--sweep``."""

from __future__ import annotations

import polars as pl

from alliancekit.app import models as m
from alliancekit.schema import ParameterError


class SweepService:
    """A sweep's results (a part of :class:`alliancekit.app.service.Service`)."""

    # -- sweeps ----------------------------------------------------------------------------------
    def sweep(self, threshold: float | None, bins: int) -> m.SweepOut:
        import numpy as np

        df = self._sweep_df
        if df is None:
            raise ParameterError("sweep", "no sweep file was given: start with --sweep FILE")
        cols = []
        for name, dtype in df.schema.items():
            if not dtype.is_numeric():
                continue
            x = df[name].drop_nulls().cast(pl.Float64).to_numpy()
            x = x[np.isfinite(x)]
            if x.size == 0:
                cols.append(m.SweepColumn(column=name, n=0, bins=[], counts=[]))
                continue
            counts, edges = np.histogram(x, bins=bins)
            q = np.quantile(x, [0.05, 0.5, 0.95])
            cols.append(
                m.SweepColumn(
                    column=name,
                    n=int(x.size),
                    mean=float(x.mean()),
                    p05=float(q[0]),
                    p50=float(q[1]),
                    p95=float(q[2]),
                    bins=[float(e) for e in edges],
                    counts=[int(c) for c in counts],
                    p_above=None if threshold is None else float((x > threshold).mean()),
                )
            )
        return m.SweepOut(
            dataset=self.dataset,
            file=self.sweep_path.name if self.sweep_path else "",
            rows=df.height,
            threshold=threshold,
            columns=cols,
        )
