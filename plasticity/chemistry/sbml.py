"""SBML Level 3 export of a :class:`~plasticity.chemistry.ReactionNetwork` (python-libsbml).

Units in the file: substance micromole, volume femtolitre compartments written
in litres (1 fl = 1e-15 l), time second; species carry initial concentrations
in umol/l (= uM).  Kinetic laws are amount rates: compartment volume x
concentration flux (mass action, Michaelis-Menten), or the diffusion amount
flux itself.  An independent engine (libroadrunner, CVODE) can then integrate
exactly the network Brian2 integrates.
"""
from __future__ import annotations

from pathlib import Path

from brian2 import umolar

from .network import ReactionNetwork, ChemistryError, fl


def _lib():
    try:
        import libsbml
    except ImportError as err:  # pragma: no cover - dependency of the package
        raise ChemistryError("SBML export needs python-libsbml (pip install python-libsbml)") from err
    return libsbml


def to_sbml(net: ReactionNetwork, model_id: str = "spine", drive=None) -> str:
    """The network as SBML L3V2; ``drive`` makes the outside inputs explicit.

    ``drive`` (optional): a dict with ``inputs`` {input variable: formula of
    ``kernels``, in uM/s}, ``kernels`` {name: decay time constant in s} (each
    kernel decays exponentially, a rate rule) and ``events`` [(time_s, kernel,
    increment), ...].  Every :class:`Input` of the network then becomes a
    reaction that adds its expression (uM/s) to its species.  Without
    ``drive`` the inputs are left out (the species is marked in its notes).
    """
    libsbml = _lib()
    doc = libsbml.SBMLDocument(3, 2)
    model = doc.createModel()
    model.setId(model_id)
    model.setSubstanceUnits("micromole")
    model.setTimeUnits("second")
    model.setVolumeUnits("litre")
    model.setExtentUnits("micromole")
    ud = model.createUnitDefinition()
    ud.setId("micromole")
    u = ud.createUnit()
    u.setKind(libsbml.UNIT_KIND_MOLE), u.setScale(-6), u.setExponent(1), u.setMultiplier(1)
    for c in net.compartments:
        comp = model.createCompartment()
        comp.setId(c.name)
        comp.setConstant(True)
        comp.setSpatialDimensions(3)
        comp.setSize(float(c.volume / fl) * 1e-15)
        comp.setUnits("litre")
    forced = {inp.species for inp in net.inputs}
    for sid in net.species_ids:
        s = net.species_by_id(sid)
        sp = model.createSpecies()
        sp.setId(sid)
        sp.setCompartment(s.compartment)
        sp.setInitialConcentration(float(s.initial / umolar))
        sp.setHasOnlySubstanceUnits(False)
        sp.setBoundaryCondition(False)
        sp.setConstant(False)
        sp.setSubstanceUnits("micromole")
        if sid in forced:
            sp.setNotes("<body xmlns='http://www.w3.org/1999/xhtml'><p>has an outside input</p></body>")
    for name in net.parameters:
        p = model.createParameter()
        p.setId(name)
        p.setConstant(True)
        p.setValue(net.parameter_in_file_units(name))
    amount_fluxes = {d.label for d in net.diffusions}
    for label, rate, coeff in net.fluxes:
        r = model.createReaction()
        r.setId(label)
        r.setReversible(" - " in rate)
        for sid, c in coeff.items():
            if c == 0:      # e.g. an enzyme written on both sides: a modifier, not a product
                r.createModifier().setSpecies(sid)
                continue
            ref = r.createReactant() if c < 0 else r.createProduct()
            ref.setSpecies(sid)
            ref.setConstant(True)
            # concentration fluxes carry +-volume per molecule, amount fluxes +-1
            per = 1.0 if label in amount_fluxes else net.volume(sid)
            ref.setStoichiometry(abs(c) / per)
        formula = net.expand(rate).replace("*", " * ")
        if label not in amount_fluxes:
            comp = net.species_by_id(next(iter(coeff))).compartment
            formula = f"{comp} * ({formula})"
        law = r.createKineticLaw()
        ast = libsbml.parseL3Formula(formula)
        if ast is None:
            raise ChemistryError(f"reaction '{label}': cannot write kinetic law '{formula}'")
        law.setMath(ast)
    if drive is not None:
        _add_drive(libsbml, model, net, drive)
    errors = doc.checkInternalConsistency()
    if errors:
        raise ChemistryError(f"SBML document is inconsistent: {doc.getErrorLog().toString()}")
    return libsbml.writeSBMLToString(doc)


def _add_drive(libsbml, model, net, drive):
    def parameter(pid, value, constant):
        p = model.createParameter()
        p.setId(pid)
        p.setValue(float(value))
        p.setConstant(constant)

    def math(formula):
        ast = libsbml.parseL3Formula(formula)
        if ast is None:
            raise ChemistryError(f"cannot write formula '{formula}'")
        return ast
    for name, tau in drive["kernels"].items():
        parameter(name, 0.0, False)
        rule = model.createRateRule()
        rule.setVariable(name)
        rule.setMath(math(f"-{name} / {float(tau)!r}"))
    for name, formula in drive["inputs"].items():
        parameter(name, 0.0, False)
        rule = model.createAssignmentRule()
        rule.setVariable(name)
        rule.setMath(math(formula))
    for k, inp in enumerate(net.inputs):
        r = model.createReaction()
        r.setId(f"input_{k}_{inp.species}")
        r.setReversible(False)
        ref = r.createProduct()
        ref.setSpecies(inp.species)
        ref.setConstant(True)
        ref.setStoichiometry(1.0)
        comp = net.species_by_id(inp.species).compartment
        r.createKineticLaw().setMath(math(f"{comp} * ({inp.expression})"))
    for k, (time_s, kernel, increment) in enumerate(drive["events"]):
        ev = model.createEvent()
        ev.setId(f"event_{k}")
        ev.setUseValuesFromTriggerTime(True)
        trig = ev.createTrigger()
        trig.setInitialValue(False)
        trig.setPersistent(True)
        trig.setMath(math(f"time >= {float(time_s)!r}"))
        a = ev.createEventAssignment()
        a.setVariable(kernel)
        a.setMath(math(f"{kernel} + {float(increment)!r}"))


def write_sbml(net: ReactionNetwork, path, model_id: str = "spine") -> Path:
    path = Path(path)
    path.write_text(to_sbml(net, model_id))
    return path


def read_sbml_summary(path_or_text) -> dict:
    """Species (initial uM), parameters and reaction kinetic laws read back from SBML."""
    libsbml = _lib()
    text = Path(path_or_text).read_text() if not str(path_or_text).lstrip().startswith("<") \
        else str(path_or_text)
    doc = libsbml.readSBMLFromString(text)
    if doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR):
        raise ChemistryError(doc.getErrorLog().toString())
    m = doc.getModel()
    return {
        "compartments": {c.getId(): c.getSize() for c in m.getListOfCompartments()},
        "species": {s.getId(): s.getInitialConcentration() for s in m.getListOfSpecies()},
        "parameters": {p.getId(): p.getValue() for p in m.getListOfParameters()},
        "reactions": {r.getId(): libsbml.formulaToL3String(r.getKineticLaw().getMath())
                      for r in m.getListOfReactions()},
    }


__all__ = ["to_sbml", "write_sbml", "read_sbml_summary"]
