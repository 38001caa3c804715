"""The search behind the gated GluN2B exchange of ``spine``: CMA-ES on the full network, Jang + HFS + LFS.

    python benchmarks/spine_gate_search.py [--generations 8] [--start kK,kD,kcat,kauto] [--check]

Free: the two displacement rates of :mod:`plasticity.chemistry.molecules.glun2b`
(``kf_glun2b_gate_camkii``, ``kf_glun2b_gate_dapk1``) and the DAPK1 pool of
:mod:`plasticity.chemistry.molecules.dapk1` (calcineurin's kcat on S308 and the
basal S308 autophosphorylation, the same in both compartments), searched in
log10 by CMA-ES (Hansen's ``cma``, population 8, seed 3).  The CaMKII rate is
capped at 0.012 /(uM^7 s) for the explicit chemistry step (glun2b docstring;
the search that set the pool ran with the earlier c^4 law, capped at 0.3
/(uM^5 s)).

Every candidate of a generation is a row set of one batched run per protocol:
the four Jang et al 2026 conditions and the field protocols' 100 Hz x 1 s
(``hfs`` 1x) and 900 pulses at 1 Hz (``lfs``), one nominal cell each, the
model's conditioning, then the protocols' follow-up.  The read-out is the
expressed weight over its baseline mean (no recording drift): Jang at 30-35
min, HFS and LFS at 55-60 min.  The objective sums squared misses of: low-high
>= 1.3, high-low <= 0.75, both flats within 1 +- 0.08, HFS >= 1.25, LFS <= 0.75.
The two protocol groups run in two processes.  ``--check`` evaluates the
start point once (the model's defaults when ``--start`` is not given).

Writes benchmarks/results/spine_gate_search.json (every candidate and its
read-outs).
"""
from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

NAMES = ("kf_glun2b_gate_camkii", "kf_glun2b_gate_dapk1", "kcat", "kauto")
CAP_CAMKII = 0.012
TARGETS = {"low-high": (1.3, None), "high-low": (None, 0.75), "low-low": (0.92, 1.08),
           "high-high": (0.92, 1.08), "hfs": (1.25, None), "lfs": (None, 0.75)}


def point(x) -> dict:
    """Parameter values (the model's units) of a candidate ``x`` (four numbers, not logs)."""
    kk, kd, kcat, kauto = map(float, x)
    out = {"kf_glun2b_gate_camkii": min(kk, CAP_CAMKII), "kf_glun2b_gate_dapk1": kd}
    for comp in ("psd", "cyt"):
        out[f"kf_dapk1_can_{comp}_cat"] = kcat
        out[f"kf_dapk1_auto_{comp}"] = kauto
    return out


def defaults() -> list:
    """The model's present values of the four free numbers (``--start`` when not given)."""
    from plasticity.models import get_model
    model = get_model("spine")
    p, units = model.parameters, {s.name: s.unit for s in model.specs}
    names = ("kf_glun2b_gate_camkii", "kf_glun2b_gate_dapk1", "kf_dapk1_can_psd_cat",
             "kf_dapk1_auto_psd")
    return [float(p[n] / units[n]) for n in names]


def _schedule(protocol, model):
    if protocol == "jang":
        from protocols.jang2026 import build_schedule, protocol_parameters
        return build_schedule(protocol_parameters({"conditioning": model.conditioning}))
    from protocols import hfs, lfs
    mod = {"hfs": hfs, "lfs": lfs}[protocol]
    pp = mod.protocol_parameters({"conditioning": model.conditioning})
    return mod.build_schedules(pp, ["1x"] if protocol == "hfs" else None)[0]


def evaluate(protocols: tuple, points: list) -> dict:
    """{protocol or Jang condition: [weight per point]} (one batched run per protocol)."""
    from plasticity.models import get_model
    from plasticity.simulate import simulate, rows_for
    model = get_model("spine")
    units = {s.name: s.unit for s in model.specs}
    out = {}
    for protocol in protocols:
        schedule = _schedule(protocol, model)
        conds = list(schedule.conditions)
        rows = rows_for(model.parameters, conds, {c: len(points) for c in conds})
        for c in conds:
            for r, pt in zip(np.flatnonzero(rows.condition == c), points):
                for k, v in pt.items():
                    rows.set_value(int(r), k, v * units[k])
        ds = simulate(model, schedule, rows, seed=0)
        t, kind, w = ds.time.values, ds.sweep_kind.values, ds.expressed_weight.values
        rel = w / w[:, kind == "baseline"].mean(axis=1, keepdims=True)
        lo, hi = (30, 35) if protocol == "jang" else (55, 60)
        late = (kind == "followup") & (t >= lo) & (t < hi)
        for c in conds:
            key = c if protocol == "jang" else protocol
            out[key] = [float(rel[r, late].mean()) for r in np.flatnonzero(rows.condition == c)]
    return out


def objective(res: dict, j: int) -> float:
    miss = 0.0
    for key, (lo, hi) in TARGETS.items():
        v = res[key][j]
        miss += (max(0.0, lo - v) if lo is not None else 0.0) ** 2
        miss += (max(0.0, v - hi) if hi is not None else 0.0) ** 2
    return miss


def run_generation(pool, xs) -> dict:
    pts = [point(x) for x in xs]
    jobs = [pool.submit(evaluate, ("jang",), pts), pool.submit(evaluate, ("hfs", "lfs"), pts)]
    res = {}
    for job in jobs:
        res.update(job.result())
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generations", type=int, default=8)
    ap.add_argument("--start", default=None)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    x0 = [float(v) for v in args.start.split(",")] if args.start else defaults()
    log = []
    with ProcessPoolExecutor(2) as pool:
        if args.check:
            res = run_generation(pool, [x0])
            print({k: round(v[0], 3) for k, v in res.items()}, f"miss {objective(res, 0):.4f}")
            return res
        import cma
        es = cma.CMAEvolutionStrategy(list(np.log10(x0)), 0.3,
                                      {"popsize": 8, "seed": 3, "verbose": -9})
        for g in range(args.generations):
            X = np.array(es.ask())
            t0 = time.perf_counter()
            res = run_generation(pool, 10 ** X)
            L = [objective(res, j) for j in range(len(X))]
            es.tell(list(X), L)
            for j in range(len(X)):
                log.append({"generation": g, "x": (10 ** X[j]).tolist(), "miss": L[j],
                            **{k: v[j] for k, v in res.items()}})
            j = int(np.argmin(L))
            print(f"gen {g} ({time.perf_counter() - t0:.0f} s): best miss {L[j]:.4f} at "
                  + ", ".join(f"{v:.4g}" for v in 10 ** X[j]) + "; "
                  + ", ".join(f"{k} {v[j]:.2f}" for k, v in res.items()), flush=True)
    path = Path(__file__).parent / "results" / "spine_gate_search.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(log, indent=1))
    return log


if __name__ == "__main__":
    main()
