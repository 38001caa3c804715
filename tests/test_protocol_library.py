"""The classic protocols' schedules: pulse counts and real times exactly, sweeps, bad input."""
import numpy as np
import pytest
from brian2 import Hz, ms, second

from plasticity import ParameterError, UnknownNameError
from plasticity.schedule import ScheduleError
from protocols import get_protocol, recorded

SHORT = {"baseline": 1 * 60 * second, "followup": 2 * 60 * second}


def schedules(name, values=None, conditions=None):
    mod = get_protocol(name)
    return mod.build_schedules(mod.protocol_parameters({**SHORT, **(values or {})}), conditions)


def real(schedule, condition, what="pre"):
    stim = schedule.stimuli[condition]
    sim = stim.pre_spikes if what == "pre" else np.array([s[0] / second for s in stim.current_steps]) * second
    return np.asarray(schedule.real_times(sim) / ms)


def check_recording(s):
    kinds = np.asarray(s.sweep_kind)
    assert (kinds == "baseline").sum() == 3 and (kinds == "followup").sum() == 6
    start = np.asarray(s.sweep_start / second)
    first_follow = np.flatnonzero(kinds == "followup")[0]
    assert start[first_follow] == pytest.approx(float(s.induction_end / second))
    for c in s.conditions:                     # the induction ends at rest
        last = real(s, c).max() / 1e3
        assert float(s.induction_end / second) - last >= recorded.SETTLE - 1e-9


def test_hfs_one_and_three_trains():
    (s,) = schedules("hfs")
    check_recording(s)
    three, one = real(s, "3x"), real(s, "1x")
    assert three.size == 300 and one.size == 100
    trains = three.reshape(3, 100)
    np.testing.assert_allclose(np.diff(trains, axis=1), 10.0, atol=1e-6)       # 100 Hz
    np.testing.assert_allclose(np.diff(trains[:, 0]), 20000.0, atol=1e-6)      # 20 s apart
    np.testing.assert_allclose(one, trains[-1], atol=1e-6)                     # aligned at the end


def test_tbs_bursts():
    (s,) = schedules("tbs")
    check_recording(s)
    t = real(s, "tbs").reshape(10, 4)
    np.testing.assert_allclose(np.diff(t, axis=1), 10.0, atol=1e-6)
    np.testing.assert_allclose(np.diff(t[:, 0]), 200.0, atol=1e-6)
    assert (np.asarray(s.sweep_kind) == "induction").sum() == 4               # 1.85 s in full


def test_lfs_is_compressed_one_pulse_per_sweep():
    (s,) = schedules("lfs", {"n_pulses": 30})
    check_recording(s)
    t = real(s, "lfs")
    assert t.size == 30
    np.testing.assert_allclose(np.diff(t), 1000.0, atol=1e-6)
    assert (np.asarray(s.sweep_kind) == "induction").sum() == 30


def test_freq_response_one_schedule_per_frequency_same_clock():
    runs = schedules("freq-response", {"n_pulses": 20})
    assert [r.conditions[0] for r in runs] == ["0.5Hz", "1Hz", "3Hz", "5Hz", "10Hz", "20Hz", "50Hz",
                                               "100Hz"]
    follow = None
    for r in runs:
        check_recording(r)
        (c,) = r.conditions
        t = real(r, c)
        f = float(c[:-2])
        assert t.size == 20
        np.testing.assert_allclose(np.diff(t), 1000.0 / f, atol=1e-6)
        times = r.sweep_start[np.asarray(r.sweep_kind) == "followup"] - r.induction_end
        follow = times if follow is None else follow
        np.testing.assert_allclose(times / second, follow / second, atol=1e-9)


def test_stdp_pairs_place_the_spike_at_delta_t():
    (s,) = schedules("stdp", {"n_pairs": 5}, ["dt+10ms", "dt-20ms", "dt+7ms"])
    check_recording(s)
    lat = float(recorded.SPIKE_LATENCY / ms)
    for c, d in (("dt+10ms", 10.0), ("dt-20ms", -20.0), ("dt+7ms", 7.0)):
        pre, pulse = real(s, c), real(s, c, "pulse")
        assert pre.size == 5 and pulse.size == 5
        np.testing.assert_allclose(pulse + lat - pre, d, atol=1e-6)
        np.testing.assert_allclose(np.diff(pre), 1000.0, atol=1e-6)
    assert get_protocol("stdp").condition_value("dt-20ms") == {"delta_t_ms": -20.0}


@pytest.mark.parametrize("name,values,conditions,error,needle", [
    ("hfs", {"train_rate": -5 * Hz}, None, ParameterError, "train_rate"),
    ("lfs", {"rate": 0 * Hz}, None, ParameterError, "rate"),
    ("lfs", {"rate": 1 * ms}, None, ParameterError, "rate"),
    ("stdp", {"n_pairs": 0}, None, ParameterError, "n_pairs"),
    ("tbs", {"burst_pulses": 2.5}, None, ScheduleError, "burst_pulses"),
    ("tbs", {"burst_rate": 10 * Hz}, None, ValueError, "before the next"),
    ("stdp", {}, ["dt+500ms"], ValueError, "delta_t"),
    ("stdp", {}, ["plus10"], UnknownNameError, "dt\\+10ms"),
    ("hfs", {}, ["2x"], UnknownNameError, "known: 1x, 3x"),
    ("freq-response", {}, ["7Hz"], UnknownNameError, "known: 0.5Hz"),
    ("hfs", {"followup": 0 * second}, None, ParameterError, "followup"),
])
def test_bad_input(name, values, conditions, error, needle):
    with pytest.raises(error, match=needle):
        schedules(name, values, conditions)


def test_sweep_cutting_compresses_only_quiet_sweeps():
    # a pulse every 2 s: each sweep holds one pulse and stretches to 50 ms before the next
    d = recorded.induction_sweeps(np.array([0.05, 2.05, 4.05]), 4.05 + recorded.SETTLE)
    np.testing.assert_allclose(d, [2.0, 2.0, 0.6])
    # 100 Hz for 1 s: every sweep in full until the last pulse has settled
    ev = 0.05 + np.arange(100) * 0.01
    d = recorded.induction_sweeps(ev, ev[-1] + recorded.SETTLE)
    assert all(x == pytest.approx(recorded.SWEEP) for x in d)
