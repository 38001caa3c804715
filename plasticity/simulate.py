"""The runner: one Brian2 network for every row of a batch.

``simulate(model, schedule, rows)`` builds, for N rows (condition x virtual
cell x parameter set), one NeuronGroup of N rows (neuron and spine integrated
together) fed by one SpikeGeneratorGroup through a one-to-one Synapses relay,
with every model parameter
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

EPSP read-out: in every sweep, the mean somatic potential over
``EPSP_WINDOW`` (5-20 ms after the probe, around the model EPSP's peak at
~10 ms) minus the mean over ``BASELINE_WINDOW`` (10 ms) before it.  Jang et al
2026 measured the peak; with membrane noise a single-sweep peak is biased
upwards by the noise (which compresses normalised changes), while a mean
around the peak is proportional to the amplitude and unbiased.
"""
from __future__ import annotations

import logging
import math
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import xarray as xr
import brian2
from brian2 import (Network, NeuronGroup, Synapses, SpikeGeneratorGroup, StateMonitor,
                    TimedArray, Equations, ms, second, pA, mV, prefs)
from brian2.units.fundamentalunits import get_unit, get_dimensions

from .models import Model
from .chemistry.coupling import GroupChemistry
from .parameters import Parameters
from .schedule import Schedule
from . import __version__

#: dt of the whole run (forward Euler): the cascade's impulse response is within 3 % of
#: its closed form (tests/test_cascade.py); AdEx spike times to 0.2 ms.
DEFAULT_DT = 0.2 * ms
#: the EPSP read-out window after the probe, and the pre-probe baseline
EPSP_WINDOW = (5 * ms, 20 * ms)
BASELINE_WINDOW = 10 * ms
#: print Brian2's per-object profile of every run (for benchmarking by hand)
PROFILE = False


_BRIAN2_COMPILE_ARGS = tuple(prefs.codegen.cpp.extra_compile_args_gcc)
#: environment variable: compiler flags for every C++ build this package makes (cython runtime
#: and cpp_standalone), replacing the model's and Brian2's.  The test suite sets it to
#: ``-w -g0 -O0 -std=c++11`` (tests/conftest.py): on a fresh machine compiling dominates the
#: test run, and unoptimised code computes the same IEEE arithmetic (no -ffast-math, no -march).
COMPILE_ARGS_ENV = "PLASTICITY_COMPILE_ARGS"


def compile_args(model_args=None) -> list:
    """The compiler flags of a build: ``$PLASTICITY_COMPILE_ARGS`` when set, else ``model_args``,
    else Brian2's defaults (as they were when this module was imported)."""
    env = os.environ.get(COMPILE_ARGS_ENV, "").split()
    if env:
        return env
    return list(model_args if model_args is not None else _BRIAN2_COMPILE_ARGS)


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

    def set_value(self, row: int, name: str, value):
        """Give one row its own value of parameter ``name`` (a copy; the other rows keep theirs)."""
        values = self.values[name].copy()
        values[row] = value
        self.values[name] = values


class _OrderWarningFilter(logging.Filter):
    """Drops Brian2's warning that a synaptic code block may depend on the order of execution."""

    def filter(self, record):
        return not record.getMessage().startswith("Came across an abstract code block")


@contextmanager
def _one_to_one_relays():
    """Brian2 cannot see that the relays connect ``j = i`` (one synapse per row, so no
    postsynaptic index repeats and the order of their updates cannot matter); its warning
    that the spine's ``on_pre`` (which reads the chemistry's weight) may depend on that
    order is dropped while this module's network runs, and only then."""
    log = logging.getLogger("brian2.codegen.generators.base")
    drop = _OrderWarningFilter()
    log.addFilter(drop)
    try:
        yield
    finally:
        log.removeFilter(drop)


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


_SI_BASE = (("m", "metre"), ("kg", "kilogram"), ("s", "second"), ("A", "amp"), ("K", "kelvin"),
            ("mol", "mole"), ("cd", "candle"))


def _unit_name(spec) -> str:
    """The spec's unit for an equation string, written in SI base units (always parseable)."""
    if not isinstance(spec.unit, brian2.Quantity) or get_dimensions(spec.unit).is_dimensionless:
        return "1"
    dims = get_dimensions(spec.unit)
    parts = [f"{name}**{dims.get_dimension(key):g}" for key, name in _SI_BASE
             if dims.get_dimension(key) != 0]
    return " * ".join(parts)


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


