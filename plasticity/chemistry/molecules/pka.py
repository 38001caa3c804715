"""AC1, cAMP and PKA: Ca2+/CaM-stimulated cAMP production frees the catalytic PKA subunit.

Urakubo et al 2008 Fig SI4, Tables SIf/SIg, restated in
../shared/research/urakubo_kinase_spec.md section 3.4 ("spec 3.4"), both
compartments alike.  Names (ids are ``<name>_<compartment>``):

* ``AC1`` (adenylyl cyclase 1, membrane bound), ``AC1CaM`` (AC1.CaM3, active);
* ``cAMP``; ``ATP`` (the adenine-nucleotide pool, see below); ``PDEcAMP``
  (the PDE1.cAMP complex);
* the PKA holoenzyme R2C2 and its cAMP-bound forms ``R2C2B``, ``R2C2BB``,
  ``R2C2AB``, ``R2C2ABB``, ``R2C2x4`` (cAMP on sites A/B of the two R
  subunits), after one C left ``R2Cx3``, ``R2Cx4``, after both ``R2x3``,
  ``R2x4`` (x3, x4: three or four cAMP bound);
* ``PKAc``: the free catalytic subunit, the active kinase (I-1, AMPAR S845).

Reactions (kf in 1/(uM s) unless stated, kb in 1/s):

===  ===================================  ===============  =======  ==========================
#    reaction                             kf               kb       source
===  ===================================  ===============  =======  ==========================
1    CaM3 + AC1 <-> AC1CaM                5                1        Table SIf (see decision a)
2    ATP -> cAMP (basal leak)             4e-7 /s          --       Table SIf (decision b)
3    R2C2 + cAMP <-> R2C2B                0.2              0.1      Table SIf
4    R2C2B + cAMP <-> R2C2BB              0.1              0.2      Table SIf (decision c)
5    R2C2B + cAMP <-> R2C2AB              2                5        Table SIf (decision c)
6    R2C2BB + cAMP <-> R2C2ABB            4                5        Table SIf
7    R2C2AB + cAMP <-> R2C2ABB            0.1              0.1      Table SIf
8    R2C2ABB + cAMP <-> R2C2x4            2                10       Table SIf
9    R2Cx3 + cAMP <-> R2Cx4               20               1        Table SIf
10   R2x3 + cAMP <-> R2x4                 200              0.1      Table SIf
11   R2Cx3 + PKAc <-> R2C2ABB             10               2        Table SIf (C release 2 /s)
12   R2Cx4 + PKAc <-> R2C2x4              1                20       Table SIf
13   R2x3 + PKAc <-> R2Cx3                20               1        Table SIf
14   R2x4 + PKAc <-> R2Cx4                2                10       Table SIf
15   AC1CaM: ATP -> cAMP                  kcat 10 /s, Km 40 uM       Table SIg (decision d)
16   cAMP <-> PDEcAMP; PDEcAMP -> ATP     k1 [PDE] = 10 /s, k_-1 80 /s, kcat 20 /s
                                                                    Table SIg (decision d)
===  ===================================  ===============  =======  ==========================

The binding constants satisfy detailed balance on every cycle (e.g.
K4 K6 = K5 K7 = 2.5 uM^2; K9 K12 = K11 K8 = 1 uM^2).

Exchange between cytosol and PSD (Table SIb, spec 1.2): all R2C2/R2C/R2
forms D = 32 um^2/s, cAMP 500; AC1 and the complexes do not move.

Initial values (cold start, spec 3.4): AC1 2 uM, R2C2 2 uM, PKAc 0.05 uM,
ATP 10 mM, everything else 0 (the paper's basal cAMP, 0.1 uM, is reached by
the model itself).  Totals (spec 8): AC1 2 uM, R subunits 2 x 2 uM and C
subunits 2 x 2 + 0.05 uM in each compartment at the start; the C total also
counts PKAc held in its I-1 complex (module ``pp1``).

Decisions where the Go port departs from the paper (spec 3.4 and 9):

a. AC1-CaM association 5 /(uM s) as in the paper and Genesis (0.10416 per
   molecule x 48 = 5.0); the Go port uses 6.
b. The basal leak is 4e-7 /s x [ATP] = 0.004 uM/s in both compartments, as the
   paper intends; the Go port's unscaled rate made it 4x larger in the PSD.
c. Reactions 4 and 5 consume R2C2B (the Go port decremented R2C2), so R and
   C subunits are conserved.
d. ATP, AMP and active PDE are constants in the paper (10 mM, 1 mM, 1 uM).
   To keep cAMP turnover mass action and the table closed, the adenine
   nucleotides are one pool ``ATP``: cAMP is made from it (leak and AC1,
   reaction 15 the paper's quasi-steady Michaelis-Menten rate
   kcat [AC1CaM][ATP]/(Km + [ATP]) with AC1CaM not consumed, = 9.96 /s x
   [AC1CaM]) and PDE returns its product (AMP) to it.  ATP then departs
   from 10 mM only by the cAMP held in free, PDE- and PKA-bound form (< 1e-3
   relative for up to 10 uM), and ATP + cAMP + bound cAMP is conserved.
   PDE is buffered as in the Go and Genesis models: its free form is the
   constant 1 uM (folded into the pseudo-first-order binding rate
   k1 [PDE] = 10 /s), and its complex ``PDEcAMP`` holds cAMP (about 10 % of
   free cAMP at rest).  ATP is exchanged like cAMP (D 500, not in the paper,
   where it is a constant) so that the two pools stay equal.
e. The free catalytic subunit PKAc is exchanged at the PKA value D = 32
   (Table SIb gives one D for PKA; by the paper's rule a complex takes the
   smallest D of its parts, so 32 is a lower bound for C alone).  The Go
   port does not move it (spec 1.2 and 8).
"""
from __future__ import annotations

