"""STDP window: normalised EPSP 25-30 min after 60 pairings at 1 Hz vs the spike-time difference.

One curve per model on the same pairings (:mod:`protocols.stdp`): the kinase
rule, pair STDP and Graupner & Brunel 2012 (its DP set); for ``gb2012`` the
paper's own reduction of each set's curve (:func:`plasticity.rules.gb2012.stdp_curves`)
is drawn too.  No published STDP numbers are in the project's data.

``python -m figures.stdp_window [--out DIR] [--models kinase,stdp,gb2012] [--quick]``;
``plot(ds, path)`` draws one run (the CLI's figure for ``stdp``).
"""
from __future__ import annotations

from figures.style import plt, summary_curve, stamp, save, PALETTE, arguments, runs, one_panel
from protocols.stdp import delta_t_ms

QUICK = {"probe_interval": "60 s", "baseline": "2 min", "n_pairs": "20"}
QUICK_CONDITIONS = ["dt-20ms", "dt+10ms"]


def _curve(ax, ds, color):
    x = [delta_t_ms(str(c)) for c in ds["condition"].values]
    summary_curve(ax, ds, x, f"{ds.attrs['model']}", color)


def _axes(ax):
    ax.axvline(0, color="k", lw=0.5)
    ax.set_xlabel("spike-time difference t_post - t_pre (ms)")
    ax.set_ylabel("normalised EPSP, 25-30 min")
    ax.legend(fontsize=7, frameon=False)


def plot(ds, path):
    return one_panel(ds, path, "STDP window", lambda ax: (_curve(ax, ds, PALETTE[0]), _axes(ax)))


def main(argv=None, out="results/figures", quick=None):
    from plasticity.rules import gb2012
    args = arguments(__doc__, argv, out, quick, models=None)
    models = args.models or ("stdp" if args.quick else "kinase,stdp,gb2012")
    done = runs("stdp", models, args.quick, QUICK, QUICK_CONDITIONS, out=args.out)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    for k, ds in enumerate(done):
        _curve(axes[0], ds, PALETTE[k])
    _axes(axes[0])
    axes[0].set_title("models on the same pairings (mean ± SEM)", loc="left", fontsize=8)
    dts = [-20, 10] if args.quick else [-50, -30, -20, -10, -5, 5, 10, 20, 30, 50]
    names = ["DP", "D"] if args.quick else gb2012.generic_set_names()
    curves = gb2012.stdp_curves(names, dts, n_pairs=20 if args.quick else 60)
    for k, n in enumerate(names):
        axes[1].plot(dts, curves[n]["analytic"], "-o", ms=3, color=PALETTE[k],
                     label=f"{n} ({gb2012.sign_letters(curves[n]['analytic'])})")
    axes[1].axhline(1, color="k", lw=0.6, ls=":")
    axes[1].axvline(0, color="k", lw=0.5)
    axes[1].set_xlabel("spike-time difference (ms)")
    axes[1].set_ylabel("mean change (GB2012 reduction)")
    axes[1].set_title("gb2012: the generic sets of Graupner & Brunel 2012 Fig. 2", loc="left",
                      fontsize=8)
    axes[1].legend(fontsize=6, frameon=False)
    stamp(fig, done, "STDP window")
    return save(fig, f"{args.out}/stdp_window.png")


if __name__ == "__main__":
    import sys
    print(main(sys.argv[1:]))
