"""The figure of a fit (``plasticity fit``): model vs data for every dataset, and convergence.

One panel per dataset: the published mean +- SEM of every (condition, time
bin) the fit scored, beside the best candidate's model mean +- SEM over its
virtual cells (from the stored per-cell read-outs, the numbers the objective
used).  Then each target's share of the best candidate's objective (the
squared z-score of each published mean, each penalty), where the fit records
them.  Last panel: every candidate's objective per generation and the best so
far (log scale).
"""
from __future__ import annotations

import numpy as np

from .style import plt, PALETTE


def plot(hist, result, data: dict, path):
    """Draw the fit in ``hist`` (DIR/fit.nc's Dataset) with ``result`` (DIR/fit.json) to ``path``."""
    f = hist["objective"].values                    # (generation, member)
    flat = f.reshape(-1)
    best = int(np.argmin(flat))
    losses = result.get("targets_at_best") or {}
    n = len(data) + 1 + bool(losses)
    fig, axes = plt.subplots(1, n, figsize=(3.6 * n, 3.4), squeeze=False)
    axes = axes[0]
    if losses:
        _targets_panel(axes[-2], losses)
    for ax, (protocol, rows) in zip(axes, data.items()):
        cells = hist[f"cells_{protocol}"].values
        cells = cells.reshape((-1,) + cells.shape[2:])[best]        # (condition, cell, bin)
        conds = [str(c) for c in hist[f"condition_{protocol}"].values]
        bins = [str(b) for b in hist[f"bin_{protocol}"].values]
        labels = []
        order = {b: i for i, b in enumerate(bins)}           # the protocol's bins, in time order
        rows = sorted(rows, key=lambda r: (order.get(r[1], 0), conds.index(r[0])))
        for k, (cond, b, mean, sem) in enumerate(rows):
            x = cells[conds.index(cond), :, bins.index(b)]
            x = x[np.isfinite(x)]
            m = x.mean()
            s = x.std(ddof=1) / np.sqrt(x.size) if x.size > 1 else 0.0
            ax.errorbar(k - 0.15, mean, yerr=sem, fmt="s", color="k", ms=5,
                        label="data" if k == 0 else None)
            ax.errorbar(k + 0.15, m, yerr=s, fmt="o", color=PALETTE[0], ms=5,
                        label="model (best)" if k == 0 else None)
            labels.append(f"{cond}\n{b}")
        ax.axhline(1.0, color="0.7", lw=0.8, zorder=0)
        ax.set_xticks(range(len(rows)))
        ax.set_xticklabels(labels, fontsize=6, rotation=60, ha="right")
        ax.set_ylabel("normalised EPSP")
        ax.set_title(protocol, fontsize=9)
        ax.legend(fontsize=7, frameon=False)
    ax = axes[-1]
    gens = np.arange(f.shape[0])
    for g in gens:
        ax.plot(np.full(f.shape[1], g), f[g], ".", color="0.6", ms=3)
    ax.plot(gens, np.minimum.accumulate(f.min(axis=1)), "-", color=PALETTE[0], label="best so far")
    ax.set_yscale("log")
    ax.set_xlabel("generation")
    ax.set_ylabel("sum of squared z-scores")
    ax.set_title("convergence", fontsize=9)
    ax.legend(fontsize=7, frameon=False)
    text = ", ".join(f"{k} {v:.3g} [{a:.3g}, {b:.3g}]" for (k, v), (a, b)
                     in zip(result["best"].items(), result["interval95"].values()))
    fig.suptitle(f"{result['model']}: {text}", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=150, format="png")
    plt.close(fig)
    return path


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