from brian2 import umolar, second

from ..network import Species, Reaction, Enzyme
from ..table import Table, exchange

per_uM_s = 1 / (umolar * second)

AC1_TOTAL = 2 * umolar                      # spec 3.4
R2C2_TOTAL = 2 * umolar                     # spec 3.4
PKAC_INITIAL = 0.05 * umolar                # spec 3.4
ATP = 10000 * umolar                        # buffered in the paper (spec 3.4)
PDE = 1 * umolar                            # buffered active PDE1 (spec 3.4)

AC1_CAM = (5 * per_uM_s, 1 / second)        # reaction 1, paper (Go: 6)
LEAK = 4e-7 / second                        # reaction 2, per [ATP]
AC1_KCAT, AC1_KM = 10 / second, 40 * umolar  # reaction 15
PDE_KCAT, PDE_KM = 20 / second, 10 * umolar  # reaction 16, k_-1 = 4 kcat
PDE_KM1 = 4 * PDE_KCAT

# reactions 3-10: (label, R form, R form with one more cAMP, kf, kb)
CAMP_STEPS = [
    ("b", "R2C2", "R2C2B", 0.2, 0.1),
    ("bb", "R2C2B", "R2C2BB", 0.1, 0.2),
    ("ab", "R2C2B", "R2C2AB", 2.0, 5.0),
    ("abb_bb", "R2C2BB", "R2C2ABB", 4.0, 5.0),
    ("abb_ab", "R2C2AB", "R2C2ABB", 0.1, 0.1),
    ("x4", "R2C2ABB", "R2C2x4", 2.0, 10.0),
    ("r2c_x4", "R2Cx3", "R2Cx4", 20.0, 1.0),
    ("r2_x4", "R2x3", "R2x4", 200.0, 0.1),
]
# reactions 11-14: (label, R form, R form with one more C, kf, kb)
C_STEPS = [
    ("c_abb", "R2Cx3", "R2C2ABB", 10.0, 2.0),
    ("c_x4", "R2Cx4", "R2C2x4", 1.0, 20.0),
    ("c_r2cx3", "R2x3", "R2Cx3", 20.0, 1.0),
    ("c_r2cx4", "R2x4", "R2Cx4", 2.0, 10.0),
]

