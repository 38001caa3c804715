"""A molecule's reaction table, and the spine geometry every table is written for.

Each molecule module exposes ``table(compartments)`` returning a :class:`Table`;
tables add up (``a + b``) and :meth:`Table.network` checks and compiles them.

Geometry (Urakubo et al 2008 Table SIa, restated in
../shared/research/urakubo_kinase_spec.md section 1.1): a 0.5 um long spine
cylinder split into a 0.02 fl PSD slab and a 0.08 fl cytosol; molecules move
between them with an effective distance dx = 0.15 um.

Diffusion is written as Urakubo's exchange: with k = D / dx^2 (1/s), the
cytosol concentration relaxes at k/48 per s and the PSD one at k/12 per s
(48 and 12 molecules per uM are the two volumes, spec section 0.2), i.e. an
amount flux P (C_cyt - C_psd) with P = k x V_cyt / 48.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from brian2 import umetre, second

from .network import Compartment, Diffusion, ReactionNetwork, fl

V_CYT = 0.08 * fl
V_PSD = 0.02 * fl
DX = 0.15 * umetre
COMPARTMENTS = (Compartment("cyt", V_CYT), Compartment("psd", V_PSD))


def exchange(label, molecule, D_forward, D_back=None, source="") -> Diffusion:
    """Cytosol <-> PSD exchange of ``molecule`` with diffusion constant(s) D (um^2/s)."""
    def P(D):
        k = D * umetre ** 2 / second / DX ** 2            # 1/s
        return k * V_CYT / 48                             # volume per time
    back = P(D_back) if D_back is not None else P(D_forward)
    return Diffusion(label, f"{molecule}_cyt", f"{molecule}_psd", P(D_forward), back, source)


@dataclass
class Table:
    species: list = field(default_factory=list)
    reactions: list = field(default_factory=list)
    enzymes: list = field(default_factory=list)
    diffusions: list = field(default_factory=list)
    inputs: list = field(default_factory=list)
    conversions: list = field(default_factory=list)
    observables: list = field(default_factory=list)

    def __add__(self, other: "Table") -> "Table":
        return Table(*(getattr(self, f) + getattr(other, f)
                       for f in ("species", "reactions", "enzymes", "diffusions", "inputs",
                               "conversions", "observables")))

    def network(self, compartments=COMPARTMENTS) -> ReactionNetwork:
        return ReactionNetwork(list(compartments), list(self.species), list(self.reactions),
                               list(self.enzymes), list(self.diffusions), list(self.inputs),
                               list(self.conversions), list(self.observables))


__all__ = ["Table", "exchange", "COMPARTMENTS", "V_CYT", "V_PSD", "DX", "second"]
