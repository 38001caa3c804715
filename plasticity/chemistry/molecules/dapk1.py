"""DAPK1: held off by S308 autophosphorylation, released by calcineurin, competing for GluN2B.

The biology (Goodell et al 2017 Cell Rep 19:2231, abstract and highlights in
../shared/refdata/goodell_2017_dapk1_ltd.json; the authors' summary in
../shared/research/urakubo_kinase_spec.md section 4.6): DAPK1 is
S308-autophosphorylated and inactive at rest; calcineurin (CaN)
dephosphorylates S308 ("pulls the trigger"); Ca2+/CaM binds the
dephosphorylated kinase and blocks its re-autophosphorylation; DAPK1 binds
GluN2B at the site CaMKII binds, so the two compete for a finite pool of
sites, and that binding "is disrupted by Ca2+/CaM"; DAPK1 is retained at
synapses during LTD and removed during LTP.

The Go extension (spec 4.3) is "largely guesswork" and "not sufficiently
bounded": CaN is not depleted by its complex, the CaM-bound GluN2B forms are
double counted, its Ca2+/CaM-bound DAPK1 is the form that binds GluN2B (the
opposite of Goodell et al), and autophosphorylation is driven by a nonlinear
function of the phosphorylated fraction.  This table is a smaller mass-action
scheme with Goodell et al's logic; every total (DAPK1, CaM, CaN, GluN2B sites)
is conserved and it has no binding cycle, so detailed balance holds trivially
(the only driven steps are the ATP-consuming autophosphorylations and CaN's
catalysis):

==================================================  =====================  ==================
reaction                                            default                source / range
==================================================  =====================  ==================
D -> DP (basal S308 autophosphorylation)            ``k_auto`` 0.2 /s      spec 4.3: K_D at
                                                                           rest ~0.2 /s; free
                                                                           (0.02-2 /s)
CaN2CaM dephosphorylates DP -> D                    Km 11 uM,              spec 4.3 R10
(explicit complex, so CaN is depleted)              kcat 0.335 /s          (CaNDAPK1 Km 11)
CaM3 + D <-> CaMD (Ca2+/CaM bound: no               8 /(uM s), 1 /s        spec 4.3 figure (the
autophosphorylation, no GluN2B binding)                                    code's 400 is 50x
                                                                           CaMKII's)
D + N2B <-> ND (CaM-free, S308-dephosphorylated     ``kf_site`` 0.03       free (Goodell et al:
DAPK1 binds a site)                                 /(uM s), ``kb_site``   the CaM-free form
                                                    1e-3 /s                binds); ranges
                                                                           0.01-10, 1e-4-1
ND -> DP + N2B (autophosphorylation on the site     ``k_site_auto``        free (0-0.2 /s):
releases it)                                        1e-3 /s                bound DAPK1 is
                                                                           retained in LTD
==================================================  =====================  ==================

Ca2+/CaM "disrupts" the binding here by holding the dephosphorylated kinase
as CaMD, which does not bind, while Ca2+ is high (during which CaMKII takes
the free sites); DAPK1 made active by CaN binds the sites that are free when
Ca2+ falls, and stays there for ~17 min (``kb_site`` + ``k_site_auto``).

**How the free values were chosen** (a quick search, one batched run per
protocol with the values as per-row parameters; weight 10 min after the
induction, relative to the settled unprobed pool): ``kf_site`` 0.03, 0.1, 0.3;
``k_site_auto`` 2e-4, 1e-3, 5e-3 /s; ``kf_dapk1_untrap`` 0.02-5.  Only the
slowest binding keeps LTD: 900 pulses at 1 Hz give -0.34 / -0.34 / -0.13 at
``kf_site`` 0.03 (``k_site_auto`` 2e-4, 1e-3, 5e-3; untrapping 1), -0.10 to
-0.06 at 0.1, -0.02 at 0.3 (faster binding fills the sites at rest: 1.7 of
2 uM), and +0.03 in every case without DAPK1.  100 Hz for 1 s gives too
much LTP at every setting, least with weak untrapping (+1.0 at 0.02, +1.3 at
0.05, +1.8 at 0.1, +2.4 at 0.2, +4.4 at 1), because DAPK1 on the sites holds
the resting pool low and HFS clears it; with the CaMKII sites blocked, +0.01
to -0.14.  The defaults (0.03, 1e-3 /s, untrapping 0.1) trade the two: LFS
-0.24, HFS +1.8 (site-null -0.10).  ``python benchmarks/spine_dapk1_search.py
hfs|lfs [--grid ...]`` reruns the search; benchmarks/signs_spine.py measures
the defaults.

**The LTD arm** (:func:`untrapping`; a modelling choice, not in the Go
extension): GluN2B-bound DAPK1 (ND) releases trapped PSD AMPARs from the
scaffold, ``At{s} + ND -> Am{s} + Scaf + ND`` at ``kf_dapk1_untrap``
0.1 /(uM s) for each AMPAR state s (free; 0-5 /(uM s): at 0.1, 0.5 uM of bound
DAPK1 adds 1.5x the basal unbinding of 1/30 /s).  The released receptors are
those that Urakubo's endocytosis then removes, so the depression outlasts
the binding by the slow exocytosis (30 min).  Together with the PDZ kinase of
the PSD pools being GluN2B-bound CaMKII, the AMPAR weight reads the
competition: CaMKII on the sites traps receptors, DAPK1 on the sites releases
them (Goodell et al 2017: DAPK1-GluN2B binding is required for LTD).

Exchange between compartments (free forms, D = 6 um^2/s as CaMKII, spec
4.3); the bound form is PSD-only.  Total 20 uM per compartment, all DP at
the start (spec 4.3).  The observable ``dapk1_n2b`` is GluN2B-bound DAPK1
(uM, PSD).
"""
from __future__ import annotations

