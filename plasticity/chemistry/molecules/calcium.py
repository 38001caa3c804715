"""Free Ca2+ in the PSD and the cytosol: pumps, exchange, and the influx from the neuron.

* Resting level 0.05 uM in both compartments (spec section 2.1).
* Extrusion ``d[Ca]/dt = K ([Ca]_rest - [Ca])``: K_cyt = 6950.67 /s and
  K_PSD = 11951.3 /s (spec 2.1; 0.8 nmol/s/cm^2/uM x surface-to-volume ratio /
  12 as fitted in the Go port from the Genesis model, whose factor 1/12 is
  undocumented).  Written as a zero-order source K [Ca]_rest and a first-order
  sink K [Ca], so the table stays mass action.
* Exchange D = 600 um^2/s (Urakubo et al 2008 Table SIb).
* No separate immobile buffer: Ca2+ is buffered by what binds it (CaM, CaN, ...).
* The influx through NMDA receptors (PSD) and VGCCs is an :class:`Input` whose
  expression names outside variables (``J_ca_psd``, ``J_ca_cyt``: uM/s computed
  by the neuron side).
"""
from __future__ import annotations

from brian2 import umolar, second

from ..network import Species, Reaction, Input
from ..table import Table, exchange

CA_REST = 0.05 * umolar
PUMP = {"cyt": 6950.67 / second, "psd": 11951.3 / second}


def table(influx=True) -> Table:
    t = Table()
    for comp, k in PUMP.items():
        t.species.append(Species("Ca", comp, CA_REST, "Urakubo 2008: resting [Ca] 0.05 uM"))
        t.reactions.append(Reaction(f"ca_leak_{comp}", (), (f"Ca_{comp}",), k * CA_REST,
                                    source="pump target (spec 2.1)"))
        t.reactions.append(Reaction(f"ca_pump_{comp}", (f"Ca_{comp}",), (), k,
                                    source="spec 2.1 pump rate"))
        if influx:
            t.inputs.append(Input(f"Ca_{comp}", f"J_ca_{comp}", "NMDA (PSD) and VGCC influx"))
    t.diffusions.append(exchange("ca_exchange", "Ca", 600.0, source="Urakubo 2008 Table SIb"))
    return t
