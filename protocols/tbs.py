"""Theta-burst stimulation: 10 bursts of 4 pulses at 100 Hz, 200 ms apart (Larson, Wong & Lynch 1986).

Presynaptic stimulation only (a field-EPSP protocol; the postsynaptic side is
the virtual cohort without current clamp, its mean EPSP the field response).

Reference (protocols/data/tbs_ltp_ca1.json): +59 +- 4 % fEPSP slope at 50-60
min in wild-type mouse CA1 (Vogel-Ciernia et al 2013; n up to 24 slices), and
+62.5 +- 10.5 % (n = 7) at 1 h (Drew et al 2011, protocol not stated).
"""
from __future__ import annotations

import numpy as np
from brian2 import Hz, ms

from plasticity.parameters import Spec

from . import recorded
from .recorded import Induction

NAME = "tbs"
FIELD = True
#: the figure module that draws a run (figures.<FIGURE>.plot)
FIGURE = "time_courses"
CONDITIONS = {"tbs": None}
PAPER_N = {"tbs": 8}
BINS = {"0-5 min": (0.0, 5.0), "30-35 min": (30.0, 35.0), "50-60 min": (50.0, 60.0)}
PRIMARY_BIN = "50-60 min"
SPECS = [
    Spec("n_bursts", 10, 1, "bursts", "Vogel-Ciernia et al 2013: 10", low=1, high=1000),
    Spec("burst_pulses", 4, 1, "pulses per burst", "4", low=1, high=100),
    Spec("burst_rate", 100 * Hz, Hz, "pulse rate within a burst", "100 Hz", positive=True, high=500),
    Spec("burst_interval", 200 * ms, ms, "burst onset to burst onset (theta, 5 Hz)", "200 ms",
         positive=True),
]


def protocol_parameters(values=None):
    return recorded.parameters(NAME, SPECS, values)


def inductions(params, conditions=None) -> dict:
    n_b = recorded.whole(params, "n_bursts", NAME)
    n_p = recorded.whole(params, "burst_pulses", NAME)
    rate = recorded.rate_hz(params, "burst_rate")
    gap = float(params["burst_interval"] / ms) / 1e3
    if (n_p - 1) / rate >= gap:
        raise ValueError(f"protocol {NAME}: a burst must end before the next one starts")
    pre = (np.arange(n_b)[:, None] * gap + np.arange(n_p)[None, :] / rate).ravel()
    return {c: Induction(pre=pre) for c in recorded.chosen(NAME, CONDITIONS, conditions)}


def build_schedules(params, conditions=None):
    return [recorded.build(NAME, inductions(params, conditions), params)]


def reference() -> dict:
    data = recorded.load_data("tbs_ltp_ca1.json")
    first = data["entries"][0]["values"][0]
    return {"bins": {"50-60 min": {"tbs": (1 + first["mean_percent_LTP"] / 100,
                                           first["sem"] / 100, 24)}},
            "citation": data["entries"][0]["citation"]}
