"""Pair-based STDP (the ``stdp`` model): exponential pre and post traces, additive or multiplicative.

The rule is NEST's ``stdp_synapse`` (Gütig et al 2003 weight dependence;
Morrison, Diesmann & Gerstner 2008 review) written for one synapse per row, on
the normalised weight ``w_L = w / w_max`` in [0, 1] (relative strength 2 w_L,
as for the kinase rule, expressed with the same first-order kinetics):

* at a presynaptic spike, depression by the post trace:
  ``w_L -= alpha * lambda * w_L**mu_minus * K_minus``, clipped at 0; then the
  pre trace ``K_plus`` gets +1;
* at a postsynaptic spike, potentiation by the pre trace:
  ``w_L += lambda * (1 - w_L)**mu_plus * K_plus``, clipped at 1; then
  ``K_minus`` gets +1.

``mu_plus = mu_minus = 0`` is additive (Song, Miller & Abbott 2000), 1 is
multiplicative (van Rossum et al 2000).  ``nearest = 1`` pairs every spike only
with the latest spike of the other side (symmetric nearest-neighbour, NEST's
``stdp_nn_symm_synapse``: a trace is set to 1 instead of incremented); 0 sums
over all earlier spikes (all-to-all).  The traces are stored as their value at
the last spike and decayed exactly (``exp(-dt/tau)``) when read, so the rule
is event-exact: on the same spike trains it gives NEST's weights to round-off
(tests/test_stdp_rule.py).

Defaults: Song, Miller & Abbott 2000 (additive, tau_+ = tau_- = 20 ms,
A_+ = 0.005 of the maximum weight, A_-/A_+ = 1.05), all-to-all.
"""
from __future__ import annotations

import numpy as np
from brian2 import ms, second

from ..parameters import Spec

STDP_SPECS = [
    Spec("stdp_lambda", 0.005, 1, "potentiation step per pair (fraction of the maximum weight)",
         "Song, Miller & Abbott 2000: A+ = 0.005 gmax", low=0, high=1),
    Spec("stdp_alpha", 1.05, 1, "depression / potentiation step ratio",
         "Song, Miller & Abbott 2000: A-/A+ = 1.05", low=0),
    Spec("tau_plus", 20 * ms, ms, "pre trace time constant", "Song et al 2000: 20 ms", positive=True),
    Spec("tau_minus", 20 * ms, ms, "post trace time constant", "Song et al 2000: 20 ms",
         positive=True),
    Spec("mu_plus", 0.0, 1, "weight dependence of potentiation (0 additive, 1 multiplicative)",
         "Gütig et al 2003; NEST stdp_synapse", low=0, high=2),
    Spec("mu_minus", 0.0, 1, "weight dependence of depression (0 additive, 1 multiplicative)",
         "Gütig et al 2003; NEST stdp_synapse", low=0, high=2),
    Spec("nearest", 0.0, 1, "1: symmetric nearest-neighbour pairing, 0: all-to-all",
         "Morrison et al 2008; NEST stdp_nn_symm_synapse", low=0, high=1),
    Spec("w_L0", 0.5, 1, "initial normalised weight (relative strength 2 w_L0)", "", low=0, high=1),
]

#: the four pairings of the issue by name (``--params multiplicative-nearest``); the defaults
#: are ``additive`` (all-to-all)
PARAMETER_SETS = {
    "additive": {"mu_plus": 0.0, "mu_minus": 0.0, "nearest": 0.0},
    "multiplicative": {"mu_plus": 1.0, "mu_minus": 1.0, "nearest": 0.0},
    "additive-nearest": {"mu_plus": 0.0, "mu_minus": 0.0, "nearest": 1.0},
    "multiplicative-nearest": {"mu_plus": 1.0, "mu_minus": 1.0, "nearest": 1.0},
}

STDP_EQUATIONS = """
w_L : 1
K_plus : 1
K_minus : 1
t_pre_last : second
t_post_last : second
"""

#: at a presynaptic spike (``{s}``: the suffix of the row's variables in the code's group)
ON_PRE = """
w_L{s} = clip(w_L{s} - stdp_alpha{s} * stdp_lambda{s} * w_L{s}**mu_minus{s} * K_minus{s} * exp(-(t - t_post_last{s}) / tau_minus{s}), 0, 1)
K_plus{s} = K_plus{s} * exp(-(t - t_pre_last{s}) / tau_plus{s}) * (1 - nearest{s}) + 1
t_pre_last{s} = t
"""
#: at a postsynaptic spike
ON_POST = """
w_L{s} = clip(w_L{s} + stdp_lambda{s} * (1 - w_L{s})**mu_plus{s} * K_plus{s} * exp(-(t - t_pre_last{s}) / tau_plus{s}), 0, 1)
K_minus{s} = K_minus{s} * exp(-(t - t_post_last{s}) / tau_minus{s}) * (1 - nearest{s}) + 1
t_post_last{s} = t
"""
INITIAL = {"w_L": "w_L0", "K_plus": 0.0, "K_minus": 0.0, "t_pre_last": -1 * second,
           "t_post_last": -1 * second}


def run_on_trains(pre_ms, post_ms, values: dict | None = None, dt=0.1 * ms, w0=None):
    """The rule alone on given spike trains (ms); returns the normalised weight after the last spike.

    ``values``: overrides of :data:`STDP_SPECS` (plain numbers or quantities).
    The same code strings as the ``stdp`` model, in a Brian2 network of two
    spike generators and one row (used to check the rule against NEST).
    """
    from brian2 import NeuronGroup, SpikeGeneratorGroup, Synapses, Network
    from ..parameters import Parameters
    params = Parameters(STDP_SPECS, values, owner="stdp rule")
    pre = np.asarray(pre_ms, float)
    post = np.asarray(post_ms, float)
    if pre.size == 0 and post.size == 0:
        raise ValueError("run_on_trains: both spike trains are empty")
    ns = {k: params[k] for k in params}
    row = NeuronGroup(1, STDP_EQUATIONS, namespace=ns, dt=dt, name="stdp_row")
    for var, init in INITIAL.items():
        setattr(row, var, init)
    if w0 is not None:
        row.w_L = w0
    objs = [row]
    end = max(pre.max() if pre.size else 0, post.max() if post.size else 0) + 1.0
    for name, times, code in (("pre", pre, ON_PRE), ("post", post, ON_POST)):
        if times.size == 0:
            continue
        gen = SpikeGeneratorGroup(1, np.zeros(times.size, int), times * ms, dt=dt, name=f"{name}_train")
        syn = Synapses(gen, row, on_pre=code.format(s=""), namespace=ns, dt=dt, name=f"{name}_rule")
        syn.connect()
        objs += [gen, syn]
    net = Network(*objs)
    net.run(end * ms, namespace=ns)
    return float(row.w_L[0])


__all__ = ["PARAMETER_SETS", "STDP_SPECS", "STDP_EQUATIONS", "ON_PRE", "ON_POST", "INITIAL", "run_on_trains"]
