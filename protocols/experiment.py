"""Run a protocol on a model with a virtual cohort and read it out as the lab does.

``reproduce("jang2026", model="kinase", seed=0)`` returns one xarray Dataset:

* ``normalized_epsp`` (condition, cell, time): each probe EPSP over the cell's
  baseline mean, time in minutes after induction (NaN-padded where a condition
  has fewer cells);
* ``epsp_recorded`` / ``epsp_model`` (mV) and ``expressed_weight`` on the same dims;
* ``trace_<variable>`` (condition, trace_time): the model's trace variables
  (kinase: ca, CaP, CaD) of one cell per condition through the first induction
  sweep(s);
* ``summary_mean``, ``summary_sem``, ``summary_n``, ``summary_p`` (condition, bin)
  and the paper's ``paper_mean``, ``paper_sem``, ``paper_n`` (condition, bin), at
  the protocol's own bins (``BINS``; ``PRIMARY_BIN`` is the one it tests);
* attrs: model, manipulations, parameter hash and values, protocol and its
  parameters, recording (whole-cell or field), seed, package versions, recording
  drift D, wall time.

For a field protocol (``FIELD``) a recorded unit ("cell" in the dims) is a
slice: the summed EPSP of ``FIELD_CELLS`` virtual cells.  The recording drift
of :mod:`protocols.recording` is solved from a protocol's null conditions
(``NULL_CONDITIONS``: Jang's two flats); protocols without them have none.
A protocol may need several schedules (``freq-response``: one per frequency);
they run one after another and are read out on the same clock.

``pharmacology(name, model, arms=[[], ["apv"], ...])`` runs the protocol under
several manipulation arms on the same virtual cells and the same drift (a
leading ``manipulation`` dim); ``reproduce`` is its one-arm case.

Random streams: one SeedSequence(seed) spawns the cohort's and the
recording's generators; Brian2's own generator (membrane noise) is seeded with
``seed``.  The same seed gives the same Dataset.
"""
from __future__ import annotations

import copy
import json
import platform

import numpy as np
import xarray as xr
import scipy
import brian2

import plasticity
from plasticity.cohort import virtual_cohort
from plasticity.models import get_model, UnknownNameError
from plasticity.parameters import ParameterError
from plasticity.schedule import ScheduleError
from plasticity.simulate import simulate
from plasticity.units import parse_quantity

from . import get_protocol
from plasticity import manipulations as manipulation

from .readout import normalize_to_baseline, bin_mean, summarize
from .recording import drift_from_reference, drift_paths


def split_overrides(model, protocol, values: dict | None):
    """Route ``name=value`` overrides to the model's or the protocol's parameters."""
    model_values, protocol_values = {}, {}
    model_names = {s.name for s in model.specs}
    protocol_names = set(protocol.protocol_parameters())
    for key, raw in (values or {}).items():
        value = raw
        if isinstance(raw, str):
            try:
                value = parse_quantity(raw)
            except ValueError as err:
                raise ParameterError(f"--set {key}: {err}") from None
        if key in model_names:
            model_values[key] = value
        elif key in protocol_names:
            protocol_values[key] = value
        else:
            raise ParameterError(
                f"unknown parameter '{key}' (not a parameter of model '{model.name}' or protocol "
                f"'{protocol.NAME}'; see `plasticity list`)")
    return model_values, protocol_values


def _versions() -> dict:
    return {"plasticity": plasticity.__version__, "brian2": brian2.__version__,
            "numpy": np.__version__, "scipy": scipy.__version__, "xarray": xr.__version__,
            "python": platform.python_version()}


#: virtual cells (slices for a field protocol) per condition where the paper gives no n
DEFAULT_CELLS = 8
#: cells whose summed EPSP is one slice's field EPSP (field protocols): a field
#: potential sums the synaptic currents of many cells; 10 virtual cells per
#: slice bring a probe's membrane-noise error to 1/sqrt(10) of one cell's, and
#: their cohort spread averages the same way
FIELD_CELLS = 10


def reproduce(name: str = "jang2026", *, model: str = "kinase", seed: int = 0, cells=None,
              conditions=None, overrides: dict | None = None, params_file=None,
              manipulations=None, progress=None) -> xr.Dataset:
    """Run protocol ``name`` on ``model``; see the module docstring for the output.

    ``manipulations``: names of :mod:`plasticity.manipulations` (a list or
    ``"apv,dapk1-ko"``), applied to the model's parameters after ``overrides``.
    """
    arm = manipulation.parse(manipulations)
    ds = pharmacology(name, model=model, arms=[arm], seed=seed, cells=cells, conditions=conditions,
                      overrides=overrides, params_file=params_file, progress=progress)
    out = ds.isel(manipulation=0, drop=True)
    out.attrs = dict(ds.attrs, manipulations=",".join(arm))
    return out


