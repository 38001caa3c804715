"""The model neuron's f-I curve, and the somatic current that makes it fire at a given rate.

Jang et al 2026 set the current of each half-window per cell "to approximate
the presynaptic rate" (120 and 350 pA for 25 and 50 Hz in their example).  The
rate sweep (:mod:`protocols.jang2026_sweep`) needs that for rates from 0 to
100 Hz: :func:`fi_curve` steps the toolkit's CA1 neuron (every model shares
it; default parameters, membrane noise on, no synaptic input) with currents
for ``STEP`` (one half-window, 100 ms) from rest, ``REPEATS`` noisy repeats
per current in one batched run, and counts spikes; :func:`current_for` inverts
the mean rate by linear interpolation.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from brian2 import (NeuronGroup, SpikeMonitor, Network, TimedArray, ms, pA, second, prefs)
import brian2

STEP = 100 * ms
LEAD = 50 * ms
REPEATS = 16
CURRENTS_PA = tuple(float(x) for x in np.arange(0, 1601, 20))


@lru_cache(maxsize=4)
def fi_curve(currents_pa=CURRENTS_PA, seed: int = 0):
    """(currents in pA, mean rate in Hz over ``STEP``) on the default neuron."""
    from plasticity.models import get_model
    from plasticity import neuron
    params = get_model("kinase").parameters
    names = {s.name for s in neuron.NEURON_SPECS}
    ns = {k: params[k] for k in names}
    cur = np.repeat(np.asarray(currents_pa, float), REPEATS)
    n = cur.size
    res = float(LEAD / second) + float(STEP / second) + 0.02
    values = np.zeros((3, n))
    values[1] = cur                                    # 0 before, the step, 0 after
    edges = [0.0, float(LEAD / second), float((LEAD + STEP) / second)]
    dt_steps = np.diff(edges + [res])
    ta = TimedArray(np.repeat(values, [int(round(d / 1e-4)) for d in dt_steps], axis=0) * pA,
                    dt=0.1 * ms, name="somatic_current")
    ns["somatic_current"] = ta
    prefs.codegen.target = "cython"
    brian2.seed(seed)
    g = NeuronGroup(n, neuron.NEURON_EQUATIONS + "I_syn = 0*amp : amp\n",
                    threshold=neuron.NEURON_THRESHOLD, reset=neuron.NEURON_RESET,
                    refractory=neuron.NEURON_REFRACTORY, method="euler", namespace=ns,
                    dt=0.2 * ms, name="fi_cells")
    g.v = params["E_L"]
    g.v_d = params["E_L"]
    mon = SpikeMonitor(g, name="fi_spikes")
    Network(g, mon).run(res * second, namespace=ns)
    t = np.asarray(mon.t / second)
    i = np.asarray(mon.i)
    inside = (t >= float(LEAD / second)) & (t < float((LEAD + STEP) / second))
    counts = np.bincount(i[inside], minlength=n).reshape(-1, REPEATS)
    rates = counts.mean(axis=1) / float(STEP / second)
    return np.asarray(currents_pa, float), rates


def current_for(rates_hz, curve=None):
    """Somatic current (pA) at which the mean rate of :func:`fi_curve` reaches each rate (0 Hz: 0 pA)."""
    currents, rates = curve or fi_curve()
    rates_hz = np.atleast_1d(np.asarray(rates_hz, float))
    if np.any(rates_hz < 0) or not np.all(np.isfinite(rates_hz)):
        raise ValueError(f"rates must be finite and >= 0 Hz, got {rates_hz}")
    if rates_hz.max() > rates.max():
        raise ValueError(f"the neuron does not reach {rates_hz.max():g} Hz below "
                         f"{currents.max():g} pA (at most {rates.max():.0f} Hz)")
    rising = np.maximum.accumulate(rates)
    out = []
    for r in rates_hz:
        if r == 0:
            out.append(0.0)
            continue
        k = int(np.flatnonzero(rising >= r)[0])         # first current reaching the rate
        a, b = rising[k - 1], rising[k]
        out.append(float(currents[k - 1] + (r - a) / (b - a) * (currents[k] - currents[k - 1])))
    return np.asarray(out)


__all__ = ["fi_curve", "current_for", "STEP", "CURRENTS_PA"]
