"""Low-frequency stimulation: 900 pulses at 1 Hz (Dudek & Bear 1992), homosynaptic LTD.

Presynaptic stimulation only (a field-EPSP protocol; the postsynaptic side is
the virtual cohort without current clamp, its mean EPSP the field response).

Reference (protocols/data/dudek_bear_1992_frequency_response.json, anchors):
depression of 27.2 +- 2.8 % at 1 h (n = 13; Drew et al 2011, wild-type mouse
CA1 fEPSP, 1 Hz for 15 min).
"""
from __future__ import annotations

import numpy as np
from brian2 import Hz

from plasticity.parameters import Spec

from . import recorded
from .recorded import Induction

NAME = "lfs"
FIELD = True
#: the figure module that draws a run (figures.<FIGURE>.plot)
FIGURE = "time_courses"
CONDITIONS = {"lfs": None}
PAPER_N = {"lfs": 13}
BINS = {"0-5 min": (0.0, 5.0), "30-35 min": (30.0, 35.0), "55-60 min": (55.0, 60.0)}
PRIMARY_BIN = "55-60 min"
SPECS = [
    Spec("rate", 1 * Hz, Hz, "pulse rate", "Dudek & Bear 1992: 1 Hz", positive=True, high=500),
    Spec("n_pulses", 900, 1, "pulses", "Dudek & Bear 1992: 900", low=1, high=100000),
]


def protocol_parameters(values=None):
    return recorded.parameters(NAME, SPECS, values)


def inductions(params, conditions=None) -> dict:
    n = recorded.whole(params, "n_pulses", NAME)
    pre = np.arange(n) / recorded.rate_hz(params, "rate")
    return {c: Induction(pre=pre) for c in recorded.chosen(NAME, CONDITIONS, conditions)}


def build_schedules(params, conditions=None):
    return [recorded.build(NAME, inductions(params, conditions), params)]


def reference() -> dict:
    return recorded.lfs_anchor({"lfs"})
