"""Totals of the spine network over a burst and 45 quiet minutes (Euler + stiff solver).

    python benchmarks/conservation_spine.py

Prints the number of conservation laws, the worst relative drift of any of
them between the settled state and the end, the most negative concentration,
the PSD Ca2+ peak of the burst and the final weights (default row and a row
without DAPK1).
"""
import numpy as np
from brian2 import Hz, second, umolar

from plasticity.models import get_model
from plasticity.simulate import simulate, rows_for
from protocols import induction


def main():
    model = get_model("spine")
    schedule = induction.train(100 * Hz, 10, "burst", consolidation=45 * 60 * second)
    rows = rows_for(model.parameters, ["burst"], {"burst": 2})
    rows.values["dapk1_total"] = np.array([20.0, 0.0]) * umolar
    ds = simulate(model, schedule, rows, trace_rows=[0])
    ids = list(ds.species.values)
    before, after = ds.chemistry_settled.values, ds.chemistry_final.values
    laws = model.chemistry.conservation_laws()
    worst = 0.0
    for law in laws:
        w = np.array([law.get(s, 0.0) for s in ids])
        worst = max(worst, float(np.max(np.abs(after @ w - before @ w) / (np.abs(before) @ np.abs(w)))))
    print(f"{len(laws)} conservation laws; worst relative drift {worst:.2e}")
    print(f"most negative concentration: settled {before.min():.2e} uM, final {after.min():.2e} uM")
    print(f"PSD Ca2+ peak {float(ds.trace_Ca_psd.max()):.2f} uM; final weights "
          f"{ds.expressed_weight.values[:, -1]}; wall {ds.attrs['wall_time_s']} s")


if __name__ == "__main__":
    main()
