"""The Jang et al 2026 2x2 under every model: which rule gets the signs of the temporal derivative.

Bars: normalised EPSP at 30-35 min per condition (mean +- SEM, the paper's n
and the same seed for every model), one group per model, the paper's values
hatched.  A calcium-level rule is expected to potentiate most for flat-high;
the kinase rule's sign follows the change within the window.

``python -m figures.model_comparison [--out DIR] [--models kinase,spine,gb2012,stdp,bcm] [--quick]``.
"""
from __future__ import annotations

import numpy as np

from figures.style import plt, stamp, save, arguments, runs
from figures.jang2026 import COLORS

MODELS = ("kinase", "spine", "gb2012", "stdp", "bcm")
QUICK = {"probe_interval": "60 s", "baseline": "2 min"}


def plot(runs, path):
    conds = [str(c) for c in runs[0]["condition"].values]
    b = runs[0].attrs["primary_bin"]
    fig, ax = plt.subplots(figsize=(2.2 * (len(runs) + 1) + 1, 3.8))
    width = 0.8 / len(conds)
    groups = [("Jang et al 2026", runs[0], "paper")] + [(d.attrs["model"], d, "summary") for d in runs]
    for g, (label, ds, kind) in enumerate(groups):
        row = ds.sel(bin=b)
        for k, c in enumerate(conds):
            x = g + (k - (len(conds) - 1) / 2) * width
            m = float(row[f"{kind}_mean"].sel(condition=c))
            s = float(row[f"{kind}_sem"].sel(condition=c))
            ax.bar(x, m, width, yerr=s, capsize=2, color="white" if kind == "paper" else COLORS[c],
                   edgecolor=COLORS[c], hatch="///" if kind == "paper" else None,
                   label=c if g == 1 else None)
    ax.axhline(1, color="k", lw=0.6, ls=":")
    ax.set_xticks(np.arange(len(groups)), [g[0] for g in groups], fontsize=8)
    ax.set_ylabel(f"normalised EPSP, {b}")
    ax.legend(fontsize=7, frameon=False)
    stamp(fig, runs, "Jang et al 2026 2x2 under each model")
    return save(fig, path)


def main(argv=None, out="results/figures", quick=None):
    args = arguments(__doc__, argv, out, quick, models=None)
    models = args.models or ("kinase,stdp" if args.quick else ",".join(MODELS))
    return plot(runs("jang2026", models, args.quick, QUICK, out=args.out),
                f"{args.out}/model_comparison.png")


if __name__ == "__main__":
    import sys
    print(main(sys.argv[1:]))
