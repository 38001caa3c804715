"""Which signals of the ``spine`` network carry the ORDER of a Jang et al 2026 theta window?

    python benchmarks/spine_order_signals.py [--windows 10]

Why ``spine`` gives LTP in all four Jang conditions, measured.  One nominal
cell per condition (the model's conditioning, then the first block of
``--windows`` windows recorded every 0.5 ms; the run stops one minute after
the induction).  Reported:

1. For each recorded species, its value at the end of each window (the
   moment the kinase rule reads), averaged over the block, per condition, and
   the order contrast ``(low-high - high-low) / mean of the four``.  A signal
   that carries the order has a large contrast; one that carries the amount of
   Ca2+ ranks high-high > low-high ~ high-low > low-low.
2. The GluN2B sites at the block's end (free, CaMKII-, DAPK1-bound).
3. The information test: the kinase rule's read-out (fast P and slow D
   first-order cascade on a recorded signal, ``P - s D`` sampled at every
   window end, ``s`` chosen so that the two flat conditions cancel) applied to
   the spine's own PSD Ca2+ and free Ca2+/CaM (CaM3).  If it orders the
   conditions as the paper does, the signal reaching the spine holds the
   answer and what the chemistry lacks is the read-out.

Why a time-invariant network integrating over time reads the amount, not the
order (the argument the numbers test): the weight change is the time
integral of the network's response to its Ca2+ input ``c(t)``.  Expand that
response in Volterra orders.  The first order integrates to ``(integral of
k1) x (integral of c)``: the amount.  The second order integrates to a
weighting of the input's autocorrelation ``C(u) = int c(t) c(t+u) dt``,
which a train and its time reversal share; low-high and high-low are (up to a
shift and the neuron's own asymmetry) time reversals of each other.  Only
third and higher orders (strong cooperativity, thresholds, gating) can tell
them apart, unless something samples the state at a fixed phase, as the
kinase rule does at the end of each window.

Writes benchmarks/results/spine_order_signals.json.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import numpy as np
from brian2 import second

from plasticity.models import get_model
from plasticity.simulate import simulate, rows_for
from plasticity.units import minute

SIGNALS = ("Ca_psd", "CaM3_psd", "CaM3K_psd", "CaM3KP_psd", "CaN2CaM_psd", "D_psd", "CaMD_psd",
           "camkii_n2b", "dapk1_n2b", "N2B_psd", "trapped_ampar")
#: (tau_P, tau_D) in ms of the read-out test; Axon's kinase rule uses 40 / 40 on
#: synaptic Ca2+ (../shared/research/urakubo_kinase_spec.md section 6.5)
CASCADES = ((40, 40), (20, 80), (40, 100))
TRACE_DT_MS = 0.5


def end_sampled_cascade(x, dt_ms, tau_p, tau_d, ends):
    """Fast P and slow D (first-order cascade x -> P -> D) of ``x``; their values at the indices ``ends``."""
    a_p, a_d = dt_ms / tau_p, dt_ms / tau_d
    p = d = 0.0
    P, D = np.empty_like(x), np.empty_like(x)
    for i, v in enumerate(x):
        p += a_p * (v - p)
        d += a_d * (p - d)
        P[i], D[i] = p, d
    return P[ends], D[ends]


def jang_block(n_windows: int, signals=SIGNALS):
    """The four Jang conditions' first block of ``n_windows`` windows on ``spine``, one nominal cell
    each, ``signals`` recorded every 0.5 ms through the block: (raw Dataset, the protocol's
    parameters, wall seconds)."""
    from protocols.jang2026 import build_schedule, protocol_parameters, CONDITIONS
    model = get_model("spine")
    pp = protocol_parameters({"conditioning": model.conditioning, "followup": 1 * minute,
                              "n_windows": n_windows, "n_blocks": 1})
    schedule = build_schedule(pp, list(CONDITIONS))
    period = (pp["window"] + pp["window_gap"]) * n_windows
    ds, wall = record(schedule, signals, period)
    return ds, pp, wall


def record(schedule, signals, span):
    """Run ``schedule`` on ``spine`` (one nominal cell per condition) recording ``signals`` every
    0.5 ms for ``span`` from the start of its trace window; (raw Dataset, wall seconds)."""
    model = dataclasses.replace(get_model("spine"), trace_variables=tuple(signals))
    start, _ = schedule.trace_window
    schedule = dataclasses.replace(schedule, trace_window=(start, start + span))
    conds = list(schedule.conditions)
    rows = rows_for(model.parameters, conds, {c: 1 for c in conds})
    t0 = time.perf_counter()
    ds = simulate(model, schedule, rows, seed=0, trace_rows=list(range(rows.n)))
    return ds, time.perf_counter() - t0


def cam3_traces():
    """The PSD's free Ca2+/CaM (uM, every 0.5 ms) that the read-out studies drive their candidate
    mechanisms with, one nominal cell: the four Jang conditions' first block of 10 windows, one
    100 Hz x 1 s train (1.3 s), one test pulse (0.55 s).  ({name: trace}, wall seconds)."""
    from brian2 import Hz
    from protocols import induction
    t0 = time.perf_counter()
    jang, _, _ = jang_block(10, ("CaM3_psd",))
    hfs, _ = record(induction.hfs(consolidation=20 * second), ("CaM3_psd",), 1.3 * second)
    one, _ = record(induction.train(0.05 * Hz, 2, "probe", consolidation=20 * second),
                    ("CaM3_psd",), 0.55 * second)
    traces = {str(c): jang["trace_CaM3_psd"].values[r] for r, c in enumerate(jang.trace_condition.values)}
    traces.update(hfs=hfs["trace_CaM3_psd"].values[0], pulse=one["trace_CaM3_psd"].values[0])
    return traces, time.perf_counter() - t0


def run(n_windows: int) -> dict:
    ds, pp, wall = jang_block(n_windows)
    period_ms = float((pp["window"] + pp["window_gap"]) / second) * 1e3
    window_ms = float(pp["window"] / second) * 1e3
    n_rows = ds.sizes["trace_row"]
    t = ds.trace_time.values
    ends = np.array([np.searchsorted(t, k * period_ms + window_ms - TRACE_DT_MS)
                     for k in range(n_windows)])
    cond_of = [str(c) for c in ds.trace_condition.values]
    out = {"wall_s": round(wall, 1), "n_windows": n_windows, "window_end": {}, "order_contrast": {},
           "sites_at_block_end": {}, "readout": {}}
    for sig in SIGNALS:
        x = ds[f"trace_{sig}"].values
        at_end = {cond_of[r]: float(x[r, ends].mean()) for r in range(n_rows)}
        out["window_end"][sig] = at_end
        mean = np.mean(list(at_end.values()))
        out["order_contrast"][sig] = float((at_end["low-high"] - at_end["high-low"]) / mean) \
            if mean else float("nan")
    last = min(np.searchsorted(t, n_windows * period_ms - TRACE_DT_MS), len(t) - 1)
    for sig in ("N2B_psd", "camkii_n2b", "dapk1_n2b"):
        x = ds[f"trace_{sig}"].values
        out["sites_at_block_end"][sig] = {cond_of[r]: float(x[r, last]) for r in range(n_rows)}
    for sig in ("Ca_psd", "CaM3_psd"):
        x = ds[f"trace_{sig}"].values
        for tau_p, tau_d in CASCADES:
            pd = {cond_of[r]: end_sampled_cascade(x[r], TRACE_DT_MS, tau_p, tau_d, ends)
                  for r in range(n_rows)}
            flat = ("low-low", "high-high")
            s = sum(pd[c][0].sum() for c in flat) / sum(pd[c][1].sum() for c in flat)
            out["readout"][f"{sig} tau_P {tau_p} tau_D {tau_d} ms"] = {
                "s": float(s), **{c: float((P - s * D).mean()) for c, (P, D) in pd.items()}}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--windows", type=int, default=10)
    args = ap.parse_args(argv)
    out = run(args.windows)
    print(f"{out['wall_s']} s wall; values at the window ends (mean of {args.windows} windows)")
    conds = list(next(iter(out["window_end"].values())))
    print(f"  {'signal':14s}" + "".join(f"{c:>11s}" for c in conds) + "   (LH-HL)/mean")
    for sig, vals in out["window_end"].items():
        print(f"  {sig:14s}" + "".join(f"{vals[c]:11.3g}" for c in conds)
              + f"   {out['order_contrast'][sig]:+.2f}")
    print("GluN2B sites at the block's end (uM):")
    for sig, vals in out["sites_at_block_end"].items():
        print(f"  {sig:14s}" + "".join(f"{vals[c]:11.3g}" for c in conds))
    print("kinase-rule read-out on the spine's signals (P - s D at the window ends, flats balanced):")
    for key, vals in out["readout"].items():
        print(f"  {key:32s} s {vals['s']:.2f}" + "".join(f"  {c} {vals[c]:+.3f}" for c in conds))
    path = Path(__file__).parent / "results" / "spine_order_signals.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
