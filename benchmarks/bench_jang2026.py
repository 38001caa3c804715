"""How long the default `plasticity reproduce jang2026` takes, and how fast the cascade is.

Two measurements in one run, reported as numbers and ratios (never asserted):

1. Wall time of the default Jang et al 2026 run (53 cells, 5 blocks x 10
   windows, 5 min baseline, 45 min follow-up), after a first run that compiles
   the cython code (Brian2 caches it on disk).  Goal: <= 60 s on the 2-core
   development machine.
2. Throughput of the kinase cascade (CaM -> CaP -> CaD, forward Euler at the
   runner's dt) in Brian2/cython versus a plain numpy loop doing the same
   update on the same number of rows, in row-steps per second and their ratio.

Usage: ``python benchmarks/bench_jang2026.py [--rows 10000] [--out benchmarks/results]
[--model spine] [--skip-cascade]`` (``--model spine``: the biochemical model's Jang
run, whose goal is <= 5 min).
"""
from __future__ import annotations

import argparse
import json
import logging
import time
import warnings
from pathlib import Path

import numpy as np

warnings.filterwarnings("ignore")
logging.getLogger("brian2").setLevel(logging.ERROR)


def time_default_run(model: str = "kinase") -> dict:
    from protocols.experiment import reproduce
    t0 = time.perf_counter()
    reproduce("jang2026", model=model, seed=0)          # compiles (or loads the cache)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    ds = reproduce("jang2026", model=model, seed=0)
    second = time.perf_counter() - t0
    return {"first_run_s": round(first, 2), "default_run_s": round(second, 2),
            "simulation_s": ds.attrs["wall_time_s"], "cells": int(np.isfinite(
                ds["normalized_epsp"].isel(time=0)).sum())}


def cascade_throughput(rows: int, steps: int) -> dict:
    from brian2 import NeuronGroup, Network, ms, prefs
    from plasticity.simulate import DEFAULT_DT
    prefs.codegen.target = "cython"
    dt = float(DEFAULT_DT / ms)
    eqs = """
    dCaM/dt = (ca - CaM) / tau_M : 1
    dCaP/dt = (CaM - CaP) / tau_P : 1
    dCaD/dt = (CaP - CaD) / tau_D : 1
    ca : 1
    """
    ns = {"tau_M": 2 * ms, "tau_P": 40 * ms, "tau_D": 40 * ms}
    g = NeuronGroup(rows, eqs, method="euler", dt=DEFAULT_DT, namespace=ns)
    g.ca = np.linspace(0, 1, rows)
    net = Network(g)
    net.run(10 * DEFAULT_DT)                             # compile outside the timing
    t0 = time.perf_counter()
    net.run(steps * DEFAULT_DT)
    brian = time.perf_counter() - t0

    ca = np.linspace(0, 1, rows)
    cam, cap, cad = np.zeros(rows), np.zeros(rows), np.zeros(rows)
    a, b, c = dt / 2.0, dt / 40.0, dt / 40.0
    t0 = time.perf_counter()
    for _ in range(steps):
        dm = a * (ca - cam)
        dp = b * (cam - cap)
        dd = c * (cap - cad)
        cam += dm
        cap += dp
        cad += dd
    numpy_loop = time.perf_counter() - t0
    assert np.allclose(cap, g.CaP[:], rtol=1e-6, atol=1e-9), "the two loops disagree"
    rs = rows * steps
    return {"rows": rows, "steps": steps,
            "brian2_cython_row_steps_per_s": round(rs / brian),
            "numpy_loop_row_steps_per_s": round(rs / numpy_loop),
            "ratio_brian2_over_numpy": round(numpy_loop / brian, 3)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--steps", type=int, default=5000)
    ap.add_argument("--out", default="benchmarks/results")
    ap.add_argument("--skip-default-run", action="store_true")
    ap.add_argument("--skip-cascade", action="store_true")
    ap.add_argument("--model", default="kinase",
                    help="model of the timed Jang run (e.g. spine; 'first_run_s' includes the "
                         "compile only where Brian2's cache does not hold the code yet)")
    args = ap.parse_args()
    result = {}
    if not args.skip_cascade:
        result["cascade"] = cascade_throughput(args.rows, args.steps)
    if not args.skip_default_run:
        key = "jang2026_default" if args.model == "kinase" else f"jang2026_{args.model}"
        result[key] = time_default_run(args.model)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = "bench_jang2026.json" if args.model == "kinase" else f"bench_jang2026_{args.model}.json"
    (out / name).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
