"""Fit model parameters to the data of ``protocols/`` with CMA-ES, one batched run per generation.

    plasticity fit --model kinase --data jang2026,lfs --free 'eta,d_scale' --out DIR
                   [--bounds 'eta=0.5:3'] [--budget 60] [--popsize 6] [--seed 0] [--cells N]
                   [--set NAME=VALUE ...] [--workers N | --scheduler ADDRESS]

**Objective.**  For every dataset (a protocol whose module carries published
numbers: ``jang2026``, ``hfs``, ``tbs``, ``lfs``, ``freq-response``; see
:func:`targets`), every (condition, time bin) with a published mean and SEM
adds ``((model mean - mean) / SEM)^2``; the model mean is the protocol's
read-out (normalised EPSP of the virtual cohort, as the lab reads it) with the
run's seed, so the objective is a deterministic function of the parameters
(common random numbers: every candidate sees the same cells and drift; the
membrane noise, drawn per row of a run, is the exception).  Qualitative data
add penalties, ``(violation / SHAPE_SCALE)^2``: ``freq-response`` also scores
Dudek & Bear's shape (:data:`FREQ_SHAPE`), and the dataset ``pharmacology``
runs ``hfs`` and ``lfs`` untreated and under each manipulation of
:data:`PHARMACOLOGY` that applies to the model and scores their signs.

**Search.**  CMA-ES (Hansen's ``cma`` package) on the free parameters mapped
to [0, 1]: log-scaled between their bounds where both are positive, linear
otherwise.  Default bounds are the starting value (from ``--params``, or the
model's default) / 10 and x 10, cut to the parameter's own allowed range;
``--bounds NAME=LO:HI`` sets them.  Each
generation is ONE batched run per dataset (population x conditions x cells as
rows of :func:`protocols.experiment.run_points`), split into batches of
``batch_size`` points over the dask workers as :mod:`protocols.sweep` does.

**Failures.**  A candidate whose run fails (e.g. diverged chemistry at an
extreme rate) scores as failed and ranks last; the other points of its batch
are rerun one at a time, and the messages are kept in the generation's file
(``failed_runs``).  A generation in which every candidate fails stops the fit.

**Resume.**  After each generation the candidates, their objectives and the
per-cell read-outs go to ``DIR/generations/gen-NNNNN.nc`` and the optimizer's
state (with numpy's global random state that ``cma`` draws from) to
``DIR/state.pkl``, both by atomic rename; while a generation runs, each of its
finished runs is kept in ``DIR/generations/gen-NNNNN-runs/`` (stamped with its
points), so a generation interrupted midway reruns only what had not come back.
Rerunning the same command continues from the last finished generation (a larger
``--budget`` extends a finished fit); the result equals an uninterrupted fit's.

**Intervals.**  95 % intervals per free parameter by a bootstrap over the
virtual cells and the data: each of ``n_boot`` replicates resamples every
condition's cells (with replacement) and draws the published means from
N(mean, SEM), rescores every candidate the fit evaluated from its stored
per-cell read-outs, and keeps the best one; the 2.5 and 97.5 percentiles of
the kept values are the interval.  This re-optimises over the candidates
evaluated (no new simulations), which is accurate where the last generations
sample the optimum's neighbourhood densely; an interval that reaches a search
bound (within 2 % of the range) is reported as not identifiable.

Outputs: ``DIR/params.json`` (the best set, loadable with ``--params``),
``DIR/fit.nc`` (every generation), ``DIR/fit.json`` (best values, intervals,
warnings), ``DIR/fit.png`` (model vs data per dataset; convergence).
"""
from __future__ import annotations

import fnmatch
import json
import math
import pickle
import shutil
from dataclasses import dataclass, field, asdict, replace
from pathlib import Path

import numpy as np
import xarray as xr

from plasticity.parameters import ParameterError
from .sweep import SweepError, _atomic_write, _client, _value, quiet_worker

#: format of DIR/fit.json's definition (bumped when DIR's layout changes)
LAYOUT = 1
#: an interval this close to a bound (fraction of the search range) is not identifiable
BOUND_MARGIN = 0.02


#: scale of the qualitative targets (normalised-EPSP units): a violation of this size adds 1 to the
#: objective, as a one-SEM miss of a published mean does (Dudek & Bear 1992's 1 Hz SEM is 0.028)
SHAPE_SCALE = 0.03
#: the frequency-response's shape (Dudek & Bear 1992, the fitting issue): LTD at 1 Hz, the crossing
#: between 3 and 20 Hz, LTP at 50-100 Hz; (condition, relation to 1) at the primary bin
FREQ_SHAPE = (("1Hz", "<"), ("3Hz", "<"), ("20Hz", ">"), ("50Hz", ">"), ("100Hz", ">"))
#: HFS's LTP must last: its one published mean is at 4-6 min (134 +- 4 %), but the protocol's
#: primary bin is 55-60 min, where a 1 s 100 Hz train still gives early LTP (lasting 1-3 h,
#: Huang & Kandel 1994; 2 x 100 Hz: +63 % at 1 h, Drew et al 2011; protocols/data/hfs_ltp_ca1.json)
HFS_LASTS = (("1x", ">"),)
#: the qualitative targets of a dataset, beyond its published means: name -> (target's name,
#: [(condition, relation to 1)] at the protocol's primary bin)
SIGNS = {"freq-response": ("shape", FREQ_SHAPE), "hfs": ("LTP at 55-60 min", HFS_LASTS)}
#: the pharmacology signs (the protocol-library issue's list): arm -> [(protocol, condition, rule)],
#: read at each protocol's primary bin; "unchanged": within SHAPE_SCALE of 1; "no-ltd": not below
#: 1 - SHAPE_SCALE; "ltp-kept": not below the untreated value - SHAPE_SCALE; "ltp-reduced": below
#: the untreated value - SHAPE_SCALE.  Arms that do not apply to the model are left out.
PHARMACOLOGY = {
    "apv": (("hfs", "1x", "unchanged"), ("lfs", "lfs", "unchanged")),
    "dapk1-ko": (("lfs", "lfs", "no-ltd"), ("hfs", "1x", "ltp-kept")),
    "can-inhibitor": (("lfs", "lfs", "no-ltd"), ("hfs", "1x", "ltp-kept")),
    "camkii-t286a": (("hfs", "1x", "ltp-reduced"),),
    "glun2b-no-camkii": (("hfs", "1x", "ltp-reduced"),),
}


