"""The spine model's CaMKII gate against every fitted dataset (the fitting issue's targets).

    python benchmarks/spine_gate_scan.py [CELLS] [DATASET ...]   (default: 2 hfs lfs tbs jang2026 freq-response)

Four values of ``kf_glun2b_gate_camkii`` (x0.8, x1, x1.25, x1.5 of the hand calibration's 0.0095
/(uM^7 s); the DAPK1 side at 2.6, the DAPK1 pool at its 0.058 /s and 0.0054 /s: the parameter set
``hand-calibrated``, the defaults before the fit of fits/spine) run as rows of one batched run per dataset, on the conditions a fit scores
(:func:`protocols.fit.scored_conditions`), exactly as one generation of ``plasticity fit`` would.
Prints each dataset's wall time and the summary means at its last bin.  It asks whether the one
knob that sets the size of LTP moves the field protocols (TBS, the frequency-response's 20-100 Hz
LTP) towards their data at all.
"""
import sys
import time

from protocols.fit import evaluate_points, scored_conditions, targets

HAND = {"kf_glun2b_gate_dapk1": 2.6, "kf_dapk1_can_psd_cat": 0.058, "kf_dapk1_auto_psd": 0.0054}
pts = [{"kf_glun2b_gate_camkii": 0.0095 * f, **HAND} for f in (0.8, 1.0, 1.25, 1.5)]
cells = int(sys.argv[1]) if len(sys.argv) > 1 else 2
datasets = sys.argv[2:] or ["hfs", "lfs", "tbs", "jang2026", "freq-response"]
for p in datasets:
    t = time.time()
    ev = evaluate_points(p, "spine", pts, cells=cells, conditions=scored_conditions(p, targets(p)))
    print(p, f"{time.time() - t:.0f} s", flush=True)
    last = ev.bin.values[-1]
    print(f"  {last}, conditions {list(map(str, ev.condition.values))}, rows = gate x0.8/1/1.25/1.5")
    print(ev.summary_mean.sel(bin=last).round(3).values, flush=True)
