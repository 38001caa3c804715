"""Graupner & Brunel 2012: the calcium-threshold rule with a bistable efficacy (the ``gb2012`` model).

PNAS 109:3991 (with its 2012 Correction of the noise term); equations and every
published parameter set: protocols/data/graupner_brunel_2012_calcium_model.json
(transcribed from the first author's code, checked against two other
implementations there).

* Calcium: ``c`` jumps by ``Cpre`` a delay ``D`` after each presynaptic spike
  (the NMDA-receptor transient) and by ``Cpost`` at each postsynaptic spike
  (the bAP-VGCC transient), decays with ``tau_Ca``; resting c = 0.  Stored as its
  value at the last jump and decayed exactly when read (event-exact).
* Efficacy of each synapse: ``tau drho/dt = -rho (1 - rho)(rho_star - rho) +
  gamma_p (1 - rho) H[c - theta_p] - gamma_d rho H[c - theta_d] +
  sigma sqrt(tau) sqrt(H[c - theta_d] + H[c - theta_p]) eta(t)``.
* Weight ``w = w0 (1 + (b - 1) rho)``; a fraction ``beta`` starts DOWN (rho 0).

A row here is a pathway of ``SYNAPSES`` synapses that share the calcium (the
same pre and post spikes) and have their own noise; their mean weight over
the population baseline ``beta + (1 - beta) b`` is the expressed strength (no
further expression delay: rho is itself the slow variable).  Where the runner
compresses quiet time the deterministic drift of rho is advanced by the real
elapsed time (``expression_speed``); the noise is gated off there (c = 0).

Time above threshold is integrated per row (``T_d``, ``T_p``) for the paper's
own reduction of a protocol to transition probabilities
(:func:`analytic_change`, an Ornstein-Uhlenbeck approximation: its Fig. 2 STDP
curves), which the tests use to check every generic set's sign pattern.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from brian2 import ms, second, Hz
from scipy.special import erf

from ..parameters import Spec

#: synapses per row (per pathway); their mean is the row's weight
SYNAPSES = 16
DATA = Path(__file__).resolve().parents[2] / "protocols" / "data" / "graupner_brunel_2012_calcium_model.json"
GENERIC = "Table_S1_generic_STDP_curves (Fig. 2; 60 pairs at 1 Hz)"
FITS = "Table_S2_fits_to_data"
#: the data file's names -> this toolkit's
_KEYS = {"tau_Ca": ("tau_Ca", second), "C_pre": ("Cpre", 1), "C_post": ("Cpost", 1),
         "theta_d": ("theta_d", 1), "theta_p": ("theta_p", 1), "gamma_d": ("gamma_d", 1),
         "gamma_p": ("gamma_p", 1), "sigma": ("sigma", 1), "tau": ("tau_rho", second),
         "rho_star": ("rho_star", 1), "D": ("D_delay", second), "beta": ("beta", 1), "b": ("b", 1)}


def _data() -> dict:
    return json.loads(DATA.read_text())


def parameter_sets() -> dict:
    """Every published set by name: the generic ones (DP, DPD, DPD_prime, P, D, D_prime) and the fits."""
    data = _data()["parameter_sets"]
    out = {}
    for table in (GENERIC, FITS):
        for name, values in data[table].items():
            if name == "note":
                continue
            out[name] = {_KEYS[k][0]: v * _KEYS[k][1] for k, v in values.items() if k in _KEYS}
    return out


def generic_set_names() -> list[str]:
    return [n for n in _data()["parameter_sets"][GENERIC] if n != "note"]


_DP = parameter_sets()["DP"]
GB_SPECS = [
    Spec("tau_Ca", _DP["tau_Ca"], ms, "calcium decay", "GB2012 Table S1 (DP)", positive=True),
    Spec("Cpre", _DP["Cpre"], 1, "presynaptic (NMDA) calcium jump", "GB2012", low=0),
    Spec("Cpost", _DP["Cpost"], 1, "postsynaptic (bAP) calcium jump", "GB2012", low=0),
    Spec("theta_d", _DP["theta_d"], 1, "depression threshold", "GB2012", positive=True),
    Spec("theta_p", _DP["theta_p"], 1, "potentiation threshold", "GB2012", positive=True),
    Spec("gamma_d", _DP["gamma_d"], 1, "depression rate (x 1/tau)", "GB2012", low=0),
    Spec("gamma_p", _DP["gamma_p"], 1, "potentiation rate (x 1/tau)", "GB2012", low=0),
    Spec("sigma", _DP["sigma"], 1, "noise amplitude", "GB2012 (corrected noise term)", low=0),
    Spec("tau_rho", _DP["tau_rho"], second, "efficacy time constant", "GB2012", positive=True),
    Spec("rho_star", _DP["rho_star"], 1, "unstable fixed point", "GB2012", low=0, high=1),
    Spec("D_delay", _DP["D_delay"], ms, "delay of the presynaptic calcium jump", "GB2012", low=0,
         high=100),
    Spec("beta", _DP["beta"], 1, "fraction of synapses initially DOWN", "GB2012", low=0, high=1),
    Spec("b", _DP["b"], 1, "UP / DOWN weight ratio", "GB2012", positive=True),
]


def equations(n: int = SYNAPSES) -> str:
    rho = "\n".join(
        f"drho_{k}/dt = expression_speed(t) * (-rho_{k} * (1 - rho_{k}) * (rho_star - rho_{k}) "
        f"+ gamma_p * (1 - rho_{k}) * H_p - gamma_d * rho_{k} * H_d) / tau_rho "
        f"+ sigma * sqrt((H_d + H_p) / tau_rho) * xi_{k} : 1" for k in range(n))
    mean = " + ".join(f"rho_{k}" for k in range(n))
    return f"""
