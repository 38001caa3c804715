"""Read-outs shared by figures, fits and tests: normalised EPSP, bins, statistics.

As Jang et al 2026 and the slice literature report it: EPSP amplitude
normalised to the pre-induction baseline mean (1.0 = no change); mean +- SEM
across cells; two-tailed one-sample t-test against 1.0 in a bin of minutes
after induction (each protocol names its bins: ``BINS``, ``PRIMARY_BIN``).
"""
from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import stats


def normalize_to_baseline(epsp: xr.DataArray, is_baseline) -> xr.DataArray:
    """EPSP / mean of the baseline probes, per cell (along dim ``time``)."""
    base = epsp.where(is_baseline).mean("time")
    if bool((base <= 0).any()):
        raise ValueError("a cell has a non-positive baseline EPSP; cannot normalise")
    out = epsp / base
    out.attrs = {"units": "1", "long_name": "EPSP normalised to the baseline mean"}
    return out


def bin_mean(normalized: xr.DataArray, start: float, stop: float) -> xr.DataArray:
    """Per-cell mean over probes with ``start <= time < stop`` (minutes)."""
    t = normalized["time"]
    sel = normalized.where((t >= start) & (t < stop))
    if int((~np.isnan(sel)).sum()) == 0:
        raise ValueError(f"no probes between {start} and {stop} min")
    return sel.mean("time")


def summarize(cell_values: xr.DataArray) -> dict:
    """{condition: {"mean", "sem", "n", "p"}}: mean +- SEM over cells, t-test vs 1."""
    out = {}
    for cond in cell_values["condition"].values:
        v = cell_values.sel(condition=cond).values
        v = v[np.isfinite(v)]
        n = int(v.size)
        mean = float(np.mean(v)) if n else float("nan")
        sem = float(np.std(v, ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
        p = float(stats.ttest_1samp(v, 1.0).pvalue) if n > 1 else float("nan")
        out[str(cond)] = {"mean": mean, "sem": sem, "n": n, "p": p}
    return out


__all__ = ["normalize_to_baseline", "bin_mean", "summarize"]
