"""Comparison rules: Graupner & Brunel 2012's published sets through the toolkit neuron."""
import numpy as np
import pytest

from plasticity.models import get_model
from plasticity.rules import gb2012

DELTA_TS = [-50, -20, -10, -5, 5, 10, 20, 50]


@pytest.fixture(scope="module")
def generic_curves():
    """Every generic set of GB2012 Table S1 through the toolkit neuron: one batched run."""
    return gb2012.stdp_curves(gb2012.generic_set_names(), DELTA_TS)


def test_every_generic_set_has_the_sign_pattern_its_name_says(generic_curves):
    # Graupner & Brunel 2012 Fig. 2: DP depression then potentiation along delta_t, DPD
    # depression-potentiation-depression, P only potentiation, D only depression
    # (the primed sets are variants with the same pattern)
    for name, curve in generic_curves.items():
        assert gb2012.sign_letters(curve["analytic"]) == name.replace("_prime", ""), (name, curve)


def _exact_time_above(p, dt_s, pairs=60):
    """Time c >= theta per pair from exact exponentials (pairs 1 s apart do not interact)."""
    t = np.arange(0, 1.0, 1e-6)
    c = np.zeros_like(t)
    for t0, amp in ((0.3 + p["D_delay"], p["Cpre"]), (0.3 + dt_s, p["Cpost"])):
        on = t >= t0
        c[on] += amp * np.exp(-(t[on] - t0) / p["tau_Ca"])
    return pairs * 1e-6 * (c >= p["theta_d"]).sum(), pairs * 1e-6 * (c >= p["theta_p"]).sum()


def test_time_above_threshold_matches_exact_calcium(generic_curves):
    p = {k: float(np.asarray(v)) for k, v in gb2012.parameter_sets()["DP"].items()}
    for k, d in enumerate(DELTA_TS):
        T_d, T_p = _exact_time_above(p, d / 1e3)
        exact = gb2012.analytic_change(T_d, T_p, 60.0, p)
        run = generic_curves["DP"]
        # the Brian2 run samples the gates every 0.2 ms and its spike falls on that grid
        assert run["T_d"][k] == pytest.approx(T_d, abs=60 * 4e-4)
        assert run["analytic"][k] == pytest.approx(exact, abs=0.02)


def test_published_sets_by_name():
    model = get_model("gb2012")
    dpd = model.load_parameters("DPD")
    assert float(dpd["Cpre"]) == 0.9 and float(dpd["gamma_p"]) == 550.0
    cortex = model.load_parameters("cortical_slices")
    assert float(cortex["b"]) == pytest.approx(5.40988)
    assert set(gb2012.generic_set_names()) == {"DP", "DPD", "DPD_prime", "P", "D", "D_prime"}
    with pytest.raises(Exception, match="cannot read parameter file"):
        model.load_parameters("no-such-set")


def test_analytic_change_limits():
    p = {k: float(np.asarray(v)) for k, v in gb2012.parameter_sets()["DP"].items()}
    assert gb2012.analytic_change(0.0, 0.0, 60.0, p) == 1.0          # no calcium, no change
    assert gb2012.analytic_change(30.0, 30.0, 60.0, p) > 1.2          # long above theta_p: LTP
    assert gb2012.analytic_change(30.0, 0.0, 60.0, p) < 0.5           # only above theta_d: LTD
    with pytest.raises(ValueError):
        gb2012.analytic_change(1.0, 1.0, 0.0, p)


@pytest.mark.slow
def test_bistable_synapses_follow_the_papers_reduction():
    """The simulated synapses (noise, bistability) give the change the reduction predicts (DP set)."""
    from plasticity.units import minute
    curves = gb2012.stdp_curves(["DP"], [-20, 10], replicates=40, followup=10 * minute)["DP"]
    # 640 synapses per point: the binomial s.e. of the transition fractions is ~0.02
    np.testing.assert_allclose(curves["simulated"], curves["analytic"], atol=0.08)
