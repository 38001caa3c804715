"""Axon's two-compartment spiking neuron, as Brian2 equations for a whole network.

Restated from the Axon specification (../shared/research/axon_network_spec.md, section 1; the
numbers are Axon's code defaults, ``ActParams.Defaults``, in biological units; ra25 values where
section 6.1 gives them):

* **soma** ``v``: conductance-based AdEx, C 281 pF, leak 20 nS to -70 mV, exponential slope
  2 mV around V_T -50 mV; excitation (reversal 0 mV), inhibition and potassium (-90 mV) are
  normalised conductances times Gbar 100 nS (section 1.5).  A spike is counted at the usual
  AdEx cut V_T + 5 Delta_T (Axon counts at -10 mV after the same exponential run-away; the
  cut only moves the spike by a fraction of a millisecond), then v resets to -70 mV and the
  soma is refractory for 3 ms (1 ms in output layers, ra25's Spikes.Tr).
* **dendrite** ``v_d``: the same conductances on 500 pF, never reset; 20 % of the soma's
  exponential (spike) current reaches it (Dend.GExp, the back-propagating spike), its leak is
  4x during the somatic refractory period (Dend.GR 3) and it receives twice the pool's
  slow (SST) inhibition in hidden layers (Dend.SSGi 2).  NMDA, GABA-B and A-type K see v_d.
* **channels**: AMPA (tau 5 ms, instantaneous rise), NMDA on the same raw input (0.006,
  tau 100 ms, Mg2+ 1.2 mM as in ra25), GABA-B driven by the total inhibition (0.015, rise
  45 ms, decay 50 ms, base 0.2), M-type AHP on v (0.05), A-type K (0.1, simplified),
  Na-gated K (KNa medium 0.1 rise 50 / decay 200 ms; slow 0.1, 1000 / 1000 ms).  The L-type
  VGCC is off, as in ra25 (VGCC.Ge 0); the per-trial sAHP is left out (its conductance stays
  below 5 nS and only acts across trials).
* **clamping** (section 2.5): an input neuron's excitation is replaced by ``1.5 ext`` for the
  whole trial; an output neuron's by ``0.8 target`` in the plus phase only.
* **spike-driven calcium** (section 1.8): ``ca_m`` (tau 5 ms, +8 per spike / 5), ``ca_p`` and
  ``ca_d`` (tau 40 ms each) -- the neuron's fast and slow kinase traces, read by the learning
  rate modulation (RLRate) and the learning gate; ``casyn`` (tau 30 ms, gain 8), the spike
  trace whose pre x post product is the synapses' calcium (section 5.4).

Axon steps its neurons once per 1 ms cycle with two sub-steps of v; here Brian2 integrates the
same continuous equations with forward Euler at dt = 0.5 ms (:data:`NEURON_DT`).  Every
per-cycle update of Axon (``x <- x + (y - x)/tau``) is the Euler form of ``dx/dt = (y - x)/tau``
at 1 ms.  Inhibition comes from the layer's pool (:mod:`networks.inhibition`), linked in as
``ff_pool``, ``fb_pool``, ``geext_pool`` and ``ssi_pool``.
"""
from __future__ import annotations

from brian2 import mV, ms, nS, pF, mM

from plasticity.parameters import Spec

#: Integration step of the network's neurons (Axon: 1 ms cycles, two v sub-steps).
NEURON_DT = 0.5 * ms

