"""The figure of a fit (``plasticity fit``): model vs data for every dataset, and convergence.

One panel per dataset: the published mean +- SEM of every (condition, time
bin) the fit scored, beside the best candidate's model mean +- SEM over its
virtual cells (from the stored per-cell read-outs, the numbers the objective
used).  ``freq-response`` is drawn against frequency: the best candidate at every train the
fit ran, the published anchor, and Dudek & Bear's sign (down: LTD, up: LTP) where the shape
penalty reads it; ``hfs`` adds its sign at 55-60 min (LTP lasts) beside the published
mean.  Then each target's share of the best candidate's objective (the squared z-score of
each published mean, each penalty), where the fit records them.  Last panel: every candidate's objective per generation and the best so
far (log scale).
"""
from __future__ import annotations

import numpy as np

from .style import plt, PALETTE


def plot(hist, result, data: dict, path):
    """Draw the fit in ``hist`` (DIR/fit.nc's Dataset) with ``result`` (DIR/fit.json) to ``path``."""
    f = hist["objective"].values                    # (generation, member)
    best = int(np.nanargmin(f.reshape(-1)))
    losses = result.get("targets_at_best") or {}
    n = len(data) + 1 + bool(losses)
    ncols = min(n, 4)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.9 * ncols, 3.6 * nrows), squeeze=False)
    axes = axes.ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    for ax, (protocol, rows) in zip(axes, data.items()):
        cells = hist[f"cells_{protocol}"].values
        cells = cells.reshape((-1,) + cells.shape[2:])[best]        # (condition, cell, bin)
        conds = [str(c) for c in hist[f"condition_{protocol}"].values]
        bins = [str(b) for b in hist[f"bin_{protocol}"].values]
        if protocol == "freq-response":
            _frequency_panel(ax, cells, conds, bins, rows)
        else:
            _dataset_panel(ax, cells, conds, bins, rows, _signs(protocol))
        ax.axhline(1.0, color="0.7", lw=0.8, zorder=0)
        ax.set_ylabel("normalised EPSP")
        ax.set_title(protocol, fontsize=9)
        ax.legend(fontsize=7, frameon=False)
    if losses:
        _targets_panel(axes[n - 2], losses)
    ax = axes[n - 1]
    gens = np.arange(f.shape[0])
    for g in gens:
        ax.plot(np.full(f.shape[1], g), f[g], ".", color="0.6", ms=3)
    ax.plot(gens, np.minimum.accumulate(np.nanmin(f, axis=1)), "-", color=PALETTE[0],
            label="best so far")
    ax.set_yscale("log")
    ax.set_xlabel("generation")
    ax.set_ylabel("objective (z-scores² + penalties)")
    ax.set_title("convergence", fontsize=9)
    ax.legend(fontsize=7, frameon=False)
    items = [f"{k} {v:.3g} [{a:.3g}, {b:.3g}]" for (k, v), (a, b)
             in zip(result["best"].items(), result["interval95"].values())]
    lines = [", ".join(items[i:i + 2]) for i in range(0, len(items), 2)]
    fig.suptitle(f"{result['model']}, best of {result['evaluations']} (95 % interval): "
                 + "\n".join(lines), fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=150, format="png")
    plt.close(fig)
    return path


def _mean_sem(cells, ci, bi):
    x = cells[ci, :, bi]
    x = x[np.isfinite(x)]
    return x.mean(), (x.std(ddof=1) / np.sqrt(x.size) if x.size > 1 else 0.0)


def _signs(protocol) -> list:
    """[(condition, bin, '<' or '>')]: the signs the fit scores on ``protocol`` beyond its
    published means (protocols.fit.SIGNS), at the protocol's primary bin."""
    from protocols import get_protocol
    from protocols.fit import SIGNS
    if protocol not in SIGNS:
        return []
    b = get_protocol(protocol).PRIMARY_BIN
    return [(cond, b, rel) for cond, rel in SIGNS[protocol][1]]


def _dataset_panel(ax, cells, conds, bins, rows, signs=()):
    """Published mean +- SEM beside the best candidate's, per scored (condition, bin); then
    the best candidate where a published sign is scored, with the sign (down: below 1, up:
    above)."""
    order = {b: i for i, b in enumerate(bins)}           # the protocol's bins, in time order
    rows = sorted(rows, key=lambda r: (order.get(r[1], 0), conds.index(r[0])))
    labels = []
    for k, (cond, b, mean, sem) in enumerate(rows):
        m, s = _mean_sem(cells, conds.index(cond), bins.index(b))
        ax.errorbar(k - 0.15, mean, yerr=sem, fmt="s", color="k", ms=5,
                    label="data" if k == 0 else None)
        ax.errorbar(k + 0.15, m, yerr=s, fmt="o", color=PALETTE[0], ms=5,
                    label="model (best)" if k == 0 else None)
        labels.append(f"{cond}\n{b}")
    for j, (cond, b, rel) in enumerate(signs):
        k = len(labels)
        m, s = _mean_sem(cells, conds.index(cond), bins.index(b))
        ax.plot(k - 0.15, 1.0, "v" if rel == "<" else "^", color="0.45", ms=7, mfc="none",
                label="published sign" if j == 0 else None)
        ax.errorbar(k + 0.15, m, yerr=s, fmt="o", color=PALETTE[0], ms=5,
                    label="model (best)" if not rows and j == 0 else None)
        labels.append(f"{cond}\n{b}")
    ax.set_xlim(-0.7, len(labels) - 0.3)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, fontsize=6, rotation=60 if len(labels) > 3 else 0,
                       ha="right" if len(labels) > 3 else "center")


def _frequency_panel(ax, cells, conds, bins, rows):
    """The best candidate at every train the fit ran, against frequency, with the published
    anchors and Dudek & Bear's sign at each frequency the shape penalty reads."""
    from protocols.fit import FREQ_SHAPE
    from protocols import get_protocol
    b = rows[0][1] if rows else get_protocol("freq-response").PRIMARY_BIN
    hz = [float(c.removesuffix("Hz")) for c in conds]
    ms = [_mean_sem(cells, i, bins.index(b)) for i in range(len(conds))]
    ax.errorbar(hz, [m for m, _ in ms], yerr=[s for _, s in ms], fmt="o-", color=PALETTE[0],
                ms=5, label=f"model (best), {b}")
    for k, (cond, _, mean, sem) in enumerate(rows):
        ax.errorbar(float(cond.removesuffix("Hz")), mean, yerr=sem, fmt="s", color="k", ms=5,
                    label="data" if k == 0 else None)
    for k, (cond, rel) in enumerate(FREQ_SHAPE):
        ax.plot(float(cond.removesuffix("Hz")), 1.0, "v" if rel == "<" else "^", color="0.45",
                ms=7, mfc="none", label="published sign" if k == 0 else None)
    ax.set_xscale("log")
    ax.set_xlabel("train frequency (Hz)")


def _targets_panel(ax, losses: dict):
    """Each target's share of the best candidate's objective (squared z-score or penalty)."""
    names = list(losses)
    y = np.arange(len(names))
    ax.barh(y, [max(losses[k], 1e-3) for k in names], color=PALETTE[0], height=0.7)
    ax.axvline(1.0, color="0.5", lw=0.8, ls="--")            # a one-SEM miss
    ax.set_xscale("log")
    ax.set_yticks(y)
    ax.set_yticklabels(names, fontsize=5)
    ax.invert_yaxis()
    ax.set_xlabel("share of the objective (1 = one SEM)")
    ax.set_title("targets at the best candidate", fontsize=9)