def _relu(x):
    return np.maximum(np.asarray(x, float), 0.0)


def freq_shape_penalty(summary_mean: xr.DataArray, bin_name: str) -> np.ndarray:
    """Per point: sum of (violation / SHAPE_SCALE)^2 of :data:`FREQ_SHAPE` at ``bin_name``."""
    return sign_penalty(summary_mean, bin_name, FREQ_SHAPE)


def sign_penalty(summary_mean: xr.DataArray, bin_name: str, rules) -> np.ndarray:
    """Per point: sum of (violation / SHAPE_SCALE)^2 of ``rules`` ([(condition, '<' or '>')]:
    below or above 1) at ``bin_name``."""
    total = np.zeros(summary_mean.sizes["point"])
    for cond, rel in rules:
        m = summary_mean.sel(condition=cond, bin=bin_name).values
        total += (_relu(m - 1.0 if rel == "<" else 1.0 - m) / SHAPE_SCALE) ** 2
    return total


def pharmacology_penalty(m: dict) -> np.ndarray:
    """Per point: the :data:`PHARMACOLOGY` rules on ``m[(arm, protocol, condition)]`` (arrays over
    points; arm "" is untreated); arms absent from ``m`` are skipped."""
    return np.asarray(sum(pharmacology_terms(m).values(), 0.0), float)


def pharmacology_terms(m: dict) -> dict:
    """{arm: per-point penalty of that arm's :data:`PHARMACOLOGY` rules} for the arms in ``m``."""
    out = {}
    for arm, rules in PHARMACOLOGY.items():
        total = None
        for protocol, cond, rule in rules:
            if (arm, protocol, cond) not in m:
                continue
            x, ref = m[(arm, protocol, cond)], m[("", protocol, cond)]
            if rule == "unchanged":
                v = _relu(np.abs(x - 1.0) - SHAPE_SCALE)
            elif rule == "no-ltd":
                v = _relu((1.0 - SHAPE_SCALE) - x)
            elif rule == "ltp-kept":
                v = _relu((ref - SHAPE_SCALE) - x)
            else:                                             # ltp-reduced
                v = _relu(x - (ref - SHAPE_SCALE))
            total = (v / SHAPE_SCALE) ** 2 + (0.0 if total is None else total)
        if total is not None:
            out[arm] = np.asarray(total, float)
    return out


def pharmacology_arms(model) -> list[str]:
    """The :data:`PHARMACOLOGY` arms that apply to ``model``."""
    from plasticity import manipulations
    arms = []
    for arm in PHARMACOLOGY:
        try:
            manipulations.scalings([arm], model.name, model.parameters)
        except manipulations.ManipulationError:
            continue
        arms.append(arm)
    return arms


class FitError(SweepError):
    """A fit cannot be defined, resumed or run as asked."""


@dataclass(frozen=True)
class FitDefinition:
    """Everything that fixes a fit's path (the budget only says how far to go)."""

    model: str
    data: tuple                                   # protocol names
    free: tuple                                   # parameter names (globs resolved)
    bounds: dict                                  # name -> (lo, hi) in the parameter's unit
    popsize: int = 8
    seed: int = 0
    cells: int | None = None
    overrides: dict = field(default_factory=dict)
    params_file: str | None = None
    batch_size: int = 8
    sigma0: float = 0.25
    #: {protocol: [[condition, bin, mean, sem], ...]} to fit instead of the published numbers
    custom_targets: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        d = asdict(self)
        d["data"], d["free"] = list(self.data), list(self.free)
        d["bounds"] = {k: [float(a), float(b)] for k, (a, b) in self.bounds.items()}
        d["custom_targets"] = {k: [[str(c), str(b), float(m), float(s)] for c, b, m, s in v]
                               for k, v in self.custom_targets.items()}
        return {"layout": LAYOUT, **d}


# -- definition ------------------------------------------------------------------------------
def targets(protocol_name: str) -> list[tuple]:
    """[(condition, bin, mean, sem)] published for ``protocol_name`` (the fit's data).

    ``pharmacology`` has no means: its signs (:data:`PHARMACOLOGY`) are penalties only."""
    from . import get_protocol
    if protocol_name == "pharmacology":
        return []
    try:
        protocol = get_protocol(protocol_name)
    except Exception as err:              # UnknownNameError (a KeyError) with the known names
        raise FitError(f"--data: {err}".replace('"', "")) from None
    out = []
    for bin_name, per_cond in (protocol.reference().get("bins") or {}).items():
        for cond, (mean, sem, _n) in per_cond.items():
            if np.isfinite(mean) and np.isfinite(sem) and sem > 0:
                out.append((cond, bin_name, float(mean), float(sem)))
    if not out:
        raise FitError(f"--data: protocol '{protocol_name}' carries no published means with SEMs "
                       "to fit to")
    return out