def simulate(model: Model, schedule: Schedule, rows: Rows, *, seed: int = 0, dt=None,
             trace_rows=None, progress=None, target: str = "cython") -> xr.Dataset:
    """Run all ``rows`` of ``schedule`` on ``model`` in one Brian2 network.

    ``trace_rows``: row indices whose trace variables (ca, CaP, CaD) are
    recorded every 0.5 ms through ``schedule.trace_window``.  ``progress``: a
    callable(fraction done) for a progress bar.  ``seed`` seeds Brian2's
    random numbers (membrane noise).
    """
    schedule.validate()
    if dt is None:
        dt = model.dt if model.dt is not None else DEFAULT_DT
    unknown = sorted(set(rows.condition) - set(schedule.conditions))
    if unknown:
        raise SimulationError(f"rows name conditions not in protocol '{schedule.protocol}': {unknown}")
    specs = {s.name: s for s in model.specs}
    missing = sorted(set(specs) - set(rows.values))
    if missing:
        raise SimulationError(f"rows lack values for parameters {missing}")
    runtime_device()
    prefs.codegen.target = target
    prefs.codegen.cpp.extra_compile_args_gcc = compile_args(model.compile_args)
    brian2.seed(int(seed))
    N = rows.n
    namespace, per_row = {}, []
    for name, spec in specs.items():
        vals = rows.values[name]
        if spec.shared:
            arr = np.asarray(vals)
            if not np.all(arr == arr.flat[0]):
                raise SimulationError(f"parameter '{name}' must be the same in every row")
            namespace[name] = vals[0] if isinstance(vals, brian2.Quantity) else float(arr.flat[0])
        else:
            per_row.append(spec)
    speed, compressed = _expression_speed(schedule)
    length = schedule.sweep_length
    namespace.update(somatic_current=_current_array(schedule, rows), expression_speed=speed,
                     sweep_length=length, probe_offset=schedule.probe_offset,
                     epsp_start=EPSP_WINDOW[0], epsp_stop=EPSP_WINDOW[1],
                     baseline_window=BASELINE_WINDOW)

    eqs = Equations(model.equations + "\n".join(
        f"{s.name} : {_unit_name(s)} (constant)" for s in per_row)
        + "\nv_peak : volt\nv_base : volt\n")
    cells = NeuronGroup(N, eqs, threshold=model.threshold, reset=model.reset,
                        refractory=model.refractory, method=model.method,
                        namespace=namespace, name="rows", dt=dt)
    for s in per_row:
        setattr(cells, s.name, rows.values[s.name])
    for var, init in model.initial.items():
        setattr(cells, var, init)
    chemistry = None
    if model.chemistry is not None:
        chemistry = GroupChemistry(model.chemistry, cells, namespace)
        if model.settle_time is not None:
            chemistry.advance(model.settle_time)
        settled = chemistry.state()
        chemistry.settled = settled
        _set_references(model, cells, settled)
        constants = {n: namespace[n] for n in model.chemistry.parameters if n in namespace}
        steps = _chemistry_steps(model, schedule)
        steppers = {}
        for sub in sorted(set(steps)):
            code = model.chemistry_input + model.chemistry.euler_code(
                sub, constants, implicit=model.chemistry_implicit)
            steppers[sub] = cells.run_regularly(code, dt=dt, when="end", order=-2,
                                                name=f"chemistry_{sub}")
    if model.chemistry_start:
        cells.run_regularly(model.chemistry_start, dt=dt, when="start", order=-2,
                            name="chemistry_start")
    idx, times = _pre_spikes(schedule, rows)
    pathway = SpikeGeneratorGroup(N, idx, times * second, name="pathway", dt=dt)
    relay = Synapses(pathway, cells, on_pre=model.on_pre, namespace=namespace, name="relay", dt=dt)
    relay.connect(j="i")
    relays = [relay]
    if model.on_pre_delayed is not None:
        code, delay_name = model.on_pre_delayed
        delayed = Synapses(pathway, cells, on_pre=code, namespace=namespace, name="relay_delayed",
                           dt=dt)
        delayed.connect(j="i")
        delay = rows.values[delay_name]
        delayed.delay = delay if isinstance(delay, brian2.Quantity) else delay * second
        relays.append(delayed)
    if model.learning_code:
        cells.run_regularly(model.learning_code, dt=namespace[model.learning_period], when="end",
                            name="learning")
    vm = model.recorded_potential
    eps = "1e-6*second"
    cells.run_regularly(f"""
        phase = t - sweep_length * floor(t / sweep_length + 1e-6)
        v_base += {vm} * (dt / baseline_window) * int(phase >= probe_offset - baseline_window - {eps}) * int(phase < probe_offset - {eps})
        v_peak += {vm} * (dt / (epsp_stop - epsp_start)) * int(phase >= probe_offset + epsp_start - {eps}) * int(phase < probe_offset + epsp_stop - {eps})
        """, dt=dt, when="end", name="epsp_readout")
    cells.run_regularly("v_base = 0*volt\nv_peak = 0*volt", dt=length, when="start", order=1,
                        name="sweep_reset")
    res = _step_resolution([float(length / second), float(schedule.active_length / second)])
    recorded = ["v_peak", "v_base", model.expressed_variable, *model.rest, *model.sweep_variables]
    if model.learning_variable:
        recorded.append(model.learning_variable)
    sweep_mon = StateMonitor(cells, recorded, record=True, dt=res * second, when="start", order=0,
                             name="sweeps")
    net = Network(cells, pathway, *relays, sweep_mon)
    if chemistry is not None:
        net.add(*_quiet_chemistry(chemistry, schedule, compressed, model, cells))
    trace_mon = None
    if trace_rows is not None and schedule.trace_window is not None:
        trace_mon = StateMonitor(cells, list(model.trace_variables), record=list(trace_rows),
                                 dt=0.5 * ms, name="traces")
        net.add(trace_mon)

    total = schedule.simulated_duration
    trace_span = schedule.trace_window if trace_mon is not None else None
    fine_span = schedule.induction_span if chemistry is not None and len(steppers) > 1 else None
    t_wall = time.perf_counter()
    done = 0 * second
    stepped = {}                  # chemistry substeps -> simulated seconds run with them
    with _one_to_one_relays():
        for seg, tracing, fine in _segments(total, trace_span, fine_span):
            if trace_mon is not None:
                trace_mon.active = tracing
            if chemistry is not None:
                sub = _select_stepper(steppers, steps[1] if fine else steps[0])
                stepped[sub] = stepped.get(sub, 0.0) + float(seg / second)
            f0, f1 = float(done / total), float((done + seg) / total)
            report = None
            if progress is not None:
                report = (lambda e, c, s, d, f0=f0, f1=f1: progress(f0 + (f1 - f0) * c))
            if seg > 0 * second:
                net.run(seg, report=report, report_period=1 * second, namespace=namespace,
                        profile=PROFILE)
                if PROFILE:
                    print(brian2.profiling_summary(net, show=14))
            done += seg
        # run on a little so that the last sweep's values are sampled at t = total
        if chemistry is not None:
            _select_stepper(steppers, steps[0])
        net.run(max(2 * dt, 0.01 * second), namespace=namespace)
    wall = time.perf_counter() - t_wall
    per_sweep = int(round(float(length / second) / res))
    n_active = int(round(float(schedule.active_length / second) / res))
    ds = _to_dataset(model, schedule, rows, sweep_mon, trace_mon, trace_rows, compressed,
                     per_sweep, n_active)
    if chemistry is not None:
        ids = model.chemistry.species_ids
        final = chemistry.state()
        states = [("chemistry_settled", chemistry.settled), ("chemistry_final", final)]
        if chemistry.conditioned is not None:
            states.insert(1, ("chemistry_conditioned", chemistry.conditioned))
        for name, state in states:
            ds[name] = (("row", "species"), np.stack([state[s] for s in ids], axis=1),
                        {"units": "uM", "long_name": f"every species, {name.split('_')[1]}"})
        ds = ds.assign_coords(species=ids)
        ds.attrs["chemistry_substeps"] = "; ".join(
            f"{sub} per dt for {sec:.1f} s simulated" for sub, sec in sorted(stepped.items()))
    ds.attrs.update({"simulator": f"brian2 {brian2.__version__} ({target})",
                     "dt_ms": float(dt / ms), "wall_time_s": round(wall, 3),
                     "brian2_seed": int(seed), "plasticity_version": __version__})
    return ds