def arm_label(arm) -> str:
    return "+".join(arm) if arm else "none"


def pharmacology(name: str = "jang2026", *, model: str = "kinase", arms=((),), seed: int = 0,
                 cells=None, conditions=None, overrides: dict | None = None, params_file=None,
                 progress=None) -> xr.Dataset:
    """Protocol ``name`` on ``model`` under several manipulation arms, on the same virtual cells.

    ``arms``: a list of manipulation lists (``[[], ["apv"], ["dapk1-ko"]]``); the
    result has a leading dim ``manipulation`` labelled ``none``, ``apv``,
    ``apv+nimodipine`` ...  Every arm sees the same cohort and the same
    recording drift (a paired design).  Arms that change only per-row
    parameters run as rows of one Brian2 run; an arm that changes a compiled-in
    constant (the spine chemistry's) runs on its own.
    """
    protocol, mdl, params, pparams = _prepare(name, model, seed, overrides, params_file)
    arms = [manipulation.parse(a) for a in arms]
    if not arms:
        raise ParameterError("pharmacology: no arms given")
    labels = [arm_label(a) for a in arms]
    if len(set(labels)) != len(labels):
        raise ParameterError(f"pharmacology: an arm is given twice ({labels})")
    per_arm, raw = _run_arms(protocol, mdl, params, pparams, arms, [{}] * len(arms), seed, cells,
                             conditions, progress)
    ds = xr.concat(per_arm, dim=xr.DataArray(labels, dims="manipulation", name="manipulation"),
                   combine_attrs="drop_conflicts")
    return _provenance(ds, protocol, mdl, params, pparams, ";".join(labels), per_arm, raw, seed)


def run_points(name: str, points: list, *, model: str = "kinase", manipulations=None, seed: int = 0,
               cells=None, conditions=None, overrides: dict | None = None, params_file=None,
               progress=None) -> xr.Dataset:
    """Protocol ``name`` on ``model`` once per parameter set of ``points``, as rows of one run.

    ``points``: a list of ``{parameter: value}`` (Brian2 quantities, or numbers
    in the parameter's unit) applied on top of the model's parameters (and
    ``overrides``); the result has a leading dim ``point`` (0, 1, ...).  Every
    point sees the same virtual cells (its own nominal values, the same
    log-normal cell factors) and the same recording-drift paths: differences
    between points are the parameters', not the sampling's.  Points that differ
    in a compiled-in (shared) constant run as their own Brian2 run.  Membrane
    noise is drawn per row of a run, so a point's result depends on which other
    points share its run (:mod:`protocols.sweep` keeps the batches fixed).
    """
    protocol, mdl, params, pparams = _prepare(name, model, seed, overrides, params_file)
    if not points:
        raise ParameterError("run_points: no parameter sets given")
    arm = manipulation.parse(manipulations)
    values = [_point_values(mdl, params, point) for point in points]
    per_arm, raw = _run_arms(protocol, mdl, params, pparams, [arm] * len(points), values, seed,
                             cells, conditions, progress)
    ds = xr.concat(per_arm, dim=xr.DataArray(np.arange(len(points)), dims="point", name="point"),
                   combine_attrs="drop_conflicts")
    return _provenance(ds, protocol, mdl, params, pparams, arm_label(arm), per_arm, raw, seed)


def _point_values(mdl, params, point: dict) -> dict:
    """``point`` as {name: Quantity in the parameter's unit}, each checked like any parameter."""
    units = {s.name: s.unit for s in mdl.specs}
    out = {}
    for key, value in point.items():
        if key not in units:
            raise ParameterError(f"unknown parameter '{key}' of model '{mdl.name}' (see `plasticity "
                                 "list`)")
        out[key] = value if isinstance(value, brian2.Quantity) else value * units[key]
    params.replace(**out)                                # validates units and ranges
    return out


