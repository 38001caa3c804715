"""The biochemical spine models ``spine`` and ``urakubo2008``: the neuron feeds a reaction network.

Each row is the toolkit's CA1 neuron (:mod:`plasticity.neuron`) with one
stimulated spine whose chemistry is the Urakubo et al 2008 network
(:mod:`plasticity.chemistry.molecules`), integrated in the same Brian2
NeuronGroup; the synaptic weight is read from the chemistry (trapped PSD AMPA
receptors), not set by a learning rule.

Calcium influx (uM/s), the two sources of the paper (spec sections 2.2, 2.3):

* **NMDA receptors**, into the PSD: Jahr & Stevens (1990) gating and Mg2+ block
  (the toolkit synapse, :mod:`plasticity.spine`), *not* Urakubo's allosteric
  CaM-binding receptor, with the paper's flux constant
  ``J = P_nmda * o_nmda * s_nmda * B(V_d) * (-V_d)/(1 - exp(0.0756 V_d))``,
  ``P_nmda`` = 0.5 nmol/(s mV cm^2) x SVR_PSD 1.7927e5 /cm = 89635 uM/(s mV);
  ``o_nmda`` (the open probability of a fully gated receptor population) is
  set so that one release at rest gives the paper's ~1 uM cytosolic Ca2+ peak
  (tests/test_spine_model.py measures it).
* **L-type VGCCs** on the spine membrane, gated by the dendritic potential
  (m^3 h; m_inf = 1/(1 + exp(-(V + 37))), tau_m 3.6 ms, h_inf = 1/(1 + exp(2 (V
  + 41))), tau_h 29 ms; Urakubo 2008 / Axon chans/vgcc, spec 2.3) with the
  same GHK factor and the paper's permeability 0.04 nmol/(s mV cm^2) scaled
  by each compartment's surface-to-volume ratio (PSD 7171, cytosol 4170
  uM/(s mV)), times 0.27: the toolkit's bAP holds the dendrite near -10 mV
  for longer than the Genesis spike, and with the paper's permeability the
  peak PSD flux was 5.8e4 uM/s against the Genesis reference 1.58e4 (spec 7.2;
  measured in tests/test_spine_model.py).  Each compartment receives its own flux: the Go port swapped
  them (spec 2.3), the paper and the Genesis traces do not.  The Go port also
  multiplied the GHK factor by another -V; here it appears once.

The AMPA conductance per release is ``g_ampa_max * w_expr`` with ``w_expr``
the trapped AMPAR concentration over its value at the end of the settling
period (the paper's weight; spec 3.6).

``urakubo2008``: CaMKII kept in the PSD by asymmetric exchange, AMPAR PDZ
kinase = CaMKII activity (the paper).  ``spine``: adds GluN2B sites that
CaMKII and DAPK1 compete for; the PDZ kinase of the PSD pools is the
GluN2B-bound CaMKII, so DAPK1 on the sites lowers it (the competition).
"""
from __future__ import annotations

from functools import lru_cache

from brian2 import nS, mV, ms, umolar, second

from .parameters import Spec
from .chemistry.network import ReactionNetwork
from .chemistry.molecules import calcium, calmodulin, calcineurin, camkii, dapk1

#: Forward-Euler step of the whole row during stimulation.  The fastest
#: chemical mode (free PSD Ca2+: pump 1.2e4/s + binding + exchange, ~2e4/s)
#: needs dt < 1e-4 s for stability; accuracy against CVODE is measured in
#: tests/test_spine_model.py and benchmarks/crosscheck_spine.py.
SPINE_DT = 0.025 * ms
#: quiet settling before t = 0 (Urakubo's InitBaseline ran 500 s)
SETTLE_TIME = 1000 * second

CA_SPECS = [
    Spec("P_nmda", 89635 * umolar / second / mV, umolar / second / mV,
         "NMDA Ca2+ flux constant into the PSD", "Urakubo 2008: 0.5 nmol/(s mV cm^2) x SVR_PSD",
         low=0),
    Spec("o_nmda", 0.1, 1, "open fraction of a fully gated NMDA receptor population",
         "set for ~1 uM cytosolic Ca2+ per release at rest (Urakubo 2008)", low=0, high=1),
    Spec("P_vgcc_psd", 0.27 * 7171 * umolar / second / mV, umolar / second / mV,
         "VGCC Ca2+ flux constant into the PSD",
         "0.04 nmol/(s mV cm^2) x SVR_PSD (spec 2.3) x 0.27 (bAP calibration)", low=0),
    Spec("P_vgcc_cyt", 0.27 * 4170 * umolar / second / mV, umolar / second / mV,
         "VGCC Ca2+ flux constant into the cytosol",
         "0.04 nmol/(s mV cm^2) x SVR_cyt (spec 2.3) x 0.27 (bAP calibration)", low=0),
    Spec("tau_m_vgcc", 3.6 * ms, ms, "VGCC activation time constant", "Urakubo 2008 (spec 2.3)",
         positive=True),
    Spec("tau_h_vgcc", 29 * ms, ms, "VGCC inactivation time constant", "Urakubo 2008 (spec 2.3)",
         positive=True),
]

