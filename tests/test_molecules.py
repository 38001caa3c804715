"""First molecule tables (Ca2+, calmodulin, calcineurin): conservation and an independent engine."""
import numpy as np
import pytest
from brian2 import NeuronGroup, StateMonitor, Network, TimedArray, ms, us, second, umolar

from plasticity.chemistry.molecules import calcium, calmodulin, calcineurin
from plasticity.chemistry.sbml import to_sbml
from plasticity.chemistry.table import V_CYT, V_PSD
from plasticity.chemistry.network import fl


def _run(net, duration, influx=None, dt=10 * us):
    ns = dict(net.parameters)
    pulse = influx if influx is not None else TimedArray([0.0] * umolar / second, dt=1 * ms)
    ns.update(pulse=pulse)
    extra = "J_ca_psd = pulse(t) : mmolar/second\nJ_ca_cyt = 0*mmolar/second : mmolar/second\n"
    g = NeuronGroup(1, net.equations() + (extra if net.inputs else ""), method="rk4", dt=dt,
                    namespace=ns)
    for sid, c0 in net.initial_state().items():
        setattr(g, sid, c0)
    mon = StateMonitor(g, net.species_ids, record=0, dt=1 * ms)
    Network(g, mon).run(duration)
    return {s: np.asarray(getattr(mon, s)[0] / umolar) for s in net.species_ids}


def test_calmodulin_and_calcineurin_totals_are_found_and_conserved():
    net = (calcium.table(influx=False) + calmodulin.table() + calcineurin.table()).network()
    laws = net.conservation_laws()
    cam_law = next(l for l in laws if "CaM0_cyt" in l)
    can_law = next(l for l in laws if "CaN0_psd" in l)
    # total CaM counts CaN-bound CaM; compartments weigh by volume (0.08 vs 0.02 fl)
    assert "CaN2CaM_psd" in cam_law and cam_law["CaM0_psd"] / cam_law["CaM0_cyt"] == pytest.approx(0.25)
    assert not any("Ca_" in s for s in can_law)                 # free Ca2+ is pumped: not conserved
    traj = _run(net, 300 * ms)
    for law in (cam_law, can_law):
        total = sum(w * traj[s] for s, w in law.items())
        np.testing.assert_allclose(total, total[0], rtol=1e-9)
    cam_total = sum(traj[f"CaM{i}_cyt"][-1] * float(V_CYT / fl) + traj[f"CaM{i}_psd"][-1] * float(V_PSD / fl)
                    for i in range(4))
    bound = sum(traj[f"CaN{j}CaM_{c}"][-1] * float(v / fl) for j in range(3)
                for c, v in (("cyt", V_CYT), ("psd", V_PSD)))
    assert cam_total + bound == pytest.approx(80 * 0.1, rel=1e-6)      # 80 uM in 0.1 fl


def test_a_calcium_pulse_activates_calmodulin_and_then_relaxes():
    net = (calcium.table() + calmodulin.table()).network()
    pulse = TimedArray(np.r_[np.full(2, 2e5), np.zeros(400)] * umolar / second, dt=1 * ms)
    traj = _run(net, 300 * ms, influx=pulse)
    assert traj["Ca_psd"].max() > 1.0                         # micromolar transient in the PSD
    peak = traj["CaM3_psd"].max()
    assert peak > 100 * traj["CaM3_psd"][0] + 1e-6             # CaM3 is activated
    assert traj["CaM3_psd"][-1] < 0.2 * peak                    # and decays back
    assert abs(traj["Ca_psd"][-1] - 0.05) < 0.02


def test_calmodulin_network_agrees_with_libroadrunner():
    roadrunner = pytest.importorskip("roadrunner")
    net = (calcium.table(influx=False) + calmodulin.table()).network()
    net_species = net.species_ids
    ours = _run(net, 200 * ms)
    rr = roadrunner.RoadRunner(to_sbml(net))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-14
    n = len(ours[net_species[0]])
    res = rr.simulate(0, 0.001 * (n - 1), n, ["time"] + [f"[{s}]" for s in net_species])
    for k, sid in enumerate(net_species):
        scale = max(np.abs(res[:, k + 1]).max(), 1e-6)
        assert np.max(np.abs(ours[sid] - res[:, k + 1])) < 1e-4 * scale, sid