from brian2 import umolar, second

from ..network import Species, Reaction, Enzyme, Observable
from ..table import Table, exchange

per_uM_s = 1 / (umolar * second)
TOTAL = 20 * umolar
K_AUTO = 0.2 / second
CAN = dict(kcat=0.335 / second, Km=11 * umolar)
CAM3_BINDING = (8 * per_uM_s, 1 / second)
SITE = (0.03 * per_uM_s, 1e-3 / second)
SITE_AUTO = 1e-3 / second
D_FREE = 6.0
K_UNTRAP = 0.1 * per_uM_s


def untrapping(k=K_UNTRAP) -> Table:
    """GluN2B-bound DAPK1 releases trapped AMPARs (see the module docstring); needs ``ampar``."""
    t = Table()
    for s in ("DD", "PD", "DP", "PP"):
        t.reactions.append(Reaction(
            f"dapk1_untrap_{s}", (f"At{s}_psd", "ND_psd"), (f"Am{s}_psd", "Scaf_psd", "ND_psd"),
            k, 0 / (umolar ** 2 * second), "free LTD arm (dapk1 module docstring)"))
    return t


def table(total=TOTAL) -> Table:
    t = Table()
    for comp in ("cyt", "psd"):
        t.species += [Species("DP", comp, total, "spec 4.3: 20 uM, S308-phosphorylated"),
                      Species("D", comp), Species("CaMD", comp)]
        t.reactions.append(Reaction(f"dapk1_auto_{comp}", (f"D_{comp}",), (f"DP_{comp}",), K_AUTO,
                                    source="basal S308 autophosphorylation"))
        t.enzymes.append(Enzyme(f"dapk1_can_{comp}", f"CaN2CaM_{comp}", f"DP_{comp}", f"D_{comp}",
                                source="spec 4.3 R10 (Km CaNDAPK1 11 uM)", **CAN))
        t.reactions.append(Reaction(f"dapk1_cam_{comp}", (f"CaM3_{comp}", f"D_{comp}"),
                                    (f"CaMD_{comp}",), *CAM3_BINDING, "spec 4.3 R5"))
    t.species.append(Species("ND", "psd"))
    t.reactions += [
        Reaction("dapk1_site", ("D_psd", "N2B_psd"), ("ND_psd",), *SITE,
                 "free: CaM-free dephosphorylated DAPK1 binds GluN2B (Goodell et al 2017)"),
        Reaction("dapk1_site_auto", ("ND_psd",), ("DP_psd", "N2B_psd"), SITE_AUTO,
                 source="free: S308 autophosphorylation of the bound kinase releases it"),
    ]
    for name in ("DP", "D", "CaMD"):
        t.diffusions.append(exchange(f"dapk1_x_{name}", name, D_FREE, source="spec 4.3"))
    t.observables.append(Observable("dapk1_n2b", "ND_psd"))
    return t


__all__ = ["table", "untrapping", "TOTAL", "K_UNTRAP"]
