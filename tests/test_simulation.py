"""Whole runs: probes alone change nothing, the sweep compression is exact, the four signs.

These compile the model once (cython, cached on disk) and reuse it.
"""
import numpy as np
import pytest
from brian2 import second, pA

from plasticity import get_model
from plasticity.schedule import Schedule, Stimulus
from plasticity.simulate import simulate, rows_for, SimulationError
from protocols.experiment import reproduce
from protocols.jang2026 import regular_train


def _probe_only(minutes=12):
    n = int(minutes * 3)
    return Schedule(protocol="probes-only", stimuli={"probes": Stimulus(pre_spikes=np.zeros(0) * second)},
                    sweep_kind=("baseline",) * 15 + ("followup",) * (n - 15),
                    sweep_duration=np.full(n, 20.0) * second)


def test_probes_alone_do_not_drive_plasticity():
    """40 min of 0.05 Hz test pulses: the normalised EPSP stays at 1.0."""
    model = get_model("kinase")
    rows = rows_for(model.parameters, ["probes"], {"probes": 3})
    rows.values["sigma_noise"] = np.array([0.0, 20.0, 20.0]) * pA    # row 0 without membrane noise
    ds = simulate(model, _probe_only(40), rows, seed=3)
    kinds = ds["sweep_kind"].values
    epsp = ds["epsp"].values
    norm = epsp[:, kinds == "followup"] / epsp[:, kinds == "baseline"].mean(axis=1, keepdims=True)
    assert np.max(np.abs(norm[0] - 1.0)) < 1e-3              # noise-free: exactly flat
    assert abs(norm[1:].mean() - 1.0) < 0.08                  # with membrane noise
    assert np.all(np.abs(ds["learning_weight"].values - 0.5) < 1e-4)
    assert np.all(np.abs(ds["expressed_weight"].values - 1.0) < 2e-4)
    assert 3.0 < epsp[0].mean() < 7.0                         # ~5 mV EPSP (Jang et al methods)


def test_same_seed_same_result_and_different_seed_differs():
    model = get_model("kinase")
    rows = rows_for(model.parameters, ["probes"], {"probes": 2})
    a = simulate(model, _probe_only(6), rows, seed=5)["epsp"].values
    b = simulate(model, _probe_only(6), rows, seed=5)["epsp"].values
    c = simulate(model, _probe_only(6), rows, seed=6)["epsp"].values
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def _windows_every(period_s, n_windows, n_probes, length_s, active_s):
    """High-low windows one per sweep (real period ``period_s``), then probe sweeps."""
    kinds = ("induction",) * n_windows + ("followup",) * n_probes
    spikes, steps = [], []
    for k in range(n_windows):
        t0 = k * length_s
        spikes.append(regular_train([50.0, 25.0], [t0, t0 + 0.1, t0 + 0.2]))
        steps += [(t0 * second, (t0 + 0.1) * second, 350 * pA),
                  ((t0 + 0.1) * second, (t0 + 0.2) * second, 120 * pA)]
    stim = Stimulus(pre_spikes=np.concatenate(spikes) * second, current_steps=tuple(steps))
    return Schedule(protocol="compression-check", stimuli={"high-low": stim}, sweep_kind=kinds,
                    sweep_duration=np.full(len(kinds), period_s) * second,
                    sweep_length=length_s * second, active_length=active_s * second)


def test_compressed_quiet_tails_match_full_simulation():
    """The split is validated: 3 s sweeps run in 0.8 s (tail compressed 6.5x) vs in full."""
    model = get_model("kinase")
    params = model.parameters.replace(sigma_noise=0 * pA, tau_expr=5 * second)
    rows = rows_for(params, ["high-low"], {"high-low": 1})
    full = simulate(model.with_parameters(params), _windows_every(3.0, 4, 4, 3.0, 3.0), rows)
    fast = simulate(model.with_parameters(params), _windows_every(3.0, 4, 4, 0.8, 0.4), rows)
    w_full, w_fast = full["expressed_weight"].values, fast["expressed_weight"].values
    assert w_full[0, -1] < 0.99                              # something was learned and expressed
    np.testing.assert_allclose(w_fast, w_full, rtol=2e-3)
    np.testing.assert_allclose(fast["learning_weight"].values, full["learning_weight"].values,
                               atol=1e-4)
    np.testing.assert_allclose(fast["epsp"].values[:, 4:], full["epsp"].values[:, 4:], rtol=5e-3)


