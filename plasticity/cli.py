"""The ``plasticity`` command: a thin shell over :mod:`protocols.experiment`.

    plasticity reproduce jang2026 [--model kinase] [--out DIR] [--seed N]
                                  [--cells N] [--condition NAME ...]
                                  [--params FILE] [--set NAME=VALUE ...] [--json]
    plasticity list

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
    r.add_argument("--params", default=None, help="parameter file (JSON) for the model")
    r.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="override a model or protocol parameter, e.g. --set pre_high='50 Hz'")
    r.add_argument("--json", action="store_true", help="print the 30-35 min summary as JSON")
    r.add_argument("--no-figure", action="store_true", help="skip the PNG")
    sub.add_parser("list", help="protocols, models and their parameters")
    return p


def _parse_sets(items):
    out = {}
    for item in items:
        if "=" not in item:
            raise ValueError(f"--set expects NAME=VALUE, got '{item}'")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def _list():
    from plasticity.models import get_model, model_names
    from protocols import get_protocol, protocol_names
    print("protocols:")
    for name in protocol_names():
        mod = get_protocol(name)
        print(f"  {name:12s} {mod.__doc__.strip().splitlines()[0]}")
        print(f"    conditions: {', '.join(mod.CONDITIONS)}")
        for s in mod.SPECS:
            print(f"    --set {s.name}={s.default}  ({s.doc})")
    print("models:")
    for name in model_names():
        m = get_model(name)
        print(f"  {name:12s} {m.summary}")
        for s in m.specs:
            print(f"    --set {s.name}={s.default}  ({s.doc})")


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
                       progress=progress)
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
        fig = importlib.import_module(f"figures.{args.protocol}")
        written.append(str(fig.plot(ds, out / f"{args.protocol}.png")))
    if args.json:
        print(json.dumps(summary_json(ds), indent=1))
    else:
        for line in _table(ds):
            print(line)
    print("wrote " + ", ".join(written), file=sys.stderr)
    return 0


def _table(ds):
    PRIMARY_BIN = ds.attrs["primary_bin"]
    yield f"{'condition':12s} {'model mean +- SEM (n)':>24s} {'p':>8s}   paper mean +- SEM (n)"
    for c in ds["condition"].values:
        row = ds.sel(condition=c, bin=PRIMARY_BIN)
        yield (f"{str(c):12s} {float(row.summary_mean):>10.3f} +- {float(row.summary_sem):.3f} "
               f"({int(row.summary_n):2d}) {float(row.summary_p):8.3g}   "
               f"{float(row.paper_mean):.2f} +- {float(row.paper_sem):.2f} ({int(row.paper_n)})")


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
            _list()
            return 0
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
