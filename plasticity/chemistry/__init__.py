"""Chemistry as a table: reaction networks that compile to Brian2 equations and SBML.

A molecule module lists its species and reactions (mass action with kf, kb;
enzymes with kcat, Km; diffusion between compartments; fixed inputs), each
number with its unit and source.  :class:`ReactionNetwork` then

* writes the Brian2 equations (one ``d[X]/dt`` per species, concentrations in
  umolar, rate constants as named parameters with units),
* derives the conservation laws from the stoichiometry (left null space of the
  stoichiometry matrix in amounts) and reports them,
* writes SBML Level 3 (python-libsbml) for independent engines such as
  libroadrunner.

This package is the first part of the spine-biochemistry work (Urakubo et al
2008 with DAPK1); the molecule modules come next.
"""
from .network import (Compartment, Species, Reaction, Enzyme, Diffusion, Input, Observable,
                      Conversion, ReactionNetwork, ChemistryError)

__all__ = ["Compartment", "Species", "Reaction", "Enzyme", "Diffusion", "Input", "Observable",
           "Conversion",
           "ReactionNetwork", "ChemistryError"]