def resolve_free(patterns: str, model) -> tuple:
    """``'dapk1.*,eta'`` (comma-separated globs or regular expressions ending in ``.*``) -> names."""
    names = [s.name for s in model.specs]
    out = []
    items = [p.strip() for p in patterns.split(",") if p.strip()] if patterns else []
    if not items:
        raise FitError("--free is empty; give parameter names or globs, e.g. --free 'eta,tau_*'")
    for pat in items:
        glob = pat.replace(".*", "*")
        hits = [n for n in names if fnmatch.fnmatchcase(n, glob)]
        if not hits:
            raise FitError(f"--free: '{pat}' matches no parameter of model '{model.name}' "
                           f"(see `plasticity list --parameters {model.name}`)")
        out += [h for h in hits if h not in out]
    return tuple(out)


def parse_bounds(text: str | None, model, free, params=None) -> dict:
    """{name: (lo, hi)} in the parameter's unit: around the values of ``params`` (default: the
    model's), then ``'name=LO:HI,...'``."""
    specs = {s.name: s for s in model.specs}
    params = model.parameters if params is None else params
    bounds = {}
    for name in free:
        s = specs[name]
        value = float(params[name] / s.unit)
        if value == 0:
            lo, hi = None, None
        else:
            lo, hi = sorted((value / 10, value * 10))
        if s.low is not None:
            lo = max(lo, float(s.low)) if lo is not None else float(s.low)
        if s.high is not None:
            hi = min(hi, float(s.high)) if hi is not None else float(s.high)
        bounds[name] = (lo, hi)
    for item in [x.strip() for x in (text or "").split(",") if x.strip()]:
        if "=" not in item or ":" not in item.split("=", 1)[1]:
            raise FitError(f"--bounds: expected NAME=LO:HI, got '{item}'")
        name, spec = (x.strip() for x in item.split("=", 1))
        if name not in free:
            raise FitError(f"--bounds: '{name}' is not a free parameter ({', '.join(free)})")
        a, b = spec.split(":", 1)
        lo, hi = _value(a, specs[name].unit, name), _value(b, specs[name].unit, name)
        bounds[name] = (lo, hi)
    for name, (lo, hi) in bounds.items():
        if lo is None or hi is None:
            raise FitError(f"--bounds: parameter '{name}' has no default range (its default is 0); "
                           f"give --bounds {name}=LO:HI")
        if not lo < hi:
            raise FitError(f"--bounds {name}: LO must be below HI, got {lo:g}:{hi:g}")
        try:
            params.replace(**{name: lo * specs[name].unit}).replace(**{name: hi * specs[name].unit})
        except ParameterError as err:
            raise FitError(f"--bounds: {err}") from None
    return bounds


# -- search space ----------------------------------------------------------------------------
def to_physical(u, bounds: dict, free) -> dict:
    """Point in [0, 1]^k -> {name: value in the parameter's unit} (log scale for positive bounds)."""
    out = {}
    for x, name in zip(np.clip(np.asarray(u, float), 0.0, 1.0), free):
        lo, hi = bounds[name]
        out[name] = float(lo * (hi / lo) ** x) if lo > 0 else float(lo + (hi - lo) * x)
    return out


def to_unit(values: dict, bounds: dict, free) -> np.ndarray:
    out = []
    for name in free:
        lo, hi = bounds[name]
        v = min(max(float(values[name]), lo), hi)
        out.append(math.log(v / lo) / math.log(hi / lo) if lo > 0 else (v - lo) / (hi - lo))
    return np.asarray(out)


# -- evaluation ------------------------------------------------------------------------------
def evaluate_points(protocol: str, model: str, points: list[dict], *, seed=0, cells=None,
                    overrides=None, params_file=None, manipulations=None,
                    conditions=None) -> xr.Dataset:
    """Run ``points`` on ``protocol`` (one batch, on a worker): per-cell bin means and the summary.

    ``cell_bin_mean`` (point, condition, cell, bin) and ``summary_mean`` (point,
    condition, bin); the bootstrap needs the former, the objective the latter.
    """
    quiet_worker()
    from plasticity.models import get_model
    from . import get_protocol
    from .experiment import run_points
    from .readout import bin_mean
    units = {s.name: s.unit for s in get_model(model).specs}
    ds = run_points(protocol, [{k: v * units[k] for k, v in p.items()} for p in points], model=model,
                    seed=seed, cells=cells, overrides=overrides, params_file=params_file,
                    manipulations=manipulations, conditions=conditions)
    bins = get_protocol(protocol).BINS
    per_cell = []
    for b in ds.bin.values:
        lo, hi = bins[str(b)]
        per_cell.append(bin_mean(ds["normalized_epsp"], lo, hi))
    cell = xr.concat(per_cell, dim=ds.bin)
    return xr.Dataset({"cell_bin_mean": cell.transpose("point", "condition", "cell", "bin"),
                       "summary_mean": ds["summary_mean"]})


def evaluate_points_or_fail(protocol, model, points, **kw) -> xr.Dataset:
    """:func:`evaluate_points`, but a run that fails (diverged chemistry, a read-out that cannot be
    made) does not end the fit: a failed batch is retried one point at a time, and a point that
    fails alone comes back as an empty Dataset whose ``failed`` attribute holds the message."""
    try:
        return evaluate_points(protocol, model, points, **kw)
    except Exception as err:                  # noqa: BLE001 - reported per candidate, see _score
        if len(points) == 1:
            return xr.Dataset(attrs={"failed": f"{type(err).__name__}: {err}"})
        return _retry_alone(protocol, model, points, kw)


def _retry_alone(protocol, model, points, kw):
    parts = [evaluate_points_or_fail(protocol, model, [p], **kw) for p in points]
    return _fill_failed(parts, [1] * len(points))


