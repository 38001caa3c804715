"""Does the spiking kinase rule implement CHL / GeneRec?  Measurements on a trained network.

* :func:`chl_agreement` -- after training, one more epoch is run with learning on; for a trial
  of it, every synapse's kinase change (the raw fast-minus-slow difference ``syn_cap - syn_cad``
  and the applied change after RLRate, gating and soft bounds) is compared with the contrastive
  Hebbian (CHL) change ``x+ y+ - x- y-`` from the recorded phase rates of its pre (x) and post
  (y) neuron: Pearson r across the synapses of every projection (O'Reilly 1996, GeneRec).  Two
  readings of "phase rate": the whole phases (minus 0-150 ms, plus 150-200 ms; ``r_*_chl``) and
  the error read-out's windows (the last 50 ms of each phase; ``r_*_chl_late``).
* the same trial's hidden-layer update is compared with the backpropagation gradient of a rate
  network with the same effective weights (``gscale wt``) and the recorded minus-phase
  activities (rates / 180 Hz, Axon's rate-code unit): output error ``t - o``, hidden error
  ``h (1 - h) W delta``, gradient ``x delta`` for each hidden layer's feedforward input;
  the cosine between the two vectors is reported.
* the exact and the binned kinase changes are compared on the *same* spikes: the analysis
  network carries the binned accumulators alongside the synapse cascade (``shadow_binned``).
"""
from __future__ import annotations

import numpy as np

from .brian_network import BrianNetwork
from .readout import phase_rates
from .training import _patterns
from .tasks import trial_order

RATE_UNIT_HZ = 180.0


def _pearson(a, b):
    a, b = np.ravel(a), np.ravel(b)
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def _cosine(a, b):
    a, b = np.ravel(a), np.ravel(b)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    return float(a @ b / (na * nb)) if na > 0 and nb > 0 else float("nan")


def analysis_trial(bn: BrianNetwork, task, rng, queue=None):
    """Run one epoch with learning on; return the rates and changes of its trial T-2.

    The change applied at a trial boundary belongs to the trial that ended, so after a chunk of
    T trials the synapses hold the change of trial T-2 (the boundary at T-1 learned it).
    """
    order, queue = trial_order(rng, task.n_patterns, bn.trials, queue)
    i, t = bn.run_chunk(_patterns(bn.net, task, order), learning=True)
    k = bn.trials - 2
    if k < 0:
        raise ValueError("the analysis needs at least 2 trials per epoch")
    rates, late = {}, {}
    for layer in bn.net.layers:
        idx, theta, t_minus = bn.net.indices(layer.name), bn.params["theta"], bn.params["t_minus"]
        minus, plus = phase_rates(i, t, bn.trials, idx, theta, t_minus, window=theta - t_minus,
                                  minus_window=t_minus)
        rates[layer.name] = (minus[k], plus[k])
        minus, plus = phase_rates(i, t, bn.trials, idx, theta, t_minus)
        late[layer.name] = (minus[k], plus[k])
    changes = {name: bn.synapse_values(name) for name in ("raw_last", "dwt_last", "wt")}
    if bn.shadow_binned:
        changes["raw_binned_last"] = bn.synapse_values("raw_binned_last")
    return {"pattern": int(order[k]), "rates": rates, "late_rates": late, "changes": changes,
            "queue": queue}


def chl_change(rates, proj):
    (x_m, x_p), (y_m, y_p) = rates[proj.pre], rates[proj.post]
    return np.outer(x_p, y_p) - np.outer(x_m, y_m)


def backprop_gradients(bn: BrianNetwork, trial, target):
    """Backprop gradients (n_pre, n_post) for every feedforward projection into a hidden layer."""
    net = bn.net
    chain = [net.by_kind("input")[0].name] + [l.name for l in net.layers if l.kind == "hidden"] \
        + [net.by_kind("target")[0].name]
    act = {name: np.clip(trial["rates"][name][0] / RATE_UNIT_HZ, 0, 1) for name in chain}
    wt = trial["changes"]["wt"]
    delta = {chain[-1]: np.asarray(target, float) - act[chain[-1]]}
    grads = {}
    for below, above in zip(chain[-2:0:-1], chain[:0:-1]):
        proj = next(p for p in net.projections if p.pre == below and p.post == above)
        w_eff = wt[proj.name] * net.gscale(proj)            # (n_below, n_above)
        h = act[below]
        delta[below] = h * (1 - h) * (w_eff @ delta[above])
    for lower, hidden in zip(chain[:-2], chain[1:-1]):
        proj = next(p for p in net.projections if p.pre == lower and p.post == hidden)
        grads[proj.name] = np.outer(act[lower], delta[hidden])
    return grads


def chl_agreement(bn: BrianNetwork, task, rng, trials=3):
    """Per-projection r(kinase change, CHL) and cosine(hidden kinase change, backprop) over trials."""
    rows = []
    queue = None
    for _ in range(trials):
        trial = analysis_trial(bn, task, rng, queue)
        queue = trial["queue"]
        target = task.targets[trial["pattern"]]
        grads = backprop_gradients(bn, trial, target)
        for proj in bn.net.projections:
            chl = chl_change(trial["rates"], proj)
            row = {"projection": proj.name, "pattern": trial["pattern"],
                   "r_raw_chl": _pearson(trial["changes"]["raw_last"][proj.name], chl),
                   "r_applied_chl": _pearson(trial["changes"]["dwt_last"][proj.name], chl),
                   "r_raw_chl_late": _pearson(trial["changes"]["raw_last"][proj.name],
                                              chl_change(trial["late_rates"], proj))}
            if proj.name in grads:
                row["cos_backprop"] = _cosine(trial["changes"]["dwt_last"][proj.name], grads[proj.name])
                row["cos_raw_backprop"] = _cosine(trial["changes"]["raw_last"][proj.name], grads[proj.name])
            if "raw_binned_last" in trial["changes"]:
                row["r_binned_exact"] = _pearson(trial["changes"]["raw_binned_last"][proj.name],
                                                 trial["changes"]["raw_last"][proj.name])
            rows.append(row)
        all_raw = np.concatenate([trial["changes"]["raw_last"][p.name].ravel() for p in bn.net.projections])
        all_chl = np.concatenate([chl_change(trial["rates"], p).ravel() for p in bn.net.projections])
        all_late = np.concatenate([chl_change(trial["late_rates"], p).ravel() for p in bn.net.projections])
        rows.append({"projection": "all", "pattern": trial["pattern"],
                     "r_raw_chl": _pearson(all_raw, all_chl), "r_raw_chl_late": _pearson(all_raw, all_late)})
        if "raw_binned_last" in trial["changes"]:
            all_bin = np.concatenate([trial["changes"]["raw_binned_last"][p.name].ravel()
                                      for p in bn.net.projections])
            rows[-1]["r_binned_exact"] = _pearson(all_bin, all_raw)
    return rows
