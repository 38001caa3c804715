"""The runner: one Brian2 network for every row of a batch.

``simulate(model, schedule, rows)`` builds, for N rows (condition x virtual
cell x parameter set), one NeuronGroup of N neurons and one Synapses object of
N spine synapses driven by one SpikeGeneratorGroup, with every model parameter
a per-row variable (values that differ between rows live in arrays, not in the
generated code, so one compiled build serves any batch).  It runs the whole
schedule in a single ``Network.run`` on a code-generation target (cython by
default) and returns an :class:`xarray.Dataset` with dims ``(row, sweep)`` plus
calcium traces.

The runner knows nothing of a particular model or protocol: it reads the
equations, the learning code and its clock from the :class:`~plasticity.models.Model`,
and the stimulation from the :class:`~plasticity.schedule.Schedule`.

Sweep compression (see :mod:`plasticity.schedule`): ``expression_speed(t)`` is
1 during the active part of every sweep and (duration - active) /
(sweep_length - active) in its quiet tail.  At the end of every compressed sweep
the runner checks that the fast state is back at rest (the model declares
which variables and how close: e.g. NMDA gating < 0.01, |CaP|, |CaD| < 1e-3)
and that nothing was learned in the compressed tail; if not, it raises instead
of returning a wrong answer.

EPSP read-out (as Jang et al 2026 measured it): in every sweep, the peak
somatic potential within ``EPSP_WINDOW`` after the probe minus the mean
potential over ``BASELINE_WINDOW`` before it.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import xarray as xr
import brian2
from brian2 import (Network, NeuronGroup, Synapses, SpikeGeneratorGroup, StateMonitor,
                    TimedArray, Equations, ms, second, pA, mV, defaultclock, prefs)
from brian2.units.fundamentalunits import get_unit, get_dimensions
from brian2.utils.stringtools import get_identifiers

from .models import Model
from .parameters import Parameters
from .schedule import Schedule
from . import __version__

#: dt of the whole run: fine enough for the AdEx upswing and the 2 ms CaM stage.
DEFAULT_DT = 0.1 * ms
#: peak search after the probe, and the pre-probe baseline of the EPSP read-out
EPSP_WINDOW = 40 * ms
BASELINE_WINDOW = 10 * ms


class SimulationError(RuntimeError):
    """A run could not be done or its result failed a validity check."""


@dataclass
class Rows:
    """The rows of one batch: a condition per row and per-row parameter values."""

    condition: np.ndarray            # condition name per row
    cell: np.ndarray                 # virtual-cell index within its condition
    values: dict                     # parameter name -> Quantity/array of length N

    @property
    def n(self) -> int:
        return len(self.condition)


def rows_for(params: Parameters, conditions, cells_per_condition) -> Rows:
    """Rows with identical parameters: ``cells_per_condition[c]`` rows per condition."""
    cond, cell = [], []
    for c in conditions:
        n = int(cells_per_condition[c])
        cond += [c] * n
        cell += list(range(n))
    n_rows = len(cond)
    values = {k: _repeat(params[k], n_rows) for k in params}
    return Rows(np.array(cond, dtype=object), np.array(cell), values)


def _repeat(value, n):
    return np.repeat(np.asarray(value), n) * get_unit(get_dimensions(value)) \
        if isinstance(value, brian2.Quantity) else np.full(n, float(value))


def _identifiers(*codes) -> set:
    ids = set()
    for code in codes:
        ids |= get_identifiers(code)
    return ids


def _unit_name(spec) -> str:
    if isinstance(spec.unit, brian2.Quantity) and not get_dimensions(spec.unit).is_dimensionless:
        return repr(get_unit(get_dimensions(spec.unit)))
    return "1"


def _step_resolution(times_s, floor=1e-4) -> float:
    """Largest grid (multiple of ``floor`` seconds) on which all ``times_s`` lie."""
    ticks = np.rint(np.asarray(times_s, dtype=float) / floor).astype(np.int64)
    g = 0
    for t in np.unique(ticks):
        g = math.gcd(g, int(t))
    return floor * max(g, 1)


def _current_array(schedule: Schedule, rows: Rows):
    """Per-row somatic current as a 2-D TimedArray (time x row)."""
    total = float(schedule.simulated_duration / second)
    edges = [0.0, total]
    for stim in schedule.stimuli.values():
        for start, stop, _ in stim.current_steps:
            edges += [float(start / second), float(stop / second)]
    res = _step_resolution(edges)
    n_t = int(round(total / res))
    values = np.zeros((n_t, rows.n))
    for r, cond in enumerate(rows.condition):
        for start, stop, amp in schedule.stimuli[cond].current_steps:
            a = int(round(float(start / second) / res))
            b = int(round(float(stop / second) / res))
            values[a:b, r] += float(amp / pA)
    return TimedArray(values * pA, dt=res * second, name="somatic_current")


def _expression_speed(schedule: Schedule):
    """1 in real time, the compression factor in each sweep's quiet tail."""
    length = float(schedule.sweep_length / second)
    active = float(schedule.active_length / second)
    res = _step_resolution([length, active])
    per_sweep = int(round(length / res))
    n_active = int(round(active / res))
    speed = np.ones((schedule.n_sweeps, per_sweep))
    durations = np.asarray(schedule.sweep_duration / second, dtype=float)
    if per_sweep > n_active:
        tail = (durations - active) / (length - active)
        speed[:, n_active:] = tail[:, None]
    # one extra slot so that the final sample at t = n_sweeps * length is defined
    flat = np.concatenate([speed.ravel(), [1.0]])
    compressed = durations > length * (1 + 1e-9)
    return TimedArray(flat, dt=res * second, name="expression_speed"), compressed


