"""Calmodulin: three sequential Ca2+ bindings; 3Ca2+-CaM (CaM3) is the active form.

Urakubo et al 2008 Table SId reactions 1-3 (spec section 3.1), both compartments:

==========================  ===================  ========
reaction                    kf (1/(uM s))        kb (1/s)
==========================  ===================  ========
CaM0 + Ca <-> CaM1          51.2                 200
CaM1 + Ca <-> CaM2          133.3                1000
CaM2 + Ca <-> CaM3          25.6                 400
==========================  ===================  ========

4Ca2+-CaM is omitted, as in the paper.  Total CaM 80 uM in each compartment,
all Ca-free at the start.  Exchange D = 250 um^2/s for every state (the paper's
Table SIb value; the Go port used 130, spec section 1.2).
"""
from __future__ import annotations

from brian2 import umolar, second

from ..network import Species, Reaction
from ..table import Table, exchange

per_uM_s = 1 / (umolar * second)
STEPS = [(51.2 * per_uM_s, 200 / second), (133.3 * per_uM_s, 1000 / second),
         (25.6 * per_uM_s, 400 / second)]
TOTAL = 80 * umolar
D_CAM = 250.0


def table() -> Table:
    t = Table()
    for comp in ("cyt", "psd"):
        for i in range(4):
            t.species.append(Species(f"CaM{i}", comp, TOTAL if i == 0 else 0 * umolar,
                                     "Urakubo 2008: 80 uM CaM"))
        for i, (kf, kb) in enumerate(STEPS):
            t.reactions.append(Reaction(f"cam{i}{i + 1}_{comp}", (f"CaM{i}_{comp}", f"Ca_{comp}"),
                                        (f"CaM{i + 1}_{comp}",), kf, kb, "Urakubo 2008 Table SId"))
    for i in range(4):
        t.diffusions.append(exchange(f"cam{i}_exchange", f"CaM{i}", D_CAM,
                                     source="Urakubo 2008 Table SIb (D_CaM 250)"))
    return t
