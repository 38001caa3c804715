"""Tasks as data: input and target patterns, the trials of an epoch and the default network.

* ``ra25`` -- Axon's random associator (spec section 6.1, axon_network_spec.md): 25 random
  input patterns mapped to 25 random output patterns, 6 of 25 units on in each, any two
  patterns sharing at most 3 active units (Axon's PermutedBinaryMinDiff, minDiff 3); layers
  Input 5x5 - Hidden1 10x10 - Hidden2 10x10 - Output 5x5, Hidden1 <-> Hidden2 <-> Output
  bidirectional (back Rel 0.3), 32 trials per epoch in permuted order, re-permuted after
  every pass through the 25 patterns.  The patterns are drawn from the task's own seed (a task
  is fixed data; the training seed draws weights and trial order).
* ``xor`` -- exclusive-or with population codes: each input bit is two pools of 5 units (one
  for 0, one for 1), the output is two pools of 5 (XOR false, XOR true).  The two output
  classes have the same mean input pattern, so no direct input-output association separates
  them; it needs the hidden layer (one of 40 units, 25 % expected active, bidirectional with
  the output; 8 trials per epoch).  It does not separate error-driven from Hebbian learning,
  measured (``benchmarks/network_seeds.py --task xor``): the hidden layer's competitive code of
  four patterns is conjunctive enough that the Hebbian net (CPCA with the sender-activity
  correction, :mod:`networks.rules`) reaches the criterion too, in fewer epochs than ``kinase``.
* ``parity3`` -- 3-bit parity, coded as ``xor`` (6 input pools of 5, 2 output pools of 5), 8
  patterns, 8 trials per epoch, one hidden layer of 100 units at 10 % expected activity.  This
  is the hidden-layer task that Hebbian learning cannot solve: every input unit is on in half of
  each class, and every pattern's nearest neighbours (one bit flipped) are all in the other
  class, so a code that keeps input similarity (what Hebbian / competitive learning builds)
  puts each pattern nearer the other class (measured: Hebbian nets stop at 6 of 8 patterns).  The task sets a learning rate of 0.01 (half the
  network default; at 0.02 the kinase nets reach zero error but 2 of 5 seeds lose it again
  within 300 epochs) and a limit of 500 epochs.
:func:`custom` wraps a user's own pattern arrays into a task (checked: 2-D, same number of
rows, finite values in [0, 1]).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from brian2 import ms

from .network import Layer, Network, NetworkError, Projection, bidirectional
from .readout import target_pools


@dataclass(frozen=True)
class Task:
    name: str
    inputs: np.ndarray
    targets: np.ndarray
    trials_per_epoch: int
    hidden: tuple = (100, 100)
    hidden_nominal: float = 0.06
    #: expected activity of the input / output layer (None: the patterns' mean activity)
    input_nominal: float | None = None
    output_nominal: float | None = None
    #: the target is one of this many equal output pools (None: not pool-coded)
    output_pools: int | None = None
    #: network parameters this task sets (name -> value with unit), e.g. its learning rate
    params: tuple = ()
    #: default limit of a training run (epochs)
    max_epochs: int = 100

    def __post_init__(self):
        inputs, targets = np.asarray(self.inputs, float), np.asarray(self.targets, float)
        if inputs.ndim != 2 or targets.ndim != 2:
            raise NetworkError(f"task {self.name}: inputs and targets must be 2-D (patterns x units)")
        if len(inputs) != len(targets) or len(inputs) == 0:
            raise NetworkError(f"task {self.name}: {len(inputs)} input and {len(targets)} target "
                               "patterns; need the same number, at least one")
        for label, arr in (("inputs", inputs), ("targets", targets)):
            if not np.all(np.isfinite(arr)) or arr.min() < 0 or arr.max() > 1:
                raise NetworkError(f"task {self.name}: {label} must be finite values in [0, 1]")
        if not isinstance(self.trials_per_epoch, (int, np.integer)) or self.trials_per_epoch < 1:
            raise NetworkError(f"task {self.name}: trials_per_epoch must be a positive integer")
        if self.output_pools is not None:
            try:
                target_pools(targets, self.output_pools)
            except ValueError as err:
                raise NetworkError(f"task {self.name}: output_pools={self.output_pools!r}: {err}") from None
        if not isinstance(self.max_epochs, (int, np.integer)) or self.max_epochs < 1:
            raise NetworkError(f"task {self.name}: max_epochs must be a positive integer")
        object.__setattr__(self, "params", tuple(dict(self.params).items()))
        object.__setattr__(self, "inputs", inputs)
        object.__setattr__(self, "targets", targets)

    @property
    def n_patterns(self) -> int:
        return len(self.inputs)

    def network_parameters(self, values=None):
        """The network parameters with this task's settings, then ``values``, applied."""
        from .brian_network import network_parameters
        return network_parameters({**dict(self.params), **dict(values or {})})

    def network(self, rule: str = "kinase", back: float = 0.3) -> Network:
        """The task's default network: input, hidden layers, output (Axon ra25 inhibition)."""
        n_in, n_out = self.inputs.shape[1], self.targets.shape[1]
        in_nominal = self.input_nominal or float(np.clip(self.inputs.sum(1).mean() / n_in, 0.01, 1))
        out_nominal = self.output_nominal or float(np.clip(self.targets.sum(1).mean() / n_out, 0.01, 1))
        layers = [Layer("Input", n_in, "input", gi=0.9, fb=0.5, nominal=in_nominal)]
        names = [f"Hidden{k + 1}" for k in range(len(self.hidden))]
        for name, n in zip(names, self.hidden):
            layers.append(Layer(name, int(n), "hidden", gi=1.05, fb=0.5, nominal=self.hidden_nominal))
        # refractory 3 ms, not ra25's 1 ms: with 1 ms the clamped output fires ~400 Hz here,
        # and the synaptic calcium (a product of two rates) makes learning explode
        layers.append(Layer("Output", n_out, "target", gi=0.65, fb=0.5, nominal=out_nominal,
                            refractory=3 * ms))
        chain = names + ["Output"]
        projections = [Projection("Input", chain[0], rule=rule)]
        for a, b in zip(chain[:-1], chain[1:]):
            projections.extend(bidirectional(a, b, back=back, rule=rule))
        return Network(tuple(layers), tuple(projections))


