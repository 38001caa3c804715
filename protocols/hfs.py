"""High-frequency stimulation: tetanic LTP at Schaffer collateral-CA1 synapses.

``train_rate`` (100 Hz) for ``train_duration`` (1 s), Bliss & Lomo style;
condition ``1x`` is one train, ``3x`` three trains ``train_interval`` (20 s)
apart (the common "3 x 100 Hz" of the mouse literature).  Presynaptic
stimulation only: a field-EPSP protocol, the postsynaptic side is the
virtual cohort (a population of cells, no current clamp); its mean EPSP is the
field response.

Reference (protocols/data/hfs_ltp_ca1.json): one 100 Hz / 1 s train gives
134 +- 4 % of baseline at 5 min (J Physiol 2008, 586:4155, wild-type mice, n
not given); 2 x 100 Hz gives +63 % at 1 h (Drew et al 2011, n = 9; not one of
this protocol's conditions, drawn for orientation only).
"""
from __future__ import annotations

import numpy as np
from brian2 import Hz, second

from plasticity.parameters import Spec

from . import recorded
from .recorded import Induction

NAME = "hfs"
FIELD = True
#: the figure module that draws a run (figures.<FIGURE>.plot)
FIGURE = "time_courses"
CONDITIONS = {"1x": 1, "3x": 3}
PAPER_N = {"1x": 8, "3x": 8}
BINS = {"0-5 min": (0.0, 5.0), "4-6 min": (4.0, 6.0), "30-35 min": (30.0, 35.0),
        "55-60 min": (55.0, 60.0)}
PRIMARY_BIN = "55-60 min"
SPECS = [
    Spec("train_rate", 100 * Hz, Hz, "pulse rate within a train", "100 Hz tetanus", positive=True,
         high=500),
    Spec("train_duration", 1 * second, second, "duration of one train", "1 s", positive=True,
         high=10),
    Spec("train_interval", 20 * second, second, "train onset to train onset", "20 s", positive=True),
]


def protocol_parameters(values=None):
    return recorded.parameters(NAME, SPECS, values)


def train(rate, duration, n_trains, interval) -> np.ndarray:
    n = int(round(rate * duration))
    if n < 1:
        raise ValueError(f"protocol {NAME}: a train of {duration} s at {rate} Hz has no pulse")
    if n_trains > 1 and interval < n / rate:
        raise ValueError(f"protocol {NAME}: train_interval must be longer than a train")
    return (np.arange(n)[None, :] / rate + np.arange(n_trains)[:, None] * interval).ravel()


def inductions(params, conditions=None) -> dict:
    rate = recorded.rate_hz(params, "train_rate")
    duration = float(params["train_duration"] / second)
    interval = float(params["train_interval"] / second)
    return {c: Induction(pre=train(rate, duration, CONDITIONS[c], interval))
            for c in recorded.chosen(NAME, CONDITIONS, conditions)}


def build_schedules(params, conditions=None):
    return [recorded.build(NAME, inductions(params, conditions), params)]


def reference() -> dict:
    data = recorded.load_data("hfs_ltp_ca1.json")
    one = data["entries"][1]
    return {"bins": {"4-6 min": {"1x": (one["values"][0]["mean_percent_of_baseline"] / 100,
                                        one["values"][0]["sem"] / 100, np.nan)}},
            "citation": one["citation"],
            "context": {"2 x 100 Hz at 1 h": 1 + data["entries"][0]["values"][0]["mean_percent_LTP"] / 100}}
