"""Protein phosphatase 1 and its inhibitor I-1; PP2A (cytosol only).

Urakubo et al 2008 Tables SIi/SIj, restated in
../shared/research/urakubo_kinase_spec.md section 3.5 ("spec 3.5").  PKA
phosphorylates inhibitor-1; phospho-I-1 binds and inhibits PP1; calcineurin
(and, in the cytosol, PP2A) dephosphorylates I-1P and so releases PP1.
Names (ids ``<name>_<compartment>``): ``I1``, ``I1P``, ``PP1I1P`` (inhibited
PP1), ``PP1`` (free, active PP1: the phosphatase of CaMKII T286 and of the
AMPAR sites) in both compartments; ``PP2A`` in the cytosol only.

=====  ======================================  ==============================  ===========
#      reaction                                constants                       source
=====  ======================================  ==============================  ===========
1      I1P + PP1 <-> PP1I1P                    kf 100 /(uM s), kb 1 /s         Table SIi
                                                                               (see below)
2      PKAc phosphorylates I1 -> I1P           Km 8.1 uM, kcat 5.3 /s          Table SIj
3      CaN2CaM dephosphorylates I1P -> I1      Km 3 uM, kcat 2.8 /s            Table SIj
4      PP2A dephosphorylates I1P -> I1 (cyt)   Km 3 uM, kcat 2.8 /s            Table SIj
=====  ======================================  ==============================  ===========

Enzymes 2-4 have explicit complexes with k_-1 = 4 kcat (the paper's
convention), so PKAc, active calcineurin and PP2A are each depleted by their
complexes and every total below is conserved.  The Go port does not deplete
calcineurin (spec 3.3); here the CaN2CaM.I1P complex counts in the
calcineurin and calmodulin totals.

**Reaction 1: kf 100, kb 1 (Kd 10 nM).**  Table SIi prints kf 1 /(uM s) and
kb 100 /s; the Go port uses 100 and 1 with the comment that the table's
constants are backward.  We follow the Go port: with the printed values
(Kd 100 uM) the at most 4 uM I-1P would bind under 4 % of PP1, so I-1
could not inhibit PP1 at all, against its role in the paper's scheme and
against phospho-I-1 being a nanomolar PP1 inhibitor; with 100 / 1 the
model's resting free PP1 (about 9 nM in the cytosol, spec 3.8) is what the
published Go and Genesis results show.

Exchange (Table SIb, spec 1.2): I1 and I1P D = 35.9 um^2/s; PP1 and PP1I1P
31.4 into the PSD and 5.23 out ("PP1 trapped in the PSD", a 6-fold PSD
enrichment at steady state); complexes and PP2A do not move.

Initial values (cold start, spec 3.5): I1 2 uM and PP1I1P 2 uM in each
compartment (I-1 total 4 uM, PP1 total 2 uM), PP1 and I1P 0, PP2A 0.03 uM
(cytosol).  Totals (spec 8): I-1 = I1 + I1P + PP1I1P + the three complexes
(4 uM x 0.1 fl, 240 molecules); PP1 = PP1 + PP1I1P (+ its CaMKII
complexes, module ``camkii``) (120 molecules); PP2A = PP2A + its complexes
(0.03 uM x 0.08 fl, 1.44 molecules).
"""
from __future__ import annotations

from brian2 import umolar, second

from ..network import Species, Reaction, Enzyme
from ..table import Table, exchange

per_uM_s = 1 / (umolar * second)

I1_INITIAL = 2 * umolar                         # spec 3.5 (I-1 total 4 uM)
PP1I1P_INITIAL = 2 * umolar                     # spec 3.5 (PP1 total 2 uM)
PP2A_TOTAL = 0.03 * umolar                      # spec 3.5, cytosol only

INHIBITION = (100 * per_uM_s, 1 / second)       # reaction 1 (Go values, see docstring)
PKA_I1 = dict(kcat=5.3 / second, Km=8.1 * umolar)     # reaction 2
CAN_I1P = dict(kcat=2.8 / second, Km=3 * umolar)      # reaction 3
PP2A_I1P = dict(kcat=2.8 / second, Km=3 * umolar)     # reaction 4

D_I1 = 35.9                                     # um^2/s, Table SIb
D_PP1_IN, D_PP1_OUT = 31.4, 5.23                # um^2/s, Table SIb


def complex_id(enzyme: str, comp: str) -> str:
    """Species id of the enzyme-substrate complex of ``enzyme`` in {'pka', 'can', 'pp2a'}."""
    return f"pp1_{enzyme}_{comp}_complex_{comp}"


def table() -> Table:
    """I-1, PP1 (both compartments) and PP2A (cytosol), cold start."""
    t = Table()
    for comp in ("cyt", "psd"):
        t.species += [
            Species("I1", comp, I1_INITIAL, "spec 3.5: I1 2 uM"),
            Species("I1P", comp, source="spec 3.5: 0"),
            Species("PP1I1P", comp, PP1I1P_INITIAL, "spec 3.5: PP1.I1P 2 uM"),
            Species("PP1", comp, source="spec 3.5: 0"),
        ]
        t.reactions.append(Reaction(f"pp1_inhibit_{comp}", (f"I1P_{comp}", f"PP1_{comp}"),
                                    (f"PP1I1P_{comp}",), *INHIBITION,
                                    "Table SIi R1 (as in the Go port: kf 100, kb 1)"))
        t.enzymes += [
            Enzyme(f"pp1_pka_{comp}", f"PKAc_{comp}", f"I1_{comp}", f"I1P_{comp}",
                   source="Table SIj R2", **PKA_I1),
            Enzyme(f"pp1_can_{comp}", f"CaN2CaM_{comp}", f"I1P_{comp}", f"I1_{comp}",
                   source="Table SIj R3", **CAN_I1P),
        ]
    t.species.append(Species("PP2A", "cyt", PP2A_TOTAL, "spec 3.5: 0.03 uM, cytosol only"))
    t.enzymes.append(Enzyme("pp1_pp2a_cyt", "PP2A_cyt", "I1P_cyt", "I1_cyt",
                            source="Table SIj R4 (cytosol only)", **PP2A_I1P))
    t.diffusions += [
        exchange("pp1_x_I1", "I1", D_I1, source="Table SIb"),
        exchange("pp1_x_I1P", "I1P", D_I1, source="Table SIb"),
        exchange("pp1_x_PP1", "PP1", D_PP1_IN, D_PP1_OUT, "Table SIb: PP1 trapped in the PSD"),
        exchange("pp1_x_PP1I1P", "PP1I1P", D_PP1_IN, D_PP1_OUT, "Table SIb"),
    ]
    return t


__all__ = ["table", "complex_id", "I1_INITIAL", "PP1I1P_INITIAL", "PP2A_TOTAL"]
