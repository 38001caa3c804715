"""Parameter sweeps: a grid of parameter sets, cut into batches that run on dask.distributed.

    plasticity sweep jang2026 --model spine --grid 'kf_dapk1_site=0.01:0.1:4,eta=1:2:3' --out DIR
                     [--workers N | --scheduler tcp://host:port] [--batch-size B]

The grid is the Cartesian product of one axis per parameter
(:func:`parse_grid`).  The points are cut into batches; each batch is ONE
Brian2 run (:func:`protocols.experiment.run_points`: every point of the batch
is a set of rows, conditions x cells) on a dask.distributed worker.  The
client writes every finished batch to ``DIR/batches/`` at once (a temporary
file, then an atomic rename), so a killed sweep loses at most the batches in
flight; running the same command again skips the batches already written.
At the end the batches are concatenated along ``point`` into ``DIR/sweep.nc``
(also written atomically); ``DIR/sweep.json`` holds the sweep's definition,
and a rerun with a different definition in the same folder is refused rather
than mixed.

Batches are fixed by the definition (``batch_size`` and the order of the
points), not by the number of workers: a point's membrane noise depends on the
rows it shares a run with, so the same command gives the same numbers with any
number of workers, resumed or not.  Points that differ in a compiled-in
(shared) constant are never put in one batch.

Workers: by default a local cluster of ``--workers`` processes (one thread
each: Brian2's cython runs are single-threaded); ``--scheduler ADDRESS`` sends
the same batches to a running cluster instead.  Start one with dask's own
tools, e.g. ``dask scheduler`` on one machine and ``dask worker tcp://HOST:8786
--nthreads 1 --nworkers 8`` on each of the others (each worker machine needs
this package installed; the results come back to the client, so the workers
need no shared file system).
"""
from __future__ import annotations

import itertools
import json
import os
import time
from dataclasses import dataclass, field, asdict
from pathlib import Path

import numpy as np
import xarray as xr

from plasticity.parameters import ParameterError
from plasticity.units import parse_quantity

#: how long a client tries to reach a given scheduler
CONNECT_TIMEOUT = "10s"
#: format of DIR/sweep.json (bumped when the layout of DIR changes)
LAYOUT = 1


class SweepError(ValueError):
    """A sweep cannot be defined, resumed or run as asked."""


@dataclass(frozen=True)
class SweepDefinition:
    """Everything that fixes a sweep's numbers (and so its batches)."""

    protocol: str
    model: str
    grid: dict                              # name -> list of values as strings with units
    manipulations: str = ""
    seed: int = 0
    cells: int | None = None
    conditions: tuple | None = None
    overrides: dict = field(default_factory=dict)
    batch_size: int = 8
    params_file: str | None = None

    def to_json(self) -> dict:
        d = asdict(self)
        d["conditions"] = list(self.conditions) if self.conditions else None
        return {"layout": LAYOUT, **d}


def parse_grid(text: str, model) -> dict:
    """``'name=start:stop:n[:log],name2=v1|v2|v3'`` -> {name: Quantity array} (``model``'s parameters).

    ``start:stop:n`` is n values from start to stop inclusive (``:log``:
    geometrically spaced); ``v1|v2|...`` lists values.  A bare number is in the
    parameter's unit (as ``plasticity list --parameters MODEL`` prints it); a
    value may also carry its own unit (``10*ms``, ``0.5 uM/s``).
    """
    units = {s.name: s.unit for s in model.specs}
    grid = {}
    if not text or not text.strip():
        raise SweepError("--grid is empty; give e.g. --grid 'eta=1:2:3'")
    for item in _split_top(text):
        if "=" not in item:
            raise SweepError(f"--grid: expected NAME=START:STOP:N or NAME=V1|V2, got '{item}'")
        name, spec = (x.strip() for x in item.split("=", 1))
        if name not in units:
            raise SweepError(f"--grid: unknown parameter '{name}' of model '{model.name}' "
                             f"(see `plasticity list --parameters {model.name}`)")
        if name in grid:
            raise SweepError(f"--grid: parameter '{name}' is given twice")
        unit = units[name]
        if "|" in spec:
            values = [_value(v, unit, name) for v in spec.split("|")]
        else:
            parts = spec.split(":")
            if len(parts) not in (3, 4) or (len(parts) == 4 and parts[3].strip() != "log"):
                raise SweepError(f"--grid {name}: expected START:STOP:N[:log] or V1|V2|..., got '{spec}'")
            a, b = _value(parts[0], unit, name), _value(parts[1], unit, name)
            try:
                n = int(parts[2])
            except ValueError:
                raise SweepError(f"--grid {name}: N must be a whole number, got '{parts[2]}'") from None
            if n < 1:
                raise SweepError(f"--grid {name}: N must be >= 1, got {n}")
            if len(parts) == 4:
                if a <= 0 or b <= 0:
                    raise SweepError(f"--grid {name}: a log axis needs positive ends, got {a}, {b}")
                values = list(np.geomspace(a, b, n)) if n > 1 else [a]
            else:
                values = list(np.linspace(a, b, n)) if n > 1 else [a]
        if not values:
            raise SweepError(f"--grid {name}: no values")
        grid[name] = np.asarray(values, dtype=float) * unit
    return grid