def _fill_failed(parts, sizes):
    """Concatenate along ``point``; failed parts become NaN of the shape of a good one."""
    good = [p for p in parts if "failed" not in p.attrs]
    if not good:
        return xr.Dataset(attrs={"failed": parts[0].attrs["failed"]})
    template = good[0].isel(point=[0])
    out, messages = [], []
    for part, n in zip(parts, sizes):
        if "failed" in part.attrs:
            messages.append(part.attrs["failed"])
            nan = xr.full_like(template, np.nan)
            out.append(xr.concat([nan] * n, dim="point"))
        else:
            out.append(part)
    ds = xr.concat(out, dim="point")
    ds = ds.drop_vars("point") if "point" in ds.coords else ds
    if messages:
        ds.attrs["failed_points"] = " | ".join(messages)
    return ds


def scored_conditions(protocol: str, rows, pharmacology: bool = False) -> list[str]:
    """The conditions of ``protocol`` that the fit reads (its data's, the frequency-response's
    shape, or with ``pharmacology`` the drug rules'), in the protocol's order: a fit runs only
    these (on ``freq-response`` 5 of 8 trains, without the 30 min one at 0.5 Hz)."""
    from . import get_protocol
    wanted = {r[0] for r in rows}
    if protocol in SIGNS:
        wanted |= {c for c, _ in SIGNS[protocol][1]}
    if pharmacology:
        wanted |= {c for rules in PHARMACOLOGY.values() for q, c, _ in rules if q == protocol}
    return [c for c in get_protocol(protocol).CONDITIONS if c in wanted]


def objective(summary_mean: xr.DataArray, data: list[tuple]) -> np.ndarray:
    """Sum of squared z-scores of every (condition, bin, mean, sem) in ``data``, per point."""
    total = np.zeros(summary_mean.sizes["point"])
    for cond, b, mean, sem in data:
        model = summary_mean.sel(condition=cond, bin=b).values
        total += ((model - mean) / sem) ** 2
    return total


def _submit(client, definition: FitDefinition, protocol: str, points: list[dict],
            manipulations=None, conditions=None):
    """Send ``points`` on ``protocol`` to the workers in batches of ``batch_size``; returns a
    function that waits for them and gives the Dataset (point = 0, 1, ...)."""
    kw = dict(seed=definition.seed, cells=definition.cells, overrides=definition.overrides,
              params_file=definition.params_file, manipulations=manipulations,
              conditions=conditions)
    chunks = [list(range(i, min(i + definition.batch_size, len(points))))
              for i in range(0, len(points), definition.batch_size)]
    futures = [client.submit(evaluate_points_or_fail, protocol, definition.model,
                             [points[i] for i in c], pure=False, **kw) for c in chunks]

    def result() -> xr.Dataset:
        ds = _fill_failed(client.gather(futures), [len(c) for c in chunks])
        if "failed" in ds.attrs:
            raise FitError(f"every candidate failed on {protocol}; the first: {ds.attrs['failed']}")
        return ds.assign_coords(point=np.arange(len(points)))
    return result


# -- the fit ---------------------------------------------------------------------------------
class _FitStore:
    def __init__(self, out):
        self.out = Path(out)
        self.gen_dir = self.out / "generations"

    def gen_path(self, g: int) -> Path:
        return self.gen_dir / f"gen-{g:05d}.nc"

    def runs_dir(self, g: int) -> Path:
        """The finished runs of generation ``g`` while it is scored (removed once it is saved)."""
        return self.gen_dir / f"gen-{g:05d}-runs"

    def claim(self, definition: dict):
        self.gen_dir.mkdir(parents=True, exist_ok=True)
        meta = self.out / "definition.json"
        if meta.exists():
            if json.loads(meta.read_text()) != definition:
                raise FitError(f"{self.out} holds a different fit ({meta}); use another --out")
            return
        _atomic_write(meta, lambda tmp: tmp.write_text(json.dumps(definition, indent=1)))

    def load_state(self):
        path = self.out / "state.pkl"
        if not path.exists():
            return None
        with open(path, "rb") as fh:
            return pickle.load(fh)

    def save(self, g: int, generation: xr.Dataset, es):
        _atomic_write(self.gen_path(g), lambda tmp: generation.to_netcdf(tmp, engine="h5netcdf"))

        def dump(tmp):
            with open(tmp, "wb") as fh:
                pickle.dump({"es": es, "np_random": np.random.get_state(), "generation": g}, fh)
        _atomic_write(self.out / "state.pkl", dump)

    def history(self, n: int) -> xr.Dataset:
        parts = []
        for g in range(n):
            with xr.open_dataset(self.gen_path(g), engine="h5netcdf") as part:
                parts.append(part.load())
        # outer: a generation scored before a target was dropped has one more (_rescored)
        return xr.concat(parts, dim="generation", join="outer")


