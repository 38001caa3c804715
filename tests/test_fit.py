"""Fitting (protocols/fit.py, `plasticity fit`): objective, recovery of known parameters, resume, bad input."""
import json
import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

from protocols import sweep
from protocols.fit import (FitError, evaluate_points, fit_definition, objective, run_fit,
                           to_physical, to_unit)

#: one block of 10 Jang windows on the kinase model, 3 cells, a test pulse a minute, no membrane
#: noise (its draws depend on a row's place in the run, so with it a candidate's objective would
#: depend on its batch; the cells' factors and the recording drift are the same for every candidate)
SHORT = {"n_blocks": "1", "n_windows": "10", "probe_interval": "60s", "sigma_noise": "0*pA"}
CELLS = 3


def _synthetic(eta, sem=None):
    """Targets made by the model itself at ``eta``: [(condition, bin, mean, sem)]."""
    ev = evaluate_points("jang2026", "kinase", [{"eta": eta}], cells=CELLS, overrides=SHORT)
    rows = []
    for c in ev.condition.values:
        for b in ev.bin.values:
            cells = ev.cell_bin_mean.sel(point=0, condition=c, bin=b).values
            s = sem if sem is not None else cells.std(ddof=1) / np.sqrt(cells.size)
            rows.append((str(c), str(b), float(ev.summary_mean.sel(point=0, condition=c, bin=b)),
                         float(s)))
    return ev, rows


def _run_of(protocol, conditions, v) -> xr.Dataset:
    """A stand-in for one run's read-outs: ``v`` (point, condition) on every bin of
    ``protocol``, the same on 2 cells."""
    from protocols import get_protocol
    bins = list(get_protocol(protocol).BINS)
    v = np.asarray(v, float)[:, :, None] * np.ones((1, 1, len(bins)))
    sm = xr.DataArray(v, dims=("point", "condition", "bin"),
                      coords={"condition": list(conditions), "bin": bins})
    cells = sm.expand_dims(cell=[0, 1]).transpose("point", "condition", "cell", "bin")
    return xr.Dataset({"summary_mean": sm, "cell_bin_mean": cells})


def test_objective_is_zero_on_data_the_model_made_and_positive_elsewhere():
    ev, rows = _synthetic(2.0, sem=0.05)
    assert objective(ev.summary_mean, rows)[0] == 0.0
    other = evaluate_points("jang2026", "kinase", [{"eta": 1.0}], cells=CELLS, overrides=SHORT)
    assert objective(other.summary_mean, rows)[0] > 1.0


def test_search_space_maps_both_ways():
    bounds = {"eta": (0.5, 4.0), "E_L": (-80.0, -60.0)}
    free = ("eta", "E_L")
    values = to_physical([0.5, 0.25], bounds, free)
    assert values["eta"] == pytest.approx(np.sqrt(0.5 * 4.0))          # log scale
    assert values["E_L"] == pytest.approx(-75.0)                       # linear
    assert np.allclose(to_unit(values, bounds, free), [0.5, 0.25])


@pytest.mark.slow
def test_a_short_fit_recovers_a_known_parameter_and_resumes_to_the_same_fit(tmp_path):
    """32 kinase cohorts (~2 min with the tests' unoptimised builds): the heaviest default test,
    so it runs with ``-m slow`` (CI runs both)."""
    _, rows = _synthetic(2.0)
    kw = dict(bounds="eta=0.5:4", popsize=4, cells=CELLS, overrides=SHORT, batch_size=4,
              custom_targets={"jang2026": rows})
    definition = fit_definition("kinase", "jang2026", "eta", **kw)
    whole = run_fit(definition, tmp_path / "whole", budget=16, workers=1, n_boot=100)
    assert abs(whole["best"]["eta"] - 2.0) < 0.3, whole
    lo, hi = whole["interval95"]["eta"]
    assert lo <= 2.0 <= hi, whole
    for name in ("params.json", "fit.nc", "fit.json", "fit.png"):
        assert (tmp_path / "whole" / name).exists()
    at_best, lowest = whole["targets_at_best"], whole["targets_lowest"]
    assert set(at_best) == set(lowest) and all(lowest[k] <= at_best[k] for k in at_best)
    from plasticity.models import get_model
    start = float(get_model("kinase").parameters["eta"])
    assert whole["start"]["values"]["eta"] == pytest.approx(start)     # scored as it is
    assert whole["start"]["objective"] >= whole["objective"] and "defaults" not in whole
    saved = json.loads((tmp_path / "whole" / "params.json").read_text())
    assert "eta" in json.dumps(saved)

    # interrupted after two generations, then resumed to four: the same path
    part = tmp_path / "part"
    run_fit(definition, part, budget=8, workers=1, n_boot=10)
    assert len(list((part / "generations").glob("gen-*.nc"))) == 2
    resumed = run_fit(definition, part, budget=16, workers=1, n_boot=100)
    with xr.open_dataset(tmp_path / "whole" / "fit.nc") as a, xr.open_dataset(part / "fit.nc") as b:
        assert np.array_equal(a.value.values, b.value.values)
        assert np.array_equal(a.objective.values, b.objective.values)
    assert resumed["best"] == whole["best"]

    other = fit_definition("kinase", "jang2026", "eta", **{**kw, "popsize": 5})
    with pytest.raises(FitError, match="holds a different fit"):
        run_fit(other, part, budget=10, workers=1)


