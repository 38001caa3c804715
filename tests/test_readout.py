"""Read-out: baseline normalisation, bins, the paper's t-test, and the calibrated drift."""
import numpy as np
import pytest
import xarray as xr
from scipy import stats

from protocols.readout import normalize_to_baseline, bin_mean, summarize
from protocols.recording import (drift_from_reference, drift_paths, pooled_variance,
                                 log_variance_for)


def _epsp(values, times):
    return xr.DataArray(values, dims=("condition", "cell", "time"),
                        coords={"condition": ["a"], "time": times})


def test_baseline_normalisation():
    times = np.array([-3.0, -2.0, -1.0, 1.0, 31.0, 32.0])
    raw = np.array([[[4.0, 5.0, 6.0, 7.5, 10.0, 5.0], [2.0, 2.0, 2.0, 1.0, 1.0, 3.0]]])
    norm = normalize_to_baseline(_epsp(raw, times), xr.DataArray(times < 0, dims="time"))
    np.testing.assert_allclose(norm.values[0, 0], raw[0, 0] / 5.0)
    np.testing.assert_allclose(norm.values[0, 1], raw[0, 1] / 2.0)
    per_cell = bin_mean(norm, 30, 35)
    np.testing.assert_allclose(per_cell.values[0], [1.5, 1.0])


def test_non_positive_baseline_is_an_error():
    times = np.array([-1.0, 1.0])
    with pytest.raises(ValueError, match="baseline"):
        normalize_to_baseline(_epsp(np.array([[[0.0, 1.0]]]), times),
                              xr.DataArray(times < 0, dims="time"))


def test_summary_is_the_two_tailed_one_sample_t_test():
    v = np.array([1.3, 1.5, 1.1, 1.6, 1.2])
    cells = xr.DataArray(v[None, :], dims=("condition", "cell"), coords={"condition": ["x"]})
    s = summarize(cells)["x"]
    assert s["n"] == 5
    assert abs(s["mean"] - v.mean()) < 1e-12
    assert abs(s["sem"] - v.std(ddof=1) / np.sqrt(5)) < 1e-12
    assert abs(s["p"] - stats.ttest_1samp(v, 1.0).pvalue) < 1e-12


def test_paper_numbers_pass_the_paper_pattern():
    # flat 25 Hz: 1.12 +- 0.15 (n 12) is not significant; increase 1.42 +- 0.15 (n 12) is
    t_flat = (1.12 - 1) / 0.15
    t_inc = (1.42 - 1) / 0.15
    assert 2 * stats.t.sf(t_flat, 11) > 0.05 > 2 * stats.t.sf(t_inc, 11)


def test_drift_is_calibrated_to_the_flat_conditions():
    base = np.arange(15) / 3.0                       # 5 min at 0.05 Hz
    post = 6.5 + np.arange(135) / 3.0                # 45 min after induction
    t = np.concatenate([base, post])
    in_bin = (post >= 6.5 + 30) & (post < 6.5 + 35)
    D = drift_from_reference([0.15, 0.08], [12, 11], base, post[in_bin])
    rng = np.random.default_rng(1)
    paths = drift_paths(t, 20000, D, rng)
    norm = paths[:, 15:][:, in_bin].mean(1) / paths[:, :15].mean(1)
    target = pooled_variance([0.15, 0.08], [12, 11])
    assert abs(norm.var() / target - 1) < 0.08
    assert abs(np.median(norm) - 1) < 0.02
    assert abs(np.exp(log_variance_for(0.2)) * (np.exp(log_variance_for(0.2)) - 1) - 0.2) < 1e-12
