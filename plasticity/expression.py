"""Expression: the learned weight becomes EPSP change over minutes.

Induction sets a target strength ``2 w_L`` within seconds; the synapse
expresses it (AMPA receptor insertion or removal) with first-order kinetics
``dw_expr/dt = (2 w_L - w_expr) / tau_expr``.  ``w_expr`` scales the AMPA
conductance, so probe EPSPs follow it.

``tau_expr`` = 6 min: the time course of Jang et al 2026 panel C (digitised in
protocols/data/jang_2026_temporal_derivative.json) reaches most of its 30-35
min change by ~15 min (increase: 1.45 at 15-20 min vs 1.42 at 30-35 min), which
a single exponential with tau ~5-8 min reproduces; the post-tetanic transient
at t = 0 is not modelled.

``expression_speed(t)`` is supplied by the runner: 1 in simulated real time,
larger where a quiet stretch of the protocol (no stimulation, fast variables at
rest) is compressed into a shorter simulated tail (see
:mod:`plasticity.simulate`), so the expression still advances by the real
elapsed time.
"""
from __future__ import annotations

from .units import minute

from .parameters import Spec

EXPRESSION_SPECS = [
    Spec("tau_expr", 6 * minute, minute, "first-order expression time constant",
         "Jang et al 2026 panel C time course", positive=True),
]

EXPRESSION_EQUATIONS = """
dw_expr/dt = expression_speed(t) * (2 * w_L - w_expr) / tau_expr : 1
"""
