"""The jang2026 schedule: pulse trains, sweeps, and bad protocol input."""
import numpy as np
import pytest
from brian2 import Hz, pA, second, ms

from plasticity import ParameterError, UnknownNameError
from protocols import get_protocol
from protocols.jang2026 import protocol_parameters, build_schedule, regular_train, PAPER_N


def test_rising_train_switches_rate_at_the_half():
    t = regular_train([25.0, 50.0], [0.0, 0.1, 0.2]) * 1e3
    np.testing.assert_allclose(t, [0, 40, 80, 110, 130, 150, 170, 190], atol=1e-9)
    falling = regular_train([50.0, 25.0], [0.0, 0.1, 0.2]) * 1e3
    np.testing.assert_allclose(falling, [0, 20, 40, 60, 80, 100, 140, 180], atol=1e-9)
    assert regular_train([25.0, 25.0], [0.0, 0.1, 0.2]).size == 5
    assert regular_train([50.0, 50.0], [0.0, 0.1, 0.2]).size == 10


def test_default_schedule_counts():
    s = build_schedule(protocol_parameters())
    kinds = np.asarray(s.sweep_kind)
    assert (kinds == "baseline").sum() == 15          # 5 min at 0.05 Hz
    assert (kinds == "followup").sum() == 135         # 45 min
    assert (kinds == "induction").sum() == 50         # 10 windows x 5 blocks
    assert (kinds == "pause").sum() == 4
    assert len(s.stimuli["low-high"].pre_spikes) == 50 * 8
    assert len(s.stimuli["high-high"].pre_spikes) == 50 * 10
    steps = s.stimuli["high-low"].current_steps
    assert steps[0][2] == 350 * pA and steps[1][2] == 120 * pA
    # first follow-up probe is at t = 0 of the read-out
    start = np.asarray(s.sweep_start / second)
    first = np.flatnonzero(kinds == "followup")[0]
    assert abs(start[first] - float(s.induction_end / second)) < 1e-12
    assert PAPER_N == {"low-low": 12, "low-high": 12, "high-low": 18, "high-high": 11}


def test_text_reading_of_the_repetition():
    s = build_schedule(protocol_parameters({"n_blocks": 1}))
    assert (np.asarray(s.sweep_kind) == "induction").sum() == 10


@pytest.mark.parametrize("name,value", [("pre_low", -5 * Hz), ("pre_high", 0 * Hz),
                                        ("current_high", float("nan") * pA),
                                        ("pre_low", 25 * ms), ("n_windows", 2.5)])
def test_bad_protocol_values(name, value):
    with pytest.raises((ParameterError, ValueError), match=name):
        build_schedule(protocol_parameters({name: value}))


def test_unknown_names():
    with pytest.raises(UnknownNameError, match="known: low-low"):
        build_schedule(protocol_parameters(), ["mid-mid"])
    with pytest.raises(UnknownNameError, match="known protocols: freq-response, hfs, jang2026"):
        get_protocol("hfs-old")


def test_conditioning_pulses_come_first_and_are_not_read_out():
    from dataclasses import replace
    from plasticity.schedule import ScheduleError
    from plasticity.units import minute
    plain = build_schedule(protocol_parameters())
    s = build_schedule(protocol_parameters({"conditioning": 2 * minute}))
    kinds = np.asarray(s.sweep_kind)
    assert list(kinds[:7]) == ["conditioning"] * 6 + ["baseline"]   # 2 min at 0.05 Hz
    assert s.first_recorded_sweep == 6 and plain.first_recorded_sweep == 0
    # test pulses are delivered in conditioning sweeps, read out only after them
    assert set(s.probe_sweeps) - set(s.recorded_sweeps) == set(range(6))
    np.testing.assert_array_equal(s.recorded_sweeps - 6, plain.recorded_sweeps)
    # the read-out clock is unchanged: induction ends 6 sweeps of 20 s later
    assert float((s.induction_end - plain.induction_end) / second) == pytest.approx(120.0)
    with pytest.raises(ScheduleError, match="conditioning sweeps must come first"):
        replace(s, sweep_kind=("baseline",) + s.sweep_kind[1:6] + ("conditioning",)
                + s.sweep_kind[7:]).validate()


def test_run_segments_follow_the_trace_window_and_the_induction_span():
    """Brian2 fixes its active objects per run call: the runner cuts the run where tracing or
    the chemistry's step count changes, and the pieces add up to the whole run."""
    from plasticity.simulate import _segments
    sched = build_schedule(protocol_parameters(), ["low-high"])
    start, stop = sched.induction_span
    kinds = np.asarray(sched.sweep_kind)
    ind = np.flatnonzero(kinds == "induction")
    assert float(start / sched.sweep_length) == pytest.approx(ind[0])
    assert float(stop / sched.sweep_length) == pytest.approx(ind[-1] + 1)
    assert "pause" in kinds[ind[0]:ind[-1] + 1]          # pauses between blocks are inside
    total = sched.simulated_duration
    pieces = _segments(total, sched.trace_window, sched.induction_span)
    assert sum(float(d / second) for d, _, _ in pieces) == pytest.approx(float(total / second))
    assert [(t, f) for _, t, f in pieces] == [(False, False), (True, True), (False, True),
                                               (False, False)]
    # the trace window is the first induction sweep
    assert float(pieces[1][0] / sched.sweep_length) == pytest.approx(1)
    assert _segments(total) == [(total, False, False)]
