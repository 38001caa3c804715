"""The CA1 neuron: rest, input resistance, f-I calibration to the paper's current steps, bAP."""
import numpy as np
from brian2 import NeuronGroup, SpikeMonitor, StateMonitor, Network, pA, mV, ms, Mohm

from plasticity import get_model
from plasticity.neuron import NEURON_EQUATIONS, NEURON_THRESHOLD, NEURON_RESET, NEURON_REFRACTORY
from plasticity.simulate import DEFAULT_DT


def _cells(currents):
    p = get_model("kinase").parameters.replace(sigma_noise=0 * pA)
    eqs = NEURON_EQUATIONS.replace("I_clamp = current_gain * somatic_current(t, i) : amp", "I_clamp : amp")
    g = NeuronGroup(len(currents), eqs + "\nI_syn = 0*amp : amp", threshold=NEURON_THRESHOLD,
                    reset=NEURON_RESET, refractory=NEURON_REFRACTORY, method="euler", dt=DEFAULT_DT,
                    namespace={k: p[k] for k in p})
    g.v = p["E_L"]
    g.v_d = p["E_L"]
    g.I_clamp = currents
    return g, p


def test_rest_and_input_resistance():
    g, p = _cells(np.array([0.0, -20.0]) * pA)
    net = Network(g)
    net.run(500 * ms)
    assert abs(float(g.v[0] / mV) - float(p["E_L"] / mV)) < 0.01    # exp term ~6e-5 mV
    r_in = float((g.v[0] - g.v[1]) / (20 * pA) / Mohm)
    assert 150 < r_in < 300                      # juvenile CA1 (Spruston & Johnston 1992)


def test_current_steps_give_the_rates_they_were_calibrated_for():
    """Jang et al 2026: 120 pA and 350 pA approximate 25 and 50 Hz (rates were often lower)."""
    g, _ = _cells(np.array([120.0, 350.0]) * pA)
    spikes = SpikeMonitor(g)
    Network(g, spikes).run(100 * ms)
    low, high = (np.asarray(spikes.count) * 10.0)            # Hz over a 100 ms half window
    assert 5 <= low <= 35
    assert 40 <= high <= 90
    assert high > 2 * low


def test_back_propagating_spike_depolarises_the_dendrite():
    g, _ = _cells(np.array([350.0]) * pA)
    mon = StateMonitor(g, "v_d", record=0)
    Network(g, mon).run(50 * ms)
    assert float(np.max(mon.v_d[0] / mV)) > -25          # bAP relieves the Mg2+ block
