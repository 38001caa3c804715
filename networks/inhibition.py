"""Axon's FS-FFFB pooled inhibition: one pool per layer keeps the layer near a target activity.

Spec section 3.2 (axon_network_spec.md; Axon ``fsfffb.GiParams``), restated in continuous time:

* fast-spiking (PV) inhibition ``FSi`` = the pool-mean raw excitatory input plus ``FB`` times the
  pool's spikes, each filtered with tau 6 ms (instant rise).  Because the filter is linear, the
  pool mean of a per-neuron filtered trace equals the filtered pool mean: every neuron keeps its
  own ``ff`` (its raw input, filtered) and ``fb`` (its spikes, filtered) and the pool averages
  them (a summed variable), which is exact;
* ``FS = max(FSi - FS0, 0)`` (FS0 0.1) plus the pool mean of the external clamp drive; a clamped
  pool (input layers, output layers in the plus phase) uses only the clamp drive when it exceeds
  0.05 (ClampExtMin);
* slow-spiking (SST) inhibition: a facilitation ``SSf`` (+ (1 - SSf)/N per spike, tau 20 ms) and
  an integrator ``SSi`` (+ SSf/(N 50) per spike, tau 50 ms, updated before SSf as in Axon);
* total ``Gi = Gi_gain (FS + SS SSi)``, SS 30; hidden dendrites get a further 2 SS SSi
  (:mod:`networks.axon_neuron`).

Gi_gain and FB are per layer (ra25: input 0.9, hidden 1.05, output 0.65; FB 0.5).
"""
from __future__ import annotations

from brian2 import ms

from plasticity.parameters import Spec

POOL_SPECS = [
    Spec("fs_tau", 6 * ms, ms, "PV (fast) inhibition decay", "Axon Inhib FSTau 6 ms", positive=True),
    Spec("fs0", 0.1, 1, "PV threshold on pooled input", "Axon Inhib FS0 0.1", low=0),
    Spec("ss_gain", 30.0, 1, "SST inhibition multiplier", "Axon Inhib SS 30", low=0),
    Spec("ssf_tau", 20 * ms, ms, "SST facilitation decay", "Axon Inhib SSfTau 20 ms", positive=True),
    Spec("ssi_tau", 50 * ms, ms, "SST integration time constant", "Axon Inhib SSiTau 50 ms",
         positive=True),
    Spec("clamp_ext_min", 0.05, 1, "clamp drive above which a clamped pool uses it alone",
         "Axon Inhib ClampExtMin 0.05", low=0),
]

POOL_EQUATIONS = """
ff_mean : 1
fb_mean : 1
geext_mean : 1
dssf/dt = -ssf/ssf_tau : 1
dssi/dt = -ssi/ssi_tau : 1
"""

#: Neurons -> their pool (one synapse per neuron): pooled means and the SST updates per spike.
TO_POOL_MODEL = """
ff_mean_post = ff_pre*inv_n : 1 (summed)
fb_mean_post = fb_pre*inv_n : 1 (summed)
geext_mean_post = ge_ext_pre*inv_n : 1 (summed)
inv_n : 1 (constant)
"""
TO_POOL_ON_PRE = """
ssi_post += ssf_post*inv_n*cycle/ssi_tau
ssf_post += (1 - ssf_post)*inv_n
"""

#: Trial-start decay of the pool state (Axon decays pool inhibition by Decay.Act).
POOL_TRIAL_DECAY = """
ssf *= 1 - decay_act
ssi *= 1 - decay_act
"""