def trial_order(rng: np.random.Generator, n_patterns: int, n_trials: int, state=None):
    """Pattern indices for the next ``n_trials`` trials: permuted passes, re-permuted after each.

    ``state`` (returned) carries the unfinished pass into the next epoch, as Axon's FixedTable.
    """
    queue = list(state or [])
    while len(queue) < n_trials:
        queue.extend(rng.permutation(n_patterns).tolist())
    return np.array(queue[:n_trials]), queue[n_trials:]


def permuted_binary(rng, n_patterns, n_units, n_on, min_diff, max_iter=1000):
    """Binary patterns with ``n_on`` active units; any two share at most n_on - min_diff."""
    rows = []
    for _ in range(n_patterns):
        for _attempt in range(max_iter):
            row = np.zeros(n_units)
            row[rng.choice(n_units, n_on, replace=False)] = 1
            if all((row * r).sum() <= n_on - min_diff for r in rows):
                break
        else:
            raise NetworkError(f"cannot draw {n_patterns} patterns of {n_on}/{n_units} active "
                               f"units differing in {min_diff}")
        rows.append(row)
    return np.array(rows)


def ra25(pattern_seed: int = 1) -> Task:
    rng = np.random.default_rng(pattern_seed)
    inputs = permuted_binary(rng, 25, 25, 6, 3)
    targets = permuted_binary(rng, 25, 25, 6, 3)
    return Task("ra25", inputs, targets, trials_per_epoch=32, input_nominal=0.15, output_nominal=0.24)


def _parity_patterns(bits: int, pool: int):
    """Every combination of ``bits`` bits, each bit two pools of ``pool`` units (0 / 1); the
    target is two pools (even / odd number of ones)."""
    if not isinstance(bits, (int, np.integer)) or bits < 2:
        raise NetworkError(f"parity needs at least 2 bits, got {bits!r}")
    inputs, targets = [], []
    for combo in itertools.product((0, 1), repeat=bits):
        inputs.append(np.repeat([v for b in combo for v in (1 - b, b)], pool))
        y = sum(combo) % 2
        targets.append(np.repeat([1 - y, y], pool))
    return np.array(inputs, float), np.array(targets, float)


def xor(pool: int = 5, hidden: int = 40) -> Task:
    inputs, targets = _parity_patterns(2, pool)
    return Task("xor", inputs, targets, trials_per_epoch=8, hidden=(hidden,), hidden_nominal=0.25,
                output_pools=2)


def parity3(pool: int = 5, hidden: int = 100) -> Task:
    inputs, targets = _parity_patterns(3, pool)
    return Task("parity3", inputs, targets, trials_per_epoch=8, hidden=(hidden,), hidden_nominal=0.1,
                output_pools=2, params={"lrate": 0.01}, max_epochs=500)


def custom(name: str, inputs, targets, trials_per_epoch=None, hidden=(100, 100)) -> Task:
    inputs = np.asarray(inputs, float)
    return Task(name, inputs, targets, trials_per_epoch or len(inputs), hidden=tuple(hidden))


TASKS = {"ra25": ra25, "xor": xor, "parity3": parity3}


def get_task(name: str) -> Task:
    try:
        return TASKS[name]()
    except KeyError:
        raise NetworkError(f"unknown task {name!r}; known: {', '.join(TASKS)}") from None
