"""The kinase cascade: fast CaMKII-like minus slow DAPK1-like integration of Ca2+.

Axon's kinase learning rule (O'Reilly et al; ../shared/research/urakubo_kinase_spec.md
section 6 and axon_network_spec.md section 5) reduced to one spine:

* a three-stage cascade on spine calcium ``Ca``
  ``dCaM/dt = (Ca - CaM)/tau_M``, ``dCaP/dt = (CaM - CaP)/tau_P``,
  ``dCaD/dt = (CaP - CaD)/tau_D`` with tau_M = 2 ms, tau_P = tau_D = 40 ms
  (Axon LearnCa MTau/PTau/DTau).  CaP stands for CaMKII (fast, LTP), CaD for
  DAPK1 (slow, LTD, fed by CaP); CaP - CaD is a temporal derivative of Ca.
* a synaptic credit trace: the presynaptic trace ``x`` (+1 per pulse, tau_syn =
  30 ms, Axon CaSynTau) averaged over each theta cycle,
  ``dcredit/dt = x / theta_period``.  Axon multiplies a pre and a post trace
  because its error signal is neuron-wide; here the error is the spine's own
  calcium, which already requires postsynaptic depolarisation (NMDA Mg2+
  block, bAP-driven VGCC), so only the presynaptic side marks the synapse.
  The credit stands for glutamate bound at the synapse's NMDA receptors, the
  synapse-specific coincidence signal: D-APV (a competitive antagonist at
  that site) removes it with the NMDA current (``credit_gain`` = 0), so that
  bAP-VGCC calcium alone, which reaches every spine of the cell, does not
  change this synapse (NMDA-receptor dependence of LTP and LTD; Dudek & Bear
  1992).
* at the **end of each theta window** (every ``theta_period`` = 200 ms of the
  simulation clock, to which the protocols align their windows) the learning
  weight changes by
  ``dw = eta * credit * e * |e| / max(CaP, CaD)`` if ``max(CaP, CaD) >
  learn_threshold`` (Axon's learning gate; otherwise 0: a lone test pulse at
  rest does not learn), with
  ``e = CaP - d_scale * CaD``: the kinase difference times Axon's receiver
  learning-rate factor |CaP - CaD| / max(CaP, CaD) (RLRate "Diff", spec
  section 5.3), which scales the change by the relative size of the
  difference so that the slow onset ramp of a *flat* window (CaD still
  catching up with CaP) counts little.  ``d_scale`` is Axon's DScale
  (spec 6.5; 1.05 there); ``d_scale`` = 1.02 and ``eta`` = 1.6 are the best
  pair of the grid ``python -m protocols.calibration`` scores against the four
  30-35 min means of Jang et al 2026.  Soft bounds: ``dw (1 - w_L)`` if dw > 0,
  ``dw w_L`` if dw < 0 (Axon section 5.6); the credit is then reset.
  ``ltp_gain`` and ``ltd_gain`` (1) scale increases and decreases: the two
  arms' expression, which the pharmacological and genetic manipulations act on
  (:mod:`plasticity.manipulations`).

The relative synaptic strength targeted by learning is ``2 w_L`` (1 at the
initial w_L = 0.5; bounds 0 and 2).

The cascade is integrated with the rest of the row (forward Euler,
Euler-Maruyama for the membrane noise, dt = 0.2 ms), not Brian2's
``'exact'``: the exact solver divides by (tau_P - tau_D), which is zero for the
default equal time constants.  :func:`cascade_impulse_response` gives the
closed form (any taus, equal ones included); the tests bound the integration
error against it (at dt = 0.2 ms: CaM and CaP within 3 %, CaD within 1.5 % of
their peaks; first order, within 0.15 % at 10 us; tests/test_cascade.py).
"""
from __future__ import annotations

import math

import numpy as np
from brian2 import ms

from .parameters import Spec

