"""The measurements behind the spine models' numerical and calibration choices.

    python benchmarks/spine_calibration.py

1. Fastest modes of the spine network (Jacobian eigenvalues at the settled
   state and with 10 / 3 uM free Ca2+ in PSD / cytosol): why free Ca2+ is
   stepped implicitly (``IMPLICIT_SPECIES``).
2. Settling: trapped AMPAR and GluN2B-bound CaMKII after 500 ... 4000 s of
   quiet from the cold start (``SETTLE_TIME``), and the rest occupancy of the
   sites with the site rule of this toolkit vs the Go port's (every CaM-bound
   form binds).
3. ``o_nmda``: peak PSD / cytosolic Ca2+ of one release and of a +16 ms pairing
   (Genesis reference 9.22 / 3.11 uM, spec 7.2), and the ``urakubo2008`` STDP
   weight change 10 min after 60 pairings at 1 Hz, for several values.
"""
import dataclasses

import numpy as np
from brian2 import Hz, ms, second, umolar

from plasticity.models import get_model
from plasticity.simulate import simulate, rows_for
from plasticity.spine_model import reaction_network
from plasticity.chemistry.stiff import StiffSolver
from protocols import induction

VALUES = [0.1, 0.15, 0.2, 0.25]


def modes_and_settling():
    net = reaction_network(True)
    solver = StiffSolver(net)
    ids = net.species_ids
    x = {k: float(v / umolar) for k, v in net.initial_state().items()}
    t = 0.0
    for T in (500, 1000, 2000, 4000):
        x, _ = solver.advance(x, None, T - t)
        t = T
        print(f"settling {T:5d} s: trapped AMPAR {float(net.evaluate('trapped_ampar', x)[0]):.4f} uM, "
              f"CaMKII-GluN2B {float(net.evaluate('camkii_n2b', x)[0]):.4f} uM")
    go = {f"kf_camkii_site_{f}": 8.0 for f in ("CaM0K", "CaM1K", "CaM2K")}
    y, _ = solver.advance(x, go, 4000.0)
    print(f"Go port's site rule (every CaM-bound form binds): CaMKII-GluN2B at rest "
          f"{float(net.evaluate('camkii_n2b', y)[0]):.3f} of 2 uM")
    P = solver.prepare_params(None, 1)
    for label, ca in (("settled", None), ("Ca 10 / 3 uM", (10.0, 3.0))):
        X = np.array([[float(np.ravel(x[s])[0])] for s in ids])
        if ca:
            X[ids.index("Ca_psd")], X[ids.index("Ca_cyt")] = ca
        ev, V = np.linalg.eig(solver.jacobian_dense(X, P)[0])
        order = np.argsort(ev.real)[:4]
        print(f"fastest modes ({label}): " + "; ".join(
            f"{-ev[k].real:.3g} /s ({ids[int(np.argmax(np.abs(V[:, k])))]})" for k in order))


def ca_peaks():
    model = dataclasses.replace(get_model("urakubo2008"), trace_variables=("Ca_psd", "Ca_cyt"))
    for schedule in (induction.train(1 * Hz, 1, "one release", consolidation=1 * second),
                     induction.pairing([16 * ms], n_pairs=1, consolidation=1 * second)):
        cond = list(schedule.conditions)[0]
        rows = rows_for(model.parameters, [cond], {cond: len(VALUES)})
        rows.values["o_nmda"] = np.array(VALUES)
        ds = simulate(model, schedule, rows, trace_rows=list(range(len(VALUES))))
        for v, p, c in zip(VALUES, ds.trace_Ca_psd.max(dim="trace_time").values,
                           ds.trace_Ca_cyt.max(dim="trace_time").values):
            print(f"{cond:12s} o_nmda {v:4.2f}: peak Ca2+ PSD {p:6.2f} uM, cytosol {c:5.2f} uM")


def stdp():
    model = get_model("urakubo2008")
    schedule = induction.pairing([10 * ms, -10 * ms], consolidation=600 * second)
    conds = list(schedule.conditions)
    rows = rows_for(model.parameters, conds, {c: len(VALUES) for c in conds})
    rows.values["o_nmda"] = np.array(VALUES * len(conds))
    ds = simulate(model, schedule, rows)
    for r in range(rows.n):
        print(f"urakubo2008 {rows.condition[r]} o_nmda {rows.values['o_nmda'][r]:4.2f}: "
              f"dw at 10 min {float(ds.expressed_weight.values[r, -1] - 1):+.4f}")


if __name__ == "__main__":
    modes_and_settling()
    ca_peaks()
    stdp()
