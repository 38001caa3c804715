"""Recorded protocols: test pulses, a baseline, an induction given as events in real time, follow-up.

The classic protocols (HFS, TBS, LFS, the frequency-response and STDP
pairing) are all recorded the same way as Jang et al 2026: test pulses every
``probe_interval`` through a baseline (normalised to its mean), the induction,
and a follow-up read out in minutes after the induction's end.  What differs is
the induction, which each protocol module gives as pure data: per condition,
the presynaptic release times and the onsets of spike-evoking somatic current
pulses, in real time from the start of the induction (:class:`Induction`).

:func:`build` turns that into a :class:`~plasticity.schedule.Schedule`.  The
induction is cut into sweeps greedily (:func:`induction_sweeps`): a sweep that
ends at rest (no event in its last ``SWEEP - ACTIVE``, the last event at least
``SETTLE`` before its end) stretches over the quiet time to ``LEAD`` before the
next event and is compressed; every other sweep is simulated in full.  So a
1 Hz train costs 0.6 s of simulation per pulse and a 100 Hz train is simulated
as it is.  Conditions of one schedule share its sweeps; a condition whose
induction is shorter than the longest is placed so that all end together (one
``induction_end``, the same read-out clock).

``SETTLE`` = 500 ms: NMDA gating (tau 100 ms, the slowest fast variable of the
toolkit's synapse) falls from saturation to e^-5 = 0.7 % of it, below the
runner's rest limit of 1 %; the runner checks every compressed sweep anyway.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from brian2 import second, Hz

from plasticity.parameters import Spec, Parameters
from plasticity.schedule import Schedule, Stimulus, ScheduleError
from plasticity.units import minute

#: simulated length of every sweep, its real-time part, the rest margin after an
#: event, and where the next event sits in the sweep that starts before it
SWEEP, ACTIVE, SETTLE, LEAD = 0.6, 0.5, 0.5, 0.05        # seconds
#: the spike-evoking somatic pulse (duration, amplitude) and its onset-to-spike latency on the
#: default neuron: the ones of the spine checks' schedules (measured in tests/test_induction.py)
from .induction import PULSE, SPIKE_LATENCY  # noqa: E402

#: recording parameters shared by every recorded protocol (a module adds its own)
RECORDING_SPECS = [
    Spec("baseline", 10 * minute, minute, "baseline recording before induction",
         "classic slice LTP/LTD recordings: 10-20 min of stable baseline", positive=True),
    Spec("followup", 60 * minute, minute, "recording after induction",
         "the anchors of protocols/data are at 50-60 min or 1 h", positive=True),
    Spec("conditioning", 0 * minute, minute,
         "test pulses before the recorded baseline (not read out)",
         "the lab records once the baseline is stable; default: the model's need", low=0),
    Spec("probe_interval", 20 * second, second, "interval between test pulses",
         "0.05 Hz (0.03-0.05 Hz in the cited field recordings)", positive=True),
]


@dataclass(frozen=True)
class Induction:
    """One condition's induction: event times in seconds of real time from its start."""

    pre: np.ndarray                                   # presynaptic releases
    pulses: np.ndarray = field(default_factory=lambda: np.zeros(0))  # spike-evoking pulse onsets

    @property
    def events(self) -> np.ndarray:
        return np.sort(np.concatenate([np.asarray(self.pre, float), np.asarray(self.pulses, float)]))

    @property
    def duration(self) -> float:
        ev = self.events
        return float(ev.max()) if ev.size else 0.0


def rate_hz(params, name) -> float:
    """A rate parameter as a plain number (Hz), checked finite and positive by its Spec."""
    return float(params[name] / Hz)


def whole(params, name, owner) -> int:
    value = float(params[name])
    if value != int(value) or value < 1:
        raise ScheduleError(f"protocol {owner}: {name} must be a whole number >= 1, got {params[name]}")
    return int(value)


def induction_sweeps(events, end) -> list[float]:
    """Real durations of the sweeps that cover ``[0, end)`` with the sorted ``events``."""
    events = np.asarray(events, float)
    durations, t = [], 0.0
    eps = 1e-9
    while t < end - eps:
        inside = events[(events >= t - eps) & (events < t + SWEEP - eps)]
        before = events[events < t - eps]
        last = inside.max() if inside.size else (before.max() if before.size else -np.inf)
        later = events[events >= t + SWEEP - eps]
        quiet_tail = not np.any(inside >= t + ACTIVE - eps)
        at_rest = last + SETTLE <= t + SWEEP + eps
        d = SWEEP
        if quiet_tail and at_rest:
            stop = (later.min() - LEAD) if later.size else end
            d = max(SWEEP, stop - t)
        durations.append(d)
        t += d
    return durations