def test_compression_refuses_a_tail_that_is_not_at_rest():
    model = get_model("kinase")
    rows = rows_for(model.parameters, ["high-low"], {"high-low": 1})
    with pytest.raises(SimulationError, match="does not end at rest"):
        simulate(model, _windows_every(3.0, 2, 1, 0.25, 0.2), rows)


@pytest.fixture(scope="module")
def small_jang():
    """The default protocol on 3 cells per condition with the default parameters
    (membrane noise only, no cohort spread): the model's own signs."""
    from protocols.jang2026 import build_schedule, protocol_parameters
    model = get_model("kinase")
    schedule = build_schedule(protocol_parameters())
    rows = rows_for(model.parameters, schedule.conditions, {c: 3 for c in schedule.conditions})
    ds = simulate(model, schedule, rows, seed=1)
    follow = ds["sweep_kind"].values == "followup"
    return ds["expressed_weight"].isel(sweep=np.flatnonzero(follow)[-1]).groupby("condition").mean()


def test_rising_activity_gives_ltp(small_jang):
    assert float(small_jang.sel(condition="low-high")) > 1.2


def test_falling_activity_gives_ltd(small_jang):
    assert float(small_jang.sel(condition="high-low")) < 0.85


def test_flat_activity_gives_no_change_even_when_high(small_jang):
    for cond in ("low-low", "high-high"):
        assert abs(float(small_jang.sel(condition=cond)) - 1.0) < 0.12, cond
    assert float(small_jang.sel(condition="low-high")) > float(small_jang.sel(condition="high-high")) + 0.15
    assert float(small_jang.sel(condition="high-low")) < float(small_jang.sel(condition="low-low")) - 0.1


def test_cohort_outputs_carry_provenance():
    ds = reproduce("jang2026", seed=2, cells=2, conditions=["low-high"],
                   overrides={"n_blocks": "1", "followup": "36 minute"})
    for key in ("model", "parameter_hash", "seed", "versions", "protocol_parameters"):
        assert key in ds.attrs
    assert ds.attrs["parameter_hash"] == get_model("kinase").parameters.hash
    base = ds["normalized_epsp"].where(ds["phase"] == "baseline").mean("time")
    np.testing.assert_allclose(base.values[np.isfinite(base.values)], 1.0, rtol=1e-12)
    assert "param_eta" in ds and float(ds["param_eta"].std()) > 0      # cells differ


@pytest.mark.slow
def test_default_run_reproduces_the_paper_pattern():
    """The issue's acceptance numbers: default parameters, seed 0, the paper's n."""
    ds = reproduce("jang2026", seed=0)
    row = ds.sel(bin="30-35 min")
    m = {c: float(row.summary_mean.sel(condition=c)) for c in ds.condition.values}
    p = {c: float(row.summary_p.sel(condition=c)) for c in ds.condition.values}
    assert m["low-high"] >= 1.15 and p["low-high"] < 0.05
    assert m["high-low"] <= 0.85 and p["high-low"] < 0.05
    for flat in ("low-low", "high-high"):
        assert 0.85 <= m[flat] <= 1.15 and p[flat] > 0.05
        assert m["low-high"] - m[flat] >= 0.10
        assert m[flat] - m["high-low"] >= 0.10
    ratio = (row.summary_sem / row.paper_sem).values
    assert np.all((ratio >= 0.5) & (ratio <= 2.0))


def test_rows_set_value_changes_one_row_only():
    from plasticity.models import get_model
    from plasticity.simulate import rows_for
    from brian2 import ms
    params = get_model("kinase").parameters
    rows = rows_for(params, ["low-high"], {"low-high": 3})
    before = rows.values["tau_D"]
    rows.set_value(1, "tau_D", 80 * ms)
    assert list(rows.values["tau_D"] / ms) == [float(params["tau_D"] / ms), 80.0,
                                               float(params["tau_D"] / ms)]
    assert float(before[1] / ms) == float(params["tau_D"] / ms)     # the old array is untouched


def test_compile_flags_come_from_the_environment_when_set(monkeypatch):
    """``PLASTICITY_COMPILE_ARGS`` replaces a model's flags (the tests build at -O0); unset, the
    model's flags, else Brian2's, are used."""
    from plasticity.simulate import compile_args, COMPILE_ARGS_ENV, _BRIAN2_COMPILE_ARGS
    monkeypatch.setenv(COMPILE_ARGS_ENV, "-w  -O0")
    assert compile_args(("-O1",)) == ["-w", "-O0"]
    monkeypatch.delenv(COMPILE_ARGS_ENV)
    assert compile_args(("-O1",)) == ["-O1"]
    assert compile_args() == list(_BRIAN2_COMPILE_ARGS)
