"""GluN2B sites that change hands only while Ca2+/CaM holds them open: CaMKII and DAPK1 displace each other.

Why (measured; :mod:`plasticity.spine_model` and benchmarks/spine_order_signals.py):
with binding to free sites alone, the sites fill, and the network reads the
*amount* of Ca2+ a Jang et al 2026 window brings, not its *order* (the four
conditions within 10 % of each other).  The order of a window is in the PSD's
free Ca2+/CaM (CaM3) while it falls at the window's end; a read-out of it must
be strongly nonlinear and act only while CaM3 is high, so that the sites keep
the hand they were in when Ca2+ returned to rest.

The biology this follows: Ca2+/CaM disrupts DAPK1's binding to GluN2B, and
Ca2+/CaM-activated CaMKII binds the same site (Goodell et al 2017 Cell Rep
19:2231; Bayer et al 2001 Nature 411:801); DAPK1 that calcineurin has
dephosphorylated at S308 and Ca2+/CaM binds is the active kinase (Goodell et
al 2017; ../shared/research/urakubo_kinase_spec.md section 4.6).  No rate of
these displacements is measured.

The reactions (PSD; ``c`` = free CaM3; ``n`` = :data:`N_CAMKII`, ``m`` = :data:`N_DAPK1`):

=========================================================  ==============================
reaction                                                   rate
=========================================================  ==============================
ND + A + n CaM3 -> NA + CaMD + (n-1) CaM3                  ``kf_glun2b_gate_camkii`` [ND]
(A = CaM3K or CaM3KP: Ca2+/CaM-activated CaMKII takes a    [A] c^n (:data:`K_CAMKII`)
DAPK1-held site; the DAPK1 leaves bound to one of the
CaM3 that loosened it)
NX + CaMD + m CaM3 -> ND + X + (m+1) CaM3                  ``kf_glun2b_gate_dapk1`` [NX]
(X any of the ten CaMKII forms: Ca2+/CaM-bound, S308-      [CaMD] c^m (:data:`K_DAPK1`)
dephosphorylated DAPK1 takes a CaMKII-held site and
binds it CaM-free, as Goodell et al's binding form)
N2B + A + n CaM3 -> NA + n CaM3                            ``kf_glun2b_gate_camkii`` [N2B]
(CaMKII binds a free site through the same gate)           [A] c^n
=========================================================  ==============================

Each is the lumped law of a site complex that must hold ``n`` (``m``)
Ca2+/CaM to be displaced, bound in rapid equilibrium at low occupancy: those
CaM3 act as catalysts (written on both sides), so they are not held out of
solution.  Both are irreversible (driven by the kinases' ATP-consuming
cycles, as the autophosphorylations are).  The CaMKII side needs more
Ca2+/CaM (``n`` > ``m``): while CaM3 falls at the end of a window, DAPK1
keeps displacing after CaMKII has stopped, by an amount set by the active
DAPK1 the window has made, so a window that ends high leaves the sites with
CaMKII and one that ends low with DAPK1.  DAPK1's side is scaled by the slow
pool of S308-dephosphorylated DAPK1 (:mod:`~plasticity.chemistry.molecules.dapk1`:
calcineurin fills it, slow basal autophosphorylation empties it), a sliding
threshold: long low-frequency trains fill the pool, short strong ones do
not.  The reduced read-out that found this combination is
benchmarks/spine_gated_competition.py.

**Numerics.** The laws are not bounded in ``c``: at the peak free CaM3 of a
Jang et al window (~6 uM) and the CaM3K of its block (~18 uM) the CaMKII
side's rate is ``k`` x 8.4e5 /s for ``n`` = 6, i.e. 8.0e3 /s at ``k`` 0.0095
(0.80 per 0.1 ms chemistry step of the induction,
``CHEMISTRY_INDUCTION_SUBSTEPS`` = 2 of :mod:`plasticity.spine_model`), and
more at higher rates.  With plain explicit steps a cohort with a weaker DAPK1
side (1.8 /(uM^3 s)) failed with a division by zero, as did ``n`` = 7 and the
rate sweep (``jang2026-sweep``, windows up to 100 Hz).  So every gated reaction is
``bounded`` (:class:`~plasticity.chemistry.network.Reaction`): an explicit
step takes its flux as the exact decay of the site form it consumes over the
step, which cannot take more than there is and conserves every total; at the
default Jang 2x2 it changed no 30-35 min mean by more than 0.001 (seed 0, four
induction steps), and it lets the induction run at two steps again.
The CVODE crosscheck (benchmarks/crosscheck_spine.py) measures the error that
remains.

**Free sites open through the same gate.** CaMKII binds a free site only
while ``n`` Ca2+/CaM hold it open, at the displacement's rate.  Free sites
hardly occur while DAPK1 is there (the sites start held and keep their
holder), but without DAPK1 they are the sites DAPK1 would hold.  With plain
binding of Ca2+/CaM-bound CaMKII (8 /(uM s), spec 4.2) and the 28-h release,
the resting CaMKII filled them before the recording (camkii_n2b 2.00 of 2 uM
at the first sweep, measured), so a DAPK1 knock-out started at the ceiling
and showed no LTP (Jang low-high 1.04, 4 cells), against Goodell et al 2017
(DAPK1 knock-out: LTD lost, LTP kept).

At rest the gates are shut and the sites keep their holder (the release of a
bound kinase is slow: :mod:`~plasticity.chemistry.molecules.camkii`,
:mod:`~plasticity.chemistry.molecules.dapk1`), so the sites start held
(``glun2b_camkii0`` of :mod:`plasticity.spine_model`).

**T286A.** Both Ca2+/CaM-bound forms displace DAPK1, and CaM3K (~17 uM
during a 100 Hz train, against ~0.9 uM CaM3KP) does most of it; what makes
T286A lose the LTP is that bound CaMKII without pT286 leaves the sites
(:mod:`~plasticity.chemistry.molecules.camkii`).  With every bound form staying
(1e-5 /s) T286A kept the LTP (HFS 1x 1.139 against 1.167 untreated at 55-60
min).  Two other changes were tried and measured, neither adopted:

* only CaM3KP takes sites: the Jang order survives (c^8, 0.0008 /(uM^9 s):
  0.972 / 1.352 / 0.788 / 1.100, seed 0), but 100 Hz for 1 s gives +0.05 at
  10 min instead of +0.97 (too little CaM3KP, and free CaM3 only ~1.4 uM,
  during a 1 s train);
* the reversible binding of the camkii module with its bound neighbours'
  autophosphorylation at 0.1 /s instead of 1 /s, at c^7 (0.0026 /(uM^8 s)) and
  a DAPK1 side of 2.7 (commit c575974, reverted): the Jang cohort met every
  threshold (1.131 / 1.373 / 0.847 / 1.116) and T286A removed the LTP, but the
  lab's HFS cohort (field, test pulses through the hour) lost its LTP too:
  1.46 at 0-5 min, 0.88 at 55-60, below APV's 0.92.  At c^6 (0.009, 2.5) it
  still fell to 1.036 (T286A 0.982).  Traced per sweep (one lab HFS row), the
  CaMKII-GluN2B sites drained to DAPK1 at 0.0032 uM/min over the hour at 0.1
  /s, 0.0012 at 1 /s and 0.0008 with every bound form staying: the longer a
  bound subunit stays without pT286 (after PP1, and after each test pulse's
  gate brings CaM3K onto the sites), the more of it leaves.  A one-off run at
  0.1 /s with no PP1 on the bound forms also decayed (0.93 at 55-60 min), so
  PP1 is not the only source.  At 1 /s the cohort keeps its LTP (camkii module).

The gate rates moved with the adoption of the reversible binding, on seed-0
Jang cohorts (``--set``, 30-35 min, low-low / low-high / high-low /
high-high): at 0.009 and 2.5 (before) 1.103 / 1.328 (p .044) / 0.849 / 1.104,
high-low 0.001 from its 0.85 threshold; DAPK1 side 2.6: 1.082 / 1.314 (p .052)
/ 0.826 / 1.085; 0.0095 and 2.6 (adopted): 1.101 / 1.320 (p .048) / 0.844 /
1.096; 0.0095 and 2.55: 1.110 / 1.346 (p .051) / 0.850 / 1.106; the bound
neighbours at 3 /s (0.009, 2.5): 1.073 / 1.336 (p .063) / 0.830 / 1.098.

How these were run: the first variant is ``ATTACKERS = ("CaM3KP",)`` and
``N_CAMKII`` edited here, with ``plasticity reproduce jang2026 --model spine
--set kf_glun2b_gate_camkii=...`` and benchmarks/signs_spine.py; the second is
commit c575974 (and it with ``N_CAMKII`` and the two rates edited back for
the c^6 numbers), with the same two commands and benchmarks/pharmacology.py
(``--protocols jang2026,hfs --conditions hfs:1x --cells 3``); the gate-rate
cohorts above with ``--set`` on the adopted scheme (``K_SITE_AUTO`` edited for
the 3 /s one); the no-phosphatase run, the per-sweep site traces (the
``camkii_n2b`` that ``simulate`` returns per sweep, one lab HFS row) and the
CaM3 / CaM3K / CaM3KP levels of a 100 Hz train came from one-off scripts, not
kept.

The two rates here (:data:`K_CAMKII`, :data:`K_DAPK1`) are the hand calibration above, the
parameter set ``hand-calibrated``; the ``spine`` model's defaults are fitted to the data
(:data:`plasticity.spine_model.FITTED`: 0.0088 and 4.30).

Values: free (no displacement rate is measured); :mod:`plasticity.spine_model`
says how they were chosen and what they give.
"""
from __future__ import annotations