SYNAPSE_EQUATIONS = """
dg_ampa/dt = -g_ampa / tau_ampa : siemens
ds_nmda/dt = -s_nmda / tau_nmda : 1
mg_block = 1 / (1 + Mg_o/(3.57*mM) * exp(-0.062 * v_d/mV)) : 1
ghk_ca = 1 / (0.0756 * exprel(0.0756 * v_d/mV)) : 1
I_syn = (g_ampa + g_nmda_max * s_nmda * mg_block) * (E_exc - v_d) : amp
dm_vgcc/dt = (1 / (1 + exp(-(v_d/mV + 37))) - m_vgcc) / tau_m_vgcc : 1
dh_vgcc/dt = (1 / (1 + exp(2*(v_d/mV + 41))) - h_vgcc) / tau_h_vgcc : 1
J_ca_psd = (P_nmda * o_nmda * s_nmda * mg_block + P_vgcc_psd * m_vgcc**3 * h_vgcc) * ghk_ca * mV : mmolar/second
J_ca_cyt = P_vgcc_cyt * m_vgcc**3 * h_vgcc * ghk_ca * mV : mmolar/second
w_expr = trapped_ampar / trapped_ref : 1
trapped_ref : mmolar (constant)
"""
SYNAPSE_ON_PRE = """
g_ampa_post += g_ampa_max_post * w_expr_post
s_nmda_post += p_nmda_post * (1 - s_nmda_post)
"""
SYNAPSE_NAMES = ("g_ampa_max", "tau_ampa", "g_nmda_max", "tau_nmda", "p_nmda", "E_exc", "Mg_o")


SUMMARIES = {
    "spine": "CA1 two-compartment AdEx + NMDA/VGCC spine Ca2+ driving the Urakubo 2008 network "
             "with GluN2B sites that CaMKII and DAPK1 compete for; weight = trapped AMPARs",
    "urakubo2008": "CA1 two-compartment AdEx + NMDA/VGCC spine Ca2+ driving the Urakubo et al "
                   "2008 network (CaMKII, CaN, PKA, PP1, AMPAR trafficking); weight = trapped AMPARs",
}
#: recorded through the trace window; all but the first also at every sweep's end
TRACE_VARIABLES = {
    "spine": ("Ca_psd", "camkii_n2b", "dapk1_n2b", "trapped_ampar"),
    "urakubo2008": ("Ca_psd", "camkii_act_psd", "trapped_ampar"),
}


@lru_cache(maxsize=None)
def reaction_network(glun2b: bool = True) -> ReactionNetwork:
    """The spine's reaction network; ``glun2b`` adds GluN2B sites and DAPK1 (the ``spine`` model)."""
    from .chemistry.molecules import pka, pp1, ampar
    t = (calcium.table() + calmodulin.table() + calcineurin.table() + camkii.table(glun2b=glun2b)
         + pka.table() + pp1.table())
    if glun2b:
        t = t + dapk1.table() + ampar.table({"cyt": "camkii_act_cyt", "psd": "camkii_n2b"})
    else:
        t = t + ampar.table({"cyt": "camkii_act_cyt", "psd": "camkii_act_psd"})
    return t.network()


def chemistry_specs(net: ReactionNetwork) -> list:
    """One per-row Spec per rate constant of the network (so rows can differ, e.g. in a fit)."""
    specs = []
    for name, value in net.parameters.items():
        specs.append(Spec(name, value, net.parameter_unit(name), f"rate constant {name}",
                          net.parameter_source(name), low=0))
    return specs


__all__ = ["reaction_network", "chemistry_specs", "SPINE_DT", "SETTLE_TIME", "CA_SPECS",
           "SYNAPSE_EQUATIONS", "SYNAPSE_ON_PRE"]