def _prepare(name, model, seed, overrides, params_file):
    protocol = get_protocol(name)
    mdl = get_model(model)
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
    params = mdl.load_parameters(params_file) if params_file else mdl.parameters
    model_values, protocol_values = split_overrides(mdl, protocol, overrides)
    if (mdl.conditioning is not None and "conditioning" not in protocol_values
            and "conditioning" in protocol.protocol_parameters()):
        protocol_values["conditioning"] = mdl.conditioning
    if model_values:
        params = params.replace(**model_values)
    pparams = protocol.protocol_parameters(protocol_values)
    _check_theta(mdl, params, pparams, protocol)
    return protocol, mdl, params, pparams


def _run_arms(protocol, mdl, params, pparams, arms, values, seed, cells, conditions, progress):
    """One read-out Dataset per arm (a manipulation list plus parameter values ``values[k]``).

    Arms whose manipulations and values touch only per-row parameters run as
    rows of one Brian2 run; an arm that changes a compiled-in constant runs on
    its own.  Every arm's cohort is drawn from the same random state.
    """
    arm_params = [params.replace(**v) if v else params for v in values]
    scalings = [manipulation.scalings(a, mdl.name, p) for a, p in zip(arms, arm_params)]
    for a, p in zip(arms, arm_params):               # validate every arm's values up front
        manipulation.apply(a, mdl.name, p)
    schedules = protocol.build_schedules(pparams, conditions)
    if cells is not None and int(cells) < 2:
        raise ParameterError(f"--cells must be at least 2 (for a SEM), got {cells}")

    shared = {s.name for s in mdl.specs if s.shared}
    batched = [i for i, (sc, v) in enumerate(zip(scalings, values)) if not (set(sc) | set(v)) & shared]
    alone = [i for i in range(len(arms)) if i not in batched]
    cohort_seq, drift_seq = np.random.SeedSequence(seed).spawn(2)
    cohort_rng = np.random.default_rng(cohort_seq)
    drift_rngs = [np.random.default_rng(drift_seq) for _ in arms]     # the same paths per arm
    parts = [[] for _ in arms]
    n_runs = len(schedules) * ((1 if batched else 0) + len(alone))
    done, wall, raw = 0, 0.0, None
    for schedule in schedules:
        conds = list(schedule.conditions)
        n_cells = {c: int(cells) if cells is not None else protocol.PAPER_N.get(c, DEFAULT_CELLS)
                   for c in conds}
        per_unit = FIELD_CELLS if protocol.FIELD else 1
        units = {c: n * per_unit for c, n in n_cells.items()}
        state = copy.deepcopy(cohort_rng.bit_generator.state)
        bases = []
        for p in arm_params:                          # the same cell factors for every arm
            cohort_rng.bit_generator.state = copy.deepcopy(state)
            bases.append(virtual_cohort(p, conds, units, cohort_rng))
        groups = ([batched] if batched else []) + [[i] for i in alone]
        for group in groups:
            run_params = params if len(group) > 1 or group[0] in batched else \
                manipulation.apply(arms[group[0]], mdl.name, arm_params[group[0]])
            # the rows carry every value the run reads, compiled-in constants included
            # (simulate() takes them from the rows), so an arm run alone is scaled here too
            rows, owner = manipulation.arm_rows([bases[i] for i in group],
                                                [scalings[i] for i in group])
            firsts = [int(np.flatnonzero((owner == k) & (rows.condition == c))[0])
                      for k in range(len(group)) for c in conds]
            part_progress = None if progress is None else (
                lambda f, d=done: progress((d + f) / n_runs))
            raw = simulate(mdl.with_parameters(run_params), schedule, rows, seed=seed,
                           trace_rows=firsts, progress=part_progress)
            done += 1
            wall += raw.attrs["wall_time_s"]
            for k, i in enumerate(group):
                sub = raw.isel(row=np.flatnonzero(owner == k),
                               trace_row=np.arange(k * len(conds), (k + 1) * len(conds)))
                parts[i].append(_read_out(sub, schedule, protocol, bases[i], conds, n_cells,
                                          drift_rngs[i], mdl))
    per_arm = [p[0] if len(p) == 1 else xr.concat(p, dim="condition", join="outer",
                                                  data_vars="all", coords="different",
                                                  compat="equals",
                                                  combine_attrs="drop_conflicts") for p in parts]
    raw.attrs["wall_time_total_s"] = wall
    return per_arm, raw


