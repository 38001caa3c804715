"""Spine: Jahr & Stevens (1990) Mg2+ block and the GHK calcium factor, evaluated by Brian2."""
import numpy as np
from brian2 import NeuronGroup, mV, mM

from plasticity.spine import SPINE_EQUATIONS, jahr_stevens_block


def _subexpressions(v_values, mg=1 * mM):
    lines = [ln for ln in SPINE_EQUATIONS.splitlines() if ln.strip().startswith(("mg_block", "ghk_ca"))]
    g = NeuronGroup(len(v_values), "\n".join(lines) + "\nv_d : volt", namespace={"Mg_o": mg})
    g.v_d = v_values
    return np.asarray(g.mg_block[:]), np.asarray(g.ghk_ca[:])


def test_mg_block_matches_jahr_stevens_at_minus70_and_minus20():
    block, _ = _subexpressions(np.array([-70.0, -20.0]) * mV)
    # 1 / (1 + [Mg]/3.57 mM * exp(-0.062 V/mV)) with [Mg] = 1 mM, by hand
    assert abs(block[0] - 0.0444707) < 1e-6
    assert abs(block[1] - 0.5081407) < 1e-6
    np.testing.assert_allclose(block, jahr_stevens_block([-70, -20], 1.0), rtol=1e-12)


def test_mg_block_scales_with_magnesium():
    no_mg, _ = _subexpressions(np.array([-70.0]) * mV, mg=0 * mM)
    assert no_mg[0] == 1.0


def test_ghk_factor_is_finite_at_zero_and_matches_formula():
    v = np.array([-70.0, -1e-9, 0.0, 10.0])
    _, ghk = _subexpressions(v * mV)
    assert np.all(np.isfinite(ghk))
    assert abs(ghk[2] - 1 / 0.0756) < 1e-9
    assert abs(ghk[0] - 70.0 / (1 - np.exp(-0.0756 * 70.0))) < 1e-9
