"""Named manipulations: names, scope, composition, and their effect on the kinase model."""
import numpy as np
import pytest

from plasticity import manipulations, UnknownNameError
from plasticity.models import get_model
from protocols.experiment import pharmacology


def test_manipulation_names_and_scope():
    kinase = get_model("kinase")
    with pytest.raises(UnknownNameError, match="known: apv"):
        manipulations.parse("apv,ttx")
    with pytest.raises(manipulations.ManipulationError, match="given twice"):
        manipulations.parse(["apv", "apv"])
    with pytest.raises(manipulations.ManipulationError, match="does not apply to model 'stdp'"):
        manipulations.apply(["dapk1-ko"], "stdp", get_model("stdp").parameters)
    with pytest.raises(manipulations.ManipulationError, match="applies to: kinase, spine"):
        manipulations.apply(["glun2b-no-camkii"], "urakubo2008", get_model("urakubo2008").parameters)
    # composable, order-independent scalings
    both = manipulations.apply(["apv", "glun2b-no-camkii"], "kinase", kinase.parameters)
    again = manipulations.apply(["glun2b-no-camkii", "apv"], "kinase", kinase.parameters)
    assert both.hash == again.hash
    assert float(both["k_nmda"]) == 0 and float(both["ltp_gain"]) == 0.5
    assert float(both["ltd_gain"]) == 1.0


def test_every_manipulation_hits_parameters_of_every_model_it_names():
    for m in manipulations.MANIPULATIONS.values():
        for model_name in m.applies_to():
            params = get_model(model_name).parameters
            factors = manipulations.scalings([m.name], model_name, params)
            assert factors and all(f < 1 for f in factors.values()), (m.name, model_name)
    spine = get_model("spine").parameters
    can = manipulations.scalings(["can-inhibitor"], "spine", spine)
    assert "kf_dapk1_can_psd_cat" in can and "kf_pp1_can_cyt_cat" in can
    assert not any("bind" in k for k in can)                  # binding kept, catalysis off
    # every CaMKII form's free-site binding, the gated displacement, and the sites it starts with
    mutant = manipulations.scalings(["glun2b-no-camkii"], "spine", spine)
    assert len(mutant) == 12 and {"kf_glun2b_gate_camkii", "glun2b_camkii0"} <= set(mutant)


@pytest.fixture(scope="module")
def kinase_arms():
    """Jang low-high (LTP) and high-low (LTD) on the kinase model, every arm on the same cells."""
    arms = [[], ["apv"], ["dapk1-ko"], ["can-inhibitor"], ["camkii-t286a"], ["glun2b-no-camkii"]]
    ds = pharmacology("jang2026", model="kinase", arms=arms, cells=3,
                      conditions=["low-high", "high-low"])
    w = ds.expressed_weight.where((ds.time >= 30) & (ds.time < 35)).mean("time")
    return {str(a): {str(c): w.sel(manipulation=a, condition=c).values for c in ds.condition.values}
            for a in ds.manipulation.values}


def test_apv_removes_all_plasticity(kinase_arms):
    for cond, w in kinase_arms["apv"].items():
        np.testing.assert_allclose(w, 1.0, atol=1e-9, err_msg=cond)


def test_dapk1_and_calcineurin_block_remove_ltd_and_keep_ltp(kinase_arms):
    none = kinase_arms["none"]
    assert none["high-low"].mean() < 0.85 and none["low-high"].mean() > 1.2
    for arm in ("dapk1-ko", "can-inhibitor"):
        assert kinase_arms[arm]["high-low"].min() > 0.999, arm
        np.testing.assert_allclose(kinase_arms[arm]["low-high"], none["low-high"], atol=0.1)


def test_camkii_mutants_reduce_ltp(kinase_arms):
    none = kinase_arms["none"]["low-high"]
    np.testing.assert_allclose(kinase_arms["camkii-t286a"]["low-high"], 1.0, atol=1e-9)
    half = kinase_arms["glun2b-no-camkii"]["low-high"]
    assert np.all(half > 1.05) and np.all(half < none - 0.08)


def test_an_arm_of_compiled_in_constants_reaches_the_run(monkeypatch):
    """T286A on ``spine`` changes shared (compiled-in) rate constants, so it runs on its own;
    the run must read the mutant's constants, not the wild type's (they come from the rows)."""
    import protocols.experiment as experiment

    class Captured(Exception):
        pass

    seen = []

    def capture(model, schedule, rows, **kwargs):
        seen.append((model, rows))
        raise Captured

    monkeypatch.setattr(experiment, "simulate", capture)
    spine = get_model("spine")
    factors = manipulations.scalings(["camkii-t286a"], "spine", spine.parameters)
    shared = {s.name for s in spine.specs if s.shared}
    assert set(factors) <= shared                      # the case: every change is compiled in
    with pytest.raises(Captured):
        pharmacology("hfs", model="spine", arms=[["camkii-t286a"]], cells=2, conditions=["1x"])
    model, rows = seen[0]
    for name in factors:
        assert np.all(np.asarray(rows.values[name]) == 0), name
        assert float(model.parameters[name]) == 0, name
