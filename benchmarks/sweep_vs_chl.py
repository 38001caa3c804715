"""How well each model's rate sweep follows CHL (the protocol-library issue's correlation).

    python benchmarks/sweep_vs_chl.py [--models kinase,gb2012,stdp,bcm,spine] [--out DIR]

For every model one ``reproduce("jang2026-sweep")`` (36 prediction x outcome
rate pairs, the default 4 cells each), its normalised EPSP at 30-35 min on the
6 x 6 grid, and Pearson's r between (EPSP - 1) and outcome^2 - prediction^2.
Writes benchmarks/results/sweep_vs_chl.json, the runs (NetCDF) and the heat-map
figure per model into ``--out``.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from figures.jang2026_sweep import grids, plot
from protocols.experiment import reproduce


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="kinase,gb2012,stdp,bcm,spine")
    ap.add_argument("--out", default="results/figures")
    args = ap.parse_args(argv)
    path = Path(__file__).parent / "results" / "sweep_vs_chl.json"
    path.parent.mkdir(exist_ok=True)
    results = json.loads(path.read_text()) if path.exists() else {}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for m in args.models.split(","):
        t0 = time.perf_counter()
        ds = reproduce("jang2026-sweep", model=m)
        ds.to_netcdf(out / f"jang2026-sweep_{m}.nc", engine="h5netcdf")
        plot(ds, out / f"jang2026_sweep_{m}.png")
        model, _, r = grids(ds)
        results[m] = {"pearson_r": round(r, 4), "grid_30_35": model.round(4).tolist(),
                      "wall_s": round(time.perf_counter() - t0, 1)}
        print(f"{m}: r = {r:.3f} ({results[m]['wall_s']} s)")
        path.write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
