"""Learning rules of the network's projections: ``kinase``, ``kinase-binned`` and ``hebbian``.

All three share the machinery of Axon's weights (spec section 5.6-5.7, axon_network_spec.md):
the learning weight ``lwt`` in [0, 1] is soft-bounded (an increase is scaled by 1 - lwt, a
decrease by lwt), the effective weight is ``wt = swt * 2 / (1 + ((1 - lwt)/lwt)^6)``
(contrast enhancement, SigGain 6; lwt 0.5 gives wt = swt), and learning is applied once per
theta trial, at its end (Axon's default end-of-trial timing, section 4.5).

* ``kinase`` -- the synapse-level cascade (the exact one).  Every synapse integrates its own
  calcium, the product of the pre- and postsynaptic spike traces (Axon SynCa,
  ``8 casyn_pre casyn_post``), through the three-stage kinase cascade
  (``syn_cam`` tau 5 ms -> ``syn_cap`` tau 40 ms, CaMKII-like -> ``syn_cad`` tau 40 ms,
  DAPK1-like), updated every 1 ms cycle; the weight change is the fast-minus-slow difference
  ``syn_cap - syn_cad`` at the end of the trial.  Because the plus phase is the last 50 ms,
  ``syn_cap`` weighs plus-phase co-activity and ``syn_cad`` the longer minus phase, so the change
  approximates the CHL / GeneRec difference x+y+ - x-y- (O'Reilly 1996).  Within one 200 ms
  trial the slow stage has not caught up (CaD integrates 0.955 of its input, CaP 0.992), so
  ``syn_cap - syn_cad`` alone adds a Hebbian term proportional to the co-activity; the
  difference used is ``cap_scale syn_cap - syn_cad`` with cap_scale = 0.955 / 0.992 = 0.962
  (Axon's CaPScale), which cancels it for activity that is constant over the trial.
* ``kinase-binned`` -- Axon's neuron-level approximation (the fast one; spec section 5.5):
  each neuron averages its ``casyn`` over 10 ms bins; at the end of the trial a synapse sums
  the 20 bin products with fixed weights ``w_P``, ``w_D`` for its CaP and CaD.  Axon fits the
  weights by regression to the synapse cascade; the cascade is linear in its input, so here
  they are computed exactly from its impulse response (:func:`binned_weights`): bin i's
  weight is the cascade's response at the trial end to a unit input during that bin.  The
  only approximation left is the one Axon makes, the product of bin means for the bin mean of
  the product.  Synapse work drops from every cycle to every 10 ms.
* ``hebbian`` -- Axon's Hebbian option (spec section 5.6), in its CPCA form (O'Reilly &
  Munakata 2000): at the trial end ``dlwt = lrate y (up s x (1 - lwt) - down (1 - x) lwt)`` with
  x, y the pre and post neurons' spike-driven CaP relative to its value at 100 Hz (0.8,
  clipped to [0, 1]), i.e. plus-phase co-activity only, no error term.  up = down = 1 and
  ``s = (1 - a) / a`` (:func:`hebb_sender_correction`) for a sending layer of expected activity
  ``a`` (its ``nominal``, at most 0.5: denser layers get no correction): the sender-activity
  correction of Leabra's CPCA (``savg_cor``), so that lwt tends to 0.5 when
  the sender is active with its layer's expected probability given the receiver, and above 0.5
  when more.  Without it lwt tends to P(x | y), which in a sparse sending layer is small for
  every synapse: measured on parity3 (hidden layer 10 % active), every output weight fell until
  the output layer was silent in every trial within 20 epochs, so the baseline failed by going
  quiet rather than by answering wrongly.  (Axon's Up 0.5 / Down 1 does the same to a sparse
  hidden layer.)

The two kinase rules scale the change by the receiver's learning-rate factor RLRate (spec
5.3: ``max(4c(1 - c), 0.05) |CaP - CaD| / max(CaP, CaD)`` from the neuron's spike-driven
CaP/CaD; here c is CaD relative to its value at Axon's 180 Hz maximum rate, 8 x 0.18 = 1.44,
instead of relative to the layer maximum, which a synapse cannot read) and learn in hidden
receivers only when the receiver's CaD exceeds 0.1 (Axon's LearnNow gate, about 12.5 Hz);
output receivers always learn.
"""
from __future__ import annotations

import numpy as np
from brian2 import ms

from plasticity.kinase import cascade_impulse_response
from plasticity.parameters import Spec

RULES = ("kinase", "kinase-binned", "hebbian")