AXON_NEURON_SPECS = [
    Spec("C_m", 281 * pF, pF, "somatic capacitance", "Axon Dt.VmC 281 pF", positive=True),
    Spec("C_d", 500 * pF, pF, "dendritic capacitance", "Axon Dt.VmDendC 500 pF", positive=True),
    Spec("g_l", 20 * nS, nS, "leak conductance", "Axon Gbar.L 20 nS", positive=True),
    Spec("gbar_e", 100 * nS, nS, "excitatory conductance scale", "Axon Gbar.E 100 nS", positive=True),
    Spec("gbar_i", 100 * nS, nS, "inhibitory conductance scale", "Axon Gbar.I 100 nS", positive=True),
    Spec("gbar_k", 100 * nS, nS, "potassium conductance scale", "Axon Gbar.K 100 nS", positive=True),
    Spec("E_l", -70 * mV, mV, "leak reversal", "Axon Erev.L", low=-100, high=-40),
    Spec("E_e", 0 * mV, mV, "excitatory reversal", "Axon Erev.E", low=-30, high=30),
    Spec("E_i", -90 * mV, mV, "GABA-A reversal", "Axon Erev.I -90 mV (code; the wiki says -75)",
         low=-110, high=-50),
    Spec("E_k", -90 * mV, mV, "potassium reversal", "Axon Erev.K", low=-110, high=-50),
    Spec("V_T", -50 * mV, mV, "AdEx threshold", "Axon Spikes.Thr", low=-80, high=-20),
    Spec("Delta_T", 2 * mV, mV, "AdEx slope", "Axon Spikes.ExpSlope", positive=True, high=10),
    Spec("V_reset", -70 * mV, mV, "reset", "Axon Spikes.VmR", low=-100, high=-30),
    Spec("tau_e", 5 * ms, ms, "AMPA decay", "Axon Dt.GeTau", positive=True),
    Spec("nmda_ge", 0.006, 1, "NMDA conductance factor", "Axon NMDA.Ge", low=0),
    Spec("tau_nmda", 100 * ms, ms, "NMDA decay", "Axon NMDA.Tau", positive=True),
    Spec("mg_c", 1.2 * mM, mM, "extracellular Mg2+", "ra25 NMDA.MgC 1.2 (default 1.4)", low=0),
    Spec("gabab_gk", 0.015, 1, "GABA-B conductance factor", "Axon GABAB.Gk", low=0),
    Spec("gabab_rise", 45 * ms, ms, "GABA-B rise", "Axon GABAB.Rise", positive=True),
    Spec("gabab_decay", 50 * ms, ms, "GABA-B decay", "Axon GABAB.Decay", positive=True),
    Spec("gabab_base", 0.2, 1, "GABA-B baseline activation", "Axon GABAB.Gbase", low=0),
    Spec("mahp_gk", 0.05, 1, "M-type AHP conductance factor", "Axon Mahp.Gk (ActParams)", low=0),
    Spec("ak_gk", 0.1, 1, "A-type K conductance factor", "Axon AK.Gk", low=0),
    Spec("kna_med_gk", 0.1, 1, "KNa medium conductance factor", "Axon KNa.Med.Gk", low=0),
    Spec("kna_med_rise", 50 * ms, ms, "KNa medium rise (per-spike fraction 1 ms/rise)",
         "Axon KNa.Med.Rise", positive=True),
    Spec("kna_med_decay", 200 * ms, ms, "KNa medium decay", "Axon KNa.Med.Decay", positive=True),
    Spec("kna_slow_gk", 0.1, 1, "KNa slow conductance factor", "Axon KNa.Slow.Gk", low=0),
    Spec("kna_slow_rise", 1000 * ms, ms, "KNa slow rise", "Axon KNa.Slow.Rise", positive=True),
    Spec("kna_slow_decay", 1000 * ms, ms, "KNa slow decay", "Axon KNa.Slow.Decay", positive=True),
    Spec("dend_gexp", 0.2, 1, "fraction of the spike current reaching the dendrite", "Axon Dend.GExp",
         low=0, high=1),
    Spec("dend_gr", 3.0, 1, "extra dendritic leak during the refractory period (x g_l)",
         "Axon Dend.GR", low=0),
    Spec("dend_ssgi", 2.0, 1, "extra SST inhibition on hidden-layer dendrites (x pool SSGi)",
         "Axon Dend.SSGi", low=0),
    Spec("spike_ca", 8.0, 1, "spike gain of the neuron's calcium traces", "Axon SpikeCaM / SpikeCaSyn 8",
         positive=True),
    Spec("tau_ca_m", 5 * ms, ms, "spike Ca -> ca_m", "Axon CaSpike MTau 5", positive=True),
    Spec("tau_ca_p", 40 * ms, ms, "ca_m -> ca_p (fast, CaMKII-like)", "Axon CaSpike PTau 40",
         positive=True),
    Spec("tau_ca_d", 40 * ms, ms, "ca_p -> ca_d (slow, DAPK1-like)", "Axon CaSpike DTau 40",
         positive=True),
    Spec("tau_casyn", 30 * ms, ms, "spike trace for synaptic calcium", "Axon CaSynTau 30",
         positive=True),
    Spec("decay_act", 0.2, 1, "fraction of fast state decayed at trial start", "Axon Decay.Act",
         low=0, high=1),
    Spec("decay_glong", 0.6, 1, "fraction of slow state decayed at trial start", "Axon Decay.Glong",
         low=0, high=1),
]

#: Axon's "cycle" (1 ms): per-cycle fractions such as 1/Rise are written as cycle/tau.
CYCLE = 1 * ms

