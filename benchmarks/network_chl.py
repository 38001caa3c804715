"""Does the trained spiking net's kinase update follow CHL and backprop?  And binned vs exact.

    python benchmarks/network_chl.py [--task ra25] [--epochs 45] [--seed 0] [--trials 3]

Trains ``--task`` with the exact ``kinase`` rule on a network whose synapses also accumulate the
binned rule's sums on the same spikes (:mod:`networks.analysis`), then runs ``--trials``
analysis epochs and reports, per projection and pooled, Pearson r between the kinase change of
one trial and x+y+ - x-y- from the recorded phase rates, the cosine between the hidden layers'
update and the backprop gradient of a rate network with the same weights, and r between the
binned and the exact change.  Writes benchmarks/results/network_chl_<task>.json.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def main(argv=None):
    from networks.analysis import chl_agreement
    from networks.brian_network import BrianNetwork, network_parameters
    from networks.tasks import get_task
    from networks.training import train
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--task", default="ra25")
    ap.add_argument("--epochs", type=int, default=45)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--trials", type=int, default=3)
    args = ap.parse_args(argv)
    task = get_task(args.task)
    net = task.network("kinase")
    bn = BrianNetwork(net, task.trials_per_epoch, task.network_parameters(), target="cpp_standalone",
                      shadow_binned=True)
    ds = train(task, "kinase", epochs=args.epochs, seed=args.seed, brian=bn)
    rows = chl_agreement(bn, task, np.random.default_rng(args.seed + 1000), trials=args.trials)
    keys = ("r_raw_chl", "r_applied_chl", "r_raw_chl_late", "cos_backprop", "cos_raw_backprop",
            "r_binned_exact")
    summary = {}
    for proj in dict.fromkeys(r["projection"] for r in rows):
        mine = [r for r in rows if r["projection"] == proj]
        summary[proj] = {k: round(float(np.nanmean([r[k] for r in mine])), 3)
                         for k in keys if k in mine[0]}
    out = {"task": args.task, "seed": args.seed, "epochs_trained": int(ds.sizes["epoch"]),
           "epochs_to_criterion": ds.attrs["epochs_to_criterion"],
           "error_last_epoch": float(ds["error"].values[-1]), "analysis_trials": args.trials,
           "mean_over_trials": summary, "per_trial": rows}
    for proj, values in summary.items():
        print(proj, values)
    path = Path(__file__).parent / "results" / f"network_chl_{args.task}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