RULE_SPECS = [
    Spec("lrate", 0.02, 1, "learning rate (LRate.Base)",
         "a third of Axon ra25's LRate 0.06: here ra25 with 0.06 did not converge in 100 epochs "
         "(seed 0), 0.03 reached the criterion in 3 of 5 seeds, 0.02 in at least 4 of 5",
         low=0),
    Spec("cap_scale", 0.962, 1, "weight of CaP against CaD in the kinase difference",
         "Axon DWt.CaPScale (1; 0.95 in deepfsa); 0.962 = sum(w_D)/sum(w_P) of binned_weights(): "
         "co-activity held constant over a whole trial then gives no change", low=0, high=2),
    Spec("tau_syn_m", 5 * ms, ms, "synaptic Ca -> CaM", "Axon CaSpike MTau 5 ms", positive=True),
    Spec("tau_syn_p", 40 * ms, ms, "CaM -> CaP (CaMKII-like)", "Axon PTau 40 ms", positive=True),
    Spec("tau_syn_d", 40 * ms, ms, "CaP -> CaD (DAPK1-like)", "Axon DTau 40 ms", positive=True),
    Spec("learn_thr", 0.1, 1, "receiver CaD needed to learn (hidden receivers)",
         "Axon Learn.Timing.LearnThr 0.1", low=0),
    Spec("ca_norm", 1.44, 1, "receiver CaD at the maximum rate (RLRate sigmoid normalisation)",
         "8 x 180 Hz x 1 ms (Axon SpikeCaM 8, MaxHz 180)", positive=True),
    Spec("rl_sig_min", 0.05, 1, "RLRate sigmoid floor", "Axon RLRate.SigmoidMin", low=0, high=1),
    Spec("rl_spike_thr", 0.1, 1, "RLRate: max(CaP, CaD) needed for the diff factor",
         "Axon RLRate.SpikeThr", low=0),
    Spec("rl_diff_thr", 0.02, 1, "RLRate: |CaP - CaD| needed for the diff factor",
         "Axon RLRate.DiffThr", low=0),
    Spec("rl_min", 0.001, 1, "RLRate below the thresholds", "Axon RLRate.Min", low=0),
    Spec("hebb_up", 1.0, 1, "Hebbian potentiation factor (times the sender-activity correction)",
         "CPCA (Axon's option: 0.5); the correction (1 - a)/a is per projection", low=0),
    Spec("hebb_down", 1.0, 1, "Hebbian depression factor", "CPCA; Axon Hebb Down 1", low=0),
    Spec("hebb_norm", 0.8, 1, "CaP that counts as full activity for the Hebbian rule",
         "8 x 100 Hz x 1 ms", positive=True),
]

#: Receiver's learning-rate factor and gate (neuron subexpressions).
RLRATE_EQUATIONS = """
rl_c = clip(ca_d/ca_norm, 0, 1) : 1
rl_max = clip(ca_p, ca_d, 1000) : 1
rl_on = int(rl_max > rl_spike_thr)*int(abs(ca_p - ca_d) >= rl_diff_thr) : 1
rlrate = clip(4*rl_c*(1 - rl_c), rl_sig_min, 1) * (rl_on*abs(ca_p - ca_d)/clip(rl_max, 1e-6, 1000) + (1 - rl_on)*rl_min) : 1
learn_gate = is_target + (1 - is_target)*int(ca_d > learn_thr) : 1
"""

_SYNAPSE_BASE = """
wt : 1
lwt : 1
swt : 1
gscale : 1 (constant)
dwt_last : 1
raw_last : 1
"""
_STATE = {
    "kinase": "syn_cam : 1\nsyn_cap : 1\nsyn_cad : 1\n",
    "kinase-binned": "syn_p : 1\nsyn_d : 1\n",
    "hebbian": "hebb_savg : 1 (constant)\n",
}

#: Spike transmission: AMPA, NMDA and the pool's feedforward input all receive gscale x wt.
ON_PRE = """
ge_syn_post += gscale*wt
gnmda_syn_post += gscale*wt
ff_post += gscale*wt
"""

#: Synapse-level cascade, once per 1 ms cycle (Axon's update order: CaM, then CaP, then CaD).
CASCADE_STEP = """
syn_cam += (spike_ca*casyn_pre*casyn_post - syn_cam)*cycle/tau_syn_m
syn_cap += (syn_cam - syn_cap)*cycle/tau_syn_p
syn_cad += (syn_cap - syn_cad)*cycle/tau_syn_d
"""

