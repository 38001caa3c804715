"""Frequency-response (Dudek & Bear 1992): normalised field EPSP at 55-60 min after 900 pulses.

One curve per model over 0.5-100 Hz (:mod:`protocols.freq_response`), the 1 Hz
anchor of the data (27 +- 3 % depression at 1 h, Drew et al 2011) as a
square; Dudek & Bear's own per-frequency numbers are not in the project's data
(their shape: LTD at 1-3 Hz, none near 10 Hz, LTP at 50 Hz).

``python -m figures.frequency_response [--out DIR] [--models kinase,bcm] [--quick]``;
``plot(ds, path)`` draws one run (the CLI's figure for ``freq-response``).
"""
from __future__ import annotations

import numpy as np

from figures.style import plt, summary_curve, stamp, save, PALETTE, arguments, runs, one_panel
from protocols.freq_response import CONDITIONS

QUICK = {"probe_interval": "120 s", "baseline": "4 min", "n_pulses": "30"}
QUICK_CONDITIONS = ["1Hz", "50Hz"]


def _curve(ax, ds, color):
    x = [CONDITIONS[str(c)] for c in ds["condition"].values]
    summary_curve(ax, ds, x, ds.attrs["model"], color)


def _axes(ax, ds):
    row = ds.sel(bin=ds.attrs["primary_bin"])
    for c in ds["condition"].values:
        m = float(row["paper_mean"].sel(condition=c))
        if np.isfinite(m):
            ax.errorbar(CONDITIONS[str(c)], m, yerr=float(row["paper_sem"].sel(condition=c)),
                        fmt="s", mfc="white", color="k", capsize=3, label="data (Drew et al 2011)")
    ax.set_xscale("log")
    ax.set_xlabel("stimulation frequency (Hz), 900 pulses")
    ax.set_ylabel("normalised field EPSP, 55-60 min")
    ax.legend(fontsize=7, frameon=False)


def plot(ds, path):
    return one_panel(ds, path, "frequency-response",
                     lambda ax: (_curve(ax, ds, PALETTE[0]), _axes(ax, ds)))


def main(argv=None, out="results/figures", quick=None):
    args = arguments(__doc__, argv, out, quick, models=None)
    models = args.models or ("kinase" if args.quick else "kinase,bcm,gb2012")
    done = runs("freq-response", models, args.quick, QUICK, QUICK_CONDITIONS, out=args.out)
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for k, ds in enumerate(done):
        _curve(ax, ds, PALETTE[k])
    _axes(ax, done[0])
    stamp(fig, done, "frequency-response")
    return save(fig, f"{args.out}/frequency_response.png")


if __name__ == "__main__":
    import sys
    print(main(sys.argv[1:]))
