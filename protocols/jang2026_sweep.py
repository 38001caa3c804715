"""Jang et al 2026 extended: every prediction x outcome rate pair over 0-100 Hz, against CHL.

The Jang protocol (:mod:`protocols.jang2026`: 200 ms theta windows of two
100 ms halves, 5 blocks of 10, test pulses around them) with the rate of each
half swept over {0, 10, 25, 50, 75, 100} Hz, pre and post together: the
presynaptic train runs at the rate and the somatic current of the half is the
one at which the model neuron fires at that rate (:mod:`protocols.fi_curve`,
calibrated on the default neuron, as the lab calibrated the current per cell
to approximate the presynaptic rate).  36 conditions named
``"<prediction>-<outcome>Hz"`` (``"25-50Hz"`` is the paper's low-high).

Contrastive Hebbian learning (O'Reilly 1996; GeneRec) predicts
dW = x+ y+ - x- y- with the first half as the minus (prediction) phase and the
second as the plus (outcome) phase; with pre = post = rate this is
outcome^2 - prediction^2 (:func:`chl`), which the sweep's figure and summary
compare with the model's change at 30-35 min.  There are no data for this
sweep: it is the model's prediction.
"""
from __future__ import annotations

from brian2 import pA

from plasticity.models import UnknownNameError
from plasticity.parameters import Parameters

from . import jang2026
from .fi_curve import current_for

NAME = "jang2026-sweep"
FIELD = False
FIGURE = "jang2026_sweep"
RATES = (0, 10, 25, 50, 75, 100)
CONDITIONS = {f"{a}-{b}Hz": (a, b) for a in RATES for b in RATES}
PAPER_N = {c: 4 for c in CONDITIONS}
BINS = {"15-20 min": (15.0, 20.0), "30-35 min": (30.0, 35.0)}
PRIMARY_BIN = "30-35 min"
_OWN = {"pre_low", "pre_high", "current_low", "current_high"}
SPECS = [s for s in jang2026.SPECS if s.name not in _OWN]


def protocol_parameters(values=None) -> Parameters:
    return Parameters(SPECS, values, owner=f"protocol {NAME}")


def chl(condition: str) -> float:
    """CHL's x+y+ - x-y- for a condition (Hz^2): outcome^2 - prediction^2."""
    a, b = CONDITIONS[condition]
    return float(b * b - a * a)


def condition_value(condition: str) -> dict:
    a, b = CONDITIONS[condition]
    return {"prediction_Hz": a, "outcome_Hz": b, "chl_Hz2": chl(condition)}


def build_schedules(params, conditions=None):
    conditions = list(conditions or CONDITIONS)
    for c in conditions:
        if c not in CONDITIONS:
            raise UnknownNameError(f"unknown condition '{c}' for protocol {NAME}; known: "
                                   f"{', '.join(CONDITIONS)}")
    currents = dict(zip(RATES, current_for(RATES)))
    halves = {c: tuple((float(r), currents[r] * pA) for r in CONDITIONS[c]) for c in conditions}
    return [jang2026.theta_schedule(NAME, params, halves)]


def reference() -> dict:
    return {"bins": {}, "citation": "model prediction (no data); CHL: O'Reilly 1996"}


__all__ = ["NAME", "CONDITIONS", "RATES", "chl", "build_schedules", "protocol_parameters", "reference"]