def build(name: str, inductions: dict, params: Parameters) -> Schedule:
    """The schedule of ``inductions`` (condition -> :class:`Induction`) with probes around it."""
    if not inductions:
        raise ScheduleError(f"protocol {name}: no conditions")
    probe_dt = float(params["probe_interval"] / second)
    if probe_dt < SWEEP:
        raise ScheduleError(f"protocol {name}: probe_interval must be >= {SWEEP * 1e3:g} ms")
    counts = {k: int(round(float(params[k] / second) / probe_dt))
              for k in ("conditioning", "baseline", "followup")}
    if counts["baseline"] < 1 or counts["followup"] < 1:
        raise ScheduleError(f"protocol {name}: baseline and followup must each hold a test pulse")
    for c, ind in inductions.items():
        if ind.events.size == 0:
            raise ScheduleError(f"protocol {name}, condition '{c}': the induction has no events")
        if np.any(~np.isfinite(ind.events)) or ind.events.min() < 0:
            raise ScheduleError(f"protocol {name}, condition '{c}': event times must be finite and >= 0")
    longest = max(ind.duration for ind in inductions.values())
    shift = {c: longest - ind.duration for c, ind in inductions.items()}   # all end together
    union = np.unique(np.concatenate([ind.events + shift[c] for c, ind in inductions.items()]))
    # the induction starts LEAD before its first event and lasts until the fast state is at rest
    offset = LEAD - union.min()
    end = union.max() + offset + SETTLE
    ind_durations = induction_sweeps(union + offset, end)

    n_pre = counts["conditioning"] + counts["baseline"]
    kinds = ["conditioning"] * counts["conditioning"] + ["baseline"] * counts["baseline"]
    durations = [probe_dt] * n_pre
    real_start = np.concatenate([[0.0], np.cumsum(ind_durations)[:-1]])
    has_event = [bool(np.any((union + offset >= a - 1e-9) & (union + offset < a + d - 1e-9)))
                 for a, d in zip(real_start, ind_durations)]
    kinds += ["induction" if e else "pause" for e in has_event]
    durations += ind_durations
    kinds += ["followup"] * counts["followup"]
    durations += [probe_dt] * counts["followup"]

    def to_sim(times):
        """Real induction times (from the induction's start) -> simulation times."""
        times = np.asarray(times, float)
        k = np.searchsorted(real_start, times + 1e-9, side="right") - 1
        within = times - real_start[k]
        compressed = np.asarray(ind_durations)[k] > SWEEP + 1e-9
        limit = np.where(compressed, ACTIVE, SWEEP)
        if np.any(within >= limit - 1e-9):
            raise ScheduleError(f"protocol {name}: an event falls in a compressed sweep tail")
        return (n_pre + k) * SWEEP + within

    stimuli = {}
    dur, amp = PULSE
    for c, ind in inductions.items():
        pre = to_sim(np.asarray(ind.pre, float) + shift[c] + offset)
        onsets = to_sim(np.asarray(ind.pulses, float) + shift[c] + offset)
        steps = tuple((t * second, t * second + dur, amp) for t in onsets)
        stimuli[c] = Stimulus(pre_spikes=np.sort(pre) * second, current_steps=steps)
    durations = np.asarray(durations)
    start = np.concatenate([[0.0], np.cumsum(durations)[:-1]])
    first_ind = n_pre
    n_trace = min(len(ind_durations), 4)
    return Schedule(
        protocol=name,
        stimuli=stimuli,
        sweep_kind=tuple(kinds),
        sweep_duration=durations * second,
        sweep_length=SWEEP * second,
        active_length=ACTIVE * second,
        trace_window=(first_ind * SWEEP * second, (first_ind + n_trace) * SWEEP * second),
        induction_end=start[n_pre + len(ind_durations)] * second,
        parameters=params.to_strings(),
    ).validate()


def parameters(name: str, own_specs, values=None) -> Parameters:
    return Parameters(list(own_specs) + RECORDING_SPECS, values, owner=f"protocol {name}")


__all__ = ["Induction", "build", "induction_sweeps", "parameters", "RECORDING_SPECS", "PULSE",
           "SPIKE_LATENCY", "SWEEP", "ACTIVE", "SETTLE", "LEAD", "whole", "rate_hz"]


def chosen(name: str, conditions: dict, wanted=None) -> list:
    """The requested conditions (default all), each checked against the protocol's."""
    wanted = list(wanted or conditions)
    for c in wanted:
        if c not in conditions:
            from plasticity.models import UnknownNameError
            raise UnknownNameError(
                f"unknown condition '{c}' for protocol {name}; known: {', '.join(conditions)}")
    return wanted


def load_data(filename: str) -> dict:
    import json
    from pathlib import Path
    return json.loads((Path(__file__).with_name("data") / filename).read_text())


def lfs_anchor(conditions) -> dict:
    """900 pulses at 1 Hz: 27.2 +- 2.8 % depression at 1 h, n = 13 (Drew et al 2011)."""
    import re
    data = load_data("dudek_bear_1992_frequency_response.json")
    anchor = data["related_quantitative_anchors"][0]
    m = re.search(r"depression ([\d.]+) \+/- ([\d.]+)% at 1 h.*n = (\d+)", anchor["value"])
    mean, sem, n = 1 - float(m.group(1)) / 100, float(m.group(2)) / 100, int(m.group(3))
    return {"bins": {"55-60 min": {c: (mean, sem, n) for c in conditions}},
            "citation": anchor["source"] + "; shape: " + data["citation"]}
