"""Sweeps (protocols/sweep.py, `plasticity sweep`): grid syntax, batches, kill-and-resume, a given scheduler."""
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import xarray as xr
from brian2 import ms

from plasticity.models import get_model
from protocols import sweep
from protocols.sweep import SweepDefinition, SweepError, parse_grid, points_of, batches_of, grid_strings

#: a tiny Jang run on the kinase model: 2 cells, one block of 2 windows, a test pulse a minute
TINY = ["--cells", "2", "--set", "n_blocks=1", "--set", "n_windows=2", "--set", "probe_interval=60s"]
TINY_OVERRIDES = {"n_blocks": "1", "n_windows": "2", "probe_interval": "60s"}


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "plasticity.cli", *args], capture_output=True,
                          text=True, **kw)


def _data(ds):
    """The numbers of a sweep (the attrs hold wall times, which differ between runs)."""
    out = ds.copy()
    out.attrs = {}
    return out


def test_grid_axes_units_and_order():
    model = get_model("kinase")
    grid = parse_grid("eta=1:2:3, tau_P=10*ms|20 ms, d_scale=0.5:2:3:log", model)
    assert np.allclose(grid["eta"], [1.0, 1.5, 2.0])
    assert np.allclose(grid["tau_P"] / ms, [10, 20])
    assert np.allclose(grid["d_scale"], [0.5, 1.0, 2.0])
    strings = grid_strings(grid, model)
    points = points_of(strings, model)
    assert len(points) == 3 * 2 * 3
    # the last axis varies fastest
    assert [float(p["d_scale"]) for p in points[:3]] == pytest.approx([0.5, 1.0, 2.0])
    assert float(points[3]["tau_P"] / ms) == pytest.approx(20)
    assert float(points[6]["eta"]) == pytest.approx(1.5)


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("etaa=1:2:3", "unknown parameter 'etaa'"),
    ("eta=1:2:3,eta=1|2", "given twice"),
    ("eta=1:2:0", "N must be >= 1"),
    ("eta=1:2", "START:STOP:N"),
    ("eta=1:2:x", "whole number"),
    ("tau_P=10*mV:20:2", "not in units of"),
    ("eta=nan|1", "not a finite number"),
    ("eta=0:2:3:log", "positive ends"),
])
def test_bad_grids_are_refused_with_one_line(text, message):
    with pytest.raises(SweepError, match=message):
        parse_grid(text, get_model("kinase"))


def test_batches_never_mix_values_of_a_compiled_in_constant():
    model = get_model("kinase")          # theta_period is shared (compiled in); eta is per row
    points = points_of({"theta_period": ["0.2", "0.3"], "eta": ["1.0", "1.5", "2.0"]}, model)
    batches = batches_of(points, model, 2)
    assert sorted(i for b in batches for i in b) == list(range(6))
    for b in batches:
        assert len(b) <= 2
        assert len({float(points[i]["theta_period"] / ms) for i in b}) == 1
    with pytest.raises(SweepError, match="batch-size"):
        batches_of(points, model, 0)


def test_a_sweep_killed_with_sigkill_resumes_to_the_uninterrupted_result(tmp_path, error_lines):
    args = ["sweep", "jang2026", "--grid", "eta=1:2:4", "--workers", "1", "--batch-size", "1", *TINY]
    killed = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "plasticity.cli", *args, "--out", str(killed)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if any(p.name.startswith("batch-") for p in (killed / "batches").glob("*.nc")):
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the sweep ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = sorted(p.name for p in (killed / "batches").glob("batch-*.nc"))
    assert 1 <= len(written) < 4, written
    assert not (killed / "sweep.nc").exists()
    stamps = {n: (killed / "batches" / n).stat().st_mtime_ns for n in written}

    resumed = _cli(*args, "--out", str(killed), timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    for n, stamp in stamps.items():            # finished batches are not run again
        assert (killed / "batches" / n).stat().st_mtime_ns == stamp
    whole = tmp_path / "whole"
    fresh = _cli(*args, "--out", str(whole), timeout=600)
    assert fresh.returncode == 0, fresh.stderr

    with xr.open_dataset(killed / "sweep.nc") as a, xr.open_dataset(whole / "sweep.nc") as b:
        assert list(a.point.values) == [0, 1, 2, 3]            # nothing lost, nothing twice
        assert np.allclose(a.eta.values, [1, 4 / 3, 5 / 3, 2])
        xr.testing.assert_identical(_data(a), _data(b))
        assert np.isfinite(a.summary_mean.sel(bin="30-35 min")).all()
    assert not [p for p in killed.rglob("*.tmp")]

    # the same folder with another definition is refused, not mixed
    other = _cli("sweep", "jang2026", "--grid", "eta=1:2:3", "--out", str(killed), "--workers", "1",
                 *TINY)
    assert other.returncode == 2
    lines = error_lines(other.stderr)
    assert len(lines) == 1 and "holds a different sweep" in lines[0], other.stderr


def test_a_given_scheduler_runs_the_same_batches(tmp_path, monkeypatch):
    from distributed import LocalCluster
    definition = SweepDefinition(protocol="jang2026", model="kinase",
                                 grid={"eta": ["1.0", "2.0"]}, cells=2, overrides=TINY_OVERRIDES,
                                 batch_size=1)
    local = sweep.run_sweep(definition, tmp_path / "local", workers=1)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        remote = sweep.run_sweep(definition, tmp_path / "remote", scheduler=cluster.scheduler_address)
    xr.testing.assert_identical(_data(local), _data(remote))

    monkeypatch.setattr(sweep, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(SweepError, match="cannot reach the dask scheduler"):
        sweep.run_sweep(definition, tmp_path / "nowhere", scheduler="tcp://127.0.0.1:1")
    assert not (tmp_path / "nowhere").exists() or not list((tmp_path / "nowhere").rglob("*.nc"))
    with pytest.raises(SweepError, match="not both"):
        sweep.run_sweep(definition, tmp_path / "both", workers=1, scheduler="tcp://127.0.0.1:1")
    with pytest.raises(SweepError, match="workers must be >= 1"):
        sweep.run_sweep(definition, tmp_path / "zero", workers=0)


def test_cli_sweep_bad_input_is_one_line(tmp_path, error_lines):
    for args, message in [(["--grid", "etaa=1:2:2"], "unknown parameter 'etaa'"),
                          (["--grid", "eta=-1:2:2"], "must be >= 0"),
                          (["--grid", "eta=1:2:2", "--model", "nope"], "nope")]:
        r = _cli("sweep", "jang2026", "--out", str(tmp_path / "x"), *args)
        assert r.returncode == 2, r.stderr
        lines = error_lines(r.stderr)
        assert len(lines) == 1 and message in lines[0], r.stderr
