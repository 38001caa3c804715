"""Pharmacology and mutants: the change at the protocol's bin under each manipulation, as bars.

One :func:`protocols.experiment.pharmacology` run per panel (every arm on the
same virtual cells).  Above each bar group, what the data in protocols/data say
the manipulation does: D-APV blocks NMDA-dependent LTP and LTD (Dudek & Bear
1992), DAPK1 or calcineurin block removes LTD and keeps LTP (Goodell et al 2017),
T286A removes LTP (Giese et al 1998), the GluN2B site mutant halves LTP (Halt
et al 2012).

``python -m figures.pharmacology [--out DIR] [--model kinase] [--quick]``.
"""
from __future__ import annotations

import numpy as np

from figures.style import plt, stamp, save, PALETTE, arguments

ARMS = [[], ["apv"], ["nimodipine"], ["dapk1-ko"], ["can-inhibitor"], ["camkii-t286a"],
        ["glun2b-no-camkii"]]
EXPECTED = {"none": "", "apv": "no LTP, no LTD", "nimodipine": "", "dapk1-ko": "no LTD",
            "dapk1-inhibitor": "no LTD", "can-inhibitor": "no LTD", "camkii-t286a": "no LTP",
            "camkii-inhibitor": "no LTP", "glun2b-no-camkii": "LTP halved"}
QUICK = {"probe_interval": "60 s", "baseline": "2 min"}


def plot(ds, path):
    """Bars of a ``pharmacology`` Dataset: one group per arm, one bar per condition."""
    b = ds.attrs["primary_bin"]
    arms = [str(a) for a in ds["manipulation"].values]
    conds = [str(c) for c in ds["condition"].values]
    fig, ax = plt.subplots(figsize=(1.1 * len(arms) + 2, 3.8))
    width = 0.8 / len(conds)
    for k, c in enumerate(conds):
        row = ds.sel(condition=c, bin=b)
        x = np.arange(len(arms)) + (k - (len(conds) - 1) / 2) * width
        ax.bar(x, row["summary_mean"], width, yerr=row["summary_sem"], capsize=2, color=PALETTE[k],
               label=c)
    for i, a in enumerate(arms):
        ax.text(i, ax.get_ylim()[1] * 0.98, EXPECTED.get(a, ""), ha="center", va="top", fontsize=6,
                style="italic")
    ax.axhline(1, color="k", lw=0.6, ls=":")
    ax.set_xticks(np.arange(len(arms)), arms, rotation=30, ha="right", fontsize=7)
    ax.set_ylabel(f"normalised EPSP, {b}")
    ax.legend(fontsize=7, frameon=False, loc="lower left")
    stamp(fig, [ds], f"{ds.attrs['protocol']}: manipulations (italic: what the data say)")
    return save(fig, path)


def main(argv=None, out="results/figures", quick=None):
    from protocols.experiment import pharmacology
    args = arguments(__doc__, argv, out, quick, model="kinase", protocol="jang2026")
    arms = ARMS[:3] if args.quick else ARMS
    conditions = ["low-high", "high-low"] if args.protocol == "jang2026" else None
    ds = pharmacology(args.protocol, model=args.model, arms=arms, cells=2 if args.quick else 8,
                      conditions=conditions, overrides=QUICK if args.quick else None)
    from pathlib import Path
    Path(args.out).mkdir(parents=True, exist_ok=True)
    ds.to_netcdf(Path(args.out) / f"pharmacology_{args.protocol}_{args.model}.nc", engine="h5netcdf")
    return plot(ds, f"{args.out}/pharmacology_{args.protocol}_{args.model}.png")


if __name__ == "__main__":
    import sys
    print(main(sys.argv[1:]))
