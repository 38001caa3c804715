"""Signs of plasticity of the biochemical models (the checks of the spine-chemistry issue).

    python benchmarks/signs_spine.py [--only stdp,hfs,lfs,tests] [--consolidation-min 10] [--params hand-calibrated]

* ``urakubo2008``: 60 pairings at 1 Hz, post spike 10 ms after (+10) or
  before (-10) the release (Urakubo et al 2008: LTP at +10, LTD at -10);
* ``spine``: 100 Hz for 1 s (HFS) as is and with the GluN2B site CaMKII cannot
  bind (the registered ``glun2b-no-camkii``), and 900 pulses at 1 Hz (LFS) as
  is and without DAPK1 (``dapk1-ko``);
* ``tests`` (not in the default ``--only``): the runs of tests/test_spine_model.py's sign
  tests, one nominal cell per arm as there: HFS at 30 min as is, ``glun2b-no-camkii``,
  ``dapk1-ko``, ``apv``; HFS at 60 min in ``camkii-t286a``; HFS and LFS at 10 min under
  ``can-inhibitor`` (those two arms change compiled-in constants: runs of their own).

The weight change is trapped PSD AMPARs at the end of the consolidation
relative to the settled value, minus 1.  Writes
benchmarks/results/signs_spine.json and prints a table.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from brian2 import ms, second

from plasticity.manipulations import scalings, arm_rows
from plasticity.models import get_model
from plasticity.simulate import simulate, rows_for
from protocols import induction



def _run(model_name, schedule, variants, params=None):
    """``variants``: (label, registered manipulations) per row of each condition; ``params``: a
    parameter file or set name of the model (its defaults if None)."""
    model = get_model(model_name)
    if params:
        model = model.with_parameters(model.load_parameters(params))
    conds = list(schedule.conditions)
    rows = rows_for(model.parameters, conds, {c: len(variants) for c in conds})
    labels = []
    for r, (cond, cell) in enumerate(zip(rows.condition, rows.cell)):
        label, manips = variants[cell]
        for name, factor in scalings(manips, model_name, model.parameters).items():
            rows.set_value(r, name, factor * rows.values[name][r])
        labels.append(f"{cond} {label}".strip())
    t0 = time.perf_counter()
    ds = simulate(model, schedule, rows)
    wall = time.perf_counter() - t0
    dw = ds.expressed_weight.values[:, -1] - 1.0
    extra = {}
    for var in ("camkii_n2b", "dapk1_n2b", "camkii_act_psd"):
        if var in ds:
            extra[var] = {"settled": ds[var].values[:, 0].tolist(),
                          "max": ds[var].values.max(axis=1).tolist()}
    return {"model": model_name, "rows": labels, "dw": dw.tolist(), "wall_s": round(wall, 1),
            "simulated_s": float(schedule.simulated_duration / second), **extra}


def _one_cell_per_arm(schedule, arms, params=None):
    """The tests' runs: one nominal row of the schedule's first condition per arm."""
    model = get_model("spine")
    if params:
        model = model.with_parameters(model.load_parameters(params))
    cond = schedule.conditions[0]
    rows, _ = arm_rows(rows_for(model.parameters, [cond], {cond: 1}),
                       [scalings(list(a), "spine", model.parameters) for a in arms])
    t0 = time.perf_counter()
    ds = simulate(model, schedule, rows)
    return {"model": "spine", "rows": [f"{cond} {'+'.join(a)}".strip() for a in arms],
            "dw": (ds.expressed_weight.values[:, -1] - 1.0).tolist(),
            "wall_s": round(time.perf_counter() - t0, 1),
            "simulated_s": float(schedule.simulated_duration / second)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="stdp,hfs,lfs")
    ap.add_argument("--consolidation-min", type=float, default=10.0)
    ap.add_argument("--params", default=None,
                    help="spine's parameters: a file or a set name, e.g. hand-calibrated")
    args = ap.parse_args(argv)
    cons = args.consolidation_min * 60 * second
    out = {}
    todo = args.only.split(",")
    if "stdp" in todo:
        out["stdp"] = _run("urakubo2008", induction.pairing([10 * ms, -10 * ms], consolidation=cons),
                           [("", ())])
    if "hfs" in todo:
        out["hfs"] = _run("spine", induction.hfs(consolidation=cons),
                          [("", ()), ("glun2b-no-camkii", ["glun2b-no-camkii"])], args.params)
    if "lfs" in todo:
        out["lfs"] = _run("spine", induction.lfs(consolidation=cons),
                          [("", ()), ("dapk1-ko", ["dapk1-ko"])], args.params)
    if "tests" in todo:
        minutes = 60 * second
        out["tests_hfs_30min"] = _one_cell_per_arm(
            induction.hfs(consolidation=30 * minutes),
            [[], ["glun2b-no-camkii"], ["dapk1-ko"], ["apv"]], args.params)
        out["tests_t286a_60min"] = _one_cell_per_arm(
            induction.hfs(consolidation=60 * minutes), [["camkii-t286a"]], args.params)
        for name, schedule in (("hfs", induction.hfs), ("lfs", induction.lfs)):
            out[f"tests_fk506_{name}_10min"] = _one_cell_per_arm(
                schedule(consolidation=10 * minutes), [["can-inhibitor"]], args.params)
    for name, res in out.items():
        print(f"{name} ({res['model']}, {res['wall_s']} s wall for {res['simulated_s']:.0f} s simulated)")
        for label, dw in zip(res["rows"], res["dw"]):
            print(f"  {label:45s} dw = {dw:+.4f}")
    path = Path(__file__).parent / "results" / "signs_spine.json"
    path.parent.mkdir(exist_ok=True)
    previous = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**previous, **out}, indent=1))   # --only keeps the others
    return out


if __name__ == "__main__":
    main()