def run_fit(definition: FitDefinition, out, *, budget: int, workers=None, scheduler=None,
            progress=None, n_boot: int = 200) -> dict:
    """Run (or resume) the fit; returns the content of DIR/fit.json.  ``budget``: evaluations
    (generations = ceil(budget / popsize)); ``progress(generation, n_generations, best)``."""
    import cma
    from plasticity.models import get_model
    model = get_model(definition.model)
    if definition.popsize < 2:
        raise FitError(f"--popsize must be >= 2, got {definition.popsize}")
    if budget < definition.popsize:
        raise FitError(f"--budget ({budget}) must be at least one generation (--popsize "
                       f"{definition.popsize})")
    data = {p: [tuple(r) for r in definition.custom_targets[p]] if p in definition.custom_targets
            else targets(p) for p in definition.data}
    free, bounds = definition.free, definition.bounds
    n_gen = math.ceil(budget / definition.popsize)
    client = _client(workers, scheduler)
    store = _FitStore(out)
    d = definition.to_json()
    from .experiment import _prepare
    for p in definition.data:
        if p == "pharmacology":
            for q in ("hfs", "lfs"):
                _prepare(q, definition.model, definition.seed, definition.overrides,
                         definition.params_file)
            continue
        _prepare(p, definition.model, definition.seed, definition.overrides, definition.params_file)
    store.claim(d)
    state = store.load_state()
    if state is None:
        np.random.seed(definition.seed)
        start = _start_parameters(model, definition.params_file)
        x0 = _unit_point(model, start, bounds, free)
        es = cma.CMAEvolutionStrategy(list(x0), definition.sigma0,
                                      {"bounds": [[0.0] * len(free), [1.0] * len(free)],
                                       "popsize": definition.popsize, "seed": definition.seed + 1,
                                       "verbose": -9,
                                       # cma 4.5 fails in tell() on bounded 1-D problems when it
                                       # caps the step size at a share of the box; the box is
                                       # [0, 1] and sigma0 < 1 anyway
                                       "maxstd_boundrange": np.inf})
        injected = _injected(model, definition, bounds, x0)
        for u in injected:      # as a genotype that cma's bound transform maps onto u itself
            es.inject([es.boundary_handler.inverse(u)], force=True)
        done = 0
    else:
        es, done = state["es"], state["generation"] + 1
        injected = []                      # generation 0 is saved, and with it its origins
        np.random.set_state(state["np_random"])
    if done < n_gen:
        with client as dask_client:
            for g in range(done, n_gen):
                X = es.ask()
                points = [to_physical(x, bounds, free) for x in X]
                f_parts, cell_parts, pen_parts, terms, failed = _score(
                    dask_client, definition, model, data, points, cache=store.runs_dir(g))
                f = sum(f_parts.values())
                f = np.where(np.isfinite(f), f, 1e12)          # a failed run ranks last
                es.tell(X, list(f))
                gen = _generation_dataset(g, X, points, free, f, f_parts, cell_parts, pen_parts,
                                          terms)
                origin = ["start", "defaults"][:len(injected)] if g == 0 else []
                origin = (origin + ["cma"] * len(X))[:len(X)]
                gen["origin"] = (("generation", "member"), [origin])
                gen.attrs["failed_runs"] = " || ".join(failed)
                store.save(g, gen, es)
                shutil.rmtree(store.runs_dir(g), ignore_errors=True)
                if progress is not None:
                    progress(g + 1, n_gen, float(np.min(f)))
    elif progress is not None:
        progress(n_gen, n_gen, float("nan"))
    hist = _rescored(store.history(n_gen))
    result = _result(hist, definition, model, data, n_boot)
    _write_outputs(store.out, hist, result, definition, model, data)
    return result


def _unit_point(model, params, bounds, free) -> np.ndarray:
    """``params``' values of the ``free`` parameters on the search's [0, 1] scale."""
    units = {s.name: s.unit for s in model.specs}
    return to_unit({n: float(params[n] / units[n]) for n in free}, bounds, free)


def _injected(model, definition, bounds, x0) -> list:
    """The points generation 0 scores as they are, before CMA-ES's own samples: the start
    (the model's defaults, or the ``--params`` file's values) and, when a file moved the start,
    the model's defaults too if they lie inside the bounds; so that fit.json can say what the
    fit gained over both."""
    points = [np.asarray(x0, float)]
    if definition.params_file:
        d = _unit_point(model, model.parameters, bounds, definition.free)
        if np.all((d >= 0) & (d <= 1)) and not np.allclose(d, points[0]):
            points.append(d)
    return points


def _run_path(cache, key) -> Path:
    return Path(cache) / ("_".join([key[0], key[1] or "untreated", *key[2]]) + ".nc")


def _from_cache(cache, key, points):
    """Run ``key``'s Dataset kept in ``cache`` for these ``points`` by an interrupted try of
    this generation, or None."""
    if cache is None or not _run_path(cache, key).exists():
        return None
    with xr.open_dataset(_run_path(cache, key), engine="h5netcdf") as ds:
        if ds.attrs.get("fit_points") != json.dumps(points, sort_keys=True):
            return None
        out = ds.load()
    del out.attrs["fit_points"]
    return out


def _keep(cache, key, points, ds):
    """Keep a finished run in ``cache`` (atomic rename), stamped with its points."""
    if cache is None:
        return
    Path(cache).mkdir(parents=True, exist_ok=True)
    stamped = ds.assign_attrs(fit_points=json.dumps(points, sort_keys=True))
    _atomic_write(_run_path(cache, key), lambda tmp: stamped.to_netcdf(tmp, engine="h5netcdf"))


