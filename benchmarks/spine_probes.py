"""Do test pulses alone change the weight of the biochemical models?  (They must not: Jang et al
2026 and every CA1 LTP/LTD study record a stable baseline at 0.05 Hz.)

    python benchmarks/spine_probes.py [--probes 6] [--long-min 20]

1. ``urakubo2008`` and ``spine``: single presynaptic releases every 20 s
   (no postsynaptic current), the weight (trapped PSD AMPARs / settled value)
   after each, for the default model and with the Ca2+ sources removed per
   row (NMDA: ``o_nmda`` 0; VGCC: both permeabilities 0).
2. Which pathway carries the change: ``urakubo2008`` rebuilt with the
   PP1 -> AMPAR or the CaN -> AMPAR steps (Table SIl) set to zero (these
   constants are compiled into the chemistry code: one compile each).
3. Where the weight goes under probes alone (``--long-min`` minutes of
   0.05 Hz pulses, both models): the steady baseline the model reaches, and
   how long its ``conditioning`` (test pulses before the recorded baseline)
   must be.

Writes benchmarks/results/spine_probes.json and prints a table.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from brian2 import Hz, second

from plasticity.models import get_model
from plasticity.simulate import simulate, rows_for
from protocols import induction

CA_SOURCES = {"default": (), "no NMDA Ca2+ (o_nmda 0)": ("o_nmda",),
              "no VGCC Ca2+": ("P_vgcc_psd", "P_vgcc_cyt")}


def probes(model, n, variants):
    """Weights after each of ``n`` 0.05 Hz releases, one row per variant (names set to 0)."""
    schedule = induction.train(0.05 * Hz, n, "probes", consolidation=20 * second)
    rows = rows_for(model.parameters, ["probes"], {"probes": len(variants)})
    for r, zeroed in enumerate(variants.values()):
        for name in zeroed:
            rows.set_value(r, name, 0 * rows.values[name][r])
    t0 = time.perf_counter()
    ds = simulate(model, schedule, rows)
    return {label: ds.expressed_weight.values[r, :n].round(4).tolist()
            for r, label in enumerate(variants)}, time.perf_counter() - t0


def pathway_split(n):
    base = get_model("urakubo2008")
    names = list(base.chemistry.parameters)
    out = {}
    for label, key in (("PP1 -> AMPAR off", "_pp1"), ("CaN -> AMPAR off", "_can")):
        zero = {k: 0 * base.parameters[k] for k in names if k.startswith("ampar") and key in k}
        model = base.with_parameters(base.parameters.replace(**zero))
        out[label] = probes(model, n, {"default": ()})[0]["default"]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--probes", type=int, default=6)
    ap.add_argument("--long-min", type=float, default=30.0)
    args = ap.parse_args(argv)
    out = {}
    for name in ("urakubo2008", "spine"):
        out[name], wall = probes(get_model(name), args.probes, CA_SOURCES)
        print(f"{name} ({wall:.0f} s wall): weight after each 0.05 Hz release")
        for label, w in out[name].items():
            print(f"  {label:28s} " + " ".join(f"{v:.3f}" for v in w))
    out["urakubo2008 pathways"] = pathway_split(args.probes)
    print("urakubo2008, AMPAR dephosphorylation steps removed:")
    for label, w in out["urakubo2008 pathways"].items():
        print(f"  {label:28s} " + " ".join(f"{v:.3f}" for v in w))
    n_long = int(round(args.long_min * 3))
    for name in ("urakubo2008", "spine"):
        w = probes(get_model(name), n_long, {"default": ()})[0]["default"]
        out[f"{name} long"] = w
        print(f"{name}, {n_long} releases at 0.05 Hz: weight every 5 min "
              + " ".join(f"{v:.3f}" for v in w[14::15]))
    path = Path(__file__).parent / "results" / "spine_probes.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