c_gb = c_last * exp(-(t - t_c) / tau_Ca) : 1
H_d : 1
H_p : 1
c_last : 1
t_c : second
dT_d/dt = H_d : second
dT_p/dt = H_p : second
{rho}
rho_mean = ({mean}) / {n} : 1
w_expr = (1 + (b - 1) * rho_mean) / (beta + (1 - beta) * b) : 1
"""


#: each synapse k starts DOWN if k < beta * n (deterministic: round(beta n) DOWN)
def initial(n: int = SYNAPSES) -> dict:
    out = {f"rho_{k}": f"int({k} + 0.5 >= beta * {n})" for k in range(n)}
    out.update({"c_last": 0.0, "t_c": -1 * second})
    return out


#: the threshold gates, set at the start of every step from that step's calcium (held
#: as plain variables: Brian2's Euler-Maruyama takes only noise that depends on no
#: state variable, and c depends on time)
GATES = """
H_d = int(c_gb >= theta_d)
H_p = int(c_gb >= theta_p)
"""
ON_PRE_DELAYED = """
c_last_post = c_last_post * exp(-(t - t_c_post) / tau_Ca_post) + Cpre_post
t_c_post = t
"""
ON_POST = """
c_last = c_last * exp(-(t - t_c) / tau_Ca) + Cpost
t_c = t
"""


def analytic_change(T_d, T_p, duration, values: dict) -> float:
    """GB2012's reduction: the mean weight change of a protocol from its time above the thresholds.

    ``T_d``, ``T_p``: seconds with c >= theta_d, theta_p during the protocol of
    ``duration`` seconds; ``values``: a parameter set (plain SI numbers or
    quantities).  Returns after/before of the population (1 = no change).
    """
    v = {k: float(np.asarray(x)) for k, x in values.items()}
    if duration <= 0:
        raise ValueError("analytic_change: the protocol duration must be positive")
    a_d, a_p = T_d / duration, T_p / duration
    G_p, G_d = v["gamma_p"] * a_p, v["gamma_d"] * a_d
    if G_p + G_d == 0:
        return 1.0
    rho_bar = G_p / (G_p + G_d)
    var_inf = v["sigma"] ** 2 * (a_p + a_d) / (G_p + G_d)
    tau_eff = v["tau_rho"] / (G_p + G_d)
    decay = np.exp(-duration / tau_eff)
    var = var_inf * (1 - decay ** 2)

    def above(rho0):
        mu = rho_bar + (rho0 - rho_bar) * decay
        return 0.5 * (1 + erf((mu - v["rho_star"]) / np.sqrt(2 * var)))

    U, Dn = above(0.0), 1 - above(1.0)
    beta, b = v["beta"], v["b"]
    return float((((1 - U) * beta + Dn * (1 - beta)) + b * (U * beta + (1 - Dn) * (1 - beta)))
                 / (beta + (1 - beta) * b))


def stdp_curves(set_names, delta_ts_ms, n_pairs: int = 60, seed: int = 0, replicates: int = 1,
                followup=None) -> dict:
    """GB2012's STDP curves of parameter sets through the toolkit's neuron (one batched run).

    Each (set, delta_t) is a row of the ``gb2012`` model driven by the ``stdp``
    protocol (``n_pairs`` at 1 Hz); the time above each threshold is taken
    from the run (``T_d``, ``T_p`` over the induction) and turned into the mean
    change by :func:`analytic_change`, as the paper drew its Fig. 2.  Returns
    ``{set: {"analytic": [...], "simulated": [...], "T_d": [...], "T_p": [...]}}``
    (``simulated``: the rows' own bistable synapses, expressed strength at the
    end of ``followup`` (default 1 min) over the baseline, mean of
    ``replicates`` rows of ``SYNAPSES`` synapses each; the others from the
    first replicate).
    """
    from ..units import minute
    from protocols import stdp
    from ..models import get_model
    from ..simulate import simulate, rows_for
    model = get_model("gb2012")
    sets = parameter_sets()
    unknown = [n for n in set_names if n not in sets]
    if unknown:
        from ..models import UnknownNameError
        raise UnknownNameError(f"unknown gb2012 parameter set(s) {unknown}; known: {', '.join(sets)}")
    conds = [f"dt{d:+g}ms" for d in delta_ts_ms]
    pparams = stdp.protocol_parameters({"n_pairs": n_pairs, "baseline": 1 * minute,
                                        "followup": followup if followup is not None else 1 * minute})
    (schedule,) = stdp.build_schedules(pparams, conds)
    rows = rows_for(model.parameters, conds, {c: len(set_names) * replicates for c in conds})
    for r, k in enumerate(rows.cell):
        for name, value in sets[set_names[k // replicates]].items():
            rows.set_value(r, name, value)
    ds = simulate(model, schedule, rows, seed=seed)
    kinds = np.asarray(schedule.sweep_kind)
    before = np.flatnonzero(kinds == "baseline")[-1]
    after = np.flatnonzero(kinds == "followup")[0]
    duration = n_pairs / float(pparams["pair_rate"] / Hz)
    out = {n: {"analytic": [], "simulated": [], "T_d": [], "T_p": []} for n in set_names}
    w = ds["expressed_weight"].values
    for r, (cond, k) in enumerate(zip(rows.condition, rows.cell)):
        if k % replicates:
            continue
        name = set_names[k // replicates]
        T = {v: float(ds[v].values[r, after] - ds[v].values[r, before]) for v in ("T_d", "T_p")}
        out[name]["T_d"].append(T["T_d"])
        out[name]["T_p"].append(T["T_p"])
        out[name]["analytic"].append(analytic_change(T["T_d"], T["T_p"], duration, sets[name]))
        same = np.arange(r, r + replicates)
        out[name]["simulated"].append(float(np.mean(w[same, -1] / w[same, before])))
    return out


def sign_letters(changes, tolerance=0.01) -> str:
    """'DP', 'DPD', 'P' ...: the signs of a curve along delta_t (repeats and no-change dropped)."""
    out = ""
    for c in changes:
        letter = "P" if c > 1 + tolerance else "D" if c < 1 - tolerance else ""
        if letter and not out.endswith(letter):
            out += letter
    return out


__all__ = ["GATES", "GB_SPECS", "SYNAPSES", "equations", "initial", "ON_PRE_DELAYED", "ON_POST",
           "parameter_sets", "generic_set_names", "analytic_change", "sign_letters", "stdp_curves"]
