"""The kinase cascade integrates to its closed-form impulse response, equal taus included."""
import numpy as np
import pytest
from brian2 import NeuronGroup, StateMonitor, Network, ms

from plasticity import get_model
from plasticity.kinase import KINASE_EQUATIONS, cascade_impulse_response
from plasticity.simulate import DEFAULT_DT

CASCADE = "\n".join(line for line in KINASE_EQUATIONS.splitlines()
                    if line.strip().startswith(("dCaM", "dCaP", "dCaD")))


def _integrate(tau_M, tau_P, tau_D, duration=300 * ms, dt=DEFAULT_DT):
    model = get_model("kinase")
    group = NeuronGroup(1, CASCADE + "\nca = 0 : 1", method=model.method, dt=dt,
                        namespace={"tau_M": tau_M, "tau_P": tau_P, "tau_D": tau_D})
    group.CaM = 1.0
    mon = StateMonitor(group, ["CaM", "CaP", "CaD"], record=0, dt=dt)
    Network(group, mon).run(duration)
    t = np.asarray(mon.t / ms)
    return t, mon.CaM[0], mon.CaP[0], mon.CaD[0]


TAUS = [(2, 40, 40), (40, 40, 40), (2, 30, 50), (5, 40, 5)]


@pytest.mark.parametrize("taus", TAUS)
def test_cascade_at_model_dt_is_within_its_error_bound(taus):
    """At the runner's dt (forward Euler, 0.2 ms): CaM and CaP within 3 % of their
    peak, CaD within 1.5 %."""
    t, cam, cap, cad = _integrate(*(x * ms for x in taus))
    ref = cascade_impulse_response(t, *taus)
    for got, want, tol in zip((cam, cap, cad), ref, (0.03, 0.03, 0.015)):
        assert np.max(np.abs(got - want)) < tol * np.max(np.abs(want))


@pytest.mark.parametrize("taus", TAUS)
def test_cascade_converges_to_closed_form(taus):
    """At 10 us the same equations match the closed form to 0.15 % (first order)."""
    t, cam, cap, cad = _integrate(*(x * ms for x in taus), duration=150 * ms, dt=0.01 * ms)
    ref = cascade_impulse_response(t, *taus)
    for got, want in zip((cam, cap, cad), ref):
        assert np.max(np.abs(got - want)) < 1.5e-3 * np.max(np.abs(want))


def test_closed_form_equal_taus_is_gamma_kernel():
    t = np.linspace(0, 200, 101)
    cam, cap, cad = cascade_impulse_response(t, 40.0, 40.0, 40.0)
    np.testing.assert_allclose(cap, (t / 40) * np.exp(-t / 40), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(cad, (t / 40) ** 2 / 2 * np.exp(-t / 40), rtol=1e-10, atol=1e-14)


def test_closed_form_distinct_taus_two_stage():
    t = np.linspace(0, 100, 51)
    _, cap, _ = cascade_impulse_response(t, 2.0, 40.0, 40.0)
    want = 2.0 / (2.0 - 40.0) * (np.exp(-t / 2.0) - np.exp(-t / 40.0))
    np.testing.assert_allclose(cap, want, rtol=1e-10, atol=1e-14)


def test_cascade_is_a_temporal_derivative():
    """A step up gives CaP > CaD, a step down CaP < CaD (fast minus slow)."""
    t, _, cap, cad = _integrate(2 * ms, 40 * ms, 40 * ms, duration=100 * ms)
    # impulse response: CaP leads CaD early, trails it later
    assert cap[np.searchsorted(t, 20)] > cad[np.searchsorted(t, 20)]
    assert cap[np.searchsorted(t, 99)] < cad[np.searchsorted(t, 99)]
