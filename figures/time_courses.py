"""HFS, TBS and LFS time courses: normalised field EPSP vs minutes, model beside the data.

Each panel is one protocol run (:func:`protocols.experiment.reproduce`; a field
protocol: the cohort's mean EPSP); the open squares are the published numbers
in protocols/data at their time bin (HFS 1 x 100 Hz: 134 +- 4 % at 5 min; TBS:
+59 +- 4 % at 50-60 min; LFS: -27 +- 3 % at 1 h).

``python -m figures.time_courses [--out DIR] [--model kinase] [--quick]``;
``plot(ds, path)`` draws one protocol's Dataset (the CLI's figure for hfs, tbs, lfs).
"""
from __future__ import annotations

from figures.style import plt, time_course, paper_at_bins, stamp, save, arguments, one_panel, runs

PROTOCOLS = ("hfs", "tbs", "lfs")
#: tiny settings for tests: fewer cells, test pulses once a minute, a short LFS
QUICK = {"probe_interval": "120 s", "baseline": "4 min"}
QUICK_EXTRA = {"lfs": {"n_pulses": "60"}}


def _panel(ax, ds):
    time_course(ax, ds)
    paper_at_bins(ax, ds)
    ax.set_title(f"{ds.attrs['protocol']} ({ds.attrs.get('recording', '')})", loc="left", fontsize=8)
    ax.legend(fontsize=6, frameon=False)


def plot(ds, path):
    return one_panel(ds, path, f"{ds.attrs['protocol']} time course", lambda ax: _panel(ax, ds))


def plot_many(datasets, path):
    fig, axes = plt.subplots(1, len(datasets), figsize=(4.6 * len(datasets), 3.6), squeeze=False)
    for ax, ds in zip(axes[0], datasets):
        _panel(ax, ds)
    stamp(fig, datasets, "classic induction protocols")
    return save(fig, path)


def run(model="kinase", quick=False, out=None):
    return [runs(p, model, quick, {**QUICK, **QUICK_EXTRA.get(p, {})}, out=out)[0] for p in PROTOCOLS]


def main(argv=None, out="results/figures", quick=None):
    args = arguments(__doc__, argv, out, quick, model="kinase")
    return plot_many(run(args.model, args.quick, args.out), f"{args.out}/time_courses.png")


if __name__ == "__main__":
    import sys
    print(main(sys.argv[1:]))