def runtime_device():
    """Make Brian2's runtime device current (a cpp_standalone network built earlier in the
    process may have left its device set; the runner's objects must not join it)."""
    if type(brian2.get_device()).__name__ != "RuntimeDevice":
        brian2.set_device("runtime")


def _chemistry_steps(model, schedule: Schedule) -> tuple:
    """(chemistry steps per dt outside the induction span, inside it); the same twice when
    the model has no induction count or the schedule no induction sweep
    (ReactionNetwork.euler_code rejects counts below 1)."""
    outside = int(model.chemistry_substeps)
    inside = model.chemistry_induction_substeps
    if inside is None or schedule.induction_span is None:
        return outside, outside
    return outside, int(inside)


def _select_stepper(steppers: dict, sub: int) -> int:
    """Make the chemistry stepper with ``sub`` steps per dt the only active one."""
    for n, stepper in steppers.items():
        stepper.active = n == sub
    return sub


def _segments(total, trace_span=None, fine_span=None):
    """Consecutive (duration, tracing, fine) pieces of a run of length ``total``.

    A new ``Network.run`` starts wherever tracing or the chemistry's step count
    changes (Brian2 fixes the set of active objects for a whole run call).
    """
    cuts = {0.0, float(total / second)}
    for span in (trace_span, fine_span):
        if span is not None:
            cuts |= {float(span[0] / second), float(span[1] / second)}
    cuts = sorted(c for c in cuts if 0.0 <= c <= float(total / second))

    def inside(span, t):
        return span is not None and float(span[0] / second) <= t < float(span[1] / second)
    out = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        if b - a > 1e-12:
            mid = 0.5 * (a + b)
            out.append(((b - a) * second, inside(trace_span, mid), inside(fine_span, mid)))
    return out


