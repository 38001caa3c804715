"""The reaction-network compiler: equations, conservation laws, SBML, bad input."""
import numpy as np
import pytest
from brian2 import NeuronGroup, StateMonitor, Network, ms, second, umolar, metre

from plasticity.chemistry import (Compartment, Species, Reaction, Enzyme, Diffusion, Observable,
                                  Conversion,
                                  ReactionNetwork, ChemistryError)
from plasticity.chemistry.network import fl
from plasticity.chemistry.sbml import to_sbml, read_sbml_summary

per_uM_s = 1 / (umolar * second)


def toy():
    """A + B <-> C, kf 2 /(uM s), kb 1 /s, A0 = 3 uM, B0 = 2 uM (equilibrium C = 1.5 uM)."""
    return ReactionNetwork(
        compartments=[Compartment("psd", 1 * fl)],
        species=[Species("A", "psd", 3 * umolar), Species("B", "psd", 2 * umolar), Species("C", "psd")],
        reactions=[Reaction("bind", ("A_psd", "B_psd"), ("C_psd",), 2 * per_uM_s, 1 / second)])


def two_compartments():
    """One molecule in a 4 fl cytosol and a 1 fl PSD, exchanged by diffusion, plus an enzyme."""
    P = 3e-16 * metre ** 3 / second
    return ReactionNetwork(
        compartments=[Compartment("cyt", 4 * fl), Compartment("psd", 1 * fl)],
        species=[Species("X", "cyt", 5 * umolar), Species("X", "psd"), Species("E", "psd", 1 * umolar),
                 Species("Y", "psd")],
        enzymes=[Enzyme("conv", "E_psd", "X_psd", "Y_psd", kcat=2 / second, Km=3 * umolar)],
        diffusions=[Diffusion("dX", "X_cyt", "X_psd", P, P)])


def run(net, duration, dt=0.05 * ms):
    g = NeuronGroup(1, net.equations(), method="rk4", dt=dt, namespace=net.parameters)
    for sid, c0 in net.initial_state().items():
        setattr(g, sid, c0)
    mon = StateMonitor(g, net.species_ids, record=0, dt=10 * ms)
    Network(g, mon).run(duration)
    return {sid: np.asarray(getattr(mon, sid)[0] / umolar) for sid in net.species_ids}, \
        np.asarray(mon.t / second)


def test_toy_reaches_its_analytic_equilibrium_and_conserves():
    traj, _ = run(toy(), 5 * second, dt=0.1 * ms)
    # kf (A0 - C)(B0 - C) = kb C  ->  2 C^2 - 11 C + 12 = 0  ->  C = 1.5 uM
    assert abs(traj["C_psd"][-1] - 1.5) < 1e-6
    np.testing.assert_allclose(traj["A_psd"] + traj["C_psd"], 3.0, rtol=1e-10)
    np.testing.assert_allclose(traj["B_psd"] + traj["C_psd"], 2.0, rtol=1e-10)


def test_toy_conservation_laws_from_the_left_null_space():
    laws = toy().conservation_laws()
    assert sorted(map(lambda d: sorted(d.items()), laws)) == sorted([
        sorted({"A_psd": 1.0, "C_psd": 1.0}.items()), sorted({"B_psd": 1.0, "C_psd": 1.0}.items())])
    ids, _, N = toy().stoichiometry()
    for law in laws:
        w = np.array([law.get(s, 0.0) for s in ids])
        assert np.allclose(w @ N, 0)


def test_two_compartment_laws_weigh_by_volume_and_hold_in_a_run():
    net = two_compartments()
    laws = net.conservation_laws()
    assert len(laws) == 2                                   # enzyme total; X + complex + Y amount
    molecule = next(l for l in laws if "X_cyt" in l)
    assert molecule["X_psd"] / molecule["X_cyt"] == pytest.approx(0.25)   # 1 fl vs 4 fl
    traj, _ = run(net, 2 * second)
    for law in laws:
        total = sum(w * traj[s] for s, w in law.items())
        np.testing.assert_allclose(total, total[0], rtol=1e-9)
    assert traj["Y_psd"][-1] > 1.0                            # the enzyme made product


def fast_pump():
    """Ca with a 2e4 /s pump and a leak holding it at 0.05 uM, binding a buffer B (kf 10, kb 5)."""
    return ReactionNetwork(
        compartments=[Compartment("psd", 1 * fl)],
        species=[Species("Ca", "psd", 2 * umolar), Species("B", "psd", 4 * umolar),
                 Species("CaB", "psd")],
        reactions=[Reaction("leak", (), ("Ca_psd",), 1000 * umolar / second),
                   Reaction("pump", ("Ca_psd",), (), 2e4 / second),
                   Reaction("bind", ("Ca_psd", "B_psd"), ("CaB_psd",), 10 * per_uM_s, 5 / second)])


