"""AMPA receptors: GluR1 S845 and PDZ (stargazin) phosphorylation, trafficking, trapping.

Urakubo et al 2008 Tables SIk/SIl, restated in
../shared/research/urakubo_kinase_spec.md section 3.6 ("spec 3.6").  Trapped
receptors are the synaptic weight.

Pools (ids), each in four phosphorylation states ``s`` in DD, PD, DP, PP (first
letter GluR1 S845, second the PDZ/stargazin site; P = phosphorylated):

* ``Ai{s}_cyt``: internal (endosomal), cytosol volume;
* ``Am{s}_cyt``: plasma membrane outside the PSD, cytosol volume;
* ``Am{s}_psd``: PSD membrane, not anchored (the same molecule name as the
  membrane pool, so lateral diffusion is an exchange);
* ``At{s}_psd``: trapped by the PSD scaffold; ``Scaf_psd`` is free scaffold.

Observable ``trapped_ampar`` = sum of the four At (uM in the PSD): the weight.

Phosphorylation (Table SIl; rate = Kf [enzyme] [receptor], the enzyme is not
consumed; each step acts on both partner states, e.g. PKA on DD -> PD and
DP -> PP; cytosol enzymes act on Ai and Am_cyt, PSD enzymes on Am_psd, At):

=========================  ====================  =================  ===============
step                       Kf (1/(uM s))         enzyme             pools
=========================  ====================  =================  ===============
S845 phosphorylation       20                    PKAc               all
PDZ phosphorylation        1                     ``pdz_kinase``     all
S845 dephosphorylation     4                     PP1                all
PDZ dephosphorylation      100                   PP1                all
S845 dephosphorylation     1.5                   CaN2CaM            all
PDZ dephosphorylation      1                     CaN2CaM            all
S845 dephosphorylation     4                     PP2A               Ai, Am_cyt
PDZ dephosphorylation      100                   PP2A               Ai, Am_cyt
=========================  ====================  =================  ===============

Trafficking (Table SIk; per-molecule constants restated in concentration):

=========================================  ==================================  ==========
reaction                                   constants                           source
=========================================  ==================================  ==========
Am{PD,PP}_cyt <-> Ai (endo-/exocytosis)    1/(9 min) = 1.852e-3 /s,            Table SIk
                                           back 1/(30 min) = 5.556e-4 /s
Am{DD,DP}_cyt -> Ai (no exocytosis)        1 /s                                Table SIk
Am{DP,PP}_psd + Scaf <-> At                0.5 /(uM s), 1/30 /s                Table SIk
Am{DD,PD}_psd + Scaf <-> At                0.03 /(uM s), 1/30 /s               Table SIk
Am_cyt <-> Am_psd (lateral diffusion)      D = 0.69 um^2/s (tau 0.313 s)       paper (see c)
=========================================  ==================================  ==========

Initial values (cold start, spec 3.6): Ai DD 3 and PD 3 uM (cytosol), At DD 1
and PD 3 uM (PSD), everything else 0, Scaf 0.  Totals (spec 8): AMPAR
6 x 0.08 + 4 x 0.02 uM fl (336 molecules), scaffold + trapped 4 uM in the
PSD (48 molecules).

Decisions:

a. Rates are concentration rate constants, d[S]/dt = -Kf [E][S], as Table
   SIl gives them.  The Go port added the concentration flux to molecule
   counts, i.e. divided Kf by 48 (cytosol) or 12 (PSD): phosphorylation ratios
   are the same but its time courses are 12-48 times slower (spec 3.6).
   ``go_scaling=True`` restores the Go port's division (with its lateral
   exchange, ``D_lateral=D_LATERAL_GO``, it reproduces the Go baseline).

   Measured (libroadrunner, 500 s settle from the cold start, with PKA, PP1,
   calcineurin at rest and a constant PDZ kinase of 0.2 / 1.5 uM, CaMKII's
   resting activity): trapped AMPAR is 0.46 uM with these paper rates, 1.26
   with Go scaling and tau 0.313 s, and 1.76 with Go scaling and the Go
   exchange, against 1.71 in the Go snapshot and 1.764 in the Genesis
   reference trace (spec 3.6, 7.2).  The original (Genesis) model therefore
   seems to have run with the volume-divided rates and the slow exchange;
   the paper-rate default leaves most of the scaffold empty (Scaf 3.5 uM).
b. The paper's enzyme steps have one second-order constant each (no Km, no
   kcat), so they are written as such, without enzyme-substrate complexes:
   the enzymes are not depleted by AMPAR (they are by their explicit
   complexes elsewhere).  Each step is a :class:`Conversion` substrate ->
   product at rate ``Kf x [enzyme]`` (the same flux as mass action
   S + E -> P + E; as a conversion the enzyme stays out of the
   stoichiometry, which the SBML writer needs).  The PDZ kinase is not a
   species: ``pdz_kinase`` names, per compartment, the observable or species
   (e.g. ``camkii_act_cyt``, ``camkii_n2b``) that catalyses it.
c. Lateral diffusion: the paper gives tau_diff = 0.313 s.  Read as the
   relaxation time of the Mbr <-> PSD exchange (the Go port's reading, spec
   1.2: its raw k = 1.6 /s gives 6 s), k (1/48 + 1/12) = 1/tau, k = D/dx^2:
   D = 0.0225 um^2 / (0.313 s x 0.10417) = 0.69 um^2/s (the range measured
   for surface AMPAR).  Equilibrium: equal concentrations, as in the Go port.
d. PP2A acts only in the cytosol (Ai, Am_cyt), as in the paper.
"""
from __future__ import annotations

from brian2 import umolar, umetre, second

from ..network import Species, Reaction, Conversion, Observable
from ..table import Table, exchange, DX

