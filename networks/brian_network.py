"""Brian2 objects of a :class:`networks.network.Network`, run one epoch (chunk of trials) at a time.

One ``NeuronGroup`` holds every neuron of every layer (per-neuron constants say which layer and
kind), one group holds the layers' inhibitory pools, and one ``Synapses`` object per learning
rule holds every projection that learns with it, so the generated code does not grow with the
number of layers or projections.  Theta trials are regular operations on the 200 ms clock:
at each trial boundary the synapses learn from the trial that ended (:mod:`networks.rules`),
then the neurons take the next trial's pattern from a ``TimedArray`` (one row per trial) and
decay their state as Axon's NewState does; the plus phase (the last 50 ms) clamps the target
layers.  Spikes are recorded and read out as phase rates (:mod:`networks.readout`).

Two code-generation targets, same objects:

* ``cython`` (Brian2's runtime mode): the network stays in memory and runs epoch after epoch;
  the next epoch's patterns are written into the TimedArray in place.
* ``cpp_standalone``: the model is generated and compiled once for a chunk of ``trials``
  trials into a directory keyed by the architecture (:meth:`Network.key`) and the parameters;
  each epoch is one run of the binary, with the patterns, the weights and the whole dynamic
  state of the previous epoch passed as ``run_args``.  A new task (same layer sizes and
  trials per epoch) or a new seed reuses the binary: nothing random is drawn inside Brian2
  (initial weights and trial order come from numpy).  Spikes in flight across an epoch
  boundary (the 3 ms transmission delay) are not carried over.  Processes that share a build
  directory compile one at a time (a file lock) and each runs its own copy of the binary and
  writes its own results folder.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import weakref
from pathlib import Path

import numpy as np
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, Network as BrianNet, TimedArray, ms,
                    second, linked_var, prefs, device, set_device, get_device)

from plasticity.parameters import Parameters
from plasticity.simulate import compile_args
from .axon_neuron import (AXON_NEURON_SPECS, AXON_NEURON_EQUATIONS, AXON_NEURON_THRESHOLD,
                          AXON_NEURON_RESET, TRIAL_START_DECAY, NEURON_DT, neuron_namespace)
from .inhibition import (POOL_SPECS, POOL_EQUATIONS, TO_POOL_MODEL, TO_POOL_ON_PRE,
                         POOL_TRIAL_DECAY)
from .network import Network, NetworkError
from .rules import (RULE_SPECS, RLRATE_EQUATIONS, ON_PRE, CASCADE_STEP, BIN_NEURON, BIN_SYNAPSE,
                    synapse_model, learning_code, binned_weights, hebb_sender_correction)
from plasticity.parameters import Spec

TARGETS = ("cython", "cpp_standalone", "numpy")

THETA_SPECS = [
    Spec("theta", 200 * ms, ms, "theta trial length", "Axon ThetaCycles 200", positive=True),
    Spec("t_minus", 150 * ms, ms, "minus phase (the plus phase is the rest)", "Axon MinusCycles 150",
         positive=True),
    Spec("delay", 3 * ms, ms, "spike transmission delay", "Axon Com.Delay 2 = 3 ms spike to input",
         low=0, high=20),
    Spec("bin_width", 10 * ms, ms, "bin of the binned rule", "Axon NeuronTraceCycles 10",
         positive=True),
]

NETWORK_SPECS = AXON_NEURON_SPECS + POOL_SPECS + RULE_SPECS + THETA_SPECS


def network_parameters(values=None) -> Parameters:
    """Validated parameters of the network model (neurons, pools, rules, theta trials)."""
    params = Parameters(NETWORK_SPECS, values, owner="network")
    if not params["t_minus"] < params["theta"]:
        raise NetworkError(f"the minus phase ({params['t_minus']}) must be shorter than the trial "
                           f"({params['theta']})")
    return params


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _state_names(group):
    """Variables that carry the group's dynamic state from one epoch to the next."""
    from brian2.core.variables import ArrayVariable
    names = []
    for name, var in group.variables.items():
        if (isinstance(var, ArrayVariable) and not var.read_only and not var.constant
                and not name.startswith("_") and name not in ("i", "j", "N", "delay", "t", "dt")
                and not var.scalar and var.owner.name == group.name
                and group.variables.indices[name] == "_idx"):
            names.append(name)
    return names