def _score(client, definition, model, data, points, cache=None):
    """Objective parts per dataset, per-cell read-outs (quantitative data), penalties (all), and
    the objective cut into targets (``terms``: one per published (condition, bin) mean, each
    scored once (:func:`scored_targets`), the frequency-response's shape, one per
    pharmacology arm), which add up to it.

    Every run the generation needs (one per protocol, drug and set of conditions;
    pharmacology's untreated HFS and LFS are the hfs and lfs datasets' runs when
    both are fitted) is submitted before any is awaited, so the workers stay busy
    across datasets.  With ``cache`` (a folder), each run is kept there as it comes
    back, and a run already there for the same points is read instead of submitted,
    so a generation that is interrupted (or fails in its scoring) loses no finished run."""
    from . import get_protocol
    scored = scored_targets(definition, data)
    wanted, drug_runs = {}, {}                # drug_runs: (arm, protocol) -> its run's key
    parts = {}                                # dataset -> [(run key, condition there, condition)]
    for p in definition.data:
        if p != "pharmacology":
            parts[p] = _dataset_runs(definition, data, p, scored_conditions(p, data[p]))
            for key, _, _ in parts[p]:
                wanted[key] = None
            continue
        for arm in [""] + pharmacology_arms(model):
            for protocol in sorted({r[0] for r in PHARMACOLOGY.get(arm, ())} if arm
                                   else {"hfs", "lfs"}):
                key = (protocol, arm or None, tuple(scored_conditions(protocol, [], True)))
                wanted[key] = drug_runs[(arm, protocol)] = key
    runs, pending = {}, {}
    for k in wanted:
        kept = _from_cache(cache, k, points)
        if kept is not None:
            runs[k] = kept
        else:
            pending[k] = _submit(client, definition, k[0], points, manipulations=k[1],
                                 conditions=list(k[2]))
    for key, result in pending.items():
        runs[key] = result()
        _keep(cache, key, points, runs[key])
    failed = [f"{key[0]} {key[1] or 'untreated'}: {ds.attrs['failed_points']}"
              for key, ds in runs.items() if "failed_points" in ds.attrs]

    f_parts, cell_parts, pen_parts, terms = {}, {}, {}, {}
    for p in definition.data:
        if p == "pharmacology":
            m = {}
            for (arm, protocol), key in drug_runs.items():
                primary = get_protocol(protocol).PRIMARY_BIN
                for cond in runs[key].condition.values:
                    m[(arm, protocol, str(cond))] = runs[key].summary_mean.sel(
                        condition=cond, bin=primary).values
            arms = pharmacology_terms(m)
            terms.update({f"pharmacology {arm}": v for arm, v in arms.items()})
            pen_parts[p] = np.asarray(sum(arms.values(), np.zeros(len(points))), float)
            f_parts[p] = pen_parts[p]
            continue
        ev = _assemble([runs[key].sel(condition=[there]).assign_coords(condition=[cond])
                        if there is not None else runs[key] for key, there, cond in parts[p]])
        f_parts[p] = objective(ev["summary_mean"], scored[p])
        for row in scored[p]:
            terms[f"{p} {row[0]} {row[1]}"] = objective(ev["summary_mean"], [row])
        cell_parts[p] = ev["cell_bin_mean"]
        pen_parts[p] = np.zeros(len(points))
        if p in SIGNS:
            label, rules = SIGNS[p]
            pen_parts[p] = sign_penalty(ev["summary_mean"], get_protocol(p).PRIMARY_BIN, rules)
            terms[f"{p} {label}"] = pen_parts[p]
        f_parts[p] = f_parts[p] + pen_parts[p]
    return f_parts, cell_parts, pen_parts, terms, failed


def _assemble(datasets) -> xr.Dataset:
    if len(datasets) == 1:
        return datasets[0]
    return xr.concat(datasets, dim="condition", data_vars="all", coords="different",
                     compat="equals", join="outer", combine_attrs="drop_conflicts")


def _dataset_runs(definition, data, p: str, conds: list) -> list:
    """[(run key, condition in that run, condition of ``p``)] that give dataset ``p``'s
    ``conds``: one run when they share a schedule (``[(key, None, None)]``: all of it); one
    per condition when each has its own (``freq-response``: a 900-pulse train per
    frequency), so that two workers can share them; and a condition whose run is another
    fitted dataset's, bit for bit (``freq-response``'s
    1 Hz is ``lfs`` when both are fitted with the same ``--cells``), is read from that run
    instead of being run twice."""
    from . import get_protocol
    protocol = get_protocol(p)
    if len(protocol.build_schedules(protocol.protocol_parameters(), conds)) == 1:
        return [((p, None, tuple(conds)), None, None)]          # the whole run
    out = []
    for c in conds:
        twin = next(((q, c2) for q in definition.data if q not in (p, "pharmacology")
                     for c2 in get_protocol(q).CONDITIONS
                     if _same_run(definition, data, p, c, q, c2)), None)
        if twin is None:
            out.append(((p, None, (c,)), c, c))
        else:
            out.append(((twin[0], None, tuple(scored_conditions(twin[0], data[twin[0]]))),
                        twin[1], c))
    return out


def _same_run(definition, data, p: str, c: str, q: str, c2: str) -> bool:
    """Whether condition ``c`` of protocol ``p`` run alone is the run of ``q`` that the fit
    makes (``q``'s scored conditions, here just ``c2``): the same schedule (stimuli, sweeps,
    read-out clock), cells, recording and bins, and the same model parameters."""
    from .experiment import _prepare
    if scored_conditions(q, data[q]) != [c2]:
        return False
    runs = []
    for name, cond in ((p, c), (q, c2)):
        protocol, _, params, pparams = _prepare(name, definition.model, definition.seed,
                                                definition.overrides, definition.params_file)
        schedules = protocol.build_schedules(pparams, [cond])
        n = definition.cells if definition.cells is not None else protocol.PAPER_N.get(cond)
        runs.append((protocol, schedules, params, n))
    (pa, sa, ma, na), (pb, sb, mb, nb) = runs
    if len(sa) != 1 or len(sb) != 1 or na is None or na != nb or pa.FIELD != pb.FIELD \
            or pa.BINS != pb.BINS or ma.to_strings() != mb.to_strings():
        return False
    a, b = sa[0], sb[0]
    sta, stb = a.stimuli[c], b.stimuli[c2]
    same = lambda x, y: np.array_equal(np.asarray(x), np.asarray(y))   # noqa: E731
    return (same(sta.pre_spikes, stb.pre_spikes) and sta.current_steps == stb.current_steps
            and a.sweep_kind == b.sweep_kind and same(a.sweep_duration, b.sweep_duration)
            and all(getattr(a, k) == getattr(b, k) for k in
                    ("sweep_length", "active_length", "probe_offset", "trace_window",
                     "induction_end")))


