"""Training throughput of the ra25 network: cpp_standalone vs cython vs NEST 3.10 (ratios, one run).

    python benchmarks/network_throughput.py [--epochs 2] [--rules kinase,kinase-binned]

Throughput = synapses x simulation steps (dt 0.5 ms) per wall-clock second of training, after
the build (compilation is reported separately).  All engines simulate the same network: the
ra25 layers (25-100-100-25, 250 neurons), its full projections (27,500 synapses), the same
trials (32 x 200 ms per epoch).

* ``cpp_standalone`` and ``cython``: the toolkit's network (:mod:`networks`), one epoch per run.
* NEST 3.10: the same layers of ``aeif_cond_exp`` neurons with Axon's membrane constants (281 pF,
  20 nS, -70 mV, V_T -50 mV, Delta_T 2 mV, 3 ms refractory, AMPA-like 5 ms conductance), the
  same full connectivity through ``stdp_synapse`` (delay 3 ms), the input layer driven by a DC
  current to about the input rates of the toolkit's runs, at resolution 0.5 ms, for the same
  simulated time.  NEST has no Axon pooled inhibition, NMDA or theta-phase clamps, so it does
  less work per step; its rates are reported beside the throughput.

Writes benchmarks/results/network_throughput.json.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np


def toolkit(rule, target, epochs):
    from networks.brian_network import BrianNetwork, network_parameters
    from networks.tasks import ra25
    from networks.training import train
    from networks.brian_network import NEURON_DT
    task = ra25()
    net = task.network(rule)
    t0 = time.perf_counter()
    bn = BrianNetwork(net, task.trials_per_epoch, network_parameters(), target=target)
    build = time.perf_counter() - t0
    if target == "cython":          # the first run compiles in runtime mode: warm it up
        t1 = time.perf_counter()
        train(task, rule, epochs=1, seed=99, brian=bn)
        build += time.perf_counter() - t1
    ds = train(task, rule, epochs=epochs, seed=0, brian=bn, criterion=10 ** 6)
    wall = ds.attrs["train_seconds"]
    n_syn = sum(net.layer(p.pre).n * net.layer(p.post).n for p in net.projections)
    steps = epochs * task.trials_per_epoch * float(bn.theta / NEURON_DT)
    rates = {name: float(ds[f"rate_minus_{name}"].mean()) for name in ("Input", "Hidden1", "Output")}
    return {"build_s": round(build, 2), "train_s": round(wall, 3),
            "synapse_steps_per_s": n_syn * steps / wall, "mean_minus_rates_Hz": rates}


def nest_run(epochs, input_current_pA=900.0):
    import nest
    from networks.tasks import ra25
    task = ra25()
    net = task.network("kinase")
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    nest.resolution = 0.5
    nest.local_num_threads = 1
    params = dict(C_m=281.0, g_L=20.0, E_L=-70.0, V_th=-50.0, Delta_T=2.0, V_peak=-40.0,
                  V_reset=-70.0, t_ref=3.0, a=0.0, b=0.0, E_ex=0.0, E_in=-90.0, tau_syn_ex=5.0,
                  tau_syn_in=7.0, tau_minus=30.0)
    pops = {layer.name: nest.Create("aeif_cond_exp", layer.n, params=params) for layer in net.layers}
    rng = np.random.default_rng(0)
    inputs = task.inputs[rng.integers(0, 25)]
    pops["Input"].I_e = (inputs * input_current_pA).tolist()
    n_syn = 0
    for p in net.projections:
        w = 100.0 * net.gscale(p) * 0.5          # nS: Gbar 100 x gscale x initial wt 0.5
        nest.Connect(pops[p.pre], pops[p.post], "all_to_all",
                     {"synapse_model": "stdp_synapse", "weight": w, "delay": 3.0,
                      "Wmax": 4 * w, "tau_plus": 30.0})
        n_syn += net.layer(p.pre).n * net.layer(p.post).n
    recorder = nest.Create("spike_recorder")
    for pop in pops.values():
        nest.Connect(pop, recorder)
    duration = epochs * task.trials_per_epoch * 200.0
    t0 = time.perf_counter()
    nest.Simulate(duration)
    wall = time.perf_counter() - t0
    ev = recorder.events
    senders = np.asarray(ev["senders"])
    rates = {}
    for name in ("Input", "Hidden1", "Output"):
        ids = np.asarray(pops[name].tolist())
        rates[name] = float(np.isin(senders, ids).sum() / len(ids) / (duration / 1000))
    steps = duration / 0.5
    return {"train_s": round(wall, 3), "synapse_steps_per_s": n_syn * steps / wall,
            "mean_rates_Hz": rates, "input_current_pA": input_current_pA,
            "nest_version": getattr(nest, "__version__", "unknown")}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--rules", default="kinase,kinase-binned")
    args = ap.parse_args(argv)
    out = {"epochs": args.epochs}
    for rule in args.rules.split(","):
        for target in ("cpp_standalone", "cython"):
            out[f"{rule}/{target}"] = toolkit(rule, target, args.epochs)
            print(rule, target, out[f"{rule}/{target}"], flush=True)
    try:
        out["nest/stdp_synapse"] = nest_run(args.epochs)
        print("nest", out["nest/stdp_synapse"])
    except ImportError as err:
        out["nest/stdp_synapse"] = {"error": f"NEST not installed: {err}"}
    ratios = {}
    for rule in args.rules.split(","):
        cpp = out[f"{rule}/cpp_standalone"]["synapse_steps_per_s"]
        ratios[f"{rule}: cpp_standalone / cython"] = cpp / out[f"{rule}/cython"]["synapse_steps_per_s"]
        if "synapse_steps_per_s" in out["nest/stdp_synapse"]:
            ratios[f"{rule}: cpp_standalone / NEST"] = cpp / out["nest/stdp_synapse"]["synapse_steps_per_s"]
    rules = args.rules.split(",")
    if "kinase" in rules and "kinase-binned" in rules:
        ratios["kinase-binned / kinase (cpp_standalone)"] = (
            out["kinase-binned/cpp_standalone"]["synapse_steps_per_s"]
            / out["kinase/cpp_standalone"]["synapse_steps_per_s"])
    out["ratios"] = {k: round(v, 3) for k, v in ratios.items()}
    for k, v in out["ratios"].items():
        print(f"{k}: {v}")
    path = Path(__file__).parent / "results" / "network_throughput.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
