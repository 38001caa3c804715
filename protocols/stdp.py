"""Spike-timing-dependent pairing: pre/post pairs at a fixed rate, one condition per spike-time difference.

Whole-cell pairing (Bi & Poo 1998; Urakubo et al 2008 used 60 pairings at
1 Hz): ``n_pairs`` presynaptic releases at ``pair_rate``, each paired with one
postsynaptic spike evoked by a 2 ms, 1.5 nA somatic pulse so that the spike
falls ``delta_t`` after the release (negative: before).  ``delta_t`` is
measured to the spike, which follows the pulse onset by
:data:`protocols.recorded.SPIKE_LATENCY` on the default neuron.

Conditions are named ``dt+10ms``, ``dt-20ms`` ...; the default set spans -100
to +100 ms, and any other difference is a condition by its name
(``--condition dt+7ms``, or ``conditions=["dt+7ms"]``).  No published STDP
numbers are in the project's data: the summary is the model's window
(normalised EPSP at 25-30 min per delta_t).
"""
from __future__ import annotations

import re

import numpy as np
from brian2 import Hz, second

from plasticity.models import UnknownNameError
from plasticity.parameters import Spec
from plasticity.units import minute

from . import recorded
from .recorded import Induction

NAME = "stdp"
FIELD = False
FIGURE = "stdp_window"
DEFAULT_DT_MS = (-100, -50, -20, -10, -5, 5, 10, 20, 50, 100)
CONDITIONS = {f"dt{d:+g}ms": d for d in DEFAULT_DT_MS}
PAPER_N = {}
BINS = {"0-5 min": (0.0, 5.0), "25-30 min": (25.0, 30.0)}
PRIMARY_BIN = "25-30 min"
MAX_DT_MS = 200
SPECS = [
    Spec("n_pairs", 60, 1, "pairings", "Urakubo et al 2008 / Graupner & Brunel 2012: 60", low=1,
         high=10000),
    Spec("pair_rate", 1 * Hz, Hz, "pairing rate", "1 Hz", positive=True, high=50),
]
_NAME = re.compile(r"^dt([+-]\d+(?:\.\d+)?)ms$")


def protocol_parameters(values=None):
    defaults = {"followup": 30 * minute}
    return recorded.parameters(NAME, SPECS, {**defaults, **(values or {})})


def delta_t_ms(condition: str) -> float:
    """The spike-time difference of a condition name such as ``dt+10ms``."""
    m = _NAME.match(condition)
    if not m:
        raise UnknownNameError(f"unknown condition '{condition}' for protocol {NAME}: expected a name "
                               f"like dt+10ms or dt-20ms; default: {', '.join(CONDITIONS)}")
    d = float(m.group(1))
    if abs(d) > MAX_DT_MS:
        raise ValueError(f"protocol {NAME}: |delta_t| must be <= {MAX_DT_MS} ms, got {d:g} ms")
    return d


def condition_value(condition: str) -> dict:
    return {"delta_t_ms": delta_t_ms(condition)}


def inductions(params, conditions=None) -> dict:
    n = recorded.whole(params, "n_pairs", NAME)
    period = 1.0 / recorded.rate_hz(params, "pair_rate")
    latency = float(recorded.SPIKE_LATENCY / second)
    out = {}
    for c in conditions or CONDITIONS:
        d = delta_t_ms(c) / 1e3
        if abs(d) + 0.1 > period:
            raise ValueError(f"protocol {NAME}: |delta_t| {abs(d) * 1e3:g} ms does not fit the "
                             f"pairing period ({period * 1e3:g} ms)")
        release = np.arange(n) * period + max(0.0, latency - d)
        out[c] = Induction(pre=release, pulses=np.round(release + d - latency, 9))
    return out


def build_schedules(params, conditions=None):
    return [recorded.build(NAME, inductions(params, conditions), params)]


def reference() -> dict:
    return {"bins": {}, "citation": "no published STDP data in the project (model window only)"}