def scored_targets(definition, data: dict) -> dict:
    """``data`` with each published mean scored once: a row of a dataset is dropped when an
    earlier dataset of ``--data`` has the same (bin, mean, SEM) for the same experiment (the
    same schedule, recording and model: :func:`_same_run` with equal cell counts).
    ``freq-response``'s 1 Hz anchor is Drew et al's 27 % LTD after 900 pulses at 1 Hz, which
    ``lfs`` also carries; with both fitted it would otherwise count twice (and with the same
    ``--cells`` be read twice from the same run)."""
    same_cells = replace(definition, cells=definition.cells or 2)
    out = {p: list(rows) for p, rows in data.items()}
    for i, p in enumerate(definition.data):
        if p == "pharmacology":
            continue
        for q in definition.data[:i]:
            if q == "pharmacology":
                continue
            out[p] = [r for r in out[p] if not any(
                (r[1], r[2], r[3]) == (r2[1], r2[2], r2[3])
                and (_same_run(same_cells, data, p, r[0], q, r2[0])
                     or _same_run(same_cells, data, q, r2[0], p, r[0])) for r2 in out[q])]
    return out


def _generation_dataset(g, X, points, free, f, f_parts, cell_parts, pen_parts,
                        terms) -> xr.Dataset:
    ds = xr.Dataset(coords={"member": np.arange(len(X)), "free": list(free),
                            "target": list(terms)})
    ds["target_loss"] = (("member", "target"), np.stack([np.asarray(v, float) for v in
                                                         terms.values()], axis=1))
    ds["unit_value"] = (("member", "free"), np.asarray(X))
    ds["value"] = (("member", "free"), np.asarray([[p[n] for n in free] for p in points]))
    ds["objective"] = ("member", np.asarray(f))
    for p, fp in f_parts.items():
        ds[f"objective_{p}"] = ("member", np.asarray(fp))
        ds[f"penalty_{p}"] = ("member", np.asarray(pen_parts[p]))
        if p not in cell_parts:
            continue
        c = cell_parts[p].rename(point="member", condition=f"condition_{p}", cell=f"cell_{p}",
                                 bin=f"bin_{p}")
        ds[f"cells_{p}"] = c.assign_coords(member=np.arange(len(X)))
    return ds.expand_dims(generation=[g])


def _rescored(hist: xr.Dataset) -> xr.Dataset:
    """``hist`` with the targets the latest generation scores, and every candidate's objective
    re-added from them, when an earlier generation scored a target the latest no longer
    does (a fit resumed across :func:`scored_targets`' removal of a doubly counted datum);
    otherwise unchanged.  Failed candidates (no finite targets) keep their rank-last value."""
    if "target_loss" not in hist or hist.sizes["generation"] < 2:
        return hist
    last = hist["target_loss"].isel(generation=-1)
    keep = [t for t in hist["target"].values if np.any(np.isfinite(last.sel(target=t)))]
    if len(keep) == hist.sizes["target"]:
        return hist
    out = hist.sel(target=keep)
    total = out["target_loss"].sum("target", skipna=False)
    out["objective"] = xr.where(np.isfinite(total), total, hist["objective"])
    dropped = sorted(set(map(str, hist["target"].values)) - set(map(str, keep)))
    out.attrs["rescored"] = ("objective re-added from the targets the latest generation "
                             f"scores; dropped: {dropped}")
    return out


def _flat(hist: xr.Dataset, var: str):
    """(evaluations, ...) of a history variable, generations and members flattened."""
    a = hist[var].values
    return a.reshape((-1,) + a.shape[2:])


def tradeoffs(losses, names, min_excess: float = 1.0) -> list[dict]:
    """Pairs of targets that pull against each other among the evaluated candidates.

    ``losses`` (candidates x targets) holds each target's share of the objective.
    For targets A and B, the *joint excess* is ``min over candidates of (A + B)
    - min A - min B`` (>= 0): 0 when one candidate is as good as the best for A
    and the best for B at once, and the objective-units price of the best
    compromise between them otherwise.  ``rho`` is Spearman's rank correlation
    of A and B over the candidates (negative: what lowers one raises the
    other).  Pairs whose excess is at least ``min_excess`` come back, largest
    first, with ``b_at_best_for_a`` / ``a_at_best_for_b``: B's loss at A's best
    candidate and A's loss at B's.  A measurement on the sample the fit drew, so an
    excess is an upper bound on the true price (a better compromise may lie
    between the candidates evaluated).
    """
    from scipy.stats import spearmanr
    x = np.asarray(losses, float)
    x = x[np.all(np.isfinite(x), axis=1)]
    out = []
    if x.shape[0] < 3:
        return out
    lo = x.min(axis=0)
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            excess = float(np.min(x[:, i] + x[:, j]) - lo[i] - lo[j])
            if excess < min_excess:
                continue
            a, b = int(np.argmin(x[:, i])), int(np.argmin(x[:, j]))
            rho = spearmanr(x[:, i], x[:, j]).statistic if np.ptp(x[:, i]) and np.ptp(x[:, j]) \
                else float("nan")
            out.append({"a": str(names[i]), "b": str(names[j]), "joint_excess": excess,
                        "rho": float(rho), "min_a": float(lo[i]), "min_b": float(lo[j]),
                        "b_at_best_for_a": float(x[a, j]), "a_at_best_for_b": float(x[b, i])})
    return sorted(out, key=lambda d: -d["joint_excess"])