def _provenance(ds, protocol, mdl, params, pparams, manipulations, per_arm, raw, seed):
    """The attrs every experiment's Dataset carries (model, parameters, protocol, seed, versions)."""
    drift = [float(p.attrs["recording_drift_per_min"]) for p in per_arm]
    wall = raw.attrs["wall_time_total_s"]
    ds.attrs.update({
        "model": mdl.name,
        "model_summary": mdl.summary,
        "manipulations": manipulations,
        "parameter_hash": params.hash,
        "parameters": json.dumps(params.to_strings()),
        "protocol": protocol.NAME,
        "protocol_parameters": json.dumps(pparams.to_strings()),
        "recording": "field EPSP (population of cells, no current clamp)" if protocol.FIELD
                     else "whole-cell current clamp",
        "primary_bin": protocol.PRIMARY_BIN,
        "recording_drift_per_min": drift[0],
        "seed": int(seed),
        "versions": json.dumps(_versions()),
        "simulator": raw.attrs["simulator"],
        "dt_ms": raw.attrs["dt_ms"],
        "wall_time_s": round(wall, 3),
        "reference": protocol.reference()["citation"],
    })
    return ds


def _check_theta(mdl, params, pparams, protocol):
    if "theta_period" not in params or "window" not in pparams:
        return
    theta = float(params["theta_period"] / brian2.second)
    window = float(pparams["window"] / brian2.second)
    cycle = window + float(pparams["window_gap"] / brian2.second)
    if abs(window - theta) > 1e-9 or abs(cycle / theta - round(cycle / theta)) > 1e-6:
        raise ScheduleError(
            f"protocol {protocol.NAME}: the window ({window * 1e3:g} ms) must equal the model's "
            f"theta_period ({theta * 1e3:g} ms) and window + window_gap must be a multiple of it, "
            "so that learning falls at the end of every window")


def _drift(protocol, ref, epsp_model, kinds, in_bin, condition, t_record):
    """Diffusion of the recording drift, solved from the protocol's null conditions (else 0)."""
    primary = ref["bins"].get(protocol.PRIMARY_BIN, {})
    flats = [c for c in getattr(protocol, "NULL_CONDITIONS", ()) if c in primary]
    if not flats:
        return 0.0, 0.0
    # spread of the flat cells without drift: ratio of bin mean to baseline mean
    own = epsp_model[:, in_bin].mean(axis=1) / epsp_model[:, kinds == "baseline"].mean(axis=1)
    groups = [own[condition == c] for c in flats if np.sum(condition == c) > 1]
    model_var = (sum((g.size - 1) * g.var(ddof=1) for g in groups) / sum(g.size - 1 for g in groups)
                 if groups else 0.0)
    D = drift_from_reference([primary[c][1] for c in flats], [primary[c][2] for c in flats],
                             t_record[kinds == "baseline"], t_record[in_bin], model_var)
    return D, model_var