def euler_run(net, duration, dt, implicit=()):
    g = NeuronGroup(1, net.euler_equations(), dt=dt, namespace={})
    for sid, c0 in net.initial_state().items():
        setattr(g, sid, c0)
    g.run_regularly(net.euler_code(1, net.parameters, implicit=implicit), dt=dt)
    Network(g).run(duration)
    return {sid: float(getattr(g, sid)[0] / umolar) for sid in net.species_ids}


def test_diagonal_jacobian_is_the_derivative_of_the_species_own_rate():
    net = fast_pump()
    expr = net.diagonal_jacobian("Ca_psd")
    value = eval(expr, {}, {"B_psd": 4e-3, "kf_pump": 2e4, "kf_bind": 10 * 1e3, "kf_leak": 1.0})
    assert value == pytest.approx(-(2e4 + 10e3 * 4e-3))          # SI: kf_bind in m^3/(mol s)
    with pytest.raises(ChemistryError, match="unknown species"):
        net.euler_code(1, net.parameters, implicit=["Nope_psd"])


def test_implicit_calcium_is_stable_beyond_the_explicit_limit_and_conserves_the_buffer():
    """dt 0.2 ms x 2e4 /s = 4: explicit Euler blows up; the linearly implicit step
    reaches the analytic steady state and keeps B + CaB to round-off."""
    net = fast_pump()
    exp = euler_run(net, 50 * ms, 0.2 * ms)
    assert not np.isfinite(exp["Ca_psd"]) or abs(exp["Ca_psd"]) > 1e3
    imp = euler_run(net, 5 * second, 0.2 * ms, implicit=["Ca_psd"])
    assert imp["Ca_psd"] == pytest.approx(0.05, rel=1e-6)
    # steady state of the buffer: CaB / B = kf Ca / kb = 10 x 0.05 / 5
    assert imp["CaB_psd"] / imp["B_psd"] == pytest.approx(0.1, rel=1e-6)
    assert imp["B_psd"] + imp["CaB_psd"] == pytest.approx(4.0, rel=1e-12)


def test_sbml_round_trip(tmp_path):
    net = two_compartments()
    text = to_sbml(net)
    back = read_sbml_summary(text)
    assert set(back["species"]) == set(net.species_ids)
    assert back["species"]["X_cyt"] == pytest.approx(5.0)
    assert back["compartments"]["cyt"] == pytest.approx(4e-15)
    for name in net.parameters:
        assert back["parameters"][name] == pytest.approx(net.parameter_in_file_units(name))
    assert set(back["reactions"]) == {label for label, _, _ in net.fluxes}