def _result(hist, definition, model, data, n_boot) -> dict:
    free, bounds = definition.free, definition.bounds
    values = _flat(hist, "value")
    f = _flat(hist, "objective")
    best = int(np.argmin(f))
    rng = np.random.default_rng(definition.seed)
    kept = np.empty((n_boot, len(free)))
    quantitative = {p: rows for p, rows in scored_targets(definition, data).items() if rows}
    cells = {p: _flat(hist, f"cells_{p}") for p in quantitative}   # (evals, condition, cell, bin)
    conds = {p: [str(c) for c in hist[f"condition_{p}"].values] for p in quantitative}
    bins = {p: [str(b) for b in hist[f"bin_{p}"].values] for p in quantitative}
    penalty = sum(_flat(hist, f"penalty_{p}") for p in data)
    for r in range(n_boot):
        total = np.array(penalty, dtype=float)
        for p, rows in quantitative.items():
            arr = cells[p]
            for cond, b, mean, sem in rows:
                ci, bi = conds[p].index(cond), bins[p].index(b)
                x = arr[:, ci, :, bi]
                valid = np.flatnonzero(np.isfinite(x[best]))
                pick = rng.choice(valid, size=valid.size, replace=True)
                m = np.nanmean(x[:, pick], axis=1)
                target = rng.normal(mean, sem)
                total += ((m - target) / sem) ** 2
        total = np.where(np.isfinite(total), total, np.inf)
        kept[r] = values[int(np.argmin(total))]
    lo, hi = np.percentile(kept, [2.5, 97.5], axis=0)
    out = {"model": definition.model, "data": list(definition.data), "objective": float(f[best]),
           "evaluations": int(len(f)), "generations": int(hist.sizes["generation"]),
           "best": {n: float(values[best, i]) for i, n in enumerate(free)},
           "interval95": {n: [float(lo[i]), float(hi[i])] for i, n in enumerate(free)},
           "bounds": {n: list(bounds[n]) for n in free}, "warnings": [],
           "units": {s.name: repr(s.unit) for s in model.specs if s.name in free},
           "bootstrap_replicates": int(n_boot)}
    if "target_loss" in hist:
        names = [str(t) for t in hist["target"].values]
        losses = _flat(hist, "target_loss")
        out["targets_at_best"] = {n: float(losses[best, k]) for k, n in enumerate(names)}
        # the lowest each target reached in any candidate: what the fit found reachable
        finite = np.where(np.isfinite(losses), losses, np.inf)
        out["targets_lowest"] = {n: float(finite[:, k].min()) for k, n in enumerate(names)}
        out["tradeoffs"] = tradeoffs(losses, names)
    if "origin" in hist:
        # the points scored as they are in generation 0: what the fit gained over them
        origin = _flat(hist, "origin").astype(str)
        for name in ("start", "defaults"):
            k = np.flatnonzero(origin == name)
            if k.size:
                k = int(k[0])
                out[name] = {"objective": float(f[k]),
                             "values": {n: float(values[k, i]) for i, n in enumerate(free)}}
                if "target_loss" in hist:
                    out[name]["targets"] = {n: float(losses[k, j]) for j, n in enumerate(names)}
    for i, n in enumerate(free):
        a, b = bounds[n]
        span = (math.log(b / a) if a > 0 else b - a)
        pos = (lambda v: math.log(v / a)) if a > 0 else (lambda v: v - a)
        if pos(lo[i]) <= BOUND_MARGIN * span or pos(hi[i]) >= (1 - BOUND_MARGIN) * span:
            out["warnings"].append(f"{n}: the 95 % interval [{lo[i]:.4g}, {hi[i]:.4g}] reaches a "
                                   f"search bound [{a:g}, {b:g}]: not identifiable from these data")
    return out


def _write_outputs(out: Path, hist, result, definition, model, data):
    units = {s.name: s.unit for s in model.specs}
    params = _start_parameters(model, definition.params_file)
    best = params.replace(**{n: v * units[n] for n, v in result["best"].items()})
    _atomic_write(out / "params.json", lambda tmp: best.save(tmp))
    _atomic_write(out / "fit.json", lambda tmp: tmp.write_text(json.dumps(result, indent=1)))
    h = hist.copy()
    h.attrs = {"fit": json.dumps(definition.to_json()), "result": json.dumps(result)}
    _atomic_write(out / "fit.nc", lambda tmp: h.to_netcdf(tmp, engine="h5netcdf"))
    from figures.fit import plot
    _atomic_write(out / "fit.png",
                  lambda tmp: plot(hist, result, {p: r for p, r in data.items() if r}, tmp))


def _start_parameters(model, params_file):
    """The parameters a fit starts from and writes its best values into."""
    return model.load_parameters(params_file) if params_file else model.parameters


def fit_definition(model_name: str, data: str, free: str, *, bounds=None, popsize=8, seed=0,
                   cells=None, overrides=None, params_file=None, batch_size=8,
                   custom_targets=None) -> FitDefinition:
    """A checked :class:`FitDefinition` from the command line's strings."""
    from plasticity.models import get_model
    model = get_model(model_name)
    names = [x.strip() for x in (data or "").split(",") if x.strip()]
    if not names:
        raise FitError("--data is empty; give protocol names, e.g. --data jang2026,lfs")
    custom_targets = dict(custom_targets or {})
    for n in names:
        if n not in custom_targets:
            targets(n)
        if n == "pharmacology" and not pharmacology_arms(get_model(model_name)):
            raise FitError(f"--data pharmacology: no manipulation of the list applies to model "
                           f"'{model_name}'")
    free_names = resolve_free(free, model)
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise FitError(f"--seed must be >= 0, got {seed}")
    if batch_size < 1:
        raise FitError(f"--batch-size must be >= 1, got {batch_size}")
    return FitDefinition(model=model_name, data=tuple(names), free=free_names,
                         bounds=parse_bounds(bounds, model, free_names,
                                             _start_parameters(model, params_file)),
                         popsize=int(popsize),
                         seed=int(seed), cells=cells, overrides=dict(overrides or {}),
                         params_file=params_file, batch_size=int(batch_size),
                         custom_targets=custom_targets)


__all__ = ["FitDefinition", "FitError", "fit_definition", "run_fit", "targets", "objective",
           "freq_shape_penalty", "sign_penalty", "SIGNS", "pharmacology_penalty",
           "pharmacology_terms", "tradeoffs",
           "pharmacology_arms", "PHARMACOLOGY", "scored_conditions", "scored_targets",
           "evaluate_points", "resolve_free", "parse_bounds", "to_physical", "to_unit"]
