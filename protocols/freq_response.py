"""Frequency-response: 900 pulses at 0.5 to 100 Hz (Dudek & Bear 1992), a BCM-like curve.

Presynaptic stimulation only (a field-EPSP protocol; the postsynaptic side is
the virtual cohort without current clamp, its mean EPSP the field response).
Dudek & Bear found LTD at 1-3 Hz, no change near 10 Hz and LTP at 50 Hz; their
per-frequency numbers are not in the project's data
(protocols/data/dudek_bear_1992_frequency_response.json says so), so the
reference is the shape and one anchor: 900 pulses at 1 Hz depress by 27.2 +-
2.8 % at 1 h (n = 13; Drew et al 2011).

Each frequency is its own schedule (a 900-pulse train lasts 30 min at 0.5 Hz
and 9 s at 100 Hz, so the conditions cannot share sweeps); the runs are
batched over cells and run one after the other, with the same read-out clock
(minutes after the end of the train).
"""
from __future__ import annotations

import numpy as np

from plasticity.parameters import Spec

from . import recorded
from .recorded import Induction

NAME = "freq-response"
FIELD = True
FIGURE = "frequency_response"
FREQUENCIES = (0.5, 1, 3, 5, 10, 20, 50, 100)
CONDITIONS = {f"{f:g}Hz": f for f in FREQUENCIES}
PAPER_N = {c: 8 for c in CONDITIONS}
BINS = {"0-5 min": (0.0, 5.0), "30-35 min": (30.0, 35.0), "55-60 min": (55.0, 60.0)}
PRIMARY_BIN = "55-60 min"
SPECS = [
    Spec("n_pulses", 900, 1, "pulses at every frequency", "Dudek & Bear 1992: 900", low=1,
         high=100000),
]


def protocol_parameters(values=None):
    return recorded.parameters(NAME, SPECS, values)


def condition_value(condition: str) -> dict:
    return {"frequency_Hz": CONDITIONS[condition]}


def inductions(params, conditions=None) -> dict:
    n = recorded.whole(params, "n_pulses", NAME)
    return {c: Induction(pre=np.arange(n) / CONDITIONS[c])
            for c in recorded.chosen(NAME, CONDITIONS, conditions)}


def build_schedules(params, conditions=None):
    return [recorded.build(NAME, {c: ind}, params) for c, ind in inductions(params, conditions).items()]


def reference() -> dict:
    return recorded.lfs_anchor({"1Hz"})
