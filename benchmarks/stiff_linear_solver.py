"""Dense against sparse linear algebra in the quiet-phase solver, on the spine network.

    python benchmarks/stiff_linear_solver.py [--rows 1,2,4,8,16,32,64] [--quiet-rows 8]

1. **Per step.**  One Rosenbrock step's linear algebra (factor ``I - gamma h J``
   once, solve three stages, as ROS3 does) for R rows of the 145-species spine
   network at a perturbed resting state: ``dense`` (batched ``np.linalg.solve``
   per stage) against ``sparse`` (the batched level-set LU), the faster of three
   timings of ten repeats each, and which one ``linear_solver="auto"`` takes.
2. **A quiet phase.**  What the runner does between two 1 Hz pulses: advance
   ``--quiet-rows`` rows (different Ca2+ loads) through 0.35 s of quiet from a
   Ca2+-loaded state, with ``auto`` against forced ``sparse``, the faster of two
   timings each in the same process; the ratio and the largest relative
   difference of the two end states (both are the same integrator; they differ
   by rounding in the linear solves, which the step-size control may amplify).

Writes benchmarks/results/stiff_linear_solver.json.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from plasticity.chemistry.stiff import StiffSolver
from plasticity.spine_model import reaction_network

RESULT = Path(__file__).parent / "results" / "stiff_linear_solver.json"


def best_ms(fn, repeats=10, tries=3) -> float:
    fn()
    best = np.inf
    for _ in range(tries):
        start = time.perf_counter()
        for _ in range(repeats):
            fn()
        best = min(best, (time.perf_counter() - start) / repeats)
    return best * 1e3


def per_step(solver: StiffSolver, rows: list[int]) -> list[dict]:
    out = []
    rng = np.random.default_rng(0)
    for R in rows:
        x = solver.initial_state(R) * (1 + 0.01 * rng.standard_normal((solver.n_species, R)))
        _, jv = solver.rhs_and_jacobian(x, solver.prepare_params(None, R))
        h = np.full(R, 0.01)
        b = rng.standard_normal((solver.n_species, R))
        row = {"rows": R, "auto": solver.choose_linear_solver(R, 3)}
        for method in ("dense", "sparse"):
            def step(method=method):
                solve = solver._factor(jv, h, method)
                for _ in range(3):
                    solve(b)
            row[f"{method}_ms"] = round(best_ms(step), 3)
        row["dense_over_sparse"] = round(row["dense_ms"] / row["sparse_ms"], 3)
        print(row, flush=True)
        out.append(row)
    return out


def quiet_phase(solver: StiffSolver, R: int) -> dict:
    ids = solver.species_ids
    x = solver.initial_state(R)
    for sid in ("Ca_psd", "Ca_cyt"):
        if sid in ids:
            x[ids.index(sid)] = np.linspace(1.0, 5.0, R)
    times, ends = {}, {}
    for method in ("auto", "sparse"):
        best = np.inf
        for _ in range(2):
            start = time.perf_counter()
            end, info = solver.advance(x, None, 0.35, linear_solver=method)
            best = min(best, time.perf_counter() - start)
        times[method], ends[method] = best, end
        print(method, info["linear_solver"], f"{best:.3f} s, {info['iterations']} steps", flush=True)
    scale = np.maximum(np.abs(ends["sparse"]), 1e-9)
    return {"rows": R, "auto_takes": solver.choose_linear_solver(R, 3),
            "auto_s": round(times["auto"], 4), "sparse_s": round(times["sparse"], 4),
            "sparse_over_auto": round(times["sparse"] / times["auto"], 3),
            "max_rel_difference": float(np.max(np.abs(ends["auto"] - ends["sparse"]) / scale))}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="1,2,4,8,16,32,64")
    ap.add_argument("--quiet-rows", type=int, default=8)
    args = ap.parse_args(argv)
    solver = StiffSolver(reaction_network())
    f, fw, bw = solver._lu.n_levels
    result = {"species": solver.n_species, "levels": [f, fw, bw],
              "per_step": per_step(solver, [int(r) for r in args.rows.split(",")]),
              "quiet_phase": quiet_phase(solver, args.quiet_rows)}
    print(json.dumps(result["quiet_phase"]))
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