AXON_NEURON_EQUATIONS = """
dv/dt = (gbar_e*ge_tot*(E_e - v) + g_l*(E_l - v) + gbar_i*gi_tot*(E_i - v) + gbar_k*gk_tot*(E_k - v)
        + I_exp) / C_m : volt (unless refractory)
dv_d/dt = (gbar_e*ge_tot*(E_e - v_d) + g_l*(1 + dend_gr*(1 - int(not_refractory)))*(E_l - v_d)
           + gbar_i*(gi_tot + ssgi_dend)*(E_i - v_d) + gbar_k*gk_tot*(E_k - v_d)
           + dend_gexp*I_exp*int(not_refractory)) / C_d : volt
I_exp = g_l*Delta_T*exp(clip((v - V_T)/Delta_T, -60, 8)) : amp

dge_syn/dt = -ge_syn/tau_e : 1
dgnmda_syn/dt = -gnmda_syn/tau_nmda : 1
vd_mV = v_d/mV : 1
g_nmda = nmda_ge * clip(-vd_mV, 0, 100) / (1 + (mg_c/(3.57*mM))*exp(-0.062*vd_mV)) * gnmda_syn : 1
clamp = is_input + is_target*plus : 1
ge_tot = clamp*ext*ge_clamp + (1 - clamp)*(ge_syn + g_nmda) : 1
ge_ext = clamp*ext*ge_clamp : 1

fs = clip(ff_pool + fb_gain*fb_pool - fs0, 0, 1000) + geext_pool : 1
fs_clamped = clamp*int(geext_pool > clamp_ext_min) : 1
gi_tot = gi_gain*(fs_clamped*geext_pool + (1 - fs_clamped)*fs + ss_gain*ssi_pool) : 1
ssgi_dend = is_hidden*dend_ssgi*gi_gain*ss_gain*ssi_pool : 1

dgabab_m/dt = (gabab_tf*gabab_x - gabab_m)/gabab_rise : 1
dgabab_x/dt = -gabab_x/gabab_decay + 1/(1 + exp(-(10*gi_tot - 7.1)/1.4))/cycle : 1
vg = clip(vd_mV, -90, 0) + 90 : 1
g_gabab = gabab_gk * vg/(1 + exp(0.1*(vg + 10))) * (gabab_m + gabab_base) : 1

v_mV = v/mV : 1
mahp_vo = v_mV + 30 + 1e-6 : 1
mahp_a = 9*(-mahp_vo/9)/(exp(-mahp_vo/9) - 1)/1000 : 1
mahp_b = 9*(mahp_vo/9)/(exp(mahp_vo/9) - 1)/1000 : 1
dmahp_n/dt = (mahp_a/(mahp_a + mahp_b) - mahp_n) * (mahp_a + mahp_b) * mahp_tadj / cycle : 1
g_ak = ak_gk*0.076/(1 + exp(-0.075*(clip(vd_mV, -100, -37) + 2))) : 1
dkna_med/dt = -kna_med/kna_med_decay : 1
dkna_slow/dt = -kna_slow/kna_slow_decay : 1
gk_tot = mahp_tadj*mahp_gk*mahp_n + g_ak + kna_med + kna_slow + g_gabab : 1

dff/dt = -ff/fs_tau : 1
dfb/dt = -fb/fs_tau : 1
dca_m/dt = -ca_m/tau_ca_m : 1
dca_p/dt = (ca_m - ca_p)/tau_ca_p : 1
dca_d/dt = (ca_p - ca_d)/tau_ca_d : 1
dcasyn/dt = -casyn/tau_casyn : 1
dcasyn_int/dt = casyn : second

phase_t = t - theta*floor(t/theta + 1e-6) : second (shared)
plus = int(phase_t > t_minus - 0.25*ms) : 1 (shared)
ff_pool : 1 (linked)
fb_pool : 1 (linked)
geext_pool : 1 (linked)
ssi_pool : 1 (linked)
ext : 1
layer : integer (constant)
is_input : 1 (constant)
is_target : 1 (constant)
is_hidden : 1 (constant)
ge_clamp : 1 (constant)
gi_gain : 1 (constant)
fb_gain : 1 (constant)
t_ref : second (constant)
casyn_bin : 1
"""

AXON_NEURON_THRESHOLD = "v > V_T + 5*Delta_T"
AXON_NEURON_RESET = """
v = V_reset
kna_med += (kna_med_gk - kna_med) * cycle / kna_med_rise
kna_slow += (kna_slow_gk - kna_slow) * cycle / kna_slow_rise
fb += 1
ca_m += spike_ca * cycle / tau_ca_m
casyn += spike_ca * cycle / tau_casyn
"""

#: Axon's trial-start decay (NewState, spec section 1.9): fast state by ``decay_act``,
#: slow state (NMDA, GABA-B, dendrite) by ``decay_glong``.  The AMPA conductance and the
#: calcium traces are not decayed (as in Axon).
TRIAL_START_DECAY = """
v -= decay_act*(v - E_l)
ff *= 1 - decay_act
fb *= 1 - decay_act
v_d -= decay_glong*(v_d - E_l)
gnmda_syn *= 1 - decay_glong
gabab_m *= 1 - decay_glong
gabab_x *= 1 - decay_glong
"""


def neuron_namespace(params) -> dict:
    """Constants the equations need besides the specs' values (all derived, none free)."""
    rise, decay = float(params["gabab_rise"] / ms), float(params["gabab_decay"] / ms)
    return {
        "cycle": CYCLE,
        # GABA-B rise/decay normalisation (Decay/Rise)^(Rise/(Decay - Rise)): 2.581 (spec 1.7.2)
        "gabab_tf": (decay / rise) ** (rise / (decay - rise)),
        # mAHP temperature factor 2.3^((37 - 23)/10) = 3.209 (spec 1.7.5)
        "mahp_tadj": 2.3 ** ((37 - 23) / 10),
    }
