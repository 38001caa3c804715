"""Epochs to criterion over seeds: ra25 / xor / parity3 with each rule (the network issue's acceptance numbers).

    python benchmarks/network_seeds.py [--task ra25] [--rules kinase,kinase-binned] [--seeds 0,1,2,3,4]
                                       [--epochs N]

One cpp_standalone build per rule serves every seed.  Per run: the epoch that completes 2
zero-error epochs (-1: not within ``--epochs``), the final and the lowest epoch error, and the best
accuracy (1 - lowest error); for pool-coded tasks (xor, parity3) also the best and the last-10-epoch
accuracy of the pool read-out (:func:`networks.readout.pool_correct`).  Writes
benchmarks/results/network_seeds_<task>.json, merged with earlier rules and with earlier seeds
of the same rule.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np


def main(argv=None):
    from networks.brian_network import BrianNetwork, network_parameters
    from networks.tasks import get_task
    from networks.training import train
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--task", default="ra25")
    ap.add_argument("--rules", default="kinase,kinase-binned")
    ap.add_argument("--seeds", default="0,1,2,3,4")
    ap.add_argument("--epochs", type=int, default=None, help="default: the task's limit")
    args = ap.parse_args(argv)
    task = get_task(args.task)
    path = Path(__file__).parent / "results" / f"network_seeds_{args.task}.json"
    path.parent.mkdir(exist_ok=True)
    results = json.loads(path.read_text()) if path.exists() else {}
    for rule in args.rules.split(","):
        net = task.network(rule)
        bn = BrianNetwork(net, task.trials_per_epoch, task.network_parameters(), target="cpp_standalone")
        runs = []
        for seed in (int(s) for s in args.seeds.split(",")):
            t0 = time.perf_counter()
            ds = train(task, rule, epochs=args.epochs, seed=seed, brian=bn)
            err = ds["error"].values
            runs.append({"seed": seed, "epochs_to_criterion": ds.attrs["epochs_to_criterion"],
                         "final_error": float(err[-1]), "lowest_error": float(err.min()),
                         "best_accuracy": float(1 - err.min()), "wall_s": round(time.perf_counter() - t0, 1)})
            if "pool_correct" in ds:        # pool-coded targets: the winner-take-all read-out too
                pool = ds["pool_correct"].values.mean(axis=1)
                runs[-1].update(best_pool_accuracy=float(pool.max()),
                                last10_pool_accuracy=float(pool[-10:].mean()))
            print(rule, runs[-1], flush=True)
        # merge with earlier runs of the same rule (a rerun of some seeds replaces only those)
        earlier = [r for r in results.get(rule, {}).get("runs", [])
                   if r["seed"] not in {n["seed"] for n in runs}]
        runs = sorted(earlier + runs, key=lambda r: r["seed"])
        reached = [r["epochs_to_criterion"] for r in runs if r["epochs_to_criterion"] > 0]
        # a run that never reaches the criterion counts as later than any that did
        ranked = [r["epochs_to_criterion"] if r["epochs_to_criterion"] > 0 else np.inf for r in runs]
        results[rule] = {"runs": runs, "reached": f"{len(reached)}/{len(runs)}",
                         "median_epochs_to_criterion": float(np.median(ranked)),
                         "median_of_runs_that_reached": float(np.median(reached)) if reached else None,
                         "max_epochs": args.epochs or task.max_epochs}
        print(rule, {k: v for k, v in results[rule].items() if k != "runs"})
    path.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