KINASE_SPECS = [
    Spec("tau_M", 2 * ms, ms, "Ca -> CaM integration time constant", "Axon LearnCa MTau 2 ms",
         positive=True),
    Spec("tau_P", 40 * ms, ms, "CaM -> CaP (CaMKII, LTP) time constant", "Axon PTau 40 ms",
         positive=True),
    Spec("tau_D", 40 * ms, ms, "CaP -> CaD (DAPK1, LTD) time constant", "Axon DTau 40 ms",
         positive=True),
    Spec("tau_syn", 30 * ms, ms, "pre/post spike trace for synaptic credit", "Axon CaSynTau 30 ms",
         positive=True),
    Spec("d_scale", 1.02, 1, "weight of CaD against CaP in the error (CaP - d_scale CaD)",
         "Axon DScale (spec section 6.5: 1.05)", low=0, high=2),
    Spec("learn_threshold", 0.05, 1, "no learning unless max(CaP, CaD) exceeds this",
         "Axon RLRate SpikeThr / Learn.Timing.LearnThr gate (0.1 in Axon's units); keeps a "
         "single test pulse at rest from changing the weight", positive=True),
    Spec("eta", 1.6, 1, "learning rate: dw per unit (CaP - CaD) x credit", "protocols.calibration grid optimum",
         low=0),
    Spec("credit_gain", 1.0, 1, "credit per presynaptic release (glutamate bound at the synapse's "
         "NMDA receptors)", "1; D-APV, a competitive antagonist at the glutamate site, sets it to 0 "
         "(plasticity.manipulations)", low=0),
    Spec("ltp_gain", 1.0, 1, "scale of weight increases (the CaMKII arm's expression)",
         "1; manipulations set it (plasticity.manipulations: T286A, GluN2B site mutant)", low=0),
    Spec("ltd_gain", 1.0, 1, "scale of weight decreases (the DAPK1 arm's expression)",
         "1; manipulations set it (plasticity.manipulations: DAPK1, calcineurin block)", low=0),
    Spec("w_L0", 0.5, 1, "initial learning weight (relative strength 2 w_L0)", "Axon LWt 0.5",
         low=0, high=1),
]

#: The theta clock is shared by all rows (it is a Brian2 clock period).
THETA_SPECS = [
    Spec("theta_period", 200 * ms, ms, "theta cycle; learning is applied at its end",
         "Axon ThetaCycles 200 ms; Jang et al 2026 window 200 ms", positive=True, shared=True),
]

KINASE_EQUATIONS = """
dCaM/dt = (ca - CaM) / tau_M : 1
dCaP/dt = (CaM - CaP) / tau_P : 1
dCaD/dt = (CaP - CaD) / tau_D : 1
dx_trace/dt = -x_trace / tau_syn : 1
dcredit/dt = x_trace / theta_period : 1
w_L : 1
dw_last : 1
"""
KINASE_ON_PRE = "x_trace_post += credit_gain_post"

#: Applied by a ``run_regularly`` every ``theta_period`` (end of the cycle).
KINASE_LEARNING = """
dw_last = eta * credit * (CaP - d_scale * CaD) * abs(CaP - d_scale * CaD) / clip(clip(CaP, CaD, inf), learn_threshold, inf) * int(clip(CaP, CaD, inf) > learn_threshold)
dw_last = dw_last * (ltp_gain * int(dw_last > 0) + ltd_gain * int(dw_last <= 0))
w_L = clip(w_L + dw_last * ((1 - w_L) * int(dw_last > 0) + w_L * int(dw_last <= 0)), 0, 1)
credit = 0
"""


def _divided_difference(f_derivative, nodes):
    """Divided difference f[x0..xn] with confluent (repeated) nodes.

    ``f_derivative(k, x)`` returns the k-th derivative of f at x.
    """
    nodes = sorted(nodes)
    n = len(nodes) - 1
    if math.isclose(nodes[0], nodes[-1], rel_tol=1e-12, abs_tol=0.0):
        return f_derivative(n, nodes[0]) / math.factorial(n)
    high = _divided_difference(f_derivative, nodes[1:])
    low = _divided_difference(f_derivative, nodes[:-1])
    return (high - low) / (nodes[-1] - nodes[0])


def cascade_impulse_response(t, tau_M, tau_P, tau_D):
    """Closed-form CaM, CaP, CaD after CaM(0) = 1, CaP(0) = CaD(0) = 0, Ca = 0.

    For a chain of first-order stages with rates lambda_k = 1/tau_k, stage n is
    ``prod(lambda_2..lambda_n) (-1)^(n-1) f[lambda_1..lambda_n]`` with
    ``f(lambda) = exp(-lambda t)``; repeated rates (equal time constants) use the
    confluent divided difference (derivatives), which gives e.g.
    ``CaD = (t/tau)^2/2 exp(-t/tau)`` when all three taus are equal.
    Arguments are plain floats or arrays in one time unit.
    """
    t = np.asarray(t, dtype=float)
    rates = [1.0 / tau_M, 1.0 / tau_P, 1.0 / tau_D]

    def deriv(k, lam):
        return (-t) ** k * np.exp(-lam * t)

    out = []
    for n in (1, 2, 3):
        gain = float(np.prod(rates[1:n]))
        out.append(gain * (-1) ** (n - 1) * _divided_difference(deriv, rates[:n]))
    return tuple(out)


__all__ = ["KINASE_SPECS", "THETA_SPECS", "KINASE_EQUATIONS", "KINASE_ON_PRE", "KINASE_LEARNING",
           "cascade_impulse_response"]