def _split_top(text):
    return [x.strip() for x in text.split(",") if x.strip()]


def _value(token: str, unit, name) -> float:
    token = token.strip()
    try:
        number = float(token)
    except ValueError:
        try:
            q = parse_quantity(token)
        except ValueError as err:
            raise SweepError(f"--grid {name}: cannot read '{token}': {err}") from None
        from brian2 import Quantity
        if not isinstance(q, Quantity) or not q.has_same_dimensions(unit):
            raise SweepError(f"--grid {name}: '{token}' is not in units of {unit!r}") from None
        number = float(q / unit)
    if not np.isfinite(number):
        raise SweepError(f"--grid {name}: '{token}' is not a finite number")
    return number


def grid_strings(grid: dict, model) -> dict:
    """The grid as {name: [value strings in the parameter's unit]} (for sweep.json)."""
    units = {s.name: s.unit for s in model.specs}
    return {k: [repr(float(x)) for x in np.asarray(v / units[k])] for k, v in grid.items()}


def points_of(grid_str: dict, model) -> list[dict]:
    """The grid's points, the last axis varying fastest: [{name: Quantity}]."""
    units = {s.name: s.unit for s in model.specs}
    axes = [[float(x) * units[k] for x in vals] for k, vals in grid_str.items()]
    return [dict(zip(grid_str, combo)) for combo in itertools.product(*axes)]


def batches_of(points: list[dict], model, batch_size: int) -> list[list[int]]:
    """Point indices cut into batches of at most ``batch_size``; no batch mixes two values
    of a compiled-in (shared) constant."""
    if batch_size < 1:
        raise SweepError(f"--batch-size must be >= 1, got {batch_size}")
    shared = {s.name for s in model.specs if s.shared}
    groups: dict = {}
    for i, p in enumerate(points):
        key = tuple((k, repr(p[k])) for k in sorted(p) if k in shared)
        groups.setdefault(key, []).append(i)
    out = []
    for idx in groups.values():
        out += [idx[j:j + batch_size] for j in range(0, len(idx), batch_size)]
    return out


def quiet_worker():
    """On a worker process: Brian2's code-generation warnings and INFO logs off (the client reports)."""
    import logging
    import warnings
    warnings.filterwarnings("ignore")
    logging.getLogger("brian2").setLevel(logging.ERROR)


def run_batch(definition: dict, indices: list[int]) -> xr.Dataset:
    """Run the points ``indices`` of a sweep (on a worker); a Dataset with dim ``point``."""
    quiet_worker()
    from plasticity.models import get_model
    from .experiment import run_points
    model = get_model(definition["model"])
    points = points_of(definition["grid"], model)
    ds = run_points(definition["protocol"], [points[i] for i in indices], model=definition["model"],
                    manipulations=definition["manipulations"] or None, seed=definition["seed"],
                    cells=definition["cells"], conditions=definition["conditions"],
                    overrides=definition["overrides"], params_file=definition["params_file"])
    ds = ds.assign_coords(point=np.asarray(indices))
    units = {s.name: s.unit for s in model.specs}
    for name in definition["grid"]:
        values = [float(points[i][name] / units[name]) for i in indices]
        ds = ds.assign_coords({name: ("point", values, {"units": repr(units[name]),
                                                         "long_name": f"grid axis {name}"})})
    return ds


