"""The recording: slow drift of EPSP amplitude that is not plasticity, calibrated.

In Jang et al 2026 the cells of the *flat* conditions, where the mean change
is not significant, still spread widely at 30-35 min (s.d. 0.52 for flat 25 Hz,
n = 12; 0.27 for flat 50 Hz, n = 11; from the paper's SEMs).  Most of that
spread is what whole-cell recordings do over 40 min (run-down and run-up of
transmission, access resistance, slice health), not plasticity.  The model
records each probe EPSP as ``model EPSP x exp(B(t))`` with B a Brownian motion
in the log amplitude (one per cell, B(0) = 0 at the start of the recording) of
diffusion ``D`` per minute.

``D`` is not chosen: :func:`drift_from_reference` solves for it so that the
model's total spread of the normalised 30-35 min mean in the flat conditions
equals the pooled variance of the paper's two flat conditions: the drift
supplies what the model's own cell-to-cell spread (cohort parameters, membrane
noise, measured in the same run without drift) leaves, using the protocol's
exact probe times (for Brownian motion, Cov(B(s), B(t)) = D min(s, t)).
"""
from __future__ import annotations

import numpy as np


def pooled_variance(sems, ns) -> float:
    """Pooled between-cell variance from per-group SEMs and n (var_i = sem_i^2 n_i)."""
    sems, ns = np.asarray(sems, float), np.asarray(ns, float)
    var = sems ** 2 * ns
    return float(np.sum((ns - 1) * var) / np.sum(ns - 1))


def log_variance_for(normalized_variance: float) -> float:
    """s^2 of a median-1 log-normal whose variance is ``normalized_variance``.

    For X = exp(N(0, s^2)): Var X = e^{s^2}(e^{s^2} - 1); solve u^2 - u - V = 0, u = e^{s^2}.
    """
    u = (1.0 + np.sqrt(1.0 + 4.0 * normalized_variance)) / 2.0
    return float(np.log(u))


def bin_contrast_factor(t_base, t_bin) -> float:
    """c with Var(mean_bin B - mean_base B) = D c, for times since recording start."""
    t_base, t_bin = np.asarray(t_base, float), np.asarray(t_bin, float)
    m = lambda a, b: float(np.mean(np.minimum(a[:, None], b[None, :])))  # noqa: E731
    return m(t_bin, t_bin) + m(t_base, t_base) - 2.0 * m(t_bin, t_base)


def drift_from_reference(flat_sems, flat_ns, t_base_min, t_bin_min, model_variance=0.0) -> float:
    """Diffusion D (per minute) of the log EPSP drift, from the paper's flat conditions.

    ``model_variance``: the variance the model's flat cells already have without
    drift; the drift makes up the rest (never negative).
    """
    residual = max(pooled_variance(flat_sems, flat_ns) - model_variance, 0.0)
    return log_variance_for(residual) / bin_contrast_factor(t_base_min, t_bin_min)


def drift_paths(t_min, n_cells, D, rng: np.random.Generator) -> np.ndarray:
    """exp(B(t)) for ``n_cells`` independent Brownian paths at times ``t_min`` (minutes)."""
    t = np.asarray(t_min, float)
    steps = np.diff(np.concatenate([[0.0], t]))
    if np.any(steps < 0):
        raise ValueError("probe times must be increasing")
    increments = rng.normal(0.0, 1.0, (n_cells, t.size)) * np.sqrt(D * steps)[None, :]
    return np.exp(np.cumsum(increments, axis=1))


__all__ = ["pooled_variance", "log_variance_for", "bin_contrast_factor", "drift_from_reference",
           "drift_paths"]