def _pre_spikes(schedule: Schedule, rows: Rows):
    probe_times = (schedule.probe_sweeps * float(schedule.sweep_length / second)
                   + float(schedule.probe_offset / second))
    idx, times = [], []
    for r, cond in enumerate(rows.condition):
        t = np.concatenate([np.asarray(schedule.stimuli[cond].pre_spikes / second, dtype=float),
                            probe_times])
        idx.append(np.full(t.size, r))
        times.append(t)
    idx = np.concatenate(idx) if idx else np.zeros(0, int)
    times = np.concatenate(times) if times else np.zeros(0)
    return idx, times


def _group_code(model: Model):
    neuron_code = (model.neuron_equations, model.neuron_threshold, model.neuron_reset,
                   model.neuron_refractory, *map(str, model.neuron_initial.values()))
    synapse_code = (model.synapse_equations, model.synapse_on_pre, model.learning_code,
                    *map(str, model.synapse_initial.values()))
    return _identifiers(*neuron_code), _identifiers(*synapse_code)


def simulate(model: Model, schedule: Schedule, rows: Rows, *, seed: int = 0, dt=DEFAULT_DT,
             trace_rows=None, progress=None, target: str = "cython") -> xr.Dataset:
    """Run all ``rows`` of ``schedule`` on ``model`` in one Brian2 network.

    ``trace_rows``: row indices whose ca/CaP/CaD are recorded through
    ``schedule.trace_window``.  ``progress``: a callable(fraction) for a bar.
    """
    schedule.validate()
    unknown = sorted(set(rows.condition) - set(schedule.conditions))
    if unknown:
        raise SimulationError(f"rows name conditions not in protocol '{schedule.protocol}': {unknown}")
    specs = {s.name: s for s in model.specs}
    missing = sorted(set(specs) - set(rows.values))
    if missing:
        raise SimulationError(f"rows lack values for parameters {missing}")
    prefs.codegen.target = target
    brian2.seed(int(seed))          # fixes every random number Brian2 draws (membrane noise)
    N = rows.n
    net = Network()
    neuron_ids, synapse_ids = _group_code(model)
    namespace = {}
    neuron_params, synapse_params = [], []
    for name, spec in specs.items():
        vals = rows.values[name]
        if spec.shared:
            arr = np.asarray(vals)
            if not np.all(arr == arr.flat[0]):
                raise SimulationError(f"parameter '{name}' must be the same in every row")
            namespace[name] = vals[0] if isinstance(vals, brian2.Quantity) else float(arr.flat[0])
            continue
        if name in neuron_ids:
            neuron_params.append(spec)
        if name in synapse_ids:
            synapse_params.append(spec)
    current = _current_array(schedule, rows)
    speed, compressed = _expression_speed(schedule)
    namespace.update(somatic_current=current, expression_speed=speed)

    neuron_eqs = Equations(model.neuron_equations + "\n".join(
        f"{s.name} : {_unit_name(s)} (constant)" for s in neuron_params)
        + "\nv_peak : volt\nv_base : volt\n")
    neurons = NeuronGroup(N, neuron_eqs, threshold=model.neuron_threshold, reset=model.neuron_reset,
                          refractory=model.neuron_refractory, method=model.neuron_method,
                          namespace=namespace, name="neurons", dt=dt)
    for s in neuron_params:
        setattr(neurons, s.name, rows.values[s.name])
    for var, init in model.neuron_initial.items():
        setattr(neurons, var, init)

    idx, times = _pre_spikes(schedule, rows)
    pathway = SpikeGeneratorGroup(N, idx, times * second, name="pathway", dt=dt)
    subexpr = Equations(model.synapse_equations).subexpr_names
    synapse_eqs = Equations(model.synapse_equations + "\n".join(
        f"{s.name} : {_unit_name(s)} (constant)" for s in synapse_params)
        + "".join(f"\n{v}_rec : 1" for v in model.trace_variables if v in subexpr))
    spines = Synapses(pathway, neurons, synapse_eqs, on_pre=model.synapse_on_pre,
                      method=model.synapse_method, namespace=namespace, name="spines", dt=dt)
    spines.connect(j="i")
    for s in synapse_params:
        setattr(spines, s.name, rows.values[s.name])
    for var, init in model.synapse_initial.items():
        setattr(spines, var, init)

    period = namespace[model.learning_period]
    spines.run_regularly(model.learning_code, dt=period, when="end", name="learning")
    length = schedule.sweep_length
    namespace.update(sweep_length=length, probe_offset=schedule.probe_offset,
                     epsp_window=EPSP_WINDOW, baseline_window=BASELINE_WINDOW)
    vm = model.recorded_potential
    neurons.run_regularly(f"""
        phase = t - sweep_length * floor(t / sweep_length + 1e-6)
        v_base += {vm} * (dt / baseline_window) * int(phase >= probe_offset - baseline_window - 1e-6*second) * int(phase < probe_offset - 1e-6*second)
        v_peak = v_peak + ({vm} - v_peak) * int({vm} > v_peak) * int(phase >= probe_offset - 1e-6*second) * int(phase < probe_offset + epsp_window - 1e-6*second)
        """, dt=dt, when="end", name="epsp_readout")
    res = _step_resolution([float(length / second), float(schedule.active_length / second)])
    sweep_mon_n = StateMonitor(neurons, ["v_peak", "v_base", *model.neuron_rest], record=True,
                               dt=res * second, when="start", order=0, name="sweep_neurons")
    sweep_mon_s = StateMonitor(spines, [model.expressed_variable, model.learning_variable,
                                        *model.synapse_rest], record=True,
                               dt=res * second, when="start", order=0, name="sweep_spines")
    neurons.run_regularly("v_base = 0*volt\nv_peak = -1*volt", dt=length, when="start", order=1,
                          name="sweep_reset")
    net.add(neurons, pathway, spines, sweep_mon_n, sweep_mon_s)
    net.add(neurons.contained_objects, spines.contained_objects)

    trace_mon, trace_copy = None, None
    if trace_rows is not None and schedule.trace_window is not None:
        # subexpressions that read postsynaptic variables cannot be monitored
        # directly in Synapses: copy them into plain variables while tracing
        copied = [v for v in model.trace_variables if v in subexpr]
        if copied:
            trace_copy = spines.run_regularly(
                "\n".join(f"{v}_rec = {v}" for v in copied), dt=dt, when="end", order=10,
                name="trace_copy")
            trace_copy.active = False
            net.add(trace_copy)
        names = [f"{v}_rec" if v in copied else v for v in model.trace_variables]
        trace_mon = StateMonitor(spines, names, record=list(trace_rows), dt=0.5 * ms,
                                 when="end", order=11, name="traces")
        trace_mon.active = False
        net.add(trace_mon)

    total = schedule.simulated_duration
    report = None
    if progress is not None:
        def report(elapsed, completed, start, duration):
            progress(float(completed))
    t_wall = time.perf_counter()
    segments = [(total, False)]
    if trace_mon is not None:
        a, b = schedule.trace_window
        segments = [(a, False), (b - a, True), (total - b, False)]
    done = 0 * second
    for seg, tracing in segments:
        if trace_mon is not None:
            trace_mon.active = tracing
            if trace_copy is not None:
                trace_copy.active = tracing
        frac0, frac1 = float(done / total), float((done + seg) / total)
        seg_report = None
        if report is not None:
            seg_report = (lambda e, c, s, d, f0=frac0, f1=frac1: progress(f0 + (f1 - f0) * c))
        if seg > 0 * second:
            net.run(seg, report=seg_report, report_period=1 * second, namespace=namespace)
        done += seg
    # one more step so that the last sweep's values are sampled at t = total
    net.run(dt, namespace=namespace)
    wall = time.perf_counter() - t_wall

    per_sweep = int(round(float(length / second) / res))
    n_active = int(round(float(schedule.active_length / second) / res))
    ds = _to_dataset(model, schedule, rows, sweep_mon_n, sweep_mon_s, trace_mon,
                     trace_rows, compressed, wall, dt, target, per_sweep, n_active)
    ds.attrs["brian2_seed"] = int(seed)
    return ds


