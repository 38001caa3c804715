"""Manipulations on every protocol: which remove LTP, which LTD (the protocol-library issue's checks).

    python benchmarks/pharmacology.py [--model kinase] [--protocols jang2026,hfs,lfs]
                                      [--arms none,apv,dapk1-ko,...] [--cells 6] [--params NAME]

For every protocol one :func:`protocols.experiment.pharmacology` run (all arms
on the same virtual cells), and per arm and condition the mean expressed
strength over the protocol's primary bin (printed) and every other bin (in the
JSON; no recording drift: the model's own change).  Writes benchmarks/results/pharmacology_<model>.json and prints a table.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from protocols.experiment import pharmacology
from protocols import get_protocol

ARMS = "none,apv,nimodipine,dapk1-ko,dapk1-inhibitor,can-inhibitor,camkii-t286a,camkii-inhibitor," \
       "glun2b-no-camkii"


def measure(model, protocol, arms, cells, conditions=None, overrides=None, params=None):
    mod = get_protocol(protocol)
    t0 = time.perf_counter()
    ds = pharmacology(protocol, model=model, arms=arms, cells=cells, conditions=conditions,
                      overrides=overrides, params_file=params)
    def strength(lo, hi):
        w = ds.expressed_weight.where((ds.time >= lo) & (ds.time < hi)).mean(["time", "cell"])
        return {str(a): {str(c): round(float(w.sel(manipulation=a, condition=c)), 4)
                         for c in ds.condition.values} for a in ds.manipulation.values}

    return {"bin": mod.PRIMARY_BIN, "wall_s": round(time.perf_counter() - t0, 1),
            "strength": strength(*mod.BINS[mod.PRIMARY_BIN]),
            "by_bin": {b: strength(*edges) for b, edges in mod.BINS.items()}}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="kinase")
    ap.add_argument("--protocols", default="jang2026,hfs,tbs,lfs,stdp")
    ap.add_argument("--arms", default=ARMS)
    ap.add_argument("--cells", type=int, default=4)
    ap.add_argument("--conditions", default=None, help="protocol:cond;cond,... e.g. hfs:1x")
    ap.add_argument("--params", default=None,
                    help="the model's parameters: a file or a set name (spine: hand-calibrated)")
    args = ap.parse_args(argv)
    arms = [[] if a == "none" else a.split("+") for a in args.arms.split(",")]
    picks = {}
    for item in (args.conditions or "").split(","):
        if ":" in item:
            p, c = item.split(":")
            picks.setdefault(p, []).append(c)
    out = {}
    for p in args.protocols.split(","):
        # an arm that does not apply to the model is reported, not run
        from plasticity import manipulations
        from plasticity.models import get_model
        mdl = get_model(args.model)
        ok = []
        for a in arms:
            try:
                manipulations.scalings(a, mdl.name, mdl.parameters)
                ok.append(a)
            except manipulations.ManipulationError as err:
                print(f"  skip {a}: {err}")
        out[p] = measure(args.model, p, ok, args.cells, picks.get(p), params=args.params)
        print(f"{p} ({out[p]['bin']}, {out[p]['wall_s']} s)")
        for arm, row in out[p]["strength"].items():
            print(f"  {arm:18s} " + "  ".join(f"{c} {v:.3f}" for c, v in row.items()))
    path = Path(__file__).parent / "results" / f"pharmacology_{args.model}.json"
    path.parent.mkdir(exist_ok=True)
    previous = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**previous, **out}, indent=1))
    return out


if __name__ == "__main__":
    main()
