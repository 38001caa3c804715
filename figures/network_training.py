"""Learning curves of the network rules side by side (``plasticity train`` writes this figure).

Panel A: the fraction of training trials with any wrong output unit per epoch (Axon's PctErr),
one line per rule, the epoch that completes the zero-error criterion marked; for pool-coded
tasks (xor, parity3) also, dashed, the fraction of trials in which the correct output pool was
not the most active one (:func:`networks.readout.pool_correct`), smoothed over 5 epochs.  Panel B: the
output layer's minus-phase rates of the last epoch, for units whose target is on and off,
per rule: learning moves the free (minus-phase) output toward the clamped target.

Run as a script to train and draw: ``python -m figures.network_training [--task parity3]
[--rules kinase,kinase-binned,hebbian] [--epochs N] [--out DIR] [--quick]``.
"""
from __future__ import annotations

import numpy as np

from figures.style import PALETTE, plt, save, arguments

RULE_COLORS = {"kinase": PALETTE[0], "kinase-binned": PALETTE[1], "hebbian": PALETTE[7]}


def plot(ds, path):
    """``ds``: the Dataset of :func:`networks.results.combine` (a ``rule`` dimension)."""
    rules = [str(r) for r in ds["rule"].values]
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.6), gridspec_kw={"width_ratios": [1.6, 1]})
    for k, rule in enumerate(rules):
        err = ds["error"].sel(rule=rule).values
        epochs = ds["epoch"].values[np.isfinite(err)]
        err = err[np.isfinite(err)]
        color = RULE_COLORS.get(rule, PALETTE[k % len(PALETTE)])
        reached = int(ds["epochs_to_criterion"].sel(rule=rule))
        label = f"{rule} ({'criterion at epoch %d' % reached if reached > 0 else 'no criterion'})"
        a.plot(epochs, err, "-", color=color, lw=1.5, label=label)
        if "pool_correct" in ds:
            pool_err = 1 - ds["pool_correct"].sel(rule=rule).values.astype(float).mean(axis=1)[:len(epochs)]
            box = np.ones(min(5, len(pool_err)))
            smooth = (np.convolve(pool_err, box, mode="same")
                      / np.convolve(np.ones_like(pool_err), box, mode="same"))   # edges: fewer epochs
            a.plot(epochs, smooth, "--", color=color, lw=1, alpha=0.8,
                   label="dashed: pool read-out error" if k == 0 else None)
        if reached > 0:
            a.plot([reached], [0], "v", color=color, ms=7)
        out = ds.attrs["output_layer"]
        last = int(epochs[-1])
        rate = ds[f"rate_minus_{out}"].sel(rule=rule, epoch=last).values
        target = ds["target"].values[ds["pattern"].sel(rule=rule, epoch=last).values.astype(int)]
        for j, (on, marker) in enumerate(((1, "o"), (0, "x"))):
            values = rate[target == on]
            x = k + (j - 0.5) * 0.35 + np.random.default_rng(0).uniform(-0.08, 0.08, values.size)
            b.plot(x, values, marker, color=color, ms=3, alpha=0.5, mfc="none",
                   label=("target on" if on else "target off") if k == 0 else None)
    a.set_xlabel("epoch")
    a.set_ylabel("fraction of trials with an error")
    a.set_ylim(-0.03, 1.03)
    a.legend(fontsize=7, frameon=False)
    a.set_title(f"{ds.attrs['task']}: learning curves (seed {ds.attrs['seed']})", fontsize=9)
    b.axhline(ds.attrs["on_rate_Hz"], color="k", lw=0.6, ls=":")
    b.set_xticks(range(len(rules)), rules, fontsize=7)
    b.set_ylabel("output minus-phase rate, last epoch (Hz)")
    b.legend(fontsize=7, frameon=False)
    fig.suptitle(f"model {ds.attrs['model']} ({ds.attrs['parameter_hash']})", fontsize=8)
    return save(fig, path)


def main(argv=None):
    args = arguments(__doc__, argv, "results/figures", False, task="parity3",
                     rules="kinase,kinase-binned,hebbian", epochs="200", seed="0")
    from pathlib import Path
    from networks.results import train_rules
    epochs = 4 if args.quick else int(args.epochs)
    ds = train_rules(args.task, args.rules.split(","), epochs=epochs, seed=int(args.seed),
                     target="cython" if args.quick else "cpp_standalone")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ds.to_netcdf(out / f"network_training_{args.task}.nc", engine="h5netcdf")
    return plot(ds, out / f"network_training_{args.task}.png")


if __name__ == "__main__":
    print(main(__import__("sys").argv[1:]))