def _set_references(model, cells, state):
    """Per-row reference values (e.g. the trapped AMPAR pool the weight is relative to)."""
    for var, observable in model.references.items():
        setattr(cells, var, model.chemistry.evaluate(observable, state) * brian2.umolar)


def _quiet_chemistry(chemistry, schedule: Schedule, compressed, model, cells):
    """At the start of sweep k, advance the chemistry through the rest of sweep k-1's real time.

    Brian2 simulates ``sweep_length`` of every sweep (stimulus, Ca2+ transient
    and the return to rest, all at the fine dt); what a compressed sweep lasts
    beyond that is quiet and goes to the stiff solver (inputs off).  At the
    start of the first sweep after the schedule's conditioning sweeps the
    model's references are taken again from the conditioned state (so the
    weight is 1 at the start of the recorded baseline), after the sweep
    monitor has closed the last conditioning sweep.
    """
    length = float(schedule.sweep_length / second)
    extra = np.asarray(schedule.sweep_duration / second, dtype=float) - length
    first_recorded = schedule.first_recorded_sweep

    @brian2.network_operation(dt=schedule.sweep_length, when="start", order=-1,
                              name="quiet_chemistry")
    def advance(t):
        k = int(round(float(t / second) / length)) - 1
        if 0 <= k < len(extra) and compressed[k] and extra[k] > 0:
            chemistry.advance(extra[k])

    # after the sweep monitor (order 0) has closed the last conditioning sweep
    @brian2.network_operation(dt=schedule.sweep_length, when="start", order=2,
                              name="conditioned_references")
    def references(t):
        k = int(round(float(t / second) / length))
        if first_recorded > 0 and k == first_recorded:
            chemistry.conditioned = chemistry.state()
            _set_references(model, cells, chemistry.conditioned)
    return [advance, references]


