"""Hand-calibration of the kinase rule's two free constants against Jang et al 2026.

``python -m protocols.calibration`` runs every (d_scale, eta) pair of a small
grid as rows of ONE Brian2 network: the default jang2026 schedule, identical
cells (no cohort spread, no recording drift, membrane noise on), and scores
each pair by the paper's z-scores of the expressed synaptic strength at
30-35 min: sum over conditions of ((g x model - paper mean) / paper SEM)^2,
where g = exp(s^2 / 2) is the mean gain that the calibrated recording drift
(protocols.recording; log-normal, median 1, log-variance s^2) adds to a
normalised EPSP, so that model and paper are compared as recorded.  The
defaults in plasticity/kinase.py are the best pair of the grid printed here.
(Proper fitting with uncertainty is the fitting issue's job.)
"""
from __future__ import annotations

import argparse
import itertools
import json
import logging
import warnings

import numpy as np

warnings.filterwarnings("ignore")
logging.getLogger("brian2").setLevel(logging.ERROR)


def grid_scores(d_scales, etas, cells=3, seed=0):
    from brian2 import Quantity
    from brian2.units.fundamentalunits import get_unit, get_dimensions
    from plasticity import get_model
    from plasticity.simulate import simulate, rows_for, Rows
    from protocols.jang2026 import build_schedule, protocol_parameters, reference
    from protocols.recording import log_variance_for, pooled_variance
    model = get_model("kinase")
    schedule = build_schedule(protocol_parameters())
    base = rows_for(model.parameters, schedule.conditions, {c: cells for c in schedule.conditions})
    pairs = list(itertools.product(d_scales, etas))
    k = len(pairs)
    values = {name: np.tile(np.asarray(v), k) * get_unit(get_dimensions(v))
              if isinstance(v, Quantity) else np.tile(np.asarray(v), k)
              for name, v in base.values.items()}
    values["d_scale"] = np.repeat([p[0] for p in pairs], base.n)
    values["eta"] = np.repeat([p[1] for p in pairs], base.n)
    rows = Rows(np.tile(base.condition, k), np.tile(base.cell, k), values)
    ds = simulate(model, schedule, rows, seed=seed)
    t = ds["time"].values
    in_bin = (t >= 30) & (t < 35) & (ds["sweep_kind"].values == "followup")
    w = ds["expressed_weight"].values[:, in_bin].mean(axis=1)
    ref = reference()["bins"]["30-35 min"]
    flats = [ref[c] for c in ("low-low", "high-high")]
    gain = float(np.exp(log_variance_for(pooled_variance([f[1] for f in flats],
                                                         [f[2] for f in flats])) / 2))
    out = []
    for j, (d, e) in enumerate(pairs):
        sl = slice(j * base.n, (j + 1) * base.n)
        means = {c: float(w[sl][base.condition == c].mean()) for c in schedule.conditions}
        score = sum(((gain * means[c] - ref[c][0]) / ref[c][1]) ** 2 for c in means)
        out.append({"d_scale": d, "eta": e, "score": round(score, 3), "drift_gain": round(gain, 4),
                    "strength": {c: round(v, 3) for c, v in means.items()}})
    return sorted(out, key=lambda r: r["score"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--d-scale", default="0.98,0.99,1.0,1.01")
    ap.add_argument("--eta", default="1.2,1.6,2.0")
    ap.add_argument("--cells", type=int, default=3)
    args = ap.parse_args()
    res = grid_scores([float(x) for x in args.d_scale.split(",")],
                      [float(x) for x in args.eta.split(",")], cells=args.cells)
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