R_FORMS = ["R2C2", "R2C2B", "R2C2BB", "R2C2AB", "R2C2ABB", "R2C2x4", "R2Cx3", "R2Cx4", "R2x3", "R2x4"]
CAMP_BOUND = {"R2C2": 0, "R2C2B": 1, "R2C2BB": 2, "R2C2AB": 2, "R2C2ABB": 3, "R2C2x4": 4,
              "R2Cx3": 3, "R2Cx4": 4, "R2x3": 3, "R2x4": 4}
C_BOUND = {name: 2 if "C2" in name else 1 if "C" in name else 0 for name in R_FORMS}  # C subunits

D_PKA = 32.0                                # um^2/s, Table SIb
D_CAMP = 500.0                              # um^2/s, Table SIb
D_ATP = D_CAMP                              # decision d


def table() -> Table:
    """AC1, cAMP and PKA in the cytosol and the PSD (cold start)."""
    t = Table()
    for comp in ("cyt", "psd"):
        def sid(name):
            return f"{name}_{comp}"
        t.species += [
            Species("AC1", comp, AC1_TOTAL, "spec 3.4: AC1 2 uM"),
            Species("AC1CaM", comp, source="active AC1"),
            Species("cAMP", comp, source="spec 3.4: cold start 0"),
            Species("ATP", comp, ATP, "spec 3.4: 10 mM (adenine-nucleotide pool)"),
            Species("PDEcAMP", comp, source="PDE1.cAMP complex"),
            Species("PKAc", comp, PKAC_INITIAL, "spec 3.4: 0.05 uM"),
        ]
        t.species += [Species(name, comp, R2C2_TOTAL if name == "R2C2" else 0 * umolar,
                              "spec 3.4: R2C2 2 uM") for name in R_FORMS]
        t.reactions += [
            Reaction(f"pka_ac1_{comp}", (sid("CaM3"), sid("AC1")), (sid("AC1CaM"),), *AC1_CAM,
                     "Table SIf R1 (paper 5; Go 6)"),
            Reaction(f"pka_leak_{comp}", (sid("ATP"),), (sid("cAMP"),), LEAK,
                     source="Table SIf R2 (same in both compartments)"),
            Reaction(f"pka_pde_bind_{comp}", (sid("cAMP"),), (sid("PDEcAMP"),),
                     (PDE_KM1 + PDE_KCAT) / PDE_KM * PDE, PDE_KM1, "Table SIg R16, PDE 1 uM"),
            Reaction(f"pka_pde_cat_{comp}", (sid("PDEcAMP"),), (sid("ATP"),), PDE_KCAT,
                     source="Table SIg R16 (AMP returned to the ATP pool)"),
        ]
        t.enzymes.append(Enzyme(f"pka_ac1cat_{comp}", sid("AC1CaM"), sid("ATP"), sid("cAMP"),
                                AC1_KCAT, AC1_KM, explicit_complex=False,
                                source="Table SIg R15 (rate form, AC1 not consumed)"))
        for label, a, b, kf, kb in CAMP_STEPS:
            t.reactions.append(Reaction(f"pka_{label}_{comp}", (sid(a), sid("cAMP")), (sid(b),),
                                        kf * per_uM_s, kb / second, "Table SIf R3-R10"))
        for label, a, b, kf, kb in C_STEPS:
            t.reactions.append(Reaction(f"pka_{label}_{comp}", (sid(a), sid("PKAc")), (sid(b),),
                                        kf * per_uM_s, kb / second, "Table SIf R11-R14"))
    for name in R_FORMS:
        t.diffusions.append(exchange(f"pka_x_{name}", name, D_PKA, source="Table SIb (PKA 32)"))
    t.diffusions += [
        exchange("pka_x_PKAc", "PKAc", D_PKA, source="Table SIb PKA value (decision e)"),
        exchange("pka_x_cAMP", "cAMP", D_CAMP, source="Table SIb"),
        exchange("pka_x_ATP", "ATP", D_ATP, source="as cAMP (decision d)"),
    ]
    return t


__all__ = ["table", "R_FORMS", "CAMP_BOUND", "C_BOUND", "AC1_TOTAL", "R2C2_TOTAL", "PKAC_INITIAL"]
