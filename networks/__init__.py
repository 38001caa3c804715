"""Bidirectionally connected spiking networks that learn with the kinase rule.

Layers of Axon-like two-compartment AdEx neurons (:mod:`networks.axon_neuron`) with pooled
FS-FFFB inhibition (:mod:`networks.inhibition`), projections scaled as in Axon
(:mod:`networks.network`, ``bidirectional(a, b, back=0.3)``), theta trials of a 150 ms minus
and a 50 ms plus phase, and three learning rules per projection (:mod:`networks.rules`:
``kinase``, ``kinase-binned``, ``hebbian``).  One Brian2 build runs whole epochs, in cython or
as generated C++ (cpp_standalone) reused across seeds and tasks
(:mod:`networks.brian_network`).  Tasks are data (:mod:`networks.tasks`: ``ra25``, ``xor``,
your own patterns); :func:`networks.training.train` returns an xarray Dataset;
:mod:`networks.analysis` measures how closely the spiking rule follows CHL and backprop.

>>> from networks.tasks import xor
>>> from networks.training import train
>>> ds = train(xor(), "kinase", epochs=100, seed=0)        # doctest: +SKIP
>>> ds.attrs["epochs_to_criterion"]                        # doctest: +SKIP
"""
from .network import Layer, Projection, Network, NetworkError, bidirectional
from .tasks import Task, get_task, custom

__all__ = ["Layer", "Projection", "Network", "NetworkError", "bidirectional", "Task", "get_task",
           "custom"]