def test_fit_bad_input_is_refused(tmp_path, monkeypatch):
    cases = [(dict(data="nope"), "nope"),
             (dict(data="stdp"), "no published means"),
             (dict(data=""), "--data is empty"),
             (dict(free="nope"), "matches no parameter"),
             (dict(free="zzz*"), "matches no parameter"),
             (dict(free=""), "--free is empty"),
             (dict(bounds="eta=3:1"), "LO must be below HI"),
             (dict(bounds="tau_P=1:2"), "not a free parameter")]
    for change, message in cases:
        args = {"data": "jang2026", "free": "eta", **change}
        data, free = args.pop("data"), args.pop("free")
        with pytest.raises(FitError, match=message):
            fit_definition("kinase", data, free, **args)
    definition = fit_definition("kinase", "jang2026", "eta", popsize=4, cells=2, overrides=SHORT)
    with pytest.raises(FitError, match="budget"):
        run_fit(definition, tmp_path / "small", budget=2, workers=1)
    monkeypatch.setattr(sweep, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(sweep.SweepError, match="cannot reach the dask scheduler"):
        run_fit(definition, tmp_path / "nowhere", budget=4, scheduler="tcp://127.0.0.1:1")


def test_cli_fit_bad_input_is_one_line(tmp_path, error_lines):
    for args, message in [(["--data", "nope", "--free", "eta"], "nope"),
                          (["--data", "jang2026", "--free", "zzz*"], "matches no parameter"),
                          (["--data", "jang2026", "--free", "eta", "--bounds", "eta=3:1"],
                           "LO must be below HI")]:
        r = subprocess.run([sys.executable, "-m", "plasticity.cli", "fit", "--out",
                            str(tmp_path / "x"), *args], capture_output=True, text=True)
        assert r.returncode == 2, r.stderr
        lines = error_lines(r.stderr)
        assert len(lines) == 1 and message in lines[0], r.stderr


def test_qualitative_penalties_score_the_shape_and_the_signs():
    from protocols.fit import freq_shape_penalty, pharmacology_penalty, SHAPE_SCALE
    conds = ["0.5Hz", "1Hz", "3Hz", "5Hz", "10Hz", "20Hz", "50Hz", "100Hz"]
    good = [0.8, 0.75, 0.9, 0.95, 1.0, 1.05, 1.2, 1.3]
    bad = [0.8, 1.0 + 2 * SHAPE_SCALE, 0.9, 0.95, 1.0, 1.05, 1.2, 1.3]    # no LTD at 1 Hz
    m = xr.DataArray(np.array([good, bad])[:, :, None], dims=("point", "condition", "bin"),
                     coords={"condition": conds, "bin": ["55-60 min"]})
    pen = freq_shape_penalty(m, "55-60 min")
    assert pen[0] == 0.0 and pen[1] == pytest.approx(4.0)
    from protocols.fit import SIGNS, sign_penalty
    label, rules = SIGNS["hfs"]                         # HFS's LTP still there at 55-60 min
    h = xr.DataArray(np.array([[1.1], [1.0 - 2 * SHAPE_SCALE]])[:, :, None],
                     dims=("point", "condition", "bin"),
                     coords={"condition": ["1x"], "bin": ["55-60 min"]})
    assert list(sign_penalty(h, "55-60 min", rules)) == pytest.approx([0.0, 4.0])

    untreated = {("", "hfs", "1x"): np.array([1.3, 1.3]), ("", "lfs", "lfs"): np.array([0.75, 0.75])}
    right = {("apv", "hfs", "1x"): np.array([1.0, 1.2]), ("apv", "lfs", "lfs"): np.array([1.0, 1.0]),
             ("dapk1-ko", "lfs", "lfs"): np.array([1.0, 0.75]),
             ("dapk1-ko", "hfs", "1x"): np.array([1.3, 1.3]),
             ("camkii-t286a", "hfs", "1x"): np.array([1.05, 1.3])}
    pen = pharmacology_penalty({**untreated, **right})
    assert pen[0] == 0.0                                # every sign as the data say
    # point 1: APV leaves LTP ((0.2 - 0.03) / 0.03 = 5.7), DAPK1-KO keeps LTD (0.22 / 0.03 = 7.3),
    # T286A does not reduce LTP (1.0): 5.7^2 + 7.3^2 + 1 = 87
    assert pen[1] == pytest.approx(((0.2 - SHAPE_SCALE) / SHAPE_SCALE) ** 2
                                   + ((1 - SHAPE_SCALE - 0.75) / SHAPE_SCALE) ** 2 + 1.0)


def test_pharmacology_dataset_runs_every_applicable_arm(monkeypatch):
    from plasticity.models import get_model
    from protocols import fit, get_protocol
    calls = []

    def fake(client, definition, protocol, points, manipulations=None, conditions=None):
        """Untreated HFS LTP and LFS LTD; every drug moves the weight as the data say."""
        calls.append((protocol, manipulations))
        cond = "1x" if protocol == "hfs" else "lfs"
        untreated = 1.3 if protocol == "hfs" else 0.75
        value = untreated if manipulations is None else 1.0
        if manipulations in ("dapk1-ko", "can-inhibitor") and protocol == "hfs":
            value = untreated
        sm = xr.DataArray(np.full((len(points), 1, 1), value), dims=("point", "condition", "bin"),
                          coords={"condition": [cond], "bin": [get_protocol(protocol).PRIMARY_BIN]})
        return xr.Dataset({"summary_mean": sm})

    monkeypatch.setattr(fit, "_submit", lambda *a, **k: (lambda: fake(*a, **k)))
    model = get_model("kinase")
    arms = fit.pharmacology_arms(model)
    assert "apv" in arms and set(arms) <= set(fit.PHARMACOLOGY)
    definition = fit_definition("kinase", "pharmacology", "eta", popsize=2)
    f, _, pen, terms, failed = fit._score(None, definition, model, {"pharmacology": []},
                                          [{"eta": 1.0}, {"eta": 2.0}])
    assert failed == []
    assert set(terms) == {f"pharmacology {arm}" for arm in arms}
    expected = {(q, None) for q in ("hfs", "lfs")} | {
        (q, arm) for arm in arms for q, _, _ in fit.PHARMACOLOGY[arm]}
    assert set(calls) == expected and len(calls) == len(expected)      # each run once
    assert np.array_equal(f["pharmacology"], [0.0, 0.0])


def test_a_failing_candidate_ranks_last_and_the_others_are_kept(monkeypatch):
    from protocols import fit

    def fake(protocol, model, points, **kw):
        if any(p["eta"] > 5 for p in points):
            raise ValueError("diverged")
        v = np.array([p["eta"] for p in points], float)[:, None, None, None] * np.ones((1, 2, 3, 1))
        return xr.Dataset({"cell_bin_mean": (("point", "condition", "cell", "bin"), v),
                           "summary_mean": (("point", "condition", "bin"), v.mean(axis=2))},
                          coords={"condition": ["a", "b"], "bin": ["x"]})

    monkeypatch.setattr(fit, "evaluate_points", fake)
    ds = fit.evaluate_points_or_fail("jang2026", "kinase", [{"eta": 1.0}, {"eta": 9.0}, {"eta": 2.0}])
    assert ds.sizes["point"] == 3
    assert np.isnan(ds.summary_mean.values[1]).all()
    assert ds.summary_mean.values[0, 0, 0] == 1.0 and ds.summary_mean.values[2, 0, 0] == 2.0
    assert "diverged" in ds.attrs["failed_points"]
    assert fit.objective(ds.summary_mean, [("a", "x", 1.0, 0.1)])[1] != fit.objective(
        ds.summary_mean, [("a", "x", 1.0, 0.1)])[1]                    # NaN: ranked last by run_fit
    alone = fit.evaluate_points_or_fail("jang2026", "kinase", [{"eta": 9.0}])
    assert "diverged" in alone.attrs["failed"]


def test_a_parameter_file_sets_the_start_and_the_default_bounds(tmp_path):
    from brian2 import ms
    from plasticity.models import get_model
    path = tmp_path / "start.json"
    get_model("kinase").parameters.replace(tau_P=25 * ms).save(path)
    d = fit_definition("kinase", "jang2026", "tau_P", params_file=str(path))
    assert d.bounds["tau_P"] == pytest.approx((2.5, 250.0))
    default = fit_definition("kinase", "jang2026", "tau_P")
    assert default.bounds["tau_P"] != d.bounds["tau_P"]


def test_the_targets_add_up_to_the_objective_and_conflicts_are_measured(monkeypatch):
    """``_score`` cuts the objective into one term per published mean (and per drug arm); ``tradeoffs``
    finds the pair that no candidate satisfies at once, and not the pair that agrees."""
    from plasticity.models import get_model
    from protocols import fit, get_protocol
    calls = []

    def fake(client, definition, protocol, points, manipulations=None, conditions=None):
        calls.append((protocol, manipulations))
        p = get_protocol(protocol)
        assert conditions == fit.scored_conditions(protocol, fit.targets(protocol)
                                                   if manipulations is None else [], True)
        conds = conditions
        eta = np.array([q["eta"] for q in points])
        v = 1.0 + 0.1 * eta[:, None, None] * np.arange(1, len(conds) + 1)[None, :, None] \
            * np.ones((1, 1, len(p.BINS)))
        if manipulations is not None:
            v = v * 0 + 1.1
        sm = xr.DataArray(v, dims=("point", "condition", "bin"),
                          coords={"condition": conds, "bin": list(p.BINS)})
        cells = sm.expand_dims(cell=[0]).transpose("point", "condition", "cell", "bin")
        return xr.Dataset({"summary_mean": sm, "cell_bin_mean": cells})

    monkeypatch.setattr(fit, "_submit", lambda *a, **k: (lambda: fake(*a, **k)))
    model = get_model("kinase")
    definition = fit_definition("kinase", "hfs,pharmacology", "eta", popsize=3)
    data = {"hfs": fit.targets("hfs"), "pharmacology": []}
    f, _, _, terms, _ = fit._score(None, definition, model, data,
                                   [{"eta": 0.5}, {"eta": 1.0}, {"eta": 3.0}])
    assert {t for t in terms if t.startswith("hfs ")} == {f"hfs {c} {b}" for c, b, _, _ in
                                                          data["hfs"]} | {"hfs LTP at 55-60 min"}
    assert np.allclose(sum(terms.values()), f["hfs"] + f["pharmacology"])
    assert len(calls) == len(set(calls)), calls     # untreated HFS once, for both datasets

    x = np.linspace(0.0, 1.0, 11)
    losses = np.stack([(x / 0.1) ** 2, ((1 - x) / 0.1) ** 2, (x / 0.2) ** 2], axis=1)
    pairs = fit.tradeoffs(losses, ["a", "b", "c"])
    assert [(p["a"], p["b"]) for p in pairs] == [("a", "b"), ("b", "c")]
    assert pairs[0]["joint_excess"] == pytest.approx(50.0) and pairs[0]["rho"] == pytest.approx(-1)
    assert fit.tradeoffs(losses[:, [0, 2]], ["a", "c"]) == []           # a and c agree


def test_the_frequency_trains_run_apart_and_1_hz_is_the_lfs_run(monkeypatch):
    """freq-response's trains go out as one run each (two workers can share them); its 1 Hz
    train is the lfs dataset's run when both are fitted with the same --cells, and is run
    itself when the cells differ (default cells: lfs 13, freq-response 8)."""
    from plasticity.models import get_model
    from protocols import fit, get_protocol
    calls = []

    def fake(client, definition, protocol, points, manipulations=None, conditions=None):
        calls.append((protocol, tuple(conditions)))
        v = np.array([[1.0 + 0.01 * i + 0.1 * k for k, _ in enumerate(conditions)]
                      for i, _ in enumerate(points)]) + (0.5 if protocol == "lfs" else 0.0)
        return _run_of(protocol, conditions, v)

    monkeypatch.setattr(fit, "_submit", lambda *a, **k: (lambda: fake(*a, **k)))
    model = get_model("kinase")
    data = {p: fit.targets(p) for p in ("jang2026", "freq-response", "lfs")}
    points = [{"eta": 1.0}, {"eta": 2.0}]
    d = fit_definition("kinase", "jang2026,freq-response,lfs", "eta", popsize=2, cells=2)
    f, cell_parts, _, terms, _ = fit._score(None, d, model, data, points)
    jang = tuple(get_protocol("jang2026").CONDITIONS)
    assert sorted(calls) == sorted([("lfs", ("lfs",)), ("jang2026", jang)] + [
        ("freq-response", (c,)) for c in ("3Hz", "20Hz", "50Hz", "100Hz")])
    assert list(cell_parts["jang2026"].condition.values) == list(jang)    # one run, read whole
    for cond, b, mean, sem in data["jang2026"]:
        assert terms[f"jang2026 {cond} {b}"].shape == (2,)
    assert np.allclose(f["jang2026"], sum(terms[f"jang2026 {c} {b}"] for c, b, _, _ in
                                          data["jang2026"]))
    # Drew et al's 1 Hz datum is in both datasets: scored once, by the first of --data that
    # has it (here freq-response), and the 1 Hz train's read-out is the lfs run's
    assert "freq-response 1Hz 55-60 min" in terms and "lfs lfs 55-60 min" not in terms
    assert np.allclose(f["lfs"], 0.0)
    one_hz = cell_parts["freq-response"].sel(condition="1Hz")
    assert np.allclose(one_hz, cell_parts["lfs"].sel(condition="lfs"))   # the same run
    assert list(cell_parts["freq-response"].condition.values) == ["1Hz", "3Hz", "20Hz", "50Hz",
                                                                  "100Hz"]
    assert np.allclose(sum(f.values()), sum(terms.values()))
    calls.clear()
    f, _, _, terms, _ = fit._score(None, fit_definition("kinase", "jang2026,lfs,freq-response", "eta",
                                                        popsize=2), model, data, points)
    assert ("freq-response", ("1Hz",)) in calls and ("lfs", ("lfs",)) in calls
    # other cells, other runs, still the same experiment and datum: once, now lfs's
    assert "lfs lfs 55-60 min" in terms and "freq-response 1Hz 55-60 min" not in terms
    assert np.allclose(sum(f.values()), sum(terms.values()))


@pytest.mark.slow
def test_the_1_hz_train_run_alone_is_the_lfs_run_bit_for_bit():
    """What lets a fit read freq-response's 1 Hz from the lfs run (30 pulses, kinase, 2 cells)."""
    kw = dict(cells=2, overrides={"n_pulses": "30"})
    a = evaluate_points("freq-response", "kinase", [{"eta": 1.0}, {"eta": 2.0}], conditions=["1Hz"],
                        **kw)
    b = evaluate_points("lfs", "kinase", [{"eta": 1.0}, {"eta": 2.0}], conditions=["lfs"], **kw)
    assert np.array_equal(a.cell_bin_mean.values, b.cell_bin_mean.values)
    assert a.summary_mean.values.std() > 0


def test_a_generation_interrupted_after_some_runs_reads_them_back(tmp_path, monkeypatch):
    """The runs a generation finished are kept as they come back: scoring the same points again
    submits none of them and gives the same targets; other points are run afresh."""
    from plasticity.models import get_model
    from protocols import fit
    calls = []

    def fake(client, definition, protocol, points, manipulations=None, conditions=None):
        calls.append(protocol)
        eta = np.array([q["eta"] for q in points])
        return _run_of(protocol, conditions, 1.0 + 0.1 * eta[:, None] * np.ones(len(conditions)))

    def interrupted(client, definition, protocol, points, manipulations=None, conditions=None):
        if protocol == "lfs":
            return lambda: (_ for _ in ()).throw(KeyboardInterrupt())
        return lambda: fake(client, definition, protocol, points, manipulations, conditions)

    model = get_model("kinase")
    data = {p: fit.targets(p) for p in ("hfs", "tbs", "lfs")}
    d = fit_definition("kinase", "hfs,tbs,lfs", "eta", popsize=2, cells=2)
    points = [{"eta": 1.0}, {"eta": 2.0}]
    monkeypatch.setattr(fit, "_submit", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fit._score(None, d, model, data, points, cache=tmp_path / "runs")
    assert sorted(calls) == ["hfs", "tbs"]
    calls.clear()
    monkeypatch.setattr(fit, "_submit", lambda *a, **k: (lambda: fake(*a, **k)))
    f, _, _, terms, _ = fit._score(None, d, model, data, points, cache=tmp_path / "runs")
    assert calls == ["lfs"]                                   # hfs and tbs read back
    calls.clear()
    g, _, _, again, _ = fit._score(None, d, model, data, points)
    assert sorted(calls) == ["hfs", "lfs", "tbs"]
    assert all(np.array_equal(terms[k], again[k]) for k in again)
    calls.clear()
    fit._score(None, d, model, data, [{"eta": 1.5}, {"eta": 2.0}], cache=tmp_path / "runs")
    assert sorted(calls) == ["hfs", "lfs", "tbs"]                 # other points: run afresh


def test_a_fit_resumed_across_the_removal_of_a_doubly_counted_target_is_rescored():
    """Generations scored before scored_targets dropped a target (freq-response's 1 Hz when
    lfs is fitted too) are re-added from the targets the latest generation scores, so the
    best candidate is chosen on one objective; a failed candidate keeps its rank-last value."""
    from protocols.fit import _rescored

    def gen(g, names, losses, objective):
        return xr.Dataset({"target_loss": (("member", "target"), np.array(losses, float)),
                           "objective": ("member", np.array(objective, float))},
                          coords={"member": [0, 1], "target": names}).expand_dims(generation=[g])
    old = gen(0, ["a", "dup", "b"], [[1.0, 5.0, 1.0], [np.nan, np.nan, np.nan]], [7.0, 1e12])
    new = gen(1, ["a", "b"], [[2.0, 2.5], [1.0, 2.0]], [4.5, 3.0])
    hist = xr.concat([old, new], dim="generation", join="outer")
    out = _rescored(hist)
    assert out["objective"].values.tolist() == [[2.0, 1e12], [4.5, 3.0]]
    assert "dup" in out.attrs["rescored"] and list(out.target.values) == ["a", "b"]
    same = xr.concat([gen(0, ["a", "b"], [[1, 1], [2, 2]], [2, 4]), new], dim="generation")
    assert _rescored(same) is same


def test_generation_0_scores_the_start_and_the_defaults_as_they_are(tmp_path, monkeypatch):
    """A fit started from a ``--params`` file scores that start and the model's defaults
    unchanged in generation 0, and fit.json reports both, so what the fit gained is measured."""
    import contextlib
    from brian2 import ms
    from plasticity.models import get_model
    from protocols import fit

    def fake(client, definition, protocol, points, manipulations=None, conditions=None):
        tau = np.array([q["tau_P"] for q in points])               # in ms, the spec's unit
        return _run_of(protocol, conditions,
                       1.0 + np.abs(tau - 12.0)[:, None] / 100 * np.ones(len(conditions)))

    monkeypatch.setattr(fit, "_submit", lambda *a, **k: (lambda: fake(*a, **k)))
    monkeypatch.setattr(fit, "_client", lambda *a, **k: contextlib.nullcontext(None))
    defaults = get_model("kinase").parameters
    path = tmp_path / "start.json"
    defaults.replace(tau_P=defaults["tau_P"] * 2).save(path)
    d = fit_definition("kinase", "hfs", "tau_P", popsize=3, cells=2, params_file=str(path),
                       bounds="tau_P=1*ms:100*ms")
    result = run_fit(d, tmp_path / "fit", budget=6, workers=1, n_boot=10)
    with xr.open_dataset(tmp_path / "fit" / "fit.nc") as h:
        first = h.isel(generation=0)
        assert list(first.origin.values) == ["start", "defaults", "cma"]
        assert set(h.isel(generation=1).origin.values) == {"cma"}
        tau = first.value.sel(free="tau_P").values
    assert tau[0] == pytest.approx(float(defaults["tau_P"] * 2 / ms))
    assert tau[1] == pytest.approx(float(defaults["tau_P"] / ms))
    for name, value in (("start", tau[0]), ("defaults", tau[1])):
        assert result[name]["values"]["tau_P"] == pytest.approx(value)
        assert result[name]["objective"] >= result["objective"]
        assert sum(result[name]["targets"].values()) == pytest.approx(result[name]["objective"])
