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
D -> DP (basal S308 autophosphorylation)            ``k_auto`` 0.0054 /s   searched (below);
                                                                           spec 4.3: ~0.2 /s
                                                                           at rest (a guess)
CaN2CaM dephosphorylates DP -> D                    Km 11 uM,              spec 4.3 R10 (Km);
(explicit complex, so CaN is depleted)              kcat 0.058 /s          kcat searched (Go
                                                                           0.335 /s)
CaM3 + D <-> CaMD (Ca2+/CaM bound: no               0.2 /(uM s),           affinity of spec 4.3
autophosphorylation, no binding to a free site)     0.025 /s               figure (8 /(uM s),
                                                                           1 /s: Kd 0.125 uM;
                                                                           the code's 400 is
                                                                           50x CaMKII's);
                                                                           kinetics 40x slower,
                                                                           free (below)
D + N2B <-> ND (CaM-free, S308-dephosphorylated     ``kf_site`` 0.03       free (Goodell et al:
DAPK1 binds a free site)                            /(uM s), ``kb_site``   the CaM-free form
                                                    1e-5 /s                binds)
ND -> DP + N2B (autophosphorylation on the site     ``k_site_auto``        free: bound DAPK1
releases it)                                        1e-5 /s                is retained in LTD
==================================================  =====================  ==================

In the PSD the ``spine`` model's defaults replace ``k_auto`` and kcat by fitted values
(:data:`plasticity.spine_model.FITTED`: 0.0038 /s and 0.054 /s); the values here are the
hand calibration, the parameter set ``hand-calibrated``.

The sites hardly ever fall free (they start held and keep their holder at
rest: :mod:`~plasticity.chemistry.molecules.glun2b`), so DAPK1 reaches them
mostly by displacing CaMKII, as Ca2+/CaM-bound DAPK1 (CaMD) while free
Ca2+/CaM is high, and leaves them when Ca2+/CaM-activated CaMKII displaces it
(glun2b module).  Released bound DAPK1 (``kb_site``, ``k_site_auto``) would
let the free-site binding of CaMKII and DAPK1 reset the sites within ~17 min
at the earlier 1e-3 /s; at 1e-5 /s (28 h) a change of the sites outlasts the
experiments.

**The pool of active DAPK1.**  With ``k_auto`` 0.0054 /s (3 min) and kcat
0.058 /s, S308-dephosphorylated DAPK1 (D + CaMD) is a slow pool: calcineurin
fills it over a long low-frequency train and it empties over minutes, so
long weak trains tip the GluN2B exchange towards DAPK1 and short strong ones
do not (the sliding threshold of the reduced read-out,
benchmarks/spine_gated_competition.py).  The two values and the two
displacement rates were searched together on the full network
(``python benchmarks/spine_gate_search.py``: CMA-ES, 6 generations of 8; the
set adopted was the best found, rounded; the gate orders, the displacement
rates and the Ca2+/CaM binding below were then set on cohorts; README and
:mod:`plasticity.spine_model` give what it does).  Before the gated exchange, a grid over the free-site
binding (benchmarks/spine_dapk1_search.py, measured with those earlier
defaults: 0.2 /s, 0.335 /s, site release 1e-3 /s) found no setting with
lasting LTP and LTD.

**Slow activation.**  Ca2+/CaM binds S308-dephosphorylated DAPK1 with the
spec's affinity but 40 times more slowly than the spec's guess (no rate is
measured): CaMD builds over seconds of activity and lasts ~40 s, the slow
integrator of the kinase rule (CaMKII's side of the GluN2B exchange follows
free Ca2+/CaM at once).  On Jang et al 2026 cohorts (README) slowing it from
8 /(uM s), 1 /s to 0.4, 0.05 and 0.2, 0.025 raised low-high over high-high
from 0.17 to 0.24-0.30 at similar offsets.

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
the start (spec 4.3), less what :mod:`plasticity.spine_model` puts on the GluN2B
sites.  The observable ``dapk1_n2b`` is GluN2B-bound DAPK1
(uM, PSD).
"""
from __future__ import annotations

from brian2 import umolar, second

from ..network import Species, Reaction, Enzyme, Observable
from ..table import Table, exchange

per_uM_s = 1 / (umolar * second)
TOTAL = 20 * umolar
K_AUTO = 0.0054 / second
CAN = dict(kcat=0.058 / second, Km=11 * umolar)
CAM3_BINDING = (0.2 * per_uM_s, 0.025 / second)
SITE = (0.03 * per_uM_s, 1e-5 / second)
SITE_AUTO = 1e-5 / second
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


def table(total=TOTAL, bound=("ND_psd",)) -> Table:
    """DAPK1 in both compartments; ``bound``: the species ids that count as GluN2B-bound DAPK1
    in the observable ``dapk1_n2b`` (other tables may add bound forms, e.g. gate states)."""
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
    t.observables.append(Observable("dapk1_n2b", " + ".join(bound)))
    return t


__all__ = ["table", "untrapping", "TOTAL", "K_UNTRAP"]
