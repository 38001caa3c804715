"""Pairing and train schedules: timing, compression, bad input; the spike latency they assume."""
import numpy as np
import pytest
from brian2 import (NeuronGroup, SpikeMonitor, Network, TimedArray, ms, us, Hz, second, nA, pA,
                    mV, prefs)

from plasticity import neuron
from plasticity.schedule import ScheduleError
from protocols import induction


def test_pairing_places_release_and_pulse_by_delta_t():
    s = induction.pairing([10 * ms, -10 * ms], n_pairs=3)
    assert s.n_sweeps == 4 and list(s.sweep_kind) == ["induction"] * 3 + ["pause"]
    np.testing.assert_allclose(s.sweep_duration[:3] / second, 1.0)          # 1 Hz pairing
    lat = float(induction.SPIKE_LATENCY / ms)
    for name, expected in (("dt+10ms", 10.0), ("dt-10ms", -10.0)):
        stim = s.stimuli[name]
        release = stim.pre_spikes[0] / ms
        pulse = stim.current_steps[0][0] / ms
        assert pulse + lat - release == pytest.approx(expected)
        assert len(stim.pre_spikes) == 3


def test_trains_compress_slow_ones_and_keep_fast_ones_in_one_sweep():
    lfs = induction.lfs(consolidation=60 * second)
    assert lfs.n_sweeps == 901 and len(lfs.stimuli["lfs"].pre_spikes) == 900
    hfs = induction.hfs(consolidation=60 * second)
    assert hfs.n_sweeps == 2
    spikes = hfs.stimuli["hfs"].pre_spikes / ms
    np.testing.assert_allclose(np.diff(spikes), 10.0)
    assert float(hfs.sweep_duration[-1] / second) == pytest.approx(60.0)


@pytest.mark.parametrize("call,needle", [
    (lambda: induction.pairing([10 * ms], rate=-1 * Hz), "finite positive"),
    (lambda: induction.pairing([10 * mV]), "units of"),
    (lambda: induction.pairing([600 * ms]), "does not fit"),
    (lambda: induction.pairing([10 * ms], n_pairs=0), "n_pairs"),
    (lambda: induction.train(100 * Hz, 0, "x"), "n_pulses"),
    (lambda: induction.train(float("nan") * Hz, 10, "x"), "finite positive"),
])
def test_bad_schedules_are_refused(call, needle):
    with pytest.raises(ScheduleError, match=needle):
        call()


def test_spike_latency_of_the_pairing_pulse():
    prefs.codegen.target = "numpy"
    ns = {s.name: s.default for s in neuron.NEURON_SPECS}
    ns["sigma_noise"] = 0 * pA
    dur, amp = induction.PULSE
    pulse = np.zeros(1200)
    pulse[400:400 + int(round(float(dur / (25 * us))))] = float(amp / nA)
    ns["somatic_current"] = TimedArray(pulse[:, None] * nA, dt=25 * us)
    eqs = neuron.NEURON_EQUATIONS + "I_syn = 0*amp : amp\n"
    g = NeuronGroup(1, eqs, threshold=neuron.NEURON_THRESHOLD, reset=neuron.NEURON_RESET,
                    refractory=neuron.NEURON_REFRACTORY, method="euler", namespace=ns, dt=25 * us)
    g.v = ns["E_L"]
    g.v_d = ns["E_L"]
    sp = SpikeMonitor(g)
    Network(g, sp).run(30 * ms)
    assert len(sp.t) == 1
    latency = float(sp.t[0] / ms) - 10.0
    assert latency == pytest.approx(float(induction.SPIKE_LATENCY / ms), abs=0.1)
