"""Calcineurin (CaN): two Ca2+ bindings on its regulatory subunit and CaM3 binding.

Urakubo et al 2008 Fig SI4 / Table SIh (spec section 3.3), both compartments,
for j = 0, 1, 2 Ca2+ bound, CaM-free and CaM-bound series alike:

* CaN_j + CaM3 <-> CaN_j.CaM     kf 40 /(uM s), kb 0.04 /s
* Ca + CaN0 <-> CaN1             kf 20 /(uM s), kb 1 /s
* Ca + CaN1 <-> CaN2             kf 10 /(uM s), kb 2 /s

Active CaN is CaN2.CaM.  Total 3 uM in each compartment, all CaN0 at the
start; exchange D = 20 um^2/s for all six forms (spec 1.2).
"""
from __future__ import annotations

from brian2 import umolar, second

from ..network import Species, Reaction
from ..table import Table, exchange

per_uM_s = 1 / (umolar * second)
CA_STEPS = [(20 * per_uM_s, 1 / second), (10 * per_uM_s, 2 / second)]
CAM_BINDING = (40 * per_uM_s, 0.04 / second)
TOTAL = 3 * umolar


def table() -> Table:
    t = Table()
    forms = [f"CaN{j}{suffix}" for suffix in ("", "CaM") for j in range(3)]
    for comp in ("cyt", "psd"):
        for name in forms:
            t.species.append(Species(name, comp, TOTAL if name == "CaN0" else 0 * umolar,
                                     "Urakubo 2008: 3 uM CaN"))
        for j in range(3):
            t.reactions.append(Reaction(f"can{j}_cam_{comp}", (f"CaN{j}_{comp}", f"CaM3_{comp}"),
                                        (f"CaN{j}CaM_{comp}",), *CAM_BINDING, "Table SIh"))
        for suffix in ("", "CaM"):
            for j, (kf, kb) in enumerate(CA_STEPS):
                t.reactions.append(Reaction(
                    f"can{j}{j + 1}{suffix.lower()}_{comp}", (f"CaN{j}{suffix}_{comp}", f"Ca_{comp}"),
                    (f"CaN{j + 1}{suffix}_{comp}",), kf, kb, "Table SIh"))
    for name in forms:
        t.diffusions.append(exchange(f"{name.lower()}_exchange", name, 20.0, source="spec 1.2"))
    return t
