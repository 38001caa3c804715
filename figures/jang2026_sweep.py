"""The rate sweep beside CHL: heat maps of the model's change and of x+y+ - x-y-, their correlation.

A: normalised EPSP at 30-35 min for every prediction (first half) x outcome
   (second half) rate (model mean over cells); B: the CHL prediction
   outcome^2 - prediction^2 on the same grid; C: one against the other with
   Pearson's r; D: the f-I calibration that matched the somatic current to each
   rate (:mod:`protocols.fi_curve`).

``python -m figures.jang2026_sweep [--out DIR] [--model kinase] [--quick]``; ``plot(ds, path)``.
"""
from __future__ import annotations

import numpy as np

from figures.style import plt, stamp, save, arguments, runs
from protocols.jang2026_sweep import RATES, CONDITIONS, chl
from protocols.fi_curve import fi_curve, current_for

QUICK = {"probe_interval": "60 s", "baseline": "2 min", "n_blocks": "1"}
QUICK_CONDITIONS = ["0-50Hz", "50-0Hz", "25-25Hz"]


def grids(ds, bin_name=None):
    """(model change grid, CHL grid, Pearson r over the conditions run)."""
    bin_name = bin_name or ds.attrs["primary_bin"]
    n = len(RATES)
    model, theory = np.full((n, n), np.nan), np.full((n, n), np.nan)
    for c in ds["condition"].values:
        a, b = CONDITIONS[str(c)]
        i, j = RATES.index(a), RATES.index(b)
        model[i, j] = float(ds["summary_mean"].sel(condition=c, bin=bin_name))
        theory[i, j] = chl(str(c))
    ok = np.isfinite(model)
    r = float(np.corrcoef(model[ok] - 1, theory[ok])[0, 1]) if ok.sum() > 2 else float("nan")
    return model, theory, r


def plot(ds, path):
    model, theory, r = grids(ds)
    fig, axes = plt.subplots(1, 4, figsize=(17, 3.9))
    for ax, data, title, cmap in ((axes[0], model, "A  model, normalised EPSP 30-35 min", "RdBu_r"),
                                  (axes[1], theory, "B  CHL: outcome² − prediction² (Hz²)", "RdBu_r")):
        lim = np.nanmax(np.abs(data - (1 if data is model else 0)))
        centre = 1 if data is model else 0
        im = ax.imshow(data, origin="lower", cmap=cmap, vmin=centre - lim, vmax=centre + lim)
        ax.set_xticks(range(len(RATES)), RATES)
        ax.set_yticks(range(len(RATES)), RATES)
        ax.set_xlabel("outcome (second half) rate, Hz")
        ax.set_ylabel("prediction (first half) rate, Hz")
        ax.set_title(title, loc="left", fontsize=8)
        fig.colorbar(im, ax=ax, shrink=0.8)
    ok = np.isfinite(model)
    axes[2].plot(theory[ok], model[ok], "o", ms=4)
    axes[2].axhline(1, color="k", lw=0.5, ls=":")
    axes[2].axvline(0, color="k", lw=0.5, ls=":")
    axes[2].set_xlabel("CHL x+y+ − x−y− (Hz²)")
    axes[2].set_ylabel("model normalised EPSP")
    axes[2].set_title(f"C  Pearson r = {r:.2f} ({int(ok.sum())} conditions)", loc="left", fontsize=8)
    currents, rates = fi_curve()
    axes[3].plot(currents, rates, "-", color="0.3", label="f-I (100 ms steps, mean of 16)")
    axes[3].plot(current_for(RATES), RATES, "o", color="C3", label="current used per rate")
    axes[3].set_xlabel("somatic current (pA)")
    axes[3].set_ylabel("rate (Hz)")
    axes[3].set_title("D  calibration of the current to the rate", loc="left", fontsize=8)
    axes[3].legend(fontsize=7, frameon=False)
    stamp(fig, [ds], "Jang et al 2026 rate sweep vs CHL")
    return save(fig, path)


def main(argv=None, out="results/figures", quick=None):
    args = arguments(__doc__, argv, out, quick, model="kinase")
    (ds,) = runs("jang2026-sweep", args.model, args.quick, QUICK, QUICK_CONDITIONS, out=args.out)
    return plot(ds, f"{args.out}/jang2026_sweep_{args.model}.png")


if __name__ == "__main__":
    import sys
    print(main(sys.argv[1:]))