per_uM_s = 1 / (umolar * second)
STATES = ("DD", "PD", "DP", "PP")

INITIAL = {("Ai", "cyt", "DD"): 3 * umolar, ("Ai", "cyt", "PD"): 3 * umolar,
           ("At", "psd", "DD"): 1 * umolar, ("At", "psd", "PD"): 3 * umolar}   # spec 3.6
SCAFFOLD_INITIAL = 0 * umolar                                                 # spec 3.6

# Table SIl: (label, enzyme or None for the PDZ kinase, Kf, site, phosphorylates?)
PHOSPHO = [
    ("pka", "PKAc", 20.0, 0, True),
    ("pdzk", None, 1.0, 1, True),
    ("pp1s", "PP1", 4.0, 0, False),
    ("pp1p", "PP1", 100.0, 1, False),
    ("cans", "CaN2CaM", 1.5, 0, False),
    ("canp", "CaN2CaM", 1.0, 1, False),
    ("pp2as", "PP2A", 4.0, 0, False),       # cytosol pools only
    ("pp2ap", "PP2A", 100.0, 1, False),
]
ENDO_P, EXO_P = 1 / (9 * 60) / second, 1 / (30 * 60) / second     # Table SIk
ENDO_D = 1 / second                                                  # Table SIk
TRAP_P = (0.5 * per_uM_s, 1 / 30 / second)                           # Table SIk (PDZ-P)
TRAP_D = (0.03 * per_uM_s, 1 / 30 / second)                          # Table SIk (PDZ-D)
TAU_LATERAL = 0.313 * second                                         # paper, tau_diff
GO_MOLECULES_PER_UM = {"cyt": 48.0, "psd": 12.0}                      # spec 0.1
D_LATERAL_GO = 1.6 * 0.0225                                          # Go raw k 1.6 /s (spec 1.2)


def lateral_D(tau=TAU_LATERAL) -> float:
    """D (um^2/s) whose cytosol <-> PSD exchange relaxes with time constant ``tau`` (decision c)."""
    k = 1 / (float(tau / second) * (1 / 48 + 1 / 12))               # 1/s
    return k * float(DX ** 2 / umetre ** 2)


D_LATERAL = lateral_D()


def _flip(state: str, site: int, phosphorylate: bool):
    """The state after the step, or None if the step does not apply to ``state``."""
    want, get = ("D", "P") if phosphorylate else ("P", "D")
    if state[site] != want:
        return None
    return state[:site] + get + state[site + 1:]


def table(pdz_kinase: dict, go_scaling: bool = False, D_lateral: float = None) -> Table:
    """AMPAR pools; ``pdz_kinase`` maps 'cyt' and 'psd' to the PDZ kinase's observable/species.

    ``go_scaling`` divides every Table SIl rate by 48 (cytosol) or 12 (PSD) as the
    Go port did; ``D_lateral`` (um^2/s) replaces the lateral exchange constant
    (default :data:`D_LATERAL`, the paper's tau; :data:`D_LATERAL_GO` is the Go one).
    """
    missing = {"cyt", "psd"} - set(pdz_kinase)
    if missing:
        raise ValueError(f"pdz_kinase needs a name for {sorted(missing)}")
    t = Table()
    scale = GO_MOLECULES_PER_UM if go_scaling else {"cyt": 1.0, "psd": 1.0}
    D = D_LATERAL if D_lateral is None else D_lateral
    pools = [("Ai", "cyt"), ("Am", "cyt"), ("Am", "psd"), ("At", "psd")]
    for pool, comp in pools:
        for s in STATES:
            t.species.append(Species(f"{pool}{s}", comp, INITIAL.get((pool, comp, s), 0 * umolar),
                                     "spec 3.6"))
    t.species.append(Species("Scaf", "psd", SCAFFOLD_INITIAL, "spec 3.6: free scaffold 0"))
    for pool, comp in pools:
        for label, enzyme, kf, site, phos in PHOSPHO:
            if enzyme == "PP2A" and comp != "cyt":
                continue
            catalyst = pdz_kinase[comp] if enzyme is None else f"{enzyme}_{comp}"
            for s in STATES:
                new = _flip(s, site, phos)
                if new is None:
                    continue
                t.conversions.append(Conversion(
                    f"ampar_{pool}_{comp}_{label}_{s}", f"{pool}{s}_{comp}", f"{pool}{new}_{comp}",
                    f"kf * {catalyst}", {"kf": kf * per_uM_s / scale[comp]}, "Table SIl"))
    for s in STATES:
        if s[0] == "P":
            t.reactions.append(Reaction(f"ampar_endo_{s}", (f"Am{s}_cyt",), (f"Ai{s}_cyt",),
                                        ENDO_P, EXO_P, "Table SIk (S845-P: endo 9 min, exo 30 min)"))
        else:
            t.reactions.append(Reaction(f"ampar_endo_{s}", (f"Am{s}_cyt",), (f"Ai{s}_cyt",),
                                        ENDO_D, source="Table SIk (S845-D: endo 1 s)"))
        trap = TRAP_P if s[1] == "P" else TRAP_D
        t.reactions.append(Reaction(f"ampar_trap_{s}", (f"Am{s}_psd", "Scaf_psd"), (f"At{s}_psd",),
                                    *trap, "Table SIk (trapping)"))
        t.diffusions.append(exchange(f"ampar_lateral_{s}", f"Am{s}", D,
                                     source="paper tau_diff 0.313 s (decision c)"))
    t.observables.append(Observable("trapped_ampar", " + ".join(f"At{s}_psd" for s in STATES),
                                    "spec 3.6: trapped AMPAR = weight"))
    return t


__all__ = ["table", "STATES", "D_LATERAL", "D_LATERAL_GO", "lateral_D"]