def _to_dataset(model, schedule, rows, mon_n, mon_s, trace_mon, trace_rows, compressed,
                wall, dt, target, per_sweep, n_active) -> xr.Dataset:
    K = schedule.n_sweeps
    # the sample at t = (k+1) * length (taken before the reset) closes sweep k;
    # the one at k * length + active_length opens its compressed tail
    ends = per_sweep * np.arange(1, K + 1)
    tails = per_sweep * np.arange(K) + n_active
    epsp = np.asarray((mon_n.v_peak - mon_n.v_base) / mV)[:, ends]
    w_expr = np.asarray(getattr(mon_s, model.expressed_variable))[:, ends]
    learned = np.asarray(getattr(mon_s, model.learning_variable))
    w_L = learned[:, ends]
    if not np.all(np.isfinite(epsp)) or not np.all(np.isfinite(w_expr)):
        bad = np.flatnonzero(~np.isfinite(epsp).all(axis=1) | ~np.isfinite(w_expr).all(axis=1))
        raise SimulationError(f"non-finite state in rows {bad[:10].tolist()} "
                              f"(conditions {sorted(set(rows.condition[bad]))})")
    at_end = {var: np.asarray(getattr(mon_n, var))[:, ends] for var in model.neuron_rest}
    at_end.update({var: np.asarray(getattr(mon_s, var))[:, ends] for var in model.synapse_rest})
    _check_rest(model, schedule, compressed, at_end, w_L - learned[:, tails])

    start = np.asarray(schedule.sweep_start / second, dtype=float)
    t_min = (start + float(schedule.probe_offset / second)
             - float(schedule.induction_end / second)) / 60.0
    ds = xr.Dataset(
        {
            "epsp": (("row", "sweep"), epsp, {"units": "mV",
                     "long_name": "somatic EPSP amplitude (model, noise-free)"}),
            "expressed_weight": (("row", "sweep"), w_expr, {"units": "1",
                                 "long_name": "expressed relative synaptic strength w_expr"}),
            "learning_weight": (("row", "sweep"), w_L, {"units": "1",
                                "long_name": "learning weight w_L (target strength 2 w_L)"}),
        },
        coords={
            "row": np.arange(rows.n),
            "condition": ("row", rows.condition.astype(str)),
            "cell": ("row", rows.cell),
            "sweep": np.arange(K),
            "sweep_kind": ("sweep", np.asarray(schedule.sweep_kind, dtype=str)),
            "time": ("sweep", t_min, {"units": "min",
                                      "long_name": "time of the sweep's probe after induction"}),
        },
    )
    for name in rows.values:
        v = rows.values[name]
        arr = np.asarray(v, dtype=float)
        spec_unit = ""
        if isinstance(v, brian2.Quantity):
            spec_unit = repr(get_unit(get_dimensions(v)))
        if arr.ndim == 1 and arr.size == rows.n and not np.all(arr == arr[0]):
            ds[f"param_{name}"] = ("row", arr, {"units": spec_unit or "1", "long_name": f"per-row {name} (SI)"})
    if trace_mon is not None:
        a, _ = schedule.trace_window
        tt = (np.asarray(trace_mon.t / ms) - float(a / ms))
        for var in model.trace_variables:
            recorded = f"{var}_rec" if hasattr(trace_mon, f"{var}_rec") else var
            ds[f"trace_{var}"] = (("trace_row", "trace_time"), np.asarray(getattr(trace_mon, recorded)),
                                  {"units": "1", "long_name": f"{var} through one induction window"})
        ds = ds.assign_coords(trace_row=np.asarray(trace_rows), trace_time=("trace_time", tt, {"units": "ms"}))
        ds = ds.assign_coords(trace_condition=("trace_row", rows.condition[np.asarray(trace_rows)].astype(str)))
    ds.attrs.update({
        "model": model.name,
        "protocol": schedule.protocol,
        "simulator": f"brian2 {brian2.__version__} ({target})",
        "dt_ms": float(dt / ms),
        "wall_time_s": round(wall, 3),
        "plasticity_version": __version__,
    })
    return ds


def _check_rest(model, schedule, compressed, at_end, tail_learning):
    """A compressed sweep must end at rest, and nothing may be learned in its tail.

    Then simulating the quiet tail for ``sweep_length - active_length`` instead
    of its real duration changes nothing but the expression, which is advanced
    by the real time.
    """
    if not np.any(compressed):
        return
    k = np.flatnonzero(compressed)
    tolerance = {**model.neuron_rest, **model.synapse_rest}
    problems = [f"{var} = {np.abs(at_end[var][:, k]).max():.3g} (limit {tol:g})"
                for var, tol in tolerance.items() if np.abs(at_end[var][:, k]).max() > tol]
    if np.abs(tail_learning[:, k]).max() > 1e-6:
        problems.append(f"learning of {np.abs(tail_learning[:, k]).max():.2g} in the tail")
    if problems:
        raise SimulationError(
            f"protocol '{schedule.protocol}', model '{model.name}': a compressed sweep does not end "
            f"at rest ({'; '.join(problems)}); lengthen the schedule's active_length")


__all__ = ["simulate", "Rows", "rows_for", "SimulationError", "DEFAULT_DT"]
