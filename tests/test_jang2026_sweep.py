"""The rate sweep: f-I calibration of the current, the 36-condition schedule, CHL."""
import numpy as np
import pytest

from plasticity import UnknownNameError
from brian2 import pA

from protocols import jang2026, jang2026_sweep
from protocols.fi_curve import fi_curve, current_for


def test_fi_curve_rises_and_is_inverted():
    currents, rates = fi_curve()
    assert rates[0] == 0 and rates.max() > 100
    assert np.all(np.diff(np.maximum.accumulate(rates)) >= 0)
    assert rates[-1] > rates[len(rates) // 2] > rates[len(rates) // 4]
    want = np.array([10.0, 25.0, 50.0, 75.0, 100.0])
    got = current_for(want)
    assert np.all(np.diff(got) > 0)
    np.testing.assert_allclose(np.interp(got, currents, np.maximum.accumulate(rates)), want, atol=1e-9)
    assert current_for([0.0])[0] == 0.0
    with pytest.raises(ValueError, match="does not reach"):
        current_for([5000.0])
    with pytest.raises(ValueError, match=">= 0"):
        current_for([-5.0])


def test_sweep_schedule_matches_jang_where_it_overlaps():
    params = jang2026_sweep.protocol_parameters()
    (s,) = jang2026_sweep.build_schedules(params)
    assert len(s.conditions) == 36
    assert len(s.stimuli["0-0Hz"].pre_spikes) == 0
    (ref,) = jang2026.build_schedules(jang2026.protocol_parameters(), ["low-high"])
    np.testing.assert_allclose(s.stimuli["25-50Hz"].pre_spikes, ref.stimuli["low-high"].pre_spikes)
    amps = [float(step[2] / pA)
            for step in s.stimuli["0-100Hz"].current_steps[:2]]
    assert amps[0] == 0.0 and amps[1] == pytest.approx(current_for([100.0])[0])
    assert jang2026_sweep.chl("25-50Hz") == 50 ** 2 - 25 ** 2
    assert jang2026_sweep.condition_value("50-25Hz")["chl_Hz2"] < 0
    with pytest.raises(UnknownNameError, match="known: 0-0Hz"):
        jang2026_sweep.build_schedules(params, ["30-30Hz"])


@pytest.mark.slow
def test_kinase_sweep_follows_chl():
    """The kinase rule's 6 x 6 rate sweep correlates with x+y+ - x-y- (measured r = 0.87, seed 0)."""
    from figures.jang2026_sweep import grids
    from protocols.experiment import reproduce
    model, theory, r = grids(reproduce("jang2026-sweep", model="kinase"))
    assert r > 0.75
    assert model[RATE["100"], RATE["0"]] < 0.7 < 1.3 < model[RATE["0"], RATE["100"]]


RATE = {str(r): k for k, r in enumerate(jang2026_sweep.RATES)}
