"""CA1 pyramidal neuron: soma + apical dendrite, AdEx spiking, back-propagating spike.

Two compartments coupled by an axial conductance ``g_c``:

* **soma** -- adaptive exponential integrate-and-fire (Brette & Gerstner 2005)
  with spike-triggered adaptation; receives the somatic current clamp
  ``I_clamp`` (whole-cell, as in Jang et al 2026);
* **dendrite** -- passive membrane that receives the synaptic current of the
  spine (AMPA + NMDA, :mod:`plasticity.spine`) and the back-propagating action
  potential (bAP): every somatic spike opens a brief depolarising conductance
  ``g_bap`` in the dendrite, so the dendrite is depolarised to about -15 mV for
  ~2 ms (bAP amplitudes of 40-60 mV in proximal CA1 apical dendrites, Stuart et
  al 1997; Golding et al 2001), which relieves the NMDA Mg2+ block.

The exponential, threshold and reset values follow Axon's neuron
(../shared/research/axon_network_spec.md, section 1.1: Delta_T 2 mV, V_T -50 mV,
E_L -70 mV; the reset here is -65 mV).  Capacitances and leaks are scaled to a
juvenile (P16-18) mouse CA1 cell: input resistance ~230 MOhm and membrane time
constant ~20 ms (tests/test_neuron.py checks 150-300 MOhm, the juvenile CA1
range, Spruston & Johnston 1992; Jang et al's cells are P16-18).  Fast, strong
spike-triggered adaptation (b 200 pA, tau_w 25 ms) gives a shallow f-I curve
so that the paper's example steps give rates of the order they were calibrated
for (Jang et al 2026: 120 pA ~ 25 Hz, 350 pA ~ 50 Hz, "rates were often below
target"); over a 100 ms step from rest the defaults give about 10 and 70 Hz
(tests/test_neuron.py checks 5-35 and 40-90 Hz).

Spikes are counted when V crosses ``V_cut`` = V_T + 5 Delta_T (the usual AdEx
cut, Brette & Gerstner 2005), then V resets; the soma is refractory 2 ms.
"""
from __future__ import annotations

from brian2 import pF, nS, mV, ms, pA, ohm

from .parameters import Spec

NEURON_SPECS = [
    Spec("C_s", 60 * pF, pF, "somatic capacitance", "tau_m ~20 ms with g_Ls", positive=True),
    Spec("g_Ls", 3 * nS, nS, "somatic leak conductance", "R_in ~120 MOhm (Spruston & Johnston 1992)",
         positive=True),
    Spec("C_d", 30 * pF, pF, "dendritic capacitance", "", positive=True),
    Spec("g_Ld", 1.5 * nS, nS, "dendritic leak conductance", "same tau_m as the soma", positive=True),
    Spec("g_c", 15 * nS, nS, "soma-dendrite axial coupling conductance", "", low=0),
    Spec("E_L", -70 * mV, mV, "leak reversal = resting potential", "Axon E_L", low=-100, high=-40),
    Spec("V_T", -50 * mV, mV, "AdEx threshold (exponential midpoint)", "Axon Thr", low=-80, high=-20),
    Spec("Delta_T", 2 * mV, mV, "AdEx slope factor", "Axon ExpSlope", positive=True, high=10),
    Spec("V_reset", -65 * mV, mV, "reset potential after a spike", "", low=-100, high=-20),
    Spec("t_ref", 2 * ms, ms, "somatic refractory period", "", low=0, high=20),
    Spec("a_w", 0 * nS, nS, "subthreshold adaptation conductance", "AdEx a", low=0),
    Spec("b_w", 200 * pA, pA, "spike-triggered adaptation current", "AdEx b; sets the f-I slope", low=0),
    Spec("tau_w", 25 * ms, ms, "adaptation time constant", "AdEx tau_w", positive=True),
    Spec("sigma_noise", 20 * pA, pA, "s.d. of background synaptic current noise (Ornstein-Uhlenbeck)",
         "~2 mV membrane fluctuations; jitters spike times from window to window so that a cell's "
         "plasticity does not hinge on one spike's exact timing", low=0),
    Spec("tau_noise", 5 * ms, ms, "correlation time of the background current", "", positive=True),
    Spec("current_gain", 1.0, 1, "per-cell scaling of the protocol's somatic current",
         "Jang et al 2026 calibrated the current steps per cell; the cohort sets it to the cell's "
         "leak factor", low=0, high=10),
    Spec("g_bap", 80 * nS, nS, "peak bAP conductance into the dendrite per spike", "bAP 40-60 mV",
         low=0),
    Spec("E_bap", 20 * mV, mV, "reversal of the bAP conductance (Na+ spike)", "", low=-20, high=60),
    Spec("tau_bap", 1 * ms, ms, "decay of the bAP conductance", "bAP half-width ~2 ms", positive=True),
]

#: Soma, dendrite, adaptation and bAP.  ``I_clamp`` is the protocol's somatic
#: current (a per-row TimedArray named ``somatic_current``); ``I_syn`` (the spine's
#: AMPA + NMDA current into the dendrite) is defined by :mod:`plasticity.spine`.
NEURON_EQUATIONS = """
dv/dt = (g_Ls*(E_L - v) + g_Ls*Delta_T*exp((v - V_T)/Delta_T) + g_c*(v_d - v)
         - w_ad + I_clamp + I_noise) / C_s : volt (unless refractory)
dI_noise/dt = -I_noise / tau_noise + sigma_noise * sqrt(2 / tau_noise) * xi : amp
dv_d/dt = (g_Ld*(E_L - v_d) + g_c*(v - v_d) + I_syn + g_bap*bap*(E_bap - v_d)) / C_d : volt
dw_ad/dt = (a_w*(v - E_L) - w_ad) / tau_w : amp
dbap/dt = -bap / tau_bap : 1
I_clamp = current_gain * somatic_current(t, i) : amp
"""

NEURON_THRESHOLD = "v > V_T + 5*Delta_T"
NEURON_RESET = """
v = V_reset
w_ad += b_w
bap += 1
"""
NEURON_REFRACTORY = "t_ref"

#: The somatic potential the protocol reads EPSPs from, and the initial state.
RECORDED_POTENTIAL = "v"


def initial_state(params) -> dict:
    return {"v": params["E_L"], "v_d": params["E_L"], "w_ad": 0 * pA, "bap": 0.0}


__all__ = ["NEURON_SPECS", "NEURON_EQUATIONS", "NEURON_THRESHOLD", "NEURON_RESET",
           "NEURON_REFRACTORY", "initial_state", "ohm"]
