"""Virtual cohorts: n cells per condition whose parameters differ as real cells do.

Each virtual cell draws, from the run's seed, a multiplicative log-normal
factor for a few parameters (median 1; ``sigma`` is the s.d. of the log):

=================  =====  ==========================================================
parameter          sigma  why
=================  =====  ==========================================================
g_Ls, g_Ld         0.15   input resistance of CA1 pyramidal cells varies by ~15 %
                          between cells (Spruston & Johnston 1992; Staff et al 2000)
g_ampa_max         0.10   the stimulus intensity was set per cell for a ~5 mV EPSP
                          (Jang et al 2026 methods), so the residual spread is small
eta                0.30   cell-to-cell spread of plasticity magnitude (kinase and
                          AMPAR-trafficking content), unmeasured; a moderate guess
=================  =====  ==========================================================

g_Ls and g_Ld share one factor (the cell's membrane resistivity), and so does
``current_gain``: Jang et al 2026 calibrated the current steps of every cell
"to approximate the presynaptic rate", so a leakier cell got proportionally
more current (its rheobase scales with its leak).  Everything else is the
model's parameter set.  The cohort's *recording* variability (slow
drift of the EPSP unrelated to plasticity) is a separate, calibrated part of the
read-out: :mod:`protocols.recording`.
"""
from __future__ import annotations

import numpy as np

from .parameters import Parameters
from .simulate import Rows, rows_for

#: parameter (or tuple of parameters sharing one factor) -> log-normal sigma
VARIATION = {("g_Ls", "g_Ld", "current_gain"): 0.15, ("g_ampa_max",): 0.10, ("eta",): 0.30}


def virtual_cohort(params: Parameters, conditions, cells_per_condition, rng: np.random.Generator,
                   variation=None) -> Rows:
    """Rows for ``cells_per_condition[c]`` virtual cells of every condition."""
    variation = VARIATION if variation is None else variation
    rows = rows_for(params, conditions, cells_per_condition)
    for names, sigma in variation.items():
        present = [n for n in names if n in rows.values]
        if not present or sigma == 0:
            continue
        factor = np.exp(rng.normal(0.0, sigma, rows.n))
        for name in present:
            rows.values[name] = rows.values[name] * factor
    return rows


__all__ = ["VARIATION", "virtual_cohort"]
