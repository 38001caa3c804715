"""Shared drawing for the figures: per-minute time courses, summaries against a condition's value.

Every figure reads the Dataset that :func:`protocols.experiment.reproduce` (or
``pharmacology``) returns, so the numbers drawn are the ones saved and tested.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402,F401  (figures import plt from here)

PALETTE = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf"]


def minute_means(ds, condition):
    """Per-minute bins of the normalised EPSP: centres, mean over cells, SEM (as papers plot)."""
    t = ds["time"].values
    v = ds["normalized_epsp"].sel(condition=condition).values
    v = v[np.isfinite(v).any(axis=1)]
    edges = np.arange(np.floor(t.min()), np.ceil(t.max()) + 1)
    centers, means, sems = [], [], []
    for a, b in zip(edges[:-1], edges[1:]):
        m = (t >= a) & (t < b)
        if not m.any():
            continue
        per_cell = np.nanmean(v[:, m], axis=1)
        centers.append(a + 0.5)
        means.append(per_cell.mean())
        sems.append(per_cell.std(ddof=1) / np.sqrt(per_cell.size) if per_cell.size > 1 else 0)
    return tuple(map(np.asarray, (centers, means, sems)))


def time_course(ax, ds, colors=None, labels=None, course=None):
    """Model mean +- SEM per condition; ``course``: {condition: (t, value)} of the paper."""
    conds = [str(c) for c in ds["condition"].values]
    colors = colors or dict(zip(conds, PALETTE))
    labels = labels or {}
    for c in conds:
        x, m, s = minute_means(ds, c)
        ax.plot(x, m, color=colors.get(c), lw=1.5, label=f"model {labels.get(c, c)}")
        ax.fill_between(x, m - s, m + s, color=colors.get(c), alpha=0.2, lw=0)
        if course and c in course:
            tt, vv = course[c]
            ax.plot(tt, vv, "o", ms=3, color=colors.get(c), mfc="white", mew=1)
    ax.axhline(1, color="k", lw=0.6, ls=":")
    ax.set_xlabel("time after induction (min)")
    ax.set_ylabel("normalised EPSP")


def paper_at_bins(ax, ds, colors=None):
    """The paper's mean +- SEM as open squares at the middle of each bin that has one."""
    conds = [str(c) for c in ds["condition"].values]
    colors = colors or dict(zip(conds, PALETTE))
    for b in ds["bin"].values:
        lo, hi = (float(x) for x in str(b).replace(" min", "").split("-"))
        for c in conds:
            mean = float(ds["paper_mean"].sel(condition=c, bin=b))
            if np.isfinite(mean):
                sem = float(ds["paper_sem"].sel(condition=c, bin=b))
                ax.errorbar((lo + hi) / 2, mean, yerr=sem if np.isfinite(sem) else None, fmt="s",
                            ms=5, mfc="white", color=colors.get(c), capsize=3,
                            label=f"data {c} ({b})")


def summary_curve(ax, ds, x_values, label, color, bin_name=None):
    """Mean +- SEM at one bin against a number per condition (delta t, frequency)."""
    bin_name = bin_name or ds.attrs["primary_bin"]
    row = ds.sel(bin=bin_name)
    order = np.argsort(x_values)
    x = np.asarray(x_values)[order]
    m = row["summary_mean"].values[order]
    s = row["summary_sem"].values[order]
    ax.errorbar(x, m, yerr=s, fmt="-o", ms=3, color=color, capsize=2, label=label)
    ax.axhline(1, color="k", lw=0.6, ls=":")


def stamp(fig, ds_list, what):
    """A suptitle with model, parameter hash and seed of every Dataset drawn."""
    tags = sorted({f"{d.attrs.get('model')} ({d.attrs.get('parameter_hash')})" for d in ds_list})
    seeds = sorted({str(d.attrs.get("seed")) for d in ds_list})
    fig.suptitle(f"{what}; models {', '.join(tags)}; seed {', '.join(seeds)}", fontsize=9)


def save(fig, path):
    from pathlib import Path
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


__all__ = ["PALETTE", "minute_means", "time_course", "paper_at_bins", "summary_curve", "stamp", "save",
           "plt"]


def arguments(doc, argv, out, quick, **options):
    """The figure scripts' command line: --out, --quick and their own options (name=default)."""
    import argparse
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--out", default=out)
    ap.add_argument("--quick", action="store_true", default=bool(quick))
    for name, default in options.items():
        ap.add_argument(f"--{name}", default=default)
    return ap.parse_args(list(argv or []))


def runs(protocol, models, quick, quick_overrides, quick_conditions=None, out=None):
    """``reproduce(protocol)`` on each model (comma-separated); tiny settings when ``quick``.

    With ``out``, each run is also saved as ``out/<protocol>_<model>.nc`` (the
    numbers behind the figure, with their provenance attributes).
    """
    from pathlib import Path
    from protocols.experiment import reproduce
    done = []
    for m in models.split(","):
        ds = reproduce(protocol, model=m, cells=2 if quick else None,
                       conditions=quick_conditions if quick else None,
                       overrides=quick_overrides if quick else None)
        if out is not None:
            Path(out).mkdir(parents=True, exist_ok=True)
            ds.to_netcdf(Path(out) / f"{protocol}_{m}.nc", engine="h5netcdf")
        done.append(ds)
    return done


def one_panel(ds, path, title, draw, size=(5, 3.6)):
    """A one-axes figure of one run: ``draw(ax)``, stamped and saved."""
    fig, ax = plt.subplots(figsize=size)
    draw(ax)
    stamp(fig, [ds], title)
    return save(fig, path)
