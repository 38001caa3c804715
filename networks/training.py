"""Train a network on a task, epoch by epoch, and return everything as an xarray Dataset.

Each epoch is one chunk of theta trials (:class:`networks.brian_network.BrianNetwork`): the
trial order is permuted passes through the task's patterns (Axon FixedTable), the error is
scored on the training trials' minus phase (Axon's training PctErr, :mod:`networks.readout`),
and a run stops after ``criterion`` consecutive zero-error epochs (Axon NZero 2) or at
``epochs``.  ``epochs_to_criterion`` is the epoch (counted from 1) that completes the criterion
(Axon's LastZero + 1), or -1 when it is not reached.

The seed draws the initial weights and the trial order (numpy); Brian2 itself draws nothing,
so a run is reproducible and a compiled model serves every seed.
"""
from __future__ import annotations

import time
from importlib.metadata import version

import numpy as np
import xarray as xr

from .brian_network import BrianNetwork, network_parameters
from .network import Network, NetworkError, initial_weights
from .readout import phase_rates, pool_correct, unit_errors, ON_RATE
from .rules import check_rule
from .tasks import Task, trial_order

MODEL_NAME = "axon-network"


def _patterns(net: Network, task: Task, order):
    patterns = np.zeros((len(order), net.n_neurons))
    patterns[:, net.indices(net.by_kind("input")[0].name)] = task.inputs[order]
    patterns[:, net.indices(net.by_kind("target")[0].name)] = task.targets[order]
    return patterns


def check_task(net: Network, task: Task):
    inp, out = net.by_kind("input"), net.by_kind("target")
    if len(inp) != 1 or len(out) != 1:
        raise NetworkError("training needs exactly one input and one target layer")
    if task.inputs.shape[1] != inp[0].n:
        raise NetworkError(f"task {task.name}: input patterns have {task.inputs.shape[1]} units, "
                           f"layer {inp[0].name} has {inp[0].n}")
    if task.targets.shape[1] != out[0].n:
        raise NetworkError(f"task {task.name}: target patterns have {task.targets.shape[1]} units, "
                           f"layer {out[0].name} has {out[0].n}")


def train(task: Task, rule: str = "kinase", epochs: int | None = None, seed: int = 0,
          target: str = "cpp_standalone", net: Network | None = None, params=None,
          criterion: int = 2, checkpoint_every: int = 10, progress=None,
          brian: BrianNetwork | None = None) -> xr.Dataset:
    """Train ``net`` (default: the task's network with ``rule``) on ``task``.

    ``progress(epoch, error, n_zero)`` is called after every epoch.  Passing a built
    ``brian`` network reuses it (its current weights are overwritten by the seed's).
    """
    check_rule(rule)
    epochs = task.max_epochs if epochs is None else epochs
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise NetworkError(f"epochs must be a positive integer, got {epochs!r}")
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise NetworkError(f"seed must be an integer >= 0, got {seed!r}")
    net = net or task.network(rule)
    check_task(net, task)
    params = params if params is not None else task.network_parameters()
    started = time.perf_counter()
    bn = brian or BrianNetwork(net, task.trials_per_epoch, params, target=target)
    built = time.perf_counter()
    rng = np.random.default_rng(seed)
    weights0 = initial_weights(net, rng)
    bn.reset()
    bn.set_weights(weights0)
    layer_idx = {layer.name: net.indices(layer.name) for layer in net.layers}

    errors, unit_err, orders, pool_ok, rates = [], [], [], [], {n: ([], []) for n in layer_idx}
    checkpoints = {0: {k: v[0] for k, v in weights0.items()}}
    queue, n_zero, reached = None, 0, -1
    for epoch in range(1, epochs + 1):
        order, queue = trial_order(rng, task.n_patterns, task.trials_per_epoch, queue)
        i, t = bn.run_chunk(_patterns(net, task, order), learning=True)
        for name, idx in layer_idx.items():
            minus, plus = phase_rates(i, t, task.trials_per_epoch, idx, params["theta"], params["t_minus"])
            rates[name][0].append(minus)
            rates[name][1].append(plus)
        ue = unit_errors(rates[net.by_kind("target")[0].name][0][-1], task.targets[order])
        err = float((ue > 0).mean())
        if task.output_pools:
            pool_ok.append(pool_correct(rates[net.by_kind("target")[0].name][0][-1], task.targets[order],
                                        task.output_pools))
        errors.append(err)
        unit_err.append(ue)
        orders.append(order)
        n_zero = n_zero + 1 if err == 0 else 0
        if epoch % checkpoint_every == 0:
            checkpoints[epoch] = bn.synapse_values("wt")
        if progress:
            progress(epoch, err, n_zero)
        if n_zero >= criterion:
            reached = epoch
            break
    n_epochs = len(errors)
    checkpoints[n_epochs] = bn.synapse_values("wt")
    finished = time.perf_counter()

    epoch_coord = np.arange(1, n_epochs + 1)
    data = {
        "error": (("epoch",), np.array(errors)),
        "unit_error": (("epoch", "trial"), np.array(unit_err)),
        "pattern": (("epoch", "trial"), np.array(orders)),
    }
    if pool_ok:
        data["pool_correct"] = (("epoch", "trial"), np.array(pool_ok))
    for name in layer_idx:
        dim = f"{name}_unit"
        data[f"rate_minus_{name}"] = (("epoch", "trial", dim), np.array(rates[name][0], dtype=np.float32))
        data[f"rate_plus_{name}"] = (("epoch", "trial", dim), np.array(rates[name][1], dtype=np.float32))
    out_name = net.by_kind("target")[0].name
    data["target"] = (("pattern_index", f"{out_name}_unit"), task.targets)
    data["input"] = (("pattern_index", f"{net.by_kind('input')[0].name}_unit"), task.inputs)
    ck = sorted(checkpoints)
    for proj in net.projections:
        data[f"weight_{proj.name}"] = (("checkpoint", f"{proj.pre}_unit", f"{proj.post}_unit"),
                                       np.array([checkpoints[c][proj.name] for c in ck], dtype=np.float32))
    ds = xr.Dataset(data, coords={"epoch": epoch_coord, "checkpoint": ck})
    ds.attrs.update({
        "model": MODEL_NAME, "task": task.name, "output_layer": out_name, "rule": rule, "seed": int(seed), "codegen_target": bn.target,
        "parameter_hash": params.hash, "architecture": net.key(),
        "epochs_to_criterion": int(reached), "final_error": float(errors[-1]),
        "criterion_zero_epochs": int(criterion), "max_epochs": int(epochs),
        "build_seconds": built - started, "train_seconds": finished - built,
        "brian2_version": version("brian2"), "numpy_version": np.__version__,
        "xarray_version": xr.__version__,
    })
    ds.attrs["on_rate_Hz"] = float(np.asarray(ON_RATE))
    return ds
