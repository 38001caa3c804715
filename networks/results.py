"""Training runs of several rules on one task: combined, saved (``train.nc``) and drawn (``train.png``).

``train_rules`` trains each rule with the same seed (same initial weights and trial order),
merges the runs with any other rules already saved in the output folder for the same task and
seed (so ``plasticity train xor --rule hebbian`` after ``--rule kinase`` draws both), and writes
``DIR/train.nc`` (a ``rule`` dimension; epochs after a run's criterion are NaN) and
``DIR/train.png`` (:mod:`figures.network_training`).
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import xarray as xr

from .network import NetworkError
from .tasks import get_task, Task

PER_RULE_ATTRS = ("epochs_to_criterion", "final_error", "build_seconds", "train_seconds", "codegen_target")


def combine(runs) -> xr.Dataset:
    """One Dataset with a ``rule`` dimension from single-rule training Datasets."""
    prepared, rules = [], []
    for ds in runs:
        ds = ds.copy()
        for key in PER_RULE_ATTRS:
            if key in ds.attrs:
                ds[key] = ds.attrs.pop(key)
        rules.append(ds.attrs.pop("rule"))
        prepared.append(ds)
    if len(set(rules)) != len(rules):
        raise NetworkError(f"duplicate rules in {rules}")
    fixed = ("target", "input")        # the task's patterns: the same for every rule
    per_rule = [v for v in prepared[0].data_vars if v not in fixed]
    out = xr.concat(prepared, dim=pd.Index(rules, name="rule"), data_vars=per_rule,
                    coords="minimal", join="outer", compat="equals", combine_attrs="drop_conflicts")
    return out


def split(ds: xr.Dataset):
    """The single-rule Datasets of a combined one (inverse of :func:`combine`)."""
    runs = []
    for rule in ds["rule"].values:
        one = ds.sel(rule=rule).drop_vars("rule")
        epochs = one["error"].notnull()
        one = one.sel(epoch=one["epoch"][epochs.values])
        one.attrs = dict(ds.attrs, rule=str(rule))
        for key in PER_RULE_ATTRS:
            if key in one:
                value = one[key].values.item()
                one.attrs[key] = value
                one = one.drop_vars(key)
        runs.append(one)
    return runs


def train_rules(task, rules, epochs=None, seed=0, out=None, target="cpp_standalone", progress=None):
    """Train every rule on ``task`` (a name or a :class:`Task`); save and draw when ``out``."""
    from .training import train
    task = get_task(task) if isinstance(task, str) else task
    if not isinstance(task, Task):
        raise NetworkError(f"not a task: {task!r}")
    runs = []
    for rule in rules:
        callback = progress(rule) if progress else None
        runs.append(train(task, rule, epochs=epochs, seed=seed, target=target, progress=callback))
    if out is None:
        return combine(runs)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "train.nc"
    if path.exists():
        try:
            with xr.open_dataset(path, engine="h5netcdf") as old:
                old = old.load()
        except (OSError, ValueError):
            old = None
        if old is not None and old.attrs.get("task") == task.name and int(old.attrs.get("seed", -1)) == seed:
            new_rules = {r.attrs["rule"] for r in runs}
            runs = [r for r in split(old) if r.attrs["rule"] not in new_rules] + runs
    ds = combine(runs)
    tmp = path.with_suffix(".nc.tmp")
    ds.to_netcdf(tmp, engine="h5netcdf")
    os.replace(tmp, path)
    from figures.network_training import plot
    plot(ds, out / "train.png")
    return ds


def summary(ds: xr.Dataset) -> list:
    """``{"epochs_to_criterion", "final_error", "rule", "seed"}`` per rule."""
    return [{"epochs_to_criterion": int(ds["epochs_to_criterion"].sel(rule=r)),
             "final_error": float(ds["final_error"].sel(rule=r)),
             "rule": str(r), "seed": int(ds.attrs["seed"])} for r in ds["rule"].values]
