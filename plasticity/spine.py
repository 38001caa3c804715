"""Spine synapse: AMPA and NMDA receptors, Mg2+ block, and spine calcium.

Each row has one spine: the stimulated Schaffer-collateral pathway onto the
apical dendrite, lumped (Jang et al 2026 set the stimulus for a ~5 mV somatic
EPSP; ``g_ampa_max`` is set for that at the default weight).  Because a row has
exactly one spine, its state lives with the row's neuron (one NeuronGroup
integrates neuron and spine together); a Synapses object only delivers the
presynaptic pulses (``SPINE_ON_PRE``, written from the synapse's side).

* AMPA: instantaneous rise, exponential decay (``tau_ampa`` 5 ms, Axon GeTau).
  Its conductance is scaled by the expressed weight ``w_expr``: the weight is
  AMPA receptor number (Urakubo et al 2008 read the weight out as trapped PSD
  AMPARs).
* NMDA: gating ``s_nmda`` jumps by ``p_nmda (1 - s_nmda)`` per release and
  decays with ``tau_nmda`` 100 ms (Axon NMDA Tau).  Voltage dependence is the
  Jahr & Stevens (1990) Mg2+ block
  ``B(V) = 1 / (1 + [Mg]/3.57 mM * exp(-0.062 V/mV))`` at the slice's 1 mM
  Mg2+ (Jang et al 2026 ACSF).
* Calcium (dimensionless, normalised like Axon's LearnCa, spec section 6.1):
  ``Ca = Ca_nmda + Ca_vgcc`` with
  ``Ca_nmda = k_nmda * s_nmda * B(V_d) * (-V_d)/(1 - exp(0.0756 V_d))`` (the
  Urakubo GHK driving factor, V in mV) and ``Ca_vgcc`` a spike-triggered L-type
  VGCC influx of ``vgcc_per_spike`` per back-propagating spike decaying with
  ``tau_vgcc`` 10 ms (Axon's SpikeVGCC approximation: VgccCa 35 per spike,
  tau 10 ms, both over the Norm of 80, i.e. 0.44 per spike).

The GHK factor is written with Brian2's ``exprel`` so that it is finite at
V = 0 (its limit there is 1/0.0756 mV).
"""
from __future__ import annotations

from brian2 import nS, mV, ms, mM, mvolt

from .parameters import Spec

#: Parameters of the synapse (per row).
SPINE_SPECS = [
    Spec("g_ampa_max", 2 * nS, nS, "AMPA conductance per release at weight 1",
         "set for a ~5 mV somatic EPSP (Jang et al 2026 methods)", low=0),
    Spec("tau_ampa", 5 * ms, ms, "AMPA decay", "Axon GeTau 5 ms", positive=True),
    Spec("g_nmda_max", 1.5 * nS, nS, "NMDA conductance at full gating", "", low=0),
    Spec("tau_nmda", 100 * ms, ms, "NMDA gating decay", "Axon NMDA Tau 100 ms", positive=True),
    Spec("p_nmda", 0.8, 1, "fraction of free NMDA gates opened per release", "", low=0, high=1),
    Spec("E_exc", 0 * mV, mV, "AMPA/NMDA reversal", "", low=-20, high=20),
    Spec("Mg_o", 1 * mM, mM, "extracellular Mg2+", "Jang et al 2026 ACSF: 1 mM MgCl2", low=0),
    Spec("k_nmda", 0.02, 1, "NMDA calcium gain (per mV of GHK drive at full gating)",
         "normalises Ca to ~1 at 50 Hz like Axon's Norm 80", low=0),
]

#: the synapse's own parameters (without the kinase model's calcium gain), shared by the
#: models that use the synapse with another calcium or rule
SYNAPSE_SPEC_NAMES = ("g_ampa_max", "tau_ampa", "g_nmda_max", "tau_nmda", "p_nmda", "E_exc", "Mg_o")

#: Per-neuron VGCC calcium (driven by the bAP); added to the neuron.
VGCC_SPECS = [
    Spec("vgcc_per_spike", 0.44, 1, "VGCC calcium per back-propagating spike",
         "Axon SpikeVgccCa 35 / Norm 80", low=0),
    Spec("tau_vgcc", 10 * ms, ms, "decay of spike-driven VGCC calcium", "Axon VgccTau 10 ms",
         positive=True),
]

#: AMPA and NMDA receptors, Mg2+ block, GHK factor and the synaptic current
#: (shared with the biochemical models, :mod:`plasticity.spine_model`)
SYNAPSE_EQUATIONS = """
dg_ampa/dt = -g_ampa / tau_ampa : siemens
ds_nmda/dt = -s_nmda / tau_nmda : 1
mg_block = 1 / (1 + Mg_o/(3.57*mM) * exp(-0.062 * v_d/mV)) : 1
ghk_ca = 1 / (0.0756 * exprel(0.0756 * v_d/mV)) : 1
I_syn = (g_ampa + g_nmda_max * s_nmda * mg_block) * (E_exc - v_d) : amp
"""
SPINE_EQUATIONS = SYNAPSE_EQUATIONS + """
ca_nmda = k_nmda * s_nmda * mg_block * ghk_ca : 1
ca = ca_nmda + ca_vgcc : 1
"""

SPINE_ON_PRE = """
g_ampa_post += g_ampa_max_post * w_expr_post
s_nmda_post += p_nmda_post * (1 - s_nmda_post)
"""

VGCC_EQUATIONS = """
dca_vgcc/dt = -ca_vgcc / tau_vgcc : 1
"""
VGCC_RESET = "ca_vgcc += vgcc_per_spike"


def jahr_stevens_block(v_mV, mg_mM=1.0):
    """Reference Jahr & Stevens (1990) unblocked fraction (plain floats, mV and mM)."""
    import numpy as np
    return 1.0 / (1.0 + mg_mM / 3.57 * np.exp(-0.062 * np.asarray(v_mV, dtype=float)))


__all__ = ["SPINE_SPECS", "SYNAPSE_SPEC_NAMES", "VGCC_SPECS", "SYNAPSE_EQUATIONS", "SPINE_EQUATIONS", "SPINE_ON_PRE", "VGCC_EQUATIONS",
           "VGCC_RESET", "jahr_stevens_block", "mvolt"]