class BrianNetwork:
    """The Brian2 objects of ``net`` for chunks of ``trials`` theta trials."""

    def __init__(self, net: Network, trials: int, params: Parameters | None = None,
                 target: str = "cython", directory: str | os.PathLike | None = None,
                 shadow_binned: bool = False):
        if target not in TARGETS:
            raise NetworkError(f"unknown code generation target {target!r}; known: {', '.join(TARGETS)}")
        if not isinstance(trials, (int, np.integer)) or trials < 1:
            raise NetworkError(f"trials per chunk must be a positive integer, got {trials!r}")
        self.net, self.trials, self.target = net, int(trials), target
        #: analysis only: the exact kinase synapses also accumulate the binned rule's sums on the
        #: same spikes (``raw_binned_last``), without acting on the weights
        self.shadow_binned = bool(shadow_binned) and "kinase" in net.rules
        self.params = params or network_parameters()
        self.theta = self.params["theta"]
        self.duration = self.trials * self.theta
        self.directory = Path(directory) if directory else None
        prefs.codegen.cpp.extra_compile_args_gcc = compile_args()
        if target == "cpp_standalone":
            self._activate_standalone()
        else:
            if device.__class__.__name__ != "RuntimeDevice":
                set_device("runtime")
            prefs.codegen.target = target
        self._build()
        if target != "cpp_standalone":
            self.brian.store("initial")
        if target == "cpp_standalone":
            self.brian.run(self.duration, namespace=self.namespace)
            self._device = get_device()
            from brian2.utils.filelock import FileLock
            # processes building the same architecture share the directory: one compiles at a time
            tag = f"{os.getpid()}_{id(self)}"
            self._binary = f"main_{tag}"
            with FileLock(str(self.directory) + ".lock"):
                self._device.build(directory=str(self.directory), compile=True, run=False,
                                   with_output=False)
                # each runs its own copy of the binary: another process may relink ``main``
                # (its make after regenerating the sources) while this one runs it
                shutil.copy2(self.directory / "main", self.directory / self._binary)
            # hand Brian2's current device back: this network keeps its own device object
            # (its variables read through it), and later runtime objects must not join it
            set_device("runtime")
            weakref.finalize(self, _remove, self.directory / self._binary)
            # ... and each reads its results from its own folder
            self._results = f"results_{tag}"
            self._state = None

    # ------------------------------------------------------------------ construction
    def _activate_standalone(self):
        if self.directory is None:
            digest = hashlib.sha256((self.net.key() + self.params.hash + str(self.trials)
                                     + str(self.shadow_binned) + " ".join(compile_args())).encode())
            base = Path(os.environ.get("PLASTICITY_CACHE", Path.home() / ".cache" / "plasticity"))
            self.directory = base / "networks" / digest.hexdigest()[:16]
        self.directory.mkdir(parents=True, exist_ok=True)
        from brian2.devices.device import all_devices
        all_devices["cpp_standalone"].reinit()   # one standalone network per process at a time
        set_device("cpp_standalone", directory=str(self.directory), build_on_run=False,
                   with_output=False)

    def _build(self):
        net, p = self.net, self.params
        n = net.n_neurons
        layers = net.layers
        kind = np.concatenate([[l.kind] * l.n for l in layers])
        layer_idx = np.concatenate([[k] * l.n for k, l in enumerate(layers)])

        wp, wd = binned_weights(p["theta"], p["bin_width"], p["tau_syn_m"], p["tau_syn_p"],
                                p["tau_syn_d"])
        self.pattern_table = TimedArray(np.zeros((self.trials, n)), dt=self.theta, name="patterns")
        ns = {name: p[name] for name in p}
        ns.update(neuron_namespace(p))
        ns.update(bin_wp=TimedArray(wp, dt=p["bin_width"], name="bin_wp"),
                  bin_wd=TimedArray(wd, dt=p["bin_width"], name="bin_wd"),
                  patterns=self.pattern_table)
        self.namespace = ns

        eqs = AXON_NEURON_EQUATIONS + RLRATE_EQUATIONS + "t_chunk0 : second (shared)\n"
        neurons = NeuronGroup(n, eqs, threshold=AXON_NEURON_THRESHOLD, reset=AXON_NEURON_RESET,
                              refractory="t_ref", method="euler", dt=NEURON_DT, name="neurons",
                              namespace=ns)
        pools = NeuronGroup(len(layers), POOL_EQUATIONS, method="euler", dt=NEURON_DT, name="pools",
                            namespace=ns)
        to_pool = Synapses(neurons, pools, TO_POOL_MODEL, on_pre=TO_POOL_ON_PRE, dt=NEURON_DT,
                           name="to_pool", namespace=ns)
        to_pool.connect(i=np.arange(n), j=layer_idx)
        to_pool.inv_n = 1.0 / np.array([layers[k].n for k in layer_idx])
        for var, src in (("ff_pool", "ff_mean"), ("fb_pool", "fb_mean"), ("geext_pool", "geext_mean"),
                         ("ssi_pool", "ssi")):
            setattr(neurons, var, linked_var(pools, src, index=layer_idx))

        neurons.v = p["E_l"]
        neurons.v_d = p["E_l"]
        neurons.layer = layer_idx
        neurons.is_input = (kind == "input").astype(float)
        neurons.is_target = (kind == "target").astype(float)
        neurons.is_hidden = (kind == "hidden").astype(float)
        neurons.ge_clamp = np.where(kind == "input", 1.5, np.where(kind == "target", 0.8, 0.0))
        neurons.gi_gain = np.concatenate([[l.gi] * l.n for l in layers])
        neurons.fb_gain = np.concatenate([[l.fb] * l.n for l in layers])
        neurons.t_ref = np.concatenate([[float(l.refractory / second)] * l.n for l in layers]) * second
        neurons.run_regularly("ext = patterns(t - t_chunk0 + 0.25*ms, i)\n" + TRIAL_START_DECAY,
                              dt=self.theta, when="start", order=1, name="trial_start")
        pools.run_regularly(POOL_TRIAL_DECAY, dt=self.theta, when="start", order=1, name="pool_trial_start")

        objects = [neurons, pools, to_pool]
        self.synapses = {}
        self.slices = {}
        for rule in net.rules:
            projs = [pr for pr in net.projections if pr.rule == rule]
            pre = np.concatenate([np.repeat(net.indices(pr.pre), net.layer(pr.post).n) for pr in projs])
            post = np.concatenate([np.tile(net.indices(pr.post), net.layer(pr.pre).n) for pr in projs])
            gscale = np.concatenate([np.full(net.layer(pr.pre).n * net.layer(pr.post).n, net.gscale(pr))
                                     for pr in projs])
            name = "syn_" + rule.replace("-", "_")
            shadow = self.shadow_binned and rule == "kinase"
            model = synapse_model(rule) + "learning_on : 1 (shared)\n"
            learn = learning_code(rule)
            if shadow:
                model += "syn_p : 1\nsyn_d : 1\nraw_binned_last : 1\n"
                learn = "raw_binned_last = cap_scale*syn_p - syn_d\nsyn_p = 0\nsyn_d = 0\n" + learn
            syn = Synapses(neurons, neurons, model,
                           on_pre=ON_PRE, delay=p["delay"], dt=NEURON_DT, name=name, namespace=ns)
            syn.connect(i=pre, j=post)
            syn.gscale = gscale
            if rule == "hebbian":          # CPCA's sender-activity correction (networks.rules)
                syn.hebb_savg = np.concatenate([
                    np.full(net.layer(pr.pre).n * net.layer(pr.post).n,
                            hebb_sender_correction(net.layer(pr.pre).nominal)) for pr in projs])
            syn.learning_on = 1.0
            if rule == "kinase":
                syn.run_regularly(CASCADE_STEP, dt=1 * ms, when="start", order=-4, name=name + "_cascade")
            if rule == "kinase-binned" or shadow:
                syn.run_regularly(BIN_SYNAPSE, dt=p["bin_width"], when="start", order=-2, name=name + "_bins")
            syn.run_regularly(learn, dt=self.theta, when="start", order=0, name=name + "_learn")
            start = 0
            for pr in projs:
                size = net.layer(pr.pre).n * net.layer(pr.post).n
                self.slices[pr.name] = (rule, slice(start, start + size))
                start += size
            self.synapses[rule] = syn
            objects.append(syn)
        if "kinase-binned" in net.rules or self.shadow_binned:
            neurons.run_regularly(BIN_NEURON, dt=p["bin_width"], when="start", order=-3, name="neuron_bins")
        self.spikes = SpikeMonitor(neurons, name="spikes")
        objects.append(self.spikes)
        self.neurons, self.pools, self.to_pool = neurons, pools, to_pool
        self.brian = BrianNet(*objects)
        self._groups = [neurons, pools] + list(self.synapses.values())

    def reset(self):
        """Back to the state after construction (time 0, neurons at rest, traces and monitors
        empty), so that a new training run does not start from the end of the previous one."""
        if self.target == "cpp_standalone":
            self._state = None
            self._pending = {}
        else:
            self.brian.restore("initial")

    # ------------------------------------------------------------------ weights
    def set_weights(self, weights: dict):
        """Set (wt, lwt, swt) arrays of shape (n_pre, n_post) for every projection."""
        for proj in self.net.projections:
            if proj.name not in weights:
                raise NetworkError(f"no initial weights for projection {proj.name}")
        per_rule = {rule: {k: [] for k in ("wt", "lwt", "swt")} for rule in self.synapses}
        for proj in self.net.projections:
            rule, _ = self.slices[proj.name]
            for key, arr in zip(("wt", "lwt", "swt"), weights[proj.name]):
                shape = (self.net.layer(proj.pre).n, self.net.layer(proj.post).n)
                if np.shape(arr) != shape:
                    raise NetworkError(f"weights of {proj.name} must have shape {shape}, got {np.shape(arr)}")
                per_rule[rule][key].append(np.asarray(arr, dtype=float).ravel())
        for rule, syn in self.synapses.items():
            values = {k: np.concatenate(v) for k, v in per_rule[rule].items()}
            if self.target == "cpp_standalone":
                self._pending = getattr(self, "_pending", {})
                for k, v in values.items():
                    self._pending[(rule, k)] = v
            else:
                for k, v in values.items():
                    setattr(syn, k, v)

    def synapse_values(self, name: str) -> dict:
        """Per-projection arrays (n_pre, n_post) of a synapse variable, e.g. ``wt``, ``dwt_last``."""
        out = {}
        for proj in self.net.projections:
            rule, sl = self.slices[proj.name]
            shape = (self.net.layer(proj.pre).n, self.net.layer(proj.post).n)
            out[proj.name] = np.asarray(getattr(self.synapses[rule], name)[:])[sl].reshape(shape)
        return out

    # ------------------------------------------------------------------ running
    def run_chunk(self, patterns: np.ndarray, learning: bool = True):
        """Run ``trials`` theta trials with ``patterns`` (trials x neurons); spikes (i, t rel.)."""
        patterns = np.asarray(patterns, dtype=float)
        if patterns.shape != (self.trials, self.net.n_neurons):
            raise NetworkError(f"patterns must have shape {(self.trials, self.net.n_neurons)}, "
                               f"got {patterns.shape}")
        if not np.all(np.isfinite(patterns)) or patterns.min() < 0:
            raise NetworkError("patterns must be finite and >= 0")
        if self.target == "cpp_standalone":
            return self._run_standalone(patterns, learning)
        self.pattern_table.values[:] = patterns
        t0 = self.brian.t
        self.neurons.t_chunk0 = t0
        for syn in self.synapses.values():
            syn.learning_on = float(learning)
        n_before = self.spikes.num_spikes
        self.brian.run(self.duration, namespace=self.namespace)
        i = np.asarray(self.spikes.i[n_before:])
        t = np.asarray((self.spikes.t[n_before:] - t0) / second)
        return i, t

    def _run_standalone(self, patterns, learning):
        values = dict(self._state or {})
        for (rule, key), arr in getattr(self, "_pending", {}).items():
            values[(self.synapses[rule], key)] = arr
        self._pending = {}
        args = {self.pattern_table: patterns}
        for syn in self.synapses.values():
            args[syn.learning_on] = float(learning)
        for (group, name), arr in values.items():
            args[getattr(group, name)] = arr
        run_cmd = prefs.devices.cpp_standalone.run_cmd_unix
        prefs.devices.cpp_standalone.run_cmd_unix = f"./{self._binary}"
        try:
            self._device.run(directory=str(self.directory), results_directory=self._results,
                             run_args=args, with_output=False)
        finally:
            prefs.devices.cpp_standalone.run_cmd_unix = run_cmd
        state = {}
        for group in self._groups:
            for name in _state_names(group):
                arr = getattr(group, name)[:]
                if name == "lastspike":
                    arr = arr - self.duration
                state[(group, name)] = arr
        self._state = state
        return np.asarray(self.spikes.i[:]), np.asarray(self.spikes.t[:] / second)