def _to_dataset(model, schedule, rows, mon, trace_mon, trace_rows, compressed, per_sweep,
                n_active) -> xr.Dataset:
    K = schedule.n_sweeps
    # the sample at t = (k+1) * length (taken before the reset) closes sweep k;
    # the one at k * length + active_length opens its compressed tail
    ends = per_sweep * np.arange(1, K + 1)
    tails = per_sweep * np.arange(K) + n_active
    if np.asarray(mon.t).shape[0] <= ends[-1]:
        raise SimulationError("the last sweep was not sampled (monitor clock); this is a bug")
    epsp = np.asarray((mon.v_peak - mon.v_base) / mV)[:, ends]
    w_expr = np.asarray(getattr(mon, model.expressed_variable))[:, ends]
    if model.learning_variable:
        learned = np.asarray(getattr(mon, model.learning_variable))
        w_L, tail_learning = learned[:, ends], learned[:, ends] - learned[:, tails]
    else:
        w_L, tail_learning = w_expr, np.zeros_like(w_expr)
    if not np.all(np.isfinite(epsp)) or not np.all(np.isfinite(w_expr)):
        bad = np.flatnonzero(~np.isfinite(epsp).all(axis=1) | ~np.isfinite(w_expr).all(axis=1))
        raise SimulationError(f"non-finite state in rows {bad[:10].tolist()} "
                              f"(conditions {sorted(set(rows.condition[bad]))})")
    at_end = {var: np.asarray(getattr(mon, var))[:, ends] for var in model.rest}
    _check_rest(model, schedule, compressed, at_end, tail_learning)

    start = np.asarray(schedule.sweep_start / second, dtype=float)
    t_min = (start + float(schedule.probe_offset / second)
             - float(schedule.induction_end / second)) / 60.0
    ds = xr.Dataset(
        {
            "epsp": (("row", "sweep"), epsp, {"units": "mV",
                     "long_name": "somatic EPSP amplitude (model, noise-free)"}),
            "expressed_weight": (("row", "sweep"), w_expr, {"units": "1",
                                 "long_name": "expressed relative synaptic strength"}),
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
    for var in model.sweep_variables:
        values, unit = _plain(getattr(mon, var))
        ds[var] = (("row", "sweep"), values[:, ends], {"units": unit, "long_name": f"{var} at sweep end"})
    for name, v in rows.values.items():
        arr = np.asarray(v, dtype=float)
        if arr.ndim == 1 and arr.size == rows.n and not np.all(arr == arr[0]):
            unit = repr(get_unit(get_dimensions(v))) if isinstance(v, brian2.Quantity) else "1"
            ds[f"param_{name}"] = ("row", arr, {"units": unit, "long_name": f"per-cell {name} (SI)"})
    if trace_mon is not None:
        a, _ = schedule.trace_window
        tt = np.asarray(trace_mon.t / ms) - float(a / ms)
        for var in model.trace_variables:
            values, unit = _plain(getattr(trace_mon, var))
            ds[f"trace_{var}"] = (("trace_row", "trace_time"), values,
                                  {"units": unit, "long_name": f"{var} through one induction window"})
        rows_idx = np.asarray(trace_rows)
        ds = ds.assign_coords(trace_row=rows_idx, trace_time=("trace_time", tt, {"units": "ms"}),
                              trace_condition=("trace_row", rows.condition[rows_idx].astype(str)))
    ds.attrs.update({"model": model.name, "protocol": schedule.protocol})
    return ds


def _plain(values):
    """Numbers and their unit name: concentrations in uM, other quantities in SI."""
    if not isinstance(values, brian2.Quantity) or get_dimensions(values).is_dimensionless:
        return np.asarray(values, dtype=float), "1"
    if get_dimensions(values) == get_dimensions(brian2.umolar):
        return np.asarray(values / brian2.umolar), "uM"
    unit = get_unit(get_dimensions(values))
    return np.asarray(values / unit), repr(unit)


def _check_rest(model, schedule, compressed, at_end, tail_learning):
    """A compressed sweep must end at rest, and nothing may be learned in its tail.

    Then simulating the quiet tail for ``sweep_length - active_length`` instead
    of its real duration changes nothing but the expression, which is advanced
    by the real time.
    """
    if not np.any(compressed):
        return
    k = np.flatnonzero(compressed)
    tolerance = model.rest
    problems = [f"{var} = {np.abs(at_end[var][:, k]).max():.3g} (limit {tol:g})"
                for var, tol in tolerance.items() if np.abs(at_end[var][:, k]).max() > tol]
    if np.abs(tail_learning[:, k]).max() > 1e-6:
        problems.append(f"learning of {np.abs(tail_learning[:, k]).max():.2g} in the tail")
    if problems:
        raise SimulationError(
            f"protocol '{schedule.protocol}', model '{model.name}': a compressed sweep does not end "
            f"at rest ({'; '.join(problems)}); lengthen the schedule's active_length")


__all__ = ["simulate", "Rows", "rows_for", "SimulationError", "DEFAULT_DT"]
