"""The quick search behind the earlier (free-site) DAPK1 defaults of ``spine``: HFS, LFS or Jang over a grid.

    python benchmarks/spine_dapk1_search.py hfs|lfs|jang [--grid JSON] [--consolidation-s 600]

``jang``: the four Jang et al 2026 conditions (the protocol's defaults, the
model's conditioning) for every grid point, one nominal cell each, all in one
batched run; the weight is the mean expressed weight of the 30-35 min test
pulses relative to the conditioned baseline (the paper's read-out without the
recording drift).  Besides ``untrap``, the groups ``camkii_on`` and
``camkii_off`` set every non-zero ``kf_camkii_site_*`` and every
``kb_camkii_site_*`` of the CaM-bound and T286 forms (1/(uM s), 1/s).

Every grid point is a row of ONE batched run (the DAPK1 rates are per-row
parameters), once as is and once knocked out: for ``hfs`` (100 Hz for 1 s)
with no CaMKII-GluN2B binding, for ``lfs`` (900 pulses at 1 Hz) without DAPK1.
The weight change is read ``--consolidation-s`` after the train, relative to
the settled (unprobed) pool.  ``untrap`` sets all four ``kf_dapk1_untrap_*``.
Default grid: the one in :mod:`plasticity.chemistry.molecules.dapk1`'s
docstring.  LFS takes about 7 min for 36 rows on 2 cores.  Writes
benchmarks/results/spine_dapk1_search_<protocol>.json.
"""
from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

import numpy as np
from brian2 import second

from plasticity.models import get_model
from plasticity.simulate import simulate, rows_for
from protocols import induction

GRID = {"kf_dapk1_site": [0.03, 0.1, 0.3], "kf_dapk1_site_auto": [2e-4, 1e-3, 5e-3],
        "untrap": [1.0, 5.0]}


def run(protocol: str, grid: dict, consolidation_s: float) -> list:
    model = get_model("spine")
    params = model.parameters
    units = {s.name: s.unit for s in model.specs}
    groups = {"untrap": [k for k in params if k.startswith("kf_dapk1_untrap")],
              "camkii_on": [k for k in params if k.startswith("kf_camkii_site_")
                            and float(params[k] / units[k]) > 0],
              "camkii_off": [k for k in params if k.startswith("kb_camkii_site_")
                             and k != "kb_camkii_site_K"]}
    if protocol == "jang":
        return _run_jang(model, groups, units, grid)
    if protocol == "hfs":
        schedule = induction.hfs(consolidation=consolidation_s * second)
        knockout = ("no CaMKII-GluN2B binding", [k for k in params if k.startswith("kf_camkii_site_")])
    elif protocol == "lfs":
        schedule = induction.lfs(consolidation=consolidation_s * second)
        knockout = ("no DAPK1", ["dapk1_total"])
    else:
        raise SystemExit(f"protocol must be hfs or lfs, got {protocol!r}")
    unknown = [k for k in grid if k not in groups and k not in units]
    if unknown:
        raise SystemExit(f"unknown parameters {unknown}")
    points = [dict(zip(grid, v)) for v in itertools.product(*grid.values())]
    cond = schedule.conditions[0]
    rows = rows_for(params, [cond], {cond: 2 * len(points)})
    for r in range(rows.n):
        point, knocked = points[r % len(points)], r >= len(points)
        changes = {n: v * units[n] for k, v in point.items() for n in groups.get(k, [k])}
        if knocked:
            changes.update({n: 0 * units[n] for n in knockout[1]})
        for name, value in changes.items():
            rows.set_value(r, name, value)
    t0 = time.perf_counter()
    ds = simulate(model, schedule, rows)
    print(f"{protocol}: {rows.n} rows, {time.perf_counter() - t0:.0f} s wall")
    dw = ds.expressed_weight.values[:, -1] - 1.0
    out = []
    for i, point in enumerate(points):
        res = {**point, "dw": float(dw[i]), "dw_knockout": float(dw[i + len(points)]),
               "knockout": knockout[0],
               "dapk1_n2b_rest": float(ds.dapk1_n2b.values[i, 0]),
               "dapk1_n2b_end": float(ds.dapk1_n2b.values[i, -1]),
               "camkii_n2b_max": float(ds.camkii_n2b.values[i].max()),
               "camkii_n2b_end": float(ds.camkii_n2b.values[i, -1])}
        out.append(res)
        print("  " + ", ".join(f"{k} {v:g}" for k, v in point.items())
              + f": dw {res['dw']:+.3f}, {knockout[0]} {res['dw_knockout']:+.3f}; DAPK1-GluN2B "
              f"rest {res['dapk1_n2b_rest']:.3f} end {res['dapk1_n2b_end']:.3f} uM, CaMKII-GluN2B "
              f"max {res['camkii_n2b_max']:.3f} end {res['camkii_n2b_end']:.3f} uM")
    return out


def _run_jang(model, groups, units, grid: dict) -> list:
    from protocols.jang2026 import build_schedule, protocol_parameters, CONDITIONS
    params = model.parameters
    pp = protocol_parameters({"conditioning": model.conditioning})
    conds = list(CONDITIONS)
    schedule = build_schedule(pp, conds)
    unknown = [k for k in grid if k not in groups and k not in units]
    if unknown:
        raise SystemExit(f"unknown parameters {unknown}")
    points = [dict(zip(grid, v)) for v in itertools.product(*grid.values())]
    rows = rows_for(params, conds, {c: len(points) for c in conds})
    for c in conds:
        idx = np.flatnonzero(rows.condition == c)
        for r, point in zip(idx, points):
            for k, v in point.items():
                for n in groups.get(k, [k]):
                    rows.set_value(int(r), n, v * units[n])
    t0 = time.perf_counter()
    ds = simulate(model, schedule, rows, seed=0)
    print(f"jang: {rows.n} rows, {time.perf_counter() - t0:.0f} s wall")
    t_min = ds.time.values
    late = (t_min >= 30) & (t_min <= 35) & (ds.sweep_kind.values == "followup")
    w = ds.expressed_weight.values[:, late].mean(axis=1)
    out = []
    for j, point in enumerate(points):
        res = dict(point)
        for c in conds:
            r = int(np.flatnonzero(rows.condition == c)[j])
            res[c] = float(w[r])
            res[f"{c}_dapk1_n2b_end"] = float(ds.dapk1_n2b.values[r, -1])
            res[f"{c}_camkii_n2b_end"] = float(ds.camkii_n2b.values[r, -1])
        order = res["low-high"] > max(res["low-low"], res["high-high"]) > 0 and \
            min(res["low-low"], res["high-high"]) > res["high-low"]
        res["paper_order"] = bool(order)
        out.append(res)
        print("  " + ", ".join(f"{k} {v:g}" for k, v in point.items()) + ": "
              + ", ".join(f"{c} {res[c]:.3f}" for c in conds) + ("  <- paper's order" if order else ""))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("protocol", choices=["hfs", "lfs", "jang"])
    ap.add_argument("--grid", default=json.dumps(GRID))
    ap.add_argument("--consolidation-s", type=float, default=600.0)
    args = ap.parse_args(argv)
    out = run(args.protocol, json.loads(args.grid), args.consolidation_s)
    path = Path(__file__).parent / "results" / f"spine_dapk1_search_{args.protocol}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
