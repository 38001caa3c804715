"""Phase rates and error scores of theta trials, from recorded spikes.

* minus-phase rate: spikes in the last 50 ms of the minus phase (100-150 ms of the trial), when
  the free network has settled; plus-phase rate: the last 50 ms (150-200 ms), the plus phase.
  Both in Hz.  (Axon reads ActM / ActP, its rate code integrated with tau 40 ms at the end of
  each phase; a 50 ms count is the same time scale without the rate-code bookkeeping.)
* an output unit is "on" in the minus phase when its rate exceeds ``on_rate`` = 30 Hz, i.e. at
  least 2 spikes in the 50 ms window.  In trained networks the units the network turns off fire
  0-20 Hz in that window, the units it turns on 40-60 Hz (the output pool's inhibition, Gi 0.65,
  holds them there) and clamped target units 120-140 Hz.  Axon's ErrThr (0.5 of its rate code,
  whose unit is 180 Hz) would sit above the free on-rate of these neurons, whose output layer
  settles lower than Axon's without the target clamp.
* a trial is an error when any output unit's on/off state differs from its target (Axon UnitErr
  > 0, spec section 4.3); the epoch error is the fraction of error trials (Axon PctErr).
* a weaker read-out for tasks whose target is one pool of a pooled output layer (``xor``,
  ``parity3``): a trial is "pool-correct" when the target pool has the highest mean minus-phase
  rate of all pools (a tie, silence included, is wrong), i.e. what a downstream winner-take-all
  would read.  A network can be pool-correct while failing the unit criterion (both pools on).
"""
from __future__ import annotations

import numpy as np
from brian2 import Hz, ms

RATE_WINDOW = 50 * ms
ON_RATE = 30 * Hz


def phase_rates(i, t, trials: int, neurons: np.ndarray, theta=200 * ms, t_minus=150 * ms,
                window=RATE_WINDOW, minus_window=None):
    """(minus, plus) rates in Hz, arrays (trials, len(neurons)), from spike indices and times (s).

    The plus rate counts the last ``window`` of the trial, the minus rate the last
    ``minus_window`` (default: ``window``) of the minus phase.
    """
    theta_s, minus_s, win_s = (float(x / ms) / 1000 for x in (theta, t_minus, window))
    mwin_s = win_s if minus_window is None else float(minus_window / ms) / 1000
    i, t = np.asarray(i), np.asarray(t, dtype=float)
    neurons = np.asarray(neurons)
    pos = np.full(int(max(neurons.max(), i.max(initial=0))) + 1, -1)
    pos[neurons] = np.arange(len(neurons))
    keep = pos[i] >= 0 if len(i) else np.zeros(0, bool)
    i, t = pos[i[keep]], t[keep]
    trial = np.floor(t / theta_s + 1e-9).astype(int)
    phase = t - trial * theta_s
    out = []
    for start, width in ((minus_s - mwin_s, mwin_s), (theta_s - win_s, win_s)):
        sel = (phase >= start - 1e-9) & (phase < start + width - 1e-9) & (trial < trials)
        counts = np.zeros((trials, len(neurons)))
        np.add.at(counts, (trial[sel], i[sel]), 1)
        out.append(counts / width)
    return tuple(out)


def unit_errors(minus_rates, targets, on_rate=ON_RATE):
    """Fraction of output units whose minus-phase on/off state is wrong, per trial."""
    on = np.asarray(minus_rates) > float(on_rate / Hz)
    return (on != (np.asarray(targets) > 0.5)).mean(axis=1)


def target_pools(targets, n_pools: int) -> np.ndarray:
    """(patterns, pools) booleans: which of ``n_pools`` equal consecutive pools each target
    switches on; an error unless the units split into such pools with exactly one on."""
    targets = np.asarray(targets, float)
    units = targets.shape[1]
    if not isinstance(n_pools, (int, np.integer)) or n_pools < 2 or units % n_pools:
        raise ValueError(f"{units} output units do not split into {n_pools!r} equal pools")
    on = targets.reshape(len(targets), n_pools, -1).mean(-1) > 0.5
    if not np.all(on.sum(1) == 1):
        raise ValueError("each target must switch on exactly one output pool")
    return on


def pool_correct(minus_rates, targets, n_pools: int):
    """Per trial: does the target pool have the highest mean minus-phase rate (ties wrong)?

    ``minus_rates`` and ``targets`` are (trials, units) with the units in ``n_pools`` equal
    consecutive pools; each target row must switch on exactly one pool.
    """
    rates = np.asarray(minus_rates, float)
    pool_target = target_pools(targets, n_pools)
    pool_rate = rates.reshape(len(rates), n_pools, -1).mean(-1)
    best = pool_rate.max(1, keepdims=True)
    unique = (pool_rate == best).sum(1) == 1
    return unique & (pool_rate[pool_target] == best[:, 0])
