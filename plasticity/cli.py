"""The ``plasticity`` command: a thin shell over :mod:`protocols.experiment`.

    plasticity reproduce NAME [--model M] [--manip A,B] [--out DIR] [--seed N]
                              [--cells N] [--condition NAME ...]
                              [--params FILE|SET] [--set NAME=VALUE ...] [--json]
    plasticity sweep NAME --grid 'P=START:STOP:N,...' --out DIR [--model M] [--manip A,B]
                          [--workers N | --scheduler ADDRESS] [--batch-size B] [--seed N]
                          [--cells N] [--condition NAME ...] [--params FILE|SET] [--set NAME=VALUE ...]
    plasticity fit --model M --data P1,P2 --free 'NAME,GLOB*' --out DIR [--bounds NAME=LO:HI,...]
                   [--budget N] [--popsize N] [--seed N] [--cells N] [--set NAME=VALUE ...]
                   [--workers N | --scheduler ADDRESS]
    plasticity list [--parameters NAME]
    plasticity figures [--out DIR] [--quick]
    plasticity train ra25|xor|parity3 [--rule kinase|kinase-binned|hebbian[,...]] [--epochs N]
                              [--seed N] [--out DIR] [--target cpp_standalone|cython] [--json]

Bad input (unknown protocol, model, condition or parameter, a value with the
wrong unit, a negative rate, a NaN current) ends with one line on stderr and
exit status 2, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"plasticity: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="plasticity", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("reproduce", help="run a published experiment on a model")
    r.add_argument("protocol", help="protocol name (see `plasticity list`)")
    r.add_argument("--model", default="kinase")
    r.add_argument("--out", default="results", help="output folder (default: results)")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--cells", type=int, default=None,
                   help="virtual cells per condition (default: the paper's n)")
    r.add_argument("--condition", action="append", default=None,
                   help="run only this condition (repeatable)")
    r.add_argument("--params", default=None,
                   help="parameter file (JSON) for the model, or the name of a published set")
    r.add_argument("--manip", default=None, metavar="A,B",
                   help="manipulations (drugs, mutants), e.g. --manip apv or dapk1-ko,nimodipine")
    r.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="override a model or protocol parameter, e.g. --set pre_high='50 Hz'")
    r.add_argument("--json", action="store_true", help="print the 30-35 min summary as JSON")
    r.add_argument("--no-figure", action="store_true", help="skip the PNG")
    w = sub.add_parser("sweep", help="run a protocol over a parameter grid, batched, on dask workers")
    w.add_argument("protocol", help="protocol name (see `plasticity list`)")
    w.add_argument("--grid", required=True, metavar="P=START:STOP:N,...",
                   help="one axis per parameter: START:STOP:N (linear), START:STOP:N:log, or V1|V2|...")
    w.add_argument("--out", required=True, help="output folder (a rerun resumes it)")
    w.add_argument("--model", default="kinase")
    w.add_argument("--manip", default=None, metavar="A,B")
    w.add_argument("--workers", type=int, default=None,
                   help="local worker processes (default: one per CPU core)")
    w.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="a running dask scheduler, e.g. tcp://host:8786, instead of a local cluster")
    w.add_argument("--batch-size", type=int, default=8, help="grid points per Brian2 run (default 8)")
    w.add_argument("--seed", type=int, default=0)
    w.add_argument("--cells", type=int, default=None)
    w.add_argument("--condition", action="append", default=None)
    w.add_argument("--params", default=None)
    w.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ft = sub.add_parser("fit", help="fit free parameters to the published data with CMA-ES")
    ft.add_argument("--model", default="kinase")
    ft.add_argument("--data", required=True, metavar="P1,P2",
                    help="protocols whose published means to fit (jang2026, hfs, tbs, lfs, freq-response)")
    ft.add_argument("--free", required=True, metavar="NAME,GLOB",
                    help="free parameters: names or globs, e.g. 'eta,dapk1*'")
    ft.add_argument("--bounds", default=None, metavar="NAME=LO:HI,...",
                    help="search range (default: the value /10 .. x10 within the allowed range)")
    ft.add_argument("--budget", type=int, default=64, help="candidate parameter sets to evaluate")
    ft.add_argument("--popsize", type=int, default=8, help="candidates per generation")
    ft.add_argument("--batch-size", type=int, default=8, help="candidates per Brian2 run")
    ft.add_argument("--out", required=True, help="output folder (a rerun resumes it)")
    ft.add_argument("--seed", type=int, default=0)
    ft.add_argument("--cells", type=int, default=None)
    ft.add_argument("--params", default=None)
    ft.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ft.add_argument("--workers", type=int, default=None)
    ft.add_argument("--scheduler", default=None, metavar="ADDRESS")
    ls = sub.add_parser("list", help="protocols, models, parameter sets and manipulations")
    ls.add_argument("--parameters", default=None, metavar="NAME",
                    help="every parameter of this model or protocol")
    f = sub.add_parser("figures", help="regenerate every figure (runs the simulations)")
    f.add_argument("--out", default="results/figures")
    f.add_argument("--quick", action="store_true", help="tiny settings (a smoke test)")
    t = sub.add_parser("train", help="train a bidirectional spiking network on a task")
    t.add_argument("task", help="ra25, xor or parity3")
    t.add_argument("--rule", default="kinase",
                   help="kinase, kinase-binned or hebbian; several comma-separated are trained side by side")
    t.add_argument("--epochs", type=int, default=None,
                   help="maximum epochs (default: the task's, 100; parity3 500)")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--out", default="results/train", help="output folder (default: results/train)")
    t.add_argument("--target", default="cpp_standalone", choices=("cpp_standalone", "cython"),
                   help="Brian2 code generation target (default: cpp_standalone)")
    t.add_argument("--json", action="store_true",
                   help='print {"epochs_to_criterion", "final_error", "rule", "seed"}')
    return p


def _train(args) -> int:
    from tqdm import tqdm
    from networks.results import train_rules, summary
    from networks.rules import check_rule
    from networks.tasks import get_task
    rules = [r.strip() for r in args.rule.split(",") if r.strip()]
    if not rules:
        raise ValueError("--rule needs at least one rule")
    for rule in rules:
        check_rule(rule)
    task = get_task(args.task)
    args.epochs = task.max_epochs if args.epochs is None else args.epochs
    if args.epochs < 1:
        raise ValueError(f"--epochs must be >= 1, got {args.epochs}")
    if args.seed < 0:
        raise ValueError(f"--seed must be >= 0, got {args.seed}")
    bars = []

    def progress(rule):
        bar = tqdm(total=args.epochs, desc=f"{args.task} {rule}", unit="epoch", file=sys.stderr,
                   disable=None)
        bars.append(bar)

        def update(epoch, error, n_zero):
            bar.set_postfix(error=f"{error:.3f}", zero_epochs=n_zero)
            bar.update(1)
        return update

    try:
        ds = train_rules(task, rules, epochs=args.epochs, seed=args.seed, out=args.out,
                         target=args.target, progress=progress)
    finally:
        for bar in bars:
            bar.close()
    rows = [r for r in summary(ds) if r["rule"] in rules]
    if args.json:
        print(json.dumps(rows[0] if len(rows) == 1 else rows, indent=1))
    else:
        for r in rows:
            reached = r["epochs_to_criterion"]
            print(f"{args.task} {r['rule']:14s} seed {r['seed']}: "
                  + (f"criterion at epoch {reached}" if reached > 0 else "criterion not reached")
                  + f", final error {r['final_error']:.3f}")
    print(f"wrote {Path(args.out) / 'train.nc'}, {Path(args.out) / 'train.png'}", file=sys.stderr)
    return 0


def _parse_sets(items):
    out = {}
    for item in items:
        if "=" not in item:
            raise ValueError(f"--set expects NAME=VALUE, got '{item}'")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def _first_line(module) -> str:
    return module.__doc__.strip().splitlines()[0]


def _list(what=None):
    from plasticity.models import get_model, model_names
    from plasticity.manipulations import MANIPULATIONS
    from protocols import get_protocol, protocol_names
    if what:
        if what in protocol_names():
            specs = get_protocol(what).protocol_parameters().specs.values()
        else:
            specs = get_model(what).specs
        for s in specs:
            print(f"--set {s.name}={s.default}  ({s.doc}; {s.source})")
        return
    print("protocols (plasticity reproduce NAME; --condition, --set: plasticity list --parameters NAME):")
    for name in protocol_names():
        mod = get_protocol(name)
        print(f"  {name:14s} {_first_line(mod)} [conditions: {', '.join(mod.CONDITIONS)}]")
    print("models (--model NAME):")
    for name in model_names():
        print(f"  {name:14s} {get_model(name).summary}")
    print("parameter sets (--params NAME):")
    for name in model_names():
        for pset in get_model(name).parameter_sets:
            print(f"  {pset:22s} model {name}")
    print("manipulations (--manip A,B):")
    for m in MANIPULATIONS.values():
        print(f"  {m.name:18s} {m.doc} ({m.source}); models: {', '.join(m.applies_to())}")


def _figures(args) -> int:
    import importlib
    for name in FIGURE_SCRIPTS:
        module = importlib.import_module(f"figures.{name}")
        print(module.main(["--out", args.out] + (["--quick"] if args.quick else [])))
    return 0


#: every figure script, in the order `plasticity figures` runs them
FIGURE_SCRIPTS = ("jang2026", "model_comparison", "jang2026_sweep", "time_courses", "stdp_window",
                  "frequency_response", "pharmacology", "network_training")


def _reproduce(args) -> int:
    from tqdm import tqdm
    from protocols.experiment import reproduce, summary_json
    overrides = _parse_sets(args.set)
    out = Path(args.out)
    bar = tqdm(total=100, desc=f"{args.protocol} on {args.model}", unit="%",
               bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f}% [{elapsed}<{remaining}]",
               file=sys.stderr, disable=None)

    def progress(fraction):
        bar.n = min(100.0, 100.0 * fraction)
        bar.refresh()

    try:
        ds = reproduce(args.protocol, model=args.model, seed=args.seed, cells=args.cells,
                       conditions=args.condition, overrides=overrides, params_file=args.params,
                       manipulations=args.manip, progress=progress)
    finally:
        bar.close()
    out.mkdir(parents=True, exist_ok=True)
    nc = out / f"{args.protocol}.nc"
    tmp = nc.with_suffix(".nc.tmp")
    ds.to_netcdf(tmp, engine="h5netcdf")
    os.replace(tmp, nc)
    written = [str(nc)]
    if not args.no_figure:
        import importlib
        from protocols import get_protocol
        fig = importlib.import_module(f"figures.{get_protocol(args.protocol).FIGURE}")
        written.append(str(fig.plot(ds, out / f"{args.protocol}.png")))
    if args.json:
        print(json.dumps(summary_json(ds), indent=1))
    else:
        for line in _table(ds):
            print(line)
    print("wrote " + ", ".join(written), file=sys.stderr)
    return 0


def _sweep(args) -> int:
    from tqdm import tqdm
    from plasticity.models import get_model
    from protocols import get_protocol
    from protocols.sweep import SweepDefinition, parse_grid, grid_strings, run_sweep
    get_protocol(args.protocol)
    model = get_model(args.model)
    if args.seed < 0:
        raise ValueError(f"--seed must be >= 0, got {args.seed}")
    grid = grid_strings(parse_grid(args.grid, model), model)
    definition = SweepDefinition(
        protocol=args.protocol, model=args.model, grid=grid, manipulations=args.manip or "",
        seed=args.seed, cells=args.cells, conditions=tuple(args.condition) if args.condition else None,
        overrides=_parse_sets(args.set), batch_size=args.batch_size, params_file=args.params)
    bar = tqdm(total=None, desc=f"sweep {args.protocol} on {args.model}", unit="batch",
               file=sys.stderr, disable=None)

    def progress(done, total, seconds):
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        ds = run_sweep(definition, args.out, workers=args.workers, scheduler=args.scheduler,
                       progress=progress)
    finally:
        bar.close()
    print(f"{ds.sizes['point']} points; wrote {Path(args.out) / 'sweep.nc'}", file=sys.stderr)
    return 0


def _fit(args) -> int:
    from tqdm import tqdm
    from protocols.fit import fit_definition, run_fit
    definition = fit_definition(args.model, args.data, args.free, bounds=args.bounds,
                                popsize=args.popsize, seed=args.seed, cells=args.cells,
                                overrides=_parse_sets(args.set), params_file=args.params,
                                batch_size=args.batch_size)
    bar = tqdm(total=None, desc=f"fit {args.model}", unit="generation", file=sys.stderr, disable=None)

    def progress(done, total, best):
        bar.total = total
        bar.n = done
        bar.set_postfix(best=f"{best:.3g}")
        bar.refresh()

    try:
        result = run_fit(definition, args.out, budget=args.budget, workers=args.workers,
                         scheduler=args.scheduler, progress=progress)
    finally:
        bar.close()
    for name, value in result["best"].items():
        lo, hi = result["interval95"][name]
        print(f"{name} = {value:.4g}  (95 % interval {lo:.4g} .. {hi:.4g})")
    print(f"objective {result['objective']:.4g} after {result['evaluations']} evaluations")
    for name in ("start", "defaults"):
        if name in result:
            print(f"objective at the {name} (scored as it is in generation 0): "
                  f"{result[name]['objective']:.4g}")
    for t in result.get("tradeoffs", [])[:5]:
        print(f"pulls against each other: {t['a']} / {t['b']} (joint excess "
              f"{t['joint_excess']:.3g}, rank correlation {t['rho']:.2f})")
    for w in result["warnings"]:
        print(f"warning: {w}", file=sys.stderr)
    out = Path(args.out)
    print(f"wrote {out / 'params.json'}, {out / 'fit.nc'}, {out / 'fit.json'}, {out / 'fit.png'}",
          file=sys.stderr)
    return 0


def _table(ds):
    import numpy as np
    PRIMARY_BIN = ds.attrs["primary_bin"]
    yield f"{PRIMARY_BIN}: {'condition':12s} {'model mean +- SEM (n)':>24s} {'p':>8s}   paper"
    for c in ds["condition"].values:
        row = ds.sel(condition=c, bin=PRIMARY_BIN)
        paper = "" if not np.isfinite(float(row.paper_mean)) else (
            f"{float(row.paper_mean):.2f} +- {float(row.paper_sem):.2f}"
            + (f" ({int(row.paper_n)})" if np.isfinite(float(row.paper_n)) else ""))
        yield (f"{'':{len(PRIMARY_BIN) + 2}s}{str(c):12s} {float(row.summary_mean):>10.3f} +- "
               f"{float(row.summary_sem):.3f} ({int(row.summary_n):2d}) {float(row.summary_p):8.3g}   "
               f"{paper}")


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    warnings.filterwarnings("ignore")
    import logging
    logging.getLogger("brian2").setLevel(logging.ERROR)
    from plasticity.parameters import ParameterError
    from plasticity.models import UnknownNameError
    from plasticity.schedule import ScheduleError
    from plasticity.simulate import SimulationError
    try:
        if args.command == "list":
            _list(args.parameters)
            return 0
        if args.command == "figures":
            return _figures(args)
        if args.command == "train":
            return _train(args)
        if args.command == "sweep":
            return _sweep(args)
        if args.command == "fit":
            return _fit(args)
        return _reproduce(args)
    except (ParameterError, UnknownNameError, ScheduleError, SimulationError, ValueError,
            OSError) as err:
        print(f"plasticity: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("plasticity: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