#: Neuron bin of casyn (every 10 ms), then the synapse's weighted bin products.
BIN_NEURON = """
casyn_bin = casyn_int/bin_width
casyn_int = 0*second
"""
BIN_SYNAPSE = """
bin_start = (t - bin_width) - theta*floor((t - bin_width)/theta + 1e-6)
syn_p += spike_ca*bin_wp(bin_start)*casyn_bin_pre*casyn_bin_post
syn_d += spike_ca*bin_wd(bin_start)*casyn_bin_pre*casyn_bin_post
"""

_RAW = {
    "kinase": "cap_scale*syn_cap - syn_cad",
    "kinase-binned": "cap_scale*syn_p - syn_d",
    "hebbian": ("clip(ca_p_post/hebb_norm, 0, 1)*(hebb_up*hebb_savg*clip(ca_p_pre/hebb_norm, 0, 1)*(1 - lwt)"
                " - hebb_down*(1 - clip(ca_p_pre/hebb_norm, 0, 1))*lwt)"),
}
_WT_FROM_LWT = "wt = swt*2/(1 + ((1 - clip(lwt, 1e-6, 1))/clip(lwt, 1e-6, 1))**6)"


def synapse_model(rule: str) -> str:
    check_rule(rule)
    return _SYNAPSE_BASE + _STATE[rule]


def learning_code(rule: str) -> str:
    """Statements run at the end of every trial (the start of the next) on the synapses."""
    check_rule(rule)
    raw = f"raw_last = {_RAW[rule]}\n"
    if rule == "hebbian":
        step = "dwt_last = learning_on*lrate*raw_last\n"
    else:
        step = ("dwt_last = learning_on*lrate*learn_gate_post*rlrate_post*raw_last\n"
                "dwt_last = dwt_last*((1 - lwt)*int(dwt_last > 0) + lwt*int(dwt_last <= 0))\n")
    reset = "syn_p = 0\nsyn_d = 0\n" if rule == "kinase-binned" else ""
    return raw + step + "lwt = clip(lwt + dwt_last, 0, 1)\n" + _WT_FROM_LWT + "\n" + reset


def hebb_sender_correction(nominal: float) -> float:
    """CPCA's sender-activity correction ``(1 - a)/a``, a = min(nominal, 0.5): with it the
    Hebbian weight tends to 0.5 for a sender active with its layer's expected probability."""
    a = min(float(nominal), 0.5)
    return (1 - a) / a


def check_rule(rule: str) -> str:
    if rule not in RULES:
        raise ValueError(f"unknown learning rule {rule!r}; known: {', '.join(RULES)}")
    return rule


def sig_lwt(lwt):
    """Axon's contrast-enhancing sigmoid of the learning weight (SigGain 6): 0..2, 1 at 0.5."""
    lwt = np.clip(np.asarray(lwt, dtype=float), 1e-6, 1.0)
    return 2.0 / (1.0 + ((1.0 - lwt) / lwt) ** 6)


def lwt_from_wt(wt, swt):
    """Inverse of :func:`sig_lwt` for ``wt = swt sig_lwt(lwt)`` (spec section 5.7)."""
    u = np.clip(np.asarray(wt, dtype=float) / np.asarray(swt, dtype=float) / 2.0, 1e-9, 1 - 1e-9)
    return 1.0 / (1.0 + ((1.0 - u) / u) ** (1.0 / 6.0))


def binned_weights(theta=200 * ms, bin_width=10 * ms, tau_m=5 * ms, tau_p=40 * ms, tau_d=40 * ms,
                   samples_per_bin=200):
    """Bin weights (w_P, w_D) of the binned rule, exact for the linear cascade.

    ``CaP(T) = integral h_P(T - s) u(s) ds`` for input u into ``dCaM/dt = (u - CaM)/tau_M``, with
    ``h_P(t) = CaP_impulse(t)/tau_M`` (:func:`plasticity.kinase.cascade_impulse_response`, any
    time constants, equal ones included).  Bin i (covering [i, i+1) bin widths from the trial
    start) gets ``w_P[i] = integral over the bin of h_P(T - s) ds``; likewise w_D.
    """
    T, width = float(theta / ms), float(bin_width / ms)
    n_bins = int(round(T / width))
    if n_bins * width != T:
        raise ValueError(f"theta ({theta}) must be a whole number of bins ({bin_width})")
    m, p, d = (float(x / ms) for x in (tau_m, tau_p, tau_d))
    wp, wd = np.zeros(n_bins), np.zeros(n_bins)
    for i in range(n_bins):
        s = np.linspace(i * width, (i + 1) * width, samples_per_bin + 1)
        _, cap, cad = cascade_impulse_response(T - s, m, p, d)
        wp[i] = np.trapz(cap / m, s)
        wd[i] = np.trapz(cad / m, s)
    return wp, wd