class _Store:
    """DIR: sweep.json, batches/batch-NNNNN.nc, sweep.nc."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.batch_dir = self.out / "batches"

    def batch_path(self, b: int) -> Path:
        return self.batch_dir / f"batch-{b:05d}.nc"

    def claim(self, definition: dict, n_batches: int):
        self.batch_dir.mkdir(parents=True, exist_ok=True)
        meta = self.out / "sweep.json"
        record = {"definition": definition, "n_batches": n_batches}
        if meta.exists():
            try:
                old = json.loads(meta.read_text())
            except ValueError:
                raise SweepError(f"{meta} is not readable JSON; move the folder away or delete it") from None
            if old.get("definition") != definition:
                raise SweepError(f"{self.out} holds a different sweep ({meta}); use another --out")
            return
        _atomic_write(meta, lambda tmp: tmp.write_text(json.dumps(record, indent=1)))

    def done(self, b: int) -> bool:
        return self.batch_path(b).exists()

    def write_batch(self, b: int, ds: xr.Dataset):
        _atomic_write(self.batch_path(b), lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf"))

    def combine(self, n_batches: int, definition: dict) -> xr.Dataset:
        parts = []
        for b in range(n_batches):
            with xr.open_dataset(self.batch_path(b), engine="h5netcdf") as part:
                parts.append(part.load())
        ds = xr.concat(parts, dim="point", combine_attrs="drop_conflicts").sortby("point")
        if not np.array_equal(ds.point.values, np.arange(ds.sizes["point"])):
            raise SweepError(f"{self.batch_dir}: the batches do not hold every point exactly once")
        ds.attrs["sweep"] = json.dumps(definition)
        _atomic_write(self.out / "sweep.nc", lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf"))
        return ds


def _atomic_write(path: Path, write):
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def run_sweep(definition: SweepDefinition, out, *, workers: int | None = None,
              scheduler: str | None = None, progress=None) -> xr.Dataset:
    """Run (or resume) the sweep into ``out``; returns the combined Dataset (also DIR/sweep.nc).

    ``progress(done, total, seconds)`` is called after every finished batch.
    """
    from plasticity.models import get_model
    from .experiment import _point_values
    model = get_model(definition.model)
    d = definition.to_json()
    points = points_of(d["grid"], model)
    params = model.parameters
    for p in points:                                 # every point valid before anything runs
        try:
            _point_values(model, params, p)
        except ParameterError as err:
            raise SweepError(f"--grid: {err}") from None
    batches = batches_of(points, model, definition.batch_size)
    client = _client(workers, scheduler)            # checks the arguments before DIR is touched
    store = _Store(out)
    store.claim(d, len(batches))
    todo = [b for b in range(len(batches)) if not store.done(b)]
    t0 = time.perf_counter()
    if todo:
        _check_first(definition)
        with client as dask_client:
            from distributed import as_completed
            futures = {dask_client.submit(run_batch, d, batches[b], pure=False): b for b in todo}
            finished = len(batches) - len(todo)
            for fut in as_completed(futures):
                b = futures[fut]
                store.write_batch(b, fut.result())
                finished += 1
                if progress is not None:
                    progress(finished, len(batches), time.perf_counter() - t0)
    elif progress is not None:
        progress(len(batches), len(batches), 0.0)
    return store.combine(len(batches), d)


def _check_first(definition):
    """Fail fast, before any worker starts, on what the protocol and model would refuse."""
    from .experiment import _prepare
    _prepare(definition.protocol, definition.model, definition.seed, definition.overrides,
             definition.params_file)


class _client:
    """A dask.distributed Client on a local cluster of ``workers`` processes or at ``scheduler``."""

    def __init__(self, workers, scheduler):
        if workers is not None and scheduler is not None:
            raise SweepError("give --workers or --scheduler, not both")
        if workers is not None and workers < 1:
            raise SweepError(f"--workers must be >= 1, got {workers}")
        self.workers, self.scheduler = workers, scheduler
        self.cluster = self.client = None

    def __enter__(self):
        import logging
        if self.client is not None:
            raise SweepError("a sweep's client is entered once")
        from distributed import Client, LocalCluster
        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as err:
                raise SweepError(f"cannot reach the dask scheduler at {self.scheduler}: {err}") from None
        else:
            n = self.workers or max(1, (os.cpu_count() or 1))
            try:
                self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
            except RuntimeError as err:
                raise SweepError(f"could not start {n} local dask worker(s): {err}") from None
            self.client = Client(self.cluster)
        return self.client

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        return False


__all__ = ["SweepDefinition", "SweepError", "parse_grid", "points_of", "batches_of", "run_sweep",
           "run_batch", "grid_strings"]
