"""CaMKII and DAPK1 competing for GluN2B in the ``spine`` model: theta windows, HFS and LFS.

Every curve comes from a simulation this script runs (one virtual cell per
protocol, the model's default parameters, seed 0):

A. through the first induction window of Jang et al 2026 (0.2 s window and
   the 0.4 s gap; rising = low-high, falling = high-low): GluN2B-bound CaMKII
   (solid), GluN2B-bound DAPK1 (dotted) and their difference (thick);
B. the same three at the end of every sweep through the whole Jang protocol
   (the model's conditioning test pulses, then the 5 min baseline drawn
   here, 5 blocks of 10 windows, 45 min follow-up), with the weight (trapped
   PSD AMPARs / value at the start of the baseline) on the lower axis;
C. 100 Hz for 1 s (HFS) and D. 900 pulses at 1 Hz (LFS): per sweep through
   the induction, then the quiet chemistry (the stiff solver of the runner)
   for 40 min after it.

Usage: ``python -m figures.spine_competition [OUT.png]`` (about 5-10 minutes;
writes the datasets beside the PNG as NetCDF).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from brian2 import second  # noqa: E402

from plasticity.models import get_model  # noqa: E402
from plasticity.simulate import simulate, rows_for  # noqa: E402
from plasticity.chemistry.stiff import StiffSolver  # noqa: E402
from protocols import induction, jang2026  # noqa: E402

COLORS = {"low-high": "#d62728", "high-low": "#1f77b4", "hfs": "#d62728", "lfs": "#1f77b4"}
AFTER_MIN = 40


def run_all(model_name="spine", seed=0) -> dict:
    """The four simulations: {'jang': Dataset, 'hfs': Dataset, 'lfs': Dataset}."""
    model = get_model(model_name)
    out = {}
    pparams = jang2026.protocol_parameters({"conditioning": model.conditioning}
                                           if model.conditioning is not None else None)
    schedule = jang2026.build_schedule(pparams, ["low-high", "high-low"])
    rows = rows_for(model.parameters, list(schedule.conditions), {c: 1 for c in schedule.conditions})
    out["jang"] = simulate(model, schedule, rows, seed=seed, trace_rows=[0, 1])
    for name, build in (("hfs", induction.hfs), ("lfs", induction.lfs)):
        schedule = build(consolidation=1 * second)
        rows = rows_for(model.parameters, list(schedule.conditions), {c: 1 for c in schedule.conditions})
        out[name] = simulate(model, schedule, rows, seed=seed)
    return out


def quiet_after(model_name, ds, minutes=AFTER_MIN):
    """(minutes, camkii_n2b, dapk1_n2b, weight) advancing the run's final chemistry with no input."""
    net = get_model(model_name).chemistry
    solver = StiffSolver(net)
    x = {sid: ds["chemistry_final"].sel(species=sid).values for sid in net.species_ids}
    ref = float(ds["trapped_ampar"].values[0, 0] / ds["expressed_weight"].values[0, 0])
    t, rows = np.arange(0, minutes + 1), []
    for k in range(t.size):
        if k:
            x, _ = solver.advance(x, None, 60.0)
        rows.append([float(net.evaluate(o, x)[0]) for o in ("camkii_n2b", "dapk1_n2b")]
                    + [float(net.evaluate("trapped_ampar", x)[0]) / ref])
    return t, np.array(rows)


def _kinases(ax, t, k, d, color, label):
    ax.plot(t, k, color=color, lw=1.0, label=f"CaMKII-GluN2B {label}")
    ax.plot(t, d, color=color, lw=1.0, ls=":", label=f"DAPK1-GluN2B {label}")
    ax.plot(t, k - d, color=color, lw=2.0, alpha=0.6, label=f"difference {label}")


def plot(data: dict, path, model_name="spine") -> Path:
    fig, axes = plt.subplots(2, 4, figsize=(17, 7), sharex="col",
                             gridspec_kw={"height_ratios": [2, 1]})
    jang = data["jang"]
    # the recorded part (the conditioning sweeps before the baseline are left out)
    jang = jang.isel(sweep=np.flatnonzero(jang["sweep_kind"].values != "conditioning"))
    # A: through the first window (traces); B: at every sweep's end
    for col, t, prefix, conds, lower in (
            (0, jang["trace_time"].values, "trace_", jang["trace_condition"].values, "trace_Ca_psd"),
            (1, jang["time"].values, "", jang["condition"].values, "expressed_weight")):
        for r, cond in enumerate(conds):
            c = str(cond)
            _kinases(axes[0, col], t, jang[f"{prefix}camkii_n2b"].values[r],
                     jang[f"{prefix}dapk1_n2b"].values[r], COLORS[c], c)
            axes[1, col].plot(t, jang[lower].values[r], color=COLORS[c], lw=1.0)
    axes[0, 0].set_title("A  first theta window (rising red, falling blue)", loc="left", fontsize=9)
    axes[1, 0].set_ylabel("PSD Ca$^{2+}$ (uM)")
    axes[1, 0].set_xlabel("time in the first window (ms)")
    axes[0, 1].set_title("B  Jang 2026 protocol, every sweep", loc="left", fontsize=9)
    axes[1, 1].set_xlabel("time after induction (min)")
    for col, name in ((2, "hfs"), (3, "lfs")):
        ds = data[name]
        t_ind = ds["time"].values          # minutes after the induction's end (negative during it)
        t_ind = t_ind - t_ind[-1]
        k, d, w = ds["camkii_n2b"].values[0], ds["dapk1_n2b"].values[0], ds["expressed_weight"].values[0]
        ta, after = quiet_after(model_name, ds)
        t_all = np.concatenate([t_ind, ta[1:]])
        _kinases(axes[0, col], t_all, np.concatenate([k, after[1:, 0]]),
                 np.concatenate([d, after[1:, 1]]), COLORS[name], name.upper())
        axes[1, col].plot(t_all, np.concatenate([w, after[1:, 2]]), color=COLORS[name], lw=1.2)
        axes[1, col].set_xlabel("time after induction (min)")
        title = {"hfs": "C  100 Hz for 1 s", "lfs": "D  900 pulses at 1 Hz"}[name]
        axes[0, col].set_title(f"{title}, then {AFTER_MIN} min quiet", loc="left", fontsize=9)
    for ax in axes[0]:
        ax.axhline(0, color="k", lw=0.5)
        ax.legend(fontsize=6, frameon=False)
    axes[0, 0].set_ylabel("GluN2B-bound kinase (uM)")
    for ax in axes[1, 1:]:
        ax.axhline(1, color="k", lw=0.5, ls=":")
        ax.set_ylabel("weight (trapped AMPAR / baseline)")
    fig.suptitle(f"CaMKII vs DAPK1 on GluN2B, model '{model_name}' (parameters "
                 f"{get_model(model_name).parameters.hash}, plasticity "
                 f"{jang.attrs.get('plasticity_version')}, seed {jang.attrs.get('brian2_seed')})",
                 fontsize=10)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path("results") / "spine_competition.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    data = run_all()
    for name, ds in data.items():
        ds.to_netcdf(out.with_name(f"{out.stem}_{name}.nc"))
    print(plot(data, out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