def test_libroadrunner_integrates_the_same_network():
    roadrunner = pytest.importorskip("roadrunner")
    net = two_compartments()
    traj, t = run(net, 1 * second)
    rr = roadrunner.RoadRunner(to_sbml(net))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-14
    res = rr.simulate(0, float(t[-1]), len(t), ["time"] + [f"[{s}]" for s in net.species_ids])
    for k, sid in enumerate(net.species_ids):
        np.testing.assert_allclose(traj[sid], res[:, k + 1], rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("make,needle", [
    (lambda: Reaction("r", ("A_psd",), ("C_psd",), -1 / second), "must be >= 0"),
    (lambda: Reaction("r", ("A_psd", "Q_psd"), ("C_psd",), 1 * per_uM_s), "unknown species 'Q_psd'"),
    (lambda: Reaction("r", ("A_psd", "B_psd"), ("C_psd",), 1 / second), "1/\\(umolar\\*second\\)"),
])
def test_bad_reactions_are_refused(make, needle):
    with pytest.raises(ChemistryError, match=needle):
        ReactionNetwork(compartments=[Compartment("psd", 1 * fl)],
                        species=[Species("A", "psd"), Species("B", "psd"), Species("C", "psd")],
                        reactions=[make()])


def test_bad_species_and_compartments_are_refused():
    with pytest.raises(ChemistryError, match="initial concentration.*>= 0"):
        Species("A", "psd", -1 * umolar)
    with pytest.raises(ChemistryError, match="umolar"):
        Species("A", "psd", 1 * second)
    with pytest.raises(ChemistryError, match="one compartment"):
        ReactionNetwork(compartments=[Compartment("psd", 1 * fl), Compartment("cyt", 4 * fl)],
                        species=[Species("A", "psd"), Species("A", "cyt")],
                        reactions=[Reaction("r", ("A_psd",), ("A_cyt",), 1 / second)])


def switch():
    """A -> B at a rate that is an expression of the species (a threshold like CaMKII's)."""
    return ReactionNetwork(
        compartments=[Compartment("psd", 1 * fl)],
        species=[Species("A", "psd", 3 * umolar), Species("B", "psd", 1 * umolar)],
        reactions=[Reaction("back", ("B_psd",), ("A_psd",), 0.05 / second)],
        observables=[Observable("frac", "B_psd / (A_psd + B_psd)")],
        conversions=[Conversion("auto", "A_psd", "B_psd", "k * 0.5*((frac - 0.2) + abs(frac - 0.2))",
                                {"k": 2 / second})])


def test_conversion_rate_is_the_expression_and_conserves():
    net = switch()
    assert net.conservation_laws() == [{"A_psd": 1.0, "B_psd": 1.0}]
    traj, _ = run(net, 2 * second, dt=0.1 * ms)
    np.testing.assert_allclose(traj["A_psd"] + traj["B_psd"], 4.0, rtol=1e-12)
    # frac starts at 0.25: rate 2 * 0.05 = 0.1 /s on A (3 uM) against 0.05 /s back on B (1 uM)
    assert traj["B_psd"][1] > traj["B_psd"][0]
    # fixed point: 2 (f - 0.2) (1 - f) = 0.05 f  ->  f = 0.9596 (the upper, stable root)
    f = traj["B_psd"][-1] / 4.0
    assert 0.5 < f <= 0.97


def test_conversion_agrees_with_libroadrunner():
    roadrunner = pytest.importorskip("roadrunner")
    net = switch()
    traj, t = run(net, 1 * second)
    rr = roadrunner.RoadRunner(to_sbml(net))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-14
    res = rr.simulate(0, float(t[-1]), len(t), ["time", "[A_psd]", "[B_psd]"])
    np.testing.assert_allclose(traj["B_psd"], res[:, 2], rtol=1e-6)


@pytest.mark.parametrize("rate,params,needle", [
    ("k * A_psd", {"k": 1 / second}, "must be in 1/second"),
    ("k * Q_psd", {"k": 1 / second}, "unknown name 'Q_psd'"),
    ("k + A_psd", {"k": 1 / second}, "units do not match"),
    ("k", {"k": -1 / second}, "finite and >= 0"),
])
def test_bad_conversions_are_refused(rate, params, needle):
    with pytest.raises(ChemistryError, match=needle):
        ReactionNetwork(compartments=[Compartment("psd", 1 * fl)],
                        species=[Species("A", "psd"), Species("B", "psd")],
                        conversions=[Conversion("c", "A_psd", "B_psd", rate, params)])


def test_sbml_keeps_an_enzyme_on_both_sides_and_stoichiometry_two():
    """S + E -> P + E (E a modifier) and 2 A -> D survive the export (libroadrunner agrees)."""
    roadrunner = pytest.importorskip("roadrunner")
    net = ReactionNetwork(
        compartments=[Compartment("psd", 1 * fl)],
        species=[Species("S", "psd", 2 * umolar), Species("E", "psd", 0.5 * umolar),
                 Species("P", "psd"), Species("A", "psd", 1 * umolar), Species("D", "psd")],
        reactions=[Reaction("cat", ("S_psd", "E_psd"), ("P_psd", "E_psd"), 1 * per_uM_s),
                   Reaction("dim", ("A_psd", "A_psd"), ("D_psd",), 2 * per_uM_s)])
    traj, t = run(net, 1 * second)
    rr = roadrunner.RoadRunner(to_sbml(net))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-14
    res = rr.simulate(0, float(t[-1]), len(t), ["time", "[E_psd]", "[P_psd]", "[A_psd]", "[D_psd]"])
    np.testing.assert_allclose(res[:, 1], 0.5, rtol=1e-9)                 # E is not made or used
    np.testing.assert_allclose(traj["P_psd"], res[:, 2], rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(traj["A_psd"], res[:, 3], rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(traj["A_psd"] + 2 * traj["D_psd"], 1.0, rtol=1e-9)


def gated():
    """X + 3 G -> Y + 2 G and Z + 3 G -> Y + 2 G at one shared rate 0.5 /(uM^3 s): G gates
    (a power of 3 in the law) and is used once."""
    k = 0.5 / (umolar ** 3 * second)
    g = ("G_psd",) * 3
    return ReactionNetwork(
        compartments=[Compartment("psd", 1 * fl)],
        species=[Species("X", "psd", 1 * umolar), Species("Z", "psd", 0.5 * umolar),
                 Species("G", "psd", 2 * umolar), Species("Y", "psd")],
        reactions=[Reaction("gx", ("X_psd",) + g, ("Y_psd",) + g[1:], k, rates="gate"),
                   Reaction("gz", ("Z_psd",) + g, ("Y_psd",) + g[1:], k, rates="gate")])


def test_gated_reactions_share_one_rate_and_follow_their_power_law():
    roadrunner = pytest.importorskip("roadrunner")
    net = gated()
    assert [k for k in net.parameters] == ["kf_gate"]
    ids, _, N = net.stoichiometry()
    assert N[ids.index("G_psd")].tolist() == [-1.0, -1.0]          # exact net stoichiometry
    traj, t = run(net, 2 * second)
    # G - Y and X + Z + Y are conserved; X/Z = 2 throughout (same law, same rate)
    np.testing.assert_allclose(traj["G_psd"] + traj["Y_psd"], 2.0, rtol=1e-10)
    np.testing.assert_allclose(traj["X_psd"] + traj["Z_psd"] + traj["Y_psd"], 1.5, rtol=1e-10)
    np.testing.assert_allclose(traj["X_psd"], 2 * traj["Z_psd"], rtol=1e-9)
    assert traj["Y_psd"][-1] > 0.5
    # the initial rate is k X G^3 = 0.5 * 1 * 8 = 4 uM/s for X
    rr = roadrunner.RoadRunner(to_sbml(net))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-14
    res = rr.simulate(0, float(t[-1]), len(t), ["time", "[X_psd]", "[G_psd]"])
    np.testing.assert_allclose(traj["X_psd"], res[:, 1], rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(traj["G_psd"], res[:, 2], rtol=1e-5, atol=1e-9)
    rr.reset()
    assert rr.simulate(0, 1e-4, 2, ["[X_psd]"])[-1, 0] == pytest.approx(1 - 4e-4, rel=1e-3)


@pytest.mark.parametrize("kz,needle", [
    (0.6 / (umolar ** 3 * second), "shared rate constant 'kf_gate'.*must agree"),
    (0.5 / (umolar ** 2 * second), "umolar\\^-3/second"),
])
def test_shared_rates_must_agree(kz, needle):
    net = gated()
    bad = Reaction("gz", ("Z_psd",) + ("G_psd",) * 3, ("Y_psd", "G_psd", "G_psd"), kz, rates="gate")
    with pytest.raises(ChemistryError, match=needle):
        ReactionNetwork(net.compartments, net.species, [net.reactions[0], bad])


def steep(bounded):
    """X + 3 C -> Y + 3 C (C a catalyst at 4 uM): k X C^3 = 5e3 /s x X, beyond the explicit
    limit of a 1 ms step (h k = 5)."""
    c = ("C_psd",) * 3
    return ReactionNetwork(
        compartments=[Compartment("psd", 1 * fl)],
        species=[Species("X", "psd", 1 * umolar), Species("Y", "psd"), Species("C", "psd", 4 * umolar)],
        reactions=[Reaction("steep", ("X_psd",) + c, ("Y_psd",) + c, 78.125 / (umolar ** 3 * second),
                            bounded=bounded)])


def test_a_bounded_reaction_never_takes_more_than_there_is_and_conserves():
    """Explicit Euler at h k = 5 overshoots X below zero and diverges; the bounded flux is the
    exact first-order decay over each step (X = exp(-k t) at the sampling steps), X + Y stays 1."""
    free = euler_run(steep(False), 3 * ms, 1 * ms)
    assert free["X_psd"] < -1                                 # (1 - 5)^3 = -64
    for duration, expected in ((1 * ms, np.exp(-5)), (3 * ms, np.exp(-15))):
        out = euler_run(steep(True), duration, 1 * ms)
        assert out["X_psd"] == pytest.approx(expected, rel=1e-9)
        assert out["X_psd"] + out["Y_psd"] == pytest.approx(1.0, rel=1e-12)
    # the rate law itself (stiff solver, SBML) is unchanged
    assert steep(True).parameters == steep(False).parameters
    with pytest.raises(ChemistryError, match="only an irreversible reaction"):
        ReactionNetwork([Compartment("psd", 1 * fl)], [Species("X", "psd"), Species("Y", "psd")],
                        [Reaction("r", ("X_psd",), ("Y_psd",), 1 / second, 1 / second, bounded=True)])
