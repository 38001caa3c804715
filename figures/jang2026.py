"""Jang et al 2026, model beside data: time course, 30-35 min bars, kinase traces.

A: normalised EPSP vs minutes (model mean +- SEM per condition, lines; the
   paper's digitised panel C time course, markers).
B: mean +- SEM at 30-35 min, model beside the paper, with the paper's n and
   the model's two-tailed one-sample t-test p.
C: CaP (CaMKII-like), CaD (DAPK1-like) and CaP - CaD through the first theta
   window of one virtual cell per condition: rising vs falling (flat in grey).

Usage: ``python -m figures.jang2026 RESULT.nc [OUT.png]`` (a saved run),
``python -m figures.jang2026 [--out DIR] [--model M] [--quick]`` (runs it), or
``plot(ds, path)``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import xarray as xr
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from protocols import jang2026  # noqa: E402
from protocols.jang2026 import PRIMARY_BIN  # noqa: E402
from figures.style import time_course  # noqa: E402

COLORS = {"low-low": "#7f7f7f", "low-high": "#d62728", "high-low": "#1f77b4", "high-high": "#2ca02c"}
LABELS = {"low-low": "flat 25 Hz (low-low)", "low-high": "increase (low-high)",
          "high-low": "decrease (high-low)", "high-high": "flat 50 Hz (high-high)"}


def _time_course(ax, ds, ref):
    time_course(ax, ds, COLORS, LABELS, ref["time_course"])
    ax.axvspan(30, 35, color="0.9", zorder=0)
    ax.set_title("A  time course (lines: model mean ± SEM; circles: paper)", loc="left", fontsize=9)
    ax.legend(fontsize=6.5, frameon=False, loc="upper left")


def _bars(ax, ds):
    conds = [str(c) for c in ds["condition"].values]
    x = np.arange(len(conds))
    row = ds.sel(bin=PRIMARY_BIN)
    ax.bar(x - 0.18, row["summary_mean"], 0.34, yerr=row["summary_sem"], capsize=3,
           color=[COLORS.get(c) for c in conds], label="model")
    ax.bar(x + 0.18, row["paper_mean"], 0.34, yerr=row["paper_sem"], capsize=3, color="white",
           edgecolor=[COLORS.get(c) for c in conds], hatch="///", label="Jang et al 2026")
    for i, c in enumerate(conds):
        p = float(row["summary_p"].sel(condition=c))
        top = float(row["summary_mean"].sel(condition=c) + row["summary_sem"].sel(condition=c))
        ax.text(i - 0.18, top + 0.03, f"p={p:.2g}", ha="center", fontsize=6)
        n_paper = row["paper_n"].sel(condition=c)
        ax.text(i + 0.18, 0.05, f"n={int(n_paper)}" if np.isfinite(n_paper) else "", ha="center",
                fontsize=6)
    ax.axhline(1, color="k", lw=0.6, ls=":")
    ax.set_xticks(x, [c.replace("-", "-\n") for c in conds], fontsize=7)
    ax.set_ylabel(f"normalised EPSP, {PRIMARY_BIN}")
    ax.set_title("B  30-35 min: model vs paper", loc="left", fontsize=9)
    ax.legend(fontsize=7, frameon=False)


def _traces(ax, ds):
    if "trace_CaP" not in ds:
        ax.set_axis_off()
        return
    t = ds["trace_time"].values
    for cond in ds["condition"].values:
        c = str(cond)
        p = ds["trace_CaP"].sel(condition=c).values
        d = ds["trace_CaD"].sel(condition=c).values
        flat = c in ("low-low", "high-high")
        kw = dict(color=COLORS.get(c), alpha=0.35 if flat else 1.0, lw=0.8 if flat else 1.4)
        ax.plot(t, p - d, **kw, label=f"CaP−CaD {c}")
        if not flat:
            ax.plot(t, p, color=COLORS.get(c), lw=0.8, ls="--")
            ax.plot(t, d, color=COLORS.get(c), lw=0.8, ls=":")
    ax.axhline(0, color="k", lw=0.5)
    ax.axvline(100, color="0.6", lw=0.5)
    ax.axvline(200, color="0.3", lw=0.8)
    ax.set_xlim(0, 400)
    ax.set_xlabel("time in the first theta window (ms)")
    ax.set_ylabel("kinase activity (normalised Ca units)")
    ax.set_title("C  CaP (--), CaD (:), CaP−CaD (—); learning at 200 ms", loc="left", fontsize=9)
    ax.legend(fontsize=6, frameon=False, loc="upper right")


def plot(ds: xr.Dataset, path) -> Path:
    """Draw the three panels from a ``reproduce('jang2026')`` Dataset into ``path``."""
    ref = jang2026.reference()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4), gridspec_kw={"width_ratios": [1.5, 1, 1.2]})
    _time_course(axes[0], ds, ref)
    _bars(axes[1], ds)
    _traces(axes[2], ds)
    fig.suptitle(f"Jang et al 2026 theta-window plasticity; model '{ds.attrs.get('model')}' "
                 f"(parameters {ds.attrs.get('parameter_hash')}, seed {ds.attrs.get('seed')})",
                 fontsize=10)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


QUICK = {"probe_interval": "60 s", "baseline": "2 min"}


def main(argv=None, out="results/figures", quick=None):
    """``RESULT.nc [OUT.png]`` redraws a saved run; ``[--out DIR] [--model M] [--quick]`` runs one."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0].endswith(".nc"):
        ds = xr.load_dataset(argv[0])
        target = argv[1] if len(argv) > 1 else Path(argv[0]).with_suffix(".png")
        return plot(ds, target)
    from figures.style import arguments, runs
    args = arguments(__doc__, argv, out, quick, model="kinase")
    (ds,) = runs("jang2026", args.model, args.quick, QUICK, out=args.out)
    return plot(ds, f"{args.out}/jang2026_{args.model}.png")


if __name__ == "__main__":
    print(main())
