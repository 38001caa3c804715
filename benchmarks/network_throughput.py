"""Training throughput of the ra25 network: cpp_standalone vs cython vs NEST 3.10 (ratios, one run).

    python benchmarks/network_throughput.py [--epochs 2] [--rules kinase,kinase-binned]

Throughput = synapses x simulation steps (dt 0.5 ms) per wall-clock second of training, after
the build (compilation is reported separately).  All engines simulate the same network: the
ra25 layers (25-100-100-25, 250 neurons), its full projections (27,500 synapses), the same
trials (32 x 200 ms per epoch).

* ``cpp_standalone`` and ``cython``: the toolkit's network (:mod:`networks`), one epoch per run.
* NEST 3.10: the same layers of ``aeif_cond_exp`` neurons with Axon's membrane constants (281 pF,
  20 nS, -70 mV, V_T -50 mV, Delta_T 2 mV, 3 ms refractory, AMPA-like 5 ms conductance) and
  spike-frequency adaptation, the same full connectivity and initial weights (seed 0, scaled by
  ``NEST_GAIN``) through ``stdp_synapse`` (delay 3 ms), at resolution 0.5 ms, for the
  same simulated time and the same trials: each 200 ms trial the active input units of that
  trial's pattern get a DC current.  NEST has no Axon pooled inhibition, NMDA or theta-phase
  clamps; in place of the pools every free layer gets 5 inhibitory cells, driven by the layer
  and its senders (static synapses) and inhibiting the whole layer.  Activity is matched (the
  cost of an event-driven synapse grows with the spikes it carries): the input current is
  bisected until the input layer fires at the toolkit's input rate, then the inhibitory weight
  until the hidden and output layers together fire at the toolkit's mean rate (rates over whole
  trials, from the toolkit's kinase run on the same trials).  Both sets of rates are reported
  beside the throughput; the throughput counts the 27,500 plastic synapses in both engines.

Writes benchmarks/results/network_throughput.json.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from brian2 import second


#: NEST peer: spike-frequency adaptation (a nS, b pA, tau_w ms) standing in for Axon's KNa / mAHP
#: currents, and a gain on the toolkit's weights; without adaptation, or at gain >= 0.4, the
#: fully connected bidirectional layers are bistable here (silent, or every cell near 280 Hz)
#: for any inhibitory weight (measured on a grid, gain 0.03-1 x inhibition 0-30 nS)
ADAPT_A, ADAPT_B, ADAPT_TAU = 2.0, 100.0, 150.0
NEST_GAIN = 0.25


def _layer_rates(net, i, duration_s):
    """Mean rate (Hz) of every layer over a run, from spike indices and times."""
    i = np.asarray(i)
    return {layer.name: float(np.isin(i, net.indices(layer.name)).sum() / layer.n / duration_s)
            for layer in net.layers}


def toolkit(rule, target, epochs):
    from networks.brian_network import BrianNetwork, network_parameters
    from networks.tasks import ra25
    from networks.training import train
    from networks.brian_network import NEURON_DT
    task = ra25()
    net = task.network(rule)
    t0 = time.perf_counter()
    bn = BrianNetwork(net, task.trials_per_epoch, task.network_parameters(), target=target)
    build = time.perf_counter() - t0
    if target == "cython":          # the first run compiles in runtime mode: warm it up
        t1 = time.perf_counter()
        train(task, rule, epochs=1, seed=99, brian=bn)
        build += time.perf_counter() - t1
    ds = train(task, rule, epochs=epochs, seed=0, brian=bn, criterion=10 ** 6)
    wall = ds.attrs["train_seconds"]
    n_syn = sum(net.layer(p.pre).n * net.layer(p.post).n for p in net.projections)
    steps = epochs * task.trials_per_epoch * float(bn.theta / NEURON_DT)
    # spikes of the last epoch (cpp_standalone keeps one epoch, from t = 0; cython the whole run)
    duration_s = float(bn.duration / second)
    t_sp = np.asarray(bn.spikes.t[:] / second)
    start = 0.0 if target == "cpp_standalone" else float(bn.brian.t / second) - duration_s
    last = t_sp >= start - 1e-9
    rates = _layer_rates(net, np.asarray(bn.spikes.i[:])[last], duration_s)
    return {"build_s": round(build, 2), "train_s": round(wall, 3),
            "synapse_steps_per_s": n_syn * steps / wall, "mean_rates_Hz": rates,
            "trial_patterns": ds["pattern"].values[-1].tolist()}


def _nest_network(net, task, order, current_pA, inhibition, duration_ms, gain=1.0):
    """Build and run the NEST peer; returns (wall seconds of Simulate, layer rates, synapses).

    Weights: the toolkit's initial weights of seed 0 (:func:`networks.network.initial_weights`),
    ``gain x 100 nS x gscale x wt`` per synapse.
    """
    import nest
    from networks.network import initial_weights
    weights = initial_weights(net, np.random.default_rng(0))
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    nest.resolution = 0.5
    nest.local_num_threads = 1
    params = dict(C_m=281.0, g_L=20.0, E_L=-70.0, V_th=-50.0, Delta_T=2.0, V_peak=-40.0,
                  V_reset=-70.0, t_ref=3.0, a=ADAPT_A, b=ADAPT_B, tau_w=ADAPT_TAU, E_ex=0.0, E_in=-90.0, tau_syn_ex=5.0,
                  tau_syn_in=7.0, tau_minus=30.0)
    pops = {layer.name: nest.Create("aeif_cond_exp", layer.n, params=params) for layer in net.layers}
    n_syn = n_static = 0
    for p in net.projections:
        w = gain * 100.0 * net.gscale(p) * weights[p.name][0]       # nS, (n_pre, n_post)
        nest.Connect(pops[p.pre], pops[p.post], "all_to_all",
                     {"synapse_model": "stdp_synapse", "weight": w.T, "delay": 3.0,
                      "Wmax": 4 * float(w.max()), "tau_plus": 30.0})
        n_syn += net.layer(p.pre).n * net.layer(p.post).n
    # the stand-in for each free layer's pooled inhibition: a few inhibitory cells driven by the
    # layer and its senders (feedback and feedforward), inhibiting the whole layer
    for layer in net.layers:
        if layer.kind == "input":
            continue
        inh = nest.Create("aeif_cond_exp", 5, params=dict(params, t_ref=1.0))
        senders = [layer.name] + [p.pre for p in net.projections if p.post == layer.name]
        for name in senders:
            nest.Connect(pops[name], inh, "all_to_all",
                         {"synapse_model": "static_synapse", "weight": 20.0 / net.layer(name).n ** 0.5,
                          "delay": 1.0})
            n_static += net.layer(name).n * 5
        nest.Connect(inh, pops[layer.name], "all_to_all",
                     {"synapse_model": "static_synapse", "weight": -inhibition, "delay": 1.0})
        n_static += 5 * layer.n
    recorder = nest.Create("spike_recorder")
    for pop in pops.values():
        nest.Connect(pop, recorder)
    theta = 200.0
    n_trials = int(round(duration_ms / theta))
    wall = 0.0
    for k in range(n_trials):
        pops["Input"].I_e = (task.inputs[order[k % len(order)]] * current_pA).tolist()
        t0 = time.perf_counter()
        nest.Simulate(theta)
        wall += time.perf_counter() - t0
    ev = recorder.events
    first = min(int(pop.tolist()[0]) for pop in pops.values())
    ids = np.asarray(ev["senders"]) - first
    return wall, _layer_rates(net, ids, duration_ms / 1000), (n_syn, n_static)


def _bisect(f, lo, hi, target, steps=12):
    """The evaluated x in [lo, hi] (log-space bisection, f increasing) whose f(x) came closest
    to ``target`` (the NEST runs are deterministic, so a rerun at that x gives the same f)."""
    tried = []
    for _ in range(steps):
        mid = np.sqrt(lo * hi)
        value = f(mid)
        tried.append((abs(value - target), mid))
        lo, hi = (mid, hi) if value < target else (lo, mid)
    return min(tried)[1]


def nest_run(epochs, reference):
    """NEST peer at the activity of ``reference`` (the toolkit's kinase cpp_standalone result)."""
    import nest
    from networks.tasks import ra25
    task = ra25()
    net = task.network("kinase")
    order = reference["trial_patterns"]
    target = reference["mean_rates_Hz"]
    # calibrated over the whole run: the stdp_synapse weights drift over it, and the rates with them
    calib_ms = epochs * task.trials_per_epoch * 200.0
    free = [l.name for l in net.layers if l.kind != "input"]
    free_n = sum(net.layer(n).n for n in free)
    target_free = sum(target[n] * net.layer(n).n for n in free) / free_n

    def input_rate(current):
        return _nest_network(net, task, order, current, 0.0, calib_ms)[1]["Input"]

    def minus_free_rate(inhibition):          # increasing in the inhibition
        rates = _nest_network(net, task, order, current, inhibition, calib_ms, NEST_GAIN)[1]
        return -sum(rates[n] * net.layer(n).n for n in free) / free_n

    current = _bisect(input_rate, 50.0, 10000.0, target["Input"])
    inhibition = _bisect(minus_free_rate, 1.0, 100.0, -target_free)
    duration = calib_ms
    wall, rates, (n_syn, n_static) = _nest_network(net, task, order, current, inhibition, duration,
                                                   NEST_GAIN)
    steps = duration / 0.5
    return {"train_s": round(wall, 3), "synapse_steps_per_s": n_syn * steps / wall,
            "plastic_synapses": n_syn, "static_inhibition_synapses": n_static,
            "mean_rates_Hz": rates, "toolkit_rates_Hz": target,
            "input_current_pA": round(float(current), 1), "inhibition_nS": round(float(inhibition), 3),
            "weight_gain": NEST_GAIN, "adaptation_a_nS_b_pA_tau_ms": [ADAPT_A, ADAPT_B, ADAPT_TAU],
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
        reference = out.get("kinase/cpp_standalone") or toolkit("kinase", "cpp_standalone", args.epochs)
        out["nest/stdp_synapse"] = nest_run(args.epochs, reference)
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
