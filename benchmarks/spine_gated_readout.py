"""Would a Ca2+/CaM-gated site competition give ``spine`` the Jang order, and at what cost?

    python benchmarks/spine_gated_readout.py

The candidate structural change of ``spine`` (docs: :mod:`plasticity.spine_model`),
tried on the network's own free Ca2+/CaM before it is built into the chemistry:
GluN2B sites that change hands only while Ca2+/CaM holds them open and keep
their state when it falls, so that the state is read at the end of activity,
as the kinase rule reads at the end of a window.  Driven by the PSD's free
Ca2+/CaM ``c(t)`` recorded from ``spine`` (the first block of the four Jang
conditions, one 100 Hz x 1 s train, one single release; one nominal cell):

    dP/dt = kp_on c (1 - P) - kp_off P                   fast CaMKII side
    dD/dt = 2 kd_off X (1 - D) - kd_off D                slow DAPK1 side, X = P (cascade) or c
    ds/dt = g(c) k_x (P (1 - s) - lam D s),   g = c^n / (K^n + c^n),  k_x = 200 /s

``s`` is the CaMKII-held fraction of the sites.  Each grid point starts from
the state 30 test pulses at 0.05 Hz leave (the model's 10 min conditioning),
then gets the Jang block, the HFS train, or 60 pulses at 1 Hz (an LFS
stand-in; the pulses' Ca2+/CaM is that of the single release).  Reported: the
settings that best give the paper's order (score = the smaller of
low-high - max|flat| and -high-low - max|flat|), and how many of the grid's
settings also give LTP after HFS and LTD after the 1 Hz pulses.

Writes benchmarks/results/spine_gated_readout.json.
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
from spine_order_signals import cam3_traces, TRACE_DT_MS

GRID = {"kp_on": [2, 5, 20], "kp_off": [25, 50], "kd_off": [2, 5, 10], "K": [0.5, 1, 2, 4],
        "n": [2, 4], "lam": [0.5, 0.8, 1, 1.25, 1.6, 2.5], "parallel": [0, 1]}
K_X = 200.0


def readout(c, s, params, dt):
    """Advance every grid point's (P, D, s) through the Ca2+/CaM trace ``c`` (uM) from P = D = 0."""
    P, D, s = np.zeros_like(s), np.zeros_like(s), s.copy()
    kd_on = 2 * params["kd_off"]
    for ci in c:
        g = ci ** params["n"] / (params["K"] ** params["n"] + ci ** params["n"])
        P += dt * (params["kp_on"] * ci * (1 - P) - params["kp_off"] * P)
        D += dt * (kd_on * np.where(params["parallel"] > 0, ci, P) * (1 - D) - params["kd_off"] * D)
        s += dt * g * K_X * (P * (1 - s) - params["lam"] * D * s)
    return s


def main():
    dt = TRACE_DT_MS * 1e-3
    traces, wall = cam3_traces()
    pulse = traces["pulse"]
    rest = float(pulse[-1])
    probe = np.concatenate([pulse, np.full(int(2.0 / dt), rest)])
    one_hz = np.concatenate([pulse, np.full(int(round(1.0 / dt)) - pulse.size, rest)])
    train = np.concatenate([traces["hfs"], np.full(int(5.0 / dt), rest)])

    combos = list(itertools.product(*GRID.values()))
    params = {k: np.array([c[i] for c in combos], float) for i, k in enumerate(GRID)}
    s = np.full(len(combos), 0.5)
    for _ in range(30):
        s = readout(probe, s, params, dt)
    s0 = s.copy()
    conds = [c for c in traces if c not in ("hfs", "pulse")]
    dj = {c: readout(traces[c], s0, params, dt) - s0 for c in conds}
    dh = readout(train, s0, params, dt) - s0
    s = s0.copy()
    for _ in range(60):
        s = readout(one_hz, s, params, dt)
    dl = s - s0
    flat = np.maximum(np.abs(dj["low-low"]), np.abs(dj["high-high"]))
    score = np.minimum(dj["low-high"] - flat, -dj["high-low"] - flat)
    order = score > 0
    classic = (dh > 0) & (dl < 0)
    best = np.argsort(-score)[:5]
    out = {"grid": GRID, "k_x": K_X, "settings": len(combos),
           "paper_order": int(order.sum()), "hfs_ltp_and_1hz_ltd": int(classic.sum()),
           "both": int((order & classic).sum()),
           "wall_s": {"record": round(wall, 1)},
           "best": [{**{k: float(params[k][i]) for k in GRID}, "conditioned_s": float(s0[i]),
                     **{c: float(dj[c][i]) for c in conds}, "hfs": float(dh[i]),
                     "1hz_60": float(dl[i]), "score": float(score[i])} for i in best]}
    print(f"{len(combos)} settings: paper's order {out['paper_order']}, HFS LTP and 1 Hz LTD "
          f"{out['hfs_ltp_and_1hz_ltd']}, both {out['both']}")
    for b in out["best"]:
        print("  " + ", ".join(f"{k} {b[k]:g}" for k in GRID) + ": "
              + ", ".join(f"{c} {b[c]:+.3f}" for c in conds)
              + f"; HFS {b['hfs']:+.3f}, 60 x 1 Hz {b['1hz_60']:+.3f}")
    path = Path(__file__).parent / "results" / "spine_gated_readout.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
