"""Small classic induction schedules: spike-timing pairing, high- and low-frequency trains.

These are the schedules the biochemical models are checked with (the full
protocol library, with baselines, probes and the lab's read-out, is built on
them later):

* :func:`pairing` -- Bi & Poo (1998) style pairing: ``n_pairs`` presynaptic
  releases at ``rate``, each with one postsynaptic spike evoked by a brief
  somatic current pulse ``delta_t`` after (positive) or before (negative) the
  release; Urakubo et al 2008 used 60 pairings at 1 Hz with delta_t = +-10 ms
  for their STDP figure.  ``delta_t`` is measured to the postsynaptic spike,
  which follows the pulse onset by ``SPIKE_LATENCY`` (tests/test_induction.py
  measures it on the default neuron).
* :func:`train` -- ``n_pulses`` presynaptic releases at ``rate`` with no
  postsynaptic current: HFS (100 Hz for 1 s, Bliss & Lomo style tetanus) or
  LFS (900 pulses at 1 Hz, Dudek & Bear 1992).

Every schedule ends with a quiet ``consolidation`` stretch (one compressed
sweep; the chemistry goes through it with the stiff solver) after which the
weight is read (the expressed weight at the end of the last sweep).  Sweeps
shorter than a period are compressed: ``active`` of each is simulated at the
fine step, the rest of the period by the stiff solver.
"""
from __future__ import annotations

import numpy as np
from brian2 import ms, second, Hz, nA, Quantity

from plasticity.schedule import Schedule, Stimulus, ScheduleError

#: onset of the postsynaptic pulse to the somatic spike on the default neuron
SPIKE_LATENCY = 1.35 * ms
PULSE = (2 * ms, 1.5 * nA)          # duration, amplitude of the spike-evoking pulse
RELEASE_AT = 50 * ms                 # release (or the earlier event) within its sweep
#: simulated part of each sweep: NMDA gating (tau 100 ms) must be back below 1 %
#: of its peak before the stiff solver takes over (the runner checks it)
ACTIVE = 550 * ms


def _check(name, value, unit, positive=True):
    if not isinstance(value, Quantity) or not value.has_same_dimensions(unit):
        raise ScheduleError(f"{name} must be given in units of {unit!r}, got {value!r}")
    number = float(value / unit)
    if not np.isfinite(number) or (positive and number <= 0):
        raise ScheduleError(f"{name} must be a finite positive quantity, got {value!r}")
    return number


def _consolidated(protocol, stimuli, n_sweeps, period, active, consolidation, parameters):
    kinds = ("induction",) * n_sweeps + ("pause",)
    durations = np.array([period] * n_sweeps + [max(consolidation, active)])
    return Schedule(protocol=protocol, stimuli=stimuli, sweep_kind=kinds,
                    sweep_duration=durations * second, sweep_length=active * second,
                    active_length=active * second, probe_offset=0 * ms,
                    trace_window=(0 * second, active * second),
                    induction_end=float(np.sum(durations[:-1])) * second,
                    parameters=parameters).validate()


def pairing(delta_ts, n_pairs: int = 60, rate=1 * Hz, active=ACTIVE,
            consolidation=10 * 60 * second) -> Schedule:
    """Conditions ``'dt+10ms'``-style, one per ``delta_t`` (post spike minus release)."""
    period = 1.0 / _check("rate", rate, Hz)
    act = _check("active", active, second)
    cons = _check("consolidation", consolidation, second)
    if int(n_pairs) < 1:
        raise ScheduleError(f"n_pairs must be >= 1, got {n_pairs}")
    if act > period:
        raise ScheduleError(f"active ({act * 1e3:g} ms) must not exceed the pairing period")
    stimuli = {}
    lead = float(RELEASE_AT / second)
    for dt in delta_ts:
        d = float(_check("delta_t", dt, second, positive=False))
        pulse_on = d - float(SPIKE_LATENCY / second)
        first = min(0.0, pulse_on)
        release, pulse = lead - first, lead - first + pulse_on
        if release + 0.05 > act or pulse + 0.05 > act:
            raise ScheduleError(f"|delta_t| {abs(d) * 1e3:g} ms does not fit the active part")
        starts = np.arange(int(n_pairs)) * act
        dur, amp = PULSE
        steps = tuple(((s + pulse) * second, (s + pulse) * second + dur, amp) for s in starts)
        stimuli[f"dt{d * 1e3:+g}ms"] = Stimulus(pre_spikes=(starts + release) * second,
                                                current_steps=steps)
    return _consolidated("pairing", stimuli, int(n_pairs), period, act, cons,
                         {"n_pairs": str(n_pairs), "rate": str(rate)})


def train(rate, n_pulses: int, name: str, active=ACTIVE,
          consolidation=10 * 60 * second) -> Schedule:
    """Presynaptic releases only: one condition ``name``."""
    r = _check("rate", rate, Hz)
    act = _check("active", active, second)
    cons = _check("consolidation", consolidation, second)
    n = int(n_pulses)
    if n < 1:
        raise ScheduleError(f"n_pulses must be >= 1, got {n_pulses}")
    lead = float(RELEASE_AT / second)
    period = 1.0 / r
    if period >= act:            # one release per sweep, quiet rest of the period compressed
        spikes = np.arange(n) * act + lead
        n_sweeps = n
    else:                        # the whole train in one sweep
        span = lead + n * period + 0.25
        act = max(act, span)
        spikes = lead + np.arange(n) * period
        n_sweeps, period = 1, act
    stim = {name: Stimulus(pre_spikes=spikes * second)}
    return _consolidated(name, stim, n_sweeps, period, act, cons,
                         {"rate": str(rate), "n_pulses": str(n)})


def hfs(**kw) -> Schedule:
    """100 Hz for 1 s."""
    return train(100 * Hz, 100, "hfs", **kw)


def lfs(**kw) -> Schedule:
    """900 pulses at 1 Hz."""
    return train(1 * Hz, 900, "lfs", **kw)


__all__ = ["pairing", "train", "hfs", "lfs", "SPIKE_LATENCY"]
