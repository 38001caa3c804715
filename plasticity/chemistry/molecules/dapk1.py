"""DAPK1: held off by S308 autophosphorylation, released by calcineurin, competing for GluN2B.

The biology (Goodell et al 2017 Cell Rep 19:2231; the authors' summary in
../shared/research/urakubo_kinase_spec.md section 4.6): DAPK1 is
S308-autophosphorylated and inactive at rest; calcineurin dephosphorylates
S308; Ca2+/CaM binds the dephosphorylated kinase and blocks its
re-autophosphorylation; the active kinase binds GluN2B at the site CaMKII
binds, so the two compete for a finite pool of sites.  A slower, calcineurin
-gated kinase on the sites is what carries LTD in the competition model.

The Go extension (spec 4.3) is "largely guesswork" and "not sufficiently
bounded": CaN is not depleted by its complex, the CaM-bound GluN2B forms are
double counted, and autophosphorylation is driven by a nonlinear function
of the phosphorylated fraction.  This table is a smaller, mass-action scheme
with the same logic; every total (DAPK1, CaM, CaN, GluN2B sites) is conserved:

==================================================  =====================  ==================
reaction                                            default                source / range
==================================================  =====================  ==================
D -> DP (basal S308 autophosphorylation)            ``k_auto`` 0.2 /s      spec 4.3: K_D at
                                                                           rest ~0.2 /s; free
                                                                           (0.02-2 /s)
CaN2CaM dephosphorylates DP -> D                    Km 11 uM,              spec 4.3 R10
(explicit complex, so CaN is depleted)              kcat 0.335 /s          (CaNDAPK1 Km 11)
CaM3 + D <-> CaMD (CaM-bound: no autophosphor.)     8 /(uM s), 1 /s        spec 4.3 R5 (code
                                                                           400, figure 8)
CaMD + N2B <-> NCaMD (site binding)                 ``kf_site`` 40, 1 /s   spec 4.3 (code 40/1,
                                                                           figure 8/0.001)
NCaMD <-> ND + CaM3 (CaM leaves a bound kinase)     kb 1 /s, kf 8          as in solution
ND -> D + N2B (CaM-free kinase leaves)              10 /s                  spec 4.3 GluN2BNoP
ND -> DP + N2B (autophosphorylation releases)       ``k_auto``             spec 4.3 (P form
                                                                           leaves at 1000 /s)
==================================================  =====================  ==================

**The LTD arm** (:func:`untrapping`; a modelling choice, not in the Go
extension): GluN2B-bound DAPK1 (NCaMD, ND) releases trapped PSD AMPARs from
the scaffold, ``At{s} + Nx -> Am{s} + Scaf + Nx`` at ``kf_dapk1_untrap``
0.2 /(uM s) for each AMPAR state s (free; 0-2 /(uM s): at 0.2, 0.5 uM of bound
DAPK1 triples the basal unbinding of 1/30 /s).  The released receptors
are those that Urakubo's endocytosis then removes, so the depression outlasts
the binding by the slow exocytosis (30 min).  Together with the PDZ kinase of
the PSD pools being GluN2B-bound CaMKII, the AMPAR weight reads the
competition: CaMKII on the sites traps receptors, DAPK1 on the sites releases
them (Goodell et al 2017: DAPK1-GluN2B binding is required for LTD).

Exchange between compartments (free forms, D = 6 um^2/s as CaMKII, spec
4.3); the bound forms are PSD-only.  Total 20 uM per compartment, all DP at
the start (spec 4.3).  The observable ``dapk1_n2b`` is all GluN2B-bound
DAPK1 (uM, PSD).
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
SITE = (40 * per_uM_s, 1 / second)
SITE_NOCAM_OFF = 10 / second
D_FREE = 6.0
K_UNTRAP = 0.2 * per_uM_s


def untrapping(k=K_UNTRAP) -> Table:
    """GluN2B-bound DAPK1 releases trapped AMPARs (see the module docstring); needs ``ampar``."""
    t = Table()
    for s in ("DD", "PD", "DP", "PP"):
        for bound in ("NCaMD", "ND"):
            t.reactions.append(Reaction(
                f"dapk1_untrap_{s}_{bound}", (f"At{s}_psd", f"{bound}_psd"),
                (f"Am{s}_psd", "Scaf_psd", f"{bound}_psd"), k, 0 / (umolar ** 2 * second),
                "free LTD arm (dapk1 module docstring)"))
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
    t.species += [Species("NCaMD", "psd"), Species("ND", "psd")]
    t.reactions += [
        Reaction("dapk1_site", ("CaMD_psd", "N2B_psd"), ("NCaMD_psd",), *SITE, "spec 4.3"),
        Reaction("dapk1_site_cam", ("ND_psd", "CaM3_psd"), ("NCaMD_psd",), *CAM3_BINDING,
                 "as in solution"),
        Reaction("dapk1_site_off", ("ND_psd",), ("D_psd", "N2B_psd"), SITE_NOCAM_OFF,
                 source="spec 4.3 GluN2BNoP kb 10 /s"),
        Reaction("dapk1_site_auto", ("ND_psd",), ("DP_psd", "N2B_psd"), K_AUTO,
                 source="autophosphorylation on the site; the P form leaves (spec 4.3)"),
    ]
    for name in ("DP", "D", "CaMD"):
        t.diffusions.append(exchange(f"dapk1_x_{name}", name, D_FREE, source="spec 4.3"))
    t.observables.append(Observable("dapk1_n2b", "NCaMD_psd + ND_psd"))
    return t


__all__ = ["table", "untrapping", "TOTAL", "K_UNTRAP"]
