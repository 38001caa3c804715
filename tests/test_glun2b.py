"""The Ca2+/CaM-gated GluN2B exchange: balanced reactions, its rate law, bad orders refused."""
import re

import numpy as np
import pytest
from brian2 import umolar, second

from plasticity.chemistry.molecules import glun2b, camkii
from plasticity.spine_model import reaction_network


def composition(species_id: str) -> dict:
    """What a PSD species holds: GluN2B sites, CaMKII subunits, DAPK1, CaM and Ca2+ (by its name)."""
    name = species_id.rsplit("_", 1)[0]
    out = {"site": 0, "camkii": 0, "dapk1": 0, "cam": 0, "ca": 0}
    if name == "N2B":
        return {**out, "site": 1}
    if name.startswith("N") and name != "N2B":
        out["site"] = 1
        name = name[1:]
    m = re.fullmatch(r"CaM(\d)(.*)", name)
    if m:
        out["cam"], out["ca"] = 1, int(m.group(1))
        name = m.group(2)
    elif name.startswith("CaM") and name[3:] == "D":          # CaMD: DAPK1 with a CaM3
        out["cam"], out["ca"] = 1, 3
        name = "D"
    if name in ("K", "KP"):
        out["camkii"] = 1
    elif name in ("D", "DP"):
        out["dapk1"] = 1
    elif name:
        raise ValueError(species_id)
    return out


def test_every_gated_displacement_keeps_sites_kinases_calmodulin_and_calcium():
    net = reaction_network(True)
    gated = [f for f in net.fluxes if f[0].startswith("glun2b_gate")]
    assert len(gated) == len(glun2b.ATTACKERS) + len(camkii.forms("N"))
    for label, _, coeff in gated:
        total = {k: 0.0 for k in composition("N2B_psd")}
        for sid, c in coeff.items():
            for k, v in composition(sid).items():
                total[k] += c * v
        assert all(abs(v) < 1e-15 for v in total.values()), (label, total)


def test_the_gate_is_a_power_of_free_calmodulin():
    """The CaMKII side's flux is k [ND] [A] c^n: doubling CaM3 multiplies it by 2^n."""
    net = reaction_network(True)
    state = {sid: float(v / umolar) for sid, v in net.initial_state().items()}
    state.update(ND_psd=1.0, CaM3K_psd=2.0, NCaM3K_psd=1.0, CaMD_psd=0.5)
    params = {name: net.parameter_in_file_units(name) for name in net.parameters}
    rates = {}
    for c in (0.5, 1.0):
        state["CaM3_psd"] = c
        rates[c] = {label: eval(rate, {"__builtins__": {}}, {**params, **state})
                    for label, rate, _ in net.fluxes if label.startswith("glun2b_gate")}
    k = params["kf_glun2b_gate_camkii"]
    assert rates[0.5]["glun2b_gate_camkii_CaM3K"] == pytest.approx(k * 1.0 * 2.0 * 0.5 ** glun2b.N_CAMKII,
                                                                   rel=1e-9)
    for label in rates[0.5]:
        n = glun2b.N_CAMKII if "camkii" in label else glun2b.N_DAPK1
        if rates[0.5][label]:
            assert rates[1.0][label] / rates[0.5][label] == pytest.approx(2.0 ** n, rel=1e-9), label


@pytest.mark.parametrize("kw", [dict(n_camkii=0), dict(n_dapk1=-1), dict(n_camkii=2.5)])
def test_impossible_gate_orders_are_refused(kw):
    with pytest.raises(ValueError, match="integer"):
        glun2b.table(**kw)


def test_sharing_one_rate_each_side():
    net = reaction_network(True)
    names = [k for k in net.parameters if "glun2b_gate" in k]
    assert sorted(names) == ["kf_glun2b_gate_camkii", "kf_glun2b_gate_dapk1"]
    assert np.isfinite(net.parameter_in_file_units("kf_glun2b_gate_camkii"))


