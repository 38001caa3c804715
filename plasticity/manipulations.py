"""Drugs and mutants by name: each a set of parameter scalings, per model that has the piece.

``apply(["apv", "dapk1-ko"], model, params)`` returns the parameters with every
named manipulation applied.  A manipulation is a multiplicative scaling of
named parameters (0 removes a piece), so several compose in any order; on a
model that lacks the piece it is an error, never a silent no-op.

What each does, and where the model's piece comes from:

=================  =======================================================  ============================
name               spine / urakubo2008 (the biochemistry)                   kinase (the abstract rule)
=================  =======================================================  ============================
apv                NMDA current and Ca2+ flux 0 (D-APV, Dudek & Bear 1992)  NMDA current, Ca2+, credit 0
nimodipine         L-type VGCC Ca2+ flux 0                                  bAP-VGCC Ca2+ 0
dapk1-ko           no DAPK1 (``spine``)                                     LTD arm 0
dapk1-inhibitor    DAPK1's action on trapped AMPARs 0, binding kept         LTD arm 0
can-inhibitor      every calcineurin catalytic step 0 (FK506)               LTD arm 0
camkii-t286a       no T286 autophosphorylation (Giese et al 1998)           LTP and LTD arms 0
camkii-inhibitor   CaMKII catalysis (T286, AMPAR) 0, binding kept           LTP and LTD arms 0
glun2b-no-camkii   CaMKII cannot bind GluN2B, DAPK1 can (``spine``)         LTP arm x 0.5
=================  =======================================================  ============================

The kinase rule has no calcineurin or T286 of its own: there the manipulations
act on the expression of its two arms (``ltp_gain``, ``ltd_gain`` of
:mod:`plasticity.kinase`), set from the findings in protocols/data: DAPK1
or CaN block removes LTD and keeps LTP (Goodell et al 2017); CaMKII and T286
autophosphorylation are needed for LTP (Giese et al 1998) and for LTD (Goodell
et al 2017, citing Coultrap et al 2014); the GluN2B L1298A/R1300Q site halves
LTP (Halt et al 2012).  ``gb2012`` has APV (its presynaptic, NMDA-receptor
Ca2+ transient Cpre) and nimodipine (the postsynaptic, bAP-VGCC Cpost;
Graupner & Brunel 2012 attribute them so).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .models import UnknownNameError


class ManipulationError(ValueError):
    """A manipulation that does not apply to the model."""


@dataclass(frozen=True)
class Manipulation:
    name: str
    doc: str
    source: str
    #: model name -> {parameter name or regular expression: factor}
    scales: dict

    def applies_to(self) -> list[str]:
        return sorted(self.scales)


_SPINE_CA = {"apv": {"g_nmda_max": 0.0, "P_nmda": 0.0},
             "nimodipine": {"P_vgcc_psd": 0.0, "P_vgcc_cyt": 0.0}}
_CAN_CATALYSIS = {r"kf_pp1_can_.*_cat": 0.0, r"ampar_.*_can[sp]_.*_kf": 0.0}
_T286 = {r"camkiin?_auto\w*_k_auto": 0.0}
_CAMKII_CATALYSIS = {**_T286, r"ampar_.*_pdzk_.*_kf": 0.0}

MANIPULATIONS = {m.name: m for m in [
    Manipulation("apv", "NMDA receptor block (D-APV)", "Dudek & Bear 1992; Graupner & Brunel 2012",
                 {"kinase": {"g_nmda_max": 0.0, "k_nmda": 0.0, "credit_gain": 0.0}, "spine": _SPINE_CA["apv"],
                  "urakubo2008": _SPINE_CA["apv"], "gb2012": {"Cpre": 0.0}}),
    Manipulation("nimodipine", "L-type VGCC block", "Urakubo et al 2008 (L-type VGCC)",
                 {"kinase": {"vgcc_per_spike": 0.0}, "spine": _SPINE_CA["nimodipine"],
                  "urakubo2008": _SPINE_CA["nimodipine"], "gb2012": {"Cpost": 0.0}}),
    Manipulation("dapk1-ko", "no DAPK1", "Goodell et al 2017",
                 {"kinase": {"ltd_gain": 0.0}, "spine": {"dapk1_total": 0.0}}),
    Manipulation("dapk1-inhibitor", "DAPK1 kinase activity blocked (TC-DAPK6); GluN2B binding kept",
                 "Goodell et al 2017",
                 {"kinase": {"ltd_gain": 0.0}, "spine": {r"kf_dapk1_untrap_.*": 0.0}}),
    Manipulation("can-inhibitor", "calcineurin catalysis blocked (FK506)", "Goodell et al 2017",
                 {"kinase": {"ltd_gain": 0.0},
                  "spine": {**_CAN_CATALYSIS, r"kf_dapk1_can_.*_cat": 0.0},
                  "urakubo2008": _CAN_CATALYSIS}),
    Manipulation("camkii-t286a", "CaMKII T286A: no autophosphorylation", "Giese et al 1998",
                 {"kinase": {"ltp_gain": 0.0, "ltd_gain": 0.0}, "spine": _T286, "urakubo2008": _T286}),
    Manipulation("camkii-inhibitor", "CaMKII catalysis blocked (AIP-like); CaM and GluN2B binding kept",
                 "Goodell et al 2017 (CaMKII needed for LTP and LTD)",
                 {"kinase": {"ltp_gain": 0.0, "ltd_gain": 0.0}, "spine": _CAMKII_CATALYSIS,
                  "urakubo2008": _CAMKII_CATALYSIS}),
    Manipulation("glun2b-no-camkii", "GluN2B L1298A/R1300Q: CaMKII cannot bind, DAPK1 can",
                 "Halt et al 2012 (LTP -50 %); Goodell et al 2017",
                 {"kinase": {"ltp_gain": 0.5},
                  "spine": {r"kf_camkii_site_.*": 0.0, "kf_glun2b_gate_camkii": 0.0,
                            "glun2b_camkii0": 0.0}}),
]}


#: what a model must have for the manipulation to mean something
PIECES = {"apv": "NMDA-receptor calcium", "nimodipine": "VGCC calcium", "dapk1-ko": "DAPK1",
          "dapk1-inhibitor": "DAPK1", "can-inhibitor": "calcineurin", "camkii-t286a": "CaMKII",
          "camkii-inhibitor": "CaMKII", "glun2b-no-camkii": "GluN2B-bound CaMKII"}


def manipulation_names() -> list[str]:
    return list(MANIPULATIONS)


def parse(names) -> list[str]:
    """``"apv,dapk1-ko"`` or a list -> checked names (unknown ones are an error)."""
    if names is None:
        return []
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    out = []
    for n in names:
        if n not in MANIPULATIONS:
            raise UnknownNameError(f"unknown manipulation '{n}'; known: {', '.join(MANIPULATIONS)}")
        if n in out:
            raise ManipulationError(f"manipulation '{n}' given twice")
        out.append(n)
    return out


def scalings(names, model_name: str, params) -> dict:
    """{parameter: factor} of the manipulations ``names`` on ``model_name`` (whose ``params`` name them)."""
    out = {}
    for n in parse(names):
        m = MANIPULATIONS[n]
        if model_name not in m.scales:
            raise ManipulationError(
                f"manipulation '{n}' does not apply to model '{model_name}': its plasticity has no "
                f"{PIECES[n]} (applies to: {', '.join(m.applies_to())})")
        for pattern, factor in m.scales[model_name].items():
            hits = [p for p in params if re.fullmatch(pattern, p)]
            if not hits:
                raise ManipulationError(f"manipulation '{n}': model '{model_name}' has no parameter "
                                        f"matching '{pattern}'")
            for p in hits:
                out[p] = out.get(p, 1.0) * factor
    return out


def apply(names, model_name: str, params):
    """``params`` with the manipulations applied (validated like any other change)."""
    factors = scalings(names, model_name, params)
    return params.replace(**{p: params[p] * f for p, f in factors.items()}) if factors else params


def arm_rows(rows, arm_scalings):
    """Rows repeated once per arm, each copy's parameters scaled by its arm's factors.

    ``rows``: one :class:`~plasticity.simulate.Rows` for every arm, or a list of
    them (one per arm, of the same length: each arm's own cohort).  Returns the
    new rows and, per row, the index of its arm.
    """
    from .simulate import Rows
    k = len(arm_scalings)
    bases = list(rows) if isinstance(rows, (list, tuple)) else [rows] * k
    if len(bases) != k:
        raise ValueError(f"arm_rows: {len(bases)} row sets for {k} arms")
    values = {name: _concat([b.values[name] * sc.get(name, 1.0) for b, sc in zip(bases, arm_scalings)])
              for name in bases[0].values}
    owner = np.concatenate([np.full(b.n, j) for j, b in enumerate(bases)]).astype(int)
    return (Rows(np.concatenate([b.condition for b in bases]), np.concatenate([b.cell for b in bases]),
                 values), owner)


def _concat(arrays):
    """Concatenate arrays or Brian2 quantities of one unit."""
    import brian2
    if isinstance(arrays[0], brian2.Quantity):
        unit = brian2.units.fundamentalunits.get_unit(arrays[0].dim)
        return np.concatenate([np.asarray(a / unit) for a in arrays]) * unit
    return np.concatenate([np.asarray(a, float) for a in arrays])


__all__ = ["MANIPULATIONS", "Manipulation", "ManipulationError", "apply", "scalings", "arm_rows", "parse",
           "manipulation_names"]