def _read_out(raw, schedule, protocol, rows, conds, n_cells, drift_rng, mdl) -> xr.Dataset:
    probe = schedule.recorded_sweeps
    kinds = np.asarray(schedule.sweep_kind)[probe]
    t_after = raw["time"].values[probe]                     # minutes after induction
    start = np.asarray(schedule.sweep_start / brian2.second)
    t_record = (start[probe] - start[schedule.first_recorded_sweep]
                + float(schedule.probe_offset / brian2.second)) / 60.0   # since recording start
    ref = protocol.reference()
    a, b = protocol.BINS[protocol.PRIMARY_BIN]
    in_bin = (t_after >= a) & (t_after < b)
    if not in_bin.any():
        raise ScheduleError(f"protocol {protocol.NAME}: the recording does not reach "
                            f"{protocol.PRIMARY_BIN}")
    epsp_model = raw["epsp"].values[:, probe]
    weight = raw["expressed_weight"].values[:, probe]
    condition = rows.condition                        # of each recorded unit: a cell or a slice
    if protocol.FIELD:                                # a field EPSP sums FIELD_CELLS cells
        key = np.array([f"{c}|{k // FIELD_CELLS}" for c, k in zip(rows.condition, rows.cell)])
        slices = list(dict.fromkeys(key))
        members = [np.flatnonzero(key == sl) for sl in slices]
        epsp_model = np.stack([epsp_model[m].mean(axis=0) for m in members])
        weight = np.stack([weight[m].mean(axis=0) for m in members])
        condition = np.array([sl.split("|")[0] for sl in slices], dtype=object)
    D, model_var = _drift(protocol, ref, epsp_model, kinds, in_bin, condition, t_record)
    drift = drift_paths(t_record, condition.size, D, drift_rng)

    epsp_rec = epsp_model * drift
    max_n = max(n_cells.values())
    shape = (len(conds), max_n, probe.size)

    def grid(values):
        out = np.full(shape, np.nan)
        for ci, c in enumerate(conds):
            idx = np.flatnonzero(condition == c)
            out[ci, :idx.size] = values[idx]
        return out

    coords = {"condition": conds, "cell": np.arange(max_n),
              "time": ("time", t_after, {"units": "min", "long_name": "time after induction"}),
              "phase": ("time", kinds.astype(str))}
    ds = xr.Dataset(coords=coords)
    ds["epsp_model"] = (("condition", "cell", "time"), grid(epsp_model),
                        {"units": "mV", "long_name": "model EPSP amplitude (no drift)"})
    ds["epsp_recorded"] = (("condition", "cell", "time"), grid(epsp_rec),
                           {"units": "mV", "long_name": "recorded EPSP amplitude (with drift)"})
    ds["expressed_weight"] = (("condition", "cell", "time"), grid(weight),
                              {"units": "1", "long_name": "expressed relative synaptic strength"})
    ds["normalized_epsp"] = normalize_to_baseline(ds["epsp_recorded"], ds["phase"] == "baseline")
    for name in raw.data_vars if not protocol.FIELD else ():   # per cell (a slice has many)
        if name.startswith("param_"):
            ds[name] = (("condition", "cell"), grid(raw[name].values[:, None])[:, :, 0], raw[name].attrs)

    trace_t = raw["trace_time"].values
    ds = ds.assign_coords(trace_time=("trace_time", trace_t, {"units": "ms",
                          "long_name": "time from the start of the first induction sweep"}))
    for var in mdl.trace_variables:
        if f"trace_{var}" in raw:
            ds[f"trace_{var}"] = (("condition", "trace_time"), raw[f"trace_{var}"].values,
                                  {"units": raw[f"trace_{var}"].attrs.get("units", "1"),
                                   "long_name": f"{var} of the first cell"})

    bins = list(protocol.BINS)
    ds = ds.assign_coords(bin=bins)
    stats_arr = {k: np.full((len(conds), len(bins)), np.nan) for k in ("mean", "sem", "n", "p")}
    paper = {k: np.full((len(conds), len(bins)), np.nan) for k in ("mean", "sem", "n")}
    for bi, bname in enumerate(bins):
        lo, hi = protocol.BINS[bname]
        if not np.any((t_after >= lo) & (t_after < hi)):
            continue                                     # the recording is shorter
        s = summarize(bin_mean(ds["normalized_epsp"], lo, hi))
        for ci, c in enumerate(conds):
            for k in stats_arr:
                stats_arr[k][ci, bi] = s[c][k]
            if c in ref["bins"].get(bname, {}):
                for k, v in zip(("mean", "sem", "n"), ref["bins"][bname][c]):
                    paper[k][ci, bi] = v
    for k, v in stats_arr.items():
        ds[f"summary_{k}"] = (("condition", "bin"), v, {"long_name": f"model {k} of the bin mean"})
    for k, v in paper.items():
        ds[f"paper_{k}"] = (("condition", "bin"), v, {"long_name": f"paper's {k} ({protocol.NAME})"})
    ds.attrs["recording_drift_per_min"] = D
    ds.attrs["flat_variance_without_drift"] = float(model_var)
    return ds


def summary_json(ds: xr.Dataset, bin_name: str | None = None) -> dict:
    """{condition: {"mean", "sem", "n", "p"}} at one bin (default the protocol's; the CLI's --json).

    Protocols whose conditions stand for a number (``stdp``: the spike-time
    difference, ``freq-response``: the frequency) add it to each entry.
    """
    bin_name = bin_name or ds.attrs.get("primary_bin", "30-35 min")
    protocol = get_protocol(ds.attrs["protocol"]) if "protocol" in ds.attrs else None
    value_of = getattr(protocol, "condition_value", None)
    out = {}
    for c in ds["condition"].values:
        row = ds.sel(condition=c, bin=bin_name)
        out[str(c)] = {**(value_of(str(c)) if value_of else {}),
                       "mean": round(float(row["summary_mean"]), 4),
                       "sem": round(float(row["summary_sem"]), 4),
                       "n": int(row["summary_n"]), "p": float(f"{float(row['summary_p']):.4g}")}
    return out


__all__ = ["reproduce", "pharmacology", "arm_label", "summary_json", "split_overrides", "UnknownNameError"]