from brian2 import umolar, second

from ..network import Reaction
from ..table import Table
from . import camkii

N_CAMKII = 6
N_DAPK1 = 2
K_CAMKII = 0.0095 / (umolar ** (N_CAMKII + 1) * second)
K_DAPK1 = 2.6 / (umolar ** (N_DAPK1 + 1) * second)
#: the Ca2+/CaM-activated CaMKII forms that take a DAPK1-held site
ATTACKERS = ("CaM3K", "CaM3KP")
_CAMKII_SOURCE = ("free: Ca2+/CaM-activated CaMKII displaces DAPK1 or binds a free site through the "
                  "gate (glun2b module docstring)")


def table(k_camkii=K_CAMKII, k_dapk1=K_DAPK1, n_camkii: int = N_CAMKII,
          n_dapk1: int = N_DAPK1) -> Table:
    """The two gated displacements and CaMKII's gated binding of a free site (needs the ``camkii``
    table with GluN2B and ``dapk1``)."""
    for what, n, least in (("n_camkii", n_camkii, 1), ("n_dapk1", n_dapk1, 0)):
        if int(n) != n or n < least:
            raise ValueError(f"{what} must be an integer >= {least} (a number of Ca2+/CaM), got {n!r}")
    gate_k, gate_d = ("CaM3_psd",) * int(n_camkii), ("CaM3_psd",) * int(n_dapk1)
    t = Table()
    for a in ATTACKERS:
        t.reactions.append(Reaction(
            f"glun2b_gate_camkii_{a}", ("ND_psd", f"{a}_psd") + gate_k,
            (f"N{a}_psd", "CaMD_psd") + gate_k[1:], k_camkii, None,
            _CAMKII_SOURCE,
            rates="glun2b_gate_camkii", bounded=True))
    for a in ATTACKERS:
        t.reactions.append(Reaction(
            f"glun2b_bind_camkii_{a}", ("N2B_psd", f"{a}_psd") + gate_k,
            (f"N{a}_psd",) + gate_k, k_camkii, None,
            _CAMKII_SOURCE, rates="glun2b_gate_camkii", bounded=True))
    for name, _, _ in camkii.forms("N"):
        t.reactions.append(Reaction(
            f"glun2b_gate_dapk1_{name}", (f"{name}_psd", "CaMD_psd") + gate_d,
            ("ND_psd", f"{name[1:]}_psd") + gate_d + ("CaM3_psd",), k_dapk1, None,
            "free: active DAPK1 displaces CaMKII (glun2b module docstring)",
            rates="glun2b_gate_dapk1", bounded=True))
    return t


__all__ = ["table", "N_CAMKII", "N_DAPK1", "K_CAMKII", "K_DAPK1"]
