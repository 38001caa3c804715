"""How sweeps scale: batched rows vs one point per run, and 2 local dask workers vs 1.

    python benchmarks/sweep_scaling.py [--model kinase] [--points 16] [--cells 4]

All in one process, on a short Jang et al 2026 run (``--cells`` per condition,
one block of 2 windows, a test pulse a minute, 45 min follow-up) over a grid
of ``--points`` values of ``eta``, each sweep into a fresh folder (every
configuration runs twice and the shorter time counts; one small warm-up sweep
first puts Brian2's compiled code in the cache for all of them):

1. **Batching**: one worker, ``--batch-size`` = all points (one Brian2 run)
   vs 1 (one run per point): points per second, and their ratio.
2. **Parallel efficiency**: the same batches (``--points / 4`` points each)
   on 1 and on 2 local worker processes: T1 / (2 T2).  Issue 5 asks >= 80 %;
   on a 2-core machine anything else running counts against it.

Writes benchmarks/results/sweep_scaling.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from protocols.sweep import SweepDefinition, run_sweep

OVERRIDES = {"n_blocks": "1", "n_windows": "2", "probe_interval": "60s"}


def _timed(model, points, cells, batch_size, workers, root, repeats=2) -> float:
    """The shortest of ``repeats`` sweeps (each into a fresh folder)."""
    return min(_once(model, points, cells, batch_size, workers, root) for _ in range(repeats))


def _once(model, points, cells, batch_size, workers, root) -> float:
    grid = {"eta": [repr(1.0 + k / max(points - 1, 1)) for k in range(points)]}
    definition = SweepDefinition(protocol="jang2026", model=model, grid=grid, cells=cells,
                                 overrides=OVERRIDES, batch_size=batch_size)
    out = Path(tempfile.mkdtemp(dir=root))
    t0 = time.perf_counter()
    run_sweep(definition, out, workers=workers)
    return time.perf_counter() - t0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="kinase")
    ap.add_argument("--points", type=int, default=16)
    ap.add_argument("--cells", type=int, default=4)
    args = ap.parse_args(argv)
    root = tempfile.mkdtemp(prefix="sweep_scaling_")
    try:
        _once(args.model, 2, args.cells, 2, 1, root)           # compile once (cache on disk)
        n = args.points
        one_run = _timed(args.model, n, args.cells, n, 1, root)
        per_point = _timed(args.model, n, args.cells, 1, 1, root)
        batch = max(1, n // 4)
        w1 = _timed(args.model, n, args.cells, batch, 1, root)
        w2 = _timed(args.model, n, args.cells, batch, 2, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    rows_per_point = 4 * args.cells
    out = {
        "model": args.model, "points": n, "rows_per_point": rows_per_point, "cpu_count": os.cpu_count(),
        "one_batch_s": round(one_run, 2), "one_point_per_batch_s": round(per_point, 2),
        "batched_vs_single_rows_per_s_ratio": round(per_point / one_run, 2),
        "batch_size_for_workers": batch, "workers_1_s": round(w1, 2), "workers_2_s": round(w2, 2),
        "parallel_efficiency_2_workers": round(w1 / (2 * w2), 3),
    }
    print(f"{n} points x {rows_per_point} rows: one batch {one_run:.1f} s "
          f"({n * rows_per_point / one_run:.1f} rows/s), one point per batch {per_point:.1f} s "
          f"({n * rows_per_point / per_point:.1f} rows/s): batched/single = {per_point / one_run:.2f}")
    print(f"batches of {batch}: 1 worker {w1:.1f} s, 2 workers {w2:.1f} s: "
          f"parallel efficiency {w1 / (2 * w2):.1%}")
    path = Path(__file__).parent / "results" / "sweep_scaling.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
