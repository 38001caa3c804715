"""Bidirectionally connected spiking networks that learn with the kinase rule.

Planned (issue "Bidirectional spiking networks ... in generated C++"): layers
of the toolkit's two-compartment neurons with pooled FFFB inhibition,
bidirectional projections, theta trials with minus and plus phases, the
``kinase``, ``kinase-binned`` and ``hebbian`` rules, run as one Brian2
cpp_standalone build; tasks ``ra25`` and a hidden-layer task.  Nothing is
implemented here yet.
"""
