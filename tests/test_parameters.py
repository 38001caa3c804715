"""Parameters: units checked at construction, a plain file round trip, a stable hash."""
import math

import pytest
from brian2 import ms, mV, nS, Hz

from plasticity import get_model, ParameterError, UnknownNameError
from plasticity.units import parse_quantity


def test_wrong_unit_is_rejected_with_the_parameter_name():
    p = get_model("kinase").parameters
    with pytest.raises(ParameterError, match="tau_P.*unit of ms"):
        p.replace(tau_P=40 * mV)


@pytest.mark.parametrize("bad", [0 * ms, -5 * ms, float("nan") * ms])
def test_impossible_time_constant_is_rejected(bad):
    with pytest.raises(ParameterError, match="tau_D"):
        get_model("kinase").parameters.replace(tau_D=bad)


def test_unknown_parameter_and_model():
    with pytest.raises(ParameterError, match="unknown parameter"):
        get_model("kinase").parameters.replace(tau_X=1 * ms)
    with pytest.raises(UnknownNameError, match="known models: bcm, gb2012, kinase, spine, stdp"):
        get_model("bcm-not-here")


@pytest.mark.parametrize("name", ["kinase", "spine", "urakubo2008", "gb2012", "stdp", "bcm"])
def test_every_model_s_parameter_file_reads_back_bit_for_bit(tmp_path, name):
    """The spine models' rate constants carry compound units that Brian2 prints as '(uM^1)/s'
    or 'uM^-1 l^0 s^-1', which no unit expression reads: a saved file must still load, exactly
    (a fit's params.json is read back with --params)."""
    model = get_model(name)
    q = model.load_parameters(model.parameters.save(tmp_path / "p.json"))
    assert q.hash == model.parameters.hash


def test_save_load_round_trip_and_hash(tmp_path):
    model = get_model("kinase")
    p = model.parameters.replace(tau_D=80 * ms, g_ampa_max=2.5 * nS)
    path = p.save(tmp_path / "p.json")
    q = model.load_parameters(path)
    assert q.hash == p.hash
    assert q["tau_D"] == 80 * ms
    assert p.hash != model.parameters.hash
    assert model.parameters.hash == get_model("kinase").parameters.hash   # stable


def test_load_rejects_bad_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"parameters": {"tau_P": "40 mV"}}')
    with pytest.raises(ParameterError, match="tau_P"):
        get_model("kinase").load_parameters(bad)


def test_parse_quantity():
    assert parse_quantity("25 Hz") == 25 * Hz
    assert parse_quantity("40*ms") == 40 * ms
    assert parse_quantity("0.5") == 0.5
    assert math.isnan(parse_quantity("nan pA") / parse_quantity("1 pA"))
    # rate constants of higher-order reactions: negative exponents and a leading division
    from brian2 import umolar, second
    k = 1.8 / (umolar ** 3 * second)
    assert float(parse_quantity("1.8 umolar**-3/second") / k) == pytest.approx(1.0)
    assert float(parse_quantity("1.8 / (umolar**3 * second)") / k) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        parse_quantity("25 furlongs")
    with pytest.raises(ValueError):
        parse_quantity("1 umolar**-second")
