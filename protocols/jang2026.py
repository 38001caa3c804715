"""Jang, Flores, Zito & O'Reilly 2026: plasticity as a function of the temporal derivative.

Mouse CA1 whole-cell current clamp (P16-18).  A 200 ms theta window is split
in two 100 ms halves ("prediction" then "outcome"); in each half the Schaffer
collaterals are stimulated at 25 Hz (low) or 50 Hz (high) while the soma gets
a low or high current step (the paper's example: 120 and 350 pA, calibrated
per cell to approximate the presynaptic rate).  Windows repeat with 400 ms
gaps.  Test EPSPs are recorded through a 5-min baseline and up to 45 min after
induction and normalised to the baseline mean.  Numbers and citation:
protocols/data/jang_2026_temporal_derivative.json (copied from the project's
shared refdata).

Conditions (this toolkit's names -> paper's):

=============  =================  ======  ================
condition      paper              n       30-35 min
=============  =================  ======  ================
``low-low``    flat 25 Hz         12      1.12 +- 0.15
``low-high``   both increase      12      1.42 +- 0.15
``high-low``   both decrease      18      0.73 +- 0.10
``high-high``  flat 50 Hz         11      1.09 +- 0.08
=============  =================  ======  ================

**Repetition (a choice).**  The text says the window is repeated 10 times with
400 ms gaps; the protocol figure (panel C) reads "10 pulse sets x 5 (interval
= 15 s)".  The default here is the figure's: ``n_blocks`` = 5 blocks of
``n_windows`` = 10, with a ``block_pause`` of 15 s after each block's last gap.
The figure is the more specific statement of what was delivered, and the text
reads naturally as describing one block.  ``--set n_blocks=1`` gives the
text's reading.

**Pulse timing.**  Within a window the presynaptic train is a regular train
whose rate switches at the half: a pulse whenever the integrated rate crosses
an integer (so low-high gets pulses at 0, 40, 80, 110, 130, 150, 170, 190 ms and
high-low the mirror count of 8; flat trains are plain 25 or 50 Hz).

**Probes.**  One presynaptic pulse every ``probe_interval`` (20 s, 0.05 Hz,
the usual rate for CA1 whole-cell LTP that itself causes no plasticity).
``conditioning``: test pulses at the same rate before the 5-min baseline,
delivered but not read out, as a lab waits for a stable baseline; its default
is the model's (:attr:`plasticity.models.Model.conditioning`: none for
``kinase``, whose probes do not learn).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from brian2 import Hz, pA, ms, second

from plasticity.parameters import Spec, Parameters
from plasticity.schedule import Schedule, Stimulus, ScheduleError
from plasticity.units import minute

NAME = "jang2026"
DATA_FILE = Path(__file__).with_name("data") / "jang_2026_temporal_derivative.json"

#: condition -> (first-half level, second-half level), and the paper's label.
CONDITIONS = {
    "low-low": (("low", "low"), "flat_25Hz"),
    "low-high": (("low", "high"), "both_increase"),
    "high-low": (("high", "low"), "both_decrease"),
    "high-high": (("high", "high"), "flat_50Hz"),
}

#: The paper's n per condition (Jang et al 2026 text).
PAPER_N = {"low-low": 12, "low-high": 12, "high-low": 18, "high-high": 11}
#: whole-cell current clamp (not a field recording)
FIELD = False
FIGURE = "jang2026"
#: the paper's bins (minutes after induction), [start, stop), and the one it tests
BINS = {"0-5 min": (0.0, 5.0), "15-20 min": (15.0, 20.0), "30-35 min": (30.0, 35.0)}
PRIMARY_BIN = "30-35 min"
#: conditions with no mean change, whose spread calibrates the recording drift
#: (:mod:`protocols.recording`)
NULL_CONDITIONS = ("low-low", "high-high")

SPECS = [
    Spec("pre_low", 25 * Hz, Hz, "presynaptic rate in a low half", "Jang et al 2026", positive=True,
         high=500),
    Spec("pre_high", 50 * Hz, Hz, "presynaptic rate in a high half", "Jang et al 2026",
         positive=True, high=500),
    Spec("current_low", 120 * pA, pA, "somatic current in a low half", "Jang et al 2026 text example",
         low=0, high=2000),
    Spec("current_high", 350 * pA, pA, "somatic current in a high half",
         "Jang et al 2026 text example", low=0, high=2000),
    Spec("window", 200 * ms, ms, "theta window (two halves)", "Jang et al 2026", positive=True),
    Spec("window_gap", 400 * ms, ms, "gap between windows", "Jang et al 2026", low=0),
    Spec("n_windows", 10, 1, "windows per block", "Jang et al 2026", low=1, high=1000),
    Spec("n_blocks", 5, 1, "blocks of windows", "Jang et al 2026 protocol figure", low=1, high=100),
    Spec("block_pause", 15 * second, second, "pause between blocks",
         "Jang et al 2026 protocol figure ('interval = 15 s')", low=0),
    Spec("baseline", 5 * minute, minute, "baseline recording before induction",
         "Jang et al 2026: 5-6 min", positive=True),
    Spec("followup", 45 * minute, minute, "recording after induction", "Jang et al 2026: 45 min",
         positive=True),
    Spec("conditioning", 0 * minute, minute,
         "test pulses before the recorded baseline (not read out)",
         "the lab records once the baseline is stable; default: the model's need", low=0),
    Spec("probe_interval", 20 * second, second, "interval between test pulses", "0.05 Hz",
         positive=True),
]


def protocol_parameters(values: dict | None = None) -> Parameters:
    params = Parameters(SPECS, values, owner=f"protocol {NAME}")
    for name in ("n_windows", "n_blocks"):
        if float(params[name]) != int(params[name]):
            raise ScheduleError(f"protocol {NAME}: {name} must be a whole number, got {params[name]}")
    return params


def regular_train(rates_hz, edges_s) -> np.ndarray:
    """Pulse times where the integrated piecewise-constant rate crosses an integer.

    ``rates_hz[k]`` applies on ``[edges_s[k], edges_s[k+1])``; the first pulse is
    at ``edges_s[0]``.
    """
    times = []
    phase = 0.0                     # integrated rate at the segment start
    for rate, a, b in zip(rates_hz, edges_s[:-1], edges_s[1:]):
        if rate <= 0:
            continue
        k = np.ceil(phase - 1e-9)
        while True:
            t = a + (k - phase) / rate
            if t >= b - 1e-12:
                break
            times.append(t)
            k += 1
        phase += rate * (b - a)
    return np.asarray(times)


def build_schedule(params: Parameters, conditions=None) -> Schedule:
    """The sweep schedule for the chosen conditions (default: all four)."""
    conditions = list(conditions or CONDITIONS)
    for c in conditions:
        if c not in CONDITIONS:
            from plasticity.models import UnknownNameError
            raise UnknownNameError(
                f"unknown condition '{c}' for protocol {NAME}; known: {', '.join(CONDITIONS)}")
    level = {"low": (float(params["pre_low"] / Hz), params["current_low"]),
             "high": (float(params["pre_high"] / Hz), params["current_high"])}
    halves = {c: (level[CONDITIONS[c][0][0]], level[CONDITIONS[c][0][1]]) for c in conditions}
    return theta_schedule(NAME, params, halves)


def theta_schedule(name: str, params: Parameters, halves: dict) -> Schedule:
    """Theta windows whose halves deliver ``halves[condition] = ((rate_Hz, current), (rate_Hz, current))``.

    The recording (conditioning, baseline, blocks of windows, follow-up) is set
    by the Jang et al 2026 parameters in ``params``.
    """
    window = float(params["window"] / second)
    sweep = window + float(params["window_gap"] / second)
    probe_dt = float(params["probe_interval"] / second)
    if probe_dt < sweep:
        raise ScheduleError(f"protocol {name}: probe_interval must be >= window + window_gap")
    n_base = int(round(float(params["baseline"] / second) / probe_dt))
    n_follow = int(round(float(params["followup"] / second) / probe_dt))
    n_win, n_blocks = int(params["n_windows"]), int(params["n_blocks"])
    pause = float(params["block_pause"] / second)

    n_cond = int(round(float(params["conditioning"] / second) / probe_dt))
    kinds = ["conditioning"] * n_cond + ["baseline"] * n_base
    durations = [probe_dt] * (n_cond + n_base)
    window_sweeps = []
    for b in range(n_blocks):
        for _ in range(n_win):
            window_sweeps.append(len(kinds))
            kinds.append("induction")
            durations.append(sweep)
        if b < n_blocks - 1 and pause > 0:
            kinds.append("pause")
            durations.append(max(pause, sweep))
    first_follow = len(kinds)
    kinds += ["followup"] * n_follow
    durations += [probe_dt] * n_follow

    stimuli = {}
    for c, ((rate_a, current_a), (rate_b, current_b)) in halves.items():
        spikes, steps = [], []
        for k in window_sweeps:
            t0 = k * sweep
            spikes.append(regular_train([rate_a, rate_b], [t0, t0 + window / 2, t0 + window]))
            steps.append((t0 * second, (t0 + window / 2) * second, current_a))
            steps.append(((t0 + window / 2) * second, (t0 + window) * second, current_b))
        stimuli[c] = Stimulus(pre_spikes=np.concatenate(spikes) * second, current_steps=tuple(steps))

    durations = np.asarray(durations)
    start_real = np.concatenate([[0.0], np.cumsum(durations)[:-1]])
    trace_start = window_sweeps[0] * sweep
    return Schedule(
        protocol=name,
        stimuli=stimuli,
        sweep_kind=tuple(kinds),
        sweep_duration=durations * second,
        sweep_length=sweep * second,
        active_length=min(300 * ms, sweep * second),
        trace_window=(trace_start * second, (trace_start + sweep) * second),
        induction_end=start_real[first_follow] * second,
        parameters=params.to_strings(),
    ).validate()


def build_schedules(params: Parameters, conditions=None) -> list:
    """The protocol's schedules (one: all four conditions share their sweeps)."""
    return [build_schedule(params, conditions)]


def reference() -> dict:
    """The paper's numbers keyed by this toolkit's condition names.

    Returns ``{"bins": {bin: {condition: (mean, sem, n)}}, "time_course":
    {condition: (t_min, value)}, "citation": str}``.
    """
    data = json.loads(DATA_FILE.read_text())
    paper_to_ours = {v[1]: k for k, v in CONDITIONS.items()}
    bins = {}
    for row in data["values"]:
        ours = paper_to_ours[row["condition"]]
        bins.setdefault(row["timepoint"], {})[ours] = (row["mean"], row["sem"], row["n_cells"])
    course = {}
    for key, points in data["time_course_approximate"].items():
        if key == "note":
            continue
        label = key.replace("_sparse", "")
        ours = paper_to_ours[label]
        course[ours] = (np.array([p["t_min"] for p in points], float),
                        np.array([p["normalized_epsp"] for p in points], float))
    return {"bins": bins, "time_course": course, "citation": data["citation"].split(" Also")[0]}


__all__ = ["NAME", "CONDITIONS", "PAPER_N", "SPECS", "protocol_parameters", "build_schedule",
           "regular_train", "reference", "build_schedules", "theta_schedule", "BINS", "PRIMARY_BIN"]