def test_bound_camkii_stays_only_with_pt286_and_t286a_stops_its_autophosphorylation():
    """Bound P forms leave at SITE_OFF, bound forms without pT286 at the faster
    SITE_OFF_UNPHOSPHORYLATED unless their bound neighbours autophosphorylate them first
    (``camkiin_autobound_*``); T286A zeroes that autophosphorylation (camkii module)."""
    from plasticity import manipulations
    from plasticity.models import get_model
    net = reaction_network(True)
    off = {r.reactants[0]: r.kb for r in net.reactions if r.label.startswith("camkii_site_")}
    for name, phos, _ in camkii.forms():
        assert off[f"{name}_psd"] == (camkii.SITE_OFF if phos else camkii.SITE_OFF_UNPHOSPHORYLATED)
    auto = {c.substrate: c.product for c in net.conversions if c.label.startswith("camkiin_autobound_")}
    assert auto == {f"{n}_psd": f"{n}P_psd" for n, phos, _ in camkii.forms("N") if not phos}
    assert camkii.K_SITE_AUTO > 10 * camkii.SITE_OFF_UNPHOSPHORYLATED   # the wild type keeps them
    spine = get_model("spine")
    zeroed = manipulations.scalings(["camkii-t286a"], "spine", spine.parameters)
    bound = [k for k in spine.parameters if k.startswith("camkiin_autobound_")]
    assert len(bound) == len(auto) and all(zeroed[k] == 0 for k in bound)


def test_spine_defaults_are_the_fits_best_and_the_hand_calibration_a_named_set():
    """The four rates the fit moved are ``spine``'s defaults exactly as fits/spine/fit.json holds
    them; ``--params hand-calibrated`` is the molecule modules' values, the rest unchanged."""
    import json
    from pathlib import Path
    from plasticity.chemistry.molecules import dapk1
    from plasticity.models import get_model
    fit = json.loads((Path(__file__).parents[1] / "fits" / "spine" / "fit.json").read_text())
    spine = get_model("spine")
    defaults, hand = spine.parameters, spine.load_parameters("hand-calibrated")
    assert set(fit["best"]) == {"kf_glun2b_gate_camkii", "kf_glun2b_gate_dapk1",
                                "kf_dapk1_can_psd_cat", "kf_dapk1_auto_psd"}
    for name, value in fit["best"].items():
        unit = spine.chemistry.parameter_unit(name)
        assert float(defaults[name] / unit) == pytest.approx(value, rel=1e-12), name
    assert hand["kf_glun2b_gate_camkii"] == glun2b.K_CAMKII
    assert hand["kf_glun2b_gate_dapk1"] == glun2b.K_DAPK1
    assert hand["kf_dapk1_auto_psd"] == dapk1.K_AUTO
    assert hand["kf_dapk1_can_psd_cat"] == dapk1.CAN["kcat"]
    changed = [k for k in defaults if not np.all(np.asarray(defaults[k] == hand[k]))]
    assert sorted(changed) == sorted(fit["best"])
    # calcineurin's binding to S308 keeps the hand kcat's rates (the fit moved only kcat)
    assert defaults["kb_dapk1_can_psd_bind"] == 4 * dapk1.CAN["kcat"]


def test_a_network_s_rates_change_by_name_and_unit_only():
    from plasticity.chemistry.molecules import dapk1
    net = reaction_network(True, fitted=False)
    new = net.with_parameters({"kf_dapk1_auto_psd": 0.01 / second})
    assert new.parameters["kf_dapk1_auto_psd"] == 0.01 / second
    assert net.parameters["kf_dapk1_auto_psd"] == dapk1.K_AUTO      # the original unchanged
    assert new.fluxes == net.fluxes
    from plasticity.chemistry.network import ChemistryError
    with pytest.raises(ChemistryError, match="unknown rate constants"):
        net.with_parameters({"kf_no_such": 1 / second})
    with pytest.raises(ChemistryError, match="kf_dapk1_auto_psd"):
        net.with_parameters({"kf_dapk1_auto_psd": 1 * umolar})
